//! The mark of a folder this tool wrote: `.toolkit-output.json` at the root of every
//! output folder (a build, a scoring run, a shard, a merge), naming the tool and what the
//! folder holds. A command writes into `--out` only when the folder is missing, empty or
//! carries a mark of the same kind, so no run replaces a folder of someone else's work;
//! and a search for answer files skips every folder that carries a mark, so no run reads
//! another run's outputs as answers. Folders written before the mark existed are
//! recognised by their record (`run.json` of a scoring run, `manifest.json` of a build).

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// File name of the mark.
pub const OUTPUT_MARK: &str = ".toolkit-output.json";

/// Names of the lock, staging and previous folders of an output folder committed inside
/// itself (a mount point; see `transaction`); they are never part of its outputs, and a
/// folder that holds nothing else counts as empty.
pub const INSIDE_NAMES: [&str; 3] = [
    ".toolkit-output.lock",
    ".toolkit-staging",
    ".toolkit-previous",
];

/// What an output folder holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum OutputKind {
    /// A build: guides, primers, workbooks, the web edition and the bundle.
    Build,
    /// Scored reports and summaries (a run, a shard or a merge).
    Reports,
}

impl OutputKind {
    /// What a user calls it.
    pub fn describe(self) -> &'static str {
        match self {
            OutputKind::Build => "a toolkit build",
            OutputKind::Reports => "toolkit reports",
        }
    }
}

/// The mark's contents.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct OutputMark {
    /// `toolkit <version>`.
    pub toolkit: String,
    /// What the folder holds.
    pub kind: OutputKind,
}

impl OutputMark {
    /// The mark of a folder this version writes.
    pub fn new(kind: OutputKind) -> OutputMark {
        OutputMark {
            toolkit: format!("toolkit {}", env!("CARGO_PKG_VERSION")),
            kind,
        }
    }

    /// The mark as JSON bytes.
    pub fn to_json(&self) -> Vec<u8> {
        let mut json = serde_json::to_vec_pretty(self).expect("the mark serialises");
        json.push(b'\n');
        json
    }
}

/// What `folder` holds when this tool wrote it: its mark, or for a folder written before
/// marks existed, its record (`run.json` naming `toolkit <version>`, or a bundle
/// `manifest.json` with its files). `None` for any other folder, and for a missing one.
pub fn output_kind(folder: &Path) -> Option<OutputKind> {
    let read = |name: &str| -> Option<serde_json::Value> {
        let bytes = std::fs::read(folder.join(name)).ok()?;
        serde_json::from_slice(&bytes).ok()
    };
    if let Some(mark) = std::fs::read(folder.join(OUTPUT_MARK))
        .ok()
        .and_then(|bytes| serde_json::from_slice::<OutputMark>(&bytes).ok())
        .filter(|mark| mark.toolkit.starts_with("toolkit "))
    {
        return Some(mark.kind);
    }
    if let Some(run) = read("run.json")
        && run["toolkit"]
            .as_str()
            .is_some_and(|t| t.starts_with("toolkit "))
        && run["outputs"].is_array()
    {
        return Some(OutputKind::Reports);
    }
    if let Some(manifest) = read("manifest.json")
        && manifest["toolkit"].is_string()
        && manifest["edition"].is_string()
        && manifest["files"].is_array()
    {
        return Some(OutputKind::Build);
    }
    None
}

/// Why a folder may not be used as `--out` for outputs of `kind`, or `None` when it may:
/// it is missing, empty, or holds this tool's outputs of the same kind. The reason names
/// the folder and a few of the things in it, and says what to do.
pub fn refuse_out(folder: &Path, kind: OutputKind) -> Option<String> {
    let meta = match std::fs::metadata(folder) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return None,
        Err(e) => {
            return Some(format!(
                "cannot use {} as output folder: {e}",
                folder.display()
            ));
        }
        Ok(meta) => meta,
    };
    if !meta.is_dir() {
        return Some(format!(
            "{} exists and is not a folder; choose another output folder with --out",
            folder.display()
        ));
    }
    let mut entries: Vec<PathBuf> = match std::fs::read_dir(folder) {
        Ok(entries) => entries
            .flatten()
            .filter(|e| !INSIDE_NAMES.iter().any(|n| e.file_name() == *n))
            .map(|e| e.path())
            .collect(),
        Err(e) => {
            return Some(format!(
                "cannot read the output folder {}: {e}",
                folder.display()
            ));
        }
    };
    if entries.is_empty() {
        return None;
    }
    match output_kind(folder) {
        Some(found) if found == kind => None,
        Some(found) => Some(format!(
            "{} holds {}, not {}; choose another output folder with --out",
            folder.display(),
            found.describe(),
            kind.describe()
        )),
        None => {
            entries.sort();
            let count = entries.len();
            let names: Vec<String> = entries
                .iter()
                .take(5)
                .map(|p| {
                    let name = p
                        .file_name()
                        .unwrap_or_default()
                        .to_string_lossy()
                        .into_owned();
                    if p.is_dir() { format!("{name}/") } else { name }
                })
                .collect();
            let more = if count > 5 {
                format!(" and {} more", count - 5)
            } else {
                String::new()
            };
            Some(format!(
                "{} is not empty and was not written by this tool (it holds {}{more}); choose an empty or new folder with --out",
                folder.display(),
                names.join(", ")
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // A folder of someone else's files is refused, naming what is in it; a missing, an
    // empty and a marked folder of the same kind are accepted; another kind is refused.
    #[test]
    fn refuses_folders_it_did_not_write() {
        let dir = tempfile::tempdir().unwrap();
        let mine = dir.path().join("mine");
        assert_eq!(refuse_out(&mine, OutputKind::Reports), None);
        std::fs::create_dir_all(mine.join("docs")).unwrap();
        std::fs::remove_dir(mine.join("docs")).unwrap();
        assert_eq!(refuse_out(&mine, OutputKind::Reports), None);
        std::fs::create_dir_all(mine.join("docs")).unwrap();
        std::fs::write(mine.join("docs/thesis.txt"), "thesis").unwrap();
        let why = refuse_out(&mine, OutputKind::Reports).unwrap();
        assert!(
            why.contains("docs/") && why.contains("not written by this tool"),
            "{why}"
        );
        std::fs::write(
            mine.join(OUTPUT_MARK),
            OutputMark::new(OutputKind::Reports).to_json(),
        )
        .unwrap();
        assert_eq!(refuse_out(&mine, OutputKind::Reports), None);
        let why = refuse_out(&mine, OutputKind::Build).unwrap();
        assert!(why.contains("holds toolkit reports"), "{why}");
    }

    // Folders written before the mark existed are known by their records.
    #[test]
    fn knows_older_outputs_by_their_records() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("run.json"),
            r#"{"toolkit": "toolkit 0.9.0", "outputs": []}"#,
        )
        .unwrap();
        assert_eq!(output_kind(dir.path()), Some(OutputKind::Reports));
        let other = tempfile::tempdir().unwrap();
        std::fs::write(other.path().join("run.json"), r#"{"toolkit": "other"}"#).unwrap();
        assert_eq!(output_kind(other.path()), None);
        std::fs::write(
            other.path().join("manifest.json"),
            r#"{"toolkit": "rai", "edition": "2", "files": []}"#,
        )
        .unwrap();
        assert_eq!(output_kind(other.path()), Some(OutputKind::Build));
    }
}
