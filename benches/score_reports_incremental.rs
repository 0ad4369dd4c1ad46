//! The incremental and scale-out part of `cargo bench --bench score_reports`: for
//! N = 1,000 and 10,000 (override with `BENCH_INCREMENTAL_SIZES`), a cold run, a warm rerun
//! with nothing changed, a rerun with 1 % of responses changed, two shards run side by side
//! and merged, each in its own process so each peak memory is its own.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use toolkit::batch::shard::{Shard, merge_shards};
use toolkit::batch::{ScoringRun, run_scoring};
use toolkit::project::{Project, ProjectOptions};
use toolkit::synthetic::{respondents, wide_csv};

use super::{GROUPS, peak_memory_mb};

/// Writes N synthetic responses over the three questionnaires, in files of 500 rows.
pub fn write_answers(project: &Project, n: usize, answers: &Path) {
    std::fs::create_dir_all(answers).unwrap();
    let people = respondents(&project.site.manifest, n, &GROUPS, 42);
    let questionnaires = &project.questionnaires;
    for (k, chunk) in people.chunks(500).enumerate() {
        let q = &questionnaires[k % questionnaires.len()];
        std::fs::write(
            answers.join(format!("batch-{k:04}.csv")),
            wide_csv(q, chunk, &["A comment."], k as u64 + 1),
        )
        .unwrap();
    }
}

/// Changes the comment of the first `count` responses of the answer files (each one's
/// report must then be typeset again, with its group's).
fn change_responses(answers: &Path, count: usize) {
    let mut left = count;
    let mut files: Vec<PathBuf> = std::fs::read_dir(answers)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
        for line in lines.iter_mut().skip(1) {
            if left > 0 && line.contains("A comment.") {
                *line = line.replacen("A comment.", "A changed comment.", 1);
                left -= 1;
            }
        }
        std::fs::write(&file, lines.join("\n") + "\n").unwrap();
    }
}

/// One phase, run in a child process: prints its time, reports made and reused, and
/// its peak memory.
pub fn phase(root: &Path, name: &str, dir: &Path) {
    let mut options = ProjectOptions::at(root);
    let shard: Option<Shard> = name.strip_prefix("shard-").map(|s| s.parse().unwrap());
    if shard.is_some() {
        options.threads = Some(1);
    }
    let project = Project::open(&options).expect("the shipped sources open");
    let answers = dir.join("answers");
    let out = match shard {
        Some(s) => dir.join(format!("shard-{}", s.index)),
        None => dir.join("reports"),
    };
    if name == "changed" {
        let n: usize = std::fs::read_to_string(dir.join("n"))
            .unwrap()
            .parse()
            .unwrap();
        change_responses(&answers, n / 100);
    }
    let started = Instant::now();
    let report = run_scoring(&ScoringRun {
        project: &project,
        paths: std::slice::from_ref(&answers),
        out: &out,
        guides_link: None,
        reuse: name != "cold",
        shard,
        language: None,
    })
    .expect("scoring runs");
    println!(
        "  {name:<10} {:>7.2} s | {:>6} reports, {:>6} reused | peak {:>6.1} MB",
        started.elapsed().as_secs_f64(),
        report.reports,
        report.reused,
        peak_memory_mb()
    );
}

/// Runs every phase for N in child processes of `exe`.
pub fn run(exe: &Path, root: &Path, n: usize) {
    let dir = tempfile::tempdir().expect("temporary folder");
    let project = Project::open(&ProjectOptions::at(root)).expect("the shipped sources open");
    write_answers(&project, n, &dir.path().join("answers"));
    std::fs::write(dir.path().join("n"), n.to_string()).unwrap();
    println!("incremental rescoring and shards, N={n}:");
    let child = |name: &str| {
        Command::new(exe)
            .args(["--phase", name])
            .arg(dir.path())
            .spawn()
            .expect("child runs")
    };
    let mut times = Vec::new();
    for name in ["cold", "warm", "changed"] {
        let started = Instant::now();
        assert!(child(name).wait().unwrap().success(), "{name} failed");
        times.push(started.elapsed().as_secs_f64());
    }
    // Two shards side by side (one compile thread each), then the merge.
    let started = Instant::now();
    let shards: Vec<_> = ["shard-1/2", "shard-2/2"].map(child).into();
    for mut shard in shards {
        assert!(shard.wait().unwrap().success(), "a shard failed");
    }
    let sharded = started.elapsed().as_secs_f64();
    let started = Instant::now();
    let dirs = [dir.path().join("shard-1"), dir.path().join("shard-2")];
    merge_shards(&dirs, &dir.path().join("merged")).expect("the shards merge");
    let merge = started.elapsed().as_secs_f64();
    println!(
        "  process wall times: cold {:.2} s, warm {:.2} s ({:.1} % of cold), 1 % changed {:.2} s ({:.1} % of cold)",
        times[0],
        times[1],
        100.0 * times[1] / times[0],
        times[2],
        100.0 * times[2] / times[0]
    );
    println!(
        "  2 shards side by side {sharded:.2} s + merge {merge:.2} s = {:.2} s, against one run {:.2} s",
        sharded + merge,
        times[0]
    );
}
