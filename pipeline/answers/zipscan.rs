//! A pre-scan of XLSX and ODS files (zip archives) before calamine opens them, so that a
//! zip bomb or a sheet that claims billions of cells is refused without the memory to match.
//!
//! Caps: the number of entries, each entry's declared and actual inflated size, the total
//! inflated size, the compression ratio, and the dimensions a worksheet declares.

use std::io::Read;
use std::path::Path;

use zip::read::ZipFile;

/// Most entries an answer workbook may have.
pub const MAX_ENTRIES: usize = 2_000;
/// Largest inflated size of one entry.
pub const MAX_ENTRY_BYTES: u64 = 32 * 1024 * 1024;
/// Largest inflated size of all entries together.
pub const MAX_TOTAL_BYTES: u64 = 64 * 1024 * 1024;
/// Highest inflated/compressed ratio of a large entry.
pub const MAX_RATIO: u64 = 200;
/// Most cells a sheet may declare or fill (rows x columns).
pub const MAX_CELLS: u64 = 5_000_000;
/// Largest compressed file accepted.
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// Checks an XLSX or ODS file; returns why it is refused.
pub fn prescan(path: &Path) -> Result<(), String> {
    check_file_size(path)?;
    let file = std::fs::File::open(path).map_err(|e| format!("cannot read the file: {e}"))?;
    let mut archive = zip::ZipArchive::new(std::io::BufReader::new(file)).map_err(|e| {
        format!("not a valid XLSX or ODS file (the zip container is damaged or truncated: {e})")
    })?;
    if archive.len() > MAX_ENTRIES {
        return Err(format!(
            "the workbook has {} parts; at most {MAX_ENTRIES} are accepted",
            archive.len()
        ));
    }
    let mut total = 0u64;
    for i in 0..archive.len() {
        let mut entry = archive
            .by_index(i)
            .map_err(|e| format!("damaged workbook part #{i}: {e}"))?;
        let name = entry
            .name()
            .map(|n| n.into_owned())
            .unwrap_or_else(|_| format!("#{i}"));
        scan_entry(&mut entry, &name, &mut total)?;
    }
    Ok(())
}

/// Refuses a file larger than [`MAX_FILE_BYTES`] before opening it as a zip.
fn check_file_size(path: &Path) -> Result<(), String> {
    let size = std::fs::metadata(path)
        .map_err(|e| format!("cannot read the file: {e}"))?
        .len();
    if size > MAX_FILE_BYTES {
        return Err(format!(
            "file is {} MB; answer workbooks are limited to {} MB",
            size / 1_048_576,
            MAX_FILE_BYTES / 1_048_576
        ));
    }
    Ok(())
}

/// Checks one part of the archive: its declared size and ratio, its actual inflated size
/// (added to `total`), and for sheets the cells they would fill.
fn scan_entry<R: Read>(
    entry: &mut ZipFile<'_, R>,
    name: &str,
    total: &mut u64,
) -> Result<(), String> {
    let declared = entry.size();
    check_declared_size(name, declared, entry.compressed_size().max(1))?;
    // Sheets are kept (within the caps) to count the cells they would fill.
    let is_xlsx_sheet = name.starts_with("xl/worksheets/") && name.ends_with(".xml");
    let is_ods_content = name == "content.xml";
    let sheet_xml = inflate(
        entry,
        name,
        declared,
        is_xlsx_sheet || is_ods_content,
        total,
    )?;
    let xml = String::from_utf8_lossy(&sheet_xml);
    let cells = if is_xlsx_sheet {
        check_dimension(name, &xml)?;
        xlsx_cell_area(&xml)
    } else if is_ods_content {
        ods_filled_cells(&xml)
    } else {
        0
    };
    if cells > MAX_CELLS {
        return Err(format!(
            "sheet {name} would fill {cells} cells; at most {MAX_CELLS} cells are accepted"
        ));
    }
    Ok(())
}

/// Refuses a part whose declared inflated size, or its compression ratio, is too large.
fn check_declared_size(name: &str, declared: u64, compressed: u64) -> Result<(), String> {
    if declared > MAX_ENTRY_BYTES {
        return Err(format!(
            "workbook part {name} would inflate to {declared} bytes; the limit is {MAX_ENTRY_BYTES}"
        ));
    }
    if declared > 1_048_576 && declared / compressed > MAX_RATIO {
        return Err(format!(
            "workbook part {name} is compressed {}:1, which looks like a zip bomb",
            declared / compressed
        ));
    }
    Ok(())
}

/// Inflates a part for real (the declared size can lie), counting as it goes against the
/// part's and the workbook's caps; returns the inflated bytes when `keep` is set.
fn inflate(
    entry: &mut impl Read,
    name: &str,
    declared: u64,
    keep: bool,
    total: &mut u64,
) -> Result<Vec<u8>, String> {
    let mut kept = Vec::new();
    let mut buffer = [0u8; 64 * 1024];
    let mut actual = 0u64;
    loop {
        let n = entry
            .read(&mut buffer)
            .map_err(|e| format!("damaged workbook part {name}: {e}"))?;
        if n == 0 {
            return Ok(kept);
        }
        actual += n as u64;
        *total += n as u64;
        if actual > MAX_ENTRY_BYTES || actual > declared.saturating_add(1) && declared > 0 {
            return Err(format!(
                "workbook part {name} inflates past its declared size or the {MAX_ENTRY_BYTES}-byte limit"
            ));
        }
        if *total > MAX_TOTAL_BYTES {
            return Err(format!(
                "the workbook inflates to more than {MAX_TOTAL_BYTES} bytes"
            ));
        }
        if keep {
            kept.extend_from_slice(&buffer[..n]);
        }
    }
}

/// Refuses a worksheet whose `<dimension ref="A1:XFD1048576"/>` declares too many cells.
fn check_dimension(name: &str, text: &str) -> Result<(), String> {
    let Some(start) = text.find("<dimension ref=\"") else {
        return Ok(());
    };
    let rest = &text[start + 16..];
    let Some(end) = rest.find('"') else {
        return Ok(());
    };
    let reference = &rest[..end];
    let Some((from, to)) = reference.split_once(':') else {
        return Ok(());
    };
    let (Some((c1, r1)), Some((c2, r2))) = (cell_position(from), cell_position(to)) else {
        return Ok(());
    };
    let cells = (r2.saturating_sub(r1).saturating_add(1))
        .saturating_mul(c2.saturating_sub(c1).saturating_add(1));
    if cells > MAX_CELLS {
        return Err(format!(
            "sheet {name} declares {reference} ({cells} cells); at most {MAX_CELLS} cells are accepted"
        ));
    }
    Ok(())
}

/// The area (rows x columns) spanned by the cells an XLSX sheet writes (`<c r="B7">`),
/// which is what a reader allocates.
fn xlsx_cell_area(xml: &str) -> u64 {
    let (mut min_row, mut max_row, mut min_col, mut max_col) = (u64::MAX, 0, u64::MAX, 0);
    for (i, _) in xml.match_indices("<c r=\"") {
        let rest = &xml[i + 6..];
        let Some(end) = rest.find('"') else { continue };
        if let Some((col, row)) = cell_position(&rest[..end]) {
            min_row = min_row.min(row);
            max_row = max_row.max(row);
            min_col = min_col.min(col);
            max_col = max_col.max(col);
        }
    }
    if max_row == 0 {
        return 0;
    }
    (max_row - min_row)
        .saturating_add(1)
        .saturating_mul((max_col - min_col).saturating_add(1))
}

/// The cells with content an ODS `content.xml` fills once its repeats are expanded
/// (`table:number-rows-repeated` times `table:number-columns-repeated`). Empty cells
/// (self-closing, without a value type), which spreadsheet programs repeat to the edge of
/// the grid, are not counted.
fn ods_filled_cells(xml: &str) -> u64 {
    let mut total = 0u64;
    let mut rest = xml;
    while let Some(start) = rest.find("<table:table-row") {
        let row = &rest[start..];
        let tag_end = row.find('>').map_or(row.len(), |e| e + 1);
        let tag = &row[..tag_end];
        let repeats = attribute_number(tag, "table:number-rows-repeated").unwrap_or(1);
        let (body, consumed) = if tag.ends_with("/>") {
            ("", tag_end)
        } else {
            match row.find("</table:table-row>") {
                Some(end) => (&row[tag_end..end], end + "</table:table-row>".len()),
                None => (&row[tag_end..], row.len()),
            }
        };
        let mut cells = 0u64;
        let mut cells_rest = body;
        while let Some(i) = cells_rest.find("<table:table-cell") {
            let cell = &cells_rest[i..];
            let cell_tag = &cell[..cell.find('>').map_or(cell.len(), |e| e + 1)];
            if cell_tag.contains("office:value-type") || !cell_tag.ends_with("/>") {
                cells = cells.saturating_add(
                    attribute_number(cell_tag, "table:number-columns-repeated").unwrap_or(1),
                );
            }
            // Go on after the tag, so that tags which never close are not scanned again
            // for each one (quadratic time).
            cells_rest = &cell[cell_tag.len()..];
        }
        total = total.saturating_add(repeats.saturating_mul(cells));
        rest = &row[consumed.max(1)..];
    }
    total
}

/// The number in `name="123"` within a tag.
fn attribute_number(tag: &str, name: &str) -> Option<u64> {
    let start = tag.find(&format!("{name}=\""))? + name.len() + 2;
    let rest = &tag[start..];
    rest[..rest.find('"')?].parse().ok()
}

/// `("AB12")` -> `(28, 12)`.
fn cell_position(reference: &str) -> Option<(u64, u64)> {
    let letters: String = reference
        .chars()
        .take_while(|c| c.is_ascii_alphabetic())
        .collect();
    let digits = &reference[letters.len()..];
    if letters.is_empty() || digits.is_empty() {
        return None;
    }
    // Saturating: a reference with too many letters counts as a huge column, not a small
    // one that wrapped around.
    let col = letters.bytes().fold(0u64, |acc, b| {
        acc.saturating_mul(26)
            .saturating_add(u64::from(b.to_ascii_uppercase() - b'A' + 1))
    });
    Some((col, digits.parse().ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn zip_with(entries: &[(&str, Vec<u8>)]) -> tempfile::NamedTempFile {
        let file = tempfile::Builder::new().suffix(".xlsx").tempfile().unwrap();
        let mut zip = zip::ZipWriter::new(file.reopen().unwrap());
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        for (name, data) in entries {
            zip.start_file(*name, options).unwrap();
            zip.write_all(data).unwrap();
        }
        zip.finish().unwrap();
        file
    }

    // A highly compressed part is refused before anything inflates it into memory.
    #[test]
    fn refuses_zip_bombs() {
        let bomb = zip_with(&[("xl/worksheets/sheet1.xml", vec![b'a'; 20 * 1024 * 1024])]);
        let error = prescan(bomb.path()).unwrap_err();
        assert!(error.contains("zip bomb"), "{error}");
    }

    // A sheet that claims the whole grid is refused.
    #[test]
    fn refuses_huge_dimensions() {
        let sheet = b"<worksheet><dimension ref=\"A1:XFD1048576\"/></worksheet>".to_vec();
        let file = zip_with(&[("xl/worksheets/sheet1.xml", sheet)]);
        let error = prescan(file.path()).unwrap_err();
        assert!(error.contains("17179869184 cells"), "{error}");
    }

    // Truncated or non-zip files get a clear reason.
    #[test]
    fn refuses_broken_containers() {
        let file = tempfile::Builder::new().suffix(".xlsx").tempfile().unwrap();
        std::fs::write(file.path(), b"PK\x03\x04 this is not really a zip").unwrap();
        assert!(
            prescan(file.path())
                .unwrap_err()
                .contains("damaged or truncated")
        );
    }

    // An ODS row repeated millions of times is refused before anything expands it.
    #[test]
    fn refuses_repeated_ods_rows() {
        let row = "<table:table-row table:number-rows-repeated=\"9000000\"><table:table-cell office:value-type=\"string\" table:number-columns-repeated=\"10\"><text:p>x</text:p></table:table-cell></table:table-row>";
        let file = zip_with(&[("content.xml", row.as_bytes().to_vec())]);
        let error = prescan(file.path()).unwrap_err();
        assert!(error.contains("90000000 cells"), "{error}");
        // The empty rows and cells a spreadsheet program repeats to the edge are fine.
        let normal = "<table:table-row><table:table-cell office:value-type=\"string\"><text:p>a</text:p></table:table-cell><table:table-cell table:number-columns-repeated=\"1023\"/></table:table-row><table:table-row table:number-rows-repeated=\"1048575\"><table:table-cell table:number-columns-repeated=\"1024\"/></table:table-row>";
        assert_eq!(ods_filled_cells(normal), 1);
    }

    // An XLSX sheet with two far-apart cells spans the area between them.
    #[test]
    fn xlsx_area_from_cell_references() {
        let xml = "<sheetData><row r=\"1\"><c r=\"A1\"><v>1</v></c></row><row r=\"1000000\"><c r=\"CV1000000\"><v>2</v></c></row></sheetData>";
        assert_eq!(xlsx_cell_area(xml), 100_000_000);
        let file = zip_with(&[("xl/worksheets/sheet1.xml", xml.as_bytes().to_vec())]);
        assert!(
            prescan(file.path())
                .unwrap_err()
                .contains("100000000 cells")
        );
    }

    // Cell references convert to column and row numbers.
    #[test]
    fn cell_positions() {
        assert_eq!(cell_position("A1"), Some((1, 1)));
        assert_eq!(cell_position("XFD1048576"), Some((16384, 1048576)));
        assert_eq!(cell_position("12"), None);
    }
}
