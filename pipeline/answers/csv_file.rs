//! Wide CSV answer files: UTF-8 with or without BOM, UTF-16 with a BOM, or Windows-1252
//! from older Excel (detected); comma, semicolon or tab delimited (detected from the
//! header line).

use super::{Fields, FileRejection, Located, RawAnswer, RawResponse};

/// Characters 0x80-0x9F of Windows-1252 (the rest of the upper half is Latin-1).
const WINDOWS_1252_HIGH: [char; 32] = [
    '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8d}', 'Ž', '\u{8f}',
    '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9d}', 'ž', 'Ÿ',
];

/// Decodes the bytes of a CSV file: UTF-16 with a byte-order mark (Excel's "Unicode
/// text"), UTF-8 with or without a BOM, or Windows-1252 when the file is not UTF-8 at all.
/// A file that is UTF-8 but for some bytes is refused, naming the line and byte, rather
/// than turned into mojibake. Returns the text and the encoding's name.
pub fn decode(bytes: &[u8]) -> Result<(String, &'static str), String> {
    if let Some(rest) = bytes.strip_prefix(b"\xff\xfe") {
        return decode_utf16(rest, u16::from_le_bytes).map(|t| (t, "UTF-16LE"));
    }
    if let Some(rest) = bytes.strip_prefix(b"\xfe\xff") {
        return decode_utf16(rest, u16::from_be_bytes).map(|t| (t, "UTF-16BE"));
    }
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Ok((text.to_owned(), "UTF-8"));
    }
    if let Some((offset, byte)) = stray_byte_in_utf8(bytes) {
        let line = 1 + bytes[..offset].iter().filter(|&&b| b == b'\n').count();
        return Err(format!(
            "line {line}: byte 0x{byte:02X} is not valid UTF-8, but the rest of the file is UTF-8; save the file as UTF-8 (CSV UTF-8 in Excel)"
        ));
    }
    let text = bytes
        .iter()
        .map(|&b| match b {
            0x80..=0x9f => WINDOWS_1252_HIGH[usize::from(b - 0x80)],
            b => char::from(b),
        })
        .collect();
    Ok((text, "Windows-1252"))
}

/// In bytes that are not valid UTF-8: the offset and value of the first invalid byte, when
/// the bytes also hold valid non-ASCII UTF-8 (so the file is UTF-8 with a stray byte, not
/// another encoding).
fn stray_byte_in_utf8(bytes: &[u8]) -> Option<(usize, u8)> {
    let mut offset = 0;
    let mut first_invalid = None;
    let mut has_utf8 = false;
    for chunk in bytes.utf8_chunks() {
        has_utf8 |= !chunk.valid().is_ascii();
        offset += chunk.valid().len();
        if first_invalid.is_none()
            && let Some(&byte) = chunk.invalid().first()
        {
            first_invalid = Some((offset, byte));
        }
        offset += chunk.invalid().len();
    }
    first_invalid.filter(|_| has_utf8)
}

/// Decodes UTF-16 code units (after the byte-order mark).
fn decode_utf16(bytes: &[u8], unit: fn([u8; 2]) -> u16) -> Result<String, String> {
    if !bytes.len().is_multiple_of(2) {
        return Err("the file is UTF-16 but has an odd number of bytes (truncated?)".to_owned());
    }
    let units = bytes.chunks_exact(2).map(|pair| unit([pair[0], pair[1]]));
    char::decode_utf16(units)
        .collect::<Result<String, _>>()
        .map_err(|e| {
            format!(
                "the file is UTF-16 but holds an invalid code unit 0x{:04X}",
                e.unpaired_surrogate()
            )
        })
}

/// Picks the delimiter that occurs most often outside quotes in the header line: `,`
/// (ties), `;` (European Excel) or a tab (Excel's "Unicode text").
pub fn detect_delimiter(text: &str) -> u8 {
    let (mut commas, mut semicolons, mut tabs, mut quoted) = (0, 0, 0, false);
    for c in text.chars() {
        match c {
            '"' => quoted = !quoted,
            '\n' if !quoted => break,
            ',' if !quoted => commas += 1,
            ';' if !quoted => semicolons += 1,
            '\t' if !quoted => tabs += 1,
            _ => {}
        }
    }
    if tabs > commas && tabs > semicolons {
        b'\t'
    } else if semicolons > commas {
        b';'
    } else {
        b','
    }
}

/// Reads a wide CSV: a header row with metadata fields and question ids, one row per response.
pub fn read_csv(bytes: &[u8], file: &str, stem: &str) -> Result<Vec<RawResponse>, FileRejection> {
    let (text, _) = decode(bytes).map_err(|reason| FileRejection::whole_file(file, reason))?;
    if text.contains('\0') {
        return Err(FileRejection::whole_file(
            file,
            "not a CSV text file (it contains binary data)",
        ));
    }
    let delimiter = detect_delimiter(&text);
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut records = reader.records();
    let header = match records.next() {
        Some(Ok(header)) => header,
        Some(Err(e)) => {
            let reason = format!("cannot read the header row: {e}");
            return Err(FileRejection::at(file, "row 1", reason));
        }
        None => {
            let reason = "the file is empty; expected a header row";
            return Err(FileRejection::whole_file(file, reason));
        }
    };
    let header: Vec<String> = header.iter().map(|h| h.trim().to_owned()).collect();
    let rows = records.enumerate().map(|(i, record)| {
        let row = i + 2;
        record
            .map(|r| r.iter().map(str::to_owned).collect::<Vec<_>>())
            .map_err(|e| {
                FileRejection::at(
                    file,
                    format!("row {row}"),
                    format!("cannot read the row: {e}"),
                )
            })
    });
    wide_table(
        &header,
        rows,
        file,
        stem,
        |row, column| format!("row {row}, column {column:?}"),
        |row| format!("row {row}"),
    )
}

/// Turns a wide table (header, then rows) into responses. Shared by CSV and sheet readers;
/// `cell` and `row_location` name places in the reader's terms.
pub fn wide_table<I>(
    header: &[String],
    rows: I,
    file: &str,
    stem: &str,
    cell: impl Fn(usize, &str) -> String,
    row_location: impl Fn(usize) -> String,
) -> Result<Vec<RawResponse>, FileRejection>
where
    I: Iterator<Item = Result<Vec<String>, FileRejection>>,
{
    if !header
        .iter()
        .any(|h| super::normalise_field(h) == "questionnaire")
    {
        return Err(FileRejection::at(
            file,
            "row 1",
            "not an answer file: the header row has no \"questionnaire\" column (expected questionnaire, version, response_id, respondent, group, role, stage and one column per question id)",
        ));
    }
    let is_field = field_columns(header);
    if let Some(reason) = duplicate_column(header, &is_field) {
        return Err(FileRejection::at(file, "row 1", reason));
    }
    let table = WideTable {
        header,
        is_field,
        file,
        stem,
        cell: &cell,
        row_location: &row_location,
    };
    let mut responses = Vec::new();
    for (i, row) in rows.enumerate() {
        // Rows with nothing but the questionnaire and version (a template's example row,
        // or a blank line) are not responses.
        if let Some(response) = table.response(i + 2, &row?) {
            responses.push(response);
        }
    }
    Ok(responses)
}

/// Which columns of a header are metadata fields (the others are question ids).
fn field_columns(header: &[String]) -> Vec<bool> {
    let mut probe = Fields::default();
    header
        .iter()
        .map(|h| {
            probe.set(
                h,
                Located {
                    value: String::new(),
                    location: String::new(),
                },
            )
        })
        .collect()
}

/// The first column that the header names twice (a metadata field in any spelling, or a
/// question id), with both positions: the last would otherwise silently win.
fn duplicate_column(header: &[String], is_field: &[bool]) -> Option<String> {
    let key = |i: usize| -> String {
        let name = header[i].trim();
        if is_field[i] {
            super::normalise_field(name)
        } else {
            name.to_owned()
        }
    };
    let mut seen: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for (i, title) in header.iter().enumerate() {
        let name = key(i);
        if name.is_empty() {
            continue;
        }
        if let Some(first) = seen.insert(name, i) {
            return Some(format!(
                "the header names {:?} twice, in columns {} and {}; keep one of them",
                title.trim(),
                first + 1,
                i + 1
            ));
        }
    }
    None
}

/// A wide table's header and how its reader names places, to read its rows.
struct WideTable<'a> {
    header: &'a [String],
    /// For each header column, whether it is a metadata field.
    is_field: Vec<bool>,
    file: &'a str,
    stem: &'a str,
    cell: &'a dyn Fn(usize, &str) -> String,
    row_location: &'a dyn Fn(usize) -> String,
}

impl WideTable<'_> {
    /// The response on row `row_number`, or `None` when the row holds nothing but the
    /// questionnaire and version.
    fn response(&self, row_number: usize, values: &[String]) -> Option<RawResponse> {
        let mut response = RawResponse {
            file: self.file.to_owned(),
            stem: self.stem.to_owned(),
            row: row_number,
            location: (self.row_location)(row_number),
            fields: Fields::default(),
            answers: Vec::new(),
        };
        let mut has_content = false;
        for (col, value) in values.iter().enumerate() {
            let value = value.trim();
            let Some(name) = self.header.get(col) else {
                // A value past the header is kept so that validation rejects it.
                if !value.is_empty() {
                    response.answers.push(RawAnswer {
                        question: String::new(),
                        value: self.located(value, row_number, &format!("#{}", col + 1)),
                    });
                }
                continue;
            };
            if self.is_field[col] {
                let key = super::normalise_field(name);
                if key != "questionnaire" && key != "version" && !value.is_empty() {
                    has_content = true;
                }
                response
                    .fields
                    .set(name, self.located(value, row_number, name));
            } else if !value.is_empty() {
                has_content = true;
                response.answers.push(RawAnswer {
                    question: name.clone(),
                    value: self.located(value, row_number, name),
                });
            }
        }
        has_content.then_some(response)
    }

    /// A value and the cell it came from, in the reader's terms.
    fn located(&self, value: &str, row: usize, column: &str) -> Located {
        Located {
            value: value.to_owned(),
            location: (self.cell)(row, column),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Windows-1252 bytes that are not UTF-8 decode to the right characters.
    #[test]
    fn decodes_windows_1252() {
        let (text, encoding) = decode(b"Caf\xe9 \x80 \x93quoted\x94").unwrap();
        assert_eq!(encoding, "Windows-1252");
        assert_eq!(text, "Café € “quoted”");
        let (text, encoding) = decode("\u{feff}Café".as_bytes()).unwrap();
        assert_eq!((text.as_str(), encoding), ("Café", "UTF-8"));
    }

    // A UTF-8 file with one stray byte is refused with its line and byte, not decoded as
    // Windows-1252 into mojibake.
    #[test]
    fn stray_byte_in_utf8_is_refused() {
        let bytes = "a,b\nCafé,1\n"
            .as_bytes()
            .iter()
            .copied()
            .chain(*b"x\xe9y,2\n");
        let error = decode(&bytes.collect::<Vec<u8>>()).unwrap_err();
        assert!(error.starts_with("line 3: byte 0xE9"), "{error}");
    }

    // Excel's "Unicode text" (UTF-16 with a BOM, tab-delimited) reads as text.
    #[test]
    fn decodes_utf16_with_bom() {
        let text = "questionnaire\tversion\nrisk\tÉté\n";
        let mut le = vec![0xff, 0xfe];
        le.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
        let mut be = vec![0xfe, 0xff];
        be.extend(text.encode_utf16().flat_map(u16::to_be_bytes));
        assert_eq!(decode(&le).unwrap(), (text.to_owned(), "UTF-16LE"));
        assert_eq!(decode(&be).unwrap(), (text.to_owned(), "UTF-16BE"));
        assert!(decode(&le[..le.len() - 1]).is_err(), "odd length refused");
        assert_eq!(detect_delimiter(text), b'\t');
    }

    // A column named twice (a field in two spellings, or a question) refuses the file,
    // naming both positions.
    #[test]
    fn duplicate_columns_are_refused() {
        for (csv, columns) in [
            (
                "questionnaire,group,D-01,Group\nrisk,a,yes,b\n",
                "columns 2 and 4",
            ),
            (
                "questionnaire,response_id,D-01,Response ID\nrisk,a,yes,b\n",
                "columns 2 and 4",
            ),
            (
                "questionnaire,D-01,D-02,D-01\nrisk,yes,no,no\n",
                "columns 2 and 4",
            ),
        ] {
            let error = read_csv(csv.as_bytes(), "x.csv", "x").unwrap_err();
            assert!(error.reason.contains(columns), "{}", error.reason);
            assert_eq!(error.location, "row 1");
        }
    }

    // The delimiter is the one the header uses, ignoring quoted text.
    #[test]
    fn detects_delimiter() {
        assert_eq!(detect_delimiter("a;b;c\n1,2;3"), b';');
        assert_eq!(detect_delimiter("a,b,\"c;d;e\"\n"), b',');
        assert_eq!(detect_delimiter("a\tb\tc,d\n"), b'\t');
    }

    // A blank template row is skipped; a row with answers is read with its locations.
    #[test]
    fn reads_rows_and_skips_blank_ones() {
        let csv = "questionnaire;version;response_id;RA-01;RA-02\nrisk;1.0.0;;;\nrisk;1.0.0;r-7;Yes;a; b\n";
        let responses = read_csv(csv.as_bytes(), "x.csv", "x").unwrap();
        assert_eq!(responses.len(), 1);
        let r = &responses[0];
        assert_eq!(r.row, 3);
        assert_eq!(r.fields.response_id.as_ref().unwrap().value, "r-7");
        assert_eq!(r.answers[0].question, "RA-01");
        assert_eq!(r.answers[0].value.location, "row 3, column \"RA-01\"");
        assert_eq!(r.answers[1].value.value, "a");
        assert_eq!(
            r.answers[2].question, "",
            "a cell past the header is kept so validation can reject it"
        );
    }

    // A file that is not a wide answer table is refused whole, saying where and why.
    #[test]
    fn refuses_files_that_are_not_answer_tables() {
        let notes = read_csv(b"date,topic\n2025-01-01,notes\n", "n.csv", "n").unwrap_err();
        assert_eq!(
            (notes.file.as_str(), notes.location.as_str()),
            ("n.csv", "row 1")
        );
        assert!(
            notes.reason.contains("no \"questionnaire\" column"),
            "{}",
            notes.reason
        );
        let binary = read_csv(b"questionnaire\0", "b.csv", "b").unwrap_err();
        assert_eq!(binary.location, "file");
        assert!(binary.reason.contains("binary data"));
        let empty = read_csv(b"", "e.csv", "e").unwrap_err();
        assert_eq!(
            (empty.location.as_str(), empty.reason.as_str()),
            ("file", "the file is empty; expected a header row")
        );
    }

    // Metadata columns are told apart from question columns, whatever their spelling.
    #[test]
    fn tells_field_columns_from_questions() {
        let header = ["Questionnaire", "Response ID", "RA-01", "role"].map(String::from);
        assert_eq!(field_columns(&header), [true, true, false, true]);
    }
}
