//! A document cut into the pieces a translator translates, by comrak's source positions
//! (as mdbook-i18n-helpers cuts a book with pulldown-cmark's): every heading (its text,
//! without the `#` marks and the `{#anchor}`), paragraph (in lists, block quotes,
//! callouts, footnotes and `:::` blocks too), table cell, image alt text and title, the
//! `title="…"` of a `:::usecase`, and every string of the front matter. Each piece is the
//! Markdown source of the block, so inline markup (emphasis, links, code, footnote
//! references) stays in the translator's hands; the lines between pieces (list markers,
//! `>` marks, `:::` lines, table rules, code blocks) are kept as they are.
//!
//! [`translate_markdown`] puts translations back at the same places, which rebuilds the
//! document with the same structure: the continuation lines of a translated paragraph
//! get the prefix of its first line (`>` marks kept, list markers turned into spaces),
//! and a translated heading without an explicit anchor gets `{#…}` with the anchor its
//! English text gave, so links into the document still land.

use std::collections::HashSet;
use std::ops::Range;

use comrak::Arena;
use comrak::nodes::{AstNode, NodeValue, Sourcepos};

use super::Catalog;
use super::toml_text::{self, basic_string};
use crate::content::document::FRONT_MATTER_DELIMITER;
use crate::content::markdown::{parse, plain_text, slugify};

type Node<'a> = &'a AstNode<'a>;

/// What kind of block a piece comes from (told to translators as an extracted comment).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PieceKind {
    /// A front matter string, by key (`title`, `summary`).
    FrontMatter(String),
    /// A heading's text.
    Heading,
    /// A paragraph, and what holds it (`paragraph`, `list item`, `quotation`,
    /// `callout`, `footnote`).
    Paragraph(&'static str),
    /// A table cell.
    TableCell,
    /// An image's alt text.
    ImageAlt,
    /// An image's title (its caption).
    ImageTitle,
    /// A use case's `title="…"`.
    BlockTitle,
}

impl PieceKind {
    /// The note translators see (`#.`).
    pub fn note(&self) -> String {
        match self {
            PieceKind::FrontMatter(key) => format!("front matter: {key}"),
            PieceKind::Heading => "heading".into(),
            PieceKind::Paragraph(context) => (*context).into(),
            PieceKind::TableCell => "table cell".into(),
            PieceKind::ImageAlt => "image description (alt text)".into(),
            PieceKind::ImageTitle => "image caption".into(),
            PieceKind::BlockTitle => "use case title (one line; no double quotes)".into(),
        }
    }
}

/// One piece of a document to translate.
#[derive(Debug, Clone)]
pub struct Piece {
    /// Where it comes from.
    pub kind: PieceKind,
    /// Its source text: the msgid.
    pub text: String,
    /// Byte range in the document that a translation replaces.
    pub range: Range<usize>,
    /// One-based line where it starts.
    pub line: usize,
    /// Prefix of its continuation lines in a rebuilt document.
    pub continuation: String,
    /// For a heading without an explicit anchor: the anchor its text gives.
    pub anchor: Option<String>,
}

/// Byte offsets of a document's lines.
struct Lines<'t> {
    text: &'t str,
    starts: Vec<usize>,
}

impl<'t> Lines<'t> {
    fn new(text: &'t str) -> Lines<'t> {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Lines { text, starts }
    }

    /// Byte offset of a one-based line and byte column.
    fn offset(&self, line: usize, column: usize) -> usize {
        let start = self.starts.get(line.saturating_sub(1)).copied();
        start.map_or(self.text.len(), |s| {
            (s + column.saturating_sub(1)).min(self.text.len())
        })
    }

    /// The byte range a source position covers (its last character included).
    fn range(&self, pos: Sourcepos) -> Range<usize> {
        let start = self.offset(pos.start.line, pos.start.column);
        let mut end = self.offset(pos.end.line, pos.end.column) + 1;
        while end < self.text.len() && !self.text.is_char_boundary(end) {
            end += 1;
        }
        start..end.min(self.text.len()).max(start)
    }

    /// The text of a line, without its newline.
    fn line(&self, line: usize) -> &'t str {
        let start = self.offset(line, 1);
        let end = self
            .starts
            .get(line)
            .map_or(self.text.len(), |&next| next - 1);
        &self.text[start..end.max(start)]
    }
}

/// The pieces of a document to translate, in document order.
pub fn pieces(text: &str) -> Vec<Piece> {
    let arena = Arena::new();
    let root = parse(&arena, text);
    let lines = Lines::new(text);
    let mut out = front_matter_pieces(text);
    let mut anchors = Anchors::default();
    for node in root.descendants() {
        let pos = extent(node);
        match &node.data().value {
            NodeValue::Heading(heading) => {
                let anchor = anchors.next(node);
                out.extend(heading_piece(&lines, pos, heading.setext, anchor));
            }
            NodeValue::Paragraph if !inside_table(node) => {
                out.extend(paragraph_pieces(&lines, pos, container(node)));
            }
            NodeValue::TableCell => out.extend(cell_piece(&lines, pos)),
            NodeValue::BlockDirective(_) => out.extend(directive_title(&lines, pos.start.line)),
            _ => {}
        }
    }
    out.retain(|p| !p.text.trim().is_empty());
    out.sort_by_key(|p| p.range.start);
    out
}

/// A block's source position, its end taken as the furthest end of the block and its
/// inline content: comrak ends the last paragraph of a list that a `:::` line closes at
/// the fence's column, while its text nodes end where the text does.
fn extent<'a>(node: Node<'a>) -> Sourcepos {
    let mut pos = node.data().sourcepos;
    if matches!(
        node.data().value,
        NodeValue::Paragraph | NodeValue::Heading(_) | NodeValue::TableCell
    ) {
        for d in node.descendants() {
            let end = d.data().sourcepos.end;
            if (end.line, end.column) > (pos.end.line, pos.end.column) {
                pos.end = end;
            }
        }
    }
    pos
}

/// What holds a paragraph, for the note translators see.
fn container<'a>(node: Node<'a>) -> &'static str {
    match node.parent().map(|p| p.data().value.clone()) {
        Some(NodeValue::Item(_) | NodeValue::TaskItem(_)) => "list item",
        Some(NodeValue::BlockQuote | NodeValue::MultilineBlockQuote(_)) => "quotation",
        Some(NodeValue::Alert(_)) => "callout",
        Some(NodeValue::FootnoteDefinition(_)) => "footnote",
        _ => "paragraph",
    }
}

fn inside_table<'a>(node: Node<'a>) -> bool {
    node.ancestors()
        .any(|a| matches!(a.data().value, NodeValue::Table(_)))
}

/// The anchors of the headings, as the load pass gives them: explicit ones kept,
/// generated ones from the heading's text, numbered when taken.
#[derive(Default)]
struct Anchors {
    used: HashSet<String>,
}

impl Anchors {
    /// The generated anchor of this heading, or `None` when it has an explicit one.
    fn next<'a>(&mut self, node: Node<'a>) -> Option<String> {
        if let Some(id) = node.data().attrs.as_ref().and_then(|a| a.id.clone()) {
            self.used.insert(id);
            return None;
        }
        let base = slugify(&plain_text(node));
        let base = if base.is_empty() {
            "section".to_owned()
        } else {
            base
        };
        let mut id = base.clone();
        let mut n = 0;
        while self.used.contains(&id) {
            n += 1;
            id = format!("{base}-{n}");
        }
        self.used.insert(id.clone());
        Some(id)
    }
}

/// Front matter keys whose values are settings, kept out of the catalogues.
const NOT_TEXT_KEYS: [&str; 1] = ["layout"];

/// The strings of the front matter (between the `+++` lines at the top).
fn front_matter_pieces(text: &str) -> Vec<Piece> {
    let Some((start, end)) = front_matter_range(text) else {
        return Vec::new();
    };
    let Ok(strings) = toml_text::strings(&text[start..end]) else {
        return Vec::new();
    };
    let first_line = text[..start].matches('\n').count();
    strings
        .into_iter()
        // A setting the pipeline reads, not words for readers.
        .filter(|s| !NOT_TEXT_KEYS.contains(&s.key.as_str()))
        .map(|s| Piece {
            kind: PieceKind::FrontMatter(s.key),
            text: s.value,
            range: start + s.span.start..start + s.span.end,
            line: first_line + s.line,
            continuation: String::new(),
            anchor: None,
        })
        .collect()
}

/// Byte range of the TOML between the front matter's `+++` lines.
fn front_matter_range(text: &str) -> Option<(usize, usize)> {
    let bom = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let body = &text[bom..];
    let rest = body
        .strip_prefix(FRONT_MATTER_DELIMITER)?
        .strip_prefix('\n')
        .or_else(|| {
            body.strip_prefix(FRONT_MATTER_DELIMITER)?
                .strip_prefix("\r\n")
        })?;
    let start = text.len() - rest.len();
    let mut offset = start;
    for line in rest.split_inclusive('\n') {
        if line.trim_end() == FRONT_MATTER_DELIMITER {
            return Some((start, offset));
        }
        offset += line.len();
    }
    None
}

/// The continuation prefix that goes with the part of a first line before a block:
/// `>` marks kept, everything else (list markers, footnote labels) as spaces.
fn continuation_of(first_line_prefix: &str) -> String {
    first_line_prefix
        .chars()
        .map(|c| if c == '>' { '>' } else { ' ' })
        .collect()
}

/// A block's lines from `pos` with each continuation line's container prefix (spaces
/// and `>` marks up to the block's column) taken off.
fn block_text(lines: &Lines, range: &Range<usize>, column: usize) -> String {
    let source = &lines.text[range.clone()];
    let mut out = String::with_capacity(source.len());
    for (i, line) in source.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
            let mut skipped = 0;
            let mut rest = line;
            while skipped + 1 < column {
                match rest.strip_prefix([' ', '>', '\t']) {
                    Some(r) => rest = r,
                    None => break,
                }
                skipped += 1;
            }
            out.push_str(rest);
        } else {
            out.push_str(line);
        }
    }
    out.trim_end().to_owned()
}

/// A heading's text: after the `#` marks, before a closing `#` sequence and `{#anchor}`.
fn heading_piece(
    lines: &Lines,
    pos: Sourcepos,
    setext: bool,
    anchor: Option<String>,
) -> Option<Piece> {
    let line_start = lines.offset(pos.start.line, 1);
    let column = pos.start.column;
    if setext {
        let mut text_pos = pos;
        text_pos.end.line = pos.end.line.saturating_sub(1).max(pos.start.line);
        text_pos.end.column = lines.line(text_pos.end.line).len();
        let range = lines.range(text_pos);
        return Some(Piece {
            kind: PieceKind::Heading,
            text: block_text(lines, &range, column),
            continuation: continuation_of(&lines.text[line_start..range.start]),
            line: pos.start.line,
            range,
            anchor,
        });
    }
    let line = lines.line(pos.start.line);
    let marks_at = (column - 1).min(line.len());
    let after_marks = line[marks_at..].trim_start_matches('#');
    let content = after_marks.trim_start();
    let start = line.len() - content.len();
    let mut end_text = content.trim_end();
    if let Some(open) = end_text.rfind('{').filter(|_| end_text.ends_with('}'))
        && end_text[open..].starts_with("{#")
    {
        end_text = end_text[..open].trim_end();
    }
    let closing = end_text.trim_end_matches('#');
    if closing.len() < end_text.len() && (closing.is_empty() || closing.ends_with(' ')) {
        end_text = closing.trim_end();
    }
    let start = line_start + start;
    Some(Piece {
        kind: PieceKind::Heading,
        text: end_text.to_owned(),
        range: start..start + end_text.len(),
        line: pos.start.line,
        continuation: String::new(),
        anchor,
    })
}

/// A paragraph: one piece, or the alt text and title of an image standing alone.
fn paragraph_pieces(lines: &Lines, pos: Sourcepos, context: &'static str) -> Vec<Piece> {
    let range = lines.range(pos);
    let line_start = lines.offset(pos.start.line, 1);
    let continuation = continuation_of(&lines.text[line_start..range.start]);
    let text = block_text(lines, &range, pos.start.column);
    let piece = |kind: PieceKind, range: Range<usize>| Piece {
        kind,
        text: lines.text[range.clone()].to_owned(),
        line: pos.start.line,
        continuation: continuation.clone(),
        anchor: None,
        range,
    };
    if !text.contains('\n')
        && let Some((alt, title)) = image_parts(&lines.text[range.clone()])
    {
        let shift = |r: Range<usize>| range.start + r.start..range.start + r.end;
        let mut out = vec![piece(PieceKind::ImageAlt, shift(alt))];
        out.extend(title.map(|t| piece(PieceKind::ImageTitle, shift(t))));
        return out;
    }
    vec![Piece {
        kind: PieceKind::Paragraph(context),
        text,
        line: pos.start.line,
        continuation,
        anchor: None,
        range,
    }]
}

/// For a paragraph that is one image (`![alt](url "title")`), the byte ranges of its
/// alt text and title.
fn image_parts(source: &str) -> Option<(Range<usize>, Option<Range<usize>>)> {
    let bytes = source.as_bytes();
    if !source.starts_with("![") {
        return None;
    }
    let alt_end = closing(bytes, 2, b'[', b']')?;
    if bytes.get(alt_end + 1) != Some(&b'(') {
        return None;
    }
    let end = source.trim_end().len();
    if !source[..end].ends_with(')') {
        return None;
    }
    let inside = &source[alt_end + 2..end - 1];
    let inside_start = alt_end + 2;
    let destination = inside.trim_start();
    let skip = inside.len() - destination.len();
    let url_len = if destination.starts_with('<') {
        destination.find('>')? + 1
    } else {
        destination
            .find(char::is_whitespace)
            .unwrap_or(destination.len())
    };
    let after_url = &destination[url_len..];
    let title_part = after_url.trim();
    if title_part.is_empty() {
        return Some((2..alt_end, None));
    }
    let quote = title_part.chars().next()?;
    let close = match quote {
        '"' | '\'' => quote,
        '(' => ')',
        _ => return None,
    };
    if title_part.len() < 2 || !title_part.ends_with(close) {
        return None;
    }
    let title_start =
        inside_start + skip + url_len + (after_url.len() - after_url.trim_start().len()) + 1;
    let title_end = title_start + title_part.len() - 2;
    Some((2..alt_end, Some(title_start..title_end)))
}

/// The index of the bracket that closes the one opened before `from` (escapes skipped).
fn closing(bytes: &[u8], from: usize, open: u8, close: u8) -> Option<usize> {
    let mut depth = 1;
    let mut i = from;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 1,
            b if b == open => depth += 1,
            b if b == close => {
                depth -= 1;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// A table cell's text.
fn cell_piece(lines: &Lines, pos: Sourcepos) -> Option<Piece> {
    let range = lines.range(pos);
    let source = &lines.text[range.clone()];
    let trimmed = source.trim_start_matches('|').trim();
    if trimmed.is_empty() {
        return None;
    }
    let lead = source.find(trimmed)?;
    let start = range.start + lead;
    let text = trimmed.trim_end_matches('|').trim_end();
    Some(Piece {
        kind: PieceKind::TableCell,
        text: text.to_owned(),
        range: start..start + text.len(),
        line: pos.start.line,
        continuation: String::new(),
        anchor: None,
    })
}

/// The `title="…"` of a `:::` block's opening line.
fn directive_title(lines: &Lines, line: usize) -> Option<Piece> {
    let source = lines.line(line);
    let at = source.find("title=\"")? + "title=\"".len();
    let len = source[at..].find('"')?;
    let start = lines.offset(line, 1) + at;
    Some(Piece {
        kind: PieceKind::BlockTitle,
        text: source[at..at + len].to_owned(),
        range: start..start + len,
        line,
        continuation: String::new(),
        anchor: None,
    })
}

/// A document with every piece replaced by its translation in `catalog` (the English
/// kept where there is none), and the number of pieces left in English.
///
/// A translation is fitted to its place so it cannot break the document: one line for
/// a heading, a cell, an image's text and a use case title; no blank line in a
/// paragraph (it would split it); `|` escaped in a cell; in a use case title, `"`
/// becomes `'` and `:` is written `&#58;` (the Markdown parser ends a `:::` line at a
/// colon); an image title's closing delimiter escaped.
pub fn translate_markdown(text: &str, catalog: &Catalog) -> (String, usize) {
    let mut out = String::with_capacity(text.len() + text.len() / 4);
    let mut missing = 0;
    let mut at = 0;
    for piece in pieces(text) {
        let Some(translation) = catalog.get(None, &piece.text) else {
            missing += 1;
            continue;
        };
        out.push_str(&text[at..piece.range.start]);
        out.push_str(&fitted(text, &piece, translation.trim()));
        if let Some(anchor) = &piece.anchor {
            out.push_str(&format!(" {{#{anchor}}}"));
        }
        at = piece.range.end;
    }
    out.push_str(&text[at..]);
    (out, missing)
}

/// A translation as it can stand in the piece's place (see [`translate_markdown`]).
fn fitted(text: &str, piece: &Piece, translation: &str) -> String {
    let one_line = || translation.split_whitespace().collect::<Vec<_>>().join(" ");
    match &piece.kind {
        PieceKind::FrontMatter(_) => basic_string(translation),
        PieceKind::Paragraph(_) => {
            let joiner = format!("\n{}", piece.continuation);
            translation
                .lines()
                .map(str::trim_end)
                .filter(|l| !l.trim().is_empty())
                .collect::<Vec<_>>()
                .join(&joiner)
        }
        PieceKind::Heading | PieceKind::ImageAlt => one_line(),
        PieceKind::TableCell => escape_unescaped(&one_line(), '|'),
        PieceKind::ImageTitle => {
            let opening = text[..piece.range.start].chars().next_back();
            let closing = match opening {
                Some('(') => ')',
                Some('\'') => '\'',
                _ => '"',
            };
            escape_unescaped(&one_line(), closing)
        }
        PieceKind::BlockTitle => one_line().replace('"', "'").replace(':', "&#58;"),
    }
}

/// `text` with every `c` not already escaped by a backslash escaped.
fn escape_unescaped(text: &str, c: char) -> String {
    let mut out = String::with_capacity(text.len() + 4);
    let mut backslashes = 0;
    for ch in text.chars() {
        if ch == c && backslashes % 2 == 0 {
            out.push('\\');
        }
        backslashes = if ch == '\\' { backslashes + 1 } else { 0 };
        out.push(ch);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(text: &str) -> Vec<(PieceKind, String, usize)> {
        pieces(text)
            .into_iter()
            .map(|p| (p.kind, p.text, p.line))
            .collect()
    }

    // Headings lose their marks and anchors; paragraphs in lists and quotes lose their
    // container prefixes; image alt text and title, cells, use case titles and front
    // matter strings are pieces of their own.
    #[test]
    fn cuts_blocks() {
        let doc = "+++\ntitle = \"Guide\"\nresource = 1\n+++\n\n## Key terms {#key-terms}\n\nOne *line*[^n]\nand `two`.\n\n- item **a**\n  continued\n  - nested\n\n> quoted\n> more\n\n| A | B |\n|---|---|\n| x | `y` |\n\n![Alt *text*](img/a.svg \"The title\")\n\n:::usecase roles=a title=\"Case one\"\nBody.\n:::\n\n[^n]: Note\n    text.\n\n# Closed #\n";
        let got = texts(doc);
        let expected: Vec<(PieceKind, String, usize)> = vec![
            (PieceKind::FrontMatter("title".into()), "Guide".into(), 2),
            (PieceKind::Heading, "Key terms".into(), 6),
            (
                PieceKind::Paragraph("paragraph"),
                "One *line*[^n]\nand `two`.".into(),
                8,
            ),
            (
                PieceKind::Paragraph("list item"),
                "item **a**\ncontinued".into(),
                11,
            ),
            (PieceKind::Paragraph("list item"), "nested".into(), 13),
            (PieceKind::Paragraph("quotation"), "quoted\nmore".into(), 15),
            (PieceKind::TableCell, "A".into(), 18),
            (PieceKind::TableCell, "B".into(), 18),
            (PieceKind::TableCell, "x".into(), 20),
            (PieceKind::TableCell, "`y`".into(), 20),
            (PieceKind::ImageAlt, "Alt *text*".into(), 22),
            (PieceKind::ImageTitle, "The title".into(), 22),
            (PieceKind::BlockTitle, "Case one".into(), 24),
            (PieceKind::Paragraph("paragraph"), "Body.".into(), 25),
            (PieceKind::Paragraph("footnote"), "Note\ntext.".into(), 28),
            (PieceKind::Heading, "Closed".into(), 31),
        ];
        assert_eq!(got, expected);
    }

    fn catalog(pairs: &[(&str, &str)]) -> Catalog {
        let mut file = crate::i18n::po::PoFile::default();
        for (id, s) in pairs {
            let mut e = crate::i18n::po::Entry::new(None, (*id).to_owned());
            e.msgstr = (*s).to_owned();
            file.entries.push(e);
        }
        Catalog::new(file, "test.po")
    }

    // The last paragraph of a list closed by a `:::` line is whole (comrak ends it at the
    // fence's column; its text ends further).
    #[test]
    fn last_item_before_a_fence() {
        let doc = ":::tagged levels=basic\n- One item\n- Last item **here**\n:::\n";
        let texts: Vec<String> = pieces(doc).into_iter().map(|p| p.text).collect();
        assert_eq!(texts, ["One item", "Last item **here**"]);
    }

    // A setext heading's text is its first line; translated, it keeps its underline and
    // the anchor its English gave.
    #[test]
    fn setext_heading() {
        let doc = "Key terms\n=========\n\nText.\n";
        let found = pieces(doc);
        assert_eq!((found[0].text.as_str(), found[0].line), ("Key terms", 1));
        let (out, missing) = translate_markdown(doc, &catalog(&[("Key terms", "Termes clés")]));
        assert_eq!(missing, 1);
        assert_eq!(out, "Termes clés {#key-terms}\n=========\n\nText.\n");
        let arena = Arena::new();
        let root = parse(&arena, &out);
        let heading = root
            .descendants()
            .find(|n| matches!(n.data().value, NodeValue::Heading(_)))
            .unwrap();
        assert_eq!(
            heading
                .data()
                .attrs
                .as_ref()
                .and_then(|a| a.id.clone())
                .as_deref(),
            Some("key-terms")
        );
    }

    // Translations go back in place: continuation prefixes, generated anchors kept,
    // escapes where the place needs them; the English stays where none is given.
    #[test]
    fn rebuilds_in_place() {
        let doc = "## Key terms\n\n> A quote\n> on two lines.\n\n| a | b |\n|---|---|\n| x | y |\n\n:::usecase roles=r title=\"Case\"\nBody.\n:::\n\n![Alt](a.svg \"Title\")\n";
        let c = catalog(&[
            ("Key terms", "Termes clés"),
            ("A quote\non two lines.", "Une citation\n\nsur deux lignes."),
            ("x", "x | z"),
            ("Case", "Cas : \"achat\""),
            ("Title", "Le \"titre\""),
        ]);
        let (out, missing) = translate_markdown(doc, &c);
        assert_eq!(missing, 5, "{out}");
        assert_eq!(
            out,
            "## Termes clés {#key-terms}\n\n> Une citation\n> sur deux lignes.\n\n| a | b |\n|---|---|\n| x \\| z | y |\n\n:::usecase roles=r title=\"Cas &#58; 'achat'\"\nBody.\n:::\n\n![Alt](a.svg \"Le \\\"titre\\\"\")\n"
        );
        let arena = Arena::new();
        let root = parse(&arena, &out);
        let titles: Vec<String> = root
            .descendants()
            .filter_map(|n| match &n.data().value {
                NodeValue::BlockDirective(d) => Some(d.info.clone()),
                _ => None,
            })
            .collect();
        assert_eq!(titles, ["usecase roles=r title=\"Cas : 'achat'\""]);
        assert_eq!(translate_markdown(doc, &Catalog::default()).0, doc);
    }
}
