//! `toolkit check`.

use std::path::PathBuf;

use clap::Args;

use super::{ExitStatus, Failure, SourcesArg};
use crate::content::manifest::Language;
use crate::i18n::catalogues::{SourceFile, source_files};
use crate::i18n::check::{LanguageState, check_language};
use crate::i18n::extract::{Message, Words};
use crate::problem::Problems;
use crate::project::Sources;

#[derive(Debug, Args)]
pub(super) struct CheckArgs {
    #[command(flatten)]
    sources: SourcesArg,
    /// Folder with the templates, whose words.toml has a catalogue in each language.
    #[arg(long, value_name = "DIR", default_value = "templates")]
    templates: PathBuf,
}

pub(super) fn run(args: CheckArgs) -> Result<ExitStatus, Failure> {
    let dir = &args.sources.sources;
    let sources = Sources::load(dir).map_err(found)?;
    Words::load(&args.templates).map_err(found)?;
    let (rows, mut problems) = sources.site.plain_language();
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
    let mut files = Vec::new();
    for file in source_files(&sources.site, &args.templates).map_err(found)? {
        match file.messages() {
            Ok(messages) => files.push((file, messages)),
            Err(more) => problems.0.extend(more.0),
        }
    }
    let languages = sources.site.manifest.translation_languages();
    for language in &languages {
        check_translations(language, dir, &files, &mut problems);
    }
    if !problems.is_empty() {
        return Err(found(problems.sorted()));
    }
    println!(
        "{}: {} documents, {} primers, {} questionnaires and {} working templates checked, with {} translation languages, no problems",
        dir.display(),
        sources.site.documents.len(),
        sources.site.primer_targets().len(),
        sources.questionnaires.len(),
        sources.working_templates.len(),
        languages.len()
    );
    Ok(ExitStatus::Success)
}

/// Prints a language's catalogues (translated, fuzzy, missing) and records its
/// problems: damaged markup and glossary departures always; missing and fuzzy entries
/// unless the language is a draft (then a note).
fn check_translations(
    language: &Language,
    sources: &std::path::Path,
    files: &[(SourceFile, Vec<Message>)],
    problems: &mut Problems,
) {
    let state = check_language(sources, language.id(), files);
    print_state(language, &state);
    problems.0.extend(state.problems.0);
    let gaps = state.total.fuzzy + state.total.missing;
    if gaps == 0 {
        return;
    }
    if language.draft {
        eprintln!(
            "note: {} is a draft: {} of {} entries missing and {} fuzzy; they show in English",
            language.id(),
            state.total.missing,
            state.total.total(),
            state.total.fuzzy
        );
        return;
    }
    for catalogue in &state.catalogues {
        let c = catalogue.counts;
        if c.missing + c.fuzzy > 0 {
            let hint = if catalogue.exists {
                ""
            } else {
                " (no catalogue: run toolkit translate)"
            };
            problems.at(
                &catalogue.path,
                0,
                format!(
                    "{} entries missing and {} fuzzy{hint}; {} is not a draft (draft = true in toolkit.toml allows it)",
                    c.missing,
                    c.fuzzy,
                    language.id()
                ),
            );
        }
    }
}

/// The table of a language's catalogues.
fn print_state(language: &Language, state: &LanguageState) {
    let draft = if language.draft { ", draft" } else { "" };
    let title = format!("translations: {} ({}{draft})", language.id(), language.name);
    let width = state
        .catalogues
        .iter()
        .map(|c| c.path.chars().count())
        .chain([title.chars().count(), 52])
        .max()
        .unwrap_or(52);
    println!();
    println!(
        "{title:<width$} {:>11} {:>6} {:>8}",
        "translated", "fuzzy", "missing"
    );
    for catalogue in &state.catalogues {
        let c = catalogue.counts;
        println!(
            "{:<width$} {:>11} {:>6} {:>8}",
            catalogue.path, c.translated, c.fuzzy, c.missing
        );
    }
    let t = state.total;
    println!(
        "{:<width$} {:>11} {:>6} {:>8}",
        "total", t.translated, t.fuzzy, t.missing
    );
}

/// The failure of a check that found problems.
fn found(problems: Problems) -> Failure {
    let closing = format!("{} problem(s) found", problems.0.len());
    Failure::Problems(problems, closing, None)
}
