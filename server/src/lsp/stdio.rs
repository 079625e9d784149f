//! Standard input and output read and written on the runtime's own thread, when they are pipes or
//! sockets (what editors give a language server: Neovim and VS Code spawn it through libuv, whose
//! pipes are socket pairs).
//!
//! `tokio::io::stdin()` and `stdout()` do each read and write on a thread of tokio's blocking
//! pool, and hand the bytes over: two more threads to wake on every keystroke, one for the
//! `didChange` and one for the diagnostics, each a wait for a core when the machine is busy.
//! Here the descriptors are made non-blocking and polled by the runtime's reactor (epoll), so a
//! keystroke wakes the runtime's thread and the documents thread, nothing else.
//!
//! A descriptor epoll cannot poll (a regular file, as in `nianbao lsp < session.txt`) or a
//! terminal (whose flags the shell shares) keeps tokio's blocking streams. The non-blocking flag
//! is taken off again when the stream is dropped: the open file may be shared with a parent
//! that expects blocking reads and writes.

use std::io;
use std::os::fd::{AsRawFd, RawFd};
use std::pin::Pin;
use std::task::{Context, Poll, ready};

use tokio::io::unix::AsyncFd;
use tokio::io::{AsyncRead, AsyncWrite, Interest, ReadBuf};
use tokio_util::either::Either;

/// Standard input: polled when it can be (left), else tokio's (right).
pub type Input = Either<Polled, tokio::io::Stdin>;

/// Standard output: polled when it can be (left), else tokio's (right).
pub type Output = Either<Polled, tokio::io::Stdout>;

/// Standard input and output. Must be called inside the runtime (its reactor registers the
/// descriptors).
///
/// Standard error stays blocking (`eprintln!` panics on a full non-blocking pipe), so a
/// descriptor that is the same pipe or socket as standard error (`2>&1`, one socket for all
/// three) is left blocking too: it may share its flags with it.
pub fn streams() -> (Input, Output) {
    // Both flags first: when standard input and output are one open socket, they share them, and
    // each must restore what was there before either changed it.
    let flags = (flags(libc::STDIN_FILENO), flags(libc::STDOUT_FILENO));
    let polled = |fd, flags: Option<libc::c_int>, interest| {
        if same_file(fd, libc::STDERR_FILENO) {
            return None;
        }
        Polled::new(fd, flags?, interest)
    };
    let input = match polled(libc::STDIN_FILENO, flags.0, Interest::READABLE) {
        Some(p) => Either::Left(p),
        None => Either::Right(tokio::io::stdin()),
    };
    let output = match polled(libc::STDOUT_FILENO, flags.1, Interest::WRITABLE) {
        Some(p) => Either::Left(p),
        None => Either::Right(tokio::io::stdout()),
    };
    (input, output)
}

/// One of the process's standard descriptors, borrowed (never closed), non-blocking while this
/// lives.
pub struct Polled {
    fd: AsyncFd<Descriptor>,
    /// The file status flags before, restored on drop.
    flags: libc::c_int,
}

struct Descriptor(RawFd);

impl AsRawFd for Descriptor {
    fn as_raw_fd(&self) -> RawFd {
        self.0
    }
}

impl Polled {
    fn new(fd: RawFd, flags: libc::c_int, interest: Interest) -> Option<Polled> {
        if !matches!(kind(fd), Some(libc::S_IFIFO | libc::S_IFSOCK)) {
            return None;
        }
        // SAFETY: fcntl with F_SETFL on a descriptor of this process sets its flags; no memory
        // of ours is involved, a failure is a return value.
        if unsafe { libc::fcntl(fd, libc::F_SETFL, flags | libc::O_NONBLOCK) } < 0 {
            return None;
        }
        // SAFETY: a standard descriptor stays open, the same file, for as long as the process
        // runs: nothing in nianbao closes or replaces one.
        match unsafe { AsyncFd::register_with_interest(Descriptor(fd), interest) } {
            Ok(fd) => Some(Polled { fd, flags }),
            Err(_) => {
                // SAFETY: as above.
                unsafe { libc::fcntl(fd, libc::F_SETFL, flags) };
                None
            }
        }
    }
}

impl Drop for Polled {
    fn drop(&mut self) {
        // SAFETY: as in `new`; the descriptor is the process's own and still open.
        unsafe { libc::fcntl(self.fd.as_raw_fd(), libc::F_SETFL, self.flags) };
    }
}

fn flags(fd: RawFd) -> Option<libc::c_int> {
    // SAFETY: fcntl with F_GETFL reads a descriptor's flags; a bad descriptor is an error return.
    let flags = unsafe { libc::fcntl(fd, libc::F_GETFL) };
    (flags >= 0).then_some(flags)
}

fn stat(fd: RawFd) -> Option<libc::stat> {
    // SAFETY: fstat writes into the zeroed `stat` we own; a bad descriptor is an error return.
    let mut st: libc::stat = unsafe { std::mem::zeroed() };
    (unsafe { libc::fstat(fd, &mut st) } == 0).then_some(st)
}

/// The file type bits (`S_IFIFO`, `S_IFSOCK`, …).
fn kind(fd: RawFd) -> Option<libc::mode_t> {
    stat(fd).map(|st| st.st_mode & libc::S_IFMT)
}

/// Whether two descriptors are the same pipe, socket or file.
fn same_file(a: RawFd, b: RawFd) -> bool {
    match (stat(a), stat(b)) {
        (Some(a), Some(b)) => a.st_dev == b.st_dev && a.st_ino == b.st_ino,
        _ => false,
    }
}

/// `read(2)` or `write(2)`'s result as an `io::Result`.
fn result(n: isize) -> io::Result<usize> {
    if n < 0 {
        Err(io::Error::last_os_error())
    } else {
        Ok(n as usize)
    }
}

impl AsyncRead for Polled {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        loop {
            let mut guard = ready!(self.fd.poll_read_ready(cx))?;
            let unfilled = buf.initialize_unfilled();
            let read = guard.try_io(|fd| {
                // SAFETY: reads at most `unfilled.len()` bytes into `unfilled`, which we own.
                let n = unsafe {
                    libc::read(fd.as_raw_fd(), unfilled.as_mut_ptr().cast(), unfilled.len())
                };
                result(n)
            });
            match read {
                Ok(Ok(n)) => {
                    buf.advance(n);
                    return Poll::Ready(Ok(()));
                }
                Ok(Err(e)) if e.kind() == io::ErrorKind::Interrupted => {}
                Ok(Err(e)) => return Poll::Ready(Err(e)),
                // Not ready after all: the readiness is cleared, poll again.
                Err(_would_block) => {}
            }
        }
    }
}

impl AsyncWrite for Polled {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        data: &[u8],
    ) -> Poll<io::Result<usize>> {
        loop {
            let mut guard = ready!(self.fd.poll_write_ready(cx))?;
            let written = guard.try_io(|fd| {
                // SAFETY: writes at most `data.len()` bytes from `data`.
                let n = unsafe { libc::write(fd.as_raw_fd(), data.as_ptr().cast(), data.len()) };
                result(n)
            });
            match written {
                Ok(Err(e)) if e.kind() == io::ErrorKind::Interrupted => {}
                Ok(r) => return Poll::Ready(r),
                Err(_would_block) => {}
            }
        }
    }

    fn poll_flush(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<io::Result<()>> {
        // Nothing is buffered here.
        Poll::Ready(Ok(()))
    }

    fn poll_shutdown(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(Ok(()))
    }
}
