//! `toolkit build`: the whole batch in one run, as a flat list of named stages.
//!
//! 1. load and check the sources (nothing is written if they have problems);
//! 2. load fonts and templates once;
//! 3. render every guide edition to Typst markup, and write every questionnaire's
//!    workbooks and CSV template and every working template's workbook (in parallel,
//!    rayon);
//! 4. typeset guides, printable questionnaires and printable working templates on the
//!    compile pool;
//! 5. write everything, with the distribution bundle and its SHA-256 checksums, into a
//!    staging folder beside the output folder, carry the previous `reports/` over, and put
//!    the staged set in place of the output folder in one step ([`transaction`]): a build
//!    that is killed, or cannot write (a full disk), changes nothing, and a second build
//!    into the same folder waits for the first;
//! 6. score `answers/` into `reports/` (its own transaction).
//!
//! [`transaction`]: crate::transaction

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use rayon::prelude::*;

use crate::bundle::build_bundle;
use crate::content::Primer;
use crate::jobs::guide::guide_job;
use crate::jobs::primer::primer_job;
use crate::jobs::questionnaire::printable_job;
use crate::jobs::register::working_template_job;
use crate::layout::{Layout, ReportsLayout};
use crate::output::{Stages, progress_bar, write_atomic};
use crate::output_mark::OutputKind;
use crate::project::EditionSources;
use crate::project::{Project, SetupError};
use crate::questionnaire::Questionnaire;
use crate::questionnaire::template::csv_template;
use crate::transaction::{OutputTransaction, lock_output};
use crate::typeset::{CompileError, Job, Warnings, run_pool};
use crate::workbook::{Tailoring, write_workbook, write_working_template};

/// What `toolkit build` writes, besides what the [`Project`] says.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// The output folder.
    pub out: PathBuf,
    /// Returned answers to score into `<out>/reports` (skipped when the folder is missing).
    pub answers: Option<PathBuf>,
    /// Reuse reports unchanged since the previous build (see `ScoringRun::reuse`).
    pub reuse: bool,
}

/// What a build did.
#[derive(Debug, Default)]
pub struct BuildReport {
    /// Files written, relative to the output folder.
    pub written: Vec<String>,
    /// Documents that failed to typeset, and outputs that could not be written.
    pub failures: Vec<CompileError>,
    /// Typst's warnings on the documents, once per template and message.
    pub warnings: Warnings,
    /// What the command should tell the user beside the counts, one line each.
    pub notes: Vec<String>,
    /// The bundle's path, relative to the output folder.
    pub bundle: Option<String>,
    /// Seconds spent per stage.
    pub timings: Vec<(&'static str, f64)>,
    /// The scoring of `answers/`, when there were answers.
    pub scoring: Option<crate::batch::ScoringReport>,
    /// Why the answers could not be scored (the toolkit itself was built).
    pub scoring_error: Option<crate::batch::ScoringError>,
}

/// One file the build writes, with its bytes.
type Built = (String, Vec<u8>);

/// Runs the whole build. It fails (`Err`) when nothing was changed in the output folder
/// (the sources have problems, the folder may not be used, or a file could not be
/// written); once the new set is in place, whatever failed to typeset is listed in the
/// report's `failures`.
pub fn run_build(project: &Project, options: &BuildOptions) -> Result<BuildReport, SetupError> {
    let mut report = BuildReport::default();
    report.notes.extend(project.language_notes.iter().cloned());
    let mut stages = Stages::start();
    project.check_out(&options.out).map_err(SetupError::Setup)?;
    let transaction =
        OutputTransaction::begin(&options.out, OutputKind::Build).map_err(SetupError::Setup)?;
    let editions = project.editions();
    let jobs: Vec<(String, Job)> = editions
        .iter()
        .flat_map(|edition| document_jobs(project, edition))
        .collect();
    stages.lap("render markup");
    let mut built = Vec::new();
    for edition in &editions {
        built.extend(questionnaire_files(project, edition).map_err(SetupError::Setup)?);
    }
    stages.lap("workbooks and templates");
    for edition in &editions {
        let site_files = crate::site::build_site(
            edition.site,
            edition.questionnaires,
            edition.working_templates,
            &project.templates,
        )
        .map_err(SetupError::Setup)?;
        built.extend(site_files);
    }
    stages.lap("web edition");
    built.extend(typeset_documents(project, &jobs, &mut report));
    stages.lap("typeset");
    let unchanged = |e: anyhow::Error| {
        SetupError::Setup(anyhow::anyhow!(
            "{e:#}; nothing was changed in {}",
            options.out.display()
        ))
    };
    let staging = transaction.staging();
    write_outputs(staging, &built, &mut report).map_err(unchanged)?;
    stages.lap("write files");
    write_bundle(project, staging, built, &mut report).map_err(unchanged)?;
    stages.lap("bundle");
    // Reports hold respondents' answers: they are kept beside the toolkit, never packed
    // into the distribution bundle, and a build carries them over untouched.
    let reports = Layout::source().reports().into_string();
    let reports_lock = match transaction.target().is_dir() {
        true => Some(lock_output(&transaction.target().join(&reports)).map_err(unchanged)?),
        false => None,
    };
    carry_over(
        &transaction.target().join(&reports),
        &staging.join(&reports),
    )
    .map_err(unchanged)?;
    transaction.commit().map_err(unchanged)?;
    drop(reports_lock);
    stages.lap("put in place");
    if let Some(answers) = &options.answers {
        score_answers(project, answers, options, &mut report);
        stages.lap("score answers");
    }
    report.timings = stages.into_timings();
    Ok(report)
}

/// Copies the folder `from` (when there is one) to `to` as hard links, file by file (a
/// copy where links cannot be made), so its files reach the new set unchanged.
fn carry_over(from: &Path, to: &Path) -> Result<()> {
    if !from.is_dir() {
        return Ok(());
    }
    std::fs::create_dir_all(to).with_context(|| format!("failed to create {}", to.display()))?;
    for entry in
        std::fs::read_dir(from).with_context(|| format!("failed to read {}", from.display()))?
    {
        let entry = entry.with_context(|| format!("failed to read {}", from.display()))?;
        let (source, target) = (entry.path(), to.join(entry.file_name()));
        let kind = entry.file_type()?;
        if kind.is_dir() {
            carry_over(&source, &target)?;
        } else if kind.is_file() && std::fs::hard_link(&source, &target).is_err() {
            std::fs::copy(&source, &target).with_context(|| {
                format!(
                    "failed to copy {} to {}",
                    source.display(),
                    target.display()
                )
            })?;
        }
    }
    Ok(())
}

/// Every PDF's typesetting job of one language's edition: guide editions, primers,
/// printable questionnaires and printable working templates, as (output path, job).
/// Rendering markup runs on rayon.
fn document_jobs(project: &Project, edition: &EditionSources) -> Vec<(String, Job)> {
    let Project { date, paper, .. } = project;
    let EditionSources {
        site,
        questionnaires,
        working_templates,
    } = *edition;
    let layout = &site.language.layout;
    let mut jobs: Vec<(String, Job)> = site
        .editions()
        .par_iter()
        .map(|edition| {
            let job = guide_job(site, edition, questionnaires, *date, *paper);
            (edition.output.clone(), job)
        })
        .collect();
    let primers: Vec<Primer> = site
        .primer_targets()
        .par_iter()
        .filter_map(|(role, stage)| site.primer_plan(role, stage))
        .map(|plan| site.render_primer(&plan))
        .collect();
    for primer in &primers {
        jobs.push((
            primer.output.clone(),
            primer_job(site, primer, *date, *paper),
        ));
    }
    for q in questionnaires {
        let output = layout.printable_questionnaire(&q.slug()).into_string();
        let job = printable_job(q, &site.manifest, *date, *paper, &output);
        jobs.push((output, job));
    }
    for t in working_templates {
        let output = t.output(layout, "pdf");
        let job = working_template_job(t, &site.manifest, *date, *paper, &output);
        jobs.push((output, job));
    }
    jobs
}

/// Typesets the jobs on the compile pool; returns the PDFs that compiled and lists the
/// failures in the report.
fn typeset_documents(
    project: &Project,
    jobs: &[(String, Job)],
    report: &mut BuildReport,
) -> Vec<Built> {
    let bar = progress_bar(jobs.len(), "typesetting");
    let results = run_pool(
        jobs,
        project.threads,
        |(_, job)| project.typesetter.compile(job),
        || bar.inc(1),
    );
    bar.finish_and_clear();
    let mut built = Vec::new();
    for ((output, _), result) in jobs.iter().zip(results) {
        match result {
            Ok(compiled) => {
                report.warnings.add(compiled.warnings);
                built.push((output.clone(), compiled.pdf));
            }
            Err(error) => report.failures.push(error),
        }
    }
    built
}

/// Writes every built file under `out` (the staging folder); the first file that cannot be
/// written stops the build.
fn write_outputs(out: &Path, built: &[Built], report: &mut BuildReport) -> Result<()> {
    for (output, bytes) in built {
        write_atomic(&out.join(output), bytes).map_err(|e| {
            let cause = e.root_cause().to_string();
            anyhow::anyhow!("failed to write {output}: {cause}")
        })?;
        report.written.push(output.clone());
    }
    Ok(())
}

/// Packs everything built into the distribution bundle with `manifest.json`.
fn write_bundle(
    project: &Project,
    out: &Path,
    built: Vec<Built>,
    report: &mut BuildReport,
) -> Result<()> {
    let manifest = &project.site.manifest;
    let date = project.date;
    // The manifest's first document ("Start here") opens the bundle.
    let start = project
        .site
        .documents
        .first()
        .map(|doc| project.site.guide_output(doc, None));
    let (bundle_manifest, zip) = build_bundle(
        built,
        manifest.id.get_ref(),
        &manifest.title,
        manifest.edition.get_ref(),
        date,
        start.as_deref(),
    )
    .context("failed to pack the bundle")?;
    let layout = Layout::source();
    let name = layout
        .bundle(manifest.id.get_ref(), manifest.edition.get_ref())
        .into_string();
    let manifest_json = serde_json::to_vec_pretty(&bundle_manifest).expect("manifest serialises");
    write_outputs(
        out,
        &[
            (layout.manifest().into_string(), manifest_json),
            (name.clone(), zip),
        ],
        report,
    )?;
    report.bundle = Some(name);
    Ok(())
}

/// Scores the returned answers into `<out>/reports`, when the answers folder exists.
fn score_answers(
    project: &Project,
    answers: &Path,
    options: &BuildOptions,
    report: &mut BuildReport,
) {
    let out = options.out.as_path();
    if !answers.exists() {
        report.notes.push(format!(
            "no answers folder {}; no reports written",
            answers.display()
        ));
        return;
    }
    let reports = out.join(Layout::source().reports().as_str());
    let paths = [answers.to_path_buf()];
    let run = crate::batch::ScoringRun {
        project,
        paths: &paths,
        out: &reports,
        guides_link: Some(ReportsLayout::guides_link(
            &Layout::source(),
            Layout::source().reports().as_str(),
        )),
        reuse: options.reuse,
        shard: None,
        language: None,
    };
    match crate::batch::run_scoring(&run) {
        Ok(scoring) => report.scoring = Some(scoring),
        Err(error) => report.scoring_error = Some(error),
    }
}

/// Every questionnaire's workbook (plus one per role and stage when its questions are
/// tailored) and blank CSV template, and every working template's workbook, as (output
/// path, bytes).
pub fn questionnaire_files(project: &Project, edition: &EditionSources) -> Result<Vec<Built>> {
    let Project { date, paper, .. } = project;
    let EditionSources {
        site,
        questionnaires,
        ..
    } = *edition;
    let manifest = &site.manifest;
    let layout = &site.language.layout;
    let mut tasks: Vec<(&Questionnaire, Option<Tailoring>)> = Vec::new();
    for q in questionnaires {
        tasks.push((q, None));
        if q.questions
            .iter()
            .any(|question| !question.roles.is_empty() || !question.stages.is_empty())
        {
            for role in manifest.role_ids() {
                for stage in manifest.stage_ids() {
                    tasks.push((q, Some(Tailoring { role, stage })));
                }
            }
        }
    }
    let mut files: Vec<(String, Vec<u8>)> = tasks
        .par_iter()
        .map(|(q, tailoring)| {
            let name = layout
                .workbook(&q.slug(), tailoring.map(|t| (t.role, t.stage)))
                .into_string();
            let bytes = write_workbook(q, manifest, *tailoring, *date, *paper)
                .with_context(|| format!("failed to write the workbook {name}"))?;
            Ok((name, bytes))
        })
        .collect::<Result<_>>()?;
    for q in questionnaires {
        let ids: Vec<&str> = q
            .questions
            .iter()
            .map(|question| question.id.as_str())
            .collect();
        files.push((
            layout.answer_template(&q.slug()).into_string(),
            csv_template(q, &ids),
        ));
    }
    files.extend(working_template_files(project, edition)?);
    Ok(files)
}

/// Every working template's workbook, `working-templates/<id>.xlsx` (in parallel, rayon).
fn working_template_files(project: &Project, edition: &EditionSources) -> Result<Vec<Built>> {
    edition
        .working_templates
        .par_iter()
        .map(|t| {
            let name = t.output(&edition.site.language.layout, "xlsx");
            let bytes =
                write_working_template(t, &edition.site.manifest, project.date, project.paper)
                    .with_context(|| format!("failed to write the workbook {name}"))?;
            Ok((name, bytes))
        })
        .collect()
}
