//! The fixed words of the outputs (headings, labels and sentences of the templates,
//! workbooks, web pages and reports), kept out of the code in `templates/words.toml` so
//! that each language's edition speaks its own: a flat table of keys (`report.response`)
//! to English text, read for each language through its translations like any source.
//!
//! A word may hold placeholders in braces (`{count} of {total} responses`), filled by
//! [`Words::fill`] in Rust, by `fill` in `templates/style.typ` and by the web pages'
//! scripts; a translation keeps every placeholder (`toolkit check` says so).

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{Context, Result};
use serde::Serialize;

use crate::language::Language;

/// The file, inside the templates folder.
pub const WORDS_FILE: &str = "words.toml";

/// One language's fixed words, by key.
#[derive(Debug, Clone, Serialize)]
#[serde(transparent)]
pub struct Words(BTreeMap<String, String>);

/// The shipped English words, for a site loaded without a templates folder (tests,
/// benchmarks) and for any key a templates folder's file lacks.
const BUILT_IN: &str = include_str!("../templates/words.toml");

impl Default for Words {
    fn default() -> Self {
        Words(toml::from_str(BUILT_IN).expect("the shipped words parse"))
    }
}

impl Words {
    /// The shipped English words, parsed once.
    pub fn built_in() -> &'static Words {
        static BUILT: std::sync::LazyLock<Words> = std::sync::LazyLock::new(Words::default);
        &BUILT
    }

    /// Reads `templates/words.toml` in `language`.
    pub fn load(templates: &Path, language: &Language) -> Result<Words> {
        let path = templates.join(WORDS_FILE);
        let text = language
            .read(templates, &path)
            .with_context(|| format!("failed to read {}", path.display()))?;
        let table: BTreeMap<String, String> = toml::from_str(&text)
            .map_err(|e| anyhow::anyhow!("{}: {}", path.display(), e.message()))?;
        let mut words = Words::default();
        words.0.extend(table);
        Ok(words)
    }

    /// The word of `key`; the key itself when there is none, so a missing word shows
    /// where it belongs instead of breaking the output (`toolkit check` lists it).
    pub fn get<'a>(&'a self, key: &'a str) -> &'a str {
        self.0.get(key).map_or(key, String::as_str)
    }

    /// The word of `key` with its `{name}` placeholders filled.
    pub fn fill(&self, key: &str, values: &[(&str, &str)]) -> String {
        let mut text = self.get(key).to_owned();
        for (name, value) in values {
            text = text.replace(&format!("{{{name}}}"), value);
        }
        text
    }

    /// A number written by the toolkit (`56.0`, `1.5`) with the decimal mark of the
    /// words' language (`number.decimal`: `56,0` in French and Spanish).
    pub fn number(&self, text: &str) -> String {
        match self.0.get("number.decimal").map(String::as_str) {
            Some(mark) if mark != "." && !mark.is_empty() => text.replace('.', mark),
            _ => text.to_owned(),
        }
    }

    /// Sets the word of `key` (a test's words, or a caller's own wording of one key).
    pub fn set(&mut self, key: &str, text: &str) {
        self.0.insert(key.to_owned(), text.to_owned());
    }

    /// Every key.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.0.keys().map(String::as_str)
    }

    /// The words whose keys start with `prefix`, as (the rest of the key, word), in key
    /// order: `script.cleared` under `script.` is `("cleared", "Every answer was cleared.")`.
    pub fn with_prefix<'a>(&'a self, prefix: &'a str) -> impl Iterator<Item = (&'a str, &'a str)> {
        self.0
            .range::<str, _>((
                std::ops::Bound::Included(prefix),
                std::ops::Bound::Unbounded,
            ))
            .map_while(move |(key, word)| {
                key.strip_prefix(prefix).map(|rest| (rest, word.as_str()))
            })
    }

    /// The words as JSON, as the Typst templates and web pages read them.
    pub fn to_json(&self) -> Vec<u8> {
        serde_json::to_vec(&self.0).expect("words serialise")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Words are read from the templates folder; a placeholder is filled by name and a
    // missing key shows as itself.
    #[test]
    fn loads_fills_and_falls_back() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join(WORDS_FILE),
            "\"group.asked-by\" = \"asked for by {count} of {total} responses\"\n",
        )
        .unwrap();
        let words = Words::load(dir.path(), &Language::source("en")).unwrap();
        assert_eq!(
            words.fill("group.asked-by", &[("count", "2"), ("total", "5")]),
            "asked for by 2 of 5 responses"
        );
        assert_eq!(words.get("no.such.key"), "no.such.key");
    }

    // The words under a prefix come without it, in key order, and stop at the prefix's end.
    #[test]
    fn words_under_a_prefix() {
        let words = Words::built_in();
        let script: Vec<(&str, &str)> = words.with_prefix("script.").collect();
        assert!(script.contains(&("cleared", "Every answer was cleared.")));
        assert!(script.iter().all(|(name, _)| !name.contains("script.")));
        assert_eq!(
            script.len(),
            words.keys().filter(|k| k.starts_with("script.")).count()
        );
        assert_eq!(words.with_prefix("no-such-prefix.").count(), 0);
    }
}
