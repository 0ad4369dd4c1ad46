//! Text as it is read from answer files and as it is shown: one normal form for every
//! value (trimmed, Unicode NFC), one rule for what a name may not hide (invisible and
//! bidirectional control characters shown as `[U+202E]`), and the control characters
//! that no value may hold.
//!
//! Every reader passes each cell through [`read_value`]; validation passes names and
//! free text through [`visible`] once, so every output (reports, summaries, `errors.csv`,
//! file names) prints the same text.

use std::borrow::Cow;

use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};
use unicode_properties::{GeneralCategory, UnicodeGeneralCategory};

/// A value as read from a cell: surrounding whitespace trimmed, in Unicode NFC, so that
/// `é` typed as one character or as `e` and a combining accent is the same answer, id or
/// name.
pub fn read_value(raw: &str) -> Cow<'_, str> {
    let trimmed = raw.trim();
    if is_nfc_quick(trimmed.chars()) == IsNormalized::Yes {
        Cow::Borrowed(trimmed)
    } else {
        let normal: String = trimmed.nfc().collect();
        Cow::Owned(normal.trim().to_owned())
    }
}

/// A CSV cell with the neutralising apostrophe that this tool's summaries and the web
/// edition's downloads put before text a spreadsheet would run as a formula (`'=1+1`,
/// `'-r1`, `'@team`) taken off again: one leading `'` is dropped when what follows is
/// more apostrophes and then `=`, `+`, `-`, `@`, a tab or a carriage return. Anything
/// else is kept as it is.
pub fn unneutralise(value: &str) -> &str {
    match value.strip_prefix('\'') {
        Some(rest)
            if rest
                .trim_start_matches('\'')
                .starts_with(['=', '+', '-', '@', '\t', '\r']) =>
        {
            rest
        }
        _ => value,
    }
}

/// The key under which options, roles and stages are matched: the value in NFC,
/// lowercased (every script, not only ASCII), in NFC again (lowercasing can decompose).
pub fn fold(text: &str) -> String {
    let lower = read_value(text).to_lowercase();
    match is_nfc_quick(lower.chars()) {
        IsNormalized::Yes => lower,
        _ => lower.nfc().collect(),
    }
}

/// What [`visible`] shows of a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shown {
    /// A name that identifies something (a response id, a group or respondent name, a file
    /// path, a value quoted in `errors.csv`): every format character (Unicode `Cf`: zero-
    /// width spaces and joiners, bidirectional marks, embeddings, overrides and isolates,
    /// the Arabic letter mark, word joiners, a byte-order mark) and every control
    /// character, tab and line breaks included, is shown as `[U+XXXX]`, so a name never
    /// reads as something else.
    Name,
    /// Free text printed verbatim (comments): only the bidirectional embeddings,
    /// overrides and isolates (U+202A-U+202E, U+2066-U+2069), which could reorder the
    /// text around them, are shown as `[U+XXXX]`; joiners and marks that scripts need stay.
    FreeText,
}

/// Whether `c` is a bidirectional embedding, override or isolate (or their pop).
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Whether [`visible`] shows `c` as its code point in `shown` text.
fn is_hidden(c: char, shown: Shown) -> bool {
    match shown {
        Shown::Name => c.is_control() || c.general_category() == GeneralCategory::Format,
        Shown::FreeText => is_bidi_control(c),
    }
}

/// The text with every character that could hide or reorder what it says shown as its
/// code point, `[U+202E]` (see [`Shown`]). The one function validation uses for names and
/// free text, so every output prints the same text. Text without such characters comes
/// back as it is.
pub fn visible(text: &str, shown: Shown) -> Cow<'_, str> {
    if !text.chars().any(|c| is_hidden(c, shown)) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if is_hidden(c, shown) {
            out.push_str(&format!("[U+{:04X}]", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// The first control character of a value that no answer file may hold: C0 and C1
/// controls and DEL, other than tab, line feed and carriage return.
pub fn forbidden_control(text: &str) -> Option<char> {
    text.chars()
        .find(|&c| c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
}

#[cfg(test)]
mod tests {
    use super::*;

    // The same word typed precomposed or decomposed reads the same; whitespace is trimmed.
    #[test]
    fn values_are_nfc_and_trimmed() {
        assert_eq!(read_value("  Cafe\u{301} "), "Café");
        assert_eq!(read_value("Café"), "Café");
        assert!(matches!(read_value("plain"), Cow::Borrowed("plain")));
        assert_eq!(fold("ÉTÉ"), fold("e\u{301}te\u{301}"));
        assert_eq!(fold(" Yes "), "yes");
    }

    // Format and control characters in names are shown by code point; bidirectional
    // controls in free text too, but joiners that scripts need are left in free text.
    #[test]
    fn hidden_characters_are_shown() {
        assert_eq!(
            visible("r-1\u{202E}fdp.exe", Shown::Name),
            "r-1[U+202E]fdp.exe"
        );
        for c in [
            '\u{200B}',
            '\u{200F}',
            '\u{2060}',
            '\u{2064}',
            '\u{2066}',
            '\u{2069}',
            '\u{061C}',
            '\u{FEFF}',
            '\u{00AD}',
            '\u{E0041}',
            '\t',
            '\n',
        ] {
            let shown = visible(&format!("a{c}b"), Shown::Name).into_owned();
            assert_eq!(shown, format!("a[U+{:04X}]b", u32::from(c)), "{c:?}");
        }
        assert_eq!(
            visible("اسم\u{200C}ها \u{2067}x\u{2069}", Shown::FreeText),
            "اسم\u{200C}ها [U+2067]x[U+2069]"
        );
        assert!(matches!(
            visible("Agency A", Shown::Name),
            Cow::Borrowed("Agency A")
        ));
    }

    // A cell neutralised by a download or a summary reads back as what was typed; an
    // apostrophe that protects nothing stays.
    #[test]
    fn neutralised_cells_read_back() {
        assert_eq!(unneutralise("'=1+1"), "=1+1");
        assert_eq!(unneutralise("'-r1"), "-r1");
        assert_eq!(unneutralise("''@team"), "'@team");
        assert_eq!(unneutralise("'tis"), "'tis");
        assert_eq!(unneutralise("O'Brien"), "O'Brien");
        assert_eq!(unneutralise("="), "=");
    }

    // Controls other than tab and line breaks are found; ordinary text has none.
    #[test]
    fn finds_forbidden_controls() {
        assert_eq!(forbidden_control("a\u{7}b"), Some('\u{7}'));
        assert_eq!(forbidden_control("a\u{85}b"), Some('\u{85}'));
        assert_eq!(forbidden_control("a\u{7f}"), Some('\u{7f}'));
        assert_eq!(forbidden_control("line\r\nnext\tcell"), None);
        assert_eq!(forbidden_control("Ça va \u{202E}"), None);
    }
}
