//! Reading Word documents (`nianbao::docx::read`: unzip, parse, walk, numbering, source map).
//!
//! `cargo bench -p nianbao --bench docx` (add `-- --measurement-time 2 --warm-up-time 0.5` for a
//! quick run). Inputs, built from the corpus (`../shared/corpus/real`) with
//! `nianbao::docx::build::report`:
//!
//! - `docx/report/<name>`: each real report as a Word document (the aim: ≤ 5 ms);
//! - `docx/report-word-styles/003`: the largest report with a styles part the size Word and
//!   python-docx write (hundreds of styles and latent styles, ≈ 350 KB), which is parsed too;
//! - `docx/1.5MB`: every report concatenated until document.xml holds ≥ 1.5 MB (aim ≤ 50 ms);
//! - `docx/fix/001`: fix-all's result written back into report 001 (two cells) and checked by
//!   reading the new document again.

use std::hint::black_box;
use std::io::Read as _;
use std::path::Path;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use nianbao::docx::{self, build};

fn corpus() -> Vec<(String, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus/real");
    let dir = if dir.is_dir() {
        dir
    } else {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples")
    };
    let mut out: Vec<(String, String)> = std::fs::read_dir(&dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .filter_map(|p| {
            let name = p.file_stem()?.to_string_lossy().into_owned();
            Some((name, std::fs::read_to_string(&p).ok()?))
        })
        .collect();
    out.sort();
    out
}

/// The size of a part of a .docx.
fn part_len(docx: &[u8], name: &str) -> usize {
    let Ok(mut zip) = zip::ZipArchive::new(std::io::Cursor::new(docx)) else {
        return 0;
    };
    let mut content = Vec::new();
    if let Ok(mut f) = zip.by_name(name) {
        let _ = f.read_to_end(&mut content);
    }
    content.len()
}

/// `docx` with its styles part padded to the size of Word's or python-docx's: latent styles
/// and full style definitions the reader must parse past.
fn with_word_sized_styles(docx: &[u8]) -> Vec<u8> {
    let Ok(mut zip) = zip::ZipArchive::new(std::io::Cursor::new(docx)) else {
        return docx.to_vec();
    };
    let mut entries: Vec<(String, Vec<u8>)> = Vec::new();
    for i in 0..zip.len() {
        let Ok(mut f) = zip.by_index(i) else { continue };
        let mut content = Vec::new();
        let _ = f.read_to_end(&mut content);
        entries.push((f.name().unwrap_or_default().to_string(), content));
    }
    let mut latent = String::from(
        r#"<w:latentStyles w:defLockedState="0" w:defUIPriority="99" w:defSemiHidden="0" w:defUnhideWhenUsed="0" w:defQFormat="0" w:count="376">"#,
    );
    for i in 0..376 {
        latent.push_str(&format!(r#"<w:lsdException w:name="Style {i}" w:semiHidden="1" w:uiPriority="{i}" w:unhideWhenUsed="1"/>"#));
    }
    latent.push_str("</w:latentStyles>");
    let mut styles = String::new();
    for i in 0..260 {
        styles.push_str(&format!(
            r#"<w:style w:type="table" w:styleId="GridTable{i}"><w:name w:val="Grid Table {i}"/><w:basedOn w:val="TableNormal"/><w:uiPriority w:val="46"/><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr><w:tblPr><w:tblStyleRowBandSize w:val="1"/><w:tblStyleColBandSize w:val="1"/><w:tblBorders><w:top w:val="single" w:sz="4" w:space="0" w:color="999999"/><w:left w:val="single" w:sz="4" w:space="0" w:color="999999"/><w:bottom w:val="single" w:sz="4" w:space="0" w:color="999999"/><w:right w:val="single" w:sz="4" w:space="0" w:color="999999"/><w:insideH w:val="single" w:sz="4" w:space="0" w:color="999999"/><w:insideV w:val="single" w:sz="4" w:space="0" w:color="999999"/></w:tblBorders></w:tblPr><w:tblStylePr w:type="firstRow"><w:rPr><w:b/><w:bCs/></w:rPr><w:tblPr/><w:tcPr><w:shd w:val="clear" w:color="auto" w:fill="CCCCCC"/></w:tcPr></w:tblStylePr><w:tblStylePr w:type="band1Horz"><w:tblPr/><w:tcPr><w:shd w:val="clear" w:color="auto" w:fill="EEEEEE"/></w:tcPr></w:tblStylePr></w:style>"#
        ));
    }
    for (name, content) in &mut entries {
        if name == "word/styles.xml" {
            let text = String::from_utf8_lossy(content).into_owned();
            let text = text
                .replacen("<w:docDefaults>", &format!("{latent}<w:docDefaults>"), 1)
                .replacen("</w:styles>", &format!("{styles}</w:styles>"), 1);
            *content = text.into_bytes();
        }
    }
    build::zip(
        entries.iter().map(|(n, c)| (n.as_str(), c.as_slice())),
        zip::CompressionMethod::Deflated,
    )
}

fn read(c: &mut Criterion) {
    let reports = corpus();
    let mut group = c.benchmark_group("docx");
    for (name, text) in &reports {
        let docx = build::report(text).docx;
        group.throughput(Throughput::Bytes(
            part_len(&docx, "word/document.xml") as u64
        ));
        group.bench_function(format!("report/{name}"), |b| {
            b.iter(|| docx::read(black_box(&docx)).map(|d| d.extracted.text.len()))
        });
    }
    if let Some((name, text)) = reports.iter().max_by_key(|(_, t)| t.len()) {
        let docx = with_word_sized_styles(&build::report(text).docx);
        eprintln!(
            "report-word-styles/{name}: styles.xml {} KB",
            part_len(&docx, "word/styles.xml") / 1024
        );
        group.bench_function(format!("report-word-styles/{name}"), |b| {
            b.iter(|| docx::read(black_box(&docx)).map(|d| d.extracted.text.len()))
        });
    }
    let mut big = String::new();
    let mut docx = Vec::new();
    // Whole reports, one after another, until document.xml reaches 1.5 MB (about 1.05 MB of XML
    // per 120 KB of text: grow by an estimate, then by one report at a time).
    for (_, text) in reports.iter().cycle() {
        if part_len(&docx, "word/document.xml") >= 1_500_000 {
            break;
        }
        big.push_str(text);
        big.push('\n');
        if big.len() > 150_000 {
            docx = build::report(&big).docx;
        }
    }
    let size = part_len(&docx, "word/document.xml");
    eprintln!(
        "1.5MB: document.xml {} KB, text {} KB",
        size / 1024,
        big.len() / 1024
    );
    group.throughput(Throughput::Bytes(size as u64));
    group.sample_size(20);
    group.bench_function("1.5MB", |b| {
        b.iter(|| docx::read(black_box(&docx)).map(|d| d.extracted.text.len()))
    });
    group.sample_size(100);
    if let Some((_, text)) = reports.iter().find(|(n, _)| n == "001") {
        let docx = build::report(text).docx;
        if let Ok(doc) = docx::read(&docx) {
            let fixed = nianbao::fix::fix_all(doc.text(), &Default::default());
            group.bench_function("fix/001", |b| {
                b.iter(|| doc.fix(black_box(&docx), &fixed).map(|f| f.bytes.len()))
            });
        }
    }
    group.finish();
}

criterion_group!(benches, read);
criterion_main!(benches);
