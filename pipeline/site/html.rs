//! Markdown to HTML for the web edition, by walking the same comrak tree as the PDFs.
//!
//! Headings carry the anchors the PDFs use ([`DocIndex::anchor_at`]), links between
//! documents go to `<id>.html#anchor`, tagged blocks become labelled `<div>`s with
//! `data-levels`, `data-roles` and `data-stages` (so the level switch can hide them and a
//! reader without JavaScript still sees whom each block is for), alerts become callouts,
//! footnotes are numbered and gathered at the end of the page, and every figure keeps its
//! alt text. Every piece of source text goes through [`escape`], so nothing a document
//! says can become markup. While it writes, the renderer also cuts the text into one
//! search entry per section.

use std::collections::HashMap;

use comrak::nodes::{AlertType, AstNode, ListType, NodeValue, TableAlignment};

use crate::content::Site;
use crate::content::document::Document;
use crate::content::markdown::{DocIndex, LinkTarget, plain_text};
use crate::content::tailor::{BlockKind, Directive, Filter};
use crate::layout::relative_path;

type Node<'a> = &'a AstNode<'a>;

/// Escapes text for HTML element content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Where pages and media of documents live in the site, for links and images.
pub trait SiteLinks {
    /// The page (relative to the site root) of the document at this source path.
    fn page_of(&self, doc_path: &str) -> Option<String>;
}

/// One section of a page, for the search index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchSection {
    /// The section's anchor (empty for the text before the first heading).
    pub anchor: String,
    /// The heading's text.
    pub title: String,
    /// The plain text of the section.
    pub text: String,
}

/// What rendering a document (or part of one) produced.
#[derive(Debug, Default)]
pub struct RenderedHtml {
    /// The HTML of the body.
    pub body: String,
    /// The HTML of the footnotes (an ordered list's items), empty when there are none.
    pub footnotes: String,
    /// Whether a block tagged by knowledge level was written.
    pub has_levels: bool,
    /// Sections for the search index.
    pub sections: Vec<SearchSection>,
    /// Images used, as paths relative to the sources folder.
    pub images: Vec<String>,
}

/// Writes the HTML of one document for one page.
pub struct HtmlRenderer<'r, 'a> {
    doc: &'r Document,
    index: &'r DocIndex,
    /// The site: its manifest (the labels of tags) and its words (labels of blocks).
    site: &'r Site,
    links: &'r dyn SiteLinks,
    filter: &'r Filter,
    /// The page being written, relative to the site root (`principles.html`).
    page: &'r str,
    /// Whether the document's own sections are on this page (false for primer excerpts).
    whole_document: bool,
    footnote_nodes: HashMap<String, Node<'a>>,
    footnote_numbers: HashMap<String, usize>,
    out: String,
    result: RenderedHtml,
}

impl<'r, 'a> HtmlRenderer<'r, 'a> {
    /// A renderer of `doc` onto `page`, keeping the blocks `filter` admits.
    pub fn new(
        doc: &'r Document,
        index: &'r DocIndex,
        site: &'r Site,
        links: &'r dyn SiteLinks,
        filter: &'r Filter,
        page: &'r str,
        root: Node<'a>,
    ) -> Self {
        let footnote_nodes = root
            .descendants()
            .filter_map(|node| match &node.data().value {
                NodeValue::FootnoteDefinition(def) => Some((def.name.clone(), node)),
                _ => None,
            })
            .collect();
        let whole_document = links.page_of(&doc.rel_path).as_deref() == Some(page);
        HtmlRenderer {
            doc,
            index,
            site,
            links,
            filter,
            page,
            whole_document,
            footnote_nodes,
            footnote_numbers: HashMap::new(),
            out: String::new(),
            result: RenderedHtml::default(),
        }
    }

    /// Renders every block under `node` the filter keeps.
    pub fn render(mut self, node: Node<'a>) -> RenderedHtml {
        self.blocks(node);
        self.finish()
    }

    /// Renders the takeaway or use case that opens on `line` on its own, with its
    /// footnotes: the excerpt a primer gathers (see `PrimerPlan`).
    pub fn render_block_at(mut self, root: Node<'a>, line: usize) -> String {
        let Some(node) = crate::content::markdown::block_at(root, line) else {
            return String::new();
        };
        let index = self.index;
        if let NodeValue::BlockDirective(d) = &node.data().value
            && let Some(parsed) = index.directive(&d.info)
        {
            self.directive(node, parsed);
        }
        let mut html = std::mem::take(&mut self.out);
        html.push_str(&self.take_footnotes());
        html
    }

    fn finish(mut self) -> RenderedHtml {
        self.result.body = std::mem::take(&mut self.out);
        for section in &mut self.result.sections {
            section.text = section
                .text
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ");
        }
        self.result
    }

    /// The footnotes gathered so far as a list, for an excerpt that stands alone.
    fn take_footnotes(&mut self) -> String {
        let notes = std::mem::take(&mut self.result.footnotes);
        if notes.is_empty() {
            return String::new();
        }
        format!("<ol class=\"footnotes\">{notes}</ol>\n")
    }

    fn blocks(&mut self, parent: Node<'a>) {
        for child in parent.children() {
            self.block(child);
        }
    }

    fn block(&mut self, node: Node<'a>) {
        let value = node.data().value.clone();
        match value {
            NodeValue::Document => self.blocks(node),
            NodeValue::FrontMatter(_) | NodeValue::FootnoteDefinition(_) => {}
            NodeValue::Paragraph => self.paragraph(node),
            NodeValue::Heading(heading) => self.heading(node, heading.level),
            NodeValue::BlockQuote | NodeValue::MultilineBlockQuote(_) => {
                self.out.push_str("<blockquote>\n");
                self.blocks(node);
                self.out.push_str("</blockquote>\n");
            }
            NodeValue::Alert(alert) => self.alert(node, alert.alert_type, alert.title.as_deref()),
            NodeValue::List(list) => self.list(node, list.list_type, list.start),
            NodeValue::CodeBlock(code) => {
                self.out.push_str("<pre><code>");
                self.text(code.literal.trim_end_matches('\n'));
                self.out.push_str("</code></pre>\n");
            }
            NodeValue::HtmlBlock(html) => {
                // Raw HTML is data, as in print: shown as text, comments dropped.
                let t = html.literal.trim();
                if !(t.starts_with("<!--") && t.ends_with("-->")) {
                    self.out.push_str("<p>");
                    self.text(t);
                    self.out.push_str("</p>\n");
                }
            }
            NodeValue::ThematicBreak => self.out.push_str("<hr>\n"),
            NodeValue::Table(table) => self.table(node, &table.alignments),
            NodeValue::BlockDirective(d) => {
                let index = self.index;
                if let Some(parsed) = index.directive(&d.info)
                    && parsed.tags.matches(self.filter)
                {
                    self.directive(node, parsed);
                }
            }
            _ => {
                self.out.push_str("<p>");
                self.inlines(node);
                self.out.push_str("</p>\n");
            }
        }
    }

    fn paragraph(&mut self, node: Node<'a>) {
        if let Some(image) = lone_image(node) {
            self.figure(image);
            return;
        }
        self.out.push_str("<p>");
        self.inlines(node);
        self.out.push_str("</p>\n");
        self.search_text(" ");
    }

    fn heading(&mut self, node: Node<'a>, level: u8) {
        let line = node.data().sourcepos.start.line;
        let anchor = self.index.anchor_at(line).unwrap_or("section").to_owned();
        let h = (level + 1).min(6);
        self.result.sections.push(SearchSection {
            anchor: anchor.clone(),
            title: plain_text(node).trim().to_owned(),
            text: String::new(),
        });
        self.out
            .push_str(&format!("<h{h} id=\"{}\">", escape(&anchor)));
        self.inlines(node);
        // The heading's own words are its title, not section text.
        if let Some(section) = self.result.sections.last_mut() {
            section.text.clear();
        }
        self.out.push_str(&format!("</h{h}>\n"));
    }

    fn alert(&mut self, node: Node<'a>, kind: AlertType, title: Option<&str>) {
        let class = match kind {
            AlertType::Note => "note",
            AlertType::Tip => "tip",
            AlertType::Important => "important",
            AlertType::Warning => "warning",
            AlertType::Caution => "caution",
        };
        let key = format!("callout.{class}");
        let default_title = self.site.words.get(&key);
        self.out.push_str(&format!(
            "<div class=\"callout callout-{class}\" role=\"note\">\n<p class=\"callout-title\">{}</p>\n",
            escape(title.unwrap_or(default_title))
        ));
        self.blocks(node);
        self.out.push_str("</div>\n");
    }

    fn list(&mut self, node: Node<'a>, kind: ListType, start: usize) {
        let close = match kind {
            ListType::Bullet => {
                self.out.push_str("<ul>\n");
                "</ul>\n"
            }
            ListType::Ordered => {
                if start == 1 {
                    self.out.push_str("<ol>\n");
                } else {
                    self.out.push_str(&format!("<ol start=\"{start}\">\n"));
                }
                "</ol>\n"
            }
        };
        for item in node.children() {
            self.out.push_str("<li>");
            if let NodeValue::TaskItem(task) = &item.data().value {
                self.out.push_str(if task.symbol.is_some() {
                    "☑ "
                } else {
                    "☐ "
                });
            }
            // Tight list items hold bare paragraphs: write their content without <p>.
            let tight = item
                .children()
                .all(|c| matches!(c.data().value, NodeValue::Paragraph | NodeValue::List(_)));
            for child in item.children() {
                if tight && matches!(child.data().value, NodeValue::Paragraph) {
                    self.inlines(child);
                    self.search_text(" ");
                } else {
                    self.block(child);
                }
            }
            self.out.push_str("</li>\n");
        }
        self.out.push_str(close);
    }

    fn directive(&mut self, node: Node<'a>, parsed: &Directive) {
        let tags = &parsed.tags;
        let class = match parsed.kind {
            BlockKind::Tagged => "tagged",
            BlockKind::Takeaway => "takeaway",
            BlockKind::UseCase => "usecase",
        };
        self.out.push_str(&format!("<div class=\"block {class}\""));
        for (name, list) in [
            ("roles", &tags.roles),
            ("stages", &tags.stages),
            ("levels", &tags.levels),
        ] {
            if !list.is_empty() {
                self.out
                    .push_str(&format!(" data-{name}=\"{}\"", escape(&list.join(" "))));
            }
        }
        self.result.has_levels |= !tags.levels.is_empty();
        self.out.push_str(">\n");
        let words = &self.site.words;
        let kind_label = words.get(match parsed.kind {
            BlockKind::Tagged => "block.for",
            BlockKind::Takeaway => "block.takeaway",
            BlockKind::UseCase => "block.use-case",
        });
        let badge = tags.badge(&self.site.manifest);
        let badge = match (parsed.kind, badge.is_empty()) {
            (_, true) => kind_label.to_owned(),
            (BlockKind::Tagged, false) => words.fill("block.for-tags", &[("tags", &badge)]),
            (_, false) => format!("{kind_label} · {badge}"),
        };
        self.out
            .push_str(&format!("<p class=\"badge\">{}</p>\n", escape(&badge)));
        if let Some(title) = &parsed.title {
            self.out.push_str(&format!(
                "<p class=\"block-title\"><strong>{}</strong></p>\n",
                escape(title)
            ));
        }
        self.blocks(node);
        self.out.push_str("</div>\n");
    }

    fn table(&mut self, node: Node<'a>, alignments: &[TableAlignment]) {
        let align = |i: usize| match alignments.get(i) {
            Some(TableAlignment::Center) => " class=\"center\"",
            Some(TableAlignment::Right) => " class=\"right\"",
            _ => "",
        };
        // A wide table scrolls inside its own box on a phone; the box is focusable so a
        // keyboard can scroll it too.
        self.out.push_str(
            &format!(
                "<div class=\"table-wrap\" role=\"region\" aria-label=\"{}\" tabindex=\"0\">\n<table>\n",
                escape(self.site.words.get("block.table"))
            ),
        );
        let mut body_open = false;
        for row in node.children() {
            let header = matches!(row.data().value, NodeValue::TableRow(true));
            if header {
                self.out.push_str("<thead><tr>");
            } else {
                if !body_open {
                    self.out.push_str("<tbody>\n");
                    body_open = true;
                }
                self.out.push_str("<tr>");
            }
            for (i, cell) in row.children().enumerate() {
                let tag = if header { "th scope=\"col\"" } else { "td" };
                self.out.push_str(&format!("<{tag}{}>", align(i)));
                self.inlines(cell);
                self.search_text(" ");
                self.out.push_str(if header { "</th>" } else { "</td>" });
            }
            self.out
                .push_str(if header { "</tr></thead>\n" } else { "</tr>\n" });
        }
        if body_open {
            self.out.push_str("</tbody>\n");
        }
        self.out.push_str("</table>\n</div>\n");
    }

    fn figure(&mut self, image: Node<'a>) {
        let NodeValue::Image(link) = image.data().value.clone() else {
            return;
        };
        let alt = plain_text(image);
        let Some(src) = self.image_src(&link.url) else {
            return;
        };
        self.out.push_str(&format!(
            "<figure>\n<img src=\"{}\" alt=\"{}\">\n",
            escape(&src),
            escape(&alt)
        ));
        if !link.title.is_empty() {
            self.out.push_str("<figcaption>");
            self.text(&link.title);
            self.out.push_str("</figcaption>\n");
        }
        self.out.push_str("</figure>\n");
    }

    /// The URL of an image from this page, recording it for copying into the site.
    fn image_src(&mut self, url: &str) -> Option<String> {
        let path = self.index.images.get(url)?.clone();
        if !self.result.images.contains(&path) {
            self.result.images.push(path.clone());
        }
        Some(relative_path(
            self.page,
            crate::layout::Layout::source().site_media(&path).in_site(),
        ))
    }

    fn inlines(&mut self, parent: Node<'a>) {
        for child in parent.children() {
            self.inline(child);
        }
    }

    fn inline(&mut self, node: Node<'a>) {
        let value = node.data().value.clone();
        match value {
            NodeValue::Text(text) => self.text(&text),
            NodeValue::SoftBreak => self.text(" "),
            NodeValue::LineBreak => self.out.push_str("<br>"),
            NodeValue::Code(code) => {
                self.out.push_str("<code>");
                self.text(&code.literal);
                self.out.push_str("</code>");
            }
            NodeValue::Emph => self.wrap("em", node),
            NodeValue::Strong => self.wrap("strong", node),
            NodeValue::Strikethrough => self.wrap("s", node),
            NodeValue::Link(link) => self.link(node, &link.url),
            NodeValue::Image(link) => {
                let alt = plain_text(node);
                if let Some(src) = self.image_src(&link.url) {
                    self.out.push_str(&format!(
                        "<img class=\"inline\" src=\"{}\" alt=\"{}\">",
                        escape(&src),
                        escape(&alt)
                    ));
                }
            }
            NodeValue::FootnoteReference(reference) => self.footnote(&reference.name),
            NodeValue::HtmlInline(html) => {
                if !html.trim_start().starts_with("<!--") {
                    self.text(&html);
                }
            }
            _ => self.inlines(node),
        }
    }

    /// Writes text escaped, and adds it to the current search section.
    fn text(&mut self, text: &str) {
        self.out.push_str(&escape(text));
        self.search_text(text);
    }

    fn search_text(&mut self, text: &str) {
        match self.result.sections.last_mut() {
            Some(section) => section.text.push_str(text),
            None => self.result.sections.push(SearchSection {
                anchor: String::new(),
                title: String::new(),
                text: text.to_owned(),
            }),
        }
    }

    fn wrap(&mut self, tag: &str, node: Node<'a>) {
        self.out.push_str(&format!("<{tag}>"));
        self.inlines(node);
        self.out.push_str(&format!("</{tag}>"));
    }

    fn link(&mut self, node: Node<'a>, url: &str) {
        let href = match self.index.targets.get(url) {
            Some(LinkTarget::External(url)) => Some(url.clone()),
            Some(LinkTarget::WorkingTemplate(id)) => {
                Some(super::working_template_href(self.page, id))
            }
            Some(LinkTarget::Section { doc_path, anchor }) => {
                // A primer introduction has no page of its own: it is on this one.
                let same_page = *doc_path == self.doc.rel_path
                    && (self.whole_document || self.links.page_of(doc_path).is_none());
                let page = if same_page {
                    Some(String::new())
                } else {
                    self.links
                        .page_of(doc_path)
                        .map(|target| relative_path(self.page, &target))
                };
                page.map(|page| match anchor {
                    Some(anchor) => format!("{page}#{anchor}"),
                    None if page.is_empty() => "#".to_owned(),
                    None => page,
                })
            }
            None => None,
        };
        match href {
            Some(href) => {
                self.out
                    .push_str(&format!("<a href=\"{}\">", escape(&href)));
                self.inlines(node);
                self.out.push_str("</a>");
            }
            None => self.inlines(node),
        }
    }

    fn footnote(&mut self, name: &str) {
        let prefix = &self.doc.id;
        if let Some(&n) = self.footnote_numbers.get(name) {
            self.out.push_str(&format!(
                "<sup class=\"fnref\"><a href=\"#fn-{prefix}-{n}\">{n}</a></sup>"
            ));
            return;
        }
        let Some(definition) = self.footnote_nodes.get(name).copied() else {
            return;
        };
        let n = self.footnote_numbers.len() + 1;
        self.footnote_numbers.insert(name.to_owned(), n);
        let words = &self.site.words;
        let number = n.to_string();
        let label = escape(&words.fill("footnote.ref", &[("n", &number)]));
        let back = escape(&words.fill("footnote.back", &[("n", &number)]));
        self.out.push_str(&format!(
            "<sup class=\"fnref\"><a href=\"#fn-{prefix}-{n}\" id=\"fnref-{prefix}-{n}\" aria-label=\"{label}\">{n}</a></sup>"
        ));
        let body = std::mem::take(&mut self.out);
        self.blocks(definition);
        let note = std::mem::replace(&mut self.out, body);
        self.result.footnotes.push_str(&format!(
            "<li id=\"fn-{prefix}-{n}\">{note}<a class=\"back\" href=\"#fnref-{prefix}-{n}\" aria-label=\"{back}\">↩</a></li>\n"
        ));
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    // Every character that could open markup or an attribute is escaped.
    #[test]
    fn escapes_markup_characters() {
        assert_eq!(
            escape("<script>\"a\" & 'b'</script>"),
            "&lt;script&gt;&quot;a&quot; &amp; &#39;b&#39;&lt;/script&gt;"
        );
    }
}
