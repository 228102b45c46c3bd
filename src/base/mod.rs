//! What every stage shares: diagnostics, addresses, languages and their conventions,
//! the words of front-matter errors, syntax highlighting and digests.

pub mod address;
pub mod diagnostics;
pub mod digest;
pub mod highlight;
pub mod language;
pub mod locale;
pub mod words;
