//! Input helpers shared by the fuzz targets.
//!
//! A mutated XLSX or ODS file almost never gets past the zip layer: its parts are
//! compressed and checked against their CRC-32, so a change inside a sheet's XML is caught
//! as a damaged container before any XML is read. To fuzz what lies behind the container
//! (the pre-scan's sheet checks and calamine's XML parsing), an input may instead list
//! the parts in plain text, and the target packs them into a valid zip:
//!
//! ```text
//! TKZIP1
//! @@ xl/workbook.xml
//! <workbook ...>
//! @@ xl/worksheets/sheet1.xml
//! <worksheet ...>
//! ```
//!
//! Any other input is used as the file's bytes unchanged. `seed.sh` writes both kinds.

use std::io::{Cursor, Write};

/// The first bytes of an input that lists zip parts.
pub const PARTS_MAGIC: &[u8] = b"TKZIP1";
/// What starts each part: a newline, `@@ `, then the part's name up to the next newline.
pub const PART_SEPARATOR: &[u8] = b"\n@@ ";

/// The bytes of the file to read: a zip packed from the listed parts when `data` starts
/// with [`PARTS_MAGIC`], otherwise `data` itself.
pub fn file_bytes(data: &[u8]) -> std::borrow::Cow<'_, [u8]> {
    match data.strip_prefix(PARTS_MAGIC) {
        Some(body) => pack_parts(body).into(),
        None => data.into(),
    }
}

/// A zip (parts stored, uncompressed) of the parts listed in `body`.
fn pack_parts(body: &[u8]) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for part in split(body, PART_SEPARATOR).skip(1) {
        let (name, content) = match part.iter().position(|&b| b == b'\n') {
            Some(i) => (&part[..i], &part[i + 1..]),
            None => (part, &[][..]),
        };
        // Duplicate or odd names are the zip writer's to refuse; such parts are left out.
        if zip
            .start_file(String::from_utf8_lossy(name).into_owned(), options)
            .is_ok()
        {
            let _ = zip.write_all(content);
        }
    }
    zip.finish().map(Cursor::into_inner).unwrap_or_default()
}

/// `haystack` split at each `separator` (the first piece is what comes before the first).
fn split<'a>(haystack: &'a [u8], separator: &'a [u8]) -> impl Iterator<Item = &'a [u8]> {
    let mut rest = Some(haystack);
    std::iter::from_fn(move || {
        let current = rest?;
        match current
            .windows(separator.len())
            .position(|w| w == separator)
        {
            Some(i) => {
                rest = Some(&current[i + separator.len()..]);
                Some(&current[..i])
            }
            None => {
                rest = None;
                Some(current)
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    // Listed parts come back out of the packed zip whole, in order.
    #[test]
    fn packs_listed_parts() {
        let zip = file_bytes(b"TKZIP1\n@@ a.xml\n<a/>\n@@ b/c.xml\nx\ny");
        let mut archive = zip::ZipArchive::new(Cursor::new(zip.into_owned())).unwrap();
        assert_eq!(archive.len(), 2);
        let mut text = String::new();
        std::io::Read::read_to_string(&mut archive.by_index(1).unwrap(), &mut text).unwrap();
        assert_eq!(text, "x\ny");
        assert_eq!(file_bytes(b"PK\x03\x04").as_ref(), b"PK\x03\x04");
    }
}
