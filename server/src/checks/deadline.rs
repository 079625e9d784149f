//! The publication deadline of 《条例》第四十九条 (rules.md §6, code `deadline-late`): a report on
//! year Y whose closing date line is later than Y+1-01-31 (a department) or Y+1-03-31 (the 本级政府
//! report) gets a warning. The deadlines and the organ names they apply to are data
//! (`data/deadlines.toml`).
//!
//! Only what is known with confidence is judged: the report year read from the title or the stated
//! data period, the organ read from the title, and the date line at the very end of the document
//! (never a date in the middle of the text). A township (乡镇、街道) is not 县级以上: no deadline.

use std::ops::Range;
use std::sync::LazyLock;

use serde::Deserialize;

use crate::analysis::Deadlines;
use crate::diagnostics::{Code, Diagnostic};
use crate::model::lines::is_space;
use crate::model::year::{self, years_in};
use crate::model::{LineKind, Report, YearSource};
use crate::normalize;
use crate::statute::{self, StatuteRef};

const SOURCE: &str = crate::data::DEADLINES;

pub fn check(text: &str, report: &Report, overrides: &Deadlines, out: &mut Vec<Diagnostic>) {
    let Some(year) = report
        .year
        .as_ref()
        .filter(|y| matches!(y.source, YearSource::Title | YearSource::Period))
    else {
        return;
    };
    let Some(title) = &report.title else { return };
    let Some((line, date)) = date_line(text, report) else {
        return;
    };
    let Some(organ) = organ_name(&text[title.clone()]) else {
        return;
    };
    let Some(kind) = rules().classify(&organ) else {
        return;
    };
    let Some(deadline) = &kind.deadline else {
        return; // a township: no statutory deadline
    };
    // A deadline set in nianbao.toml (`[deadline]`) takes the statute's place.
    let set = match kind.kind.as_str() {
        "government" => overrides.government.map(|d| (d, "government")),
        "department" => overrides.department.map(|d| (d, "department")),
        _ => None,
    };
    let (month, day) = set.map_or((deadline.month, deadline.day), |(d, _)| (d.month, d.day));
    let due = Date {
        year: year.year + 1,
        month,
        day,
    };
    if date <= due {
        return;
    }
    let message = match set {
        None => format!(
            "落款日期 {date} 晚于法定期限：{}应于 {due}前公布（条例{}）",
            deadline.report, deadline.reference
        ),
        Some((_, key)) => format!(
            "落款日期 {date} 晚于规定期限：{}应于 {due}前公布（配置 [deadline] {key}；条例{}定为次年{}月{}日）",
            deadline.report, deadline.reference, deadline.month, deadline.day
        ),
    };
    let mut d = Diagnostic::new(Code::DeadlineLate, line, message).with_related(
        title.clone(),
        format!(
            "据标题判断为{}（{}），报告年度 {}",
            deadline.report, organ, year.year
        ),
    );
    if year.source == YearSource::Period {
        d = d.with_related(
            year.range.clone(),
            format!("报告年度 {}（数据统计期限）", year.year),
        );
    }
    out.push(d);
}

/// A calendar date; ordered by time.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Date {
    year: u32,
    month: u32,
    day: u32,
}

impl std::fmt::Display for Date {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}年{}月{}日", self.year, self.month, self.day)
    }
}

/// The closing date line: the last line of the document that is not blank, a page number or a
/// comment, when it is a date and nothing else. Its range (without surrounding space) and date.
fn date_line(text: &str, report: &Report) -> Option<(Range<usize>, Date)> {
    let last = report.lines.iter().rev().find(|l| {
        let s = l.text(text).trim_matches(is_space);
        !(matches!(l.kind, LineKind::Blank | LineKind::PageNumber)
            || s.is_empty()
            || s.starts_with("<!--"))
    })?;
    if !last.cells.is_empty() {
        return None;
    }
    let raw = last.text(text);
    let s = raw.trim_start_matches(is_space);
    let start = last.range.start + (raw.len() - s.len());
    let s = s.trim_end_matches(is_space);
    Some((start..start + s.len(), parse_date(s)?))
}

/// `2021 年 1 月 4 日`, `2021年1月4日`, `２０２１年１月４日`, `二〇二一年一月四日` (also with `○` or
/// `O` for 〇): the whole string, a valid calendar date.
fn parse_date(s: &str) -> Option<Date> {
    // Any other CJK ideograph settles it before the copy (the last line can be a long paragraph).
    if normalize::has_ideograph_besides(s, "年月日零一二两三四五六七八九十百") {
        return None;
    }
    let s: String = s.chars().filter(|&c| !is_space(c)).collect();
    let (year, rest) = s.split_once('年')?;
    let (month, rest) = rest.split_once('月')?;
    let day = rest.strip_suffix('日')?;
    let year = arabic(year).or_else(|| {
        let digits: String = year
            .chars()
            .map(|c| match c {
                '○' | 'O' | 'Ｏ' | 'o' | '０' => '〇',
                c => c,
            })
            .collect();
        normalize::chinese_digit_string(&digits)
    })?;
    let month = arabic(month).or_else(|| normalize::chinese_numeral(month))?;
    let day = arabic(day).or_else(|| normalize::chinese_numeral(day))?;
    let date = Date { year, month, day };
    ((1000..=9999).contains(&year)
        && (1..=12).contains(&month)
        && (1..=days_in(date)).contains(&day))
    .then_some(date)
}

/// ASCII or full-width digits, at most four.
fn arabic(s: &str) -> Option<u32> {
    if s.is_empty() || s.chars().count() > 4 {
        return None;
    }
    s.chars()
        .try_fold(0u32, |acc, c| Some(acc * 10 + year::ascii_digit(c)?))
}

fn days_in(date: Date) -> u32 {
    match date.month {
        2 if date.year.is_multiple_of(4)
            && (!date.year.is_multiple_of(100) || date.year.is_multiple_of(400)) =>
        {
            29
        }
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// The organ's name in a title: what stands before `政府信息公开`, without the year and spaces
/// (`北京市密云区卫生健康委员会 2020 年政府信息公开…` → `北京市密云区卫生健康委员会`). `None` when the
/// title names no organ.
fn organ_name(title: &str) -> Option<String> {
    let end = title.find("政府信息公开")?;
    let head = &title[..end];
    let mut name = String::new();
    let mut at = 0;
    for (_, range) in years_in(head, 0) {
        name.push_str(&head[at..range.start]);
        // Skip the year's `年` / `年度`.
        let rest = &head[range.end..];
        let after = rest.trim_start_matches(is_space);
        let after = after.strip_prefix('年').unwrap_or(after);
        let after = after.strip_prefix('度').unwrap_or(after);
        at = head.len() - after.len();
    }
    name.push_str(&head[at..]);
    let mut name: String = name.chars().filter(|&c| !is_space(c)).collect();
    // `上海市人民政府信息公开…`: the 政府 of 人民政府 was read as the start of 政府信息公开.
    if name.ends_with("人民") {
        name.push_str("政府");
    }
    (!name.is_empty()).then_some(name)
}

// ---------------------------------------------------------------------------------------------------------
// Data
// ---------------------------------------------------------------------------------------------------------

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Rules {
    organs: Vec<Organ>,
}

/// A kind of report author, recognised by how its name ends.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Organ {
    /// `township`, `government`, `department`.
    kind: String,
    /// Name endings; empty for the kind every other name belongs to.
    endings: Vec<String>,
    /// `None`: 第四十九条 sets no date for this kind.
    deadline: Option<Deadline>,
}

/// When the report on year Y is due: `month`/`day` of year Y+1.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Deadline {
    month: u32,
    day: u32,
    /// The paragraph that sets it: `第四十九条第一款`.
    #[serde(rename = "ref")]
    reference: String,
    /// What the message calls the report: `部门年度报告`.
    report: String,
}

impl Rules {
    /// The kind of organ a name belongs to: the first whose endings end it, else the default.
    fn classify(&self, name: &str) -> Option<&Organ> {
        self.organs
            .iter()
            .find(|o| o.endings.iter().any(|e| name.ends_with(e.as_str())))
            .or_else(|| self.organs.iter().find(|o| o.endings.is_empty()))
    }
}

static RULES: LazyLock<Rules> = LazyLock::new(|| {
    load(SOURCE).unwrap_or_else(|e| panic!("embedded data/deadlines.toml is invalid: {e}"))
});

fn rules() -> &'static Rules {
    &RULES
}

/// The statute's deadline for a kind of report (`department`, `government`): month, day and
/// the paragraph that sets it — what `[deadline]` of nianbao.toml replaces.
pub fn statutory(kind: &str) -> Option<(crate::analysis::MonthDay, &'static str)> {
    let d = rules()
        .organs
        .iter()
        .find(|o| o.kind == kind)?
        .deadline
        .as_ref()?;
    Some((
        crate::analysis::MonthDay {
            month: d.month,
            day: d.day,
        },
        d.reference.as_str(),
    ))
}

/// Reads and validates the data: one default kind, dates that exist, references that resolve in
/// the statute and whose text names the same month and day.
fn load(source: &str) -> Result<Rules, String> {
    let rules: Rules = crate::data::parse(source)?;
    if rules.organs.iter().filter(|o| o.endings.is_empty()).count() != 1 {
        return Err("exactly one organ kind must have no endings (the default)".into());
    }
    for organ in &rules.organs {
        let Some(d) = &organ.deadline else { continue };
        let date = Date {
            year: 2001,
            month: d.month,
            day: d.day,
        };
        if !(1..=12).contains(&d.month) || !(1..=days_in(date)).contains(&d.day) {
            return Err(format!(
                "{}: no such date {}-{}",
                organ.kind, d.month, d.day
            ));
        }
        let r: StatuteRef = statute::parse_reference(&d.reference)
            .ok_or_else(|| format!("{}: unreadable reference `{}`", organ.kind, d.reference))?;
        let entry = statute::lookup(&r)
            .ok_or_else(|| format!("{}: `{}` is not in statute.toml", organ.kind, d.reference))?;
        let said = format!("每年{}月{}日前", d.month, d.day);
        if !entry.paragraph_text.unwrap_or_default().contains(&said) {
            return Err(format!(
                "{}: {} does not say {said}",
                organ.kind, d.reference
            ));
        }
    }
    Ok(rules)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_data_is_valid_and_agrees_with_the_statute() {
        assert!(load(SOURCE).is_ok(), "{:?}", load(SOURCE).err());
        let broken = SOURCE.replace("month = 3, day = 31", "month = 4, day = 30");
        assert!(load(&broken).is_err());
    }

    #[test]
    fn reads_dates_in_every_spelling() {
        let d = |y, m, d| {
            Some(Date {
                year: y,
                month: m,
                day: d,
            })
        };
        assert_eq!(parse_date("2021 年 1 月 4 日"), d(2021, 1, 4));
        assert_eq!(parse_date("2021年1月4日"), d(2021, 1, 4));
        assert_eq!(parse_date("２０２１年１２月３１日"), d(2021, 12, 31));
        assert_eq!(parse_date("二〇二一年一月四日"), d(2021, 1, 4));
        assert_eq!(parse_date("二○二二年十二月二十一日"), d(2022, 12, 21));
        assert_eq!(parse_date("二O二四年三月三十一日"), d(2024, 3, 31));
        assert_eq!(parse_date("2024年2月29日"), d(2024, 2, 29));
        for bad in [
            "2023年2月29日",
            "2021年13月1日",
            "2021年1月32日",
            "2021年1月",
            "发布日期：2021年1月4日",
            "2021年1月4日印发",
            "2020-01-31",
            "",
        ] {
            assert_eq!(parse_date(bad), None, "{bad}");
        }
    }

    #[test]
    fn organ_names_from_titles() {
        for (title, name) in [
            (
                "2019年上海市人民政府办公厅政府信息公开工作年度报告",
                "上海市人民政府办公厅",
            ),
            (
                "北京市密云区卫生健康委员会 2020 年政府信息公开工作年度报告",
                "北京市密云区卫生健康委员会",
            ),
            (
                "淮安市人民政府\n2024 年政府信息公开工作年度报告",
                "淮安市人民政府",
            ),
            ("2022年上海市政府信息公开工作年度报告", "上海市"),
            (
                "上海市人民政府2022年度政府信息公开工作年度报告",
                "上海市人民政府",
            ),
            ("上海市人民政府信息公开工作2022年度报告", "上海市人民政府"),
        ] {
            assert_eq!(organ_name(title).as_deref(), Some(name), "{title}");
        }
        assert_eq!(organ_name("2022年政府信息公开工作年度报告"), None);
        assert_eq!(organ_name("沙河市卫生健康局工作总结"), None);
    }

    const LATE: &str = "测试市卫生健康委员会2023年政府信息公开工作年度报告\n\n一、总体情况\n依据条例第四十九条第一款按期公布。\n\n测试市卫生健康委员会\n2024年2月15日\n";

    #[test]
    fn severity_overrides_apply() {
        use crate::analysis::{Config, analyze};
        use crate::diagnostics::Severity;
        let late = |config: &Config| -> Vec<Severity> {
            analyze(LATE, config)
                .diagnostics
                .iter()
                .filter(|d| d.code == Code::DeadlineLate)
                .map(|d| d.severity)
                .collect()
        };
        let mut config = Config::default();
        assert_eq!(late(&config), [Severity::Warning]);
        config
            .severity
            .insert(Code::DeadlineLate, Some(Severity::Error));
        assert_eq!(late(&config), [Severity::Error]);
        config.severity.insert(Code::DeadlineLate, None);
        assert!(late(&config).is_empty());
    }

    #[test]
    fn article_49_has_a_hover() {
        use crate::analysis::{Config, analyze};
        let analysis = analyze(LATE, &Config::default());
        let at = LATE.find("第四十九条").unwrap_or_default() + 3;
        let hover = crate::ide::hover(LATE, &analysis, at);
        assert!(
            hover.is_some_and(|h| h.markdown.contains("每年1月31日前")),
            "no hover for 第四十九条"
        );
    }

    #[test]
    fn organ_kinds() {
        let kind = |name: &str| rules().classify(name).map(|o| o.kind.as_str());
        for (name, expected) in [
            ("上海市人民政府办公厅", "department"),
            ("淮安市洪泽区人民政府办公室", "department"),
            ("沭阳县发展和改革局", "department"),
            ("上海市科委", "department"),
            ("北京市密云区卫生健康委员会", "department"),
            ("住房和城乡建设局", "department"),
            ("淮安市人民政府", "government"),
            ("上海市", "government"),
            ("北京市密云区", "government"),
            ("沭阳县", "government"),
            ("沭阳县沭城街道办事处", "township"),
            ("沭阳县庙头镇人民政府", "township"),
            ("某某乡", "township"),
        ] {
            assert_eq!(kind(name), Some(expected), "{name}");
        }
    }
}
