//! The command line: clap definitions, one file per subcommand, and the mapping of
//! outcomes to exit codes (0 all good, 1 finished but something was rejected, 2 usage or
//! configuration error, nothing written).

mod build;
mod check;
mod score;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use crate::content::manifest::Paper;

/// Publishes the Responsible AI Toolkit for law enforcement: print-ready PDF guides and
/// primers, questionnaire workbooks, and scored reports from returned answers.
#[derive(Debug, Parser)]
#[command(name = "toolkit", version, about, long_about = None, propagate_version = true)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Build the whole toolkit: every guide PDF and the distribution bundle (.zip with
    /// SHA-256 checksums) under the output folder.
    Build(build::BuildArgs),
    /// Score returned answers (CSV, XLSX, ODS; files or folders): a PDF report per response
    /// and per group, summary.csv, summary.xlsx and errors.csv.
    Score(score::ScoreArgs),
    /// Check the sources (manifest, front matter, tags, images, links, questionnaire
    /// definitions) and report every problem with file and line, plus word counts and
    /// reading ease; writes nothing.
    Check(check::CheckArgs),
}

/// Paper size choices on the command line.
#[derive(Debug, Clone, Copy, ValueEnum)]
enum PaperArg {
    /// ISO A4.
    A4,
    /// US Letter.
    UsLetter,
}

impl From<PaperArg> for Paper {
    fn from(value: PaperArg) -> Self {
        match value {
            PaperArg::A4 => Paper::A4,
            PaperArg::UsLetter => Paper::UsLetter,
        }
    }
}

/// The `--sources` flag shared by every subcommand.
#[derive(Debug, clap::Args)]
struct SourcesArg {
    /// Folder with toolkit.toml, the Markdown documents and the questionnaire definitions.
    #[arg(long, value_name = "DIR", default_value = "sources")]
    sources: PathBuf,
}

/// Flags shared by the commands that typeset.
#[derive(Debug, clap::Args)]
struct TypesetArgs {
    /// Folder with the Typst templates (and an optional fonts/ folder).
    #[arg(long, value_name = "DIR", default_value = "templates")]
    templates: PathBuf,
    /// Paper size of every PDF (default: the manifest's `paper`, else A4).
    #[arg(long, value_enum)]
    paper: Option<PaperArg>,
    /// Typesetting threads (default: one per core).
    #[arg(long, value_name = "N")]
    threads: Option<usize>,
    /// Fixed document date as a Unix timestamp (overrides the manifest's date).
    #[arg(
        long,
        env = "SOURCE_DATE_EPOCH",
        value_name = "SECONDS",
        hide_env_values = true
    )]
    source_date_epoch: Option<i64>,
    /// Print the time of each stage.
    #[arg(long)]
    timings: bool,
}

/// Exit code: everything worked.
pub const EXIT_OK: u8 = 0;
/// Exit code: the run finished, but some input was rejected (everything valid was written).
pub const EXIT_REJECTED: u8 = 1;
/// Exit code: usage or configuration error; nothing was written.
pub const EXIT_CONFIG: u8 = 2;

/// Parses the arguments, runs the command and returns its exit code.
pub fn run() -> ExitCode {
    let cli = Cli::parse();
    let code = match cli.command {
        Command::Build(args) => build::run(args),
        Command::Score(args) => score::run(args),
        Command::Check(args) => check::run(args),
    };
    ExitCode::from(code)
}
