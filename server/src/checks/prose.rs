//! Figures stated in the prose against the tables (`text-table-mismatch`, rules.md §5).
//!
//! Only what is unambiguous is compared (peer-lessons §7): the sentence is cut into clauses at
//! `，。；`, a clause names one quantity by its verb (`收到…申请`, `上年结转`, `结转下年度`,
//! `行政复议`, `行政诉讼`), and the figure is the first `N 件/条/个` after that phrase with no
//! other verb (办结, 答复, …) in between. A received count that equals 一 + 二 is read as
//! including the carried-over applications and passes. Always a warning.

use std::borrow::Cow;
use std::ops::Range;

use crate::diagnostics::{Code, Diagnostic};
use crate::model::{Cell, LineKind, Report};

/// What a clause states, and how to read it from the tables.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Quantity {
    Received,
    Carried,
    CarryNext,
    Review,
    Litigation,
}

/// Words that put a figure under another verb: the figure then is not the quantity named.
const OTHER_VERBS: &[&str] = &[
    "办结",
    "答复",
    "按期",
    "逾期",
    "办理",
    "处理",
    "公开了",
    "予以",
    "不予",
    "驳回",
    "纠正",
    "维持",
    "审结",
];

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
            // What `statement` needs of a clause — an ASCII digit, and 结, 申 or 行 — the line
            // needs too: most lines end here without being cut into clauses.
            if !may_state(line.text(text)) {
                continue;
            }
            for clause in clauses(text, line.range.clone()) {
                if let Some((quantity, figure, range)) = statement(text, clause) {
                    compare(text, report, quantity, figure, range, out);
                }
            }
        }
    }
}

/// Whether a line has an ASCII digit and one of 结, 申, 行 — `s.contains(['结', '申', '行'])`,
/// compared as their UTF-8 bytes (`E7 BB 93`, `E7 94 B3`, `E8 A1 8C`; UTF-8 is self-synchronising,
/// so three bytes that spell a character are that character): a byte scan, not a char decode.
fn may_state(s: &str) -> bool {
    let b = s.as_bytes();
    b.iter().any(u8::is_ascii_digit)
        && b.windows(3).any(|w| {
            matches!(
                w,
                [0xE7, 0xBB, 0x93] | [0xE7, 0x94, 0xB3] | [0xE8, 0xA1, 0x8C]
            )
        })
}

fn clauses(text: &str, range: Range<usize>) -> Vec<Range<usize>> {
    let s = &text[range.clone()];
    let mut out = Vec::new();
    let mut start = 0;
    for (i, ch) in s.char_indices() {
        if matches!(ch, '，' | '。' | '；' | ';' | '！' | '？' | '：')
            || (ch == ',' && !s[..i].ends_with(char::is_numeric))
        {
            out.push(range.start + start..range.start + i);
            start = i + ch.len_utf8();
        }
    }
    out.push(range.start + start..range.end);
    out
}

/// The quantity a clause states and its figure (value, byte range of the digits).
fn statement(text: &str, clause: Range<usize>) -> Option<(Quantity, i64, Range<usize>)> {
    let s = &text[clause.clone()];
    // No figure without an ASCII digit (see `figure`): most clauses end here.
    if !s.bytes().any(|b| b.is_ascii_digit()) {
        return None;
    }
    let compact: Cow<'_, str> = if s.contains(char::is_whitespace) {
        Cow::Owned(s.chars().filter(|c| !c.is_whitespace()).collect())
    } else {
        Cow::Borrowed(s)
    };
    // Every quantity's phrase has 结 (结转), 申 (申请) or 行 (行政复议, 行政诉讼).
    if !compact.contains(['结', '申', '行']) {
        return None;
    }
    let (quantity, after) = if compact.contains("结转下年度") {
        (
            Quantity::CarryNext,
            s.find("结转下年度")? + "结转下年度".len(),
        )
    } else if compact.contains("上年结转") {
        (Quantity::Carried, s.find("上年结转")? + "上年结转".len())
    } else if (compact.contains("收到") || compact.contains("新收") || compact.contains("受理"))
        && compact.contains("申请")
        && !compact.contains("结转")
    {
        (Quantity::Received, s.find("申请")? + "申请".len())
    } else if compact.contains("行政复议") && !compact.contains("行政诉讼") {
        (Quantity::Review, s.find("行政复议")? + "行政复议".len())
    } else if compact.contains("行政诉讼") && !compact.contains("行政复议") {
        (Quantity::Litigation, s.find("行政诉讼")? + "行政诉讼".len())
    } else {
        return None;
    };
    let (value, range) = figure(&s[after..], clause.start + after)?;
    Some((quantity, value, range))
}

/// The first `N 件/条/个` in `s`, if nothing but plain words stand before it.
fn figure(s: &str, base: usize) -> Option<(i64, Range<usize>)> {
    let start = s.find(|c: char| c.is_ascii_digit())?;
    let before = &s[..start];
    if OTHER_VERBS.iter().any(|v| before.contains(v)) || before.chars().count() > 16 {
        return None;
    }
    let digits_end = s[start..]
        .find(|c: char| !c.is_ascii_digit())
        .map_or(s.len(), |i| start + i);
    let rest = s[digits_end..].trim_start();
    if !rest.starts_with(['件', '条', '个']) {
        return None;
    }
    let value = s[start..digits_end].parse().ok()?;
    Some((value, base + start..base + digits_end))
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

    fn read(s: &str) -> Option<(Quantity, i64)> {
        statement(s, 0..s.len()).map(|(q, v, _)| (q, v))
    }

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

    #[test]
    fn reads_only_unambiguous_figures() {
        assert_eq!(
            read("2023 年全区受理政府信息公开申请 21 件"),
            Some((Quantity::Received, 21))
        );
        assert_eq!(
            read("2020 年度收到政府信息公开申请 0 条"),
            Some((Quantity::Received, 0))
        );
        assert_eq!(read("共收到申请并办结 5 件"), None);
        assert_eq!(read("上年结转 3 件"), Some((Quantity::Carried, 3)));
        assert_eq!(read("信息公开类行政复议7件"), Some((Quantity::Review, 7)));
        assert_eq!(read("按期办结 0 条"), None);
    }

    #[test]
    fn may_state_is_a_digit_and_a_phrase_character() {
        for c in ['结', '申', '行'] {
            assert!(may_state(&format!("共{c}3件")));
            assert!(!may_state(&format!("共{c}三件")));
        }
        assert!(!may_state("收到12件"));
        assert!(!may_state(""));
        // Characters sharing lead bytes with 结申行 are not them.
        assert!(!may_state("经1件"));
        for ch in [
            '\u{7ED0}', '\u{7ED4}', '\u{7533}', '\u{884B}', '\u{884D}', '\u{7532}',
        ] {
            assert_eq!(
                may_state(&format!("{ch}1")),
                ['结', '申', '行'].contains(&ch)
            );
        }
    }
}
