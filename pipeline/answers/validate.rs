//! Validation of one response against the questionnaire definitions (SPEC §6): the
//! questionnaire and version, role and stage (by id or label), and every answer (by
//! option value or label, trimmed, case-insensitive). A response with any problem is
//! rejected whole, with every problem listed; other responses are unaffected.

use crate::content::manifest::{Facet, Manifest};
use crate::questionnaire::{Question, QuestionType, Questionnaire};
use crate::scoring::{Answer, ScoreResult, ScoringInput, score_response};

use super::{Located, RawAnswer, RawResponse};

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

impl Response {
    /// Scores this response against `q` (its questionnaire), with its own role and stage.
    pub fn score(&self, q: &Questionnaire) -> ScoreResult {
        score_response(
            q,
            &ScoringInput {
                role: self.role.as_deref(),
                stage: self.stage.as_deref(),
                answers: &self.answers,
            },
        )
    }
}

/// One reason a response (or file) was rejected: a row of `errors.csv`.
///
/// Build one with [`Rejection::at`] and the chainable setters; fields left unset stay
/// empty:
///
/// ```ignore
/// Rejection::at(&response.file, response.row, &response.location)
///     .response(&response.id)
///     .found(&response.id)
///     .expected("a response_id not used by an earlier response")
///     .reason("duplicate response_id")
/// ```
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
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

impl Rejection {
    /// A rejection at a place in a file: `row` orders problems in file order (0 for the
    /// whole file), `location` is the place as `errors.csv` shows it (`row 7, column
    /// "RA-03"`, `Questions!E12`, `file`). Every other field starts empty.
    pub fn at(file: impl Into<String>, row: usize, location: impl Into<String>) -> Self {
        Self {
            file: file.into(),
            location: location.into(),
            response_id: String::new(),
            question: String::new(),
            found: String::new(),
            expected: String::new(),
            reason: String::new(),
            row,
        }
    }

    /// The id of the response concerned.
    pub fn response(mut self, id: impl Into<String>) -> Self {
        self.response_id = id.into();
        self
    }

    /// The id of the question concerned.
    pub fn question(mut self, id: impl Into<String>) -> Self {
        self.question = id.into();
        self
    }

    /// The value found.
    pub fn found(mut self, text: impl Into<String>) -> Self {
        self.found = text.into();
        self
    }

    /// What is allowed there.
    pub fn expected(mut self, text: impl Into<String>) -> Self {
        self.expected = text.into();
        self
    }

    /// What is wrong.
    pub fn reason(mut self, text: impl Into<String>) -> Self {
        self.reason = text.into();
        self
    }
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

/// Validates one raw response: its metadata (questionnaire and version, role and stage,
/// lengths of its id and names), then its answers, question by question. Every problem
/// is listed, in that order.
pub fn validate_response(
    raw: &RawResponse,
    questionnaires: &[Questionnaire],
    manifest: &Manifest,
) -> Result<Response, Vec<Rejection>> {
    let mut check = ResponseCheck::new(raw);
    let chosen = check.questionnaire(questionnaires);
    let role = check.facet(&raw.fields.role, &manifest.roles, "role");
    let stage = check.facet(&raw.fields.stage, &manifest.stages, "stage");
    check.name_lengths();
    let Some(qi) = chosen else {
        return Err(check.problems);
    };
    let answers = check.answers(&questionnaires[qi]);
    if !check.problems.is_empty() {
        return Err(check.problems);
    }
    let text = |field: &Option<Located>| located_or_blank(field).0.to_owned();
    Ok(Response {
        file: raw.file.clone(),
        location: raw.location.clone(),
        row: raw.row,
        id: check.id,
        questionnaire: qi,
        respondent: text(&raw.fields.respondent),
        group: text(&raw.fields.group),
        role,
        stage,
        answers,
    })
}

/// The validation of one response under way: the response, its id, the problems so far.
struct ResponseCheck<'r> {
    raw: &'r RawResponse,
    /// The response id: given, or `<file stem>-<row>`.
    id: String,
    problems: Vec<Rejection>,
}

impl<'r> ResponseCheck<'r> {
    fn new(raw: &'r RawResponse) -> Self {
        let (given_id, _) = located_or_blank(&raw.fields.response_id);
        let id = if given_id.is_empty() {
            format!("{}-{}", raw.stem, raw.row)
        } else {
            given_id.to_owned()
        };
        Self {
            raw,
            id,
            problems: Vec::new(),
        }
    }

    /// A rejection of this response at `location` (the response's own place when blank).
    fn rejection(&self, location: &str) -> Rejection {
        let location = if location.is_empty() {
            &self.raw.location
        } else {
            location
        };
        Rejection::at(&self.raw.file, self.raw.row, location).response(&self.id)
    }

    /// Records a problem at `location` with what was found, what is allowed and why.
    fn reject(&mut self, location: &str, found: &str, expected: String, reason: &str) {
        let rejection = self
            .rejection(location)
            .found(found)
            .expected(expected)
            .reason(reason);
        self.problems.push(rejection);
    }

    /// The index of the questionnaire and version the response names.
    fn questionnaire(&mut self, questionnaires: &[Questionnaire]) -> Option<usize> {
        let (questionnaire_id, at) = located_or_blank(&self.raw.fields.questionnaire);
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
        if questionnaire_id.is_empty() {
            self.reject(at, "", known_ids(), "the questionnaire is missing");
            None
        } else if candidates.is_empty() {
            self.reject(at, questionnaire_id, known_ids(), "unknown questionnaire");
            None
        } else {
            self.version(questionnaires, &candidates)
        }
    }

    /// Among the versions of the named questionnaire (`candidates`), the one the response
    /// names; the only one when it names none.
    fn version(&mut self, questionnaires: &[Questionnaire], candidates: &[usize]) -> Option<usize> {
        let (version, at) = located_or_blank(&self.raw.fields.version);
        let versions = candidates
            .iter()
            .map(|&i| questionnaires[i].version.as_str())
            .collect::<Vec<_>>()
            .join(", ");
        if version.is_empty() {
            if candidates.len() == 1 {
                return Some(candidates[0]);
            }
            let reason = "the version is missing and several versions exist";
            self.reject(at, "", versions, reason);
            return None;
        }
        let found = candidates
            .iter()
            .find(|&&i| questionnaires[i].version == version.trim());
        if found.is_none() {
            self.reject(
                at,
                version,
                versions,
                "unknown version of the questionnaire",
            );
        }
        found.copied()
    }

    /// The id of the role or stage (`what`) a field names by id or label, if it names one.
    fn facet(&mut self, field: &Option<Located>, facets: &[Facet], what: &str) -> Option<String> {
        let (text, at) = located_or_blank(field);
        if text.is_empty() {
            return None;
        }
        if let Some(id) = find_facet(facets, text) {
            return Some(id.to_owned());
        }
        let allowed = facets
            .iter()
            .map(|f| format!("{} ({})", f.label, f.id.get_ref()))
            .collect::<Vec<_>>()
            .join(", ");
        self.reject(at, text, allowed, &format!("unknown {what}"));
        None
    }

    /// The response id, respondent and group fit in [`MAX_FIELD_CHARS`].
    fn name_lengths(&mut self) {
        let fields = &self.raw.fields;
        let named = [
            (&fields.response_id, "response_id"),
            (&fields.respondent, "respondent"),
            (&fields.group, "group"),
        ];
        for (field, name) in named {
            let (text, at) = located_or_blank(field);
            if text.chars().count() > MAX_FIELD_CHARS {
                let start: String = text.chars().take(40).collect();
                self.reject(
                    at,
                    &format!("{start}…"),
                    format!("at most {MAX_FIELD_CHARS} characters"),
                    &format!("the {name} is too long"),
                );
            }
        }
    }

    /// The answers by question index; answers with problems are left out (and recorded).
    fn answers(&mut self, q: &Questionnaire) -> Vec<Option<Answer>> {
        let mut answers: Vec<Option<Answer>> = vec![None; q.questions.len()];
        for answer in &self.raw.answers {
            let wanted = answer.question.trim();
            let Some(index) = q
                .questions
                .iter()
                .position(|question| question.id.eq_ignore_ascii_case(wanted))
            else {
                self.unknown_question(q, answer);
                continue;
            };
            if let Some(read) = self.answer(&q.questions[index], &answer.value) {
                answers[index] = Some(read);
            }
        }
        answers
    }

    /// Records an answer under a header that names no question of the questionnaire.
    fn unknown_question(&mut self, q: &Questionnaire, answer: &RawAnswer) {
        let reason = if answer.question.is_empty() {
            "a value outside any column of the header"
        } else {
            "unknown question"
        };
        let rejection = self
            .rejection(&answer.value.location)
            .question(&answer.question)
            .found(&answer.value.value)
            .expected(format!("question ids of {} {}", q.id, q.version))
            .reason(reason);
        self.problems.push(rejection);
    }

    /// One answer to a known question, read by the question's type.
    fn answer(&mut self, question: &Question, value: &Located) -> Option<Answer> {
        match question.kind {
            QuestionType::Text => self.text_answer(question, value),
            QuestionType::Single => self.single_answer(question, value),
            QuestionType::Multiple => self.multiple_answer(question, value),
        }
    }

    /// Records a problem with an answer to `question`.
    fn reject_answer(
        &mut self,
        question: &Question,
        value: &Located,
        found: &str,
        expected: String,
        reason: &str,
    ) {
        let rejection = self
            .rejection(&value.location)
            .question(&question.id)
            .found(found)
            .expected(expected)
            .reason(reason);
        self.problems.push(rejection);
    }

    /// Free text, short enough to print.
    fn text_answer(&mut self, question: &Question, value: &Located) -> Option<Answer> {
        let text = value.value.as_str();
        if text.chars().count() <= MAX_TEXT_CHARS {
            return Some(Answer::Text(text.to_owned()));
        }
        self.reject_answer(
            question,
            value,
            &format!("{}…", text.chars().take(60).collect::<String>()),
            format!("at most {MAX_TEXT_CHARS} characters"),
            "the answer is too long to print in a report; shorten it",
        );
        None
    }

    /// One option, by value or label.
    fn single_answer(&mut self, question: &Question, value: &Located) -> Option<Answer> {
        let option = question.find_option(&value.value);
        if option.is_none() {
            let reason = "not an option of this question";
            self.reject_answer(
                question,
                value,
                &value.value,
                option_labels(question),
                reason,
            );
        }
        option.map(|option| Answer::Choices(vec![option]))
    }

    /// Options joined with `;`, each known, a not-applicable option only alone.
    fn multiple_answer(&mut self, question: &Question, value: &Located) -> Option<Answer> {
        let mut chosen = Vec::new();
        let mut ok = true;
        for part in value
            .value
            .split(';')
            .map(str::trim)
            .filter(|p| !p.is_empty())
        {
            match question.find_option(part) {
                Some(option) if !chosen.contains(&option) => chosen.push(option),
                Some(_) => {}
                None => {
                    let reason = "not an option of this question";
                    self.reject_answer(question, value, part, option_labels(question), reason);
                    ok = false;
                }
            }
        }
        let not_applicable = chosen
            .iter()
            .filter(|&&c| question.options[c].not_applicable)
            .count();
        if not_applicable > 0 && chosen.len() > 1 {
            self.reject_answer(
                question,
                value,
                &value.value,
                "a not-applicable option alone, or other options without it".into(),
                "a not-applicable option was chosen together with other options",
            );
            ok = false;
        }
        if !ok || chosen.is_empty() {
            return None;
        }
        chosen.sort_unstable();
        Some(Answer::Choices(chosen))
    }
}

/// The labels of a question's options, for the `expected` column.
fn option_labels(question: &Question) -> String {
    question
        .options
        .iter()
        .map(|o| o.label.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::answers::Fields;
    use crate::questionnaire::{Choice, Dimension, DimensionRole, Kind};

    fn manifest() -> Manifest {
        toml::from_str(
            r#"
            id = "t"
            title = "T"
            edition = "1"
            date = "2025-01-01"
            notice = "n"
            roles = [{ id = "legal", label = "Legal adviser" }]
            stages = [{ id = "deploy", label = "Deployment" }]
            "#,
        )
        .unwrap()
    }

    fn question(id: &str, kind: QuestionType) -> Question {
        let choice = |value: &str, label: &str, not_applicable| Choice {
            value: value.into(),
            label: label.into(),
            score: 1.0,
            not_applicable,
        };
        Question {
            id: id.into(),
            dimension: 0,
            kind,
            text: String::new(),
            help: None,
            options: match kind {
                QuestionType::Text => Vec::new(),
                _ => vec![
                    choice("yes", "Yes", false),
                    choice("no", "No", false),
                    choice("na", "Not applicable", true),
                ],
            },
            required: true,
            roles: Vec::new(),
            stages: Vec::new(),
            max: None,
            links: Vec::new(),
            recommendation: None,
            flags: Vec::new(),
            line: 1,
            relevant: vec![],
            screening: false,
        }
    }

    fn questionnaire() -> Questionnaire {
        Questionnaire {
            id: "risk".into(),
            version: "1.0".into(),
            title: String::new(),
            kind: Kind::Readiness,
            description: String::new(),
            instructions: String::new(),
            file: String::new(),
            checksum: String::new(),
            mitigation: None,
            levels: Vec::new(),
            dimensions: vec![Dimension {
                id: "d".into(),
                title: String::new(),
                weight: 1.0,
                role: DimensionRole::Plain,
                description: String::new(),
                links: Vec::new(),
                mark: None,
            }],
            questions: vec![
                question("S-01", QuestionType::Single),
                question("M-01", QuestionType::Multiple),
                question("T-01", QuestionType::Text),
            ],
            checks: Vec::new(),
            rules: vec![],
        }
    }

    fn at(value: &str, location: &str) -> Option<Located> {
        Some(Located {
            value: value.into(),
            location: location.into(),
        })
    }

    fn response(fields: Fields, answers: &[(&str, &str)]) -> RawResponse {
        RawResponse {
            file: "a.csv".into(),
            stem: "a".into(),
            row: 3,
            location: "row 3".into(),
            fields,
            answers: answers
                .iter()
                .map(|(question, value)| RawAnswer {
                    question: (*question).into(),
                    value: Located {
                        value: (*value).into(),
                        location: format!("row 3, column {question:?}"),
                    },
                })
                .collect(),
        }
    }

    // The builder fills the fields it is given and leaves the others empty.
    #[test]
    fn rejection_builder_sets_each_field() {
        let r = Rejection::at("a.csv", 4, "row 4")
            .response("r-1")
            .question("Q-1")
            .found("Yess")
            .expected("Yes, No")
            .reason("not an option of this question");
        assert_eq!(
            (
                r.file.as_str(),
                r.row,
                r.location.as_str(),
                r.response_id.as_str()
            ),
            ("a.csv", 4, "row 4", "r-1")
        );
        assert_eq!(
            (r.question.as_str(), r.found.as_str(), r.expected.as_str()),
            ("Q-1", "Yess", "Yes, No")
        );
        assert_eq!(r.reason, "not an option of this question");
        let bare = Rejection::at("b.xlsx", 0, "file").reason("damaged");
        assert_eq!(
            (
                bare.response_id.as_str(),
                bare.question.as_str(),
                bare.found.as_str()
            ),
            ("", "", "")
        );
    }

    // A valid response resolves role, stage and options by label, case-insensitively,
    // and takes its id from the file stem and row when it has none.
    #[test]
    fn accepts_a_valid_response() {
        let fields = Fields {
            questionnaire: at("RISK", "row 3, column \"questionnaire\""),
            role: at("legal ADVISER", "row 3, column \"role\""),
            stage: at("deploy", "row 3, column \"stage\""),
            ..Fields::default()
        };
        let raw = response(
            fields,
            &[("s-01", " yes "), ("M-01", "No; yes;no"), ("T-01", "ok")],
        );
        let r = validate_response(&raw, &[questionnaire()], &manifest()).unwrap();
        assert_eq!(r.id, "a-3");
        assert_eq!(
            (r.role.as_deref(), r.stage.as_deref()),
            (Some("legal"), Some("deploy"))
        );
        assert_eq!(
            r.answers,
            vec![
                Some(Answer::Choices(vec![0])),
                Some(Answer::Choices(vec![0, 1])),
                Some(Answer::Text("ok".into()))
            ]
        );
    }

    // Every problem of a response is listed in order, each at its cell, with the response id.
    #[test]
    fn lists_every_problem_of_a_response() {
        let fields = Fields {
            questionnaire: at("risk", "row 3, column \"questionnaire\""),
            version: at("0.9", "row 3, column \"version\""),
            response_id: at("r-7", "row 3, column \"response_id\""),
            role: at("chief", "row 3, column \"role\""),
            ..Fields::default()
        };
        let raw = response(fields, &[]);
        let problems = validate_response(&raw, &[questionnaire()], &manifest()).unwrap_err();
        let reasons: Vec<_> = problems.iter().map(|p| p.reason.as_str()).collect();
        assert_eq!(
            reasons,
            ["unknown version of the questionnaire", "unknown role"]
        );
        assert_eq!(problems[0].location, "row 3, column \"version\"");
        assert_eq!(problems[0].expected, "1.0");
        assert_eq!(problems[1].expected, "Legal adviser (legal)");
        assert!(
            problems
                .iter()
                .all(|p| p.response_id == "r-7" && p.row == 3)
        );

        let fields = Fields {
            questionnaire: at("risk", "row 3, column \"questionnaire\""),
            ..Fields::default()
        };
        let answers = [
            ("S-01", "Yess"),
            ("M-01", "na;yes"),
            ("X-9", "1"),
            ("", "2"),
        ];
        let problems =
            validate_response(&response(fields, &answers), &[questionnaire()], &manifest())
                .unwrap_err();
        let reasons: Vec<_> = problems.iter().map(|p| p.reason.as_str()).collect();
        assert_eq!(
            reasons,
            [
                "not an option of this question",
                "a not-applicable option was chosen together with other options",
                "unknown question",
                "a value outside any column of the header",
            ]
        );
        assert_eq!(problems[0].location, "row 3, column \"S-01\"");
        assert_eq!(problems[0].expected, "Yes, No, Not applicable");
        assert_eq!(problems[2].expected, "question ids of risk 1.0");
    }

    // A missing questionnaire is reported at the response's own row.
    #[test]
    fn a_missing_questionnaire_is_reported_at_the_row() {
        let problems = validate_response(
            &response(Fields::default(), &[]),
            &[questionnaire()],
            &manifest(),
        )
        .unwrap_err();
        assert_eq!(problems.len(), 1);
        assert_eq!(
            (problems[0].location.as_str(), problems[0].reason.as_str()),
            ("row 3", "the questionnaire is missing")
        );
        assert_eq!(problems[0].expected, "risk");
    }
}
