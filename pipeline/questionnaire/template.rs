//! The blank CSV answer template (SPEC §6, wide layout): the metadata columns, then one
//! column per question id; one example row carries the questionnaire and version.

use crate::questionnaire::Questionnaire;

/// The metadata columns of a wide answer file, in template order.
pub const METADATA_COLUMNS: [&str; 7] = [
    "questionnaire",
    "version",
    "response_id",
    "respondent",
    "group",
    "role",
    "stage",
];

/// The CSV template of a questionnaire (UTF-8 with BOM so spreadsheet programs detect the encoding).
pub fn csv_template(q: &Questionnaire, question_ids: &[&str]) -> Vec<u8> {
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    let header: Vec<&str> = METADATA_COLUMNS
        .iter()
        .copied()
        .chain(question_ids.iter().copied())
        .collect();
    writer.write_record(&header).expect("writing to memory");
    let mut row = vec![q.id.as_str(), q.version.as_str()];
    row.resize(header.len(), "");
    writer.write_record(&row).expect("writing to memory");
    let mut bytes = "\u{feff}".as_bytes().to_vec();
    bytes.extend(writer.into_inner().expect("writing to memory"));
    bytes
}
