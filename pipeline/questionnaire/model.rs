//! The question model: one resolved, validated questionnaire definition. The workbook
//! writer, the CSV template, the printable questionnaire and the scorer all read this,
//! so ids and options cannot drift apart.

use serde::{Deserialize, Serialize};

/// What a questionnaire measures, which decides how its score is computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// Organisational readiness: higher is better.
    Readiness,
    /// Responsible AI in action, per principle: higher is better.
    Principles,
    /// Risk of an AI application: higher is riskier, mitigations reduce it.
    Risk,
}

impl Kind {
    /// The name used in definitions.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Readiness => "readiness",
            Kind::Principles => "principles",
            Kind::Risk => "risk",
        }
    }
}

/// How a question is answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum QuestionType {
    /// One option.
    Single,
    /// Any number of options (joined with `;` in CSV).
    Multiple,
    /// Free text; never scored.
    Text,
}

impl QuestionType {
    /// The name used in definitions.
    pub fn name(self) -> &'static str {
        match self {
            QuestionType::Single => "single",
            QuestionType::Multiple => "multiple",
            QuestionType::Text => "text",
        }
    }
}

/// The part a dimension plays in a risk questionnaire.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum DimensionRole {
    /// Readiness and principles dimensions.
    Plain,
    /// Raises risk; unanswered questions count as the worst case.
    Risk,
    /// Mitigates risk.
    Mitigation,
}

/// The mitigation rule of a risk questionnaire.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Mitigation {
    /// Mitigation percent at or above which the reduction applies.
    pub threshold: f64,
    /// Percent by which the risk score is reduced.
    pub reduction: f64,
}

/// A result level, such as "Low" risk or "Developing" readiness.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Level {
    /// Stable id.
    pub id: String,
    /// Label for readers.
    pub label: String,
    /// Inclusive upper bound of the score, percent.
    pub up_to: f64,
    /// What the level means.
    pub description: String,
}

/// A group of questions scored together.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Dimension {
    /// Stable id.
    pub id: String,
    /// Title for readers.
    pub title: String,
    /// Weight in the mean (default 1).
    pub weight: f64,
    /// Role in a risk questionnaire.
    pub role: DimensionRole,
    /// What the dimension covers.
    pub description: String,
    /// Toolkit sections that help with this dimension (`roadmap#anchor`).
    pub links: Vec<String>,
    /// Its mark in the toolkit's visual key (a principle's letter and colour, say).
    pub mark: Option<crate::content::manifest::Mark>,
    /// Who owns its questions' recommendations, and by which stage (questions may say
    /// otherwise).
    pub ownership: Ownership,
}

/// Who must act on something a report asks for, and by when: a role id and a stage id
/// declared in the manifest (either may be unknown).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Ownership {
    /// The role that owns the action.
    pub owner: Option<String>,
    /// The stage it must be done by.
    pub by: Option<String>,
}

impl Ownership {
    /// This one's fields, each falling back to `other`'s where it has none.
    pub fn or(&self, other: &Ownership) -> Ownership {
        Ownership {
            owner: self.owner.clone().or_else(|| other.owner.clone()),
            by: self.by.clone().or_else(|| other.by.clone()),
        }
    }
}

/// What a report says about a raised flag beyond its message: a short title (a verdict's
/// reason names it) and the one thing that must be done about it, with its owner.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct FlagGuidance {
    /// A few words naming the flag, such as "Remote biometric identification (AI Act
    /// Annex III 1(a))".
    pub title: Option<String>,
    /// The must-do: one sentence in the imperative.
    pub must_do: Option<String>,
    /// Who does it, by when.
    pub ownership: Ownership,
}

/// One answer option.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Choice {
    /// Stable value written in answer files.
    pub value: String,
    /// Label shown to respondents; also accepted in answer files.
    pub label: String,
    /// Score (0 for not-applicable options).
    pub score: f64,
    /// Choosing it removes the question from the sums.
    pub not_applicable: bool,
}

/// A consistency check across questions: a warning is raised when every condition holds.
/// Warnings are printed in reports and listed in `summary.csv`; they never change a score,
/// a level or a flag.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Check {
    /// Stable id, listed in the summary's `warnings` column.
    pub id: String,
    /// What the respondent should look at again.
    pub message: String,
    /// All must hold.
    pub conditions: Vec<Condition>,
}

/// One item of a condition (of a check, a rule or a question's `relevant`): the answer
/// to a question includes one of some options. A condition holds when all its items do.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Condition {
    /// Index of the question.
    pub question: usize,
    /// Indices of its options, any of which satisfies the condition.
    pub options: Vec<usize>,
}

/// A flag derived from facts (`[[rules]]`): raised when every item of its condition holds,
/// so a respondent who misreads the law is still caught. It may share its id with a
/// question's flag; a flag is raised once.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Rule {
    /// The flag's id.
    pub id: String,
    /// What the flag means.
    pub message: String,
    /// All must hold (an unanswered question holds no item).
    pub conditions: Vec<Condition>,
    /// The level can be no lower than this (index into levels).
    pub min_level: Option<usize>,
    /// The level can be no higher than this (index into levels).
    pub max_level: Option<usize>,
    /// A raised flag means "do not proceed", whatever the score.
    pub stop: bool,
    /// Title and must-do for reports.
    pub guidance: FlagGuidance,
    /// Line of the rule in its definition file.
    pub line: usize,
}

/// A flag a question raises when one of some options is chosen.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Flag {
    /// Stable id, listed in summaries.
    pub id: String,
    /// What the flag means for the respondent.
    pub message: String,
    /// Indices of the options that raise it.
    pub when: Vec<usize>,
    /// The level can be no lower than this (index into levels).
    pub min_level: Option<usize>,
    /// The level can be no higher than this (index into levels).
    pub max_level: Option<usize>,
    /// A raised flag means "do not proceed", whatever the score.
    pub stop: bool,
    /// Title and must-do for reports.
    pub guidance: FlagGuidance,
}

/// One question.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Question {
    /// Unique within the questionnaire.
    pub id: String,
    /// Index into the questionnaire's dimensions.
    pub dimension: usize,
    /// How it is answered.
    pub kind: QuestionType,
    /// The question.
    pub text: String,
    /// Guidance for the respondent.
    pub help: Option<String>,
    /// Options (empty for text questions).
    pub options: Vec<Choice>,
    /// Whether leaving it blank makes the response incomplete.
    pub required: bool,
    /// Roles it applies to (empty: all).
    pub roles: Vec<String>,
    /// Stages it applies to (empty: all).
    pub stages: Vec<String>,
    /// Cap on the summed score of a multiple question.
    pub max: Option<f64>,
    /// Toolkit sections that help (`roadmap#anchor`).
    pub links: Vec<String>,
    /// What to do next when the answer scores low (a handlebars template).
    pub recommendation: Option<String>,
    /// Who owns the recommendation and by which stage (else the dimension's).
    pub ownership: Ownership,
    /// Flags it can raise.
    pub flags: Vec<Flag>,
    /// The question applies only when this condition holds (empty: always); an item whose
    /// question applies but is unanswered holds (an unknown is not safe), an item whose
    /// question does not apply does not.
    pub relevant: Vec<Condition>,
    /// A legal screening question: left blank or answered `unsure`, it raises its flags
    /// as if answered `yes`, and is listed among the unknowns.
    pub screening: bool,
    /// Line of the question in its definition file.
    pub line: usize,
}

impl Question {
    /// A required question with these options and every other field at its default (no
    /// guidance, audience, links, flags or relevance): what fixtures and tests start from,
    /// so a field added to the model is defaulted in one place.
    pub fn new(id: &str, dimension: usize, kind: QuestionType, options: Vec<Choice>) -> Question {
        Question {
            id: id.into(),
            dimension,
            kind,
            text: format!("Question {id}?"),
            help: None,
            options,
            required: true,
            roles: vec![],
            stages: vec![],
            max: None,
            links: vec![],
            recommendation: None,
            ownership: Ownership::default(),
            flags: vec![],
            relevant: vec![],
            screening: false,
            line: 1,
        }
    }

    /// Whether the question applies to a response with this role and stage (a blank role
    /// or stage matches every question).
    pub fn applies_to(&self, role: Option<&str>, stage: Option<&str>) -> bool {
        let fits = |list: &[String], wanted: Option<&str>| match wanted {
            None => true,
            Some(w) => list.is_empty() || list.iter().any(|x| x == w),
        };
        fits(&self.roles, role) && fits(&self.stages, stage)
    }

    /// The highest score of one option (a single question's maximum).
    pub fn max_option_score(&self) -> f64 {
        self.options
            .iter()
            .filter(|o| !o.not_applicable)
            .map(|o| o.score)
            .fold(0.0, f64::max)
    }

    /// A multiple question's maximum: the sum of all option scores, capped at `max`.
    pub fn max_multiple_score(&self) -> f64 {
        let sum: f64 = self
            .options
            .iter()
            .filter(|o| !o.not_applicable)
            .map(|o| o.score)
            .sum();
        self.max.map_or(sum, |cap| sum.min(cap))
    }

    /// The index of the option an answer names, by value or label, trimmed and
    /// case-insensitive.
    pub fn find_option(&self, answer: &str) -> Option<usize> {
        let wanted = answer.trim().to_lowercase();
        self.options.iter().position(|o| {
            o.value.trim().to_lowercase() == wanted || o.label.trim().to_lowercase() == wanted
        })
    }
}

/// A validated questionnaire definition.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Questionnaire {
    /// Stable id.
    pub id: String,
    /// Version; answers cite it.
    pub version: String,
    /// Title.
    pub title: String,
    /// What it measures.
    pub kind: Kind,
    /// What it is for, who fills it in and when.
    pub description: String,
    /// How to fill it in.
    pub instructions: String,
    /// Definition file, for messages.
    pub file: String,
    /// SHA-256 of the definition file.
    pub checksum: String,
    /// Mitigation rule (risk only).
    pub mitigation: Option<Mitigation>,
    /// Levels, lowest first.
    pub levels: Vec<Level>,
    /// Dimensions.
    pub dimensions: Vec<Dimension>,
    /// Questions in order.
    pub questions: Vec<Question>,
    /// Consistency checks across questions.
    pub checks: Vec<Check>,
    /// Flags derived from facts, in definition order.
    pub rules: Vec<Rule>,
}

impl Questionnaire {
    /// `id-version`, the name of its outputs.
    pub fn slug(&self) -> String {
        format!("{}-{}", self.id, self.version)
    }

    /// The title and must-do of flag `id`: the first a question's flag or a rule of that
    /// id gives (a rule and a screening question may share a flag id; either may carry
    /// them), field by field.
    pub fn flag_guidance(&self, id: &str) -> FlagGuidance {
        let all = self
            .questions
            .iter()
            .flat_map(|q| &q.flags)
            .filter(|f| f.id == id)
            .map(|f| &f.guidance)
            .chain(
                self.rules
                    .iter()
                    .filter(|r| r.id == id)
                    .map(|r| &r.guidance),
            );
        all.fold(FlagGuidance::default(), |acc, g| FlagGuidance {
            title: acc.title.or_else(|| g.title.clone()),
            must_do: acc.must_do.or_else(|| g.must_do.clone()),
            ownership: acc.ownership.or(&g.ownership),
        })
    }

    /// Which questions apply to a response: its role and stage fit, and each question's
    /// `relevant` condition holds on its answers (SPEC §4, §5 step 7).
    pub fn applicable_mask(
        &self,
        role: Option<&str>,
        stage: Option<&str>,
        chosen: &dyn Fn(usize) -> Option<Vec<usize>>,
    ) -> Vec<bool> {
        let mut mask: Vec<Option<bool>> = vec![None; self.questions.len()];
        for i in 0..self.questions.len() {
            self.applies(i, role, stage, chosen, &mut mask, 0);
        }
        mask.into_iter().map(|m| m.unwrap_or(false)).collect()
    }

    /// Whether question `i` applies, memoised in `mask` (`depth` guards against a cycle,
    /// which `toolkit check` refuses).
    fn applies(
        &self,
        i: usize,
        role: Option<&str>,
        stage: Option<&str>,
        chosen: &dyn Fn(usize) -> Option<Vec<usize>>,
        mask: &mut Vec<Option<bool>>,
        depth: usize,
    ) -> bool {
        if let Some(known) = mask[i] {
            return known;
        }
        let question = &self.questions[i];
        let mut result = question.applies_to(role, stage);
        if result && depth <= self.questions.len() {
            for item in &question.relevant {
                let holds = self.applies(item.question, role, stage, chosen, mask, depth + 1)
                    && match chosen(item.question) {
                        None => true,
                        Some(options) => options.iter().any(|o| item.options.contains(o)),
                    };
                if !holds {
                    result = false;
                    break;
                }
            }
        }
        mask[i] = Some(result);
        result
    }

    /// The questions that apply to a role and stage.
    pub fn applicable(
        &self,
        role: Option<&str>,
        stage: Option<&str>,
    ) -> impl Iterator<Item = (usize, &Question)> {
        self.questions
            .iter()
            .enumerate()
            .filter(move |(_, q)| q.applies_to(role, stage))
    }
}
