//! An output folder written as one transaction, so a reader only ever sees a complete old
//! set of outputs or a complete new set.
//!
//! A run takes a lock beside the folder (`.<name>.lock` in its parent), so a second run on
//! the same folder waits for the first; it then writes everything into a sibling staging
//! folder (`.<name>.staging`) and, when it finishes, swaps the staging folder with the
//! target in one step (Linux `renameat2(RENAME_EXCHANGE)`; elsewhere two renames, with the
//! previous set kept aside as `.<name>.previous` until the new one is in place). A run that
//! is killed leaves the target untouched; the next run removes what it left behind and, if
//! a kill fell between the two renames of the fallback, puts the previous set back first.

use std::fs::File;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

/// An output folder being rebuilt: write into [`OutputTransaction::staging`], then
/// [`OutputTransaction::commit`]. Dropped without a commit, it removes the staging folder
/// and leaves the target as it was.
pub struct OutputTransaction {
    target: PathBuf,
    staging: PathBuf,
    previous: PathBuf,
    committed: bool,
    _lock: File,
}

/// A sibling of `target` named `.<name>.<suffix>`.
fn sibling(target: &Path, suffix: &str) -> PathBuf {
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "output".to_owned());
    target.with_file_name(format!(".{name}.{suffix}"))
}

impl OutputTransaction {
    /// Locks `target` (waiting, with a message, while another run holds it), cleans up what
    /// an interrupted run left behind, and creates an empty staging folder.
    pub fn begin(target: &Path) -> Result<OutputTransaction> {
        let parent = target
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        std::fs::create_dir_all(parent)
            .with_context(|| format!("failed to create folder {}", parent.display()))?;
        if target.exists() && !target.is_dir() {
            anyhow::bail!("{} exists and is not a folder", target.display());
        }
        let lock_path = sibling(target, "lock");
        let lock = File::options()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&lock_path)
            .with_context(|| format!("failed to open the lock file {}", lock_path.display()))?;
        if lock.try_lock().is_err() {
            eprintln!(
                "note: another toolkit run is writing {}; waiting for it to finish",
                target.display()
            );
            lock.lock()
                .with_context(|| format!("failed to lock {}", lock_path.display()))?;
        }
        let transaction = OutputTransaction {
            target: target.to_path_buf(),
            staging: sibling(target, "staging"),
            previous: sibling(target, "previous"),
            committed: false,
            _lock: lock,
        };
        transaction.recover()?;
        std::fs::create_dir_all(&transaction.staging).with_context(|| {
            format!(
                "failed to create the staging folder {}",
                transaction.staging.display()
            )
        })?;
        Ok(transaction)
    }

    /// Puts back a previous set that a kill left aside, and removes a stale staging folder.
    fn recover(&self) -> Result<()> {
        if self.previous.exists() {
            if self.target.exists() {
                remove_any(&self.previous)?;
            } else {
                std::fs::rename(&self.previous, &self.target)
                    .with_context(|| format!("failed to restore {}", self.target.display()))?;
            }
        }
        if self.staging.exists() {
            remove_any(&self.staging)?;
        }
        Ok(())
    }

    /// The folder to write this run's outputs into.
    pub fn staging(&self) -> &Path {
        &self.staging
    }

    /// The folder the outputs will be in once committed.
    pub fn target(&self) -> &Path {
        &self.target
    }

    /// Whether the target holds outputs of an earlier run.
    pub fn has_previous_outputs(&self) -> bool {
        std::fs::read_dir(&self.target).is_ok_and(|mut entries| entries.next().is_some())
    }

    /// Puts the staged outputs in place of the target in one step and removes the old set.
    pub fn commit(mut self) -> Result<()> {
        let replaced = if self.target.exists() {
            swap(&self.staging, &self.target, &self.previous)?;
            true
        } else {
            std::fs::rename(&self.staging, &self.target).with_context(|| {
                format!(
                    "failed to move {} to {}",
                    self.staging.display(),
                    self.target.display()
                )
            })?;
            false
        };
        self.committed = true;
        if replaced {
            // The old set is now under the staging name (exchange) or the previous name.
            for leftover in [&self.staging, &self.previous] {
                if leftover.exists() {
                    remove_any(leftover)?;
                }
            }
        }
        Ok(())
    }
}

impl Drop for OutputTransaction {
    fn drop(&mut self) {
        if !self.committed {
            let _ = remove_any(&self.staging);
        }
    }
}

/// Removes a folder tree or a file.
fn remove_any(path: &Path) -> Result<()> {
    let result = if path.is_dir() && !path.is_symlink() {
        std::fs::remove_dir_all(path)
    } else {
        std::fs::remove_file(path)
    };
    result.with_context(|| format!("failed to remove {}", path.display()))
}

/// Exchanges `staging` and `target` atomically (Linux).
#[cfg(target_os = "linux")]
fn swap(staging: &Path, target: &Path, _previous: &Path) -> Result<()> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let c = |p: &Path| CString::new(p.as_os_str().as_bytes()).expect("paths have no NUL byte");
    let (from, to) = (c(staging), c(target));
    // SAFETY: both arguments are valid NUL-terminated paths, relative to the current folder.
    let status = unsafe {
        libc::renameat2(
            libc::AT_FDCWD,
            from.as_ptr(),
            libc::AT_FDCWD,
            to.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    if status == 0 {
        return Ok(());
    }
    let error = std::io::Error::last_os_error();
    // File systems without the exchange flag fall back to two renames.
    if matches!(
        error.raw_os_error(),
        Some(libc::EINVAL) | Some(libc::ENOSYS)
    ) {
        return swap_by_renames(staging, target, _previous);
    }
    Err(error).with_context(|| {
        format!(
            "failed to put {} in place of {}",
            staging.display(),
            target.display()
        )
    })
}

/// Without an atomic exchange: the previous set moves aside, then the new set moves in.
#[cfg(not(target_os = "linux"))]
fn swap(staging: &Path, target: &Path, previous: &Path) -> Result<()> {
    swap_by_renames(staging, target, previous)
}

fn swap_by_renames(staging: &Path, target: &Path, previous: &Path) -> Result<()> {
    std::fs::rename(target, previous)
        .with_context(|| format!("failed to move {} aside", target.display()))?;
    std::fs::rename(staging, target).with_context(|| {
        format!(
            "failed to move {} to {}",
            staging.display(),
            target.display()
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    // A committed run replaces the whole old set; nothing of it, and no staging, remains.
    #[test]
    fn commit_replaces_the_whole_set() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("reports");
        std::fs::create_dir_all(target.join("responses")).unwrap();
        std::fs::write(target.join("responses/old.pdf"), b"old").unwrap();
        let tx = OutputTransaction::begin(&target).unwrap();
        assert!(tx.has_previous_outputs());
        std::fs::write(tx.staging().join("summary.csv"), b"new").unwrap();
        tx.commit().unwrap();
        assert_eq!(std::fs::read(target.join("summary.csv")).unwrap(), b"new");
        assert!(!target.join("responses/old.pdf").exists());
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        assert!(
            names.iter().all(|n| n == "reports" || n == ".reports.lock"),
            "{names:?}"
        );
    }

    // A run dropped before its commit (an error, a panic) leaves the old set untouched.
    #[test]
    fn abandoned_run_keeps_the_old_set() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("reports");
        std::fs::create_dir_all(&target).unwrap();
        std::fs::write(target.join("summary.csv"), b"old").unwrap();
        {
            let tx = OutputTransaction::begin(&target).unwrap();
            std::fs::write(tx.staging().join("summary.csv"), b"half").unwrap();
        }
        assert_eq!(std::fs::read(target.join("summary.csv")).unwrap(), b"old");
        assert!(!sibling(&target, "staging").exists());
    }

    // What a killed run left behind is cleaned up, and a set moved aside is put back.
    #[test]
    fn recovers_from_a_killed_run() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("reports");
        let previous = sibling(&target, "previous");
        std::fs::create_dir_all(&previous).unwrap();
        std::fs::write(previous.join("summary.csv"), b"old").unwrap();
        std::fs::create_dir_all(sibling(&target, "staging")).unwrap();
        std::fs::write(sibling(&target, "staging").join("x.pdf"), b"half").unwrap();
        let tx = OutputTransaction::begin(&target).unwrap();
        assert_eq!(std::fs::read(target.join("summary.csv")).unwrap(), b"old");
        assert!(!tx.staging().join("x.pdf").exists());
        assert!(!previous.exists());
    }

    // The fallback swap (two renames) ends in the same state as the exchange.
    #[test]
    fn rename_fallback_swaps() {
        let dir = tempfile::tempdir().unwrap();
        let (staging, target, previous) = (
            dir.path().join("s"),
            dir.path().join("t"),
            dir.path().join("p"),
        );
        std::fs::create_dir_all(&staging).unwrap();
        std::fs::create_dir_all(&target).unwrap();
        std::fs::write(staging.join("new"), b"").unwrap();
        swap_by_renames(&staging, &target, &previous).unwrap();
        assert!(target.join("new").exists() && previous.exists() && !staging.exists());
    }
}
