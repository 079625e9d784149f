//! Syntax layer: owns the tree-sitter parser of report text.
//!
//! Parsing never fails: any text yields a tree (the grammar is total over real reports; on
//! hostile input tree-sitter recovers with `ERROR` nodes, which the model reads as plain lines).
//! Incremental reparse takes the old tree plus the edits applied to the text since.

pub mod kinds;
mod line_index;

pub use line_index::{LineCol, LineIndex, PositionEncoding, column, floor_char_boundary};

use std::ops::Range;

use tree_sitter::{InputEdit, Language, Point, Tree};

/// The tree-sitter language of report text.
pub fn language() -> Language {
    tree_sitter_nianbao::LANGUAGE.into()
}

/// A reusable parser. Cheap to keep around; one per thread (tree-sitter parsers are not `Sync`).
pub struct Parser {
    inner: tree_sitter::Parser,
}

impl Default for Parser {
    fn default() -> Self {
        Self::new()
    }
}

impl Parser {
    pub fn new() -> Self {
        let mut inner = tree_sitter::Parser::new();
        // The grammar is compiled into this crate: a mismatch is a build defect, not bad input.
        #[allow(clippy::expect_used)]
        inner
            .set_language(&language())
            .expect("the bundled nianbao grammar matches the linked tree-sitter version");
        Self { inner }
    }

    /// Parses `text` from scratch.
    pub fn parse(&mut self, text: &str) -> Tree {
        self.parse_with(text, None)
    }

    /// Reparses `text`, reusing `old` — which must already have been told of the edits that
    /// turned its text into `text` (see [`edit_tree`]).
    pub fn reparse(&mut self, text: &str, old: &Tree) -> Tree {
        self.parse_with(text, Some(old))
    }

    fn parse_with(&mut self, text: &str, old: Option<&Tree>) -> Tree {
        // `parse` returns None only without a language, after a timeout or a cancellation,
        // none of which this parser sets; a fresh parser is the safe answer all the same.
        match self.inner.parse(text, old) {
            Some(tree) => tree,
            None => {
                self.inner.reset();
                match self.inner.parse(text, None) {
                    Some(tree) => tree,
                    None => unreachable_tree(),
                }
            }
        }
    }
}

#[cold]
fn unreachable_tree() -> Tree {
    // A parser with a language, no timeout and no cancellation flag always returns a tree.
    let mut parser = tree_sitter::Parser::new();
    #[allow(clippy::expect_used)]
    parser
        .set_language(&language())
        .expect("bundled grammar loads");
    #[allow(clippy::expect_used)]
    parser.parse("", None).expect("empty input parses")
}

/// Parses `text` with a throwaway parser.
pub fn parse(text: &str) -> Tree {
    Parser::new().parse(text)
}

/// One replacement of a byte range of the old text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TextEdit {
    pub range: Range<usize>,
    pub new_text: String,
}

/// Applies `edit` to `text` and tells `tree` about it, so that [`Parser::reparse`] can reuse it.
/// The range must lie on char boundaries of `text` (callers clamp positions first).
pub fn edit_tree(tree: &mut Tree, text: &mut String, edit: &TextEdit) {
    let Range { start, end } = edit.range;
    let start_position = point_at(text, start);
    let old_end_position = point_at(text, end);
    text.replace_range(start..end, &edit.new_text);
    let new_end_byte = start + edit.new_text.len();
    let new_end_position = point_at(text, new_end_byte);
    tree.edit(&InputEdit {
        start_byte: start,
        old_end_byte: end,
        new_end_byte,
        start_position,
        old_end_position,
        new_end_position,
    });
}

/// The tree-sitter point (row, byte column) of a byte offset.
pub fn point_at(text: &str, offset: usize) -> Point {
    let before = &text.as_bytes()[..offset.min(text.len())];
    let row = before.iter().filter(|&&b| b == b'\n').count();
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    Point::new(row, before.len() - line_start)
}

/// S-expression of the tree, for `nianbao parse` and tests.
pub fn to_sexp(tree: &Tree) -> String {
    tree.root_node().to_sexp()
}

#[cfg(test)]
mod tests;
