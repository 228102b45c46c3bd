//! Commands that write a site's own files: new sites and entries, translations and
//! interface tables (`scaffold`), and renaming an entry everywhere it is named
//! (`rename`).

pub(crate) mod rename;
pub(crate) mod scaffold;
