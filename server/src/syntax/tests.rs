use proptest::prelude::*;

use super::*;

/// Kinds and byte ranges of every node, so two trees compare exactly.
fn dump(tree: &Tree) -> String {
    let mut out = String::new();
    let mut cursor = tree.walk();
    let mut depth = 0usize;
    loop {
        let node = cursor.node();
        out.push_str(&format!(
            "{}{} {:?}\n",
            " ".repeat(depth),
            node.kind(),
            node.byte_range()
        ));
        if cursor.goto_first_child() {
            depth += 1;
            continue;
        }
        loop {
            if cursor.goto_next_sibling() {
                break;
            }
            if !cursor.goto_parent() {
                return out;
            }
            depth -= 1;
        }
    }
}

const SAMPLE: &str = "沙河市卫生健康局\n2020年政府信息公开工作年度报告\n一、总体情况\n(一)组织领导情况。\n\n\
二、主动公开政府信息情况\n\t第二十条第（五）项\n\n\t信息内容\n\t本年新\n制作数量\n\n\t行政处罚\n\t102\n\t减47\n\n\
三、收到和处理政府信息公开申请情况\n一、本年新收政府信息公开申请数量\t\t\t21\t0\t0\t0\t0\t0\t21\n- 3 -\n\
\t（三）不予公开\t1.属于国家秘密\t1\t0\t0\t0\t0\t0\t1\n| 规章 | 0 | 0 |\n|---|---|---|\n\
四、政府信息公开行政复议、行政诉讼情况\n10\t1\t0\t0\t0\n五、存在的主要问题及改进情况\n**一是加强。**见 <http://a.b>\n\
六、其他需要报告的事项\n无\n2021 年 1 月 4 日";

#[test]
fn sample_parses_without_errors() {
    let tree = parse(SAMPLE);
    assert!(!tree.root_node().has_error(), "{}", to_sexp(&tree));
}

#[test]
fn point_at_counts_rows_and_byte_columns() {
    assert_eq!(point_at("ab\n一c", 6), Point::new(1, 3));
    assert_eq!(point_at("ab", 99), Point::new(0, 2));
}

/// The grammar is total: whatever the text, every line is one of its line kinds and no ERROR
/// node appears (so incremental reparses never depend on tree-sitter's error recovery).
fn hostile_text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("\0".to_string()),
        Just("\r".to_string()),
        Just("\n".to_string()),
        Just("\t".to_string()),
        Just("|".to_string()),
        Just("一、".to_string()),
        Just("（三）".to_string()),
        Just("1.".to_string()),
        Just("第".to_string()),
        Just("第二十条第（一）项".to_string()),
        Just("P.".to_string()),
        Just("Page ".to_string()),
        Just("年度报告".to_string()),
        Just("**".to_string()),
        Just("<a:".to_string()),
        Just("2021年".to_string()),
        Just("---".to_string()),
        "[ \u{3000}\u{a0}\u{85}\u{2028}\u{feff}\u{b}\u{c}]{1,2}",
        "[-－—+减增*<:>0-9０-９.,]{1,3}",
        "[a-z总计𠀀\u{1}\u{7f}]{1,3}",
        any::<char>().prop_map(String::from),
    ];
    prop::collection::vec(piece, 0..40).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn any_text_parses_without_errors(text in hostile_text()) {
        let tree = parse(&text);
        prop_assert!(!tree.root_node().has_error(), "text: {:?}\n{}", text, to_sexp(&tree));
    }
}

#[test]
fn nul_characters_are_text() {
    for text in [
        "\0",
        "a\0b\n",
        "\0\t1\n",
        "一、\0总体\n",
        "\t\0\n",
        "|\0|\n",
        "x\0",
    ] {
        let tree = parse(text);
        assert!(
            !tree.root_node().has_error(),
            "{text:?}: {}",
            to_sexp(&tree)
        );
    }
    // A NUL opening a line with a TAB makes a row that starts with the NUL (its first cell's
    // text), as any other character would.
    for text in ["\0\t1\n", "\0a\t1\n", "a\t1\n", "\0\0|1"] {
        let tree = parse(text);
        assert_eq!(to_sexp(&tree), "(document (table (table_row)))", "{text:?}");
        let row = tree.root_node().child(0).and_then(|table| table.child(0));
        assert_eq!(row.map(|r| r.start_byte()), Some(0), "{text:?}");
    }
}

/// Found by fuzz target `edits`: NULs made ERROR nodes, and tree-sitter's error recovery
/// depends on the previous tree, so the incremental tree differed from a fresh parse.
#[test]
fn fuzz_text_with_nuls_parses_alike_fresh_and_incrementally() {
    let text = "Page 8 - 威海市文登区\u{fffd}0\u{fffd}度报告\n一、总体情况\n(\u{fffd})组织领导情况〻\u{fffd}”活动\r\0\0\0\u{fffd}\u{fffd}年度报告\n一、总体\r\0\0\0年度\u{fffd}[\u{1a}n{\n一、总体情况\n\u{fffd}行政诉讼\u{fffd}|\u{fffd}委";
    let fresh = parse(text);
    assert!(!fresh.root_node().has_error(), "{}", to_sexp(&fresh));
    // Reach the same text by an edit from the sample: the trees agree.
    let mut parser = Parser::new();
    let mut edited = SAMPLE.to_string();
    let mut tree = parser.parse(&edited);
    let edit = TextEdit {
        range: 0..edited.len(),
        new_text: text.to_string(),
    };
    edit_tree(&mut tree, &mut edited, &edit);
    let tree = parser.reparse(&edited, &tree);
    assert_eq!(dump(&tree), dump(&fresh));
}

#[test]
fn titles_and_page_numbers_end_at_a_newline_or_the_end_of_the_input() {
    for text in [
        "某局2023年政府信息公开工作年度报告",
        "某局2023年政府信息公开工作年度报告\u{3000}\r",
    ] {
        assert_eq!(to_sexp(&parse(text)), "(document (title))", "{text:?}");
        assert_eq!(
            to_sexp(&parse(&format!("{text}\n"))),
            "(document (title))",
            "{text:?}"
        );
    }
    for text in ["- 3 -", "P. 9", "第 3 页", "Page 9 - 审计局年度报告"] {
        assert_eq!(
            to_sexp(&parse(text)),
            "(document (page_number))",
            "{text:?}"
        );
    }
    for text in [
        "年度报告",
        "某局 年 度报告",
        "一是，年度报告",
        "- 3 - 附件",
        "第 3 页的",
    ] {
        let sexp = to_sexp(&parse(text));
        assert!(
            !sexp.contains("title") && !sexp.contains("page_number"),
            "{text:?}: {sexp}"
        );
    }
}

#[test]
fn lines_of_carriage_returns_and_spaces_are_blank() {
    for line in [
        "\r",
        "\r\r",
        " \r",
        "\r \r",
        "\u{3000}\r",
        "\u{2028}",
        "\u{85} ",
    ] {
        let tree = parse(&format!("\t1\n{line}\n正文\n"));
        let sexp = to_sexp(&tree);
        assert!(!sexp.contains("continuation"), "{line:?}: {sexp}");
        assert!(sexp.contains("paragraph"), "{line:?}: {sexp}");
    }
    // A line with text after its CR is not blank.
    assert!(to_sexp(&parse("\t1\n\ra\n")).contains("continuation"));
}

fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("\t".to_string()),
        Just("\n".to_string()),
        Just("\r\n".to_string()),
        Just("|".to_string()),
        Just("一、".to_string()),
        Just("（三）".to_string()),
        Just("1.".to_string()),
        Just("第二十条第（一）项".to_string()),
        Just("- 4 -\n".to_string()),
        Just("𠀀".to_string()),
        Just("总计".to_string()),
        // What the scanner decides by context: a title before the first heading, a
        // continuation after a cell line, a paragraph's marks and enumerators.
        Just("某局2020年政府信息公开工作年度报告".to_string()),
        Just("\t本年新\n".to_string()),
        Just("## ".to_string()),
        Just("**".to_string()),
        Just("一是".to_string()),
        Just("\0".to_string()),
        "[0-9]{1,3}",
        "[ a-z*<>-]{0,3}",
    ]
}

fn edit_strategy() -> impl Strategy<Value = (usize, usize, String)> {
    (
        any::<usize>(),
        0usize..12,
        prop::collection::vec(piece(), 0..4).prop_map(|v| v.concat()),
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Incremental reparse after random edits gives exactly the tree of a fresh parse.
    #[test]
    fn incremental_reparse_equals_fresh_parse(edits in prop::collection::vec(edit_strategy(), 1..8)) {
        let mut parser = Parser::new();
        let mut text = SAMPLE.to_string();
        let mut tree = parser.parse(&text);
        for (at, len, insert) in edits {
            let start = line_index::floor_char_boundary(&text, at % (text.len() + 1));
            let end = line_index::floor_char_boundary(&text, (start + len).min(text.len()));
            let edit = TextEdit { range: start..end.max(start), new_text: insert };
            edit_tree(&mut tree, &mut text, &edit);
            tree = parser.reparse(&text, &tree);
            let fresh = Parser::new().parse(&text);
            prop_assert_eq!(dump(&tree), dump(&fresh), "text: {:?}", text);
        }
    }
}

/// The lines read by the scanner alone, as [`crate::model::lines::scan`] reads them for an
/// analysis without a tree, equal to those of a parse.
fn assert_scan_equals_parse(text: &str, what: &str) {
    // Debug shows every field of a line (kind, range, cells) but its memos, which are caches.
    let parsed = format!("{:?}", crate::model::lines::lines(text, &parse(text)));
    match crate::model::lines::scan(text) {
        Some(scanned) => assert_eq!(
            format!("{scanned:?}"),
            parsed,
            "{what}: the scanner's lines differ from the parse's"
        ),
        None => panic!("{what}: the scanner declined a line"),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn the_scanner_alone_reads_the_lines_a_parse_reads(
        text in prop::collection::vec(prop_oneof![hostile_text(), piece()], 1..6)
    ) {
        assert_scan_equals_parse(&text.concat(), "random text");
    }
}

#[test]
fn the_scanner_alone_reads_the_corpus_as_a_parse_does() {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/..");
    let mut dirs = vec![
        std::path::PathBuf::from(format!("{root}/../shared/corpus")),
        std::path::PathBuf::from(format!("{root}/tests/fixtures")),
        std::path::PathBuf::from(format!("{root}/examples")),
    ];
    let mut read = 0;
    while let Some(dir) = dirs.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            panic!(
                "{} must exist (../shared sits beside the repository)",
                dir.display()
            );
        };
        for path in entries.flatten().map(|e| e.path()) {
            if path.is_dir() {
                dirs.push(path);
            } else if let Ok(text) = std::fs::read_to_string(&path) {
                assert_scan_equals_parse(&text, &path.display().to_string());
                read += 1;
            }
        }
    }
    assert!(read > 30, "only {read} texts read");
    assert_scan_equals_parse(SAMPLE, "SAMPLE");
}
