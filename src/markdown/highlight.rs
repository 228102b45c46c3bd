//! Code highlighting with syntect, emitted as CSS classes, plus the one stylesheet for them.

use std::sync::OnceLock;

use syntect::highlighting::{Color, Theme, ThemeSet};
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

/// The stylesheet for the highlighting classes in theme `name`, its colours made
/// readable (see [`readable`]).
pub fn stylesheet(name: &str) -> String {
    themes()
        .themes
        .get(name)
        .and_then(|t| css_for_theme_with_class_style(&readable(t), CLASS_STYLE).ok())
        .unwrap_or_default()
}

/// The WCAG relative luminance of a colour.
fn luminance(c: Color) -> f64 {
    let channel = |v: u8| {
        let v = f64::from(v) / 255.0;
        if v <= 0.03928 {
            v / 12.92
        } else {
            ((v + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * channel(c.r) + 0.7152 * channel(c.g) + 0.0722 * channel(c.b)
}

/// The WCAG contrast ratio of two colours.
fn contrast(a: Color, b: Color) -> f64 {
    let (x, y) = (luminance(a), luminance(b));
    (x.max(y) + 0.05) / (x.min(y) + 0.05)
}

/// `fg`, moved towards black on a light background or white on a dark one until it
/// reaches a contrast of 4.5:1 (WCAG AA for text) with `bg`.
fn legible(fg: Color, bg: Color) -> Color {
    let target = if luminance(bg) > 0.18 { 0u8 } else { 255u8 };
    let mut c = Color { a: 0xff, ..fg };
    for step in 1..=20 {
        if contrast(c, bg) >= 4.6 {
            break;
        }
        let t = f64::from(step) / 20.0;
        let mix = |v: u8| (f64::from(v) * (1.0 - t) + f64::from(target) * t).round() as u8;
        c = Color {
            r: mix(fg.r),
            g: mix(fg.g),
            b: mix(fg.b),
            a: 0xff,
        };
    }
    c
}

/// A theme whose text colours all reach WCAG AA contrast with its background: many
/// themes draw comments and numbers too faint to read.
fn readable(theme: &Theme) -> Theme {
    let mut t = theme.clone();
    let bg = t.settings.background.unwrap_or(Color::WHITE);
    if let Some(fg) = &mut t.settings.foreground {
        *fg = legible(*fg, bg);
    }
    for item in &mut t.scopes {
        if let Some(fg) = &mut item.style.foreground {
            let on = item.style.background.unwrap_or(bg);
            *fg = legible(*fg, on);
        }
    }
    t
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
        format!("<pre class=\"code hl-code\" tabindex=\"0\"><code>{inner}</code></pre>\n")
    } else {
        format!(
            "<pre class=\"code hl-code\" tabindex=\"0\" data-lang=\"{lang_attr}\"><code class=\"language-{lang_attr}\">{inner}</code></pre>\n"
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

    #[test]
    fn every_theme_colour_reaches_aa_contrast() {
        for (name, theme) in &themes().themes {
            let t = readable(theme);
            let bg = t.settings.background.unwrap_or(Color::WHITE);
            for item in &t.scopes {
                if let Some(fg) = item.style.foreground {
                    let on = item.style.background.unwrap_or(bg);
                    assert!(contrast(fg, on) >= 4.5, "{name}: {fg:?} on {on:?}");
                }
            }
        }
        // A colour that is already legible is kept.
        let black = Color::BLACK;
        assert_eq!(legible(black, Color::WHITE), black);
    }
}
