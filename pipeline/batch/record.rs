//! `run.json`: the record of a scoring run, written beside its summaries, so anyone can
//! tell which answers a folder of reports came from: the toolkit version, every input
//! (path, size, SHA-256), every output (path, SHA-256), the counts and the timings.
//! Everything but the timings is the same for the same inputs.

use std::collections::BTreeMap;

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
    pub fn reports_by_key(
        folder: &std::path::Path,
    ) -> std::collections::HashMap<String, OutputFile> {
        let Ok(bytes) = std::fs::read(folder.join(RUN_RECORD)) else {
            return Default::default();
        };
        let Ok(previous) = serde_json::from_slice::<PreviousRun>(&bytes) else {
            return Default::default();
        };
        previous
            .outputs
            .into_iter()
            .filter_map(|o| Some((o.key.clone()?, o)))
            .collect()
    }
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
