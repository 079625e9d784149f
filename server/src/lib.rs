//! nianbao — the engine behind `nianbao check`, `nianbao fmt` and `nianbao lsp`.
//!
//! Layers, each knowing only those above it in this list (see `ARCHITECTURE.md`):
//! - [`syntax`]: the tree-sitter parser of report text, full and incremental.
//! - [`template`], [`statute`]: data only — the two official formats and the regulation.
//! - [`normalize`]: matching keys of labels and the reading of cell values.
//! - [`model`]: the report as read — sections, tables, values, each with its byte range.
//! - [`relations`]: the relation engine — every arithmetic relation evaluated and diagnosed once.
//! - [`checks`]: one module per rule family, producing [`diagnostics`].
//! - [`analysis`]: the single entry point, text → model + diagnostics; [`fix`]: fix-all.
//! - [`extract`]: text read out of another format with where each line came from; [`docx`]:
//!   Word documents read into it, and fixes written back; [`html`]: saved web pages read into
//!   it; [`sniff`]: which format a file is.
//! - [`series`]: a body's reports across the years (identity, carry-over, copied text), after
//!   the single-report analyses.

pub mod analysis;
pub mod checks;
#[cfg(feature = "toml")]
pub mod config;
mod data;
pub mod diagnostics;
#[cfg(feature = "docx")]
pub mod docx;
pub mod encoding;
pub mod explain;
pub mod extract;
pub mod fix;
pub mod format;
#[cfg(feature = "html")]
pub mod html;
pub mod ide;
pub mod input;
#[cfg(feature = "lsp")]
pub mod lsp;
pub mod model;
pub mod normalize;
#[cfg(feature = "lsp")]
pub mod pipe;
pub mod relations;
pub mod report_json;
pub mod series;
pub mod skeleton;
pub mod sniff;
pub mod statute;
pub mod suppress;
pub mod syntax;
pub mod template;
