//! Standard output when it is a pipe: made large enough that a writer rarely waits for its
//! reader.
//!
//! A pipe holds 64 KB by default. A writer with more to say (a batch's JSON, ≈ 12 KB a report; a
//! language server's `publishDiagnostics` of a large report, ≈ 320 KB) fills it, sleeps until
//! the reader has drained it and is woken again — one round trip of the scheduler per 64 KB,
//! which on a busy machine is a wait for a core each time. 1 MB (Linux's default ceiling for an
//! unprivileged process, `/proc/sys/fs/pipe-max-size`) lets such a write go through at once.

/// Asks for a 1 MB pipe on standard output. Linux only; where the output is no pipe, or the
/// size is refused (a lower ceiling, the user's pipe quota), nothing changes.
pub fn enlarge_stdout() {
    #[cfg(target_os = "linux")]
    {
        const SIZE: libc::c_int = 1 << 20;
        // SAFETY: fcntl on the process's own standard output with an integer argument touches
        // no memory of ours; a refusal (not a pipe, over the ceiling) is only a return value.
        let _ = unsafe { libc::fcntl(libc::STDOUT_FILENO, libc::F_SETPIPE_SZ, SIZE) };
    }
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    /// The request is honoured on a pipe: a child whose standard output is a pipe reports the
    /// new size. Run in a child (this test binary re-run with a filter), as the test harness
    /// owns this process's standard output.
    #[test]
    fn a_piped_stdout_is_enlarged() {
        if std::env::var_os("NIANBAO_PIPE_CHILD").is_some() {
            super::enlarge_stdout();
            // SAFETY: as in `enlarge_stdout`.
            let size = unsafe { libc::fcntl(libc::STDOUT_FILENO, libc::F_GETPIPE_SZ) };
            println!("pipe size {size}");
            return;
        }
        let Ok(exe) = std::env::current_exe() else {
            panic!("no test binary path");
        };
        let out = std::process::Command::new(exe)
            .args([
                "--exact",
                "pipe::tests::a_piped_stdout_is_enlarged",
                "--nocapture",
            ])
            .env("NIANBAO_PIPE_CHILD", "1")
            .output();
        let Ok(out) = out else {
            panic!("cannot run the test binary");
        };
        let text = String::from_utf8_lossy(&out.stdout);
        let size: i64 = text
            .lines()
            .find_map(|l| l.strip_prefix("pipe size "))
            .and_then(|n| n.trim().parse().ok())
            .unwrap_or(0);
        let ceiling: i64 = std::fs::read_to_string("/proc/sys/fs/pipe-max-size")
            .ok()
            .and_then(|s| s.trim().parse().ok())
            .unwrap_or(0);
        if ceiling >= 1 << 20 {
            assert!(
                size >= 1 << 20,
                "pipe of {size} bytes; the child said: {text}"
            );
        } else {
            // A lower ceiling refuses the request (unless privileged): the pipe stays as it was.
            assert!(size >= 4096, "no pipe size read; the child said: {text}");
        }
    }
}
