//! Code highlighting with syntect, emitted as CSS classes, plus the one stylesheet for them.

use std::sync::OnceLock;

use syntect::highlighting::ThemeSet;
use syntect::html::{ClassStyle, ClassedHTMLGenerator, css_for_theme_with_class_style};
use syntect::parsing::SyntaxSet;
use syntect::util::LinesWithEndings;

/// Every highlighting class starts with this prefix, so theme CSS never collides.
const CLASS_STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };

fn syntaxes() -> &'static SyntaxSet {
    static SET: OnceLock<SyntaxSet> = OnceLock::new();
    SET.get_or_init(SyntaxSet::load_defaults_newlines)
}

fn themes() -> &'static ThemeSet {
    static SET: OnceLock<ThemeSet> = OnceLock::new();
    SET.get_or_init(ThemeSet::load_defaults)
}

/// Whether syntect knows a theme of this name.
pub fn theme_exists(name: &str) -> bool {
    themes().themes.contains_key(name)
}

/// The known theme name nearest to `name`.
pub fn nearest_theme(name: &str) -> Option<String> {
    crate::diagnostics::nearest(name, themes().themes.keys().map(String::as_str))
}

/// The stylesheet for the highlighting classes in theme `name`.
pub fn stylesheet(name: &str) -> String {
    themes()
        .themes
        .get(name)
        .and_then(|t| css_for_theme_with_class_style(t, CLASS_STYLE).ok())
        .unwrap_or_default()
}

/// Highlights `code` written in `lang` (a fence's first word) as classed HTML inside
/// `<pre><code>`; unknown languages are escaped as plain text.
pub fn highlight(code: &str, lang: &str) -> String {
    let lang_attr = pulldown_cmark_escape_attr(lang);
    let syntax = if lang.is_empty() {
        None
    } else {
        let set = syntaxes();
        set.find_syntax_by_token(lang)
            .or_else(|| set.find_syntax_by_extension(lang))
    };
    let inner = match syntax {
        Some(syntax) => {
            let mut generator =
                ClassedHTMLGenerator::new_with_class_style(syntax, syntaxes(), CLASS_STYLE);
            let ok = LinesWithEndings::from(code).all(|line| {
                generator
                    .parse_html_for_line_which_includes_newline(line)
                    .is_ok()
            });
            if ok {
                generator.finalize()
            } else {
                escape(code)
            }
        }
        None => escape(code),
    };
    if lang.is_empty() {
        format!("<pre class=\"code hl-code\"><code>{inner}</code></pre>\n")
    } else {
        format!(
            "<pre class=\"code hl-code\" data-lang=\"{lang_attr}\"><code class=\"language-{lang_attr}\">{inner}</code></pre>\n"
        )
    }
}

fn pulldown_cmark_escape_attr(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_ascii_alphanumeric() || "+-_#.".contains(*c))
        .collect()
}

fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    pulldown_cmark_escape::escape_html(&mut out, s).ok();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn highlights_with_classes_and_escapes_unknown() {
        let html = highlight("let x = \"<b>\";\n", "rust");
        assert!(html.contains("class=\"hl-"), "{html}");
        assert!(html.contains("&lt;b&gt;"), "{html}");
        let plain = highlight("<script>", "no-such-language");
        assert!(plain.contains("&lt;script&gt;"));
    }

    #[test]
    fn stylesheet_has_prefixed_classes() {
        assert!(stylesheet("InspiredGitHub").contains(".hl-"));
        assert!(theme_exists("InspiredGitHub"));
        assert_eq!(
            nearest_theme("InspiredGithub").as_deref(),
            Some("InspiredGitHub")
        );
    }
}
