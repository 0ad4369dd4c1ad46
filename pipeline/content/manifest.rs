//! The toolkit manifest (`sources/toolkit.toml`): the toolkit's identity and edition, the
//! audiences (roles), stages and knowledge levels declared once, and the documents to publish.

use std::collections::HashSet;
use std::path::Path;

use serde::{Deserialize, Serialize};
use toml::Spanned;

use crate::date::Date;
use crate::problem::{Problems, line_of};

/// File name of the manifest inside the sources folder.
pub const MANIFEST_FILE: &str = "toolkit.toml";

/// The parsed manifest.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    /// Stable id of the toolkit, used in the bundle's name (`[a-z0-9-]+`).
    pub id: Spanned<String>,
    /// Title printed on every document.
    pub title: String,
    /// Edition label, used in the bundle's name (for example `2026.1`).
    pub edition: Spanned<String>,
    /// Document date as written, `YYYY-MM-DD`.
    #[serde(rename = "date")]
    pub date_text: Spanned<String>,
    /// The document date, parsed when the manifest loads; `SOURCE_DATE_EPOCH` overrides it.
    #[serde(skip, default = "Date::epoch")]
    pub date: Date,
    /// BCP 47 language of the content, for example `en`: the source language, in
    /// which the sources are written.
    #[serde(default = "default_language")]
    pub language: String,
    /// The language of the edition this manifest was read for (the source language's
    /// id, or a translated language's), which every output of the edition speaks.
    /// Empty until the manifest is loaded: [`Manifest::output_language`] reads it.
    #[serde(skip)]
    edition_language: String,
    /// Which way the edition's text runs.
    #[serde(skip)]
    pub direction: crate::language::Direction,
    /// The languages the toolkit ships in (`[[languages]]`), as declared; see
    /// [`Manifest::languages`] for the list with the source language first.
    #[serde(default, rename = "languages")]
    pub declared_languages: Vec<Language>,
    /// Paper size: `a4` (default) or `us-letter`.
    #[serde(default)]
    pub paper: Paper,
    /// Statement printed on every cover: who wrote it and what it is not.
    pub notice: String,
    /// Audiences.
    #[serde(default)]
    pub roles: Vec<Facet>,
    /// Lifecycle stages.
    #[serde(default)]
    pub stages: Vec<Facet>,
    /// Knowledge levels.
    #[serde(default)]
    pub levels: Vec<Facet>,
    /// Documents to publish, in the order of the toolkit.
    #[serde(default)]
    pub documents: Vec<DocumentEntry>,
    /// How primers are assembled.
    #[serde(default)]
    pub primers: PrimerSettings,
}

/// A language the toolkit ships in (`[[languages]]` in the manifest).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Language {
    /// BCP 47 tag (`fr`, `es`, `ar`, `pt-BR`).
    pub id: Spanned<String>,
    /// The language's name in the language itself (`Français`).
    pub name: String,
    /// Writing direction.
    #[serde(default)]
    pub direction: Direction,
    /// Incomplete translations allowed: missing or fuzzy entries show in English, marked,
    /// and `toolkit check` reports them as a note instead of failing.
    #[serde(default)]
    pub draft: bool,
}

impl Language {
    /// The language's id.
    pub fn id(&self) -> &str {
        self.id.get_ref()
    }
}

pub use crate::language::Direction;

/// Whether a language tag is well-formed BCP 47 (RFC 5646): a 2-3 letter language
/// (or 5-8 letters), an optional 4-letter script, an optional region (2 letters or 3
/// digits), variants (5-8 letters and digits, or a digit and 3 more), extensions (a
/// singleton then subtags of 2-8) and a private-use part (`x-` then subtags of 1-8).
pub fn is_bcp47(tag: &str) -> bool {
    let parts: Vec<&str> = tag.split('-').collect();
    let alpha = |s: &str| s.bytes().all(|b| b.is_ascii_alphabetic());
    let alnum = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric());
    let Some((language, rest)) = parts.split_first() else {
        return false;
    };
    if !(alpha(language) && matches!(language.len(), 2 | 3 | 5..=8)) {
        return false;
    }
    let mut i = 0;
    if rest.get(i).is_some_and(|s| s.len() == 4 && alpha(s)) {
        i += 1;
    }
    let region = |s: &str| {
        (s.len() == 2 && alpha(s)) || (s.len() == 3 && s.bytes().all(|b| b.is_ascii_digit()))
    };
    if rest.get(i).is_some_and(|s| region(s)) {
        i += 1;
    }
    let variant = |s: &str| {
        alnum(s)
            && ((5..=8).contains(&s.len()) || (s.len() == 4 && s.as_bytes()[0].is_ascii_digit()))
    };
    while rest.get(i).is_some_and(|s| variant(s)) {
        i += 1;
    }
    while let Some(singleton) = rest.get(i).filter(|s| s.len() == 1 && alnum(s)) {
        let private = singleton.eq_ignore_ascii_case("x");
        let sizes = if private { 1..=8 } else { 2..=8 };
        let count = rest[i + 1..]
            .iter()
            .take_while(|s| alnum(s) && sizes.contains(&s.len()) && (private || s.len() > 1))
            .count();
        if count == 0 {
            return false;
        }
        i += 1 + count;
        if private {
            break;
        }
    }
    i == rest.len()
}

/// How many blocks a primer gathers (the most specific first), so it stays short.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PrimerSettings {
    /// Most key takeaways in one primer.
    #[serde(default = "default_takeaways")]
    pub takeaways: usize,
    /// Most use cases in one primer.
    #[serde(default = "default_use_cases")]
    pub use_cases: usize,
}

impl Default for PrimerSettings {
    fn default() -> Self {
        PrimerSettings {
            takeaways: default_takeaways(),
            use_cases: default_use_cases(),
        }
    }
}

fn default_takeaways() -> usize {
    10
}

fn default_use_cases() -> usize {
    3
}

/// Paper sizes the templates support.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Paper {
    /// ISO A4, the default.
    #[default]
    A4,
    /// US Letter.
    UsLetter,
}

impl Paper {
    /// The paper name Typst understands.
    pub fn typst_name(self) -> &'static str {
        match self {
            Paper::A4 => "a4",
            Paper::UsLetter => "us-letter",
        }
    }
}

/// A role, stage or level: an id, a label for readers and a one-line description.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Facet {
    /// Stable id (`[a-z0-9-]+`).
    pub id: Spanned<String>,
    /// Label printed for readers.
    pub label: String,
    /// One-line description.
    #[serde(default)]
    pub description: String,
    /// Its mark in the toolkit's visual key (colour and code), printed wherever it appears.
    #[serde(default)]
    pub mark: Option<Mark>,
}

/// A mark of the toolkit's visual key: a short code on a colour, so that an audience, a
/// stage or a principle looks the same in every guide, primer, report and workbook, and
/// still reads in grey print (the code carries it, never the colour alone).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Mark {
    /// One to four characters (`SM`, `DEV`, `L`).
    pub symbol: String,
    /// Fill colour, `#RRGGBB`.
    pub colour: String,
    /// Colour of the symbol on the fill, `#RRGGBB`.
    pub ink: String,
}

impl Mark {
    /// What is wrong with the mark, if anything.
    pub fn problem(&self) -> Option<String> {
        let hex = |c: &str| {
            c.len() == 7 && c.starts_with('#') && c[1..].bytes().all(|b| b.is_ascii_hexdigit())
        };
        let length = self.symbol.chars().count();
        if !(1..=4).contains(&length) {
            Some(format!(
                "mark symbol {:?} must have 1 to 4 characters",
                self.symbol
            ))
        } else if !hex(&self.colour) || !hex(&self.ink) {
            Some(format!(
                "mark colours {:?} and {:?} must be #RRGGBB",
                self.colour, self.ink
            ))
        } else {
            None
        }
    }

    /// The colour as a `0xRRGGBB` number (for workbooks).
    pub fn colour_rgb(&self) -> u32 {
        u32::from_str_radix(&self.colour[1..], 16).unwrap_or(0)
    }
}

/// How a document is published.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Editions {
    /// One PDF with every block.
    #[default]
    Single,
    /// One PDF with every block, plus one edition per knowledge level.
    Levels,
}

/// One document of the toolkit.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DocumentEntry {
    /// Stable id; the PDF is `guides/<id>.pdf`.
    pub id: Spanned<String>,
    /// Markdown file, relative to the sources folder.
    pub file: Spanned<String>,
    /// Which editions to publish.
    #[serde(default)]
    pub editions: Editions,
    /// For a questionnaire's companion guide: the questionnaire id whose questions are
    /// printed in an appendix (from the latest version's definition).
    #[serde(default)]
    pub questionnaire: Option<Spanned<String>>,
}

fn default_language() -> String {
    "en".to_owned()
}

/// Whether `id` is a stable id: non-empty lowercase ASCII letters, digits and hyphens.
pub fn is_valid_id(id: &str) -> bool {
    !id.is_empty()
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

impl Manifest {
    /// The ids of the languages answers may name: every declared language, the source
    /// language first.
    pub fn language_ids(&self) -> Vec<&str> {
        std::iter::once(self.language.as_str())
            .chain(
                self.declared_languages
                    .iter()
                    .map(|l| l.id())
                    .filter(|id| *id != self.language),
            )
            .collect()
    }

    /// Every language the toolkit ships in, the source language first (implied as
    /// left to right and complete when `[[languages]]` does not declare it), then the
    /// others in the order declared.
    pub fn languages(&self) -> Vec<Language> {
        let source = self
            .declared_languages
            .iter()
            .find(|l| l.id() == self.language)
            .cloned()
            .unwrap_or_else(|| Language {
                id: Spanned::new(0..0, self.language.clone()),
                name: self.language.clone(),
                direction: Direction::Ltr,
                draft: false,
            });
        let others = self
            .declared_languages
            .iter()
            .filter(|l| l.id() != self.language)
            .cloned();
        std::iter::once(source).chain(others).collect()
    }

    /// The languages other than the source language: those that have catalogues.
    pub fn translation_languages(&self) -> Vec<Language> {
        self.languages().into_iter().skip(1).collect()
    }

    /// The edition date (`date`, parsed when the manifest loaded).
    pub fn edition_date(&self) -> Date {
        self.date
    }

    /// Reads and validates the manifest; every problem names the file and line.
    pub fn load(sources: &Path) -> Result<Manifest, Problems> {
        Self::load_with(sources, &crate::language::Language::source(""))
    }

    /// Reads and checks the manifest in `language` (its labels translated).
    pub fn load_with(
        sources: &Path,
        language: &crate::language::Language,
    ) -> Result<Manifest, Problems> {
        let path = sources.join(MANIFEST_FILE);
        let display = path.display().to_string();
        let mut problems = Problems::default();
        let text = match language.read(sources, &path) {
            Ok(text) => text,
            Err(e) => {
                problems.at(
                    &display,
                    0,
                    format!("cannot read the toolkit manifest: {e}"),
                );
                return Err(problems);
            }
        };
        let mut manifest: Manifest = match toml::from_str(&text) {
            Ok(m) => m,
            Err(e) => {
                let line = e.span().map(|s| line_of(&text, s.start)).unwrap_or(0);
                problems.at(&display, line, crate::problem::toml_message(&text, &e));
                return Err(problems);
            }
        };
        manifest.validate(&text, &display, sources, &mut problems);
        if let Some(date) = Date::parse(manifest.date_text.get_ref()) {
            manifest.date = date;
        }
        (manifest.edition_language, manifest.direction) = match language.is_source() {
            true => (manifest.language.clone(), crate::language::Direction::Ltr),
            false => (language.id.clone(), language.direction),
        };
        problems.into_result().map(|()| manifest)
    }

    /// The language every output of this edition speaks: the language it was loaded
    /// for, or the source language.
    pub fn output_language(&self) -> &str {
        match self.edition_language.is_empty() {
            true => &self.language,
            false => &self.edition_language,
        }
    }

    /// Checks what serde cannot: ids, edition, date, duplicates and document files.
    fn validate(&self, text: &str, file: &str, sources: &Path, problems: &mut Problems) {
        let mut found = ManifestProblems {
            text,
            file,
            problems,
        };
        self.check_identity(&mut found);
        self.check_languages(&mut found);
        self.check_facets(&mut found);
        self.check_documents(&mut found, sources);
    }

    /// The toolkit id, edition and date.
    fn check_identity(&self, found: &mut ManifestProblems) {
        if !is_valid_id(self.id.get_ref()) {
            found.report(self.id.span(), "toolkit id must use only a-z, 0-9 and -");
        }
        if self.edition.get_ref().is_empty()
            || !self
                .edition
                .get_ref()
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "-._".contains(c))
        {
            found.report(
                self.edition.span(),
                "edition must use only letters, digits, '-', '.' and '_'",
            );
        }
        if Date::parse(self.date_text.get_ref()).is_none() {
            found.report(
                self.date_text.span(),
                format!("date {:?} is not YYYY-MM-DD", self.date_text.get_ref()),
            );
        }
    }

    /// Language ids: well-formed BCP 47, unique; the source language well-formed too,
    /// and complete where it is declared.
    fn check_languages(&self, found: &mut ManifestProblems) {
        if !is_bcp47(&self.language) {
            let mut offset = 0;
            let mut at = 0;
            for line in found.text.split_inclusive('\n') {
                if line
                    .strip_prefix("language")
                    .is_some_and(|r| r.trim_start().starts_with('='))
                {
                    at = offset;
                    break;
                }
                offset += line.len();
            }
            found.report(
                at..at,
                format!(
                    "language {:?} is not a BCP 47 language tag (such as en, fr, pt-BR)",
                    self.language
                ),
            );
        }
        let mut seen = HashSet::new();
        for language in &self.declared_languages {
            let id = language.id();
            if !is_bcp47(id) {
                found.report(
                    language.id.span(),
                    format!("language id {id:?} is not a BCP 47 language tag (such as fr, es, ar, pt-BR)"),
                );
            } else if !seen.insert(id.to_ascii_lowercase()) {
                found.report(language.id.span(), format!("duplicate language id {id:?}"));
            }
            if language.name.trim().is_empty() {
                found.report(language.id.span(), format!("language {id:?} needs a name"));
            }
            if id == self.language && language.draft {
                found.report(
                    language.id.span(),
                    format!(
                        "{id:?} is the source language (language = {id:?}); it cannot be a draft"
                    ),
                );
            }
        }
    }

    /// Role, stage and level ids: valid and unique within their kind.
    fn check_facets(&self, found: &mut ManifestProblems) {
        for (what, facets) in [
            ("role", &self.roles),
            ("stage", &self.stages),
            ("level", &self.levels),
        ] {
            let mut seen = HashSet::new();
            for facet in facets {
                let id = facet.id.get_ref();
                if !is_valid_id(id) {
                    found.report(
                        facet.id.span(),
                        format!("{what} id {id:?} must use only a-z, 0-9 and -"),
                    );
                } else if !seen.insert(id.clone()) {
                    found.report(facet.id.span(), format!("duplicate {what} id {id:?}"));
                }
                if let Some(problem) = facet.mark.as_ref().and_then(Mark::problem) {
                    found.report(facet.id.span(), format!("{what} {id:?}: {problem}"));
                }
            }
        }
    }

    /// Document ids (valid, unique), files (inside the sources folder, present) and
    /// level editions (only with declared levels).
    fn check_documents(&self, found: &mut ManifestProblems, sources: &Path) {
        let mut seen = HashSet::new();
        for doc in &self.documents {
            let id = doc.id.get_ref();
            if !is_valid_id(id) {
                found.report(
                    doc.id.span(),
                    format!("document id {id:?} must use only a-z, 0-9 and -"),
                );
            } else if !seen.insert(id.clone()) {
                found.report(doc.id.span(), format!("duplicate document id {id:?}"));
            }
            let rel = doc.file.get_ref();
            if rel.contains("..") || Path::new(rel).is_absolute() {
                found.report(
                    doc.file.span(),
                    format!("document file {rel:?} must be inside the sources folder"),
                );
            } else if !sources.join(rel).is_file() {
                found.report(
                    doc.file.span(),
                    format!("document file {rel:?} does not exist"),
                );
            }
            if doc.editions == Editions::Levels && self.levels.is_empty() {
                found.report(
                    doc.id.span(),
                    "editions = \"levels\" needs [[levels]] in the manifest",
                );
            }
        }
    }

    /// The mark of a role, stage or level id, if it has one.
    pub fn mark_of(&self, id: &str) -> Option<&Mark> {
        self.roles
            .iter()
            .chain(&self.stages)
            .chain(&self.levels)
            .find(|f| f.id.get_ref() == id)
            .and_then(|f| f.mark.as_ref())
    }

    /// The label of a role, stage or level id, if declared.
    pub fn label_of(&self, id: &str) -> Option<&str> {
        self.roles
            .iter()
            .chain(&self.stages)
            .chain(&self.levels)
            .find(|f| f.id.get_ref() == id)
            .map(|f| f.label.as_str())
    }

    /// The ids of the declared roles.
    pub fn role_ids(&self) -> impl Iterator<Item = &str> {
        self.roles.iter().map(|f| f.id.get_ref().as_str())
    }

    /// The ids of the declared stages.
    pub fn stage_ids(&self) -> impl Iterator<Item = &str> {
        self.stages.iter().map(|f| f.id.get_ref().as_str())
    }

    /// The ids of the declared levels.
    pub fn level_ids(&self) -> impl Iterator<Item = &str> {
        self.levels.iter().map(|f| f.id.get_ref().as_str())
    }
}

/// Where manifest problems go: the manifest's text (for line numbers), its display
/// path, and the list of problems.
struct ManifestProblems<'a> {
    text: &'a str,
    file: &'a str,
    problems: &'a mut Problems,
}

impl ManifestProblems<'_> {
    /// Records a problem at the line where `span` starts.
    fn report(&mut self, span: std::ops::Range<usize>, message: impl Into<String>) {
        let line = line_of(self.text, span.start);
        self.problems.at(self.file, line, message);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Well-formed BCP 47 tags pass; malformed ones do not.
    #[test]
    fn bcp47_shape() {
        for good in [
            "en",
            "fr",
            "ar",
            "es-419",
            "pt-BR",
            "zh-Hant-TW",
            "sr-Latn",
            "de-1996",
            "en-x-police",
            "ast",
        ] {
            assert!(is_bcp47(good), "{good}");
        }
        for bad in [
            "", "e", "english1", "fr_FR", "fr-", "-fr", "en-US-x", "fr-FRA1", "12",
        ] {
            assert!(!is_bcp47(bad), "{bad}");
        }
    }

    fn manifest(languages: &str) -> Result<Manifest, Problems> {
        let dir = tempfile::tempdir().unwrap();
        let text = format!(
            "id = \"k\"\ntitle = \"K\"\nedition = \"1\"\ndate = \"2025-01-01\"\nnotice = \"N\"\nlanguage = \"en\"\n{languages}"
        );
        std::fs::write(dir.path().join(MANIFEST_FILE), text).unwrap();
        Manifest::load(dir.path())
    }

    // The source language comes first, declared or implied; ids are checked with their
    // line; the source language cannot be a draft.
    #[test]
    fn languages_declared() {
        let m = manifest(
            "[[languages]]\nid = \"ar\"\nname = \"العربية\"\ndirection = \"rtl\"\ndraft = true\n",
        )
        .unwrap();
        let ids: Vec<String> = m.languages().iter().map(|l| l.id().to_owned()).collect();
        assert_eq!(ids, ["en", "ar"]);
        assert_eq!(m.languages()[1].direction, Direction::Rtl);
        assert!(m.languages()[1].draft && !m.languages()[0].draft);
        assert_eq!(m.language_ids(), ["en"]);
        let m = manifest("[[languages]]\nid = \"fr\"\nname = \"Français\"\n[[languages]]\nid = \"en\"\nname = \"English\"\n").unwrap();
        let names: Vec<String> = m.languages().iter().map(|l| l.name.clone()).collect();
        assert_eq!(names, ["English", "Français"]);
        let problems = manifest("[[languages]]\nid = \"fr_FR\"\nname = \"F\"\n[[languages]]\nid = \"es\"\nname = \"E\"\n[[languages]]\nid = \"es\"\nname = \"E\"\n[[languages]]\nid = \"en\"\nname = \"English\"\ndraft = true\n").unwrap_err();
        let found: Vec<(usize, bool)> = problems
            .0
            .iter()
            .map(|p| {
                (
                    p.line,
                    p.message.contains("BCP 47")
                        || p.message.contains("duplicate")
                        || p.message.contains("draft"),
                )
            })
            .collect();
        assert_eq!(found, [(8, true), (14, true), (17, true)], "{problems}");
    }

    // A mark needs a 1-4 character code and #RRGGBB colours; anything else is a problem.
    #[test]
    fn marks_are_checked() {
        let mark = |symbol: &str, colour: &str| Mark {
            symbol: symbol.into(),
            colour: colour.into(),
            ink: "#FFFFFF".into(),
        };
        assert_eq!(mark("SM", "#0072B2").problem(), None);
        assert_eq!(mark("SM", "#0072B2").colour_rgb(), 0x0072B2);
        assert!(mark("", "#0072B2").problem().is_some());
        assert!(mark("TOOLONG", "#0072B2").problem().is_some());
        assert!(mark("SM", "blue").problem().is_some());
        assert!(mark("SM", "#0072BZ").problem().is_some());
    }
}
