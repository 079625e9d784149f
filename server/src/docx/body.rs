//! The walk over `w:body`: blocks in document order, paragraphs and their runs, as Word shows
//! the document with every tracked change accepted.
//!
//! - blocks: `w:p`, `w:tbl`, and what wraps them (`w:sdt`/`w:sdtContent`, `w:customXml`);
//!   `w:sectPr` and anything else is skipped;
//! - runs: `w:t`, `w:tab` (TAB), `w:br`/`w:cr` (a new line with the same origin; page and
//!   column breaks are dropped), `w:noBreakHyphen`, `w:sym`; inserted and moved-to text
//!   (`w:ins`, `w:moveTo`) is read, deleted and moved-from text (`w:del`, `w:moveFrom`) is not;
//!   of a field, the result as last saved (`w:fldSimple`'s runs, what follows `separate`), not
//!   its instruction; hidden runs (`w:vanish`, directly or through a style) are dropped;
//! - text boxes (`w:txbxContent`) are read once — from `mc:Choice`, never from its VML copy in
//!   `mc:Fallback` — as paragraphs right after the paragraph they are anchored in.
//!
//! Every `w:t` read becomes a [`Piece`]: where its text sits in the extracted text and in
//! document.xml, so that a fix can be written back into exactly that element.

use std::ops::Range;

use roxmltree::Node;

use super::numbering::Numbering;
use super::styles::{Styles, paragraph_style_of};
use super::xml::{self, attr, child, child_val, is, is_mc, num, w_name};
use super::{DocxError, Notes};
use crate::extract::{Builder, Kind, is_cjk};

/// The deepest nesting of blocks, tables, containers and text boxes walked. Real documents
/// nest a few levels; a hostile one could nest 50,000 `w:sdt` and overflow the stack.
pub const MAX_DEPTH: usize = 256;

/// Where a `w:t`'s text is in document.xml.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Src {
    /// The whole element, `<w:t …>…</w:t>` or `<w:t/>`.
    pub element: Range<usize>,
    /// Its content between the tags (empty, at the end of the element, when self-closing).
    pub content: Range<usize>,
    pub self_closing: bool,
}

/// A `w:t` placed in the extracted text: `len` bytes at `at`, one for one with `text` (a TAB or
/// line feed inside it may have become a space, nothing else changes).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Piece {
    pub at: usize,
    pub text: String,
    pub src: Src,
}

/// Where new text goes in a cell that has none: a run at the end of its last paragraph.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Insert {
    /// The paragraph element.
    pub paragraph: Range<usize>,
    /// The paragraph mark's run properties (`w:pPr/w:rPr`), copied to the new run so that it
    /// looks like the rest of the cell.
    pub run_props: Option<Range<usize>>,
}

/// A piece of extracted text that a fix may change: one line of a paragraph, or one field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unit {
    pub range: Range<usize>,
    pub insert: Option<Insert>,
}

/// Text collected from runs, before it is placed.
#[derive(Clone, Debug)]
pub enum Bit {
    /// Text; with its source when it is a `w:t` (generated text has none).
    Text(String, Option<Src>),
    Tab,
    Break,
}

/// One phase of an open complex field (`w:fldChar`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum FieldPhase {
    /// Between `begin` and `separate`: the instruction, not shown.
    Instruction,
    /// Between `separate` and `end`: the result, shown.
    Result,
}

/// A paragraph's content as collected: its automatic number and its text, and the text boxes
/// anchored in it (read after it).
#[derive(Debug, Default)]
pub struct Para<'a, 'i> {
    pub label: Option<String>,
    pub bits: Vec<Bit>,
    pub boxes: Vec<Node<'a, 'i>>,
}

/// Where paragraphs go: lines of the text, or the text of a table cell being read.
pub enum Sink<'s> {
    Body { text_box: bool },
    Cell(&'s mut CellText),
}

/// The text of a table cell, joined from its paragraphs: nothing between two CJK characters
/// (`本年新` + `制作数量`), a space otherwise; TABs and line breaks become spaces.
#[derive(Debug, Default)]
pub struct CellText {
    pub segs: Vec<(String, Option<Src>)>,
    /// A paragraph or a line ended since the last text: join before the next.
    pending: bool,
    last: Option<char>,
}

impl CellText {
    fn push(&mut self, text: String, src: Option<Src>) {
        let Some(first) = text.chars().next() else {
            if src.is_some() {
                // An empty `w:t` still marks where text can be written.
                self.segs.push((text, src));
            }
            return;
        };
        if self.pending && self.last.is_some() {
            let tight = self.last.is_some_and(is_cjk) && is_cjk(first);
            if !tight {
                self.segs.push((" ".to_owned(), None));
            }
        }
        self.pending = false;
        self.last = text.chars().last();
        self.segs.push((text, src));
    }

    /// Adds a paragraph's label and text.
    fn paragraph(&mut self, label: Option<String>, bits: Vec<Bit>) {
        self.pending = true;
        if let Some(label) = label {
            self.push(label, None);
        }
        for bit in bits {
            match bit {
                Bit::Text(text, src) => self.push(spaced(&text), src),
                Bit::Tab => self.push(" ".to_owned(), None),
                Bit::Break => self.pending = true,
            }
        }
        self.pending = true;
    }

    /// The joined text.
    pub fn text(&self) -> String {
        self.segs.iter().map(|(t, _)| t.as_str()).collect()
    }
}

/// A `w:t`'s text in a cell or paragraph line: TAB and line feed as spaces (same length).
fn spaced(text: &str) -> String {
    text.replace(['\t', '\n'], " ")
}

/// The state of the walk over one document.
pub struct Walker<'d, 'i> {
    pub xml: &'i str,
    pub styles: &'d Styles,
    pub numbering: Numbering,
    pub out: Builder,
    pub pieces: Vec<Piece>,
    pub units: Vec<Unit>,
    pub notes: Notes,
    paragraphs: u32,
    pub tables: u32,
    fields: Vec<FieldPhase>,
}

impl<'d, 'i> Walker<'d, 'i> {
    pub fn new(xml: &'i str, styles: &'d Styles, numbering: Numbering) -> Self {
        Self {
            xml,
            styles,
            numbering,
            out: Builder::new(Kind::Word),
            pieces: Vec::new(),
            units: Vec::new(),
            notes: Notes::default(),
            paragraphs: 0,
            tables: 0,
            fields: Vec::new(),
        }
    }

    /// The blocks of `parent` (the body, a cell, a text box, a content control) in order.
    pub fn blocks<'a>(
        &mut self,
        parent: Node<'a, 'i>,
        sink: &mut Sink,
        depth: usize,
    ) -> Result<(), DocxError> {
        if depth > MAX_DEPTH {
            return Err(DocxError::TooDeep);
        }
        for node in parent.children() {
            match w_name(node) {
                Some("p") => self.paragraph(node, sink, depth)?,
                Some("tbl") => match sink {
                    Sink::Body { .. } => self.table(node, depth + 1)?,
                    Sink::Cell(cell) => self.flat_table(node, cell, depth + 1)?,
                },
                Some("sdt") => {
                    if let Some(content) = child(node, "sdtContent") {
                        self.blocks(content, sink, depth + 1)?;
                    }
                }
                Some("customXml" | "sdtContent") => self.blocks(node, sink, depth + 1)?,
                Some("altChunk") => self.notes.alt_chunk = true,
                _ if is_mc(node, "AlternateContent") => {
                    if let Some(choice) = node.children().find(|c| is_mc(*c, "Choice")) {
                        self.blocks(choice, sink, depth + 1)?;
                    }
                }
                _ => {}
            }
        }
        Ok(())
    }

    /// One paragraph: its lines in the body, or its text in a cell; then its text boxes.
    fn paragraph<'a>(
        &mut self,
        p: Node<'a, 'i>,
        sink: &mut Sink,
        depth: usize,
    ) -> Result<(), DocxError> {
        let mut para = Para::default();
        self.inline(p, &mut para, false, depth + 1)?;
        // An unterminated field instruction ends with its paragraph: the rest of the document
        // is not an instruction.
        self.fields.retain(|f| *f == FieldPhase::Result);
        let mark_deleted = child(p, "pPr")
            .and_then(|p| child(p, "rPr"))
            .is_some_and(|r| child(r, "del").is_some());
        if mark_deleted {
            self.notes.tracked_changes = true;
            let empty = para
                .bits
                .iter()
                .all(|b| matches!(b, Bit::Text(t, _) if t.is_empty()));
            if empty && para.boxes.is_empty() {
                // A paragraph deleted as a whole: gone once the change is accepted.
                return Ok(());
            }
        }
        para.label = self.label(p);
        let boxes = std::mem::take(&mut para.boxes);
        match sink {
            Sink::Body { text_box } => self.emit_paragraph(p, para, *text_box),
            Sink::Cell(cell) => cell.paragraph(para.label, para.bits),
        }
        for txbx in boxes {
            match sink {
                Sink::Body { .. } => {
                    self.blocks(txbx, &mut Sink::Body { text_box: true }, depth + 1)?;
                }
                Sink::Cell(cell) => self.blocks(txbx, &mut Sink::Cell(cell), depth + 1)?,
            }
        }
        Ok(())
    }

    /// The automatic number of a paragraph, counted.
    fn label(&mut self, p: Node) -> Option<String> {
        let p_pr = child(p, "pPr");
        let direct = p_pr.and_then(|p| child(p, "numPr"));
        let style = self.styles.paragraph_style(paragraph_style_of(p));
        let (style_num, style_lvl) = style.map_or((None, None), |s| self.styles.numbering(s));
        let num_id = direct
            .and_then(|n| num(child_val(n, "numId")))
            .or(style_num)?;
        let ilvl = direct.and_then(|n| num(child_val(n, "ilvl"))).or(style_lvl);
        self.numbering
            .next(num_id, ilvl, style, self.styles)
            .map(|l| l.text)
    }

    /// A body paragraph as lines (a `w:br` starts a new one), TABs at either end of a line
    /// dropped (indentation, as Word's copy-as-text does).
    fn emit_paragraph(&mut self, p: Node, para: Para, text_box: bool) {
        self.paragraphs += 1;
        let index = self.paragraphs;
        let offset = Some(p.range().start);
        let mut lines: Vec<Vec<Bit>> = vec![Vec::new()];
        for bit in para.bits {
            match bit {
                Bit::Break => lines.push(Vec::new()),
                bit => lines.last_mut().map_or((), |l| l.push(bit)),
            }
        }
        let mut label = para.label;
        for mut bits in lines {
            while matches!(bits.first(), Some(Bit::Tab)) {
                bits.remove(0);
            }
            while matches!(bits.last(), Some(Bit::Tab)) {
                bits.pop();
            }
            let mut text = label.take().unwrap_or_default();
            let label_len = text.len();
            let mut placed = Vec::new();
            for bit in bits {
                match bit {
                    Bit::Text(t, src) => {
                        let at = text.len();
                        text.push_str(&t.replace('\n', " "));
                        if let Some(src) = src {
                            placed.push((at, t, src));
                        }
                    }
                    Bit::Tab => text.push('\t'),
                    Bit::Break => {}
                }
            }
            let start = self.out.len();
            self.out
                .paragraph(&text, index, offset, label_len, text_box);
            self.units.push(Unit {
                range: start..start + text.len(),
                insert: None,
            });
            self.pieces
                .extend(placed.into_iter().map(|(at, text, src)| Piece {
                    at: start + at,
                    text,
                    src,
                }));
        }
    }

    /// The runs of a paragraph, or of a container inside one, in order.
    fn inline<'a>(
        &mut self,
        node: Node<'a, 'i>,
        para: &mut Para<'a, 'i>,
        hidden: bool,
        depth: usize,
    ) -> Result<(), DocxError> {
        if depth > MAX_DEPTH {
            return Err(DocxError::TooDeep);
        }
        for c in node.children() {
            match w_name(c) {
                Some("r") => self.run(c, para, hidden),
                Some("ins" | "moveTo") => {
                    self.notes.tracked_changes = true;
                    self.inline(c, para, hidden, depth + 1)?;
                }
                Some("del" | "moveFrom") => self.notes.tracked_changes = true,
                Some(
                    "hyperlink" | "smartTag" | "customXml" | "fldSimple" | "dir" | "bdo"
                    | "sdtContent",
                ) => {
                    self.inline(c, para, hidden, depth + 1)?;
                }
                Some("sdt") => {
                    if let Some(content) = child(c, "sdtContent") {
                        self.inline(content, para, hidden, depth + 1)?;
                    }
                }
                _ if is_mc(c, "AlternateContent") => {
                    if let Some(choice) = c.children().find(|n| is_mc(*n, "Choice")) {
                        self.inline(choice, para, hidden, depth + 1)?;
                    }
                }
                _ => {}
            }
        }
        Ok(())
    }

    /// Whether a run is hidden: its own `w:vanish`, else its character style's.
    fn run_hidden(&self, r: Node) -> bool {
        let Some(r_pr) = child(r, "rPr") else {
            return false;
        };
        xml::toggle(r_pr, "vanish")
            .or_else(|| child_val(r_pr, "rStyle").and_then(|s| self.styles.hidden(s)))
            .unwrap_or(false)
    }

    fn run<'a>(&mut self, r: Node<'a, 'i>, para: &mut Para<'a, 'i>, hidden: bool) {
        let hidden = hidden || self.run_hidden(r);
        for c in r.children() {
            let name = w_name(c);
            if name == Some("fldChar") {
                match attr(c, "fldCharType") {
                    Some("begin") => self.fields.push(FieldPhase::Instruction),
                    Some("separate") => {
                        if let Some(top) = self.fields.last_mut() {
                            *top = FieldPhase::Result;
                        }
                    }
                    Some("end") => {
                        self.fields.pop();
                    }
                    _ => {}
                }
                continue;
            }
            if hidden || self.fields.contains(&FieldPhase::Instruction) {
                continue;
            }
            match name {
                Some("t") => para
                    .bits
                    .push(Bit::Text(xml::text_of(c), Some(self.src(c)))),
                Some("tab" | "ptab") => para.bits.push(Bit::Tab),
                // Page and column breaks end no line of the text.
                Some("br") if matches!(attr(c, "type"), Some("page" | "column")) => {}
                Some("br" | "cr") => para.bits.push(Bit::Break),
                Some("noBreakHyphen") => para.bits.push(Bit::Text("-".into(), None)),
                Some("sym") => {
                    if let Some(c) = symbol(c) {
                        para.bits.push(Bit::Text(c.to_string(), None));
                    }
                }
                Some("drawing" | "pict" | "object") => text_boxes(c, &mut para.boxes),
                _ if is_mc(c, "AlternateContent") => text_boxes(c, &mut para.boxes),
                _ => {}
            }
        }
    }

    /// Where a `w:t` element and its content are in document.xml.
    fn src(&self, t: Node) -> Src {
        let element = t.range();
        let raw = self.xml.get(element.clone()).unwrap_or_default();
        if raw.ends_with("/>") {
            return Src {
                content: element.end..element.end,
                element,
                self_closing: true,
            };
        }
        let start = element.start + start_tag_len(raw);
        let end = element.start + raw.rfind("</").unwrap_or(raw.len());
        Src {
            content: start.min(end)..end,
            element,
            self_closing: false,
        }
    }
}

/// The length of an element's start tag: up to the first `>` outside an attribute value.
pub fn start_tag_len(raw: &str) -> usize {
    let mut quote = None;
    for (i, b) in raw.bytes().enumerate() {
        match (quote, b) {
            (None, b'"' | b'\'') => quote = Some(b),
            (Some(q), b) if b == q => quote = None,
            (None, b'>') => return i + 1,
            _ => {}
        }
    }
    raw.len()
}

/// The character of a `w:sym`, unless it is a symbol-font glyph in the private use area
/// (Wingdings check boxes, arrows), which has no meaning as text.
fn symbol(sym: Node) -> Option<char> {
    let code = u32::from_str_radix(attr(sym, "char")?.trim(), 16).ok()?;
    let code = if (0xF000..=0xF0FF).contains(&code) {
        // Symbol fonts map their glyphs at U+F000 + the ASCII code; only the ASCII ones read.
        let ascii = code - 0xF000;
        if !(0x20..0x7F).contains(&ascii)
            || !attr(sym, "font").is_some_and(|f| f.eq_ignore_ascii_case("Symbol"))
        {
            return None;
        }
        ascii
    } else {
        code
    };
    char::from_u32(code).filter(|c| !c.is_control())
}

/// The outermost text boxes (`w:txbxContent`) under `node`, except those in `mc:Fallback` (the
/// VML copy of a DrawingML shape, the same text again).
fn text_boxes<'a, 'i>(node: Node<'a, 'i>, out: &mut Vec<Node<'a, 'i>>) {
    for d in node.descendants().filter(|d| is(*d, "txbxContent")) {
        let mut outermost = true;
        for a in d.ancestors().skip(1) {
            if a == node {
                break;
            }
            if is_mc(a, "Fallback") || is(a, "txbxContent") {
                outermost = false;
                break;
            }
        }
        if outermost {
            out.push(d);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn start_tags_end_outside_quotes() {
        assert_eq!(start_tag_len(r#"<w:t xml:space="a>b">x</w:t>"#), 21);
        assert_eq!(start_tag_len("<w:t>x</w:t>"), 5);
    }

    #[test]
    fn cell_text_joins_cjk_tightly() {
        let mut cell = CellText::default();
        cell.paragraph(None, vec![Bit::Text("本年新".into(), None)]);
        cell.paragraph(None, vec![]);
        cell.paragraph(
            None,
            vec![
                Bit::Text("制作数量".into(), None),
                Bit::Break,
                Bit::Text("(件)".into(), None),
            ],
        );
        cell.paragraph(
            Some("1.".into()),
            vec![Bit::Text("属于\t国家秘密".into(), None)],
        );
        assert_eq!(cell.text(), "本年新制作数量 (件) 1.属于 国家秘密");
    }
}
