//! Arbitrary edit sequences applied to a document the way the language server applies them,
//! compared with the same edits on a plain `String` and with a fresh parse and analysis.
//!
//! Input: the document's initial text, then a `0xFF` byte, then the bytes that choose the edits
//! (without `0xFF`, the edits are chosen from the whole input). Each edit is an LSP range
//! (line, column in UTF-8, UTF-16 or UTF-32 units, out-of-range and reversed ones included) and
//! a replacement text (CJK, astral characters, CRLF, tabs, table pipes, digits, or arbitrary).
//! Positions go through `lsp::rope_offset` (as `didChange` does) and through `LineIndex` on the
//! plain string (as outgoing positions do): the two must agree. The tree is told of each edit
//! (`syntax::edit_tree`) and reparsed incrementally at random points; at the end it must equal a
//! fresh parse, and the analysis of the incremental tree must equal a fresh `analyze`.
//! At the same points the lines are read again as the server reads them, without a tree
//! (`model::lines::rescan` from the lines of the previous point and the `Reuse` the edits since
//! accumulate): they must equal the lines of a fresh parse, and so must what each line
//! remembers of its text (anchors, heading, stated figures).
#![no_main]

use arbitrary::{Result, Unstructured};
use libfuzzer_sys::fuzz_target;
use nianbao::analysis::{Config, analyze, analyze_tree};
use nianbao::lsp::rope_offset;
use nianbao::model::lines::{self as model_lines, Line, Reuse};
use nianbao::syntax::{self, LineCol, LineIndex, Parser, PositionEncoding, TextEdit};
use ropey::Rope;
use tower_lsp_server::ls_types::Position;
use tree_sitter::Tree;

const PIECES: &[&str] = &[
    "\n",
    "\r\n",
    "\r",
    "\t",
    "|",
    " ",
    "一、",
    "二、主动公开政府信息情况",
    "（三）",
    "1.",
    "0",
    "12",
    "总计",
    "𠀀",
    "😀",
    "é",
    "\u{feff}",
    "- 3 -",
    "第二十条第（一）项",
    "| --- |",
    "\t0\t0\t0",
    "三、收到和处理政府信息公开申请情况",
    "减47",
];

fuzz_target!(|data: &[u8]| {
    let (text, ops) = match data.iter().position(|&b| b == 0xFF) {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (data, data),
    };
    let text = String::from_utf8_lossy(text).into_owned();
    let mut u = Unstructured::new(ops);
    let _ = run(text, &mut u);
});

struct Doc {
    rope: Rope,
    text: String,
    tree: Tree,
    parser: Parser,
    edited: bool,
    /// The lines at the last check, the text they were read from, and what the edits since
    /// left of it (as `lsp::documents` keeps them between analyses).
    lines: Vec<Line>,
    checked: String,
    reuse: Reuse,
}

fn run(text: String, u: &mut Unstructured<'_>) -> Result<()> {
    let encoding = match u.int_in_range(0..=2u8)? {
        0 => PositionEncoding::Utf8,
        1 => PositionEncoding::Utf16,
        _ => PositionEncoding::Utf32,
    };
    let mut parser = Parser::new();
    let tree = parser.parse(&text);
    let mut doc = Doc {
        rope: Rope::from_str(&text),
        text: text.clone(),
        lines: model_lines::lines(&text, &tree),
        checked: text.clone(),
        reuse: Reuse::unchanged(text.len()),
        tree,
        parser,
        edited: false,
    };
    let mut expected = text;
    let steps = u.int_in_range(1..=48u8)?;
    for _ in 0..steps {
        if u.is_empty() {
            break;
        }
        let lines = LineIndex::new(&expected).line_count() as u32;
        let start = position(u, lines)?;
        let end = if u.ratio(1, 3)? {
            start
        } else {
            position(u, lines)?
        };
        let new_text = replacement(u)?;
        apply(&mut doc, &mut expected, start, end, new_text, encoding);
        if u.ratio(1, 3)? {
            reparse(&mut doc);
        }
    }
    reparse(&mut doc);
    let fresh = syntax::parse(&doc.text);
    if !same_tree(&doc.tree, &fresh) {
        assert_eq!(
            dump(&doc.tree),
            dump(&fresh),
            "incremental tree ≠ fresh tree of {:?}",
            doc.text
        );
    }
    let config = Config::default();
    let incremental = analyze_tree(&doc.text, &doc.tree, &config);
    let fresh = analyze(&doc.text, &config);
    assert!(
        incremental.diagnostics == fresh.diagnostics,
        "diagnostics of the incremental tree ≠ those of a fresh analysis:\n{:#?}\n{:#?}",
        incremental.diagnostics,
        fresh.diagnostics
    );
    Ok(())
}

fn position(u: &mut Unstructured<'_>, lines: u32) -> Result<Position> {
    let line = if u.ratio(1, 16)? {
        u.arbitrary::<u32>()?
    } else {
        u.int_in_range(0..=lines)?
    };
    let character = if u.ratio(1, 16)? {
        u.arbitrary::<u32>()?
    } else {
        u.int_in_range(0..=40u32)?
    };
    Ok(Position { line, character })
}

fn replacement(u: &mut Unstructured<'_>) -> Result<String> {
    let mut s = String::new();
    for _ in 0..u.int_in_range(0..=3u8)? {
        if u.ratio(1, 4)? {
            let raw: &str = u.arbitrary()?;
            s.extend(raw.chars().take(24));
        } else {
            s.push_str(u.choose(PIECES)?);
        }
    }
    Ok(s)
}

fn apply(
    doc: &mut Doc,
    expected: &mut String,
    start: Position,
    end: Position,
    new_text: String,
    encoding: PositionEncoding,
) {
    // The server's way (lsp::documents): the rope gives offsets, a reversed range is ignored.
    let a = rope_offset(&doc.rope, start, encoding);
    let b = rope_offset(&doc.rope, end, encoding);
    // The plain string's way: LineIndex, which converts every outgoing position.
    let index = LineIndex::new(expected);
    let oa = index.offset(expected, line_col(start), encoding);
    let ob = index.offset(expected, line_col(end), encoding);
    assert_eq!(
        (a.byte, b.byte),
        (oa, ob),
        "rope and LineIndex disagree on {start:?}–{end:?}"
    );
    if a.char > b.char {
        return;
    }
    // As `lsp::documents` does for a ranged change (reversed ones are skipped above).
    doc.reuse.edit(a.byte..b.byte, doc.text.len());
    doc.rope.remove(a.char..b.char);
    doc.rope.insert(a.char, &new_text);
    expected.replace_range(oa..ob, &new_text);
    syntax::edit_tree(
        &mut doc.tree,
        &mut doc.text,
        &TextEdit {
            range: a.byte..b.byte,
            new_text,
        },
    );
    doc.edited = true;
    assert_eq!(&doc.text, expected, "engine text ≠ plain string");
    assert_eq!(
        doc.rope.len_bytes(),
        expected.len(),
        "rope length ≠ plain string"
    );
}

fn reparse(doc: &mut Doc) {
    if doc.edited {
        doc.tree = doc.parser.reparse(&doc.text, &doc.tree);
        doc.edited = false;
    }
    assert_eq!(doc.rope.to_string(), doc.text, "rope ≠ engine text");
    rescan(doc);
}

/// The server's way (`State::fresh`): the lines of the last check read again where the edits
/// since may have changed them; they must equal those of a fresh parse. Then a new burst starts.
fn rescan(doc: &mut Doc) {
    let old = std::mem::take(&mut doc.lines);
    let (mine, _) = model_lines::rescan(&doc.text, old, &doc.reuse);
    let fresh = model_lines::lines(&doc.text, &syntax::parse(&doc.text));
    assert_eq!(
        format!("{mine:?}"),
        format!("{fresh:?}"),
        "rescan ≠ lines of a fresh parse: {:?} → {:?}, {:?}",
        doc.checked,
        doc.text,
        doc.reuse
    );
    // What a line remembers of its text (computed here if not yet: a kept line remembers it
    // from an earlier check) must be what the fresh line reads from it.
    let text = doc.text.as_str();
    for (m, f) in mine.iter().zip(&fresh) {
        assert_eq!(
            (m.anchors(text), m.heading_match(text), m.stated(text)),
            (f.anchors(text), f.heading_match(text), f.stated(text)),
            "a rescanned line remembers other facts than its text's, {:?}: {:?} → {:?}, {:?}",
            m.range,
            doc.checked,
            doc.text,
            doc.reuse
        );
    }
    doc.lines = mine;
    doc.checked.clone_from(&doc.text);
    doc.reuse = Reuse::unchanged(doc.text.len());
}

/// What the server keeps after an analysis: nothing changed yet.
fn line_col(p: Position) -> LineCol {
    LineCol {
        line: p.line,
        col: p.character,
    }
}

/// Whether two trees have the same nodes (kinds and byte ranges) in the same shape.
fn same_tree(a: &Tree, b: &Tree) -> bool {
    let (mut x, mut y) = (a.walk(), b.walk());
    loop {
        let (n, m) = (x.node(), y.node());
        if n.kind_id() != m.kind_id() || n.byte_range() != m.byte_range() {
            return false;
        }
        let down = x.goto_first_child();
        if down != y.goto_first_child() {
            return false;
        }
        if down {
            continue;
        }
        loop {
            let next = x.goto_next_sibling();
            if next != y.goto_next_sibling() {
                return false;
            }
            if next {
                break;
            }
            let up = x.goto_parent();
            if up != y.goto_parent() {
                return false;
            }
            if !up {
                return true;
            }
        }
    }
}

/// Kinds and byte ranges of every node (for the message when two trees differ).
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
