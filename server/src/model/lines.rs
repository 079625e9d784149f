//! The first step from syntax to model: the document as a list of classified lines, each table
//! line split into cells with exact byte ranges. Everything after this works on lines and cells,
//! not on tree nodes, so every table reader sees the same shape whatever the layout.

use std::ops::Range;
use std::sync::OnceLock;

use tree_sitter::{Node, Tree};

use super::prose::{self, Stated};
use super::sections::{self, HeadingMatch};
use crate::normalize;
use crate::syntax::kinds;

/// A value derived from a line's text alone, computed on first use and kept with the line. It
/// is a cache, not content: it prints as `Memo` and compares equal, so a line read again equals
/// one kept from before an edit whatever either has computed.
#[derive(Clone, Default)]
struct Memo<T>(OnceLock<T>);

impl<T> std::fmt::Debug for Memo<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Memo")
    }
}

/// What a line is, as the grammar classified it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LineKind {
    Title,
    Heading,
    Subheading,
    Paragraph,
    PageNumber,
    /// Cells separated by TAB or `|`.
    TableRow,
    /// One TAB-prefixed cell (layout 1b).
    CellLine,
    /// A line without TAB right after a cell line: the rest of that cell.
    Continuation,
    Blank,
    /// A line the grammar could not classify (inside an ERROR node): read as a paragraph.
    Other,
}

/// One cell: `range` is its text without surrounding whitespace; an empty cell has an empty
/// range at the place where its text would stand.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CellSpan {
    pub range: Range<usize>,
}

impl CellSpan {
    pub fn is_empty(&self) -> bool {
        self.range.is_empty()
    }
}

/// One line of the document.
#[derive(Clone, Debug)]
pub struct Line {
    pub kind: LineKind,
    /// The line's content, without the line break.
    pub range: Range<usize>,
    /// For table lines: the cells. Empty for other kinds.
    pub cells: Vec<CellSpan>,
    /// Which tables the line locates ([`Line::anchors`]), found on first use.
    anchors: Memo<Anchors>,
    /// What is read from a prose or heading line's text ([`Line::stated`],
    /// [`Line::heading_match`]), on first use: behind one pointer, as most lines are neither.
    facts: Memo<Box<Facts>>,
}

#[derive(Clone, Default)]
struct Facts {
    stated: OnceLock<Box<[Stated]>>,
    heading: OnceLock<Option<HeadingMatch>>,
}

/// The tables a line locates when their section heading is lost: what the readers of tables
/// 2, 3 and 4 look for, each through the lines before its table (and the formatter keeps in
/// place).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Anchors {
    pub table2: bool,
    pub table3: bool,
    pub table4: bool,
}

impl Anchors {
    /// From a line's matching key ([`normalize::key`]) and its cells' texts.
    pub fn of<'c>(key: &str, cells: impl Iterator<Item = &'c str>) -> Self {
        Self {
            table2: super::table2::is_anchor(key),
            table3: super::table3::is_anchor(key),
            table4: super::table4::is_anchor(key, cells),
        }
    }
}

impl Line {
    pub fn new(kind: LineKind, range: Range<usize>, cells: Vec<CellSpan>) -> Self {
        Self {
            kind,
            range,
            cells,
            anchors: Memo::default(),
            facts: Memo::default(),
        }
    }

    pub fn text<'t>(&self, text: &'t str) -> &'t str {
        &text[self.range.clone()]
    }

    /// Which tables the line locates; `text` is the document the line belongs to. Found once:
    /// a line that an edit leaves as it was ([`relines`]) keeps it.
    pub fn anchors(&self, text: &str) -> Anchors {
        *self.anchors.0.get_or_init(|| {
            let key = normalize::key(self.text(text));
            Anchors::of(&key, self.cells.iter().map(|c| &text[c.range.clone()]))
        })
    }

    fn facts(&self) -> &Facts {
        self.facts.0.get_or_init(Box::default)
    }

    /// Which template section the line's text names as a heading (`一、总体情况`), if any;
    /// read once, like [`Line::anchors`].
    pub fn heading_match(&self, text: &str) -> Option<HeadingMatch> {
        *self
            .facts()
            .heading
            .get_or_init(|| sections::heading_match(self.text(text)))
    }

    /// The figures the line's prose states ([`prose::statements`]), ranges relative to the
    /// line's start; read once, like [`Line::anchors`].
    pub fn stated(&self, text: &str) -> &[Stated] {
        self.facts()
            .stated
            .get_or_init(|| prose::statements(self.text(text)).into_boxed_slice())
    }

    pub fn is_table_line(&self) -> bool {
        matches!(
            self.kind,
            LineKind::TableRow | LineKind::CellLine | LineKind::Continuation
        )
    }
}

/// A heading line's text without the Markdown a converter put around it: an ATX mark
/// (`## 一、总体情况`, `### （二）…`, and a closing `##`), a bold line's `**…**`, and the spaces
/// next to them. Other text comes back trimmed.
pub fn without_markdown(line: &str) -> &str {
    let mut s = line.trim_matches(is_space);
    let hashes = s.len() - s.trim_start_matches('#').len();
    if (1..=6).contains(&hashes) && s[hashes..].starts_with(is_space) {
        s = s[hashes..].trim_start_matches(is_space);
        // A closing sequence: spaces, then only `#`s.
        let body = s.trim_end_matches('#');
        if body.len() < s.len() && body.ends_with(is_space) {
            s = body.trim_end_matches(is_space);
        }
    }
    if let Some(inner) = s.strip_prefix("**") {
        s = inner
            .strip_suffix("**")
            .unwrap_or(inner)
            .trim_matches(is_space);
    }
    s
}

/// Whether a line is only a Markdown underline (`====`, `----`: a setext heading's second line,
/// or a thematic break): decoration, no content.
pub fn is_markdown_rule(line: &str) -> bool {
    let s = line.trim_matches(is_space);
    s.chars().count() >= 2 && (s.chars().all(|c| c == '=') || s.chars().all(|c| c == '-'))
}

/// Splits `text` into classified lines, using `tree` for the classification.
pub fn lines(text: &str, tree: &Tree) -> Vec<Line> {
    let mut starts: Vec<(usize, LineKind)> = Vec::new();
    collect_line_nodes(tree.root_node(), &mut starts);
    starts.sort_by_key(|&(start, _)| start);
    lines_between(text, 0, text.len(), &starts)
}

/// The lines of `text` read by the block grammar's scanner alone, without a syntax tree
/// ([`tree_sitter_nianbao::scan_lines`]): equal to [`lines`]`(text, &parse(text))` (tested on
/// the corpus and on random texts), and about a sixth of the parse's cost, for readers that
/// keep no tree. `None` when the scanner and the grammar disagree, which they never should: the
/// caller then parses.
pub fn scan(text: &str) -> Option<Vec<Line>> {
    let starts: Vec<(usize, LineKind)> = tree_sitter_nianbao::scan_lines(text)?
        .into_iter()
        .map(|(start, token)| (start, token_kind(token)))
        .collect();
    Some(lines_between(text, 0, text.len(), &starts))
}

fn token_kind(token: tree_sitter_nianbao::LineToken) -> LineKind {
    use tree_sitter_nianbao::LineToken as T;
    match token {
        T::Title => LineKind::Title,
        T::Heading => LineKind::Heading,
        T::Subheading => LineKind::Subheading,
        T::Paragraph => LineKind::Paragraph,
        T::PageNumber => LineKind::PageNumber,
        T::TableRow => LineKind::TableRow,
        T::CellLine => LineKind::CellLine,
        T::Continuation => LineKind::Continuation,
    }
}

/// What an edit left of the text the previous lines were read from: the first `prefix` bytes
/// and the last `suffix` bytes are the same in the old text (`old_len` bytes) and the new one,
/// and outside `changed` (byte ranges of the new text where the syntax tree differs from the old
/// one, `Tree::changed_ranges`) every line node is where it was, shifted with the text.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Reuse {
    pub old_len: usize,
    pub prefix: usize,
    pub suffix: usize,
    pub changed: Vec<Range<usize>>,
}

/// The lines of `text` (parsed into `tree`), equal to [`lines`]`(text, tree)`, reusing `old` —
/// the lines of the text before the edits `reuse` describes — where the edits cannot have
/// changed them: a line is read again only when its bytes (line break included) or the tree
/// nodes starting on it may differ; the lines after the edit are shifted by its byte delta.
/// Returns the lines and how many were read again.
pub fn relines(text: &str, tree: &Tree, mut old: Vec<Line>, reuse: &Reuse) -> (Vec<Line>, usize) {
    let new_len = text.len();
    let consistent = reuse.prefix <= reuse.old_len.min(new_len)
        && reuse.suffix <= (reuse.old_len - reuse.prefix).min(new_len - reuse.prefix)
        && old.last().is_none_or(|l| l.range.end <= reuse.old_len);
    if !consistent {
        let fresh = lines(text, tree);
        let n = fresh.len();
        return (fresh, n);
    }
    let delta = new_len as isize - reuse.old_len as isize;
    let touches = |a: usize, b: usize| {
        reuse
            .changed
            .iter()
            .any(|c| c.start <= b.saturating_add(1) && a <= c.end.saturating_add(1))
    };
    // The extent of old line `i`: [start, next line's start − 1] (its `\n`), or to the old end.
    let extent_end = |i: usize| -> usize {
        old.get(i + 1)
            .map_or(reuse.old_len, |next| next.range.start.saturating_sub(1))
    };
    // Reusable prefix: whole lines, line break included, before `prefix`, untouched by the tree.
    let mut keep_front = 0;
    while keep_front < old.len() {
        let end = extent_end(keep_front);
        let has_break = keep_front + 1 < old.len() || end < reuse.old_len;
        if !has_break || end >= reuse.prefix || touches(old[keep_front].range.start, end) {
            break;
        }
        keep_front += 1;
    }
    // Reusable suffix: lines whose preceding line break lies in the unchanged tail.
    let tail_start = reuse.old_len - reuse.suffix;
    let mut keep_back = old.len();
    while keep_back > keep_front {
        let i = keep_back - 1;
        let start = old[i].range.start;
        if start == 0 || start - 1 < tail_start {
            break;
        }
        let end = extent_end(i);
        let (ns, ne) = (shift(start, delta), shift(end, delta));
        if touches(ns, ne) {
            break;
        }
        keep_back = i;
    }
    // The region read again, in the new text: from the end of the kept prefix to the start of
    // the kept suffix.
    let from = if keep_front == 0 {
        0
    } else {
        extent_end(keep_front - 1) + 1
    };
    let to = if keep_back < old.len() {
        shift(old[keep_back].range.start, delta)
    } else {
        new_len
    };
    if from > to || to > new_len {
        let fresh = lines(text, tree);
        let n = fresh.len();
        return (fresh, n);
    }
    let mut starts: Vec<(usize, LineKind)> = Vec::new();
    collect_line_nodes_in(tree.root_node(), from, to, &mut starts);
    starts.sort_by_key(|&(start, _)| start);
    let middle = lines_between(text, from, to, &starts);
    let read = middle.len();
    for line in &mut old[keep_back..] {
        line.range = shift(line.range.start, delta)..shift(line.range.end, delta);
        for cell in &mut line.cells {
            cell.range = shift(cell.range.start, delta)..shift(cell.range.end, delta);
        }
    }
    old.splice(keep_front..keep_back, middle);
    (old, read)
}

fn shift(offset: usize, delta: isize) -> usize {
    offset.saturating_add_signed(delta)
}

/// The lines of `text[from..to]` (`from` a line start, `to` a line start or the end), given the
/// sorted starts of the line nodes in `[from, to]`.
fn lines_between(text: &str, from: usize, to: usize, starts: &[(usize, LineKind)]) -> Vec<Line> {
    let mut out = Vec::new();
    let mut next_kind = starts.iter().peekable();
    let mut offset = from;
    while offset < to {
        let end = text[offset..].find('\n').map_or(text.len(), |i| offset + i);
        let content_end = if end > offset && text.as_bytes()[end - 1] == b'\r' {
            end - 1
        } else {
            end
        };
        // The node that starts on this line, if any (a table row may start after leading spaces).
        let mut kind = None;
        while let Some(&&(start, k)) = next_kind.peek() {
            if start > end {
                break;
            }
            if start >= offset && kind.is_none() {
                kind = Some(k);
            }
            next_kind.next();
        }
        let range = offset..content_end;
        let kind = match kind {
            Some(k) => k,
            None if text[range.clone()].trim().is_empty() => LineKind::Blank,
            None => LineKind::Other,
        };
        let cells = split_cells(text, kind, range.clone());
        out.push(Line::new(kind, range, cells));
        offset = end + 1;
    }
    out
}

/// The line nodes starting in `[from, to]`, in document order, without walking the rest of the
/// tree: subtrees that end before `from` are stepped over, the walk stops at the first node
/// that starts after `to` (pre-order visits nodes by their start).
fn collect_line_nodes_in(node: Node<'_>, from: usize, to: usize, out: &mut Vec<(usize, LineKind)>) {
    let mut cursor = node.walk();
    loop {
        let node = cursor.node();
        if node.start_byte() > to {
            return;
        }
        let kind = line_kind(node.kind_id());
        let reaches = node.end_byte() >= from;
        if reaches
            && node.start_byte() >= from
            && let Some(kind) = kind
        {
            out.push((node.start_byte(), kind));
        }
        // Into the children only of a node that reaches `from` (the others hold no line node
        // starting in the region).
        if reaches && kind.is_none() && cursor.goto_first_child() {
            continue;
        }
        loop {
            if cursor.goto_next_sibling() {
                break;
            }
            if !cursor.goto_parent() {
                return;
            }
        }
    }
}

/// The line nodes in document order (pre-order, not descending into a line node), walked with
/// one cursor.
fn collect_line_nodes(node: Node<'_>, out: &mut Vec<(usize, LineKind)>) {
    let mut cursor = node.walk();
    loop {
        let node = cursor.node();
        let kind = line_kind(node.kind_id());
        if let Some(kind) = kind {
            out.push((node.start_byte(), kind));
        }
        if kind.is_none() && cursor.goto_first_child() {
            continue;
        }
        loop {
            if cursor.goto_next_sibling() {
                break;
            }
            if !cursor.goto_parent() {
                return;
            }
        }
    }
}

/// The line kind of a node kind, if it is a line node.
fn line_kind(id: u16) -> Option<LineKind> {
    static KINDS: std::sync::LazyLock<Vec<Option<LineKind>>> = std::sync::LazyLock::new(|| {
        let language = crate::syntax::language();
        (0..language.node_kind_count())
            .map(|id| {
                let id = u16::try_from(id).ok()?;
                let name = language.node_kind_for_id(id)?;
                match name {
                    kinds::TITLE => Some(LineKind::Title),
                    kinds::HEADING => Some(LineKind::Heading),
                    kinds::SUBHEADING => Some(LineKind::Subheading),
                    kinds::PARAGRAPH => Some(LineKind::Paragraph),
                    kinds::PAGE_NUMBER => Some(LineKind::PageNumber),
                    kinds::TABLE_ROW => Some(LineKind::TableRow),
                    kinds::CELL_LINE => Some(LineKind::CellLine),
                    kinds::CONTINUATION => Some(LineKind::Continuation),
                    _ => None,
                }
            })
            .collect()
    });
    KINDS.get(usize::from(id)).copied().flatten()
}

/// Cells of a table line. TAB rows split on TAB (`|` is then plain text); `|` rows split on `|`,
/// dropping the empty text before a leading and after a trailing pipe.
fn split_cells(text: &str, kind: LineKind, range: Range<usize>) -> Vec<CellSpan> {
    let line = &text[range.clone()];
    match kind {
        LineKind::TableRow if line.contains('\t') => segments(line, '\t', range.start, false),
        LineKind::TableRow => segments(line, '|', range.start, true),
        LineKind::CellLine => {
            let after_tab = line.find('\t').map_or(0, |i| i + 1);
            vec![trimmed(text, range.start + after_tab..range.end)]
        }
        LineKind::Continuation => vec![trimmed(text, range)],
        _ => Vec::new(),
    }
}

fn segments(line: &str, sep: char, base: usize, pipe: bool) -> Vec<CellSpan> {
    let mut bounds = Vec::new();
    let mut start = 0;
    for (i, ch) in line.char_indices() {
        if ch == sep {
            bounds.push(start..i);
            start = i + ch.len_utf8();
        }
    }
    bounds.push(start..line.len());
    if pipe {
        if line[bounds[0].clone()].trim().is_empty() && line.trim_start().starts_with('|') {
            bounds.remove(0);
        }
        if let Some(last) = bounds.last()
            && line[last.clone()].trim().is_empty()
            && line.trim_end().ends_with('|')
        {
            bounds.pop();
        }
    }
    bounds
        .into_iter()
        .map(|r| trim_in(line, r.clone(), base))
        .collect()
}

fn trim_in(line: &str, r: Range<usize>, base: usize) -> CellSpan {
    let s = &line[r.clone()];
    let lead = s.len() - s.trim_start_matches(is_space).len();
    let trail = s.len() - s.trim_end_matches(is_space).len();
    if lead == s.len() {
        return CellSpan {
            range: base + r.start..base + r.start,
        };
    }
    CellSpan {
        range: base + r.start + lead..base + r.end - trail,
    }
}

fn trimmed(text: &str, range: Range<usize>) -> CellSpan {
    trim_in(&text[..range.end], range, 0)
}

/// Horizontal space of any width: ASCII, full-width U+3000, NBSP, BOM.
pub fn is_space(c: char) -> bool {
    c.is_whitespace() || c == '\u{feff}'
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax;

    #[test]
    fn markdown_around_a_heading_is_not_its_text() {
        for (line, text) in [
            ("## 一、总体情况", "一、总体情况"),
            ("###### （二）依申请公开", "（二）依申请公开"),
            ("# 一、总体情况 ##", "一、总体情况"),
            ("**一、总体情况**", "一、总体情况"),
            (
                "## **五、存在的主要问题及改进情况**",
                "五、存在的主要问题及改进情况",
            ),
            ("  一、总体情况  ", "一、总体情况"),
            ("##一、总体情况", "##一、总体情况"),
            ("####### 一、总体情况", "####### 一、总体情况"),
            ("# C# 语言", "C# 语言"),
        ] {
            assert_eq!(without_markdown(line), text, "{line}");
        }
        assert!(is_markdown_rule("======"));
        assert!(is_markdown_rule(" --- "));
        assert!(!is_markdown_rule("-"));
        assert!(!is_markdown_rule("- 3 -"));
    }

    fn cells(src: &str) -> Vec<Vec<&str>> {
        let tree = syntax::parse(src);
        lines(src, &tree)
            .iter()
            .filter(|l| !l.cells.is_empty())
            .map(|l| l.cells.iter().map(|c| &src[c.range.clone()]).collect())
            .collect()
    }

    #[test]
    fn splits_tab_rows_keeping_empty_cells() {
        assert_eq!(
            cells("规章\t\t0\t 0 \t0\n"),
            vec![vec!["规章", "", "0", "0", "0"]]
        );
        assert_eq!(cells("\t行政确认\t7\n"), vec![vec!["", "行政确认", "7"]]);
    }

    #[test]
    fn splits_pipe_rows() {
        assert_eq!(cells("| 规章 | 0 |  |\n"), vec![vec!["规章", "0", ""]]);
        assert_eq!(
            cells("信息内容 |\n|||\n"),
            vec![vec!["信息内容"], vec!["", ""]]
        );
        assert_eq!(cells("|---|---|\n"), vec![vec!["---", "---"]]);
    }

    #[test]
    fn cell_lines_and_continuations() {
        let src = "一、a\n\t本年新\n制作数量\n\t\n\t减47\n";
        assert_eq!(
            cells(src),
            vec![vec!["本年新"], vec!["制作数量"], vec![""], vec!["减47"]]
        );
    }

    /// Regression (fuzz target `format`): `P.0` ending the text was a continuation, `P.0⏎` a page
    /// number, so the formatter's final line break changed the analysis. The grammar's scanner
    /// now sees the line end, newline or end of input alike.
    #[test]
    fn a_page_number_ending_the_text_without_a_line_break() {
        let last = |src: &str| {
            let tree = syntax::parse(src);
            lines(src, &tree).last().map(|l| l.kind)
        };
        for src in [
            "\t行政复议\n\t0\nP.0",
            "正文\n- 3 -",
            "正文\n第 12 页",
            "\t行政复议\n\t0\nP.0\n",
            "\t其他\nPage 8 - 威海市2021年政府信息公开工作年度报告",
            "正文\n— 1 —\u{3000}\r\r",
        ] {
            assert_eq!(last(src), Some(LineKind::PageNumber), "{src:?}");
        }
        for src in [
            "正文\n- 3 - 附件",
            "\t行政复议\n\t0\nP.0 元",
            "正文\n2024",
            "正文\nPage 9 -\r附件",
            "正文\n第 3 页的",
        ] {
            assert_ne!(last(src), Some(LineKind::PageNumber), "{src:?}");
        }
    }

    #[test]
    fn classifies_every_line_with_crlf() {
        let src = "标题\r\n一、总体情况\r\n\r\n- 3 -\r\n规章\t0";
        let tree = syntax::parse(src);
        let kinds: Vec<_> = lines(src, &tree).iter().map(|l| l.kind).collect();
        assert_eq!(
            kinds,
            vec![
                LineKind::Paragraph,
                LineKind::Heading,
                LineKind::Blank,
                LineKind::PageNumber,
                LineKind::TableRow
            ]
        );
        let l = &lines(src, &tree)[1];
        assert_eq!(&src[l.range.clone()], "一、总体情况");
    }
}

#[cfg(test)]
mod reuse_tests {
    use super::*;
    use crate::syntax::{self, Parser, TextEdit};

    fn check(old_text: &str, at: usize, insert: &str) {
        let mut parser = Parser::new();
        let mut tree = parser.parse(old_text);
        let old_lines = lines(old_text, &tree);
        let mut text = old_text.to_string();
        syntax::edit_tree(
            &mut tree,
            &mut text,
            &TextEdit {
                range: at..at,
                new_text: insert.to_string(),
            },
        );
        let new_tree = parser.reparse(&text, &tree);
        let reuse = Reuse {
            old_len: old_text.len(),
            prefix: at,
            suffix: old_text.len() - at,
            changed: tree
                .changed_ranges(&new_tree)
                .map(|r| r.start_byte..r.end_byte)
                .collect(),
        };
        let (mine, _) = relines(&text, &new_tree, old_lines, &reuse);
        let fresh = lines(&text, &syntax::parse(&text));
        assert_eq!(
            format!("{mine:?}"),
            format!("{fresh:?}"),
            "{reuse:?}\n{}\n{}",
            syntax::to_sexp(&new_tree),
            syntax::to_sexp(&syntax::parse(old_text))
        );
    }

    #[test]
    fn typing_at_the_start_of_the_last_line() {
        check("中\r\n\r\n一、总体情况\r\n中", 27, "中");
    }
}
