//! One setup for every command: the sources (manifest, documents, questionnaire and
//! working-template definitions), the document date, the paper and the typesetter, worked out once.
//!
//! `check` stops at [`Sources::load`]; `build`, `score`, the benchmarks, the examples and
//! the tests open a whole [`Project`] with [`Project::open`], in the manner of typst-cli's
//! `CompileConfig` and mdBook's `RenderContext`: every later stage takes `&Project`.

use std::path::{Path, PathBuf};

use std::sync::Arc;

use crate::content::Site;
use crate::content::manifest::{MANIFEST_FILE, Paper};
use crate::date::Date;
use crate::i18n::{SourceTranslator, Translations};
use crate::language::Language;
use crate::problem::{Problems, line_of};
use crate::questionnaire::{Questionnaire, load_questionnaires};
use crate::register::{WorkingTemplate, load_working_templates};
use crate::typeset::{TypesetConfig, Typesetter, compile_pool_threads};

/// The checked sources: the site (manifest and documents), the questionnaire definitions
/// and the working templates.
pub struct Sources {
    /// Manifest and documents.
    pub site: Site,
    /// Every questionnaire version, sorted by file name.
    pub questionnaires: Vec<Questionnaire>,
    /// Every working template (register or form), sorted by file name.
    pub working_templates: Vec<WorkingTemplate>,
}

impl Sources {
    /// Loads and checks everything under the sources folder: the site, the questionnaire
    /// definitions, that every companion guide names a questionnaire that exists, and the
    /// working templates. The problems of questionnaires and working templates are
    /// reported together.
    pub fn load(dir: &Path) -> Result<Sources, Problems> {
        let manifest = crate::content::manifest::Manifest::load(dir)?;
        Self::load_language(dir, Language::source(&manifest.language))
    }

    /// Loads and checks everything under the sources folder in `language` (every file
    /// read through its translations), as [`Sources::load`] does for the source language.
    pub fn load_language(dir: &Path, language: Language) -> Result<Sources, Problems> {
        Self::load_with_words(dir, language, crate::words::Words::default())
    }

    /// As [`Sources::load_language`], with the edition's fixed words (the working
    /// templates' yes-no fields take their Yes and No from them).
    pub fn load_with_words(
        dir: &Path,
        language: Language,
        words: crate::words::Words,
    ) -> Result<Sources, Problems> {
        let mut site = Site::load_language(dir, language)?;
        site.words = words;
        let questionnaires = load_questionnaires(dir, &site);
        let working_templates = load_working_templates(dir, &site);
        let (questionnaires, working_templates) = match (questionnaires, working_templates) {
            (Ok(q), Ok(t)) => (q, t),
            (Err(mut problems), Err(more)) => {
                problems.0.extend(more.0);
                return Err(problems.sorted());
            }
            (Err(problems), _) | (_, Err(problems)) => return Err(problems),
        };
        check_companions(&site, &questionnaires).into_result()?;
        Ok(Sources {
            site,
            questionnaires,
            working_templates,
        })
    }
}

/// Checks that every companion guide names a questionnaire that exists.
fn check_companions(site: &Site, questionnaires: &[Questionnaire]) -> Problems {
    let mut problems = Problems::default();
    let manifest_file = site.sources_dir.join(MANIFEST_FILE).display().to_string();
    for entry in &site.manifest.documents {
        if let Some(id) = &entry.questionnaire
            && !questionnaires.iter().any(|q| q.id == *id.get_ref())
        {
            let text = std::fs::read_to_string(&manifest_file).unwrap_or_default();
            let line = line_of(&text, id.span().start);
            let known: Vec<&str> = questionnaires.iter().map(|q| q.id.as_str()).collect();
            problems.at(
                &manifest_file,
                line,
                format!(
                    "unknown questionnaire {:?}; questionnaires: {}",
                    id.get_ref(),
                    known.join(", ")
                ),
            );
        }
    }
    problems
}

/// The typesetter of a site: fonts and templates load here, once per run. Every PDF
/// declares PDF/UA-1 (and PDF/A-2a in an archival edition).
pub fn open_typesetter(
    site: &Site,
    templates: &Path,
    date: Date,
    pdf: crate::typeset::PdfEdition,
) -> anyhow::Result<Typesetter> {
    Typesetter::new(TypesetConfig {
        templates_dir: templates.to_path_buf(),
        sources_dir: site.sources_dir.clone(),
        date,
        pdf_ua: true,
        pdf,
        preload_templates: true,
    })
}

/// What a command says about the project it runs on.
#[derive(Debug, Clone)]
pub struct ProjectOptions {
    /// The sources folder.
    pub sources: PathBuf,
    /// The templates folder.
    pub templates: PathBuf,
    /// Paper size override (else the manifest's).
    pub paper: Option<Paper>,
    /// `SOURCE_DATE_EPOCH`, if set: overrides the manifest's date.
    pub source_date_epoch: Option<i64>,
    /// Compile threads (default: one per core).
    pub threads: Option<usize>,
    /// The standard the PDFs declare, and their bleed.
    pub pdf: crate::typeset::PdfEdition,
}

impl ProjectOptions {
    /// The defaults of the command line, relative to `root`: `root/sources`,
    /// `root/templates`, the manifest's paper and date, one compile thread per core.
    pub fn at(root: &Path) -> ProjectOptions {
        ProjectOptions {
            sources: root.join("sources"),
            templates: root.join("templates"),
            paper: None,
            source_date_epoch: None,
            threads: None,
            pdf: Default::default(),
        }
    }
}

/// Why a project could not be opened (nothing was written).
#[derive(Debug)]
pub enum SetupError {
    /// The sources have problems a user must fix.
    Sources(Problems),
    /// The templates, fonts or generated files could not be prepared.
    Setup(anyhow::Error),
}

impl std::fmt::Display for SetupError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SetupError::Sources(problems) => write!(
                f,
                "{problems}\nthe sources have {} problem(s); nothing was written",
                problems.0.len()
            ),
            SetupError::Setup(error) => write!(f, "{error:#}"),
        }
    }
}

/// The sources of one language's edition, as the build reads them.
#[derive(Clone, Copy)]
pub struct EditionSources<'a> {
    /// Manifest and documents, in that language (its `language` says which).
    pub site: &'a Site,
    /// Every questionnaire version, in that language.
    pub questionnaires: &'a [Questionnaire],
    /// Every working template, in that language.
    pub working_templates: &'a [WorkingTemplate],
}

/// The edition of every declared language other than the source's, each read through
/// its catalogues (`sources/translations/<language>/`), with what to say about drafts.
/// A language that is not a draft must have every string translated.
fn load_translated(
    options: &ProjectOptions,
    site: &Site,
) -> Result<(Vec<Sources>, Vec<String>), SetupError> {
    let mut editions = Vec::new();
    let mut notes = Vec::new();
    for declared in site.manifest.translation_languages() {
        let id = declared.id();
        let translations = Translations::load(&options.sources, &options.templates, id)
            .map_err(SetupError::Sources)?;
        let translator = Arc::new(SourceTranslator::new(translations));
        let language = Language::translated(id, declared.direction, translator.clone());
        let words =
            crate::words::Words::load(&options.templates, &language).map_err(SetupError::Setup)?;
        let sources = Sources::load_with_words(&options.sources, language, words)
            .map_err(SetupError::Sources)?;
        let untranslated = translator.untranslated();
        match (untranslated, declared.draft) {
            (0, _) => {}
            (n, true) => notes.push(format!(
                "{id} ({}) is a draft: {n} strings show in English until they are translated (toolkit check lists them)",
                declared.name
            )),
            (n, false) => {
                return Err(SetupError::Setup(anyhow::anyhow!(
                    "{id} ({}): {n} strings have no translation (missing or fuzzy); translate them (toolkit check lists them) or declare the language draft = true in {MANIFEST_FILE}",
                    declared.name
                )));
            }
        }
        editions.push(sources);
    }
    Ok((editions, notes))
}

/// Everything a run needs, built once: sources, date, paper, fonts and templates.
pub struct Project {
    /// Manifest and documents.
    pub site: Site,
    /// Every questionnaire version.
    pub questionnaires: Vec<Questionnaire>,
    /// Every working template.
    pub working_templates: Vec<WorkingTemplate>,
    /// The date every output carries.
    pub date: Date,
    /// The paper size of every PDF and workbook.
    pub paper: Paper,
    /// Fonts, library and templates, loaded once.
    pub typesetter: Typesetter,
    /// The templates folder (Typst templates, and the web edition's under `site/`).
    pub templates: PathBuf,
    /// Compile threads.
    pub threads: usize,
    /// SHA-256 of the whole sources folder (every file a compile can read from it).
    pub sources_digest: String,
    /// The editions of the other declared languages, each loaded through its
    /// translations, in manifest order.
    pub translated: Vec<Sources>,
    /// What a run should say about them (a draft language's strings shown in English).
    pub language_notes: Vec<String>,
}

impl Project {
    /// Every language's edition: the source language's first, then the translated ones.
    pub fn editions(&self) -> Vec<EditionSources<'_>> {
        let source = EditionSources {
            site: &self.site,
            questionnaires: &self.questionnaires,
            working_templates: &self.working_templates,
        };
        std::iter::once(source)
            .chain(self.translated.iter().map(|s| EditionSources {
                site: &s.site,
                questionnaires: &s.questionnaires,
                working_templates: &s.working_templates,
            }))
            .collect()
    }

    /// Refuses an output folder that is, or is inside, the sources or templates folder
    /// (writing there would change what the next run reads), or that holds one of them.
    pub fn check_out(&self, out: &Path) -> anyhow::Result<()> {
        let out_real = crate::output::resolved(out);
        for (what, dir) in [
            ("sources", &self.site.sources_dir),
            ("templates", &self.templates),
        ] {
            let dir_real = crate::output::resolved(dir);
            if out_real.starts_with(&dir_real) || dir_real.starts_with(&out_real) {
                anyhow::bail!(
                    "the output folder {} overlaps the {what} folder {}; choose an output folder outside it",
                    out.display(),
                    dir.display()
                );
            }
        }
        Ok(())
    }

    /// Loads and checks the sources, then loads fonts and templates once.
    pub fn open(options: &ProjectOptions) -> Result<Project, SetupError> {
        let Sources {
            mut site,
            questionnaires,
            working_templates,
        } = Sources::load(&options.sources).map_err(SetupError::Sources)?;
        site.words = crate::words::Words::load(&options.templates, &site.language)
            .map_err(SetupError::Setup)?;
        let (translated, language_notes) = load_translated(options, &site)?;
        let date = match options.source_date_epoch {
            Some(seconds) => Date::from_epoch(seconds),
            None => site.manifest.date,
        };
        let paper = options.paper.unwrap_or(site.manifest.paper);
        let typesetter = open_typesetter(&site, &options.templates, date, options.pdf)
            .map_err(SetupError::Setup)?;
        let sources_digest =
            crate::output::folder_digest(&options.sources).map_err(SetupError::Setup)?;
        Ok(Project {
            sources_digest,
            site,
            questionnaires,
            working_templates,
            date,
            paper,
            typesetter,
            templates: options.templates.clone(),
            threads: options.threads.unwrap_or_else(compile_pool_threads),
            translated,
            language_notes,
        })
    }
}
