//! An output folder written as one transaction, so a reader only ever sees a complete old
//! set of outputs or a complete new set, and no run ever replaces a folder it did not make.
//!
//! A run first checks the folder ([`refuse_out`]): it must be missing, empty, or an earlier
//! output of this tool of the same kind; anything else is refused before any work. A
//! symbolic link given as the folder is followed: the results land in its target. The run
//! takes a lock, so a second run on the same folder waits for the first, writes everything
//! into a staging folder, and when it finishes puts the new set in place:
//!
//! - **beside** the folder (the usual case): the lock is `.<name>.lock` and the staging
//!   folder `.<name>.staging` in its parent, swapped with the target in one step (Linux
//!   `renameat2(RENAME_EXCHANGE)`; elsewhere two renames, with the previous set kept aside
//!   as `.<name>.previous` until the new one is in place);
//! - **inside** the folder, when it is a mount point or its parent cannot be written: the
//!   lock, staging and previous folders are `.toolkit-output.lock`, `.toolkit-staging` and
//!   `.toolkit-previous` in the folder itself. The commit writes a journal into the staging
//!   folder, moves the old entries aside, then the new ones in; a run killed during that is
//!   finished forward by the next run, so the folder still holds one whole set.
//!
//! A run that is killed before its commit leaves the target untouched; the next run removes
//! what it left behind.

use std::fs::File;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

use crate::output::write_atomic;
use crate::output_mark::{INSIDE_NAMES, OUTPUT_MARK, OutputKind, OutputMark, refuse_out};

/// The journal of a commit inside the folder, in its staging folder.
const JOURNAL: &str = ".toolkit-commit";

/// Where the staged set is put in place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// Staging folder beside the target, swapped in one step.
    Beside,
    /// Staging folder inside the target (a mount point), moved in entry by entry.
    Inside,
}

/// An output folder being rebuilt: write into [`OutputTransaction::staging`], then
/// [`OutputTransaction::commit`]. Dropped without a commit, it removes the staging folder
/// and leaves the target as it was.
pub struct OutputTransaction {
    target: PathBuf,
    staging: PathBuf,
    previous: PathBuf,
    mode: Mode,
    kind: OutputKind,
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

/// The folder a `--out` path names: a symbolic link is followed to its target (which must
/// exist), so the results land there and the link stays a link.
fn resolve_out(out: &Path) -> Result<PathBuf> {
    if out.is_symlink() {
        return out.canonicalize().with_context(|| {
            format!(
                "{} is a symbolic link to a folder that does not exist",
                out.display()
            )
        });
    }
    Ok(out.to_path_buf())
}

/// Whether `path` is a mount point (Linux: listed in `/proc/self/mountinfo`; elsewhere, or
/// as well: on another device than its parent).
fn is_mount_point(path: &Path) -> bool {
    let Ok(real) = path.canonicalize() else {
        return false;
    };
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        if let (Ok(own), Some(Ok(parent))) = (
            std::fs::metadata(&real),
            real.parent().map(std::fs::metadata),
        ) && own.dev() != parent.dev()
        {
            return true;
        }
    }
    std::fs::read_to_string("/proc/self/mountinfo").is_ok_and(|table| {
        table.lines().any(|line| {
            line.split(' ')
                .nth(4)
                .is_some_and(|point| Path::new(&unescape_mount_path(point)) == real)
        })
    })
}

/// A mount point as `mountinfo` writes it, with `\040`-style octal escapes undone.
fn unescape_mount_path(field: &str) -> String {
    let bytes = field.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'\\'
            && i + 3 < bytes.len()
            && let Ok(code) = u8::from_str_radix(&field[i + 1..i + 4], 8)
        {
            out.push(code);
            i += 4;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Opens and takes the lock at `path`, waiting (with a note) while another run holds it.
pub fn take_lock(path: &Path, what: &Path) -> Result<File> {
    let lock = File::options()
        .create(true)
        .truncate(false)
        .write(true)
        .open(path)
        .with_context(|| format!("failed to open the lock file {}", path.display()))?;
    if lock.try_lock().is_err() {
        // Said at once, while the run waits (like a progress bar), not returned with the
        // run's other notes, which come only when it ends.
        eprintln!(
            "note: another toolkit run is writing {}; waiting for it to finish",
            what.display()
        );
        lock.lock()
            .with_context(|| format!("failed to lock {}", path.display()))?;
    }
    Ok(lock)
}

/// The lock of the output folder `target` (a path as given to `--out`): held while it is
/// open, so a build can keep a scoring run off its `reports/` folder while carrying it over.
pub fn lock_output(target: &Path) -> Result<File> {
    let target = resolve_out(target)?;
    if target.is_dir() && is_mount_point(&target) {
        return take_lock(&target.join(INSIDE_NAMES[0]), &target);
    }
    take_lock(&sibling(&target, "lock"), &target)
}

impl OutputTransaction {
    /// Checks that `out` may receive outputs of `kind` (see [`refuse_out`]; a refusal is an
    /// error naming the folder and what it holds), locks it (waiting, with a message, while
    /// another run holds it), finishes or cleans up what an interrupted run left behind, and
    /// creates an empty staging folder.
    pub fn begin(out: &Path, kind: OutputKind) -> Result<OutputTransaction> {
        if let Some(why) = refuse_out(out, kind) {
            bail!(why);
        }
        let target = resolve_out(out)?;
        let parent = target
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        std::fs::create_dir_all(parent)
            .with_context(|| format!("failed to create folder {}", parent.display()))?;
        let inside = target.is_dir() && is_mount_point(&target);
        let beside_lock = if inside {
            None
        } else {
            match take_lock(&sibling(&target, "lock"), out) {
                Ok(lock) => Some(lock),
                // A parent that cannot be written (a folder given to the user inside a
                // read-only one): the run works inside the folder instead.
                Err(_) if target.is_dir() => None,
                Err(error) => return Err(error),
            }
        };
        let (mode, lock, staging, previous) = match beside_lock {
            Some(lock) => (
                Mode::Beside,
                lock,
                sibling(&target, "staging"),
                sibling(&target, "previous"),
            ),
            None => (
                Mode::Inside,
                take_lock(&target.join(INSIDE_NAMES[0]), out)?,
                target.join(INSIDE_NAMES[1]),
                target.join(INSIDE_NAMES[2]),
            ),
        };
        let transaction = OutputTransaction {
            target,
            staging,
            previous,
            mode,
            kind,
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

    /// Puts back a previous set that a kill left aside (beside), or finishes a commit a kill
    /// interrupted (inside), and removes a stale staging folder.
    fn recover(&self) -> Result<()> {
        match self.mode {
            Mode::Beside => {
                if self.previous.exists() {
                    if self.target.exists() {
                        remove_any(&self.previous)?;
                    } else {
                        std::fs::rename(&self.previous, &self.target).with_context(|| {
                            format!("failed to restore {}", self.target.display())
                        })?;
                    }
                }
            }
            Mode::Inside => {
                if self.staging.join(JOURNAL).exists() {
                    self.move_in()?;
                }
                if self.previous.exists() {
                    remove_any(&self.previous)?;
                }
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

    /// The folder the outputs will be in once committed (a symbolic link given as `--out`
    /// resolved to its target).
    pub fn target(&self) -> &Path {
        &self.target
    }

    /// Whether the target holds outputs of an earlier run.
    pub fn has_previous_outputs(&self) -> bool {
        std::fs::read_dir(&self.target).is_ok_and(|entries| {
            entries
                .flatten()
                .any(|e| !INSIDE_NAMES.iter().any(|n| e.file_name() == *n))
        })
    }

    /// Marks the staged set as this tool's output, puts it in place of the target (in one
    /// step beside it, or entry by entry inside it) and removes the old set.
    pub fn commit(mut self) -> Result<()> {
        write_atomic(
            &self.staging.join(OUTPUT_MARK),
            &OutputMark::new(self.kind).to_json(),
        )?;
        match self.mode {
            Mode::Beside => self.commit_beside()?,
            Mode::Inside => {
                write_atomic(&self.staging.join(JOURNAL), b"ready\n")?;
                self.move_in()?;
                remove_any(&self.previous)?;
                remove_any(&self.staging)?;
            }
        }
        self.committed = true;
        Ok(())
    }

    fn commit_beside(&self) -> Result<()> {
        if !self.target.exists() {
            return std::fs::rename(&self.staging, &self.target).with_context(|| {
                format!(
                    "failed to move {} to {}",
                    self.staging.display(),
                    self.target.display()
                )
            });
        }
        swap(&self.staging, &self.target, &self.previous)?;
        // The old set is now under the staging name (exchange) or the previous name.
        for leftover in [&self.staging, &self.previous] {
            if leftover.exists() {
                remove_any(leftover)?;
            }
        }
        Ok(())
    }

    /// The journaled part of a commit inside the folder: every old entry moves into the
    /// previous folder, then (journal `moved`) every staged entry moves into the folder.
    /// Run again after a kill, it picks up where it stopped.
    fn move_in(&self) -> Result<()> {
        let journal = self.staging.join(JOURNAL);
        let moved = std::fs::read(&journal).is_ok_and(|j| j.starts_with(b"moved"));
        if !moved {
            std::fs::create_dir_all(&self.previous)
                .with_context(|| format!("failed to create {}", self.previous.display()))?;
            for name in entries(&self.target)? {
                if INSIDE_NAMES.iter().any(|n| name == *n) {
                    continue;
                }
                rename(&self.target.join(&name), &self.previous.join(&name))?;
            }
            write_atomic(&journal, b"moved\n")?;
        }
        for name in entries(&self.staging)? {
            if name == JOURNAL {
                continue;
            }
            rename(&self.staging.join(&name), &self.target.join(&name))?;
        }
        Ok(())
    }
}

/// The names in a folder.
fn entries(dir: &Path) -> Result<Vec<std::ffi::OsString>> {
    let read =
        std::fs::read_dir(dir).with_context(|| format!("failed to read {}", dir.display()))?;
    Ok(read.flatten().map(|e| e.file_name()).collect())
}

fn rename(from: &Path, to: &Path) -> Result<()> {
    std::fs::rename(from, to)
        .with_context(|| format!("failed to move {} to {}", from.display(), to.display()))
}

impl Drop for OutputTransaction {
    fn drop(&mut self) {
        // An inside commit that stopped half-way is finished by the next run, never undone.
        if !self.committed && !self.staging.join(JOURNAL).exists() {
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

    /// Marks `folder` as an earlier run's reports.
    fn mark(folder: &Path) {
        std::fs::write(
            folder.join(OUTPUT_MARK),
            OutputMark::new(OutputKind::Reports).to_json(),
        )
        .unwrap();
    }

    // A committed run replaces the whole old set; nothing of it, and no staging, remains.
    #[test]
    fn commit_replaces_the_whole_set() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("reports");
        std::fs::create_dir_all(target.join("responses")).unwrap();
        std::fs::write(target.join("responses/old.pdf"), b"old").unwrap();
        mark(&target);
        let tx = OutputTransaction::begin(&target, OutputKind::Reports).unwrap();
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
        mark(&target);
        {
            let tx = OutputTransaction::begin(&target, OutputKind::Reports).unwrap();
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
        let tx = OutputTransaction::begin(&target, OutputKind::Reports).unwrap();
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
