//! Wide CSV answer files, read as a stream: UTF-8 with or without BOM, UTF-16 with a BOM,
//! or Windows-1252 from older Excel (detected); comma, semicolon or tab delimited
//! (detected from the header line).
//!
//! A file is read twice, never held whole: a first pass decides its encoding ([`sniff`]:
//! the byte-order mark, then whether the bytes are UTF-8, UTF-8 but for a stray byte, or
//! no UTF-8 at all) and refuses binary data; the second decodes it incrementally
//! ([`Decoder`]) into the CSV parser, which hands on one row at a time. Memory stays at a
//! row's size whatever the file's.

use std::io::{BufReader, Cursor, Read, Seek, SeekFrom};
use std::path::Path;
use std::sync::Arc;

use super::text::read_value;
use super::{
    Field, FileRead, FileRejection, Layout, Located, MAX_CSV_BYTES, Origin, Place, RawAnswer,
    RawResponse,
};

/// Characters 0x80-0x9F of Windows-1252 (the rest of the upper half is Latin-1).
const WINDOWS_1252_HIGH: [char; 32] = [
    '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8d}', 'Ž', '\u{8f}',
    '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9d}', 'ž', 'Ÿ',
];

/// Bytes read at a time in either pass.
const CHUNK: usize = 64 * 1024;

/// How much decoded text the delimiter is detected from (the header line, unless it is
/// longer than this).
const HEADER_PEEK: u64 = 1024 * 1024;

/// The encoding of a CSV file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// UTF-8 (a byte-order mark, if any, is skipped).
    Utf8,
    /// UTF-16, little-endian, after its byte-order mark (Excel's "Unicode text").
    Utf16Le,
    /// UTF-16, big-endian, after its byte-order mark.
    Utf16Be,
    /// Windows-1252, for files with no UTF-8 in them at all.
    Windows1252,
}

impl Encoding {
    /// Its usual name.
    pub fn name(self) -> &'static str {
        match self {
            Encoding::Utf8 => "UTF-8",
            Encoding::Utf16Le => "UTF-16LE",
            Encoding::Utf16Be => "UTF-16BE",
            Encoding::Windows1252 => "Windows-1252",
        }
    }
}

/// What the first pass over a file found: its encoding and where its text starts (after
/// the byte-order mark).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sniffed {
    /// The encoding.
    pub encoding: Encoding,
    /// Bytes of the byte-order mark.
    pub bom: u64,
}

/// Why a file cannot be read as CSV text, from the first pass.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unreadable {
    /// Not text in any encoding read here: the reason.
    Encoding(String),
    /// Text holding NUL characters: binary data.
    Binary,
}

/// Fills `buf` from `reader` (short only at the end of the input); returns how much.
fn read_full(reader: &mut impl Read, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        match reader.read(&mut buf[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(filled)
}

/// Reads a file through once to decide its encoding: UTF-16 with a byte-order mark
/// (Excel's "Unicode text"), UTF-8 with or without a BOM, or Windows-1252 when the bytes
/// hold no UTF-8 at all. A file that is UTF-8 but for some bytes is refused, naming the
/// line and byte, rather than turned into mojibake; so is UTF-16 that is cut or holds
/// an unpaired surrogate, and any text with NUL characters (binary data).
pub fn sniff(reader: &mut impl Read) -> std::io::Result<Result<Sniffed, Unreadable>> {
    let mut buf = vec![0u8; CHUNK];
    let filled = read_full(reader, &mut buf)?;
    let start = &buf[..filled];
    let (encoding, bom) = if start.starts_with(b"\xff\xfe") {
        (Encoding::Utf16Le, 2)
    } else if start.starts_with(b"\xfe\xff") {
        (Encoding::Utf16Be, 2)
    } else if start.starts_with(b"\xef\xbb\xbf") {
        (Encoding::Utf8, 3)
    } else {
        (Encoding::Utf8, 0)
    };
    let first = buf[bom..filled].to_vec();
    let mut chunks = std::iter::once(Ok(first)).chain(std::iter::from_fn(|| {
        match read_full(reader, &mut buf) {
            Ok(0) => None,
            Ok(n) => Some(Ok(buf[..n].to_vec())),
            Err(e) => Some(Err(e)),
        }
    }));
    let verdict = match encoding {
        Encoding::Utf16Le | Encoding::Utf16Be => {
            sniff_utf16(&mut chunks, encoding == Encoding::Utf16Be)?
        }
        _ => sniff_utf8(&mut chunks)?,
    };
    Ok(verdict.map(|encoding| Sniffed {
        encoding,
        bom: bom as u64,
    }))
}

/// The UTF-8 or Windows-1252 verdict over a file's chunks (after any BOM).
fn sniff_utf8(
    chunks: &mut impl Iterator<Item = std::io::Result<Vec<u8>>>,
) -> std::io::Result<Result<Encoding, Unreadable>> {
    let mut carry: Vec<u8> = Vec::new();
    let mut lines = 0u64;
    let (mut first_invalid, mut has_utf8, mut has_nul) = (None, false, false);
    let mut next = chunks.next().transpose()?;
    while let Some(chunk) = next {
        next = chunks.next().transpose()?;
        let at_end = next.is_none();
        let mut bytes = std::mem::take(&mut carry);
        bytes.extend_from_slice(&chunk);
        let mut position = 0usize;
        for part in bytes.utf8_chunks() {
            let valid = part.valid().as_bytes();
            has_utf8 |= !valid.is_ascii();
            has_nul |= valid.contains(&0);
            position += valid.len();
            let invalid = part.invalid();
            if invalid.is_empty() {
                continue;
            }
            let cut_short = position + invalid.len() == bytes.len()
                && std::str::from_utf8(invalid).is_err_and(|e| e.error_len().is_none());
            if cut_short && !at_end {
                // A character split between two chunks: finish it with the next.
                carry = invalid.to_vec();
                break;
            }
            if first_invalid.is_none() {
                let line = lines + 1 + count_newlines(&bytes[..position]);
                first_invalid = Some((line, invalid[0]));
            }
            position += invalid.len();
        }
        lines += count_newlines(&bytes[..position]);
    }
    Ok(match first_invalid {
        Some((line, byte)) if has_utf8 => Err(Unreadable::Encoding(format!(
            "line {line}: byte 0x{byte:02X} is not valid UTF-8, but the rest of the file is UTF-8; save the file as UTF-8 (CSV UTF-8 in Excel)"
        ))),
        _ if has_nul => Err(Unreadable::Binary),
        Some(_) => Ok(Encoding::Windows1252),
        None => Ok(Encoding::Utf8),
    })
}

fn count_newlines(bytes: &[u8]) -> u64 {
    bytes.iter().filter(|&&b| b == b'\n').count() as u64
}

/// The UTF-16 verdict over a file's chunks (after the BOM).
fn sniff_utf16(
    chunks: &mut impl Iterator<Item = std::io::Result<Vec<u8>>>,
    big_endian: bool,
) -> std::io::Result<Result<Encoding, Unreadable>> {
    let unit = |pair: &[u8]| {
        if big_endian {
            u16::from_be_bytes([pair[0], pair[1]])
        } else {
            u16::from_le_bytes([pair[0], pair[1]])
        }
    };
    let (mut odd, mut pending_high, mut invalid, mut has_nul) = (None::<u8>, false, None, false);
    for chunk in chunks {
        let chunk = chunk?;
        let mut bytes: Vec<u8> = odd.take().into_iter().collect();
        bytes.extend_from_slice(&chunk);
        if bytes.len() % 2 == 1 {
            odd = bytes.pop();
        }
        for pair in bytes.chunks_exact(2) {
            let u = unit(pair);
            has_nul |= u == 0;
            match u {
                0xD800..=0xDBFF if pending_high => {
                    invalid.get_or_insert(u);
                }
                0xD800..=0xDBFF => pending_high = true,
                0xDC00..=0xDFFF if pending_high => pending_high = false,
                0xDC00..=0xDFFF => {
                    invalid.get_or_insert(u);
                }
                _ if pending_high => {
                    invalid.get_or_insert(u);
                    pending_high = false;
                }
                _ => {}
            }
        }
    }
    if pending_high {
        invalid.get_or_insert(0xD800);
    }
    let encoding = if big_endian {
        Encoding::Utf16Be
    } else {
        Encoding::Utf16Le
    };
    Ok(if odd.is_some() {
        Err(Unreadable::Encoding(
            "the file is UTF-16 but has an odd number of bytes (truncated?)".to_owned(),
        ))
    } else if let Some(unit) = invalid {
        Err(Unreadable::Encoding(format!(
            "the file is UTF-16 but holds an invalid code unit 0x{unit:04X}"
        )))
    } else if has_nul {
        Err(Unreadable::Binary)
    } else {
        Ok(encoding)
    })
}

/// Text of a sniffed encoding as UTF-8 bytes, decoded a chunk at a time.
pub struct Decoder<R> {
    inner: R,
    encoding: Encoding,
    /// Decoded bytes not yet handed out, from `start`.
    decoded: Vec<u8>,
    start: usize,
    /// Bytes of a UTF-16 unit or surrogate pair split between two chunks.
    carry: Vec<u8>,
    raw: Vec<u8>,
}

impl<R: Read> Decoder<R> {
    /// Decodes `inner`, which starts after the byte-order mark, from `encoding`.
    pub fn new(inner: R, encoding: Encoding) -> Self {
        Decoder {
            inner,
            encoding,
            decoded: Vec::new(),
            start: 0,
            carry: Vec::new(),
            raw: vec![0; CHUNK],
        }
    }

    /// Decodes the next chunk into `decoded`; false at the end of the input.
    fn refill(&mut self) -> std::io::Result<bool> {
        let n = read_full(&mut self.inner, &mut self.raw)?;
        self.decoded.clear();
        self.start = 0;
        let at_end = n < self.raw.len();
        match self.encoding {
            Encoding::Utf8 => self.decoded.extend_from_slice(&self.raw[..n]),
            Encoding::Windows1252 => {
                for &b in &self.raw[..n] {
                    let c = match b {
                        0x80..=0x9f => WINDOWS_1252_HIGH[usize::from(b - 0x80)],
                        b => char::from(b),
                    };
                    let mut utf8 = [0; 4];
                    self.decoded
                        .extend_from_slice(c.encode_utf8(&mut utf8).as_bytes());
                }
            }
            Encoding::Utf16Le | Encoding::Utf16Be => {
                let mut bytes = std::mem::take(&mut self.carry);
                bytes.extend_from_slice(&self.raw[..n]);
                let whole = bytes.len() - bytes.len() % 2;
                let big_endian = self.encoding == Encoding::Utf16Be;
                let mut units: Vec<u16> = bytes[..whole]
                    .chunks_exact(2)
                    .map(|p| {
                        if big_endian {
                            u16::from_be_bytes([p[0], p[1]])
                        } else {
                            u16::from_le_bytes([p[0], p[1]])
                        }
                    })
                    .collect();
                let mut keep = bytes[whole..].to_vec();
                if !at_end && units.last().is_some_and(|u| (0xD800..=0xDBFF).contains(u)) {
                    let high = units.pop().expect("a last unit");
                    let pair = if big_endian {
                        high.to_be_bytes()
                    } else {
                        high.to_le_bytes()
                    };
                    keep.splice(0..0, pair);
                }
                self.carry = keep;
                for c in char::decode_utf16(units) {
                    let c = c.map_err(|e| {
                        std::io::Error::new(std::io::ErrorKind::InvalidData, e.to_string())
                    })?;
                    let mut utf8 = [0; 4];
                    self.decoded
                        .extend_from_slice(c.encode_utf8(&mut utf8).as_bytes());
                }
            }
        }
        Ok(n > 0 || !self.decoded.is_empty())
    }
}

impl<R: Read> Read for Decoder<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        while self.start == self.decoded.len() {
            if !self.refill()? {
                return Ok(0);
            }
        }
        let n = buf.len().min(self.decoded.len() - self.start);
        buf[..n].copy_from_slice(&self.decoded[self.start..self.start + n]);
        self.start += n;
        Ok(n)
    }
}

/// Decodes the bytes of a whole CSV file (see [`sniff`]); returns the text and the
/// encoding's name.
pub fn decode(bytes: &[u8]) -> Result<(String, &'static str), String> {
    let sniffed = match sniff(&mut Cursor::new(bytes)).map_err(|e| e.to_string())? {
        Ok(sniffed) => sniffed,
        Err(Unreadable::Encoding(reason)) => return Err(reason),
        Err(Unreadable::Binary) => return Err("binary data".into()),
    };
    let mut text = String::new();
    Decoder::new(&bytes[sniffed.bom as usize..], sniffed.encoding)
        .read_to_string(&mut text)
        .map_err(|e| e.to_string())?;
    Ok((text, sniffed.encoding.name()))
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

/// Reads a wide CSV file from disk, handing each response to `each` as its row is read;
/// refuses files larger than [`MAX_CSV_BYTES`].
pub fn read_csv_file(
    path: &Path,
    file: &str,
    stem: &str,
    each: &mut dyn FnMut(RawResponse),
) -> Result<FileRead, FileRejection> {
    let unreadable =
        |e: std::io::Error| FileRejection::whole_file(file, format!("cannot read the file: {e}"));
    let size = std::fs::metadata(path).map_err(unreadable)?.len();
    if size > MAX_CSV_BYTES {
        return Err(FileRejection::whole_file(
            file,
            format!(
                "file is {} MB; answer CSV files are limited to {} MB (split it)",
                size / 1_048_576,
                MAX_CSV_BYTES / 1_048_576
            ),
        ));
    }
    let opened = std::fs::File::open(path).map_err(unreadable)?;
    read_csv_from(opened, file, stem, each)
}

/// Reads a wide CSV (a header row with metadata fields and question ids, one row per
/// response) from any seekable source, handing each response to `each` as it is read.
pub fn read_csv_from<R: Read + Seek>(
    mut source: R,
    file: &str,
    stem: &str,
    each: &mut dyn FnMut(RawResponse),
) -> Result<FileRead, FileRejection> {
    let unreadable =
        |e: std::io::Error| FileRejection::whole_file(file, format!("cannot read the file: {e}"));
    let sniffed = match sniff(&mut source).map_err(unreadable)? {
        Ok(sniffed) => sniffed,
        Err(Unreadable::Encoding(reason)) => return Err(FileRejection::whole_file(file, reason)),
        Err(Unreadable::Binary) => {
            return Err(FileRejection::whole_file(
                file,
                "not a CSV text file (it contains binary data)",
            ));
        }
    };
    source
        .seek(SeekFrom::Start(sniffed.bom))
        .map_err(unreadable)?;
    let mut decoded = BufReader::with_capacity(CHUNK, Decoder::new(source, sniffed.encoding));
    let mut head = Vec::new();
    (&mut decoded)
        .take(HEADER_PEEK)
        .read_to_end(&mut head)
        .map_err(unreadable)?;
    let delimiter = detect_delimiter(&String::from_utf8_lossy(&head));
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(Cursor::new(head).chain(decoded));
    let mut record = csv::StringRecord::new();
    match reader.read_record(&mut record) {
        Ok(true) => {}
        Ok(false) => {
            let reason = "the file is empty; expected a header row";
            return Err(FileRejection::whole_file(file, reason));
        }
        Err(e) => {
            let reason = format!("cannot read the header row: {e}");
            return Err(FileRejection::at(file, "row 1", reason));
        }
    }
    let header: Vec<String> = record.iter().map(|h| read_value(h).into_owned()).collect();
    if let Some(table) = super::own_table(&header) {
        return Ok(FileRead {
            own_table: Some(table),
            ..FileRead::default()
        });
    }
    let origin = Origin {
        file: file.to_owned(),
        stem: stem.to_owned(),
        layout: Layout::Csv {
            header: header.clone(),
        },
    };
    let table = WideTable::new(&header, origin)?;
    let mut read = FileRead::default();
    for row in 2u32.. {
        match reader.read_record(&mut record) {
            Ok(true) => table.read_row(row, record.iter(), &mut read, each),
            Ok(false) => break,
            Err(e) => {
                return Err(FileRejection::at(
                    file,
                    format!("row {row}"),
                    format!("cannot read the row: {e}"),
                ));
            }
        }
    }
    Ok(read)
}

/// Reads a whole wide CSV held in memory: every response, unfilled rows left out.
pub fn read_csv(bytes: &[u8], file: &str, stem: &str) -> Result<Vec<RawResponse>, FileRejection> {
    let mut responses = Vec::new();
    read_csv_from(Cursor::new(bytes), file, stem, &mut |raw| {
        responses.push(raw)
    })?;
    Ok(responses)
}

/// What a column of a wide table holds.
#[derive(Debug, Clone)]
enum Column {
    /// A metadata field.
    Field(Field),
    /// Answers to the question it names (a blank title names none).
    Question(Arc<str>),
}

/// A wide table's header (checked), to read its rows into responses. Shared by the CSV
/// and sheet readers; the origin names places in the reader's terms.
pub struct WideTable {
    columns: Vec<Column>,
    origin: Arc<Origin>,
    /// The question of every value past the header: none.
    outside: Arc<str>,
}

impl WideTable {
    /// Checks a header row: it must have a `questionnaire` column, and name no column
    /// twice.
    pub fn new(header: &[String], origin: Origin) -> Result<WideTable, FileRejection> {
        let columns: Vec<Column> = header
            .iter()
            .map(|title| match Field::named(title) {
                Some(field) => Column::Field(field),
                None => Column::Question(Arc::from(title.trim())),
            })
            .collect();
        if !columns
            .iter()
            .any(|c| matches!(c, Column::Field(Field::Questionnaire)))
        {
            return Err(FileRejection::at(
                origin.file.as_str(),
                "row 1",
                "not an answer file: the header row has no \"questionnaire\" column (expected questionnaire, version, response_id, respondent, group, role, stage and one column per question id)",
            ));
        }
        if let Some(reason) = duplicate_column(header) {
            return Err(FileRejection::at(origin.file.as_str(), "row 1", reason));
        }
        Ok(WideTable {
            columns,
            origin: Arc::new(origin),
            outside: Arc::from(""),
        })
    }

    /// Reads one row (`row` as the file counts rows): hands its response to `each`, or
    /// counts it as unfilled, or passes over a row with nothing but the questionnaire and
    /// version (a template's example row, a blank line).
    pub fn read_row<S: AsRef<str>>(
        &self,
        row: u32,
        values: impl IntoIterator<Item = S>,
        read: &mut FileRead,
        each: &mut dyn FnMut(RawResponse),
    ) {
        let mut response = RawResponse {
            origin: Arc::clone(&self.origin),
            row,
            fields: super::Fields::default(),
            answers: Vec::new(),
        };
        for (column, value) in values.into_iter().enumerate() {
            let value = read_value(value.as_ref());
            let value = match super::text::unneutralise(&value) {
                kept if kept.len() == value.len() => value,
                stripped => std::borrow::Cow::Owned(stripped.to_owned()),
            };
            if value.is_empty() {
                continue;
            }
            let value = Located {
                value: value.into_owned(),
                place: Place::Table {
                    row,
                    column: column as u32,
                },
            };
            match self.columns.get(column) {
                Some(Column::Field(field)) => response.fields.put(*field, value),
                Some(Column::Question(question)) => response.answers.push(RawAnswer {
                    question: Arc::clone(question),
                    value,
                }),
                // A value past the header is kept so that validation rejects it.
                None => response.answers.push(RawAnswer {
                    question: Arc::clone(&self.outside),
                    value,
                }),
            }
        }
        let f = &response.fields;
        if response.is_unfilled() {
            if f.role.is_some() || f.stage.is_some() {
                read.unfilled += 1;
            }
        } else {
            read.responses += 1;
            each(response);
        }
    }
}

/// The first column that the header names twice (a metadata field in any spelling, or a
/// question id), with both positions: the last would otherwise silently win.
fn duplicate_column(header: &[String]) -> Option<String> {
    let key = |name: &str| -> String {
        let name = name.trim();
        if Field::named(name).is_some() {
            super::normalise_field(name)
        } else {
            name.to_owned()
        }
    };
    let mut seen: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for (i, title) in header.iter().enumerate() {
        let name = key(title);
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

#[cfg(test)]
mod tests {
    use super::*;

    /// A reader that hands out at most `step` bytes a call, to split every multi-byte
    /// character and code unit across reads.
    struct Trickle<'a> {
        bytes: &'a [u8],
        step: usize,
    }

    impl Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            let n = self.step.min(buf.len()).min(self.bytes.len());
            buf[..n].copy_from_slice(&self.bytes[..n]);
            self.bytes = &self.bytes[n..];
            Ok(n)
        }
    }

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
    // Windows-1252 into mojibake, also when the stray byte lies past the first chunk.
    #[test]
    fn stray_byte_in_utf8_is_refused() {
        let bytes = "a,b\nCafé,1\n"
            .as_bytes()
            .iter()
            .copied()
            .chain(*b"x\xe9y,2\n");
        let error = decode(&bytes.collect::<Vec<u8>>()).unwrap_err();
        assert!(error.starts_with("line 3: byte 0xE9"), "{error}");

        let mut far = "é\n".repeat(50_000).into_bytes();
        far.extend(b"x\xff\n");
        let error = decode(&far).unwrap_err();
        assert!(error.starts_with("line 50001: byte 0xFF"), "{error}");
    }

    // Characters split between the first pass's chunks are still UTF-8: a file of
    // accented letters at every offset reads as UTF-8, not as Windows-1252.
    #[test]
    fn characters_split_between_chunks_are_utf8() {
        for shift in 0..4 {
            let text = format!("{}{}", "x".repeat(shift), "é€😀".repeat(CHUNK / 3));
            let (decoded, encoding) = decode(text.as_bytes()).unwrap();
            assert_eq!(encoding, "UTF-8");
            assert_eq!(decoded, text);
        }
    }

    // Excel's "Unicode text" (UTF-16 with a BOM, tab-delimited) reads as text, also
    // when surrogate pairs and code units are split between reads.
    #[test]
    fn decodes_utf16_with_bom() {
        let text = "questionnaire\tversion\nrisk\tÉté 😀\n";
        let mut le = vec![0xff, 0xfe];
        le.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
        let mut be = vec![0xfe, 0xff];
        be.extend(text.encode_utf16().flat_map(u16::to_be_bytes));
        assert_eq!(decode(&le).unwrap(), (text.to_owned(), "UTF-16LE"));
        assert_eq!(decode(&be).unwrap(), (text.to_owned(), "UTF-16BE"));
        assert!(decode(&le[..le.len() - 1]).is_err(), "odd length refused");
        let lone = [0xff, 0xfe, 0x41, 0x00, 0x00, 0xd8, 0x41, 0x00];
        assert_eq!(
            decode(&lone).unwrap_err(),
            "the file is UTF-16 but holds an invalid code unit 0x0041"
        );
        assert_eq!(detect_delimiter(text), b'\t');
        for step in 1..6 {
            let mut decoded = String::new();
            Decoder::new(
                Trickle {
                    bytes: &le[2..],
                    step,
                },
                Encoding::Utf16Le,
            )
            .read_to_string(&mut decoded)
            .unwrap();
            assert_eq!(decoded, text, "step {step}");
        }
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

    // A blank template row is skipped; a row with answers is read with its places.
    #[test]
    fn reads_rows_and_skips_blank_ones() {
        let csv = "questionnaire;version;response_id;RA-01;RA-02\nrisk;1.0.0;;;\nrisk;1.0.0;r-7;Yes;a; b\n";
        let responses = read_csv(csv.as_bytes(), "x.csv", "x").unwrap();
        assert_eq!(responses.len(), 1);
        let r = &responses[0];
        assert_eq!(r.row, 3);
        assert_eq!(r.fields.response_id.as_ref().unwrap().value, "r-7");
        assert_eq!(&*r.answers[0].question, "RA-01");
        assert_eq!(
            r.describe(r.answers[0].value.place),
            "row 3, column \"RA-01\""
        );
        assert_eq!(r.answers[1].value.value, "a");
        assert_eq!(
            &*r.answers[2].question, "",
            "a cell past the header is kept so validation can reject it"
        );
        assert_eq!(r.describe(r.answers[2].value.place), "row 3, column \"#6\"");
    }

    // Rows with a role or stage but no answer and no id, respondent or group are
    // counted as unfilled, not handed on; a header with no rows reads as nothing.
    #[test]
    fn unfilled_rows_are_counted() {
        let csv = "questionnaire,version,response_id,role,RA-01\nrisk,1,,legal,\nrisk,1,,,\nrisk,1,r-1,,\n";
        let mut ids = Vec::new();
        let read = read_csv_from(Cursor::new(csv), "x.csv", "x", &mut |raw| {
            ids.push(raw.fields.response_id.map(|l| l.value))
        })
        .unwrap();
        assert_eq!((read.responses, read.unfilled), (1, 1));
        assert_eq!(ids, [Some("r-1".to_owned())]);
        let read = read_csv_from(
            Cursor::new("\u{feff}questionnaire,version,RA-01\r\n"),
            "t.csv",
            "t",
            &mut |_| panic!("no response"),
        )
        .unwrap();
        assert_eq!(read, FileRead::default());
    }

    // Values and titles are read trimmed and in NFC.
    #[test]
    fn values_are_read_in_nfc() {
        let csv = "questionnaire,response_id,Cafe\u{301}\nrisk, Jose\u{301} ,oui\n";
        let responses = read_csv(csv.as_bytes(), "x.csv", "x").unwrap();
        let r = &responses[0];
        assert_eq!(r.fields.response_id.as_ref().unwrap().value, "José");
        assert_eq!(&*r.answers[0].question, "Café");
    }

    // This tool's own summary, however named, is recognised by its header and not read.
    #[test]
    fn own_summary_is_recognised() {
        let csv = format!(
            "{},group\nx.csv,r1,risk,1,A\n",
            super::super::SUMMARY_SIGNATURE
        );
        let read = read_csv_from(Cursor::new(csv), "copy.csv", "copy", &mut |_| {
            panic!("not answers")
        })
        .unwrap();
        assert_eq!(read.own_table, Some("summary"));
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
        let fields: Vec<Option<Field>> = ["Questionnaire", "Response ID", "RA-01", "role"]
            .iter()
            .map(|h| Field::named(h))
            .collect();
        assert_eq!(
            fields,
            [
                Some(Field::Questionnaire),
                Some(Field::ResponseId),
                None,
                Some(Field::Role)
            ]
        );
    }
}
