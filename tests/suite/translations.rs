//! Translated editions: `<name>.<lang>.md` beside its original, published under `/<lang>/`
//! with its own indexes, feed, map and search index, linked both ways; untranslated
//! entries marked; translation problems reported once, at the translation.

use crate::common;

use common::*;

/// The `href` of every `<link rel="alternate" hreflang>` of a page, by language.
fn alternates(html: &str) -> Vec<(String, String)> {
    html.split("<link rel=\"alternate\" hreflang=\"")
        .skip(1)
        .map(|rest| {
            let (tag, rest) = rest.split_once('"').unwrap();
            let href = rest
                .split("href=\"")
                .nth(1)
                .unwrap()
                .split('"')
                .next()
                .unwrap();
            (tag.to_string(), href.to_string())
        })
        .collect()
}

#[test]
fn a_translated_claim_and_its_original_link_to_each_other() {
    let site = Site::bilingual();
    let run = site.build(&[]).expect_code(0);
    assert!(!run.stderr.contains("warning"), "{}", run.stderr);
    let en = site.read("claims/attack/index.html");
    let fr = site.read("fr/claims/attack/index.html");
    let both = vec![
        (
            "en".to_string(),
            "https://example.org/d/claims/attack/".to_string(),
        ),
        (
            "fr".to_string(),
            "https://example.org/d/fr/claims/attack/".to_string(),
        ),
    ];
    assert_eq!(alternates(&en), both);
    assert_eq!(alternates(&fr), both);
    assert!(fr.contains("<html lang=\"fr\">"));
    assert!(
        fr.contains("<link rel=\"canonical\" href=\"https://example.org/d/fr/claims/attack/\">")
    );
    // The visible switcher, in each language's own name, the current one marked.
    assert!(
        en.contains("<nav class=\"languages\" aria-label=\"Languages\">"),
        "{en}"
    );
    assert!(
        en.contains(
            "<a href=\"/d/fr/claims/attack/\" hreflang=\"fr\" lang=\"fr\" dir=\"ltr\">Français</a>"
        ),
        "{en}"
    );
    assert!(
        fr.contains("<nav class=\"languages\" aria-label=\"Langues\">"),
        "{fr}"
    );
    assert!(
        fr.contains(
            "<a href=\"/d/claims/attack/\" hreflang=\"en\" lang=\"en\" dir=\"ltr\">English</a>"
        ),
        "{fr}"
    );
    assert!(
        fr.contains("hreflang=\"fr\" lang=\"fr\" dir=\"ltr\" aria-current=\"page\">Français</a>"),
        "{fr}"
    );
    // Its own text; the rest from the original: claimant, date, citation and its verified
    // quote, and the dispute the other claim states, all within the French edition.
    assert!(
        fr.contains("<h1>Le groupe X a attaqué les ports</h1>"),
        "{fr}"
    );
    assert!(fr.contains("Alpha affirme que le groupe X a attaqué des ports."));
    assert!(fr.contains("Le récit d’Alpha sur l’attaque"));
    assert!(!fr.contains("Alpha's account"));
    assert!(fr.contains("15 avril 2024"));
    assert!(fr.contains("<a href=\"/d/fr/actors/alpha/\""), "{fr}");
    assert!(fr.contains("<a href=\"/d/fr/sources/report/\""), "{fr}");
    assert!(fr.contains("used living off the land techniques"));
    assert!(fr.contains("<a href=\"/d/fr/claims/denial/\""), "{fr}");
    // Files beside the content, the theme's files and the data stay at the root.
    assert!(fr.contains("href=\"/d/claims/map.svg\""), "{fr}");
    assert!(fr.contains("<link rel=\"stylesheet\" href=\"/d/style.css\">"));
    assert!(fr.contains("<script src=\"/d/dossier.js\" data-base=\"/d/fr/\" defer>"));
    assert!(fr.contains("<a href=\"/d/dossier.json\">"));
    // The original edition shows the original text only.
    let denial_en = site.read("claims/denial/index.html");
    assert!(denial_en.contains("Group X attacked the ports"));
    assert!(!denial_en.contains("Le groupe X"));
}

#[test]
fn untranslated_entries_are_shown_as_written_and_marked() {
    let site = Site::bilingual();
    site.build(&[]).expect_code(0);
    let denial = site.read("fr/claims/denial/index.html");
    assert!(
        denial.contains("<p class=\"notice untranslated\">Ceci n’a pas encore été traduit"),
        "{denial}"
    );
    assert!(
        denial.contains("<h1 lang=\"en\" dir=\"ltr\">No attack happened</h1>"),
        "{denial}"
    );
    assert!(
        denial.contains("<div class=\"prose\" lang=\"en\" dir=\"ltr\">"),
        "{denial}"
    );
    // Only the original is an alternate, and it is the page to index.
    assert_eq!(
        alternates(&denial),
        vec![(
            "en".to_string(),
            "https://example.org/d/claims/denial/".to_string()
        )]
    );
    assert!(
        denial.contains("<link rel=\"canonical\" href=\"https://example.org/d/claims/denial/\">")
    );
    // The translated claim's page names it in the edition's list, marked.
    let claims = site.read("fr/claims/index.html");
    assert!(
        claims.contains(
            "<a href=\"/d/fr/claims/denial/\" lang=\"en\" dir=\"ltr\">No attack happened</a>"
        ),
        "{claims}"
    );
    assert!(
        claims.contains("<a href=\"/d/fr/claims/attack/\">Le groupe X a attaqué les ports</a>"),
        "{claims}"
    );
    assert_eq!(claims.matches("non traduit").count(), 1, "{claims}");
    let actors = site.read("fr/actors/index.html");
    assert!(
        actors.contains("lang=\"en\" dir=\"ltr\">Alpha Agency</a>"),
        "{actors}"
    );
    assert!(actors.contains(">Ministère Bêta</a>"), "{actors}");
    // So is a plain page in the navigation, on every page of the edition.
    site.write("content/method.md", "+++\ntitle = \"Method\"\n+++\nHow.\n");
    site.build(&[]).expect_code(0);
    let home = site.read("fr/index.html");
    assert!(
        home.contains("<a href=\"/d/fr/method/\" lang=\"en\" dir=\"ltr\">Method</a>"),
        "{home}"
    );
    let en = site.read("index.html");
    assert!(en.contains("<a href=\"/d/method/\">Method</a>"), "{en}");
    site.write("content/method.fr.md", "+++\ntitle = \"Méthode\"\n+++\n");
    site.build(&[]).expect_code(0);
    let home = site.read("fr/index.html");
    assert!(
        home.contains("<a href=\"/d/fr/method/\">Méthode</a>"),
        "{home}"
    );
    // Without a body of its own, it shows the original's, marked as such.
    let method = site.read("fr/method/index.html");
    assert!(method.contains("<h1>Méthode</h1>"), "{method}");
    assert!(
        method.contains("<div class=\"prose\" lang=\"en\" dir=\"ltr\"><p>How.</p>"),
        "{method}"
    );
    // The English edition marks nothing.
    let en = site.read("claims/index.html");
    assert!(
        !en.contains("untranslated") && !en.contains("not translated"),
        "{en}"
    );
}

#[test]
fn each_language_has_its_own_indexes_feed_search_index_and_sitemap_entries() {
    let site = Site::bilingual();
    site.build(&[]).expect_code(0);
    let home = site.read("fr/index.html");
    assert!(home.contains("<title>Un dossier</title>"), "{home}");
    assert!(home.contains("Qui dit quoi."), "{home}");
    assert!(home.contains("Le différend"), "{home}");
    for page in [
        "sources/",
        "actors/",
        "tags/",
        "timeline/",
        "map/",
        "search/",
        "print/",
    ] {
        let html = site.read(&format!("fr/{page}index.html"));
        assert!(html.contains("<html lang=\"fr\">"), "{page}");
        let en = format!("https://example.org/d/{page}");
        let fr = format!("https://example.org/d/fr/{page}");
        assert_eq!(
            alternates(&html),
            vec![("en".to_string(), en), ("fr".to_string(), fr)],
            "{page}"
        );
    }
    assert!(
        site.read("fr/map/index.html")
            .contains("Le groupe X a attaqué les ports")
    );
    assert!(
        site.read("fr/timeline/index.html")
            .contains("Le groupe X a attaqué les ports")
    );
    let feed = site.read("fr/atom.xml");
    assert!(
        feed.contains("Un dossier") && feed.contains("Le groupe X a attaqué les ports"),
        "{feed}"
    );
    // Each language's search index holds its own text.
    let index_text = |dir: &str| -> String {
        walkdir::WalkDir::new(site.out().join(dir))
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
            .map(|e| std::fs::read_to_string(e.path()).unwrap())
            .collect()
    };
    let fr_index = index_text("fr/search-index");
    let en_index = index_text("search-index");
    assert!(fr_index.contains("Le groupe X a attaqué les ports"));
    assert!(fr_index.contains("désinformation"));
    // Its words and dates are the edition's: the results show them.
    assert!(fr_index.contains("\"kind\":\"affirmation\""), "{fr_index}");
    assert!(
        fr_index.contains("Affirmé par Alpha Agency, 15 avril 2024"),
        "{fr_index}"
    );
    assert!(
        en_index.contains("Claimed by Alpha Agency, 15 April 2024"),
        "{en_index}"
    );
    assert!(!en_index.contains("Le groupe X"));
    assert!(en_index.contains("Group X attacked the ports"));
    // One sitemap lists both editions; the files of the whole site are not repeated.
    let sitemap = site.read("sitemap.xml");
    for url in [
        "https://example.org/d/claims/attack/",
        "https://example.org/d/fr/claims/attack/",
        "https://example.org/d/fr/",
        "https://example.org/d/fr/map/",
    ] {
        assert!(
            sitemap.contains(&format!("<loc>{url}</loc>")),
            "{url}: {sitemap}"
        );
    }
    for file in [
        "fr/dossier.json",
        "fr/sitemap.xml",
        "fr/404.html",
        "fr/robots.txt",
        "fr/style.css",
        "fr/claims/map.svg",
        "fr/dossier.stix.json",
        "fr/bibliography.json",
    ] {
        assert!(!site.out().join(file).exists(), "{file}");
    }
    // A site in one language has no switcher and no alternates.
    let single = Site::minimal();
    single.build(&[]).expect_code(0);
    let page = single.read("claims/claim-c/index.html");
    assert!(
        !page.contains("hreflang") && !page.contains("class=\"languages\""),
        "{page}"
    );
}

#[test]
fn problems_in_translations_are_reported_once_at_the_translation() {
    let site = Site::bilingual();
    // A key with a wrong value: the translation is left out, nothing else is reported.
    site.write(
        "content/claims/attack.fr.md",
        "+++\ntitle = \"Le groupe X\"\nstatus = \"maybe\"\n+++\n",
    );
    let run = site.build(&[]).expect_code(1);
    assert_eq!(run.stderr.matches("error:").count(), 1, "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "content/claims/attack.fr.md:3:1: error: invalid front matter: `status` must be one of"
        ),
        "{}",
        run.stderr
    );
    // A misspelt key, with the nearest one.
    site.write(
        "content/claims/attack.fr.md",
        "+++\ntitle = \"Le groupe X\"\nsummmary = \"Résumé\"\n+++\n",
    );
    let run = site.build(&[]).expect_code(1);
    assert_eq!(run.stderr.matches("error:").count(), 1, "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "content/claims/attack.fr.md:3:1: error: invalid front matter: `summmary` is not a key here"
        ) && run.stderr.contains("(did you mean `summary`?)"),
        "{}",
        run.stderr
    );
    // A relation and a link of its own: each once, where the translation writes it.
    site.write(
        "content/claims/attack.fr.md",
        "+++\ntitle = \"Le groupe X\"\ndisputes = [\"denail\"]\n+++\nVoir [le démenti](denail.md).\n",
    );
    let run = site.build(&[]).expect_code(1);
    assert_eq!(run.stderr.matches("error:").count(), 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("content/claims/attack.fr.md:3:"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("`denial`"), "{}", run.stderr);
    assert!(
        run.stderr.contains("content/claims/attack.fr.md:5:"),
        "{}",
        run.stderr
    );
    // A mistake in an original is reported at the original only, not again for the
    // edition that shows it.
    site.write(
        "content/claims/attack.fr.md",
        "+++\ntitle = \"Le groupe X\"\ntranslated_from_date = 2024-05-01\n+++\n",
    );
    site.write(
        "content/claims/denial.md",
        "+++\ntitle = \"No attack happened\"\nclaimants = [\"betta\"]\ndate = 2024-04-20\ndisputes = [\"attack\"]\n\n[[citations]]\nsource = \"report\"\nquote = \"not in the report\"\n+++\nSee [nothing](nothing.md).\n",
    );
    let run = site.build(&[]).expect_code(1);
    assert_eq!(run.stderr.matches("error:").count(), 3, "{}", run.stderr);
    assert!(!run.stderr.contains(".fr.md"), "{}", run.stderr);
    site.write(
        "content/claims/denial.md",
        "+++\ntitle = \"No attack happened\"\nclaimants = [\"beta\"]\ndate = 2024-04-20\n\n[[citations]]\nsource = \"report\"\n+++\n",
    );
    // A translation with no original, one into a language the site does not list, one
    // written in the other front-matter syntax.
    site.write(
        "content/claims/ghost.fr.md",
        "+++\ntitle = \"Fantôme\"\n+++\n",
    );
    site.write(
        "content/claims/denial.de.md",
        "+++\ntitle = \"Kein Angriff\"\n+++\n",
    );
    site.write(
        "content/actors/alpha.fr.md",
        "---\ntitle: Agence Alpha\n---\n",
    );
    let run = site.build(&[]).expect_code(1);
    assert_eq!(run.stderr.matches("error:").count(), 3, "{}", run.stderr);
    assert!(run.stderr.contains("content/claims/ghost.fr.md:1:1: error: a translation into `fr` of `content/claims/ghost.md`, which does not exist"), "{}", run.stderr);
    assert!(run.stderr.contains("content/claims/denial.de.md: error: a translation into `de`, which is not one of the site's languages ([languages] lists fr); add `[languages.de]` to site.toml"), "{}", run.stderr);
    assert!(run.stderr.contains("content/actors/alpha.fr.md:1:1: error: a translation's front matter must be written like its original's"), "{}", run.stderr);
}

#[test]
fn check_warns_about_translations_older_than_their_original() {
    let site = Site::bilingual();
    let run = site.run(&["check"]).expect_code(0);
    assert!(!run.stderr.contains("out of date"), "{}", run.stderr);
    // How far each edition has come, for its translators.
    assert!(
        run.stderr
            .contains("; fr: 3 of 6 entries and pages translated"),
        "{}",
        run.stderr
    );
    site.write(
        "content/claims/attack.fr.md",
        "+++\ntitle = \"Le groupe X a attaqué les ports\"\ntranslated_from_date = 2024-04-20\n+++\n",
    );
    let run = site.run(&["check"]).expect_code(0);
    assert!(run.stderr.contains("content/claims/attack.fr.md:3:1: warning: this translation may be out of date: `content/claims/attack.md` was updated on 2024-05-01, and this translation translates the version of 2024-04-20"), "{}", run.stderr);
    assert!(
        run.stderr.contains("translated_from_date = \"2024-05-01\""),
        "{}",
        run.stderr
    );
    // Without the date, a translation of an original that says when it was updated.
    site.write(
        "content/claims/attack.fr.md",
        "+++\ntitle = \"Le groupe X a attaqué les ports\"\n+++\n",
    );
    let run = site.run(&["check"]).expect_code(0);
    assert!(
        run.stderr
            .contains("content/claims/attack.fr.md: warning: this translation may be out of date")
            || run.stderr.contains(
                "content/claims/attack.fr.md:1:1: warning: this translation may be out of date"
            ),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("does not say which version it translates"),
        "{}",
        run.stderr
    );
    // A draft translation is left out: the original stands in the edition.
    site.write(
        "content/claims/attack.fr.md",
        "+++\ntitle = \"Le groupe X a attaqué les ports\"\ndraft = true\n+++\n",
    );
    site.build(&[]).expect_code(0);
    let fr = site.read("fr/claims/attack/index.html");
    assert!(
        fr.contains("<h1 lang=\"en\" dir=\"ltr\">Group X attacked the ports</h1>"),
        "{fr}"
    );
    assert_eq!(alternates(&site.read("claims/attack/index.html")).len(), 1);
}

#[test]
fn languages_in_site_toml_are_checked() {
    let cases = [
        (
            "[languages.cn]",
            "`cn` in [languages] is not a language tag",
            Some("`zh`"),
        ),
        ("[languages.en]", "`en` is the site's own language", None),
        (
            "[languages.fr-CA]",
            "write the language tag `fr-CA` in lower case",
            Some("`fr-ca`"),
        ),
    ];
    for (table, message, near) in cases {
        let site = Site::bilingual();
        site.write(
            "site.toml",
            &BILINGUAL_SITE_TOML.replace("[languages.fr]", table),
        );
        let run = site.build(&[]).expect_code(1);
        assert_eq!(run.stderr.matches("error:").count(), 1, "{}", run.stderr);
        assert!(
            run.stderr
                .contains(&format!("site.toml:6:1: error: {message}")),
            "{}",
            run.stderr
        );
        if let Some(near) = near {
            assert!(run.stderr.contains(near), "{}", run.stderr);
        }
    }
    // Content in an edition's folder would be hidden by it.
    let site = Site::bilingual();
    site.write("content/fr/about.md", "+++\ntitle = \"About\"\n+++\n");
    let run = site.build(&[]).expect_code(1);
    assert!(
        run.stderr.contains(
            "content/fr/about.md: error: `/fr/about` is in the folder of the `fr` edition"
        ),
        "{}",
        run.stderr
    );
}

#[test]
fn dossier_translate_starts_a_translation_beside_its_original() {
    let site = Site::bilingual();
    let translate = |file: &str, lang: &str| {
        let root = site.root().to_str().unwrap();
        let path = site.root().join(file);
        site.run(&["translate", path.to_str().unwrap(), lang, "--root", root])
    };
    // A claim: its title, summary and body to translate over, in its syntax.
    let run = translate("content/claims/denial.md", "fr").expect_code(0);
    assert!(
        run.stderr.contains("created content/claims/denial.fr.md"),
        "{}",
        run.stderr
    );
    let written = std::fs::read_to_string(site.root().join("content/claims/denial.fr.md")).unwrap();
    assert!(
        written.starts_with("+++\n# The French translation of content/claims/denial.md.\n"),
        "{written}"
    );
    assert!(
        written.contains("\ntitle = \"No attack happened\"\nsummary = \"Beta denies it.\"\ntranslated_from_date = \"")
            && written.ends_with("+++\nBeta's denial.\n"),
        "{written}"
    );
    assert!(!written.contains("claimants ="), "{written}");
    // A TOML original's `updated` date is the version its translation starts from.
    site.write(
        "content/actors/alpha.md",
        "+++\ntitle = \"Alpha Agency\"\nkind = \"agency\"\nupdated = 2024-06-02\n+++\n",
    );
    translate("content/actors/alpha.md", "fr").expect_code(0);
    let written = std::fs::read_to_string(site.root().join("content/actors/alpha.fr.md")).unwrap();
    assert!(
        written
            .contains("\ntitle = \"Alpha Agency\"\ntranslated_from_date = \"2024-06-02\"\n+++\n"),
        "{written}"
    );
    std::fs::remove_file(site.root().join("content/actors/alpha.fr.md")).unwrap();
    // A path may also be given from the site's folder or its content folder.
    let root = site.root().to_str().unwrap();
    site.run(&["translate", "actors/alpha.md", "fr", "--root", root])
        .expect_code(0);
    assert!(site.root().join("content/actors/alpha.fr.md").is_file());
    std::fs::remove_file(site.root().join("content/actors/alpha.fr.md")).unwrap();
    // A source keeps its title as published: its translation gives `title_translation`,
    // unless the source is in the edition's language already.
    translate("content/sources/report.md", "fr").expect_code(0);
    let written =
        std::fs::read_to_string(site.root().join("content/sources/report.fr.md")).unwrap();
    assert!(
        written.contains("\ntitle_translation = \"The report\"\ntranslated_from_date")
            && !written.contains("\ntitle ="),
        "{written}"
    );
    site.write(
        "content/sources/communique.md",
        "+++\ntitle = \"Le communiqué\"\nlanguage = \"fr\"\n+++\nNotes.\n",
    );
    translate("content/sources/communique.md", "fr").expect_code(0);
    let written =
        std::fs::read_to_string(site.root().join("content/sources/communique.fr.md")).unwrap();
    assert!(!written.contains("title"), "{written}");
    assert!(written.ends_with("+++\nNotes.\n"), "{written}");
    std::fs::remove_file(site.root().join("content/sources/communique.md")).unwrap();
    std::fs::remove_file(site.root().join("content/sources/communique.fr.md")).unwrap();
    // A page in YAML, whose original says when it was updated: that is the version the
    // translation starts from.
    site.write(
        "content/method.md",
        "---\ntitle: \"Method: how \\\"claims\\\" are kept\"\ndescription: How it is done.\nupdated: 2024-06-01\n---\nWe read the sources.\n",
    );
    translate("content/method.md", "fr").expect_code(0);
    let written = std::fs::read_to_string(site.root().join("content/method.fr.md")).unwrap();
    assert!(
        written.contains("\ntitle: \"Method: how \\\"claims\\\" are kept\"\ndescription: \"How it is done.\"\ntranslated_from_date: \"2024-06-01\"\n---\nWe read the sources.\n"),
        "{written}"
    );
    // Both build as translations: not marked untranslated, and not out of date.
    let run = site.build(&[]).expect_code(0);
    assert!(!run.stderr.contains("warning"), "{}", run.stderr);
    let report = site.read("fr/sources/report/index.html");
    assert!(!report.contains("notice untranslated"), "{report}");
    for page in ["fr/claims/denial/index.html", "fr/method/index.html"] {
        let html = site.read(page);
        assert!(!html.contains("notice untranslated"), "{page}: {html}");
    }
    let run = site.run(&["check"]);
    assert!(
        run.stderr
            .contains("fr: 6 of 7 entries and pages translated"),
        "{}",
        run.stderr
    );
    // Mistakes: one diagnostic each, at the file it is about, and nothing written.
    site.write(
        "content/claims/broken.md",
        "+++\ntitle = \"Broken\"\nsummary = \n+++\nText.\n",
    );
    let cases = [
        (
            "content/claims/attack.md",
            "fe",
            "site.toml: error: `fe` is not one of the site's other languages (it lists `fr`); add `[languages.fe]` to publish an edition in it (did you mean `fr`?)",
        ),
        (
            "content/claims/attack.md",
            "fr",
            "content/claims/attack.fr.md: error: exists already; edit it, or delete it to start again",
        ),
        (
            "content/claims/attack.fr.md",
            "fr",
            "content/claims/attack.fr.md: error: this is a translation itself (into `fr`); translate its original",
        ),
        (
            "site.toml",
            "fr",
            "/site.toml: error: not in the site's content folder",
        ),
        (
            "content/claims/nothing.md",
            "fr",
            "/content/claims/nothing.md: error: no such file",
        ),
        (
            "content/sources/report.txt",
            "fr",
            "content/sources/report.txt: error: not an entry or a page",
        ),
        (
            "content/claims/broken.md",
            "fr",
            "content/claims/broken.md:3:11: error: ",
        ),
    ];
    for (file, lang, message) in cases {
        let before = walkdir::WalkDir::new(site.root().join("content"))
            .into_iter()
            .count();
        let run = translate(file, lang).expect_code(1);
        assert!(
            run.stderr.contains(message),
            "{file} {lang}: {}",
            run.stderr
        );
        assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
        let after = walkdir::WalkDir::new(site.root().join("content"))
            .into_iter()
            .count();
        assert_eq!(before, after, "{file} {lang}");
    }
}
