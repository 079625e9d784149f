//! Table 3: its rows against the template (row-missing, row-unknown, label-mismatch) and its
//! columns (column-missing, header-unreadable). Its relations are the engine's
//! ([`crate::relations`], worded by `arithmetic`).

use std::ops::Range;

use super::naming::{column_name, row_label};
use crate::diagnostics::{Code, Diagnostic};
use crate::model::Report;
use crate::model::table3::{COLUMNS, Table3, Table3Row, row_order};
use crate::template::{self, TemplateId};

/// Below this share of matched rows the table counts as unread: one diagnostic, no row-missing
/// flood and no arithmetic (peer-lessons §1: unread is not zero).
const MIN_READ_SHARE: f64 = 0.4;

pub fn check(text: &str, report: &Report, out: &mut Vec<Diagnostic>) {
    let Some(table) = &report.table3 else { return };
    let id = report.template.unwrap_or_else(TemplateId::latest);
    let expected_rows = template::template(id).table3_rows().len();
    if (table.rows.len() as f64) < MIN_READ_SHARE * expected_rows as f64 {
        let at = table.header.clone().unwrap_or_else(|| table.range.clone());
        out.push(Diagnostic::new(
            Code::TableMissing,
            at,
            format!(
                "表三无法读取：只识别出 {} 行（模板有 {expected_rows} 行），不核对其数字",
                table.rows.len()
            ),
        ));
        return;
    }
    rows(text, table, id, out);
    columns(table, out);
}

fn rows(text: &str, table: &Table3, id: TemplateId, out: &mut Vec<Diagnostic>) {
    let template = template::template(id);
    for spec in template.table3_rows() {
        if present(table, &spec.id) {
            continue;
        }
        // The other shape of （六） in place of these rows is a template deviation, not a gap.
        if let Some(collapse) = template.table3_collapse(&spec.id)
            && table.row(&collapse.row.id).is_some()
        {
            continue;
        }
        let order = row_order(&spec.id).unwrap_or(usize::MAX);
        let at = table
            .rows
            .iter()
            .filter(|r| row_order(r.id).is_some_and(|o| o > order))
            .map(|r| r.range.start)
            .min()
            .unwrap_or(table.range.end);
        out.push(Diagnostic::new(
            Code::RowMissing,
            at..at,
            format!("表三缺少“{}”行", spec.display_label()),
        ));
    }
    for (range, label_cells) in &table.unknown {
        let label = super::naming::quoted(text, label_cells);
        let message = if label.is_empty() {
            "表三中这一行数字无法确定属于模板的哪一行（行名缺失），不参与核对".to_string()
        } else {
            format!("表三中的“{label}”不是模板中的行，不参与核对")
        };
        out.push(Diagnostic::new(Code::RowUnknown, range.clone(), message));
    }
    for row in &table.rows {
        if let Some((score, official)) = row.label_mismatch {
            out.push(Diagnostic::new(
                Code::LabelMismatch,
                row.label.clone(),
                format!(
                    "表三行名“{}”与模板“{official}”不一致（相似度 {:.0}%），按该行核对",
                    super::naming::quoted(text, &row.label_cells),
                    score * 100.0
                ),
            ));
        }
    }
}

/// Whether the table has row `id` (or, for `r6`, its three items; for an item, the single row).
fn present(table: &Table3, id: &str) -> bool {
    table.row(id).is_some()
}

fn columns(table: &Table3, out: &mut Vec<Diagnostic>) {
    let unaligned: Vec<&Table3Row> = table.rows.iter().filter(|r| r.unaligned).collect();
    let missing: Vec<&str> = (0..COLUMNS)
        .filter(|&c| !table.columns[c])
        .map(column_name)
        .collect();
    let at = table.header.clone().unwrap_or_else(|| first_row(table));
    if !table.header_readable && table.header.is_some() {
        out.push(Diagnostic::new(
            Code::HeaderUnreadable,
            at.clone(),
            "表三表头无法识别，按每行数值的个数对应各列",
        ));
    }
    if missing.is_empty() && unaligned.is_empty() {
        return;
    }
    let mut message = if missing.is_empty() {
        String::from("表三部分行的数值个数与各列不符")
    } else {
        format!("表三缺少“{}”列", missing.join("”“"))
    };
    if !unaligned.is_empty() {
        message.push_str(&format!(
            "；{} 行的数值无法与各列对齐，这些行不参与核对",
            unaligned.len()
        ));
    }
    let mut diagnostic = Diagnostic::new(Code::ColumnMissing, at, message);
    for row in unaligned.iter().take(30) {
        diagnostic = diagnostic.with_related(
            row.range.clone(),
            format!("“{}”的数值无法对齐", row_label(row.id)),
        );
    }
    out.push(diagnostic);
}

fn first_row(table: &Table3) -> Range<usize> {
    table
        .rows
        .first()
        .map_or(table.range.clone(), |r| r.range.clone())
}
