//! Table 4: its 15 columns (column-missing, header-unreadable) and T4-SUM (rules.md §3): in each
//! of the three groups, 总计 = 结果维持 + 结果纠正 + 其他结果 + 尚未审结.

use std::borrow::Cow;

use super::naming::table4_column_name;
use super::relations::{Instance, column_terms, evaluate, row_terms};
use crate::diagnostics::{Code, Diagnostic};
use crate::model::Report;
use crate::model::table4::COLUMNS;
use crate::template::{self, TableId, TemplateId};

pub fn check(text: &str, report: &Report, out: &mut Vec<Diagnostic>) {
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
            return;
        }
        None if table.data.is_none() => {
            out.push(Diagnostic::new(
                Code::RowMissing,
                at,
                "表四缺少数据行（15 个数值）",
            ));
            return;
        }
        None => {}
    }
    let template = template::template(TemplateId::F2021);
    let columns = template.table4_columns();
    for relation in template
        .relations()
        .iter()
        .filter(|r| r.table == TableId::Table4)
    {
        let Some(code) = Code::parse(&relation.code) else {
            continue;
        };
        let ids: Vec<&str> = columns.iter().map(|c| c.id.as_str()).collect();
        let Some(terms) = column_terms(relation, || ids.iter()) else {
            continue;
        };
        let side = |cols: &[usize]| {
            row_terms(
                cols,
                |c| table.value(c),
                |c| Cow::Owned(table4_column_name(c)),
                |c| columns[c].total,
            )
        };
        let group = terms
            .rhs
            .first()
            .map(|&c| table4_column_name(c))
            .unwrap_or_default();
        let group = group.trim_end_matches(" · 总计").to_string();
        evaluate(
            text,
            Instance {
                code,
                rule: relation.rule.as_str(),
                lhs: side(&terms.lhs),
                rhs: side(&terms.rhs),
                target: terms.target,
                message: Box::new(move |expected, actual, formula| {
                    format!(
                        "表四“{group}”的总计应为 {expected}（结果维持、结果纠正、其他结果、尚未审结之和：{formula}），实为 {actual}"
                    )
                }),
            },
            out,
        );
    }
}
