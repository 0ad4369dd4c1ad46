//! The questions sheet: one row per question with its dropdown and guidance, one row per
//! option under a multiple-choice question, and hidden columns that score each question
//! live (see [`super::formulas::QuestionPoints`]).

use rust_xlsxwriter::{DataValidation, Formula, Worksheet, XlsxError};

use super::formulas::{QuestionPoints, applies, list_range};
use super::layout::{OPTION_SEPARATOR, lists, questions};
use super::styles::{Styles, input_message, row_height};
use crate::content::manifest::Manifest;
use crate::questionnaire::{Choice, DimensionRole, Question, QuestionType, Questionnaire};
use crate::scoring::ScoreResult;

/// The dropdown source of a single-choice question, on the lists sheet.
pub(super) struct ListRange {
    /// The question id.
    pub question: String,
    /// The formula of its options' range (`=Lists!$D$1:$D$4`).
    pub formula: String,
}

/// Where the questions went, for the score sheet.
pub(super) struct QuestionRows {
    /// One past the last row written; the score sheet's sums reach down to it.
    pub last: u32,
    /// The row of each question written, by question index, in order.
    pub rows: Vec<(usize, u32)>,
}

/// Column widths of the visible columns.
const WIDTHS: [(questions::Column, f64); 5] = [
    (questions::ID, 14.0),
    (questions::DIMENSION, 22.0),
    (questions::QUESTION, 62.0),
    (questions::GUIDANCE, 48.0),
    (questions::ANSWER, 26.0),
];

/// Writes the questions sheet and says where each question went.
pub(super) fn write_questions(
    sheet: &mut Worksheet,
    q: &Questionnaire,
    manifest: &Manifest,
    chosen: &[(usize, &Question)],
    list_ranges: &[ListRange],
    styles: &Styles,
    blank: &ScoreResult,
) -> Result<QuestionRows, XlsxError> {
    write_header(sheet, styles)?;
    let mut writer = QuestionWriter {
        sheet,
        q,
        manifest,
        list_ranges,
        styles,
        blank,
    };
    let mut row = questions::FIRST_ROW;
    let mut rows = Vec::new();
    for &(index, question) in chosen {
        rows.push((index, row));
        row = writer.write_question(index, question, row)?;
    }
    writer.sheet.protect();
    Ok(QuestionRows {
        last: row.max(2),
        rows,
    })
}

/// Column widths, hidden columns, titles, frozen header and printing.
fn write_header(sheet: &mut Worksheet, styles: &Styles) -> Result<(), XlsxError> {
    sheet.set_name(questions::NAME)?;
    for (column, width) in WIDTHS {
        sheet.set_column_width(column.index, width)?;
    }
    for column in questions::HIDDEN {
        sheet.set_column_hidden(column.index)?;
    }
    for column in questions::VISIBLE.iter().chain(&questions::HIDDEN) {
        sheet.write_with_format(
            questions::HEADER_ROW,
            column.index,
            column.title,
            &styles.header,
        )?;
    }
    sheet.set_freeze_panes(questions::FIRST_ROW, 0)?;
    sheet.set_landscape();
    sheet.set_print_fit_to_pages(1, 0);
    sheet.set_repeat_rows(questions::HEADER_ROW, questions::HEADER_ROW)?;
    Ok(())
}

/// What every question row needs to be written.
struct QuestionWriter<'a, 'w> {
    sheet: &'w mut Worksheet,
    q: &'a Questionnaire,
    manifest: &'a Manifest,
    list_ranges: &'a [ListRange],
    styles: &'a Styles,
    blank: &'a ScoreResult,
}

impl QuestionWriter<'_, '_> {
    /// Writes one question on `row` (and its options below it); returns the next free row.
    fn write_question(
        &mut self,
        index: usize,
        question: &Question,
        row: u32,
    ) -> Result<u32, XlsxError> {
        let guidance = question.help.clone().unwrap_or_default();
        self.write_question_cells(index, question, row, &guidance)?;
        match question.kind {
            QuestionType::Single => {
                self.write_single_answer(question, row, &guidance)?;
                self.write_points(
                    index,
                    QuestionPoints::single(question, row, self.worst_case(question)),
                )?;
                Ok(row + 1)
            }
            QuestionType::Text => {
                self.write_text_answer(question, row, &guidance)?;
                Ok(row + 1)
            }
            QuestionType::Multiple => {
                self.write_multiple_answer(question, row)?;
                self.write_points(
                    index,
                    QuestionPoints::multiple(question, row, self.worst_case(question)),
                )?;
                Ok(row + 1 + question.options.len() as u32)
            }
        }
    }

    /// Unanswered questions score their maximum in risk dimensions and 0 elsewhere.
    fn worst_case(&self, question: &Question) -> bool {
        self.q.dimensions[question.dimension].role == DimensionRole::Risk
    }

    /// The cells every question row has: id, dimension, text, guidance, the hidden
    /// dimension id and whether it applies, and a row height that shows the text.
    fn write_question_cells(
        &mut self,
        index: usize,
        question: &Question,
        row: u32,
        guidance: &str,
    ) -> Result<(), XlsxError> {
        let dimension = &self.q.dimensions[question.dimension];
        let mut text = question.text.clone();
        if question.kind == QuestionType::Multiple {
            text.push_str(" (select all that apply below)");
        }
        if !question.required {
            text.push_str(" (optional)");
        }
        let (sheet, styles) = (&mut *self.sheet, self.styles);
        sheet.write_with_format(row, questions::ID.index, question.id.as_str(), &styles.wrap)?;
        // A dimension with a mark in the toolkit's visual key (a principle's letter and
        // colour) shows both: the code before its title, the colour as a thick left rule.
        let (title, format) = match &dimension.mark {
            Some(mark) => (
                format!("{} · {}", mark.symbol, dimension.title),
                styles
                    .wrap
                    .clone()
                    .set_border_left(rust_xlsxwriter::FormatBorder::Thick)
                    .set_border_left_color(rust_xlsxwriter::Color::RGB(mark.colour_rgb())),
            ),
            None => (dimension.title.clone(), styles.wrap.clone()),
        };
        sheet.write_with_format(row, questions::DIMENSION.index, title.as_str(), &format)?;
        sheet.write_with_format(row, questions::QUESTION.index, text.as_str(), &styles.wrap)?;
        sheet.write_with_format(row, questions::GUIDANCE.index, guidance, &styles.muted_wrap)?;
        sheet.write(row, questions::DIMENSION_ID.index, dimension.id.as_str())?;
        let formula = applies(&question.roles, &question.stages, |id| {
            self.manifest.label_of(id)
        });
        let applies_now = question_applies(self.blank, index, question);
        sheet.write_formula(
            row,
            questions::APPLIES.index,
            Formula::new(formula).set_result(if applies_now { "TRUE" } else { "FALSE" }),
        )?;
        sheet.set_row_height(row, row_height(&[(&text, 62.0), (guidance, 48.0)]))?;
        Ok(())
    }

    /// The answer cell of a single-choice question: a dropdown of its options.
    fn write_single_answer(
        &mut self,
        question: &Question,
        row: u32,
        guidance: &str,
    ) -> Result<(), XlsxError> {
        let answer = questions::ANSWER.index;
        self.sheet
            .write_with_format(row, answer, "", &self.styles.input)?;
        let range = &self
            .list_ranges
            .iter()
            .find(|r| r.question == question.id)
            .expect("list written")
            .formula;
        let mut validation = DataValidation::new()
            .allow_list_formula(Formula::new(range.as_str()))
            .set_error_title("Choose from the list")?
            .set_error_message("Choose one of the answers in the dropdown.")?;
        if !guidance.is_empty() {
            validation = validation
                .set_input_title(question.id.as_str())?
                .set_input_message(input_message(guidance))?;
        }
        self.sheet
            .add_data_validation(row, answer, row, answer, &validation)?;
        Ok(())
    }

    /// The answer cell of a free-text question, with its guidance as input message.
    fn write_text_answer(
        &mut self,
        question: &Question,
        row: u32,
        guidance: &str,
    ) -> Result<(), XlsxError> {
        let answer = questions::ANSWER.index;
        self.sheet
            .write_with_format(row, answer, "", &self.styles.input_wrap)?;
        if !guidance.is_empty() {
            let validation = DataValidation::new()
                .allow_any_value()
                .set_input_title(question.id.as_str())?
                .set_input_message(input_message(guidance))?;
            self.sheet
                .add_data_validation(row, answer, row, answer, &validation)?;
        }
        Ok(())
    }

    /// The closed answer cell of a multiple-choice question, and one row per option
    /// under it.
    fn write_multiple_answer(&mut self, question: &Question, row: u32) -> Result<(), XlsxError> {
        self.sheet.write_with_format(
            row,
            questions::ANSWER.index,
            questions::MULTIPLE_PLACEHOLDER,
            &self.styles.closed,
        )?;
        for (i, option) in question.options.iter().enumerate() {
            self.write_option_row(question, option, row + 1 + i as u32)?;
        }
        Ok(())
    }

    /// One option of a multiple-choice question: `<question id>/<value>`, its label, and
    /// a dropdown holding only `Yes`.
    fn write_option_row(
        &mut self,
        question: &Question,
        option: &Choice,
        row: u32,
    ) -> Result<(), XlsxError> {
        let (value, label) = (&option.value, &option.label);
        let (sheet, styles) = (&mut *self.sheet, self.styles);
        sheet.write_with_format(
            row,
            questions::ID.index,
            format!("{}{OPTION_SEPARATOR}{value}", question.id),
            &styles.muted_wrap,
        )?;
        sheet.write_with_format(row, questions::DIMENSION.index, "", &styles.wrap)?;
        sheet.write_with_format(
            row,
            questions::QUESTION.index,
            format!("☐ {label}"),
            &styles.option,
        )?;
        sheet.set_row_height(row, row_height(&[(label, 58.0)]))?;
        sheet.write_with_format(row, questions::GUIDANCE.index, "", &styles.muted_wrap)?;
        let answer = questions::ANSWER.index;
        sheet.write_with_format(row, answer, "", &styles.input)?;
        let validation = DataValidation::new()
            .allow_list_formula(Formula::new(list_range(lists::SELECTED_COL, 1)))
            .set_input_title(question.id.as_str())?
            .set_input_message(input_message(&format!(
                "Choose Yes if this applies: {label}"
            )))?;
        sheet.add_data_validation(row, answer, row, answer, &validation)?;
        Ok(())
    }

    /// The hidden achieved and max formulas of a question, with the blank workbook's
    /// results stored.
    fn write_points(&mut self, index: usize, points: QuestionPoints) -> Result<(), XlsxError> {
        let (achieved, max) =
            self.blank.questions[index].map_or((0.0, 0.0), |s| (s.achieved, s.max));
        let row = points.row();
        self.sheet.write_formula(
            row,
            questions::ACHIEVED.index,
            Formula::new(points.achieved()).set_result(achieved.to_string()),
        )?;
        self.sheet.write_formula(
            row,
            questions::MAX.index,
            Formula::new(points.possible()).set_result(max.to_string()),
        )?;
        Ok(())
    }
}

/// Whether a question applies in the blank workbook (its role and stage prefilled when tailored).
fn question_applies(blank: &ScoreResult, index: usize, question: &Question) -> bool {
    match question.kind {
        QuestionType::Text => blank.unanswered.contains(&index),
        _ => blank.questions[index].is_some(),
    }
}
