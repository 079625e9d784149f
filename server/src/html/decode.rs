//! The character encoding of a page, in the order a browser decides it: a byte-order mark, the
//! HTTP `Content-Type` charset (for a fetched page), a `<meta charset>` or `<meta http-equiv>`
//! in the first kilobytes, and only then a detector (chardetng) — portals still serve
//! GBK/GB2312 pages, sometimes without saying so.

use encoding_rs::Encoding;

/// How far into the page `<meta charset>` is looked for (the HTML standard's prescan reads 1024
/// bytes; portals put kilobytes of comments and scripts first, so a little more).
const PRESCAN_BYTES: usize = 8192;

/// Where the encoding came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    ByteOrderMark,
    Http,
    Meta,
    Detected,
}

/// A page decoded to text.
#[derive(Debug)]
pub struct Decoded {
    pub text: String,
    pub encoding: &'static Encoding,
    pub source: Source,
}

/// Decodes `bytes`; `http_charset` is the charset of the response's `Content-Type`, if any.
/// Malformed sequences become U+FFFD (as a browser shows them).
pub fn decode(bytes: &[u8], http_charset: Option<&str>) -> Decoded {
    if let Some((encoding, bom)) = Encoding::for_bom(bytes) {
        return finish(&bytes[bom..], encoding, Source::ByteOrderMark);
    }
    if let Some(encoding) = http_charset.and_then(|c| Encoding::for_label(c.trim().as_bytes())) {
        return finish(bytes, ascii_compatible(encoding), Source::Http);
    }
    if let Some(encoding) = meta_charset(&bytes[..bytes.len().min(PRESCAN_BYTES)]) {
        return finish(bytes, ascii_compatible(encoding), Source::Meta);
    }
    use chardetng::{EncodingDetector, Iso2022JpDetection, Utf8Detection};
    let mut detector = EncodingDetector::new(Iso2022JpDetection::Deny);
    detector.feed(bytes, true);
    let guess = detector.guess(None, Utf8Detection::Allow);
    finish(bytes, guess, Source::Detected)
}

fn finish(bytes: &[u8], encoding: &'static Encoding, source: Source) -> Decoded {
    let (text, _) = encoding.decode_without_bom_handling(bytes);
    Decoded {
        text: text.into_owned(),
        encoding,
        source,
    }
}

/// A page that declares UTF-16 in ASCII is not UTF-16 (the standard reads it as UTF-8).
fn ascii_compatible(encoding: &'static Encoding) -> &'static Encoding {
    if encoding == encoding_rs::UTF_16LE || encoding == encoding_rs::UTF_16BE {
        encoding_rs::UTF_8
    } else {
        encoding
    }
}

/// The charset of the first `<meta charset=…>` or `<meta http-equiv="Content-Type"
/// content="…; charset=…">` in `head`.
fn meta_charset(head: &[u8]) -> Option<&'static Encoding> {
    let lower: Vec<u8> = head.to_ascii_lowercase();
    let mut from = 0;
    while let Some(at) = find(&lower[from..], b"<meta").map(|i| from + i) {
        let end = lower[at..]
            .iter()
            .position(|&b| b == b'>')
            .map_or(lower.len(), |i| at + i);
        let tag = &lower[at..end];
        if let Some(i) = find(tag, b"charset") {
            let rest = &tag[i + b"charset".len()..];
            let rest = rest.strip_prefix(b" ").unwrap_or(rest);
            if let Some(rest) = rest.strip_prefix(b"=") {
                let value: Vec<u8> = rest
                    .iter()
                    .copied()
                    .skip_while(|&b| matches!(b, b' ' | b'"' | b'\''))
                    .take_while(|&b| !matches!(b, b' ' | b'"' | b'\'' | b';' | b'/' | b'>'))
                    .collect();
                if let Some(encoding) = Encoding::for_label(&value) {
                    return Some(encoding);
                }
            }
        }
        from = end;
    }
    None
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_gbk_page_by_its_meta_by_http_and_detected() {
        let page = "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=gb2312\"></head><body><p>一、总体情况</p></body></html>";
        let (gbk, _, _) = encoding_rs::GBK.encode(page);
        let d = decode(&gbk, None);
        assert_eq!((d.encoding, d.source), (encoding_rs::GBK, Source::Meta));
        assert_eq!(d.text, page);
        let d = decode(&gbk, Some("GBK"));
        assert_eq!((d.encoding, d.source), (encoding_rs::GBK, Source::Http));
        // Without a declaration, the detector finds it from enough text.
        let bare = "<p>本年度报告中所列数据统计期限自2023年1月1日起至2023年12月31日止。收到和处理政府信息公开申请情况。</p>".repeat(4);
        let (gbk, _, _) = encoding_rs::GBK.encode(&bare);
        let d = decode(&gbk, None);
        assert_eq!((d.encoding, d.source), (encoding_rs::GBK, Source::Detected));
        assert_eq!(d.text, bare);
    }

    #[test]
    fn byte_order_marks_and_utf8_meta() {
        let d = decode("\u{feff}<p>年报</p>".as_bytes(), Some("gbk"));
        assert_eq!(
            (d.encoding, d.source),
            (encoding_rs::UTF_8, Source::ByteOrderMark)
        );
        assert_eq!(d.text, "<p>年报</p>");
        let d = decode(b"<meta charset='utf-16'><p>x</p>", None);
        assert_eq!((d.encoding, d.source), (encoding_rs::UTF_8, Source::Meta));
        let d = decode("<meta charset = \"UTF-8\"/><p>年报</p>".as_bytes(), None);
        assert_eq!(d.encoding, encoding_rs::UTF_8);
        assert_eq!(meta_charset(b"<meta name=x><meta charset=bogus>"), None);
    }
}
