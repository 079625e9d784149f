//! Reading table 2 (主动公开政府信息情况): a stack of blocks per 第二十条 item, each a caption, a
//! header starting `信息内容`, and data rows. Table 2 has no arithmetic (rules.md §2); it is read
//! for its cells (types, number formats) and for the format evidence its headers carry
//! (`本年新制作数量` is F2019, `本年制发件数` F2021).
//!
//! Rows are found by label anywhere in the region; which column a value is in is decided by the
//! checks once the format is known (the same row has other columns in each format).

use std::ops::Range;

use super::lines::{CellSpan, Line};
use super::rows::{RawKind, is_label, raw_rows};
use super::{Cell, FormatEvidence, Section};
use crate::normalize;
use crate::template::{self, TemplateId};

#[derive(Clone, Debug, PartialEq)]
pub struct Table2Row {
    /// The template block id (`a20_1`) and row id (`regulations`).
    pub block: &'static str,
    pub id: &'static str,
    pub label: Range<usize>,
    /// The value cells after the label, surplus trailing blanks (merged cells) dropped.
    pub values: Vec<Cell>,
}

impl Table2Row {
    /// The values for `columns` columns: placeholder cells of a merged label column in front
    /// (`规章⇥⇥0⇥0⇥0`) are dropped while there are more cells than columns.
    pub fn aligned(&self, columns: usize) -> &[Cell] {
        let mut values = self.values.as_slice();
        while values.len() > columns && values.first().is_some_and(|c| c.range.is_empty()) {
            values = &values[1..];
        }
        values
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Table2 {
    pub range: Range<usize>,
    pub rows: Vec<Table2Row>,
    pub evidence: Vec<FormatEvidence>,
}

/// Whether a line (by its matching key) starts table 2 when section 二's heading is lost: the
/// caption of its first block. The formatter keeps such lines where they are.
pub fn is_anchor(key: &str) -> bool {
    key.contains("第二十条第(一)项")
}

/// The most value columns a table-2 block has (F2019 （五）（六）: 上一年项目数量, 本年增/减, 处理决定数量).
const MAX_COLUMNS: usize = 3;

pub fn read(text: &str, lines: &[Line], sections: &[Section]) -> Option<Table2> {
    let line_of = |offset: usize| {
        lines
            .iter()
            .position(|l| l.range.start >= offset)
            .unwrap_or(lines.len())
    };
    let (from, to) = match sections.iter().find(|s| s.number == 2) {
        Some(s) => (s.line + 1, line_of(s.body.end)),
        None => {
            let from = lines.iter().position(|l| l.anchors(text).table2)?;
            let start = lines[from].range.start;
            (
                from,
                sections
                    .iter()
                    .find(|s| s.heading.start > start)
                    .map_or(lines.len(), |s| s.line),
            )
        }
    };
    let raw = raw_rows(text, lines, from, to);
    let mut rows: Vec<Table2Row> = Vec::new();
    let mut evidence = Vec::new();
    let mut first: Option<usize> = None;
    let mut last: usize = 0;
    for row in raw.iter().filter(|r| r.kind != RawKind::Loose) {
        // The key of every cell (empty for an empty cell), used for evidence and for the label.
        let keys: Vec<String> = row
            .cells
            .iter()
            .map(|c| {
                if c.is_empty() {
                    String::new()
                } else {
                    normalize::key(&text[c.range.clone()])
                }
            })
            .collect();
        for (cell, key) in row.cells.iter().zip(&keys).filter(|(c, _)| !c.is_empty()) {
            if let Some((formats, marker)) = template::marked_by(key) {
                evidence.push(FormatEvidence {
                    formats,
                    range: cell.range.clone(),
                    what: format!("表二有“{}”", marker.text),
                });
            }
        }
        if !row.cells.iter().any(|c| is_label(text, c)) {
            // Values on lines of their own (1c: `规章 |` / `0 |` / `0 |`) continue the row above.
            if let Some(prev) = rows.last_mut().filter(|r| r.values.len() < MAX_COLUMNS) {
                prev.values.extend(
                    row.cells
                        .iter()
                        .filter(|c| !c.is_empty())
                        .map(|c| Cell::read(text, c.range.clone())),
                );
                last = last.max(prev.values.last().map_or(0, |c| c.range.end));
            }
            continue;
        }
        let Some((label_at, block, id)) = match_row(&row.cells, &keys) else {
            continue;
        };
        if rows.iter().any(|r| r.block == block && r.id == id) {
            continue;
        }
        let mut after = &row.cells[label_at + 1..];
        while after.last().is_some_and(CellSpan::is_empty) {
            after = &after[..after.len() - 1];
        }
        // What follows the row's label is its values — a word there too (`行政许可⇥若干⇥12⇥40`:
        // `若干` is a value that is not a number) — but for a local sub-row label in a label
        // column of its own (`其他对外管理服务事项⇥行政检查⇥21⇥-15⇥12584`): a known sub-label, or
        // a text cell before more cells than a block has columns.
        while let Some(first) = after.first()
            && is_label(text, first)
            && (after.len() > MAX_COLUMNS
                || is_sub_label(block, id, &normalize::key(&text[first.range.clone()])))
        {
            after = &after[1..];
        }
        let values: Vec<Cell> = after
            .iter()
            .map(|c| Cell::read(text, c.range.clone()))
            .collect();
        let label = row.cells[label_at].range.clone();
        first.get_or_insert(label.start);
        last = last.max(values.last().map_or(label.end, |c| c.range.end));
        rows.push(Table2Row {
            block,
            id,
            label,
            values,
        });
    }
    let start = first?;
    Some(Table2 {
        range: start..last.max(start),
        rows,
        evidence,
    })
}

/// The (cell index, block, row) of a row's label: the most specific (last) cell that names a row
/// of any format. `keys` are the cells' matching keys.
fn match_row(cells: &[CellSpan], keys: &[String]) -> Option<(usize, &'static str, &'static str)> {
    let formats = TemplateId::newest_first();
    for (i, key) in keys
        .iter()
        .enumerate()
        .rev()
        .filter(|(i, _)| !cells[*i].is_empty())
    {
        for id in &formats {
            for block in template::template(*id).table2_blocks() {
                if let Some(row) = block.rows.iter().find(|r| r.keys().contains(key)) {
                    return Some((i, block.id.as_str(), row.id.as_str()));
                }
            }
        }
    }
    None
}

/// Whether `key` is a known local sub-row label of a row (`行政检查` under `其他对外管理服务事项`).
fn is_sub_label(block: &str, row: &str, key: &str) -> bool {
    template::templates().iter().any(|t| {
        t.table2_block(block)
            .and_then(|b| b.row(row))
            .is_some_and(|r| r.sub_labels.iter().any(|s| normalize::key(s) == key))
    })
}
