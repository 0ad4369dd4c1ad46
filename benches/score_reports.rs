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
//! Then "template: today's vs current": the same report data (by default 200 readiness and
//! 200 risk reports and 50 group reports, scaled by `BENCH_TEMPLATE_REPORTS=<readiness
//! count>`) compiled on the pool three ways, in interleaved slices (repeated
//! `BENCH_TEMPLATE_ROUNDS` times, default 1): the frozen copy in `benches/baseline-templates/`
//! as the pipeline compiled it then (hinted fonts, the template evaluated in every compile),
//! the same copy as the pipeline compiles it now (fonts without hinting, templates
//! evaluated once per run), and `templates/` (or `BENCH_TEMPLATES=DIR`). Prints reports/s and CPU per report of each, and the ratios, split into the
//! templates' share and the engine's. `BENCH_TEMPLATE_REPORTS=0` skips it; `BENCH_SIZES=`
//! (empty) runs only it.
//!
//! Run with `cargo bench --bench score_reports`.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

#[path = "score_reports_incremental.rs"]
mod incremental;

use toolkit::answers::validate::Response;
use toolkit::batch::{ScoringRun, run_scoring};
use toolkit::content::Site;
use toolkit::jobs::report::report_job;
use toolkit::project::{Project, ProjectOptions, open_typesetter};
use toolkit::questionnaire::Questionnaire;
use toolkit::report::{ReportContext, group_report, response_report};
use toolkit::scoring::ScoreResult;
use toolkit::synthetic::scored;
use toolkit::typeset::{Job, Template, TypesetConfig, Typesetter, compile_pool_threads, run_pool};

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
    incremental::write_answers(&project, n, &answers);
    let out = dir.path().join("reports");
    let started = Instant::now();
    let paths = [answers];
    let report = run_scoring(&ScoringRun {
        project: &project,
        paths: &paths,
        out: &out,
        guides_link: None,
        reuse: true,
        shard: None,
        language: None,
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
        |job| typesetter.compile(job).map(|done| done.pdf.len()),
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
fn floor_job(site: &Site, questionnaires: &[Questionnaire], date: toolkit::date::Date) -> Job {
    let q = questionnaires
        .iter()
        .find(|q| q.id == "readiness")
        .unwrap_or(&questionnaires[0]);
    let (responses, results) = scored(&site.manifest, questionnaires, q, 1, &GROUPS, 7);
    let data = response_report(
        &ReportContext::standalone(&site.manifest, date),
        q,
        &responses[0],
        &results[0],
    );
    report_job(Template::REPORT, &data, "floor")
}

/// The template comparison's jobs by kind: `readiness` readiness reports, as many risk
/// reports, and group reports of 8 members each (a quarter as many, half per questionnaire).
fn template_jobs(
    site: &Site,
    questionnaires: &[Questionnaire],
    date: toolkit::date::Date,
    readiness: usize,
) -> Vec<(&'static str, Vec<Job>)> {
    let ctx = ReportContext::standalone(&site.manifest, date);
    let group_count = (readiness / 8).max(1);
    let names: Vec<String> = (1..=group_count).map(|i| format!("Workshop {i}")).collect();
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    let mut kinds = vec![("readiness", vec![]), ("risk", vec![]), ("group", vec![])];
    for (k, (id, seed)) in [("readiness", 11), ("risk-assessment", 13)]
        .into_iter()
        .enumerate()
    {
        let q = questionnaires.iter().find(|q| q.id == id).expect(id);
        let (responses, results) =
            scored(&site.manifest, questionnaires, q, readiness, &names, seed);
        for (i, (response, result)) in responses.iter().zip(&results).enumerate() {
            let data = response_report(&ctx, q, response, result);
            let job = report_job(Template::REPORT, &data, &format!("{id}-{i}"));
            kinds[k].1.push(job);
        }
        for name in &names {
            let members: Vec<(&Response, &ScoreResult)> = responses
                .iter()
                .zip(&results)
                .filter(|(r, _)| r.group == *name)
                .collect();
            let data = group_report(&ctx, q, name, &members);
            let ident = format!("{id}-{name}");
            kinds[2].1.push(report_job(Template::GROUP, &data, &ident));
        }
    }
    kinds
}

/// CPU time of this process so far (all threads, Typst's own rayon workers included).
fn cpu_seconds() -> f64 {
    // SAFETY: getrusage only writes the struct it is given.
    let usage = unsafe {
        let mut usage: libc::rusage = std::mem::zeroed();
        libc::getrusage(libc::RUSAGE_SELF, &mut usage);
        usage
    };
    let seconds = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    seconds(usage.ru_utime) + seconds(usage.ru_stime)
}

/// Compiles `jobs` on the pool; returns (wall seconds, CPU seconds).
fn compile_all(typesetter: &Typesetter, jobs: &[&Job], threads: usize) -> (f64, f64) {
    let (start, cpu) = (Instant::now(), cpu_seconds());
    let results = run_pool(
        jobs,
        threads,
        |job| typesetter.compile(job).map(|done| done.pdf.len()),
        || {},
    );
    let times = (start.elapsed().as_secs_f64(), cpu_seconds() - cpu);
    if let Some(Err(e)) = results.iter().find(|r| r.is_err()) {
        panic!("{e}");
    }
    times
}

/// "template: today's vs current": the same jobs with the frozen templates and with the
/// current ones. The machine may be shared, so each kind's jobs are cut into ten slices and
/// each slice is compiled with both sets back to back (alternating which goes first); the
/// times add up per set and kind. CPU time per report is printed too: it moves less with
/// the load than wall time.
fn compare_templates(root: &Path, readiness: usize, rounds: usize) {
    let project = Project::open(&ProjectOptions::at(root)).expect("the shipped sources open");
    // The frozen templates, served as /templates from two temporary folders: one with the
    // fonts as they were (hinted Noto Sans, kept in `baseline-templates/fonts`, the other
    // fonts linked), one that links the current fonts.
    let frozen = root.join("benches/baseline-templates");
    let folder = |then_fonts: bool| {
        let dir = tempfile::tempdir().expect("temporary folder");
        for name in ["report.typ", "group.typ", "style.typ"] {
            std::fs::copy(frozen.join(name), dir.path().join(name)).expect("baseline template");
        }
        let fonts = dir.path().join("fonts");
        std::fs::create_dir(&fonts).expect("fonts folder");
        for entry in std::fs::read_dir(root.join("templates/fonts")).expect("fonts") {
            let path = entry.expect("font").path();
            let name = path.file_name().expect("file name").to_owned();
            let old = frozen.join("fonts").join(&name);
            let source = if then_fonts && old.exists() {
                old
            } else {
                path
            };
            std::os::unix::fs::symlink(source, fonts.join(name)).expect("font link");
        }
        dir
    };
    let (then_dir, now_dir) = (folder(true), folder(false));
    let frozen_config = |dir: &Path, preload_templates| TypesetConfig {
        templates_dir: dir.to_path_buf(),
        sources_dir: project.site.sources_dir.clone(),
        date: project.date,
        pdf_ua: true,
        pdf: Default::default(),
        preload_templates,
    };
    // Today's report as today's pipeline compiled it (hinted fonts, the template evaluated
    // in every compile), and today's template as the pipeline now compiles it (current
    // fonts, evaluated once per run): the first step is the engine's share, the rest the
    // templates'.
    let baseline =
        Typesetter::new(frozen_config(then_dir.path(), false)).expect("baseline typesetter");
    let baseline_now =
        Typesetter::new(frozen_config(now_dir.path(), true)).expect("baseline on today's engine");
    // `BENCH_TEMPLATES=DIR` compares a candidate template folder instead of `templates/`.
    let candidate = std::env::var_os("BENCH_TEMPLATES").map(|dir| {
        open_typesetter(
            &project.site,
            Path::new(&dir),
            project.date,
            Default::default(),
        )
        .expect("candidate typesetter")
    });
    let current = candidate.as_ref().unwrap_or(&project.typesetter);
    let kinds = template_jobs(
        &project.site,
        &project.questionnaires,
        project.date,
        readiness,
    );
    let counts: Vec<String> = kinds
        .iter()
        .map(|(kind, jobs)| format!("{} {kind}", jobs.len()))
        .collect();
    let total: usize = kinds.iter().map(|(_, jobs)| jobs.len()).sum();
    println!(
        "template: today's vs current ({total} reports: {}; x{rounds}; {} threads)",
        counts.join(", "),
        project.threads,
    );
    const SLICES: usize = 10;
    let sets = [
        ("today's", &baseline),
        ("today's template, now", &baseline_now),
        ("current", current),
    ];
    // [set][kind] = (wall, CPU)
    let mut times = [[(0f64, 0f64); 3]; 3];
    for round in 0..rounds {
        for slice in 0..SLICES {
            for (k, (_, jobs)) in kinds.iter().enumerate() {
                let part: Vec<&Job> = jobs.iter().skip(slice).step_by(SLICES).collect();
                if part.is_empty() {
                    continue;
                }
                for i in 0..sets.len() {
                    let which = (i + slice + round + k) % sets.len();
                    let (wall, cpu) = compile_all(sets[which].1, &part, project.threads);
                    times[which][k].0 += wall;
                    times[which][k].1 += cpu;
                }
            }
        }
    }
    let sum = |set: usize| -> (f64, f64) {
        times[set]
            .iter()
            .fold((0.0, 0.0), |(w, c), (wall, cpu)| (w + wall, c + cpu))
    };
    for (set, (name, _)) in sets.iter().enumerate() {
        let per_kind: Vec<String> = kinds
            .iter()
            .enumerate()
            .map(|(k, (kind, jobs))| {
                let n = (jobs.len() * rounds).max(1) as f64;
                format!("{kind} {:.1}", times[set][k].1 * 1000.0 / n)
            })
            .collect();
        let (wall, cpu) = sum(set);
        let n = (total * rounds) as f64;
        println!(
            "  {name:<22} {:>6.1} reports/s | {:>5.1} ms CPU per report ({})",
            n / wall,
            cpu * 1000.0 / n,
            per_kind.join(", ")
        );
    }
    let ratio = |from: usize, to: usize, what: &str| {
        let ((then_wall, then_cpu), (now_wall, now_cpu)) = (sum(from), sum(to));
        let per_kind: Vec<String> = kinds
            .iter()
            .enumerate()
            .map(|(k, (kind, _))| format!("{kind} {:.2}x", times[from][k].1 / times[to][k].1))
            .collect();
        println!(
            "  {what}: {:.2}x reports/s, {:.2}x less CPU per report ({})",
            then_wall / now_wall,
            then_cpu / now_cpu,
            per_kind.join(", ")
        );
    };
    ratio(0, 2, "current vs today's");
    ratio(
        1,
        2,
        "of which the templates (current vs today's template, both compiled as now)",
    );
    ratio(
        0,
        1,
        "and the engine (templates evaluated once, fonts without hinting)",
    );
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
    let env_number = |name: &str, default: usize| {
        std::env::var(name)
            .ok()
            .and_then(|v| v.trim().parse().ok())
            .unwrap_or(default)
    };
    let readiness = env_number("BENCH_TEMPLATE_REPORTS", 200);
    if readiness > 0 {
        compare_templates(
            &root,
            readiness,
            env_number("BENCH_TEMPLATE_ROUNDS", 1).max(1),
        );
    }
}
