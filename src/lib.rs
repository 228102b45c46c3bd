//! `dossier`: a static site generator for sourced dossiers. The binary (`main.rs`) is a
//! thin command line over these modules; they are a library so that fuzz targets and
//! property tests can call the pipeline directly.
//!
//! The modules are listed in the order data flows through them, and a module uses only
//! the ones above it (`tests/suite/layout.rs` holds that): what every stage shares
//! ([`base`]), reading evidence ([`snapshots`]), then the stages — [`load`] →
//! [`resolve`] → [`render`] → [`output`] — then the commands that write content
//! ([`author`], [`capture`], [`import`]), the driver of a build ([`build`]), the preview
//! ([`serve`]) and the command line ([`cli`]). ARCHITECTURE.md describes each one.

// The order below is the order of the stages; rustfmt keeps it because each module
// stands alone. `capture` and `serve` are default features (see Cargo.toml), and so is
// `pdf`, which `snapshots` reads PDFs with.

pub mod base;

pub mod snapshots;

pub mod load;

pub mod resolve;

pub mod render;

pub(crate) mod output;

pub(crate) mod author;

#[cfg(feature = "capture")]
pub(crate) mod capture;

pub(crate) mod import;

pub mod build;

#[cfg(feature = "preview")]
pub mod serve;

pub mod cli;
