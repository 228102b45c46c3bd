//! What every stage shares: diagnostics, addresses, languages and their conventions,
//! the words of front-matter errors, syntax highlighting and digests.

pub(crate) mod address;
pub mod diagnostics;
pub(crate) mod digest;
pub(crate) mod highlight;
pub(crate) mod language;
pub(crate) mod locale;
pub(crate) mod words;
