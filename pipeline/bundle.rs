//! The distribution bundle: every built file in one zip with a `manifest.json` of SHA-256
//! checksums. Entries are sorted and carry a fixed date, so the same files give the same zip.

use std::collections::HashMap;
use std::io::{Read, Write};

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
    /// The language of its words (BCP 47): its edition's (`<language>/…` for a
    /// translated edition, the source language otherwise). Absent when the bundle's
    /// languages are not known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    /// For a bilingual printable questionnaire, the language printed beside `language`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub beside: Option<String>,
}

/// The language of a bundle file (see [`BundleFile::language`]) and, for a bilingual
/// questionnaire, the language beside it; `languages` is the source language first.
fn file_languages(path: &str, languages: &[String]) -> (Option<String>, Option<String>) {
    let Some(source) = languages.first() else {
        return (None, None);
    };
    let first = path.split('/').next().unwrap_or("");
    let language = languages[1..]
        .iter()
        .find(|l| l.as_str() == first)
        .unwrap_or(source);
    let beside = (language != source && path.ends_with("-bilingual.pdf")).then(|| source.clone());
    (Some(language.clone()), beside)
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

/// What names a bundle and what it opens with.
#[derive(Debug, Clone, Copy)]
pub struct BundleInfo<'a> {
    /// Toolkit id.
    pub toolkit: &'a str,
    /// Toolkit title.
    pub title: &'a str,
    /// Edition label.
    pub edition: &'a str,
    /// Document date.
    pub date: Date,
    /// The file to open first, when it is one of the files.
    pub start: Option<&'a str>,
    /// The languages of the editions in the bundle, the source language first (empty:
    /// files are not labelled with a language).
    pub languages: &'a [String],
}

/// Builds the manifest and the zip bytes for `files` (path, content).
pub fn build_bundle(
    files: Vec<(String, Vec<u8>)>,
    toolkit: &str,
    title: &str,
    edition: &str,
    date: Date,
    start: Option<&str>,
) -> Result<(BundleManifest, Vec<u8>)> {
    let info = BundleInfo {
        toolkit,
        title,
        edition,
        date,
        start,
        languages: &[],
    };
    let packed = build_bundle_reusing(files, &info, None)?;
    Ok((packed.manifest, packed.zip))
}

/// A packed bundle.
#[derive(Debug)]
pub struct Packed {
    /// Its manifest.
    pub manifest: BundleManifest,
    /// The zip's bytes.
    pub zip: Vec<u8>,
    /// How many entries were copied from the earlier bundle rather than compressed.
    pub copied: usize,
}

/// As [`build_bundle`], taking from `previous` (an earlier bundle this tool wrote, which
/// the caller has checked against its record) the compressed entry of every file whose
/// content the earlier bundle's manifest lists with the same SHA-256, instead of
/// compressing it again. The zip is byte for byte the one [`build_bundle`] makes.
pub fn build_bundle_reusing(
    mut files: Vec<(String, Vec<u8>)>,
    info: &BundleInfo,
    previous: Option<&[u8]>,
) -> Result<Packed> {
    files.sort_by(|a, b| a.0.cmp(&b.0));
    let start = info
        .start
        .filter(|s| files.iter().any(|(path, _)| path == s));
    let manifest = BundleManifest {
        toolkit: info.toolkit.to_owned(),
        title: info.title.to_owned(),
        edition: info.edition.to_owned(),
        date: info.date.to_string(),
        start: start.map(str::to_owned),
        files: files
            .iter()
            .map(|(path, bytes)| {
                let (language, beside) = file_languages(path, info.languages);
                BundleFile {
                    path: path.clone(),
                    bytes: bytes.len() as u64,
                    sha256: sha256_hex(bytes),
                    language,
                    beside,
                }
            })
            .collect(),
    };
    let manifest_json =
        serde_json::to_vec_pretty(&manifest).context("failed to serialise the bundle manifest")?;
    let date = info.date;
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
    let prefix = format!("{}-{}", info.toolkit, info.edition);
    let mut earlier = previous.and_then(|bytes| Earlier::open(bytes, &prefix));
    let mut copied = 0;
    let mut zip = ZipWriter::new(std::io::Cursor::new(Vec::new()));
    zip.start_file(format!("{prefix}/manifest.json"), options)?;
    zip.write_all(&manifest_json)?;
    // The file to open first comes first, then the rest in path order.
    let first = files
        .iter()
        .zip(&manifest.files)
        .filter(|((path, _), _)| Some(path.as_str()) == start);
    let rest = files
        .iter()
        .zip(&manifest.files)
        .filter(|((path, _), _)| Some(path.as_str()) != start);
    for ((path, bytes), listed) in first.chain(rest) {
        let name = format!("{prefix}/{path}");
        if let Some(earlier) = &mut earlier
            && earlier.copy(&name, listed, &mut zip)?
        {
            copied += 1;
            continue;
        }
        zip.start_file(name, options)?;
        zip.write_all(bytes)?;
    }
    let zip = zip.finish()?.into_inner();
    Ok(Packed {
        manifest,
        zip,
        copied,
    })
}

/// An earlier bundle, with the checksums its manifest lists.
struct Earlier<'a> {
    archive: zip::ZipArchive<std::io::Cursor<&'a [u8]>>,
    /// SHA-256 of each file by its name in the zip.
    listed: HashMap<String, String>,
}

impl<'a> Earlier<'a> {
    /// The earlier bundle in `bytes`, when it is a zip of the same toolkit and edition
    /// with a readable manifest.
    fn open(bytes: &'a [u8], prefix: &str) -> Option<Earlier<'a>> {
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).ok()?;
        let mut json = Vec::new();
        archive
            .by_name(&format!("{prefix}/manifest.json"))
            .ok()?
            .read_to_end(&mut json)
            .ok()?;
        let manifest: serde_json::Value = serde_json::from_slice(&json).ok()?;
        let listed = manifest["files"]
            .as_array()?
            .iter()
            .filter_map(|file| {
                let path = file["path"].as_str()?;
                Some((
                    format!("{prefix}/{path}"),
                    file["sha256"].as_str()?.to_owned(),
                ))
            })
            .collect();
        Some(Earlier { archive, listed })
    }

    /// Copies the compressed entry `name` into `zip` when the earlier bundle holds it with
    /// the content of `file` (same SHA-256 and size, compressed as the bundle compresses);
    /// `false` when it does not.
    fn copy(
        &mut self,
        name: &str,
        file: &BundleFile,
        zip: &mut ZipWriter<std::io::Cursor<Vec<u8>>>,
    ) -> Result<bool> {
        if self.listed.get(name) != Some(&file.sha256) {
            return Ok(false);
        }
        let Ok(entry) = self.archive.by_name(name) else {
            return Ok(false);
        };
        if entry.size() != file.bytes || entry.compression() != CompressionMethod::Deflated {
            return Ok(false);
        }
        zip.raw_copy_file(entry)?;
        Ok(true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // The same files give the same zip, whatever order they come in.
    // Each file is labelled with its edition's language; a bilingual questionnaire also
    // with the language beside it; without declared languages, with none.
    #[test]
    fn files_name_their_language() {
        let languages = ["en".to_owned(), "fr".to_owned(), "ar".to_owned()];
        let of = |path: &str| file_languages(path, &languages);
        assert_eq!(of("guides/roadmap.pdf"), (Some("en".into()), None));
        assert_eq!(of("fr/site/index.html"), (Some("fr".into()), None));
        assert_eq!(
            of("ar/questionnaires/readiness-1.0.0-bilingual.pdf"),
            (Some("ar".into()), Some("en".into()))
        );
        assert_eq!(of("frames/x.pdf"), (Some("en".into()), None));
        assert_eq!(file_languages("fr/x.pdf", &[]), (None, None));
    }

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

    // A bundle that takes the unchanged entries of an earlier one is the same zip as one
    // made from scratch, whether no file, one file or every file changed; an earlier
    // bundle of another edition, or bytes that are no zip, are not used.
    #[test]
    fn reusing_an_earlier_bundle_gives_the_same_zip() {
        let date = Date::new(2026, 11, 27).unwrap();
        let files = |changed: &str| -> Vec<(String, Vec<u8>)> {
            (0..20)
                .map(|i| {
                    let path = format!("guides/{i:02}.pdf");
                    let mut bytes = format!("file {i} ").repeat(500 + i).into_bytes();
                    if path == changed {
                        bytes.extend_from_slice(b"changed");
                    }
                    (path, bytes)
                })
                .collect()
        };
        let info = BundleInfo {
            toolkit: "tk",
            title: "T",
            edition: "1",
            date,
            start: Some("guides/03.pdf"),
            languages: &[],
        };
        let earlier = build_bundle_reusing(files(""), &info, None).unwrap().zip;
        let other = BundleInfo {
            edition: "2",
            ..info
        };
        let other_edition = build_bundle_reusing(files(""), &other, None).unwrap().zip;
        for (changed, copied) in [("", 20), ("guides/07.pdf", 19), ("guides/03.pdf", 19)] {
            let cold = build_bundle_reusing(files(changed), &info, None).unwrap();
            assert_eq!(cold.copied, 0);
            let warm = build_bundle_reusing(files(changed), &info, Some(&earlier)).unwrap();
            assert!(warm.zip == cold.zip, "changed {changed:?}");
            assert_eq!(warm.copied, copied, "changed {changed:?}");
            for previous in [&other_edition[..], b"not a zip"] {
                let warm = build_bundle_reusing(files(changed), &info, Some(previous)).unwrap();
                assert!(warm.zip == cold.zip && warm.copied == 0);
            }
        }
    }
}
