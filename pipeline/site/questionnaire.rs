//! Questionnaire pages: one form per questionnaire version, generated from the question
//! model, with the hooks of SPEC §9 (`data-questionnaire`, `data-question`,
//! `data-result`, `data-action`), and the definition as JSON data for the page's scorer
//! (`assets/scoring.js`, the published method in JavaScript) and form script
//! (`assets/questionnaire.js`).
//!
//! The live result starts as Rust's [`score_response`] of a blank response, so the page
//! shows the right figures before any script runs; from then on the page's scorer
//! recomputes them on every change.

use anyhow::Result;
use serde::Serialize;
use serde_json::json;

use super::pages::{Link, RenderedPage, link_out_of_site};
use super::search::script_json;
use super::{PageMeta, WebEdition, page_of_document, page_of_questionnaire};
use crate::answers::MAX_CSV_BYTES;
use crate::answers::validate::{MAX_FIELD_CHARS, MAX_TEXT_CHARS};
use crate::layout::relative_path;
use crate::questionnaire::{
    Choice, Condition, Dimension, DimensionRole, Flag, Kind, Level, Mitigation, Question,
    QuestionType, Questionnaire, Rule,
};
use crate::scoring::{ScoreResult, ScoringInput, Verdict, format_percent, score_response};
use crate::words::Words;

/// A role, stage or level as the page's scripts see it.
#[derive(Debug, Clone, Serialize)]
pub struct Facet {
    /// Id.
    pub id: String,
    /// Label.
    pub label: String,
}

/// The longest values and files `toolkit score` accepts (SPEC §6), so the page refuses
/// longer ones when it loads a file and stops typing at them.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct FieldLimits {
    /// Longest response id, respondent name or group name, in characters.
    pub field: usize,
    /// Longest free-text answer, in characters.
    pub text: usize,
    /// Largest answer CSV, in bytes.
    pub file_bytes: u64,
}

/// The limits of the scorer's answer validation.
pub const FIELD_LIMITS: FieldLimits = FieldLimits {
    field: MAX_FIELD_CHARS,
    text: MAX_TEXT_CHARS,
    file_bytes: MAX_CSV_BYTES,
};

/// The respondent fields of a questionnaire's page (SPEC §6, §9), in the order of the
/// CSV's columns: `system`, the name of the system assessed, on risk questionnaires.
pub fn respondent_fields(q: &Questionnaire) -> Vec<&'static str> {
    let mut fields = vec!["response_id", "respondent", "group", "role", "stage"];
    if q.kind == Kind::Risk {
        fields.push("system");
    }
    fields
}

/// A verdict as the page shows it: id, label and what it means, in the page's words.
#[derive(Debug, Clone, Serialize)]
pub struct VerdictText {
    /// Id, as `summary.csv` writes it.
    pub id: &'static str,
    /// Label (`verdict.<id>` of `templates/words.toml`).
    pub label: String,
    /// What it means for the reader (`verdict.explain-<id>`).
    pub explanation: String,
}

/// The verdicts of SPEC §5 step 8, with what each means, in the language of `words`.
pub fn verdict_texts(words: &Words) -> Vec<VerdictText> {
    [
        Verdict::Proceed,
        Verdict::ProceedWithConditions,
        Verdict::DoNotProceed,
    ]
    .into_iter()
    .map(|v| VerdictText {
        id: v.id(),
        label: words.get(&format!("verdict.{}", v.id())).to_owned(),
        explanation: words.get(&format!("verdict.explain-{}", v.id())).to_owned(),
    })
    .collect()
}

/// A fixed word a page's script reads from a `data-word-<name>` attribute.
#[derive(Debug, Clone, Serialize)]
pub struct ScriptWord<'w> {
    /// The attribute's name after `data-word-`.
    pub name: &'w str,
    /// The word, its `{name}` placeholders left for the script to fill.
    pub text: &'w str,
}

/// The words of the questionnaire page's scripts (`assets/questionnaire.js` and
/// `assets/csv.js`): every `script.<name>` of `templates/words.toml`, as
/// `data-word-<name>` attributes of the form.
pub fn script_words(words: &Words) -> Vec<ScriptWord<'_>> {
    words
        .with_prefix("script.")
        .map(|(name, text)| ScriptWord { name, text })
        .collect()
}

/// A question as the page's scorer sees it.
#[derive(Debug, Clone, Serialize)]
pub struct QuestionData<'q> {
    /// Question id.
    pub id: &'q str,
    /// Question text, to name the question in messages.
    pub text: &'q str,
    /// Index of its dimension.
    pub dimension: usize,
    /// `single`, `multiple` or `text`.
    pub kind: QuestionType,
    /// Whether a blank answer makes the response incomplete.
    pub required: bool,
    /// Roles it applies to (empty: all).
    pub roles: &'q [String],
    /// Stages it applies to (empty: all).
    pub stages: &'q [String],
    /// Cap of a multiple question.
    pub max: Option<f64>,
    /// Options.
    pub options: &'q [Choice],
    /// Flags (with `stop`: a raised flag means "do not proceed").
    pub flags: &'q [Flag],
    /// The condition under which it applies (empty: always), as question and option
    /// indices (SPEC §4 `relevant`).
    pub relevant: &'q [Condition],
    /// A legal screening question: left blank or answered `unsure`, it raises its flags.
    pub screening: bool,
}

/// A questionnaire definition as the page's scorer sees it (`<script type="application/json"
/// id="questionnaire-data">`).
#[derive(Debug, Clone, Serialize)]
pub struct QuestionnaireData<'q> {
    /// Id of the toolkit (`toolkit.toml` `id`): with the edition, it keys the answers the
    /// page keeps in local storage, so two toolkits or editions never share answers.
    pub toolkit: &'q str,
    /// Edition of the toolkit (`toolkit.toml` `edition`).
    pub edition: &'q str,
    /// The longest values the scorer accepts.
    pub limits: FieldLimits,
    /// Id.
    pub id: &'q str,
    /// Version.
    pub version: &'q str,
    /// Title.
    pub title: &'q str,
    /// `readiness`, `principles` or `risk`.
    pub kind: Kind,
    /// The mitigation rule of a risk questionnaire.
    pub mitigation: Option<Mitigation>,
    /// Consistency checks across questions (warnings, never a change of score).
    pub checks: &'q [crate::questionnaire::Check],
    /// Flags derived from facts (`[[rules]]`), in definition order; conditions as question
    /// and option indices.
    pub rules: &'q [Rule],
    /// Levels, lowest first.
    pub levels: &'q [Level],
    /// Dimensions.
    pub dimensions: &'q [Dimension],
    /// Questions in order.
    pub questions: Vec<QuestionData<'q>>,
    /// The verdicts, with what each means (risk questionnaires show one).
    pub verdicts: Vec<VerdictText>,
    /// The names of the page's respondent fields, in the order of the CSV's columns
    /// (`system` on risk questionnaires).
    pub fields: Vec<&'static str>,
    /// The language of the page, written in the downloaded answers' `language` column.
    pub language: &'q str,
    /// Roles declared in the manifest.
    pub roles: Vec<Facet>,
    /// Stages declared in the manifest.
    pub stages: Vec<Facet>,
}

impl<'q> QuestionnaireData<'q> {
    /// The data of `q`, with the manifest's roles and stages and the verdicts in the
    /// language of `words`.
    pub fn new(
        q: &'q Questionnaire,
        manifest: &'q crate::content::manifest::Manifest,
        words: &Words,
    ) -> Self {
        let facets = |list: &[crate::content::manifest::Facet]| {
            list.iter()
                .map(|f| Facet {
                    id: f.id.get_ref().clone(),
                    label: f.label.clone(),
                })
                .collect()
        };
        QuestionnaireData {
            toolkit: manifest.id.get_ref(),
            edition: manifest.edition.get_ref(),
            limits: FIELD_LIMITS,
            id: &q.id,
            version: &q.version,
            title: &q.title,
            kind: q.kind,
            mitigation: q.mitigation,
            checks: &q.checks,
            rules: &q.rules,
            levels: &q.levels,
            dimensions: &q.dimensions,
            questions: q.questions.iter().map(question_data).collect(),
            verdicts: verdict_texts(words),
            fields: respondent_fields(q),
            language: manifest.output_language(),
            roles: facets(&manifest.roles),
            stages: facets(&manifest.stages),
        }
    }
}

fn question_data(question: &Question) -> QuestionData<'_> {
    QuestionData {
        id: &question.id,
        text: &question.text,
        dimension: question.dimension,
        kind: question.kind,
        required: question.required,
        roles: &question.roles,
        stages: &question.stages,
        max: question.max,
        options: &question.options,
        flags: &question.flags,
        relevant: &question.relevant,
        screening: question.screening,
    }
}

/// The live-result figures of SPEC §9 (`data-result` name, `data-value`), formatted as
/// `summary.csv` formats them; flags sorted and separated by spaces; the verdict id (empty
/// but for risk questionnaires) and the unknown screening questions' ids, in question
/// order, separated by spaces.
pub fn result_values(q: &Questionnaire, result: &ScoreResult) -> Vec<(String, String)> {
    let optional = |v: Option<f64>| v.map_or(String::new(), format_percent);
    let mut flags: Vec<&str> = result.flags.iter().map(|f| f.id.as_str()).collect();
    flags.sort_unstable();
    flags.dedup();
    let mut values = vec![
        ("score".to_owned(), optional(result.score)),
        (
            "level".to_owned(),
            result
                .level
                .map_or(String::new(), |l| q.levels[l].id.clone()),
        ),
        ("flags".to_owned(), flags.join(" ")),
        ("completion".to_owned(), format_percent(result.completion)),
        (
            "verdict".to_owned(),
            result.verdict.map_or(String::new(), |v| v.id().to_owned()),
        ),
        (
            "unknowns".to_owned(),
            result
                .unknowns
                .iter()
                .map(|&i| q.questions[i].id.as_str())
                .collect::<Vec<_>>()
                .join(" "),
        ),
    ];
    if q.kind == Kind::Risk {
        values.push(("risk".to_owned(), optional(result.risk)));
        values.push(("mitigation".to_owned(), optional(result.mitigation)));
    }
    for (dim, score) in q.dimensions.iter().zip(&result.dimensions) {
        values.push((format!("dim:{}", dim.id), optional(score.percent)));
    }
    values
}

/// The rows of the dimension bars, with their initial values.
/// A risk or mitigation dimension says so after its title, in the page's words
/// (`report.role-risk`, `report.role-mitigation`: the report's words for the same thing).
fn dimension_rows(
    q: &Questionnaire,
    initial: &[(String, String)],
    words: &Words,
) -> Vec<serde_json::Value> {
    q.dimensions
        .iter()
        .map(|d| {
            let name = format!("dim:{}", d.id);
            let value = initial
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| v.clone());
            json!({
                "id": d.id,
                "title": d.title,
                "value": value.unwrap_or_default(),
                "role": match d.role {
                    DimensionRole::Risk => "risk",
                    DimensionRole::Mitigation => "mitigation",
                    DimensionRole::Plain => "",
                },
                "role_label": match d.role {
                    DimensionRole::Risk => words.get("report.role-risk"),
                    DimensionRole::Mitigation => words.get("report.role-mitigation"),
                    DimensionRole::Plain => "",
                },
            })
        })
        .collect()
}

/// The page of one questionnaire version.
pub fn questionnaire_page(web: &WebEdition, q: &Questionnaire) -> Result<RenderedPage> {
    let manifest = &web.site.manifest;
    let path = page_of_questionnaire(q);
    let layout = &web.site.language.layout;
    let slug = q.slug();
    let output = |file: crate::layout::OutPath| link_out_of_site(layout, &path, file.as_str());
    let answers = vec![None; q.questions.len()];
    let blank = score_response(
        q,
        &ScoringInput {
            role: None,
            stage: None,
            answers: &answers,
        },
    );
    let initial = result_values(q, &blank);
    let value_of = |name: &str| {
        initial
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let level_label = blank.level.map(|l| q.levels[l].label.clone());
    let words = &web.site.words;
    let verdict = blank
        .verdict
        .and_then(|v| verdict_texts(words).into_iter().find(|t| t.id == v.id()));
    let data = serde_json::to_string(&QuestionnaireData::new(q, manifest, words))?;
    let context = json!({
        "id": q.id,
        "version": q.version,
        "title": q.title,
        "description": q.description,
        "instructions": q.instructions,
        "kind": q.kind.name(),
        "is_risk": q.kind == Kind::Risk,
        "roles": role_options(&manifest.roles),
        "stages": role_options(&manifest.stages),
        "items": question_items(web, q, &blank.applicable_questions),
        "applicable": blank.applicable,
        "score": value_of("score"),
        "level": value_of("level"),
        "level_label": level_label,
        "flags": value_of("flags"),
        "verdict": value_of("verdict"),
        "verdict_text": verdict,
        "unknowns": value_of("unknowns"),
        "has_screening": q.questions.iter().any(|x| x.screening),
        "has_relevance": q.questions.iter().any(|x| !x.relevant.is_empty()),
        "completion": value_of("completion"),
        "risk": value_of("risk"),
        "mitigation": value_of("mitigation"),
        "dimensions": dimension_rows(q, &initial, words),
        "levels": q.levels.iter().map(|l| json!({"id": l.id, "label": l.label, "up_to": format_percent(l.up_to)})).collect::<Vec<_>>(),
        "data": script_json(&data),
        "script_words": script_words(words),
        "field_max": FIELD_LIMITS.field,
        "text_max": FIELD_LIMITS.text,
        "csv": output(layout.answer_template(&slug)),
        "xlsx": output(layout.workbook(&slug, None)),
        "pdf": output(layout.printable_questionnaire(&slug)),
    });
    let meta = PageMeta {
        path: path.clone(),
        title: words.fill(
            "questionnaire.title",
            &[("title", &q.title), ("version", &q.version)],
        ),
        description: q.description.clone(),
        scripts: vec!["site.js", "scoring.js", "csv.js", "questionnaire.js"],
    };
    let html = web.render_page("questionnaire", &meta, &context)?;
    Ok(RenderedPage { path, html })
}

fn role_options(list: &[crate::content::manifest::Facet]) -> Vec<Facet> {
    list.iter()
        .map(|f| Facet {
            id: f.id.get_ref().clone(),
            label: f.label.clone(),
        })
        .collect()
}

/// The questions in order, each with its dimension heading when the dimension changes,
/// hidden when it does not apply to a blank response (`applicable`).
fn question_items(
    web: &WebEdition,
    q: &Questionnaire,
    applicable: &[bool],
) -> Vec<serde_json::Value> {
    let manifest = &web.site.manifest;
    let mut items = Vec::new();
    let mut current = None;
    for (n, question) in q.questions.iter().enumerate() {
        let heading = (current != Some(question.dimension)).then(|| {
            let d = &q.dimensions[question.dimension];
            json!({"id": d.id, "title": d.title, "description": d.description})
        });
        current = Some(question.dimension);
        let options: Vec<serde_json::Value> = question
            .options
            .iter()
            .enumerate()
            .map(|(i, o)| {
                json!({
                    "value": o.value,
                    "label": o.label,
                    "input_id": format!("q-{}-{i}", question.id),
                    "not_applicable": o.not_applicable,
                })
            })
            .collect();
        let label = |id: &String| manifest.label_of(id).unwrap_or(id).to_owned();
        let mut audience: Vec<String> = question.roles.iter().map(label).collect();
        audience.extend(question.stages.iter().map(label));
        items.push(json!({
            "heading": heading,
            "number": n + 1,
            "id": question.id,
            "input_id": format!("q-{}", question.id),
            "text": question.text,
            "help": question.help,
            "required": question.required,
            "hidden": !applicable.get(n).copied().unwrap_or(true),
            "screening": question.screening,
            "conditional": !question.relevant.is_empty(),
            "is_single": question.kind == QuestionType::Single,
            "is_multiple": question.kind == QuestionType::Multiple,
            "is_text": question.kind == QuestionType::Text,
            "roles": question.roles.join(" "),
            "stages": question.stages.join(" "),
            "audience": audience.join(" · "),
            "options": options,
            "links": question_links(web, &page_of_questionnaire(q), &question.links),
        }));
    }
    items
}

/// Links of a question (`roadmap#anchor`) to the guide pages, labelled with the section
/// title, and (`template:<id>`) to a working template's entry on the home page.
fn question_links(web: &WebEdition, page: &str, links: &[String]) -> Vec<Link> {
    links
        .iter()
        .filter_map(|reference| {
            if let Some(id) = crate::register::referenced_id(reference) {
                let template = web.site.working_template(id)?;
                return Some(Link {
                    href: super::working_template_href(page, id),
                    label: web
                        .site
                        .words
                        .fill("links.working-template", &[("title", &template.title)]),
                });
            }
            let (id, anchor) = match reference.split_once('#') {
                Some((id, anchor)) => (id, Some(anchor)),
                None => (reference.as_str(), None),
            };
            let (doc, index) = web.site.document(id)?;
            let title = anchor
                .and_then(|a| index.anchors.iter().find(|x| x.id == a))
                .map(|a| a.title.clone());
            let href = match anchor {
                Some(anchor) => format!(
                    "{}#{anchor}",
                    relative_path(page, &page_of_document(&doc.id))
                ),
                None => relative_path(page, &page_of_document(&doc.id)),
            };
            let label = match title {
                Some(title) => format!("{}: {title}", doc.front.title),
                None => doc.front.title.clone(),
            };
            Some(Link { href, label })
        })
        .collect()
}
