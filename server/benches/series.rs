//! The series checks over a folder of 1,000 reports: 100 bodies × 10 years, each report a real
//! corpus report (tables and section 五 as published) under a title naming its body and year.
//! What is measured is the cost beyond the single-file checks (`analyze`, done in setup):
//!
//! - `series/entries-1000`: reading each report's series entry from its analysis (identity,
//!   carry-over rows, section 五);
//! - `series/check-1000`: grouping by body and year and comparing every consecutive pair
//!   (carry-over and the similarity of section 五), on one core;
//! - `series/edit`: what an edit costs in the editor — one report compared with its previous
//!   year's.
//!
//! `cargo bench -p nianbao --bench series` (add `-- --measurement-time 2 --warm-up-time 1` for
//! a quick run).

use std::hint::black_box;
use std::path::Path;

use criterion::{Criterion, criterion_group, criterion_main};
use nianbao::analysis::{Analysis, Config, analyze};
use nianbao::series::{self, Entry};

const BODIES: usize = 100;
const YEARS: u32 = 10;

/// The corpus reports whose tables and section 五 are read, from section 一 on.
fn bodies_of_reports() -> Vec<String> {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let corpus = manifest.join("../../shared/corpus/real");
    let dir = if corpus.is_dir() {
        corpus
    } else {
        manifest.join("../examples")
    };
    [
        "001.txt",
        "002.txt",
        "003.txt",
        "004.txt",
        "024.txt",
        "seed-000.txt",
        "015.txt",
    ]
    .iter()
    .filter_map(|name| std::fs::read_to_string(dir.join(name)).ok())
    .filter_map(|text| text.find("一、总体情况").map(|at| text[at..].to_string()))
    .collect()
}

/// A distinct name part for body `b` (names are written in CJK characters).
fn stems(b: usize) -> String {
    const STEMS: [char; 10] = ['甲', '乙', '丙', '丁', '戊', '己', '庚', '辛', '壬', '癸'];
    format!("{}{}", STEMS[b / 10 % 10], STEMS[b % 10])
}

/// (file name, text) of every report of the folder.
fn folder() -> Vec<(String, String)> {
    let bases = bodies_of_reports();
    assert!(!bases.is_empty(), "no corpus reports found");
    let mut out = Vec::new();
    for b in 0..BODIES {
        for y in 0..YEARS {
            let year = 2015 + y;
            let body = format!("测试市{}区人民政府", stems(b));
            let base = &bases[(b + y as usize) % bases.len()];
            let text = format!(
                "{body}\n{year} 年政府信息公开工作年度报告\n本报告中所列数据统计期限自 {year} 年 1 月 1 日起至 {year} 年 12 月 31 日止。\n{base}"
            );
            out.push((format!("reports/{b}/{year}.txt"), text));
        }
    }
    out
}

fn bench(c: &mut Criterion) {
    let reports = folder();
    let analyses: Vec<Analysis> = reports
        .iter()
        .map(|(_, text)| analyze(text, &Config::default()))
        .collect();
    let entries = || -> Vec<Entry> {
        reports
            .iter()
            .zip(&analyses)
            .map(|((name, text), a)| Entry::new(name.clone(), text, a, Some(name)))
            .collect()
    };
    let built = entries();
    let outcomes = series::check(&built);
    let compared = outcomes.iter().filter(|o| o.previous.is_some()).count();
    let found: usize = outcomes.iter().map(|o| o.diagnostics.len()).sum();
    eprintln!(
        "{} reports, {compared} compared with the year before, {found} findings",
        built.len()
    );
    assert_eq!(compared, BODIES * (YEARS as usize - 1));

    let mut group = c.benchmark_group("series");
    group.sample_size(20);
    group.bench_function("entries-1000", |b| b.iter(|| black_box(entries())));
    group.bench_function("check-1000", |b| {
        b.iter(|| black_box(series::check(black_box(&built))))
    });
    group.bench_function("edit", |b| {
        b.iter(|| black_box(series::compare(&built[0], &built[1])))
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
