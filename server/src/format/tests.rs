use std::path::{Path, PathBuf};

use super::*;
use crate::analysis::{Config, analyze};

/// Asserts the three properties on `text`: the checked formatter applies the planned layout
/// (so the plan is lossless and analysis-preserving — `format_with` refuses otherwise, and a
/// refusal fails here), the plan is idempotent, and its edits produce the same text.
pub(super) fn assert_properties(name: &str, text: &str) -> String {
    let config = Config::default();
    let formatted = format_with(text, &config);
    if let Some(refusal) = &formatted.refused {
        let out = format_unchecked(text, &config);
        let before = diagnostic_keys(&analyze(text, &config));
        let after = diagnostic_keys(&analyze(&out, &config));
        let path = save_failure(text);
        panic!(
            "{name}: {refusal:?} (input saved to {path})\n--- only before\n{:?}\n--- only after\n{:?}",
            before
                .iter()
                .filter(|d| !after.contains(d))
                .collect::<Vec<_>>(),
            after
                .iter()
                .filter(|d| !before.contains(d))
                .collect::<Vec<_>>(),
        );
    }
    let out = formatted.text;
    assert!(same_visible(text, &out), "{name}: not lossless");
    let again = format_unchecked(&out, &config);
    if out != again {
        let path = save_failure(text);
        panic!(
            "{name}: not idempotent (input saved to {path})\n--- once\n{out:?}\n--- twice\n{again:?}"
        );
    }
    assert_eq!(apply_edits(text, formatted.edits), out, "{name}: edits");
    out
}

/// Writes a failing input where it can be replayed (`DUMP=path cargo test … format::tests::dump`).
fn save_failure(text: &str) -> String {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    text.hash(&mut h);
    let path = std::env::temp_dir().join(format!("nianbao-format-failure-{:016x}.txt", h.finish()));
    let _ = std::fs::write(&path, text);
    path.display().to_string()
}

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus")
}

/// `(folder/name, text)` of every corpus report.
pub(super) fn corpus() -> Vec<(String, String)> {
    let mut out = Vec::new();
    for dir in ["real", "degraded"] {
        let Ok(entries) = std::fs::read_dir(corpus_dir().join(dir)) else {
            continue;
        };
        let mut paths: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
        paths.sort();
        for path in paths
            .into_iter()
            .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        {
            let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned());
            if let (Some(stem), Ok(text)) = (stem, std::fs::read_to_string(&path)) {
                out.push((format!("{dir}/{stem}"), text));
            }
        }
    }
    out
}

#[test]
fn corpus_keeps_the_three_properties() {
    let corpus = corpus();
    if corpus.is_empty() {
        eprintln!(
            "note: {} not found; corpus test skipped",
            corpus_dir().display()
        );
        return;
    }
    for (name, text) in &corpus {
        assert_properties(name, text);
        // The same report with CRLF line breaks.
        let crlf = text.replace('\n', "\r\n");
        let out = assert_properties(&format!("{name} (CRLF)"), &crlf);
        assert!(!out.replace("\r\n", "").contains('\n'), "{name}: CRLF kept");
    }
}

#[test]
fn corpus_snapshots() {
    let corpus = corpus();
    if corpus.is_empty() {
        return;
    }
    for (name, text) in &corpus {
        // TABs shown as `⇥` (layouts.md's notation) so that cell boundaries are visible.
        let out = format(text).replace('\t', "⇥");
        let mut settings = insta::Settings::clone_current();
        settings.set_snapshot_suffix(name.replace('/', "-"));
        settings.set_prepend_module_to_snapshot(false);
        settings.bind(|| insta::assert_snapshot!("corpus", out));
    }
}

#[test]
#[ignore]
fn dump() {
    let path = std::env::var("DUMP").unwrap_or_default();
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let f = format_with(&text, &Config::default());
    println!("{:?}", f.refused);
    print!("{}", f.text.replace('\t', "⇥"));
    if f.refused.is_some() {
        println!(
            "--- unchecked pass:\n{:?}",
            format_unchecked(&text, &Config::default())
        );
    }
}
