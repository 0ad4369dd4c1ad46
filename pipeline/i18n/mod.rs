//! Translation catalogues: one gettext PO file per source file and language, under
//! `sources/translations/<language>/` (the source's path relative to `sources/`, with
//! `.po` for its extension; `words.po` for the fixed words of the templates,
//! `templates/words.toml`).
//!
//! - [`po`]: the PO format (parser and writer, laid out as gettext's tools lay it out,
//!   [`wrap`]).
//! - [`markdown`]: a document cut into pieces to translate, and put back together
//!   ([`translate_markdown`]).
//! - [`toml_text`]: the strings for readers of a TOML definition by key path, and the
//!   definition with them replaced ([`translate_toml`]), before it is parsed, so one
//!   parser reads every language.
//! - [`extract`]: the messages of every source file; [`merge`]: a catalogue brought up to
//!   date with them as `msgmerge` does; [`catalogues`]: which catalogues a toolkit has,
//!   and `toolkit translate`'s update of them; [`check`]: what `toolkit check` says about
//!   each language (counts, damaged markup, glossary).
//!
//! [`Catalog`] and [`Translations`] are what the outputs read: only translated,
//! non-fuzzy entries count; anything else shows in English.

pub mod catalogues;
pub mod check;
pub mod extract;
pub mod markdown;
pub mod merge;
pub mod po;
pub mod svg;
pub mod toml_text;
pub mod wrap;

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

pub use markdown::translate_markdown;
use po::{Entry, PoFile};

use crate::problem::Problems;

/// Folder of the catalogues inside the sources folder.
pub const TRANSLATIONS_DIR: &str = "translations";

/// The catalogue of one source file in one language (`guides/introduction.md` →
/// `<sources>/translations/<language>/guides/introduction.po`).
pub fn catalogue_path(sources: &Path, language: &str, source_rel: &str) -> PathBuf {
    sources
        .join(TRANSLATIONS_DIR)
        .join(language)
        .join(Path::new(source_rel).with_extension("po"))
}

/// One PO file, indexed for look-ups.
#[derive(Debug, Clone, Default)]
pub struct Catalog {
    /// The file as parsed.
    pub file: PoFile,
    /// Where it was read from (empty for a catalogue built in memory).
    pub path: String,
    index: HashMap<(Option<String>, String), usize>,
}

impl Catalog {
    /// A catalogue of these entries.
    pub fn new(file: PoFile, path: impl Into<String>) -> Catalog {
        let mut index = HashMap::new();
        for (i, entry) in file.entries.iter().enumerate() {
            if !entry.obsolete {
                index
                    .entry((entry.msgctxt.clone(), entry.msgid.clone()))
                    .or_insert(i);
            }
        }
        Catalog {
            file,
            path: path.into(),
            index,
        }
    }

    /// Reads a PO file; a file that does not exist is an empty catalogue.
    pub fn load(path: &Path) -> Result<Catalog, Problems> {
        let display = path.display().to_string();
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Ok(Catalog::new(PoFile::default(), display));
            }
            Err(e) => {
                let mut problems = Problems::default();
                problems.at(&display, 0, format!("cannot read the catalogue: {e}"));
                return Err(problems);
            }
        };
        match PoFile::parse(&text) {
            Ok(file) => Ok(Catalog::new(file, display)),
            Err(e) => {
                let mut problems = Problems::default();
                problems.at(&display, e.line, e.message);
                Err(problems)
            }
        }
    }

    /// The entry for a context and source string (not obsolete), translated or not.
    pub fn entry(&self, ctxt: Option<&str>, msgid: &str) -> Option<&Entry> {
        let key = (ctxt.map(str::to_owned), msgid.to_owned());
        self.index.get(&key).map(|&i| &self.file.entries[i])
    }

    /// The translation of a source string: only a translated, non-fuzzy entry answers.
    pub fn get(&self, ctxt: Option<&str>, msgid: &str) -> Option<&str> {
        self.entry(ctxt, msgid)
            .filter(|e| e.is_translated())
            .map(|e| e.msgstr.as_str())
    }
}

/// A TOML definition (questionnaire, working template, manifest) with every string for
/// readers replaced by its translation in `catalog`, found by the key path it was
/// extracted under; returns the text to parse and the number of strings left in
/// English. The definition's parser then reads it as it reads the English one.
pub fn translate_toml(text: &str, catalog: &Catalog) -> Result<(String, usize), Problems> {
    toml_text::replace_strings(text, |s| {
        catalog.get(Some(&s.key), &s.value).map(str::to_owned)
    })
    .map_err(|e| {
        let mut problems = Problems::default();
        problems.at(&catalog.path, e.line, e.message);
        problems
    })
}

/// Every catalogue of one language, by the path of its source relative to the sources
/// folder (`guides/introduction.md`, `toolkit.toml`), and the fixed words of the
/// templates in that language.
#[derive(Debug, Clone, Default)]
pub struct Translations {
    /// The language.
    pub language: String,
    catalogs: BTreeMap<String, Catalog>,
    words: BTreeMap<String, String>,
    empty: Catalog,
}

impl Translations {
    /// Reads every catalogue under `sources/translations/<language>/` and the words of
    /// `templates/words.toml`. A language without catalogues (the source language) has
    /// none: everything shows as written.
    pub fn load(
        sources: &Path,
        templates: &Path,
        language: &str,
    ) -> Result<Translations, Problems> {
        let mut problems = Problems::default();
        let words = extract::Words::load(templates)?;
        let dir = sources.join(TRANSLATIONS_DIR).join(language);
        let mut catalogs = BTreeMap::new();
        for (rel, path) in catalogues::po_files(&dir) {
            match Catalog::load(&path) {
                Ok(catalog) => {
                    catalogs.insert(rel, catalog);
                }
                Err(more) => problems.0.extend(more.0),
            }
        }
        problems.into_result()?;
        let words_catalog = catalogs.get(catalogues::WORDS_CATALOGUE);
        let words = words
            .entries
            .iter()
            .map(|w| {
                let text = words_catalog
                    .and_then(|c| c.get(Some(&w.key), &w.value))
                    .unwrap_or(&w.value);
                (w.key.clone(), text.to_owned())
            })
            .collect();
        Ok(Translations {
            language: language.to_owned(),
            catalogs,
            words,
            empty: Catalog::default(),
        })
    }

    /// The catalogue of a source file (`guides/introduction.md`); an empty one when the
    /// language has none for it.
    pub fn catalog(&self, source_rel: &str) -> &Catalog {
        let key = Path::new(source_rel)
            .with_extension("")
            .to_string_lossy()
            .replace('\\', "/");
        self.catalogs.get(&key).unwrap_or(&self.empty)
    }

    /// A fixed word of the templates in this language (English where not translated);
    /// `None` for a key that `templates/words.toml` does not have.
    pub fn word(&self, key: &str) -> Option<&str> {
        self.words.get(key).map(String::as_str)
    }

    /// Every fixed word of the templates in this language, by key.
    pub fn words(&self) -> &BTreeMap<String, String> {
        &self.words
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // A language's catalogues are found by their source's path; only translated,
    // non-fuzzy entries answer; words fall back to English.
    #[test]
    fn translations_load() {
        let dir = tempfile::tempdir().unwrap();
        let (sources, templates) = (dir.path().join("sources"), dir.path().join("templates"));
        std::fs::create_dir_all(&templates).unwrap();
        std::fs::write(
            templates.join("words.toml"),
            "stage = \"Stage\"\nrole = \"Role\"\n",
        )
        .unwrap();
        let guide = catalogue_path(&sources, "fr", "guides/intro.md");
        std::fs::create_dir_all(guide.parent().unwrap()).unwrap();
        std::fs::write(
            &guide,
            "msgid \"Hello\"\nmsgstr \"Bonjour\"\n\n#, fuzzy\nmsgid \"Bye\"\nmsgstr \"Salut\"\n\nmsgctxt \"k\"\nmsgid \"Hello\"\nmsgstr \"\"\n",
        )
        .unwrap();
        std::fs::write(
            catalogue_path(&sources, "fr", "words.toml"),
            "msgctxt \"stage\"\nmsgid \"Stage\"\nmsgstr \"Étape\"\n",
        )
        .unwrap();
        let fr = Translations::load(&sources, &templates, "fr").unwrap();
        let catalog = fr.catalog("guides/intro.md");
        assert_eq!(catalog.get(None, "Hello"), Some("Bonjour"));
        assert_eq!(catalog.get(None, "Bye"), None);
        assert!(catalog.entry(None, "Bye").is_some_and(Entry::is_fuzzy));
        assert_eq!(catalog.get(Some("k"), "Hello"), None);
        assert_eq!(fr.catalog("guides/other.md").get(None, "Hello"), None);
        assert_eq!(
            (fr.word("stage"), fr.word("role")),
            (Some("Étape"), Some("Role"))
        );
        assert_eq!(fr.word("missing"), None);
        let en = Translations::load(&sources, &templates, "en").unwrap();
        assert_eq!(en.catalog("guides/intro.md").get(None, "Hello"), None);
        assert_eq!(en.word("stage"), Some("Stage"));
        std::fs::write(&guide, "msgid \"Hello\"\nmsgstr \"Bonjour\n").unwrap();
        let problems = Translations::load(&sources, &templates, "fr").unwrap_err();
        assert_eq!(problems.0[0].line, 2, "{problems}");
    }
}

/// The translations of one language as the loaders read sources through them (see
/// [`crate::language::Language::read`]): Markdown documents piece by piece, TOML
/// definitions and the templates' words by key path; counting the strings that show in
/// English for want of a translation (missing or fuzzy).
#[derive(Debug)]
pub struct SourceTranslator {
    translations: Translations,
    untranslated: std::sync::atomic::AtomicUsize,
}

impl SourceTranslator {
    /// Reads through `translations`.
    pub fn new(translations: Translations) -> SourceTranslator {
        SourceTranslator {
            translations,
            untranslated: Default::default(),
        }
    }

    /// The strings shown in English so far.
    pub fn untranslated(&self) -> usize {
        self.untranslated.load(std::sync::atomic::Ordering::Relaxed)
    }
}

impl crate::language::Translator for SourceTranslator {
    fn translate(&self, rel: &str, english: &str) -> String {
        let catalog = self.translations.catalog(rel);
        let (text, missing) = if rel.ends_with(".md") {
            translate_markdown(english, catalog)
        } else if rel.ends_with(".svg") {
            svg::translate_svg(english, catalog)
        } else if rel.ends_with(".toml") {
            // A definition the catalogue cannot be applied to stays in English: `toolkit
            // check` reports why.
            translate_toml(english, catalog).unwrap_or_else(|_| (english.to_owned(), 1))
        } else {
            (english.to_owned(), 0)
        };
        self.untranslated
            .fetch_add(missing, std::sync::atomic::Ordering::Relaxed);
        text
    }
}
