//! `nianbao lsp` over each kind of standard input and output an editor or a script gives it: one
//! socket pair each (Neovim and VS Code, through libuv), pipes (most others), a session read
//! from a file, and standard error joined to standard output. Pipes and sockets are polled
//! without blocking (`lsp/stdio.rs`); the server must serve the session the same way over each,
//! and leave the descriptors blocking, as it found them, for whoever shares them.
#![cfg(unix)]

use std::error::Error;
use std::io::Write;
use std::os::fd::{AsRawFd, OwnedFd};
use std::os::unix::net::UnixStream;
use std::process::{Command, Stdio};
use std::sync::mpsc::Receiver;
use std::time::Duration;

use serde_json::{Value, json};

mod common;

type Res<T> = Result<T, Box<dyn Error>>;

const TIMEOUT: Duration = Duration::from_secs(60);
const URI: &str = "file:///%E6%8A%A5%E5%91%8A/report.txt";

/// A report whose table 3 does not add up, so that the diagnostics say something.
fn report() -> Res<String> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples");
    let mut files: Vec<_> = std::fs::read_dir(&path)?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    files.sort();
    let first = files.first().ok_or("no example report")?;
    Ok(std::fs::read_to_string(first)?)
}

fn frame(value: &Value) -> Vec<u8> {
    common::frame(value.to_string().as_bytes())
}

/// The first message that satisfies `pred`.
fn wait_for(rx: &Receiver<Value>, what: &str, pred: impl Fn(&Value) -> bool) -> Res<Value> {
    loop {
        let message = rx
            .recv_timeout(TIMEOUT)
            .map_err(|e| format!("waiting for {what}: {e}"))?;
        if pred(&message) {
            return Ok(message);
        }
    }
}

fn answer(rx: &Receiver<Value>, id: i64) -> Res<Value> {
    wait_for(rx, &format!("the answer to request {id}"), |m| {
        m["id"] == json!(id) && m.get("method").is_none()
    })
}

/// A session as an editor drives it: initialize, open the report, a keystroke (its diagnostics
/// published for the new version), shutdown, exit; `meanwhile` runs while the server serves.
fn drive(
    mut to_server: impl Write,
    from_server: &Receiver<Value>,
    meanwhile: impl Fn() -> Res<()>,
) -> Res<()> {
    let text = report()?;
    let mut send = |value: Value| to_server.write_all(&frame(&value));
    send(
        json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"processId": null, "capabilities": {}}}),
    )?;
    assert!(answer(from_server, 1)?["result"]["capabilities"].is_object());
    send(json!({"jsonrpc": "2.0", "method": "initialized", "params": {}}))?;
    send(
        json!({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {"uri": URI, "languageId": "nianbao", "version": 1, "text": text}}}),
    )?;
    send(
        json!({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {"textDocument": {"uri": URI, "version": 2}, "contentChanges": [{"range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}}, "text": "　"}]}}),
    )?;
    let published = wait_for(from_server, "the keystroke's diagnostics", |m| {
        m["method"] == "textDocument/publishDiagnostics" && m["params"]["version"] == 2
    })?;
    assert_eq!(published["params"]["uri"], URI);
    let diagnostics = published["params"]["diagnostics"]
        .as_array()
        .ok_or("no diagnostics array")?;
    assert!(!diagnostics.is_empty(), "the example report has errors");
    meanwhile()?;
    send(json!({"jsonrpc": "2.0", "id": 2, "method": "shutdown", "params": null}))?;
    assert!(answer(from_server, 2)?["result"].is_null());
    send(json!({"jsonrpc": "2.0", "method": "exit", "params": null}))?;
    Ok(())
}

fn nonblocking(fd: &impl AsRawFd) -> bool {
    // SAFETY: F_GETFL reads the flags of a descriptor we hold.
    let flags = unsafe { libc::fcntl(fd.as_raw_fd(), libc::F_GETFL) };
    flags >= 0 && flags & libc::O_NONBLOCK != 0
}

/// Standard input and output each one end of a socket pair, as libuv gives them.
#[test]
fn over_socket_pairs() -> Res<()> {
    let (to_server, server_in) = UnixStream::pair()?;
    let (from_server, server_out) = UnixStream::pair()?;
    // Copies of the server's ends, sharing their flags: blocking before and after.
    let kept_in = server_in.try_clone()?;
    let kept_out = server_out.try_clone()?;
    let mut child = Command::new(common::BIN)
        .args(["lsp", "--stdio"])
        .stdin(Stdio::from(OwnedFd::from(server_in)))
        .stdout(Stdio::from(OwnedFd::from(server_out)))
        .stderr(Stdio::null())
        .spawn()?;
    let rx = common::read_messages(from_server);
    let polled = || {
        assert!(nonblocking(&kept_in) && nonblocking(&kept_out));
        Ok(())
    };
    drive(&to_server, &rx, polled)?;
    let status = child.wait()?;
    assert_eq!(status.code(), Some(0));
    assert!(
        !nonblocking(&kept_in) && !nonblocking(&kept_out),
        "the server left its standard input or output non-blocking"
    );
    Ok(())
}

/// Pipes, with standard error joined to standard output (`2>&1`): standard output then stays
/// blocking, as standard error must.
#[test]
fn over_pipes_with_stderr_joined() -> Res<()> {
    let (reader, writer) = std::io::pipe()?;
    let joined = writer.try_clone()?;
    let kept = writer.try_clone()?;
    let mut child = Command::new(common::BIN)
        .args(["lsp", "--stdio"])
        .stdin(Stdio::piped())
        .stdout(Stdio::from(writer))
        .stderr(Stdio::from(joined))
        .spawn()?;
    let stdin = child.stdin.take().ok_or("no stdin")?;
    let rx = common::read_messages(reader);
    let blocking = || {
        assert!(!nonblocking(&kept), "standard error was made non-blocking");
        Ok(())
    };
    drive(stdin, &rx, blocking)?;
    assert_eq!(child.wait()?.code(), Some(0));
    Ok(())
}

/// Standard input a regular file (no poller takes one): tokio's blocking reader serves it. The
/// file holds only `initialize` — a client must wait for its answer before it sends more — so
/// the session ends with the input, exit status 1.
#[test]
fn from_a_file() -> Res<()> {
    let mut file = tempfile::NamedTempFile::new()?;
    file.write_all(&frame(&json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"processId": null, "capabilities": {}}})))?;
    let output = Command::new(common::BIN)
        .args(["lsp", "--stdio"])
        .stdin(Stdio::from(file.reopen()?))
        .stderr(Stdio::null())
        .output()?;
    assert_eq!(output.status.code(), Some(1));
    let rx = common::read_messages(std::io::Cursor::new(output.stdout));
    assert!(answer(&rx, 1)?["result"]["capabilities"].is_object());
    Ok(())
}
