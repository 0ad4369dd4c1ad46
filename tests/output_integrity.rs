//! Output integrity of scoring runs: whatever reruns, kills, typos, concurrent runs and
//! hostile names happen, the output folder holds one consistent set (reports, summaries,
//! errors and run record from one run), and every report the run claims is on disk.

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::Duration;

use common::*;

/// Writes a wide CSV of the fixture's risk questionnaire with the given (id, group) rows.
fn answers_csv(path: &Path, rows: &[(&str, &str)]) {
    let mut text = String::from("questionnaire,version,response_id,group,D-01\n");
    for (id, group) in rows {
        text.push_str(&format!("risk,1.0.0,\"{id}\",\"{group}\",yes\n"));
    }
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// Runs `toolkit score` on the fixture sources.
fn score(paths: &[&Path], out: &Path) -> Output {
    score_command(paths, out).output().unwrap()
}

fn score_command(paths: &[&Path], out: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_toolkit"));
    command
        .arg("score")
        .args(paths)
        .args(["--sources", fixture_sources().to_str().unwrap()])
        .args(["--out", out.to_str().unwrap()])
        .current_dir(root())
        .env_remove("SOURCE_DATE_EPOCH")
        .env_remove("TOOLKIT_TEST_PANIC");
    command
}

/// Every file under a folder, relative to it, sorted.
fn files_under(dir: &Path) -> Vec<String> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(folder) = stack.pop() {
        for entry in std::fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let relative = path.strip_prefix(dir).unwrap();
                files.push(relative.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    files.sort();
    files
}

/// Reads a CSV written by the tool (BOM, header) into rows of cells, header first.
fn read_csv(path: &Path) -> Vec<Vec<String>> {
    let text = std::fs::read_to_string(path).unwrap();
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.trim_start_matches('\u{feff}').as_bytes())
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect()
}

/// Checks that an output folder is one consistent set and returns its response ids:
/// `run.json` lists exactly the other files with their checksums, one report per summary
/// row, and the counts it claims match what is on disk.
fn assert_consistent(out: &Path) -> BTreeSet<String> {
    let files = files_under(out);
    let record: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("run.json")).unwrap()).unwrap();
    let listed: Vec<String> = record["outputs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["path"].as_str().unwrap().to_owned())
        .collect();
    let on_disk: Vec<String> = files.iter().filter(|f| *f != "run.json").cloned().collect();
    assert_eq!(
        listed, on_disk,
        "run.json lists exactly the files of the folder"
    );
    for output in record["outputs"].as_array().unwrap() {
        let path = out.join(output["path"].as_str().unwrap());
        let bytes = std::fs::read(&path).unwrap();
        assert_eq!(
            output["sha256"].as_str().unwrap(),
            toolkit::output::sha256_hex(&bytes),
            "{} is not the file this run wrote",
            path.display()
        );
    }
    let summary = read_csv(&out.join("summary.csv"));
    let responses = files.iter().filter(|f| f.starts_with("responses/")).count();
    let groups = files.iter().filter(|f| f.starts_with("groups/")).count();
    assert_eq!(responses, summary.len() - 1, "one report per summary row");
    assert_eq!(
        record["counts"]["reports"].as_u64().unwrap() as usize,
        responses + groups,
        "the claimed number of reports is on disk"
    );
    summary[1..].iter().map(|row| row[1].clone()).collect()
}

// Ids and groups that collide once sanitised, differ only in case, or name a Windows
// device each get their own report: as many files as reports claimed.
#[test]
fn colliding_names_never_overwrite() {
    let dir = tempfile::tempdir().unwrap();
    let hashed = toolkit::batch::safe_file_name("a/b");
    let second = format!("{hashed}-2");
    let answers = dir.path().join("answers.csv");
    answers_csv(
        &answers,
        &[
            ("a/b", ""),
            (&hashed, "no-group"),
            (&second, "Group"),
            ("CASE", "group"),
            ("case", "GROUP"),
            ("CON", "nul"),
            ("aux.pdf", "com1"),
        ],
    );
    let out = dir.path().join("out");
    let output = score(&[&answers], &out);
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    assert_consistent(&out);
    let files = files_under(&out);
    let lower: BTreeSet<String> = files.iter().map(|f| f.to_lowercase()).collect();
    assert_eq!(lower.len(), files.len(), "names unique ignoring case");
    let reserved = ["con", "nul", "aux", "com1"];
    for file in &files {
        let stem = file.rsplit('/').next().unwrap().split('.').next().unwrap();
        assert!(!reserved.contains(&stem.to_lowercase().as_str()), "{file}");
    }
    let groups = files.iter().filter(|f| f.starts_with("groups/")).count();
    assert_eq!(
        groups, 7,
        "one report per distinct group name, the empty one included"
    );
}

// A rerun after responses were renamed leaves no report of the old names behind.
#[test]
fn rerun_replaces_the_whole_set() {
    let dir = tempfile::tempdir().unwrap();
    let answers = dir.path().join("answers/ws.csv");
    let out = dir.path().join("out");
    answers_csv(&answers, &[("old-1", "G"), ("old-2", "G")]);
    assert_eq!(score(&[&answers], &out).status.code(), Some(0));
    answers_csv(&answers, &[("new-1", "G")]);
    assert_eq!(score(&[&answers], &out).status.code(), Some(0));
    let ids = assert_consistent(&out);
    assert_eq!(ids, BTreeSet::from(["new-1".to_owned()]));
    let leftovers: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("staging") || n.contains("previous"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

// A typo in the answers path keeps the previous results and says so (exit 2).
#[test]
fn nothing_to_score_keeps_previous_results() {
    let dir = tempfile::tempdir().unwrap();
    let answers = dir.path().join("answers");
    let out = dir.path().join("out");
    answers_csv(&answers.join("ws.csv"), &[("r1", "G")]);
    assert_eq!(score(&[&answers], &out).status.code(), Some(0));
    let before = std::fs::read(out.join("summary.csv")).unwrap();
    let typo = dir.path().join("answrs");
    let output = score(&[&typo], &out);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("previous results"), "{stderr}");
    assert_eq!(std::fs::read(out.join("summary.csv")).unwrap(), before);
    assert_consistent(&out);
}

// An output folder inside the answers folder is never read back as answers.
#[test]
fn output_folder_is_never_an_input() {
    let dir = tempfile::tempdir().unwrap();
    let answers = dir.path().join("answers");
    answers_csv(&answers.join("ws.csv"), &[("r1", "G"), ("r2", "G")]);
    let out = answers.join("reports");
    assert_eq!(score(&[&answers], &out).status.code(), Some(0));
    // A copy of the summary elsewhere in the answers folder is recognised too.
    std::fs::copy(out.join("summary.csv"), answers.join("copy-of-summary.csv")).unwrap();
    let output = score(&[&answers], &out);
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let errors = read_csv(&out.join("errors.csv"));
    assert_eq!(errors.len(), 1, "no problems: {errors:?}");
    assert_eq!(assert_consistent(&out).len(), 2);
}

/// A folder of answers big enough that a run takes a few seconds.
fn big_answers(dir: &Path, prefix: &str, count: usize) -> PathBuf {
    let rows: Vec<(String, String)> = (0..count)
        .map(|i| (format!("{prefix}-{i:04}"), format!("G{}", i % 7)))
        .collect();
    let borrowed: Vec<(&str, &str)> = rows.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    let path = dir.join(format!("{prefix}.csv"));
    answers_csv(&path, &borrowed);
    path
}

// Runs killed at several points never leave a mixed folder: the folder holds the
// complete earlier set, and the next run cleans up and completes.
#[test]
fn killed_runs_leave_a_complete_set() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let first = big_answers(dir.path(), "first", 40);
    assert_eq!(score(&[&first], &out).status.code(), Some(0));
    let first_ids = assert_consistent(&out);
    let second = big_answers(dir.path(), "second", 120);
    for millis in [50, 300, 900, 1600] {
        let mut child = score_command(&[&second], &out)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(millis));
        let _ = child.kill();
        let _ = child.wait();
        let ids = assert_consistent(&out);
        assert!(
            ids == first_ids || ids.len() == 120,
            "a mixed set after a kill"
        );
    }
    assert_eq!(score(&[&second], &out).status.code(), Some(0));
    assert_eq!(assert_consistent(&out).len(), 120);
}

// Two runs at once into one folder: the second waits for the first, both finish, and
// the folder holds one run's complete set.
#[test]
fn concurrent_runs_do_not_mix() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let a = big_answers(dir.path(), "alpha", 60);
    let b = big_answers(dir.path(), "beta", 30);
    let first = score_command(&[&a], &out)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let second = score_command(&[&b], &out)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let (first, second) = (
        first.wait_with_output().unwrap(),
        second.wait_with_output().unwrap(),
    );
    assert_eq!(first.status.code(), Some(0), "{first:?}");
    assert_eq!(second.status.code(), Some(0), "{second:?}");
    let ids = assert_consistent(&out);
    let prefixes: BTreeSet<&str> = ids.iter().map(|id| &id[..4]).collect();
    assert_eq!(prefixes.len(), 1, "one run's responses only: {prefixes:?}");
}

// A panic while reading one file, or while typesetting one report, costs that file or
// that report alone, with a row in errors.csv; everything else is written (exit 1).
#[test]
fn panics_cost_one_file_or_one_report() {
    let dir = tempfile::tempdir().unwrap();
    let answers = dir.path().join("answers");
    answers_csv(&answers.join("good.csv"), &[("ok-1", "G"), ("boom-2", "G")]);
    answers_csv(&answers.join("boom-file.csv"), &[("lost-1", "H")]);
    let out = dir.path().join("out");
    let output = score_command(&[&answers], &out)
        .env("TOOLKIT_TEST_PANIC", "boom")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    let errors = read_csv(&out.join("errors.csv"));
    let joined: Vec<String> = errors.iter().map(|row| row.join(" | ")).collect();
    assert!(
        joined
            .iter()
            .any(|r| r.contains("boom-file.csv") && r.contains("internal error")),
        "{joined:?}"
    );
    assert!(
        joined
            .iter()
            .any(|r| r.contains("boom-2") && r.contains("could not be made")),
        "{joined:?}"
    );
    let files = files_under(&out);
    assert!(files.contains(&"responses/risk-1.0.0/ok-1.pdf".to_owned()));
    assert!(!files.iter().any(|f| f.contains("boom-2")));
    // The run claims only the reports it wrote.
    let record: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("run.json")).unwrap()).unwrap();
    let pdfs = files.iter().filter(|f| f.ends_with(".pdf")).count();
    assert_eq!(record["counts"]["reports"].as_u64().unwrap() as usize, pdfs);
}
