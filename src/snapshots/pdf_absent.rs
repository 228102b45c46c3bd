//! PDF snapshots in a build without the `pdf` feature: known as PDFs by their name, but
//! their text is not read, and a quote from one is reported as not checkable.

/// What a PDF says of itself: nothing, when PDFs are not read.
#[derive(Debug, Default, PartialEq)]
pub struct Info {
    pub title: Option<String>,
    pub authors: Vec<String>,
    pub date: Option<String>,
}

/// Why a PDF, or every page of it, could not be read.
pub(crate) const DAMAGED: &str = "the PDF could not be read (its structure is damaged)";

/// The text of each page: an error, since this build reads no PDF.
pub fn pages(_: &[u8], _: u64) -> Result<Vec<Option<String>>, String> {
    Err("this dossier was built without reading PDFs (the `pdf` feature)".into())
}

/// The document's title, authors and date: none, since this build reads no PDF.
pub fn info(_: &[u8], _: u64) -> Info {
    Info::default()
}
