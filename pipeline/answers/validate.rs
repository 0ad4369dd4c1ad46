//! Validation of one response against the questionnaire definitions (SPEC §6): the
//! questionnaire and version, role and stage (by id or label), and every answer (by
//! option value or label, trimmed, case-insensitive, in NFC). A response with any problem
//! is rejected whole, with every problem listed; other responses are unaffected.
//!
//! Names and text leave here in the form every output prints ([`visible`]): a response
//! id, respondent or group with an invisible or bidirectional control character shows it
//! as `[U+202E]`, and so does free text for the controls that reorder text. A value with
//! a control character (other than tab and line breaks) is refused at its cell.

use std::collections::HashMap;
use std::sync::Arc;

use crate::content::manifest::{Facet, Manifest};
use crate::questionnaire::{Question, QuestionType, Questionnaire};
use crate::scoring::{Answer, ScoreResult, ScoringInput, score_response};

use super::answer_set::AnswerSet;
use super::text::{Shown, fold, forbidden_control, visible};
use super::{Located, Origin, Place, RawAnswer, RawResponse};

/// Longest response id, respondent name or group name.
pub const MAX_FIELD_CHARS: usize = 200;

/// Longest free-text answer printed in a report (about ten pages).
pub const MAX_TEXT_CHARS: usize = 20_000;

/// A response that passed validation, ready to score. Its id, respondent and group are
/// in the form outputs print ([`visible`]); its answers are stored compactly, and its file
/// is shared with the other responses of that file: a run holds every response.
#[derive(Debug, Clone, PartialEq)]
pub struct Response {
    /// The file it came from, and how that file names places.
    pub origin: Arc<Origin>,
    /// Row in the file (for ordering and its location).
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
    /// The name of the system assessed; may be empty.
    pub system: String,
    /// The language the respondent used (a declared language id), if given.
    pub language: Option<String>,
    /// Answers by question index.
    pub answers: AnswerSet,
}

impl Response {
    /// The file it came from, as outputs show it.
    pub fn file(&self) -> &str {
        &self.origin.file
    }

    /// Where in the file: `row 7`, `sheet Responses row 3`, `workbook`.
    pub fn location(&self) -> String {
        self.origin.row_location(self.row as u32)
    }

    /// Scores this response against `q` (its questionnaire), with its own role and stage.
    pub fn score(&self, q: &Questionnaire) -> ScoreResult {
        let answers = self.answers.to_vec();
        score_response(
            q,
            &ScoringInput {
                role: self.role.as_deref(),
                stage: self.stage.as_deref(),
                answers: &answers,
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
/// Rejection::at(response.file(), response.row, response.location())
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

/// Validates one raw response (see [`Validator::validate`]). A run validates many: build
/// one [`Validator`] and use it for all.
pub fn validate_response(
    raw: &RawResponse,
    questionnaires: &[Questionnaire],
    manifest: &Manifest,
) -> Result<Response, Vec<Rejection>> {
    Validator::new(questionnaires, manifest).validate(raw)
}

/// The questionnaire definitions and the manifest, with every name a response may use
/// looked up once: question ids (ASCII case-insensitive), options, roles and stages (by
/// id or label, case-insensitive in every script, in NFC: [`fold`]).
pub struct Validator<'a> {
    questionnaires: &'a [Questionnaire],
    manifest: &'a Manifest,
    /// Per questionnaire, its questions by lowercase id.
    questions: Vec<HashMap<String, usize>>,
    /// Per questionnaire and question, its options by folded value and label.
    options: Vec<Vec<HashMap<String, usize>>>,
    /// Role ids by folded id and label.
    roles: HashMap<String, usize>,
    /// Stage ids by folded id and label.
    stages: HashMap<String, usize>,
}

/// Facets by folded id and label: the first facet that has it, as a search in order would
/// find.
fn facet_keys(facets: &[Facet]) -> HashMap<String, usize> {
    let mut keys = HashMap::new();
    for (i, facet) in facets.iter().enumerate() {
        keys.entry(fold(facet.id.get_ref())).or_insert(i);
        keys.entry(fold(&facet.label)).or_insert(i);
    }
    keys
}

impl<'a> Validator<'a> {
    /// Looks up every name of the definitions once.
    pub fn new(questionnaires: &'a [Questionnaire], manifest: &'a Manifest) -> Self {
        let questions = questionnaires
            .iter()
            .map(|q| {
                let mut ids = HashMap::new();
                for (i, question) in q.questions.iter().enumerate() {
                    ids.entry(question.id.trim().to_ascii_lowercase())
                        .or_insert(i);
                }
                ids
            })
            .collect();
        let options = questionnaires
            .iter()
            .map(|q| {
                q.questions
                    .iter()
                    .map(|question| {
                        let mut keys = HashMap::new();
                        for (i, option) in question.options.iter().enumerate() {
                            keys.entry(fold(&option.value)).or_insert(i);
                            keys.entry(fold(&option.label)).or_insert(i);
                        }
                        keys
                    })
                    .collect()
            })
            .collect();
        Validator {
            questionnaires,
            manifest,
            questions,
            options,
            roles: facet_keys(&manifest.roles),
            stages: facet_keys(&manifest.stages),
        }
    }

    /// Accepts the labels of another language's edition too: its options (matched to the
    /// source's by questionnaire id, version and question position), roles and stages.
    /// The source language's names win where two languages share one.
    pub fn add_language(&mut self, questionnaires: &[Questionnaire], manifest: &Manifest) {
        for translated in questionnaires {
            let Some(qi) = self
                .questionnaires
                .iter()
                .position(|q| q.id == translated.id && q.version == translated.version)
            else {
                continue;
            };
            for (question, keys) in translated.questions.iter().zip(&mut self.options[qi]) {
                for (i, option) in question.options.iter().enumerate() {
                    keys.entry(fold(&option.label)).or_insert(i);
                }
            }
        }
        for (facets, keys) in [
            (&manifest.roles, &mut self.roles),
            (&manifest.stages, &mut self.stages),
        ] {
            for (i, facet) in facets.iter().enumerate() {
                keys.entry(fold(&facet.label)).or_insert(i);
            }
        }
    }

    /// Validates one raw response: no value holds a control character, then its metadata
    /// (questionnaire and version, role and stage, lengths of its id and names), then its
    /// answers, question by question. Every problem is listed, in that order.
    pub fn validate(&self, raw: &RawResponse) -> Result<Response, Vec<Rejection>> {
        let mut check = ResponseCheck::new(raw);
        check.control_characters();
        let chosen = check.questionnaire(self.questionnaires);
        let role = check.facet(&raw.fields.role, &self.roles, &self.manifest.roles, "role");
        let stage = check.facet(
            &raw.fields.stage,
            &self.stages,
            &self.manifest.stages,
            "stage",
        );
        check.name_lengths();
        let language = check.language(&self.manifest.language_ids());
        let Some(qi) = chosen else {
            return Err(check.problems);
        };
        let answers = check.answers(
            &self.questionnaires[qi],
            &self.questions[qi],
            &self.options[qi],
        );
        if !check.problems.is_empty() {
            return Err(check.problems);
        }
        let name = |field: &Option<Located>| {
            field.as_ref().map_or(String::new(), |l| {
                visible(&l.value, Shown::Name).into_owned()
            })
        };
        Ok(Response {
            origin: Arc::clone(&raw.origin),
            row: raw.row as usize,
            id: check.id,
            questionnaire: qi,
            respondent: name(&raw.fields.respondent),
            group: name(&raw.fields.group),
            role,
            stage,
            system: name(&raw.fields.system),
            language,
            answers: AnswerSet::new(&answers),
        })
    }
}

/// The validation of one response under way: the response, its id, the problems so far.
struct ResponseCheck<'r> {
    raw: &'r RawResponse,
    /// The response id, as outputs print it: given, or `<file stem>-<row>`.
    id: String,
    problems: Vec<Rejection>,
}

impl<'r> ResponseCheck<'r> {
    fn new(raw: &'r RawResponse) -> Self {
        let id = match &raw.fields.response_id {
            Some(given) => visible(&given.value, Shown::Name).into_owned(),
            None => visible(&format!("{}-{}", raw.origin.stem, raw.row), Shown::Name).into_owned(),
        };
        Self {
            raw,
            id,
            problems: Vec::new(),
        }
    }

    /// A rejection of this response at `place` (the response's own row when `None`).
    fn rejection(&self, place: Option<Place>) -> Rejection {
        let location = match place {
            Some(place) => self.raw.describe(place),
            None => self.raw.location(),
        };
        Rejection::at(self.raw.file(), self.raw.row as usize, location).response(&self.id)
    }

    /// Records a problem at `place` with what was found (shown visibly), what is allowed
    /// and why.
    fn reject(&mut self, place: Option<Place>, found: &str, expected: String, reason: &str) {
        let rejection = self
            .rejection(place)
            .found(visible(found, Shown::Name))
            .expected(expected)
            .reason(reason);
        self.problems.push(rejection);
    }

    /// Refuses every value that holds a control character (other than tab and line
    /// breaks), at its cell: such text is no answer, and no report could print it.
    fn control_characters(&mut self) {
        let fields = self.raw.fields.iter();
        let answers = self.raw.answers.iter().map(|a| &a.value);
        let refused: Vec<(Place, String, char)> = fields
            .chain(answers)
            .filter_map(|l| forbidden_control(&l.value).map(|c| (l.place, l.value.clone(), c)))
            .collect();
        for (place, value, c) in refused {
            let question = self
                .raw
                .answers
                .iter()
                .find(|a| a.value.place == place)
                .map_or(String::new(), |a| a.question.to_string());
            let rejection = self
                .rejection(Some(place))
                .question(visible(&question, Shown::Name))
                .found(visible(&value, Shown::Name))
                .expected("text without control characters (tab and line breaks are allowed)")
                .reason(format!(
                    "a control character (U+{:04X}) in the text; delete it and save the file again",
                    u32::from(c)
                ));
            self.problems.push(rejection);
        }
    }

    /// A field's value and place, unless blank or holding a control character (already
    /// refused).
    fn usable(field: &Option<Located>) -> Option<&Located> {
        field
            .as_ref()
            .filter(|l| forbidden_control(&l.value).is_none())
    }

    /// The index of the questionnaire and version the response names.
    fn questionnaire(&mut self, questionnaires: &[Questionnaire]) -> Option<usize> {
        let field = &self.raw.fields.questionnaire;
        let known_ids = || {
            let mut ids: Vec<&str> = questionnaires.iter().map(|q| q.id.as_str()).collect();
            ids.dedup();
            ids.join(", ")
        };
        if field.is_none() {
            self.reject(None, "", known_ids(), "the questionnaire is missing");
            return None;
        }
        let located = Self::usable(field)?;
        let questionnaire_id = located.value.as_str();
        let candidates: Vec<usize> = questionnaires
            .iter()
            .enumerate()
            .filter(|(_, q)| q.id.eq_ignore_ascii_case(questionnaire_id))
            .map(|(i, _)| i)
            .collect();
        if candidates.is_empty() {
            self.reject(
                Some(located.place),
                questionnaire_id,
                known_ids(),
                "unknown questionnaire",
            );
            None
        } else {
            self.version(questionnaires, &candidates)
        }
    }

    /// Among the versions of the named questionnaire (`candidates`), the one the response
    /// names; the only one when it names none.
    fn version(&mut self, questionnaires: &[Questionnaire], candidates: &[usize]) -> Option<usize> {
        let field = &self.raw.fields.version;
        let versions = candidates
            .iter()
            .map(|&i| questionnaires[i].version.as_str())
            .collect::<Vec<_>>()
            .join(", ");
        if field.is_none() {
            if candidates.len() == 1 {
                return Some(candidates[0]);
            }
            let reason = "the version is missing and several versions exist";
            self.reject(None, "", versions, reason);
            return None;
        }
        let located = Self::usable(field)?;
        let found = candidates
            .iter()
            .find(|&&i| questionnaires[i].version == located.value);
        if found.is_none() {
            self.reject(
                Some(located.place),
                &located.value,
                versions,
                "unknown version of the questionnaire",
            );
        }
        found.copied()
    }

    /// The id of the role or stage (`what`) a field names by id or label, if it names one.
    fn facet(
        &mut self,
        field: &Option<Located>,
        keys: &HashMap<String, usize>,
        facets: &[Facet],
        what: &str,
    ) -> Option<String> {
        let located = Self::usable(field)?;
        if let Some(&i) = keys.get(&fold(&located.value)) {
            return Some(facets[i].id.get_ref().clone());
        }
        let allowed = facets
            .iter()
            .map(|f| format!("{} ({})", f.label, f.id.get_ref()))
            .collect::<Vec<_>>()
            .join(", ");
        self.reject(
            Some(located.place),
            &located.value,
            allowed,
            &format!("unknown {what}"),
        );
        None
    }

    /// The language the respondent used: one of the declared language ids
    /// (case-insensitive), or none given.
    fn language(&mut self, declared: &[&str]) -> Option<String> {
        let located = self.raw.fields.language.as_ref()?;
        let found = declared
            .iter()
            .find(|id| id.eq_ignore_ascii_case(&located.value));
        if found.is_none() {
            self.reject(
                Some(located.place),
                &located.value,
                format!("a declared language: {}", declared.join(", ")),
                "unknown language",
            );
        }
        found.map(|id| (*id).to_owned())
    }

    /// The response id, respondent, group and system fit in [`MAX_FIELD_CHARS`].
    fn name_lengths(&mut self) {
        let fields = &self.raw.fields;
        let named = [
            (&fields.response_id, "response_id"),
            (&fields.respondent, "respondent"),
            (&fields.group, "group"),
            (&fields.system, "system"),
        ];
        for (field, name) in named {
            let Some(located) = field else { continue };
            if located.value.chars().count() > MAX_FIELD_CHARS {
                let start: String = located.value.chars().take(40).collect();
                self.reject(
                    Some(located.place),
                    &format!("{start}…"),
                    format!("at most {MAX_FIELD_CHARS} characters"),
                    &format!("the {name} is too long"),
                );
            }
        }
    }

    /// The answers by question index; answers with problems are left out (and recorded).
    fn answers(
        &mut self,
        q: &Questionnaire,
        ids: &HashMap<String, usize>,
        options: &[HashMap<String, usize>],
    ) -> Vec<Option<Answer>> {
        let mut answers: Vec<Option<Answer>> = vec![None; q.questions.len()];
        for answer in &self.raw.answers {
            if forbidden_control(&answer.value.value).is_some() {
                continue;
            }
            let Some(&index) = ids.get(&answer.question.trim().to_ascii_lowercase()) else {
                self.unknown_question(q, answer);
                continue;
            };
            let question = &q.questions[index];
            if let Some(read) = self.answer(question, &options[index], &answer.value) {
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
            .rejection(Some(answer.value.place))
            .question(visible(&answer.question, Shown::Name))
            .found(visible(&answer.value.value, Shown::Name))
            .expected(format!("question ids of {} {}", q.id, q.version))
            .reason(reason);
        self.problems.push(rejection);
    }

    /// One answer to a known question, read by the question's type.
    fn answer(
        &mut self,
        question: &Question,
        options: &HashMap<String, usize>,
        value: &Located,
    ) -> Option<Answer> {
        match question.kind {
            QuestionType::Text => self.text_answer(question, value),
            QuestionType::Single => self.single_answer(question, options, value),
            QuestionType::Multiple => self.multiple_answer(question, options, value),
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
            .rejection(Some(value.place))
            .question(&question.id)
            .found(visible(found, Shown::Name))
            .expected(expected)
            .reason(reason);
        self.problems.push(rejection);
    }

    /// Free text, short enough to print, with the controls that reorder text shown.
    fn text_answer(&mut self, question: &Question, value: &Located) -> Option<Answer> {
        let text = visible(&value.value, Shown::FreeText);
        if text.chars().count() <= MAX_TEXT_CHARS {
            return Some(Answer::Text(text.into_owned()));
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
    fn single_answer(
        &mut self,
        question: &Question,
        options: &HashMap<String, usize>,
        value: &Located,
    ) -> Option<Answer> {
        let option = options.get(&fold(&value.value)).copied();
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
    fn multiple_answer(
        &mut self,
        question: &Question,
        options: &HashMap<String, usize>,
        value: &Located,
    ) -> Option<Answer> {
        let mut chosen = Vec::new();
        let mut ok = true;
        for part in value
            .value
            .split(';')
            .map(str::trim)
            .filter(|p| !p.is_empty())
        {
            match options.get(&fold(part)).copied() {
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
        let options = match kind {
            QuestionType::Text => Vec::new(),
            _ => vec![
                choice("yes", "Yes", false),
                choice("no", "No", false),
                choice("na", "Not applicable", true),
            ],
        };
        Question {
            text: String::new(),
            ..Question::new(id, 0, kind, options)
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
                ownership: Default::default(),
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

    /// The header of the test responses' CSV: the metadata fields, then the questions.
    const HEADER: [&str; 11] = [
        "questionnaire",
        "version",
        "response_id",
        "respondent",
        "group",
        "role",
        "stage",
        "S-01",
        "M-01",
        "T-01",
        "X-9",
    ];

    /// A value in the column titled `column` of row 3 (a column past the header when the
    /// header has no such title).
    fn at(value: &str, column: &str) -> Option<Located> {
        let column = HEADER.iter().position(|h| *h == column).unwrap_or(20) as u32;
        Some(Located {
            value: value.into(),
            place: Place::Table { row: 3, column },
        })
    }

    fn response(fields: Fields, answers: &[(&str, &str)]) -> RawResponse {
        RawResponse {
            origin: std::sync::Arc::new(crate::answers::Origin {
                file: "a.csv".into(),
                stem: "a".into(),
                layout: crate::answers::Layout::Csv {
                    header: HEADER.map(String::from).to_vec(),
                },
            }),
            row: 3,
            fields,
            answers: answers
                .iter()
                .map(|(question, value)| RawAnswer {
                    question: (*question).into(),
                    value: at(value, question).unwrap(),
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
            questionnaire: at("RISK", "questionnaire"),
            role: at("legal ADVISER", "role"),
            stage: at("deploy", "stage"),
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
            r.answers.to_vec(),
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
            questionnaire: at("risk", "questionnaire"),
            version: at("0.9", "version"),
            response_id: at("r-7", "response_id"),
            role: at("chief", "role"),
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
            questionnaire: at("risk", "questionnaire"),
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

    // A control character in any value refuses the response at that cell, naming the
    // file, cell, question and response; the other values are still checked.
    #[test]
    fn control_characters_are_refused_at_their_cell() {
        let fields = Fields {
            questionnaire: at("risk", "questionnaire"),
            response_id: at("r-\u{1b}[2J", "response_id"),
            group: at("Agency\u{7}", "group"),
            ..Fields::default()
        };
        let raw = response(
            fields,
            &[("T-01", "fine\r\nline\ttab"), ("S-01", "ye\u{0}s")],
        );
        let problems = validate_response(&raw, &[questionnaire()], &manifest()).unwrap_err();
        let places: Vec<(&str, &str, &str, &str)> = problems
            .iter()
            .map(|p| {
                (
                    p.location.as_str(),
                    p.question.as_str(),
                    p.found.as_str(),
                    p.response_id.as_str(),
                )
            })
            .collect();
        assert_eq!(
            places,
            [
                (
                    "row 3, column \"response_id\"",
                    "",
                    "r-[U+001B][2J",
                    "r-[U+001B][2J"
                ),
                (
                    "row 3, column \"group\"",
                    "",
                    "Agency[U+0007]",
                    "r-[U+001B][2J"
                ),
                (
                    "row 3, column \"S-01\"",
                    "S-01",
                    "ye[U+0000]s",
                    "r-[U+001B][2J"
                ),
            ]
        );
        assert!(problems[0].reason.contains("control character (U+001B)"));
        assert!(problems.iter().all(|p| p.file == "a.csv" && p.row == 3));
    }

    // Ids, groups and respondents show their invisible and bidirectional characters;
    // free text shows only the controls that reorder text.
    #[test]
    fn names_show_hidden_characters() {
        let fields = Fields {
            questionnaire: at("risk", "questionnaire"),
            response_id: at("r-1\u{202E}txt.exe", "response_id"),
            respondent: at("Ann\u{200B}a", "respondent"),
            group: at("\u{2066}Agency A\u{2069}", "group"),
            ..Fields::default()
        };
        let raw = response(fields, &[("T-01", "see \u{202E}here, zero\u{200D}joiner")]);
        let r = validate_response(&raw, &[questionnaire()], &manifest()).unwrap();
        assert_eq!(r.id, "r-1[U+202E]txt.exe");
        assert_eq!(r.respondent, "Ann[U+200B]a");
        assert_eq!(r.group, "[U+2066]Agency A[U+2069]");
        assert_eq!(
            r.answers.get(2),
            Some(Answer::Text("see [U+202E]here, zero\u{200D}joiner".into()))
        );
    }

    // Options, roles and stages match in NFC and in any case, whichever way an accented
    // letter was typed in the definitions or in the answers.
    #[test]
    fn options_roles_and_stages_match_in_nfc() {
        let mut q = questionnaire();
        q.questions[0].options[0].label = "Oui, de\u{301}ja\u{300}".into();
        let mut manifest = manifest();
        manifest.stages[0].label = "De\u{301}ploiement".into();
        let fields = Fields {
            questionnaire: at("risk", "questionnaire"),
            stage: at("DÉPLOIEMENT", "stage"),
            ..Fields::default()
        };
        let raw = response(fields, &[("S-01", "OUI, DÉJÀ")]);
        let r = validate_response(&raw, &[q], &manifest).unwrap();
        assert_eq!(r.answers.get(0), Some(Answer::Choices(vec![0])));
        assert_eq!(r.stage.as_deref(), Some("deploy"));
    }

    // Labels in another declared language are accepted as well as the source's: the
    // same answers given in French or Arabic resolve to the same options, role and stage.
    #[test]
    fn accepts_labels_of_every_declared_language() {
        let source = questionnaire();
        let mut french = source.clone();
        french.questions[0].options[0].label = "Oui".into();
        let mut arabic = source.clone();
        arabic.questions[0].options[0].label = "نعم".into();
        let manifest = manifest();
        let mut french_manifest = manifest.clone();
        french_manifest.roles[0].label = "Conseiller juridique".into();
        let questionnaires = [source];
        let mut validator = Validator::new(&questionnaires, &manifest);
        validator.add_language(&[french], &french_manifest);
        validator.add_language(&[arabic], &manifest);
        for (role, yes) in [
            ("Legal adviser", "yes"),
            ("conseiller JURIDIQUE", "oui"),
            ("legal", "نعم"),
        ] {
            let fields = Fields {
                questionnaire: at("risk", "questionnaire"),
                role: at(role, "role"),
                ..Fields::default()
            };
            let r = validator
                .validate(&response(fields, &[("S-01", yes)]))
                .unwrap();
            assert_eq!(r.answers.get(0), Some(Answer::Choices(vec![0])), "{yes}");
            assert_eq!(r.role.as_deref(), Some("legal"), "{role}");
        }
    }
}
