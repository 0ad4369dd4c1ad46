//! `toolkit build`.

use std::path::PathBuf;

use clap::Args;

use super::{ExitStatus, Failure, SourcesArg, TypesetArgs};
use crate::build::{BuildOptions, run_build};
use crate::layout::Layout;

#[derive(Debug, Args)]
pub(super) struct BuildArgs {
    #[command(flatten)]
    sources: SourcesArg,
    /// Returned answers to score into <out>/reports (skipped if the folder does not exist).
    #[arg(long, value_name = "DIR", default_value = "answers")]
    answers: PathBuf,
    /// Output folder; created if missing.
    #[arg(long, value_name = "DIR", default_value = "output")]
    out: PathBuf,
    /// Make everything again (every PDF typeset, every report too), taking nothing from
    /// the previous build, even what did not change since.
    #[arg(long)]
    no_cache: bool,
    #[command(flatten)]
    typeset: TypesetArgs,
}

pub(super) fn run(args: BuildArgs) -> Result<ExitStatus, Failure> {
    let project = args.typeset.open_project(&args.sources)?;
    let options = BuildOptions {
        out: args.out.clone(),
        answers: Some(args.answers),
        reuse: !args.no_cache,
    };
    let report = run_build(&project, &options)?;
    for note in &report.notes {
        eprintln!("note: {note}");
    }
    for failure in &report.failures {
        eprintln!("{failure}");
    }
    // The documents' warnings and the reports', each once.
    let mut warnings = report.warnings.clone();
    if let Some(scoring) = &report.scoring {
        warnings.add(scoring.warnings.iter().cloned());
    }
    super::print_warnings(&warnings);
    args.typeset.print_timings(&report.timings);
    let bundle = report.bundle.as_deref().unwrap_or("no bundle");
    println!(
        "built {} files in {} ({bundle}): {} reused from the previous build, {} made ({} PDFs typeset)",
        report.written.len(),
        args.out.display(),
        report.reused.len(),
        report.written.len() - report.reused.len(),
        report.typeset
    );
    let mut rejected = !report.failures.is_empty();
    if let Some(scoring) = &report.scoring {
        let reports = args.out.join(Layout::source().reports().as_str());
        super::score::print_outcome(scoring, &reports);
        rejected |= scoring.rejections > 0 || !scoring.failures.is_empty();
    }
    if let Some(error) = &report.scoring_error {
        eprintln!("error: the answers were not scored: {error}");
        rejected = true;
    }
    Ok(if rejected {
        ExitStatus::Rejected
    } else {
        ExitStatus::Success
    })
}
