//! The score sheet: each dimension's points and percent, the overall score (risk after
//! mitigation for risk questionnaires), the level from the score, each flag that can
//! clamp it, and the final level, all live formulas (see [`super::formulas`]) with the
//! blank workbook's results stored.

use rust_xlsxwriter::{Formula, Worksheet, XlsxError};

use super::formulas::{
    WhenUnscored, dimension_percent, dimension_scored_weight, dimension_sum, dimension_weighted,
    flag_level, flag_raised, flag_state, level_index, level_label, mitigated_score, weighted_mean,
};
use super::layout::{questions, score};
use super::questions_sheet::QuestionRows;
use super::styles::Styles;
use crate::questionnaire::{Dimension, DimensionRole, Flag, Kind, Questionnaire};
use crate::scoring::ScoreResult;

/// The note under the level, on how the figures are computed.
const METHOD_NOTE: &str = "Percents follow the published method: blank answers count as 0, or as the worst case in risk dimensions; \"Not applicable\" removes a question; a blank percent means the dimension is not scored. Flags raised by some answers hold the level up or down.";

/// Writes the score sheet, summing the questions sheet's rows.
pub(super) fn write_score(
    sheet: &mut Worksheet,
    q: &Questionnaire,
    styles: &Styles,
    rows: &QuestionRows,
    blank: &ScoreResult,
) -> Result<(), XlsxError> {
    write_header(sheet, styles)?;
    let mut writer = ScoreWriter {
        sheet,
        q,
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
    let mut level_row = writer.write_level_from_score(score_row + 1)?;
    for &(index, question_row) in &rows.rows {
        let question = &q.questions[index];
        for flag in &question.flags {
            let raised = flag_raised(question, flag, question_row);
            let label = format!("Flag {} ({})", flag.id, question.id);
            writer.write_flag(&label, &raised, flag, level_row)?;
            level_row += 1;
        }
    }
    writer.write_level(level_row)?;
    writer.sheet.protect();
    Ok(())
}

/// Column widths, hidden helper columns, titles and printing.
fn write_header(sheet: &mut Worksheet, styles: &Styles) -> Result<(), XlsxError> {
    sheet.set_name(score::NAME)?;
    sheet.set_column_width(score::LABEL_COL, 36)?;
    for col in score::WEIGHT_COL..=score::VALUE_COL {
        sheet.set_column_width(col, 13)?;
    }
    for col in score::WEIGHTED_COL..=score::ROLE_COL {
        sheet.set_column_hidden(col)?;
    }
    sheet.set_print_fit_to_pages(1, 0);
    for (col, title) in (score::LABEL_COL..).zip(score::HEADERS) {
        sheet.write_with_format(score::HEADER_ROW, col, title, &styles.header)?;
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
        self.write_total(row, "Risk", risk, blank.risk)?;
        let mitigation = weighted_mean(DimensionRole::Mitigation, count, WhenUnscored::Zero);
        self.write_total(row + 1, "Mitigation", mitigation, blank.mitigation)?;
        let score = mitigated_score(row, row + 1, rule);
        self.write_total(row + 2, "Score (risk after mitigation)", score, blank.score)?;
        Ok(row + 2)
    }

    /// The score of a readiness or principles questionnaire on `row`; returns that row.
    fn write_plain_score(&mut self, row: u32) -> Result<u32, XlsxError> {
        let count = self.q.dimensions.len();
        let mean = weighted_mean(DimensionRole::Plain, count, WhenUnscored::Blank);
        self.write_total(row, "Score", mean, self.blank.score)?;
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
            "Level from the score",
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

    /// A flag's row, under the level position on `previous_row`: whether it is raised,
    /// and the level position after it.
    fn write_flag(
        &mut self,
        label: &str,
        raised: &str,
        flag: &Flag,
        previous_row: u32,
    ) -> Result<(), XlsxError> {
        let row = previous_row + 1;
        self.sheet
            .write_with_format(row, score::LABEL_COL, label, &self.styles.muted_wrap)?;
        self.sheet.write_formula(
            row,
            score::VALUE_COL,
            Formula::new(flag_state(raised)).set_result("not raised"),
        )?;
        self.sheet.write_formula(
            row,
            score::LEVEL_INDEX_COL,
            Formula::new(flag_level(previous_row, raised, flag))
                .set_result(position(self.blank.level_before_flags)),
        )?;
        Ok(())
    }

    /// The final level under the last level position (on `previous_row`), and the note
    /// on the method below it.
    fn write_level(&mut self, previous_row: u32) -> Result<(), XlsxError> {
        let row = previous_row + 1;
        self.sheet
            .write_with_format(row, score::LABEL_COL, "Level", &self.styles.bold)?;
        let label = self.label_of(self.blank.level);
        self.sheet.write_formula_with_format(
            row,
            score::VALUE_COL,
            Formula::new(level_label(previous_row, &self.q.levels)).set_result(label),
            &self.styles.bold,
        )?;
        self.sheet.merge_range(
            row + 2,
            score::LABEL_COL,
            row + 4,
            score::VALUE_COL,
            METHOD_NOTE,
            &self.styles.muted_wrap,
        )?;
        Ok(())
    }

    /// A level's label as a stored formula result (blank without a level).
    fn label_of(&self, level: Option<usize>) -> String {
        level.map_or(String::new(), |l| self.q.levels[l].label.clone())
    }
}
