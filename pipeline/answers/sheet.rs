//! XLSX and ODS answer files, read with calamine: a filled questionnaire workbook (sheets
//! `Questions` and `Respondent`, hidden `Metadata`), or wide tables (a header row with
//! `questionnaire` and question ids, one row per response) on any sheet.
//!
//! A filled workbook is read where `workbook::layout` says the writer put things: the
//! respondent's inputs beside their labels, the answers in the Answer column under the
//! header row, option rows as `<question id>/<option value>`, and the questionnaire id and
//! version in the metadata sheet.

use std::io::{Read, Seek};
use std::path::Path;

use calamine::{Data, Range, Reader, Sheets, open_workbook_auto};

use super::csv_file::wide_table;
use super::{Fields, FileRejection, Located, RawAnswer, RawResponse};
use crate::workbook::layout::{
    OPTION_SEPARATOR, SELECTED, column_letter, metadata, questions, respondent,
};

/// A cell's text, as a person would read it: numbers without a trailing `.0`, booleans
/// as `TRUE`/`FALSE`, errors and blanks as empty.
pub fn cell_text(data: &Data) -> String {
    match data {
        Data::String(s) => s.trim().to_owned(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_owned(),
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::DateTime(d) => d.as_f64().to_string(),
        Data::Error(_) | Data::Empty => String::new(),
    }
}

/// `Sheet!E12` for a zero-based absolute position.
fn cell_ref(sheet: &str, row: u32, col: u32) -> String {
    format!("{sheet}!{}{}", column_letter(col), row + 1)
}

/// The text of the cell at a zero-based absolute position (empty outside the range).
fn text_at(range: &Range<Data>, row: u32, col: u16) -> String {
    range
        .get_value((row, u32::from(col)))
        .map(cell_text)
        .unwrap_or_default()
}

/// The zero-based absolute rows a range covers, from `from` down.
fn rows_from(range: &Range<Data>, from: u32) -> std::ops::Range<u32> {
    match (range.start(), range.end()) {
        (Some((start, _)), Some((end, _))) => start.max(from)..end + 1,
        _ => 0..0,
    }
}

/// The text of every row of a range, with the absolute (zero-based) row and first column.
fn rows_of(range: &Range<Data>) -> Vec<(u32, u32, Vec<String>)> {
    let (start_row, start_col) = range.start().unwrap_or((0, 0));
    range
        .rows()
        .enumerate()
        .map(|(i, row)| {
            (
                start_row + i as u32,
                start_col,
                row.iter().map(cell_text).collect(),
            )
        })
        .collect()
}

/// A rejection of the whole file or a part of it.
fn reject(file: &str, location: &str, reason: String) -> FileRejection {
    FileRejection {
        file: file.to_owned(),
        location: location.to_owned(),
        reason,
    }
}

/// Reads an XLSX or ODS answer file (already pre-scanned).
pub fn read_spreadsheet(
    path: &Path,
    file: &str,
    stem: &str,
) -> Result<Vec<RawResponse>, FileRejection> {
    let mut workbook = open_workbook_auto(path)
        .map_err(|e| reject(file, "file", format!("cannot open the workbook: {e}")))?;
    let sheet_names = workbook.sheet_names();
    let has = |name: &str| sheet_names.iter().any(|s| s == name);
    if has(questions::NAME) && has(respondent::NAME) {
        let questions = read_sheet(&mut workbook, questions::NAME, file)?;
        let respondent = read_sheet(&mut workbook, respondent::NAME, file)?;
        let metadata = if has(metadata::NAME) {
            Some(read_sheet(&mut workbook, metadata::NAME, file)?)
        } else {
            None
        };
        return read_filled_workbook(&questions, &respondent, metadata.as_ref(), file, stem)
            .map(|r| vec![r]);
    }
    let mut responses = Vec::new();
    let mut found_table = false;
    for name in &sheet_names {
        let range = read_sheet(&mut workbook, name, file)?;
        if let Some(table) = read_wide_sheet(&range, name, file, stem)? {
            found_table = true;
            responses.extend(table);
        }
    }
    if !found_table {
        return Err(reject(
            file,
            "file",
            format!(
                "not an answer file: no sheet has a header row with a \"questionnaire\" column, and there are no {} and {} sheets of a questionnaire workbook",
                questions::NAME,
                respondent::NAME
            ),
        ));
    }
    Ok(responses)
}

/// One sheet's cells.
fn read_sheet<RS: Read + Seek>(
    workbook: &mut Sheets<RS>,
    name: &str,
    file: &str,
) -> Result<Range<Data>, FileRejection> {
    workbook.worksheet_range(name).map_err(|e| {
        reject(
            file,
            &format!("sheet {name}"),
            format!("cannot read the sheet: {e}"),
        )
    })
}

/// The responses of a wide table on one sheet: a header row with a `questionnaire`
/// column on the sheet's first row, one response a row. `None` when the sheet holds no
/// such table.
fn read_wide_sheet(
    range: &Range<Data>,
    name: &str,
    file: &str,
    stem: &str,
) -> Result<Option<Vec<RawResponse>>, FileRejection> {
    let rows = rows_of(range);
    let Some((header_row, header_col, header)) = rows.first().cloned() else {
        return Ok(None);
    };
    if !header
        .iter()
        .any(|h| super::normalise_field(h) == "questionnaire")
    {
        return Ok(None);
    }
    let body = rows.into_iter().skip(1).map(|(_, _, values)| Ok(values));
    let mut table = wide_table(
        &header,
        body,
        file,
        stem,
        |row, column| {
            let col = header.iter().position(|h| h == column).unwrap_or(0) as u32 + header_col;
            cell_ref(name, header_row + row as u32 - 1, col)
        },
        |row| format!("sheet {name} row {}", header_row + row as u32),
    )?;
    for response in &mut table {
        response.row += header_row as usize;
    }
    Ok(Some(table))
}

/// Reads a workbook generated by `toolkit build` and filled in by a respondent.
fn read_filled_workbook(
    questions: &Range<Data>,
    respondent: &Range<Data>,
    metadata: Option<&Range<Data>>,
    file: &str,
    stem: &str,
) -> Result<RawResponse, FileRejection> {
    let mut fields = Fields::default();
    if let Some(metadata) = metadata {
        read_metadata(metadata, &mut fields);
    }
    read_respondent(respondent, &mut fields, file)?;
    let answers = read_answers(questions, file)?;
    Ok(RawResponse {
        file: file.to_owned(),
        stem: stem.to_owned(),
        row: 1,
        location: "workbook".into(),
        fields,
        answers,
    })
}

/// The questionnaire id and version from the metadata sheet's keys and values.
fn read_metadata(range: &Range<Data>, fields: &mut Fields) {
    for row in rows_from(range, 0) {
        let key = text_at(range, row, metadata::KEY_COL);
        if key == metadata::QUESTIONNAIRE || key == metadata::VERSION {
            fields.set(
                &key,
                Located {
                    value: text_at(range, row, metadata::VALUE_COL),
                    location: cell_ref(metadata::NAME, row, metadata::VALUE_COL.into()),
                },
            );
        }
    }
}

/// The respondent's inputs, each beside its label on the field's row. A label that is
/// not where the layout puts it rejects the file: its inputs could not be trusted.
fn read_respondent(
    range: &Range<Data>,
    fields: &mut Fields,
    file: &str,
) -> Result<(), FileRejection> {
    for field in respondent::FIELDS {
        let label = text_at(range, field.row, respondent::LABEL_COL);
        if !label.eq_ignore_ascii_case(field.label) {
            return Err(reject(
                file,
                &cell_ref(respondent::NAME, field.row, respondent::LABEL_COL.into()),
                format!(
                    "the {} sheet should have {:?} here, found {label:?}: this is not a workbook that toolkit build wrote, or its rows were moved",
                    respondent::NAME,
                    field.label
                ),
            ));
        }
        fields.set(
            field.label,
            Located {
                value: text_at(range, field.row, respondent::VALUE_COL),
                location: cell_ref(respondent::NAME, field.row, respondent::VALUE_COL.into()),
            },
        );
    }
    Ok(())
}

/// The options chosen on the option rows of one multiple-choice question.
struct OptionRows {
    /// The question id.
    question: String,
    /// The values of the options marked as chosen.
    chosen: Vec<String>,
    /// The answer cell of its first option row.
    location: String,
}

/// The answers on the questions sheet: the Answer cell of each question row, and for
/// multiple-choice questions the options marked on their option rows (which win over
/// text typed in the question row).
fn read_answers(range: &Range<Data>, file: &str) -> Result<Vec<RawAnswer>, FileRejection> {
    check_questions_header(range, file)?;
    let mut answers: Vec<RawAnswer> = Vec::new();
    let mut option_rows: Vec<OptionRows> = Vec::new();
    for row in rows_from(range, questions::FIRST_ROW) {
        let id = text_at(range, row, questions::ID.index);
        let answer = text_at(range, row, questions::ANSWER.index);
        if id.is_empty() {
            continue;
        }
        let location = cell_ref(questions::NAME, row, questions::ANSWER.index.into());
        if let Some((question, option)) = id.split_once(OPTION_SEPARATOR) {
            let index = match option_rows.iter().position(|o| o.question == question) {
                Some(index) => index,
                None => {
                    option_rows.push(OptionRows {
                        question: question.to_owned(),
                        chosen: Vec::new(),
                        location,
                    });
                    option_rows.len() - 1
                }
            };
            if is_ticked(&answer) {
                option_rows[index].chosen.push(option.to_owned());
            }
        } else if !answer.is_empty() && answer != questions::MULTIPLE_PLACEHOLDER {
            answers.push(RawAnswer {
                question: id,
                value: Located {
                    value: answer,
                    location,
                },
            });
        }
    }
    merge_option_rows(&mut answers, option_rows);
    Ok(answers)
}

/// The header row must name the ID and Answer columns where the layout puts them.
fn check_questions_header(range: &Range<Data>, file: &str) -> Result<(), FileRejection> {
    let has_title = |column: questions::Column| {
        text_at(range, questions::HEADER_ROW, column.index).eq_ignore_ascii_case(column.title)
    };
    if has_title(questions::ID) && has_title(questions::ANSWER) {
        return Ok(());
    }
    Err(reject(
        file,
        &format!("sheet {}", questions::NAME),
        format!(
            "the {} sheet has no header row with {} in column {} and {} in column {}",
            questions::NAME,
            questions::ID.title,
            questions::ID.letter(),
            questions::ANSWER.title,
            questions::ANSWER.letter()
        ),
    ))
}

/// Adds the chosen options of each multiple-choice question, joined with `;`, in place
/// of any answer typed in its question row.
fn merge_option_rows(answers: &mut Vec<RawAnswer>, option_rows: Vec<OptionRows>) {
    for rows in option_rows {
        if rows.chosen.is_empty() {
            continue;
        }
        answers.retain(|a| a.question != rows.question);
        answers.push(RawAnswer {
            question: rows.question,
            value: Located {
                value: rows.chosen.join(";"),
                location: rows.location,
            },
        });
    }
}

/// Whether an option row's answer marks the option as chosen: the workbook's own
/// [`SELECTED`], or a tick another program or person might type.
fn is_ticked(answer: &str) -> bool {
    answer.eq_ignore_ascii_case(SELECTED)
        || matches!(
            answer.to_lowercase().as_str(),
            "y" | "x" | "true" | "1" | "✓" | "☑"
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A sheet holding the given strings at zero-based (row, column) positions.
    fn sheet(cells: &[(u32, u16, &str)]) -> Range<Data> {
        let end_row = cells.iter().map(|c| c.0).max().unwrap_or(0);
        let end_col = cells.iter().map(|c| u32::from(c.1)).max().unwrap_or(0);
        let mut range = Range::new((0, 0), (end_row, end_col));
        for &(row, col, text) in cells {
            range.set_value((row, u32::from(col)), Data::String(text.into()));
        }
        range
    }

    fn header() -> Vec<(u32, u16, &'static str)> {
        vec![
            (0, questions::ID.index, "ID"),
            (0, questions::ANSWER.index, "Answer"),
        ]
    }

    fn respondent_sheet(values: [&'static str; 5]) -> Range<Data> {
        let mut cells = Vec::new();
        for (field, value) in respondent::FIELDS.iter().zip(values) {
            cells.push((field.row, respondent::LABEL_COL, field.label));
            cells.push((field.row, respondent::VALUE_COL, value));
        }
        sheet(&cells)
    }

    // Numbers read from cells print as a person typed them.
    #[test]
    fn cell_text_of_numbers() {
        assert_eq!(cell_text(&Data::Float(3.0)), "3");
        assert_eq!(cell_text(&Data::Float(2.5)), "2.5");
        assert_eq!(cell_text(&Data::String("  Yes ".into())), "Yes");
        assert_eq!(cell_text(&Data::Empty), "");
    }

    // Cell references use Excel's letters.
    #[test]
    fn cell_references() {
        assert_eq!(cell_ref("Questions", 11, 4), "Questions!E12");
        assert_eq!(cell_ref("Responses", 0, 27), "Responses!AB1");
    }

    // Respondent inputs are read from the layout's rows, located at their input cells.
    #[test]
    fn respondent_fields_by_layout() {
        let range = respondent_sheet(["ws-1", "", "Agency A", "Legal advisors", "Procure"]);
        let mut fields = Fields::default();
        read_respondent(&range, &mut fields, "f.xlsx").unwrap();
        let role = fields.role.unwrap();
        assert_eq!(role.value, "Legal advisors");
        assert_eq!(role.location, "Respondent!B5");
        assert_eq!(fields.response_id.unwrap().value, "ws-1");
        assert_eq!(fields.respondent, None, "blank inputs stay unset");
    }

    // A respondent sheet whose labels are not where the layout puts them is refused,
    // naming the cell.
    #[test]
    fn moved_respondent_rows_are_refused() {
        let range = sheet(&[(1, 0, "Role"), (1, 1, "Legal advisors")]);
        let error = read_respondent(&range, &mut Fields::default(), "f.xlsx").unwrap_err();
        assert_eq!(error.location, "Respondent!A2");
        assert!(error.reason.contains("\"Response ID\""), "{}", error.reason);
    }

    // Option rows marked Yes (or another tick) give the question's options joined with
    // `;`, in place of text typed in its row; the placeholder is no answer.
    #[test]
    fn option_rows_win() {
        let mut cells = header();
        cells.extend([
            (1, 0, "D-01"),
            (1, 4, "Yes"),
            (2, 0, "D-02"),
            (2, 4, "cctv"),
            (3, 0, "D-02/social"),
            (3, 4, "yes"),
            (4, 0, "D-02/cctv"),
            (4, 4, "x"),
            (5, 0, "D-02/none"),
            (6, 0, "D-03"),
            (6, 4, questions::MULTIPLE_PLACEHOLDER),
            (7, 0, "D-03/a"),
        ]);
        let answers = read_answers(&sheet(&cells), "f.xlsx").unwrap();
        let found: Vec<(&str, &str, &str)> = answers
            .iter()
            .map(|a| {
                (
                    a.question.as_str(),
                    a.value.value.as_str(),
                    a.value.location.as_str(),
                )
            })
            .collect();
        assert_eq!(
            found,
            [
                ("D-01", "Yes", "Questions!E2"),
                ("D-02", "social;cctv", "Questions!E4"),
            ]
        );
    }

    // A questions sheet without ID and Answer titles where the layout puts them is refused.
    #[test]
    fn questions_header_is_checked() {
        let range = sheet(&[
            (0, 0, "ID"),
            (0, 3, "Answer"),
            (1, 0, "D-01"),
            (1, 3, "Yes"),
        ]);
        let error = read_answers(&range, "f.xlsx").unwrap_err();
        assert_eq!(error.location, "sheet Questions");
        assert!(
            error.reason.contains("Answer in column E"),
            "{}",
            error.reason
        );
    }

    // The questionnaire id and version come from the metadata keys, other keys are ignored.
    #[test]
    fn metadata_fields() {
        let range = sheet(&[
            (0, 0, metadata::QUESTIONNAIRE),
            (0, 1, "risk"),
            (1, 0, metadata::VERSION),
            (1, 1, "1.0.0"),
            (2, 0, metadata::ROLE),
            (2, 1, "legal"),
        ]);
        let mut fields = Fields::default();
        read_metadata(&range, &mut fields);
        assert_eq!(fields.questionnaire.unwrap().location, "Metadata!B1");
        assert_eq!(fields.version.unwrap().value, "1.0.0");
        assert_eq!(fields.role, None);
    }
}
