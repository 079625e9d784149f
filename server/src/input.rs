//! Report files: bytes in, the report text out — for the command line and the web page's engine
//! alike. What a file is, is decided by its content, never by its name: each reader of
//! [`READERS`] looks at the bytes and either declines (`None`) or reads them.

use crate::encoding::{self, TextEncoding};

/// What a reader made of a file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Document {
    /// The report text that is analysed and that the ranges of diagnostics refer to.
    pub text: String,
    /// What the file was, in Chinese, for people (`UTF-8 文本`, `GB18030 文本`).
    pub kind: &'static str,
    /// For a text file: its encoding and whether it began with a byte-order mark — what `fmt`
    /// writes it back in. `None` for other kinds (a Word document).
    pub encoding: Option<(TextEncoding, bool)>,
}

/// A reader: `None` when the bytes are not of its kind, otherwise the document or why it cannot
/// be read (in Chinese).
pub type Reader = fn(&[u8]) -> Option<Result<Document, String>>;

/// The readers, tried in order; the first that does not decline reads the file. Plain text
/// comes last, as it takes anything: a reader of another kind (a Word document, a saved page, a
/// legacy encoding of text) goes before it, and adding one is adding its line here.
pub const READERS: &[Reader] = &[text];

/// Reads a file's bytes with the first reader of [`READERS`] that recognises them.
pub fn read(bytes: &[u8]) -> Result<Document, String> {
    READERS
        .iter()
        .find_map(|reader| reader(bytes))
        .unwrap_or_else(|| Err("无法识别的文件".to_owned()))
}

/// Text: UTF-8 (a leading byte-order mark dropped, as editors do), or GB18030/GBK or UTF-16 with
/// a byte-order mark ([`encoding::decode`]; with the feature `legacy-encodings`). Takes any
/// bytes: those that are none of these get the reason, naming the first byte that is not UTF-8.
pub fn text(bytes: &[u8]) -> Option<Result<Document, String>> {
    Some(encoding::decode(bytes).map(|d| Document {
        text: d.text,
        kind: match d.encoding {
            TextEncoding::Utf8 => "UTF-8 文本",
            TextEncoding::Gb18030 => "GB18030 文本",
            TextEncoding::Utf16Le | TextEncoding::Utf16Be => "UTF-16 文本",
        },
        encoding: Some((d.encoding, d.bom)),
    }))
}

/// UTF-8 text from bytes (a leading byte-order mark dropped), or the reason in Chinese naming
/// the first bad byte (1-based).
pub fn decode_utf8(mut bytes: Vec<u8>) -> Result<String, String> {
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        bytes.drain(..3);
    }
    String::from_utf8(bytes).map_err(|err| {
        let err = err.utf8_error();
        let at = err.valid_up_to() + 1;
        if err.error_len().is_none() {
            // Only the end is wrong: a character cut off, not another encoding.
            format!("不是 UTF-8 编码（第 {at} 字节）：文件末尾的字符不完整，文件可能被截断")
        } else {
            format!(
                "不是 UTF-8 编码（第 {at} 字节）。若为 GB18030/GBK 编码，请先转换：iconv -f GB18030 -t UTF-8"
            )
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_with_and_without_a_byte_order_mark() {
        let read = read("\u{feff}一、总体情况\n".as_bytes());
        assert_eq!(
            read,
            Ok(Document {
                text: "一、总体情况\n".into(),
                kind: "UTF-8 文本",
                encoding: Some((TextEncoding::Utf8, true)),
            })
        );
        assert_eq!(
            read.map(|d| d.text),
            super::read("一、总体情况\n".as_bytes()).map(|d| d.text)
        );
    }

    #[test]
    fn not_utf8_names_the_byte() {
        let mut bytes = "年报".as_bytes().to_vec();
        bytes.extend_from_slice(b"\xd5\xfe");
        let err = read(&bytes).err().unwrap_or_default();
        assert!(err.starts_with("不是 UTF-8 编码（第 7 字节）"), "{err}");
    }
}
