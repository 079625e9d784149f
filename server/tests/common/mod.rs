//! What the end-to-end tests of the binary share: running it, and a temporary directory.
//! (`mod common;` in each test crate; not every crate uses every item.)
#![allow(dead_code)]

use std::error::Error;
use std::io::{BufRead, BufReader, Read, Write as _};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

use serde_json::Value;

pub const BIN: &str = env!("CARGO_BIN_EXE_nianbao");

/// How long a run of the binary may take before it is killed and the test fails (a hang).
pub const DEADLINE: Duration = Duration::from_secs(60);

/// What one run of the binary gave.
pub struct Run {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
    /// From the start to the exit of the process.
    pub took: Duration,
}

impl Run {
    /// Exit 0 or 1 (diagnostics or none), nothing on stderr that looks like a crash.
    pub fn assert_checked(&self, what: &str) {
        assert!(
            matches!(self.code, Some(0 | 1)),
            "{what}: exit {:?}\n{}",
            self.code,
            self.stderr
        );
        self.assert_no_panic(what);
    }

    /// Nothing on stderr that looks like a crash.
    pub fn assert_no_panic(&self, what: &str) {
        assert!(
            !self.stderr.contains("panicked") && !self.stderr.contains("RUST_BACKTRACE"),
            "{what}: {}",
            self.stderr
        );
    }

    /// Standard output as a JSON document.
    pub fn json(&self) -> Result<Value, Box<dyn Error>> {
        Ok(serde_json::from_str(&self.stdout)?)
    }
}

/// The binary with `args`, without colours: to be changed further, or run by [`run_command`].
pub fn command(args: &[&str]) -> Command {
    let mut command = Command::new(BIN);
    command.args(args).env("NO_COLOR", "1");
    command
}

/// Runs the binary with empty standard input and without colours, killing it after [`DEADLINE`].
pub fn run(args: &[&str]) -> Result<Run, Box<dyn Error>> {
    run_stdin(args, b"")
}

/// Runs the binary with `stdin` as its standard input and without colours, killing it after
/// [`DEADLINE`].
pub fn run_stdin(args: &[&str], stdin: &[u8]) -> Result<Run, Box<dyn Error>> {
    run_command(command(args), stdin, DEADLINE)
}

/// Runs `command` with `stdin` as its standard input, writing it and reading standard output and
/// error each on its own thread (so that no pipe fills up while another is waited on). A run
/// longer than `deadline` is killed and is an error naming the command (a hang).
pub fn run_command(
    mut command: Command,
    stdin: &[u8],
    deadline: Duration,
) -> Result<Run, Box<dyn Error>> {
    let name = Path::new(command.get_program())
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let args: Vec<String> = command
        .get_args()
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    let started = Instant::now();
    let mut child = command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()?;
    let mut input = child.stdin.take().ok_or("no stdin")?;
    let bytes = stdin.to_vec();
    let writer = std::thread::spawn(move || {
        let _ = input.write_all(&bytes);
    });
    let mut out = child.stdout.take().ok_or("no stdout")?;
    let mut err = child.stderr.take().ok_or("no stderr")?;
    let reader_out = std::thread::spawn(move || {
        let mut v = Vec::new();
        let _ = out.read_to_end(&mut v);
        v
    });
    let reader_err = std::thread::spawn(move || {
        let mut v = Vec::new();
        let _ = err.read_to_end(&mut v);
        v
    });
    let status = loop {
        if let Some(status) = child.try_wait()? {
            break status;
        }
        if started.elapsed() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            return Err(format!(
                "{name} {args:?} did not finish within {} s",
                deadline.as_secs()
            )
            .into());
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    let took = started.elapsed();
    let _ = writer.join();
    let stdout = reader_out.join().map_err(|_| "stdout reader panicked")?;
    let stderr = reader_err.join().map_err(|_| "stderr reader panicked")?;
    Ok(Run {
        code: status.code(),
        stdout: String::from_utf8(stdout)?,
        stderr: String::from_utf8(stderr)?,
        took,
    })
}

/// A fresh directory under the system temp dir; removed on drop, after giving back the
/// permissions a test took away inside it.
pub struct TempDir(pub PathBuf);

impl TempDir {
    /// `nianbao-{crate}-{pid}-{name}`: tests of different crates and processes never share one.
    pub fn new(name: &str) -> Result<Self, Box<dyn Error>> {
        let krate = env!("CARGO_CRATE_NAME");
        let path =
            std::env::temp_dir().join(format!("nianbao-{krate}-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(&path)?;
        Ok(Self(path))
    }

    /// Writes `bytes` to `rel` inside (making its directories) and returns its path as text.
    pub fn write(&self, rel: &str, bytes: &[u8]) -> Result<String, Box<dyn Error>> {
        Ok(self.write_path(rel, bytes)?.display().to_string())
    }

    /// Writes `bytes` to `rel` inside (making its directories) and returns its path.
    pub fn write_path(&self, rel: &str, bytes: &[u8]) -> Result<PathBuf, Box<dyn Error>> {
        let path = self.0.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(&path, bytes)?;
        Ok(path)
    }

    /// The directory as text.
    pub fn path(&self) -> String {
        self.0.display().to_string()
    }

    /// The names of the entries directly inside, sorted.
    pub fn entries(&self) -> Result<Vec<String>, Box<dyn Error>> {
        let mut names: Vec<String> = std::fs::read_dir(&self.0)?
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        Ok(names)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        #[cfg(unix)]
        restore_permissions(&self.0);
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Gives every directory and file under `root` (not following links, and not changing what a
/// link points to) back the permissions a test may have taken away, so that it can be removed.
#[cfg(unix)]
fn restore_permissions(root: &Path) {
    use std::fs::Permissions;
    use std::os::unix::fs::PermissionsExt;
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let _ = std::fs::set_permissions(&dir, Permissions::from_mode(0o755));
        for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            match entry.file_type() {
                Ok(t) if t.is_dir() => stack.push(entry.path()),
                Ok(t) if !t.is_symlink() => {
                    let _ = std::fs::set_permissions(entry.path(), Permissions::from_mode(0o755));
                }
                _ => {}
            }
        }
    }
}

/// `body` as a language server's frame: its `Content-Length` header, then the body.
pub fn frame(body: &[u8]) -> Vec<u8> {
    let mut out = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
    out.extend_from_slice(body);
    out
}

/// Reads a language server's frames from `input` on a thread of its own until it ends, each
/// message into the channel. Lines that are no header (standard error, when joined to the
/// output) are passed over.
pub fn read_messages(input: impl Read + Send + 'static) -> Receiver<Value> {
    let (tx, rx) = channel();
    std::thread::spawn(move || {
        let mut reader = BufReader::new(input);
        loop {
            let mut length = None;
            loop {
                let mut line = String::new();
                match reader.read_line(&mut line) {
                    Ok(0) | Err(_) => return,
                    Ok(_) => {}
                }
                let line = line.trim_end();
                if line.is_empty() && length.is_some() {
                    break;
                }
                if let Some(v) = line.strip_prefix("Content-Length:") {
                    length = v.trim().parse::<usize>().ok();
                }
            }
            let mut body = vec![0; length.unwrap_or(0)];
            if reader.read_exact(&mut body).is_err() {
                return;
            }
            let Ok(value) = serde_json::from_slice(&body) else {
                return;
            };
            if tx.send(value).is_err() {
                return;
            }
        }
    });
    rx
}
