//! Report text from bytes, in the encodings reports are saved in: UTF-8 (with or without a
//! byte-order mark), GB18030 — and so GBK and GB2312, its subsets, which Windows tools write for
//! Chinese — and UTF-16 with a byte-order mark (Windows Notepad's “Unicode”). No IO: the CLI
//! reads the file, the page passes its bytes.
//!
//! GB18030 is never guessed on little evidence: the bytes must decode without an error, the
//! detector (`chardetng`, the one Firefox uses) must also say GBK, and the text must read as
//! Chinese — a share of CJK ideographs and no control characters. Anything else gets the reason
//! in Chinese, naming the first byte that is not UTF-8.
//!
//! With the feature `legacy-encodings` the decoders are encoding_rs's. Without it (the web page's
//! engine, which they would grow by half: 150 KB gzipped) UTF-16 is decoded here, and GB18030 by a decoder the
//! embedder supplies with [`set_gb18030`] — in the browser, `TextDecoder("gb18030", {fatal:
//! true})`, the same WHATWG decoder as encoding_rs's — under the same evidence rules but one:
//! there is no detector, so the evidence is that the bytes decode without an error, are not
//! damaged UTF-8 ([`MAX_UTF8_CJK_BEFORE_ERROR`], `mostly_utf8`) and read as Chinese. Unset,
//! only UTF-8 and UTF-16 are read.

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
const MIN_CJK_SHARE: f64 = 0.6;
/// …and at least this many of them (a handful of bytes is no evidence).
const MIN_CJK: usize = 10;
/// UTF-8 that goes wrong only after more than this many Chinese characters is UTF-8 that got
/// damaged, not GB18030: GB18030's byte pairs can pass for UTF-8 two-byte characters (`某` is
/// `C4 B3`, UTF-8 for `ĳ`), but hardly for a run of three-byte CJK ones.
const MAX_UTF8_CJK_BEFORE_ERROR: usize = 1;

/// The text of `bytes`, or why they are not report text (in Chinese).
pub fn decode(bytes: &[u8]) -> Result<Decoded, String> {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return utf8(rest, true);
    }
    for (bom, encoding) in [
        (&b"\xFF\xFE"[..], TextEncoding::Utf16Le),
        (&b"\xFE\xFF"[..], TextEncoding::Utf16Be),
    ] {
        if let Some(rest) = bytes.strip_prefix(bom) {
            return match utf16(rest, encoding == TextEncoding::Utf16Le) {
                Some(text) => Ok(Decoded {
                    text,
                    encoding,
                    bom: true,
                }),
                None => Err(format!("不是有效的 {} 编码文本", encoding.name())),
            };
        }
    }
    match utf8(bytes, false) {
        Ok(decoded) => Ok(decoded),
        Err(reason) => gb18030(bytes).ok_or(reason),
    }
}

/// UTF-16 without its byte-order mark, or `None` if malformed (an odd byte at the end, a lone
/// surrogate).
#[cfg(feature = "legacy-encodings")]
fn utf16(bytes: &[u8], le: bool) -> Option<String> {
    let codec = if le { UTF_16LE } else { UTF_16BE };
    codec
        .decode_without_bom_handling_and_without_replacement(bytes)
        .map(|text| text.into_owned())
}

/// UTF-16 without its byte-order mark, or `None` if malformed (an odd byte at the end, a lone
/// surrogate) — as encoding_rs decodes it without replacement.
#[cfg(not(feature = "legacy-encodings"))]
fn utf16(bytes: &[u8], le: bool) -> Option<String> {
    let chunks = bytes.chunks_exact(2);
    if !chunks.remainder().is_empty() {
        return None;
    }
    let units = chunks.map(|pair| {
        let pair = [pair[0], pair[1]];
        if le {
            u16::from_le_bytes(pair)
        } else {
            u16::from_be_bytes(pair)
        }
    });
    char::decode_utf16(units)
        .collect::<Result<String, _>>()
        .ok()
}

/// An embedder's strict GB18030 decoder: the text, or `None` if any byte sequence is malformed.
#[cfg(not(feature = "legacy-encodings"))]
pub type Gb18030Decoder = fn(&[u8]) -> Option<String>;

#[cfg(not(feature = "legacy-encodings"))]
static GB18030_DECODER: std::sync::OnceLock<Gb18030Decoder> = std::sync::OnceLock::new();

/// Without the feature `legacy-encodings`: the strict GB18030 decoder text that is not UTF-8 is
/// tried with (in the browser, `TextDecoder("gb18030", {fatal: true})`). Set once, before the
/// first file is read (later calls are ignored); unset, GB18030 is not read.
#[cfg(not(feature = "legacy-encodings"))]
pub fn set_gb18030(decoder: Gb18030Decoder) {
    let _ = GB18030_DECODER.set(decoder);
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
    // simdutf8 checks Chinese text (three bytes a character) several times faster than the
    // standard library, which is asked again only to say where text that is not UTF-8 fails.
    let checked = match simdutf8::basic::from_utf8(bytes) {
        Ok(text) => Ok(text),
        Err(_) => std::str::from_utf8(bytes),
    };
    match checked {
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
fn gb18030(bytes: &[u8]) -> Option<Decoded> {
    let valid = match std::str::from_utf8(bytes) {
        Ok(_) => return None,
        Err(err) => err.valid_up_to(),
    };
    let cjk_before = String::from_utf8_lossy(&bytes[..valid])
        .chars()
        .filter(|&c| crate::normalize::is_cjk_ideograph(c))
        .count();
    if cjk_before > MAX_UTF8_CJK_BEFORE_ERROR || mostly_utf8(bytes) {
        return None;
    }
    let text = decode_gb18030(bytes)?;
    if !detected_as_gbk(bytes) || !reads_as_chinese(&text) {
        return None;
    }
    Some(Decoded {
        text,
        encoding: TextEncoding::Gb18030,
        bom: false,
    })
}

/// UTF-8 damaged here and there: more well-formed UTF-8 CJK ideographs (three bytes each) than
/// malformed sequences. In GB18030 text a byte triple passes for a UTF-8 ideograph about once in
/// a hundred characters, and nearly every character is malformed UTF-8.
fn mostly_utf8(bytes: &[u8]) -> bool {
    let (mut cjk, mut bad) = (0usize, 0usize);
    for chunk in bytes.utf8_chunks() {
        cjk += chunk
            .valid()
            .chars()
            .filter(|&c| crate::normalize::is_cjk_ideograph(c))
            .count();
        bad += usize::from(!chunk.invalid().is_empty());
    }
    cjk > bad
}

#[cfg(feature = "legacy-encodings")]
fn decode_gb18030(bytes: &[u8]) -> Option<String> {
    GB18030
        .decode_without_bom_handling_and_without_replacement(bytes)
        .map(|text| text.into_owned())
}

#[cfg(not(feature = "legacy-encodings"))]
fn decode_gb18030(bytes: &[u8]) -> Option<String> {
    GB18030_DECODER.get().and_then(|decode| decode(bytes))
}

/// The detector (chardetng) says GBK too.
#[cfg(feature = "legacy-encodings")]
fn detected_as_gbk(bytes: &[u8]) -> bool {
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    detector.feed(bytes, true);
    let guess: &'static Codec = detector.guess(None, chardetng::Utf8Detection::Deny);
    guess == encoding_rs::GBK || guess == GB18030
}

/// No detector without `legacy-encodings` (see the module's documentation).
#[cfg(not(feature = "legacy-encodings"))]
fn detected_as_gbk(_bytes: &[u8]) -> bool {
    true
}

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
    fn utf8_damaged_at_the_start_is_not_read_as_gb18030() {
        // A stray byte first, then UTF-8 Chinese: no Chinese before the error, but far more
        // well-formed UTF-8 ideographs than malformed bytes.
        let mut bytes = b"\xd5".to_vec();
        bytes.extend_from_slice(REPORT.as_bytes());
        let err = decode(&bytes).expect_err("not GB18030");
        assert!(err.starts_with("不是 UTF-8 编码（第 1 字节）"), "{err}");
        assert!(!mostly_utf8(&gbk(REPORT)));
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
