//! `toolkit check`.

use clap::Args;

use super::{ExitStatus, Failure, SourcesArg};
use crate::problem::Problems;
use crate::project::Sources;

#[derive(Debug, Args)]
pub(super) struct CheckArgs {
    #[command(flatten)]
    sources: SourcesArg,
}

pub(super) fn run(args: CheckArgs) -> Result<ExitStatus, Failure> {
    let dir = &args.sources.sources;
    let sources = Sources::load(dir).map_err(found)?;
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
        return Err(found(problems.sorted()));
    }
    println!(
        "{}: {} documents, {} primers, {} questionnaires and {} working templates checked, no problems",
        dir.display(),
        sources.site.documents.len(),
        sources.site.primer_targets().len(),
        sources.questionnaires.len(),
        sources.working_templates.len()
    );
    Ok(ExitStatus::Success)
}

/// The failure of a check that found problems.
fn found(problems: Problems) -> Failure {
    let closing = format!("{} problem(s) found", problems.0.len());
    Failure::Problems(problems, closing, None)
}
