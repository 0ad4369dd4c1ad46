//! The per-group report: level distribution, each dimension's mean, minimum and maximum,
//! every question's answer distribution, and the questions where respondents disagree
//! most, over the responses of one group to one questionnaire.

use serde::Serialize;

use super::selection::{
    answer_counts, answer_spread, flag_counts, level_counts, mean, mean_min_max, most_disagreement,
};
use super::{ReportContext, ReportHeader};
use crate::answers::validate::Response;
use crate::questionnaire::{Kind, QuestionType, Questionnaire};
use crate::scoring::{ScoreResult, format_percent};

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
    /// The dimension's mark in the visual key, if any.
    pub mark: Option<crate::content::manifest::Mark>,
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
    let results: Vec<&ScoreResult> = members.iter().map(|(_, r)| *r).collect();
    let scores: Vec<f64> = results.iter().filter_map(|r| r.score).collect();
    let questions = group_questions(q, members, &results);
    let spreads: Vec<(&str, f64)> = questions
        .iter()
        .map(|g| (g.id.as_str(), g.spread))
        .collect();
    let disagreement = most_disagreement(&spreads)
        .into_iter()
        .map(|i| questions[i].clone())
        .collect();
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
        mean_score: mean(&scores).map_or(String::new(), format_percent),
        levels: level_counts(q, &results),
        dimensions: group_dimensions(q, &results),
        questions,
        disagreement,
        flags: flag_counts(&results),
        response_ids: members.iter().map(|(r, _)| r.id.clone()).collect(),
        higher_is_better: q.kind != Kind::Risk,
    }
}

/// Each dimension's mean, minimum and maximum over the responses that scored it.
fn group_dimensions(q: &Questionnaire, results: &[&ScoreResult]) -> Vec<GroupDimension> {
    q.dimensions
        .iter()
        .enumerate()
        .map(|(d, dim)| {
            let values: Vec<f64> = results
                .iter()
                .filter_map(|r| r.dimensions[d].percent)
                .collect();
            let stats = mean_min_max(&values);
            GroupDimension {
                title: dim.title.clone(),
                mean: stats.map_or(String::new(), |s| format_percent(s.0)),
                min: stats.map_or(String::new(), |s| format_percent(s.1)),
                max: stats.map_or(String::new(), |s| format_percent(s.2)),
                values: stats,
                scored: values.len(),
                mark: dim.mark.clone(),
            }
        })
        .collect()
}

/// Every non-text question's answer distribution and spread, in question order.
fn group_questions(
    q: &Questionnaire,
    members: &[(&Response, &ScoreResult)],
    results: &[&ScoreResult],
) -> Vec<GroupQuestion> {
    q.questions
        .iter()
        .enumerate()
        .filter(|(_, question)| question.kind != QuestionType::Text)
        .map(|(i, question)| {
            let spread = answer_spread(i, results);
            GroupQuestion {
                id: question.id.clone(),
                text: question.text.clone(),
                counts: answer_counts(question, i, members),
                spread,
                spread_text: format!("{:.2}", spread),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fixtures::*;
    use crate::scoring::Answer;

    // The JSON a group's report template receives stays as checked in.
    #[test]
    fn group_report_json_snapshot() {
        let manifest = manifest();
        let q = snapshot_questionnaire();
        let mut yes_and_no_comment = vec![pick(0); 6];
        yes_and_no_comment.push(None);
        let mut all_yes = response(&yes_and_no_comment, Some("manager"));
        all_yes.id = "r-02".into();
        let mut mixed = response(&snapshot_answers(""), Some("legal"));
        mixed.id = "r-03".into();
        let mut several = response(&[], None);
        several.id = "r-04".into();
        several.answers = vec![
            pick(2),
            Some(Answer::Choices(vec![])),
            pick(1),
            pick(3),
            pick(2),
            None,
            None,
        ]
        .into();
        let responses = [all_yes, mixed, several];
        let results: Vec<ScoreResult> = responses.iter().map(|r| r.score(&q)).collect();
        let members: Vec<(&Response, &ScoreResult)> = responses.iter().zip(&results).collect();
        let data = group_report(&context(&manifest), &q, "Group A", &members);
        let json = serde_json::to_string_pretty(&data).expect("serialises");
        assert_snapshot("group.json", &json);
    }
}
