//! Which inputs a `check` covers, and reading them as UTF-8 text.

use std::collections::HashSet;
use std::fs;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use nianbao::input::Document;

/// File name extensions searched for in directories (case-insensitive). A file named on the
/// command line is checked whatever its extension.
pub const EXTENSIONS: &[&str] = &["txt", "md", "nianbao"];

/// How standard input is named in the output.
pub const STDIN_NAME: &str = nianbao::report_json::STDIN_NAME;

/// One thing to check.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Input {
    Stdin,
    File(PathBuf),
}

impl Input {
    /// The name shown in the output: the path as reached from the command-line argument.
    pub fn name(&self) -> String {
        match self {
            Input::Stdin => STDIN_NAME.to_owned(),
            Input::File(path) => path.display().to_string(),
        }
    }
}

/// A path that could not be used, with the reason (in Chinese, for stderr).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InputError {
    pub name: String,
    pub reason: String,
}

/// The inputs named by the command-line `paths` (empty: standard input), sorted by path and
/// without duplicates, plus the paths that could not be searched.
pub fn collect(paths: &[PathBuf]) -> (Vec<Input>, Vec<InputError>) {
    let mut inputs = Vec::new();
    let mut errors = Vec::new();
    if paths.is_empty() {
        inputs.push(Input::Stdin);
    }
    let mut visited = HashSet::new();
    for path in paths {
        if path.as_os_str() == "-" {
            inputs.push(Input::Stdin);
            continue;
        }
        match fs::metadata(path) {
            Ok(meta) if meta.is_dir() => walk(path, &mut visited, &mut inputs, &mut errors),
            Ok(_) => inputs.push(Input::File(path.clone())),
            Err(err) => errors.push(InputError {
                name: path.display().to_string(),
                reason: io_reason(&err),
            }),
        }
    }
    inputs.sort();
    inputs.dedup();
    errors.sort_by(|a, b| a.name.cmp(&b.name));
    (inputs, errors)
}

/// Depth-first search of `root` for report files. Symbolic links are followed; a directory
/// already visited (by its canonical path) is skipped, so link loops end. Entries whose name
/// starts with `.` are skipped (`.git`, editor backups), and so are README files (`README.md`
/// describes a folder of reports, it is not one); name either explicitly to check it.
fn walk(
    root: &Path,
    visited: &mut HashSet<PathBuf>,
    inputs: &mut Vec<Input>,
    errors: &mut Vec<InputError>,
) {
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let canonical = match fs::canonicalize(&dir) {
            Ok(canonical) => canonical,
            Err(err) => {
                errors.push(InputError {
                    name: dir.display().to_string(),
                    reason: io_reason(&err),
                });
                continue;
            }
        };
        if !visited.insert(canonical) {
            continue;
        }
        let entries = match fs::read_dir(&dir) {
            Ok(entries) => entries,
            Err(err) => {
                errors.push(InputError {
                    name: dir.display().to_string(),
                    reason: io_reason(&err),
                });
                continue;
            }
        };
        for entry in entries {
            let entry = match entry {
                Ok(entry) => entry,
                Err(err) => {
                    errors.push(InputError {
                        name: dir.display().to_string(),
                        reason: io_reason(&err),
                    });
                    continue;
                }
            };
            let name = entry.file_name();
            let name = name.to_string_lossy();
            if name.starts_with('.') || is_readme(&name) {
                continue;
            }
            let path = entry.path();
            match fs::metadata(&path) {
                Ok(meta) if meta.is_dir() => stack.push(path),
                Ok(meta) if meta.is_file() && has_report_extension(&path) => {
                    inputs.push(Input::File(path));
                }
                Ok(_) => {}
                // A dangling link or an unreadable entry matters only if it would be checked.
                Err(err) if has_report_extension(&path) => errors.push(InputError {
                    name: path.display().to_string(),
                    reason: io_reason(&err),
                }),
                Err(_) => {}
            }
        }
    }
}

/// `README.md`, `readme.txt`, … (any case).
fn is_readme(name: &str) -> bool {
    Path::new(name)
        .file_stem()
        .and_then(|stem| stem.to_str())
        .is_some_and(|stem| stem.eq_ignore_ascii_case("readme"))
}

fn has_report_extension(path: &Path) -> bool {
    path.extension()
        .and_then(|ext| ext.to_str())
        .is_some_and(|ext| EXTENSIONS.iter().any(|e| e.eq_ignore_ascii_case(ext)))
}

/// The most bytes read from one input. Reports are tens of kilobytes; the limit keeps a path
/// like `/dev/zero` or a runaway pipe from exhausting memory.
pub const MAX_INPUT_BYTES: u64 = 256 * 1024 * 1024;

/// Reads a file as report text with the library's readers, which go by content
/// ([`nianbao::input::READERS`]: UTF-8 text, a leading byte-order mark dropped, as editors do).
pub fn read_text(path: &Path) -> Result<Document, String> {
    read_document(&read_bytes(path)?)
}

/// Reads a file's bytes, at most [`MAX_INPUT_BYTES`].
pub fn read_bytes(path: &Path) -> Result<Vec<u8>, String> {
    let file = fs::File::open(path).map_err(|err| io_reason(&err))?;
    read_limited(file)
}

/// Reads all of standard input as report text, as [`read_text`] reads a file.
pub fn read_stdin() -> Result<Document, String> {
    read_document(&read_limited(std::io::stdin().lock())?)
}

fn read_document(bytes: &[u8]) -> Result<Document, String> {
    nianbao::input::read(bytes)
}

fn read_limited(input: impl Read) -> Result<Vec<u8>, String> {
    let mut bytes = Vec::new();
    input
        .take(MAX_INPUT_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|err| io_reason(&err))?;
    if bytes.len() as u64 > MAX_INPUT_BYTES {
        return Err(format!(
            "过大（超过 {} MB），未读取",
            MAX_INPUT_BYTES / (1024 * 1024)
        ));
    }
    Ok(bytes)
}

fn io_reason(err: &std::io::Error) -> String {
    use std::io::ErrorKind;
    let what = match err.kind() {
        ErrorKind::NotFound => "文件或目录不存在",
        ErrorKind::PermissionDenied => "没有读取权限",
        ErrorKind::IsADirectory => "是目录",
        _ => "无法读取",
    };
    format!("{what}（{err}）")
}

/// Writes to standard output; a closed pipe (`nianbao check … | head`) is not an error.
pub fn print_stdout(text: &str) {
    print_stdout_bytes(text.as_bytes());
}

/// Writes bytes to standard output (text in the encoding it was read in).
pub fn print_stdout_bytes(bytes: &[u8]) {
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(bytes).and_then(|()| out.flush());
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Regression: `/dev/zero` (or any endless input) was read until memory ran out.
    #[test]
    fn endless_input_stops_at_the_limit() {
        let err = read_limited(std::io::repeat(0)).err().unwrap_or_default();
        assert!(err.starts_with("过大（超过 256 MB）"), "{err}");
    }

    #[test]
    fn report_extensions_ignore_case() {
        assert!(has_report_extension(Path::new("a/b.TXT")));
        assert!(has_report_extension(Path::new("a/b.nianbao")));
        assert!(!has_report_extension(Path::new("a/b.pdf")));
        assert!(!has_report_extension(Path::new("a/txt")));
        assert!(is_readme("README.md") && is_readme("readme.txt") && !is_readme("readme-2020.txt"));
    }
}
