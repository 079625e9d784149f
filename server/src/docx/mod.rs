//! Word documents (.docx): the report text read out of one, with the place in the document
//! every line and field came from, and fixes written back into the cells they change.
//!
//! Pure: bytes in, text and a source map out ([`read`]); a document and a fixed text in, the new
//! document's bytes out ([`Document::fix`]). No IO. The reading rules and the measurements behind
//! them are in `../shared/notes/docx.md`:
//!
//! - [`package`]: the zip and its parts, read through size caps;
//! - [`body`], [`table`]: the walk, paragraph by paragraph and row by row, to the text layout the
//!   model reads (`layouts.md` 1a) and its [`crate::extract::SourceMap`];
//! - [`numbering`], [`counting`], [`styles`]: automatic numbers (`一、`, `（一）`) rendered as
//!   text;
//! - [`write`]: a fixed text back into the `w:t` elements it changes, every other byte kept;
//! - [`build`]: a Word document made from report text (tests, benchmarks, fixtures).

mod body;
pub mod build;
mod counting;
mod numbering;
mod package;
mod styles;
mod table;
mod write;
mod xml;

use std::fmt;

use crate::extract::Extracted;

pub use write::{Change, FixError, Fixed};

/// Why a file could not be read as a Word document. Displayed in Chinese, for the user.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DocxError {
    /// Not a readable zip, or a part of it is damaged.
    Corrupt(String),
    /// A part decompresses to more than the reader takes (a zip bomb, or not a report).
    TooLarge {
        part: String,
        limit_mb: u64,
    },
    TooManyEntries,
    /// Compressed other than by deflate (or stored).
    Unsupported,
    /// Encrypted zip entries.
    Encrypted,
    /// A zip, but not a Word document: what it is instead.
    NotWord(&'static str),
    Xml {
        part: String,
        reason: String,
    },
    /// A part is not UTF-8.
    Encoding(String),
    /// Nested deeper than [`body::MAX_DEPTH`].
    TooDeep,
}

impl fmt::Display for DocxError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DocxError::Corrupt(why) => write!(f, "Word 文档（.docx）已损坏或不完整：{why}"),
            DocxError::TooLarge { part, limit_mb } => write!(
                f,
                "Word 文档中的 {part} 解压后超过 {limit_mb} MB，未读取（不像年报，或是恶意构造的压缩包）"
            ),
            DocxError::TooManyEntries => write!(
                f,
                "zip 压缩包中的文件超过 {} 个，不像 Word 文档，未读取",
                package::MAX_ENTRIES
            ),
            DocxError::Unsupported => write!(
                f,
                "Word 文档使用了不支持的压缩方式（只支持 deflate）：请在 Word/WPS 中重新“另存为 .docx”"
            ),
            DocxError::Encrypted => write!(f, "压缩包内容已加密：请先取消密码，再另存为 .docx"),
            DocxError::NotWord(what) => write!(
                f,
                "是{what}，不是 Word 文档：请把年报另存为 .docx，或导出为文本后再检查"
            ),
            DocxError::Xml { part, reason } => {
                write!(f, "Word 文档中的 {part} 不是有效的 XML（{reason}）")
            }
            DocxError::Encoding(part) => {
                write!(f, "Word 文档中的 {part} 不是 UTF-8 编码，无法读取")
            }
            DocxError::TooDeep => {
                write!(f, "Word 文档的结构嵌套超过 {} 层，未读取", body::MAX_DEPTH)
            }
        }
    }
}

impl std::error::Error for DocxError {}

/// What the reader noticed about a document that the user should know: the checked text is
/// not simply what is on the page.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Notes {
    /// Tracked changes (insertions, deletions): the text is read with all of them accepted.
    pub tracked_changes: bool,
    /// Embedded foreign content (`w:altChunk`: HTML, another document), which is not read.
    pub alt_chunk: bool,
}

impl Notes {
    /// The notes in Chinese, one per item.
    pub fn messages(&self) -> Vec<&'static str> {
        let mut out = Vec::new();
        if self.tracked_changes {
            out.push("文档含修订标记：按接受全部修订后的文本检查");
        }
        if self.alt_chunk {
            out.push("文档嵌入了其他格式的内容（altChunk，如粘贴的网页），这部分未读取");
        }
        out
    }
}

/// A Word document as read: the extracted text and its source map, and what a fix needs to
/// write back.
#[derive(Clone, Debug)]
pub struct Document {
    pub extracted: Extracted,
    pub notes: Notes,
    /// Every `w:t` read, in text order.
    pieces: Vec<body::Piece>,
    /// The lines and fields a fix may change, in text order.
    units: Vec<body::Unit>,
    parts: package::Parts,
}

/// Reads a .docx file's bytes.
pub fn read(bytes: &[u8]) -> Result<Document, DocxError> {
    let parts = package::open(bytes)?;
    let walked = walk(&parts.document, &parts)?;
    Ok(Document {
        extracted: walked.extracted,
        notes: walked.notes,
        pieces: walked.pieces,
        units: walked.units,
        parts,
    })
}

struct Walked {
    extracted: Extracted,
    notes: Notes,
    pieces: Vec<body::Piece>,
    units: Vec<body::Unit>,
}

/// Reads the main document part `document` with the styles and numbering of `parts`.
fn walk(document: &str, parts: &package::Parts) -> Result<Walked, DocxError> {
    let styles = match &parts.styles {
        Some(text) => styles::Styles::parse(text, "styles.xml")?,
        None => styles::Styles::default(),
    };
    let numbering = match &parts.numbering {
        Some(text) => numbering::Numbering::parse(text, "numbering.xml")?,
        None => numbering::Numbering::default(),
    };
    let doc = xml::parse(document, &parts.document_name)?;
    let root = doc.root_element();
    let Some(body) = xml::is(root, "document")
        .then(|| xml::child(root, "body"))
        .flatten()
    else {
        return Err(DocxError::Xml {
            part: parts.document_name.clone(),
            reason: "没有 w:document/w:body".to_owned(),
        });
    };
    let mut walker = body::Walker::new(document, &styles, numbering);
    walker.blocks(body, &mut body::Sink::Body { text_box: false }, 0)?;
    Ok(Walked {
        extracted: walker.out.finish(),
        notes: walker.notes,
        pieces: walker.pieces,
        units: walker.units,
    })
}

#[cfg(test)]
mod tests;
