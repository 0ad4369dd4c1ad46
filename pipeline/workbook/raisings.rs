//! Every raising of a flag the score sheet carries, in the order the scorer clamps the
//! level: each question's flags in question order, then each rule in definition order
//! (SPEC §5 steps 5 and 7). A flag id may be raised by several (a question's flag and a
//! rule sharing its id): each raising clamps the level, the id is listed once, and it
//! stops the use when any raising that is raised has `stop`.

use super::conditions::{flag_raised, rule_raised};
use super::questions_sheet::QuestionRows;
use crate::questionnaire::Questionnaire;
use crate::scoring::{Answer, ScoreResult, YES, condition_holds};
use crate::words::Words;

/// One way a flag can be raised.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Raising {
    /// The flag's id.
    pub id: String,
    /// The row label on the score sheet.
    pub label: String,
    /// The condition that raises it, as formula text over the questions sheet.
    pub raised: String,
    /// The level can be no lower than this (index into levels).
    pub min_level: Option<usize>,
    /// The level can be no higher than this (index into levels).
    pub max_level: Option<usize>,
    /// A raised flag means "do not proceed".
    pub stop: bool,
    /// The rule, when a rule raises it (index into the questionnaire's rules).
    pub rule: Option<usize>,
    /// Whether the blank workbook raises it (a screening question left blank).
    pub raised_when_blank: bool,
}

/// The raisings of the questions on the sheet, then of the rules, labelled in `words`.
pub(super) fn raisings(
    q: &Questionnaire,
    words: &Words,
    rows: &QuestionRows,
    blank: &ScoreResult,
) -> Vec<Raising> {
    let mut all = Vec::new();
    for &(index, _) in &rows.rows {
        let question = &q.questions[index];
        let cells = rows.cells(q, index).expect("a question on the sheet");
        let yes = question.options.iter().position(|o| o.value == YES);
        for flag in &question.flags {
            // A blank answer raises a flag only through a screening question left unknown.
            let raised_when_blank =
                blank.unknowns.contains(&index) && yes.is_some_and(|yes| flag.when.contains(&yes));
            all.push(Raising {
                id: flag.id.clone(),
                label: words.fill(
                    "workbook.flag-of-question",
                    &[("flag", &flag.id), ("question", &question.id)],
                ),
                raised: flag_raised(cells, flag),
                min_level: flag.min_level,
                max_level: flag.max_level,
                stop: flag.stop,
                rule: None,
                raised_when_blank,
            });
        }
    }
    let blank_answers: Vec<Option<Answer>> = vec![None; q.questions.len()];
    for (r, rule) in q.rules.iter().enumerate() {
        all.push(Raising {
            id: rule.id.clone(),
            label: words.fill("workbook.flag-of-rule", &[("flag", &rule.id)]),
            raised: rule_raised(rule, &|i| rows.cells(q, i)),
            min_level: rule.min_level,
            max_level: rule.max_level,
            stop: rule.stop,
            rule: Some(r),
            raised_when_blank: condition_holds(
                &rule.conditions,
                &blank_answers,
                &blank.applicable_questions,
            ),
        });
    }
    all
}

/// The level after each raising in the blank workbook, from the level of the score alone
/// (`None` without a score), clamping as the scorer does.
pub(super) fn blank_levels(raisings: &[Raising], before: Option<usize>) -> Vec<Option<usize>> {
    let mut level = before;
    raisings
        .iter()
        .map(|raising| {
            if raising.raised_when_blank {
                level = level.map(|mut l| {
                    if let Some(min) = raising.min_level {
                        l = l.max(min);
                    }
                    if let Some(max) = raising.max_level {
                        l = l.min(max);
                    }
                    l
                });
            }
            level
        })
        .collect()
}
