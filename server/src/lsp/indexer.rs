//! The indexer: one thread that reads the report files of the workspace folders from disk,
//! analyses each and hands its series [`Entry`] to the documents thread — off the request path,
//! so opening a report gets its own diagnostics at once and the checks across years follow.
//!
//! Only report files are read: `*.txt`, `*.md`, `*.nianbao` (any case) that are not README
//! files, at most [`MAX_BYTES`], UTF-8 and without NUL bytes (binary); directories `.git`,
//! `target`, `node_modules` and every name starting with `.` are skipped, links are not
//! followed, and a folder stops being searched after [`MAX_FILES`] reports.

use std::collections::HashSet;
use std::fs;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc::{self, Receiver, Sender};

use super::documents::Msg;
use crate::analysis::{Config, analyze};
use crate::series::Entry;

/// Larger files are not reports (a report is 5–50 KB).
pub const MAX_BYTES: u64 = 2 * 1024 * 1024;

/// At most this many report files are indexed per folder, and this many directories searched
/// (a folder opened at `/` must not read the whole disk).
pub const MAX_FILES: usize = 20_000;
pub const MAX_DIRS: usize = 20_000;

/// Entries are sent in batches of this many, so the first arrive early.
const BATCH: usize = 64;

/// What the indexer is asked to do, and where to send the entries (`Msg::Indexed` to the
/// documents thread). The sender travels with the job so that an idle indexer holds none: the
/// documents thread ends when the server drops its senders, and the indexer with it.
pub enum Job {
    /// Index every report file under these folders.
    Roots(Vec<PathBuf>, Sender<Msg>),
    /// Read these files again (changed, created, deleted on disk, or closed in the editor).
    Files(Vec<PathBuf>, Sender<Msg>),
}

/// Starts the indexer.
pub fn spawn() -> Sender<Job> {
    let (tx, rx) = mpsc::channel();
    let spawned = std::thread::Builder::new()
        .name("nianbao-indexer".to_string())
        .spawn(move || run(rx));
    if let Err(e) = spawned {
        eprintln!("nianbao lsp: cannot start the indexer thread: {e}");
    }
    tx
}

fn run(rx: Receiver<Job>) {
    while let Ok(job) = rx.recv() {
        let (paths, docs): (Vec<PathBuf>, _) = match job {
            Job::Roots(roots, docs) => {
                (roots.iter().flat_map(|r| reports_under(r)).collect(), docs)
            }
            Job::Files(paths, docs) => (paths, docs),
        };
        for chunk in paths.chunks(BATCH) {
            let batch: Vec<(String, Option<Arc<Entry>>)> = chunk
                .iter()
                .map(|path| {
                    let key = path.to_string_lossy().into_owned();
                    let entry = catch_unwind(AssertUnwindSafe(|| read_entry(path, &key)))
                        .ok()
                        .flatten();
                    (key, entry)
                })
                .collect();
            if docs.send(Msg::Indexed(batch)).is_err() {
                break; // the session is over; the next job (if any) has its own sender
            }
        }
    }
}

/// Whether a file name is a report's, as `nianbao check` searches directories.
pub fn is_report_name(name: &str) -> bool {
    let lower = name.to_lowercase();
    let ext_ok = ["txt", "md", "nianbao"]
        .iter()
        .any(|e| lower.ends_with(&format!(".{e}")));
    ext_ok && !lower.starts_with("readme") && !name.starts_with('.')
}

/// Directories never searched.
fn skipped_dir(name: &str) -> bool {
    name.starts_with('.') || name == "target" || name == "node_modules"
}

/// The report files under `root`, depth first, in name order.
fn reports_under(root: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut seen = HashSet::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        if out.len() >= MAX_FILES || seen.len() >= MAX_DIRS {
            break;
        }
        if !seen.insert(dir.clone()) {
            continue;
        }
        let Ok(read) = fs::read_dir(&dir) else {
            continue;
        };
        let mut entries: Vec<_> = read.flatten().collect();
        entries.sort_by_key(|e| e.file_name());
        let mut dirs = Vec::new();
        for e in entries {
            let name = e.file_name().to_string_lossy().into_owned();
            // `file_type` does not follow links: a link is neither searched nor read.
            let Ok(kind) = e.file_type() else { continue };
            if kind.is_dir() && !skipped_dir(&name) {
                dirs.push(e.path());
            } else if kind.is_file() && is_report_name(&name) {
                out.push(e.path());
            }
        }
        stack.extend(dirs.into_iter().rev());
    }
    out.truncate(MAX_FILES);
    out
}

/// The entry of a report file; `None` when it is not one (gone, too large, binary, not UTF-8).
fn read_entry(path: &Path, key: &str) -> Option<Arc<Entry>> {
    let meta = fs::metadata(path).ok()?;
    if !meta.is_file() || meta.len() > MAX_BYTES {
        return None;
    }
    let name = path.file_name()?.to_string_lossy();
    if !is_report_name(&name) {
        return None;
    }
    let bytes = fs::read(path).ok()?;
    if bytes.contains(&0) {
        return None;
    }
    let text = String::from_utf8(bytes).ok()?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let analysis = analyze(text, &Config::default());
    Some(Arc::new(Entry::new(
        key.to_string(),
        text,
        &analysis,
        Some(key),
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn report_names() {
        assert!(is_report_name("2023.txt"));
        assert!(is_report_name("a.MD"));
        assert!(is_report_name("x.nianbao"));
        assert!(!is_report_name("README.md"));
        assert!(!is_report_name("a.pdf"));
        assert!(!is_report_name(".hidden.txt"));
    }

    #[test]
    fn only_report_files_are_read() {
        let dir = std::env::temp_dir().join(format!("nianbao-indexer-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        let write = |rel: &str, bytes: &[u8]| {
            let path = dir.join(rel);
            if let Some(parent) = path.parent() {
                let _ = fs::create_dir_all(parent);
            }
            let _ = fs::write(path, bytes);
        };
        let report = "淮安市洪泽区人民政府\n2024 年政府信息公开工作年度报告\n一、总体情况\n…\n";
        write("2024.txt", report.as_bytes());
        write("sub/2023.md", report.as_bytes());
        write(".git/x.txt", report.as_bytes());
        write("target/y.txt", report.as_bytes());
        write("node_modules/z.txt", report.as_bytes());
        write("binary.txt", b"\x00\x01report");
        write("gbk.txt", b"\xd6\xd0\xce\xc4");
        write("notes.pdf", b"%PDF");
        let found = reports_under(&dir);
        let names: Vec<String> = found
            .iter()
            .filter_map(|p| p.strip_prefix(&dir).ok())
            .map(|p| p.to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, ["2024.txt", "binary.txt", "gbk.txt", "sub/2023.md"]);
        let read: Vec<bool> = found
            .iter()
            .map(|p| read_entry(p, &p.to_string_lossy()).is_some())
            .collect();
        assert_eq!(read, [true, false, false, true]);
        let entry = read_entry(&dir.join("2024.txt"), "k");
        assert_eq!(entry.and_then(|e| e.year()), Some(2024));
        let _ = fs::remove_dir_all(&dir);
    }
}
