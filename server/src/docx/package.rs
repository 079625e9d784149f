//! The .docx container: a zip of XML parts. Finds the main document part through the package
//! relationships (`_rels/.rels`), its styles and numbering through the part's own
//! relationships, and reads each part through a size cap (never trusting the sizes the zip
//! declares), so a zip bomb or a truncated file is an error, not an exhausted machine.

use std::io::{Cursor, Read};

use zip::ZipArchive;
use zip::result::ZipError;

use super::DocxError;
use super::xml;

/// The largest main document part read. A report's document.xml is tens or hundreds of
/// kilobytes, a long one 2 MB; anything near this is not a report.
pub const MAX_DOCUMENT_BYTES: u64 = 64 * 1024 * 1024;
/// The largest other part read (styles, numbering, relationships).
pub const MAX_PART_BYTES: u64 = 16 * 1024 * 1024;
/// The most entries of a zip opened: a Word document has a few dozen.
pub const MAX_ENTRIES: u64 = 10_000;

const REL_OFFICE_DOCUMENT: &[&str] = &[
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument",
    "http://purl.oclc.org/ooxml/officeDocument/relationships/officeDocument",
];
const REL_STYLES: &str = "/styles";
const REL_NUMBERING: &str = "/numbering";

/// The parts the reader needs, as text.
#[derive(Clone, Debug)]
pub struct Parts {
    /// The zip entry name of the main document part (`word/document.xml`).
    pub document_name: String,
    pub document: String,
    pub styles: Option<String>,
    pub numbering: Option<String>,
}

/// Opens the zip in `bytes` and reads the parts of a Word document.
pub fn open(bytes: &[u8]) -> Result<Parts, DocxError> {
    check_entry_count(bytes)?;
    let mut zip = ZipArchive::new(Cursor::new(bytes)).map_err(zip_error)?;
    if zip.len() as u64 > MAX_ENTRIES {
        return Err(DocxError::TooManyEntries);
    }
    let document_name = main_part(&mut zip)?;
    let document = read_part(&mut zip, &document_name, MAX_DOCUMENT_BYTES)?
        .ok_or_else(|| not_word(&mut zip))?;
    let rels_name = rels_of(&document_name);
    let rels = read_part(&mut zip, &rels_name, MAX_PART_BYTES)?;
    let dir = document_name.rfind('/').map_or("", |i| &document_name[..i]);
    let target = |suffix: &str, fallback: &str| -> Result<String, DocxError> {
        let found = match &rels {
            Some(rels) => relationship(rels, &rels_name, |t| t.ends_with(suffix))?,
            None => None,
        };
        Ok(found.map_or_else(|| join(dir, fallback), |t| join(dir, &t)))
    };
    let styles_name = target(REL_STYLES, "styles.xml")?;
    let numbering_name = target(REL_NUMBERING, "numbering.xml")?;
    let styles = read_part(&mut zip, &styles_name, MAX_PART_BYTES)?;
    let numbering = read_part(&mut zip, &numbering_name, MAX_PART_BYTES)?;
    Ok(Parts {
        document_name,
        document,
        styles,
        numbering,
    })
}

/// The name of the main document part: the target of the package's officeDocument
/// relationship, else `word/document.xml`.
fn main_part<R: Read + std::io::Seek>(zip: &mut ZipArchive<R>) -> Result<String, DocxError> {
    if let Some(rels) = read_part(zip, "_rels/.rels", MAX_PART_BYTES)?
        && let Some(target) =
            relationship(&rels, "_rels/.rels", |t| REL_OFFICE_DOCUMENT.contains(&t))?
    {
        return Ok(join("", &target));
    }
    Ok("word/document.xml".to_owned())
}

/// `word/document.xml` → `word/_rels/document.xml.rels`.
fn rels_of(part: &str) -> String {
    match part.rfind('/') {
        Some(i) => format!("{}/_rels/{}.rels", &part[..i], &part[i + 1..]),
        None => format!("_rels/{part}.rels"),
    }
}

/// The target of the first relationship whose type satisfies `wanted`.
fn relationship(
    rels: &str,
    part: &str,
    wanted: impl Fn(&str) -> bool,
) -> Result<Option<String>, DocxError> {
    let doc = xml::parse(rels, part)?;
    Ok(doc
        .root_element()
        .children()
        .filter(|n| n.is_element() && n.tag_name().name() == "Relationship")
        .filter(|n| n.attribute("TargetMode") != Some("External"))
        .find(|n| n.attribute("Type").is_some_and(&wanted))
        .and_then(|n| n.attribute("Target"))
        .map(str::to_owned))
}

/// A relationship target resolved against the directory of its source part: `styles.xml` in
/// `word` → `word/styles.xml`; `/word/x.xml` is absolute; `..` climbs.
fn join(dir: &str, target: &str) -> String {
    let target = target.replace('\\', "/");
    let mut parts: Vec<&str> = if target.starts_with('/') {
        Vec::new()
    } else {
        dir.split('/').filter(|s| !s.is_empty()).collect()
    };
    for piece in target.split('/') {
        match piece {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    parts.join("/")
}

/// Reads the entry `name` (matched exactly, else ignoring ASCII case) as UTF-8, at most `limit`
/// bytes decompressed. `None` when there is no such entry. A byte-order mark stays: the XML
/// parser skips it, and ranges in the part keep counting from the first byte.
fn read_part<R: Read + std::io::Seek>(
    zip: &mut ZipArchive<R>,
    name: &str,
    limit: u64,
) -> Result<Option<String>, DocxError> {
    let Some(index) = zip.index_for_name(name).or_else(|| {
        zip.file_names()
            .position(|n| n.is_ok_and(|n| n.eq_ignore_ascii_case(name)))
    }) else {
        return Ok(None);
    };
    let mut entry = zip.by_index(index).map_err(zip_error)?;
    if !matches!(
        entry.compression(),
        zip::CompressionMethod::Stored | zip::CompressionMethod::Deflated
    ) {
        return Err(DocxError::Unsupported);
    }
    let mut bytes = Vec::new();
    (&mut entry)
        .take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| DocxError::Corrupt(format!("{name}：{e}")))?;
    if bytes.len() as u64 > limit {
        return Err(DocxError::TooLarge {
            part: name.to_owned(),
            limit_mb: limit / (1024 * 1024),
        });
    }
    String::from_utf8(bytes)
        .map(Some)
        .map_err(|_| DocxError::Encoding(name.to_owned()))
}

/// What a zip without a Word document part holds, as an error.
fn not_word<R: Read + std::io::Seek>(zip: &mut ZipArchive<R>) -> DocxError {
    let has = |zip: &ZipArchive<R>, name: &str| zip.index_for_name(name).is_some();
    let what = if has(zip, "xl/workbook.xml") {
        "Excel 工作簿（.xlsx）"
    } else if has(zip, "ppt/presentation.xml") {
        "PowerPoint 演示文稿（.pptx）"
    } else if has(zip, "content.xml") || has(zip, "mimetype") {
        let mut mime = String::new();
        if let Ok(entry) = zip.by_name("mimetype") {
            let _ = entry.take(200).read_to_string(&mut mime);
        }
        if mime.contains("opendocument.text") {
            "OpenDocument 文本（.odt）"
        } else {
            "OpenDocument 文档"
        }
    } else if has(zip, "Contents/section0.xml") || has(zip, "Contents/content.hpf") {
        "韩文 HWPX 或 OFD 等其他格式的文档"
    } else {
        "不含 Word 文档内容的 zip 压缩包"
    };
    DocxError::NotWord(what)
}

fn zip_error(e: ZipError) -> DocxError {
    match e {
        ZipError::UnsupportedArchive(what) if what.to_lowercase().contains("password") => {
            DocxError::Encrypted
        }
        ZipError::UnsupportedArchive(_) | ZipError::CompressionMethodNotSupported(_) => {
            DocxError::Unsupported
        }
        ZipError::InvalidPassword => DocxError::Encrypted,
        other => DocxError::Corrupt(other.to_string()),
    }
}

/// Refuses a zip whose end-of-central-directory record announces more entries than
/// [`MAX_ENTRIES`], before the zip crate allocates a record for each of them.
fn check_entry_count(bytes: &[u8]) -> Result<(), DocxError> {
    const EOCD: &[u8] = b"PK\x05\x06";
    const EOCD64: &[u8] = b"PK\x06\x06";
    // The record is at most 22 bytes plus a 64 KiB comment from the end.
    let from = bytes.len().saturating_sub(22 + 65_535);
    let Some(at) = bytes[from..]
        .windows(4)
        .rposition(|w| w == EOCD)
        .map(|i| from + i)
    else {
        return Err(DocxError::Corrupt(
            "找不到 zip 目录（文件可能不完整，被截断了）".to_owned(),
        ));
    };
    let u16_at = |i: usize| {
        bytes
            .get(i..i + 2)
            .map(|b| u64::from(u16::from_le_bytes([b[0], b[1]])))
    };
    let mut entries = u16_at(at + 10).unwrap_or(0);
    if entries == 0xFFFF {
        // Zip64: the locator (20 bytes) before the record points at the zip64 record.
        let locator = at.saturating_sub(20);
        let offset = bytes
            .get(locator + 8..locator + 16)
            .and_then(|b| b.try_into().ok())
            .map(u64::from_le_bytes)
            .and_then(|o| usize::try_from(o).ok());
        if let Some(offset) = offset
            && bytes.get(offset..offset + 4) == Some(EOCD64)
        {
            entries = bytes
                .get(offset + 32..offset + 40)
                .and_then(|b| b.try_into().ok())
                .map_or(u64::MAX, u64::from_le_bytes);
        }
    }
    if entries > MAX_ENTRIES {
        return Err(DocxError::TooManyEntries);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_resolve_against_the_part() {
        assert_eq!(join("word", "styles.xml"), "word/styles.xml");
        assert_eq!(join("word", "/word/numbering.xml"), "word/numbering.xml");
        assert_eq!(join("word/sub", "../styles.xml"), "word/styles.xml");
        assert_eq!(join("", "word/document.xml"), "word/document.xml");
        assert_eq!(join("", "./word\\document.xml"), "word/document.xml");
        assert_eq!(rels_of("word/document.xml"), "word/_rels/document.xml.rels");
        assert_eq!(rels_of("document.xml"), "_rels/document.xml.rels");
    }

    #[test]
    fn a_zip_claiming_too_many_entries_is_refused_up_front() {
        let mut bytes = vec![0u8; 10];
        bytes.extend_from_slice(b"PK\x05\x06\0\0\0\0");
        bytes.extend_from_slice(&0xFFFEu16.to_le_bytes());
        bytes.extend_from_slice(&0xFFFEu16.to_le_bytes());
        bytes.extend_from_slice(&[0; 10]);
        assert!(matches!(
            check_entry_count(&bytes),
            Err(DocxError::TooManyEntries)
        ));
        assert!(matches!(
            check_entry_count(b"PK\x03\x04 no directory"),
            Err(DocxError::Corrupt(_))
        ));
    }
}
