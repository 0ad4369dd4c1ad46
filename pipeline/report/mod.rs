//! Report data: what the per-response and per-group report templates receive, as JSON.
//! Respondents' text travels here as data and is never spliced into Typst markup.

use handlebars::Handlebars;
use serde::Serialize;

use crate::answers::validate::Response;
use crate::content::manifest::Manifest;
use crate::questionnaire::{DimensionRole, Kind, QuestionType, Questionnaire};
use crate::scoring::{Answer, ScoreResult, format_percent};

/// A dimension counts as weak below this percent (above it for risk dimensions).
pub const WEAK_PERCENT: f64 = 60.0;
/// A risk dimension counts as weak (a concern) above this percent.
pub const RISKY_PERCENT: f64 = 50.0;
/// Weak dimensions a report details, weakest first.
pub const WEAK_DIMENSIONS_SHOWN: usize = 3;
/// Questions listed per weak dimension.
pub const QUESTIONS_PER_WEAK_DIMENSION: usize = 3;
/// Unanswered questions listed by name.
pub const UNANSWERED_SHOWN: usize = 12;

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

/// Everything the per-response report shows.
#[derive(Debug, Clone, Serialize)]
pub struct ResponseReport {
    /// Toolkit, edition, language, paper and date.
    #[serde(flatten)]
    pub header: ReportHeader,
    /// Questionnaire title.
    pub questionnaire: String,
    /// Questionnaire id.
    pub questionnaire_id: String,
    /// Version.
    pub version: String,
    /// `readiness`, `principles` or `risk`.
    pub kind: String,
    /// Response id.
    pub response_id: String,
    /// Respondent's name.
    pub respondent: String,
    /// Group.
    pub group: String,
    /// Role label.
    pub role: String,
    /// Stage label.
    pub stage: String,
    /// Where the response came from.
    pub source: String,
    /// Score, one decimal, or empty when not scored.
    pub score: String,
    /// Score as a number for charts.
    pub score_value: Option<f64>,
    /// Level label.
    pub level: String,
    /// Level description.
    pub level_description: String,
    /// Level index (0 = lowest) and count, for the level scale.
    pub level_index: Option<usize>,
    /// All level labels, lowest first.
    pub levels: Vec<String>,
    /// Level before flags, when flags moved it.
    pub level_before_flags: Option<String>,
    /// Completion, one decimal.
    pub completion: String,
    /// Risk (risk questionnaires).
    pub risk: Option<String>,
    /// Mitigation (risk questionnaires).
    pub mitigation: Option<String>,
    /// The mitigation rule and whether it applied, in words.
    pub mitigation_note: Option<String>,
    /// Dimensions with percents.
    pub dimensions: Vec<DimensionLine>,
    /// Raised flags.
    pub flags: Vec<FlagLine>,
    /// Weak dimensions with the questions that pulled them down.
    pub weak: Vec<WeakDimension>,
    /// Applicable questions left blank (the first few).
    pub unanswered: Vec<QuestionLine>,
    /// How many more were left blank.
    pub unanswered_more: usize,
    /// Free-text answers, verbatim.
    pub comments: Vec<Comment>,
    /// Whether higher percents are better (false for risk dimensions).
    pub higher_is_better: bool,
    /// Draw a radar chart.
    pub radar: bool,
}

/// One dimension's result.
#[derive(Debug, Clone, Serialize)]
pub struct DimensionLine {
    /// Title.
    pub title: String,
    /// Percent, one decimal, or "not scored".
    pub percent: String,
    /// Percent as a number for charts.
    pub value: Option<f64>,
    /// `risk`, `mitigation` or empty.
    pub role: String,
}

/// A raised flag.
#[derive(Debug, Clone, Serialize)]
pub struct FlagLine {
    /// Flag id.
    pub id: String,
    /// Message.
    pub message: String,
    /// Question that raised it.
    pub question: String,
}

/// A weak dimension.
#[derive(Debug, Clone, Serialize)]
pub struct WeakDimension {
    /// Title.
    pub title: String,
    /// Percent.
    pub percent: String,
    /// Questions that pulled it down, lowest first.
    pub questions: Vec<QuestionLine>,
    /// How far from the good end (for ordering).
    #[serde(skip)]
    pub badness: f64,
}

/// A question in a list.
#[derive(Debug, Clone, Serialize)]
pub struct QuestionLine {
    /// Id.
    pub id: String,
    /// Question text.
    pub text: String,
    /// Answer given (labels), or "no answer".
    pub answer: String,
    /// What to do next.
    pub recommendation: String,
    /// Where the toolkit helps: (label, relative URL).
    pub links: Vec<(String, String)>,
}

/// A free-text answer.
#[derive(Debug, Clone, Serialize)]
pub struct Comment {
    /// Question id.
    pub id: String,
    /// Question text.
    pub question: String,
    /// The respondent's words, verbatim.
    pub text: String,
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
    pub date: crate::guides::DateParts,
}

/// Context shared by every report of a run.
pub struct ReportContext<'a> {
    /// The manifest (labels, toolkit title).
    pub manifest: &'a Manifest,
    /// Document date.
    pub date: (i32, u8, u8),
    /// Paper size.
    pub paper: &'a str,
    /// Relative path from a report to the guides folder (for links), e.g. `../../../guides`.
    pub guides_url: String,
    /// Titles of the toolkit's documents by id, for link labels.
    pub document_titles: Vec<(String, String)>,
    /// Recommendation renderer.
    pub recommendations: Recommendations,
}

impl ReportContext<'_> {
    fn header(&self) -> ReportHeader {
        ReportHeader {
            toolkit: self.manifest.title.clone(),
            edition: self.manifest.edition.get_ref().clone(),
            language: self.manifest.language.clone(),
            paper: self.paper.to_owned(),
            date: crate::guides::DateParts {
                year: self.date.0,
                month: self.date.1,
                day: self.date.2,
            },
        }
    }

    fn label(&self, id: &Option<String>) -> String {
        id.as_deref()
            .map(|id| self.manifest.label_of(id).unwrap_or(id).to_owned())
            .unwrap_or_default()
    }

    fn links(&self, links: &[String]) -> Vec<(String, String)> {
        links
            .iter()
            .map(|link| {
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
                let label = if anchor.is_empty() {
                    title
                } else {
                    format!("{title}, section {}", anchor.replace('-', " "))
                };
                (label, url)
            })
            .collect()
    }
}

/// The labels of an answer, joined.
pub fn answer_labels(q: &Questionnaire, index: usize, answer: Option<&Answer>) -> String {
    match answer {
        None => "no answer".to_owned(),
        Some(Answer::Text(text)) => text.clone(),
        Some(Answer::Choices(chosen)) if chosen.is_empty() => "no answer".to_owned(),
        Some(Answer::Choices(chosen)) => chosen
            .iter()
            .map(|&c| q.questions[index].options[c].label.as_str())
            .collect::<Vec<_>>()
            .join("; "),
    }
}

/// Whether a dimension's percent is a concern.
pub fn is_weak(role: DimensionRole, percent: f64) -> bool {
    match role {
        DimensionRole::Risk => percent > RISKY_PERCENT,
        _ => percent < WEAK_PERCENT,
    }
}

/// Builds the data of one response's report.
pub fn response_report(
    ctx: &ReportContext,
    q: &Questionnaire,
    response: &Response,
    result: &ScoreResult,
) -> ResponseReport {
    let role_name = |role: DimensionRole| match role {
        DimensionRole::Risk => "risk",
        DimensionRole::Mitigation => "mitigation",
        DimensionRole::Plain => "",
    };
    let dimensions = q
        .dimensions
        .iter()
        .zip(&result.dimensions)
        .map(|(d, s)| DimensionLine {
            title: d.title.clone(),
            percent: s.percent.map_or("not scored".to_owned(), format_percent),
            value: s.percent,
            role: role_name(d.role).to_owned(),
        })
        .collect();
    let question_line = |i: usize| {
        let question = &q.questions[i];
        let dimension = &q.dimensions[question.dimension];
        let answer = answer_labels(q, i, response.answers[i].as_ref());
        let recommendation = question
            .recommendation
            .as_deref()
            .map(|t| {
                ctx.recommendations
                    .render(t, &dimension.title, &answer, &question.id)
            })
            .unwrap_or_default();
        let mut links = question.links.clone();
        if links.is_empty() {
            links = dimension.links.clone();
        }
        QuestionLine {
            id: question.id.clone(),
            text: question.text.clone(),
            answer,
            recommendation,
            links: ctx.links(&links),
        }
    };
    let mut weak = Vec::new();
    for (d, (dimension, score)) in q.dimensions.iter().zip(&result.dimensions).enumerate() {
        let Some(percent) = score.percent else {
            continue;
        };
        if !is_weak(dimension.role, percent) {
            continue;
        }
        let mut pulled: Vec<(f64, usize)> = result
            .questions
            .iter()
            .enumerate()
            .filter(|(i, s)| q.questions[*i].dimension == d && s.is_some())
            .filter_map(|(i, s)| {
                let s = s.expect("filtered");
                if s.max <= 0.0 {
                    return None;
                }
                // How far the question is from the good end: the shortfall for readiness and
                // mitigation, the risk itself for risk dimensions.
                let badness = match dimension.role {
                    DimensionRole::Risk => s.achieved / s.max,
                    _ => 1.0 - s.achieved / s.max,
                };
                (badness > 0.0).then_some((badness, i))
            })
            .collect();
        pulled.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        weak.push(WeakDimension {
            title: dimension.title.clone(),
            percent: format_percent(percent),
            questions: pulled
                .into_iter()
                .take(QUESTIONS_PER_WEAK_DIMENSION)
                .map(|(_, i)| question_line(i))
                .collect(),
            badness: match dimension.role {
                DimensionRole::Risk => percent,
                _ => 100.0 - percent,
            },
        });
    }
    // The weakest dimensions first: a report names a few places to act, not every one.
    weak.sort_by(|a, b| b.badness.total_cmp(&a.badness));
    weak.truncate(WEAK_DIMENSIONS_SHOWN);
    let unanswered_all: Vec<usize> = result
        .unanswered
        .iter()
        .copied()
        .filter(|&i| q.questions[i].kind != QuestionType::Text)
        .collect();
    let unanswered_more = unanswered_all.len().saturating_sub(UNANSWERED_SHOWN);
    let unanswered = unanswered_all
        .into_iter()
        .take(UNANSWERED_SHOWN)
        .map(|i| QuestionLine {
            recommendation: String::new(),
            links: Vec::new(),
            ..question_line(i)
        })
        .collect();
    let comments = q
        .questions
        .iter()
        .enumerate()
        .filter_map(|(i, question)| match &response.answers[i] {
            Some(Answer::Text(text)) if !text.trim().is_empty() => Some(Comment {
                id: question.id.clone(),
                question: question.text.clone(),
                text: text.clone(),
            }),
            _ => None,
        })
        .collect();
    let level = result.level.map(|l| &q.levels[l]);
    let mitigation_note = match (q.kind, q.mitigation, result.mitigation) {
        (Kind::Risk, Some(rule), Some(m)) => Some(if m >= rule.threshold {
            format!(
                "Mitigation reached {} %, at or above the {} % threshold, so the risk score was reduced by {} %.",
                format_percent(m),
                rule.threshold,
                rule.reduction
            )
        } else {
            format!(
                "Mitigation reached {} %, below the {} % threshold, so the risk score was not reduced (it would be reduced by {} %).",
                format_percent(m),
                rule.threshold,
                rule.reduction
            )
        }),
        _ => None,
    };
    ResponseReport {
        header: ctx.header(),
        questionnaire: q.title.clone(),
        questionnaire_id: q.id.clone(),
        version: q.version.clone(),
        kind: q.kind.name().to_owned(),
        response_id: response.id.clone(),
        respondent: response.respondent.clone(),
        group: response.group.clone(),
        role: ctx.label(&response.role),
        stage: ctx.label(&response.stage),
        source: format!("{} ({})", response.file, response.location),
        score: result.score.map_or(String::new(), format_percent),
        score_value: result.score,
        level: level.map_or("Not scored".to_owned(), |l| l.label.clone()),
        level_description: level.map_or(String::new(), |l| l.description.clone()),
        level_index: result.level,
        levels: q.levels.iter().map(|l| l.label.clone()).collect(),
        level_before_flags: match (result.level, result.level_before_flags) {
            (Some(a), Some(b)) if a != b => Some(q.levels[b].label.clone()),
            _ => None,
        },
        completion: format_percent(result.completion),
        risk: result.risk.map(format_percent),
        mitigation: result.mitigation.map(format_percent),
        mitigation_note,
        dimensions,
        flags: result
            .flags
            .iter()
            .map(|f| FlagLine {
                id: f.id.clone(),
                message: f.message.clone(),
                question: f
                    .question
                    .map(|i| q.questions[i].id.clone())
                    .unwrap_or_default(),
            })
            .collect(),
        weak,
        unanswered,
        unanswered_more,
        comments,
        higher_is_better: q.kind != Kind::Risk,
        radar: q.kind == Kind::Readiness && q.dimensions.len() >= 3,
    }
}

/// Everything the per-group report shows.
#[derive(Debug, Clone, Serialize)]
pub struct GroupReport {
    /// Toolkit, edition, language, paper and date.
    #[serde(flatten)]
    pub header: ReportHeader,
    /// Group name.
    pub group: String,
    /// Questionnaire title.
    pub questionnaire: String,
    /// Version.
    pub version: String,
    /// Kind.
    pub kind: String,
    /// Number of responses.
    pub responses: usize,
    /// Mean score, one decimal.
    pub mean_score: String,
    /// Responses per level (label, count), lowest level first, plus "Not scored" if any.
    pub levels: Vec<(String, usize)>,
    /// Per dimension: title, mean, min, max (one decimal) and numbers for charts.
    pub dimensions: Vec<GroupDimension>,
    /// Per question: answer distribution.
    pub questions: Vec<GroupQuestion>,
    /// Questions where respondents disagree most (ids), most first.
    pub disagreement: Vec<GroupQuestion>,
    /// Flags raised, with counts.
    pub flags: Vec<(String, usize)>,
    /// Response ids in the group.
    pub response_ids: Vec<String>,
    /// Whether higher is better.
    pub higher_is_better: bool,
}

/// A dimension across a group.
#[derive(Debug, Clone, Serialize)]
pub struct GroupDimension {
    /// Title.
    pub title: String,
    /// Mean, min, max as text ("" when no response scored it).
    pub mean: String,
    /// Minimum.
    pub min: String,
    /// Maximum.
    pub max: String,
    /// Numbers for the chart: (mean, min, max).
    pub values: Option<(f64, f64, f64)>,
    /// Responses that scored it.
    pub scored: usize,
}

/// A question across a group.
#[derive(Debug, Clone, Serialize)]
pub struct GroupQuestion {
    /// Id.
    pub id: String,
    /// Text.
    pub text: String,
    /// (option label, count) plus ("No answer", count).
    pub counts: Vec<(String, usize)>,
    /// Spread of answers: standard deviation of the points as a share of the maximum (0-1).
    pub spread: f64,
    /// Spread as text.
    pub spread_text: String,
}

/// Builds the data of a group's report from its responses (all of one questionnaire).
pub fn group_report(
    ctx: &ReportContext,
    q: &Questionnaire,
    group: &str,
    members: &[(&Response, &ScoreResult)],
) -> GroupReport {
    let mut levels: Vec<(String, usize)> = q.levels.iter().map(|l| (l.label.clone(), 0)).collect();
    let mut not_scored = 0;
    let mut flags: Vec<(String, usize)> = Vec::new();
    let mut scores = Vec::new();
    for (_, result) in members {
        match result.level {
            Some(l) => levels[l].1 += 1,
            None => not_scored += 1,
        }
        if let Some(s) = result.score {
            scores.push(s);
        }
        let mut seen = Vec::new();
        for flag in &result.flags {
            if seen.contains(&flag.id) {
                continue;
            }
            seen.push(flag.id.clone());
            match flags.iter_mut().find(|(id, _)| *id == flag.id) {
                Some(entry) => entry.1 += 1,
                None => flags.push((flag.id.clone(), 1)),
            }
        }
    }
    if not_scored > 0 {
        levels.push(("Not scored".to_owned(), not_scored));
    }
    let dimensions = q
        .dimensions
        .iter()
        .enumerate()
        .map(|(d, dim)| {
            let values: Vec<f64> = members
                .iter()
                .filter_map(|(_, r)| r.dimensions[d].percent)
                .collect();
            let stats = (!values.is_empty()).then(|| {
                let mean = values.iter().sum::<f64>() / values.len() as f64;
                let min = values.iter().copied().fold(f64::INFINITY, f64::min);
                let max = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
                (mean, min, max)
            });
            GroupDimension {
                title: dim.title.clone(),
                mean: stats.map_or(String::new(), |s| format_percent(s.0)),
                min: stats.map_or(String::new(), |s| format_percent(s.1)),
                max: stats.map_or(String::new(), |s| format_percent(s.2)),
                values: stats,
                scored: values.len(),
            }
        })
        .collect();
    let mut questions = Vec::new();
    for (i, question) in q.questions.iter().enumerate() {
        if question.kind == QuestionType::Text {
            continue;
        }
        let mut counts: Vec<(String, usize)> = question
            .options
            .iter()
            .map(|o| (o.label.clone(), 0))
            .collect();
        let mut blank = 0;
        let mut shares = Vec::new();
        for (response, result) in members {
            match &response.answers[i] {
                Some(Answer::Choices(chosen)) if !chosen.is_empty() => {
                    for &c in chosen {
                        counts[c].1 += 1;
                    }
                }
                _ => {
                    if result.questions[i].is_some() {
                        blank += 1;
                    }
                }
            }
            if let Some(s) = result.questions[i].filter(|s| s.answered && s.max > 0.0) {
                shares.push(s.achieved / s.max);
            }
        }
        counts.push(("No answer".to_owned(), blank));
        let spread = if shares.len() >= 2 {
            let mean = shares.iter().sum::<f64>() / shares.len() as f64;
            (shares.iter().map(|s| (s - mean).powi(2)).sum::<f64>() / shares.len() as f64).sqrt()
        } else {
            0.0
        };
        questions.push(GroupQuestion {
            id: question.id.clone(),
            text: question.text.clone(),
            counts,
            spread,
            spread_text: format!("{:.2}", spread),
        });
    }
    let mut disagreement: Vec<GroupQuestion> = questions
        .iter()
        .filter(|g| g.spread > 0.0)
        .cloned()
        .collect();
    disagreement.sort_by(|a, b| b.spread.total_cmp(&a.spread).then(a.id.cmp(&b.id)));
    disagreement.truncate(8);
    let mean_score = if scores.is_empty() {
        String::new()
    } else {
        format_percent(scores.iter().sum::<f64>() / scores.len() as f64)
    };
    GroupReport {
        header: ctx.header(),
        group: if group.is_empty() {
            "No group given".to_owned()
        } else {
            group.to_owned()
        },
        questionnaire: q.title.clone(),
        version: q.version.clone(),
        kind: q.kind.name().to_owned(),
        responses: members.len(),
        mean_score,
        levels,
        dimensions,
        questions,
        disagreement,
        flags,
        response_ids: members.iter().map(|(r, _)| r.id.clone()).collect(),
        higher_is_better: q.kind != Kind::Risk,
    }
}
