//! Markdown to Typst markup, by walking comrak's syntax tree.
//!
//! Every piece of text goes through [`escape_markup`] or [`escape_string`], so nothing a
//! document says can become Typst markup or code: `#read("/etc/passwd")` prints as those
//! characters. The generated markup calls functions of the guide template (`callout`,
//! `tagged`, `takeaway`, `usecase`, `rule`) and Typst's own elements.
//!
//! Two passes share this module: [`index_document`] records a document's section anchors
//! and links and checks its images and tagged blocks (for `toolkit check` and link
//! resolution), and [`Renderer`] writes the markup of one edition.

use std::collections::{HashMap, HashSet};

use comrak::nodes::{
    AlertType, AstNode, ListType, NodeAlert, NodeCodeBlock, NodeList, NodeValue, TableAlignment,
};
use comrak::{Arena, Options};

use crate::content::document::{Document, FRONT_MATTER_DELIMITER};
use crate::content::manifest::Manifest;
use crate::content::tailor::{BlockKind, Filter, Tags, parse_directive};
use crate::problem::Problems;
use crate::typeset::{SOURCES_ROOT, escape_markup, escape_string};

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

/// A link found in a document, before resolution.
#[derive(Debug, Clone)]
pub struct RawLink {
    /// The URL as written.
    pub url: String,
    /// Line of the link.
    pub line: usize,
}

/// What a pass over a document found.
#[derive(Debug, Clone, Default)]
pub struct DocIndex {
    /// Section anchors in document order.
    pub anchors: Vec<Anchor>,
    /// Links in document order.
    pub links: Vec<RawLink>,
    /// Prose paragraphs, one per line, for word counts and readability.
    pub prose: String,
}

impl DocIndex {
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
fn is_valid_anchor(id: &str) -> bool {
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

fn line_of<'a>(node: Node<'a>) -> usize {
    node.data().sourcepos.start.line
}

/// Walks a document once: anchors, links, images, tagged blocks; reports what is wrong.
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
            NodeValue::Link(link) => self.index.links.push(RawLink {
                url: link.url.clone(),
                line,
            }),
            NodeValue::Image(link) => self.image(node, &link.url, line),
            NodeValue::BlockDirective(directive) => self.directive(&directive.info, line),
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

    /// An image: a file inside the sources folder, and alt text.
    fn image(&mut self, node: Node<'a>, url: &str, line: usize) {
        if let Err(message) = resolve_image(self.doc, url, self.sources) {
            self.report(line, message);
        }
        if plain_text(node).trim().is_empty() {
            self.report(line, "image needs alt text (![what it shows](file.svg)): readers who cannot see it rely on it");
        }
    }

    /// A tagged block: a known directive naming only declared roles, stages and levels.
    fn directive(&mut self, info: &str, line: usize) {
        match parse_directive(info) {
            Ok(parsed) => {
                for message in parsed.tags.unknown_ids(self.manifest) {
                    self.report(line, message);
                }
            }
            Err(message) => self.report(line, message),
        }
    }
}

fn footnote_defined<'a>(root: Node<'a>, name: &str) -> bool {
    root.descendants()
        .any(|n| matches!(&n.data().value, NodeValue::FootnoteDefinition(d) if d.name == name))
}

fn is_comment(html: &str) -> bool {
    let t = html.trim();
    t.starts_with("<!--") && t.ends_with("-->")
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

fn inside_table<'a>(node: Node<'a>) -> bool {
    node.ancestors()
        .any(|a| matches!(a.data().value, NodeValue::TableCell))
}

/// Resolves an image URL (relative to the document) to its virtual path under `/sources`.
pub fn resolve_image(
    doc: &Document,
    url: &str,
    sources: &std::path::Path,
) -> Result<String, String> {
    if url.contains("://") || url.starts_with('/') {
        return Err(format!(
            "image {url:?} must be a file in the sources folder, given relative to the document"
        ));
    }
    let ext = url.rsplit('.').next().unwrap_or("").to_ascii_lowercase();
    if !matches!(ext.as_str(), "svg" | "png" | "jpg" | "jpeg") {
        return Err(format!("image {url:?} must be SVG, PNG or JPEG"));
    }
    let base = doc
        .rel_path
        .rsplit_once('/')
        .map(|(dir, _)| dir)
        .unwrap_or("");
    let joined = normalize_path(&format!("{base}/{url}"))
        .ok_or_else(|| format!("image {url:?} points outside the sources folder"))?;
    if !sources.join(&joined).is_file() {
        return Err(format!(
            "image {url:?} not found (looked for {})",
            sources.join(&joined).display()
        ));
    }
    Ok(format!("{SOURCES_ROOT}/{joined}"))
}

/// Normalises a `/`-separated relative path, resolving `.` and `..`; `None` if it leaves the root.
pub fn normalize_path(path: &str) -> Option<String> {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    Some(parts.join("/"))
}

/// Where a link leads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkTarget {
    /// A web or mail address.
    External(String),
    /// A document of the toolkit (by its path relative to `sources/`), optionally a section.
    Section {
        /// The target document's path relative to the sources folder.
        doc_path: String,
        /// The section anchor, if any.
        anchor: Option<String>,
    },
}

/// Classifies a link written in `doc`.
pub fn parse_link(doc_rel_path: &str, url: &str) -> Result<LinkTarget, String> {
    let lower = url.to_ascii_lowercase();
    if lower.starts_with("http://") || lower.starts_with("https://") || lower.starts_with("mailto:")
    {
        return Ok(LinkTarget::External(url.to_owned()));
    }
    if let Some(anchor) = url.strip_prefix('#') {
        return Ok(LinkTarget::Section {
            doc_path: doc_rel_path.to_owned(),
            anchor: Some(anchor.to_owned()),
        });
    }
    let (path, anchor) = match url.split_once('#') {
        Some((p, a)) => (p, Some(a.to_owned())),
        None => (url, None),
    };
    if path.ends_with(".md") && !path.contains(':') {
        let base = doc_rel_path
            .rsplit_once('/')
            .map(|(dir, _)| dir)
            .unwrap_or("");
        let doc_path = normalize_path(&format!("{base}/{path}"))
            .ok_or_else(|| format!("link {url:?} points outside the sources folder"))?;
        return Ok(LinkTarget::Section { doc_path, anchor });
    }
    Err(format!(
        "cannot resolve link {url:?}: link to a section (#anchor), another document (file.md#anchor) or an http(s)/mailto address"
    ))
}

/// How the renderer resolves links: implemented by the site, which knows every document.
pub trait LinkResolver {
    /// The URL, relative to the output file `from_output` (for example
    /// `guides/principles-basic.pdf`), of a link to a document or section published
    /// elsewhere; an error names what is missing.
    fn resolve(&self, target: &LinkTarget, from_output: &str) -> Result<String, String>;
}

/// An edition being rendered: which blocks it keeps and where its PDF goes.
#[derive(Debug, Clone)]
pub struct RenderTarget<'r> {
    /// Blocks kept.
    pub filter: &'r Filter,
    /// Output path relative to the output folder, for relative links (`guides/x.pdf`).
    pub output: &'r str,
}

/// A takeaway or use case rendered on its own (for primers).
#[derive(Debug, Clone)]
pub struct RenderedBlock {
    /// Whom the block is for.
    pub tags: Tags,
    /// Its Typst markup.
    pub markup: String,
    /// Its prose, for readability.
    pub prose: String,
}

/// Writes the Typst markup of (part of) a document.
pub struct Renderer<'r, 'a> {
    doc: &'r Document,
    index: &'r DocIndex,
    manifest: &'r Manifest,
    sources: &'r std::path::Path,
    resolver: &'r dyn LinkResolver,
    target: RenderTarget<'r>,
    /// Anchors present in this output: links to them stay inside the PDF.
    present: HashSet<String>,
    footnotes: HashMap<String, Node<'a>>,
    footnotes_done: HashSet<String>,
    out: String,
    problems: Problems,
}

impl<'r, 'a> Renderer<'r, 'a> {
    /// A renderer for `doc` into `target`, over the tree rooted at `root`.
    pub fn new(
        doc: &'r Document,
        index: &'r DocIndex,
        manifest: &'r Manifest,
        sources: &'r std::path::Path,
        resolver: &'r dyn LinkResolver,
        target: RenderTarget<'r>,
        root: Node<'a>,
    ) -> Self {
        let mut footnotes = HashMap::new();
        for node in root.descendants() {
            if let NodeValue::FootnoteDefinition(def) = &node.data().value {
                footnotes.insert(def.name.clone(), node);
            }
        }
        let mut renderer = Renderer {
            doc,
            index,
            manifest,
            sources,
            resolver,
            target,
            present: HashSet::new(),
            footnotes,
            footnotes_done: HashSet::new(),
            out: String::new(),
            problems: Problems::default(),
        };
        renderer.collect_present(root);
        renderer
    }

    /// Records the anchors of the headings this edition keeps.
    fn collect_present(&mut self, node: Node<'a>) {
        match &node.data().value {
            NodeValue::BlockDirective(d)
                if !parse_directive(&d.info)
                    .map(|p| p.tags.matches(self.target.filter))
                    .unwrap_or(false) =>
            {
                return;
            }
            NodeValue::Heading(_) => {
                if let Some(anchor) = self.index.anchor_at(line_of(node)) {
                    self.present.insert(anchor.to_owned());
                }
            }
            _ => {}
        }
        for child in node.children() {
            self.collect_present(child);
        }
    }

    /// Renders the children of `node` as blocks and returns the markup and any problems.
    pub fn render_children(mut self, node: Node<'a>) -> (String, Problems) {
        self.blocks(node);
        (self.out, self.problems)
    }

    /// For excerpts published in another PDF (primers): every link to a section goes to
    /// the guide's PDF, since no section of this document is in the output.
    pub fn excerpt(mut self) -> Self {
        self.present.clear();
        self
    }

    /// Renders only the blocks of the given kinds that the filter keeps (looking inside
    /// kept `tagged` blocks too), each as its own markup, with its prose for readability.
    pub fn render_blocks(
        mut self,
        root: Node<'a>,
        kinds: &[BlockKind],
    ) -> (Vec<RenderedBlock>, Problems) {
        let mut blocks = Vec::new();
        self.find_blocks(root, kinds, &mut blocks);
        (blocks, self.problems)
    }

    fn find_blocks(
        &mut self,
        node: Node<'a>,
        kinds: &[BlockKind],
        blocks: &mut Vec<RenderedBlock>,
    ) {
        for child in node.children() {
            let value = child.data().value.clone();
            if let NodeValue::BlockDirective(directive) = value {
                let Ok(parsed) = parse_directive(&directive.info) else {
                    continue;
                };
                if !self.keeps(&parsed.tags) {
                    continue;
                }
                if kinds.contains(&parsed.kind) {
                    let start = self.out.len();
                    self.directive(child, &directive.info, line_of(child));
                    let markup = self.out.split_off(start);
                    blocks.push(RenderedBlock {
                        tags: parsed.tags,
                        markup,
                        prose: prose_text(child),
                    });
                    continue;
                }
            }
            self.find_blocks(child, kinds, blocks);
        }
    }

    /// Prose of what the filter keeps under `node`, for readability.
    pub fn kept_prose(&self, node: Node<'a>) -> String {
        let mut out = String::new();
        for child in node.children() {
            match &child.data().value {
                NodeValue::BlockDirective(d) => {
                    if parse_directive(&d.info)
                        .map(|p| self.keeps(&p.tags))
                        .unwrap_or(false)
                    {
                        out.push_str(&self.kept_prose(child));
                    }
                }
                NodeValue::Paragraph => {
                    out.push_str(plain_text(child).trim());
                    out.push('\n');
                }
                _ => out.push_str(&self.kept_prose(child)),
            }
        }
        out
    }

    /// Whether the edition's filter keeps a tagged block.
    pub fn keeps(&self, tags: &Tags) -> bool {
        tags.matches(self.target.filter)
    }

    fn blocks(&mut self, parent: Node<'a>) {
        for child in parent.children() {
            self.block(child);
        }
    }

    /// One block node as Typst markup.
    fn block(&mut self, node: Node<'a>) {
        let line = line_of(node);
        let value = node.data().value.clone();
        match value {
            NodeValue::Document => self.blocks(node),
            NodeValue::FrontMatter(_) | NodeValue::FootnoteDefinition(_) => {}
            NodeValue::Paragraph => self.paragraph(node),
            NodeValue::Heading(heading) => self.heading(node, heading.level, line),
            NodeValue::BlockQuote | NodeValue::MultilineBlockQuote(_) => {
                self.out.push_str("#quote(block: true)[\n");
                self.blocks(node);
                self.out.push_str("]\n\n");
            }
            NodeValue::Alert(alert) => self.alert(node, &alert),
            NodeValue::List(list) => self.list(node, &list),
            NodeValue::CodeBlock(code) => self.code_block(&code),
            NodeValue::HtmlBlock(html) => {
                if !is_comment(&html.literal) {
                    self.out.push_str(&escape_markup(html.literal.trim()));
                    self.out.push_str("\n\n");
                }
            }
            NodeValue::ThematicBreak => self.out.push_str("#rule()\n\n"),
            NodeValue::Table(table) => self.table(node, &table.alignments),
            NodeValue::BlockDirective(directive) => self.directive(node, &directive.info, line),
            _ => {
                // Inline content where a block was expected (should not happen with comrak's
                // tree); render it rather than lose it.
                self.inlines(node);
                self.out.push_str("\n\n");
            }
        }
    }

    /// A paragraph, or a figure when it holds nothing but an image.
    fn paragraph(&mut self, node: Node<'a>) {
        if let Some(image) = lone_image(node) {
            self.figure(image);
        } else {
            self.inlines(node);
        }
        self.out.push_str("\n\n");
    }

    /// A heading with the anchor the index gave it.
    fn heading(&mut self, node: Node<'a>, level: u8, line: usize) {
        let anchor = self.index.anchor_at(line).unwrap_or("section").to_owned();
        for _ in 0..level {
            self.out.push('=');
        }
        self.out.push(' ');
        self.inlines(node);
        self.out.push_str(&format!(" <{anchor}>\n\n"));
    }

    /// A GitHub-style alert (`> [!NOTE]`) as a callout.
    fn alert(&mut self, node: Node<'a>, alert: &NodeAlert) {
        let kind = match alert.alert_type {
            AlertType::Note => "note",
            AlertType::Tip => "tip",
            AlertType::Important => "important",
            AlertType::Warning => "warning",
            AlertType::Caution => "caution",
        };
        self.out.push_str(&format!("#callout(kind: \"{kind}\""));
        if let Some(title) = &alert.title {
            self.out
                .push_str(&format!(", title: \"{}\"", escape_string(title)));
        }
        self.out.push_str(")[\n");
        self.blocks(node);
        self.out.push_str("]\n\n");
    }

    /// A bullet or numbered list, one content argument per item.
    fn list(&mut self, node: Node<'a>, list: &NodeList) {
        let tight = if list.tight { "true" } else { "false" };
        match list.list_type {
            ListType::Bullet => self.out.push_str(&format!("#list(tight: {tight},\n")),
            ListType::Ordered => self
                .out
                .push_str(&format!("#enum(tight: {tight}, start: {},\n", list.start)),
        }
        for item in node.children() {
            self.list_item(item);
        }
        self.out.push_str(")\n\n");
    }

    /// One list item, with a tick box for task items and no trailing blank lines.
    fn list_item(&mut self, item: Node<'a>) {
        self.out.push_str("  [");
        if let NodeValue::TaskItem(task) = &item.data().value {
            self.out.push_str(if task.symbol.is_some() {
                "☑ "
            } else {
                "☐ "
            });
        }
        let start = self.out.len();
        self.blocks(item);
        let trimmed = self.out[start..].trim_end().len();
        self.out.truncate(start + trimmed);
        self.out.push_str("],\n");
    }

    /// A fenced or indented code block, with its language when given.
    fn code_block(&mut self, code: &NodeCodeBlock) {
        let lang = code.info.split_whitespace().next().unwrap_or("");
        self.out.push_str("#raw(block: true, ");
        if !lang.is_empty() {
            self.out
                .push_str(&format!("lang: \"{}\", ", escape_string(lang)));
        }
        self.out.push_str(&format!(
            "\"{}\")\n\n",
            escape_string(code.literal.trim_end_matches('\n'))
        ));
    }

    fn directive(&mut self, node: Node<'a>, info: &str, line: usize) {
        let parsed = match parse_directive(info) {
            Ok(parsed) => parsed,
            Err(message) => {
                self.problems.at(&self.doc.display_path, line, message);
                return;
            }
        };
        if !self.keeps(&parsed.tags) {
            return;
        }
        let badge = self.badge(&parsed.tags);
        let call = match parsed.kind {
            BlockKind::Tagged => format!("#tagged(badge: \"{}\")[\n", escape_string(&badge)),
            BlockKind::Takeaway => format!("#takeaway(badge: \"{}\")[\n", escape_string(&badge)),
            BlockKind::UseCase => format!(
                "#usecase(title: \"{}\", badge: \"{}\")[\n",
                escape_string(parsed.title.as_deref().unwrap_or("")),
                escape_string(&badge)
            ),
        };
        self.out.push_str(&call);
        self.blocks(node);
        self.out.push_str("]\n\n");
    }

    /// The reader-facing tags of a block, leaving out what the edition already fixes.
    fn badge(&self, tags: &Tags) -> String {
        let filter = self.target.filter;
        let shown = Tags {
            roles: if filter.role.is_some() {
                vec![]
            } else {
                tags.roles.clone()
            },
            stages: if filter.stage.is_some() {
                vec![]
            } else {
                tags.stages.clone()
            },
            levels: if filter.level.is_some() {
                vec![]
            } else {
                tags.levels.clone()
            },
        };
        shown.badge(self.manifest)
    }

    fn table(&mut self, node: Node<'a>, alignments: &[TableAlignment]) {
        let columns = alignments.len().max(1);
        let align: Vec<&str> = alignments
            .iter()
            .map(|a| match a {
                TableAlignment::Center => "center",
                TableAlignment::Right => "right",
                _ => "left",
            })
            .collect();
        self.out.push_str(&format!(
            "#table(columns: {columns}, align: ({},),\n",
            align.join(", ")
        ));
        for row in node.children() {
            let header = matches!(row.data().value, NodeValue::TableRow(true));
            self.out
                .push_str(if header { "  table.header(" } else { "  " });
            for cell in row.children() {
                self.out.push('[');
                self.inlines(cell);
                self.out.push_str("], ");
            }
            self.out.push_str(if header { "),\n" } else { "\n" });
        }
        self.out.push_str(")\n\n");
    }

    fn figure(&mut self, image: Node<'a>) {
        let NodeValue::Image(link) = image.data().value.clone() else {
            return;
        };
        let alt = plain_text(image);
        match resolve_image(self.doc, &link.url, self.sources) {
            Ok(path) => {
                self.out.push_str(&format!(
                    "#figure(image(\"{}\", alt: \"{}\")",
                    escape_string(&path),
                    escape_string(&alt)
                ));
                if !link.title.is_empty() {
                    self.out
                        .push_str(&format!(", caption: [{}]", escape_markup(&link.title)));
                }
                self.out.push(')');
            }
            Err(message) => self
                .problems
                .at(&self.doc.display_path, line_of(image), message),
        }
    }

    fn inlines(&mut self, parent: Node<'a>) {
        for child in parent.children() {
            self.inline(child);
        }
    }

    fn inline(&mut self, node: Node<'a>) {
        let value = node.data().value.clone();
        match value {
            NodeValue::Text(text) => self.out.push_str(&escape_markup(&text)),
            NodeValue::SoftBreak => self.out.push(' '),
            NodeValue::LineBreak => self.out.push_str("#linebreak()"),
            NodeValue::Code(code) => self
                .out
                .push_str(&format!("#raw(\"{}\")", escape_string(&code.literal))),
            NodeValue::Emph => self.wrap("#emph[", node),
            NodeValue::Strong => self.wrap("#strong[", node),
            NodeValue::Strikethrough => self.wrap("#strike[", node),
            NodeValue::Link(link) => self.link(node, &link.url),
            NodeValue::Image(link) => {
                let alt = plain_text(node);
                match resolve_image(self.doc, &link.url, self.sources) {
                    Ok(path) => self.out.push_str(&format!(
                        "#box(image(\"{}\", alt: \"{}\", height: 1em))",
                        escape_string(&path),
                        escape_string(&alt)
                    )),
                    Err(message) => {
                        self.problems
                            .at(&self.doc.display_path, line_of(node), message)
                    }
                }
            }
            NodeValue::FootnoteReference(reference) => {
                self.footnote(&reference.name, line_of(node))
            }
            NodeValue::HtmlInline(html) => {
                if !is_comment(&html) {
                    self.out.push_str(&escape_markup(&html));
                }
            }
            NodeValue::Paragraph => self.inlines(node),
            _ => self.inlines(node),
        }
    }

    fn wrap(&mut self, open: &str, node: Node<'a>) {
        self.out.push_str(open);
        self.inlines(node);
        self.out.push(']');
    }

    fn link(&mut self, node: Node<'a>, url: &str) {
        let line = line_of(node);
        let target = match parse_link(&self.doc.rel_path, url) {
            Ok(target) => target,
            Err(message) => {
                self.problems.at(&self.doc.display_path, line, message);
                self.inlines(node);
                return;
            }
        };
        let destination = match &target {
            LinkTarget::Section {
                doc_path,
                anchor: Some(anchor),
            } if *doc_path == self.doc.rel_path && self.present.contains(anchor) => {
                format!("<{anchor}>")
            }
            _ => match self.resolver.resolve(&target, self.target.output) {
                Ok(url) => format!("\"{}\"", escape_string(&url)),
                Err(message) => {
                    self.problems.at(&self.doc.display_path, line, message);
                    self.inlines(node);
                    return;
                }
            },
        };
        self.out.push_str(&format!("#link({destination})["));
        self.inlines(node);
        self.out.push(']');
    }

    fn footnote(&mut self, name: &str, line: usize) {
        let label = footnote_label(&self.doc.id, name);
        if self.footnotes_done.contains(name) {
            self.out.push_str(&format!("#footnote(<{label}>)"));
            return;
        }
        let Some(definition) = self.footnotes.get(name).copied() else {
            self.problems.at(
                &self.doc.display_path,
                line,
                format!("footnote [^{name}] has no definition"),
            );
            return;
        };
        self.footnotes_done.insert(name.to_owned());
        self.out.push_str("#footnote[");
        let start = self.out.len();
        self.blocks(definition);
        let trimmed = self.out[start..].trim_end().len();
        self.out.truncate(start + trimmed);
        self.out.push_str(&format!("]<{label}>"));
    }
}

/// The Typst label of a footnote: the colon keeps it apart from heading anchors.
fn footnote_label(doc_id: &str, name: &str) -> String {
    let clean: String = name
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect();
    let hash: u32 = name.bytes().fold(2166136261u32, |h, b| {
        (h ^ u32::from(b)).wrapping_mul(16777619)
    });
    format!("fn:{doc_id}:{clean}-{hash:08x}")
}

/// The image of a paragraph that holds nothing else (a figure).
fn lone_image<'a>(paragraph: Node<'a>) -> Option<Node<'a>> {
    let mut children = paragraph
        .children()
        .filter(|c| !matches!(&c.data().value, NodeValue::Text(t) if t.trim().is_empty()));
    let first = children.next()?;
    if children.next().is_some() {
        return None;
    }
    matches!(first.data().value, NodeValue::Image(_)).then_some(first)
}
