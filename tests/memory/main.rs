//! Tests that measure the peak memory of a `dossier` process, in a binary of their own: a
//! child started by `posix_spawn` shares its parent's memory until it runs the program, and
//! Linux counts the parent's peak as the child's, so the parent must stay small.

// A build without every default feature leaves helpers of the tests it skips unused.
#![cfg_attr(
    not(all(feature = "capture", feature = "pdf")),
    allow(dead_code, unused_imports)
)]

#[path = "../common/mod.rs"]
mod common;

mod bombs;
mod snapshot_memory;
