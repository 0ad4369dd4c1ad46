//! The distribution bundle: every built file in one zip with a `manifest.json` of SHA-256
//! checksums. Entries are sorted and carry a fixed date, so the same files give the same zip.

use std::io::Write;

use crate::date::Date;
use crate::output::sha256_hex;
use anyhow::{Context, Result};
use serde::Serialize;
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipWriter};

/// One file of the bundle.
#[derive(Debug, Clone, Serialize)]
pub struct BundleFile {
    /// Path inside the bundle (and relative to the output folder), `/`-separated.
    pub path: String,
    /// Size in bytes.
    pub bytes: u64,
    /// Lowercase hexadecimal SHA-256 of the content.
    pub sha256: String,
}

/// The bundle's `manifest.json`.
#[derive(Debug, Clone, Serialize)]
pub struct BundleManifest {
    /// Toolkit id.
    pub toolkit: String,
    /// Toolkit title.
    pub title: String,
    /// Edition label.
    pub edition: String,
    /// Document date, `YYYY-MM-DD`.
    pub date: String,
    /// The file to open first (the manifest's first document, "Start here"); it is also
    /// the zip's first file after this manifest.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start: Option<String>,
    /// Files, sorted by path.
    pub files: Vec<BundleFile>,
}

/// Builds the manifest and the zip bytes for `files` (path, content).
pub fn build_bundle(
    mut files: Vec<(String, Vec<u8>)>,
    toolkit: &str,
    title: &str,
    edition: &str,
    date: Date,
    start: Option<&str>,
) -> Result<(BundleManifest, Vec<u8>)> {
    files.sort_by(|a, b| a.0.cmp(&b.0));
    let start = start.filter(|s| files.iter().any(|(path, _)| path == s));
    let manifest = BundleManifest {
        toolkit: toolkit.to_owned(),
        title: title.to_owned(),
        edition: edition.to_owned(),
        date: date.to_string(),
        start: start.map(str::to_owned),
        files: files
            .iter()
            .map(|(path, bytes)| BundleFile {
                path: path.clone(),
                bytes: bytes.len() as u64,
                sha256: sha256_hex(bytes),
            })
            .collect(),
    };
    let manifest_json =
        serde_json::to_vec_pretty(&manifest).context("failed to serialise the bundle manifest")?;
    let stamp = DateTime::from_date_and_time(
        date.year.clamp(1980, 2107) as u16,
        date.month,
        date.day,
        0,
        0,
        0,
    )
    .map_err(|_| anyhow::anyhow!("document date cannot be stored in a zip"))?;
    let options = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .compression_level(Some(6))
        .last_modified_time(stamp)
        .unix_permissions(0o644);
    let mut zip = ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let prefix = format!("{toolkit}-{edition}");
    zip.start_file(format!("{prefix}/manifest.json"), options)?;
    zip.write_all(&manifest_json)?;
    // The file to open first comes first, then the rest in path order.
    let first = files
        .iter()
        .filter(|(path, _)| Some(path.as_str()) == start);
    let rest = files
        .iter()
        .filter(|(path, _)| Some(path.as_str()) != start);
    for (path, bytes) in first.chain(rest) {
        zip.start_file(format!("{prefix}/{path}"), options)?;
        zip.write_all(bytes)?;
    }
    let bytes = zip.finish()?.into_inner();
    Ok((manifest, bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    // The same files give the same zip, whatever order they come in.
    #[test]
    fn bundle_is_reproducible() {
        let a = vec![
            ("guides/b.pdf".to_owned(), b"bbb".to_vec()),
            ("guides/a.pdf".to_owned(), b"aaa".to_vec()),
        ];
        let b: Vec<_> = a.iter().rev().cloned().collect();
        let (manifest, zip1) =
            build_bundle(a, "tk", "T", "1", Date::new(2026, 11, 27).unwrap(), None).unwrap();
        let (_, zip2) =
            build_bundle(b, "tk", "T", "1", Date::new(2026, 11, 27).unwrap(), None).unwrap();
        assert_eq!(zip1, zip2);
        assert_eq!(manifest.files[0].path, "guides/a.pdf");
        assert_eq!(manifest.files[0].sha256, sha256_hex(b"aaa"));
        assert_eq!(
            sha256_hex(b""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
    }
}
