//! The web edition's scorer (`assets/scoring.js`, run under node on the questionnaire data
//! the build embeds in each page) gives every figure Rust's `score_response` gives, on
//! hundreds of generated answer sets per questionnaire: blanks, not-applicable answers,
//! capped multiple choices, raised flags, mitigation, every role and stage; and method 2:
//! which questions apply (role, stage and relevance), unknown screening answers, rules,
//! flags raised once per id with their `stop`, contradictions and the verdict. Besides the
//! shipped questionnaires, it scores the method 2 fixture (tests/fixtures/method-2), so
//! method 2 is covered whatever the shipped content uses. The reference cases
//! (`sources/reference-cases`) get the verdict and flags their authors expect on the page.

mod common;

use std::collections::BTreeMap;
use std::process::Command;

use common::reference;
use serde_json::{Value, json};
use toolkit::questionnaire::{QuestionType, Questionnaire};
use toolkit::scoring::{
    Answer, ScoreResult, ScoringInput, consistency_warnings, format_percent, score_response,
};
use toolkit::site::questionnaire::result_values;

/// Answer sets per questionnaire.
const CASES: usize = 400;

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

/// One generated response: role, stage and answers, as Rust takes them.
struct Case {
    role: Option<String>,
    stage: Option<String>,
    answers: Vec<Option<Answer>>,
}

fn pick(random: &mut Random, ids: &[String]) -> Option<String> {
    (!random.chance(30)).then(|| ids[random.below(ids.len())].clone())
}

fn answer(
    random: &mut Random,
    q: &toolkit::questionnaire::Question,
    style: usize,
) -> Option<Answer> {
    let blank_percent = [20, 0, 60, 5][style];
    if random.chance(blank_percent) {
        return None;
    }
    let na = q.options.iter().position(|o| o.not_applicable);
    match q.kind {
        QuestionType::Text => Some(Answer::Text(
            ["", "  ", "A comment; with, commas"][random.below(3)].into(),
        )),
        QuestionType::Single => {
            let best = style == 1;
            let choice = match (na, random.chance(10)) {
                (Some(na), true) => na,
                _ if best => random.below(q.options.len()),
                _ => random.below(q.options.len()),
            };
            Some(Answer::Choices(vec![choice]))
        }
        QuestionType::Multiple => {
            if let (Some(na), true) = (na, random.chance(10)) {
                return Some(Answer::Choices(vec![na]));
            }
            let all = style == 1 || random.chance(15);
            let chosen: Vec<usize> = (0..q.options.len())
                .filter(|&i| Some(i) != na && (all || random.chance(40)))
                .collect();
            Some(Answer::Choices(chosen))
        }
    }
}

fn generate(q: &Questionnaire, roles: &[String], stages: &[String], seed: u64) -> Vec<Case> {
    let mut random = Random(seed);
    (0..CASES)
        .map(|n| {
            let style = n % 4;
            Case {
                role: pick(&mut random, roles),
                stage: pick(&mut random, stages),
                answers: q
                    .questions
                    .iter()
                    .map(|question| answer(&mut random, question, style))
                    .collect(),
            }
        })
        .collect()
}

fn case_json(case: &Case) -> Value {
    let answers: Vec<Value> = case
        .answers
        .iter()
        .map(|a| match a {
            None => Value::Null,
            Some(Answer::Choices(c)) => json!({ "choices": c }),
            Some(Answer::Text(t)) => json!({ "text": t }),
        })
        .collect();
    json!({ "role": case.role, "stage": case.stage, "answers": answers })
}

/// Every figure of a result as text: numbers in Rust's shortest round-trip form; flags as
/// `id@question/rule`, `?` when raised by an unknown screening answer and `!` when they
/// stop; contradictions as `rule id/question id`; the applicable questions as 0s and 1s.
fn rust_figures(q: &Questionnaire, r: &ScoreResult) -> BTreeMap<String, String> {
    let num = |v: Option<f64>| v.map_or("null".to_owned(), |v| format!("{v:?}"));
    let mut out: BTreeMap<String, String> = result_values(q, r)
        .into_iter()
        .map(|(k, v)| (format!("value {k}"), v))
        .collect();
    out.insert("score".into(), num(r.score));
    out.insert("risk".into(), num(r.risk));
    out.insert("mitigation".into(), num(r.mitigation));
    out.insert("completion".into(), num(Some(r.completion)));
    out.insert("level".into(), format!("{:?}", r.level));
    out.insert(
        "level_before_flags".into(),
        format!("{:?}", r.level_before_flags),
    );
    let flags: Vec<String> = r
        .flags
        .iter()
        .map(|f| {
            format!(
                "{}@{:?}/{:?}{}{}",
                f.id,
                f.question,
                f.rule,
                if f.unknown { "?" } else { "" },
                if f.stop { "!" } else { "" }
            )
        })
        .collect();
    out.insert("flags".into(), flags.join(","));
    out.insert(
        "verdict".into(),
        r.verdict.map_or("none", |v| v.id()).to_owned(),
    );
    out.insert("unknowns".into(), format!("{:?}", r.unknowns));
    let contradictions: Vec<String> = r
        .contradictions
        .iter()
        .map(|c| format!("{}/{}", q.rules[c.rule].id, q.questions[c.question].id))
        .collect();
    out.insert("contradictions".into(), contradictions.join(","));
    let mask: String = r
        .applicable_questions
        .iter()
        .map(|&a| if a { '1' } else { '0' })
        .collect();
    out.insert("applicable_questions".into(), mask);
    out.insert("answered".into(), r.answered.to_string());
    out.insert("applicable".into(), r.applicable.to_string());
    out.insert("unanswered".into(), format!("{:?}", r.unanswered));
    for (d, s) in q.dimensions.iter().zip(&r.dimensions) {
        out.insert(format!("dim {} achieved", d.id), num(Some(s.achieved)));
        out.insert(format!("dim {} max", d.id), num(Some(s.max)));
        out.insert(format!("dim {} percent", d.id), num(s.percent));
    }
    out
}

/// Runs tests/site/score-check.mjs on the site under `dir` and returns what it prints.
fn run_node(dir: &std::path::Path, request: &Value) -> Value {
    let request_path = dir.join("request.json");
    std::fs::write(&request_path, request.to_string()).unwrap();
    let output = Command::new("node")
        .arg(common::root().join("tests/site/score-check.mjs"))
        .arg(dir.join("site"))
        .arg(&request_path)
        .output()
        .expect("node runs");
    assert!(
        output.status.success(),
        "node failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("node prints JSON")
}

/// Percents worth formatting: every eighth up to 100 (exact ties among them) and the
/// fractions a few answers make.
fn tricky_percents() -> Vec<f64> {
    (0..=800)
        .map(|k| k as f64 / 8.0)
        .chain((1..60).flat_map(|b| (0..=b).map(move |a| 100.0 * a as f64 / b as f64)))
        .collect()
}

/// What the method 2 cases of a questionnaire reached, so the comparison is known to have
/// covered each part of it.
#[derive(Debug, Default)]
struct Coverage {
    hidden_by_relevance: usize,
    unknowns: usize,
    contradictions: usize,
    stops: usize,
    raised_twice: usize,
    verdicts: BTreeMap<&'static str, usize>,
}

impl Coverage {
    fn add(&mut self, q: &Questionnaire, case: &Case, r: &ScoreResult) {
        let by_role_and_stage =
            |i: usize| q.questions[i].applies_to(case.role.as_deref(), case.stage.as_deref());
        self.hidden_by_relevance += (0..q.questions.len())
            .filter(|&i| by_role_and_stage(i) && !r.applicable_questions[i])
            .count();
        self.unknowns += r.unknowns.len();
        self.contradictions += r.contradictions.len();
        self.stops += r.flags.iter().filter(|f| f.stop).count();
        // A rule whose flag a question raised too: listed once.
        self.raised_twice += r
            .flags
            .iter()
            .filter(|f| f.question.is_some())
            .filter(|f| {
                q.rules.iter().any(|rule| {
                    rule.id == f.id
                        && toolkit::scoring::condition_holds(
                            &rule.conditions,
                            &case.answers,
                            &r.applicable_questions,
                        )
                })
            })
            .count();
        if let Some(v) = r.verdict {
            *self.verdicts.entry(v.id()).or_default() += 1;
        }
    }

    fn assert_covers_method_two(&self, slug: &str) {
        assert!(
            self.hidden_by_relevance > 0
                && self.unknowns > 0
                && self.contradictions > 0
                && self.stops > 0
                && self.raised_twice > 0
                && self.verdicts.len() == 3,
            "{slug}: the generated answers do not reach every part of method 2: {self:?}"
        );
    }
}

/// The questionnaires to compare: the shipped ones and the method 2 fixtures, with the
/// site they are built in.
fn questionnaires_to_compare() -> (toolkit::content::Site, Vec<Questionnaire>) {
    let (site, mut questionnaires) = common::shipped();
    let fixtures = common::method_two_fixtures(&site);
    for fixture in &fixtures {
        assert!(
            !questionnaires.iter().any(|q| q.slug() == fixture.slug()),
            "the fixture {} has the id and version of a shipped questionnaire",
            fixture.slug()
        );
    }
    questionnaires.extend(fixtures);
    (site, questionnaires)
}

// The page's scorer equals Rust's score_response figure for figure, method 2 included, and
// formats percents as summary.csv does (ties to even included).
#[test]
fn javascript_scorer_equals_rust_scorer() {
    if !common::have("node", "the page's scorer runs under node") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let (site, questionnaires) = questionnaires_to_compare();
    common::write_site_of(dir.path(), &site, &questionnaires);
    let roles: Vec<String> = site.manifest.role_ids().map(str::to_owned).collect();
    let stages: Vec<String> = site.manifest.stage_ids().map(str::to_owned).collect();
    let mut input = Vec::new();
    let mut expected = Vec::new();
    let mut method_two = 0;
    for (n, q) in questionnaires.iter().enumerate() {
        let cases = generate(q, &roles, &stages, 0x9E37_79B9_7F4A_7C15 ^ n as u64);
        let mut coverage = Coverage::default();
        let figures: Vec<_> = cases
            .iter()
            .map(|c| {
                let input = ScoringInput {
                    role: c.role.as_deref(),
                    stage: c.stage.as_deref(),
                    answers: &c.answers,
                };
                let result = score_response(q, &input);
                coverage.add(q, c, &result);
                let mut figures = rust_figures(q, &result);
                let warnings: Vec<&str> = consistency_warnings(q, &c.answers)
                    .into_iter()
                    .map(|i| q.checks[i].id.as_str())
                    .collect();
                figures.insert("warnings".into(), warnings.join(","));
                figures
            })
            .collect();
        // The fixture's generated answers reach every part of method 2; a shipped
        // definition's reach what its content allows (printed).
        let uses_method_two = !q.rules.is_empty()
            && q.questions.iter().any(|x| x.screening)
            && q.questions.iter().any(|x| !x.relevant.is_empty());
        if uses_method_two {
            if std::path::Path::new(&q.file).starts_with(common::method_two_dir()) {
                coverage.assert_covers_method_two(&q.slug());
            }
            eprintln!("{}: method 2 reached {coverage:?}", q.slug());
            method_two += 1;
        }
        input.push(json!({ "page": format!("questionnaires/{}.html", q.slug()), "cases": cases.iter().map(case_json).collect::<Vec<_>>() }));
        expected.push((q.slug(), figures));
    }
    assert!(
        method_two > 0,
        "no questionnaire that uses method 2 was compared"
    );
    let numbers = tricky_percents();
    let request = json!({ "questionnaires": input, "numbers": numbers.iter().map(|v| format!("{v:?}")).collect::<Vec<_>>() });
    let answer = run_node(dir.path(), &request);
    let mut compared = 0;
    for ((slug, rust), js) in expected
        .iter()
        .zip(answer["questionnaires"].as_array().unwrap())
    {
        let js: Vec<BTreeMap<String, String>> = serde_json::from_value(js.clone()).unwrap();
        assert_eq!(rust.len(), js.len());
        for (i, (r, j)) in rust.iter().zip(&js).enumerate() {
            assert_eq!(
                r, j,
                "{slug}, case {i}: Rust (left) and the page's scorer (right) differ"
            );
            compared += r.len();
        }
    }
    let formatted: Vec<String> = serde_json::from_value(answer["numbers"].clone()).unwrap();
    for (v, js) in numbers.iter().zip(&formatted) {
        assert_eq!(&format_percent(*v), js, "formatting {v:?}");
    }
    let sets = questionnaires.len() * CASES;
    assert!(compared > sets * 10, "compared only {compared} figures");
    eprintln!(
        "compared {compared} figures of {sets} answer sets ({method_two} questionnaires use method 2) and {} formatted percents",
        numbers.len()
    );
}

// Every reference case, in every variant, scored by the page's scorer on the questionnaire
// data its page embeds, shows the verdict and exactly the flags the case expects (besides
// `incomplete`) in the page's live results, and every other figure Rust gives.
#[test]
fn javascript_scorer_gives_the_reference_verdicts() {
    if !common::have("node", "the page's scorer runs under node") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let (site, questionnaires) = common::shipped();
    common::write_site_of(dir.path(), &site, &questionnaires);
    let files = reference::load_all(&common::root().join("sources"));
    let mut input = Vec::new();
    let mut expected = Vec::new();
    for cases in &files {
        let q = reference::questionnaire_of(cases, &questionnaires);
        let mut sets = Vec::new();
        for case in &cases.cases {
            for variant in &case.variants {
                let answers = reference::answers_of(q, case, variant);
                let mut figures = rust_figures(q, &reference::score(q, &answers));
                let warnings: Vec<&str> = consistency_warnings(q, &answers)
                    .into_iter()
                    .map(|i| q.checks[i].id.as_str())
                    .collect();
                figures.insert("warnings".into(), warnings.join(","));
                expected.push((format!("{} ({variant})", case.id), case, figures));
                sets.push(case_json(&Case {
                    role: None,
                    stage: None,
                    answers,
                }));
            }
        }
        input.push(json!({ "page": format!("questionnaires/{}.html", q.slug()), "cases": sets }));
    }
    let answer = run_node(
        dir.path(),
        &json!({ "questionnaires": input, "numbers": [] }),
    );
    let js: Vec<BTreeMap<String, String>> = answer["questionnaires"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|sets| {
            serde_json::from_value::<Vec<BTreeMap<String, String>>>(sets.clone()).unwrap()
        })
        .collect();
    assert_eq!(js.len(), expected.len());
    let mut failures = Vec::new();
    for ((name, case, _), j) in expected.iter().zip(&js) {
        let flags = reference::flags_without_incomplete(
            j["value flags"].split(' ').filter(|f| !f.is_empty()),
        );
        if j["value verdict"] != case.expected_verdict || flags != case.expected() {
            failures.push(format!(
                "{name}: the page shows {:?}, flags {flags:?}; expected {:?}, {:?}",
                j["value verdict"],
                case.expected_verdict,
                case.expected()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    for ((name, _, rust), j) in expected.iter().zip(&js) {
        assert_eq!(
            rust, j,
            "{name}: Rust (left) and the page's scorer (right) differ"
        );
    }
    eprintln!("{} reference answer sets scored by the page", js.len());
}
