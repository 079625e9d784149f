//! The real reports as Word documents: every `../shared/corpus/real/*.txt` is built into a .docx
//! (its TAB rows and Markdown rows as Word tables with merged cells, its `一、` and `（一）`
//! headings as automatic numbering — `nianbao::docx::build::report`), read back, and must give
//! the same diagnostics as its text: the same codes and severities on the same cells and
//! paragraphs, and — where the text comes back byte for byte — the same ranges, messages and
//! fixes. Fix-all written into each document must give, read again, the text fix-all gives.
//!
//! A few of these documents are committed as fixtures (`tests/fixtures/docx/generated-real-*.docx`,
//! named as generated: no real report was published as .docx here; `generated-planted-004.docx`
//! is report 004 with a typo planted in a total, for the tests of fixes). Their parts must stay what
//! the builder makes; regenerate them with `NIANBAO_UPDATE_FIXTURES=1 cargo test -p nianbao-e2e
//! --test docx_corpus`. Two more were written by LibreOffice (`generated-libreoffice-*.docx`,
//! remade by `tests/fixtures/docx/libreoffice.sh`): Word documents from a third-party writer.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use nianbao::analysis::{Analysis, Config, analyze};
use nianbao::docx::{self, build::Placed};
use nianbao::extract::Location;
use nianbao::fix::fix_all;

fn corpus() -> PathBuf {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus/real");
    assert!(
        path.is_dir(),
        "../shared/corpus/real must sit beside the repository"
    );
    path
}

fn reports() -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = std::fs::read_dir(corpus())
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .map(|p| {
            let name = p
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            let text =
                std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
            (name, text)
        })
        .collect();
    out.sort();
    assert!(out.len() >= 11, "the corpus has at least 11 real reports");
    out
}

/// The place in the built document of byte `offset` of the report text, found through where the
/// builder put each line (independently of the reader's source map).
fn placed_location(text: &str, offset: usize, lines: &[Placed]) -> Option<Location> {
    let offset = offset.min(text.len());
    let mut line = text[..offset].matches('\n').count();
    if offset == text.len() && text.ends_with('\n') {
        line = line.saturating_sub(1);
    }
    let line = line.min(lines.len().checked_sub(1)?);
    let start = text
        .split_inclusive('\n')
        .take(line)
        .map(str::len)
        .sum::<usize>();
    let content = text[start..].split('\n').next().unwrap_or_default();
    let col = (offset - start).min(content.len());
    match &lines[line] {
        Placed::Paragraph(n) => Some(Location::Paragraph {
            paragraph: *n,
            generated: false,
            text_box: false,
        }),
        Placed::Row { table, row, cells } => {
            let before = &content[..col];
            let field = if content.contains('\t') {
                before.matches('\t').count()
            } else {
                before.matches('|').count().saturating_sub(1)
            };
            let (cell, merged_from) = *cells.get(field.min(cells.len().checked_sub(1)?))?;
            Some(Location::Cell {
                table: *table,
                row: *row,
                cell,
                merged_from,
            })
        }
        Placed::Omitted => None,
    }
}

/// What must agree: code, severity and the place (as the JSON `"word"` object shows it).
fn key(d: &nianbao::diagnostics::Diagnostic, at: Option<Location>) -> String {
    let place = serde_json::to_string(&at).unwrap_or_default();
    format!("{} {} {place}", d.code, d.severity.as_str())
}

fn analysed(name: &str, text: &str) -> (docx::build::Built, docx::Document, Analysis, Analysis) {
    let built = docx::build::report(text);
    let doc = docx::read(&built.docx).unwrap_or_else(|e| panic!("{name}: {e}"));
    let config = Config::default();
    let from_text = analyze(text, &config);
    let from_docx = analyze(doc.text(), &config);
    (built, doc, from_text, from_docx)
}

#[test]
fn every_report_as_a_word_document_gives_the_same_diagnostics_on_the_same_cells() {
    let mut compared = 0;
    let mut exact = 0;
    for (name, text) in reports() {
        let (built, doc, from_text, from_docx) = analysed(&name, &text);
        let expected: Vec<String> = from_text
            .diagnostics
            .iter()
            .map(|d| key(d, placed_location(&text, d.range.start, &built.lines)))
            .collect();
        let got: Vec<String> = from_docx
            .diagnostics
            .iter()
            .map(|d| key(d, doc.extracted.map.locate(d.range.start)))
            .collect();
        let count = |v: &[String]| {
            let mut m = BTreeMap::new();
            for k in v {
                *m.entry(k.clone()).or_insert(0) += 1;
            }
            m
        };
        assert_eq!(count(&got), count(&expected), "{name}: diagnostics differ");
        assert_eq!(from_docx.template, from_text.template, "{name}");
        compared += expected.len();
        // A report whose text comes back byte for byte (all but the Markdown tables, which
        // come back as TAB rows) gives exactly the same diagnostics.
        let same_text = doc.text() == text || doc.text() == format!("{text}\n");
        if same_text {
            exact += 1;
            assert_eq!(from_docx.diagnostics, from_text.diagnostics, "{name}");
        }
    }
    assert!(compared >= 30, "only {compared} diagnostics compared");
    assert!(exact >= 9, "only {exact} reports came back byte for byte");
}

/// Real report 004 with a typo planted in table 3: （一）予以公开's 总计 1362 written 1326.
/// The row's sum and the 总计 column's sum both fail and one figure explains both, so fix-all
/// corrects it (the corpus's own errors may be undecidable: several figures could be wrong).
fn planted() -> String {
    let text = std::fs::read_to_string(corpus().join("004.txt")).unwrap_or_default();
    let planted = text.replacen("\t50\t3\t1362\n", "\t50\t3\t1326\n", 1);
    assert_ne!(planted, text, "004.txt: the row to plant the typo in");
    planted
}

#[test]
fn fix_all_written_into_each_document_reads_back_as_fixed() {
    let config = Config::default();
    let mut all = reports();
    all.push(("planted-004".to_owned(), planted()));
    for (name, text) in all {
        let (built, doc, _, _) = analysed(&name, &text);
        let fixed = fix_all(doc.text(), &config);
        let out = doc
            .fix(&built.docx, &fixed)
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        let again = docx::read(&out.bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(again.text(), fixed, "{name}");
        assert_eq!(out.changes.is_empty(), fixed == doc.text(), "{name}");
        // Only cells and paragraphs of the document changed, each once.
        for change in &out.changes {
            assert!(change.location.is_some(), "{name}: {change:?}");
            assert_ne!(change.before, change.after, "{name}");
        }
        if name == "planted-004" {
            assert!(!out.changes.is_empty(), "the planted typo was not fixed");
        }
    }
}

#[test]
fn a_planted_total_is_fixed_in_its_cell() {
    let text = planted();
    let (built, doc, _, _) = analysed("planted-004", &text);
    let fixed = fix_all(doc.text(), &Config::default());
    let out = doc
        .fix(&built.docx, &fixed)
        .unwrap_or_else(|e| panic!("{e}"));
    let described: Vec<String> = out
        .changes
        .iter()
        .map(|c| {
            let place = c
                .location
                .as_ref()
                .map(|l| l.describe(nianbao::extract::Kind::Word))
                .unwrap_or_default();
            format!("{place}: {} → {}", c.before, c.after)
        })
        .collect();
    // Table 3 of 004 is the document's table 3; （一）予以公开 is its 6th row (after the
    // caption, two header rows, 一 and 二), 总计 its 9th cell.
    assert_eq!(described, ["Word 表格 3 第 6 行 第 9 格: 1326 → 1362"]);
}

/// The committed fixtures: file stem and the text it is generated from.
fn fixtures() -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = ["001", "003", "014", "seed-002"]
        .iter()
        .map(|name| {
            let text =
                std::fs::read_to_string(corpus().join(format!("{name}.txt"))).unwrap_or_default();
            (format!("generated-real-{name}"), text)
        })
        .collect();
    out.push(("generated-planted-004".to_owned(), planted()));
    out
}

fn fixture_path(stem: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/docx")
        .join(format!("{stem}.docx"))
}

fn parts(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    docx::build::unzip(bytes).unwrap_or_else(|e| panic!("{e}"))
}

/// The committed fixtures are what the builder makes of the corpus reports (compared part by
/// part: a compressor's bytes may differ between versions, the parts may not).
#[test]
fn committed_fixtures_are_generated_from_the_corpus() {
    let update = std::env::var_os("NIANBAO_UPDATE_FIXTURES").is_some();
    for (name, text) in fixtures() {
        let built = docx::build::report(&text);
        let path = fixture_path(&name);
        if update {
            let _ = std::fs::create_dir_all(path.parent().unwrap_or(Path::new(".")));
            std::fs::write(&path, &built.docx)
                .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        }
        let committed = std::fs::read(&path).unwrap_or_else(|e| {
            panic!(
                "{}: {e} (NIANBAO_UPDATE_FIXTURES=1 writes it)",
                path.display()
            )
        });
        assert_eq!(parts(&committed), parts(&built.docx), "{}", path.display());
        let doc = docx::read(&committed).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            analyze(doc.text(), &Config::default()).diagnostics.len(),
            analyze(&text, &Config::default()).diagnostics.len(),
            "{name}"
        );
    }
}

fn libreoffice(name: &str) -> (Vec<u8>, docx::Document) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/docx")
        .join(format!("generated-libreoffice-{name}.docx"));
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let doc = docx::read(&bytes).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    (bytes, doc)
}

/// Report 001's document after a round trip through LibreOffice (.docx → .doc → .docx: its own
/// styles, numbering definitions, table grid and runs) reads back as the report's text, byte for
/// byte, with the same diagnostics; fix-all written into LibreOffice's XML reads back as fixed.
#[test]
fn a_libreoffice_round_trip_reads_back_as_the_report() {
    let text = std::fs::read_to_string(corpus().join("001.txt")).unwrap_or_default();
    let (bytes, doc) = libreoffice("001");
    assert_eq!(doc.text(), text);
    let config = Config::default();
    assert_eq!(
        analyze(doc.text(), &config).diagnostics,
        analyze(&text, &config).diagnostics
    );
    let fixed = fix_all(doc.text(), &config);
    let out = doc.fix(&bytes, &fixed).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(out.changes.is_empty(), fixed == text);
    let again = docx::read(&out.bytes).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(again.text(), fixed);
}

/// The saved portal page html/101 opened in LibreOffice and saved as .docx (its tables' rowspans
/// and colspans become vMerge and gridSpan) gives the findings of its text twin, real/024: the
/// same codes and messages. Its page chrome (navigation, the metadata table) comes along as
/// paragraphs and a first table, so places differ; the report's tables are tables 3 to 6.
#[test]
fn a_page_saved_as_docx_by_libreoffice_gives_the_findings_of_its_text() {
    let text = std::fs::read_to_string(corpus().join("024.txt")).unwrap_or_default();
    let (_, doc) = libreoffice("page-101");
    let config = Config::default();
    let findings = |a: &Analysis| -> Vec<String> {
        let mut v: Vec<String> = a
            .diagnostics
            .iter()
            .map(|d| format!("{} {}", d.code, d.message))
            .collect();
        v.sort();
        v
    };
    let from_docx = analyze(doc.text(), &config);
    assert_eq!(findings(&from_docx), findings(&analyze(&text, &config)));
    assert!(!from_docx.diagnostics.is_empty());
    // The merged cells of table 3 (申请人情况 over six columns, 三、本年度办理结果 down the rows)
    // come out as layout 1a: the label once, empty fields for what it covers.
    assert!(
        doc.text()
            .contains("\n三、本年度办理结果\t（一）予以公开\t\t26\t\t\t\t\t\t26\n"),
        "{}",
        doc.text()
    );
    assert!(
        doc.text()
            .contains("\n\t（二）部分公开（区分处理的，只计这一情形，不计其他情形）\t\t0\t"),
        "{}",
        doc.text()
    );
    for d in &from_docx.diagnostics {
        let at = doc.extracted.map.locate(d.range.start);
        assert!(
            matches!(at, Some(Location::Cell { table: 3..=6, .. })),
            "{at:?}"
        );
    }
}
