//! The score sheet: each dimension's points and percent, the overall score (risk after
//! mitigation for risk questionnaires), the level from the score, each raising of a flag
//! that can clamp it (question flags, then rules), the final level, completion, the raised
//! flags, the unknown screening answers, the verdict (risk questionnaires) and the
//! warnings of rules that contradict a screening answer, all live formulas (see
//! [`super::formulas`] and [`super::conditions`]) with the blank workbook's results stored.

use std::collections::BTreeMap;

use rust_xlsxwriter::{
    ConditionalFormatFormula, Format, FormatAlign, Formula, Worksheet, XlsxError,
};

use super::formulas::{
    WhenUnscored, any_positive, completion, dimension_percent, dimension_scored_weight,
    dimension_sum, dimension_weighted, flag_level, flag_state, incomplete, joined_list,
    level_index, level_label, literal, mitigated_score, verdict, weighted_mean,
};
use super::layout::{absolute_cell, cell, questions, score};
use super::questions_sheet::QuestionRows;
use super::raisings::{Raising, blank_levels, raisings};
use super::styles::{Styles, row_height};
use crate::questionnaire::{Dimension, DimensionRole, Kind, Questionnaire};
use crate::scoring::{INCOMPLETE, ScoreResult, Verdict};
use crate::words::Words;

/// The width of the value column, where lists wrap.
const VALUE_WIDTH: f64 = 40.0;

/// The most lines a list's row shows (a longer list scrolls in its cell).
const LIST_LINES: f64 = 6.0;

/// Writes the score sheet, summing the questions sheet's rows.
pub(super) fn write_score(
    sheet: &mut Worksheet,
    q: &Questionnaire,
    words: &Words,
    styles: &Styles,
    rows: &QuestionRows,
    blank: &ScoreResult,
) -> Result<(), XlsxError> {
    write_header(sheet, words, styles)?;
    let mut writer = ScoreWriter {
        sheet,
        q,
        words,
        styles,
        blank,
    };
    for (k, dimension) in q.dimensions.iter().enumerate() {
        writer.write_dimension(k, dimension, rows.last)?;
    }
    // One blank row under the dimensions.
    let first_total_row = score::FIRST_DIMENSION_ROW + q.dimensions.len() as u32 + 1;
    let score_row = match q.kind {
        Kind::Risk => writer.write_risk_score(first_total_row)?,
        Kind::Readiness | Kind::Principles => writer.write_plain_score(first_total_row)?,
    };
    let level_row = writer.write_level_from_score(score_row + 1)?;
    let raisings = raisings(q, words, rows, blank);
    let flag_rows = writer.write_raisings(&raisings, level_row)?;
    let final_index_row = flag_rows.last().copied().unwrap_or(level_row);
    let level_row = writer.write_level(final_index_row)?;
    let mut row = writer.write_completion_and_flags(level_row + 1, &raisings, &flag_rows, rows)?;
    row = writer.write_unknowns(row, rows)?;
    if q.kind == Kind::Risk {
        let first_last = flag_rows.first().zip(flag_rows.last());
        let formula = verdict(
            first_last.map(|(&a, &b)| (a, b)),
            final_index_row,
            [
                Verdict::Proceed,
                Verdict::ProceedWithConditions,
                Verdict::DoNotProceed,
            ]
            .map(|v| verdict_word(words, v)),
        );
        let stored = blank
            .verdict
            .map_or("", |v| verdict_word(words, v))
            .to_owned();
        let bold = writer.styles.bold.clone();
        let label = words.get("workbook.verdict");
        writer.write_text(row, label, &formula, stored, &bold)?;
        writer.colour_verdict(row)?;
        row += 1;
    }
    row = writer.write_warnings(row, &raisings, &flag_rows, rows)?;
    writer.write_note(row + 1)?;
    writer.sheet.protect();
    Ok(())
}

/// The warning written when a rule raises the flag of a screening question answered
/// "no" (SPEC §5 step 7).
fn warning_text(words: &Words, question_id: &str, flag_id: &str) -> String {
    words.fill(
        "workbook.warning",
        &[("question", question_id), ("flag", flag_id)],
    )
}

/// What a reader sees of a verdict, in `words`.
fn verdict_word(words: &Words, verdict: Verdict) -> &str {
    match verdict {
        Verdict::Proceed => words.get("verdict.proceed"),
        Verdict::ProceedWithConditions => words.get("verdict.proceed-with-conditions"),
        Verdict::DoNotProceed => words.get("verdict.do-not-proceed"),
    }
}

/// The keys of the titles of the visible columns, left to right from
/// [`score::LABEL_COL`] (in English, [`score::HEADERS`]).
const HEADERS: [&str; 5] = [
    "workbook.dimension",
    "workbook.weight",
    "workbook.points",
    "workbook.of",
    "workbook.percent",
];

/// Column widths, hidden helper columns, titles and printing.
fn write_header(sheet: &mut Worksheet, words: &Words, styles: &Styles) -> Result<(), XlsxError> {
    sheet.set_name(score::NAME)?;
    // A blank stored result (no score, nothing listed) is an empty text, not the 0 that
    // rust_xlsxwriter stores by default.
    sheet.set_formula_result_default("");
    sheet.set_column_width(score::LABEL_COL, 36)?;
    for col in score::WEIGHT_COL..score::VALUE_COL {
        sheet.set_column_width(col, 13)?;
    }
    // Wide enough for the verdict and a few flag ids; longer lists wrap.
    sheet.set_column_width(score::VALUE_COL, VALUE_WIDTH)?;
    for col in score::WEIGHTED_COL..=score::ROLE_COL {
        sheet.set_column_hidden(col)?;
    }
    sheet.set_print_fit_to_pages(1, 0);
    for (col, title) in (score::LABEL_COL..).zip(HEADERS) {
        sheet.write_with_format(score::HEADER_ROW, col, words.get(title), &styles.header)?;
    }
    Ok(())
}

/// A number as a stored formula result.
fn number(value: f64) -> String {
    value.to_string()
}

/// A figure that may be missing as a stored formula result (blank when missing).
fn optional(value: Option<f64>) -> String {
    value.map_or(String::new(), |v| v.to_string())
}

/// A level's position (1 for the lowest) as a stored formula result.
fn position(level: Option<usize>) -> String {
    level.map_or(String::new(), |l| (l + 1).to_string())
}

/// What every row of the score sheet needs to be written.
struct ScoreWriter<'a, 'w> {
    sheet: &'w mut Worksheet,
    q: &'a Questionnaire,
    words: &'a Words,
    styles: &'a Styles,
    blank: &'a ScoreResult,
}

impl ScoreWriter<'_, '_> {
    /// A dimension's row: title, weight, points, points possible, percent, and the
    /// hidden weighted percent, weight when scored and role that the means sum by.
    fn write_dimension(
        &mut self,
        k: usize,
        dimension: &Dimension,
        last_question_row: u32,
    ) -> Result<(), XlsxError> {
        let row = score::FIRST_DIMENSION_ROW + k as u32;
        let result = self.blank.dimensions[k];
        let (sheet, styles) = (&mut *self.sheet, self.styles);
        sheet.write_with_format(
            row,
            score::LABEL_COL,
            dimension.title.as_str(),
            &styles.wrap,
        )?;
        sheet.write_with_format(row, score::WEIGHT_COL, dimension.weight, &styles.wrap)?;
        for (col, column, value) in [
            (score::POINTS_COL, questions::ACHIEVED, result.achieved),
            (score::OF_COL, questions::MAX, result.max),
        ] {
            let sum = dimension_sum(column, &dimension.id, last_question_row);
            sheet.write_formula_with_format(
                row,
                col,
                Formula::new(sum).set_result(number(value)),
                &styles.percent,
            )?;
        }
        sheet.write_formula_with_format(
            row,
            score::VALUE_COL,
            Formula::new(dimension_percent(row)).set_result(optional(result.percent)),
            &styles.percent,
        )?;
        let (weighted, weight) = result
            .percent
            .map_or((0.0, 0.0), |p| (p * dimension.weight, dimension.weight));
        sheet.write_formula(
            row,
            score::WEIGHTED_COL,
            Formula::new(dimension_weighted(row)).set_result(number(weighted)),
        )?;
        sheet.write_formula(
            row,
            score::SCORED_WEIGHT_COL,
            Formula::new(dimension_scored_weight(row)).set_result(number(weight)),
        )?;
        sheet.write(row, score::ROLE_COL, score::role_key(dimension.role))?;
        Ok(())
    }

    /// A bold label and a figure formula in the value column.
    fn write_total(
        &mut self,
        row: u32,
        label: &str,
        formula: String,
        result: Option<f64>,
    ) -> Result<(), XlsxError> {
        self.sheet
            .write_with_format(row, score::LABEL_COL, label, &self.styles.bold)?;
        self.sheet.write_formula_with_format(
            row,
            score::VALUE_COL,
            Formula::new(formula).set_result(optional(result)),
            &self.styles.percent,
        )?;
        Ok(())
    }

    /// Risk, mitigation and the risk after mitigation, from `row` down; returns the
    /// score's row.
    fn write_risk_score(&mut self, row: u32) -> Result<u32, XlsxError> {
        let count = self.q.dimensions.len();
        let (blank, rule) = (self.blank, self.q.mitigation.as_ref());
        let risk = weighted_mean(DimensionRole::Risk, count, WhenUnscored::Blank);
        let words = self.words;
        self.write_total(row, words.get("workbook.risk"), risk, blank.risk)?;
        let mitigation = weighted_mean(DimensionRole::Mitigation, count, WhenUnscored::Zero);
        let label = words.get("workbook.mitigation");
        self.write_total(row + 1, label, mitigation, blank.mitigation)?;
        let score = mitigated_score(row, row + 1, rule);
        let label = words.get("workbook.score-mitigated");
        self.write_total(row + 2, label, score, blank.score)?;
        Ok(row + 2)
    }

    /// The score of a readiness or principles questionnaire on `row`; returns that row.
    fn write_plain_score(&mut self, row: u32) -> Result<u32, XlsxError> {
        let count = self.q.dimensions.len();
        let mean = weighted_mean(DimensionRole::Plain, count, WhenUnscored::Blank);
        let label = self.words.get("workbook.score");
        self.write_total(row, label, mean, self.blank.score)?;
        Ok(row)
    }

    /// The level from the score alone on `row` (its position hidden beside its label);
    /// returns that row, where the flags start from.
    fn write_level_from_score(&mut self, row: u32) -> Result<u32, XlsxError> {
        let score_row = row - 1;
        let (levels, before_flags) = (&self.q.levels, self.blank.level_before_flags);
        self.sheet.write_with_format(
            row,
            score::LABEL_COL,
            self.words.get("workbook.level-from-score"),
            &self.styles.wrap,
        )?;
        self.sheet.write_formula(
            row,
            score::LEVEL_INDEX_COL,
            Formula::new(level_index(score_row, levels)).set_result(position(before_flags)),
        )?;
        self.sheet.write_formula(
            row,
            score::VALUE_COL,
            Formula::new(level_label(row, levels)).set_result(self.label_of(before_flags)),
        )?;
        Ok(row)
    }

    /// One row per raising under the level from the score (on `level_row`): whether it
    /// is raised (in words, and as 1 or 0 in the raised column), the level position after
    /// it, and 1 in the stop column when it is raised and stops the use. Returns the rows.
    fn write_raisings(
        &mut self,
        raisings: &[Raising],
        level_row: u32,
    ) -> Result<Vec<u32>, XlsxError> {
        let levels = blank_levels(raisings, self.blank.level_before_flags);
        debug_assert_eq!(
            levels
                .last()
                .copied()
                .unwrap_or(self.blank.level_before_flags),
            self.blank.level,
            "the stored level chain ends on the scorer's level"
        );
        let mut rows = Vec::with_capacity(raisings.len());
        for (i, (raising, level)) in raisings.iter().zip(levels).enumerate() {
            let row = level_row + 1 + i as u32;
            let (sheet, styles) = (&mut *self.sheet, self.styles);
            let raised = format!("{}=1", cell(score::RAISED_COL, row));
            let blank_raised = if raising.raised_when_blank { "1" } else { "0" };
            sheet.write_with_format(
                row,
                score::LABEL_COL,
                raising.label.as_str(),
                &styles.muted_wrap,
            )?;
            sheet.write_formula(
                row,
                score::RAISED_COL,
                Formula::new(format!("=IF({},1,0)", raising.raised)).set_result(blank_raised),
            )?;
            let states = [
                self.words.get("workbook.raised"),
                self.words.get("workbook.not-raised"),
            ];
            let stored = states[usize::from(!raising.raised_when_blank)];
            sheet.write_formula(
                row,
                score::VALUE_COL,
                Formula::new(flag_state(&raised, states)).set_result(stored),
            )?;
            let clamp = flag_level(row - 1, &raised, raising.min_level, raising.max_level);
            sheet.write_formula(
                row,
                score::LEVEL_INDEX_COL,
                Formula::new(clamp).set_result(position(level)),
            )?;
            if raising.stop {
                let stop = format!("={}", cell(score::RAISED_COL, row));
                sheet.write_formula(
                    row,
                    score::STOP_COL,
                    Formula::new(stop).set_result(blank_raised),
                )?;
            } else {
                sheet.write_number(row, score::STOP_COL, 0)?;
            }
            rows.push(row);
        }
        Ok(rows)
    }

    /// The final level under the last level position (on `previous_row`); returns its row.
    fn write_level(&mut self, previous_row: u32) -> Result<u32, XlsxError> {
        let row = previous_row + 1;
        self.sheet.write_with_format(
            row,
            score::LABEL_COL,
            self.words.get("workbook.level"),
            &self.styles.bold,
        )?;
        let label = self.label_of(self.blank.level);
        self.sheet.write_formula_with_format(
            row,
            score::VALUE_COL,
            Formula::new(level_label(previous_row, &self.q.levels)).set_result(label),
            &self.styles.bold,
        )?;
        Ok(row)
    }

    /// A bold label and a text formula in the value column, with its stored result.
    fn write_text(
        &mut self,
        row: u32,
        label: &str,
        formula: &str,
        stored: String,
        format: &Format,
    ) -> Result<(), XlsxError> {
        let top = self.styles.bold.clone().set_align(FormatAlign::Top);
        self.sheet
            .write_with_format(row, score::LABEL_COL, label, &top)?;
        self.sheet.write_formula_with_format(
            row,
            score::VALUE_COL,
            Formula::new(formula).set_result(stored),
            format,
        )?;
        Ok(())
    }

    /// A list on `row` (see [`joined_list`]), wrapped in the value column on a row tall
    /// enough for every item, up to [`LIST_LINES`] lines.
    fn write_list(
        &mut self,
        row: u32,
        label: &str,
        items: &[(String, String)],
        stored: String,
    ) -> Result<(), XlsxError> {
        let wrap = self.styles.wrap.clone();
        self.write_text(row, label, &joined_list(items), stored, &wrap)?;
        let every: Vec<&str> = items.iter().map(|(_, text)| text.as_str()).collect();
        let full = every.join(score::LIST_SEPARATOR);
        let height = row_height(&[(&full, VALUE_WIDTH)]).min(15.0 * LIST_LINES + 2.0);
        self.sheet.set_row_height(row, height)?;
        Ok(())
    }

    /// Completion on `row`, and the raised flags under it: every flag id (sorted, each
    /// once) with a raising that is raised, and `incomplete` when a required applicable
    /// question is blank. Returns the next free row.
    fn write_completion_and_flags(
        &mut self,
        row: u32,
        raisings: &[Raising],
        flag_rows: &[u32],
        rows: &QuestionRows,
    ) -> Result<u32, XlsxError> {
        self.sheet.write_with_format(
            row,
            score::LABEL_COL,
            self.words.get("workbook.completion"),
            &self.styles.bold,
        )?;
        self.sheet.write_formula_with_format(
            row,
            score::VALUE_COL,
            Formula::new(completion(rows.last)).set_result(number(self.blank.completion)),
            &self.styles.percent,
        )?;
        let mut by_id: BTreeMap<&str, Vec<String>> = BTreeMap::new();
        for (raising, &flag_row) in raisings.iter().zip(flag_rows) {
            by_id
                .entry(raising.id.as_str())
                .or_default()
                .push(any_positive(score::RAISED_COL, &[flag_row]));
        }
        by_id
            .entry(INCOMPLETE)
            .or_default()
            .push(incomplete(rows.last));
        let items: Vec<(String, String)> = by_id
            .into_iter()
            .map(|(id, conditions)| (super::conditions::any_of(&conditions), id.to_owned()))
            .collect();
        let mut stored: Vec<&str> = self.blank.flags.iter().map(|f| f.id.as_str()).collect();
        stored.sort_unstable();
        stored.dedup();
        self.write_list(
            row + 1,
            self.words.get("workbook.flags-raised"),
            &items,
            stored.join(score::LIST_SEPARATOR),
        )?;
        Ok(row + 2)
    }

    /// The unknowns on `row` (the screening questions left blank or answered `unsure`,
    /// in question order) when the sheet has a screening question; returns the next free
    /// row.
    fn write_unknowns(&mut self, row: u32, rows: &QuestionRows) -> Result<u32, XlsxError> {
        let q = self.q;
        let items: Vec<(String, String)> = rows
            .rows
            .iter()
            .filter(|&&(index, _)| q.questions[index].screening)
            .filter_map(|&(index, _)| rows.cells(q, index))
            .map(|cells| (cells.unknown_cell(), cells.question.id.clone()))
            .collect();
        if items.is_empty() {
            return Ok(row);
        }
        let stored: Vec<&str> = self
            .blank
            .unknowns
            .iter()
            .map(|&i| q.questions[i].id.as_str())
            .collect();
        self.write_list(
            row,
            self.words.get("workbook.unknowns"),
            &items,
            stored.join(score::LIST_SEPARATOR),
        )?;
        Ok(row + 1)
    }

    /// The warnings on `row`: each rule raised while a screening question that raises the
    /// same flag is answered "no", in rule then question order (none to write when no
    /// rule shares a screening question's flag). Returns the next free row.
    fn write_warnings(
        &mut self,
        row: u32,
        raisings: &[Raising],
        flag_rows: &[u32],
        rows: &QuestionRows,
    ) -> Result<u32, XlsxError> {
        let q = self.q;
        let mut items = Vec::new();
        for (raising, &flag_row) in raisings.iter().zip(flag_rows) {
            if raising.rule.is_none() {
                continue;
            }
            for &(index, _) in &rows.rows {
                let question = &q.questions[index];
                if !question.screening || !question.flags.iter().any(|f| f.id == raising.id) {
                    continue;
                }
                let cells = rows.cells(q, index).expect("a question on the sheet");
                let raised = format!("{}=1", cell(score::RAISED_COL, flag_row));
                items.push((
                    format!("AND({raised},{})", cells.said_no()),
                    warning_text(self.words, &question.id, &raising.id),
                ));
            }
        }
        if items.is_empty() {
            return Ok(row);
        }
        let stored: Vec<String> = self
            .blank
            .contradictions
            .iter()
            .map(|c| {
                let question = &q.questions[c.question].id;
                warning_text(self.words, question, &q.rules[c.rule].id)
            })
            .collect();
        self.write_list(
            row,
            self.words.get("workbook.warnings"),
            &items,
            stored.join(score::LIST_SEPARATOR),
        )?;
        Ok(row + 1)
    }

    /// Colours the verdict on `row` as it changes: red, amber or green.
    fn colour_verdict(&mut self, row: u32) -> Result<(), XlsxError> {
        let colours = [
            (Verdict::DoNotProceed, "#F4C7C3", "#7A1712"),
            (Verdict::ProceedWithConditions, "#FCE8B2", "#6B4A00"),
            (Verdict::Proceed, "#C9E7CF", "#0D5224"),
        ];
        for (verdict, fill, font) in colours {
            let rule = format!(
                "={}={}",
                absolute_cell(score::VALUE_COL, row),
                literal(verdict_word(self.words, verdict))
            );
            let format = ConditionalFormatFormula::new()
                .set_rule(rule.as_str())
                .set_format(
                    Format::new()
                        .set_background_color(fill)
                        .set_font_color(font),
                );
            self.sheet.add_conditional_format(
                row,
                score::VALUE_COL,
                row,
                score::VALUE_COL,
                &format,
            )?;
        }
        Ok(())
    }

    /// The note on the method, from `row` down.
    fn write_note(&mut self, row: u32) -> Result<(), XlsxError> {
        self.sheet.merge_range(
            row,
            score::LABEL_COL,
            row + 3,
            score::VALUE_COL,
            self.words.get("workbook.method-note"),
            &self.styles.muted_wrap,
        )?;
        Ok(())
    }

    /// A level's label as a stored formula result (blank without a level).
    fn label_of(&self, level: Option<usize>) -> String {
        level.map_or(String::new(), |l| self.q.levels[l].label.clone())
    }
}
