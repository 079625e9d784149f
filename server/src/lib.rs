//! nianbao — the engine behind `nianbao check`, `nianbao fmt` and `nianbao lsp`.
//!
//! Layers, each knowing only those above it in this list (see `ARCHITECTURE.md`):
//! - [`syntax`]: the tree-sitter parser of report text, full and incremental.
//! - [`diagnostics`]: plain-data findings (codes, byte ranges, Chinese messages, fixes).
//! - [`analysis`]: the single entry point, text → diagnostics.

pub mod analysis;
pub mod diagnostics;
pub mod normalize;
pub mod statute;
pub mod syntax;
pub mod template;
