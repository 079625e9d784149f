//! Editor features computed as plain data: hover, outline, folding, semantic tokens, inlay
//! hints, completion and code actions. Everything here takes the text and its
//! [`Analysis`](crate::analysis::Analysis) and speaks in byte ranges; the language server
//! (`crate::lsp`) converts to LSP types and positions.

mod actions;
mod cells;
mod completion;
mod hover;
mod identity;
mod inlay;
mod outline;
mod tokens;

pub use actions::{
    Action, ActionKind, REASON_PLACEHOLDER, code_actions, fix_all_available, fix_all_edits,
    minimal_edits, suppression_edit,
};
pub use cells::{CellAt, ValueCell, cell_at, path, value_cells};
pub use completion::{Completion, CompletionKind, completions};
pub use hover::{Hover, hover, total_markdown};
pub use identity::identity_hover;
pub use inlay::{Inlay, InlayKind, inlay_hints};
pub use outline::{Fold, FoldKind, Symbol, SymbolKind, document_symbols, folding_ranges};
pub use tokens::{TOTAL, Token, TokenKind, WRONG, semantic_tokens};

#[cfg(test)]
mod tests;
