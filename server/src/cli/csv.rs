//! One row per report (`check --format csv`, interface.md), for the spreadsheet a reviewer keeps,
//! and the same summary as a table at the end of the human output when several reports were
//! checked.

use std::fmt::Write as _;

use unicode_width::UnicodeWidthStr;

/// The columns, in order.
pub const HEADER: [&str; 7] = [
    "path",
    "body",
    "year",
    "template",
    "errors",
    "warnings",
    "first_error",
];

/// What one report comes to.
pub struct Row {
    pub path: String,
    /// The issuing body, as the series pass reads it (empty when unknown).
    pub body: Option<String>,
    pub year: Option<u32>,
    pub template: &'static str,
    pub errors: usize,
    pub warnings: usize,
    /// `code: message` of the first error.
    pub first_error: Option<String>,
}

impl Row {
    fn cells(&self) -> [String; 7] {
        [
            self.path.clone(),
            self.body.clone().unwrap_or_default(),
            self.year.map(|y| y.to_string()).unwrap_or_default(),
            self.template.to_owned(),
            self.errors.to_string(),
            self.warnings.to_string(),
            self.first_error.clone().unwrap_or_default(),
        ]
    }
}

/// The CSV document: UTF-8 with a byte-order mark (spreadsheet programs then read the Chinese),
/// a header row, then the rows; fields quoted as RFC 4180 says, lines ending CRLF.
#[cfg(test)]
pub fn render(rows: &[Row]) -> String {
    let mut out = header();
    for row in rows {
        out.push_str(&line(row));
    }
    out
}

/// The start of the CSV document: the byte-order mark and the header row.
pub fn header() -> String {
    format!("\u{feff}{}", record(&HEADER.map(str::to_owned)))
}

/// One report's row of the CSV document.
pub fn line(row: &Row) -> String {
    record(&row.cells())
}

fn record(cells: &[String]) -> String {
    let fields: Vec<String> = cells.iter().map(|c| field(c)).collect();
    format!("{}\r\n", fields.join(","))
}

fn field(value: &str) -> String {
    if value.contains([',', '"', '\n', '\r']) || value.starts_with(' ') || value.ends_with(' ') {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value.to_owned()
    }
}

/// The rows as an aligned text table (display widths: a CJK character counts two), the first
/// error cut to `max_message` columns.
#[cfg(test)]
pub fn table(rows: &[Row], max_message: usize) -> String {
    let cells: Vec<[String; 7]> = rows.iter().map(|r| table_cells(r, max_message)).collect();
    let mut table = Table::default();
    for row in &cells {
        table.widen(row);
    }
    let mut out = table.header();
    for row in &cells {
        out.push_str(&table.line(row));
    }
    out
}

/// A row's cells as the table shows them (the first error cut to `max_message` columns).
pub fn table_cells(row: &Row, max_message: usize) -> [String; 7] {
    let mut cells = row.cells();
    cells[6] = truncate(&cells[6], max_message);
    cells
}

const TABLE_HEADERS: [&str; 7] = ["文件", "机关", "年度", "格式", "错误", "警告", "第一个错误"];

/// The aligned table, drawn once every row's cells have widened it (so its rows can be kept
/// elsewhere meanwhile: a batch of 100,000 reports spills them).
pub struct Table {
    widths: [usize; 7],
}

impl Default for Table {
    fn default() -> Self {
        Table {
            widths: TABLE_HEADERS.map(|h| h.width()),
        }
    }
}

impl Table {
    pub fn widen(&mut self, cells: &[String; 7]) {
        for (w, c) in self.widths.iter_mut().zip(cells) {
            *w = (*w).max(c.width());
        }
    }

    pub fn header(&self) -> String {
        self.draw(&TABLE_HEADERS)
    }

    pub fn line(&self, cells: &[String; 7]) -> String {
        self.draw(&cells.each_ref().map(String::as_str))
    }

    fn draw(&self, values: &[&str; 7]) -> String {
        let mut text = String::new();
        for (i, v) in values.iter().enumerate() {
            if i > 0 {
                text.push_str("  ");
            }
            text.push_str(v);
            if i + 1 < values.len() {
                text.push_str(&" ".repeat(self.widths[i].saturating_sub(v.width())));
            }
        }
        let mut out = String::new();
        let _ = writeln!(out, "{}", text.trim_end());
        out
    }
}

fn truncate(text: &str, max: usize) -> String {
    if text.width() <= max {
        return text.to_owned();
    }
    let mut out = String::new();
    for c in text.chars() {
        if out.width() + c.to_string().width() + 1 > max {
            break;
        }
        out.push(c);
    }
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows() -> Vec<Row> {
        vec![
            Row {
                path: "a, b.txt".into(),
                body: None,
                year: Some(2023),
                template: "2021",
                errors: 2,
                warnings: 1,
                first_error: Some("sum-mismatch: 表四“行政复议”的总计应为 11，实为 \"0\"".into()),
            },
            Row {
                path: "https://x.gov.cn/1.html".into(),
                body: None,
                year: None,
                template: "unknown",
                errors: 0,
                warnings: 0,
                first_error: None,
            },
        ]
    }

    #[test]
    fn csv_with_bom_header_and_quoting() {
        assert_eq!(
            render(&rows()),
            "\u{feff}path,body,year,template,errors,warnings,first_error\r\n\
             \"a, b.txt\",,2023,2021,2,1,\"sum-mismatch: 表四“行政复议”的总计应为 11，实为 \"\"0\"\"\"\r\n\
             https://x.gov.cn/1.html,,,unknown,0,0,\r\n"
        );
    }

    #[test]
    fn an_aligned_table() {
        let t = table(&rows(), 20);
        let lines: Vec<&str> = t.lines().collect();
        assert_eq!(lines.len(), 3);
        assert_eq!(
            lines[0],
            "文件                     机关  年度  格式     错误  警告  第一个错误"
        );
        assert_eq!(
            lines[1],
            "a, b.txt                       2023  2021     2     1     sum-mismatch: 表四“…"
        );
        assert_eq!(
            lines[2],
            "https://x.gov.cn/1.html              unknown  0     0"
        );
    }
}
