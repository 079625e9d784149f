//! Parse and analysis time over the real-report corpus (`../shared/corpus`, beside the
//! repository): each file, all of `real/` concatenated, and a report of at least 1 MB made by
//! repeating the corpus. Throughput is in bytes of input.
//!
//! `cargo bench -p nianbao --bench parse` (add `-- --measurement-time 1 --warm-up-time 0.5`
//! for a quick run, or a filter such as `-- parse/1MB`).
//!
//! The groups `parse/corpus-each` and `analyze/corpus-each` run every report of `real/` once per
//! iteration; after criterion's output, a summary prints the time per typical report (the mean
//! over `real/`), reports per second on one core and the analyze/parse ratio.
//!
//! Profiling: with `NIANBAO_PROFILE=parse|model|analyze` (and optionally `NIANBAO_PROFILE_ROUNDS`,
//! default 20) the binary skips criterion and runs that step over every report of `real/` a fixed
//! number of times — a deterministic load for `valgrind --tool=callgrind`:
//!
//! ```text
//! cargo bench -p nianbao --bench parse --no-run   # prints the binary's path
//! NIANBAO_PROFILE=analyze valgrind --tool=callgrind target/release/deps/parse-…
//! ```

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use nianbao::analysis::{Config, analyze};
use nianbao::model;
use nianbao::syntax::{self, Parser};

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

/// The typical reports: every file of `real/` (or of the first directory found).
fn typical(inputs: &[(String, String)]) -> Vec<&str> {
    let first = inputs
        .first()
        .and_then(|(n, _)| n.split('/').next())
        .unwrap_or_default();
    inputs
        .iter()
        .filter(|(n, _)| n.split('/').next() == Some(first) && n.contains('/'))
        .map(|(_, t)| t.as_str())
        .collect()
}

/// `NIANBAO_PROFILE=parse|model|analyze`: a fixed amount of work for callgrind, no criterion.
fn profile(step: &str) {
    let inputs = inputs();
    let reports = typical(&inputs);
    let rounds: usize = std::env::var("NIANBAO_PROFILE_ROUNDS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(20);
    let config = Config::default();
    let mut parser = Parser::new();
    for _ in 0..rounds {
        for text in &reports {
            match step {
                "parse" => {
                    black_box(parser.parse(black_box(text)));
                }
                "model" => {
                    let tree = syntax::parse(text);
                    black_box(model::read(black_box(text), &tree, None));
                }
                _ => {
                    black_box(analyze(black_box(text), &config));
                }
            }
        }
    }
    eprintln!(
        "profiled {step}: {rounds} rounds over {} reports",
        reports.len()
    );
}

/// The best of several timed rounds of `f` over all `reports`, per report.
fn per_report(reports: &[&str], mut f: impl FnMut(&str)) -> Duration {
    let mut best = Duration::MAX;
    let deadline = Instant::now() + Duration::from_secs(3);
    let mut rounds = 0;
    while rounds < 10 || (Instant::now() < deadline && rounds < 1000) {
        let t = Instant::now();
        for text in reports {
            f(text);
        }
        best = best.min(t.elapsed());
        rounds += 1;
    }
    best / u32::try_from(reports.len().max(1)).unwrap_or(u32::MAX)
}

/// Time per typical report, reports per second on one core, analyze/parse ratio.
fn summary(inputs: &[(String, String)]) {
    let reports = typical(inputs);
    if reports.is_empty() {
        return;
    }
    let bytes = reports.iter().map(|r| r.len()).sum::<usize>() / reports.len();
    let mut parser = Parser::new();
    let parse = per_report(&reports, |t| {
        black_box(parser.parse(black_box(t)));
    });
    let config = Config::default();
    let analyze_time = per_report(&reports, |t| {
        black_box(analyze(black_box(t), &config));
    });
    let secs = analyze_time.as_secs_f64();
    let after_parse = analyze_time.saturating_sub(parse).as_secs_f64();
    println!(
        "typical report ({} reports of real/, mean {bytes} bytes), best of rounds, one core:",
        reports.len()
    );
    println!("  parse            {parse:>10.1?} per report");
    println!(
        "  analyze (total)  {analyze_time:>10.1?} per report = {:.0} reports/s",
        1.0 / secs
    );
    println!(
        "  analysis after the parse {:>8.1?} per report; analyze/parse = {:.2}, (analyze − parse)/parse = {:.2}",
        Duration::from_secs_f64(after_parse),
        secs / parse.as_secs_f64(),
        after_parse / parse.as_secs_f64()
    );
}

fn bench(c: &mut Criterion) {
    if let Ok(step) = std::env::var("NIANBAO_PROFILE") {
        profile(&step);
        std::process::exit(0);
    }
    let inputs = inputs();
    let reports = typical(&inputs);

    let mut group = c.benchmark_group("parse");
    let mut parser = Parser::new();
    for (name, text) in &inputs {
        group.throughput(Throughput::Bytes(text.len() as u64));
        group.bench_with_input(BenchmarkId::from_parameter(name), text, |b, text| {
            b.iter(|| parser.parse(black_box(text)));
        });
    }
    group.throughput(Throughput::Elements(reports.len() as u64));
    group.bench_function("corpus-each", |b| {
        b.iter(|| {
            for text in &reports {
                black_box(parser.parse(black_box(text)));
            }
        });
    });
    group.finish();

    let mut group = c.benchmark_group("analyze");
    let config = Config::default();
    for (name, text) in &inputs {
        group.throughput(Throughput::Bytes(text.len() as u64));
        group.bench_with_input(BenchmarkId::from_parameter(name), text, |b, text| {
            b.iter(|| analyze(black_box(text), &config));
        });
    }
    group.throughput(Throughput::Elements(reports.len() as u64));
    group.bench_function("corpus-each", |b| {
        b.iter(|| {
            for text in &reports {
                black_box(analyze(black_box(text), &config));
            }
        });
    });
    group.finish();

    summary(&inputs);
}

criterion_group!(benches, bench);
criterion_main!(benches);
