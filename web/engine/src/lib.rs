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
use nianbao::report_json;
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
struct Position {
    line: u32,
    character: u32,
}

impl Position {
    fn at(index: &LineIndex, text: &str, offset: usize) -> Self {
        let p = index.line_col(text, offset, PositionEncoding::Utf16);
        Position {
            line: p.line,
            character: p.col,
        }
    }
}

#[derive(Serialize)]
struct EditJson {
    range: Range,
    #[serde(rename = "newText")]
    new_text: String,
}

#[derive(Serialize)]
struct FixJson {
    title: String,
    edits: Vec<EditJson>,
}

#[derive(Serialize)]
struct LintJson {
    file: report_json::File,
    suggestions: Vec<Vec<FixJson>>,
}

/// What the page's editor shows: `{"file": …, "suggestions": [[…], …]}` — `file` the entry of
/// [`check_text`]'s document, `suggestions[i]` the fixes offered for its `i`-th diagnostic that are
/// not safe enough for the document's `fix` (nor for fix-all): the user picks one, or none
/// (`改为 351（重新计算合计；也可能是其他数字有误）`). Positions as in the document.
pub fn lint_json(text: &str, config: &Config) -> String {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let analysis = analyze(text, config);
    let index = LineIndex::new(text);
    let range = |r: &std::ops::Range<usize>| Range {
        start: Position::at(&index, text, r.start),
        end: Position::at(&index, text, r.end.max(r.start)),
    };
    let suggestions = analysis
        .diagnostics
        .iter()
        .map(|d| {
            d.suggestions
                .iter()
                .map(|fix| FixJson {
                    title: fix.title.clone(),
                    edits: fix
                        .edits
                        .iter()
                        .map(|e| EditJson {
                            range: range(&e.range),
                            new_text: e.new_text.clone(),
                        })
                        .collect(),
                })
                .collect()
        })
        .collect();
    let mut file = report_json::alone(report_json::STDIN_NAME, text, &analysis, None);
    file.encoding = Some(TextEncoding::Utf8.name());
    let lint = LintJson { file, suggestions };
    serde_json::to_string(&lint).unwrap_or_else(|_| "{}".to_owned())
}

#[derive(Serialize)]
struct Range {
    start: Position,
    end: Position,
}

#[derive(Serialize)]
struct HoverJson {
    markdown: String,
    range: Range,
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
        range: Range {
            start: Position::at(&index, text, hover.range.start),
            end: Position::at(&index, text, hover.range.end.max(hover.range.start)),
        },
    };
    serde_json::to_string(&json).ok()
}

#[derive(Serialize)]
struct DocumentJson {
    text: String,
    kind: &'static str,
}

/// A file's report text, read by the library's readers (by content, not by name), as JSON
/// `{"text": "…", "kind": "UTF-8 文本"}`; or why it cannot be read (Chinese).
pub fn read_file_json(bytes: &[u8]) -> Result<String, String> {
    let document = nianbao::input::read(bytes)?;
    serde_json::to_string(&DocumentJson {
        text: document.text,
        kind: document.kind,
    })
    .map_err(|err| format!("内部错误：{err}"))
}

/// What `nianbao check --format json FILE` prints for a file with these bytes shown as `name`.
pub fn check_file_json(bytes: &[u8], name: &str, config: &Config) -> Result<String, String> {
    let document = nianbao::input::read(bytes)?;
    let encoding = document.encoding.map_or(TextEncoding::Utf8, |(e, _)| e);
    Ok(check_in(name, Some(name), &document.text, encoding, config))
}

// In the browser, NFKC comes from the browser (see `nianbao::normalize::set_nfkc`).
#[cfg(target_arch = "wasm32")]
#[wasm_bindgen(inline_js = "export function nfkc(s) { return s.normalize('NFKC'); }")]
extern "C" {
    fn nfkc(s: &str) -> String;
}

/// Runs when the module is instantiated.
#[cfg(target_arch = "wasm32")]
#[wasm_bindgen(start)]
fn start() {
    nianbao::normalize::set_nfkc(|c, f| {
        let mut buffer = [0; 4];
        nfkc(c.encode_utf8(&mut buffer)).chars().for_each(f);
    });
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

/// `readFile(bytes)`: JSON `{"text", "kind"}` — the text `check` and the editor work on.
/// Throws the reason (Chinese) if the file cannot be read.
#[wasm_bindgen(js_name = readFile)]
pub fn read_file(bytes: &[u8]) -> Result<String, JsError> {
    read_file_json(bytes).map_err(js_error)
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

    #[test]
    fn files_are_read_by_content() {
        let json = read_file_json("\u{feff}一、总体情况\n".as_bytes()).unwrap_or_default();
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
