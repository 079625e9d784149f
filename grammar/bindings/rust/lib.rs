//! This crate provides Nianbao language support for the [tree-sitter] parsing library.
//!
//! There are two grammars, split as tree-sitter-markdown splits `markdown` and `markdown_inline`:
//! [`LANGUAGE`], the block grammar (lines, sections, tables; each line one leaf node), and
//! [`INLINE_LANGUAGE`], the inline content of one line (numbers, statute references, dates,
//! markers, cells), which [`INJECTIONS_QUERY`] injects into each line node.
//!
//! Typically, you will use the [`LANGUAGE`] constant to add this language to a
//! tree-sitter [`Parser`], and then use the parser to parse some code:
//!
//! ```
//! let code = "一、总体情况\n规章\t0\t0\t0\n";
//! let mut parser = tree_sitter::Parser::new();
//! let language = tree_sitter_nianbao::LANGUAGE;
//! parser
//!     .set_language(&language.into())
//!     .expect("Error loading Nianbao parser");
//! let tree = parser.parse(code, None).unwrap();
//! assert!(!tree.root_node().has_error());
//! ```
//!
//! [`Parser`]: https://docs.rs/tree-sitter/0.27.1/tree_sitter/struct.Parser.html
//! [tree-sitter]: https://tree-sitter.github.io/

use tree_sitter_language::LanguageFn;

mod lines;
pub use lines::{Declined, LineScanner, LineToken, ScanState, ScannedLine, scan as scan_lines};

unsafe extern "C" {
    fn tree_sitter_nianbao() -> *const ();
    fn tree_sitter_nianbao_inline() -> *const ();
}

/// The tree-sitter [`LanguageFn`] for this grammar.
pub const LANGUAGE: LanguageFn = unsafe { LanguageFn::from_raw(tree_sitter_nianbao) };

/// The tree-sitter [`LanguageFn`] for the inline grammar `nianbao_inline`: the content of one line
/// (or of several, each parsed as its own), as [`INJECTIONS_QUERY`] injects it into each line node
/// of [`LANGUAGE`].
///
/// ```
/// let mut parser = tree_sitter::Parser::new();
/// parser
///     .set_language(&tree_sitter_nianbao::INLINE_LANGUAGE.into())
///     .expect("Error loading the Nianbao inline parser");
/// let tree = parser.parse("规章\t0\t减47", None).unwrap();
/// assert_eq!(
///     tree.root_node().to_sexp(),
///     "(inline (table_row (cell) (cell (number)) (cell (number))))"
/// );
/// ```
pub const INLINE_LANGUAGE: LanguageFn = unsafe { LanguageFn::from_raw(tree_sitter_nianbao_inline) };

/// The content of the [`node-types.json`] file for this grammar.
///
/// [`node-types.json`]: https://tree-sitter.github.io/tree-sitter/using-parsers/6-static-node-types
pub const NODE_TYPES: &str = include_str!("../../src/node-types.json");

/// The content of the [`node-types.json`] file for the inline grammar.
///
/// [`node-types.json`]: https://tree-sitter.github.io/tree-sitter/using-parsers/6-static-node-types
pub const INLINE_NODE_TYPES: &str = include_str!("../../inline/src/node-types.json");

#[cfg(with_highlights_query)]
/// The syntax highlighting query for this grammar.
pub const HIGHLIGHTS_QUERY: &str = include_str!("../../queries/highlights.scm");

#[cfg(with_inline_highlights_query)]
/// The syntax highlighting query for the inline grammar ([`INLINE_LANGUAGE`]): the captures of
/// the tokens inside a line, layered over those of [`HIGHLIGHTS_QUERY`].
pub const INLINE_HIGHLIGHTS_QUERY: &str = include_str!("../../inline/queries/highlights.scm");

#[cfg(with_injections_query)]
/// The language injection query for this grammar: [`INLINE_LANGUAGE`] (`nianbao_inline`) in each
/// line node, each line an injection of its own.
pub const INJECTIONS_QUERY: &str = include_str!("../../queries/injections.scm");

#[cfg(with_locals_query)]
/// The local variable query for this grammar.
pub const LOCALS_QUERY: &str = include_str!("../../queries/locals.scm");

#[cfg(with_tags_query)]
/// The symbol tagging query for this grammar.
pub const TAGS_QUERY: &str = include_str!("../../queries/tags.scm");

#[cfg(with_folds_query)]
/// The folding query for this grammar (sections and tables).
pub const FOLDS_QUERY: &str = include_str!("../../queries/folds.scm");

#[cfg(test)]
mod tests {
    #[test]
    fn test_can_load_grammar() {
        let mut parser = tree_sitter::Parser::new();
        parser
            .set_language(&super::LANGUAGE.into())
            .expect("Error loading Nianbao parser");
    }

    #[test]
    fn test_can_load_inline_grammar() {
        let mut parser = tree_sitter::Parser::new();
        parser
            .set_language(&super::INLINE_LANGUAGE.into())
            .expect("Error loading the Nianbao inline parser");
    }

    /// The inline grammar is total, as the block grammar is: no ERROR or MISSING node for any text,
    /// and a line injected at its first character that is not space (its byte range the one
    /// included range of the whole text, as editors inject it) parses as that line's text alone —
    /// the scanner's start-of-line test holds at an included range's start. Random texts over the
    /// characters the rules look at, from a fixed seed.
    #[test]
    fn test_inline_grammar_is_total() {
        const PIECES: &[&str] = &[
            "一", "二", "十", "、", "是", "（", "）", "(", ")", "1", "０", ".", "．", "0", "-",
            "－", "+", "减", "增", "第", "条", "项", "款", "年", "月", "日", "总计", "*", "**",
            "## ", "#", "|", "\t", "\n", "\r", " ", "\u{3000}", "\u{feff}", "\0", "<", ">", ":",
            "http", "a", "/", "2021", "---", ":---:", "，", "。",
        ];
        let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = move || {
            // xorshift64: a fixed, dependency-free sequence.
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let mut parser = tree_sitter::Parser::new();
        parser.set_language(&super::INLINE_LANGUAGE.into()).unwrap();
        let mut alone = tree_sitter::Parser::new();
        alone.set_language(&super::INLINE_LANGUAGE.into()).unwrap();
        let is_space = |c: char| (c.is_whitespace() && c != '\t' && c != '\n') || c == '\u{feff}';
        for _ in 0..2000 {
            let len = next() % 40;
            let text: String = (0..len)
                .map(|_| PIECES[(next() % PIECES.len() as u64) as usize])
                .collect();
            let tree = parser.parse(&text, None).unwrap();
            assert!(
                !tree.root_node().has_error(),
                "{text:?}: {}",
                tree.root_node().to_sexp()
            );

            let (mut start, mut row) = (0, 0);
            for line in text.split_inclusive('\n') {
                let end = start + line.len();
                let indent = line.len() - line.trim_start_matches(is_space).len();
                let first = start + indent;
                if line[indent..].trim_end_matches(is_space) != "\n" && first < end {
                    let point = |column| tree_sitter::Point { row, column };
                    let end_point = if line.ends_with('\n') {
                        tree_sitter::Point {
                            row: row + 1,
                            column: 0,
                        }
                    } else {
                        point(line.len())
                    };
                    let range = tree_sitter::Range {
                        start_byte: first,
                        end_byte: end,
                        start_point: point(indent),
                        end_point,
                    };
                    parser.set_included_ranges(&[range]).unwrap();
                    let injected = parser.parse(&text, None).unwrap();
                    parser.set_included_ranges(&[]).unwrap();
                    let own = alone.parse(&text[first..end], None).unwrap();
                    assert_eq!(
                        injected.root_node().to_sexp(),
                        own.root_node().to_sexp(),
                        "{:?} in {text:?}",
                        &text[first..end]
                    );
                    assert!(!own.root_node().has_error(), "{:?}", &text[first..end]);
                }
                start = end;
                row += 1;
            }
        }
    }

    /// The queries compile against the grammar they belong to: the injections and the block
    /// highlights against the block grammar, the inline highlights against the inline grammar.
    #[test]
    fn test_queries_compile() {
        let block = super::LANGUAGE.into();
        let inline = super::INLINE_LANGUAGE.into();
        for (language, query) in [
            (&block, super::HIGHLIGHTS_QUERY),
            (&block, super::INJECTIONS_QUERY),
            (&block, super::FOLDS_QUERY),
            (&block, super::TAGS_QUERY),
            (&inline, super::INLINE_HIGHLIGHTS_QUERY),
        ] {
            tree_sitter::Query::new(language, query).expect("query compiles");
        }
    }
}
