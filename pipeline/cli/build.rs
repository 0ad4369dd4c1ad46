//! `toolkit build`.

use std::path::PathBuf;

use clap::Args;

use super::{EXIT_CONFIG, EXIT_OK, EXIT_REJECTED, SourcesArg, TypesetArgs};
use crate::build::{BuildError, BuildOptions, run_build};

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
    #[command(flatten)]
    typeset: TypesetArgs,
}

pub(super) fn run(args: BuildArgs) -> u8 {
    let options = BuildOptions {
        sources: args.sources.sources,
        templates: args.typeset.templates,
        out: args.out.clone(),
        paper: args.typeset.paper.map(Into::into),
        source_date_epoch: args.typeset.source_date_epoch,
        threads: args.typeset.threads,
        answers: Some(args.answers),
    };
    match run_build(&options) {
        Ok(report) => {
            for failure in &report.failures {
                eprintln!("{failure}");
            }
            if args.typeset.timings {
                for (stage, seconds) in &report.timings {
                    eprintln!("{stage:>26}: {:.3} s", seconds);
                }
            }
            let total = report.written.len();
            let bundle = report.bundle.as_deref().unwrap_or("no bundle");
            println!("built {total} files in {} ({bundle})", args.out.display());
            let mut rejected = !report.failures.is_empty();
            if let Some(scoring) = &report.scoring {
                for failure in &scoring.failures {
                    eprintln!("{failure}");
                }
                println!(
                    "scored {} of {} responses from {} answer files: {} reports in {}",
                    scoring.scored,
                    scoring.responses,
                    scoring.files,
                    scoring.reports,
                    args.out.join(crate::build::REPORTS_OUT).display()
                );
                if scoring.rejections > 0 {
                    println!(
                        "{} problem(s) with the answers are listed in {}",
                        scoring.rejections,
                        args.out
                            .join(crate::build::REPORTS_OUT)
                            .join("errors.csv")
                            .display()
                    );
                }
                rejected |= scoring.rejections > 0 || !scoring.failures.is_empty();
            }
            if rejected { EXIT_REJECTED } else { EXIT_OK }
        }
        Err(BuildError::Sources(problems)) => {
            eprintln!("{problems}");
            eprintln!(
                "error: the sources have {} problem(s); nothing was written",
                problems.0.len()
            );
            EXIT_CONFIG
        }
        Err(BuildError::Setup(error)) => {
            eprintln!("error: {error:#}");
            EXIT_CONFIG
        }
    }
}
