//! The load pass over one document: anchors, links, images, footnotes and tagged blocks,
//! each resolved and checked once, with problems reported at their line. The renderers
//! read what this pass resolved instead of parsing and checking again.

use std::collections::{HashMap, HashSet};

use comrak::Arena;
use comrak::nodes::NodeValue;

use super::links::{LinkTarget, parse_link, resolve_image};
use super::{Node, is_valid_anchor, line_of, parse, plain_text, prose_text, slugify};
use crate::content::document::Document;
use crate::content::manifest::Manifest;
use crate::content::tailor::{BlockKind, Directive, Tags, parse_directive};
use crate::problem::Problems;

/// A section anchor of a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Anchor {
    /// The anchor (`people-and-expertise`), also the Typst label and PDF named destination.
    pub id: String,
    /// The heading's text.
    pub title: String,
    /// Heading level, 1 for a chapter.
    pub level: u8,
    /// Line of the heading.
    pub line: usize,
}

/// A link found in a document, with what it points to when it could be parsed.
#[derive(Debug, Clone)]
pub struct RawLink {
    /// The URL as written.
    pub url: String,
    /// Line of the link.
    pub line: usize,
    /// Where it leads (`None` when the URL is not a link the toolkit understands; that is
    /// a problem of the load pass).
    pub target: Option<LinkTarget>,
}

/// A key takeaway or use case, where it is and whom it is for, for the primers.
#[derive(Debug, Clone)]
pub struct BlockInfo {
    /// Takeaway or use case.
    pub kind: BlockKind,
    /// Its own tags.
    pub tags: Tags,
    /// The tags of the `tagged` blocks around it, outermost first: an edition that drops
    /// one of them drops the block too.
    pub within: Vec<Tags>,
    /// Line of its `:::` opening, which identifies it in the document.
    pub line: usize,
}

impl BlockInfo {
    /// Whether an edition with this filter shows the block.
    pub fn admitted(&self, filter: &crate::content::tailor::Filter) -> bool {
        self.tags.matches(filter) && self.within.iter().all(|t| t.matches(filter))
    }
}

/// What the load pass found and resolved in one document.
#[derive(Debug, Clone, Default)]
pub struct DocIndex {
    /// Section anchors in document order.
    pub anchors: Vec<Anchor>,
    /// Links in document order.
    pub links: Vec<RawLink>,
    /// Prose paragraphs, one per line, for word counts and readability.
    pub prose: String,
    /// Where each link URL leads (URLs that parse).
    pub targets: HashMap<String, LinkTarget>,
    /// Each image URL's file, as a path relative to the sources folder (images found).
    pub images: HashMap<String, String>,
    /// Each `:::` directive's parsed kind, tags and title, by its info string.
    pub directives: HashMap<String, Directive>,
    /// The key takeaways and use cases, in document order.
    pub blocks: Vec<BlockInfo>,
}

impl DocIndex {
    /// The parsed directive of a `:::` block (every one was parsed by the load pass).
    pub fn directive(&self, info: &str) -> Option<&Directive> {
        self.directives.get(info)
    }

    /// The anchor of the heading that starts on `line`.
    pub fn anchor_at(&self, line: usize) -> Option<&str> {
        self.anchors
            .iter()
            .find(|a| a.line == line)
            .map(|a| a.id.as_str())
    }

    /// Whether the document has a section with this anchor.
    pub fn has_anchor(&self, id: &str) -> bool {
        self.anchors.iter().any(|a| a.id == id)
    }
}

/// Walks a document once: anchors, links, images, footnotes and tagged blocks, each
/// resolved; reports what is wrong.
pub fn index_document(
    doc: &Document,
    manifest: &Manifest,
    sources: &std::path::Path,
    problems: &mut Problems,
) -> DocIndex {
    let arena = Arena::new();
    let root = parse(&arena, &doc.text);
    let mut indexer = Indexer {
        doc,
        manifest,
        sources,
        problems,
        index: DocIndex::default(),
        used: HashSet::new(),
    };
    for node in root.descendants() {
        indexer.visit(root, node);
    }
    let mut index = indexer.index;
    index.prose = prose_text(root);
    index
}

/// One indexing pass over a document: what it found so far and where problems go.
struct Indexer<'d> {
    doc: &'d Document,
    manifest: &'d Manifest,
    sources: &'d std::path::Path,
    problems: &'d mut Problems,
    index: DocIndex,
    /// Heading ids taken so far.
    used: HashSet<String>,
}

impl<'a> Indexer<'_> {
    /// Records a problem at a line of the document.
    fn report(&mut self, line: usize, message: impl Into<String>) {
        self.problems.at(&self.doc.display_path, line, message);
    }

    /// Indexes and checks one node of the document whose root is `root`.
    fn visit(&mut self, root: Node<'a>, node: Node<'a>) {
        let line = line_of(node);
        let value = node.data().value.clone();
        match value {
            NodeValue::Heading(heading) => self.heading(node, heading.level, line),
            NodeValue::Link(link) => self.link(&link.url, line),
            NodeValue::Image(link) => self.image(node, &link.url, line),
            NodeValue::BlockDirective(directive) => self.directive(node, &directive.info, line),
            NodeValue::HtmlBlock(html) if !is_comment(&html.literal) => {
                self.report(
                    line,
                    "raw HTML is not supported in print; it would print as text",
                );
            }
            NodeValue::FootnoteReference(r) if !footnote_defined(root, &r.name) => {
                self.report(line, format!("footnote [^{}] has no definition", r.name));
            }
            _ => {}
        }
    }

    /// A heading: its anchor, a non-empty title, and no gap in the heading levels.
    fn heading(&mut self, node: Node<'a>, level: u8, line: usize) {
        let title = plain_text(node);
        let explicit = node.data().attrs.as_ref().and_then(|a| a.id.clone());
        let id = match explicit {
            Some(id) => self.explicit_heading_id(id, line),
            None => self.generated_heading_id(&title),
        };
        if title.trim().is_empty() {
            self.report(line, "empty heading");
        }
        // Tagged PDF (PDF/UA-1) needs heading levels without gaps.
        let previous = self
            .index
            .anchors
            .last()
            .map_or(self.doc.heading_base, |a| a.level);
        if level > previous + 1 {
            self.report(
                line,
                format!(
                    "heading level {level} follows level {previous}; use {} so the PDF outline has no gaps",
                    "#".repeat(usize::from(previous) + 1)
                ),
            );
        }
        self.index.anchors.push(Anchor {
            id,
            title,
            level,
            line,
        });
    }

    /// An id written by the author (`{#id}`): usable as an anchor and not taken.
    fn explicit_heading_id(&mut self, id: String, line: usize) -> String {
        if !is_valid_anchor(&id) {
            self.report(
                line,
                format!("heading id {id:?} must use only ASCII letters, digits, - and _"),
            );
        }
        if !self.used.insert(id.clone()) {
            self.report(line, format!("duplicate heading id {id:?}"));
        }
        id
    }

    /// The slug of a heading's title, numbered (`-1`, `-2`) when already taken.
    fn generated_heading_id(&mut self, title: &str) -> String {
        let base = slugify(title);
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
        id
    }

    /// A link: what it points to (checked against the other documents once all are loaded).
    fn link(&mut self, url: &str, line: usize) {
        let target = match parse_link(&self.doc.rel_path, url) {
            Ok(target) => {
                self.index.targets.insert(url.to_owned(), target.clone());
                Some(target)
            }
            Err(message) => {
                self.report(line, message);
                None
            }
        };
        self.index.links.push(RawLink {
            url: url.to_owned(),
            line,
            target,
        });
    }

    /// An image: a file inside the sources folder, and alt text.
    fn image(&mut self, node: Node<'a>, url: &str, line: usize) {
        match resolve_image(self.doc, url, self.sources) {
            Ok(path) => {
                self.index.images.insert(url.to_owned(), path);
            }
            Err(message) => self.report(line, message),
        }
        if plain_text(node).trim().is_empty() {
            self.report(line, "image needs alt text (![what it shows](file.svg)): readers who cannot see it rely on it");
        }
    }

    /// A tagged block: a known directive naming only declared roles, stages and levels;
    /// a takeaway or use case is recorded with the tags of the blocks around it.
    fn directive(&mut self, node: Node<'a>, info: &str, line: usize) {
        let parsed = match parse_directive(info) {
            Ok(parsed) => parsed,
            Err(message) => return self.report(line, message),
        };
        for message in parsed.tags.unknown_ids(self.manifest) {
            self.report(line, message);
        }
        if matches!(parsed.kind, BlockKind::Takeaway | BlockKind::UseCase) {
            let mut within: Vec<Tags> = node
                .ancestors()
                .skip(1)
                .filter_map(|a| match &a.data().value {
                    NodeValue::BlockDirective(d) => parse_directive(&d.info).ok().map(|p| p.tags),
                    _ => None,
                })
                .collect();
            within.reverse();
            self.index.blocks.push(BlockInfo {
                kind: parsed.kind,
                tags: parsed.tags.clone(),
                within,
                line,
            });
        }
        self.index.directives.insert(info.to_owned(), parsed);
    }
}

fn footnote_defined<'a>(root: Node<'a>, name: &str) -> bool {
    root.descendants()
        .any(|n| matches!(&n.data().value, NodeValue::FootnoteDefinition(d) if d.name == name))
}

pub(crate) fn is_comment(html: &str) -> bool {
    let t = html.trim();
    t.starts_with("<!--") && t.ends_with("-->")
}
