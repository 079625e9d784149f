//! The first step from syntax to model: the document as a list of classified lines, each table
//! line split into cells with exact byte ranges. Everything after this works on lines and cells,
//! not on tree nodes, so every table reader sees the same shape whatever the layout.

use std::ops::Range;
use std::sync::OnceLock;

use tree_sitter::{Node, Tree};
use tree_sitter_nianbao::{LineScanner, ScanState};

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
    /// a line that an edit leaves as it was ([`rescan`]) keeps it.
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

/// [`scan`], or, if the scanner declines (it never should), the lines of a parse.
pub fn scan_or_parse(text: &str) -> Vec<Line> {
    scan(text).unwrap_or_else(|| lines(text, &crate::syntax::parse(text)))
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
/// and the last `suffix` bytes are the same in the old text (`old_len` bytes) and the new one.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Reuse {
    pub old_len: usize,
    pub prefix: usize,
    pub suffix: usize,
}

impl Reuse {
    /// Nothing edited yet in a text of `len` bytes.
    pub fn unchanged(len: usize) -> Reuse {
        Reuse {
            old_len: len,
            prefix: len,
            suffix: len,
        }
    }

    /// One more edit: `range` of the current text (`len` bytes) replaced. What is left
    /// unchanged shrinks to the bytes before the edit and those after it, counted from the end
    /// (as each edit of a burst applies to the text the one before left, at most).
    pub fn edit(&mut self, range: Range<usize>, len: usize) {
        self.prefix = self.prefix.min(range.start);
        self.suffix = self.suffix.min(len.saturating_sub(range.end));
    }
}

/// The lines of `text` after the edits `reuse` describes, equal to
/// [`lines`]`(text, &parse(text))`, from `old` — the lines of the text before them — without a
/// syntax tree: the scanner ([`tree_sitter_nianbao::LineScanner`]) reads again from the first
/// line the edits touch, in the state the lines before it leave, until it is past the edited
/// bytes at the start of an old line that it reaches in the old line's state; from there on the
/// old lines are shifted by the edit's byte delta. Returns the lines and how many were read
/// again. Anything inconsistent reads the whole text: with the scanner, or, if it declines (it
/// never should), with a parse.
pub fn rescan(text: &str, mut old: Vec<Line>, reuse: &Reuse) -> (Vec<Line>, usize) {
    let whole = || {
        let fresh = scan_or_parse(text);
        let n = fresh.len();
        (fresh, n)
    };
    let (old_len, new_len) = (reuse.old_len, text.len());
    let consistent = reuse.prefix <= old_len.min(new_len)
        && reuse.suffix <= (old_len - reuse.prefix).min(new_len - reuse.prefix)
        && old.first().map_or(old_len == 0, |l| l.range.start == 0)
        && old.last().is_none_or(|l| l.range.end <= old_len);
    if !consistent {
        return whole();
    }
    // The first line the edits may have changed: the one holding byte `prefix`, or the last if
    // the edits start at the end. Each line before it ends with a line break before `prefix`,
    // and the scanner reads a line up to its break: neither its bytes nor its state changed.
    let keep_front = old
        .partition_point(|l| l.range.start <= reuse.prefix)
        .saturating_sub(1);
    let from = old.get(keep_front).map_or(0, |l| l.range.start);
    if from > 0 && text.as_bytes().get(from - 1) != Some(&b'\n') {
        return whole();
    }
    // The scanner's state before old line `j` (from `keep_front` on, `j` never decreasing): a
    // title is valid until the first heading, a continuation right after a cell line or a
    // continuation (a blank line is a token too, and allows none). The headings are looked for
    // once each, and before `keep_front` only up to the first: usually a report's second line.
    let mut title = !old[..keep_front]
        .iter()
        .any(|l| l.kind == LineKind::Heading);
    let mut looked = keep_front;
    let mut state_before = |old: &[Line], j: usize| {
        for line in old.get(looked..j).unwrap_or_default() {
            title &= line.kind != LineKind::Heading;
        }
        looked = looked.max(j);
        ScanState {
            title,
            continuation: j > 0
                && matches!(old[j - 1].kind, LineKind::CellLine | LineKind::Continuation),
        }
    };
    let delta = new_len as isize - old_len as isize;
    // The edited bytes end here in the new text; from here on it is the old text's tail.
    let edited_end = new_len - reuse.suffix;
    let mut scanner = LineScanner::new(text, from, state_before(&old, keep_front));
    let mut starts: Vec<(usize, LineKind)> = Vec::new();
    let mut at = from;
    let (to, keep_back) = loop {
        if at >= edited_end
            && let Ok(j) = old.binary_search_by_key(&shift(at, -delta), |l| l.range.start)
            && j >= keep_front
            && state_before(&old, j) == scanner.state()
        {
            break (at, j);
        }
        match scanner.next() {
            None => break (new_len, old.len()),
            Some(Err(_)) => return whole(),
            Some(Ok(line)) => {
                if let Some(kind) = line.kind {
                    starts.push((line.start, token_kind(kind)));
                }
                at = line.end;
            }
        }
    };
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
    use crate::syntax;

    fn check(old_text: &str, at: usize, insert: &str) {
        check_rescan(old_text, at..at, insert, (0, 0));
    }

    #[test]
    fn typing_at_the_start_of_the_last_line() {
        check("中\r\n\r\n一、总体情况\r\n中", 27, "中");
    }

    /// [`rescan`] after replacing `old_text[range]` with `insert`, told that only `slack`
    /// bytes less than the edit left on either side are unchanged (an editor's bursts of
    /// several edits are described so), against the lines of a parse.
    fn check_rescan(old_text: &str, range: Range<usize>, insert: &str, slack: (usize, usize)) {
        let old_lines = lines(old_text, &syntax::parse(old_text));
        let mut text = old_text.to_string();
        text.replace_range(range.clone(), insert);
        let reuse = Reuse {
            old_len: old_text.len(),
            prefix: range.start.saturating_sub(slack.0),
            suffix: (old_text.len() - range.end).saturating_sub(slack.1),
        };
        let (mine, _) = rescan(&text, old_lines, &reuse);
        let fresh = lines(&text, &syntax::parse(&text));
        assert_eq!(
            format!("{mine:?}"),
            format!("{fresh:?}"),
            "{old_text:?} [{range:?}] ← {insert:?}, {reuse:?}"
        );
    }

    /// Where the scanner's state carries an edit's effect past the edited line.
    #[test]
    fn rescanning_what_the_state_carries() {
        let title = "某县2020年政府信息公开工作年度报告";
        let report = format!("{title}\n一、总体情况\n正文。\n{title}\n\t本年新\n制作数量\n其他\n");
        let heading = report.find("一、").unwrap_or(0);
        // The first heading removed, changed into text and back, added before the title.
        check_rescan(&report, heading..heading + "一、".len(), "", (0, 0));
        check_rescan(&report, heading..heading, "1", (0, 0));
        check_rescan(&report, 0..0, "二、情况\n", (0, 0));
        let text = report.replace("一、", "一");
        let at = text.find("一").unwrap_or(0) + "一".len();
        check_rescan(&text, at..at, "、", (0, 0));
        // A cell line made into a paragraph and back: the next line's continuation.
        let tab = report.find('\t').unwrap_or(0);
        check_rescan(&report, tab..tab + 1, "", (0, 0));
        check_rescan(&report.replacen('\t', "", 1), tab..tab, "\t", (0, 0));
        // A blank line between a cell line and its continuation, and removed again.
        let next = report.find("制作").unwrap_or(0);
        check_rescan(&report, next..next, "\n", (0, 0));
        check_rescan(&report, next..next, "  \r\n", (0, 0));
        let blank = report.replace("\n制作", "\n\n制作");
        check_rescan(&blank, next..next + 1, "", (0, 0));
        // Whole lines deleted and inserted, at the start, in the middle and at the end.
        check_rescan(&report, 0..heading, "", (0, 0));
        check_rescan(&report, heading..tab, "", (0, 0));
        check_rescan(&report, tab - 1..report.len(), "", (0, 0));
        check_rescan(&report, report.len()..report.len(), "（一）\t1\n", (0, 0));
        check_rescan(&report, report.len() - 1..report.len(), "", (0, 0));
        // The end of the text without a line break, only space, nothing.
        check_rescan("正文\n\t本年新", 8..8, "\r\n", (0, 0));
        check_rescan("正文\n\t本年新\n  ", 17..17, "制作", (0, 0));
        check_rescan("正文", 0..6, "", (0, 0));
        check_rescan("", 0..0, "\t本年新\n制作", (0, 0));
        // CRLF split and joined.
        check_rescan("\t本年新\r\n制作数量\r\n", 10..10, "\n", (0, 0));
        check_rescan("\t本年新\r\n制作数量\r\n", 11..11, "\r", (0, 0));
        // Reuse told less than the edit left.
        check_rescan(&report, tab..tab + 1, "", (40, 40));
        check_rescan(&report, heading..heading, "1", (heading, report.len()));
    }

    fn piece() -> impl Strategy<Value = &'static str> {
        prop::sample::select(
            &[
                "\n",
                "\r\n",
                "\r",
                "\t",
                "|",
                " ",
                "\u{3000}",
                "一、",
                "一、总体情况\n",
                "（三）",
                "1.",
                "一是",
                "**",
                "## ",
                "- 4 -",
                "\0",
                "总计",
                "𠀀",
                "某局2020年政府信息公开工作年度报告",
                "\t本年新\n",
                "制作数量",
                "规章\t0\t0",
                "\n\n",
            ][..],
        )
    }

    fn text() -> impl Strategy<Value = String> {
        prop::collection::vec(piece(), 0..24).prop_map(|v| v.concat())
    }

    /// A char boundary of `text` near `fraction` ‰ of it.
    fn boundary(text: &str, fraction: u16) -> usize {
        syntax::floor_char_boundary(text, text.len() * usize::from(fraction) / 1000)
    }

    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(3000))]

        #[test]
        fn rescanned_lines_equal_a_parse(
            old in text(),
            start in 0u16..=1000,
            len in 0u16..=1000,
            insert in text(),
            slack in (0usize..3, 0usize..3),
        ) {
            let a = boundary(&old, start);
            let b = boundary(&old, start.saturating_add(len).min(1000)).max(a);
            check_rescan(&old, a..b, &insert, (slack.0 * 4, slack.1 * 4));
        }
    }
}
