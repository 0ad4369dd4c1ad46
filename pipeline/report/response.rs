//! The per-response report: level, score, dimensions, flags, where to act first (the
//! weak dimensions with the questions that pulled them down, their recommendations and
//! links into the toolkit), unanswered questions and the respondent's comments.

use serde::Serialize;

use super::annex::{Annex, annex};
use super::decision::{Decision, NextStep, decision, next_steps};
use super::selection::{mitigation_note, unanswered_shown, weak_dimensions};
use super::{ReportContext, ReportHeader, answer_labels};
use crate::answers::validate::Response;
use crate::content::manifest::Mark;
use crate::questionnaire::{DimensionRole, Kind, Questionnaire};
use crate::scoring::{Answer, ScoreResult, format_percent, warnings};

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
    /// The role's mark in the visual key, if it has one.
    pub role_mark: Option<Mark>,
    /// The stage's mark in the visual key, if it has one.
    pub stage_mark: Option<Mark>,
    /// The system assessed (risk questionnaires), as the respondent named it.
    pub system: String,
    /// The decision part of a risk report: verdict, reason, must-dos, unknowns.
    pub decision: Option<Decision>,
    /// The next steps of a readiness or principles report: its two weakest areas.
    pub next_steps: Vec<NextStep>,
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
    /// Failed consistency checks (the questions are named in the message; `question` is
    /// empty). They change no score, level or flag.
    pub warnings: Vec<FlagLine>,
    /// Weak dimensions with the questions that pulled them down.
    pub weak: Vec<WeakDimension>,
    /// Applicable questions left blank (the first few).
    pub unanswered: Vec<QuestionLine>,
    /// How many more were left blank.
    pub unanswered_more: usize,
    /// Free-text answers, verbatim.
    pub comments: Vec<Comment>,
    /// The method annex: each applicable scored question's points, each dimension's sums
    /// and the level thresholds in percent and in points.
    pub annex: Annex,
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
    /// The dimension's mark in the visual key (a principle's letter and colour), if any.
    pub mark: Option<Mark>,
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

/// Builds the data of one response's report.
pub fn response_report(
    ctx: &ReportContext,
    q: &Questionnaire,
    response: &Response,
    result: &ScoreResult,
) -> ResponseReport {
    let lines = QuestionLines { ctx, q, response };
    let (unanswered, unanswered_more) = unanswered_shown(q, result);
    let level = result.level.map(|l| &q.levels[l]);
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
        role_mark: ctx.mark(&response.role),
        stage_mark: ctx.mark(&response.stage),
        system: response.system.clone(),
        decision: decision(ctx, q, response, result),
        next_steps: next_steps(ctx, q, response, result),
        source: format!("{} ({})", response.file(), response.location()),
        score: result.score.map_or(String::new(), format_percent),
        score_value: result.score,
        level: level.map_or(ctx.words.get("report.not-scored").to_owned(), |l| {
            l.label.clone()
        }),
        level_description: level.map_or(String::new(), |l| l.description.clone()),
        level_index: result.level,
        levels: q.levels.iter().map(|l| l.label.clone()).collect(),
        level_before_flags: level_before_flags(q, result),
        completion: format_percent(result.completion),
        risk: result.risk.map(format_percent),
        mitigation: result.mitigation.map(format_percent),
        mitigation_note: mitigation_note(q, result, ctx.words),
        dimensions: dimension_lines(q, result),
        flags: flag_lines(q, result, ctx.words),
        warnings: warnings(q, &response.answers.to_vec(), result, ctx.words)
            .into_iter()
            .map(|w| FlagLine {
                id: w.id,
                message: w.message,
                question: String::new(),
            })
            .collect(),
        weak: weak_lines(&lines, result),
        unanswered: unanswered.into_iter().map(|i| lines.bare(i)).collect(),
        unanswered_more,
        comments: comments(q, response),
        annex: annex(q, &response.answers.to_vec(), result, ctx.words),
        higher_is_better: q.kind != Kind::Risk,
        radar: q.kind == Kind::Readiness && q.dimensions.len() >= 3,
    }
}

/// Every dimension with its percent and role.
fn dimension_lines(q: &Questionnaire, result: &ScoreResult) -> Vec<DimensionLine> {
    let role_name = |role: DimensionRole| match role {
        DimensionRole::Risk => "risk",
        DimensionRole::Mitigation => "mitigation",
        DimensionRole::Plain => "",
    };
    q.dimensions
        .iter()
        .zip(&result.dimensions)
        .map(|(d, s)| DimensionLine {
            title: d.title.clone(),
            percent: s.percent.map_or("not scored".to_owned(), format_percent),
            value: s.percent,
            role: role_name(d.role).to_owned(),
            mark: d.mark.clone(),
        })
        .collect()
}

/// The raised flags, with the id of the question that raised each. Messages come from
/// `q`, the questionnaire in the report's language (the result was scored on the
/// source's, whose messages are English).
fn flag_lines(
    q: &Questionnaire,
    result: &ScoreResult,
    words: &crate::words::Words,
) -> Vec<FlagLine> {
    let message = |f: &crate::scoring::RaisedFlag| {
        let from_question = f.question.and_then(|i| {
            q.questions[i]
                .flags
                .iter()
                .find(|g| g.id == f.id)
                .map(|g| g.message.clone())
        });
        let from_rule = || f.rule.map(|r| q.rules[r].message.clone());
        let fixed = || match f.id == crate::scoring::INCOMPLETE {
            true => words.get("report.incomplete").to_owned(),
            false => f.message.clone(),
        };
        from_question.or_else(from_rule).unwrap_or_else(fixed)
    };
    result
        .flags
        .iter()
        .map(|f| FlagLine {
            id: f.id.clone(),
            message: message(f),
            question: f
                .question
                .map(|i| q.questions[i].id.clone())
                .unwrap_or_default(),
        })
        .collect()
}

/// The level before flags, when the flags moved it.
fn level_before_flags(q: &Questionnaire, result: &ScoreResult) -> Option<String> {
    match (result.level, result.level_before_flags) {
        (Some(a), Some(b)) if a != b => Some(q.levels[b].label.clone()),
        _ => None,
    }
}

/// The weak dimensions the selection picked, with their question lines.
fn weak_lines(lines: &QuestionLines, result: &ScoreResult) -> Vec<WeakDimension> {
    weak_dimensions(lines.q, result)
        .into_iter()
        .map(|pick| WeakDimension {
            title: lines.q.dimensions[pick.dimension].title.clone(),
            percent: format_percent(pick.percent),
            questions: pick.questions.iter().map(|&i| lines.full(i)).collect(),
            badness: pick.badness,
        })
        .collect()
}

/// The respondent's non-blank free-text answers, verbatim, in question order.
fn comments(q: &Questionnaire, response: &Response) -> Vec<Comment> {
    q.questions
        .iter()
        .enumerate()
        .filter_map(|(i, question)| match response.answers.get(i) {
            Some(Answer::Text(text)) if !text.trim().is_empty() => Some(Comment {
                id: question.id.clone(),
                question: question.text.clone(),
                text,
            }),
            _ => None,
        })
        .collect()
}

/// Builds the lines of one response's questions.
struct QuestionLines<'c, 'q> {
    ctx: &'c ReportContext<'c>,
    q: &'q Questionnaire,
    response: &'q Response,
}

impl QuestionLines<'_, '_> {
    /// Question `i` with the answer given, its recommendation and its links (the
    /// question's own, or else its dimension's).
    fn full(&self, i: usize) -> QuestionLine {
        let question = &self.q.questions[i];
        let dimension = &self.q.dimensions[question.dimension];
        let answer = answer_labels(
            self.q,
            i,
            self.response.answers.get(i).as_ref(),
            self.ctx.words,
        );
        let recommendation = question
            .recommendation
            .as_deref()
            .map(|t| {
                self.ctx
                    .recommendations
                    .render(t, &dimension.title, &answer, &question.id)
            })
            .unwrap_or_default();
        let links = if question.links.is_empty() {
            &dimension.links
        } else {
            &question.links
        };
        QuestionLine {
            id: question.id.clone(),
            text: question.text.clone(),
            answer,
            recommendation,
            links: self.ctx.links(links),
        }
    }

    /// Question `i` with the answer given, without recommendation or links.
    fn bare(&self, i: usize) -> QuestionLine {
        let question = &self.q.questions[i];
        QuestionLine {
            id: question.id.clone(),
            text: question.text.clone(),
            answer: answer_labels(
                self.q,
                i,
                self.response.answers.get(i).as_ref(),
                self.ctx.words,
            ),
            recommendation: String::new(),
            links: Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fixtures::*;

    // The JSON a response's report template receives stays as checked in.
    #[test]
    fn response_report_json_snapshot() {
        let manifest = manifest();
        let q = snapshot_questionnaire();
        let response = response(
            &snapshot_answers("We \"need\" #training [soon]."),
            Some("legal"),
        );
        let result = response.score(&q);
        let data = response_report(&context(&manifest), &q, &response, &result);
        let json = without_words(&data);
        assert_snapshot("response.json", &json);
    }
}
