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
    let mut notes = vec![
        "figure text: keep it about as long as the English, it sits in a drawn box".to_owned(),
    ];
    if mirrored(svg) {
        notes.push(
            "right-to-left editions show this figure mirrored: write left for right and right for left"
                .to_owned(),
        );
    }
    for text in figure_texts(svg) {
        let reference = format!("{rel}:{}", text.line);
        match messages.iter_mut().find(|m| m.msgid == text.text) {
            Some(message) => message.references.push(reference),
            None => messages.push(Message {
                msgctxt: None,
                msgid: text.text,
                references: vec![reference],
                notes: notes.clone(),
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
    without_attribute(tag, "font-family").replacen(
        "<text",
        "<text font-family=\"Noto Sans Arabic, Noto Sans\"",
        1,
    )
}

/// The attribute on a figure's root element that says its direction carries meaning (a
/// lifecycle that runs from first step to last, a timeline, a grid read in order): a
/// right-to-left edition shows it mirrored, first step on the right.
pub const MIRROR_ATTRIBUTE: &str = "data-mirror=\"rtl\"";

/// The figure as a right-to-left edition shows it: mirrored left to right when its root
/// element carries [`MIRROR_ATTRIBUTE`], as it is otherwise. The drawing goes into a group
/// that mirrors it about the middle of the view box; each text is mirrored back about its
/// own `x`, so that it stands at the mirrored place and still reads as written, and its
/// anchor swaps ends (a label that ran rightwards from a point now runs leftwards from the
/// mirrored point). Arrow heads drawn with `orient="auto"` markers follow their lines.
pub fn mirror_for_rtl(svg: &str) -> String {
    let Some((root_start, root_end)) = root_tag(svg) else {
        return svg.to_owned();
    };
    let root = &svg[root_start..root_end];
    let Some(close) = svg
        .rfind("</svg>")
        .filter(|_| root.contains(MIRROR_ATTRIBUTE))
    else {
        return svg.to_owned();
    };
    let Some(axis) = mirror_axis(root) else {
        return svg.to_owned();
    };
    // The figure's title and description stay the root's first children, where readers
    // and assistive technology look for them.
    let mut at = root_end;
    for element in ["title", "desc"] {
        let rest = svg[at..].trim_start();
        if rest.starts_with(&format!("<{element}"))
            && let Some(end) = rest.find(&format!("</{element}>"))
        {
            at = svg.len() - rest.len() + end + element.len() + 3;
        }
    }
    let mut out = String::with_capacity(svg.len() + svg.len() / 8);
    out.push_str(&svg[..at]);
    out.push_str(&format!(
        "<g transform=\"matrix(-1 0 0 1 {} 0)\">",
        number(axis)
    ));
    while let Some(start) = svg[at..close].find("<text").map(|i| i + at) {
        let Some(end) = svg[start..].find('>').map(|i| i + start) else {
            break;
        };
        let after_name = svg.as_bytes().get(start + 5).copied();
        out.push_str(&svg[at..start]);
        if matches!(after_name, Some(b' ' | b'\n' | b'\t' | b'\r')) {
            out.push_str(&mirrored_text_tag(&svg[start..end]));
        } else {
            out.push_str(&svg[start..end]);
        }
        at = end;
    }
    out.push_str(&svg[at..close]);
    out.push_str("</g>");
    out.push_str(&svg[close..]);
    out
}

/// Whether a figure asks to be mirrored in right-to-left editions.
pub fn mirrored(svg: &str) -> bool {
    root_tag(svg).is_some_and(|(start, end)| svg[start..end].contains(MIRROR_ATTRIBUTE))
}

/// The byte range of the root `<svg ...>` opening tag.
fn root_tag(svg: &str) -> Option<(usize, usize)> {
    let start = svg.find("<svg")?;
    let end = svg[start..].find('>')? + start + 1;
    Some((start, end))
}

/// Twice the middle of the root's view box (or of its width): the translation that,
/// with a scale of -1, mirrors the drawing onto itself.
fn mirror_axis(root: &str) -> Option<f64> {
    if let Some(view_box) = attribute(root, "viewBox") {
        let numbers: Vec<f64> = view_box
            .split([' ', ','])
            .filter(|n| !n.is_empty())
            .map(str::parse)
            .collect::<Result<_, _>>()
            .ok()?;
        if let [min_x, _, width, _] = numbers[..] {
            return Some(2.0 * min_x + width);
        }
        return None;
    }
    attribute(root, "width")?
        .trim_end_matches("px")
        .parse()
        .ok()
}

/// A `<text ...` opening tag (without its `>`) for the mirrored drawing: mirrored back
/// about its `x`, its anchor swapped.
fn mirrored_text_tag(tag: &str) -> String {
    let x: f64 = attribute(tag, "x")
        .and_then(|x| x.trim().parse().ok())
        .unwrap_or(0.0);
    let back = format!("matrix(-1 0 0 1 {} 0)", number(2.0 * x));
    let mut tag = tag.to_owned();
    let transform = match attribute(&tag, "transform") {
        Some(existing) => format!("{existing} {back}"),
        None => back,
    };
    tag = without_attribute(&tag, "transform");
    let anchor = match attribute(&tag, "text-anchor") {
        Some("middle") => "middle",
        Some("end") => "start",
        _ => "end",
    };
    tag = without_attribute(&tag, "text-anchor");
    let self_closed = tag.ends_with('/');
    let tag = tag.trim_end_matches('/');
    format!(
        "{tag} text-anchor=\"{anchor}\" transform=\"{transform}\"{}",
        if self_closed { "/" } else { "" }
    )
}

/// The value of `name="..."` in an opening tag.
fn attribute<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let key = format!(" {name}=\"");
    let start = tag.find(&key)? + key.len();
    let end = tag[start..].find('"')? + start;
    Some(&tag[start..end])
}

/// The opening tag without `name="..."`.
fn without_attribute(tag: &str, name: &str) -> String {
    let key = format!(" {name}=\"");
    let Some(start) = tag.find(&key) else {
        return tag.to_owned();
    };
    let Some(end) = tag[start + key.len()..].find('"') else {
        return tag.to_owned();
    };
    format!("{}{}", &tag[..start], &tag[start + key.len() + end + 1..])
}

/// A coordinate written without needless decimals.
fn number(value: f64) -> String {
    let text = format!("{value:.3}");
    text.trim_end_matches('0').trim_end_matches('.').to_owned()
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

    // A figure that asks for it is mirrored: the drawing about the middle of its view
    // box, each text back about its x with its anchor swapped; other figures stay as
    // they are.
    #[test]
    fn directed_figures_mirror_for_right_to_left() {
        let figure = "<svg viewBox=\"0 0 200 50\" data-mirror=\"rtl\">\n<title>Steps</title>\n<rect x=\"10\" y=\"0\" width=\"20\" height=\"10\"/>\n<text x=\"20\" y=\"5\" text-anchor=\"middle\">1</text>\n<text x=\"40.5\" y=\"5\">Start</text>\n<text x=\"60\" y=\"5\" text-anchor=\"end\" transform=\"rotate(5)\">End</text>\n</svg>\n";
        let mirrored = mirror_for_rtl(figure);
        assert!(mirrored.starts_with("<svg viewBox=\"0 0 200 50\" data-mirror=\"rtl\">\n<title>Steps</title><g transform=\"matrix(-1 0 0 1 200 0)\">"), "{mirrored}");
        assert!(mirrored.ends_with("</g></svg>\n"), "{mirrored}");
        assert!(mirrored.contains("<text x=\"20\" y=\"5\" text-anchor=\"middle\" transform=\"matrix(-1 0 0 1 40 0)\">1</text>"), "{mirrored}");
        assert!(mirrored.contains("<text x=\"40.5\" y=\"5\" text-anchor=\"end\" transform=\"matrix(-1 0 0 1 81 0)\">Start</text>"), "{mirrored}");
        assert!(mirrored.contains("<text x=\"60\" y=\"5\" text-anchor=\"start\" transform=\"rotate(5) matrix(-1 0 0 1 120 0)\">End</text>"), "{mirrored}");
        assert!(mirrored.contains("<rect x=\"10\" y=\"0\" width=\"20\" height=\"10\"/>"));
        let plain = figure.replace(" data-mirror=\"rtl\"", "");
        assert_eq!(mirror_for_rtl(&plain), plain);
    }
}
