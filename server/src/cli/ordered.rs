//! Work on many inputs in parallel, results in input order, with bounded memory: workers take the
//! next index and work on it; the caller's thread receives each result and hands them on in
//! order. A worker may run at most `window` indices ahead of the last one handed on (it waits
//! otherwise), so at most `window` results are held at any time, however many inputs there are.
//!
//! And the progress line a long batch shows on a terminal.

use std::collections::BTreeMap;
use std::io::Write;
use std::panic::{AssertUnwindSafe, catch_unwind, resume_unwind};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Condvar, Mutex, mpsc};
use std::time::{Duration, Instant};

/// How many worker threads: `RAYON_NUM_THREADS` when set (as for the rest of nianbao), else one
/// per available core (`taskset` and cgroup limits included).
pub fn threads() -> usize {
    std::env::var("RAYON_NUM_THREADS")
        .ok()
        .and_then(|v| v.trim().parse::<usize>().ok())
        .filter(|&n| n > 0)
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
}

/// Runs `work(i, item)` for every `item` of `source` (`i`: its place in `source`) on `threads`
/// threads and calls `emit(i, result)` on the calling thread for each, in order of `i`. `source`
/// is run on a thread of its own, at most `window` items ahead of the workers, so that finding
/// the inputs (walking directories) overlaps working on them. A panic in `work` or `source`
/// stops the others and is raised again here.
pub fn run<S: Send, T: Send>(
    source: impl Iterator<Item = S> + Send,
    threads: usize,
    window: usize,
    work: impl Fn(usize, S) -> T + Sync,
    mut emit: impl FnMut(usize, T),
) {
    if threads <= 1 {
        // One worker has nothing to overlap with but the directory walk, which is cheap beside
        // the work: handing every item across three threads cost a context switch or more per
        // item (about 7 per report on one core, 15 % of a batch's time).
        for (i, item) in source.enumerate() {
            emit(i, work(i, item));
        }
        return;
    }
    let window = window.max(1);
    let stop = AtomicBool::new(false);
    // The index of the next result to hand on; workers wait on `moved` for it to advance.
    let emitted = Mutex::new(0usize);
    let moved = Condvar::new();
    let (items_tx, items_rx) = mpsc::sync_channel::<S>(window);
    // The items and how many were taken; dropped at the end, so that a source waiting to
    // hand on an item after the workers stopped gives up.
    let items = Mutex::new(Some((items_rx, 0usize)));
    let source_panic = Mutex::new(None);
    let mut panicked = None;
    std::thread::scope(|scope| {
        let (stop, source_panic) = (&stop, &source_panic);
        scope.spawn(move || {
            let result = catch_unwind(AssertUnwindSafe(|| {
                for item in source {
                    if stop.load(Ordering::Relaxed) || items_tx.send(item).is_err() {
                        return;
                    }
                }
            }));
            if let Err(payload) = result {
                if let Ok(mut slot) = source_panic.lock() {
                    *slot = Some(payload);
                }
                stop.store(true, Ordering::Relaxed);
            }
        });
        let (tx, rx) = mpsc::channel::<(usize, std::thread::Result<T>)>();
        for _ in 0..threads.max(1) {
            let tx = tx.clone();
            let (items, emitted, moved, work) = (&items, &emitted, &moved, &work);
            scope.spawn(move || {
                loop {
                    if stop.load(Ordering::Relaxed) {
                        return;
                    }
                    let (i, item) = {
                        let Ok(mut items) = items.lock() else { return };
                        let Some((rx, taken)) = items.as_mut() else {
                            return;
                        };
                        let Ok(item) = rx.recv() else { return };
                        *taken += 1;
                        (*taken - 1, item)
                    };
                    {
                        let Ok(mut at) = emitted.lock() else { return };
                        while i >= *at + window && !stop.load(Ordering::Relaxed) {
                            at = match moved.wait(at) {
                                Ok(at) => at,
                                Err(_) => return,
                            };
                        }
                    }
                    if stop.load(Ordering::Relaxed) {
                        return;
                    }
                    let result = catch_unwind(AssertUnwindSafe(|| work(i, item)));
                    let failed = result.is_err();
                    if tx.send((i, result)).is_err() || failed {
                        return;
                    }
                }
            });
        }
        drop(tx);
        let mut pending: BTreeMap<usize, T> = BTreeMap::new();
        let mut at = 0;
        for (i, result) in rx {
            match result {
                Ok(value) if panicked.is_none() => {
                    pending.insert(i, value);
                }
                Ok(_) => {}
                Err(payload) => {
                    if panicked.is_none() {
                        panicked = Some(payload);
                    }
                    stop.store(true, Ordering::Relaxed);
                    let _guard = emitted.lock();
                    moved.notify_all();
                    continue;
                }
            }
            let before = at;
            while let Some(value) = pending.remove(&at) {
                emit(at, value);
                at += 1;
            }
            if at != before {
                if let Ok(mut shared) = emitted.lock() {
                    *shared = at;
                }
                moved.notify_all();
            }
        }
        // The workers are done: a source still waiting to hand on an item stops.
        if let Ok(mut items) = items.lock() {
            items.take();
        }
    });
    let source_panic = source_panic.into_inner().ok().flatten();
    if let Some(payload) = panicked.or(source_panic) {
        resume_unwind(payload);
    }
}

/// `已检查 1234/100000 份` (`已检查 1234 份` while the inputs are still being found), redrawn in
/// place on stderr at most ten times a second, from one second into the batch on (a short run
/// shows nothing); only when stderr is a terminal.
pub struct Progress {
    on: bool,
    what: &'static str,
    started: Instant,
    drawn: Option<Instant>,
    /// Whether a line is shown now (it is cleared before anything else is written to stderr).
    shown: bool,
}

impl Progress {
    pub fn new(on: bool, what: &'static str) -> Self {
        Progress {
            on,
            what,
            started: Instant::now(),
            drawn: None,
            shown: false,
        }
    }

    /// `done` inputs are through, of `total` when it is known.
    pub fn update(&mut self, done: usize, total: Option<usize>) {
        if !self.on || self.started.elapsed() < Duration::from_secs(1) {
            return;
        }
        if self
            .drawn
            .is_some_and(|t| t.elapsed() < Duration::from_millis(100))
        {
            return;
        }
        self.drawn = Some(Instant::now());
        let mut err = std::io::stderr().lock();
        let _ = match total {
            Some(total) => write!(err, "\r\x1b[2K{} {done}/{total} 份 …", self.what),
            None => write!(err, "\r\x1b[2K{} {done} 份 …", self.what),
        };
        let _ = err.flush();
        self.shown = true;
    }

    /// Clears the line (before other output on stderr, and at the end).
    pub fn clear(&mut self) {
        if self.shown {
            let mut err = std::io::stderr().lock();
            let _ = write!(err, "\r\x1b[2K");
            let _ = err.flush();
            self.shown = false;
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicUsize;

    #[test]
    fn results_come_in_order_with_at_most_a_window_in_flight() {
        for threads in [1, 2, 4] {
            let in_flight = AtomicUsize::new(0);
            let most = AtomicUsize::new(0);
            let mut seen = Vec::new();
            run(
                0..200,
                threads,
                8,
                |i, item| {
                    assert_eq!(i, item);
                    let now = in_flight.fetch_add(1, Ordering::SeqCst) + 1;
                    most.fetch_max(now, Ordering::SeqCst);
                    // Later indices finish first, now and then.
                    if i % 7 == 0 {
                        std::thread::sleep(Duration::from_millis(1));
                    }
                    i * 2
                },
                |i, v| {
                    in_flight.fetch_sub(1, Ordering::SeqCst);
                    assert_eq!(v, i * 2);
                    seen.push(i);
                },
            );
            assert_eq!(seen, (0..200).collect::<Vec<_>>());
            assert!(most.load(Ordering::SeqCst) <= 8, "{threads} threads");
        }
        let mut none = 0;
        run(0..0, 2, 4, |i, _| i, |_, _| none += 1);
        assert_eq!(none, 0);
    }

    #[test]
    fn a_panic_stops_the_run_and_is_raised_again() {
        let caught = catch_unwind(|| {
            run(
                0..100,
                2,
                4,
                |i, _| {
                    assert!(i != 10, "boom");
                    i
                },
                |_, _| {},
            );
        });
        assert!(caught.is_err());
    }

    #[test]
    fn a_panic_in_the_source_is_raised_again() {
        let caught = catch_unwind(|| {
            run(
                (0..100).inspect(|&i| assert!(i != 50, "boom")),
                2,
                4,
                |i, _| i,
                |_, _| {},
            );
        });
        assert!(caught.is_err());
    }
}
