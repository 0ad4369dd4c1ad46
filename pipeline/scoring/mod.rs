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
//! 7. Method 2: before rule 2, a question whose `relevant` condition does not hold is not
//!    applicable (like a question for another role); an item of that condition holds when
//!    its question applies and is unanswered (an unknown is not safe), and never when its
//!    question does not apply. After rule 5, an applicable `screening` question left blank
//!    or answered `unsure` raises its flags as if answered `yes` and is listed among the
//!    unknowns; every `[[rules]]` entry whose condition holds (on answers; a blank answer
//!    holds no item) raises its flag. A flag is listed once per id; every raising clamps
//!    the level, question flags in question order, then rules in definition order. A rule
//!    that raises the flag of a screening question answered `no` adds a warning naming both.
//! 8. Verdict (risk questionnaires): `do-not-proceed` when a raised flag has `stop`; else
//!    `proceed-with-conditions` when the level is above the first or a flag other than
//!    `incomplete` is raised; else `proceed`.
//!
//! Answers to questions that do not apply to the response are ignored. When no dimension
//! (or, for risk, no risk dimension) is scored, the score and level are empty.

use serde::Serialize;

use crate::questionnaire::{Condition, DimensionRole, Kind, Question, QuestionType, Questionnaire};

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
    /// The question that raised it, if any (its answer, or its unknown screening answer).
    pub question: Option<usize>,
    /// The rule that raised it, if a rule did (and no question before it).
    pub rule: Option<usize>,
    /// Raised only because a screening question was left unknown: no answer and no rule
    /// raised it too.
    pub unknown: bool,
    /// The flag stops the use: the verdict is "do not proceed".
    pub stop: bool,
}

/// The decision a risk assessment leads to (SPEC §5 step 8).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    /// Nothing stands in the way.
    Proceed,
    /// The level or a raised flag asks for conditions first.
    ProceedWithConditions,
    /// A raised flag stops the use, whatever the score.
    DoNotProceed,
}

impl Verdict {
    /// The id written in `summary.csv`.
    pub fn id(self) -> &'static str {
        match self {
            Verdict::Proceed => "proceed",
            Verdict::ProceedWithConditions => "proceed-with-conditions",
            Verdict::DoNotProceed => "do-not-proceed",
        }
    }

    /// What a reader sees.
    pub fn label(self) -> &'static str {
        match self {
            Verdict::Proceed => "Proceed",
            Verdict::ProceedWithConditions => "Proceed with conditions",
            Verdict::DoNotProceed => "Do not proceed",
        }
    }
}

/// A rule that raised the flag of a screening question the respondent answered "no".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Contradiction {
    /// The rule (index into the questionnaire's rules).
    pub rule: usize,
    /// The screening question answered "no".
    pub question: usize,
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
    /// Applicable screening questions left blank or answered `unsure`.
    pub unknowns: Vec<usize>,
    /// Rules that contradict a screening answer of "no".
    pub contradictions: Vec<Contradiction>,
    /// The verdict (risk questionnaires only).
    pub verdict: Option<Verdict>,
    /// Which questions apply to this response (role, stage and relevance).
    pub applicable_questions: Vec<bool>,
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
    let mask = q.applicable_mask(input.role, input.stage, &|i| {
        let chosen = chosen_options(input.answers.get(i).and_then(Option::as_ref));
        (!chosen.is_empty()).then(|| chosen.to_vec())
    });
    let mut tally = tally_questions(q, input, &mask);
    let contradictions = raise_rules(q, input, &mask, &mut tally);
    let dimensions = dimension_scores(q, &tally.questions);
    let (risk, mitigation, score) = overall_score(q, &dimensions);
    let level_before_flags = score.map(|s| level_for(q, s));
    let level = level_before_flags.map(|level| clamp_level(level, &tally.clamps));
    let mut flags = tally.flags;
    if let Some(flag) = incomplete_flag(q, &tally.unanswered) {
        flags.push(flag);
    }
    let verdict = (q.kind == Kind::Risk).then(|| verdict(level, &flags));
    ScoreResult {
        unknowns: tally.unknowns,
        contradictions,
        verdict,
        applicable_questions: mask,
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
    unknowns: Vec<usize>,
    answered: usize,
    applicable: usize,
}

impl QuestionTally {
    /// Raises a flag: listed once per id (a later raising can only add `stop`), and every
    /// raising's level bounds clamp the level.
    fn raise(&mut self, flag: RaisedFlag, clamp: LevelClamp) {
        match self.flags.iter_mut().find(|f| f.id == flag.id) {
            Some(raised) => {
                raised.stop |= flag.stop;
                // Raised by an answer or a rule as well: it no longer rests on the unknown.
                raised.unknown &= flag.unknown;
            }
            None => self.flags.push(flag),
        }
        self.clamps.push(clamp);
    }
}

/// Rule 1, 2 and the screening part of 7: scores every applicable question, and collects
/// the raised flags, the level clamps, the blank questions, the unknowns and the
/// completion counts.
fn tally_questions(q: &Questionnaire, input: &ScoringInput, mask: &[bool]) -> QuestionTally {
    let mut tally = QuestionTally {
        questions: Vec::with_capacity(q.questions.len()),
        flags: Vec::new(),
        clamps: Vec::new(),
        unanswered: Vec::new(),
        unknowns: Vec::new(),
        answered: 0,
        applicable: 0,
    };
    for (i, question) in q.questions.iter().enumerate() {
        if !mask[i] {
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
        let unknown = question.screening
            && (chosen.is_empty() || chosen.iter().any(|&c| question.options[c].value == UNSURE));
        if unknown {
            tally.unknowns.push(i);
            let yes = question.options.iter().position(|o| o.value == YES);
            raise_flags(question, i, yes.as_slice(), true, &mut tally);
        } else {
            raise_flags(question, i, chosen, false, &mut tally);
        }
        tally.questions.push(Some(score));
    }
    tally
}

/// The option value of an unknown screening answer.
pub const UNSURE: &str = "unsure";
/// The option value a screening question's flags are raised on.
pub const YES: &str = "yes";
/// The option value of a screening answer that a rule can contradict.
pub const NO: &str = "no";

/// Whether every item of a condition holds on the answers: an applicable question
/// answered with one of the item's options (a blank answer holds no item).
pub fn condition_holds(
    conditions: &[Condition],
    answers: &[Option<Answer>],
    mask: &[bool],
) -> bool {
    conditions.iter().all(|item| {
        mask.get(item.question).copied().unwrap_or(false)
            && chosen_options(answers.get(item.question).and_then(Option::as_ref))
                .iter()
                .any(|c| item.options.contains(c))
    })
}

/// Rule 7, rules: raises the flag of every rule whose condition holds, in definition order,
/// and returns the screening answers of "no" that a raised rule contradicts.
fn raise_rules(
    q: &Questionnaire,
    input: &ScoringInput,
    mask: &[bool],
    tally: &mut QuestionTally,
) -> Vec<Contradiction> {
    let mut contradictions = Vec::new();
    for (r, rule) in q.rules.iter().enumerate() {
        if !condition_holds(&rule.conditions, input.answers, mask) {
            continue;
        }
        tally.raise(
            RaisedFlag {
                id: rule.id.clone(),
                message: rule.message.clone(),
                question: None,
                rule: Some(r),
                unknown: false,
                stop: rule.stop,
            },
            (rule.min_level, rule.max_level),
        );
        for (i, question) in q.questions.iter().enumerate() {
            let said_no = mask[i]
                && question.screening
                && question.flags.iter().any(|f| f.id == rule.id)
                && chosen_options(input.answers.get(i).and_then(Option::as_ref))
                    .iter()
                    .any(|&c| question.options[c].value == NO);
            if said_no {
                contradictions.push(Contradiction {
                    rule: r,
                    question: i,
                });
            }
        }
    }
    contradictions
}

/// Rule 8: the verdict of a risk assessment from its level and raised flags.
fn verdict(level: Option<usize>, flags: &[RaisedFlag]) -> Verdict {
    if flags.iter().any(|f| f.stop) {
        Verdict::DoNotProceed
    } else if level.is_some_and(|l| l > 0) || flags.iter().any(|f| f.id != INCOMPLETE) {
        Verdict::ProceedWithConditions
    } else {
        Verdict::Proceed
    }
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

/// Records every flag of question `i` that the chosen options raise, with its level clamp
/// (`unknown`: raised for a screening question left unknown).
fn raise_flags(
    question: &Question,
    i: usize,
    chosen: &[usize],
    unknown: bool,
    tally: &mut QuestionTally,
) {
    for flag in &question.flags {
        if chosen.iter().any(|c| flag.when.contains(c)) {
            tally.raise(
                RaisedFlag {
                    id: flag.id.clone(),
                    message: flag.message.clone(),
                    question: Some(i),
                    rule: None,
                    unknown,
                    stop: flag.stop,
                },
                (flag.min_level, flag.max_level),
            );
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
            (None, None, weighted_mean(scored(score_role(q.kind))))
        }
        Kind::Risk => {
            let risk = weighted_mean(scored(score_role(q.kind)));
            let mitigation = weighted_mean(scored(DimensionRole::Mitigation)).unwrap_or(0.0);
            let score = risk.map(|r| match q.mitigation {
                Some(rule) if mitigation >= rule.threshold => r * (1.0 - rule.reduction / 100.0),
                _ => r,
            });
            (risk, Some(mitigation), score)
        }
    }
}

/// Rule 4: the role of the dimensions whose weighted mean makes the score: every
/// dimension of a readiness or principles questionnaire, the risk dimensions of a risk
/// questionnaire (its mitigation dimensions can only reduce the score).
pub fn score_role(kind: Kind) -> DimensionRole {
    match kind {
        Kind::Readiness | Kind::Principles => DimensionRole::Plain,
        Kind::Risk => DimensionRole::Risk,
    }
}

/// The points behind a response's score: achieved and maximum, summed over the scored
/// dimensions (maximum above 0) whose weighted mean makes the score (see [`score_role`]);
/// `None` when none of them is scored. They give the score only when those dimensions
/// all weigh the same and hold the same maximum: the score averages percents, not points.
pub fn score_points(q: &Questionnaire, result: &ScoreResult) -> Option<(f64, f64)> {
    let role = score_role(q.kind);
    let (achieved, max) = q
        .dimensions
        .iter()
        .zip(&result.dimensions)
        .filter(|(d, s)| d.role == role && s.percent.is_some())
        .fold((0.0, 0.0), |(a, m), (_, s)| (a + s.achieved, m + s.max));
    (max > 0.0).then_some((achieved, max))
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
            rule: None,
            unknown: false,
            stop: false,
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

/// A warning of a response: a failed consistency check, or a rule that contradicts a
/// screening answer of "no". Warnings never change a score, level or flag.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Warning {
    /// Its id in `summary.csv`: the check's id, or `<flag id>-contradicts-<question id>`.
    pub id: String,
    /// What the respondent should look at again.
    pub message: String,
}

/// Every warning of a response: the consistency checks it fails, in definition order,
/// then the contradictions between rules and screening answers of "no".
pub fn warnings(
    q: &Questionnaire,
    answers: &[Option<Answer>],
    result: &ScoreResult,
    words: &crate::words::Words,
) -> Vec<Warning> {
    let checks = consistency_warnings(q, answers)
        .into_iter()
        .map(|i| Warning {
            id: q.checks[i].id.clone(),
            message: q.checks[i].message.clone(),
        });
    let contradictions = result.contradictions.iter().map(|c| {
        let rule = &q.rules[c.rule];
        let question = &q.questions[c.question];
        Warning {
            id: format!("{}-contradicts-{}", rule.id, question.id),
            message: words.fill(
                "report.contradiction",
                &[("question", &question.id), ("message", &rule.message)],
            ),
        }
    });
    checks.chain(contradictions).collect()
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
