//! Raw rows: the lines of a table region turned into rows of cells, whatever the layout.
//!
//! - a TAB or `|` line is one row (layout 1a, Markdown, 1c);
//! - consecutive one-cell lines up to a blank line are one row (layout 1b), a continuation line
//!   joining the cell above it (`⇥本年新` / `制作数量`);
//! - a plain line that ends in space-separated numbers is a row whose cells are the text before
//!   the numbers and each number (PDF text, 1d: `行政处罚 4119`, `0 0 0 … 0`);
//! - any other plain line is a loose line: text that fell out of a table (a wrapped label).
//!
//! Page numbers and Markdown delimiter rows (`|---|`) are skipped everywhere: a table broken by
//! a page is one table.

use std::ops::Range;

use super::lines::{CellSpan, Line, LineKind, is_space};
use crate::normalize::{self, CellValue};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RawKind {
    /// Cells from TAB / `|` rows or one-cell lines.
    Cells,
    /// Cells from a plain line ending in space-separated numbers.
    Spaced,
    /// A plain line with no numbers at its end.
    Loose,
}

#[derive(Clone, Debug)]
pub struct RawRow {
    pub kind: RawKind,
    pub cells: Vec<CellSpan>,
}

impl RawRow {
    pub fn range(&self) -> Range<usize> {
        match (self.cells.first(), self.cells.last()) {
            (Some(a), Some(b)) => a.range.start..b.range.end,
            _ => 0..0,
        }
    }
}

/// Raw rows of the lines `lines[from..to]`.
pub fn raw_rows(text: &str, lines: &[Line], from: usize, to: usize) -> Vec<RawRow> {
    let mut rows: Vec<RawRow> = Vec::new();
    // The one-cell-per-line row being collected (layout 1b).
    let mut open: Option<RawRow> = None;
    for line in lines.iter().take(to).skip(from) {
        match line.kind {
            LineKind::CellLine => {
                let row = open.get_or_insert_with(|| RawRow {
                    kind: RawKind::Cells,
                    cells: Vec::new(),
                });
                row.cells.extend(line.cells.iter().cloned());
            }
            LineKind::Continuation => match open.as_mut().and_then(|r| r.cells.last_mut()) {
                Some(cell) => join_cell(cell, &line.cells),
                None => rows.push(RawRow {
                    kind: RawKind::Cells,
                    cells: line.cells.clone(),
                }),
            },
            LineKind::PageNumber => {}
            LineKind::Blank => {
                rows.extend(open.take());
            }
            LineKind::TableRow => {
                rows.extend(open.take());
                if !is_delimiter_row(text, &line.cells) {
                    rows.push(RawRow {
                        kind: RawKind::Cells,
                        cells: line.cells.clone(),
                    });
                }
            }
            LineKind::Title
            | LineKind::Heading
            | LineKind::Subheading
            | LineKind::Paragraph
            | LineKind::Other => {
                rows.extend(open.take());
                rows.push(plain_row(text, line));
            }
        }
    }
    rows.extend(open);
    rows
}

fn join_cell(cell: &mut CellSpan, more: &[CellSpan]) {
    if let Some(last) = more.iter().rev().find(|c| !c.is_empty()) {
        if cell.is_empty() {
            cell.range = more[0].range.start..last.range.end;
        } else {
            cell.range.end = last.range.end;
        }
    }
}

/// A continuation line glued to its cell (`第二十` / `条第（五）项`) is written with a space
/// between them only between two ASCII letters or digits: how the formatter joins such a cell
/// onto one line, and how a message quotes it.
pub fn glued_with_space(before: &str, after: &str) -> bool {
    before
        .chars()
        .next_back()
        .is_some_and(|c| c.is_ascii_alphanumeric())
        && after
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphanumeric())
}

fn is_delimiter_row(text: &str, cells: &[CellSpan]) -> bool {
    !cells.is_empty()
        && cells.iter().all(|c| {
            let s = &text[c.range.clone()];
            !s.is_empty() && s.chars().all(|ch| matches!(ch, '-' | ':' | '—' | '－'))
        })
}

/// A plain line: the text before its trailing numbers, then each number, as cells.
fn plain_row(text: &str, line: &Line) -> RawRow {
    let (label, numbers) = trailing_numbers(text, line.range.clone());
    if numbers.is_empty() {
        return RawRow {
            kind: RawKind::Loose,
            cells: vec![CellSpan {
                range: line.range.clone(),
            }],
        };
    }
    let mut cells = Vec::with_capacity(numbers.len() + 1);
    cells.extend(label.map(|range| CellSpan { range }));
    cells.extend(numbers.into_iter().rev().map(|range| CellSpan { range }));
    RawRow {
        kind: RawKind::Spaced,
        cells,
    }
}

/// The space-separated words at the end of `range` that are numbers, last first, and the span
/// from the first word to the last one before them (if any). Read from the end: a paragraph
/// (at times a whole report on one line) is not split into words to find that it ends in
/// text.
fn trailing_numbers(text: &str, range: Range<usize>) -> (Option<Range<usize>>, Vec<Range<usize>>) {
    let s = &text[range.clone()];
    let mut numbers = Vec::new();
    let mut end = s.len();
    loop {
        let rest = s[..end].trim_end_matches(is_space);
        if rest.is_empty() {
            return (None, numbers);
        }
        let start = rest
            .char_indices()
            .rev()
            .find(|&(_, c)| is_space(c))
            .map_or(0, |(i, c)| i + c.len_utf8());
        if !matches!(
            normalize::parse_number(&rest[start..]),
            CellValue::Number(_)
        ) {
            let first = s.len() - s.trim_start_matches(is_space).len();
            return (Some(range.start + first..range.start + rest.len()), numbers);
        }
        numbers.push(range.start + start..range.start + rest.len());
        end = start;
    }
}
/// Whether a cell's text reads as a label (text that is not a value): it holds a letter that is
/// not part of a number, a unit or a placeholder.
pub fn is_label(text: &str, cell: &CellSpan) -> bool {
    let s = &text[cell.range.clone()];
    // (The cheap test first: a cell of digits has no letter.)
    !s.is_empty()
        && s.chars().any(char::is_alphabetic)
        && matches!(normalize::parse_number(s), CellValue::Invalid)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::lines::lines;
    use crate::syntax;

    fn rows(src: &str) -> Vec<(RawKind, Vec<String>)> {
        let tree = syntax::parse(src);
        let lines = lines(src, &tree);
        raw_rows(src, &lines, 0, lines.len())
            .into_iter()
            .map(|r| {
                (
                    r.kind,
                    r.cells
                        .iter()
                        .map(|c| src[c.range.clone()].to_string())
                        .collect(),
                )
            })
            .collect()
    }

    /// Byte ranges of the space-separated words of `range`: the words `plain_row` once split
    /// every line into, kept as the oracle of `trailing_numbers`.
    fn words(text: &str, range: Range<usize>) -> Vec<Range<usize>> {
        let s = &text[range.clone()];
        let mut out = Vec::new();
        let mut start = None;
        for (i, ch) in s.char_indices() {
            match (is_space(ch), start) {
                (true, Some(st)) => {
                    out.push(range.start + st..range.start + i);
                    start = None;
                }
                (false, None) => start = Some(i),
                _ => {}
            }
        }
        if let Some(st) = start {
            out.push(range.start + st..range.end);
        }
        out
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(3000))]

        #[test]
        fn trailing_numbers_are_the_last_words_that_are_numbers(
            s in "[ 　\u{a0}a一0-9.,%－-]{0,24}",
            pad in 0usize..3,
        ) {
            let text = format!("{}{s}", "x".repeat(pad));
            let range = pad..text.len();
            let words = words(&text, range.clone());
            let numbers = words
                .iter()
                .rev()
                .take_while(|w| matches!(normalize::parse_number(&text[(*w).clone()]), CellValue::Number(_)))
                .count();
            let split = words.len() - numbers;
            let label = (split > 0).then(|| words[0].start..words[split - 1].end);
            let expected: Vec<Range<usize>> = words[split..].iter().rev().cloned().collect();
            proptest::prop_assert_eq!(trailing_numbers(&text, range), (label, expected));
        }
    }

    #[test]
    fn one_cell_per_line_rows_end_at_blank_lines() {
        let src = "\t信息内容\n\t本年新\n制作数量\n\n\t行政处罚\n\t102\n\t减47\n";
        assert_eq!(
            rows(src),
            vec![
                (
                    RawKind::Cells,
                    vec!["信息内容".into(), "本年新\n制作数量".into()]
                ),
                (
                    RawKind::Cells,
                    vec!["行政处罚".into(), "102".into(), "减47".into()]
                ),
            ]
        );
    }

    #[test]
    fn spaced_numbers_become_cells_and_delimiters_vanish() {
        let src = "行政处罚 4119\n信息内容 本年处理决定数量\n|---|---|\n- 3 -\n0 0 0\n";
        assert_eq!(
            rows(src),
            vec![
                (RawKind::Spaced, vec!["行政处罚".into(), "4119".into()]),
                (RawKind::Loose, vec!["信息内容 本年处理决定数量".into()]),
                (RawKind::Spaced, vec!["0".into(), "0".into(), "0".into()]),
            ]
        );
    }
}
