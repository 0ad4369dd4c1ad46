//! Line layout of PO strings and references, as GNU gettext (0.21) writes them, so that a
//! catalogue the toolkit writes and one that `msgcat` or `msgmerge` rewrites are the same
//! bytes and diffs stay small.
//!
//! - A string that fits on its keyword's line (79 columns in all) is written there, unless
//!   it holds a newline before its end.
//! - Otherwise the keyword gets `""` and the string follows on lines of at most 79
//!   columns (prefix such as `#~ ` and quotes included), broken after each `\n` and at
//!   line-break opportunities; a word longer than a line stays whole.
//! - Widths count escaped characters (`\"` is two columns) and East Asian wide characters
//!   as two columns.
//!
//! The break opportunities are those of gettext's line breaker (libunistring's UAX #14),
//! measured against `msgcat` for every printable ASCII character and the punctuation of
//! the toolkit's languages (French, Spanish, Arabic): a class per character and, per pair
//! of classes, whether a line may break between them ([`PAIR`]) or after spaces between
//! them ([`AFTER_SPACE`]). Other letters, digits and symbols take the class of `a`, wide
//! characters the class of `中`, and a combining mark never starts a line.

use unicode_width::UnicodeWidthChar;

use super::po::escape;

/// The width of a line, as gettext's default `--width=79`.
pub const PAGE_WIDTH: usize = 79;

/// The class of `a`: letters, digits of other scripts, most symbols.
const ALPHABETIC: usize = 1;
/// The class of the space.
const SPACE: usize = 13;
/// The class of East Asian wide characters.
const WIDE: usize = 17;

/// The line-break class of a character (see the module documentation).
fn class(c: char) -> usize {
    match c {
        '0'..='9' | '\u{660}'..='\u{669}' | '\u{6f0}'..='\u{6f9}' => 0,
        '!' | '?' | '\u{61f}' | '\u{61b}' => 2,
        '"' => 3,
        '$' | '+' | '\\' | '\u{20ac}' | '\u{a3}' => 4,
        '%' | '\u{b0}' | '\u{66a}' => 5,
        '\'' | '\u{2019}' | '\u{2018}' | '\u{201c}' | '\u{201d}' | '\u{ab}' | '\u{bb}'
        | '\u{2039}' | '\u{203a}' => 6,
        '(' | '[' | '{' | '\u{201e}' | '\u{201a}' | '\u{bf}' | '\u{a1}' => 7,
        ')' | ']' => 8,
        ',' | '.' | '/' | ':' | ';' | '\u{60c}' => 9,
        '-' => 10,
        '|' | '\u{2013}' | '\u{2009}' => 11,
        '}' | '\u{3001}' | '\u{3002}' => 12,
        ' ' => SPACE,
        '\u{2014}' => 14,
        '\u{2026}' => 15,
        '\u{a0}' | '\u{202f}' | '\u{2011}' => 16,
        '\u{200b}' => 18,
        '\u{ad}' => 19,
        c if c.width() == Some(2) => WIDE,
        _ => ALPHABETIC,
    }
}

/// `PAIR[x] >> y & 1`: a line may break between a character of class `x` and one of
/// class `y` that follows it directly.
const PAIR: [u32; 20] = [
    0x24000, 0x24000, 0x240bb, 0x00000, 0x04038, 0x24038, 0x00000, 0x00000, 0x24080, 0x240ba,
    0x340ba, 0x340bb, 0x24083, 0x3ccfb, 0x200bb, 0x240bb, 0x00000, 0x2409b, 0x7dfff, 0xb40bb,
];

/// `AFTER_SPACE[x] >> y & 1`: a line may break after the spaces between a character of
/// class `x` and one of class `y`.
const AFTER_SPACE: [u32; 20] = [
    0x3ccfb, 0x3ccfb, 0x3ccfb, 0x3cc7b, 0x3ccfb, 0x3ccfb, 0x3cc7b, 0x00000, 0x3ccfb, 0x3ccfb,
    0x3ccfb, 0x3ccfb, 0x3ccfb, 0x3ccfb, 0x38cfb, 0x3ccfb, 0x3ccfb, 0x3ccfb, 0x3dfff, 0x3ccfb,
];

/// Whether a line may break before `chars[i]`.
fn may_break_before(chars: &[char], i: usize) -> bool {
    let next = chars[i];
    if i == 0 || next == ' ' || unicode_normalization::char::is_combining_mark(next) {
        return false;
    }
    // The character before, skipping combining marks (they take their base's class).
    let base = |mut j: usize| {
        while j > 0 && unicode_normalization::char::is_combining_mark(chars[j]) {
            j -= 1;
        }
        j
    };
    let before = base(i - 1);
    if chars[before] == ' ' {
        let mut j = before;
        while j > 0 && chars[j] == ' ' {
            j -= 1;
        }
        if chars[j] == ' ' {
            return false;
        }
        let x = class(chars[base(j)]);
        return AFTER_SPACE[x] >> class(next) & 1 == 1;
    }
    PAIR[class(chars[before])] >> class(next) & 1 == 1
}

/// Columns of an escaped piece of text.
fn columns(escaped: &str) -> usize {
    escaped.chars().map(|c| c.width().unwrap_or(0)).sum()
}

/// The pieces of one line of text (ending at a `\n` or at the end) between break
/// opportunities, each escaped.
fn pieces(portion: &str) -> Vec<String> {
    let chars: Vec<char> = portion.chars().collect();
    let mut out = Vec::new();
    let mut start = 0;
    for i in 1..chars.len() {
        if may_break_before(&chars, i) {
            out.push(escape(&chars[start..i].iter().collect::<String>()));
            start = i;
        }
    }
    out.push(escape(&chars[start..].iter().collect::<String>()));
    out
}

/// Writes `{prefix}{keyword} "value"`, wrapped as gettext wraps it (module documentation).
pub fn wrap_string(out: &mut String, prefix: &str, keyword: &str, value: &str) {
    let escaped = escape(value);
    let inner_newline = value
        .char_indices()
        .any(|(i, c)| c == '\n' && i + 1 < value.len());
    let head = columns(prefix) + keyword.len() + 3;
    if !inner_newline && head + columns(&escaped) <= PAGE_WIDTH {
        out.push_str(&format!("{prefix}{keyword} \"{escaped}\"\n"));
        return;
    }
    out.push_str(&format!("{prefix}{keyword} \"\"\n"));
    let room = PAGE_WIDTH.saturating_sub(columns(prefix) + 2);
    for portion in value.split_inclusive('\n') {
        let mut line = String::new();
        for piece in pieces(portion) {
            if !line.is_empty() && columns(&line) + columns(&piece) > room {
                out.push_str(&format!("{prefix}\"{line}\"\n"));
                line.clear();
            }
            line.push_str(&piece);
        }
        out.push_str(&format!("{prefix}\"{line}\"\n"));
    }
}

/// Lines of a comment made of words (`#:` references), each line as long as fits in
/// [`PAGE_WIDTH`], as gettext lays references out.
pub fn wrap_words(marker: &str, words: &[String]) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = marker.to_owned();
    for word in words {
        if line.len() > marker.len() && columns(&line) + 1 + columns(word) > PAGE_WIDTH {
            lines.push(std::mem::replace(&mut line, marker.to_owned()));
        }
        line.push(' ');
        line.push_str(word);
    }
    lines.push(line);
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wrapped(prefix: &str, keyword: &str, value: &str) -> String {
        let mut out = String::new();
        wrap_string(&mut out, prefix, keyword, value);
        out
    }

    // A string that fits stays on the keyword's line; at 80 columns it moves to
    // continuation lines of at most 79 columns, broken after a space.
    #[test]
    fn fits_on_one_line_up_to_79_columns() {
        let fits = format!("{} yyyy", "x".repeat(66));
        assert_eq!(wrapped("", "msgid", &fits), format!("msgid \"{fits}\"\n"));
        let long = format!("{} yyyy", "x".repeat(67));
        assert_eq!(
            wrapped("", "msgid", &long),
            format!("msgid \"\"\n\"{long}\"\n")
        );
        let longer = format!("{} yyyy", "x".repeat(73));
        assert_eq!(
            wrapped("", "msgstr", &longer),
            format!("msgstr \"\"\n\"{} \"\n\"yyyy\"\n", "x".repeat(73))
        );
        // The obsolete prefix counts.
        let obsolete = format!("{} yyyy", "x".repeat(64));
        assert!(wrapped("#~ ", "msgid", &obsolete).starts_with("#~ msgid \"\"\n#~ \"x"));
    }

    // Newlines inside a string always start a new line; a final one does not.
    #[test]
    fn newlines() {
        assert_eq!(
            wrapped("", "msgid", "a\nb"),
            "msgid \"\"\n\"a\\n\"\n\"b\"\n"
        );
        assert_eq!(wrapped("", "msgstr", "c\n"), "msgstr \"c\\n\"\n");
        assert_eq!(
            wrapped("", "msgid", "x\n\ny"),
            "msgid \"\"\n\"x\\n\"\n\"\\n\"\n\"y\"\n"
        );
    }

    // Links, paths and hyphenated words break where gettext breaks them, never inside a
    // number or before closing punctuation.
    #[test]
    fn break_opportunities() {
        let breaks = |text: &str| {
            let chars: Vec<char> = text.chars().collect();
            (1..chars.len())
                .filter(|&i| may_break_before(&chars, i))
                .map(|i| chars[..i].iter().collect::<String>())
                .collect::<Vec<_>>()
        };
        assert_eq!(breaks("de-identified"), ["de-"]);
        assert_eq!(breaks("12-34"), Vec::<String>::new());
        assert_eq!(breaks("[a](b/c.md)"), ["[a]", "[a](b/", "[a](b/c."]);
        assert_eq!(breaks("a (b) c"), ["a ", "a (b) "]);
        assert_eq!(breaks("mot\u{a0}: suite"), ["mot\u{a0}: "]);
        assert_eq!(breaks("( x"), Vec::<String>::new());
    }

    // References fill lines of at most 79 columns.
    #[test]
    fn references() {
        let refs: Vec<String> = (1..12)
            .map(|i| format!("guides/introduction.md:{}", i * 37))
            .collect();
        let lines = wrap_words("#:", &refs);
        assert_eq!(
            lines[0],
            "#: guides/introduction.md:37 guides/introduction.md:74"
        );
        assert!(lines.iter().all(|l| l.len() <= PAGE_WIDTH));
        assert_eq!(lines.len(), 6);
    }
}
