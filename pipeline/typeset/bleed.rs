//! The BleedBox of a print-shop PDF. Typst writes a page with bleed as a MediaBox that
//! holds the bleed and a TrimBox at the finished size; print shops also look for the
//! BleedBox (the area to keep when the sheet is imposed), which is the MediaBox here.
//! This adds `/BleedBox` after the `/MediaBox` of every page that has a `/TrimBox`, and
//! moves the cross-reference table's offsets by the bytes inserted before each object.

/// The PDF with a BleedBox on every trimmed page; `None` when the file is not laid out as
/// expected (a classic cross-reference table, uncompressed page dictionaries), so that a
/// print edition never goes out half marked.
pub fn add_bleed_boxes(pdf: &[u8]) -> Option<Vec<u8>> {
    let xref_at = find_last(pdf, b"\nxref\n")? + 1;
    let mut inserts: Vec<(usize, Vec<u8>)> = Vec::new();
    let mut at = 0;
    while let Some(found) = find(&pdf[at..xref_at], b"/MediaBox[") {
        let start = at + found;
        let end = start + find(&pdf[start..xref_at], b"]")? + 1;
        at = end;
        let object_start = find_last(&pdf[..start], b" obj").unwrap_or(0);
        let object_end = start + find(&pdf[start..xref_at], b"endobj")?;
        if find(&pdf[object_start..object_end], b"/TrimBox").is_none()
            || find(&pdf[object_start..object_end], b"/BleedBox").is_some()
        {
            continue;
        }
        let mut bleed = b"/BleedBox".to_vec();
        bleed.extend_from_slice(&pdf[start + b"/MediaBox".len()..end]);
        inserts.push((end, bleed));
    }
    if inserts.is_empty() {
        return None;
    }
    let shift = |offset: usize| -> usize {
        offset
            + inserts
                .iter()
                .filter(|(at, _)| *at <= offset)
                .map(|(_, bytes)| bytes.len())
                .sum::<usize>()
    };
    let mut out = Vec::with_capacity(pdf.len() + inserts.len() * 48);
    let mut copied = 0;
    for (at, bytes) in &inserts {
        out.extend_from_slice(&pdf[copied..*at]);
        out.extend_from_slice(bytes);
        copied = *at;
    }
    out.extend_from_slice(&pdf[copied..xref_at]);
    // The table: "xref", then sections of "first count" and 20-byte entries.
    let trailer_at = xref_at + find(&pdf[xref_at..], b"trailer")?;
    let table = std::str::from_utf8(&pdf[xref_at..trailer_at]).ok()?;
    for line in table.split_inclusive('\n') {
        let entry = line.trim_end_matches(['\n', '\r', ' ']);
        let fields: Vec<&str> = entry.split(' ').collect();
        if let [offset, generation, "n"] = fields[..] {
            let moved = shift(offset.parse().ok()?);
            let ending = &line[entry.len()..];
            out.extend_from_slice(format!("{moved:010} {generation} n{ending}").as_bytes());
        } else {
            out.extend_from_slice(line.as_bytes());
        }
    }
    let tail = std::str::from_utf8(&pdf[trailer_at..]).ok()?;
    let (before, after) = tail.split_once("startxref\n")?;
    let (old, rest) = after.split_once('\n')?;
    old.trim().parse::<usize>().ok()?;
    out.extend_from_slice(before.as_bytes());
    out.extend_from_slice(format!("startxref\n{}\n{rest}", shift(xref_at)).as_bytes());
    Some(out)
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn find_last(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).rposition(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A two-object PDF whose page has a TrimBox, with a correct cross-reference table.
    fn sample() -> Vec<u8> {
        let mut pdf = b"%PDF-1.7\n".to_vec();
        let first = pdf.len();
        pdf.extend_from_slice(b"1 0 obj\n<</Type/Pages/Kids[2 0 R]/Count 1>>\nendobj\n");
        let second = pdf.len();
        pdf.extend_from_slice(
            b"2 0 obj\n<</Type/Page/MediaBox[0 0 603 858]/TrimBox[8.5 8.5 594.5 849.5]>>\nendobj\n",
        );
        let xref = pdf.len();
        pdf.extend_from_slice(
            format!(
                "xref\n0 3\n0000000000 65535 f \n{first:010} 00000 n \n{second:010} 00000 n \ntrailer\n<</Size 3/Root 1 0 R>>\nstartxref\n{xref}\n%%EOF"
            )
            .as_bytes(),
        );
        pdf
    }

    // Every trimmed page gets a BleedBox equal to its MediaBox, and the table's offsets
    // still point at their objects.
    #[test]
    fn trimmed_pages_get_a_bleed_box() {
        let out = add_bleed_boxes(&sample()).expect("marked");
        let text = String::from_utf8(out.clone()).unwrap();
        assert!(text.contains("/MediaBox[0 0 603 858]/BleedBox[0 0 603 858]/TrimBox"));
        let table = &text[text.find("xref\n").unwrap()..];
        for line in table.lines().filter(|l| l.ends_with(" n")) {
            let offset: usize = line[..10].parse().unwrap();
            assert!(text[offset..].starts_with(|c: char| c.is_ascii_digit()));
            assert!(
                text[offset..]
                    .split('\n')
                    .next()
                    .unwrap()
                    .ends_with(" 0 obj")
            );
        }
        let startxref: usize = text
            .rsplit("startxref\n")
            .next()
            .unwrap()
            .lines()
            .next()
            .unwrap()
            .parse()
            .unwrap();
        assert!(text[startxref..].starts_with("xref\n"));
        // A PDF without trimmed pages is not a print edition's.
        let plain = String::from_utf8(sample())
            .unwrap()
            .replace("/TrimBox[8.5 8.5 594.5 849.5]", "");
        assert_eq!(add_bleed_boxes(plain.as_bytes()), None);
    }
}
