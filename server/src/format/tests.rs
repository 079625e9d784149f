use std::ops::Range;
use std::path::{Path, PathBuf};

use super::*;
use crate::analysis::{Config, analyze};

/// Asserts the three properties on `text`: the checked formatter applies the planned layout
/// (so the plan is lossless and analysis-preserving — `format_with` refuses otherwise, and a
/// refusal fails here), the plan is idempotent, and its edits produce the same text.
pub(super) fn assert_properties(name: &str, text: &str) -> String {
    let config = Config::default();
    let formatted = format_with(text, &config);
    if let Some(refusal) = &formatted.refused {
        let out = format_unchecked(text, &config);
        let before = diagnostic_keys(&analyze(text, &config));
        let after = diagnostic_keys(&analyze(&out, &config));
        let path = save_failure(text);
        panic!(
            "{name}: {refusal:?} (input saved to {path})\n--- only before\n{:?}\n--- only after\n{:?}",
            before
                .iter()
                .filter(|d| !after.contains(d))
                .collect::<Vec<_>>(),
            after
                .iter()
                .filter(|d| !before.contains(d))
                .collect::<Vec<_>>(),
        );
    }
    let out = formatted.text;
    assert!(same_visible(text, &out), "{name}: not lossless");
    let again = format_unchecked(&out, &config);
    if out != again {
        let path = save_failure(text);
        panic!(
            "{name}: not idempotent (input saved to {path})\n--- once\n{out:?}\n--- twice\n{again:?}"
        );
    }
    assert_eq!(apply_edits(text, formatted.edits), out, "{name}: edits");
    out
}

/// Writes a failing input where it can be replayed (`DUMP=path cargo test … format::tests::dump`).
fn save_failure(text: &str) -> String {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    text.hash(&mut h);
    let path = std::env::temp_dir().join(format!("nianbao-format-failure-{:016x}.txt", h.finish()));
    let _ = std::fs::write(&path, text);
    path.display().to_string()
}

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus")
}

/// `(folder/name, text)` of every corpus report.
pub(super) fn corpus() -> Vec<(String, String)> {
    let mut out = Vec::new();
    for dir in ["real", "degraded"] {
        let Ok(entries) = std::fs::read_dir(corpus_dir().join(dir)) else {
            continue;
        };
        let mut paths: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
        paths.sort();
        for path in paths
            .into_iter()
            .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        {
            let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned());
            if let (Some(stem), Ok(text)) = (stem, std::fs::read_to_string(&path)) {
                out.push((format!("{dir}/{stem}"), text));
            }
        }
    }
    out
}

#[test]
fn corpus_keeps_the_three_properties() {
    let corpus = corpus();
    if corpus.is_empty() {
        eprintln!(
            "note: {} not found; corpus test skipped",
            corpus_dir().display()
        );
        return;
    }
    for (name, text) in &corpus {
        assert_properties(name, text);
        // The same report with CRLF line breaks.
        let crlf = text.replace('\n', "\r\n");
        let out = assert_properties(&format!("{name} (CRLF)"), &crlf);
        assert!(!out.replace("\r\n", "").contains('\n'), "{name}: CRLF kept");
    }
}

#[test]
fn corpus_snapshots() {
    let corpus = corpus();
    if corpus.is_empty() {
        return;
    }
    for (name, text) in &corpus {
        // TABs shown as `⇥` (layouts.md's notation) so that cell boundaries are visible.
        let out = format(text).replace('\t', "⇥");
        let mut settings = insta::Settings::clone_current();
        settings.set_snapshot_suffix(name.replace('/', "-"));
        settings.set_prepend_module_to_snapshot(false);
        settings.bind(|| insta::assert_snapshot!("corpus", out));
    }
}

#[test]
#[ignore]
fn dump() {
    let path = std::env::var("DUMP").unwrap_or_default();
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let f = format_with(&text, &Config::default());
    println!("{:?}", f.refused);
    print!("{}", f.text.replace('\t', "⇥"));
    if f.refused.is_some() {
        println!(
            "--- unchecked pass:\n{:?}",
            format_unchecked(&text, &Config::default())
        );
    }
}

/// Formats with the default configuration, asserting the three properties.
fn fmt(text: &str) -> String {
    assert_properties("fixture", text)
}

#[test]
fn seed_000_tables_come_out_one_row_per_line() {
    let Some((_, text)) = corpus().into_iter().find(|(n, _)| n == "real/seed-000") else {
        return;
    };
    let out = fmt(&text);
    let config = Config::default();
    let (before, after) = (analyze(&text, &config), analyze(&out, &config));
    assert_eq!(diagnostic_keys(&before), diagnostic_keys(&after));
    let report = &after.report;
    let one_line = |r: &Range<usize>| !out[r.clone()].contains('\n');
    let t2 = report.table2.as_ref().map_or(0, |t| t.rows.len());
    let t3 = report.table3.as_ref().map_or(0, |t| t.rows.len());
    assert!(t2 >= 8 && t3 >= 20, "{t2} {t3}");
    for row in report.table2.iter().flat_map(|t| &t.rows) {
        let end = row.values.last().map_or(row.label.end, |c| c.range.end);
        assert!(
            one_line(&(row.label.start..end)),
            "{:?}",
            &out[row.label.start..end]
        );
    }
    for row in report.table3.iter().flat_map(|t| &t.rows) {
        assert!(one_line(&row.range), "{:?}", &out[row.range.clone()]);
    }
    let data = report.table4.as_ref().and_then(|t| t.data.clone());
    assert!(data.as_ref().is_some_and(one_line));
    // What stays one cell per line: the single-cell captions of table 2.
    let cell_lines: Vec<&str> = report
        .lines
        .iter()
        .filter(|l| l.kind == crate::model::LineKind::CellLine)
        .map(|l| l.text(&out))
        .collect();
    assert!(
        cell_lines.iter().all(|l| l.starts_with("\t第二十条")),
        "{cell_lines:?}"
    );
}

#[test]
fn one_cell_per_line_rows_become_tab_rows() {
    // Table 3 of seed 000's shape: placeholder lines (`⇥`) become empty cells, a header cell
    // broken over two lines (`⇥本年新` / `收…`) is glued back, a lone `⇥x` stays a cell line.
    let text = "三、收到和处理政府信息公开申请情况\n\t（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）\n\t申请人情况\n\n\t\n\t自然\n人\n\t法人或其他组织\n\t总计\n\n\t一、本年新收政府信息公开申请数量\n\t1 \n\t0\n\t0\n\t0\n\t0\n\t0\n\t1\n\n\t\n\t\n\t2.其他法律行政法规禁止公开\n\t0\n\t0\n\t0\n\t0\n\t0\n\t0\n\t0\n\n\tx\n";
    assert_eq!(
        fmt(text),
        "三、收到和处理政府信息公开申请情况\n\
         （本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）\t申请人情况\n\
         \t自然人\t法人或其他组织\t总计\n\
         一、本年新收政府信息公开申请数量\t1\t0\t0\t0\t0\t0\t1\n\
         \t\t2.其他法律行政法规禁止公开\t0\t0\t0\t0\t0\t0\t0\n\
         \tx\n"
    );
}

#[test]
fn tab_rows_keep_every_cell() {
    let text = "二、主动公开政府信息情况\n第二十条第（一）项\t\t\t\n 信息内容 \t本年新制作数量\t本年新公开数量\t对外公开总数量  \n规章\u{3000}\t\t0\t 0 \t0\n";
    assert_eq!(
        fmt(text),
        "二、主动公开政府信息情况\n第二十条第（一）项\t\t\t\n信息内容\t本年新制作数量\t本年新公开数量\t对外公开总数量\n规章\t\t0\t0\t0\n"
    );
}

#[test]
fn pipe_tables_are_aligned_by_display_width() {
    let text = "二、主动公开政府信息情况\n|信息内容|本年制发件数|本年废止件数|现行有效件数|\n|---|:---:|---|---|\n| 规章 | 22 |235|\n|行政规范性文件𠀀| 34 | 189 |  |\n信息内容 |\n|||\n";
    assert_eq!(
        fmt(text),
        "二、主动公开政府信息情况\n\
         | 信息内容         | 本年制发件数 | 本年废止件数 | 现行有效件数 |\n\
         | ---              | :---:        | ---          | ---          |\n\
         | 规章             | 22           | 235          |\n\
         | 行政规范性文件𠀀 | 34           | 189          |              |\n\
         信息内容 |\n\
         |                  |              |\n"
    );
}

#[test]
fn blank_lines_are_regular() {
    let text = "\n\n标题2020年政府信息公开工作年度报告\n一、总体情况\n\n\n\n正文。  \n二、主动公开政府信息情况\n正文。\n\n\n";
    assert_eq!(
        fmt(text),
        "标题2020年政府信息公开工作年度报告\n\n一、总体情况\n\n正文。\n\n二、主动公开政府信息情况\n正文。\n"
    );
}

#[test]
fn line_breaks_are_kept() {
    let text = "一、总体情况 \r\n正文。\r\n\r\n\r\n二、主动公开政府信息情况\r\n";
    assert_eq!(
        fmt(text),
        "一、总体情况\r\n正文。\r\n\r\n二、主动公开政府信息情况\r\n"
    );
    assert_eq!(fmt("一、总体情况"), "一、总体情况\n");
}

#[test]
fn only_whitespace_changes() {
    let text =
        "一、总体情况\n(一)组织领导。全年 ２０２０ 年减47，+81，1,234。  \n  （二）缩进保留\n";
    let out = fmt(text);
    assert_eq!(
        out,
        "一、总体情况\n(一)组织领导。全年 ２０２０ 年减47，+81，1,234。\n  （二）缩进保留\n"
    );
}

#[test]
fn trailing_whitespace_of_every_kind_goes() {
    // Every Unicode space is a space to the grammar as to the formatter: `P. 9` with an NBSP is
    // a page number with or without it, and a line of em spaces is a blank line.
    let text = "四、政府信息公开行政复议、行政诉讼情况\nP. 9\u{a0}\n\u{2003}\n正文。 \n";
    assert_eq!(
        fmt(text),
        "四、政府信息公开行政复议、行政诉讼情况\nP. 9\n\n正文。\n"
    );
}

#[test]
fn unread_tables_are_left_as_they_are() {
    // A TAB table the model does not read (in section 一).
    let unknown = "一、总体情况\n名称 \t数量  \n甲\t1 \n\n\n\n二、主动公开政府信息情况\n";
    assert_eq!(
        fmt(unknown),
        "一、总体情况\n名称 \t数量  \n甲\t1 \n\n二、主动公开政府信息情况\n"
    );
    // A NUL is text like any other character (converters leave them).
    let nul = "一、\u{0}  \n\n\n正文。  \n";
    assert_eq!(fmt(nul), "一、\u{0}\n\n正文。\n");
}

#[test]
fn a_row_a_suppression_points_at_is_not_joined() {
    let text = "二、主动公开政府信息情况\n<!-- nianbao-disable-next-line number-format: 原件如此 -->\n\t行政处罚 \n\t102\n\t减47\n\t55\n\n\t行政强制\n\t0\n";
    let out = fmt(text);
    assert!(
        out.contains("-->\n\t行政处罚\n\t102\n\t减47\n\t55\n行政强制\t0\n"),
        "{out:?}"
    );
}

#[test]
fn edits_are_whitespace_runs() {
    let text = "一、总体情况  \n正文。\n\n\n二、主动公开政府信息情况\n\t规章\n\t0\n";
    let edits = format_edits(text);
    let shown: Vec<(&str, &str)> = edits
        .iter()
        .map(|e| (&text[e.range.clone()], e.new_text.as_str()))
        .collect();
    // Trailing spaces, the third line break of a run, the TAB before the row's first cell and
    // the line break between its cells.
    assert_eq!(shown, vec![("  ", ""), ("\n", ""), ("\t", ""), ("\n", "")]);
    assert_eq!(apply_edits(text, edits), format(text));
}

#[test]
fn range_formatting_takes_the_lines_touched_and_whole_tables() {
    let text =
        "一、总体情况  \n正文。  \n二、主动公开政府信息情况\n\t规章\n\t0\n\n\t规范性文件\n\t0\n";
    // The second line only (the whitespace after its last character is its own: here the
    // blank line the next heading wants).
    let start = text.find("正文").unwrap_or(0);
    let edits = format_range_edits(text, start..start + 3);
    let out = apply_edits(text, edits);
    assert_eq!(
        out,
        "一、总体情况  \n正文。\n\n二、主动公开政府信息情况\n\t规章\n\t0\n\n\t规范性文件\n\t0\n"
    );
    // A cursor in the table: the whole table.
    let at = text.find("规范性文件").unwrap_or(0);
    let out = apply_edits(text, format_range_edits(text, at..at));
    assert_eq!(
        out,
        "一、总体情况  \n正文。  \n二、主动公开政府信息情况\n规章\t0\n规范性文件\t0\n"
    );
}

#[test]
fn whitespace_edits_pair_runs_between_the_same_characters() {
    let edits = whitespace_edits("a  b\n\n\nc ", "a b\n\nc\n");
    let shown: Vec<(Range<usize>, &str)> = edits
        .iter()
        .map(|e| (e.range.clone(), e.new_text.as_str()))
        .collect();
    assert_eq!(shown, vec![(2..3, ""), (6..7, ""), (8..9, "\n")]);
}

/// Regression (fuzz target `format`): a one-cell-per-line row whose first line locates table 4
/// (`⇥行政复议`) joined with a control-character continuation into a line that no longer did, so
/// the formatter refused. A joined line must say exactly what its first line said.
#[test]
fn joining_a_row_keeps_the_signals_of_its_first_line() {
    let text = "\t行政复议\n\u{11}\n\t";
    assert_properties("fuzz: ⇥行政复议 + control character", text);
}

/// Regression (fuzz target `format`): a page number ends the text after a one-cell-per-line
/// row of table 4.
#[test]
fn a_page_number_after_a_one_cell_per_line_row() {
    let text = "\t行政复议\n\n\t\u{FFFD}\nP.0";
    assert_properties("fuzz: ⇥行政复议, blank, ⇥�, P.0", text);
}

/// Regression (fuzz target `format`): range formatting over the blank lines before a
/// one-cell-per-line row took the edit that removes the last blank line together with the row's
/// first TAB, but not the rest of the joined row, and so changed what the model read.
#[test]
fn range_formatting_takes_a_table_whole_when_an_edit_crosses_into_it() {
    let text = "\u{0}\n\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}n\n\n\n\t行政复议\n\t\u{FFFD}\u{FFFD}";
    let config = Config::default();
    // The fuzz target's range: from a quarter to a half of the text (the blank lines).
    let ranged = format_range_with(text, 11..22, &config);
    assert_eq!(ranged.refused, None);
    assert!(same_visible(text, &ranged.text));
    assert_eq!(apply_edits(text, ranged.edits), ranged.text);
    assert_eq!(ranged.text, format_with(text, &config).text);
}

/// A fuzzer's input, read as the `format` target reads it (bytes → lossy UTF-8).
fn assert_fuzz_input(name: &str, bytes: &[u8]) {
    assert_properties(name, &String::from_utf8_lossy(bytes));
}

/// Regression (fuzz target `format`, in CI): pipe rows of table 3 broken by debris.
#[test]
fn pipe_rows_of_table_three_with_debris() {
    assert_fuzz_input(
        "fuzz: pipe rows of table 3 with debris",
        include_bytes!("testdata/fuzz-pipe-rows-table3.bin"),
    );
}

/// Found by fuzz target `format` once NULs became text: cell lines `⇥␀` and `⇥0` joined into
/// `␀⇥0`, which the grammar read as a cell line (the scanner had folded the leading NUL into a
/// zero-width row start) — 2 values before, 1 after. A NUL-led TAB line is a row of two cells now.
#[test]
fn cell_lines_joined_behind_a_nul() {
    assert_fuzz_input(
        "fuzz: NUL cells",
        include_bytes!("testdata/fuzz-nul-cells.bin"),
    );
}

/// Found by fuzz target `format`: `Page 8 - …` as the last line, without a line break, after a
/// cell line. The model counted it a page number (asking the grammar again with a newline added)
/// while the tree held it as a continuation of the table, so adding the final newline changed
/// how table 3 was read. The grammar's scanner now sees a page number at the end of the input.
#[test]
fn unterminated_page_header_after_a_cell_line() {
    assert_fuzz_input(
        "fuzz: unterminated page header after a cell line",
        include_bytes!("testdata/fuzz-unterminated-page-header.bin"),
    );
}

/// Found by fuzz target `format`: a title line (`…年度报告`) ending the text without a newline was
/// prose, with the newline the formatter adds a title, whose year chose the 2021 template. The
/// scanner now reads titles, like page numbers, up to a newline or the end of the input.
#[test]
fn a_title_ending_the_text_without_a_line_break() {
    assert_fuzz_input(
        "fuzz: a title ending the text",
        include_bytes!("testdata/fuzz-title-at-end.bin"),
    );
}

/// Found by fuzz target `format`: a CR inside a line (`␊BOM␍⇥ ` ending the text) was text to the
/// grammar, so the line was a row of two cells, and whitespace to the formatter, which trimmed it
/// into a cell line. A CR is space to the grammar wherever it is.
#[test]
fn a_carriage_return_inside_a_row() {
    assert_fuzz_input(
        "fuzz: a CR inside a row",
        include_bytes!("testdata/fuzz-bom-cr-tab.bin"),
    );
}

/// Found by fuzz target `format`: table 4 as one cell per line with stray `\r`s and `:` debris
/// read 3 values before formatting and 1 after (the formatter refused): the grammar read a line
/// of lone CRs as text continuing a cell, the formatter as a blank line. A CR is space to the
/// grammar too, so such a line is blank to both.
#[test]
fn table_four_cell_lines_with_stray_carriage_returns() {
    assert_fuzz_input(
        "fuzz: table 4 cell lines with stray CRs",
        include_bytes!("testdata/fuzz-table4-cell-lines-cr.bin"),
    );
    assert_fuzz_input(
        "fuzz: lines of lone CRs",
        include_bytes!("testdata/fuzz-lone-cr-lines.bin"),
    );
}

/// Found by fuzz target `format` (the long run after the line-token grammar; the formatter
/// refused before it too): `# ` after a cell line opens a paragraph — the space makes the
/// Markdown mark — while `#`, trimmed, is text continuing the cell. The line stays as it is.
#[test]
fn a_bare_markdown_mark_after_a_cell_line_keeps_its_space() {
    assert_fuzz_input(
        "fuzz: a bare Markdown mark after a cell line",
        include_bytes!("testdata/fuzz-bare-markdown-mark-found.bin"),
    );
    for text in [
        "\t\n# \n2020年",
        "\t\n### \u{3000}\n2020年",
        "\t\n\u{feff}# \n2020年",
    ] {
        let out = assert_properties("bare Markdown mark", text);
        assert!(
            out.contains("# ") || out.contains("#\u{3000}"),
            "{text:?} → {out:?}"
        );
    }
}

/// Found by fuzz target `format`: table 4 one cell per line, a value cell continued on the next
/// lines (`⇥减` / `1` / `.`). Over three lines the cell is text (a label, which ends the data
/// row); glued into `减1.` it is a number, and the table read 15 values instead of 4. A
/// continuation is glued only where the cell reads the same either way.
#[test]
fn a_continuation_that_would_make_a_number_is_not_glued() {
    let text = "四、政府信息公开行政复议、行政诉讼情况\n\t0\n\t减\n1\n\t2\n";
    let out = assert_properties("continued value cell", text);
    assert!(!out.contains("减1"), "{out:?}");
    assert_fuzz_input(
        "fuzz: table 4 cell lines with debris",
        include_bytes!("testdata/fuzz-table4-cell-lines-debris.bin"),
    );
}

/// Found by CI's 30-s `format` run: a table 3 label spread over a TAB row and the one-cell lines
/// after it. The message quoted the label from the text, and where the formatter moved its line
/// break (`公开\n⇥0` became `公开\n0⇥`) the quote changed. A label is now quoted from its cells,
/// a continuation glued as the formatter glues it (`checks::naming::quoted`).
#[test]
fn a_label_over_lines_is_quoted_alike_after_joining() {
    assert_fuzz_input(
        "fuzz: table 3 label over lines",
        include_bytes!("testdata/fuzz-table3-label-over-lines.bin"),
    );
}

/// Found by fuzz target `format`: cell lines `⇥BOM` and `⇥（` joined into `BOM⇥（`, which the
/// grammar reads as one cell line (a BOM is space to it), so table 4 lost a value. A first cell
/// of only such space does not start a TAB row of two cells.
#[test]
fn a_first_cell_of_a_byte_order_mark_is_not_joined_into_a_two_cell_row() {
    let two = "四、政府信息公开行政复议、行政诉讼情况\n\t0\n\t0\n\n\t\u{feff}\n\t（\n";
    let out = assert_properties("BOM cell", two);
    assert!(out.ends_with("\n\t\u{feff}\n\t（\n"), "{out:?}");
    let three = "四、政府信息公开行政复议、行政诉讼情况\n\t0\n\t0\n\n\t\u{feff}\n\t（\n\t0\n";
    assert_properties("BOM cell of three", three);
    assert_fuzz_input(
        "fuzz: BOM cell",
        include_bytes!("testdata/fuzz-bom-first-cell.bin"),
    );
}
