//! `carryover-mismatch`: year Y's `二、上年结转政府信息公开申请数量` must equal year Y−1's
//! `四、结转下年度继续办理`, column by column (what was carried into the next year is what the next
//! year carried over). Only cells both tables read are compared.

use super::entry::{CarryCell, Entry};
use crate::checks::column_name;
use crate::diagnostics::{Code, Diagnostic, Edit};
use crate::model::table3::COLUMNS;

/// The mismatches of `current` (year Y) against `previous` (year Y−1), on Y's cells; and a note
/// when nothing could be compared.
pub fn check(previous: &Entry, current: &Entry, year: u32) -> (Vec<Diagnostic>, Option<String>) {
    let prev_year = year - 1;
    let (Some(carried), Some(carry_next)) = (&current.carried, &previous.carry_next) else {
        let note = if current.carried.is_none() {
            "本报告表三的“二、上年结转政府信息公开申请数量”没有读出，未与上年比对结转数".to_string()
        } else {
            format!("{prev_year} 年报告表三的“四、结转下年度继续办理”没有读出，未比对结转数")
        };
        return (Vec::new(), Some(note));
    };
    let mut out = Vec::new();
    for column in 0..COLUMNS {
        let (Some(now), Some(before)) = (&carried[column], &carry_next[column]) else {
            continue;
        };
        if let Some(d) = compare(previous, now, before, column, prev_year) {
            out.push(d);
        }
    }
    (out, None)
}

/// One column: a warning on this year's cell when both counts are known and differ.
fn compare(
    previous: &Entry,
    now: &CarryCell,
    before: &CarryCell,
    column: usize,
    prev_year: u32,
) -> Option<Diagnostic> {
    let (Some(expected), Some(written)) = (before.count, now.count) else {
        return None;
    };
    if expected == written {
        return None;
    }
    let name = column_name(column);
    let actual = if now.blank {
        "空".to_string()
    } else {
        format!(" {written}")
    };
    let message = format!(
        "“{name}”列上年结转应为 {expected}（{prev_year} 年报告“结转下年度继续办理”），实为{actual}"
    );
    Some(
        Diagnostic::new(Code::CarryoverMismatch, now.range.clone(), message)
            .with_related_in(
                previous.name.clone(),
                before.range.clone(),
                format!("{prev_year} 年报告“四、结转下年度继续办理”的“{name}”：{expected}"),
            )
            // Not a safe fix: last year's figure may be the wrong one.
            .with_suggestion(
                format!("改为 {expected}（取 {prev_year} 年报告的结转数）"),
                vec![Edit {
                    range: now.range.clone(),
                    new_text: expected.to_string(),
                }],
            ),
    )
}
