//! The web edition's pages without a browser: the SPEC §9 hooks on every questionnaire
//! page, the PDFs' section anchors on every guide page, primers that gather what the PDF
//! primers gather, byte-identical rebuilds, and the site in the bundle of a build of
//! another toolkit (the fixture), so nothing depends on the shipped content.

mod common;

use std::collections::BTreeMap;

use toolkit::questionnaire::{QuestionType, Questionnaire};

fn site_files() -> BTreeMap<String, Vec<u8>> {
    let (site, questionnaires) = common::shipped();
    toolkit::site::build_site(
        &site,
        &questionnaires,
        &[],
        &common::root().join("templates"),
    )
    .expect("the site builds")
    .into_iter()
    .collect()
}

fn page(files: &BTreeMap<String, Vec<u8>>, path: &str) -> String {
    String::from_utf8(
        files
            .get(path)
            .unwrap_or_else(|| panic!("no {path}"))
            .clone(),
    )
    .unwrap()
}

/// The respondent fields: text inputs, and selects whose values are the manifest's ids.
fn check_respondent_fields(html: &str, site: &toolkit::content::Site) {
    for field in ["response_id", "respondent", "group"] {
        assert!(
            html.contains(&format!("name=\"{field}\" type=\"text\"")),
            "{field}"
        );
    }
    let lists = [
        ("role", site.manifest.role_ids().collect::<Vec<_>>()),
        ("stage", site.manifest.stage_ids().collect()),
    ];
    for (name, ids) in lists {
        let start = html
            .find(&format!("<select id=\"f-{name}\" name=\"{name}\""))
            .expect("select");
        let select = &html[start..start + html[start..].find("</select>").unwrap()];
        assert!(select.contains("<option value=\"\">"));
        for id in ids {
            assert!(
                select.contains(&format!("<option value=\"{id}\">")),
                "{name} {id}"
            );
        }
    }
}

/// One element per question, controls named after it with the option values.
fn check_questions(html: &str, q: &Questionnaire) {
    for question in &q.questions {
        let hook = format!("data-question=\"{}\"", question.id);
        assert_eq!(html.matches(&hook).count(), 1, "{}", question.id);
        if question.kind == QuestionType::Text {
            let textarea = format!("<textarea id=\"q-{0}\" name=\"{0}\"", question.id);
            assert!(html.contains(&textarea), "{}", question.id);
            continue;
        }
        let input = match question.kind {
            QuestionType::Single => "radio",
            _ => "checkbox",
        };
        for option in &question.options {
            let control = format!(
                "type=\"{input}\" name=\"{}\" value=\"{}\"",
                question.id, option.value
            );
            assert!(html.contains(&control), "{control}");
        }
    }
}

/// Method 2 on a page: the `system` field on risk questionnaires (SPEC §6); the verdict
/// and unknowns of a blank response as Rust scores it; questions that do not apply to a
/// blank response hidden; and the data the page's scorer needs: each question's
/// `relevant` and `screening`, each flag's `stop`, the rules and the respondent fields.
fn check_method_two(html: &str, q: &Questionnaire) {
    use toolkit::questionnaire::Kind;
    use toolkit::scoring::{ScoringInput, score_response};
    let risk = q.kind == Kind::Risk;
    assert_eq!(
        html.contains("name=\"system\" type=\"text\""),
        risk,
        "{}: a system field on risk questionnaires only",
        q.id
    );
    let answers = vec![None; q.questions.len()];
    let blank = score_response(
        q,
        &ScoringInput {
            role: None,
            stage: None,
            answers: &answers,
        },
    );
    let verdict = blank.verdict.map_or("", |v| v.id());
    assert!(
        html.contains(&format!("data-result=\"verdict\" data-value=\"{verdict}\"")),
        "{}: verdict {verdict:?}",
        q.id
    );
    let unknowns: Vec<&str> = blank
        .unknowns
        .iter()
        .map(|&i| q.questions[i].id.as_str())
        .collect();
    assert!(
        html.contains(&format!(
            "data-result=\"unknowns\" data-value=\"{}\"",
            unknowns.join(" ")
        )),
        "{}: unknowns {unknowns:?}",
        q.id
    );
    for (question, applies) in q.questions.iter().zip(&blank.applicable_questions) {
        let start = html
            .find(&format!("data-question=\"{}\"", question.id))
            .unwrap();
        let open =
            &html[html[..start].rfind('<').unwrap()..start + html[start..].find('>').unwrap()];
        assert_eq!(
            open.contains(" hidden"),
            !applies,
            "{}: {open}",
            question.id
        );
    }
    let data = embedded_data(html);
    let fields: Vec<&str> = data["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f.as_str().unwrap())
        .collect();
    assert_eq!(fields.contains(&"system"), risk);
    assert_eq!(data["rules"].as_array().unwrap().len(), q.rules.len());
    for (rule, shown) in q.rules.iter().zip(data["rules"].as_array().unwrap()) {
        assert_eq!(shown["id"], rule.id.as_str());
        assert_eq!(shown["stop"], rule.stop);
        assert_eq!(
            shown["conditions"].as_array().unwrap().len(),
            rule.conditions.len()
        );
    }
    for (question, shown) in q
        .questions
        .iter()
        .zip(data["questions"].as_array().unwrap())
    {
        assert_eq!(shown["screening"], question.screening, "{}", question.id);
        let relevant = shown["relevant"].as_array().unwrap();
        assert_eq!(relevant.len(), question.relevant.len(), "{}", question.id);
        for (item, shown) in question.relevant.iter().zip(relevant) {
            assert_eq!(shown["question"], item.question);
            assert_eq!(shown["options"], serde_json::json!(item.options));
        }
        for (flag, shown) in question
            .flags
            .iter()
            .zip(shown["flags"].as_array().unwrap())
        {
            assert_eq!(shown["stop"], flag.stop, "{} {}", question.id, flag.id);
        }
    }
    let verdicts = data["verdicts"].as_array().unwrap();
    assert_eq!(verdicts.len(), 3);
}

/// Every live-result figure and every action.
fn check_results_and_actions(html: &str, q: &Questionnaire) {
    let mut results = vec![
        "score".to_owned(),
        "level".into(),
        "flags".into(),
        "completion".into(),
        "verdict".into(),
        "unknowns".into(),
    ];
    if q.kind == toolkit::questionnaire::Kind::Risk {
        results.extend(["risk".to_owned(), "mitigation".into()]);
    }
    results.extend(q.dimensions.iter().map(|d| format!("dim:{}", d.id)));
    for name in results {
        assert!(
            html.contains(&format!("data-result=\"{name}\" data-value=\"")),
            "{name}"
        );
    }
    for action in [
        "<button type=\"button\" data-action=\"download\"",
        "data-action=\"load\"",
        "<button type=\"button\" data-action=\"reset\"",
    ] {
        assert!(html.contains(action), "{action}");
    }
}

// Each questionnaire page carries every hook of SPEC §9, named after the definition.
#[test]
fn questionnaire_pages_carry_the_spec_hooks() {
    let files = site_files();
    let (site, questionnaires) = common::shipped();
    let index = page(&files, "site/index.html");
    for q in &questionnaires {
        let path = format!("questionnaires/{}.html", q.slug());
        assert!(
            index.contains(&format!("href=\"{path}\"")),
            "index links {path}"
        );
        let html = page(&files, &format!("site/{path}"));
        assert_eq!(
            html.matches("<form ").count(),
            1,
            "one form: the questionnaire"
        );
        let form = format!(
            "<form class=\"questionnaire\" data-questionnaire=\"{}\" data-version=\"{}\"",
            q.id, q.version
        );
        assert!(html.contains(&form));
        check_respondent_fields(&html, &site);
        check_questions(&html, q);
        check_results_and_actions(&html, q);
        check_method_two(&html, q);
        assert!(html.contains(
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none';"
        ));
    }
}

// Guide pages carry the PDFs' section anchors and link to their PDFs; no page loads
// anything from outside the site.
#[test]
fn guide_pages_keep_the_pdf_anchors() {
    let files = site_files();
    let (site, _) = common::shipped();
    for (doc, index) in site.documents.iter().map(|d| (d, &d.index)) {
        let html = page(&files, &format!("site/{}.html", doc.id));
        for anchor in &index.anchors {
            assert!(
                html.contains(&format!(" id=\"{}\">", anchor.id)),
                "{} #{}",
                doc.id,
                anchor.id
            );
        }
        assert!(html.contains(&format!("href=\"../guides/{}.pdf\"", doc.id)));
        assert!(
            !html.contains(".md#") && !html.contains(".md\""),
            "{}: a link still points at Markdown",
            doc.id
        );
    }
    for (path, bytes) in &files {
        if path.ends_with(".html") {
            let html = String::from_utf8_lossy(bytes);
            for attr in ["src=\"http", "href=\"//", "src=\"//", "url(http"] {
                assert!(!html.contains(attr), "{path} loads from outside: {attr}");
            }
        }
    }
}

// Each primer page gathers as many takeaways and use cases as its PDF.
#[test]
fn primer_pages_gather_what_the_pdf_primers_gather() {
    let files = site_files();
    let (site, _) = common::shipped();
    for (role, stage) in site.primer_targets() {
        let primer = site.render_primer(&site.primer_plan(&role, &stage).unwrap());
        let html = page(&files, &format!("site/primers/{role}-{stage}.html"));
        let counts = format!(
            "data-takeaways=\"{}\" data-use-cases=\"{}\"",
            primer.blocks.0, primer.blocks.1
        );
        assert!(html.contains(&counts), "{role}-{stage}: expected {counts}");
        assert_eq!(
            html.matches("class=\"block takeaway\"").count(),
            primer.blocks.0
        );
    }
}

// The same sources give byte-identical sites.
#[test]
fn site_is_deterministic() {
    assert_eq!(site_files(), site_files());
}

// A build of another toolkit (the fixture) writes its site and packs it into the bundle.
#[test]
fn build_writes_the_site_and_bundles_it() {
    let out = tempfile::tempdir().unwrap();
    let project = toolkit::project::Project::open(&toolkit::project::ProjectOptions {
        sources: common::root().join("tests/fixtures/toolkit/sources"),
        threads: Some(1),
        ..toolkit::project::ProjectOptions::at(&common::root())
    })
    .expect("the fixture opens");
    let options = toolkit::build::BuildOptions {
        out: out.path().to_path_buf(),
        answers: None,
        reuse: true,
    };
    let report = toolkit::build::run_build(&project, &options).expect("the fixture builds");
    for path in [
        "site/index.html",
        "site/alpha.html",
        "site/search.html",
        "site/assets/scoring.js",
    ] {
        assert!(out.path().join(path).is_file(), "{path}");
        assert!(
            report.written.iter().any(|w| w == path),
            "{path} not reported"
        );
    }
    let manifest = std::fs::read_to_string(out.path().join("manifest.json")).unwrap();
    assert!(manifest.contains("\"path\": \"site/index.html\""));
    assert!(manifest.contains("\"path\": \"site/assets/fonts/NotoSans-Regular.ttf\""));
}

// Every construct of the Markdown dialect reaches the page: links between documents to
// `<id>.html#anchor`, footnotes, callouts, tables, figures with alt text and their image,
// level tags; hostile text stays text.
#[test]
fn guide_pages_render_every_construct() {
    let sources = common::root().join("tests/fixtures/toolkit/sources");
    let toolkit::project::Sources {
        site,
        questionnaires,
        ..
    } = toolkit::project::Sources::load(&sources).unwrap();
    let files: BTreeMap<String, Vec<u8>> = toolkit::site::build_site(
        &site,
        &questionnaires,
        &[],
        &common::root().join("templates"),
    )
    .unwrap()
    .into_iter()
    .collect();
    let html = page(&files, "site/alpha.html");
    for expected in [
        "<h2 id=\"first\">First chapter</h2>",
        "<a href=\"beta.html#beta-section\">link to beta</a>",
        "<a href=\"#second-chapter\">internal link</a>",
        "<a href=\"https://example.org/path?q=1\">external link</a>",
        "<sup class=\"fnref\"><a href=\"#fn-alpha-1\" id=\"fnref-alpha-1\"",
        "<li id=\"fn-alpha-1\"><p>The footnote text, with <code>code</code>.</p>",
        "<div class=\"callout callout-note\" role=\"note\">",
        "<div class=\"callout callout-warning\" role=\"note\">",
        "<th scope=\"col\" class=\"center\">Meaning</th>",
        "<img src=\"media/docs/img/square.svg\" alt=\"A blue square\">",
        "<figcaption>The square figure</figcaption>",
        "<div class=\"block tagged\" data-levels=\"basic\">",
        "<p class=\"badge\">For: Basic</p>",
        "@ref &lt;label&gt; [ ]",
        "<select id=\"level\" data-action=\"level\">",
        "href=\"../guides/alpha-basic.pdf\"",
    ] {
        assert!(html.contains(expected), "alpha.html lacks {expected}");
    }
    assert!(!html.contains("<label>"), "hostile text became markup");
    assert!(files.contains_key("site/media/docs/img/square.svg"));
    let beta = page(&files, "site/beta.html");
    assert!(
        beta.contains("href=\"alpha.html#first\""),
        "link back to alpha"
    );
}

/// The questionnaire data a page embeds for its scripts.
fn embedded_data(html: &str) -> serde_json::Value {
    let start = html
        .find("id=\"questionnaire-data\">")
        .expect("questionnaire data")
        + "id=\"questionnaire-data\">".len();
    let end = start + html[start..].find("</script>").unwrap();
    serde_json::from_str(&html[start..end]).expect("the data is JSON")
}

// Each questionnaire page stops typing at the lengths `toolkit score` accepts, and tells
// its script those limits, the toolkit id and the edition (which key the answers kept in
// the browser) and each question's text (which names it when a load leaves a value out).
#[test]
fn questionnaire_pages_carry_the_scorers_limits_and_the_edition() {
    use toolkit::answers::validate::{MAX_FIELD_CHARS, MAX_TEXT_CHARS};
    let files = site_files();
    let (site, questionnaires) = common::shipped();
    for q in &questionnaires {
        let html = page(&files, &format!("site/questionnaires/{}.html", q.slug()));
        for field in ["response_id", "respondent", "group"] {
            let input = format!("name=\"{field}\" type=\"text\" maxlength=\"{MAX_FIELD_CHARS}\"");
            assert!(html.contains(&input), "{}: {input}", q.id);
        }
        for question in q.questions.iter().filter(|x| x.kind == QuestionType::Text) {
            let textarea = format!(
                "<textarea id=\"q-{0}\" name=\"{0}\" rows=\"3\" maxlength=\"{MAX_TEXT_CHARS}\"",
                question.id
            );
            assert!(html.contains(&textarea), "{textarea}");
        }
        let data = embedded_data(&html);
        assert_eq!(data["toolkit"], site.manifest.id.get_ref().as_str());
        assert_eq!(data["edition"], site.manifest.edition.get_ref().as_str());
        assert_eq!(data["limits"]["field"], MAX_FIELD_CHARS);
        assert_eq!(data["limits"]["text"], MAX_TEXT_CHARS);
        assert_eq!(
            data["limits"]["file_bytes"],
            toolkit::answers::MAX_CSV_BYTES
        );
        for (question, shown) in q
            .questions
            .iter()
            .zip(data["questions"].as_array().unwrap())
        {
            assert_eq!(shown["text"], question.text.as_str(), "{}", question.id);
        }
        assert!(
            html.contains("data-load-report role=\"status\""),
            "{}: no region listing what a load left out",
            q.id
        );
        assert!(
            html.contains("data-shared-notice"),
            "{}: no shared-computer notice",
            q.id
        );
    }
}

// The method 2 fixture's pages (tests/fixtures/method-2) carry the method 2 hooks and data
// too, whatever the shipped questionnaires use.
#[test]
fn method_two_pages_carry_the_hooks_and_data() {
    let (site, mut questionnaires) = common::shipped();
    let fixtures = common::method_two_fixtures(&site);
    questionnaires.extend(fixtures.iter().cloned());
    let files: BTreeMap<String, Vec<u8>> = toolkit::site::build_site(
        &site,
        &questionnaires,
        &[],
        &common::root().join("templates"),
    )
    .expect("the site builds")
    .into_iter()
    .collect();
    for q in &fixtures {
        let html = page(&files, &format!("site/questionnaires/{}.html", q.slug()));
        check_questions(&html, q);
        check_results_and_actions(&html, q);
        check_method_two(&html, q);
    }
    let latest = fixtures.last().unwrap();
    let html = page(
        &files,
        &format!("site/questionnaires/{}.html", latest.slug()),
    );
    for question in latest.questions.iter().filter(|x| x.screening) {
        let start = html
            .find(&format!("data-question=\"{}\"", question.id))
            .unwrap();
        let end = start + html[start..].find("</fieldset>").unwrap();
        assert!(
            html[start..end].contains("legal screening question"),
            "{}: no note that a blank or unsure answer counts as yes",
            question.id
        );
    }
}

/// A catalogue entry of `templates/words.toml` in PO form: the key as context, the
/// English as id.
fn po_entry(key: &str, translation: &str) -> String {
    let english = toolkit::words::Words::built_in().get(key).to_owned();
    assert_ne!(english, key, "words.toml has no {key}");
    let quote = |text: &str| text.replace('\\', "\\\\").replace('"', "\\\"");
    format!(
        "msgctxt \"{key}\"\nmsgid \"{}\"\nmsgstr \"{}\"\n\n",
        quote(&english),
        quote(translation)
    )
}

// A French edition whose catalogue has the verdicts' words shows them on its questionnaire
// page (the verdict the blank response gets, and every verdict its script may show), with
// the script's messages and the dimensions' risk and mitigation marks in French; its guide
// pages name their PDFs and label their notes' back-links in French; the English edition
// keeps its English.
#[test]
fn a_french_edition_speaks_the_words_of_its_catalogue() {
    let (_dir, sources) = common::fixture_copy();
    let manifest = sources.join("toolkit.toml");
    let mut text = std::fs::read_to_string(&manifest).unwrap();
    let at = text.find("\n[[roles]]").unwrap();
    text.insert_str(
        at,
        "\n[[languages]]\nid = \"fr\"\nname = \"Français\"\ndraft = true\n",
    );
    std::fs::write(&manifest, text).unwrap();
    let french = [
        ("verdict.proceed", "Poursuivre"),
        (
            "verdict.proceed-with-conditions",
            "Poursuivre sous conditions",
        ),
        ("verdict.do-not-proceed", "Ne pas poursuivre"),
        (
            "verdict.explain-proceed",
            "Rien dans ces réponses ne s’oppose à l’usage du système.",
        ),
        (
            "verdict.explain-proceed-with-conditions",
            "Le niveau de risque ou un signal levé demande d’abord des conditions.",
        ),
        (
            "verdict.explain-do-not-proceed",
            "Un signal levé arrête cet usage, quel que soit le score.",
        ),
        ("questionnaire.verdict-label", "Verdict :"),
        ("script.cleared", "Toutes les réponses ont été effacées."),
        ("script.load-refused", "Rien n’a été chargé depuis {file}."),
        ("report.role-risk", "(risque)"),
        ("report.role-mitigation", "(atténuation)"),
        ("site.full-edition-pdf", "Édition complète (PDF)"),
        ("footnote.back", "Retour au texte de la note {n}"),
        ("callout.note", "Remarque"),
    ];
    let mut po =
        String::from("msgid \"\"\nmsgstr \"\"\n\"Content-Type: text/plain; charset=UTF-8\\n\"\n\n");
    for (key, translation) in french {
        po.push_str(&po_entry(key, translation));
    }
    let catalogues = sources.join("translations/fr");
    std::fs::create_dir_all(&catalogues).unwrap();
    std::fs::write(catalogues.join("words.po"), po).unwrap();

    let project = common::open_project(&sources);
    let editions = project.editions();
    assert_eq!(editions.len(), 2);
    let pages = |edition: &toolkit::project::EditionSources| -> BTreeMap<String, String> {
        toolkit::site::build_site(
            edition.site,
            edition.questionnaires,
            edition.working_templates,
            &common::templates(),
        )
        .expect("the site builds")
        .into_iter()
        .filter(|(path, _)| path.ends_with(".html"))
        .map(|(path, bytes)| (path, String::from_utf8(bytes).unwrap()))
        .collect()
    };
    let page_of = |pages: &BTreeMap<String, String>, suffix: &str| -> String {
        pages
            .iter()
            .find(|(path, _)| path.ends_with(suffix))
            .unwrap_or_else(|| panic!("no page {suffix} in {:?}", pages.keys()))
            .1
            .clone()
    };
    let (en, fr) = (pages(&editions[0]), pages(&editions[1]));
    let risk = &editions[1].questionnaires[0];
    let page = format!("site/{}", toolkit::site::page_of_questionnaire(risk));
    let (en_form, fr_form) = (page_of(&en, &page), page_of(&fr, &page));
    assert!(fr.keys().all(|p| p.starts_with("fr/")), "{:?}", fr.keys());

    // The verdict the blank response gets, with its explanation, in French.
    let verdict_of = |html: &str| -> String {
        let start = html.find("data-result=\"verdict\"").expect("a verdict");
        html[start..start + html[start..].find("</div>").unwrap()].to_owned()
    };
    let (en_verdict, fr_verdict) = (verdict_of(&en_form), verdict_of(&fr_form));
    let id = en_verdict
        .split("data-value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap()
        .to_owned();
    assert!(!id.is_empty(), "{en_verdict}");
    let label = |key: &str| french.iter().find(|(k, _)| *k == key).unwrap().1;
    assert!(
        fr_verdict.contains(&format!("Verdict : {}.", label(&format!("verdict.{id}"))))
            && fr_verdict.contains(label(&format!("verdict.explain-{id}"))),
        "{fr_verdict}"
    );
    let english = toolkit::words::Words::built_in();
    assert!(
        en_verdict.contains(&format!(
            "Verdict: {}.",
            english.get(&format!("verdict.{id}"))
        )),
        "{en_verdict}"
    );

    // Every verdict the page's script may show, in French; in English on the English page.
    let verdicts = |html: &str| -> Vec<(String, String, String)> {
        embedded_data(html)["verdicts"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| {
                let text = |name: &str| v[name].as_str().unwrap().to_owned();
                (text("id"), text("label"), text("explanation"))
            })
            .collect()
    };
    for (id, label_text, explanation) in verdicts(&fr_form) {
        assert_eq!(label_text, label(&format!("verdict.{id}")));
        assert_eq!(explanation, label(&format!("verdict.explain-{id}")));
    }
    for (id, label_text, explanation) in verdicts(&en_form) {
        assert_eq!(label_text, english.get(&format!("verdict.{id}")));
        assert_eq!(explanation, english.get(&format!("verdict.explain-{id}")));
    }

    // The script's messages: French where the catalogue has them, English otherwise
    // (placeholders kept for the script to fill).
    assert!(fr_form.contains("data-word-cleared=\"Toutes les réponses ont été effacées.\""));
    assert!(fr_form.contains("data-word-load-refused=\"Rien n’a été chargé depuis {file}.\""));
    assert!(
        fr_form.contains(
            "data-word-confirm-reset=\"Clear every answer on this page and start again?\""
        )
    );
    assert!(en_form.contains("data-word-cleared=\"Every answer was cleared.\""));
    assert!(fr_form.contains("<span class=\"hint-inline\">(risque)</span>"));
    assert!(fr_form.contains("<span class=\"hint-inline\">(atténuation)</span>"));
    assert!(en_form.contains("<span class=\"hint-inline\">(risk)</span>"));

    // The guide page: its PDF link and its notes' back-links.
    let (en_guide, fr_guide) = (
        page_of(&en, "site/alpha.html"),
        page_of(&fr, "site/alpha.html"),
    );
    assert!(
        fr_guide.contains(">Édition complète (PDF)</a>"),
        "{fr_guide}"
    );
    assert!(fr_guide.contains("aria-label=\"Retour au texte de la note 1\""));
    assert!(fr_guide.contains("<p class=\"callout-title\">Remarque</p>"));
    assert!(en_guide.contains(">Full edition (PDF)</a>"));
    assert!(en_guide.contains("aria-label=\"Back to the text of note 1\""));
    assert!(!fr_guide.contains("Back to the text of note"));
}
