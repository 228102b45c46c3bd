//! `dossier`: a static site generator for sourced dossiers. The binary (`main.rs`) is a
//! thin command line over these modules; they are a library so that fuzz targets and
//! property tests can call the pipeline directly.
//!
//! Data flows one way: [`content`] (load) → [`resolve`] (with [`links`], [`markdown`] and
//! [`snapshots`]) → [`render`] (with [`pages`] and [`templates`]) → [`output`], run by
//! [`build`] and, for the preview, by [`serve`]. ARCHITECTURE.md describes each stage.

pub mod address;
pub mod build;
pub mod cache;
pub mod capture;
pub mod cli;
pub mod config;
pub mod content;
pub mod diagnostics;
pub mod drift;
pub mod export;
pub mod external;
pub mod i18n;
pub mod import;
pub mod links;
pub mod map;
pub mod markdown;
pub mod model;
pub mod output;
pub mod pages;
pub mod provenance;
pub mod rename;
pub mod render;
pub mod resolve;
pub mod scaffold;
pub mod search;
pub mod serve;
pub mod snapshots;
pub mod templates;
pub mod timestamp;
pub mod warc;
