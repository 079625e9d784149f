//! Formatting time over the real-report corpus (`../shared/corpus`, beside the repository):
//! each file, all of `real/` concatenated, a report of at least 1 MB made by repeating `real/`,
//! and a 1 MB report in the one-cell-per-line layout (seed 000 repeated: every table row is
//! joined). `format` is the whole checked formatter (planning, applying, and the checks:
//! lossless, analysis of the output equal to the input's, a second pass that changes nothing);
//! `plan` is one planning pass alone. Throughput is in bytes of input.
//!
//! `cargo bench -p nianbao --bench format` (add `-- --measurement-time 2 --warm-up-time 0.5`
//! for a quick run, or a filter such as `-- format/1MB`).

use std::hint::black_box;
use std::path::{Path, PathBuf};

use criterion::{
    BenchmarkId, Criterion, SamplingMode, Throughput, criterion_group, criterion_main,
};
use nianbao::analysis::Config;
use nianbao::format::{format_unchecked, format_with};

const ONE_MB: usize = 1 << 20;

fn repeat_to_one_mb(text: &str) -> String {
    let mut big = String::with_capacity(ONE_MB + text.len());
    while big.len() < ONE_MB {
        big.push_str(text);
        if !big.ends_with('\n') {
            big.push('\n');
        }
    }
    big
}

/// `(name, text)` of every input.
fn inputs() -> Vec<(String, String)> {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let corpus = manifest.join("../../shared/corpus");
    let mut inputs = Vec::new();
    let mut real = String::new();
    let mut seed_000 = None;
    for dir in ["real", "degraded"] {
        let mut files: Vec<PathBuf> = std::fs::read_dir(corpus.join(dir))
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
            if dir == "real" {
                real.push_str(&text);
                if !real.ends_with('\n') {
                    real.push('\n');
                }
                if name == "seed-000" {
                    seed_000 = Some(text.clone());
                }
            }
            inputs.push((format!("{dir}/{name}"), text));
        }
    }
    if real.is_empty() {
        eprintln!(
            "note: {} not found; benchmarking examples/ instead",
            corpus.display()
        );
        for entry in std::fs::read_dir(manifest.join("../examples"))
            .into_iter()
            .flatten()
            .flatten()
        {
            if let Ok(text) = std::fs::read_to_string(entry.path()) {
                real.push_str(&text);
            }
        }
    }
    if !real.is_empty() {
        inputs.push(("1MB".to_owned(), repeat_to_one_mb(&real)));
        inputs.push(("real-all".to_owned(), real));
    }
    if let Some(seed) = seed_000 {
        inputs.push(("1MB-cell-per-line".to_owned(), repeat_to_one_mb(&seed)));
    }
    inputs
}

fn bench(c: &mut Criterion) {
    let inputs = inputs();
    let config = Config::default();
    for (group_name, checked) in [("format", true), ("plan", false)] {
        let mut group = c.benchmark_group(group_name);
        group.sampling_mode(SamplingMode::Flat);
        for (name, text) in &inputs {
            if name.starts_with("1MB") {
                group.sample_size(10);
            } else {
                group.sample_size(30);
            }
            group.throughput(Throughput::Bytes(text.len() as u64));
            group.bench_with_input(BenchmarkId::from_parameter(name), text, |b, text| {
                if checked {
                    b.iter(|| format_with(black_box(text), &config));
                } else {
                    b.iter(|| format_unchecked(black_box(text), &config));
                }
            });
        }
        group.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
