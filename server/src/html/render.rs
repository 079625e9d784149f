//! The article rendered as the text layout the model reads (`layouts.md` 1a), as a browser
//! shows it and a person would copy it:
//!
//! - one line per paragraph: block elements (`<p>`, `<div>`, `<h1>`…, `<li>`) and `<br>` end
//!   lines; inline markup (`<span>`, `<font>`, Word's `<o:p>`) does not; white space collapses
//!   as in a browser, and each line is trimmed (`&nbsp;` and full-width spaces included); an
//!   empty `<p>` is an empty line;
//! - one line per table row on the table's full grid: a `rowspan`/`colspan` cell's text once,
//!   empty fields for the positions it covers; the text of a cell's several paragraphs joined
//!   with nothing between two CJK characters and a space elsewhere; a cell of only `&nbsp;` is
//!   empty; a table inside a cell is flattened into it;
//! - scripts, styles, forms and the like are dropped.
//!
//! Each line and field keeps its place in the page ([`crate::extract`], kind `Html`): tables,
//! rows and paragraphs counted from 1, a cell counted as the row's boxes from the left (a cell
//! merged down from a row above is one of them).

use ego_tree::NodeRef;
use scraper::Node;

use crate::extract::{Builder, Field, Kind, is_cjk};

/// The deepest nesting walked as structure; deeper content (unclosed `<font>` tags by the
/// thousand) is read as plain text, so that no page overflows the stack.
const MAX_DEPTH: usize = 200;
/// The most columns of a table row, and rows a cell may span.
const MAX_SPAN: usize = 1000;

/// Elements whose content is not text of the page.
fn skipped(name: &str) -> bool {
    matches!(
        name,
        "script"
            | "style"
            | "noscript"
            | "template"
            | "head"
            | "title"
            | "meta"
            | "link"
            | "iframe"
            | "object"
            | "embed"
            | "svg"
            | "math"
            | "button"
            | "select"
            | "input"
            | "textarea"
            | "option"
            | "canvas"
            | "audio"
            | "video"
            | "map"
    )
}

/// Elements that start and end a line.
fn block(name: &str) -> bool {
    matches!(
        name,
        "p" | "div"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "li"
            | "ul"
            | "ol"
            | "dl"
            | "dt"
            | "dd"
            | "blockquote"
            | "section"
            | "article"
            | "header"
            | "footer"
            | "aside"
            | "nav"
            | "main"
            | "figure"
            | "figcaption"
            | "address"
            | "pre"
            | "hr"
            | "form"
            | "fieldset"
            | "center"
            | "caption"
            | "body"
            | "html"
            | "tr"
            | "td"
            | "th"
            | "thead"
            | "tbody"
            | "tfoot"
            | "legend"
            | "details"
            | "summary"
    )
}

/// Elements that are paragraphs: empty, they still make an (empty) line.
fn paragraph(name: &str) -> bool {
    matches!(
        name,
        "p" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "li" | "pre"
    )
}

fn element<'a>(node: &NodeRef<'a, Node>) -> Option<&'a str> {
    match node.value() {
        Node::Element(e) => Some(e.name()),
        _ => None,
    }
}

/// The text of a subtree as it reads, white space collapsed (without scripts and styles).
pub fn plain_text(node: NodeRef<Node>) -> String {
    short_text(node, usize::MAX).unwrap_or_default()
}

/// [`plain_text`], or `None` as soon as the subtree holds more than `most` characters other
/// than white space: what may be a heading is read without reading a whole page's container.
pub fn short_text(node: NodeRef<Node>, most: usize) -> Option<String> {
    let mut out = String::new();
    let mut count = 0usize;
    for d in node.descendants() {
        if let Node::Text(t) = d.value()
            && !d.ancestors().any(|a| element(&a).is_some_and(skipped))
        {
            count += t.text.chars().filter(|c| !c.is_whitespace()).count();
            if count > most {
                return None;
            }
            out.push_str(&t.text);
        }
    }
    Some(collapse(&out))
}

/// Runs of HTML white space as one space (`&nbsp;` is not HTML white space: it stays).
fn collapse(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut space = false;
    for c in text.chars() {
        if matches!(c, ' ' | '\t' | '\n' | '\r' | '\x0C') {
            space = true;
        } else {
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            out.push(c);
        }
    }
    if space && !out.is_empty() {
        out.push(' ');
    }
    out
}

/// The walk over an article.
pub struct Renderer {
    out: Builder,
    /// The text of the line being built.
    line: String,
    paragraphs: u32,
    tables: u32,
}

impl Renderer {
    pub fn new() -> Self {
        Self {
            out: Builder::new(Kind::Html),
            line: String::new(),
            paragraphs: 0,
            tables: 0,
        }
    }

    pub fn finish(mut self) -> crate::extract::Extracted {
        self.flush(false);
        self.out.finish()
    }

    /// Ends the line being built: written when it holds text, or when `empty_too` (an empty
    /// `<p>`, a second `<br>`).
    fn flush(&mut self, empty_too: bool) {
        let text = self.line.trim().replace('\t', " ");
        if !text.is_empty() || empty_too {
            self.paragraphs += 1;
            self.out.paragraph(&text, self.paragraphs, None, 0, false);
        }
        self.line.clear();
    }

    /// Walks the children of `node`.
    pub fn walk(&mut self, node: NodeRef<Node>, depth: usize) {
        for child in node.children() {
            match child.value() {
                Node::Text(t) => self.line.push_str(&collapse_keep_edges(&t.text)),
                Node::Element(e) => {
                    let name = e.name();
                    if skipped(name) {
                        continue;
                    }
                    if depth > MAX_DEPTH {
                        self.line.push_str(&plain_text(child));
                        continue;
                    }
                    match name {
                        "br" => {
                            let empty = self.line.trim().is_empty();
                            self.flush(empty);
                        }
                        "table" => {
                            self.flush(false);
                            self.table(child, depth + 1);
                        }
                        _ if block(name) => {
                            self.flush(false);
                            let before = self.out.len();
                            self.walk(child, depth + 1);
                            // An empty paragraph is an empty line; an empty wrapper is nothing.
                            let wrote = self.out.len() != before;
                            self.flush(paragraph(name) && !wrote);
                        }
                        _ => self.walk(child, depth + 1),
                    }
                }
                _ => {}
            }
        }
    }

    /// A table: a caption line, then one line per row on the table's grid.
    fn table(&mut self, table: NodeRef<Node>, depth: usize) {
        let mut rows = Vec::new();
        let mut captions = Vec::new();
        for child in table.children() {
            match element(&child) {
                Some("tr") => rows.push(child),
                Some("thead" | "tbody" | "tfoot") => {
                    rows.extend(child.children().filter(|c| element(c) == Some("tr")));
                }
                Some("caption") => captions.push(child),
                _ => {}
            }
        }
        for caption in captions {
            self.line = cell_text(caption, depth);
            self.flush(false);
        }
        if rows.is_empty() {
            return;
        }
        self.tables += 1;
        let table_number = self.tables;
        let grid = Grid::build(&rows, depth);
        let fold = grid.fold();
        for (r, slots) in grid.rows.iter().enumerate() {
            let mut fields = Vec::with_capacity(slots.len());
            let mut boxes = 0;
            for (column, slot) in folded_row(slots, &fold) {
                // The row's boxes from the left: a new one wherever the cell changes.
                let owner = slot.map(|s| s.owner);
                let last: Option<Option<usize>> =
                    fields.last().map(|(_, o): &(Field, Option<usize>)| *o);
                if owner.is_none() || last != Some(owner) {
                    boxes += 1;
                }
                let (text, merged_from) = match slot {
                    Some(s) if s.anchor => (grid.cells[s.owner].text.clone(), None),
                    Some(s) => (String::new(), (s.row != r).then_some(s.row as u32 + 1)),
                    None => (String::new(), None),
                };
                fields.push((
                    Field {
                        text,
                        cell: boxes,
                        column: column as u32 + 1,
                        merged_from,
                        offset: None,
                    },
                    owner,
                ));
            }
            let fields = fields.into_iter().map(|(f, _)| f).collect();
            self.out.row(table_number, r as u32 + 1, None, fields);
        }
    }
}

/// A row's slots on the folded grid: a raw column folded into the one before it joins that
/// field when it continues the same cell (or adds nothing); a cell that starts in a folded
/// column gets a field of its own, so that no text is lost.
fn folded_row(slots: &[Option<Slot>], fold: &[usize]) -> Vec<(usize, Option<Slot>)> {
    let mut out: Vec<(usize, Option<Slot>)> = Vec::with_capacity(slots.len());
    for (c, slot) in slots.iter().enumerate() {
        let f = fold.get(c).copied().unwrap_or(c);
        let next = out.len();
        match out.last_mut() {
            Some((_, last)) if f < next => {
                let same = matches!((&*last, slot), (Some(a), Some(b)) if a.owner == b.owner);
                let adds = slot.is_some_and(|s| s.anchor);
                if same || !adds {
                    continue;
                }
                if last.is_none_or(|l| !l.anchor) {
                    // An empty or covered position gives way to the cell that starts here.
                    *last = *slot;
                } else {
                    out.push((next, *slot));
                }
            }
            _ => out.push((next, *slot)),
        }
    }
    out
}

impl Default for Renderer {
    fn default() -> Self {
        Self::new()
    }
}

/// Collapses white space but keeps one space at either end (text between inline elements).
fn collapse_keep_edges(text: &str) -> String {
    let starts = text.starts_with([' ', '\t', '\n', '\r', '\x0C']);
    let collapsed = collapse(text);
    if starts && !collapsed.is_empty() {
        format!(" {collapsed}")
    } else if starts {
        " ".to_owned()
    } else {
        collapsed
    }
}

/// One position of a table's grid: the cell that covers it (an index into the cells, in
/// document order), whether it is that cell's first position, and the cell's first row.
#[derive(Clone, Copy, Debug)]
struct Slot {
    owner: usize,
    anchor: bool,
    row: usize,
}

/// A cell of a table.
struct Cell {
    text: String,
    col: usize,
    colspan: usize,
    /// Its width in CSS pixels, when the page gives one (`style="width:149px"`, `width="149"`).
    width: Option<f64>,
}

/// The grid of a table (the HTML table model: each cell takes the first free position of its
/// row, and covers `colspan` columns and `rowspan` rows).
struct Grid {
    rows: Vec<Vec<Option<Slot>>>,
    cells: Vec<Cell>,
}

/// Columns at most this wide (CSS pixels) are slivers.
const SLIVER_PX: f64 = 3.0;

impl Grid {
    fn build(trs: &[NodeRef<Node>], depth: usize) -> Self {
        let mut rows: Vec<Vec<Option<Slot>>> = vec![Vec::new(); trs.len()];
        let mut cells = Vec::new();
        for (r, tr) in trs.iter().enumerate() {
            let mut col = 0;
            for td in tr
                .children()
                .filter(|c| matches!(element(c), Some("td" | "th")))
            {
                while rows[r].get(col).is_some_and(Option::is_some) {
                    col += 1;
                }
                if col >= MAX_SPAN {
                    break;
                }
                let Node::Element(e) = td.value() else {
                    continue;
                };
                let span = |name: &str| e.attr(name).and_then(|v| v.trim().parse::<usize>().ok());
                let colspan = span("colspan").unwrap_or(1).clamp(1, MAX_SPAN - col);
                let rowspan = match span("rowspan") {
                    // rowspan="0": to the end of the table.
                    Some(0) => trs.len() - r,
                    Some(n) => n.clamp(1, trs.len() - r),
                    None => 1,
                };
                let owner = cells.len();
                cells.push(Cell {
                    text: cell_text(td, depth + 1),
                    col,
                    colspan,
                    width: width(e),
                });
                for (k, row) in rows.iter_mut().enumerate().skip(r).take(rowspan) {
                    if row.len() < col + colspan {
                        row.resize(col + colspan, None);
                    }
                    for (j, slot) in row.iter_mut().enumerate().skip(col).take(colspan) {
                        *slot = Some(Slot {
                            owner,
                            anchor: k == r && j == col,
                            row: r,
                        });
                    }
                }
                col += colspan;
            }
        }
        Grid { rows, cells }
    }

    /// The folded column of each column. Inconsistent colspans leave columns that no cell of
    /// its own starts in and that a browser draws a pixel or so wide (a page's `149px` header
    /// cell above a `150px` two-column value cell): such slivers would add an empty field to
    /// some rows only, so they are folded into the column before them — a column no cell
    /// starts in alone is a sliver unless the page's widths make it wider than [`SLIVER_PX`].
    fn fold(&self) -> Vec<usize> {
        let columns = self.rows.iter().map(Vec::len).max().unwrap_or(0);
        let mut single = vec![false; columns];
        for cell in &self.cells {
            if cell.colspan == 1 && cell.col < columns {
                single[cell.col] = true;
            }
        }
        let widths = self.widths(columns);
        let mut fold = Vec::with_capacity(columns);
        for c in 0..columns {
            let sliver = c > 0 && !single[c] && widths[c].is_none_or(|w| w <= SLIVER_PX);
            fold.push(match fold.last() {
                None => 0,
                Some(&prev) if sliver => prev,
                Some(&prev) => prev + 1,
            });
        }
        fold
    }

    /// Column widths from the cells' widths: a one-column cell gives its column's; a wider cell
    /// gives the one column of its span still unknown (the rest known). A few rounds.
    fn widths(&self, columns: usize) -> Vec<Option<f64>> {
        let mut w: Vec<Option<f64>> = vec![None; columns];
        for _ in 0..4 {
            let mut changed = false;
            for cell in &self.cells {
                let Some(total) = cell.width else { continue };
                let span = cell.col..(cell.col + cell.colspan).min(columns);
                let unknown: Vec<usize> = span.clone().filter(|&c| w[c].is_none()).collect();
                if let [only] = unknown[..] {
                    let known: f64 = span.filter_map(|c| w[c]).sum();
                    w[only] = Some((total - known).max(0.0));
                    changed = true;
                }
            }
            if !changed {
                break;
            }
        }
        w
    }
}

/// A cell's width in CSS pixels: `style="width: 149px"` or `width="149"` (not percentages).
fn width(e: &scraper::node::Element) -> Option<f64> {
    let px = |v: &str| -> Option<f64> {
        let v = v.trim();
        let v = v.strip_suffix("px").unwrap_or(v).trim();
        v.parse::<f64>().ok().filter(|w| w.is_finite() && *w >= 0.0)
    };
    e.attr("style")
        .and_then(|style| {
            style.split(';').find_map(|decl| {
                let (name, value) = decl.split_once(':')?;
                (name.trim().eq_ignore_ascii_case("width"))
                    .then(|| px(value))
                    .flatten()
            })
        })
        .or_else(|| e.attr("width").and_then(px))
}

/// The text of a cell: its blocks joined (nothing between two CJK characters, else a space),
/// white space collapsed, trimmed; `&nbsp;` only is empty.
fn cell_text(node: NodeRef<Node>, depth: usize) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut current = String::new();
    gather(node, depth, &mut parts, &mut current);
    parts.push(current);
    let mut out = String::new();
    for part in parts {
        let part = part.trim();
        if part.is_empty() {
            continue;
        }
        let tight =
            out.chars().last().is_some_and(is_cjk) && part.chars().next().is_some_and(is_cjk);
        if !out.is_empty() && !tight {
            out.push(' ');
        }
        out.push_str(part);
    }
    out.replace('\t', " ")
}

/// The text pieces of a cell: a block, a `<br>` or a nested table cell ends a piece.
fn gather(node: NodeRef<Node>, depth: usize, parts: &mut Vec<String>, current: &mut String) {
    for child in node.children() {
        match child.value() {
            Node::Text(t) => current.push_str(&collapse_keep_edges(&t.text)),
            Node::Element(e) => {
                let name = e.name();
                if skipped(name) {
                    continue;
                }
                if depth > MAX_DEPTH {
                    current.push_str(&plain_text(child));
                    continue;
                }
                if name == "br" || block(name) || name == "table" {
                    parts.push(std::mem::take(current));
                    gather(child, depth + 1, parts, current);
                    parts.push(std::mem::take(current));
                } else {
                    gather(child, depth + 1, parts, current);
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(html: &str) -> crate::extract::Extracted {
        let doc = scraper::Html::parse_document(html);
        let mut r = Renderer::new();
        r.walk(doc.tree.root(), 0);
        r.finish()
    }

    #[test]
    fn paragraphs_breaks_and_inline_markup() {
        let e = render(
            "<p style='x'>  <span>根据</span><font face=仿宋>《条例》</font>\n  要求<o:p></o:p></p>\
             <p><o:p>&nbsp;</o:p></p><div><div><p>一、总体情况</p></div></div>\
             <p>第一行<br>第二行<br/><br>第四行</p><script>var x = '<p>不是正文</p>';</script>\
             <p>统计&nbsp;期限　</p>",
        );
        assert_eq!(
            e.text,
            "根据《条例》 要求\n\n一、总体情况\n第一行\n第二行\n\n第四行\n统计\u{a0}期限\n"
        );
    }

    #[test]
    fn rowspans_and_colspans_on_the_grid() {
        let e = render(
            "<table><tbody>\
             <tr><td colspan=2 rowspan=2>本列数据的勾稽关系</td><td colspan=3>申请人情况</td></tr>\
             <tr><td>自然人</td><td>商业<br>企业</td><td><p>科研</p><p>机构</p></td></tr>\
             <tr><td rowspan=2>三、本年度办理结果</td><td>（一）予以公开</td><td>26</td><td>&nbsp;</td><td> </td></tr>\
             <tr><td>（二）部分公开</td><td>0</td><td></td><td>0</td></tr>\
             </tbody></table>",
        );
        assert_eq!(
            e.text,
            "本列数据的勾稽关系\t\t申请人情况\t\t\n\t\t自然人\t商业企业\t科研机构\n\
             三、本年度办理结果\t（一）予以公开\t26\t\t\n\t（二）部分公开\t0\t\t0\n"
        );
        let at = |s: &str| e.text.find(s).unwrap_or(usize::MAX);
        let place = |o: usize| e.map.locate(o).map(|l| l.describe(Kind::Html));
        assert_eq!(
            place(at("自然人")),
            Some("网页表格 1 第 2 行 第 2 格".into())
        );
        assert_eq!(
            place(at("\t（二）")),
            Some("网页表格 1 第 4 行 第 1 格（合并单元格，内容在第 3 行）".into())
        );
        assert_eq!(
            place(at("（二）")),
            Some("网页表格 1 第 4 行 第 2 格".into())
        );
    }

    #[test]
    fn nested_tables_and_deep_nesting() {
        let e = render(
            "<table><tr><td>外<table><tr><td>内1</td><td>内2</td></tr></table></td><td>9</td></tr></table>",
        );
        assert_eq!(e.text, "外内1 内2\t9\n");
        let deep = format!(
            "<p>{}深处{}</p>",
            "<span>".repeat(5000),
            "</span>".repeat(5000)
        );
        assert_eq!(render(&deep).text, "深处\n");
        let deep = format!("{}深处{}", "<div>".repeat(3000), "</div>".repeat(3000));
        assert_eq!(render(&deep).text, "深处\n");
    }
}
