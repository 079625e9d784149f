//! Document URIs as clients write them. A hand-written client or script may send
//! `file:///…/2020年政府信息公开工作年度报告.txt` with the Chinese name unencoded (an IRI), which
//! the LSP types refuse to parse: the document would be ignored. So every `uri` the client
//! sends is percent-encoded on the way in when it needs to be ([`encode_incoming`]), the pair
//! is remembered, and everything the server writes back carries the string the client sent
//! ([`Restore`]): diagnostics are published under exactly that URI.

use std::collections::HashMap;
use std::io;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};

use serde_json::Value;
use tokio::io::AsyncWrite;

/// Encoded URI → the string the client sent.
#[derive(Default)]
pub struct Iris {
    map: Mutex<HashMap<String, String>>,
}

impl Iris {
    fn remember(&self, encoded: &str, original: &str) {
        if let Ok(mut map) = self.map.lock() {
            map.insert(encoded.to_owned(), original.to_owned());
        }
    }

    /// `(encoded, original)` of every URI rewritten so far.
    fn pairs(&self) -> Vec<(String, String)> {
        self.map
            .lock()
            .map(|m| m.iter().map(|(a, b)| (a.clone(), b.clone())).collect())
            .unwrap_or_default()
    }
}

/// `uri` percent-encoded where it holds what a URI may not (non-ASCII, spaces, quotes…);
/// `None` when it is a URI already. A `%` is left as it is: the name may be encoded in part.
pub fn encode(uri: &str) -> Option<String> {
    let needs = |b: u8| {
        !b.is_ascii()
            || b <= b' '
            || matches!(
                b,
                b'"' | b'<' | b'>' | b'\\' | b'^' | b'`' | b'{' | b'|' | b'}' | 0x7f
            )
    };
    if !uri.bytes().any(needs) {
        return None;
    }
    let mut out = String::with_capacity(uri.len() * 3);
    for b in uri.bytes() {
        if needs(b) {
            out.push_str(&format!("%{b:02X}"));
        } else {
            out.push(char::from(b));
        }
    }
    Some(out)
}

/// The body with every `uri` string it holds encoded where needed, remembered in `iris`;
/// `None` when nothing needed it (the common case: answered without parsing the body twice).
pub fn encode_incoming(body: &[u8], iris: &Iris) -> Option<Vec<u8>> {
    if !has_raw_uri(body) {
        return None;
    }
    let mut value: Value = serde_json::from_slice(body).ok()?;
    let mut changed = false;
    walk(&mut value, iris, &mut changed);
    if !changed {
        return None;
    }
    serde_json::to_vec(&value).ok()
}

fn walk(value: &mut Value, iris: &Iris, changed: &mut bool) {
    match value {
        Value::Object(map) => {
            for (key, v) in map.iter_mut() {
                if key == "uri"
                    && let Value::String(s) = v
                    && let Some(encoded) = encode(s)
                {
                    iris.remember(&encoded, s);
                    *s = encoded;
                    *changed = true;
                } else {
                    walk(v, iris, changed);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|v| walk(v, iris, changed)),
        _ => {}
    }
}

/// A cheap look at the raw JSON: a `"uri"` key whose string value holds a byte that a URI may
/// not hold. (Report text is full of non-ASCII; a URI almost never is.)
fn has_raw_uri(body: &[u8]) -> bool {
    let mut rest = body;
    while let Some(at) = find(rest, b"\"uri\"") {
        rest = &rest[at + 5..];
        let mut i = 0;
        while i < rest.len() && matches!(rest[i], b' ' | b'\t' | b'\r' | b'\n' | b':') {
            i += 1;
        }
        if rest.get(i) != Some(&b'"') {
            continue;
        }
        i += 1;
        while i < rest.len() && rest[i] != b'"' {
            let b = rest[i];
            if b == b'\\' {
                return true; // an escape may stand for anything: look closer
            }
            if !b.is_ascii() || b == b' ' {
                return true;
            }
            i += 1;
        }
    }
    false
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// The body with every encoded URI the client did not send written back as it was sent.
fn restore(body: &[u8], pairs: &[(String, String)]) -> Option<Vec<u8>> {
    let mut out: Option<Vec<u8>> = None;
    for (encoded, original) in pairs {
        let quoted = format!("\"{encoded}\"");
        let current = out.as_deref().unwrap_or(body);
        if find(current, quoted.as_bytes()).is_none() {
            continue;
        }
        let Ok(replacement) = serde_json::to_string(original) else {
            continue;
        };
        let mut next = Vec::with_capacity(current.len() + 16);
        let mut rest = current;
        while let Some(at) = find(rest, quoted.as_bytes()) {
            next.extend_from_slice(&rest[..at]);
            next.extend_from_slice(replacement.as_bytes());
            rest = &rest[at + quoted.len()..];
        }
        next.extend_from_slice(rest);
        out = Some(next);
    }
    out
}

/// The server's output stream, with the URIs of [`Iris`] written as the client sent them.
/// Frames (`Content-Length` header and body) are rewritten whole; with nothing to restore, the
/// bytes pass as they are.
pub struct Restore<W> {
    inner: W,
    iris: Arc<Iris>,
    /// Bytes written to us, not yet a whole frame.
    pending: Vec<u8>,
    /// Frames ready for `inner`, from `ready_pos` on.
    ready: Vec<u8>,
    ready_pos: usize,
}

impl<W> Restore<W> {
    pub fn new(inner: W, iris: Arc<Iris>) -> Self {
        Self {
            inner,
            iris,
            pending: Vec::new(),
            ready: Vec::new(),
            ready_pos: 0,
        }
    }

    /// Moves the whole frames of `pending` to `ready`, restored.
    fn frames(&mut self) {
        let pairs = self.iris.pairs();
        loop {
            let Some(end) = find(&self.pending, b"\r\n\r\n") else {
                return;
            };
            let header = String::from_utf8_lossy(&self.pending[..end]).to_string();
            let length = header.lines().find_map(|l| {
                let (name, value) = l.split_once(':')?;
                name.trim()
                    .eq_ignore_ascii_case("content-length")
                    .then(|| value.trim().parse::<usize>().ok())
                    .flatten()
            });
            let Some(length) = length else {
                // Not ours to judge: pass the bytes on as they are.
                self.ready.append(&mut self.pending);
                return;
            };
            let start = end + 4;
            if self.pending.len() < start + length {
                return;
            }
            let body = &self.pending[start..start + length];
            match restore(body, &pairs) {
                Some(body) => {
                    self.ready.extend_from_slice(
                        format!("Content-Length: {}\r\n\r\n", body.len()).as_bytes(),
                    );
                    self.ready.extend_from_slice(&body);
                }
                None => self
                    .ready
                    .extend_from_slice(&self.pending[..start + length]),
            }
            self.pending.drain(..start + length);
        }
    }
}

impl<W: AsyncWrite + Unpin> Restore<W> {
    /// Writes `ready` to `inner` until it is all written or `inner` is not ready.
    fn drain(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        while self.ready_pos < self.ready.len() {
            let n = match Pin::new(&mut self.inner).poll_write(cx, &self.ready[self.ready_pos..]) {
                Poll::Ready(Ok(n)) => n,
                Poll::Ready(Err(e)) => return Poll::Ready(Err(e)),
                Poll::Pending => return Poll::Pending,
            };
            if n == 0 {
                return Poll::Ready(Err(io::ErrorKind::WriteZero.into()));
            }
            self.ready_pos += n;
        }
        self.ready.clear();
        self.ready_pos = 0;
        Poll::Ready(Ok(()))
    }
}

impl<W: AsyncWrite + Unpin> AsyncWrite for Restore<W> {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        // Back pressure: a slow client makes the server wait rather than buffer without end.
        if this.ready.len() - this.ready_pos > (1 << 20) {
            match this.drain(cx) {
                Poll::Ready(Ok(())) => {}
                Poll::Ready(Err(e)) => return Poll::Ready(Err(e)),
                Poll::Pending => return Poll::Pending,
            }
        }
        this.pending.extend_from_slice(buf);
        this.frames();
        Poll::Ready(Ok(buf.len()))
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        match this.drain(cx) {
            Poll::Ready(Ok(())) => Pin::new(&mut this.inner).poll_flush(cx),
            other => other,
        }
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        this.ready.append(&mut this.pending);
        match this.drain(cx) {
            Poll::Ready(Ok(())) => Pin::new(&mut this.inner).poll_shutdown(cx),
            other => other,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_what_a_uri_may_not_hold_is_encoded() {
        assert_eq!(encode("file:///work/a.txt"), None);
        assert_eq!(encode("file:///work/%E6%B7%AE.txt"), None);
        assert_eq!(
            encode("file:///work/淮安 报告.txt").as_deref(),
            Some("file:///work/%E6%B7%AE%E5%AE%89%20%E6%8A%A5%E5%91%8A.txt")
        );
    }

    #[test]
    fn incoming_uris_are_encoded_and_outgoing_ones_restored() {
        let iris = Iris::default();
        let body = r#"{"jsonrpc":"2.0","method":"textDocument/didOpen","params":{"textDocument":{"uri":"file:///w/年报.txt","languageId":"nianbao","version":1,"text":"一、总体情况"}}}"#;
        let encoded = encode_incoming(body.as_bytes(), &iris).expect("rewritten");
        let value: Value = serde_json::from_slice(&encoded).expect("json");
        assert_eq!(
            value["params"]["textDocument"]["uri"],
            "file:///w/%E5%B9%B4%E6%8A%A5.txt"
        );
        assert_eq!(value["params"]["textDocument"]["text"], "一、总体情况");
        // A URI already encoded, and report text that is not a URI, pass untouched.
        let plain = r#"{"jsonrpc":"2.0","method":"textDocument/didChange","params":{"textDocument":{"uri":"file:///w/a.txt","version":2},"contentChanges":[{"text":"二、\"uri\": 年报"}]}}"#;
        assert_eq!(encode_incoming(plain.as_bytes(), &iris), None);
        let out = r#"{"jsonrpc":"2.0","method":"textDocument/publishDiagnostics","params":{"uri":"file:///w/%E5%B9%B4%E6%8A%A5.txt","diagnostics":[]}}"#;
        let restored = restore(out.as_bytes(), &iris.pairs()).expect("restored");
        let value: Value = serde_json::from_slice(&restored).expect("json");
        assert_eq!(value["params"]["uri"], "file:///w/年报.txt");
    }

    #[test]
    fn frames_are_rewritten_whole_across_writes() {
        let iris = Arc::new(Iris::default());
        iris.remember("file:///%E5%B9%B4.txt", "file:///年.txt");
        let body = r#"{"uri":"file:///%E5%B9%B4.txt"}"#;
        let frame = format!("Content-Length: {}\r\n\r\n{body}", body.len());
        let mut out = Restore::new(Vec::<u8>::new(), iris);
        for chunk in frame.as_bytes().chunks(7) {
            out.pending.extend_from_slice(chunk);
            out.frames();
        }
        let written = String::from_utf8(out.ready.clone()).expect("utf-8");
        let restored = r#"{"uri":"file:///年.txt"}"#;
        assert_eq!(
            written,
            format!("Content-Length: {}\r\n\r\n{restored}", restored.len())
        );
    }
}
