//! The load stage: the site's settings (`site.toml`) and its content files, each read on
//! its own.

pub mod config;
pub mod content;
