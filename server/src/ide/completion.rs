//! Completion: the six section headings in order (missing ones first, the next expected one
//! preselected), and on the line after a heading of 二, 三 or 四 the whole empty table of the
//! detected format.

use std::ops::Range;

use super::cells::template_of;
use crate::analysis::Analysis;
use crate::skeleton;
use crate::template;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CompletionKind {
    Section,
    Table,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Completion {
    pub label: String,
    pub detail: Option<String>,
    pub documentation: Option<String>,
    /// The text that replaces `replace`.
    pub insert: String,
    pub replace: Range<usize>,
    pub kind: CompletionKind,
    /// Orders the list (`0…` first).
    pub sort: String,
    pub preselect: bool,
}

/// Completions at byte `offset`.
pub fn completions(text: &str, analysis: &Analysis, offset: usize) -> Vec<Completion> {
    let report = &analysis.report;
    let offset = floor_boundary(text, offset.min(text.len()));
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let prefix = &text[line_start..offset];
    if prefix.contains(['\t', '|']) {
        return Vec::new();
    }
    let typed = prefix.trim_start();
    let replace = line_start..offset;
    let id = template_of(report);
    let template = template::template(id);
    let mut out = Vec::new();

    // The table skeleton right after a heading of 二/三/四.
    if typed.is_empty()
        && let Some(section) = report.sections.iter().find(|s| {
            s.heading.end <= line_start && text[s.heading.end..line_start].trim().is_empty()
        })
        && let Some(table) = skeleton::section_table(id, section.number)
    {
        let rest_of_line = text[offset..].split('\n').next().unwrap_or("");
        let mut insert = table;
        if rest_of_line.trim().is_empty() && text[offset..].contains('\n') {
            insert.pop();
        }
        let name = template
            .section_by_number(section.number)
            .and_then(|s| s.table)
            .map_or("表格", |t| t.label());
        out.push(Completion {
            label: format!("{name}（{}年格式，空表）", id.as_str()),
            detail: Some(format!("插入{name}的全部表头和行，数值为 0")),
            documentation: Some(format!("```\n{}\n```", insert)),
            insert,
            replace: replace.clone(),
            kind: CompletionKind::Table,
            sort: "0".to_string(),
            preselect: true,
        });
    }

    // Section headings.
    let present = |n: u8| report.sections.iter().any(|s| s.number == n);
    let before = report
        .sections
        .iter()
        .filter(|s| s.heading.start < line_start)
        .map(|s| s.number)
        .max()
        .unwrap_or(0);
    let next = template
        .sections
        .iter()
        .map(|s| s.number)
        .find(|&n| n > before && !present(n))
        .or_else(|| {
            template
                .sections
                .iter()
                .map(|s| s.number)
                .find(|&n| !present(n))
        });
    let preselected = !out.is_empty();
    for spec in &template.sections {
        let heading = spec.heading();
        if !typed.is_empty() && !heading.starts_with(typed) && !spec.title.contains(typed) {
            continue;
        }
        let exists = present(spec.number);
        out.push(Completion {
            label: heading.to_string(),
            detail: Some(if exists {
                "本报告已有此部分".to_string()
            } else {
                "本报告缺少此部分".to_string()
            }),
            documentation: spec.annotation().map(|a| a.explanation.clone()),
            insert: heading.to_string(),
            replace: replace.clone(),
            kind: CompletionKind::Section,
            sort: format!("{}{}", if exists { 2 } else { 1 }, spec.number),
            preselect: !preselected && Some(spec.number) == next,
        });
    }
    out
}

fn floor_boundary(text: &str, mut offset: usize) -> usize {
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}
