//! The scoring batch: answer files in, reports and summaries out.
//!
//! 1. find answer files (files as given, folders searched recursively);
//! 2. read them and validate every response (rayon; a bad file or response is rejected
//!    alone, with its place and reason);
//! 3. reject duplicate response ids (all but the first in file and row order);
//! 4. score (rayon, pure functions);
//! 5. typeset one report per response and per group on the compile pool, building each
//!    report's data inside its worker so memory stays flat, and write each atomically;
//! 6. write `summary.csv`, `summary.xlsx` and `errors.csv`.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

use anyhow::Result;
use rayon::prelude::*;

use crate::answers::validate::{Rejection, Response, validate_response};
use crate::answers::{FileRejection, find_answer_files, read_answer_file};
use crate::bundle::sha256_hex;
use crate::content::GUIDES_DIR;
use crate::output::{Stages, progress_bar, write_atomic};
use crate::project::Project;
use crate::report::{Recommendations, ReportContext, group_report, response_report};
use crate::scoring::{ScoreResult, ScoringInput, score_response};
use crate::summary::{csv_bytes, errors_table, summary_header, summary_row, summary_xlsx};
use crate::typeset::{CompileError, Job, run_pool};

/// Template of per-response reports.
pub const REPORT_TEMPLATE: &str = "/templates/report.typ";
/// Template of per-group reports.
pub const GROUP_TEMPLATE: &str = "/templates/group.typ";

/// What a scoring run needs.
pub struct ScoringRun<'a> {
    /// Sources, date, paper and typesetter.
    pub project: &'a Project,
    /// Answer files or folders.
    pub paths: &'a [PathBuf],
    /// Output folder of the reports.
    pub out: &'a Path,
    /// Where the guides are, relative to the output folder's parent (for links); usually
    /// the build's output folder.
    pub guides_dir: Option<&'a Path>,
}

/// What a scoring run did.
#[derive(Debug, Default)]
pub struct ScoringReport {
    /// Answer files read.
    pub files: usize,
    /// Responses found.
    pub responses: usize,
    /// Responses scored.
    pub scored: usize,
    /// Rows written to `errors.csv`.
    pub rejections: usize,
    /// Responses rejected.
    pub rejected_responses: usize,
    /// PDF reports written.
    pub reports: usize,
    /// Reports that failed to typeset.
    pub failures: Vec<CompileError>,
    /// Files written, relative to the output folder.
    pub written: Vec<String>,
    /// Seconds per stage.
    pub timings: Vec<(&'static str, f64)>,
}

/// A file name made safe: letters, digits, `.`, `-` and `_` only, no leading dot, at most
/// 80 characters; when anything had to change, a short hash of the original keeps
/// distinct ids apart.
pub fn safe_file_name(name: &str) -> String {
    let mut safe: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '_'
            }
        })
        .collect();
    safe = safe.trim_start_matches('.').chars().take(80).collect();
    if safe != name || safe.is_empty() {
        let hash = &sha256_hex(name.as_bytes())[..8];
        safe = if safe.is_empty() {
            hash.to_owned()
        } else {
            format!("{safe}-{hash}")
        };
    }
    safe
}

/// The typesetting job of a report: `template`'s function `call` applied to JSON `data`.
pub fn report_job(template: &str, call: &str, data: Vec<u8>, ident: &str) -> Job {
    Job {
        origin: ident.to_owned(),
        main: format!("#import \"{template}\": {call}\n#{call}(json(\"/data.json\"))\n"),
        files: vec![("/data.json".to_owned(), data)],
        ident: ident.to_owned(),
    }
}

/// What reading and validating one file gave.
#[derive(Default)]
struct FileOutcome {
    found: usize,
    rejected: usize,
    responses: Vec<Response>,
    rejections: Vec<Rejection>,
}

/// One report to typeset.
enum ReportTask<'a> {
    Response {
        index: usize,
        output: String,
    },
    Group {
        questionnaire: usize,
        name: &'a str,
        members: Vec<usize>,
        output: String,
    },
}

impl ReportTask<'_> {
    fn output(&self) -> &str {
        match self {
            ReportTask::Response { output, .. } | ReportTask::Group { output, .. } => output,
        }
    }
}

/// Runs a scoring batch, as a flat list of named, timed stages.
pub fn run_scoring(run: &ScoringRun) -> Result<ScoringReport> {
    let mut report = ScoringReport::default();
    let mut stages = Stages::start();
    let (responses, mut rejections) = read_and_validate(run, &mut report);
    let responses = reject_duplicate_ids(responses, &mut rejections, &mut report);
    stages.lap("read and validate");
    let (summary_columns, summary_rows) = score(run, &responses);
    report.scored = responses.len();
    stages.lap("score");
    let tasks = plan_reports(run, &responses);
    typeset_reports(run, &responses, &tasks, &mut report);
    stages.lap("typeset reports");
    write_summaries(
        run,
        &summary_columns,
        &summary_rows,
        rejections,
        &mut report,
    )?;
    stages.lap("summaries");
    report.timings = stages.into_timings();
    Ok(report)
}

impl ScoringRun<'_> {
    /// Scores one response (pure and cheap: reports score again in their worker, so no
    /// per-question results pile up in memory).
    fn score_of(&self, response: &Response) -> ScoreResult {
        let q = &self.project.questionnaires[response.questionnaire];
        score_response(
            q,
            &ScoringInput {
                role: response.role.as_deref(),
                stage: response.stage.as_deref(),
                answers: &response.answers,
            },
        )
    }
}

/// Finds the answer files, reads each and validates every response (rayon), file by file,
/// so that only the files in flight are held as raw text: memory stays flat however many
/// files there are.
fn read_and_validate(
    run: &ScoringRun,
    report: &mut ScoringReport,
) -> (Vec<Response>, Vec<Rejection>) {
    let (files, missing) = find_answer_files(run.paths);
    report.files = files.len();
    let per_file: Vec<FileOutcome> = files
        .par_iter()
        .map(|file| read_and_validate_file(run, file))
        .collect();
    let mut rejections: Vec<Rejection> = missing.into_iter().map(file_rejection).collect();
    let mut responses = Vec::new();
    for outcome in per_file {
        report.responses += outcome.found;
        report.rejected_responses += outcome.rejected;
        responses.extend(outcome.responses);
        rejections.extend(outcome.rejections);
    }
    (responses, rejections)
}

/// Reads one answer file and validates its responses; a bad file or response is rejected
/// alone, with its place and reason.
fn read_and_validate_file(run: &ScoringRun, file: &Path) -> FileOutcome {
    let project = run.project;
    match read_answer_file(file) {
        Ok(raws) => {
            let mut outcome = FileOutcome {
                found: raws.len(),
                ..FileOutcome::default()
            };
            for raw in &raws {
                match validate_response(raw, &project.questionnaires, &project.site.manifest) {
                    Ok(response) => outcome.responses.push(response),
                    Err(problems) => {
                        outcome.rejected += 1;
                        outcome.rejections.extend(problems);
                    }
                }
            }
            outcome
        }
        Err(rejected) => FileOutcome {
            rejections: vec![file_rejection(rejected)],
            ..FileOutcome::default()
        },
    }
}

/// Rejects every response whose id an earlier one (in file and row order) already uses.
fn reject_duplicate_ids(
    mut responses: Vec<Response>,
    rejections: &mut Vec<Rejection>,
    report: &mut ScoringReport,
) -> Vec<Response> {
    let mut seen = HashSet::new();
    responses.retain(|response| {
        if seen.insert(response.id.clone()) {
            return true;
        }
        report.rejected_responses += 1;
        rejections.push(Rejection {
            file: response.file.clone(),
            location: response.location.clone(),
            response_id: response.id.clone(),
            question: String::new(),
            found: response.id.clone(),
            expected: "a response_id not used by an earlier response".into(),
            reason: "duplicate response_id".into(),
            row: response.row,
        });
        false
    });
    responses
}

/// Scores every response (rayon, pure functions) into its `summary.csv` row; returns the
/// summary's columns and rows.
fn score(run: &ScoringRun, responses: &[Response]) -> (Vec<String>, Vec<Vec<String>>) {
    let questionnaires = &run.project.questionnaires;
    let (columns, dims) = summary_header(questionnaires);
    let rows = responses
        .par_iter()
        .map(|r| summary_row(&questionnaires[r.questionnaire], r, &run.score_of(r), &dims))
        .collect();
    (columns, rows)
}

/// Plans every report and its output path: one per response, one per group and
/// questionnaire. The only place that decides report file names.
fn plan_reports<'r>(run: &ScoringRun, responses: &'r [Response]) -> Vec<ReportTask<'r>> {
    let questionnaires = &run.project.questionnaires;
    let mut tasks = Vec::new();
    let mut used_names: HashMap<String, usize> = HashMap::new();
    for (index, response) in responses.iter().enumerate() {
        let q = &questionnaires[response.questionnaire];
        let mut name = safe_file_name(&response.id);
        let count = used_names
            .entry(format!("{}/{name}", q.slug()))
            .or_insert(0);
        *count += 1;
        if *count > 1 {
            name = format!("{name}-{count}");
        }
        tasks.push(ReportTask::Response {
            index,
            output: format!("responses/{}/{name}.pdf", q.slug()),
        });
    }
    let mut groups: BTreeMap<(usize, &str), Vec<usize>> = BTreeMap::new();
    for (index, response) in responses.iter().enumerate() {
        groups
            .entry((response.questionnaire, response.group.as_str()))
            .or_default()
            .push(index);
    }
    for ((questionnaire, name), members) in groups {
        let q = &questionnaires[questionnaire];
        let file = if name.is_empty() {
            "no-group".to_owned()
        } else {
            safe_file_name(name)
        };
        tasks.push(ReportTask::Group {
            questionnaire,
            name,
            members,
            output: format!("groups/{}/{file}.pdf", q.slug()),
        });
    }
    tasks
}

/// The context every report of the run shares: labels, date, paper, links to the guides.
fn report_context<'a>(run: &ScoringRun<'a>) -> ReportContext<'a> {
    let project = run.project;
    let guides_url = match run.guides_dir {
        Some(guides) => {
            let depth = 2 + run
                .out
                .strip_prefix(guides)
                .map(|p| p.components().count())
                .unwrap_or(1);
            let up = vec![".."; depth].join("/");
            format!("{up}/{GUIDES_DIR}")
        }
        None => format!("../../../{GUIDES_DIR}"),
    };
    ReportContext {
        manifest: &project.site.manifest,
        date: (project.date.year, project.date.month, project.date.day),
        paper: project.paper.typst_name(),
        guides_url,
        document_titles: project
            .site
            .documents
            .iter()
            .map(|d| (d.id.clone(), d.front.title.clone()))
            .collect(),
        recommendations: Recommendations::default(),
    }
}

/// Typesets every planned report on the compile pool, building each report's data inside
/// its worker so memory stays flat, and writes each atomically.
fn typeset_reports(
    run: &ScoringRun,
    responses: &[Response],
    tasks: &[ReportTask],
    report: &mut ScoringReport,
) {
    let ctx = report_context(run);
    let ident_base = run.project.site.manifest.id.get_ref();
    let bar = progress_bar(tasks.len(), "reports");
    let outcomes = run_pool(
        tasks,
        run.project.threads,
        |task| -> Result<(), CompileError> {
            let (template, call, data) = report_data(run, &ctx, responses, task);
            let job = report_job(
                template,
                call,
                data,
                &format!("{ident_base}/reports/{}", task.output()),
            );
            let pdf = run.project.typesetter.compile(&job)?;
            write_atomic(&run.out.join(task.output()), &pdf)
                .map_err(|e| CompileError::plain(task.output(), format!("{e:#}")))
        },
        || bar.inc(1),
    );
    bar.finish_and_clear();
    for (task, outcome) in tasks.iter().zip(outcomes) {
        match outcome {
            Ok(()) => {
                report.reports += 1;
                report.written.push(task.output().to_owned());
            }
            Err(error) => report.failures.push(error),
        }
    }
}

/// The template, its entry function and the JSON data of one report.
fn report_data(
    run: &ScoringRun,
    ctx: &ReportContext,
    responses: &[Response],
    task: &ReportTask,
) -> (&'static str, &'static str, Vec<u8>) {
    let questionnaires = &run.project.questionnaires;
    match task {
        ReportTask::Response { index, .. } => {
            let response = &responses[*index];
            let q = &questionnaires[response.questionnaire];
            let data = response_report(ctx, q, response, &run.score_of(response));
            let json = serde_json::to_vec(&data).expect("serialises");
            (REPORT_TEMPLATE, "report", json)
        }
        ReportTask::Group {
            questionnaire,
            name,
            members,
            ..
        } => {
            let q = &questionnaires[*questionnaire];
            let results: Vec<ScoreResult> = members
                .iter()
                .map(|&i| run.score_of(&responses[i]))
                .collect();
            let pairs: Vec<(&Response, &ScoreResult)> = members
                .iter()
                .zip(&results)
                .map(|(&i, result)| (&responses[i], result))
                .collect();
            let data = group_report(ctx, q, name, &pairs);
            let json = serde_json::to_vec(&data).expect("serialises");
            (GROUP_TEMPLATE, "group-report", json)
        }
    }
}

/// Writes `summary.csv`, `summary.xlsx` and `errors.csv` (file order, then row order;
/// problems of one row stay in the order they were found).
fn write_summaries(
    run: &ScoringRun,
    columns: &[String],
    rows: &[Vec<String>],
    mut rejections: Vec<Rejection>,
    report: &mut ScoringReport,
) -> Result<()> {
    write_atomic(&run.out.join("summary.csv"), &csv_bytes(columns, rows)?)?;
    write_atomic(
        &run.out.join("summary.xlsx"),
        &summary_xlsx(columns, rows, run.project.date)?,
    )?;
    rejections.sort_by(|a, b| (&a.file, a.row).cmp(&(&b.file, b.row)));
    let (header, error_rows) = errors_table(&rejections);
    write_atomic(
        &run.out.join("errors.csv"),
        &csv_bytes(&header, &error_rows)?,
    )?;
    report
        .written
        .extend(["summary.csv", "summary.xlsx", "errors.csv"].map(str::to_owned));
    report.rejections = rejections.len();
    Ok(())
}

fn file_rejection(f: FileRejection) -> Rejection {
    Rejection {
        file: f.file,
        location: f.location,
        response_id: String::new(),
        question: String::new(),
        found: String::new(),
        expected: "a CSV, XLSX or ODS answer file (see the README)".into(),
        reason: f.reason,
        row: 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // File names never leave the output folder and distinct ids stay distinct.
    #[test]
    fn safe_names() {
        assert_eq!(safe_file_name("ws-1_a.b"), "ws-1_a.b");
        let tricky = safe_file_name("../../etc/passwd");
        assert!(
            !tricky.contains('/') && !tricky.starts_with('.'),
            "{tricky}"
        );
        assert_ne!(safe_file_name("a/b"), safe_file_name("a?b"));
        assert!(safe_file_name("").len() == 8);
        assert!(safe_file_name(&"x".repeat(500)).len() <= 89);
        assert!(!safe_file_name("C:\\Windows\\x").contains('\\'));
    }
}
