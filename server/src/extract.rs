//! Text read out of another document format (a Word document, later a saved web page), and where
//! every piece of it came from.
//!
//! A reader turns its document into the text layout the model already reads (`layouts.md` 1a:
//! one paragraph per line, one table row per line with TAB-separated fields on the table grid)
//! and records, for each line, the paragraph or the table row it came from and, for each field
//! of a row, the cell. Checks run on [`Extracted::text`] like on any report; an edge maps a
//! diagnostic's byte range back with [`SourceMap::locate`] to name the place in the document
//! ("Word 表格 2 第 12 行 第 8 格").
//!
//! Nothing here knows a file format: the reader names its [`Kind`] and fills in the numbers.

use std::fmt::Write as _;
use std::ops::Range;

use serde::Serialize;

/// Which kind of document the text came from: what its coordinates are called.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Kind {
    /// A Word document (.docx): JSON key `"word"`, human `Word 表格 2 …`.
    Word,
    /// A web page: JSON key `"html"`, human `网页表格 2 …`.
    Html,
}

impl Kind {
    /// The key of the location object in JSON output (interface.md).
    pub fn json_key(self) -> &'static str {
        match self {
            Kind::Word => "word",
            Kind::Html => "html",
        }
    }

    /// How places in such a document are introduced in messages.
    fn noun(self) -> &'static str {
        match self {
            Kind::Word => "Word ",
            Kind::Html => "网页",
        }
    }
}

/// Where a paragraph line came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParagraphOrigin {
    /// Paragraphs outside tables, counted from 1 in document order.
    pub paragraph: u32,
    /// Byte offset of the paragraph's element in the document's source (the XML), when the
    /// reader's parser gives positions (the HTML parser does not).
    pub offset: Option<usize>,
    /// The part of the line the reader generated (an automatic number such as `一、`), as a
    /// range of the extracted text: it is not text of the document.
    pub label: Option<Range<usize>>,
    /// The paragraph stands in a text box (anchored at the paragraph before it).
    pub text_box: bool,
}

/// Where one field of a table-row line came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldOrigin {
    /// The field's text in the extracted text (between TABs).
    pub range: Range<usize>,
    /// The cell of the row, counted from 1 as the document counts them (a merged cell is one
    /// cell): the one whose text this is, or which covers this grid position.
    pub cell: u32,
    /// The grid column, counted from 1 (the field's position in the line).
    pub column: u32,
    /// The field is covered by a cell merged from a row above (its text is on that row, counted
    /// from 1), and is empty here.
    pub merged_from: Option<u32>,
    /// Byte offset of the cell's element in the document's source, when known.
    pub offset: Option<usize>,
}

/// Where a table-row line came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RowOrigin {
    /// Tables counted from 1 in document order.
    pub table: u32,
    /// Rows of the table counted from 1.
    pub row: u32,
    /// Byte offset of the row's element in the document's source, when known.
    pub offset: Option<usize>,
    /// One per field of the line, in order.
    pub fields: Vec<FieldOrigin>,
}

/// Where one line of the extracted text came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LineOrigin {
    Paragraph(ParagraphOrigin),
    Row(RowOrigin),
}

/// One line of the extracted text (its range excludes the line feed) and its origin.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Line {
    pub range: Range<usize>,
    pub origin: LineOrigin,
}

/// The origin of every line of an extracted text, in order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SourceMap {
    pub kind: Kind,
    pub lines: Vec<Line>,
}

/// A text read from a document, with where each line came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Extracted {
    /// Every line ends with a line feed.
    pub text: String,
    pub map: SourceMap,
}

impl Extracted {
    /// Whether the text and its map agree (a reader's invariant, asserted by the fuzz targets):
    /// one line per line of the text, in order, every line ending with a line feed and holding
    /// none; a row's fields inside it and joined by TABs giving it, cells and columns counted
    /// from 1; every line's ends located. The first violation, described, otherwise.
    pub fn check(&self) -> Result<(), String> {
        let text = &self.text;
        let mut at = 0;
        for (i, line) in self.map.lines.iter().enumerate() {
            if line.range.start != at || line.range.end > text.len() {
                return Err(format!(
                    "line {i}: range {:?}, expected to start at {at}",
                    line.range
                ));
            }
            let content = text
                .get(line.range.clone())
                .ok_or_else(|| format!("line {i}: not on character boundaries"))?;
            if content.contains('\n') || text.as_bytes().get(line.range.end) != Some(&b'\n') {
                return Err(format!("line {i}: not one line ending with a line feed"));
            }
            at = line.range.end + 1;
            if let LineOrigin::Row(row) = &line.origin {
                let fields: Option<Vec<&str>> = row
                    .fields
                    .iter()
                    .map(|f| text.get(f.range.clone()))
                    .collect();
                if fields.map(|f| f.join("\t")).as_deref() != Some(content) {
                    return Err(format!("line {i}: the fields do not make the line"));
                }
                if row.fields.iter().any(|f| f.cell == 0 || f.column == 0)
                    || row.table == 0
                    || row.row == 0
                {
                    return Err(format!("line {i}: a count from 0"));
                }
            }
            if self.map.locate(line.range.start).is_none()
                || self.map.locate(line.range.end).is_none()
            {
                return Err(format!("line {i}: not located"));
            }
        }
        if at != text.len() {
            return Err(format!(
                "text after the last line (at {at} of {})",
                text.len()
            ));
        }
        Ok(())
    }
}

/// A place in the original document.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum Location {
    Paragraph {
        paragraph: u32,
        #[serde(skip)]
        generated: bool,
        #[serde(skip)]
        text_box: bool,
    },
    Cell {
        table: u32,
        row: u32,
        cell: u32,
        #[serde(skip)]
        merged_from: Option<u32>,
    },
}

impl Location {
    /// In Chinese: `Word 表格 2 第 12 行 第 8 格`, `Word 第 31 段（自动编号）`.
    pub fn describe(&self, kind: Kind) -> String {
        let noun = kind.noun();
        match *self {
            Location::Paragraph {
                paragraph,
                generated,
                text_box,
            } => {
                let mut out = format!("{noun}第 {paragraph} 段");
                let notes: Vec<&str> = [(text_box, "文本框"), (generated, "自动编号")]
                    .into_iter()
                    .filter_map(|(on, note)| on.then_some(note))
                    .collect();
                if !notes.is_empty() {
                    let _ = write!(out, "（{}）", notes.join("，"));
                }
                out
            }
            Location::Cell {
                table,
                row,
                cell,
                merged_from,
            } => {
                let mut out = format!("{noun}表格 {table} 第 {row} 行 第 {cell} 格");
                if let Some(from) = merged_from {
                    let _ = write!(out, "（合并单元格，内容在第 {from} 行）");
                }
                out
            }
        }
    }
}

impl Line {
    /// In Chinese: `Word 表格 2 第 12 行`, `Word 第 31 段`.
    pub fn describe(&self, kind: Kind) -> String {
        let noun = kind.noun();
        match &self.origin {
            LineOrigin::Paragraph(p) => format!("{noun}第 {} 段", p.paragraph),
            LineOrigin::Row(r) => format!("{noun}表格 {} 第 {} 行", r.table, r.row),
        }
    }
}

impl SourceMap {
    /// The place of the document that holds byte `offset` of the extracted text. An offset on a
    /// line feed, or at the very end, belongs to the line before it; an offset on the TAB after a
    /// field, to that field. `None` only when there is no line at all.
    pub fn locate(&self, offset: usize) -> Option<Location> {
        let index = self
            .lines
            .partition_point(|line| line.range.end < offset)
            .min(self.lines.len().checked_sub(1)?);
        let line = &self.lines[index];
        Some(match &line.origin {
            LineOrigin::Paragraph(p) => Location::Paragraph {
                paragraph: p.paragraph,
                generated: p
                    .label
                    .as_ref()
                    .is_some_and(|label| label.contains(&offset)),
                text_box: p.text_box,
            },
            LineOrigin::Row(row) => {
                let at = row.fields.partition_point(|f| f.range.start <= offset);
                let field = row.fields.get(at.saturating_sub(1))?;
                Location::Cell {
                    table: row.table,
                    row: row.row,
                    cell: field.cell,
                    merged_from: field.merged_from,
                }
            }
        })
    }

    /// The line of the extracted text at `index` (0-based), if any.
    pub fn line(&self, index: usize) -> Option<&Line> {
        self.lines.get(index)
    }
}

/// Builds an extracted text line by line, recording the origins.
#[derive(Debug)]
pub struct Builder {
    text: String,
    lines: Vec<Line>,
    kind: Kind,
}

/// A field of a row as a reader hands it to [`Builder::row`]: its text and cell, without the
/// range (the builder computes it).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Field {
    pub text: String,
    pub cell: u32,
    pub column: u32,
    pub merged_from: Option<u32>,
    pub offset: Option<usize>,
}

impl Builder {
    pub fn new(kind: Kind) -> Self {
        Self {
            text: String::new(),
            lines: Vec::new(),
            kind,
        }
    }

    /// The length of the text so far: where the next line starts.
    pub fn len(&self) -> usize {
        self.text.len()
    }

    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }

    /// Appends a paragraph line. `text` must not hold a line feed; `label_len` bytes at its start
    /// were generated by the reader (an automatic number).
    pub fn paragraph(
        &mut self,
        text: &str,
        paragraph: u32,
        offset: Option<usize>,
        label_len: usize,
        text_box: bool,
    ) {
        debug_assert!(!text.contains('\n'), "a line holds no line feed");
        let start = self.text.len();
        self.text.push_str(text);
        let end = self.text.len();
        self.text.push('\n');
        let label = (label_len > 0).then(|| start..start + label_len.min(text.len()));
        self.lines.push(Line {
            range: start..end,
            origin: LineOrigin::Paragraph(ParagraphOrigin {
                paragraph,
                offset,
                label,
                text_box,
            }),
        });
    }

    /// Appends a table-row line: the fields joined by TABs. A field must hold no TAB and no line
    /// feed. A row without cells (`<tr></tr>`) gets one empty field, so that every place of the
    /// line is in a cell. Returns where each field starts in the text.
    pub fn row(
        &mut self,
        table: u32,
        row: u32,
        offset: Option<usize>,
        mut fields: Vec<Field>,
    ) -> Vec<usize> {
        if fields.is_empty() {
            fields.push(Field {
                text: String::new(),
                cell: 1,
                column: 1,
                merged_from: None,
                offset,
            });
        }
        let start = self.text.len();
        let mut origins = Vec::with_capacity(fields.len());
        for (i, field) in fields.into_iter().enumerate() {
            debug_assert!(!field.text.contains(['\t', '\n']), "a field holds no TAB");
            if i > 0 {
                self.text.push('\t');
            }
            let at = self.text.len();
            self.text.push_str(&field.text);
            origins.push(FieldOrigin {
                range: at..self.text.len(),
                cell: field.cell,
                column: field.column,
                merged_from: field.merged_from,
                offset: field.offset,
            });
        }
        let end = self.text.len();
        self.text.push('\n');
        let starts = origins.iter().map(|f| f.range.start).collect();
        self.lines.push(Line {
            range: start..end,
            origin: LineOrigin::Row(RowOrigin {
                table,
                row,
                offset,
                fields: origins,
            }),
        });
        starts
    }

    pub fn finish(self) -> Extracted {
        Extracted {
            text: self.text,
            map: SourceMap {
                kind: self.kind,
                lines: self.lines,
            },
        }
    }
}

/// A CJK ideograph or a full-width form. Readers join the paragraphs of a table cell with
/// nothing between two such characters (`本年新` + `制作数量`) and a space elsewhere, as
/// copy-as-text does.
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x2E80..=0x2FDF | 0x3000..=0x303F | 0x3040..=0x30FF | 0x3100..=0x312F | 0x3190..=0x31FF
        | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0xFE30..=0xFE4F
        | 0xFF00..=0xFFEF | 0x20000..=0x3FFFF)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(text: &str, cell: u32, column: u32, merged_from: Option<u32>) -> Field {
        Field {
            text: text.into(),
            cell,
            column,
            merged_from,
            offset: None,
        }
    }

    fn sample() -> Extracted {
        let mut b = Builder::new(Kind::Word);
        b.paragraph("一、总体情况", 1, Some(10), "一、".len(), false);
        b.row(
            1,
            1,
            Some(20),
            vec![
                field("行政复议", 1, 1, None),
                field("", 1, 2, None),
                field("12", 2, 3, None),
            ],
        );
        b.row(
            1,
            2,
            Some(30),
            vec![
                field("", 1, 1, Some(1)),
                field("", 1, 2, Some(1)),
                field("3", 2, 3, None),
            ],
        );
        b.paragraph("", 2, Some(40), 0, true);
        b.finish()
    }

    #[test]
    fn lines_and_fields_have_their_ranges() {
        let e = sample();
        assert_eq!(e.text, "一、总体情况\n行政复议\t\t12\n\t\t3\n\n");
        for line in &e.map.lines {
            assert!(!e.text[line.range.clone()].contains('\n'));
            if let LineOrigin::Row(row) = &line.origin {
                let fields: Vec<&str> = row
                    .fields
                    .iter()
                    .map(|f| &e.text[f.range.clone()])
                    .collect();
                assert_eq!(fields.join("\t"), &e.text[line.range.clone()]);
            }
        }
    }

    #[test]
    fn offsets_locate_their_paragraph_or_cell() {
        let e = sample();
        let map = &e.map;
        let at = |s: &str| e.text.find(s).unwrap_or(usize::MAX);
        assert_eq!(
            map.locate(0),
            Some(Location::Paragraph {
                paragraph: 1,
                generated: true,
                text_box: false
            })
        );
        assert_eq!(
            map.locate(at("总体")).map(|l| l.describe(Kind::Word)),
            Some("Word 第 1 段".into())
        );
        // The line feed belongs to the line before it.
        assert_eq!(map.locate(at("\n行政")), map.locate(at("总体")));
        let cell = |offset| map.locate(offset).map(|l| l.describe(Kind::Word));
        assert_eq!(cell(at("12")), Some("Word 表格 1 第 1 行 第 2 格".into()));
        assert_eq!(cell(at("复议")), Some("Word 表格 1 第 1 行 第 1 格".into()));
        // An empty field, then the TAB before a field: the field after it.
        let second = at("\t\t3");
        assert_eq!(
            cell(second),
            Some("Word 表格 1 第 2 行 第 1 格（合并单元格，内容在第 1 行）".into())
        );
        assert_eq!(cell(second + 2), Some("Word 表格 1 第 2 行 第 2 格".into()));
        assert_eq!(
            map.locate(e.text.len()).map(|l| l.describe(Kind::Html)),
            Some("网页第 2 段（文本框）".into())
        );
        let json = serde_json::to_value(map.locate(at("12"))).unwrap_or_default();
        assert_eq!(json, serde_json::json!({"table": 1, "row": 1, "cell": 2}));
        let json = serde_json::to_value(map.locate(0)).unwrap_or_default();
        assert_eq!(json, serde_json::json!({"paragraph": 1}));
    }

    #[test]
    fn lines_are_described_by_paragraph_or_row() {
        let e = sample();
        let described: Vec<String> = e.map.lines.iter().map(|l| l.describe(Kind::Word)).collect();
        assert_eq!(
            described,
            [
                "Word 第 1 段",
                "Word 表格 1 第 1 行",
                "Word 表格 1 第 2 行",
                "Word 第 2 段"
            ]
        );
    }

    #[test]
    fn a_consistent_map_checks_and_a_broken_one_does_not() {
        let mut e = sample();
        assert_eq!(e.check(), Ok(()));
        e.text.push_str("tail");
        assert!(e.check().is_err());
        let mut e = sample();
        if let Some(Line {
            origin: LineOrigin::Row(row),
            ..
        }) = e.map.lines.get_mut(1)
        {
            row.fields.pop();
        }
        assert_eq!(
            e.check(),
            Err("line 1: the fields do not make the line".into())
        );
    }

    /// Regression (html fuzz target): a row without cells made a line no offset located.
    #[test]
    fn a_row_without_cells_has_one_empty_field() {
        let mut b = Builder::new(Kind::Html);
        b.row(1, 1, None, Vec::new());
        let e = b.finish();
        assert_eq!(e.text, "\n");
        assert_eq!(e.check(), Ok(()));
        assert_eq!(
            e.map.locate(0),
            Some(Location::Cell {
                table: 1,
                row: 1,
                cell: 1,
                merged_from: None
            })
        );
    }

    #[test]
    fn an_empty_map_locates_nothing() {
        let e = Builder::new(Kind::Word).finish();
        assert_eq!(e.map.locate(0), None);
    }
}
