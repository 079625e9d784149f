//! `nianbao lsp`: the language server on stdin/stdout — the only part of nianbao that knows LSP
//! types, JSON-RPC, ropey and UTF-16/UTF-8 positions. Everything it says comes from
//! [`crate::analysis`] and [`crate::ide`]; it converts, it never decides.
//!
//! Shape:
//! - [`Sequencer`] wraps the `tower-lsp-server` service. The transport calls it once per message,
//!   in wire order; it hands `didOpen` / `didChange` / `didClose` straight to the documents
//!   thread there, before `tower-lsp-server` runs handlers concurrently (which could reorder
//!   them).
//! - `documents` owns the open documents (rope + text + the last analysis; no syntax tree) on one
//!   thread, analyses after each burst of edits, publishes diagnostics (with the version),
//!   and answers requests with an immutable `Arc<Snapshot>`.
//! - `stdio` polls standard input and output on the runtime's thread when they are pipes or
//!   sockets; `outbox` is the one writer of the output.
//! - `framing::Frames` checks the client's byte stream frame by frame first: a malformed
//!   message is answered with a JSON-RPC error and logged, and the session goes on.
//! - `server::Backend` answers requests from a snapshot, running the engine on the blocking
//!   pool: a panic is logged and becomes a JSON-RPC error; the server keeps serving.
//! - `indexer` reads the report files of the workspace folders on a thread of its own and
//!   `workspace` keeps what the checks across years need of each (open buffers win over files);
//!   the documents thread compares each open report with the same body's previous year.

mod configs;
mod convert;
mod documents;
mod formatting;
mod framing;
mod indexer;
mod iri;
mod outbox;
mod published;
mod server;
mod settings;
#[cfg(unix)]
mod stdio;
#[cfg(test)]
mod tests_edits;
mod workspace;

use std::future::Future;
use std::pin::Pin;
use std::process::ExitCode;
use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::mpsc::Sender;
use std::sync::{Arc, OnceLock};
use std::task::{Context, Poll};
use std::time::Duration;

use serde::de::DeserializeOwned;
use serde_json::Value;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::sync::Notify;
use tokio::sync::mpsc as tmpsc;
use tower::Service;
use tower_lsp_server::jsonrpc::{self, Id, Request, Response};
use tower_lsp_server::ls_types::{
    DidChangeTextDocumentParams, DidCloseTextDocumentParams, DidOpenTextDocumentParams, MessageType,
};
use tower_lsp_server::{ExitedError, LspService, Server};

pub use convert::{RopeOffset, negotiate, rope_offset};
pub use documents::Snapshot;
pub use server::{Backend, FIX_ALL, legend};

use documents::{Msg, Out};

/// Where the server is in its lifecycle, as far as document messages care.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum Phase {
    Uninitialized = 0,
    Initialized = 1,
    ShutDown = 2,
}

/// State shared by the sequencer and the backend.
#[derive(Debug)]
pub struct Shared {
    phase: AtomicU8,
}

impl Shared {
    fn new() -> Self {
        Self {
            phase: AtomicU8::new(Phase::Uninitialized as u8),
        }
    }

    pub fn phase(&self) -> Phase {
        match self.phase.load(Ordering::SeqCst) {
            1 => Phase::Initialized,
            2 => Phase::ShutDown,
            _ => Phase::Uninitialized,
        }
    }

    fn set(&self, phase: Phase) {
        self.phase.store(phase as u8, Ordering::SeqCst);
    }
}

/// Runs the language server on stdin/stdout until `exit`. Exit status 0 after `shutdown` +
/// `exit`, 1 when the input ends or `exit` comes without `shutdown` (LSP).
pub fn run_stdio() -> ExitCode {
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("nianbao lsp: 无法启动运行时：{e}");
            return ExitCode::from(2);
        }
    };
    // A large publishDiagnostics (≈ 320 KB for the 843 diagnostics of a 1 MB report) fits in the
    // pipe at once: no turn-taking with the client, one wake-up per 64 KB, on a busy machine.
    crate::pipe::enlarge_stdout();
    let shut_down = runtime.block_on(async {
        // Polled on this thread when they are pipes or sockets (`stdio`): a keystroke then wakes
        // no thread of tokio's blocking pool.
        #[cfg(unix)]
        let (input, output) = stdio::streams();
        #[cfg(not(unix))]
        let (input, output) = (tokio::io::stdin(), tokio::io::stdout());
        serve(input, output).await
    });
    // The stdin reader sits in a blocking read that never returns by itself: do not wait for it.
    runtime.shutdown_background();
    if shut_down {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

/// Serves one client over the given streams until `exit` (or the end of the input). Returns
/// whether `shutdown` came first.
pub async fn serve<I, O>(input: I, output: O) -> bool
where
    I: AsyncRead + Unpin,
    O: AsyncWrite + Unpin,
{
    let (out_tx, out_rx) = tmpsc::unbounded_channel();
    let docs = documents::spawn(out_tx.clone());
    let shared = Arc::new(Shared::new());
    let caps = Arc::new(OnceLock::new());
    let mut client_slot = None;
    let (service, socket) = LspService::build(|client| {
        client_slot = Some(client.clone());
        Backend::new(
            client,
            docs.clone(),
            out_tx.clone(),
            shared.clone(),
            caps.clone(),
        )
    })
    .custom_method("nianbao/debugPanic", Backend::debug_panic)
    .finish();
    // One writer for what tower-lsp-server writes and what the forwarder serialises itself.
    let (outbox, frames) = outbox::channel();
    let iris = Arc::new(iri::Iris::default());
    let writer = outbox::write(frames, output, iris.clone());
    let forwarder = client_slot.map(|client| {
        tokio::spawn(server::forward(
            client,
            out_rx,
            caps,
            outbox.clone(),
            shared.clone(),
        ))
    });
    let ended = Arc::new(Notify::new());
    let service = Sequencer {
        inner: service,
        docs,
        out: out_tx,
        shared: shared.clone(),
        ended: ended.clone(),
    };
    // URIs sent unencoded are encoded for the LSP types and written back as they were sent.
    let input = framing::Frames::new(input)
        .on_end(ended.clone())
        .encoding_uris(iris);
    let server = Server::new(input, outbox::FrameSink::new(outbox), socket).serve(service);
    // After `exit` or the end of the input, `tower-lsp-server` still waits for every handler,
    // and a handler waiting for the client's answer to a request of ours (a client that
    // declared `workspace/configuration` and never answers, or went away) would wait for ever.
    let session = async {
        tokio::select! {
            () = server => {}
            () = async {
                ended.notified().await;
                tokio::time::sleep(END_GRACE).await;
            } => eprintln!("nianbao lsp: 客户端已结束会话，不再等待未完成的请求"),
        }
        if let Some(f) = forwarder {
            f.abort();
            let _ = f.await;
        }
    };
    tokio::pin!(session, writer);
    // The writer ends when its last sender is gone, once what is queued is written (the answer
    // to `shutdown` among it) — unless the client stopped reading: then it has `END_GRACE`.
    // It ends before the session only when the client is gone (a write failed).
    let written = tokio::select! {
        () = &mut session => false,
        _ = &mut writer => {
            (&mut session).await;
            true
        }
    };
    if !written {
        let _ = tokio::time::timeout(END_GRACE, writer).await;
    }
    shared.phase() == Phase::ShutDown
}

/// How long the session may take to wind down after `exit` or the end of the input.
const END_GRACE: Duration = Duration::from_millis(500);

/// Hands document notifications to the documents thread in the order they arrive; passes
/// everything else to the `tower-lsp-server` service.
pub struct Sequencer<S> {
    inner: S,
    docs: Sender<Msg>,
    out: tmpsc::UnboundedSender<Out>,
    shared: Arc<Shared>,
    /// Told of `exit` (the end of the input tells it through `Frames`).
    ended: Arc<Notify>,
}

type BoxFuture = Pin<Box<dyn Future<Output = Result<Option<Response>, ExitedError>> + Send>>;

impl<S> Sequencer<S> {
    fn parse<P: DeserializeOwned>(&self, method: &str, params: Option<Value>) -> Option<P> {
        match serde_json::from_value(params.unwrap_or(Value::Null)) {
            Ok(p) => Some(p),
            Err(e) => {
                let _ = self.out.send(Out::Log(
                    MessageType::WARNING,
                    format!("{method}：参数无法解析（{e}），忽略"),
                ));
                None
            }
        }
    }

    /// The answer to a message [`framing::Frames`] could not pass on: a JSON-RPC error (with the
    /// request's id when it had one), and a log line.
    fn malformed(&self, params: Option<&Value>) -> Response {
        let params = params.cloned().unwrap_or(Value::Null);
        let reason = params["reason"].as_str().unwrap_or_default().to_string();
        let id = serde_json::from_value::<Id>(params["id"].clone()).unwrap_or(Id::Null);
        let code = params["code"].as_i64().unwrap_or(-32700);
        let _ = self.out.send(Out::Log(
            MessageType::WARNING,
            format!("收到无法解析的消息（{reason}），忽略"),
        ));
        Response::from_error(
            id,
            jsonrpc::Error {
                code: code.into(),
                message: reason.into(),
                data: None,
            },
        )
    }

    /// `true` when the request was a document notification and has been handled.
    fn document_message(&self, req: Request) -> Result<(), Request> {
        let method = req.method();
        if req.id().is_some()
            || !matches!(
                method,
                "textDocument/didOpen" | "textDocument/didChange" | "textDocument/didClose"
            )
        {
            return Err(req);
        }
        if self.shared.phase() != Phase::Initialized {
            // As tower-lsp-server does with notifications before `initialize` / after `shutdown`.
            return Ok(());
        }
        let (method, _, params) = req.into_parts();
        let msg = match method.as_ref() {
            "textDocument/didOpen" => self
                .parse::<DidOpenTextDocumentParams>(&method, params)
                .map(|p| Msg::Open {
                    uri: p.text_document.uri,
                    version: p.text_document.version,
                    text: p.text_document.text,
                }),
            "textDocument/didChange" => self
                .parse::<DidChangeTextDocumentParams>(&method, params)
                .map(|p| Msg::Change {
                    uri: p.text_document.uri,
                    version: p.text_document.version,
                    changes: p.content_changes,
                }),
            _ => self
                .parse::<DidCloseTextDocumentParams>(&method, params)
                .map(|p| Msg::Close {
                    uri: p.text_document.uri,
                }),
        };
        // A closed report's file is in force again for the checks across years: read it anew
        // (it may have been saved, or its changes dropped).
        let reread = match &msg {
            Some(Msg::Close { uri }) => workspace::file_path(uri),
            _ => None,
        };
        if let Some(msg) = msg {
            let _ = self.docs.send(msg);
        }
        if let Some(path) = reread {
            let job = indexer::Job::Files(vec![path], self.docs.clone());
            let _ = self.docs.send(Msg::Index(job));
        }
        Ok(())
    }
}

impl<S> Service<Request> for Sequencer<S>
where
    S: Service<Request, Response = Option<Response>, Error = ExitedError>,
    S::Future: Send + 'static,
{
    type Response = Option<Response>;
    type Error = ExitedError;
    type Future = BoxFuture;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, req: Request) -> Self::Future {
        if req.method() == "exit" {
            self.ended.notify_one();
        }
        if req.method() == framing::MALFORMED {
            let response = self.malformed(req.params());
            return Box::pin(std::future::ready(Ok(Some(response))));
        }
        match self.document_message(req) {
            Ok(()) => Box::pin(std::future::ready(Ok(None))),
            Err(req) => Box::pin(self.inner.call(req)),
        }
    }
}
