//! Typesetting with Typst, in process. The only module that touches the Typst crates.
//!
//! A [`Typesetter`] loads the fonts, the standard library and every template once per run;
//! each compile then builds a cheap [`world::JobWorld`] around the data files of a [`Job`]
//! (a [`Template`]'s function called on them) and a main file generated from that call,
//! and returns the PDF bytes with Typst's warnings, or diagnostics that name the template
//! file and line. Untrusted text must arrive in data files (JSON), never in the main
//! file's markup.

mod bleed;
mod job;
mod pool;
mod warnings;
mod world;

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::RwLock;

use anyhow::{Context, Result};
use sha2::{Digest, Sha256};
use typst::comemo::Track;
use typst::diag::{FileError, FileResult, Severity, SourceDiagnostic};
use typst::engine::{Route, Sink, Traced};
use typst::foundations::{Binding, Bytes, Datetime, Smart};
use typst::syntax::{FileId, Source, VirtualPath};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World, WorldExt};
use typst_pdf::{PdfOptions, PdfStandard, PdfStandards};

pub use job::{Job, Template, json_bytes};
pub use pool::{compile_pool_threads, run_pool};
pub use warnings::{Warning, Warnings};
use world::{JobWorld, file_id};

/// Virtual folder under which templates are served to Typst.
pub const TEMPLATES_ROOT: &str = "/templates";
/// Virtual folder under which the assets in `sources/` (images) are served to Typst.
pub const SOURCES_ROOT: &str = "/sources";
/// The only files of the sources folder a compile may read: images (the extensions a
/// document may embed). Text sources reach a compile only as a job's markup and data, so
/// what a compile can read from `sources/` is all in [`Typesetter::job_key`].
pub const SOURCE_IMAGE_EXTENSIONS: [&str; 4] = ["svg", "png", "jpg", "jpeg"];

/// Where the typesetter finds its templates and assets, and the fixed document date.
#[derive(Debug, Clone)]
pub struct TypesetConfig {
    /// Folder of `.typ` templates, with an optional `fonts/` folder of extra fonts.
    pub templates_dir: PathBuf,
    /// Folder whose files (images) documents may embed, served as `/sources/...`.
    pub sources_dir: PathBuf,
    /// The date every document carries (and `datetime.today()` returns).
    pub date: crate::date::Date,
    /// Claim and enforce PDF/UA-1 conformance.
    pub pdf_ua: bool,
    /// The archival standard and the bleed.
    pub pdf: PdfEdition,
    /// Evaluate the templates once, when the typesetter is made, rather than in every
    /// compile that imports them (see [`Typesetter::new`]). The PDFs are the same bytes
    /// either way; `false` is for comparing the two.
    pub preload_templates: bool,
}

/// Which edition of the PDFs a run makes: the archival standard besides PDF/UA-1, and
/// the bleed of a print-shop edition. The templates read the bleed as `sys.inputs.bleed`
/// (millimetres), and a PDF with bleed gets a BleedBox beside Typst's TrimBox.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PdfEdition {
    /// Also claim and enforce PDF/A-2a.
    pub archival: bool,
    /// Bleed on each side of every page, in millimetres (0: none).
    pub bleed_mm: u32,
}

impl PdfEdition {
    /// The inputs the templates read (`sys.inputs`).
    fn inputs(&self) -> typst::foundations::Dict {
        let mut inputs = typst::foundations::Dict::new();
        if self.bleed_mm > 0 {
            inputs.insert(
                "bleed".into(),
                typst::foundations::Value::Str(self.bleed_mm.to_string().into()),
            );
        }
        inputs
    }
}

/// Fonts, library and templates, loaded once and shared by every compile of a run.
pub struct Typesetter {
    library: LazyHash<Library>,
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
    templates: HashMap<FileId, Source>,
    config: TypesetConfig,
    date: Datetime,
    file_cache: RwLock<HashMap<FileId, Bytes>>,
    fingerprint: String,
    /// SHA-256 of the whole templates folder (templates, fonts and any file they read).
    templates_digest: String,
    /// SHA-256 of the images of the sources folder (everything a compile can read there).
    images_digest: String,
    /// Templates evaluated once: the template's path (`/templates/report.typ`) and the
    /// global name of its evaluated module, which a job's main file imports instead.
    preloaded: HashMap<String, String>,
}

/// A typeset document: the PDF, and the warnings Typst gave while making it.
#[derive(Debug, Clone)]
pub struct Compiled {
    /// The PDF bytes.
    pub pdf: Vec<u8>,
    /// Typst's warnings, each with the template the job called.
    pub warnings: Vec<Warning>,
}

/// A laid-out job: its world, the document, and Typst's warnings.
type Laid<'a> = (
    JobWorld<'a>,
    typst_layout::PagedDocument,
    Vec<SourceDiagnostic>,
);

/// One problem reported by Typst, located in a template or the generated main file.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct Diagnostic {
    /// `true` for errors, `false` for warnings.
    pub is_error: bool,
    /// File the problem is in, as a path the user can open, when known.
    pub file: Option<String>,
    /// One-based line, when known.
    pub line: Option<usize>,
    /// What Typst said.
    pub message: String,
    /// Hints Typst gave, if any.
    pub hints: Vec<String>,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.file, self.line) {
            (Some(file), Some(line)) => write!(f, "{file}:{line}: ")?,
            (Some(file), None) => write!(f, "{file}: ")?,
            _ => {}
        }
        let kind = if self.is_error { "error" } else { "warning" };
        write!(f, "{kind}: {}", self.message)?;
        for hint in &self.hints {
            write!(f, " (hint: {hint})")?;
        }
        Ok(())
    }
}

/// A compile that failed, with every error Typst reported.
#[derive(Debug, Clone)]
pub struct CompileError {
    /// The job's origin.
    pub origin: String,
    /// The errors, in Typst's order.
    pub diagnostics: Vec<Diagnostic>,
}

impl fmt::Display for CompileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "failed to typeset {}", self.origin)?;
        for diagnostic in &self.diagnostics {
            write!(f, "\n  {diagnostic}")?;
        }
        Ok(())
    }
}

impl std::error::Error for CompileError {}

impl CompileError {
    /// An error of `origin` with one message and no source location (a failed write, a
    /// failed setup).
    pub fn plain(origin: &str, message: String) -> CompileError {
        CompileError {
            origin: origin.to_owned(),
            diagnostics: vec![Diagnostic {
                is_error: true,
                file: None,
                line: None,
                message,
                hints: vec![],
            }],
        }
    }
}

impl Typesetter {
    /// Loads fonts (embedded ones plus `templates/fonts/`), the standard library and every
    /// `.typ` file under the templates folder.
    pub fn new(config: TypesetConfig) -> Result<Self> {
        let crate::date::Date { year, month, day } = config.date;
        let date = Datetime::from_ymd(year, month, day)
            .with_context(|| format!("invalid document date {}", config.date))?;
        let mut digest = Sha256::new();
        digest.update(concat!("toolkit ", env!("CARGO_PKG_VERSION"), "\n"));
        digest.update(format!(
            "date {} pdf/ua {} pdf/a-2a {} bleed {}\n",
            config.date, config.pdf_ua, config.pdf.archival, config.pdf.bleed_mm
        ));
        let fonts = load_fonts(&config.templates_dir.join("fonts"), &mut digest)?;
        let book = FontBook::from_fonts(&fonts);
        let templates = load_templates(&config.templates_dir)?;
        let mut sorted: Vec<&Source> = templates.values().collect();
        sorted.sort_by_key(|source| source.id().vpath().get_without_slash().to_owned());
        for source in sorted {
            digest.update(source.id().vpath().get_without_slash().as_bytes());
            digest.update(source.text().as_bytes());
        }
        // Everything a template can read (an image, a data file), not only `.typ` files.
        let templates_digest = crate::output::folder_digest(&config.templates_dir)?;
        digest.update(format!("templates {templates_digest}\n"));
        let fingerprint = format!("{:x}", digest.finalize());
        let images_digest = images_digest(&config.sources_dir)?;
        let mut typesetter = Self {
            fingerprint,
            templates_digest,
            images_digest,
            library: LazyHash::new(Library::builder().with_inputs(config.pdf.inputs()).build()),
            book: LazyHash::new(book),
            fonts,
            templates,
            config,
            date,
            file_cache: RwLock::new(HashMap::new()),
            preloaded: HashMap::new(),
        };
        if typesetter.config.preload_templates {
            typesetter.preload_templates();
        }
        Ok(typesetter)
    }

    /// Evaluates every top-level template once and makes each module a global value of the
    /// library, so that a job calling a function of `/templates/report.typ` imports the
    /// evaluated module instead (looked up by the template's path, see [`Job::template`]). Evaluating a template in every compile cost
    /// about 5 % of a report's compile, and hashing its freshly made functions (Typst
    /// memoises every call of a function by hashing it) about 3 % more; the preloaded
    /// functions are hashed once per run. A template whose evaluation fails or warns is
    /// left to be imported as before, so that its problems are reported at the job.
    fn preload_templates(&mut self) {
        let mut candidates: Vec<(String, Source)> = self
            .templates
            .values()
            .filter_map(|source| {
                let path = source.id().vpath().get_without_slash().to_owned();
                let stem = path
                    .strip_prefix(TEMPLATES_ROOT.trim_start_matches('/'))?
                    .strip_prefix('/')?
                    .strip_suffix(".typ")?;
                let identifier = stem
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
                (identifier && !stem.is_empty()).then(|| (stem.to_owned(), source.clone()))
            })
            .collect();
        candidates.sort_by(|a, b| a.0.cmp(&b.0));
        let main_id = file_id("/main.typ").expect("static path is valid");
        let world = JobWorld {
            typesetter: self,
            main: Source::new(main_id, String::new()),
            files: HashMap::new(),
        };
        let mut modules = Vec::new();
        for (stem, source) in candidates {
            let traced = Traced::default();
            let mut sink = Sink::new();
            let route = Route::default();
            let module = typst_eval::eval(
                (&world as &dyn World).track(),
                &self.library,
                traced.track(),
                sink.track_mut(),
                route.track(),
                &source,
            );
            if let Ok(module) = module
                && sink.warnings().is_empty()
            {
                modules.push((stem, module));
            }
        }
        drop(world);
        let mut library = Library::builder()
            .with_inputs(self.config.pdf.inputs())
            .build();
        for (stem, module) in modules {
            let name = format!("toolkit-template-{stem}");
            library
                .global
                .scope_mut()
                .bind(name.as_str().into(), Binding::detached(module));
            self.preloaded
                .insert(format!("{TEMPLATES_ROOT}/{stem}.typ"), name);
        }
        self.library = LazyHash::new(library);
        typst::comemo::evict(0);
    }

    /// A SHA-256 of everything besides a job's own files that shapes its PDF: the toolkit
    /// version, the date, the standards claimed, every template and every font file. Two
    /// runs with the same fingerprint typeset the same job into the same bytes.
    pub fn fingerprint(&self) -> &str {
        &self.fingerprint
    }

    /// SHA-256 of the whole templates folder: templates, fonts and every other file in it.
    pub fn templates_digest(&self) -> &str {
        &self.templates_digest
    }

    /// A SHA-256 of everything that shapes the PDF of `job`: the [`fingerprint`] (toolkit
    /// version, date, standards, templates, fonts), the Typst version, the images of the
    /// sources folder (the only files a compile may read there), and the job itself: its
    /// identifier, the main file it compiles (its entry points and markup) and its data
    /// files. Two jobs with the same key typeset into the same bytes.
    ///
    /// [`fingerprint`]: Typesetter::fingerprint
    pub fn job_key(&self, job: &Job) -> String {
        let typst = typst::utils::version();
        let mut digest = Sha256::new();
        digest.update(b"typeset job 1\n");
        for part in [
            self.fingerprint.as_str(),
            typst.raw(),
            typst.commit().unwrap_or(""),
            &self.images_digest,
            &job.ident,
        ] {
            digest.update(format!("{}\n", part.len()));
            digest.update(part.as_bytes());
        }
        let main = job.main_text(&self.preloaded);
        digest.update(format!("main {}\n", main.len()));
        digest.update(main.as_bytes());
        for (path, bytes) in job.files() {
            digest.update(format!("file {path:?} {}\n", bytes.len()));
            digest.update(bytes);
        }
        format!("{:x}", digest.finalize())
    }

    /// The templates evaluated once for the whole run (their paths under the templates
    /// folder, sorted): the ones every compile would otherwise evaluate again.
    pub fn preloaded_templates(&self) -> Vec<String> {
        let mut paths: Vec<String> = self
            .preloaded
            .keys()
            .map(|path| {
                path.trim_start_matches(TEMPLATES_ROOT)
                    .trim_start_matches('/')
                    .to_owned()
            })
            .collect();
        paths.sort();
        paths
    }

    /// Whether `template`'s file was evaluated once for the run (a job calling it then
    /// imports the evaluated module).
    pub fn is_preloaded(&self, template: Template) -> bool {
        self.preloaded.contains_key(template.path)
    }

    /// Typesets one job into PDF bytes, with the warnings Typst gave. The warnings are
    /// returned, never printed: the command that ran the job prints them.
    pub fn compile(&self, job: &Job) -> Result<Compiled, CompileError> {
        let (world, document, warnings) = self.layout(job)?;
        let mut claimed = Vec::new();
        if self.config.pdf.archival {
            claimed.push(PdfStandard::A_2a);
        }
        if self.config.pdf_ua {
            claimed.push(PdfStandard::Ua_1);
        }
        let standards = PdfStandards::new(&claimed)
            .map_err(|e| self.simple_error(job, e.message().to_string()))?;
        let options = PdfOptions {
            ident: Smart::Custom(job.ident.clone()),
            creator: Smart::Custom(Some(format!("toolkit {}", env!("CARGO_PKG_VERSION")))),
            timestamp: None,
            standards,
            ..PdfOptions::default()
        };
        let pdf = typst_pdf::pdf(&document, &options)
            .map_err(|errors| self.compile_error(&world, job, &errors))?;
        let pdf = match self.config.pdf.bleed_mm {
            0 => pdf,
            _ => bleed::add_bleed_boxes(&pdf).ok_or_else(|| {
                self.simple_error(
                    job,
                    "the PDF's page boxes could not be marked for print".into(),
                )
            })?,
        };
        let warnings = warnings
            .iter()
            .map(|warning| Warning {
                template: job.template(),
                in_templates: warning.span.id().is_some_and(|id| {
                    id.vpath()
                        .get_with_slash()
                        .starts_with(&format!("{TEMPLATES_ROOT}/"))
                }),
                diagnostic: self.diagnostic(&world, job, warning),
            })
            .collect();
        Ok(Compiled { pdf, warnings })
    }

    /// Lays a job out and returns what a reader sees: the text of each page, and the
    /// number of glyphs no loaded font could draw. For checks and tests.
    pub fn page_texts(&self, job: &Job) -> Result<PageTexts, CompileError> {
        let (_, document, _) = self.layout(job)?;
        let mut texts = PageTexts::default();
        for page in document.pages() {
            let mut text = String::new();
            collect_text(&page.frame, &mut text, &mut texts.missing_glyphs);
            texts.pages.push(text);
        }
        Ok(texts)
    }

    /// Lays a job out: its main file generated from its calls (see [`Job`]), its data
    /// files served beside it. Returns the world, the document and Typst's warnings.
    fn layout<'a>(&'a self, job: &Job) -> Result<Laid<'a>, CompileError> {
        let main_id = file_id("/main.typ").expect("static path is valid");
        let mut files = HashMap::new();
        for (path, bytes) in job.files() {
            let id = file_id(path)
                .ok_or_else(|| self.simple_error(job, format!("invalid virtual path {path}")))?;
            files.insert(id, Bytes::new(bytes.clone()));
        }
        let world = JobWorld {
            typesetter: self,
            main: Source::new(main_id, job.main_text(&self.preloaded)),
            files,
        };
        let warned = typst::compile::<typst_layout::PagedDocument>(&world);
        match warned.output {
            Ok(document) => Ok((world, document, warned.warnings.to_vec())),
            Err(errors) => Err(self.compile_error(&world, job, &errors)),
        }
    }

    fn simple_error(&self, job: &Job, message: String) -> CompileError {
        CompileError::plain(&job.origin, message)
    }

    fn compile_error(
        &self,
        world: &JobWorld,
        job: &Job,
        errors: &[SourceDiagnostic],
    ) -> CompileError {
        CompileError {
            origin: job.origin.clone(),
            diagnostics: errors
                .iter()
                .map(|error| self.diagnostic(world, job, error))
                .collect(),
        }
    }

    /// One of Typst's diagnostics, located in a file the user can open, at a line.
    fn diagnostic(&self, world: &JobWorld, job: &Job, d: &SourceDiagnostic) -> Diagnostic {
        let (file, line) = match d.span.id() {
            Some(id) => {
                let file = self.display_path(id, job);
                let line = world
                    .range(d.span)
                    .and_then(|range| world.source(id).ok()?.lines().byte_to_line(range.start))
                    .map(|l| l + 1);
                (Some(file), line)
            }
            None => (None, None),
        };
        Diagnostic {
            is_error: d.severity == Severity::Error,
            file,
            line,
            message: d.message.to_string(),
            hints: d.hints.iter().map(|h| h.v.to_string()).collect(),
        }
    }

    /// Maps a virtual file back to a path the user recognises.
    fn display_path(&self, id: FileId, job: &Job) -> String {
        let vpath = id.vpath().get_with_slash();
        if vpath == "/main.typ" {
            format!("{} (generated Typst)", job.origin)
        } else if let Some(rest) = vpath.strip_prefix(TEMPLATES_ROOT) {
            self.config
                .templates_dir
                .join(rest.trim_start_matches('/'))
                .display()
                .to_string()
        } else if let Some(rest) = vpath.strip_prefix(SOURCES_ROOT) {
            self.config
                .sources_dir
                .join(rest.trim_start_matches('/'))
                .display()
                .to_string()
        } else {
            vpath.to_string()
        }
    }

    fn template_source(&self, id: FileId) -> Option<Source> {
        self.templates.get(&id).cloned()
    }

    /// Serves files under `/templates` and `/sources` from disk, read once and cached.
    fn shared_file(&self, id: FileId) -> FileResult<Bytes> {
        if let Some(bytes) = self.file_cache.read().expect("cache lock").get(&id) {
            return Ok(bytes.clone());
        }
        let vpath = id.vpath();
        let path = self.real_path(vpath)?;
        let data = std::fs::read(&path).map_err(|e| FileError::from_io(e, &path))?;
        let bytes = Bytes::new(data);
        self.file_cache
            .write()
            .expect("cache lock")
            .insert(id, bytes.clone());
        Ok(bytes)
    }

    /// Resolves a virtual path inside one of the two served folders, refusing anything else
    /// (including symlinks that lead out of them).
    fn real_path(&self, vpath: &VirtualPath) -> FileResult<PathBuf> {
        let text = vpath.get_with_slash();
        let (root, rest) = if let Some(rest) = text.strip_prefix(TEMPLATES_ROOT) {
            (&self.config.templates_dir, rest)
        } else if let Some(rest) = text.strip_prefix(SOURCES_ROOT) {
            if !is_source_image(rest) {
                return Err(FileError::AccessDenied);
            }
            (&self.config.sources_dir, rest)
        } else {
            return Err(FileError::AccessDenied);
        };
        if !rest.starts_with('/') {
            return Err(FileError::AccessDenied);
        }
        let path = root.join(rest.trim_start_matches('/'));
        let canonical_root = root
            .canonicalize()
            .map_err(|e| FileError::from_io(e, root))?;
        let canonical = path
            .canonicalize()
            .map_err(|e| FileError::from_io(e, &path))?;
        if !canonical.starts_with(&canonical_root) {
            return Err(FileError::AccessDenied);
        }
        Ok(canonical)
    }
}

/// What a reader sees of a laid-out document.
#[derive(Debug, Clone, Default)]
pub struct PageTexts {
    /// The text of each page, runs separated by spaces.
    pub pages: Vec<String>,
    /// Glyphs drawn as "missing" (no font had them).
    pub missing_glyphs: usize,
}

impl PageTexts {
    /// All pages' text joined.
    pub fn all(&self) -> String {
        self.pages.join("\n")
    }
}

fn collect_text(frame: &typst::layout::Frame, out: &mut String, missing: &mut usize) {
    for (_, item) in frame.items() {
        match item {
            typst::layout::FrameItem::Group(group) => collect_text(&group.frame, out, missing),
            typst::layout::FrameItem::Text(text) => {
                *missing += text.glyphs.iter().filter(|g| g.id == 0).count();
                out.push_str(&text.text);
                out.push(' ');
            }
            _ => {}
        }
    }
}

/// Loads Typst's embedded fonts, then every font file in `dir` (sorted, so the font book,
/// and with it the PDFs, do not depend on directory order).
fn load_fonts(dir: &Path, digest: &mut Sha256) -> Result<Vec<Font>> {
    let mut fonts: Vec<Font> = typst_assets::fonts()
        .flat_map(|data| Font::iter(Bytes::new(data)))
        .collect();
    if dir.is_dir() {
        let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
            .with_context(|| format!("failed to read font folder {}", dir.display()))?
            .filter_map(|entry| entry.ok().map(|e| e.path()))
            .filter(|p| {
                let ext = p
                    .extension()
                    .and_then(|e| e.to_str())
                    .unwrap_or("")
                    .to_ascii_lowercase();
                matches!(ext.as_str(), "ttf" | "otf" | "ttc" | "otc")
            })
            .collect();
        paths.sort();
        for path in paths {
            let data = std::fs::read(&path)
                .with_context(|| format!("failed to read font {}", path.display()))?;
            digest.update(
                path.file_name()
                    .map(|n| n.as_encoded_bytes())
                    .unwrap_or_default(),
            );
            digest.update(&data);
            let before = fonts.len();
            fonts.extend(Font::iter(Bytes::new(data)));
            anyhow::ensure!(
                fonts.len() > before,
                "{} is not a font Typst can read",
                path.display()
            );
        }
    }
    Ok(fonts)
}

/// Whether a path inside the sources folder names an image a compile may read.
fn is_source_image(path: &str) -> bool {
    Path::new(path)
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| SOURCE_IMAGE_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
}

/// SHA-256 of every image under the sources folder (see [`SOURCE_IMAGE_EXTENSIONS`]), by
/// `/`-separated relative path and content, in path order (symbolic links followed). A
/// missing folder has the digest of no image.
fn images_digest(dir: &Path) -> Result<String> {
    let mut images = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(folder) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&folder) else {
            continue;
        };
        for entry in entries {
            let path = entry
                .with_context(|| format!("failed to read folder {}", folder.display()))?
                .path();
            if path.is_dir() {
                stack.push(path);
            } else if let Ok(relative) = path.strip_prefix(dir) {
                let name = relative.to_string_lossy().replace('\\', "/");
                if is_source_image(&name) {
                    images.push((name, path));
                }
            }
        }
    }
    images.sort();
    let mut digest = Sha256::new();
    for (name, path) in images {
        let bytes =
            std::fs::read(&path).with_context(|| format!("failed to read {}", path.display()))?;
        digest.update(format!("{name}\n{}\n", bytes.len()).as_bytes());
        digest.update(&bytes);
    }
    Ok(format!("{:x}", digest.finalize()))
}

/// Reads every `.typ` file under the templates folder into a parsed source, once.
fn load_templates(dir: &Path) -> Result<HashMap<FileId, Source>> {
    let mut templates = HashMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(folder) = stack.pop() {
        let entries = std::fs::read_dir(&folder)
            .with_context(|| format!("failed to read templates folder {}", folder.display()))?;
        for entry in entries {
            let path = entry?.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "typ") {
                let relative = path.strip_prefix(dir).expect("walked from dir");
                let virtual_path = format!(
                    "{TEMPLATES_ROOT}/{}",
                    relative
                        .components()
                        .map(|c| c.as_os_str().to_string_lossy())
                        .collect::<Vec<_>>()
                        .join("/")
                );
                let id = file_id(&virtual_path)
                    .with_context(|| format!("template path {} is not usable", path.display()))?;
                let text = std::fs::read_to_string(&path)
                    .with_context(|| format!("failed to read template {}", path.display()))?;
                templates.insert(id, Source::new(id, text));
            }
        }
    }
    Ok(templates)
}

/// Escapes text for a Typst string literal (without the surrounding quotes).
pub fn escape_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    out
}

/// Escapes text so that it prints literally in Typst markup: every character that could
/// start markup, code, math, a comment, a label, a reference or a shorthand, or continue
/// a preceding code expression (`(`, `[`, `.`), is escaped. Straight quotes are escaped
/// too, so they print as typed rather than as typographic quotes.
pub fn escape_markup(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    for c in text.chars() {
        match c {
            '\\' | '#' | '$' | '*' | '_' | '@' | '<' | '>' | '[' | ']' | '{' | '}' | '`' | '~'
            | '/' | '=' | '-' | '+' | '.' | '(' | ')' | '\'' | '"' | ';' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push(' '),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}
