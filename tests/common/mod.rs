//! Helpers shared by the integration tests: fixture folders copied to a temporary
//! directory, a typesetter over them, and the `toolkit` binary.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use toolkit::build::open_typesetter;
use toolkit::content::Site;
use toolkit::typeset::Typesetter;

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The fixture toolkit's sources folder (read-only use).
pub fn fixture_sources() -> PathBuf {
    root().join("tests/fixtures/toolkit/sources")
}

/// The project's templates folder.
pub fn templates() -> PathBuf {
    root().join("templates")
}

/// Copies a folder tree.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// A writable copy of the fixture sources in a temporary folder.
pub fn fixture_copy() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let sources = dir.path().join("sources");
    copy_dir(&fixture_sources(), &sources);
    (dir, sources)
}

/// Loads a site, panicking with the problems if it has any.
pub fn load_site(sources: &Path) -> Site {
    Site::load(sources).unwrap_or_else(|p| panic!("fixture has problems:\n{p}"))
}

/// A typesetter over a site with the project's templates.
pub fn typesetter(site: &Site) -> Typesetter {
    open_typesetter(site, &templates(), (2025, 3, 4)).unwrap()
}

/// Runs the `toolkit` binary.
pub fn toolkit(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_toolkit"))
        .args(args)
        .current_dir(cwd)
        .env_remove("SOURCE_DATE_EPOCH")
        .output()
        .expect("failed to run toolkit")
}

/// Runs a program (such as pdfinfo) and returns its standard output.
pub fn run_tool(program: &str, args: &[&str]) -> String {
    let output = Command::new(program)
        .args(args)
        .output()
        .unwrap_or_else(|e| {
            panic!("{program} is needed by this test (apt-get install poppler-utils): {e}")
        });
    assert!(
        output.status.success(),
        "{program} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Collapses runs of whitespace, so text from laid-out pages compares with source text.
pub fn squash(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}
