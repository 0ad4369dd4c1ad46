//! The published scoring method (SPEC §5), as pure functions over the question model.
//!
//! 1. Applicable questions: `roles`/`stages` empty or holding the response's role/stage
//!    (a blank role or stage matches every question). Text questions are never scored.
//! 2. Per question: single = the chosen option's score out of the highest option score;
//!    multiple = the sum of chosen scores out of the sum of all scores, both capped at
//!    `max`; a not-applicable answer removes the question; an unanswered question counts
//!    as its maximum in a risk dimension and as 0 elsewhere, and still counts in the maximum.
//! 3. Dimension percent = 100 × achieved / maximum; a dimension with maximum 0 is not scored.
//! 4. Score: the weighted mean of scored dimensions (readiness, principles); for risk, the
//!    weighted mean of risk dimensions, reduced by `reduction` % when the weighted mean of
//!    mitigation dimensions (0 if none is scored) reaches `threshold`.
//! 5. Level: the first level whose `up_to` ≥ score (unrounded); then each raised flag, in
//!    question order, clamps it to no lower than its `min_level` and no higher than its
//!    `max_level`.
//! 6. Completion = 100 × answered / applicable non-text questions (100 when there are
//!    none); an unanswered required applicable question (text included) raises `incomplete`.
//!
//! Answers to questions that do not apply to the response's role and stage are ignored.
//! When no dimension (or, for risk, no risk dimension) is scored, the score and level are
//! empty.

use serde::Serialize;

use crate::questionnaire::{DimensionRole, Kind, Question, QuestionType, Questionnaire};

/// The flag raised by a response with an unanswered required question.
pub const INCOMPLETE: &str = "incomplete";

/// One question's answer, already matched against the definition.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Answer {
    /// Indices of the chosen options (one for single questions).
    Choices(Vec<usize>),
    /// Free text.
    Text(String),
}

/// A response ready to score: role, stage and one optional answer per question (in the
/// questionnaire's question order).
#[derive(Debug, Clone, PartialEq)]
pub struct ScoringInput<'a> {
    /// Role id, if given.
    pub role: Option<&'a str>,
    /// Stage id, if given.
    pub stage: Option<&'a str>,
    /// Answers by question index.
    pub answers: &'a [Option<Answer>],
}

/// How one question scored.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct QuestionScore {
    /// Points achieved (after the unanswered rule).
    pub achieved: f64,
    /// Points possible.
    pub max: f64,
    /// Whether the respondent answered it.
    pub answered: bool,
    /// Whether the answer was "not applicable" (then both sums skip it).
    pub not_applicable: bool,
}

/// How one dimension scored.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct DimensionScore {
    /// Sum of achieved points.
    pub achieved: f64,
    /// Sum of possible points.
    pub max: f64,
    /// Percent, or `None` when the dimension is not scored (maximum 0).
    pub percent: Option<f64>,
}

/// A raised flag.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RaisedFlag {
    /// Flag id (`incomplete` for the completion flag).
    pub id: String,
    /// What it means.
    pub message: String,
    /// The question that raised it, if any.
    pub question: Option<usize>,
}

/// The result of scoring one response.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScoreResult {
    /// Per question (same order as the definition); `None` for text or non-applicable ones.
    pub questions: Vec<Option<QuestionScore>>,
    /// Per dimension (same order as the definition).
    pub dimensions: Vec<DimensionScore>,
    /// Risk questionnaires: the weighted mean of risk dimensions.
    pub risk: Option<f64>,
    /// Risk questionnaires: the weighted mean of mitigation dimensions (0 if none scored).
    pub mitigation: Option<f64>,
    /// The score, percent.
    pub score: Option<f64>,
    /// The level (index into the questionnaire's levels) after flags.
    pub level: Option<usize>,
    /// The level from the score alone, before flags.
    pub level_before_flags: Option<usize>,
    /// Raised flags: question flags in question order, then `incomplete`.
    pub flags: Vec<RaisedFlag>,
    /// Percent of applicable non-text questions answered.
    pub completion: f64,
    /// Applicable non-text questions answered.
    pub answered: usize,
    /// Applicable non-text questions.
    pub applicable: usize,
    /// Applicable questions left blank (text included).
    pub unanswered: Vec<usize>,
}

/// The weighted mean of `(value, weight)` pairs, `None` when there are none.
fn weighted_mean(values: impl Iterator<Item = (f64, f64)>) -> Option<f64> {
    let (sum, weights) = values.fold((0.0, 0.0), |(s, w), (v, wt)| (s + v * wt, w + wt));
    (weights > 0.0).then(|| sum / weights)
}

/// The first level whose `up_to` is at or above the score.
pub fn level_for(q: &Questionnaire, score: f64) -> usize {
    q.levels
        .iter()
        .position(|l| l.up_to >= score)
        .unwrap_or(q.levels.len().saturating_sub(1))
}

/// Scores one response with the published method.
pub fn score_response(q: &Questionnaire, input: &ScoringInput) -> ScoreResult {
    let tally = tally_questions(q, input);
    let dimensions = dimension_scores(q, &tally.questions);
    let (risk, mitigation, score) = overall_score(q, &dimensions);
    let level_before_flags = score.map(|s| level_for(q, s));
    let level = level_before_flags.map(|level| clamp_level(level, &tally.clamps));
    let mut flags = tally.flags;
    if let Some(flag) = incomplete_flag(q, &tally.unanswered) {
        flags.push(flag);
    }
    ScoreResult {
        questions: tally.questions,
        dimensions,
        risk,
        mitigation,
        score,
        level,
        level_before_flags,
        flags,
        completion: completion_percent(tally.answered, tally.applicable),
        answered: tally.answered,
        applicable: tally.applicable,
        unanswered: tally.unanswered,
    }
}

/// A level bound raised by a flag: no lower than the first, no higher than the second.
type LevelClamp = (Option<usize>, Option<usize>);

/// What one pass over the questions finds (rules 1, 2 and the counts of rule 6).
struct QuestionTally {
    questions: Vec<Option<QuestionScore>>,
    flags: Vec<RaisedFlag>,
    clamps: Vec<LevelClamp>,
    unanswered: Vec<usize>,
    answered: usize,
    applicable: usize,
}

/// Rule 1 and 2: scores every applicable question, and collects the raised flags, the
/// level clamps, the blank questions and the completion counts.
fn tally_questions(q: &Questionnaire, input: &ScoringInput) -> QuestionTally {
    let mut tally = QuestionTally {
        questions: Vec::with_capacity(q.questions.len()),
        flags: Vec::new(),
        clamps: Vec::new(),
        unanswered: Vec::new(),
        answered: 0,
        applicable: 0,
    };
    for (i, question) in q.questions.iter().enumerate() {
        if !question.applies_to(input.role, input.stage) {
            tally.questions.push(None);
            continue;
        }
        let answer = input.answers.get(i).and_then(Option::as_ref);
        if is_blank(answer) {
            tally.unanswered.push(i);
        }
        if question.kind == QuestionType::Text {
            tally.questions.push(None);
            continue;
        }
        tally.applicable += 1;
        let chosen = chosen_options(answer);
        let risky = q.dimensions[question.dimension].role == DimensionRole::Risk;
        let score = question_score(question, chosen, risky);
        if score.answered {
            tally.answered += 1;
        }
        raise_flags(question, i, chosen, &mut tally);
        tally.questions.push(Some(score));
    }
    tally
}

/// Whether an answer counts as left blank (no choice, or only whitespace).
fn is_blank(answer: Option<&Answer>) -> bool {
    match answer {
        None => true,
        Some(Answer::Text(text)) => text.trim().is_empty(),
        Some(Answer::Choices(chosen)) => chosen.is_empty(),
    }
}

/// The chosen options of an answer; empty for a blank or text answer.
fn chosen_options(answer: Option<&Answer>) -> &[usize] {
    match answer {
        Some(Answer::Choices(chosen)) if !chosen.is_empty() => chosen,
        _ => &[],
    }
}

/// Rule 2: one question's achieved and maximum points. `risky` says whether the question
/// belongs to a risk dimension (where a blank counts as the maximum).
fn question_score(question: &Question, chosen: &[usize], risky: bool) -> QuestionScore {
    let max = match question.kind {
        QuestionType::Multiple => question.max_multiple_score(),
        _ => question.max_option_score(),
    };
    if chosen.is_empty() {
        return QuestionScore {
            achieved: if risky { max } else { 0.0 },
            max,
            answered: false,
            not_applicable: false,
        };
    }
    if chosen.iter().any(|&c| question.options[c].not_applicable) {
        return QuestionScore {
            achieved: 0.0,
            max: 0.0,
            answered: true,
            not_applicable: true,
        };
    }
    let sum: f64 = chosen.iter().map(|&c| question.options[c].score).sum();
    let achieved = match (question.kind, question.max) {
        (QuestionType::Multiple, Some(cap)) => sum.min(cap),
        _ => sum,
    };
    QuestionScore {
        achieved,
        max,
        answered: true,
        not_applicable: false,
    }
}

/// Records every flag of question `i` that the chosen options raise, with its level clamp.
fn raise_flags(question: &Question, i: usize, chosen: &[usize], tally: &mut QuestionTally) {
    for flag in &question.flags {
        if chosen.iter().any(|c| flag.when.contains(c)) {
            tally.flags.push(RaisedFlag {
                id: flag.id.clone(),
                message: flag.message.clone(),
                question: Some(i),
            });
            tally.clamps.push((flag.min_level, flag.max_level));
        }
    }
}

/// Rule 3: sums the question scores per dimension and turns them into percents.
fn dimension_scores(q: &Questionnaire, questions: &[Option<QuestionScore>]) -> Vec<DimensionScore> {
    let mut dimensions = vec![
        DimensionScore {
            achieved: 0.0,
            max: 0.0,
            percent: None
        };
        q.dimensions.len()
    ];
    for (question, score) in q.questions.iter().zip(questions) {
        if let Some(score) = score {
            let dim = &mut dimensions[question.dimension];
            dim.achieved += score.achieved;
            dim.max += score.max;
        }
    }
    for dim in &mut dimensions {
        dim.percent = (dim.max > 0.0).then(|| 100.0 * dim.achieved / dim.max);
    }
    dimensions
}

/// Rule 4: the risk, mitigation and score of a response from its dimension percents.
fn overall_score(
    q: &Questionnaire,
    dimensions: &[DimensionScore],
) -> (Option<f64>, Option<f64>, Option<f64>) {
    let scored = |role: DimensionRole| {
        q.dimensions
            .iter()
            .zip(dimensions)
            .filter(move |(d, _)| d.role == role)
            .filter_map(|(d, s)| s.percent.map(|p| (p, d.weight)))
    };
    match q.kind {
        Kind::Readiness | Kind::Principles => {
            (None, None, weighted_mean(scored(DimensionRole::Plain)))
        }
        Kind::Risk => {
            let risk = weighted_mean(scored(DimensionRole::Risk));
            let mitigation = weighted_mean(scored(DimensionRole::Mitigation)).unwrap_or(0.0);
            let score = risk.map(|r| match q.mitigation {
                Some(rule) if mitigation >= rule.threshold => r * (1.0 - rule.reduction / 100.0),
                _ => r,
            });
            (risk, Some(mitigation), score)
        }
    }
}

/// Rule 5: applies each raised flag's bounds to the level, in question order.
fn clamp_level(mut level: usize, clamps: &[LevelClamp]) -> usize {
    for &(min, max) in clamps {
        if let Some(min) = min {
            level = level.max(min);
        }
        if let Some(max) = max {
            level = level.min(max);
        }
    }
    level
}

/// Rule 6: the `incomplete` flag, when a required applicable question was left blank.
fn incomplete_flag(q: &Questionnaire, unanswered: &[usize]) -> Option<RaisedFlag> {
    unanswered
        .iter()
        .any(|&i| q.questions[i].required)
        .then(|| RaisedFlag {
            id: INCOMPLETE.to_owned(),
            message: "At least one required question was left unanswered; missing answers never improve a result.".to_owned(),
            question: None,
        })
}

/// Rule 6: percent of applicable non-text questions answered (100 when there are none).
fn completion_percent(answered: usize, applicable: usize) -> f64 {
    if applicable == 0 {
        100.0
    } else {
        100.0 * answered as f64 / applicable as f64
    }
}

/// A percent with one decimal, as reports and summaries print it.
pub fn format_percent(value: f64) -> String {
    format!("{value:.1}")
}

/// The consistency checks a response fails (indices into the questionnaire's checks, in
/// definition order): every condition holds, that is each named question's answer includes
/// one of the named options. An unanswered question never fails a check. Warnings never
/// change a score, a level or a flag.
pub fn consistency_warnings(q: &Questionnaire, answers: &[Option<Answer>]) -> Vec<usize> {
    let holds = |condition: &crate::questionnaire::Condition| match answers.get(condition.question)
    {
        Some(Some(Answer::Choices(chosen))) => chosen.iter().any(|c| condition.options.contains(c)),
        _ => false,
    };
    q.checks
        .iter()
        .enumerate()
        .filter(|(_, check)| check.conditions.iter().all(holds))
        .map(|(i, _)| i)
        .collect()
}

#[cfg(test)]
mod tests;
