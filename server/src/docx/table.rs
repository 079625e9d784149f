//! Tables: one line per row (`w:tr`, also inside `w:sdt`/`w:customXml`), one field per column of
//! the table grid (`w:tblGrid`). A cell writes its text once, then an empty field for each further
//! grid column it spans (`w:gridSpan`); a vertically merged continuation (`w:vMerge` without
//! `restart`), a legacy horizontal continuation (`w:hMerge`) and the columns a row skips
//! (`w:gridBefore`, `w:gridAfter`) are empty fields. That is layout 1a of `layouts.md`, the shape
//! Word's, WPS's and LibreOffice's copy-as-text give.
//!
//! Grid slivers: a round trip through LibreOffice or WPS leaves 1-twip columns (`575 + 1`), and
//! inconsistent spans in a converted web page leave columns a pixel or two wide that no cell
//! starts in alone; either would add an empty field to some rows only. Columns narrower than
//! [`SLIVER_TWIPS`], and columns that no one-column cell starts in and that are narrower than
//! [`SLIVER_SHARE`] of the table, are folded into the column before them.

use roxmltree::Node;

use super::DocxError;
use super::body::{CellText, Insert, Piece, Sink, Src, Unit, Walker};
use super::xml::{attr, child, child_val, is, num, w_name};
use crate::extract::Field;

/// Columns narrower than this (in twentieths of a point) are slivers.
const SLIVER_TWIPS: u32 = 60;
/// Columns no one-column cell starts in and narrower than this share of the table are slivers
/// (a 97-twip column of a 7,204-twip table; a real column of numbers is 4 % or more).
const SLIVER_SHARE: f64 = 0.02;
/// The most fields of one row: a hostile `w:gridSpan="1000000000"` stops here.
const MAX_FIELDS: usize = 1000;

/// What a fix needs of a field that has a cell of its own: the `w:t` pieces (offsets within the
/// field) and where new text would go.
type Editable = (Vec<(usize, String, Src)>, Option<Insert>);

/// The folded column of each grid column.
struct Grid {
    folded: Vec<usize>,
}

impl Grid {
    /// `single[c]`: some one-column cell starts in grid column `c`.
    fn new(tbl: Node, single: &[bool]) -> Self {
        let widths: Vec<Option<u32>> = child(tbl, "tblGrid")
            .map(|g| {
                g.children()
                    .filter(|c| is(*c, "gridCol"))
                    .map(|c| num(attr(c, "w")))
                    .take(MAX_FIELDS)
                    .collect()
            })
            .unwrap_or_default();
        let total: u32 = widths.iter().flatten().fold(0, |a, w| a.saturating_add(*w));
        let mut folded = Vec::with_capacity(widths.len());
        for (i, w) in widths.iter().enumerate() {
            let narrow = |w: u32| f64::from(w) < f64::from(total) * SLIVER_SHARE;
            let alone = single.get(i).copied().unwrap_or(false);
            let sliver = i > 0 && w.is_some_and(|w| w < SLIVER_TWIPS || !alone && narrow(w));
            let prev = folded.last().copied();
            folded.push(match prev {
                None => 0,
                Some(p) if sliver => p,
                Some(p) => p + 1,
            });
        }
        Grid { folded }
    }

    /// The folded column of grid column `col` (past the declared grid: one each).
    fn fold(&self, col: usize) -> usize {
        match self.folded.last() {
            _ if col < self.folded.len() => self.folded[col],
            Some(&last) => last + 1 + (col - self.folded.len()),
            None => col,
        }
    }
}

/// For each grid column, whether a one-column cell starts in it (in any row).
fn single_starts(trs: &[Node], depth: usize) -> Result<Vec<bool>, DocxError> {
    let mut single = Vec::new();
    for tr in trs {
        let before = child(*tr, "trPr")
            .and_then(|p| num(child_val(p, "gridBefore")))
            .unwrap_or(0) as usize;
        let mut col = before.min(MAX_FIELDS);
        let mut tcs = Vec::new();
        cells(*tr, &mut tcs, depth)?;
        for tc in tcs {
            let (span, _, _) = merge_of(tc);
            if col >= MAX_FIELDS {
                break;
            }
            if span == 1 {
                if single.len() <= col {
                    single.resize(col + 1, false);
                }
                single[col] = true;
            }
            col += span;
        }
    }
    Ok(single)
}

/// The rows of a table.
fn rows<'a, 'i>(
    node: Node<'a, 'i>,
    out: &mut Vec<Node<'a, 'i>>,
    depth: usize,
) -> Result<(), DocxError> {
    children_named(node, "tr", out, depth)
}

/// The cells of a row.
fn cells<'a, 'i>(
    node: Node<'a, 'i>,
    out: &mut Vec<Node<'a, 'i>>,
    depth: usize,
) -> Result<(), DocxError> {
    children_named(node, "tc", out, depth)
}

/// The `w:{name}` children of `node`, also those wrapped in content controls and custom XML.
fn children_named<'a, 'i>(
    node: Node<'a, 'i>,
    name: &str,
    out: &mut Vec<Node<'a, 'i>>,
    depth: usize,
) -> Result<(), DocxError> {
    if depth > super::body::MAX_DEPTH {
        return Err(DocxError::TooDeep);
    }
    for c in node.children() {
        match w_name(c) {
            Some(n) if n == name => out.push(c),
            Some("sdt") => {
                if let Some(content) = child(c, "sdtContent") {
                    children_named(content, name, out, depth + 1)?;
                }
            }
            Some("customXml") => children_named(c, name, out, depth + 1)?,
            _ => {}
        }
    }
    Ok(())
}

/// How a cell takes part in a merge.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Merge {
    None,
    /// Starts a vertical merge.
    Restart,
    /// Continues a merge from the row above or the cell before: no text of its own.
    Continue,
}

fn merge_of(tc: Node) -> (usize, Merge, bool) {
    let tc_pr = child(tc, "tcPr");
    let span = tc_pr
        .and_then(|p| num(child_val(p, "gridSpan")))
        .unwrap_or(1)
        .clamp(1, MAX_FIELDS as u32) as usize;
    let vmerge = tc_pr
        .and_then(|p| child(p, "vMerge"))
        .map(|v| match attr(v, "val") {
            Some("restart") => Merge::Restart,
            _ => Merge::Continue,
        });
    let hmerge_continue = tc_pr
        .and_then(|p| child(p, "hMerge"))
        .is_some_and(|h| attr(h, "val") != Some("restart"));
    (span, vmerge.unwrap_or(Merge::None), hmerge_continue)
}

impl<'i> Walker<'_, 'i> {
    /// A table of the body: one line per row.
    pub(super) fn table(&mut self, tbl: Node<'_, 'i>, depth: usize) -> Result<(), DocxError> {
        self.tables += 1;
        let table = self.tables;
        let mut trs = Vec::new();
        rows(tbl, &mut trs, depth + 1)?;
        let grid = Grid::new(tbl, &single_starts(&trs, depth + 1)?);
        // The row (1-based) where the vertical merge over each folded column started.
        let mut merged_since: Vec<Option<u32>> = Vec::new();
        let mut row_number = 0;
        for tr in trs {
            let tr_pr = child(tr, "trPr");
            if tr_pr.is_some_and(|p| child(p, "del").is_some()) {
                // A row deleted with tracked changes on: gone once accepted.
                self.notes.tracked_changes = true;
                continue;
            }
            row_number += 1;
            self.row(tr, table, row_number, &grid, &mut merged_since, depth + 1)?;
        }
        Ok(())
    }

    fn row(
        &mut self,
        tr: Node<'_, 'i>,
        table: u32,
        row: u32,
        grid: &Grid,
        merged_since: &mut Vec<Option<u32>>,
        depth: usize,
    ) -> Result<(), DocxError> {
        let tr_pr = child(tr, "trPr");
        let skip = |name| tr_pr.and_then(|p| num(child_val(p, name))).unwrap_or(0) as usize;
        let mut fields: Vec<Field> = Vec::new();
        // Per field: the cell's pieces (offsets within the field) and where to insert.
        let mut extras: Vec<Option<Editable>> = Vec::new();
        let mut col = 0;
        // The next folded column to fill.
        let mut next = 0;
        let empty =
            |cell: u32, column: usize, merged_from: Option<u32>, offset: Option<usize>| Field {
                text: String::new(),
                cell,
                column: column as u32 + 1,
                merged_from,
                offset,
            };
        let before = skip("gridBefore").min(MAX_FIELDS);
        if before > 0 {
            let end = grid.fold(col + before - 1) + 1;
            for f in next..end {
                fields.push(empty(1, f, None, Some(tr.range().start)));
                extras.push(None);
            }
            next = next.max(end);
            col += before;
        }
        let mut tcs = Vec::new();
        cells(tr, &mut tcs, depth + 1)?;
        for (i, tc) in tcs.into_iter().enumerate() {
            if fields.len() >= MAX_FIELDS {
                break;
            }
            let cell = i as u32 + 1;
            let (span, vmerge, hmerge_continue) = merge_of(tc);
            let first = grid.fold(col).max(next);
            let last = grid.fold(col + span - 1).max(first);
            col += span;
            next = last + 1;
            if merged_since.len() <= last {
                merged_since.resize(last + 1, None);
            }
            let offset = Some(tc.range().start);
            if vmerge == Merge::Continue || hmerge_continue {
                for (f, since) in merged_since.iter().enumerate().take(last + 1).skip(first) {
                    let from = if vmerge == Merge::Continue {
                        *since
                    } else {
                        None
                    };
                    fields.push(empty(cell, f, from, offset));
                    extras.push(None);
                }
                continue;
            }
            for since in &mut merged_since[first..=last] {
                *since = (vmerge == Merge::Restart).then_some(row);
            }
            let mut text = CellText::default();
            self.blocks(tc, &mut Sink::Cell(&mut text), depth + 1)?;
            let mut placed = Vec::new();
            let mut at = 0;
            for (t, src) in &text.segs {
                if let Some(src) = src {
                    placed.push((at, t.clone(), src.clone()));
                }
                at += t.len();
            }
            fields.push(Field {
                text: text.text(),
                cell,
                column: first as u32 + 1,
                merged_from: None,
                offset,
            });
            extras.push(Some((placed, insert_point(tc))));
            for f in first + 1..=last {
                fields.push(empty(cell, f, None, offset));
                extras.push(None);
            }
        }
        let after = skip("gridAfter").min(MAX_FIELDS);
        for k in 0..after {
            if fields.len() >= MAX_FIELDS {
                break;
            }
            fields.push(empty(0, next + k, None, Some(tr.range().start)));
            extras.push(None);
        }
        // A field of `gridAfter` belongs to no cell: name the last one of the row.
        let last_cell = fields.iter().map(|f| f.cell).max().unwrap_or(1);
        for f in &mut fields {
            if f.cell == 0 {
                f.cell = last_cell;
            }
        }
        let lengths: Vec<usize> = fields.iter().map(|f| f.text.len()).collect();
        let starts = self.out.row(table, row, Some(tr.range().start), fields);
        for ((start, len), extra) in starts.into_iter().zip(lengths).zip(extras) {
            let Some((placed, insert)) = extra else {
                continue;
            };
            self.units.push(Unit {
                range: start..start + len,
                insert,
            });
            self.pieces
                .extend(placed.into_iter().map(|(at, text, src)| Piece {
                    at: start + at,
                    text,
                    src,
                }));
        }
        Ok(())
    }

    /// A table inside a cell: its cells' text joined into the cell's text.
    pub(super) fn flat_table(
        &mut self,
        tbl: Node<'_, 'i>,
        cell: &mut CellText,
        depth: usize,
    ) -> Result<(), DocxError> {
        let mut trs = Vec::new();
        rows(tbl, &mut trs, depth + 1)?;
        for tr in trs {
            let mut tcs = Vec::new();
            cells(tr, &mut tcs, depth + 1)?;
            for tc in tcs {
                self.blocks(tc, &mut Sink::Cell(cell), depth + 1)?;
            }
        }
        Ok(())
    }
}

/// The last paragraph of a cell (where typed text would go) and its mark's run properties,
/// unless those hold tracked-change marks, which a run may not.
fn insert_point(tc: Node) -> Option<Insert> {
    let p = tc.children().rfind(|c| is(*c, "p"))?;
    let run_props = child(p, "pPr").and_then(|p| child(p, "rPr")).filter(|r| {
        !r.children().any(|c| {
            matches!(
                w_name(c),
                Some("ins" | "del" | "moveFrom" | "moveTo" | "rPrChange")
            )
        })
    });
    Some(Insert {
        paragraph: p.range(),
        run_props: run_props.map(|r| r.range()),
    })
}
