//! The owner of the open documents: one thread that receives every open / change / close over
//! a channel, in the order they came off the wire, applies the edits to a rope (positions) and
//! to the engine's text, analyses (reading again only the lines the edits may have changed),
//! and hands out immutable, versioned snapshots (`Arc<Snapshot>`). Readers never lock anything;
//! the thread never awaits the client (what it publishes goes out through a channel).
//!
//! A panic while applying an edit or analysing is caught: the document is rebuilt from its
//! text, the snapshot carries no diagnostics, the panic is logged, and the thread goes on.

use std::collections::{HashMap, HashSet};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, OnceLock};

use ropey::Rope;
use tokio::sync::{mpsc as tmpsc, oneshot};
use tower_lsp_server::ls_types::{self as lsp, MessageType, TextDocumentContentChangeEvent, Uri};

use super::configs::Configs;
use super::convert::{LinePositions, LivePositions, Positions, RopePositions, rope_offset};
use super::indexer::{self, Job};
use super::published;
use super::workspace::{self, View, Workspace};
use crate::analysis::{Analysis, Config, analyze, analyze_lines};
use crate::config::Overrides;
use crate::model::lines::{self, Reuse};
use crate::series::{Entry, Identity};
use crate::syntax::{LineIndex, PositionEncoding};

/// One version of one document, as analysed. Immutable; shared by `Arc`.
pub struct Snapshot {
    pub uri: Uri,
    pub version: i32,
    /// Shared with the document's series entry.
    pub text: Arc<str>,
    /// The line index of `text`, built by the first request that needs it (publishing after
    /// an edit converts through the rope instead).
    pub index: OnceLock<LineIndex>,
    pub analysis: Arc<Analysis>,
    pub config: Arc<Config>,
    pub encoding: PositionEncoding,
    /// Counts configuration changes: part of the pull-diagnostics result id.
    pub generation: u64,
    /// The analysis panicked: `analysis` is empty.
    pub failed: bool,
    /// What the checks across years say (replaced when another year's report changes).
    pub series: Arc<SeriesPart>,
}

/// The series checks' part of a snapshot.
#[derive(Default)]
pub struct SeriesPart {
    pub identity: Identity,
    pub view: View,
    /// `view.diagnostics` in LSP form (related places in other files located there).
    pub lsp: Vec<lsp::Diagnostic>,
    /// Counts changes of the series findings of this document: part of the result id.
    pub generation: u64,
}

impl Snapshot {
    pub fn positions(&self) -> Positions<'_> {
        Positions {
            text: &self.text,
            index: self.index.get_or_init(|| LineIndex::new(&self.text)),
            encoding: self.encoding,
        }
    }

    /// The diagnostics in LSP form.
    pub fn lsp_diagnostics(&self) -> Vec<lsp::Diagnostic> {
        let p = self.positions();
        self.analysis
            .diagnostics
            .iter()
            .map(|d| p.diagnostic(&self.uri, d))
            .chain(self.series.lsp.iter().cloned())
            .collect()
    }

    /// The pull-diagnostics result id of this snapshot.
    pub fn result_id(&self) -> String {
        format!(
            "{}-{}-{}",
            self.generation, self.version, self.series.generation
        )
    }
}

/// What the documents thread is told.
pub enum Msg {
    /// Sent once, from `initialize`, before any document message.
    Init {
        encoding: PositionEncoding,
        /// Publish diagnostics (the client does not pull them).
        push: bool,
        /// The editor's settings (over each document's `nianbao.toml`).
        config: Overrides,
    },
    Open {
        uri: Uri,
        version: i32,
        text: String,
    },
    Change {
        uri: Uri,
        version: i32,
        changes: Vec<TextDocumentContentChangeEvent>,
    },
    Close {
        uri: Uri,
    },
    Configure(Overrides),
    /// Index report files for the checks across years (workspace folders, files changed on
    /// disk); the indexer answers with `Indexed` through the job's sender.
    Index(Job),
    /// Entries of report files read from disk, by key (`None`: not a report, or gone).
    Indexed(Vec<(String, Option<Arc<Entry>>)>),
    /// The current snapshot of a document (`None`: not open), after every earlier message.
    Snapshot {
        uri: Uri,
        reply: oneshot::Sender<Option<Arc<Snapshot>>>,
    },
    /// Test hook: panic inside the thread (see `lsp::server`).
    Panic,
}

/// What the documents thread sends to the client side, in order.
pub enum Out {
    Publish {
        uri: Uri,
        version: Option<i32>,
        /// Each diagnostic's JSON (see [`published`]).
        diagnostics: Vec<Arc<str>>,
    },
    Log(MessageType, String),
    /// A message the user must see (`window/showMessage`): a `nianbao.toml` with mistakes.
    Show(MessageType, String),
    /// Configuration changed: the client should ask again for pulled data.
    Refresh,
}

struct Document {
    uri: Uri,
    version: i32,
    rope: Rope,
    text: String,
    /// When the document was last opened or changed (a counter), for [`KEEP_PUBLISHED`].
    touched: u64,
    /// Its key in the workspace ([`workspace::key_of`]).
    key: String,
    /// The current snapshot; `None` while edits are not analysed.
    snapshot: Option<Arc<Snapshot>>,
    /// The last analysis, kept after an edit so that the next one reuses what the edits did
    /// not touch (its classified lines).
    last: Option<Arc<Analysis>>,
    /// What the edits since the last analysis left unchanged (`None`: nothing is reused — a
    /// whole-text change, no analysis yet).
    reuse: Option<Reuse>,
    /// The JSON published for `last`'s diagnostics, reused for those the next analysis repeats.
    published: published::Cache,
    /// Line breaks the edits since the last analysis added (negative: removed); known while
    /// `reuse` is.
    breaks: isize,
}

/// How many documents keep the JSON of their published diagnostics between edits: it is kept
/// for typing, and costs about as much as the text; a document not touched for a while
/// converts its diagnostics anew at its next edit.
///
/// No document keeps a syntax tree: the analysis reads only the lines (`model::lines::rescan`
/// reads those an edit may have changed with the grammar's scanner, about a sixth of a parse's
/// cost, and reuses the others), and no request reads the documents' trees (the formatter parses
/// the text it is given).
const KEEP_PUBLISHED: usize = 8;

struct State {
    docs: HashMap<Uri, Document>,
    /// Counter for `Document::touched`.
    clock: u64,
    encoding: PositionEncoding,
    push: bool,
    configs: Configs,
    generation: u64,
    out: tmpsc::UnboundedSender<Out>,
    /// The reports of the workspace, for the checks across years.
    workspace: Workspace,
    /// Open documents whose series findings must be recomputed (another year changed).
    series_dirty: HashSet<Uri>,
    /// Counter for `SeriesPart::generation`.
    series_clock: u64,
    /// The indexer, started by the first `Index` job.
    indexer: Option<std::sync::mpsc::Sender<Job>>,
}

/// Starts the documents thread; returns the sender of its messages.
pub fn spawn(out: tmpsc::UnboundedSender<Out>) -> Sender<Msg> {
    let (tx, rx) = mpsc::channel();
    let spawned = std::thread::Builder::new()
        .name("nianbao-documents".to_string())
        .spawn(move || run(rx, out));
    if let Err(e) = spawned {
        // Without the thread no document is ever analysed; say so (requests answer `None`).
        eprintln!("nianbao lsp: cannot start the documents thread: {e}");
    }
    tx
}

fn run(rx: Receiver<Msg>, out: tmpsc::UnboundedSender<Out>) {
    let mut state = State {
        docs: HashMap::new(),
        clock: 0,
        encoding: PositionEncoding::Utf16,
        push: true,
        configs: Configs::default(),
        generation: 0,
        out,
        workspace: Workspace::default(),
        series_dirty: HashSet::new(),
        series_clock: 0,
        indexer: None,
    };
    while let Ok(first) = rx.recv() {
        // Take everything already queued: edits typed in a burst are analysed once.
        let mut batch = vec![first];
        batch.extend(rx.try_iter());
        for msg in batch {
            let what = describe(&msg);
            let uri = msg_uri(&msg);
            if let Err(panic) = catch_unwind(AssertUnwindSafe(|| state.handle(msg))) {
                state.recover(uri.as_ref(), what, &panic_message(panic.as_ref()));
            }
        }
        let dirty: Vec<Uri> = state
            .docs
            .values()
            .filter(|d| d.snapshot.is_none())
            .map(|d| d.uri.clone())
            .collect();
        for uri in dirty {
            if let Err(panic) = catch_unwind(AssertUnwindSafe(|| state.fresh(&uri))) {
                state.recover(Some(&uri), "analysis", &panic_message(panic.as_ref()));
            }
        }
        let stale: Vec<Uri> = state.series_dirty.drain().collect();
        for uri in stale {
            if let Err(panic) = catch_unwind(AssertUnwindSafe(|| state.refresh_series(&uri))) {
                state.recover(Some(&uri), "series", &panic_message(panic.as_ref()));
            }
        }
    }
}

fn describe(msg: &Msg) -> &'static str {
    match msg {
        Msg::Init { .. } => "initialize",
        Msg::Open { .. } => "didOpen",
        Msg::Change { .. } => "didChange",
        Msg::Close { .. } => "didClose",
        Msg::Configure(_) => "didChangeConfiguration",
        Msg::Index(_) => "index",
        Msg::Indexed(_) => "indexed",
        Msg::Snapshot { .. } => "snapshot",
        Msg::Panic => "test panic",
    }
}

fn msg_uri(msg: &Msg) -> Option<Uri> {
    match msg {
        Msg::Open { uri, .. } | Msg::Change { uri, .. } | Msg::Close { uri } => Some(uri.clone()),
        Msg::Snapshot { uri, .. } => Some(uri.clone()),
        _ => None,
    }
}

pub fn panic_message(panic: &(dyn std::any::Any + Send)) -> String {
    if let Some(s) = panic.downcast_ref::<&str>() {
        (*s).to_string()
    } else if let Some(s) = panic.downcast_ref::<String>() {
        s.clone()
    } else {
        "（无信息）".to_string()
    }
}

/// An analysis with nothing in it, for a document whose analysis panicked.
fn empty_analysis() -> Arc<Analysis> {
    static EMPTY: OnceLock<Arc<Analysis>> = OnceLock::new();
    EMPTY
        .get_or_init(|| {
            let mut a = analyze("", &Config::default());
            a.diagnostics.clear();
            Arc::new(a)
        })
        .clone()
}

impl State {
    fn log(&self, level: MessageType, message: String) {
        let _ = self.out.send(Out::Log(level, message));
    }

    fn handle(&mut self, msg: Msg) {
        match msg {
            Msg::Init {
                encoding,
                push,
                config,
            } => {
                self.encoding = encoding;
                self.push = push;
                self.configs.set_overrides(config);
            }
            Msg::Open { uri, version, text } => {
                self.clock += 1;
                let doc = Document {
                    key: workspace::key_of(&uri),
                    uri: uri.clone(),
                    version,
                    rope: Rope::from_str(&text),
                    text,
                    touched: self.clock,
                    snapshot: None,
                    last: None,
                    reuse: None,
                    published: published::Cache::default(),
                    breaks: 0,
                };
                if self.docs.insert(uri.clone(), doc).is_some() {
                    self.log(
                        MessageType::LOG,
                        format!("didOpen：{} 已打开，以新内容替换", uri.as_str()),
                    );
                }
            }
            Msg::Change {
                uri,
                version,
                changes,
            } => self.change(&uri, version, changes),
            Msg::Close { uri } => {
                match self.docs.remove(&uri) {
                    Some(doc) => self.closed(&doc.key),
                    None => self.log(
                        MessageType::LOG,
                        format!("didClose：未打开的文档 {}，忽略", uri.as_str()),
                    ),
                }
                if self.push {
                    let _ = self.out.send(Out::Publish {
                        uri,
                        version: None,
                        diagnostics: Vec::new(),
                    });
                }
            }
            Msg::Configure(config) => {
                self.configs.set_overrides(config);
                self.generation += 1;
                for doc in self.docs.values_mut() {
                    doc.snapshot = None;
                }
                let _ = self.out.send(Out::Refresh);
            }
            Msg::Index(job) => self.index(job),
            Msg::Indexed(batch) => {
                for (key, entry) in batch {
                    self.workspace.set_disk(key, entry);
                }
                // Any open report's previous year may be among them.
                self.series_dirty.extend(self.docs.keys().cloned());
            }
            Msg::Snapshot { uri, reply } => {
                let snapshot = if self.docs.contains_key(&uri) {
                    Some(self.fresh(&uri))
                } else {
                    None
                };
                let _ = reply.send(snapshot);
            }
            Msg::Panic => panic!("测试用的故意崩溃（documents thread）"),
        }
    }

    fn change(&mut self, uri: &Uri, version: i32, changes: Vec<TextDocumentContentChangeEvent>) {
        let encoding = self.encoding;
        let mut notes: Vec<String> = Vec::new();
        self.clock += 1;
        let clock = self.clock;
        let Some(doc) = self.docs.get_mut(uri) else {
            self.log(
                MessageType::WARNING,
                format!("didChange：未打开的文档 {}，忽略", uri.as_str()),
            );
            return;
        };
        if version <= doc.version {
            notes.push(format!(
                "didChange：版本 {version} 不大于当前版本 {}，仍按顺序应用",
                doc.version
            ));
        }
        for change in changes {
            match change.range {
                None => {
                    doc.rope = Rope::from_str(&change.text);
                    doc.text = change.text;
                    doc.reuse = None;
                }
                Some(range) => {
                    let start = rope_offset(&doc.rope, range.start, encoding);
                    let end = rope_offset(&doc.rope, range.end, encoding);
                    if start.char > end.char {
                        notes.push(format!(
                            "didChange：范围颠倒（{}:{} 在 {}:{} 之后），忽略此项修改",
                            range.start.line,
                            range.start.character,
                            range.end.line,
                            range.end.character
                        ));
                        continue;
                    }
                    if start.clamped || end.clamped {
                        notes.push(format!(
                            "didChange：范围 {}:{}–{}:{} 超出文档，已截到文档之内",
                            range.start.line,
                            range.start.character,
                            range.end.line,
                            range.end.character
                        ));
                    }
                    doc.rope.remove(start.char..end.char);
                    doc.rope.insert(start.char, &change.text);
                    if let Some(reuse) = doc.reuse.as_mut() {
                        reuse.edit(start.byte..end.byte, doc.text.len());
                        let breaks = |s: &str| s.bytes().filter(|&b| b == b'\n').count() as isize;
                        doc.breaks += breaks(&change.text)
                            - breaks(doc.text.get(start.byte..end.byte).unwrap_or(""));
                    }
                    doc.text.replace_range(start.byte..end.byte, &change.text);
                }
            }
        }
        doc.version = version;
        doc.touched = clock;
        doc.snapshot = None;
        for note in notes {
            self.log(MessageType::WARNING, note);
        }
    }

    /// The document's snapshot, analysing (and publishing) first if it is out of date.
    fn fresh(&mut self, uri: &Uri) -> Arc<Snapshot> {
        let Some(doc) = self.docs.get_mut(uri) else {
            unreachable_doc();
        };
        if let Some(s) = &doc.snapshot {
            return s.clone();
        }
        // The previous analysis's lines, and what the edits since left of its text.
        let mut previous = None;
        let last = doc.last.take();
        // The JSON published for the last analysis, and its diagnostics, to reuse what repeats.
        let cache = std::mem::take(&mut doc.published);
        let stamp = |a: &Arc<Analysis>| Arc::as_ptr(a) as usize;
        let mut old_diagnostics = match &last {
            Some(a) if cache.describes(stamp(a), self.encoding) => {
                OldDiagnostics::Shared(a.clone())
            }
            _ => OldDiagnostics::None,
        };
        let shift = doc.reuse.as_ref().map(|r| published::Shift {
            prefix: r.prefix,
            suffix: r.suffix,
            old_len: r.old_len,
            new_len: doc.text.len(),
            breaks: doc.breaks,
        });
        doc.breaks = 0;
        if let (Some(reuse), Some(last)) = (doc.reuse.take(), last) {
            // Unshared (the usual case: no request holds it), its lines and diagnostics are
            // moved, not copied.
            let keep = !matches!(old_diagnostics, OldDiagnostics::None);
            old_diagnostics = OldDiagnostics::None;
            let lines = match Arc::try_unwrap(last) {
                Ok(analysis) => {
                    if keep {
                        old_diagnostics = OldDiagnostics::Owned(analysis.diagnostics);
                    }
                    analysis.report.lines
                }
                Err(shared) => {
                    let lines = shared.report.lines.clone();
                    if keep {
                        old_diagnostics = OldDiagnostics::Shared(shared);
                    }
                    lines
                }
            };
            previous = Some((lines, reuse));
        }
        let (config, problem) = self
            .configs
            .for_path(workspace::file_path(&doc.uri).as_deref());
        if let Some(problem) = problem {
            let _ = self.out.send(Out::Show(MessageType::WARNING, problem));
        }
        let analysis = Arc::new(match previous {
            Some((old, reuse)) => {
                let (lines, _) = lines::rescan(&doc.text, old, &reuse);
                analyze_lines(&doc.text, lines, &config)
            }
            None => analyze(&doc.text, &config),
        });
        doc.last = Some(analysis.clone());
        doc.reuse = Some(Reuse::unchanged(doc.text.len()));
        let key = doc.key.clone();
        // One copy of the text for the snapshot and the series entry.
        let shared: Arc<str> = Arc::from(doc.text.as_str());
        let entry = Entry::sharing(
            key.clone(),
            shared.clone(),
            &analysis,
            workspace::file_name(&key),
        );
        let identity = entry.identity.clone();
        self.workspace.set_open(key.clone(), Arc::new(entry));
        // The next year's report compares itself with this one.
        if let Some(next) = self.workspace.next_of(&key) {
            self.series_dirty.extend(
                self.docs
                    .values()
                    .filter(|d| d.key == next)
                    .map(|d| d.uri.clone()),
            );
        }
        let series = Arc::new(self.series_part(&key, identity));
        let Some(doc) = self.docs.get_mut(uri) else {
            unreachable_doc();
        };
        // Publish first: the client is waiting; the snapshot's copy of the text can follow.
        if self.push {
            let (text, lines, rope, encoding) =
                (&doc.text, &analysis.report.lines, &doc.rope, self.encoding);
            let positions = || -> Box<dyn LivePositions + '_> {
                // The rope only if the lines are not the text's (never, by the model's
                // construction).
                match LinePositions::new(text, lines, encoding) {
                    Some(lines) => Box::new(lines),
                    None => Box::new(RopePositions {
                        text,
                        rope,
                        encoding,
                    }),
                }
            };
            let previous = match (old_diagnostics.get(), shift) {
                (Some(diagnostics), Some(shift)) => Some(published::Previous {
                    cache: &cache,
                    diagnostics,
                    shift,
                }),
                _ => None,
            };
            let (mut diagnostics, cache) = published::publish(
                &doc.uri,
                text,
                &analysis.diagnostics,
                stamp(&analysis),
                encoding,
                &positions,
                previous,
            );
            diagnostics.extend(published::serialise(&series.lsp));
            doc.published = cache;
            let _ = self.out.send(Out::Publish {
                uri: doc.uri.clone(),
                version: Some(doc.version),
                diagnostics,
            });
        }
        let snapshot = Arc::new(Snapshot {
            uri: doc.uri.clone(),
            version: doc.version,
            text: shared,
            index: OnceLock::new(),
            analysis,
            config,
            encoding: self.encoding,
            generation: self.generation,
            failed: false,
            series,
        });
        doc.snapshot = Some(snapshot.clone());
        self.evict_published();
        snapshot
    }

    /// Hands an indexing job to the indexer (started at the first job).
    fn index(&mut self, job: Job) {
        // Without workspace folders nothing is indexed: a file closed or changed on disk is not
        // read either.
        if self.indexer.is_none() && matches!(job, Job::Files(..)) {
            return;
        }
        let indexer = self.indexer.get_or_insert_with(indexer::spawn);
        if indexer.send(job).is_err() {
            self.log(
                MessageType::ERROR,
                "索引线程已停止，跨年度检查不再更新".to_string(),
            );
        }
    }

    /// A document was closed: its file on disk is in force again (read anew: it may have been
    /// saved), and the next year's report compares with that.
    fn closed(&mut self, key: &str) {
        let next = self.workspace.next_of(key);
        self.workspace.close(key);
        for k in next.into_iter().chain(self.workspace.next_of(key)) {
            let uris = self
                .docs
                .values()
                .filter(|d| d.key == k)
                .map(|d| d.uri.clone());
            self.series_dirty.extend(uris);
        }
    }

    /// The series findings of the document `key`, in LSP form.
    fn series_part(&mut self, key: &str, identity: Identity) -> SeriesPart {
        let view = self.series_view(key);
        let lsp = self.series_lsp(key, &view);
        self.series_clock += 1;
        SeriesPart {
            identity,
            view,
            lsp,
            generation: self.series_clock,
        }
    }

    /// The series findings of `key` with the configured severities (a code switched off is
    /// dropped).
    fn series_view(&mut self, key: &str) -> View {
        let mut view = self.workspace.view(key);
        let path = workspace::file_name(key).map(std::path::Path::new);
        let (config, _) = self.configs.for_path(path);
        view.diagnostics = config.apply_severity(std::mem::take(&mut view.diagnostics));
        view
    }

    /// LSP diagnostics of a series view; a related place in another report is located in that
    /// report's text (open buffer or file).
    fn series_lsp(&self, key: &str, view: &View) -> Vec<lsp::Diagnostic> {
        let Some(entry) = self.workspace.entry(key) else {
            return Vec::new();
        };
        if view.diagnostics.is_empty() {
            return Vec::new();
        }
        let Some(uri) = self.uri_of(key) else {
            return Vec::new();
        };
        let text = &entry.text;
        let index = LineIndex::new(text);
        let p = Positions {
            text,
            index: &index,
            encoding: self.encoding,
        };
        view.diagnostics
            .iter()
            .map(|d| {
                let mut out = p.diagnostic(&uri, d);
                let elsewhere = d.related.iter().filter_map(|r| {
                    let path = r.path.as_deref()?;
                    let other = self.workspace.entry(path)?;
                    let index = LineIndex::new(&other.text);
                    let q = Positions {
                        text: &other.text,
                        index: &index,
                        encoding: self.encoding,
                    };
                    Some(lsp::DiagnosticRelatedInformation {
                        location: lsp::Location::new(self.uri_of(path)?, q.range(&r.range)),
                        message: r.message.clone(),
                    })
                });
                let related: Vec<_> = out
                    .related_information
                    .take()
                    .into_iter()
                    .flatten()
                    .chain(elsewhere)
                    .collect();
                out.related_information = (!related.is_empty()).then_some(related);
                out
            })
            .collect()
    }

    /// The URI of a key: the open document's, else the file's.
    fn uri_of(&self, key: &str) -> Option<Uri> {
        self.docs
            .values()
            .find(|d| d.key == key)
            .map(|d| d.uri.clone())
            .or_else(|| Uri::from_file_path(key))
    }

    /// Recomputes an open document's series findings; publishes them when they changed.
    fn refresh_series(&mut self, uri: &Uri) {
        let Some(doc) = self.docs.get(uri) else {
            return;
        };
        let Some(old) = doc.snapshot.clone() else {
            return; // not analysed yet: `fresh` computes them
        };
        let key = doc.key.clone();
        if old.failed {
            return;
        }
        let view = self.series_view(&key);
        if view == old.series.view {
            return;
        }
        let identity = old.series.identity.clone();
        let series = Arc::new(self.series_part(&key, identity));
        let snapshot = Arc::new(Snapshot {
            uri: old.uri.clone(),
            version: old.version,
            text: old.text.clone(),
            index: OnceLock::new(),
            analysis: old.analysis.clone(),
            config: old.config.clone(),
            encoding: old.encoding,
            generation: old.generation,
            failed: false,
            series,
        });
        if let Some(doc) = self.docs.get_mut(uri) {
            doc.snapshot = Some(snapshot.clone());
        }
        self.publish(&snapshot);
        if !self.push {
            let _ = self.out.send(Out::Refresh);
        }
    }

    /// Drops the published JSON of all but the [`KEEP_PUBLISHED`] documents touched last.
    fn evict_published(&mut self) {
        let encoding = self.encoding;
        let mut with_json: Vec<(u64, &mut Document)> = self
            .docs
            .values_mut()
            .filter(|d| {
                d.last
                    .as_ref()
                    .is_some_and(|a| d.published.describes(Arc::as_ptr(a) as usize, encoding))
            })
            .map(|d| (d.touched, d))
            .collect();
        if with_json.len() <= KEEP_PUBLISHED {
            return;
        }
        with_json.sort_by_key(|(touched, _)| std::cmp::Reverse(*touched));
        for (_, doc) in with_json.into_iter().skip(KEEP_PUBLISHED) {
            doc.published = published::Cache::default();
        }
    }

    fn publish(&self, snapshot: &Snapshot) {
        if self.push {
            let _ = self.out.send(Out::Publish {
                uri: snapshot.uri.clone(),
                version: Some(snapshot.version),
                diagnostics: published::serialise(&snapshot.lsp_diagnostics()),
            });
        }
    }

    /// After a panic: rebuild the document from its text (the engine's truth), give it a
    /// snapshot without diagnostics, log.
    fn recover(&mut self, uri: Option<&Uri>, what: &str, message: &str) {
        self.log(
            MessageType::ERROR,
            format!("nianbao 内部错误（{what}）：{message}。已恢复，服务继续运行。"),
        );
        let Some(uri) = uri else { return };
        let (config, _) = self.configs.for_path(None);
        let (encoding, generation) = (self.encoding, self.generation);
        let rebuilt = catch_unwind(AssertUnwindSafe(|| {
            let doc = self.docs.get_mut(uri)?;
            doc.rope = Rope::from_str(&doc.text);
            doc.last = None;
            doc.reuse = None;
            doc.published = published::Cache::default();
            doc.breaks = 0;
            let snapshot = Arc::new(Snapshot {
                uri: doc.uri.clone(),
                version: doc.version,
                text: Arc::from(doc.text.as_str()),
                index: OnceLock::new(),
                analysis: empty_analysis(),
                config: config.clone(),
                encoding,
                generation,
                failed: true,
                series: Arc::default(),
            });
            doc.snapshot = Some(snapshot.clone());
            Some(snapshot)
        }));
        match rebuilt {
            Ok(Some(snapshot)) => self.publish(&snapshot),
            Ok(None) => {}
            Err(_) => {
                // Cannot even rebuild it: forget the document rather than loop on it.
                self.docs.remove(uri);
                self.log(
                    MessageType::ERROR,
                    format!("无法恢复文档 {}，已将其关闭", uri.as_str()),
                );
            }
        }
    }
}

/// The diagnostics of the analysis published last, while the next one is published.
enum OldDiagnostics {
    None,
    Owned(Vec<crate::diagnostics::Diagnostic>),
    Shared(Arc<Analysis>),
}

impl OldDiagnostics {
    fn get(&self) -> Option<&[crate::diagnostics::Diagnostic]> {
        match self {
            OldDiagnostics::None => None,
            OldDiagnostics::Owned(d) => Some(d),
            OldDiagnostics::Shared(a) => Some(&a.diagnostics),
        }
    }
}

#[cold]
fn unreachable_doc() -> ! {
    // `fresh` is only called for a URI just found in the map.
    panic!("document vanished between lookup and analysis")
}
