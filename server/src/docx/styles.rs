//! What the reader needs of `styles.xml`: which paragraph styles number their paragraphs
//! (`一、` of a heading style lives there, inherited through `w:basedOn`), and which styles hide
//! their text (`w:vanish`).

use std::collections::HashMap;

use roxmltree::Node;

use super::DocxError;
use super::xml::{self, attr, child, child_val, num};

/// At most this many steps along a `w:basedOn` chain (a loop in a hostile file ends here).
const MAX_CHAIN: usize = 32;

#[derive(Debug, Default, Clone)]
struct Style {
    based_on: Option<String>,
    num_id: Option<u32>,
    ilvl: Option<u32>,
    vanish: Option<bool>,
}

/// The styles of a document, by `w:styleId`.
#[derive(Debug, Default)]
pub struct Styles {
    styles: HashMap<String, Style>,
    /// The paragraph style of paragraphs that name none (`w:default="1"`, usually "Normal").
    default_paragraph: Option<String>,
}

impl Styles {
    pub fn parse(text: &str, part: &str) -> Result<Self, DocxError> {
        let doc = xml::parse(text, part)?;
        let mut styles = Styles::default();
        for node in doc
            .root_element()
            .children()
            .filter(|n| xml::is(*n, "style"))
        {
            let Some(id) = attr(node, "styleId") else {
                continue;
            };
            let p_pr = child(node, "pPr");
            let num_pr = p_pr.and_then(|p| child(p, "numPr"));
            let style = Style {
                based_on: child_val(node, "basedOn").map(str::to_owned),
                num_id: num_pr.and_then(|n| num(child_val(n, "numId"))),
                ilvl: num_pr.and_then(|n| num(child_val(n, "ilvl"))),
                vanish: child(node, "rPr").and_then(|r| xml::toggle(r, "vanish")),
            };
            let paragraph = matches!(attr(node, "type"), Some("paragraph") | None);
            if paragraph && is_on(attr(node, "default")) && styles.default_paragraph.is_none() {
                styles.default_paragraph = Some(id.to_owned());
            }
            styles.styles.insert(id.to_owned(), style);
        }
        Ok(styles)
    }

    /// The style itself, then the styles it is based on.
    fn chain<'a>(&'a self, id: &'a str) -> impl Iterator<Item = &'a Style> + 'a {
        let mut next = Some(id);
        std::iter::from_fn(move || {
            let style = self.styles.get(next?)?;
            next = style.based_on.as_deref();
            Some(style)
        })
        .take(MAX_CHAIN)
    }

    /// The paragraph style in force: the one named, else the default paragraph style.
    pub fn paragraph_style<'a>(&'a self, named: Option<&'a str>) -> Option<&'a str> {
        named.or(self.default_paragraph.as_deref())
    }

    /// `w:numId` and `w:ilvl` a paragraph style gives its paragraphs (each from the first style
    /// of the chain that sets it).
    pub fn numbering(&self, id: &str) -> (Option<u32>, Option<u32>) {
        let num_id = self.chain(id).find_map(|s| s.num_id);
        let ilvl = self.chain(id).find_map(|s| s.ilvl);
        (num_id, ilvl)
    }

    /// Whether a style (character or paragraph) hides its text.
    pub fn hidden(&self, id: &str) -> Option<bool> {
        self.chain(id).find_map(|s| s.vanish)
    }
}

/// `w:default="1"` and its spellings.
fn is_on(value: Option<&str>) -> bool {
    matches!(value, Some("1" | "true" | "on"))
}

/// The paragraph style a paragraph names (`w:pPr/w:pStyle`).
pub fn paragraph_style_of<'a>(p: Node<'a, '_>) -> Option<&'a str> {
    child(p, "pPr").and_then(|p| child_val(p, "pStyle"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::docx::xml::W;

    fn styles(body: &str) -> Styles {
        let xml = format!(r#"<w:styles xmlns:w="{W}">{body}</w:styles>"#);
        Styles::parse(&xml, "word/styles.xml").unwrap_or_default()
    }

    #[test]
    fn numbering_is_inherited_through_based_on() {
        let s = styles(
            r#"<w:style w:type="paragraph" w:default="1" w:styleId="Normal"/>
               <w:style w:type="paragraph" w:styleId="H1"><w:pPr><w:numPr><w:numId w:val="3"/></w:numPr></w:pPr></w:style>
               <w:style w:type="paragraph" w:styleId="Mine"><w:basedOn w:val="H1"/><w:pPr><w:numPr><w:ilvl w:val="1"/></w:numPr></w:pPr></w:style>
               <w:style w:type="paragraph" w:styleId="LoopA"><w:basedOn w:val="LoopB"/></w:style>
               <w:style w:type="paragraph" w:styleId="LoopB"><w:basedOn w:val="LoopA"/></w:style>"#,
        );
        assert_eq!(s.numbering("H1"), (Some(3), None));
        assert_eq!(s.numbering("Mine"), (Some(3), Some(1)));
        assert_eq!(s.numbering("LoopA"), (None, None));
        assert_eq!(s.numbering("Missing"), (None, None));
        assert_eq!(s.paragraph_style(None), Some("Normal"));
    }

    #[test]
    fn hidden_styles() {
        let s = styles(
            r#"<w:style w:type="character" w:styleId="Secret"><w:rPr><w:vanish/></w:rPr></w:style>
               <w:style w:type="character" w:styleId="Shown"><w:basedOn w:val="Secret"/><w:rPr><w:vanish w:val="0"/></w:rPr></w:style>
               <w:style w:type="character" w:styleId="Child"><w:basedOn w:val="Secret"/></w:style>"#,
        );
        assert_eq!(s.hidden("Secret"), Some(true));
        assert_eq!(s.hidden("Shown"), Some(false));
        assert_eq!(s.hidden("Child"), Some(true));
    }
}
