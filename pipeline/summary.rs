//! Machine-readable outputs of a scoring run: `summary.csv` (SPEC §7), the same table as
//! `summary.xlsx`, and `errors.csv`. Text that a spreadsheet could run as a formula
//! (starting with `=`, `+`, `-`, `@`, tab or carriage return) is neutralised with a
//! leading apostrophe.

use anyhow::Result;
use rust_xlsxwriter::{Format, Workbook};

use crate::answers::validate::{Rejection, Response};
use crate::date::Date;
use crate::questionnaire::{Kind, Questionnaire};
use crate::scoring::warnings;
use crate::scoring::{ScoreResult, format_percent};

/// Makes text safe to open in a spreadsheet.
pub fn neutralise(text: &str) -> String {
    match text.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{text}"),
        _ => text.to_owned(),
    }
}

/// How `summary.csv` and `errors.csv` start: the answer readers own the signatures,
/// since they must never read this tool's tables back as answers.
pub use crate::answers::{ERRORS_SIGNATURE, SUMMARY_SIGNATURE};

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
        "warnings",
        "risk",
        "mitigation",
        "system",
        "language",
        "verdict",
        "unknowns",
    ]
    .map(str::to_owned)
    .to_vec();
    header.extend(dims.iter().map(|d| format!("dim:{d}")));
    (header, dims)
}

/// One row of `summary.csv`, kept compact: its cells in one string, separated by the
/// unit separator U+001F (a control character no value may hold), so that a run over
/// 100,000 responses keeps one allocation per row instead of forty. In `shard.json` it is a
/// list of strings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SummaryRow(Box<str>);

const CELL_SEPARATOR: char = '\u{1f}';

impl SummaryRow {
    /// A row of these cells.
    pub fn new(cells: Vec<String>) -> SummaryRow {
        SummaryRow(cells.join(&CELL_SEPARATOR.to_string()).into_boxed_str())
    }

    /// The cells, in column order.
    pub fn cells(&self) -> impl Iterator<Item = &str> {
        self.0.split(CELL_SEPARATOR)
    }
}

impl serde::Serialize for SummaryRow {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.cells())
    }
}

impl<'de> serde::Deserialize<'de> for SummaryRow {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Vec::<String>::deserialize(deserializer).map(SummaryRow::new)
    }
}

/// One response's summary row, matching [`summary_header`]; text is neutralised.
pub fn summary_row(
    q: &Questionnaire,
    response: &Response,
    result: &ScoreResult,
    dims: &[String],
) -> SummaryRow {
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
        response.file().to_owned(),
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
        warnings(
            q,
            &response.answers.to_vec(),
            result,
            crate::words::Words::built_in(),
        )
        .into_iter()
        .map(|w| w.id)
        .collect::<Vec<_>>()
        .join(";"),
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
        response.system.clone(),
        response.language.clone().unwrap_or_default(),
        result.verdict.map_or(String::new(), |v| v.id().to_owned()),
        result
            .unknowns
            .iter()
            .map(|&i| q.questions[i].id.as_str())
            .collect::<Vec<_>>()
            .join(";"),
    ];
    for dim in dims {
        let value = q
            .dimensions
            .iter()
            .position(|d| d.id == *dim)
            .and_then(|i| result.dimensions[i].percent);
        row.push(optional(value));
    }
    SummaryRow::new(row.iter().map(|cell| neutralise(cell)).collect())
}

/// Writes a table as CSV (UTF-8 with BOM, so spreadsheet programs read accents right).
pub fn csv_bytes<R, C>(header: &[String], rows: impl IntoIterator<Item = R>) -> Result<Vec<u8>>
where
    R: IntoIterator<Item = C>,
    C: AsRef<[u8]>,
{
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
pub fn summary_xlsx(header: &[String], rows: &[SummaryRow], date: Date) -> Result<Vec<u8>> {
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
        for (col, cell) in row.cells().enumerate() {
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

/// Longest cell of `errors.csv`; longer text is cut, with its full length noted.
pub const MAX_ERROR_CELL_CHARS: usize = 200;

/// Most rows of `errors.csv` for one file; the rest are counted in one closing row.
pub const MAX_ERROR_ROWS_PER_FILE: usize = 100;

/// A cell of `errors.csv`: neutralised, and cut to [`MAX_ERROR_CELL_CHARS`] characters.
fn error_cell(text: &str) -> String {
    let length = text.chars().count();
    if length <= MAX_ERROR_CELL_CHARS {
        return neutralise(text);
    }
    let kept: String = text.chars().take(MAX_ERROR_CELL_CHARS).collect();
    neutralise(&format!("{kept}… ({length} characters in all)"))
}

/// The errors table: one row per rejected file or response problem (rejections sorted by
/// file), at most [`MAX_ERROR_ROWS_PER_FILE`] per file and then a row that counts the
/// rest, each cell at most [`MAX_ERROR_CELL_CHARS`] characters: a hostile file cannot
/// make the table huge.
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
    let mut rows = Vec::new();
    for same_file in rejections.chunk_by(|a, b| a.file == b.file) {
        for r in same_file.iter().take(MAX_ERROR_ROWS_PER_FILE) {
            let cells = [
                &r.file,
                &r.location,
                &r.response_id,
                &r.question,
                &r.found,
                &r.expected,
                &r.reason,
            ];
            rows.push(cells.iter().map(|cell| error_cell(cell)).collect());
        }
        let more = same_file.len().saturating_sub(MAX_ERROR_ROWS_PER_FILE);
        if more > 0 {
            let file = error_cell(&same_file[0].file);
            let reason = format!("... and {more} more problems in this file");
            let empty = String::new;
            rows.push(vec![
                file,
                "file".into(),
                empty(),
                empty(),
                empty(),
                empty(),
                reason,
            ]);
        }
    }
    (header, rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    // Long cells are cut with their length noted, and one file gives at most 100 rows
    // plus one that counts the rest.
    #[test]
    fn errors_table_is_bounded() {
        let rejection = |file: &str| {
            Rejection::at(file, 2, "row 2")
                .found("x".repeat(1_000_000))
                .reason("bad")
        };
        let mut rejections: Vec<Rejection> = (0..250).map(|_| rejection("a.csv")).collect();
        rejections.push(rejection("b.csv"));
        let (_, rows) = errors_table(&rejections);
        assert_eq!(rows.len(), MAX_ERROR_ROWS_PER_FILE + 1 + 1);
        assert!(rows[0][4].ends_with("(1000000 characters in all)"));
        assert!(rows[0][4].chars().count() < 300);
        assert_eq!(rows[100][6], "... and 150 more problems in this file");
        assert_eq!(rows[101][0], "b.csv");
    }

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
