//! JSON output of `nianbao check --format json` (interface.md, version 1), built here for the
//! command line and the web page's engine alike. Positions are the LSP's: 0-based line, 0-based
//! character in UTF-16 code units.

use std::collections::BTreeMap;

use crate::diagnostics::{Code, Diagnostic, Fix, Severity};
use crate::extract::{Location, SourceMap};
use crate::syntax::{LineIndex, PositionEncoding};
use serde::Serialize;

/// The version of the document (`"version"`).
pub const VERSION: u32 = 1;

/// How standard input, or a text that has no file name, is named in `"path"`.
pub const STDIN_NAME: &str = "<stdin>";

#[derive(Serialize)]
pub struct Report {
    pub version: u32,
    pub files: Vec<File>,
}

#[derive(Serialize)]
pub struct File {
    pub path: String,
    pub template: &'static str,
    /// The encoding the file was read in (`UTF-8`, `GB18030`), for text read from bytes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub encoding: Option<&'static str>,
    /// The issuing body and the report year as read (null when unknown).
    pub body: Option<String>,
    pub year: Option<u32>,
    pub diagnostics: Vec<JsonDiagnostic>,
    /// Where the report stands in its body's series, and why it was not compared.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub series: Option<Series>,
}

/// The series pass's view of one file.
#[derive(Serialize)]
pub struct Series {
    /// Where the body and the year were read (`title`, `opening`, `period`, `signature`,
    /// `filename`), null when unknown.
    #[serde(rename = "bodySource")]
    pub body_source: Option<&'static str>,
    #[serde(rename = "yearSource")]
    pub year_source: Option<&'static str>,
    /// The same body's report of the year before / after, compared with this one.
    pub previous: Option<String>,
    pub next: Option<String>,
    /// Why the report was not compared, or only in part (Chinese).
    pub notes: Vec<String>,
}

#[derive(Serialize)]
pub struct JsonDiagnostic {
    code: Code,
    severity: Severity,
    message: String,
    range: JsonRange,
    /// For a Word document or a page: `"word": {"table": 2, "row": 12, "cell": 8}` or
    /// `{"paragraph": 31}` (`"html"` for a page), the place in the document of `range`'s start.
    #[serde(flatten)]
    place: Place,
    /// The rule of rules.md behind an arithmetic finding (`T3-COL`, `T3-RES`, `T3-BAL`, `T4-SUM`).
    #[serde(skip_serializing_if = "Option::is_none")]
    rule: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    fix: Option<JsonFix>,
    related: Vec<JsonRelated>,
}

/// A range as the JSON gives it: lines and UTF-16 characters, 0-based.
#[derive(Serialize)]
pub struct JsonRange {
    start: Position,
    end: Position,
}

impl JsonRange {
    /// The range of bytes `r` of `text` (`index` its line index); an end before the start is
    /// the start.
    pub fn of(text: &str, index: &LineIndex, r: &std::ops::Range<usize>) -> Self {
        let pos = |offset| {
            let p = index.line_col(text, offset, PositionEncoding::Utf16);
            Position {
                line: p.line,
                character: p.col,
            }
        };
        JsonRange {
            start: pos(r.start),
            end: pos(r.end.max(r.start)),
        }
    }
}

#[derive(Serialize)]
struct Position {
    line: u32,
    character: u32,
}

/// A fix as the JSON gives it: `{"title", "edits": [{"range", "newText"}]}`.
#[derive(Serialize)]
pub struct JsonFix {
    title: String,
    edits: Vec<JsonEdit>,
}

impl JsonFix {
    /// `fix`, its ranges converted by `range`.
    pub fn of(fix: &Fix, range: impl Fn(&std::ops::Range<usize>) -> JsonRange) -> Self {
        JsonFix {
            title: fix.title.clone(),
            edits: fix
                .edits
                .iter()
                .map(|e| JsonEdit {
                    range: range(&e.range),
                    new_text: e.new_text.clone(),
                })
                .collect(),
        }
    }
}

#[derive(Serialize)]
struct JsonEdit {
    range: JsonRange,
    #[serde(rename = "newText")]
    new_text: String,
}

#[derive(Serialize)]
struct JsonRelated {
    /// Set when the place is in another file (the range is in that file's text).
    #[serde(skip_serializing_if = "Option::is_none")]
    path: Option<String>,
    range: JsonRange,
    #[serde(flatten)]
    place: Place,
    message: String,
}

/// The document place of a range (`"word": {…}`), or nothing for report text.
type Place = BTreeMap<&'static str, Location>;

/// The text of another checked file, by the name it is shown under.
pub type Texts<'a> = dyn Fn(&str) -> Option<&'a str> + 'a;

/// Sets `body`, `year` and `series` of a file's entry from its series entry and the outcome
/// of the series pass; `name` names another report by its index.
pub fn set_series(
    file: &mut File,
    entry: &crate::series::Entry,
    outcome: &crate::series::Outcome,
    name: impl Fn(usize) -> Option<String>,
) {
    let identity = &entry.identity;
    file.body = identity.body.as_ref().map(|b| b.value.clone());
    file.year = identity.year.as_ref().map(|y| y.value);
    file.series = Some(Series {
        body_source: identity.body.as_ref().map(|b| b.source.as_str()),
        year_source: identity.year.as_ref().map(|y| y.source.as_str()),
        previous: outcome.previous.and_then(&name),
        next: outcome.next.and_then(&name),
        notes: outcome.notes.clone(),
    });
}

/// A report checked alone, as `nianbao check --format json` prints it for one input: its entry
/// with its identity and the notes of a series of one. `file_name`: the name of the file it was
/// read from (for the identity), `None` for standard input.
pub fn alone(
    path: &str,
    text: &str,
    analysis: &crate::analysis::Analysis,
    file_name: Option<&str>,
) -> File {
    let mut file = self::file(
        path.to_owned(),
        analysis.template,
        text,
        &analysis.diagnostics,
    );
    let entry = crate::series::Entry::new(path.to_owned(), text, analysis, file_name);
    let outcome = crate::series::Series::new(vec![&entry]).outcome(0);
    set_series(&mut file, &entry, &outcome, |_| None);
    file
}

/// One file's entry (a file checked alone).
pub fn file(path: String, template: &'static str, text: &str, diagnostics: &[Diagnostic]) -> File {
    file_with(path, template, text, diagnostics, &|_| None)
}

/// One file's entry; related places in other files are located in their texts (`others`).
pub fn file_with(
    path: String,
    template: &'static str,
    text: &str,
    diagnostics: &[Diagnostic],
    others: &Texts<'_>,
) -> File {
    located(path, template, text, diagnostics, others, None)
}

/// One file's entry, for a text read out of a Word document or a page (`map`): its diagnostics
/// then say where they are in it (`"word": {…}`, `"html": {…}`).
pub fn file_located(
    path: String,
    template: &'static str,
    text: &str,
    diagnostics: &[Diagnostic],
    map: Option<&SourceMap>,
) -> File {
    located(path, template, text, diagnostics, &|_| None, map)
}

/// One file's entry: related places in other files located in their texts (`others`), places
/// in a Word document or a page named through its source map (`map`).
pub fn located(
    path: String,
    template: &'static str,
    text: &str,
    diagnostics: &[Diagnostic],
    others: &Texts<'_>,
    map: Option<&SourceMap>,
) -> File {
    let place = |r: &std::ops::Range<usize>| -> Place {
        map.and_then(|m| Some((m.kind.json_key(), m.locate(r.start)?)))
            .into_iter()
            .collect()
    };
    let index = LineIndex::new(text);
    let range = |r: &std::ops::Range<usize>| JsonRange::of(text, &index, r);
    let elsewhere = |path: &str, r: &std::ops::Range<usize>| {
        let other = others(path).unwrap_or_default();
        JsonRange::of(other, &LineIndex::new(other), r)
    };
    let diagnostics = diagnostics
        .iter()
        .map(|d| JsonDiagnostic {
            code: d.code,
            severity: d.severity,
            message: d.message.clone(),
            range: range(&d.range),
            place: place(&d.range),
            rule: d.rule,
            fix: d.fix.as_ref().map(|fix| JsonFix::of(fix, range)),
            related: d
                .related
                .iter()
                .map(|r| JsonRelated {
                    path: r.path.clone(),
                    range: match &r.path {
                        Some(path) => elsewhere(path, &r.range),
                        None => range(&r.range),
                    },
                    // A place in another file is named by its range in that file's text.
                    place: if r.path.is_none() {
                        place(&r.range)
                    } else {
                        Place::new()
                    },
                    message: r.message.clone(),
                })
                .collect(),
        })
        .collect();
    File {
        path,
        template,
        encoding: None,
        body: None,
        year: None,
        diagnostics,
        series: None,
    }
}

/// The whole document, pretty-printed, with a final newline.
pub fn to_string(report: &Report) -> String {
    let mut out = serde_json::to_string_pretty(report).unwrap_or_else(|_| "{}".to_owned());
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::Edit;

    #[test]
    fn utf16_positions_fix_and_related() {
        let text = "表四\n𠀀行政复议\t10\t0\n";
        let at = text.find("10").unwrap_or_default();
        let diagnostic = Diagnostic::new(Code::SumMismatch, at..at + 2, "总计应为 11，实为 10")
            .with_related(0..6, "表四")
            .with_fix(
                "改为 11",
                vec![Edit {
                    range: at..at + 2,
                    new_text: "11".into(),
                }],
            );
        let report = Report {
            version: 1,
            files: vec![file("a.txt".into(), "2021", text, &[diagnostic])],
        };
        let value: serde_json::Value =
            serde_json::from_str(&to_string(&report)).unwrap_or_default();
        let d = &value["files"][0]["diagnostics"][0];
        assert_eq!(value["version"], 1);
        assert_eq!(value["files"][0]["template"], "2021");
        assert_eq!(d["code"], "sum-mismatch");
        assert_eq!(d["severity"], "error");
        // 𠀀 is two UTF-16 units, 行政复议 four, the TAB one.
        assert_eq!(
            d["range"],
            serde_json::json!({"start": {"line": 1, "character": 7}, "end": {"line": 1, "character": 9}})
        );
        assert_eq!(d["fix"]["edits"][0]["newText"], "11");
        assert_eq!(d["fix"]["title"], "改为 11");
        assert_eq!(d["related"][0]["message"], "表四");
        assert_eq!(d["related"][0]["range"]["end"]["character"], 2);

        let plain = Diagnostic::new(Code::CellEmpty, 0..0, "空");
        let entry =
            serde_json::to_value(file("b".into(), "unknown", "", &[plain])).unwrap_or_default();
        assert!(entry["diagnostics"][0].get("fix").is_none());
        assert_eq!(entry["diagnostics"][0]["related"], serde_json::json!([]));
        assert!(entry["diagnostics"][0].get("word").is_none());
    }

    /// A Word document's diagnostics say where they are in it, beside `range`.
    #[cfg(feature = "docx")]
    #[test]
    fn word_places_beside_ranges() {
        let built = crate::docx::build::report("一、总体情况\n规章\t12\n");
        let Ok(doc) = crate::docx::read(&built.docx) else {
            panic!("not read");
        };
        let text = doc.text();
        let at = text.find("12").unwrap_or_default();
        let d = Diagnostic::new(Code::SumMismatch, at..at + 2, "x").with_related(0..1, "标题");
        let report = Report {
            version: 1,
            files: vec![file_located(
                "a.docx".into(),
                "unknown",
                text,
                &[d],
                Some(&doc.extracted.map),
            )],
        };
        let out = to_string(&report);
        let value: serde_json::Value = serde_json::from_str(&out).unwrap_or_default();
        let d = &value["files"][0]["diagnostics"][0];
        assert_eq!(
            d["word"],
            serde_json::json!({"table": 1, "row": 1, "cell": 2})
        );
        assert_eq!(d["related"][0]["word"], serde_json::json!({"paragraph": 1}));
        // Written right after `range`.
        let range = out.find("\"range\"").unwrap_or(usize::MAX);
        let word = out.find("\"word\"").unwrap_or(0);
        let related = out.find("\"related\"").unwrap_or(0);
        assert!(range < word && word < related, "{out}");
    }
}
