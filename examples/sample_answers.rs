//! Writes the sample answers shipped in `answers/`: three fictional agencies, each
//! running workshops on the three questionnaires (wide CSV files), plus filled
//! workbooks made by filling the generated workbooks with openpyxl, as a respondent's
//! spreadsheet program would.
//!
//! Run from the repository root: `cargo run --release --example sample_answers`
//! (needs python3 with openpyxl for the filled workbooks).

use std::path::Path;
use std::process::Command;

use toolkit::project::Sources;
use toolkit::synthetic::{Respondent, Seeded, wide_csv};
use toolkit::workbook::{Tailoring, write_workbook};

const AGENCIES: [(&str, &str, f64); 3] = [
    ("northbridge", "Northbridge Police Service", 0.62),
    ("harbour-city", "Harbour City Police", 0.42),
    ("eastvale", "Eastvale Constabulary", 0.28),
];

/// The AI system each agency's risk workshop assesses, described the same way by every
/// respondent: (description, the answers that describe the system, by question id).
const SYSTEMS: [(&str, &[(&str, &str)]); 3] = [
    (
        "Northbridge 'PlateWatch': number-plate recognition cameras on arterial roads flag vehicles on the stolen and wanted lists; a control-room operator checks each hit before any stop.",
        &[
            ("RA-TEC-02", "object-detection"),
            ("RA-TEC-03", "people"),
            ("RA-TEC-04", "action"),
            ("RA-TEC-05", "proven"),
            ("RA-DAT-01", "identifiable"),
            ("RA-DAT-02", "no"),
            ("RA-DAT-03", "public"),
            ("RA-DAT-04", "agency-records;live-sensors"),
        ],
    ),
    (
        "Harbour City 'CallSort': a language model reads the text of non-emergency online reports and suggests a category and priority; a call handler confirms or changes each one.",
        &[
            ("RA-TEC-02", "natural-language;generative-ai"),
            ("RA-TEC-03", "people"),
            ("RA-TEC-04", "administration"),
            ("RA-TEC-05", "new-to-this-use"),
            ("RA-DAT-01", "identifiable"),
            ("RA-DAT-02", "unsure"),
            ("RA-DAT-03", "vulnerable"),
            ("RA-DAT-04", "agency-records;vendor-training-data"),
        ],
    ),
    (
        "Eastvale 'FaceFind' pilot: retrospective face search of still images from case files against the custody image database, to suggest possible identities for investigators to verify.",
        &[
            ("RA-TEC-02", "face-recognition"),
            ("RA-TEC-03", "people"),
            ("RA-TEC-04", "targeting"),
            ("RA-TEC-05", "new-to-this-use"),
            ("RA-DAT-01", "identifiable"),
            ("RA-DAT-02", "yes"),
            ("RA-DAT-03", "case"),
            ("RA-DAT-04", "agency-records;vendor-training-data"),
        ],
    ),
];

/// Sets the answers that describe an agency's system in every row of a risk workshop CSV,
/// so its respondents describe the same system and the answers hang together.
fn describe_system(csv: Vec<u8>, agency: usize) -> Vec<u8> {
    let (description, answers) = SYSTEMS[agency];
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(csv.as_slice());
    let rows: Vec<Vec<String>> = reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect();
    let column = |id: &str| rows[0].iter().position(|h| h == id);
    let mut writer = csv::Writer::from_writer(Vec::new());
    for (i, row) in rows.iter().enumerate() {
        let mut row = row.clone();
        if i > 0 {
            if let Some(c) = column("RA-TEC-01") {
                row[c] = description.to_owned();
            }
            for (id, value) in answers {
                if let Some(c) = column(id) {
                    row[c] = (*value).to_owned();
                }
            }
        }
        writer.write_record(&row).unwrap();
    }
    writer.into_inner().unwrap()
}

/// The same system description in a filled workbook's answers: labels for single
/// questions, one `Yes` row per chosen option of a multiple question.
fn describe_system_in_workbook(
    q: &toolkit::questionnaire::Questionnaire,
    agency: usize,
    answers: &mut serde_json::Map<String, serde_json::Value>,
) {
    let (description, described) = SYSTEMS[agency];
    answers.insert("RA-TEC-01".into(), description.into());
    for (id, values) in described {
        let Some(question) = q.questions.iter().find(|x| x.id == *id) else {
            continue;
        };
        answers.retain(|key, _| !key.starts_with(&format!("{id}/")));
        for value in values.split(';') {
            let option = question.options.iter().find(|o| o.value == value);
            match (question.kind, option) {
                (toolkit::questionnaire::QuestionType::Multiple, Some(_)) => {
                    answers.insert(format!("{id}/{value}"), "Yes".into());
                }
                (_, Some(option)) => {
                    answers.insert((*id).to_owned(), option.label.clone().into());
                }
                (_, None) => panic!("{id} has no option {value}"),
            }
        }
    }
}

const NAMES: [&str; 10] = [
    "A. Okafor",
    "M. Lindqvist",
    "S. Haddad",
    "J. Moreau",
    "K. Tanaka",
    "R. Novak",
    "L. Fernández",
    "D. Byrne",
    "P. Ivanova",
    "T. Mensah",
];

const COMMENTS: [&str; 8] = [
    "We have a data protection officer, but nobody owns AI decisions yet.",
    "Procurement templates do not ask suppliers for error rates by group.",
    "The pilot showed that officers trust the scores too much when they are busy.",
    "Training exists for analysts only; supervisors have had none.",
    "We need a simple register of every AI tool in use, with an owner for each.",
    "Les journaux d'accès existent mais personne ne les relit.",
    "Community panel meets twice a year; AI has never been on the agenda.",
    "Legal review happens late, after the contract is signed.",
];

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let Sources {
        site,
        questionnaires,
        ..
    } = Sources::load(&root.join("sources")).expect("the shipped sources load");
    let roles: Vec<&str> = site.manifest.role_ids().collect();
    let stages: Vec<&str> = site.manifest.stage_ids().collect();
    let mut rng = Seeded::new(2026);
    for (a, (slug, agency, maturity)) in AGENCIES.iter().enumerate() {
        let dir = root.join("answers").join(slug);
        std::fs::create_dir_all(&dir).unwrap();
        for (k, q) in questionnaires.iter().enumerate() {
            let count = 6 + (a + k) % 4;
            // A readiness assessment is about the agency, not a lifecycle stage: its
            // workshops leave the stage blank, as the readiness guide asks.
            let stage = match q.kind {
                toolkit::questionnaire::Kind::Readiness => "",
                _ => stages[(a + k) % stages.len()],
            };
            let respondents: Vec<Respondent> = (0..count)
                .map(|i| Respondent {
                    id: format!("{slug}-{}-{:02}", q.id, i + 1),
                    name: NAMES[(i + a * 3) % NAMES.len()].to_owned(),
                    group: agency.to_string(),
                    role: roles[i % roles.len()].to_owned(),
                    stage: stage.to_owned(),
                    maturity: (maturity + (rng.unit() - 0.5) * 0.3).clamp(0.0, 1.0),
                })
                .collect();
            let mut csv = wide_csv(q, &respondents, &COMMENTS, 100 + (a * 10 + k) as u64);
            if q.kind == toolkit::questionnaire::Kind::Risk {
                csv = describe_system(csv, a);
            }
            std::fs::write(dir.join(format!("{}-workshop.csv", q.id)), csv).unwrap();
        }
        // One respondent per agency returned a filled workbook instead.
        let q = &questionnaires[a % questionnaires.len()];
        let role = roles[a % roles.len()];
        let stage = match q.kind {
            toolkit::questionnaire::Kind::Readiness => "",
            _ => stages[a % stages.len()],
        };
        let tailoring = q
            .questions
            .iter()
            .any(|x| !x.roles.is_empty() || !x.stages.is_empty())
            .then_some(Tailoring { role, stage });
        let blank = std::env::temp_dir().join(format!("{slug}-blank.xlsx"));
        std::fs::write(
            &blank,
            write_workbook(
                q,
                &site.manifest,
                tailoring,
                toolkit::date::Date::new(2026, 11, 27).unwrap(),
                site.manifest.paper,
            )
            .unwrap(),
        )
        .unwrap();
        let mut answers = serde_json::Map::new();
        for question in q
            .questions
            .iter()
            .filter(|x| x.applies_to(Some(role), (!stage.is_empty()).then_some(stage)))
        {
            // Plausible answers: no option that raises a flag (a prohibited practice, say).
            let scored: Vec<_> = question
                .options
                .iter()
                .enumerate()
                .filter(|(i, o)| {
                    !o.not_applicable && !question.flags.iter().any(|f| f.when.contains(i))
                })
                .map(|(_, o)| o)
                .collect();
            if scored.is_empty() {
                continue;
            }
            match question.kind {
                toolkit::questionnaire::QuestionType::Single => {
                    let pick = scored[(rng.unit() * scored.len() as f64) as usize % scored.len()];
                    answers.insert(question.id.clone(), pick.label.clone().into());
                }
                toolkit::questionnaire::QuestionType::Multiple => {
                    for option in scored.iter().filter(|_| rng.unit() < 0.4) {
                        answers.insert(format!("{}/{}", question.id, option.value), "Yes".into());
                    }
                }
                toolkit::questionnaire::QuestionType::Text => {
                    answers.insert(question.id.clone(), COMMENTS[a].into());
                }
            }
        }
        if q.kind == toolkit::questionnaire::Kind::Risk {
            describe_system_in_workbook(q, a, &mut answers);
        }
        let label = |id: &str| site.manifest.label_of(id).unwrap_or(id).to_owned();
        let spec = serde_json::json!({
            "respondent": {
                "Response ID": format!("{slug}-{}-workbook", q.id),
                "Respondent": NAMES[a + 5],
                "Group": agency,
                "Role": label(role),
                "Stage": label(stage),
            },
            "answers": answers,
        });
        let spec_path = std::env::temp_dir().join(format!("{slug}-spec.json"));
        std::fs::write(&spec_path, serde_json::to_vec(&spec).unwrap()).unwrap();
        let target = dir.join(format!("{}-filled-workbook.xlsx", q.id));
        let status = Command::new("python3")
            .arg(root.join("tests/tools/fill_workbook.py"))
            .args([&blank, &target, &spec_path])
            .status()
            .expect("python3 runs");
        assert!(
            status.success(),
            "filling the workbook failed (pip install openpyxl)"
        );
    }
    println!(
        "sample answers written to {}",
        root.join("answers").display()
    );
}
