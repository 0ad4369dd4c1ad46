//! The language of an edition: which language its outputs speak, which way its text
//! runs, where its outputs go, and how its sources are read (the source language's as
//! written, another language's through its translations).
//!
//! Every loader reads source files through [`Language::read`], so one set of parsers and
//! checks serves every language: a translation is applied to a file's text before the
//! file is parsed, and what comes out is a Markdown document or a TOML definition like
//! the English one.

use std::path::Path;
use std::sync::Arc;

use serde::Serialize;

use crate::layout::Layout;

/// Which way a language's text runs.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    /// Left to right.
    #[default]
    Ltr,
    /// Right to left.
    Rtl,
}

impl Direction {
    /// `ltr` or `rtl`, as HTML's `dir` and Typst's `dir` name them.
    pub fn name(self) -> &'static str {
        match self {
            Direction::Ltr => "ltr",
            Direction::Rtl => "rtl",
        }
    }
}

/// Gives the text of a source file in one language.
pub trait Translator: Send + Sync {
    /// The text of the source file at `rel` (its path inside the sources folder,
    /// `/`-separated) in this translator's language, given the file's English text.
    fn translate(&self, rel: &str, english: &str) -> String;
}

/// The language of one edition.
#[derive(Clone)]
pub struct Language {
    /// BCP 47 id (`en`, `fr`, `ar`).
    pub id: String,
    /// Which way its text runs.
    pub direction: Direction,
    /// Where its outputs go.
    pub layout: Layout,
    /// Its translations; `None` for the source language.
    translator: Option<Arc<dyn Translator>>,
}

impl std::fmt::Debug for Language {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Language")
            .field("id", &self.id)
            .field("direction", &self.direction)
            .field("translated", &self.translator.is_some())
            .finish()
    }
}

impl Language {
    /// The source language: sources read as written, outputs at the root.
    pub fn source(id: &str) -> Language {
        Language {
            id: id.to_owned(),
            direction: Direction::Ltr,
            layout: Layout::source(),
            translator: None,
        }
    }

    /// A translated language: sources read through `translator`, outputs in a folder
    /// named after its id.
    pub fn translated(id: &str, direction: Direction, translator: Arc<dyn Translator>) -> Language {
        Language {
            id: id.to_owned(),
            direction,
            layout: Layout::language(id),
            translator: Some(translator),
        }
    }

    /// Whether this is the source language.
    pub fn is_source(&self) -> bool {
        self.translator.is_none()
    }

    /// Whether its text runs right to left.
    pub fn is_rtl(&self) -> bool {
        self.direction == Direction::Rtl
    }

    /// Reads the source file at `path` (inside `sources`) in this language. A figure whose
    /// direction carries meaning reads mirrored in a right-to-left language
    /// ([`crate::i18n::svg::mirror_for_rtl`]).
    pub fn read(&self, sources: &Path, path: &Path) -> std::io::Result<String> {
        let text = std::fs::read_to_string(path)?;
        let text = match &self.translator {
            None => text,
            Some(translator) => {
                let rel = path.strip_prefix(sources).unwrap_or(path);
                let rel = rel.to_string_lossy().replace('\\', "/");
                translator.translate(&rel, &text)
            }
        };
        let figure = path.extension().is_some_and(|e| e == "svg");
        Ok(match figure && self.is_rtl() {
            true => crate::i18n::svg::mirror_for_rtl(&text),
            false => text,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Upper;
    impl Translator for Upper {
        fn translate(&self, rel: &str, english: &str) -> String {
            format!("{rel}:{}", english.to_uppercase())
        }
    }

    // The source language reads files as written; another reads them through its
    // translator, which is told the file's path inside the sources folder.
    #[test]
    fn reads_through_the_translator() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("guides")).unwrap();
        let file = dir.path().join("guides/a.md");
        std::fs::write(&file, "hello").unwrap();
        let en = Language::source("en");
        assert_eq!(en.read(dir.path(), &file).unwrap(), "hello");
        let fr = Language::translated("fr", Direction::Ltr, Arc::new(Upper));
        assert_eq!(fr.read(dir.path(), &file).unwrap(), "guides/a.md:HELLO");
        assert_eq!(fr.layout, Layout::language("fr"));
        assert!(!fr.is_source() && en.is_source());
    }
}
