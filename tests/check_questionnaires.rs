//! `toolkit check` on questionnaire definitions: the shipped ones pass, and a fixture of
//! broken ones (one file per rule of SPEC §4) fails with the file and line of each fault.

mod common;

use common::*;

// Each broken definition is reported at the line marked `# expect: <message>`.
#[test]
fn every_rule_is_reported_with_file_and_line() {
    let (dir, sources) = fixture_copy();
    let target = sources.join("questionnaires");
    std::fs::remove_dir_all(&target).unwrap();
    copy_dir(
        &root().join("tests/fixtures/broken-questionnaires"),
        &target,
    );
    let output = toolkit(
        &["check", "--sources", sources.to_str().unwrap()],
        dir.path(),
    );
    assert_eq!(output.status.code(), Some(2));
    let stdout = String::from_utf8_lossy(&output.stderr);
    let mut files: Vec<_> = std::fs::read_dir(&target)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    assert!(files.len() >= 16);
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        let (line, expected) = text
            .lines()
            .enumerate()
            .find_map(|(i, l)| l.split_once("# expect: ").map(|(_, e)| (i + 1, e.trim())))
            .unwrap_or_else(|| panic!("{} has no expect marker", file.display()));
        let prefix = format!("{}:{line}: ", file.display());
        assert!(
            stdout
                .lines()
                .any(|l| l.starts_with(&prefix) && l.contains(expected)),
            "expected {prefix}...{expected}\ngot:\n{stdout}"
        );
    }
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
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains("12 primers and 3 questionnaires checked"),
        "{stdout}"
    );
}
