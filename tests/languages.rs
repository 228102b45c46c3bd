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
