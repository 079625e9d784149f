//! Fix-all: every safe automatic fix at once, re-analysing until nothing is left to fix. A
//! second fix-all changes nothing.
//!
//! Safe means: the figures a unique explanation of the relation engine proves wrong (and the
//! blank totals it fills in), a canonical spelling of the same number, or the deletion of an
//! unused suppression. The figures of one explanation are applied together: they are right only
//! together. Where the numbers cannot tell which figure is wrong, the recomputed total is a
//! suggestion the user may pick, never part of fix-all. Inserting a missing section is a
//! quick-fix the user picks, never part of fix-all.

use crate::analysis::{Config, analyze};
use crate::diagnostics::{Code, Diagnostic, Edit};

/// At most this many rounds (one is the rule: a second only follows a fix that made a table
/// readable or a suppression unused).
const MAX_ROUNDS: usize = 4;

/// The text with every safe fix applied.
pub fn fix_all(text: &str, config: &Config) -> String {
    let mut text = text.to_string();
    for _ in 0..MAX_ROUNDS {
        let analysis = analyze(&text, config);
        let mut fixable: Vec<&Diagnostic> =
            analysis.diagnostics.iter().filter(|d| is_safe(d)).collect();
        // Where two fixes touch one cell, the arithmetic one wins: it carries the right value.
        fixable.sort_by_key(|d| d.code == Code::NumberFormat);
        let edits: Vec<Edit> = fixable
            .iter()
            .filter_map(|d| d.fix.as_ref())
            .flat_map(|f| f.edits.iter().cloned())
            .collect();
        if edits.is_empty() {
            break;
        }
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

/// Applies non-overlapping edits (later ones that overlap an earlier one are dropped).
pub fn apply_edits(text: &str, mut edits: Vec<Edit>) -> String {
    // Stable: of two edits of one range, the first given wins.
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
