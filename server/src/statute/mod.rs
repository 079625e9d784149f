//! 《中华人民共和国政府信息公开条例》: the articles the annual report refers to, references such as
//! `第二十条第（五）项`, and what each part of the report derives from — all read from
//! `data/statute.toml`.
//!
//! * [`parse_reference`] / [`find_references`] read citations (full- and half-width, with or without
//!   parentheses, with spaces).
//! * [`lookup`] gives the article, paragraph (款) and item (项) texts.
//! * [`annotation`] gives, for a section, a table column or a Table 3 row (by the stable ids of
//!   [`crate::template`]), the articles it derives from and a short Chinese explanation.
//! * [`explain_markdown`] and [`subject_markdown`] render Chinese Markdown for hovers and
//!   `nianbao explain 第二十条第（五）项`.

use std::fmt;
use std::ops::Range;
use std::sync::LazyLock;

use serde::Deserialize;

pub use crate::normalize::{chinese_numeral, to_chinese_numeral};
use crate::template::{self, TemplateId};

#[cfg(test)]
mod tests;

const SOURCE: &str = crate::data::STATUTE;

// ---------------------------------------------------------------------------------------------------------
// References
// ---------------------------------------------------------------------------------------------------------

/// A citation of the 条例: article (条), optionally paragraph (款) and item (项).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct StatuteRef {
    pub article: u32,
    pub paragraph: Option<u32>,
    pub item: Option<u32>,
}

impl StatuteRef {
    pub fn article(article: u32) -> StatuteRef {
        StatuteRef {
            article,
            paragraph: None,
            item: None,
        }
    }

    pub fn item(article: u32, item: u32) -> StatuteRef {
        StatuteRef {
            article,
            paragraph: None,
            item: Some(item),
        }
    }

    /// Whether `self` and `other` can name the same text: same article, and paragraph / item equal where
    /// both give one (`第三十六条` covers `第三十六条第（四）项`).
    pub fn overlaps(&self, other: &StatuteRef) -> bool {
        fn compatible(a: Option<u32>, b: Option<u32>) -> bool {
            a.is_none() || b.is_none() || a == b
        }
        self.article == other.article
            && compatible(self.paragraph, other.paragraph)
            && compatible(self.item, other.item)
    }
}

/// The official citation form: `第二十条`, `第十六条第二款`, `第二十条第（五）项`.
impl fmt::Display for StatuteRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = |v: u32| to_chinese_numeral(v).unwrap_or_else(|| v.to_string());
        write!(f, "第{}条", n(self.article))?;
        if let Some(p) = self.paragraph {
            write!(f, "第{}款", n(p))?;
        }
        if let Some(i) = self.item {
            write!(f, "第（{}）项", n(i))?;
        }
        Ok(())
    }
}

/// One normalised character of the input with its source byte range.
#[derive(Clone, Copy)]
struct Ch {
    c: char,
    start: usize,
    end: usize,
}

/// Per-character NFKC (full-width digits and parentheses → ASCII), whitespace dropped.
fn chars_of(s: &str) -> Vec<Ch> {
    let mut out = Vec::with_capacity(s.len());
    for (start, c) in s.char_indices() {
        let end = start + c.len_utf8();
        if c.is_whitespace() {
            continue;
        }
        crate::normalize::nfkc_char(c, |n| {
            if !n.is_whitespace() {
                out.push(Ch { c: n, start, end });
            }
        });
    }
    out
}

fn is_numeral_char(c: char) -> bool {
    c.is_ascii_digit() || "〇零一二两三四五六七八九十百".contains(c)
}

/// Reads a numeral (Chinese or ASCII digits) at `i`; returns value and the index after it.
fn numeral_at(cs: &[Ch], i: usize) -> Option<(u32, usize)> {
    let end = cs[i..]
        .iter()
        .position(|ch| !is_numeral_char(ch.c))
        .map_or(cs.len(), |p| i + p);
    if end == i {
        return None;
    }
    let s: String = cs[i..end].iter().map(|ch| ch.c).collect();
    let v = if s.chars().all(|c| c.is_ascii_digit()) {
        s.parse().ok()?
    } else {
        chinese_numeral(&s)?
    };
    (v > 0).then_some((v, end))
}

fn at(cs: &[Ch], i: usize, c: char) -> bool {
    cs.get(i).is_some_and(|ch| ch.c == c)
}

/// `第N<unit>` or `第(N)<unit>` (the `第` optional when parenthesised); returns N and the index after it.
fn numbered_at(cs: &[Ch], mut i: usize, unit: char) -> Option<(u32, usize)> {
    let has_di = at(cs, i, '第');
    if has_di {
        i += 1;
    }
    let paren = at(cs, i, '(');
    if paren {
        i += 1;
    }
    if !has_di && !paren {
        return None;
    }
    let (v, mut j) = numeral_at(cs, i)?;
    if paren {
        if !at(cs, j, ')') {
            return None;
        }
        j += 1;
    }
    at(cs, j, unit).then_some((v, j + 1))
}

/// `第N条[第N款][第(N)项]` at `i`.
fn reference_at(cs: &[Ch], i: usize) -> Option<(StatuteRef, usize)> {
    if !at(cs, i, '第') {
        return None;
    }
    let (article, mut j) = numeral_at(cs, i + 1)?;
    if !at(cs, j, '条') {
        return None;
    }
    j += 1;
    let mut r = StatuteRef::article(article);
    if let Some((p, k)) = numbered_at(cs, j, '款') {
        r.paragraph = Some(p);
        j = k;
    }
    if let Some((it, k)) = numbered_at(cs, j, '项') {
        r.item = Some(it);
        j = k;
    }
    Some((r, j))
}

/// Reads one whole citation of the 条例: `第二十条第（五）项`, `第二十条 第（五）项`, `第二十条第(五)项`,
/// `第二十条第五项`, `第十六条`, `第十六条第二款`, `第二十九条第二款第（一）项`, `第20条第(5)项`; full- and
/// half-width forms and whitespace mixed freely. A leading `《中华人民共和国政府信息公开条例》`, `《条例》`,
/// `条例` or `本条例` and trailing punctuation are ignored. Anything else around the citation → `None`.
pub fn parse_reference(s: &str) -> Option<StatuteRef> {
    let cs = chars_of(s);
    let mut i = 0;
    if at(&cs, 0, '《') {
        let close = cs.iter().position(|ch| ch.c == '》')?;
        let title: String = cs[1..close].iter().map(|ch| ch.c).collect();
        if !(title.ends_with("政府信息公开条例") || title == "条例") {
            return None;
        }
        i = close + 1;
    } else {
        for prefix in ["本条例", "条例"] {
            let n = prefix.chars().count();
            if cs.len() >= n && cs[..n].iter().map(|ch| ch.c).eq(prefix.chars()) {
                i = n;
                break;
            }
        }
    }
    let mut end = cs.len();
    while end > i && matches!(cs[end - 1].c, '。' | ',' | '、' | ';' | '.' | ':') {
        end -= 1;
    }
    let (r, j) = reference_at(&cs[..end], i)?;
    (j == end).then_some(r)
}

/// Every citation in a text, with its byte range. Follows enumerations: in
/// `第三十六条第（一）项、第（二）项` the second item inherits the article.
pub fn find_references(text: &str) -> Vec<(Range<usize>, StatuteRef)> {
    let cs = chars_of(text);
    let mut out = Vec::new();
    let mut i = 0;
    while i < cs.len() {
        let Some((r, mut j)) = reference_at(&cs, i) else {
            i += 1;
            continue;
        };
        out.push((cs[i].start..cs[j - 1].end, r));
        // Enumerations: `、第（二）项`, `和第二款`.
        while j < cs.len() && matches!(cs[j].c, '、' | '和' | '及' | '或') {
            let k = j + 1;
            let next = if let Some((it, e)) = numbered_at(&cs, k, '项') {
                Some((
                    StatuteRef {
                        item: Some(it),
                        ..r
                    },
                    e,
                ))
            } else if let Some((p, e)) = numbered_at(&cs, k, '款') {
                let mut n = StatuteRef {
                    paragraph: Some(p),
                    item: None,
                    ..r
                };
                let mut e = e;
                if let Some((it, e2)) = numbered_at(&cs, e, '项') {
                    n.item = Some(it);
                    e = e2;
                }
                Some((n, e))
            } else {
                None
            };
            let Some((n, e)) = next else { break };
            if reference_at(&cs, k).is_some() {
                break; // a full citation of its own; the outer loop takes it
            }
            out.push((cs[k].start..cs[e - 1].end, n));
            j = e;
        }
        i = j;
    }
    out
}

// ---------------------------------------------------------------------------------------------------------
// Data
// ---------------------------------------------------------------------------------------------------------

/// The statute's identity.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Law {
    /// `中华人民共和国政府信息公开条例`
    pub title: String,
    /// `条例`
    pub short_title: String,
    /// Promulgation and revision history.
    pub history: String,
}

/// One article (条).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Article {
    pub number: u32,
    pub paragraphs: Vec<Paragraph>,
}

/// One paragraph (款), with its items (项) if it enumerates any.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Paragraph {
    /// The paragraph's own sentence(s), for an enumeration its lead-in (`…下列内容：`).
    pub text: String,
    /// Item texts without their `（一）` prefix.
    #[serde(default)]
    pub items: Vec<String>,
}

impl Paragraph {
    /// `（五）办理行政许可…` — the item with its official prefix.
    pub fn item_text(&self, n: u32) -> Option<String> {
        let t = self.items.get(usize::try_from(n).ok()?.checked_sub(1)?)?;
        Some(format!("（{}）{t}", to_chinese_numeral(n)?))
    }

    /// The paragraph with its items, one per line.
    pub fn full_text(&self) -> String {
        let mut s = self.text.clone();
        for n in 1..=self.items.len() as u32 {
            if let Some(t) = self.item_text(n) {
                s.push('\n');
                s.push_str(&t);
            }
        }
        s
    }
}

impl Article {
    /// `第二十条`
    pub fn label(&self) -> String {
        StatuteRef::article(self.number).to_string()
    }

    /// Paragraph `n` (1-based).
    pub fn paragraph(&self, n: u32) -> Option<&Paragraph> {
        self.paragraphs
            .get(usize::try_from(n).ok()?.checked_sub(1)?)
    }

    /// The paragraph that holds the items: the given one, or else the article's first paragraph with
    /// items (items are cited without 款 where only one paragraph enumerates).
    pub fn item_paragraph(&self, paragraph: Option<u32>) -> Option<(u32, &Paragraph)> {
        match paragraph {
            Some(p) => self.paragraph(p).map(|para| (p, para)),
            None => self
                .paragraphs
                .iter()
                .enumerate()
                .find(|(_, p)| !p.items.is_empty())
                .map(|(i, p)| (i as u32 + 1, p)),
        }
    }

    /// The whole article, paragraphs and items one per line.
    pub fn full_text(&self) -> String {
        self.paragraphs
            .iter()
            .map(Paragraph::full_text)
            .collect::<Vec<_>>()
            .join("\n")
    }
}

/// A document other than the 条例 cited by annotations (e.g. 《政府信息公开信息处理费管理办法》).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Document {
    pub id: String,
    pub title: String,
    pub issuer: String,
    pub number: String,
    pub date: String,
    /// Verified excerpts.
    pub excerpts: Vec<String>,
    pub summary: String,
}

/// What a part of the report derives from, and what it means.
#[derive(Debug)]
pub struct Annotation {
    /// The articles it derives from (may be empty, e.g. `（六）其他处理`).
    pub refs: Vec<StatuteRef>,
    /// Related articles worth a look.
    pub see_also: Vec<StatuteRef>,
    /// The mapping is an interpretation (statute.md ⚠): say “通常对应”, not “依据”.
    pub uncertain: bool,
    /// Short plain-language Chinese explanation.
    pub explanation: String,
    /// A caveat or further remark.
    pub note: Option<String>,
    /// Ids of other [`Document`]s it relies on.
    pub sources: Vec<String>,
}

/// A part of the report an annotation is about (ids of [`crate::template`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Subject<'a> {
    /// Section 1 … 6.
    Section(u8),
    /// A Table 2 column id (`made`, `decisions`, `fee_amount`, …).
    Table2Column(&'a str),
    /// A Table 3 row id (`r3_1`, …).
    Table3Row(&'a str),
    /// A Table 3 group id (`refused`, `unable`, `not_handled`, `other`).
    Table3Group(&'a str),
    /// A Table 3 column id (`natural`, …, `total`).
    Table3Column(&'a str),
    /// A Table 4 column id (`review_upheld`, …).
    Table4Column(&'a str),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAnnotation {
    #[serde(default)]
    id: Option<String>,
    #[serde(default)]
    number: Option<u8>,
    #[serde(default)]
    refs: Vec<String>,
    #[serde(default)]
    see_also: Vec<String>,
    #[serde(default)]
    uncertain: bool,
    explanation: String,
    #[serde(default)]
    note: Option<String>,
    #[serde(default)]
    sources: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawStatute {
    law: Law,
    articles: Vec<Article>,
    documents: Vec<Document>,
    sections: Vec<RawAnnotation>,
    table2_columns: Vec<RawAnnotation>,
    table3_columns: Vec<RawAnnotation>,
    table3_groups: Vec<RawAnnotation>,
    table3_rows: Vec<RawAnnotation>,
    table4_columns: Vec<RawAnnotation>,
}

/// Which annotation table an entry came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Section,
    Table2Column,
    Table3Column,
    Table3Group,
    Table3Row,
    Table4Column,
}

#[derive(Debug)]
struct Statute {
    law: Law,
    articles: Vec<Article>,
    documents: Vec<Document>,
    /// (kind, id or section number as text, annotation)
    annotations: Vec<(Kind, String, Annotation)>,
}

static STATUTE: LazyLock<Statute> = LazyLock::new(|| {
    load(SOURCE).unwrap_or_else(|e| panic!("embedded data/statute.toml is invalid: {e}"))
});

fn load(text: &str) -> Result<Statute, String> {
    let raw: RawStatute = crate::data::parse(text)?;
    let mut s = Statute {
        law: raw.law,
        articles: raw.articles,
        documents: raw.documents,
        annotations: Vec::new(),
    };
    for w in s.articles.windows(2) {
        if w[0].number >= w[1].number {
            return Err(format!("articles out of order at {}", w[1].number));
        }
    }
    let parse_refs = |what: &str, refs: &[String]| -> Result<Vec<StatuteRef>, String> {
        refs.iter()
            .map(|r| {
                parse_reference(r).ok_or_else(|| format!("{what}: unreadable reference `{r}`"))
            })
            .collect()
    };
    let tables = [
        (Kind::Section, raw.sections),
        (Kind::Table2Column, raw.table2_columns),
        (Kind::Table3Column, raw.table3_columns),
        (Kind::Table3Group, raw.table3_groups),
        (Kind::Table3Row, raw.table3_rows),
        (Kind::Table4Column, raw.table4_columns),
    ];
    for (kind, entries) in tables {
        for a in entries {
            let id = match (kind, a.id, a.number) {
                (Kind::Section, None, Some(n)) => n.to_string(),
                (Kind::Section, _, _) => {
                    return Err("a section annotation needs `number` only".into());
                }
                (_, Some(id), None) => id,
                (_, _, _) => return Err(format!("a {kind:?} annotation needs `id` only")),
            };
            let what = format!("{kind:?} {id}");
            if s.annotations.iter().any(|(k, i, _)| *k == kind && *i == id) {
                return Err(format!("duplicate annotation {what}"));
            }
            let ann = Annotation {
                refs: parse_refs(&what, &a.refs)?,
                see_also: parse_refs(&what, &a.see_also)?,
                uncertain: a.uncertain,
                explanation: a.explanation,
                note: a.note,
                sources: a.sources,
            };
            for r in ann.refs.iter().chain(&ann.see_also) {
                if lookup_in(&s.articles, r).is_none() {
                    return Err(format!("{what}: `{r}` is not in the article table"));
                }
            }
            for d in &ann.sources {
                if !s.documents.iter().any(|doc| &doc.id == d) {
                    return Err(format!("{what}: unknown document `{d}`"));
                }
            }
            s.annotations.push((kind, id, ann));
        }
    }
    Ok(s)
}

/// The statute's identity (title, revision history).
pub fn law() -> &'static Law {
    &STATUTE.law
}

/// The articles in the table, in order.
pub fn articles() -> &'static [Article] {
    &STATUTE.articles
}

/// An article by number, if it is in the table.
pub fn article(number: u32) -> Option<&'static Article> {
    STATUTE.articles.iter().find(|a| a.number == number)
}

/// Another cited document by id.
pub fn document(id: &str) -> Option<&'static Document> {
    STATUTE.documents.iter().find(|d| d.id == id)
}

/// The annotation of a report part.
pub fn annotation(subject: Subject<'_>) -> Option<&'static Annotation> {
    let (kind, id) = match subject {
        Subject::Section(n) => (Kind::Section, n.to_string()),
        Subject::Table2Column(id) => (Kind::Table2Column, id.to_string()),
        Subject::Table3Row(id) => (Kind::Table3Row, id.to_string()),
        Subject::Table3Group(id) => (Kind::Table3Group, id.to_string()),
        Subject::Table3Column(id) => (Kind::Table3Column, id.to_string()),
        Subject::Table4Column(id) => (Kind::Table4Column, id.to_string()),
    };
    STATUTE
        .annotations
        .iter()
        .find(|(k, i, _)| *k == kind && *i == id)
        .map(|(_, _, a)| a)
}

/// Every annotated report part that cites something overlapping `r` (in `refs`, not `see_also`).
pub fn citing(r: &StatuteRef) -> Vec<(Subject<'static>, &'static Annotation)> {
    STATUTE
        .annotations
        .iter()
        .filter(|(_, _, a)| a.refs.iter().any(|x| x.overlaps(r)))
        .filter_map(|(kind, id, a)| {
            let subject = match kind {
                Kind::Section => Subject::Section(id.parse().ok()?),
                Kind::Table2Column => Subject::Table2Column(id),
                Kind::Table3Column => Subject::Table3Column(id),
                Kind::Table3Group => Subject::Table3Group(id),
                Kind::Table3Row => Subject::Table3Row(id),
                Kind::Table4Column => Subject::Table4Column(id),
            };
            Some((subject, a))
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------------------
// Lookup
// ---------------------------------------------------------------------------------------------------------

/// The texts a reference names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StatuteEntry {
    /// The reference as asked.
    pub reference: StatuteRef,
    /// `中华人民共和国政府信息公开条例`
    pub law_title: &'static str,
    pub article_number: u32,
    /// `第二十条`
    pub article_label: String,
    /// The official citation: `第二十条第（五）项`.
    pub citation: String,
    /// The whole article, paragraphs and items one per line.
    pub article_text: String,
    /// The paragraph (款) that was named, or that holds the named item.
    pub paragraph: Option<u32>,
    /// That paragraph's text with its items.
    pub paragraph_text: Option<String>,
    /// The named item with its prefix: `（五）办理行政许可…`.
    pub item_text: Option<String>,
}

fn lookup_in(articles: &[Article], r: &StatuteRef) -> Option<StatuteEntry> {
    let a = articles.iter().find(|a| a.number == r.article)?;
    let (paragraph, paragraph_text, item_text) = match (r.paragraph, r.item) {
        (None, None) => (None, None, None),
        (Some(p), None) => (Some(p), Some(a.paragraph(p)?.full_text()), None),
        (p, Some(i)) => {
            let (pn, para) = a.item_paragraph(p)?;
            (Some(pn), Some(para.full_text()), Some(para.item_text(i)?))
        }
    };
    Some(StatuteEntry {
        reference: *r,
        law_title: "",
        article_number: a.number,
        article_label: a.label(),
        citation: r.to_string(),
        article_text: a.full_text(),
        paragraph,
        paragraph_text,
        item_text,
    })
}

/// The article, paragraph and item texts of a reference; `None` if the article is not in the table
/// (only the articles the report refers to are) or the paragraph / item does not exist.
pub fn lookup(r: &StatuteRef) -> Option<StatuteEntry> {
    lookup_in(&STATUTE.articles, r).map(|mut e| {
        e.law_title = &STATUTE.law.title;
        e
    })
}

// ---------------------------------------------------------------------------------------------------------
// Markdown
// ---------------------------------------------------------------------------------------------------------

fn quote(text: &str) -> String {
    text.lines()
        .map(|l| format!("> {l}"))
        .collect::<Vec<_>>()
        .join("\n>\n")
}

/// A display label for a subject, from the templates (the newest first).
pub fn subject_label(subject: Subject<'_>) -> Option<String> {
    let ts: Vec<&template::Template> = TemplateId::newest_first()
        .into_iter()
        .map(template::template)
        .collect();
    ts.iter().find_map(|t| match subject {
        Subject::Section(n) => t.section_by_number(n).map(|s| s.heading().to_string()),
        Subject::Table2Column(id) => t.table2_blocks().iter().find_map(|b| {
            b.column(id)
                .map(|c| format!("表二 {} “{}”", b.caption, c.label))
        }),
        Subject::Table3Row(id) => t
            .table3_row(id)
            .map(|r| format!("表三 {}", r.display_label())),
        Subject::Table3Group(g) => t
            .table3_rows()
            .iter()
            .find(|r| r.group.as_str() == g)
            .and_then(|r| r.level2.clone())
            .map(|l| format!("表三 {l}")),
        Subject::Table3Column(id) => t.table3_column(id).map(|c| format!("表三 “{}”列", c.label)),
        Subject::Table4Column(id) => t.table4_column(id).and_then(|c| {
            let g = t.table4.groups.iter().find(|g| g.id == c.group)?;
            let group = match &g.parent {
                Some(p) => format!("{p}（{}）", g.label),
                None => g.label.clone(),
            };
            Some(format!("表四 {group} “{}”", c.label))
        }),
    })
}

fn refs_line(a: &Annotation) -> Option<String> {
    if a.refs.is_empty() {
        return None;
    }
    let list = a
        .refs
        .iter()
        .map(|r| format!("条例{r}"))
        .collect::<Vec<_>>()
        .join("；");
    Some(if a.uncertain {
        format!("通常对应：{list}（对应关系是一种理解，并非条文明确规定）")
    } else {
        format!("依据：{list}")
    })
}

/// Hover text for a report part: label, explanation, the statute basis with quoted texts, notes.
pub fn subject_markdown(subject: Subject<'_>) -> Option<String> {
    let a = annotation(subject)?;
    let mut md = String::new();
    if let Some(label) = subject_label(subject) {
        md.push_str(&format!("**{label}**\n\n"));
    }
    md.push_str(&a.explanation);
    md.push_str("\n\n");
    if let Some(line) = refs_line(a) {
        md.push_str(&line);
        md.push_str("\n\n");
        for r in &a.refs {
            if let Some(e) = lookup(r) {
                let text = e.item_text.or(e.paragraph_text).unwrap_or(e.article_text);
                md.push_str(&format!("{}：\n\n{}\n\n", e.citation, quote(&text)));
            }
        }
    }
    if let Some(note) = &a.note {
        md.push_str(&format!("注：{note}\n\n"));
    }
    for d in a.sources.iter().filter_map(|id| document(id)) {
        md.push_str(&format!(
            "参见《{}》（{}，{}）：{}\n\n",
            d.title, d.number, d.date, d.summary
        ));
    }
    if !a.see_also.is_empty() {
        let list = a
            .see_also
            .iter()
            .map(|r| format!("条例{r}"))
            .collect::<Vec<_>>()
            .join("；");
        md.push_str(&format!("另见：{list}\n\n"));
    }
    Some(md.trim_end().to_string())
}

/// Chinese Markdown explaining a reference: the cited text, the whole article, and the parts of the annual
/// report that derive from it. `None` when [`lookup`] finds nothing.
pub fn explain_markdown(r: &StatuteRef) -> Option<String> {
    let e = lookup(r)?;
    let mut md = format!("### 《{}》{}\n\n", e.law_title, e.citation);
    let cited = e
        .item_text
        .clone()
        .or_else(|| r.paragraph.and(e.paragraph_text.clone()));
    if let Some(text) = &cited {
        md.push_str(&quote(text));
        md.push_str("\n\n");
        md.push_str(&format!("**{}全文**\n\n", e.article_label));
    }
    md.push_str(&quote(&e.article_text));
    md.push_str("\n\n");

    let mut uses: Vec<String> = Vec::new();
    // Table 2 blocks whose caption is (within) this reference.
    for t in template::templates() {
        for b in t.table2_blocks() {
            if b.statute_ref().is_some_and(|br| br.overlaps(r)) {
                let rows = b
                    .rows
                    .iter()
                    .map(|row| row.label.as_str())
                    .collect::<Vec<_>>()
                    .join("、");
                uses.push(format!("表二 {}：{}（{}年格式）", b.caption, rows, t.id));
            }
        }
    }
    for (subject, a) in citing(r) {
        let Some(label) = subject_label(subject) else {
            continue;
        };
        let how = if a.uncertain {
            "（通常对应）"
        } else {
            ""
        };
        uses.push(format!("{label}{how}：{}", a.explanation));
    }
    if !uses.is_empty() {
        md.push_str("**年度报告中的相关内容**\n\n");
        for u in uses {
            md.push_str(&format!("- {u}\n"));
        }
        md.push('\n');
    }
    md.push_str(&format!("（{}）", STATUTE.law.history));
    Some(md)
}
