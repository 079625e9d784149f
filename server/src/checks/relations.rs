//! The arithmetic relations of rules.md (T3-BAL, T3-RES, T3-COL, T4-SUM), evaluated from the
//! template data: each relation says `sum(lhs) = sum(rhs)` in every column (or every row) and
//! which cell is the total to blame and to fix.
//!
//! Empty-cell policy (rules.md §4): a blank part counts as 0; a blank total whose parts are not
//! all 0 is a `sum-mismatch` ("实为空"); a blank total whose parts are all 0 is only
//! `cell-empty`. A part that is not a number, or was not read, leaves the relation unassessed.

use std::borrow::Cow;

use crate::diagnostics::{Code, Diagnostic, Edit};
use crate::model::Cell;
use crate::template::Relation;

/// One term of a relation instance: a cell (or `None` when it was not read) and its name.
pub struct Term<'a> {
    pub cell: Option<&'a Cell>,
    /// For messages: `自然人`, `（一）予以公开`, `结果维持`.
    pub name: Cow<'static, str>,
    /// The cell is itself a total (a row's 总计, （七）总计): when it is blank, its true value is
    /// unknown, so no fix is computed from it.
    pub is_total: bool,
}

/// Builds a message from (expected value, actual value as text, the formula of the parts).
pub type MessageFn<'a> = Box<dyn Fn(i64, &str, &str) -> String + 'a>;

/// One instance of a relation: `lhs = rhs`, where `target` (one of the rhs terms, or of the
/// lhs) is the cell the diagnostic points at.
pub struct Instance<'a> {
    pub code: Code,
    /// The rule of rules.md (`T3-COL` …), recorded on the diagnostic.
    pub rule: &'static str,
    pub lhs: Vec<Term<'a>>,
    pub rhs: Vec<Term<'a>>,
    /// Index into `rhs` of the cell to blame and fix.
    pub target: usize,
    /// Builds the message from (expected, actual text, formula).
    pub message: MessageFn<'a>,
}

/// Evaluates one instance; pushes a diagnostic when it does not hold.
pub fn evaluate(text: &str, instance: Instance<'_>, out: &mut Vec<Diagnostic>) {
    let Some(target) = instance.rhs.get(instance.target) else {
        return;
    };
    let Some(target_cell) = target.cell else {
        return;
    };
    let Some(lhs) = sum(&instance.lhs) else {
        return;
    };
    let others: Vec<&Term<'_>> = instance
        .rhs
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != instance.target)
        .map(|(_, t)| t)
        .collect();
    let Some(other_sum) = others
        .iter()
        .try_fold(0i64, |acc, t| Some(acc + count(t.cell?)?))
    else {
        return;
    };
    let expected = lhs - other_sum;
    let actual = match &target_cell.value {
        v if v.is_blank() => None,
        _ => match count(target_cell) {
            Some(n) => Some(n),
            None => return, // not a number: cell-invalid says so
        },
    };
    match actual {
        Some(n) if n == expected => return,
        None if expected == 0 => return, // a blank total of zero parts: only cell-empty
        _ => {}
    }
    let actual_text = actual.map_or_else(|| "空".to_string(), |n| n.to_string());
    let formula = formula(text, &instance.lhs, &others);
    let blank_totals = instance
        .lhs
        .iter()
        .chain(others.iter().copied())
        .filter(|t| t.is_total && t.cell.is_some_and(Cell::is_blank))
        .count();
    let mut message = (instance.message)(expected, &actual_text, &formula);
    if blank_totals > 0 {
        message.push_str(&format!("；其中 {blank_totals} 个合计单元格为空，按 0 计"));
    }
    let mut diagnostic =
        Diagnostic::new(instance.code, target_cell.range.clone(), message).with_rule(instance.rule);
    for term in instance.lhs.iter().chain(others.iter().copied()) {
        if let Some(cell) = term.cell
            && !cell.range.is_empty()
        {
            diagnostic = diagnostic.with_related(
                cell.range.clone(),
                format!("{}：{}", term.name, &text[cell.range.clone()]),
            );
        }
    }
    if expected >= 0 && blank_totals == 0 {
        diagnostic = diagnostic.with_fix(
            format!("改为 {expected}"),
            vec![Edit {
                range: target_cell.range.clone(),
                new_text: expected.to_string(),
            }],
        );
    }
    out.push(diagnostic);
}

/// The value of a count cell: blank reads 0; `None` for text or a non-integer.
fn count(cell: &Cell) -> Option<i64> {
    cell.count_or_zero()
}

fn sum(terms: &[Term<'_>]) -> Option<i64> {
    terms
        .iter()
        .try_fold(0i64, |acc, t| Some(acc + count(t.cell?)?))
}

/// `821 + 18`, with blanks shown as `空`: the parts as written, for messages.
fn formula(text: &str, lhs: &[Term<'_>], others: &[&Term<'_>]) -> String {
    let show = |t: &Term<'_>| match t.cell {
        Some(c) if c.is_blank() => "空".to_string(),
        Some(c) => text[c.range.clone()].trim().to_string(),
        None => "?".to_string(),
    };
    let left: Vec<String> = lhs.iter().map(show).collect();
    if others.is_empty() {
        return left.join(" + ");
    }
    let right: Vec<String> = others.iter().map(|t| show(t)).collect();
    format!("{} − {}", left.join(" + "), right.join(" − "))
}

/// A `Columns` relation (T3-COL, T4-SUM) resolved to column indices.
pub struct ColumnTerms {
    pub lhs: Vec<usize>,
    pub rhs: Vec<usize>,
    /// Index into `rhs` of the target column.
    pub target: usize,
}

/// Resolves a relation's column ids against the table's columns, in order.
pub fn column_terms<'i>(
    relation: &Relation,
    ids: impl Fn() -> std::slice::Iter<'i, &'i str>,
) -> Option<ColumnTerms> {
    let index = |id: &String| ids().position(|c| c == id);
    Some(ColumnTerms {
        lhs: relation.lhs.iter().map(index).collect::<Option<_>>()?,
        rhs: relation.rhs.iter().map(index).collect::<Option<_>>()?,
        target: relation.rhs.iter().position(|c| *c == relation.target)?,
    })
}

/// The terms of `columns` in one row: `cell(i)`, named `name(i)`, a total when `is_total(i)`.
pub fn row_terms<'a>(
    columns: &[usize],
    cell: impl Fn(usize) -> Option<&'a Cell>,
    name: impl Fn(usize) -> Cow<'static, str>,
    is_total: impl Fn(usize) -> bool,
) -> Vec<Term<'a>> {
    columns
        .iter()
        .map(|&c| Term {
            cell: cell(c),
            name: name(c),
            is_total: is_total(c),
        })
        .collect()
}
