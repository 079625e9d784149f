//! The documentation stays true: README's table of diagnostic codes matches the code registry,
//! and `examples/` holds the corpus reports byte for byte.

use std::path::Path;

use nianbao::diagnostics::Code;

const ROOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/..");

/// Codes with an automatic fix: those of interface.md, and deleting an unused suppression.
const AUTOFIX: &[Code] = &[
    Code::SectionMissing,
    Code::SumMismatch,
    Code::BalanceMismatch,
    Code::NumberFormat,
    Code::SuppressionUnused,
];

#[test]
fn readme_lists_every_code_with_its_severity() {
    let readme = std::fs::read_to_string(Path::new(ROOT).join("README.md")).unwrap_or_default();
    let rows: Vec<Vec<&str>> = readme
        .lines()
        .filter(|l| l.starts_with("| `"))
        .map(|l| l.trim_matches('|').split('|').map(str::trim).collect())
        .filter(|cells: &Vec<&str>| cells.len() == 4)
        .collect();
    let listed: Vec<&str> = rows.iter().map(|r| r[0].trim_matches('`')).collect();
    let all: Vec<&str> = Code::ALL.iter().map(|c| c.as_str()).collect();
    assert_eq!(listed, all, "README.md's code table is out of date");
    for (row, code) in rows.iter().zip(Code::ALL) {
        assert_eq!(row[1], code.default_severity().as_str(), "{code}");
        assert_eq!(
            row[3] == "✓",
            AUTOFIX.contains(code),
            "{code}: auto-fix column"
        );
    }
}

#[test]
fn examples_are_corpus_files_byte_for_byte() {
    let corpus = Path::new(ROOT).join("../shared/corpus/real");
    if !corpus.is_dir() {
        eprintln!("skipped: {} not found", corpus.display());
        return;
    }
    let mut names: Vec<String> = std::fs::read_dir(Path::new(ROOT).join("examples"))
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".txt"))
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "001.txt",
            "003.txt",
            "004.txt",
            "seed-000.txt",
            "seed-002.txt"
        ]
    );
    for name in names {
        let example = std::fs::read(Path::new(ROOT).join("examples").join(&name));
        let original = std::fs::read(corpus.join(&name));
        assert!(example.is_ok(), "{name}");
        assert_eq!(
            example.ok(),
            original.ok(),
            "examples/{name} differs from the corpus"
        );
    }
}
