//! Replacing a file atomically: the new bytes go to a temporary file beside it (same directory,
//! so the rename stays on one file system), are flushed to disk, get the original's
//! permissions, and replace the original by a rename — unless the original changed on disk
//! since it was read (then nothing is written). Used by `fmt` and `check --fix`.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use super::files;

/// A file's bytes with what tells whether it changed since.
pub struct Snapshot {
    pub bytes: Vec<u8>,
    modified: Option<SystemTime>,
    len: u64,
    permissions: fs::Permissions,
    /// A regular file (through symbolic links), the only kind rewritten.
    pub regular: bool,
}

impl Snapshot {
    pub fn take(path: &Path) -> Result<Self, String> {
        let meta = fs::metadata(path).map_err(|e| reason(&e))?;
        let bytes = files::read_bytes(path)?;
        Ok(Self {
            bytes,
            modified: meta.modified().ok(),
            len: meta.len(),
            permissions: meta.permissions(),
            regular: meta.is_file(),
        })
    }

    /// Whether `path` still holds what was read (same length, time and bytes).
    fn still_at(&self, path: &Path) -> Result<bool, String> {
        let meta = fs::metadata(path).map_err(|e| reason(&e))?;
        if meta.len() != self.len || meta.modified().ok() != self.modified {
            return Ok(false);
        }
        Ok(files::read_bytes(path)? == self.bytes)
    }
}

/// Replaces the file at `path` (through a symbolic link: its target) by `bytes`, atomically,
/// keeping its permissions; refuses when it no longer holds what `before` read (`doing` names
/// what took the time: 格式化, 改正).
pub fn replace(path: &Path, before: &Snapshot, bytes: &[u8], doing: &str) -> Result<(), String> {
    let target = fs::canonicalize(path).map_err(|e| reason(&e))?;
    let dir = target.parent().unwrap_or(Path::new("."));
    let (temp, mut out) = temp_file(dir, &target)?;
    let written = out
        .write_all(bytes)
        .and_then(|()| out.sync_all())
        .and_then(|()| fs::set_permissions(&temp, before.permissions.clone()));
    drop(out);
    let result = written.map_err(|e| format!("无法写入临时文件 {}（{e}）", temp.display()));
    let result = result.and_then(|()| match before.still_at(&target) {
        Ok(true) => fs::rename(&temp, &target).map_err(|e| format!("无法替换原文件（{e}）")),
        Ok(false) => Err(format!("文件在{doing}期间被修改，未写入")),
        Err(e) => Err(e),
    });
    if result.is_err() {
        let _ = fs::remove_file(&temp);
    } else if let Ok(d) = fs::File::open(dir) {
        // The rename itself reaches the disk with the directory.
        let _ = d.sync_all();
    }
    result
}

/// A new file beside `target`: `.name.nianbao-PID-N.tmp`.
fn temp_file(dir: &Path, target: &Path) -> Result<(PathBuf, fs::File), String> {
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut last = None;
    for n in 0..100 {
        let temp = dir.join(format!(".{name}.nianbao-{}-{n}.tmp", std::process::id()));
        match fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&temp)
        {
            Ok(file) => return Ok((temp, file)),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => last = Some(e),
            Err(e) => return Err(format!("无法在 {} 中创建临时文件（{e}）", dir.display())),
        }
    }
    Err(format!(
        "无法在 {} 中创建临时文件（{}）",
        dir.display(),
        last.map(|e| e.to_string()).unwrap_or_default()
    ))
}

fn reason(err: &std::io::Error) -> String {
    use std::io::ErrorKind;
    let what = match err.kind() {
        ErrorKind::NotFound => "文件不存在",
        ErrorKind::PermissionDenied => "没有权限",
        _ => "无法读写",
    };
    format!("{what}（{err}）")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("nianbao-atomic-unit-{}-{name}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        let _ = fs::create_dir_all(&dir);
        dir
    }

    #[test]
    fn refuses_to_replace_a_file_changed_meanwhile() {
        let dir = scratch("changed");
        let path = dir.join("a.txt");
        let _ = fs::write(&path, "一、总体情况  \n");
        let before = Snapshot::take(&path);
        assert!(before.is_ok());
        let Ok(before) = before else { return };
        // Someone saves the file while it is being formatted.
        let _ = fs::write(&path, "一、总体情况（已改）\n");
        let result = replace(&path, &before, "一、总体情况\n".as_bytes(), "格式化");
        assert_eq!(result, Err("文件在格式化期间被修改，未写入".to_owned()));
        assert_eq!(
            fs::read_to_string(&path).ok().as_deref(),
            Some("一、总体情况（已改）\n")
        );
        // No temporary file is left behind.
        let left: Vec<_> = fs::read_dir(&dir).into_iter().flatten().flatten().collect();
        assert_eq!(left.len(), 1);
        let _ = fs::remove_dir_all(&dir);
    }

    #[test]
    fn replaces_an_unchanged_file() {
        let dir = scratch("same");
        let path = dir.join("a.txt");
        let _ = fs::write(&path, "一、总体情况  \n");
        let Ok(before) = Snapshot::take(&path) else {
            panic!("snapshot");
        };
        assert_eq!(replace(&path, &before, b"x\n", "改正"), Ok(()));
        assert_eq!(fs::read_to_string(&path).ok().as_deref(), Some("x\n"));
        let _ = fs::remove_dir_all(&dir);
    }
}
