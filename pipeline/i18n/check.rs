//! What `toolkit check` says about a language: per catalogue, how many of the source's
//! current messages are translated, fuzzy or missing; and every translation that damages
//! the markup or departs from the language's glossary, at the catalogue's file and the
//! line of the entry's `msgid`.
//!
//! **Markup.** A translation must keep, as a multiset, the English text's link targets
//! (`](target)`), anchors (`{#id}`), placeholders (`{{name}}`), inline code, footnote
//! references (`[^name]`) and directive lines (`:::…`), and as many emphasis and strong
//! spans (read by the Markdown parser, so `*`, `_`, `**` and `__` all count), and as
//! many blank lines (a blank line would split a paragraph in two).
//!
//! **Glossary.** `sources/translations/<language>/glossary.toml` is a flat table of
//! `"English term" = "required translation"` (or a list of accepted forms, for plurals
//! and cases). Where an English text holds the term (case-insensitive, as a whole word),
//! its translation must hold one of the forms (case-insensitive; apostrophes `'` and `’`
//! alike; as a substring, so Arabic prefixes such as `ال` and `و` may attach).

use std::path::Path;

use comrak::Arena;
use comrak::nodes::NodeValue;
use unicode_normalization::UnicodeNormalization;

use super::Catalog;
use super::catalogues::SourceFile;
use super::extract::Message;
use super::po::Entry;
use crate::content::markdown::parse;
use crate::problem::Problems;

/// File name of a language's glossary, in its catalogue folder.
pub const GLOSSARY_FILE: &str = "glossary.toml";

/// Translated, fuzzy and missing messages.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// Translated and not fuzzy.
    pub translated: usize,
    /// Translated but fuzzy (the English changed): shown in English.
    pub fuzzy: usize,
    /// Not translated, or not in the catalogue yet.
    pub missing: usize,
}

impl Counts {
    /// Adds another count.
    pub fn add(&mut self, other: Counts) {
        self.translated += other.translated;
        self.fuzzy += other.fuzzy;
        self.missing += other.missing;
    }

    /// Every message.
    pub fn total(&self) -> usize {
        self.translated + self.fuzzy + self.missing
    }
}

/// One catalogue's state.
#[derive(Debug, Clone)]
pub struct CatalogueState {
    /// The catalogue file, as given to the user.
    pub path: String,
    /// Whether the file exists.
    pub exists: bool,
    /// Its counts against the source's current messages.
    pub counts: Counts,
}

/// A language's state: each catalogue's counts, the total, and the problems found.
#[derive(Debug, Clone, Default)]
pub struct LanguageState {
    /// Per catalogue, in the order of the sources.
    pub catalogues: Vec<CatalogueState>,
    /// Over every catalogue.
    pub total: Counts,
    /// Damaged markup, glossary departures, unreadable catalogues.
    pub problems: Problems,
}

/// A glossary term and the forms its translation may take.
#[derive(Debug, Clone)]
pub struct Term {
    /// The English term.
    pub english: String,
    /// Accepted translations (one is required).
    pub forms: Vec<String>,
}

/// Checks every catalogue of a language against its source's messages (extracted once
/// for every language).
pub fn check_language(
    sources: &Path,
    language: &str,
    files: &[(SourceFile, Vec<Message>)],
) -> LanguageState {
    let mut state = LanguageState::default();
    let glossary_path = sources
        .join(super::TRANSLATIONS_DIR)
        .join(language)
        .join(GLOSSARY_FILE);
    let glossary = load_glossary(&glossary_path, &mut state.problems);
    for (file, messages) in files {
        let path = file.catalogue(sources, language);
        let catalog = match Catalog::load(&path) {
            Ok(catalog) => catalog,
            Err(problems) => {
                state.problems.0.extend(problems.0);
                continue;
            }
        };
        check_header(&catalog, language, &mut state.problems);
        let mut counts = Counts::default();
        for message in messages {
            let entry = catalog.entry(message.msgctxt.as_deref(), &message.msgid);
            match entry {
                Some(e) if e.is_translated() => {
                    counts.translated += 1;
                    let at = |problems: &mut Problems, text: String| {
                        problems.at(&catalog.path, e.line, text);
                    };
                    for problem in markup_problems(&e.msgid, &e.msgstr) {
                        at(&mut state.problems, problem);
                    }
                    for problem in glossary_problems(&glossary, e) {
                        at(&mut state.problems, problem);
                    }
                }
                Some(e) if e.is_fuzzy() && !e.msgstr.is_empty() => counts.fuzzy += 1,
                _ => counts.missing += 1,
            }
        }
        state.total.add(counts);
        state.catalogues.push(CatalogueState {
            path: path.display().to_string(),
            exists: path.is_file(),
            counts,
        });
    }
    state
}

/// A catalogue whose header names another language is in the wrong folder.
fn check_header(catalog: &Catalog, language: &str, problems: &mut Problems) {
    if let Some(found) = catalog.file.header_field("Language")
        && !found.is_empty()
        && !found.eq_ignore_ascii_case(language)
        && !found.replace('_', "-").eq_ignore_ascii_case(language)
    {
        problems.at(
            &catalog.path,
            catalog.file.header.as_ref().map_or(0, |h| h.line),
            format!(
                "the header says Language: {found}, but the catalogue is in the {language} folder"
            ),
        );
    }
}

/// Finds one kind of markup in a text.
type Finder = fn(&str) -> Vec<String>;

/// What a translation does to the English text's markup, one line per difference.
pub fn markup_problems(english: &str, translation: &str) -> Vec<String> {
    let mut out = Vec::new();
    let checks: [(&str, Finder); 6] = [
        ("link targets", link_targets),
        ("anchors", |t| delimited(t, "{#", "}")),
        ("placeholders", |t| delimited(t, "{{", "}}")),
        ("inline code", code_spans),
        ("footnote references", |t| delimited(t, "[^", "]")),
        ("directive lines", directive_lines),
    ];
    for (what, find) in checks {
        let (mut a, mut b) = (find(english), find(translation));
        a.sort();
        b.sort();
        if a != b {
            out.push(format!(
                "the translation changes the {what}: the English has {}, the translation {}",
                listed(&a),
                listed(&b)
            ));
        }
    }
    let breaks = |t: &str| {
        t.split('\n')
            .collect::<Vec<_>>()
            .windows(2)
            .filter(|w| !w[0].trim().is_empty() && w[1].trim().is_empty())
            .count()
    };
    if breaks(english) != breaks(translation) {
        out.push(format!(
            "the translation has {} blank line(s) where the English has {}: a blank line starts a new block",
            breaks(translation),
            breaks(english)
        ));
    }
    let (a, b) = (emphasis(english), emphasis(translation));
    if a != b {
        out.push(format!(
            "the translation changes the emphasis: the English has {} emphasis and {} strong span(s), the translation {} and {}",
            a.0, a.1, b.0, b.1
        ));
    }
    out
}

fn listed(items: &[String]) -> String {
    if items.is_empty() {
        "none".to_owned()
    } else {
        items
            .iter()
            .map(|i| format!("`{i}`"))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// Every `open…close` span's inside.
fn delimited(text: &str, open: &str, close: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find(open) {
        let after = &rest[at + open.len()..];
        match after.find(close) {
            Some(end) => {
                out.push(after[..end].to_owned());
                rest = &after[end + close.len()..];
            }
            None => break,
        }
    }
    out
}

/// The destination of every `](…)` (link or image), without its title.
fn link_targets(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find("](") {
        let after = &rest[at + 2..];
        let mut depth = 1;
        let mut end = after.len();
        for (i, c) in after.char_indices() {
            match c {
                '(' => depth += 1,
                ')' => {
                    depth -= 1;
                    if depth == 0 {
                        end = i;
                        break;
                    }
                }
                _ => {}
            }
        }
        let inside = after[..end].trim();
        out.push(inside.split_whitespace().next().unwrap_or("").to_owned());
        rest = &after[end.min(after.len())..];
    }
    out
}

/// The contents of inline code spans (backtick runs matched by length).
fn code_spans(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] != b'`' {
            i += 1;
            continue;
        }
        let run = bytes[i..].iter().take_while(|&&b| b == b'`').count();
        let fence = &text[i..i + run];
        let after = i + run;
        let mut j = after;
        let mut found = None;
        while let Some(at) = text[j..].find(fence) {
            let start = j + at;
            let len = bytes[start..].iter().take_while(|&&b| b == b'`').count();
            if len == run {
                found = Some(start);
                break;
            }
            j = start + len;
        }
        match found {
            Some(end) => {
                out.push(text[after..end].to_owned());
                i = end + run;
            }
            None => i = after,
        }
    }
    out
}

/// The lines that open or close a `:::` block.
fn directive_lines(text: &str) -> Vec<String> {
    text.lines()
        .map(str::trim)
        .filter(|l| l.starts_with(":::"))
        .map(str::to_owned)
        .collect()
}

/// Emphasis and strong spans, as the Markdown parser reads them.
fn emphasis(text: &str) -> (usize, usize) {
    let arena = Arena::new();
    let root = parse(&arena, text);
    let mut counts = (0, 0);
    for node in root.descendants() {
        match node.data().value {
            NodeValue::Emph => counts.0 += 1,
            NodeValue::Strong => counts.1 += 1,
            _ => {}
        }
    }
    counts
}

/// Reads a glossary (none is an empty glossary); problems name its file and line.
pub fn load_glossary(path: &Path, problems: &mut Problems) -> Vec<Term> {
    let Ok(text) = std::fs::read_to_string(path) else {
        return Vec::new();
    };
    let display = path.display().to_string();
    let doc = match toml_edit::ImDocument::parse(text.as_str()) {
        Ok(doc) => doc,
        Err(e) => {
            let line = e
                .span()
                .map_or(0, |s| crate::problem::line_of(&text, s.start));
            problems.at(&display, line, e.message().trim().to_owned());
            return Vec::new();
        }
    };
    let mut terms = Vec::new();
    for (english, item) in doc.as_table().iter() {
        let line = item
            .span()
            .map_or(0, |s| crate::problem::line_of(&text, s.start));
        let forms: Option<Vec<String>> = match item.as_value() {
            Some(toml_edit::Value::String(s)) => Some(vec![s.value().clone()]),
            Some(toml_edit::Value::Array(a)) => {
                a.iter().map(|v| v.as_str().map(str::to_owned)).collect()
            }
            _ => None,
        };
        match forms.filter(|f| !f.is_empty() && f.iter().all(|s| !s.trim().is_empty())) {
            Some(forms) if !english.trim().is_empty() => terms.push(Term {
                english: english.to_owned(),
                forms,
            }),
            _ => problems.at(
                &display,
                line,
                format!("glossary term {english:?} needs a translation: a non-empty string or a list of them"),
            ),
        }
    }
    terms
}

/// Text compared in the glossary check: NFC, lowercase, one kind of apostrophe.
fn folded(text: &str) -> String {
    text.nfc()
        .flat_map(char::to_lowercase)
        .map(|c| if c == '’' || c == 'ʼ' { '\'' } else { c })
        .collect()
}

/// Whether `haystack` holds `needle` as a whole word (both already folded).
fn has_word(haystack: &str, needle: &str) -> bool {
    haystack.match_indices(needle).any(|(at, _)| {
        let before = haystack[..at].chars().next_back();
        let after = haystack[at + needle.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}

/// The glossary terms a translated entry departs from.
pub fn glossary_problems(glossary: &[Term], entry: &Entry) -> Vec<String> {
    let english = folded(&entry.msgid);
    let translation = folded(&entry.msgstr);
    glossary
        .iter()
        .filter(|term| has_word(&english, &folded(&term.english)))
        .filter(|term| !term.forms.iter().any(|f| translation.contains(&folded(f))))
        .map(|term| {
            let forms: Vec<String> = term.forms.iter().map(|f| format!("«{f}»")).collect();
            format!(
                "the glossary translates «{}» as {}, which the translation does not use",
                term.english,
                forms.join(" or ")
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    // Each kind of damage to the markup is found; a faithful translation passes.
    #[test]
    fn markup_damage() {
        let english = "See [the roadmap](roadmap.md#people \"Roadmap\") and `toolkit build`, {{name}}, **now**.[^n]";
        let good = "Voir [la feuille de route](roadmap.md#people \"Feuille\") et `toolkit build`, {{name}}, **maintenant**.[^n]";
        assert!(
            markup_problems(english, good).is_empty(),
            "{:?}",
            markup_problems(english, good)
        );
        let damaged = |t: &str| markup_problems(english, t);
        let one = |t: &str, what: &str| {
            let found = damaged(t);
            assert!(
                found.len() == 1 && found[0].contains(what),
                "{t}: {found:?}"
            );
        };
        one(
            &good.replace("roadmap.md#people", "roadmap.md#gens"),
            "link targets",
        );
        one(
            &good.replace("`toolkit build`", "`toolkit construire`"),
            "inline code",
        );
        one(&good.replace("{{name}}", "{{nom}}"), "placeholders");
        one(&good.replace("[^n]", ""), "footnote references");
        one(&good.replace("**maintenant**", "maintenant"), "emphasis");
        one(&good.replace("**maintenant**", "**maintenant"), "emphasis");
        assert!(markup_problems("# x {#a}", "# y {#b}")[0].contains("anchors"));
        assert!(markup_problems(":::tagged levels=basic\nA\n:::", "A")[0].contains("directive"));
        assert!(markup_problems("_a_ and *b*", "*a* et _b_").is_empty());
        assert!(markup_problems("One paragraph.", "Un.\n\nDeux.")[0].contains("blank line"));
        assert!(markup_problems("Two\nlines.", "Deux\nlignes.").is_empty());
    }

    // A translation of a text holding a glossary term must use the required form; the
    // term is matched as a whole word, in any case; any listed form will do.
    #[test]
    fn glossary() {
        let glossary = vec![
            Term {
                english: "deployer".into(),
                forms: vec!["déployeur".into(), "déployeurs".into()],
            },
            Term {
                english: "high-risk AI system".into(),
                forms: vec!["système d’IA à haut risque".into()],
            },
        ];
        let entry = |id: &str, s: &str| {
            let mut e = Entry::new(None, id.into());
            e.msgstr = s.into();
            e
        };
        assert!(
            glossary_problems(
                &glossary,
                &entry("The Deployer decides.", "Le déployeur décide.")
            )
            .is_empty()
        );
        assert!(
            glossary_problems(
                &glossary,
                &entry("Deployers decide.", "Les utilisateurs décident.")
            )
            .is_empty()
        );
        assert!(
            glossary_problems(
                &glossary,
                &entry("The deployer decides.", "Les déployeurs décident.")
            )
            .is_empty()
        );
        let found = glossary_problems(
            &glossary,
            &entry("The deployer decides.", "L'utilisateur décide."),
        );
        assert_eq!(found.len(), 1);
        assert!(found[0].contains("«déployeur» or «déployeurs»"));
        assert!(
            glossary_problems(
                &glossary,
                &entry("A high-risk AI system.", "Un système d'IA à haut risque.")
            )
            .is_empty()
        );
        assert_eq!(
            glossary_problems(
                &glossary,
                &entry("A high-risk AI system.", "Un système risqué.")
            )
            .len(),
            1
        );
    }

    // A glossary entry without a usable translation is a problem at its line.
    #[test]
    fn glossary_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(GLOSSARY_FILE);
        std::fs::write(&path, "# terms\n\"provider\" = \"fournisseur\"\n\"deployer\" = [\"déployeur\", \"déployeurs\"]\n\"bad\" = 3\n").unwrap();
        let mut problems = Problems::default();
        let terms = load_glossary(&path, &mut problems);
        assert_eq!(terms.len(), 2);
        assert_eq!(terms[1].forms.len(), 2);
        assert_eq!(problems.0.len(), 1);
        assert_eq!(problems.0[0].line, 4);
    }
}
