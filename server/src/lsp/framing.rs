//! The client's byte stream, checked frame by frame before `tower-lsp-server` decodes it.
//!
//! `tower-lsp-server` stops reading its input at the first frame it cannot decode (a body that
//! is not JSON, not UTF-8, not a JSON-RPC message, or a header without `Content-Length`): one
//! bad message from a client would end the session. [`Frames`] sits between the client and the
//! transport. It re-frames every well-formed message unchanged and replaces each malformed one
//! by a [`MALFORMED`] notification, which the sequencer answers with the JSON-RPC error (parse
//! error or invalid request) and a log line. Garbage between frames is skipped up to the next
//! `Content-Length` header. Memory stays bounded: a header block is at most [`MAX_HEADER`]
//! bytes, and the body of a message longer than [`MAX_BODY`] is skipped as it arrives, not
//! buffered.

use std::borrow::Cow;
use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use serde::Deserialize;
use serde_json::{Value, json};
use tokio::io::{AsyncRead, ReadBuf};
use tokio::sync::Notify;
use tower_lsp_server::jsonrpc::{Id, Request, Response};

/// The method of the notification that stands in for a malformed message. Its params:
/// `{"id": <the request's id or null>, "code": <JSON-RPC error code>, "reason": <text>}`.
pub const MALFORMED: &str = "nianbao/malformedMessage";

/// The longest header block accepted (headers are a few dozen bytes in practice).
pub const MAX_HEADER: usize = 8 * 1024;

/// The longest message body accepted (a 16 MB report as JSON with every character escaped is
/// ≈ 32 MB).
pub const MAX_BODY: usize = 256 * 1024 * 1024;

const PARSE_ERROR: i64 = -32700;
const INVALID_REQUEST: i64 = -32600;

/// What `tower-lsp-server` accepts as a message (its own `Message` is private): the same
/// untagged enum over its public types, so a frame passes here exactly when it decodes there.
#[derive(Deserialize)]
#[serde(untagged)]
#[allow(dead_code)]
enum Message {
    Response(Response),
    Request(Request),
}

/// An [`AsyncRead`] of well-formed LSP frames over a client's raw byte stream.
pub struct Frames<R> {
    inner: R,
    /// Bytes read from the client and not yet framed.
    buf: Vec<u8>,
    /// Checked frames waiting to be read, from `out_pos` on.
    out: Vec<u8>,
    out_pos: usize,
    /// The body length of the frame whose header has been read.
    body: Option<usize>,
    /// Bytes still to drop of an over-long body.
    skip: usize,
    /// Skipping garbage between frames (reported once per run of garbage).
    in_garbage: bool,
    eof: bool,
    /// Told when the input ends.
    on_end: Option<Arc<Notify>>,
    /// URIs the client sent unencoded, encoded on the way in (see [`super::iri`]).
    iris: Option<Arc<super::iri::Iris>>,
}

impl<R> Frames<R> {
    pub fn new(inner: R) -> Self {
        Self {
            inner,
            buf: Vec::new(),
            out: Vec::new(),
            out_pos: 0,
            body: None,
            skip: 0,
            in_garbage: false,
            eof: false,
            on_end: None,
            iris: None,
        }
    }

    /// Notifies `ended` once the input has ended.
    /// Encodes the URIs the client sends unencoded, remembering them in `iris`.
    pub fn encoding_uris(mut self, iris: Arc<super::iri::Iris>) -> Self {
        self.iris = Some(iris);
        self
    }

    pub fn on_end(mut self, ended: Arc<Notify>) -> Self {
        self.on_end = Some(ended);
        self
    }

    /// Moves every complete frame of `buf` to `out`.
    fn frame(&mut self) {
        loop {
            if self.skip > 0 {
                let n = self.skip.min(self.buf.len());
                self.buf.drain(..n);
                self.skip -= n;
                if self.skip > 0 {
                    return;
                }
            }
            if let Some(len) = self.body {
                if self.buf.len() < len {
                    return;
                }
                let body: Vec<u8> = self.buf.drain(..len).collect();
                self.body = None;
                self.message(&body);
                continue;
            }
            // Blank lines between frames are tolerated.
            let blank = self
                .buf
                .iter()
                .take_while(|&&b| b == b'\r' || b == b'\n')
                .count();
            self.buf.drain(..blank);
            if self.buf.is_empty() {
                return;
            }
            let Some(end) = find(&self.buf, b"\r\n\r\n") else {
                if self.buf.len() > MAX_HEADER {
                    self.garbage("帧头过长或缺少结尾的空行");
                    // Keep what may be the start of the next header.
                    let keep = find_header_name(&self.buf[1..])
                        .map_or(self.buf.len().saturating_sub(16), |i| i + 1);
                    self.buf.drain(..keep);
                }
                return;
            };
            let header = if end > MAX_HEADER {
                Header::Invalid("帧头过长")
            } else {
                parse_header(&self.buf[..end])
            };
            match header {
                Header::Length { len, junk } => {
                    self.buf.drain(..end + 4);
                    if junk {
                        self.garbage("帧头中有无法解析的内容");
                    }
                    self.in_garbage = false;
                    if len > MAX_BODY {
                        self.malformed(
                            Value::Null,
                            INVALID_REQUEST,
                            format!("消息过长（{len} 字节，上限 {MAX_BODY} 字节），已跳过"),
                        );
                        self.skip = len;
                    } else if len > 0 {
                        self.body = Some(len);
                    }
                }
                Header::Invalid(reason) => {
                    self.garbage(reason);
                    // Resynchronise on a `Content-Length` inside the block, if any.
                    let next = find_header_name(&self.buf[1..end]).map_or(end + 4, |i| i + 1);
                    self.buf.drain(..next);
                }
            }
        }
    }

    /// Reports a run of garbage once.
    fn garbage(&mut self, reason: &str) {
        if !self.in_garbage {
            self.in_garbage = true;
            self.malformed(Value::Null, PARSE_ERROR, reason.to_string());
        }
    }

    /// One body: passed on when `tower-lsp-server` can decode it, else replaced.
    fn message(&mut self, body: &[u8]) {
        let rewritten = self
            .iris
            .as_deref()
            .and_then(|iris| super::iri::encode_incoming(body, iris));
        let body = rewritten.as_deref().unwrap_or(body);
        if serde_json::from_slice::<Message>(body).is_ok() {
            self.emit(body);
            return;
        }
        let (id, code, reason) = match std::str::from_utf8(body) {
            Err(e) => (Value::Null, PARSE_ERROR, format!("消息不是 UTF-8（{e}）")),
            Ok(text) => match serde_json::from_str::<Value>(text) {
                Err(e) => (Value::Null, PARSE_ERROR, format!("消息不是 JSON（{e}）")),
                Ok(value) => (
                    request_id(&value),
                    INVALID_REQUEST,
                    "消息不是 JSON-RPC 2.0 请求、通知或响应".to_string(),
                ),
            },
        };
        self.malformed(id, code, reason);
    }

    fn malformed(&mut self, id: Value, code: i64, reason: String) {
        let note = json!({
            "jsonrpc": "2.0",
            "method": MALFORMED,
            "params": {"id": id, "code": code, "reason": reason},
        });
        self.emit(note.to_string().as_bytes());
    }

    fn emit(&mut self, body: &[u8]) {
        self.out
            .extend_from_slice(format!("Content-Length: {}\r\n\r\n", body.len()).as_bytes());
        self.out.extend_from_slice(body);
    }
}

/// The id to answer a malformed request with: its own when it has a method and a usable id
/// (a malformed *response* is never answered with its id, which is one of the server's).
fn request_id(value: &Value) -> Value {
    let Some(object) = value.as_object() else {
        return Value::Null;
    };
    if !object.contains_key("method") {
        return Value::Null;
    }
    match object.get("id") {
        Some(id) if serde_json::from_value::<Id>(id.clone()).is_ok() => id.clone(),
        _ => Value::Null,
    }
}

pub(super) enum Header {
    /// `junk`: lines other than `Name: value` came before (the tail of a mis-sized frame).
    Length {
        len: usize,
        junk: bool,
    },
    Invalid(&'static str),
}

/// Reads a header block (without its final blank line): the last `Content-Length` wins, other
/// well-formed headers (`Content-Type`) are ignored.
pub(super) fn parse_header(block: &[u8]) -> Header {
    let mut len = None;
    let mut bad_length = false;
    let mut junk = false;
    for line in block.split(|&b| b == b'\n') {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        let line: Cow<'_, str> = String::from_utf8_lossy(line);
        match line.split_once(':') {
            Some((name, value)) if is_token(name) => {
                if name.eq_ignore_ascii_case("Content-Length") {
                    match value.trim().parse::<usize>() {
                        Ok(n) => {
                            len = Some(n);
                            bad_length = false;
                        }
                        Err(_) => bad_length = true,
                    }
                }
            }
            _ => junk = true,
        }
    }
    match len {
        _ if bad_length => Header::Invalid("Content-Length 不是长度"),
        Some(len) => Header::Length { len, junk },
        None => Header::Invalid("帧头缺少 Content-Length"),
    }
}

fn is_token(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

/// Where `Content-Length` starts (in any case), to resynchronise after garbage.
fn find_header_name(haystack: &[u8]) -> Option<usize> {
    const NAME: &[u8] = b"content-length";
    haystack
        .windows(NAME.len())
        .position(|w| w.eq_ignore_ascii_case(NAME))
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

impl<R: AsyncRead + Unpin> AsyncRead for Frames<R> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = &mut *self;
        loop {
            if this.out_pos < this.out.len() {
                let n = buf.remaining().min(this.out.len() - this.out_pos);
                buf.put_slice(&this.out[this.out_pos..this.out_pos + n]);
                this.out_pos += n;
                if this.out_pos == this.out.len() {
                    this.out.clear();
                    this.out_pos = 0;
                }
                return Poll::Ready(Ok(()));
            }
            if this.eof {
                // A frame cut off by the end of the input is dropped with the session.
                return Poll::Ready(Ok(()));
            }
            let mut chunk = [0u8; 16 * 1024];
            let mut read = ReadBuf::new(&mut chunk);
            match Pin::new(&mut this.inner).poll_read(cx, &mut read) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(Err(e)) => return Poll::Ready(Err(e)),
                Poll::Ready(Ok(())) => {
                    let filled = read.filled();
                    if filled.is_empty() {
                        this.eof = true;
                        if let Some(ended) = &this.on_end {
                            ended.notify_one();
                        }
                    } else {
                        this.buf.extend_from_slice(filled);
                        this.frame();
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(body: &str) -> String {
        format!("Content-Length: {}\r\n\r\n{body}", body.len())
    }

    /// The bodies `Frames` hands on for `input`.
    fn bodies(input: &[u8]) -> Vec<Value> {
        let mut f = Frames::new(&b""[..]);
        f.buf.extend_from_slice(input);
        f.frame();
        let mut out = Vec::new();
        let mut rest = &f.out[..];
        while !rest.is_empty() {
            let Some(end) = find(rest, b"\r\n\r\n") else {
                panic!("unframed output {rest:?}")
            };
            let header = std::str::from_utf8(&rest[..end]).unwrap_or_default();
            let len: usize = header
                .trim_start_matches("Content-Length: ")
                .parse()
                .unwrap_or_default();
            let body = &rest[end + 4..end + 4 + len];
            out.push(serde_json::from_slice(body).unwrap_or_default());
            rest = &rest[end + 4 + len..];
        }
        out
    }

    #[test]
    fn well_formed_frames_pass_unchanged() {
        let a = r#"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{}}"#;
        let b = r#"{"jsonrpc":"2.0","method":"initialized"}"#;
        let input = format!(
            "{}Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n{}",
            frame(a),
            frame(b)
        );
        let out = bodies(input.as_bytes());
        assert_eq!(out.len(), 2);
        assert_eq!(out[0]["method"], "initialize");
        assert_eq!(out[1]["method"], "initialized");
    }

    #[test]
    fn malformed_bodies_become_notes_with_the_right_code_and_id() {
        let input = [
            frame("{\"not json"),
            frame(r#"{"jsonrpc":"1.0","id":7,"method":"hover"}"#),
            frame(r#"{"jsonrpc":"2.0","id":true,"method":"hover"}"#),
            frame("[1,2]"),
            frame(r#"{"jsonrpc":"2.0","id":3,"method":"shutdown"}"#),
        ]
        .concat();
        let mut input = input.into_bytes();
        input.extend_from_slice(b"Content-Length: 2\r\n\r\n\xff\xfe");
        let out = bodies(&input);
        let codes: Vec<(Value, Value)> = out
            .iter()
            .map(|v| (v["params"]["code"].clone(), v["params"]["id"].clone()))
            .collect();
        assert_eq!(
            codes,
            vec![
                (json!(PARSE_ERROR), Value::Null),
                (json!(INVALID_REQUEST), json!(7)),
                (json!(INVALID_REQUEST), Value::Null),
                (json!(INVALID_REQUEST), Value::Null),
                (Value::Null, Value::Null),
                (json!(PARSE_ERROR), Value::Null),
            ]
        );
        assert_eq!(out[4]["method"], "shutdown");
        assert!(out[..4].iter().all(|v| v["method"] == MALFORMED));
    }

    #[test]
    fn garbage_is_reported_once_and_the_next_frame_still_read() {
        let ok = r#"{"jsonrpc":"2.0","id":1,"method":"shutdown"}"#;
        // A header without Content-Length, a mis-sized frame, a long run of garbage.
        let mut input = b"X-Nothing: 1\r\n\r\n".to_vec();
        input.extend_from_slice(frame(ok).as_bytes());
        input.extend_from_slice(b"Content-Length: 5\r\n\r\n{\"jsonrpc\":\"2.0\"}\r\n");
        input.extend_from_slice(frame(ok).as_bytes());
        input.extend(std::iter::repeat_n(b'x', 3 * MAX_HEADER));
        input.extend_from_slice(frame(ok).to_lowercase().as_bytes());
        let out = bodies(&input);
        let methods: Vec<&str> = out
            .iter()
            .map(|v| v["method"].as_str().unwrap_or(""))
            .collect();
        assert_eq!(
            methods,
            [
                MALFORMED, "shutdown", MALFORMED, MALFORMED, "shutdown", MALFORMED, "shutdown"
            ]
        );
    }

    #[test]
    fn an_over_long_body_is_skipped_not_buffered() {
        let mut f = Frames::new(&b""[..]);
        f.buf
            .extend_from_slice(format!("Content-Length: {}\r\n\r\n", MAX_BODY + 1).as_bytes());
        f.frame();
        assert_eq!(f.skip, MAX_BODY + 1);
        f.buf.extend(std::iter::repeat_n(b' ', 1 << 20));
        f.frame();
        assert!(f.buf.is_empty());
        assert_eq!(f.skip, MAX_BODY + 1 - (1 << 20));
        // A length that does not fit: the header is rejected, nothing waits for it.
        assert!(matches!(
            parse_header(b"Content-Length: 99999999999999999999999"),
            Header::Invalid(_)
        ));
    }

    /// Collects what the server writes.
    #[derive(Clone, Default)]
    struct Sink(Arc<std::sync::Mutex<Vec<u8>>>);

    impl tokio::io::AsyncWrite for Sink {
        fn poll_write(
            self: Pin<&mut Self>,
            _: &mut Context<'_>,
            buf: &[u8],
        ) -> Poll<io::Result<usize>> {
            if let Ok(mut v) = self.0.lock() {
                v.extend_from_slice(buf);
            }
            Poll::Ready(Ok(buf.len()))
        }
        fn poll_flush(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<io::Result<()>> {
            Poll::Ready(Ok(()))
        }
        fn poll_shutdown(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<io::Result<()>> {
            Poll::Ready(Ok(()))
        }
    }

    /// The client's messages, one per read, 100 ms apart (time for the server to answer).
    struct Paced {
        frames: std::collections::VecDeque<Vec<u8>>,
        pause: Option<Pin<Box<tokio::time::Sleep>>>,
    }

    impl AsyncRead for Paced {
        fn poll_read(
            mut self: Pin<&mut Self>,
            cx: &mut Context<'_>,
            buf: &mut ReadBuf<'_>,
        ) -> Poll<io::Result<()>> {
            let pause = self.pause.get_or_insert_with(|| {
                Box::pin(tokio::time::sleep(std::time::Duration::from_millis(100)))
            });
            if pause.as_mut().poll(cx).is_pending() {
                return Poll::Pending;
            }
            self.pause = None;
            if let Some(frame) = self.frames.pop_front() {
                buf.put_slice(&frame);
            }
            Poll::Ready(Ok(()))
        }
    }

    /// Runs a whole session, one message every 100 ms; the server's output and how long the
    /// session lasted after the input ended.
    fn session(messages: &[String]) -> (String, std::time::Duration) {
        let Ok(runtime) = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
        else {
            panic!("runtime")
        };
        let sink = Sink::default();
        let input = Paced {
            frames: messages.iter().map(|m| m.as_bytes().to_vec()).collect(),
            pause: None,
        };
        let started = std::time::Instant::now();
        runtime.block_on(crate::lsp::serve(input, sink.clone()));
        let took = started
            .elapsed()
            .saturating_sub(std::time::Duration::from_millis(100) * (messages.len() as u32 + 1));
        let out = sink.0.lock().map(|v| v.clone()).unwrap_or_default();
        (String::from_utf8_lossy(&out).into_owned(), took)
    }

    /// Regression: a body that was not JSON ended the session (`tower-lsp-server` stops reading
    /// at its first decoding error), so nothing after it was answered.
    #[test]
    fn the_session_goes_on_after_a_malformed_message() {
        let messages = [
            frame("{\"this is not json"),
            frame(r#"{"jsonrpc":"2.0","id":2,"method":"textDocument/hover","params":5}"#),
            "Content-Length: 3\r\nContent-Type: text/plain; charset=latin1\r\n\r\n[1]".to_string(),
            frame(r#"{"jsonrpc":"2.0","id":3,"method":"initialize","params":{"capabilities":{}}}"#),
            frame(r#"{"jsonrpc":"2.0","id":4,"method":"shutdown"}"#),
            frame(r#"{"jsonrpc":"2.0","method":"exit"}"#),
        ];
        let (out, _) = session(&messages);
        for needle in [
            r#""code":-32700"#,
            r#""code":-32600"#,
            r#""code":-32002"#,
            r#""id":2"#,
            r#""id":3"#,
            r#""result":null,"id":4"#,
            "收到无法解析的消息",
        ] {
            assert!(out.contains(needle), "{needle} in {out}");
        }
    }

    /// Regression: when the input ended while a handler waited for the client's answer to
    /// `workspace/configuration`, the server never exited.
    #[test]
    fn the_session_ends_with_the_input_even_if_the_client_owes_an_answer() {
        let caps = r#"{"workspace":{"configuration":true,"didChangeConfiguration":{"dynamicRegistration":true}}}"#;
        let messages = [
            frame(&format!(
                r#"{{"jsonrpc":"2.0","id":1,"method":"initialize","params":{{"capabilities":{caps}}}}}"#
            )),
            frame(r#"{"jsonrpc":"2.0","method":"initialized","params":{}}"#),
        ];
        let (out, took) = session(&messages);
        assert!(out.contains("workspace/configuration"), "{out}");
        assert!(took < std::time::Duration::from_secs(5), "{took:?}");
    }
}
