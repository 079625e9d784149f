//! The server's output: one writer task for two sources of frames, each source's in the order
//! it sends them (between the two, in the order they reach the channel: LSP orders neither a
//! server's requests against its notifications nor notifications against responses).
//!
//! - `tower-lsp-server` writes responses, its requests (refresh) and its own notifications to a
//!   [`FrameSink`], which cuts the byte stream into whole frames and hands them on.
//! - The forwarder (`server::forward`) writes the notifications of the documents thread —
//!   `publishDiagnostics`, log and show messages — as frames of its own ([`notification`]),
//!   serialised straight from their types. Through `Client`, `tower-lsp-server` would first build
//!   a `serde_json::Value` of every notification, write that and drop it: for the 843 diagnostics
//!   of a 1 MB report, ≈ 60 M instructions per keystroke, most of the keystroke's cost.
//!   `publishDiagnostics` arrives as each diagnostic's JSON, mostly kept from the keystroke before
//!   (`super::published`), and is joined here ([`publish_diagnostics`]).
//!
//! The writer ([`write`]) writes every frame with the URIs the client sent unencoded written back
//! as it sent them ([`super::iri`]). Memory stays bounded: the channel holds at most [`DEPTH`]
//! frames, and a full channel makes both sources wait (a client that reads slowly slows the
//! server down rather than letting it buffer without end).

use std::collections::VecDeque;
use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use serde::Serialize;
use tokio::io::{AsyncWrite, AsyncWriteExt};
use tokio::sync::mpsc;
use tokio_util::sync::PollSender;

use super::framing::{Header, parse_header};
use super::iri::{Iris, restore};

/// How many frames may wait for the writer.
pub const DEPTH: usize = 16;

/// What the writer writes: the body of a frame (it writes the header), or bytes that were no
/// frame, passed on as they came.
#[derive(Debug, PartialEq, Eq)]
pub enum Frame {
    Body(Vec<u8>),
    Raw(Vec<u8>),
}

/// The sending side, for the forwarder.
pub type Outbox = mpsc::Sender<Frame>;

/// The channel between the sources and the writer.
pub fn channel() -> (Outbox, mpsc::Receiver<Frame>) {
    mpsc::channel(DEPTH)
}

/// `{"jsonrpc":"2.0","method":…,"params":…}` as the body of a frame, serialised from its type.
pub fn notification<P: Serialize>(method: &str, params: &P) -> serde_json::Result<Vec<u8>> {
    #[derive(Serialize)]
    struct Notification<'a, P> {
        jsonrpc: &'static str,
        method: &'a str,
        params: &'a P,
    }
    serde_json::to_vec(&Notification {
        jsonrpc: "2.0",
        method,
        params,
    })
}

/// The body of a `textDocument/publishDiagnostics` notification from each diagnostic's JSON (kept
/// between keystrokes, see `published`): the bytes [`notification`] gives for
/// `PublishDiagnosticsParams { uri, diagnostics, version }`.
pub fn publish_diagnostics(
    uri: &tower_lsp_server::ls_types::Uri,
    version: Option<i32>,
    diagnostics: &[Arc<str>],
) -> serde_json::Result<Vec<u8>> {
    let size: usize = diagnostics.iter().map(|d| d.len() + 1).sum();
    let mut body = Vec::with_capacity(size + uri.as_str().len() + 128);
    body.extend_from_slice(
        br#"{"jsonrpc":"2.0","method":"textDocument/publishDiagnostics","params":{"uri":"#,
    );
    serde_json::to_writer(&mut body, uri)?;
    body.extend_from_slice(br#","diagnostics":["#);
    for (i, d) in diagnostics.iter().enumerate() {
        if i > 0 {
            body.push(b',');
        }
        body.extend_from_slice(d.as_bytes());
    }
    body.push(b']');
    if let Some(version) = version {
        body.extend_from_slice(br#","version":"#);
        serde_json::to_writer(&mut body, &version)?;
    }
    body.extend_from_slice(b"}}");
    Ok(body)
}

/// Writes every frame received to `out` until every sender is gone, then flushes. Frames that
/// arrive together are written before one flush.
pub async fn write<O: AsyncWrite + Unpin>(
    mut frames: mpsc::Receiver<Frame>,
    mut out: O,
    iris: Arc<Iris>,
) -> io::Result<()> {
    while let Some(frame) = frames.recv().await {
        write_frame(&mut out, frame, &iris).await?;
        while let Ok(frame) = frames.try_recv() {
            write_frame(&mut out, frame, &iris).await?;
        }
        out.flush().await?;
    }
    out.flush().await
}

async fn write_frame<O: AsyncWrite + Unpin>(
    out: &mut O,
    frame: Frame,
    iris: &Iris,
) -> io::Result<()> {
    match frame {
        Frame::Body(body) => {
            let pairs = iris.pairs();
            let body = if pairs.is_empty() {
                body
            } else {
                restore(&body, &pairs).unwrap_or(body)
            };
            // One write for the frame: the output may be unbuffered (`super::stdio`), and a client
            // woken for a header alone would only wait again.
            let header = format!("Content-Length: {}\r\n\r\n", body.len());
            let mut frame = Vec::with_capacity(header.len() + body.len());
            frame.extend_from_slice(header.as_bytes());
            frame.extend_from_slice(&body);
            out.write_all(&frame).await
        }
        Frame::Raw(bytes) => out.write_all(&bytes).await,
    }
}

/// The output `tower-lsp-server` writes to: whole frames go on to the writer. A flush returns
/// when every whole frame written so far is in the channel.
pub struct FrameSink {
    /// Bytes written to us, not yet a whole frame.
    pending: Vec<u8>,
    /// Whole frames waiting for room in the channel.
    queue: VecDeque<Frame>,
    tx: PollSender<Frame>,
}

impl FrameSink {
    pub fn new(tx: Outbox) -> Self {
        Self {
            pending: Vec::new(),
            queue: VecDeque::new(),
            tx: PollSender::new(tx),
        }
    }

    /// Moves the whole frames of `pending` to `queue`.
    fn cut(&mut self) {
        while let Some((frame, used)) = cut_frame(&self.pending) {
            self.queue.push_back(frame);
            self.pending.drain(..used);
        }
    }

    /// Hands the queued frames to the channel; `Pending` while it is full.
    fn poll_hand_on(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        while !self.queue.is_empty() {
            match self.tx.poll_reserve(cx) {
                Poll::Ready(Ok(())) => {
                    if let Some(frame) = self.queue.pop_front()
                        && self.tx.send_item(frame).is_err()
                    {
                        return Poll::Ready(Err(io::ErrorKind::BrokenPipe.into()));
                    }
                }
                Poll::Ready(Err(_)) => return Poll::Ready(Err(io::ErrorKind::BrokenPipe.into())),
                Poll::Pending => return Poll::Pending,
            }
        }
        Poll::Ready(Ok(()))
    }
}

/// The first whole frame of `bytes` and how many bytes it took; `None` until one is whole. Bytes
/// with no `Content-Length` header before the blank line (read as the client's are,
/// [`parse_header`]) are passed on raw: not ours to judge.
fn cut_frame(bytes: &[u8]) -> Option<(Frame, usize)> {
    let end = bytes.windows(4).position(|w| w == b"\r\n\r\n")?;
    let start = end + 4;
    match parse_header(&bytes[..end]) {
        Header::Invalid(_) => Some((Frame::Raw(bytes[..start].to_vec()), start)),
        Header::Length { len: length, .. } => {
            let body = bytes.get(start..start.checked_add(length)?)?;
            Some((Frame::Body(body.to_vec()), start + length))
        }
    }
}

impl AsyncWrite for FrameSink {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        // Back pressure: take nothing more while earlier frames wait for room.
        match this.poll_hand_on(cx) {
            Poll::Ready(Ok(())) => {}
            other => return other.map(|r| r.map(|()| 0)),
        }
        this.pending.extend_from_slice(buf);
        this.cut();
        // Hand them on now if there is room; if not, the next write or flush waits.
        if let Poll::Ready(Err(e)) = this.poll_hand_on(cx) {
            return Poll::Ready(Err(e));
        }
        Poll::Ready(Ok(buf.len()))
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        self.get_mut().poll_hand_on(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        if !this.pending.is_empty() {
            let rest = std::mem::take(&mut this.pending);
            this.queue.push_back(Frame::Raw(rest));
        }
        match this.poll_hand_on(cx) {
            Poll::Ready(Ok(())) => {
                this.tx.close();
                Poll::Ready(Ok(()))
            }
            other => other,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    fn frame(body: &str) -> String {
        format!("Content-Length: {}\r\n\r\n{body}", body.len())
    }

    #[test]
    fn published_diagnostics_are_the_bytes_serde_gives() {
        use tower_lsp_server::ls_types::notification::{Notification, PublishDiagnostics};
        use tower_lsp_server::ls_types::{
            self as lsp, DiagnosticSeverity, NumberOrString, Position, PublishDiagnosticsParams,
            Range, Uri,
        };
        let uri: Uri = "file:///tmp/%E5%B9%B4%E6%8A%A5%20a.txt"
            .parse()
            .expect("uri");
        let d = |line, message: &str| lsp::Diagnostic {
            range: Range::new(Position::new(line, 1), Position::new(line, 3)),
            severity: Some(DiagnosticSeverity::ERROR),
            code: Some(NumberOrString::String("sum-mismatch".to_string())),
            source: Some("nianbao".to_string()),
            message: message.to_string(),
            ..Default::default()
        };
        for diagnostics in [
            vec![],
            vec![d(0, "总计\"应为\" 12\n")],
            vec![d(1, "a"), d(2, "b")],
        ] {
            for version in [None, Some(7), Some(-1)] {
                let pieces = crate::lsp::published::serialise(&diagnostics);
                let params =
                    PublishDiagnosticsParams::new(uri.clone(), diagnostics.clone(), version);
                assert_eq!(
                    publish_diagnostics(&uri, version, &pieces).expect("body"),
                    notification(PublishDiagnostics::METHOD, &params).expect("body")
                );
            }
        }
    }

    #[test]
    fn frames_are_cut_whole_across_writes() {
        let body = r#"{"jsonrpc":"2.0","id":1,"result":"年报"}"#;
        let stream = format!("{}{}", frame(body), frame("{}"));
        let mut sink = FrameSink::new(channel().0);
        for chunk in stream.as_bytes().chunks(7) {
            sink.pending.extend_from_slice(chunk);
            sink.cut();
        }
        let frames: Vec<Frame> = sink.queue.drain(..).collect();
        assert_eq!(
            frames,
            vec![
                Frame::Body(body.as_bytes().to_vec()),
                Frame::Body(b"{}".to_vec())
            ]
        );
        assert!(sink.pending.is_empty());
    }

    #[test]
    fn bytes_without_a_length_pass_raw() {
        let (frame, used) = cut_frame(b"X-Other: 1\r\n\r\nrest").expect("cut");
        assert_eq!(frame, Frame::Raw(b"X-Other: 1\r\n\r\n".to_vec()));
        assert_eq!(used, 14);
        assert_eq!(cut_frame(b"Content-Length: 10\r\n\r\n{}"), None);
    }

    #[test]
    fn a_notification_is_the_json_rpc_message_of_its_params() {
        let body = notification(
            "window/logMessage",
            &serde_json::json!({"type": 3, "message": "年报"}),
        )
        .expect("json");
        let value: Value = serde_json::from_slice(&body).expect("json");
        assert_eq!(
            value,
            serde_json::json!({"jsonrpc": "2.0", "method": "window/logMessage", "params": {"type": 3, "message": "年报"}})
        );
    }

    /// Both sources through the writer: everything arrives, in the order sent, each URI the
    /// client sent unencoded written back as it was sent, and the writer ends with its senders.
    #[tokio::test]
    async fn the_writer_writes_both_sources_in_order_and_restores_uris() {
        let iris = Arc::new(Iris::default());
        iris.remember("file:///%E5%B9%B4.txt", "file:///年.txt");
        let (tx, rx) = channel();
        let mut sink = FrameSink::new(tx.clone());
        let (out, mut read) = tokio::io::duplex(1 << 16);
        let writer = tokio::spawn(write(rx, out, iris));
        sink.write_all(frame(r#"{"id":1}"#).as_bytes())
            .await
            .expect("write");
        sink.flush().await.expect("flush");
        let publish =
            notification("p", &serde_json::json!({"uri": "file:///%E5%B9%B4.txt"})).expect("json");
        tx.send(Frame::Body(publish)).await.expect("send");
        sink.write_all(frame(r#"{"id":2}"#).as_bytes())
            .await
            .expect("write");
        sink.shutdown().await.expect("shutdown");
        drop((sink, tx));
        writer.await.expect("join").expect("written");
        let mut written = String::new();
        tokio::io::AsyncReadExt::read_to_string(&mut read, &mut written)
            .await
            .expect("read");
        let restored = r#"{"jsonrpc":"2.0","method":"p","params":{"uri":"file:///年.txt"}}"#;
        assert_eq!(
            written,
            format!(
                "{}{}{}",
                frame(r#"{"id":1}"#),
                frame(restored),
                frame(r#"{"id":2}"#)
            )
        );
    }
}
