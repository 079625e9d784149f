//! What the end-to-end tests of the binary share: running it, and a temporary directory.
//! (`mod common;` in each test crate; not every crate uses every item.)
#![allow(dead_code)]

use std::error::Error;
use std::io::Write as _;
use std::path::PathBuf;
use std::process::{Command, Stdio};

pub const BIN: &str = env!("CARGO_BIN_EXE_nianbao");

/// What one run of the binary gave.
pub struct Run {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

/// Runs the binary with empty standard input and without colours.
pub fn run(args: &[&str]) -> Result<Run, Box<dyn Error>> {
    run_stdin(args, b"")
}

/// Runs the binary with `stdin` as its standard input and without colours.
pub fn run_stdin(args: &[&str], stdin: &[u8]) -> Result<Run, Box<dyn Error>> {
    let mut child = Command::new(BIN)
        .args(args)
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()?;
    if let Some(mut input) = child.stdin.take() {
        let _ = input.write_all(stdin);
    }
    let out = child.wait_with_output()?;
    Ok(Run {
        code: out.status.code(),
        stdout: String::from_utf8(out.stdout)?,
        stderr: String::from_utf8(out.stderr)?,
    })
}

/// A fresh directory under the system temp dir; removed on drop.
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
        let path = self.0.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(&path, bytes)?;
        Ok(path.display().to_string())
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
