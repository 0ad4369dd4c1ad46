//! XLSX and ODS answer files, read with calamine: a filled questionnaire workbook (sheets
//! `Questions` and `Respondent`, hidden `Metadata`), or wide tables (a header row with
//! `questionnaire` and question ids, one row per response) on any sheet.

use std::path::Path;

use calamine::{Data, Range, Reader, open_workbook_auto};

use super::csv_file::wide_table;
use super::{Fields, FileRejection, Located, RawAnswer, RawResponse};
use crate::questionnaire::workbook::names;

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

/// Excel column letters for a zero-based column.
fn column_name(col: u32) -> String {
    let mut col = col as u64;
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

/// `Sheet!E12` for a zero-based absolute position.
fn cell_ref(sheet: &str, row: u32, col: u32) -> String {
    format!("{sheet}!{}{}", column_name(col), row + 1)
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

/// Reads an XLSX or ODS answer file (already pre-scanned).
pub fn read_spreadsheet(
    path: &Path,
    file: &str,
    stem: &str,
) -> Result<Vec<RawResponse>, FileRejection> {
    let reject = |location: &str, reason: String| FileRejection {
        file: file.to_owned(),
        location: location.to_owned(),
        reason,
    };
    let mut workbook = open_workbook_auto(path)
        .map_err(|e| reject("file", format!("cannot open the workbook: {e}")))?;
    let sheet_names = workbook.sheet_names();
    let has = |name: &str| sheet_names.iter().any(|s| s == name);
    let mut read = |name: &str| {
        workbook.worksheet_range(name).map_err(|e| {
            reject(
                &format!("sheet {name}"),
                format!("cannot read the sheet: {e}"),
            )
        })
    };
    if has(names::QUESTIONS) && has(names::RESPONDENT) {
        let questions = read(names::QUESTIONS)?;
        let respondent = read(names::RESPONDENT)?;
        let metadata = if has(names::METADATA) {
            Some(read(names::METADATA)?)
        } else {
            None
        };
        return read_filled_workbook(&questions, &respondent, metadata.as_ref(), file, stem)
            .map(|r| vec![r]);
    }
    let mut responses = Vec::new();
    let mut found_table = false;
    for name in &sheet_names {
        let range = read(name)?;
        let rows = rows_of(&range);
        let Some((header_row, header_col, header)) = rows.first().cloned() else {
            continue;
        };
        if !header
            .iter()
            .any(|h| super::normalise_field(h) == "questionnaire")
        {
            continue;
        }
        found_table = true;
        let body = rows.into_iter().skip(1).map(|(_, _, values)| Ok(values));
        let sheet = name.clone();
        let header_for_cells = header.clone();
        let mut table = wide_table(
            &header,
            body,
            file,
            stem,
            |row, column| {
                let col = header_for_cells
                    .iter()
                    .position(|h| h == column)
                    .unwrap_or(0) as u32
                    + header_col;
                cell_ref(&sheet, header_row + row as u32 - 1, col)
            },
            |row| format!("sheet {name} row {}", header_row + row as u32),
        )?;
        for response in &mut table {
            response.row += header_row as usize;
        }
        responses.extend(table);
    }
    if !found_table {
        return Err(reject(
            "file",
            format!(
                "not an answer file: no sheet has a header row with a \"questionnaire\" column, and there are no {} and {} sheets of a questionnaire workbook",
                names::QUESTIONS,
                names::RESPONDENT
            ),
        ));
    }
    Ok(responses)
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
        for (row, col, values) in rows_of(metadata) {
            if let [key, value, ..] = values.as_slice() {
                let location = cell_ref(names::METADATA, row, col + 1);
                if matches!(key.as_str(), "questionnaire" | "version") {
                    fields.set(
                        key,
                        Located {
                            value: value.clone(),
                            location,
                        },
                    );
                }
            }
        }
    }
    for (row, col, values) in rows_of(respondent) {
        if let [label, value, ..] = values.as_slice() {
            let key = super::normalise_field(label);
            if matches!(
                key.as_str(),
                "response_id"
                    | "respondent"
                    | "group"
                    | "role"
                    | "stage"
                    | "questionnaire"
                    | "version"
            ) {
                fields.set(
                    label,
                    Located {
                        value: value.clone(),
                        location: cell_ref(names::RESPONDENT, row, col + 1),
                    },
                );
            }
        }
    }
    let rows = rows_of(questions);
    let header = rows.iter().position(|(_, _, values)| {
        values.iter().any(|v| v.eq_ignore_ascii_case("ID"))
            && values.iter().any(|v| v.eq_ignore_ascii_case("Answer"))
    });
    let Some(header) = header else {
        return Err(FileRejection {
            file: file.to_owned(),
            location: format!("sheet {}", names::QUESTIONS),
            reason: "the Questions sheet has no header row with ID and Answer columns".into(),
        });
    };
    let (_, _, header_values) = &rows[header];
    let id_col = header_values
        .iter()
        .position(|v| v.eq_ignore_ascii_case("ID"))
        .expect("found above");
    let answer_col = header_values
        .iter()
        .position(|v| v.eq_ignore_ascii_case("Answer"))
        .expect("found above");
    let mut answers: Vec<RawAnswer> = Vec::new();
    // Options ticked in option rows (`<question>/<value>` = Yes), by question.
    let mut ticked: Vec<(String, Vec<String>, String)> = Vec::new();
    for (row, col, values) in &rows[header + 1..] {
        let id = values.get(id_col).map(String::as_str).unwrap_or("").trim();
        let answer = values
            .get(answer_col)
            .map(String::as_str)
            .unwrap_or("")
            .trim();
        if id.is_empty() {
            continue;
        }
        let location = cell_ref(names::QUESTIONS, *row, col + answer_col as u32);
        if let Some((question, option)) = id.split_once(names::OPTION_SEPARATOR) {
            let entry = match ticked.iter_mut().find(|(q, _, _)| q == question) {
                Some(entry) => entry,
                None => {
                    ticked.push((question.to_owned(), Vec::new(), location.clone()));
                    ticked.last_mut().expect("just pushed")
                }
            };
            if is_ticked(answer) {
                entry.1.push(option.to_owned());
            }
        } else if !answer.is_empty() && answer != "select below" {
            answers.push(RawAnswer {
                question: id.to_owned(),
                value: Located {
                    value: answer.to_owned(),
                    location,
                },
            });
        }
    }
    for (question, options, location) in ticked {
        if options.is_empty() {
            continue;
        }
        // Option rows win over text typed in the question row.
        answers.retain(|a| a.question != question);
        answers.push(RawAnswer {
            question,
            value: Located {
                value: options.join(";"),
                location,
            },
        });
    }
    Ok(RawResponse {
        file: file.to_owned(),
        stem: stem.to_owned(),
        row: 1,
        location: "workbook".into(),
        fields,
        answers,
    })
}

/// Whether an option row's answer marks the option as chosen.
fn is_ticked(answer: &str) -> bool {
    matches!(
        answer.to_lowercase().as_str(),
        "yes" | "y" | "x" | "true" | "1" | "✓" | "☑"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

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
        assert_eq!(column_name(27), "AB");
    }
}
