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
mod reference;
#[cfg(test)]
mod tests;

pub use copied::{MIN_CHARS, THRESHOLD, similarity};
pub use entry::{CarryCell, CarryRow, Entry, Section5, comparable};
pub use identity::{Fact, Identity, Reading, Source, identify};

use crate::diagnostics::Diagnostic;
pub use group::{Builder, Index, Lookup};

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

/// The members as grouping reads them now and then ([`Lookup`]).
struct Borrowed<'s, 'a, E>(&'s [&'a E]);

impl<E: Member> Lookup for Borrowed<'_, '_, E> {
    fn name(&self, i: usize) -> String {
        self.0[i].name().to_owned()
    }
    fn body(&self, i: usize) -> Option<String> {
        self.0[i].body().map(str::to_owned)
    }
    fn problems(&self, i: usize) -> Vec<String> {
        self.0[i].problems().to_vec()
    }
    fn mentions(&self, i: usize, key: &str) -> bool {
        self.0[i].mentions(key)
    }
}

/// Reports grouped by body and year.
pub struct Series<'a, E: Member = Entry> {
    entries: Vec<&'a E>,
    index: Index,
}

impl<'a, E: Member> Series<'a, E> {
    pub fn new(entries: Vec<&'a E>) -> Self {
        let mut builder = Builder::with_capacity(entries.len());
        for e in &entries {
            builder.push(e.body_key(), e.year());
        }
        let index = builder.finish(&Borrowed(&entries));
        Self { entries, index }
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The body a report was grouped under (as written by the group's first report).
    pub fn body(&self, i: usize) -> Option<&str> {
        self.index.name(self.index.group(i)?)
    }

    /// The report `i` is compared with (the year before), when there is exactly one and `i` is
    /// the only report of its own year.
    pub fn previous(&self, i: usize) -> Option<usize> {
        self.index.previous(i)
    }

    /// The report compared with `i` as its previous one.
    pub fn next(&self, i: usize) -> Option<usize> {
        self.index.next(i)
    }

    /// Where report `i` stands in its body's series: its previous and next reports, and why
    /// it has no previous one.
    pub fn link(&self, i: usize) -> Outcome {
        self.index.link(i, &Borrowed(&self.entries))
    }
}

impl Index {
    /// The one report of (group, year), if exactly one.
    fn only(&self, at: (usize, u32)) -> Option<usize> {
        match self.of(at) {
            [one] => Some(*one as usize),
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
        self.only((g, year.checked_add(1)?))
    }

    /// Where report `i` stands in its body's series: its previous and next reports, and why
    /// it has no previous one (`lookup` gives the names and problems the notes cite).
    pub fn link(&self, i: usize, lookup: &impl Lookup) -> Outcome {
        let mut out = Outcome {
            notes: self.notes(i).to_vec(),
            ..Outcome::default()
        };
        let Some(g) = self.group(i) else {
            out.notes.extend(lookup.problems(i));
            out.notes.push("发布机关不明，未与其他年度比对".to_string());
            return out;
        };
        let Some(year) = self.year(i) else {
            out.notes.extend(lookup.problems(i));
            out.notes.push("报告年度不明，未与其他年度比对".to_string());
            return out;
        };
        let body = self.name(g).unwrap_or_default();
        let same = self.of((g, year));
        if same.len() > 1 {
            out.notes.push(format!(
                "{body} {year} 年度有 {} 份报告（{}），无法确定是哪一份，未与相邻年度比对",
                same.len(),
                names(same, lookup)
            ));
            return out;
        }
        out.next = year.checked_add(1).and_then(|y| self.only((g, y)));
        let before = year.checked_sub(1).map_or(&[][..], |y| self.of((g, y)));
        match before {
            [one] => out.previous = Some(*one as usize),
            [] => out.notes.push(self.missing_previous(g, year)),
            many => out.notes.push(format!(
                "{body} {} 年度有 {} 份报告（{}），无法确定与哪一份比对",
                year - 1,
                many.len(),
                names(many, lookup)
            )),
        }
        out
    }

    fn missing_previous(&self, g: usize, year: u32) -> String {
        let body = self.name(g).unwrap_or_default();
        let years: Vec<u32> = self.years(g).into_iter().filter(|&y| y != year).collect();
        if years.is_empty() {
            return format!("没有{body}其他年度的报告一起检查");
        }
        let listed: Vec<String> = years.iter().map(|y| y.to_string()).collect();
        format!(
            "没有{body} {} 年度的报告一起检查（一起检查的有 {} 年度），未与上年比对",
            year.wrapping_sub(1),
            listed.join("、")
        )
    }
}

fn names(indices: &[u32], lookup: &impl Lookup) -> String {
    let names: Vec<String> = indices.iter().map(|&i| lookup.name(i as usize)).collect();
    names.join("、")
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
