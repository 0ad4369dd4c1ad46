//! Benchmark: scoring N synthetic responses into N per-response reports, group reports
//! and summaries, for N = 100, 1,000 and 10,000 (override with `BENCH_SIZES=100,1000`).
//!
//! Each N runs in a child process so that its peak memory (VmHWM) is its own. Prints
//! responses/s (read, validate, score), reports/s (typeset and write), the compile-only
//! floor of the report template (the same prepared report compiled on the pool, no I/O,
//! no data building), and peak memory.
//!
//! Then, for N = 1,000 and 10,000 (override with `BENCH_INCREMENTAL_SIZES`): a cold run, a
//! warm rerun, a rerun with 1 % changed, and two shards side by side plus the merge, each
//! with its own peak memory (see `score_reports_incremental.rs`).
//!
//! Run with `cargo bench --bench score_reports`.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

#[path = "score_reports_incremental.rs"]
mod incremental;

use toolkit::batch::{ScoringRun, run_scoring};
use toolkit::content::Site;
use toolkit::project::{Project, ProjectOptions};
use toolkit::synthetic::{respondents, wide_csv};
use toolkit::typeset::{Job, compile_pool_threads, run_pool};

const GROUPS: [&str; 10] = [
    "Agency 1",
    "Agency 2",
    "Agency 3",
    "Agency 4",
    "Agency 5",
    "Agency 6",
    "Agency 7",
    "Agency 8",
    "Agency 9",
    "Agency 10",
];

fn peak_memory_mb() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|kb| kb.parse::<f64>().ok())
        .map_or(0.0, |kb| kb / 1024.0)
}

fn child(n: usize, root: &Path) {
    let project = Project::open(&ProjectOptions::at(root)).expect("the shipped sources open");
    let Project {
        site,
        questionnaires,
        typesetter,
        ..
    } = &project;
    let date = project.date;
    let dir = tempfile::tempdir().expect("temporary folder");
    let answers = dir.path().join("answers");
    std::fs::create_dir_all(&answers).unwrap();
    // The responses are spread over the three questionnaires, in files of 500 rows.
    let people = respondents(&site.manifest, n, &GROUPS, 42);
    for (k, chunk) in people.chunks(500).enumerate() {
        let q = &questionnaires[k % questionnaires.len()];
        std::fs::write(
            answers.join(format!("batch-{k:04}.csv")),
            wide_csv(q, chunk, &["A comment."], k as u64 + 1),
        )
        .unwrap();
    }
    let out = dir.path().join("reports");
    let started = Instant::now();
    let paths = [answers];
    let report = run_scoring(&ScoringRun {
        project: &project,
        paths: &paths,
        out: &out,
        guides_dir: None,
        reuse: true,
        shard: None,
    })
    .expect("scoring runs");
    let total = started.elapsed().as_secs_f64();
    let stage = |name: &str| {
        report
            .timings
            .iter()
            .find(|(s, _)| *s == name)
            .map_or(0.0, |(_, t)| *t)
    };
    let ingest = stage("read and validate") + stage("score");
    let typeset = stage("typeset reports");
    assert_eq!(report.scored, n, "every synthetic response scores");

    // Compile-only floor: one prepared report, compiled over and over on the pool.
    let floor_jobs: Vec<Job> = (0..(n.min(400)))
        .map(|_| floor_job(site, questionnaires, date))
        .collect();
    let floor_start = Instant::now();
    let results = run_pool(
        &floor_jobs,
        project.threads,
        |job| typesetter.compile(job).map(|pdf| pdf.len()),
        || {},
    );
    let floor = floor_jobs.len() as f64 / floor_start.elapsed().as_secs_f64();
    assert!(results.iter().all(Result::is_ok));

    println!(
        "N={n:>6}: total {total:>6.2} s | {:>8.0} responses/s | {:>6.1} reports/s ({} reports) | floor {:>6.1} reports/s | peak {:>6.1} MB",
        n as f64 / ingest.max(1e-9),
        report.reports as f64 / typeset.max(1e-9),
        report.reports,
        floor,
        peak_memory_mb()
    );
}

/// A typical per-response report job (readiness, with radar chart), built once.
fn floor_job(
    site: &Site,
    questionnaires: &[toolkit::questionnaire::Questionnaire],
    date: toolkit::date::Date,
) -> Job {
    use toolkit::answers::validate::validate_response;
    use toolkit::report::{ReportContext, response_report};
    use toolkit::scoring::{ScoringInput, score_response};
    let q = questionnaires
        .iter()
        .find(|q| q.id == "readiness")
        .unwrap_or(&questionnaires[0]);
    let people = respondents(&site.manifest, 1, &GROUPS, 7);
    let csv = wide_csv(q, &people, &["A comment."], 3);
    let raw = toolkit::answers::csv_file::read_csv(&csv, "floor.csv", "floor").unwrap();
    let response = validate_response(&raw[0], questionnaires, &site.manifest).unwrap();
    let result = score_response(
        q,
        &ScoringInput {
            role: response.role.as_deref(),
            stage: response.stage.as_deref(),
            answers: &response.answers,
        },
    );
    let ctx = ReportContext {
        manifest: &site.manifest,
        date,
        paper: "a4",
        guides_url: "../../../guides".into(),
        document_titles: vec![],
        section_titles: Default::default(),
        recommendations: Default::default(),
    };
    let data = response_report(&ctx, q, &response, &result);
    toolkit::jobs::report::report_job(
        toolkit::jobs::report::REPORT_TEMPLATE,
        "report",
        serde_json::to_vec(&data).unwrap(),
        "floor",
    )
}

fn main() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let args: Vec<String> = std::env::args().collect();
    if let Some(i) = args.iter().position(|a| a == "--phase") {
        incremental::phase(&root, &args[i + 1], Path::new(&args[i + 2]));
        return;
    }
    if let Some(i) = args.iter().position(|a| a == "--child") {
        let n: usize = args[i + 1].parse().expect("N");
        child(n, &root);
        return;
    }
    let sizes = std::env::var("BENCH_SIZES").unwrap_or_else(|_| "100,1000,10000".into());
    println!(
        "scoring benchmark on {} cores (compile pool of {} threads)",
        std::thread::available_parallelism().map_or(1, |n| n.get()),
        compile_pool_threads()
    );
    for n in sizes
        .split(',')
        .filter_map(|s| s.trim().parse::<usize>().ok())
    {
        let status = Command::new(std::env::current_exe().expect("own path"))
            .args(["--child", &n.to_string()])
            .status()
            .expect("child runs");
        assert!(status.success(), "benchmark for N={n} failed");
    }
    let sizes = std::env::var("BENCH_INCREMENTAL_SIZES").unwrap_or_else(|_| "1000,10000".into());
    let exe = std::env::current_exe().expect("own path");
    for n in sizes
        .split(',')
        .filter_map(|s| s.trim().parse::<usize>().ok())
    {
        incremental::run(&exe, &root, n);
    }
}
