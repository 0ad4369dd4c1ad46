//! The typesetting job of a printable questionnaire (PDF, for paper workshops), and the
//! question data that companion guides print: the definition handed to a template as JSON.

use serde::Serialize;

use super::DocumentMeta;
use crate::content::manifest::{Manifest, Paper};
use crate::date::Date;
use crate::questionnaire::{QuestionType, Questionnaire};
use crate::typeset::{Job, Template};

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
    /// Number of questions.
    pub question_count: usize,
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
}

impl QuestionnaireData {
    /// The template data of a questionnaire.
    pub fn new(q: &Questionnaire, manifest: &Manifest) -> Self {
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
                    .map(|question| QuestionData {
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
                        audience: labels(&question.roles, "All roles"),
                        stages: labels(&question.stages, "All stages"),
                        tailored: !question.roles.is_empty() || !question.stages.is_empty(),
                    })
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
            question_count: q.questions.len(),
        }
    }
}

/// The typesetting job of a printable questionnaire.
pub fn printable_job(
    q: &Questionnaire,
    manifest: &Manifest,
    date: Date,
    paper: Paper,
    output: &str,
) -> Job {
    let meta = DocumentMeta {
        title: q.title.clone(),
        subtitle: Some(format!(
            "Questionnaire for paper workshops · version {}",
            q.version
        )),
        short_title: q.title.clone(),
        summary: (!q.description.is_empty()).then(|| q.description.clone()),
        resource: None,
        edition_label: None,
        ..DocumentMeta::new(manifest, date, paper)
    };
    let data = QuestionnaireData::new(q, manifest);
    Job::call(Template::QUESTIONNAIRE)
        .data("/meta.json", &meta)
        .data("/questionnaire.json", &data)
        .origin(&q.file)
        .ident(format!("{}/{output}", manifest.id.get_ref()))
}
