//! Watching the site's folders, and turning a burst of file events into one set of
//! [`Changes`].

use std::path::{Component, Path};
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender};
use std::time::{Duration, Instant};

use notify::{EventKind, RecursiveMode, Watcher};

use super::live::Changes;

/// What the preview's main loop waits for.
pub(crate) enum Msg {
    /// File events from the watcher.
    Files(notify::Result<notify::Event>),
    /// Ctrl-C or SIGTERM.
    Stop,
}

/// The folders watched recursively, relative to the site root.
const WATCHED: &[&str] = &["content", "templates", "static", "themes", "i18n"];

/// Quiet time that ends a burst of events.
const QUIET: Duration = Duration::from_millis(15);
/// The longest a burst may delay a rebuild.
const MAX_BURST: Duration = Duration::from_millis(400);

/// Watches the site at `root`, sending every event to `tx`. Dropping the watcher stops it.
pub fn start(root: &Path, tx: Sender<Msg>) -> Result<notify::RecommendedWatcher, String> {
    let mut watcher = notify::recommended_watcher(move |ev| {
        let _ = tx.send(Msg::Files(ev));
    })
    .map_err(|e| format!("cannot watch {}: {e}", root.display()))?;
    watcher
        .watch(root, RecursiveMode::NonRecursive)
        .map_err(|e| format!("cannot watch {}: {e}", root.display()))?;
    for dir in WATCHED {
        watch_dir(&mut watcher, &root.join(dir));
    }
    Ok(watcher)
}

fn watch_dir(watcher: &mut notify::RecommendedWatcher, dir: &Path) {
    if dir.is_dir()
        && let Err(e) = watcher.watch(dir, RecursiveMode::Recursive)
    {
        eprintln!("warning: cannot watch {}: {e}", dir.display());
    }
}

/// Collects the events of one burst, starting with `first`, until the watcher has been
/// quiet for a moment. Returns the changes and whether a stop was asked for meanwhile.
pub fn collect(
    first: notify::Result<notify::Event>,
    rx: &Receiver<Msg>,
    root: &Path,
    watcher: &mut notify::RecommendedWatcher,
) -> (Changes, bool) {
    let mut changes = Changes {
        css_only: true,
        ..Changes::default()
    };
    let started = Instant::now();
    let mut next = Some(first);
    let mut stop = false;
    while let Some(ev) = next.take() {
        add_event(ev, root, &mut changes, watcher);
        let left = MAX_BURST.saturating_sub(started.elapsed());
        match rx.recv_timeout(QUIET.min(left)) {
            Ok(Msg::Files(ev)) => next = Some(ev),
            Ok(Msg::Stop) => stop = true,
            Err(RecvTimeoutError::Timeout | RecvTimeoutError::Disconnected) => {}
        }
    }
    if !changes.statics {
        changes.css_only = false;
    }
    (changes, stop)
}

fn add_event(
    ev: notify::Result<notify::Event>,
    root: &Path,
    changes: &mut Changes,
    watcher: &mut notify::RecommendedWatcher,
) {
    let ev = match ev {
        Ok(ev) => ev,
        Err(e) => {
            eprintln!("warning: file watcher: {e}; rebuilding everything");
            everything(changes);
            return;
        }
    };
    if ev.need_rescan() {
        everything(changes);
        return;
    }
    if matches!(ev.kind, EventKind::Access(_)) {
        return;
    }
    for path in &ev.paths {
        let Ok(rel) = path.strip_prefix(root) else {
            continue;
        };
        let parts: Vec<String> = rel
            .components()
            .filter_map(|c| match c {
                Component::Normal(s) => Some(s.to_string_lossy().into_owned()),
                _ => None,
            })
            .collect();
        if parts.iter().any(|p| ignored(p)) {
            continue;
        }
        match parts.iter().map(String::as_str).collect::<Vec<_>>()[..] {
            ["site.toml"] => changes.config = true,
            [dir] if WATCHED.contains(&dir) => {
                // A watched folder appeared or went away.
                watch_dir(watcher, path);
                everything(changes);
            }
            ["content", ..] => {
                changes.content.insert(path.clone());
            }
            ["static", ..] | ["themes", _, "static", ..] => static_file(changes, path),
            ["templates", ..] | ["themes", ..] | ["i18n", ..] => changes.templates = true,
            _ => {}
        }
    }
}

fn static_file(changes: &mut Changes, path: &Path) {
    changes.statics = true;
    if path.extension().is_none_or(|e| e != "css") {
        changes.css_only = false;
    }
}

fn everything(changes: &mut Changes) {
    changes.config = true;
    changes.templates = true;
    changes.statics = true;
    changes.css_only = false;
}

/// Editor back-ups, swap files and Vim's write test (`4913`) never trigger a rebuild.
fn ignored(name: &str) -> bool {
    crate::load::content::is_ignored(name) || name == "4913"
}
