//! The title and the report year. The year decides the template (templates.md: by the year the
//! data covers, not the publication date), so it is read from the most reliable place first:
//! the title, then the stated data period, then the years the prose before the tables names.

use std::ops::Range;

use super::lines::{Line, LineKind};
use super::{Section, Year};

/// Where the report year was read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum YearSource {
    Title,
    /// `本报告中所列数据统计期限为2022年1月1日至12月31日`.
    Period,
    /// The year most often named in the prose before the tables.
    Prose,
}

/// The title: the title line, with the organ name line above it when the title is split over
/// two lines (`沙河市卫生健康局` / `2020年政府信息公开工作年度报告`).
pub fn title(text: &str, lines: &[Line]) -> Option<Range<usize>> {
    let at = lines.iter().position(|l| l.kind == LineKind::Title)?;
    let mut range = lines[at].range.clone();
    if let Some(prev) = lines[..at].iter().rev().find(|l| l.kind != LineKind::Blank)
        && prev.kind == LineKind::Paragraph
        && is_organ_name(prev.text(text))
    {
        range.start = prev.range.start;
    }
    Some(range)
}

fn is_organ_name(s: &str) -> bool {
    let s = s.trim();
    let n = s.chars().count();
    (2..=40).contains(&n) && !s.contains(['。', '，', ',', '：', ':', '；'])
}

/// The report year and the data-period years.
pub fn detect(
    text: &str,
    lines: &[Line],
    title: Option<&Range<usize>>,
    sections: &[Section],
) -> (Option<Year>, Vec<Year>) {
    let period = period_years(text, lines);
    if let Some(range) = title
        && let Some((year, at)) = years_in(&text[range.clone()], range.start)
            .into_iter()
            .next()
    {
        return (
            Some(Year {
                year,
                range: at,
                source: YearSource::Title,
            }),
            period,
        );
    }
    if let Some(first) = period.first() {
        return (Some(first.clone()), period);
    }
    (prose_year(text, lines, sections), period)
}

/// Whether a line states the data period (`统计期限为…`). The formatter keeps such lines where
/// they are.
pub fn is_period_line(s: &str) -> bool {
    PERIOD_WORDS.iter().any(|w| s.contains(w))
}

const PERIOD_WORDS: &[&str] = &["统计期限", "统计时间", "统计时限"];

fn period_years(text: &str, lines: &[Line]) -> Vec<Year> {
    let mut out = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let s = line.text(text);
        if !(s.contains("统计期限") || s.contains("统计时间") || s.contains("统计时限"))
        {
            continue;
        }
        // A hard-wrapped PDF line continues the sentence on the next line.
        let end = lines
            .get(i + 1)
            .filter(|l| l.kind == LineKind::Paragraph)
            .map_or(line.range.end, |l| l.range.end);
        let span = line.range.start..end;
        for (year, at) in years_in(&text[span.clone()], span.start) {
            out.push(Year {
                year,
                range: at,
                source: YearSource::Period,
            });
        }
        if !out.is_empty() {
            break;
        }
    }
    out
}

/// The year named most often (ties: the later) in the prose before section 二.
fn prose_year(text: &str, lines: &[Line], sections: &[Section]) -> Option<Year> {
    let end = sections
        .iter()
        .find(|s| s.number >= 2)
        .map_or(text.len(), |s| s.heading.start);
    let mut counts: Vec<(u32, usize, Range<usize>)> = Vec::new();
    for line in lines
        .iter()
        .filter(|l| l.range.end <= end && l.cells.is_empty())
    {
        for (year, at) in years_in(line.text(text), line.range.start) {
            match counts.iter_mut().find(|(y, _, _)| *y == year) {
                Some(entry) => entry.1 += 1,
                None => counts.push((year, 1, at)),
            }
        }
    }
    counts
        .into_iter()
        .max_by_key(|&(year, n, _)| (n, year))
        .map(|(year, _, range)| Year {
            year,
            range,
            source: YearSource::Prose,
        })
}

/// Every `2020年` / `2020 年` / `２０２０年` / `二〇二〇年` in `s` with a plausible report year,
/// as (year, absolute byte range of the digits): a run of exactly four digits, spaces, then 年.
/// Read back from each 年 (a byte search), so the text between is not decoded.
pub fn years_in(s: &str, base: usize) -> Vec<(u32, Range<usize>)> {
    let mut out = Vec::new();
    for (at, _) in s.match_indices('年') {
        let mut before = s[..at]
            .char_indices()
            .rev()
            .skip_while(|&(_, c)| super::lines::is_space(c))
            .peekable();
        let Some(end) = before.peek().map(|&(i, c)| i + c.len_utf8()) else {
            continue;
        };
        // The digits, last first; a fifth means a longer number, no year.
        let mut digits = [0u32; 5];
        let mut count = 0;
        let mut start = end;
        for (i, c) in before {
            let Some(d) = digit(c) else { break };
            digits[count] = d;
            count += 1;
            start = i;
            if count == digits.len() {
                break;
            }
        }
        if count != 4 {
            continue;
        }
        let year = digits[..4].iter().rev().fold(0, |v, d| v * 10 + d);
        if (2000..=2099).contains(&year) {
            out.push((year, base + start..base + end));
        }
    }
    out
}

fn digit(c: char) -> Option<u32> {
    ascii_digit(c).or_else(|| chinese_digit(c))
}

/// An ASCII or full-width digit's value.
pub(crate) fn ascii_digit(c: char) -> Option<u32> {
    match c {
        '0'..='9' => c.to_digit(10),
        '０'..='９' => Some(c as u32 - '０' as u32),
        _ => None,
    }
}

fn chinese_digit(c: char) -> Option<u32> {
    match c {
        '〇' | '零' => Some(0),
        '一' => Some(1),
        '二' => Some(2),
        '三' => Some(3),
        '四' => Some(4),
        '五' => Some(5),
        '六' => Some(6),
        '七' => Some(7),
        '八' => Some(8),
        '九' => Some(9),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_years_in_every_spelling() {
        let ys: Vec<u32> = years_in(
            "2020 年，自 2023年1月 与 ２０２１年、二〇二二年；12345年 1999年",
            0,
        )
        .into_iter()
        .map(|(y, _)| y)
        .collect();
        assert_eq!(ys, vec![2020, 2023, 2021, 2022]);
    }

    #[test]
    fn year_ranges_point_at_the_digits() {
        let s = "北京 2020 年报告";
        let (_, r) = years_in(s, 10).remove(0);
        assert_eq!(&s[r.start - 10..r.end - 10], "2020");
    }

    /// The reading before it went back from each 年 (forward over every character, every
    /// digit run): the reference.
    fn years_in_forward(s: &str, base: usize) -> Vec<(u32, Range<usize>)> {
        let mut out = Vec::new();
        if !s.contains('年') {
            return out; // every year is followed by 年
        }
        let chars: Vec<(usize, char)> = s.char_indices().collect();
        let mut i = 0;
        while i < chars.len() {
            let digit = |c: char| ascii_digit(c).or_else(|| chinese_digit(c));
            if digit(chars[i].1).is_none() || (i > 0 && digit(chars[i - 1].1).is_some()) {
                i += 1;
                continue;
            }
            let mut j = i;
            let mut value: u32 = 0;
            while j < chars.len() && j - i < 5 {
                match digit(chars[j].1) {
                    Some(d) => value = value * 10 + d,
                    None => break,
                }
                j += 1;
            }
            let digits_end = j;
            while j < chars.len() && crate::model::lines::is_space(chars[j].1) {
                j += 1;
            }
            if digits_end - i == 4
                && chars.get(j).is_some_and(|&(_, c)| c == '年')
                && (2000..=2099).contains(&value)
            {
                let start = chars[i].0;
                let end = chars.get(digits_end).map_or(s.len(), |&(b, _)| b);
                out.push((value, base + start..base + end));
            }
            i = digits_end.max(i + 1);
        }
        out
    }

    proptest::proptest! {
        #[test]
        fn reading_back_from_each_year_mark_equals_reading_forward(
            pieces in proptest::collection::vec(proptest::sample::select(vec![
                "2", "0", "1", "9", "２", "０", "二", "〇", "零", "九", "十", "年", " ", "\u{3000}",
                "\t", "\n", "a", "报", "，", "20", "2020", "12345",
            ]), 0..40),
            base in 0usize..100,
        ) {
            let s: String = pieces.concat();
            proptest::prop_assert_eq!(years_in(&s, base), years_in_forward(&s, base));
        }
    }
}
