//! Fix-all: every safe automatic fix, applied in dependency order — row totals (T3-COL, T4-SUM)
//! and number formats first, then （七）总计 (T3-RES), then 四 (T3-BAL) — re-analysing between
//! the steps, until nothing is left to fix. A second fix-all changes nothing.
//!
//! Safe means: a number computed from the report's own numbers, a canonical spelling of the
//! same number, or the deletion of an unused suppression. Inserting a missing section is a
//! quick-fix the user picks, never part of fix-all.

use crate::analysis::{Config, analyze};
use crate::diagnostics::{Code, Diagnostic, Edit};

/// At most this many rounds: each round settles one level of the dependency order.
const MAX_ROUNDS: usize = 12;

/// The text with every safe fix applied.
pub fn fix_all(text: &str, config: &Config) -> String {
    let mut text = text.to_string();
    for _ in 0..MAX_ROUNDS {
        let analysis = analyze(&text, config);
        let fixable: Vec<&Diagnostic> =
            analysis.diagnostics.iter().filter(|d| is_safe(d)).collect();
        let Some(first) = fixable.iter().map(|d| step(d)).min() else {
            break;
        };
        let edits: Vec<Edit> = fixable
            .iter()
            .filter(|d| step(d) == first)
            .filter_map(|d| d.fix.as_ref())
            .flat_map(|f| f.edits.iter().cloned())
            .collect();
        let next = apply_edits(&text, edits);
        if next == text {
            break;
        }
        text = next;
    }
    text
}

/// Whether fix-all may apply this diagnostic's fix.
pub fn is_safe(d: &Diagnostic) -> bool {
    d.fix.is_some()
        && matches!(
            d.code,
            Code::SumMismatch
                | Code::BalanceMismatch
                | Code::NumberFormat
                | Code::SuppressionUnused
        )
}

/// The dependency step of a fix: lower goes first.
fn step(d: &Diagnostic) -> u8 {
    match (d.code, d.rule) {
        (Code::NumberFormat | Code::SuppressionUnused, _) => 0,
        // Each row's own total, and table 4's group totals.
        (_, Some("T3-COL" | "T4-SUM")) => 1,
        // （七）总计, from the rows' totals.
        (_, Some("T3-RES")) => 2,
        // 四, from 一, 二 and （七）.
        (_, Some("T3-BAL")) => 3,
        _ => 4,
    }
}

/// Applies non-overlapping edits (later ones that overlap an earlier one are dropped).
pub fn apply_edits(text: &str, mut edits: Vec<Edit>) -> String {
    edits.sort_by_key(|e| (e.range.start, e.range.end));
    edits.dedup();
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for edit in edits {
        if edit.range.start < at || edit.range.end > text.len() {
            continue;
        }
        out.push_str(&text[at..edit.range.start]);
        out.push_str(&edit.new_text);
        at = edit.range.end;
    }
    out.push_str(&text[at..]);
    out
}
