//! The report's year and format: the tables follow the format of the report year
//! (templates.md: F2019 for 2019–2020, F2021 from 2021) and use one format only
//! (`template-mismatch`); the stated data period is the report year (`year-mismatch`); an F2021
//! report says in 六 what it charged as 信息处理费 (`fee-not-reported`, templates.md §5).

use crate::diagnostics::{Code, Diagnostic};
use crate::model::{Report, YearSource};
use crate::normalize;
use crate::template;

pub fn check(text: &str, report: &Report, out: &mut Vec<Diagnostic>) {
    format_mismatch(report, out);
    period(report, out);
    fee(text, report, out);
}

fn format_mismatch(report: &Report, out: &mut Vec<Diagnostic>) {
    let Some(id) = report.template else { return };
    let Some(first) = report.evidence.iter().find(|e| !e.formats.contains(&id)) else {
        return;
    };
    let why = match &report.year {
        Some(y) => format!("{} 年度报告应使用 {} 年格式", y.year, id.as_str()),
        None => format!("本报告的表格主要按 {} 年格式", id.as_str()),
    };
    let mut d = Diagnostic::new(
        Code::TemplateMismatch,
        first.range.clone(),
        format!(
            "{why}，但{}，是 {} 年格式的写法",
            first.what,
            formats(&first.formats)
        ),
    );
    for e in report
        .evidence
        .iter()
        .filter(|e| !e.formats.contains(&id))
        .skip(1)
        .take(20)
    {
        d = d.with_related(
            e.range.clone(),
            format!("{}（{} 年格式）", e.what, formats(&e.formats)),
        );
    }
    if let Some(y) = &report.year {
        d = d.with_related(y.range.clone(), format!("报告年度 {}", y.year));
    }
    out.push(d);
}

/// `2019`, `2019、2031`.
fn formats(ids: &[crate::template::TemplateId]) -> String {
    ids.iter()
        .map(|t| t.as_str())
        .collect::<Vec<_>>()
        .join("、")
}

fn period(report: &Report, out: &mut Vec<Diagnostic>) {
    let Some(year) = report
        .year
        .as_ref()
        .filter(|y| y.source == YearSource::Title)
    else {
        return;
    };
    if let Some(p) = report.period_years.iter().find(|p| p.year != year.year) {
        out.push(
            Diagnostic::new(
                Code::YearMismatch,
                p.range.clone(),
                format!(
                    "数据统计期限应为 {} 年（标题所示年度），实为 {} 年",
                    year.year, p.year
                ),
            )
            .with_related(year.range.clone(), format!("标题年度 {}", year.year)),
        );
    }
}

fn fee(text: &str, report: &Report, out: &mut Vec<Diagnostic>) {
    let Some(id) = report.template else { return };
    let Some(section) = report.section(6) else {
        return;
    };
    let Some(spec) = template::template(id).section_by_number(6) else {
        return;
    };
    if spec.expect_mentions.is_empty() {
        return;
    }
    let body = normalize::key(&text[section.body.clone()]);
    for phrase in &spec.expect_mentions {
        let key = normalize::key(phrase);
        // Reports also write 信息公开处理费 / 处理费 for the same fee, or say 未发生收费.
        let short = key.trim_start_matches("信息");
        if !body.contains(&key)
            && !body.contains(short)
            && !body.contains("处理费")
            && !body.contains("收费")
        {
            out.push(Diagnostic::new(
                Code::FeeNotReported,
                section.heading.clone(),
                format!("第六部分未说明{phrase}的收取情况（{id} 年格式要求报告）"),
            ));
        }
    }
}
