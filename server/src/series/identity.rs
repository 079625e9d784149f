//! Report identity: the body that issued a report and the year it reports on, read from
//! whichever of these the report has — the title, the report's name in the opening paragraph
//! (`现向社会公布××局2023年度政府信息公开年度报告`), the data period (`统计期限自2020年1月1日起至
//! 2020年12月31日止`), the signature at the end (a body's name over a date) and the file name
//! (`平潭综合实验区2021年政府信息公开工作年度报告.txt`).
//!
//! The body is taken from the first source that names one, in that order (a government's report is
//! often signed by its 办公室, so the title outranks the signature). The year must be the same
//! wherever it is stated: a report copied from last year's file and not yet updated everywhere
//! has no year rather than a wrong one, so it is not compared with anything.

use std::ops::Range;

use super::names;
use crate::model::lines::is_space;
use crate::model::year::years_in;
use crate::model::{Line, LineKind, Report};
use crate::normalize;

/// Where a fact of a report's identity was read.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Source {
    Title,
    /// The report's name in the paragraphs before section 一.
    Opening,
    /// The stated data period (a year only).
    Period,
    /// The body's name over the closing date (a body only).
    Signature,
    FileName,
}

impl Source {
    /// The stable name used in the JSON output.
    pub fn as_str(self) -> &'static str {
        match self {
            Source::Title => "title",
            Source::Opening => "opening",
            Source::Period => "period",
            Source::Signature => "signature",
            Source::FileName => "filename",
        }
    }

    /// In Chinese, for hovers and notes.
    pub fn describe(self) -> &'static str {
        match self {
            Source::Title => "标题",
            Source::Opening => "开头的报告名",
            Source::Period => "统计期限",
            Source::Signature => "文末落款",
            Source::FileName => "文件名",
        }
    }
}

/// What one source says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reading {
    pub source: Source,
    /// The body's name as written, spaces removed.
    pub body: Option<String>,
    pub year: Option<u32>,
    /// Where in the text; `None` for the file name.
    pub range: Option<Range<usize>>,
}

/// A fact and where it was read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fact<T> {
    pub value: T,
    pub source: Source,
    pub range: Option<Range<usize>>,
}

/// Which body's report on which year a text is.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Identity {
    pub body: Option<Fact<String>>,
    pub year: Option<Fact<u32>>,
    /// Every source that said something, in the order of [`identify`]'s sources.
    pub readings: Vec<Reading>,
    /// Why the body or the year is unknown, in Chinese.
    pub problems: Vec<String>,
}

/// Sources of the body, the most reliable first.
const BODY_ORDER: [Source; 4] = [
    Source::Title,
    Source::Opening,
    Source::Signature,
    Source::FileName,
];

/// How far into the opening paragraph the report's name is looked for: it is the first thing said
/// (`现向社会公布…`), and further on the prose names other bodies' documents
/// (`《福建省2019年政务公开工作…》`).
const OPENING_CHARS: usize = 600;

/// Reads the identity of a report; `file_name` is the file's name (with or without extension).
pub fn identify(text: &str, report: &Report, file_name: Option<&str>) -> Identity {
    let mut readings = Vec::new();
    if let Some(range) = &report.title {
        let phrase = report_name(&text[range.clone()], range.start, false).map(|(p, _)| p);
        let year = phrase.as_ref().and_then(|p| p.year).or_else(|| {
            report
                .year
                .as_ref()
                .filter(|y| y.source == crate::model::YearSource::Title)
                .map(|y| y.year)
        });
        readings.push(Reading {
            source: Source::Title,
            body: phrase.and_then(|p| p.body),
            year,
            range: Some(range.clone()),
        });
    }
    if let Some((phrase, range)) = opening(text, report) {
        readings.push(Reading {
            source: Source::Opening,
            body: phrase.body,
            year: phrase.year,
            range: Some(range),
        });
    }
    if let Some(period) = report.period_years.first() {
        readings.push(Reading {
            source: Source::Period,
            body: None,
            year: Some(period.year),
            range: Some(period.range.clone()),
        });
    }
    if let Some((body, range)) = signature(text, &report.lines) {
        readings.push(Reading {
            source: Source::Signature,
            body: Some(body),
            year: None,
            range: Some(range),
        });
    }
    if let Some(name) = file_name {
        let phrase = file_name_phrase(stem(name));
        if phrase.body.is_some() || phrase.year.is_some() {
            readings.push(Reading {
                source: Source::FileName,
                body: phrase.body,
                year: phrase.year,
                range: None,
            });
        }
    }
    decide(readings)
}

/// The body from the most reliable source naming one; the year where every source agrees.
fn decide(readings: Vec<Reading>) -> Identity {
    let mut problems = Vec::new();
    let body = BODY_ORDER.iter().find_map(|source| {
        readings
            .iter()
            .find(|r| r.source == *source && r.body.is_some())
            .and_then(|r| {
                Some(Fact {
                    value: r.body.clone()?,
                    source: r.source,
                    range: r.range.clone(),
                })
            })
    });
    if body.is_none() {
        problems.push("标题、开头、文末落款和文件名中都没有读出发布机关".to_string());
    }
    let years: Vec<(&Reading, u32)> = readings.iter().filter_map(|r| Some((r, r.year?))).collect();
    let year = match years.first() {
        None => {
            problems.push("标题、开头、统计期限和文件名中都没有读出报告年度".to_string());
            None
        }
        Some(&(first, value)) if years.iter().all(|&(_, y)| y == value) => Some(Fact {
            value,
            source: first.source,
            range: first.range.clone(),
        }),
        Some(_) => {
            let said: Vec<String> = years
                .iter()
                .map(|(r, y)| format!("{}为 {y} 年", r.source.describe()))
                .collect();
            problems.push(format!("报告年度不一致：{}", said.join("，")));
            None
        }
    };
    Identity {
        body,
        year,
        readings,
        problems,
    }
}

/// A report's name as read: `淮安市洪泽区人民政府2024年政府信息公开工作年度报告`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct Phrase {
    body: Option<String>,
    year: Option<u32>,
}

/// Words that start the kind of report after the body's name (`…局政府信息公开工作年度报告`).
const REPORT_WORDS: &[&str] = &[
    "政府信息公开",
    "政务公开",
    "信息公开",
    "工作年度报告",
    "年度报告",
    "年报",
];

/// The report's name in `s` (at byte `base` of the text): a year followed, within a few
/// characters, by `年度报告` or `年报`, with the body's name before the year
/// (`沭阳县发展和改革局2023年度…`) or between it and the kind of report (`2019年上海市人民政府办公厅
/// 政府信息公开…`). `need_body`: skip names without a plausible body (the opening paragraph names
/// other documents too); a title may name only the year.
fn report_name(s: &str, base: usize, need_body: bool) -> Option<(Phrase, usize)> {
    for (year, digits) in years_in(s, base) {
        let after = after_year(s, digits.end - base);
        let rest = &s[after..];
        let window: String = rest.chars().filter(|&c| !is_space(c)).take(40).collect();
        if !(window.contains("年度报告") || window.contains("年报") || window.starts_with('报'))
        {
            continue;
        }
        let body = if REPORT_WORDS.iter().any(|w| window.starts_with(w)) || window.starts_with('报')
        {
            name_before(&s[..digits.start - base])
        } else {
            name_after(rest)
        };
        let body = body.filter(|b| names::plausible(b));
        if need_body && body.is_none() {
            continue;
        }
        let phrase = Phrase {
            body,
            year: Some(year),
        };
        return Some((phrase, digits.start));
    }
    None
}

/// The byte offset in `s` after a year's `年` / `年度` and the space after it.
fn after_year(s: &str, digits_end: usize) -> usize {
    let rest = s[digits_end..].trim_start_matches(is_space);
    let rest = rest.strip_prefix('年').unwrap_or(rest);
    let rest = rest.strip_prefix('度').unwrap_or(rest);
    let rest = rest.trim_start_matches(is_space);
    s.len() - rest.len()
}

/// Characters that separate a name from a year in file names and flattened text.
fn is_separator(c: char) -> bool {
    is_space(c) || matches!(c, '_' | '-' | '—' | '－' | '.' | '·' | '、' | '+')
}

/// Whether `c` can be part of a body's name: a CJK ideograph.
fn is_name_char(c: char) -> bool {
    matches!(c,
        '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}' | '\u{F900}'..='\u{FAFF}'
        | '\u{20000}'..='\u{2FFFF}')
}

/// Words after which the name of a body starts (`现向社会公布××局…`).
const LEAD_INS: &[&str] = &[
    "公布", "发布", "印发", "现将", "编制", "关于", "根据", "特此",
];

/// The name just before the end of `s` (separators between them skipped), after any lead-in.
fn name_before(s: &str) -> Option<String> {
    let s = s.trim_end_matches(is_separator);
    let start = s
        .char_indices()
        .rev()
        .take_while(|&(_, c)| is_name_char(c))
        .last()
        .map(|(i, _)| i)?;
    let mut name = &s[start..];
    if let Some(cut) = LEAD_INS
        .iter()
        .filter_map(|w| name.rfind(w).map(|i| i + w.len()))
        .max()
    {
        name = &name[cut..];
    }
    (!name.is_empty()).then(|| name.to_string())
}

/// The name at the start of `s`, up to the kind of report (`上海市人民政府办公厅政府信息公开…`).
fn name_after(s: &str) -> Option<String> {
    let s = s.trim_start_matches(is_separator);
    let end = s
        .char_indices()
        .find(|&(_, c)| !is_name_char(c))
        .map_or(s.len(), |(i, _)| i);
    let run = &s[..end];
    let cut = REPORT_WORDS.iter().filter_map(|w| run.find(w)).min()?;
    let mut name = run[..cut].to_string();
    // `上海市人民政府信息公开…`: the 政府 of 人民政府 was read as the start of 政府信息公开.
    if name.ends_with("人民") {
        name.push_str("政府");
    }
    (!name.is_empty()).then_some(name)
}

/// The report's name in the text before section 一 (after the title), read as one string — a
/// name may be broken over lines (`2024 年上海市科委政府信息公开工作` / `年度报告`) — with the range
/// of the line its year is on.
fn opening(text: &str, report: &Report) -> Option<(Phrase, Range<usize>)> {
    let end = report
        .sections
        .first()
        .map_or(text.len(), |s| s.heading.start);
    let start = report
        .title
        .as_ref()
        .filter(|t| t.end <= end)
        .map_or(0, |t| t.end);
    let region = text.get(start..end)?;
    let cut = region
        .char_indices()
        .nth(OPENING_CHARS)
        .map_or(region.len(), |(i, _)| i);
    let (phrase, at) = report_name(&region[..cut], start, true)?;
    let line = report
        .lines
        .iter()
        .find(|l| l.range.start <= at && at <= l.range.end)
        .map_or(at..at, |l| l.range.clone());
    Some((phrase, line))
}

/// The signature: a line naming a body right above the closing date line (blank lines and page
/// numbers aside). Its name and range.
fn signature(text: &str, lines: &[Line]) -> Option<(String, Range<usize>)> {
    let mut tail = lines
        .iter()
        .rev()
        .filter(|l| !matches!(l.kind, LineKind::Blank | LineKind::PageNumber))
        .filter(|l| !l.text(text).trim_matches(is_space).is_empty());
    let date = tail.next()?;
    if !is_date_line(date.text(text)) {
        return None;
    }
    let line = tail.next()?;
    let raw = line.text(text);
    let written = raw.trim_matches(is_space);
    if written.chars().count() > 40 || written.contains(['。', '，', ',', '：', ':', '；', '\t'])
    {
        return None;
    }
    let name: String = written.chars().filter(|&c| !is_space(c)).collect();
    if !names::plausible(&name) || !name.chars().all(is_name_char) {
        return None;
    }
    let start = line.range.start + (raw.len() - raw.trim_start_matches(is_space).len());
    Some((name, start..start + written.len()))
}

/// `2024年1月17日`, `2021 年 1 月 4 日`, and nothing else on the line.
fn is_date_line(s: &str) -> bool {
    // The key keeps every CJK ideograph as it is, so one that is neither a numeral nor 年月日
    // settles it without keying the line (a paragraph of several kilobytes, at times).
    if normalize::has_ideograph_besides(s, "年月日〇零一二三四五六七八九十") {
        return false;
    }
    let key = normalize::key(s);
    let numeral = |p: &str| {
        !p.is_empty()
            && p.chars()
                .all(|c| c.is_ascii_digit() || "〇○零一二三四五六七八九十".contains(c))
    };
    let Some((year, rest)) = key.split_once('年') else {
        return false;
    };
    let Some((month, day)) = rest.split_once('月') else {
        return false;
    };
    !years_in(&key, 0).is_empty()
        && numeral(year)
        && numeral(month)
        && day.strip_suffix('日').is_some_and(numeral)
}

/// A file name without its directory and extension.
fn stem(name: &str) -> &str {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    match base.rfind('.') {
        Some(i) if i > 0 => &base[..i],
        _ => base,
    }
}

/// A file name's body and year: `平潭综合实验区2021年政府信息公开工作年度报告`,
/// `淮安市洪泽区人民政府_2023`, `2023-淮安市洪泽区人民政府`, `2023`. The year is four digits
/// (2000–2099) not part of a longer number, with or without 年.
fn file_name_phrase(stem: &str) -> Phrase {
    let stem = normalize::key(stem);
    let Some((year, range)) = bare_year(&stem) else {
        return Phrase::default();
    };
    let after = after_year(&stem, range.end);
    let body = name_before(&stem[..range.start])
        .filter(|b| names::plausible(b))
        .or_else(|| {
            let rest = stem[after..].trim_start_matches(is_separator);
            let end = rest
                .char_indices()
                .find(|&(_, c)| !is_name_char(c))
                .map_or(rest.len(), |(i, _)| i);
            let run = &rest[..end];
            let cut = REPORT_WORDS
                .iter()
                .filter_map(|w| run.find(w))
                .min()
                .unwrap_or(run.len());
            let mut name = run[..cut].to_string();
            if name.ends_with("人民") {
                name.push_str("政府");
            }
            Some(name).filter(|b| names::plausible(b))
        });
    Phrase {
        body,
        year: Some(year),
    }
}

/// The first run of exactly four ASCII digits reading 2000–2099, and its byte range.
fn bare_year(s: &str) -> Option<(u32, Range<usize>)> {
    let bytes = s.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if !bytes[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let start = i;
        while i < bytes.len() && bytes[i].is_ascii_digit() {
            i += 1;
        }
        if i - start == 4
            && let Ok(year) = s[start..i].parse::<u32>()
            && (2000..=2099).contains(&year)
        {
            return Some((year, start..i));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn phrase(s: &str) -> (Option<String>, Option<u32>) {
        let p = report_name(s, 0, false).map(|(p, _)| p).unwrap_or_default();
        (p.body, p.year)
    }

    fn named(body: &str, year: u32) -> (Option<String>, Option<u32>) {
        (Some(body.to_string()), Some(year))
    }

    #[test]
    fn report_names_in_titles() {
        assert_eq!(
            phrase("洪泽区人民政府\n2023 年政府信息公开工作年度报告"),
            named("洪泽区人民政府", 2023)
        );
        assert_eq!(
            phrase("2019年上海市人民政府办公厅政府信息公开工作年度报告"),
            named("上海市人民政府办公厅", 2019)
        );
        assert_eq!(
            phrase("北京市密云区卫生健康委员会 2020 年政府信息公开工作年度报告"),
            named("北京市密云区卫生健康委员会", 2020)
        );
        assert_eq!(
            phrase("正文\n2024 年上海市科委政府信息公开工作\n年度报告"),
            named("上海市科委", 2024)
        );
        assert_eq!(
            phrase("2025年上海市人民政府信息公开工作年度报告"),
            named("上海市人民政府", 2025)
        );
        assert_eq!(
            phrase("Page 8 - 威海市文登区信访局2022年政府信息公开工作年度报告"),
            named("威海市文登区信访局", 2022)
        );
        assert_eq!(phrase("2023年政府信息公开工作年度报告"), (None, Some(2023)));
    }

    #[test]
    fn report_names_in_opening_paragraphs() {
        let read = |s: &str| {
            report_name(s, 0, true).map(|(p, _)| (p.body.unwrap_or_default(), p.year.unwrap_or(0)))
        };
        assert_eq!(
            read("根据《条例》要求，现向社会公布沭阳县发展和改革局2023年度政府信息公开年度报告。"),
            Some(("沭阳县发展和改革局".to_string(), 2023))
        );
        assert_eq!(
            read(
                "当前位置： 首页政务公开政府信息公开政府信息公开年报 平潭综合实验区2021年度政府信息公开工作年度报告 来源：平潭县人民政府"
            ),
            Some(("平潭综合实验区".to_string(), 2021))
        );
        // Other documents named in the opening are not a report name of a body.
        assert_eq!(
            read(
                "《福建省人民政府办公厅关于编制公布2021年政府信息公开工作年度报告有关事项的通知》"
            ),
            None
        );
        assert_eq!(read("《福建省2019年政务公开工作主要任务的通知》"), None);
        assert_eq!(
            read("本报告中所列数据统计时限为2022年1月1日至2022年12月31日"),
            None
        );
    }

    #[test]
    fn file_names() {
        let read = |s: &str| {
            let p = file_name_phrase(stem(s));
            (p.body, p.year)
        };
        assert_eq!(
            read("reports/平潭综合实验区2021年政府信息公开工作年度报告.txt"),
            named("平潭综合实验区", 2021)
        );
        assert_eq!(
            read("淮安市洪泽区人民政府_2023.txt"),
            named("淮安市洪泽区人民政府", 2023)
        );
        assert_eq!(
            read("2023-淮安市洪泽区人民政府.md"),
            named("淮安市洪泽区人民政府", 2023)
        );
        assert_eq!(
            read("2019年上海市人民政府办公厅政府信息公开工作年度报告.txt"),
            named("上海市人民政府办公厅", 2019)
        );
        assert_eq!(read("2023.txt"), (None, Some(2023)));
        assert_eq!(read("report-12345.txt"), (None, None));
        assert_eq!(read("001.txt"), (None, None));
        assert_eq!(
            read("沭阳县发改局2023年报.txt"),
            named("沭阳县发改局", 2023)
        );
    }

    #[test]
    fn date_lines() {
        assert!(is_date_line("2024年1月17日"));
        assert!(is_date_line("2021 年 1 月 4 日"));
        assert!(!is_date_line("2021年，本机关于1月4日"));
    }
}
