//! The reference cases of the shipped questionnaires (`sources/reference-cases/*.toml`):
//! read, and turned into the answers of each variant, for the tests that check them against
//! the Rust scorer, the recalculated workbook and the web page's scorer.

use std::collections::BTreeSet;
use std::path::Path;

use toolkit::questionnaire::Questionnaire;
use toolkit::scoring::{Answer, ScoreResult, ScoringInput, score_response};

/// One file of reference cases.
#[derive(Debug, serde::Deserialize)]
pub struct Cases {
    /// The questionnaire id the cases answer.
    pub questionnaire: String,
    /// Its version.
    pub version: String,
    /// The cases.
    pub cases: Vec<Case>,
}

/// One reference case (the fields are described in the file's header).
#[derive(Debug, serde::Deserialize)]
pub struct Case {
    /// Stable id of the case.
    pub id: String,
    /// One line.
    pub title: String,
    /// The fictional system assessed.
    pub system: String,
    /// How the screening questions are filled: `blank` or `no`.
    pub variants: Vec<String>,
    /// The verdict id the authors expect.
    pub expected_verdict: String,
    /// The flag ids the authors expect, without `incomplete`.
    pub expected_flags: Vec<String>,
    /// Why, in a sentence or two.
    pub why: String,
    /// Question id to option value(s) or text.
    pub answers: toml::Table,
}

impl Case {
    /// The expected flags, as a set.
    pub fn expected(&self) -> BTreeSet<&str> {
        self.expected_flags.iter().map(String::as_str).collect()
    }
}

/// Every file of reference cases under `sources/reference-cases`, in file name order.
pub fn load_all(sources: &Path) -> Vec<Cases> {
    let dir = sources.join("reference-cases");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("the shipped sources have reference cases")
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    files
        .iter()
        .map(|file| {
            toml::from_str(&std::fs::read_to_string(file).unwrap())
                .unwrap_or_else(|e| panic!("{}: {e}", file.display()))
        })
        .collect()
}

/// The questionnaire a file of cases answers.
pub fn questionnaire_of<'a>(
    cases: &Cases,
    questionnaires: &'a [Questionnaire],
) -> &'a Questionnaire {
    questionnaires
        .iter()
        .find(|q| q.id == cases.questionnaire && q.version == cases.version)
        .expect("the cases name a shipped questionnaire version")
}

/// Scores answers with a blank role and stage, as the cases are written.
pub fn score(q: &Questionnaire, answers: &[Option<Answer>]) -> ScoreResult {
    score_response(
        q,
        &ScoringInput {
            role: None,
            stage: None,
            answers,
        },
    )
}

/// The answers of a case: its factual answers, then every applicable screening question
/// left blank (`blank`) or answered "no" (`no`), until what applies no longer changes.
pub fn answers_of(q: &Questionnaire, case: &Case, variant: &str) -> Vec<Option<Answer>> {
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

/// The flags of a result as a set, without `incomplete` (the cases leave it out).
pub fn flags_without_incomplete<'a>(flags: impl IntoIterator<Item = &'a str>) -> BTreeSet<&'a str> {
    flags
        .into_iter()
        .filter(|id| *id != toolkit::scoring::INCOMPLETE)
        .collect()
}
