//! `run.json`: the record of a scoring run, written beside its summaries, so anyone can
//! tell which answers a folder of reports came from: the toolkit version, every input
//! (path, size, SHA-256), every output (path, SHA-256), the counts and the timings.
//! Everything but the timings is the same for the same inputs.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::layout::ReportsLayout;

use serde::{Deserialize, Serialize};

/// File name of the run record.
pub const RUN_RECORD: &str = "run.json";

/// One input file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InputFile {
    /// The path as found (given, or under a given folder).
    pub path: String,
    /// Size in bytes.
    pub bytes: u64,
    /// SHA-256 of the contents, hex.
    pub sha256: String,
}

/// One output file.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct OutputFile {
    /// Path relative to the output folder.
    pub path: String,
    /// SHA-256 of the contents, hex.
    pub sha256: String,
    /// For a report: a SHA-256 of everything that shapes it (its JSON data, its template
    /// and entry point, the typesetter's fingerprint). A later run whose report has the
    /// same key reuses this file instead of typesetting it again.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
}

/// The part of an earlier run's record that a rerun reads: its outputs.
#[derive(Debug, Deserialize)]
pub struct PreviousRun {
    /// The outputs, with their keys.
    pub outputs: Vec<OutputFile>,
}

impl PreviousRun {
    /// The reports of the record in `folder`, by key; empty when there is no readable record.
    /// A record is never trusted as it stands: an entry whose path is not a report path this
    /// tool writes ([`ReportsLayout::is_report`]) is left out, with a note in `notes`, so
    /// its report is typeset again.
    pub fn reports_by_key(
        folder: &Path,
        notes: &mut Vec<String>,
    ) -> std::collections::HashMap<String, OutputFile> {
        let Ok(bytes) = std::fs::read(folder.join(RUN_RECORD)) else {
            return Default::default();
        };
        let Ok(previous) = serde_json::from_slice::<PreviousRun>(&bytes) else {
            notes.push(format!(
                "{} is damaged; every report is typeset again",
                folder.join(RUN_RECORD).display()
            ));
            return Default::default();
        };
        let mut ignored = 0;
        let reports = previous
            .outputs
            .into_iter()
            .filter(|o| {
                let ok = o.key.is_none() || ReportsLayout::is_report(&o.path);
                ignored += usize::from(!ok);
                ok
            })
            .filter_map(|o| Some((o.key.clone()?, o)))
            .collect();
        if ignored > 0 {
            notes.push(format!(
                "{} lists {ignored} report(s) at paths this tool never writes; they were ignored and typeset again",
                folder.join(RUN_RECORD).display()
            ));
        }
        reports
    }
}

/// The file at `relative` inside `folder`, when it is a regular file really inside it (no
/// symbolic link on the way out of the folder); `None` otherwise.
pub fn file_inside(folder: &Path, relative: &str) -> Option<PathBuf> {
    let path = folder.join(relative);
    let meta = std::fs::symlink_metadata(&path).ok()?;
    if !meta.is_file() {
        return None;
    }
    let root = folder.canonicalize().ok()?;
    path.canonicalize()
        .ok()
        .filter(|real| real.starts_with(&root))
}

/// The counts a run claims.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Counts {
    /// Answer files read.
    pub files: usize,
    /// Responses found.
    pub responses: usize,
    /// Responses scored.
    pub scored: usize,
    /// Responses rejected.
    pub rejected_responses: usize,
    /// Rows of `errors.csv`.
    pub problems: usize,
    /// PDF reports written.
    pub reports: usize,
}

/// The whole record.
#[derive(Debug, Clone, Serialize)]
pub struct RunRecord {
    /// `toolkit <version>`.
    pub toolkit: String,
    /// Answer files, sorted by path.
    pub inputs: Vec<InputFile>,
    /// Every other file of the output folder, sorted by path.
    pub outputs: Vec<OutputFile>,
    /// What the run claims.
    pub counts: Counts,
    /// Seconds per stage (the only part that differs between two runs on the same inputs).
    pub timings: BTreeMap<String, f64>,
}

impl RunRecord {
    /// The record as pretty JSON; inputs and outputs sorted by path.
    pub fn to_json(mut self) -> Vec<u8> {
        self.inputs.sort_by(|a, b| a.path.cmp(&b.path));
        self.outputs.sort_by(|a, b| a.path.cmp(&b.path));
        let mut json = serde_json::to_vec_pretty(&self).expect("the record serialises");
        json.push(b'\n');
        json
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // A file reached through a symbolic link that leaves the folder is not inside it.
    #[cfg(unix)]
    #[test]
    fn files_inside_a_folder() {
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join("out");
        std::fs::create_dir_all(folder.join("responses/q")).unwrap();
        std::fs::write(folder.join("responses/q/a.pdf"), b"a").unwrap();
        std::fs::write(dir.path().join("secret.pdf"), b"s").unwrap();
        std::os::unix::fs::symlink(
            dir.path().join("secret.pdf"),
            folder.join("responses/q/b.pdf"),
        )
        .unwrap();
        std::os::unix::fs::symlink(dir.path(), folder.join("groups")).unwrap();
        assert!(file_inside(&folder, "responses/q/a.pdf").is_some());
        assert!(file_inside(&folder, "responses/q/b.pdf").is_none());
        assert!(file_inside(&folder, "groups/secret.pdf").is_none());
        assert!(file_inside(&folder, "responses/q/missing.pdf").is_none());
    }
}
