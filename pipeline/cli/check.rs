//! `toolkit check`.

use clap::Args;

use super::{EXIT_CONFIG, EXIT_OK, SourcesArg};
use crate::content::Site;

#[derive(Debug, Args)]
pub(super) struct CheckArgs {
    #[command(flatten)]
    sources: SourcesArg,
}

pub(super) fn run(args: CheckArgs) -> u8 {
    match Site::load(&args.sources.sources) {
        Ok(site) => {
            println!(
                "{}: {} documents checked, no problems",
                args.sources.sources.display(),
                site.documents.len()
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
