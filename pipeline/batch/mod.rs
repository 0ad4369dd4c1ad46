//! The scoring batch: answer files in, reports and summaries out, as one transaction.
//!
//! 1. lock the output folder and open a staging folder beside it ([`transaction`]);
//! 2. find answer files (files as given, folders searched recursively; this tool's output
//!    folders and tables, lock, system and hidden files skipped with a note, other formats
//!    refused with why), read them as streams and validate each response as it is read
//!    (rayon; a bad file or response is rejected alone, with its place and reason; a panic
//!    in a reader costs that file only; unfilled files are noted, not scored);
//! 3. reject duplicate response ids (all but the first in file and row order);
//! 4. score (rayon, pure functions);
//! 5. plan every report's file name ([`names`], unique by construction);
//! 6. typeset one report per response and per group on the compile pool, building each
//!    report's data inside its worker so memory stays flat (a failed or panicking report
//!    costs that report only, with a row in `errors.csv`);
//! 7. write `summary.csv`, `summary.xlsx`, `errors.csv` and `run.json` ([`record`]), then
//!    put the staged folder in place of the output folder in one step.
//!
//! [`transaction`]: crate::transaction

pub mod names;
pub mod record;
pub mod shard;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

use anyhow::Result;
use rayon::prelude::*;

use crate::answers::validate::{Rejection, Response, Validator};
use crate::answers::{AnswerFile, FileRejection, display_path, find_answer_files, read_found_file};
use crate::jobs::report::report_job;
use crate::layout::{Layout, ReportsLayout};
use crate::output::{Stages, progress_bar, sha256_hex, write_atomic};
use crate::output_mark::OutputKind;
use crate::project::Project;
use crate::questionnaire::Questionnaire;
use crate::report::{Recommendations, ReportContext, group_report, response_report};
use crate::scoring::ScoreResult;
use crate::summary::{
    ERRORS_SIGNATURE, SUMMARY_SIGNATURE, SummaryRow, csv_bytes, errors_table, summary_header,
    summary_row, summary_xlsx,
};
use crate::transaction::OutputTransaction;
use crate::typeset::{CompileError, Job, Template, Warning, Warnings, run_pool};
use names::NameSet;
pub use names::safe_file_name;
use record::{Counts, InputFile, OutputFile, PreviousRun, RUN_RECORD, RunRecord, file_inside};
use shard::{Provenance, Shard, ShardRecord};

/// What a scoring run needs.
pub struct ScoringRun<'a> {
    /// Sources, date, paper and typesetter.
    pub project: &'a Project,
    /// Answer files or folders.
    pub paths: &'a [PathBuf],
    /// Output folder of the reports.
    pub out: &'a Path,
    /// The link from a report to the folder of the guides, when the reports sit inside a
    /// build (see [`ReportsLayout::guides_link`]); `None` for reports in a `reports/`
    /// folder beside the guides' folder, as `toolkit score` writes by default.
    pub guides_link: Option<String>,
    /// Reuse the previous run's report when nothing that shapes it changed (its key in
    /// `run.json` matches); `false` typesets every report (`--no-cache`).
    pub reuse: bool,
    /// Make only this shard's reports (and write `shard.json` for `toolkit merge`).
    pub shard: Option<Shard>,
    /// Typeset every report in this language (`--language`), whatever the responses name.
    pub language: Option<String>,
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
    /// Answer files with nothing filled in (blank workbooks and templates): not scored,
    /// not errors.
    pub unfilled: usize,
    /// PDF reports written.
    pub reports: usize,
    /// Of those, reports reused from the previous run (nothing that shapes them changed).
    pub reused: usize,
    /// Reports that failed to typeset.
    pub failures: Vec<CompileError>,
    /// Typst's warnings, once per template and message (not once per report).
    pub warnings: Warnings,
    /// What the command should tell the user beside the counts (files skipped on purpose,
    /// records ignored), one line each, in the order they were found.
    pub notes: Vec<String>,
    /// Files written, relative to the output folder.
    pub written: Vec<String>,
    /// Seconds per stage.
    pub timings: Vec<(&'static str, f64)>,
}

/// What reading and validating one file gave.
#[derive(Default)]
struct FileOutcome {
    input: Option<InputFile>,
    found: usize,
    rejected: usize,
    responses: Vec<Response>,
    rejections: Vec<Rejection>,
    /// Nothing was filled in: no response to score, no error.
    unfilled: bool,
    /// The file is this tool's own output, not answers.
    own_output: bool,
    /// What to tell the user about the file (unfilled, skipped).
    note: Option<String>,
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

/// Why a scoring run did not replace its output folder (nothing was written).
#[derive(Debug)]
pub enum ScoringError {
    /// No answer file was found, and the output folder holds an earlier run's results,
    /// which were kept.
    NothingToScore {
        /// The paths given.
        paths: Vec<PathBuf>,
        /// The folder whose results were kept.
        kept: PathBuf,
    },
    /// The output folder could not be prepared or completed.
    Output(anyhow::Error),
}

impl std::fmt::Display for ScoringError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ScoringError::NothingToScore { paths, kept } => {
                // A path that is not there is most often a typo: say so.
                let paths: Vec<String> = paths
                    .iter()
                    .map(|p| match p.try_exists() {
                        Ok(false) => format!("{} (no such file or folder)", p.display()),
                        _ => p.display().to_string(),
                    })
                    .collect();
                write!(
                    f,
                    "no answer files (.csv, .xlsx, .ods) found in {}; nothing was written and the previous results in {} were kept",
                    paths.join(", "),
                    kept.display()
                )
            }
            ScoringError::Output(error) => write!(
                f,
                "{error:#}; nothing was written and any previous results were kept"
            ),
        }
    }
}

/// Runs a scoring batch, as a flat list of named, timed stages, into a staging folder
/// that replaces the output folder in one step at the end.
pub fn run_scoring(run: &ScoringRun) -> Result<ScoringReport, ScoringError> {
    let mut report = ScoringReport::default();
    let mut stages = Stages::start();
    let transaction =
        OutputTransaction::begin(run.out, OutputKind::Reports).map_err(ScoringError::Output)?;
    let staging = transaction.staging().to_path_buf();
    let files = find_inputs(run, &transaction, &mut report);
    if files.found.is_empty() && transaction.has_previous_outputs() {
        return Err(ScoringError::NothingToScore {
            paths: run.paths.to_vec(),
            kept: run.out.to_path_buf(),
        });
    }
    let (responses, mut rejections, inputs) = read_and_validate(run, files, &mut report);
    let responses = reject_duplicate_ids(responses, &mut rejections, &mut report);
    stages.lap("read and validate");
    let (summary_columns, summary_rows) = score(run, &responses);
    report.scored = responses.len();
    stages.lap("score");
    let mut tasks = plan_reports(run, &responses);
    let rows = summary_rows;
    let run_counts = shard_filter(run, &responses, &mut tasks, &rows, &mut report);
    let previous = if run.reuse {
        PreviousRun::reports_by_key(run.out, &mut report.notes)
    } else {
        HashMap::new()
    };
    let mut outputs = typeset_reports(run, &staging, &previous, &responses, &tasks, &mut report);
    let failures = failed_reports(&responses, &tasks, &report.failures);
    stages.lap("typeset reports");
    if let Some(shard) = run.shard {
        let record = ShardRecord {
            shard,
            provenance: Provenance::of(run.project),
            date: run.project.date,
            columns: summary_columns.clone(),
            rows: rows.clone(),
            input_problems: rejections.clone(),
            failed_reports: failures.clone(),
            counts: run_counts,
            inputs: inputs.clone(),
            reports: outputs.clone(),
        };
        record.write(&staging).map_err(ScoringError::Output)?;
    }
    rejections.extend(failures);
    let rows: Vec<SummaryRow> = rows.into_iter().map(|(_, row)| row).collect();
    let summaries = Summaries {
        columns: &summary_columns,
        rows: &rows,
    };
    outputs.extend(
        write_summaries_to(
            &staging,
            run.project.date,
            &summaries,
            rejections,
            &mut report,
        )
        .map_err(ScoringError::Output)?,
    );
    stages.lap("summaries");
    report.timings = stages.into_timings();
    write_run_record(&staging, &report, inputs, outputs).map_err(ScoringError::Output)?;
    transaction.commit().map_err(ScoringError::Output)?;
    Ok(report)
}

impl ScoringRun<'_> {
    /// Whether this run makes the outputs of a response: always, or with `--shard`, when
    /// its shard owns the response's questionnaire and group.
    fn owns(&self, response: &Response) -> bool {
        self.shard.is_none_or(|shard| {
            let q = &self.project.questionnaires[response.questionnaire];
            shard.owns(&q.slug(), &response.group)
        })
    }

    /// Scores one response (pure and cheap: reports score again in their worker, so no
    /// per-question results pile up in memory).
    fn score_of(&self, response: &Response) -> ScoreResult {
        response.score(&self.project.questionnaires[response.questionnaire])
    }
}

/// The answer files of a run, and the paths rejected before reading.
struct FoundFiles {
    found: Vec<AnswerFile>,
    rejected: Vec<FileRejection>,
}

/// Finds the answer files under the given paths, leaving out the output folder (and its
/// staging siblings), this tool's other output folders and files that are this tool's
/// own summaries (each with a note), and what the search skips on purpose.
fn find_inputs(
    run: &ScoringRun,
    transaction: &OutputTransaction,
    report: &mut ScoringReport,
) -> FoundFiles {
    let search = find_answer_files(run.paths);
    for skipped in &search.skipped {
        report.notes.push(format!(
            "skipped {}: {}",
            display_path(&skipped.path),
            skipped.why
        ));
    }
    let out = run.out.canonicalize().ok();
    let staging = transaction.staging().canonicalize().ok();
    let inside_output = |file: &Path| {
        let file = file.canonicalize().unwrap_or_else(|_| file.to_path_buf());
        [&out, &staging]
            .into_iter()
            .flatten()
            .any(|dir| file.starts_with(dir))
    };
    let mut found = Vec::with_capacity(search.files.len());
    for file in search.files {
        if inside_output(&file.path) {
            continue;
        }
        if let Some(table) = own_output(&file.path) {
            report.notes.push(format!(
                "skipped {}: this tool's {table}.csv (recognised by its header), never read as answers",
                display_path(&file.path)
            ));
            continue;
        }
        found.push(file);
    }
    report.files = found.len();
    FoundFiles {
        found,
        rejected: search.rejected,
    }
}

/// Which of this tool's tables (`summary`, `errors`) a CSV file is, recognised by its
/// header, if it is one: it must never be read back as answers. (`summary.xlsx` is
/// recognised by the sheet reader, after the workbook's pre-scan.)
fn own_output(file: &Path) -> Option<&'static str> {
    if file
        .extension()
        .is_none_or(|e| !e.eq_ignore_ascii_case("csv"))
    {
        return None;
    }
    let mut head = [0u8; 64];
    let read = std::fs::File::open(file)
        .and_then(|mut f| std::io::Read::read(&mut f, &mut head))
        .unwrap_or(0);
    let text = String::from_utf8_lossy(&head[..read]);
    let text = text.trim_start_matches('\u{feff}');
    if text.starts_with(SUMMARY_SIGNATURE) {
        Some("summary")
    } else if text.starts_with(ERRORS_SIGNATURE) {
        Some("errors")
    } else {
        None
    }
}

/// Reads each answer file and validates every response as it is read (rayon), file by
/// file: only the rows in flight are held as raw text, so memory stays flat however large
/// or many the files are. Prints a note for each file that was unfilled or turned out to
/// be this tool's own output. Returns the valid responses, the rejections and the inputs'
/// record.
fn read_and_validate(
    run: &ScoringRun,
    files: FoundFiles,
    report: &mut ScoringReport,
) -> (Vec<Response>, Vec<Rejection>, Vec<InputFile>) {
    let mut validator = Validator::new(&run.project.questionnaires, &run.project.site.manifest);
    for edition in &run.project.translated {
        validator.add_language(&edition.questionnaires, &edition.site.manifest);
    }
    let per_file: Vec<FileOutcome> = files
        .found
        .par_iter()
        .map(|file| read_and_validate_file(&validator, file))
        .collect();
    let mut rejections: Vec<Rejection> = files.rejected.into_iter().map(file_rejection).collect();
    let mut responses = Vec::with_capacity(per_file.iter().map(|o| o.responses.len()).sum());
    let mut inputs = Vec::new();
    for outcome in per_file {
        if let Some(note) = outcome.note.clone() {
            report.notes.push(note);
        }
        report.files -= usize::from(outcome.own_output);
        report.unfilled += usize::from(outcome.unfilled);
        report.responses += outcome.found;
        report.rejected_responses += outcome.rejected;
        responses.extend(outcome.responses);
        rejections.extend(outcome.rejections);
        inputs.extend(outcome.input);
    }
    (responses, rejections, inputs)
}

/// Reads one answer file and validates each response as it is read; a bad file or
/// response is rejected alone, with its place and reason, and a panic in a reader costs
/// this file only. A file that fails part way is rejected whole: the responses read
/// before the failure are dropped.
fn read_and_validate_file(validator: &Validator, found: &AnswerFile) -> FileOutcome {
    let file = found.path.as_path();
    let shown = display_path(file);
    let mut outcome = FileOutcome::default();
    let read = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        test_hook(&file.display().to_string());
        read_found_file(found, &mut |raw| {
            outcome.found += 1;
            match validator.validate(&raw) {
                Ok(response) => outcome.responses.push(response),
                Err(problems) => {
                    outcome.rejected += 1;
                    outcome.rejections.extend(problems);
                }
            }
        })
    }))
    .unwrap_or_else(|panic| {
        Err(FileRejection::whole_file(
            &shown,
            format!(
                "internal error while reading this file ({}); please report it",
                panic_message(&panic)
            ),
        ))
    });
    match read {
        Ok(read) if read.own_table.is_some() => {
            let table = read.own_table.unwrap_or_default();
            outcome.own_output = true;
            outcome.note = Some(format!(
                "skipped {shown}: this tool's {table} table (recognised by its header), never read as answers"
            ));
            return outcome;
        }
        Ok(read) if read.responses == 0 => {
            outcome.unfilled = true;
            outcome.note = Some(format!("{shown} is unfilled: no answers; not scored"));
        }
        Ok(read) if read.unfilled > 0 => {
            outcome.note = Some(format!(
                "{shown}: {} row(s) with no answers and no response id, respondent or group; not scored",
                read.unfilled
            ));
        }
        Ok(_) => {}
        Err(rejected) => {
            outcome.responses = Vec::new();
            outcome.rejections.clear();
            outcome.found = 0;
            outcome.rejected = 0;
            outcome.rejections.push(file_rejection(rejected));
        }
    }
    outcome.responses.shrink_to_fit();
    outcome.input = input_record(file);
    outcome
}

/// The run record's entry of an input file (size and SHA-256, read as a stream), when it
/// can be read.
fn input_record(file: &Path) -> Option<InputFile> {
    use sha2::Digest;
    let mut reader = std::io::BufReader::new(std::fs::File::open(file).ok()?);
    let mut hasher = sha2::Sha256::new();
    let bytes = std::io::copy(&mut reader, &mut hasher).ok()?;
    Some(InputFile {
        path: file.display().to_string(),
        bytes,
        sha256: hasher
            .finalize()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect(),
    })
}

/// Panics on purpose when the environment variable `TOOLKIT_TEST_PANIC` is set and `place`
/// (a file path or a report's output path) contains its value: the tests use it to prove
/// that a panic costs one file or one report, never the batch.
fn test_hook(place: &str) {
    if let Some(marker) = std::env::var_os("TOOLKIT_TEST_PANIC")
        && !marker.is_empty()
        && place.contains(marker.to_string_lossy().as_ref())
    {
        panic!("test hook: deliberate panic on {place}");
    }
}

/// The message of a caught panic.
fn panic_message(panic: &Box<dyn std::any::Any + Send>) -> String {
    panic
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_owned()))
        .unwrap_or_else(|| "panic".to_owned())
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
        rejections.push(
            Rejection::at(response.file(), response.row, response.location())
                .response(&response.id)
                .found(&response.id)
                .expected("a response_id not used by an earlier response")
                .reason("duplicate response_id"),
        );
        false
    });
    responses
}

/// Scores every response (rayon, pure functions) into its `summary.csv` row; returns the
/// summary's columns and rows.
fn score(run: &ScoringRun, responses: &[Response]) -> (Vec<String>, Vec<(usize, SummaryRow)>) {
    let questionnaires = &run.project.questionnaires;
    let (columns, dims) = summary_header(questionnaires);
    // A shard builds only its own rows (each with its place in the whole run), so its
    // memory follows its share of the responses.
    let rows = responses
        .par_iter()
        .enumerate()
        .filter(|(_, r)| run.owns(r))
        .map(|(i, r)| {
            let q = &questionnaires[r.questionnaire];
            (i, summary_row(q, r, &run.score_of(r), &dims))
        })
        .collect();
    (columns, rows)
}

/// Plans every report and its output path: one per response, one per group and
/// questionnaire. The only place that decides report file names; [`NameSet`] makes them
/// unique by construction.
fn plan_reports<'r>(run: &ScoringRun, responses: &'r [Response]) -> Vec<ReportTask<'r>> {
    let questionnaires = &run.project.questionnaires;
    let mut names = NameSet::default();
    let mut tasks = Vec::new();
    for (index, response) in responses.iter().enumerate() {
        let q = &questionnaires[response.questionnaire];
        let output = names.claim(&ReportsLayout::responses(&q.slug()), &response.id, "pdf");
        tasks.push(ReportTask::Response { index, output });
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
        let file = if name.is_empty() { "no-group" } else { name };
        let output = names.claim(&ReportsLayout::groups(&q.slug()), file, "pdf");
        tasks.push(ReportTask::Group {
            questionnaire,
            name,
            members,
            output,
        });
    }
    tasks
}

/// The contexts of the run's reports, one per language edition (the source language's
/// first, as [`Project::editions`] lists them), with that edition's questionnaires.
fn report_contexts<'a>(run: &ScoringRun<'a>) -> Vec<(ReportContext<'a>, &'a [Questionnaire])> {
    run.project
        .editions()
        .into_iter()
        .map(|edition| (report_context(run, edition.site), edition.questionnaires))
        .collect()
}

/// The context every report of one language shares: labels, date, paper, links to the
/// guides of that language's edition.
fn report_context<'a>(run: &ScoringRun<'a>, site: &'a crate::content::Site) -> ReportContext<'a> {
    let project = run.project;
    let layout = &site.language.layout;
    let guides_url = match (&run.guides_link, site.language.is_source()) {
        (Some(link), true) => link.clone(),
        _ => ReportsLayout::guides_link(layout, Layout::source().reports().as_str()),
    };
    ReportContext {
        manifest: &site.manifest,
        words: &site.words,
        date: project.date,
        paper: project.paper.typst_name(),
        guides_url,
        document_titles: site
            .documents
            .iter()
            .map(|d| (d.id.clone(), d.front.title.clone()))
            .collect(),
        section_titles: site
            .documents
            .iter()
            .map(|d| (d, &d.index))
            .flat_map(|(d, index)| {
                index
                    .anchors
                    .iter()
                    .map(move |a| (format!("{}#{}", d.id, a.id), a.title.clone()))
            })
            .collect(),
        recommendations: Recommendations::default(),
    }
}

/// Typesets every planned report on the compile pool, building each report's data inside
/// its worker so memory stays flat, and writes each atomically into `staging`. A report
/// that fails or panics is listed in the report's failures; the others are unaffected.
/// Returns the written reports with their checksums.
fn typeset_reports(
    run: &ScoringRun,
    staging: &Path,
    previous: &HashMap<String, OutputFile>,
    responses: &[Response],
    tasks: &[ReportTask],
    report: &mut ScoringReport,
) -> Vec<OutputFile> {
    let ctx = report_contexts(run);
    let bar = progress_bar(tasks.len(), "reports");
    let outcomes = run_pool(
        tasks,
        run.project.threads,
        |task| {
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                typeset_report(run, &ctx, (staging, previous), responses, task)
            }))
            .unwrap_or_else(|panic| {
                Err(CompileError::plain(
                    task.output(),
                    format!(
                        "internal error ({}); please report it",
                        panic_message(&panic)
                    ),
                ))
            })
        },
        || bar.inc(1),
    );
    bar.finish_and_clear();
    let mut written = Vec::new();
    for (task, outcome) in tasks.iter().zip(outcomes) {
        match outcome {
            Ok(made) => {
                report.reports += 1;
                report.reused += usize::from(made.reused);
                report.warnings.add(made.warnings);
                report.written.push(task.output().to_owned());
                written.push(OutputFile {
                    path: task.output().to_owned(),
                    sha256: made.sha256,
                    key: Some(made.key),
                });
            }
            Err(error) => report.failures.push(error),
        }
    }
    written
}

/// A report written into the staging folder.
struct MadeReport {
    /// SHA-256 of the PDF.
    sha256: String,
    /// What shapes it (see [`OutputFile::key`]).
    key: String,
    /// Whether the previous run's PDF was reused.
    reused: bool,
    /// Typst's warnings (none when reused).
    warnings: Vec<Warning>,
}

/// Builds one report's data and, unless the previous run made the same report (same key),
/// typesets it; writes it into the staging folder.
fn typeset_report(
    run: &ScoringRun,
    ctx: &[(ReportContext, &[Questionnaire])],
    (staging, previous): (&Path, &HashMap<String, OutputFile>),
    responses: &[Response],
    task: &ReportTask,
) -> Result<MadeReport, CompileError> {
    test_hook(task.output());
    let typesetter = &run.project.typesetter;
    let ident = format!(
        "{}/reports/{}",
        run.project.site.manifest.id.get_ref(),
        task.output()
    );
    let job = task_job(run, ctx, responses, task, &ident);
    let template = job.template().expect("a report job calls a template");
    let key_input = [
        typesetter.fingerprint(),
        &run.project.sources_digest,
        template.path,
        template.function,
        &ident,
    ];
    // The same key as when the job was (template, function, data bytes): earlier runs'
    // reports are still reused.
    let mut key_bytes = key_input.join("\n").into_bytes();
    key_bytes.push(b'\n');
    for (_, data) in job.files() {
        key_bytes.extend_from_slice(data);
    }
    let key = sha256_hex(&key_bytes);
    let target = staging.join(task.output());
    // A record could have been edited: reuse only this report's own file, inside the folder.
    if let Some(old) = previous.get(&key)
        && old.path == task.output()
        && let Some(old_file) = file_inside(run.out, &old.path)
        && reuse_previous(&old_file, &target, &old.sha256)
    {
        return Ok(MadeReport {
            sha256: old.sha256.clone(),
            key,
            reused: true,
            warnings: Vec::new(),
        });
    }
    let compiled = typesetter.compile(&job)?;
    write_atomic(&target, &compiled.pdf)
        .map_err(|e| CompileError::plain(task.output(), format!("{e:#}")))?;
    Ok(MadeReport {
        sha256: sha256_hex(&compiled.pdf),
        key,
        reused: false,
        warnings: compiled.warnings,
    })
}

/// Links (or copies) a previous run's PDF into the staging folder when it is still the
/// file that run recorded; `false` when it is not (the report is then typeset again).
fn reuse_previous(old: &Path, target: &Path, sha256: &str) -> bool {
    let Ok(bytes) = std::fs::read(old) else {
        return false;
    };
    if sha256_hex(&bytes) != sha256 {
        return false;
    }
    if let Some(parent) = target.parent()
        && std::fs::create_dir_all(parent).is_err()
    {
        return false;
    }
    std::fs::hard_link(old, target).is_ok() || write_atomic(target, &bytes).is_ok()
}

/// One `errors.csv` row per report that could not be made, naming its output path.
fn failed_reports(
    responses: &[Response],
    tasks: &[ReportTask],
    failures: &[CompileError],
) -> Vec<Rejection> {
    failures
        .iter()
        .map(|failure| {
            let task = tasks.iter().find(|t| t.output() == failure.origin);
            let (file, location, response_id, row) = match task {
                Some(ReportTask::Response { index, .. }) => {
                    let r = &responses[*index];
                    (r.file().to_owned(), r.location(), r.id.clone(), r.row)
                }
                _ => (
                    failure.origin.clone(),
                    "report".to_owned(),
                    String::new(),
                    0,
                ),
            };
            let reason: Vec<String> = failure
                .diagnostics
                .iter()
                .map(|d| d.message.clone())
                .collect();
            Rejection::at(file, row, location)
                .response(response_id)
                .expected(format!("the report {}", failure.origin))
                .reason(format!(
                    "the report could not be made: {}",
                    reason.join("; ")
                ))
        })
        .collect()
}

/// The typesetting job of one report: its template's entry function on its JSON data.
fn task_job(
    run: &ScoringRun,
    editions: &[(ReportContext, &[Questionnaire])],
    responses: &[Response],
    task: &ReportTask,
    ident: &str,
) -> Job {
    // The edition of a language id: `--language` first, else the one given; the
    // source language's when neither names a declared language.
    let edition = |language: Option<&str>| {
        let wanted = run.language.as_deref().or(language);
        let i = editions
            .iter()
            .position(|(ctx, _)| Some(ctx.manifest.output_language()) == wanted)
            .unwrap_or(0);
        &editions[i]
    };
    match task {
        ReportTask::Response { index, .. } => {
            let response = &responses[*index];
            let (ctx, questionnaires) = edition(response.language.as_deref());
            let q = &questionnaires[response.questionnaire];
            let data = response_report(ctx, q, response, &run.score_of(response));
            report_job(Template::REPORT, &data, ident)
        }
        ReportTask::Group {
            questionnaire,
            name,
            members,
            ..
        } => {
            let languages = members.iter().map(|&i| responses[i].language.as_deref());
            let (ctx, questionnaires) = edition(most_common(languages));
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
            report_job(Template::GROUP, &data, ident)
        }
    }
}

/// The most common of some values (the first met among the most common), `None` counted
/// as any other value.
fn most_common<'v>(values: impl Iterator<Item = Option<&'v str>>) -> Option<&'v str> {
    let mut counts: Vec<(Option<&str>, usize)> = Vec::new();
    for value in values {
        match counts.iter_mut().find(|(v, _)| *v == value) {
            Some((_, n)) => *n += 1,
            None => counts.push((value, 1)),
        }
    }
    let most = counts.iter().map(|(_, n)| *n).max()?;
    counts.into_iter().find(|(_, n)| *n == most)?.0
}

/// The summary table of a run.
struct Summaries<'a> {
    columns: &'a [String],
    rows: &'a [SummaryRow],
}

/// With `--shard`, keeps only the shard's reports and summary rows; returns the whole
/// run's counts for the shard record, and leaves the report's `scored` at the shard's rows.
fn shard_filter(
    run: &ScoringRun,
    responses: &[Response],
    tasks: &mut Vec<ReportTask>,
    rows: &[(usize, SummaryRow)],
    report: &mut ScoringReport,
) -> Counts {
    let counts = Counts {
        files: report.files,
        responses: report.responses,
        scored: report.scored,
        rejected_responses: report.rejected_responses,
        problems: 0,
        reports: 0,
    };
    if let Some(shard) = run.shard {
        let questionnaires = &run.project.questionnaires;
        tasks.retain(|task| match task {
            ReportTask::Response { index, .. } => run.owns(&responses[*index]),
            ReportTask::Group {
                questionnaire,
                name,
                ..
            } => shard.owns(&questionnaires[*questionnaire].slug(), name),
        });
        report.scored = rows.len();
    }
    counts
}

/// Writes `summary.csv`, `summary.xlsx` and `errors.csv` into `staging` (errors in file
/// order, then row order; problems of one row stay in the order they were found).
/// Returns the files written with their checksums.
fn write_summaries_to(
    staging: &Path,
    date: crate::date::Date,
    summaries: &Summaries,
    mut rejections: Vec<Rejection>,
    report: &mut ScoringReport,
) -> Result<Vec<OutputFile>> {
    rejections.sort_by(|a, b| (&a.file, a.row).cmp(&(&b.file, b.row)));
    report.rejections = rejections.len();
    let (header, error_rows) = errors_table(&rejections);
    let files = [
        (
            "summary.csv",
            csv_bytes(summaries.columns, summaries.rows.iter().map(|r| r.cells()))?,
        ),
        (
            "summary.xlsx",
            summary_xlsx(summaries.columns, summaries.rows, date)?,
        ),
        ("errors.csv", csv_bytes(&header, &error_rows)?),
    ];
    let mut written = Vec::new();
    for (name, bytes) in files {
        write_atomic(&staging.join(name), &bytes)?;
        report.written.push(name.to_owned());
        written.push(OutputFile {
            path: name.to_owned(),
            sha256: sha256_hex(&bytes),
            key: None,
        });
    }
    Ok(written)
}

/// Writes `run.json` into `staging`.
fn write_run_record(
    staging: &Path,
    report: &ScoringReport,
    inputs: Vec<InputFile>,
    outputs: Vec<OutputFile>,
) -> Result<()> {
    let record = RunRecord {
        toolkit: format!("toolkit {}", env!("CARGO_PKG_VERSION")),
        inputs,
        outputs,
        counts: Counts {
            files: report.files,
            responses: report.responses,
            scored: report.scored,
            rejected_responses: report.rejected_responses,
            problems: report.rejections,
            reports: report.reports,
        },
        timings: report
            .timings
            .iter()
            .map(|(stage, seconds)| ((*stage).to_owned(), (seconds * 1000.0).round() / 1000.0))
            .collect(),
    };
    write_atomic(&staging.join(RUN_RECORD), &record.to_json())
}

/// The `errors.csv` row of a rejected file.
fn file_rejection(f: FileRejection) -> Rejection {
    Rejection::at(f.file, 0, f.location)
        .expected("a CSV, XLSX or ODS answer file (see the README)")
        .reason(f.reason)
}
