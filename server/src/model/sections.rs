//! Finding the six top-level sections. A heading line (`一、…` at a line start) is a section
//! heading only when its title fits a section title of the template (layouts.md §5.4): table 3's
//! own row labels `一、`…`四、` and prose that wraps onto a line starting `三、` are not sections.
//! The section is identified by its title, not by its written number, so a report whose
//! numbering restarts (Shanghai departments, corpus 014) still has its sections found.

use std::ops::Range;

use super::lines::{Line, LineKind};
use crate::normalize;
use crate::template::{self, TemplateId};

/// How well a heading's title fits the template's title of its section.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SectionMatch {
    /// The official title (punctuation and spaces aside).
    Official,
    /// A variant listed in the template data (`五、存在问题及改进情况`).
    Variant,
    /// Close enough to be that section, but worded differently.
    Similar,
}

/// One top-level section of the report.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Section {
    /// The template section it is (1 = 一 … 6 = 六).
    pub number: u8,
    /// The number written in the heading (`一` → 1), if readable.
    pub written_number: Option<u32>,
    /// The heading line.
    pub heading: Range<usize>,
    /// From the heading to the next section heading (or the end).
    pub body: Range<usize>,
    pub matched: SectionMatch,
    /// Index of the heading in the report's lines.
    pub line: usize,
}

/// Similarity (0–1) above which a heading title counts as a section title.
const SIMILAR: f64 = 0.75;

pub fn find(text: &str, lines: &[Line]) -> Vec<Section> {
    let mut found: Vec<Section> = Vec::new();
    for (index, line) in lines.iter().enumerate() {
        if line.kind != LineKind::Heading {
            continue;
        }
        let Some(HeadingMatch {
            written_number,
            number,
            matched,
        }) = line.heading_match(text)
        else {
            continue;
        };
        found.push(Section {
            number,
            written_number,
            heading: line.range.clone(),
            body: line.range.start..text.len(),
            matched,
            line: index,
        });
    }
    for i in 1..found.len() {
        let next_start = found[i].heading.start;
        found[i - 1].body.end = next_start;
    }
    found
}

/// Which section a heading line's text names, if any: what [`find`] needs of a line, from its
/// text alone (kept with the line, see [`Line::heading_match`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HeadingMatch {
    pub written_number: Option<u32>,
    pub number: u8,
    pub matched: SectionMatch,
}

pub(super) fn heading_match(raw: &str) -> Option<HeadingMatch> {
    let (written_number, title) = split_heading(raw)?;
    let (number, matched) = match_title(title)?;
    Some(HeadingMatch {
        written_number,
        number,
        matched,
    })
}

/// `一、总体情况` → (Some(1), "总体情况"); Markdown marks around it aside (`## 一、总体情况`,
/// `**一、总体情况**`).
fn split_heading(line: &str) -> Option<(Option<u32>, &str)> {
    let line = super::lines::without_markdown(line);
    let (number, rest) = line.split_once('、')?;
    Some((normalize::chinese_numeral(number), rest))
}

/// Which template section a heading title is, if any.
pub fn match_title(title: &str) -> Option<(u8, SectionMatch)> {
    let key = normalize::key(title);
    if key.is_empty() {
        return None;
    }
    // Before the format is known: every format's titles, the newest first.
    let formats = TemplateId::newest_first();
    let sections = || {
        formats
            .iter()
            .flat_map(|id| template::template(*id).sections.iter())
    };
    for spec in sections() {
        if spec.title_key() == key {
            return Some((spec.number, SectionMatch::Official));
        }
        if spec.variants.iter().any(|v| v.key() == key) {
            return Some((spec.number, SectionMatch::Variant));
        }
    }
    let mut best: Option<(u8, f64)> = None;
    for spec in sections() {
        let score = std::iter::once(spec.title_key())
            .chain(spec.variants.iter().map(|v| v.key()))
            .filter_map(|t| normalize::similarity_at_least(t, &key, SIMILAR))
            .fold(0.0, f64::max);
        if score >= SIMILAR && best.is_none_or(|(_, b)| score > b) {
            best = Some((spec.number, score));
        }
    }
    best.map(|(number, _)| (number, SectionMatch::Similar))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_official_variant_and_similar_titles() {
        assert_eq!(match_title("总体情况"), Some((1, SectionMatch::Official)));
        assert_eq!(
            match_title("政府信息公开行政复议、行政诉讼情况"),
            Some((4, SectionMatch::Official))
        );
        assert_eq!(
            match_title("因政府信息公开工作被申请行政复议提起行政诉讼情况").map(|m| m.0),
            Some(4)
        );
        assert_eq!(
            match_title("存在的主要问题及整改措施").map(|m| m.0),
            Some(5)
        );
        assert_eq!(
            match_title("政府信息公开工作存在的主要问题及改进情况").map(|m| m.0),
            Some(5)
        );
    }

    #[test]
    fn table_labels_and_other_headings_are_not_sections() {
        assert_eq!(match_title("结转下年度继续办理"), None);
        assert_eq!(match_title("本年新收政府信息公开申请数量"), None);
        assert_eq!(match_title("工作机制保障"), None);
        assert_eq!(match_title("本法提供"), None);
    }
}
