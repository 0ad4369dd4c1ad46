//! Helpers shared by the web edition's tests: the site built in memory from the shipped
//! sources, written to a temporary folder, and the rule for tools a test needs (skip
//! with a clear message when a tool is missing, fail when the `CI` variable is set).
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

use toolkit::project::Sources;
use toolkit::questionnaire::Questionnaire;

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The shipped sources, loaded.
pub fn shipped() -> (toolkit::content::Site, Vec<Questionnaire>) {
    let sources = Sources::load(&root().join("sources"))
        .unwrap_or_else(|p| panic!("sources have problems:\n{p}"));
    (sources.site, sources.questionnaires)
}

/// Writes the web edition of the shipped sources under `out` (as `out/site/...`).
pub fn write_site(out: &Path) {
    let (site, questionnaires) = shipped();
    let files = toolkit::site::build_site(&site, &questionnaires, &[], &root().join("templates"))
        .expect("the site builds");
    for (path, bytes) in files {
        let target = out.join(path);
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::write(target, bytes).unwrap();
    }
}

/// Whether `program --version` runs. When it does not, the test is skipped with a message,
/// unless the `CI` variable is set: then the missing tool is a failure.
pub fn tool_available(program: &str, why: &str) -> bool {
    let ok = Command::new(program)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        if std::env::var_os("CI").is_some() {
            panic!("{program} is missing and CI is set: {why}; .ci/run installs it");
        }
        eprintln!("SKIPPED: {program} is not installed ({why}); .ci/run installs it");
    }
    ok
}

/// Whether the browser tests' npm packages are installed (`npm ci --prefix tests/site`).
pub fn node_modules_available() -> bool {
    let ok = root()
        .join("tests/site/node_modules/puppeteer-core")
        .is_dir()
        && root().join("tests/site/node_modules/axe-core").is_dir();
    if !ok {
        if std::env::var_os("CI").is_some() {
            panic!("tests/site/node_modules is missing and CI is set; .ci/run runs npm ci");
        }
        eprintln!(
            "SKIPPED: run `npm ci --prefix tests/site` to install puppeteer-core and axe-core"
        );
    }
    ok
}
