//! What the series checks need of one report, read once from its analysis: its identity, the two
//! carry-over rows of table 3, section 五's text, the opening text that may name the body
//! another way, and its suppressions of the series codes. An entry owns its data (no borrow of
//! the text), so the language server can keep one per workspace file.

use std::ops::Range;
use std::sync::Arc;

use super::identity::{self, Identity};
use super::names;
use crate::analysis::Analysis;
use crate::model::table3::{COLUMNS, Table3};
use crate::normalize;
use crate::suppress::CrossFile;

/// Table 3 row ids of the two rows compared across years.
pub(super) const CARRIED: &str = "carried";
pub(super) const CARRY_NEXT: &str = "carry_next";

/// How much of the text before section 二 is kept to look for the body's other name in.
const MENTIONS_BYTES: usize = 16 * 1024;

/// One cell of a carry-over row as the series checks compare it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CarryCell {
    /// The cell's range (an empty range where a blank cell's text would stand).
    pub range: Range<usize>,
    /// The count; `None` when it cannot be compared: not a whole number, or a blank total (a
    /// blank total is unknown, as the relation engine reads it; a blank part counts 0).
    pub count: Option<i64>,
    /// The cell is blank.
    pub blank: bool,
}

/// A carry-over row: one entry per table-3 column, `None` where the value was not read.
pub type CarryRow = [Option<CarryCell>; COLUMNS];

/// Section 五 as compared.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Section5 {
    pub heading: Range<usize>,
    /// The heading and body.
    pub range: Range<usize>,
    /// The body's characters without digits and spaces, NFKC-normalised.
    pub chars: Vec<char>,
}

/// One report, as the series pass sees it.
#[derive(Clone, Debug)]
pub struct Entry {
    /// How the caller names the report (a path, a document key): `Related::path` of findings
    /// in other reports that point here.
    pub name: String,
    pub identity: Identity,
    /// The body's key ([`names::key`]), when the body is known.
    pub body_key: Option<String>,
    /// Table 3 `二、上年结转…` and `四、结转下年度继续办理`, when read.
    pub carried: Option<CarryRow>,
    pub carry_next: Option<CarryRow>,
    pub section5: Option<Section5>,
    /// The text before section 二 (at most [`MENTIONS_BYTES`]), where a body's other name may be
    /// written: a prefix of `text`.
    pub mentions_end: usize,
    /// Its matching key, made on first use: only bodies named two ways ask (normalising every
    /// report's section 一 was an eighth of a batch's time).
    pub mentions_key: std::sync::OnceLock<String>,
    pub suppressions: CrossFile,
    /// The report's text (the language server converts related places into positions with it).
    pub text: Arc<str>,
}

impl Entry {
    /// Reads an entry from a report's text and analysis; `name` is how the caller names it,
    /// `file_name` the file's name, if any, for the identity.
    pub fn new(name: String, text: &str, analysis: &Analysis, file_name: Option<&str>) -> Self {
        Self::sharing(name, Arc::from(text), analysis, file_name)
    }

    /// As [`Entry::new`], keeping `shared` as its text (the language server's snapshot holds
    /// the same one: one copy of each open report's text, not two).
    pub fn sharing(
        name: String,
        shared: Arc<str>,
        analysis: &Analysis,
        file_name: Option<&str>,
    ) -> Self {
        let text: &str = &shared;
        let report = &analysis.report;
        let identity = identity::identify(text, report, file_name);
        let body_key = identity.body.as_ref().map(|b| names::key(&b.value));
        let column_total = |c: usize| c + 1 == COLUMNS;
        let row = |t: &Table3, id: &str| carry_row(t, id, column_total);
        let carried = report.table3.as_ref().and_then(|t| row(t, CARRIED));
        let carry_next = report.table3.as_ref().and_then(|t| row(t, CARRY_NEXT));
        let mentions_end = report
            .sections
            .iter()
            .find(|s| s.number >= 2)
            .map_or(text.len(), |s| s.heading.start);
        Self {
            name,
            body_key,
            identity,
            carried,
            carry_next,
            section5: section5(text, analysis),
            mentions_end: prefix(text, mentions_end.min(MENTIONS_BYTES)).len(),
            mentions_key: std::sync::OnceLock::new(),
            suppressions: analysis.suppressions.clone(),
            text: shared.clone(),
        }
    }

    /// The text before section 二 where a body's other name may be written.
    pub fn mentions_text(&self) -> &str {
        self.text.get(..self.mentions_end).unwrap_or("")
    }

    /// The matching key of [`Entry::mentions_text`].
    pub fn mentions_key(&self) -> &str {
        self.mentions_key
            .get_or_init(|| normalize::key(self.mentions_text()))
    }

    /// The report year, when established.
    pub fn year(&self) -> Option<u32> {
        self.identity.year.as_ref().map(|y| y.value)
    }
}

/// `text` up to byte `end`, moved back to a character boundary.
fn prefix(text: &str, end: usize) -> &str {
    let mut end = end.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

fn carry_row(t: &Table3, id: &str, is_total: impl Fn(usize) -> bool) -> Option<CarryRow> {
    let row = t.row(id)?;
    let mut out: CarryRow = Default::default();
    for (column, slot) in out.iter_mut().enumerate() {
        *slot = row.value(column).map(|cell| {
            let blank = cell.is_blank();
            let count = if blank && is_total(column) {
                None
            } else {
                cell.count_or_zero()
            };
            CarryCell {
                range: cell.range.clone(),
                count,
                blank,
            }
        });
    }
    out.iter().any(Option::is_some).then_some(out)
}

fn section5(text: &str, analysis: &Analysis) -> Option<Section5> {
    let section = analysis.report.section(5)?;
    let body = section.heading.end.min(section.body.end)..section.body.end;
    Some(Section5 {
        heading: section.heading.clone(),
        range: section.body.clone(),
        chars: comparable(&text[body]),
    })
}

/// The characters compared for copied text: NFKC of each character (full/half width alike; the
/// normaliser the engine uses everywhere, so the web engine compares as the CLI does), without
/// digits (years and counts change every year) and whitespace.
pub fn comparable(s: &str) -> Vec<char> {
    let mut out = Vec::with_capacity(s.len() / 3);
    for c in s.chars() {
        crate::normalize::nfkc_char(c, |n| {
            // A CJK unified ideograph is neither space nor a number (all are letters, Lo): kept
            // without `is_numeric`'s table search, which every ideograph of the text cost.
            if crate::normalize::is_cjk_ideograph(n) || !n.is_whitespace() && !n.is_numeric() {
                out.push(n);
            }
        });
    }
    out
}
