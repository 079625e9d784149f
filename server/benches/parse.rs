//! Parse and analysis time over the real-report corpus (`../shared/corpus`, beside the
//! repository): each file, all of `real/` concatenated, and a report of at least 1 MB made by
//! repeating the corpus. Throughput is in bytes of input.
//!
//! `cargo bench -p nianbao --bench parse` (add `-- --measurement-time 1 --warm-up-time 0.5`
//! for a quick run, or a filter such as `-- parse/1MB`).
//!
//! The groups `parse/corpus-each` and `analyze/corpus-each` run every report of `real/` once per
//! iteration; after criterion's output, a summary prints the time per typical report (the mean
//! over `real/`), reports per second on one core, and the parse, the scanner's lines and the rest apart.
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

/// A sound report (`real/004`, else the largest typical one) with `typos` figures of table 3
/// changed — leaves in different rows and columns, each the only wrong figure of its row and
/// column — and, from two on, a table-4 part: the relation engine's diagnosis at work.
fn planted(inputs: &[(String, String)], typos: usize) -> Option<String> {
    let base = inputs
        .iter()
        .find(|(n, _)| n.ends_with("/004"))
        .or_else(|| inputs.iter().max_by_key(|(_, t)| t.len()))?;
    let mut lines: Vec<String> = base.1.lines().map(str::to_owned).collect();
    let mut done = 0;
    let mut column = 0;
    for line in lines.iter_mut() {
        if done == typos {
            break;
        }
        let cells: Vec<&str> = line.split('\t').collect();
        // A table-3 item row in TAB layout: a `N.` label and 7 numbers.
        let numbers: Vec<usize> = (0..cells.len())
            .filter(|&i| !cells[i].is_empty() && cells[i].bytes().all(|b| b.is_ascii_digit()))
            .collect();
        let item = cells
            .iter()
            .any(|c| c.starts_with(|ch: char| ch.is_ascii_digit()) && c.contains('.'));
        if numbers.len() == 7 && item {
            let mut cells: Vec<String> = cells.iter().map(|c| (*c).to_owned()).collect();
            let i = numbers[column % 6];
            cells[i] = (cells[i].parse::<u64>().unwrap_or(0) + 3).to_string();
            *line = cells.join("\t");
            done += 1;
            column += 1;
        } else if numbers.len() == 15 && typos >= 2 {
            let mut cells: Vec<String> = cells.iter().map(|c| (*c).to_owned()).collect();
            cells[numbers[1]] = (cells[numbers[1]].parse::<u64>().unwrap_or(0) + 1).to_string();
            *line = cells.join("\t");
        }
    }
    let mut text = lines.join("\n");
    text.push('\n');
    Some(text)
}

/// `NIANBAO_PROFILE=parse|model|analyze|analyze-1mb|analyze-planted`: a fixed amount of work for
/// callgrind, no criterion.
fn profile(step: &str) {
    let inputs = inputs();
    let big: Vec<String> = inputs
        .iter()
        .filter(|(n, _)| n == "1MB")
        .map(|(_, t)| t.clone())
        .collect();
    let planted: Vec<String> = (1..=3).filter_map(|k| planted(&inputs, k)).collect();
    let reports: Vec<&str> = match step {
        "analyze-1mb" => big.iter().map(String::as_str).collect(),
        "analyze-planted" => planted.iter().map(String::as_str).collect(),
        _ => typical(&inputs),
    };
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

/// Time per typical report, reports per second on one core, and its parts.
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
    // `analyze` reads the lines with the grammar's scanner alone (no tree): what a batch pays.
    let scan = per_report(&reports, |t| {
        black_box(nianbao::model::lines::scan(black_box(t)));
    });
    let config = Config::default();
    let analyze_time = per_report(&reports, |t| {
        black_box(analyze(black_box(t), &config));
    });
    let secs = analyze_time.as_secs_f64();
    let after_scan = analyze_time.saturating_sub(scan).as_secs_f64();
    println!(
        "typical report ({} reports of real/, mean {bytes} bytes), best of rounds, one core:",
        reports.len()
    );
    println!("  parse (tree)     {parse:>10.1?} per report (the language server's)");
    println!("  lines (scanner)  {scan:>10.1?} per report (the analysis's)");
    println!(
        "  analyze (total)  {analyze_time:>10.1?} per report = {:.0} reports/s",
        1.0 / secs
    );
    println!(
        "  analysis after the lines {:>8.1?} per report",
        Duration::from_secs_f64(after_scan),
    );
    // The same report sound and with planted errors: what the diagnosis adds.
    for (name, text) in inputs.iter().filter(|(n, _)| n.starts_with("planted-")) {
        let analysis = analyze(text, &config);
        let errors = analysis
            .diagnostics
            .iter()
            .filter(|d| d.severity == nianbao::diagnostics::Severity::Error)
            .count();
        let time = per_report(&[text.as_str()], |t| {
            black_box(analyze(black_box(t), &config));
        });
        println!("  {name}: {time:>10.1?} per report ({errors} errors)");
    }
}

fn bench(c: &mut Criterion) {
    if let Ok(step) = std::env::var("NIANBAO_PROFILE") {
        profile(&step);
        std::process::exit(0);
    }
    let mut inputs = inputs();
    let reports: Vec<String> = typical(&inputs).into_iter().map(str::to_owned).collect();
    for typos in 1..=3 {
        if let Some(text) = planted(&inputs, typos) {
            inputs.push((format!("planted-{typos}"), text));
        }
    }

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
