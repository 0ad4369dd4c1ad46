//! The guide pages, the home page, the primer chooser and the search page: the data each
//! handlebars template receives.

use anyhow::Result;
use comrak::Arena;
use serde::Serialize;
use serde_json::json;

use super::html::{HtmlRenderer, SearchSection};
use super::search::SearchEntry;
use super::{
    PageMeta, SiteFile, WebEdition, page_of_document, page_of_primer, page_of_questionnaire,
};
use crate::content::manifest::Editions;
use crate::content::markdown;
use crate::content::tailor::Filter;
use crate::layout::{Layout, relative_path};
use crate::register::{Variant, WorkingTemplate};

/// A page rendered to HTML.
#[derive(Debug, Clone)]
pub struct RenderedPage {
    /// Path relative to the site root.
    pub path: String,
    /// The whole page.
    pub html: String,
}

/// A guide page, with what the site gathers from it.
#[derive(Debug, Clone)]
pub struct GuidePage {
    /// The page.
    pub page: RenderedPage,
    /// Its sections, for the search index.
    pub search: Vec<SearchEntry>,
    /// Images it shows (paths relative to the sources folder).
    pub images: Vec<String>,
}

/// A link with its text.
#[derive(Debug, Clone, Serialize)]
pub struct Link {
    /// Where it goes, relative to the page.
    pub href: String,
    /// Its text.
    pub label: String,
}

/// The link from a site page to an output outside the site (a PDF): both paths are
/// relative to the output folder's root, so the link works in `output/` and in the bundle.
pub fn link_out_of_site(layout: &Layout, page: &str, output: &str) -> String {
    relative_path(layout.site_file(page).as_str(), output)
}

/// The page of one guide: the full edition, every tagged block labelled, with the level
/// switch when blocks are tagged by level.
pub fn guide_page(web: &WebEdition, i: usize) -> Result<GuidePage> {
    let site = web.site;
    let doc = &site.documents[i];
    let index = &doc.index;
    let path = page_of_document(&doc.id);
    let arena = Arena::new();
    let root = markdown::parse(&arena, &doc.text);
    let filter = Filter::all();
    let rendered = HtmlRenderer::new(doc, index, site, web, &filter, &path, root).render(root);
    let mut pdfs = vec![json!({
        "href": link_out_of_site(&site.language.layout, &path, &site.guide_output(doc, None)),
        "label": site.words.get("site.full-edition-pdf"),
        "level": "all",
    })];
    if doc.editions == Editions::Levels {
        for level in &site.manifest.levels {
            let id = level.id.get_ref();
            pdfs.push(json!({
                "href": link_out_of_site(&site.language.layout, &path, &site.guide_output(doc, Some(id))),
                "label": site.words.fill("site.level-edition-pdf", &[("level", &level.label)]),
                "level": id,
            }));
        }
    }
    let toc: Vec<Link> = index
        .anchors
        .iter()
        .filter(|a| a.level == 1)
        .map(|a| Link {
            href: format!("#{}", a.id),
            label: a.title.clone(),
        })
        .collect();
    let questionnaires: Vec<Link> = web
        .questionnaires
        .iter()
        .filter(|q| doc.questionnaire.as_deref() == Some(q.id.as_str()))
        .map(|q| Link {
            href: page_of_questionnaire(q),
            label: site.words.fill(
                "questionnaire.title",
                &[("title", &q.title), ("version", &q.version)],
            ),
        })
        .collect();
    let context = json!({
        "id": doc.id,
        "title": doc.front.title,
        "subtitle": doc.front.subtitle,
        "summary": doc.front.summary,
        "resource": doc.front.resource,
        "pdfs": pdfs,
        "toc": toc,
        "levels": rendered.has_levels.then(|| level_options(web)),
        "questionnaires": questionnaires,
        "body": rendered.body,
        "footnotes": rendered.footnotes,
    });
    let meta = PageMeta {
        path: path.clone(),
        title: doc.front.title.clone(),
        description: doc.front.summary.clone().unwrap_or_default(),
        scripts: vec!["site.js"],
    };
    let html = web.render_page("guide", &meta, &context)?;
    let search = search_entries(&path, &doc.front.title, rendered.sections);
    Ok(GuidePage {
        page: RenderedPage { path, html },
        search,
        images: rendered.images,
    })
}

/// The choices of the level switch: every level, then all.
fn level_options(web: &WebEdition) -> Vec<Link> {
    web.site
        .manifest
        .levels
        .iter()
        .map(|l| Link {
            href: l.id.get_ref().clone(),
            label: l.label.clone(),
        })
        .collect()
}

fn search_entries(page: &str, doc_title: &str, sections: Vec<SearchSection>) -> Vec<SearchEntry> {
    sections
        .into_iter()
        .filter(|s| !s.text.trim().is_empty() || !s.title.is_empty())
        .map(|s| SearchEntry {
            url: if s.anchor.is_empty() {
                page.to_owned()
            } else {
                format!("{page}#{}", s.anchor)
            },
            document: doc_title.to_owned(),
            title: if s.title.is_empty() {
                doc_title.to_owned()
            } else {
                s.title
            },
            text: s.text,
        })
        .collect()
}

/// The links of the primer grid: one row per role, one cell per stage.
fn primer_grid(web: &WebEdition, page: &str) -> serde_json::Value {
    let manifest = &web.site.manifest;
    let rows: Vec<serde_json::Value> = web
        .site
        .primer_intros
        .iter()
        .map(|(role, _)| {
            let cells: Vec<Link> = manifest
                .stages
                .iter()
                .map(|stage| Link {
                    href: relative_path(page, &page_of_primer(role, stage.id.get_ref())),
                    label: format!(
                        "{}: {}",
                        manifest.label_of(role).unwrap_or(role),
                        stage.label
                    ),
                })
                .collect();
            json!({"role": role, "label": manifest.label_of(role).unwrap_or(role), "cells": cells})
        })
        .collect();
    let stages: Vec<Link> = manifest
        .stages
        .iter()
        .map(|s| Link {
            href: s.id.get_ref().clone(),
            label: s.label.clone(),
        })
        .collect();
    json!({"stages": stages, "rows": rows})
}

/// The home page: every guide, the primer chooser, every questionnaire, the glossary.
pub fn index_page(web: &WebEdition) -> Result<SiteFile> {
    let site = web.site;
    let guides: Vec<serde_json::Value> = site
        .documents
        .iter()
        .map(|doc| {
            json!({
                "href": page_of_document(&doc.id),
                "title": doc.front.title,
                "subtitle": doc.front.subtitle,
                "summary": doc.front.summary,
                "resource": doc.front.resource,
            })
        })
        .collect();
    let glossary = site.documents.iter().find_map(|doc| {
        doc.index
            .anchors
            .iter()
            .find(|a| matches!(a.title.to_lowercase().as_str(), "glossary" | "key terms"))
            .map(|a| format!("{}#{}", page_of_document(&doc.id), a.id))
    });
    let context = json!({
        "title": site.manifest.title,
        "notice": site.manifest.notice,
        "guides": guides,
        "primers": (!site.primer_intros.is_empty()).then(|| primer_grid(web, &page_of_index())),
        "questionnaires": questionnaire_links(web),
        "working_templates": working_template_links(web),
        "glossary": glossary,
        "bundle": site.language.layout.bundle(site.manifest.id.get_ref(), site.manifest.edition.get_ref()).as_str(),
    });
    let meta = PageMeta {
        path: page_of_index(),
        title: web.site.words.get("site.home-title").to_owned(),
        description: web.site.words.get("site.home-description").to_owned(),
        scripts: vec!["site.js"],
    };
    Ok((
        meta.path.clone(),
        web.render_page("index", &meta, &context)?.into_bytes(),
    ))
}

/// Each working template's workbook and printable copy, and its worked example's, linked
/// from the site root to the folder beside it (`../working-templates/`); each entry has
/// an anchor (`#template-<id>`) that guides and questionnaires link to.
fn working_template_links(web: &WebEdition) -> Vec<serde_json::Value> {
    let layout = &web.site.language.layout;
    let link = |t: &WorkingTemplate, variant: Variant, extension: &str| {
        link_out_of_site(
            layout,
            &page_of_index(),
            &t.output(layout, variant, extension),
        )
    };
    let words = &web.site.words;
    web.working_templates
        .iter()
        .map(|t| {
            let example = t.example.as_ref().map(|_| {
                json!({
                    "pdf": link(t, Variant::Example, "pdf"),
                    "xlsx": link(t, Variant::Example, "xlsx"),
                    "pdf_label": words.get("site.example-pdf"),
                    "xlsx_label": words.get("site.example-xlsx"),
                })
            });
            json!({
                "anchor": super::working_template_anchor(&t.id),
                "title": t.title,
                "description": t.description,
                "xlsx": link(t, Variant::Blank, "xlsx"),
                "pdf": link(t, Variant::Blank, "pdf"),
                "example": example,
            })
        })
        .collect()
}

fn questionnaire_links(web: &WebEdition) -> Vec<serde_json::Value> {
    web.questionnaires
        .iter()
        .map(|q| {
            json!({
                "href": page_of_questionnaire(q),
                "title": q.title,
                "version": q.version,
                "description": q.description,
            })
        })
        .collect()
}

/// The home page, inside the site (`index.html`).
fn page_of_index() -> String {
    Layout::source().site_index().in_site().to_owned()
}

/// The chooser's map from `<role> <stage>` to the primer page, relative to `page`, as JSON
/// the page carries (`data-pages`): the script reads it instead of building paths.
fn primer_pages(web: &WebEdition, page: &str) -> String {
    let pages: std::collections::BTreeMap<String, String> = web
        .site
        .primer_targets()
        .iter()
        .map(|(role, stage)| {
            (
                format!("{role} {stage}"),
                relative_path(page, &page_of_primer(role, stage)),
            )
        })
        .collect();
    serde_json::to_string(&pages).expect("serialises")
}

/// The primer chooser: audience by stage.
pub fn primers_page(web: &WebEdition) -> Result<SiteFile> {
    let meta = PageMeta {
        path: Layout::source().site_primers().in_site().to_owned(),
        title: web.site.words.get("site.primers").to_owned(),
        description: web.site.words.get("site.primers-description").to_owned(),
        scripts: vec!["site.js"],
    };
    let context = json!({
        "grid": primer_grid(web, &meta.path),
        "pages": primer_pages(web, &meta.path),
    });
    Ok((
        meta.path.clone(),
        web.render_page("primers", &meta, &context)?.into_bytes(),
    ))
}

/// The search page; the index itself is `assets/search-index.js`.
pub fn search_page(web: &WebEdition) -> Result<SiteFile> {
    let meta = PageMeta {
        path: Layout::source().site_search().in_site().to_owned(),
        title: web.site.words.get("site.search").to_owned(),
        description: web.site.words.get("site.search-description").to_owned(),
        scripts: vec!["site.js", "search-index.js", "search.js"],
    };
    Ok((
        meta.path.clone(),
        web.render_page("search", &meta, &json!({}))?.into_bytes(),
    ))
}
