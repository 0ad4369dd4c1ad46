//! `toolkit check`.

use clap::Args;

use super::{EXIT_CONFIG, EXIT_OK, SourcesArg};
use crate::content::Site;
use crate::problem::Problems;
use crate::questionnaire::{check_companions, load_questionnaires};

#[derive(Debug, Args)]
pub(super) struct CheckArgs {
    #[command(flatten)]
    sources: SourcesArg,
}

pub(super) fn run(args: CheckArgs) -> u8 {
    let sources = &args.sources.sources;
    let site = match Site::load(sources) {
        Ok(site) => site,
        Err(problems) => return report(&problems),
    };
    let questionnaires = match load_questionnaires(sources, &site) {
        Ok(q) => q,
        Err(problems) => return report(&problems),
    };
    let mut problems = check_companions(&site, &questionnaires);
    let (rows, language) = site.plain_language();
    problems.0.extend(language.0);
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
