//! The messages of a source file: what its catalogue holds.
//!
//! - A document (`guides/*.md`, `primers/*.md`): one message per piece
//!   ([`super::markdown`]), no context; the same text twice is one message with two
//!   references (`#: guides/introduction.md:12 guides/introduction.md:40`).
//! - A TOML definition (questionnaire, working template, manifest): one message per
//!   string for readers, its key path as context (`RA-TEC-02.text`).
//! - The words of the templates (`templates/words.toml`, a flat table): the key as
//!   context.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::markdown::pieces;
use super::toml_text::{self, TomlTextError};
use crate::problem::Problems;

/// File name of the fixed words of the templates, in the templates folder.
pub const WORDS_FILE: &str = "words.toml";

/// One message of a catalogue, as the sources give it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    /// Context (a key path), or none for document text.
    pub msgctxt: Option<String>,
    /// The English text.
    pub msgid: String,
    /// Where it comes from (`file:line`).
    pub references: Vec<String>,
    /// Notes for translators (the kind of block).
    pub notes: Vec<String>,
}

/// Merges messages with the same context and text into the first one (references and
/// notes gathered), keeping the order of first appearance.
fn gather(messages: Vec<Message>) -> Vec<Message> {
    let mut out: Vec<Message> = Vec::with_capacity(messages.len());
    let mut seen: HashMap<(Option<String>, String), usize> = HashMap::new();
    for message in messages {
        let key = (message.msgctxt.clone(), message.msgid.clone());
        match seen.get(&key) {
            Some(&i) => {
                let first = &mut out[i];
                for reference in message.references {
                    if !first.references.contains(&reference) {
                        first.references.push(reference);
                    }
                }
                for note in message.notes {
                    if !first.notes.contains(&note) {
                        first.notes.push(note);
                    }
                }
            }
            None => {
                seen.insert(key, out.len());
                out.push(message);
            }
        }
    }
    out
}

/// The messages of a document; `rel` is its path relative to the sources folder.
pub fn markdown_messages(rel: &str, text: &str) -> Vec<Message> {
    gather(
        pieces(text)
            .into_iter()
            .map(|piece| Message {
                msgctxt: None,
                references: vec![format!("{rel}:{}", piece.line)],
                notes: vec![piece.kind.note()],
                msgid: piece.text,
            })
            .collect(),
    )
}

/// The messages of a TOML definition; `rel` is its path relative to the sources folder.
pub fn toml_messages(rel: &str, text: &str) -> Result<Vec<Message>, TomlTextError> {
    Ok(gather(
        toml_text::strings(text)?
            .into_iter()
            .map(|s| Message {
                msgctxt: Some(s.key),
                msgid: s.value,
                references: vec![format!("{rel}:{}", s.line)],
                notes: Vec::new(),
            })
            .collect(),
    ))
}

/// One fixed word of the templates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    /// Its key (`[a-z0-9_.-]+`, `<where>.<what>`), which templates use.
    pub key: String,
    /// The English text.
    pub value: String,
    /// Line in `words.toml`.
    pub line: usize,
}

/// The fixed words of the templates (`templates/words.toml`): a flat table of
/// `key = "English text"`, for the words templates, workbooks, the site and reports
/// print around the content ("Respondent", "Stage").
#[derive(Debug, Clone, Default)]
pub struct Words {
    /// Every word, in file order.
    pub entries: Vec<Word>,
    /// The file (none when the templates folder has no `words.toml`).
    pub path: Option<PathBuf>,
}

impl Words {
    /// Reads and checks `words.toml` in the templates folder; none there is no words.
    pub fn load(templates: &Path) -> Result<Words, Problems> {
        let path = templates.join(WORDS_FILE);
        let display = path.display().to_string();
        let mut problems = Problems::default();
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Words::default()),
            Err(e) => {
                problems.at(&display, 0, format!("cannot read the words: {e}"));
                return Err(problems);
            }
        };
        let entries = Words::parse(&text, &display, &mut problems);
        problems.into_result()?;
        Ok(Words {
            entries,
            path: Some(path),
        })
    }

    /// Parses the text of `words.toml`; problems name `file` and the line.
    pub fn parse(text: &str, file: &str, problems: &mut Problems) -> Vec<Word> {
        let doc = match toml_edit::ImDocument::parse(text) {
            Ok(doc) => doc,
            Err(e) => {
                let line = e
                    .span()
                    .map_or(0, |s| crate::problem::line_of(text, s.start));
                problems.at(file, line, e.message().trim().to_owned());
                return Vec::new();
            }
        };
        let mut words = Vec::new();
        for (key, item) in doc.as_table().iter() {
            let line = item
                .span()
                .or_else(|| doc.as_table().key(key).and_then(|k| k.span()))
                .map_or(0, |s| crate::problem::line_of(text, s.start));
            let valid_key = !key.is_empty()
                && key
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"_.-".contains(&b));
            match item.as_str() {
                _ if !valid_key => problems.at(
                    file,
                    line,
                    format!("word key {key:?} must use only a-z, 0-9, _, . and -"),
                ),
                Some(value) if !value.trim().is_empty() => words.push(Word {
                    key: key.to_owned(),
                    value: value.to_owned(),
                    line,
                }),
                _ => problems.at(
                    file,
                    line,
                    format!("word {key:?} must be a non-empty string (key = \"English text\")"),
                ),
            }
        }
        words
    }

    /// The messages of the words; `reference` names the file in references.
    pub fn messages(&self, reference: &str) -> Vec<Message> {
        self.entries
            .iter()
            .map(|w| Message {
                msgctxt: Some(w.key.clone()),
                msgid: w.value.clone(),
                references: vec![format!("{reference}:{}", w.line)],
                notes: Vec::new(),
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // The same paragraph twice is one message with both references; TOML strings carry
    // their key path as context.
    #[test]
    fn messages_gather_repeats() {
        let doc = "# Title\n\n**Three actions**\n\nText.\n\n**Three actions**\n";
        let messages = markdown_messages("primers/legal.md", doc);
        assert_eq!(messages.len(), 3);
        assert_eq!(
            messages[1].references,
            ["primers/legal.md:3", "primers/legal.md:7"]
        );
        assert_eq!(messages[0].notes, ["heading"]);
        let toml = toml_messages("templates/a.toml", "id = \"a\"\ntitle = \"A\"\n").unwrap();
        assert_eq!(toml[0].msgctxt.as_deref(), Some("title"));
        assert_eq!(toml[0].references, ["templates/a.toml:2"]);
    }

    // Words are a flat table of strings under lowercase keys; anything else is refused
    // with its line.
    #[test]
    fn words_are_checked() {
        let mut problems = Problems::default();
        let words = Words::parse(
            "response = \"Response\"\nBad = \"x\"\nempty = \"\"\n[table]\nx = \"y\"\n",
            "words.toml",
            &mut problems,
        );
        assert_eq!(words.len(), 1);
        assert_eq!((words[0].key.as_str(), words[0].line), ("response", 1));
        let lines: Vec<usize> = problems.0.iter().map(|p| p.line).collect();
        assert_eq!(lines, [2, 3, 4], "{problems}");
    }
}
