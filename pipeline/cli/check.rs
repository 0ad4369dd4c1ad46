//! `toolkit check`.

use clap::Args;

use super::{EXIT_CONFIG, EXIT_OK, SourcesArg};
use crate::content::Site;
use crate::questionnaire::load_questionnaires;

#[derive(Debug, Args)]
pub(super) struct CheckArgs {
    #[command(flatten)]
    sources: SourcesArg,
}

pub(super) fn run(args: CheckArgs) -> u8 {
    let sources = &args.sources.sources;
    match Site::load(sources)
        .and_then(|site| load_questionnaires(sources, &site).map(|q| (site, q)))
    {
        Ok((site, questionnaires)) => {
            println!(
                "{}: {} documents and {} questionnaires checked, no problems",
                sources.display(),
                site.documents.len(),
                questionnaires.len()
            );
            EXIT_OK
        }
        Err(problems) => {
            println!("{problems}");
            eprintln!("error: {} problem(s) found", problems.0.len());
            EXIT_CONFIG
        }
    }
}
