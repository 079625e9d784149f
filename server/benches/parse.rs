//! Parse and analysis time over the real-report corpus (`../shared/corpus`, beside the
//! repository): each file, all of `real/` concatenated, and a report of at least 1 MB made by
//! repeating the corpus. Throughput is in bytes of input.
//!
//! `cargo bench -p nianbao --bench parse` (add `-- --measurement-time 1 --warm-up-time 0.5`
//! for a quick run, or a filter such as `-- parse/1MB`).

use std::hint::black_box;
use std::path::{Path, PathBuf};

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use nianbao::analysis::{Config, analyze};
use nianbao::syntax::Parser;

const ONE_MB: usize = 1 << 20;

/// `(name, text)` of every input: the corpus files, `real/` concatenated, and ≥ 1 MB.
fn inputs() -> Vec<(String, String)> {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let corpus = manifest.join("../../shared/corpus");
    let mut dirs: Vec<(String, PathBuf)> = ["real", "degraded"]
        .iter()
        .map(|d| ((*d).to_owned(), corpus.join(d)))
        .filter(|(_, p)| p.is_dir())
        .collect();
    if dirs.is_empty() {
        eprintln!(
            "note: {} not found; benchmarking examples/ instead",
            corpus.display()
        );
        dirs.push(("examples".to_owned(), manifest.join("../examples")));
    }

    let mut inputs = Vec::new();
    let mut first = String::new();
    for (i, (label, dir)) in dirs.iter().enumerate() {
        let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "txt"))
            .collect();
        files.sort();
        for path in files {
            let Ok(text) = std::fs::read_to_string(&path) else {
                continue;
            };
            let name = path
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            if i == 0 {
                first.push_str(&text);
                if !first.ends_with('\n') {
                    first.push('\n');
                }
            }
            inputs.push((format!("{label}/{name}"), text));
        }
    }
    let all_label = format!("{}-all", dirs.first().map_or("", |(l, _)| l.as_str()));
    if !first.is_empty() {
        let mut big = String::with_capacity(ONE_MB + first.len());
        while big.len() < ONE_MB {
            big.push_str(&first);
        }
        inputs.push((all_label, first));
        inputs.push(("1MB".to_owned(), big));
    }
    inputs
}

fn bench(c: &mut Criterion) {
    let inputs = inputs();

    let mut group = c.benchmark_group("parse");
    let mut parser = Parser::new();
    for (name, text) in &inputs {
        group.throughput(Throughput::Bytes(text.len() as u64));
        group.bench_with_input(BenchmarkId::from_parameter(name), text, |b, text| {
            b.iter(|| parser.parse(black_box(text)));
        });
    }
    group.finish();

    let mut group = c.benchmark_group("analyze");
    let config = Config::default();
    for (name, text) in &inputs {
        group.throughput(Throughput::Bytes(text.len() as u64));
        group.bench_with_input(BenchmarkId::from_parameter(name), text, |b, text| {
            b.iter(|| analyze(black_box(text), &config));
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
