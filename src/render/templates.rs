//! Tera setup: the embedded default theme, a theme from `themes/<name>/`, and the site's
//! own `templates/` and `static/`, each layer overriding files of the same name.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;

use include_dir::{Dir, include_dir};
use tera::{Kwargs, State, Tera};

use crate::base::diagnostics::{Diagnostic, nearest, rel_path};
use crate::load::config::Settings;
use crate::render::i18n::Strings;

/// The default theme, built into the binary.
static DEFAULT_THEME: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/themes/default");

/// The name of the built-in theme.
const DEFAULT_THEME_NAME: &str = "default";

/// The default theme's translation table for the language `primary`, if it ships one.
pub(crate) fn shipped_table(primary: &str) -> Option<&'static str> {
    DEFAULT_THEME
        .get_file(format!("i18n/{primary}.toml"))
        .and_then(|f| f.contents_utf8())
}

/// A static file to copy to the output root.
#[derive(Debug, Clone)]
pub enum StaticFile {
    Embedded(&'static [u8]),
    Disk(PathBuf),
}

/// The loaded templates and the static files that go with them.
pub struct Theme {
    pub tera: Tera,
    /// The interface's strings in the site's language.
    pub strings: Arc<Strings>,
    /// Output-relative path to file, after overrides.
    pub static_files: BTreeMap<String, StaticFile>,
    /// Template name to the file it came from, for diagnostics.
    origins: BTreeMap<String, String>,
    /// A digest of the templates as prepared, the static files' paths and the strings.
    pub digest: u64,
    /// Whether some strings are shown in English, marked, in another language's pages.
    marked: bool,
}

impl Theme {
    /// Loads the configured theme with the site's overrides.
    pub fn load(settings: &Settings) -> Result<Theme, Vec<Diagnostic>> {
        let root = &settings.root;
        let mut sources: BTreeMap<String, (String, String)> = BTreeMap::new();
        let mut static_files: BTreeMap<String, StaticFile> = BTreeMap::new();
        let mut errors = Vec::new();
        add_embedded(&DEFAULT_THEME, &mut sources, &mut static_files);

        let name = settings
            .config
            .theme
            .clone()
            .unwrap_or_else(|| DEFAULT_THEME_NAME.to_string());
        let theme_dir = root.join("themes").join(&name);
        if theme_dir.is_dir() {
            add_disk(
                settings,
                &theme_dir.join("templates"),
                &mut sources,
                &mut errors,
            );
            add_static(
                root,
                &theme_dir.join("static"),
                &mut static_files,
                &mut errors,
            );
        } else if name != DEFAULT_THEME_NAME {
            errors.push(missing_theme(root, &name));
        }
        add_disk(settings, &root.join("templates"), &mut sources, &mut errors);
        add_static(root, &root.join("static"), &mut static_files, &mut errors);
        if !errors.is_empty() {
            return Err(errors);
        }

        // A table may translate the catalogue's strings and those the templates ask for.
        let asked = sources
            .iter()
            .flat_map(|(name, (text, _))| {
                crate::render::i18n::catalogue::asked_by_template(name, text)
            })
            .collect();
        let known = crate::render::i18n::Catalogue::shipped().with(asked);
        let strings = Arc::new(Strings::load(settings, shipped_table, &known)?);
        let mut tera = Tera::new();
        tera.set_escape_fn(escape_html);
        register_functions(&mut tera, &strings, settings);
        let origins: BTreeMap<String, String> = sources
            .iter()
            .map(|(k, (_, origin))| (k.clone(), origin.clone()))
            .collect();
        // Fixed strings are written into the templates once, in the site's language, so
        // that a page costs no more to render in translation than it did in English.
        // Indentation and blank lines between tags are dropped too, as a browser would.
        let prepared: Vec<(String, String)> = sources
            .iter()
            .map(|(k, (text, _))| {
                let text = inline_strings(text, &strings);
                let text = match k.ends_with(".html") {
                    true => tidy_white_space(&text),
                    false => text,
                };
                (k.clone(), text)
            })
            .collect();
        if let Err(e) =
            tera.add_raw_templates(prepared.iter().map(|(k, text)| (k.as_str(), text.as_str())))
        {
            // Reported against the files as written, where its line and column are.
            let written = Tera::new()
                .add_raw_templates(
                    sources
                        .iter()
                        .map(|(k, (text, _))| (k.as_str(), text.as_str())),
                )
                .err();
            return Err(vec![template_diagnostic(
                written.as_ref().unwrap_or(&e),
                &origins,
            )]);
        }
        let digest = {
            let mut h = std::hash::DefaultHasher::new();
            let paths: Vec<&String> = static_files.keys().collect();
            std::hash::Hash::hash(&(&prepared, paths, strings.digest()), &mut h);
            std::hash::Hasher::finish(&h)
        };
        Ok(Theme {
            tera,
            marked: strings.incomplete(),
            strings,
            static_files,
            origins,
            digest,
        })
    }

    /// Renders template `name`, mapping a template error to a diagnostic naming its file.
    /// Strings shown in English in another language's page are marked as such
    /// ([`crate::render::i18n::markers`]).
    pub fn render(&self, name: &str, context: &tera::Context) -> Result<String, Diagnostic> {
        let text = self
            .tera
            .render(name, context)
            .map_err(|e| template_diagnostic(&e, &self.origins))?;
        Ok(
            match self.marked && crate::render::i18n::markers::any(&text) {
                false => text,
                true if name.ends_with(".html") => {
                    crate::render::i18n::markers::resolve_html(&text)
                }
                true => crate::render::i18n::markers::strip(&text),
            },
        )
    }
}

/// The error for a `theme` in site.toml that has no folder, with the nearest one.
fn missing_theme(root: &std::path::Path, name: &str) -> Diagnostic {
    let available: Vec<String> = std::fs::read_dir(root.join("themes"))
        .map(|rd| {
            rd.filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    let line = std::fs::read_to_string(root.join(crate::load::config::CONFIG_FILE))
        .ok()
        .and_then(|t| t.lines().position(|l| l.trim_start().starts_with("theme")))
        .map_or(0, |i| i + 1);
    Diagnostic::error(
        crate::load::config::CONFIG_FILE,
        line,
        0,
        format!("theme `{name}` not found: there is no folder themes/{name}/"),
    )
    .suggest(nearest(
        name,
        available
            .iter()
            .map(String::as_str)
            .chain([DEFAULT_THEME_NAME]),
    ))
}

/// The functions and filters templates call: `t` (a string in the site's language),
/// `plural_forms` (every plural form of one, for the script), `url` (a path under the
/// base path) and the `dir` filter (the direction of a language tag).
fn register_functions(tera: &mut Tera, strings: &Arc<Strings>, settings: &Settings) {
    // `t(en="{n} sources", n=3)`: the English text in the site's language; with
    // `one="{n} source"`, the form the language uses for `n`.
    let words = strings.clone();
    tera.register_function(
        "t",
        move |kwargs: Kwargs, _: &State| -> tera::TeraResult<String> {
            let en: &str = kwargs.must_get("en")?;
            // A count is read only for a string with a form for one; elsewhere `n` may
            // be any value (a reference's number, written as it is).
            let one: Option<&str> = kwargs.get("one")?;
            let n: Option<i64> = match one {
                Some(_) => kwargs.get("n")?,
                None => None,
            };
            let text = match (one, n) {
                (Some(one), Some(n)) => words.plural(one, en, n),
                _ => words.tr(en),
            };
            if !text.contains('{') {
                return Ok(text.to_string());
            }
            let mut out = text.to_string();
            for (k, v) in kwargs.iter() {
                let Some(k) = k.as_str().filter(|k| *k != "en" && *k != "one") else {
                    continue;
                };
                // Counts are written as the language writes numbers.
                let v = match (v.as_str(), v.as_i64()) {
                    (Some(s), _) => s.to_string(),
                    (None, Some(n)) => words.number(n),
                    (None, None) => v.to_string(),
                };
                out = out.replace(&format!("{{{k}}}"), &v);
            }
            Ok(out)
        },
    );
    // `plural_forms(en="{n} results", one="{n} result")`: every plural form of the
    // string in the site's language, as JSON for the script.
    let words = strings.clone();
    tera.register_function(
        "plural_forms",
        move |kwargs: Kwargs, _: &State| -> tera::TeraResult<String> {
            let en: &str = kwargs.must_get("en")?;
            let one: &str = kwargs.must_get("one")?;
            let forms: serde_json::Map<String, serde_json::Value> = words
                .plural_forms(one, en)
                .into_iter()
                .map(|(c, t)| (c.to_string(), t.into()))
                .collect();
            Ok(serde_json::Value::Object(forms).to_string())
        },
    );
    // `lang | dir`: the direction a language is written in, for the `dir` beside a
    // `lang` of text in another language than the page's.
    tera.register_filter("dir", |tag: &str, _: Kwargs, _: &State| -> String {
        crate::base::locale::dir_of(tag).to_string()
    });
    let urls = settings.clone();
    tera.register_function(
        "url",
        move |kwargs: Kwargs, _: &State| -> tera::TeraResult<String> {
            Ok(urls.url(kwargs.must_get::<&str>("path")?))
        },
    );
}

fn template_diagnostic(e: &tera::Error, origins: &BTreeMap<String, String>) -> Diagnostic {
    let (file, line, col, message) = match e.kind() {
        tera::ErrorKind::SyntaxError(r) | tera::ErrorKind::RenderingError(r) => {
            let origin = origins
                .get(r.filename())
                .cloned()
                .unwrap_or_else(|| r.filename().to_string());
            (
                origin,
                r.span().start_line,
                r.span().start_col + 1,
                r.message().to_string(),
            )
        }
        _ => ("templates".to_string(), 0, 0, e.to_string()),
    };
    let mut message = format!("template error: {message}");
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        message.push_str(&format!(": {s}"));
        source = s.source();
    }
    Diagnostic::error(file, line, col, message)
}

fn add_embedded(
    dir: &'static Dir<'static>,
    sources: &mut BTreeMap<String, (String, String)>,
    statics: &mut BTreeMap<String, StaticFile>,
) {
    for file in dir.files() {
        let path = file.path().to_string_lossy().replace('\\', "/");
        if let Some(name) = path.strip_prefix("templates/") {
            if let Some(text) = file.contents_utf8() {
                sources.insert(
                    name.to_string(),
                    (
                        text.to_string(),
                        format!("(built-in theme)/templates/{name}"),
                    ),
                );
            }
        } else if let Some(name) = path.strip_prefix("static/") {
            statics.insert(name.to_string(), StaticFile::Embedded(file.contents()));
        }
    }
    for sub in dir.dirs() {
        add_embedded(sub, sources, statics);
    }
}

fn walk_files(dir: &std::path::Path) -> Vec<PathBuf> {
    walkdir::WalkDir::new(dir)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            e.depth() == 0 || !crate::load::content::is_ignored(&e.file_name().to_string_lossy())
        })
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .collect()
}

fn add_disk(
    settings: &Settings,
    dir: &std::path::Path,
    sources: &mut BTreeMap<String, (String, String)>,
    errors: &mut Vec<Diagnostic>,
) {
    for path in walk_files(dir) {
        let name = rel_path(dir, &path);
        let origin = rel_path(&settings.root, &path);
        match std::fs::read(&path).map(String::from_utf8) {
            Ok(Ok(text)) => {
                sources.insert(name, (text, origin));
            }
            Ok(Err(_)) => errors.push(Diagnostic::error(
                origin,
                0,
                0,
                "template is not valid UTF-8",
            )),
            Err(e) => errors.push(Diagnostic::error(origin, 0, 0, format!("cannot read: {e}"))),
        }
    }
}

/// Adds the files under `dir` as static files (over the theme's of the same name); one
/// published where dossier generates a page or a file is an error naming both.
fn add_static(
    root: &std::path::Path,
    dir: &std::path::Path,
    statics: &mut BTreeMap<String, StaticFile>,
    errors: &mut Vec<Diagnostic>,
) {
    for path in walk_files(dir) {
        let rel = rel_path(dir, &path);
        if let Some(generated) = crate::resolve::pages::generated_at(&rel) {
            errors.push(Diagnostic::error(
                crate::base::diagnostics::rel_path(root, &path),
                0,
                0,
                format!("this static file would be published at `/{rel}`, where dossier writes {generated}; rename or move it"),
            ));
            continue;
        }
        statics.insert(rel, StaticFile::Disk(path));
    }
}

/// `text` (an HTML template) with each run of white space that holds a line break, outside
/// template tags, made one line break: the page reads the same, since HTML draws any such
/// run as one space. A template that may show white space as written (`<pre>`,
/// `<textarea>`, `white-space` in a style, an inline script, `{% raw %}`) is kept whole.
fn tidy_white_space(text: &str) -> String {
    let inline_script = text.match_indices("<script").any(|(at, _)| {
        let tag = text[at..].split('>').next().unwrap_or_default();
        !tag.contains("src=") && !tag.contains("application/ld+json")
    });
    let verbatim = ["<pre", "<textarea", "white-space", "{% raw", "{%- raw"];
    if inline_script || verbatim.iter().any(|v| text.contains(v)) {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    loop {
        // Literal text runs to the next tag, which is copied as it is.
        let open = ["{{", "{%", "{#"]
            .iter()
            .filter_map(|o| rest.find(o))
            .min()
            .unwrap_or(rest.len());
        squeeze(&rest[..open], &mut out);
        rest = &rest[open..];
        if rest.is_empty() {
            return out;
        }
        let close = match &rest[..2] {
            "{{" => "}}",
            "{%" => "%}",
            _ => "#}",
        };
        let end = rest[2..].find(close).map_or(rest.len(), |e| e + 4);
        out.push_str(&rest[..end]);
        rest = &rest[end..];
    }
}

/// Appends `literal` with each run of white space that holds a line break made one.
fn squeeze(literal: &str, out: &mut String) {
    let mut run_start = None;
    for (i, c) in literal.char_indices() {
        match (c.is_ascii_whitespace(), run_start) {
            (true, None) => run_start = Some(i),
            (true, Some(_)) => {}
            (false, Some(start)) => {
                push_run(&literal[start..i], out);
                run_start = None;
                out.push(c);
            }
            (false, None) => out.push(c),
        }
    }
    if let Some(start) = run_start {
        push_run(&literal[start..], out);
    }
}

fn push_run(run: &str, out: &mut String) {
    match run.contains('\n') {
        true => out.push('\n'),
        false => out.push_str(run),
    }
}

/// `text` with each `{{ t(en="…") }}` that takes nothing else replaced by the string in
/// the site's language, escaped as `{{ }}` would (unless the translation itself holds
/// template syntax or white space at its edges, which stays a call); `{{-` and `-}}` trim
/// white space as Tera does.
fn inline_strings(text: &str, strings: &Strings) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("{{") {
        // `{{-` trims the white space before the tag, as Tera would.
        let inner = &rest[at + 2..];
        let trim = inner.starts_with('-');
        let call = inner[usize::from(trim)..].trim_start();
        let Some(literal) = call.strip_prefix("t(en=\"") else {
            out.push_str(&rest[..at + 2]);
            rest = inner;
            continue;
        };
        let open = rest.len() - literal.len() - at;
        out.push_str(&rest[..at]);
        let after = &rest[at + open..];
        // `-}}` trims the white space after it.
        let close = quote_end(after).and_then(|e| {
            let tail = after[e..].strip_prefix("\")")?.trim_start();
            let trim_after = tail.starts_with('-');
            let tail = tail[usize::from(trim_after)..].strip_prefix("}}")?;
            Some((e, after.len() - e - tail.len(), trim_after))
        });
        let translated = close
            .map(|(e, _, _)| strings.tr(&after[..e].replace("\\\"", "\"")).to_string())
            .filter(|t| !t.contains("{{") && !t.contains("{%") && !t.contains("{#"))
            // Written into the template's text, white space at its edges would be trimmed
            // by a `{%-` or `-}}` next to it: such a string stays a call.
            .filter(|t| t.trim() == t);
        match (close, translated) {
            (Some((e, len, trim_after)), Some(t)) => {
                if trim {
                    out.truncate(out.trim_end().len());
                }
                let mut escaped = Vec::new();
                let _ = escape_html(&t, &mut escaped);
                out.push_str(&String::from_utf8_lossy(&escaped));
                rest = &after[e + len..];
                if trim_after {
                    rest = rest.trim_start();
                }
            }
            _ => {
                out.push_str(&rest[at..at + open]);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Where the string quoted at the start of `text` (its opening quote already read)
/// ends, past escaped quotes.
fn quote_end(text: &str) -> Option<usize> {
    let mut escaped = false;
    for (i, c) in text.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '"' => return Some(i),
            _ => {}
        }
    }
    None
}

/// HTML escaping for templates, with the same output as Tera's own (`&`, `<`, `>`, `"` and
/// `'` become entities) but written a run of plain text at a time rather than byte by byte.
fn escape_html(input: &str, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let bytes = input.as_bytes();
    let mut start = 0;
    for (i, b) in bytes.iter().enumerate() {
        let entity: &[u8] = match b {
            b'&' => b"&amp;",
            b'<' => b"&lt;",
            b'>' => b"&gt;",
            b'"' => b"&quot;",
            b'\'' => b"&#39;",
            _ => continue,
        };
        out.write_all(&bytes[start..i])?;
        out.write_all(entity)?;
        start = i + 1;
    }
    out.write_all(&bytes[start..])
}

#[cfg(test)]
mod tests {
    #[test]
    fn escapes_as_tera_does() {
        for input in ["", "plain", "<a href=\"x\">'&'</a>", "é<", "&&", "tail>"] {
            let (mut ours, mut theirs) = (Vec::new(), Vec::new());
            super::escape_html(input, &mut ours).unwrap();
            tera::escape_html(input, &mut theirs).unwrap();
            assert_eq!(ours, theirs, "{input}");
        }
    }

    #[test]
    fn white_space_between_tags_is_one_line_break_and_tags_are_kept() {
        let t = "<ul>\n    {% for x in xs %}\n      <li>{{ x }}  done</li>\n\n    {%- endfor %}\n</ul>\n";
        assert_eq!(
            super::tidy_white_space(t),
            "<ul>\n{% for x in xs %}\n<li>{{ x }}  done</li>\n{%- endfor %}\n</ul>\n"
        );
        let tag = "{{ t(en=\"a\n   b\") }}\n   x";
        assert_eq!(super::tidy_white_space(tag), "{{ t(en=\"a\n   b\") }}\nx");
        for kept in [
            "<pre>\n  a\n</pre>",
            "<textarea>\n  a</textarea>",
            "<p style=\"white-space: pre\">\n  a</p>",
            "<script>\n  let a = `x\n  y`;</script>",
        ] {
            assert_eq!(super::tidy_white_space(kept), kept);
        }
        let jsonld = "<script type=\"application/ld+json\">\n  {}</script>";
        assert_eq!(
            super::tidy_white_space(jsonld),
            "<script type=\"application/ld+json\">\n{}</script>"
        );
    }

    #[test]
    fn fixed_strings_are_written_in_and_trim_as_tera_would() {
        let english = crate::render::i18n::Strings::english();
        let t = "<p>\n  {{- t(en=\"a & b\") -}}\n  </p>{{\n t(en=\"x\")}} {{ t(en=\"y\", n=1) }}";
        assert_eq!(
            super::inline_strings(t, english),
            "<p>a &amp; b</p>x {{ t(en=\"y\", n=1) }}"
        );
        let edges = "a{{ t(en=\", \") }}\n  {%- if x %}";
        assert_eq!(super::inline_strings(edges, english), edges);
        let mut tera = tera::Tera::new();
        tera.add_raw_template(
            "t",
            "<p>\n  {{- \"a\" -}}\n  </p>{%- if true -%}\n b{% endif %}",
        )
        .unwrap();
        let out = tera.render("t", &tera::Context::new()).unwrap();
        assert_eq!(out, "<p>a</p>b");
    }
}
