//! The document outline (sections > tables > rows) and folding ranges (sections, tables).

use std::ops::Range;

use super::cells::{self, template_of};
use crate::analysis::Analysis;
use crate::model::Report;
use crate::template::{self, TableId};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SymbolKind {
    Title,
    Section,
    Table,
    Row,
}

/// One entry of the outline.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Symbol {
    pub name: String,
    pub detail: Option<String>,
    pub kind: SymbolKind,
    /// Everything the symbol covers.
    pub range: Range<usize>,
    /// What to select when the symbol is picked (a heading, a label); within `range`.
    pub selection: Range<usize>,
    pub children: Vec<Symbol>,
}

/// The outline: the title, the six sections with their tables, the tables' rows.
pub fn document_symbols(text: &str, analysis: &Analysis) -> Vec<Symbol> {
    let report = &analysis.report;
    let mut tables = tables(text, report);
    let mut out = Vec::new();
    if let Some(title) = &report.title {
        out.push(Symbol {
            name: one_line(&text[title.clone()]),
            detail: Some("标题".to_string()),
            kind: SymbolKind::Title,
            range: title.clone(),
            selection: title.clone(),
            children: Vec::new(),
        });
    }
    for section in &report.sections {
        let range = trim_end(text, section.body.clone());
        let (inside, rest): (Vec<Symbol>, Vec<Symbol>) = tables
            .into_iter()
            .partition(|t| range.start <= t.range.start && t.range.start < range.end.max(1));
        tables = rest;
        let mut range = range;
        for t in &inside {
            range.end = range.end.max(t.range.end);
        }
        out.push(Symbol {
            name: one_line(crate::model::lines::without_markdown(
                &text[section.heading.clone()],
            )),
            detail: Some(format!("第{}部分", numeral(section.number))),
            kind: SymbolKind::Section,
            range,
            selection: section.heading.clone(),
            children: inside,
        });
    }
    // Tables outside any section (their heading lost): top level.
    out.extend(tables);
    out.sort_by_key(|s| s.range.start);
    out
}

fn numeral(n: u8) -> &'static str {
    ["一", "二", "三", "四", "五", "六"]
        .get(usize::from(n).wrapping_sub(1))
        .copied()
        .unwrap_or("?")
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn trim_end(text: &str, range: Range<usize>) -> Range<usize> {
    let trimmed = text[range.clone()].trim_end();
    range.start..range.start + trimmed.len()
}

fn table_name(id: TableId, report: &Report) -> String {
    let number = match id {
        TableId::Table2 => 2,
        TableId::Table3 => 3,
        TableId::Table4 => 4,
    };
    let title = template::template(template_of(report))
        .section_by_number(number)
        .map_or("", |s| s.title.as_str());
    format!("{} {title}", id.label())
}

fn tables(text: &str, report: &Report) -> Vec<Symbol> {
    let mut out = Vec::new();
    if let Some(t) = &report.table2 {
        let template = template::template(template_of(report));
        let children = t
            .rows
            .iter()
            .map(|row| {
                let block = template.table2_block(row.block);
                let caption = block.map_or("", |b| b.caption.as_str());
                let label = block
                    .and_then(|b| b.row(row.id))
                    .map_or_else(|| one_line(&text[row.label.clone()]), |r| r.label.clone());
                let end = row.values.last().map_or(row.label.end, |c| c.range.end);
                Symbol {
                    name: label,
                    detail: Some(caption.to_string()),
                    kind: SymbolKind::Row,
                    range: row.label.start..end.max(row.label.end),
                    selection: row.label.clone(),
                    children: Vec::new(),
                }
            })
            .collect();
        out.push(table_symbol(
            TableId::Table2,
            report,
            t.range.clone(),
            children,
        ));
    }
    if let Some(t) = &report.table3 {
        let children = t
            .rows
            .iter()
            .map(|row| Symbol {
                name: cells::table3_row_path(report, row.id),
                detail: row
                    .inferred()
                    .then(|| "（行名缺失，按位置推定）".to_string()),
                kind: SymbolKind::Row,
                range: row.range.start.min(row.label.start)..row.range.end.max(row.label.end),
                selection: row.label.clone(),
                children: Vec::new(),
            })
            .collect();
        out.push(table_symbol(
            TableId::Table3,
            report,
            t.range.clone(),
            children,
        ));
    }
    if let Some(t) = &report.table4 {
        let children = t
            .data
            .iter()
            .map(|data| Symbol {
                name: "数据行".to_string(),
                detail: Some("15 个数值".to_string()),
                kind: SymbolKind::Row,
                range: data.clone(),
                selection: data.clone(),
                children: Vec::new(),
            })
            .collect();
        out.push(table_symbol(
            TableId::Table4,
            report,
            t.range.clone(),
            children,
        ));
    }
    out
}

fn table_symbol(
    id: TableId,
    report: &Report,
    range: Range<usize>,
    mut children: Vec<Symbol>,
) -> Symbol {
    let mut range = range;
    for c in &children {
        range.start = range.start.min(c.range.start);
        range.end = range.end.max(c.range.end);
    }
    children.sort_by_key(|c| c.range.start);
    Symbol {
        name: table_name(id, report),
        detail: None,
        kind: SymbolKind::Table,
        selection: range.start..range.start,
        range,
        children,
    }
}

/// A foldable region: from its first line to its last (the LSP folds by lines).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fold {
    pub range: Range<usize>,
    pub kind: FoldKind,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FoldKind {
    Section,
    Table,
}

/// Sections (heading to the last line of their body) and tables.
pub fn folding_ranges(text: &str, analysis: &Analysis) -> Vec<Fold> {
    let report = &analysis.report;
    let mut out: Vec<Fold> = report
        .sections
        .iter()
        .map(|s| Fold {
            range: trim_end(text, s.body.clone()),
            kind: FoldKind::Section,
        })
        .collect();
    let tables = [
        report.table2.as_ref().map(|t| t.range.clone()),
        report.table3.as_ref().map(|t| t.range.clone()),
        report.table4.as_ref().map(|t| t.range.clone()),
    ];
    out.extend(tables.into_iter().flatten().map(|range| Fold {
        range: trim_end(text, range),
        kind: FoldKind::Table,
    }));
    out.retain(|f| text[f.range.clone()].contains('\n'));
    out.sort_by_key(|f| (f.range.start, std::cmp::Reverse(f.range.end)));
    out
}
