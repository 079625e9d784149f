//! XML of the package's parts: parsing with limits, and WordprocessingML names in both
//! namespaces (Transitional and Strict OOXML), whatever prefix the file gives them.

use roxmltree::{Document, Node, ParsingOptions};

use super::DocxError;

/// WordprocessingML, as Word, WPS and LibreOffice write it.
pub const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
/// WordprocessingML in Strict OOXML (ISO/IEC 29500 Strict), which Word can save.
pub const W_STRICT: &str = "http://purl.oclc.org/ooxml/wordprocessingml/main";
/// Markup compatibility: `mc:AlternateContent` (text boxes in DrawingML and VML).
pub const MC: &str = "http://schemas.openxmlformats.org/markup-compatibility/2006";

/// The most elements (and other nodes) of one part: a report's document.xml has tens of
/// thousands; this is far beyond any real document and bounds the memory of a hostile one.
const MAX_NODES: u32 = 20_000_000;

/// Parses a part. `part` names it in the error.
pub fn parse<'a>(text: &'a str, part: &str) -> Result<Document<'a>, DocxError> {
    let options = ParsingOptions {
        // No document type definitions: WordprocessingML has none, and entities defined in one
        // are the classic way to blow up a parser.
        allow_dtd: false,
        nodes_limit: MAX_NODES,
        ..ParsingOptions::default()
    };
    Document::parse_with_options(text, options).map_err(|e| DocxError::Xml {
        part: part.to_owned(),
        reason: e.to_string(),
    })
}

/// Whether `ns` is WordprocessingML (either flavour).
pub fn is_w_ns(ns: Option<&str>) -> bool {
    matches!(ns, Some(W | W_STRICT))
}

/// Whether `node` is the WordprocessingML element `local` (`w:p`, `w:tbl`, …).
pub fn is(node: Node, local: &str) -> bool {
    node.is_element() && node.tag_name().name() == local && is_w_ns(node.tag_name().namespace())
}

/// The local name of a WordprocessingML element, or `None` for anything else.
pub fn w_name<'a>(node: Node<'a, '_>) -> Option<&'a str> {
    (node.is_element() && is_w_ns(node.tag_name().namespace())).then(|| node.tag_name().name())
}

/// Whether `node` is the markup-compatibility element `local`.
pub fn is_mc(node: Node, local: &str) -> bool {
    node.is_element() && node.tag_name().name() == local && node.tag_name().namespace() == Some(MC)
}

/// The first child element `w:local`.
pub fn child<'a, 'i>(node: Node<'a, 'i>, local: &str) -> Option<Node<'a, 'i>> {
    node.children().find(|c| is(*c, local))
}

/// The attribute `w:local` (in either namespace; an unqualified one as a last resort, which
/// some generators write).
pub fn attr<'a>(node: Node<'a, '_>, local: &str) -> Option<&'a str> {
    let mut plain = None;
    for a in node.attributes() {
        if a.name() != local {
            continue;
        }
        match a.namespace() {
            ns if is_w_ns(ns) => return Some(a.value()),
            None => plain = Some(a.value()),
            Some(_) => {}
        }
    }
    plain
}

/// `w:val` of the child element `w:local`.
pub fn child_val<'a>(node: Node<'a, '_>, local: &str) -> Option<&'a str> {
    child(node, local).and_then(|c| attr(c, "val"))
}

/// A number attribute (`w:val="3"`), `None` when absent or not a number.
pub fn num(value: Option<&str>) -> Option<u32> {
    value.and_then(|v| v.trim().parse().ok())
}

/// A toggle property (`<w:vanish/>`, `<w:vanish w:val="false"/>`): `None` when absent.
pub fn toggle(node: Node, local: &str) -> Option<bool> {
    let c = child(node, local)?;
    Some(!matches!(attr(c, "val"), Some("false" | "0" | "off")))
}

/// The text of an element's text children (`w:t`), entities decoded.
pub fn text_of(node: Node) -> String {
    node.children()
        .filter(|c| c.is_text())
        .filter_map(|c| c.text())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_in_either_namespace_and_any_prefix() {
        let xml = format!(
            r#"<x:document xmlns:x="{W_STRICT}" xmlns:w="{W}"><x:p x:val="1"/><w:p val="2"/><p/></x:document>"#
        );
        let doc = parse(&xml, "document.xml");
        assert!(doc.is_ok());
        let Ok(doc) = doc else { return };
        let root = doc.root_element();
        assert!(is(root, "document"));
        let ps: Vec<_> = root.children().filter(|c| is(*c, "p")).collect();
        assert_eq!(ps.len(), 2);
        assert_eq!(attr(ps[0], "val"), Some("1"));
        assert_eq!(attr(ps[1], "val"), Some("2"));
    }

    #[test]
    fn a_dtd_is_refused() {
        let xml = r#"<!DOCTYPE d [<!ENTITY a "aaaa">]><d>&a;</d>"#;
        assert!(matches!(
            parse(xml, "word/document.xml"),
            Err(DocxError::Xml { .. })
        ));
    }
}
