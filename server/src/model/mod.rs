//! The report model: what a careful reviewer reads out of a report — its year, its six sections,
//! and the values of tables 2, 3 and 4, each matched to the official template and each keeping
//! the exact byte range it came from.
//!
//! Reading goes: tree → [`lines`] (classified lines, table lines split into cells) → sections →
//! one reader per table ([`table2`], [`table3`], [`table4`]) that locates its table by content,
//! turns the lines of any layout into rows of cells, and matches rows and columns to the
//! template. What could not be read stays unknown (`None`), never zero.

pub mod lines;
pub mod prose;
pub(crate) mod rows;
mod sections;
pub mod table2;
pub mod table3;
pub mod table4;
pub mod year;

use std::ops::Range;

use tree_sitter::Tree;

pub use lines::{Line, LineKind};
pub use sections::{Section, SectionMatch};
pub use table2::Table2;
pub use table3::Table3;
pub use table4::Table4;
pub use year::YearSource;

use crate::normalize::{self, CellValue};
use crate::template::TemplateId;

/// A value cell: where it stands and what it says.
#[derive(Clone, Debug, PartialEq)]
pub struct Cell {
    /// The cell's text without surrounding space; empty cells have an empty range where the
    /// text would stand.
    pub range: Range<usize>,
    pub value: CellValue,
}

impl Cell {
    pub fn read(text: &str, range: Range<usize>) -> Self {
        let value = normalize::parse_number(&text[range.clone()]);
        Self { range, value }
    }

    /// The value as a count: blank and placeholder read as 0 (rules.md §4: blank parts count
    /// as 0); `None` when the cell is not a usable number.
    pub fn count_or_zero(&self) -> Option<i64> {
        match &self.value {
            CellValue::Empty | CellValue::Placeholder => Some(0),
            CellValue::Number(n) => n.integer,
            CellValue::Invalid => None,
        }
    }

    /// Whether the cell holds no value (blank or a placeholder such as `/`).
    pub fn is_blank(&self) -> bool {
        matches!(self.value, CellValue::Empty | CellValue::Placeholder)
    }
}

/// Where a value cell stands in the template: the coordinates checks, the relation engine and
/// the editor features share.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum CellAt {
    /// Table 2: block id (`a20_1`), row id (`regulations`), column index in the block.
    Table2 {
        block: &'static str,
        row: &'static str,
        column: usize,
    },
    /// Table 3: row id (`r3_1`), column 0 (自然人) … 6 (总计).
    Table3 { row: &'static str, column: usize },
    /// Table 4: column 0 … 14.
    Table4 { column: usize },
}

/// The report year and where it was read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Year {
    pub year: u32,
    pub range: Range<usize>,
    pub source: YearSource,
}

/// Evidence that a table follows some formats: a row or header the others do not have.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FormatEvidence {
    /// The formats that have it (not all of them, or it would be no evidence).
    pub formats: Vec<TemplateId>,
    pub range: Range<usize>,
    /// What was seen, in Chinese: `表二“本年新制作数量”列`.
    pub what: String,
}

/// Everything read out of one report.
#[derive(Clone, Debug)]
pub struct Report {
    pub lines: Vec<Line>,
    /// The title line(s), if any.
    pub title: Option<Range<usize>>,
    /// The report year (from the title, the data period, or the prose).
    pub year: Option<Year>,
    /// Years stated as the data period (`统计期限为2022年1月1日至12月31日`).
    pub period_years: Vec<Year>,
    /// The official format the report is judged against, and whether it was forced.
    pub template: Option<TemplateId>,
    /// Rows and headers that only one of the two formats has.
    pub evidence: Vec<FormatEvidence>,
    pub sections: Vec<Section>,
    pub table2: Option<Table2>,
    pub table3: Option<Table3>,
    pub table4: Option<Table4>,
    /// Byte length of the text (where a missing section at the end would stand).
    pub len: usize,
}

impl Report {
    /// The section matched to template section `number` (1 = 一 … 6 = 六), first occurrence.
    pub fn section(&self, number: u8) -> Option<&Section> {
        self.sections.iter().find(|s| s.number == number)
    }
}

/// The smallest range covering all `ranges` (`None` when there are none).
pub(crate) fn span(ranges: &[Range<usize>]) -> Option<Range<usize>> {
    let start = ranges.iter().map(|r| r.start).min()?;
    let end = ranges.iter().map(|r| r.end).max()?;
    Some(start..end)
}

/// Reads `text` (already parsed into `tree`) into a report. `forced` overrides format detection.
pub fn read(text: &str, tree: &Tree, forced: Option<TemplateId>) -> Report {
    read_lines(text, lines::lines(text, tree), forced)
}

/// Reads a report from its classified lines (`lines::lines` of the text and its tree, or what
/// equals them: `lines::scan`, `lines::rescan` after an edit).
pub fn read_lines(text: &str, lines: Vec<Line>, forced: Option<TemplateId>) -> Report {
    let sections = sections::find(text, &lines);
    let title = year::title(text, &lines);
    let (year, period_years) = year::detect(text, &lines, title.as_ref(), &sections);

    let table2 = table2::read(text, &lines, &sections);
    let table3 = table3::read(text, &lines, &sections);
    let table4 = table4::read(text, &lines, &sections);

    let mut evidence = Vec::new();
    if let Some(t) = &table2 {
        evidence.extend(t.evidence.iter().cloned());
    }
    if let Some(t) = &table3 {
        evidence.extend(t.evidence.iter().cloned());
    }
    evidence.sort_by_key(|e| e.range.start);

    let template = forced.or_else(|| decide_template(year.as_ref(), &evidence));
    let mut report = Report {
        lines,
        title,
        year,
        period_years,
        template,
        evidence,
        sections,
        table2,
        table3,
        table4,
        len: text.len(),
    };
    if let (Some(id), Some(t3)) = (report.template, report.table3.as_mut()) {
        t3.settle_template(id);
    }
    report
}

/// The format follows the report year (the `years` of each template file: F2019 for 2019–2020,
/// F2021 from 2021); without a year, the tables decide by majority of their format-only rows
/// and headers.
fn decide_template(year: Option<&Year>, evidence: &[FormatEvidence]) -> Option<TemplateId> {
    if let Some(id) = year.and_then(|y| TemplateId::for_year(y.year)) {
        return Some(id);
    }
    let mut counts: Vec<(usize, TemplateId)> = TemplateId::all()
        .map(|id| {
            (
                evidence.iter().filter(|e| e.formats.contains(&id)).count(),
                id,
            )
        })
        .filter(|(n, _)| *n > 0)
        .collect();
    counts.sort_by_key(|(n, _)| std::cmp::Reverse(*n));
    match counts.as_slice() {
        [(n, id), rest @ ..] if rest.first().is_none_or(|(m, _)| m < n) => Some(*id),
        _ => None, // a tie, or no evidence
    }
}

#[cfg(test)]
mod tests;
