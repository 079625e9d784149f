//! Reading saved web pages (`nianbao::html::read`: decode, parse, find the article, render the
//! tables on their grid, source map).
//!
//! `cargo bench -p nianbao --bench html` (add `-- --measurement-time 2 --warm-up-time 0.5` for a
//! quick run). Inputs from `../shared/corpus/html`: each page as saved (101 is a 111 KB portal
//! page with its chrome, 102 a 37 KB article), 101 re-encoded as GBK, and `portal-150KB`: 101
//! with more portal chrome (navigation lists, scripts) until it is 150 KB — the aim is ≤ 5 ms.

use std::hint::black_box;
use std::path::Path;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};

fn pages() -> Vec<(String, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus/html");
    let mut out: Vec<(String, Vec<u8>)> = std::fs::read_dir(&dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "html"))
        .filter_map(|p| {
            let name = p.file_stem()?.to_string_lossy().into_owned();
            Some((name, std::fs::read(&p).ok()?))
        })
        .collect();
    out.sort();
    out
}

fn read(c: &mut Criterion) {
    let mut inputs = pages();
    if let Some((_, p101)) = inputs.iter().find(|(n, _)| n.starts_with("101")).cloned() {
        let text = String::from_utf8_lossy(&p101).replace("charset=\"utf-8\"", "charset=\"gbk\"");
        let (gbk, _, _) = encoding_rs::GBK.encode(&text);
        inputs.push(("101-gbk".to_owned(), gbk.into_owned()));
        // More chrome before the article: a long navigation list and a script.
        let mut big = String::from_utf8_lossy(&p101).into_owned();
        let mut chrome = String::from("<div class=\"nav\"><script>var menu = [];</script><ul>");
        let mut i = 0;
        while big.len() + chrome.len() < 150 * 1024 {
            chrome.push_str(&format!(
                "<li class=\"item\"><a href=\"/col/col{i}/index.html\" title=\"栏目 {i}\">政务公开栏目 {i}</a></li>"
            ));
            i += 1;
        }
        chrome.push_str("</ul></div>");
        big = big.replacen("<article>", &format!("<article>{chrome}"), 1);
        inputs.push(("portal-150KB".to_owned(), big.into_bytes()));
    }
    let mut group = c.benchmark_group("html");
    for (name, bytes) in &inputs {
        group.throughput(Throughput::Bytes(bytes.len() as u64));
        group.bench_function(name.as_str(), |b| {
            b.iter(|| nianbao::html::read(black_box(bytes), None).map(|p| p.text().len()))
        });
    }
    group.finish();
}

criterion_group!(benches, read);
criterion_main!(benches);
