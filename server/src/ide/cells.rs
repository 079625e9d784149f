//! The value cells of tables 2, 3 and 4 as the editor features see them: where each cell sits
//! (its full path, `表三 · （三）不予公开 · 1.属于国家秘密 · 自然人`) and, for a total, the relations
//! of the template it is the target of, evaluated with the report's own numbers.
//!
//! The evaluation mirrors `checks::relations` (blank parts count as 0, a part that is not a
//! number or was not read leaves the relation unassessed), so a hover never contradicts a
//! diagnostic.

use std::ops::Range;

use crate::checks::{column_name, row_label, table4_column_name};
use crate::model::table3::Table3Row;
use crate::model::{Cell, Line, Report};
use crate::template::{self, Relation, TableId, TemplateId, TermAxis};

/// Where a value cell stands in the template.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CellAt {
    /// Table 2: block id (`a20_1`), row id (`regulations`), column index in the block.
    Table2 {
        block: &'static str,
        row: &'static str,
        column: usize,
    },
    /// Table 3: row id (`r3_1`), column 0 (自然人) … 6 (总计).
    Table3 { row: &'static str, column: usize },
    /// Table 4: column 0 … 14.
    Table4 { column: usize },
}

/// One value cell of the report.
#[derive(Clone, Copy, Debug)]
pub struct ValueCell<'a> {
    pub at: CellAt,
    pub cell: &'a Cell,
}

/// The format the report is judged against (what the checks use when none was detected).
pub fn template_of(report: &Report) -> TemplateId {
    report.template.unwrap_or(TemplateId::F2021)
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
        .chain(TemplateId::ALL.into_iter().filter(move |t| *t != first))
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
pub fn table3_column_path(column: usize) -> String {
    let columns = template::template(TemplateId::F2021).table3_columns();
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
            let template = template::template(TemplateId::F2021);
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
            table3_column_path(column)
        ),
        CellAt::Table4 { column } => format!("表四 · {}", table4_column_name(column)),
    }
}

/// One term of an evaluated relation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TermValue {
    /// `自然人`, `1.属于国家秘密`, `行政复议 · 结果维持`.
    pub name: String,
    /// As written, `空` for a blank, `?` when not read.
    pub shown: String,
    /// The count (blank → 0); `None` when not a usable number or not read.
    pub value: Option<i64>,
    pub range: Option<Range<usize>>,
}

/// A relation of the template whose target is a given cell, evaluated.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TotalCheck {
    /// `T3-BAL`, `T3-RES`, `T3-COL`, `T4-SUM`.
    pub rule: &'static str,
    /// The template's Chinese statement of the relation.
    pub description: &'static str,
    /// The target's own name (`总计`, `（七）总计`, `四、结转下年度继续办理`).
    pub target: String,
    /// Terms that add up (the other side of the relation).
    pub plus: Vec<TermValue>,
    /// Terms on the target's side other than the target (subtracted).
    pub minus: Vec<TermValue>,
    /// What the target must be; `None` when a term is unusable.
    pub expected: Option<i64>,
    /// The target as written.
    pub actual: TermValue,
}

impl TotalCheck {
    /// `Some(true)` when the relation holds, `Some(false)` when it does not, `None` when it cannot
    /// be assessed (a term or the total itself is not a number).
    pub fn holds(&self) -> Option<bool> {
        let expected = self.expected?;
        if self.actual.shown == "空" {
            return Some(expected == 0);
        }
        Some(self.actual.value? == expected)
    }
}

fn term(text: &str, cell: Option<&Cell>, name: String) -> TermValue {
    match cell {
        None => TermValue {
            name,
            shown: "?".to_string(),
            value: None,
            range: None,
        },
        Some(c) => TermValue {
            name,
            shown: if c.is_blank() {
                "空".to_string()
            } else {
                text[c.range.clone()].trim().to_string()
            },
            value: c.count_or_zero(),
            range: Some(c.range.clone()),
        },
    }
}

fn sum(terms: &[TermValue]) -> Option<i64> {
    terms
        .iter()
        .try_fold(0i64, |acc, t| acc.checked_add(t.value?))
}

/// The relations `at` is the target of, evaluated (none for an ordinary cell).
pub fn total_checks(text: &str, report: &Report, at: CellAt) -> Vec<TotalCheck> {
    let template = template::template(template_of(report));
    let mut out = Vec::new();
    match at {
        CellAt::Table2 { .. } => {}
        CellAt::Table3 { row, column } => {
            let Some(table) = &report.table3 else {
                return out;
            };
            let columns = template::template(TemplateId::F2021).table3_columns();
            let Some(column_spec) = columns.get(column) else {
                return out;
            };
            for relation in relations(template.relations(), TableId::Table3) {
                match relation.terms {
                    TermAxis::Rows => {
                        if relation.target != row || !relation.applies_to(&column_spec.id) {
                            continue;
                        }
                        let (Some(lhs), Some(rhs)) = (
                            table.resolve_rows(&relation.lhs),
                            table.resolve_rows(&relation.rhs),
                        ) else {
                            continue;
                        };
                        let terms = |rows: &[&Table3Row]| -> Vec<TermValue> {
                            rows.iter()
                                .map(|r| term(text, r.value(column), table3_row_path(report, r.id)))
                                .collect()
                        };
                        out.push(evaluate(relation, terms(&lhs), terms(&rhs), |t| {
                            rhs.iter().position(|r| r.id == t)
                        }));
                    }
                    TermAxis::Columns => {
                        if relation.target != column_spec.id || !relation.applies_to(row) {
                            continue;
                        }
                        let Some(table_row) = table.row(row) else {
                            continue;
                        };
                        let index = |id: &String| columns.iter().position(|c| &c.id == id);
                        let (Some(lhs), Some(rhs)) = (
                            relation.lhs.iter().map(index).collect::<Option<Vec<_>>>(),
                            relation.rhs.iter().map(index).collect::<Option<Vec<_>>>(),
                        ) else {
                            continue;
                        };
                        let terms = |cols: &[usize]| -> Vec<TermValue> {
                            cols.iter()
                                .map(|&c| {
                                    term(text, table_row.value(c), column_name(c).to_string())
                                })
                                .collect()
                        };
                        out.push(evaluate(relation, terms(&lhs), terms(&rhs), |t| {
                            relation.rhs.iter().position(|c| c == t)
                        }));
                    }
                }
            }
        }
        CellAt::Table4 { column } => {
            let Some(table) = &report.table4 else {
                return out;
            };
            let t4 = template::template(TemplateId::F2021);
            let columns = t4.table4_columns();
            let Some(column_spec) = columns.get(column) else {
                return out;
            };
            for relation in relations(t4.relations(), TableId::Table4) {
                if relation.target != column_spec.id {
                    continue;
                }
                let index = |id: &String| columns.iter().position(|c| &c.id == id);
                let (Some(lhs), Some(rhs)) = (
                    relation.lhs.iter().map(index).collect::<Option<Vec<_>>>(),
                    relation.rhs.iter().map(index).collect::<Option<Vec<_>>>(),
                ) else {
                    continue;
                };
                let terms = |cols: &[usize]| -> Vec<TermValue> {
                    cols.iter()
                        .map(|&c| term(text, table.value(c), table4_column_name(c)))
                        .collect()
                };
                out.push(evaluate(relation, terms(&lhs), terms(&rhs), |t| {
                    relation.rhs.iter().position(|c| c == t)
                }));
            }
        }
    }
    out
}

fn relations(all: &[Relation], table: TableId) -> impl Iterator<Item = &Relation> {
    all.iter().filter(move |r| r.table == table)
}

/// `lhs = rhs` with the target in `rhs` at `target_index(relation.target)`.
fn evaluate(
    relation: &'static Relation,
    lhs: Vec<TermValue>,
    mut rhs: Vec<TermValue>,
    target_index: impl Fn(&str) -> Option<usize>,
) -> TotalCheck {
    let index = target_index(&relation.target).unwrap_or(0);
    let actual = if index < rhs.len() {
        rhs.remove(index)
    } else {
        TermValue {
            name: String::new(),
            shown: "?".to_string(),
            value: None,
            range: None,
        }
    };
    let expected = match (sum(&lhs), sum(&rhs)) {
        (Some(l), Some(r)) => l.checked_sub(r),
        _ => None,
    };
    TotalCheck {
        rule: relation.rule.as_str(),
        description: relation.description.as_str(),
        target: actual.name.clone(),
        plus: lhs,
        minus: rhs,
        expected,
        actual,
    }
}
