//! Primer pages: the audience introduction filtered for the stage, then the key takeaways
//! and use cases gathered across the guides, then where to go next.
//!
//! The blocks are chosen by the same pure rule as the PDF primer
//! ([`crate::content::primer::choose_blocks`]): every block whose tags admit the role and
//! stage, the most specific first up to the manifest's caps, shown in toolkit order.

use anyhow::Result;
use comrak::Arena;
use serde_json::json;

use super::html::HtmlRenderer;
use super::pages::{Link, RenderedPage, link_out_of_site};
use super::{PageMeta, WebEdition, page_of_document, page_of_primer};
use crate::content::markdown;
use crate::content::primer::choose_blocks;
use crate::content::tailor::{BlockKind, Filter, Tags};
use crate::layout::{Layout, relative_path};

/// One gathered block: document index, tags and HTML.
struct Gathered {
    doc: usize,
    tags: Tags,
    html: String,
}

/// The takeaways or use cases of every document that the filter admits, capped as the
/// PDF primer caps them.
fn gather(
    web: &WebEdition,
    filter: &Filter,
    page: &str,
    kind: BlockKind,
    cap: usize,
) -> Vec<Gathered> {
    let site = web.site;
    let mut candidates = Vec::new();
    for (d, (doc, index)) in site.documents.iter().zip(&site.indices).enumerate() {
        let arena = Arena::new();
        let root = markdown::parse(&arena, &doc.text);
        let renderer = HtmlRenderer::new(doc, index, &site.manifest, web, filter, page, root);
        for (tags, html) in renderer.render_blocks(root, kind) {
            candidates.push(Gathered { doc: d, tags, html });
        }
    }
    let manifest = &site.manifest;
    let tags: Vec<&Tags> = candidates.iter().map(|g| &g.tags).collect();
    let chosen = choose_blocks(&tags, manifest.roles.len(), manifest.stages.len(), cap);
    let mut candidates: Vec<Option<Gathered>> = candidates.into_iter().map(Some).collect();
    let candidates: Vec<Gathered> = chosen
        .into_iter()
        .filter_map(|k| candidates[k].take())
        .collect();
    candidates
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
            html.push_str(&format!(
                "<h3>From <a href=\"{}\">{}</a></h3>\n",
                super::html::escape(&relative_path(page, &page_of_document(&doc.id))),
                super::html::escape(&doc.front.title)
            ));
            current = Some(block.doc);
        }
        html.push_str(&block.html);
    }
    html
}

/// The page of the primer of a role and stage.
pub fn primer_page(web: &WebEdition, role: &str, stage: &str) -> Result<RenderedPage> {
    let site = web.site;
    let manifest = &site.manifest;
    let (_, intro, intro_index) = site
        .primer_intros
        .iter()
        .find(|(r, _, _)| r == role)
        .expect("primer targets come from the loaded introductions");
    let path = page_of_primer(role, stage);
    let filter = Filter {
        role: Some(role.to_owned()),
        stage: Some(stage.to_owned()),
        level: None,
    };
    let arena = Arena::new();
    let root = markdown::parse(&arena, &intro.text);
    let rendered =
        HtmlRenderer::new(intro, intro_index, manifest, web, &filter, &path, root).render(root);
    let takeaways = gather(
        web,
        &filter,
        &path,
        BlockKind::Takeaway,
        manifest.primers.takeaways,
    );
    let use_cases = gather(
        web,
        &filter,
        &path,
        BlockKind::UseCase,
        manifest.primers.use_cases,
    );
    let mut body = rendered.body;
    body.push_str(&section_html(web, &path, "Key takeaways", &takeaways));
    body.push_str(&section_html(web, &path, "Use cases", &use_cases));
    let stage_label = manifest.label_of(stage).unwrap_or(stage);
    let role_label = manifest.label_of(role).unwrap_or(role);
    let subtitle = intro
        .front
        .subtitle
        .clone()
        .unwrap_or_else(|| format!("For {role_label} · stage: {stage_label}"));
    let context = json!({
        "title": intro.front.title,
        "subtitle": subtitle,
        "role": role_label,
        "stage": stage_label,
        "stages": stage_links(web, role, stage),
        "pdf": Link {
            href: link_out_of_site(&path, Layout::source().primer(role, stage).as_str()),
            label: "This primer (PDF)".to_owned(),
        },
        "body": body,
        "footnotes": rendered.footnotes,
        "next": next_links(web, &path),
        "counts": [takeaways.len(), use_cases.len()],
    });
    let meta = PageMeta {
        path: path.clone(),
        title: format!("{} · {stage_label}", intro.front.title),
        description: subtitle,
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
