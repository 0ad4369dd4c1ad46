//! The web edition: a static website under `site/` built from the same sources and the
//! same question model as the PDFs and workbooks, that works opened from disk (`file://`)
//! and from any static host, with no request to anything outside its folder.
//!
//! [`build_site`] renders every page in parallel (rayon) and returns the files to write:
//! one page per guide (`<id>.html`, from the same comrak tree as the PDF, with the same
//! section anchors), a primer chooser and one page per primer (`primers/<role>-<stage>.html`),
//! one page per questionnaire version (`questionnaires/<id>-<version>.html`, with the
//! page contract of SPEC §9), a search page with an index built here, the images the
//! documents use, the stylesheet and scripts from `templates/site/assets/`, and the fonts.
//! Page templates are handlebars files in `templates/site/`; every value they print is
//! escaped unless it is HTML this module wrote.

pub mod html;
pub mod pages;
pub mod primer;
pub mod questionnaire;
pub mod search;

use std::collections::HashMap;
use std::path::Path;

use anyhow::{Context, Result};
use handlebars::Handlebars;
use rayon::prelude::*;
use serde::Serialize;

use crate::content::Site;
use crate::layout::{Layout, relative_path};
use crate::questionnaire::Questionnaire;
use crate::register::WorkingTemplate;
use html::SiteLinks;

/// Folder of the page templates and assets inside the templates folder.
pub const SITE_TEMPLATES_DIR: &str = "site";
/// Page templates and the partials they include, by name (`<name>.hbs` in `templates/site/`).
const PAGE_TEMPLATES: [&str; 9] = [
    "layout",
    "primer_grid",
    "guidance",
    "index",
    "guide",
    "primers",
    "primer",
    "questionnaire",
    "search",
];
/// Fonts of the templates folder that the site ships (the Latin faces; the PDFs embed
/// the others where a document needs them).
const SITE_FONTS: [&str; 5] = [
    "NotoSans-Regular.ttf",
    "NotoSans-Bold.ttf",
    "NotoSans-Italic.ttf",
    "NotoSans-BoldItalic.ttf",
    "LICENSE-OFL.txt",
];

/// Everything a page needs: the site, the questionnaires and the loaded templates.
pub struct WebEdition<'s> {
    /// The loaded sources.
    pub site: &'s Site,
    /// The questionnaire definitions.
    pub questionnaires: &'s [Questionnaire],
    /// The working templates, linked from the home page.
    pub working_templates: &'s [WorkingTemplate],
    /// Page templates.
    pub templates: Handlebars<'static>,
    /// Page of each document, by source path.
    pub pages: HashMap<String, String>,
}

impl SiteLinks for WebEdition<'_> {
    fn page_of(&self, doc_path: &str) -> Option<String> {
        self.pages.get(doc_path).cloned()
    }
}

/// One file of the site: path relative to the output folder (`site/...`) and bytes.
pub type SiteFile = (String, Vec<u8>);

impl<'s> WebEdition<'s> {
    /// Loads the page templates from `<templates>/site/`.
    pub fn new(
        site: &'s Site,
        questionnaires: &'s [Questionnaire],
        working_templates: &'s [WorkingTemplate],
        templates_dir: &Path,
    ) -> Result<Self> {
        let mut templates = Handlebars::new();
        templates.set_strict_mode(true);
        let dir = templates_dir.join(SITE_TEMPLATES_DIR);
        for name in PAGE_TEMPLATES {
            let path = dir.join(format!("{name}.hbs"));
            let text = std::fs::read_to_string(&path)
                .with_context(|| format!("failed to read the page template {}", path.display()))?;
            templates
                .register_template_string(name, text)
                .with_context(|| format!("page template {} has an error", path.display()))?;
        }
        templates.register_helper("t", Box::new(WordHelper(site.words.clone())));
        let pages = site
            .documents
            .iter()
            .map(|doc| (doc.rel_path.clone(), page_of_document(&doc.id)))
            .collect();
        Ok(WebEdition {
            site,
            questionnaires,
            working_templates,
            templates,
            pages,
        })
    }

    /// Renders a page: the page template with `context`, inside the layout.
    pub fn render_page<T: Serialize>(
        &self,
        template: &str,
        page: &PageMeta,
        context: &T,
    ) -> Result<String> {
        let body = self
            .templates
            .render(template, context)
            .with_context(|| format!("failed to render {}", page.path))?;
        let manifest = &self.site.manifest;
        let root = page.root();
        let layout = Layout::source();
        let link = |to: crate::layout::OutPath| relative_path(&page.path, to.in_site());
        let scripts: Vec<String> = page
            .scripts
            .iter()
            .map(|name| link(layout.site_asset(name)))
            .collect();
        let languages = self.language_links(&page.path);
        let layout = serde_json::json!({
            "languages": languages,
            "root": root,
            "stylesheet": link(layout.site_asset("site.css")),
            "home": link(layout.site_index()),
            "primers": link(layout.site_primers()),
            "search": link(layout.site_search()),
            "path": page.path,
            "title": page.title,
            "description": page.description,
            "lang": self.site.language.id,
            "dir": self.site.language.direction.name(),
            "toolkit": manifest.title,
            "edition": manifest.edition.get_ref(),
            "notice": manifest.notice,
            "scripts": scripts,
            "body": body,
        });
        self.templates
            .render("layout", &layout)
            .with_context(|| format!("failed to render the layout of {}", page.path))
    }
}

/// `{{t "key" name=value}}`: the fixed word of `key` in the page's language
/// (`templates/words.toml`), its `{name}` placeholders filled; escaped as any value.
struct WordHelper(crate::words::Words);

impl handlebars::HelperDef for WordHelper {
    fn call<'reg: 'rc, 'rc>(
        &self,
        h: &handlebars::Helper<'rc>,
        _: &'reg Handlebars<'reg>,
        _: &'rc handlebars::Context,
        _: &mut handlebars::RenderContext<'reg, 'rc>,
        out: &mut dyn handlebars::Output,
    ) -> handlebars::HelperResult {
        let key = h
            .param(0)
            .and_then(|p| p.value().as_str())
            .ok_or_else(|| handlebars::RenderErrorReason::ParamNotFoundForIndex("t", 0))?;
        let values: Vec<(String, String)> = h
            .hash()
            .iter()
            .map(|(name, value)| {
                let text = match value.value() {
                    serde_json::Value::String(s) => s.clone(),
                    other => other.to_string(),
                };
                (name.to_string(), text)
            })
            .collect();
        let pairs: Vec<(&str, &str)> = values
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect();
        out.write(&handlebars::html_escape(&self.0.fill(key, &pairs)))?;
        Ok(())
    }
}

impl WebEdition<'_> {
    /// The same page in every declared language (this one included, marked current):
    /// `lang`, the language's name in itself, the relative link and whether it is this
    /// page's language. Empty when the toolkit speaks one language.
    fn language_links(&self, page: &str) -> Vec<serde_json::Value> {
        let languages = self.site.manifest.languages();
        if languages.len() < 2 {
            return Vec::new();
        }
        let here = self.site.language.layout.site_file(page);
        languages
            .iter()
            .enumerate()
            .map(|(i, language)| {
                let layout = match i {
                    0 => Layout::source(),
                    _ => Layout::language(language.id()),
                };
                serde_json::json!({
                    "lang": language.id(),
                    "name": language.name,
                    "dir": language.direction.name(),
                    "href": here.link_to(&layout.site_file(page)),
                    "current": language.id() == self.site.language.id,
                })
            })
            .collect()
    }
}

/// What the layout needs to know about a page.
#[derive(Debug, Clone, Serialize)]
pub struct PageMeta {
    /// Path relative to the site root (`primers/legal-advisor-deploy.html`).
    pub path: String,
    /// The page's title (the toolkit's title is added after it).
    pub title: String,
    /// One sentence on what the page holds.
    pub description: String,
    /// Scripts of `assets/` the page loads, in order.
    pub scripts: Vec<&'static str>,
}

impl PageMeta {
    /// The relative path from the page back to the site root (`""` or `"../"`).
    pub fn root(&self) -> String {
        Layout::source().site_file(&self.path).site_root()
    }
}

/// The page of a document, inside the site (`<id>.html`; see [`Layout::site_document`]).
pub fn page_of_document(id: &str) -> String {
    Layout::source().site_document(id).in_site().to_owned()
}

/// The page of a questionnaire version, inside the site
/// (`questionnaires/<id>-<version>.html`).
pub fn page_of_questionnaire(q: &Questionnaire) -> String {
    Layout::source()
        .site_questionnaire(&q.slug())
        .in_site()
        .to_owned()
}

/// The link from `page` (inside the site) to a working template's entry on the home page,
/// where its workbook, printable copy and worked example are: `index.html#template-<id>`.
pub fn working_template_href(page: &str, id: &str) -> String {
    let home = Layout::source().site_index();
    format!(
        "{}#{}",
        relative_path(page, home.in_site()),
        working_template_anchor(id)
    )
}

/// The anchor of a working template's entry on the home page: `template-<id>`.
pub fn working_template_anchor(id: &str) -> String {
    format!("template-{id}")
}

/// The page of a primer, inside the site (`primers/<role>-<stage>.html`).
pub fn page_of_primer(role: &str, stage: &str) -> String {
    Layout::source()
        .site_primer(role, stage)
        .in_site()
        .to_owned()
}

/// Builds the whole web edition: every page, the search index, images, assets and fonts,
/// as files relative to the output folder, sorted by path.
pub fn build_site(
    site: &Site,
    questionnaires: &[Questionnaire],
    working_templates: &[WorkingTemplate],
    templates_dir: &Path,
) -> Result<Vec<SiteFile>> {
    let web = WebEdition::new(site, questionnaires, working_templates, templates_dir)?;
    let guides: Vec<pages::GuidePage> = (0..site.documents.len())
        .into_par_iter()
        .map(|i| pages::guide_page(&web, i))
        .collect::<Result<_>>()?;
    let primers: Vec<pages::RenderedPage> = site
        .primer_targets()
        .par_iter()
        .filter_map(|(role, stage)| site.primer_plan(role, stage))
        .map(|plan| primer::primer_page(&web, &plan))
        .collect::<Result<_>>()?;
    let forms: Vec<pages::RenderedPage> = questionnaires
        .par_iter()
        .map(|q| questionnaire::questionnaire_page(&web, q))
        .collect::<Result<_>>()?;

    let mut files: Vec<SiteFile> = Vec::new();
    let mut images: Vec<String> = Vec::new();
    let mut entries = Vec::new();
    for guide in &guides {
        files.push((
            guide.page.path.clone(),
            guide.page.html.clone().into_bytes(),
        ));
        entries.extend(guide.search.iter().cloned());
        for image in &guide.images {
            if !images.contains(image) {
                images.push(image.clone());
            }
        }
    }
    for page in primers.iter().chain(&forms) {
        files.push((page.path.clone(), page.html.clone().into_bytes()));
    }
    files.push(pages::index_page(&web)?);
    files.push(pages::primers_page(&web)?);
    files.push(pages::search_page(&web)?);
    files.push(search::index_script(&entries));
    for image in images {
        let path = site.sources_dir.join(&image);
        // A figure's labels are read in the edition's language.
        let bytes = match image.ends_with(".svg") {
            true => site
                .language
                .read(&site.sources_dir, &path)
                .map(String::into_bytes),
            false => std::fs::read(&path),
        }
        .with_context(|| format!("failed to read the image {}", path.display()))?;
        files.push((
            Layout::source().site_media(&image).in_site().to_owned(),
            bytes,
        ));
    }
    files.extend(static_files(templates_dir)?);
    let mut files: Vec<SiteFile> = files
        .into_iter()
        .map(|(path, bytes)| (site.language.layout.site_file(&path).into_string(), bytes))
        .collect();
    files.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(files)
}

/// The stylesheet and scripts (`templates/site/assets/`) and the fonts, under `assets/`.
fn static_files(templates_dir: &Path) -> Result<Vec<SiteFile>> {
    let assets = templates_dir.join(SITE_TEMPLATES_DIR).join("assets");
    let mut names: Vec<String> = std::fs::read_dir(&assets)
        .with_context(|| format!("failed to read {}", assets.display()))?
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    let mut files = Vec::new();
    for name in names {
        let path = assets.join(&name);
        let bytes =
            std::fs::read(&path).with_context(|| format!("failed to read {}", path.display()))?;
        files.push((
            Layout::source().site_asset(&name).in_site().to_owned(),
            bytes,
        ));
    }
    for font in SITE_FONTS {
        let path = templates_dir.join("fonts").join(font);
        let bytes =
            std::fs::read(&path).with_context(|| format!("failed to read {}", path.display()))?;
        files.push((
            Layout::source()
                .site_asset(&format!("fonts/{font}"))
                .in_site()
                .to_owned(),
            bytes,
        ));
    }
    Ok(files)
}
