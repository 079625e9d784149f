//! Which kind of file an input is, by its first bytes — never by its name: portals serve
//! `.doc` files that are HTML, RTF or .docx, and people rename files. Each kind nianbao cannot
//! read gets its own message, in Chinese, saying what to do instead.

/// What a file is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// Report text (anything not recognised below).
    Text,
    /// A zip: a .docx, or another zip-based format (the Word reader tells which).
    Zip,
    /// An OLE2 compound file: Word 97–2003 `.doc`, WPS `.wps`, an encrypted Office document, an
    /// old Excel or PowerPoint file.
    Ole2(Ole2),
    Rtf,
    /// An HTML page (also one saved by Word as `.doc`).
    Html,
    /// A single-file web archive (`.mht`, also saved as `.doc`).
    Mht,
    /// Word 2003 XML or a flat OPC package (one XML file).
    WordXml,
}

/// What an OLE2 compound file holds, as far as its stream names tell.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ole2 {
    /// A Word 97–2003 or WPS document.
    Word,
    /// An encrypted Office Open XML document (a password-protected .docx).
    Encrypted,
    Excel,
    PowerPoint,
    Other,
}

const OLE2_MAGIC: &[u8] = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";

/// The kind of `bytes`.
pub fn sniff(bytes: &[u8]) -> Kind {
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
        return Kind::Zip;
    }
    if bytes.starts_with(OLE2_MAGIC) {
        return Kind::Ole2(ole2(bytes));
    }
    let head = text_head(bytes);
    if head.starts_with("{\\rtf") {
        return Kind::Rtf;
    }
    if head.starts_with("mime-version:")
        || head.contains("\nmime-version:") && head.contains("multipart/related")
    {
        return Kind::Mht;
    }
    let tag_start = head.trim_start_matches(|c: char| c.is_whitespace());
    if tag_start.starts_with("<!doctype html") || tag_start.starts_with("<html") {
        return Kind::Html;
    }
    if tag_start.starts_with("<?xml") {
        if head.contains("<html") {
            return Kind::Html;
        }
        if head.contains("w:worddocument")
            || head.contains("<pkg:package")
            || head.contains("progid=\"word.document\"")
        {
            return Kind::WordXml;
        }
    }
    Kind::Text
}

/// The first kilobyte, as lowercase text, without a byte-order mark (UTF-8, or UTF-16 with
/// every other byte dropped, which keeps ASCII).
fn text_head(bytes: &[u8]) -> String {
    let head = &bytes[..bytes.len().min(1024)];
    let ascii: Vec<u8> = if head.starts_with(b"\xFF\xFE") || head.starts_with(b"\xFE\xFF") {
        head[2..].iter().copied().filter(|&b| b != 0).collect()
    } else {
        head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head).to_vec()
    };
    // ASCII only: every mark looked for is ASCII, and lowering a kilobyte of Chinese through
    // Unicode's tables cost more than the rest of the sniffing.
    String::from_utf8_lossy(&ascii).to_ascii_lowercase()
}

/// The stream names of a compound file are UTF-16LE in its directory sectors: finding them is
/// enough to tell the kinds apart without parsing the container.
fn ole2(bytes: &[u8]) -> Ole2 {
    let has = |name: &str| {
        let needle: Vec<u8> = name.encode_utf16().flat_map(u16::to_le_bytes).collect();
        bytes.windows(needle.len()).any(|w| w == needle.as_slice())
    };
    if has("EncryptedPackage") {
        Ole2::Encrypted
    } else if has("WordDocument") {
        Ole2::Word
    } else if has("Workbook") || has("Book") {
        Ole2::Excel
    } else if has("PowerPoint Document") {
        Ole2::PowerPoint
    } else {
        Ole2::Other
    }
}

/// Why a file of this kind is not read, naming the file (`name`) where advice needs it; `None`
/// for the kinds that are read (text, a zip, an HTML page).
pub fn refusal(kind: Kind, name: &str) -> Option<String> {
    let convert = format!(
        "请在 Word/WPS 中“另存为 .docx”，或运行：soffice --headless --convert-to docx {}",
        shell_word(name)
    );
    Some(match kind {
        Kind::Text | Kind::Zip | Kind::Html => return None,
        Kind::Ole2(Ole2::Word) => format!(
            "是 Word 97-2003 二进制文档（.doc/.wps），nianbao 只能读取 .docx：{convert}"
        ),
        Kind::Ole2(Ole2::Encrypted) => "文档有密码保护（加密的 Word 文档），nianbao 无法读取：请在 Word/WPS 中取消密码，再另存为 .docx".to_owned(),
        Kind::Ole2(Ole2::Excel) => "是 Excel 97-2003 工作簿（.xls），不是 Word 文档".to_owned(),
        Kind::Ole2(Ole2::PowerPoint) => "是 PowerPoint 97-2003 演示文稿（.ppt），不是 Word 文档".to_owned(),
        Kind::Ole2(Ole2::Other) => format!(
            "是 Office 97-2003 格式（OLE2 复合文档）或有密码保护的文档，nianbao 只能读取 .docx：若有密码请先取消，{convert}"
        ),
        Kind::Rtf => format!("是 RTF 文档，nianbao 只能读取 .docx：{convert}"),
        Kind::Mht => "是单个文件网页（MHT/MHTML，扩展名可能是 .doc），nianbao 不能读取：请在浏览器中另存为“网页，仅 HTML”，或在 Word/WPS 中打开后“另存为 .docx”".to_owned(),
        Kind::WordXml => format!("是 Word 2003 XML 文档（单个 XML 文件），nianbao 只能读取 .docx：{convert}"),
    })
}

/// `name` as one word of a shell command line (quoted when it needs to be).
fn shell_word(name: &str) -> String {
    let plain = !name.is_empty()
        && name
            .chars()
            .all(|c| !c.is_ascii() || c.is_ascii_alphanumeric() || "._-/+,:@%".contains(c));
    if plain {
        name.to_owned()
    } else {
        format!("'{}'", name.replace('\'', r"'\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ole(streams: &[&str]) -> Vec<u8> {
        let mut bytes = OLE2_MAGIC.to_vec();
        bytes.extend_from_slice(&[0; 504]);
        for s in streams {
            bytes.extend(s.encode_utf16().flat_map(u16::to_le_bytes));
            bytes.extend_from_slice(&[0; 10]);
        }
        bytes
    }

    #[test]
    fn kinds_by_content() {
        assert_eq!(sniff(b"PK\x03\x04rest"), Kind::Zip);
        assert_eq!(
            sniff(&ole(&["Root Entry", "WordDocument", "1Table"])),
            Kind::Ole2(Ole2::Word)
        );
        assert_eq!(
            sniff(&ole(&["EncryptionInfo", "EncryptedPackage"])),
            Kind::Ole2(Ole2::Encrypted)
        );
        assert_eq!(sniff(&ole(&["Workbook"])), Kind::Ole2(Ole2::Excel));
        assert_eq!(sniff(&ole(&["x"])), Kind::Ole2(Ole2::Other));
        assert_eq!(sniff(b"{\\rtf1\\ansi x}"), Kind::Rtf);
        assert_eq!(sniff(b"\xEF\xBB\xBF  <!DOCTYPE HTML><p>"), Kind::Html);
        assert_eq!(
            sniff(b"<html xmlns:o=\"urn:schemas-microsoft-com:office:office\">"),
            Kind::Html
        );
        assert_eq!(sniff(b"<?xml version=\"1.0\"?>\n<html>"), Kind::Html);
        assert_eq!(sniff(b"\xFF\xFE<\0h\0t\0m\0l\0>\0"), Kind::Html);
        assert_eq!(
            sniff(b"MIME-Version: 1.0\nContent-Type: multipart/related;"),
            Kind::Mht
        );
        assert_eq!(
            sniff(b"<?xml version=\"1.0\"?><?mso-application progid=\"Word.Document\"?><w:wordDocument>"),
            Kind::WordXml
        );
        assert_eq!(sniff("一、总体情况\n".as_bytes()), Kind::Text);
        assert_eq!(
            sniff(b"<!-- nianbao-disable cell-empty: x -->\n"),
            Kind::Text
        );
        assert_eq!(sniff(b""), Kind::Text);
    }

    #[test]
    fn refusals_say_what_to_do() {
        let doc = refusal(Kind::Ole2(Ole2::Word), "报告 2023.doc").unwrap_or_default();
        assert!(doc.contains("Word 97-2003"), "{doc}");
        assert!(
            doc.ends_with("soffice --headless --convert-to docx '报告 2023.doc'"),
            "{doc}"
        );
        let doc = refusal(Kind::Rtf, "年报.doc").unwrap_or_default();
        assert!(doc.ends_with("--convert-to docx 年报.doc"), "{doc}");
        assert!(
            refusal(Kind::Ole2(Ole2::Encrypted), "a")
                .unwrap_or_default()
                .contains("密码")
        );
        assert_eq!(refusal(Kind::Text, "a"), None);
        assert_eq!(refusal(Kind::Zip, "a"), None);
        assert_eq!(refusal(Kind::Html, "a"), None);
        assert_eq!(shell_word("it's"), r"'it'\''s'");
    }
}
