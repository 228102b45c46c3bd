//! docs/templates.md ends with a table of what each template is given; this renders each
//! variable of it in the example, through the binary, and fails on one that is missing
//! or on a template the build never renders.

use crate::common;

use common::*;

/// The table's rows: a template (or `(every page)`) and the variables it lists.
fn documented(doc: &str) -> Vec<(String, Vec<String>)> {
    let start = doc
        .find("| template | variables |")
        .expect("the table of variables in docs/templates.md");
    doc[start..]
        .lines()
        .skip(2)
        .take_while(|l| l.starts_with('|'))
        .map(|l| {
            let cells: Vec<&str> = l.split('|').map(str::trim).collect();
            let names = cells[2]
                .split(", ")
                .map(|v| v.trim_matches('`').to_string())
                .collect();
            (cells[1].trim_matches('`').to_string(), names)
        })
        .collect()
}

/// A template that prints, for each variable, whether it is there.
fn probe(template: &str, names: &[String]) -> String {
    let mut text = format!("PROBE {template}\n");
    for v in names {
        text.push_str(&format!(
            "{v}={{% if {v} is defined %}}given{{% else %}}MISSING{{% endif %}}\n"
        ));
    }
    // The print page's sections are spliced in where it prints them.
    if template == "print.html" {
        text.push_str("{{ claim_sections | safe }}{{ source_sections | safe }}\n");
    }
    text
}

#[test]
fn every_documented_variable_is_given_to_its_template() {
    let doc = std::fs::read_to_string(repo_root().join("docs/templates.md")).unwrap();
    let rows = documented(&doc);
    assert!(rows.len() > 15, "{rows:?}");
    let everywhere: Vec<String> = rows
        .iter()
        .find(|(t, _)| t == "(every page)")
        .map(|(_, v)| v.clone())
        .unwrap();
    let site = Site::example();
    let templates: Vec<&(String, Vec<String>)> =
        rows.iter().filter(|(t, _)| !t.starts_with('(')).collect();
    for (template, names) in &templates {
        let mut all = names.clone();
        if !template.starts_with("partials/") {
            all.extend(everywhere.iter().cloned());
        }
        site.write(&format!("templates/{template}"), &probe(template, &all));
    }
    site.build(&[]).expect_code(0);
    let mut shown = String::new();
    for (_, entry) in each_file(&site.out()) {
        if let Ok(text) = std::fs::read_to_string(entry.path()) {
            shown.push_str(&text);
        }
    }
    for (template, _) in &templates {
        assert!(
            shown.contains(&format!("PROBE {template}\n")),
            "{template} not rendered"
        );
    }
    let missing: std::collections::BTreeSet<&str> =
        shown.lines().filter(|l| l.ends_with("=MISSING")).collect();
    assert!(missing.is_empty(), "documented but not given: {missing:?}");
    assert!(shown.contains("claim.assessment=given"));
}
