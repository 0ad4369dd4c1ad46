//! The blank CSV answer template (SPEC §6, wide layout): the metadata columns, then one
//! column per question id (a risk assessment's also has `system`); one example row
//! carries the questionnaire and version.

use crate::questionnaire::{Kind, Questionnaire};

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
    // A risk assessment names the system it assesses (SPEC §6 `system`).
    let system = (q.kind == Kind::Risk).then_some("system");
    let header: Vec<&str> = METADATA_COLUMNS
        .iter()
        .copied()
        .chain(system)
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fixtures;

    // A risk assessment's template has a column for the system assessed, before the
    // questions; other kinds do not.
    #[test]
    fn risk_templates_name_the_system() {
        let mut q = fixtures::questionnaire(Kind::Risk, vec![], vec![]);
        let header = |q: &Questionnaire| {
            let bytes = csv_template(q, &["Q-1"]);
            let text = String::from_utf8(bytes).unwrap();
            text.trim_start_matches('\u{feff}')
                .lines()
                .next()
                .unwrap()
                .to_owned()
        };
        assert_eq!(
            header(&q),
            "questionnaire,version,response_id,respondent,group,role,stage,system,Q-1"
        );
        q.kind = Kind::Readiness;
        assert!(!header(&q).contains("system"));
    }
}
