//! Scale-out: a scoring run split into shards that run anywhere (a Kubernetes Indexed Job,
//! a Slurm job array, GNU parallel on one machine), then merged into the folder a single
//! run would have written.
//!
//! Every shard reads and validates *all* answers (cheap next to typesetting), so duplicate
//! ids and every input problem are decided exactly as in a single run; it then typesets
//! only the reports of its (questionnaire, group) pairs, assigned by a stable hash, so each
//! group report is made whole inside one shard. Beside its outputs a shard writes
//! `shard.json`: its summary rows with their place in the whole run, the run's input
//! problems, its own failed reports and the run's counts. [`merge_shards`] checks that the
//! shards belong together, links their reports into one folder and writes the summaries,
//! `errors.csv` and `run.json` with the same functions a single run uses.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Instant;

use anyhow::{Context, Result, bail, ensure};
use serde::{Deserialize, Serialize};

use super::record::{Counts, InputFile, OutputFile, file_inside};
use super::{ScoringError, ScoringReport, Summaries, write_run_record, write_summaries_to};
use crate::answers::validate::Rejection;
use crate::date::Date;
use crate::layout::ReportsLayout;
use crate::output::{sha256_hex, write_atomic};
use crate::output_mark::OutputKind;
use crate::project::Project;
use crate::summary::SummaryRow;
use crate::transaction::OutputTransaction;

/// File name of a shard's record.
pub const SHARD_RECORD: &str = "shard.json";

/// Shard `index` of `count` (1-based), as `--shard K/N` gives it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shard {
    /// Which shard, 1 to `count`.
    pub index: usize,
    /// How many shards.
    pub count: usize,
}

impl FromStr for Shard {
    type Err = String;

    fn from_str(text: &str) -> Result<Shard, String> {
        let usage = || format!("{text:?} is not a shard; expected K/N with 1 <= K <= N, e.g. 2/3");
        let (k, n) = text.split_once('/').ok_or_else(usage)?;
        let (index, count) = (
            k.trim().parse().map_err(|_| usage())?,
            n.trim().parse().map_err(|_| usage())?,
        );
        if index == 0 || index > count {
            return Err(usage());
        }
        Ok(Shard { index, count })
    }
}

impl Shard {
    /// Whether this shard makes the reports of a questionnaire version (its slug) and
    /// group: a stable hash of the pair, the same on every machine and in every run.
    pub fn owns(&self, questionnaire: &str, group: &str) -> bool {
        let digest = sha256_hex(format!("{questionnaire}\n{group}").as_bytes());
        let number = u64::from_str_radix(&digest[..16], 16).expect("hex digits");
        (number % self.count as u64) as usize + 1 == self.index
    }
}

/// What made a shard's outputs: shards merge only when all of it is the same.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Provenance {
    /// `toolkit <version>`.
    pub toolkit: String,
    /// SHA-256 of the sources folder.
    pub sources: String,
    /// SHA-256 of the templates folder (templates and fonts).
    pub templates: String,
    /// The document date.
    pub date: Date,
    /// The paper size.
    pub paper: String,
}

impl Provenance {
    /// The provenance of a run on `project`.
    pub fn of(project: &Project) -> Provenance {
        Provenance {
            toolkit: format!("toolkit {}", env!("CARGO_PKG_VERSION")),
            sources: project.sources_digest.clone(),
            templates: project.typesetter.templates_digest().to_owned(),
            date: project.date,
            paper: project.paper.typst_name().to_owned(),
        }
    }

    /// What differs between two provenances, in a user's words (empty when nothing does).
    fn differences(&self, other: &Provenance) -> Vec<String> {
        let mut differs = Vec::new();
        if self.toolkit != other.toolkit {
            differs.push(format!(
                "toolkit version ({} and {})",
                self.toolkit, other.toolkit
            ));
        }
        if self.sources != other.sources {
            differs.push("sources (the --sources folders differ)".to_owned());
        }
        if self.templates != other.templates {
            differs.push("templates or fonts (the --templates folders differ)".to_owned());
        }
        if self.date != other.date {
            differs.push(format!("document date ({} and {})", self.date, other.date));
        }
        if self.paper != other.paper {
            differs.push(format!("paper ({} and {})", self.paper, other.paper));
        }
        differs
    }
}

/// What a shard records for the merge.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ShardRecord {
    /// Which shard.
    pub shard: Shard,
    /// What made it: toolkit version, sources, templates, date and paper.
    pub provenance: Provenance,
    /// The run's date (the summary workbook carries it).
    pub date: Date,
    /// The summary's columns (the same in every shard).
    pub columns: Vec<String>,
    /// This shard's summary rows, each with its place among all the run's responses.
    pub rows: Vec<(usize, SummaryRow)>,
    /// Every input problem of the run, in the order a single run finds them.
    pub input_problems: Vec<Rejection>,
    /// This shard's reports that could not be made.
    pub failed_reports: Vec<Rejection>,
    /// The whole run's counts (files, responses, scored, rejected); `reports` and
    /// `problems` are this shard's.
    pub counts: Counts,
    /// The answer files read.
    pub inputs: Vec<InputFile>,
    /// This shard's reports, with their checksums and keys.
    pub reports: Vec<OutputFile>,
}

impl ShardRecord {
    /// Writes the record into a shard's staging folder.
    pub fn write(&self, folder: &Path) -> Result<()> {
        let json = serde_json::to_vec_pretty(self).expect("the shard record serialises");
        write_atomic(&folder.join(SHARD_RECORD), &json)
    }

    fn read(folder: &Path) -> Result<ShardRecord> {
        let path = folder.join(SHARD_RECORD);
        let bytes = std::fs::read(&path).with_context(|| {
            format!(
                "{} is not a shard folder (no {SHARD_RECORD}; run `toolkit score --shard K/N` into it)",
                folder.display()
            )
        })?;
        serde_json::from_slice(&bytes).with_context(|| format!("{} is damaged", path.display()))
    }
}

/// Reads the shard records of `dirs` and checks they are the `N` shards of one run:
/// every index once, the same inputs, input problems and columns. Returned in index order.
fn read_shards(dirs: &[PathBuf]) -> Result<Vec<(PathBuf, ShardRecord)>> {
    let mut shards: Vec<(PathBuf, ShardRecord)> = dirs
        .iter()
        .map(|dir| ShardRecord::read(dir).map(|record| (dir.clone(), record)))
        .collect::<Result<_>>()?;
    shards.sort_by_key(|(_, record)| record.shard.index);
    let count = shards.first().map(|(_, r)| r.shard.count).unwrap_or(0);
    let indices: Vec<usize> = shards.iter().map(|(_, r)| r.shard.index).collect();
    ensure!(
        count > 0 && indices == (1..=count).collect::<Vec<_>>(),
        "expected the shards 1/{count} to {count}/{count} once each; got {}",
        shards
            .iter()
            .map(|(d, r)| format!("{}/{} ({})", r.shard.index, r.shard.count, d.display()))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let first = &shards[0].1;
    for (dir, record) in &shards[1..] {
        let differs = first.provenance.differences(&record.provenance);
        ensure!(
            differs.is_empty(),
            "{} and {} were not made with the same {}; score every shard with the same toolkit, --sources, --templates, date and --paper",
            shards[0].0.display(),
            dir.display(),
            differs.join(", ")
        );
        let same = record.shard.count == count
            && record.inputs == first.inputs
            && record.input_problems == first.input_problems
            && record.columns == first.columns
            && record.date == first.date;
        if !same {
            bail!(
                "{} was not made from the same answers, sources and shard count as {}",
                dir.display(),
                shards[0].0.display()
            );
        }
    }
    Ok(shards)
}

/// Merges shard folders into `out`, which then holds what a single run over the same
/// answers would have written (only `run.json`'s timings differ).
pub fn merge_shards(dirs: &[PathBuf], out: &Path) -> Result<ScoringReport, ScoringError> {
    let started = Instant::now();
    let out_real = crate::output::resolved(out);
    if let Some(dir) = dirs
        .iter()
        .find(|dir| out_real.starts_with(crate::output::resolved(dir)))
    {
        return Err(ScoringError::Output(anyhow::anyhow!(
            "the output folder {} is the shard folder {} or inside it; merge into another folder",
            out.display(),
            dir.display()
        )));
    }
    let shards = read_shards(dirs).map_err(ScoringError::Output)?;
    let transaction =
        OutputTransaction::begin(out, OutputKind::Reports).map_err(ScoringError::Output)?;
    let staging = transaction.staging().to_path_buf();
    let mut report = ScoringReport::default();
    let outputs = link_reports(&shards, &staging, &mut report).map_err(ScoringError::Output)?;
    let first = &shards[0].1;
    let mut rows: Vec<&(usize, SummaryRow)> = shards.iter().flat_map(|(_, r)| &r.rows).collect();
    rows.sort_by_key(|(index, _)| *index);
    let rows: Vec<SummaryRow> = rows.into_iter().map(|(_, row)| row.clone()).collect();
    let mut rejections = first.input_problems.clone();
    rejections.extend(shards.iter().flat_map(|(_, r)| r.failed_reports.clone()));
    let summaries = Summaries {
        columns: &first.columns,
        rows: &rows,
    };
    let mut outputs = outputs;
    outputs.extend(
        write_summaries_to(&staging, first.date, &summaries, rejections, &mut report)
            .map_err(ScoringError::Output)?,
    );
    report.files = first.counts.files;
    report.responses = first.counts.responses;
    report.scored = first.counts.scored;
    report.rejected_responses = first.counts.rejected_responses;
    report.timings = vec![("merge", started.elapsed().as_secs_f64())];
    write_run_record(&staging, &report, first.inputs.clone(), outputs)
        .map_err(ScoringError::Output)?;
    transaction.commit().map_err(ScoringError::Output)?;
    Ok(report)
}

/// Links (or copies) every shard's reports into the merged folder, checking each file is
/// the one its shard recorded.
fn link_reports(
    shards: &[(PathBuf, ShardRecord)],
    staging: &Path,
    report: &mut ScoringReport,
) -> Result<Vec<OutputFile>> {
    let mut outputs = Vec::new();
    let mut seen = BTreeMap::new();
    for (dir, record) in shards {
        for output in &record.reports {
            if let Some(other) = seen.insert(output.path.clone(), dir.clone()) {
                bail!(
                    "{} is in two shards ({} and {})",
                    output.path,
                    other.display(),
                    dir.display()
                );
            }
            // A shard folder on a shared volume may have been changed: its record steers
            // no read or write outside the shard and the merged folder.
            ensure!(
                ReportsLayout::is_report(&output.path),
                "{} lists a report at {:?}, a path this tool never writes; the shard folder was changed after it was made",
                dir.join(SHARD_RECORD).display(),
                output.path
            );
            let source = file_inside(dir, &output.path).with_context(|| {
                format!(
                    "{} lists the report {}, which is not a file inside {}",
                    dir.join(SHARD_RECORD).display(),
                    output.path,
                    dir.display()
                )
            })?;
            let bytes = std::fs::read(&source)
                .with_context(|| format!("failed to read {}", source.display()))?;
            ensure!(
                sha256_hex(&bytes) == output.sha256,
                "{} changed since its shard wrote it",
                source.display()
            );
            let target = staging.join(&output.path);
            if let Some(parent) = target.parent() {
                std::fs::create_dir_all(parent)?;
            }
            if std::fs::hard_link(&source, &target).is_err() {
                write_atomic(&target, &bytes)?;
            }
            report.reports += 1;
            report.written.push(output.path.clone());
            outputs.push(output.clone());
        }
    }
    Ok(outputs)
}

#[cfg(test)]
mod tests {
    use super::*;

    // `--shard K/N` accepts 1 <= K <= N only.
    #[test]
    fn parses_shards() {
        assert_eq!("2/3".parse(), Ok(Shard { index: 2, count: 3 }));
        for bad in ["0/3", "4/3", "3", "a/b", "1/0", ""] {
            assert!(bad.parse::<Shard>().is_err(), "{bad}");
        }
    }

    // Every (questionnaire, group) pair belongs to exactly one shard, the same each time.
    #[test]
    fn each_group_has_one_owner() {
        for group in ["", "Agency 1", "Agency 2", "Ω", "no-group"] {
            let owners: Vec<usize> = (1..=3)
                .filter(|&k| Shard { index: k, count: 3 }.owns("risk-1.0.0", group))
                .collect();
            assert_eq!(owners.len(), 1, "{group}");
            assert!(
                Shard {
                    index: owners[0],
                    count: 3
                }
                .owns("risk-1.0.0", group)
            );
        }
    }
}
