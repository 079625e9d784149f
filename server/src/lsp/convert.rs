//! Byte offsets ↔ LSP positions, and engine data → LSP types. Outgoing positions go through
//! [`LineIndex`] (the same conversion `nianbao check --format json` uses, so the CLI and the server
//! agree to the code unit); incoming edit positions go through the document's rope.

use std::ops::Range;

use ropey::Rope;
use tower_lsp_server::ls_types::{
    self as lsp, DiagnosticRelatedInformation, DiagnosticSeverity, Location, NumberOrString,
    PositionEncodingKind, Uri,
};

use crate::diagnostics::{Diagnostic, Edit, Severity};
use crate::model::Line;
use crate::syntax::{LineCol, LineIndex, PositionEncoding, column};

/// The encoding negotiated at `initialize`: UTF-8 when the client offers it, else UTF-16.
pub fn negotiate(offered: Option<&[PositionEncodingKind]>) -> PositionEncoding {
    match offered {
        Some(kinds) if kinds.contains(&PositionEncodingKind::UTF8) => PositionEncoding::Utf8,
        _ => PositionEncoding::Utf16,
    }
}

pub fn encoding_kind(encoding: PositionEncoding) -> PositionEncodingKind {
    match encoding {
        PositionEncoding::Utf8 => PositionEncodingKind::UTF8,
        PositionEncoding::Utf16 => PositionEncodingKind::UTF16,
        PositionEncoding::Utf32 => PositionEncodingKind::UTF32,
    }
}

/// Converts through the immutable text of a snapshot.
#[derive(Clone, Copy)]
pub struct Positions<'a> {
    pub text: &'a str,
    pub index: &'a LineIndex,
    pub encoding: PositionEncoding,
}

impl Positions<'_> {
    pub fn position(&self, offset: usize) -> lsp::Position {
        let p = self.index.line_col(self.text, offset, self.encoding);
        lsp::Position::new(p.line, p.col)
    }

    pub fn range(&self, range: &Range<usize>) -> lsp::Range {
        lsp::Range::new(
            self.position(range.start),
            self.position(range.end.max(range.start)),
        )
    }

    /// The byte offset of a position, clamped to the text; `clamped` says whether it was out of
    /// range (a line past the end, a column past the end of its line).
    pub fn offset(&self, pos: lsp::Position) -> (usize, bool) {
        let line = pos.line as usize;
        if line >= self.index.line_count() {
            return (self.text.len(), true);
        }
        let offset = self.index.offset(
            self.text,
            LineCol {
                line: pos.line,
                col: pos.character,
            },
            self.encoding,
        );
        let line_end = self.index.line_range(self.text, line).end;
        let clamped = offset == line_end && self.position(line_end).character < pos.character;
        (offset, clamped)
    }

    /// A byte range from an LSP range: clamped, and put in order if reversed.
    pub fn byte_range(&self, range: lsp::Range) -> (Range<usize>, bool) {
        let (a, ca) = self.offset(range.start);
        let (b, cb) = self.offset(range.end);
        (a.min(b)..a.max(b), ca || cb || a > b)
    }

    pub fn text_edit(&self, edit: &Edit) -> lsp::TextEdit {
        lsp::TextEdit {
            range: self.range(&edit.range),
            new_text: edit.new_text.clone(),
        }
    }

    pub fn diagnostic(&self, uri: &Uri, d: &Diagnostic) -> lsp::Diagnostic {
        diagnostic(uri, d, |r| self.range(r))
    }
}

/// A diagnostic in LSP form, its ranges converted by `range`.
fn diagnostic(
    uri: &Uri,
    d: &Diagnostic,
    range: impl Fn(&Range<usize>) -> lsp::Range,
) -> lsp::Diagnostic {
    // A place in another file is located in that file's text by the caller.
    let related: Vec<DiagnosticRelatedInformation> = d
        .related
        .iter()
        .filter(|r| r.path.is_none())
        .map(|r| DiagnosticRelatedInformation {
            location: Location::new(uri.clone(), range(&r.range)),
            message: r.message.clone(),
        })
        .collect();
    lsp::Diagnostic {
        range: range(&d.range),
        severity: Some(severity(d.severity)),
        code: Some(NumberOrString::String(d.code.as_str().to_string())),
        code_description: None,
        source: Some("nianbao".to_string()),
        message: d.message.clone(),
        related_information: (!related.is_empty()).then_some(related),
        tags: None,
        data: None,
    }
}

/// Converts through a live document's rope (lines end at LF only, as in [`LineIndex`]): the
/// same positions as [`Positions`], without building a line index of the whole text first —
/// what the documents thread publishes after each edit.
#[derive(Clone, Copy)]
pub struct RopePositions<'a> {
    pub text: &'a str,
    pub rope: &'a Rope,
    pub encoding: PositionEncoding,
}

impl LivePositions for RopePositions<'_> {
    fn text(&self) -> &str {
        self.text
    }

    fn encoding(&self) -> PositionEncoding {
        self.encoding
    }

    fn line_and_start(&self, offset: usize) -> (usize, usize) {
        let line = self.rope.byte_to_line(offset);
        (line, self.rope.line_to_byte(line))
    }
}

/// Positions of a live document's offsets, as [`LineIndex::line_col`] gives them: converters
/// differ only in how they find an offset's line ([`RopePositions`], [`LinePositions`]).
pub trait LivePositions {
    fn text(&self) -> &str;

    fn encoding(&self) -> PositionEncoding;

    /// The line holding `offset` (a char boundary of the text) and the byte where it starts.
    fn line_and_start(&self, offset: usize) -> (usize, usize);

    /// Clamped to the text, moved back to a char boundary.
    fn position(&self, offset: usize) -> lsp::Position {
        let text = self.text();
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let (line, start) = self.line_and_start(offset);
        // Within a line's break (`\r` of `\r\n`) the column counts up to the offset, as the
        // line index does.
        let col = column(text.get(start..offset).unwrap_or(""), self.encoding());
        let to_u32 = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        lsp::Position::new(to_u32(line), to_u32(col))
    }

    fn range(&self, range: &Range<usize>) -> lsp::Range {
        lsp::Range::new(
            self.position(range.start),
            self.position(range.end.max(range.start)),
        )
    }

    fn diagnostic(&self, uri: &Uri, d: &Diagnostic) -> lsp::Diagnostic {
        diagnostic(uri, d, |r| self.range(r))
    }
}

/// Converts through the model's lines of the analysis being published: they are the text's
/// lines, LF-ended, with their byte ranges — a line index the analysis has already built (and
/// the incremental analysis keeps up to date), so publishing after a keystroke needs neither a
/// new index nor the rope's tree walks (≈ 5,000 instructions a position in a 1 MB document).
/// The same positions as [`Positions`] and [`RopePositions`].
#[derive(Clone, Copy)]
pub struct LinePositions<'a> {
    text: &'a str,
    lines: &'a [Line],
    encoding: PositionEncoding,
}

impl<'a> LinePositions<'a> {
    /// `None` unless `lines` are the lines of `text` as [`crate::model::lines::lines`] reads
    /// them: the first starts at 0, each next one right after the line break ending the one
    /// before (`\n` or `\r\n`), and only a line break (or the `\r` of one) after the last.
    pub fn new(text: &'a str, lines: &'a [Line], encoding: PositionEncoding) -> Option<Self> {
        let bytes = text.as_bytes();
        let starts_after_break = |end: usize, next: usize| {
            next > end
                && bytes.get(next - 1) == Some(&b'\n')
                && (next - 1 == end || (next - 2 == end && bytes.get(end) == Some(&b'\r')))
        };
        let covered = match (lines.first(), lines.last()) {
            (None, _) | (_, None) => text.is_empty(),
            (Some(first), Some(last)) => {
                first.range.start == 0
                    && lines
                        .windows(2)
                        .all(|w| starts_after_break(w[0].range.end, w[1].range.start))
                    && matches!(text.get(last.range.end..), Some("" | "\r" | "\n" | "\r\n"))
            }
        };
        covered.then_some(Self {
            text,
            lines,
            encoding,
        })
    }
}

impl LivePositions for LinePositions<'_> {
    fn text(&self) -> &str {
        self.text
    }

    fn encoding(&self) -> PositionEncoding {
        self.encoding
    }

    fn line_and_start(&self, offset: usize) -> (usize, usize) {
        match self.lines.partition_point(|l| l.range.start <= offset) {
            0 => (0, 0),
            n if n == self.lines.len()
                && offset > self.lines[n - 1].range.end
                && self.text.as_bytes().get(offset - 1) == Some(&b'\n') =>
            {
                // The empty line after a final line break.
                (n, offset)
            }
            n => (n - 1, self.lines[n - 1].range.start),
        }
    }
}

pub fn severity(s: Severity) -> DiagnosticSeverity {
    match s {
        Severity::Error => DiagnosticSeverity::ERROR,
        Severity::Warning => DiagnosticSeverity::WARNING,
        Severity::Information => DiagnosticSeverity::INFORMATION,
        Severity::Hint => DiagnosticSeverity::HINT,
    }
}

/// Where a position falls in a rope, as bytes and chars.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RopeOffset {
    pub byte: usize,
    pub char: usize,
    /// The position was outside the document (a line past the end, a column past its line).
    pub clamped: bool,
}

/// The byte and char offset of an LSP position in `rope`, clamped like [`LineIndex::offset`]:
/// a line past the end → the end of the text; a column past the line's end (before `\r\n`)
/// → the line's end; a column inside a character → the character's start.
pub fn rope_offset(rope: &Rope, pos: lsp::Position, encoding: PositionEncoding) -> RopeOffset {
    let line = pos.line as usize;
    if line >= rope.len_lines() {
        return RopeOffset {
            byte: rope.len_bytes(),
            char: rope.len_chars(),
            clamped: true,
        };
    }
    let start_char = rope.line_to_char(line);
    let mut end_char = if line + 1 < rope.len_lines() {
        rope.line_to_char(line + 1) - 1
    } else {
        rope.len_chars()
    };
    if end_char > start_char && rope.char(end_char - 1) == '\r' {
        end_char -= 1;
    }
    let col = pos.character as usize;
    let (char, clamped) = match encoding {
        PositionEncoding::Utf8 => {
            let start = rope.char_to_byte(start_char);
            let end = rope.char_to_byte(end_char);
            let target = start + col;
            if target > end {
                (end_char, true)
            } else {
                // byte_to_char gives the char containing the byte: a position inside a
                // character moves to its start.
                (rope.byte_to_char(target), false)
            }
        }
        PositionEncoding::Utf16 => {
            let start = rope.char_to_utf16_cu(start_char);
            let end = rope.char_to_utf16_cu(end_char);
            let target = start + col;
            if target > end {
                (end_char, true)
            } else {
                let c = rope.utf16_cu_to_char(target);
                // Inside a surrogate pair: the pair's character.
                let c = if rope.char_to_utf16_cu(c) > target {
                    c - 1
                } else {
                    c
                };
                (c, false)
            }
        }
        PositionEncoding::Utf32 => {
            let target = start_char + col;
            if target > end_char {
                (end_char, true)
            } else {
                (target, false)
            }
        }
    };
    RopeOffset {
        byte: rope.char_to_byte(char),
        char,
        clamped,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rope_and_line_index_agree_on_every_position() {
        let text = "一、总体情况\r\n𠀀a\t12\n\n表三\t😀x";
        let rope = Rope::from_str(text);
        let index = LineIndex::new(text);
        for encoding in [PositionEncoding::Utf8, PositionEncoding::Utf16] {
            let p = Positions {
                text,
                index: &index,
                encoding,
            };
            for line in 0..6u32 {
                for character in 0..24u32 {
                    let pos = lsp::Position::new(line, character);
                    let r = rope_offset(&rope, pos, encoding);
                    let (offset, clamped) = p.offset(pos);
                    assert_eq!(r.byte, offset, "{encoding:?} {line}:{character}");
                    assert_eq!(r.clamped, clamped, "{encoding:?} {line}:{character}");
                    assert_eq!(rope.char_to_byte(r.char), r.byte);
                }
            }
            for (offset, _) in text.char_indices() {
                let pos = p.position(offset);
                if !matches!(text.as_bytes()[offset], b'\r' | b'\n') {
                    assert_eq!(rope_offset(&rope, pos, encoding).byte, offset);
                }
            }
        }
    }

    #[test]
    fn rope_positions_equal_line_index_positions() {
        let text = "一、总体情况\r\n𠀀a\t12\n\n表三\t😀x\r\n\r";
        let rope = Rope::from_str(text);
        let index = LineIndex::new(text);
        for encoding in [
            PositionEncoding::Utf8,
            PositionEncoding::Utf16,
            PositionEncoding::Utf32,
        ] {
            let p = Positions {
                text,
                index: &index,
                encoding,
            };
            let r = RopePositions {
                text,
                rope: &rope,
                encoding,
            };
            for offset in 0..=text.len() + 2 {
                assert_eq!(
                    p.position(offset),
                    r.position(offset),
                    "{encoding:?} {offset}"
                );
            }
        }
    }

    /// Every offset of texts with CRLF, lone CRs, blank lines, astral characters, with and
    /// without a final line break: the model's lines give the line index's positions.
    #[test]
    fn line_positions_equal_line_index_positions() {
        let texts = [
            "",
            "\n",
            "\n\n",
            "一、总体情况\r\n𠀀a\t12\n\n表三\t😀x\r\n\r",
            "一、总体情况\r\n𠀀a\t12\n\n表三\t😀x\r\n",
            "a\rb\n\r\n\t\n（一）予以公开\t1\t2",
        ];
        for text in texts {
            let tree = crate::syntax::parse(text);
            let lines = crate::model::lines::lines(text, &tree);
            let index = LineIndex::new(text);
            for encoding in [
                PositionEncoding::Utf8,
                PositionEncoding::Utf16,
                PositionEncoding::Utf32,
            ] {
                let p = Positions {
                    text,
                    index: &index,
                    encoding,
                };
                let l = LinePositions::new(text, &lines, encoding).expect("the text's lines");
                for offset in 0..=text.len() + 2 {
                    assert_eq!(
                        p.position(offset),
                        l.position(offset),
                        "{text:?} {encoding:?} {offset}"
                    );
                }
            }
        }
    }

    #[test]
    fn line_positions_refuse_lines_of_another_text() {
        let text = "一、总体情况\n二、主动公开\n";
        let tree = crate::syntax::parse(text);
        let lines = crate::model::lines::lines(text, &tree);
        assert!(LinePositions::new(text, &lines, PositionEncoding::Utf16).is_some());
        let longer = format!("{text}三、");
        assert!(LinePositions::new(&longer, &lines, PositionEncoding::Utf16).is_none());
        assert!(LinePositions::new(&text[3..], &lines, PositionEncoding::Utf16).is_none());
        assert!(LinePositions::new(text, &lines[1..], PositionEncoding::Utf16).is_none());
        assert!(LinePositions::new("", &lines, PositionEncoding::Utf16).is_none());
    }

    #[test]
    fn astral_characters_count_two_utf16_units_and_four_bytes() {
        let text = "𠀀𠀀a";
        let rope = Rope::from_str(text);
        let a = text.len() - 1;
        assert_eq!(
            rope_offset(&rope, lsp::Position::new(0, 4), PositionEncoding::Utf16).byte,
            a
        );
        assert_eq!(
            rope_offset(&rope, lsp::Position::new(0, 8), PositionEncoding::Utf8).byte,
            a
        );
        // Inside the second surrogate pair / the second character's bytes: its start.
        assert_eq!(
            rope_offset(&rope, lsp::Position::new(0, 3), PositionEncoding::Utf16).byte,
            4
        );
        assert_eq!(
            rope_offset(&rope, lsp::Position::new(0, 6), PositionEncoding::Utf8).byte,
            4
        );
    }
}
