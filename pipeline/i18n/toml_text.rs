//! The strings for readers in a TOML definition (questionnaire, working template,
//! manifest, the words of the templates, a document's front matter), each with a stable
//! key path, found by walking the TOML tree; and the same definition with those strings
//! replaced, every other byte kept.
//!
//! **What is text.** Every string, and every string in an array, except the strings
//! (and arrays of strings) under the keys of [`NON_TEXT_KEYS`] (ids, values, conditions,
//! references to roles, stages, levels and questions, links, file names) and anything
//! under [`SKIPPED_TABLES`] (marks, the language list, the document list). Tables under
//! other keys are walked (the manifest's `[[roles]]` are text, a question's `roles` list
//! is not). A field added to a definition later (`must_do`, `title`) is text without
//! any change here; a new field that holds an id or a value must be added to
//! [`NON_TEXT_KEYS`].
//!
//! **Key paths.** Keys joined with `.`; an element of an array of tables is named by its
//! `id`, else its `value`, else its index (also when two elements share an id). Two
//! parts are left out, so that paths read as authors think of them: the top-level
//! `questions` array (question ids are unique: `RA-TEC-02.text`,
//! `RA-TEC-02.options.face-recognition.label`, `RA-TEC-02.flags.<flag id>.message`) and
//! the `options` of a named scale (`scales.safeguard.yes.label`). Others:
//! `levels.low.label`, `dimensions.data.title`, `rules.<id>.message`,
//! `checks.<id>.message`, `columns.<id>.options.0`, `sections.0.fields.<id>.label`,
//! `roles.senior-manager.description`.
//!
//! Replacing writes each string as a one-line TOML basic string (`"..."` with escapes),
//! so the lines of the rest of the file do not move.

use std::ops::Range;

use toml_edit::{ImDocument, Item, TableLike, Value};

/// Keys whose tables hold no text for readers: skipped whole.
pub const SKIPPED_TABLES: &[&str] = &["mark", "languages", "documents", "primers"];

/// Keys whose strings (or arrays of strings) are ids, values or references, never text
/// for readers.
pub const NON_TEXT_KEYS: &[&str] = &[
    "id",
    "version",
    "kind",
    "type",
    "value",
    "when",
    "relevant",
    "question",
    "answer",
    "dimension",
    "scale",
    "roles",
    "stages",
    "role",
    "links",
    "min_level",
    "max_level",
    "owner",
    "by",
    "date",
    "edition",
    "language",
    "paper",
    "file",
    "editions",
    "questionnaire",
    "direction",
    "print",
];

/// Keys under which a table is a record of a working template (a worked example's or a
/// prefilled row): its keys are field ids, so [`NON_TEXT_KEYS`] does not apply there (a
/// record's `type` or `owner` is text for readers).
pub const RECORD_TABLES: &[&str] = &["records", "prefill"];

/// A string for readers in a TOML text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TomlString {
    /// Its key path (module documentation).
    pub key: String,
    /// The string's value.
    pub value: String,
    /// Byte range of the string literal (quotes included) in the text.
    pub span: Range<usize>,
    /// One-based line of the literal.
    pub line: usize,
}

/// Why a TOML text could not be read.
#[derive(Debug, Clone)]
pub struct TomlTextError {
    /// One-based line (0 when unknown).
    pub line: usize,
    /// What is wrong.
    pub message: String,
}

/// The strings for readers in a TOML text, in the order they appear in it; empty
/// strings are left out.
pub fn strings(text: &str) -> Result<Vec<TomlString>, TomlTextError> {
    let doc = ImDocument::parse(text).map_err(|e| TomlTextError {
        line: e
            .span()
            .map_or(0, |s| crate::problem::line_of(text, s.start)),
        message: e.message().to_owned(),
    })?;
    let mut found = Vec::new();
    walk_table(doc.as_table(), &[], &mut found);
    found.sort_by_key(|(_, _, span): &(String, String, Range<usize>)| span.start);
    Ok(found
        .into_iter()
        .filter(|(_, value, _)| !value.trim().is_empty())
        .map(|(key, value, span)| TomlString {
            line: crate::problem::line_of(text, span.start),
            key,
            value,
            span,
        })
        .collect())
}

/// The text with each string for readers replaced by `replace`'s answer (kept where it
/// answers `None`), and the number of strings it left as they were.
pub fn replace_strings(
    text: &str,
    mut replace: impl FnMut(&TomlString) -> Option<String>,
) -> Result<(String, usize), TomlTextError> {
    let mut out = String::with_capacity(text.len());
    let mut kept = 0;
    let mut at = 0;
    for string in strings(text)? {
        match replace(&string) {
            Some(new) => {
                out.push_str(&text[at..string.span.start]);
                out.push_str(&basic_string(&new));
                at = string.span.end;
            }
            None => kept += 1,
        }
    }
    out.push_str(&text[at..]);
    Ok((out, kept))
}

/// A one-line TOML basic string.
pub fn basic_string(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    for c in value.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

type Found = Vec<(String, String, Range<usize>)>;

fn child(path: &[String], key: &str) -> Vec<String> {
    let mut path = path.to_vec();
    path.push(key.to_owned());
    path
}

/// Every string under a table (or inline table), by key path.
fn walk_table(table: &dyn TableLike, path: &[String], found: &mut Found) {
    // A record table is `[[prefill]]` or `[[example.records]]` (a field that happens to
    // be named `records`, under `sections.<n>.fields`, is not one).
    let in_record = path
        .iter()
        .enumerate()
        .any(|(i, p)| RECORD_TABLES.contains(&p.as_str()) && (i == 0 || path[i - 1] == "example"));
    for (key, item) in table.iter() {
        let holds_tables = item.is_table_like()
            || item.is_array_of_tables()
            || item
                .as_array()
                .is_some_and(|a| a.iter().any(Value::is_inline_table));
        let non_text = NON_TEXT_KEYS.contains(&key) && !holds_tables && !in_record;
        if SKIPPED_TABLES.contains(&key) || non_text {
            continue;
        }
        match item {
            Item::Value(value) => walk_value(value, path, key, found),
            Item::Table(t) => walk_table(t, &child(path, key), found),
            Item::ArrayOfTables(array) => {
                let tables: Vec<&dyn TableLike> =
                    array.iter().map(|t| t as &dyn TableLike).collect();
                walk_elements(&tables, path, key, found);
            }
            Item::None => {}
        }
    }
}

/// A value under `key`: a string, an inline table, or an array of either.
fn walk_value(value: &Value, path: &[String], key: &str, found: &mut Found) {
    match value {
        Value::String(s) => {
            if let Some(span) = value.span() {
                found.push((child(path, key).join("."), s.value().clone(), span));
            }
        }
        Value::InlineTable(t) => walk_table(t, &child(path, key), found),
        Value::Array(array) => {
            let tables: Vec<&dyn TableLike> = array
                .iter()
                .filter_map(|v| v.as_inline_table().map(|t| t as &dyn TableLike))
                .collect();
            if !tables.is_empty() {
                walk_elements(&tables, path, key, found);
                return;
            }
            let base = child(path, key);
            for (i, element) in array.iter().enumerate() {
                walk_value(element, &base, &i.to_string(), found);
            }
        }
        _ => {}
    }
}

/// The tables of an array under `key`, each named by its id, value or index.
fn walk_elements(tables: &[&dyn TableLike], path: &[String], key: &str, found: &mut Found) {
    let base = if (path.is_empty() && key == "questions")
        || (path.len() == 2 && path[0] == "scales" && key == "options")
    {
        path.to_vec()
    } else {
        child(path, key)
    };
    let mut names: Vec<String> = Vec::new();
    for (i, table) in tables.iter().enumerate() {
        let own = ["id", "value"].iter().find_map(|k| {
            table
                .get(k)
                .and_then(Item::as_str)
                .filter(|s| !s.is_empty())
        });
        let name = match own {
            Some(name) if !names.iter().any(|n| n == name) => name.to_owned(),
            _ => i.to_string(),
        };
        walk_table(*table, &child(&base, &name), found);
        names.push(name);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DEFINITION: &str = r#"id = "risk"
title = "Risk assessment"
description = """Two
lines"""

[[levels]]
id = "low"
label = "Low"

[scales.safeguard]
options = [
  { value = "yes", label = "Yes", score = 2 },
]

[[questions]]
id = "RA-TEC-02"
dimension = "technique"
text = "Which \"techniques\"?"
options = [ { value = "face", label = "Faces" } ]
links = ["roadmap#x"]
[[questions.flags]]
when = ["face"]
id = "biometric"
message = "Check it."
must_do = "Stop."

[[columns]]
id = "stage"
label = "Stage"
options = ["Idea", "In use"]

[[sections]]
title = "Terms"
[[sections.fields]]
id = "contract"
label = "Contract"
help = ""
"#;

    // Every string for readers is found with its key path and line, in file order; ids,
    // values, conditions and links are not.
    #[test]
    fn finds_text_by_key_path() {
        let found = strings(DEFINITION).unwrap();
        let keys: Vec<(&str, &str, usize)> = found
            .iter()
            .map(|s| (s.key.as_str(), s.value.as_str(), s.line))
            .collect();
        assert_eq!(
            keys,
            [
                ("title", "Risk assessment", 2),
                ("description", "Two\nlines", 3),
                ("levels.low.label", "Low", 8),
                ("scales.safeguard.yes.label", "Yes", 12),
                ("RA-TEC-02.text", "Which \"techniques\"?", 18),
                ("RA-TEC-02.options.face.label", "Faces", 19),
                ("RA-TEC-02.flags.biometric.message", "Check it.", 24),
                ("RA-TEC-02.flags.biometric.must_do", "Stop.", 25),
                ("columns.stage.label", "Stage", 29),
                ("columns.stage.options.0", "Idea", 30),
                ("columns.stage.options.1", "In use", 30),
                ("sections.0.title", "Terms", 33),
                ("sections.0.fields.contract.label", "Contract", 36),
            ]
        );
    }

    // Replacing keeps every other byte, writes one-line escaped strings, and counts the
    // strings left as they were; the result parses to the new values.
    #[test]
    fn replaces_in_place() {
        let (text, kept) = replace_strings(DEFINITION, |s| {
            (s.key != "title").then(|| format!("«{}»", s.value))
        })
        .unwrap();
        assert_eq!(kept, 1);
        assert!(text.contains("title = \"Risk assessment\""));
        assert!(text.contains("description = \"«Two\\nlines»\""));
        assert!(text.contains("text = \"«Which \\\"techniques\\\"?»\""));
        assert!(text.contains("id = \"RA-TEC-02\""));
        let again = strings(&text).unwrap();
        assert_eq!(again[1].value, "«Two\nlines»");
        assert_eq!(again.len(), 13);
        // Lines after the multi-line string moved up by one, and only those.
        assert_eq!(again[2].line, 7);
    }

    // The manifest's roles are text, a question's roles list is not; marks and the
    // language list are skipped.
    #[test]
    fn tables_under_id_keys_are_walked() {
        let found = strings("title = \"T\"\n[[languages]]\nid = \"fr\"\nname = \"Français\"\n[[roles]]\nid = \"sm\"\nmark = { symbol = \"SM\", colour = \"#000000\", ink = \"#FFFFFF\" }\nlabel = \"Managers\"\n[[questions]]\nid = \"Q\"\nroles = [\"sm\"]\ntext = \"Why?\"\n").unwrap();
        let keys: Vec<&str> = found.iter().map(|s| s.key.as_str()).collect();
        assert_eq!(keys, ["title", "roles.sm.label", "Q.text"]);
    }

    // Two elements with the same id are told apart by index.
    #[test]
    fn duplicate_ids_fall_back_to_index() {
        let found = strings(
            "[[rules]]\nid = \"a\"\nmessage = \"x\"\n[[rules]]\nid = \"a\"\nmessage = \"y\"\n",
        )
        .unwrap();
        let keys: Vec<&str> = found.iter().map(|s| s.key.as_str()).collect();
        assert_eq!(keys, ["rules.a.message", "rules.1.message"]);
    }
}
