//! `check` over a batch streams its files through a bounded window and a spill (cli/batch.rs);
//! its output must be byte for byte what holding every file does. The reference here is built in
//! process the way `check` built it before: every text analysed, the series pass over all the
//! entries, its findings merged, one JSON document.

use std::error::Error;
use std::path::{Path, PathBuf};
use std::process::Command;

use nianbao::analysis::{Config, analyze};
use nianbao::report_json as json;
use nianbao::series::{self, Entry};

const BIN: &str = env!("CARGO_BIN_EXE_nianbao");

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus")
}

/// A batch of `bodies` × 4 years: copies of the real reports with a title naming another body and
/// year (and the report's own year moved with it), in two directories; some with a figure off by
/// one, one body with a copied section 五 — so the series pass links, compares and finds.
fn write_batch(dir: &Path, bodies: usize) -> Result<Vec<(PathBuf, String)>, Box<dyn Error>> {
    write_batch_in(dir, bodies, |b| if b % 2 == 0 { "a" } else { "b" })
}

/// [`write_batch`], body `b`'s reports in directory `sub(b)` of `dir`.
fn write_batch_in(
    dir: &Path,
    bodies: usize,
    sub: impl Fn(usize) -> &'static str,
) -> Result<Vec<(PathBuf, String)>, Box<dyn Error>> {
    let mut sources = Vec::new();
    for name in ["001", "002", "003", "004", "014", "015", "024"] {
        sources.push(std::fs::read_to_string(
            corpus().join(format!("real/{name}.txt")),
        )?);
    }
    let places = [
        "东安", "西宁", "南昌", "北海", "中山", "长乐", "永和", "兴化",
    ];
    let mut files = Vec::new();
    for b in 0..bodies {
        let body = format!(
            "{}{}县人民政府",
            places[b % places.len()],
            places[b / places.len() % places.len()]
        );
        for (k, year) in (2020..2024).enumerate() {
            let source = &sources[(b * 3 + k) % sources.len()];
            let own = (2019..=2025)
                .max_by_key(|y| source.matches(&y.to_string()).count())
                .unwrap_or(2023);
            let mut text = source.replace(&own.to_string(), &year.to_string());
            if (b + k) % 3 == 0 {
                text = text.replacen("\t0\t", "\t1\t", 1);
            }
            if b == 1 && k > 0 {
                // The same text every year: section 五 copied.
                text = sources[0].replace("2023", &year.to_string());
            }
            let sub = dir.join(sub(b));
            std::fs::create_dir_all(&sub)?;
            let path = sub.join(format!("{body}{year}年政府信息公开工作年度报告.txt"));
            let text = format!("{body}{year}年政府信息公开工作年度报告\n{text}");
            std::fs::write(&path, &text)?;
            files.push((path, text));
        }
    }
    files.sort();
    Ok(files)
}

/// The JSON document as `check --format json` made it when it kept every file.
fn reference(files: &[(PathBuf, String)]) -> String {
    let config = Config::default();
    let names: Vec<String> = files.iter().map(|(p, _)| p.display().to_string()).collect();
    let analyses: Vec<_> = files.iter().map(|(_, t)| analyze(t, &config)).collect();
    let entries: Vec<Entry> = files
        .iter()
        .zip(&analyses)
        .zip(&names)
        .map(|(((_, text), a), name)| Entry::new(name.clone(), text, a, Some(name)))
        .collect();
    let outcomes = series::check(&entries);
    let texts = |name: &str| {
        names
            .iter()
            .position(|n| n == name)
            .map(|i| files[i].1.as_str())
    };
    let mut report = json::Report {
        version: 1,
        files: Vec::new(),
    };
    for (i, mut outcome) in outcomes.into_iter().enumerate() {
        let mut diagnostics = analyses[i].diagnostics.clone();
        let found = config.apply_severity(std::mem::take(&mut outcome.diagnostics));
        if !found.is_empty() {
            diagnostics.extend(found);
            diagnostics.sort_by(|a, b| a.range.start.cmp(&b.range.start).then(a.code.cmp(&b.code)));
        }
        let mut file = json::located(
            names[i].clone(),
            analyses[i].template,
            &files[i].1,
            &diagnostics,
            &texts,
            None,
        );
        file.encoding = Some("UTF-8");
        json::set_series(&mut file, &entries[i], &outcome, |j| names.get(j).cloned());
        report.files.push(file);
    }
    json::to_string(&report)
}

fn check(
    dir: &Path,
    threads: &str,
    format: &str,
) -> Result<(Vec<u8>, Option<i32>), Box<dyn Error>> {
    let out = Command::new(BIN)
        .args(["check", "--format", format])
        .arg(dir)
        .env("RAYON_NUM_THREADS", threads)
        .output()?;
    Ok((out.stdout, out.status.code()))
}

/// The first line where `json` differs from `expected`, for a failure message.
fn first_difference(json: &str, expected: &str) -> String {
    let line = json
        .lines()
        .zip(expected.lines())
        .position(|(a, b)| a != b)
        .unwrap_or(0);
    format!(
        "output differs from line {}:\n{}\nexpected:\n{}",
        line + 1,
        json.lines()
            .skip(line)
            .take(5)
            .collect::<Vec<_>>()
            .join("\n"),
        expected
            .lines()
            .skip(line)
            .take(5)
            .collect::<Vec<_>>()
            .join("\n"),
    )
}

/// A deeper tree, searched while its first files are checked: directories whose names sort
/// differently byte by byte and by path (`a-b`, `a.b`, `a/b`, `a0`), a link back to the top
/// (a loop, searched once), a hidden directory and a README (skipped); bodies named two ways
/// (`real/001` and `real/002`), a year given twice, reports whose identity is unknown — so that
/// every member is read back from the spill, for grouping notes as for comparisons.
#[test]
fn a_tree_searched_as_it_is_checked_prints_what_holding_every_file_printed()
-> Result<(), Box<dyn Error>> {
    let dir = std::env::temp_dir().join(format!("nianbao-batch-tree-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let subs = ["a", "a-b", "a/b", "a.b/c", "a0", "a/b/c/d"];
    let mut files = write_batch_in(&dir, 18, |b| subs[b % subs.len()])?;
    let twice = files[3].clone();
    let mut add = |path: PathBuf, text: String| -> Result<(), Box<dyn Error>> {
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(&path, &text)?;
        files.push((path, text));
        Ok(())
    };
    for name in ["001", "002"] {
        let text = std::fs::read_to_string(corpus().join(format!("real/{name}.txt")))?;
        add(dir.join(format!("a/b/{name}.txt")), text)?;
    }
    add(dir.join("a0/again.txt"), twice.1)?;
    for name in ["007", "009", "011"] {
        let text = std::fs::read_to_string(corpus().join(format!("degraded/{name}.txt")))?;
        add(dir.join(format!("a-b/degraded-{name}.txt")), text)?;
    }
    add(
        dir.join("a0/未知.txt"),
        "政府信息公开工作年度报告\n\n一、总体情况\n\n本年度依法公开政府信息。\n".to_owned(),
    )?;
    files.sort();
    std::fs::create_dir_all(dir.join(".hidden"))?;
    std::fs::write(dir.join(".hidden/x.txt"), "不检查")?;
    std::fs::write(dir.join("a/README.md"), "不检查")?;
    #[cfg(unix)]
    std::os::unix::fs::symlink("..", dir.join("a/b/up"))?;
    let expected = reference(&files);
    assert!(expected.contains("视为同一机关"), "no body named two ways");
    assert!(expected.contains("份报告（"), "no year given twice");
    assert!(expected.contains("不明"), "no unknown identity");
    for threads in ["1", "3"] {
        let (json, _) = check(&dir, threads, "json")?;
        let json = String::from_utf8(json)?;
        assert!(
            json == expected,
            "{threads} threads: {}",
            first_difference(&json, &expected)
        );
    }
    std::fs::remove_dir_all(&dir)?;
    Ok(())
}

#[test]
fn a_batch_prints_what_holding_every_file_printed() -> Result<(), Box<dyn Error>> {
    let dir = std::env::temp_dir().join(format!("nianbao-batch-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let files = write_batch(&dir, 12)?;
    let expected = reference(&files);
    // The batch exercises the series pass: links, carry-over mismatches and a copied section 五.
    assert!(expected.contains("\"previous\": \""), "no series links");
    assert!(
        expected.contains("carryover-mismatch"),
        "no carry-over finding"
    );
    assert!(expected.contains("content-copied"), "no copied section 五");
    for threads in ["1", "3"] {
        let (json, status) = check(&dir, threads, "json")?;
        assert_eq!(status, Some(1));
        let json = String::from_utf8(json)?;
        if json != expected {
            panic!("{threads} threads: {}", first_difference(&json, &expected));
        }
    }
    // Human and CSV output do not depend on the number of threads either.
    for format in ["human", "csv"] {
        assert_eq!(
            check(&dir, "1", format)?,
            check(&dir, "4", format)?,
            "{format}"
        );
    }
    std::fs::remove_dir_all(&dir)?;
    Ok(())
}

/// No file at all: an empty document, as before.
#[test]
fn an_empty_directory_gives_an_empty_document() -> Result<(), Box<dyn Error>> {
    let dir = std::env::temp_dir().join(format!("nianbao-batch-empty-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let (json, status) = check(&dir, "2", "json")?;
    assert_eq!(status, Some(0));
    let empty = json::to_string(&json::Report {
        version: 1,
        files: Vec::new(),
    });
    assert_eq!(String::from_utf8(json)?, empty);
    let (csv, _) = check(&dir, "2", "csv")?;
    assert_eq!(
        String::from_utf8(csv)?,
        "\u{feff}path,body,year,template,errors,warnings,first_error\r\n"
    );
    std::fs::remove_dir_all(&dir)?;
    Ok(())
}
