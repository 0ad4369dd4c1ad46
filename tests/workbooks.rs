//! Questionnaire workbooks as respondents use them: filled in another program, read back
//! into the same answers, opened in LibreOffice, and live scores equal to the scorer's;
//! the reference cases (`sources/reference-cases`) show their expected verdicts and flags.

mod common;

use std::io::Read;
use std::path::Path;

use calamine::{Data, Reader, open_workbook_auto};
use common::reference;
use common::*;
use serde_json::{Value, json};
use toolkit::answers::read_answer_file;
use toolkit::answers::validate::validate_response;
use toolkit::content::manifest::Manifest;
use toolkit::questionnaire::{Kind, QuestionType, Questionnaire, load_questionnaires};
use toolkit::scoring::{Answer, ScoreResult, ScoringInput, Verdict, score_response};
use toolkit::workbook::layout::{OPTION_SEPARATOR, SELECTED, questions, respondent, score};
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
            (&site.manifest, &site.words),
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
        "respondent": {"Response ID": "ws-1", "Group": "Agency A", "Role": "Legal advisors", "Stage": "Procure", "System": "FaceFind"},
        "answers": {"D-01": "Yes", "D-02/social": "Yes", "D-02/cctv": "Yes", "S-01": "Partly", "S-02": "Logs kept; see #read(\"/etc/passwd\") and =HYPERLINK(\"x\")"}
    })
}

// A workbook filled in another program (openpyxl, input cells only) reads back into the
// same answers, role, stage and system.
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
    assert_eq!(
        response.system, "FaceFind",
        "a risk workbook names its system"
    );
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

/// What a workbook's sheets show, as calamine reads them (cached results: those stored by
/// the writer, or those LibreOffice recalculated): the Score sheet's value column by row
/// label, and whether each question applies on the Questions sheet.
struct Shown {
    /// Score sheet: row label and the value column's cell.
    score: Vec<(String, Data)>,
    /// Questions sheet: question id and its hidden applies cell.
    applies: Vec<(String, bool)>,
}

fn shown(path: &Path) -> Shown {
    let mut workbook = open_workbook_auto(path).unwrap();
    let score_range = workbook.worksheet_range(score::NAME).unwrap();
    let score = score_range
        .rows()
        .skip(1)
        .filter_map(|row| match row.first()? {
            Data::String(label) => Some((
                label.clone(),
                row.get(score::VALUE_COL as usize)
                    .cloned()
                    .unwrap_or(Data::Empty),
            )),
            _ => None,
        })
        .collect();
    let questions_range = workbook.worksheet_range(questions::NAME).unwrap();
    let applies = questions_range
        .rows()
        .skip(1)
        .filter_map(|row| {
            match (
                &row[questions::ID.index as usize],
                row.get(questions::APPLIES.index as usize),
            ) {
                (Data::String(id), Some(cell)) if !id.contains('/') => {
                    Some((id.clone(), truth(cell)))
                }
                _ => None,
            }
        })
        .collect();
    Shown { score, applies }
}

/// A boolean cell as written by rust_xlsxwriter or LibreOffice.
fn truth(cell: &Data) -> bool {
    match cell {
        Data::Bool(b) => *b,
        Data::Float(f) => *f != 0.0,
        Data::Int(i) => *i != 0,
        Data::String(s) => s.eq_ignore_ascii_case("true"),
        other => panic!("not a boolean: {other:?}"),
    }
}

impl Shown {
    /// The value column of the row labelled `label` (exactly); `None` when the row is
    /// not there.
    fn cell(&self, label: &str) -> Option<&Data> {
        self.score.iter().find(|(l, _)| l == label).map(|(_, d)| d)
    }

    /// A figure: `None` when blank.
    fn number(&self, label: &str) -> Option<f64> {
        match self.cell(label) {
            Some(Data::Float(f)) => Some(*f),
            Some(Data::Int(i)) => Some(*i as f64),
            Some(Data::String(s)) if s.is_empty() => None,
            Some(Data::Empty) => None,
            other => panic!("{label}: not a figure: {other:?}"),
        }
    }

    /// A text, blank when the row is missing or empty.
    fn text(&self, label: &str) -> String {
        match self.cell(label) {
            Some(Data::String(s)) => s.clone(),
            None | Some(Data::Empty) => String::new(),
            other => panic!("{label}: not a text: {other:?}"),
        }
    }
}

/// Rounded to 1e-6, so figures from two programs compare.
fn rounded(value: Option<f64>) -> Option<f64> {
    value.map(|v| (v * 1e6).round())
}

/// The workbook shows what the Rust scorer gives: every dimension's percent, risk,
/// mitigation, score, level, completion, the raised flags, the unknowns, the verdict and
/// the warnings, and which questions apply.
fn assert_shows(q: &Questionnaire, result: &ScoreResult, shown: &Shown, name: &str) {
    for (d, dim) in q.dimensions.iter().enumerate() {
        assert_eq!(
            rounded(shown.number(&dim.title)),
            rounded(result.dimensions[d].percent),
            "{name}: dimension {}",
            dim.id
        );
    }
    if q.kind == Kind::Risk {
        assert_eq!(
            rounded(shown.number("Risk")),
            rounded(result.risk),
            "{name}: risk"
        );
        let mitigation = shown.number("Mitigation");
        assert_eq!(
            rounded(mitigation),
            rounded(result.mitigation),
            "{name}: mitigation"
        );
    }
    let score_label = match q.kind {
        Kind::Risk => "Score (risk after mitigation)",
        _ => "Score",
    };
    assert_eq!(
        rounded(shown.number(score_label)),
        rounded(result.score),
        "{name}: score"
    );
    let level = result
        .level
        .map_or(String::new(), |l| q.levels[l].label.clone());
    assert_eq!(shown.text(score::LEVEL_LABEL), level, "{name}: level");
    assert_eq!(
        rounded(shown.number(score::COMPLETION_LABEL)),
        rounded(Some(result.completion)),
        "{name}: completion"
    );
    let mut flags: Vec<&str> = result.flags.iter().map(|f| f.id.as_str()).collect();
    flags.sort_unstable();
    flags.dedup();
    assert_eq!(
        shown.text(score::FLAGS_LABEL),
        flags.join(score::LIST_SEPARATOR),
        "{name}: flags"
    );
    let unknowns: Vec<&str> = result
        .unknowns
        .iter()
        .map(|&i| q.questions[i].id.as_str())
        .collect();
    assert_eq!(
        shown.text(score::UNKNOWNS_LABEL),
        unknowns.join(score::LIST_SEPARATOR),
        "{name}: unknowns"
    );
    assert_eq!(
        shown.text(score::VERDICT_LABEL),
        result.verdict.map_or("", Verdict::label),
        "{name}: verdict"
    );
    let warnings = shown.text(score::WARNINGS_LABEL);
    let listed: Vec<&str> = warnings
        .split(score::LIST_SEPARATOR)
        .filter(|w| !w.is_empty())
        .collect();
    assert_eq!(
        listed.len(),
        result.contradictions.len(),
        "{name}: warnings {warnings:?}"
    );
    for (c, text) in result.contradictions.iter().zip(&listed) {
        let (question, rule) = (&q.questions[c.question].id, &q.rules[c.rule].id);
        assert!(
            text.contains(question.as_str()) && text.contains(rule.as_str()),
            "{name}: warning {text:?} names {question} and {rule}"
        );
    }
    for (id, applies) in &shown.applies {
        let i = q.questions.iter().position(|x| &x.id == id).unwrap();
        assert_eq!(
            *applies, result.applicable_questions[i],
            "{name}: whether {id} applies (and is greyed out)"
        );
    }
}

/// A small deterministic generator (xorshift64*), so failures reproduce.
struct Random(u64);

impl Random {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

/// A generated fill: a role and stage (by label, or blank), and answers as a person types
/// them in the workbook: a single answer by label or value (the first option more often,
/// so chains of relevance open), options of a multiple answer marked Yes (a
/// not-applicable option alone), some text; about a quarter left blank.
fn generated_spec(q: &Questionnaire, manifest: &Manifest, random: &mut Random) -> Value {
    let mut respondent = serde_json::Map::new();
    for (label, list) in [("Role", &manifest.roles), ("Stage", &manifest.stages)] {
        if random.chance(70) {
            let picked = &list[random.below(list.len())];
            respondent.insert(label.into(), json!(picked.label));
        }
    }
    let mut answers = serde_json::Map::new();
    for question in &q.questions {
        if random.chance(25) {
            continue;
        }
        match question.kind {
            QuestionType::Single => {
                let o = if random.chance(40) {
                    0
                } else {
                    random.below(question.options.len())
                };
                let option = &question.options[o];
                let text = if random.chance(30) {
                    &option.value
                } else {
                    &option.label
                };
                answers.insert(question.id.clone(), json!(text));
            }
            QuestionType::Multiple => {
                let na = question.options.iter().position(|o| o.not_applicable);
                let chosen: Vec<usize> = match na {
                    Some(na) if random.chance(10) => vec![na],
                    _ => (0..question.options.len())
                        .filter(|&o| Some(o) != na && random.chance(35))
                        .collect(),
                };
                for o in chosen {
                    let tick = if random.chance(20) { "yes" } else { SELECTED };
                    let row = format!(
                        "{}{OPTION_SEPARATOR}{}",
                        question.id, question.options[o].value
                    );
                    answers.insert(row, json!(tick));
                }
            }
            QuestionType::Text => {
                answers.insert(question.id.clone(), json!("Kept in the register; =1+1"));
            }
        }
    }
    json!({"respondent": respondent, "answers": answers})
}

/// One filled workbook after LibreOffice recalculated it: the answers read back from the
/// filled file, the Rust scorer's result for them, and what the recalculated file shows.
struct Recalculated {
    /// The spec's name.
    name: String,
    /// The answers read back from the filled workbook, validated.
    response: toolkit::answers::validate::Response,
    /// The Rust scorer's result for those answers.
    result: ScoreResult,
    /// What the recalculated workbook shows.
    shown: Shown,
}

/// Fills the blank workbook of `q` with every spec (openpyxl, one run), recalculates them
/// all in one run of LibreOffice, and reads back each filled file's answers and what each
/// recalculated file shows.
fn recalculate(
    site: &toolkit::content::Site,
    questionnaires: &[Questionnaire],
    q: &Questionnaire,
    specs: &[(String, Value)],
) -> Vec<Recalculated> {
    let dir = tempfile::tempdir().unwrap();
    let blank = write(dir.path(), site, q, None);
    let filled_dir = dir.path().join("filled");
    std::fs::create_dir_all(&filled_dir).unwrap();
    // Each workbook names its response, so one left blank is still a response (a workbook
    // with no answer and no name is unfilled, and never scored).
    let specs: Vec<(String, Value)> = specs
        .iter()
        .map(|(name, spec)| {
            let mut spec = spec.clone();
            let respondent = spec["respondent"].as_object_mut().map(|r| r.clone());
            let mut respondent = respondent.unwrap_or_default();
            respondent
                .entry("Response ID")
                .or_insert_with(|| Value::from(name.clone()));
            spec["respondent"] = Value::Object(respondent);
            (name.clone(), spec)
        })
        .collect();
    let filled = fill_workbooks(&blank, &filled_dir, &specs);
    let recalculated = libreoffice_convert_all(&filled, "xlsx", &dir.path().join("out"));
    specs
        .iter()
        .zip(&filled)
        .zip(&recalculated)
        .map(|(((name, _), filled), recalculated)| {
            let raw = read_answer_file(filled).unwrap();
            let response = validate_response(&raw[0], questionnaires, &site.manifest)
                .unwrap_or_else(|e| panic!("{name}: the filled workbook is rejected: {e:?}"));
            let result = response.score(q);
            Recalculated {
                name: name.clone(),
                response,
                result,
                shown: shown(recalculated),
            }
        })
        .collect()
}

/// Fills the blank workbook of `q` with every spec (openpyxl), recalculates them all in
/// LibreOffice, and checks that each shows what the Rust scorer gives for the answers
/// read back from the filled file. Returns the results, for coverage checks.
fn compare_with_libreoffice(
    site: &toolkit::content::Site,
    questionnaires: &[Questionnaire],
    q: &Questionnaire,
    specs: &[(String, Value)],
) -> Vec<ScoreResult> {
    recalculate(site, questionnaires, q, specs)
        .into_iter()
        .map(|r| {
            assert_shows(q, &r.result, &r.shown, &r.name);
            r.result
        })
        .collect()
}

/// Named fills, then `generated` generated ones from `seed`.
fn specs(
    q: &Questionnaire,
    manifest: &Manifest,
    named: Vec<(&str, Value)>,
    generated: usize,
    seed: u64,
) -> Vec<(String, Value)> {
    let mut random = Random(seed);
    let mut all: Vec<(String, Value)> = named.into_iter().map(|(n, v)| (n.to_owned(), v)).collect();
    for k in 0..generated {
        all.push((
            format!("generated-{k}"),
            generated_spec(q, manifest, &mut random),
        ));
    }
    all
}

// After LibreOffice recalculates a filled workbook, the Score sheet shows the same
// dimension percents, risk, mitigation, score, level, completion and flags as the Rust
// scorer, for named and generated answers.
#[test]
fn live_scores_match_the_scorer() {
    if !have_openpyxl() || !have("soffice", LIBREOFFICE) {
        return;
    }
    let (site, questionnaires) = fixture_questionnaire();
    let q = &questionnaires[0];
    let respondent = json!({"Role": "Legal advisors", "Stage": "Deploy"});
    let named = [
        json!({"D-01": "Yes", "D-02/social": "Yes", "D-02/cctv": "Yes", "S-01": "Partly"}),
        json!({"D-01": "No", "D-02/none": "Yes", "I-01": "No", "I-02": "Partly", "S-01": "Yes"}),
        json!({"D-01": "Not applicable", "I-01": "Yes", "I-02": "No", "S-01": "Yes"}),
        json!({"D-01": "Yes", "D-02/none": "Yes", "I-01": "No", "I-02": "No", "S-01": "Yes"}),
    ];
    let named = ["a", "b", "c", "d"]
        .into_iter()
        .zip(named)
        .map(|(name, answers)| (name, json!({"respondent": respondent, "answers": answers})))
        .collect();
    let all = specs(q, &site.manifest, named, 8, 0x5EED_0001);
    let results = compare_with_libreoffice(&site, &questionnaires, q, &all);
    assert_ne!(
        results[3].level, results[3].level_before_flags,
        "case d's flag moves the level"
    );
}

/// The method-2 fixture (tests/fixtures/method-two) with the fixture toolkit's roles and
/// stages: relevance chains, screening questions, rules sharing their flags and a stop rule.
fn method_two() -> (toolkit::content::Site, Vec<Questionnaire>) {
    let site = load_site(&fixture_sources());
    let questionnaires = load_questionnaires(&root().join("tests/fixtures/method-two"), &site)
        .unwrap_or_else(|p| panic!("the method-2 fixture has problems:\n{p}"));
    (site, questionnaires)
}

/// Named fills of the method-2 fixture, one per path through the method.
fn method_two_named() -> Vec<(&'static str, Value)> {
    let fill =
        |respondent: Value, answers: Value| json!({"respondent": respondent, "answers": answers});
    let legal_deploy = json!({"Role": "Legal advisors", "Stage": "Deploy"});
    vec![
        ("blank", fill(json!({}), json!({}))),
        // Documents, not faces: F-02, F-03, F-04, L-01 and L-02 do not apply, answered or not.
        (
            "irrelevant-answered",
            fill(
                legal_deploy.clone(),
                json!({"F-01": "Documents", "F-02/internet": "Yes", "F-03": "Yes", "F-04": "Yes",
                       "L-01": "Yes", "L-02": "Yes", "S-01": "Partly", "S-02": "No"}),
            ),
        ),
        // L-01 applies and is left blank: unknown, raising its flag.
        (
            "blank-screening",
            fill(
                legal_deploy.clone(),
                json!({"F-01": "Faces", "F-02/cctv": "Yes", "F-03": "No", "S-01": "No", "S-02": "Yes"}),
            ),
        ),
        // "Not sure" on a screening question, and the stop rule on live watchlists.
        (
            "unsure-and-stop-rule",
            fill(
                legal_deploy.clone(),
                json!({"F-01": "faces", "F-02/custody": "Yes", "F-03": "Not sure", "F-04": "yes",
                       "L-01": "Not sure", "S-01": "Yes", "S-02": "Partly"}),
            ),
        ),
        // The facts raise live-biometric although L-01 says No: a warning; the rule's
        // floor clamps after S-01's ceiling.
        (
            "rule-contradicts-no",
            fill(
                legal_deploy.clone(),
                json!({"F-01": "Faces", "F-02/custody": "Yes", "F-03": "Yes", "F-04": "No",
                       "L-01": "No", "S-01": "Yes", "S-02": "Yes", "S-03": "Reviewed monthly."}),
            ),
        ),
        // Scraped images: the stop rule and L-02's own stop flag share an id.
        (
            "stop",
            fill(
                json!({"Role": "Managers"}),
                json!({"F-01": "Faces", "F-02/internet": "Yes", "F-02/cctv": "Yes", "F-03": "No",
                       "L-01": "No", "L-02": "No", "S-01": "Yes"}),
            ),
        ),
        // F-04 is for the deploy stage: at procure it does not apply, so the rule that
        // names it cannot hold, and S-02 is for legal advisors only.
        (
            "chain-cut-by-stage",
            fill(
                json!({"Role": "Managers", "Stage": "Procure"}),
                json!({"F-01": "Faces", "F-02/none": "Yes", "F-03": "Yes", "F-04": "Yes",
                       "L-01": "Yes", "S-01": "No", "S-02": "Yes"}),
            ),
        ),
        // Nothing personal, every safeguard: a low level and nothing raised.
        (
            "proceed",
            fill(
                legal_deploy,
                json!({"F-01": "Places, not people", "S-01": "Partly", "S-02": "Yes"}),
            ),
        ),
    ]
}

// A workbook of a definition that uses method 2, filled in another program and
// recalculated by LibreOffice, shows the Rust scorer's score, level, flags, verdict,
// unknowns, warnings and relevance, for named paths and generated answers; together they
// reach every verdict, unknowns, warnings and answered questions that do not apply.
#[test]
fn method_two_live_results_match_the_scorer() {
    if !have_openpyxl() || !have("soffice", LIBREOFFICE) {
        return;
    }
    let (site, questionnaires) = method_two();
    let q = &questionnaires[0];
    let all = specs(q, &site.manifest, method_two_named(), 24, 0x5EED_0002);
    let results = compare_with_libreoffice(&site, &questionnaires, q, &all);
    for verdict in [
        Verdict::Proceed,
        Verdict::ProceedWithConditions,
        Verdict::DoNotProceed,
    ] {
        assert!(
            results.iter().any(|r| r.verdict == Some(verdict)),
            "no case reaches {verdict:?}"
        );
    }
    assert!(
        results.iter().any(|r| !r.unknowns.is_empty()),
        "no unknowns"
    );
    assert!(
        results.iter().any(|r| !r.contradictions.is_empty()),
        "no warnings"
    );
    assert!(
        results
            .iter()
            .any(|r| r.applicable_questions.contains(&false)),
        "every question applies everywhere"
    );
    let named: Vec<&ScoreResult> = results.iter().take(method_two_named().len()).collect();
    let (irrelevant, blank_screening, unsure, contradicts, stop, cut, proceed) = (
        named[1], named[2], named[3], named[4], named[5], named[6], named[7],
    );
    let index = |id: &str| q.questions.iter().position(|x| x.id == id).unwrap();
    assert!(
        !irrelevant.applicable_questions[index("L-01")],
        "L-01 does not apply"
    );
    assert_eq!(blank_screening.unknowns, [index("L-01")]);
    assert_eq!(
        unsure.verdict,
        Some(Verdict::DoNotProceed),
        "live-watchlist stops"
    );
    assert_eq!(contradicts.contradictions.len(), 1);
    assert_eq!(
        contradicts.level,
        Some(3),
        "the rule's floor comes after S-01's ceiling"
    );
    assert_eq!(stop.verdict, Some(Verdict::DoNotProceed));
    assert!(!cut.flags.iter().any(|f| f.id == "live-watchlist"));
    assert_eq!(proceed.verdict, Some(Verdict::Proceed));
}

// Every shipped questionnaire that uses method 2 (relevance, screening or rules) has a
// workbook whose live results, recalculated by LibreOffice, are the Rust scorer's on
// generated answers.
#[test]
fn shipped_method_two_workbooks_match_the_scorer() {
    let (site, questionnaires) = shipped();
    let uses_method_two = |q: &&Questionnaire| {
        !q.rules.is_empty()
            || q.questions
                .iter()
                .any(|x| x.screening || !x.relevant.is_empty())
    };
    let chosen: Vec<&Questionnaire> = questionnaires.iter().filter(uses_method_two).collect();
    if chosen.is_empty() || !have_openpyxl() || !have("soffice", LIBREOFFICE) {
        return;
    }
    for (k, q) in chosen.into_iter().enumerate() {
        let all = specs(q, &site.manifest, Vec::new(), 16, 0x5EED_0100 + k as u64);
        compare_with_libreoffice(&site, &questionnaires, q, &all);
    }
}

/// A reference case's answers as a person enters them in the workbook: the system on the
/// Respondent sheet, role and stage blank, single answers by label, the chosen options of
/// a multiple answer marked on their rows, text as written.
fn reference_spec(q: &Questionnaire, system: &str, answers: &[Option<Answer>]) -> Value {
    let mut cells = serde_json::Map::new();
    for (question, answer) in q.questions.iter().zip(answers) {
        match (answer, question.kind) {
            (None, _) => {}
            (Some(Answer::Text(text)), _) => {
                cells.insert(question.id.clone(), json!(text));
            }
            (Some(Answer::Choices(chosen)), QuestionType::Multiple) => {
                for &o in chosen {
                    let row = format!(
                        "{}{OPTION_SEPARATOR}{}",
                        question.id, question.options[o].value
                    );
                    cells.insert(row, json!(SELECTED));
                }
            }
            (Some(Answer::Choices(chosen)), _) => {
                cells.insert(
                    question.id.clone(),
                    json!(question.options[chosen[0]].label),
                );
            }
        }
    }
    json!({"respondent": {"System": system}, "answers": cells})
}

// Every reference case, in every variant, entered in its questionnaire's workbook and
// recalculated by LibreOffice (all in one run), shows the verdict and exactly the flags
// the case expects (besides `incomplete`), names its system, and shows everything else
// the Rust scorer gives.
#[test]
fn reference_cases_in_the_recalculated_workbook() {
    if !have_openpyxl() || !have("soffice", LIBREOFFICE) {
        return;
    }
    let (site, questionnaires) = shipped();
    let files = reference::load_all(&root().join("sources"));
    for cases in &files {
        let q = reference::questionnaire_of(cases, &questionnaires);
        let mut specs = Vec::new();
        let mut expected = Vec::new();
        for case in &cases.cases {
            for variant in &case.variants {
                let answers = reference::answers_of(q, case, variant);
                specs.push((
                    format!("{}-{variant}", case.id),
                    reference_spec(q, &case.system, &answers),
                ));
                expected.push(case);
            }
        }
        let recalculated = recalculate(&site, &questionnaires, q, &specs);
        let mut failures = Vec::new();
        for (r, case) in recalculated.iter().zip(&expected) {
            let verdict = [
                Verdict::Proceed,
                Verdict::ProceedWithConditions,
                Verdict::DoNotProceed,
            ]
            .into_iter()
            .find(|v| v.id() == case.expected_verdict)
            .unwrap_or_else(|| panic!("{}: unknown verdict", case.id));
            let shown_flags = r.shown.text(score::FLAGS_LABEL);
            let flags = reference::flags_without_incomplete(
                shown_flags
                    .split(score::LIST_SEPARATOR)
                    .filter(|f| !f.is_empty()),
            );
            let shown_verdict = r.shown.text(score::VERDICT_LABEL);
            if shown_verdict != verdict.label() || flags != case.expected() {
                failures.push(format!(
                    "{}: the workbook shows {shown_verdict:?}, flags {flags:?}; expected {:?}, {:?}",
                    r.name,
                    verdict.label(),
                    case.expected()
                ));
            }
            assert_eq!(r.response.system, case.system, "{}: system", r.name);
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
        for r in &recalculated {
            assert_shows(q, &r.result, &r.shown, &r.name);
        }
        eprintln!(
            "{}: {} reference answer sets recalculated",
            q.slug(),
            recalculated.len()
        );
    }
}

// The blank workbook's stored results (what calamine and any program that does not
// recalculate show) are the Rust scorer's for a blank response: general and tailored
// workbooks of the fixtures and of every shipped questionnaire.
#[test]
fn blank_workbooks_store_the_scorers_results() {
    let dir = tempfile::tempdir().unwrap();
    let (site, mut questionnaires) = method_two();
    questionnaires.extend(fixture_questionnaire().1);
    let (shipped_site, shipped_questionnaires) = shipped();
    let sets = [
        (&site, &questionnaires),
        (&shipped_site, &shipped_questionnaires),
    ];
    for (site, list) in sets {
        for q in list.iter() {
            let (roles, stages) = (&site.manifest.roles, &site.manifest.stages);
            let tailorings = [
                None,
                Some((&roles[0].id, &stages[0].id)),
                Some((&roles[roles.len() - 1].id, &stages[stages.len() - 1].id)),
            ];
            for tailoring in tailorings {
                let tailoring = tailoring.map(|(role, stage)| Tailoring {
                    role: role.get_ref().as_str(),
                    stage: stage.get_ref().as_str(),
                });
                let path = write(dir.path(), site, q, tailoring);
                let blank = vec![None; q.questions.len()];
                let result = score_response(
                    q,
                    &ScoringInput {
                        role: tailoring.map(|t| t.role),
                        stage: tailoring.map(|t| t.stage),
                        answers: &blank,
                    },
                );
                let name = format!("{} {:?}", q.slug(), tailoring.map(|t| (t.role, t.stage)));
                assert_shows(q, &result, &shown(&path), &name);
            }
        }
    }
}

// A question that can stop applying says when it applies in its guidance and greys out
// while it does not; a risk assessment asks for the system assessed, on the row under
// the stage.
#[test]
fn relevance_notes_greying_and_system_field() {
    let (site, questionnaires) = method_two();
    let q = &questionnaires[0];
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), &site, q, None);
    let mut workbook = open_workbook_auto(&path).unwrap();
    let questions_range = workbook.worksheet_range(questions::NAME).unwrap();
    let guidance = |id: &str| -> String {
        let row = questions_range
            .rows()
            .find(|r| r[0] == Data::String(id.into()))
            .unwrap();
        match &row[questions::GUIDANCE.index as usize] {
            Data::String(s) => s.clone(),
            _ => String::new(),
        }
    };
    assert!(
        guidance("F-04").starts_with("Answer only if the stage is Deploy and F-03 is \u{201c}Yes\u{201d} or \u{201c}Not sure\u{201d}"),
        "{}",
        guidance("F-04")
    );
    assert!(
        guidance("L-02").contains("F-02 includes \u{201c}Images scraped from the internet\u{201d}")
    );
    assert!(guidance("L-01").ends_with("Choose Not sure if you do not know."));
    assert!(
        !guidance("F-01").contains("Answer only if"),
        "F-01 always applies"
    );
    let respondent_range = workbook.worksheet_range(respondent::NAME).unwrap();
    assert_eq!(
        respondent_range.get_value((respondent::SYSTEM.row, respondent::LABEL_COL.into())),
        Some(&Data::String("System".into()))
    );
    let xml = sheet_xml(&path, 4);
    // F-02 (and its four option rows), F-03, F-04, L-01, L-02 and S-02 can stop applying.
    assert_eq!(
        xml.matches("<conditionalFormatting").count(),
        6,
        "one greying per question that can stop applying"
    );
    assert!(
        xml.contains("<conditionalFormatting sqref=\"A3:E7\">"),
        "F-02's rows"
    );
    // A readiness or principles workbook has no system field.
    let (shipped_site, shipped_questionnaires) = shipped();
    let readiness = shipped_questionnaires
        .iter()
        .find(|q| q.kind != Kind::Risk)
        .expect("a shipped questionnaire that is not a risk assessment");
    let path = write(dir.path(), &shipped_site, readiness, None);
    let mut book = open_workbook_auto(&path).unwrap();
    let label = book
        .worksheet_range(respondent::NAME)
        .unwrap()
        .get_value((respondent::SYSTEM.row, respondent::LABEL_COL.into()))
        .cloned();
    assert!(matches!(label, None | Some(Data::Empty)), "{label:?}");
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
            (&site.manifest, &site.words),
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
