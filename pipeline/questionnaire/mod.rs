//! Questionnaires: the question model that the workbook writer, the answer readers, the
//! scorer and the templates all use, so ids cannot drift apart; definition loading and
//! validation; and the blank CSV answer template. The workbook is written by
//! `crate::workbook`, the printable PDF by `crate::jobs::questionnaire`.

pub mod definition;
pub mod model;
pub mod template;
pub mod wording;

use std::collections::HashMap;
use std::path::Path;

use crate::content::Site;
use crate::problem::Problems;
pub use model::*;

/// Folder of the definitions inside the sources folder.
pub const QUESTIONNAIRES_DIR: &str = "questionnaires";

/// The `*.toml` files of a definitions folder, sorted by name; none when the folder does
/// not exist. Questionnaires and working templates are both loaded this way.
pub fn definition_files(dir: &Path) -> Result<Vec<std::path::PathBuf>, Problems> {
    if !dir.is_dir() {
        return Ok(Vec::new());
    }
    let entries = std::fs::read_dir(dir).map_err(|e| {
        let mut problems = Problems::default();
        let folder = dir.display().to_string();
        problems.at(&folder, 0, format!("cannot read folder: {e}"));
        problems
    })?;
    let mut paths: Vec<_> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    paths.sort();
    Ok(paths)
}

/// Loads every `*.toml` under `sources/questionnaires/` (sorted by file name), validates
/// each, and checks that no two files share an id and version.
pub fn load_questionnaires(sources: &Path, site: &Site) -> Result<Vec<Questionnaire>, Problems> {
    let paths = definition_files(&sources.join(QUESTIONNAIRES_DIR))?;
    let mut problems = Problems::default();
    let mut loaded = Vec::new();
    let mut seen: HashMap<(String, String), String> = HashMap::new();
    for path in paths {
        let file = path.display().to_string();
        let text = match site.language.read(sources, &path) {
            Ok(text) => text,
            Err(e) => {
                problems.at(&file, 0, format!("cannot read definition: {e}"));
                continue;
            }
        };
        if let Some(q) = definition::load_definition(&text, &file, site, &mut problems) {
            let key = (q.id.clone(), q.version.clone());
            if let Some(other) = seen.get(&key) {
                problems.at(
                    &file,
                    0,
                    format!(
                        "questionnaire {} version {} is also defined in {other}",
                        q.id, q.version
                    ),
                );
                continue;
            }
            seen.insert(key, file);
            loaded.push(q);
        }
    }
    problems.into_result().map(|()| loaded)
}

/// The latest version of a questionnaire (versions compare numerically, part by part).
pub fn latest_version<'q>(
    questionnaires: &'q [Questionnaire],
    id: &str,
) -> Option<&'q Questionnaire> {
    let key = |q: &Questionnaire| -> Vec<u64> {
        q.version
            .split(['.', '-'])
            .map(|p| p.parse().unwrap_or(0))
            .collect()
    };
    questionnaires
        .iter()
        .filter(|q| q.id == id)
        .max_by_key(|q| key(q))
}
