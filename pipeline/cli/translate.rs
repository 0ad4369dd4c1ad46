//! `toolkit translate`: brings every catalogue of every translation language up to date
//! with the sources, as `msgmerge` does.

use std::path::PathBuf;

use clap::Args;

use super::{ExitStatus, Failure, SourcesArg};
use crate::content::manifest::Language;
use crate::i18n::catalogues::{
    CatalogueUpdate, Outcome, SourceFile, orphans, source_files, update_catalogue,
};
use crate::i18n::extract::{Message, Words};
use crate::problem::Problems;
use crate::project::Sources;

/// What `toolkit translate --help` explains.
pub(super) const ABOUT: &str =
    "Update the translation catalogues (gettext PO files) of every language declared \
in toolkit.toml, as msgmerge does.

Each source file has one catalogue per language, under <sources>/translations/<language>/, \
at the source's path with .po for its extension (guides/introduction.po, \
questionnaires/risk-assessment.po, templates/ai-register.po, toolkit.po, and words.po for \
the fixed words of <templates>/words.toml). Open them with any PO editor (Poedit, Lokalize, \
Weblate) or a text editor.

New strings are added untranslated. A string whose English changed keeps its translation \
marked fuzzy (shown in English until a translator confirms it), with the old English as \
'#| msgid'. Strings no longer in the sources are kept at the end as obsolete '#~' entries. \
Missing catalogues are created. A catalogue with nothing to change is not touched.

Exit codes: 0 all catalogues up to date; 1 some catalogue could not be read or written \
(the others were updated; each problem is listed); 2 the sources have problems, or an \
unknown --language: nothing was written.";

#[derive(Debug, Args)]
pub(super) struct TranslateArgs {
    #[command(flatten)]
    sources: SourcesArg,
    /// Folder with the templates; its words.toml holds the fixed words of the outputs.
    #[arg(long, value_name = "DIR", default_value = "templates")]
    templates: PathBuf,
    /// Update only this language's catalogues (repeat for more; default: every language
    /// of toolkit.toml but the source language).
    #[arg(long = "language", value_name = "ID")]
    languages: Vec<String>,
}

pub(super) fn run(args: TranslateArgs) -> Result<ExitStatus, Failure> {
    let dir = &args.sources.sources;
    let sources = Sources::load(dir).map_err(unusable)?;
    Words::load(&args.templates).map_err(unusable)?;
    let manifest = &sources.site.manifest;
    let languages = chosen_languages(&manifest.translation_languages(), &args.languages)?;
    let files = source_files(&sources.site, &args.templates).map_err(unusable)?;
    let mut messages: Vec<(SourceFile, Vec<Message>)> = Vec::with_capacity(files.len());
    let mut problems = Problems::default();
    for file in files {
        match file.messages() {
            Ok(found) => messages.push((file, found)),
            Err(more) => problems.0.extend(more.0),
        }
    }
    problems.into_result().map_err(unusable)?;
    let mut problems = Problems::default();
    for language in &languages {
        let mut updates = Vec::new();
        for (file, found) in &messages {
            match update_catalogue(dir, file, found, language, manifest.id.get_ref()) {
                Ok(update) => updates.push(update),
                Err(more) => problems.0.extend(more.0),
            }
        }
        print_language(language, &updates);
        let files: Vec<SourceFile> = messages.iter().map(|(f, _)| f.clone()).collect();
        for orphan in orphans(dir, language.id(), &files) {
            eprintln!(
                "note: {} has no source file any more; it was left as it is",
                orphan.display()
            );
        }
    }
    if problems.is_empty() {
        return Ok(ExitStatus::Success);
    }
    let problems = problems.sorted();
    eprintln!("{problems}");
    eprintln!(
        "error: {} catalogue(s) could not be updated; the others were",
        problems.0.len()
    );
    Ok(ExitStatus::Rejected)
}

/// The languages to update: those asked for (each declared, none the source language),
/// or every translation language.
fn chosen_languages(declared: &[Language], asked: &[String]) -> Result<Vec<Language>, Failure> {
    let ids: Vec<&str> = declared.iter().map(Language::id).collect();
    if declared.is_empty() {
        return Err(Failure::Error(
            anyhow::anyhow!("toolkit.toml declares no language to translate into"),
            Some("declare each language under [[languages]] (id, name, direction) in toolkit.toml; see README, Translations".into()),
        ));
    }
    if asked.is_empty() {
        return Ok(declared.to_vec());
    }
    asked
        .iter()
        .map(|id| {
            declared
                .iter()
                .find(|l| l.id() == id)
                .cloned()
                .ok_or_else(|| {
                    Failure::Error(
                        anyhow::anyhow!(
                            "unknown --language {id:?}; the translation languages are {}",
                            ids.join(", ")
                        ),
                        None,
                    )
                })
        })
        .collect()
}

/// One line per catalogue written, then the language's totals.
fn print_language(language: &Language, updates: &[CatalogueUpdate]) {
    let count = |o: Outcome| updates.iter().filter(|u| u.outcome == o).count();
    for update in updates.iter().filter(|u| u.outcome != Outcome::Unchanged) {
        let what = if update.outcome == Outcome::Created {
            "created"
        } else {
            "updated"
        };
        let c = update.counts;
        println!(
            "{what} {}: {} entries ({} new, {} changed and marked fuzzy, {} made obsolete)",
            update.path.display(),
            update.entries,
            c.added,
            c.fuzzy,
            c.obsoleted
        );
    }
    println!(
        "{} ({}): {} catalogues ({} created, {} updated, {} unchanged), {} entries, {} English words",
        language.id(),
        language.name,
        updates.len(),
        count(Outcome::Created),
        count(Outcome::Updated),
        count(Outcome::Unchanged),
        updates.iter().map(|u| u.entries).sum::<usize>(),
        updates.iter().map(|u| u.words).sum::<usize>()
    );
}

/// Sources the catalogues cannot be made from (exit 2, nothing written).
fn unusable(problems: Problems) -> Failure {
    let closing = format!(
        "the sources have {} problem(s); no catalogue was written",
        problems.0.len()
    );
    Failure::Problems(problems, closing, None)
}
