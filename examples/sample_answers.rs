//! Writes the sample answers shipped in `answers/`: three fictional agencies, each
//! running workshops on the three questionnaires (wide CSV files, the newest version of
//! each), plus filled workbooks made by filling the generated workbooks with openpyxl, as
//! a respondent's spreadsheet program would.
//!
//! Readiness and principles answers are drawn from the seeded generator in
//! `toolkit::synthetic`. Each agency's risk workshop assesses one named system, and every
//! respondent describes that system with the same facts: the answers come from the
//! system's profile below. Respondents differ where people do: on judgement calls (how
//! likely, how serious, how far a safeguard goes), in their own words in the free-text
//! answers, and on the legal screening questions, which a legal advisor answers and others
//! leave blank, answer "Not sure" or answer "No".
//!
//! Run from the repository root: `cargo run --release --example sample_answers`
//! (needs python3 with openpyxl for the filled workbooks).

use std::path::Path;
use std::process::Command;

use toolkit::content::manifest::Manifest;
use toolkit::questionnaire::{Kind, QuestionType, Questionnaire};
use toolkit::scoring::{Answer, ScoringInput, score_response};
use toolkit::synthetic::{Respondent, Seeded, wide_csv};
use toolkit::workbook::{Tailoring, write_workbook};

const AGENCIES: [(&str, &str, f64); 3] = [
    ("northbridge", "Northbridge Police Service", 0.62),
    ("harbour-city", "Harbour City Police", 0.42),
    ("eastvale", "Eastvale Constabulary", 0.28),
];

/// The language every sample respondent answers in (a language the manifest declares).
const LANGUAGE: &str = "en";

/// One AI system as an agency's risk workshop describes it.
struct System {
    /// The system's name (the responses' `system` field).
    name: &'static str,
    /// Answers to RA-TEC-01 (describe the application), in different respondents' words.
    descriptions: &'static [&'static str],
    /// Answers to RA-SAF-12 (other safeguards, in place and planned), in different words.
    safeguards: &'static [&'static str],
    /// Answers by question id, as option values (a multiple answer joined with `;`): one
    /// value is a fact every respondent gives; several are the judgement calls that
    /// respondents make differently, one picked per respondent.
    answers: &'static [(&'static str, &'static [&'static str])],
    /// Answers a legal advisor gives differently from the other respondents.
    legal_view: &'static [(&'static str, &'static str)],
}

/// Northbridge's number-plate recognition, in use for two years (deploy stage).
const PLATEWATCH: System = System {
    name: "PlateWatch",
    descriptions: &[
        "PlateWatch reads the number plates of passing vehicles from fixed cameras on the main roads into the city and checks each read against the stolen-vehicle and wanted-vehicle lists. A hit goes to the control room, where an operator checks the plate and the list entry before asking a patrol to stop the vehicle. Reads are kept for 90 days so that investigators can search them.",
        "Number-plate recognition on our arterial roads, using the camera supplier's ANPR software. Its purpose is to find stolen vehicles and vehicles linked to wanted people. Control-room operators act on the alerts; detectives search the stored reads in investigations.",
        "ANPR cameras at 14 sites. The system alerts the control room to vehicles on the hotlists and keeps every read for 90 days. Control-room staff use the alerts; the investigations team uses the searches, each with a crime reference.",
        "Cameras read plates and flag vehicles reported stolen or linked to a wanted person. An operator confirms each alert against the list before a patrol is tasked. Investigators can look up where a plate was seen in the last 90 days.",
    ],
    safeguards: &[
        "Operators must confirm every hit against the live list entry before tasking a patrol. Searches of stored reads need a crime reference number and are audited every month. We plan to publish the camera sites on the force website before the next review.",
        "Hotlists are refreshed every morning, and entries older than 30 days drop off unless an officer renews them. Still to do: an independent audit of the search logs, planned for next year.",
        "Access to stored reads is limited to named investigators. We want the system to flag any search run without a crime reference.",
    ],
    answers: &[
        ("RA-TEC-02", &["number-plate-reading"]),
        ("RA-TEC-03", &["people"]),
        ("RA-USE-01", &["investigation-lead;decide-about-person"]),
        ("RA-OPS-01", &["both"]),
        ("RA-OPS-02", &["yes"]),
        ("RA-PRF-01", &["no"]),
        ("RA-INF-01", &["no"]),
        ("RA-TEC-05", &["proven"]),
        ("RA-TEC-06", &["yes"]),
        ("RA-SEN-01", &["none"]),
        ("RA-BRD-01", &["not-border"]),
        ("RA-DAT-01", &["identifiable"]),
        ("RA-LAW-01", &["yes"]),
        ("RA-DAT-02", &["no"]),
        ("RA-DAT-03", &["public"]),
        ("RA-DAT-04", &["live-sensors;agency-records;public-bodies"]),
        ("RA-DAT-05", &["partly-checked", "checked"]),
        ("RA-DAT-06", &["possible", "unlikely"]),
        ("RA-DAT-07", &["yes"]),
        ("RA-RGT-01", &["significant", "minor"]),
        ("RA-RGT-02", &["possible", "unlikely"]),
        ("RA-RGT-03", &["possible", "unlikely"]),
        ("RA-RGT-04", &["as-one-input"]),
        ("RA-RGT-05", &["background", "evidence"]),
        ("RA-RGT-06", &["sometimes"]),
        ("RA-RGT-07", &["significant"]),
        ("RA-AUT-01", &["one-input", "follows"]),
        ("RA-AUT-02", &["no"]),
        ("RA-AUT-03", &["seconds"]),
        ("RA-AUT-04", &["some", "yes"]),
        ("RA-AUT-05", &["easily"]),
        ("RA-AUT-06", &["yes"]),
        ("RA-TRN-01", &["yes", "partly"]),
        ("RA-TRN-02", &["partial"]),
        ("RA-TRN-03", &["sometimes", "no"]),
        ("RA-TRN-04", &["in-general"]),
        ("RA-SCL-01", &["over-100000"]),
        ("RA-SCL-02", &["slowly"]),
        ("RA-SCL-03", &["short-period"]),
        ("RA-SCL-04", &["national"]),
        ("RA-SCL-05", &["possible", "unlikely"]),
        ("RA-NEC-01", &["yes"]),
        ("RA-NEC-02", &["yes", "partly"]),
        ("RA-SAF-02", &["partly", "yes"]),
        ("RA-NEC-03", &["partly", "yes"]),
        ("RA-NEC-04", &["partly"]),
        ("RA-SAF-01", &["yes"]),
        ("RA-SAF-03", &["yes"]),
        ("RA-SAF-04", &["na", "na", "no"]),
        ("RA-SAF-05", &["yes"]),
        ("RA-SAF-06", &["yes", "partly"]),
        ("RA-SAF-08", &["partly", "yes"]),
        ("RA-SAF-09", &["partly", "yes"]),
        ("RA-SAF-10", &["yes", "partly"]),
        ("RA-SAF-11", &["yes"]),
        ("RA-TST-01", &["yes", "partly"]),
        ("RA-TST-02", &["partly", "no"]),
        ("RA-TST-03", &["yes", "partly"]),
        ("RA-TST-04", &["yes"]),
        ("RA-TST-05", &["partly", "no"]),
        ("RA-TST-06", &["yes", "partly"]),
        ("RA-TST-07", &["no", "partly"]),
        ("RA-TST-08", &["yes", "partly"]),
        ("RA-TST-09", &["yes"]),
    ],
    legal_view: &[],
};

/// Harbour City's report triage, still in development: no law has yet been named that
/// allows sending the text of reports to the supplier's model.
const CALLSORT: System = System {
    name: "CallSort",
    descriptions: &[
        "CallSort is being built with a supplier on top of a general-purpose language model. It reads the text of reports made through the online non-emergency form and suggests a crime category, a priority and a short summary for the call handler, who confirms or changes them. It should cut the backlog of online reports waiting to be graded.",
        "A language model that reads online crime reports, drafts a summary and suggests how urgent each one is, so that reports about vulnerable people reach an officer sooner. Call handlers in the contact centre use the suggestions; the grading decision stays with them.",
        "Triage of non-emergency online reports: the model proposes the crime type and the priority, and highlights reports that mention a child or a person in a mental health crisis. A handler checks every suggestion before the report is graded.",
    ],
    safeguards: &[
        "Handlers must confirm every grading, and CallSort cannot close a report. Before any live use the legal advisor has to name the law that lets us send report text to the supplier's model; until then we test it only on made-up reports.",
        "The contract will bar the supplier from using our reports to train its models. Still to add: a supervisor's weekly check of a sample of gradings, and a note on the website telling the public about the system.",
        "We plan a three-month shadow run in which CallSort's suggestions are compared with the handlers' own gradings before anyone relies on them.",
    ],
    answers: &[
        ("RA-TEC-02", &["natural-language;generative-ai"]),
        ("RA-TEC-03", &["people"]),
        ("RA-USE-01", &["resource-allocation;decide-about-person"]),
        ("RA-OPS-01", &["after"]),
        ("RA-OPS-02", &["not-captured"]),
        ("RA-PRF-01", &["no"]),
        ("RA-INF-01", &["no"]),
        ("RA-GEN-01", &["text"]),
        ("RA-TEC-05", &["new-to-this-use"]),
        ("RA-TEC-06", &["yes"]),
        ("RA-SEN-01", &["health-disability;age-sex"]),
        ("RA-BRD-01", &["not-border"]),
        ("RA-DAT-01", &["identifiable"]),
        ("RA-LAW-01", &["unsure"]),
        ("RA-DAT-02", &["yes"]),
        ("RA-DAT-03", &["vulnerable"]),
        ("RA-DAT-04", &["agency-records;vendor-training-data"]),
        ("RA-DAT-05", &["not-checked", "partly-checked"]),
        ("RA-DAT-06", &["possible", "likely"]),
        ("RA-DAT-07", &["no"]),
        ("RA-RGT-01", &["significant", "minor"]),
        ("RA-RGT-02", &["unlikely"]),
        ("RA-RGT-03", &["possible", "likely"]),
        ("RA-RGT-04", &["remotely", "no"]),
        ("RA-RGT-05", &["background", "no"]),
        ("RA-RGT-06", &["often"]),
        ("RA-RGT-07", &["significant", "severe"]),
        ("RA-AUT-01", &["one-input", "follows"]),
        ("RA-AUT-02", &["no"]),
        ("RA-AUT-03", &["minutes-to-hours"]),
        ("RA-AUT-04", &["no"]),
        ("RA-AUT-05", &["easily", "with-effort"]),
        ("RA-AUT-06", &["yes"]),
        ("RA-TRN-01", &["partly", "no"]),
        ("RA-TRN-02", &["partial", "little"]),
        ("RA-TRN-03", &["no", "sometimes"]),
        ("RA-TRN-04", &["no", "in-general"]),
        ("RA-SCL-01", &["10000-100000"]),
        ("RA-SCL-02", &["slowly", "quickly"]),
        ("RA-SCL-03", &["yes", "short-period"]),
        ("RA-SCL-04", &["no"]),
        ("RA-SCL-05", &["possible"]),
        ("RA-NEC-01", &["yes", "partly"]),
        ("RA-NEC-02", &["no", "unsure"]),
        ("RA-SAF-02", &["partly", "no"]),
        ("RA-NEC-03", &["partly"]),
        ("RA-NEC-04", &["no", "partly", "unsure"]),
        ("RA-SAF-01", &["no"]),
        ("RA-SAF-03", &["partly", "no"]),
        ("RA-SAF-04", &["na", "no"]),
        ("RA-SAF-05", &["yes", "partly"]),
        ("RA-SAF-06", &["partly", "no"]),
        ("RA-SAF-08", &["partly"]),
        ("RA-SAF-09", &["no", "partly"]),
        ("RA-SAF-10", &["no"]),
        ("RA-SAF-11", &["partly"]),
        ("RA-TST-01", &["no", "partly"]),
        ("RA-TST-02", &["no"]),
        ("RA-TST-03", &["no"]),
        ("RA-TST-04", &["partly", "yes"]),
        ("RA-TST-05", &["no"]),
        ("RA-TST-06", &["no", "partly"]),
        ("RA-TST-07", &["no"]),
        ("RA-TST-08", &["partly", "no"]),
        ("RA-TST-09", &["yes", "partly"]),
    ],
    // The legal advisor has looked and found no law that covers this processing yet.
    legal_view: &[("RA-LAW-01", "no")],
};

/// Eastvale's retrospective face search, piloted while the agency decides whether to buy
/// it (procure stage).
const FACEFIND: System = System {
    name: "FaceFind",
    descriptions: &[
        "FaceFind pilot: investigators upload still images from case files, such as a CCTV still of an unknown offender, and the system searches them against our custody image database. It returns a ranked list of possible matches, which a trained examiner compares by eye before anything goes to the investigator as an intelligence lead.",
        "Retrospective facial recognition for the investigations unit. We would buy the search software; the images it searches are our own custody photographs. The aim is to identify suspects caught on CCTV or doorbell footage in crimes we are already investigating.",
        "Face search of stills from case files against custody images, to suggest who an unknown suspect might be. Investigators and the facial examination team use it; a possible match is only a lead and has to be confirmed by other evidence.",
    ],
    safeguards: &[
        "Each search needs a crime reference and a detective sergeant's approval, and no possible match is passed on until a trained examiner has compared it by eye. We still have to set up the request to the court for authorisation under Art. 26(10) before that duty applies.",
        "Only the facial examination team can run searches. Custody images of people who were never charged are to be removed from the searched database; that clean-up is not finished yet.",
        "We want an independent test of the supplier's algorithm on our own images, across age, sex and ethnic groups, before the pilot ends.",
    ],
    answers: &[
        ("RA-TEC-02", &["face-recognition"]),
        ("RA-TEC-03", &["people"]),
        ("RA-USE-01", &["identify-person;investigation-lead"]),
        ("RA-OPS-01", &["after"]),
        ("RA-OPS-02", &["yes"]),
        ("RA-PRF-01", &["no"]),
        ("RA-INF-01", &["no"]),
        ("RA-TEC-05", &["new-to-this-use"]),
        ("RA-TEC-06", &["yes"]),
        ("RA-BIO-01", &["one-to-many-remote"]),
        ("RA-BIO-02", &["specific"]),
        ("RA-BIO-03", &["custody"]),
        ("RA-SEN-01", &["none"]),
        ("RA-BRD-01", &["not-border"]),
        ("RA-DAT-01", &["identifiable"]),
        ("RA-LAW-01", &["yes"]),
        ("RA-DAT-02", &["yes"]),
        ("RA-DAT-03", &["case"]),
        (
            "RA-DAT-04",
            &["agency-records;recorded-footage;vendor-training-data"],
        ),
        ("RA-DAT-05", &["partly-checked"]),
        ("RA-DAT-06", &["possible", "likely"]),
        ("RA-DAT-07", &["no"]),
        ("RA-RGT-01", &["significant", "severe"]),
        ("RA-RGT-02", &["unlikely", "possible"]),
        ("RA-RGT-03", &["possible", "likely"]),
        ("RA-RGT-04", &["as-one-input"]),
        ("RA-RGT-05", &["background"]),
        ("RA-RGT-06", &["sometimes"]),
        ("RA-RGT-07", &["severe"]),
        ("RA-AUT-01", &["one-input"]),
        ("RA-AUT-02", &["no"]),
        ("RA-AUT-03", &["minutes-to-hours", "days"]),
        ("RA-AUT-04", &["no"]),
        ("RA-AUT-05", &["easily"]),
        ("RA-AUT-06", &["partly", "yes"]),
        ("RA-TRN-01", &["partly", "no"]),
        ("RA-TRN-02", &["partial"]),
        ("RA-TRN-03", &["sometimes"]),
        ("RA-TRN-04", &["in-general", "no"]),
        ("RA-SCL-01", &["10000-100000"]),
        ("RA-SCL-02", &["slowly", "hard"]),
        ("RA-SCL-03", &["short-period"]),
        ("RA-SCL-04", &["no"]),
        ("RA-SCL-05", &["likely", "possible"]),
        ("RA-NEC-01", &["yes"]),
        ("RA-NEC-02", &["partly", "unsure"]),
        ("RA-SAF-02", &["partly"]),
        ("RA-NEC-03", &["partly", "yes"]),
        ("RA-NEC-04", &["partly"]),
        ("RA-SAF-01", &["yes"]),
        ("RA-SAF-03", &["partly"]),
        ("RA-SAF-04", &["partly", "no"]),
        ("RA-SAF-05", &["yes"]),
        ("RA-SAF-06", &["partly"]),
        ("RA-SAF-07", &["yes", "partly"]),
        ("RA-SAF-08", &["partly"]),
        ("RA-SAF-09", &["partly", "yes"]),
        ("RA-SAF-10", &["partly"]),
        ("RA-SAF-11", &["yes"]),
        ("RA-TST-01", &["partly"]),
        ("RA-TST-02", &["no", "partly"]),
        ("RA-TST-03", &["partly"]),
        ("RA-TST-04", &["yes"]),
        ("RA-TST-05", &["no"]),
        ("RA-TST-06", &["partly"]),
        ("RA-TST-07", &["no"]),
        ("RA-TST-08", &["partly"]),
        ("RA-TST-09", &["yes"]),
    ],
    legal_view: &[],
};

/// Each agency's system, in the order of [`AGENCIES`].
const SYSTEMS: [&System; 3] = [&PLATEWATCH, &CALLSORT, &FACEFIND];

/// How a respondent answers the legal screening questions that apply.
#[derive(Debug, Clone, Copy)]
enum Reading {
    /// Leaves them blank.
    Blank,
    /// Answers "Not sure".
    Unsure,
    /// Answers "No", not recognising the legal category.
    No,
    /// Answers "Yes": the legal advisor's reading.
    Yes,
}

impl Reading {
    /// A legal advisor reads the law; the others, by turn, leave the question blank,
    /// say they are not sure, or say no.
    fn of(role: &str, index: usize) -> Reading {
        if role == "legal-advisor" {
            return Reading::Yes;
        }
        [Reading::Blank, Reading::Unsure, Reading::No][index % 3]
    }

    fn option(self) -> Option<&'static str> {
        match self {
            Reading::Blank => None,
            Reading::Unsure => Some("unsure"),
            Reading::No => Some("no"),
            Reading::Yes => Some("yes"),
        }
    }
}

/// The option indices of an answer given as values joined with `;`.
fn choices(q: &Questionnaire, i: usize, values: &str) -> Answer {
    let question = &q.questions[i];
    Answer::Choices(
        values
            .split(';')
            .map(|v| {
                question
                    .find_option(v)
                    .unwrap_or_else(|| panic!("{} has no option {v:?}", question.id))
            })
            .collect(),
    )
}

/// One respondent's answers about a system: the facts, a pick among the judgement calls,
/// their own description and safeguards (or none), then the screening questions that the
/// facts make applicable, read as `reading`. Checks that every answer applies and that
/// every applicable question other than a screening or optional one is answered.
fn describe(
    q: &Questionnaire,
    system: &System,
    role: &str,
    index: usize,
    reading: Reading,
    rng: &mut Seeded,
) -> Vec<Option<Answer>> {
    let position = |id: &str| {
        q.questions
            .iter()
            .position(|x| x.id == id)
            .unwrap_or_else(|| panic!("{} names an unknown question {id}", system.name))
    };
    let mut answers: Vec<Option<Answer>> = vec![None; q.questions.len()];
    for (id, given) in system.answers {
        let legal = system.legal_view.iter().find(|(i, _)| i == id);
        let value = match legal {
            Some((_, view)) if role == "legal-advisor" => view,
            _ => given[rng.below(given.len())],
        };
        answers[position(id)] = Some(choices(q, position(id), value));
    }
    let description = system.descriptions[index % system.descriptions.len()];
    answers[position("RA-TEC-01")] = Some(Answer::Text(description.to_owned()));
    // Not everyone writes about further safeguards: the question is optional.
    if index % 3 != 2 {
        let text = system.safeguards[index % system.safeguards.len()];
        answers[position("RA-SAF-12")] = Some(Answer::Text(text.to_owned()));
    }
    let score = |answers: &[Option<Answer>]| {
        score_response(
            q,
            &ScoringInput {
                role: Some(role),
                stage: None,
                answers,
            },
        )
    };
    // An answer to a screening question can make another one applicable: repeat until
    // none opens.
    if let Some(value) = reading.option() {
        loop {
            let applicable = score(&answers).applicable_questions;
            let open: Vec<usize> = (0..q.questions.len())
                .filter(|&i| q.questions[i].screening && applicable[i] && answers[i].is_none())
                .collect();
            if open.is_empty() {
                break;
            }
            for i in open {
                answers[i] = Some(choices(q, i, value));
            }
        }
    }
    let applicable = score(&answers).applicable_questions;
    for (i, question) in q.questions.iter().enumerate() {
        let answered = answers[i].is_some();
        assert!(
            applicable[i] || !answered,
            "{}: {} does not apply to the system",
            system.name,
            question.id
        );
        assert!(
            !applicable[i] || answered || question.screening || !question.required,
            "{}: {} applies and has no answer",
            system.name,
            question.id
        );
    }
    answers
}

/// A risk workshop's wide CSV: the metadata columns, the system and the language, then one
/// column per question; single answers by label, multiple answers as values joined with
/// `;`, as a workshop's collection form writes them.
fn risk_workshop_csv(
    q: &Questionnaire,
    system: &System,
    respondents: &[Respondent],
    rng: &mut Seeded,
) -> Vec<u8> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let mut header: Vec<&str> = toolkit::questionnaire::template::METADATA_COLUMNS.to_vec();
    header.extend(["system", "language"]);
    header.extend(q.questions.iter().map(|x| x.id.as_str()));
    writer.write_record(&header).unwrap();
    for (index, r) in respondents.iter().enumerate() {
        let reading = Reading::of(&r.role, index);
        let answers = describe(q, system, &r.role, index, reading, rng);
        let mut row = vec![
            q.id.clone(),
            q.version.clone(),
            r.id.clone(),
            r.name.clone(),
            r.group.clone(),
            r.role.clone(),
            r.stage.clone(),
            system.name.to_owned(),
            LANGUAGE.to_owned(),
        ];
        for (question, answer) in q.questions.iter().zip(&answers) {
            row.push(match (answer, question.kind) {
                (None, _) => String::new(),
                (Some(Answer::Text(text)), _) => text.clone(),
                (Some(Answer::Choices(chosen)), QuestionType::Multiple) => chosen
                    .iter()
                    .map(|&o| question.options[o].value.as_str())
                    .collect::<Vec<_>>()
                    .join(";"),
                (Some(Answer::Choices(chosen)), _) => question.options[chosen[0]].label.clone(),
            });
        }
        writer.write_record(&row).unwrap();
    }
    writer.into_inner().unwrap()
}

/// The same answers as a person enters them in the workbook: labels for single
/// questions, one `Yes` row per chosen option of a multiple question, text as written.
fn workbook_cells(
    q: &Questionnaire,
    answers: &[Option<Answer>],
) -> serde_json::Map<String, serde_json::Value> {
    let mut cells = serde_json::Map::new();
    for (question, answer) in q.questions.iter().zip(answers) {
        match (answer, question.kind) {
            (None, _) => {}
            (Some(Answer::Text(text)), _) => {
                cells.insert(question.id.clone(), text.clone().into());
            }
            (Some(Answer::Choices(chosen)), QuestionType::Multiple) => {
                for &o in chosen {
                    let row = format!("{}/{}", question.id, question.options[o].value);
                    cells.insert(row, "Yes".into());
                }
            }
            (Some(Answer::Choices(chosen)), _) => {
                cells.insert(
                    question.id.clone(),
                    question.options[chosen[0]].label.clone().into(),
                );
            }
        }
    }
    cells
}

/// Plausible workbook answers to a readiness or principles questionnaire: no option that
/// raises a flag, some options of each multiple question, the agency's comment.
fn synthetic_workbook_cells(
    q: &Questionnaire,
    role: &str,
    stage: &str,
    comment: &str,
    rng: &mut Seeded,
) -> serde_json::Map<String, serde_json::Value> {
    let mut answers = serde_json::Map::new();
    for question in q
        .questions
        .iter()
        .filter(|x| x.applies_to(Some(role), (!stage.is_empty()).then_some(stage)))
    {
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
            QuestionType::Single => {
                let pick = scored[(rng.unit() * scored.len() as f64) as usize % scored.len()];
                answers.insert(question.id.clone(), pick.label.clone().into());
            }
            QuestionType::Multiple => {
                for option in scored.iter().filter(|_| rng.unit() < 0.4) {
                    answers.insert(format!("{}/{}", question.id, option.value), "Yes".into());
                }
            }
            QuestionType::Text => {
                answers.insert(question.id.clone(), comment.into());
            }
        }
    }
    answers
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

/// The newest version of each questionnaire, in the order the sources list them.
fn newest(questionnaires: &[Questionnaire]) -> Vec<&Questionnaire> {
    let version = |q: &Questionnaire| -> Vec<u64> {
        q.version
            .split('.')
            .map(|p| p.parse().unwrap_or(0))
            .collect()
    };
    questionnaires
        .iter()
        .filter(|q| {
            !questionnaires
                .iter()
                .any(|o| o.id == q.id && version(o) > version(q))
        })
        .collect()
}

/// Fills the blank workbook of `q` (general, or tailored to a role and stage) with
/// openpyxl, as a respondent would, and saves it as `target`.
fn fill_workbook(
    root: &Path,
    q: &Questionnaire,
    manifest: &Manifest,
    tailoring: Option<Tailoring>,
    spec: &serde_json::Value,
    target: &Path,
) {
    let slug = target.file_stem().unwrap().to_string_lossy().into_owned();
    let blank = std::env::temp_dir().join(format!("{slug}-blank.xlsx"));
    let workbook = write_workbook(
        q,
        (manifest, toolkit::words::Words::built_in()),
        tailoring,
        toolkit::date::Date::new(2026, 11, 27).unwrap(),
        manifest.paper,
    )
    .unwrap();
    std::fs::write(&blank, workbook).unwrap();
    let spec_path = std::env::temp_dir().join(format!("{slug}-spec.json"));
    std::fs::write(&spec_path, serde_json::to_vec(spec).unwrap()).unwrap();
    let status = Command::new("python3")
        .arg(root.join("tests/tools/fill_workbook.py"))
        .args([&blank, target, &spec_path])
        .status()
        .expect("python3 runs");
    assert!(
        status.success(),
        "filling the workbook failed (pip install openpyxl)"
    );
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let sources =
        toolkit::project::Sources::load(&root.join("sources")).expect("the shipped sources load");
    let manifest = &sources.site.manifest;
    let questionnaires = newest(&sources.questionnaires);
    let roles: Vec<&str> = manifest.role_ids().collect();
    let stages: Vec<&str> = manifest.stage_ids().collect();
    let mut rng = Seeded::new(2026);
    for (a, (slug, agency, maturity)) in AGENCIES.iter().enumerate() {
        let system = SYSTEMS[a];
        let mut judgement = Seeded::new(500 + a as u64);
        let dir = root.join("answers").join(slug);
        std::fs::create_dir_all(&dir).unwrap();
        for (k, q) in questionnaires.iter().enumerate() {
            let count = 6 + (a + k) % 4;
            // A readiness assessment is about the agency, not a lifecycle stage: its
            // workshops leave the stage blank, as the readiness guide asks.
            let stage = match q.kind {
                Kind::Readiness => "",
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
            let csv = match q.kind {
                Kind::Risk => risk_workshop_csv(q, system, &respondents, &mut judgement),
                _ => wide_csv(q, &respondents, &COMMENTS, 100 + (a * 10 + k) as u64),
            };
            std::fs::write(dir.join(format!("{}-workshop.csv", q.id)), csv).unwrap();
        }
        // One respondent per agency returned a filled workbook instead.
        let k = a % questionnaires.len();
        let q = questionnaires[k];
        let role = roles[a % roles.len()];
        let stage = match q.kind {
            Kind::Readiness => "",
            // The system is assessed at the stage of the agency's risk workshop.
            Kind::Risk => stages[(a + k) % stages.len()],
            _ => stages[a % stages.len()],
        };
        let tailoring = q
            .questions
            .iter()
            .any(|x| !x.roles.is_empty() || !x.stages.is_empty())
            .then_some(Tailoring { role, stage });
        let label = |id: &str| manifest.label_of(id).unwrap_or(id).to_owned();
        let mut respondent = serde_json::json!({
            "Response ID": format!("{slug}-{}-workbook", q.id),
            "Respondent": NAMES[a + 5],
            "Group": agency,
            "Role": label(role),
            "Stage": label(stage),
        });
        let answers = match q.kind {
            Kind::Risk => {
                respondent["System"] = system.name.into();
                let answers = describe(q, system, role, 1, Reading::Unsure, &mut judgement);
                workbook_cells(q, &answers)
            }
            _ => synthetic_workbook_cells(q, role, stage, COMMENTS[a], &mut rng),
        };
        let spec = serde_json::json!({ "respondent": respondent, "answers": answers });
        let target = dir.join(format!("{}-filled-workbook.xlsx", q.id));
        fill_workbook(root, q, manifest, tailoring, &spec, &target);
    }
    println!(
        "sample answers written to {}",
        root.join("answers").display()
    );
}
