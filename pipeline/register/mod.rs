//! Working templates: the registers and forms the roadmap asks agencies to keep (an AI
//! register, a system file, an incident log...), defined in `sources/templates/*.toml`.
//! [`model`] is what the workbook writer (`crate::workbook::working`) and the printable
//! template (`crate::jobs::register`) read; [`definition`] loads and checks a file.
//! [`catalogue`] lists the ids and titles alone, early, so that the guides and the
//! questionnaires can link to a template (`template:incident-log`) and have it checked.

pub mod definition;
pub mod model;

use std::collections::HashMap;
use std::path::Path;

use crate::content::Site;
use crate::layout::Layout;
use crate::problem::Problems;
pub use model::*;

/// Folder of the definitions inside the sources folder.
pub const TEMPLATES_DIR: &str = "templates";

impl WorkingTemplate {
    /// The output path of a variant's workbook (`xlsx`) or printable copy (`pdf`),
    /// relative to the build's output folder (see [`Layout::working_template`]):
    /// `working-templates/<id>.pdf`, or `<id>-example.pdf` for the worked example.
    pub fn output(&self, layout: &Layout, variant: Variant, extension: &str) -> String {
        layout
            .working_template(&self.stem(variant), extension)
            .into_string()
    }
}

/// The prefix of a reference to a working template, in a questionnaire's `links` or a
/// guide's Markdown link: `template:incident-log`.
pub const REFERENCE_PREFIX: &str = "template:";

/// The template id a reference names (`template:incident-log`), if it names one.
pub fn referenced_id(reference: &str) -> Option<&str> {
    reference.strip_prefix(REFERENCE_PREFIX)
}

/// A working template's id and title, as links to it need them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateName {
    /// Id.
    pub id: String,
    /// Title, in the site's language.
    pub title: String,
}

/// The id and title of every definition under `sources/templates/` that has them, read
/// loosely (nothing else is checked here: [`load_working_templates`] reports every
/// problem). No folder means none.
pub fn catalogue(sources: &Path, language: &crate::language::Language) -> Vec<TemplateName> {
    #[derive(serde::Deserialize)]
    struct Head {
        id: String,
        title: String,
    }
    let Ok(paths) = crate::questionnaire::definition_files(&sources.join(TEMPLATES_DIR)) else {
        return Vec::new();
    };
    paths
        .iter()
        .filter_map(|path| language.read(sources, path).ok())
        .filter_map(|text| toml::from_str::<Head>(&text).ok())
        .map(|head| TemplateName {
            id: head.id,
            title: head.title,
        })
        .collect()
}

/// Loads every `*.toml` under `sources/templates/` (sorted by file name), checks each,
/// and checks that no two files share an id. No folder means no working templates.
pub fn load_working_templates(
    sources: &Path,
    site: &Site,
) -> Result<Vec<WorkingTemplate>, Problems> {
    let paths = crate::questionnaire::definition_files(&sources.join(TEMPLATES_DIR))?;
    let mut problems = Problems::default();
    let mut loaded = Vec::new();
    let mut seen: HashMap<String, String> = HashMap::new();
    for path in paths {
        let file = path.display().to_string();
        let text = match site.language.read(sources, &path) {
            Ok(text) => text,
            Err(e) => {
                problems.at(&file, 0, format!("cannot read definition: {e}"));
                continue;
            }
        };
        let Some(t) = definition::load_definition(&text, &file, site, &mut problems) else {
            continue;
        };
        if let Some(other) = seen.get(&t.id) {
            problems.at(
                &file,
                0,
                format!("template {} is also defined in {other}", t.id),
            );
            continue;
        }
        seen.insert(t.id.clone(), file);
        loaded.push(t);
    }
    problems.into_result().map(|()| loaded)
}
