//! Languages: foreign-language titles and quotes marked with `lang`, and language tags
//! checked, through the binary.

mod common;

use common::*;

fn site() -> Site {
    let site = Site::minimal();
    site.write(
        "content/sources/source-s.md",
        "+++\ntitle = \"关于伏特台风的调查报告\"\ntitle_translation = \"Investigation report on Volt Typhoon\"\nlanguage = \"zh-CN\"\ndate = 2024-04-15\n+++\n",
    );
    site.write(
        "content/sources/source-s.txt",
        "报告称伏特台风是一个国际勒索软件团伙。",
    );
    site.write(
        "content/sources/source-t.md",
        "+++\ntitle = \"An English report\"\nlanguage = \"en\"\n+++\n",
    );
    site.write(
        "content/claims/claim-c.md",
        "+++\ntitle = \"Claim C\"\nclaimants = [\"actor-a\"]\ndate = 2024-04-15\n\n[[citations]]\nsource = \"source-s\"\nquote = \"伏特台风是一个国际勒索软件团伙\"\nquote_translation = \"Volt Typhoon is an international ransomware group\"\n\n[[citations]]\nsource = \"source-t\"\n+++\n\nBody [@source-s].\n",
    );
    site
}

#[test]
fn foreign_titles_and_quotes_carry_their_language() {
    let site = site();
    site.build(&[]).expect_code(0);
    let claim = site.read("claims/claim-c/index.html");
    assert!(claim.contains("<html lang=\"en\">"));
    assert!(
        claim.contains("lang=\"zh-CN\">关于伏特台风的调查报告</a>"),
        "{claim}"
    );
    assert!(claim.contains("<blockquote class=\"quote\" lang=\"zh-CN\"><p>伏特台风是一个国际勒索软件团伙</p></blockquote>"), "{claim}");
    assert!(
        claim.contains("<p class=\"translation\" lang=\"en\">"),
        "{claim}"
    );
    assert!(
        claim.contains("<a href=\"/sources/source-t/\">An English report</a>"),
        "the page's own language is not marked: {claim}"
    );
    let source = site.read("sources/source-s/index.html");
    assert!(
        source.contains("<h1 lang=\"zh-CN\">关于伏特台风的调查报告</h1>")
            && source
                .contains("<p class=\"lede\" lang=\"en\">Investigation report on Volt Typhoon</p>"),
        "{source}"
    );
    let print = site.read("print/index.html");
    assert!(
        print.contains("lang=\"zh-CN\">关于伏特台风的调查报告</h3>"),
        "{print}"
    );
    let sources = site.read("sources/index.html");
    assert!(
        sources.contains("lang=\"zh-CN\">关于伏特台风的调查报告</a>"),
        "{sources}"
    );
}

#[test]
fn language_tags_are_checked() {
    let site = site();
    for (tag, near) in [
        ("cn", "zh"),
        ("zh_CN", "zh-CN"),
        ("chinese", "zh"),
        ("jp", "ja"),
    ] {
        site.write(
            "content/sources/source-t.md",
            &format!("+++\ntitle = \"An English report\"\nlanguage = \"{tag}\"\n+++\n"),
        );
        let run = site.build(&[]).expect_code(1);
        assert!(
            run.stderr.contains(&format!("content/sources/source-t.md:3:13: error: `{tag}` is not a language tag (BCP 47, such as `en`, `zh-CN` or `fr`) (did you mean `{near}`?)")),
            "{tag}: {}",
            run.stderr
        );
        assert_eq!(run.stderr.matches("error:").count(), 1, "{}", run.stderr);
    }
    site.write(
        "content/sources/source-t.md",
        "+++\ntitle = \"An English report\"\nlanguage = \"en-GB\"\n+++\n",
    );
    site.write(
        "site.toml",
        "title = \"T\"\nbase_url = \"https://example.com/\"\nlanguage = \"english\"\n",
    );
    let run = site.build(&[]).expect_code(1);
    assert!(run.stderr.contains("site.toml:3: error: `english` is not a language tag (BCP 47, such as `en`, `zh-CN` or `fr`) (did you mean `en`?)"), "{}", run.stderr);
}

/// A page's text, scripts and tags dropped and the entities templates write decoded.
fn text_of(html: &str) -> String {
    let mut html = html.to_string();
    while let Some(start) = html.find("<script") {
        let end = html[start..]
            .find("</script>")
            .map_or(html.len(), |e| start + e + 9);
        html.replace_range(start..end, " ");
    }
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                out.push(' ');
            }
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&#39;", "'")
        .replace("&quot;", "\"")
        .replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
}

/// The English interface strings that `language`'s table translates, as the pieces of
/// text between their placeholders, leaving out any that the example's own content uses.
fn english_pieces(language: &str) -> Vec<String> {
    let table: std::collections::BTreeMap<String, String> = toml::from_str(
        &std::fs::read_to_string(repo_root().join(format!("themes/default/i18n/{language}.toml")))
            .unwrap(),
    )
    .unwrap();
    let mut content = String::new();
    for (_, e) in each_file(&repo_root().join("content")) {
        content.push_str(&std::fs::read_to_string(e.path()).unwrap_or_default());
    }
    let mut pieces: Vec<String> = table
        .iter()
        .filter(|(en, tr)| en != tr)
        .flat_map(|(en, _)| {
            en.split(['{', '}'])
                .step_by(2)
                .map(str::trim)
                .map(str::to_string)
                .collect::<Vec<_>>()
        })
        .filter(|p| {
            p.chars().filter(|c| c.is_alphabetic()).count() >= 4 && !content.contains(p.as_str())
        })
        .collect();
    pieces.sort();
    pieces.dedup();
    pieces
}

#[test]
fn french_and_chinese_interfaces_leave_no_english_string() {
    let english = Site::example();
    english.build(&[]).expect_code(0);
    for (language, dates) in [
        ("fr", ["15 avril 2024", "avril 2024"]),
        ("zh-CN", ["2024年4月15日", "2024年4月"]),
    ] {
        let site = Site::example_in(language);
        let run = site.build(&[]).expect_code(0);
        assert!(
            !run.stderr.contains("no translation"),
            "{language}: {}",
            run.stderr
        );
        let pieces = english_pieces(&language[..2]);
        assert!(pieces.len() > 100, "{}", pieces.len());
        for page in [
            "index.html",
            "claims/cverc-ransomware-not-state/index.html",
            "sources/cverc-2024-report-1/index.html",
            "map/index.html",
            "timeline/index.html",
            "search/index.html",
        ] {
            let before = text_of(&english.read(page));
            let after = text_of(&site.read(page));
            let left: Vec<&String> = pieces
                .iter()
                .filter(|p| before.contains(p.as_str()) && after.contains(p.as_str()))
                .collect();
            assert!(left.is_empty(), "{language} {page}: English left: {left:?}");
            let shown_before = pieces
                .iter()
                .filter(|p| before.contains(p.as_str()))
                .count();
            assert!(
                shown_before >= 5,
                "{page}: the check saw only {shown_before} strings"
            );
        }
        let claim = site.read("claims/cverc-ransomware-not-state/index.html");
        assert!(claim.contains(dates[0]), "{language}: {claim}");
        let timeline = site.read("timeline/index.html");
        assert!(timeline.contains(dates[1]), "{language}");
    }
}

#[test]
fn a_site_adds_and_overrides_strings_and_check_lists_the_missing() {
    let site = Site::example_in("fr");
    site.write("i18n/fr.toml", "\"Claims\" = \"Revendications\"\n");
    site.build(&[]).expect_code(0);
    assert!(site.read("index.html").contains(">Revendications</a>"));
    // A language with no shipped table: what the site gives is used, the rest is listed.
    let site = Site::example_in("de");
    site.write(
        "i18n/de.toml",
        "\"Claims\" = \"Behauptungen\"\n\"April\" = \"April\"\n",
    );
    let run = site.run(&["check"]).expect_code(0);
    assert!(
        run.stderr.contains("i18n/de.toml: warning: ")
            && run.stderr.contains(
                "interface strings have no translation into `de` and are shown in English: "
            ),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("`Sources`") && !run.stderr.contains("`Claims`"),
        "{}",
        run.stderr
    );
    site.build(&[]).expect_code(0);
    assert!(
        site.read("index.html").contains(">Behauptungen</a>")
            && site.read("index.html").contains(">Sources</a>")
    );
    // A table that is not TOML is an error at its line.
    site.write(
        "i18n/de.toml",
        "\"Claims\" = \"Behauptungen\"\nSources = \n",
    );
    let run = site.build(&[]).expect_code(1);
    assert!(
        run.stderr
            .contains("i18n/de.toml:2: error: a translation table holds"),
        "{}",
        run.stderr
    );
}
