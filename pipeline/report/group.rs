//! The per-group report: level distribution, each dimension's mean, minimum and maximum,
//! every question's answer distribution, and the questions where respondents disagree
//! most, over the responses of one group to one questionnaire.

use serde::Serialize;

use super::decision::{MustDo, decision, next_steps};
use super::selection::{
    answer_counts, answer_spread, flag_counts, level_counts, mean, mean_min_max, most_disagreement,
};
use super::{ReportContext, ReportHeader};
use crate::answers::validate::Response;
use crate::questionnaire::{Kind, QuestionType, Questionnaire};
use crate::scoring::Verdict;
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
    /// Risk questionnaires: the group's verdict (the most severe of its responses').
    pub verdict: Option<GroupVerdict>,
    /// The systems the responses name, with counts (most named first).
    pub systems: Vec<(String, usize)>,
    /// One action plan for the group: the responses' must-dos (risk) or next steps
    /// (others), the most asked for first.
    pub action_plan: Vec<PlanItem>,
    /// Screening questions left unknown by at least one response: (id, text, count).
    pub unknowns: Vec<(String, String, usize)>,
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

/// A group's verdict and how its responses' verdicts spread.
#[derive(Debug, Clone, Serialize)]
pub struct GroupVerdict {
    /// The most severe verdict of the group's responses (id).
    pub verdict: String,
    /// As a reader sees it.
    pub label: String,
    /// (verdict label, responses), most severe first, verdicts no response has left out.
    pub counts: Vec<(String, usize)>,
}

/// One item of a group's action plan.
#[derive(Debug, Clone, Serialize)]
pub struct PlanItem {
    /// The action and who owns it, as in a response's report.
    #[serde(flatten)]
    pub must_do: MustDo,
    /// How many of the group's responses ask for it.
    pub responses: usize,
}

/// Items a group's action plan lists at most.
pub const PLAN_ITEMS: usize = 7;

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
        verdict: group_verdict(&results),
        systems: systems(members),
        action_plan: action_plan(ctx, q, members),
        unknowns: unknowns(q, &results),
        response_ids: members.iter().map(|(r, _)| r.id.clone()).collect(),
        higher_is_better: q.kind != Kind::Risk,
    }
}

/// The most severe verdict of the responses, and how many reached each (`None` for
/// questionnaires without verdicts).
fn group_verdict(results: &[&ScoreResult]) -> Option<GroupVerdict> {
    let severity = |v: Verdict| match v {
        Verdict::DoNotProceed => 0,
        Verdict::ProceedWithConditions => 1,
        Verdict::Proceed => 2,
    };
    let worst = results
        .iter()
        .filter_map(|r| r.verdict)
        .min_by_key(|&v| severity(v))?;
    let counts = [
        Verdict::DoNotProceed,
        Verdict::ProceedWithConditions,
        Verdict::Proceed,
    ]
    .into_iter()
    .map(|v| {
        let n = results.iter().filter(|r| r.verdict == Some(v)).count();
        (v.label().to_owned(), n)
    })
    .filter(|(_, n)| *n > 0)
    .collect();
    Some(GroupVerdict {
        verdict: worst.id().to_owned(),
        label: worst.label().to_owned(),
        counts,
    })
}

/// The systems the responses name (blank ones left out), most named first, then by name.
fn systems(members: &[(&Response, &ScoreResult)]) -> Vec<(String, usize)> {
    let mut counts: std::collections::BTreeMap<&str, usize> = Default::default();
    for (response, _) in members {
        let name = response.system.trim();
        if !name.is_empty() {
            *counts.entry(name).or_default() += 1;
        }
    }
    let mut list: Vec<(String, usize)> =
        counts.into_iter().map(|(s, n)| (s.to_owned(), n)).collect();
    list.sort_by_key(|s| std::cmp::Reverse(s.1));
    list
}

/// The group's action plan: every response's must-dos (or, without a verdict, its next
/// steps), the same sentence counted once per response; most asked for first, then in
/// the order first met; at most [`PLAN_ITEMS`].
fn action_plan(
    ctx: &ReportContext,
    q: &Questionnaire,
    members: &[(&Response, &ScoreResult)],
) -> Vec<PlanItem> {
    let mut plan: Vec<PlanItem> = Vec::new();
    for (response, result) in members {
        let items: Vec<MustDo> = match decision(ctx, q, response, result) {
            Some(d) => d.must_dos,
            None => next_steps(ctx, q, response, result)
                .into_iter()
                .filter(|s| !s.action.is_empty())
                .map(|s| MustDo {
                    text: s.action,
                    owner: s.owner,
                    owner_mark: None,
                    by: String::new(),
                    because: s.title,
                })
                .collect(),
        };
        for item in items {
            match plan.iter_mut().find(|p| p.must_do.text == item.text) {
                Some(p) => p.responses += 1,
                None => plan.push(PlanItem {
                    must_do: item,
                    responses: 1,
                }),
            }
        }
    }
    // A stable sort keeps the order first met among equals.
    plan.sort_by_key(|p| std::cmp::Reverse(p.responses));
    plan.truncate(PLAN_ITEMS);
    plan
}

/// The screening questions that responses left unknown, in question order, with how
/// many left each.
fn unknowns(q: &Questionnaire, results: &[&ScoreResult]) -> Vec<(String, String, usize)> {
    q.questions
        .iter()
        .enumerate()
        .filter_map(|(i, question)| {
            let n = results.iter().filter(|r| r.unknowns.contains(&i)).count();
            (n > 0).then(|| (question.id.clone(), question.text.clone(), n))
        })
        .collect()
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
        let json = without_words(&data);
        assert_snapshot("group.json", &json);
    }

    // The group's verdict is its most severe response's, with the spread of verdicts; its
    // action plan counts a must-do once per response that asks for it, most asked first.
    #[test]
    fn group_verdict_and_one_action_plan() {
        let manifest = manifest();
        let q = risk_with_guidance();
        // Stopped by the rule (question 4) and watched (question 0); watched only; clean.
        let answers = [
            [pick(0), pick(2), pick(2), pick(2), pick(0)],
            [pick(0), pick(2), pick(2), pick(2), pick(2)],
            [pick(2), pick(2), pick(2), pick(2), pick(2)],
        ];
        let responses: Vec<Response> = answers.iter().map(|a| response(a, None)).collect();
        let results: Vec<ScoreResult> = responses.iter().map(|r| r.score(&q)).collect();
        let members: Vec<(&Response, &ScoreResult)> = responses.iter().zip(&results).collect();
        let data = group_report(&context(&manifest), &q, "G", &members);
        let verdict = data.verdict.expect("a risk group has a verdict");
        assert_eq!(verdict.verdict, "do-not-proceed");
        assert_eq!(
            verdict.counts,
            [
                ("Do not proceed".to_owned(), 1),
                ("Proceed with conditions".to_owned(), 1),
                ("Proceed".to_owned(), 1)
            ]
        );
        let plan: Vec<(&str, usize)> = data
            .action_plan
            .iter()
            .map(|p| (p.must_do.text.as_str(), p.responses))
            .collect();
        assert_eq!(plan[0], ("Watch it.", 2));
        assert!(plan.contains(&("Drop the use.", 1)), "{plan:?}");
    }
}
