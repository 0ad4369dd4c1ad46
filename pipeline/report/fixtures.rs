//! Small hand-made questionnaires, responses and a manifest for the report tests, and a
//! snapshot check that compares JSON with a checked-in file under
//! `pipeline/report/snapshots/`.

use crate::answers::validate::Response;
use crate::content::manifest::Manifest;
use crate::questionnaire::{
    Choice, Condition, Dimension, DimensionRole, Flag, FlagGuidance, Kind, Level, Mitigation,
    Ownership, Question, QuestionType, Questionnaire, Rule,
};
use crate::report::ReportContext;
use crate::scoring::{
    Answer, QuestionScore, RaisedFlag, ScoreResult, ScoringInput, score_response,
};

/// An option worth `score` points, labelled with its value in capitals.
pub fn choice(value: &str, score: f64) -> Choice {
    Choice {
        value: value.into(),
        label: value.to_uppercase(),
        score,
        not_applicable: false,
    }
}

/// The "not applicable" option.
pub fn na() -> Choice {
    Choice {
        value: "na".into(),
        label: "Not applicable".into(),
        score: 0.0,
        not_applicable: true,
    }
}

/// Yes (2), partly (1), no (0), not applicable: options 0 to 3.
pub fn yes_partly_no() -> Vec<Choice> {
    vec![
        choice("yes", 2.0),
        choice("partly", 1.0),
        choice("no", 0.0),
        na(),
    ]
}

/// A required single-choice question with yes/partly/no/not applicable options.
pub fn question(id: &str, dimension: usize) -> Question {
    Question::new(id, dimension, QuestionType::Single, yes_partly_no())
}

/// An optional free-text question.
pub fn text_question(id: &str, dimension: usize) -> Question {
    Question {
        kind: QuestionType::Text,
        options: vec![],
        required: false,
        ..question(id, dimension)
    }
}

/// A dimension of weight 1.
pub fn dimension(id: &str, role: DimensionRole) -> Dimension {
    Dimension {
        id: id.into(),
        title: format!("Dimension {id}"),
        weight: 1.0,
        role,
        description: String::new(),
        links: vec![],
        mark: None,
        ownership: Default::default(),
    }
}

/// Four levels: LOW up to 25, MEDIUM up to 50, HIGH up to 75, VERY-HIGH up to 100.
pub fn levels() -> Vec<Level> {
    [
        ("low", 25.0),
        ("medium", 50.0),
        ("high", 75.0),
        ("very-high", 100.0),
    ]
    .iter()
    .map(|(id, up_to)| Level {
        id: (*id).into(),
        label: id.to_uppercase(),
        up_to: *up_to,
        description: format!("The {id} level."),
    })
    .collect()
}

/// A questionnaire of some kind from its dimensions and questions.
pub fn questionnaire(
    kind: Kind,
    dimensions: Vec<Dimension>,
    questions: Vec<Question>,
) -> Questionnaire {
    Questionnaire {
        id: "q".into(),
        version: "1.0".into(),
        title: "Test questionnaire".into(),
        kind,
        description: String::new(),
        instructions: String::new(),
        file: "q.toml".into(),
        checksum: String::new(),
        mitigation: None,
        levels: levels(),
        dimensions,
        questions,
        checks: Vec::new(),
        rules: vec![],
    }
}

/// A readiness questionnaire of `dimensions` dimensions with `per_dimension` questions
/// each, in dimension order (`d0q0`, `d0q1`, ..., `d1q0`, ...).
pub fn readiness(dimensions: usize, per_dimension: usize) -> Questionnaire {
    let dims = (0..dimensions)
        .map(|d| dimension(&format!("d{d}"), DimensionRole::Plain))
        .collect();
    let questions = (0..dimensions)
        .flat_map(|d| (0..per_dimension).map(move |i| question(&format!("d{d}q{i}"), d)))
        .collect();
    questionnaire(Kind::Readiness, dims, questions)
}

/// A risk questionnaire of risk dimensions with the given numbers of questions.
pub fn risk(sizes: &[usize]) -> Questionnaire {
    let dims = (0..sizes.len())
        .map(|d| dimension(&format!("d{d}"), DimensionRole::Risk))
        .collect();
    let questions = sizes
        .iter()
        .enumerate()
        .flat_map(|(d, &n)| (0..n).map(move |i| question(&format!("d{d}q{i}"), d)))
        .collect();
    questionnaire(Kind::Risk, dims, questions)
}

/// A risk questionnaire with one risk question, one mitigation question and the rule
/// "reduce by 15 % at 80 % mitigation".
pub fn risk_with_mitigation() -> Questionnaire {
    let mut q = questionnaire(
        Kind::Risk,
        vec![
            dimension("risk", DimensionRole::Risk),
            dimension("mitigation", DimensionRole::Mitigation),
        ],
        vec![question("r", 0), question("m", 1)],
    );
    q.mitigation = Some(Mitigation {
        threshold: 80.0,
        reduction: 15.0,
    });
    q
}

/// An answer choosing option `i`.
pub fn pick(i: usize) -> Option<Answer> {
    Some(Answer::Choices(vec![i]))
}

/// A question's points, answered.
pub fn points(achieved: f64, max: f64) -> QuestionScore {
    QuestionScore {
        achieved,
        max,
        answered: true,
        not_applicable: false,
    }
}

/// A raised flag with this id, not tied to a question.
pub fn raised(id: &str) -> RaisedFlag {
    RaisedFlag {
        id: id.into(),
        message: format!("Flag {id}."),
        question: None,
        rule: None,
        unknown: false,
        stop: false,
    }
}

/// Scores answers without a role or stage.
pub fn score_with(q: &Questionnaire, answers: &[Option<Answer>]) -> ScoreResult {
    score_response(
        q,
        &ScoringInput {
            role: None,
            stage: None,
            answers,
        },
    )
}

/// A response with these answers and role, in group "Group A".
pub fn response(answers: &[Option<Answer>], role: Option<&str>) -> Response {
    Response {
        origin: std::sync::Arc::new(crate::answers::Origin {
            file: "answers.csv".into(),
            stem: "answers".into(),
            layout: crate::answers::Layout::Csv { header: vec![] },
        }),
        row: 2,
        id: "r-01".into(),
        questionnaire: 0,
        respondent: "A. Respondent".into(),
        group: "Group A".into(),
        role: role.map(str::to_owned),
        stage: None,
        answers: answers.to_vec().into(),
        system: String::new(),
        language: None,
    }
}

/// A manifest with two roles and two stages.
pub fn manifest() -> Manifest {
    toml::from_str(
        r#"
id = "test-toolkit"
title = "Test toolkit"
edition = "2026.1"
date = "2026-01-15"
notice = "A test."
roles = [
  { id = "legal", label = "Legal advisors" },
  { id = "manager", label = "Managers" },
]
stages = [
  { id = "procure", label = "Procure" },
  { id = "deploy", label = "Deploy" },
]
"#,
    )
    .expect("the test manifest parses")
}

/// The report context of a run over `manifest`, with one document title.
pub fn context(manifest: &Manifest) -> ReportContext<'_> {
    ReportContext {
        document_titles: vec![("roadmap".into(), "The roadmap".into())],
        ..ReportContext::standalone(manifest, crate::date::Date::new(2026, 1, 15).unwrap())
    }
}

/// A report's data as pretty JSON without its fixed words (`templates/words.toml`,
/// tested on their own), as the snapshots keep it.
pub fn without_words(data: &impl serde::Serialize) -> String {
    let mut value = serde_json::to_value(data).expect("serialises");
    value.as_object_mut().expect("an object").remove("words");
    serde_json::to_string_pretty(&value).expect("serialises")
}

/// Fails, with the first differing line and its neighbours, unless `actual` equals the
/// snapshot `pipeline/report/snapshots/<name>`. With `UPDATE_SNAPSHOTS=1` set, writes
/// `actual` to the snapshot instead.
pub fn assert_snapshot(name: &str, actual: &str) {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("pipeline/report/snapshots")
        .join(name);
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        std::fs::write(&path, format!("{actual}\n")).expect("snapshot written");
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_default();
    let expected = expected.strip_suffix('\n').unwrap_or(&expected);
    if expected == actual {
        return;
    }
    let (old, new): (Vec<&str>, Vec<&str>) = (expected.lines().collect(), actual.lines().collect());
    let first = (0..old.len().max(new.len()))
        .find(|&i| old.get(i) != new.get(i))
        .unwrap_or(0);
    let mut report = String::new();
    for i in first.saturating_sub(3)..(first + 4).min(old.len().max(new.len())) {
        match (old.get(i), new.get(i)) {
            (Some(a), Some(b)) if a == b => report.push_str(&format!("  {:>4} {a}\n", i + 1)),
            (a, b) => {
                if let Some(a) = a {
                    report.push_str(&format!("- {:>4} {a}\n", i + 1));
                }
                if let Some(b) = b {
                    report.push_str(&format!("+ {:>4} {b}\n", i + 1));
                }
            }
        }
    }
    panic!(
        "the JSON differs from {} from line {} (- snapshot, + now):\n{report}\
         if the change is intended, rerun with UPDATE_SNAPSHOTS=1 and review the file's diff",
        path.display(),
        first + 1
    );
}

/// A readiness questionnaire of three dimensions for snapshots: a recommendation
/// template, links on a question and on a dimension, a flag that caps the level, a
/// question for legal advisors only, and a free-text question.
pub fn snapshot_questionnaire() -> Questionnaire {
    let mut q = readiness(3, 2);
    q.dimensions[1].links = vec!["roadmap#people-and-expertise".into()];
    q.questions[0].recommendation =
        Some("Work on {{dimension}}: you answered {{answer}} to {{question}}.".into());
    q.questions[0].links = vec!["roadmap".into(), "principles#fairness".into()];
    q.questions[2].recommendation = Some("Raise {{question}}.".into());
    q.questions[3].roles = vec!["legal".into()];
    q.questions[4].flags = vec![crate::questionnaire::Flag {
        id: "no-oversight".into(),
        message: "No human oversight.".into(),
        when: vec![2],
        min_level: None,
        max_level: Some(0),
        stop: false,
        guidance: Default::default(),
    }];
    q.questions.push(text_question("comment", 2));
    q
}

/// Answers to [`snapshot_questionnaire`]: partly, partly, no, (blank), no, yes, a comment.
pub fn snapshot_answers(comment: &str) -> Vec<Option<Answer>> {
    vec![
        pick(1),
        pick(1),
        pick(2),
        None,
        pick(2),
        pick(0),
        Some(Answer::Text(comment.into())),
    ]
}

/// A risk questionnaire of one dimension with five questions: question 0 raises
/// `watch` (floor: level 1) on "yes"; question 1 is a screening question raising
/// `ban` (stop) on "yes", and so does a rule when question 4 is "yes" (the rule
/// carries the guidance); questions 2 and 3 have recommendations, owned by the
/// dimension's owner.
pub fn risk_with_guidance() -> Questionnaire {
    let mut q = risk(&[5]);
    let guidance = |title: &str, must_do: &str, owner: &str| FlagGuidance {
        title: Some(title.into()),
        must_do: Some(must_do.into()),
        ownership: Ownership {
            owner: Some(owner.into()),
            by: Some("deploy".into()),
        },
    };
    let flag = |id: &str, stop: bool, floor: usize, g: FlagGuidance| Flag {
        id: id.into(),
        message: format!("{id} message"),
        when: vec![0],
        min_level: Some(floor),
        max_level: None,
        stop,
        guidance: g,
    };
    q.questions[0].flags = vec![flag(
        "watch",
        false,
        1,
        guidance("Watch", "Watch it.", "legal"),
    )];
    q.questions[1].flags = vec![flag("ban", true, 3, FlagGuidance::default())];
    q.questions[1].screening = true;
    q.rules = vec![Rule {
        id: "ban".into(),
        message: "from facts".into(),
        conditions: vec![Condition {
            question: 4,
            options: vec![0],
        }],
        min_level: Some(3),
        max_level: None,
        stop: true,
        guidance: guidance("Banned practice", "Drop the use.", "manager"),
        line: 1,
    }];
    for i in [2, 3] {
        q.questions[i].recommendation = Some(format!("Fix {}.", q.questions[i].id));
    }
    q.dimensions[0].ownership.owner = Some("manager".into());
    q
}
