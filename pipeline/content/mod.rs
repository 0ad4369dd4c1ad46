//! The toolkit's content: the manifest, the Markdown documents, tailoring, and the
//! conversion of a document edition into Typst markup.
//!
//! [`Site::load`] reads and checks everything under `sources/` (manifest, front matter,
//! tags, images, links) before anything is typeset; [`Site::render`] turns one
//! [`Edition`] into markup for the guide template, and [`Site::render_primer`] (in
//! [`primer`]) assembles a primer's data.

pub mod document;
pub mod manifest;
pub mod markdown;
pub mod primer;
pub mod readability;
pub mod tailor;

use crate::language::Language;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

use comrak::Arena;

use crate::problem::Problems;
use document::Document;
use manifest::{Editions, Manifest};
use markdown::{DocIndex, LinkResolver, LinkTarget, RenderTarget, Renderer};

/// A document of the toolkit as loaded: its source and front matter, and what the load
/// pass resolved in it (anchors, links, images, tagged blocks). Reads as its
/// [`Document`].
#[derive(Debug)]
pub struct Doc {
    /// The source and front matter.
    pub source: Document,
    /// What the load pass found and resolved.
    pub index: DocIndex,
}

impl std::ops::Deref for Doc {
    type Target = Document;

    fn deref(&self) -> &Document {
        &self.source
    }
}
pub use primer::{GuideLink, Primer, PrimerBlock, PrimerData};
use tailor::Filter;

/// Folder of the audience introductions (`<role>.md`) inside the sources folder.
pub const PRIMERS_DIR: &str = "primers";

/// Everything under `sources/`, loaded and checked.
#[derive(Debug)]
pub struct Site {
    /// The language of this edition of the site, and where its outputs go.
    pub language: Language,
    /// The fixed words its outputs print, in its language (the shipped English until
    /// the project loads the templates folder's).
    pub words: crate::words::Words,
    /// The toolkit manifest.
    pub manifest: Manifest,
    /// The sources folder.
    pub sources_dir: PathBuf,
    /// Documents in manifest order.
    pub documents: Vec<Doc>,
    /// Audience introductions of the primers (`sources/primers/<role>.md`), by role id;
    /// empty when the toolkit has no primers.
    pub primer_intros: Vec<(String, Doc)>,
    /// The working templates' ids and titles (`sources/templates/`), which guides and
    /// questionnaires may link to (`template:incident-log`).
    pub working_templates: Vec<crate::register::TemplateName>,
    by_path: HashMap<String, usize>,
}

/// One PDF to publish from one document.
#[derive(Debug, Clone)]
pub struct Edition {
    /// Index of the document in [`Site::documents`].
    pub doc: usize,
    /// Which tagged blocks it keeps.
    pub filter: Filter,
    /// Output path relative to the output folder, with `/` separators.
    pub output: String,
    /// Reader-facing name of the edition (for example "Basic level edition"), if not the full one.
    pub label: Option<String>,
}

impl Site {
    /// Loads the manifest and every document, and checks tags, images and links.
    /// Returns every problem found, sorted by file and line.
    pub fn load(sources: &Path) -> Result<Site, Problems> {
        let manifest = Manifest::load(sources)?;
        let language = Language::source(&manifest.language);
        Self::load_language(sources, language)
    }

    /// Loads the edition of the site in `language`: every source file read through its
    /// translations (see [`Language::read`]), then checked as [`Site::load`] checks the
    /// source language's.
    pub fn load_language(sources: &Path, language: Language) -> Result<Site, Problems> {
        let manifest = Manifest::load_with(sources, &language)?;
        let mut problems = Problems::default();
        let mut documents = Vec::new();
        for entry in &manifest.documents {
            if let Some(doc) = Document::load(sources, entry, &language, &mut problems) {
                documents.push(doc);
            }
        }
        let documents: Vec<Doc> = documents
            .into_iter()
            .map(|source| {
                let index = markdown::index_document(&source, &manifest, sources, &mut problems);
                Doc { source, index }
            })
            .collect();
        let by_path = documents
            .iter()
            .enumerate()
            .map(|(i, d)| (d.rel_path.clone(), i))
            .collect();
        let primer_intros = load_primer_intros(sources, &manifest, &language, &mut problems);
        let working_templates = crate::register::catalogue(sources, &language);
        let site = Site {
            language,
            words: crate::words::Words::default(),
            manifest,
            sources_dir: sources.to_path_buf(),
            documents,
            primer_intros,
            working_templates,
            by_path,
        };
        let intros = site.primer_intros.iter().map(|(_, doc)| doc);
        for doc in site.documents.iter().chain(intros) {
            for link in &doc.index.links {
                if let Some(target) = &link.target
                    && let Err(message) = site.check_link(target)
                {
                    problems.at(&doc.display_path, link.line, message);
                }
            }
        }
        problems.into_result().map(|()| site)
    }

    /// A renderer of a document of this site into `target`.
    fn renderer<'r, 'a>(
        &'r self,
        doc: &'r Doc,
        target: RenderTarget<'r>,
        root: &'a comrak::nodes::AstNode<'a>,
    ) -> Renderer<'r, 'a> {
        Renderer::new(doc, &doc.index, &self.manifest, self, target, root)
    }

    /// The output path of a document's edition (see [`Layout::guide`]).
    pub fn guide_output(&self, doc: &Document, level: Option<&str>) -> String {
        self.language.layout.guide(&doc.id, level).into_string()
    }

    /// Every guide edition to publish, in manifest order.
    pub fn editions(&self) -> Vec<Edition> {
        let mut editions = Vec::new();
        for (i, doc) in self.documents.iter().enumerate() {
            editions.push(Edition {
                doc: i,
                filter: Filter::all(),
                output: self.guide_output(doc, None),
                label: None,
            });
            if doc.editions == Editions::Levels {
                for level in &self.manifest.levels {
                    let id = level.id.get_ref();
                    editions.push(Edition {
                        doc: i,
                        filter: Filter::level(id),
                        output: self.guide_output(doc, Some(id)),
                        label: Some(format!("{} edition", level.label)),
                    });
                }
            }
        }
        editions
    }

    /// The Typst markup of an edition's body (everything it refers to was checked on load).
    pub fn render(&self, edition: &Edition) -> String {
        let doc = &self.documents[edition.doc];
        let arena = Arena::new();
        let root = markdown::parse(&arena, &doc.text);
        let target = RenderTarget {
            filter: &edition.filter,
            output: &edition.output,
        };
        self.renderer(doc, target, root).render_children(root)
    }

    /// Every primer to publish: one per role and stage, when the toolkit has primers.
    pub fn primer_targets(&self) -> Vec<(String, String)> {
        let mut targets = Vec::new();
        for (role, _) in &self.primer_intros {
            for stage in self.manifest.stage_ids() {
                targets.push((role.clone(), stage.to_owned()));
            }
        }
        targets
    }

    /// The document with this id.
    pub fn document(&self, id: &str) -> Option<(&Document, &DocIndex)> {
        let doc = self.documents.iter().find(|d| d.id == id)?;
        Some((&doc.source, &doc.index))
    }

    /// The working template with this id, if the sources have one.
    pub fn working_template(&self, id: &str) -> Option<&crate::register::TemplateName> {
        self.working_templates.iter().find(|t| t.id == id)
    }

    /// Checks that `id` names a working template.
    fn check_working_template(&self, id: &str) -> Result<(), String> {
        if self.working_template(id).is_some() {
            return Ok(());
        }
        let ids: Vec<&str> = self
            .working_templates
            .iter()
            .map(|t| t.id.as_str())
            .collect();
        Err(format!(
            "unknown working template {id:?}; working templates: {}",
            ids.join(", ")
        ))
    }

    /// Checks a reference such as `roadmap#people-and-expertise` (document id, then
    /// optionally a section) or `template:incident-log` (a working template) as
    /// questionnaires write them.
    pub fn check_reference(&self, reference: &str) -> Result<(), String> {
        if let Some(id) = crate::register::referenced_id(reference) {
            return self.check_working_template(id);
        }
        let (id, anchor) = match reference.split_once('#') {
            Some((id, anchor)) => (id, Some(anchor)),
            None => (reference, None),
        };
        let (doc, index) = self.document(id).ok_or_else(|| {
            let ids: Vec<&str> = self.documents.iter().map(|d| d.id.as_str()).collect();
            format!(
                "unknown document {id:?} in {reference:?}; documents: {}",
                ids.join(", ")
            )
        })?;
        match anchor {
            Some(anchor) if !index.has_anchor(anchor) => Err(missing_anchor(doc, index, anchor)),
            _ => Ok(()),
        }
    }
}

/// Loads `sources/primers/<role>.md` for every role, when the folder exists.
fn load_primer_intros(
    sources: &Path,
    manifest: &Manifest,
    language: &Language,
    problems: &mut Problems,
) -> Vec<(String, Doc)> {
    let dir = sources.join(PRIMERS_DIR);
    if !dir.is_dir() {
        return Vec::new();
    }
    let mut intros = Vec::new();
    for role in manifest.role_ids() {
        let file = format!("{PRIMERS_DIR}/{role}.md");
        if !sources.join(&file).is_file() {
            problems.at(
                &dir.display().to_string(),
                0,
                format!("missing {role}.md: every role needs a primer introduction"),
            );
            continue;
        }
        if let Some(mut doc) = Document::load_file(
            sources,
            &format!("primer-{role}"),
            &file,
            language,
            problems,
        ) {
            doc.heading_base = 1;
            let index = markdown::index_document(&doc, manifest, sources, problems);
            intros.push((role.to_owned(), Doc { source: doc, index }));
        }
    }
    intros
}

fn missing_anchor(doc: &Document, index: &DocIndex, anchor: &str) -> String {
    let mut known: Vec<&str> = index
        .anchors
        .iter()
        .filter(|a| a.level <= 2)
        .map(|a| a.id.as_str())
        .collect();
    known.truncate(12);
    format!(
        "no section #{anchor} in {}; its sections include: {}",
        doc.display_path,
        known.join(", ")
    )
}

impl Site {
    /// Checks that a link's target exists: a listed document, and a section of it.
    fn check_link(&self, target: &LinkTarget) -> Result<(), String> {
        let (doc_path, anchor) = match target {
            LinkTarget::Section { doc_path, anchor } => (doc_path, anchor),
            LinkTarget::WorkingTemplate(id) => {
                return self
                    .check_working_template(id)
                    .map_err(|e| format!("broken link: {e}"));
            }
            LinkTarget::External(_) => return Ok(()),
        };
        let &i = self.by_path.get(doc_path).ok_or_else(|| {
            format!(
                "broken link: sources/{doc_path} is not a document listed in the toolkit manifest"
            )
        })?;
        let doc = &self.documents[i];
        match anchor {
            Some(anchor) if !doc.index.has_anchor(anchor) => Err(format!(
                "broken link: {}",
                missing_anchor(doc, &doc.index, anchor)
            )),
            _ => Ok(()),
        }
    }
}

impl LinkResolver for Site {
    fn resolve(&self, target: &LinkTarget, from_output: &str) -> String {
        match target {
            LinkTarget::External(url) => url.clone(),
            LinkTarget::WorkingTemplate(id) => {
                let to = self.language.layout.working_template(id, "pdf");
                relative_path(from_output, to.as_str())
            }
            LinkTarget::Section { doc_path, anchor } => {
                let Some(doc) = self.by_path.get(doc_path).map(|&i| &self.documents[i]) else {
                    return String::new();
                };
                let to = self.language.layout.guide(&doc.id, None);
                let mut url = relative_path(from_output, to.as_str());
                if let Some(anchor) = anchor {
                    url.push('#');
                    url.push_str(anchor);
                }
                url
            }
        }
    }
}

pub use crate::layout::relative_path;

/// Lowest Flesch reading ease a guide may have (English; see [`readability::Formula`]).
pub const MIN_READING_EASE_GUIDE: f64 = 45.0;
/// Lowest Flesch reading ease a primer may have (English).
pub const MIN_READING_EASE_PRIMER: f64 = 55.0;

/// One line of the plain-language report of `toolkit check`.
#[derive(Debug, Clone, PartialEq)]
pub struct PlainLanguage {
    /// The document (source path) or primer (output path).
    pub name: String,
    /// Words of prose (paragraphs and list items; headings, tables and code left out).
    pub words: usize,
    /// The measure of the site's language.
    pub formula: readability::Formula,
    /// Its value for the prose.
    pub reading_ease: f64,
    /// The bar it must meet (a minimum, or a maximum for a measure where lower is easier).
    pub bar: f64,
    /// Mean word length in letters.
    pub letters_per_word: f64,
    /// Mean sentence length in words.
    pub words_per_sentence: f64,
}

impl PlainLanguage {
    /// Whether the prose meets its bar.
    pub fn meets_bar(&self) -> bool {
        match self.formula.higher_is_easier() {
            true => self.reading_ease >= self.bar,
            false => self.reading_ease <= self.bar,
        }
    }
}

impl Site {
    /// Word counts and reading ease (the measure of the site's language) of every
    /// document and primer; a problem for each one that misses its bar.
    pub fn plain_language(&self) -> (Vec<PlainLanguage>, Problems) {
        let language = self.language.id.as_str();
        let formula = readability::Formula::of(language);
        let (guide_bar, primer_bar) = formula.bars();
        let row = |name: String, prose: &str, bar: f64| {
            let r = readability::Readability::of_language(prose, language);
            PlainLanguage {
                name,
                words: r.words,
                formula,
                reading_ease: r.score(formula),
                bar,
                letters_per_word: r.letters_per_word(),
                words_per_sentence: r.score(readability::Formula::SentenceLength),
            }
        };
        let mut rows = Vec::new();
        let mut problems = Problems::default();
        for doc in &self.documents {
            rows.push(row(doc.display_path.clone(), &doc.index.prose, guide_bar));
        }
        // Level editions keep only some case studies: measure each as a reader gets it.
        for edition in self.editions().iter().filter(|e| e.label.is_some()) {
            let doc = &self.documents[edition.doc];
            let arena = Arena::new();
            let root = markdown::parse(&arena, &doc.text);
            let target = RenderTarget {
                filter: &edition.filter,
                output: &edition.output,
            };
            let renderer = self.renderer(doc, target, root);
            rows.push(row(
                edition.output.clone(),
                &renderer.kept_prose(root),
                guide_bar,
            ));
        }
        for (role, stage) in self.primer_targets() {
            if let Some(plan) = self.primer_plan(&role, &stage) {
                let primer = self.render_primer(&plan);
                rows.push(row(primer.output.clone(), &primer.prose, primer_bar));
            }
        }
        for row in &rows {
            if !row.meets_bar() {
                let (what, side) = match row.formula.higher_is_easier() {
                    true => ("reading ease", "below"),
                    false => ("mean sentence length", "above"),
                };
                problems.at(
                    &row.name,
                    0,
                    format!(
                        "{what} ({}) {:.1} is {side} {:.0}: use shorter sentences and plainer words",
                        row.formula.name(),
                        row.reading_ease,
                        row.bar
                    ),
                );
            }
        }
        (rows, problems)
    }
}
