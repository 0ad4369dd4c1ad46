//! Validation of one response against the questionnaire definitions (SPEC §6): the
//! questionnaire and version, role and stage (by id or label), and every answer (by
//! option value or label, trimmed, case-insensitive). A response with any problem is
//! rejected whole, with every problem listed; other responses are unaffected.

use crate::content::manifest::{Facet, Manifest};
use crate::questionnaire::{QuestionType, Questionnaire};
use crate::scoring::Answer;

use super::{Located, RawResponse};

/// Longest response id, respondent name or group name.
pub const MAX_FIELD_CHARS: usize = 200;

/// Longest free-text answer printed in a report (about ten pages).
pub const MAX_TEXT_CHARS: usize = 20_000;

/// A response that passed validation, ready to score.
#[derive(Debug, Clone, PartialEq)]
pub struct Response {
    /// The file it came from.
    pub file: String,
    /// Where in the file.
    pub location: String,
    /// Row in the file (for ordering).
    pub row: usize,
    /// The response id (given, or `<file stem>-<row>`).
    pub id: String,
    /// Index of its questionnaire in the loaded list.
    pub questionnaire: usize,
    /// Respondent's name.
    pub respondent: String,
    /// Group (workshop or agency); may be empty.
    pub group: String,
    /// Role id.
    pub role: Option<String>,
    /// Stage id.
    pub stage: Option<String>,
    /// Answers by question index.
    pub answers: Vec<Option<Answer>>,
}

/// One reason a response (or file) was rejected: a row of `errors.csv`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Rejection {
    /// The file.
    pub file: String,
    /// Where in it: a row, a cell, or `file`.
    pub location: String,
    /// The response id, when known.
    pub response_id: String,
    /// The question concerned, if any.
    pub question: String,
    /// The value found.
    pub found: String,
    /// What is allowed there.
    pub expected: String,
    /// What is wrong.
    pub reason: String,
    /// Row in the file (0 for the whole file), to list problems in file order.
    pub row: usize,
}

fn located_or_blank(field: &Option<Located>) -> (&str, &str) {
    field
        .as_ref()
        .map_or(("", ""), |l| (l.value.as_str(), l.location.as_str()))
}

/// Finds a role or stage by id or label.
fn find_facet<'m>(facets: &'m [Facet], text: &str) -> Option<&'m str> {
    let wanted = text.trim().to_lowercase();
    facets
        .iter()
        .find(|f| {
            f.id.get_ref().to_lowercase() == wanted || f.label.trim().to_lowercase() == wanted
        })
        .map(|f| f.id.get_ref().as_str())
}

/// Validates one raw response.
pub fn validate_response(
    raw: &RawResponse,
    questionnaires: &[Questionnaire],
    manifest: &Manifest,
) -> Result<Response, Vec<Rejection>> {
    let (given_id, _) = located_or_blank(&raw.fields.response_id);
    let id = if given_id.is_empty() {
        format!("{}-{}", raw.stem, raw.row)
    } else {
        given_id.to_owned()
    };
    let mut problems = Vec::new();
    let mut reject =
        |location: &str, question: &str, found: &str, expected: String, reason: &str| {
            problems.push(Rejection {
                file: raw.file.clone(),
                location: if location.is_empty() {
                    raw.location.clone()
                } else {
                    location.to_owned()
                },
                response_id: id.clone(),
                question: question.to_owned(),
                found: found.to_owned(),
                expected,
                reason: reason.to_owned(),
                row: raw.row,
            });
        };

    let (questionnaire_id, questionnaire_at) = located_or_blank(&raw.fields.questionnaire);
    let (version, version_at) = located_or_blank(&raw.fields.version);
    let known_ids = || {
        let mut ids: Vec<&str> = questionnaires.iter().map(|q| q.id.as_str()).collect();
        ids.dedup();
        ids.join(", ")
    };
    let candidates: Vec<usize> = questionnaires
        .iter()
        .enumerate()
        .filter(|(_, q)| q.id.eq_ignore_ascii_case(questionnaire_id.trim()))
        .map(|(i, _)| i)
        .collect();
    let chosen = if questionnaire_id.is_empty() {
        reject(
            questionnaire_at,
            "",
            "",
            known_ids(),
            "the questionnaire is missing",
        );
        None
    } else if candidates.is_empty() {
        reject(
            questionnaire_at,
            "",
            questionnaire_id,
            known_ids(),
            "unknown questionnaire",
        );
        None
    } else {
        let versions = candidates
            .iter()
            .map(|&i| questionnaires[i].version.as_str())
            .collect::<Vec<_>>()
            .join(", ");
        if version.is_empty() {
            if candidates.len() == 1 {
                Some(candidates[0])
            } else {
                reject(
                    version_at,
                    "",
                    "",
                    versions,
                    "the version is missing and several versions exist",
                );
                None
            }
        } else {
            match candidates
                .iter()
                .find(|&&i| questionnaires[i].version == version.trim())
            {
                Some(&i) => Some(i),
                None => {
                    reject(
                        version_at,
                        "",
                        version,
                        versions,
                        "unknown version of the questionnaire",
                    );
                    None
                }
            }
        }
    };

    let mut facet = |field: &Option<Located>, facets: &[Facet], what: &str| -> Option<String> {
        let (text, at) = located_or_blank(field);
        if text.is_empty() {
            return None;
        }
        match find_facet(facets, text) {
            Some(id) => Some(id.to_owned()),
            None => {
                let allowed = facets
                    .iter()
                    .map(|f| format!("{} ({})", f.label, f.id.get_ref()))
                    .collect::<Vec<_>>()
                    .join(", ");
                reject(at, "", text, allowed, &format!("unknown {what}"));
                None
            }
        }
    };
    let role = facet(&raw.fields.role, &manifest.roles, "role");
    let stage = facet(&raw.fields.stage, &manifest.stages, "stage");
    let named = [
        (&raw.fields.response_id, "response_id"),
        (&raw.fields.respondent, "respondent"),
        (&raw.fields.group, "group"),
    ];
    for (field, name) in named {
        let (text, at) = located_or_blank(field);
        if text.chars().count() > MAX_FIELD_CHARS {
            let start: String = text.chars().take(40).collect();
            reject(
                at,
                "",
                &format!("{start}…"),
                format!("at most {MAX_FIELD_CHARS} characters"),
                &format!("the {name} is too long"),
            );
        }
    }

    let Some(qi) = chosen else {
        return Err(problems);
    };
    let q = &questionnaires[qi];
    let mut answers: Vec<Option<Answer>> = vec![None; q.questions.len()];
    for answer in &raw.answers {
        let value = answer.value.value.as_str();
        let at = answer.value.location.as_str();
        let Some(index) = q
            .questions
            .iter()
            .position(|question| question.id.eq_ignore_ascii_case(answer.question.trim()))
        else {
            let reason = if answer.question.is_empty() {
                "a value outside any column of the header"
            } else {
                "unknown question"
            };
            reject(
                at,
                &answer.question,
                value,
                format!("question ids of {} {}", q.id, q.version),
                reason,
            );
            continue;
        };
        let question = &q.questions[index];
        let allowed = || {
            question
                .options
                .iter()
                .map(|o| o.label.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        };
        match question.kind {
            QuestionType::Text if value.chars().count() > MAX_TEXT_CHARS => reject(
                at,
                &question.id,
                &format!("{}…", value.chars().take(60).collect::<String>()),
                format!("at most {MAX_TEXT_CHARS} characters"),
                "the answer is too long to print in a report; shorten it",
            ),
            QuestionType::Text => answers[index] = Some(Answer::Text(value.to_owned())),
            QuestionType::Single => match question.find_option(value) {
                Some(option) => answers[index] = Some(Answer::Choices(vec![option])),
                None => reject(
                    at,
                    &question.id,
                    value,
                    allowed(),
                    "not an option of this question",
                ),
            },
            QuestionType::Multiple => {
                let mut chosen = Vec::new();
                let mut ok = true;
                for part in value.split(';').map(str::trim).filter(|p| !p.is_empty()) {
                    match question.find_option(part) {
                        Some(option) if !chosen.contains(&option) => chosen.push(option),
                        Some(_) => {}
                        None => {
                            reject(
                                at,
                                &question.id,
                                part,
                                allowed(),
                                "not an option of this question",
                            );
                            ok = false;
                        }
                    }
                }
                let not_applicable = chosen
                    .iter()
                    .filter(|&&c| question.options[c].not_applicable)
                    .count();
                if not_applicable > 0 && chosen.len() > 1 {
                    reject(
                        at,
                        &question.id,
                        value,
                        "a not-applicable option alone, or other options without it".into(),
                        "a not-applicable option was chosen together with other options",
                    );
                    ok = false;
                }
                if ok && !chosen.is_empty() {
                    chosen.sort_unstable();
                    answers[index] = Some(Answer::Choices(chosen));
                }
            }
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let text = |field: &Option<Located>| located_or_blank(field).0.to_owned();
    Ok(Response {
        file: raw.file.clone(),
        location: raw.location.clone(),
        row: raw.row,
        id,
        questionnaire: qi,
        respondent: text(&raw.fields.respondent),
        group: text(&raw.fields.group),
        role,
        stage,
        answers,
    })
}
