//! Hover texts (Markdown, Chinese): statute references, value cells (their full path; for a
//! total, the formula with the report's numbers and whether it holds), table-3 row labels,
//! column headers, and section headings (which item of 条例第五十条 requires the section).

use std::ops::Range;

use super::cells::{self, CellAt, line_at, template_of};
use crate::analysis::Analysis;
use crate::model::Report;
use crate::model::lines::without_markdown;
use crate::normalize;
use crate::relations::{self, Blame, Instance, Operand, Undecided, Verdict};
use crate::statute::{self, Subject};
use crate::template;

/// A hover: the span it is about and its Markdown text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hover {
    pub range: Range<usize>,
    pub markdown: String,
}

/// The hover at byte `offset` of `text`, if anything there has an explanation.
pub fn hover(text: &str, analysis: &Analysis, offset: usize) -> Option<Hover> {
    let report = &analysis.report;
    let offset = offset.min(text.len());
    statute_ref(text, report, offset)
        .or_else(|| value_cell(text, analysis, offset))
        .or_else(|| table3_row_label(report, offset))
        .or_else(|| section_heading(text, report, offset))
        .or_else(|| header_cell(text, report, offset))
}

fn statute_ref(text: &str, report: &Report, offset: usize) -> Option<Hover> {
    let (_, line) = line_at(report, offset)?;
    let base = line.range.start;
    let (range, r) = statute::find_references(&text[line.range.clone()])
        .into_iter()
        .map(|(range, r)| (range.start + base..range.end + base, r))
        .find(|(range, _)| range.start <= offset && offset <= range.end)?;
    let markdown = match statute::explain_markdown(&r) {
        Some(md) => md,
        None => format!(
            "### 《中华人民共和国政府信息公开条例》{r}\n\n本工具未收录此条文（只收录年度报告涉及的条文），请查阅条例原文。"
        ),
    };
    Some(Hover { range, markdown })
}

fn value_cell(text: &str, analysis: &Analysis, offset: usize) -> Option<Hover> {
    let report = &analysis.report;
    let relations = &analysis.relations;
    let found = cells::cell_at(report, offset)?;
    let at = found.at;
    let mut md = format!("**{}**\n\n", cells::path(report, at));
    let written = text[found.cell.range.clone()].trim();
    if found.cell.is_blank() {
        if relations.is_total(at) {
            md.push_str("此合计单元格为空（合计为空不按 0 计，由各项关系推定）。\n\n");
        } else {
            md.push_str("此单元格为空（按 0 计入合计）。\n\n");
        }
    } else if let Some(n) = found.cell.value.number()
        && !n.canonical
    {
        md.push_str(&format!(
            "写作 `{written}`，规范写法为 `{}`。\n\n",
            n.canonical_text
        ));
    }
    if let Some((_, blame)) = relations.blame(at) {
        md.push_str(&blame_markdown(analysis, blame));
        md.push_str("\n\n");
    } else if let Some(note) = candidate_note(analysis, at) {
        md.push_str(&note);
        md.push_str("\n\n");
    }
    let mut totals = 0;
    for instance in relations.instances.iter().filter(|i| i.target == at) {
        md.push_str(&total_markdown(text, instance));
        md.push_str("\n\n");
        totals += 1;
    }
    let parts: Vec<String> = relations
        .involving(at)
        .filter(|i| i.target != at)
        .map(|i| format!("- {}", instance_line(analysis, i)))
        .collect();
    if !parts.is_empty() {
        md.push_str("**参与的关系**\n\n");
        md.push_str(&parts.join("\n"));
        md.push_str("\n\n");
    }
    if totals == 0
        && let Some(explanation) = column_explanation(report, at)
    {
        md.push_str(&explanation);
        md.push_str("\n\n");
    }
    Some(Hover {
        range: found.cell.range.clone(),
        markdown: md.trim_end().to_string(),
    })
}

/// What the cell's column counts (its annotation), one line.
fn column_explanation(report: &Report, at: CellAt) -> Option<String> {
    let template = template::template(template_of(report));
    let subject = match at {
        CellAt::Table2 { block, column, .. } => Subject::Table2Column(
            template
                .table2_block(block)?
                .columns
                .get(column)?
                .id
                .as_str(),
        ),
        CellAt::Table3 { row, .. } => Subject::Table3Row(row),
        CellAt::Table4 { column } => {
            Subject::Table4Column(template.table4_columns().get(column)?.id.as_str())
        }
    };
    statute::annotation(subject).map(|a| a.explanation.clone())
}

/// The reasoning behind a blame: which relations the figure breaks, and that its correction
/// repairs them all.
fn blame_markdown(analysis: &Analysis, blame: &Blame) -> String {
    let instances = &analysis.relations.instances;
    let mut md = if blame.is_fill() {
        format!(
            "**✗ 合计为空：按各项关系应为 {}**\n\n它所在的下列关系因此不成立；填入 {} 后全部成立：\n\n",
            blame.expected, blame.expected
        )
    } else {
        format!(
            "**✗ 此数字有误：应为 {}**（表中为 {}）\n\n它使下列关系不成立；改为 {} 后这些关系全部成立，其余关系不受影响：\n\n",
            blame.expected,
            blame.actual.map_or_else(String::new, |a| a.to_string()),
            blame.expected
        )
    };
    for &i in &blame.failed {
        md.push_str(&format!("- {}\n", instance_line(analysis, &instances[i])));
    }
    md.push_str("\n这是使表中所有关系成立的唯一最小改法。");
    md
}

/// A cell that is one of several equally good candidates.
fn candidate_note(analysis: &Analysis, at: CellAt) -> Option<String> {
    analysis.relations.findings.iter().find_map(|f| match &f.undecided {
        Some((_, Undecided::Ambiguous(sets))) if sets.iter().any(|s| s.contains(&at)) => Some(format!(
            "**? 可能有误**：表中有关系不成立，但有 {} 种同样简单的改法，此数字在其中，仅凭表中数字无法确定。",
            sets.len()
        )),
        _ => None,
    })
}

/// One line about an instance: `T3-COL（“（一）予以公开”行）：✓ 成立`.
fn instance_line(analysis: &Analysis, instance: &Instance) -> String {
    let template = template::template(template_of(&analysis.report));
    let verdict = match instance.verdict {
        Verdict::Holds => "✓ 成立".to_string(),
        Verdict::Fails { .. } => "✗ 不成立".to_string(),
        Verdict::Unassessed => "无法核对（有单元格不是数字或未能读取）".to_string(),
    };
    format!(
        "{}（{}）：{}，{verdict}",
        instance.relation.rule,
        relations::scope_name(template, instance.scope),
        instance.relation.description
    )
}

/// `总计 = 自然人 + … = 3001 + 53 + … = 3119`, with the actual value and whether it holds; a
/// long sum (（七）总计 over 21 rows) as a table of its terms.
pub fn total_markdown(text: &str, instance: &Instance) -> String {
    let mut md = format!(
        "**勾稽关系 {}**：{}\n\n",
        instance.relation.rule, instance.relation.description
    );
    let Some(target) = instance.target_operand() else {
        return md;
    };
    let target_in_lhs = instance.lhs.iter().any(|o| o.at == target.at);
    let (own, other) = if target_in_lhs {
        (&instance.lhs, &instance.rhs)
    } else {
        (&instance.rhs, &instance.lhs)
    };
    let plus: Vec<&Operand> = other.iter().collect();
    let minus: Vec<&Operand> = own.iter().filter(|o| o.at != target.at).collect();
    let expected = match instance.verdict {
        Verdict::Holds => target.reading.value().map(i128::from),
        Verdict::Fails { expected } => Some(expected),
        Verdict::Unassessed => None,
    };
    let total = expected.map_or_else(|| "?".to_string(), |e| format!("**{e}**"));
    if plus.len() + minus.len() > 8 {
        md.push_str(&format!(
            "{} = 下列各项之和\n\n| 项 | 数值 |\n|---|---:|\n",
            target.name
        ));
        for t in &plus {
            md.push_str(&format!("| {} | {} |\n", t.name, t.shown(text)));
        }
        for t in &minus {
            md.push_str(&format!("| 减 {} | {} |\n", t.name, t.shown(text)));
        }
        md.push_str(&format!("| 合计 | {total} |\n\n"));
    } else {
        let names = formula(&plus, &minus, |t| t.name.to_string());
        let values = formula(&plus, &minus, |t| t.shown(text).to_string());
        md.push_str(&format!(
            "{} = {names}\n\n= {values} = {total}\n\n",
            target.name
        ));
    }
    let actual = target.shown(text);
    let verdict = match (instance.verdict, expected) {
        (Verdict::Holds, _) => format!("表中为 {actual}：✓ 成立"),
        (Verdict::Fails { .. }, Some(expected)) => {
            format!("表中为 {actual}：✗ **不成立**（应为 {expected}）")
        }
        _ => format!("表中为 {actual}：无法核对（有单元格不是数字或未能读取）"),
    };
    md.push_str(&verdict);
    md
}

fn formula(plus: &[&Operand], minus: &[&Operand], show: impl Fn(&Operand) -> String) -> String {
    let parts: Vec<String> = plus.iter().map(|t| show(t)).collect();
    let mut out = parts.join(" + ");
    for t in minus {
        out.push_str(" − ");
        out.push_str(&show(t));
    }
    out
}

fn table3_row_label(report: &Report, offset: usize) -> Option<Hover> {
    let table = report.table3.as_ref()?;
    let row = table.rows.iter().find(|r| {
        !r.inferred() && r.label.start <= offset && offset < r.label.end.max(r.label.start + 1)
    })?;
    let markdown = statute::subject_markdown(Subject::Table3Row(row.id))
        .unwrap_or_else(|| format!("**表三 {}**", cells::table3_row_path(report, row.id)));
    let mut markdown = markdown;
    if let Some((score, official)) = row.label_mismatch {
        markdown.push_str(&format!(
            "\n\n行名与模板“{official}”不完全一致（相似度 {:.0}%），按该行核对。",
            score * 100.0
        ));
    }
    Some(Hover {
        range: row.label.clone(),
        markdown,
    })
}

fn section_heading(text: &str, report: &Report, offset: usize) -> Option<Hover> {
    let section = report
        .sections
        .iter()
        .find(|s| s.heading.start <= offset && offset <= s.heading.end)?;
    let mut md = statute::subject_markdown(Subject::Section(section.number))
        .unwrap_or_else(|| format!("**{}**", without_markdown(&text[section.heading.clone()])));
    let spec = template::template(template_of(report)).section_by_number(section.number);
    if let Some(spec) = spec {
        let written = normalize::key(without_markdown(&text[section.heading.clone()]));
        if written != normalize::key(spec.heading()) {
            md.push_str(&format!("\n\n模板中的标题：{}", spec.heading()));
        }
    }
    Some(Hover {
        range: section.heading.clone(),
        markdown: md,
    })
}

/// A header cell of table 2, 3 or 4: what the column counts.
fn header_cell(text: &str, report: &Report, offset: usize) -> Option<Hover> {
    let (_, line) = line_at(report, offset)?;
    if !line.is_table_line() {
        return None;
    }
    let cell = line
        .cells
        .iter()
        .find(|c| c.range.start <= offset && offset <= c.range.end && !c.range.is_empty())?;
    let key = normalize::key(&text[cell.range.clone()]);
    let template = template::template(template_of(report));
    let in_range = |r: &Option<Range<usize>>| {
        r.as_ref()
            .is_some_and(|r| r.start <= cell.range.start && cell.range.end <= r.end)
    };
    let subject = if report.table3.as_ref().is_some_and(|t| in_range(&t.header)) {
        template
            .table3_columns()
            .iter()
            .find(|c| c.match_label(&key, 1).is_some())
            .map(|c| Subject::Table3Column(c.id.as_str()))
    } else if let Some(t4) = report.table4.as_ref().filter(|t| in_range(&t.header)) {
        table4_header(text, report, t4.header.clone()?, cell.range.start, &key)
    } else if report
        .table2
        .as_ref()
        .is_some_and(|t| t.range.start <= cell.range.start && cell.range.end <= t.range.end)
    {
        template
            .table2_blocks()
            .iter()
            .flat_map(|b| &b.columns)
            .find(|c| c.match_label(&key, 1).is_some())
            .map(|c| Subject::Table2Column(c.id.as_str()))
    } else {
        None
    }?;
    Some(Hover {
        range: cell.range.clone(),
        markdown: statute::subject_markdown(subject)?,
    })
}

/// Table 4 repeats `结果维持` … `总计` in each of its three groups: the k-th occurrence of a
/// column label in the header (in reading order) belongs to the k-th group.
fn table4_header(
    text: &str,
    report: &Report,
    header: Range<usize>,
    at: usize,
    key: &str,
) -> Option<Subject<'static>> {
    let columns = template::template(template_of(report)).table4_columns();
    let label = columns.iter().find(|c| c.key() == key)?;
    let occurrence = report
        .lines
        .iter()
        .filter(|l| l.range.start >= header.start && l.range.end <= header.end.max(l.range.start))
        .flat_map(|l| &l.cells)
        .filter(|c| c.range.start < at && normalize::key(&text[c.range.clone()]) == key)
        .count();
    columns
        .iter()
        .filter(|c| c.label == label.label)
        .nth(occurrence)
        .map(|c| Subject::Table4Column(c.id.as_str()))
}
