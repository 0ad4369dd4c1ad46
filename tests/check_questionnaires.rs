//! `toolkit check` on questionnaire definitions: the shipped ones pass, and broken ones
//! (the fixture's valid risk questionnaire with one change per rule of SPEC §4) fail with
//! the file and line of each fault.

mod common;

use common::*;

/// One broken definition: the valid fixture with `find` replaced once by `replace`, or,
/// when `find` is empty, with `replace` appended. `replace` carries the marker of the
/// expected problem: `# expect: <message part>` on the line the problem names, or
/// `# expect (whole file): <message part>` for a problem reported without a line.
struct Broken {
    name: &'static str,
    find: &'static str,
    replace: &'static str,
}

/// Every rule, broken once.
const BROKEN: &[Broken] = &[
    Broken {
        name: "bad-toml",
        find: r#"title = "Fixture risk assessment""#,
        replace: r#"title = "Fixture risk assessment  # expect: invalid basic string"#,
    },
    Broken {
        name: "unknown-field",
        find: "required = false",
        replace: "requried = false  # expect: unknown field `requried`",
    },
    Broken {
        name: "duplicate-level",
        find: r#"id = "medium""#,
        replace: r#"id = "low"  # expect: duplicate level id "low""#,
    },
    Broken {
        name: "levels-out-of-order",
        find: "up_to = 75.0",
        replace: "up_to = 45.0  # expect: levels out of order",
    },
    Broken {
        name: "last-level-not-100",
        find: "up_to = 100.0",
        replace: "up_to = 99.0  # expect: the last level must have up_to = 100",
    },
    Broken {
        name: "duplicate-dimension",
        find: r#"id = "impact""#,
        replace: r#"id = "data"  # expect: duplicate dimension id "data""#,
    },
    Broken {
        name: "mitigation-without-rule",
        find: "[mitigation]\nthreshold = 80.0\nreduction = 15.0\n",
        replace: "# expect (whole file): mitigation dimensions need a [mitigation] section\n",
    },
    Broken {
        name: "duplicate-option",
        find: r#"{ value = "partly", label = "Partly", score = 1 },"#,
        replace: r#"{ value = "partly", label = "Yes", score = 1 },  # expect: "Yes" would match both option "yes" and option "partly""#,
    },
    Broken {
        name: "negative-score",
        find: r#"{ value = "records", label = "Police records", score = 1 },"#,
        replace: r#"{ value = "records", label = "Police records", score = -1 },  # expect: option "records" has score -1; scores must be 0 or more"#,
    },
    Broken {
        name: "scale-without-options",
        find: "",
        replace: "\n[scales.empty]\noptions = []  # expect (whole file): scale \"empty\": no options\n",
    },
    Broken {
        name: "duplicate-question",
        find: r#"id = "I-02""#,
        replace: r#"id = "I-01"  # expect: duplicate question id "I-01""#,
    },
    Broken {
        name: "unknown-dimension",
        find: "id = \"D-01\"\ndimension = \"data\"",
        replace: "id = \"D-01\"\ndimension = \"dat\"  # expect: question D-01: unknown dimension \"dat\"",
    },
    Broken {
        name: "unknown-scale",
        find: "scale = \"yes-partly-no\"\nroles",
        replace: "scale = \"yes-no\"  # expect: question I-01: unknown scale \"yes-no\"\nroles",
    },
    Broken {
        name: "unknown-role",
        find: r#"roles = ["legal"]"#,
        replace: r#"roles = ["chief"]  # expect: question I-01: unknown role "chief""#,
    },
    Broken {
        name: "unknown-stage",
        find: r#"stages = ["deploy"]"#,
        replace: r#"stages = ["monitor"]  # expect: question I-02: unknown stage "monitor""#,
    },
    Broken {
        name: "unknown-link",
        find: r#"links = ["alpha#first"]"#,
        replace: r#"links = ["alpha#nowhere"]  # expect: question D-01: no section #nowhere"#,
    },
    Broken {
        name: "flag-unknown-option",
        find: r#"when = ["yes"]"#,
        replace: r#"when = ["si"]  # expect: flag "biometric": unknown option "si""#,
    },
    Broken {
        name: "flag-unknown-level",
        find: r#"min_level = "high""#,
        replace: r#"min_level = "severe"  # expect: flag "biometric": unknown min_level "severe""#,
    },
    Broken {
        name: "check-unknown-question",
        find: "",
        replace: "\n[[checks]]\nid = \"c\"\nmessage = \"Check both.\"\nwhen = [{ question = \"D-99\", answer = [\"yes\"] }]  # expect: check \"c\": unknown question \"D-99\"\n",
    },
    Broken {
        name: "check-unknown-option",
        find: "",
        replace: "\n[[checks]]\nid = \"c\"\nmessage = \"Check both.\"\nwhen = [{ question = \"D-02\", answer = [\"radio\"] }]  # expect: check \"c\": unknown option \"radio\" of question D-02\n",
    },
    Broken {
        name: "flag-on-text-question",
        find: "",
        replace: "\n[[questions.flags]]\nwhen = [\"yes\"]  # expect: question S-02: a text question cannot raise flags\nid = \"other\"\nmessage = \"Text cannot raise this.\"\nmin_level = \"low\"\n",
    },
    Broken {
        name: "relevant-unknown-question",
        find: "id = \"I-02\"\ndimension = \"impact\"",
        replace: "id = \"I-02\"\nrelevant = [{ question = \"D-09\", answer = [\"yes\"] }]  # expect: question I-02 relevant: unknown question \"D-09\"\ndimension = \"impact\"",
    },
    Broken {
        name: "relevant-unknown-option",
        find: "id = \"I-02\"\ndimension = \"impact\"",
        replace: "id = \"I-02\"\nrelevant = [{ question = \"D-01\", answer = [\"maybe\"] }]  # expect: question I-02 relevant: unknown option \"maybe\" of question D-01\ndimension = \"impact\"",
    },
    Broken {
        name: "relevant-cycle",
        find: "",
        replace: "\n[[questions]]\nid = \"X-01\"\nrelevant = [{ question = \"X-02\", answer = [\"yes\"] }]  # expect: relevant conditions go round in a circle: X-01 -> X-02 -> X-01\ndimension = \"data\"\ntype = \"single\"\ntext = \"First?\"\nscale = \"yes-partly-no\"\n\n[[questions]]\nid = \"X-02\"\nrelevant = [{ question = \"X-01\", answer = [\"yes\"] }]\ndimension = \"data\"\ntype = \"single\"\ntext = \"Second?\"\nscale = \"yes-partly-no\"\n",
    },
    Broken {
        name: "screening-text-question",
        find: "type = \"text\"\ntext = \"Describe other safeguards.\"",
        replace: "type = \"text\"\nscreening = true  # expect: question S-02: a text question cannot be a screening question\ntext = \"Describe other safeguards.\"",
    },
    Broken {
        name: "rule-unknown-option",
        find: "",
        replace: "\n[[rules]]\nid = \"biometric\"\nmessage = \"From the facts.\"\nmin_level = \"high\"\nwhen = [{ question = \"D-02\", answer = [\"radio\"] }]  # expect: rule \"biometric\": unknown option \"radio\" of question D-02\n",
    },
    Broken {
        name: "rule-unknown-level",
        find: "",
        replace: "\n[[rules]]\nid = \"biometric\"\nmessage = \"From the facts.\"\nmin_level = \"severe\"  # expect: rule \"biometric\": unknown min_level \"severe\"\nwhen = [{ question = \"D-02\", answer = [\"cctv\"] }]\n",
    },
    Broken {
        name: "rule-without-bound-or-stop",
        find: "",
        replace: "\n[[rules]]  # expect: rule \"quiet\": give min_level, max_level or stop = true\nid = \"quiet\"\nmessage = \"From the facts.\"\nwhen = [{ question = \"D-02\", answer = [\"cctv\"] }]\n",
    },
    Broken {
        name: "rule-owner-unknown-role",
        find: "",
        replace: "\n[[rules]]\nid = \"biometric\"\nmessage = \"From the facts.\"\nmin_level = \"high\"\nwhen = [{ question = \"D-02\", answer = [\"cctv\"] }]\nmust_do = \"Check it.\"\nowner = \"chief\"  # expect: rule \"biometric\": unknown role \"chief\" in owner\n",
    },
    Broken {
        name: "flag-owner-without-must-do",
        find: "",
        replace: "\n[[rules]]\nid = \"biometric\"\nmessage = \"From the facts.\"\nmin_level = \"high\"\nwhen = [{ question = \"D-02\", answer = [\"cctv\"] }]\nby = \"deploy\"  # expect: rule \"biometric\": owner and by belong to a must_do\n",
    },
];

/// The valid definition every broken one starts from.
const VALID: &str = "tests/fixtures/toolkit/sources/questionnaires/risk.toml";

/// The broken definition of `case`, with its own id so that no two files clash.
fn broken_definition(valid: &str, case: &Broken) -> String {
    let text = valid.replacen("id = \"risk\"\n", &format!("id = \"{}\"\n", case.name), 1);
    if case.find.is_empty() {
        return text + case.replace;
    }
    assert_eq!(
        text.matches(case.find).count(),
        1,
        "{}: the text to find must occur once in {VALID}",
        case.name
    );
    text.replacen(case.find, case.replace, 1)
}

/// Where the broken definition's marker says its problem is reported: the start of the
/// output line (`file:line: ` or, for the whole file, `file: `) and a part of the message.
fn expected_problem(file: &str, text: &str) -> (String, String) {
    for (i, line) in text.lines().enumerate() {
        if let Some((_, message)) = line.split_once("# expect (whole file): ") {
            return (format!("{file}: "), message.trim().to_owned());
        }
        if let Some((_, message)) = line.split_once("# expect: ") {
            return (format!("{file}:{}: ", i + 1), message.trim().to_owned());
        }
    }
    panic!("{file} has no expect marker");
}

// Each broken definition is reported at the place its marker names, and the unchanged
// definition beside them is not reported at all.
#[test]
fn every_rule_is_reported_with_file_and_line() {
    let (dir, sources) = fixture_copy();
    let target = sources.join("questionnaires");
    std::fs::remove_dir_all(&target).unwrap();
    std::fs::create_dir(&target).unwrap();
    let valid = std::fs::read_to_string(root().join(VALID)).unwrap();
    std::fs::write(target.join("valid.toml"), &valid).unwrap();
    let mut expected = Vec::new();
    for case in BROKEN {
        let text = broken_definition(&valid, case);
        let file = target.join(format!("{}.toml", case.name));
        std::fs::write(&file, &text).unwrap();
        expected.push(expected_problem(&file.display().to_string(), &text));
    }

    let output = toolkit(
        &["check", "--sources", sources.to_str().unwrap()],
        dir.path(),
    );
    assert_eq!(output.status.code(), Some(2));
    // Problems are printed on standard error.
    let stdout = String::from_utf8_lossy(&output.stderr);
    let missing: Vec<String> = expected
        .iter()
        .filter(|(prefix, message)| {
            !stdout
                .lines()
                .any(|l| l.starts_with(prefix) && l.contains(message))
        })
        .map(|(prefix, message)| format!("{prefix}...{message}"))
        .collect();
    assert!(
        missing.is_empty(),
        "not reported:\n{}\ngot:\n{stdout}",
        missing.join("\n")
    );
    let valid_file = target.join("valid.toml").display().to_string();
    assert!(
        !stdout.contains(&valid_file),
        "the unchanged definition was reported:\n{stdout}"
    );
}

// The questionnaires shipped in sources/ pass every check.
#[test]
fn shipped_definitions_pass() {
    let output = toolkit(&["check"], &root());
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stdout)
    );
    // One primer per role and stage, and every definition file, were checked.
    let sources = toolkit::project::Sources::load(&root().join("sources")).unwrap();
    let manifest = &sources.site.manifest;
    let primers = manifest.role_ids().count() * manifest.stage_ids().count();
    let count_toml = |folder: &str| {
        std::fs::read_dir(root().join(folder))
            .unwrap()
            .filter(|e| {
                e.as_ref()
                    .unwrap()
                    .path()
                    .extension()
                    .is_some_and(|x| x == "toml")
            })
            .count()
    };
    let definitions = count_toml("sources/questionnaires");
    let templates = count_toml("sources/templates");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains(&format!(
            "{primers} primers, {definitions} questionnaires and {templates} working templates checked"
        )),
        "{stdout}"
    );
}
