//! Names of rows and columns as messages and hovers show them, from the template data.

use std::sync::LazyLock;

use crate::template::{self, TemplateId};

/// The most specific official label of a table-3 row (`1.属于国家秘密`, `（七）总计`).
pub fn row_label(id: &str) -> &'static str {
    ROW_LABELS
        .iter()
        .find(|(row, _)| *row == id)
        .map_or("", |&(_, label)| label)
}

/// (row id, most specific label) of every table-3 row, the 2021 format's first.
static ROW_LABELS: LazyLock<Vec<(&'static str, &'static str)>> = LazyLock::new(|| {
    [TemplateId::F2021, TemplateId::F2019]
        .into_iter()
        .flat_map(|t| template::template(t).table3_rows())
        .map(|r| (r.id.as_str(), r.label()))
        .collect()
});

/// The name of table-3 column `i` (0 = 自然人 … 6 = 总计).
pub fn column_name(i: usize) -> &'static str {
    template::template(TemplateId::F2021)
        .table3_columns()
        .get(i)
        .map_or("", |c| c.label.as_str())
}

/// The name of table-4 column `i` with its group: `行政复议 · 总计`.
pub fn table4_column_name(i: usize) -> String {
    let template = template::template(TemplateId::F2021);
    let Some(column) = template.table4_columns().get(i) else {
        return String::new();
    };
    let group = template.table4.groups.iter().find(|g| g.id == column.group);
    match group {
        Some(g) => match &g.parent {
            Some(parent) => format!("{parent} · {} · {}", g.label, column.label),
            None => format!("{} · {}", g.label, column.label),
        },
        None => column.label.clone(),
    }
}

/// Text of the report quoted in a message (a row label, possibly spread over cells): each piece
/// between cell separators trimmed, a TAB written as a space. The formatter pads `|` cells and
/// trims TAB cells, and the same report must get the same message before and after it does.
pub fn quoted(written: &str) -> String {
    let mut out = String::with_capacity(written.len());
    // Each piece ends with its separator, but the last.
    for piece in written.trim().split_inclusive(['|', '\t']) {
        let body = piece.strip_suffix(['|', '\t']).unwrap_or(piece);
        out.push_str(body.trim());
        match &piece[body.len()..] {
            "\t" => out.push(' '),
            separator => out.push_str(separator),
        }
    }
    out
}

#[cfg(test)]
mod quoted_tests {
    use super::quoted;

    #[test]
    fn separators_and_padding_do_not_change_a_quote() {
        assert_eq!(quoted("-|转下年度继续办理"), "-|转下年度继续办理");
        assert_eq!(quoted(" - | 转下年度继续办理 "), "-|转下年度继续办理");
        assert_eq!(quoted("（一）\t 予以公开 "), "（一） 予以公开");
        assert_eq!(quoted("其他 法律"), "其他 法律");
        assert_eq!(quoted(""), "");
    }
}
