//! The one entry point every edge calls: text in, report model and diagnostics out.
//! No IO, no LSP types: the CLI and the language server both call [`analyze`] (the language
//! server, after an edit, [`analyze_lines`] with the lines read again where the edit may have
//! changed them), so they cannot disagree.

use std::collections::HashMap;

use tree_sitter::Tree;

use crate::diagnostics::{Code, Diagnostic, Severity};
use crate::model::{self, Report};
use crate::relations::Relations;
use crate::suppress::CrossFile;
use crate::template::TemplateId;
use crate::{checks, suppress};

/// Which official format to judge a report against.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum TemplateChoice {
    /// Detect from the report year and the tables themselves.
    #[default]
    Auto,
    /// This format, whatever the report says.
    Forced(TemplateId),
}

impl TemplateChoice {
    /// `auto`, or a format's id (`2019`, `2021`).
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "auto" => Some(TemplateChoice::Auto),
            id => TemplateId::parse(id).map(TemplateChoice::Forced),
        }
    }

    fn forced(self) -> Option<TemplateId> {
        match self {
            TemplateChoice::Auto => None,
            TemplateChoice::Forced(id) => Some(id),
        }
    }
}

/// A month and day of the year after the report year (a publication deadline).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct MonthDay {
    pub month: u32,
    pub day: u32,
}

impl MonthDay {
    /// `01-31`, `3-31`: a day that exists in some year (`02-29` does).
    pub fn parse(s: &str) -> Option<MonthDay> {
        let (m, d) = s.trim().split_once('-')?;
        let (month, day): (u32, u32) = (m.parse().ok()?, d.parse().ok()?);
        let last = match month {
            2 => 29,
            4 | 6 | 9 | 11 => 30,
            1..=12 => 31,
            _ => return None,
        };
        (1..=last).contains(&day).then_some(MonthDay { month, day })
    }
}

impl std::fmt::Display for MonthDay {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:02}-{:02}", self.month, self.day)
    }
}

/// Publication deadlines in force where they differ from the statute's (`nianbao.toml`
/// `[deadline]`: several provinces set earlier dates).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Deadlines {
    /// A department's report (statute: 01-31).
    pub department: Option<MonthDay>,
    /// The 本级政府 report (statute: 03-31).
    pub government: Option<MonthDay>,
}

/// Settings of one analysis (CLI flags, LSP configuration, `nianbao.toml`).
#[derive(Clone, Debug, Default)]
pub struct Config {
    pub template: TemplateChoice,
    /// Per-code severity overrides; `None` switches the code off.
    pub severity: HashMap<Code, Option<Severity>>,
    /// Deadlines in force instead of the statute's.
    pub deadlines: Deadlines,
}

impl Config {
    /// The per-code severity overrides applied: a code switched off is dropped.
    pub fn apply_severity(&self, diagnostics: Vec<Diagnostic>) -> Vec<Diagnostic> {
        diagnostics
            .into_iter()
            .filter_map(|mut d| match self.severity.get(&d.code) {
                Some(None) => None,
                Some(Some(severity)) => {
                    d.severity = *severity;
                    Some(d)
                }
                None => Some(d),
            })
            .collect()
    }
}

/// The result of analysing one text.
#[derive(Clone, Debug)]
pub struct Analysis {
    /// `"2019"`, `"2021"` or `"unknown"`: the official format the report follows (detected or forced).
    pub template: &'static str,
    /// Sorted by range start, then code.
    pub diagnostics: Vec<Diagnostic>,
    /// What was read: sections, tables, values with their ranges (for hovers, symbols, fixes).
    pub report: Report,
    /// Every relation instance evaluated, and the diagnosis of the failures (checks, hovers,
    /// inlay hints and fixes read it; nothing else evaluates a relation).
    pub relations: Relations,
    /// The text's valid suppressions of cross-file codes, found with the others: the series
    /// pass filters its findings through them.
    pub suppressions: CrossFile,
}

/// Analyses one report text. The lines come from the grammar's scanner without a syntax tree
/// (no one edits this text: a tree would only be thrown away), the same lines a parse gives.
pub fn analyze(text: &str, config: &Config) -> Analysis {
    analyze_lines(text, model::lines::scan_or_parse(text), config)
}

/// Analyses a text whose syntax tree is already at hand (the formatter's).
pub fn analyze_tree(text: &str, tree: &Tree, config: &Config) -> Analysis {
    analyze_lines(text, model::lines::lines(text, tree), config)
}

/// Analyses a text whose classified lines are at hand — [`model::lines::lines`] of it, or what
/// equals them (the language server's lines read again after edits, `model::lines::rescan`).
pub fn analyze_lines(text: &str, lines: Vec<model::Line>, config: &Config) -> Analysis {
    let report = model::read_lines(text, lines, config.template.forced());
    let relations = Relations::evaluate(&report);
    let diagnostics = checks::run(text, &report, &relations, config);
    let (diagnostics, suppressions) = suppress::apply(text, &report.lines, diagnostics);
    let mut diagnostics = config.apply_severity(diagnostics);
    diagnostics.sort_by(|a, b| a.range.start.cmp(&b.range.start).then(a.code.cmp(&b.code)));
    Analysis {
        template: report.template.map_or("unknown", TemplateId::as_str),
        diagnostics,
        report,
        relations,
        suppressions,
    }
}
