//! The integration tests in one binary: each test binary links the whole crate, so one
//! binary builds and links once instead of once per file. The files stand alone; the
//! shared harness is `tests/common`. Tests that measure a child's peak memory are in
//! `tests/memory`: a child started by `posix_spawn` counts its parent's peak as its own,
//! which in this binary is that of every test before it. Tests of what a default feature
//! adds are compiled with it only, so that `cargo test --no-default-features` tests what
//! remains.

// A build without every default feature leaves helpers of the tests it skips unused.
#![cfg_attr(
    not(all(feature = "capture", feature = "preview", feature = "pdf")),
    allow(dead_code, unused_imports)
)]

#[path = "../common/mod.rs"]
mod common;

#[cfg(feature = "capture")]
mod archive;
mod atomic;
mod browser;
mod build;
#[cfg(feature = "capture")]
mod capture;
#[cfg(feature = "capture")]
mod capture_hostile;
#[cfg(feature = "capture")]
mod capture_metadata;
mod citeproc;
mod commands;
mod diagnostics;
mod disk;
mod errors;
mod events;
mod evidence;
#[cfg(feature = "capture")]
mod external;
mod hostile;
mod import;
mod languages;
mod layout;
mod neutral;
mod output;
mod output_kept;
#[cfg(feature = "preview")]
mod preview;
mod properties;
mod provenance;
mod publish;
#[cfg(feature = "preview")]
mod serve;
#[cfg(feature = "preview")]
mod serve_faults;
mod snapshot_kinds;
mod stix;
mod templates_doc;
#[cfg(feature = "capture")]
mod timestamp;
mod translations;
mod upkeep;
mod vocabulary;
