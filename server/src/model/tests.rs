//! Model tests over the real corpus: what is read out of each layout.

use crate::model::{self, Report};
use crate::syntax;
use crate::template::TemplateId;

fn corpus(name: &str) -> String {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/corpus/real/");
    std::fs::read_to_string(format!("{path}{name}")).unwrap_or_else(|e| {
        panic!("../shared/corpus/real/{name} must sit beside the repository: {e}")
    })
}

fn read(name: &str) -> (String, Report) {
    let text = corpus(name);
    let tree = syntax::parse(&text);
    let report = model::read(&text, &tree, None);
    (text, report)
}

fn value(text: &str, report: &Report, row: &str, column: usize) -> Option<String> {
    let cell = report.table3.as_ref()?.row(row)?.value(column)?;
    Some(text[cell.range.clone()].to_string())
}

#[test]
fn every_layout_yields_all_six_sections_and_three_tables() {
    for name in [
        "seed-000.txt",
        "seed-002.txt",
        "001.txt",
        "002.txt",
        "003.txt",
        "004.txt",
        "024.txt",
    ] {
        let (_, report) = read(name);
        let numbers: Vec<u8> = report.sections.iter().map(|s| s.number).collect();
        assert_eq!(numbers, vec![1, 2, 3, 4, 5, 6], "{name}");
        assert!(
            report.table2.is_some() && report.table3.is_some() && report.table4.is_some(),
            "{name}"
        );
    }
}

#[test]
fn one_cell_per_line_table_three_reads_every_row() {
    let (text, report) = read("seed-000.txt");
    let t3 = report.table3.as_ref().expect("table 3");
    assert_eq!(
        t3.rows.len(),
        23,
        "{:?}",
        t3.rows.iter().map(|r| r.id).collect::<Vec<_>>()
    );
    assert!(t3.header_readable && t3.columns.iter().all(|&c| c));
    assert_eq!(value(&text, &report, "r3_1", 6).as_deref(), Some("0"));
    assert_eq!(report.template, Some(TemplateId::F2019));
    assert_eq!(report.year.as_ref().map(|y| y.year), Some(2020));
}

#[test]
fn label_split_by_a_page_break_and_mistyped_labels_still_match() {
    let (text, report) = read("004.txt");
    assert_eq!(value(&text, &report, "r4_2", 6).as_deref(), Some("11"));
    assert_eq!(value(&text, &report, "r4_1", 0).as_deref(), Some("746"));
    let (text, report) = read("001.txt");
    assert_eq!(value(&text, &report, "r3_2", 6).as_deref(), Some("0"));
    assert_eq!(value(&text, &report, "total", 6).as_deref(), Some("21"));
}

#[test]
fn header_without_total_column_leaves_it_unread() {
    let (text, report) = read("seed-002.txt");
    let t3 = report.table3.as_ref().expect("table 3");
    assert!(t3.header_readable);
    assert!(!t3.columns[6]);
    assert_eq!(value(&text, &report, "new", 0).as_deref(), Some("0"));
    assert!(t3.row("r3_1").is_some_and(|r| r.unaligned));
}

#[test]
fn converter_markdown_value_only_rows_fill_the_gaps_in_order() {
    let (text, report) = read("014.txt");
    let t3 = report.table3.as_ref().expect("table 3");
    assert_eq!(
        t3.rows.len(),
        25,
        "{:?}",
        t3.rows.iter().map(|r| r.id).collect::<Vec<_>>()
    );
    assert_eq!(value(&text, &report, "r2_partial", 0).as_deref(), Some("0"));
    assert_eq!(value(&text, &report, "r3_5", 6).as_deref(), Some("1"));
    assert_eq!(value(&text, &report, "r6_1", 0).as_deref(), Some("8"));
    assert_eq!(value(&text, &report, "carry_next", 6).as_deref(), Some(""));
    let (text, report) = read("015.txt");
    assert_eq!(value(&text, &report, "r6_1", 6).as_deref(), Some("43"));
    assert_eq!(value(&text, &report, "r6_2", 6).as_deref(), Some("0"));
}

#[test]
fn html_converted_blank_cells_stay_in_their_columns() {
    let (text, report) = read("003.txt");
    assert_eq!(value(&text, &report, "r1_open", 0).as_deref(), Some("258"));
    assert_eq!(value(&text, &report, "r1_open", 6).as_deref(), Some(""));
    assert_eq!(value(&text, &report, "total", 6).as_deref(), Some("805"));
    let t4 = report.table4.as_ref().expect("table 4");
    assert_eq!(t4.value(4).map(|c| &text[c.range.clone()]), Some("7"));
}

#[test]
fn pdf_flipbook_table_four_reads_its_fifteen_values() {
    let (_, report) = read("005.txt");
    let t4 = report.table4.as_ref().expect("table 4");
    assert!(t4.values.iter().all(Option::is_some));
    assert!(!t4.header_readable);
}
