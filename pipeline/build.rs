//! `toolkit build`: the whole batch in one run, as a flat list of named stages.
//!
//! 1. load and check the sources (nothing is written if they have problems);
//! 2. load fonts and templates once;
//! 3. render every guide edition to Typst markup, and write every questionnaire's
//!    workbooks and CSV template (in parallel, rayon);
//! 4. typeset guides and printable questionnaires on the compile pool and write each
//!    PDF atomically;
//! 5. pack everything built into the distribution bundle with SHA-256 checksums.

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, Result};
use rayon::prelude::*;

use crate::bundle::build_bundle;
use crate::content::Primer;
use crate::content::Site;
use crate::content::manifest::{Paper, date_from_epoch, parse_date};
use crate::guides::{guide_job, primer_job};
use crate::output::{progress_bar, write_atomic};
use crate::problem::Problems;
use crate::questionnaire::printable::printable_job;
use crate::questionnaire::template::csv_template;
use crate::questionnaire::workbook::{Tailoring, write_workbook};
use crate::questionnaire::{Questionnaire, load_sources};
use crate::typeset::{
    CompileError, Job, TypesetConfig, Typesetter, compile_pool_threads, run_pool,
};

/// What `toolkit build` needs to know.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// The sources folder.
    pub sources: PathBuf,
    /// The templates folder.
    pub templates: PathBuf,
    /// The output folder.
    pub out: PathBuf,
    /// Paper size override (else the manifest's).
    pub paper: Option<Paper>,
    /// `SOURCE_DATE_EPOCH`, if set: overrides the manifest's date.
    pub source_date_epoch: Option<i64>,
    /// Compile threads (default: one per core).
    pub threads: Option<usize>,
    /// Returned answers to score into `<out>/reports` (skipped when the folder is missing).
    pub answers: Option<PathBuf>,
}

/// Folder of the reports inside the build's output folder.
pub const REPORTS_OUT: &str = "reports";

/// Why a build could not run at all (nothing was written).
#[derive(Debug)]
pub enum BuildError {
    /// The sources have problems a user must fix.
    Sources(Problems),
    /// Something else went wrong before any output (templates, fonts, folders).
    Setup(anyhow::Error),
}

/// What a build did.
#[derive(Debug, Default)]
pub struct BuildReport {
    /// Files written, relative to the output folder.
    pub written: Vec<String>,
    /// Documents that failed to typeset.
    pub failures: Vec<CompileError>,
    /// The bundle's path, relative to the output folder.
    pub bundle: Option<String>,
    /// Seconds spent per stage.
    pub timings: Vec<(&'static str, f64)>,
    /// The scoring of `answers/`, when there were answers.
    pub scoring: Option<crate::batch::ScoringReport>,
}

/// The document date: `SOURCE_DATE_EPOCH` when given, else the manifest's date.
pub fn document_date(site: &Site, epoch: Option<i64>) -> (i32, u8, u8) {
    match epoch {
        Some(seconds) => date_from_epoch(seconds),
        None => parse_date(site.manifest.date.get_ref()).expect("checked when the manifest loaded"),
    }
}

/// Opens the typesetter for a site: fonts and templates load here, once.
pub fn open_typesetter(site: &Site, templates: &Path, date: (i32, u8, u8)) -> Result<Typesetter> {
    Typesetter::new(TypesetConfig {
        templates_dir: templates.to_path_buf(),
        sources_dir: site.sources_dir.clone(),
        date,
        pdf_ua: true,
    })
}

/// Runs the whole build.
pub fn run_build(options: &BuildOptions) -> Result<BuildReport, BuildError> {
    let mut report = BuildReport::default();
    let mut clock = Instant::now();
    let mut lap = |report: &mut BuildReport, name: &'static str| {
        report.timings.push((name, clock.elapsed().as_secs_f64()));
        clock = Instant::now();
    };

    let (site, questionnaires) = load_sources(&options.sources).map_err(BuildError::Sources)?;
    let date = document_date(&site, options.source_date_epoch);
    let paper = options.paper.unwrap_or(site.manifest.paper);
    lap(&mut report, "load sources");

    let typesetter = open_typesetter(&site, &options.templates, date).map_err(BuildError::Setup)?;
    lap(&mut report, "load fonts and templates");

    let editions = site.editions();
    let mut jobs: Vec<(String, Job)> = editions
        .par_iter()
        .map(|edition| {
            guide_job(&site, edition, &questionnaires, date, paper)
                .map(|job| (edition.output.clone(), job))
        })
        .collect::<Result<_, Problems>>()
        .map_err(BuildError::Sources)?;
    let primers: Vec<Primer> = site
        .primer_targets()
        .par_iter()
        .map(|(role, stage)| site.render_primer(role, stage))
        .collect::<Result<_, Problems>>()
        .map_err(BuildError::Sources)?;
    for primer in &primers {
        jobs.push((
            primer.output.clone(),
            primer_job(&site, primer, date, paper),
        ));
    }
    for q in &questionnaires {
        let output = format!("{QUESTIONNAIRES_OUT}/{}.pdf", q.slug());
        jobs.push((
            output.clone(),
            printable_job(q, &site.manifest, date, paper, &output),
        ));
    }
    lap(&mut report, "render markup");

    std::fs::create_dir_all(&options.out)
        .with_context(|| format!("failed to create output folder {}", options.out.display()))
        .map_err(BuildError::Setup)?;
    let mut built =
        questionnaire_files(&site, &questionnaires, date, paper).map_err(BuildError::Setup)?;
    for (output, bytes) in &built {
        write_atomic(&options.out.join(output), bytes).map_err(BuildError::Setup)?;
        report.written.push(output.clone());
    }
    lap(&mut report, "workbooks and templates");
    let site_files = crate::site::build_site(&site, &questionnaires, &options.templates)
        .map_err(BuildError::Setup)?;
    for (output, bytes) in site_files {
        write_atomic(&options.out.join(&output), &bytes).map_err(BuildError::Setup)?;
        report.written.push(output.clone());
        built.push((output, bytes));
    }
    lap(&mut report, "web edition");
    let bar = progress_bar(jobs.len(), "typesetting");
    let threads = options.threads.unwrap_or_else(compile_pool_threads);
    let results = run_pool(
        &jobs,
        threads,
        |(_, job)| typesetter.compile(job),
        || bar.inc(1),
    );
    bar.finish_and_clear();
    lap(&mut report, "typeset");

    for ((output, _), result) in jobs.iter().zip(results) {
        match result {
            Ok(pdf) => {
                write_atomic(&options.out.join(output), &pdf).map_err(BuildError::Setup)?;
                report.written.push(output.clone());
                built.push((output.clone(), pdf));
            }
            Err(error) => report.failures.push(error),
        }
    }
    lap(&mut report, "write PDFs");

    let manifest = &site.manifest;
    let (bundle_manifest, zip) = build_bundle(
        built,
        manifest.id.get_ref(),
        &manifest.title,
        manifest.edition.get_ref(),
        date,
    )
    .map_err(BuildError::Setup)?;
    let manifest_json = serde_json::to_vec_pretty(&bundle_manifest).expect("manifest serialises");
    write_atomic(&options.out.join("manifest.json"), &manifest_json).map_err(BuildError::Setup)?;
    let bundle_name = format!(
        "{}-{}.zip",
        manifest.id.get_ref(),
        manifest.edition.get_ref()
    );
    write_atomic(&options.out.join(&bundle_name), &zip).map_err(BuildError::Setup)?;
    report.written.push("manifest.json".to_owned());
    report.bundle = Some(bundle_name);
    lap(&mut report, "bundle");

    // Reports hold respondents' answers: they are written beside the toolkit, never packed
    // into the distribution bundle.
    if let Some(answers) = options.answers.as_ref().filter(|a| !a.exists()) {
        eprintln!(
            "note: no answers folder {}; no reports written",
            answers.display()
        );
    }
    if let Some(answers) = options.answers.as_ref().filter(|a| a.exists()) {
        let reports = options.out.join(REPORTS_OUT);
        let run = crate::batch::ScoringRun {
            site: &site,
            questionnaires: &questionnaires,
            typesetter: &typesetter,
            paths: std::slice::from_ref(answers),
            out: &reports,
            guides_dir: Some(&options.out),
            date,
            paper: paper.typst_name(),
            threads: options.threads,
        };
        let scoring = crate::batch::run_scoring(&run).map_err(BuildError::Setup)?;
        report.scoring = Some(scoring);
        lap(&mut report, "score answers");
    }
    Ok(report)
}

/// Folder of the questionnaire outputs inside the output folder.
pub const QUESTIONNAIRES_OUT: &str = "questionnaires";

/// Every questionnaire's workbook (plus one per role and stage when its questions are
/// tailored) and blank CSV template, as (output path, bytes).
pub fn questionnaire_files(
    site: &Site,
    questionnaires: &[Questionnaire],
    date: (i32, u8, u8),
    paper: Paper,
) -> Result<Vec<(String, Vec<u8>)>> {
    let manifest = &site.manifest;
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
            let name = match tailoring {
                Some(t) => format!(
                    "{QUESTIONNAIRES_OUT}/{}-{}-{}.xlsx",
                    q.slug(),
                    t.role,
                    t.stage
                ),
                None => format!("{QUESTIONNAIRES_OUT}/{}.xlsx", q.slug()),
            };
            let bytes = write_workbook(q, manifest, *tailoring, date, paper)
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
            format!("{QUESTIONNAIRES_OUT}/{}.csv", q.slug()),
            csv_template(q, &ids),
        ));
    }
    Ok(files)
}
