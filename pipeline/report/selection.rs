//! What a report singles out, rule by rule: the weak dimensions (weakest first, a few),
//! the questions that pulled each one down, the unanswered questions it names, the
//! mitigation note of a risk questionnaire, and across a group the level and flag counts,
//! each question's answer distribution and spread, and where respondents disagree most.
//!
//! Everything here is pure: questionnaires and score results in, indices, counts and
//! numbers out. The report builders turn them into the lines templates print.

use crate::answers::validate::Response;
use crate::questionnaire::{DimensionRole, Kind, Question, QuestionType, Questionnaire};
use crate::scoring::{Answer, QuestionScore, ScoreResult, format_percent};
use crate::words::Words;

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
/// Questions a group report lists as the ones respondents disagree on most.
pub const DISAGREEMENT_SHOWN: usize = 8;

/// Whether a dimension's percent is a concern.
pub fn is_weak(role: DimensionRole, percent: f64) -> bool {
    match role {
        DimensionRole::Risk => percent > RISKY_PERCENT,
        _ => percent < WEAK_PERCENT,
    }
}

/// How far a dimension's percent is from the good end: the shortfall from 100 for
/// readiness and mitigation, the percent itself for risk.
pub fn dimension_badness(role: DimensionRole, percent: f64) -> f64 {
    match role {
        DimensionRole::Risk => percent,
        _ => 100.0 - percent,
    }
}

/// How far a question's points are from the good end, as a share (0-1): the shortfall
/// for readiness and mitigation, the risk itself for risk dimensions. `None` for a
/// question worth no points.
pub fn question_badness(role: DimensionRole, score: &QuestionScore) -> Option<f64> {
    if score.max <= 0.0 {
        return None;
    }
    Some(match role {
        DimensionRole::Risk => score.achieved / score.max,
        _ => 1.0 - score.achieved / score.max,
    })
}

/// A weak dimension a report details.
#[derive(Debug, Clone, PartialEq)]
pub struct WeakPick {
    /// Index of the dimension.
    pub dimension: usize,
    /// Its percent.
    pub percent: f64,
    /// The questions that pulled it down (indices), worst first.
    pub questions: Vec<usize>,
    /// How far it is from the good end (see [`dimension_badness`]).
    pub badness: f64,
}

/// The weak dimensions of a result, weakest first, at most [`WEAK_DIMENSIONS_SHOWN`]:
/// a report names a few places to act, not every one. Ties keep definition order;
/// dimensions that were not scored are never weak.
pub fn weak_dimensions(q: &Questionnaire, result: &ScoreResult) -> Vec<WeakPick> {
    let mut picks: Vec<WeakPick> = q
        .dimensions
        .iter()
        .zip(&result.dimensions)
        .enumerate()
        .filter_map(|(d, (dimension, score))| {
            let percent = score.percent?;
            is_weak(dimension.role, percent).then(|| WeakPick {
                dimension: d,
                percent,
                questions: pulled_down(q, result, d),
                badness: dimension_badness(dimension.role, percent),
            })
        })
        .collect();
    picks.sort_by(|a, b| b.badness.total_cmp(&a.badness));
    picks.truncate(WEAK_DIMENSIONS_SHOWN);
    picks
}

/// The questions of dimension `d` that pulled it down: scored, worth points and short of
/// the good end; worst first (ties in question order), at most
/// [`QUESTIONS_PER_WEAK_DIMENSION`].
pub fn pulled_down(q: &Questionnaire, result: &ScoreResult, d: usize) -> Vec<usize> {
    let role = q.dimensions[d].role;
    let mut pulled: Vec<(f64, usize)> = result
        .questions
        .iter()
        .enumerate()
        .filter(|(i, _)| q.questions[*i].dimension == d)
        .filter_map(|(i, score)| {
            let badness = question_badness(role, score.as_ref()?)?;
            (badness > 0.0).then_some((badness, i))
        })
        .collect();
    pulled.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    pulled
        .into_iter()
        .take(QUESTIONS_PER_WEAK_DIMENSION)
        .map(|(_, i)| i)
        .collect()
}

/// The unanswered questions a report names (text questions left out), at most
/// [`UNANSWERED_SHOWN`], and how many more there are.
pub fn unanswered_shown(q: &Questionnaire, result: &ScoreResult) -> (Vec<usize>, usize) {
    let mut unanswered: Vec<usize> = result
        .unanswered
        .iter()
        .copied()
        .filter(|&i| q.questions[i].kind != QuestionType::Text)
        .collect();
    let more = unanswered.len().saturating_sub(UNANSWERED_SHOWN);
    unanswered.truncate(UNANSWERED_SHOWN);
    (unanswered, more)
}

/// For a risk questionnaire with a mitigation rule: the rule and whether it applied, in
/// words. `None` for other questionnaires.
pub fn mitigation_note(q: &Questionnaire, result: &ScoreResult, words: &Words) -> Option<String> {
    let (Kind::Risk, Some(rule), Some(m)) = (q.kind, q.mitigation, result.mitigation) else {
        return None;
    };
    let key = match m >= rule.threshold {
        true => "report.mitigation-applied",
        false => "report.mitigation-not-applied",
    };
    Some(words.fill(
        key,
        &[
            ("mitigation", &words.number(&format_percent(m))),
            ("threshold", &words.number(&rule.threshold.to_string())),
            ("reduction", &words.number(&rule.reduction.to_string())),
        ],
    ))
}

/// Responses per level (label, count), lowest level first, plus ("Not scored", count)
/// when some response has no level.
pub fn level_counts(
    q: &Questionnaire,
    results: &[&ScoreResult],
    words: &Words,
) -> Vec<(String, usize)> {
    let mut levels: Vec<(String, usize)> = q.levels.iter().map(|l| (l.label.clone(), 0)).collect();
    let mut not_scored = 0;
    for result in results {
        match result.level {
            Some(l) => levels[l].1 += 1,
            None => not_scored += 1,
        }
    }
    if not_scored > 0 {
        levels.push((words.get("report.not-scored").to_owned(), not_scored));
    }
    levels
}

/// Responses that raised each flag (a flag raised twice by one response counts once),
/// in the order flags first appear.
pub fn flag_counts(results: &[&ScoreResult]) -> Vec<(String, usize)> {
    let mut flags: Vec<(String, usize)> = Vec::new();
    for result in results {
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
    flags
}

/// The mean of some values, `None` when there are none.
pub fn mean(values: &[f64]) -> Option<f64> {
    (!values.is_empty()).then(|| values.iter().sum::<f64>() / values.len() as f64)
}

/// Mean, minimum and maximum of some values, `None` when there are none.
pub fn mean_min_max(values: &[f64]) -> Option<(f64, f64, f64)> {
    let mean = mean(values)?;
    let min = values.iter().copied().fold(f64::INFINITY, f64::min);
    let max = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    Some((mean, min, max))
}

/// How a group answered question `i`: (option label, times chosen) for every option,
/// then ("No answer", count) of responses it applied to that left it blank.
pub fn answer_counts(
    question: &Question,
    i: usize,
    members: &[(&Response, &ScoreResult)],
    words: &Words,
) -> Vec<(String, usize)> {
    let mut counts: Vec<(String, usize)> = question
        .options
        .iter()
        .map(|o| (o.label.clone(), 0))
        .collect();
    let mut blank = 0;
    for (response, result) in members {
        match response.answers.get(i) {
            Some(Answer::Choices(chosen)) if !chosen.is_empty() => {
                for c in chosen {
                    counts[c].1 += 1;
                }
            }
            _ if result.questions[i].is_some() => blank += 1,
            _ => {}
        }
    }
    counts.push((words.get("report.no-answer-count").to_owned(), blank));
    counts
}

/// How far a group's answers to question `i` spread: the standard deviation of the
/// answered points as a share of the maximum (0-1); 0 with fewer than two answers.
pub fn answer_spread(i: usize, results: &[&ScoreResult]) -> f64 {
    let shares: Vec<f64> = results
        .iter()
        .filter_map(|result| result.questions[i].filter(|s| s.answered && s.max > 0.0))
        .map(|s| s.achieved / s.max)
        .collect();
    if shares.len() < 2 {
        return 0.0;
    }
    let mean = shares.iter().sum::<f64>() / shares.len() as f64;
    (shares.iter().map(|s| (s - mean).powi(2)).sum::<f64>() / shares.len() as f64).sqrt()
}

/// The questions respondents disagree on most, from (id, spread) pairs: indices into
/// `spreads` of those with any spread, widest first (ties by id), at most
/// [`DISAGREEMENT_SHOWN`].
pub fn most_disagreement(spreads: &[(&str, f64)]) -> Vec<usize> {
    let mut picked: Vec<usize> = (0..spreads.len()).filter(|&i| spreads[i].1 > 0.0).collect();
    picked.sort_by(|&a, &b| {
        spreads[b]
            .1
            .total_cmp(&spreads[a].1)
            .then(spreads[a].0.cmp(spreads[b].0))
    });
    picked.truncate(DISAGREEMENT_SHOWN);
    picked
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fixtures::*;
    use crate::scoring::DimensionScore;

    // A readiness dimension is weak below 60 %, a risk dimension above 50 %.
    #[test]
    fn weak_thresholds_by_role() {
        assert!(is_weak(DimensionRole::Plain, 59.9));
        assert!(!is_weak(DimensionRole::Plain, 60.0));
        assert!(is_weak(DimensionRole::Mitigation, 10.0));
        assert!(is_weak(DimensionRole::Risk, 50.1));
        assert!(!is_weak(DimensionRole::Risk, 50.0));
    }

    // Weak dimensions come weakest first; strong and unscored ones are left out.
    #[test]
    fn weak_dimensions_weakest_first() {
        let q = readiness(4, 1);
        let mut result = score_with(&q, &[pick(1), pick(0), pick(2), None]);
        result.dimensions[3].percent = None;
        let picks = weak_dimensions(&q, &result);
        let order: Vec<usize> = picks.iter().map(|p| p.dimension).collect();
        // d0: partly = 50 %, d1: yes = 100 %, d2: no = 0 %, d3: not scored.
        assert_eq!(order, vec![2, 0]);
        assert_eq!(picks[0].badness, 100.0);
    }

    // At most three weak dimensions are detailed; equally weak ones keep definition order.
    #[test]
    fn weak_dimensions_are_capped() {
        let q = readiness(5, 1);
        let result = score_with(&q, &[pick(2), pick(2), pick(1), pick(2), pick(2)]);
        let order: Vec<usize> = weak_dimensions(&q, &result)
            .iter()
            .map(|p| p.dimension)
            .collect();
        assert_eq!(order, vec![0, 1, 3]);
    }

    // For a risk dimension, the riskiest dimension comes first.
    #[test]
    fn risk_dimensions_riskiest_first() {
        let q = risk(&[2, 2, 2]);
        let mut result = score_with(&q, &[]);
        for (d, percent) in [(0, 60.0), (1, 90.0), (2, 40.0)] {
            result.dimensions[d] = DimensionScore {
                achieved: percent,
                max: 100.0,
                percent: Some(percent),
            };
        }
        let order: Vec<usize> = weak_dimensions(&q, &result)
            .iter()
            .map(|p| p.dimension)
            .collect();
        assert_eq!(order, vec![1, 0]);
    }

    // The questions that pulled a dimension down: worst first, ties in question order,
    // questions at the good end left out, three at most.
    #[test]
    fn pulled_down_questions() {
        let q = readiness(1, 5);
        let result = score_with(&q, &[pick(1), pick(2), pick(0), pick(1), pick(2)]);
        assert_eq!(pulled_down(&q, &result, 0), vec![1, 4, 0]);
        let good = score_with(&q, &[pick(0), pick(0), pick(0), pick(0), pick(1)]);
        assert_eq!(pulled_down(&q, &good, 0), vec![4]);
    }

    // In a risk dimension the riskiest answers pulled it down; a blank counts as riskiest.
    #[test]
    fn pulled_down_in_risk_dimension() {
        let q = risk(&[3]);
        let result = score_with(&q, &[pick(2), None, pick(1)]);
        assert_eq!(pulled_down(&q, &result, 0), vec![1, 2]);
    }

    // Questions worth no points and not-applicable answers never pulled anything down.
    #[test]
    fn pulled_down_skips_questions_without_points() {
        let q = readiness(1, 2);
        let result = score_with(&q, &[pick(3), pick(2)]);
        assert_eq!(pulled_down(&q, &result, 0), vec![1]);
        assert_eq!(
            question_badness(DimensionRole::Plain, &points(0.0, 0.0)),
            None
        );
    }

    // The unanswered list leaves out text questions and names twelve at most.
    #[test]
    fn unanswered_list_is_capped() {
        let mut q = readiness(1, 15);
        q.questions.push(text_question("comment", 0));
        let result = score_with(&q, &vec![None; 16]);
        let (shown, more) = unanswered_shown(&q, &result);
        assert_eq!(shown, (0..12).collect::<Vec<_>>());
        assert_eq!(more, 3);
        let (shown, more) = unanswered_shown(&q, &score_with(&q, &[None, pick(0)]));
        assert_eq!(shown.len(), 12);
        assert_eq!(more, 2);
    }

    // The mitigation note says whether the reduction applied; other kinds get none.
    #[test]
    fn mitigation_note_in_words() {
        let q = risk_with_mitigation();
        let reduced = score_with(&q, &[pick(0), pick(0)]);
        let note = mitigation_note(&q, &reduced, Words::built_in()).unwrap();
        assert!(note.contains("at or above the 80 % threshold"), "{note}");
        assert!(note.contains("reduced by 15 %"), "{note}");
        let not_reduced = score_with(&q, &[pick(0), pick(2)]);
        let note = mitigation_note(&q, &not_reduced, Words::built_in()).unwrap();
        assert!(
            note.starts_with("Mitigation reached 0.0 %, below"),
            "{note}"
        );
        let q = readiness(1, 1);
        assert_eq!(
            mitigation_note(&q, &score_with(&q, &[pick(0)]), Words::built_in()),
            None
        );
    }

    // Levels are counted lowest first, with a "Not scored" row only when needed.
    #[test]
    fn level_counts_with_not_scored() {
        let q = readiness(1, 1);
        let low = score_with(&q, &[pick(2)]);
        let high = score_with(&q, &[pick(0)]);
        let counts = level_counts(&q, &[&low, &high, &low], Words::built_in());
        assert_eq!(counts[0], ("LOW".to_owned(), 2));
        assert_eq!(counts[3], ("VERY-HIGH".to_owned(), 1));
        assert_eq!(counts.len(), 4);
        let mut unscored = low.clone();
        unscored.level = None;
        let counts = level_counts(&q, &[&unscored], Words::built_in());
        assert_eq!(counts.last().unwrap(), &("Not scored".to_owned(), 1));
    }

    // A flag counts the responses that raised it, once each, in order of first appearance.
    #[test]
    fn flag_counts_once_per_response() {
        let q = readiness(1, 1);
        let mut a = score_with(&q, &[pick(0)]);
        a.flags = vec![raised("b"), raised("a"), raised("b")];
        let mut b = a.clone();
        b.flags = vec![raised("a")];
        assert_eq!(
            flag_counts(&[&a, &b]),
            vec![("b".to_owned(), 1), ("a".to_owned(), 2)]
        );
    }

    // Mean, minimum and maximum of a dimension; nothing when no response scored it.
    #[test]
    fn dimension_statistics() {
        assert_eq!(mean_min_max(&[50.0, 20.0, 80.0]), Some((50.0, 20.0, 80.0)));
        assert_eq!(mean_min_max(&[]), None);
        assert_eq!(mean(&[1.0, 2.0]), Some(1.5));
    }

    // Every option is counted (several per multiple-choice answer); blanks count only
    // where the question applied.
    #[test]
    fn answer_distribution() {
        let mut q = readiness(1, 1);
        q.questions[0].roles = vec!["legal".into()];
        let chosen = response(&[pick(0)], Some("legal"));
        let both = response(&[Some(Answer::Choices(vec![0, 1]))], Some("legal"));
        let blank = response(&[None], Some("legal"));
        let other_role = response(&[None], Some("manager"));
        let results: Vec<ScoreResult> = [&chosen, &both, &blank, &other_role]
            .iter()
            .map(|r| r.score(&q))
            .collect();
        let members = vec![
            (&chosen, &results[0]),
            (&both, &results[1]),
            (&blank, &results[2]),
            (&other_role, &results[3]),
        ];
        let counts = answer_counts(&q.questions[0], 0, &members, Words::built_in());
        assert_eq!(
            counts,
            vec![
                ("YES".to_owned(), 2),
                ("PARTLY".to_owned(), 1),
                ("NO".to_owned(), 0),
                ("Not applicable".to_owned(), 0),
                ("No answer".to_owned(), 1),
            ]
        );
    }

    // The spread is the standard deviation of answered shares; one answer has none.
    #[test]
    fn answer_spread_of_shares() {
        let q = readiness(1, 1);
        let yes = score_with(&q, &[pick(0)]);
        let no = score_with(&q, &[pick(2)]);
        let blank = score_with(&q, &[None]);
        assert_eq!(answer_spread(0, &[&yes, &no, &blank]), 0.5);
        assert_eq!(answer_spread(0, &[&yes, &blank]), 0.0);
        assert_eq!(answer_spread(0, &[&yes, &yes]), 0.0);
    }

    // Most disagreement: widest spread first, ties by id, no zero spreads, eight at most.
    #[test]
    fn most_disagreement_order_and_cap() {
        let spreads = [("b", 0.2), ("a", 0.2), ("c", 0.0), ("d", 0.4)];
        assert_eq!(most_disagreement(&spreads), vec![3, 1, 0]);
        let ids: Vec<String> = (0..10).map(|i| format!("q{i}")).collect();
        let many: Vec<(&str, f64)> = ids.iter().map(|id| (id.as_str(), 0.1)).collect();
        assert_eq!(most_disagreement(&many), (0..8).collect::<Vec<_>>());
    }
}
