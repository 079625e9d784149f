//! `textDocument/formatting`: not advertised until the formatter (`crate::format`) is part of
//! the engine — an editor is better served by no formatting than by a stub.

use tower_lsp_server::ls_types::{DocumentFormattingOptions, OneOf, TextEdit};

use super::documents::Snapshot;

/// The capability to advertise.
pub fn capability() -> Option<OneOf<bool, DocumentFormattingOptions>> {
    None
}

/// The edits that format the snapshot's text.
pub fn edits(_snapshot: &Snapshot) -> Option<Vec<TextEdit>> {
    None
}
