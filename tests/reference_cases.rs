//! The reference cases of the risk assessment (`sources/reference-cases/*.toml`): common
//! police uses of AI answered as a non-lawyer would, with the legal screening questions
//! left blank and answered "no", each scored by the published method and compared with
//! the verdict and flags the toolkit's authors expect.

mod common;

use std::collections::BTreeSet;

use common::reference::{answers_of, flags_without_incomplete, load_all, questionnaire_of, score};
use common::*;
use toolkit::project::Sources;

// Every reference case, in every variant, gets the verdict and exactly the flags its
// authors expect; together they cover every verdict.
#[test]
fn reference_cases_get_the_expected_verdicts() {
    let sources = root().join("sources");
    let loaded = Sources::load(&sources).expect("the shipped sources load");
    let files = load_all(&sources);
    assert!(!files.is_empty());
    let mut verdicts = BTreeSet::new();
    let mut failures = Vec::new();
    for cases in &files {
        let q = questionnaire_of(cases, &loaded.questionnaires);
        assert!(cases.cases.len() >= 12, "at least 12 reference cases");
        for case in &cases.cases {
            assert!(!case.title.is_empty() && !case.system.is_empty() && !case.why.is_empty());
            for variant in &case.variants {
                let result = score(q, &answers_of(q, case, variant));
                let verdict = result.verdict.map(|v| v.id()).unwrap_or("");
                let flags = flags_without_incomplete(result.flags.iter().map(|f| f.id.as_str()));
                let expected = case.expected();
                if verdict != case.expected_verdict || flags != expected {
                    failures.push(format!(
                        "{} ({variant}): verdict {verdict}, flags {flags:?}; expected {}, {expected:?}",
                        case.id, case.expected_verdict
                    ));
                }
                verdicts.insert(verdict.to_owned());
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert_eq!(
        verdicts,
        BTreeSet::from([
            "do-not-proceed".to_owned(),
            "proceed".to_owned(),
            "proceed-with-conditions".to_owned()
        ]),
        "the cases cover every verdict"
    );
}
