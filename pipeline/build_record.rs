//! `.toolkit-build.json`: the record of a build, written beside the output folder's mark
//! (`.toolkit-output.json`) so the next build into the same folder can take what did not
//! change instead of making it again, as a scoring run does with its reports.
//!
//! The record lists every file the build wrote: its path, its SHA-256, and the key of what
//! shaped it (a SHA-256 of every input of the file and of the toolkit that made it; see
//! [`Generator`]). The next build computes each file's key before making it and takes the
//! previous file instead when the record holds the same key for the same path and the file
//! on disk still has the recorded SHA-256; a file edited or damaged by hand is made again.
//!
//! A record is never trusted as it stands: an entry at a path a build never writes (`..`,
//! an absolute path, a hidden name, `reports/`) is ignored with a note, and a file is read
//! only when it is a regular file really inside the output folder (no symbolic link out
//! of it).

use crate::i18n::TRANSLATIONS_DIR;
use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::batch::record::file_inside;
use crate::language::Language;
use crate::layout::Layout;
use crate::output::{sha256_hex, write_atomic};
use crate::typeset::{Diagnostic, Template, Warning};

/// File name of the build record, at the root of a build's output folder.
pub const BUILD_RECORD: &str = ".toolkit-build.json";

/// The version of the build's writers and of this record: bump it when a writer (a
/// workbook, the web edition, a job's data) changes what it makes from the same inputs,
/// so that no build takes a file an older writer made.
pub const WRITERS_VERSION: u32 = 1;

/// A warning Typst gave while typesetting a file, kept so that a build that reuses the
/// file reports it as the build that made it did.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RecordedWarning {
    /// The template's path and entry point, when the job called one.
    pub template: Option<(String, String)>,
    /// Whether Typst located it in the templates folder.
    pub in_templates: bool,
    /// What Typst said, and where.
    pub diagnostic: Diagnostic,
}

impl RecordedWarning {
    /// The record of `warning`.
    pub fn of(warning: &Warning) -> RecordedWarning {
        RecordedWarning {
            template: warning
                .template
                .map(|t| (t.path.to_owned(), t.function.to_owned())),
            in_templates: warning.in_templates,
            diagnostic: warning.diagnostic.clone(),
        }
    }

    /// The warning again; a template this toolkit does not know is left out.
    pub fn warning(&self) -> Warning {
        let template = self.template.as_ref().and_then(|(path, function)| {
            Template::ALL
                .into_iter()
                .find(|t| t.path == path && t.function == function)
        });
        Warning {
            template,
            in_templates: self.in_templates,
            diagnostic: self.diagnostic.clone(),
        }
    }
}

/// One file of a build.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RecordedFile {
    /// Path relative to the output folder, `/`-separated.
    pub path: String,
    /// SHA-256 of the contents, hex.
    pub sha256: String,
    /// SHA-256 of everything that shaped it; `None` for the files made from all the others
    /// (the bundle and its manifest), which are made again every time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    /// Typst's warnings when it was typeset.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<RecordedWarning>,
}

/// The whole record.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct BuildRecord {
    /// `toolkit <version>`.
    pub toolkit: String,
    /// [`WRITERS_VERSION`] of the build that wrote it; a record of another is not read.
    pub writers: u32,
    /// Every file the build wrote, sorted by path.
    pub files: Vec<RecordedFile>,
}

impl BuildRecord {
    /// The record of `files`, written as pretty JSON into `folder`.
    pub fn write(folder: &Path, mut files: Vec<RecordedFile>) -> anyhow::Result<()> {
        files.sort_by(|a, b| a.path.cmp(&b.path));
        let record = BuildRecord {
            toolkit: format!("toolkit {}", env!("CARGO_PKG_VERSION")),
            writers: WRITERS_VERSION,
            files,
        };
        let mut json = serde_json::to_vec_pretty(&record).expect("the record serialises");
        json.push(b'\n');
        write_atomic(&folder.join(BUILD_RECORD), &json)
    }
}

/// What made a build's files: the toolkit's version, [`WRITERS_VERSION`] and a SHA-256 of
/// the running executable, so that a toolkit built from changed code never takes what
/// another made. Every key starts from it.
#[derive(Debug, Clone, Copy)]
pub struct Generator(&'static str);

impl Generator {
    /// The running toolkit's identity (read once per process); `None` when its executable
    /// cannot be read, and then no file can be keyed or reused.
    pub fn current() -> Option<Generator> {
        static IDENTITY: OnceLock<Option<String>> = OnceLock::new();
        IDENTITY
            .get_or_init(|| {
                let exe = std::env::current_exe().ok()?;
                let mut file = std::fs::File::open(exe).ok()?;
                let mut digest = Sha256::new();
                let mut buffer = vec![0; 1 << 16];
                loop {
                    let read = file.read(&mut buffer).ok()?;
                    if read == 0 {
                        break;
                    }
                    digest.update(&buffer[..read]);
                }
                Some(format!(
                    "toolkit {} writers {WRITERS_VERSION} executable {:x}",
                    env!("CARGO_PKG_VERSION"),
                    digest.finalize()
                ))
            })
            .as_deref()
            .map(Generator)
    }

    /// The key of a file made from `parts` (each length-prefixed, so no two lists of parts
    /// give the same bytes).
    pub fn key(self, parts: &[&[u8]]) -> String {
        let mut digest = Sha256::new();
        digest.update(self.0.as_bytes());
        for part in parts {
            digest.update(format!("\n{}\n", part.len()).as_bytes());
            digest.update(part);
        }
        format!("{:x}", digest.finalize())
    }
}

/// SHA-256 of the sources folder as one language reads it: every Markdown and TOML file
/// through the language's translations ([`Language::read`]), every other file as it is, by
/// `/`-separated relative path, in path order. Everything an edition of the site is made
/// from, in that language: the catalogues of other languages are left out (a change to
/// the French translation does not make the English or Arabic site again).
pub fn sources_digest(language: &Language, dir: &Path) -> anyhow::Result<String> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(folder) = stack.pop() {
        for entry in std::fs::read_dir(&folder)? {
            let path = entry?.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let name = path.strip_prefix(dir)?.to_string_lossy().replace('\\', "/");
                let other_language = name
                    .strip_prefix(TRANSLATIONS_DIR)
                    .and_then(|rest| rest.strip_prefix('/'))
                    .is_some_and(|rest| !rest.starts_with(&format!("{}/", language.id)));
                if !other_language {
                    files.push((name, path));
                }
            }
        }
    }
    files.sort();
    let mut digest = Sha256::new();
    for (name, path) in files {
        let text = matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("md" | "toml")
        );
        let bytes = match text {
            true => language.read(dir, &path)?.into_bytes(),
            false => std::fs::read(&path)?,
        };
        digest.update(format!("{name}\n{}\n", bytes.len()).as_bytes());
        digest.update(&bytes);
    }
    Ok(format!("{:x}", digest.finalize()))
}

/// A file of the previous build, still as it was recorded.
#[derive(Debug)]
pub struct Reused {
    /// Its path, relative to the output folder.
    pub path: String,
    /// Its bytes.
    pub bytes: Vec<u8>,
    /// Their SHA-256.
    pub sha256: String,
    /// Typst's warnings when it was typeset.
    pub warnings: Vec<Warning>,
}

/// The previous build of an output folder, as its record describes it.
#[derive(Debug, Default)]
pub struct PreviousBuild {
    folder: PathBuf,
    files: HashMap<String, RecordedFile>,
}

impl PreviousBuild {
    /// No previous build: nothing is reused.
    pub fn none() -> PreviousBuild {
        PreviousBuild::default()
    }

    /// The build recorded in `folder`; none when there is no readable record (a damaged
    /// one, or one of other writers, says so in `notes`). Entries at paths a build never
    /// writes are left out, with a note.
    pub fn read(folder: &Path, notes: &mut Vec<String>) -> PreviousBuild {
        let path = folder.join(BUILD_RECORD);
        let Ok(bytes) = std::fs::read(&path) else {
            return PreviousBuild::none();
        };
        let record = match serde_json::from_slice::<BuildRecord>(&bytes) {
            Ok(record) if record.writers == WRITERS_VERSION => record,
            Ok(_) => return PreviousBuild::none(),
            Err(_) => {
                notes.push(format!(
                    "{} is damaged; everything is made again",
                    path.display()
                ));
                return PreviousBuild::none();
            }
        };
        let (files, ignored): (Vec<RecordedFile>, Vec<RecordedFile>) = record
            .files
            .into_iter()
            .partition(|file| is_build_path(&file.path));
        if !ignored.is_empty() {
            notes.push(format!(
                "{} lists {} file(s) at paths a build never writes; they were ignored",
                path.display(),
                ignored.len()
            ));
        }
        PreviousBuild {
            folder: folder.to_path_buf(),
            files: files.into_iter().map(|f| (f.path.clone(), f)).collect(),
        }
    }

    /// The previous file at `path` when it was made with `key` and is still as recorded.
    pub fn reuse(&self, path: &str, key: &str) -> Option<Reused> {
        let recorded = self.files.get(path)?;
        if recorded.key.as_deref() != Some(key) {
            return None;
        }
        self.intact(recorded)
    }

    /// Every previous file made with `key` (the files of one unit made together, such as a
    /// language's web edition), all under `folder`; `None` unless there is at least one and
    /// every one is still as recorded.
    pub fn reuse_unit(&self, key: &str, folder: &str) -> Option<Vec<Reused>> {
        let mut unit: Vec<&RecordedFile> = self
            .files
            .values()
            .filter(|f| f.key.as_deref() == Some(key))
            .collect();
        if unit.is_empty() || !unit.iter().all(|f| f.path.starts_with(folder)) {
            return None;
        }
        unit.sort_by(|a, b| a.path.cmp(&b.path));
        unit.into_iter().map(|f| self.intact(f)).collect()
    }

    /// The bytes of the previous file at `path` when it is still as recorded, whatever
    /// made it.
    pub fn file(&self, path: &str) -> Option<Vec<u8>> {
        self.intact(self.files.get(path)?).map(|r| r.bytes)
    }

    /// Links (or copies) the previous file at `path` to `to`; `false` when that cannot be
    /// done (then the caller writes the bytes).
    pub fn link(&self, path: &str, to: &Path) -> bool {
        let Some(from) = file_inside(&self.folder, path) else {
            return false;
        };
        if let Some(parent) = to.parent()
            && std::fs::create_dir_all(parent).is_err()
        {
            return false;
        }
        std::fs::hard_link(&from, to).is_ok()
    }

    /// The recorded file read back, when it is a regular file inside the folder with the
    /// recorded SHA-256.
    fn intact(&self, recorded: &RecordedFile) -> Option<Reused> {
        let file = file_inside(&self.folder, &recorded.path)?;
        let bytes = std::fs::read(file).ok()?;
        let sha256 = sha256_hex(&bytes);
        (sha256 == recorded.sha256).then(|| Reused {
            path: recorded.path.clone(),
            bytes,
            sha256,
            warnings: recorded.warnings.iter().map(|w| w.warning()).collect(),
        })
    }
}

/// Whether a build could have written `path`: relative, `/`-separated, every part a
/// plain name (no `.`, `..`, hidden name, backslash, colon or control character), and not
/// under `reports/` (which a build carries over, never writes).
pub fn is_build_path(path: &str) -> bool {
    let reports = Layout::source().reports().into_string();
    let plain = |part: &str| {
        !part.is_empty()
            && !part.starts_with('.')
            && !part
                .chars()
                .any(|c| c == '\\' || c == ':' || c.is_control())
    };
    path.split('/').all(plain)
        && path.split('/').next() != Some(reports.as_str())
        && path.len() <= 1024
}

#[cfg(test)]
mod tests {
    use super::*;

    // Only the paths a build writes are taken from a record.
    #[test]
    fn build_paths() {
        for ok in ["guides/a.pdf", "fr/site/index.html", "manifest.json"] {
            assert!(is_build_path(ok), "{ok}");
        }
        for bad in [
            "../x",
            "guides/../../x",
            "/etc/passwd",
            "",
            "guides//a.pdf",
            "./guides/a.pdf",
            ".toolkit-output.json",
            "reports/summary.csv",
            "C:/x",
            "guides\\a.pdf",
            "guides/a\n.pdf",
        ] {
            assert!(!is_build_path(bad), "{bad:?}");
        }
    }

    // A key depends on every part and on where one part ends.
    #[test]
    fn keys_separate_their_parts() {
        let g = Generator("g");
        assert_eq!(g.key(&[b"ab", b"c"]), g.key(&[b"ab", b"c"]));
        assert_ne!(g.key(&[b"ab", b"c"]), g.key(&[b"a", b"bc"]));
        assert_ne!(g.key(&[b"ab"]), Generator("h").key(&[b"ab"]));
    }

    // A recorded warning comes back with its template.
    #[test]
    fn warnings_round_trip() {
        let warning = Warning {
            template: Some(Template::GUIDE),
            in_templates: true,
            diagnostic: Diagnostic {
                is_error: false,
                file: Some("templates/guide.typ".into()),
                line: Some(3),
                message: "unknown font".into(),
                hints: vec!["a hint".into()],
            },
        };
        let json = serde_json::to_string(&RecordedWarning::of(&warning)).unwrap();
        let back: RecordedWarning = serde_json::from_str(&json).unwrap();
        assert_eq!(back.warning(), warning);
    }
}
