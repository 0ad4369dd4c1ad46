//! Writes the workbook: its properties and paper, and the small sheets (instructions,
//! respondent, the hidden lists and metadata). The questions and score sheets, which
//! carry the live formulas, have files of their own.

use rust_xlsxwriter::{
    DataValidation, DocProperties, ExcelDateTime, Format, FormatAlign, Formula, Workbook,
    Worksheet, XlsxError,
};

use super::formulas::list_range;
use super::layout::{SELECTED, instructions, lists, metadata, respondent};
use super::questions_sheet::{ListRange, QuestionRows, QuestionsInput, write_questions};
use super::score_sheet::write_score;
use super::styles::{Styles, row_height};
use crate::content::manifest::{Manifest, Paper};
use crate::date::Date;
use crate::questionnaire::{Kind, Question, QuestionType, Questionnaire};
use crate::scoring::{ScoreResult, ScoringInput, score_response};
use crate::words::Words;

/// Who a tailored workbook is for.
#[derive(Debug, Clone, Copy)]
pub struct Tailoring<'a> {
    /// Role id.
    pub role: &'a str,
    /// Stage id.
    pub stage: &'a str,
}

/// Writes the workbook of a questionnaire (all questions, or those of one role and stage),
/// with the fixed words of the edition's language.
pub fn write_workbook(
    q: &Questionnaire,
    (manifest, words): (&Manifest, &Words),
    tailoring: Option<Tailoring>,
    date: Date,
    paper: Paper,
) -> Result<Vec<u8>, XlsxError> {
    let questions: Vec<(usize, &Question)> = match tailoring {
        Some(t) => q.applicable(Some(t.role), Some(t.stage)).collect(),
        None => q.questions.iter().enumerate().collect(),
    };
    let blank = blank_score(q, tailoring);
    let styles = Styles::new();
    let mut workbook = Workbook::new();
    set_properties(&mut workbook, q, (manifest, words), date)?;

    let edition = (manifest, words);
    write_instructions(workbook.add_worksheet(), q, edition, tailoring, &styles)?;
    write_respondent(workbook.add_worksheet(), q, edition, tailoring, &styles)?;
    let list_ranges = write_lists(workbook.add_worksheet(), &questions, manifest)?;
    let rows = QuestionRows::plan(q, &questions);
    let input = QuestionsInput {
        q,
        manifest,
        words,
        tailored: tailoring.is_some(),
        rows: &rows,
        list_ranges: &list_ranges,
        blank: &blank,
    };
    write_questions(workbook.add_worksheet(), &input, &styles)?;
    write_score(workbook.add_worksheet(), q, words, &styles, &rows, &blank)?;
    write_metadata(
        workbook.add_worksheet(),
        q,
        tailoring,
        manifest.output_language(),
    )?;
    super::styles::finish(&mut workbook, paper, manifest.direction)
}

/// The score of the blank workbook (its role and stage prefilled when tailored). Formula
/// results are stored from it, so that every program shows the right figures before it
/// recalculates.
fn blank_score(q: &Questionnaire, tailoring: Option<Tailoring>) -> ScoreResult {
    let blank_answers = vec![None; q.questions.len()];
    score_response(
        q,
        &ScoringInput {
            role: tailoring.map(|t| t.role),
            stage: tailoring.map(|t| t.stage),
            answers: &blank_answers,
        },
    )
}

/// Title, author, comment and creation date of the workbook.
fn set_properties(
    workbook: &mut Workbook,
    q: &Questionnaire,
    (manifest, words): (&Manifest, &Words),
    date: Date,
) -> Result<(), XlsxError> {
    let created =
        ExcelDateTime::from_ymd(date.year.clamp(1900, 9999) as u16, date.month, date.day)?;
    workbook.set_properties(
        &DocProperties::new()
            .set_title(words.fill(
                "workbook.title-version",
                &[("title", &q.title), ("version", &q.version)],
            ))
            .set_author(manifest.title.as_str())
            .set_comment(manifest.notice.as_str())
            .set_custom_property("Language", manifest.output_language())
            .set_creation_datetime(&created),
    );
    Ok(())
}

/// The steps and the note on protection, after the heading `workbook.how-to-fill-in`
/// (an empty key is a blank line).
const STEPS: [&str; 8] = [
    "workbook.step-respondent",
    "workbook.step-questions",
    "workbook.step-select-all",
    "workbook.step-score",
    "workbook.step-return",
    "",
    "workbook.protection",
    "",
];

/// The lines of the instructions sheet, under its title.
fn instruction_lines(
    q: &Questionnaire,
    (manifest, words): (&Manifest, &Words),
    tailoring: Option<Tailoring>,
) -> Vec<String> {
    let mut lines = vec![words.fill(
        "workbook.version",
        &[("title", &manifest.title), ("version", &q.version)],
    )];
    if let Some(t) = tailoring {
        lines.push(words.fill(
            "workbook.tailored-for",
            &[
                ("role", manifest.label_of(t.role).unwrap_or(t.role)),
                ("stage", manifest.label_of(t.stage).unwrap_or(t.stage)),
            ],
        ));
    }
    lines.push(String::new());
    for paragraph in [&q.description, &q.instructions] {
        if !paragraph.is_empty() {
            lines.push(paragraph.clone());
            lines.push(String::new());
        }
    }
    lines.push(words.get("workbook.how-to-fill-in").to_owned());
    lines.extend(STEPS.map(|key| match key {
        "" => String::new(),
        key => words.get(key).to_owned(),
    }));
    lines.push(manifest.notice.clone());
    lines
}

fn write_instructions(
    sheet: &mut Worksheet,
    q: &Questionnaire,
    (manifest, words): (&Manifest, &Words),
    tailoring: Option<Tailoring>,
    styles: &Styles,
) -> Result<(), XlsxError> {
    sheet.set_name(instructions::NAME)?;
    sheet.set_column_width(0, 80)?;
    let wrap = Format::new().set_text_wrap().set_align(FormatAlign::Top);
    sheet.write_with_format(0, 0, &q.title, &styles.title)?;
    let heading = words.get("workbook.how-to-fill-in");
    let lines = instruction_lines(q, (manifest, words), tailoring);
    for (i, line) in lines.iter().enumerate() {
        let format = if line == heading { &styles.bold } else { &wrap };
        let row = i as u32 + 2;
        sheet.write_with_format(row, 0, line.as_str(), format)?;
        sheet.set_row_height(row, row_height(&[(line, 80.0)]))?;
    }
    sheet.set_print_fit_to_pages(1, 0);
    sheet.protect();
    Ok(())
}

/// The key of the note beside each respondent field, in the order of
/// [`respondent::FIELDS`].
const RESPONDENT_NOTES: [&str; 5] = [
    "workbook.note-response-id",
    "workbook.note-respondent",
    "workbook.note-group",
    "workbook.note-role",
    "workbook.note-stage",
];

/// The respondent's fields and the keys of their notes: every workbook's, then the system
/// assessed for a risk assessment.
fn respondent_fields(q: &Questionnaire) -> Vec<(respondent::Field, &'static str)> {
    let mut fields: Vec<_> = respondent::FIELDS
        .into_iter()
        .zip(RESPONDENT_NOTES)
        .collect();
    if q.kind == Kind::Risk {
        fields.push((respondent::SYSTEM, "workbook.note-system"));
    }
    fields
}

fn write_respondent(
    sheet: &mut Worksheet,
    q: &Questionnaire,
    (manifest, words): (&Manifest, &Words),
    tailoring: Option<Tailoring>,
    styles: &Styles,
) -> Result<(), XlsxError> {
    use respondent::{HEADER_ROW, LABEL_COL, NOTE_COL, VALUE_COL};
    sheet.set_name(respondent::NAME)?;
    sheet.set_column_width(LABEL_COL, 18)?;
    sheet.set_column_width(VALUE_COL, 48)?;
    sheet.set_column_width(NOTE_COL, 60)?;
    for (col, key) in [
        (LABEL_COL, "workbook.field"),
        (VALUE_COL, "workbook.your-answer"),
        (NOTE_COL, "workbook.notes"),
    ] {
        sheet.write_with_format(HEADER_ROW, col, words.get(key), &styles.header)?;
    }
    // The labels in column A are what the answer reader matches: they are not words.
    for (field, note) in respondent_fields(q) {
        let note = words.get(note);
        sheet.write_with_format(field.row, LABEL_COL, field.label, &styles.bold)?;
        sheet.write_with_format(field.row, VALUE_COL, "", &styles.input)?;
        sheet.write_with_format(field.row, NOTE_COL, note, &styles.muted_wrap)?;
        sheet.set_row_height(field.row, row_height(&[(note, 60.0)]))?;
    }
    sheet.set_landscape();
    sheet.set_print_fit_to_pages(1, 0);
    let dropdowns = [
        (
            respondent::ROLE,
            "workbook.role",
            lists::ROLES_COL,
            manifest.roles.len(),
        ),
        (
            respondent::STAGE,
            "workbook.stage",
            lists::STAGES_COL,
            manifest.stages.len(),
        ),
    ];
    for (field, title, col, len) in dropdowns {
        let validation = DataValidation::new()
            .allow_list_formula(Formula::new(list_range(col, len)))
            .set_input_title(words.get(title))?
            .set_input_message(words.get("workbook.choose-from-list"))?;
        sheet.add_data_validation(field.row, VALUE_COL, field.row, VALUE_COL, &validation)?;
    }
    if let Some(t) = tailoring {
        for (field, id) in [(respondent::ROLE, t.role), (respondent::STAGE, t.stage)] {
            let label = manifest.label_of(id).unwrap_or(id);
            sheet.write_with_format(field.row, VALUE_COL, label, &styles.input)?;
        }
    }
    sheet.protect();
    Ok(())
}

/// Writes the dropdown values: roles, stages, the selected marker, then one column per
/// single-choice question (see [`lists`]). Returns each such question's dropdown source.
fn write_lists(
    sheet: &mut Worksheet,
    questions: &[(usize, &Question)],
    manifest: &Manifest,
) -> Result<Vec<ListRange>, XlsxError> {
    sheet.set_name(lists::NAME)?;
    for (i, role) in manifest.roles.iter().enumerate() {
        sheet.write(i as u32, lists::ROLES_COL, role.label.as_str())?;
    }
    for (i, stage) in manifest.stages.iter().enumerate() {
        sheet.write(i as u32, lists::STAGES_COL, stage.label.as_str())?;
    }
    sheet.write(0, lists::SELECTED_COL, SELECTED)?;
    let mut ranges = Vec::new();
    let singles = questions
        .iter()
        .filter(|(_, q)| q.kind == QuestionType::Single);
    for (col, (_, question)) in (lists::FIRST_QUESTION_COL..).zip(singles) {
        for (i, option) in question.options.iter().enumerate() {
            sheet.write(i as u32, col, option.label.as_str())?;
        }
        ranges.push(ListRange {
            question: question.id.clone(),
            formula: list_range(col, question.options.len()),
        });
    }
    sheet.set_hidden(true);
    sheet.protect();
    Ok(ranges)
}

fn write_metadata(
    sheet: &mut Worksheet,
    q: &Questionnaire,
    tailoring: Option<Tailoring>,
    language: &str,
) -> Result<(), XlsxError> {
    sheet.set_name(metadata::NAME)?;
    let rows = [
        (metadata::QUESTIONNAIRE, q.id.as_str()),
        (metadata::VERSION, q.version.as_str()),
        (metadata::CHECKSUM, q.checksum.as_str()),
        (metadata::ROLE, tailoring.map_or("", |t| t.role)),
        (metadata::STAGE, tailoring.map_or("", |t| t.stage)),
        (metadata::LANGUAGE, language),
        (
            metadata::GENERATOR,
            concat!("toolkit ", env!("CARGO_PKG_VERSION")),
        ),
    ];
    for (i, (key, value)) in rows.iter().enumerate() {
        sheet.write(i as u32, metadata::KEY_COL, *key)?;
        sheet.write(i as u32, metadata::VALUE_COL, *value)?;
    }
    sheet.set_hidden(true);
    sheet.protect();
    Ok(())
}
