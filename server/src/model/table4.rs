//! Reading table 4 (政府信息公开行政复议、行政诉讼情况): 15 value columns, one data row.
//!
//! The table is found by its position (section 四) or by its header words when the heading is
//! lost. The data row is the run of value-only rows after the header — one row of 15, or three
//! pieces of five (peer-lessons §6) — so vertical or garbled headers (PDF text, 1d) do not stop
//! the values from being read; such a header is reported as unreadable, not as missing columns.

use std::ops::Range;

use super::lines::Line;
use super::rows::{RawKind, is_label, raw_rows};
use super::{Cell, Section, span};
use crate::normalize;

/// Number of value columns of table 4.
pub const COLUMNS: usize = 15;

#[derive(Clone, Debug, PartialEq)]
pub struct Table4 {
    pub range: Range<usize>,
    /// Header cells' span, if any header cells were found.
    pub header: Option<Range<usize>>,
    /// The header names the three groups' 总计 columns.
    pub header_readable: bool,
    /// The 15 values in template order; all `None` when the row could not be aligned.
    pub values: Vec<Option<Cell>>,
    /// The value cells as found (for a row of the wrong length).
    pub data: Option<Range<usize>>,
    /// How many value cells were found, when not 15.
    pub misaligned: Option<usize>,
}

impl Table4 {
    pub fn value(&self, column: usize) -> Option<&Cell> {
        self.values.get(column).and_then(Option::as_ref)
    }
}

const HEADER_WORDS: &[&str] = &["行政复议", "行政诉讼", "结果维持", "结果纠正", "复议后起诉"];

pub fn read(text: &str, lines: &[Line], sections: &[Section]) -> Option<Table4> {
    let (from, to) = region(text, lines, sections)?;
    let raw = raw_rows(text, lines, from, to);

    let mut header: Vec<Range<usize>> = Vec::new();
    let mut values: Vec<Range<usize>> = Vec::new();
    // Header text outside cells: vertical one-character headers, space-separated header words.
    let mut debris: Vec<Range<usize>> = Vec::new();
    for row in &raw {
        let non_empty = row.cells.iter().filter(|c| !c.is_empty()).count();
        let has_label = row.cells.iter().any(|c| is_label(text, c));
        if has_label || row.kind == RawKind::Loose {
            if !values.is_empty() {
                break; // prose or another table after the data row
            }
            if row.kind == RawKind::Cells {
                header.extend(
                    row.cells
                        .iter()
                        .filter(|c| !c.is_empty())
                        .map(|c| c.range.clone()),
                );
            } else if looks_like_header_debris(text, &row.range()) {
                debris.push(row.range());
            }
            continue;
        }
        if non_empty == 0 {
            continue; // placeholder lines of merged header cells
        }
        values.extend(row.cells.iter().map(|c| c.range.clone()));
        if values.iter().filter(|v| !v.is_empty()).count() >= COLUMNS {
            break;
        }
    }
    if values.is_empty() && header.is_empty() {
        return None;
    }
    while values.len() > COLUMNS && values.last().is_some_and(Range::is_empty) {
        values.pop();
    }
    let header_keys: Vec<String> = header
        .iter()
        .map(|h| normalize::key(&text[h.clone()]))
        .collect();
    let totals = header_keys.iter().filter(|k| k.as_str() == "总计").count();
    let header_readable =
        totals >= 3 || (totals >= 2 && header_keys.iter().any(|k| k.contains("行政复议")));
    let aligned = values.len() == COLUMNS;
    let cells = if aligned {
        values
            .iter()
            .map(|r| Some(Cell::read(text, r.clone())))
            .collect()
    } else {
        vec![None; COLUMNS]
    };
    let header_span = span(&header).or_else(|| span(&debris));
    let data = span(&values);
    let start = header_span
        .as_ref()
        .or(data.as_ref())
        .map_or(0, |r| r.start);
    let end = data.as_ref().or(header_span.as_ref()).map_or(0, |r| r.end);
    Some(Table4 {
        range: start..end,
        header: header_span,
        header_readable,
        values: cells,
        data,
        misaligned: (!aligned && !values.is_empty()).then_some(values.len()),
    })
}

/// Whether a line (its matching key and its cells' text) starts table 4 when section 四's
/// heading is lost: a header line naming 行政复议 and another header word, or a `行政复议` cell.
/// The formatter keeps such lines where they are.
pub fn is_anchor<'c>(key: &str, mut cells: impl Iterator<Item = &'c str>) -> bool {
    key.starts_with("行政复议") && HEADER_WORDS.iter().filter(|w| key.contains(*w)).count() >= 2
        || cells.any(|c| normalize::key(c) == "行政复议")
}

fn region(text: &str, lines: &[Line], sections: &[Section]) -> Option<(usize, usize)> {
    let line_of = |offset: usize| {
        lines
            .iter()
            .position(|l| l.range.start >= offset)
            .unwrap_or(lines.len())
    };
    if let Some(s) = sections.iter().find(|s| s.number == 4) {
        return Some((s.line + 1, line_of(s.body.end)));
    }
    let from = lines.iter().position(|l| l.anchors(text).table4)?;
    let start = lines[from].range.start;
    let to = sections
        .iter()
        .find(|s| s.heading.start > start)
        .map_or(lines.len(), |s| s.line);
    Some((from, to))
}

/// A plain line that is part of a header printed as text (`结 结 其 尚`, `行政复议 行政诉讼`).
fn looks_like_header_debris(text: &str, range: &Range<usize>) -> bool {
    let s = &text[range.clone()];
    let key = normalize::key(s);
    const WORDS: &[&str] = &[
        "行政复议",
        "行政诉讼",
        "结果",
        "维持",
        "纠正",
        "审结",
        "总计",
        "起诉",
    ];
    WORDS.iter().any(|w| key.contains(w)) && key.chars().count() <= 40
        || s.split_whitespace().count() >= 3 && s.split_whitespace().all(|w| w.chars().count() == 1)
}
