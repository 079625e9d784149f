//! `nianbao lsp` against a faulty or hostile client, over stdio as an editor drives it:
//! malformed JSON-RPC, unknown methods, requests for unknown documents, out-of-range and reversed
//! ranges, `didChange` before `didOpen`, and a flood of 10,000 edits sent without waiting. The
//! server answers (an error, or `null`) or ignores with a log line, keeps serving, keeps its
//! memory bounded (the child's `VmHWM`), and ends holding exactly the text the client has:
//! formatting and pulled diagnostics are compared with `nianbao::format` and
//! `nianbao::analysis::analyze` run here on the client's text.

use std::collections::VecDeque;
use std::error::Error;
use std::io::Write;
use std::path::PathBuf;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use nianbao::analysis::{Config, analyze};
use nianbao::syntax::{LineIndex, PositionEncoding};
use serde_json::{Value, json};

mod common;

type TestResult = Result<(), Box<dyn Error>>;
type Res<T> = Result<T, Box<dyn Error>>;

const BIN: &str = env!("CARGO_BIN_EXE_nianbao");
const TIMEOUT: Duration = Duration::from_secs(120);

// ---------------------------------------------------------------------------------------------
// A minimal client that can also send what no client should
// ---------------------------------------------------------------------------------------------

struct Client {
    child: Child,
    stdin: Arc<Mutex<Option<ChildStdin>>>,
    rx: Receiver<Value>,
    /// Everything received and not yet looked at.
    pending: VecDeque<Value>,
    next_id: i64,
    encoding: PositionEncoding,
}

impl Client {
    fn start() -> Res<Client> {
        let mut child = Command::new(BIN)
            .args(["lsp", "--stdio"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()?;
        let stdin = Arc::new(Mutex::new(Some(child.stdin.take().ok_or("no stdin")?)));
        let stdout = child.stdout.take().ok_or("no stdout")?;
        let (tx, rx) = channel();
        let answer = stdin.clone();
        let messages = common::read_messages(stdout);
        std::thread::spawn(move || {
            for value in messages {
                // A server→client request: answered at once (configuration: none).
                if value.get("method").is_some() && value.get("id").is_some() {
                    let result = if value["method"] == "workspace/configuration" {
                        json!([null])
                    } else {
                        Value::Null
                    };
                    let reply = json!({"jsonrpc": "2.0", "id": value["id"], "result": result});
                    if let Ok(mut guard) = answer.lock()
                        && let Some(stdin) = guard.as_mut()
                    {
                        let _ = stdin.write_all(&common::frame(reply.to_string().as_bytes()));
                        let _ = stdin.flush();
                    }
                    continue;
                }
                if tx.send(value).is_err() {
                    return;
                }
            }
        });
        Ok(Client {
            child,
            stdin,
            rx,
            pending: VecDeque::new(),
            next_id: 1,
            encoding: PositionEncoding::Utf16,
        })
    }

    fn send_raw(&mut self, bytes: &[u8]) -> TestResult {
        let mut guard = self.stdin.lock().map_err(|_| "stdin lock")?;
        let stdin = guard.as_mut().ok_or("stdin closed")?;
        stdin.write_all(bytes)?;
        stdin.flush()?;
        Ok(())
    }

    fn send(&mut self, value: &Value) -> TestResult {
        self.send_raw(&common::frame(value.to_string().as_bytes()))
    }

    fn notify(&mut self, method: &str, params: Value) -> TestResult {
        self.send(&json!({"jsonrpc": "2.0", "method": method, "params": params}))
    }

    fn request_id(&mut self, method: &str, params: Value) -> Res<i64> {
        let id = self.next_id;
        self.next_id += 1;
        self.send(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}))?;
        Ok(id)
    }

    /// The first message satisfying `pred` (earlier ones stay queued).
    fn wait_for(&mut self, what: &str, pred: impl Fn(&Value) -> bool) -> Res<Value> {
        if let Some(i) = self.pending.iter().position(&pred) {
            return self.pending.remove(i).ok_or_else(|| "queue".into());
        }
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.rx.recv_timeout(left) {
                Ok(msg) if pred(&msg) => return Ok(msg),
                Ok(msg) => self.pending.push_back(msg),
                Err(RecvTimeoutError::Timeout) => return Err(format!("no {what}").into()),
                Err(RecvTimeoutError::Disconnected) => {
                    return Err(format!("the server closed its output waiting for {what}").into());
                }
            }
        }
    }

    /// The whole response to request `id`.
    fn response(&mut self, id: &Value) -> Res<Value> {
        let id = id.clone();
        self.wait_for(&format!("response {id}"), move |m| {
            m["id"] == id && m.get("method").is_none()
        })
    }

    /// Sends a request and returns its whole response.
    fn call(&mut self, method: &str, params: Value) -> Res<Value> {
        let id = self.request_id(method, params)?;
        self.response(&json!(id))
    }

    /// Sends a request and returns its result (an error response fails the test).
    fn request(&mut self, method: &str, params: Value) -> Res<Value> {
        let response = self.call(method, params)?;
        if let Some(error) = response.get("error") {
            return Err(format!("{method} failed: {error}").into());
        }
        Ok(response["result"].clone())
    }

    /// Waits for a `window/logMessage` containing `needle`.
    fn log(&mut self, needle: &str) -> Res<String> {
        let msg = self.wait_for(&format!("log line {needle:?}"), |m| {
            m["method"] == "window/logMessage"
                && m["params"]["message"]
                    .as_str()
                    .is_some_and(|s| s.contains(needle))
        })?;
        Ok(msg["params"]["message"]
            .as_str()
            .unwrap_or_default()
            .to_string())
    }

    fn initialize(&mut self, utf8: bool) -> TestResult {
        let encodings = if utf8 {
            json!(["utf-8", "utf-16"])
        } else {
            json!(["utf-16"])
        };
        let result = self.request(
            "initialize",
            json!({"processId": null, "rootUri": null,
                   "capabilities": {"general": {"positionEncodings": encodings}}}),
        )?;
        self.encoding = match result["capabilities"]["positionEncoding"].as_str() {
            Some("utf-8") => PositionEncoding::Utf8,
            _ => PositionEncoding::Utf16,
        };
        self.notify("initialized", json!({}))
    }

    fn open(&mut self, uri: &str, text: &str) -> TestResult {
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": "nianbao", "version": 1, "text": text}}),
        )
    }

    /// The child's peak resident memory (`VmHWM`), in kB.
    fn peak_memory_kb(&self) -> Res<u64> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))?;
        let line = status
            .lines()
            .find(|l| l.starts_with("VmHWM:"))
            .ok_or("no VmHWM")?;
        Ok(line
            .split_whitespace()
            .nth(1)
            .and_then(|n| n.parse().ok())
            .ok_or("VmHWM")?)
    }

    /// `shutdown` + `exit`: the exit status (0 when the server is still healthy).
    fn finish(mut self) -> Res<Option<i32>> {
        self.request("shutdown", Value::Null)?;
        self.notify("exit", Value::Null)?;
        if let Ok(mut guard) = self.stdin.lock() {
            guard.take();
        }
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            if let Some(status) = self.child.try_wait()? {
                return Ok(status.code());
            }
            if Instant::now() > deadline {
                let _ = self.child.kill();
                return Err("the server did not exit".into());
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

// ---------------------------------------------------------------------------------------------
// The client's text, and what the server must hold
// ---------------------------------------------------------------------------------------------

fn lsp_position(text: &str, offset: usize, encoding: PositionEncoding) -> Value {
    let index = LineIndex::new(text);
    let p = index.line_col(text, offset, encoding);
    json!({"line": p.line, "character": p.col})
}

fn lsp_range(text: &str, start: usize, end: usize, encoding: PositionEncoding) -> Value {
    json!({"start": lsp_position(text, start, encoding), "end": lsp_position(text, end, encoding)})
}

fn byte_offset(text: &str, p: &Value, encoding: PositionEncoding) -> usize {
    let index = LineIndex::new(text);
    let at = nianbao::syntax::LineCol {
        line: p["line"].as_u64().unwrap_or(0) as u32,
        col: p["character"].as_u64().unwrap_or(0) as u32,
    };
    index.offset(text, at, encoding)
}

/// Applies the server's text edits (positions in `text`).
fn apply(text: &str, edits: &Value, encoding: PositionEncoding) -> String {
    let mut spans: Vec<(usize, usize, String)> = edits
        .as_array()
        .into_iter()
        .flatten()
        .map(|e| {
            (
                byte_offset(text, &e["range"]["start"], encoding),
                byte_offset(text, &e["range"]["end"], encoding),
                e["newText"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    spans.sort_by_key(|s| std::cmp::Reverse(s.0));
    let mut out = text.to_string();
    for (s, t, new) in spans {
        out.replace_range(s..t, &new);
    }
    out
}

/// The diagnostics `analyze` gives for `text`, as the server should report them.
fn expected_diagnostics(text: &str, encoding: PositionEncoding) -> Vec<(String, String, Value)> {
    let mut out: Vec<_> = analyze(text, &Config::default())
        .diagnostics
        .iter()
        .map(|d| {
            (
                d.code.as_str().to_string(),
                d.message.clone(),
                lsp_range(text, d.range.start, d.range.end, encoding),
            )
        })
        .collect();
    out.sort_by(|a, b| format!("{a:?}").cmp(&format!("{b:?}")));
    out
}

fn reported_diagnostics(items: &Value) -> Vec<(String, String, Value)> {
    let mut out: Vec<_> = items
        .as_array()
        .into_iter()
        .flatten()
        .map(|d| {
            (
                d["code"].as_str().unwrap_or_default().to_string(),
                d["message"].as_str().unwrap_or_default().to_string(),
                d["range"].clone(),
            )
        })
        .collect();
    out.sort_by(|a, b| format!("{a:?}").cmp(&format!("{b:?}")));
    out
}

/// The server holds `text` for `uri`: its formatting edits turn `text` into what
/// `nianbao::format` makes of it, and its pulled diagnostics are those of `analyze(text)`.
fn assert_server_holds(c: &mut Client, uri: &str, text: &str) -> TestResult {
    let edits = c.request(
        "textDocument/formatting",
        json!({"textDocument": {"uri": uri}, "options": {"tabSize": 4, "insertSpaces": false}}),
    )?;
    let formatted = apply(text, &edits, c.encoding);
    assert_eq!(
        formatted,
        nianbao::format::format(text),
        "the server's formatting of its text differs from formatting the client's text"
    );
    let report = c.request(
        "textDocument/diagnostic",
        json!({"textDocument": {"uri": uri}}),
    )?;
    assert_eq!(
        reported_diagnostics(&report["items"]),
        expected_diagnostics(text, c.encoding),
        "the server's diagnostics differ from those of the client's text"
    );
    Ok(())
}

fn report(name: &str) -> Res<String> {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let shared = manifest.join("../../shared/corpus/real").join(name);
    let path = if shared.exists() {
        shared
    } else {
        manifest.join("../examples").join(name)
    };
    Ok(std::fs::read_to_string(path)?)
}

/// A small deterministic generator (xorshift), so that a failure replays.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Whether a position can name `offset`: not between a `\r` and the `\n` (or the end) after it.
fn addressable(text: &str, offset: usize) -> bool {
    text.is_char_boundary(offset)
        && !(offset > 0
            && text.as_bytes()[offset - 1] == b'\r'
            && (offset == text.len() || text.as_bytes()[offset] == b'\n'))
}

fn random_offset(rng: &mut Rng, text: &str) -> usize {
    loop {
        let at = rng.below(text.len() + 1);
        if addressable(text, at) {
            return at;
        }
    }
}

const PIECES: &[&str] = &[
    "中",
    "𠀀",
    "😀",
    "\r\n",
    "\n",
    "\t",
    "0",
    "12",
    "（三）",
    "一、",
    "总计",
    "|",
    " ",
    "é",
];

// ---------------------------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------------------------

/// Malformed frames and messages: each answered with a JSON-RPC error (or skipped) and logged;
/// the session goes on and the document is intact.
#[test]
fn malformed_json_rpc_is_answered_or_skipped_and_the_session_goes_on() -> TestResult {
    let mut c = Client::start()?;
    c.initialize(false)?;
    let uri = "file:///malformed.txt";
    let text = report("004.txt")?;
    c.open(uri, &text)?;

    // Not JSON.
    c.send_raw(&common::frame(b"{\"jsonrpc\":\"2.0\",\"id\":1,"))?;
    let r = c.wait_for("parse error", |m| m["error"]["code"] == -32700)?;
    assert_eq!(r["id"], Value::Null);
    c.log("收到无法解析的消息")?;
    // Not UTF-8.
    c.send_raw(&common::frame(
        b"{\"jsonrpc\":\"2.0\",\"method\":\"\xff\xfe\"}",
    ))?;
    c.wait_for("parse error", |m| {
        m["error"]["code"] == -32700
            && m["error"]["message"]
                .as_str()
                .is_some_and(|s| s.contains("UTF-8"))
    })?;
    // JSON, but not JSON-RPC: the wrong version, a batch, an id of the wrong type.
    c.send_raw(&common::frame(
        br#"{"jsonrpc":"1.0","id":77,"method":"textDocument/hover"}"#,
    ))?;
    let r = c.response(&json!(77))?;
    assert_eq!(r["error"]["code"], -32600, "{r}");
    c.send_raw(&common::frame(
        br#"[{"jsonrpc":"2.0","id":78,"method":"shutdown"}]"#,
    ))?;
    c.send_raw(&common::frame(
        br#"{"jsonrpc":"2.0","id":{"x":1},"method":"shutdown"}"#,
    ))?;
    c.send_raw(&common::frame(
        br#"{"jsonrpc":"2.0","id":true,"method":"shutdown"}"#,
    ))?;
    // Framing: a header without Content-Length, garbage between frames, a Content-Length that
    // is not a number, lowercase header names, an over-long header.
    c.send_raw(b"Content-Type: application/json\r\n\r\n")?;
    c.send_raw(b"garbage garbage\r\n")?;
    c.send_raw(b"Content-Length: twelve\r\n\r\n")?;
    c.send_raw(&[b'x'; 20_000])?;
    let body = json!({"jsonrpc": "2.0", "id": "lower", "method": "textDocument/hover",
                      "params": {"textDocument": {"uri": uri}, "position": {"line": 0, "character": 0}}});
    let body = body.to_string();
    c.send_raw(format!("\r\ncontent-length: {}\r\n\r\n{body}", body.len()).as_bytes())?;
    let r = c.response(&json!("lower"))?;
    assert!(r.get("result").is_some(), "{r}");
    // Wrong parameter types of a request and of a notification.
    let r = c.call(
        "textDocument/hover",
        json!({"textDocument": 5, "position": "here"}),
    )?;
    assert_eq!(r["error"]["code"], -32602, "{r}");
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": "two"}}),
    )?;
    c.log("参数无法解析")?;
    // An empty body and a body of whitespace.
    c.send_raw(b"Content-Length: 0\r\n\r\n")?;
    c.send_raw(&common::frame(b"   "))?;

    assert_server_holds(&mut c, uri, &text)?;
    assert_eq!(c.finish()?, Some(0));
    Ok(())
}

#[test]
fn unknown_methods() -> TestResult {
    let mut c = Client::start()?;
    c.initialize(false)?;
    let r = c.call("nianbao/noSuchThing", json!({}))?;
    assert_eq!(r["error"]["code"], -32601, "{r}");
    let r = c.call("workspace/noSuchRequest", json!([1, 2]))?;
    assert_eq!(r["error"]["code"], -32601, "{r}");
    let r = c.call("", Value::Null)?;
    assert!(r.get("error").is_some(), "{r}");
    // Unknown notifications (with and without `$/`) get no answer and break nothing.
    c.notify("nianbao/noSuchNotification", json!({"x": 1}))?;
    c.notify("$/noSuchNotification", json!(null))?;
    c.notify("$/cancelRequest", json!({"id": 12345}))?;
    c.notify("$/setTrace", json!({"value": "verbose"}))?;
    let r = c.request("textDocument/hover", json!({"textDocument": {"uri": "file:///none.txt"}, "position": {"line": 0, "character": 0}}))?;
    assert!(r.is_null());
    assert_eq!(c.finish()?, Some(0));
    Ok(())
}

/// Every request the server answers, for a document it never saw: `null` (or an empty
/// answer), a log line, never a crash.
#[test]
fn requests_for_unknown_documents() -> TestResult {
    let mut c = Client::start()?;
    c.initialize(false)?;
    let doc = json!({"uri": "file:///never-opened.txt"});
    let range = json!({"start": {"line": 0, "character": 0}, "end": {"line": 3, "character": 0}});
    let position = json!({"line": 1, "character": 1});
    let requests = [
        (
            "textDocument/hover",
            json!({"textDocument": doc, "position": position}),
        ),
        (
            "textDocument/formatting",
            json!({"textDocument": doc, "options": {"tabSize": 4, "insertSpaces": false}}),
        ),
        (
            "textDocument/rangeFormatting",
            json!({"textDocument": doc, "range": range, "options": {"tabSize": 4, "insertSpaces": false}}),
        ),
        (
            "textDocument/codeAction",
            json!({"textDocument": doc, "range": range, "context": {"diagnostics": []}}),
        ),
        ("textDocument/documentSymbol", json!({"textDocument": doc})),
        ("textDocument/foldingRange", json!({"textDocument": doc})),
        (
            "textDocument/semanticTokens/full",
            json!({"textDocument": doc}),
        ),
        (
            "textDocument/inlayHint",
            json!({"textDocument": doc, "range": range}),
        ),
        (
            "textDocument/completion",
            json!({"textDocument": doc, "position": position}),
        ),
        ("textDocument/diagnostic", json!({"textDocument": doc})),
        (
            "codeAction/resolve",
            json!({"title": "x", "data": {"uri": "file:///never-opened.txt", "version": 3}}),
        ),
    ];
    for (method, params) in requests {
        let r = c.call(method, params)?;
        let result = &r["result"];
        let empty = result.is_null()
            || result.as_array().is_some_and(Vec::is_empty)
            || result["items"].as_array().is_some_and(Vec::is_empty)
            || result["data"].as_array().is_some_and(Vec::is_empty)
            || result.get("title").is_some()
            || r.get("error").is_some();
        assert!(empty, "{method}: {r}");
    }
    c.log("未打开的文档 file:///never-opened.txt")?;
    // didClose of a document never opened: logged, ignored.
    c.notify("textDocument/didClose", json!({"textDocument": doc}))?;
    c.log("didClose：未打开的文档")?;
    assert_eq!(c.finish()?, Some(0));
    Ok(())
}

/// Positions outside the text, reversed ranges, columns inside a surrogate pair, in edits and
/// in requests, in both encodings: clamped or ignored (logged); the server's text stays what
/// the same clamping gives on the client's side.
#[test]
fn out_of_range_and_reversed_ranges() -> TestResult {
    for utf8 in [false, true] {
        let mut c = Client::start()?;
        c.initialize(utf8)?;
        let uri = "file:///ranges.txt";
        let mut text =
            "某某局2024年政府信息公开工作年度报告\r\n一、总体情况\r\n𠀀𠀀本年度……\n".to_string();
        c.open(uri, &text)?;
        let enc = c.encoding;
        let astral_width = if utf8 { 4 } else { 2 };
        let edits = [
            // Far past the end: appended.
            json!({"line": u32::MAX, "character": u32::MAX}),
            // A column past the end of a CRLF line: before the CR.
            json!({"line": 1, "character": 999}),
            // Inside the second astral character: at its start.
            json!({"line": 2, "character": astral_width + 1}),
        ];
        for (i, p) in edits.iter().enumerate() {
            let at = byte_offset(&text, p, enc);
            c.notify(
                "textDocument/didChange",
                json!({"textDocument": {"uri": uri, "version": 2 + i},
                       "contentChanges": [{"range": {"start": p, "end": p}, "text": "插"}]}),
            )?;
            text.insert(at, '插');
        }
        c.log("超出文档")?;
        // Reversed: ignored, logged.
        c.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": 9},
                   "contentChanges": [{"range": {"start": {"line": 2, "character": 3}, "end": {"line": 0, "character": 1}}, "text": "X"}]}),
        )?;
        c.log("范围颠倒")?;
        assert!(
            text.ends_with("插") && text.contains("情况插\r\n"),
            "{text:?}"
        );
        assert_server_holds(&mut c, uri, &text)?;

        // Requests with such ranges and positions.
        let doc = json!({"uri": uri});
        let reversed =
            json!({"start": {"line": 2, "character": 0}, "end": {"line": 0, "character": 0}});
        let outside = json!({"start": {"line": 1000, "character": 5}, "end": {"line": u32::MAX, "character": u32::MAX}});
        for range in [&reversed, &outside] {
            let r = c.request("textDocument/rangeFormatting", json!({"textDocument": doc, "range": range, "options": {"tabSize": 4, "insertSpaces": false}}))?;
            assert!(r.is_null() || r.is_array(), "{r}");
            let r = c.request(
                "textDocument/inlayHint",
                json!({"textDocument": doc, "range": range}),
            )?;
            assert!(r.is_null() || r.is_array(), "{r}");
            let r = c.request(
                "textDocument/codeAction",
                json!({"textDocument": doc, "range": range, "context": {"diagnostics": []}}),
            )?;
            assert!(r.is_null() || r.is_array(), "{r}");
        }
        for position in [
            json!({"line": u32::MAX, "character": 0}),
            json!({"line": 0, "character": u32::MAX}),
            json!({"line": 2, "character": 1}),
        ] {
            c.request(
                "textDocument/hover",
                json!({"textDocument": doc, "position": position}),
            )?;
            c.request(
                "textDocument/completion",
                json!({"textDocument": doc, "position": position}),
            )?;
        }
        assert_server_holds(&mut c, uri, &text)?;
        assert_eq!(c.finish()?, Some(0));
    }
    Ok(())
}

#[test]
fn did_change_before_did_open() -> TestResult {
    let mut c = Client::start()?;
    c.initialize(false)?;
    let uri = "file:///early.txt";
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 2},
               "contentChanges": [{"range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}}, "text": "丢"}]}),
    )?;
    c.log("didChange：未打开的文档 file:///early.txt")?;
    // A whole-text change before the open: ignored too (not a way to open a document).
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 3}, "contentChanges": [{"text": "整篇"}]}),
    )?;
    let text = report("001.txt")?;
    c.open(uri, &text)?;
    assert_server_holds(&mut c, uri, &text)?;
    // A second open of the same document replaces it (logged).
    let other = report("002.txt")?;
    c.open(uri, &other)?;
    c.log("已打开，以新内容替换")?;
    assert_server_holds(&mut c, uri, &other)?;
    assert_eq!(c.finish()?, Some(0));
    Ok(())
}

/// 10,000 random edits sent as fast as the pipe takes them, without waiting for anything: the
/// server's text ends equal to the client's, the last diagnostics published are those of the
/// last version, and its peak memory stays bounded.
#[test]
fn a_flood_of_ten_thousand_edits() -> TestResult {
    const EDITS: usize = 10_000;
    let mut c = Client::start()?;
    c.initialize(false)?;
    let uri = "file:///flood.txt";
    let mut text = report("004.txt")?;
    c.open(uri, &text)?;
    assert_server_holds(&mut c, uri, &text)?;
    let before = c.peak_memory_kb()?;
    let enc = c.encoding;
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let started = Instant::now();
    for i in 0..EDITS {
        let start = random_offset(&mut rng, &text);
        let end = match rng.below(3) {
            0 => start,
            _ => {
                let mut end = (start + rng.below(12)).min(text.len());
                while !addressable(&text, end) {
                    end += 1;
                }
                end
            }
        };
        let new: String = (0..rng.below(3))
            .map(|_| PIECES[rng.below(PIECES.len())])
            .collect();
        let range = lsp_range(&text, start, end, enc);
        // Keep the document report-sized: deletions win over time.
        let new = if text.len() > 20_000 {
            String::new()
        } else {
            new
        };
        text.replace_range(start..end, &new);
        c.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": 2 + i},
                   "contentChanges": [{"range": range, "text": new}]}),
        )?;
    }
    let sent = started.elapsed();
    let last = 1 + EDITS;
    // The diagnostics of the last version are published (earlier versions may be skipped).
    let published = c.wait_for("diagnostics of the last version", |m| {
        m["method"] == "textDocument/publishDiagnostics"
            && m["params"]["uri"] == uri
            && m["params"]["version"] == json!(last)
    })?;
    assert_eq!(
        reported_diagnostics(&published["params"]["diagnostics"]),
        expected_diagnostics(&text, enc)
    );
    assert_server_holds(&mut c, uri, &text)?;
    let peak = c.peak_memory_kb()?;
    eprintln!(
        "flood: {EDITS} edits sent in {:.1} s; server peak memory (VmHWM) {} kB before, {peak} kB after",
        sent.as_secs_f64(),
        before
    );
    assert!(peak < 256 * 1024, "peak memory {peak} kB");
    assert!(
        peak < before + 128 * 1024,
        "peak memory grew from {before} to {peak} kB"
    );
    assert_eq!(c.finish()?, Some(0));
    Ok(())
}
