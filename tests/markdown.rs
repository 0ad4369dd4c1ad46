//! The Markdown converter: every construct of the dialect, text that must print
//! literally, tailoring tags, and link resolution.

mod common;

use common::*;
use toolkit::content::tailor::Filter;
use toolkit::content::{Edition, Site};
use toolkit::jobs::guide::guide_job;
use toolkit::typeset::{Job, escape_markup};

fn alpha_markup(site: &Site, filter: Filter) -> String {
    let edition = Edition {
        doc: 0,
        filter,
        output: "guides/alpha.pdf".into(),
        label: None,
    };
    site.render(&edition)
}

fn text_of(site: &Site, edition: &Edition) -> String {
    let job = guide_job(
        site,
        edition,
        &[],
        toolkit::date::Date::from_epoch(TEST_EPOCH),
        site.manifest.paper,
    );
    squash(&typesetter(site).page_texts(&job).unwrap().all())
}

// Each Markdown construct becomes the matching Typst element or template function.
#[test]
fn every_construct_has_its_typst_form() {
    let site = load_site(&fixture_sources());
    let markup = alpha_markup(&site, Filter::all());
    for expected in [
        "= First chapter <first>",
        "== Second chapter <second-chapter>",
        "#emph[emphasis]",
        "#strong[strong text]",
        "#strike[struck]",
        "#raw(\"inline code\")",
        "#link(\"beta.pdf#beta-section\")[link to beta]",
        "#link(<second-chapter>)[internal link]",
        "#link(\"https://example.org/path?q=1\")[external link]",
        "#footnote[The footnote text, with #raw(\"code\")\\.]<fn:alpha:note-",
        "#enum(tight: true, start: 1,",
        "#list(tight: true,",
        "#quote(block: true)[",
        "#callout(kind: \"note\")[",
        "#callout(kind: \"warning\")[",
        "#table(columns: 3, align: (left, center, right,),",
        "table.header([Term], [Meaning], [Score], ),",
        "#figure(image(\"/sources/docs/img/square.svg\", alt: \"A blue square\"), caption: [The square figure])",
        "#raw(block: true, \"code block with # and $ and ] inside\")",
        "#rule()",
        "#tagged(badge: \"Basic\")[",
        "#takeaway(badge: \"Managers · Procure\")[",
        "#usecase(title: \"Legal deploy case\", badge: \"Legal advisors · Deploy\")[",
    ] {
        assert!(
            markup.contains(expected),
            "missing {expected:?} in:\n{markup}"
        );
    }
}

// Markup characters in prose print as typed and never run as code.
#[test]
fn hostile_text_prints_literally() {
    let site = load_site(&fixture_sources());
    let edition = Edition {
        doc: 0,
        filter: Filter::all(),
        output: "guides/alpha.pdf".into(),
        label: None,
    };
    let text = text_of(&site, &edition);
    let hostile = r##"Hostile text: # $x$ * _ \ @ref <label> [ ] ` // comment = - + 1. #read("/etc/passwd") #{1+1} ] )"##;
    assert!(
        text.contains(hostile),
        "hostile line not printed literally in:\n{text}"
    );
    assert!(!text.contains("root:"), "a file was read");
}

/// A tiny deterministic generator for the escaping test.
fn next(seed: &mut u64) -> u64 {
    *seed ^= *seed << 13;
    *seed ^= *seed >> 7;
    *seed ^= *seed << 17;
    *seed
}

// Random strings of markup characters, escaped, typeset back to exactly themselves.
#[test]
fn escaped_random_text_round_trips() {
    let site = load_site(&fixture_sources());
    // Left-to-right scripts only: the page text of mixed-direction runs is in visual order.
    let alphabet: Vec<char> = "#$*_\\@<>[]{}`~/=-+.()'\":;,!?|^%&a1 éЖ中"
        .chars()
        .collect();
    let mut seed = 0x9e3779b97f4a7c15u64;
    let samples: Vec<String> = (0..60)
        .map(|_| {
            let len = 1 + (next(&mut seed) % 30) as usize;
            (0..len)
                .map(|_| alphabet[(next(&mut seed) % alphabet.len() as u64) as usize])
                .collect()
        })
        .collect();
    let body: String = samples
        .iter()
        .map(|s| format!("#block[{}]\n\n", escape_markup(s)))
        .collect();
    let job = Job::markup(format!("#set text(font: \"Noto Sans\")\n{body}")).ident("random");
    let typesetter = typesetter(&site);
    let pages = typesetter.page_texts(&job).unwrap();
    // Runs are joined with spaces (a font change starts a run), so compare without spaces.
    let text: String = pages.all().split_whitespace().collect();
    for sample in &samples {
        let expected: String = sample.split_whitespace().collect();
        if !expected.is_empty() {
            assert!(
                text.contains(&expected),
                "{sample:?} did not print literally; page text:\n{text}"
            );
        }
    }
}

// A level edition keeps untagged blocks and the blocks of its level only.
#[test]
fn level_editions_differ_as_tagged() {
    let site = load_site(&fixture_sources());
    let editions = site.editions();
    let outputs: Vec<&str> = editions.iter().map(|e| e.output.as_str()).collect();
    assert_eq!(
        outputs,
        [
            "guides/alpha.pdf",
            "guides/alpha-basic.pdf",
            "guides/alpha-advanced.pdf",
            "guides/beta.pdf"
        ]
    );
    let full = text_of(&site, &editions[0]);
    let basic = text_of(&site, &editions[1]);
    let advanced = text_of(&site, &editions[2]);
    assert!(full.contains("BASIC-ONLY") && full.contains("ADVANCED-ONLY"));
    assert!(basic.contains("BASIC-ONLY") && !basic.contains("ADVANCED-ONLY"));
    assert!(advanced.contains("ADVANCED-ONLY") && !advanced.contains("BASIC-ONLY"));
    for text in [&full, &basic, &advanced] {
        assert!(
            text.contains("MANAGER-PROCURE takeaway"),
            "untagged-by-level blocks stay in every level edition"
        );
    }
    assert!(
        basic.contains("Basic edition"),
        "the edition is named on the cover"
    );
}

// Tag filters by role and stage keep the right blocks (the mechanism primers use).
#[test]
fn role_and_stage_filters() {
    let site = load_site(&fixture_sources());
    let filter = Filter {
        role: Some("legal".into()),
        stage: Some("deploy".into()),
        level: None,
    };
    let markup = alpha_markup(&site, filter);
    assert!(markup.contains("LEGAL\\-DEPLOY use case"));
    assert!(!markup.contains("MANAGER\\-PROCURE"));
    let filter = Filter {
        role: Some("manager".into()),
        stage: Some("procure".into()),
        level: None,
    };
    let markup = alpha_markup(&site, filter);
    assert!(markup.contains("MANAGER\\-PROCURE"));
    assert!(!markup.contains("LEGAL\\-DEPLOY"));
}

fn problems_after(edit: impl FnOnce(&std::path::Path)) -> Vec<String> {
    let (_dir, sources) = fixture_copy();
    edit(&sources);
    match Site::load(&sources) {
        Ok(_) => vec![],
        Err(problems) => problems.0.iter().map(|p| p.to_string()).collect(),
    }
}

fn append(path: &std::path::Path, text: &str) {
    let mut content = std::fs::read_to_string(path).unwrap();
    content.push_str(text);
    std::fs::write(path, content).unwrap();
}

/// The lines of the fixture's `docs/beta.md` after `text` is appended to it on which each
/// of `needles` first appears (a problem must name the line of what caused it, wherever
/// the fixture's own text ends).
fn lines_after_append(text: &str, needles: &[&str]) -> Vec<usize> {
    let original = std::fs::read_to_string(fixture_sources().join("docs/beta.md")).unwrap();
    let whole = format!("{original}{text}");
    needles
        .iter()
        .map(|needle| {
            whole
                .lines()
                .position(|line| line.contains(needle))
                .map(|i| i + 1)
                .unwrap_or_else(|| panic!("{needle} is not in the appended text"))
        })
        .collect()
}

// Links to missing documents or sections are errors with file and line.
#[test]
fn broken_links_are_reported_with_file_and_line() {
    let text = "\n[gone](alpha.md#no-such-section)\n\n[missing](nowhere.md)\n\n[odd](file.pdf)\n\n[local](#nope)\n";
    let problems = problems_after(|s| append(&s.join("docs/beta.md"), text));
    let lines = lines_after_append(text, &["[gone]", "[missing]", "[odd]", "[local]"]);
    let beta = "docs/beta.md";
    assert_eq!(problems.len(), 4, "{problems:#?}");
    assert!(
        problems[0].contains(&format!(
            "{beta}:{}: broken link: no section #no-such-section",
            lines[0]
        )),
        "{problems:#?}"
    );
    assert!(
        problems[1].contains(&format!(
            "{beta}:{}: broken link: sources/docs/nowhere.md is not a document",
            lines[1]
        )),
        "{problems:#?}"
    );
    assert!(
        problems[2].contains(&format!(
            "{beta}:{}: cannot resolve link \"file.pdf\"",
            lines[2]
        )),
        "{problems:#?}"
    );
    assert!(
        problems[3].contains(&format!(
            "{beta}:{}: broken link: no section #nope",
            lines[3]
        )),
        "{problems:#?}"
    );
}

// Unknown tags, kinds, missing images and alt text are all caught, each at its line.
#[test]
fn tag_and_image_problems_are_reported() {
    let text = "\n:::takeaway roles=chief\nx\n:::\n\n:::sidebar\ny\n:::\n\n![](img/none.svg)\n\n## Beta section\n\n## Dup {#first}\n\n## Dup {#first}\n";
    let problems = problems_after(|s| append(&s.join("docs/beta.md"), text));
    let lines = lines_after_append(text, &["roles=chief", ":::sidebar", "img/none.svg"]);
    // The second `{#first}` is the duplicate.
    let duplicate = lines_after_append(text, &["## Dup {#first}"])[0] + 2;
    let joined = problems.join("\n");
    assert!(
        joined.contains(&format!(
            "docs/beta.md:{}: unknown role \"chief\"; declared roles: manager, legal",
            lines[0]
        )),
        "{joined}"
    );
    assert!(
        joined.contains(&format!(
            "docs/beta.md:{}: unknown block kind \"sidebar\"",
            lines[1]
        )),
        "{joined}"
    );
    assert!(
        joined.contains(&format!(
            "docs/beta.md:{}: image \"img/none.svg\" not found",
            lines[2]
        )),
        "{joined}"
    );
    assert!(
        joined.contains(&format!("docs/beta.md:{}: image needs alt text", lines[2])),
        "{joined}"
    );
    assert!(
        joined.contains(&format!(
            "docs/beta.md:{duplicate}: duplicate heading id \"first\""
        )),
        "{joined}"
    );
}

// Headings that repeat get numbered anchors, as GitHub does.
#[test]
fn repeated_headings_get_distinct_anchors() {
    let (_dir, sources) = fixture_copy();
    append(
        &sources.join("docs/beta.md"),
        "\n## Beta section\n\n## Beta section\n",
    );
    let site = load_site(&sources);
    let (_, index) = site.document("beta").unwrap();
    let ids: Vec<&str> = index.anchors.iter().map(|a| a.id.as_str()).collect();
    assert_eq!(ids, ["beta-section", "beta-section-1", "beta-section-2"]);
    assert!(site.check_reference("beta#beta-section-2").is_ok());
    assert!(
        site.check_reference("beta#nope")
            .unwrap_err()
            .contains("no section #nope")
    );
    assert!(
        site.check_reference("gamma")
            .unwrap_err()
            .contains("unknown document")
    );
}

// A companion guide prints its questionnaire's questions from the definition: edit the
// definition and the guide changes with it.
#[test]
fn companion_guide_prints_questions_from_the_definition() {
    let (_dir, sources) = fixture_copy();
    let text_of_beta = |sources: &std::path::Path| {
        let site = load_site(sources);
        let questionnaires = toolkit::questionnaire::load_questionnaires(sources, &site).unwrap();
        let edition = site
            .editions()
            .into_iter()
            .find(|e| e.output == "guides/beta.pdf")
            .unwrap();
        let job = guide_job(
            &site,
            &edition,
            &questionnaires,
            toolkit::date::Date::from_epoch(TEST_EPOCH),
            site.manifest.paper,
        );
        squash(&typesetter(&site).page_texts(&job).unwrap().all())
    };
    let before = text_of_beta(&sources);
    assert!(before.contains("Appendix: the questions"), "{before}");
    assert!(before.contains("Does the system process biometric data?"));
    assert!(
        before.contains("Police records (1)"),
        "answers with their points"
    );
    let definition = sources.join("questionnaires/risk.toml");
    let edited = std::fs::read_to_string(&definition).unwrap().replace(
        "Does the system process biometric data?",
        "Does the system use faces or fingerprints?",
    );
    std::fs::write(&definition, edited).unwrap();
    let after = text_of_beta(&sources);
    assert!(after.contains("Does the system use faces or fingerprints?"));
    assert!(!after.contains("Does the system process biometric data?"));
}

// A semicolon right after a link prints: Typst would otherwise take it as the end of the
// link's expression and drop it ("A; B" in a table cell became "A B").
#[test]
fn semicolons_after_links_print() {
    let (_dir, sources) = fixture_copy();
    append(
        &sources.join("docs/alpha.md"),
        "\n| Low | Read |\n|---|---|\n| x | [first](#first); [beta](beta.md); done |\n\nSee [first](#first); then rest.\n",
    );
    let site = load_site(&sources);
    let edition = Edition {
        doc: 0,
        filter: Filter::default(),
        output: "guides/alpha.pdf".into(),
        label: None,
    };
    // Runs are joined with spaces (a link starts a run), so compare without spaces.
    let text: String = text_of(&site, &edition).split_whitespace().collect();
    assert!(text.contains("first;beta;done"), "{text}");
    assert!(text.contains("Seefirst;thenrest."), "{text}");
}
