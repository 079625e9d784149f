//! Which inputs a `check` covers, and reading them as UTF-8 text.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashSet};
use std::fs;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

/// File name extensions of report text, searched for in directories by `fmt` (case-insensitive).
/// A file named on the command line is taken whatever its extension.
pub const TEXT_EXTENSIONS: &[&str] = &["txt", "md", "nianbao"];

/// File name extensions `check` searches for in directories: report text, Word documents, saved
/// web pages, and the old Word formats, so that a folder's .doc reports are read (many are
/// HTML) or named as unreadable rather than skipped in silence.
pub const CHECK_EXTENSIONS: &[&str] = &[
    "txt", "md", "nianbao", "docx", "doc", "wps", "html", "htm", "shtml",
];

/// How standard input is named in the output.
pub const STDIN_NAME: &str = nianbao::report_json::STDIN_NAME;

/// One thing to check.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Input {
    Stdin,
    File(PathBuf),
    /// A web address (`check` fetches it).
    Url(String),
}

impl Input {
    /// The name shown in the output: the path as reached from the command-line argument.
    pub fn name(&self) -> String {
        match self {
            Input::Stdin => STDIN_NAME.to_owned(),
            Input::File(path) => path.display().to_string(),
            Input::Url(url) => url.clone(),
        }
    }
}

/// A path that could not be used, with the reason (in Chinese, for stderr).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InputError {
    pub name: String,
    pub reason: String,
}

/// The inputs named by the command-line `paths` (empty: standard input), directories searched
/// for files with one of `extensions`, sorted by path and without duplicates, plus the paths
/// that could not be searched.
pub fn collect(paths: &[PathBuf], extensions: &[&str]) -> (Vec<Input>, Vec<InputError>) {
    let mut inputs = Vec::new();
    let mut errors = Vec::new();
    for found in Walk::new(paths, extensions) {
        match found {
            Ok(input) => inputs.push(input),
            Err(error) => errors.push(error),
        }
    }
    errors.sort_by(|a, b| a.name.cmp(&b.name));
    (inputs, errors)
}

/// The inputs of [`collect`] one at a time, in the same order, found as they are asked for:
/// standard input first, then the files by path (directories searched one at a time, each
/// directory's entries read and sorted when the search reaches it, so that only the listings
/// of the directories on the way are held), then the web addresses; and, in between, the paths
/// that could not be searched (unordered: the caller sorts them).
///
/// Symbolic links are followed; a directory already visited (by its canonical path) is skipped,
/// so link loops end, and a directory reached by two names is searched under the first in path
/// order. Entries whose name starts with `.` are skipped (`.git`, editor backups), and so are
/// README files (`README.md` describes a folder of reports, it is not one) and Word's lock files
/// (`~$报告.docx`, present while the document is open); name either explicitly to check it.
pub struct Walk<'e> {
    extensions: &'e [&'e str],
    stdin: bool,
    /// What is left to search or give, by path (the least first), then by when it was found.
    pending: BinaryHeap<Reverse<(PathBuf, u64, Found)>>,
    found: u64,
    visited: HashSet<PathBuf>,
    /// The last file given (a path named twice, or found twice, is given once).
    last: Option<PathBuf>,
    errors: Vec<InputError>,
    urls: std::vec::IntoIter<String>,
}

/// What a pending path is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Found {
    /// Named by the user: a directory is searched, anything else is checked.
    Named,
    /// A directory found in a search.
    Dir,
    /// A file found in a search.
    File,
}

impl<'e> Walk<'e> {
    pub fn new(paths: &[PathBuf], extensions: &'e [&'e str]) -> Self {
        let mut walk = Walk {
            extensions,
            stdin: paths.is_empty(),
            pending: BinaryHeap::new(),
            found: 0,
            visited: HashSet::new(),
            last: None,
            errors: Vec::new(),
            urls: Vec::new().into_iter(),
        };
        let mut urls = Vec::new();
        for path in paths {
            if path.as_os_str() == "-" {
                walk.stdin = true;
            } else if let Some(url) = path.to_str().filter(|p| super::fetch::is_address(p)) {
                urls.push(url.to_owned());
            } else {
                walk.push(path.clone(), Found::Named);
            }
        }
        urls.sort();
        urls.dedup();
        walk.urls = urls.into_iter();
        walk
    }

    fn push(&mut self, path: PathBuf, found: Found) {
        self.pending.push(Reverse((path, self.found, found)));
        self.found += 1;
    }

    /// Reads directory `dir` into `pending` (unless it was visited).
    fn search(&mut self, dir: &Path) {
        let error = |err: &std::io::Error| InputError {
            name: dir.display().to_string(),
            reason: io_reason(err),
        };
        let canonical = match fs::canonicalize(dir) {
            Ok(canonical) => canonical,
            Err(err) => return self.errors.push(error(&err)),
        };
        if !self.visited.insert(canonical) {
            return;
        }
        let entries = match fs::read_dir(dir) {
            Ok(entries) => entries,
            Err(err) => return self.errors.push(error(&err)),
        };
        for entry in entries {
            let entry = match entry {
                Ok(entry) => entry,
                Err(err) => {
                    self.errors.push(error(&err));
                    continue;
                }
            };
            let name = entry.file_name();
            let name = name.to_string_lossy();
            if name.starts_with('.') || name.starts_with("~$") || is_readme(&name) {
                continue;
            }
            let path = entry.path();
            // The entry's own type comes with the directory listing; only a symbolic link is
            // followed (a `stat` for it alone, not for every file of a batch).
            let kind = match entry.file_type() {
                Ok(kind) if !kind.is_symlink() => Ok(kind),
                _ => fs::metadata(&path).map(|meta| meta.file_type()),
            };
            match kind {
                Ok(kind) if kind.is_dir() => self.push(path, Found::Dir),
                Ok(kind) if kind.is_file() && has_extension(&path, self.extensions) => {
                    self.push(path, Found::File);
                }
                Ok(_) => {}
                // A dangling link or an unreadable entry matters only if it would be checked.
                Err(err) if has_extension(&path, self.extensions) => {
                    self.errors.push(InputError {
                        name: path.display().to_string(),
                        reason: io_reason(&err),
                    });
                }
                Err(_) => {}
            }
        }
    }

    /// One step of the search: the next file by path, or `Ok(None)` after searching a
    /// directory (or skipping a path), or `Err(())` at the end.
    fn step(&mut self) -> Result<Option<PathBuf>, ()> {
        let Reverse((path, _, found)) = self.pending.pop().ok_or(())?;
        let dir = match found {
            Found::Dir => true,
            Found::File => false,
            Found::Named => match fs::metadata(&path) {
                Ok(meta) => meta.is_dir(),
                Err(err) => {
                    self.errors.push(InputError {
                        name: path.display().to_string(),
                        reason: io_reason(&err),
                    });
                    return Ok(None);
                }
            },
        };
        if dir {
            self.search(&path);
            return Ok(None);
        }
        if self.last.as_ref() == Some(&path) {
            return Ok(None);
        }
        self.last = Some(path.clone());
        Ok(Some(path))
    }
}

impl Iterator for Walk<'_> {
    type Item = Result<Input, InputError>;

    fn next(&mut self) -> Option<Self::Item> {
        if std::mem::take(&mut self.stdin) {
            return Some(Ok(Input::Stdin));
        }
        loop {
            if let Some(error) = self.errors.pop() {
                return Some(Err(error));
            }
            match self.step() {
                Ok(Some(path)) => return Some(Ok(Input::File(path))),
                Ok(None) => {}
                Err(()) => break,
            }
        }
        self.urls.next().map(|url| Ok(Input::Url(url)))
    }
}

/// `README.md`, `readme.txt`, … (any case).
fn is_readme(name: &str) -> bool {
    Path::new(name)
        .file_stem()
        .and_then(|stem| stem.to_str())
        .is_some_and(|stem| stem.eq_ignore_ascii_case("readme"))
}

fn has_extension(path: &Path, extensions: &[&str]) -> bool {
    path.extension()
        .and_then(|ext| ext.to_str())
        .is_some_and(|ext| extensions.iter().any(|e| e.eq_ignore_ascii_case(ext)))
}

/// A directory search's extensions, for messages: `*.txt、*.md、*.nianbao`.
pub fn patterns(extensions: &[&str]) -> String {
    extensions
        .iter()
        .map(|e| format!("*.{e}"))
        .collect::<Vec<_>>()
        .join("、")
}

/// The most bytes read from one input. Reports are tens of kilobytes; the limit keeps a path
/// like `/dev/zero` or a runaway pipe from exhausting memory.
pub const MAX_INPUT_BYTES: u64 = 256 * 1024 * 1024;

/// What an input holds: report text, or a Word document read into text.
#[derive(Clone)]
pub enum Loaded {
    /// Text, its encoding and whether it began with a byte-order mark (a fix writes it back in
    /// both).
    Text {
        text: String,
        encoding: nianbao::encoding::TextEncoding,
        bom: bool,
    },
    /// A Word document and the bytes it was read from (a fix rewrites them).
    Word {
        bytes: Vec<u8>,
        doc: Box<nianbao::docx::Document>,
    },
    /// A saved or fetched web page.
    Page(Box<nianbao::html::Page>),
}

impl Loaded {
    /// No text (standard input that was not read).
    pub fn empty() -> Self {
        Loaded::Text {
            text: String::new(),
            encoding: nianbao::encoding::TextEncoding::Utf8,
            bom: false,
        }
    }

    /// The text encoding it was read in, when read as text.
    pub fn encoding(&self) -> Option<nianbao::encoding::TextEncoding> {
        match self {
            Loaded::Text { encoding, .. } => Some(*encoding),
            _ => None,
        }
    }

    /// The text the checks read (for a Word document, what `nianbao convert` prints).
    pub fn text(&self) -> &str {
        match self {
            Loaded::Text { text, .. } => text,
            Loaded::Word { doc, .. } => doc.text(),
            Loaded::Page(page) => page.text(),
        }
    }

    /// Where each line came from, for a Word document.
    pub fn map(&self) -> Option<&nianbao::extract::SourceMap> {
        match self {
            Loaded::Text { .. } => None,
            Loaded::Word { doc, .. } => Some(&doc.extracted.map),
            Loaded::Page(page) => Some(&page.extracted.map),
        }
    }

    /// What the user should know about how the text was read.
    pub fn notes(&self) -> Vec<String> {
        match self {
            Loaded::Text { .. } => Vec::new(),
            Loaded::Word { doc, .. } => doc
                .notes
                .messages()
                .into_iter()
                .map(str::to_owned)
                .collect(),
            Loaded::Page(page) => page.notes(),
        }
    }
}

/// Reads an input by what its bytes are (never by its name): a Word document, a web page, report
/// text, or a kind nianbao refuses with advice (`name` is the file's name in that advice).
pub fn load(bytes: Vec<u8>, name: &str) -> Result<Loaded, String> {
    load_with_charset(bytes, name, None)
}

/// [`load`], with the charset a web server declared for the bytes.
pub fn load_with_charset(
    bytes: Vec<u8>,
    name: &str,
    http_charset: Option<&str>,
) -> Result<Loaded, String> {
    use nianbao::sniff::{Kind, refusal, sniff};
    match sniff(&bytes) {
        Kind::Html => nianbao::html::read(&bytes, http_charset)
            .map(|page| Loaded::Page(Box::new(page)))
            .map_err(|e| e.to_string()),
        Kind::Zip => match nianbao::docx::read(&bytes) {
            Ok(doc) => Ok(Loaded::Word {
                bytes,
                doc: Box::new(doc),
            }),
            Err(e) => Err(e.to_string()),
        },
        Kind::Text => {
            // Text through the library's readers (`nianbao::input`), so that every encoding
            // they read (GB18030, UTF-16) is read here too.
            nianbao::input::read(&bytes).map(|d| {
                let (encoding, bom) = d
                    .encoding
                    .unwrap_or((nianbao::encoding::TextEncoding::Utf8, false));
                Loaded::Text {
                    text: d.text,
                    encoding,
                    bom,
                }
            })
        }
        kind => Err(refusal(kind, name).unwrap_or_default()),
    }
}

/// Reads a file ([`load`]).
pub fn load_file(path: &Path) -> Result<Loaded, String> {
    load(read_bytes(path)?, &path.display().to_string())
}

/// Reads standard input ([`load`]).
pub fn load_stdin() -> Result<Loaded, String> {
    load(read_stdin_bytes()?, STDIN_NAME)
}

/// The paths and addresses listed in `file` (`-`: standard input), one per line; blank lines and
/// lines starting with `#` are skipped.
pub fn read_list(file: &Path) -> Result<Vec<PathBuf>, String> {
    let bytes = if file.as_os_str() == "-" {
        read_stdin_bytes()?
    } else {
        read_bytes(file)?
    };
    let text = nianbao::input::read(&bytes)?.text;
    Ok(text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(PathBuf::from)
        .collect())
}

/// Reads a file's bytes, at most [`MAX_INPUT_BYTES`].
pub fn read_bytes(path: &Path) -> Result<Vec<u8>, String> {
    let file = fs::File::open(path).map_err(|err| io_reason(&err))?;
    // Sized by the file's length (read in one go, not in doubling pieces from 32 bytes); the
    // limit holds whatever the length says (a file can grow while it is read).
    let size = file.metadata().map_or(0, |m| m.len()).min(MAX_INPUT_BYTES);
    read_limited(file, size as usize + 1)
}

/// Reads all of standard input's bytes, at most [`MAX_INPUT_BYTES`].
pub fn read_stdin_bytes() -> Result<Vec<u8>, String> {
    read_limited(std::io::stdin().lock(), 0)
}

/// Reads a file that must be report text: a Word document or another format is refused with
/// what it is (`parse` works on text only).
pub fn read_text_only(path: &Path) -> Result<String, String> {
    let bytes = read_bytes(path)?;
    refuse_other_kinds(&bytes, &path.display().to_string())?;
    nianbao::input::read(&bytes).map(|d| d.text)
}

/// Refuses bytes that are not report text, saying what they are (`fmt` and `parse` work on
/// text only; `check` reads the other kinds).
pub fn refuse_other_kinds(bytes: &[u8], name: &str) -> Result<(), String> {
    use nianbao::sniff::{Kind, refusal, sniff};
    match sniff(bytes) {
        Kind::Text => Ok(()),
        Kind::Zip => Err(
            "是 Word 文档（.docx）或其他压缩包，此命令只处理文本：可用 nianbao convert 导出文本"
                .to_owned(),
        ),
        Kind::Html => {
            Err("是网页（HTML），此命令只处理文本：可用 nianbao convert 导出文本".to_owned())
        }
        kind => Err(refusal(kind, name).unwrap_or_default()),
    }
}

fn read_limited(input: impl Read, capacity: usize) -> Result<Vec<u8>, String> {
    let mut bytes = Vec::with_capacity(capacity);
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
        let err = read_limited(std::io::repeat(0), 0)
            .err()
            .unwrap_or_default();
        assert!(err.starts_with("过大（超过 256 MB）"), "{err}");
    }

    /// The search gives what sorting every file found gives, directory by directory as it
    /// goes: names that sort differently byte by byte and by path, a link loop searched once,
    /// hidden entries and READMEs skipped, a path named twice or inside a named directory given
    /// once, errors for what cannot be read.
    #[test]
    fn the_search_gives_the_files_in_path_order() -> std::io::Result<()> {
        let dir = std::env::temp_dir().join(format!("nianbao-walk-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        for sub in ["a/b/c", "a-b", "a.b", "a0", ".git"] {
            fs::create_dir_all(dir.join(sub))?;
        }
        let files = [
            "a/x.txt",
            "a/b/y.md",
            "a/b/c/z.txt",
            "a-b/1.txt",
            "a.b/2.docx",
            "a0/3.html",
            "b.txt",
            "a/README.md",
            ".git/x.txt",
            "a/skip.pdf",
        ];
        for f in files {
            fs::write(dir.join(f), "x")?;
        }
        #[cfg(unix)]
        std::os::unix::fs::symlink("../..", dir.join("a/b/up"))?;
        let named = [
            dir.clone(),
            dir.join("a/x.txt"),
            dir.join("a"),
            dir.join("missing"),
        ];
        let (inputs, errors) = collect(&named, CHECK_EXTENSIONS);
        let mut expected: Vec<Input> = files[..7]
            .iter()
            .map(|f| Input::File(dir.join(f)))
            .collect();
        expected.sort();
        assert_eq!(inputs, expected);
        assert_eq!(errors.len(), 1);
        assert!(errors[0].name.ends_with("missing"), "{errors:?}");
        fs::remove_dir_all(&dir)?;
        Ok(())
    }

    #[test]
    fn report_extensions_ignore_case() {
        assert!(has_extension(Path::new("a/b.TXT"), TEXT_EXTENSIONS));
        assert!(has_extension(Path::new("a/b.nianbao"), TEXT_EXTENSIONS));
        assert!(!has_extension(Path::new("a/b.pdf"), TEXT_EXTENSIONS));
        assert!(!has_extension(Path::new("a/txt"), TEXT_EXTENSIONS));
        assert!(!has_extension(Path::new("a/b.docx"), TEXT_EXTENSIONS));
        assert!(has_extension(Path::new("a/b.DOCX"), CHECK_EXTENSIONS));
        assert!(is_readme("README.md") && is_readme("readme.txt") && !is_readme("readme-2020.txt"));
    }
}
