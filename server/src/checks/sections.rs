//! Sections: each of the six present once, in order (templates.md §1); sections 二, 三, 四 each
//! hold their table; section 五 says something.

use crate::diagnostics::{Code, Diagnostic, Edit};
use crate::model::Report;
use crate::normalize;
use crate::template::{self, TemplateId};

pub fn check(text: &str, report: &Report, out: &mut Vec<Diagnostic>) {
    let id = report.template.unwrap_or_else(TemplateId::latest);
    let specs = &template::template(id).sections;
    let mut seen: Vec<u8> = Vec::new();
    let mut highest = 0u8;
    for section in &report.sections {
        let numeral = numeral(section.number);
        if seen.contains(&section.number) {
            out.push(
                Diagnostic::new(
                    Code::SectionDuplicate,
                    section.heading.clone(),
                    format!("第{numeral}部分重复出现"),
                )
                .with_related(first_heading(report, section.number), "第一次出现在这里"),
            );
            continue;
        }
        seen.push(section.number);
        if section.number < highest {
            out.push(Diagnostic::new(
                Code::SectionOrder,
                section.heading.clone(),
                format!("第{numeral}部分应在第{}部分之前", numeral_of(highest)),
            ));
        } else if let Some(written) = section.written_number
            && written != u32::from(section.number)
        {
            let written = normalize::to_chinese_numeral(written).unwrap_or_default();
            out.push(Diagnostic::new(
                Code::SectionOrder,
                section.heading.clone(),
                format!(
                    "“{}”按模板是第{numeral}部分，编号应为“{numeral}、”，实为“{written}、”",
                    section_title(text, section)
                ),
            ));
        }
        highest = highest.max(section.number);
    }
    for spec in specs {
        if seen.contains(&spec.number) {
            continue;
        }
        let at = report
            .sections
            .iter()
            .filter(|s| s.number > spec.number)
            .map(|s| s.heading.start)
            .min()
            .unwrap_or(report.len);
        let heading = format!("{}、{}", spec.numeral, spec.title);
        let insert = format!("{heading}\n{}\n", skeleton(id, spec.number));
        out.push(
            Diagnostic::new(
                Code::SectionMissing,
                at..at,
                format!("缺少第{}部分“{heading}”", spec.numeral),
            )
            .with_fix(
                format!("插入“{heading}”"),
                vec![Edit {
                    range: at..at,
                    new_text: insert,
                }],
            ),
        );
    }
    tables_present(report, out);
    section_five_empty(text, report, out);
}

/// The table skeleton inserted with a missing section (empty for prose sections).
fn skeleton(id: TemplateId, number: u8) -> String {
    crate::skeleton::section_table(id, number).unwrap_or_default()
}

fn tables_present(report: &Report, out: &mut Vec<Diagnostic>) {
    let inside = |n: u8, start: Option<usize>| match (report.section(n), start) {
        (Some(s), Some(at)) => s.body.contains(&at),
        _ => false,
    };
    let found = [
        (
            2,
            report.table2.as_ref().map(|t| t.range.start),
            "表二（主动公开政府信息情况）",
        ),
        (
            3,
            report.table3.as_ref().map(|t| t.range.start),
            "表三（收到和处理政府信息公开申请情况）",
        ),
        (
            4,
            report.table4.as_ref().map(|t| t.range.start),
            "表四（政府信息公开行政复议、行政诉讼情况）",
        ),
    ];
    for (n, start, name) in found {
        let Some(section) = report.section(n) else {
            continue;
        };
        if !inside(n, start) {
            out.push(Diagnostic::new(
                Code::TableMissing,
                section.heading.clone(),
                format!("第{}部分中没有可识别的{name}", numeral(n)),
            ));
        }
    }
}

fn section_five_empty(text: &str, report: &Report, out: &mut Vec<Diagnostic>) {
    let Some(section) = report.section(5) else {
        return;
    };
    let body_start = report
        .lines
        .get(section.line)
        .map_or(section.body.start, |l| l.range.end);
    let body: String = text[body_start.min(section.body.end)..section.body.end]
        .lines()
        .filter(|l| !crate::model::lines::is_markdown_rule(l))
        .collect();
    let body = body.as_str();
    // A CJK ideograph stays one character of the key: with three, the key is none of these.
    let ideographs = body
        .chars()
        .filter(|&c| crate::normalize::is_cjk_ideograph(c))
        .take(3)
        .count();
    if ideographs >= 3 {
        return;
    }
    let key = normalize::key(body);
    if key.is_empty() || key == "无" || key == "无。" {
        out.push(Diagnostic::new(
            Code::SectionEmpty,
            section.heading.clone(),
            "第五部分应说明存在的主要问题及改进情况，实为空",
        ));
    }
}

fn first_heading(report: &Report, number: u8) -> std::ops::Range<usize> {
    report.section(number).map_or(0..0, |s| s.heading.clone())
}

fn section_title<'t>(text: &'t str, section: &crate::model::Section) -> &'t str {
    crate::model::lines::without_markdown(&text[section.heading.clone()])
}

fn numeral(n: u8) -> String {
    normalize::to_chinese_numeral(u32::from(n)).unwrap_or_default()
}

fn numeral_of(n: u8) -> String {
    numeral(n)
}
