//! Parse + analysis time per megabyte, from 1 MB to 16 MB: flat when nothing takes more than
//! linear time. Two shapes of input, each a real-report corpus (`../shared/corpus`, beside the
//! repository; `examples/` without it) repeated to the size:
//! - `reports`: the reports of `real/` one after another (ordinary lines, tables, headings —
//!   every heading and table repeated, as in a careless concatenation);
//! - `one-line`: the crawler-flattened reports of `degraded/` joined into a single line (the
//!   10 MB single line of the hostile-input tests).
//!
//! `cargo bench -p nianbao --bench scaling` prints, besides criterion's statistics, a table of
//! milliseconds per MB for each size (the criterion throughput, MiB/s, says the same).
//! `-- --quick` is a shorter run.

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use criterion::{
    BenchmarkId, Criterion, SamplingMode, Throughput, criterion_group, criterion_main,
};
use nianbao::analysis::{Config, analyze};

const MB: usize = 1 << 20;
const SIZES: [usize; 5] = [1, 2, 4, 8, 16];

fn corpus(dir: &str) -> Vec<String> {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut path = manifest.join("../../shared/corpus").join(dir);
    if !path.is_dir() {
        path = manifest.join("../examples");
    }
    let mut files: Vec<PathBuf> = std::fs::read_dir(&path)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    files.sort();
    files
        .iter()
        .filter_map(|p| std::fs::read_to_string(p).ok())
        .collect()
}

/// `unit` repeated to at least `size` bytes.
fn repeat_to(unit: &str, size: usize) -> String {
    let mut text = String::with_capacity(size + unit.len());
    while text.len() < size {
        text.push_str(unit);
    }
    text
}

/// The two shapes, each as the unit that is repeated.
fn shapes() -> Vec<(&'static str, String)> {
    let mut reports = String::new();
    for text in corpus("real") {
        reports.push_str(&text);
        if !reports.ends_with('\n') {
            reports.push('\n');
        }
    }
    let line: String = corpus("degraded")
        .iter()
        .map(|t| t.replace(['\n', '\r'], " "))
        .collect::<Vec<_>>()
        .join(" ");
    vec![("reports", reports), ("one-line", line + " ")]
}

fn bench(c: &mut Criterion) {
    let config = Config::default();
    let mut table = Vec::new();
    for (shape, unit) in shapes() {
        if unit.trim().is_empty() {
            continue;
        }
        let mut group = c.benchmark_group(format!("scaling/{shape}"));
        group
            .sampling_mode(SamplingMode::Flat)
            .sample_size(10)
            .warm_up_time(Duration::from_millis(500))
            .measurement_time(Duration::from_secs(5));
        for mb in SIZES {
            let text = repeat_to(&unit, mb * MB);
            group.throughput(Throughput::Bytes(text.len() as u64));
            group.bench_with_input(
                BenchmarkId::from_parameter(format!("{mb}MB")),
                &text,
                |b, text| {
                    b.iter(|| analyze(black_box(text), &config));
                },
            );
            // One timed run for the summary table (criterion's own figures are above).
            let started = Instant::now();
            black_box(analyze(&text, &config));
            let ms = started.elapsed().as_secs_f64() * 1000.0;
            table.push((shape, mb, ms, ms * MB as f64 / text.len() as f64));
        }
        group.finish();
    }
    eprintln!("\nparse + analysis, per MB:");
    eprintln!(
        "{:<10} {:>6} {:>10} {:>10}",
        "shape", "size", "total ms", "ms / MB"
    );
    for (shape, mb, ms, per_mb) in table {
        eprintln!("{shape:<10} {:>4}MB {ms:>10.0} {per_mb:>10.1}", mb);
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
