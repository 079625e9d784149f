//! Word documents made from report text or from XML snippets — for tests, benchmarks, fuzz
//! seeds and the committed fixtures (`tests/fixtures/docx/generated-*.docx`); no real report is
//! written this way. The bytes are deterministic (fixed entry times), so a fixture can be
//! regenerated and compared.
//!
//! [`report`] turns report text into a document the way a person would have typed it in Word,
//! as `../shared/notes/docx.md` §7 describes: consecutive TAB-row lines become one Word table,
//! and so do consecutive Markdown table rows (`| 规章 | 22 |`, the separator row dropped), a
//! label followed by empty fields before the first number spanning them with `w:gridSpan`, and
//! empty leading fields under such a cell continuing it with `w:vMerge`; `一、…` headings are
//! numbered through a heading style and `（一）…` through direct numbering (`numbering.xml`,
//! Chinese counting), so that neither label is in the text; everything else is a paragraph,
//! its text split into runs at every change between digits and other characters, as Word's
//! editing leaves them.

use std::fmt::Write as _;
use std::io::{Cursor, Write as _};

use zip::ZipWriter;
use zip::write::SimpleFileOptions;

/// How an entry is compressed (the zip crate's type, so that callers need not depend on it).
pub use zip::CompressionMethod as Method;

use super::counting;
use super::xml::{W, W_STRICT};

/// The namespaces a document part declares (the ones test snippets use).
const NAMESPACES: &str = concat!(
    r#" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006""#,
    r#" xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape""#,
    r#" xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing""#,
    r#" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main""#,
    r#" xmlns:v="urn:schemas-microsoft-com:vml""#,
    r#" xmlns:w14="http://schemas.microsoft.com/office/word/2010/wordml""#,
    r#" mc:Ignorable="w14 wps""#,
);

/// How the parts of a document are made.
#[derive(Clone, Debug, Default)]
pub struct Parts {
    /// The content of `w:body`, with the prefix `w:`.
    pub body: String,
    /// The content of `w:styles`, if the document has a styles part.
    pub styles: Option<String>,
    /// The content of `w:numbering`, if the document has a numbering part.
    pub numbering: Option<String>,
    /// Strict OOXML namespaces and relationship types instead of Transitional.
    pub strict: bool,
    /// Compress the entries (deflate) instead of storing them.
    pub deflate: bool,
}

impl Parts {
    pub fn body(body: impl Into<String>) -> Self {
        Parts {
            body: body.into(),
            ..Parts::default()
        }
    }

    /// The .docx file.
    pub fn docx(&self) -> Vec<u8> {
        let (w, rel) = if self.strict {
            (
                W_STRICT,
                "http://purl.oclc.org/ooxml/officeDocument/relationships",
            )
        } else {
            (
                W,
                "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
            )
        };
        let mut entries: Vec<(&str, String)> = Vec::new();
        let mut types = String::from(concat!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
            r#"<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">"#,
            r#"<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>"#,
            r#"<Default Extension="xml" ContentType="application/xml"/>"#,
            r#"<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>"#,
        ));
        let mut doc_rels = String::from(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#,
        );
        for (id, kind, target, content) in [
            ("rId1", "styles", "styles.xml", &self.styles),
            ("rId2", "numbering", "numbering.xml", &self.numbering),
        ] {
            let Some(content) = content else { continue };
            let _ = write!(
                types,
                r#"<Override PartName="/word/{target}" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.{kind}+xml"/>"#
            );
            let _ = write!(
                doc_rels,
                r#"<Relationship Id="{id}" Type="{rel}/{kind}" Target="{target}"/>"#
            );
            entries.push((
                if kind == "styles" { "word/styles.xml" } else { "word/numbering.xml" },
                format!(
                    r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:{kind} xmlns:w="{w}">{content}</w:{kind}>"#
                ),
            ));
        }
        types.push_str("</Types>");
        doc_rels.push_str("</Relationships>");
        let rels = format!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="{rel}/officeDocument" Target="word/document.xml"/></Relationships>"#
        );
        let document = format!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>{}<w:document xmlns:w="{w}"{NAMESPACES}><w:body>{}<w:sectPr><w:pgSz w:w="11906" w:h="16838"/></w:sectPr></w:body></w:document>"#,
            "\n", self.body
        );
        let mut all: Vec<(&str, String)> = vec![
            ("[Content_Types].xml", types),
            ("_rels/.rels", rels),
            ("word/document.xml", document),
            ("word/_rels/document.xml.rels", doc_rels),
        ];
        all.append(&mut entries);
        let method = if self.deflate {
            Method::Deflated
        } else {
            Method::Stored
        };
        zip(all.iter().map(|(n, c)| (*n, c.as_bytes())), method)
    }
}

/// A zip of `entries`, in order, with fixed times (deterministic bytes).
pub fn zip<'a>(entries: impl IntoIterator<Item = (&'a str, &'a [u8])>, method: Method) -> Vec<u8> {
    let mut out = ZipWriter::new(Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default()
        .compression_method(method)
        .last_modified_time(zip::DateTime::DEFAULT);
    for (name, content) in entries {
        // Writing into memory cannot fail but for a duplicate name, which the callers avoid.
        if out.start_file(name, options).is_ok() {
            let _ = out.write_all(content);
        }
    }
    out.finish().map(Cursor::into_inner).unwrap_or_default()
}

/// The entries of a zip, name and content, in order: what [`zip`] was given (for tests that
/// compare a document's parts before and after a change).
pub fn unzip(bytes: &[u8]) -> zip::result::ZipResult<Vec<(String, Vec<u8>)>> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes))?;
    let mut out = Vec::with_capacity(archive.len());
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i)?;
        let mut content = Vec::new();
        std::io::Read::read_to_end(&mut entry, &mut content)?;
        out.push((entry.name()?.to_string(), content));
    }
    Ok(out)
}

/// A document whose body is `body` (paragraphs and tables with the prefix `w:`).
pub fn document(body: &str) -> Vec<u8> {
    Parts::body(body).docx()
}

/// Where a line of the report text went in the document [`report`] built.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Placed {
    /// A paragraph, counted from 1.
    Paragraph(u32),
    /// A table row: table and row counted from 1, and for each field of the line (between TABs,
    /// or between the pipes of a Markdown row) the cell (counted from 1 in the row) that holds
    /// it or covers it, and the row a merge comes from.
    Row {
        table: u32,
        row: u32,
        cells: Vec<(u32, Option<u32>)>,
    },
    /// A Markdown separator row (`|---|---|`): not in the document.
    Omitted,
}

/// A document built from report text, and where each line of the text went.
#[derive(Clone, Debug)]
pub struct Built {
    pub docx: Vec<u8>,
    pub lines: Vec<Placed>,
}

/// A table cell being built.
#[derive(Clone, Debug)]
struct Cell {
    text: String,
    span: usize,
    /// `Some(true)`: starts a vertical merge; `Some(false)`: continues one.
    vmerge: Option<bool>,
    /// The grid column it starts at.
    col: usize,
    /// For a continuation, the row (1-based) the merge started on.
    from: Option<u32>,
}

const STYLES: &str = r#"<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="Times New Roman" w:eastAsia="仿宋_GB2312"/><w:sz w:val="32"/></w:rPr></w:rPrDefault></w:docDefaults><w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style><w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/><w:basedOn w:val="Normal"/><w:pPr><w:jc w:val="center"/></w:pPr><w:rPr><w:rFonts w:eastAsia="方正小标宋简体"/><w:sz w:val="44"/></w:rPr></w:style><w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:basedOn w:val="Normal"/><w:pPr><w:numPr><w:numId w:val="1"/></w:numPr><w:outlineLvl w:val="0"/></w:pPr><w:rPr><w:rFonts w:eastAsia="黑体"/></w:rPr></w:style><w:style w:type="paragraph" w:styleId="Heading2"><w:name w:val="heading 2"/><w:basedOn w:val="Normal"/><w:pPr><w:outlineLvl w:val="1"/></w:pPr><w:rPr><w:rFonts w:eastAsia="楷体_GB2312"/></w:rPr></w:style><w:style w:type="table" w:styleId="TableGrid"><w:name w:val="Table Grid"/><w:tblPr><w:tblBorders><w:top w:val="single" w:sz="4"/><w:left w:val="single" w:sz="4"/><w:bottom w:val="single" w:sz="4"/><w:right w:val="single" w:sz="4"/><w:insideH w:val="single" w:sz="4"/><w:insideV w:val="single" w:sz="4"/></w:tblBorders></w:tblPr></w:style>"#;

const NUMBERING: &str = r#"<w:abstractNum w:abstractNumId="0"><w:multiLevelType w:val="multilevel"/><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:pStyle w:val="Heading1"/><w:suff w:val="nothing"/><w:lvlText w:val="%1、"/><w:lvlJc w:val="left"/></w:lvl><w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%2）"/><w:lvlJc w:val="left"/></w:lvl></w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>"#;

/// Builds a Word document from report text (see the module documentation).
pub fn report(text: &str) -> Built {
    let mut body = String::new();
    let mut lines = Vec::new();
    let mut paragraphs = 0;
    let mut tables = 0;
    let mut h1 = 1;
    let mut h2 = 1;
    let mut titled = false;
    let all: Vec<&str> = text
        .strip_suffix('\n')
        .unwrap_or(text)
        .split('\n')
        .collect();
    let mut i = 0;
    while i < all.len() {
        if let Some(kind) = row_kind(all[i]) {
            let start = i;
            while i < all.len() && row_kind(all[i]) == Some(kind) {
                i += 1;
            }
            let rows: Vec<Option<Vec<&str>>> = all[start..i]
                .iter()
                .map(|line| match kind {
                    RowKind::Tab => Some(line.split('\t').collect()),
                    RowKind::Pipe => pipe_cells(line),
                })
                .collect();
            if rows.iter().all(Option::is_none) {
                lines.extend(rows.iter().map(|_| Placed::Omitted));
                continue;
            }
            tables += 1;
            let kept: Vec<Vec<&str>> = rows.iter().flatten().cloned().collect();
            let (xml, placed) = table(&kept, tables);
            body.push_str(&xml);
            let mut placed = placed.into_iter();
            for row in &rows {
                lines.push(match row {
                    Some(_) => placed.next().unwrap_or(Placed::Omitted),
                    None => Placed::Omitted,
                });
            }
            continue;
        }
        let line = all[i];
        i += 1;
        paragraphs += 1;
        lines.push(Placed::Paragraph(paragraphs));
        let h1_label = format!(
            "{}、",
            counting::format(h1, "chineseCounting").unwrap_or_default()
        );
        let h2_label = format!(
            "（{}）",
            counting::format(h2, "chineseCounting").unwrap_or_default()
        );
        let (props, rest) = if let Some(rest) = line.strip_prefix(&h1_label) {
            h1 += 1;
            h2 = 1;
            (r#"<w:pPr><w:pStyle w:val="Heading1"/></w:pPr>"#, rest)
        } else if let Some(rest) = line.strip_prefix(&h2_label).filter(|_| h1 > 1) {
            h2 += 1;
            (
                r#"<w:pPr><w:pStyle w:val="Heading2"/><w:numPr><w:ilvl w:val="1"/><w:numId w:val="1"/></w:numPr></w:pPr>"#,
                rest,
            )
        } else if !titled && !line.trim().is_empty() {
            titled = true;
            (r#"<w:pPr><w:pStyle w:val="Title"/></w:pPr>"#, line)
        } else {
            ("", line)
        };
        let _ = write!(body, "<w:p>{props}{}</w:p>", runs(rest));
    }
    let docx = Parts {
        body,
        styles: Some(STYLES.to_owned()),
        numbering: Some(NUMBERING.to_owned()),
        strict: false,
        deflate: true,
    }
    .docx();
    Built { docx, lines }
}

/// Runs for `text`, split where digits meet other characters (`收到申请` `26` `件`).
pub fn runs(text: &str) -> String {
    let mut out = String::new();
    let mut start = 0;
    let mut prev: Option<bool> = None;
    for (i, c) in text.char_indices() {
        let digit = c.is_ascii_digit();
        if prev.is_some_and(|p| p != digit) {
            run(&mut out, &text[start..i]);
            start = i;
        }
        prev = Some(digit);
    }
    run(&mut out, &text[start..]);
    out
}

fn run(out: &mut String, text: &str) {
    if !text.is_empty() {
        let _ = write!(
            out,
            r#"<w:r><w:rPr><w:rFonts w:hint="eastAsia"/></w:rPr><w:t xml:space="preserve">{}</w:t></w:r>"#,
            text.replace('&', "&amp;")
                .replace('<', "&lt;")
                .replace('>', "&gt;")
        );
    }
}

/// The two kinds of table-row lines.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum RowKind {
    Tab,
    Pipe,
}

fn row_kind(line: &str) -> Option<RowKind> {
    let t = line.trim();
    if line.contains('\t') {
        Some(RowKind::Tab)
    } else if t.len() > 1 && t.starts_with('|') && t.ends_with('|') {
        Some(RowKind::Pipe)
    } else {
        None
    }
}

/// The cells of a Markdown table row, trimmed; `None` for a separator row (`|---|:--:|`).
fn pipe_cells(line: &str) -> Option<Vec<&str>> {
    let t = line.trim();
    let inner = t.get(1..t.len() - 1).unwrap_or_default();
    let cells: Vec<&str> = inner.split('|').map(str::trim).collect();
    let separator = cells
        .iter()
        .all(|c| !c.is_empty() && c.chars().all(|ch| matches!(ch, '-' | ':')));
    (!separator).then_some(cells)
}

/// Whether a field holds a number (the values of a table row).
fn numeric(field: &str) -> bool {
    let f = field.trim();
    !f.is_empty()
        && f.chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | ',' | '-' | '+'))
        && f.chars().any(|c| c.is_ascii_digit())
}

/// A Word table from rows of fields, with merges inferred, and where each row went.
fn table(lines: &[Vec<&str>], number: u32) -> (String, Vec<Placed>) {
    let mut rows: Vec<Vec<Cell>> = Vec::new();
    for (r, fields) in lines.iter().enumerate() {
        let first_number = fields
            .iter()
            .position(|f| numeric(f))
            .unwrap_or(fields.len());
        let mut cells: Vec<Cell> = Vec::new();
        let mut col = 0;
        while col < fields.len() {
            let text = fields[col];
            // Empty label fields at the start: continue the merged cell above, if one starts here.
            if text.is_empty()
                && col < first_number
                && cells
                    .iter()
                    .all(|c| c.text.is_empty() && c.vmerge == Some(false))
            {
                let above = rows
                    .last()
                    .and_then(|row| row.iter().position(|c| c.col == col));
                if let Some(k) = above {
                    let span = rows.last().map_or(1, |row| row[k].span);
                    let fits = col + span <= first_number
                        && fields[col..col + span].iter().all(|f| f.is_empty());
                    if fits {
                        let from = match rows.last().map(|row| &row[k]) {
                            Some(c) if c.vmerge == Some(false) => c.from,
                            _ => Some(r as u32),
                        };
                        if let Some(c) = rows.last_mut().map(|row| &mut row[k])
                            && c.vmerge.is_none()
                        {
                            c.vmerge = Some(true);
                        }
                        cells.push(Cell {
                            text: String::new(),
                            span,
                            vmerge: Some(false),
                            col,
                            from,
                        });
                        col += span;
                        continue;
                    }
                }
            }
            // A label spans the empty fields after it, up to the first number.
            let mut span = 1;
            if !text.is_empty() && col < first_number {
                while col + span < first_number && fields[col + span].is_empty() {
                    span += 1;
                }
            }
            cells.push(Cell {
                text: text.to_owned(),
                span,
                vmerge: None,
                col,
                from: None,
            });
            col += span;
        }
        rows.push(cells);
    }
    let columns = lines.iter().map(Vec::len).max().unwrap_or(1);
    let mut xml = String::from(
        r#"<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:w="0" w:type="auto"/></w:tblPr><w:tblGrid>"#,
    );
    for _ in 0..columns {
        xml.push_str(r#"<w:gridCol w:w="1000"/>"#);
    }
    xml.push_str("</w:tblGrid>");
    let mut placed = Vec::new();
    for (r, cells) in rows.iter().enumerate() {
        xml.push_str("<w:tr>");
        let mut fields = Vec::new();
        for (c, cell) in cells.iter().enumerate() {
            let mut props = String::from(r#"<w:tcW w:w="1000" w:type="dxa"/>"#);
            if cell.span > 1 {
                let _ = write!(props, r#"<w:gridSpan w:val="{}"/>"#, cell.span);
            }
            match cell.vmerge {
                Some(true) => props.push_str(r#"<w:vMerge w:val="restart"/>"#),
                Some(false) => props.push_str("<w:vMerge/>"),
                None => {}
            }
            let para = if cell.text.is_empty() {
                "<w:p/>".to_owned()
            } else {
                format!(
                    r#"<w:p><w:pPr><w:jc w:val="center"/></w:pPr>{}</w:p>"#,
                    runs(&cell.text)
                )
            };
            let _ = write!(xml, "<w:tc><w:tcPr>{props}</w:tcPr>{para}</w:tc>");
            let from = if cell.vmerge == Some(false) {
                cell.from
            } else {
                None
            };
            for k in 0..cell.span {
                fields.push((
                    c as u32 + 1,
                    if k == 0 || from.is_some() { from } else { None },
                ));
            }
        }
        xml.push_str("</w:tr>");
        placed.push(Placed::Row {
            table: number,
            row: r as u32 + 1,
            cells: fields,
        });
    }
    xml.push_str("</w:tbl>");
    (xml, placed)
}
