//! The canonical layout as a plan: every line of the input belongs to exactly one [`Unit`], which
//! says what that run of lines becomes. Units are what the edits, range formatting and the full
//! output are made of, so the three never disagree.
//!
//! Decisions (README, section “Formatting”):
//! - prose, headings, titles, page numbers: trailing whitespace removed, nothing else;
//! - TAB rows: each cell trimmed, cells joined by one TAB (empty cells, trailing ones included,
//!   are kept: a TAB is a cell boundary, not whitespace);
//! - one-cell-per-line rows (layout 1b): joined into one TAB row, a continuation line glued to
//!   its cell; rows that cannot be written as one TAB row that reads the same are kept one cell
//!   per line (`⇥cell`, trimmed);
//! - `|` rows: `| a | b |`, keeping exactly the pipes written, cells padded to the display width
//!   of their column within a run of adjacent `|` rows;
//! - blank lines: none at the start or end, never two in a row, none between the rows of a table
//!   where the blank line does not end a one-cell-per-line row, exactly one before each section
//!   heading; the text ends with one line break; line breaks are the file's (its first one);
//! - ERROR regions and tables the model did not read: byte for byte as they are.

use std::ops::Range;

use tree_sitter::{Node, Tree};
use unicode_width::UnicodeWidthStr;

use crate::diagnostics::Diagnostic;
use crate::model::{self, Line, LineKind, Report};
use crate::normalize;
use crate::syntax::{self, kinds};

/// A run of whole input lines and what it becomes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unit {
    /// Input bytes: whole lines, line breaks included.
    pub src: Range<usize>,
    /// Output bytes, line breaks included (empty: the lines are removed).
    pub out: String,
    /// The table the unit belongs to (range formatting takes a table whole).
    pub table: Option<usize>,
}

/// What an item is, for the blank-line rules.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Blank,
    /// A top-level section heading (model sections).
    Heading,
    Text,
    Page,
    /// A row that ends itself: a TAB or `|` row.
    Row,
    /// A line of a one-cell-per-line row kept as it is: the row goes on after it.
    OpenCell,
    /// Left as it is (ERROR region, unread table, or a rewrite that would not be lossless).
    Raw,
}

#[derive(Clone, Debug)]
enum Out {
    Text(String),
    /// The input lines verbatim.
    Raw,
    Pipe(PipeRow),
}

#[derive(Clone, Debug)]
struct Item {
    /// Line indices.
    lines: Range<usize>,
    kind: Kind,
    out: Out,
    table: Option<usize>,
    /// Left exactly as written: blank lines next to it stay.
    verbatim: bool,
    removed: bool,
    blank_before: bool,
}

/// A `|` row: its cells (trimmed) and whether it starts / ends with a pipe.
#[derive(Clone, Debug)]
struct PipeRow {
    cells: Vec<String>,
    lead: bool,
    trail: bool,
}

/// Everything the planner reads.
pub struct Input<'a> {
    pub text: &'a str,
    pub tree: &'a Tree,
    pub report: &'a Report,
    pub diagnostics: &'a [Diagnostic],
}

/// The plan of the whole text.
pub fn plan(input: &Input<'_>) -> Vec<Unit> {
    let text = input.text;
    let lines = &input.report.lines;
    if lines.is_empty() {
        return Vec::new();
    }
    let ends: Vec<usize> = (0..lines.len())
        .map(|i| lines.get(i + 1).map_or(text.len(), |l| l.range.start))
        .collect();

    let mut frozen = vec![false; lines.len()];
    let mut tables: Vec<(usize, usize)> = Vec::new();
    scan_tree(input.tree.root_node(), lines, &mut frozen, &mut tables);
    for (i, line) in lines.iter().enumerate() {
        // Suppression comments are read by their text, whatever the grammar made of the line.
        if line.kind == LineKind::Other || is_comment(line.text(text)) {
            frozen[i] = true;
        }
    }
    // The blank lines around a frozen region stay too (error recovery looks at them).
    for i in 0..lines.len() {
        if !frozen[i] {
            continue;
        }
        for j in (0..i)
            .rev()
            .take_while(|&j| lines[j].kind == LineKind::Blank)
        {
            frozen[j] = true;
        }
    }
    for i in (0..lines.len()).rev() {
        if !frozen[i] {
            continue;
        }
        for j in (i + 1..lines.len()).take_while(|&j| lines[j].kind == LineKind::Blank) {
            frozen[j] = true;
        }
    }
    // A message that quotes text with whitespace in it (a label over two lines or across
    // pipes, a cell broken over lines) changes if that whitespace does: its lines stay.
    for d in input.diagnostics {
        let quoted = std::iter::once((&d.range, &d.message))
            .chain(d.related.iter().map(|r| (&r.range, &r.message)));
        for (range, message) in quoted {
            let Some(span) = text.get(range.clone()) else {
                continue;
            };
            let span = span.trim();
            let quotes_space = span.contains(char::is_whitespace) && message.contains(span);
            if quotes_space || message.contains(['\n', '\r']) {
                let (a, b) = line_span(lines, range.start, range.end);
                frozen[a..=b].iter_mut().for_each(|f| *f = true);
            }
        }
    }
    let read = read_ranges(input.report);
    // Table regions: from the first to the last table line of each grammar table.
    let mut region_of: Vec<Option<usize>> = vec![None; lines.len()];
    let mut regions: Vec<(usize, usize)> = Vec::new();
    for &(first, last) in &tables {
        let Some(last) = (first..=last).rev().find(|&i| lines[i].is_table_line()) else {
            continue;
        };
        let span = lines[first].range.start..lines[last].range.end;
        let known = read
            .iter()
            .any(|r| r.start <= span.end && span.start <= r.end);
        if !known {
            frozen[first..=last].iter_mut().for_each(|f| *f = true);
            continue;
        }
        let id = regions.len();
        regions.push((first, last));
        region_of[first..=last]
            .iter_mut()
            .for_each(|r| *r = Some(id));
    }
    let headings: Vec<usize> = input.report.sections.iter().map(|s| s.line).collect();
    let targets = suppression_targets(text, lines);

    let ctx = Ctx {
        text,
        lines,
        frozen: &frozen,
        targets: &targets,
    };
    let mut items: Vec<Item> = Vec::with_capacity(lines.len());
    let mut i = 0;
    while i < lines.len() {
        if let Some(id) = region_of[i] {
            let (first, last) = regions[id];
            ctx.table(first, last, id, &mut items);
            i = last + 1;
            continue;
        }
        let line = &lines[i];
        let item = if frozen[i] {
            ctx.raw(i, None)
        } else {
            match line.kind {
                LineKind::Blank => ctx.item(i, Kind::Blank, String::new(), None),
                LineKind::PageNumber => ctx.prose(i, Kind::Page, None),
                _ if headings.contains(&i) => ctx.prose(i, Kind::Heading, None),
                _ => ctx.prose(i, Kind::Text, None),
            }
        };
        items.push(item);
        i += 1;
    }

    blank_lines(&mut items);
    let widths = pipe_widths(&items);
    // The line break of the first line that stays: formatted text then starts with the break
    // it is written with, so formatting it again keeps it.
    let eol = items
        .iter()
        .find(|item| !item.removed)
        .map_or("\n", |item| {
            let i = item.lines.start;
            line_break(&text[lines[i].range.start..ends[i]])
        });

    items
        .iter()
        .enumerate()
        .map(|(k, item)| {
            let src = lines[item.lines.start].range.start..ends[item.lines.end - 1];
            let out = if item.removed {
                String::new()
            } else {
                let mut out = String::new();
                if item.blank_before {
                    out.push_str(eol);
                }
                match &item.out {
                    Out::Text(s) => {
                        out.push_str(s);
                        out.push_str(eol);
                    }
                    // Even without a final line break: adding one can change how the grammar
                    // recovers from the error.
                    Out::Raw => out.push_str(&text[src.clone()]),
                    Out::Pipe(row) => {
                        out.push_str(&render_pipe(row, widths[k].as_deref().unwrap_or(&[])));
                        out.push_str(eol);
                    }
                }
                out
            };
            Unit {
                src,
                out,
                table: item.table,
            }
        })
        .collect()
}

/// The line break of a text: that of its first line (`\n` when it has none).
pub fn line_break(text: &str) -> &'static str {
    match text.find('\n') {
        Some(i) if i > 0 && text.as_bytes()[i - 1] == b'\r' => "\r\n",
        _ => "\n",
    }
}

/// Byte ranges of everything the model read as table 2, 3 or 4.
fn read_ranges(report: &Report) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    if let Some(t) = &report.table2 {
        out.push(t.range.clone());
        out.extend(t.rows.iter().map(|r| r.label.clone()));
    }
    if let Some(t) = &report.table3 {
        out.push(t.range.clone());
        out.extend(t.header.clone());
    }
    if let Some(t) = &report.table4 {
        out.push(t.range.clone());
        out.extend(t.header.clone());
        out.extend(t.data.clone());
    }
    out
}

/// Marks lines touched by ERROR / MISSING nodes as frozen and collects grammar tables as line
/// index pairs (first, last).
fn scan_tree(
    node: Node<'_>,
    lines: &[Line],
    frozen: &mut [bool],
    tables: &mut Vec<(usize, usize)>,
) {
    if node.is_error() || node.is_missing() {
        let (a, b) = line_span(lines, node.start_byte(), node.end_byte());
        frozen[a..=b].iter_mut().for_each(|f| *f = true);
        return;
    }
    if node.kind() == kinds::TABLE {
        let (a, b) = line_span(lines, node.start_byte(), node.end_byte());
        // A table with an error in it is left whole: how the grammar recovers depends on the
        // lines around the error.
        if node.has_error() {
            frozen[a..=b].iter_mut().for_each(|f| *f = true);
        } else {
            tables.push((a, b));
        }
        return;
    }
    if node.child_count() == 0 || !(node.has_error() || may_hold_tables(node.kind())) {
        return;
    }
    let mut cursor = node.walk();
    for child in node.children(&mut cursor) {
        scan_tree(child, lines, frozen, tables);
    }
}

fn may_hold_tables(kind: &str) -> bool {
    matches!(kind, kinds::DOCUMENT | kinds::SECTION)
}

/// The indices of the first and last line a byte span touches (an empty span: its line).
fn line_span(lines: &[Line], start: usize, end: usize) -> (usize, usize) {
    let line_at = |offset: usize| {
        lines
            .partition_point(|l| l.range.start <= offset)
            .saturating_sub(1)
    };
    let a = line_at(start);
    // A node ends after its line break: the last line is the one holding the last byte.
    let b = if end > start { line_at(end - 1) } else { a };
    (a, b.max(a))
}

/// Lines a `<!-- nianbao-disable-next-line … -->` comment points at: the line's extent decides
/// what it silences, so such a line is never joined with others.
fn suppression_targets(text: &str, lines: &[Line]) -> Vec<usize> {
    let mut out = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        if !is_comment(line.text(text)) {
            continue;
        }
        if let Some(j) = (i + 1..lines.len())
            .find(|&j| lines[j].kind != LineKind::Blank && !is_comment(lines[j].text(text)))
        {
            out.push(j);
        }
    }
    out
}

/// `# ` (an ATX mark, `#` to `######` and a space) with nothing after it: the space is what makes
/// it a mark. Without it `#` is text, which right after a cell line continues that cell instead
/// of opening a paragraph, so the formatter keeps such a line as it is.
fn is_bare_markdown_mark(trimmed: &str, tail: &str) -> bool {
    let hashes = trimmed.trim_start_matches(model::lines::is_space);
    (1..=6).contains(&hashes.len())
        && hashes.bytes().all(|b| b == b'#')
        && tail.starts_with([' ', '\u{3000}'])
}

fn is_comment(line: &str) -> bool {
    let t = line.trim();
    t.starts_with("<!--") && t.contains("nianbao-disable")
}

struct Ctx<'a> {
    text: &'a str,
    lines: &'a [Line],
    frozen: &'a [bool],
    targets: &'a [usize],
}

impl Ctx<'_> {
    /// An item of one line, or the line verbatim when `out` would not be lossless.
    fn item(&self, i: usize, kind: Kind, out: String, table: Option<usize>) -> Item {
        if !same_visible(self.lines[i].text(self.text), &out) {
            return self.raw(i, table);
        }
        Item {
            lines: i..i + 1,
            kind,
            out: Out::Text(out),
            table,
            verbatim: false,
            removed: false,
            blank_before: false,
        }
    }

    /// A line of text with its trailing whitespace removed — unless that changes what the
    /// grammar makes of it: `P. 9` + NBSP is prose, `P. 9` a page number; a line of nothing but
    /// em spaces is prose, an empty line is blank. The page-number token allows only spaces and
    /// U+3000 after it, and other space characters than the grammar's are text, so only lines
    /// ending in such characters are parsed again, alone, with and without them.
    fn prose(&self, i: usize, kind: Kind, table: Option<usize>) -> Item {
        let line = self.lines[i].text(self.text);
        let trimmed = trim_end(line);
        let tail = &line[trimmed.len()..];
        if is_bare_markdown_mark(&trimmed, tail) {
            return self.raw(i, table);
        }
        if tail.chars().any(|c| c != ' ' && c != '\u{3000}') {
            let alone = |s: &str| syntax::to_sexp(&syntax::parse(&format!("{s}\n")));
            if alone(line) != alone(&trimmed) {
                return self.raw(i, table);
            }
        }
        self.item(i, kind, trimmed, table)
    }

    /// The line verbatim.
    fn raw(&self, i: usize, table: Option<usize>) -> Item {
        Item {
            lines: i..i + 1,
            kind: self.raw_kind(i),
            out: Out::Raw,
            table,
            verbatim: true,
            removed: false,
            blank_before: false,
        }
    }

    /// What a verbatim line is for the blank-line rules: whether it ends or continues a
    /// one-cell-per-line row, or is blank (never removed, but no other blank line joins it);
    /// never a heading to space.
    fn raw_kind(&self, i: usize) -> Kind {
        match self.lines[i].kind {
            LineKind::Blank => Kind::Blank,
            LineKind::PageNumber => Kind::Page,
            LineKind::TableRow => Kind::Row,
            LineKind::CellLine | LineKind::Continuation => Kind::OpenCell,
            _ => Kind::Raw,
        }
    }

    /// The lines `first..=last` of a table the model read.
    fn table(&self, first: usize, last: usize, id: usize, items: &mut Vec<Item>) {
        let table = Some(id);
        // The one-cell-per-line row being collected: its lines (cells, continuations, page
        // numbers between them).
        let mut open: Vec<usize> = Vec::new();
        for i in first..=last {
            let line = &self.lines[i];
            let member = matches!(line.kind, LineKind::CellLine)
                || !open.is_empty()
                    && matches!(line.kind, LineKind::Continuation | LineKind::PageNumber);
            if self.frozen[i] && !member {
                self.flush(&mut open, id, items);
                items.push(self.raw(i, table));
                continue;
            }
            match line.kind {
                LineKind::CellLine => open.push(i),
                LineKind::Continuation | LineKind::PageNumber if !open.is_empty() => open.push(i),
                LineKind::Continuation => items.push(self.prose(i, Kind::OpenCell, table)),
                LineKind::PageNumber => {
                    items.push(self.prose(i, Kind::Page, table));
                }
                LineKind::Blank => {
                    self.flush(&mut open, id, items);
                    items.push(self.item(i, Kind::Blank, String::new(), table));
                }
                LineKind::TableRow => {
                    self.flush(&mut open, id, items);
                    items.push(self.table_row(i, id));
                }
                _ => {
                    self.flush(&mut open, id, items);
                    items.push(self.prose(i, Kind::Text, table));
                }
            }
        }
        self.flush(&mut open, id, items);
    }

    /// A TAB or `|` row.
    fn table_row(&self, i: usize, id: usize) -> Item {
        let line = self.lines[i].text(self.text);
        let table = Some(id);
        if line.contains('\t') {
            let cells: Vec<String> = line.split('\t').map(trim).collect();
            // `⇥x` alone is a one-cell line, not a row of two cells: a row whose first cell is
            // space the grammar reads as text (an em space) keeps it.
            if cells.len() == 2 && cells[0].is_empty() {
                return self.raw(i, table);
            }
            return self.item(i, Kind::Row, cells.join("\t"), table);
        }
        let row = pipe_row(line);
        if row.cells.is_empty() {
            return self.item(i, Kind::Row, trim(line), table);
        }
        let probe = render_pipe(&row, &[]);
        if !same_visible(line, &probe) {
            return self.raw(i, table);
        }
        Item {
            lines: i..i + 1,
            kind: Kind::Row,
            out: Out::Pipe(row),
            table,
            verbatim: false,
            removed: false,
            blank_before: false,
        }
    }

    /// Ends the open one-cell-per-line row: one TAB row when that reads the same, else the lines
    /// one by one.
    fn flush(&self, open: &mut Vec<usize>, id: usize, items: &mut Vec<Item>) {
        if open.is_empty() {
            return;
        }
        // Page numbers after the last cell are not inside the row.
        let mut after = Vec::new();
        while open
            .last()
            .is_some_and(|&i| self.lines[i].kind == LineKind::PageNumber)
        {
            after.extend(open.pop());
        }
        after.reverse();
        let lines = std::mem::take(open);
        match self.joined(&lines) {
            Ok(row) => items.push(Item {
                lines: lines[0]..lines[lines.len() - 1] + 1,
                kind: Kind::Row,
                out: Out::Text(row),
                table: Some(id),
                verbatim: false,
                removed: false,
                blank_before: false,
            }),
            Err(Keep) => {
                for &i in &lines {
                    let line = &self.lines[i];
                    let item = match line.kind {
                        _ if self.frozen[i] => self.raw(i, Some(id)),
                        LineKind::CellLine => {
                            let s = line.text(self.text);
                            let cell = s.find('\t').map_or(s, |t| &s[t + 1..]);
                            self.item(i, Kind::OpenCell, format!("\t{}", trim(cell)), Some(id))
                        }
                        // Trailing space only: without its leading space a continuation can
                        // read as a heading (`\u{2003}三、…`).
                        LineKind::Continuation => self.prose(i, Kind::OpenCell, Some(id)),
                        _ => self.prose(i, Kind::Page, Some(id)),
                    };
                    items.push(item);
                }
            }
        }
        for i in after {
            let item = if self.frozen[i] {
                self.raw(i, Some(id))
            } else {
                self.prose(i, Kind::Page, Some(id))
            };
            items.push(item);
        }
    }

    /// The one-line TAB row of a one-cell-per-line row, if it reads as the same cells.
    fn joined(&self, lines: &[usize]) -> Result<String, Keep> {
        if lines.iter().any(|&i| {
            self.frozen[i]
                || self.lines[i].kind == LineKind::PageNumber
                || self.targets.contains(&i)
        }) {
            return Err(Keep);
        }
        let mut cells: Vec<String> = Vec::new();
        // Each cell as the model reads it (its lines joined by a newline), where it has a
        // continuation: the glued cell must read the same (`减` / `1` is no number, `减1` is).
        let mut spread: Vec<Option<String>> = Vec::new();
        for &i in lines {
            let line = &self.lines[i];
            let s = line.text(self.text);
            match line.kind {
                LineKind::CellLine => {
                    let tab = s.find('\t').ok_or(Keep)?;
                    if !s[..tab].chars().all(char::is_whitespace) {
                        return Err(Keep);
                    }
                    cells.push(trim(&s[tab + 1..]));
                    spread.push(None);
                }
                LineKind::Continuation => {
                    let more = trim(s);
                    let cell = cells.last_mut().ok_or(Keep)?;
                    if let Some(written) = spread.last_mut() {
                        let written = written.get_or_insert_with(|| cell.clone());
                        written.push('\n');
                        written.push_str(&more);
                    }
                    if cell.is_empty() {
                        *cell = more;
                    } else if !more.is_empty() {
                        if model::rows::glued_with_space(cell, &more) {
                            cell.push(' ');
                        }
                        cell.push_str(&more);
                    }
                }
                _ => return Err(Keep),
            }
        }
        let reads_alike = cells.iter().zip(&spread).all(|(cell, written)| {
            written
                .as_ref()
                .is_none_or(|w| normalize::parse_number(w) == normalize::parse_number(cell))
        });
        if !reads_alike {
            return Err(Keep);
        }
        // `⇥x` alone, or `⇥` + `⇥x`, is not a TAB row; nor is `⇥␣` + `⇥x` for a space the
        // formatter keeps (a BOM: space to the grammar, a character to keep to the formatter).
        let n = cells.len();
        if n < 2 || (n == 2 && cells[0].chars().all(model::lines::is_space)) {
            return Err(Keep);
        }
        let row = cells.join("\t");
        let original = &self.text
            [self.lines[lines[0]].range.start..self.lines[lines[lines.len() - 1]].range.end];
        if !same_visible(original, &row) {
            return Err(Keep);
        }
        // The model locates tables (and the report period) by the text of single lines: the
        // joined line must say what its first line said, and no later line may say more.
        let first = &self.lines[lines[0]];
        let first_cells = first.cells.iter().map(|c| &self.text[c.range.clone()]);
        let before = Signals::of(first.text(self.text), first_cells);
        let after = Signals::of(&row, cells.iter().map(String::as_str));
        let later = lines[1..].iter().map(|&i| {
            let l = &self.lines[i];
            Signals::of(
                l.text(self.text),
                l.cells.iter().map(|c| &self.text[c.range.clone()]),
            )
        });
        if before.period || after.period || after != before {
            return Err(Keep);
        }
        for signals in later {
            if signals.period || !signals.within(&before) {
                return Err(Keep);
            }
        }
        Ok(row)
    }
}

/// What the model looks for in the text of a single line — asked of the model itself
/// (`table2::is_anchor`, `table3::is_anchor`, `table4::is_anchor`, `year::is_period_line`): the
/// lines that locate a table when its section heading is lost, and the report period.
/// Joining the lines of a row must not move these; the safety net in [`super::format_with`]
/// catches any the list misses.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Signals {
    table2: bool,
    table3: bool,
    table4: bool,
    period: bool,
}

impl Signals {
    fn of<'c>(line: &str, cells: impl Iterator<Item = &'c str>) -> Self {
        let anchors = model::lines::Anchors::of(&normalize::key(line), cells);
        Self {
            table2: anchors.table2,
            table3: anchors.table3,
            table4: anchors.table4,
            period: model::year::is_period_line(line),
        }
    }

    /// Every signal of `self` is also one of `other`.
    fn within(&self, other: &Self) -> bool {
        (!self.table2 || other.table2)
            && (!self.table3 || other.table3)
            && (!self.table4 || other.table4)
            && (!self.period || other.period)
    }
}

/// A one-cell-per-line row that is not joined: written line by line, each trimmed (`⇥cell`).
struct Keep;

/// The blank-line rules, on the items in order.
fn blank_lines(items: &mut [Item]) {
    let n = items.len();
    // Index of the next item that is not a blank line, for each position.
    let mut next_solid = vec![None; n + 1];
    for k in (0..n).rev() {
        next_solid[k] = if items[k].kind == Kind::Blank {
            next_solid[k + 1]
        } else {
            Some(k)
        };
    }
    let mut prev_kept: Option<usize> = None;
    // Whether a one-cell-per-line row is open before the current item (per table).
    let mut open = false;
    let mut open_table = None;
    for k in 0..n {
        let item = &items[k];
        if item.table != open_table {
            open = false;
            open_table = item.table;
        }
        match item.kind {
            Kind::Blank if item.verbatim => {
                open = false;
                prev_kept = Some(k);
            }
            Kind::Blank => {
                let next = next_solid[k + 1];
                let prev_blank = prev_kept.is_none_or(|p| items[p].kind == Kind::Blank);
                let inner = item.table.is_some()
                    && prev_kept
                        .is_some_and(|p| items[p].table == item.table && !items[p].verbatim)
                    && next.is_some_and(|q| items[q].table == item.table && !items[q].verbatim);
                let ends_nothing = !open || next.is_some_and(|q| items[q].kind == Kind::Row);
                let remove = prev_blank || next.is_none() || (inner && ends_nothing);
                if remove {
                    items[k].removed = true;
                } else {
                    open = false;
                    prev_kept = Some(k);
                }
            }
            Kind::Heading => {
                if prev_kept.is_some_and(|p| items[p].kind != Kind::Blank) {
                    items[k].blank_before = true;
                }
                open = false;
                prev_kept = Some(k);
            }
            kind => {
                match kind {
                    Kind::OpenCell => open = true,
                    Kind::Page => {}
                    _ => open = false,
                }
                prev_kept = Some(k);
            }
        }
    }
}

/// Column widths for each `|` row: per run of adjacent `|` rows (removed blank lines between
/// them do not count), the widest cell of each column among rows of two or more cells.
fn pipe_widths(items: &[Item]) -> Vec<Option<Vec<usize>>> {
    let mut out: Vec<Option<Vec<usize>>> = vec![None; items.len()];
    let mut run: Vec<usize> = Vec::new();
    let finish = |run: &mut Vec<usize>, out: &mut Vec<Option<Vec<usize>>>| {
        let mut widths: Vec<usize> = Vec::new();
        for &k in run.iter() {
            if let Out::Pipe(row) = &items[k].out
                && row.cells.len() >= 2
            {
                if widths.len() < row.cells.len() {
                    widths.resize(row.cells.len(), 0);
                }
                for (w, c) in widths.iter_mut().zip(&row.cells) {
                    *w = (*w).max(c.width());
                }
            }
        }
        for &k in run.iter() {
            out[k] = Some(widths.clone());
        }
        run.clear();
    };
    for (k, item) in items.iter().enumerate() {
        if item.removed {
            continue;
        }
        let is_pipe = matches!(item.out, Out::Pipe(_));
        let same_table = run.last().is_some_and(|&p| items[p].table == item.table);
        if is_pipe && (run.is_empty() || same_table) && !item.blank_before {
            run.push(k);
        } else {
            finish(&mut run, &mut out);
            if is_pipe {
                run.push(k);
            }
        }
    }
    finish(&mut run, &mut out);
    out
}

/// Splits a `|` line the way the model does: the empty text before a leading and after a
/// trailing pipe is not a cell.
fn pipe_row(line: &str) -> PipeRow {
    let mut cells: Vec<String> = line.split('|').map(trim).collect();
    let lead = line.trim_start().starts_with('|') && cells.first().is_some_and(String::is_empty);
    if lead {
        cells.remove(0);
    }
    let trail = line.trim_end().ends_with('|') && cells.last().is_some_and(String::is_empty);
    if trail {
        cells.pop();
    }
    PipeRow { cells, lead, trail }
}

/// `| a | b |` with each cell but an unframed last one padded to its column's width.
fn render_pipe(row: &PipeRow, widths: &[usize]) -> String {
    let mut out = String::new();
    if row.lead {
        out.push_str("| ");
    }
    let last = row.cells.len().saturating_sub(1);
    for (j, cell) in row.cells.iter().enumerate() {
        if j > 0 {
            out.push_str(" | ");
        }
        out.push_str(cell);
        if row.cells.len() >= 2 && (j < last || row.trail) {
            let pad = widths
                .get(j)
                .copied()
                .unwrap_or(0)
                .saturating_sub(cell.width());
            out.extend(std::iter::repeat_n(' ', pad));
        }
    }
    if row.trail {
        out.push_str(" |");
    }
    out
}

fn trim(s: &str) -> String {
    s.trim_matches(char::is_whitespace).to_string()
}

fn trim_end(s: &str) -> String {
    s.trim_end_matches(char::is_whitespace).to_string()
}

/// Whether two strings are equal once every whitespace character is removed.
pub fn same_visible(a: &str, b: &str) -> bool {
    a.chars()
        .filter(|c| !c.is_whitespace())
        .eq(b.chars().filter(|c| !c.is_whitespace()))
}
