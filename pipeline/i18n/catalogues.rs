//! Which catalogues a toolkit has (one per source file and language), and their update
//! by `toolkit translate`: each brought up to date with its source as `msgmerge` does
//! ([`super::merge`]), created when missing, written atomically (a temporary file in the
//! same folder, then a rename), and left alone, bytes and modification time, when
//! nothing changed.

use std::path::{Path, PathBuf};

use super::extract::{Message, WORDS_FILE, Words, markdown_messages, toml_messages};
use super::merge::{MergeCounts, merge};
use super::po::{Entry, PoFile};
use super::{TRANSLATIONS_DIR, catalogue_path};
use crate::content::Site;
use crate::content::manifest::{Language, MANIFEST_FILE};
use crate::problem::Problems;
use crate::questionnaire::{QUESTIONNAIRES_DIR, definition_files};
use crate::register::TEMPLATES_DIR;

/// Key of the words' catalogue in [`super::Translations`] (`words.po`).
pub const WORDS_CATALOGUE: &str = "words";

/// What kind of source a catalogue translates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceKind {
    /// A Markdown document (guide or primer introduction).
    Document,
    /// A TOML definition: the manifest, a questionnaire, a working template.
    Definition,
    /// The fixed words of the templates (`templates/words.toml`).
    Words,
    /// An SVG figure: the text of its labels.
    Figure,
}

/// A source file that has a catalogue in each language.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Path relative to the sources folder (`guides/introduction.md`); `words.toml` for
    /// the words of the templates, whose catalogue is `words.po`.
    pub rel: String,
    /// The file.
    pub path: PathBuf,
    /// What it is.
    pub kind: SourceKind,
}

impl SourceFile {
    /// Its catalogue in a language.
    pub fn catalogue(&self, sources: &Path, language: &str) -> PathBuf {
        catalogue_path(sources, language, &self.rel)
    }

    /// The messages it gives, in source order.
    pub fn messages(&self) -> Result<Vec<Message>, Problems> {
        let display = self.path.display().to_string();
        let mut problems = Problems::default();
        let text = match std::fs::read_to_string(&self.path) {
            Ok(text) => text,
            Err(e) => {
                problems.at(&display, 0, format!("cannot read: {e}"));
                return Err(problems);
            }
        };
        match self.kind {
            SourceKind::Document => Ok(markdown_messages(&self.rel, &text)),
            SourceKind::Definition => toml_messages(&self.rel, &text).map_err(|e| {
                problems.at(&display, e.line, e.message);
                problems
            }),
            SourceKind::Figure => Ok(super::svg::svg_messages(&self.rel, &text)),
            SourceKind::Words => {
                let entries = Words::parse(&text, &display, &mut problems);
                problems.into_result()?;
                let words = Words {
                    entries,
                    path: Some(self.path.clone()),
                };
                Ok(words.messages(&format!("{TEMPLATES_DIR}/{WORDS_FILE}")))
            }
        }
    }
}

/// Every source file with catalogues, in the toolkit's order: the manifest, the
/// documents (manifest order), the primer introductions, the questionnaires and the
/// working templates (by file name), then the words of the templates folder.
pub fn source_files(site: &Site, templates: &Path) -> Result<Vec<SourceFile>, Problems> {
    let sources = &site.sources_dir;
    let mut files = vec![SourceFile {
        rel: MANIFEST_FILE.to_owned(),
        path: sources.join(MANIFEST_FILE),
        kind: SourceKind::Definition,
    }];
    let intros = site.primer_intros.iter().map(|(_, doc)| doc);
    for doc in site.documents.iter().chain(intros) {
        files.push(SourceFile {
            rel: doc.rel_path.clone(),
            path: sources.join(&doc.rel_path),
            kind: SourceKind::Document,
        });
    }
    for dir in [QUESTIONNAIRES_DIR, TEMPLATES_DIR] {
        for path in definition_files(&sources.join(dir))? {
            let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
            files.push(SourceFile {
                rel: format!("{dir}/{}", name.unwrap_or_default()),
                path,
                kind: SourceKind::Definition,
            });
        }
    }
    for rel in figure_files(sources) {
        files.push(SourceFile {
            path: sources.join(&rel),
            rel,
            kind: SourceKind::Figure,
        });
    }
    let words = templates.join(WORDS_FILE);
    if words.is_file() {
        files.push(SourceFile {
            rel: WORDS_FILE.to_owned(),
            path: words,
            kind: SourceKind::Words,
        });
    }
    Ok(files)
}

/// Every SVG figure under the sources folder (translations left out), by its
/// `/`-separated path inside it, sorted.
pub fn figure_files(sources: &Path) -> Vec<String> {
    let mut found = Vec::new();
    let mut folders = vec![sources.to_path_buf()];
    while let Some(folder) = folders.pop() {
        let Ok(entries) = std::fs::read_dir(&folder) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            let Ok(rel) = path.strip_prefix(sources) else {
                continue;
            };
            let rel = rel.to_string_lossy().replace('\\', "/");
            if entry.file_type().is_ok_and(|t| t.is_dir()) {
                if rel != super::TRANSLATIONS_DIR {
                    folders.push(path);
                }
            } else if path
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("svg"))
            {
                found.push(rel);
            }
        }
    }
    found.sort();
    found
}

/// Every `*.po` file under a folder (recursively), by its path relative to the folder
/// without the extension, sorted.
pub fn po_files(dir: &Path) -> Vec<(String, PathBuf)> {
    let mut found = Vec::new();
    let mut folders = vec![dir.to_path_buf()];
    while let Some(folder) = folders.pop() {
        let Ok(entries) = std::fs::read_dir(&folder) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if entry.file_type().is_ok_and(|t| t.is_dir()) {
                folders.push(path);
            } else if path.extension().is_some_and(|e| e == "po")
                && let Ok(rel) = path.with_extension("").strip_prefix(dir)
            {
                let rel = rel.to_string_lossy().replace('\\', "/");
                found.push((rel, path));
            }
        }
    }
    found.sort();
    found
}

/// The catalogues of a language folder whose source no longer exists (kept: they may
/// hold translations worth reusing).
pub fn orphans(sources: &Path, language: &str, files: &[SourceFile]) -> Vec<PathBuf> {
    let dir = sources.join(TRANSLATIONS_DIR).join(language);
    po_files(&dir)
        .into_iter()
        .filter(|(_, path)| {
            !files
                .iter()
                .any(|f| f.catalogue(sources, language) == *path)
        })
        .map(|(_, path)| path)
        .collect()
}

/// The header of a new catalogue.
pub fn new_header(toolkit_id: &str, language: &Language, source_rel: &str) -> Entry {
    let mut header = Entry::new(None, String::new());
    header.comments = vec![
        format!(
            "{} ({}) translation of {source_rel}.",
            language.name,
            language.id()
        ),
        "Update with `toolkit translate`; check with `toolkit check` (README, Translations)."
            .to_owned(),
    ];
    header.msgstr = format!(
        "Project-Id-Version: {toolkit_id}\nReport-Msgid-Bugs-To: \nPO-Revision-Date: \nLast-Translator: \nLanguage-Team: {}\nLanguage: {}\nMIME-Version: 1.0\nContent-Type: text/plain; charset=UTF-8\nContent-Transfer-Encoding: 8bit\n",
        language.name,
        language.id()
    );
    header
}

/// What `toolkit translate` did to one catalogue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// The catalogue did not exist and was written.
    Created,
    /// The catalogue changed and was rewritten.
    Updated,
    /// Nothing changed; the file was not touched.
    Unchanged,
}

/// One catalogue after `toolkit translate`.
#[derive(Debug, Clone)]
pub struct CatalogueUpdate {
    /// The catalogue file.
    pub path: PathBuf,
    /// What happened to it.
    pub outcome: Outcome,
    /// How its entries came out of the merge.
    pub counts: MergeCounts,
    /// Its live (not obsolete) entries.
    pub entries: usize,
    /// English words in them.
    pub words: usize,
}

/// Brings one catalogue up to date with its source's messages and writes it if it
/// changed. A catalogue that cannot be read is left as it is (a problem at its line).
pub fn update_catalogue(
    sources: &Path,
    file: &SourceFile,
    messages: &[Message],
    language: &Language,
    toolkit_id: &str,
) -> Result<CatalogueUpdate, Problems> {
    let path = file.catalogue(sources, language.id());
    let display = path.display().to_string();
    let mut problems = Problems::default();
    let old_text = match std::fs::read_to_string(&path) {
        Ok(text) => Some(text),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => {
            problems.at(&display, 0, format!("cannot read the catalogue: {e}"));
            return Err(problems);
        }
    };
    let old = match old_text.as_deref().map(PoFile::parse).transpose() {
        Ok(old) => old.unwrap_or_default(),
        Err(e) => {
            problems.at(
                &display,
                e.line,
                format!("{}; the catalogue was left as it is", e.message),
            );
            return Err(problems);
        }
    };
    let (po, counts) = merge(&old, messages, || {
        new_header(toolkit_id, language, &file.rel)
    });
    let text = po.write();
    let outcome = match old_text {
        Some(old) if old == text => Outcome::Unchanged,
        Some(_) => Outcome::Updated,
        None => Outcome::Created,
    };
    if outcome != Outcome::Unchanged
        && let Err(e) = crate::output::write_atomic(&path, text.as_bytes())
    {
        problems.at(&display, 0, format!("{e:#}"));
        return Err(problems);
    }
    Ok(CatalogueUpdate {
        path,
        outcome,
        counts,
        entries: messages.len(),
        words: messages.iter().map(|m| word_count(&m.msgid)).sum(),
    })
}

/// Words of an English text, as a translator counts them: runs of characters between
/// spaces that hold a letter or digit, link destinations (`](…)`) left out.
pub fn word_count(text: &str) -> usize {
    let mut plain = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("](") {
        plain.push_str(&rest[..=at]);
        plain.push(' ');
        let after = &rest[at + 2..];
        rest = &after[after.find(')').map_or(after.len(), |i| i + 1)..];
    }
    plain.push_str(rest);
    plain
        .split_whitespace()
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;

    // Link destinations are not words; hyphenated words and references are one each.
    #[test]
    fn counts_words() {
        assert_eq!(
            word_count("Read the [key terms](guides/intro.md#key-terms) first."),
            5
        );
        assert_eq!(word_count("De-identified data, Art. 5(1)(a) — see `x`."), 6);
    }
}
