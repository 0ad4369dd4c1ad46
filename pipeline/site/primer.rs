//! Primer pages: the audience introduction filtered for the stage, then the key takeaways
//! and use cases gathered across the guides, then where to go next.
//!
//! The page renders the same [`PrimerPlan`] as the PDF primer (`Site::primer_plan`), so
//! both show the same introduction, takeaways and use cases.

use anyhow::Result;
use comrak::Arena;
use serde_json::json;

use super::html::HtmlRenderer;
use super::pages::{Link, RenderedPage, link_out_of_site};
use super::{PageMeta, WebEdition, page_of_document, page_of_primer};
use crate::content::markdown;
use crate::content::primer::{PlannedBlock, PrimerPlan};
use crate::layout::relative_path;

/// One gathered block: its document and its HTML.
struct Gathered {
    doc: usize,
    html: String,
}

/// The planned takeaways or use cases, rendered as HTML excerpts for `page`.
fn gather(
    web: &WebEdition,
    plan: &PrimerPlan,
    page: &str,
    blocks: &[PlannedBlock],
) -> Vec<Gathered> {
    let site = web.site;
    blocks
        .iter()
        .map(|block| {
            let doc = &site.documents[block.doc];
            let arena = Arena::new();
            let root = markdown::parse(&arena, &doc.text);
            let renderer = HtmlRenderer::new(doc, &doc.index, site, web, &plan.filter, page, root);
            Gathered {
                doc: block.doc,
                html: renderer.render_block_at(root, block.line),
            }
        })
        .collect()
}

/// The HTML of one gathered section, with a heading per source document.
fn section_html(web: &WebEdition, page: &str, heading: &str, blocks: &[Gathered]) -> String {
    if blocks.is_empty() {
        return String::new();
    }
    let mut html = format!("<h2>{}</h2>\n", super::html::escape(heading));
    let mut current = None;
    for block in blocks {
        if current != Some(block.doc) {
            let doc = &web.site.documents[block.doc];
            // The word is escaped with its placeholder, then the placeholder takes the link.
            let link = format!(
                "<a href=\"{}\">{}</a>",
                super::html::escape(&relative_path(page, &page_of_document(&doc.id))),
                super::html::escape(&doc.front.title)
            );
            let from =
                super::html::escape(web.site.words.get("primer.from")).replace("{guide}", &link);
            html.push_str(&format!("<h3>{from}</h3>\n"));
            current = Some(block.doc);
        }
        html.push_str(&block.html);
    }
    html
}

/// The page of the primer of a role and stage: its plan (the one the PDF primer renders)
/// in HTML.
pub fn primer_page(web: &WebEdition, plan: &PrimerPlan) -> Result<RenderedPage> {
    let site = web.site;
    let (role, stage) = (plan.role.as_str(), plan.stage.as_str());
    let intro = plan.intro;
    let path = page_of_primer(role, stage);
    let arena = Arena::new();
    let root = markdown::parse(&arena, &intro.text);
    let rendered =
        HtmlRenderer::new(intro, &intro.index, site, web, &plan.filter, &path, root).render(root);
    let takeaways = gather(web, plan, &path, &plan.takeaways);
    let use_cases = gather(web, plan, &path, &plan.use_cases);
    let mut body = rendered.body;
    body.push_str(&section_html(
        web,
        &path,
        web.site.words.get("site.key-takeaways"),
        &takeaways,
    ));
    body.push_str(&section_html(
        web,
        &path,
        web.site.words.get("site.use-cases"),
        &use_cases,
    ));
    let context = json!({
        "title": plan.title,
        "subtitle": plan.subtitle,
        "role": plan.role_label,
        "stage": plan.stage_label,
        "stages": stage_links(web, role, stage),
        "pdf": Link {
            href: link_out_of_site(
                &web.site.language.layout,
                &path,
                web.site.language.layout.primer(role, stage).as_str(),
            ),
            label: web.site.words.get("site.primer-pdf").to_owned(),
        },
        "body": body,
        "footnotes": rendered.footnotes,
        "next": next_links(web, &path),
        "counts": [takeaways.len(), use_cases.len()],
    });
    let meta = PageMeta {
        path: path.clone(),
        title: format!("{} · {}", plan.title, plan.stage_label),
        description: plan.subtitle.clone(),
        scripts: vec!["site.js"],
    };
    let html = web.render_page("primer", &meta, &context)?;
    Ok(RenderedPage { path, html })
}

/// The strip of stages at the top of a primer: the others link to their primer.
fn stage_links(web: &WebEdition, role: &str, stage: &str) -> Vec<serde_json::Value> {
    web.site
        .manifest
        .stages
        .iter()
        .map(|s| {
            let id = s.id.get_ref();
            json!({
                "label": s.label,
                "href": relative_path(&page_of_primer(role, stage), &page_of_primer(role, id)),
                "current": id == stage,
            })
        })
        .collect()
}

/// Where to go next: every guide of the toolkit.
fn next_links(web: &WebEdition, page: &str) -> Vec<serde_json::Value> {
    web.site
        .documents
        .iter()
        .map(|doc| {
            json!({
                "href": relative_path(page, &page_of_document(&doc.id)),
                "title": doc.front.title,
                "subtitle": doc.front.subtitle,
            })
        })
        .collect()
}
