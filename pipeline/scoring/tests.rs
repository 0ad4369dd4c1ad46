//! One test per rule of the published method.

use super::*;
use crate::questionnaire::{Choice, Condition, Dimension, Flag, Level, Mitigation, Question};

fn choice(value: &str, score: f64) -> Choice {
    Choice {
        value: value.into(),
        label: value.to_uppercase(),
        score,
        not_applicable: false,
    }
}

fn na() -> Choice {
    Choice {
        value: "na".into(),
        label: "Not applicable".into(),
        score: 0.0,
        not_applicable: true,
    }
}

fn question(id: &str, dimension: usize, kind: QuestionType, options: Vec<Choice>) -> Question {
    Question::new(id, dimension, kind, options)
}

fn yes_partly_no() -> Vec<Choice> {
    vec![
        choice("yes", 2.0),
        choice("partly", 1.0),
        choice("no", 0.0),
        na(),
    ]
}

fn dimension(id: &str, weight: f64, role: DimensionRole) -> Dimension {
    Dimension {
        id: id.into(),
        title: id.into(),
        weight,
        role,
        description: String::new(),
        links: vec![],
        mark: None,
        ownership: Default::default(),
    }
}

fn levels() -> Vec<Level> {
    [
        ("low", 25.0),
        ("medium", 50.0),
        ("high", 75.0),
        ("very-high", 100.0),
    ]
    .iter()
    .map(|(id, up_to)| Level {
        id: (*id).into(),
        label: id.to_uppercase(),
        up_to: *up_to,
        description: String::new(),
    })
    .collect()
}

fn questionnaire(
    kind: Kind,
    dimensions: Vec<Dimension>,
    questions: Vec<Question>,
) -> Questionnaire {
    Questionnaire {
        id: "q".into(),
        version: "1".into(),
        title: "Q".into(),
        kind,
        description: String::new(),
        instructions: String::new(),
        file: "q.toml".into(),
        checksum: String::new(),
        mitigation: None,
        levels: levels(),
        dimensions,
        questions,
        checks: Vec::new(),
        rules: vec![],
    }
}

fn pick(i: usize) -> Option<Answer> {
    Some(Answer::Choices(vec![i]))
}

fn score(q: &Questionnaire, answers: &[Option<Answer>]) -> ScoreResult {
    score_response(
        q,
        &ScoringInput {
            role: None,
            stage: None,
            answers,
        },
    )
}

// Rule 1: role and stage filters decide applicability; a blank role matches everything.
#[test]
fn applicability_by_role_and_stage() {
    let mut legal = question("a", 0, QuestionType::Single, yes_partly_no());
    legal.roles = vec!["legal".into()];
    let mut deploy = question("b", 0, QuestionType::Single, yes_partly_no());
    deploy.stages = vec!["deploy".into()];
    let q = questionnaire(
        Kind::Readiness,
        vec![dimension("d", 1.0, DimensionRole::Plain)],
        vec![legal, deploy],
    );
    let answers = [pick(0), pick(2)];
    let manager = score_response(
        &q,
        &ScoringInput {
            role: Some("manager"),
            stage: Some("deploy"),
            answers: &answers,
        },
    );
    assert_eq!(manager.applicable, 1);
    assert_eq!(
        manager.dimensions[0].percent,
        Some(0.0),
        "only the deploy question counts"
    );
    let blank = score_response(
        &q,
        &ScoringInput {
            role: None,
            stage: None,
            answers: &answers,
        },
    );
    assert_eq!(blank.applicable, 2);
    assert_eq!(blank.dimensions[0].percent, Some(50.0));
}

// Rule 1: text questions are never scored, but a blank required one is still unanswered.
#[test]
fn text_questions_are_not_scored() {
    let text = question("t", 0, QuestionType::Text, vec![]);
    let q = questionnaire(
        Kind::Readiness,
        vec![dimension("d", 1.0, DimensionRole::Plain)],
        vec![
            question("a", 0, QuestionType::Single, yes_partly_no()),
            text,
        ],
    );
    let result = score(&q, &[pick(0), None]);
    assert_eq!(result.applicable, 1);
    assert_eq!(result.completion, 100.0);
    assert_eq!(result.score, Some(100.0));
    assert_eq!(result.flags.last().unwrap().id, INCOMPLETE);
}

// Rule 2: a not-applicable answer removes the question from both sums.
#[test]
fn not_applicable_removes_question() {
    let q = questionnaire(
        Kind::Readiness,
        vec![dimension("d", 1.0, DimensionRole::Plain)],
        vec![
            question("a", 0, QuestionType::Single, yes_partly_no()),
            question("b", 0, QuestionType::Single, yes_partly_no()),
        ],
    );
    let result = score(&q, &[pick(1), pick(3)]);
    assert_eq!(result.dimensions[0].max, 2.0);
    assert_eq!(result.dimensions[0].percent, Some(50.0));
    assert_eq!(result.answered, 2, "not applicable counts as answered");
    let all_na = score(&q, &[pick(3), pick(3)]);
    assert_eq!(
        all_na.dimensions[0].percent, None,
        "a dimension with maximum 0 is not scored"
    );
    assert_eq!(all_na.score, None);
}

// Rule 2: unanswered questions score the maximum in risk dimensions and 0 elsewhere.
#[test]
fn unanswered_risk_versus_other_dimensions() {
    let mut q = questionnaire(
        Kind::Risk,
        vec![
            dimension("r", 1.0, DimensionRole::Risk),
            dimension("m", 1.0, DimensionRole::Mitigation),
        ],
        vec![
            question("a", 0, QuestionType::Single, yes_partly_no()),
            question("b", 1, QuestionType::Single, yes_partly_no()),
        ],
    );
    q.mitigation = Some(Mitigation {
        threshold: 80.0,
        reduction: 15.0,
    });
    let result = score(&q, &[None, None]);
    assert_eq!(
        result.dimensions[0].percent,
        Some(100.0),
        "risk: unanswered counts as the worst case"
    );
    assert_eq!(
        result.dimensions[1].percent,
        Some(0.0),
        "mitigation: unanswered counts as nothing done"
    );
    assert_eq!(result.completion, 0.0);
}

// Rule 2: multiple answers sum, capped at max; the maximum is the capped sum of all.
#[test]
fn multiple_with_cap() {
    let mut m = question(
        "m",
        0,
        QuestionType::Multiple,
        vec![choice("a", 2.0), choice("b", 2.0), choice("c", 3.0)],
    );
    m.max = Some(4.0);
    let q = questionnaire(
        Kind::Readiness,
        vec![dimension("d", 1.0, DimensionRole::Plain)],
        vec![m],
    );
    let result = score(&q, &[Some(Answer::Choices(vec![0, 2]))]);
    let s = result.questions[0].unwrap();
    assert_eq!((s.achieved, s.max), (4.0, 4.0));
    let result = score(&q, &[Some(Answer::Choices(vec![1]))]);
    assert_eq!(result.dimensions[0].percent, Some(50.0));
    let mut uncapped = q.clone();
    uncapped.questions[0].max = None;
    let s = score(&uncapped, &[Some(Answer::Choices(vec![0, 2]))]).questions[0].unwrap();
    assert_eq!((s.achieved, s.max), (5.0, 7.0));
}

// Rule 4: the score is the weighted mean of scored dimensions.
#[test]
fn weights() {
    let q = questionnaire(
        Kind::Principles,
        vec![
            dimension("a", 3.0, DimensionRole::Plain),
            dimension("b", 1.0, DimensionRole::Plain),
            dimension("c", 5.0, DimensionRole::Plain),
        ],
        vec![
            question("a1", 0, QuestionType::Single, yes_partly_no()),
            question("b1", 1, QuestionType::Single, yes_partly_no()),
            question("c1", 2, QuestionType::Single, yes_partly_no()),
        ],
    );
    let result = score(&q, &[pick(0), pick(2), pick(3)]);
    assert_eq!(result.dimensions[2].percent, None);
    assert_eq!(
        result.score,
        Some(75.0),
        "(100*3 + 0*1) / 4; dimension c is left out"
    );
}

// Rule 4: mitigation reduces the risk score only at or above the threshold.
#[test]
fn mitigation_threshold() {
    let mut q = questionnaire(
        Kind::Risk,
        vec![
            dimension("r", 1.0, DimensionRole::Risk),
            dimension("m", 1.0, DimensionRole::Mitigation),
        ],
        vec![
            question("r1", 0, QuestionType::Single, yes_partly_no()),
            question(
                "m1",
                1,
                QuestionType::Single,
                vec![
                    choice("all", 4.0),
                    choice("most", 3.2),
                    choice("some", 3.0),
                    choice("none", 0.0),
                ],
            ),
        ],
    );
    q.mitigation = Some(Mitigation {
        threshold: 80.0,
        reduction: 15.0,
    });
    let at = score(&q, &[pick(0), pick(1)]);
    assert_eq!(at.mitigation, Some(80.0));
    assert_eq!(at.risk, Some(100.0));
    assert_eq!(
        at.score,
        Some(85.0),
        "exactly at the threshold the reduction applies"
    );
    let below = score(&q, &[pick(0), pick(2)]);
    assert_eq!(below.score, Some(100.0));
    let mut no_mitigation_scored = q.clone();
    no_mitigation_scored.questions[1].options.push(na());
    let result = score(&no_mitigation_scored, &[pick(0), pick(4)]);
    assert_eq!(
        result.mitigation,
        Some(0.0),
        "no mitigation dimension scored counts as 0"
    );
    assert_eq!(result.score, Some(100.0));
}

// Rule 4: the points behind the score are those of the dimensions whose mean makes it:
// every scored dimension of a readiness or principles questionnaire, only the scored risk
// dimensions of a risk one; per question, what rule 2 gave.
#[test]
fn points_behind_the_score() {
    let q = questionnaire(
        Kind::Risk,
        vec![
            dimension("r", 2.0, DimensionRole::Risk),
            dimension("m", 1.0, DimensionRole::Mitigation),
            dimension("s", 1.0, DimensionRole::Risk),
        ],
        vec![
            question("r1", 0, QuestionType::Single, yes_partly_no()),
            question("r2", 0, QuestionType::Single, yes_partly_no()),
            question("m1", 1, QuestionType::Single, yes_partly_no()),
            question("s1", 2, QuestionType::Single, yes_partly_no()),
        ],
    );
    let result = score(&q, &[pick(1), None, pick(0), pick(3)]);
    let points: Vec<_> = result
        .questions
        .iter()
        .map(|s| s.map(|s| (s.achieved, s.max, s.answered, s.not_applicable)))
        .collect();
    assert_eq!(
        points,
        vec![
            Some((1.0, 2.0, true, false)),
            Some((2.0, 2.0, false, false)),
            Some((2.0, 2.0, true, false)),
            Some((0.0, 0.0, true, true)),
        ],
        "a blank risk question gives its full points; not applicable gives none of either"
    );
    assert_eq!(
        score_points(&q, &result),
        Some((3.0, 4.0)),
        "mitigation and the unscored risk dimension are left out"
    );
    assert_eq!(result.score, Some(75.0));
    let all_out = score(&q, &[pick(3), pick(3), pick(0), pick(3)]);
    assert_eq!(score_points(&q, &all_out), None);
    assert_eq!(all_out.score, None);
    let mut plain = q.clone();
    plain.kind = Kind::Readiness;
    for d in &mut plain.dimensions {
        d.role = DimensionRole::Plain;
    }
    let result = score(&plain, &[pick(1), None, pick(0), pick(2)]);
    assert_eq!(score_role(Kind::Readiness), DimensionRole::Plain);
    assert_eq!(
        score_points(&plain, &result),
        Some((3.0, 8.0)),
        "a blank scores 0 outside risk dimensions; every dimension counts"
    );
}

// Rule 5: a score exactly at up_to belongs to that level.
#[test]
fn level_boundaries_are_inclusive() {
    let q = questionnaire(
        Kind::Readiness,
        vec![dimension("d", 1.0, DimensionRole::Plain)],
        vec![],
    );
    assert_eq!(level_for(&q, 0.0), 0);
    assert_eq!(level_for(&q, 25.0), 0);
    assert_eq!(level_for(&q, 25.000001), 1);
    assert_eq!(level_for(&q, 50.0), 1);
    assert_eq!(level_for(&q, 100.0), 3);
}

// Rule 5: flags set floors and ceilings on the level.
#[test]
fn flag_floors_and_ceilings() {
    let mut floor = question(
        "f",
        0,
        QuestionType::Single,
        vec![choice("yes", 0.0), choice("no", 0.0)],
    );
    floor.flags = vec![Flag {
        id: "prohibited".into(),
        message: "m".into(),
        when: vec![0],
        min_level: Some(3),
        max_level: None,
        stop: false,
        guidance: Default::default(),
    }];
    let mut ceiling = question(
        "c",
        0,
        QuestionType::Single,
        vec![choice("yes", 2.0), choice("no", 0.0)],
    );
    ceiling.flags = vec![Flag {
        id: "capped".into(),
        message: "m".into(),
        when: vec![1],
        min_level: None,
        max_level: Some(1),
        stop: false,
        guidance: Default::default(),
    }];
    let q = questionnaire(
        Kind::Risk,
        vec![dimension("r", 1.0, DimensionRole::Risk)],
        vec![floor, ceiling],
    );
    let result = score(&q, &[pick(0), pick(0)]);
    assert_eq!(result.score, Some(100.0));
    assert_eq!(result.level, Some(3));
    let low = score(&q, &[pick(0), pick(1)]);
    assert_eq!(low.score, Some(0.0));
    assert_eq!(low.level_before_flags, Some(0));
    assert_eq!(
        low.level,
        Some(1),
        "floor to very-high, then the later ceiling caps it at medium"
    );
    assert_eq!(
        low.flags.iter().map(|f| f.id.as_str()).collect::<Vec<_>>(),
        ["prohibited", "capped"]
    );
    let none = score(&q, &[pick(1), pick(0)]);
    assert!(none.flags.is_empty());
    assert_eq!(none.level, Some(3), "100 with no flag");
}

// Rule 6: completion counts answered applicable non-text questions; required blanks flag `incomplete`.
#[test]
fn completion_and_incomplete_flag() {
    let mut optional = question("o", 0, QuestionType::Single, yes_partly_no());
    optional.required = false;
    let q = questionnaire(
        Kind::Readiness,
        vec![dimension("d", 1.0, DimensionRole::Plain)],
        vec![
            question("a", 0, QuestionType::Single, yes_partly_no()),
            question("b", 0, QuestionType::Single, yes_partly_no()),
            optional,
        ],
    );
    let result = score(&q, &[pick(0), pick(0), None]);
    assert!((result.completion - 200.0 / 3.0).abs() < 1e-9);
    assert!(
        result.flags.is_empty(),
        "an optional blank does not make a response incomplete"
    );
    let result = score(&q, &[pick(0), None, pick(0)]);
    assert_eq!(result.flags[0].id, INCOMPLETE);
    assert_eq!(result.unanswered, [1]);
    assert_eq!(format_percent(result.completion), "66.7");
}

// A consistency check warns only when every condition holds (a multiple answer holds when
// it includes a named option; a blank never holds), and it changes no score.
#[test]
fn consistency_checks_warn_without_changing_scores() {
    use crate::questionnaire::{Check, Condition};
    let techniques = question(
        "t",
        0,
        QuestionType::Multiple,
        vec![choice("face", 1.0), choice("text", 1.0)],
    );
    let mut q = questionnaire(
        Kind::Readiness,
        vec![dimension("d", 1.0, DimensionRole::Plain)],
        vec![
            techniques,
            question("b", 0, QuestionType::Single, yes_partly_no()),
        ],
    );
    q.checks = vec![Check {
        id: "face-without-biometrics".into(),
        message: "check".into(),
        conditions: vec![
            Condition {
                question: 0,
                options: vec![0],
            },
            Condition {
                question: 1,
                options: vec![2],
            },
        ],
    }];
    let face_and_no = [Some(Answer::Choices(vec![1, 0])), pick(2)];
    assert_eq!(consistency_warnings(&q, &face_and_no), vec![0]);
    assert!(consistency_warnings(&q, &[Some(Answer::Choices(vec![1])), pick(2)]).is_empty());
    assert!(consistency_warnings(&q, &[Some(Answer::Choices(vec![0])), pick(0)]).is_empty());
    assert!(consistency_warnings(&q, &[Some(Answer::Choices(vec![0])), None]).is_empty());
    let mut unchecked = q.clone();
    unchecked.checks.clear();
    assert_eq!(score(&q, &face_and_no), score(&unchecked, &face_and_no));
}

/// A risk questionnaire for method 2: a technique question (face or forecast), a question
/// relevant only to face recognition, a screening question with its flag (yes, no,
/// unsure), and a rule that raises the same flag from the facts, with `stop`.
fn method_two() -> Questionnaire {
    let technique = question(
        "tech",
        0,
        QuestionType::Single,
        vec![choice("face", 2.0), choice("forecast", 0.0)],
    );
    let mut live = question(
        "live",
        0,
        QuestionType::Single,
        vec![choice("live", 2.0), choice("after", 1.0)],
    );
    live.relevant = vec![Condition {
        question: 0,
        options: vec![0],
    }];
    let mut screen = question(
        "screen",
        0,
        QuestionType::Single,
        vec![choice("yes", 2.0), choice("no", 0.0), choice("unsure", 2.0)],
    );
    screen.screening = true;
    screen.flags = vec![Flag {
        id: "rbi".into(),
        message: "m".into(),
        when: vec![0],
        min_level: Some(2),
        max_level: None,
        stop: false,
        guidance: Default::default(),
    }];
    let mut q = questionnaire(
        Kind::Risk,
        vec![dimension("r", 1.0, DimensionRole::Risk)],
        vec![technique, live, screen],
    );
    q.rules = vec![
        crate::questionnaire::Rule {
            id: "rbi".into(),
            message: "from the facts".into(),
            conditions: vec![Condition {
                question: 0,
                options: vec![0],
            }],
            min_level: Some(2),
            max_level: None,
            stop: false,
            guidance: Default::default(),
            line: 1,
        },
        crate::questionnaire::Rule {
            id: "live-ban".into(),
            message: "live use is banned".into(),
            conditions: vec![
                Condition {
                    question: 0,
                    options: vec![0],
                },
                Condition {
                    question: 1,
                    options: vec![0],
                },
            ],
            min_level: Some(3),
            max_level: None,
            stop: true,
            guidance: Default::default(),
            line: 2,
        },
    ];
    q
}

fn ids(result: &ScoreResult) -> Vec<&str> {
    result.flags.iter().map(|f| f.id.as_str()).collect()
}

// Rule 7, relevance: a question whose condition does not hold is not applicable (a
// forecast is not asked whether it is live); a condition on an unanswered question holds.
#[test]
fn relevance_decides_what_applies() {
    let q = method_two();
    let forecast = score(&q, &[pick(1), None, pick(1)]);
    assert_eq!(forecast.applicable_questions, [true, false, true]);
    assert_eq!(forecast.applicable, 2);
    assert!(forecast.questions[1].is_none());
    let unknown = score(&q, &[None, None, pick(1)]);
    assert_eq!(
        unknown.applicable_questions,
        [true, true, true],
        "unknown is not safe"
    );
    // An answer to a question that does not apply is ignored, and raises no rule.
    let ignored = score(&q, &[pick(1), pick(0), pick(1)]);
    assert_eq!(ignored.questions[1], None);
    assert!(!ids(&ignored).contains(&"live-ban"));
}

// Rule 7, unknowns: a screening question left blank or answered "unsure" raises its flag
// and is listed; answered "no", it raises nothing.
#[test]
fn unknown_screening_answers_are_not_safe() {
    let q = method_two();
    for answer in [None, pick(2)] {
        let result = score(&q, &[pick(1), None, answer]);
        assert_eq!(result.unknowns, [2]);
        assert_eq!(ids(&result)[0], "rbi");
        assert!(result.flags[0].unknown);
        assert!(result.level >= Some(2));
    }
    let no = score(&q, &[pick(1), None, pick(1)]);
    assert!(no.unknowns.is_empty());
    assert!(ids(&no).is_empty());
}

// Rule 7, rules: a rule raises its flag from the facts even when the respondent said "no",
// once per id, with a warning naming the rule and the answer; its level bound applies.
#[test]
fn rules_raise_flags_from_facts() {
    let q = method_two();
    let result = score(&q, &[pick(0), pick(1), pick(1)]);
    assert_eq!(ids(&result), ["rbi"]);
    assert_eq!(result.flags[0].rule, Some(0));
    assert_eq!(result.level, Some(2));
    assert_eq!(
        result.contradictions,
        [Contradiction {
            rule: 0,
            question: 2
        }]
    );
    // Said yes and the facts agree: one flag, no contradiction.
    let agreed = score(&q, &[pick(0), pick(1), pick(0)]);
    assert_eq!(ids(&agreed), ["rbi"]);
    assert!(agreed.contradictions.is_empty());
}

// Rule 8: a stop flag means "do not proceed" whatever the score; a raised flag or a level
// above the first means "proceed with conditions"; else "proceed". Not for other kinds.
#[test]
fn verdicts() {
    let q = method_two();
    let stop = score(&q, &[pick(0), pick(0), pick(0)]);
    assert!(stop.flags.iter().any(|f| f.id == "live-ban" && f.stop));
    assert_eq!(stop.verdict, Some(Verdict::DoNotProceed));
    let conditions = score(&q, &[pick(0), pick(1), pick(1)]);
    assert_eq!(conditions.verdict, Some(Verdict::ProceedWithConditions));
    let proceed = score(&q, &[pick(1), None, pick(1)]);
    assert_eq!(proceed.level, Some(0));
    assert_eq!(proceed.verdict, Some(Verdict::Proceed));
    let mut readiness = q.clone();
    readiness.kind = Kind::Readiness;
    readiness.dimensions[0].role = DimensionRole::Plain;
    assert_eq!(
        score(&readiness, &[pick(0), pick(0), pick(0)]).verdict,
        None
    );
}
