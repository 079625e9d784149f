//! Data-driven tests of the checks: one test function per rule family, each running a list of
//! named cases (a report text and the codes the family owns) and snapshotting what it reports
//! (`snapshots/`). Report texts come from [`Doc`], which writes a complete report of either
//! format with every table in any layout, so a case only states what differs from a sound report.

mod blame;
mod cases;
mod converter;

use std::collections::HashMap;

use crate::analysis::{Config, analyze};
use crate::diagnostics::{Code, Diagnostic};
use crate::syntax::{LineIndex, PositionEncoding};
use crate::template::{self, TemplateId};

/// How tables are written (layouts.md §1).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Layout {
    /// 1a: one row per line, TAB-separated.
    Tab,
    /// Markdown `|` rows with a `|---|` row after the header.
    Pipe,
    /// 1b: one cell per TAB-prefixed line, a blank line between rows.
    CellPerLine,
    /// PDF text: cells separated by spaces, empty cells lost.
    Spaced,
}

/// A sound report of one format, to be spoiled by a case.
pub struct Doc {
    id: TemplateId,
    year: u32,
    layout: Layout,
    /// (table, row index in the table's text, value column) → text.
    values: HashMap<(u8, usize, usize), String>,
    /// Replacements applied to the finished text (`from`, `to`).
    edits: Vec<(String, String)>,
    /// Section numbers to leave out.
    omit: Vec<u8>,
}

impl Doc {
    pub fn new(id: TemplateId) -> Self {
        let year = if id == TemplateId::F2019 { 2020 } else { 2023 };
        Self {
            id,
            year,
            layout: Layout::Tab,
            values: HashMap::new(),
            edits: Vec::new(),
            omit: Vec::new(),
        }
    }

    pub fn layout(mut self, layout: Layout) -> Self {
        self.layout = layout;
        self
    }

    pub fn year(mut self, year: u32) -> Self {
        self.year = year;
        self
    }

    /// Sets a table-3 value: row id, column 0 (自然人) … 6 (总计).
    pub fn t3(mut self, row: &str, column: usize, value: &str) -> Self {
        let index = template::template(self.id)
            .table3_rows()
            .iter()
            .position(|r| r.id == row)
            .expect("row id");
        self.values.insert((3, index, column), value.to_string());
        self
    }

    /// Sets a table-4 value: column 0 … 14.
    pub fn t4(mut self, column: usize, value: &str) -> Self {
        self.values.insert((4, 0, column), value.to_string());
        self
    }

    /// Replaces the first occurrence of `from` in the finished report.
    pub fn replace(mut self, from: &str, to: &str) -> Self {
        self.edits.push((from.to_string(), to.to_string()));
        self
    }

    pub fn omit(mut self, section: u8) -> Self {
        self.omit.push(section);
        self
    }

    pub fn build(&self) -> String {
        let template = template::template(self.id);
        let mut text = format!(
            "测试市卫生健康委员会{}年政府信息公开工作年度报告\n\n",
            self.year
        );
        text.push_str(&format!(
            "本报告中所列数据统计期限为{}年1月1日至12月31日。\n\n",
            self.year
        ));
        for section in &template.sections {
            if self.omit.contains(&section.number) {
                continue;
            }
            text.push_str(&format!("{}、{}\n", section.numeral, section.title));
            match section.number {
                1 => text.push_str("（一）主动公开。本机关依法主动公开政府信息。\n"),
                2 => text.push_str(&self.table(2)),
                3 => text.push_str(&self.table(3)),
                4 => text.push_str(&self.table(4)),
                5 => text.push_str("一是公开内容不够全面。二是加强培训。\n"),
                _ => text.push_str("本年度未收取信息处理费。\n"),
            }
            text.push('\n');
        }
        for (from, to) in &self.edits {
            text = text.replacen(from.as_str(), to, 1);
        }
        text
    }

    /// A table in TAB rows (from the format's skeleton), with the case's values, in the layout.
    fn table(&self, number: u8) -> String {
        let skeleton = crate::skeleton::section_table(self.id, number).unwrap_or_default();
        let header_lines = match number {
            3 => 3,
            4 => 3,
            _ => usize::MAX,
        };
        let lines: Vec<Vec<String>> = skeleton
            .lines()
            .enumerate()
            .map(|(i, line)| {
                let mut cells: Vec<String> = line.split('\t').map(str::to_string).collect();
                if i >= header_lines {
                    let row = i - header_lines;
                    let first_value = cells.len() - if number == 3 { 7 } else { 15 };
                    for (c, cell) in cells.iter_mut().enumerate().skip(first_value) {
                        if let Some(v) = self.values.get(&(number, row, c - first_value)) {
                            *cell = v.clone();
                        }
                    }
                }
                cells
            })
            .collect();
        render(&lines, self.layout, header_lines)
    }
}

pub fn render(lines: &[Vec<String>], layout: Layout, header_lines: usize) -> String {
    let mut out = String::new();
    for (i, cells) in lines.iter().enumerate() {
        match layout {
            Layout::Tab => out.push_str(&format!("{}\n", cells.join("\t"))),
            Layout::Pipe => {
                out.push_str(&format!("| {} |\n", cells.join(" | ")));
                if i + 1 == header_lines.min(lines.len()) || (header_lines == usize::MAX && i == 0)
                {
                    out.push_str(&format!("|{}\n", "---|".repeat(cells.len())));
                }
            }
            Layout::CellPerLine => {
                for cell in cells {
                    out.push_str(&format!("\t{cell}\n"));
                }
                out.push('\n');
            }
            Layout::Spaced => {
                let kept: Vec<&str> = cells
                    .iter()
                    .map(String::as_str)
                    .filter(|c| !c.is_empty())
                    .collect();
                out.push_str(&format!("{}\n", kept.join(" ")));
            }
        }
    }
    out
}

/// One case of a family: a name, the report text.
pub struct Case {
    pub name: &'static str,
    pub text: String,
}

pub fn case(name: &'static str, text: impl Into<String>) -> Case {
    Case {
        name,
        text: text.into(),
    }
}

/// Runs each case and snapshots the diagnostics of the family's codes, one snapshot per case.
pub fn check_family(family: &str, codes: &[Code], cases: Vec<Case>) {
    for case in cases {
        let analysis = analyze(&case.text, &Config::default());
        let shown: Vec<&Diagnostic> = analysis
            .diagnostics
            .iter()
            .filter(|d| codes.contains(&d.code))
            .collect();
        let rendered = render_diagnostics(&case.text, &shown);
        insta::with_settings!({ snapshot_suffix => case.name, prepend_module_to_snapshot => false, description => family }, {
            insta::assert_snapshot!(family, rendered);
        });
    }
}

/// `line:col severity[code] message`, 1-based, columns in characters; then fix and related.
pub fn render_diagnostics(text: &str, diagnostics: &[&Diagnostic]) -> String {
    let index = LineIndex::new(text);
    let mut out = String::new();
    for d in diagnostics {
        let at = index.line_col(text, d.range.start, PositionEncoding::Utf32);
        let span = &text[d.range.clone()];
        out.push_str(&format!(
            "{}:{} {}[{}] {}\n    at: {:?}\n",
            at.line + 1,
            at.col + 1,
            d.severity.as_str(),
            d.code,
            d.message,
            span.chars().take(40).collect::<String>()
        ));
        if let Some(fix) = &d.fix {
            let edits: Vec<String> = fix
                .edits
                .iter()
                .map(|e| {
                    format!(
                        "{:?}→{:?}",
                        &text[e.range.clone()],
                        e.new_text.chars().take(30).collect::<String>()
                    )
                })
                .collect();
            out.push_str(&format!("    fix: {} ({})\n", fix.title, edits.join(", ")));
        }
        if !d.related.is_empty() {
            out.push_str(&format!("    related: {}\n", d.related.len()));
        }
    }
    if out.is_empty() {
        out.push_str("(none)\n");
    }
    out
}
