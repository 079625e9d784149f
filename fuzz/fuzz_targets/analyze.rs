//! Parse + analyse arbitrary bytes, then every editor feature over the result.
//!
//! The syntax tree has no ERROR node, and the grammar's scanner alone reads the lines it holds. Valid UTF-8 is analysed as it is; anything else as
//! `String::from_utf8_lossy` reads it (what an editor shows for a mis-decoded file). Nothing may panic, and every byte range the engine
//! hands out (diagnostics, related locations, fixes, hovers, symbols, folds, tokens, inlays,
//! completions, code actions) lies inside the text on character boundaries — the edges slice
//! the text with them and convert them to positions.
#![no_main]

use std::ops::Range;

use libfuzzer_sys::fuzz_target;
use nianbao::analysis::{Config, TemplateChoice, analyze};
use nianbao::ide;
use nianbao::syntax::{LineIndex, PositionEncoding};
use nianbao::template::TemplateId;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let template = match data.first().map(|b| b % 3) {
        Some(1) => TemplateChoice::Forced(TemplateId::F2019),
        Some(2) => TemplateChoice::Forced(TemplateId::F2021),
        _ => TemplateChoice::Auto,
    };
    let config = Config {
        template,
        ..Config::default()
    };
    // Fix-all re-analyses up to 12 times: a quarter of the inputs run it.
    let fix_all = data.first().is_some_and(|b| b & 0x18 == 0);
    check(&text, &config, fix_all);
});

fn check(text: &str, config: &Config, fix_all: bool) {
    // The grammar is total: no text makes an ERROR node (incremental reparses rely on it).
    let tree = nianbao::syntax::parse(text);
    assert!(
        !tree.root_node().has_error(),
        "ERROR node in the tree of {text:?}:\n{}",
        nianbao::syntax::to_sexp(&tree)
    );
    // `analyze` reads the lines with the grammar's scanner alone: the lines a parse gives.
    let scanned = nianbao::model::lines::scan(text);
    let parsed = nianbao::model::lines::lines(text, &tree);
    assert_eq!(
        format!("{scanned:?}"),
        format!("{:?}", Some(parsed)),
        "the scanner alone and the parse read {text:?} differently"
    );
    let analysis = analyze(text, config);
    let index = LineIndex::new(text);
    for d in &analysis.diagnostics {
        range_ok(text, &d.range, "diagnostic");
        for r in &d.related {
            range_ok(text, &r.range, "related");
        }
        if let Some(fix) = &d.fix {
            for e in &fix.edits {
                range_ok(text, &e.range, "fix");
            }
        }
        // Positions convert back to the same offset (but for the `\n` of a `\r\n`, which
        // has no position of its own).
        if !text[..d.range.start].ends_with('\r') {
            for enc in [PositionEncoding::Utf8, PositionEncoding::Utf16] {
                let start = index.line_col(text, d.range.start, enc);
                assert_eq!(
                    index.offset(text, start, enc),
                    d.range.start,
                    "position round trip"
                );
            }
        }
    }
    if fix_all {
        // (fix_all_edits runs fix::fix_all.)
        for e in ide::fix_all_edits(text, config) {
            range_ok(text, &e.range, "fix-all edit");
        }
    }

    for s in ide::document_symbols(text, &analysis) {
        symbol_ok(text, &s);
    }
    for f in ide::folding_ranges(text, &analysis) {
        range_ok(text, &f.range, "fold");
    }
    let mut last = 0;
    for t in ide::semantic_tokens(text, &analysis) {
        range_ok(text, &t.range, "token");
        assert!(t.range.start >= last, "tokens sorted, without overlaps");
        last = t.range.end;
    }
    for i in ide::inlay_hints(text, &analysis, 0..text.len()) {
        assert!(text.is_char_boundary(i.offset), "inlay offset {}", i.offset);
    }
    // A few positions: the start, the end, the start of every diagnostic (up to 8), and two
    // lines picked by the text's length.
    let mut offsets = vec![0, text.len()];
    offsets.extend(analysis.diagnostics.iter().take(8).map(|d| d.range.start));
    let lines = index.line_count();
    offsets.extend([
        index.line_start(text.len() % lines) + 1,
        index.line_start((text.len() / 7) % lines) + 3,
    ]);
    for offset in offsets {
        let offset = floor(text, offset);
        if let Some(h) = ide::hover(text, &analysis, offset) {
            range_ok(text, &h.range, "hover");
        }
        for c in ide::completions(text, &analysis, offset) {
            range_ok(text, &c.replace, "completion");
        }
        let end = floor(text, offset + 40);
        for a in ide::code_actions(text, &analysis, offset..end) {
            for e in &a.edits {
                range_ok(text, &e.range, "code action");
            }
            for &i in &a.diagnostics {
                assert!(i < analysis.diagnostics.len(), "action's diagnostic index");
            }
        }
    }
}

fn symbol_ok(text: &str, s: &ide::Symbol) {
    range_ok(text, &s.range, "symbol");
    range_ok(text, &s.selection, "symbol selection");
    for c in &s.children {
        symbol_ok(text, c);
    }
}

fn range_ok(text: &str, r: &Range<usize>, what: &str) {
    assert!(
        r.start <= r.end && r.end <= text.len(),
        "{what} range {r:?} outside 0..{}",
        text.len()
    );
    assert!(
        text.is_char_boundary(r.start) && text.is_char_boundary(r.end),
        "{what} range {r:?} not on character boundaries"
    );
}

fn floor(text: &str, mut offset: usize) -> usize {
    offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}
