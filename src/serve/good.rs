//! The last good build as the preview keeps it: its pages with what each showed, and
//! what the next build compares against.

use rustc_hash::FxHashMap;
use std::sync::Arc;

use crate::base::diagnostics::Diagnostic;
use crate::build::Site;
use crate::render::Shown;
use crate::resolve::pages::SitePage;

/// A page of the last good build and the entries it showed.
pub(super) struct PageOut {
    pub(super) bytes: Arc<[u8]>,
    pub(super) shown: Vec<Shown>,
}

/// Output-relative path (`claims/x/index.html`) to rendered page.
pub(super) type Pages = FxHashMap<Arc<str>, Arc<PageOut>>;

/// The last good build.
pub(super) struct Good {
    pub(super) site: Arc<Site>,
    /// The warnings it was built with.
    pub(super) warnings: Vec<Diagnostic>,
    pub(super) site_digest: u64,
    pub(super) digests: FxHashMap<Shown, u64>,
    pub(super) kinds: Arc<Vec<SitePage>>,
    pub(super) paths: Arc<Vec<Arc<str>>>,
    pub(super) pages: Arc<Pages>,
}
