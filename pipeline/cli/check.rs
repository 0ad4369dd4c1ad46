//! `toolkit check`.

use clap::Args;

use super::{ExitStatus, SourcesArg};
use crate::problem::Problems;
use crate::project::Sources;

#[derive(Debug, Args)]
pub(super) struct CheckArgs {
    #[command(flatten)]
    sources: SourcesArg,
}

pub(super) fn run(args: CheckArgs) -> ExitStatus {
    let dir = &args.sources.sources;
    let sources = match Sources::load(dir) {
        Ok(sources) => sources,
        Err(problems) => return report(&problems),
    };
    let (rows, problems) = sources.site.plain_language();
    println!(
        "{:<52} {:>11} {:>13}",
        "document", "prose words", "reading ease"
    );
    for row in &rows {
        println!(
            "{:<52} {:>11} {:>8.1} (≥{:.0})",
            row.name, row.words, row.reading_ease, row.minimum
        );
    }
    if !problems.is_empty() {
        return report(&problems.sorted());
    }
    println!(
        "{}: {} documents, {} primers, {} questionnaires and {} working templates checked, no problems",
        dir.display(),
        sources.site.documents.len(),
        sources.site.primer_targets().len(),
        sources.questionnaires.len(),
        sources.working_templates.len()
    );
    ExitStatus::Success
}

/// Prints the problems on standard error, like `build` and `score`.
fn report(problems: &Problems) -> ExitStatus {
    eprintln!("{problems}");
    eprintln!("error: {} problem(s) found", problems.0.len());
    ExitStatus::Error
}
