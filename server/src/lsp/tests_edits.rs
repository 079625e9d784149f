//! Property tests of the documents thread (`documents`): random edit sequences — insertions,
//! deletions, replacements, whole-text changes, several changes per `didChange`, with CJK,
//! astral-plane characters and CRLF, positions in UTF-8 and in UTF-16, some outside the text or
//! reversed — applied through the server's document store give the text the same edits give on
//! a plain `String` (with positions converted here, independently), and the diagnostics after
//! the sequence equal those of a fresh `analyze` of that text, and its lines those of a parse.
//! Several documents at once, more than keep their published JSON; snapshots requested at random
//! points make the thread read the edited lines again in the middle of a sequence.

use std::collections::HashMap;
use std::str::FromStr;
use std::sync::Arc;

use proptest::prelude::*;
use tokio::sync::{mpsc as tmpsc, oneshot};
use tower_lsp_server::ls_types::{Position, Range, TextDocumentContentChangeEvent, Uri};

use super::documents::{self, Msg};
use crate::analysis::{Config, analyze};
use crate::syntax::PositionEncoding;

const PIECES: &[&str] = &[
    "中",
    "𠀀",
    "😀",
    "é",
    "\r\n",
    "\n",
    "\r",
    "\t",
    "0",
    "12",
    "减47",
    "|",
    " ",
    "一、总体情况",
    "二、主动公开政府信息情况",
    "（三）",
    "1.",
    "总计",
    "规章\t0\t0\t0",
    "- 3 -",
    "\u{feff}",
    // What the scanner's state carries to the next lines: a title before the first heading, a
    // continuation after a cell line, a blank line between them.
    "某局2020年政府信息公开工作年度报告",
    "一、",
    "\t本年新\n",
    "制作数量",
    "\n\n",
    "1.",
];

const START: &str = "某某局2024年政府信息公开工作年度报告\r\n一、总体情况\r\n𠀀本年度……\n\
二、主动公开政府信息情况\n信息内容\t本年制发件数\t本年废止件数\t现行有效件数\n规章\t0\t0\t0\n\
三、收到和处理政府信息公开申请情况\n一、本年新收政府信息公开申请数量\t1\t0\t0\t0\t0\t0\t1\n";

/// One step of a session.
#[derive(Clone, Debug)]
enum Step {
    /// One `didChange` to document `doc` with these changes.
    Change { doc: usize, changes: Vec<Edit> },
    /// A request: the thread brings `doc` up to date (its lines, its analysis) now.
    Snapshot { doc: usize },
}

/// One content change, in terms of the text it applies to.
#[derive(Clone, Debug)]
enum Edit {
    /// Replace from a fraction of the text to another (in 1/1000ths: positions on the current
    /// text are found at run time), with `text`.
    Range { start: u16, len: u16, text: String },
    /// A position out of the text (a line or a column past the end) or a reversed range.
    Wild {
        start: (u32, u32),
        end: (u32, u32),
        text: String,
    },
    /// The whole text replaced (`range: None`).
    Whole { text: String },
}

fn text_strategy() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(PIECES), 0..4).prop_map(|v| v.concat())
}

fn edit_strategy() -> impl Strategy<Value = Edit> {
    prop_oneof![
        12 => (0u16..=1000, 0u16..60, text_strategy())
            .prop_map(|(start, len, text)| Edit::Range { start, len, text }),
        2 => ((0u32..40, 0u32..80), (0u32..40, 0u32..80), text_strategy())
            .prop_map(|(start, end, text)| Edit::Wild { start, end, text }),
        1 => prop::collection::vec(prop::sample::select(PIECES), 0..30)
            .prop_map(|v| Edit::Whole { text: v.concat() }),
    ]
}

fn step_strategy(docs: usize) -> impl Strategy<Value = Step> {
    prop_oneof![
        6 => (0..docs, prop::collection::vec(edit_strategy(), 1..4))
            .prop_map(|(doc, changes)| Step::Change { doc, changes }),
        1 => (0..docs).prop_map(|doc| Step::Snapshot { doc }),
    ]
}

/// The number of documents (up to 10: more than the 8 that keep their published JSON), the
/// steps, UTF-8.
fn session_strategy() -> impl Strategy<Value = (usize, Vec<Step>, bool)> {
    (1usize..=10).prop_flat_map(|docs| {
        (
            Just(docs),
            prop::collection::vec(step_strategy(docs), 1..40),
            any::<bool>(),
        )
    })
}

// ---------------------------------------------------------------------------------------------
// The reference: positions and edits on a plain String, written here from the LSP rules
// ---------------------------------------------------------------------------------------------

fn width(c: char, encoding: PositionEncoding) -> u32 {
    match encoding {
        PositionEncoding::Utf8 => c.len_utf8() as u32,
        PositionEncoding::Utf16 => c.len_utf16() as u32,
        PositionEncoding::Utf32 => 1,
    }
}

/// The byte offset of an LSP position: a line past the end → the end of the text; a column
/// past the end of its line's content (a `\r` before the `\n` is not content) → the end of the
/// content; a column inside a character → the character's start.
fn offset(text: &str, p: Position, encoding: PositionEncoding) -> usize {
    let mut line_start = 0;
    for _ in 0..p.line {
        match text[line_start..].find('\n') {
            Some(i) => line_start += i + 1,
            None => return text.len(),
        }
    }
    let mut content_end = text[line_start..]
        .find('\n')
        .map_or(text.len(), |i| line_start + i);
    if content_end > line_start && text.as_bytes()[content_end - 1] == b'\r' {
        content_end -= 1;
    }
    let mut counted = 0;
    for (i, c) in text[line_start..content_end].char_indices() {
        if counted + width(c, encoding) > p.character {
            return line_start + i;
        }
        counted += width(c, encoding);
    }
    content_end
}

/// The LSP position of a byte offset (a char boundary, not between `\r` and `\n`).
fn position(text: &str, at: usize, encoding: PositionEncoding) -> Position {
    let before = &text[..at];
    let line = before.matches('\n').count() as u32;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let character = text[line_start..at]
        .chars()
        .map(|c| width(c, encoding))
        .sum();
    Position { line, character }
}

/// The nearest offset at or before `at` that a position can name.
fn addressable(text: &str, mut at: usize) -> usize {
    at = at.min(text.len());
    loop {
        let between_cr_lf = at > 0
            && text.as_bytes()[at - 1] == b'\r'
            && (at == text.len() || text.as_bytes()[at] == b'\n');
        if text.is_char_boundary(at) && !between_cr_lf {
            return at;
        }
        at -= 1;
    }
}

/// Turns an edit into the change the client sends, applying it to `model` the way the
/// protocol defines it.
fn apply(
    model: &mut String,
    edit: &Edit,
    encoding: PositionEncoding,
) -> TextDocumentContentChangeEvent {
    let change = |range: Option<Range>, text: &str| TextDocumentContentChangeEvent {
        range,
        range_length: None,
        text: text.to_string(),
    };
    match edit {
        Edit::Range { start, len, text } => {
            let a = addressable(model, model.len() * *start as usize / 1000);
            let b = addressable(model, a + *len as usize).max(a);
            let range = Range::new(position(model, a, encoding), position(model, b, encoding));
            model.replace_range(a..b, text);
            change(Some(range), text)
        }
        Edit::Wild { start, end, text } => {
            let (s, e) = (Position::new(start.0, start.1), Position::new(end.0, end.1));
            let (a, b) = (offset(model, s, encoding), offset(model, e, encoding));
            // A reversed range is ignored (and logged) by the server.
            if a <= b {
                model.replace_range(a..b, text);
            }
            change(Some(Range::new(s, e)), text)
        }
        Edit::Whole { text } => {
            model.clone_from(text);
            change(None, text)
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The session
// ---------------------------------------------------------------------------------------------

fn uri(doc: usize) -> Uri {
    #[allow(clippy::unwrap_used)]
    Uri::from_str(&format!("file:///doc{doc}.txt")).unwrap()
}

fn snapshot(
    tx: &std::sync::mpsc::Sender<Msg>,
    doc: usize,
) -> Option<std::sync::Arc<super::Snapshot>> {
    let (reply, rx) = oneshot::channel();
    tx.send(Msg::Snapshot {
        uri: uri(doc),
        reply,
    })
    .ok()?;
    rx.blocking_recv().ok().flatten()
}

fn encoding_for(utf8: bool) -> PositionEncoding {
    if utf8 {
        PositionEncoding::Utf8
    } else {
        PositionEncoding::Utf16
    }
}

/// What a test sends the documents thread, and the receiving end of what it sends the client.
type Channels = (
    std::sync::mpsc::Sender<Msg>,
    tmpsc::UnboundedReceiver<documents::Out>,
);

/// A documents thread initialised for `encoding`, publishing diagnostics if `push` (else the
/// client pulls them); the caller keeps the receiver alive.
fn documents_thread(encoding: PositionEncoding, push: bool) -> Result<Channels, String> {
    let (out, out_rx) = tmpsc::unbounded_channel();
    let tx = documents::spawn(out);
    tx.send(Msg::Init {
        encoding,
        push,
        config: crate::config::Overrides::default(),
    })
    .map_err(|_| "the documents thread stopped".to_string())?;
    Ok((tx, out_rx))
}

/// The diagnostics the thread published last for each document (version, each one's JSON).
#[derive(Default)]
struct Published(HashMap<Uri, (Option<i32>, Vec<Arc<str>>)>);

impl Published {
    /// What the documents thread published for the snapshot `s` of `text` is what publishing a
    /// fresh analysis of `text` gives: the JSON kept between analyses
    /// (`published`) is the JSON of the diagnostics as they are now.
    fn check(
        &mut self,
        rx: &mut tmpsc::UnboundedReceiver<documents::Out>,
        s: &super::Snapshot,
        text: &str,
        config: &Config,
    ) -> Result<(), String> {
        while let Ok(out) = rx.try_recv() {
            if let documents::Out::Publish {
                uri,
                version,
                diagnostics,
            } = out
            {
                self.0.insert(uri, (version, diagnostics));
            }
        }
        let (version, json) = self.0.get(&s.uri).ok_or("nothing published")?;
        if *version != Some(s.version) {
            return Err(format!(
                "published version {version:?}, snapshot version {}",
                s.version
            ));
        }
        let index = crate::syntax::LineIndex::new(text);
        let p = super::convert::Positions {
            text,
            index: &index,
            encoding: s.encoding,
        };
        let fresh: Vec<_> = analyze(text, config)
            .diagnostics
            .iter()
            .map(|d| p.diagnostic(&s.uri, d))
            .chain(s.series.lsp.iter().cloned())
            .collect();
        let expected = super::published::serialise(&fresh);
        if *json != expected {
            let at = json
                .iter()
                .zip(&expected)
                .position(|(a, b)| a != b)
                .unwrap_or(json.len().min(expected.len()));
            return Err(format!(
                "published diagnostics ≠ those of a fresh analysis ({} ≠ {}), first at {at}: {:?} ≠ {:?}",
                json.len(),
                expected.len(),
                json.get(at),
                expected.get(at)
            ));
        }
        Ok(())
    }
}

/// The lines of the snapshot's analysis (read again after edits with the grammar's scanner, or
/// kept from before them) are those a parse of `text` gives.
fn lines_as_parsed(s: &super::Snapshot, text: &str) -> Result<(), String> {
    let parsed = crate::model::lines::lines(text, &crate::syntax::parse(text));
    let (mine, theirs) = (
        format!("{:?}", s.analysis.report.lines),
        format!("{parsed:?}"),
    );
    if mine != theirs {
        return Err(format!(
            "the lines after the edits ≠ those of a parse of {text:?}:\n{mine}\n≠\n{theirs}"
        ));
    }
    Ok(())
}

/// Runs a session; `Err` describes the first difference.
fn run(docs: usize, steps: &[Step], utf8: bool, push: bool) -> Result<(), String> {
    let encoding = encoding_for(utf8);
    let (tx, mut out_rx) = documents_thread(encoding, push)?;
    let mut published = Published::default();
    let send = |msg| {
        tx.send(msg)
            .map_err(|_| "the documents thread stopped".to_string())
    };
    let mut models: Vec<String> = (0..docs)
        .map(|i| START.replace("2024", &format!("{}", 2020 + i)))
        .collect();
    for (i, text) in models.iter().enumerate() {
        send(Msg::Open {
            uri: uri(i),
            version: 1,
            text: text.clone(),
        })?;
    }
    let mut versions = vec![1; docs];
    for step in steps {
        match step {
            Step::Change { doc, changes } => {
                let changes = changes
                    .iter()
                    .map(|e| apply(&mut models[*doc], e, encoding))
                    .collect();
                versions[*doc] += 1;
                send(Msg::Change {
                    uri: uri(*doc),
                    version: versions[*doc],
                    changes,
                })?;
            }
            Step::Snapshot { doc } => {
                let s = snapshot(&tx, *doc).ok_or("no snapshot")?;
                if *s.text != *models[*doc] {
                    return Err(format!(
                        "doc {doc} mid-session: {:?} ≠ {:?}",
                        s.text, models[*doc]
                    ));
                }
                lines_as_parsed(&s, &models[*doc])?;
                if push {
                    published.check(&mut out_rx, &s, &models[*doc], &Config::default())?;
                }
            }
        }
    }
    let config = Config::default();
    for (doc, model) in models.iter().enumerate() {
        let s = snapshot(&tx, doc).ok_or("no snapshot")?;
        if *s.text != **model {
            return Err(format!(
                "doc {doc}: server text {:?} ≠ client text {model:?}",
                s.text
            ));
        }
        if s.version != versions[doc] {
            return Err(format!(
                "doc {doc}: version {} ≠ {}",
                s.version, versions[doc]
            ));
        }
        lines_as_parsed(&s, model).map_err(|e| format!("doc {doc}: {e}"))?;
        let fresh = analyze(model, &config);
        if s.analysis.diagnostics != fresh.diagnostics || s.analysis.template != fresh.template {
            return Err(format!(
                "doc {doc}: diagnostics after the edits ≠ those of a fresh open\n{:#?}\n{:#?}",
                s.analysis.diagnostics, fresh.diagnostics
            ));
        }
        if push {
            published
                .check(&mut out_rx, &s, model, &config)
                .map_err(|e| format!("doc {doc}: {e}"))?;
        }
    }
    Ok(())
}

fn cases() -> u32 {
    std::env::var("NIANBAO_PROPTEST_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(128)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), ..ProptestConfig::default() })]

    #[test]
    fn edits_through_the_document_store_equal_edits_on_a_string(
        (docs, steps, utf8) in session_strategy(),
        push in any::<bool>(),
    ) {
        if let Err(e) = run(docs, &steps, utf8, push) {
            prop_assert!(false, "{}", e);
        }
    }
}

/// The reference conversions agree with the engine's `LineIndex` (so a difference found above
/// is the document store's).
#[test]
fn the_reference_positions_agree_with_line_index() {
    use crate::syntax::{LineCol, LineIndex};
    let text = "一、总体情况\r\n𠀀a\t12\n\r\n😀\r";
    let index = LineIndex::new(text);
    for encoding in [PositionEncoding::Utf8, PositionEncoding::Utf16] {
        for line in 0..6 {
            for character in 0..20 {
                let p = Position::new(line, character);
                let mine = offset(text, p, encoding);
                let theirs = index.offset(
                    text,
                    LineCol {
                        line,
                        col: character,
                    },
                    encoding,
                );
                assert_eq!(mine, theirs, "{encoding:?} {line}:{character}");
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Incremental analysis of large reports: after every burst of edits, the analysis the documents
// thread keeps (which reuses the lines the edits did not touch) equals a fresh analysis of the
// text — the whole model, the relations, the diagnostics — and so does every LSP diagnostic it
// publishes (hovers, inlay hints, tokens and symbols all read that analysis).
// ---------------------------------------------------------------------------------------------

/// The corpus concatenated (about 80 KB), else the examples.
fn large_report() -> String {
    let manifest = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let shared = manifest.join("../../shared/corpus/real");
    let dir = if shared.is_dir() {
        shared
    } else {
        manifest.join("../examples")
    };
    let mut files: Vec<std::path::PathBuf> = std::fs::read_dir(&dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    files.sort();
    let mut text = String::new();
    for f in files {
        if let Ok(t) = std::fs::read_to_string(&f) {
            text.push_str(&t);
            text.push('\n');
        }
    }
    text
}

static LARGE: std::sync::LazyLock<String> = std::sync::LazyLock::new(large_report);

/// Pieces typed into a large report: table cells, rows, headings, line breaks, anchors.
const LARGE_PIECES: &[&str] = &[
    "7",
    "0",
    "12",
    "\t",
    "\t0",
    "\n",
    "\r\n",
    " ",
    "|",
    "中",
    "𠀀",
    "一、总体情况\n",
    "三、收到和处理政府信息公开申请情况\n",
    "四、结转下年度继续办理\t1\t0\t0\t0\t0\t0\t1\n",
    "（一）予以公开\t",
    "本年新收政府信息公开申请数量",
    "收到政府信息公开申请12件，",
    "\t行政复议\n",
    "- 3 -\n",
    "2023年",
    "<!-- nianbao-disable-next-line sum-mismatch: 测试 -->\n",
    // What the scanner's state carries to the next lines.
    "一、",
    "\t本年新\n制作数量\n",
    "\t",
    "\n\n",
    "某局2020年政府信息公开工作年度报告\n",
    "1.",
];

#[derive(Clone, Debug)]
enum LargeStep {
    /// One `didChange` (each change applies to the text the previous one left).
    Change(Vec<LargeEdit>),
    /// A request: the thread analyses now, and the analysis is compared.
    Snapshot,
}

#[derive(Clone, Debug)]
enum LargeEdit {
    /// Replace `len` bytes at `at` millionths of the text with `text`.
    Bytes(u32, u16, String),
    /// An edit of whole lines or of a line's start (see [`LineEdit`]), at the line `at`
    /// millionths down the text.
    Line(u32, LineEdit),
}

/// What turns a line into another kind, or changes the state the next lines are read in.
#[derive(Clone, Debug)]
enum LineEdit {
    /// Lines inserted before the line (CRLF or LF after each).
    Insert(Vec<&'static str>, bool),
    /// The line and the `n − 1` after it deleted, line breaks included.
    Delete(u8),
    /// Text put before the line's first character (a TAB, a heading's number, an enumerator).
    Prefix(&'static str),
    /// The line's first `n` characters deleted.
    Unprefix(u8),
    /// The line break (LF or CRLF) after the line deleted: it and the next are one line.
    Join,
    /// A line break (LF, or CRLF) put after the line's `n`-th character.
    Split(u8, bool),
}

/// Whole lines, of each kind the scanner decides by its state or that changes it.
const LINES: &[&str] = &[
    "某局2020年政府信息公开工作年度报告",
    "一、总体情况",
    "（一）主动公开",
    "正文。",
    "\t本年新",
    "\t行政复议",
    "制作数量",
    "的件数",
    "",
    "  \u{3000}",
    "规章\t0\t0",
    "- 3 -",
    "1.事项",
    "**加粗**",
];

const PREFIXES: &[&str] = &["\t", "一、", "1.", " ", "某局", "（二）", "\n"];

fn line_edit_strategy() -> impl Strategy<Value = LineEdit> {
    prop_oneof![
        3 => (prop::collection::vec(prop::sample::select(LINES), 1..4), any::<bool>())
            .prop_map(|(lines, crlf)| LineEdit::Insert(lines, crlf)),
        2 => (1u8..4).prop_map(LineEdit::Delete),
        3 => prop::sample::select(PREFIXES).prop_map(LineEdit::Prefix),
        2 => (1u8..3).prop_map(LineEdit::Unprefix),
        2 => Just(LineEdit::Join),
        2 => (0u8..6, any::<bool>()).prop_map(|(n, crlf)| LineEdit::Split(n, crlf)),
    ]
}

fn large_step_strategy() -> impl Strategy<Value = LargeStep> {
    let piece =
        prop::collection::vec(prop::sample::select(LARGE_PIECES), 0..3).prop_map(|v| v.concat());
    let edit = prop_oneof![
        5 => (0u32..1_000_000, 0u16..48, piece.clone())
            .prop_map(|(at, len, text)| LargeEdit::Bytes(at, len, text)),
        // Many lines deleted or replaced at once.
        1 => (0u32..1_000_000, 48u16..6000, piece)
            .prop_map(|(at, len, text)| LargeEdit::Bytes(at, len, text)),
        4 => (0u32..1_000_000, line_edit_strategy())
            .prop_map(|(at, edit)| LargeEdit::Line(at, edit)),
    ];
    prop_oneof![
        5 => prop::collection::vec(edit, 1..4).prop_map(LargeStep::Change),
        2 => Just(LargeStep::Snapshot),
    ]
}

/// The bytes `edit` replaces in `text`, and with what.
fn resolve(text: &str, edit: &LargeEdit) -> (usize, usize, String) {
    let at = |fraction: u32| (text.len() as u64 * u64::from(fraction) / 1_000_000) as usize;
    let (fraction, edit) = match edit {
        LargeEdit::Bytes(fraction, len, insert) => {
            let a = addressable(text, at(*fraction));
            let b = addressable(text, a + usize::from(*len)).max(a);
            return (a, b, insert.clone());
        }
        LargeEdit::Line(fraction, edit) => (*fraction, edit),
    };
    let mut starts = vec![0];
    starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
    let line = starts.iter().rposition(|&s| s <= at(fraction)).unwrap_or(0);
    let start = starts[line];
    // The end of the line's content (before its CR LF) and of the line (after its LF).
    let end = starts.get(line + 1).map_or(text.len(), |&next| next - 1);
    let content_end = if text[start..end].ends_with('\r') {
        end - 1
    } else {
        end
    };
    let nth_char = |n: usize| {
        text[start..content_end]
            .char_indices()
            .nth(n)
            .map_or(content_end, |(i, _)| start + i)
    };
    match edit {
        LineEdit::Insert(lines, crlf) => {
            let eol = if *crlf { "\r\n" } else { "\n" };
            let mut inserted = lines.join(eol);
            inserted.push_str(eol);
            (start, start, inserted)
        }
        LineEdit::Delete(n) => {
            let to = starts
                .get(line + usize::from(*n))
                .copied()
                .unwrap_or(text.len());
            (start, to, String::new())
        }
        LineEdit::Prefix(prefix) => (start, start, prefix.to_string()),
        LineEdit::Unprefix(n) => (start, nth_char(usize::from(*n)), String::new()),
        // The CR too: a position cannot fall between CR and LF.
        LineEdit::Join => (content_end, (end + 1).min(text.len()), String::new()),
        LineEdit::Split(n, crlf) => {
            let at = nth_char(usize::from(*n));
            (at, at, if *crlf { "\r\n" } else { "\n" }.to_string())
        }
    }
}

/// The analysis of a snapshot against a fresh one, and its LSP diagnostics against those of a
/// fresh conversion.
fn same_as_fresh(s: &super::Snapshot, text: &str) -> Result<(), String> {
    // Through a parse: the documents thread reads lines with the grammar's scanner alone.
    let fresh =
        crate::analysis::analyze_tree(text, &crate::syntax::parse(text), &Config::default());
    let mine = format!(
        "{:?}",
        (
            s.analysis.template,
            &s.analysis.diagnostics,
            &s.analysis.report,
            &s.analysis.relations
        )
    );
    let theirs = format!(
        "{:?}",
        (
            fresh.template,
            &fresh.diagnostics,
            &fresh.report,
            &fresh.relations
        )
    );
    if mine != theirs {
        let at = mine
            .bytes()
            .zip(theirs.bytes())
            .position(|(a, b)| a != b)
            .unwrap_or(mine.len().min(theirs.len()));
        let from = at.saturating_sub(300);
        return Err(format!(
            "incremental analysis ≠ fresh analysis at byte {at} of the model dump:\n{}\n≠\n{}",
            mine.get(from..(at + 300).min(mine.len())).unwrap_or(""),
            theirs.get(from..(at + 300).min(theirs.len())).unwrap_or("")
        ));
    }
    let index = crate::syntax::LineIndex::new(text);
    let p = super::convert::Positions {
        text,
        index: &index,
        encoding: s.encoding,
    };
    let expected: Vec<_> = fresh
        .diagnostics
        .iter()
        .map(|d| p.diagnostic(&s.uri, d))
        .collect();
    if s.lsp_diagnostics() != expected {
        return Err("LSP diagnostics ≠ those of a fresh conversion".to_string());
    }
    Ok(())
}

fn run_large(initial: &str, steps: &[LargeStep], utf8: bool, push: bool) -> Result<(), String> {
    let encoding = encoding_for(utf8);
    let (tx, mut out_rx) = documents_thread(encoding, push)?;
    let mut published = Published::default();
    let send = |msg| {
        tx.send(msg)
            .map_err(|_| "the documents thread stopped".to_string())
    };
    let mut model = initial.to_string();
    send(Msg::Open {
        uri: uri(0),
        version: 1,
        text: model.clone(),
    })?;
    // Analysed once before the edits, as an editor's first request does.
    let s = snapshot(&tx, 0).ok_or("no snapshot")?;
    same_as_fresh(&s, &model)?;
    if push {
        published.check(&mut out_rx, &s, &model, &Config::default())?;
    }
    let mut version = 1;
    for step in steps {
        match step {
            LargeStep::Change(edits) => {
                let changes = edits
                    .iter()
                    .map(|edit| {
                        let (a, b, text) = resolve(&model, edit);
                        let range = Range::new(
                            position(&model, a, encoding),
                            position(&model, b, encoding),
                        );
                        model.replace_range(a..b, &text);
                        TextDocumentContentChangeEvent {
                            range: Some(range),
                            range_length: None,
                            text,
                        }
                    })
                    .collect();
                version += 1;
                send(Msg::Change {
                    uri: uri(0),
                    version,
                    changes,
                })?;
            }
            LargeStep::Snapshot => {
                let s = snapshot(&tx, 0).ok_or("no snapshot")?;
                if *s.text != *model {
                    return Err("server text ≠ client text".to_string());
                }
                lines_as_parsed(&s, &model)?;
                same_as_fresh(&s, &model)?;
                if push {
                    published.check(&mut out_rx, &s, &model, &Config::default())?;
                }
            }
        }
    }
    let s = snapshot(&tx, 0).ok_or("no snapshot")?;
    if *s.text != *model {
        return Err("server text ≠ client text".to_string());
    }
    same_as_fresh(&s, &model)?;
    if push {
        published.check(&mut out_rx, &s, &model, &Config::default())?;
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: (cases() / 4).max(1),
        ..ProptestConfig::default()
    })]

    #[test]
    fn incremental_analysis_of_a_large_report_equals_a_fresh_one(
        steps in prop::collection::vec(large_step_strategy(), 1..30),
        utf8 in any::<bool>(),
        push in any::<bool>(),
    ) {
        if let Err(e) = run_large(&LARGE, &steps, utf8, push) {
            prop_assert!(false, "{}", e);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: cases() * 4,
        ..ProptestConfig::default()
    })]

    /// Texts of whole lines of the kinds whose reading depends on the lines before (titles,
    /// headings, cell lines and their continuations, blank lines), edited line by line: the
    /// lines read again with the grammar's scanner, and the analysis, are those of a parse.
    #[test]
    fn line_edits_keep_the_analysis_equal_to_a_fresh_one(
        lines in prop::collection::vec(prop::sample::select(LINES), 0..40),
        crlf in any::<bool>(),
        final_break in any::<bool>(),
        steps in prop::collection::vec(large_step_strategy(), 1..30),
        utf8 in any::<bool>(),
        push in any::<bool>(),
    ) {
        let mut text = lines.join(if crlf { "\r\n" } else { "\n" });
        if final_break {
            text.push('\n');
        }
        if let Err(e) = run_large(&text, &steps, utf8, push) {
            prop_assert!(false, "{}", e);
        }
    }
}

/// A configuration change republishes every diagnostic with its new severity (or without the
/// codes switched off), reusing the JSON of the others; and edits after it still publish what a
/// fresh analysis gives.
#[test]
fn republishing_after_a_configuration_change_equals_a_fresh_publish() -> Result<(), String> {
    use crate::config::Overrides;
    use crate::diagnostics::{Code, Severity};
    let encoding = PositionEncoding::Utf16;
    let (tx, mut out_rx) = documents_thread(encoding, true)?;
    let send = |msg| {
        tx.send(msg)
            .map_err(|_| "the documents thread stopped".to_string())
    };
    let mut model = LARGE.clone();
    let mut published = Published::default();
    send(Msg::Open {
        uri: uri(0),
        version: 1,
        text: model.clone(),
    })?;
    let s = snapshot(&tx, 0).ok_or("no snapshot")?;
    published.check(&mut out_rx, &s, &model, &Config::default())?;
    let codes: std::collections::BTreeSet<Code> =
        s.analysis.diagnostics.iter().map(|d| d.code).collect();
    let mut overrides = Overrides::default();
    for (i, code) in codes.into_iter().enumerate() {
        let severity = [None, Some(Severity::Hint), Some(Severity::Error)][i % 3];
        overrides.severity.insert(code, severity);
    }
    let config = Config {
        severity: overrides.severity.clone().into_iter().collect(),
        ..Config::default()
    };
    send(Msg::Configure(overrides))?;
    let s = snapshot(&tx, 0).ok_or("no snapshot")?;
    published.check(&mut out_rx, &s, &model, &config)?;
    // An edit under the new configuration: a figure typed into the first table row.
    let at = model.find('\t').ok_or("no table row")? + 1;
    let position = position(&model, at, encoding);
    model.insert(at, '7');
    send(Msg::Change {
        uri: uri(0),
        version: 2,
        changes: vec![TextDocumentContentChangeEvent {
            range: Some(Range::new(position, position)),
            range_length: None,
            text: "7".to_string(),
        }],
    })?;
    let s = snapshot(&tx, 0).ok_or("no snapshot")?;
    published.check(&mut out_rx, &s, &model, &config)?;
    send(Msg::Configure(Overrides::default()))?;
    let s = snapshot(&tx, 0).ok_or("no snapshot")?;
    published.check(&mut out_rx, &s, &model, &Config::default())
}
