//! Table 4: its 15 columns (column-missing, header-unreadable) and its data row (row-missing).
//! T4-SUM is the relation engine's ([`crate::relations`], worded by `arithmetic`).

use crate::diagnostics::{Code, Diagnostic};
use crate::model::Report;
use crate::model::table4::COLUMNS;

pub fn check(report: &Report, out: &mut Vec<Diagnostic>) {
    let Some(table) = &report.table4 else { return };
    let at = table.header.clone().unwrap_or_else(|| table.range.clone());
    if !table.header_readable {
        out.push(Diagnostic::new(
            Code::HeaderUnreadable,
            at.clone(),
            "表四表头无法识别（如逐字竖排的表头），按数值顺序对应 15 列",
        ));
    }
    match table.misaligned {
        Some(found) => {
            let range = table.data.clone().unwrap_or(at);
            out.push(Diagnostic::new(
                Code::ColumnMissing,
                range,
                format!("表四应有 {COLUMNS} 个数值（行政复议 5 列、行政诉讼 10 列），实为 {found} 个，无法对齐，不核对"),
            ));
        }
        None if table.data.is_none() => {
            out.push(Diagnostic::new(
                Code::RowMissing,
                at,
                "表四缺少数据行（15 个数值）",
            ));
        }
        None => {}
    }
}
