//! One name per question in every format: the workbook, the printable questionnaire, the
//! web page and the per-response report show each question by its id from the definition,
//! in the definition's order, with no running number in front of it, so "question
//! RA-TEC-02" finds the same question everywhere. Also: the printable risk assessment says
//! when a question with a `relevant` condition is to be answered, and what a blank or
//! "Not sure" screening answer does.

mod common;

use std::path::Path;

use calamine::{Data, Reader, open_workbook_auto};
use common::*;
use toolkit::content::Site;
use toolkit::date::Date;
use toolkit::jobs::questionnaire::printable_job;
use toolkit::jobs::report::report_job;
use toolkit::questionnaire::{QuestionType, Questionnaire};
use toolkit::report::{ReportContext, response_report};
use toolkit::typeset::{Job, Template, Typesetter, run_pool};
use toolkit::workbook::layout::questions;
use toolkit::workbook::write_workbook;

/// The ids of the Questions sheet's question rows (column `ID`), in sheet order; the
/// option rows of a multiple-choice question (`<id>/<value>`) are checked to follow their
/// question and left out.
fn workbook_ids(path: &Path) -> Vec<String> {
    let mut workbook = open_workbook_auto(path).expect("the workbook opens");
    let sheet = workbook
        .worksheet_range(questions::NAME)
        .expect("a Questions sheet");
    assert_eq!(
        sheet.get_value((questions::HEADER_ROW, 0)),
        Some(&Data::String("ID".into()))
    );
    let mut ids: Vec<String> = Vec::new();
    for row in sheet.rows().skip(questions::FIRST_ROW as usize) {
        let Some(Data::String(id)) = row.first() else {
            continue;
        };
        match id.split_once('/') {
            Some((question, _)) => assert_eq!(
                Some(question),
                ids.last().map(String::as_str),
                "option row {id} is not under its question"
            ),
            None => ids.push(id.clone()),
        }
    }
    ids
}

/// The first word of every line that starts at the left margin in `pdftotext -layout`'s
/// text of a PDF, from the first line that `start` begins on (question ids sit at the
/// margin; a running number in front of an id would be the first word instead).
fn margin_words(pdf: &[u8], dir: &Path, name: &str, start: &str) -> Vec<String> {
    let path = dir.join(format!("{name}.pdf"));
    std::fs::write(&path, pdf).unwrap();
    let text = run_tool("pdftotext", &["-layout", path.to_str().unwrap(), "-"]);
    text.lines()
        // A page's first line starts with a form feed.
        .map(|line| line.trim_start_matches('\u{c}'))
        .skip_while(|line| !line.starts_with(start))
        .filter(|line| !line.starts_with(char::is_whitespace))
        .filter_map(|line| line.split_whitespace().next())
        .map(str::to_owned)
        .collect()
}

/// The words that are ids of `q`'s questions, in order.
fn only_ids(words: &[String], q: &Questionnaire) -> Vec<String> {
    words
        .iter()
        .filter(|w| q.questions.iter().any(|x| &x.id == *w))
        .cloned()
        .collect()
}

/// The values of an HTML attribute or the texts of an element, in page order: what
/// follows each `open` up to the next `close`.
fn between(html: &str, open: &str, close: &str) -> Vec<String> {
    html.split(open)
        .skip(1)
        .map(|rest| rest[..rest.find(close).expect("closed")].to_owned())
        .collect()
}

/// Compiles jobs on the compile pool (large stacks, as a run does).
fn compile_all(typesetter: &Typesetter, jobs: &[Job]) -> Vec<Vec<u8>> {
    run_pool(
        jobs,
        2,
        |job| typesetter.compile(job).expect("the job compiles").pdf,
        || {},
    )
}

// Every shipped questionnaire shows the same ids, in the definition's order, in its
// workbook, its printable PDF and its web page, each id first on its line or label.
#[test]
fn the_same_ids_in_workbook_paper_and_web() {
    if !have("pdftotext", POPPLER) {
        return;
    }
    let (site, questionnaires) = shipped();
    let dir = tempfile::tempdir().unwrap();
    let date = Date::from_epoch(TEST_EPOCH);
    let typesetter = typesetter(&site);
    let jobs: Vec<Job> = questionnaires
        .iter()
        .map(|q| {
            printable_job(
                q,
                (&site.manifest, &site.words),
                date,
                site.manifest.paper,
                &q.slug(),
            )
        })
        .collect();
    let pdfs = compile_all(&typesetter, &jobs);
    let pages = toolkit::site::build_site(&site, &questionnaires, &[], &templates())
        .expect("the site builds");
    for (q, pdf) in questionnaires.iter().zip(&pdfs) {
        let ids: Vec<String> = q.questions.iter().map(|x| x.id.clone()).collect();
        let xlsx = dir.path().join(format!("{}.xlsx", q.slug()));
        let bytes = write_workbook(q, &site.manifest, None, date, site.manifest.paper).unwrap();
        std::fs::write(&xlsx, bytes).unwrap();
        assert_eq!(workbook_ids(&xlsx), ids, "{}: workbook", q.slug());

        let words = margin_words(pdf, dir.path(), &q.slug(), &q.questions[0].id);
        assert_eq!(only_ids(&words, q), ids, "{}: printable PDF", q.slug());
        for (id, word) in ids.iter().zip(words.iter().filter(|w| ids.contains(w))) {
            assert_eq!(id, word);
        }

        let path = format!("site/questionnaires/{}.html", q.slug());
        let (_, html) = pages.iter().find(|(p, _)| *p == path).expect("the page");
        let html = String::from_utf8(html.clone()).unwrap();
        assert_eq!(
            between(&html, " data-question=\"", "\""),
            ids,
            "{}: web page, data-question",
            q.slug()
        );
        assert_eq!(
            between(&html, "<span class=\"qid\">", "</span>"),
            ids,
            "{}: web page, the id each question shows",
            q.slug()
        );
        for before in between(&html, "class=\"question-text\"", "<span class=\"qid\">") {
            assert!(
                before.ends_with('>'),
                "{}: something shows before a question's id: {before:?}",
                q.slug()
            );
        }
    }
}

// The report's annex lists every applicable scored question by the same id, first on
// its line, by dimension and in the definition's order within each; the questions that
// do not apply to the response, and text questions, are not listed.
#[test]
fn the_report_annex_uses_the_same_ids() {
    if !have("pdftotext", POPPLER) {
        return;
    }
    let (site, questionnaires) = shipped();
    let dir = tempfile::tempdir().unwrap();
    let typesetter = typesetter(&site);
    let ctx = ReportContext::standalone(&site.manifest, Date::from_epoch(TEST_EPOCH));
    let mut expected = Vec::new();
    let mut jobs = Vec::new();
    for q in &questionnaires {
        let (responses, results) =
            toolkit::synthetic::scored(&site.manifest, &questionnaires, q, 2, &["A"], 5);
        for (response, result) in responses.iter().zip(&results) {
            let applicable: Vec<String> = (0..q.dimensions.len())
                .flat_map(|d| {
                    q.questions.iter().enumerate().filter(move |(i, x)| {
                        x.dimension == d
                            && result.applicable_questions[*i]
                            && x.kind != QuestionType::Text
                    })
                })
                .map(|(_, x)| x.id.clone())
                .collect();
            assert!(!applicable.is_empty());
            expected.push((q, applicable));
            let data = response_report(&ctx, q, response, result);
            jobs.push(report_job(Template::REPORT, &data, "ids"));
        }
    }
    let pdfs = compile_all(&typesetter, &jobs);
    for (k, ((q, ids), pdf)) in expected.iter().zip(&pdfs).enumerate() {
        let name = format!("{}-{k}", q.slug());
        let words = margin_words(pdf, dir.path(), &name, "Annex");
        assert!(!words.is_empty(), "{name}: no annex");
        assert_eq!(&only_ids(&words, q), ids, "{name}: report annex");
    }
}

// The printable risk assessment says, just before the options of each question with a
// `relevant` condition, when to answer it, naming the questions by id and the options by
// their labels from the definition; and each screening question says, with its own
// labels, that a blank or "Not sure" raises its flag.
#[test]
fn paper_says_when_to_answer() {
    if !have("pdftotext", POPPLER) {
        return;
    }
    let (site, questionnaires) = shipped();
    let q = questionnaires
        .iter()
        .filter(|q| q.id == "risk-assessment")
        .max_by(|a, b| a.version.cmp(&b.version))
        .expect("the risk assessment");
    let typesetter = typesetter(&site);
    let date = Date::from_epoch(TEST_EPOCH);
    let job = printable_job(
        q,
        (&site.manifest, &site.words),
        date,
        site.manifest.paper,
        &q.slug(),
    );
    let pdf = &compile_all(&typesetter, &[job])[0];
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("risk.pdf");
    std::fs::write(&path, pdf).unwrap();
    let text = squash(&run_tool("pdftotext", &[path.to_str().unwrap(), "-"]));
    assert!(
        text.contains("A question that says \u{201c}Answer only if …\u{201d} applies only when")
    );
    let quoted = |label: &str| format!("\u{201c}{}\u{201d}", squash(label));
    let noted: Vec<_> = q
        .questions
        .iter()
        .filter(|x| !x.relevant.is_empty() || x.screening)
        .collect();
    assert!(
        noted.len() > 10,
        "the shipped risk assessment has relevance"
    );
    for question in noted {
        let start = text
            .find(&format!("{} {}", question.id, squash(&question.text)))
            .unwrap_or_else(|| panic!("{} is not printed", question.id));
        let block = &text[start..];
        let mut at;
        if !question.relevant.is_empty() {
            at = block.find("Answer only if ").expect("a note") + "Answer only if".len();
            for (k, item) in question.relevant.iter().enumerate() {
                let other = &q.questions[item.question];
                let verb = match other.kind {
                    QuestionType::Multiple => "includes",
                    _ => "is",
                };
                let labels: Vec<String> = item
                    .options
                    .iter()
                    .map(|&o| quoted(&other.options[o].label))
                    .collect();
                let joiner = match (k, question.relevant.len() - k) {
                    (0, _) => " ",
                    (_, 1) => " and ",
                    _ => ", ",
                };
                let named = format!("{joiner}{} {verb} {}", other.id, labels[0]);
                assert!(
                    block[at..].starts_with(&named),
                    "{}: {named:?} not at {:?}",
                    question.id,
                    &block[at..(at + 300).min(block.len())]
                );
                at += named.len();
                for (l, label) in labels.iter().enumerate().skip(1) {
                    let or = if l + 1 == labels.len() { " or " } else { ", " };
                    assert!(
                        block[at..].starts_with(&format!("{or}{label}")),
                        "{}: {label} of {} not listed",
                        question.id,
                        other.id
                    );
                    at += or.len() + label.len();
                }
            }
            let end = "; otherwise leave it blank. ";
            assert!(block[at..].starts_with(end), "{}", question.id);
            at += end.len();
        } else {
            at = block.find("A legal screening question").expect("a note");
        }
        if question.screening {
            let label = |value: &str| {
                let option = question.options.iter().find(|o| o.value == value).unwrap();
                quoted(&option.label)
            };
            let note = format!(
                "A legal screening question: left blank or answered {}, it raises its flag as if answered {}. ",
                label("unsure"),
                label("yes")
            );
            assert!(
                block[at..].starts_with(&note),
                "{}: {:?}",
                question.id,
                &block[at..at + 200]
            );
            at += note.len();
        }
        assert!(
            block[at..].starts_with(&squash(&question.options[0].label)),
            "{}: the notes come just before the options",
            question.id
        );
    }
}

// A questionnaire without `relevant` conditions or screening questions prints no note.
#[test]
fn paper_without_relevance_says_nothing_more() {
    if !have("pdftotext", POPPLER) {
        return;
    }
    let site: Site = load_site(&fixture_sources());
    let questionnaires =
        toolkit::questionnaire::load_questionnaires(&fixture_sources(), &site).unwrap();
    let q = &questionnaires[0];
    assert!(
        q.questions
            .iter()
            .all(|x| x.relevant.is_empty() && !x.screening)
    );
    let typesetter = typesetter(&site);
    let job = printable_job(
        q,
        (&site.manifest, &site.words),
        Date::from_epoch(TEST_EPOCH),
        site.manifest.paper,
        &q.slug(),
    );
    let pdf = &compile_all(&typesetter, &[job])[0];
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("q.pdf");
    std::fs::write(&path, pdf).unwrap();
    let text = squash(&run_tool("pdftotext", &[path.to_str().unwrap(), "-"]));
    assert!(text.contains(&q.questions[0].id));
    assert!(!text.contains("Answer only if"));
    assert!(!text.contains("A legal screening question"));
}
