//! Writing outputs safely: every file is written to a temporary name in its folder and
//! renamed into place, so an interrupted run never leaves a half-written file; progress
//! bars that show on a terminal only; and the timing of a run's named stages.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, Result};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use sha2::{Digest, Sha256};

/// Writes `bytes` to `path` atomically (temporary file, then rename), creating folders.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)
        .with_context(|| format!("failed to create folder {}", dir.display()))?;
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("output");
    let temp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = (|| -> std::io::Result<()> {
        let mut file = std::fs::File::create(&temp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        std::fs::rename(&temp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    result.with_context(|| format!("failed to write {}", path.display()))
}

/// Lowercase hexadecimal SHA-256 of `bytes` (checksums in manifests and run records,
/// short hashes in file names).
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// `path` made absolute with every existing part resolved (symbolic links followed), so
/// two spellings of one folder compare equal even when its last parts do not exist yet.
pub fn resolved(path: &Path) -> PathBuf {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut existing = absolute.as_path();
    let mut rest = Vec::new();
    loop {
        if let Ok(real) = existing.canonicalize() {
            return rest.iter().rev().fold(real, |p, part| p.join(part));
        }
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_owned());
                existing = parent;
            }
            _ => return absolute,
        }
    }
}

/// SHA-256 of a whole folder: every file under it (symbolic links followed, hidden files
/// included), by `/`-separated relative path and content, in path order. What a compile
/// or a run can read from the folder is all in it.
pub fn folder_digest(dir: &Path) -> Result<String> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(folder) = stack.pop() {
        let entries = std::fs::read_dir(&folder)
            .with_context(|| format!("failed to read folder {}", folder.display()))?;
        for entry in entries {
            let path = entry
                .with_context(|| format!("failed to read folder {}", folder.display()))?
                .path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let relative = path.strip_prefix(dir).expect("walked from dir");
                let name: Vec<String> = relative
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect();
                files.push((name.join("/"), path));
            }
        }
    }
    files.sort();
    let mut digest = Sha256::new();
    for (name, path) in files {
        let bytes =
            std::fs::read(&path).with_context(|| format!("failed to read {}", path.display()))?;
        digest.update(format!("{name}\n{}\n", bytes.len()).as_bytes());
        digest.update(&bytes);
    }
    Ok(format!("{:x}", digest.finalize()))
}

/// A progress bar on standard error when it is a terminal (and not under CI); hidden otherwise.
pub fn progress_bar(len: usize, message: &str) -> ProgressBar {
    let visible = std::io::stderr().is_terminal() && std::env::var_os("CI").is_none();
    let bar = ProgressBar::with_draw_target(
        Some(len as u64),
        if visible {
            ProgressDrawTarget::stderr()
        } else {
            ProgressDrawTarget::hidden()
        },
    );
    bar.set_style(
        ProgressStyle::with_template("{msg:>12} [{bar:30}] {pos}/{len} {elapsed}")
            .expect("valid template")
            .progress_chars("=> "),
    );
    bar.set_message(message.to_owned());
    bar
}

/// Times the named stages of a run, one after the other.
pub struct Stages {
    clock: Instant,
    timings: Vec<(&'static str, f64)>,
}

impl Stages {
    /// Starts the clock of the first stage.
    pub fn start() -> Stages {
        Stages {
            clock: Instant::now(),
            timings: Vec::new(),
        }
    }

    /// Ends the current stage under `name` and starts the next.
    pub fn lap(&mut self, name: &'static str) {
        self.timings
            .push((name, self.clock.elapsed().as_secs_f64()));
        self.clock = Instant::now();
    }

    /// Seconds per stage, in order.
    pub fn into_timings(self) -> Vec<(&'static str, f64)> {
        self.timings
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // An atomic write leaves the file complete and no temporary file behind.
    #[test]
    fn atomic_write_leaves_no_temp() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a/b/out.txt");
        write_atomic(&path, b"hello").unwrap();
        write_atomic(&path, b"world").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"world");
        let names: Vec<_> = std::fs::read_dir(path.parent().unwrap())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names.len(), 1);
    }

    // Any file of a folder, not only templates, changes its digest; the same files give
    // the same digest.
    #[test]
    fn folder_digest_covers_every_file() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("img")).unwrap();
        std::fs::write(dir.path().join("report.typ"), b"x").unwrap();
        std::fs::write(dir.path().join("img/logo.png"), b"old logo").unwrap();
        let before = folder_digest(dir.path()).unwrap();
        assert_eq!(folder_digest(dir.path()).unwrap(), before);
        std::fs::write(dir.path().join("img/logo.png"), b"new logo").unwrap();
        assert_ne!(folder_digest(dir.path()).unwrap(), before);
    }
}
