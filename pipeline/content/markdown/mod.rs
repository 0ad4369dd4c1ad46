//! The toolkit's Markdown: comrak's syntax tree, read once and rendered twice.
//!
//! - [`index`]: the load pass. It walks a document once, records its section anchors,
//!   and resolves and checks everything the renderers need (links, images, footnotes,
//!   tagged blocks), reporting problems with file and line. What it resolved is kept in
//!   the [`DocIndex`], so rendering has no error path.
//! - [`links`]: what a link or image URL points to.
//! - [`typst`]: Typst markup of one edition. Every piece of text goes through
//!   `escape_markup` or `escape_string`, so nothing a document says can become Typst markup
//!   or code: `#read("/etc/passwd")` prints as those characters.
//!
//! The web edition's HTML renderer (`crate::site::html`) reads the same index.

pub mod index;
pub mod links;
pub mod typst;

use comrak::nodes::{AstNode, NodeValue};
use comrak::{Arena, Options};

use crate::content::document::FRONT_MATTER_DELIMITER;
pub use index::{Anchor, BlockInfo, DocIndex, index_document};
pub use links::{LinkResolver, LinkTarget, normalize_path, parse_link};
pub use typst::{RenderTarget, Renderer};

type Node<'a> = &'a AstNode<'a>;

/// The comrak options of the toolkit's Markdown dialect: GFM plus footnotes, alerts,
/// TOML front matter, `:::` block directives and `{#id}` heading attributes.
pub fn markdown_options() -> Options<'static> {
    let mut options = Options::default();
    let ext = &mut options.extension;
    ext.strikethrough = true;
    ext.table = true;
    ext.autolink = true;
    ext.tasklist = true;
    ext.footnotes = true;
    ext.alerts = true;
    ext.block_directive = true;
    ext.header_attributes = true;
    ext.front_matter_delimiter = Some(FRONT_MATTER_DELIMITER.to_owned());
    options
}

/// Parses a document's text into a syntax tree allocated in `arena`.
pub fn parse<'a>(arena: &'a Arena<'a>, text: &str) -> Node<'a> {
    comrak::parse_document(arena, text, &markdown_options())
}

/// GitHub-style slug of a heading: lowercase, letters and digits kept, spaces to hyphens,
/// other characters dropped.
pub fn slugify(text: &str) -> String {
    let mut slug = String::new();
    for c in text.trim().chars() {
        if c.is_alphanumeric() {
            slug.extend(c.to_lowercase());
        } else if c == ' ' || c == '-' {
            slug.push('-');
        } else if c == '_' {
            slug.push('_');
        }
    }
    slug
}

/// Whether an explicit heading id is usable as an anchor, a Typst label and a PDF
/// named destination.
pub(crate) fn is_valid_anchor(id: &str) -> bool {
    !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// Plain text of a node's descendants (text and inline code).
pub fn plain_text<'a>(node: Node<'a>) -> String {
    let mut out = String::new();
    for d in node.descendants() {
        match &d.data().value {
            NodeValue::Text(t) => out.push_str(t),
            NodeValue::Code(c) => out.push_str(&c.literal),
            NodeValue::SoftBreak | NodeValue::LineBreak => out.push(' '),
            _ => {}
        }
    }
    out
}

pub(crate) fn line_of<'a>(node: Node<'a>) -> usize {
    node.data().sourcepos.start.line
}

/// Prose for readability: every paragraph (in lists, quotes and callouts too), one per
/// line; headings, tables and code are left out.
pub fn prose_text<'a>(root: Node<'a>) -> String {
    let mut out = String::new();
    for node in root.descendants() {
        if matches!(node.data().value, NodeValue::Paragraph) && !inside_table(node) {
            out.push_str(plain_text(node).trim());
            out.push('\n');
        }
    }
    out
}

/// The `:::` block that opens on `line`, if any.
pub fn block_at<'a>(root: Node<'a>, line: usize) -> Option<Node<'a>> {
    root.descendants().find(|node| {
        line_of(node) == line && matches!(node.data().value, NodeValue::BlockDirective(_))
    })
}

pub(crate) fn inside_table<'a>(node: Node<'a>) -> bool {
    node.ancestors()
        .any(|a| matches!(a.data().value, NodeValue::TableCell))
}
