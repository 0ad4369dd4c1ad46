//! `toolkit merge`.

use std::path::PathBuf;

use clap::Args;

use super::{ExitStatus, Failure};
use crate::batch::shard::merge_shards;

#[derive(Debug, Args)]
pub(super) struct MergeArgs {
    /// The output folders of `toolkit score --shard K/N`, one per shard, in any order.
    #[arg(required = true, value_name = "SHARD_DIR")]
    shards: Vec<PathBuf>,
    /// Output folder of the merged reports, summaries, errors.csv and run.json.
    #[arg(long, value_name = "DIR", default_value = "output/reports")]
    out: PathBuf,
}

pub(super) fn run(args: MergeArgs) -> Result<ExitStatus, Failure> {
    let report = merge_shards(&args.shards, &args.out)?;
    super::score::print_outcome(&report, &args.out);
    Ok(super::score::outcome_status(&report))
}
