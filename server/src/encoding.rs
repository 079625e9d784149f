//! Report text from bytes, in the encodings reports are saved in: UTF-8 (with or without a
//! byte-order mark), GB18030 — and so GBK and GB2312, its subsets, which Windows tools write for
//! Chinese — and UTF-16 with a byte-order mark (Windows Notepad's “Unicode”). No IO: the CLI
//! reads the file, the page passes its bytes.
//!
//! GB18030 is never guessed on little evidence: the bytes must decode without an error, the
//! detector (`chardetng`, the one Firefox uses) must also say GBK, and the text must read as
//! Chinese — a share of CJK ideographs and no control characters. Anything else gets the reason
//! in Chinese, naming the first byte that is not UTF-8.

#[cfg(feature = "legacy-encodings")]
use encoding_rs::{Encoding as Codec, GB18030, UTF_16BE, UTF_16LE};

/// An encoding a report was read in (and is written back in by `fmt`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TextEncoding {
    Utf8,
    Gb18030,
    Utf16Le,
    Utf16Be,
}

impl TextEncoding {
    /// The name shown to the user and in the JSON `encoding` field.
    pub fn name(self) -> &'static str {
        match self {
            TextEncoding::Utf8 => "UTF-8",
            TextEncoding::Gb18030 => "GB18030",
            TextEncoding::Utf16Le => "UTF-16LE",
            TextEncoding::Utf16Be => "UTF-16BE",
        }
    }
}

/// Text decoded from bytes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Decoded {
    pub text: String,
    pub encoding: TextEncoding,
    /// The bytes began with a byte-order mark (dropped from `text`, written back by `encode`).
    pub bom: bool,
}

/// At least this share of the non-ASCII, non-space characters of a GB18030 reading must be CJK
/// ideographs or CJK punctuation for the reading to count as Chinese text.
#[cfg(feature = "legacy-encodings")]
const MIN_CJK_SHARE: f64 = 0.6;
/// …and at least this many of them (a handful of bytes is no evidence).
#[cfg(feature = "legacy-encodings")]
const MIN_CJK: usize = 10;
/// UTF-8 that goes wrong only after more than this many Chinese characters is UTF-8 that got
/// damaged, not GB18030: GB18030's byte pairs can pass for UTF-8 two-byte characters (`某` is
/// `C4 B3`, UTF-8 for `ĳ`), but hardly for a run of three-byte CJK ones.
#[cfg(feature = "legacy-encodings")]
const MAX_UTF8_CJK_BEFORE_ERROR: usize = 1;

/// The text of `bytes`, or why they are not report text (in Chinese).
pub fn decode(bytes: &[u8]) -> Result<Decoded, String> {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return utf8(rest, true);
    }
    #[cfg(feature = "legacy-encodings")]
    for (bom, codec, encoding) in [
        (&b"\xFF\xFE"[..], UTF_16LE, TextEncoding::Utf16Le),
        (&b"\xFE\xFF"[..], UTF_16BE, TextEncoding::Utf16Be),
    ] {
        if let Some(rest) = bytes.strip_prefix(bom) {
            return match codec.decode_without_bom_handling_and_without_replacement(rest) {
                Some(text) => Ok(Decoded {
                    text: text.into_owned(),
                    encoding,
                    bom: true,
                }),
                None => Err(format!("不是有效的 {} 编码文本", encoding.name())),
            };
        }
    }
    match utf8(bytes, false) {
        Ok(decoded) => Ok(decoded),
        #[cfg(feature = "legacy-encodings")]
        Err(reason) => gb18030(bytes).ok_or(reason),
        #[cfg(not(feature = "legacy-encodings"))]
        Err(reason) => Err(reason),
    }
}

/// `text` in `encoding`, with a byte-order mark when `bom` (what `decode` read, written back).
pub fn encode(text: &str, encoding: TextEncoding, bom: bool) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len() + 3);
    match encoding {
        TextEncoding::Utf8 => {
            if bom {
                out.extend_from_slice(b"\xEF\xBB\xBF");
            }
            out.extend_from_slice(text.as_bytes());
        }
        #[cfg(feature = "legacy-encodings")]
        TextEncoding::Gb18030 => {
            // Every Unicode scalar value has a GB18030 form: nothing is lost.
            let (bytes, _, _) = GB18030.encode(text);
            out.extend_from_slice(&bytes);
        }
        // Never decoded without the feature; written as UTF-8 rather than not at all.
        #[cfg(not(feature = "legacy-encodings"))]
        TextEncoding::Gb18030 => out.extend_from_slice(text.as_bytes()),
        TextEncoding::Utf16Le | TextEncoding::Utf16Be => {
            let le = encoding == TextEncoding::Utf16Le;
            if bom {
                out.extend_from_slice(if le { b"\xFF\xFE" } else { b"\xFE\xFF" });
            }
            for unit in text.encode_utf16() {
                out.extend_from_slice(&if le {
                    unit.to_le_bytes()
                } else {
                    unit.to_be_bytes()
                });
            }
        }
    }
    out
}

fn utf8(bytes: &[u8], bom: bool) -> Result<Decoded, String> {
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(Decoded {
            text: text.to_string(),
            encoding: TextEncoding::Utf8,
            bom,
        }),
        Err(err) => {
            let at = err.valid_up_to() + usize::from(bom) * 3 + 1;
            Err(if err.error_len().is_none() {
                format!("不是 UTF-8 编码（第 {at} 字节）：文件末尾的字符不完整，文件可能被截断")
            } else {
                format!(
                    "不是 UTF-8 编码（第 {at} 字节），也不能确认是 GB18030/GBK 编码的中文文本；请把文件另存为 UTF-8 后再检查"
                )
            })
        }
    }
}

/// The GB18030 reading of `bytes`, when the evidence says it is one.
#[cfg(feature = "legacy-encodings")]
fn gb18030(bytes: &[u8]) -> Option<Decoded> {
    let valid = match std::str::from_utf8(bytes) {
        Ok(_) => return None,
        Err(err) => err.valid_up_to(),
    };
    let cjk_before = String::from_utf8_lossy(&bytes[..valid])
        .chars()
        .filter(|&c| ('\u{4E00}'..='\u{9FFF}').contains(&c))
        .count();
    if cjk_before > MAX_UTF8_CJK_BEFORE_ERROR {
        return None;
    }
    let text = GB18030.decode_without_bom_handling_and_without_replacement(bytes)?;
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    detector.feed(bytes, true);
    let guess: &'static Codec = detector.guess(None, chardetng::Utf8Detection::Deny);
    if guess != encoding_rs::GBK && guess != GB18030 {
        return None;
    }
    if !reads_as_chinese(&text) {
        return None;
    }
    Some(Decoded {
        text: text.into_owned(),
        encoding: TextEncoding::Gb18030,
        bom: false,
    })
}

#[cfg(feature = "legacy-encodings")]
/// Chinese text: no control characters but TAB, LF, CR and form feed, and mostly CJK among the
/// characters outside ASCII.
fn reads_as_chinese(text: &str) -> bool {
    let mut cjk = 0usize;
    let mut other = 0usize;
    for c in text.chars() {
        if c.is_control() && !matches!(c, '\t' | '\n' | '\r' | '\u{c}') {
            return false;
        }
        if c.is_ascii() || c.is_whitespace() {
            continue;
        }
        if is_cjk(c) {
            cjk += 1;
        } else {
            other += 1;
        }
    }
    cjk >= MIN_CJK && cjk as f64 >= MIN_CJK_SHARE * (cjk + other) as f64
}

/// CJK ideographs, CJK punctuation and full-width forms.
#[cfg(feature = "legacy-encodings")]
fn is_cjk(c: char) -> bool {
    matches!(c,
        '\u{3000}'..='\u{303F}'
        | '\u{3400}'..='\u{4DBF}'
        | '\u{4E00}'..='\u{9FFF}'
        | '\u{F900}'..='\u{FAFF}'
        | '\u{FF00}'..='\u{FFEF}'
        | '\u{20000}'..='\u{3134F}'
        | '\u{2014}' | '\u{2026}' | '\u{201C}' | '\u{201D}' | '\u{2018}' | '\u{2019}' | '\u{00B7}')
}

#[cfg(all(test, feature = "legacy-encodings"))]
mod tests {
    use super::*;

    const REPORT: &str = "某某局2023年政府信息公开工作年度报告\n一、总体情况\n本年度收到政府信息公开申请 5 件。\n\
        二、主动公开政府信息情况\n规章\t0\t0\t0\n";

    fn gbk(text: &str) -> Vec<u8> {
        encode(text, TextEncoding::Gb18030, false)
    }

    #[test]
    fn utf8_with_and_without_a_bom() {
        let d = decode(REPORT.as_bytes()).expect("utf-8");
        assert_eq!(
            (d.encoding, d.bom, d.text.as_str()),
            (TextEncoding::Utf8, false, REPORT)
        );
        let mut with_bom = b"\xEF\xBB\xBF".to_vec();
        with_bom.extend_from_slice(REPORT.as_bytes());
        let d = decode(&with_bom).expect("utf-8 with bom");
        assert_eq!(
            (d.encoding, d.bom, d.text.as_str()),
            (TextEncoding::Utf8, true, REPORT)
        );
        assert_eq!(encode(&d.text, d.encoding, d.bom), with_bom);
    }

    #[test]
    fn a_gbk_report_is_read_and_written_back_byte_for_byte() {
        let bytes = gbk(REPORT);
        assert!(std::str::from_utf8(&bytes).is_err());
        let d = decode(&bytes).expect("gb18030");
        assert_eq!(d.encoding, TextEncoding::Gb18030);
        assert_eq!(d.text, REPORT);
        assert_eq!(encode(&d.text, d.encoding, d.bom), bytes);
    }

    #[test]
    fn every_corpus_report_round_trips_through_gb18030() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus/real");
        let Ok(entries) = std::fs::read_dir(&dir) else {
            return; // the corpus is beside the repository in CI; examples/ test the rest
        };
        for entry in entries.flatten() {
            let text = std::fs::read_to_string(entry.path()).unwrap_or_default();
            let bytes = gbk(&text);
            let d = decode(&bytes).unwrap_or_else(|e| panic!("{}: {e}", entry.path().display()));
            assert_eq!(d.text, text, "{}", entry.path().display());
        }
    }

    #[test]
    fn utf16_with_a_bom() {
        for (encoding, bom) in [
            (TextEncoding::Utf16Le, &b"\xFF\xFE"[..]),
            (TextEncoding::Utf16Be, &b"\xFE\xFF"[..]),
        ] {
            let bytes = encode(REPORT, encoding, true);
            assert!(bytes.starts_with(bom));
            let d = decode(&bytes).expect("utf-16");
            assert_eq!((d.encoding, d.text.as_str()), (encoding, REPORT));
        }
    }

    #[test]
    fn little_or_no_evidence_is_not_guessed() {
        // A few high bytes: valid GB18030, but no evidence of Chinese text.
        for bytes in [
            &b"report \xB0\xA1 end"[..],
            &b"\x00\x01\x02\xff\xfe\x80binary"[..],
            &b"caf\xE9 au lait, cr\xE8me br\xFBl\xE9e, na\xEFve fa\xE7ade"[..],
        ] {
            let err = decode(bytes).expect_err("not guessed");
            assert!(err.starts_with("不是 UTF-8 编码（第 "), "{err}");
        }
    }

    #[test]
    fn damaged_utf8_is_not_read_as_gb18030() {
        // UTF-8 Chinese, then two stray bytes: the GB18030 reading is mojibake.
        let mut bytes = "年度报告政府信息公开工作年度报告".as_bytes().to_vec();
        bytes.extend_from_slice(b"\xd5\xfe");
        let err = decode(&bytes).expect_err("not GB18030");
        assert!(err.starts_with("不是 UTF-8 编码（第 49 字节）"), "{err}");
    }

    #[test]
    fn the_first_bad_byte_is_named() {
        let mut bytes = "一二".as_bytes().to_vec();
        bytes.push(0xFF);
        let err = decode(&bytes).expect_err("not text");
        assert!(err.starts_with("不是 UTF-8 编码（第 7 字节）"), "{err}");
        let truncated = &"一二".as_bytes()[..5];
        let err = decode(truncated).expect_err("truncated");
        assert!(err.contains("文件可能被截断"), "{err}");
    }
}
