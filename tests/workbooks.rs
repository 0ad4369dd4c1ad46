//! Questionnaire workbooks as respondents use them: filled in another program, read back
//! into the same answers, opened in LibreOffice, and live scores equal to the scorer's.

mod common;

use std::io::Read;
use std::path::Path;

use calamine::{Data, Reader, open_workbook_auto};
use common::*;
use serde_json::json;
use toolkit::answers::read_answer_file;
use toolkit::answers::validate::validate_response;
use toolkit::questionnaire::{Questionnaire, load_questionnaires};
use toolkit::scoring::Answer;
use toolkit::workbook::{Tailoring, write_workbook};

fn fixture_questionnaire() -> (toolkit::content::Site, Vec<Questionnaire>) {
    let site = load_site(&fixture_sources());
    let questionnaires = load_questionnaires(&fixture_sources(), &site).unwrap();
    (site, questionnaires)
}

fn write(
    dir: &Path,
    site: &toolkit::content::Site,
    q: &Questionnaire,
    tailoring: Option<Tailoring>,
) -> std::path::PathBuf {
    let path = dir.join(format!("{}.xlsx", q.slug()));
    std::fs::write(
        &path,
        write_workbook(
            q,
            &site.manifest,
            tailoring,
            toolkit::date::Date::from_epoch(TEST_EPOCH),
            site.manifest.paper,
        )
        .unwrap(),
    )
    .unwrap();
    path
}

fn spec() -> serde_json::Value {
    json!({
        "respondent": {"Response ID": "ws-1", "Group": "Agency A", "Role": "Legal advisors", "Stage": "Procure"},
        "answers": {"D-01": "Yes", "D-02/social": "Yes", "D-02/cctv": "Yes", "S-01": "Partly", "S-02": "Logs kept; see #read(\"/etc/passwd\") and =HYPERLINK(\"x\")"}
    })
}

// A workbook filled in another program (openpyxl, input cells only) reads back into the
// same answers, role and stage.
#[test]
fn filled_workbook_reads_back() {
    if !have_openpyxl() {
        return;
    }
    let (site, questionnaires) = fixture_questionnaire();
    let q = &questionnaires[0];
    let dir = tempfile::tempdir().unwrap();
    let blank = write(dir.path(), &site, q, None);
    let filled = dir.path().join("filled.xlsx");
    fill_workbook(&blank, &filled, &spec());
    let raw = read_answer_file(&filled).unwrap();
    assert_eq!(raw.len(), 1);
    let response = validate_response(&raw[0], &questionnaires, &site.manifest).unwrap();
    assert_eq!(response.id, "ws-1");
    assert_eq!(response.group, "Agency A");
    assert_eq!(response.role.as_deref(), Some("legal"));
    assert_eq!(response.stage.as_deref(), Some("procure"));
    let index = |id: &str| q.questions.iter().position(|x| x.id == id).unwrap();
    assert_eq!(
        response.answers.get(index("D-01")),
        Some(Answer::Choices(vec![0]))
    );
    assert_eq!(
        response.answers.get(index("D-02")),
        Some(Answer::Choices(vec![1, 2]))
    );
    assert_eq!(
        response.answers.get(index("S-01")),
        Some(Answer::Choices(vec![1]))
    );
    assert_eq!(response.answers.get(index("I-01")), None);
    assert_eq!(
        response.answers.get(index("S-02")),
        Some(Answer::Text(
            "Logs kept; see #read(\"/etc/passwd\") and =HYPERLINK(\"x\")".into()
        ))
    );
}

fn score_sheet(path: &Path) -> Vec<(String, Option<f64>)> {
    let mut workbook = open_workbook_auto(path).unwrap();
    let range = workbook.worksheet_range("Score").unwrap();
    range
        .rows()
        .skip(1)
        .filter_map(|row| {
            let label = match row.first()? {
                Data::String(s) => s.clone(),
                _ => return None,
            };
            let value = match row.get(4) {
                Some(Data::Float(f)) => Some(*f),
                Some(Data::Int(i)) => Some(*i as f64),
                _ => None,
            };
            Some((label, value))
        })
        .collect()
}

// After LibreOffice recalculates a filled workbook, the Score sheet shows the same
// dimension percents, risk, mitigation and score as the Rust scorer.
#[test]
fn live_scores_match_the_scorer() {
    if !have_openpyxl() || !have("soffice", LIBREOFFICE) {
        return;
    }
    let (site, questionnaires) = fixture_questionnaire();
    let q = &questionnaires[0];
    let dir = tempfile::tempdir().unwrap();
    let blank = write(dir.path(), &site, q, None);
    for (name, answers) in [
        (
            "a",
            json!({"D-01": "Yes", "D-02/social": "Yes", "D-02/cctv": "Yes", "S-01": "Partly"}),
        ),
        (
            "b",
            json!({"D-01": "No", "D-02/none": "Yes", "I-01": "No", "I-02": "Partly", "S-01": "Yes"}),
        ),
        (
            "c",
            json!({"D-01": "Not applicable", "I-01": "Yes", "I-02": "No", "S-01": "Yes"}),
        ),
        (
            "d",
            json!({"D-01": "Yes", "D-02/none": "Yes", "I-01": "No", "I-02": "No", "S-01": "Yes"}),
        ),
    ] {
        let filled = dir.path().join(format!("{name}.xlsx"));
        let spec = json!({"respondent": {"Role": "Legal advisors", "Stage": "Deploy"}, "answers": answers});
        fill_workbook(&blank, &filled, &spec);
        let out = dir.path().join(format!("out-{name}"));
        let recalculated = libreoffice_convert(&filled, "xlsx", &out);
        let raw = read_answer_file(&filled).unwrap();
        let response = validate_response(&raw[0], &questionnaires, &site.manifest).unwrap();
        let result = response.score(q);
        let sheet = score_sheet(&recalculated);
        for (d, dim) in q.dimensions.iter().enumerate() {
            let live = sheet
                .iter()
                .find(|(label, _)| *label == dim.title)
                .unwrap()
                .1;
            match (live, result.dimensions[d].percent) {
                (Some(a), Some(b)) => assert!(
                    (a - b).abs() < 1e-9,
                    "{name} {}: sheet {a}, scorer {b}",
                    dim.id
                ),
                (None, None) => {}
                other => panic!("{name} {}: sheet and scorer disagree {other:?}", dim.id),
            }
        }
        let value = |label: &str| sheet.iter().find(|(l, _)| l.starts_with(label)).unwrap().1;
        assert_eq!(
            value("Risk").map(|v| (v * 1e6).round()),
            result.risk.map(|v| (v * 1e6).round()),
            "{name} risk"
        );
        assert_eq!(
            value("Mitigation").map(|v| (v * 1e6).round()),
            result.mitigation.map(|v| (v * 1e6).round()),
            "{name} mitigation"
        );
        assert_eq!(
            value("Score").map(|v| (v * 1e6).round()),
            result.score.map(|v| (v * 1e6).round()),
            "{name} score"
        );
        // The level, after the flags the answers raise, is the report's level.
        let expected = result
            .level
            .map_or(String::new(), |l| q.levels[l].label.clone());
        assert_eq!(level_cell(&recalculated), expected, "{name} level");
        if name == "d" {
            assert_ne!(
                result.level, result.level_before_flags,
                "case d's flag moves the level"
            );
        }
    }
}

/// The text of the Score sheet's final "Level" row.
fn level_cell(path: &Path) -> String {
    let mut workbook = open_workbook_auto(path).unwrap();
    let range = workbook.worksheet_range("Score").unwrap();
    range
        .rows()
        .find(|row| matches!(row.first(), Some(Data::String(s)) if s == "Level"))
        .and_then(|row| match row.get(4) {
            Some(Data::String(s)) => Some(s.clone()),
            _ => None,
        })
        .unwrap_or_default()
}

// The blank workbook opens cleanly in LibreOffice and renders the sheets a person sees.
#[test]
fn workbook_opens_in_libreoffice() {
    if !have("soffice", LIBREOFFICE) || !have("pdftotext", POPPLER) {
        return;
    }
    let (site, questionnaires) = fixture_questionnaire();
    let dir = tempfile::tempdir().unwrap();
    let blank = write(dir.path(), &site, &questionnaires[0], None);
    let pdf = libreoffice_convert(&blank, "pdf", dir.path());
    let text = run_tool("pdftotext", &["-layout", pdf.to_str().unwrap(), "-"]);
    for expected in [
        "How to fill in this workbook",
        "Response ID",
        "Does the system process biometric data?",
        "Safeguards",
    ] {
        assert!(
            text.contains(expected),
            "{expected:?} not in the rendered workbook:\n{text}"
        );
    }
}

fn sheet_xml(path: &Path, sheet: usize) -> String {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut xml = String::new();
    zip.by_name(&format!("xl/worksheets/sheet{sheet}.xml"))
        .unwrap()
        .read_to_string(&mut xml)
        .unwrap();
    xml
}

// Dropdowns, input messages, protection and hidden metadata are in place; a tailored
// workbook holds only its role and stage's questions.
#[test]
fn dropdowns_protection_and_tailoring() {
    let (site, questionnaires) = fixture_questionnaire();
    let q = &questionnaires[0];
    let dir = tempfile::tempdir().unwrap();
    let general = write(dir.path(), &site, q, None);
    let respondent = sheet_xml(&general, 2);
    let questions = sheet_xml(&general, 4);
    assert!(respondent.contains("<sheetProtection") && questions.contains("<sheetProtection"));
    assert!(
        questions.contains("paperSize=\"9\""),
        "the fixture toolkit prints on A4"
    );
    assert!(respondent.contains("Lists!$A$1:$A$2"), "role dropdown");
    // 4 single questions + 4 option rows of the multiple question have a dropdown.
    assert!(
        questions.contains("<dataValidations count=\"8\""),
        "{}",
        &questions[questions.find("<dataValidations").unwrap()..][..80]
    );
    assert!(
        questions.contains("prompt=\"Faces, fingerprints, voices or gait.\""),
        "guidance as input message"
    );
    let mut workbook = open_workbook_auto(&general).unwrap();
    let hidden: Vec<String> = workbook
        .sheets_metadata()
        .iter()
        .filter(|s| s.visible != calamine::SheetVisible::Visible)
        .map(|s| s.name.clone())
        .collect();
    assert_eq!(hidden, ["Lists", "Metadata"]);
    let metadata = workbook.worksheet_range("Metadata").unwrap();
    assert_eq!(metadata.get((0, 1)), Some(&Data::String("risk".into())));
    assert_eq!(metadata.get((1, 1)), Some(&Data::String("1.0.0".into())));
    assert_eq!(
        metadata.get((2, 1)),
        Some(&Data::String(q.checksum.clone()))
    );

    let tailored_path = dir.path().join("tailored.xlsx");
    let tailoring = Tailoring {
        role: "manager",
        stage: "procure",
    };
    std::fs::write(
        &tailored_path,
        write_workbook(
            q,
            &site.manifest,
            Some(tailoring),
            toolkit::date::Date::from_epoch(TEST_EPOCH),
            site.manifest.paper,
        )
        .unwrap(),
    )
    .unwrap();
    let mut tailored = open_workbook_auto(&tailored_path).unwrap();
    let ids: Vec<String> = tailored
        .worksheet_range("Questions")
        .unwrap()
        .rows()
        .skip(1)
        .filter_map(|r| match &r[0] {
            Data::String(s) if !s.contains('/') => Some(s.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(
        ids,
        ["D-01", "D-02", "S-01", "S-02"],
        "I-01 is for legal advisors, I-02 for deployment"
    );
}
