//! The report's year and format: the tables follow the format of the report year
//! (templates.md: F2019 for 2019–2020, F2021 from 2021) and use one format only
//! (`template-mismatch`); the stated data period is the report year (`year-mismatch`); an F2021
//! report says in 六 what it charged as 信息处理费 (`fee-not-reported`, templates.md §5).

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::LazyLock;

use serde::Deserialize;

use crate::diagnostics::{Code, Diagnostic};
use crate::model::lines::without_markdown;
use crate::model::{LineKind, Report, YearSource};
use crate::normalize;
use crate::template;

pub fn check(text: &str, report: &Report, out: &mut Vec<Diagnostic>) {
    format_mismatch(report, out);
    period(report, out);
    fee(text, report, out);
}

/// The layout before the first official format (`data/legacy.toml`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Legacy {
    last_year: u32,
    headings: Vec<String>,
    #[serde(skip)]
    keys: Vec<String>,
}

static LEGACY: LazyLock<Legacy> = LazyLock::new(|| {
    let mut legacy: Legacy = crate::data::parse(crate::data::LEGACY)
        .unwrap_or_else(|e| panic!("embedded data/legacy.toml is invalid: {e}"));
    legacy.keys = legacy.headings.iter().map(|h| normalize::key(h)).collect();
    legacy
});

/// A report on a year before the first official format, or written in the old layout (two of
/// its section titles): one `template-mismatch` saying it is not checked against a format, in
/// place of every other finding (which would be a cascade of missing sections and rows).
pub fn predates(text: &str, report: &Report) -> Option<Diagnostic> {
    let old: Vec<(std::ops::Range<usize>, &str)> = report
        .lines
        .iter()
        .filter(|l| l.kind == LineKind::Heading)
        .filter_map(|l| {
            let (_, title) = without_markdown(l.text(text)).split_once('、')?;
            is_legacy_title(title).then(|| (l.range.clone(), title))
        })
        .collect();
    let early = report
        .year
        .as_ref()
        .filter(|y| y.year <= LEGACY.last_year && y.source != YearSource::Prose);
    let first = crate::template::templates()
        .iter()
        .map(|t| t.years.first)
        .min()
        .unwrap_or(LEGACY.last_year + 1);
    let (range, message) = match (early, old.as_slice()) {
        (Some(y), _) => (
            y.range.clone(),
            format!(
                "本报告为 {} 年度报告，早于 {first} 年起施行的官方年度报告格式，不按该格式核对（缺少的部分、表格与数字均不检查）",
                y.year
            ),
        ),
        (None, [a, b, ..]) => (
            a.0.clone(),
            format!(
                "本报告沿用 {first} 年以前的年度报告格式（“{}”“{}”等部分），不按现行官方格式逐项核对；如为 {first} 年及以后的报告，请按现行格式重排",
                a.1, b.1
            ),
        ),
        _ => return None,
    };
    let mut d = Diagnostic::new(Code::TemplateMismatch, range, message);
    for (range, title) in old.iter().take(10) {
        d = d.with_related(range.clone(), format!("旧格式的部分：{title}"));
    }
    Some(d)
}

thread_local! {
    /// [`is_legacy_title`] by title: the language server checks every heading of a report at
    /// each keystroke, and their keys were most of the cost of `predates` on a large one.
    static LEGACY_TITLES: RefCell<HashMap<Box<str>, bool>> = RefCell::new(HashMap::new());
}

/// Whether a section title (without its numeral) is one only the old layout has.
fn is_legacy_title(title: &str) -> bool {
    let is = |title: &str| LEGACY.keys.contains(&normalize::key(title));
    LEGACY_TITLES.with(|memo| {
        let Ok(mut memo) = memo.try_borrow_mut() else {
            return is(title);
        };
        if let Some(&known) = memo.get(title) {
            return known;
        }
        let known = is(title);
        // Bounded: titles typed letter by letter would otherwise pile up.
        if memo.len() >= 4096 {
            memo.clear();
        }
        memo.insert(title.into(), known);
        known
    })
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn legacy_titles_are_known_by_their_keys_asked_once_or_again() {
        let mut titles: Vec<String> = LEGACY.headings.clone();
        titles.extend(
            [
                "概　述",
                "“概述”",
                " 政府信息公开情况统计表 ",
                "总体情况",
                "概述了",
                "",
            ]
            .map(String::from),
        );
        for title in &titles {
            let direct = LEGACY.keys.contains(&normalize::key(title));
            assert_eq!(is_legacy_title(title), direct, "{title:?}");
            assert_eq!(is_legacy_title(title), direct, "{title:?}, remembered");
        }
    }
}
