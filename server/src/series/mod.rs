//! A body's reports across the years. Pure, like everything up to `analysis`: the CLI hands it
//! the reports it checked together, the language server those of its workspace, and both
//! publish what it finds with the reports' own diagnostics.
//!
//! - [`identity`]: which body's report on which year a text is (title, opening, data period,
//!   signature, file name).
//! - [`Entry`]: what the checks need of one report, read once from its analysis.
//! - `group`: which reports are the same body's ([`names`]: keys and shortenings).
//! - [`Series`]: reports grouped by body and year; for a report of year Y, the same body's
//!   report of year Y−1 is its previous one when each year has exactly one. Findings of a pair
//!   sit on the later report: `carryover-mismatch` (`carryover`), `content-copied` (`copied`).
//!   A report's findings depend only on it and its previous report, so an edit re-checks only
//!   the edited report and the next year's.

mod carryover;
mod copied;
mod entry;
mod group;
pub mod identity;
pub mod names;

#[cfg(test)]
mod tests;

use std::collections::HashMap;

pub use copied::{MIN_CHARS, THRESHOLD, similarity};
pub use entry::{CarryCell, CarryRow, Entry, Section5, comparable};
pub use identity::{Fact, Identity, Reading, Source, identify};

use crate::diagnostics::Diagnostic;
use group::Groups;

/// What the series pass says about one report.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Outcome {
    /// Findings on this report, from comparing it with `previous`.
    pub diagnostics: Vec<Diagnostic>,
    /// The same body's report of the year before, when there is exactly one (an index into the
    /// entries given to [`Series::new`]).
    pub previous: Option<usize>,
    /// The same body's report of the year after, when there is exactly one.
    pub next: Option<usize>,
    /// Why this report was not compared, or only partly, in Chinese.
    pub notes: Vec<String>,
}

/// What grouping reports by body and year reads of each: an [`Entry`], or a lighter record of
/// one that a caller holding many reports keeps instead (the command line over a national batch
/// keeps the rest on disk and builds the two `Entry`s of a pair only to [`compare`] them).
pub trait Member {
    /// How the caller names the report ([`Entry::name`]).
    fn name(&self) -> &str;
    /// The body's key ([`names::key`]), when the body is known.
    fn body_key(&self) -> Option<&str>;
    /// The body as read ([`Identity::body`]).
    fn body(&self) -> Option<&str>;
    /// The report year, when established.
    fn year(&self) -> Option<u32>;
    /// Why the body or the year is unknown ([`Identity::problems`]).
    fn problems(&self) -> &[String];
    /// Whether the text before section 二 writes `key` (a matching key: [`Entry::mentions_key`]).
    fn mentions(&self, key: &str) -> bool;
}

impl Member for Entry {
    fn name(&self) -> &str {
        &self.name
    }
    fn body_key(&self) -> Option<&str> {
        self.body_key.as_deref()
    }
    fn body(&self) -> Option<&str> {
        self.identity.body.as_ref().map(|b| b.value.as_str())
    }
    fn year(&self) -> Option<u32> {
        Entry::year(self)
    }
    fn problems(&self) -> &[String] {
        &self.identity.problems
    }
    fn mentions(&self, key: &str) -> bool {
        self.mentions_key().contains(key)
    }
}

/// Reports grouped by body and year.
pub struct Series<'a, E: Member = Entry> {
    entries: Vec<&'a E>,
    groups: Groups,
    /// (group, year) → the entries of that body and year.
    by_year: HashMap<(usize, u32), Vec<usize>>,
}

impl<'a, E: Member> Series<'a, E> {
    pub fn new(entries: Vec<&'a E>) -> Self {
        let groups = group::group(&entries);
        let mut by_year: HashMap<(usize, u32), Vec<usize>> = HashMap::new();
        for (i, e) in entries.iter().enumerate() {
            if let (Some(g), Some(year)) = (groups.group[i], e.year()) {
                by_year.entry((g, year)).or_default().push(i);
            }
        }
        Self {
            entries,
            groups,
            by_year,
        }
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The body a report was grouped under (as written by the group's first report).
    pub fn body(&self, i: usize) -> Option<&str> {
        let g = (*self.groups.group.get(i)?)?;
        self.groups.names.get(g).map(String::as_str)
    }

    /// The entry `i`'s place in its series: (group, year), when both are known.
    fn place(&self, i: usize) -> Option<(usize, u32)> {
        Some((self.groups.group[i]?, self.entries[i].year()?))
    }

    /// The one report of (group, year), if exactly one.
    fn only(&self, at: (usize, u32)) -> Option<usize> {
        match self.by_year.get(&at).map(Vec::as_slice) {
            Some([one]) => Some(*one),
            _ => None,
        }
    }

    /// The report `i` is compared with (the year before), when there is exactly one and `i` is
    /// the only report of its own year.
    pub fn previous(&self, i: usize) -> Option<usize> {
        let (g, year) = self.place(i)?;
        self.only((g, year))?;
        self.only((g, year.checked_sub(1)?))
    }

    /// The report compared with `i` as its previous one.
    pub fn next(&self, i: usize) -> Option<usize> {
        let (g, year) = self.place(i)?;
        self.only((g, year))?;
        self.only((g, year + 1))
    }

    /// Where report `i` stands in its body's series: its previous and next reports, and why
    /// it has no previous one.
    pub fn link(&self, i: usize) -> Outcome {
        let entry = self.entries[i];
        let mut out = Outcome {
            notes: self.groups.notes[i].clone(),
            ..Outcome::default()
        };
        let Some(g) = self.groups.group[i] else {
            out.notes.extend(entry.problems().iter().cloned());
            out.notes.push("发布机关不明，未与其他年度比对".to_string());
            return out;
        };
        let Some(year) = entry.year() else {
            out.notes.extend(entry.problems().iter().cloned());
            out.notes.push("报告年度不明，未与其他年度比对".to_string());
            return out;
        };
        if let Some(same) = self.by_year.get(&(g, year)).filter(|v| v.len() > 1) {
            out.notes.push(format!(
                "{} {year} 年度有 {} 份报告（{}），无法确定是哪一份，未与相邻年度比对",
                self.groups.names[g],
                same.len(),
                self.names(same)
            ));
            return out;
        }
        out.next = self.only((g, year + 1));
        match self.by_year.get(&(g, year - 1)).map(Vec::as_slice) {
            Some([one]) => out.previous = Some(*one),
            Some(many) => out.notes.push(format!(
                "{} {} 年度有 {} 份报告（{}），无法确定与哪一份比对",
                self.groups.names[g],
                year - 1,
                many.len(),
                self.names(many)
            )),
            None => out.notes.push(self.missing_previous(g, year)),
        }
        out
    }

    fn names(&self, indices: &[usize]) -> String {
        let names: Vec<&str> = indices.iter().map(|&i| self.entries[i].name()).collect();
        names.join("、")
    }

    fn missing_previous(&self, g: usize, year: u32) -> String {
        let mut years: Vec<u32> = self
            .by_year
            .keys()
            .filter(|(group, y)| *group == g && *y != year)
            .map(|&(_, y)| y)
            .collect();
        years.sort_unstable();
        if years.is_empty() {
            return format!("没有{}其他年度的报告一起检查", self.groups.names[g]);
        }
        let listed: Vec<String> = years.iter().map(|y| y.to_string()).collect();
        format!(
            "没有{} {} 年度的报告一起检查（一起检查的有 {} 年度），未与上年比对",
            self.groups.names[g],
            year - 1,
            listed.join("、")
        )
    }
}

impl Series<'_, Entry> {
    /// Compares report `i` with its previous one.
    pub fn outcome(&self, i: usize) -> Outcome {
        let mut out = self.link(i);
        if let Some(previous) = out.previous {
            let (diagnostics, notes) = compare(self.entries[previous], self.entries[i]);
            out.diagnostics = diagnostics;
            out.notes.extend(notes);
        }
        out
    }
}

/// The findings on `current` against `previous`, the same body's report of the year before
/// (what [`Series::link`] gives), and notes on what could not be compared.
pub fn compare(previous: &Entry, current: &Entry) -> (Vec<Diagnostic>, Vec<String>) {
    let Some(year) = current
        .year()
        .filter(|y| previous.year() == y.checked_sub(1))
    else {
        return (Vec::new(), Vec::new());
    };
    let (carry, carry_note) = carryover::check(previous, current, year);
    let (copy, copy_note) = copied::check(previous, current, year);
    let diagnostics = carry
        .into_iter()
        .chain(copy)
        .filter(|d| !current.suppressions.silences(d))
        .collect();
    (
        diagnostics,
        carry_note.into_iter().chain(copy_note).collect(),
    )
}

/// Every report's outcome (the CLI's series pass).
pub fn check(entries: &[Entry]) -> Vec<Outcome> {
    let series = Series::new(entries.iter().collect());
    (0..series.len()).map(|i| series.outcome(i)).collect()
}
