//! Property tests of the scoring method on the shipped questionnaires: results stay in
//! range, and a missing answer never makes a risk result look better than an answer would.

mod common;

use common::*;
use proptest::prelude::*;
use toolkit::questionnaire::{Kind, QuestionType, Questionnaire, load_questionnaires};
use toolkit::scoring::{Answer, ScoringInput, score_response};

fn questionnaires() -> Vec<Questionnaire> {
    let site = load_site(&root().join("sources"));
    load_questionnaires(&root().join("sources"), &site).unwrap()
}

/// Turns random numbers into a valid answer per question (or a blank).
fn answers_from(q: &Questionnaire, picks: &[(u8, u8)]) -> Vec<Option<Answer>> {
    q.questions
        .iter()
        .zip(picks.iter().cycle())
        .map(|(question, &(blank, pick))| {
            if blank % 5 == 0 {
                return None;
            }
            let n = question.options.len();
            match question.kind {
                QuestionType::Text => Some(Answer::Text("x".into())),
                QuestionType::Single => Some(Answer::Choices(vec![pick as usize % n])),
                QuestionType::Multiple => {
                    let na = question.options.iter().position(|o| o.not_applicable);
                    let mut chosen: Vec<usize> = (0..n)
                        .filter(|&i| Some(i) != na && (pick >> (i % 8)) & 1 == 1)
                        .collect();
                    if chosen.is_empty() {
                        chosen = na.into_iter().collect();
                    }
                    Some(Answer::Choices(chosen))
                }
            }
        })
        .collect()
}

fn role_stage(k: u8) -> (Option<&'static str>, Option<&'static str>) {
    let roles = [
        None,
        Some("senior-manager"),
        Some("innovation-officer"),
        Some("rd-officer"),
        Some("legal-advisor"),
    ];
    let stages = [None, Some("develop"), Some("procure"), Some("deploy")];
    (
        roles[k as usize % roles.len()],
        stages[(k / 5) as usize % stages.len()],
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    // Scores, dimension percents and completion stay within 0-100; a level is set
    // whenever a score is.
    #[test]
    fn results_stay_in_range(picks in prop::collection::vec((any::<u8>(), any::<u8>()), 1..80), k in any::<u8>()) {
        for q in questionnaires() {
            let answers = answers_from(&q, &picks);
            let (role, stage) = role_stage(k);
            let result = score_response(&q, &ScoringInput { role, stage, answers: &answers });
            let in_range = |v: f64| (0.0..=100.0 + 1e-9).contains(&v);
            prop_assert!(in_range(result.completion));
            for d in &result.dimensions {
                if let Some(p) = d.percent { prop_assert!(in_range(p)); }
            }
            if let Some(s) = result.score {
                prop_assert!(in_range(s));
                prop_assert!(result.level.is_some());
            }
        }
    }

    // Answering a question left blank (with the questions that depend on it) never makes a
    // risk score higher than the blank did (blanks count as the worst case), and never
    // lowers a readiness or principles score unless the answer is "not applicable".
    #[test]
    fn blanks_never_flatter(picks in prop::collection::vec((any::<u8>(), any::<u8>()), 1..80), which in any::<usize>(), k in any::<u8>()) {
        for q in questionnaires() {
            let answers = answers_from(&q, &picks);
            let answered: Vec<usize> = (0..answers.len())
                .filter(|&i| q.questions[i].kind != QuestionType::Text && answers[i].is_some())
                .collect();
            if answered.is_empty() { continue; }
            let i = answered[which % answered.len()];
            // Blanking a fact blanks what depends on it too: with the fact unknown, its
            // follow-up questions apply (an unknown is not safe), and answers given to them
            // while they did not apply would otherwise count (the page and the workbook
            // drop the answers of questions that do not apply).
            let mut blanked = answers.clone();
            let mut gone = vec![i];
            while let Some(j) = gone.pop() {
                blanked[j] = None;
                for (k, question) in q.questions.iter().enumerate() {
                    if blanked[k].is_some() && question.relevant.iter().any(|c| c.question == j) {
                        gone.push(k);
                    }
                }
            }
            let (role, stage) = role_stage(k);
            let with = score_response(&q, &ScoringInput { role, stage, answers: &answers });
            let without = score_response(&q, &ScoringInput { role, stage, answers: &blanked });
            let not_applicable = matches!(&answers[i], Some(Answer::Choices(c)) if c.iter().any(|&o| q.questions[i].options[o].not_applicable));
            match (q.kind, with.score, without.score) {
                (Kind::Risk, Some(a), Some(b)) => prop_assert!(a <= b + 1e-9, "answering raised risk {b} -> {a}"),
                (_, Some(a), Some(b)) if !not_applicable => prop_assert!(a + 1e-9 >= b, "answering lowered {b} -> {a}"),
                _ => {}
            }
        }
    }
}
