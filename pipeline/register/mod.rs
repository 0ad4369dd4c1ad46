//! Working templates: the registers and forms the roadmap asks agencies to keep (an AI
//! register, a system file, an incident log...), defined in `sources/templates/*.toml`.
//! [`model`] is what the workbook writer (`crate::workbook::working`) and the printable
//! template (`crate::jobs::register`) read; [`definition`] loads and checks a file.

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
    /// The output path of its workbook (`xlsx`) or printable copy (`pdf`), relative to the
    /// build's output folder (see [`Layout::working_template`]).
    pub fn output(&self, layout: &Layout, extension: &str) -> String {
        layout.working_template(&self.id, extension).into_string()
    }
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
