//! `nianbao lsp` end to end: the built binary driven over stdio JSON-RPC, as an editor drives it.
//! Initialize in both position encodings, open real reports, receive diagnostics identical to
//! `nianbao check`, hover, apply quick-fixes and fix-all, change text incrementally (CJK and
//! astral-plane characters), pull diagnostics, survive bad input and panics, shut down cleanly;
//! compare a report with the previous year's report of its workspace folder as that file changes
//! on disk, is opened and closed.
//!
//! The reports come from `../shared/corpus/real/` beside the repository (falling back to
//! `examples/`, which holds copies of some of them).

use std::collections::VecDeque;
use std::error::Error;
use std::io::Write;
use std::path::PathBuf;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

mod common;

type TestResult = Result<(), Box<dyn Error>>;
type Res<T> = Result<T, Box<dyn Error>>;

const BIN: &str = env!("CARGO_BIN_EXE_nianbao");
const TIMEOUT: Duration = Duration::from_secs(30);

// ---------------------------------------------------------------------------------------------
// A minimal LSP client
// ---------------------------------------------------------------------------------------------

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Enc {
    Utf8,
    Utf16,
}

struct Client {
    child: Child,
    stdin: Option<ChildStdin>,
    rx: Receiver<Value>,
    /// Notifications received and not yet looked at.
    pending: VecDeque<Value>,
    /// Every `window/logMessage` text seen.
    logs: Vec<String>,
    next_id: i64,
    /// What `workspace/configuration` is answered with.
    configuration: Value,
    /// Every request the server sent (`client/registerCapability`, …).
    server_requests: Vec<Value>,
    enc: Enc,
}

impl Client {
    fn start(envs: &[(&str, &str)]) -> Res<Client> {
        let mut command = Command::new(BIN);
        command
            .args(["lsp", "--stdio"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null());
        for (k, v) in envs {
            command.env(k, v);
        }
        let mut child = command.spawn()?;
        let stdin = child.stdin.take().ok_or("no stdin")?;
        let stdout = child.stdout.take().ok_or("no stdout")?;
        let rx = common::read_messages(stdout);
        Ok(Client {
            child,
            stdin: Some(stdin),
            rx,
            pending: VecDeque::new(),
            logs: Vec::new(),
            next_id: 1,
            configuration: Value::Null,
            server_requests: Vec::new(),
            enc: Enc::Utf16,
        })
    }

    fn send(&mut self, value: &Value) -> TestResult {
        let body = serde_json::to_vec(value)?;
        let stdin = self.stdin.as_mut().ok_or("stdin closed")?;
        stdin.write_all(&common::frame(&body))?;
        stdin.flush()?;
        Ok(())
    }

    fn notify(&mut self, method: &str, params: Value) -> TestResult {
        self.send(&json!({"jsonrpc": "2.0", "method": method, "params": params}))
    }

    /// Next response or notification from the server (notifications are also queued in
    /// `pending`); answers server requests on the way.
    fn recv(&mut self, deadline: Instant) -> Res<Option<Value>> {
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let msg = match self.rx.recv_timeout(left) {
                Ok(m) => m,
                Err(RecvTimeoutError::Timeout) => return Ok(None),
                Err(RecvTimeoutError::Disconnected) => {
                    return Err("server closed its output".into());
                }
            };
            let method = msg
                .get("method")
                .and_then(Value::as_str)
                .map(str::to_string);
            match (method, msg.get("id").cloned()) {
                (Some(method), Some(id)) => {
                    // A server→client request.
                    self.server_requests.push(msg.clone());
                    let result = match method.as_str() {
                        "workspace/configuration" => json!([self.configuration.clone()]),
                        _ => Value::Null,
                    };
                    self.send(&json!({"jsonrpc": "2.0", "id": id, "result": result}))?;
                }
                (Some(method), None) => {
                    if method == "window/logMessage" {
                        let text = msg["params"]["message"].as_str().unwrap_or("").to_string();
                        self.logs.push(text);
                    }
                    self.pending.push_back(msg.clone());
                    return Ok(Some(msg));
                }
                (None, _) => return Ok(Some(msg)),
            }
        }
    }

    /// Waits for a server→client request with `method` (answered on the way, see [`Self::recv`]):
    /// the server's requests and its notifications come from different tasks, in no fixed
    /// order between them.
    fn server_request(&mut self, method: &str) -> Res<Value> {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if let Some(r) = self.server_requests.iter().find(|r| r["method"] == method) {
                return Ok(r.clone());
            }
            let now = Instant::now();
            if now >= deadline {
                return Err(format!("no {method} request: {:?}", self.server_requests).into());
            }
            // `recv` answers a request without returning (it returns at the next notification
            // or response): wait in short slices, and look again after each.
            self.recv(deadline.min(now + Duration::from_millis(50)))?;
        }
    }

    /// Sends a request and waits for its response (the whole response object).
    fn request_raw(&mut self, method: &str, params: Value) -> Res<Value> {
        let id = self.next_id;
        self.next_id += 1;
        self.send(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}))?;
        let deadline = Instant::now() + TIMEOUT;
        loop {
            match self.recv(deadline)? {
                Some(msg) if msg["id"] == json!(id) => return Ok(msg),
                Some(_) => {}
                None => return Err(format!("no response to {method}").into()),
            }
        }
    }

    /// Sends a request and returns its result (an error response is a test failure).
    fn request(&mut self, method: &str, params: Value) -> Res<Value> {
        let response = self.request_raw(method, params)?;
        if let Some(error) = response.get("error") {
            return Err(format!("{method} failed: {error}").into());
        }
        Ok(response["result"].clone())
    }

    /// The first notification of `method` satisfying `pred` (earlier ones are dropped).
    fn notification(&mut self, method: &str, pred: impl Fn(&Value) -> bool) -> Res<Value> {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            while let Some(msg) = self.pending.pop_front() {
                if msg["method"] == method && pred(&msg["params"]) {
                    return Ok(msg["params"].clone());
                }
            }
            if self.recv(deadline)?.is_none() && self.pending.is_empty() {
                return Err(format!("no {method} notification").into());
            }
        }
    }

    /// The diagnostics published for `uri` at `version`.
    fn diagnostics(&mut self, uri: &str, version: i64) -> Res<Vec<Value>> {
        let params = self.notification("textDocument/publishDiagnostics", |p| {
            p["uri"] == uri && p["version"] == json!(version)
        })?;
        Ok(params["diagnostics"]
            .as_array()
            .cloned()
            .unwrap_or_default())
    }

    /// Waits until a log line containing `needle` arrives.
    fn log_containing(&mut self, needle: &str) -> TestResult {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            if self.logs.iter().any(|l| l.contains(needle)) {
                return Ok(());
            }
            if self.recv(deadline)?.is_none() {
                return Err(format!("no log line containing {needle}: {:?}", self.logs).into());
            }
        }
    }

    fn initialize(&mut self, capabilities: Value, options: Value) -> Res<Value> {
        let result = self.request(
            "initialize",
            json!({"processId": null, "rootUri": null, "capabilities": capabilities,
                   "initializationOptions": options}),
        )?;
        self.enc = match result["capabilities"]["positionEncoding"].as_str() {
            Some("utf-8") => Enc::Utf8,
            _ => Enc::Utf16,
        };
        self.notify("initialized", json!({}))?;
        Ok(result)
    }

    fn open(&mut self, uri: &str, text: &str) -> TestResult {
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": "nianbao", "version": 1, "text": text}}),
        )
    }

    /// `shutdown` + `exit`; the exit status.
    fn finish(mut self) -> Res<Option<i32>> {
        self.request("shutdown", Value::Null)?;
        self.notify("exit", Value::Null)?;
        self.wait()
    }

    fn wait(&mut self) -> Res<Option<i32>> {
        drop(self.stdin.take());
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
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Positions and edits on the client side
// ---------------------------------------------------------------------------------------------

fn width(c: char, enc: Enc) -> usize {
    match enc {
        Enc::Utf8 => c.len_utf8(),
        Enc::Utf16 => c.len_utf16(),
    }
}

/// LSP position of byte `offset`.
fn pos(text: &str, offset: usize, enc: Enc) -> Value {
    let before = &text[..offset];
    let line = before.matches('\n').count();
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let character: usize = text[line_start..offset]
        .chars()
        .map(|c| width(c, enc))
        .sum();
    json!({"line": line, "character": character})
}

fn range(text: &str, start: usize, end: usize, enc: Enc) -> Value {
    json!({"start": pos(text, start, enc), "end": pos(text, end, enc)})
}

/// Byte offset of an LSP position (positions the server sends are always inside the text).
fn offset(text: &str, p: &Value, enc: Enc) -> Res<usize> {
    let line = p["line"].as_u64().ok_or("line")? as usize;
    let character = p["character"].as_u64().ok_or("character")? as usize;
    let mut start = 0;
    for _ in 0..line {
        start += text[start..].find('\n').ok_or("line past the end")? + 1;
    }
    let mut counted = 0;
    for (i, c) in text[start..].char_indices() {
        if counted == character {
            return Ok(start + i);
        }
        if c == '\n' {
            break;
        }
        counted += width(c, enc);
    }
    if counted == character {
        return Ok(start + text[start..].find('\n').unwrap_or(text.len() - start));
    }
    Err(format!("character {character} not on a boundary of line {line}").into())
}

/// Applies LSP text edits (non-overlapping, positions in the original text).
fn apply(text: &str, edits: &[Value], enc: Enc) -> Res<String> {
    let mut spans = Vec::new();
    for e in edits {
        let s = offset(text, &e["range"]["start"], enc)?;
        let t = offset(text, &e["range"]["end"], enc)?;
        spans.push((s, t, e["newText"].as_str().ok_or("newText")?.to_string()));
    }
    spans.sort_by_key(|s| std::cmp::Reverse(s.0));
    let mut out = text.to_string();
    for (s, t, new) in spans {
        out.replace_range(s..t, &new);
    }
    Ok(out)
}

/// A document as the client holds it: edits go to the server as incremental changes.
struct Doc {
    uri: String,
    text: String,
    version: i64,
}

impl Doc {
    /// Replaces bytes `start..end` with `new` here and on the server (one didChange).
    fn edit(&mut self, c: &mut Client, start: usize, end: usize, new: &str) -> TestResult {
        self.edits(c, &[(start, end, new)])
    }

    /// Several changes in one didChange, each relative to the text after the previous ones.
    fn edits(&mut self, c: &mut Client, changes: &[(usize, usize, &str)]) -> TestResult {
        let mut events = Vec::new();
        for &(start, end, new) in changes {
            events.push(json!({"range": range(&self.text, start, end, c.enc), "text": new}));
            self.text.replace_range(start..end, new);
        }
        self.version += 1;
        c.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": self.uri, "version": self.version}, "contentChanges": events}),
        )
    }
}

// ---------------------------------------------------------------------------------------------
// Fixtures
// ---------------------------------------------------------------------------------------------

fn corpus_dir() -> PathBuf {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let shared = manifest.join("../../shared/corpus/real");
    if shared.is_dir() {
        shared
    } else {
        manifest.join("../examples")
    }
}

fn report(name: &str) -> Res<String> {
    let path = corpus_dir().join(name);
    let path = if path.exists() {
        path
    } else {
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../examples")
            .join(name)
    };
    Ok(std::fs::read_to_string(path)?)
}

/// Real report 004 (淮安市人民政府 2024, every relation holds) with （七）总计 · 总计 set to 3051.
fn planted() -> Res<(String, usize)> {
    let text = report("004.txt")?.replace("\t3050\n", "\t3051\n");
    let at = text.find("\t3051\n").ok_or("planted cell")? + 1;
    Ok((text, at))
}

/// `planted()` plus a wrong 四 (自然人 104 for 103): a `balance-mismatch` beside the
/// `sum-mismatch`, for tests of per-code settings.
fn planted_two_codes() -> Res<String> {
    let (text, _) = planted()?;
    let four = "四、结转下年度继续办理\t\t\t103\t";
    if !text.contains(four) {
        return Err("row 四".into());
    }
    Ok(text.replace(four, "四、结转下年度继续办理\t\t\t104\t"))
}

fn codes(diagnostics: &[Value]) -> Vec<String> {
    diagnostics
        .iter()
        .map(|d| d["code"].as_str().unwrap_or("").to_string())
        .collect()
}

const UTF16: fn() -> Value = || json!({});
const UTF8_FIRST: fn() -> Value = || json!({"general": {"positionEncodings": ["utf-8", "utf-16"]}});

// ---------------------------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------------------------

#[test]
fn initialize_negotiates_the_encoding_and_shuts_down_with_status_0() -> TestResult {
    let mut c = Client::start(&[])?;
    let result = c.initialize(UTF16(), Value::Null)?;
    let caps = &result["capabilities"];
    assert_eq!(caps["positionEncoding"], "utf-16");
    assert_eq!(caps["textDocumentSync"]["change"], 2, "incremental sync");
    for cap in [
        "hoverProvider",
        "codeActionProvider",
        "documentSymbolProvider",
        "foldingRangeProvider",
        "semanticTokensProvider",
        "inlayHintProvider",
        "completionProvider",
    ] {
        assert!(!caps[cap].is_null(), "{cap} missing: {caps}");
    }
    assert!(
        caps["diagnosticProvider"].is_null(),
        "push mode for a client without pull"
    );
    let kinds = caps["codeActionProvider"]["codeActionKinds"].to_string();
    assert!(kinds.contains("source.fixAll.nianbao"), "{kinds}");
    assert_eq!(result["serverInfo"]["name"], "nianbao");
    assert_eq!(c.finish()?, Some(0));

    let mut c = Client::start(&[])?;
    let result = c.initialize(UTF8_FIRST(), Value::Null)?;
    assert_eq!(result["capabilities"]["positionEncoding"], "utf-8");
    assert_eq!(c.finish()?, Some(0));

    let mut c = Client::start(&[])?;
    let result = c.initialize(
        json!({"general": {"positionEncodings": ["utf-32", "utf-16"]}}),
        Value::Null,
    )?;
    assert_eq!(result["capabilities"]["positionEncoding"], "utf-16");
    // `exit` without `shutdown`: status 1 (LSP).
    c.notify("exit", Value::Null)?;
    assert_eq!(c.wait()?, Some(1));
    Ok(())
}

#[test]
fn planted_error_hover_quick_fix_and_fix_all() -> TestResult {
    for caps in [UTF16(), UTF8_FIRST()] {
        let mut c = Client::start(&[])?;
        let mut capabilities = caps;
        capabilities["textDocument"] =
            json!({"codeAction": {"resolveSupport": {"properties": ["edit"]}}});
        c.initialize(capabilities, Value::Null)?;
        let enc = c.enc;
        let (text, at) = planted()?;
        let uri = "file:///work/004.txt";
        c.open(uri, &text)?;
        let diagnostics = c.diagnostics(uri, 1)?;
        let wrong: Vec<&Value> = diagnostics
            .iter()
            .filter(|d| d["code"] == "sum-mismatch")
            .collect();
        assert_eq!(
            wrong.len(),
            1,
            "one error, on the wrong figure (not on the right totals it breaks): {diagnostics:?}"
        );
        let cell = range(&text, at, at + 4, enc);
        for d in &wrong {
            assert_eq!(d["range"], cell, "{enc:?}");
            assert_eq!(d["severity"], 1);
            assert_eq!(d["source"], "nianbao");
            assert!(
                d["relatedInformation"]
                    .as_array()
                    .is_some_and(|r| !r.is_empty())
            );
        }
        assert_eq!(
            wrong[0]["message"],
            "（七）总计的“总计”应为 3050：六类申请人之和 3050、各项办理结果之和 3050 与勾稽关系（3119 + 34 − 103）都与 3050 相符，实为 3051"
        );
        // The three relations it breaks, as related information.
        assert_eq!(
            wrong[0]["relatedInformation"].as_array().map(Vec::len),
            Some(3)
        );

        // Hover: a statute item, a cell, the wrong total.
        let statute = text.find("第二十条 第（五）项").ok_or("statute ref")? + 6;
        let hover = c.request(
            "textDocument/hover",
            json!({"textDocument": {"uri": uri}, "position": pos(&text, statute, enc)}),
        )?;
        assert_eq!(hover["contents"]["kind"], "markdown");
        let md = hover["contents"]["value"].as_str().unwrap_or("");
        assert!(
            md.contains("第二十条第（五）项") && md.contains("行政许可"),
            "{md}"
        );
        let hover = c.request(
            "textDocument/hover",
            json!({"textDocument": {"uri": uri}, "position": pos(&text, at + 1, enc)}),
        )?;
        let md = hover["contents"]["value"].as_str().unwrap_or("");
        assert!(md.starts_with("**表三 · （七）总计 · 总计**"), "{md}");
        assert!(md.contains("不成立**（应为 3050）"), "{md}");
        assert!(md.contains("此数字有误：应为 3050"), "{md}");
        assert_eq!(hover["range"], cell);
        let secret = text.find("1.属于国家秘密\t2").ok_or("row")? + "1.属于国家秘密\t".len();
        let hover = c.request(
            "textDocument/hover",
            json!({"textDocument": {"uri": uri}, "position": pos(&text, secret, enc)}),
        )?;
        let md = hover["contents"]["value"].as_str().unwrap_or("");
        assert!(
            md.starts_with("**表三 · （三）不予公开 · 1.属于国家秘密 · 自然人**"),
            "{md}"
        );

        // The quick-fix, applied as an editor does: the diagnostics go away (version 2).
        let actions = c.request(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": uri}, "range": cell,
                   "context": {"diagnostics": wrong, "only": ["quickfix"]}}),
        )?;
        let actions = actions.as_array().ok_or("actions")?;
        let fix = actions
            .iter()
            .find(|a| a["isPreferred"] == true)
            .ok_or("a preferred quick-fix")?;
        assert_eq!(fix["title"], "改为 3050");
        assert_eq!(fix["kind"], "quickfix");
        assert!(actions.iter().any(|a| {
            a["title"]
                .as_str()
                .is_some_and(|t| t.starts_with("忽略此处的 sum-mismatch"))
        }));
        let edits = fix["edit"]["changes"][uri]
            .as_array()
            .ok_or("edits")?
            .clone();
        let mut doc = Doc {
            uri: uri.to_string(),
            text: text.clone(),
            version: 1,
        };
        let fixed = apply(&doc.text, &edits, enc)?;
        for e in &edits {
            let s = offset(&doc.text, &e["range"]["start"], enc)?;
            let t = offset(&doc.text, &e["range"]["end"], enc)?;
            doc.edit(&mut c, s, t, e["newText"].as_str().unwrap_or(""))?;
        }
        assert_eq!(doc.text, fixed);
        let after = c.diagnostics(uri, 2)?;
        assert!(
            !codes(&after).iter().any(|c| c.ends_with("mismatch")),
            "{after:?}"
        );

        // Fix-all through codeAction/resolve: two planted errors, one action, minimal edits.
        let row_total = doc.text.find("\t1362\n").ok_or("row total")? + 1;
        doc.edit(&mut c, row_total, row_total + 4, "1360")?;
        let t4 = doc.text.find("\t351\t").ok_or("t4 total")? + 1;
        doc.edit(&mut c, t4, t4 + 3, "35１")?;
        let broken = c.diagnostics(uri, 4)?;
        assert!(
            codes(&broken).contains(&"sum-mismatch".to_string()),
            "{broken:?}"
        );
        let actions = c.request(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": uri}, "range": range(&doc.text, 0, 0, enc),
                   "context": {"diagnostics": [], "only": ["source.fixAll"]}}),
        )?;
        let action = actions
            .as_array()
            .and_then(|a| a.first())
            .cloned()
            .ok_or("a fix-all action")?;
        assert_eq!(action["kind"], "source.fixAll.nianbao");
        assert!(action["edit"].is_null(), "resolved lazily");
        let resolved = c.request("codeAction/resolve", action)?;
        let edits = resolved["edit"]["changes"][uri]
            .as_array()
            .ok_or("edits")?
            .clone();
        assert_eq!(edits.len(), 2, "{edits:?}");
        let fixed = apply(&doc.text, &edits, enc)?;
        assert_eq!(fixed, report("004.txt")?);
        c.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": 5}, "contentChanges": [{"text": fixed}]}),
        )?;
        let clean = c.diagnostics(uri, 5)?;
        assert!(
            !codes(&clean).iter().any(|c| c.ends_with("mismatch")),
            "{clean:?}"
        );

        // Close clears the diagnostics.
        c.notify(
            "textDocument/didClose",
            json!({"textDocument": {"uri": uri}}),
        )?;
        let closed = c.notification("textDocument/publishDiagnostics", |p| {
            p["uri"] == uri && p["diagnostics"].as_array().is_some_and(|d| d.is_empty())
        })?;
        assert!(closed["version"].is_null());
        assert_eq!(c.finish()?, Some(0));
    }
    Ok(())
}

#[test]
fn incremental_changes_with_cjk_and_astral_characters_in_both_encodings() -> TestResult {
    for caps in [UTF16(), UTF8_FIRST()] {
        let mut c = Client::start(&[])?;
        c.initialize(caps, Value::Null)?;
        let enc = c.enc;
        let (text, _) = planted()?;
        let uri = "file:///work/%E6%B7%AE%E5%AE%89.txt";
        c.open(uri, &text)?;
        c.diagnostics(uri, 1)?;
        let mut doc = Doc {
            uri: uri.to_string(),
            text,
            version: 1,
        };
        // Astral-plane characters before the wrong total, on its own line: the range moves by
        // 2 UTF-16 units or 4 bytes per character.
        let line_start = doc.text.find("\t（七）总计").ok_or("row")?;
        doc.edit(&mut c, line_start, line_start, "𠀀😀")?;
        let d = c.diagnostics(uri, 2)?;
        let at = doc.text.find("\t3051\n").ok_or("cell")? + 1;
        let wrong = d
            .iter()
            .find(|x| x["code"] == "sum-mismatch")
            .ok_or("sum-mismatch")?;
        assert_eq!(wrong["range"], range(&doc.text, at, at + 4, enc), "{enc:?}");

        // Several changes in one notification, each relative to the text the previous ones
        // left (given back to front, so offsets found in the old text stay valid): a deletion
        // spanning two lines, the total replaced, an insertion right after the astral
        // characters, and CJK plus a musical symbol (U+1D11E) before a statute reference.
        let para = doc.text.find("对照上级新要求").ok_or("paragraph")?;
        let first_eol = para + doc.text[para..].find('\n').ok_or("eol")?;
        let para_end = first_eol + 1 + doc.text[first_eol + 1..].find('\n').ok_or("eol")? + 1;
        let total = doc.text.find("\t3051\n").ok_or("cell")? + 1;
        let caption = doc.text.find("第二十条 第（五）项").ok_or("caption")?;
        doc.edits(
            &mut c,
            &[
                (para, para_end, ""),
                (total, total + 4, "3052"),
                (line_start + "𠀀😀".len(), line_start + "𠀀😀".len(), "表"),
                (caption, caption, "见𝄞乐章"),
            ],
        )?;
        let d = c.diagnostics(uri, 3)?;
        let at = doc.text.find("\t3052\n").ok_or("cell")? + 1;
        let wrong = d
            .iter()
            .find(|x| x["code"] == "sum-mismatch")
            .ok_or("sum-mismatch")?;
        assert_eq!(wrong["range"], range(&doc.text, at, at + 4, enc), "{enc:?}");
        assert!(
            wrong["message"]
                .as_str()
                .unwrap_or("")
                .contains("实为 3052")
        );
        let reference = doc.text.find("第二十条 第（五）项").ok_or("caption")?;
        let hover = c.request(
            "textDocument/hover",
            json!({"textDocument": {"uri": uri}, "position": pos(&doc.text, reference + 3, enc)}),
        )?;
        assert_eq!(
            hover["range"],
            range(
                &doc.text,
                reference,
                reference + "第二十条 第（五）项".len(),
                enc
            ),
            "{enc:?}"
        );

        // The server's text equals ours: same diagnostics as `nianbao check` on our text.
        let expected = cli_diagnostics(&doc.text)?;
        assert_same(&d, &expected, &doc.text, enc)?;

        // Delete the astral characters again (a range ending right after a surrogate pair).
        doc.edit(&mut c, line_start, line_start + "𠀀😀表".len(), "")?;
        let d = c.diagnostics(uri, 4)?;
        assert_same(&d, &cli_diagnostics(&doc.text)?, &doc.text, enc)?;
        assert_eq!(c.finish()?, Some(0));
    }
    Ok(())
}

/// `nianbao check --format json` on `text`: its diagnostics (UTF-16 positions).
fn cli_diagnostics(text: &str) -> Res<Vec<Value>> {
    let mut child = Command::new(BIN)
        .args(["check", "--format", "json", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()?;
    let mut stdin = child.stdin.take().ok_or("stdin")?;
    let bytes = text.as_bytes().to_vec();
    let writer = std::thread::spawn(move || stdin.write_all(&bytes));
    let output = child.wait_with_output()?;
    let _ = writer.join();
    let json: Value = serde_json::from_slice(&output.stdout)?;
    Ok(json["files"][0]["diagnostics"]
        .as_array()
        .cloned()
        .unwrap_or_default())
}

/// The server's diagnostics (in `enc`) equal the CLI's (UTF-16): range, code, message, severity.
fn assert_same(server: &[Value], cli: &[Value], text: &str, enc: Enc) -> TestResult {
    let severity = |s: &Value| match s.as_str() {
        Some("error") => 1,
        Some("warning") => 2,
        Some("information") => 3,
        _ => 4,
    };
    let key = |code: &Value, message: &Value, range: Value, sev: i64| {
        format!("{code} {sev} {range} {message}")
    };
    let mut a: Vec<String> = server
        .iter()
        .map(|d| {
            key(
                &d["code"],
                &d["message"],
                d["range"].clone(),
                d["severity"].as_i64().unwrap_or(0),
            )
        })
        .collect();
    let mut b = Vec::new();
    for d in cli {
        let start = offset(text, &d["range"]["start"], Enc::Utf16)?;
        let end = offset(text, &d["range"]["end"], Enc::Utf16)?;
        b.push(key(
            &d["code"],
            &d["message"],
            range(text, start, end, enc),
            severity(&d["severity"]),
        ));
    }
    a.sort();
    b.sort();
    assert_eq!(a, b);
    Ok(())
}

#[test]
fn every_real_report_gets_the_diagnostics_of_nianbao_check() -> TestResult {
    let mut files: Vec<PathBuf> = std::fs::read_dir(corpus_dir())?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    files.sort();
    assert!(files.len() >= 5, "{files:?}");
    for caps in [UTF16(), UTF8_FIRST()] {
        let mut c = Client::start(&[])?;
        c.initialize(caps, Value::Null)?;
        for (i, path) in files.iter().enumerate() {
            let text = std::fs::read_to_string(path)?;
            let uri = format!("file:///corpus/{i}.txt");
            c.open(&uri, &text)?;
            let server = c.diagnostics(&uri, 1)?;
            assert_same(&server, &cli_diagnostics(&text)?, &text, c.enc)
                .map_err(|e| format!("{}: {e}", path.display()))?;
        }
        // The first report's syntax tree has been dropped by now (only the documents touched
        // last keep theirs): an edit parses it again from its text.
        let mut doc = Doc {
            uri: "file:///corpus/0.txt".to_string(),
            text: std::fs::read_to_string(&files[0])?,
            version: 1,
        };
        let digit = doc
            .text
            .find(|c: char| c.is_ascii_digit())
            .ok_or("a digit")?;
        doc.edit(&mut c, digit, digit, "9")?;
        let server = c.diagnostics(&doc.uri, 2)?;
        assert_same(&server, &cli_diagnostics(&doc.text)?, &doc.text, c.enc)?;
        assert_eq!(c.finish()?, Some(0));
    }
    Ok(())
}

#[test]
fn pull_diagnostics_when_the_client_pulls() -> TestResult {
    let mut c = Client::start(&[])?;
    let result = c.initialize(
        json!({
            "textDocument": {"diagnostic": {"dynamicRegistration": false}},
            "workspace": {"diagnostics": {"refreshSupport": true}}
        }),
        Value::Null,
    )?;
    assert_eq!(
        result["capabilities"]["diagnosticProvider"]["identifier"],
        "nianbao"
    );
    let (text, at) = planted()?;
    let uri = "file:///pull.txt";
    c.open(uri, &text)?;
    let report = c.request(
        "textDocument/diagnostic",
        json!({"textDocument": {"uri": uri}}),
    )?;
    assert_eq!(report["kind"], "full");
    let items = report["items"].as_array().ok_or("items")?;
    assert!(
        items
            .iter()
            .any(|d| d["code"] == "sum-mismatch"
                && d["range"] == range(&text, at, at + 4, Enc::Utf16))
    );
    let id = report["resultId"].clone();
    let again = c.request(
        "textDocument/diagnostic",
        json!({"textDocument": {"uri": uri}, "previousResultId": id}),
    )?;
    assert_eq!(again["kind"], "unchanged");
    let mut doc = Doc {
        uri: uri.to_string(),
        text,
        version: 1,
    };
    doc.edit(&mut c, at, at + 4, "3050")?;
    let fixed = c.request(
        "textDocument/diagnostic",
        json!({"textDocument": {"uri": uri}, "previousResultId": id}),
    )?;
    assert_eq!(fixed["kind"], "full");
    assert!(
        !codes(fixed["items"].as_array().ok_or("items")?).contains(&"sum-mismatch".to_string())
    );
    // No push in pull mode.
    assert!(
        !c.pending
            .iter()
            .any(|m| m["method"] == "textDocument/publishDiagnostics")
    );
    // An unknown document: an empty report, not an error.
    let unknown = c.request(
        "textDocument/diagnostic",
        json!({"textDocument": {"uri": "file:///nope.txt"}}),
    )?;
    assert_eq!(unknown["items"], json!([]));
    assert_eq!(c.finish()?, Some(0));
    Ok(())
}

/// Neovim 0.11 pulls diagnostics but cannot be asked to pull again: such a client gets them
/// pushed, so that a settings change shows at once rather than at the next edit.
#[test]
fn a_client_that_pulls_without_refresh_gets_pushed_diagnostics() -> TestResult {
    let mut c = Client::start(&[])?;
    let result = c.initialize(
        json!({"textDocument": {"diagnostic": {"dynamicRegistration": false}}}),
        Value::Null,
    )?;
    assert!(result["capabilities"].get("diagnosticProvider").is_none());
    let text = planted_two_codes()?;
    let uri = "file:///nvim.txt";
    c.open(uri, &text)?;
    let d = c.diagnostics(uri, 1)?;
    assert!(codes(&d).contains(&"sum-mismatch".to_string()), "{d:?}");
    c.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"nianbao": {"severity": {"sum-mismatch": "off"}}}}),
    )?;
    c.notification("textDocument/publishDiagnostics", |p| {
        p["uri"] == uri
            && p["diagnostics"]
                .as_array()
                .is_some_and(|d| !d.is_empty() && d.iter().all(|x| x["code"] != "sum-mismatch"))
    })?;
    assert_eq!(c.finish()?, Some(0));
    Ok(())
}

#[test]
fn bad_input_is_clamped_or_ignored_and_panics_are_survived() -> TestResult {
    let mut c = Client::start(&[("NIANBAO_LSP_TEST_HOOKS", "1")])?;
    c.initialize(UTF16(), Value::Null)?;
    let uri = "file:///robust.txt";
    let text = "某某局2024年政府信息公开工作年度报告\n一、总体情况\n𠀀本年度……\n";
    c.open(uri, text)?;
    c.diagnostics(uri, 1)?;

    // Unknown document: ignored, logged; requests on it answer null.
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": "file:///unknown.txt", "version": 2},
               "contentChanges": [{"range": range(text, 0, 0, Enc::Utf16), "text": "x"}]}),
    )?;
    let hover = c.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": "file:///unknown.txt"}, "position": {"line": 0, "character": 0}}),
    )?;
    assert!(hover.is_null());
    c.log_containing("未打开的文档 file:///unknown.txt")?;

    // A reversed range: ignored, logged.
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 2},
               "contentChanges": [{"range": {"start": {"line": 1, "character": 3}, "end": {"line": 1, "character": 0}}, "text": "X"}]}),
    )?;
    c.diagnostics(uri, 2)?;
    c.log_containing("范围颠倒")?;

    // Out of range: a line past the end, a column past a line's end, a column inside a
    // surrogate pair — clamped, logged, never a crash.
    let mut expected = text.to_string();
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 3},
               "contentChanges": [
                   {"range": {"start": {"line": 99, "character": 0}, "end": {"line": 120, "character": 5}}, "text": "尾"},
                   {"range": {"start": {"line": 0, "character": 500}, "end": {"line": 0, "character": 900}}, "text": "首"},
                   {"range": {"start": {"line": 2, "character": 1}, "end": {"line": 2, "character": 1}}, "text": "中"}
               ]}),
    )?;
    expected.push('尾');
    let eol = expected.find('\n').ok_or("eol")?;
    expected.insert(eol, '首');
    let astral = expected.find('𠀀').ok_or("astral")?;
    expected.insert(astral, '中');
    let d = c.diagnostics(uri, 3)?;
    c.log_containing("超出文档")?;
    // The server holds exactly the text the clamped edits give.
    assert_same(&d, &cli_diagnostics(&expected)?, &expected, Enc::Utf16)?;
    assert!(codes(&d).contains(&"section-missing".to_string()));
    let hover = c.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": {"line": 9999, "character": 9999}}),
    )?;
    assert!(hover.is_null() || hover.is_object());
    let folding = c.request(
        "textDocument/inlayHint",
        json!({"textDocument": {"uri": uri}, "range": {"start": {"line": 50, "character": 0}, "end": {"line": 1, "character": 0}}}),
    )?;
    assert!(folding.is_array());

    // Malformed parameters of a notification: logged, ignored.
    c.notify("textDocument/didChange", json!({"textDocument": 5}))?;
    c.log_containing("参数无法解析")?;

    // A panic in a request handler: an internal error for that request, the server goes on.
    let response = c.request_raw("nianbao/debugPanic", json!({"where": "request"}))?;
    assert_eq!(response["error"]["code"], -32603, "{response}");
    c.log_containing("已恢复")?;
    // A panic in the documents thread: logged, the documents stay.
    c.request("nianbao/debugPanic", json!({"where": "documents"}))?;
    let hover = c.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": {"line": 1, "character": 1}}),
    )?;
    assert!(
        hover["contents"]["value"]
            .as_str()
            .is_some_and(|v| v.contains("第五十条")),
        "{hover}"
    );
    let mut doc = Doc {
        uri: uri.to_string(),
        text: expected,
        version: 3,
    };
    doc.edit(&mut c, 0, 0, "")?;
    c.diagnostics(uri, 4)?;
    assert_eq!(c.finish()?, Some(0));
    Ok(())
}

#[test]
fn configuration_from_initialization_options_and_did_change_configuration() -> TestResult {
    let mut c = Client::start(&[])?;
    c.initialize(
        json!({"workspace": {"configuration": true}}),
        json!({"nianbao": {"template": "auto", "severity": {"sum-mismatch": "off", "balance-mismatch": "hint"}}}),
    )?;
    let text = planted_two_codes()?;
    let uri = "file:///config.txt";
    c.open(uri, &text)?;
    let d = c.diagnostics(uri, 1)?;
    assert!(!codes(&d).contains(&"sum-mismatch".to_string()), "{d:?}");
    let balance = d
        .iter()
        .find(|x| x["code"] == "balance-mismatch")
        .ok_or("balance")?;
    assert_eq!(balance["severity"], 4);

    c.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"nianbao": {"severity": {"number-format": "off"}}}}),
    )?;
    let d = c.diagnostics(uri, 1)?;
    assert!(codes(&d).contains(&"sum-mismatch".to_string()), "{d:?}");

    // Pull model: settings null → the server asks workspace/configuration.
    c.configuration = json!({"severity": {"sum-mismatch": "warning"}});
    c.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": null}),
    )?;
    let d = c.notification("textDocument/publishDiagnostics", |p| {
        p["diagnostics"].as_array().is_some_and(|d| {
            d.iter()
                .any(|x| x["code"] == "sum-mismatch" && x["severity"] == 2)
        })
    })?;
    assert_eq!(d["version"], 1);

    // Settings it does not understand: logged, the rest applied.
    c.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"nianbao": {"template": "1999", "severity": {"no-such-code": "off"}}}}),
    )?;
    c.log_containing("no-such-code")?;
    assert_eq!(c.finish()?, Some(0));
    Ok(())
}

#[test]
fn outline_folding_tokens_inlays_and_completion() -> TestResult {
    let mut c = Client::start(&[])?;
    c.initialize(UTF16(), Value::Null)?;
    let (text, at) = planted()?;
    let uri = "file:///features.txt";
    c.open(uri, &text)?;
    let symbols = c.request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": uri}}),
    )?;
    let sections: Vec<&Value> = symbols
        .as_array()
        .ok_or("symbols")?
        .iter()
        .filter(|s| s["kind"] == 2)
        .collect();
    assert_eq!(sections.len(), 6, "{symbols}");
    let table3 = &sections[2]["children"][0];
    assert!(
        table3["name"]
            .as_str()
            .is_some_and(|n| n.starts_with("表三"))
    );
    assert_eq!(table3["children"].as_array().map(Vec::len), Some(25));

    let folds = c.request(
        "textDocument/foldingRange",
        json!({"textDocument": {"uri": uri}}),
    )?;
    assert!(folds.as_array().is_some_and(|f| f.len() >= 8), "{folds}");

    let legend_numbers = 2;
    let tokens = c.request(
        "textDocument/semanticTokens/full",
        json!({"textDocument": {"uri": uri}}),
    )?;
    let data: Vec<u64> = tokens["data"]
        .as_array()
        .ok_or("data")?
        .iter()
        .filter_map(Value::as_u64)
        .collect();
    let target = pos(&text, at, Enc::Utf16);
    let (mut line, mut col) = (0, 0);
    let mut found = None;
    for t in data.chunks(5) {
        line += t[0];
        col = if t[0] == 0 { col + t[1] } else { t[1] };
        if json!(line) == target["line"] && json!(col) == target["character"] {
            found = Some((t[2], t[3], t[4]));
        }
    }
    assert_eq!(
        found,
        Some((4, legend_numbers, 0b11)),
        "number, total + wrong"
    );

    let hints = c.request(
        "textDocument/inlayHint",
        json!({"textDocument": {"uri": uri}, "range": range(&text, 0, text.len(), Enc::Utf16)}),
    )?;
    let hints = hints.as_array().ok_or("hints")?;
    assert!(
        hints
            .iter()
            .any(|h| h["label"] == "应为 3050" && h["position"] == pos(&text, at + 4, Enc::Utf16))
    );

    // One cell per line (seed 000): each number gets its column name.
    let shahe = report("seed-000.txt")?;
    c.open("file:///shahe.txt", &shahe)?;
    let hints = c.request(
        "textDocument/inlayHint",
        json!({"textDocument": {"uri": "file:///shahe.txt"}, "range": range(&shahe, 0, shahe.len(), Enc::Utf16)}),
    )?;
    let labels: Vec<&str> = hints
        .as_array()
        .ok_or("hints")?
        .iter()
        .filter_map(|h| h["label"].as_str())
        .collect();
    assert!(labels.contains(&"自然人："), "{labels:?}");

    // Completion: the next heading, and the table skeleton after heading 三.
    let partial = "某某局2024年政府信息公开工作年度报告\n一、总体情况\n无。\n三、收到和处理政府信息公开申请情况\n\n";
    c.open("file:///new.txt", partial)?;
    let items = c.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": "file:///new.txt"}, "position": pos(partial, partial.len() - 1, Enc::Utf16)}),
    )?;
    let items = items.as_array().ok_or("items")?;
    let skeleton = items
        .iter()
        .find(|i| i["label"].as_str().is_some_and(|l| l.starts_with("表三")))
        .ok_or("table skeleton")?;
    assert!(
        skeleton["textEdit"]["newText"]
            .as_str()
            .is_some_and(|t| t.contains("（七）总计"))
    );
    assert!(
        items
            .iter()
            .any(|i| i["label"] == "二、主动公开政府信息情况")
    );
    assert_eq!(c.finish()?, Some(0));
    Ok(())
}

#[test]
fn formatting_and_range_formatting_give_the_formatter_edits() -> TestResult {
    for caps in [UTF16(), UTF8_FIRST()] {
        let mut c = Client::start(&[])?;
        let result = c.initialize(caps, Value::Null)?;
        assert_eq!(result["capabilities"]["documentFormattingProvider"], true);
        assert_eq!(
            result["capabilities"]["documentRangeFormattingProvider"],
            true
        );
        let enc = c.enc;
        // One cell per line (seed 000): the formatter joins the cells into TAB rows.
        let text = report("seed-000.txt")?;
        let uri = "file:///fmt.txt";
        c.open(uri, &text)?;
        let before = c.diagnostics(uri, 1)?;
        let edits = c.request(
            "textDocument/formatting",
            json!({"textDocument": {"uri": uri}, "options": {"tabSize": 4, "insertSpaces": false}}),
        )?;
        let edits = edits.as_array().ok_or("edits")?;
        assert!(!edits.is_empty());
        let formatted = apply(&text, edits, enc)?;
        assert_eq!(formatted, nianbao::format::format(&text));
        c.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"text": formatted}]}),
        )?;
        let after = c.diagnostics(uri, 2)?;
        assert_eq!(
            codes(&before),
            codes(&after),
            "formatting changes no finding"
        );
        let again = c.request(
            "textDocument/formatting",
            json!({"textDocument": {"uri": uri}, "options": {"tabSize": 4, "insertSpaces": false}}),
        )?;
        assert_eq!(again, json!([]), "formatted text stays as it is");

        // Range formatting: only the lines asked for (whole tables).
        let text = report("seed-000.txt")?;
        c.open("file:///range.txt", &text)?;
        let start = text.find("三、收到和处理").ok_or("section 三")?;
        let end = text.find("四、政府信息公开行政复议").ok_or("section 四")?;
        let edits = c.request(
            "textDocument/rangeFormatting",
            json!({"textDocument": {"uri": "file:///range.txt"}, "range": range(&text, start, end, enc),
                   "options": {"tabSize": 4, "insertSpaces": false}}),
        )?;
        let formatted = apply(&text, edits.as_array().ok_or("edits")?, enc)?;
        let expected = nianbao::fix::apply_edits(
            &text,
            nianbao::format::format_range_edits(&text, start..end),
        );
        assert_eq!(formatted, expected);
        assert_ne!(formatted, text);
        assert_eq!(c.finish()?, Some(0));
    }
    Ok(())
}

#[test]
fn crlf_lines_and_the_missing_section_quick_fix() -> TestResult {
    let fixture =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/line-endings-crlf.txt");
    let text = std::fs::read_to_string(fixture)?;
    assert!(text.contains("\r\n"));
    for caps in [UTF16(), UTF8_FIRST()] {
        let mut c = Client::start(&[])?;
        c.initialize(caps, Value::Null)?;
        let enc = c.enc;
        let uri = "file:///crlf.txt";
        c.open(uri, &text)?;
        let d = c.diagnostics(uri, 1)?;
        assert_same(&d, &cli_diagnostics(&text)?, &text, enc)?;
        // A column past the end of a CRLF line lands before the `\r`.
        let mut doc = Doc {
            uri: uri.to_string(),
            text: text.clone(),
            version: 1,
        };
        c.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": 2},
                   "contentChanges": [{"range": {"start": {"line": 0, "character": 999}, "end": {"line": 0, "character": 999}}, "text": "（节选）"}]}),
        )?;
        let eol = doc.text.find("\r\n").ok_or("crlf")?;
        doc.text.insert_str(eol, "（节选）");
        doc.version = 2;
        let d = c.diagnostics(uri, 2)?;
        assert_same(&d, &cli_diagnostics(&doc.text)?, &doc.text, enc)?;

        // Remove section 五 and take the quick-fix that puts it back.
        let five = doc.text.find("五、").ok_or("section 五")?;
        let six = doc.text.find("六、").ok_or("section 六")?;
        doc.edit(&mut c, five, six, "")?;
        let d = c.diagnostics(uri, 3)?;
        let missing = d
            .iter()
            .find(|x| x["code"] == "section-missing")
            .ok_or("section-missing")?
            .clone();
        let actions = c.request(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": uri}, "range": missing["range"],
                   "context": {"diagnostics": [missing]}}),
        )?;
        let fix = actions
            .as_array()
            .ok_or("actions")?
            .iter()
            .find(|a| a["isPreferred"] == true)
            .ok_or("a preferred quick-fix")?
            .clone();
        assert!(
            fix["title"]
                .as_str()
                .is_some_and(|t| t.starts_with("插入“五、")),
            "{fix}"
        );
        let edits = fix["edit"]["changes"][uri]
            .as_array()
            .ok_or("edits")?
            .clone();
        let fixed = apply(&doc.text, &edits, enc)?;
        c.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": 4}, "contentChanges": [{"text": fixed}]}),
        )?;
        let d = c.diagnostics(uri, 4)?;
        assert!(!d.iter().any(|x| x["code"] == "section-missing"), "{d:?}");
        assert_eq!(c.finish()?, Some(0));
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// The checks across years in a workspace
// ---------------------------------------------------------------------------------------------

/// A workspace folder under the system temp dir, removed on drop.
struct Folder(PathBuf);

impl Folder {
    fn new(name: &str) -> Res<Folder> {
        let path = std::env::temp_dir().join(format!("nianbao-lsp-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(&path)?;
        Ok(Folder(path))
    }

    fn uri(&self, rel: &str) -> String {
        format!("file://{}/{rel}", self.0.display())
    }

    fn write(&self, rel: &str, text: &str) -> TestResult {
        std::fs::write(self.0.join(rel), text)?;
        Ok(())
    }
}

impl Drop for Folder {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Waits for diagnostics of `uri` (any version) satisfying `pred`.
fn published(c: &mut Client, uri: &str, pred: impl Fn(&[Value]) -> bool) -> Res<Vec<Value>> {
    let params = c.notification("textDocument/publishDiagnostics", |p| {
        p["uri"] == uri && pred(p["diagnostics"].as_array().map_or(&[], |a| a.as_slice()))
    })?;
    Ok(params["diagnostics"]
        .as_array()
        .cloned()
        .unwrap_or_default())
}

fn has_carryover(diagnostics: &[Value]) -> bool {
    diagnostics
        .iter()
        .any(|d| d["code"] == "carryover-mismatch")
}

#[test]
fn the_checks_across_years_follow_the_other_years_file() -> TestResult {
    let dir = Folder::new("series")?;
    let zero = "\t\t\t0\t0\t0\t0\t0\t0\t0";
    let three = "\t\t\t3\t0\t0\t0\t0\t0\t3";
    let y2023 = report("001.txt")?;
    let y2024 = report("002.txt")?.replace(
        &format!("二、上年结转政府信息公开申请数量{zero}"),
        &format!("二、上年结转政府信息公开申请数量{three}"),
    );
    let y2023_three = y2023.replace(
        &format!("四、结转下年度继续办理{zero}"),
        &format!("四、结转下年度继续办理{three}"),
    );
    dir.write("2023.txt", &y2023)?;
    dir.write("2024.txt", &y2024)?;
    dir.write("淮安市.txt", &report("004.txt")?)?; // another body, 2024
    let (uri23, uri24) = (dir.uri("2023.txt"), dir.uri("2024.txt"));

    let mut c = Client::start(&[])?;
    c.request(
        "initialize",
        json!({"processId": null, "rootUri": null,
               "workspaceFolders": [{"uri": format!("file://{}", dir.0.display()), "name": "w"}],
               "capabilities": {"workspace": {"didChangeWatchedFiles": {"dynamicRegistration": true}}}}),
    )?;
    c.notify("initialized", json!({}))?;
    c.open(&uri24, &y2024)?;

    // The report's own diagnostics come first; the check against 2023 follows the indexing.
    let first = c.diagnostics(&uri24, 1)?;
    assert!(
        first.iter().any(|d| d["code"] == "balance-mismatch"),
        "{first:?}"
    );
    // (When the indexer was faster than the analysis, the first publication has it already.)
    let d = if has_carryover(&first) {
        first
    } else {
        published(&mut c, &uri24, has_carryover)?
    };
    let carry: Vec<&Value> = d
        .iter()
        .filter(|d| d["code"] == "carryover-mismatch")
        .collect();
    assert_eq!(carry.len(), 2, "自然人 and 总计: {carry:?}");
    assert_eq!(
        carry[0]["message"],
        "“自然人”列上年结转应为 0（2023 年报告“结转下年度继续办理”），实为 3"
    );
    assert_eq!(carry[0]["severity"], 2);
    let related = &carry[0]["relatedInformation"][0]["location"];
    assert_eq!(related["uri"], uri23.as_str());
    assert_eq!(
        related["range"],
        json!({"start": {"line": 81, "character": 14}, "end": {"line": 81, "character": 15}})
    );
    let registration = c.server_request("client/registerCapability")?;
    assert_eq!(
        registration["params"]["registrations"][0]["method"], "workspace/didChangeWatchedFiles",
        "{registration:?}"
    );

    // The quick-fix takes last year's figure, offered, not preferred.
    let actions = c.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri24}, "range": carry[0]["range"],
               "context": {"diagnostics": [], "only": ["quickfix"]}}),
    )?;
    let fix = actions
        .as_array()
        .into_iter()
        .flatten()
        .find(|a| a["title"] == "改为 0（取 2023 年报告的结转数）")
        .ok_or("no carry-over quick-fix")?;
    assert_ne!(fix["isPreferred"], true);

    // Hover on the title: the identity and where it was read.
    let hover = c.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri24}, "position": {"line": 1, "character": 2}}),
    )?;
    let md = hover["contents"]["value"].as_str().unwrap_or_default();
    assert!(
        md.contains("发布机关：淮安市洪泽区人民政府（取自标题）"),
        "{md}"
    );
    assert!(md.contains("报告年度：2024"), "{md}");

    // Year Y−1 changes on disk to agree: the warning goes …
    dir.write("2023.txt", &y2023_three)?;
    let change = |t: i64| json!({"changes": [{"uri": uri23, "type": t}]});
    c.notify("workspace/didChangeWatchedFiles", change(2))?;
    published(&mut c, &uri24, |d| !has_carryover(d))?;
    // … and comes back when it disagrees again.
    dir.write("2023.txt", &y2023)?;
    c.notify("workspace/didChangeWatchedFiles", change(2))?;
    published(&mut c, &uri24, has_carryover)?;

    // An open buffer wins over the file; closing it brings the file back.
    c.open(&uri23, &y2023_three)?;
    published(&mut c, &uri24, |d| !has_carryover(d))?;
    c.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": uri23}}),
    )?;
    published(&mut c, &uri24, has_carryover)?;

    // Deleted on disk: nothing to compare with.
    std::fs::remove_file(dir.0.join("2023.txt"))?;
    c.notify("workspace/didChangeWatchedFiles", change(3))?;
    published(&mut c, &uri24, |d| !has_carryover(d))?;
    assert_eq!(c.finish()?, Some(0));
    Ok(())
}

/// A client that sends the Chinese file name unencoded (an IRI, as a hand-written client or a
/// script may): the document is served, its diagnostics published under exactly that string,
/// and requests on it (hover, code actions) answered, their edits naming it as sent.
#[test]
fn an_unencoded_file_uri_is_served_under_the_string_sent() -> TestResult {
    let mut c = Client::start(&[])?;
    c.initialize(UTF16(), Value::Null)?;
    let (text, at) = planted()?;
    let uri = "file:///work/2020年政府信息公开工作年度报告 副本.txt";
    c.open(uri, &text)?;
    let diagnostics = c.diagnostics(uri, 1)?;
    assert!(
        codes(&diagnostics).contains(&"sum-mismatch".to_string()),
        "{diagnostics:?}"
    );
    let cell = range(&text, at, at + 4, Enc::Utf16);
    let actions = c.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri}, "range": cell,
               "context": {"diagnostics": [], "only": ["quickfix"]}}),
    )?;
    let fix = actions
        .as_array()
        .and_then(|a| a.iter().find(|x| x["isPreferred"] == true))
        .cloned()
        .ok_or("a quick-fix")?;
    assert!(
        fix["edit"]["changes"].get(uri).is_some(),
        "edits name the URI as sent: {fix}"
    );
    // An encoded URI of another document stays as it was.
    let encoded = "file:///work/%E6%B7%AE%E5%AE%89.txt";
    c.open(encoded, &text)?;
    assert!(!c.diagnostics(encoded, 1)?.is_empty());
    assert_eq!(c.finish()?, Some(0));
    Ok(())
}

/// The `nianbao.toml` above a document applies in the editor as on the command line, under the
/// editor's settings; a file with a mistake is shown to the user and left out.
#[test]
fn the_configuration_file_applies_under_the_editor_settings() -> TestResult {
    let dir = std::env::temp_dir().join(format!("nianbao-lsp-config-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir)?;
    std::fs::write(
        dir.join("nianbao.toml"),
        "[severity]\nsum-mismatch = \"hint\"\n",
    )?;
    let uri = format!("file://{}/report.txt", dir.display());
    let (text, _) = planted()?;

    let mut c = Client::start(&[])?;
    c.initialize(UTF16(), Value::Null)?;
    c.open(&uri, &text)?;
    let d = c.diagnostics(&uri, 1)?;
    let sum = d
        .iter()
        .find(|x| x["code"] == "sum-mismatch")
        .ok_or("sum-mismatch")?;
    assert_eq!(sum["severity"], 4, "hint, from nianbao.toml");
    // The editor's setting wins over the file.
    c.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"nianbao": {"severity": {"sum-mismatch": "warning"}}}}),
    )?;
    c.notification("textDocument/publishDiagnostics", |p| {
        p["uri"] == uri.as_str()
            && p["diagnostics"].as_array().is_some_and(|d| {
                d.iter()
                    .any(|x| x["code"] == "sum-mismatch" && x["severity"] == 2)
            })
    })?;
    assert_eq!(c.finish()?, Some(0));

    // A mistake in the file: shown, and the defaults apply.
    std::fs::write(
        dir.join("nianbao.toml"),
        "[severity]\nsum-mismach = \"off\"\n",
    )?;
    let mut c = Client::start(&[])?;
    c.initialize(UTF16(), Value::Null)?;
    c.open(&uri, &text)?;
    // Shown before the document's diagnostics are published.
    c.notification("window/showMessage", |p| {
        p["message"]
            .as_str()
            .is_some_and(|m| m.contains("“sum-mismach”不是诊断代码"))
    })?;
    let d = c.diagnostics(&uri, 1)?;
    assert!(
        d.iter()
            .any(|x| x["code"] == "sum-mismatch" && x["severity"] == 1)
    );
    assert_eq!(c.finish()?, Some(0));
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}
