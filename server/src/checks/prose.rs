//! Figures stated in the prose against the tables (`text-table-mismatch`, rules.md §5).
//!
//! What a line states is read by the model ([`crate::model::prose`]: only unambiguous figures);
//! here each is compared with its table. A received count that equals 一 + 二 is read as
//! including the carried-over applications and passes. Always a warning.

use std::ops::Range;

use crate::diagnostics::{Code, Diagnostic};
use crate::model::prose::Quantity;
use crate::model::{Cell, LineKind, Report};

pub fn check(text: &str, report: &Report, out: &mut Vec<Diagnostic>) {
    for section in report
        .sections
        .iter()
        .filter(|s| matches!(s.number, 1 | 3 | 4))
    {
        // The lines are in text order: the section's are found by binary search, not by
        // visiting every line for every section (quadratic in a concatenation of reports).
        let first = report
            .lines
            .partition_point(|l| l.range.start < section.body.start);
        for line in report.lines[first..]
            .iter()
            .take_while(|l| l.range.start < section.body.end)
            .filter(|l| {
                matches!(
                    l.kind,
                    LineKind::Paragraph | LineKind::Subheading | LineKind::Other
                )
            })
        {
            for stated in line.stated(text) {
                let at = line.range.start;
                let range = at + stated.range.start..at + stated.range.end;
                compare(text, report, stated.quantity, stated.figure, range, out);
            }
        }
    }
}

fn compare(
    text: &str,
    report: &Report,
    quantity: Quantity,
    figure: i64,
    range: Range<usize>,
    out: &mut Vec<Diagnostic>,
) {
    let table_value = |cells: &[Option<&Cell>]| -> Option<(i64, Range<usize>)> {
        let mut sum = 0;
        for cell in cells {
            let cell = (*cell)?;
            if cell.is_blank() {
                return None; // a blank total is the table's problem, not the prose's
            }
            sum += cell.count_or_zero()?;
        }
        Some((
            sum,
            cells
                .first()
                .copied()
                .flatten()
                .map_or(0..0, |c| c.range.clone()),
        ))
    };
    // A table-3 row's 总计, also where its columns cannot be aligned but the answer does not
    // depend on the alignment (`Table3Row::total`); pointing at the 总计 cell, else the row.
    let t3 = |id: &str| -> Option<(i64, Range<usize>)> {
        let row = report.table3.as_ref()?.row(id)?;
        let at = row.value(6).map_or(row.range.clone(), |c| c.range.clone());
        Some((row.total()?, at))
    };
    let t4 = |c: usize| report.table4.as_ref().and_then(|t| t.value(c));
    let (what, value) = match quantity {
        Quantity::Received => ("表三“一、本年新收政府信息公开申请数量”的总计", t3("new")),
        Quantity::Carried => (
            "表三“二、上年结转政府信息公开申请数量”的总计",
            t3("carried"),
        ),
        Quantity::CarryNext => ("表三“四、结转下年度继续办理”的总计", t3("carry_next")),
        Quantity::Review => ("表四“行政复议”的总计", table_value(&[t4(4)])),
        Quantity::Litigation => ("表四“行政诉讼”两组总计之和", table_value(&[t4(9), t4(14)])),
    };
    let Some((value, at)) = value else {
        return;
    };
    if value == figure {
        return;
    }
    if quantity == Quantity::Received
        && let Some((carried, _)) = t3("carried")
        && value + carried == figure
    {
        return; // 收到 N 件 meaning 新收 + 上年结转: the sentence can be read that way
    }
    let stated = &text[range.clone()];
    out.push(
        Diagnostic::new(
            Code::TextTableMismatch,
            range,
            format!("正文所述 {stated} 与{what} {value} 不一致"),
        )
        .with_related(at, format!("{what}：{value}")),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Regression: every section visited every line of the report, so a concatenation of
    /// reports (thousands of sections) took time quadratic in its length — half of the
    /// analysis of 16 MB of reports. Now the lines of each section are found by binary search.
    #[test]
    fn many_sections_take_linear_time() {
        let unit = "一、总体情况\n本年度收到政府信息公开申请 5 件。\n\
            三、收到和处理政府信息公开申请情况\n本年度行政复议 2 件。\n";
        let text = unit.repeat(10_000);
        let tree = crate::syntax::parse(&text);
        let report = crate::model::read(&text, &tree, None);
        assert!(report.sections.len() >= 20_000, "{}", report.sections.len());
        let started = std::time::Instant::now();
        let mut out = Vec::new();
        check(&text, &report, &mut out);
        let took = started.elapsed();
        assert!(took < std::time::Duration::from_secs(3), "{took:?}");
    }
}
