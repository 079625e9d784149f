//! The binary's allocator: mimalloc for a batch (`check`), glibc's everywhere else.
//!
//! A batch allocates and frees about 1,100 small blocks a report, a few hundred thousand a
//! second; under glibc's allocator that is about an eighth of its time, under mimalloc's about
//! a tenth less time in all (10,000 generated reports on one core). The language server is the
//! opposite case: a long-lived process holding many documents, where glibc's allocator keeps
//! the smaller footprint (100 reports open: 28 MB; mimalloc, even tuned, 31 MB and untuned 93 MB;
//! issue 4 allows 30 MB). So the choice is made per command, at its start ([`for_batch`]).
//!
//! The choice decides only where new blocks come from. A block is always given back to the
//! allocator that owns it, decided by its address ([`from_mimalloc`]): blocks made before the
//! choice (the arguments, the runtime's own) stay glibc's for their whole life, reallocated
//! and freed there.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicBool, Ordering};

use mimalloc::MiMalloc;

/// The global allocator (`main.rs`).
pub struct Allocator;

/// New blocks come from mimalloc.
static BATCH: AtomicBool = AtomicBool::new(false);

/// From now on, new blocks come from mimalloc. Called before a batch starts its threads (a
/// thread started earlier sees the switch at its next allocation: either allocator is right).
pub fn for_batch() {
    BATCH.store(true, Ordering::Relaxed);
}

/// Whether `ptr` lies in memory mimalloc reserved. Only compares the address with mimalloc's
/// page map (never reads the block); false for any address before mimalloc made its map.
fn from_mimalloc(ptr: *mut u8) -> bool {
    // SAFETY: `mi_is_in_heap_region` takes any address, dereferences nothing, and is safe to
    // call from any thread at any time (a lookup in a map of committed pages).
    unsafe { libmimalloc_sys::mi_is_in_heap_region(ptr.cast()) }
}

// SAFETY: every block is made by one of the two allocators with the caller's layout, and given
// back to (or resized by) the one that made it — mimalloc's blocks lie in its page map, glibc's
// never do — so each allocator sees only its own blocks, as its `GlobalAlloc` contract requires.
unsafe impl GlobalAlloc for Allocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if BATCH.load(Ordering::Relaxed) {
            // SAFETY: the caller's contract (a non-zero size) is passed on unchanged.
            unsafe { MiMalloc.alloc(layout) }
        } else {
            // SAFETY: as above.
            unsafe { System.alloc(layout) }
        }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        if BATCH.load(Ordering::Relaxed) {
            // SAFETY: as in `alloc`.
            unsafe { MiMalloc.alloc_zeroed(layout) }
        } else {
            // SAFETY: as in `alloc`.
            unsafe { System.alloc_zeroed(layout) }
        }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        if from_mimalloc(ptr) {
            // SAFETY: `ptr` was made by mimalloc (it lies in its pages) with `layout`.
            unsafe { MiMalloc.dealloc(ptr, layout) }
        } else {
            // SAFETY: `ptr` was made by glibc's allocator with `layout`.
            unsafe { System.dealloc(ptr, layout) }
        }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if from_mimalloc(ptr) {
            // SAFETY: as in `dealloc`; the new size's contract is the caller's.
            unsafe { MiMalloc.realloc(ptr, layout, new_size) }
        } else {
            // SAFETY: as in `dealloc`.
            unsafe { System.realloc(ptr, layout, new_size) }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Blocks of both allocators, made before and after the switch, resized and freed in any
    /// order, each by its own allocator: mimalloc's blocks are recognised as its, glibc's not.
    #[test]
    fn each_block_goes_back_to_its_allocator() {
        let layouts = [
            Layout::from_size_align(8, 8),
            Layout::from_size_align(100, 16),
            Layout::from_size_align(5000, 64),
            Layout::from_size_align(1 << 20, 4096),
            // mimalloc's "huge" blocks (each its own page, straight from the system).
            Layout::from_size_align(64 << 20, 8),
        ];
        for layout in layouts {
            let Ok(layout) = layout else {
                panic!("bad layout");
            };
            // SAFETY: non-zero sizes; each block is written within its size and freed once
            // with its own layout.
            unsafe {
                let glibc = System.alloc(layout);
                let mi = MiMalloc.alloc(layout);
                assert!(!glibc.is_null() && !mi.is_null());
                assert!(!from_mimalloc(glibc));
                assert!(from_mimalloc(mi));
                glibc.write_bytes(1, layout.size());
                mi.write_bytes(2, layout.size());
                let glibc = Allocator.realloc(glibc, layout, layout.size() * 2);
                let mi = Allocator.realloc(mi, layout, layout.size() * 2);
                assert!(!from_mimalloc(glibc));
                assert!(from_mimalloc(mi));
                assert_eq!(*glibc.add(layout.size() - 1), 1);
                assert_eq!(*mi.add(layout.size() - 1), 2);
                let grown = Layout::from_size_align_unchecked(layout.size() * 2, layout.align());
                Allocator.dealloc(glibc, grown);
                Allocator.dealloc(mi, grown);
            }
        }
    }
}
