//! Which element of a page holds the report: found by content, not by a list of class names
//! (portals use `div.TRS_Editor`, `ucapcontent`, `#zoom`, `.article-content`, … and will use
//! others). The marks of a report are its section headings (`一、总体情况` … `六、其他需要报告的
//! 事项`) and its tables (第二十条, 申请, 行政复议 …); the article is the deepest element that
//! holds nearly all of them — navigation, metadata tables and footers hold none or few.

use std::collections::HashMap;

use ego_tree::{NodeId, NodeRef};
use scraper::Node;

/// Words of the six section headings (either template; portals vary them).
const SECTION_WORDS: &[&str] = &[
    "总体情况",
    "主动公开",
    "收到和处理",
    "依申请",
    "行政复议",
    "存在的主要问题",
    "改进情况",
    "其他需要报告",
];

/// Words of the report's tables; a table with at least two of them is a report table.
const TABLE_WORDS: &[&str] = &[
    "第二十条",
    "信息内容",
    "申请",
    "予以公开",
    "行政复议",
    "行政诉讼",
    "总计",
    "处理决定",
];

/// The share of all marks the article must hold.
const SHARE: f64 = 0.8;

/// The article element, or `None` when the page holds no mark of a report.
pub fn find(root: NodeRef<Node>) -> Option<NodeId> {
    let mut marks: Vec<NodeRef<Node>> = Vec::new();
    let mut headings: Vec<NodeRef<Node>> = Vec::new();
    for node in root.descendants() {
        let Node::Element(element) = node.value() else {
            continue;
        };
        let name = element.name();
        if name == "table" {
            let text = super::render::plain_text(node);
            if TABLE_WORDS.iter().filter(|w| text.contains(*w)).count() >= 2 {
                marks.push(node);
            }
        } else if is_heading_block(name)
            && !node.ancestors().any(|a| is_element(a, "table"))
            && super::render::short_text(node, HEADING_MOST)
                .is_some_and(|text| is_section_heading(&text))
        {
            headings.push(node);
        }
    }
    // A heading counts once, as its innermost element (`<div><p><b>一、总体情况</b></p></div>`).
    let outer: std::collections::HashSet<NodeId> = headings
        .iter()
        .flat_map(|h| h.ancestors().map(|a| a.id()))
        .collect();
    marks.extend(headings.into_iter().filter(|h| !outer.contains(&h.id())));
    if marks.is_empty() {
        return None;
    }
    // How many marks each element holds, and its depth.
    let mut held: HashMap<NodeId, (usize, usize)> = HashMap::new();
    for mark in &marks {
        let chain: Vec<NodeRef<Node>> = std::iter::once(*mark).chain(mark.ancestors()).collect();
        let depth = chain.len();
        for (i, a) in chain.iter().enumerate() {
            // A table is a mark, never the article (the article holds paragraphs too).
            if is_element(*a, "table") {
                continue;
            }
            let entry = held.entry(a.id()).or_insert((0, depth - i));
            entry.0 += 1;
        }
    }
    let needed = (marks.len() as f64 * SHARE).ceil() as usize;
    held.into_iter()
        .filter(|(_, (count, _))| *count >= needed)
        .max_by_key(|(_, (_, depth))| *depth)
        .map(|(id, _)| id)
}

fn is_element(node: NodeRef<Node>, name: &str) -> bool {
    matches!(node.value(), Node::Element(e) if e.name() == name)
}

/// Elements that may hold a heading's text as a whole (a `<p>` of spans, an `<h2>`, a `<strong>`,
/// a `<div>` or `<font>` of its own); a container's text is too long to be a heading.
fn is_heading_block(name: &str) -> bool {
    matches!(
        name,
        "p" | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "li"
            | "dt"
            | "strong"
            | "b"
            | "div"
            | "span"
            | "font"
            | "section"
    )
}

/// The most characters (white space aside) a section heading has.
const HEADING_MOST: usize = 40;

/// `一、总体情况`, `三、收到和处理政府信息公开申请情况`, … (whitespace ignored).
pub fn is_section_heading(text: &str) -> bool {
    let key: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    let numbered = [
        "一、", "二、", "三、", "四、", "五、", "六、", "七、", "八、",
    ]
    .iter()
    .any(|n| key.starts_with(n));
    numbered && key.chars().count() <= HEADING_MOST && SECTION_WORDS.iter().any(|w| key.contains(w))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn article_of(html: &str) -> Option<String> {
        let doc = scraper::Html::parse_document(html);
        let id = find(doc.tree.root())?;
        let node = doc.tree.get(id)?;
        match node.value() {
            Node::Element(e) => Some(format!(
                "{}{}",
                e.name(),
                e.attr("id").map(|i| format!("#{i}")).unwrap_or_default()
            )),
            _ => None,
        }
    }

    #[test]
    fn the_deepest_element_holding_the_report() {
        let page = "<html><body><div id=nav><p>一、总体情况</p><a>首页</a></div>\
            <div id=wrap><h1>标题</h1><div id=content><p>一、总体情况</p><p>正文</p>\
            <p><span>二、</span><span>主动公开政府信息情况</span></p><table><tr><td>第二十条第（一）项</td><td>信息内容</td></tr></table>\
            <p>三、收到和处理政府信息公开申请情况</p><p>四、政府信息公开行政复议、行政诉讼情况</p>\
            <p>五、存在的主要问题及改进情况</p><p>六、其他需要报告的事项</p></div></div><div id=foot>版权所有</div></body></html>";
        assert_eq!(article_of(page).as_deref(), Some("div#content"));
    }

    #[test]
    fn a_page_without_a_report() {
        assert_eq!(
            article_of(
                "<html><body><p>通知公告</p><table><tr><td>1</td></tr></table></body></html>"
            ),
            None
        );
    }
}
