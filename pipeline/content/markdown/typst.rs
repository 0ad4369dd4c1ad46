//! Typst markup of one edition of a document, from comrak's tree and the document's
//! index. The generated markup calls functions of the guide template (`callout`,
//! `tagged`, `takeaway`, `usecase`, `rule`) and Typst's own elements; every piece of text
//! is escaped. Everything the markup refers to (links, images, footnotes, tagged blocks)
//! was resolved by the load pass, so rendering cannot fail.

use std::collections::{HashMap, HashSet};

use comrak::nodes::{
    AlertType, ListType, NodeAlert, NodeCodeBlock, NodeList, NodeValue, TableAlignment,
};

/// The tick box that opens a checklist item.
const TICK_BOX: &str = "\u{2610}";

use super::index::{DocIndex, is_comment};
use super::links::{LinkResolver, LinkTarget};
use super::{Node, line_of, plain_text};
use crate::content::document::Document;
use crate::content::manifest::Manifest;
use crate::content::tailor::{BlockKind, Filter, Tags};
use crate::typeset::{SOURCES_ROOT, escape_markup, escape_string};

/// An edition being rendered: which blocks it keeps and where its PDF goes.
#[derive(Debug, Clone)]
pub struct RenderTarget<'r> {
    /// Blocks kept.
    pub filter: &'r Filter,
    /// Output path relative to the output folder, for relative links (`guides/x.pdf`).
    pub output: &'r str,
}

/// Writes the Typst markup of (part of) a document.
pub struct Renderer<'r, 'a> {
    doc: &'r Document,
    index: &'r DocIndex,
    manifest: &'r Manifest,
    resolver: &'r dyn LinkResolver,
    target: RenderTarget<'r>,
    /// Anchors present in this output: links to them stay inside the PDF.
    present: HashSet<String>,
    footnotes: HashMap<String, Node<'a>>,
    footnotes_done: HashSet<String>,
    out: String,
}

impl<'r, 'a> Renderer<'r, 'a> {
    /// A renderer for `doc` into `target`, over the tree rooted at `root`.
    pub fn new(
        doc: &'r Document,
        index: &'r DocIndex,
        manifest: &'r Manifest,
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
            resolver,
            target,
            present: HashSet::new(),
            footnotes,
            footnotes_done: HashSet::new(),
            out: String::new(),
        };
        renderer.collect_present(root);
        renderer
    }

    /// Records the anchors of the headings this edition keeps.
    fn collect_present(&mut self, node: Node<'a>) {
        match &node.data().value {
            NodeValue::BlockDirective(d)
                if !self
                    .index
                    .directive(&d.info)
                    .is_some_and(|p| p.tags.matches(self.target.filter)) =>
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

    /// Renders the children of `node` as blocks and returns the markup.
    pub fn render_children(mut self, node: Node<'a>) -> String {
        self.blocks(node);
        self.out
    }

    /// Renders the takeaway or use case that opens on `line` (see
    /// [`super::BlockInfo::line`]) on its own: the excerpt a primer gathers.
    pub fn render_block_at(mut self, root: Node<'a>, line: usize) -> String {
        if let Some(node) = super::block_at(root, line)
            && let NodeValue::BlockDirective(directive) = &node.data().value
        {
            self.directive(node, &directive.info.clone());
        }
        self.out
    }

    /// For excerpts published in another PDF (primers): every link to a section goes to
    /// the guide's PDF, since no section of this document is in the output.
    pub fn excerpt(mut self) -> Self {
        self.present.clear();
        self
    }

    /// Prose of what the filter keeps under `node`, for readability.
    pub fn kept_prose(&self, node: Node<'a>) -> String {
        let mut out = String::new();
        for child in node.children() {
            match &child.data().value {
                NodeValue::BlockDirective(d) => {
                    if self
                        .index
                        .directive(&d.info)
                        .is_some_and(|p| self.keeps(&p.tags))
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
            NodeValue::BlockDirective(directive) => self.directive(node, &directive.info),
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
            let start = self.out.len();
            self.inlines(node);
            // A paragraph that opens with a tick box is a checklist item: the template
            // hangs its wrapped lines under its text.
            if let Some(item) = self.out[start..].strip_prefix(TICK_BOX) {
                let item = format!("#tick[{}]", item.trim_start());
                self.out.truncate(start);
                self.out.push_str(&item);
            }
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

    fn directive(&mut self, node: Node<'a>, info: &str) {
        let Some(parsed) = self.index.directive(info) else {
            return;
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
        let Some(path) = self.index.images.get(&link.url) else {
            return;
        };
        self.out.push_str(&format!(
            "#figure(image(\"{}\", alt: \"{}\")",
            escape_string(&format!("{SOURCES_ROOT}/{path}")),
            escape_string(&alt)
        ));
        if !link.title.is_empty() {
            self.out
                .push_str(&format!(", caption: [{}]", escape_markup(&link.title)));
        }
        self.out.push(')');
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
                if let Some(path) = self.index.images.get(&link.url) {
                    self.out.push_str(&format!(
                        "#box(image(\"{}\", alt: \"{}\", height: 1em))",
                        escape_string(&format!("{SOURCES_ROOT}/{path}")),
                        escape_string(&alt)
                    ));
                }
            }
            NodeValue::FootnoteReference(reference) => self.footnote(&reference.name),
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
        let Some(target) = self.index.targets.get(url) else {
            self.inlines(node);
            return;
        };
        let destination = match target {
            LinkTarget::Section {
                doc_path,
                anchor: Some(anchor),
            } if *doc_path == self.doc.rel_path && self.present.contains(anchor) => {
                format!("<{anchor}>")
            }
            _ => format!(
                "\"{}\"",
                escape_string(&self.resolver.resolve(target, self.target.output))
            ),
        };
        self.out.push_str(&format!("#link({destination})["));
        self.inlines(node);
        self.out.push(']');
    }

    fn footnote(&mut self, name: &str) {
        let label = footnote_label(&self.doc.id, name);
        if self.footnotes_done.contains(name) {
            self.out.push_str(&format!("#footnote(<{label}>)"));
            return;
        }
        let Some(definition) = self.footnotes.get(name).copied() else {
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
