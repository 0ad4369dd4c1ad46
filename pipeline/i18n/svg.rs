//! The text of SVG figures: every `<text>` element whose content is plain text (no child
//! elements) is a message, and a translated figure has each such content replaced by its
//! translation, escaped, with everything else (positions, colours, shapes) as it was.
//! Identical labels (a stage name that appears in several figures' cells) share one entry.

use std::ops::Range;

use super::Catalog;
use super::extract::Message;

/// A `<text>` element's plain content in an SVG text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FigureText {
    /// The content, unescaped and trimmed.
    pub text: String,
    /// Byte range of the raw content (between `>` and `</text>`).
    pub range: Range<usize>,
    /// Byte range of the element's opening tag (`<text ...>`).
    pub tag: Range<usize>,
    /// One-based line of the element.
    pub line: usize,
}

/// Every `<text>` element's plain content, in document order; elements holding other
/// elements (`<tspan>`) or only white space are left out.
pub fn figure_texts(svg: &str) -> Vec<FigureText> {
    let mut found = Vec::new();
    let mut at = 0;
    while let Some(start) = svg[at..].find("<text").map(|i| i + at) {
        let after_name = svg.as_bytes().get(start + 5).copied();
        let Some(open_end) = svg[start..].find('>').map(|i| i + start + 1) else {
            break;
        };
        at = open_end;
        // `<textPath` and the like are other elements; a self-closed `<text/>` is empty.
        if !matches!(after_name, Some(b' ' | b'>' | b'\n' | b'\t' | b'\r'))
            || svg[..open_end].ends_with("/>")
        {
            continue;
        }
        let Some(close) = svg[open_end..].find("</text>").map(|i| i + open_end) else {
            break;
        };
        at = close + "</text>".len();
        let raw = &svg[open_end..close];
        if raw.contains('<') {
            continue;
        }
        let text = unescape(raw.trim());
        if text.trim().is_empty() {
            continue;
        }
        found.push(FigureText {
            text,
            range: open_end..close,
            tag: start..open_end,
            line: crate::problem::line_of(svg, start),
        });
    }
    found
}

/// The messages of a figure; `rel` is its path inside the sources folder.
pub fn svg_messages(rel: &str, svg: &str) -> Vec<Message> {
    let mut messages: Vec<Message> = Vec::new();
    for text in figure_texts(svg) {
        let reference = format!("{rel}:{}", text.line);
        match messages.iter_mut().find(|m| m.msgid == text.text) {
            Some(message) => message.references.push(reference),
            None => messages.push(Message {
                msgctxt: None,
                msgid: text.text,
                references: vec![reference],
                notes: vec![
                    "figure text: keep it about as long as the English, it sits in a drawn box"
                        .to_owned(),
                ],
            }),
        }
    }
    messages
}

/// The figure with each text translated by `catalog` (escaped); returns it and the number
/// of texts left in English.
pub fn translate_svg(svg: &str, catalog: &Catalog) -> (String, usize) {
    let mut out = String::with_capacity(svg.len() + svg.len() / 4);
    let mut missing = 0;
    let mut at = 0;
    for text in figure_texts(svg) {
        let Some(translation) = catalog.get(None, &text.text) else {
            missing += 1;
            continue;
        };
        let translation = translation.trim();
        out.push_str(&svg[at..text.tag.start]);
        out.push_str(&label_tag(&svg[text.tag.clone()], translation));
        out.push_str(&escape(translation));
        at = text.range.end;
    }
    out.push_str(&svg[at..]);
    (out, missing)
}

/// The opening tag of a translated label: as it was, but for a label in Arabic script,
/// which is set in the Arabic face first (with the Latin one for any Latin letters in it).
/// The figures name one family for the whole drawing, and a label whose characters that
/// family lacks cannot be mapped back to its text in an accessible PDF.
fn label_tag(tag: &str, translation: &str) -> String {
    let arabic = translation.chars().any(|c| {
        matches!(c, '\u{0600}'..='\u{06FF}' | '\u{0750}'..='\u{077F}' | '\u{08A0}'..='\u{08FF}' | '\u{FB50}'..='\u{FDFF}' | '\u{FE70}'..='\u{FEFF}')
    });
    if !arabic {
        return tag.to_owned();
    }
    let mut tag = tag.to_owned();
    if let Some(at) = tag.find(" font-family=\"")
        && let Some(end) = tag[at + 14..].find('"')
    {
        tag.replace_range(at..at + 14 + end + 1, "");
    }
    tag.replacen(
        "<text",
        "<text font-family=\"Noto Sans Arabic, Noto Sans\"",
        1,
    )
}

/// XML text with its character and entity references resolved.
fn unescape(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let Some(end) = rest.find(';') else {
            break;
        };
        let name = &rest[1..end];
        let resolved = match name {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            _ => name
                .strip_prefix("#x")
                .or_else(|| name.strip_prefix("#X"))
                .and_then(|hex| u32::from_str_radix(hex, 16).ok())
                .or_else(|| name.strip_prefix('#').and_then(|d| d.parse().ok()))
                .and_then(char::from_u32),
        };
        match resolved {
            Some(c) => {
                out.push(c);
                rest = &rest[end + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Text as XML character data.
fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::po::{Entry, PoFile};

    const FIGURE: &str = "<svg>\n<text x=\"1\" font-size=\"12\">Step 1. Learn &amp; ask</text>\n<textPath>no</textPath>\n<text x=\"2\"><tspan>kept</tspan></text>\n<text x=\"3\">Develop</text>\n<rect/>\n<text x=\"4\"> Develop </text>\n<text/>\n</svg>\n";

    // Plain texts are messages (entities resolved, repeats merged); texts with child
    // elements, text paths and empty texts are not.
    #[test]
    fn figure_texts_are_messages() {
        let messages = svg_messages("guides/figures/a.svg", FIGURE);
        let ids: Vec<&str> = messages.iter().map(|m| m.msgid.as_str()).collect();
        assert_eq!(ids, ["Step 1. Learn & ask", "Develop"]);
        assert_eq!(
            messages[1].references,
            ["guides/figures/a.svg:5", "guides/figures/a.svg:7"]
        );
    }

    // A translated figure changes only the texts, escaped; a text without translation
    // stays English and is counted.
    #[test]
    fn figures_translate_in_place() {
        let mut po = PoFile::default();
        let mut entry = Entry::new(None, "Step 1. Learn & ask".to_owned());
        entry.msgstr = "Étape 1. Apprendre <et> demander".to_owned();
        po.entries.push(entry);
        let catalog = Catalog::new(po, "a.po");
        let (svg, missing) = translate_svg(FIGURE, &catalog);
        assert_eq!(missing, 2);
        assert!(svg.contains(">Étape 1. Apprendre &lt;et&gt; demander</text>"));
        assert!(svg.contains("<text x=\"3\">Develop</text>"));
        assert_eq!(
            svg.len() - FIGURE.len(),
            "Étape 1. Apprendre &lt;et&gt; demander".len() - "Step 1. Learn &amp; ask".len()
        );
        // A label in Arabic script is set in the Arabic face; others keep their tag.
        let mut po = PoFile::default();
        let mut entry = Entry::new(None, "Develop".to_owned());
        entry.msgstr = "التطوير".to_owned();
        po.entries.push(entry);
        let (svg, _) = translate_svg(FIGURE, &Catalog::new(po, "a.po"));
        let arabic = "<text font-family=\"Noto Sans Arabic, Noto Sans\" x=\"3\">التطوير</text>";
        assert!(svg.contains(arabic), "{svg}");
        assert!(svg.contains("<text x=\"1\" font-size=\"12\">Step 1."));
    }
}
