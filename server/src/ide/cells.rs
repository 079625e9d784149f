//! The value cells of tables 2, 3 and 4 as the editor features see them: where each cell sits
//! (its full path, `表三 · （三）不予公开 · 1.属于国家秘密 · 自然人`). What the relations say about a
//! cell is the relation engine's ([`crate::relations`], in the `Analysis`): a hover never
//! evaluates a relation itself, so it cannot contradict a diagnostic.

use crate::checks::{column_name, row_label};
pub use crate::model::CellAt;
use crate::model::{Cell, Line, Report};
use crate::template::{self, TemplateId};

/// One value cell of the report.
#[derive(Clone, Copy, Debug)]
pub struct ValueCell<'a> {
    pub at: CellAt,
    pub cell: &'a Cell,
}

/// The format the report is judged against (what the checks use when none was detected).
pub fn template_of(report: &Report) -> TemplateId {
    report.template.unwrap_or_else(TemplateId::latest)
}

/// Every value cell of tables 2, 3 and 4, in table order.
pub fn value_cells(report: &Report) -> Vec<ValueCell<'_>> {
    let mut out = Vec::new();
    if let Some(table) = &report.table2 {
        let template = template::template(template_of(report));
        for row in &table.rows {
            let Some(block) = template.table2_block(row.block) else {
                continue;
            };
            for (column, cell) in row.aligned(block.columns.len()).iter().enumerate() {
                if column < block.columns.len() {
                    out.push(ValueCell {
                        at: CellAt::Table2 {
                            block: row.block,
                            row: row.id,
                            column,
                        },
                        cell,
                    });
                }
            }
        }
    }
    if let Some(table) = &report.table3 {
        for row in &table.rows {
            for (column, cell) in row.values.iter().enumerate() {
                if let Some(cell) = cell {
                    out.push(ValueCell {
                        at: CellAt::Table3 {
                            row: row.id,
                            column,
                        },
                        cell,
                    });
                }
            }
        }
    }
    if let Some(table) = &report.table4 {
        for (column, cell) in table.values.iter().enumerate() {
            if let Some(cell) = cell {
                out.push(ValueCell {
                    at: CellAt::Table4 { column },
                    cell,
                });
            }
        }
    }
    out
}

/// The value cell at byte `offset`: the one containing it, else one ending exactly there (a
/// cursor right after a number), else an empty cell standing there.
pub fn cell_at(report: &Report, offset: usize) -> Option<ValueCell<'_>> {
    let cells = value_cells(report);
    cells
        .iter()
        .find(|c| c.cell.range.contains(&offset))
        .or_else(|| {
            cells
                .iter()
                .find(|c| !c.cell.range.is_empty() && c.cell.range.end == offset)
        })
        .or_else(|| cells.iter().find(|c| c.cell.range.start == offset))
        .copied()
}

/// The line holding byte `offset` (lines are sorted and do not overlap).
pub fn line_at(report: &Report, offset: usize) -> Option<(usize, &Line)> {
    let i = report
        .lines
        .partition_point(|l| l.range.start <= offset)
        .checked_sub(1)?;
    let line = &report.lines[i];
    (offset <= line.range.end).then_some((i, line))
}

/// The template row of a table-3 row id: the report's format first, then the other.
pub fn table3_spec(report: &Report, id: &str) -> Option<&'static template::Table3Row> {
    let first = template_of(report);
    std::iter::once(first)
        .chain(TemplateId::all().filter(move |t| *t != first))
        .find_map(|t| template::template(t).table3_row(id))
}

/// The labels of a table-3 row, general to specific: `（三）不予公开 · 1.属于国家秘密`.
pub fn table3_row_path(report: &Report, id: &str) -> String {
    match table3_spec(report, id) {
        Some(spec) => match (&spec.level2, &spec.level3) {
            (Some(l2), Some(l3)) => format!("{l2} · {l3}"),
            (Some(l2), None) => l2.clone(),
            _ => spec.level1.clone(),
        },
        None => row_label(id).to_string(),
    }
}

/// A table-3 column with its spanning header: `法人或其他组织 · 商业企业`, `自然人`.
pub fn table3_column_path(report: &Report, column: usize) -> String {
    let columns = template::template(template_of(report)).table3_columns();
    match columns.get(column) {
        Some(c) => match &c.parent {
            Some(parent) => format!("{parent} · {}", c.label),
            None => c.label.clone(),
        },
        None => column_name(column).to_string(),
    }
}

/// A short column name for inlay hints: `商业企业`, `复议后起诉·总计`, `本年制发件数`.
pub fn short_column_name(report: &Report, at: CellAt) -> String {
    match at {
        CellAt::Table2 { block, column, .. } => template::template(template_of(report))
            .table2_block(block)
            .and_then(|b| b.columns.get(column))
            .map_or_else(String::new, |c| c.label.clone()),
        CellAt::Table3 { column, .. } => column_name(column).to_string(),
        CellAt::Table4 { column } => {
            let template = template::template(template_of(report));
            let Some(c) = template.table4_columns().get(column) else {
                return String::new();
            };
            let group = template.table4.groups.iter().find(|g| g.id == c.group);
            match group {
                Some(g) => format!("{}·{}", g.label, c.label),
                None => c.label.clone(),
            }
        }
    }
}

/// The full path of a cell: `表三 · （三）不予公开 · 1.属于国家秘密 · 自然人`.
pub fn path(report: &Report, at: CellAt) -> String {
    match at {
        CellAt::Table2 { block, row, column } => {
            let template = template::template(template_of(report));
            let Some(b) = template.table2_block(block) else {
                return "表二".to_string();
            };
            let row = b.row(row).map_or("", |r| r.label.as_str());
            let column = b.columns.get(column).map_or("", |c| c.label.as_str());
            format!("表二 · {} · {row} · {column}", b.caption)
        }
        CellAt::Table3 { row, column } => format!(
            "表三 · {} · {}",
            table3_row_path(report, row),
            table3_column_path(report, column)
        ),
        CellAt::Table4 { column } => format!(
            "表四 · {}",
            template::template(template_of(report)).table4_column_name(column)
        ),
    }
}
