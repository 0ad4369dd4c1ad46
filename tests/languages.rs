//! The toolkit in every declared language: the same answers, written with the option,
//! role and stage labels of each language, score the same; the Arabic edition is right
//! to left in its files (workbook sheets, PDF language, page direction).

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use common::*;
use toolkit::project::EditionSources;
use toolkit::questionnaire::Questionnaire;

/// The languages the shipped manifest declares, the source language first.
fn declared() -> Vec<String> {
    let manifest = toolkit::content::manifest::Manifest::load(&root().join("sources")).unwrap();
    manifest
        .languages()
        .iter()
        .map(|l| l.id().to_owned())
        .collect()
}

/// The rows of a summary.csv by response id, with the columns that must not depend on
/// the language the answers were written in.
fn figures(summary: &Path) -> BTreeMap<String, Vec<String>> {
    let mut reader = csv::Reader::from_path(summary).unwrap();
    let header = reader.headers().unwrap().clone();
    let wanted = [
        "completion",
        "score",
        "level",
        "flags",
        "verdict",
        "unknowns",
        "warnings",
        "role",
        "stage",
        "risk",
        "mitigation",
    ];
    let mut rows = BTreeMap::new();
    for record in reader.records() {
        let record = record.unwrap();
        let get = |name: &str| {
            let i = header
                .iter()
                .position(|h| h.trim_start_matches('\u{feff}') == name);
            i.map(|i| record[i].to_owned()).unwrap_or_default()
        };
        let mut values: Vec<String> = wanted.iter().map(|w| format!("{w}={}", get(w))).collect();
        values.extend(
            header
                .iter()
                .filter(|h| h.starts_with("dim:"))
                .map(|h| format!("{h}={}", get(h))),
        );
        rows.insert(get("response_id"), values);
    }
    rows
}

/// A wide CSV of the shipped Eastvale risk answers with every option, role and stage
/// written as its label in `edition` (the questionnaire and manifest read in that
/// language), and `language` set to it.
fn labelled_csv(source: &Questionnaire, edition: &EditionSources, language: &str) -> String {
    let q = edition
        .questionnaires
        .iter()
        .find(|t| t.id == source.id && t.version == source.version)
        .unwrap();
    let text =
        std::fs::read_to_string(root().join("answers/eastvale/risk-assessment-workshop.csv"))
            .unwrap();
    let mut reader = csv::Reader::from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let header = reader.headers().unwrap().clone();
    let mut out = csv::Writer::from_writer(Vec::new());
    out.write_record(&header).unwrap();
    let facet_label = |list: &[toolkit::content::manifest::Facet], id: &str| {
        list.iter()
            .find(|f| f.id.get_ref() == id)
            .map_or(id.to_owned(), |f| f.label.clone())
    };
    for record in reader.records() {
        let record = record.unwrap();
        let row: Vec<String> = header
            .iter()
            .zip(record.iter())
            .map(|(column, value)| match column {
                "language" => language.to_owned(),
                "role" => facet_label(&edition.site.manifest.roles, value),
                "stage" => facet_label(&edition.site.manifest.stages, value),
                _ => match q.questions.iter().find(|question| question.id == column) {
                    Some(question) if !question.options.is_empty() && !value.is_empty() => value
                        .split(';')
                        .map(|v| {
                            question
                                .options
                                .iter()
                                .find(|o| o.value == v.trim())
                                .map_or(v.to_owned(), |o| o.label.clone())
                        })
                        .collect::<Vec<_>>()
                        .join(";"),
                    _ => value.to_owned(),
                },
            })
            .collect();
        out.write_record(&row).unwrap();
    }
    String::from_utf8(out.into_inner().unwrap()).unwrap()
}

// The Eastvale risk workshop, written out in the labels of each declared language (ids
// in the source file become labels), scores exactly as in the source language: same
// completion, score, level, flags, verdict, unknowns and dimension percents. Each
// language's report is typeset in that language.
#[test]
fn the_same_answers_in_every_language_score_the_same() {
    let project = open_project(&root().join("sources"));
    let languages = declared();
    assert!(
        languages.len() >= 4,
        "en, fr, es and ar are declared: {languages:?}"
    );
    let source = project
        .questionnaires
        .iter()
        .filter(|q| q.id == "risk-assessment")
        .max_by(|a, b| a.version.cmp(&b.version))
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut results = Vec::new();
    for (edition, language) in project.editions().iter().zip(&languages) {
        let folder = dir.path().join(language);
        std::fs::create_dir_all(&folder).unwrap();
        let file = folder.join("answers.csv");
        std::fs::write(&file, labelled_csv(source, edition, language)).unwrap();
        let out = folder.join("reports");
        let output = toolkit(
            &[
                "score",
                file.to_str().unwrap(),
                "--out",
                out.to_str().unwrap(),
            ],
            &root(),
        );
        assert_eq!(
            output.status.code(),
            Some(0),
            "{language}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        results.push((language.clone(), figures(&out.join("summary.csv")), out));
    }
    let (_, english, _) = &results[0];
    assert!(!english.is_empty());
    for (language, rows, out) in &results[1..] {
        assert_eq!(rows, english, "{language} answers scored differently");
        // The report of a response in this language is typeset in it.
        let pdf = std::fs::read_dir(out.join("responses/risk-assessment-2.0.0"))
            .unwrap()
            .next()
            .unwrap()
            .unwrap()
            .path();
        let bytes = std::fs::read(&pdf).unwrap();
        let lang = format!("/Lang({language})");
        assert!(
            bytes.windows(lang.len()).any(|w| w == lang.as_bytes()),
            "{} is not marked {lang}",
            pdf.display()
        );
    }
}

// The Arabic edition runs right to left in its files: the workbook's sheets, the
// printable questionnaire's language, the web pages' direction; the French edition
// stays left to right.
#[test]
fn the_arabic_edition_is_right_to_left() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("output");
    let output = toolkit(
        &[
            "build",
            "--out",
            out.to_str().unwrap(),
            "--answers",
            "no-such-folder",
        ],
        &root(),
    );
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let sheet = |language: &str| {
        let file = std::fs::File::open(out.join(format!(
            "{language}/questionnaires/risk-assessment-2.0.0.xlsx"
        )))
        .unwrap();
        let mut zip = zip::ZipArchive::new(file).unwrap();
        let mut text = String::new();
        std::io::Read::read_to_string(
            &mut zip.by_name("xl/worksheets/sheet2.xml").unwrap(),
            &mut text,
        )
        .unwrap();
        text
    };
    assert!(
        sheet("ar").contains("rightToLeft=\"1\""),
        "the Arabic workbook's sheets run right to left"
    );
    assert!(!sheet("fr").contains("rightToLeft=\"1\""));
    let pdf = std::fs::read(out.join("ar/questionnaires/risk-assessment-2.0.0.pdf")).unwrap();
    assert!(
        pdf.windows(9).any(|w| w == b"/Lang(ar)"),
        "the Arabic questionnaire declares its language"
    );
    let page =
        std::fs::read_to_string(out.join("ar/site/questionnaires/risk-assessment-2.0.0.html"))
            .unwrap();
    assert!(page.contains("<html lang=\"ar\" dir=\"rtl\">"));
    assert!(
        page.contains("hreflang=\"fr\""),
        "every page links the same page in the other languages"
    );
    let english = std::fs::read_to_string(out.join("site/index.html")).unwrap();
    assert!(english.contains("<html lang=\"en\" dir=\"ltr\">"));
}
