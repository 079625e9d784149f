//! Reading table 3 (收到和处理政府信息公开申请情况) in any layout.
//!
//! 1. The region: section 三's body, or — when that heading is lost — from the first line that
//!    only table 3 has to the next section heading.
//! 2. Raw rows ([`super::rows`]); the header is what comes before the first labelled row.
//! 3. Logical rows: a row starts at a label cell; value-only rows continue a row that still lacks
//!    values (one cell per line, 1c), else stand alone (converter Markdown, corpus 014).
//! 4. Rows are matched to the template by their most specific label (`1.属于国家秘密`), exactly,
//!    fuzzily (`2.其他法律行政止公开`) or as a fragment of a label split across cells; order
//!    breaks ties. Value-only rows fill the template rows missing between two matched rows when
//!    their counts agree.
//! 5. Columns: by the header when it names all six applicant columns (a header without `总计`
//!    means the column is missing, seed 002), else by count: leading placeholder cells and
//!    surplus trailing blanks are dropped until the count fits. A row that still does not fit is
//!    unaligned: its values stay unknown.

use std::ops::Range;
use std::sync::LazyLock;

use super::lines::Line;
use super::rows::{RawKind, RawRow, is_label, raw_rows};
use super::{Cell, FormatEvidence, Section, span};
use crate::normalize::{self, CellValue};
use crate::template::{self, TemplateId};

/// Number of value columns of table 3.
pub const COLUMNS: usize = 7;

/// One row of table 3 matched to the template.
#[derive(Clone, Debug, PartialEq)]
pub struct Table3Row {
    /// The template row id (`new`, `r3_1`, `total`, …).
    pub id: &'static str,
    /// The label cells' span (for a value-only row: its first value cell).
    pub label: Range<usize>,
    /// The label cells (none for a value-only row).
    pub label_cells: Vec<Range<usize>>,
    /// The whole row, label to last cell.
    pub range: Range<usize>,
    /// One entry per template column (自然人 … 总计); `None` where the value was not read.
    pub values: Vec<Option<Cell>>,
    /// Set when the label differs from the template's: (similarity, the template label).
    pub label_mismatch: Option<(f64, &'static str)>,
    /// The row had value cells that could not be aligned to the columns.
    pub unaligned: bool,
    /// The value cells as found, before alignment: what is known of an unaligned row (a row
    /// of zeros sums to 0 whatever its columns).
    pub raw: Vec<Cell>,
}

impl Table3Row {
    /// Placed by position: a value-only row, whose label fell out of the table.
    pub fn inferred(&self) -> bool {
        self.label_cells.is_empty()
    }

    pub fn value(&self, column: usize) -> Option<&Cell> {
        self.values.get(column).and_then(Option::as_ref)
    }

    /// The row's 总计 where the table gives it without doubt: its 总计 cell; else, without a
    /// 总计 column, the sum of the six applicant cells (in whatever order they stand); else, for
    /// a row whose values cannot be aligned, 0 when every value it has is 0. `None` when the
    /// answer depends on an alignment nobody can make, or on a blank or unusable cell.
    pub fn total(&self) -> Option<i64> {
        if let Some(cell) = self.value(COLUMNS - 1) {
            return if cell.is_blank() {
                None
            } else {
                cell.count_or_zero()
            };
        }
        if !self.unaligned {
            return (0..COLUMNS - 1).try_fold(0i64, |sum, c| {
                sum.checked_add(self.value(c)?.count_or_zero()?)
            });
        }
        let zeros = !self.raw.is_empty() && self.raw.iter().all(|c| c.count_or_zero() == Some(0));
        zeros.then_some(0)
    }
}

/// Table 3 as read.
#[derive(Clone, Debug, PartialEq)]
pub struct Table3 {
    /// From the first header line to the last row.
    pub range: Range<usize>,
    /// The header cells' span, if there is a header.
    pub header: Option<Range<usize>>,
    /// The header names all six applicant columns.
    pub header_readable: bool,
    /// Which template columns the table has (all, when the header is unreadable).
    pub columns: [bool; COLUMNS],
    /// Matched rows in document order; each template row at most once.
    pub rows: Vec<Table3Row>,
    /// Rows that match no template row: (label or values span, the label cells).
    pub unknown: Vec<(Range<usize>, Vec<Range<usize>>)>,
    pub evidence: Vec<FormatEvidence>,
}

impl Table3 {
    pub fn row(&self, id: &str) -> Option<&Table3Row> {
        self.rows.iter().find(|r| r.id == id)
    }

    /// The rows a relation names (by template row id); a row the table has in the other （六）
    /// shape stands for its counterparts, counted once. `None` when a named row is absent: the
    /// relation cannot be assessed.
    pub fn resolve_rows(&self, ids: &[String]) -> Option<Vec<&Table3Row>> {
        let mut rows: Vec<&Table3Row> = Vec::new();
        for id in ids {
            if let Some(row) = self.row(id) {
                rows.push(row);
                continue;
            }
            for row in self.stand_ins(id)? {
                if !rows.iter().any(|r| r.id == row.id) {
                    rows.push(row);
                }
            }
        }
        Some(rows)
    }

    /// Rows standing for an absent row id: the single `（六）` for an item, or the items for `r6`.
    fn stand_ins(&self, id: &str) -> Option<Vec<&Table3Row>> {
        for t in TemplateId::all() {
            let Some(collapse) = template::template(t).table3_collapse(id) else {
                continue;
            };
            if collapse.row.id != id {
                return self.row(&collapse.row.id).map(|r| vec![r]);
            }
            let items: Option<Vec<_>> = collapse.replaces.iter().map(|r| self.row(r)).collect();
            if items.is_some() {
                return items;
            }
        }
        None
    }

    /// Once the format is known: nothing to adjust in the rows themselves (both `（六）` shapes
    /// are kept as read); kept as the hook where format-dependent reading would go.
    pub fn settle_template(&mut self, _id: TemplateId) {}
}

/// A template row as the matcher needs it.
#[derive(Debug)]
struct RowSpec {
    id: &'static str,
    /// Its canonical position (both formats merged: `r6` sits before `r6_1`).
    order: usize,
    /// Keys of its most specific label and of its known variants.
    keys: Vec<String>,
    /// The same keys prepared for the fuzzy comparison.
    fuzzy_keys: Vec<normalize::FuzzyKey>,
    /// The official most specific label (for messages).
    label: &'static str,
}

/// Table-3 rows of every format in one canonical order.
static ROW_SPECS: LazyLock<Vec<RowSpec>> = LazyLock::new(|| {
    let mut specs: Vec<RowSpec> = Vec::new();
    for id in TemplateId::newest_first() {
        let rows = template::template(id).table3_rows();
        for (i, row) in rows.iter().enumerate() {
            if specs.iter().any(|s| s.id == row.id.as_str()) {
                continue;
            }
            let label = row.label();
            let mut keys = vec![normalize::key(label)];
            keys.extend(row.variants.iter().map(|v| normalize::key(v)));
            // A row only an older format has goes right after the row it follows there (the
            // F2019 single `（六）` after `5.要求行政机关确认…`, before the F2021 items).
            let order = match i.checked_sub(1).map(|p| rows[p].id.as_str()) {
                Some(previous) => specs
                    .iter()
                    .position(|s| s.id == previous)
                    .map_or(specs.len(), |p| p + 1),
                None => 0,
            };
            let fuzzy_keys = keys.iter().map(|k| normalize::FuzzyKey::new(k)).collect();
            specs.insert(
                order,
                RowSpec {
                    id: row.id.as_str(),
                    order: 0,
                    keys,
                    fuzzy_keys,
                    label,
                },
            );
        }
    }
    for (i, s) in specs.iter_mut().enumerate() {
        s.order = i;
    }
    specs
});

/// The canonical order of a row id (both formats merged).
pub fn row_order(id: &str) -> Option<usize> {
    ROW_SPECS.iter().position(|s| s.id == id)
}

/// Lines that only table 3 has: they locate the table when its heading is lost.
const ANCHORS: &[&str] = &[
    "本列数据的勾稽关系",
    "申请人情况",
    "本年新收政府信息公开申请数量",
    "结转下年度继续办理",
];

pub fn read(text: &str, lines: &[Line], sections: &[Section]) -> Option<Table3> {
    let (from, to) = region(text, lines, sections)?;
    let raw = raw_rows(text, lines, from, to);
    let logical = assemble(text, &raw);
    let first_data = logical.iter().position(|r| r.spec.is_some())?;

    let header_cells: Vec<Range<usize>> = logical[..first_data]
        .iter()
        .flat_map(|r| r.all_cells.iter().cloned())
        .filter(|c| !c.is_empty())
        .collect();
    let (columns, header_readable) = header_columns(text, &header_cells);
    let header = span(&header_cells);

    let mut rows = Vec::new();
    let mut unknown = Vec::new();
    let placed = place_value_only_rows(&logical[first_data..]);
    for (row, spec) in logical[first_data..].iter().zip(placed) {
        let Some((spec, score)) = spec else {
            if is_header_debris(text, row) {
                continue;
            }
            if row.values.iter().any(|c| !c.is_empty()) || !row.labels.is_empty() {
                let label_span = span(&row.labels).unwrap_or_else(|| row.range());
                unknown.push((label_span, row.labels.clone()));
            }
            continue;
        };
        let (values, unaligned) = align(text, &row.values, &columns);
        rows.push(Table3Row {
            id: spec.id,
            label: span(&row.labels).unwrap_or_else(|| row.range()),
            label_cells: row.labels.clone(),
            range: row.range(),
            values,
            label_mismatch: (score < 1.0 && !row.fragment).then_some((score, spec.label)),
            unaligned,
            raw: row
                .values
                .iter()
                .map(|v| Cell::read(text, v.clone()))
                .collect(),
        });
    }
    let range = header
        .clone()
        .map_or(rows.first().map_or(0, |r| r.range.start), |h| h.start)
        ..rows.last().map_or(0, |r| r.range.end);
    let evidence = evidence(&rows);
    Some(Table3 {
        range,
        header,
        header_readable,
        columns,
        rows,
        unknown,
        evidence,
    })
}

/// Line indices `[from, to)` of table 3's region.
fn region(text: &str, lines: &[Line], sections: &[Section]) -> Option<(usize, usize)> {
    let line_of = |offset: usize| {
        lines
            .iter()
            .position(|l| l.range.start >= offset)
            .unwrap_or(lines.len())
    };
    if let Some(s) = sections.iter().find(|s| s.number == 3) {
        let from = s.line + 1;
        let to = line_of(s.body.end);
        if lines[from..to].iter().any(|l| has_anchor(text, l)) {
            return Some((from, to));
        }
    }
    let from = lines.iter().position(|l| has_anchor(text, l))?;
    let start = lines[from].range.start;
    let to = sections
        .iter()
        .find(|s| s.heading.start > start)
        .map_or(lines.len(), |s| s.line);
    Some((from, to))
}

fn has_anchor(text: &str, line: &Line) -> bool {
    line.anchors(text).table3
}

/// Whether a line (by its matching key) is one that only table 3 has: where the table is
/// found when its heading is lost. The formatter keeps such lines where they are.
pub fn is_anchor(key: &str) -> bool {
    ANCHORS.iter().any(|a| key.contains(a))
}

/// A row being assembled from raw rows.
#[derive(Debug, Default)]
struct Logical {
    labels: Vec<Range<usize>>,
    values: Vec<Range<usize>>,
    all_cells: Vec<Range<usize>>,
    spec: Option<(&'static RowSpec, f64)>,
    /// The matched label is a fragment of a label split across cells or lines.
    fragment: bool,
}

impl Logical {
    fn range(&self) -> Range<usize> {
        let start = self.all_cells.iter().map(|r| r.start).min().unwrap_or(0);
        let end = self.all_cells.iter().map(|r| r.end).max().unwrap_or(0);
        start..end
    }
}

fn assemble(text: &str, raw: &[RawRow]) -> Vec<Logical> {
    let mut out: Vec<Logical> = Vec::new();
    let mut last_order: Option<usize> = None;
    for row in raw.iter().filter(|r| r.kind != RawKind::Loose) {
        let label_cells: Vec<usize> = (0..row.cells.len())
            .filter(|&i| is_label(text, &row.cells[i]))
            .collect();
        let matched = match_labels(text, &row.cells, &label_cells, last_order);
        // The values start after the matched label (a stray word among the values, `十二`, stays
        // a value and is reported as invalid), else after the last label-like cell.
        let label_end = matched
            .map(|(_, _, _, at)| at)
            .or(label_cells.last().copied());
        let spec = matched.map(|(s, score, fragment, _)| (s, score, fragment));
        let (labels, values): (Vec<_>, Vec<_>) = match label_end {
            Some(i) => (
                row.cells[..=i]
                    .iter()
                    .filter(|c| !c.is_empty())
                    .map(|c| c.range.clone())
                    .collect(),
                row.cells[i + 1..].iter().map(|c| c.range.clone()).collect(),
            ),
            None => (
                Vec::new(),
                row.cells.iter().map(|c| c.range.clone()).collect(),
            ),
        };
        let all: Vec<_> = row.cells.iter().map(|c| c.range.clone()).collect();
        if labels.is_empty() && values.iter().all(|v| v.is_empty()) {
            continue; // placeholder lines of merged header cells
        }
        let continues = out.last().is_some_and(|cur| {
            if labels.is_empty() {
                // Values on lines of their own (1c) continue a labelled row that lacks values.
                !cur.labels.is_empty() && cur.values.len() < COLUMNS
            } else {
                // An item label after its group label alone on a line (`（三）不予公开` / `1.…`).
                cur.values.is_empty()
                    && (cur.spec.is_some()
                        || cur
                            .labels
                            .iter()
                            .all(|l| is_group_label(&normalize::key(&text[l.clone()]))))
                    && !cur.labels.is_empty()
            }
        });
        // A lone number that continues nothing is debris (a page's stray digit), not a row.
        if !continues && labels.is_empty() && values.len() < COLUMNS - 2 {
            continue;
        }
        if continues && let Some(cur) = out.last_mut() {
            cur.labels.extend(labels);
            cur.values.extend(values);
            cur.all_cells.extend(all);
            if let Some((s, score, fragment)) = spec {
                cur.spec = Some((s, score));
                cur.fragment = fragment;
                last_order = Some(s.order);
            }
            continue;
        }
        if let Some((s, _, _)) = spec {
            last_order = Some(s.order);
        }
        out.push(Logical {
            fragment: spec.is_some_and(|(_, _, fragment)| fragment),
            spec: spec.map(|(s, score, _)| (s, score)),
            labels,
            values,
            all_cells: all,
        });
    }
    dedupe(&mut out);
    out
}

/// A row a converter invented (`| 类别 | 数据1 | … | 总计 |`, `| 项目 | 本年新收件数 | 上年结转件数 |`,
/// a repeated header): several text cells and not one figure. Not a row of the table — no row
/// warning — and no data either.
fn is_header_debris(text: &str, row: &Logical) -> bool {
    let texts = row.labels.iter().filter(|l| !l.is_empty()).count();
    texts >= 2
        && row.values.iter().all(|v| {
            v.is_empty()
                || !matches!(
                    normalize::parse_number(&text[v.clone()]),
                    CellValue::Number(_)
                )
        })
}

/// Group labels of table 3 (`三、本年度办理结果`, `（三）不予公开`): printed once above their items.
static GROUP_KEYS: LazyLock<Vec<String>> = LazyLock::new(|| {
    let mut keys = Vec::new();
    for id in TemplateId::all() {
        for row in template::template(id).table3_rows() {
            if row.level2.is_some() {
                keys.push(normalize::key(&row.level1));
            }
            if let (Some(l2), Some(_)) = (&row.level2, &row.level3) {
                keys.push(normalize::key(l2));
            }
        }
    }
    keys.sort();
    keys.dedup();
    keys
});

fn is_group_label(key: &str) -> bool {
    GROUP_KEYS.iter().any(|k| k == key)
}

/// Each template row once: a later row matched to an already used id loses its match.
fn dedupe(rows: &mut [Logical]) {
    let mut seen: Vec<&'static str> = Vec::new();
    for row in rows.iter_mut() {
        if let Some((spec, _)) = row.spec {
            if seen.contains(&spec.id) {
                row.spec = None;
            } else {
                seen.push(spec.id);
            }
        }
    }
}

/// Similarity (0–1) above which a label is taken as a (mistyped) template label.
const FUZZY: f64 = 0.7;
/// A fragment must have at least this many characters to identify a row.
const MIN_FRAGMENT: usize = 4;

/// Matches a row's label cells (indices into `cells`), most specific (last) first: exact
/// matches first — of a whole cell or of the words after a space in it (`（六）其他处理 1.申请人…`
/// from PDF text) — then fuzzy and fragment matches. Returns the row, the similarity, whether
/// the match was by fragment, and the index of the matched cell.
fn match_labels(
    text: &str,
    cells: &[super::lines::CellSpan],
    label_cells: &[usize],
    after: Option<usize>,
) -> Option<(&'static RowSpec, f64, bool, usize)> {
    let specs: &'static [RowSpec] = &ROW_SPECS;
    // The key of each whole label cell, last cell first (computed once, used by every step).
    let mut whole: Vec<String> = Vec::with_capacity(label_cells.len());
    for &i in label_cells.iter().rev() {
        let cell = &text[cells[i].range.clone()];
        let key = normalize::key(cell);
        if let Some(s) = specs.iter().find(|s| s.keys.contains(&key)) {
            return Some((s, 1.0, false, i));
        }
        whole.push(key);
        let starts = cell
            .char_indices()
            .filter(|(_, c)| super::lines::is_space(*c))
            .map(|(b, c)| b + c.len_utf8());
        for start in starts {
            let key = normalize::key(&cell[start..]);
            if let Some(s) = specs.iter().find(|s| s.keys.contains(&key)) {
                return Some((s, 1.0, false, i));
            }
        }
    }
    for (&i, key) in label_cells.iter().rev().zip(&whole) {
        if let Some((s, score, fragment)) = match_key(key, after) {
            return Some((s, score, fragment, i));
        }
    }
    // A label split over two cells (`（四）无` | `法提供`, `缴纳费用、` | `行政机关不再…`).
    if label_cells.len() > 1 {
        let key: String = whole.iter().rev().map(String::as_str).collect();
        let last = *label_cells.last()?;
        return match_key(&key, after).map(|(s, score, fragment)| (s, score, fragment, last));
    }
    None
}

fn match_key(key: &str, after: Option<usize>) -> Option<(&'static RowSpec, f64, bool)> {
    if key.is_empty() {
        return None;
    }
    let specs: &'static [RowSpec] = &ROW_SPECS;
    if let Some(s) = specs.iter().find(|s| s.keys.iter().any(|k| k == key)) {
        return Some((s, 1.0, false));
    }
    // Tie-break by order: the first candidate after the last matched row, else the first.
    let rank = |s: &RowSpec| match after {
        Some(a) if s.order > a => s.order - a,
        Some(_) => specs.len() + s.order,
        None => s.order,
    };
    let fuzzy_key = normalize::FuzzyKey::new(key);
    let fuzzy = specs
        .iter()
        .map(|s| {
            (
                s,
                s.fuzzy_keys
                    .iter()
                    .filter_map(|k| k.similarity_at_least(&fuzzy_key, FUZZY))
                    .fold(0.0, f64::max),
            )
        })
        .filter(|&(_, score)| score >= FUZZY)
        .max_by(|a, b| a.1.total_cmp(&b.1).then(rank(b.0).cmp(&rank(a.0))));
    if let Some((s, score)) = fuzzy {
        return Some((s, score, false));
    }
    if fuzzy_key.len() < MIN_FRAGMENT {
        return None;
    }
    specs
        .iter()
        .filter(|s| {
            s.keys.iter().any(|k| {
                contains(k, key) || (contains(key, k) && k.chars().count() >= MIN_FRAGMENT)
            })
        })
        .min_by_key(|s| rank(s))
        .map(|s| (s, 0.9, true))
}

/// `haystack.contains(needle)` for short keys: a plain scan, no searcher to set up (a byte match
/// of valid UTF-8 in valid UTF-8 always starts on a character boundary).
fn contains(haystack: &str, needle: &str) -> bool {
    let (h, n) = (haystack.as_bytes(), needle.as_bytes());
    let Some((&first, rest)) = n.split_first() else {
        return true;
    };
    n.len() <= h.len()
        && h.windows(n.len())
            .any(|w| w[0] == first && w[1..].iter().eq(rest))
}

/// For each row from the first matched one: its template row. Value-only rows between two
/// matched rows take the template rows missing between them, in order, when the counts agree.
fn place_value_only_rows(rows: &[Logical]) -> Vec<Option<(&'static RowSpec, f64)>> {
    let specs: &'static [RowSpec] = &ROW_SPECS;
    let mut out: Vec<Option<(&'static RowSpec, f64)>> = rows.iter().map(|r| r.spec).collect();
    let used: Vec<&str> = rows
        .iter()
        .filter_map(|r| r.spec.map(|(s, _)| s.id))
        .collect();
    let mut i = 0;
    while i < rows.len() {
        if out[i].is_some() || !rows[i].labels.is_empty() {
            i += 1;
            continue;
        }
        let run_start = i;
        while i < rows.len() && out[i].is_none() && rows[i].labels.is_empty() {
            i += 1;
        }
        let before = out[..run_start]
            .iter()
            .rev()
            .find_map(|s| *s)
            .map_or(0, |(s, _)| s.order + 1);
        let after = out[i..]
            .iter()
            .find_map(|s| *s)
            .map_or(specs.len(), |(s, _)| s.order);
        let run = i - run_start;
        let gap = |skip: fn(&str) -> bool| -> Vec<&'static RowSpec> {
            specs
                .iter()
                .filter(|s| {
                    s.order >= before && s.order < after && !used.contains(&s.id) && !skip(s.id)
                })
                .collect()
        };
        // A part kept as one row or split into items (`（六）`: one row in F2019, three in
        // F2021): try the split shape first, then the single row.
        let split = gap(is_collapse_row);
        let gap = if split.len() == run {
            split
        } else {
            gap(is_replaced_row)
        };
        if gap.len() == run {
            for (k, spec) in gap.into_iter().enumerate() {
                out[run_start + k] = Some((spec, 1.0));
            }
        }
    }
    out
}

/// Names of the seven columns, as keys.
const COLUMN_KEYS: [&str; COLUMNS] = [
    "自然人",
    "商业企业",
    "科研机构",
    "社会公益组织",
    "法律服务机构",
    "其他",
    "总计",
];

/// Which columns the header has, and whether it is readable (names all six applicant columns).
fn header_columns(text: &str, cells: &[Range<usize>]) -> ([bool; COLUMNS], bool) {
    let keys: Vec<String> = cells
        .iter()
        .map(|c| normalize::key(&text[c.clone()]))
        .collect();
    let mut found = [false; COLUMNS];
    for (i, name) in COLUMN_KEYS.iter().enumerate() {
        found[i] = keys
            .iter()
            .any(|k| k == name || (i != 5 && k.ends_with(name)));
    }
    if found[..6].iter().all(|&f| f) {
        (found, true)
    } else {
        ([true; COLUMNS], false)
    }
}

/// Maps a row's value cells to the template columns.
fn align(
    text: &str,
    values: &[Range<usize>],
    columns: &[bool; COLUMNS],
) -> (Vec<Option<Cell>>, bool) {
    let expected = columns.iter().filter(|&&c| c).count();
    let mut cells: &[Range<usize>] = values;
    while cells.len() > expected && cells.first().is_some_and(Range::is_empty) {
        cells = &cells[1..];
    }
    while cells.len() > expected && cells.last().is_some_and(Range::is_empty) {
        cells = &cells[..cells.len() - 1];
    }
    let mut out = vec![None; COLUMNS];
    if cells.len() != expected {
        return (out, !values.is_empty());
    }
    let present = columns
        .iter()
        .enumerate()
        .filter(|(_, c)| **c)
        .map(|(i, _)| i);
    for (column, range) in present.zip(cells) {
        out[column] = Some(Cell::read(text, range.clone()));
    }
    (out, false)
}

/// Whether a row id is the single row that stands for several items in some format.
fn is_collapse_row(id: &str) -> bool {
    template::templates()
        .iter()
        .any(|t| t.table3.collapses.iter().any(|c| c.row.id == id))
}

/// Whether a row id is an item that a single row stands for in some format.
fn is_replaced_row(id: &str) -> bool {
    template::templates().iter().any(|t| {
        t.table3
            .collapses
            .iter()
            .any(|c| c.replaces.iter().any(|r| r == id))
    })
}

/// Rows that not every format has, as evidence of those that do: the first such row. Described by
/// what makes it special — a part kept as one row, or split into items.
fn evidence(rows: &[Table3Row]) -> Vec<FormatEvidence> {
    let all = template::templates();
    rows.iter()
        .filter_map(|r| {
            let owners: Vec<&template::Template> = all
                .iter()
                .filter(|t| t.table3_rows().iter().any(|o| o.id == r.id))
                .collect();
            if owners.is_empty() || owners.len() == all.len() {
                return None;
            }
            let spec = owners[0].table3_row(r.id)?;
            let part = spec.level2.as_deref().unwrap_or(spec.label());
            let what = if is_collapse_row(r.id) {
                format!("表三“{part}”为单行")
            } else if let Some(c) = all
                .iter()
                .flat_map(|t| &t.table3.collapses)
                .find(|c| c.replaces.iter().any(|x| x == r.id))
            {
                let n = c.replaces.len();
                let n = u32::try_from(n)
                    .ok()
                    .and_then(normalize::to_chinese_numeral)
                    .unwrap_or_else(|| n.to_string());
                format!("表三“{part}”分为{n}项")
            } else {
                format!("表三有“{}”行", spec.label())
            };
            Some(FormatEvidence {
                formats: owners.iter().map(|t| t.template_id()).collect(),
                range: r.label.clone(),
                what,
            })
        })
        .take(1)
        .collect()
}
