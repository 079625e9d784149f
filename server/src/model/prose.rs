//! What the prose of a report states in figures (rules.md §5): `本年度收到政府信息公开申请 21 件`
//! states the received count 21. The checks compare these with the tables
//! (`checks::prose`, `text-table-mismatch`).
//!
//! Only what is unambiguous is read (peer-lessons §7): the sentence is cut into clauses at
//! `，。；`, a clause names one quantity by its verb (`收到…申请`, `上年结转`, `结转下年度`,
//! `行政复议`, `行政诉讼`), and the figure is the first `N 件/条/个` after that phrase with no
//! other verb (办结, 答复, …) in between.
//!
//! A line's statements depend on its text alone: [`super::Line::stated`] reads them once and
//! keeps them with the line, so an edit elsewhere in a large document does not read them again.

use std::borrow::Cow;
use std::ops::Range;

/// One figure the prose states: which quantity, its value, and the byte range of its digits
/// relative to the start of the line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stated {
    pub quantity: Quantity,
    pub figure: i64,
    pub range: Range<usize>,
}

/// Every figure a line states, in order.
pub fn statements(line: &str) -> Vec<Stated> {
    // What `statement` needs of a clause the line needs too: most lines end here.
    if !may_state(line) {
        return Vec::new();
    }
    clauses(line, 0..line.len())
        .into_iter()
        .filter_map(|clause| statement(line, clause))
        .map(|(quantity, figure, range)| Stated {
            quantity,
            figure,
            range,
        })
        .collect()
}

/// What a clause states, and how to read it from the tables.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Quantity {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn read(s: &str) -> Option<(Quantity, i64)> {
        statement(s, 0..s.len()).map(|(q, v, _)| (q, v))
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
