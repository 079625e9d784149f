//! IDE features on real report text (`examples/`, copied from the corpus). Positions come from
//! searching the fixture, never from counted offsets.

use super::*;
use crate::analysis::{Analysis, Config, analyze};
use crate::diagnostics::{Code, Edit};
use crate::fix::apply_edits;

/// 淮安市人民政府 2024 (F2021, TAB rows across page breaks, every relation holds).
const HUAIAN: &str = include_str!("../../../examples/004.txt");
/// 沙河市卫生健康局 2020 (F2019, one cell per line).
const SHAHE: &str = include_str!("../../../examples/seed-000.txt");

/// Byte offset of the `n`-th (0-based) occurrence of `needle`, plus `within` bytes.
fn at(text: &str, needle: &str, n: usize) -> usize {
    text.match_indices(needle)
        .nth(n)
        .unwrap_or_else(|| panic!("`{needle}` #{n} not in fixture"))
        .0
}

/// The fixture with the `n`-th occurrence of `from` replaced by `to`.
fn plant(text: &str, from: &str, n: usize, to: &str) -> String {
    let i = at(text, from, n);
    format!("{}{to}{}", &text[..i], &text[i + from.len()..])
}

fn analysis(text: &str) -> Analysis {
    analyze(text, &Config::default())
}

/// The first TAB-row line holding `label`.
fn row_line<'t>(text: &'t str, label: &str) -> (usize, &'t str) {
    let mut start = 0;
    for line in text.split_inclusive('\n') {
        if line.contains(label) {
            return (start, line.trim_end());
        }
        start += line.len();
    }
    panic!("no line starting with {label}")
}

/// Offset of the `column`-th value (0-based, after the label cells) of a TAB row.
fn value_offset(text: &str, label: &str, column: usize) -> usize {
    let (start, line) = row_line(text, label);
    let cells: Vec<(usize, &str)> = line
        .split('\t')
        .scan(0usize, |pos, cell| {
            let here = *pos;
            *pos += cell.len() + 1;
            Some((here, cell))
        })
        .filter(|(_, c)| !c.is_empty() && c.chars().all(|ch| ch.is_ascii_digit()))
        .collect();
    start + cells[column].0
}

#[test]
fn hover_on_statute_reference_quotes_the_item() {
    let a = analysis(HUAIAN);
    let offset = at(HUAIAN, "第二十条 第（五）项", 0) + 3;
    let h = hover(HUAIAN, &a, offset).expect("hover on a statute reference");
    assert_eq!(&HUAIAN[h.range.clone()], "第二十条 第（五）项");
    assert!(h.markdown.contains("第二十条第（五）项"), "{}", h.markdown);
    assert!(h.markdown.contains("行政许可"), "{}", h.markdown);
}

#[test]
fn hover_on_cell_shows_its_full_path() {
    let a = analysis(HUAIAN);
    let offset = value_offset(HUAIAN, "1.属于国家秘密", 0);
    let h = hover(HUAIAN, &a, offset).expect("hover on a value cell");
    assert_eq!(&HUAIAN[h.range.clone()], "2");
    assert!(
        h.markdown
            .starts_with("**表三 · （三）不予公开 · 1.属于国家秘密 · 自然人**"),
        "{}",
        h.markdown
    );
    let business = value_offset(HUAIAN, "1.属于国家秘密", 1);
    let h = hover(HUAIAN, &a, business).expect("hover");
    assert!(
        h.markdown.contains("法人或其他组织 · 商业企业"),
        "{}",
        h.markdown
    );
}

#[test]
fn hover_on_total_shows_formula_and_verdict() {
    let a = analysis(HUAIAN);
    let offset = value_offset(HUAIAN, "（七）总计", 6);
    let h = hover(HUAIAN, &a, offset).expect("hover on a total");
    assert_eq!(&HUAIAN[h.range.clone()], "3050");
    assert!(h.markdown.contains("T3-COL"), "{}", h.markdown);
    assert!(h.markdown.contains("T3-RES"), "{}", h.markdown);
    assert!(
        h.markdown.contains("2932 + 53 + 0 + 0 + 61 + 4 = **3050**"),
        "{}",
        h.markdown
    );
    assert!(h.markdown.contains("✓ 成立"), "{}", h.markdown);

    let wrong = plant(HUAIAN, "\t3050\n", 0, "\t3051\n");
    let a = analysis(&wrong);
    let offset = value_offset(&wrong, "（七）总计", 6);
    let h = hover(&wrong, &a, offset).expect("hover on a wrong total");
    assert!(
        h.markdown.contains("不成立**（应为 3050）"),
        "{}",
        h.markdown
    );

    let t4 = at(HUAIAN, "\t351\t", 0) + 1;
    let h = hover(HUAIAN, &a, t4).expect("hover on a table-4 total");
    assert!(
        h.markdown.starts_with("**表四 · 行政复议 · 总计**"),
        "{}",
        h.markdown
    );
    assert!(
        h.markdown.contains("72 + 64 + 178 + 37 = **351**"),
        "{}",
        h.markdown
    );
}

#[test]
fn hover_on_row_label_column_header_and_heading() {
    let a = analysis(HUAIAN);
    let label = at(HUAIAN, "1.属于国家秘密", 0) + 3;
    let h = hover(HUAIAN, &a, label).expect("hover on a row label");
    assert!(h.markdown.contains("国家秘密"), "{}", h.markdown);
    assert!(h.markdown.contains("第十四条"), "{}", h.markdown);

    let header = at(HUAIAN, "\t自然人\t", 0) + 2;
    let h = hover(HUAIAN, &a, header).expect("hover on a column header");
    assert!(h.markdown.contains("自然人"), "{}", h.markdown);

    let heading = at(HUAIAN, "三、收到和处理政府信息公开申请情况", 0) + 4;
    let h = hover(HUAIAN, &a, heading).expect("hover on a section heading");
    assert!(h.markdown.contains("第五十条第（二）项"), "{}", h.markdown);
}

#[test]
fn outline_nests_sections_tables_rows() {
    let a = analysis(HUAIAN);
    let symbols = document_symbols(HUAIAN, &a);
    let sections: Vec<&Symbol> = symbols
        .iter()
        .filter(|s| s.kind == SymbolKind::Section)
        .collect();
    assert_eq!(sections.len(), 6);
    let third = sections[2];
    assert!(third.name.starts_with("三、"));
    let table = &third.children[0];
    assert_eq!(table.kind, SymbolKind::Table);
    assert!(table.name.starts_with("表三"));
    assert_eq!(table.children.len(), 25);
    assert_eq!(table.children[4].name, "（三）不予公开 · 1.属于国家秘密");
    for s in &symbols {
        check_nesting(s);
    }

    let folds = folding_ranges(HUAIAN, &a);
    assert_eq!(
        folds.iter().filter(|f| f.kind == FoldKind::Section).count(),
        6
    );
    assert_eq!(
        folds.iter().filter(|f| f.kind == FoldKind::Table).count(),
        3
    );
}

fn check_nesting(s: &Symbol) {
    assert!(
        s.range.start <= s.selection.start && s.selection.end <= s.range.end,
        "{s:?}"
    );
    for c in &s.children {
        assert!(
            s.range.start <= c.range.start && c.range.end <= s.range.end,
            "{c:?} in {s:?}"
        );
        check_nesting(c);
    }
}

#[test]
fn semantic_tokens_mark_headings_refs_numbers_totals_and_wrong_cells() {
    let wrong = plant(HUAIAN, "\t3050\n", 0, "\t3051\n");
    let a = analysis(&wrong);
    let tokens = semantic_tokens(&wrong, &a);
    assert!(
        tokens
            .windows(2)
            .all(|w| w[0].range.end <= w[1].range.start)
    );
    let of = |s: &str| {
        tokens
            .iter()
            .filter(|t| &wrong[t.range.clone()] == s)
            .collect::<Vec<_>>()
    };
    assert_eq!(
        of("三、收到和处理政府信息公开申请情况")[0].kind,
        TokenKind::Heading
    );
    assert_eq!(of("第二十条 第（五）项")[0].kind, TokenKind::StatuteRef);
    let bad = of("3051");
    assert_eq!(bad[0].kind, TokenKind::Number);
    assert_eq!(bad[0].modifiers, TOTAL | WRONG);
    let ok = of("3119");
    assert!(ok.iter().any(|t| t.modifiers == TOTAL));
}

#[test]
fn inlay_hints_name_columns_of_one_cell_lines_and_show_computed_totals() {
    let a = analysis(SHAHE);
    let hints = inlay_hints(SHAHE, &a, 0..SHAHE.len());
    let columns: Vec<&str> = hints
        .iter()
        .filter(|h| h.kind == InlayKind::Column)
        .map(|h| h.label.as_str())
        .collect();
    assert!(columns.contains(&"自然人："), "{columns:?}");
    assert!(columns.contains(&"行政复议·结果维持："), "{columns:?}");
    // TAB rows name nothing: every column is visible.
    let a = analysis(HUAIAN);
    assert!(
        inlay_hints(HUAIAN, &a, 0..HUAIAN.len())
            .iter()
            .all(|h| h.kind != InlayKind::Column)
    );

    let wrong = plant(HUAIAN, "\t3050\n", 0, "\t3051\n");
    let a = analysis(&wrong);
    let hints = inlay_hints(&wrong, &a, 0..wrong.len());
    let computed: Vec<&Inlay> = hints
        .iter()
        .filter(|h| h.kind == InlayKind::Computed)
        .collect();
    // On the blamed figure only: not on 四 of the same column, whose T3-BAL it also breaks
    // (3119 + 34 − 3051 would make 四 102 — a right figure “fixed” to agree with the typo).
    assert_eq!(computed.len(), 1, "{computed:?}");
    assert_eq!(computed[0].label, "应为 3050");
    assert_eq!(&wrong[computed[0].offset - 4..computed[0].offset], "3051");
}

#[test]
fn completion_offers_headings_in_order_and_table_skeletons() {
    let text = "某某局2024年政府信息公开工作年度报告\n一、总体情况\n本年度……\n二";
    let a = analysis(text);
    let items = completions(text, &a, text.len());
    let labels: Vec<&str> = items.iter().map(|c| c.label.as_str()).collect();
    assert_eq!(labels, ["二、主动公开政府信息情况"]);
    assert!(items[0].preselect);
    assert_eq!(&text[items[0].replace.clone()], "二");

    let text = "某某局2024年政府信息公开工作年度报告\n一、总体情况\n\n";
    let a = analysis(text);
    let items = completions(text, &a, text.len());
    let sections: Vec<&Completion> = items
        .iter()
        .filter(|c| c.kind == CompletionKind::Section)
        .collect();
    assert_eq!(sections.len(), 6);
    assert!(sections[1].preselect && sections[1].label.starts_with("二、"));

    let text = "某某局2024年政府信息公开工作年度报告\n三、收到和处理政府信息公开申请情况\n\n";
    let a = analysis(text);
    let items = completions(text, &a, text.len() - 1);
    let table = items
        .iter()
        .find(|c| c.kind == CompletionKind::Table)
        .expect("a table skeleton after heading 三");
    assert!(table.label.starts_with("表三（2021年格式"));
    assert!(table.insert.contains("（七）总计"));
    assert!(table.insert.contains("3.其他"), "F2021 （六） items");
}

#[test]
fn quick_fix_suppression_and_fix_all() {
    let wrong = plant(HUAIAN, "\t3050\n", 0, "\t3051\n");
    let a = analysis(&wrong);
    let cell = value_offset(&wrong, "（七）总计", 6);
    let actions = code_actions(&wrong, &a, cell..cell);
    let fix = actions
        .iter()
        .find(|x| x.kind == ActionKind::QuickFix)
        .expect("a quick-fix");
    assert!(fix.preferred);
    assert_eq!(fix.title, "改为 3050");
    let fixed = apply_edits(&wrong, fix.edits.clone());
    assert_eq!(fixed, HUAIAN);

    // Suppression: a comment line above the row, with the placeholder reason; it is valid and
    // silences exactly that diagnostic.
    let errors = |t: &str| {
        analysis(t)
            .diagnostics
            .iter()
            .filter(|d| d.code == Code::SumMismatch)
            .count()
    };
    let before = errors(&wrong);
    let suppress = actions
        .iter()
        .find(|x| x.kind == ActionKind::Suppress)
        .expect("a suppress action");
    assert_eq!(
        suppress.edits[0].new_text,
        "<!-- nianbao-disable-next-line sum-mismatch: 原因 -->\n"
    );
    let silenced = apply_edits(&wrong, suppress.edits.clone());
    let after = analysis(&silenced);
    // One error, on the cell that breaks T3-COL, T3-RES and T3-BAL at once; silenced.
    assert_eq!(before, 1);
    assert_eq!(errors(&silenced), 0);
    assert!(
        after
            .diagnostics
            .iter()
            .all(|d| d.code != Code::SuppressionInvalid && d.code != Code::SuppressionUnused),
        "{:?}",
        after.diagnostics
    );
    assert!(
        after
            .report
            .table3
            .as_ref()
            .is_some_and(|t| t.rows.len() == 25)
    );

    // Fix-all as minimal edits: the one number.
    assert!(fix_all_available(&a));
    let edits = fix_all_edits(&wrong, &Config::default());
    assert_eq!(edits.len(), 1, "{edits:?}");
    assert_eq!(&wrong[edits[0].range.clone()], "1");
    assert_eq!(edits[0].new_text, "0");
    assert_eq!(apply_edits(&wrong, edits), HUAIAN);
}

#[test]
fn table_missing_offers_the_skeleton() {
    let text = "某某局2024年政府信息公开工作年度报告\n一、总体情况\n无。\n四、政府信息公开行政复议、行政诉讼情况\n五、存在的主要问题及改进情况\n无。\n";
    let a = analysis(text);
    let heading = at(text, "四、", 0);
    let actions = code_actions(text, &a, heading..heading);
    let insert = actions
        .iter()
        .find(|x| x.kind == ActionKind::InsertTable)
        .expect("insert the table");
    let fixed = apply_edits(text, insert.edits.clone());
    let after = analysis(&fixed);
    assert!(after.report.table4.is_some(), "{fixed}");
    assert!(
        after
            .diagnostics
            .iter()
            .all(|d| d.code != Code::TableMissing || !d.message.contains("表四"))
    );
}

#[test]
fn minimal_edits_touch_only_what_changed() {
    let old = "表三\t𠀀自然人\t12\n第二行\t0\n第三行\n";
    let new = "表三\t𠀀自然人\t13\n第二行\t0\n第三行改\n";
    let edits = minimal_edits(old, new);
    assert_eq!(
        edits,
        vec![
            Edit {
                range: at(old, "12", 0) + 1..at(old, "12", 0) + 2,
                new_text: "3".to_string()
            },
            Edit {
                range: at(old, "第三行", 0) + "第三行".len()..at(old, "第三行", 0) + "第三行".len(),
                new_text: "改".to_string()
            },
        ]
    );
    assert_eq!(apply_edits(old, edits), new);
    assert!(minimal_edits(old, old).is_empty());
    let deleted = minimal_edits("一\n二\n三\n", "一\n三\n");
    assert_eq!(apply_edits("一\n二\n三\n", deleted), "一\n三\n");
    let edits = minimal_edits("", "一、总体情况\n");
    assert_eq!(apply_edits("", edits), "一、总体情况\n");
}

/// Regression (fuzz target `analyze`): a lone `\r` ends a line for `similar`'s line diff but not
/// for `line_starts`, so a text with lone `\r`s indexed past the line table.
#[test]
fn minimal_edits_with_lone_carriage_returns() {
    let old = "一、总体情况\r\r\r本年度\n合计\t12\r\n三、\r收到\t1\n";
    let new = "一、总体情况\r\r\r本年度\n合计\t13\r\n三、\r收到\t1\n";
    let edits = minimal_edits(old, new);
    assert_eq!(edits.len(), 1, "{edits:?}");
    assert_eq!(apply_edits(old, edits), new);
    let new = "一、总体情况\r本年度\n合计\t13\r\r\n三、\r\r收到\t1\n新行\r";
    assert_eq!(apply_edits(old, minimal_edits(old, new)), new);
}

/// Regression: the input the fuzzer found — fix-all on table 3 rows broken by runs of `\r`.
#[test]
fn fix_all_edits_on_the_fuzzer_input_with_lone_carriage_returns() {
    let text = String::from_utf8_lossy(include_bytes!("testdata/fuzz-fix-all-lone-cr.bin"));
    let config = Config::default();
    let edits = fix_all_edits(&text, &config);
    assert_eq!(
        apply_edits(&text, edits),
        crate::fix::fix_all(&text, &config)
    );
}

/// 淮安市洪泽区 2023: table 4's 行政复议 总计 0 under 10 + 1. The numbers cannot tell the total
/// from a part: recomputing the total is offered, not preferred, no inlay hint claims a value,
/// fix-all does nothing, and the hover says the figure is only one of the candidates.
#[test]
fn an_undecided_total_offers_its_sum_without_claiming_it() {
    const HONGZE: &str = include_str!("../../../examples/001.txt");
    let a = analysis(HONGZE);
    let total = at(HONGZE, "10\t1\t0\t0\t0\t", 0) + "10\t1\t0\t0\t".len();
    let actions = code_actions(HONGZE, &a, total..total);
    let fix = actions
        .iter()
        .find(|x| x.kind == ActionKind::QuickFix)
        .expect("the recomputed total");
    assert!(!fix.preferred);
    assert!(fix.title.starts_with("改为 11"), "{}", fix.title);
    assert_eq!(fix.edits[0].new_text, "11");
    assert!(
        inlay_hints(HONGZE, &a, 0..HONGZE.len())
            .iter()
            .all(|h| h.kind != InlayKind::Computed)
    );
    assert!(!fix_all_available(&a) || fix_all_edits(HONGZE, &Config::default()).is_empty());
    let h = hover(HONGZE, &a, total).expect("hover on the total");
    assert!(h.markdown.contains("可能有误"), "{}", h.markdown);
    assert!(h.markdown.contains("不成立**（应为 11）"), "{}", h.markdown);
}
