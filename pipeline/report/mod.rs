//! Report data: what the per-response and per-group report templates receive, as JSON.
//! Respondents' text travels here as data and is never spliced into Typst markup.
//!
//! [`response`] builds one response's report, [`annex`] its method annex (every applicable
//! question's points, the dimensions' sums, the thresholds), and [`group`] one group's; [`selection`]
//! holds the rules that decide what a report singles out (weak dimensions, the questions
//! that pulled them down, answer distributions, disagreement, the caps). This file keeps
//! what both share: the header, the context of a run and the recommendation renderer.

pub mod annex;
pub mod decision;
pub mod group;
pub mod response;
pub mod selection;

#[cfg(test)]
pub(crate) mod fixtures;

use crate::date::Date;
use crate::layout::{Layout, ReportsLayout};
use handlebars::Handlebars;
use serde::Serialize;

use crate::content::manifest::Manifest;
use crate::questionnaire::Questionnaire;
use crate::scoring::Answer;

pub use annex::{Annex, AnnexDimension, AnnexLevel, AnnexQuestion, annex};
pub use group::{GroupDimension, GroupQuestion, GroupReport, group_report};
pub use response::{
    Comment, DimensionLine, FlagLine, QuestionLine, ResponseReport, WeakDimension, response_report,
};
pub use selection::{
    QUESTIONS_PER_WEAK_DIMENSION, RISKY_PERCENT, UNANSWERED_SHOWN, WEAK_DIMENSIONS_SHOWN,
    WEAK_PERCENT, is_weak,
};

/// Renders recommendation templates (handlebars) with the variables `dimension`,
/// `answer` and `question`. Output is plain text, not HTML: nothing is escaped.
pub struct Recommendations {
    registry: Handlebars<'static>,
}

impl Default for Recommendations {
    fn default() -> Self {
        let mut registry = Handlebars::new();
        registry.register_escape_fn(handlebars::no_escape);
        Recommendations { registry }
    }
}

impl Recommendations {
    /// Renders a template; a template that fails to render comes back as written.
    pub fn render(&self, template: &str, dimension: &str, answer: &str, question: &str) -> String {
        let data =
            serde_json::json!({ "dimension": dimension, "answer": answer, "question": question });
        self.registry
            .render_template(template, &data)
            .unwrap_or_else(|_| template.to_owned())
    }
}

/// What every report prints in its header and footer.
#[derive(Debug, Clone, Serialize)]
pub struct ReportHeader {
    /// Toolkit title.
    pub toolkit: String,
    /// Toolkit edition.
    pub edition: String,
    /// Document language.
    pub language: String,
    /// Paper size.
    pub paper: String,
    /// Document date.
    pub date: Date,
    /// `ltr` or `rtl`.
    pub direction: &'static str,
    /// The fixed words, in the report's language.
    pub words: crate::words::Words,
}

/// Context shared by every report of a run.
pub struct ReportContext<'a> {
    /// The manifest (labels, toolkit title).
    pub manifest: &'a Manifest,
    /// The fixed words of the reports' language.
    pub words: &'a crate::words::Words,
    /// Document date.
    pub date: Date,
    /// Paper size.
    pub paper: &'a str,
    /// Relative path from a report to the guides folder (for links), e.g. `../../../guides`.
    pub guides_url: String,
    /// Relative path from a report to the working templates' folder, e.g.
    /// `../../../working-templates`.
    pub working_templates_url: String,
    /// Titles of the working templates by id, for the labels of links to them.
    pub working_template_titles: Vec<(String, String)>,
    /// Titles of the toolkit's documents by id, for link labels.
    pub document_titles: Vec<(String, String)>,
    /// Titles of the toolkit's sections by `document#anchor`, so links print as the
    /// section's title.
    pub section_titles: std::collections::HashMap<String, String>,
    /// Recommendation renderer.
    pub recommendations: Recommendations,
}

impl<'a> ReportContext<'a> {
    /// A context for reports made outside a scoring run (benchmarks, profiles, tests): A4,
    /// links to the guides where a run's `reports/<kind>/<questionnaire>/` folders would
    /// find them, no document or section titles and no recommendation templates.
    pub fn standalone(manifest: &'a Manifest, date: Date) -> Self {
        ReportContext {
            manifest,
            words: crate::words::Words::built_in(),
            date,
            paper: "a4",
            guides_url: ReportsLayout::guides_link(
                &Layout::source(),
                Layout::source().reports().as_str(),
            ),
            working_templates_url: ReportsLayout::working_templates_link(
                &Layout::source(),
                Layout::source().reports().as_str(),
            ),
            working_template_titles: vec![],
            document_titles: vec![],
            section_titles: Default::default(),
            recommendations: Default::default(),
        }
    }
}

impl ReportContext<'_> {
    /// The header every report of this run prints.
    fn header(&self) -> ReportHeader {
        ReportHeader {
            toolkit: self.manifest.title.clone(),
            edition: self.manifest.edition.get_ref().clone(),
            language: self.manifest.output_language().to_owned(),
            paper: self.paper.to_owned(),
            date: self.date,
            direction: self.manifest.direction.name(),
            words: self.words.clone(),
        }
    }

    /// The mark of a role or stage id in the visual key, if it has one.
    fn mark(&self, id: &Option<String>) -> Option<crate::content::manifest::Mark> {
        self.manifest.mark_of(id.as_deref()?).cloned()
    }

    /// The reader-facing label of a role or stage id; the id itself when undeclared,
    /// empty when not given.
    fn label(&self, id: &Option<String>) -> String {
        id.as_deref()
            .map(|id| self.manifest.label_of(id).unwrap_or(id).to_owned())
            .unwrap_or_default()
    }

    /// Toolkit references (`roadmap#section`, `template:incident-log`) as (label,
    /// relative URL) pairs.
    fn links(&self, links: &[String]) -> Vec<(String, String)> {
        links
            .iter()
            .map(|link| {
                if let Some(id) = crate::register::referenced_id(link) {
                    return self.working_template_link(id);
                }
                let (doc, anchor) = link.split_once('#').unwrap_or((link, ""));
                let title = self
                    .document_titles
                    .iter()
                    .find(|(id, _)| id == doc)
                    .map_or(doc.to_owned(), |(_, t)| t.clone());
                let url = if anchor.is_empty() {
                    format!("{}/{doc}.pdf", self.guides_url)
                } else {
                    format!("{}/{doc}.pdf#{anchor}", self.guides_url)
                };
                let label = match self.section_titles.get(link.as_str()) {
                    _ if anchor.is_empty() => title,
                    Some(section) => format!("{title}: {section}"),
                    None => format!("{title}, section {}", anchor.replace('-', " ")),
                };
                (label, url)
            })
            .collect()
    }
}

impl ReportContext<'_> {
    /// A link to a working template's printable copy, labelled with its title.
    fn working_template_link(&self, id: &str) -> (String, String) {
        let title = self
            .working_template_titles
            .iter()
            .find(|(known, _)| known == id)
            .map_or(id, |(_, title)| title.as_str());
        (
            self.words
                .fill("links.working-template", &[("title", title)]),
            format!("{}/{id}.pdf", self.working_templates_url),
        )
    }
}

/// The labels of an answer, joined; `report.no-answer` of `words` when there is none.
pub fn answer_labels(
    q: &Questionnaire,
    index: usize,
    answer: Option<&Answer>,
    words: &crate::words::Words,
) -> String {
    match answer {
        None => words.get("report.no-answer").to_owned(),
        Some(Answer::Text(text)) => text.clone(),
        Some(Answer::Choices(chosen)) if chosen.is_empty() => {
            words.get("report.no-answer").to_owned()
        }
        Some(Answer::Choices(chosen)) => chosen
            .iter()
            .map(|&c| q.questions[index].options[c].label.as_str())
            .collect::<Vec<_>>()
            .join(words.get("report.answer-separator")),
    }
}
