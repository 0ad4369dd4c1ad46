//! The reference cases of the risk assessment (`sources/reference-cases/*.toml`): common
//! police uses of AI answered as a non-lawyer would, with the legal screening questions
//! left blank and answered "no", each scored by the published method and compared with
//! the verdict and flags the toolkit's authors expect.

mod common;

use std::collections::BTreeSet;

use common::*;
use toolkit::project::Sources;
use toolkit::questionnaire::Questionnaire;
use toolkit::scoring::{Answer, INCOMPLETE, ScoringInput, score_response};

/// One file of reference cases.
#[derive(Debug, serde::Deserialize)]
struct Cases {
    questionnaire: String,
    version: String,
    cases: Vec<Case>,
}

#[derive(Debug, serde::Deserialize)]
struct Case {
    id: String,
    title: String,
    system: String,
    variants: Vec<String>,
    expected_verdict: String,
    expected_flags: Vec<String>,
    why: String,
    answers: toml::Table,
}

/// The answers of a case: its factual answers, then every applicable screening question
/// left blank (`blank`) or answered "no" (`no`), until what applies no longer changes.
fn answers_of(q: &Questionnaire, case: &Case, variant: &str) -> Vec<Option<Answer>> {
    let mut answers: Vec<Option<Answer>> = vec![None; q.questions.len()];
    for (id, value) in &case.answers {
        let i = q
            .questions
            .iter()
            .position(|x| x.id == *id)
            .unwrap_or_else(|| panic!("{}: unknown question {id}", case.id));
        let question = &q.questions[i];
        let values: Vec<&str> = match value {
            toml::Value::String(text) => vec![text.as_str()],
            toml::Value::Array(items) => items.iter().filter_map(|v| v.as_str()).collect(),
            other => panic!("{}: {id} has a value of the wrong type: {other:?}", case.id),
        };
        answers[i] = Some(if question.options.is_empty() {
            Answer::Text(values.join(" "))
        } else {
            Answer::Choices(
                values
                    .iter()
                    .map(|v| {
                        question
                            .find_option(v)
                            .unwrap_or_else(|| panic!("{}: {id} has no option {v:?}", case.id))
                    })
                    .collect(),
            )
        });
    }
    if variant == "no" {
        for _ in 0..q.questions.len() {
            let result = score(q, &answers);
            let mut changed = false;
            for (i, question) in q.questions.iter().enumerate() {
                if question.screening && result.applicable_questions[i] && answers[i].is_none() {
                    let no = question
                        .find_option("no")
                        .unwrap_or_else(|| panic!("{} has no option \"no\"", question.id));
                    answers[i] = Some(Answer::Choices(vec![no]));
                    changed = true;
                }
            }
            if !changed {
                break;
            }
        }
    }
    answers
}

fn score(q: &Questionnaire, answers: &[Option<Answer>]) -> toolkit::scoring::ScoreResult {
    score_response(
        q,
        &ScoringInput {
            role: None,
            stage: None,
            answers,
        },
    )
}

// Every reference case, in every variant, gets the verdict and exactly the flags its
// authors expect; together they cover every verdict.
#[test]
fn reference_cases_get_the_expected_verdicts() {
    let sources = root().join("sources");
    let loaded = Sources::load(&sources).expect("the shipped sources load");
    let dir = sources.join("reference-cases");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("the shipped sources have reference cases")
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    assert!(!files.is_empty());
    let mut verdicts = BTreeSet::new();
    let mut failures = Vec::new();
    for file in files {
        let cases: Cases = toml::from_str(&std::fs::read_to_string(&file).unwrap())
            .unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        let q = loaded
            .questionnaires
            .iter()
            .find(|q| q.id == cases.questionnaire && q.version == cases.version)
            .expect("the cases name a shipped questionnaire version");
        assert!(cases.cases.len() >= 12, "at least 12 reference cases");
        for case in &cases.cases {
            assert!(!case.title.is_empty() && !case.system.is_empty() && !case.why.is_empty());
            for variant in &case.variants {
                let result = score(q, &answers_of(q, case, variant));
                let verdict = result.verdict.map(|v| v.id()).unwrap_or("");
                let flags: BTreeSet<&str> = result
                    .flags
                    .iter()
                    .map(|f| f.id.as_str())
                    .filter(|id| *id != INCOMPLETE)
                    .collect();
                let expected: BTreeSet<&str> =
                    case.expected_flags.iter().map(String::as_str).collect();
                if verdict != case.expected_verdict || flags != expected {
                    failures.push(format!(
                        "{} ({variant}): verdict {verdict}, flags {flags:?}; expected {}, {expected:?}",
                        case.id, case.expected_verdict
                    ));
                }
                verdicts.insert(verdict.to_owned());
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert_eq!(
        verdicts,
        BTreeSet::from([
            "do-not-proceed".to_owned(),
            "proceed".to_owned(),
            "proceed-with-conditions".to_owned()
        ]),
        "the cases cover every verdict"
    );
}
