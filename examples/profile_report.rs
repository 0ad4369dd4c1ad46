//! Where a report's compile time goes, from Typst's own timing trace (the one typst-cli's
//! `--timings` writes): compiles one synthetic report of each kind a few times on one
//! thread with timing on, then prints, per traced step and template line, the time spent
//! in it (inclusive) and in it alone (self), summed over the compiles. With `--trace FILE`
//! it also writes the last compile's Chrome trace (open in chrome://tracing or Perfetto).
//!
//! `cargo run --release --example profile_report -- [readiness|risk|group] [--runs N]
//! [--templates DIR] [--respondent K] [--version V] [--trace FILE] [--pdf FILE] [--untimed]`
//! (`--version` picks a version of the questionnaire, by default the first one loaded;
//! `--pdf` writes the report, for a look; `--untimed` leaves Typst's timing off and prints
//! only the time per compile, for a sampling profiler such as `perf`).

use std::collections::HashMap;
use std::num::NonZeroU64;
use std::path::{Path, PathBuf};
use std::time::Instant;

use toolkit::answers::validate::Response;
use toolkit::jobs::report::report_job;
use toolkit::project::{Project, ProjectOptions};
use toolkit::report::{ReportContext, group_report, response_report};
use toolkit::scoring::ScoreResult;
use toolkit::synthetic::scored;
use toolkit::typeset::{Job, Template, run_pool};
use typst::syntax::{FileId, RootedPath, Source, Span, VirtualPath, VirtualRoot};

fn main() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let args: Vec<String> = std::env::args().skip(1).collect();
    let value = |flag: &str| {
        args.iter()
            .position(|a| a == flag)
            .and_then(|i| args.get(i + 1).cloned())
    };
    let kind = args
        .first()
        .filter(|a| !a.starts_with("--"))
        .cloned()
        .unwrap_or_else(|| "readiness".into());
    let runs: usize = value("--runs").and_then(|v| v.parse().ok()).unwrap_or(20);
    let mut options = ProjectOptions::at(&root);
    if let Some(dir) = value("--templates") {
        options.templates = PathBuf::from(dir);
    }
    options.threads = Some(1);
    let templates = options.templates.clone();
    let project = Project::open(&options).expect("the project opens");
    let respondent: usize = value("--respondent")
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    let version = value("--version");
    let job = report_of(&project, &kind, version.as_deref(), respondent);
    if let Some(path) = value("--pdf") {
        let pdf = run_pool(
            std::slice::from_ref(&job),
            1,
            |job| project.typesetter.compile(job).expect("compiles").pdf,
            || {},
        );
        std::fs::write(&path, &pdf[0]).expect("PDF written");
    }

    // One compile on a pool thread (large stack) to warm up, then the timed ones.
    let jobs = vec![job; runs + 1];
    let mut traces = Vec::new();
    let mut elapsed = 0.0;
    let mut cpu = 0.0;
    let timed = !args.iter().any(|a| a == "--untimed");
    for (i, job) in jobs.iter().enumerate() {
        if i > 0 && timed {
            typst_timing::enable();
        }
        let (start, cpu_start) = (Instant::now(), cpu_seconds());
        run_pool(
            std::slice::from_ref(job),
            1,
            |job| project.typesetter.compile(job).expect("compiles").pdf,
            || {},
        );
        if i > 0 {
            elapsed += start.elapsed().as_secs_f64();
            cpu += cpu_seconds() - cpu_start;
        }
        if i > 0 && timed {
            typst_timing::disable();
            let mut json = Vec::new();
            typst_timing::export_json(&mut json, |span| locate(&templates, span))
                .expect("trace exports");
            traces.push(json);
        }
    }
    if !timed {
        println!(
            "{kind} report, {runs} compiles on one thread, {:.1} ms per compile, {:.1} ms CPU",
            elapsed * 1000.0 / runs as f64,
            cpu * 1000.0 / runs as f64
        );
        return;
    }
    if let Some(path) = value("--trace") {
        std::fs::write(&path, traces.last().expect("one trace")).expect("trace written");
    }
    let mut table: HashMap<String, (f64, f64, usize)> = HashMap::new();
    for json in &traces {
        aggregate(json, &mut table);
    }
    let mut rows: Vec<_> = table.into_iter().collect();
    rows.sort_by(|a, b| b.1.1.total_cmp(&a.1.1));
    println!(
        "{kind} report, {runs} compiles on one thread, {:.1} ms per compile with timing on",
        elapsed * 1000.0 / runs as f64
    );
    println!("{:>10} {:>10} {:>7}  step", "self ms", "incl. ms", "calls");
    for (key, (inclusive, own, calls)) in rows.iter().take(40) {
        println!(
            "{:>10.2} {:>10.2} {:>7.1}  {key}",
            own / runs as f64,
            inclusive / runs as f64,
            *calls as f64 / runs as f64
        );
    }
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

/// The template file and line of a traced span.
fn locate(templates: &Path, raw: NonZeroU64) -> (String, u32) {
    let span = Span::from_raw(raw);
    let Some(id) = span.id() else {
        return (String::new(), 0);
    };
    let vpath = id.vpath().get_with_slash();
    let Some(rest) = vpath.strip_prefix("/templates/") else {
        return (vpath.to_string(), 0);
    };
    let Ok(text) = std::fs::read_to_string(templates.join(rest)) else {
        return (vpath.to_string(), 0);
    };
    // Parsing the same text numbers its spans the same way as the typesetter's copy.
    let source = Source::new(template_id(vpath), text);
    let line = source
        .find(span)
        .and_then(|node| source.lines().byte_to_line(node.range().start))
        .map_or(0, |l| l as u32 + 1);
    (rest.to_owned(), line)
}

fn template_id(vpath: &str) -> FileId {
    RootedPath::new(
        VirtualRoot::Project,
        VirtualPath::new(vpath).expect("valid"),
    )
    .intern()
}

/// Adds a Chrome trace's begin/end pairs up per step and line: inclusive and self time (ms)
/// and calls.
fn aggregate(json: &[u8], table: &mut HashMap<String, (f64, f64, usize)>) {
    let events: Vec<serde_json::Value> = serde_json::from_slice(json).expect("trace parses");
    // Per thread: stack of (key, start, time spent in children).
    let mut stacks: HashMap<u64, Vec<(String, f64, f64)>> = HashMap::new();
    for event in events {
        let tid = event["tid"].as_u64().unwrap_or(0);
        let ts = event["ts"].as_f64().unwrap_or(0.0) / 1000.0;
        let stack = stacks.entry(tid).or_default();
        match event["ph"].as_str() {
            Some("B") => {
                let mut key = event["name"].as_str().unwrap_or("?").to_owned();
                if let Some(file) = event["args"]["file"].as_str() {
                    key = format!("{key} {file}:{}", event["args"]["line"]);
                }
                stack.push((key, ts, 0.0));
            }
            Some("E") => {
                let Some((key, start, children)) = stack.pop() else {
                    continue;
                };
                let total = ts - start;
                if let Some(parent) = stack.last_mut() {
                    parent.2 += total;
                }
                let entry = table.entry(key).or_default();
                entry.0 += total;
                entry.1 += total - children;
                entry.2 += 1;
            }
            _ => {}
        }
    }
}

/// A synthetic report job of one kind: `readiness`, `risk` or `group`, of one version of
/// the questionnaire (the first one loaded when none is given).
fn report_of(project: &Project, kind: &str, version: Option<&str>, respondent: usize) -> Job {
    let site = &project.site;
    let id = if kind == "readiness" {
        "readiness"
    } else {
        "risk-assessment"
    };
    let q = project
        .questionnaires
        .iter()
        .find(|q| q.id == id && version.is_none_or(|v| q.version == v))
        .expect("questionnaire of that id and version");
    let (responses, results) = scored(
        &site.manifest,
        &project.questionnaires,
        q,
        8.max(respondent + 1),
        &["Workshop 1"],
        11,
    );
    let ctx = ReportContext::standalone(&site.manifest, project.date);
    if kind == "group" {
        let members: Vec<(&Response, &ScoreResult)> = responses.iter().zip(&results).collect();
        let data = group_report(&ctx, q, "Workshop 1", &members);
        report_job(Template::GROUP, &data, "profile")
    } else {
        let data = response_report(&ctx, q, &responses[respondent], &results[respondent]);
        report_job(Template::REPORT, &data, "profile")
    }
}
