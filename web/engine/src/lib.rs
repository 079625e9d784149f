//! The engine of nianbao's web page: the `nianbao` library — the same model, checks, fixes,
//! formatter and hovers as the command line and the language server — compiled to WebAssembly
//! and called from JavaScript through wasm-bindgen. No second implementation: every function
//! here converts arguments, calls the library and converts the result.
//!
//! Positions are the LSP's, as in the JSON of `nianbao check`: 0-based line, 0-based character
//! in UTF-16 code units — a JavaScript string's indices, so the page maps them onto its editor
//! directly. Results that are structures are JSON strings (the page's `engine.js` parses them).
//!
//! The functions without `#[wasm_bindgen]` hold the work and are tested on the host; the
//! exported ones only turn an `Err` into a thrown JavaScript `Error`.

use nianbao::analysis::{Config, TemplateChoice, analyze};
use nianbao::encoding::TextEncoding;
use nianbao::report_json::{self, JsonFix, JsonRange};
use nianbao::syntax::{LineCol, LineIndex, PositionEncoding};
use nianbao::template::TemplateId;
use serde::Serialize;
use wasm_bindgen::prelude::*;

/// The settings of a call: `template` is `"auto"` (or absent) or a format's id (`"2019"`,
/// `"2021"`), as `--template` of the command line.
pub fn config(template: Option<&str>) -> Result<Config, String> {
    let choice = match template {
        None => TemplateChoice::Auto,
        Some(name) => TemplateChoice::parse(name.trim()).ok_or_else(|| {
            let ids: Vec<&str> = TemplateId::all().map(|t| t.as_str()).collect();
            format!("未知的格式「{name}」：应为 auto 或 {}", ids.join("、"))
        })?,
    };
    Ok(Config {
        template: choice,
        ..Config::default()
    })
}

/// Exactly what `nianbao check --format json` prints for one input named `path` whose content is
/// `text`. Like the command line, which reads bytes, a leading byte-order mark is not part of
/// the report (the positions count from after it).
pub fn check_text(path: &str, text: &str, config: &Config) -> String {
    check_in(path, None, text, TextEncoding::Utf8, config)
}

/// [`check_text`] for text read in `encoding` from a file named `file_name` (the JSON names the
/// encoding, and the identity may come from the file's name, as on the command line).
fn check_in(
    path: &str,
    file_name: Option<&str>,
    text: &str,
    encoding: TextEncoding,
    config: &Config,
) -> String {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let analysis = analyze(text, config);
    let mut file = report_json::alone(path, text, &analysis, file_name);
    file.encoding = Some(encoding.name());
    report_json::to_string(&report_json::Report {
        version: report_json::VERSION,
        files: vec![file],
    })
}

#[derive(Serialize)]
struct LintJson {
    file: report_json::File,
    suggestions: Vec<Vec<JsonFix>>,
}

/// What the page's editor shows: `{"file": …, "suggestions": [[…], …]}` — `file` the entry of
/// [`check_text`]'s document, `suggestions[i]` the fixes offered for its `i`-th diagnostic that are
/// not safe enough for the document's `fix` (nor for fix-all): the user picks one, or none
/// (`改为 351（重新计算合计；也可能是其他数字有误）`). Positions as in the document.
pub fn lint_json(text: &str, config: &Config) -> String {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let analysis = analyze(text, config);
    let index = LineIndex::new(text);
    let range = |r: &std::ops::Range<usize>| JsonRange::of(text, &index, r);
    let suggestions = analysis
        .diagnostics
        .iter()
        .map(|d| {
            d.suggestions
                .iter()
                .map(|fix| JsonFix::of(fix, range))
                .collect()
        })
        .collect();
    let mut file = report_json::alone(report_json::STDIN_NAME, text, &analysis, None);
    file.encoding = Some(TextEncoding::Utf8.name());
    let lint = LintJson { file, suggestions };
    serde_json::to_string(&lint).unwrap_or_else(|_| "{}".to_owned())
}

#[derive(Serialize)]
struct HoverJson {
    markdown: String,
    range: JsonRange,
}

/// The hover at a position, as JSON `{"markdown": "…", "range": {"start": …, "end": …}}`, or
/// `None` where nothing has an explanation.
pub fn hover_json(text: &str, line: u32, character: u32, config: &Config) -> Option<String> {
    let index = LineIndex::new(text);
    let offset = index.offset(
        text,
        LineCol {
            line,
            col: character,
        },
        PositionEncoding::Utf16,
    );
    let analysis = analyze(text, config);
    let hover = nianbao::ide::hover(text, &analysis, offset)?;
    let json = HoverJson {
        markdown: hover.markdown,
        range: JsonRange::of(text, &index, &hover.range),
    };
    serde_json::to_string(&json).ok()
}

#[derive(Serialize)]
struct DocumentJson {
    text: String,
    kind: &'static str,
}

/// What a file's bytes are, read by content (never by name), as the command line reads them.
enum Loaded {
    /// Report text in `encoding`.
    Text {
        text: String,
        encoding: TextEncoding,
    },
    /// A Word document.
    #[cfg(all(feature = "docx", feature = "html"))]
    Word(Box<nianbao::docx::Document>),
    /// A saved web page.
    #[cfg(all(feature = "docx", feature = "html"))]
    Page(Box<nianbao::html::Page>),
}

impl Loaded {
    fn text(&self) -> &str {
        match self {
            Loaded::Text { text, .. } => text,
            #[cfg(all(feature = "docx", feature = "html"))]
            Loaded::Word(doc) => doc.text(),
            #[cfg(all(feature = "docx", feature = "html"))]
            Loaded::Page(page) => page.text(),
        }
    }

    /// The encoding of text (`None` for the other kinds).
    fn encoding(&self) -> Option<TextEncoding> {
        match self {
            Loaded::Text { encoding, .. } => Some(*encoding),
            #[allow(unreachable_patterns)]
            _ => None,
        }
    }

    fn kind(&self) -> &'static str {
        match self {
            Loaded::Text { encoding, .. } => match encoding {
                TextEncoding::Utf8 => "UTF-8 文本",
                TextEncoding::Gb18030 => "GB18030 文本",
                TextEncoding::Utf16Le | TextEncoding::Utf16Be => "UTF-16 文本",
            },
            #[cfg(all(feature = "docx", feature = "html"))]
            Loaded::Word(_) => "Word 文档",
            #[cfg(all(feature = "docx", feature = "html"))]
            Loaded::Page(_) => "网页",
        }
    }

    fn map(&self) -> Option<&nianbao::extract::SourceMap> {
        match self {
            Loaded::Text { .. } => None,
            #[cfg(all(feature = "docx", feature = "html"))]
            Loaded::Word(doc) => Some(&doc.extracted.map),
            #[cfg(all(feature = "docx", feature = "html"))]
            Loaded::Page(page) => Some(&page.extracted.map),
        }
    }
}

/// The reason given for a file kind this build of the engine does not read: the page's engine
/// reads text; Word documents and pages are read by the second engine, built with the features
/// `docx` and `html`, which the page loads when such a file is opened (`web/src/engine.js`).
pub const NEEDS_READERS: &str = "是 Word 文档或网页：需要本页的 Word 文档与网页读取模块";

/// Whether the file may be of a kind only the full engine (built with the features `docx` and
/// `html`) reads: always `false` in the full engine, which reads every kind.
pub fn needs_readers(bytes: &[u8]) -> bool {
    !cfg!(all(feature = "docx", feature = "html")) && maybe_not_text(bytes)
}

/// Whether `nianbao::sniff` may take `bytes` for something other than report text: a cheap
/// superset of its cases, so that the page's engine need not carry sniff itself (its messages
/// and Unicode case tables add 10 KB gzipped). Sniff decides by a zip or OLE2 signature, or by
/// the first kilobyte read as ASCII (byte-order mark dropped, UTF-16 as its non-zero bytes),
/// lowercased: `{\rtf` at its start, `<` after white space (HTML, XML), `mime-version:` in it.
/// Lowercasing maps nothing else to `<`, `{` or white space, and `mime-version:` only from ASCII.
/// When this says yes, the full engine reads the file, and sniff decides.
pub fn maybe_not_text(bytes: &[u8]) -> bool {
    const OLE2_MAGIC: &[u8] = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";
    if bytes.starts_with(b"PK") || bytes.starts_with(OLE2_MAGIC) {
        return true;
    }
    let head = &bytes[..bytes.len().min(1024)];
    let ascii: Vec<u8> = if head.starts_with(b"\xFF\xFE") || head.starts_with(b"\xFE\xFF") {
        head[2..].iter().copied().filter(|&b| b != 0).collect()
    } else {
        head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head).to_vec()
    };
    let text = String::from_utf8_lossy(&ascii);
    let start = text.trim_start();
    start.starts_with('<')
        || start.starts_with('{')
        || ascii
            .windows(b"mime-version:".len())
            .any(|w| w.eq_ignore_ascii_case(b"mime-version:"))
}

/// Reads a file's bytes as `nianbao check` does (`cli/files.rs`): by its first bytes, a Word
/// document, a saved page, report text (through `nianbao::input`), or a kind that is refused
/// with the reason (`name` is the file's name in the advice).
#[cfg(all(feature = "docx", feature = "html"))]
fn load(bytes: &[u8], name: &str) -> Result<Loaded, String> {
    use nianbao::sniff::{Kind, refusal, sniff};
    match sniff(bytes) {
        Kind::Zip => nianbao::docx::read(bytes)
            .map(|doc| Loaded::Word(Box::new(doc)))
            .map_err(|e| e.to_string()),
        Kind::Html => nianbao::html::read(bytes, None)
            .map(|page| Loaded::Page(Box::new(page)))
            .map_err(|e| e.to_string()),
        Kind::Text => text(bytes),
        kind => Err(refusal(kind, name).unwrap_or_else(|| "无法识别的文件".to_owned())),
    }
}

/// The page's engine: report text; what may be another kind is for the full engine.
#[cfg(not(all(feature = "docx", feature = "html")))]
fn load(bytes: &[u8], _name: &str) -> Result<Loaded, String> {
    if maybe_not_text(bytes) {
        return Err(NEEDS_READERS.to_owned());
    }
    text(bytes)
}

/// Report text, through `nianbao::input` (UTF-8, GB18030, UTF-16).
fn text(bytes: &[u8]) -> Result<Loaded, String> {
    nianbao::input::read(bytes).map(|d| Loaded::Text {
        text: d.text,
        encoding: d.encoding.map_or(TextEncoding::Utf8, |(e, _)| e),
    })
}

/// A file's report text, read by content as `nianbao check` reads it (for a Word document or a
/// page, what `nianbao convert` prints), as JSON `{"text": "…", "kind": "UTF-8 文本"}`; or why
/// it cannot be read (Chinese).
pub fn read_file_json(bytes: &[u8], name: &str) -> Result<String, String> {
    let loaded = load(bytes, name)?;
    serde_json::to_string(&DocumentJson {
        kind: loaded.kind(),
        text: loaded.text().to_owned(),
    })
    .map_err(|err| format!("内部错误：{err}"))
}

/// What `nianbao check --format json FILE` prints for a file with these bytes shown as `name`.
pub fn check_file_json(bytes: &[u8], name: &str, config: &Config) -> Result<String, String> {
    let loaded = load(bytes, name)?;
    if let Some(encoding) = loaded.encoding() {
        return Ok(check_in(name, Some(name), loaded.text(), encoding, config));
    }
    // A Word document or a page: its diagnostics also say where they are in it.
    let text = loaded.text();
    let analysis = analyze(text, config);
    let mut file = report_json::file_located(
        name.to_owned(),
        analysis.template,
        text,
        &analysis.diagnostics,
        loaded.map(),
    );
    let entry = nianbao::series::Entry::new(name.to_owned(), text, &analysis, Some(name));
    let outcome = nianbao::series::Series::new(vec![&entry]).outcome(0);
    report_json::set_series(&mut file, &entry, &outcome, |_| None);
    Ok(report_json::to_string(&report_json::Report {
        version: report_json::VERSION,
        files: vec![file],
    }))
}

/// A Word document with a text written into it: the new file and what changed.
#[cfg(feature = "docx")]
#[derive(Serialize)]
pub struct WordWritten {
    #[serde(skip)]
    pub bytes: Vec<u8>,
    /// One line per changed cell or paragraph: `Word 表格 3 第 6 行 第 9 格：1326 → 1362`.
    pub changes: Vec<String>,
}

/// Writes `text` — the text the Word document in `bytes` reads as (what `readFile` gives), with
/// changes — into the document, as `nianbao check --fix` writes its fixes: only the text of the
/// runs the changed characters came from is replaced, every other byte stays. Refused (the
/// reason, Chinese) when a change falls on generated text (an automatic number), between
/// cells, or anywhere the document has no text of its own to change.
#[cfg(feature = "docx")]
pub fn write_word(bytes: &[u8], text: &str) -> Result<WordWritten, String> {
    use nianbao::sniff::{Kind, sniff};
    if sniff(bytes) != Kind::Zip {
        return Err("不是 Word 文档（.docx）".to_owned());
    }
    let doc = nianbao::docx::read(bytes).map_err(|e| e.to_string())?;
    let fixed = doc.fix(bytes, text).map_err(|e| e.to_string())?;
    let changes = fixed.changes.iter().map(|c| c.describe()).collect();
    Ok(WordWritten {
        bytes: fixed.bytes,
        changes,
    })
}

/// The Word document in `bytes` with every safe fix written in: the bytes `nianbao check --fix`
/// writes for it.
#[cfg(feature = "docx")]
pub fn fix_word(bytes: &[u8], config: &Config) -> Result<WordWritten, String> {
    let doc = nianbao::docx::read(bytes).map_err(|e| e.to_string())?;
    write_word(bytes, &nianbao::fix::fix_all(doc.text(), config))
}

// In the browser, NFKC comes from the browser (see `nianbao::normalize::set_nfkc`).
#[cfg(target_arch = "wasm32")]
#[wasm_bindgen(inline_js = "export function nfkc(s) { return s.normalize('NFKC'); }")]
extern "C" {
    fn nfkc(s: &str) -> String;
}

// In the browser, GB18030 is decoded by the browser: the WHATWG decoder, as encoding_rs's (see
// `nianbao::encoding::set_gb18030`). `undefined` when the bytes are not GB18030.
#[cfg(all(target_arch = "wasm32", not(feature = "legacy-encodings")))]
#[wasm_bindgen(inline_js = "export function gb18030(bytes) { \
    try { return new TextDecoder('gb18030', { fatal: true }).decode(bytes); } catch (e) { return undefined; } }")]
extern "C" {
    fn gb18030(bytes: &[u8]) -> Option<String>;
}

/// Runs when the module is instantiated.
#[cfg(target_arch = "wasm32")]
#[wasm_bindgen(start)]
fn start() {
    nianbao::normalize::set_nfkc(|c, f| {
        let mut buffer = [0; 4];
        nfkc(c.encode_utf8(&mut buffer)).chars().for_each(f);
    });
    #[cfg(not(feature = "legacy-encodings"))]
    nianbao::encoding::set_gb18030(gb18030);
}

fn js_error(reason: String) -> JsError {
    JsError::new(&reason)
}

/// `check(text, template?)`: the JSON document of `nianbao check --format json -` fed `text`
/// (path `<stdin>`), byte for byte.
#[wasm_bindgen]
pub fn check(text: &str, template: Option<String>) -> Result<String, JsError> {
    let config = config(template.as_deref()).map_err(js_error)?;
    Ok(check_text(report_json::STDIN_NAME, text, &config))
}

/// `lint(text, template?)`: what the page's editor shows — the diagnostics of `check` and the
/// suggested fixes of each (see [`lint_json`]).
#[wasm_bindgen]
pub fn lint(text: &str, template: Option<String>) -> Result<String, JsError> {
    let config = config(template.as_deref()).map_err(js_error)?;
    Ok(lint_json(text, &config))
}

/// `checkFile(bytes, name, template?)`: the JSON document of `nianbao check --format json` for a
/// file with these bytes, shown as `name`. Throws the reason (Chinese) if it cannot be read.
#[wasm_bindgen(js_name = checkFile)]
pub fn check_file(bytes: &[u8], name: &str, template: Option<String>) -> Result<String, JsError> {
    let config = config(template.as_deref()).map_err(js_error)?;
    check_file_json(bytes, name, &config).map_err(js_error)
}

/// `needsReaders(bytes)`: whether the file is of a kind only the engine with the Word and page
/// readers reads (see [`needs_readers`]).
#[wasm_bindgen(js_name = needsReaders)]
pub fn needs_readers_js(bytes: &[u8]) -> bool {
    needs_readers(bytes)
}

/// `readFile(bytes)`: JSON `{"text", "kind"}` — the text `check` and the editor work on.
/// Throws the reason (Chinese) if the file cannot be read.
#[wasm_bindgen(js_name = readFile)]
pub fn read_file(bytes: &[u8], name: Option<String>) -> Result<String, JsError> {
    read_file_json(bytes, name.as_deref().unwrap_or("")).map_err(js_error)
}

/// A Word document with a text written into it (`writeWord`, `fixWord`).
#[cfg(feature = "docx")]
#[wasm_bindgen]
pub struct WordFile {
    bytes: Vec<u8>,
    changes: String,
}

#[cfg(feature = "docx")]
#[wasm_bindgen]
impl WordFile {
    /// The new .docx file.
    #[wasm_bindgen(getter)]
    pub fn bytes(&self) -> Vec<u8> {
        self.bytes.clone()
    }

    /// JSON: what changed, one string per cell or paragraph (empty: nothing).
    #[wasm_bindgen(getter)]
    pub fn changes(&self) -> String {
        self.changes.clone()
    }
}

#[cfg(feature = "docx")]
impl From<WordWritten> for WordFile {
    fn from(w: WordWritten) -> Self {
        let changes = serde_json::to_string(&w.changes).unwrap_or_else(|_| "[]".to_owned());
        WordFile {
            bytes: w.bytes,
            changes,
        }
    }
}

/// `writeWord(bytes, text)`: the Word document in `bytes` with `text` (its text as `readFile`
/// gives it, changed) written in. Throws the reason (Chinese) when a change cannot be written.
#[cfg(feature = "docx")]
#[wasm_bindgen(js_name = writeWord)]
pub fn write_word_js(bytes: &[u8], text: &str) -> Result<WordFile, JsError> {
    write_word(bytes, text)
        .map(WordFile::from)
        .map_err(js_error)
}

/// `fixWord(bytes, template?)`: the Word document with every safe fix written in, as
/// `nianbao check --fix` writes it.
#[cfg(feature = "docx")]
#[wasm_bindgen(js_name = fixWord)]
pub fn fix_word_js(bytes: &[u8], template: Option<String>) -> Result<WordFile, JsError> {
    let config = config(template.as_deref()).map_err(js_error)?;
    fix_word(bytes, &config)
        .map(WordFile::from)
        .map_err(js_error)
}

/// `format(text, template?)`: the text in the canonical layout (`nianbao fmt`); unchanged when
/// the formatter refuses.
#[wasm_bindgen]
pub fn format(text: &str, template: Option<String>) -> Result<String, JsError> {
    let config = config(template.as_deref()).map_err(js_error)?;
    Ok(nianbao::format::format_with(text, &config).text)
}

/// `fixAll(text, template?)`: the text with every safe fix applied (the code action
/// `source.fixAll.nianbao`).
#[wasm_bindgen(js_name = fixAll)]
pub fn fix_all(text: &str, template: Option<String>) -> Result<String, JsError> {
    let config = config(template.as_deref()).map_err(js_error)?;
    Ok(nianbao::fix::fix_all(text, &config))
}

/// `hover(text, line, character, template?)`: JSON `{"markdown", "range"}`, or `undefined`.
#[wasm_bindgen]
pub fn hover(
    text: &str,
    line: u32,
    character: u32,
    template: Option<String>,
) -> Result<Option<String>, JsError> {
    let config = config(template.as_deref()).map_err(js_error)?;
    Ok(hover_json(text, line, character, &config))
}

/// `explain(topic)`: Markdown for a diagnostic code or a statute reference (`nianbao explain`).
/// Throws the reason (Chinese) for an unknown topic.
#[wasm_bindgen]
pub fn explain(topic: &str) -> Result<String, JsError> {
    nianbao::explain::topic(topic).map_err(js_error)
}

#[derive(Serialize)]
struct FormatJson {
    id: &'static str,
    name: &'static str,
}

/// The official formats the data holds, oldest first, as JSON `[{"id": "2019", "name": "…"}, …]`.
pub fn templates_json() -> String {
    let formats: Vec<FormatJson> = TemplateId::all()
        .map(|t| FormatJson {
            id: t.as_str(),
            name: &t.template().name,
        })
        .collect();
    serde_json::to_string(&formats).unwrap_or_else(|_| "[]".to_owned())
}

/// `templates()`: the official formats a report can be checked against (`template` arguments).
#[wasm_bindgen]
pub fn templates() -> String {
    templates_json()
}

/// `version()`: the version of nianbao.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    const REPORT: &str = "一、总体情况\n\n二、主动公开政府信息情况\n\n\
        第二十条第（一）项\t信息内容\t本年制发件数\n";

    #[test]
    fn check_is_the_cli_document_of_stdin() {
        let json = check_text(report_json::STDIN_NAME, REPORT, &Config::default());
        let value: serde_json::Value = serde_json::from_str(&json).unwrap_or_default();
        assert_eq!(value["version"], 1);
        assert_eq!(value["files"][0]["path"], "<stdin>");
        assert!(value["files"][0]["diagnostics"].is_array());
        assert!(json.ends_with("}\n"));
        // A byte-order mark is not part of the report, as for the command line.
        let with_bom = format!("\u{feff}{REPORT}");
        assert_eq!(check_text("<stdin>", &with_bom, &Config::default()), json);
    }

    /// A wrong total in table 4 whose culprit cannot be told: no safe fix, a suggestion.
    #[test]
    fn lint_has_the_check_and_the_suggestions() {
        let text = "\u{feff}2024年政府信息公开工作年度报告\n四、政府信息公开行政复议、行政诉讼情况\n\
            行政复议\n结果维持\t结果纠正\t其他结果\t尚未审结\t总计\n\
            72\t64\t178\t37\t350\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\n";
        let lint: serde_json::Value =
            serde_json::from_str(&lint_json(text, &Config::default())).unwrap_or_default();
        let check: serde_json::Value =
            serde_json::from_str(&check_text("<stdin>", text, &Config::default()))
                .unwrap_or_default();
        assert_eq!(lint["file"], check["files"][0]);
        let diagnostics = lint["file"]["diagnostics"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        let suggestions = lint["suggestions"].as_array().cloned().unwrap_or_default();
        assert_eq!(diagnostics.len(), suggestions.len());
        let total = diagnostics
            .iter()
            .position(|d| {
                d["message"]
                    .as_str()
                    .is_some_and(|m| m.contains("应为 351"))
            })
            .unwrap_or(usize::MAX);
        assert!(
            diagnostics
                .get(total)
                .is_some_and(|d| d.get("fix").is_none()),
            "{lint}"
        );
        let suggestion = &suggestions[total][0];
        assert!(
            suggestion["title"]
                .as_str()
                .is_some_and(|t| t.starts_with("改为 351")),
            "{suggestion}"
        );
        // Line 4 (0-based), after the byte-order mark is dropped: `72⇥64⇥178⇥37⇥` is 13 characters.
        assert_eq!(
            suggestion["edits"][0],
            serde_json::json!({"range": {"start": {"line": 4, "character": 13}, "end": {"line": 4, "character": 16}}, "newText": "351"})
        );
    }

    #[test]
    fn templates_are_the_data_files() {
        let formats: serde_json::Value =
            serde_json::from_str(&templates_json()).unwrap_or_default();
        let ids: Vec<&str> = formats
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|f| f["id"].as_str())
            .collect();
        assert_eq!(ids, ["2019", "2021"]);
        assert!(
            formats[1]["name"]
                .as_str()
                .is_some_and(|n| n.contains("年度报告格式"))
        );
    }

    #[test]
    fn template_names() {
        assert!(config(None).is_ok());
        assert_eq!(
            config(Some("2021")).map(|c| c.template).ok(),
            Some(TemplateChoice::Forced(TemplateId::F2021))
        );
        assert_eq!(
            config(Some("2020")).err().unwrap_or_default(),
            "未知的格式「2020」：应为 auto 或 2019、2021"
        );
    }

    #[test]
    fn hover_on_a_statute_reference_in_utf16() {
        // 𠀀 is two UTF-16 code units: the reference starts at character 2 of line 1.
        let text = "二、主动公开政府信息情况\n𠀀第二十条第（五）项\n";
        let json = hover_json(text, 1, 3, &Config::default()).unwrap_or_default();
        let value: serde_json::Value = serde_json::from_str(&json).unwrap_or_default();
        assert!(
            value["markdown"]
                .as_str()
                .is_some_and(|m| m.contains("第二十条")),
            "{json}"
        );
        assert_eq!(
            value["range"],
            serde_json::json!({"start": {"line": 1, "character": 2}, "end": {"line": 1, "character": 11}})
        );
        assert_eq!(hover_json("", 5, 5, &Config::default()), None);
    }

    /// The page's engine hands the full engine every file `nianbao::sniff` may take for another
    /// kind than text: `maybe_not_text` is a superset of sniff's other kinds.
    #[test]
    fn what_sniff_does_not_take_for_text_goes_to_the_full_engine() {
        use nianbao::sniff::{Kind, sniff};
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let mut samples: Vec<Vec<u8>> = [
            &b"PK\x03\x04rest"[..],
            b"PK\x05\x06",
            b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1WordDocument",
            b"{\\rtf1\\ansi",
            b"MIME-Version: 1.0\r\nContent-Type: multipart/related",
            b"From: x\nMime-Version: 1.0\nContent-Type: multipart/related",
            b"\xEF\xBB\xBF  \n<!DOCTYPE html><html>",
            b"\t<HTML><body>",
            b"<?xml version=\"1.0\"?><html xmlns=\"x\">",
            b"<?xml version=\"1.0\"?><w:wordDocument>",
            "\u{3000}<html>".as_bytes(),
            b"\xFF\xFE<\x00h\x00t\x00m\x00l\x00>\x00",
            b"\xFE\xFF\x00<\x00h\x00t\x00m\x00l\x00>",
            "一、总体情况\n<br>".as_bytes(),
            b"",
        ]
        .iter()
        .map(|b| b.to_vec())
        .collect();
        for dir in [
            "tests/fixtures/docx",
            "tests/fixtures/html",
            "examples",
            "../shared/corpus/real",
            "../shared/corpus/html",
        ] {
            for entry in std::fs::read_dir(root.join(dir))
                .into_iter()
                .flatten()
                .flatten()
            {
                samples.push(std::fs::read(entry.path()).unwrap_or_default());
            }
        }
        assert!(samples.len() > 20);
        for bytes in &samples {
            if sniff(bytes) != Kind::Text {
                assert!(
                    maybe_not_text(bytes),
                    "{:?}",
                    String::from_utf8_lossy(&bytes[..bytes.len().min(80)])
                );
            }
        }
        // Report text stays with the page's engine.
        assert!(!maybe_not_text("一、总体情况\n规章\t12\n".as_bytes()));
        assert!(!maybe_not_text(
            &std::fs::read(root.join("examples/001.txt")).unwrap_or_default()
        ));
    }

    #[test]
    fn files_are_read_by_content() {
        let json = read_file_json("\u{feff}一、总体情况\n".as_bytes(), "a.txt").unwrap_or_default();
        assert_eq!(json, r#"{"text":"一、总体情况\n","kind":"UTF-8 文本"}"#);
        let err = check_file_json(b"\xd5\xfe", "a.txt", &Config::default())
            .err()
            .unwrap_or_default();
        assert!(err.starts_with("不是 UTF-8 编码（第 1 字节）"), "{err}");
        let json =
            check_file_json(REPORT.as_bytes(), "报告.txt", &Config::default()).unwrap_or_default();
        assert_eq!(json, check_text("报告.txt", REPORT, &Config::default()));
    }
}
