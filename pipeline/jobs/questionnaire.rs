//! The typesetting job of a printable questionnaire (PDF, for paper workshops), and the
//! question data that companion guides print: the definition handed to a template as JSON.

use serde::Serialize;

use super::DocumentMeta;
use crate::content::manifest::{Manifest, Paper};
use crate::date::Date;
use crate::questionnaire::wording::{Words, answer_only_if, quoted};
use crate::questionnaire::{Question, QuestionType, Questionnaire};
use crate::scoring::{UNSURE, YES};
use crate::typeset::{Job, Template};
use crate::words::Words as FixedWords;

/// A questionnaire as templates read it.
#[derive(Debug, Clone, Serialize)]
pub struct QuestionnaireData {
    /// Id.
    pub id: String,
    /// Version.
    pub version: String,
    /// Title.
    pub title: String,
    /// Kind (`readiness`, `principles`, `risk`).
    pub kind: String,
    /// What it is for.
    pub description: String,
    /// How to fill it in.
    pub instructions: String,
    /// Role labels respondents choose from.
    pub roles: Vec<String>,
    /// Stage labels respondents choose from.
    pub stages: Vec<String>,
    /// Levels with their bounds.
    pub levels: Vec<LevelData>,
    /// Mitigation rule, for risk questionnaires.
    pub mitigation: Option<(f64, f64)>,
    /// Dimensions with their questions.
    pub dimensions: Vec<DimensionData>,
    /// The questions in the definition's order, as runs of consecutive questions of one
    /// dimension: the order the workbook and the web page ask them in, so that a question
    /// comes after the earlier answers its `relevant` condition names.
    pub sections: Vec<SectionData>,
    /// Number of questions.
    pub question_count: usize,
    /// Whether some question is to be answered only after some earlier answers.
    pub has_relevance: bool,
    /// The fixed words the printed questions go with, in the site's language (for the
    /// PDF templates; left out of a web page's data).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub words: Option<FixedWords>,
}

/// A level as templates read it.
#[derive(Debug, Clone, Serialize)]
pub struct LevelData {
    /// Label.
    pub label: String,
    /// Inclusive upper bound.
    pub up_to: f64,
    /// Meaning.
    pub description: String,
}

/// A dimension as templates read it.
#[derive(Debug, Clone, Serialize)]
pub struct DimensionData {
    /// Id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Description.
    pub description: String,
    /// Weight.
    pub weight: f64,
    /// `risk`, `mitigation` or empty.
    pub role: String,
    /// The dimension's mark in the visual key, if any.
    pub mark: Option<crate::content::manifest::Mark>,
    /// Questions in order.
    pub questions: Vec<QuestionData>,
}

/// A run of consecutive questions of one dimension in the definition's order: the
/// questions `from..to` of that dimension's list in [`QuestionnaireData::dimensions`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SectionData {
    /// Index of the dimension.
    pub dimension: usize,
    /// Whether an earlier run holds questions of the same dimension.
    pub continued: bool,
    /// First question of the run, in the dimension's list.
    pub from: usize,
    /// One past its last question, in the dimension's list.
    pub to: usize,
}

/// A question as templates read it.
#[derive(Debug, Clone, Serialize)]
pub struct QuestionData {
    /// Id.
    pub id: String,
    /// `single`, `multiple` or `text`.
    pub kind: String,
    /// Question.
    pub text: String,
    /// Guidance.
    pub help: String,
    /// Option labels with scores (`null` for not applicable).
    pub options: Vec<(String, Option<f64>)>,
    /// Whether an answer is required.
    pub required: bool,
    /// Who it is for ("All roles" or labels), for printing.
    pub audience: String,
    /// At which stages ("All stages" or labels).
    pub stages: String,
    /// Whether the question applies only to some roles or stages (then the template
    /// prints who it is for).
    pub tailored: bool,
    /// When it is to be answered, for a question with a `relevant` condition ("Answer
    /// only if RA-TEC-02 includes “Face recognition” …"), in pieces with the question ids
    /// apart; empty otherwise.
    pub answer_only_if: Vec<Words>,
    /// What a blank or unsure answer does, for a screening question; empty otherwise.
    pub screening: String,
}

impl QuestionnaireData {
    /// The template data of a questionnaire, its labels in the fixed `words` of the site's
    /// language.
    pub fn new(q: &Questionnaire, manifest: &Manifest, words: &FixedWords) -> Self {
        let dimensions = q
            .dimensions
            .iter()
            .enumerate()
            .map(|(d, dim)| DimensionData {
                id: dim.id.clone(),
                title: dim.title.clone(),
                description: dim.description.clone(),
                weight: dim.weight,
                mark: dim.mark.clone(),
                role: match dim.role {
                    crate::questionnaire::DimensionRole::Risk => "risk".into(),
                    crate::questionnaire::DimensionRole::Mitigation => "mitigation".into(),
                    crate::questionnaire::DimensionRole::Plain => String::new(),
                },
                questions: q
                    .questions
                    .iter()
                    .filter(|question| question.dimension == d)
                    .map(|question| question_data(q, question, manifest, words))
                    .collect(),
            })
            .collect();
        QuestionnaireData {
            id: q.id.clone(),
            version: q.version.clone(),
            title: q.title.clone(),
            kind: q.kind.name().to_owned(),
            description: q.description.clone(),
            instructions: q.instructions.clone(),
            roles: manifest.roles.iter().map(|r| r.label.clone()).collect(),
            stages: manifest.stages.iter().map(|s| s.label.clone()).collect(),
            levels: q
                .levels
                .iter()
                .map(|l| LevelData {
                    label: l.label.clone(),
                    up_to: l.up_to,
                    description: l.description.clone(),
                })
                .collect(),
            mitigation: q.mitigation.map(|m| (m.threshold, m.reduction)),
            dimensions,
            sections: sections(q),
            question_count: q.questions.len(),
            has_relevance: q
                .questions
                .iter()
                .any(|question| !question.relevant.is_empty()),
            words: None,
        }
    }
}

/// The template data of one question.
fn question_data(
    q: &Questionnaire,
    question: &Question,
    manifest: &Manifest,
    words: &FixedWords,
) -> QuestionData {
    let labels = |ids: &[String], all: &str| {
        if ids.is_empty() {
            all.to_owned()
        } else {
            ids.iter()
                .map(|id| manifest.label_of(id).unwrap_or(id))
                .collect::<Vec<_>>()
                .join(", ")
        }
    };
    QuestionData {
        id: question.id.clone(),
        kind: question.kind.name().to_owned(),
        text: question.text.clone(),
        help: question.help.clone().unwrap_or_default(),
        options: question
            .options
            .iter()
            .map(|o| (o.label.clone(), (!o.not_applicable).then_some(o.score)))
            .collect(),
        required: question.required && question.kind != QuestionType::Text,
        audience: labels(&question.roles, words.get("questionnaire.all-roles")),
        stages: labels(&question.stages, words.get("questionnaire.all-stages")),
        tailored: !question.roles.is_empty() || !question.stages.is_empty(),
        answer_only_if: answer_only_if(q, question, words),
        screening: screening_note(question, words).unwrap_or_default(),
    }
}

/// The questions in the definition's order as runs of one dimension (see [`SectionData`]).
fn sections(q: &Questionnaire) -> Vec<SectionData> {
    let mut listed = vec![0; q.dimensions.len()];
    let mut sections: Vec<SectionData> = Vec::new();
    for question in &q.questions {
        let d = question.dimension;
        match sections.last_mut() {
            Some(run) if run.dimension == d => run.to += 1,
            _ => sections.push(SectionData {
                dimension: d,
                continued: listed[d] > 0,
                from: listed[d],
                to: listed[d] + 1,
            }),
        }
        listed[d] += 1;
    }
    sections
}

/// What an unknown answer to a screening question does, in words: "A legal screening
/// question: left blank or answered “Not sure”, it raises its flag as if answered “Yes”."
/// (the labels of its `unsure` and `yes` options, SPEC §5 step 7); `None` when the
/// question is not a screening question or its `yes` answer raises no flag.
pub fn screening_note(question: &Question, words: &FixedWords) -> Option<String> {
    let label = |value: &str| {
        question
            .options
            .iter()
            .position(|o| o.value == value)
            .map(|i| (i, quoted(&question.options[i].label, words)))
    };
    let (yes, yes_label) = label(YES)?;
    let flags = question
        .flags
        .iter()
        .filter(|f| f.when.contains(&yes))
        .count();
    if !question.screening || flags == 0 {
        return None;
    }
    let unknown = match label(UNSURE) {
        Some((_, unsure)) => words.fill("questionnaire.left-blank-or", &[("unsure", &unsure)]),
        None => words.get("questionnaire.left-blank").to_owned(),
    };
    let what = words.get(if flags == 1 {
        "questionnaire.its-flag"
    } else {
        "questionnaire.its-flags"
    });
    Some(words.fill(
        "questionnaire.screening",
        &[("unknown", &unknown), ("what", what), ("yes", &yes_label)],
    ))
}

/// The typesetting job of a printable questionnaire.
pub fn printable_job(
    q: &Questionnaire,
    (manifest, words): (&Manifest, &FixedWords),
    date: Date,
    paper: Paper,
    output: &str,
) -> Job {
    let meta = DocumentMeta {
        title: q.title.clone(),
        subtitle: Some(words.fill("questionnaire.subtitle", &[("version", &q.version)])),
        short_title: q.title.clone(),
        summary: (!q.description.is_empty()).then(|| q.description.clone()),
        resource: None,
        edition_label: None,
        ..DocumentMeta::new((manifest, words), date, paper)
    };
    let data = QuestionnaireData {
        words: Some(words.clone()),
        ..QuestionnaireData::new(q, manifest, words)
    };
    Job::call(Template::QUESTIONNAIRE)
        .data("/meta.json", &meta)
        .data("/questionnaire.json", &data)
        .origin(&q.file)
        .ident(format!("{}/{output}", manifest.id.get_ref()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::questionnaire::{Choice, Flag};

    fn option(value: &str, label: &str) -> Choice {
        Choice {
            value: value.into(),
            label: label.into(),
            score: 1.0,
            not_applicable: false,
        }
    }

    fn flag(when: usize) -> Flag {
        Flag {
            id: "f".into(),
            message: "F.".into(),
            when: vec![when],
            min_level: None,
            max_level: None,
            stop: false,
            guidance: Default::default(),
        }
    }

    // The sections follow the definition's order: a dimension whose questions come back
    // after another's gets a second, continued run.
    #[test]
    fn sections_follow_the_definition() {
        let mut q = crate::report::fixtures::readiness(2, 0);
        let dims = [0, 0, 1, 0, 1, 1];
        q.questions = dims
            .iter()
            .enumerate()
            .map(|(i, &d)| Question::new(&format!("Q{i}"), d, QuestionType::Single, vec![]))
            .collect();
        let run = |dimension, continued, from, to| SectionData {
            dimension,
            continued,
            from,
            to,
        };
        assert_eq!(
            sections(&q),
            [
                run(0, false, 0, 2),
                run(1, false, 0, 1),
                run(0, true, 2, 3),
                run(1, true, 1, 3)
            ]
        );
    }

    // A screening question says which unknown answers raise its flags, with its own labels.
    #[test]
    fn screening_in_words() {
        let options = vec![
            option("yes", "Yes"),
            option("unsure", "Not sure"),
            option("no", "No"),
        ];
        let mut question = Question::new("S-01", 0, QuestionType::Single, options);
        question.screening = true;
        assert_eq!(
            screening_note(&question, FixedWords::built_in()),
            None,
            "no flag to raise"
        );
        question.flags = vec![flag(0)];
        assert_eq!(
            screening_note(&question, FixedWords::built_in()).unwrap(),
            "A legal screening question: left blank or answered \u{201c}Not sure\u{201d}, it raises its flag as if answered \u{201c}Yes\u{201d}."
        );
        question.flags.push(flag(0));
        question.options.remove(1);
        assert_eq!(
            screening_note(&question, FixedWords::built_in()).unwrap(),
            "A legal screening question: left blank, it raises its flags as if answered \u{201c}Yes\u{201d}."
        );
        question.screening = false;
        assert_eq!(screening_note(&question, FixedWords::built_in()), None);
    }
}
