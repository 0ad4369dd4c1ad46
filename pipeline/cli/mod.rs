//! The command line: clap definitions, one file per subcommand, and the one place that
//! prints a command's failure and maps outcomes to exit codes ([`ExitStatus`]: 0 all
//! good, 1 finished but something was rejected, 2 usage or configuration error, nothing
//! written). Every command returns `Result<ExitStatus, Failure>`.

mod build;
mod check;
mod merge;
mod score;
mod translate;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use crate::batch::ScoringError;
use crate::content::manifest::{MANIFEST_FILE, Paper};
use crate::problem::Problems;
use crate::project::{Project, ProjectOptions, SetupError};

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
    /// reading ease, and for each translation language its catalogues' translated, fuzzy
    /// and missing entries, damaged markup and glossary departures; writes nothing.
    Check(check::CheckArgs),
    /// Join the output folders of `score --shard K/N` into the folder a single run would
    /// have written.
    Merge(merge::MergeArgs),
    /// Update the translation catalogues (gettext PO files) of every declared language
    /// with the sources, as msgmerge does.
    #[command(long_about = translate::ABOUT)]
    Translate(translate::TranslateArgs),
}

/// Paper size choices on the command line.
#[derive(Debug, Clone, Copy, ValueEnum)]
enum PaperArg {
    /// ISO A4.
    A4,
    /// US Letter.
    UsLetter,
}

/// The bleed of the print-shop edition, on each side.
const PRINT_BLEED_MM: u32 = 3;

/// PDF standard choices on the command line.
#[derive(Debug, Clone, Copy, Default, ValueEnum)]
enum StandardArg {
    /// PDF/UA-1: tagged and accessible (every PDF, always).
    #[default]
    #[value(name = "ua-1")]
    Ua1,
    /// PDF/A-2a with PDF/UA-1: for records offices that archive documents (fonts
    /// embedded, colours and metadata as the archival standard requires, tagged).
    #[value(name = "a-2a")]
    A2a,
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
    /// The standard every PDF declares and is checked against while it is written.
    #[arg(long, value_enum, value_name = "STANDARD", default_value = "ua-1")]
    pdf_standard: StandardArg,
    /// Print-shop edition: every page gets 3 mm of bleed on each side (a TrimBox at the
    /// finished size, a BleedBox around it) and backgrounds run into the bleed. Build it
    /// into its own --out folder: the files keep their names.
    #[arg(long)]
    print: bool,
}

impl TypesetArgs {
    /// The project these flags and `--sources` describe.
    fn project_options(&self, sources: &SourcesArg) -> ProjectOptions {
        ProjectOptions {
            sources: sources.sources.clone(),
            templates: self.templates.clone(),
            paper: self.paper.map(Into::into),
            source_date_epoch: self.source_date_epoch,
            threads: self.threads,
            pdf: crate::typeset::PdfEdition {
                archival: matches!(self.pdf_standard, StandardArg::A2a),
                bleed_mm: if self.print { PRINT_BLEED_MM } else { 0 },
            },
        }
    }

    /// Opens the project (sources, fonts, templates), or says why not, with a hint when
    /// the folders are not where they were looked for.
    fn open_project(&self, sources: &SourcesArg) -> Result<Project, Failure> {
        Project::open(&self.project_options(sources)).map_err(|error| {
            let hint = if !sources.sources.join(MANIFEST_FILE).exists() {
                Some(format!(
                    "no {MANIFEST_FILE} in {}; run from the project folder or pass --sources DIR (and --templates DIR)",
                    sources.sources.display()
                ))
            } else if matches!(error, SetupError::Setup(_)) && !self.templates.is_dir() {
                Some(format!(
                    "no templates folder {}; run from the project folder or pass --templates DIR",
                    self.templates.display()
                ))
            } else {
                None
            };
            Failure::from(error).with_hint(hint)
        })
    }

    /// Prints the time of each stage when `--timings` was given.
    fn print_timings(&self, timings: &[(&'static str, f64)]) {
        if self.timings {
            for (stage, seconds) in timings {
                eprintln!("{stage:>26}: {seconds:.3} s");
            }
        }
    }
}

/// Prints Typst's warnings on standard error, one line each
/// (`warning: <file>:<line>: <message>`); the library gathers them once per template.
fn print_warnings(warnings: &crate::typeset::Warnings) {
    for line in warnings.lines() {
        eprintln!("{line}");
    }
}

/// How a command ended; the process exit code is decided here and nowhere else.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitStatus {
    /// Everything worked (exit 0).
    Success,
    /// The run finished but something was rejected or failed; everything valid was
    /// written and every problem was reported (exit 1).
    Rejected,
    /// Usage or configuration error: the run could not start and nothing was written
    /// (exit 2).
    Error,
}

impl From<ExitStatus> for ExitCode {
    fn from(status: ExitStatus) -> ExitCode {
        match status {
            ExitStatus::Success => ExitCode::from(0),
            ExitStatus::Rejected => ExitCode::from(1),
            ExitStatus::Error => ExitCode::from(2),
        }
    }
}

/// Why a command could not run (exit 2, nothing written): printed once, by [`run`].
#[derive(Debug)]
pub enum Failure {
    /// Problems in the sources, one per line, then a closing line, and perhaps a hint.
    Problems(Problems, String, Option<String>),
    /// One error, with its causes, and perhaps a hint.
    Error(anyhow::Error, Option<String>),
}

impl Failure {
    fn with_hint(self, hint: Option<String>) -> Failure {
        match self {
            Failure::Error(error, None) => Failure::Error(error, hint),
            Failure::Problems(problems, closing, None) => {
                Failure::Problems(problems, closing, hint)
            }
            other => other,
        }
    }

    /// Prints the failure on standard error: every line once, `error:` once.
    fn print(&self) {
        match self {
            Failure::Problems(problems, closing, hint) => {
                eprintln!("{problems}");
                eprintln!("error: {closing}");
                if let Some(hint) = hint {
                    eprintln!("hint: {hint}");
                }
            }
            Failure::Error(error, hint) => {
                eprintln!("error: {error:#}");
                if let Some(hint) = hint {
                    eprintln!("hint: {hint}");
                }
            }
        }
    }
}

impl From<anyhow::Error> for Failure {
    fn from(error: anyhow::Error) -> Failure {
        Failure::Error(error, None)
    }
}

impl From<SetupError> for Failure {
    fn from(error: SetupError) -> Failure {
        match error {
            SetupError::Sources(problems) => {
                let closing = format!(
                    "the sources have {} problem(s); nothing was written",
                    problems.0.len()
                );
                Failure::Problems(problems, closing, None)
            }
            SetupError::Setup(error) => Failure::Error(error, None),
        }
    }
}

impl From<ScoringError> for Failure {
    fn from(error: ScoringError) -> Failure {
        Failure::Error(anyhow::anyhow!("{error}"), None)
    }
}

/// Parses the arguments, runs the command and returns its exit code.
pub fn run() -> ExitCode {
    let cli = Cli::parse();
    let outcome = match cli.command {
        Command::Build(args) => build::run(args),
        Command::Score(args) => score::run(args),
        Command::Check(args) => check::run(args),
        Command::Merge(args) => merge::run(args),
        Command::Translate(args) => translate::run(args),
    };
    match outcome {
        Ok(status) => status.into(),
        Err(failure) => {
            failure.print();
            ExitStatus::Error.into()
        }
    }
}
