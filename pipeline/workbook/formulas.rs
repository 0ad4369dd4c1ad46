//! The workbook's live formulas, as pure functions from the layout and the question model
//! to formula text. Together they follow the published method (SPEC §5, `scoring`): a
//! question's points and maximum on the questions sheet, each dimension's sums and
//! percent, the weighted means, the mitigated risk score, the level from the score and
//! the flags that clamp it, on the score sheet.
//!
//! Every builder returns the final text (with its leading `=` when it is a whole cell's
//! formula); nothing is patched afterwards. Rows are zero-based, as in [`super::layout`].

pub use super::conditions::literal;
use super::conditions::{all_of, any_of};
use super::layout::{
    SELECTED, absolute_column_range, cell, column_range, lists, questions, respondent, score,
};
use crate::questionnaire::{DimensionRole, Level, Mitigation, Question};

/// The dropdown source of `len` values down a column of the lists sheet: `=Lists!$C$1:$C$1`.
pub fn list_range(col: u16, len: usize) -> String {
    format!(
        "={}!{}",
        lists::NAME,
        absolute_column_range(col, 0, len.saturating_sub(1) as u32)
    )
}

/// `TRUE` when a question applies: to the role and stage chosen on the respondent sheet (a
/// blank choice matches every question, and a choice matches by id or by label), and
/// every item of its `relevant` condition holds (`relevance`, from
/// [`super::conditions::relevance_items`]). `label_of` gives the label of a role or stage id.
pub fn applies<'m>(
    roles: &[String],
    stages: &[String],
    label_of: impl Fn(&str) -> Option<&'m str>,
    relevance: &[String],
) -> String {
    let condition = |ids: &[String], cell: &str| -> String {
        if ids.is_empty() {
            return "TRUE".to_owned();
        }
        let mut alternatives = vec![format!("{cell}=\"\"")];
        for id in ids {
            alternatives.push(format!("{cell}={}", literal(id)));
            if let Some(label) = label_of(id) {
                alternatives.push(format!("{cell}={}", literal(label)));
            }
        }
        format!("OR({})", alternatives.join(","))
    };
    let mut all = vec![
        condition(roles, &respondent::ROLE.value_reference()),
        condition(stages, &respondent::STAGE.value_reference()),
    ];
    all.extend_from_slice(relevance);
    format!("={}", all_of(&all))
}

/// The hidden points and maximum of one question on the questions sheet, per the
/// published method: nothing when the question does not apply or is answered "not
/// applicable"; the answer's points when answered; otherwise the maximum in a risk
/// dimension (the worst case) and 0 elsewhere.
#[derive(Debug, Clone, PartialEq)]
pub struct QuestionPoints {
    /// The question's row.
    row: u32,
    /// True when the answer is a not-applicable option.
    not_applicable: String,
    /// True when the question is answered.
    answered: String,
    /// The answer's points.
    points: String,
    /// The most points the question can give.
    max: f64,
    /// Whether an unanswered question counts as its maximum (risk dimensions).
    worst_case: bool,
}

impl QuestionPoints {
    /// The question's row.
    pub fn row(&self) -> u32 {
        self.row
    }

    /// The points of a single-choice question on `row`: the chosen option's score, by
    /// label or value, and `-1` for an answer that is no option.
    pub fn single(question: &Question, row: u32, worst_case: bool) -> Self {
        let answer = cell(questions::ANSWER.index, row);
        let is_option = |label: &str, value: &str| {
            format!("{answer}={},{answer}={}", literal(label), literal(value))
        };
        let not_applicable: Vec<String> = question
            .options
            .iter()
            .filter(|o| o.not_applicable)
            .map(|o| is_option(&o.label, &o.value))
            .collect();
        let mut points = "-1".to_owned();
        for option in question.options.iter().rev().filter(|o| !o.not_applicable) {
            points = format!(
                "IF(OR({}),{},{points})",
                is_option(&option.label, &option.value),
                option.score
            );
        }
        QuestionPoints {
            row,
            not_applicable: any_of(&not_applicable),
            answered: format!("{points}>=0"),
            points,
            max: question.max_option_score(),
            worst_case,
        }
    }

    /// The points of a multiple-choice question on `row`, whose options take the rows
    /// below it: the sum of the chosen options' scores, capped at the question's `max`.
    pub fn multiple(question: &Question, row: u32, worst_case: bool) -> Self {
        let option_cell = |i: usize| cell(questions::ANSWER.index, row + 1 + i as u32);
        let selected = literal(SELECTED);
        let mut not_applicable = Vec::new();
        let mut scores = Vec::new();
        for (i, option) in question.options.iter().enumerate() {
            if option.not_applicable {
                not_applicable.push(format!("{}={selected}", option_cell(i)));
            } else {
                scores.push(format!(
                    "IF({}={selected},{},0)",
                    option_cell(i),
                    option.score
                ));
            }
        }
        let sum = if scores.is_empty() {
            "0".to_owned()
        } else {
            scores.join("+")
        };
        let points = match question.max {
            Some(cap) => format!("MIN({cap},{sum})"),
            None => sum,
        };
        let options = column_range(
            questions::ANSWER.index,
            row + 1,
            row + question.options.len() as u32,
        );
        QuestionPoints {
            row,
            not_applicable: any_of(&not_applicable),
            answered: format!("COUNTIF({options},{selected})>0"),
            points,
            max: question.max_multiple_score(),
            worst_case,
        }
    }

    /// The points achieved, for the achieved column.
    pub fn achieved(&self) -> String {
        let applies = cell(questions::APPLIES.index, self.row);
        let fallback = if self.worst_case { self.max } else { 0.0 };
        format!(
            "=IF(NOT({applies}),0,IF({},0,IF({},{},{fallback})))",
            self.not_applicable, self.answered, self.points
        )
    }

    /// The points possible, for the max column.
    pub fn possible(&self) -> String {
        let applies = cell(questions::APPLIES.index, self.row);
        format!(
            "=IF(NOT({applies}),0,IF({},0,{}))",
            self.not_applicable, self.max
        )
    }
}

/// A dimension's sum of one hidden column of the questions sheet (achieved or max) over
/// the questions down to `last_row`: `=SUMIFS(Questions!$H$2:$H$9,Questions!$F$2:$F$9,"d")`.
pub fn dimension_sum(column: questions::Column, dimension_id: &str, last_row: u32) -> String {
    let range = |col: questions::Column| {
        format!(
            "{}!{}",
            questions::NAME,
            absolute_column_range(col.index, questions::FIRST_ROW, last_row)
        )
    };
    format!(
        "=SUMIFS({},{},{})",
        range(column),
        range(questions::DIMENSION_ID),
        literal(dimension_id)
    )
}

/// A dimension's percent on its score row, blank when it has no points possible.
pub fn dimension_percent(row: u32) -> String {
    let (points, of) = (cell(score::POINTS_COL, row), cell(score::OF_COL, row));
    format!("=IF({of}=0,\"\",100*{points}/{of})")
}

/// A dimension's weighted percent, 0 when the dimension is not scored.
pub fn dimension_weighted(row: u32) -> String {
    let (percent, weight) = (cell(score::VALUE_COL, row), cell(score::WEIGHT_COL, row));
    format!("=IF({percent}=\"\",0,{percent}*{weight})")
}

/// A dimension's weight when it is scored, 0 otherwise.
pub fn dimension_scored_weight(row: u32) -> String {
    let (percent, weight) = (cell(score::VALUE_COL, row), cell(score::WEIGHT_COL, row));
    format!("=IF({percent}=\"\",0,{weight})")
}

/// What a weighted mean shows when none of its dimensions is scored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WhenUnscored {
    /// Blank: there is no score (risk, plain).
    Blank,
    /// Zero: nothing mitigates (mitigation).
    Zero,
}

/// The weighted mean percent of the scored dimensions with one role, over the score
/// sheet's `dimension_count` dimension rows.
pub fn weighted_mean(
    role: DimensionRole,
    dimension_count: usize,
    unscored: WhenUnscored,
) -> String {
    let last = score::FIRST_DIMENSION_ROW + dimension_count as u32 - 1;
    let range = |col: u16| column_range(col, score::FIRST_DIMENSION_ROW, last);
    let (weighted, weights, roles) = (
        range(score::WEIGHTED_COL),
        range(score::SCORED_WEIGHT_COL),
        range(score::ROLE_COL),
    );
    let role = literal(score::role_key(role));
    let empty = match unscored {
        WhenUnscored::Blank => "\"\"",
        WhenUnscored::Zero => "0",
    };
    format!(
        "=IF(SUMIFS({weights},{roles},{role})=0,{empty},SUMIFS({weighted},{roles},{role})/SUMIFS({weights},{roles},{role}))"
    )
}

/// The risk score after mitigation: the risk reduced by the rule's percent when the
/// mitigation reaches its threshold; without a rule, the risk itself.
pub fn mitigated_score(risk_row: u32, mitigation_row: u32, rule: Option<&Mitigation>) -> String {
    let risk = cell(score::VALUE_COL, risk_row);
    let mitigation = cell(score::VALUE_COL, mitigation_row);
    match rule {
        Some(rule) => format!(
            "=IF({risk}=\"\",\"\",IF({mitigation}>={},{risk}*(1-{}/100),{risk}))",
            rule.threshold, rule.reduction
        ),
        None => format!("=IF({risk}=\"\",\"\",{risk})"),
    }
}

/// The level's position (1 for the lowest) from the score in `score_row`: the first
/// level whose upper bound the score does not exceed; blank without a score.
pub fn level_index(score_row: u32, levels: &[Level]) -> String {
    let score = cell(score::VALUE_COL, score_row);
    let mut index = levels.len().to_string();
    for (i, level) in levels.iter().enumerate().rev().skip(1) {
        index = format!("IF({score}<={},{},{index})", level.up_to, i + 1);
    }
    format!("=IF({score}=\"\",\"\",{index})")
}

/// The label of the level whose position is in `index_row`; blank without one.
pub fn level_label(index_row: u32, levels: &[Level]) -> String {
    let index = cell(score::LEVEL_INDEX_COL, index_row);
    let labels: Vec<String> = levels.iter().map(|l| literal(&l.label)).collect();
    format!(
        "=IF({index}=\"\",\"\",CHOOSE({index},{}))",
        labels.join(",")
    )
}

/// Whether a flag is raised, in words (`yes` when raised, else `no`), from its row's raised
/// cell (`G12=1`).
pub fn flag_state(raised: &str, [yes, no]: [&str; 2]) -> String {
    format!("=IF({raised},{},{})", literal(yes), literal(no))
}

/// The level position after a raising of a flag: the position on `previous_row`, held no
/// lower than `min_level` and no higher than `max_level` (indices into the levels) when
/// `raised`.
pub fn flag_level(
    previous_row: u32,
    raised: &str,
    min_level: Option<usize>,
    max_level: Option<usize>,
) -> String {
    let previous = cell(score::LEVEL_INDEX_COL, previous_row);
    let floor = min_level.map_or(previous.clone(), |l| format!("MAX({previous},{})", l + 1));
    let clamped = max_level.map_or(floor.clone(), |l| format!("MIN({floor},{})", l + 1));
    format!("=IF({previous}=\"\",\"\",IF({raised},{clamped},{previous}))")
}

/// The sum of some cells of one column as a condition that any is positive:
/// `SUM(G12,G15)>0`, or `FALSE` without cells.
pub fn any_positive(col: u16, rows: &[u32]) -> String {
    if rows.is_empty() {
        return "FALSE".to_owned();
    }
    let cells: Vec<String> = rows.iter().map(|&r| cell(col, r)).collect();
    format!("SUM({})>0", cells.join(","))
}

/// A list in one cell: the `(condition, text)` pairs whose condition holds, in order,
/// joined with [`score::LIST_SEPARATOR`]; blank when none holds.
pub fn joined_list(items: &[(String, String)]) -> String {
    if items.is_empty() {
        return "=\"\"".to_owned();
    }
    let separator = score::LIST_SEPARATOR;
    let parts: Vec<String> = items
        .iter()
        .map(|(condition, text)| {
            format!(
                "IF({condition},{},\"\")",
                literal(&format!("{separator}{text}"))
            )
        })
        .collect();
    format!("=MID({},{},32767)", parts.join("&"), separator.len() + 1)
}

/// A sum of one hidden column of the questions sheet over its question rows.
fn questions_sum(column: questions::Column, last_row: u32) -> String {
    format!(
        "SUM({}!{})",
        questions::NAME,
        absolute_column_range(column.index, questions::FIRST_ROW, last_row)
    )
}

/// Completion: 100 × answered / applicable scored questions (100 when none applies).
pub fn completion(last_row: u32) -> String {
    let counted = questions_sum(questions::COUNTED, last_row);
    let answered = questions_sum(questions::COUNTED_ANSWERED, last_row);
    format!("=IF({counted}=0,100,100*{answered}/{counted})")
}

/// `TRUE` when an applicable required question is left blank: the `incomplete` flag.
pub fn incomplete(last_row: u32) -> String {
    format!("{}>0", questions_sum(questions::MISSING, last_row))
}

/// The verdict of a risk assessment (SPEC §5 step 8), from the flag rows
/// `first_flag_row..=last_flag_row` (none when `None`) and the final level's position on
/// `level_row`: do not proceed when a raised flag stops the use; else proceed with
/// conditions when any flag (`incomplete` aside) is raised or the level is above the
/// first; else proceed.
pub fn verdict(flag_rows: Option<(u32, u32)>, level_row: u32, labels: [&str; 3]) -> String {
    let sum_of = |col: u16| {
        flag_rows.map_or("FALSE".to_owned(), |(first, last)| {
            format!("SUM({})>0", column_range(col, first, last))
        })
    };
    let level = cell(score::LEVEL_INDEX_COL, level_row);
    let [proceed, conditions, stop] = labels.map(literal);
    format!(
        "=IF({},{stop},IF(OR({},IF(ISNUMBER({level}),{level}>1,FALSE)),{conditions},{proceed}))",
        sum_of(score::STOP_COL),
        sum_of(score::RAISED_COL)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::questionnaire::{Choice, QuestionType};

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

    fn yes_no_na() -> Question {
        question(
            QuestionType::Single,
            vec![
                choice("yes", "Yes", 2.0, false),
                choice("no", "No", 0.0, false),
                choice("na", "Not applicable", 0.0, true),
            ],
        )
    }

    fn systems() -> Question {
        question(
            QuestionType::Multiple,
            vec![
                choice("cctv", "CCTV", 2.0, false),
                choice("social", "Social media", 1.5, false),
                choice("none", "None of these", 0.0, true),
            ],
        )
    }

    fn level(label: &str, up_to: f64) -> Level {
        Level {
            id: label.to_lowercase(),
            label: label.into(),
            up_to,
            description: String::new(),
        }
    }

    // Quotes inside a literal are doubled, as Excel spells them.
    #[test]
    fn literals_escape_quotes() {
        assert_eq!(literal("say \"yes\""), "\"say \"\"yes\"\"\"");
    }

    // A dropdown's source spans exactly its values, and at least one cell.
    #[test]
    fn list_ranges() {
        assert_eq!(list_range(lists::SELECTED_COL, 1), "=Lists!$C$1:$C$1");
        assert_eq!(list_range(lists::FIRST_QUESTION_COL, 4), "=Lists!$D$1:$D$4");
        assert_eq!(list_range(lists::ROLES_COL, 0), "=Lists!$A$1:$A$1");
    }

    // A question for some roles matches a blank role, the role's id or its label; a
    // question for every stage matches any stage.
    #[test]
    fn applies_by_id_or_label() {
        let label_of = |id: &str| (id == "legal").then_some("Legal advisors");
        assert_eq!(
            applies(&["legal".into()], &[], label_of, &[]),
            "=AND(OR(Respondent!$B$5=\"\",Respondent!$B$5=\"legal\",Respondent!$B$5=\"Legal advisors\"),TRUE)"
        );
        assert_eq!(
            applies(&[], &[], label_of, &["R1".into(), "R2".into()]),
            "=AND(TRUE,TRUE,R1,R2)"
        );
    }

    // A single question scores the option chosen by label or value, -1 for anything else,
    // and "not applicable" removes it.
    #[test]
    fn single_question_points() {
        let points = QuestionPoints::single(&yes_no_na(), 3, false);
        assert_eq!(
            points.achieved(),
            "=IF(NOT(G4),0,IF(OR(E4=\"Not applicable\",E4=\"na\"),0,\
             IF(IF(OR(E4=\"Yes\",E4=\"yes\"),2,IF(OR(E4=\"No\",E4=\"no\"),0,-1))>=0,\
             IF(OR(E4=\"Yes\",E4=\"yes\"),2,IF(OR(E4=\"No\",E4=\"no\"),0,-1)),0)))"
        );
        assert_eq!(
            points.possible(),
            "=IF(NOT(G4),0,IF(OR(E4=\"Not applicable\",E4=\"na\"),0,2))"
        );
    }

    // An unanswered question in a risk dimension counts as its maximum.
    #[test]
    fn worst_case_fallback() {
        let risk = QuestionPoints::single(&yes_no_na(), 3, true).achieved();
        assert!(risk.ends_with(",2)))"), "{risk}");
        let plain = QuestionPoints::single(&yes_no_na(), 3, false).achieved();
        assert!(plain.ends_with(",0)))"), "{plain}");
    }

    // A multiple question sums the options marked Yes on the rows below it, capped at its
    // max; a not-applicable option marked Yes removes it.
    #[test]
    fn multiple_question_points() {
        let mut q = systems();
        q.max = Some(3.0);
        let points = QuestionPoints::multiple(&q, 5, false);
        assert_eq!(
            points.achieved(),
            "=IF(NOT(G6),0,IF(OR(E9=\"Yes\"),0,IF(COUNTIF(E7:E9,\"Yes\")>0,\
             MIN(3,IF(E7=\"Yes\",2,0)+IF(E8=\"Yes\",1.5,0)),0)))"
        );
        assert_eq!(points.possible(), "=IF(NOT(G6),0,IF(OR(E9=\"Yes\"),0,3))");
    }

    // A multiple question with only a not-applicable option sums to 0 and an empty
    // not-applicable list is FALSE.
    #[test]
    fn multiple_question_without_scores() {
        let q = question(QuestionType::Multiple, vec![choice("a", "A", 1.0, false)]);
        assert!(
            QuestionPoints::multiple(&q, 1, false)
                .achieved()
                .contains("IF(FALSE,0,")
        );
        let q = question(QuestionType::Multiple, vec![choice("n", "N", 0.0, true)]);
        assert!(
            QuestionPoints::multiple(&q, 1, false)
                .achieved()
                .contains(",0,0)))")
        );
    }

    // A dimension sums its questions' hidden column and its percent is blank without a max.
    #[test]
    fn dimension_formulas() {
        assert_eq!(
            dimension_sum(questions::ACHIEVED, "data", 9),
            "=SUMIFS(Questions!$H$2:$H$10,Questions!$F$2:$F$10,\"data\")"
        );
        assert_eq!(dimension_percent(2), "=IF(D3=0,\"\",100*C3/D3)");
        assert_eq!(dimension_weighted(2), "=IF(E3=\"\",0,E3*B3)");
        assert_eq!(dimension_scored_weight(2), "=IF(E3=\"\",0,B3)");
    }

    // The risk mean is blank and the mitigation mean 0 when no dimension of theirs is scored.
    #[test]
    fn weighted_means() {
        assert_eq!(
            weighted_mean(DimensionRole::Risk, 3, WhenUnscored::Blank),
            "=IF(SUMIFS(G2:G4,H2:H4,\"risk\")=0,\"\",SUMIFS(F2:F4,H2:H4,\"risk\")/SUMIFS(G2:G4,H2:H4,\"risk\"))"
        );
        assert_eq!(
            weighted_mean(DimensionRole::Mitigation, 3, WhenUnscored::Zero),
            "=IF(SUMIFS(G2:G4,H2:H4,\"mitigation\")=0,0,SUMIFS(F2:F4,H2:H4,\"mitigation\")/SUMIFS(G2:G4,H2:H4,\"mitigation\"))"
        );
    }

    // Mitigation at or above the threshold reduces the risk; without a rule the score is
    // the risk.
    #[test]
    fn mitigation_rule() {
        let rule = Mitigation {
            threshold: 80.0,
            reduction: 25.0,
        };
        assert_eq!(
            mitigated_score(5, 6, Some(&rule)),
            "=IF(E6=\"\",\"\",IF(E7>=80,E6*(1-25/100),E6))"
        );
        assert_eq!(mitigated_score(5, 6, None), "=IF(E6=\"\",\"\",E6)");
    }

    // The level is the first whose upper bound the score does not exceed, by position.
    #[test]
    fn level_lookup() {
        let levels = [
            level("Low", 30.0),
            level("Medium", 60.5),
            level("High", 100.0),
        ];
        assert_eq!(
            level_index(7, &levels),
            "=IF(E8=\"\",\"\",IF(E8<=30,1,IF(E8<=60.5,2,3)))"
        );
        assert_eq!(
            level_label(8, &levels),
            "=IF(F9=\"\",\"\",CHOOSE(F9,\"Low\",\"Medium\",\"High\"))"
        );
    }

    // A raised flag clamps the level between its floor and ceiling (positions from 1);
    // otherwise the level passes through.
    #[test]
    fn flag_clamp() {
        assert_eq!(
            flag_level(9, "R", Some(1), Some(2)),
            "=IF(F10=\"\",\"\",IF(R,MIN(MAX(F10,2),3),F10))"
        );
        assert_eq!(
            flag_level(9, "R", None, Some(0)),
            "=IF(F10=\"\",\"\",IF(R,MIN(F10,1),F10))"
        );
        assert_eq!(
            flag_level(9, "R", Some(2), None),
            "=IF(F10=\"\",\"\",IF(R,MAX(F10,3),F10))"
        );
        assert_eq!(
            flag_state("R", ["raised", "not raised"]),
            "=IF(R,\"raised\",\"not raised\")"
        );
    }

    // A list cell joins the texts whose condition holds and drops the first separator;
    // any-positive sums name their cells.
    #[test]
    fn lists_in_one_cell() {
        assert_eq!(
            joined_list(&[("A".into(), "a".into()), ("B".into(), "b".into())]),
            "=MID(IF(A,\"; a\",\"\")&IF(B,\"; b\",\"\"),3,32767)"
        );
        assert_eq!(joined_list(&[]), "=\"\"");
        assert_eq!(any_positive(score::RAISED_COL, &[11, 14]), "SUM(G12,G15)>0");
        assert_eq!(any_positive(score::RAISED_COL, &[]), "FALSE");
    }

    // Completion counts applicable scored questions; incomplete counts missing ones.
    #[test]
    fn completion_and_incomplete() {
        assert_eq!(
            completion(9),
            "=IF(SUM(Questions!$L$2:$L$10)=0,100,100*SUM(Questions!$M$2:$M$10)/SUM(Questions!$L$2:$L$10))"
        );
        assert_eq!(incomplete(9), "SUM(Questions!$N$2:$N$10)>0");
    }

    // A stop flag wins; then any raised flag or a level above the first asks for
    // conditions; a blank level is not above the first.
    #[test]
    fn verdict_formula() {
        assert_eq!(
            verdict(Some((10, 12)), 12, ["P", "C", "S"]),
            "=IF(SUM(H11:H13)>0,\"S\",IF(OR(SUM(G11:G13)>0,IF(ISNUMBER(F13),F13>1,FALSE)),\"C\",\"P\"))"
        );
        assert_eq!(
            verdict(None, 9, ["P", "C", "S"]),
            "=IF(FALSE,\"S\",IF(OR(FALSE,IF(ISNUMBER(F10),F10>1,FALSE)),\"C\",\"P\"))"
        );
    }
}
