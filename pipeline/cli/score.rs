//! `toolkit score`.

use std::path::PathBuf;

use clap::Args;

use super::{EXIT_CONFIG, EXIT_OK, EXIT_REJECTED, SourcesArg, TypesetArgs};
use crate::batch::{ScoringRun, run_scoring};
use crate::build::{document_date, open_typesetter};
use crate::questionnaire::load_sources;

#[derive(Debug, Args)]
pub(super) struct ScoreArgs {
    /// Answer files (.csv, .xlsx, .ods) or folders to search recursively.
    #[arg(required = true, value_name = "PATH")]
    paths: Vec<PathBuf>,
    #[command(flatten)]
    sources: SourcesArg,
    /// Output folder for reports, summary.csv, summary.xlsx and errors.csv.
    #[arg(long, value_name = "DIR", default_value = "output/reports")]
    out: PathBuf,
    #[command(flatten)]
    typeset: TypesetArgs,
}

pub(super) fn run(args: ScoreArgs) -> u8 {
    let sources = &args.sources.sources;
    let (site, questionnaires) = match load_sources(sources) {
        Ok(loaded) => loaded,
        Err(problems) => {
            eprintln!("{problems}\nerror: the sources have problems; nothing was scored");
            return EXIT_CONFIG;
        }
    };
    let date = document_date(&site, args.typeset.source_date_epoch);
    let typesetter = match open_typesetter(&site, &args.typeset.templates, date) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("error: {e:#}");
            return EXIT_CONFIG;
        }
    };
    let paper = args
        .typeset
        .paper
        .map(crate::content::manifest::Paper::from)
        .unwrap_or(site.manifest.paper);
    let run = ScoringRun {
        site: &site,
        questionnaires: &questionnaires,
        typesetter: &typesetter,
        paths: &args.paths,
        out: &args.out,
        guides_dir: None,
        date,
        paper: paper.typst_name(),
        threads: args.typeset.threads,
    };
    match run_scoring(&run) {
        Ok(report) => {
            for failure in &report.failures {
                eprintln!("{failure}");
            }
            if args.typeset.timings {
                for (stage, seconds) in &report.timings {
                    eprintln!("{stage:>20}: {seconds:.3} s");
                }
            }
            println!(
                "{} files, {} responses: {} scored, {} rejected; {} reports in {}",
                report.files,
                report.responses,
                report.scored,
                report.rejected_responses,
                report.reports,
                args.out.display()
            );
            if report.rejections > 0 {
                println!(
                    "{} problem(s) listed in {}",
                    report.rejections,
                    args.out.join("errors.csv").display()
                );
            }
            if report.rejections > 0 || !report.failures.is_empty() {
                EXIT_REJECTED
            } else {
                EXIT_OK
            }
        }
        Err(e) => {
            eprintln!("error: {e:#}");
            EXIT_CONFIG
        }
    }
}
