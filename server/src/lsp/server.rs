//! The `LanguageServer` implementation: capabilities, settings, and every request answered from
//! an immutable snapshot. The engine runs in `spawn_blocking`, so a panic there becomes a
//! JSON-RPC error (and a log line), never a dead server.

use std::collections::HashMap;
use std::sync::mpsc::Sender;
use std::sync::{Arc, OnceLock};

use serde_json::{Value, json};
use tokio::sync::{mpsc as tmpsc, oneshot};
use tower_lsp_server::jsonrpc::{self, ErrorCode};
use tower_lsp_server::ls_types::*;
use tower_lsp_server::{Client, LanguageServer};

use super::convert::{self, Positions};
use super::documents::{Msg, Out, Snapshot, panic_message};
use super::indexer::Job;
use super::outbox::{self, Frame, Outbox};
use super::settings;
use super::workspace;
use super::{Phase, Shared};
use crate::ide;

/// The code-action kind of fix-all.
pub const FIX_ALL: &str = "source.fixAll.nianbao";

/// Token types and modifiers of `semanticTokens/full`, in legend order (see `ide::tokens`):
/// section headings → `namespace`, statute references → `macro`, value cells → `number`;
/// modifiers `total` (a total cell) and `wrong` (an error or warning points at the cell).
pub fn legend() -> SemanticTokensLegend {
    SemanticTokensLegend {
        token_types: vec![
            SemanticTokenType::NAMESPACE,
            SemanticTokenType::MACRO,
            SemanticTokenType::NUMBER,
        ],
        token_modifiers: vec![
            SemanticTokenModifier::new("total"),
            SemanticTokenModifier::new("wrong"),
        ],
    }
}

fn token_type(kind: ide::TokenKind) -> u32 {
    match kind {
        ide::TokenKind::Heading => 0,
        ide::TokenKind::StatuteRef => 1,
        ide::TokenKind::Number => 2,
    }
}

/// What the client said it can do, as far as the server cares.
#[derive(Clone, Copy, Debug, Default)]
pub struct ClientCaps {
    pub encoding: crate::syntax::PositionEncoding,
    /// The client pulls diagnostics (`textDocument/diagnostic`) and can be told to pull again
    /// (`workspace/diagnostic/refresh`): do not push them too. A client that pulls but cannot be
    /// refreshed (Neovim 0.11) gets pushed diagnostics instead: otherwise a settings change would
    /// show only at its next edit.
    pub pull: bool,
    pub resolve_edit: bool,
    pub config_pull: bool,
    pub config_dynamic: bool,
    pub refresh_inlay: bool,
    pub refresh_tokens: bool,
    /// `workspace/didChangeWatchedFiles` may be registered dynamically.
    pub watch_dynamic: bool,
}

pub struct Backend {
    client: Client,
    docs: Sender<Msg>,
    out: tmpsc::UnboundedSender<Out>,
    shared: Arc<Shared>,
    caps: Arc<OnceLock<ClientCaps>>,
    /// Notes on the initialization options, logged once the client is initialized.
    init_notes: OnceLock<Vec<String>>,
}

impl Backend {
    pub fn new(
        client: Client,
        docs: Sender<Msg>,
        out: tmpsc::UnboundedSender<Out>,
        shared: Arc<Shared>,
        caps: Arc<OnceLock<ClientCaps>>,
    ) -> Self {
        Self {
            client,
            docs,
            out,
            shared,
            caps,
            init_notes: OnceLock::new(),
        }
    }

    fn caps(&self) -> ClientCaps {
        self.caps.get().copied().unwrap_or_default()
    }

    fn log(&self, level: MessageType, message: String) {
        let _ = self.out.send(Out::Log(level, message));
    }

    /// The current snapshot of `uri`, after every document message received before this call.
    async fn snapshot(&self, uri: &Uri, what: &str) -> Option<Arc<Snapshot>> {
        let (tx, rx) = oneshot::channel();
        let sent = self.docs.send(Msg::Snapshot {
            uri: uri.clone(),
            reply: tx,
        });
        if sent.is_err() {
            self.log(MessageType::ERROR, format!("{what}：文档线程已停止"));
            return None;
        }
        match rx.await {
            Ok(Some(s)) => Some(s),
            Ok(None) => {
                self.log(
                    MessageType::LOG,
                    format!("{what}：未打开的文档 {}，不作回答", uri.as_str()),
                );
                None
            }
            Err(_) => {
                self.log(
                    MessageType::ERROR,
                    format!("{what}：分析 {} 时出错，不作回答", uri.as_str()),
                );
                None
            }
        }
    }

    /// Runs engine work on the blocking pool; a panic becomes a JSON-RPC internal error and a
    /// log line.
    async fn run<T, F>(&self, what: &'static str, f: F) -> jsonrpc::Result<T>
    where
        T: Send + 'static,
        F: FnOnce() -> T + Send + 'static,
    {
        match tokio::task::spawn_blocking(f).await {
            Ok(v) => Ok(v),
            Err(e) => {
                let message = if e.is_panic() {
                    panic_message(e.into_panic().as_ref())
                } else {
                    "任务被取消".to_string()
                };
                self.log(
                    MessageType::ERROR,
                    format!("nianbao 内部错误（{what}）：{message}。已恢复，服务继续运行。"),
                );
                Err(jsonrpc::Error {
                    code: ErrorCode::InternalError,
                    message: format!("nianbao 内部错误（{what}）：{message}").into(),
                    data: None,
                })
            }
        }
    }

    fn configure(&self, value: &Value, source: &str) {
        let (config, notes) = settings::parse(value);
        for note in notes {
            self.log(MessageType::WARNING, format!("{source}：{note}"));
        }
        let _ = self.docs.send(Msg::Configure(config));
    }

    /// Asks the client for the `nianbao` section (`workspace/configuration`).
    async fn pull_configuration(&self) {
        let items = vec![ConfigurationItem {
            scope_uri: None,
            section: Some("nianbao".to_string()),
        }];
        match self.client.configuration(items).await {
            Ok(values) => {
                if let Some(value) = values.first().filter(|v| v.is_object()) {
                    self.configure(value, "workspace/configuration");
                }
            }
            Err(e) => self.log(
                MessageType::LOG,
                format!("workspace/configuration 请求失败：{}", e.message),
            ),
        }
    }

    /// Test hook (`NIANBAO_LSP_TEST_HOOKS=1`): `{"where": "request"}` panics in a request
    /// handler's engine call, `{"where": "documents"}` in the documents thread.
    pub async fn debug_panic(&self, params: Value) -> jsonrpc::Result<Value> {
        if std::env::var_os("NIANBAO_LSP_TEST_HOOKS").is_none() {
            return Err(jsonrpc::Error::method_not_found());
        }
        match params.get("where").and_then(Value::as_str) {
            Some("documents") => {
                let _ = self.docs.send(Msg::Panic);
                Ok(json!("sent"))
            }
            _ => {
                self.run("debugPanic", || -> Value {
                    panic!("测试用的故意崩溃（request）")
                })
                .await
            }
        }
    }
}

fn client_caps(params: &InitializeParams) -> ClientCaps {
    let c = &params.capabilities;
    let offered = c
        .general
        .as_ref()
        .and_then(|g| g.position_encodings.as_deref());
    let text = c.text_document.as_ref();
    let workspace = c.workspace.as_ref();
    let refresh_diagnostics = workspace
        .and_then(|w| w.diagnostics.as_ref())
        .and_then(|d| d.refresh_support)
        .unwrap_or(false);
    ClientCaps {
        encoding: convert::negotiate(offered),
        pull: refresh_diagnostics && text.is_some_and(|t| t.diagnostic.is_some()),
        resolve_edit: text
            .and_then(|t| t.code_action.as_ref())
            .and_then(|a| a.resolve_support.as_ref())
            .is_some_and(|r| r.properties.iter().any(|p| p == "edit")),
        config_pull: workspace.and_then(|w| w.configuration).unwrap_or(false),
        config_dynamic: workspace
            .and_then(|w| w.did_change_configuration.as_ref())
            .and_then(|d| d.dynamic_registration)
            .unwrap_or(false),
        refresh_inlay: workspace
            .and_then(|w| w.inlay_hint.as_ref())
            .and_then(|i| i.refresh_support)
            .unwrap_or(false),
        refresh_tokens: workspace
            .and_then(|w| w.semantic_tokens.as_ref())
            .and_then(|s| s.refresh_support)
            .unwrap_or(false),
        watch_dynamic: workspace
            .and_then(|w| w.did_change_watched_files.as_ref())
            .and_then(|d| d.dynamic_registration)
            .unwrap_or(false),
    }
}

/// The workspace folders' paths (the root URI's when the client names no folders).
#[allow(deprecated)] // `root_uri`: older clients send only that.
fn workspace_roots(params: &InitializeParams) -> Vec<std::path::PathBuf> {
    match &params.workspace_folders {
        Some(folders) => folders
            .iter()
            .filter_map(|f| workspace::file_path(&f.uri))
            .collect(),
        None => params
            .root_uri
            .iter()
            .filter_map(workspace::file_path)
            .collect(),
    }
}

/// Sends what the documents thread produces to the client, in order: notifications as frames
/// serialised here (see [`outbox`]), requests through `client`.
pub async fn forward(
    client: Client,
    mut rx: tmpsc::UnboundedReceiver<Out>,
    caps: Arc<OnceLock<ClientCaps>>,
    outbox: Outbox,
    shared: Arc<Shared>,
) {
    async fn send<N: notification::Notification>(outbox: &Outbox, params: &N::Params) {
        match outbox::notification(N::METHOD, params) {
            Ok(body) => {
                let _ = outbox.send(Frame::Body(body)).await;
            }
            Err(e) => eprintln!("nianbao lsp: {} 无法序列化：{e}", N::METHOD),
        }
    }
    while let Some(out) = rx.recv().await {
        match out {
            Out::Publish {
                uri,
                version,
                diagnostics,
            } => {
                // As `Client::publish_diagnostics`: nothing before `initialize` is answered.
                if shared.phase() != Phase::Uninitialized {
                    match outbox::publish_diagnostics(&uri, version, &diagnostics) {
                        Ok(body) => {
                            let _ = outbox.send(Frame::Body(body)).await;
                        }
                        Err(e) => eprintln!("nianbao lsp: publishDiagnostics 无法序列化：{e}"),
                    }
                }
            }
            Out::Log(typ, message) => {
                let params = LogMessageParams { typ, message };
                send::<notification::LogMessage>(&outbox, &params).await;
            }
            Out::Show(typ, message) => {
                let log = LogMessageParams {
                    typ,
                    message: message.clone(),
                };
                send::<notification::LogMessage>(&outbox, &log).await;
                let show = ShowMessageParams { typ, message };
                send::<notification::ShowMessage>(&outbox, &show).await;
            }
            Out::Refresh => {
                let caps = caps.get().copied().unwrap_or_default();
                // Requests: answered by the client later; do not hold up the publishing.
                let client = client.clone();
                tokio::spawn(async move {
                    if caps.refresh_inlay {
                        let _ = client.inlay_hint_refresh().await;
                    }
                    if caps.refresh_tokens {
                        let _ = client.semantic_tokens_refresh().await;
                    }
                    if caps.pull {
                        let _ = client.workspace_diagnostic_refresh().await;
                    }
                });
            }
        }
    }
}

fn in_kinds(kind: &CodeActionKind, only: Option<&Vec<CodeActionKind>>) -> bool {
    only.is_none_or(|only| {
        only.iter().any(|k| {
            kind.as_str() == k.as_str() || kind.as_str().starts_with(&format!("{}.", k.as_str()))
        })
    })
}

impl LanguageServer for Backend {
    async fn initialize(&self, params: InitializeParams) -> jsonrpc::Result<InitializeResult> {
        let caps = client_caps(&params);
        let _ = self.caps.set(caps);
        let (config, notes) = match &params.initialization_options {
            Some(value) => settings::parse(value),
            None => Default::default(),
        };
        let _ = self.init_notes.set(notes);
        let _ = self.docs.send(Msg::Init {
            encoding: caps.encoding,
            push: !caps.pull,
            config,
        });
        // The reports of the workspace, for the checks across years: read by the indexer
        // thread, so the first document's own diagnostics do not wait for them.
        let roots = workspace_roots(&params);
        if !roots.is_empty() {
            let _ = self
                .docs
                .send(Msg::Index(Job::Roots(roots, self.docs.clone())));
        }
        self.shared.set(Phase::Initialized);

        let code_action_kinds = vec![CodeActionKind::QUICKFIX, CodeActionKind::new(FIX_ALL)];
        let capabilities = ServerCapabilities {
            position_encoding: Some(convert::encoding_kind(caps.encoding)),
            text_document_sync: Some(TextDocumentSyncCapability::Options(
                TextDocumentSyncOptions {
                    open_close: Some(true),
                    change: Some(TextDocumentSyncKind::INCREMENTAL),
                    ..Default::default()
                },
            )),
            hover_provider: Some(HoverProviderCapability::Simple(true)),
            code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
                code_action_kinds: Some(code_action_kinds),
                resolve_provider: Some(true),
                ..Default::default()
            })),
            document_symbol_provider: Some(OneOf::Left(true)),
            folding_range_provider: Some(FoldingRangeProviderCapability::Simple(true)),
            semantic_tokens_provider: Some(
                SemanticTokensServerCapabilities::SemanticTokensOptions(SemanticTokensOptions {
                    legend: legend(),
                    full: Some(SemanticTokensFullOptions::Bool(true)),
                    range: None,
                    ..Default::default()
                }),
            ),
            inlay_hint_provider: Some(OneOf::Left(true)),
            completion_provider: Some(CompletionOptions {
                trigger_characters: Some(vec!["、".to_string()]),
                ..Default::default()
            }),
            diagnostic_provider: caps.pull.then(|| {
                DiagnosticServerCapabilities::Options(DiagnosticOptions {
                    identifier: Some("nianbao".to_string()),
                    inter_file_dependencies: false,
                    workspace_diagnostics: false,
                    ..Default::default()
                })
            }),
            document_formatting_provider: super::formatting::capability(),
            document_range_formatting_provider: super::formatting::range_capability(),
            ..Default::default()
        };
        Ok(InitializeResult {
            capabilities,
            server_info: Some(ServerInfo {
                name: "nianbao".to_string(),
                version: Some(env!("CARGO_PKG_VERSION").to_string()),
            }),
            ..Default::default()
        })
    }

    async fn initialized(&self, _: InitializedParams) {
        let caps = self.caps();
        for note in self.init_notes.get().into_iter().flatten() {
            self.log(
                MessageType::WARNING,
                format!("initializationOptions：{note}"),
            );
        }
        if caps.config_dynamic {
            let registration = Registration {
                id: "nianbao-configuration".to_string(),
                method: "workspace/didChangeConfiguration".to_string(),
                register_options: None,
            };
            // Answered by the client later; the registration does not hold anything up.
            let client = self.client.clone();
            tokio::spawn(async move {
                let _ = client.register_capability(vec![registration]).await;
            });
        }
        if caps.watch_dynamic {
            // Report files changed on disk (another year's report edited elsewhere, created,
            // deleted) re-run the checks across years.
            let watchers = ["**/*.{txt,md,nianbao}", "**/*.{TXT,MD,NIANBAO}"]
                .into_iter()
                .map(|glob| FileSystemWatcher {
                    glob_pattern: GlobPattern::String(glob.to_string()),
                    kind: None,
                })
                .collect();
            let registration = Registration {
                id: "nianbao-watched-files".to_string(),
                method: "workspace/didChangeWatchedFiles".to_string(),
                register_options: serde_json::to_value(DidChangeWatchedFilesRegistrationOptions {
                    watchers,
                })
                .ok(),
            };
            let client = self.client.clone();
            tokio::spawn(async move {
                let _ = client.register_capability(vec![registration]).await;
            });
        }
        if caps.config_pull {
            self.pull_configuration().await;
        }
    }

    async fn did_change_watched_files(&self, params: DidChangeWatchedFilesParams) {
        let paths: Vec<_> = params
            .changes
            .iter()
            .filter_map(|c| workspace::file_path(&c.uri))
            .collect();
        if !paths.is_empty() {
            let _ = self
                .docs
                .send(Msg::Index(Job::Files(paths, self.docs.clone())));
        }
    }

    async fn shutdown(&self) -> jsonrpc::Result<()> {
        self.shared.set(Phase::ShutDown);
        Ok(())
    }

    // Document sync normally never reaches here: `Sequencer` hands it to the documents thread
    // in wire order. Without the sequencer (an `LspService` used directly) these do the same.
    async fn did_open(&self, params: DidOpenTextDocumentParams) {
        let d = params.text_document;
        let _ = self.docs.send(Msg::Open {
            uri: d.uri,
            version: d.version,
            text: d.text,
        });
    }

    async fn did_change(&self, params: DidChangeTextDocumentParams) {
        let _ = self.docs.send(Msg::Change {
            uri: params.text_document.uri,
            version: params.text_document.version,
            changes: params.content_changes,
        });
    }

    async fn did_close(&self, params: DidCloseTextDocumentParams) {
        let _ = self.docs.send(Msg::Close {
            uri: params.text_document.uri,
        });
    }

    async fn did_change_configuration(&self, params: DidChangeConfigurationParams) {
        let settings = params.settings;
        if settings.get("nianbao").is_some() || (settings.is_object() && !self.caps().config_pull) {
            self.configure(&settings, "didChangeConfiguration");
        } else if self.caps().config_pull {
            self.pull_configuration().await;
        }
    }

    async fn hover(&self, params: HoverParams) -> jsonrpc::Result<Option<Hover>> {
        let at = params.text_document_position_params;
        let Some(snap) = self.snapshot(&at.text_document.uri, "hover").await else {
            return Ok(None);
        };
        let out = self.out.clone();
        self.run("hover", move || {
            let p = snap.positions();
            let offset = checked_offset(&p, at.position, "hover", &out);
            ide::hover(&snap.text, &snap.analysis, offset)
                .or_else(|| ide::identity_hover(&snap.analysis, &snap.series.identity, offset))
                .map(|h| Hover {
                    contents: HoverContents::Markup(MarkupContent {
                        kind: MarkupKind::Markdown,
                        value: h.markdown,
                    }),
                    range: Some(p.range(&h.range)),
                })
        })
        .await
    }

    async fn diagnostic(
        &self,
        params: DocumentDiagnosticParams,
    ) -> jsonrpc::Result<DocumentDiagnosticReportResult> {
        let full = |result_id: Option<String>, items: Vec<Diagnostic>| {
            DocumentDiagnosticReportResult::Report(DocumentDiagnosticReport::Full(
                RelatedFullDocumentDiagnosticReport {
                    related_documents: None,
                    full_document_diagnostic_report: FullDocumentDiagnosticReport {
                        result_id,
                        items,
                    },
                },
            ))
        };
        let Some(snap) = self
            .snapshot(&params.text_document.uri, "textDocument/diagnostic")
            .await
        else {
            return Ok(full(None, Vec::new()));
        };
        let result_id = snap.result_id();
        if params.previous_result_id.as_deref() == Some(result_id.as_str()) {
            return Ok(DocumentDiagnosticReportResult::Report(
                DocumentDiagnosticReport::Unchanged(RelatedUnchangedDocumentDiagnosticReport {
                    related_documents: None,
                    unchanged_document_diagnostic_report: UnchangedDocumentDiagnosticReport {
                        result_id,
                    },
                }),
            ));
        }
        self.run("textDocument/diagnostic", move || {
            full(Some(snap.result_id()), snap.lsp_diagnostics())
        })
        .await
    }

    async fn code_action(
        &self,
        params: CodeActionParams,
    ) -> jsonrpc::Result<Option<CodeActionResponse>> {
        let uri = params.text_document.uri.clone();
        let Some(snap) = self.snapshot(&uri, "codeAction").await else {
            return Ok(None);
        };
        let caps = self.caps();
        self.run("codeAction", move || {
            let p = snap.positions();
            let (range, _) = p.byte_range(params.range);
            let only = params.context.only.as_ref();
            let mut out: CodeActionResponse = Vec::new();
            let quickfix = CodeActionKind::QUICKFIX;
            if in_kinds(&quickfix, only) {
                for action in ide::code_actions(&snap.text, &snap.analysis, range.clone()) {
                    let diagnostics = action
                        .diagnostics
                        .iter()
                        .filter_map(|&i| snap.analysis.diagnostics.get(i))
                        .map(|d| p.diagnostic(&uri, d))
                        .collect();
                    let edits = action.edits.iter().map(|e| p.text_edit(e)).collect();
                    out.push(CodeActionOrCommand::CodeAction(CodeAction {
                        title: action.title,
                        kind: Some(quickfix.clone()),
                        diagnostics: Some(diagnostics),
                        edit: Some(workspace_edit(&uri, edits)),
                        is_preferred: action.preferred.then_some(true),
                        ..Default::default()
                    }));
                }
            }
            if in_kinds(&quickfix, only) {
                out.extend(series_actions(&snap, &uri, range));
            }
            let fix_all = CodeActionKind::new(FIX_ALL);
            if in_kinds(&fix_all, only) && ide::fix_all_available(&snap.analysis) {
                let mut action = CodeAction {
                    title: "修正全部可自动修正的问题（nianbao）".to_string(),
                    kind: Some(fix_all),
                    ..Default::default()
                };
                if caps.resolve_edit {
                    action.data = Some(json!({"uri": uri.as_str(), "version": snap.version}));
                } else {
                    action.edit = Some(fix_all_edit(&snap));
                }
                out.push(CodeActionOrCommand::CodeAction(action));
            }
            Some(out)
        })
        .await
    }

    async fn code_action_resolve(&self, mut action: CodeAction) -> jsonrpc::Result<CodeAction> {
        if action.edit.is_some() {
            return Ok(action);
        }
        let uri = action
            .data
            .as_ref()
            .and_then(|d| d.get("uri"))
            .and_then(Value::as_str)
            .and_then(|s| s.parse::<Uri>().ok());
        let Some(uri) = uri else {
            return Ok(action);
        };
        let Some(snap) = self.snapshot(&uri, "codeAction/resolve").await else {
            return Ok(action);
        };
        let edit = self
            .run("codeAction/resolve", move || fix_all_edit(&snap))
            .await?;
        action.edit = Some(edit);
        Ok(action)
    }

    async fn formatting(
        &self,
        params: DocumentFormattingParams,
    ) -> jsonrpc::Result<Option<Vec<TextEdit>>> {
        let Some(snap) = self.snapshot(&params.text_document.uri, "formatting").await else {
            return Ok(None);
        };
        let out = self.out.clone();
        self.run("formatting", move || {
            let (edits, note) = super::formatting::edits(&snap, None);
            if let Some(note) = note {
                let _ = out.send(Out::Log(MessageType::WARNING, note));
            }
            Some(edits)
        })
        .await
    }

    async fn range_formatting(
        &self,
        params: DocumentRangeFormattingParams,
    ) -> jsonrpc::Result<Option<Vec<TextEdit>>> {
        let Some(snap) = self
            .snapshot(&params.text_document.uri, "rangeFormatting")
            .await
        else {
            return Ok(None);
        };
        let out = self.out.clone();
        self.run("rangeFormatting", move || {
            let (range, _) = snap.positions().byte_range(params.range);
            let (edits, note) = super::formatting::edits(&snap, Some(range));
            if let Some(note) = note {
                let _ = out.send(Out::Log(MessageType::WARNING, note));
            }
            Some(edits)
        })
        .await
    }

    async fn document_symbol(
        &self,
        params: DocumentSymbolParams,
    ) -> jsonrpc::Result<Option<DocumentSymbolResponse>> {
        let Some(snap) = self
            .snapshot(&params.text_document.uri, "documentSymbol")
            .await
        else {
            return Ok(None);
        };
        self.run("documentSymbol", move || {
            let p = snap.positions();
            let symbols = ide::document_symbols(&snap.text, &snap.analysis)
                .iter()
                .map(|s| document_symbol(&p, s))
                .collect();
            Some(DocumentSymbolResponse::Nested(symbols))
        })
        .await
    }

    async fn folding_range(
        &self,
        params: FoldingRangeParams,
    ) -> jsonrpc::Result<Option<Vec<FoldingRange>>> {
        let Some(snap) = self
            .snapshot(&params.text_document.uri, "foldingRange")
            .await
        else {
            return Ok(None);
        };
        self.run("foldingRange", move || {
            let p = snap.positions();
            let folds = ide::folding_ranges(&snap.text, &snap.analysis)
                .into_iter()
                .filter_map(|f| {
                    let start = p.position(f.range.start).line;
                    let end = p.position(f.range.end).line;
                    (end > start).then_some(FoldingRange {
                        start_line: start,
                        end_line: end,
                        kind: Some(FoldingRangeKind::Region),
                        collapsed_text: None,
                        start_character: None,
                        end_character: None,
                    })
                })
                .collect();
            Some(folds)
        })
        .await
    }

    async fn semantic_tokens_full(
        &self,
        params: SemanticTokensParams,
    ) -> jsonrpc::Result<Option<SemanticTokensResult>> {
        let Some(snap) = self
            .snapshot(&params.text_document.uri, "semanticTokens/full")
            .await
        else {
            return Ok(None);
        };
        self.run("semanticTokens/full", move || {
            let p = snap.positions();
            let mut data = Vec::new();
            let (mut line, mut col) = (0u32, 0u32);
            for t in ide::semantic_tokens(&snap.text, &snap.analysis) {
                let start = p.position(t.range.start);
                let end = p.position(t.range.end);
                if end.line != start.line || end.character <= start.character {
                    continue;
                }
                let delta_line = start.line - line;
                let delta_start = if delta_line == 0 {
                    start.character - col
                } else {
                    start.character
                };
                data.push(SemanticToken {
                    delta_line,
                    delta_start,
                    length: end.character - start.character,
                    token_type: token_type(t.kind),
                    token_modifiers_bitset: t.modifiers,
                });
                line = start.line;
                col = start.character;
            }
            Some(SemanticTokensResult::Tokens(SemanticTokens {
                result_id: None,
                data,
            }))
        })
        .await
    }

    async fn inlay_hint(&self, params: InlayHintParams) -> jsonrpc::Result<Option<Vec<InlayHint>>> {
        let Some(snap) = self.snapshot(&params.text_document.uri, "inlayHint").await else {
            return Ok(None);
        };
        self.run("inlayHint", move || {
            let p = snap.positions();
            let (range, _) = p.byte_range(params.range);
            let hints = ide::inlay_hints(&snap.text, &snap.analysis, range)
                .into_iter()
                .map(|h| InlayHint {
                    position: p.position(h.offset),
                    label: InlayHintLabel::String(h.label),
                    kind: Some(match h.kind {
                        ide::InlayKind::Column => InlayHintKind::PARAMETER,
                        ide::InlayKind::Computed => InlayHintKind::TYPE,
                    }),
                    text_edits: None,
                    tooltip: h.tooltip.map(InlayHintTooltip::String),
                    padding_left: Some(h.kind == ide::InlayKind::Computed),
                    padding_right: Some(h.kind == ide::InlayKind::Column),
                    data: None,
                })
                .collect();
            Some(hints)
        })
        .await
    }

    async fn completion(
        &self,
        params: CompletionParams,
    ) -> jsonrpc::Result<Option<CompletionResponse>> {
        let at = params.text_document_position;
        let Some(snap) = self.snapshot(&at.text_document.uri, "completion").await else {
            return Ok(None);
        };
        let out = self.out.clone();
        self.run("completion", move || {
            let p = snap.positions();
            let offset = checked_offset(&p, at.position, "completion", &out);
            let items: Vec<CompletionItem> = ide::completions(&snap.text, &snap.analysis, offset)
                .into_iter()
                .map(|c| CompletionItem {
                    label: c.label.clone(),
                    kind: Some(match c.kind {
                        ide::CompletionKind::Section => CompletionItemKind::MODULE,
                        ide::CompletionKind::Table => CompletionItemKind::SNIPPET,
                    }),
                    detail: c.detail,
                    documentation: c.documentation.map(|d| {
                        Documentation::MarkupContent(MarkupContent {
                            kind: MarkupKind::Markdown,
                            value: d,
                        })
                    }),
                    preselect: c.preselect.then_some(true),
                    sort_text: Some(c.sort),
                    filter_text: Some(c.label),
                    insert_text_format: Some(InsertTextFormat::PLAIN_TEXT),
                    text_edit: Some(CompletionTextEdit::Edit(TextEdit {
                        range: p.range(&c.replace),
                        new_text: c.insert,
                    })),
                    ..Default::default()
                })
                .collect();
            Some(CompletionResponse::Array(items))
        })
        .await
    }
}

/// The byte offset of a request position; an out-of-range position is clamped and logged.
fn checked_offset(
    p: &Positions<'_>,
    pos: Position,
    what: &str,
    out: &tmpsc::UnboundedSender<Out>,
) -> usize {
    let (offset, clamped) = p.offset(pos);
    if clamped {
        let _ = out.send(Out::Log(
            MessageType::LOG,
            format!(
                "{what}：位置 {}:{} 超出文档，已截到文档之内",
                pos.line, pos.character
            ),
        ));
    }
    offset
}

/// The quick-fixes the checks across years suggest (never preferred: either year may be wrong).
fn series_actions(
    snap: &Snapshot,
    uri: &Uri,
    range: std::ops::Range<usize>,
) -> Vec<CodeActionOrCommand> {
    let p = snap.positions();
    let found = &snap.series.view.diagnostics;
    let mut out = Vec::new();
    for (d, lsp_d) in found.iter().zip(&snap.series.lsp) {
        if !(d.range.start <= range.end && range.start <= d.range.end) {
            continue;
        }
        for f in &d.suggestions {
            let edits = f.edits.iter().map(|e| p.text_edit(e)).collect();
            out.push(CodeActionOrCommand::CodeAction(CodeAction {
                title: f.title.clone(),
                kind: Some(CodeActionKind::QUICKFIX),
                diagnostics: Some(vec![lsp_d.clone()]),
                edit: Some(workspace_edit(uri, edits)),
                is_preferred: None,
                ..Default::default()
            }));
        }
    }
    out
}

fn workspace_edit(uri: &Uri, edits: Vec<TextEdit>) -> WorkspaceEdit {
    WorkspaceEdit {
        changes: Some(HashMap::from([(uri.clone(), edits)])),
        ..Default::default()
    }
}

fn fix_all_edit(snap: &Snapshot) -> WorkspaceEdit {
    let p = snap.positions();
    let edits = ide::fix_all_edits(&snap.text, &snap.config)
        .iter()
        .map(|e| p.text_edit(e))
        .collect();
    workspace_edit(&snap.uri, edits)
}

#[allow(deprecated)] // `DocumentSymbol::deprecated` must be given.
fn document_symbol(p: &Positions<'_>, s: &ide::Symbol) -> DocumentSymbol {
    DocumentSymbol {
        name: s.name.clone(),
        detail: s.detail.clone(),
        kind: match s.kind {
            ide::SymbolKind::Title => SymbolKind::FILE,
            ide::SymbolKind::Section => SymbolKind::MODULE,
            ide::SymbolKind::Table => SymbolKind::STRUCT,
            ide::SymbolKind::Row => SymbolKind::FIELD,
        },
        tags: None,
        deprecated: None,
        range: p.range(&s.range),
        selection_range: p.range(&s.selection),
        children: (!s.children.is_empty())
            .then(|| s.children.iter().map(|c| document_symbol(p, c)).collect()),
    }
}
