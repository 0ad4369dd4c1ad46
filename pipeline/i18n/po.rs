//! Gettext PO files: a parser and a writer for the part of the format the toolkit's
//! catalogues use (header entry, `msgctxt`, `msgid`, `msgstr`, translator comments `#`,
//! extracted comments `#.`, references `#:`, flags `#,`, previous strings `#|`, obsolete
//! entries `#~`). Plural entries are refused: no toolkit string has a plural form.
//!
//! The writer lays strings out as GNU gettext does (`msgcat`, `msgmerge`): a string that
//! fits is written on the keyword's line; a longer one, or one with a newline before its
//! end, starts with `""` and continues on lines of at most 79 columns, broken after the
//! spaces and after each `\n` (see [`super::wrap`]). Parsing what the writer wrote gives
//! the same entries back.

use std::fmt::Write as _;

use super::wrap::{wrap_string, wrap_words};

/// One entry of a PO file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Entry {
    /// Translator comments (`# ...`), without the `# `.
    pub comments: Vec<String>,
    /// Extracted comments (`#. ...`): notes for translators written by the tool.
    pub extracted: Vec<String>,
    /// References (`#: file:line`), one per place the string comes from.
    pub references: Vec<String>,
    /// Flags (`#, fuzzy`).
    pub flags: Vec<String>,
    /// The context of the previous source string (`#| msgctxt`), on a fuzzy entry.
    pub previous_msgctxt: Option<String>,
    /// The previous source string (`#| msgid`), on a fuzzy entry: what the translation
    /// was made for.
    pub previous_msgid: Option<String>,
    /// The context that tells identical source strings apart.
    pub msgctxt: Option<String>,
    /// The source (English) string.
    pub msgid: String,
    /// The translation; empty when not translated.
    pub msgstr: String,
    /// An obsolete entry (`#~`): its source string is gone; kept for its translation.
    pub obsolete: bool,
    /// One-based line of the entry's `msgid` in the file it was read from (0 when built).
    pub line: usize,
}

impl Entry {
    /// A new, untranslated entry.
    pub fn new(msgctxt: Option<String>, msgid: String) -> Entry {
        Entry {
            msgctxt,
            msgid,
            ..Entry::default()
        }
    }

    /// Whether the entry carries the `fuzzy` flag.
    pub fn is_fuzzy(&self) -> bool {
        self.flags.iter().any(|f| f == "fuzzy")
    }

    /// Sets or clears the `fuzzy` flag (fuzzy goes first, as gettext writes it).
    pub fn set_fuzzy(&mut self, fuzzy: bool) {
        self.flags.retain(|f| f != "fuzzy");
        if fuzzy {
            self.flags.insert(0, "fuzzy".to_owned());
        }
    }

    /// Whether the entry has a translation that is not fuzzy (and is not obsolete).
    pub fn is_translated(&self) -> bool {
        !self.obsolete && !self.msgstr.is_empty() && !self.is_fuzzy()
    }

    /// The header entry: empty `msgid`, no context.
    pub fn is_header(&self) -> bool {
        self.msgid.is_empty() && self.msgctxt.is_none() && !self.obsolete
    }
}

/// A parsed PO file: the header entry (if any) and the other entries in file order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PoFile {
    /// The header entry (`msgid ""`), whose `msgstr` holds `Name: value` lines.
    pub header: Option<Entry>,
    /// Every other entry, obsolete ones included, in file order.
    pub entries: Vec<Entry>,
}

/// Why a PO file could not be read: the line and what was expected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    /// One-based line.
    pub line: usize,
    /// What is wrong.
    pub message: String,
}

impl PoFile {
    /// The value of a header field (`Language`), if the header has it.
    pub fn header_field(&self, name: &str) -> Option<&str> {
        let header = self.header.as_ref()?;
        header.msgstr.lines().find_map(|line| {
            let (key, value) = line.split_once(':')?;
            (key.trim() == name).then(|| value.trim())
        })
    }

    /// Parses a PO file.
    pub fn parse(text: &str) -> Result<PoFile, ParseError> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let mut parser = Parser::default();
        for (i, line) in text.lines().enumerate() {
            parser.line(i + 1, line.trim_end_matches('\r'))?;
        }
        parser.finish_entry()?;
        let mut file = PoFile::default();
        for entry in parser.entries {
            if entry.is_header() && file.header.is_none() && file.entries.is_empty() {
                file.header = Some(entry);
            } else {
                file.entries.push(entry);
            }
        }
        Ok(file)
    }

    /// The file's text, as gettext's tools lay it out.
    pub fn write(&self) -> String {
        let mut out = String::new();
        for entry in self.header.iter().chain(&self.entries) {
            if !out.is_empty() {
                out.push('\n');
            }
            write_entry(&mut out, entry);
        }
        out
    }
}

/// Which string a continuation line (`"..."`) adds to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    PreviousContext,
    PreviousId,
    Context,
    Id,
    Str,
}

/// The line-by-line state of [`PoFile::parse`].
#[derive(Default)]
struct Parser {
    entries: Vec<Entry>,
    current: Entry,
    /// Whether the current entry has a keyword line yet (else only comments).
    started: bool,
    has_msgid: bool,
    has_msgstr: bool,
    field: Option<Field>,
}

impl Parser {
    /// Reads one line.
    fn line(&mut self, number: usize, line: &str) -> Result<(), ParseError> {
        let error = |message: &str| ParseError {
            line: number,
            message: message.to_owned(),
        };
        let trimmed = line.trim_start();
        if trimmed.is_empty() {
            self.field = None;
            return Ok(());
        }
        if let Some(rest) = trimmed.strip_prefix("#~") {
            let rest = rest.strip_prefix(' ').unwrap_or(rest);
            if let Some(previous) = rest.strip_prefix('|') {
                return self.previous_line(number, previous.trim_start(), true);
            }
            return self.keyword_line(number, rest.trim_start(), true);
        }
        if let Some(rest) = trimmed.strip_prefix("#|") {
            return self.previous_line(number, rest.trim_start(), false);
        }
        if let Some(rest) = trimmed.strip_prefix('#') {
            self.comment_line(rest)?;
            return Ok(());
        }
        if trimmed.starts_with('"') {
            let value = unquote(trimmed).map_err(|m| error(&m))?;
            return self.continuation(number, &value);
        }
        self.keyword_line(number, trimmed, false)
    }

    /// A comment line (after its `#`): translator, extracted, reference or flags.
    fn comment_line(&mut self, rest: &str) -> Result<(), ParseError> {
        if self.has_msgstr {
            self.finish_entry()?;
        }
        self.field = None;
        let entry = &mut self.current;
        if let Some(text) = rest.strip_prefix('.') {
            entry
                .extracted
                .push(text.strip_prefix(' ').unwrap_or(text).to_owned());
        } else if let Some(text) = rest.strip_prefix(':') {
            entry
                .references
                .extend(text.split_whitespace().map(str::to_owned));
        } else if let Some(text) = rest.strip_prefix(',') {
            for flag in text.split(',').map(str::trim).filter(|f| !f.is_empty()) {
                if !entry.flags.iter().any(|f| f == flag) {
                    entry.flags.push(flag.to_owned());
                }
            }
        } else {
            entry
                .comments
                .push(rest.strip_prefix(' ').unwrap_or(rest).to_owned());
        }
        Ok(())
    }

    /// A `#|` line: the previous context or source string, or its continuation.
    fn previous_line(
        &mut self,
        number: usize,
        rest: &str,
        obsolete: bool,
    ) -> Result<(), ParseError> {
        if self.has_msgstr {
            self.finish_entry()?;
        }
        let error = |message: String| ParseError {
            line: number,
            message,
        };
        if obsolete {
            self.current.obsolete = true;
        }
        if rest.starts_with('"') {
            let value = unquote(rest).map_err(error)?;
            return self.continuation(number, &value);
        }
        let (keyword, value) = split_keyword(rest).map_err(error)?;
        let (field, slot) = match keyword {
            "msgctxt" => (Field::PreviousContext, &mut self.current.previous_msgctxt),
            "msgid" => (Field::PreviousId, &mut self.current.previous_msgid),
            other => {
                return Err(error(format!(
                    "unexpected {other:?} after #|; expected msgctxt or msgid"
                )));
            }
        };
        *slot = Some(value);
        self.field = Some(field);
        Ok(())
    }

    /// A keyword line: `msgctxt`, `msgid` or `msgstr` and its first string.
    fn keyword_line(
        &mut self,
        number: usize,
        rest: &str,
        obsolete: bool,
    ) -> Result<(), ParseError> {
        let error = |message: String| ParseError {
            line: number,
            message,
        };
        if rest.starts_with('"') {
            let value = unquote(rest).map_err(error)?;
            return self.continuation(number, &value);
        }
        let (keyword, value) = split_keyword(rest).map_err(error)?;
        if matches!(keyword, "msgctxt" | "msgid") && self.has_msgstr {
            self.finish_entry()?;
        }
        if obsolete {
            self.current.obsolete = true;
        }
        let (field, repeated) = match keyword {
            "msgctxt" => (
                Field::Context,
                self.current.msgctxt.is_some() || self.has_msgid,
            ),
            "msgid" => (Field::Id, self.has_msgid),
            "msgstr" => (Field::Str, self.has_msgstr || !self.has_msgid),
            "msgid_plural" => {
                return Err(error(
                    "plural entries (msgid_plural) are not used in the toolkit's catalogues".into(),
                ));
            }
            other if other.starts_with("msgstr[") => {
                return Err(error(
                    "plural entries (msgstr[n]) are not used in the toolkit's catalogues".into(),
                ));
            }
            other => return Err(error(format!("unknown keyword {other:?}"))),
        };
        if repeated {
            return Err(error(format!("unexpected {keyword} in this entry")));
        }
        match field {
            Field::Context => self.current.msgctxt = Some(value),
            Field::Id => {
                self.current.msgid = value;
                self.current.line = number;
                self.has_msgid = true;
            }
            _ => {
                self.current.msgstr = value;
                self.has_msgstr = true;
            }
        }
        self.started = true;
        self.field = Some(field);
        Ok(())
    }

    /// A line that is only a string: it continues the last keyword's string.
    fn continuation(&mut self, number: usize, value: &str) -> Result<(), ParseError> {
        let entry = &mut self.current;
        let slot = match self.field {
            Some(Field::PreviousContext) => entry.previous_msgctxt.get_or_insert_default(),
            Some(Field::PreviousId) => entry.previous_msgid.get_or_insert_default(),
            Some(Field::Context) => entry.msgctxt.get_or_insert_default(),
            Some(Field::Id) => &mut entry.msgid,
            Some(Field::Str) => &mut entry.msgstr,
            None => {
                return Err(ParseError {
                    line: number,
                    message: "a string line that follows no msgid, msgstr or msgctxt".into(),
                });
            }
        };
        slot.push_str(value);
        Ok(())
    }

    /// Closes the current entry (if it has anything) and starts the next one.
    fn finish_entry(&mut self) -> Result<(), ParseError> {
        let entry = std::mem::take(&mut self.current);
        let line = entry.line;
        if self.started && !(self.has_msgid && self.has_msgstr) {
            return Err(ParseError {
                line: line.max(1),
                message: "entry without msgid and msgstr".into(),
            });
        }
        if self.started {
            self.entries.push(entry);
        }
        self.started = false;
        self.has_msgid = false;
        self.has_msgstr = false;
        self.field = None;
        Ok(())
    }
}

/// Splits `keyword "string"` into the keyword and the unescaped string.
fn split_keyword(rest: &str) -> Result<(&str, String), String> {
    let (keyword, value) = rest
        .split_once(|c: char| c.is_whitespace())
        .ok_or_else(|| format!("expected a keyword and a quoted string, found {rest:?}"))?;
    Ok((keyword, unquote(value.trim_start())?))
}

/// The text of one quoted string (`"..."`), escapes resolved.
fn unquote(quoted: &str) -> Result<String, String> {
    let quoted = quoted.trim_end();
    let inner = quoted
        .strip_prefix('"')
        .and_then(|q| q.strip_suffix('"'))
        .filter(|_| quoted.len() >= 2)
        .ok_or_else(|| format!("expected a string in double quotes, found {quoted:?}"))?;
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => return Err("an unescaped \" inside a string".into()),
            '\\' => out.push(unescape(&mut chars)?),
            c => out.push(c),
        }
    }
    Ok(out)
}

/// The character an escape sequence stands for (after its backslash).
fn unescape(chars: &mut std::iter::Peekable<std::str::Chars>) -> Result<char, String> {
    let c = chars.next().ok_or("a string ends with a lone backslash")?;
    Ok(match c {
        'n' => '\n',
        't' => '\t',
        'r' => '\r',
        'a' => '\u{7}',
        'b' => '\u{8}',
        'f' => '\u{c}',
        'v' => '\u{b}',
        '\\' | '"' | '\'' | '?' => c,
        '0'..='7' => {
            let mut value = c.to_digit(8).unwrap_or(0);
            for _ in 0..2 {
                match chars.peek().and_then(|d| d.to_digit(8)) {
                    Some(d) => {
                        value = value * 8 + d;
                        chars.next();
                    }
                    None => break,
                }
            }
            char::from_u32(value).ok_or("an octal escape out of range")?
        }
        'x' => {
            let mut value = 0u32;
            let mut digits = 0;
            while let Some(d) = chars.peek().and_then(|d| d.to_digit(16)) {
                value = value * 16 + d;
                digits += 1;
                chars.next();
            }
            if digits == 0 {
                return Err("\\x without hex digits".into());
            }
            char::from_u32(value).ok_or("a hex escape out of range")?
        }
        other => return Err(format!("unknown escape \\{other}")),
    })
}

/// Escapes a string for a PO file, as gettext does.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            '\u{7}' => out.push_str("\\a"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\u{b}' => out.push_str("\\v"),
            c if (c as u32) < 0x20 || c == '\u{7f}' => {
                let _ = write!(out, "\\{:03o}", c as u32);
            }
            c => out.push(c),
        }
    }
    out
}

/// Writes one entry: comments, references, flags, previous strings, then the strings.
fn write_entry(out: &mut String, entry: &Entry) {
    for comment in &entry.comments {
        push_comment(out, "#", comment);
    }
    let prefix = if entry.obsolete { "#~ " } else { "" };
    if !entry.obsolete {
        for comment in &entry.extracted {
            push_comment(out, "#.", comment);
        }
        if !entry.references.is_empty() {
            for line in wrap_words("#:", &entry.references) {
                out.push_str(&line);
                out.push('\n');
            }
        }
    }
    if !entry.flags.is_empty() {
        let _ = writeln!(out, "#, {}", entry.flags.join(", "));
    }
    let previous = if entry.obsolete { "#~| " } else { "#| " };
    if let Some(context) = &entry.previous_msgctxt {
        wrap_string(out, previous, "msgctxt", context);
    }
    if let Some(id) = &entry.previous_msgid {
        wrap_string(out, previous, "msgid", id);
    }
    if let Some(context) = &entry.msgctxt {
        wrap_string(out, prefix, "msgctxt", context);
    }
    wrap_string(out, prefix, "msgid", &entry.msgid);
    wrap_string(out, prefix, "msgstr", &entry.msgstr);
}

/// A comment line: the marker, then the text after one space (none when empty). A
/// comment never spans lines: a newline in it continues on a new comment line.
fn push_comment(out: &mut String, marker: &str, text: &str) {
    for line in text.split('\n') {
        out.push_str(marker);
        if !line.is_empty() {
            out.push(' ');
            out.push_str(line);
        }
        out.push('\n');
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = r#"# A translator's note.
msgid ""
msgstr ""
"Project-Id-Version: rai-toolkit\n"
"Language: fr\n"
"Content-Type: text/plain; charset=UTF-8\n"

#. heading
#: guides/introduction.md:12 guides/introduction.md:40
msgid "About this guide"
msgstr "À propos de ce guide"

#, fuzzy
#| msgid "Old text"
msgctxt "RA-TEC-02.text"
msgid "New text"
msgstr "Ancien texte"

#~ msgid "Gone"
#~ msgstr "Parti"
"#;

    // Every part of an entry is read: header fields, comments, references, flags,
    // previous strings, contexts and obsolete entries.
    #[test]
    fn parses_every_part() {
        let po = PoFile::parse(SAMPLE).unwrap();
        assert_eq!(po.header_field("Language"), Some("fr"));
        assert_eq!(
            po.header.as_ref().unwrap().comments,
            ["A translator's note."]
        );
        assert_eq!(po.entries.len(), 3);
        let heading = &po.entries[0];
        assert_eq!(heading.extracted, ["heading"]);
        assert_eq!(
            heading.references,
            ["guides/introduction.md:12", "guides/introduction.md:40"]
        );
        assert_eq!(heading.msgstr, "À propos de ce guide");
        assert_eq!(heading.line, 10);
        assert!(heading.is_translated());
        let fuzzy = &po.entries[1];
        assert!(fuzzy.is_fuzzy() && !fuzzy.is_translated());
        assert_eq!(fuzzy.previous_msgid.as_deref(), Some("Old text"));
        assert_eq!(fuzzy.msgctxt.as_deref(), Some("RA-TEC-02.text"));
        let gone = &po.entries[2];
        assert!(gone.obsolete && !gone.is_translated());
        assert_eq!(
            (gone.msgid.as_str(), gone.msgstr.as_str()),
            ("Gone", "Parti")
        );
    }

    // What the writer writes reads back as the same entries, and writing it again gives
    // the same bytes.
    #[test]
    fn round_trip() {
        let po = PoFile::parse(SAMPLE).unwrap();
        let written = po.write();
        let again = PoFile::parse(&written).unwrap();
        let strip = |p: &PoFile| {
            let mut p = p.clone();
            for e in p.header.iter_mut().chain(p.entries.iter_mut()) {
                e.line = 0;
            }
            p
        };
        assert_eq!(strip(&again), strip(&po));
        assert_eq!(again.write(), written);
        assert_eq!(written, SAMPLE);
    }

    // Quotes, backslashes, tabs, newlines and control characters survive a round trip;
    // octal and hex escapes written by other tools are read.
    #[test]
    fn escapes() {
        let text = "say \"hi\"\\ then\ttab\nnext\u{1}";
        assert_eq!(escape(text), "say \\\"hi\\\"\\\\ then\\ttab\\nnext\\001");
        let mut po = PoFile::default();
        po.entries.push(Entry::new(None, text.to_owned()));
        let back = PoFile::parse(&po.write()).unwrap();
        assert_eq!(back.entries[0].msgid, text);
        let other = PoFile::parse("msgid \"a\\101\\x42\\?\"\nmsgstr \"\"\n").unwrap();
        assert_eq!(other.entries[0].msgid, "aAB?");
    }

    // Obsolete entries keep their translator comments, fuzzy flag and previous string.
    #[test]
    fn obsolete_entries() {
        let mut entry = Entry::new(Some("k".into()), "Old".into());
        entry.msgstr = "Vieux".into();
        entry.comments = vec!["checked".into()];
        entry.previous_msgid = Some("Older".into());
        entry.set_fuzzy(true);
        entry.obsolete = true;
        entry.references = vec!["x.toml:3".into()];
        let po = PoFile {
            header: None,
            entries: vec![entry],
        };
        let text = po.write();
        assert_eq!(
            text,
            "# checked\n#, fuzzy\n#~| msgid \"Older\"\n#~ msgctxt \"k\"\n#~ msgid \"Old\"\n#~ msgstr \"Vieux\"\n"
        );
        let back = PoFile::parse(&text).unwrap().entries.remove(0);
        assert!(back.obsolete && back.is_fuzzy());
        assert_eq!(back.previous_msgid.as_deref(), Some("Older"));
        assert_eq!(back.msgctxt.as_deref(), Some("k"));
        assert!(back.references.is_empty());
    }

    // Broken files are refused with the line at fault.
    #[test]
    fn errors_have_lines() {
        let bad = |text: &str| PoFile::parse(text).unwrap_err();
        assert_eq!(bad("msgid \"a\"\nmsgstr \"b\n").line, 2);
        assert_eq!(bad("msgid \"a\"\n\"b\" x\nmsgstr \"\"\n").line, 2);
        assert_eq!(bad("\n\"orphan\"\n").line, 2);
        assert!(
            bad("msgid \"a\"\nmsgid_plural \"as\"\n")
                .message
                .contains("plural")
        );
        assert_eq!(bad("msgid \"a\"\nmsgstr \"b\\q\"\n").line, 2);
        assert_eq!(bad("msgid \"a\"\n\nmsgid \"b\"\nmsgstr \"\"\n").line, 3);
    }
}
