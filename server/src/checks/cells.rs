//! Value cells of tables 2, 3 and 4: what each may hold (rules.md §2, §4).
//!
//! - `cell-invalid` (error): text that is not a number, a negative or fractional count.
//! - `number-format` (hint, with a fix): a number written non-canonically (`减47`, `１２`, `1,234`).
//! - `cell-empty` (warning): blank cells, **one diagnostic per table** listing every blank as
//!   related information, so a table left mostly blank (corpus 003, 024) shows one warning and the
//!   real errors stay visible. Blank totals already reported as `sum-mismatch` are not repeated.

use super::naming::{column_name, row_label, table4_column_name};
use crate::diagnostics::{Code, Diagnostic, Edit};
use crate::model::{Cell, Report};
use crate::normalize::CellValue;
use crate::template::{self, TemplateId, ValueKind};

/// At most this many blank cells are listed as related information.
const MAX_LISTED_BLANKS: usize = 50;

pub fn check(text: &str, report: &Report, out: &mut Vec<Diagnostic>) {
    let mut blanks_t2 = Vec::new();
    let mut blanks_t3 = Vec::new();
    let mut blanks_t4 = Vec::new();
    let mut found = Vec::new();

    if let Some(table) = &report.table2 {
        let id = report.template.unwrap_or_else(TemplateId::latest);
        let template = template::template(id);
        let mut short_rows = Vec::new();
        for row in &table.rows {
            let Some(block) = template.table2_block(row.block) else {
                continue;
            };
            let Some(spec) = block.row(row.id) else {
                continue;
            };
            let values = row.aligned(block.columns.len());
            if values.len() < block.columns.len() {
                short_rows.push((row, block.columns.len()));
            }
            for (cell, column) in values.iter().zip(&block.columns) {
                let path = || format!("表二 · {} · {}", spec.label, column.label);
                cell_value(text, cell, column.kind, &path, &mut found, &mut blanks_t2);
            }
        }
        if let Some(&(first, expected)) = short_rows.first() {
            let mut d = Diagnostic::new(
                Code::ColumnMissing,
                first.label.start..first.values.last().map_or(first.label.end, |c| c.range.end),
                format!(
                    "表二“{}”行应有 {expected} 个数值，实为 {} 个（共 {} 行缺少数值）",
                    super::naming::quoted(text, std::slice::from_ref(&first.label)),
                    first.values.len(),
                    short_rows.len()
                ),
            );
            for (row, _) in short_rows.iter().skip(1) {
                d = d.with_related(row.label.clone(), "此行也缺少数值");
            }
            found.push(d);
        }
    }
    if let Some(table) = &report.table3 {
        for row in &table.rows {
            for (c, cell) in row.values.iter().enumerate() {
                let Some(cell) = cell else { continue };
                let path = || format!("表三 · {} · {}", row_label(row.id), column_name(c));
                cell_value(
                    text,
                    cell,
                    ValueKind::Count,
                    &path,
                    &mut found,
                    &mut blanks_t3,
                );
            }
        }
    }
    if let Some(table) = &report.table4 {
        for (c, cell) in table.values.iter().enumerate() {
            let Some(cell) = cell else { continue };
            let path = || format!("表四 · {}", table4_column_name(c));
            cell_value(
                text,
                cell,
                ValueKind::Count,
                &path,
                &mut found,
                &mut blanks_t4,
            );
        }
    }
    for (name, blanks) in [
        ("表二", blanks_t2),
        ("表三", blanks_t3),
        ("表四", blanks_t4),
    ] {
        let blanks: Vec<(&Cell, String)> = blanks
            .into_iter()
            .filter(|(cell, _)| !reported_as_total(out, cell))
            .collect();
        if let Some(d) = grouped_blanks(name, &blanks) {
            found.push(d);
        }
    }
    out.extend(found);
}

fn cell_value<'c>(
    text: &str,
    cell: &'c Cell,
    kind: ValueKind,
    path: &dyn Fn() -> String,
    out: &mut Vec<Diagnostic>,
    blanks: &mut Vec<(&'c Cell, String)>,
) {
    let written = text[cell.range.clone()].trim();
    match &cell.value {
        CellValue::Empty | CellValue::Placeholder => blanks.push((cell, path())),
        CellValue::Invalid => out.push(Diagnostic::new(
            Code::CellInvalid,
            cell.range.clone(),
            format!("{}应为{}，实为“{written}”", path(), kind.describe()),
        )),
        CellValue::Number(n) => {
            if (n.is_negative() && !kind.allows_negative())
                || (n.integer.is_none() && !kind.allows_decimal())
            {
                out.push(Diagnostic::new(
                    Code::CellInvalid,
                    cell.range.clone(),
                    format!("{}应为{}，实为“{written}”", path(), kind.describe()),
                ));
            } else if !n.canonical {
                let canonical = n.canonical_form();
                let why: Vec<&str> = n.issues.iter().map(|i| i.describe()).collect();
                out.push(
                    Diagnostic::new(
                        Code::NumberFormat,
                        cell.range.clone(),
                        format!(
                            "{}写作“{written}”（{}），应写作“{canonical}”",
                            path(),
                            why.join("，")
                        ),
                    )
                    .with_fix(
                        format!("改为 {canonical}"),
                        vec![Edit {
                            range: cell.range.clone(),
                            new_text: canonical.clone(),
                        }],
                    ),
                );
            }
        }
    }
}

fn reported_as_total(out: &[Diagnostic], cell: &Cell) -> bool {
    out.iter().any(|d| {
        d.range == cell.range && matches!(d.code, Code::SumMismatch | Code::BalanceMismatch)
    })
}

fn grouped_blanks(table: &str, blanks: &[(&Cell, String)]) -> Option<Diagnostic> {
    let (first, first_path) = blanks.first()?;
    let message = if blanks.len() == 1 {
        format!("{first_path}为空，应填写数字（空白按 0 核对）")
    } else {
        format!(
            "{table}有 {} 个空白单元格（首个：{first_path}），应填写数字（空白按 0 核对）",
            blanks.len()
        )
    };
    let mut d = Diagnostic::new(Code::CellEmpty, first.range.clone(), message);
    for (cell, path) in blanks.iter().skip(1).take(MAX_LISTED_BLANKS) {
        d = d.with_related(cell.range.clone(), format!("{path}为空"));
    }
    Some(d)
}
