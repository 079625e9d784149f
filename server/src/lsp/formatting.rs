//! `textDocument/formatting` and `textDocument/rangeFormatting` through the formatter
//! ([`crate::format`]): its minimal edits, converted. When the formatter refuses (a property
//! check failed) the answer is no edits, and the refusal is logged.

use std::ops::Range;

use tower_lsp_server::ls_types::{
    DocumentFormattingOptions, DocumentRangeFormattingOptions, OneOf, TextEdit,
};

use super::documents::Snapshot;
use crate::format::{self, Formatted};

/// The capability to advertise for whole-document formatting.
pub fn capability() -> Option<OneOf<bool, DocumentFormattingOptions>> {
    Some(OneOf::Left(true))
}

/// The capability to advertise for range formatting.
pub fn range_capability() -> Option<OneOf<bool, DocumentRangeFormattingOptions>> {
    Some(OneOf::Left(true))
}

/// The edits that format the snapshot's text (or the lines `range` touches), and a note when
/// the formatter refused.
pub fn edits(snapshot: &Snapshot, range: Option<Range<usize>>) -> (Vec<TextEdit>, Option<String>) {
    let formatted: Formatted = match range {
        None => format::format_with(&snapshot.text, &snapshot.config),
        Some(range) => format::format_range_with(&snapshot.text, range, &snapshot.config),
    };
    let p = snapshot.positions();
    let note = formatted
        .refused
        .map(|r| format!("格式化未进行：排版结果未通过检查（{r:?}），文本保持原样"));
    (
        formatted.edits.iter().map(|e| p.text_edit(e)).collect(),
        note,
    )
}
