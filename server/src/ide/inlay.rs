//! Inlay hints: the column name before each number standing alone on its line (one cell per
//! line, layouts 1b and 1c, where nobody can tell which column a `0` is in), and the value a
//! figure should have after the figure the relation engine blames (never after a right total).

use std::ops::Range;

use super::cells::{self, line_at};
use crate::analysis::Analysis;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InlayKind {
    /// A column name, shown before the value (`自然人：`).
    Column,
    /// A computed value, shown after a wrong total (`应为 12`).
    Computed,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Inlay {
    /// Where the hint stands (before the cell for a column, after it for a computed value).
    pub offset: usize,
    pub label: String,
    pub kind: InlayKind,
    /// Longer text for the hint's tooltip.
    pub tooltip: Option<String>,
}

/// The hints whose position lies in `range` (byte offsets of the text).
pub fn inlay_hints(text: &str, analysis: &Analysis, range: Range<usize>) -> Vec<Inlay> {
    let report = &analysis.report;
    let mut out = Vec::new();
    for c in cells::value_cells(report) {
        let cell = &c.cell.range;
        if cell.end < range.start || cell.start > range.end {
            continue;
        }
        let alone = line_at(report, cell.start).is_some_and(|(_, line)| {
            line.cells.iter().filter(|s| !s.range.is_empty()).count() <= 1
                && text[line.range.clone()].trim() == text[cell.clone()].trim()
        });
        if alone && !cell.is_empty() {
            let name = cells::short_column_name(report, c.at);
            if !name.is_empty() {
                out.push(Inlay {
                    offset: cell.start,
                    label: format!("{name}："),
                    kind: InlayKind::Column,
                    tooltip: Some(cells::path(report, c.at)),
                });
            }
        }
        // The value a unique explanation proves: on the blamed figure only.
        if let Some((_, blame)) = analysis.relations.blame(c.at) {
            let why: Vec<String> = blame
                .failed
                .iter()
                .map(|&i| {
                    let r = analysis.relations.instances[i].relation;
                    format!("{}：{}", r.rule, r.description)
                })
                .collect();
            out.push(Inlay {
                offset: cell.end,
                label: format!("应为 {}", blame.expected),
                kind: InlayKind::Computed,
                tooltip: Some(format!(
                    "改为 {} 后下列关系全部成立：\n{}",
                    blame.expected,
                    why.join("\n")
                )),
            });
        }
    }
    out.retain(|h| range.start <= h.offset && h.offset <= range.end);
    out.sort_by_key(|h| h.offset);
    out
}
