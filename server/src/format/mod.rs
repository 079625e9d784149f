//! The formatter behind `nianbao fmt` and the language server's document and range formatting:
//! a pure function from report text to the canonical layout (README, “Formatting”).
//!
//! Three properties hold for every input, and are checked again on every call before anything is
//! returned (when a check fails the text is returned unchanged — a formatter that could lose a
//! character would be worse than none):
//! 1. only whitespace changes: removing all whitespace from the input and from the output gives
//!    identical strings (`减47`, `(一)`, full-width digits stay; normalising them is a quick-fix);
//! 2. analysis-preserving: the diagnostics (code, severity, message) and the detected template of
//!    the output equal those of the input;
//! 3. idempotent: formatting formatted text changes nothing (tested, not checked per call).
//!
//! The layout is planned as [`layout::Unit`]s, each a run of whole input lines and what it
//! becomes; the edits for the language server are the units that change, trimmed to the bytes
//! that differ, so cursors and undo history survive format-on-save.

mod layout;

use std::ops::Range;

use crate::analysis::{Analysis, Config, analyze, analyze_tree};
use crate::diagnostics::Edit;
use crate::fix::apply_edits;
use crate::syntax;

pub use layout::{line_break, same_visible};

/// The result of formatting one text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Formatted {
    /// The formatted text (the input itself when `refused` is set).
    pub text: String,
    /// Minimal edits turning the input into `text`, in order, not overlapping: each replaces one
    /// run of whitespace between the same two visible characters.
    pub edits: Vec<Edit>,
    /// Why the planned layout was not applied, if it was not (a property check failed).
    pub refused: Option<Refusal>,
}

/// A property the planned output failed; the input is then returned unchanged.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// The output differs from the input in a character other than whitespace.
    NotLossless,
    /// The output's diagnostics or template differ from the input's.
    AnalysisChanged,
    /// Formatting the output again would still change it.
    NotStable,
}

/// At most this many passes of the planner. One pass can make a line that looked like prose a
/// page number (its trailing space trimmed); the next pass then places it in its table. A
/// second pass that changes nothing is the common case.
const MAX_PASSES: usize = 4;

/// The whole text in the canonical layout, with the default configuration.
pub fn format(text: &str) -> String {
    format_with(text, &Config::default()).text
}

/// Minimal edits that put the whole text in the canonical layout (default configuration).
pub fn format_edits(text: &str) -> Vec<Edit> {
    format_with(text, &Config::default()).edits
}

/// Minimal edits formatting the lines that intersect `range` (byte offsets), extended to whole
/// tables (a table is joined and aligned as a whole), with the default configuration.
pub fn format_range_edits(text: &str, range: Range<usize>) -> Vec<Edit> {
    format_range_with(text, range, &Config::default()).edits
}

/// Whether the text is already in the canonical layout.
pub fn is_formatted(text: &str) -> bool {
    format_with(text, &Config::default()).edits.is_empty()
}

/// Formats the whole text; `config` is the analysis configuration the diagnostics are compared
/// under (the forced template changes what the model reads as tables).
pub fn format_with(text: &str, config: &Config) -> Formatted {
    match passes(text, config) {
        Ok(pass) => {
            let edits = whitespace_edits(text, &pass.text);
            Formatted {
                text: pass.text,
                edits,
                refused: None,
            }
        }
        Err(refusal) => refuse(text, refusal),
    }
}

/// Formats the lines intersecting `range`, a table touched by it as a whole. The edits are
/// those of the whole-text formatting that fall in that extent; the partly formatted text is
/// checked like a whole one.
pub fn format_range_with(text: &str, range: Range<usize>, config: &Config) -> Formatted {
    let pass = match passes(text, config) {
        Ok(pass) => pass,
        Err(refusal) => return refuse(text, refusal),
    };
    // Lines touched by the range: from the start of the first to the end of the last.
    let line_start = text[..range.start.min(text.len())]
        .rfind('\n')
        .map_or(0, |i| i + 1);
    let end = range.end.clamp(range.start, text.len());
    let line_end = text[end..].find('\n').map_or(text.len(), |i| end + i + 1);
    let all = whitespace_edits(text, &pass.text);
    let touches =
        |r: &Range<usize>, extent: &Range<usize>| r.start <= extent.end && extent.start <= r.end;
    // Grown until stable: an edit taken crosses into the next line or table (a blank line
    // removed together with the TAB of the row after it), and a table is taken whole — else
    // half a joined row would be applied.
    let mut extent = line_start..line_end;
    loop {
        let mut grown = extent.clone();
        for e in all.iter().filter(|e| touches(&e.range, &extent)) {
            grown.start = grown.start.min(e.range.start);
            grown.end = grown.end.max(e.range.end);
        }
        for table in &pass.tables {
            if touches(table, &grown) {
                grown.start = grown.start.min(table.start);
                grown.end = grown.end.max(table.end);
            }
        }
        if grown == extent {
            break;
        }
        extent = grown;
    }
    let edits: Vec<Edit> = all
        .into_iter()
        .filter(|e| touches(&e.range, &extent))
        .collect();
    if edits.is_empty() {
        return refuse_none(text);
    }
    let out = apply_edits(text, edits.clone());
    if !same_visible(text, &out) {
        return refuse(text, Refusal::NotLossless);
    }
    if !same_analysis(&pass.before, &analyze(&out, config)) {
        return refuse(text, Refusal::AnalysisChanged);
    }
    Formatted {
        text: out,
        edits,
        refused: None,
    }
}

/// The planned layout of one pass, without any check (for the property tests, which must see
/// the planner's own output, not the safety net's).
pub fn format_unchecked(text: &str, config: &Config) -> String {
    let tree = syntax::parse(text);
    let analysis = analyze_tree(text, &tree, config);
    let units = plan(text, &tree, &analysis);
    apply_units(text, &units)
}

/// The outcome of the passes: the text, the input's analysis, and the byte extents of the
/// input's tables (for range formatting).
struct Passes {
    text: String,
    before: Analysis,
    tables: Vec<Range<usize>>,
}

/// Plans and applies passes until one changes nothing, checking every pass's output against
/// the input.
fn passes(text: &str, config: &Config) -> Result<Passes, Refusal> {
    let tree = syntax::parse(text);
    let before = analyze_tree(text, &tree, config);
    let units = plan(text, &tree, &before);
    let tables = table_extents(&units);
    let mut current = apply_units(text, &units);
    if current == text {
        return Ok(Passes {
            text: current,
            before,
            tables,
        });
    }
    for _ in 1..MAX_PASSES {
        if !same_visible(text, &current) {
            return Err(Refusal::NotLossless);
        }
        let tree = syntax::parse(&current);
        let analysis = analyze_tree(&current, &tree, config);
        if !same_analysis(&before, &analysis) {
            return Err(Refusal::AnalysisChanged);
        }
        let next = apply_units(&current, &plan(&current, &tree, &analysis));
        if next == current {
            return Ok(Passes {
                text: current,
                before,
                tables,
            });
        }
        current = next;
    }
    Err(Refusal::NotStable)
}

fn refuse(text: &str, refusal: Refusal) -> Formatted {
    Formatted {
        text: text.to_string(),
        edits: Vec::new(),
        refused: Some(refusal),
    }
}

fn refuse_none(text: &str) -> Formatted {
    Formatted {
        text: text.to_string(),
        edits: Vec::new(),
        refused: None,
    }
}

fn plan(text: &str, tree: &tree_sitter::Tree, analysis: &Analysis) -> Vec<layout::Unit> {
    layout::plan(&layout::Input {
        text,
        tree,
        report: &analysis.report,
        diagnostics: &analysis.diagnostics,
    })
}

fn apply_units(text: &str, units: &[layout::Unit]) -> String {
    if units.iter().all(|u| text[u.src.clone()] == u.out) {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    for unit in units {
        out.push_str(&unit.out);
    }
    out
}

/// The byte extent of each table's units.
fn table_extents(units: &[layout::Unit]) -> Vec<Range<usize>> {
    let mut out: Vec<(usize, Range<usize>)> = Vec::new();
    for unit in units {
        let Some(t) = unit.table else { continue };
        match out.iter_mut().find(|(id, _)| *id == t) {
            Some((_, r)) => r.end = r.end.max(unit.src.end),
            None => out.push((t, unit.src.clone())),
        }
    }
    out.into_iter().map(|(_, r)| r).collect()
}

/// The diagnostics as compared: code, severity and message, in a stable order (ranges move when
/// lines are joined, so they are not compared).
pub fn diagnostic_keys(analysis: &Analysis) -> Vec<(String, String, String)> {
    let mut keys: Vec<(String, String, String)> = analysis
        .diagnostics
        .iter()
        .map(|d| {
            (
                d.code.as_str().to_string(),
                d.severity.as_str().to_string(),
                d.message.clone(),
            )
        })
        .collect();
    keys.sort();
    keys
}

/// Whether two analyses agree on the template and the diagnostics.
pub fn same_analysis(a: &Analysis, b: &Analysis) -> bool {
    a.template == b.template && diagnostic_keys(a) == diagnostic_keys(b)
}

/// The edits from `old` to `new`, two texts with the same visible characters in the same
/// order: for each run of whitespace between two visible characters that differs, one edit,
/// trimmed of what the two runs share at either end.
fn whitespace_edits(old: &str, new: &str) -> Vec<Edit> {
    let mut edits = Vec::new();
    let mut a = old.char_indices().peekable();
    let mut b = new.char_indices().peekable();
    loop {
        let run_a = whitespace_run(old, &mut a);
        let run_b = whitespace_run(new, &mut b);
        let (sa, sb) = (&old[run_a.clone()], &new[run_b.clone()]);
        if sa != sb {
            let prefix = common_prefix(sa, sb);
            let suffix = common_suffix(&sa[prefix..], &sb[prefix..]);
            edits.push(Edit {
                range: run_a.start + prefix..run_a.end - suffix,
                new_text: sb[prefix..sb.len() - suffix].to_string(),
            });
        }
        // The visible characters after the runs (equal when the texts are lossless copies).
        match (a.next(), b.next()) {
            (Some(_), Some(_)) => {}
            _ => break,
        }
    }
    edits
}

/// The byte range of the whitespace at the iterator's position, consuming it.
fn whitespace_run(
    s: &str,
    it: &mut std::iter::Peekable<std::str::CharIndices<'_>>,
) -> Range<usize> {
    let start = it.peek().map_or(s.len(), |&(i, _)| i);
    let mut end = start;
    while let Some(&(i, c)) = it.peek() {
        if !c.is_whitespace() {
            break;
        }
        end = i + c.len_utf8();
        it.next();
    }
    start..end
}

/// Length in bytes of the longest common prefix (a char boundary of both).
fn common_prefix(a: &str, b: &str) -> usize {
    a.char_indices()
        .zip(b.chars())
        .find(|((_, x), y)| x != y)
        .map_or(a.len().min(b.len()), |((i, _), _)| i)
}

/// Length in bytes of the longest common suffix (a char boundary of both).
fn common_suffix(a: &str, b: &str) -> usize {
    let mut n = 0;
    for (x, y) in a.chars().rev().zip(b.chars().rev()) {
        if x != y {
            break;
        }
        n += x.len_utf8();
    }
    n
}

#[cfg(test)]
mod proptests;
#[cfg(test)]
mod tests;
