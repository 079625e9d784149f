//! The tree-sitter grammar over real reports, degraded reports and layout fixtures, through the Rust
//! binding: no ERROR or MISSING node anywhere, the expected document/section/table structure of the
//! two seed reports, and the captures of `queries/highlights.scm`, `folds.scm` and `tags.scm`.
//!
//! The corpus lives in `shared/` beside the repository (`/work/shared` next to `/work/main`; CI
//! clones the repository with `shared/` next to it), so it is found relative to the workspace root.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

use tree_sitter::{Language, Node, Parser, Query, QueryCursor, StreamingIterator, Tree};

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

fn parse(text: &str) -> Tree {
    let mut parser = Parser::new();
    parser
        .set_language(&language())
        .expect("load the nianbao grammar");
    parser.parse(text, None).expect("parse returns a tree")
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
        report.extend(problems(label, source, &parse(source)));
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
    let cell = children_of_kind(carry_over, "cell")[0];
    assert_eq!(named_children(cell)[0].kind(), "section_number");

    // Section 五: `  （一）主要问题` / `  （二）改进措施` with numbered paragraphs.
    let subheadings: Vec<&str> = children_of_kind(sections[4], "subheading")
        .into_iter()
        .map(|n| first_line(n, &source))
        .collect();
    assert_eq!(subheadings, ["（一）主要问题", "（二）改进措施"]);
    let enumerated = children_of_kind(sections[4], "paragraph")
        .into_iter()
        .filter(|p| named_children(*p).first().map(|n| n.kind()) == Some("enumerator"))
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
    let statute = children_of_kind(intro[0], "statute_ref");
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
    let caption = rows(1)[0];
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
    let numbers: Vec<&str> = all_nodes(&tree)
        .into_iter()
        .filter(|n| n.kind() == "number" && purchase.byte_range().contains(&n.start_byte()))
        .map(|n| text(n, &source))
        .collect();
    assert_eq!(numbers, ["12", "10682.4701"]);

    // The last row of Table 3 is `四、结转下年度继续办理⇥⇥0⇥…`, a table row, not a heading.
    let last = *rows(2).last().unwrap();
    assert!(text(last, &source).starts_with("四、结转下年度继续办理\t"));
    let label = children_of_kind(last, "cell")[0];
    assert_eq!(named_children(label)[0].kind(), "section_number");

    // Table 4's data row holds 15 values.
    let data = rows(3)[3];
    assert_eq!(children_of_kind(data, "cell").len(), 15);

    // The file ends with `2021 年 1 月 4 日` and no newline: a date, up to the last byte.
    let last_paragraph = *children_of_kind(sections[5], "paragraph").last().unwrap();
    assert_eq!(last_paragraph.end_byte(), source.len());
    let date = children_of_kind(last_paragraph, "date");
    assert_eq!(text(date[0], &source), "2021 年 1 月 4 日");
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
    assert_eq!(descendants_of_kind(&tree, "delimiter").len(), 25);

    // Layout 1c: every pipe cell line is a one-cell table row; `||` lines have none.
    let source = fixture("layout-1c-pipe-cells.txt");
    let tree = parse(&source);
    assert_eq!(headings(&tree, &source), six);
    for row in descendants_of_kind(&tree, "table_row") {
        let line = text(row, &source).trim_end();
        let cells = children_of_kind(row, "cell").len();
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
    assert_eq!(children_of_kind(values, "number").len(), 15);

    // CRLF: no token or cell takes the carriage return.
    let source = fixture("line-endings-crlf.txt");
    assert!(source.contains("\r\n"));
    let tree = parse(&source);
    assert_eq!(headings(&tree, &source), six);
    for node in all_nodes(&tree) {
        if matches!(
            node.kind(),
            "cell" | "number" | "statute_ref" | "section_number"
        ) {
            assert!(!text(node, &source).contains('\r'), "{node:?}");
        }
    }

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
    let date = descendants_of_kind(&tree, "date");
    assert_eq!(date.len(), 1);
    assert_eq!(date[0].end_byte(), source.len());
}

// ------------------------------------------------------------------------------------------------
// (b) Queries

/// `(capture name, captured text)` for every capture of every match, in document order.
fn captures(query_source: &str, source: &str) -> Vec<(String, String)> {
    let query = Query::new(&language(), query_source).expect("query compiles");
    let tree = parse(source);
    let names = query.capture_names();
    let mut cursor = QueryCursor::new();
    let mut matches = cursor.matches(&query, tree.root_node(), source.as_bytes());
    let mut out = Vec::new();
    while let Some(m) = matches.next() {
        for capture in m.captures() {
            out.push((
                names[capture.index as usize].to_string(),
                text(capture.node, source).to_string(),
            ));
        }
    }
    out
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
fn highlight_query_uses_known_capture_names() {
    let query = Query::new(&language(), tree_sitter_nianbao::HIGHLIGHTS_QUERY)
        .expect("highlights.scm compiles");
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
    for name in query.capture_names() {
        assert!(known.contains(name), "unexpected capture @{name}");
    }
}

#[test]
fn highlights_of_seed_000() {
    let source = real("seed-000.txt");
    let caps = captures(tree_sitter_nianbao::HIGHLIGHTS_QUERY, &source);

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
    let caps = captures(tree_sitter_nianbao::HIGHLIGHTS_QUERY, &source);

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
    let caps = captures(tree_sitter_nianbao::HIGHLIGHTS_QUERY, &source);
    assert_captured(&caps, "punctuation.delimiter", "---");
    assert_captured(&caps, "punctuation.delimiter", ":---:");
    assert_captured(&caps, "punctuation.delimiter", "|");
    assert_captured(&caps, "keyword", "（七）总计");
    assert_captured(&caps, "markup.strong", "**一是加强组织领导。**");

    let source = fixture("layout-1d-vertical-headers.txt");
    let caps = captures(tree_sitter_nianbao::HIGHLIGHTS_QUERY, &source);
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
