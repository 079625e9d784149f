//! The checks: one module per rule family, each reading the report model and pushing plain
//! [`Diagnostic`]s. Rule ids (T3-BAL, T3-RES, T3-COL, T4-SUM) are those of
//! `../shared/spec/rules.md`; codes are those of `interface.md`. The arithmetic itself is the
//! relation engine's ([`crate::relations`]); `arithmetic` only words its findings.

mod arithmetic;
mod cells;
mod deadline;
mod naming;
mod prose;
mod sections;
mod table3;
mod table4;
mod template;

#[cfg(test)]
mod tests;

use crate::diagnostics::Diagnostic;
use crate::model::Report;
use crate::relations::Relations;

pub use deadline::statutory as statutory_deadline;
pub use naming::{column_name, row_label, table4_column_name};

/// Runs every check on a report whose relations the engine has evaluated.
pub fn run(
    text: &str,
    report: &Report,
    relations: &Relations,
    config: &crate::analysis::Config,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    // Before the first official format: one finding, not a cascade against a format it was
    // not written in.
    if let Some(d) = template::predates(text, report) {
        out.push(d);
        return out;
    }
    sections::check(text, report, &mut out);
    template::check(text, report, &mut out);
    table3::check(text, report, &mut out);
    table4::check(report, &mut out);
    arithmetic::check(text, report, relations, &mut out);
    cells::check(text, report, &mut out);
    prose::check(text, report, &mut out);
    deadline::check(text, report, &config.deadlines, &mut out);
    out
}
