//! The decision part of a report, read first: for a risk assessment the verdict with its
//! reason, what would change it, the must-dos (each with the role that owns it and the
//! stage it is due by), the unknowns to settle and the sign-off; for the other
//! questionnaires the next steps in the two weakest areas.
//!
//! Which must-dos a report names (the rule is the README's "Must-dos"): the must-dos of
//! the raised flags, stop flags first, then by the level they hold the result at, then in
//! the order they were raised; then, until there are [`MUST_DOS_MIN`], the
//! recommendations of the questions that pulled the weakest dimensions down; never more
//! than [`MUST_DOS_MAX`], and never the same sentence twice.

use serde::Serialize;

use super::ReportContext;
use super::selection::{pulled_down, weak_dimensions};
use crate::answers::validate::Response;
use crate::content::manifest::Mark;
use crate::questionnaire::{Ownership, Questionnaire};
use crate::scoring::{INCOMPLETE, RaisedFlag, ScoreResult, format_percent};

/// A report names at least this many must-dos where it has them.
pub const MUST_DOS_MIN: usize = 3;
/// And at most this many: a decision paper asks for a few things, not everything.
pub const MUST_DOS_MAX: usize = 5;
/// Areas a readiness or principles report names as next steps.
pub const NEXT_STEPS: usize = 2;

/// The decision part of a risk report.
#[derive(Debug, Clone, Serialize)]
pub struct Decision {
    /// `proceed`, `proceed-with-conditions` or `do-not-proceed`.
    pub verdict: String,
    /// The verdict as a reader sees it.
    pub verdict_label: String,
    /// The titles of the raised stop flags, most severe first.
    pub stops: Vec<String>,
    /// The titles of the other raised flags (not `incomplete`), most severe first.
    pub conditions: Vec<String>,
    /// Whether a stop flag was raised only because a screening question was left unknown.
    pub stop_from_unknown: bool,
    /// What would change a "do not proceed": the first stop flag's must-do (or message).
    pub change: Option<String>,
    /// The must-dos, most pressing first.
    pub must_dos: Vec<MustDo>,
    /// The screening questions left blank or "Not sure": what to find out first.
    pub unknowns: Vec<Unknown>,
}

/// One thing the report asks someone to do.
#[derive(Debug, Clone, Serialize)]
pub struct MustDo {
    /// The action, one sentence.
    pub text: String,
    /// The role that owns it (label), empty when the definition names none.
    pub owner: String,
    /// The owner's mark in the visual key.
    pub owner_mark: Option<Mark>,
    /// The stage it must be done by (label), empty when the definition names none.
    pub by: String,
    /// What asked for it: a flag id or a question id.
    pub because: String,
}

/// A screening question left unknown.
#[derive(Debug, Clone, Serialize)]
pub struct Unknown {
    /// Question id.
    pub id: String,
    /// Question text.
    pub text: String,
    /// What the unknown raised until it is answered (flag titles).
    pub raises: Vec<String>,
}

/// One of the weakest areas of a readiness or principles response, as a next step.
#[derive(Debug, Clone, Serialize)]
pub struct NextStep {
    /// Dimension title.
    pub title: String,
    /// Its percent, one decimal.
    pub percent: String,
    /// The first thing to do there (its weakest question's recommendation), if any.
    pub action: String,
    /// Who does it (role label), when the definition says.
    pub owner: String,
}

/// The decision part of a risk response's report (`None` for other questionnaires).
pub fn decision(
    ctx: &ReportContext,
    q: &Questionnaire,
    response: &Response,
    result: &ScoreResult,
) -> Option<Decision> {
    let verdict = result.verdict?;
    let flags = by_severity(q, result);
    let title = |f: &RaisedFlag| q.flag_guidance(&f.id).title.unwrap_or_else(|| f.id.clone());
    let stops: Vec<&RaisedFlag> = flags.iter().copied().filter(|f| f.stop).collect();
    let change = stops.first().map(|f| {
        q.flag_guidance(&f.id)
            .must_do
            .unwrap_or_else(|| f.message.clone())
    });
    Some(Decision {
        verdict: verdict.id().to_owned(),
        verdict_label: ctx
            .words
            .get(&format!("verdict.{}", verdict.id()))
            .to_owned(),
        stops: stops.iter().map(|f| title(f)).collect(),
        conditions: flags.iter().filter(|f| !f.stop).map(|f| title(f)).collect(),
        stop_from_unknown: !stops.is_empty() && stops.iter().all(|f| f.unknown),
        change,
        must_dos: must_dos(ctx, q, response, result, &flags),
        unknowns: unknowns(q, result),
    })
}

/// The raised flags other than `incomplete`, most severe first: stop flags, then by the
/// level they hold the result at (highest first), then in the order raised.
fn by_severity<'r>(q: &Questionnaire, result: &'r ScoreResult) -> Vec<&'r RaisedFlag> {
    let floor = |f: &RaisedFlag| {
        let question_floor = f
            .question
            .and_then(|i| q.questions[i].flags.iter().find(|g| g.id == f.id))
            .and_then(|g| g.min_level);
        let rule_floor = f.rule.and_then(|r| q.rules[r].min_level);
        question_floor.max(rule_floor)
    };
    let mut flags: Vec<&RaisedFlag> = result.flags.iter().filter(|f| f.id != INCOMPLETE).collect();
    // A stable sort keeps the order raised among equals.
    flags.sort_by(|a, b| b.stop.cmp(&a.stop).then(floor(b).cmp(&floor(a))));
    flags
}

/// The must-dos: the flags' first, then the weakest questions' recommendations.
fn must_dos(
    ctx: &ReportContext,
    q: &Questionnaire,
    response: &Response,
    result: &ScoreResult,
    flags: &[&RaisedFlag],
) -> Vec<MustDo> {
    let mut list: Vec<MustDo> = Vec::new();
    let push = |list: &mut Vec<MustDo>, text: String, ownership: &Ownership, because: &str| {
        if list.len() < MUST_DOS_MAX && !text.is_empty() && !list.iter().any(|m| m.text == text) {
            list.push(MustDo {
                text,
                owner: ctx.label(&ownership.owner),
                owner_mark: ctx.mark(&ownership.owner),
                by: ctx.label(&ownership.by),
                because: because.to_owned(),
            });
        }
    };
    for flag in flags {
        let guidance = q.flag_guidance(&flag.id);
        if let Some(text) = guidance.must_do {
            push(&mut list, text, &guidance.ownership, &flag.id);
        }
    }
    for pick in weak_dimensions(q, result) {
        for i in pick.questions {
            if list.len() >= MUST_DOS_MIN {
                return list;
            }
            let (text, ownership) = recommendation(ctx, q, response, i);
            push(&mut list, text, &ownership, &q.questions[i].id);
        }
    }
    list
}

/// Question `i`'s recommendation, rendered for this response, and who owns it (the
/// question's owner, else its dimension's).
fn recommendation(
    ctx: &ReportContext,
    q: &Questionnaire,
    response: &Response,
    i: usize,
) -> (String, Ownership) {
    let question = &q.questions[i];
    let dimension = &q.dimensions[question.dimension];
    let answer = super::answer_labels(q, i, response.answers.get(i).as_ref(), ctx.words);
    let text = question
        .recommendation
        .as_deref()
        .map(|t| {
            ctx.recommendations
                .render(t, &dimension.title, &answer, &question.id)
        })
        .unwrap_or_default();
    (text, question.ownership.or(&dimension.ownership))
}

/// The screening questions left unknown, with what each raised.
fn unknowns(q: &Questionnaire, result: &ScoreResult) -> Vec<Unknown> {
    result
        .unknowns
        .iter()
        .map(|&i| {
            let question = &q.questions[i];
            let raises = question
                .flags
                .iter()
                .filter(|f| result.flags.iter().any(|r| r.id == f.id))
                .map(|f| q.flag_guidance(&f.id).title.unwrap_or_else(|| f.id.clone()))
                .collect();
            Unknown {
                id: question.id.clone(),
                text: question.text.clone(),
                raises,
            }
        })
        .collect()
}

/// The two weakest scored dimensions of a readiness or principles response (whatever
/// their percent: a report always names where to go next), with the first thing to do in
/// each. Empty for risk questionnaires, whose decision part says what to do.
pub fn next_steps(
    ctx: &ReportContext,
    q: &Questionnaire,
    response: &Response,
    result: &ScoreResult,
) -> Vec<NextStep> {
    if result.verdict.is_some() {
        return Vec::new();
    }
    let mut scored: Vec<(usize, f64)> = result
        .dimensions
        .iter()
        .enumerate()
        .filter_map(|(d, s)| Some((d, s.percent?)))
        .collect();
    // Lowest first; a stable sort keeps definition order among equals.
    scored.sort_by(|a, b| a.1.total_cmp(&b.1));
    scored
        .into_iter()
        .take(NEXT_STEPS)
        .map(|(d, percent)| {
            let first = pulled_down(q, result, d).into_iter().find_map(|i| {
                let (text, ownership) = recommendation(ctx, q, response, i);
                (!text.is_empty()).then_some((text, ownership))
            });
            let (action, ownership) = first.unwrap_or_default();
            NextStep {
                title: q.dimensions[d].title.clone(),
                percent: format_percent(percent),
                action,
                owner: ctx.label(&ownership.owner),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::questionnaire::{Flag, FlagGuidance};
    use crate::report::fixtures::*;

    fn decide(q: &Questionnaire, answers: &[Option<Answer>]) -> Decision {
        let manifest = manifest();
        let response = response(answers, None);
        let result = response.score(q);
        decision(&context(&manifest), q, &response, &result).expect("a risk verdict")
    }

    use crate::scoring::Answer;

    // A stop flag comes first, with its must-do as what would change the verdict; the
    // flags' must-dos precede the weak questions' recommendations, which fill up to three.
    #[test]
    fn stop_flags_lead_and_recommendations_fill_up() {
        let q = risk_with_guidance();
        // "yes" (0) raises, "no" (2) scores 0 in a risk dimension.
        let d = decide(&q, &[pick(0), pick(2), pick(0), pick(0), pick(0)]);
        assert_eq!(d.verdict, "do-not-proceed");
        assert_eq!(d.stops, ["Banned practice"]);
        assert_eq!(d.conditions, ["Watch"]);
        assert_eq!(d.change.as_deref(), Some("Drop the use."));
        let texts: Vec<&str> = d.must_dos.iter().map(|m| m.text.as_str()).collect();
        assert_eq!(texts, ["Drop the use.", "Watch it.", "Fix d0q2."]);
        assert_eq!(d.must_dos[0].owner, "Managers");
        assert_eq!(d.must_dos[0].by, "Deploy");
        assert_eq!(d.must_dos[1].owner, "Legal advisors");
        // A recommendation is owned by its dimension's owner.
        assert_eq!(d.must_dos[2].owner, "Managers");
        assert_eq!(d.must_dos[2].because, "d0q2");
        assert!(!d.stop_from_unknown);
    }

    // A screening question left blank raises its stop flag, is listed among the unknowns
    // with what it raises, and the verdict says it stands on the unknown.
    #[test]
    fn an_unknown_screening_answer_stops_and_is_listed() {
        let q = risk_with_guidance();
        let d = decide(&q, &[pick(2), None, pick(2), pick(2), pick(2)]);
        assert_eq!(d.verdict, "do-not-proceed");
        assert!(d.stop_from_unknown);
        assert_eq!(d.unknowns.len(), 1);
        assert_eq!(d.unknowns[0].id, "d0q1");
        assert_eq!(d.unknowns[0].raises, ["Banned practice"]);
        // When the facts raise the same stop through a rule, the verdict no longer rests
        // on the unknown alone, and the report does not say it does.
        let d = decide(&q, &[pick(2), None, pick(2), pick(2), pick(0)]);
        assert_eq!(d.verdict, "do-not-proceed");
        assert!(!d.stop_from_unknown);
    }

    // Never more than five must-dos, and never one sentence twice.
    #[test]
    fn must_dos_are_capped_and_unique() {
        let mut q = risk(&[8]);
        for question in &mut q.questions {
            question.flags = vec![Flag {
                id: format!("f-{}", question.id),
                message: "m".into(),
                when: vec![0],
                min_level: None,
                max_level: None,
                stop: false,
                guidance: FlagGuidance {
                    must_do: Some(if question.id == "d0q1" {
                        "Do d0q0.".into()
                    } else {
                        format!("Do {}.", question.id)
                    }),
                    ..FlagGuidance::default()
                },
            }];
        }
        let d = decide(&q, &vec![pick(0); 8]);
        let texts: Vec<&str> = d.must_dos.iter().map(|m| m.text.as_str()).collect();
        assert_eq!(
            texts,
            ["Do d0q0.", "Do d0q2.", "Do d0q3.", "Do d0q4.", "Do d0q5."]
        );
    }

    // A readiness report names its two weakest scored dimensions, even when none is
    // below the weak mark, lowest first.
    #[test]
    fn next_steps_name_the_two_weakest_areas() {
        let q = readiness(3, 1);
        let manifest = manifest();
        // yes (2 of 2), partly (1 of 2), yes: 100, 50, 100.
        let response = response(&[pick(0), pick(1), pick(0)], None);
        let result = response.score(&q);
        let steps = next_steps(&context(&manifest), &q, &response, &result);
        let titles: Vec<&str> = steps.iter().map(|s| s.title.as_str()).collect();
        assert_eq!(titles.len(), NEXT_STEPS);
        assert_eq!(steps[0].percent, "50.0");
        assert_eq!(titles[1], q.dimensions[0].title);
    }
}
