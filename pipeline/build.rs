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
//! A build is incremental ([`build_record`]): every file is keyed by what shapes it
//! before it is made (a PDF by everything its compile reads, a workbook or CSV template by
//! its definition and the manifest, a language's web edition by the sources as that
//! language reads them and the templates, each with the toolkit that makes it), and taken
//! from the previous build, linked rather than written, when the previous build recorded
//! the same key and its file is still intact. The bundle copies the compressed entries of
//! unchanged files from the previous bundle.
//!
//! [`transaction`]: crate::transaction
//! [`build_record`]: crate::build_record

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use rayon::prelude::*;

use crate::build_record::{
    BuildRecord, Generator, PreviousBuild, RecordedFile, RecordedWarning, Reused, sources_digest,
};
use crate::bundle::{BundleInfo, build_bundle_reusing};
use crate::content::Primer;
use crate::content::manifest::MANIFEST_FILE;
use crate::jobs::guide::guide_job;
use crate::jobs::primer::primer_job;
use crate::jobs::questionnaire::{bilingual_job, printable_job};
use crate::jobs::register::working_template_job;
use crate::layout::{Layout, ReportsLayout};
use crate::output::{Stages, progress_bar, sha256_hex, write_atomic};
use crate::output_mark::OutputKind;
use crate::project::EditionSources;
use crate::project::{Project, SetupError};
use crate::questionnaire::Questionnaire;
use crate::questionnaire::template::csv_template;
use crate::register::{Variant, WorkingTemplate};
use crate::transaction::{OutputTransaction, lock_output};
use crate::typeset::{CompileError, Job, Warning, Warnings, json_bytes, run_pool};
use crate::workbook::{Tailoring, write_workbook, write_working_template};

/// What `toolkit build` writes, besides what the [`Project`] says.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// The output folder.
    pub out: PathBuf,
    /// Returned answers to score into `<out>/reports` (skipped when the folder is missing).
    pub answers: Option<PathBuf>,
    /// Take every file unchanged since the previous build from it instead of making it
    /// again ([`crate::build_record`]), and reuse unchanged reports (see
    /// `ScoringRun::reuse`). `false` makes everything again.
    pub reuse: bool,
}

/// What a build did.
#[derive(Debug, Default)]
pub struct BuildReport {
    /// Files written, relative to the output folder.
    pub written: Vec<String>,
    /// Of those, the files taken from the previous build instead of being made again.
    pub reused: Vec<String>,
    /// How many PDFs were typeset (the others were reused).
    pub typeset: usize,
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

/// One file the build writes, with its bytes and how it came about.
#[derive(Debug)]
struct Built {
    /// Path relative to the output folder.
    path: String,
    /// The contents.
    bytes: Vec<u8>,
    /// Their SHA-256.
    sha256: String,
    /// What shaped it (see [`RecordedFile::key`]); `None` when it cannot be keyed.
    key: Option<String>,
    /// Taken from the previous build rather than made.
    reused: bool,
    /// Typst's warnings when it was typeset.
    warnings: Vec<Warning>,
}

impl Built {
    fn made(path: String, bytes: Vec<u8>, key: Option<String>) -> Built {
        Built {
            sha256: sha256_hex(&bytes),
            path,
            bytes,
            key,
            reused: false,
            warnings: Vec::new(),
        }
    }

    fn reused(file: Reused, key: Option<String>) -> Built {
        Built {
            path: file.path,
            bytes: file.bytes,
            sha256: file.sha256,
            key,
            reused: true,
            warnings: file.warnings,
        }
    }

    fn record(&self) -> RecordedFile {
        RecordedFile {
            path: self.path.clone(),
            sha256: self.sha256.clone(),
            key: self.key.clone(),
            warnings: self.warnings.iter().map(RecordedWarning::of).collect(),
        }
    }
}

/// What a build may take from the previous one, and the keys of what it makes.
struct Reuse {
    /// The previous build (none with `reuse` off).
    previous: PreviousBuild,
    /// The toolkit making the files; `None` when it cannot be known (nothing is keyed).
    generator: Option<Generator>,
}

impl Reuse {
    /// The key of a file made from `parts`.
    fn key(&self, parts: &[&[u8]]) -> Option<String> {
        self.generator.map(|g| g.key(parts))
    }

    /// The file at `path` with `key`: the previous build's when it is intact, otherwise
    /// the one `make` makes.
    fn file(
        &self,
        path: String,
        key: Option<String>,
        make: impl FnOnce() -> Result<Vec<u8>>,
    ) -> Result<Built> {
        if let Some(k) = &key
            && let Some(file) = self.previous.reuse(&path, k)
        {
            return Ok(Built::reused(file, key));
        }
        Ok(Built::made(path, make()?, key))
    }
}

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
    let reuse = open_reuse(transaction.target(), options.reuse, &mut report.notes);
    let editions = project.editions();
    let jobs: Vec<(String, Job)> = editions
        .iter()
        .flat_map(|edition| document_jobs(project, edition))
        .collect();
    stages.lap("render markup");
    let mut built = Vec::new();
    for edition in &editions {
        built.extend(questionnaire_files(project, edition, &reuse).map_err(SetupError::Setup)?);
    }
    stages.lap("workbooks and templates");
    for edition in &editions {
        built.extend(site_files(project, edition, &reuse).map_err(SetupError::Setup)?);
    }
    stages.lap("web edition");
    built.extend(typeset_documents(project, &jobs, &reuse, &mut report));
    stages.lap("typeset");
    let unchanged = |e: anyhow::Error| {
        SetupError::Setup(anyhow::anyhow!(
            "{e:#}; nothing was changed in {}",
            options.out.display()
        ))
    };
    let staging = transaction.staging();
    write_outputs(staging, &built, &reuse.previous, &mut report).map_err(unchanged)?;
    stages.lap("write files");
    let mut record: Vec<RecordedFile> = built.iter().map(Built::record).collect();
    record.extend(write_bundle(project, staging, built, &reuse, &mut report).map_err(unchanged)?);
    BuildRecord::write(staging, record).map_err(unchanged)?;
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

/// The previous build of `target` (none unless `reuse`), and the running toolkit's
/// identity for the keys.
fn open_reuse(target: &Path, reuse: bool, notes: &mut Vec<String>) -> Reuse {
    let generator = Generator::current();
    if generator.is_none() {
        notes.push(
            "the toolkit cannot read its own program file; every file is made again".to_owned(),
        );
    }
    let previous = match reuse && generator.is_some() {
        true => PreviousBuild::read(target, notes),
        false => PreviousBuild::none(),
    };
    Reuse {
        previous,
        generator,
    }
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
        let job = printable_job(q, (&site.manifest, &site.words), *date, *paper, &output);
        jobs.push((output, job));
        // A translated edition also prints each questionnaire with the source language's
        // text beside its own, for workshops whose members read different languages.
        let source = project
            .questionnaires
            .iter()
            .find(|s| s.id == q.id && s.version == q.version);
        if let Some(source) = source.filter(|_| !std::ptr::eq(site, &project.site)) {
            let output = layout.bilingual_questionnaire(&q.slug()).into_string();
            let job = bilingual_job(
                (q, source),
                (&site.manifest, &site.words),
                &project.site.manifest,
                (*date, *paper),
                &output,
            );
            jobs.push((output, job));
        }
    }
    for t in working_templates {
        for variant in t.copies() {
            let output = t.output(layout, variant, "pdf");
            let job = working_template_job(t, site, variant, (*date, *paper), &output);
            jobs.push((output, job));
        }
    }
    jobs
}

/// Typesets the jobs on the compile pool, but for the PDFs the previous build made with
/// the same key (taken from it); returns the PDFs and lists the failures in the report.
fn typeset_documents(
    project: &Project,
    jobs: &[(String, Job)],
    reuse: &Reuse,
    report: &mut BuildReport,
) -> Vec<Built> {
    let paper = project.paper.typst_name().as_bytes();
    let found: Vec<(Option<String>, Option<Reused>)> = jobs
        .par_iter()
        .map(|(output, job)| {
            let job_key = project.typesetter.job_key(job);
            let key = reuse.key(&[b"pdf", output.as_bytes(), job_key.as_bytes(), paper]);
            let previous = key.as_deref().and_then(|k| reuse.previous.reuse(output, k));
            (key, previous)
        })
        .collect();
    let to_make: Vec<&(String, Job)> = jobs
        .iter()
        .zip(&found)
        .filter(|(_, (_, previous))| previous.is_none())
        .map(|(job, _)| job)
        .collect();
    let bar = progress_bar(to_make.len(), "typesetting");
    let results = run_pool(
        &to_make,
        project.threads,
        |(_, job)| project.typesetter.compile(job),
        || bar.inc(1),
    );
    bar.finish_and_clear();
    report.typeset = to_make.len();
    let mut results = results.into_iter();
    let mut built = Vec::new();
    for ((output, _), (key, previous)) in jobs.iter().zip(found) {
        let outcome = match previous {
            Some(file) => Ok(Built::reused(file, key)),
            None => results
                .next()
                .expect("one result per job")
                .map(|compiled| Built {
                    warnings: compiled.warnings,
                    ..Built::made(output.clone(), compiled.pdf, key)
                }),
        };
        match outcome {
            Ok(file) => {
                report.warnings.add(file.warnings.iter().cloned());
                built.push(file);
            }
            Err(error) => report.failures.push(error),
        }
    }
    built
}

/// Writes every built file under `out` (the staging folder): a file taken from the
/// previous build is linked to it rather than written again. The first file that cannot
/// be written stops the build.
fn write_outputs(
    out: &Path,
    built: &[Built],
    previous: &PreviousBuild,
    report: &mut BuildReport,
) -> Result<()> {
    for file in built {
        let target = out.join(&file.path);
        if !(file.reused && previous.link(&file.path, &target)) {
            write_atomic(&target, &file.bytes).map_err(|e| {
                let cause = e.root_cause().to_string();
                anyhow::anyhow!("failed to write {}: {cause}", file.path)
            })?;
        }
        report.written.push(file.path.clone());
        if file.reused {
            report.reused.push(file.path.clone());
        }
    }
    Ok(())
}

/// Packs everything built into the distribution bundle with `manifest.json`, copying the
/// compressed entries of unchanged files from the previous bundle (when it is intact);
/// returns the records of the two files.
fn write_bundle(
    project: &Project,
    out: &Path,
    built: Vec<Built>,
    reuse: &Reuse,
    report: &mut BuildReport,
) -> Result<Vec<RecordedFile>> {
    let manifest = &project.site.manifest;
    // The manifest's first document ("Start here") opens the bundle.
    let start = project
        .site
        .documents
        .first()
        .map(|doc| project.site.guide_output(doc, None));
    let languages: Vec<String> = manifest
        .languages()
        .iter()
        .map(|l| l.id().to_owned())
        .collect();
    let info = BundleInfo {
        languages: &languages,
        toolkit: manifest.id.get_ref(),
        title: &manifest.title,
        edition: manifest.edition.get_ref(),
        date: project.date,
        start: start.as_deref(),
    };
    let layout = Layout::source();
    let name = layout
        .bundle(manifest.id.get_ref(), manifest.edition.get_ref())
        .into_string();
    let previous = reuse.previous.file(&name);
    let files = built.into_iter().map(|f| (f.path, f.bytes)).collect();
    let packed = build_bundle_reusing(files, &info, previous.as_deref())
        .context("failed to pack the bundle")?;
    let manifest_json = serde_json::to_vec_pretty(&packed.manifest).expect("manifest serialises");
    let manifest_name = layout.manifest().into_string();
    // A file packed the same as before is the previous build's: linked, not written again.
    let kept = |name: &str, bytes: Vec<u8>, before: Option<Vec<u8>>| Built {
        reused: before.is_some_and(|before| before == bytes),
        ..Built::made(name.to_owned(), bytes, None)
    };
    let files = [
        kept(
            &manifest_name,
            manifest_json,
            reuse.previous.file(&manifest_name),
        ),
        kept(&name, packed.zip, previous),
    ];
    write_outputs(out, &files, &reuse.previous, report)?;
    report.bundle = Some(name);
    Ok(files.iter().map(Built::record).collect())
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

/// What every workbook of one language's edition is made from besides its definition: the
/// language, the date, the paper and the manifest as the language reads it.
fn edition_context(project: &Project, edition: &EditionSources) -> Result<Vec<u8>> {
    let site = edition.site;
    let language = &site.language;
    let manifest_file = site.sources_dir.join(MANIFEST_FILE);
    let manifest = language
        .read(&site.sources_dir, &manifest_file)
        .with_context(|| format!("failed to read {}", manifest_file.display()))?;
    let mut context = format!(
        "{} {} {} {}\n",
        language.id,
        language.direction.name(),
        project.date,
        project.paper.typst_name()
    )
    .into_bytes();
    context.extend_from_slice(manifest.as_bytes());
    Ok(context)
}

/// Every questionnaire's workbook (plus one per role and stage when its questions are
/// tailored) and blank CSV template, and every working template's workbook, each taken
/// from the previous build when its definition, the manifest, words, date and paper are the
/// same.
fn questionnaire_files(
    project: &Project,
    edition: &EditionSources,
    reuse: &Reuse,
) -> Result<Vec<Built>> {
    let Project { date, paper, .. } = project;
    let EditionSources {
        site,
        questionnaires,
        ..
    } = *edition;
    let manifest = &site.manifest;
    let layout = &site.language.layout;
    let context = edition_context(project, edition)?;
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
    let mut files: Vec<Built> = tasks
        .par_iter()
        .map(|(q, tailoring)| {
            let name = layout
                .workbook(&q.slug(), tailoring.map(|t| (t.role, t.stage)))
                .into_string();
            let tailored = tailoring.map(|t| format!("{}/{}", t.role, t.stage));
            let key = reuse.key(&[
                b"workbook",
                name.as_bytes(),
                &context,
                &json_bytes(q),
                &json_bytes(&site.words),
                tailored.unwrap_or_default().as_bytes(),
            ]);
            reuse.file(name.clone(), key, || {
                write_workbook(q, (manifest, &site.words), *tailoring, *date, *paper)
                    .with_context(|| format!("failed to write the workbook {name}"))
            })
        })
        .collect::<Result<_>>()?;
    for q in questionnaires {
        let name = layout.answer_template(&q.slug()).into_string();
        let key = reuse.key(&[b"answer template", name.as_bytes(), &json_bytes(q)]);
        files.push(reuse.file(name, key, || {
            let ids: Vec<&str> = q.questions.iter().map(|q| q.id.as_str()).collect();
            Ok(csv_template(q, &ids))
        })?);
    }
    files.extend(working_template_files(project, edition, &context, reuse)?);
    Ok(files)
}

/// Every working template's workbook, `working-templates/<id>.xlsx`, and its worked
/// example's, `<id>-example.xlsx` (in parallel, rayon).
fn working_template_files(
    project: &Project,
    edition: &EditionSources,
    context: &[u8],
    reuse: &Reuse,
) -> Result<Vec<Built>> {
    let site = edition.site;
    let copies: Vec<(&WorkingTemplate, Variant)> = edition
        .working_templates
        .iter()
        .flat_map(|t| t.copies().into_iter().map(move |variant| (t, variant)))
        .collect();
    copies
        .par_iter()
        .map(|&(t, variant)| {
            let name = t.output(&site.language.layout, variant, "xlsx");
            let key = reuse.key(&[
                b"working template",
                name.as_bytes(),
                context,
                format!("{variant:?}").as_bytes(),
                &json_bytes(t),
                &json_bytes(&site.words),
                t.file.as_bytes(),
                t.checksum.as_bytes(),
            ]);
            reuse.file(name.clone(), key, || {
                write_working_template(
                    t,
                    variant,
                    (&site.manifest, &site.words),
                    project.date,
                    project.paper,
                )
                .with_context(|| format!("failed to write the workbook {name}"))
            })
        })
        .collect()
}

/// One language's web edition: taken whole from the previous build when the sources as
/// that language reads them, the templates (the site's among them), the date and paper
/// are the same, otherwise made again.
fn site_files(project: &Project, edition: &EditionSources, reuse: &Reuse) -> Result<Vec<Built>> {
    let site = edition.site;
    let sources = sources_digest(&site.language, &site.sources_dir)
        .with_context(|| format!("failed to read {}", site.sources_dir.display()))?;
    let key = reuse.key(&[
        b"site",
        &edition_context(project, edition)?,
        sources.as_bytes(),
        project.typesetter.templates_digest().as_bytes(),
    ]);
    let folder = site.language.layout.site_file("").into_string();
    if let Some(k) = &key
        && let Some(files) = reuse.previous.reuse_unit(k, &folder)
    {
        return Ok(files
            .into_iter()
            .map(|file| Built::reused(file, key.clone()))
            .collect());
    }
    let files = crate::site::build_site(
        site,
        edition.questionnaires,
        edition.working_templates,
        &project.templates,
    )?;
    Ok(files
        .into_iter()
        .map(|(path, bytes)| Built::made(path, bytes, key.clone()))
        .collect())
}
