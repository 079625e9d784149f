//! Automatic numbering (`numbering.xml`) rendered as text. In most Word files the `一、` of a
//! section heading and the `（一）` of a subsection are not in the text at all: the paragraph
//! (or its style) names a list (`w:numId`) and a level (`w:ilvl`), and Word counts. The reader
//! counts the same way, in document order:
//!
//! - `w:num` → `w:abstractNum` (through `w:numStyleLink` and a numbering style when it has
//!   one); `w:lvlOverride` replaces a level or its start value;
//! - lists that share an abstract definition share their counters, unless the `w:num` sets
//!   `w:startOverride` (then it counts on its own, as Word restarts it);
//! - numbering a level resets the deeper ones (`w:lvlRestart` can say otherwise);
//! - `w:lvlText` (`%1、`, `（%2）`) with each `%n` in level n's format (`w:isLgl`: decimal);
//! - the suffix after the number: Word's default TAB would split the line into two cells, so
//!   after a label ending in CJK text or closing punctuation (`一、`, `（一）`, `1.`) it is
//!   dropped, elsewhere written as a space.

use std::collections::HashMap;

use roxmltree::Node;

use super::DocxError;
use super::counting;
use super::styles::Styles;
use super::xml::{self, attr, child, child_val, num};
use crate::extract::is_cjk;

const LEVELS: usize = 9;
/// The highest counter kept: beyond it a hostile `w:start` would overflow.
const MAX_COUNTER: u32 = 1_000_000_000;

/// What follows the number (`w:suff`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Suffix {
    Tab,
    Space,
    Nothing,
}

#[derive(Clone, Debug)]
struct Level {
    start: u32,
    format: String,
    text: String,
    suffix: Suffix,
    /// `w:lvlRestart`: restart after a level numbered 1…n (1-based) is used; `None` = the
    /// default (after any shallower level), `Some(0)` = never.
    restart: Option<u32>,
    legal: bool,
    /// `w:pStyle`: the paragraph style tied to this level.
    style: Option<String>,
}

#[derive(Debug, Default)]
struct Abstract {
    levels: [Option<Level>; LEVELS],
    /// `w:numStyleLink`: the definition lives in the list of this numbering style.
    style_link: Option<String>,
}

#[derive(Debug, Default)]
struct Num {
    abstract_id: u32,
    start_overrides: [Option<u32>; LEVELS],
    level_overrides: [Option<Level>; LEVELS],
}

/// Which counters a list uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Key {
    Abstract(u32),
    Num(u32),
}

/// The numbering definitions and the counters, advanced paragraph by paragraph.
#[derive(Debug, Default)]
pub struct Numbering {
    abstracts: HashMap<u32, Abstract>,
    nums: HashMap<u32, Num>,
    counters: HashMap<Key, [Option<u32>; LEVELS]>,
}

/// The generated number of a paragraph: the label and what follows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Label {
    pub text: String,
}

impl Numbering {
    pub fn parse(text: &str, part: &str) -> Result<Self, DocxError> {
        let doc = xml::parse(text, part)?;
        let mut numbering = Numbering::default();
        for node in doc.root_element().children() {
            if xml::is(node, "abstractNum") {
                let Some(id) = num(attr(node, "abstractNumId")) else {
                    continue;
                };
                let mut abs = Abstract {
                    style_link: child_val(node, "numStyleLink").map(str::to_owned),
                    ..Abstract::default()
                };
                for lvl in node.children().filter(|c| xml::is(*c, "lvl")) {
                    if let Some((i, level)) = level(lvl) {
                        abs.levels[i] = Some(level);
                    }
                }
                numbering.abstracts.insert(id, abs);
            } else if xml::is(node, "num") {
                let (Some(id), Some(abstract_id)) = (
                    num(attr(node, "numId")),
                    num(child_val(node, "abstractNumId")),
                ) else {
                    continue;
                };
                let mut n = Num {
                    abstract_id,
                    ..Num::default()
                };
                for o in node.children().filter(|c| xml::is(*c, "lvlOverride")) {
                    let Some(i) = num(attr(o, "ilvl")).filter(|&i| (i as usize) < LEVELS) else {
                        continue;
                    };
                    n.start_overrides[i as usize] = num(child_val(o, "startOverride"));
                    n.level_overrides[i as usize] = child(o, "lvl").and_then(level).map(|(_, l)| l);
                }
                numbering.nums.insert(id, n);
            }
        }
        Ok(numbering)
    }

    /// The abstract definition of list `num_id`, following `w:numStyleLink` through the
    /// numbering style's own list (a few steps at most).
    fn resolve(&self, num_id: u32, styles: &Styles) -> Option<(u32, &Abstract)> {
        let mut id = self.nums.get(&num_id)?.abstract_id;
        for _ in 0..4 {
            let abs = self.abstracts.get(&id)?;
            let Some(link) = &abs.style_link else {
                return Some((id, abs));
            };
            let linked = styles.numbering(link).0?;
            id = self.nums.get(&linked)?.abstract_id;
        }
        None
    }

    /// Counts a numbered paragraph and returns its label, or `None` when the paragraph shows no
    /// number (list 0, an unknown list or level, a bullet).
    pub fn next(
        &mut self,
        num_id: u32,
        ilvl: Option<u32>,
        style: Option<&str>,
        styles: &Styles,
    ) -> Option<Label> {
        if num_id == 0 {
            return None;
        }
        let (abstract_id, abs) = self.resolve(num_id, styles)?;
        let n = self.nums.get(&num_id)?;
        // The level: the paragraph's, else the one tied to its style, else the first.
        let ilvl = ilvl
            .map(|i| i as usize)
            .or_else(|| {
                abs.levels.iter().position(|l| {
                    l.as_ref()
                        .is_some_and(|l| l.style.as_deref() == style && style.is_some())
                })
            })
            .unwrap_or(0);
        if ilvl >= LEVELS {
            return None;
        }
        let levels: Vec<Option<Level>> = (0..LEVELS)
            .map(|i| {
                let mut level = n.level_overrides[i]
                    .clone()
                    .or_else(|| abs.levels[i].clone())?;
                if let Some(start) = n.start_overrides[i] {
                    level.start = start;
                }
                Some(level)
            })
            .collect();
        let key = if n.start_overrides.iter().any(Option::is_some) {
            Key::Num(num_id)
        } else {
            Key::Abstract(abstract_id)
        };
        let current = levels[ilvl].clone()?;
        let counters = self.counters.entry(key).or_default();
        counters[ilvl] = Some(match counters[ilvl] {
            Some(c) => c.saturating_add(1).min(MAX_COUNTER),
            None => current.start.min(MAX_COUNTER),
        });
        for (deeper, level) in levels.iter().enumerate().skip(ilvl + 1) {
            let bound = level
                .as_ref()
                .and_then(|l| l.restart)
                .map_or(deeper, |r| r as usize);
            if ilvl < bound {
                counters[deeper] = None;
            }
        }
        if matches!(current.format.as_str(), "bullet" | "none") {
            return None;
        }
        let mut text = String::new();
        let mut chars = current.text.chars().peekable();
        while let Some(c) = chars.next() {
            let digit = chars
                .peek()
                .and_then(|d| d.to_digit(10))
                .filter(|d| (1..=9).contains(d));
            match (c, digit) {
                ('%', Some(d)) => {
                    chars.next();
                    let j = d as usize - 1;
                    let Some(level) = &levels[j] else { continue };
                    let value = counters[j].unwrap_or(level.start);
                    let format = if current.legal {
                        "decimal"
                    } else {
                        &level.format
                    };
                    text.push_str(&counting::format(value, format).unwrap_or_default());
                }
                _ => text.push(c),
            }
        }
        match current.suffix {
            Suffix::Nothing => {}
            Suffix::Space => text.push(' '),
            Suffix::Tab if ends_tight(&text) => {}
            Suffix::Tab => text.push(' '),
        }
        (!text.is_empty()).then_some(Label { text })
    }
}

/// A label after which no space is needed: it ends in CJK text or in punctuation that closes it.
fn ends_tight(label: &str) -> bool {
    label.chars().last().is_some_and(|c| {
        c.is_ascii_punctuation() || !c.is_ascii() && !c.is_alphanumeric() || is_cjk(c)
    })
}

/// One `w:lvl`: its index and definition.
fn level(lvl: Node) -> Option<(usize, Level)> {
    let i = num(attr(lvl, "ilvl")).unwrap_or(0) as usize;
    if i >= LEVELS {
        return None;
    }
    let suffix = match child_val(lvl, "suff") {
        Some("space") => Suffix::Space,
        Some("nothing") => Suffix::Nothing,
        _ => Suffix::Tab,
    };
    Some((
        i,
        Level {
            start: num(child_val(lvl, "start")).unwrap_or(1),
            format: child_val(lvl, "numFmt").unwrap_or("decimal").to_owned(),
            text: child_val(lvl, "lvlText").unwrap_or_default().to_owned(),
            suffix,
            restart: num(child_val(lvl, "lvlRestart")),
            legal: xml::toggle(lvl, "isLgl").unwrap_or(false),
            style: child_val(lvl, "pStyle").map(str::to_owned),
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::docx::xml::W;

    fn numbering(body: &str) -> Numbering {
        let xml = format!(r#"<w:numbering xmlns:w="{W}">{body}</w:numbering>"#);
        Numbering::parse(&xml, "word/numbering.xml").unwrap_or_default()
    }

    const CHINESE: &str = r#"
        <w:abstractNum w:abstractNumId="0">
          <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/><w:suff w:val="nothing"/></w:lvl>
          <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%2）"/></w:lvl>
          <w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%3."/></w:lvl>
          <w:lvl w:ilvl="3"><w:numFmt w:val="decimal"/><w:lvlText w:val="%1.%4"/><w:isLgl/></w:lvl>
        </w:abstractNum>
        <w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>
        <w:num w:numId="2"><w:abstractNumId w:val="0"/></w:num>
        <w:num w:numId="3"><w:abstractNumId w:val="0"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="5"/></w:lvlOverride></w:num>"#;

    fn labels(n: &mut Numbering, paragraphs: &[(u32, u32)]) -> Vec<String> {
        let styles = Styles::default();
        paragraphs
            .iter()
            .map(|&(id, lvl)| {
                n.next(id, Some(lvl), None, &styles)
                    .map(|l| l.text)
                    .unwrap_or_default()
            })
            .collect()
    }

    #[test]
    fn chinese_headings_count_and_restart() {
        let mut n = numbering(CHINESE);
        let got = labels(
            &mut n,
            &[
                (1, 0),
                (1, 1),
                (1, 1),
                (1, 2),
                (1, 0),
                (1, 1),
                (2, 0),
                (3, 0),
                (3, 0),
                (1, 3),
            ],
        );
        assert_eq!(
            got,
            [
                "一、",
                "（一）",
                "（二）",
                "1.",
                "二、",
                "（一）",
                "三、",
                "五、",
                "六、",
                "3.1 "
            ]
        );
    }

    #[test]
    fn list_zero_unknown_lists_and_bullets_show_nothing() {
        let mut n = numbering(
            r#"<w:abstractNum w:abstractNumId="7"><w:lvl w:ilvl="0"><w:numFmt w:val="bullet"/><w:lvlText w:val="•"/></w:lvl></w:abstractNum>
               <w:num w:numId="9"><w:abstractNumId w:val="7"/></w:num>"#,
        );
        assert_eq!(
            labels(&mut n, &[(0, 0), (4, 0), (9, 0), (9, 12)]),
            ["", "", "", ""]
        );
    }

    #[test]
    fn level_from_the_paragraph_style_and_a_style_link() {
        let styles_xml = format!(
            r#"<w:styles xmlns:w="{W}">
                 <w:style w:type="numbering" w:styleId="Outline"><w:pPr><w:numPr><w:numId w:val="1"/></w:numPr></w:pPr></w:style>
               </w:styles>"#
        );
        let styles = Styles::parse(&styles_xml, "styles.xml").unwrap_or_default();
        let mut n = numbering(
            r#"<w:abstractNum w:abstractNumId="0">
                 <w:lvl w:ilvl="0"><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/><w:pStyle w:val="H1"/></w:lvl>
                 <w:lvl w:ilvl="1"><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%2）"/><w:pStyle w:val="H2"/></w:lvl>
               </w:abstractNum>
               <w:abstractNum w:abstractNumId="1"><w:numStyleLink w:val="Outline"/></w:abstractNum>
               <w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>
               <w:num w:numId="5"><w:abstractNumId w:val="1"/></w:num>"#,
        );
        let l =
            |n: &mut Numbering, id, style| n.next(id, None, Some(style), &styles).map(|l| l.text);
        assert_eq!(l(&mut n, 5, "H1").as_deref(), Some("一、"));
        assert_eq!(l(&mut n, 5, "H2").as_deref(), Some("（一）"));
        assert_eq!(l(&mut n, 1, "H1").as_deref(), Some("二、"));
    }

    #[test]
    fn a_tab_suffix_is_a_space_only_after_letters_and_digits() {
        assert!(
            ends_tight("一、") && ends_tight("（一）") && ends_tight("1.") && ends_tight("第一章")
        );
        assert!(!ends_tight("1") && !ends_tight("A"));
    }
}
