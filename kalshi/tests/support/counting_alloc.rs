//! A counting global allocator for the allocation tests (`kalshi/tests/ws_alloc.rs`,
//! `tests/feed_alloc.rs`): it forwards to `System` and counts, per thread, every allocation
//! the thread makes; [`allocations`] reads the count. Include it with
//! `#[path = "…/counting_alloc.rs"] mod counting_alloc;` — it installs itself as the test
//! binary's `#[global_allocator]`.

// A `#[global_allocator]` needs `unsafe impl GlobalAlloc`, which the workspace lint
// `unsafe_code = "deny"` forbids; the allocation tests are the one place that needs it, and the
// impl only forwards to `System` and bumps a thread-local counter.
#![allow(unsafe_code)]

use std::{
    alloc::{GlobalAlloc, Layout, System},
    cell::Cell,
};

/// Forwards to `System`, counting allocations made by the current thread (tests run on
/// several threads; a global counter would see the others).
struct Counting;

thread_local! {
    static ALLOCATIONS: Cell<usize> = const { Cell::new(0) };
}

// SAFETY: every method forwards its arguments unchanged to `System`, which upholds the
// `GlobalAlloc` contract; the counter is a `const`-initialised thread-local `Cell`, so
// touching it never allocates or re-enters the allocator.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.with(|n| n.set(n.get() + 1));
        // SAFETY: same contract as the caller's.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: same contract as the caller's.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.with(|n| n.set(n.get() + 1));
        // SAFETY: same contract as the caller's.
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCATIONS.with(|n| n.set(n.get() + 1));
        // SAFETY: same contract as the caller's.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// Allocations made by the current thread so far (including reallocations).
pub fn allocations() -> usize {
    ALLOCATIONS.with(Cell::get)
}
