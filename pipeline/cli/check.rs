//! `toolkit check`.

use clap::Args;

use super::{EXIT_CONFIG, EXIT_OK, SourcesArg};
use crate::problem::Problems;
use crate::questionnaire::load_sources;

#[derive(Debug, Args)]
pub(super) struct CheckArgs {
    #[command(flatten)]
    sources: SourcesArg,
}

pub(super) fn run(args: CheckArgs) -> u8 {
    let sources = &args.sources.sources;
    let (site, questionnaires) = match load_sources(sources) {
        Ok(loaded) => loaded,
        Err(problems) => return report(&problems),
    };
    let (rows, problems) = site.plain_language();
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
        "{}: {} documents, {} primers and {} questionnaires checked, no problems",
        sources.display(),
        site.documents.len(),
        site.primer_targets().len(),
        questionnaires.len()
    );
    EXIT_OK
}

fn report(problems: &Problems) -> u8 {
    println!("{problems}");
    eprintln!("error: {} problem(s) found", problems.0.len());
    EXIT_CONFIG
}
