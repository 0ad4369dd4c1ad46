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

/// Runs `toolkit score` on `answers` (a file or folder) into `out`, asserts it succeeds and
/// returns the language-neutral figures of its summary.csv.
fn score(answers: &Path, out: &Path, language: &str) -> BTreeMap<String, Vec<String>> {
    let output = toolkit(
        &[
            "score",
            answers.to_str().unwrap(),
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
    figures(&out.join("summary.csv"))
}

/// The label in `q` (a questionnaire read in some language) of the option that `answer`
/// names in the source questionnaire, by value or by English label.
fn option_label(source: &Questionnaire, q: &Questionnaire, question: &str, answer: &str) -> String {
    let value = source
        .questions
        .iter()
        .find(|s| s.id == question)
        .and_then(|s| {
            s.options
                .iter()
                .find(|o| o.value == answer || o.label == answer)
        })
        .unwrap_or_else(|| panic!("{question}: no option {answer:?}"))
        .value
        .clone();
    q.questions
        .iter()
        .find(|t| t.id == question)
        .and_then(|t| t.options.iter().find(|o| o.value == value))
        .unwrap()
        .label
        .clone()
}

/// The questionnaire `source` as `edition` reads it, with the shipped Eastvale risk
/// answers (the sample CSV's header and rows).
fn eastvale<'a>(
    source: &Questionnaire,
    edition: &'a EditionSources,
) -> (&'a Questionnaire, csv::StringRecord, Vec<csv::StringRecord>) {
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
    let records = reader.records().map(Result::unwrap).collect();
    (q, header, records)
}

/// The label of the role or stage `id` in `list`, or the id when it names none.
fn facet_label(list: &[toolkit::content::manifest::Facet], id: &str) -> String {
    list.iter()
        .find(|f| f.id.get_ref() == id)
        .map_or(id.to_owned(), |f| f.label.clone())
}

/// A wide CSV of the shipped Eastvale risk answers with every option, role and stage
/// written as its label in `edition` (the questionnaire and manifest read in that
/// language), and `language` set to it.
fn labelled_csv(source: &Questionnaire, edition: &EditionSources, language: &str) -> String {
    let (q, header, records) = eastvale(source, edition);
    let mut out = csv::Writer::from_writer(Vec::new());
    out.write_record(&header).unwrap();
    for record in records {
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
                        .map(|v| option_label(source, q, &question.id, v.trim()))
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
    let mut written: Vec<String> = Vec::new();
    for (edition, language) in project.editions().iter().zip(&languages) {
        let folder = dir.path().join(language);
        std::fs::create_dir_all(&folder).unwrap();
        let file = folder.join("answers.csv");
        let csv = labelled_csv(source, edition, language);
        // Each language's file is written in its own words, not the source's.
        assert!(
            !written.contains(&csv.replace(&format!(",{language},"), ",")),
            "{language}: the answers are written in another language's labels"
        );
        written.push(csv.replace(&format!(",{language},"), ","));
        std::fs::write(&file, csv).unwrap();
        let out = folder.join("reports");
        results.push((language.clone(), score(&file, &out, language), out));
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
    // The lifecycle reads from right to left in Arabic: its first step's box, at the
    // left edge in English, is drawn inside the group that mirrors the figure, with its
    // Arabic label mirrored back so it reads as written. The French figure is not mirrored.
    let figure = |language: &str| {
        std::fs::read_to_string(out.join(format!(
            "{language}/site/media/guides/figures/lifecycle.svg"
        )))
        .unwrap()
    };
    let arabic = figure("ar");
    let mirror = arabic
        .find("<g transform=\"matrix(-1 0 0 1 860 0)\">")
        .expect("the Arabic lifecycle is mirrored");
    assert!(arabic[mirror..].contains("<rect x=\"14\" y=\"70\""));
    assert!(arabic.contains("text-anchor=\"middle\" transform=\"matrix(-1 0 0 1 132 0)\">"));
    assert!(!figure("fr").contains("matrix(-1"));
}

/// The shipped Eastvale risk answers as openpyxl fill specs for the workbook of `edition`:
/// every option, role and stage picked by its label in that language, as a person picks
/// it from the workbook's dropdowns; each option of a multiple-choice question ticked on
/// its own row.
fn workbook_specs(
    source: &Questionnaire,
    edition: &EditionSources,
    language: &str,
) -> Vec<(String, serde_json::Value)> {
    let (q, header, records) = eastvale(source, edition);
    records
        .into_iter()
        .map(|record| {
            let get = |name: &str| {
                header
                    .iter()
                    .position(|h| h == name)
                    .map(|i| record[i].to_owned())
                    .unwrap_or_default()
            };
            let id = get("response_id");
            let respondent = serde_json::json!({
                "Response ID": id,
                "Group": get("group"),
                "Role": facet_label(&edition.site.manifest.roles, &get("role")),
                "Stage": facet_label(&edition.site.manifest.stages, &get("stage")),
                "System": get("system"),
            });
            let mut answers = serde_json::Map::new();
            for question in &q.questions {
                let value = get(&question.id);
                if value.is_empty() {
                    continue;
                }
                if question.options.is_empty() {
                    answers.insert(question.id.clone(), value.into());
                } else if question.kind == toolkit::questionnaire::QuestionType::Multiple {
                    for v in value.split(';') {
                        let label = option_label(source, q, &question.id, v.trim());
                        let option = question.options.iter().find(|o| o.label == label).unwrap();
                        answers.insert(format!("{}/{}", question.id, option.value), "Yes".into());
                    }
                } else {
                    let label = option_label(source, q, &question.id, &value);
                    answers.insert(question.id.clone(), label.into());
                }
            }
            (
                format!("{language}-{id}"),
                serde_json::json!({"respondent": respondent, "answers": answers}),
            )
        })
        .collect()
}

/// The figures of a recalculated workbook's Score sheet, row by row: numbers only (the
/// labels and level names are words of the workbook's language).
fn live_figures(workbook: &Path) -> Vec<String> {
    use calamine::{Data, Reader};
    let mut book = calamine::open_workbook_auto(workbook).unwrap();
    let range = book
        .worksheet_range(toolkit::workbook::layout::score::NAME)
        .unwrap();
    range
        .rows()
        .enumerate()
        .flat_map(|(r, row)| {
            row.iter()
                .enumerate()
                .filter_map(move |(c, cell)| match cell {
                    Data::Float(f) => Some(format!("{r}:{c}={:.6}", f)),
                    Data::Int(i) => Some(format!("{r}:{c}={i}")),
                    Data::Bool(b) => Some(format!("{r}:{c}={b}")),
                    _ => None,
                })
        })
        .collect()
}

// The Eastvale risk workshop filled into each language's workbook with openpyxl (labels
// of that language picked, as from the dropdowns) and recalculated by LibreOffice: the
// Score sheet shows the same figures in every language, and `toolkit score` reads the
// recalculated workbooks to the same completion, score, level, flags and verdict.
#[test]
fn the_same_answers_in_each_languages_workbook_score_the_same() {
    if !have_openpyxl() || !have("soffice", "apt-get install libreoffice-calc-nogui") {
        return;
    }
    let project = open_project(&root().join("sources"));
    let languages = declared();
    let source = project
        .questionnaires
        .iter()
        .filter(|q| q.id == "risk-assessment")
        .max_by(|a, b| a.version.cmp(&b.version))
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut filled = Vec::new();
    for (edition, language) in project.editions().iter().zip(&languages) {
        let q = edition
            .questionnaires
            .iter()
            .find(|t| t.id == source.id && t.version == source.version)
            .unwrap();
        let folder = dir.path().join(language);
        std::fs::create_dir_all(&folder).unwrap();
        let blank = folder.join("blank.xlsx");
        let bytes = toolkit::workbook::write_workbook(
            q,
            (&edition.site.manifest, &edition.site.words),
            None,
            toolkit::date::Date::from_epoch(TEST_EPOCH),
            edition.site.manifest.paper,
        )
        .unwrap();
        std::fs::write(&blank, bytes).unwrap();
        let specs = workbook_specs(source, edition, language);
        assert!(specs.len() >= 5, "{language}: {} responses", specs.len());
        filled.extend(fill_workbooks(&blank, &folder, &specs));
    }
    let recalculated_dir = dir.path().join("recalculated");
    let recalculated = libreoffice_convert_all(&filled, "xlsx", &recalculated_dir);
    let per_language = recalculated.len() / languages.len();
    let mut scored = Vec::new();
    for (i, language) in languages.iter().enumerate() {
        let files = &recalculated[i * per_language..(i + 1) * per_language];
        let folder = dir.path().join(format!("answers-{language}"));
        std::fs::create_dir_all(&folder).unwrap();
        let mut live = Vec::new();
        for file in files {
            std::fs::copy(file, folder.join(file.file_name().unwrap())).unwrap();
            live.push(live_figures(file));
        }
        let out = dir.path().join(format!("reports-{language}"));
        let summary = score(&folder, &out, language);
        assert_eq!(summary.len(), per_language, "{language}: {summary:?}");
        scored.push((language.clone(), live, summary));
    }
    let (_, english_live, english) = &scored[0];
    assert!(english_live.iter().all(|figures| !figures.is_empty()));
    for (language, live, summary) in &scored[1..] {
        assert_eq!(
            summary, english,
            "{language}: the workbooks scored differently"
        );
        assert_eq!(
            live, english_live,
            "{language}: the recalculated Score sheet differs"
        );
    }
}
