//! Semantic tokens: what an editor colours without a tree-sitter grammar.
//!
//! | kind | what |
//! |---|---|
//! | [`TokenKind::Heading`] | a section heading line (`三、收到和处理政府信息公开申请情况`) |
//! | [`TokenKind::StatuteRef`] | a citation of the 条例 (`第二十条第（五）项`) |
//! | [`TokenKind::Number`] | a value cell of table 2, 3 or 4 |
//!
//! Modifiers: [`TOTAL`] on a cell that is the total of a relation (总计, （七）总计, 四、结转…),
//! [`WRONG`] on a cell an error or warning points at (a wrong total, an invalid value).
//! Tokens never overlap and never span lines.

use std::ops::Range;

use super::cells::{self, line_at};
use crate::analysis::Analysis;
use crate::diagnostics::Severity;
use crate::statute;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TokenKind {
    Heading,
    StatuteRef,
    Number,
}

/// Modifier bit: the cell is a total.
pub const TOTAL: u32 = 1;
/// Modifier bit: a diagnostic of severity error or warning points at the cell.
pub const WRONG: u32 = 2;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Token {
    pub range: Range<usize>,
    pub kind: TokenKind,
    /// Bits of [`TOTAL`], [`WRONG`].
    pub modifiers: u32,
}

/// All tokens of the document, sorted, without overlaps.
pub fn semantic_tokens(text: &str, analysis: &Analysis) -> Vec<Token> {
    let report = &analysis.report;
    let mut out: Vec<Token> = Vec::new();
    for s in &report.sections {
        out.push(Token {
            range: s.heading.clone(),
            kind: TokenKind::Heading,
            modifiers: 0,
        });
    }
    out.extend(
        statute::find_references(text)
            .into_iter()
            .map(|(range, _)| Token {
                range,
                kind: TokenKind::StatuteRef,
                modifiers: 0,
            }),
    );
    let wrong: Vec<&Range<usize>> = analysis
        .diagnostics
        .iter()
        .filter(|d| matches!(d.severity, Severity::Error | Severity::Warning))
        .map(|d| &d.range)
        .collect();
    for c in cells::value_cells(report) {
        if c.cell.range.is_empty() {
            continue;
        }
        let mut modifiers = 0;
        if analysis.relations.is_target(c.at) {
            modifiers |= TOTAL;
        }
        if wrong.iter().any(|r| **r == c.cell.range) {
            modifiers |= WRONG;
        }
        out.push(Token {
            range: c.cell.range.clone(),
            kind: TokenKind::Number,
            modifiers,
        });
    }
    out.retain(|t| !t.range.is_empty() && !text[t.range.clone()].contains('\n'));
    // Statute refs inside a heading give way to the heading; the first of overlapping tokens wins.
    out.sort_by_key(|t| (t.range.start, std::cmp::Reverse(t.range.end)));
    let mut kept: Vec<Token> = Vec::with_capacity(out.len());
    for t in out {
        if kept.last().is_some_and(|k| t.range.start < k.range.end) {
            continue;
        }
        kept.push(t);
    }
    // Headings that wrap (never in practice) are cut at the line end by the filter above; a
    // token must also stay within one line of the report model.
    kept.retain(|t| line_at(report, t.range.start).is_none_or(|(_, l)| t.range.end <= l.range.end));
    kept
}
