//! Code highlighting with syntect: each run of text in one style becomes one flat span
//! whose classes name its colours, plus the one stylesheet for them.

use rustc_hash::FxHashMap;
use std::fmt::Write;
use std::sync::OnceLock;

use std::cell::RefCell;
use syntect::easy::ScopeRangeIterator;
use syntect::highlighting::{Color, FontStyle, Highlighter, Style, Theme, ThemeSet};
use syntect::parsing::{ParseState, Scope, ScopeStack, SyntaxReference, SyntaxSet};
use syntect::util::LinesWithEndings;

fn syntaxes() -> &'static SyntaxSet {
    static SET: OnceLock<SyntaxSet> = OnceLock::new();
    SET.get_or_init(SyntaxSet::load_defaults_newlines)
}

fn themes() -> &'static ThemeSet {
    static SET: OnceLock<ThemeSet> = OnceLock::new();
    SET.get_or_init(ThemeSet::load_defaults)
}

/// Whether syntect knows a theme of this name.
pub(crate) fn theme_exists(name: &str) -> bool {
    themes().themes.contains_key(name)
}

/// The known theme name nearest to `name`.
pub(crate) fn nearest_theme(name: &str) -> Option<String> {
    crate::base::diagnostics::nearest(name, themes().themes.keys().map(String::as_str))
}

/// The themes made readable (see [`readable`]), by name.
fn readable_themes() -> &'static FxHashMap<String, Theme> {
    static SET: OnceLock<FxHashMap<String, Theme>> = OnceLock::new();
    SET.get_or_init(|| {
        themes()
            .themes
            .iter()
            .map(|(name, t)| (name.clone(), readable(t)))
            .collect()
    })
}

/// A highlighter for each readable theme, by name.
fn highlighters() -> &'static FxHashMap<String, Highlighter<'static>> {
    static SET: OnceLock<FxHashMap<String, Highlighter<'static>>> = OnceLock::new();
    SET.get_or_init(|| {
        readable_themes()
            .iter()
            .map(|(name, t)| (name.clone(), Highlighter::new(t)))
            .collect()
    })
}

thread_local! {
    /// The classes of each scope stack met so far, by theme: code blocks repeat the same
    /// few stacks, and matching a stack against a theme's rules is the costly step.
    static CLASSES: RefCell<FxHashMap<String, FxHashMap<Vec<Scope>, String>>> =
        RefCell::default();
}

/// A colour as CSS hex digits, with its alpha only when it is not opaque.
fn hex(c: Color) -> String {
    match c.a {
        0xff => format!("{:02x}{:02x}{:02x}", c.r, c.g, c.b),
        a => format!("{:02x}{:02x}{:02x}{a:02x}", c.r, c.g, c.b),
    }
}

/// The stylesheet for the highlighting classes of theme `name`: the block's own colours,
/// then one class per foreground colour (`hl-<hex>`), per background colour
/// (`hl-bg-<hex>`) and per font style.
pub fn stylesheet(name: &str) -> String {
    let Some(t) = readable_themes().get(name) else {
        return String::new();
    };
    let mut css = format!("/* highlighting theme \"{name}\" */\n.hl-code {{");
    if let Some(fg) = t.settings.foreground {
        let _ = write!(css, " color: #{};", hex(fg));
    }
    if let Some(bg) = t.settings.background {
        let _ = write!(css, " background-color: #{};", hex(bg));
    }
    css.push_str(" }\n");
    let colours = |pick: fn(&syntect::highlighting::StyleModifier) -> Option<Color>| {
        let set: std::collections::BTreeSet<String> = t
            .scopes
            .iter()
            .filter_map(|s| pick(&s.style))
            .map(hex)
            .collect();
        set
    };
    let fg = colours(|s| s.foreground);
    let bg = colours(|s| s.background);
    for c in fg {
        let _ = writeln!(css, ".hl-{c} {{ color: #{c}; }}");
    }
    for c in bg {
        let _ = writeln!(css, ".hl-bg-{c} {{ background-color: #{c}; }}");
    }
    css.push_str(".hl-bold { font-weight: bold; }\n.hl-italic { font-style: italic; }\n");
    css.push_str(".hl-underline { text-decoration: underline; }\n");
    css
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

/// Highlights `code` written in `lang` (a fence's first word) in theme `theme` as HTML
/// inside `<pre><code>`; unknown languages are escaped as plain text.
pub fn highlight(code: &str, lang: &str, theme: &str) -> String {
    let lang_attr = pulldown_cmark_escape_attr(lang);
    let set = syntaxes();
    let syntax = match lang {
        "" => None,
        _ => set
            .find_syntax_by_token(lang)
            .or_else(|| set.find_syntax_by_extension(lang)),
    };
    let inner = match (syntax, readable_themes().get(theme)) {
        (Some(syntax), Some(t)) => styled(code, syntax, theme, t).unwrap_or_else(|| escape(code)),
        _ => escape(code),
    };
    if lang.is_empty() {
        format!("<pre class=\"code hl-code\" tabindex=\"0\"><code>{inner}</code></pre>\n")
    } else {
        format!(
            "<pre class=\"code hl-code\" tabindex=\"0\" data-lang=\"{lang_attr}\"><code class=\"language-{lang_attr}\">{inner}</code></pre>\n"
        )
    }
}

/// The classes of text drawn in `style` within a block of theme `t`, empty when it
/// looks like the block's own text.
fn classes(style: Style, t: &Theme) -> String {
    let mut c = Vec::new();
    if Some(style.foreground) != t.settings.foreground {
        c.push(format!("hl-{}", hex(style.foreground)));
    }
    if Some(style.background) != t.settings.background {
        c.push(format!("hl-bg-{}", hex(style.background)));
    }
    for (flag, name) in [
        (FontStyle::BOLD, "hl-bold"),
        (FontStyle::ITALIC, "hl-italic"),
        (FontStyle::UNDERLINE, "hl-underline"),
    ] {
        if style.font_style.contains(flag) {
            c.push(name.to_string());
        }
    }
    c.join(" ")
}

/// `code` as spans, one per run of text drawn alike; white space that shows no colour
/// joins the run it is in. `None` if syntect fails on a line.
fn styled(code: &str, syntax: &SyntaxReference, name: &str, t: &Theme) -> Option<String> {
    let highlighter = highlighters().get(name)?;
    let mut state = ParseState::new(syntax);
    let mut stack = ScopeStack::new();
    let mut out = String::with_capacity(code.len() * 2);
    let mut run = (String::new(), String::new());
    CLASSES.with_borrow_mut(|cache| {
        let cache = cache.entry(name.to_string()).or_default();
        for line in LinesWithEndings::from(code) {
            let ops = state.parse_line(line, syntaxes()).ok()?;
            for (range, op) in ScopeRangeIterator::new(&ops, line) {
                stack.apply(op).ok()?;
                let text = &line[range];
                if text.is_empty() {
                    continue;
                }
                let class = match cache.get(stack.as_slice()) {
                    Some(c) => c,
                    None => {
                        let c = classes(highlighter.style_for_stack(stack.as_slice()), t);
                        cache.entry(stack.as_slice().to_vec()).or_insert(c)
                    }
                };
                let blank = text.trim().is_empty()
                    && !class.contains("hl-bg-")
                    && !class.contains("hl-underline");
                if !blank && *class != run.0 {
                    flush(&mut run, &mut out);
                    run.0.clone_from(class);
                }
                run.1.push_str(text);
            }
        }
        Some(())
    })?;
    flush(&mut run, &mut out);
    Some(out)
}

/// Writes a run of text (its classes, its text) as a span, or as bare text when it has
/// no classes, and empties it.
fn flush(run: &mut (String, String), out: &mut String) {
    if run.1.is_empty() {
        return;
    }
    if run.0.is_empty() {
        pulldown_cmark_escape::escape_html(&mut *out, &run.1).ok();
    } else {
        let _ = write!(out, "<span class=\"{}\">", run.0);
        pulldown_cmark_escape::escape_html(&mut *out, &run.1).ok();
        out.push_str("</span>");
    }
    run.1.clear();
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
        let html = highlight("let x = \"<b>\";\n", "rust", "InspiredGitHub");
        assert!(html.contains("class=\"hl-"), "{html}");
        assert!(html.contains("&lt;b&gt;"), "{html}");
        let plain = highlight("<script>", "no-such-language", "InspiredGitHub");
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
    fn every_class_drawn_is_in_the_stylesheet_and_runs_are_joined() {
        let code = "// note\nfn main() {\n    let s = \"a\";\n    let n = 42;\n}\n";
        for name in themes().themes.keys() {
            let html = highlight(code, "rust", name);
            let css = stylesheet(name);
            let mut used = 0;
            for class in html
                .split("class=\"")
                .skip(1)
                .filter_map(|c| c.split('"').next())
                .flat_map(str::split_whitespace)
                .filter(|c| c.starts_with("hl-") && *c != "hl-code")
            {
                used += 1;
                assert!(css.contains(&format!(".{class} {{")), "{name}: {class}");
            }
            assert!(used > 0, "{name}: nothing highlighted in {html}");
            // No span is followed at once by one of the same classes.
            let spans: Vec<&str> = html.split("<span class=\"").collect();
            for pair in spans.windows(2).skip(1) {
                let class = |s: &str| s.split('"').next().unwrap_or_default().to_string();
                let joined = pair[0].ends_with("</span>") && class(pair[0]) == class(pair[1]);
                assert!(!joined, "{name}: {html}");
            }
        }
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
