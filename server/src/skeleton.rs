//! Empty tables of a format, as report text (TAB rows): what "insert the missing section" and
//! completion put into the document. Built from the template data, so a new format year gets its
//! skeletons for free.

use crate::template::{self, TableId, TemplateId};

/// The table that section `number` (1–6) holds, as TAB rows ending in a newline; `None` for the
/// prose sections.
pub fn section_table(id: TemplateId, number: u8) -> Option<String> {
    let template = template::template(id);
    match template.section_by_number(number)?.table? {
        TableId::Table2 => Some(table2(id)),
        TableId::Table3 => Some(table3(id)),
        TableId::Table4 => Some(table4(id)),
    }
}

fn table2(id: TemplateId) -> String {
    let template = template::template(id);
    let mut out = String::new();
    for block in template.table2_blocks() {
        out.push_str(&block.caption);
        out.push('\n');
        out.push_str(&template.table2.header_label);
        for column in &block.columns {
            out.push('\t');
            out.push_str(&column.label);
        }
        out.push('\n');
        for row in &block.rows {
            out.push_str(&row.label);
            for _ in &block.columns {
                out.push_str("\t0");
            }
            out.push('\n');
        }
    }
    out
}

fn table3(id: TemplateId) -> String {
    let template = template::template(id);
    let columns = template.table3_columns();
    let mut out = format!(
        "{}\t\t\t{}\n\t\t",
        template.table3.note, template.table3.applicant_header
    );
    // Header rows: 自然人 | 法人或其他组织 (over the five organisations) | 总计, then the five.
    let mut parent_written = false;
    for column in columns {
        out.push('\t');
        match &column.parent {
            Some(parent) if !parent_written => {
                out.push_str(parent);
                parent_written = true;
            }
            Some(_) => {}
            None => out.push_str(&column.label),
        }
    }
    out.push_str("\n\t\t");
    for column in columns {
        out.push('\t');
        if column.parent.is_some() {
            out.push_str(&column.label);
        }
    }
    out.push('\n');
    for row in template.table3_rows() {
        let level1 = if row.shows_level1() {
            row.level1.as_str()
        } else {
            ""
        };
        let level2 = if row.shows_level2() {
            row.level2.as_deref().unwrap_or("")
        } else {
            ""
        };
        let level3 = row.level3.as_deref().unwrap_or("");
        let labels = match (&row.level2, &row.level3) {
            (None, _) => format!("{level1}\t\t"),
            (Some(_), None) => format!("{level1}\t{level2}\t"),
            (Some(_), Some(_)) => format!("{level1}\t{level2}\t{level3}"),
        };
        out.push_str(&labels);
        for _ in columns {
            out.push_str("\t0");
        }
        out.push('\n');
    }
    out
}

fn table4(id: TemplateId) -> String {
    let spec = &template::template(id).table4;
    let n = spec.columns.len();
    // Three header rows as in the official table: groups (and 行政诉讼 over two of them), the
    // 行政复议 columns with the litigation groups, then the litigation columns.
    let mut rows = [vec![""; n], vec![""; n], vec![""; n]];
    for group in &spec.groups {
        let Some(first) = spec.columns.iter().position(|c| c.group == group.id) else {
            continue;
        };
        let columns = spec
            .columns
            .iter()
            .enumerate()
            .filter(|(_, c)| c.group == group.id);
        match &group.parent {
            None => {
                rows[0][first] = &group.label;
                columns.for_each(|(i, c)| rows[1][i] = &c.label);
            }
            Some(parent) => {
                if !rows[0].contains(&parent.as_str()) {
                    rows[0][first] = parent;
                }
                rows[1][first] = &group.label;
                columns.for_each(|(i, c)| rows[2][i] = &c.label);
            }
        }
    }
    let mut out: String = rows.iter().map(|r| r.join("\t") + "\n").collect();
    out.push_str(&vec!["0"; n].join("\t"));
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::{Config, analyze};

    /// A report made of nothing but headings and skeletons reads back with all tables and no
    /// arithmetic or structure error: the skeletons are what the model expects.
    #[test]
    fn skeletons_read_back_clean() {
        for id in TemplateId::all() {
            let year = template::template(id).years.first;
            let mut text = format!("测试局{year}年政府信息公开工作年度报告\n");
            for section in &template::template(id).sections {
                text.push_str(&format!("{}、{}\n", section.numeral, section.title));
                match section_table(id, section.number) {
                    Some(table) => text.push_str(&table),
                    None => text.push_str("无。信息处理费 0 元。\n"),
                }
            }
            let analysis = analyze(&text, &Config::default());
            let errors: Vec<_> = analysis
                .diagnostics
                .iter()
                .filter(|d| {
                    d.severity == crate::diagnostics::Severity::Error
                        || d.severity == crate::diagnostics::Severity::Warning
                })
                .map(|d| format!("{} {}", d.code, d.message))
                .collect();
            assert_eq!(analysis.template, id.as_str());
            assert!(errors.is_empty(), "{id:?}:\n{}\n{text}", errors.join("\n"));
        }
    }
}
