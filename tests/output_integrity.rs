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
    let on_disk: Vec<String> = files
        .iter()
        .filter(|f| {
            *f != "run.json"
                && *f != toolkit::output_mark::OUTPUT_MARK
                && !toolkit::output_mark::INSIDE_NAMES.contains(&f.as_str())
        })
        .cloned()
        .collect();
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
    assert!(
        stderr.contains("answrs (no such file or folder)"),
        "{stderr}"
    );
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

// Files with blank response ids in two folders (two agencies' "ws.csv") never collide:
// the default id comes from the path relative to the scored folder.
#[test]
fn blank_ids_in_two_folders_do_not_collide() {
    let dir = tempfile::tempdir().unwrap();
    let answers = dir.path().join("answers");
    for agency in ["agency-a", "agency-b"] {
        answers_csv(
            &answers.join(agency).join("ws.csv"),
            &[("", "G"), ("", "G")],
        );
    }
    let out = dir.path().join("out");
    let output = score(&[&answers], &out);
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let ids = assert_consistent(&out);
    let expected: BTreeSet<String> = [
        "agency-a/ws-2",
        "agency-a/ws-3",
        "agency-b/ws-2",
        "agency-b/ws-3",
    ]
    .map(str::to_owned)
    .into();
    assert_eq!(ids, expected);
}

// A UTF-8 file with one stray byte is refused naming the line and byte (no mojibake);
// Excel's UTF-16 "Unicode text" (tab-delimited) scores.
#[test]
fn encodings_are_read_or_refused_precisely() {
    let dir = tempfile::tempdir().unwrap();
    let answers = dir.path().join("answers");
    std::fs::create_dir_all(&answers).unwrap();
    let mut stray =
        b"questionnaire,version,response_id,group,D-01\nrisk,1.0.0,r1,Caf\xc3\xa9,yes\n".to_vec();
    stray.extend_from_slice(b"risk,1.0.0,r2,Caf\xe9,yes\n");
    std::fs::write(answers.join("stray.csv"), stray).unwrap();
    let text =
        "questionnaire\tversion\tresponse_id\tgroup\tD-01\r\nrisk\t1.0.0\tu1\tÉquipe\tyes\r\n";
    let mut utf16 = vec![0xff, 0xfe];
    utf16.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    std::fs::write(answers.join("unicode-text.csv"), utf16).unwrap();
    let out = dir.path().join("out");
    let output = score(&[&answers], &out);
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    let errors = read_csv(&out.join("errors.csv"));
    assert!(
        errors
            .iter()
            .any(|r| r[0].ends_with("stray.csv") && r[6].starts_with("line 3: byte 0xE9")),
        "{errors:?}"
    );
    let summary = read_csv(&out.join("summary.csv"));
    assert_eq!(
        summary.len(),
        2,
        "only the UTF-16 response scores: {summary:?}"
    );
    let group = summary[0].iter().position(|h| h == "group").unwrap();
    assert_eq!(summary[1][group], "Équipe");
}

// A column named twice refuses its file with both positions; other files still score.
#[test]
fn duplicate_columns_refuse_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let answers = dir.path().join("answers");
    std::fs::create_dir_all(&answers).unwrap();
    std::fs::write(
        answers.join("twice.csv"),
        "questionnaire,version,response_id,group,D-01,group\nrisk,1.0.0,t1,A,yes,B\n",
    )
    .unwrap();
    answers_csv(&answers.join("fine.csv"), &[("f1", "G")]);
    let out = dir.path().join("out");
    assert_eq!(score(&[&answers], &out).status.code(), Some(1));
    let errors = read_csv(&out.join("errors.csv"));
    assert!(
        errors
            .iter()
            .any(|r| r[0].ends_with("twice.csv") && r[6].contains("columns 4 and 6")),
        "{errors:?}"
    );
    assert_eq!(assert_consistent(&out).len(), 1);
}

// Leftovers that broke earlier runs (summary.csv as a folder, responses as a file) no
// longer matter: the run replaces the folder whole and exits 0.
#[test]
fn broken_leftovers_in_the_output_folder_are_replaced() {
    let dir = tempfile::tempdir().unwrap();
    let answers = dir.path().join("ws.csv");
    answers_csv(&answers, &[("r1", "G")]);
    let out = dir.path().join("out");
    std::fs::create_dir_all(out.join("summary.csv")).unwrap();
    std::fs::write(out.join("responses"), b"not a folder").unwrap();
    // The folder is an earlier run's (its record says so), so the run may replace it.
    std::fs::write(
        out.join("run.json"),
        r#"{"toolkit": "toolkit 0.1.0", "outputs": []}"#,
    )
    .unwrap();
    let output = score(&[&answers], &out);
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    assert_eq!(assert_consistent(&out).len(), 1);
}

// Symbolic links are followed, a broken one, a FIFO and a path too long to open each get
// a clear row (never "no such file" for what exists, never a hang), macOS "._" companion
// files are skipped with a note.
#[cfg(unix)]
#[test]
fn special_files_get_a_clear_line() {
    let dir = tempfile::tempdir().unwrap();
    let answers = dir.path().join("answers");
    answers_csv(&dir.path().join("elsewhere/real.csv"), &[("linked-1", "G")]);
    std::fs::create_dir_all(&answers).unwrap();
    std::os::unix::fs::symlink(
        dir.path().join("elsewhere/real.csv"),
        answers.join("link.csv"),
    )
    .unwrap();
    std::os::unix::fs::symlink(dir.path().join("gone.csv"), answers.join("broken.csv")).unwrap();
    std::fs::write(answers.join("._ws.csv"), b"\x00\x05\x16\x07 resource fork").unwrap();
    let fifo = answers.join("pipe.csv");
    let made = Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .is_ok_and(|s| s.success());
    let long = dir.path().join(format!("{}.csv", "x".repeat(5000)));
    let out = dir.path().join("out");
    let output = score(&[&answers, &long], &out);
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    let errors = read_csv(&out.join("errors.csv"));
    let reason_of = |name: &str| {
        errors
            .iter()
            .find(|r| r[0].ends_with(name))
            .map(|r| r[6].clone())
            .unwrap_or_else(|| panic!("no row for {name}: {errors:?}"))
    };
    assert!(reason_of("broken.csv").contains("symbolic link"));
    // The long path's own cell is cut to a readable length in errors.csv.
    assert!(
        errors
            .iter()
            .any(|r| r[0].ends_with("characters in all)") && r[6].contains("too long to open")),
        "{errors:?}"
    );
    if made {
        assert!(reason_of("pipe.csv").contains("not a regular file"));
    }
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("._ws.csv") && stderr.contains("macOS"),
        "{stderr}"
    );
    assert_eq!(
        assert_consistent(&out),
        BTreeSet::from(["linked-1".to_owned()]),
        "the linked file is scored"
    );
}

// Run outside the project folder, the error says which flag to pass.
#[test]
fn outside_the_project_names_the_flags() {
    let dir = tempfile::tempdir().unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_toolkit"))
        .arg("build")
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("--sources"), "{stderr}");
    let with_sources = Command::new(env!("CARGO_BIN_EXE_toolkit"))
        .args(["build", "--sources"])
        .arg(fixture_sources())
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(with_sources.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&with_sources.stderr);
    assert!(stderr.contains("--templates"), "{stderr}");
    assert!(
        std::fs::read_dir(dir.path()).unwrap().next().is_none(),
        "nothing written"
    );
}

/// SHA-256 of every file of a folder but `run.json`, by relative path.
fn hashes(dir: &Path) -> Vec<(String, String)> {
    files_under(dir)
        .into_iter()
        .filter(|f| f != "run.json")
        .map(|f| {
            let bytes = std::fs::read(dir.join(&f)).unwrap();
            (f, toolkit::output::sha256_hex(&bytes))
        })
        .collect()
}

// A rerun reuses every unchanged report and typesets only what changed (a changed
// response and its group); outputs are byte-identical to a cold run (--no-cache).
#[test]
fn reruns_reuse_unchanged_reports() {
    let dir = tempfile::tempdir().unwrap();
    let answers = dir.path().join("ws.csv");
    answers_csv(&answers, &[("r1", "G"), ("r2", "G"), ("r3", "H")]);
    let out = dir.path().join("out");
    assert_eq!(score(&[&answers], &out).status.code(), Some(0));
    let cold = hashes(&out);
    let warm = score(&[&answers], &out);
    let stdout = String::from_utf8_lossy(&warm.stdout);
    assert!(
        stdout.contains("5 reports (5 unchanged, reused)"),
        "{stdout}"
    );
    assert_eq!(hashes(&out), cold, "a warm rerun is byte-identical");
    // One answer changes: its report and its group's are typeset again.
    let text = std::fs::read_to_string(&answers)
        .unwrap()
        .replace("\"r2\",\"G\",yes", "\"r2\",\"G\",no");
    std::fs::write(&answers, text).unwrap();
    let changed = score(&[&answers], &out);
    let stdout = String::from_utf8_lossy(&changed.stdout);
    assert!(
        stdout.contains("5 reports (3 unchanged, reused)"),
        "{stdout}"
    );
    let after_change = hashes(&out);
    assert_consistent(&out);
    // A cold run on the same answers writes exactly the same files.
    let fresh = dir.path().join("fresh");
    let output = score_command(&[&answers], &fresh)
        .arg("--no-cache")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    assert!(!String::from_utf8_lossy(&output.stdout).contains("reused"));
    assert_eq!(hashes(&fresh), after_change);
}

/// A run record without its timings (the only part that differs between equal runs).
fn record_without_timings(folder: &Path) -> serde_json::Value {
    let mut record: serde_json::Value =
        serde_json::from_slice(&std::fs::read(folder.join("run.json")).unwrap()).unwrap();
    record.as_object_mut().unwrap().remove("timings");
    record
}

// Three shards merged equal one run over the same answers, byte for byte (run.json but
// for its timings), including a response id duplicated across shards and a bad row.
#[test]
fn three_shards_merged_equal_one_run() {
    let dir = tempfile::tempdir().unwrap();
    let answers = dir.path().join("answers");
    let rows: Vec<(String, String)> = (0..36)
        .map(|i| (format!("r{i:02}"), format!("Agency {}", i % 12)))
        .chain([("r05".to_owned(), "Agency 7".to_owned())])
        .collect();
    let rows: Vec<(&str, &str)> = rows.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    answers_csv(&answers.join("a.csv"), &rows[..20]);
    answers_csv(&answers.join("b.csv"), &rows[20..]);
    std::fs::write(
        answers.join("bad.csv"),
        "questionnaire,version,response_id,group,D-01\nrisk,1.0.0,bad-1,Agency 3,maybe\n",
    )
    .unwrap();
    let single = dir.path().join("single");
    assert_eq!(score(&[&answers], &single).status.code(), Some(1));
    let mut shard_dirs = Vec::new();
    let mut reports = 0;
    for k in 1..=3 {
        let shard_dir = dir.path().join(format!("shard-{k}"));
        let output = score_command(&[&answers], &shard_dir)
            .args(["--shard", &format!("{k}/3")])
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(1), "{output:?}");
        reports += files_under(&shard_dir)
            .iter()
            .filter(|f| f.ends_with(".pdf"))
            .count();
        shard_dirs.push(shard_dir);
    }
    assert_eq!(
        reports,
        files_under(&single)
            .iter()
            .filter(|f| f.ends_with(".pdf"))
            .count()
    );
    let merged = dir.path().join("merged");
    let output = Command::new(env!("CARGO_BIN_EXE_toolkit"))
        .arg("merge")
        .args(shard_dirs.iter().rev())
        .arg("--out")
        .arg(&merged)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    assert_eq!(hashes(&merged), hashes(&single));
    assert_eq!(
        record_without_timings(&merged),
        record_without_timings(&single)
    );
    assert_consistent(&merged);
    // A missing shard is refused and nothing is written.
    let partial = dir.path().join("partial");
    let output = Command::new(env!("CARGO_BIN_EXE_toolkit"))
        .arg("merge")
        .args(&shard_dirs[..2])
        .arg("--out")
        .arg(&partial)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(!partial.exists());
}

// The three ways the README runs shards, as their shells run them: a Slurm job array
// (`SLURM_ARRAY_TASK_ID` from 1), a Kubernetes Indexed Job (`JOB_COMPLETION_INDEX` from 0)
// and GNU parallel on one machine. Each set of three shards merges into exactly what one
// run writes.
#[test]
fn shards_run_by_slurm_kubernetes_or_gnu_parallel_merge_into_one_run() {
    let dir = tempfile::tempdir().unwrap();
    let rows: Vec<(String, String)> = (0..15)
        .map(|i| (format!("r{i:02}"), format!("Agency {}", i % 6)))
        .collect();
    let rows: Vec<(&str, &str)> = rows.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    answers_csv(&dir.path().join("answers/a.csv"), &rows);
    let binaries = Path::new(env!("CARGO_BIN_EXE_toolkit")).parent().unwrap();
    let path = std::env::join_paths(std::iter::once(binaries.to_path_buf()).chain(
        std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()),
    ))
    .unwrap();
    let shell = |script: &str, vars: &[(&str, String)]| {
        let mut command = Command::new("sh");
        command
            .args(["-c", script])
            .current_dir(dir.path())
            .env("PATH", &path)
            .env("SOURCES", fixture_sources())
            .env("TEMPLATES", root().join("templates"))
            .env_remove("SOURCE_DATE_EPOCH")
            .env_remove("TOOLKIT_TEST_PANIC");
        for (name, value) in vars {
            command.env(name, value);
        }
        let output = command.output().unwrap();
        assert!(output.status.success(), "{script}\n{output:?}");
    };
    let options = r#"--sources "$SOURCES" --templates "$TEMPLATES""#;
    // One run over the same answers, named the same way, to compare with.
    shell(
        &format!("toolkit score answers {options} --out single"),
        &[],
    );
    let single = dir.path().join("single");
    let mut ways = vec![(
        "slurm",
        (1..=3)
            .map(|k| ("SLURM_ARRAY_TASK_ID", k.to_string()))
            .collect::<Vec<_>>(),
        format!(
            r#"toolkit score answers {options} --shard "${{SLURM_ARRAY_TASK_ID}}/3" --out "slurm/${{SLURM_ARRAY_TASK_ID}}""#
        ),
    )];
    ways.push(("kubernetes", (0..3).map(|k| ("JOB_COMPLETION_INDEX", k.to_string())).collect(),
        format!(r#"toolkit score answers {options} --shard "$((JOB_COMPLETION_INDEX + 1))/3" --out "kubernetes/$JOB_COMPLETION_INDEX""#)));
    for (way, tasks, script) in &ways {
        for task in tasks {
            shell(script, std::slice::from_ref(task));
        }
        shell(&format!("toolkit merge {way}/* --out {way}-merged"), &[]);
        assert_eq!(
            hashes(&dir.path().join(format!("{way}-merged"))),
            hashes(&single),
            "{way}"
        );
    }
    if have("parallel", "apt install parallel") {
        shell(
            &format!(
                "parallel toolkit score answers {options} --shard {{}}/3 --out parallel/{{}} ::: 1 2 3"
            ),
            &[],
        );
        shell("toolkit merge parallel/* --out parallel-merged", &[]);
        assert_eq!(
            hashes(&dir.path().join("parallel-merged")),
            hashes(&single),
            "parallel"
        );
    }
}

/// Runs `toolkit merge` on shard folders.
fn merge(shards: &[PathBuf], out: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_toolkit"))
        .arg("merge")
        .args(shards)
        .arg("--out")
        .arg(out)
        .output()
        .unwrap()
}

/// Every entry of a folder and what it holds (path and SHA-256 of each file).
fn snapshot(dir: &Path) -> Vec<(String, String)> {
    files_under(dir)
        .into_iter()
        .map(|f| {
            let bytes = std::fs::read(dir.join(&f)).unwrap();
            (f, toolkit::output::sha256_hex(&bytes))
        })
        .collect()
}

// A folder of someone else's work is never replaced: `score`, `merge` and `build` refuse
// it before any work, name it and what it holds, and leave it as it was (exit 2).
#[test]
fn folders_of_other_work_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let answers = dir.path().join("ws.csv");
    answers_csv(&answers, &[("r1", "G")]);
    let mine = dir.path().join("mine");
    std::fs::create_dir_all(mine.join("docs")).unwrap();
    std::fs::write(mine.join("docs/thesis.txt"), "thesis").unwrap();
    let before = snapshot(&mine);
    let output = score(&[&answers], &mine);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("mine")
            && stderr.contains("docs/")
            && stderr.contains("not written by this tool"),
        "{stderr}"
    );
    assert_eq!(stderr.lines().count(), 1, "one line: {stderr}");
    assert_eq!(snapshot(&mine), before, "the folder is untouched");
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        2,
        "nothing beside it"
    );
    // `--out .` in a folder of other files.
    let output = score_command(&[&answers], Path::new("."))
        .current_dir(&mine)
        .args(["--templates", templates().to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2), "{output:?}");
    assert_eq!(snapshot(&mine), before);
    // `merge shards/* --out shards`.
    let shards = dir.path().join("shards");
    let mut shard_dirs = Vec::new();
    for k in 1..=2 {
        let shard = shards.join(format!("{k}"));
        let output = score_command(&[&answers], &shard)
            .args(["--shard", &format!("{k}/2")])
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(0), "{output:?}");
        shard_dirs.push(shard);
    }
    let before = snapshot(&shards);
    let output = merge(&shard_dirs, &shards);
    assert_eq!(output.status.code(), Some(2), "{output:?}");
    assert_eq!(snapshot(&shards), before);
    // `build --out` a folder of other work.
    let output = toolkit(
        &[
            "build",
            "--sources",
            fixture_sources().to_str().unwrap(),
            "--out",
            mine.to_str().unwrap(),
        ],
        &root(),
    );
    assert_eq!(output.status.code(), Some(2), "{output:?}");
    assert!(mine.join("docs/thesis.txt").exists());
    // A reports folder is not a build's, and a build's is not a reports folder.
    let reports = dir.path().join("reports");
    assert_eq!(score(&[&answers], &reports).status.code(), Some(0));
    let output = toolkit(
        &[
            "build",
            "--sources",
            fixture_sources().to_str().unwrap(),
            "--out",
            reports.to_str().unwrap(),
        ],
        &root(),
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("holds toolkit reports"), "{stderr}");
}

// A symbolic link given as `--out` is followed: the results land in the folder it points
// to, run after run, and the link stays a link.
#[cfg(unix)]
#[test]
fn out_as_a_symbolic_link_lands_in_its_target() {
    let dir = tempfile::tempdir().unwrap();
    let answers = dir.path().join("ws.csv");
    answers_csv(&answers, &[("r1", "G"), ("r2", "H")]);
    let real = dir.path().join("real");
    let link = dir.path().join("link");
    std::fs::create_dir_all(&real).unwrap();
    std::os::unix::fs::symlink(&real, &link).unwrap();
    for _ in 0..2 {
        let output = score(&[&answers], &link);
        assert_eq!(output.status.code(), Some(0), "{output:?}");
        assert!(link.is_symlink(), "the link stays a link");
        assert_eq!(assert_consistent(&real).len(), 2);
    }
}

// A mount point as `--out` (a tmpfs, where the machine lets the tests mount one) works:
// the results land inside it, a rerun replaces them, and the mount stays.
#[cfg(target_os = "linux")]
#[test]
fn out_as_a_mount_point_works() {
    let dir = tempfile::tempdir().unwrap();
    let point = dir.path().join("mounted");
    std::fs::create_dir_all(&point).unwrap();
    let Some(_mount) = Mount::tmpfs(&point, "64m") else {
        eprintln!("skipped: this machine does not let the tests mount a tmpfs");
        return;
    };
    let answers = dir.path().join("ws.csv");
    answers_csv(&answers, &[("r1", "G"), ("r2", "H")]);
    let output = score(&[&answers], &point);
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    assert_eq!(assert_consistent(&point).len(), 2);
    answers_csv(&answers, &[("r3", "G")]);
    let output = score(&[&answers], &point);
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    assert_eq!(assert_consistent(&point), BTreeSet::from(["r3".to_owned()]));
    let leftovers: Vec<String> = std::fs::read_dir(&point)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| {
            n.starts_with(".toolkit-")
                && n != toolkit::output_mark::OUTPUT_MARK
                && n != ".toolkit-output.lock"
        })
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

/// Edits the JSON record `name` in `folder` with `edit`.
fn edit_record(folder: &Path, name: &str, edit: impl FnOnce(&mut serde_json::Value)) {
    let path = folder.join(name);
    let mut record: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    edit(&mut record);
    std::fs::write(&path, serde_json::to_vec_pretty(&record).unwrap()).unwrap();
}

// A crafted `shard.json` steers no read or write outside the shard and the merged folder:
// a report path with `..`, and a report that is a symbolic link out of the shard, are
// refused with the record named; shards made with other sources or paper do not merge,
// and the message says what differs.
#[cfg(unix)]
#[test]
fn crafted_shard_records_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let answers = dir.path().join("ws.csv");
    answers_csv(&answers, &[("r1", "G"), ("r2", "H"), ("r3", "I")]);
    let shard = |k: usize, extra: &[&str]| {
        let folder = dir.path().join(format!("shard-{k}{}", extra.len()));
        let output = score_command(&[&answers], &folder)
            .args(["--shard", &format!("{k}/2")])
            .args(extra)
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(0), "{output:?}");
        folder
    };
    let (one, two) = (shard(1, &[]), shard(2, &[]));
    let victim = dir.path().join("victim.pdf");
    std::fs::write(&victim, b"keep me").unwrap();
    let secret = dir.path().join("secret.pdf");
    std::fs::write(&secret, b"secret").unwrap();
    let (first, owner) = if std::fs::read_dir(one.join("responses")).is_ok() {
        (one.clone(), 0)
    } else {
        (two.clone(), 1)
    };
    let _ = owner;
    let first_path = |folder: &Path| -> String {
        let record: serde_json::Value =
            serde_json::from_slice(&std::fs::read(folder.join("shard.json")).unwrap()).unwrap();
        record["reports"][0]["path"].as_str().unwrap().to_owned()
    };
    let original = first_path(&first);
    // A path that climbs out.
    edit_record(&first, "shard.json", |r| {
        r["reports"][0]["path"] = "../victim.pdf".into();
    });
    let merged = dir.path().join("merged");
    let output = merge(&[one.clone(), two.clone()], &merged);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("a path this tool never writes"), "{stderr}");
    assert_eq!(std::fs::read(&victim).unwrap(), b"keep me");
    assert!(!merged.exists());
    // A report that is a link to a file outside the shard.
    edit_record(&first, "shard.json", |r| {
        r["reports"][0]["path"] = original.clone().into();
    });
    std::fs::remove_file(first.join(&original)).unwrap();
    std::os::unix::fs::symlink(&secret, first.join(&original)).unwrap();
    let output = merge(&[one.clone(), two.clone()], &merged);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("not a file inside"), "{stderr}");
    assert!(!merged.exists());
    // Shards made on another paper do not merge; the message names the paper.
    let letter = shard(2, &["--paper", "us-letter"]);
    let output = merge(&[one.clone(), letter], &merged);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("paper (a4 and us-letter)"), "{stderr}");
    // `--out` one of the shards.
    let output = merge(&[one.clone(), two.clone()], &two);
    assert_eq!(output.status.code(), Some(2), "{output:?}");
}

// A rerun never trusts an edited `run.json`: a record that swaps two reports' keys, or
// points a key at a file outside the folder, makes the rerun typeset those reports again,
// and every report is the one a cold run writes.
#[test]
fn edited_run_records_are_not_trusted() {
    let dir = tempfile::tempdir().unwrap();
    let answers = dir.path().join("ws.csv");
    answers_csv(&answers, &[("r1", "G"), ("r2", "G"), ("r3", "H")]);
    let out = dir.path().join("out");
    assert_eq!(score(&[&answers], &out).status.code(), Some(0));
    let cold = hashes(&out);
    let outside = dir.path().join("elsewhere.pdf");
    std::fs::write(&outside, b"not a report").unwrap();
    edit_record(&out, "run.json", |record| {
        let outputs = record["outputs"].as_array_mut().unwrap();
        let reports: Vec<usize> = (0..outputs.len())
            .filter(|&i| {
                outputs[i]["path"]
                    .as_str()
                    .unwrap()
                    .starts_with("responses/")
            })
            .collect();
        let (a, b) = (reports[0], reports[1]);
        let key_a = outputs[a]["key"].clone();
        outputs[a]["key"] = outputs[b]["key"].clone();
        outputs[b]["key"] = key_a;
        outputs[reports[2]]["path"] = "../elsewhere.pdf".into();
    });
    let output = score(&[&answers], &out);
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("paths this tool never writes"), "{stderr}");
    assert_eq!(hashes(&out), cold, "every report is its own");
    assert_eq!(std::fs::read(&outside).unwrap(), b"not a report");
}

// Everything a template reads is in a report's key: a report template that shows a logo
// is typeset again when only the logo changes.
#[test]
fn a_changed_logo_typesets_reports_again() {
    let dir = tempfile::tempdir().unwrap();
    let templates_copy = dir.path().join("templates");
    copy_dir(&templates(), &templates_copy);
    let svg = |fill: &str| {
        format!(
            r#"<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10" fill="{fill}"/></svg>"#
        )
    };
    std::fs::write(templates_copy.join("logo.svg"), svg("red")).unwrap();
    let report = templates_copy.join("report.typ");
    let text = std::fs::read_to_string(&report).unwrap().replacen(
        "#let report(d) = {",
        "#let report(d) = {\n  image(\"/templates/logo.svg\", width: 5mm, alt: \"Logo\")",
        1,
    );
    std::fs::write(&report, text).unwrap();
    let answers = dir.path().join("ws.csv");
    answers_csv(&answers, &[("r1", "G")]);
    let out = dir.path().join("out");
    let run = || {
        score_command(&[&answers], &out)
            .args(["--templates", templates_copy.to_str().unwrap()])
            .output()
            .unwrap()
    };
    let first = run();
    assert_eq!(first.status.code(), Some(0), "{first:?}");
    let before = hashes(&out);
    let warm = run();
    assert!(String::from_utf8_lossy(&warm.stdout).contains("(2 unchanged, reused)"));
    std::fs::write(templates_copy.join("logo.svg"), svg("blue")).unwrap();
    let changed = run();
    let stdout = String::from_utf8_lossy(&changed.stdout);
    assert!(!stdout.contains("reused"), "{stdout}");
    let after = hashes(&out);
    let report_of = |h: &[(String, String)]| {
        h.iter()
            .find(|(f, _)| f.starts_with("responses/"))
            .unwrap()
            .1
            .clone()
    };
    assert_ne!(
        report_of(&before),
        report_of(&after),
        "the new logo is in the report"
    );
}
