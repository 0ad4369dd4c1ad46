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
    print_plain_language(&sources.site.manifest.language, &rows, None);
    let mut files = Vec::new();
    for file in source_files(&sources.site, &args.templates).map_err(found)? {
        match file.messages() {
            Ok(messages) => files.push((file, messages)),
            Err(more) => problems.0.extend(more.0),
        }
    }
    let languages = sources.site.manifest.translation_languages();
    for language in &languages {
        let state = check_translations(language, dir, &files, &mut problems);
        plain_language_of(language, (dir, &args.templates), &state, &mut problems);
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
) -> LanguageState {
    let mut state = check_language(sources, language.id(), files);
    print_state(language, &state);
    problems.0.append(&mut state.problems.0);
    let gaps = state.total.fuzzy + state.total.missing;
    if gaps == 0 {
        return state;
    }
    if language.draft {
        eprintln!(
            "note: {} is a draft: {} of {} entries missing and {} fuzzy; they show in English",
            language.id(),
            state.total.missing,
            state.total.total(),
            state.total.fuzzy
        );
        return state;
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
    state
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

/// Prints the plain-language table of one language: each document's and primer's prose
/// words and its language's reading measure with the bar; `only` keeps the rows named
/// (the documents whose translation is complete).
fn print_plain_language(
    language: &str,
    rows: &[crate::content::PlainLanguage],
    only: Option<&dyn Fn(&str) -> bool>,
) {
    let Some(first) = rows.first() else {
        return;
    };
    let formula = first.formula;
    println!(
        "{:<52} {:>11} {:>13} {:>15} {:>8}",
        format!("reading ({language}: {})", formula.name()),
        "prose words",
        "measure",
        "words/sentence",
        "letters"
    );
    let (sign, mut shown) = match formula.higher_is_easier() {
        true => ("≥", 0),
        false => ("≤", 0),
    };
    for row in rows
        .iter()
        .filter(|r| only.is_none_or(|keep| keep(&r.name)))
    {
        shown += 1;
        println!(
            "{:<52} {:>11} {:>8.1} ({sign}{:.0}) {:>15.1} {:>8.1}",
            row.name,
            row.words,
            row.reading_ease,
            row.bar,
            row.words_per_sentence,
            row.letters_per_word
        );
    }
    if shown == 0 {
        println!("(no document is fully translated yet)");
    }
}

/// The plain-language table of a translated language, for the documents and primers
/// whose catalogues are complete (a draft's untranslated blocks are English and would
/// falsify the measure); a problem for each that misses its language's bar.
fn plain_language_of(
    language: &Language,
    (sources, templates): (&std::path::Path, &std::path::Path),
    state: &LanguageState,
    problems: &mut Problems,
) {
    let id = language.id();
    let Ok(translations) = crate::i18n::Translations::load(sources, templates, id) else {
        return;
    };
    let translator = std::sync::Arc::new(crate::i18n::SourceTranslator::new(translations));
    let read_as = crate::language::Language::translated(id, language.direction, translator);
    let Ok(site) = crate::content::Site::load_language(sources, read_as) else {
        return;
    };
    let complete: Vec<String> = state
        .catalogues
        .iter()
        .filter(|c| c.exists && c.counts.missing + c.counts.fuzzy == 0)
        .map(|c| c.path.clone())
        .collect();
    let catalogue_done = |stem: &str| {
        complete
            .iter()
            .any(|path| path.ends_with(&format!("/guides/{stem}.po")))
    };
    // A level edition or primer is measured when the guides it draws on are translated.
    let all_guides = site.documents.iter().all(|doc| catalogue_done(&doc.id));
    let keep = |name: &str| {
        let stem = std::path::Path::new(name)
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or("");
        match name.ends_with(".md") {
            true => catalogue_done(stem),
            false => {
                site.documents
                    .iter()
                    .any(|doc| stem.starts_with(&format!("{}-", doc.id)) && catalogue_done(&doc.id))
                    || all_guides
            }
        }
    };
    let (rows, found) = site.plain_language();
    println!();
    print_plain_language(id, &rows, Some(&keep));
    for problem in found.0 {
        if keep(&problem.file) {
            problems.0.push(problem);
        }
    }
}
