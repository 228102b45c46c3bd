//! Languages: foreign-language titles and quotes marked with `lang`, and language tags
//! checked, through the binary.

use crate::common;

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
        claim.contains("lang=\"zh-CN\" dir=\"ltr\">关于伏特台风的调查报告</a>"),
        "{claim}"
    );
    assert!(claim.contains("<blockquote class=\"quote\" lang=\"zh-CN\" dir=\"ltr\"><p>伏特台风是一个国际勒索软件团伙</p></blockquote>"), "{claim}");
    assert!(
        claim.contains("<p class=\"translation\" lang=\"en\" dir=\"ltr\">"),
        "{claim}"
    );
    assert!(
        claim.contains("<a href=\"/sources/source-t/\">An English report</a>"),
        "the page's own language is not marked: {claim}"
    );
    let source = site.read("sources/source-s/index.html");
    assert!(
        source.contains("<h1 lang=\"zh-CN\" dir=\"ltr\">关于伏特台风的调查报告</h1>")
            && source.contains(
                "<p class=\"lede\" lang=\"en\" dir=\"ltr\">Investigation report on Volt Typhoon</p>"
            ),
        "{source}"
    );
    let print = site.read("print/index.html");
    assert!(
        print.contains("lang=\"zh-CN\" dir=\"ltr\">关于伏特台风的调查报告</h3>"),
        "{print}"
    );
    let sources = site.read("sources/index.html");
    assert!(
        sources.contains("lang=\"zh-CN\" dir=\"ltr\">关于伏特台风的调查报告</a>"),
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
    let table: std::collections::BTreeMap<String, toml::Value> = toml::from_str(
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
        .filter(|(en, tr)| match tr {
            toml::Value::String(t) => en != &t,
            other => !other.to_string().contains(en.as_str()),
        })
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
fn every_shipped_interface_leaves_no_english_string() {
    let english = Site::example();
    english.build(&[]).expect_code(0);
    for (language, dates) in [
        ("fr", ["15 avril 2024", "avril 2024"]),
        ("zh-CN", ["2024年4月15日", "2024年4月"]),
        ("de", ["15. April 2024", "April 2024"]),
        ("es", ["15 de abril de 2024", "abril de 2024"]),
        ("ru", ["15 апреля 2024 г.", "апрель 2024 г."]),
        ("uk", ["15 квітня 2024 р.", "квітень 2024 р."]),
        ("ar", ["١٥ أبريل ٢٠٢٤", "أبريل ٢٠٢٤"]),
        ("fa", ["۱۵ آوریل ۲۰۲۴", "آوریل ۲۰۲۴"]),
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
fn a_site_adds_and_overrides_strings_and_check_counts_the_missing() {
    let site = Site::example_in("fr");
    site.write("i18n/fr.toml", "\"Claims\" = \"Revendications\"\n");
    site.build(&[]).expect_code(0);
    assert!(site.read("index.html").contains(">Revendications</a>"));
    // A language the theme ships no table for: what the site gives is used, the rest counted.
    let site = Site::example_in("it");
    site.write(
        "i18n/it.toml",
        "\"Claims\" = \"Affermazioni\"\n\"April\" = \"aprile\"\n",
    );
    let run = site.run(&["check"]).expect_code(0);
    let lines: Vec<&str> = run.stderr.lines().filter(|l| l.contains("i18n/")).collect();
    assert_eq!(lines.len(), 1, "{}", run.stderr);
    let counted = lines[0]
        .strip_prefix("i18n/it.toml: warning: ")
        .and_then(|l| l.split_once(' '))
        .and_then(|(n, rest)| Some((n.parse::<usize>().ok()?, rest)));
    let Some((n, rest)) = counted else {
        panic!("{}", lines[0])
    };
    assert_eq!(
        rest,
        "interface strings have no translation into `it` and are shown in English; `dossier i18n it` writes them into this file to translate"
    );
    // Each string is listed in JSON, once.
    let json = site
        .run(&["check", "--message-format", "json"])
        .expect_code(0);
    let listed: Vec<String> = json
        .stdout
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter(|v| v["file"] == "i18n/it.toml")
        .map(|v| v["message"].as_str().unwrap_or_default().to_string())
        .collect();
    assert_eq!(listed.len(), n, "{listed:?}");
    assert!(
        listed.contains(
            &"`Sources` has no translation into `it` and is shown in English".to_string()
        )
    );
    assert!(!listed.iter().any(|m| m.starts_with("`Claims`")));
    site.build(&[]).expect_code(0);
    let home = site.read("index.html");
    // What is shown in English says so, where an element may; a title and an attribute
    // cannot, and keep the plain English.
    assert!(home.contains(">Affermazioni</a>"), "{home}");
    assert!(
        home.contains("><span lang=\"en\" dir=\"ltr\">Sources</span></a>"),
        "{home}"
    );
    let claims = site.read("claims/index.html");
    assert!(claims.contains("<title>Affermazioni · "), "{claims}");
    let sources = site.read("sources/index.html");
    assert!(sources.contains("<title>Sources · "), "{sources}");
    assert!(home.contains("aria-label=\"Site\""), "{home}");
    for (rel, _) in each_file(&site.out()) {
        let bytes = std::fs::read(site.out().join(&rel)).unwrap();
        let text = String::from_utf8_lossy(&bytes);
        assert!(!text.contains(['\u{FDD0}', '\u{FDD1}']), "{rel}");
    }
    // A table that is not TOML is an error at its line.
    site.write(
        "i18n/it.toml",
        "\"Claims\" = \"Affermazioni\"\nSources = \n",
    );
    let run = site.build(&[]).expect_code(1);
    assert!(
        run.stderr
            .contains("i18n/it.toml:2: error: a translation table holds"),
        "{}",
        run.stderr
    );
}

#[test]
fn dossier_i18n_writes_every_string_and_keeps_what_a_table_has() {
    let site = Site::example_in("it");
    let run = site.run(&["i18n", "it"]).expect_code(0);
    let text = std::fs::read_to_string(site.root().join("i18n/it.toml")).unwrap();
    let keys = text.lines().filter(|l| l.starts_with('"')).count();
    assert!(
        run.stderr.contains(&format!(
            "wrote i18n/it.toml: {keys} strings, {keys} to translate"
        )),
        "{}",
        run.stderr
    );
    assert!(keys > 250, "{keys}");
    // Each string: where it appears, its English as the key, an empty translation; with
    // a count, Italian's two forms.
    assert!(
        text.contains("\n# the not-found page\n\"Home page\" = \"\"\n"),
        "{text}"
    );
    assert!(
        text.contains("# for one: \"{n} claim\"\n\"{n} claims\" = { one = \"\", other = \"\" }\n")
    );
    assert!(
        text.contains("`one` (1), `other` (0, 2, 3, 4, 5, 6…)"),
        "{text}"
    );
    // An empty table is as no table: the same count, and the site builds.
    let check = site.run(&["check"]).expect_code(0);
    assert!(
        check
            .stderr
            .contains("interface strings have no translation into `it`")
    );
    // A translator's lines are kept byte for byte; what was taken out comes back at the end.
    let edited = text
        .replace("\"Home page\" = \"\"\n", "")
        .replace("\"Claims\" = \"\"", "\"Claims\" = \"Affermazioni\" # short");
    site.write("i18n/it.toml", &edited);
    let run = site.run(&["i18n", "it"]).expect_code(0);
    assert!(
        run.stderr.contains("added to i18n/it.toml"),
        "{}",
        run.stderr
    );
    let again = std::fs::read_to_string(site.root().join("i18n/it.toml")).unwrap();
    assert!(again.starts_with(&edited), "{again}");
    assert!(again[edited.len()..].contains("\"Home page\" = \"\""));
    site.run(&["i18n", "it"]).expect_code(0);
    assert_eq!(
        std::fs::read_to_string(site.root().join("i18n/it.toml")).unwrap(),
        again
    );
    site.build(&[]).expect_code(0);
    assert!(site.read("index.html").contains(">Affermazioni</a>"));
    // A language the theme ships starts from its translations.
    site.run(&["i18n", "fr"]).expect_code(0);
    let fr = std::fs::read_to_string(site.root().join("i18n/fr.toml")).unwrap();
    assert!(fr.contains("\"Claims\" = \"Affirmations\"\n"), "{fr}");
    assert!(
        fr.contains("\"{n} claims\" = { one = \"{n} affirmation\", other = \"{n} affirmations\" }"),
        "{fr}"
    );
    // A tag that is not one is a usage error.
    let bad = site.run(&["i18n", "deutsch"]).expect_code(2);
    assert!(
        bad.stderr
            .contains("error: `deutsch` is not a language tag"),
        "{}",
        bad.stderr
    );
    // A table that is not TOML is left as it is.
    site.write("i18n/es.toml", "\"Claims\" = \n");
    let broken = site.run(&["i18n", "es"]).expect_code(1);
    assert!(
        broken
            .stderr
            .contains("i18n/es.toml:1: error: a translation table holds"),
        "{}",
        broken.stderr
    );
    assert_eq!(
        std::fs::read_to_string(site.root().join("i18n/es.toml")).unwrap(),
        "\"Claims\" = \n"
    );
}

#[test]
fn each_mistake_in_a_translation_table_is_one_error_at_its_line() {
    let site = Site::example_in("ru");
    let cases = [
        (
            "\"Claims\" = \"Утверждения\"\n\"Sorces\" = \"Источники\"\n",
            "i18n/ru.toml:2:1: error: `Sorces` is not a string of the interface (did you mean `\"Sources\"`?)",
        ),
        (
            "\"{n} claims\" = { one = \"{n} утверждение\", two = \"x\" }\n",
            "i18n/ru.toml:1:1: error: `two` is not a plural form of `ru`, which has `one`, `few`, `many` and `other`",
        ),
        (
            "\n\"{n} claims\" = { one = \"{n} утверждение\", many = \"{n} утверждений\" }\n",
            "i18n/ru.toml:2:1: error: `{n} claims` gives some plural forms but not `few`; `ru` needs `one`, `few` and `many`",
        ),
        (
            "\"Tag: {tag}\" = \"Метка\"\n",
            "i18n/ru.toml:1:1: error: the translation of `Tag: {tag}` leaves out `{tag}`, which its English fills in",
        ),
        (
            "\"Tag: {tag}\" = \"Метка: {tag} ({count})\"\n",
            "i18n/ru.toml:1:1: error: `{count}` in the translation of `Tag: {tag}` is not filled in: its English has `{tag}`",
        ),
        (
            "\"Claims\" = [\"Утверждения\"\n",
            "i18n/ru.toml:1: error: a translation table holds `\"English\" = \"translation\"` lines: ",
        ),
    ];
    for (table, want) in cases {
        site.write("i18n/ru.toml", table);
        let run = site.build(&[]).expect_code(1);
        let errors = error_lines(&run);
        assert_eq!(errors.len(), 1, "{}", run.stderr);
        assert!(errors[0].starts_with(want), "{}\nwanted: {want}", errors[0]);
    }
    let huge = format!(
        "\"Claims\" = \"Утверждения\"\n\n\"Sources\" = \"{}\"\n",
        "и".repeat(1 << 19)
    );
    site.write("i18n/ru.toml", &huge);
    let run = site.build(&[]).expect_code(1);
    assert_eq!(
        error_lines(&run),
        vec!["i18n/ru.toml:3:1: error: the translation of `Sources` is 1048576 bytes long; a translation holds at most 4096".to_string()]
    );
    // Plural forms by Russian's rules: 18 takes `many`, and numbers are grouped.
    site.write(
        "i18n/ru.toml",
        "\"{n} claims\" = { one = \"{n} утверждение\", few = \"{n} утверждения\", many = \"{n} утверждений\" }\n\"{n} actors\" = { one = \"{n} участник\", few = \"{n} участника\", many = \"{n} участников\" }\n",
    );
    site.build(&[]).expect_code(0);
    let home = site.read("index.html");
    assert!(home.contains(">18 утверждений</a>"), "{home}");
    assert!(home.contains(">15 участников</a>"), "{home}");
}

#[test]
fn the_language_switcher_names_each_language_in_itself() {
    let site = Site::example();
    let toml = std::fs::read_to_string(site.root().join("site.toml")).unwrap();
    let toml = format!(
        "{toml}\n[languages.de]\ntitle = \"Volt Typhoon\"\n\n[languages.ar]\ntitle = \"فولت تايفون\"\n"
    );
    site.write("site.toml", &toml);
    site.build(&[]).expect_code(0);
    let home = site.read("index.html");
    for (tag, name, dir) in [
        ("de", "Deutsch", "ltr"),
        ("ar", "العربية", "rtl"),
        ("fr", "Français", "ltr"),
    ] {
        assert!(
            home.contains(&format!(
                "hreflang=\"{tag}\" lang=\"{tag}\" dir=\"{dir}\">{name}</a>"
            )),
            "{tag}: {home}"
        );
    }
    let arabic = site.read("ar/index.html");
    assert!(
        arabic.starts_with("<!DOCTYPE html>\n<html lang=\"ar\" dir=\"rtl\">"),
        "{arabic}"
    );
    assert!(home.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"));
}
