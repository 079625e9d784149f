//! The tree-sitter grammars over real reports, degraded reports and layout fixtures, through the
//! Rust binding: no ERROR or MISSING node anywhere, the expected document/section/table structure
//! of the two seed reports, and the captures of `queries/highlights.scm`, `folds.scm` and
//! `tags.scm`.
//!
//! The block grammar (`LANGUAGE`) makes each line one leaf node; what is inside a line (cells,
//! numbers, statute references, dates, markers) is the inline grammar's (`INLINE_LANGUAGE`), which
//! `queries/injections.scm` injects into each line node. The tests do what an editor does: they
//! run the injections query on the block tree and parse each injected line on its own (its byte
//! range as the one included range of the whole text), then run `inline/queries/highlights.scm`
//! on it.
//!
//! The corpus lives in `shared/` beside the repository (`/work/shared` next to `/work/main`; CI
//! clones the repository with `shared/` next to it), so it is found relative to the workspace root.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

use tree_sitter::{
    Language, Node, Parser, Query, QueryCursor, QueryProperty, StreamingIterator, Tree,
};

// ------------------------------------------------------------------------------------------------
// Files

/// `/work/main/tests` → `/work/shared/corpus/<kind>`.
const CORPUS_REAL: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/corpus/real");
const CORPUS_DEGRADED: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/corpus/degraded");
const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures");

/// The `*.txt` files of a directory, sorted; panics with a clear message when it is missing or empty.
fn txt_files(dir: &str) -> Vec<PathBuf> {
    let path = Path::new(dir);
    let entries = fs::read_dir(path).unwrap_or_else(|err| {
        panic!(
            "cannot read {} ({err}); the shared corpus must sit beside the repository \
             (<workspace>/../shared/corpus/{{real,degraded}}), the fixtures in tests/fixtures",
            path.display()
        )
    });
    let mut files: Vec<PathBuf> = entries
        .map(|entry| entry.expect("directory entry").path())
        .filter(|p| p.extension().is_some_and(|ext| ext == "txt"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no *.txt files in {}", path.display());
    files
}

fn read(path: &Path) -> String {
    fs::read_to_string(path).unwrap_or_else(|err| panic!("cannot read {}: {err}", path.display()))
}

fn real(name: &str) -> String {
    read(&Path::new(CORPUS_REAL).join(name))
}

fn fixture(name: &str) -> String {
    read(&Path::new(FIXTURES).join(name))
}

// ------------------------------------------------------------------------------------------------
// Parsing and tree helpers

fn language() -> Language {
    tree_sitter_nianbao::LANGUAGE.into()
}

fn inline_language() -> Language {
    tree_sitter_nianbao::INLINE_LANGUAGE.into()
}

fn parse(text: &str) -> Tree {
    let mut parser = Parser::new();
    parser
        .set_language(&language())
        .expect("load the nianbao grammar");
    parser.parse(text, None).expect("parse returns a tree")
}

/// The block grammar's line kinds: leaves, one token each.
const LINE_KINDS: [&str; 8] = [
    "title",
    "heading",
    "subheading",
    "paragraph",
    "page_number",
    "table_row",
    "cell_line",
    "continuation",
];

/// A parser of the inline grammar, for [`parse_line`].
fn inline_parser() -> Parser {
    let mut parser = Parser::new();
    parser
        .set_language(&inline_language())
        .expect("load the nianbao_inline grammar");
    parser
}

/// The inline parse of one line node, as an editor injects it: the whole text with the line's
/// range as the one included range, so the inline tree's positions are those of the text.
fn parse_line(parser: &mut Parser, source: &str, line: Node<'_>) -> Tree {
    parser
        .set_included_ranges(&[line.range()])
        .expect("a line node's range is a valid included range");
    parser
        .parse(source, None)
        .expect("inline parse returns a tree")
}

/// The one line node of an inline tree (a line parsed on its own), or a panic naming what it holds.
fn inline_line<'t>(inline: &'t Tree) -> Node<'t> {
    let root = inline.root_node();
    assert_eq!(root.kind(), "inline");
    let lines = named_children(root);
    assert_eq!(lines.len(), 1, "one line: {}", root.to_sexp());
    lines[0]
}

/// The line nodes that `queries/injections.scm` injects into, each with its inline parse, in
/// document order. Every pattern of the query must inject `nianbao_inline`.
fn injected_lines<'t>(tree: &'t Tree, source: &str) -> Vec<(Node<'t>, Tree)> {
    let query = Query::new(&language(), tree_sitter_nianbao::INJECTIONS_QUERY)
        .expect("injections.scm compiles");
    for pattern in 0..query.pattern_count() {
        let language: Vec<&QueryProperty> = query
            .property_settings(pattern)
            .iter()
            .filter(|p| &*p.key == "injection.language")
            .collect();
        assert_eq!(
            language.len(),
            1,
            "pattern {pattern} sets injection.language once"
        );
        assert_eq!(language[0].value.as_deref(), Some("nianbao_inline"));
        // Each line is an injection of its own: combined, one line's parse would depend on others.
        assert!(
            query
                .property_settings(pattern)
                .iter()
                .all(|p| &*p.key != "injection.combined"),
            "pattern {pattern} combines its lines"
        );
    }
    let content = query
        .capture_index_for_name("injection.content")
        .expect("injections.scm captures @injection.content");
    let mut parser = inline_parser();
    let mut cursor = QueryCursor::new();
    let mut matches = cursor.matches(&query, tree.root_node(), source.as_bytes());
    let mut lines = Vec::new();
    while let Some(m) = matches.next() {
        for capture in m.captures().iter().filter(|c| c.index == content) {
            lines.push((capture.node, parse_line(&mut parser, source, capture.node)));
        }
    }
    lines.sort_by_key(|(line, _)| line.start_byte());
    lines
}

/// The inline parse of one line node.
fn inline_of(source: &str, line: Node<'_>) -> Tree {
    parse_line(&mut inline_parser(), source, line)
}

/// The nodes of `kind` in the inline parses of every injected line, in document order.
fn inline_descendants_of_kind<'s>(tree: &Tree, source: &'s str, kind: &str) -> Vec<&'s str> {
    injected_lines(tree, source)
        .iter()
        .flat_map(|(_, inline)| {
            all_nodes(inline)
                .into_iter()
                .filter(|n| n.kind() == kind)
                .map(|n| text(n, source))
                .collect::<Vec<_>>()
        })
        .collect()
}

/// Every node of the tree, named or not, in document order.
fn all_nodes(tree: &Tree) -> Vec<Node<'_>> {
    let mut nodes = Vec::new();
    let mut cursor = tree.walk();
    'walk: loop {
        nodes.push(cursor.node());
        if cursor.goto_first_child() {
            continue;
        }
        while !cursor.goto_next_sibling() {
            if !cursor.goto_parent() {
                break 'walk;
            }
        }
    }
    nodes
}

fn named_children<'t>(node: Node<'t>) -> Vec<Node<'t>> {
    let mut cursor = node.walk();
    node.named_children(&mut cursor).collect()
}

fn children_of_kind<'t>(node: Node<'t>, kind: &str) -> Vec<Node<'t>> {
    named_children(node)
        .into_iter()
        .filter(|n| n.kind() == kind)
        .collect()
}

fn descendants_of_kind<'t>(tree: &'t Tree, kind: &str) -> Vec<Node<'t>> {
    all_nodes(tree)
        .into_iter()
        .filter(|n| n.kind() == kind)
        .collect()
}

fn text<'s>(node: Node<'_>, source: &'s str) -> &'s str {
    &source[node.byte_range()]
}

/// The first line of a node's text, without the line break.
fn first_line<'s>(node: Node<'_>, source: &'s str) -> &'s str {
    text(node, source)
        .lines()
        .next()
        .unwrap_or("")
        .trim_end_matches('\r')
}

/// `file:line:column: ERROR|MISSING kind — line text` for every error or missing node.
fn problems(label: &str, source: &str, tree: &Tree) -> Vec<String> {
    let lines: Vec<&str> = source.lines().collect();
    all_nodes(tree)
        .into_iter()
        .filter(|n| n.is_error() || n.is_missing())
        .map(|n| {
            let at = n.start_position();
            let what = if n.is_missing() {
                format!("MISSING {}", n.kind())
            } else {
                format!("ERROR {}", n.to_sexp())
            };
            let line = lines.get(at.row).copied().unwrap_or("").replace('\t', "⇥");
            format!("{label}:{}:{}: {what} — {line}", at.row + 1, at.column + 1)
        })
        .collect()
}

/// What is wrong with the lines of a block tree, as [`problems`] says it: a line node that is not
/// a leaf; a line the injections query leaves out (but titles and page numbers, which hold nothing
/// to highlight) or takes in though it is none; and for each injected line, an ERROR or MISSING
/// node in its inline parse, an inline parse that is not one line of the same kind over the same
/// bytes (a continuation is a paragraph alone), or one that differs from a parse of the line's
/// text alone (so an injected line parses as in a text of its own).
fn line_problems(label: &str, source: &str, tree: &Tree) -> Vec<String> {
    let mut report = Vec::new();
    let at = |node: Node<'_>| {
        let line = first_line(node, source).replace('\t', "⇥");
        format!(
            "{label}:{}: {} — {line}",
            node.start_position().row + 1,
            node.kind()
        )
    };
    let lines: Vec<Node<'_>> = all_nodes(tree)
        .into_iter()
        .filter(|n| LINE_KINDS.contains(&n.kind()))
        .collect();
    for line in &lines {
        if line.child_count() != 0 {
            report.push(format!("{}: not a leaf: {}", at(*line), line.to_sexp()));
        }
    }
    let injected = injected_lines(tree, source);
    let expected: Vec<Node<'_>> = lines
        .into_iter()
        .filter(|n| !matches!(n.kind(), "title" | "page_number"))
        .collect();
    let injected_nodes: Vec<Node<'_>> = injected.iter().map(|(line, _)| *line).collect();
    if injected_nodes != expected {
        report.push(format!(
            "{label}: injected lines {} ≠ the {} lines that are neither titles nor page numbers",
            injected_nodes.len(),
            expected.len()
        ));
    }
    let mut alone = inline_parser();
    for (line, inline) in &injected {
        report.extend(problems(label, source, inline));
        let root = inline.root_node();
        let lines = named_children(root);
        let kind = match line.kind() {
            "continuation" => "paragraph",
            kind => kind,
        };
        if lines.len() != 1 || lines[0].kind() != kind || lines[0].byte_range() != line.byte_range()
        {
            report.push(format!("{}: inline parse {}", at(*line), root.to_sexp()));
        }
        alone
            .set_included_ranges(&[])
            .expect("no included ranges: the whole text");
        let own = alone
            .parse(text(*line, source), None)
            .expect("inline parse returns a tree");
        if own.root_node().to_sexp() != root.to_sexp() {
            report.push(format!(
                "{}: injected {} but alone {}",
                at(*line),
                root.to_sexp(),
                own.root_node().to_sexp()
            ));
        }
    }
    report
}

// ------------------------------------------------------------------------------------------------
// (a) Every file parses cleanly

#[test]
fn corpus_and_fixtures_parse_without_error_or_missing_nodes() {
    let mut report = Vec::new();
    let mut count = 0;
    for dir in [CORPUS_REAL, CORPUS_DEGRADED, FIXTURES] {
        for path in txt_files(dir) {
            let source = read(&path);
            let tree = parse(&source);
            let root = tree.root_node();
            assert_eq!(root.kind(), "document", "{}", path.display());
            report.extend(problems(&path.display().to_string(), &source, &tree));
            report.extend(line_problems(&path.display().to_string(), &source, &tree));
            // The root spans the whole file (trailing blank lines included), so nothing is dropped.
            assert!(
                source[root.end_byte()..].trim().is_empty(),
                "{}: text after the document node ends at byte {}",
                path.display(),
                root.end_byte()
            );
            count += 1;
        }
    }
    assert!(
        count >= 20,
        "expected the whole corpus, parsed only {count} files"
    );
    assert!(
        report.is_empty(),
        "{} error/missing node(s):\n{}",
        report.len(),
        report.join("\n")
    );
}

#[test]
fn edge_inputs_parse_without_error_or_missing_nodes() {
    let inputs = [
        ("empty", ""),
        ("one newline", "\n"),
        ("no final newline", "一、总体情况"),
        ("crlf", "一、总体情况\r\n规章\t0\r\n"),
        ("lone cr", "规章\r0\r\n"),
        (
            "bom",
            "\u{feff}沙河市卫生健康局2020年政府信息公开工作年度报告\n一、总体情况\n",
        ),
        ("only tab", "\t"),
        ("only pipe", "|"),
        ("pipes", "|||\n||\n"),
        (
            "full-width spaces",
            "\u{3000}\u{3000}\n\u{3000}一、总体情况\u{3000}\n",
        ),
        ("form feed", "\u{000c}- 3 -\n"),
        ("unclosed emphasis", "**一是加强组织领导。\n"),
        ("unclosed autolink", "<http://www.bjmy.gov.cn\n"),
        ("heading marker alone", "一、"),
        ("item marker alone", "（一）"),
    ];
    let mut report = Vec::new();
    for (label, source) in inputs {
        let tree = parse(source);
        report.extend(problems(label, source, &tree));
        report.extend(line_problems(label, source, &tree));
    }
    assert!(report.is_empty(), "{}", report.join("\n"));
}

// ------------------------------------------------------------------------------------------------
// (a) Structure of the seed reports

/// One line per section: its heading line and the kinds of its blocks (`table` counted).
fn outline(tree: &Tree, source: &str) -> Vec<(String, usize)> {
    children_of_kind(tree.root_node(), "section")
        .into_iter()
        .map(|section| {
            let heading = children_of_kind(section, "heading");
            assert_eq!(heading.len(), 1, "a section has one heading");
            (
                first_line(heading[0], source).to_string(),
                children_of_kind(section, "table").len(),
            )
        })
        .collect()
}

#[test]
fn seed_000_structure() {
    let source = real("seed-000.txt");
    let tree = parse(&source);
    let root = tree.root_node();

    // `沙河市卫生健康局` / `2020年政府信息公开工作年度报告`: the organ line is prose, then the title.
    let before: Vec<&str> = named_children(root)
        .into_iter()
        .take_while(|n| n.kind() != "section")
        .map(|n| n.kind())
        .collect();
    assert_eq!(before, ["paragraph", "title"]);
    let title = children_of_kind(root, "title")[0];
    assert_eq!(first_line(title, &source), "2020年政府信息公开工作年度报告");

    assert_eq!(
        outline(&tree, &source),
        [
            ("一、总体情况".to_string(), 0),
            ("二、主动公开政府信息情况".to_string(), 1),
            ("三、收到和处理政府信息公开申请情况".to_string(), 1),
            ("四、政府信息公开行政复议、行政诉讼情况".to_string(), 1),
            ("五、存在的主要问题及改进情况".to_string(), 0),
            ("六、其他需要报告的事项".to_string(), 0),
        ]
    );

    // Layout 1b: one cell per line; no TAB rows at all.
    let sections = children_of_kind(root, "section");
    assert!(descendants_of_kind(&tree, "table_row").is_empty());
    let table_2 = children_of_kind(sections[1], "table")[0];
    let table_3 = children_of_kind(sections[2], "table")[0];
    let table_4 = children_of_kind(sections[3], "table")[0];
    assert_eq!(children_of_kind(table_2, "cell_line").len(), 53);
    assert_eq!(children_of_kind(table_3, "cell_line").len(), 234);
    assert_eq!(children_of_kind(table_4, "cell_line").len(), 39);

    // `⇥本年新` / `制作数量`, `⇥本年新` / `公开数量`: the header halves are continuations.
    let continuations: Vec<&str> = children_of_kind(table_2, "continuation")
        .into_iter()
        .map(|n| first_line(n, &source))
        .collect();
    assert_eq!(continuations, ["制作数量", "公开数量"]);

    // `⇥四、结转下年度继续办理` is the last row label of Table 3, not the heading of section 四.
    let carry_over = children_of_kind(table_3, "cell_line")
        .into_iter()
        .find(|n| text(*n, &source).contains("四、结转下年度继续办理"))
        .expect("row label in table 3");
    let inline = inline_of(&source, carry_over);
    let cell = children_of_kind(inline_line(&inline), "cell")[0];
    assert_eq!(named_children(cell)[0].kind(), "section_number");

    // Section 五: `  （一）主要问题` / `  （二）改进措施` with numbered paragraphs.
    let subheadings: Vec<&str> = children_of_kind(sections[4], "subheading")
        .into_iter()
        .map(|n| first_line(n, &source))
        .collect();
    assert_eq!(subheadings, ["（一）主要问题", "（二）改进措施"]);
    let enumerated = children_of_kind(sections[4], "paragraph")
        .into_iter()
        .filter(|p| {
            let inline = inline_of(&source, *p);
            named_children(inline_line(&inline))
                .first()
                .map(|n| n.kind())
                == Some("enumerator")
        })
        .count();
    assert_eq!(enumerated, 5);
}

#[test]
fn seed_002_structure() {
    let source = real("seed-002.txt");
    let tree = parse(&source);
    let root = tree.root_node();

    let title = children_of_kind(root, "title");
    assert_eq!(title.len(), 1);
    assert_eq!(
        first_line(title[0], &source),
        "北京市密云区卫生健康委员会 2020 年政府信息公开工作年度报告"
    );
    // The intro sentence before 一 cites `第五十条`.
    let intro = children_of_kind(root, "paragraph");
    assert_eq!(intro.len(), 1);
    let inline = inline_of(&source, intro[0]);
    let statute = children_of_kind(inline_line(&inline), "statute_ref");
    assert_eq!(text(statute[0], &source), "第五十条");

    assert_eq!(
        outline(&tree, &source),
        [
            ("一、总体情况".to_string(), 0),
            ("二、主动公开政府信息情况".to_string(), 1),
            ("三、收到和处理政府信息公开申请情况".to_string(), 1),
            ("四、政府信息公开行政复议、行政诉讼情况".to_string(), 1),
            ("五、存在的主要问题及改进情况".to_string(), 0),
            ("六、其他需要报告的事项".to_string(), 0),
        ]
    );

    // Layout 1a: TAB rows only.
    let sections = children_of_kind(root, "section");
    assert!(descendants_of_kind(&tree, "cell_line").is_empty());
    let rows = |section: usize| {
        let table = children_of_kind(sections[section], "table")[0];
        children_of_kind(table, "table_row")
    };
    assert_eq!(rows(1).len(), 19);
    assert_eq!(rows(2).len(), 26);
    assert_eq!(rows(3).len(), 4);

    // `第二十条第（一）项⇥⇥⇥⇥`: the caption row has one cell and four separators.
    let inline = inline_of(&source, rows(1)[0]);
    let caption = inline_line(&inline);
    assert_eq!(caption.kind(), "table_row");
    assert_eq!(children_of_kind(caption, "cell").len(), 1);
    assert_eq!(
        caption.child_count() - caption.named_child_count() as u32,
        4
    );

    // `政府集中采购⇥⇥12⇥10682.4701⇥`: the amount is one number.
    let purchase = rows(1)
        .into_iter()
        .find(|r| text(*r, &source).starts_with("政府集中采购"))
        .expect("procurement row");
    let numbers: Vec<&str> = all_nodes(&inline_of(&source, purchase))
        .into_iter()
        .filter(|n| n.kind() == "number")
        .map(|n| text(n, &source))
        .collect();
    assert_eq!(numbers, ["12", "10682.4701"]);

    // The last row of Table 3 is `四、结转下年度继续办理⇥⇥0⇥…`, a table row, not a heading.
    let last = *rows(2).last().unwrap();
    assert!(text(last, &source).starts_with("四、结转下年度继续办理\t"));
    let inline = inline_of(&source, last);
    let label = children_of_kind(inline_line(&inline), "cell")[0];
    assert_eq!(named_children(label)[0].kind(), "section_number");

    // Table 4's data row holds 15 values.
    let inline = inline_of(&source, rows(3)[3]);
    assert_eq!(children_of_kind(inline_line(&inline), "cell").len(), 15);

    // The file ends with `2021 年 1 月 4 日` and no newline: a date, up to the last byte.
    let last_paragraph = *children_of_kind(sections[5], "paragraph").last().unwrap();
    assert_eq!(last_paragraph.end_byte(), source.len());
    let inline = inline_of(&source, last_paragraph);
    let date = children_of_kind(inline_line(&inline), "date");
    assert_eq!(text(date[0], &source), "2021 年 1 月 4 日");
    assert_eq!(date[0].end_byte(), source.len());
}

#[test]
fn fixture_structure() {
    let six = [
        "一、总体情况",
        "二、主动公开政府信息情况",
        "三、收到和处理政府信息公开申请情况",
        "四、政府信息公开行政复议、行政诉讼情况",
        "五、存在的主要问题及改进情况",
        "六、其他需要报告的事项",
    ];
    let headings = |tree: &Tree, source: &str| -> Vec<String> {
        outline(tree, source).into_iter().map(|(h, _)| h).collect()
    };

    // Markdown tables: delimiter rows, pipes as separators, tables in 二 三 四.
    let source = fixture("layout-markdown-pipe-table.txt");
    let tree = parse(&source);
    assert_eq!(headings(&tree, &source), six);
    let tables: Vec<usize> = outline(&tree, &source)
        .into_iter()
        .map(|(_, t)| t)
        .collect();
    assert_eq!(tables, [0, 1, 1, 1, 0, 0]);
    // Delimiter cells: (一) 4, (五) 2, (六) 2, (八) 2, Table 3 10, Table 4 5.
    assert_eq!(
        inline_descendants_of_kind(&tree, &source, "delimiter").len(),
        25
    );

    // Layout 1c: every pipe cell line is a one-cell table row; `||` lines have none.
    let source = fixture("layout-1c-pipe-cells.txt");
    let tree = parse(&source);
    assert_eq!(headings(&tree, &source), six);
    for row in descendants_of_kind(&tree, "table_row") {
        let line = text(row, &source).trim_end();
        let inline = inline_of(&source, row);
        let cells = children_of_kind(inline_line(&inline), "cell").len();
        let expected = usize::from(line.trim_matches('|').trim() != "");
        assert_eq!(cells, expected, "{line}");
    }

    // Layout 1d: page headers are page numbers, the 15 values one paragraph of numbers.
    let source = fixture("layout-1d-vertical-headers.txt");
    let tree = parse(&source);
    assert_eq!(descendants_of_kind(&tree, "page_number").len(), 5);
    let values = descendants_of_kind(&tree, "paragraph")
        .into_iter()
        .find(|p| text(*p, &source).starts_with("0 0 0"))
        .expect("value line");
    let inline = inline_of(&source, values);
    assert_eq!(children_of_kind(inline_line(&inline), "number").len(), 15);

    // CRLF: no token or cell takes the carriage return (a line node does, with its newline).
    let source = fixture("line-endings-crlf.txt");
    assert!(source.contains("\r\n"));
    let tree = parse(&source);
    assert_eq!(headings(&tree, &source), six);
    let mut tokens = 0;
    for (_, inline) in injected_lines(&tree, &source) {
        for node in all_nodes(&inline) {
            if matches!(
                node.kind(),
                "cell" | "number" | "statute_ref" | "section_number"
            ) {
                assert!(!text(node, &source).contains('\r'), "{node:?}");
                tokens += 1;
            }
        }
    }
    // The fixture's three tables and their prose hold 85: the lines were all looked at.
    assert!(
        tokens > 50,
        "only {tokens} cells and tokens in the CRLF fixture"
    );

    // Full-width indentation: headings start at their number.
    let source = fixture("fullwidth-spaces.txt");
    let tree = parse(&source);
    assert_eq!(headings(&tree, &source), six);
    assert_eq!(children_of_kind(tree.root_node(), "title").len(), 1);
    assert_eq!(descendants_of_kind(&tree, "continuation").len(), 1);

    // No final newline: the date on the last line ends the document.
    let source = fixture("no-final-newline.txt");
    assert!(!source.ends_with('\n'));
    let tree = parse(&source);
    assert_eq!(headings(&tree, &source), six);
    let lines = injected_lines(&tree, &source);
    let (last, inline) = lines.last().expect("injected lines");
    assert_eq!(last.end_byte(), source.len());
    let date: Vec<Node<'_>> = lines
        .iter()
        .flat_map(|(_, inline)| all_nodes(inline))
        .filter(|n| n.kind() == "date")
        .collect();
    assert_eq!(date.len(), 1);
    assert_eq!(date[0].end_byte(), source.len());
    assert_eq!(inline.root_node().end_byte(), source.len());
}

// ------------------------------------------------------------------------------------------------
// (b) Queries

/// `(start byte, capture name, captured text)` for every capture of every match of `query` in
/// `tree` (a block tree or an injected line's inline tree: positions are the text's either way).
fn query_captures(
    query: &Query,
    tree: &Tree,
    source: &str,
    out: &mut Vec<(usize, String, String)>,
) {
    let names = query.capture_names();
    let mut cursor = QueryCursor::new();
    let mut matches = cursor.matches(query, tree.root_node(), source.as_bytes());
    while let Some(m) = matches.next() {
        for capture in m.captures() {
            out.push((
                capture.node.start_byte(),
                names[capture.index as usize].to_string(),
                text(capture.node, source).to_string(),
            ));
        }
    }
}

/// `(capture name, captured text)` for every capture of every match of a block-grammar query, in
/// document order.
fn captures(query_source: &str, source: &str) -> Vec<(String, String)> {
    let query = Query::new(&language(), query_source).expect("query compiles");
    let mut out = Vec::new();
    query_captures(&query, &parse(source), source, &mut out);
    out.into_iter().map(|(_, name, t)| (name, t)).collect()
}

/// The two highlight queries, each compiled against its grammar: `queries/highlights.scm` (block)
/// and `inline/queries/highlights.scm` (inline).
fn highlight_queries() -> (Query, Query) {
    let block = Query::new(&language(), tree_sitter_nianbao::HIGHLIGHTS_QUERY)
        .expect("highlights.scm compiles");
    let inline = Query::new(
        &inline_language(),
        tree_sitter_nianbao::INLINE_HIGHLIGHTS_QUERY,
    )
    .expect("inline/queries/highlights.scm compiles");
    (block, inline)
}

/// The highlights an editor shows: the captures of `queries/highlights.scm` on the block tree and
/// of `inline/queries/highlights.scm` on each injected line, in document order (a line's capture
/// before those inside it).
fn highlights(source: &str) -> Vec<(String, String)> {
    let (block, inline) = highlight_queries();
    let tree = parse(source);
    let mut out = Vec::new();
    query_captures(&block, &tree, source, &mut out);
    for (_, line) in injected_lines(&tree, source) {
        query_captures(&inline, &line, source, &mut out);
    }
    // Stable: the block captures come first, so a line's capture precedes its tokens'.
    out.sort_by_key(|(start, _, _)| *start);
    out.into_iter().map(|(_, name, t)| (name, t)).collect()
}

fn captured_as(captures: &[(String, String)], wanted: &str) -> Vec<String> {
    captures
        .iter()
        .filter(|(name, _)| name == wanted)
        .map(|(_, t)| t.trim_end().to_string())
        .collect()
}

/// Asserts that `token` is captured as `capture` (and reports what it was captured as otherwise).
fn assert_captured(captures: &[(String, String)], capture: &str, token: &str) {
    let hit = captures
        .iter()
        .any(|(name, t)| name == capture && t.trim_end() == token);
    if !hit {
        let mut other = String::new();
        for (name, _) in captures.iter().filter(|(_, t)| t.trim_end() == token) {
            let _ = write!(other, " @{name}");
        }
        panic!("`{token}` is not captured as @{capture} (captured as:{other})");
    }
}

#[test]
fn highlight_queries_use_known_capture_names() {
    let (block, inline) = highlight_queries();
    let known = [
        "markup.heading.1",
        "markup.heading.2",
        "markup.heading.3",
        "markup.list",
        "markup.strong",
        "markup.link.url",
        "comment",
        "keyword",
        "number",
        "constant",
        "string.special",
        "punctuation.delimiter",
        "punctuation.special",
    ];
    for name in block.capture_names().iter().chain(inline.capture_names()) {
        assert!(known.contains(name), "unexpected capture @{name}");
    }
}

#[test]
fn highlights_of_seed_000() {
    let source = real("seed-000.txt");
    let caps = highlights(&source);

    assert_captured(&caps, "markup.heading.1", "2020年政府信息公开工作年度报告");
    assert_captured(&caps, "markup.heading.2", "一、总体情况");
    assert_captured(&caps, "markup.heading.2", "六、其他需要报告的事项");
    assert_eq!(captured_as(&caps, "markup.heading.2").len(), 6);
    assert_captured(&caps, "markup.heading.3", "(一)");
    assert_captured(&caps, "markup.heading.3", "（二）");

    assert_captured(&caps, "constant", "第二十条第（五）项");
    // Captions 第二十条第（一）项 （五） （六） （八） （九）.
    assert_eq!(captured_as(&caps, "constant").len(), 5);
    assert_captured(&caps, "number", "减47");
    assert_captured(&caps, "number", "102");

    // Table 3 `⇥（七）总计`, the 总计 header of Table 3 and three in Table 4.
    assert_eq!(
        captured_as(&caps, "keyword"),
        ["总计", "（七）总计", "总计", "总计", "总计"]
    );
    // Row-label markers inside cells: `⇥四、结转下年度继续办理`, `⇥（一）予以公开`, `⇥1.属于国家秘密`.
    assert_captured(&caps, "markup.list", "四、");
    assert_captured(&caps, "markup.list", "（一）");
    assert_captured(&caps, "markup.list", "1.");
}

#[test]
fn highlights_of_seed_002() {
    let source = real("seed-002.txt");
    let caps = highlights(&source);

    assert_captured(
        &caps,
        "markup.heading.1",
        "北京市密云区卫生健康委员会 2020 年政府信息公开工作年度报告",
    );
    assert_captured(&caps, "markup.heading.2", "一、总体情况");
    assert_captured(&caps, "constant", "第二十条第（五）项");
    assert_captured(&caps, "constant", "第五十条");
    for number in ["+81", "-2", "+1", "-15", "2416", "12584", "10682.4701"] {
        assert_captured(&caps, "number", number);
    }
    assert_captured(&caps, "markup.link.url", "<http://www.bjmy.gov.cn>");
    assert_captured(
        &caps,
        "markup.strong",
        "**三是完善制度体系，建立健全机制。**",
    );
    assert_captured(&caps, "string.special", "2021 年 1 月 4 日");
    // Table 4 header `⇥总计` and Table 3 `⇥(七) 总计`.
    assert_eq!(
        captured_as(&caps, "keyword"),
        ["(七) 总计", "总计", "总计", "总计"]
    );
    assert_captured(&caps, "markup.list", "(三)");
    assert_captured(&caps, "markup.list", "1.");
}

#[test]
fn highlights_of_fixtures() {
    let source = fixture("layout-markdown-pipe-table.txt");
    let caps = highlights(&source);
    assert_captured(&caps, "punctuation.delimiter", "---");
    assert_captured(&caps, "punctuation.delimiter", ":---:");
    assert_captured(&caps, "punctuation.delimiter", "|");
    assert_captured(&caps, "keyword", "（七）总计");
    assert_captured(&caps, "markup.strong", "**一是加强组织领导。**");

    let source = fixture("layout-1d-vertical-headers.txt");
    let caps = highlights(&source);
    assert_captured(&caps, "comment", "Page 9 - 2020年报_审计局");
    assert_captured(&caps, "comment", "P. 9");
    assert_captured(&caps, "comment", "第 3 页");
    // `总计` in prose or a paragraph of debris is no table total.
    assert!(captured_as(&caps, "keyword").is_empty());
}

#[test]
fn folds_of_seed_000() {
    let source = real("seed-000.txt");
    let query =
        Query::new(&language(), tree_sitter_nianbao::FOLDS_QUERY).expect("folds.scm compiles");
    let tree = parse(&source);
    let mut cursor = QueryCursor::new();
    let mut matches = cursor.matches(&query, tree.root_node(), source.as_bytes());
    let mut folds: Vec<(&str, usize, usize)> = Vec::new();
    while let Some(m) = matches.next() {
        for capture in m.captures() {
            assert_eq!(query.capture_names()[capture.index as usize], "fold");
            let node = capture.node;
            folds.push((
                node.kind(),
                node.start_position().row,
                node.end_position().row,
            ));
        }
    }
    let sections: Vec<_> = folds.iter().filter(|f| f.0 == "section").collect();
    let tables: Vec<_> = folds.iter().filter(|f| f.0 == "table").collect();
    assert_eq!(sections.len(), 6, "{folds:?}");
    // Rows are 0-based: `二、主动公开政府信息情况` is line 14 of the file.
    assert_eq!(
        sections.iter().map(|f| f.1).collect::<Vec<_>>(),
        [4, 13, 88, 350, 395, 410]
    );
    assert_eq!(
        tables.iter().map(|f| (f.1, f.2)).collect::<Vec<_>>(),
        [(14, 88), (89, 350), (351, 395)]
    );
}

#[test]
fn tags_of_seed_002() {
    let source = real("seed-002.txt");
    let caps = captures(tree_sitter_nianbao::TAGS_QUERY, &source);
    assert_eq!(captured_as(&caps, "definition.section").len(), 6);
    assert_eq!(
        captured_as(&caps, "name"),
        [
            "一、总体情况",
            "二、主动公开政府信息情况",
            "三、收到和处理政府信息公开申请情况",
            "四、政府信息公开行政复议、行政诉讼情况",
            "五、存在的主要问题及改进情况",
            "六、其他需要报告的事项",
        ]
    );
}
