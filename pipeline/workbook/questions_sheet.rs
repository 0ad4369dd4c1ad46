//! The questions sheet: one row per question with its dropdown and guidance, one row per
//! option under a multiple-choice question, and hidden columns that score each question
//! live (see [`super::formulas::QuestionPoints`]) and carry what method 2 reads (whether
//! it applies, is answered, is an unknown screening answer, counts toward completion).
//! A question that can stop applying (its role, its stage or an earlier answer) says when
//! it applies in its guidance, and its rows turn grey while it does not.

use rust_xlsxwriter::{ConditionalFormatFormula, DataValidation, Formula, Worksheet, XlsxError};

use super::conditions::{AnswerCells, relevance_items};
use super::formulas::{QuestionPoints, applies, list_range};
use super::layout::{OPTION_SEPARATOR, SELECTED, absolute_cell, cell, lists, questions};
use super::styles::{Styles, input_message, row_height};
use crate::content::manifest::Manifest;
use crate::questionnaire::{Choice, DimensionRole, Question, QuestionType, Questionnaire};
use crate::scoring::ScoreResult;
use crate::words::Words;

/// The dropdown source of a single-choice question, on the lists sheet.
pub(super) struct ListRange {
    /// The question id.
    pub question: String,
    /// The formula of its options' range (`=Lists!$D$1:$D$4`).
    pub formula: String,
}

/// Where the questions go: planned before anything is written, since a question's
/// formulas read the rows of questions below it as well as above.
pub(super) struct QuestionRows {
    /// One past the last row written; the score sheet's sums reach down to it.
    pub last: u32,
    /// The row of each question written, by question index, in order.
    pub rows: Vec<(usize, u32)>,
    /// The row of each question of the questionnaire, `None` when it is left out.
    by_index: Vec<Option<u32>>,
}

impl QuestionRows {
    /// The rows of the chosen questions: one each, and one per option under a
    /// multiple-choice question.
    pub fn plan(q: &Questionnaire, chosen: &[(usize, &Question)]) -> Self {
        let mut row = questions::FIRST_ROW;
        let mut rows = Vec::new();
        let mut by_index = vec![None; q.questions.len()];
        for &(index, question) in chosen {
            rows.push((index, row));
            by_index[index] = Some(row);
            row += 1;
            if question.kind == QuestionType::Multiple {
                row += question.options.len() as u32;
            }
        }
        QuestionRows {
            last: row.max(2),
            rows,
            by_index,
        }
    }

    /// The cells of question `index` of `q`, or `None` when it is not on the sheet.
    pub fn cells<'q>(&self, q: &'q Questionnaire, index: usize) -> Option<AnswerCells<'q>> {
        let row = self.by_index.get(index).copied().flatten()?;
        Some(AnswerCells {
            question: &q.questions[index],
            row,
        })
    }
}

/// Column widths of the visible columns.
const WIDTHS: [(questions::Column, f64); 5] = [
    (questions::ID, 14.0),
    (questions::DIMENSION, 22.0),
    (questions::QUESTION, 62.0),
    (questions::GUIDANCE, 48.0),
    (questions::ANSWER, 26.0),
];

/// What the questions sheet is written from.
pub(super) struct QuestionsInput<'a> {
    /// The questionnaire.
    pub q: &'a Questionnaire,
    /// Labels of roles and stages.
    pub manifest: &'a Manifest,
    /// The fixed words of the edition's language.
    pub words: &'a Words,
    /// Whether the workbook is tailored to one role and stage (its notes then leave
    /// roles and stages out).
    pub tailored: bool,
    /// Where each question goes.
    pub rows: &'a QuestionRows,
    /// The dropdown source of each single-choice question.
    pub list_ranges: &'a [ListRange],
    /// The score of the blank workbook, whose results are stored.
    pub blank: &'a ScoreResult,
}

/// Writes the questions sheet.
pub(super) fn write_questions(
    sheet: &mut Worksheet,
    input: &QuestionsInput,
    styles: &Styles,
) -> Result<(), XlsxError> {
    write_header(sheet, input.words, styles)?;
    let mut writer = QuestionWriter {
        sheet,
        input,
        styles,
    };
    for &(index, row) in &input.rows.rows {
        writer.write_question(index, &input.q.questions[index], row)?;
    }
    writer.sheet.protect();
    Ok(())
}

/// Column widths, hidden columns, titles, frozen header and printing.
fn write_header(sheet: &mut Worksheet, words: &Words, styles: &Styles) -> Result<(), XlsxError> {
    sheet.set_name(questions::NAME)?;
    for (column, width) in WIDTHS {
        sheet.set_column_width(column.index, width)?;
    }
    for column in questions::HIDDEN {
        sheet.set_column_hidden(column.index)?;
    }
    // The ID and Answer titles, which the answer reader looks for, and the hidden
    // columns' are not words.
    for column in questions::VISIBLE.iter().chain(&questions::HIDDEN) {
        let title = match column.index {
            i if i == questions::DIMENSION.index => words.get("workbook.dimension"),
            i if i == questions::QUESTION.index => words.get("workbook.question"),
            i if i == questions::GUIDANCE.index => words.get("workbook.guidance"),
            _ => column.title,
        };
        sheet.write_with_format(questions::HEADER_ROW, column.index, title, &styles.header)?;
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
    input: &'a QuestionsInput<'a>,
    styles: &'a Styles,
}

impl QuestionWriter<'_, '_> {
    /// Writes one question on `row` (and its options below it).
    fn write_question(
        &mut self,
        index: usize,
        question: &Question,
        row: u32,
    ) -> Result<(), XlsxError> {
        let note = super::notes::applies_note(
            self.input.q,
            question,
            (self.input.manifest, self.input.words),
            self.input.tailored,
        );
        let help = question.help.as_deref().unwrap_or_default();
        let guidance = match &note {
            Some(note) if help.is_empty() => note.clone(),
            Some(note) => format!("{note}\n{help}"),
            None => help.to_owned(),
        };
        self.write_question_cells(index, question, row, &guidance)?;
        self.write_method_cells(index, question, row)?;
        match question.kind {
            QuestionType::Single => {
                self.write_single_answer(question, row, &guidance)?;
                self.write_points(
                    index,
                    QuestionPoints::single(question, row, self.worst_case(question)),
                )?;
            }
            QuestionType::Text => self.write_text_answer(question, row, &guidance)?,
            QuestionType::Multiple => {
                self.write_multiple_answer(question, row)?;
                self.write_points(
                    index,
                    QuestionPoints::multiple(question, row, self.worst_case(question)),
                )?;
            }
        }
        let can_stop_applying = !question.roles.is_empty()
            || !question.stages.is_empty()
            || !question.relevant.is_empty();
        if can_stop_applying {
            self.grey_when_not_applicable(question, row)?;
        }
        Ok(())
    }

    /// Unanswered questions score their maximum in risk dimensions and 0 elsewhere.
    fn worst_case(&self, question: &Question) -> bool {
        self.input.q.dimensions[question.dimension].role == DimensionRole::Risk
    }

    /// Greys the question's rows (and its option rows) while it does not apply.
    fn grey_when_not_applicable(&mut self, question: &Question, row: u32) -> Result<(), XlsxError> {
        let last = match question.kind {
            QuestionType::Multiple => row + question.options.len() as u32,
            _ => row,
        };
        let rule = format!("=NOT({})", absolute_cell(questions::APPLIES.index, row));
        let format = ConditionalFormatFormula::new()
            .set_rule(rule.as_str())
            .set_format(&self.styles.not_applicable);
        self.sheet.add_conditional_format(
            row,
            questions::ID.index,
            last,
            questions::ANSWER.index,
            &format,
        )?;
        Ok(())
    }

    /// The hidden cells of method 2: whether the question is answered, whether a
    /// screening question is unknown, and its counts toward completion and `incomplete`,
    /// with the blank workbook's results stored.
    fn write_method_cells(
        &mut self,
        index: usize,
        question: &Question,
        row: u32,
    ) -> Result<(), XlsxError> {
        let blank = self.input.blank;
        let cells = AnswerCells { question, row };
        let (applies, answered) = (
            cell(questions::APPLIES.index, row),
            cell(questions::ANSWERED.index, row),
        );
        let scored = question.kind != QuestionType::Text;
        let applicable = blank.applicable_questions[index];
        let missing = question.required && applicable && blank.unanswered.contains(&index);
        let formulas = [
            (questions::ANSWERED, Some(cells.answered()), "FALSE"),
            (
                questions::UNKNOWN,
                question.screening.then(|| cells.unknown()),
                bool_text(blank.unknowns.contains(&index)),
            ),
            (
                questions::COUNTED,
                scored.then(|| format!("=IF({applies},1,0)")),
                count_text(scored && applicable),
            ),
            (
                questions::COUNTED_ANSWERED,
                scored.then(|| format!("=IF(AND({applies},{answered}),1,0)")),
                "0",
            ),
            (
                questions::MISSING,
                question
                    .required
                    .then(|| format!("=IF(AND({applies},NOT({answered})),1,0)")),
                count_text(missing),
            ),
        ];
        for (column, formula, result) in formulas {
            match formula {
                Some(formula) => self.sheet.write_formula(
                    row,
                    column.index,
                    Formula::new(formula).set_result(result),
                )?,
                None if result == "FALSE" => self.sheet.write_boolean(row, column.index, false)?,
                None => self.sheet.write_number(row, column.index, 0)?,
            };
        }
        Ok(())
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
        let (q, manifest, rows) = (self.input.q, self.input.manifest, self.input.rows);
        let dimension = &q.dimensions[question.dimension];
        let mut text = question.text.clone();
        let words = self.input.words;
        if question.kind == QuestionType::Multiple {
            text.push_str(words.get("workbook.select-all-below"));
        }
        if !question.required {
            text.push_str(words.get("workbook.optional"));
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
        let relevance = relevance_items(&question.relevant, &|i| rows.cells(q, i));
        let formula = applies(
            &question.roles,
            &question.stages,
            |id| manifest.label_of(id),
            &relevance,
        );
        let applies_now = self.input.blank.applicable_questions[index];
        sheet.write_formula(
            row,
            questions::APPLIES.index,
            Formula::new(formula).set_result(bool_text(applies_now)),
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
            .input
            .list_ranges
            .iter()
            .find(|r| r.question == question.id)
            .expect("list written")
            .formula;
        let mut validation = DataValidation::new()
            .allow_list_formula(Formula::new(range.as_str()))
            .set_error_title(self.input.words.get("workbook.error-title"))?
            .set_error_message(self.input.words.get("workbook.error-message"))?;
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
        let message = self.input.words.fill(
            "workbook.choose-yes",
            &[("yes", SELECTED), ("label", label)],
        );
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
            .set_input_message(input_message(&message))?;
        sheet.add_data_validation(row, answer, row, answer, &validation)?;
        Ok(())
    }

    /// The hidden achieved and max formulas of a question, with the blank workbook's
    /// results stored.
    fn write_points(&mut self, index: usize, points: QuestionPoints) -> Result<(), XlsxError> {
        let (achieved, max) =
            self.input.blank.questions[index].map_or((0.0, 0.0), |s| (s.achieved, s.max));
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

/// A boolean as a stored formula result.
fn bool_text(value: bool) -> &'static str {
    if value { "TRUE" } else { "FALSE" }
}

/// A count of one or none as a stored formula result.
fn count_text(one: bool) -> &'static str {
    if one { "1" } else { "0" }
}
