//! Machine-readable outputs of a scoring run: `summary.csv` (SPEC §7), the same table as
//! `summary.xlsx`, and `errors.csv`. Text that a spreadsheet could run as a formula
//! (starting with `=`, `+`, `-`, `@`, tab or carriage return) is neutralised with a
//! leading apostrophe.

use anyhow::Result;
use rust_xlsxwriter::{Format, Workbook};

use crate::answers::validate::{Rejection, Response};
use crate::date::Date;
use crate::questionnaire::{Kind, Questionnaire};
use crate::scoring::{ScoreResult, format_percent};

/// Makes text safe to open in a spreadsheet.
pub fn neutralise(text: &str) -> String {
    match text.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{text}"),
        _ => text.to_owned(),
    }
}

/// How `summary.csv` starts: a file that starts so is this tool's output, never answers.
pub const SUMMARY_SIGNATURE: &str = "source_file,response_id,questionnaire,version";
/// How `errors.csv` starts.
pub const ERRORS_SIGNATURE: &str = "file,location,response_id,question,found,expected";

/// The summary's header: the fixed columns, then `dim:<id>` for every dimension of every
/// questionnaire (first seen first). Returns the header and the dimension ids.
pub fn summary_header(questionnaires: &[Questionnaire]) -> (Vec<String>, Vec<String>) {
    let mut dims: Vec<String> = Vec::new();
    for q in questionnaires {
        for d in &q.dimensions {
            if !dims.contains(&d.id) {
                dims.push(d.id.clone());
            }
        }
    }
    let mut header: Vec<String> = [
        "source_file",
        "response_id",
        "questionnaire",
        "version",
        "group",
        "respondent",
        "role",
        "stage",
        "completion",
        "score",
        "level",
        "level_label",
        "flags",
        "risk",
        "mitigation",
    ]
    .map(str::to_owned)
    .to_vec();
    header.extend(dims.iter().map(|d| format!("dim:{d}")));
    (header, dims)
}

/// One response's summary row, matching [`summary_header`]; text is neutralised.
pub fn summary_row(
    q: &Questionnaire,
    response: &Response,
    result: &ScoreResult,
    dims: &[String],
) -> Vec<String> {
    let level = result.level.map(|l| &q.levels[l]);
    let mut flags: Vec<&str> = Vec::new();
    for f in &result.flags {
        if !flags.contains(&f.id.as_str()) {
            flags.push(&f.id);
        }
    }
    let is_risk = q.kind == Kind::Risk;
    let optional = |v: Option<f64>| v.map_or(String::new(), format_percent);
    let mut row = vec![
        response.file.clone(),
        response.id.clone(),
        q.id.clone(),
        q.version.clone(),
        response.group.clone(),
        response.respondent.clone(),
        response.role.clone().unwrap_or_default(),
        response.stage.clone().unwrap_or_default(),
        format_percent(result.completion),
        optional(result.score),
        level.map_or(String::new(), |l| l.id.clone()),
        level.map_or(String::new(), |l| l.label.clone()),
        flags.join(";"),
        if is_risk {
            optional(result.risk)
        } else {
            String::new()
        },
        if is_risk {
            optional(result.mitigation)
        } else {
            String::new()
        },
    ];
    for dim in dims {
        let value = q
            .dimensions
            .iter()
            .position(|d| d.id == *dim)
            .and_then(|i| result.dimensions[i].percent);
        row.push(optional(value));
    }
    row.iter().map(|cell| neutralise(cell)).collect()
}

/// Writes a table as CSV (UTF-8 with BOM, so spreadsheet programs read accents right).
pub fn csv_bytes(header: &[String], rows: &[Vec<String>]) -> Result<Vec<u8>> {
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    writer.write_record(header)?;
    for row in rows {
        writer.write_record(row)?;
    }
    let mut bytes = "\u{feff}".as_bytes().to_vec();
    bytes.extend(writer.into_inner().map_err(|e| anyhow::anyhow!("{e}"))?);
    Ok(bytes)
}

/// Writes the summary as a workbook: text cells stay text (never formulas), numbers are numbers.
pub fn summary_xlsx(header: &[String], rows: &[Vec<String>], date: Date) -> Result<Vec<u8>> {
    let mut workbook = Workbook::new();
    let created = rust_xlsxwriter::ExcelDateTime::from_ymd(
        date.year.clamp(1900, 9999) as u16,
        date.month,
        date.day,
    )?;
    workbook.set_properties(
        &rust_xlsxwriter::DocProperties::new()
            .set_title("Scoring summary")
            .set_creation_datetime(&created),
    );
    // Rows stream to a temporary file instead of staying in memory.
    let sheet = workbook.add_worksheet_with_constant_memory()?;
    sheet.set_name("Summary")?;
    let bold = Format::new().set_bold();
    let numeric: Vec<bool> = header
        .iter()
        .map(|h| {
            matches!(h.as_str(), "completion" | "score" | "risk" | "mitigation")
                || h.starts_with("dim:")
        })
        .collect();
    for (col, title) in header.iter().enumerate() {
        sheet.write_string_with_format(0, col as u16, title, &bold)?;
    }
    for (r, row) in rows.iter().enumerate() {
        for (col, cell) in row.iter().enumerate() {
            let (row_number, col_number) = (r as u32 + 1, col as u16);
            match cell.parse::<f64>() {
                Ok(number) if numeric[col] => sheet.write_number(row_number, col_number, number)?,
                _ => sheet.write_string(row_number, col_number, cell)?,
            };
        }
    }
    sheet.set_freeze_panes(1, 0)?;
    sheet.autofilter(
        0,
        0,
        rows.len() as u32,
        header.len().saturating_sub(1) as u16,
    )?;
    Ok(workbook.save_to_buffer()?)
}

/// The errors table: one row per rejected file or response problem.
pub fn errors_table(rejections: &[Rejection]) -> (Vec<String>, Vec<Vec<String>>) {
    let header = [
        "file",
        "location",
        "response_id",
        "question",
        "found",
        "expected",
        "reason",
    ]
    .map(str::to_owned)
    .to_vec();
    let rows = rejections
        .iter()
        .map(|r| {
            [
                &r.file,
                &r.location,
                &r.response_id,
                &r.question,
                &r.found,
                &r.expected,
                &r.reason,
            ]
            .iter()
            .map(|cell| neutralise(cell))
            .collect()
        })
        .collect();
    (header, rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    // Formula-looking text is neutralised; ordinary text and numbers are not.
    #[test]
    fn neutralises_formulas() {
        assert_eq!(neutralise("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(neutralise("+1"), "'+1");
        assert_eq!(neutralise("-2"), "'-2");
        assert_eq!(neutralise("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(neutralise("\tx"), "'\tx");
        assert_eq!(neutralise("Agency A"), "Agency A");
        assert_eq!(neutralise("42.5"), "42.5");
    }
}
