//! What a scoring run does with what it finds under an answers folder, and with the text
//! inside: every file is read, listed in `errors.csv` with why, or noted as skipped on
//! purpose; this tool's own outputs and blank workbooks are never scored; names compare
//! in NFC and never hide a character; control characters are refused at their cell.

mod common;

use std::path::Path;
use std::process::{Command, Output};

use common::*;

/// Runs `toolkit score` on the fixture sources.
fn score(paths: &[&Path], out: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_toolkit"))
        .arg("score")
        .args(paths)
        .args(["--sources", fixture_sources().to_str().unwrap()])
        .args(["--out", out.to_str().unwrap()])
        .current_dir(root())
        .env_remove("SOURCE_DATE_EPOCH")
        .env_remove("TOOLKIT_TEST_PANIC")
        .output()
        .unwrap()
}

/// Reads a CSV this tool wrote (UTF-8 with BOM), header included.
fn read_csv(path: &Path) -> Vec<Vec<String>> {
    let text = std::fs::read_to_string(path).unwrap();
    let text = text.trim_start_matches('\u{feff}');
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.as_bytes())
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect()
}

/// Writes a wide CSV of the fixture's risk questionnaire: a header, then rows of
/// (response id, group, D-01 answer, S-02 comment).
fn answers_csv(path: &Path, rows: &[(&str, &str, &str, &str)]) {
    let mut text = String::from("questionnaire,version,response_id,group,D-01,S-02\n");
    for (id, group, answer, comment) in rows {
        text.push_str(&format!(
            "risk,1.0.0,\"{id}\",\"{group}\",\"{answer}\",\"{comment}\"\n"
        ));
    }
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// The `errors.csv` reason of the file whose path ends with `name`.
fn reason_of(errors: &[Vec<String>], name: &str) -> String {
    errors
        .iter()
        .find(|r| r[0].ends_with(name))
        .map(|r| r[6].clone())
        .unwrap_or_else(|| panic!("no errors.csv row for {name}: {errors:?}"))
}

// Every file under an answers folder is either read, or listed in errors.csv with why
// and what to do (old and macro-enabled Excel, Numbers, text, PDF, Word), or skipped
// with a note (lock files, macOS and Windows system files, hidden files and folders).
#[test]
fn every_file_under_a_folder_is_read_listed_or_noted() {
    let dir = tempfile::tempdir().unwrap();
    let answers = dir.path().join("answers");
    answers_csv(
        &answers.join("agency/workshop.csv"),
        &[("w-1", "A", "yes", "")],
    );
    for name in [
        "agency/old.xls",
        "agency/macros.xlsm",
        "agency/binary.xlsb",
        "agency/from-a-mac.numbers",
        "agency/export.tsv",
        "agency/notes.txt",
        "agency/printed.pdf",
        "agency/minutes.docx",
        "agency/.DS_Store",
        "agency/Thumbs.db",
        "agency/desktop.ini",
        "agency/~$workshop.xlsx",
        "agency/._workshop.csv",
        ".git/objects/answers.csv",
        "agency/.hidden.csv",
    ] {
        let path = answers.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, b"not answers").unwrap();
    }
    let out = dir.path().join("out");
    let output = score(&[&answers], &out);
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    let errors = read_csv(&out.join("errors.csv"));
    assert_eq!(
        reason_of(&errors, "old.xls"),
        "an Excel 97-2003 workbook (.xls); open it and save it as .xlsx (answers are read from .csv (UTF-8, UTF-16 or Windows-1252 text), .xlsx and .ods files)"
    );
    assert!(reason_of(&errors, "macros.xlsm").contains("macro-enabled"));
    assert!(reason_of(&errors, "binary.xlsb").contains("save it as .xlsx"));
    assert!(reason_of(&errors, "from-a-mac.numbers").contains("export it as Excel"));
    assert!(reason_of(&errors, "export.tsv").contains("rename it"));
    assert!(reason_of(&errors, "notes.txt").contains("rename it to .csv"));
    assert!(reason_of(&errors, "printed.pdf").starts_with("a PDF, not an answer file"));
    assert!(reason_of(&errors, "minutes.docx").starts_with("a text document"));
    assert_eq!(errors.len(), 1 + 8, "{errors:?}");
    assert!(errors[1..].iter().all(|r| r[1] == "file"));

    let notes = stderr(&output);
    for (name, why) in [
        (".DS_Store", "macOS folder settings"),
        ("Thumbs.db", "thumbnail cache"),
        ("desktop.ini", "Windows folder settings"),
        ("~$workshop.xlsx", "lock file"),
        ("._workshop.csv", "macOS companion"),
        (".git", "a hidden folder"),
        (".hidden.csv", "a hidden file"),
    ] {
        assert!(
            notes
                .lines()
                .any(|l| l.starts_with("note: skipped") && l.contains(name) && l.contains(why)),
            "no note for {name}: {notes}"
        );
    }
    let summary = read_csv(&out.join("summary.csv"));
    assert_eq!(summary.len(), 2, "the workshop still scores");
}

// This tool's outputs under an answers folder are never scored: a reports folder (by
// its record, whatever its name) is skipped with one note, and a summary.xlsx or
// summary.csv copied elsewhere is recognised by its header; no errors, same scores.
#[test]
fn own_outputs_are_skipped_by_their_record_and_header() {
    let dir = tempfile::tempdir().unwrap();
    let answers = dir.path().join("answers");
    answers_csv(
        &answers.join("workshop.csv"),
        &[("w-1", "A", "yes", ""), ("w-2", "A", "no", "")],
    );
    let first = dir.path().join("first");
    assert_eq!(score(&[&answers], &first).status.code(), Some(0));
    let kept = answers.join("last year's results");
    copy_dir(&first, &kept);
    std::fs::copy(
        first.join("summary.xlsx"),
        answers.join("copy of results.xlsx"),
    )
    .unwrap();
    std::fs::create_dir_all(answers.join("shared")).unwrap();
    std::fs::copy(
        first.join("summary.csv"),
        answers.join("shared/results.csv"),
    )
    .unwrap();

    let out = dir.path().join("second");
    let output = score(&[&answers], &out);
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let notes = stderr(&output);
    let noted = |name: &str, why: &str| {
        notes
            .lines()
            .filter(|l| l.starts_with("note: skipped") && l.contains(name) && l.contains(why))
            .count()
    };
    assert_eq!(
        noted(
            "last year's results",
            "output folder of this tool (toolkit reports)"
        ),
        1,
        "{notes}"
    );
    assert_eq!(noted("copy of results.xlsx", "summary table"), 1, "{notes}");
    assert_eq!(noted("results.csv", "summary.csv"), 1, "{notes}");
    assert_eq!(read_csv(&out.join("errors.csv")).len(), 1, "no errors");
    assert_eq!(
        read_csv(&out.join("summary.csv")),
        read_csv(&first.join("summary.csv"))
    );
    assert!(stdout(&output).starts_with("1 files, 2 responses: 2 scored"));
}

// `toolkit build --out X` then `toolkit score X` scores nothing from X and says why;
// the blank workbooks and CSV template of its questionnaires folder are noted as
// unfilled (counted, not errors), and only the printable PDF beside them is refused.
#[test]
fn a_build_output_scores_nothing_and_says_why() {
    let dir = tempfile::tempdir().unwrap();
    let build = dir.path().join("toolkit");
    let no_answers = dir.path().join("no-answers");
    let built = toolkit(
        &[
            "build",
            "--answers",
            no_answers.to_str().unwrap(),
            "--sources",
            fixture_sources().to_str().unwrap(),
            "--templates",
            templates().to_str().unwrap(),
            "--out",
            build.to_str().unwrap(),
        ],
        &root(),
    );
    assert!(built.status.success(), "{}", stderr(&built));

    let out = dir.path().join("scored");
    let output = score(&[&build], &out);
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    let notes = stderr(&output);
    assert!(
        notes.contains("note: skipped")
            && notes.contains("an output folder of this tool (a toolkit build)"),
        "{notes}"
    );
    let errors = read_csv(&out.join("errors.csv"));
    assert_eq!(errors.len(), 2, "{errors:?}");
    assert_eq!(errors[1][1], "folder");
    assert!(errors[1][6].contains("never read as answers"), "{errors:?}");
    assert_eq!(
        read_csv(&out.join("summary.csv")).len(),
        1,
        "nothing scored"
    );

    let blanks = build.join("questionnaires");
    let out = dir.path().join("blanks");
    let output = score(&[&blanks], &out);
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    let notes = stderr(&output);
    let unfilled: Vec<&str> = notes
        .lines()
        .filter(|l| l.ends_with("is unfilled: no answers; not scored"))
        .collect();
    // The blank CSV template, the workbook and one workbook per role and stage.
    assert_eq!(unfilled.len(), 6, "{notes}");
    assert!(
        stdout(&output).contains("0 scored, 0 rejected, 6 unfilled; 0 reports"),
        "{}",
        stdout(&output)
    );
    let errors = read_csv(&out.join("errors.csv"));
    assert_eq!(errors.len(), 2, "{errors:?}");
    assert!(errors[1][0].ends_with("risk-1.0.0.pdf") && errors[1][6].starts_with("a PDF"));
}

// Response ids, groups and options compare in NFC: an accent typed as one character or
// as a letter and a combining mark is the same id (a duplicate), the same group (one
// group report) and the same option.
#[test]
fn ids_groups_and_options_compare_in_nfc() {
    let dir = tempfile::tempdir().unwrap();
    let answers = dir.path().join("answers.csv");
    answers_csv(
        &answers,
        &[
            ("r-\u{e9}", "Gen\u{e8}ve", "yes", ""),
            ("r-e\u{301}", "Gene\u{300}ve", "no", ""),
            ("r-2", "Gene\u{300}ve", "Partly", ""),
        ],
    );
    let out = dir.path().join("out");
    let output = score(&[&answers], &out);
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    let errors = read_csv(&out.join("errors.csv"));
    assert_eq!(errors.len(), 2, "{errors:?}");
    assert_eq!(
        (
            errors[1][1].as_str(),
            errors[1][2].as_str(),
            errors[1][6].as_str()
        ),
        ("row 3", "r-\u{e9}", "duplicate response_id")
    );
    let summary = read_csv(&out.join("summary.csv"));
    let groups: Vec<&str> = summary[1..].iter().map(|r| r[4].as_str()).collect();
    assert_eq!(groups, ["Gen\u{e8}ve", "Gen\u{e8}ve"]);
    let group_reports = std::fs::read_dir(out.join("groups/risk-1.0.0"))
        .unwrap()
        .count();
    assert_eq!(group_reports, 1);
}

// An id, group or respondent with invisible or bidirectional characters prints them as
// [U+XXXX] in summary.csv, summary.xlsx, errors.csv and the report, and never in a file
// name; in a comment only the controls that reorder text are shown.
#[test]
fn hidden_characters_print_visibly_everywhere() {
    let dir = tempfile::tempdir().unwrap();
    let answers = dir.path().join("answers.csv");
    answers_csv(
        &answers,
        &[
            (
                "invoice\u{202E}fdp.exe",
                "Agency\u{200B} A",
                "yes",
                "see \u{2067}this\u{2069}",
            ),
            ("invoice\u{202E}fdp.exe", "Agency A", "no", ""),
        ],
    );
    let out = dir.path().join("out");
    let output = score(&[&answers], &out);
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    let shown = "invoice[U+202E]fdp.exe";
    let summary = read_csv(&out.join("summary.csv"));
    assert_eq!(
        (summary[1][1].as_str(), summary[1][4].as_str()),
        (shown, "Agency[U+200B] A")
    );
    let errors = read_csv(&out.join("errors.csv"));
    assert_eq!(
        (errors[1][2].as_str(), errors[1][4].as_str()),
        (shown, shown)
    );

    use calamine::Reader;
    let mut workbook: calamine::Xlsx<_> =
        calamine::open_workbook(out.join("summary.xlsx")).unwrap();
    let sheet = workbook.worksheet_range("Summary").unwrap();
    assert_eq!(sheet.get_value((1, 1)).unwrap().to_string(), shown);

    let mut names = Vec::new();
    let mut stack = vec![out.clone()];
    while let Some(folder) = stack.pop() {
        for entry in std::fs::read_dir(folder).unwrap() {
            let path = entry.unwrap().path();
            names.push(path.file_name().unwrap().to_string_lossy().into_owned());
            if path.is_dir() {
                stack.push(path);
            }
        }
    }
    assert!(names.iter().all(|n| n.is_ascii()), "{names:?}");

    if !have("pdftotext", POPPLER) {
        return;
    }
    let report = std::fs::read_dir(out.join("responses/risk-1.0.0"))
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let text = run_tool("pdftotext", &[report.to_str().unwrap(), "-"]);
    let text = squash(&text);
    assert!(text.contains(shown), "{text}");
    assert!(text.contains("[U+2067]this[U+2069]"), "{text}");
    assert!(!text.contains('\u{202E}'), "{text}");
}

// A control character in a CSV cell or a workbook cell is refused in errors.csv with the
// file, the row or cell, the column and the response id; every report is still made.
#[test]
fn control_characters_are_refused_with_file_row_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let answers = dir.path().join("answers");
    answers_csv(
        &answers.join("workshop.csv"),
        &[
            ("w-1", "A", "yes", "rings a bell\u{7}"),
            ("w-2", "A", "no", "fine"),
        ],
    );
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name("Responses").unwrap();
    for (col, title) in ["questionnaire", "version", "response_id", "group", "D-01"]
        .iter()
        .enumerate()
    {
        sheet.write_string(0, col as u16, *title).unwrap();
    }
    for (col, value) in ["risk", "1.0.0", "x-1", "Agency\u{1b}[31m", "yes"]
        .iter()
        .enumerate()
    {
        sheet.write_string(1, col as u16, *value).unwrap();
    }
    workbook.save(answers.join("sheet.xlsx")).unwrap();

    let out = dir.path().join("out");
    let output = score(&[&answers], &out);
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    let errors = read_csv(&out.join("errors.csv"));
    let rows: Vec<Vec<&str>> = errors[1..]
        .iter()
        .map(|r| {
            let file = Path::new(&r[0]).file_name().unwrap().to_str().unwrap();
            vec![file, &r[1], &r[2], &r[3], &r[4]]
        })
        .collect();
    assert_eq!(
        rows,
        [
            vec![
                "sheet.xlsx",
                "Responses!D2",
                "x-1",
                "",
                "Agency[U+001B][31m"
            ],
            vec![
                "workshop.csv",
                "row 2, column \"S-02\"",
                "w-1",
                "S-02",
                "rings a bell[U+0007]"
            ],
        ]
    );
    assert!(
        errors[1..]
            .iter()
            .all(|r| r[6].contains("a control character"))
    );
    let summary = read_csv(&out.join("summary.csv"));
    assert_eq!(summary.len(), 2, "w-2 still scores");
    assert!(
        !errors.iter().any(|r| r[6].contains("could not be made")),
        "no report fails: {errors:?}"
    );
}

// Cells neutralised against spreadsheet formulas (as the web edition's download and the
// summaries write them: `'-r1`, `'@team`, `'=1+1`) read back as what was typed, so the
// same response from a web download and from a workbook is one id and one group.
#[test]
fn neutralised_cells_read_back_as_typed() {
    let dir = tempfile::tempdir().unwrap();
    let answers = dir.path().join("download.csv");
    answers_csv(
        &answers,
        &[
            ("'-r1", "'@team", "yes", "'=1+1"),
            ("r2", "@team", "no", "'tis fine"),
        ],
    );
    let out = dir.path().join("out");
    let output = score(&[&answers], &out);
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let summary = read_csv(&out.join("summary.csv"));
    let column = |name: &str| summary[0].iter().position(|h| h == name).unwrap();
    let (id, group) = (column("response_id"), column("group"));
    // summary.csv neutralises again what a spreadsheet would run.
    assert_eq!(summary[1][id], "'-r1");
    assert_eq!(summary[1][group], "'@team");
    assert_eq!(
        summary[2][group], "'@team",
        "one group, whichever way it came"
    );
    let group_reports = std::fs::read_dir(out.join("groups/risk-1.0.0"))
        .unwrap()
        .count();
    assert_eq!(group_reports, 1);
    assert!(
        out.join("responses/risk-1.0.0").read_dir().unwrap().count() == 2,
        "two responses"
    );
}
