//! Names of rows and columns as messages and hovers show them, from the template data.

use std::ops::Range;
use std::sync::LazyLock;

use crate::model::rows::glued_with_space;
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
    TemplateId::newest_first()
        .into_iter()
        .flat_map(|t| template::template(t).table3_rows())
        .map(|r| (r.id.as_str(), r.label()))
        .collect()
});

/// The name of table-3 column `i` (0 = 自然人 … 6 = 总计), as the newest format names it.
pub fn column_name(i: usize) -> &'static str {
    template::template(TemplateId::latest())
        .table3_columns()
        .get(i)
        .map_or("", |c| c.label.as_str())
}

/// The name of table-4 column `i` with its group (`行政复议 · 总计`), as the newest format names it.
pub fn table4_column_name(i: usize) -> &'static str {
    template::template(TemplateId::latest()).table4_column_name(i)
}

/// A row label quoted in a message, from its cells: the non-empty cells joined by one space,
/// each as [`quoted_cell`]. The formatter joins a row's lines into one, trims and pads its
/// cells and glues continuation lines, and the same report must get the same message before
/// and after it does.
pub fn quoted(text: &str, cells: &[Range<usize>]) -> String {
    let mut out = String::new();
    for cell in cells {
        let quoted = quoted_cell(text.get(cell.clone()).unwrap_or_default());
        if quoted.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&quoted);
    }
    out
}

/// One cell's text: trimmed, a line break inside it (a continuation line) glued as the
/// formatter glues it ([`glued_with_space`]), any other run of space written as one space.
fn quoted_cell(written: &str) -> String {
    let mut out = String::with_capacity(written.len());
    // While in a run of space: whether it holds a line break.
    let mut space: Option<bool> = None;
    for (i, c) in written.char_indices() {
        if c.is_whitespace() {
            space = Some(space.unwrap_or(false) || c == '\n');
            continue;
        }
        if let Some(line_break) = space.take()
            && !out.is_empty()
            && (!line_break || glued_with_space(&out, &written[i..]))
        {
            out.push(' ');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod quoted_tests {
    use super::quoted;

    fn quote(text: &str) -> String {
        // Cells are the TAB-separated pieces, as a TAB row's.
        let mut cells = Vec::new();
        let mut start = 0;
        for piece in text.split('\t') {
            cells.push(start..start + piece.len());
            start += piece.len() + 1;
        }
        quoted(text, &cells)
    }

    #[test]
    fn padding_and_separators_do_not_change_a_quote() {
        assert_eq!(quote("（一）\t 予以公开 "), "（一） 予以公开");
        assert_eq!(quote(" - \t\t转下年度继续办理"), "- 转下年度继续办理");
        assert_eq!(quote("其他  法律"), "其他 法律");
        assert_eq!(quote(""), "");
    }

    #[test]
    fn a_continuation_line_is_glued_as_the_formatter_glues_it() {
        assert_eq!(quote("第二十\n条第（五）项"), "第二十条第（五）项");
        assert_eq!(quote("第二十 \r\n  条\t0"), "第二十条 0");
        assert_eq!(quote("Item A\nB 1\n2"), "Item A B 1 2");
        assert_eq!(quote("其他\u{3000}\u{3000}法律"), "其他 法律");
    }
}
