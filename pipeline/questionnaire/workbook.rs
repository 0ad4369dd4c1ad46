//! The fillable questionnaire workbook (.xlsx), written with rust_xlsxwriter.
//!
//! Sheets: `Instructions`; `Respondent` (labels in column A, inputs in column B);
//! `Questions` (`ID`, `Dimension`, `Question`, `Guidance`, `Answer`, a dropdown on every
//! answer cell and the guidance as its input message); `Score` (live formulas that follow
//! the published method); and two hidden sheets, `Lists` (dropdown values) and `Metadata`
//! (questionnaire id, version, definition checksum, tailoring). Every sheet is protected
//! without a password and only the input cells are unlocked: it guides, it does not secure.
//!
//! **Multiple-choice questions** take one row per option under the question row: the
//! option row's ID is `<question id>/<option value>` and its answer is `Yes` when the option
//! applies. Readers also accept the options joined with `;` in the question row's answer.

use rust_xlsxwriter::{
    DataValidation, DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Formula,
    Workbook, Worksheet, XlsxError,
};

use crate::content::manifest::{Manifest, Paper};
use crate::questionnaire::{DimensionRole, Kind, Question, QuestionType, Questionnaire};
use crate::scoring::{ScoreResult, ScoringInput, score_response};

/// Sheet names and labels that answer readers rely on.
pub mod names {
    /// The questions sheet.
    pub const QUESTIONS: &str = "Questions";
    /// The respondent sheet.
    pub const RESPONDENT: &str = "Respondent";
    /// The hidden metadata sheet.
    pub const METADATA: &str = "Metadata";
    /// The live score sheet.
    pub const SCORE: &str = "Score";
    /// Respondent field labels, in order (rows 2 to 6 of the respondent sheet).
    pub const RESPONDENT_FIELDS: [&str; 5] =
        ["Response ID", "Respondent", "Group", "Role", "Stage"];
    /// The answer that marks an option of a multiple-choice question.
    pub const SELECTED: &str = "Yes";
    /// Separator between a question id and an option value in option rows.
    pub const OPTION_SEPARATOR: char = '/';
}

/// Who a tailored workbook is for.
#[derive(Debug, Clone, Copy)]
pub struct Tailoring<'a> {
    /// Role id.
    pub role: &'a str,
    /// Stage id.
    pub stage: &'a str,
}

/// Column letters of the questions sheet.
const COL_ID: u16 = 0;
const COL_DIMENSION: u16 = 1;
const COL_QUESTION: u16 = 2;
const COL_GUIDANCE: u16 = 3;
const COL_ANSWER: u16 = 4;
const COL_DIM_ID: u16 = 5;
const COL_APPLIES: u16 = 6;
const COL_ACHIEVED: u16 = 7;
const COL_MAX: u16 = 8;

/// Excel column letters for a zero-based column: 0 is `A`, 26 is `AA`.
pub fn column_letter(col: impl Into<u32>) -> String {
    let mut col = col.into();
    let mut letters = Vec::new();
    loop {
        letters.push(b'A' + (col % 26) as u8);
        if col < 26 {
            break;
        }
        col = col / 26 - 1;
    }
    letters.reverse();
    String::from_utf8(letters).expect("ASCII")
}

/// A string as an Excel formula literal.
fn lit(text: &str) -> String {
    format!("\"{}\"", text.replace('"', "\"\""))
}

/// A row height (points) that shows wrapped text in full: one 15-point line per column
/// width's worth of characters, in the tallest cell.
fn row_height(cells: &[(&str, f64)]) -> f64 {
    let lines = cells
        .iter()
        .map(|(text, width)| {
            text.split('\n')
                .map(|part| {
                    (part.chars().count() as f64 / (width * 1.05))
                        .ceil()
                        .max(1.0)
                })
                .sum::<f64>()
        })
        .fold(1.0, f64::max);
    15.0 * lines + 2.0
}

/// Whether a question applies in the blank workbook (its role and stage prefilled when tailored).
fn question_applies(blank: &ScoreResult, index: usize, question: &Question) -> bool {
    match question.kind {
        QuestionType::Text => blank.unanswered.contains(&index),
        _ => blank.questions[index].is_some(),
    }
}

/// Truncates text to the 255 characters Excel allows in an input message.
fn input_message(text: &str) -> String {
    if text.chars().count() <= 250 {
        text.to_owned()
    } else {
        let cut: String = text.chars().take(245).collect();
        format!("{cut}…")
    }
}

struct Styles {
    title: Format,
    header: Format,
    wrap: Format,
    muted_wrap: Format,
    input: Format,
    input_wrap: Format,
    option: Format,
    closed: Format,
    percent: Format,
    bold: Format,
}

impl Styles {
    fn new() -> Self {
        let border = |f: Format| f.set_border(FormatBorder::Thin).set_border_color("#B8BECC");
        Styles {
            title: Format::new()
                .set_bold()
                .set_font_size(16)
                .set_font_color("#1B2A4A"),
            header: border(
                Format::new()
                    .set_bold()
                    .set_background_color("#1B2A4A")
                    .set_font_color("#FFFFFF")
                    .set_text_wrap(),
            ),
            wrap: border(Format::new().set_text_wrap().set_align(FormatAlign::Top)),
            muted_wrap: border(
                Format::new()
                    .set_text_wrap()
                    .set_align(FormatAlign::Top)
                    .set_font_color("#4A4A4A")
                    .set_font_size(10),
            ),
            input: border(
                Format::new()
                    .set_unlocked()
                    .set_background_color("#FFF7D6")
                    .set_align(FormatAlign::Top),
            ),
            input_wrap: border(
                Format::new()
                    .set_unlocked()
                    .set_background_color("#FFF7D6")
                    .set_text_wrap()
                    .set_align(FormatAlign::Top),
            ),
            option: border(
                Format::new()
                    .set_text_wrap()
                    .set_align(FormatAlign::Top)
                    .set_indent(2),
            ),
            closed: border(
                Format::new()
                    .set_background_color("#E6E9F0")
                    .set_align(FormatAlign::Top)
                    .set_font_color("#4A4A4A")
                    .set_italic(),
            ),
            percent: border(Format::new().set_num_format("0.0")),
            bold: Format::new().set_bold(),
        }
    }
}

/// Writes the workbook of a questionnaire (all questions, or those of one role and stage).
pub fn write_workbook(
    q: &Questionnaire,
    manifest: &Manifest,
    tailoring: Option<Tailoring>,
    date: (i32, u8, u8),
    paper: Paper,
) -> Result<Vec<u8>, XlsxError> {
    let questions: Vec<(usize, &Question)> = match tailoring {
        Some(t) => q.applicable(Some(t.role), Some(t.stage)).collect(),
        None => q.questions.iter().enumerate().collect(),
    };
    // Formula results are stored for the blank workbook, so that every program shows the
    // right figures before it recalculates.
    let blank_answers = vec![None; q.questions.len()];
    let blank = score_response(
        q,
        &ScoringInput {
            role: tailoring.map(|t| t.role),
            stage: tailoring.map(|t| t.stage),
            answers: &blank_answers,
        },
    );
    let styles = Styles::new();
    let mut workbook = Workbook::new();
    let created = ExcelDateTime::from_ymd(date.0.clamp(1900, 9999) as u16, date.1, date.2)?;
    workbook.set_properties(
        &DocProperties::new()
            .set_title(format!("{} (version {})", q.title, q.version))
            .set_author(manifest.title.as_str())
            .set_comment(manifest.notice.as_str())
            .set_creation_datetime(&created),
    );

    write_instructions(workbook.add_worksheet(), q, manifest, tailoring, &styles)?;
    write_respondent(workbook.add_worksheet(), manifest, tailoring, &styles)?;
    let list_ranges = write_lists(workbook.add_worksheet(), &questions, manifest)?;
    let rows = write_questions(
        workbook.add_worksheet(),
        q,
        manifest,
        &questions,
        &list_ranges,
        &styles,
        &blank,
    )?;
    write_score(workbook.add_worksheet(), q, &styles, rows, &blank)?;
    write_metadata(workbook.add_worksheet(), q, tailoring)?;
    // Print on the toolkit's paper (Excel's codes: 9 is A4, 1 is US Letter).
    let paper_code = match paper {
        Paper::A4 => 9,
        Paper::UsLetter => 1,
    };
    for sheet in workbook.worksheets_mut() {
        sheet.set_paper_size(paper_code);
    }
    // Open on the instructions.
    workbook.worksheet_from_index(0)?.set_active(true);
    workbook.save_to_buffer()
}

fn write_instructions(
    sheet: &mut Worksheet,
    q: &Questionnaire,
    manifest: &Manifest,
    tailoring: Option<Tailoring>,
    styles: &Styles,
) -> Result<(), XlsxError> {
    sheet.set_name("Instructions")?;
    sheet.set_column_width(0, 80)?;
    let wrap = Format::new().set_text_wrap().set_align(FormatAlign::Top);
    sheet.write_with_format(0, 0, &q.title, &styles.title)?;
    let mut lines = vec![format!("{} · version {}", manifest.title, q.version)];
    if let Some(t) = tailoring {
        lines.push(format!(
            "Tailored for: {} · {}",
            manifest.label_of(t.role).unwrap_or(t.role),
            manifest.label_of(t.stage).unwrap_or(t.stage)
        ));
    }
    lines.push(String::new());
    if !q.description.is_empty() {
        lines.push(q.description.clone());
        lines.push(String::new());
    }
    if !q.instructions.is_empty() {
        lines.push(q.instructions.clone());
        lines.push(String::new());
    }
    lines.extend(
        [
            "How to fill in this workbook",
            "1. On the Respondent sheet, fill in the yellow cells: a response ID if your organiser gave you one, your name (optional), your group (workshop or agency), your role and the stage.",
            "2. On the Questions sheet, choose an answer from the dropdown in each yellow Answer cell. Select a cell to see its guidance; the Guidance column shows it in full.",
            "3. Questions marked \"select all that apply\" list their options on the rows below: choose Yes next to every option that applies and leave the others blank.",
            "4. The Score sheet updates as you answer. Blank answers count as 0, or as the worst case in risk dimensions, so answer every question you can. Choose \"Not applicable\" only when the question truly does not apply.",
            "5. Save the file under any name and return it to your organiser. Do not rename sheets or change the ID column: the scoring pipeline reads them.",
            "",
            "The sheets are protected without a password: only the answer cells can be edited, which prevents accidental changes. This guides you; it does not secure the file.",
            "",
        ]
        .map(str::to_owned),
    );
    lines.push(manifest.notice.clone());
    for (i, line) in lines.iter().enumerate() {
        let format = if line == "How to fill in this workbook" {
            &styles.bold
        } else {
            &wrap
        };
        let row = i as u32 + 2;
        sheet.write_with_format(row, 0, line.as_str(), format)?;
        sheet.set_row_height(row, row_height(&[(line, 80.0)]))?;
    }
    sheet.set_print_fit_to_pages(1, 0);
    sheet.protect();
    Ok(())
}

fn write_respondent(
    sheet: &mut Worksheet,
    manifest: &Manifest,
    tailoring: Option<Tailoring>,
    styles: &Styles,
) -> Result<(), XlsxError> {
    sheet.set_name(names::RESPONDENT)?;
    sheet.set_column_width(0, 18)?;
    sheet.set_column_width(1, 48)?;
    sheet.set_column_width(2, 60)?;
    sheet.write_with_format(0, 0, "Field", &styles.header)?;
    sheet.write_with_format(0, 1, "Your answer", &styles.header)?;
    sheet.write_with_format(0, 2, "Notes", &styles.header)?;
    let notes = [
        "Leave blank if your organiser did not give you one.",
        "Optional.",
        "The workshop or agency this response belongs to.",
        "Choose from the list.",
        "Choose from the list: the stage of the AI system you are answering about.",
    ];
    for (i, (label, note)) in names::RESPONDENT_FIELDS.iter().zip(notes).enumerate() {
        let row = i as u32 + 1;
        sheet.write_with_format(row, 0, *label, &styles.bold)?;
        sheet.write_with_format(row, 1, "", &styles.input)?;
        sheet.write_with_format(row, 2, note, &styles.muted_wrap)?;
        sheet.set_row_height(row, row_height(&[(note, 60.0)]))?;
    }
    sheet.set_landscape();
    sheet.set_print_fit_to_pages(1, 0);
    let role_labels: Vec<&str> = manifest.roles.iter().map(|r| r.label.as_str()).collect();
    let stage_labels: Vec<&str> = manifest.stages.iter().map(|s| s.label.as_str()).collect();
    let dropdown =
        |labels: &[&str], title: &str, column: &str| -> Result<DataValidation, XlsxError> {
            DataValidation::new()
                .allow_list_formula(Formula::new(format!(
                    "=Lists!${column}$1:${column}${}",
                    labels.len().max(1)
                )))
                .set_input_title(title)?
                .set_input_message("Choose from the list.")
        };
    sheet.add_data_validation(4, 1, 4, 1, &dropdown(&role_labels, "Role", "A")?)?;
    sheet.add_data_validation(5, 1, 5, 1, &dropdown(&stage_labels, "Stage", "B")?)?;
    if let Some(t) = tailoring {
        sheet.write_with_format(
            4,
            1,
            manifest.label_of(t.role).unwrap_or(t.role),
            &styles.input,
        )?;
        sheet.write_with_format(
            5,
            1,
            manifest.label_of(t.stage).unwrap_or(t.stage),
            &styles.input,
        )?;
    }
    sheet.protect();
    Ok(())
}

/// Writes the dropdown values: roles in A, stages in B, Yes in C, then one column per
/// single-choice question. Returns each question's list range (by question id).
fn write_lists(
    sheet: &mut Worksheet,
    questions: &[(usize, &Question)],
    manifest: &Manifest,
) -> Result<Vec<(String, String)>, XlsxError> {
    sheet.set_name("Lists")?;
    for (i, role) in manifest.roles.iter().enumerate() {
        sheet.write(i as u32, 0, role.label.as_str())?;
    }
    for (i, stage) in manifest.stages.iter().enumerate() {
        sheet.write(i as u32, 1, stage.label.as_str())?;
    }
    sheet.write(0, 2, names::SELECTED)?;
    let mut ranges = Vec::new();
    let singles = questions
        .iter()
        .filter(|(_, q)| q.kind == QuestionType::Single);
    for (col, (_, question)) in (3u16..).zip(singles) {
        for (i, option) in question.options.iter().enumerate() {
            sheet.write(i as u32, col, option.label.as_str())?;
        }
        let letter = column_letter(col);
        ranges.push((
            question.id.clone(),
            format!("=Lists!${letter}$1:${letter}${}", question.options.len()),
        ));
    }
    sheet.set_hidden(true);
    sheet.protect();
    Ok(ranges)
}

/// Where the scored rows end: the last row of the questions sheet used.
struct QuestionRows {
    last: u32,
    /// The zero-based row of each question written (by question index).
    rows: Vec<(usize, u32)>,
}

fn write_questions(
    sheet: &mut Worksheet,
    q: &Questionnaire,
    manifest: &Manifest,
    questions: &[(usize, &Question)],
    list_ranges: &[(String, String)],
    styles: &Styles,
    blank: &ScoreResult,
) -> Result<QuestionRows, XlsxError> {
    sheet.set_name(names::QUESTIONS)?;
    for (col, width) in [
        (COL_ID, 14.0),
        (COL_DIMENSION, 22.0),
        (COL_QUESTION, 62.0),
        (COL_GUIDANCE, 48.0),
        (COL_ANSWER, 26.0),
    ] {
        sheet.set_column_width(col, width)?;
    }
    for col in [COL_DIM_ID, COL_APPLIES, COL_ACHIEVED, COL_MAX] {
        sheet.set_column_hidden(col)?;
    }
    for (col, title) in [
        (COL_ID, "ID"),
        (COL_DIMENSION, "Dimension"),
        (COL_QUESTION, "Question"),
        (COL_GUIDANCE, "Guidance"),
        (COL_ANSWER, "Answer"),
        (COL_DIM_ID, "dimension id"),
        (COL_APPLIES, "applies"),
        (COL_ACHIEVED, "achieved"),
        (COL_MAX, "max"),
    ] {
        sheet.write_with_format(0, col, title, &styles.header)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    sheet.set_landscape();
    sheet.set_print_fit_to_pages(1, 0);
    sheet.set_repeat_rows(0, 0)?;

    let answer = column_letter(COL_ANSWER);
    let mut row = 1u32;
    let mut question_rows = Vec::new();
    for &(index, question) in questions {
        question_rows.push((index, row));
        let dimension = &q.dimensions[question.dimension];
        let blank_score = blank.questions[index];
        let (blank_achieved, blank_max) = blank_score.map_or((0.0, 0.0), |s| (s.achieved, s.max));
        let applies_now = question_applies(blank, index, question);
        let guidance = question.help.clone().unwrap_or_default();
        let mut text = question.text.clone();
        if question.kind == QuestionType::Multiple {
            text.push_str(" (select all that apply below)");
        }
        if !question.required {
            text.push_str(" (optional)");
        }
        sheet.write_with_format(row, COL_ID, question.id.as_str(), &styles.wrap)?;
        sheet.write_with_format(row, COL_DIMENSION, dimension.title.as_str(), &styles.wrap)?;
        sheet.write_with_format(row, COL_QUESTION, text.as_str(), &styles.wrap)?;
        sheet.write_with_format(row, COL_GUIDANCE, guidance.as_str(), &styles.muted_wrap)?;
        sheet.write(row, COL_DIM_ID, dimension.id.as_str())?;
        let applies = applies_formula(question, manifest);
        sheet.write_formula(
            row,
            COL_APPLIES,
            Formula::new(applies).set_result(if applies_now { "TRUE" } else { "FALSE" }),
        )?;
        let height = row_height(&[(&text, 62.0), (&guidance, 48.0)]);
        sheet.set_row_height(row, height)?;
        let cell = format!("{answer}{}", row + 1);
        // Unanswered questions score their maximum in risk dimensions and 0 elsewhere.
        let worst_case = dimension.role == DimensionRole::Risk;
        match question.kind {
            QuestionType::Single => {
                sheet.write_with_format(row, COL_ANSWER, "", &styles.input)?;
                let range = &list_ranges
                    .iter()
                    .find(|(id, _)| *id == question.id)
                    .expect("list written")
                    .1;
                let mut validation = DataValidation::new()
                    .allow_list_formula(Formula::new(range.as_str()))
                    .set_error_title("Choose from the list")?
                    .set_error_message("Choose one of the answers in the dropdown.")?;
                if !guidance.is_empty() {
                    validation = validation
                        .set_input_title(question.id.as_str())?
                        .set_input_message(input_message(&guidance))?;
                }
                sheet.add_data_validation(row, COL_ANSWER, row, COL_ANSWER, &validation)?;
                let max = question.max_option_score();
                let is_na = question
                    .options
                    .iter()
                    .filter(|o| o.not_applicable)
                    .map(|o| format!("{cell}={},{cell}={}", lit(&o.label), lit(&o.value)))
                    .collect::<Vec<_>>();
                let is_na = if is_na.is_empty() {
                    "FALSE".to_owned()
                } else {
                    format!("OR({})", is_na.join(","))
                };
                let mut score = "-1".to_owned();
                for option in question.options.iter().rev().filter(|o| !o.not_applicable) {
                    score = format!(
                        "IF(OR({cell}={},{cell}={}),{},{score})",
                        lit(&option.label),
                        lit(&option.value),
                        option.score
                    );
                }
                let points = PointsFormula {
                    is_na: &is_na,
                    answered: &format!("{score}>=0"),
                    points: &score,
                    max,
                    worst_case,
                };
                points.write(sheet, row, (blank_achieved, blank_max))?;
                row += 1;
            }
            QuestionType::Text => {
                sheet.write_with_format(row, COL_ANSWER, "", &styles.input_wrap)?;
                if !guidance.is_empty() {
                    let validation = DataValidation::new()
                        .allow_any_value()
                        .set_input_title(question.id.as_str())?
                        .set_input_message(input_message(&guidance))?;
                    sheet.add_data_validation(row, COL_ANSWER, row, COL_ANSWER, &validation)?;
                }
                row += 1;
            }
            QuestionType::Multiple => {
                sheet.write_with_format(row, COL_ANSWER, "select below", &styles.closed)?;
                let first = row + 2;
                let last = row + 1 + question.options.len() as u32;
                let mut sum = Vec::new();
                let mut na = Vec::new();
                for (i, option) in question.options.iter().enumerate() {
                    let option_row = row + 1 + i as u32;
                    let option_cell = format!("{answer}{}", option_row + 1);
                    sheet.write_with_format(
                        option_row,
                        COL_ID,
                        format!("{}{}{}", question.id, names::OPTION_SEPARATOR, option.value),
                        &styles.muted_wrap,
                    )?;
                    sheet.write_with_format(option_row, COL_DIMENSION, "", &styles.wrap)?;
                    sheet.write_with_format(
                        option_row,
                        COL_QUESTION,
                        format!("☐ {}", option.label),
                        &styles.option,
                    )?;
                    sheet.set_row_height(option_row, row_height(&[(&option.label, 58.0)]))?;
                    sheet.write_with_format(option_row, COL_GUIDANCE, "", &styles.muted_wrap)?;
                    sheet.write_with_format(option_row, COL_ANSWER, "", &styles.input)?;
                    let validation = DataValidation::new()
                        .allow_list_formula(Formula::new("=Lists!$C$1:$C$1"))
                        .set_input_title(question.id.as_str())?
                        .set_input_message(input_message(&format!(
                            "Choose Yes if this applies: {}",
                            option.label
                        )))?;
                    sheet.add_data_validation(
                        option_row,
                        COL_ANSWER,
                        option_row,
                        COL_ANSWER,
                        &validation,
                    )?;
                    if option.not_applicable {
                        na.push(format!("{option_cell}={}", lit(names::SELECTED)));
                    } else {
                        sum.push(format!(
                            "IF({option_cell}={},{},0)",
                            lit(names::SELECTED),
                            option.score
                        ));
                    }
                }
                let max = question.max_multiple_score();
                let sum = if sum.is_empty() {
                    "0".to_owned()
                } else {
                    sum.join("+")
                };
                let sum = match question.max {
                    Some(cap) => format!("MIN({cap},{sum})"),
                    None => sum,
                };
                let is_na = if na.is_empty() {
                    "FALSE".to_owned()
                } else {
                    format!("OR({})", na.join(","))
                };
                let any = format!(
                    "COUNTIF({answer}{first}:{answer}{last},{})>0",
                    lit(names::SELECTED)
                );
                let points = PointsFormula {
                    is_na: &is_na,
                    answered: &any,
                    points: &sum,
                    max,
                    worst_case,
                };
                points.write(sheet, row, (blank_achieved, blank_max))?;
                row = last;
            }
        }
    }
    sheet.protect();
    Ok(QuestionRows {
        last: row.max(2),
        rows: question_rows,
    })
}

/// The hidden points and maximum of one question, per the published method: nothing when
/// the question does not apply or is answered "not applicable"; the answer's points when
/// answered; otherwise the maximum in a risk dimension and 0 elsewhere.
struct PointsFormula<'f> {
    is_na: &'f str,
    answered: &'f str,
    points: &'f str,
    max: f64,
    worst_case: bool,
}

impl PointsFormula<'_> {
    /// Writes the two formulas on `row`, with the blank workbook's results stored.
    fn write(&self, sheet: &mut Worksheet, row: u32, blank: (f64, f64)) -> Result<(), XlsxError> {
        let applies = format!("{}{}", column_letter(COL_APPLIES), row + 1);
        let fallback = if self.worst_case { self.max } else { 0.0 };
        let (is_na, answered, points, max) = (self.is_na, self.answered, self.points, self.max);
        sheet.write_formula(
            row,
            COL_ACHIEVED,
            Formula::new(format!(
                "=IF(NOT({applies}),0,IF({is_na},0,IF({answered},{points},{fallback})))"
            ))
            .set_result(blank.0.to_string()),
        )?;
        sheet.write_formula(
            row,
            COL_MAX,
            Formula::new(format!("=IF(NOT({applies}),0,IF({is_na},0,{max}))"))
                .set_result(blank.1.to_string()),
        )?;
        Ok(())
    }
}

/// `TRUE` when the question applies to the role and stage chosen on the respondent sheet
/// (a blank role or stage matches every question), accepting labels or ids.
fn applies_formula(question: &Question, manifest: &Manifest) -> String {
    let condition = |ids: &[String], cell: &str| -> String {
        if ids.is_empty() {
            return "TRUE".to_owned();
        }
        let mut alternatives = vec![format!("{cell}=\"\"")];
        for id in ids {
            alternatives.push(format!("{cell}={}", lit(id)));
            if let Some(label) = manifest.label_of(id) {
                alternatives.push(format!("{cell}={}", lit(label)));
            }
        }
        format!("OR({})", alternatives.join(","))
    };
    format!(
        "=AND({},{})",
        condition(&question.roles, "Respondent!$B$5"),
        condition(&question.stages, "Respondent!$B$6")
    )
}

fn write_score(
    sheet: &mut Worksheet,
    q: &Questionnaire,
    styles: &Styles,
    rows: QuestionRows,
    blank: &ScoreResult,
) -> Result<(), XlsxError> {
    let number = |v: f64| v.to_string();
    let optional = |v: Option<f64>| v.map_or(String::new(), |v| v.to_string());
    sheet.set_name(names::SCORE)?;
    sheet.set_column_width(0, 36)?;
    for col in 1..=4 {
        sheet.set_column_width(col, 13)?;
    }
    for col in 5..=7 {
        sheet.set_column_hidden(col)?;
    }
    sheet.set_print_fit_to_pages(1, 0);
    for (col, title) in ["Dimension", "Weight", "Points", "Of", "Percent"]
        .iter()
        .enumerate()
    {
        sheet.write_with_format(0, col as u16, *title, &styles.header)?;
    }
    let last = rows.last + 1;
    let questions = names::QUESTIONS;
    let (f, h, i) = (
        column_letter(COL_DIM_ID),
        column_letter(COL_ACHIEVED),
        column_letter(COL_MAX),
    );
    for (k, dim) in q.dimensions.iter().enumerate() {
        let r = k as u32 + 1;
        let excel_row = r + 1;
        sheet.write_with_format(r, 0, dim.title.as_str(), &styles.wrap)?;
        sheet.write_with_format(r, 1, dim.weight, &styles.wrap)?;
        let sumifs = |col: &str| {
            format!(
                "SUMIFS({questions}!${col}$2:${col}${last},{questions}!${f}$2:${f}${last},{})",
                lit(&dim.id)
            )
        };
        let result = blank.dimensions[k];
        sheet.write_formula_with_format(
            r,
            2,
            Formula::new(format!("={}", sumifs(&h))).set_result(number(result.achieved)),
            &styles.percent,
        )?;
        sheet.write_formula_with_format(
            r,
            3,
            Formula::new(format!("={}", sumifs(&i))).set_result(number(result.max)),
            &styles.percent,
        )?;
        sheet.write_formula_with_format(
            r,
            4,
            Formula::new(format!(
                "=IF(D{excel_row}=0,\"\",100*C{excel_row}/D{excel_row})"
            ))
            .set_result(optional(result.percent)),
            &styles.percent,
        )?;
        // Hidden helpers: weighted percent, weight when scored, role.
        let (weighted, weight) = result
            .percent
            .map_or((0.0, 0.0), |p| (p * dim.weight, dim.weight));
        sheet.write_formula(
            r,
            5,
            Formula::new(format!(
                "=IF(E{excel_row}=\"\",0,E{excel_row}*B{excel_row})"
            ))
            .set_result(number(weighted)),
        )?;
        sheet.write_formula(
            r,
            6,
            Formula::new(format!("=IF(E{excel_row}=\"\",0,B{excel_row})"))
                .set_result(number(weight)),
        )?;
        let role = match dim.role {
            DimensionRole::Risk => "risk",
            DimensionRole::Mitigation => "mitigation",
            DimensionRole::Plain => "plain",
        };
        sheet.write(r, 7, role)?;
    }
    let n = q.dimensions.len() as u32 + 1;
    let mean = |role: &str| {
        format!(
            "IF(SUMIFS(G2:G{n},H2:H{n},{role})=0,\"\",SUMIFS(F2:F{n},H2:H{n},{role})/SUMIFS(G2:G{n},H2:H{n},{role}))",
            role = lit(role)
        )
    };
    let mut r = n + 1;
    let score_cell;
    match q.kind {
        Kind::Risk => {
            let rule = q.mitigation.unwrap_or(crate::questionnaire::Mitigation {
                threshold: 101.0,
                reduction: 0.0,
            });
            sheet.write_with_format(r, 0, "Risk", &styles.bold)?;
            sheet.write_formula_with_format(
                r,
                4,
                Formula::new(format!("={}", mean("risk"))).set_result(optional(blank.risk)),
                &styles.percent,
            )?;
            sheet.write_with_format(r + 1, 0, "Mitigation", &styles.bold)?;
            let mitigation = mean("mitigation").replacen(",\"\",", ",0,", 1);
            sheet.write_formula_with_format(
                r + 1,
                4,
                Formula::new(format!("={mitigation}")).set_result(optional(blank.mitigation)),
                &styles.percent,
            )?;
            sheet.write_with_format(r + 2, 0, "Score (risk after mitigation)", &styles.bold)?;
            let (risk, mit) = (format!("E{}", r + 1), format!("E{}", r + 2));
            sheet.write_formula_with_format(
                r + 2,
                4,
                Formula::new(format!(
                    "=IF({risk}=\"\",\"\",IF({mit}>={},{risk}*(1-{}/100),{risk}))",
                    rule.threshold, rule.reduction
                ))
                .set_result(optional(blank.score)),
                &styles.percent,
            )?;
            score_cell = format!("E{}", r + 3);
            r += 3;
        }
        Kind::Readiness | Kind::Principles => {
            sheet.write_with_format(r, 0, "Score", &styles.bold)?;
            sheet.write_formula_with_format(
                r,
                4,
                Formula::new(format!("={}", mean("plain"))).set_result(optional(blank.score)),
                &styles.percent,
            )?;
            score_cell = format!("E{}", r + 1);
            r += 1;
        }
    }
    // The level: its position from the score, then each raised flag in question order
    // holds it up (min_level) or down (max_level), as the published method says.
    let count = q.levels.len();
    let mut index = count.to_string();
    for (i, l) in q.levels.iter().enumerate().rev().skip(1) {
        index = format!("IF({score_cell}<={},{},{index})", l.up_to, i + 1);
    }
    sheet.write_with_format(r, 0, "Level from the score", &styles.wrap)?;
    let blank_index = blank
        .level_before_flags
        .map_or(String::new(), |l| (l + 1).to_string());
    sheet.write_formula(
        r,
        5,
        Formula::new(format!("=IF({score_cell}=\"\",\"\",{index})")).set_result(blank_index),
    )?;
    let labels: Vec<String> = q.levels.iter().map(|l| lit(&l.label)).collect();
    let label_of = |cell: &str| format!("IF({cell}=\"\",\"\",CHOOSE({cell},{}))", labels.join(","));
    let blank_label = |l: Option<usize>| l.map_or(String::new(), |l| q.levels[l].label.clone());
    sheet.write_formula(
        r,
        4,
        Formula::new(format!("={}", label_of(&format!("F{}", r + 1))))
            .set_result(blank_label(blank.level_before_flags)),
    )?;
    let mut previous = format!("F{}", r + 1);
    let questions = names::QUESTIONS;
    let answer = column_letter(COL_ANSWER);
    let applies = column_letter(COL_APPLIES);
    for &(qi, row) in &rows.rows {
        let question = &q.questions[qi];
        for flag in &question.flags {
            r += 1;
            let raised = match question.kind {
                QuestionType::Multiple => flag
                    .when
                    .iter()
                    .map(|&o| {
                        format!(
                            "{questions}!${answer}${}={}",
                            row + 2 + o as u32,
                            lit(names::SELECTED)
                        )
                    })
                    .collect::<Vec<_>>(),
                _ => flag
                    .when
                    .iter()
                    .flat_map(|&o| {
                        let option = &question.options[o];
                        [lit(&option.label), lit(&option.value)]
                    })
                    .map(|text| format!("{questions}!${answer}${}={text}", row + 1))
                    .collect(),
            };
            let raised = format!(
                "AND({questions}!${applies}${},OR({}))",
                row + 1,
                raised.join(",")
            );
            let floor = flag
                .min_level
                .map_or(previous.clone(), |l| format!("MAX({previous},{})", l + 1));
            let clamped = flag
                .max_level
                .map_or(floor.clone(), |l| format!("MIN({floor},{})", l + 1));
            sheet.write_with_format(
                r,
                0,
                format!("Flag {} ({})", flag.id, question.id).as_str(),
                &styles.muted_wrap,
            )?;
            sheet.write_formula(
                r,
                4,
                Formula::new(format!("=IF({raised},\"raised\",\"not raised\")"))
                    .set_result("not raised"),
            )?;
            sheet.write_formula(
                r,
                5,
                Formula::new(format!(
                    "=IF({previous}=\"\",\"\",IF({raised},{clamped},{previous}))"
                ))
                .set_result(
                    blank
                        .level_before_flags
                        .map_or(String::new(), |l| (l + 1).to_string()),
                ),
            )?;
            previous = format!("F{}", r + 1);
        }
    }
    r += 1;
    sheet.write_with_format(r, 0, "Level", &styles.bold)?;
    sheet.write_formula_with_format(
        r,
        4,
        Formula::new(format!("={}", label_of(&previous))).set_result(blank_label(blank.level)),
        &styles.bold,
    )?;
    let note = "Percents follow the published method: blank answers count as 0, or as the worst case in risk dimensions; \"Not applicable\" removes a question; a blank percent means the dimension is not scored. Flags raised by some answers hold the level up or down.";
    sheet.merge_range(r + 2, 0, r + 4, 4, note, &styles.muted_wrap)?;
    sheet.protect();
    Ok(())
}

fn write_metadata(
    sheet: &mut Worksheet,
    q: &Questionnaire,
    tailoring: Option<Tailoring>,
) -> Result<(), XlsxError> {
    sheet.set_name(names::METADATA)?;
    let rows = [
        ("questionnaire", q.id.as_str()),
        ("version", q.version.as_str()),
        ("checksum", q.checksum.as_str()),
        ("role", tailoring.map_or("", |t| t.role)),
        ("stage", tailoring.map_or("", |t| t.stage)),
        ("generator", concat!("toolkit ", env!("CARGO_PKG_VERSION"))),
    ];
    for (i, (key, value)) in rows.iter().enumerate() {
        sheet.write(i as u32, 0, *key)?;
        sheet.write(i as u32, 1, *value)?;
    }
    sheet.set_hidden(true);
    sheet.protect();
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    // Column letters follow Excel's scheme past Z.
    #[test]
    fn column_letters() {
        assert_eq!(column_letter(0u32), "A");
        assert_eq!(column_letter(25u32), "Z");
        assert_eq!(column_letter(26u32), "AA");
        assert_eq!(column_letter(27u32), "AB");
        assert_eq!(column_letter(701u32), "ZZ");
        assert_eq!(column_letter(702u32), "AAA");
    }
}
