//! The live formulas of method 2 that read answers (SPEC §4, §5 step 7), as pure functions
//! of the question model and the row each question takes on the questions sheet: whether
//! an answer includes some options, whether a question is answered, the items of a
//! `relevant` condition and of a rule, a screening question left unknown, and the
//! condition that raises a question's flag or a rule's.
//!
//! They say what `scoring` says, cell by cell:
//! - an item of a `relevant` condition holds when its question applies and is unanswered,
//!   or applies and its answer includes a listed option; never when it does not apply;
//! - an item of a rule holds when its question applies and its answer includes a listed
//!   option (a blank answer holds no item);
//! - a screening question that applies and is left blank or answered `unsure` is unknown,
//!   and raises its flags that a `yes` raises, and no others;
//! - a question missing from the sheet (a tailored workbook leaves out the questions of
//!   other roles and stages) does not apply, so its items never hold.
//!
//! Every reference is absolute and names the questions sheet, so one text works on the
//! questions sheet and on the score sheet.

use super::layout::{SELECTED, absolute_cell, absolute_column_range, questions};
use crate::questionnaire::{Condition, Flag, Question, QuestionType, Rule};
use crate::scoring::{NO, UNSURE, YES};

/// A string as an Excel formula literal: `"say ""yes"""`.
pub fn literal(text: &str) -> String {
    format!("\"{}\"", text.replace('"', "\"\""))
}

/// `OR(a,b)` of some conditions, or `FALSE` when there are none.
pub fn any_of(conditions: &[String]) -> String {
    if conditions.is_empty() {
        "FALSE".to_owned()
    } else {
        format!("OR({})", conditions.join(","))
    }
}

/// `AND(a,b)` of some conditions, or `TRUE` when there are none.
pub fn all_of(conditions: &[String]) -> String {
    if conditions.is_empty() {
        "TRUE".to_owned()
    } else {
        format!("AND({})", conditions.join(","))
    }
}

/// One question's cells on the questions sheet: its row, and for a multiple-choice
/// question the option rows under it (option `o` on `row + 1 + o`).
#[derive(Debug, Clone, Copy)]
pub struct AnswerCells<'q> {
    /// The question.
    pub question: &'q Question,
    /// Its row (zero-based).
    pub row: u32,
}

impl AnswerCells<'_> {
    /// `Questions!$E$5`: a cell of this question's block.
    fn at(&self, column: questions::Column, row: u32) -> String {
        format!("{}!{}", questions::NAME, absolute_cell(column.index, row))
    }

    /// The cell that says whether the question applies (role, stage and relevance).
    pub fn applies(&self) -> String {
        self.at(questions::APPLIES, self.row)
    }

    /// The cell that says whether the question is answered.
    pub fn answered_cell(&self) -> String {
        self.at(questions::ANSWERED, self.row)
    }

    /// The cell that says whether a screening question is left unknown.
    pub fn unknown_cell(&self) -> String {
        self.at(questions::UNKNOWN, self.row)
    }

    /// `TRUE` when the answer includes one of `options` (a single question's answer cell
    /// holds the option's label or value; a multiple question's option row says `Yes`).
    pub fn includes(&self, options: &[usize]) -> String {
        let tests: Vec<String> = match self.question.kind {
            QuestionType::Multiple => options
                .iter()
                .map(|&o| {
                    let cell = self.at(questions::ANSWER, self.row + 1 + o as u32);
                    format!("{cell}={}", literal(SELECTED))
                })
                .collect(),
            QuestionType::Single | QuestionType::Text => {
                let cell = self.at(questions::ANSWER, self.row);
                options
                    .iter()
                    .filter_map(|&o| self.question.options.get(o))
                    .flat_map(|o| [literal(&o.label), literal(&o.value)])
                    .map(|text| format!("{cell}={text}"))
                    .collect()
            }
        };
        any_of(&tests)
    }

    /// The answered column's formula: a single question's cell holds one of its options,
    /// a multiple question has an option marked `Yes`, a text question holds more than
    /// spaces. It does not ask whether the question applies.
    pub fn answered(&self) -> String {
        match self.question.kind {
            QuestionType::Single => {
                let all: Vec<usize> = (0..self.question.options.len()).collect();
                format!("={}", self.includes(&all))
            }
            QuestionType::Multiple => {
                let options = absolute_column_range(
                    questions::ANSWER.index,
                    self.row + 1,
                    self.row + self.question.options.len().max(1) as u32,
                );
                format!(
                    "=COUNTIF({}!{options},{})>0",
                    questions::NAME,
                    literal(SELECTED)
                )
            }
            QuestionType::Text => {
                format!("=LEN(TRIM({}))>0", self.at(questions::ANSWER, self.row))
            }
        }
    }

    /// The index of the option with this value, if the question has one.
    fn option_valued(&self, value: &str) -> Option<usize> {
        self.question.options.iter().position(|o| o.value == value)
    }

    /// The unknown column's formula for a screening question: it applies, and it is
    /// blank or answered `unsure`.
    pub fn unknown(&self) -> String {
        let unsure = self
            .option_valued(UNSURE)
            .map_or("FALSE".to_owned(), |o| self.includes(&[o]));
        format!(
            "=AND({},OR(NOT({}),{unsure}))",
            self.applies(),
            self.answered_cell()
        )
    }

    /// `TRUE` when the question applies and its answer includes the option valued `no`.
    pub fn said_no(&self) -> String {
        let no = self
            .option_valued(NO)
            .map_or("FALSE".to_owned(), |o| self.includes(&[o]));
        format!("AND({},{no})", self.applies())
    }
}

/// The cells of question `index`, or `None` when it is not on the sheet.
pub type RowOf<'a, 'q> = &'a dyn Fn(usize) -> Option<AnswerCells<'q>>;

/// The items of a question's `relevant` condition: each holds when its question applies
/// and is unanswered, or applies and includes a listed option.
pub fn relevance_items(relevant: &[Condition], row_of: RowOf) -> Vec<String> {
    relevant
        .iter()
        .map(|item| match row_of(item.question) {
            None => "FALSE".to_owned(),
            Some(cells) => format!(
                "AND({},OR(NOT({}),{}))",
                cells.applies(),
                cells.answered_cell(),
                cells.includes(&item.options)
            ),
        })
        .collect()
}

/// The condition that raises a rule's flag: every item's question applies and its answer
/// includes a listed option.
pub fn rule_raised(rule: &Rule, row_of: RowOf) -> String {
    let items: Vec<String> = rule
        .conditions
        .iter()
        .map(|item| match row_of(item.question) {
            None => "FALSE".to_owned(),
            Some(cells) => format!("AND({},{})", cells.applies(), cells.includes(&item.options)),
        })
        .collect();
    all_of(&items)
}

/// The condition that raises a question's flag: the question applies and one of the
/// flag's options is chosen; for a screening question left unknown, instead, the flag is
/// raised when a `yes` raises it.
pub fn flag_raised(cells: AnswerCells, flag: &Flag) -> String {
    let chosen = cells.includes(&flag.when);
    let applies = cells.applies();
    if !cells.question.screening {
        return format!("AND({applies},{chosen})");
    }
    let unknown = cells.unknown_cell();
    let raised_by_yes = cells
        .option_valued(YES)
        .is_some_and(|yes| flag.when.contains(&yes));
    if raised_by_yes {
        format!("AND({applies},OR({unknown},{chosen}))")
    } else {
        format!("AND({applies},NOT({unknown}),{chosen})")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::questionnaire::Choice;

    fn choice(value: &str, label: &str, score: f64, not_applicable: bool) -> Choice {
        Choice {
            value: value.into(),
            label: label.into(),
            score,
            not_applicable,
        }
    }

    fn question(kind: QuestionType, options: Vec<Choice>) -> Question {
        Question {
            text: "A question?".into(),
            ..Question::new("Q-01", 0, kind, options)
        }
    }

    fn screening() -> Question {
        let mut q = question(
            QuestionType::Single,
            vec![
                choice("yes", "Yes", 2.0, false),
                choice("unsure", "Not sure", 2.0, false),
                choice("no", "No", 0.0, true),
            ],
        );
        q.screening = true;
        q
    }

    fn systems() -> Question {
        question(
            QuestionType::Multiple,
            vec![
                choice("cctv", "CCTV", 2.0, false),
                choice("social", "Social media", 1.5, false),
            ],
        )
    }

    fn flag(when: Vec<usize>) -> Flag {
        Flag {
            id: "F".into(),
            message: String::new(),
            when,
            min_level: None,
            max_level: None,
            stop: false,
            guidance: Default::default(),
        }
    }

    // A single question includes an option by its label or value; a multiple question
    // by Yes on the option's row; no options is FALSE.
    #[test]
    fn includes_by_cell() {
        let q = screening();
        let cells = AnswerCells {
            question: &q,
            row: 3,
        };
        assert_eq!(
            cells.includes(&[2]),
            "OR(Questions!$E$4=\"No\",Questions!$E$4=\"no\")"
        );
        assert_eq!(cells.includes(&[]), "FALSE");
        let m = systems();
        let cells = AnswerCells {
            question: &m,
            row: 5,
        };
        assert_eq!(cells.includes(&[1]), "OR(Questions!$E$8=\"Yes\")");
        assert_eq!(cells.answered(), "=COUNTIF(Questions!$E$7:$E$8,\"Yes\")>0");
    }

    // A screening question is unknown when it applies and is blank or "unsure".
    #[test]
    fn unknown_screening_answer() {
        let q = screening();
        let cells = AnswerCells {
            question: &q,
            row: 3,
        };
        assert_eq!(
            cells.unknown(),
            "=AND(Questions!$G$4,OR(NOT(Questions!$J$4),OR(Questions!$E$4=\"Not sure\",Questions!$E$4=\"unsure\")))"
        );
        assert_eq!(
            cells.said_no(),
            "AND(Questions!$G$4,OR(Questions!$E$4=\"No\",Questions!$E$4=\"no\"))"
        );
    }

    // A relevance item holds on a blank or a listed answer of a question that applies; a
    // question missing from the sheet holds no item.
    #[test]
    fn relevance_and_rule_items() {
        let q = screening();
        let row_of = |i: usize| {
            (i == 0).then_some(AnswerCells {
                question: &q,
                row: 3,
            })
        };
        let items = [
            Condition {
                question: 0,
                options: vec![0],
            },
            Condition {
                question: 1,
                options: vec![0],
            },
        ];
        assert_eq!(
            relevance_items(&items, &row_of),
            [
                "AND(Questions!$G$4,OR(NOT(Questions!$J$4),OR(Questions!$E$4=\"Yes\",Questions!$E$4=\"yes\")))",
                "FALSE"
            ]
        );
        let rule = Rule {
            id: "R".into(),
            message: String::new(),
            conditions: items[..1].to_vec(),
            min_level: None,
            max_level: None,
            stop: true,
            guidance: Default::default(),
            line: 1,
        };
        assert_eq!(
            rule_raised(&rule, &row_of),
            "AND(AND(Questions!$G$4,OR(Questions!$E$4=\"Yes\",Questions!$E$4=\"yes\")))"
        );
    }

    // A screening question left unknown raises the flags a yes raises, and only those.
    #[test]
    fn screening_flags() {
        let q = screening();
        let cells = AnswerCells {
            question: &q,
            row: 3,
        };
        assert_eq!(
            flag_raised(cells, &flag(vec![0])),
            "AND(Questions!$G$4,OR(Questions!$K$4,OR(Questions!$E$4=\"Yes\",Questions!$E$4=\"yes\")))"
        );
        assert_eq!(
            flag_raised(cells, &flag(vec![1])),
            "AND(Questions!$G$4,NOT(Questions!$K$4),OR(Questions!$E$4=\"Not sure\",Questions!$E$4=\"unsure\"))"
        );
        let plain = question(QuestionType::Single, q.options.clone());
        let cells = AnswerCells {
            question: &plain,
            row: 3,
        };
        assert_eq!(
            flag_raised(cells, &flag(vec![0])),
            "AND(Questions!$G$4,OR(Questions!$E$4=\"Yes\",Questions!$E$4=\"yes\"))"
        );
    }
}
