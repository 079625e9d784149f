//! Code actions as plain edits: the quick-fix of each fixable diagnostic, fix-all (as minimal
//! edits), "insert the missing table" after a heading whose section holds no table, and
//! "suppress with a reason" for any diagnostic.

use std::ops::Range;

use similar::{Algorithm, DiffOp, TextDiff};

use super::cells::template_of;
use crate::analysis::{Analysis, Config};
use crate::diagnostics::{Code, Diagnostic, Edit};
use crate::{fix, skeleton, template};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ActionKind {
    /// The diagnostic's own fix (preferred).
    QuickFix,
    /// Insert an empty table skeleton into a section without a table.
    InsertTable,
    /// Insert a suppression comment above the line.
    Suppress,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Action {
    pub title: String,
    pub kind: ActionKind,
    pub edits: Vec<Edit>,
    /// Indices into `analysis.diagnostics` of the diagnostics the action resolves.
    pub diagnostics: Vec<usize>,
    pub preferred: bool,
}

/// The reason written into a new suppression comment, for the user to replace.
pub const REASON_PLACEHOLDER: &str = "原因";

/// Quick actions for the diagnostics that touch `range` (byte offsets).
pub fn code_actions(text: &str, analysis: &Analysis, range: Range<usize>) -> Vec<Action> {
    let mut fixes = Vec::new();
    let mut suppressions = Vec::new();
    for (i, d) in analysis.diagnostics.iter().enumerate() {
        if !(d.range.start <= range.end && range.start <= d.range.end) {
            continue;
        }
        if let Some(f) = &d.fix {
            fixes.push(Action {
                title: f.title.clone(),
                kind: ActionKind::QuickFix,
                edits: f.edits.clone(),
                diagnostics: vec![i],
                preferred: true,
            });
        }
        // Offered, not preferred: the numbers cannot tell whether this is the right fix.
        for f in &d.suggestions {
            fixes.push(Action {
                title: f.title.clone(),
                kind: ActionKind::QuickFix,
                edits: f.edits.clone(),
                diagnostics: vec![i],
                preferred: false,
            });
        }
        if let Some(action) = insert_table(text, analysis, d, i) {
            fixes.push(action);
        }
        if !matches!(d.code, Code::SuppressionInvalid | Code::SuppressionUnused)
            && let Some(edit) = suppression_edit(text, d)
        {
            suppressions.push(Action {
                title: format!("忽略此处的 {}（添加抑制注释，并写明原因）", d.code),
                kind: ActionKind::Suppress,
                edits: vec![edit],
                diagnostics: vec![i],
                preferred: false,
            });
        }
    }
    fixes.extend(suppressions);
    fixes
}

/// Whether fix-all has anything to do.
pub fn fix_all_available(analysis: &Analysis) -> bool {
    analysis.diagnostics.iter().any(fix::is_safe)
}

/// Every safe fix at once ([`fix::fix_all`]), as minimal edits of `text`.
pub fn fix_all_edits(text: &str, config: &Config) -> Vec<Edit> {
    let fixed = fix::fix_all(text, config);
    minimal_edits(text, &fixed)
}

/// `table-missing` on the heading of a section that should hold a table: insert its skeleton.
fn insert_table(text: &str, analysis: &Analysis, d: &Diagnostic, i: usize) -> Option<Action> {
    if d.code != Code::TableMissing {
        return None;
    }
    let report = &analysis.report;
    let section = report.sections.iter().find(|s| s.heading == d.range)?;
    let id = template_of(report);
    let table = skeleton::section_table(id, section.number)?;
    let name = template::template(id)
        .section_by_number(section.number)?
        .table?
        .label();
    let after_heading = text[section.heading.end..]
        .find('\n')
        .map_or(text.len(), |n| section.heading.end + n + 1);
    let new_text = if after_heading == text.len() && !text.ends_with('\n') {
        format!("\n{table}")
    } else {
        table
    };
    Some(Action {
        title: format!("插入{name}空表（{}年格式）", id.as_str()),
        kind: ActionKind::InsertTable,
        edits: vec![Edit {
            range: after_heading..after_heading,
            new_text,
        }],
        diagnostics: vec![i],
        preferred: false,
    })
}

/// The comment line that silences `d`, inserted above the line it starts on — or its code
/// added to a next-line suppression already standing there (`None` when it already lists it).
pub fn suppression_edit(text: &str, d: &Diagnostic) -> Option<Edit> {
    let start = d.range.start.min(text.len());
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    if line_start > 0 {
        let prev_start = text[..line_start - 1].rfind('\n').map_or(0, |i| i + 1);
        let prev = &text[prev_start..line_start - 1];
        let trimmed = prev.trim();
        if let Some(body) = trimmed
            .strip_prefix("<!--")
            .and_then(|b| b.strip_suffix("-->"))
            .map(str::trim)
            && let Some(rest) = body.strip_prefix("nianbao-disable-next-line")
            && let Some(colon) = rest.find([':', '：'])
        {
            let codes = &rest[..colon];
            if codes
                .split([',', '，', ' ', '、'])
                .any(|c| c == d.code.as_str())
            {
                return None;
            }
            let at = prev_start
                + prev.find("nianbao-disable-next-line").unwrap_or(0)
                + "nianbao-disable-next-line".len()
                + codes.trim_end().len();
            return Some(Edit {
                range: at..at,
                new_text: format!(", {}", d.code),
            });
        }
    }
    Some(Edit {
        range: line_start..line_start,
        new_text: format!(
            "<!-- nianbao-disable-next-line {}: {REASON_PLACEHOLDER} -->\n",
            d.code
        ),
    })
}

/// Edits that turn `old` into `new`, each as small as possible: a line diff, then the common
/// prefix and suffix of every changed region trimmed away.
pub fn minimal_edits(old: &str, new: &str) -> Vec<Edit> {
    if old == new {
        return Vec::new();
    }
    // Lines split here, at `\n` only, and diffed as slices: `similar`'s own line splitting also
    // ends a line at a lone `\r`, and its line numbers would then not index `line_starts`.
    let old_lines: Vec<&str> = old.split_inclusive('\n').collect();
    let new_lines: Vec<&str> = new.split_inclusive('\n').collect();
    let diff = TextDiff::configure()
        .algorithm(Algorithm::Myers)
        .diff_slices(&old_lines, &new_lines);
    let old_starts = line_starts(old);
    let new_starts = line_starts(new);
    let mut hunks: Vec<(Range<usize>, Range<usize>)> = Vec::new();
    for op in diff.ops() {
        if let DiffOp::Equal { .. } = op {
            continue;
        }
        let o = op.old_range();
        let n = op.new_range();
        let o = old_starts[o.start]..old_starts[o.end];
        let n = new_starts[n.start]..new_starts[n.end];
        match hunks.last_mut() {
            Some((lo, ln)) if lo.end == o.start && ln.end == n.start => {
                lo.end = o.end;
                ln.end = n.end;
            }
            _ => hunks.push((o, n)),
        }
    }
    hunks
        .into_iter()
        .filter_map(|(o, n)| {
            let (a, b) = (&old[o.clone()], &new[n.clone()]);
            let prefix = common_prefix(a, b);
            let suffix = common_suffix(&a[prefix..], &b[prefix..]);
            let range = o.start + prefix..o.end - suffix;
            let new_text = b[prefix..b.len() - suffix].to_string();
            (!(range.is_empty() && new_text.is_empty())).then_some(Edit { range, new_text })
        })
        .collect()
}

/// Byte offset of each line start, plus the text length (one entry per similar line token + 1).
fn line_starts(text: &str) -> Vec<usize> {
    let mut starts = vec![0];
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        at += line.len();
        starts.push(at);
    }
    starts
}

fn common_prefix(a: &str, b: &str) -> usize {
    a.char_indices()
        .zip(b.chars())
        .find(|((_, x), y)| x != y)
        .map_or(a.len().min(b.len()), |((i, _), _)| i)
        .min(a.len())
        .min(b.len())
}

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
