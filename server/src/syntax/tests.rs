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
