//! `toolkit score`.

use std::path::{Path, PathBuf};

use clap::Args;

use super::{ExitStatus, Failure, SourcesArg, TypesetArgs};
use crate::batch::shard::Shard;
use crate::batch::{ScoringReport, ScoringRun, run_scoring};

#[derive(Debug, Args)]
pub(super) struct ScoreArgs {
    /// Answer files (.csv, .xlsx, .ods) or folders to search recursively.
    #[arg(required = true, value_name = "PATH")]
    paths: Vec<PathBuf>,
    #[command(flatten)]
    sources: SourcesArg,
    /// Output folder for reports, summary.csv, summary.xlsx, errors.csv and run.json.
    #[arg(long, value_name = "DIR", default_value = "output/reports")]
    out: PathBuf,
    /// Typeset every report again, even those whose data, templates and fonts have not
    /// changed since the previous run into the same folder.
    #[arg(long)]
    no_cache: bool,
    /// Make only shard K of N: every shard reads all answers, but typesets only the
    /// reports of its (questionnaire, group) pairs and writes shard.json; join the shards
    /// with `toolkit merge` (see the README for Kubernetes, Slurm and GNU parallel).
    #[arg(long, value_name = "K/N")]
    shard: Option<Shard>,
    /// Typeset every report in this language (a declared language id), whatever language
    /// the responses name; by default a response's report speaks the response's
    /// `language` (the toolkit's source language when it names none) and a group's report
    /// its responses' most common language.
    #[arg(long, value_name = "ID")]
    language: Option<String>,
    #[command(flatten)]
    typeset: TypesetArgs,
}

pub(super) fn run(args: ScoreArgs) -> Result<ExitStatus, Failure> {
    let project = args.typeset.open_project(&args.sources)?;
    project.check_out(&args.out)?;
    if let Some(language) = &args.language {
        let ids: Vec<&str> = project
            .editions()
            .iter()
            .map(|e| e.site.manifest.output_language())
            .collect();
        if !ids.contains(&language.as_str()) {
            return Err(Failure::Error(
                anyhow::anyhow!(
                    "--language {language:?} is not a declared language; languages: {}",
                    ids.join(", ")
                ),
                None,
            ));
        }
    }
    let run = ScoringRun {
        project: &project,
        paths: &args.paths,
        out: &args.out,
        guides_link: None,
        reuse: !args.no_cache,
        shard: args.shard,
        language: args.language,
    };
    let report = run_scoring(&run)?;
    super::print_warnings(&report.warnings);
    args.typeset.print_timings(&report.timings);
    print_outcome(&report, &args.out);
    Ok(outcome_status(&report))
}

/// The exit status of a finished scoring run (or merge): 1 when any response or report was
/// rejected or failed to typeset, 0 otherwise.
pub(super) fn outcome_status(report: &ScoringReport) -> ExitStatus {
    if report.rejections > 0 || !report.failures.is_empty() {
        ExitStatus::Rejected
    } else {
        ExitStatus::Success
    }
}

/// Prints what a scoring run did: failures on standard error, counts on standard output.
pub(super) fn print_outcome(report: &ScoringReport, out: &Path) {
    for note in &report.notes {
        eprintln!("note: {note}");
    }
    for failure in &report.failures {
        eprintln!("{failure}");
    }
    let reused = match report.reused {
        0 => String::new(),
        n => format!(" ({n} unchanged, reused)"),
    };
    let unfilled = match report.unfilled {
        0 => String::new(),
        n => format!(", {n} unfilled"),
    };
    println!(
        "{} files, {} responses: {} scored, {} rejected{unfilled}; {} reports{reused} in {}",
        report.files,
        report.responses,
        report.scored,
        report.rejected_responses,
        report.reports,
        out.display()
    );
    if report.rejections > 0 {
        println!(
            "{} problem(s) listed in {}",
            report.rejections,
            out.join("errors.csv").display()
        );
    }
}
