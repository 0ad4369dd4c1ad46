//! The method annex of a per-response report: how this response's score was reached, in
//! numbers a reader can check by hand (SPEC §5). Per applicable scored question, grouped
//! by dimension: the answer given, the points it gave and the most it could give (a blank
//! gives 0, or the full points in a risk dimension; "not applicable" leaves the question
//! out of both sums). Per dimension: points, maximum, percent and weight. Then the level
//! thresholds in percent and in points (see [`Annex::max_points`] for what points mean).

use serde::Serialize;

use super::answer_labels;
use crate::questionnaire::{DimensionRole, Kind, Question, QuestionType, Questionnaire};
use crate::scoring::{
    Answer, QuestionScore, ScoreResult, format_percent, score_points, score_role,
};
use crate::words::Words;

/// The method annex of one response's report.
#[derive(Debug, Clone, Serialize)]
pub struct Annex {
    /// The dimensions, in definition order, each with its applicable scored questions.
    pub dimensions: Vec<AnnexDimension>,
    /// How the score follows from the dimensions' percents, one line per step: the
    /// weighted means as sums, then (risk) the mitigation rule.
    pub steps: Vec<String>,
    /// Points achieved over the dimensions that make the score (see `max_points`), empty
    /// when none of them is scored.
    pub points: String,
    /// The most points this response could score over the dimensions that make the score
    /// (every dimension, or the risk dimensions of a risk questionnaire), its questions
    /// that apply and were not answered "not applicable"; empty when none is scored. A
    /// level's threshold in points is its percent of this.
    pub max_points: String,
    /// The level thresholds, lowest first.
    pub levels: Vec<AnnexLevel>,
    /// Whether the questionnaire has rules, which raise flags from the facts given.
    pub rules: bool,
    /// Whether the questionnaire has screening questions.
    pub screening: bool,
}

/// One dimension in the annex.
#[derive(Debug, Clone, Serialize)]
pub struct AnnexDimension {
    /// Title.
    pub title: String,
    /// `risk`, `mitigation` or empty.
    pub role: String,
    /// Weight in its mean.
    pub weight: String,
    /// Points achieved.
    pub points: String,
    /// Points possible.
    pub max: String,
    /// Percent, one decimal; `None` when not scored (no points possible).
    pub percent: Option<String>,
    /// Its applicable scored questions, in definition order.
    pub questions: Vec<AnnexQuestion>,
}

/// One applicable scored question in the annex.
#[derive(Debug, Clone, Serialize)]
pub struct AnnexQuestion {
    /// Id, as every format of the questionnaire shows it.
    pub id: String,
    /// The answer given (labels), or "no answer".
    pub answer: String,
    /// Points it gave; `None` when it is left out ("not applicable").
    pub points: Option<String>,
    /// The most it could give; `None` when it is left out.
    pub max: Option<String>,
    /// Why the points are what they are, when the answer alone does not say: a blank, a
    /// "not applicable", a cap, an unknown screening answer. Empty otherwise.
    pub note: String,
}

/// A level's threshold.
#[derive(Debug, Clone, Serialize)]
pub struct AnnexLevel {
    /// Label.
    pub label: String,
    /// Inclusive upper bound of the score, percent, one decimal.
    pub up_to: String,
    /// The same bound as points out of `Annex::max_points`, one decimal; empty when the
    /// response has no points to count.
    pub up_to_points: String,
    /// Whether the score falls in this level (before flags).
    pub scored: bool,
}

/// The method annex of a response's report.
pub fn annex(
    q: &Questionnaire,
    answers: &[Option<Answer>],
    result: &ScoreResult,
    words: &Words,
) -> Annex {
    let points = score_points(q, result);
    let levels = q
        .levels
        .iter()
        .enumerate()
        .map(|(i, level)| AnnexLevel {
            label: level.label.clone(),
            up_to: format_percent(level.up_to),
            up_to_points: points.map_or(String::new(), |(_, max)| {
                format!("{:.1}", level.up_to / 100.0 * max)
            }),
            scored: result.level_before_flags == Some(i),
        })
        .collect();
    Annex {
        dimensions: annex_dimensions(q, answers, result, words),
        steps: score_steps(q, result, words),
        points: points.map_or(String::new(), |(achieved, _)| format_points(achieved)),
        max_points: points.map_or(String::new(), |(_, max)| format_points(max)),
        levels,
        rules: !q.rules.is_empty(),
        screening: q.questions.iter().any(|question| question.screening),
    }
}

/// Every dimension with its sums and its applicable scored questions.
fn annex_dimensions(
    q: &Questionnaire,
    answers: &[Option<Answer>],
    result: &ScoreResult,
    words: &Words,
) -> Vec<AnnexDimension> {
    q.dimensions
        .iter()
        .zip(&result.dimensions)
        .enumerate()
        .map(|(d, (dimension, sums))| AnnexDimension {
            title: dimension.title.clone(),
            role: match dimension.role {
                DimensionRole::Risk => words.get("annex.role-risk").to_owned(),
                DimensionRole::Mitigation => words.get("annex.role-mitigation").to_owned(),
                DimensionRole::Plain => String::new(),
            },
            weight: format_points(dimension.weight),
            points: format_points(sums.achieved),
            max: format_points(sums.max),
            percent: sums.percent.map(format_percent),
            questions: q
                .questions
                .iter()
                .enumerate()
                .filter(|(_, question)| question.dimension == d)
                .filter_map(|(i, question)| {
                    let score = result.questions.get(i).copied().flatten()?;
                    let answer = answers.get(i).and_then(Option::as_ref);
                    let unknown = result.unknowns.contains(&i);
                    Some(annex_question(
                        q,
                        (i, question),
                        answer,
                        (score, unknown),
                        words,
                    ))
                })
                .collect(),
        })
        .collect()
}

/// One question's line: its answer, points and, where needed, why.
fn annex_question(
    q: &Questionnaire,
    (i, question): (usize, &Question),
    answer: Option<&Answer>,
    (score, unknown): (QuestionScore, bool),
    words: &Words,
) -> AnnexQuestion {
    let risky = q.dimensions[question.dimension].role == DimensionRole::Risk;
    let mut notes = Vec::new();
    if score.not_applicable {
        notes.push(words.get("annex.note-not-applicable").to_owned());
    } else if !score.answered {
        notes.push(if risky {
            words.get("annex.note-blank-full").to_owned()
        } else {
            words.get("annex.note-blank-zero").to_owned()
        });
    } else if let (QuestionType::Multiple, Some(Answer::Choices(chosen))) = (question.kind, answer)
    {
        let sum: f64 = chosen.iter().map(|&c| question.options[c].score).sum();
        if sum > score.achieved {
            notes.push(words.fill(
                "annex.note-capped",
                &[
                    ("sum", &words.number(&format_points(sum))),
                    ("points", &words.number(&format_points(score.achieved))),
                ],
            ));
        }
    }
    if unknown {
        notes.push(words.get("annex.note-unknown").to_owned());
    }
    let (points, max) = if score.not_applicable {
        (None, None)
    } else {
        (
            Some(format_points(score.achieved)),
            Some(format_points(score.max)),
        )
    };
    AnnexQuestion {
        id: question.id.clone(),
        answer: answer_labels(q, i, answer),
        points,
        max,
        note: notes.join(words.get("annex.note-separator")),
    }
}

/// How the score follows from the dimensions' percents (SPEC §5 step 4), in lines a
/// reader can redo: "Score = (75.0 + 33.3) ÷ 2 = 54.2 %"; for a risk questionnaire the
/// risk and mitigation means, then whether the mitigation rule reduced the risk.
fn score_steps(q: &Questionnaire, result: &ScoreResult, words: &Words) -> Vec<String> {
    let mean = |name: &str, role: DimensionRole, value: Option<f64>| {
        let terms: Vec<(f64, f64)> = q
            .dimensions
            .iter()
            .zip(&result.dimensions)
            .filter(|(d, _)| d.role == role)
            .filter_map(|(d, s)| s.percent.map(|p| (p, d.weight)))
            .collect();
        weighted_mean_line(words.get(name), &terms, value, words)
    };
    if q.kind != Kind::Risk {
        return vec![mean("annex.name-score", score_role(q.kind), result.score)];
    }
    let mut steps = vec![mean("annex.name-risk", DimensionRole::Risk, result.risk)];
    let (Some(rule), Some(risk), Some(mitigation), Some(score)) =
        (q.mitigation, result.risk, result.mitigation, result.score)
    else {
        return steps;
    };
    steps.push(mean(
        "annex.name-mitigation",
        DimensionRole::Mitigation,
        Some(mitigation),
    ));
    let number = |text: String| words.number(&text);
    let (threshold, reduction) = (
        number(format_points(rule.threshold)),
        number(format_points(rule.reduction)),
    );
    steps.push(if mitigation >= rule.threshold {
        words.fill(
            "annex.step-reduced",
            &[
                ("threshold", &threshold),
                ("reduction", &reduction),
                ("risk", &number(format_percent(risk))),
                (
                    "factor",
                    &number(format_points(1.0 - rule.reduction / 100.0)),
                ),
                ("score", &number(format_percent(score))),
            ],
        )
    } else {
        words.fill(
            "annex.step-not-reduced",
            &[
                ("threshold", &threshold),
                ("score", &number(format_percent(score))),
            ],
        )
    });
    steps
}

/// A weighted mean as a sum a reader can redo: "Risk = (66.7 × 2 + 12.5 × 1) ÷ 3 =
/// 48.6 %", the weights left out when they are all 1; with one term, that it is that
/// dimension's percent; with none, that it is not scored (a mitigation mean with no term
/// counts as 0).
fn weighted_mean_line(
    name: &str,
    terms: &[(f64, f64)],
    value: Option<f64>,
    words: &Words,
) -> String {
    let percent = |value: f64| words.number(&format_percent(value));
    let Some(value) = value.filter(|_| !terms.is_empty()) else {
        return match value {
            Some(value) => words.fill(
                "annex.step-none-counts",
                &[("name", name), ("value", &percent(value))],
            ),
            None => words.fill("annex.step-none", &[("name", name)]),
        };
    };
    if terms.len() == 1 {
        return words.fill(
            "annex.step-only",
            &[("name", name), ("value", &percent(value))],
        );
    }
    let weighted = terms.iter().any(|&(_, w)| w != 1.0);
    let sum: Vec<String> = terms
        .iter()
        .map(|&(p, w)| match weighted {
            true => format!("{} × {}", percent(p), words.number(&format_points(w))),
            false => percent(p),
        })
        .collect();
    let weights: f64 = terms.iter().map(|&(_, w)| w).sum();
    words.fill(
        "annex.step-mean",
        &[
            ("name", name),
            ("terms", &sum.join(" + ")),
            ("weights", &words.number(&format_points(weights))),
            ("value", &percent(value)),
        ],
    )
}

/// Points as a person writes them: whole numbers without decimals, others with at most
/// two (`4`, `1.5`, `0.25`).
pub fn format_points(value: f64) -> String {
    let text = format!("{value:.2}");
    text.trim_end_matches('0').trim_end_matches('.').to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::questionnaire::Choice;
    use crate::report::fixtures::*;

    // Points print as a person writes them.
    #[test]
    fn points_in_words() {
        assert_eq!(format_points(4.0), "4");
        assert_eq!(format_points(0.0), "0");
        assert_eq!(format_points(1.5), "1.5");
        assert_eq!(format_points(2.0 / 3.0), "0.67");
        assert_eq!(format_points(10.0), "10");
    }

    // Each applicable scored question shows what SPEC §5 gives it: a blank counts as the
    // full points in a risk dimension, "not applicable" leaves it out, a cap holds a
    // multiple answer down; questions that do not apply and text questions are not listed.
    #[test]
    fn questions_show_their_points() {
        let mut q = risk_with_mitigation();
        q.questions.push(question("r2", 0));
        q.questions.push(Question {
            roles: vec!["manager".into()],
            ..question("r3", 0)
        });
        q.questions.push(text_question("note", 0));
        let options: Vec<Choice> = ["a", "b", "c"].iter().map(|v| choice(v, 2.0)).collect();
        q.questions.push(Question {
            max: Some(3.0),
            ..Question::new("m2", 1, QuestionType::Multiple, options)
        });
        let answers = vec![
            None,
            pick(3),
            pick(1),
            pick(0),
            None,
            Some(Answer::Choices(vec![0, 2])),
        ];
        let result = response(&answers, Some("legal")).score(&q);
        let annex = annex(&q, &answers, &result, Words::built_in());
        let line = |id: &str| {
            let all = annex.dimensions.iter().flat_map(|d| &d.questions);
            all.clone().find(|x| x.id == id).unwrap().clone()
        };
        let points = |id: &str| {
            let line = line(id);
            (line.points, line.max, line.note)
        };
        let some = |p: &str, m: &str, note: &str| (Some(p.into()), Some(m.into()), note.into());
        let risk = &annex.dimensions[0];
        let ids: Vec<&str> = risk.questions.iter().map(|x| x.id.as_str()).collect();
        assert_eq!(
            ids,
            ["r", "r2"],
            "r3 is for managers only; text scores nothing"
        );
        assert_eq!(line("r").answer, "no answer");
        assert_eq!(
            points("r"),
            some("2", "2", "blank: counts as the full points")
        );
        assert_eq!(points("r2"), some("1", "2", ""));
        assert_eq!(
            points("m"),
            (None, None, "left out of both sums".into()),
            "not applicable: no points"
        );
        assert_eq!(points("m2"), some("3", "3", "4 capped at 3"));
        assert_eq!((risk.points.as_str(), risk.max.as_str()), ("3", "4"));
        assert_eq!(risk.percent.as_deref(), Some("75.0"));
        assert_eq!(risk.weight, "1");
        assert_eq!(
            (annex.points.as_str(), annex.max_points.as_str()),
            ("3", "4")
        );
    }

    // The steps from the dimensions' percents to the score are sums a reader can redo:
    // weights shown where they differ from 1, and the mitigation rule in words.
    #[test]
    fn steps_to_the_score() {
        let q = risk_with_mitigation();
        let reduced = score_with(&q, &[pick(1), pick(0)]);
        assert_eq!(
            annex(&q, &[pick(1), pick(0)], &reduced, Words::built_in()).steps,
            [
                "Risk = 50.0 %, the percent of its only scored dimension",
                "Mitigation = 100.0 %, the percent of its only scored dimension",
                "Mitigation reaches the 80 % threshold, so the score is the risk less 15 %: 50.0 × 0.85 = 42.5 %.",
            ]
        );
        let answers = [pick(1), pick(3)];
        let kept = score_with(&q, &answers);
        assert_eq!(
            annex(&q, &answers, &kept, Words::built_in()).steps[1..],
            [
                "Mitigation: no dimension is scored, so it counts as 0.0 %.",
                "Mitigation is below the 80 % threshold, so the score is the risk: 50.0 %.",
            ]
        );
        let mut q = readiness(2, 1);
        q.dimensions[0].weight = 2.0;
        let answers = [pick(0), pick(1)];
        let result = score_with(&q, &answers);
        assert_eq!(
            annex(&q, &answers, &result, Words::built_in()).steps,
            ["Score = (100.0 × 2 + 50.0 × 1) ÷ 3 = 83.3 %"]
        );
        let q = readiness(2, 1);
        let result = score_with(&q, &answers);
        assert_eq!(
            annex(&q, &answers, &result, Words::built_in()).steps,
            ["Score = (100.0 + 50.0) ÷ 2 = 75.0 %"]
        );
        let out = [pick(3), pick(3)];
        let result = score_with(&q, &out);
        assert_eq!(
            annex(&q, &out, &result, Words::built_in()).steps,
            ["Score: no dimension is scored, so there is none."]
        );
    }

    // A level's threshold in points is its percent of the points this response could
    // score; the level the score falls in is marked; nothing to count leaves points empty.
    #[test]
    fn thresholds_in_percent_and_points() {
        let q = readiness(2, 3);
        let answers = vec![pick(0), pick(1), pick(3), None, pick(2), pick(0)];
        let result = score_with(&q, &answers);
        let annex = annex(&q, &answers, &result, Words::built_in());
        assert_eq!(
            annex.max_points, "10",
            "five questions of 2; one not applicable"
        );
        assert_eq!(annex.points, "5");
        let bounds: Vec<(&str, &str)> = annex
            .levels
            .iter()
            .map(|l| (l.up_to.as_str(), l.up_to_points.as_str()))
            .collect();
        assert_eq!(
            bounds,
            [
                ("25.0", "2.5"),
                ("50.0", "5.0"),
                ("75.0", "7.5"),
                ("100.0", "10.0")
            ]
        );
        // 75 % and 33.3 % average to 54.2 %, in the third level, although 5 points of 10
        // are half: the score averages the dimensions' percents, not their points.
        let scored: Vec<bool> = annex.levels.iter().map(|l| l.scored).collect();
        assert!((result.score.unwrap() - (75.0 + 100.0 / 3.0) / 2.0).abs() < 1e-9);
        assert_eq!(scored, [false, false, true, false]);
        let out = vec![pick(3); 6];
        let result = score_with(&q, &out);
        let none = super::annex(&q, &out, &result, Words::built_in());
        assert_eq!(none.max_points, "");
        assert!(
            none.levels
                .iter()
                .all(|l| l.up_to_points.is_empty() && !l.scored)
        );
        assert_eq!(none.dimensions[0].percent, None);
    }
}
