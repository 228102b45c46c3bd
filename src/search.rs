//! The full-text search index, built with Pagefind's library at build time and written
//! to `/pagefind/`. The browser loads it only when the search box is used, a few small
//! chunks at a time, so it works from any static host and under a sub-path.

use crate::config::Settings;
use crate::model::{Body, Dossier};

/// The folder of the index under the output root.
pub const BUNDLE_DIR: &str = "pagefind";

/// The most of a body's HTML that is indexed: a page longer than this (a whole report
/// pasted in) is found by its first megabyte of text.
const MAX_BODY: usize = 1 << 20;

/// One page to index: its site-root-relative URL and a minimal HTML document.
struct Record {
    url: String,
    html: String,
}

/// Escapes text for HTML.
fn esc(s: &str) -> String {
    let mut out = String::new();
    pulldown_cmark_escape::escape_html(&mut out, s).ok();
    out
}

/// The HTML Pagefind reads for one entry: the title as its first heading (Pagefind's
/// result title), the kind as a metadata field, then the summary and body.
fn record(
    kind: &str,
    title: &str,
    url: &str,
    base_path: &str,
    lines: &[String],
    body: &Body,
) -> Record {
    let mut html = format!(
        "<html><body><h1>{}</h1><p data-pagefind-meta=\"kind\">{kind}</p>",
        esc(title)
    );
    for line in lines {
        html.push_str("<p>");
        html.push_str(&esc(line));
        html.push_str("</p>");
    }
    html.push_str(cut(&body.rendered.html, MAX_BODY));
    html.push_str("</body></html>");
    // Pagefind joins result URLs to the `baseUrl` the page gives it, so the index holds
    // URLs without the site's path prefix.
    let url = url
        .strip_prefix(base_path.trim_end_matches('/'))
        .unwrap_or(url);
    Record {
        url: url.to_string(),
        html,
    }
}

/// At most `max` bytes of `html`, ended before a tag so that no tag is cut in two.
fn cut(html: &str, max: usize) -> &str {
    if html.len() <= max {
        return html;
    }
    let mut end = max;
    while !html.is_char_boundary(end) {
        end -= 1;
    }
    match html[..end].rfind('<') {
        Some(at) => &html[..at],
        None => &html[..end],
    }
}

/// Every claim, source, actor and plain page as a record.
fn records(d: &Dossier, settings: &Settings) -> Vec<Record> {
    let base = &settings.base_path;
    let names = |ids: &[usize]| -> String {
        ids.iter()
            .map(|&a| d.actors[a].meta.title.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut out = Vec::new();
    for c in &d.claims {
        let mut lines = vec![format!(
            "Claimed by {} on {}",
            names(&c.claimants),
            c.meta.date.human()
        )];
        lines.extend(c.meta.summary.clone());
        out.push(record(
            "Claim",
            &c.meta.title,
            &c.url,
            base,
            &lines,
            &c.body,
        ));
    }
    for s in &d.sources {
        let mut lines: Vec<String> = s.meta.publisher.iter().cloned().collect();
        lines.extend(s.meta.authors.iter().cloned());
        lines.extend(s.meta.title_translation.clone());
        out.push(record(
            "Source",
            &s.meta.title,
            &s.url,
            base,
            &lines,
            &s.body,
        ));
    }
    for a in &d.actors {
        let lines: Vec<String> = a.meta.aliases.clone();
        out.push(record(
            "Actor",
            &a.meta.title,
            &a.url,
            base,
            &lines,
            &a.body,
        ));
    }
    for p in &d.pages {
        let lines: Vec<String> = p.meta.description.iter().cloned().collect();
        out.push(record("Page", &p.meta.title, &p.url, base, &lines, &p.body));
    }
    out
}

/// The files of the search index, by output-relative path.
pub fn index(d: &Dossier, settings: &Settings) -> Result<Vec<(String, Vec<u8>)>, String> {
    let language = settings
        .config
        .language
        .split('-')
        .next()
        .unwrap_or("en")
        .to_ascii_lowercase();
    let records = records(d, settings);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .map_err(|e| format!("cannot start the search indexer: {e}"))?;
    let files = runtime.block_on(async move {
        let options = pagefind::options::PagefindServiceConfig::builder()
            .force_language(language)
            .build();
        let mut index = pagefind::api::PagefindIndex::new(Some(options))?;
        for r in records {
            index.add_html_file(None, Some(r.url), r.html).await?;
        }
        index.get_files().await
    });
    let files = files.map_err(|e| format!("cannot build the search index: {e}"))?;
    Ok(files
        .into_iter()
        .filter_map(|f| {
            let name = f.filename.to_string_lossy().replace('\\', "/");
            // The bundle also carries Pagefind's own interfaces; this site has its own.
            let ui = name.contains("-ui.") || name.contains("_ui.") || name.contains("highlight");
            (!ui).then(|| (format!("{BUNDLE_DIR}/{name}"), f.contents))
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::cut;

    #[test]
    fn long_bodies_are_cut_before_a_tag() {
        assert_eq!(cut("<p>short</p>", 100), "<p>short</p>");
        assert_eq!(cut("<p>one</p><p>two</p>", 14), "<p>one</p>");
        assert_eq!(cut("ééé", 3), "é");
    }
}
