//! Benchmark: peak memory of reading answers, end to end, as `toolkit score` runs them.
//!
//! Each case runs the `toolkit` binary in a child process and reads that child's peak
//! resident memory from the kernel (`wait4`'s `ru_maxrss`), so every figure is one whole
//! run's own peak:
//!
//! - **100,000 responses, no typesetting**: `toolkit score` over 100,000 synthetic
//!   responses (200 files of 500 rows, the three shipped questionnaires, 59 to 75 questions
//!   each) with `--shard K/N` for a shard that owns no (questionnaire, group) pair: every
//!   stage of a run (find, read, validate, reject duplicates, score, summaries, run
//!   record) but the typesetting;
//! - **100,000 responses, one shard typeset**: the same answers, `--shard 1/200`, so the
//!   shard typesets the reports of a few groups (a few hundred reports): a shard's memory
//!   stays flat too;
//! - **one 250 MB CSV**: a single wide CSV of the risk questionnaire of 250 MiB (the CSV
//!   cap is 256 MiB), about 250,000 responses: read and validated by the run's reader in
//!   a child of this benchmark, keeping nothing (the reader's own memory) and keeping every
//!   valid response (what a run holds), then scored by `toolkit score` without
//!   typesetting.
//!
//! `BENCH_RESPONSES` changes the 100,000; `BENCH_CSV_MB` the 250 (0 skips that case);
//! `BENCH_TOOLKIT=/path/to/toolkit` measures another build of the binary (an older one, to
//! compare); `BENCH_DIR=DIR` writes the answers and outputs into `DIR` and keeps them (to
//! rerun a case by hand). Run with `cargo bench --bench ingest_memory`.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use toolkit::answers::validate::Validator;
use toolkit::answers::{AnswerFile, read_found_file};
use toolkit::batch::shard::Shard;
use toolkit::project::{Project, ProjectOptions};
use toolkit::synthetic::{Respondent, respondents, wide_csv};

/// Groups the synthetic respondents belong to (about 170 responses per questionnaire
/// and group at N = 100,000).
const GROUP_COUNT: usize = 200;

/// Responses per answer file.
const ROWS_PER_FILE: usize = 500;

/// What one run of the binary cost.
struct Measured {
    seconds: f64,
    peak_mb: f64,
    stdout: String,
}

/// Runs `program` with `args` and returns its wall time, its own peak resident memory
/// (`ru_maxrss` of this child, from `wait4`) and what it printed.
// The child is reaped with `wait4` (to read its own peak memory), not `Child::wait`.
#[allow(clippy::zombie_processes)]
fn measure(program: &Path, args: &[&str]) -> Measured {
    let started = Instant::now();
    let child = Command::new(program)
        .args(args)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("the toolkit binary runs");
    let pid = child.id() as libc::pid_t;
    let mut stdout = child.stdout.expect("piped");
    let mut printed = String::new();
    std::io::Read::read_to_string(&mut stdout, &mut printed).expect("its output");
    // SAFETY: wait4 writes the status and usage of the child it reaps into the variables
    // it is given; the child is ours and waited for nowhere else.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let mut status = 0;
    let reaped = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    assert_eq!(reaped, pid, "waited for the toolkit");
    assert!(
        libc::WIFEXITED(status) && libc::WEXITSTATUS(status) <= 1,
        "toolkit {args:?} failed: {printed}"
    );
    Measured {
        seconds: started.elapsed().as_secs_f64(),
        // Linux reports ru_maxrss in kilobytes.
        peak_mb: usage.ru_maxrss as f64 / 1024.0,
        stdout: printed.trim().to_owned(),
    }
}

/// Synthetic groups: `Agency 1` to `Agency <count>`.
fn group_names(count: usize) -> Vec<String> {
    (1..=count).map(|i| format!("Agency {i}")).collect()
}

/// Writes `n` synthetic responses into files of [`ROWS_PER_FILE`] rows, cycling through
/// the questionnaires.
fn write_answers(project: &Project, n: usize, folder: &Path) {
    std::fs::create_dir_all(folder).expect("answers folder");
    let names = group_names(GROUP_COUNT);
    let groups: Vec<&str> = names.iter().map(String::as_str).collect();
    let people = respondents(&project.site.manifest, n, &groups, 42);
    let questionnaires = &project.questionnaires;
    for (k, chunk) in people.chunks(ROWS_PER_FILE).enumerate() {
        let q = &questionnaires[k % questionnaires.len()];
        let csv = wide_csv(q, chunk, &["A comment."], k as u64 + 1);
        std::fs::write(folder.join(format!("batch-{k:04}.csv")), csv).expect("answer file");
    }
}

/// Writes one wide CSV of the risk questionnaire of at most `limit` bytes; returns its
/// size and the number of responses in it.
fn write_big_csv(project: &Project, limit: u64, file: &Path) -> (u64, usize) {
    let q = project
        .questionnaires
        .iter()
        .find(|q| q.id == "risk-assessment")
        .unwrap_or(&project.questionnaires[0]);
    let names = group_names(GROUP_COUNT);
    let groups: Vec<&str> = names.iter().map(String::as_str).collect();
    let mut out = std::io::BufWriter::new(std::fs::File::create(file).expect("big CSV"));
    let (mut written, mut rows, mut chunk) = (0u64, 0usize, 0u64);
    loop {
        let people: Vec<Respondent> = respondents(&project.site.manifest, 10_000, &groups, chunk)
            .into_iter()
            .enumerate()
            .map(|(i, mut r)| {
                r.id = format!("big-{:07}", rows + i);
                r
            })
            .collect();
        let csv = wide_csv(q, &people, &["A comment."], chunk + 1);
        let text = std::str::from_utf8(&csv).expect("UTF-8");
        let mut lines = text.split_inclusive('\n');
        if chunk > 0 {
            lines.next();
        }
        for line in lines {
            if written + line.len() as u64 > limit {
                return (written, rows);
            }
            std::io::Write::write_all(&mut out, line.as_bytes()).expect("writing");
            written += line.len() as u64;
            rows += usize::from(!line.starts_with("questionnaire,"));
        }
        chunk += 1;
    }
}

/// A shard of 1,000 that owns none of the run's (questionnaire, group) pairs, so the run
/// does everything but typeset.
fn empty_shard(project: &Project) -> Shard {
    let names = group_names(GROUP_COUNT);
    (1..=1000)
        .map(|index| Shard { index, count: 1000 })
        .find(|shard| {
            project.questionnaires.iter().all(|q| {
                names.iter().all(|g| !shard.owns(&q.slug(), g)) && !shard.owns(&q.slug(), "")
            })
        })
        .expect("a shard of 1,000 that owns none of the pairs")
}

fn env_number(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(default)
}

/// Child mode `--read FILE keep|stream`: reads and validates one answer file as a run
/// does (the same reader, one validator), keeping the valid responses or only counting
/// them, and prints the count; the parent reads this process's peak memory.
fn read_only(root: &Path, file: &Path, keep: bool) {
    let project = Project::open(&ProjectOptions::at(root)).expect("the shipped sources open");
    let validator = Validator::new(&project.questionnaires, &project.site.manifest);
    let found = AnswerFile {
        path: file.to_path_buf(),
        stem: "big".into(),
    };
    let (mut kept, mut valid) = (Vec::new(), 0usize);
    read_found_file(&found, &mut |raw| {
        if let Ok(response) = validator.validate(&raw) {
            valid += 1;
            if keep {
                kept.push(response);
            }
        }
    })
    .expect("the big CSV reads");
    println!("{valid} valid responses read, {} kept", kept.len());
}

/// In a child process: what an unsharded `toolkit score` run over every file of `folder`
/// holds before it typesets: every response read and validated and kept, scored, and
/// every summary row built, then summary.csv and summary.xlsx made.
fn unsharded_without_typesetting(root: &Path, folder: &Path) {
    let project = Project::open(&ProjectOptions::at(root)).expect("the shipped sources open");
    let validator = Validator::new(&project.questionnaires, &project.site.manifest);
    let found = toolkit::answers::find_answer_files(&[folder.to_path_buf()]);
    let mut responses = Vec::new();
    for file in &found.files {
        read_found_file(file, &mut |raw| {
            if let Ok(response) = validator.validate(&raw) {
                responses.push(response);
            }
        })
        .expect("the answers read");
    }
    let (columns, dims) = toolkit::summary::summary_header(&project.questionnaires);
    let rows: Vec<toolkit::summary::SummaryRow> = responses
        .iter()
        .map(|r| {
            let q = &project.questionnaires[r.questionnaire];
            toolkit::summary::summary_row(q, r, &r.score(q), &dims)
        })
        .collect();
    let csv =
        toolkit::summary::csv_bytes(&columns, rows.iter().map(|r| r.cells())).expect("summary.csv");
    let xlsx = toolkit::summary::summary_xlsx(&columns, &rows, project.date).expect("summary.xlsx");
    println!(
        "{} responses kept and scored, {} summary rows; summary.csv {} MB, summary.xlsx {} MB",
        responses.len(),
        rows.len(),
        csv.len() / 1_048_576,
        xlsx.len() / 1_048_576
    );
}

/// The arguments of a `toolkit score` run over `paths` into `out`.
fn score_args<'a>(
    paths: &[&'a str],
    shard: &'a str,
    out: &'a str,
    root: &'a [String; 2],
) -> Vec<&'a str> {
    let mut args = vec!["score"];
    args.extend(paths);
    args.extend([
        "--sources",
        &root[0],
        "--templates",
        &root[1],
        "--shard",
        shard,
        "--out",
        out,
    ]);
    args
}

fn main() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let args: Vec<String> = std::env::args().collect();
    if let Some(i) = args.iter().position(|a| a == "--read") {
        read_only(&root, Path::new(&args[i + 1]), args[i + 2] == "keep");
        return;
    }
    if let Some(i) = args.iter().position(|a| a == "--unsharded") {
        unsharded_without_typesetting(&root, Path::new(&args[i + 1]));
        return;
    }
    let toolkit = std::env::var_os("BENCH_TOOLKIT")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_BIN_EXE_toolkit")));
    let project = Project::open(&ProjectOptions::at(&root)).expect("the shipped sources open");
    let n = env_number("BENCH_RESPONSES", 100_000);
    let csv_mb = env_number("BENCH_CSV_MB", 250);
    let temporary = tempfile::tempdir().expect("temporary folder");
    let kept = std::env::var_os("BENCH_DIR").map(PathBuf::from);
    let dir = kept.as_deref().unwrap_or(temporary.path());
    let folders = [
        root.join("sources").display().to_string(),
        root.join("templates").display().to_string(),
    ];
    println!(
        "ingest memory benchmark: {} on {} cores; peak = ru_maxrss of each process",
        toolkit.display(),
        std::thread::available_parallelism().map_or(1, |n| n.get())
    );
    let run = |what: &str, paths: &[&str], shard: &str, out: &str| {
        let out = dir.join(out);
        let _ = std::fs::remove_dir_all(&out);
        let out = out.display().to_string();
        let measured = measure(&toolkit, &score_args(paths, shard, &out, &folders));
        println!(
            "  {what:<58} {:>6.1} s | peak {:>6.1} MB\n    {}",
            measured.seconds, measured.peak_mb, measured.stdout
        );
    };

    let answers = dir.join("answers");
    write_answers(&project, n, &answers);
    let answers = answers.display().to_string();
    let shard = empty_shard(&project);
    let none = format!("{}/{}", shard.index, shard.count);
    run(
        &format!("{n} responses, every stage but typesetting (--shard {none}):"),
        &[&answers],
        &none,
        "out-stages",
    );
    run(
        &format!("{n} responses, shard 1/200 typeset:"),
        &[&answers],
        "1/200",
        "out-shard",
    );
    let me = std::env::current_exe().expect("own path");
    let measured = measure(&me, &["--unsharded", &answers]);
    println!(
        "  {:<58} {:>6.1} s | peak {:>6.1} MB\n    {}",
        format!("{n} responses, one run, every row and summary, no typesetting:"),
        measured.seconds,
        measured.peak_mb,
        measured.stdout
    );

    if csv_mb > 0 {
        let big = dir.join("big.csv");
        let (bytes, rows) = write_big_csv(&project, csv_mb as u64 * 1024 * 1024, &big);
        let size = bytes as f64 / 1_048_576.0;
        let big = big.display().to_string();
        let me = std::env::current_exe().expect("own path");
        for (mode, what) in [
            ("stream", "read and validate, keep nothing"),
            ("keep", "read and validate, keep every response"),
        ] {
            let measured = measure(&me, &["--read", &big, mode]);
            println!(
                "  one CSV of {size:.1} MB ({rows} rows), {what:<39} {:>6.1} s | peak {:>6.1} MB\n    {}",
                measured.seconds, measured.peak_mb, measured.stdout
            );
        }
        run(
            &format!("one CSV of {size:.1} MB, every stage but typesetting:"),
            &[&big],
            &none,
            "out-big",
        );
    }
}
