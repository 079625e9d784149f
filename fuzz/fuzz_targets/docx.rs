//! The Word reader and writer on arbitrary input.
//!
//! The first byte chooses what the rest is: even — the bytes of a file (a zip or anything
//! else); odd — the XML of a document, split at 0xFF bytes (never in UTF-8 text) into
//! document.xml, numbering.xml and styles.xml, zipped into a package with the usual
//! relationships, so that the XML itself is what gets mutated.
//!
//! Reading never panics: it gives a document or an error. A document's source map holds together:
//! one line per line of the text, in order, each field's range inside its line and the fields
//! joined by TABs giving the line, and every offset located. Then a fix is written back: the
//! first run of digits of the text (in a cell or a paragraph) becomes `7`; the document either
//! refuses it cleanly (the digits are generated, or the zip cannot be rewritten) or, read again,
//! gives exactly the fixed text — the writer's own check failing is a finding.
#![no_main]

use libfuzzer_sys::fuzz_target;
use nianbao::docx::{self, FixError};

const CONTENT_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/></Types>"#;
const RELS: &str = r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#;
const DOC_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering" Target="numbering.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>"#;

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let file = if mode & 1 == 0 {
        rest.to_vec()
    } else {
        let mut parts = rest.split(|&b| b == 0xFF);
        let document = parts.next().unwrap_or_default();
        let mut entries: Vec<(&str, &[u8])> = vec![
            ("[Content_Types].xml", CONTENT_TYPES.as_bytes()),
            ("_rels/.rels", RELS.as_bytes()),
            ("word/document.xml", document),
            ("word/_rels/document.xml.rels", DOC_RELS.as_bytes()),
        ];
        if let Some(numbering) = parts.next() {
            entries.push(("word/numbering.xml", numbering));
        }
        if let Some(styles) = parts.next() {
            entries.push(("word/styles.xml", styles));
        }
        docx::build::zip(entries, zip_method(mode))
    };
    let doc = match docx::read(&file) {
        Ok(doc) => doc,
        Err(e) => {
            assert!(!e.to_string().is_empty());
            return;
        }
    };
    check_map(&doc);
    check_fix(&doc, &file);
});

fn zip_method(mode: u8) -> docx::build::Method {
    if mode & 2 == 0 {
        docx::build::Method::Stored
    } else {
        docx::build::Method::Deflated
    }
}

fn check_map(doc: &docx::Document) {
    if let Err(e) = doc.extracted.check() {
        panic!("the source map does not fit the text: {e}");
    }
}

fn check_fix(doc: &docx::Document, file: &[u8]) {
    let text = doc.text();
    let Some(start) = text.find(|c: char| c.is_ascii_digit()) else {
        return;
    };
    let len = text[start..]
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len() - start);
    let fixed = format!("{}7{}", &text[..start], &text[start + len..]);
    if fixed == text {
        return;
    }
    match doc.fix(file, &fixed) {
        Ok(out) => {
            assert!(!out.changes.is_empty());
            let again = docx::read(&out.bytes).expect("the fixed document reads");
            assert_eq!(again.text(), fixed);
        }
        Err(FixError::Unmappable { .. } | FixError::Zip(_)) => {}
        Err(e @ (FixError::Verify | FixError::Docx(_))) => {
            panic!("writing a fix back failed its own check: {e}")
        }
    }
}
