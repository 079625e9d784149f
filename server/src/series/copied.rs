//! `content-copied`: section 五 (this year's problems, and what was done about last year's) must
//! be written anew each year; a near copy of last year's is 内容雷同.
//!
//! The measure is character-level: both texts without digits and whitespace (years and counts
//! change every year, line breaks move), then the Indel similarity `2·LCS / (n + m)` of their
//! characters (close to the ratio of Python's difflib, with which the issue measured real
//! series). On section 五 of real series it gives 0.21–0.31 for honest rewriting (平潭综合实验区
//! 2019–2025; difflib 0.14–0.26) and 0.62 (淮安市洪泽区 2023 → 2024; difflib 0.61); a copy with the
//! years and a few words changed scores 0.99, one with one sentence in six rewritten 0.80.
//! [`THRESHOLD`] sits in that gap. `rapidfuzz` computes it bit-parallel (O(n·m/64)), so a folder
//! of a thousand reports costs milliseconds; `strsim`'s bigram Dice divides by bytes, not
//! characters (a CJK near copy scores a third), and `similar`'s Myers diff is O((n+m)·D), slow on
//! the honestly rewritten pairs that are most of a folder.

use rapidfuzz::distance::indel;

use super::entry::Entry;
use crate::diagnostics::{Code, Diagnostic};

/// At or above this similarity, section 五 is a near copy of last year's (see the module doc:
/// 0.23 above the most similar honest rewrite measured, below a copy with words changed, above a
/// section with a sixth rewritten).
pub const THRESHOLD: f64 = 0.85;

/// Texts shorter than this (in compared characters) are not judged: `无。` two years running is
/// not copying.
pub const MIN_CHARS: usize = 50;

/// The similarity of two compared texts (0–1).
pub fn similarity(a: &[char], b: &[char]) -> f64 {
    indel::normalized_similarity(a.iter().copied(), b.iter().copied())
}

/// A warning on `current`'s section 五 heading when it is a near copy of `previous`'s; a note when
/// the sections cannot be compared.
pub fn check(previous: &Entry, current: &Entry, year: u32) -> (Option<Diagnostic>, Option<String>) {
    let prev_year = year - 1;
    let (Some(now), Some(before)) = (&current.section5, &previous.section5) else {
        let which = if current.section5.is_none() {
            "本报告".to_string()
        } else {
            format!("{prev_year} 年报告")
        };
        return (
            None,
            Some(format!("{which}没有读出第五部分，未比对内容是否雷同")),
        );
    };
    if now.chars.len() < MIN_CHARS || before.chars.len() < MIN_CHARS {
        return (None, None);
    }
    // Cheap bound first: 2·LCS ≤ 2·min(n, m).
    let (n, m) = (now.chars.len(), before.chars.len());
    if 2.0 * n.min(m) as f64 / (n + m) as f64 <= THRESHOLD - f64::EPSILON {
        return (None, None);
    }
    let args = indel::Args::default().score_cutoff(THRESHOLD);
    let Some(score) = indel::normalized_similarity_with_args(
        now.chars.iter().copied(),
        before.chars.iter().copied(),
        &args,
    ) else {
        return (None, None);
    };
    let percent = (score * 100.0).floor() as u32;
    let message = format!(
        "第五部分与 {prev_year} 年报告的第五部分相似度 {percent}%（不计数字和空白），疑为照搬上年内容：第五部分应写本年度存在的问题和上年问题的改进情况"
    );
    let d = Diagnostic::new(Code::ContentCopied, now.heading.clone(), message).with_related_in(
        previous.name.clone(),
        before.range.clone(),
        format!("{prev_year} 年报告的第五部分"),
    );
    (Some(d), None)
}
