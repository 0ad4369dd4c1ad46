//! Helpers shared by the integration tests: fixture folders copied to a temporary
//! directory, a typesetter over them, the `toolkit` binary, the web edition of the shipped
//! sources, and the one rule for external tools (skip with a message, fail under CI).
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use toolkit::content::Site;
use toolkit::date::Date;
use toolkit::project::{Project, ProjectOptions, open_typesetter};
use toolkit::typeset::Typesetter;

pub mod reference;

/// The fixed date of every test document: 4 March 2025 (`SOURCE_DATE_EPOCH` 1741046400).
pub const TEST_EPOCH: i64 = 1_741_046_400;

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
    open_typesetter(
        site,
        &templates(),
        Date::from_epoch(TEST_EPOCH),
        Default::default(),
    )
    .unwrap()
}

/// The project over a sources folder, as the command line opens it, with the project's
/// templates, the test date and two compile threads.
pub fn open_project(sources: &Path) -> Project {
    let options = ProjectOptions {
        source_date_epoch: Some(TEST_EPOCH),
        threads: Some(2),
        sources: sources.to_path_buf(),
        ..ProjectOptions::at(&root())
    };
    Project::open(&options).unwrap_or_else(|e| {
        panic!(
            "fixture does not open:
{e}"
        )
    })
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

/// The variable that lets tests whose tools are missing be skipped (README, "Run the
/// tests"); without it, a missing tool fails the test with the command that installs it,
/// so a test that did not run never counts as passed.
pub const SKIP_MISSING: &str = "TOOLKIT_SKIP_MISSING_TOOLS";

/// A tool a test needs is missing: fails the test, naming the command that installs it,
/// or (with [`SKIP_MISSING`] set) says the test is skipped and returns `false`.
fn missing(what: &str, install: &str) -> bool {
    assert!(
        std::env::var_os(SKIP_MISSING).is_some(),
        "{what} is needed by this test: {install} (or set {SKIP_MISSING}=1 to skip the tests whose tools are missing)"
    );
    eprintln!("skipped ({SKIP_MISSING} is set): {what} is not installed ({install})");
    false
}

/// Whether an external program a test needs is installed (found on `PATH`); when it is
/// not, see [`missing`].
pub fn have(program: &str, install: &str) -> bool {
    let found = std::env::var_os("PATH")
        .is_some_and(|path| std::env::split_paths(&path).any(|dir| dir.join(program).is_file()));
    found || missing(program, install)
}

/// Whether python3 with openpyxl is installed (see [`have`]).
pub fn have_openpyxl() -> bool {
    let found = Command::new("python3")
        .args(["-c", "import openpyxl"])
        .output()
        .is_ok_and(|o| o.status.success());
    found || missing("python3 with openpyxl", "python3 -m pip install openpyxl")
}

/// Debian's package of the PDF tools the tests read PDFs with.
pub const POPPLER: &str = "apt-get install poppler-utils";
/// Debian's package of LibreOffice Calc, which recalculates workbooks in the tests.
pub const LIBREOFFICE: &str = "apt-get install libreoffice-calc-nogui";

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

/// Fills a workbook's input cells with openpyxl (tests/tools/fill_workbook.py), as a
/// person using another spreadsheet program would.
pub fn fill_workbook(source: &Path, target: &Path, spec: &serde_json::Value) {
    let spec_path = target.with_extension("json");
    std::fs::write(&spec_path, serde_json::to_vec(spec).unwrap()).unwrap();
    let script = root().join("tests/tools/fill_workbook.py");
    let output = Command::new("python3")
        .args([script.as_path(), source, target, spec_path.as_path()])
        .output()
        .expect("python3 is needed by this test");
    assert!(
        output.status.success(),
        "filling the workbook failed (pip install openpyxl): {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// Fills one fresh copy of a workbook per `(name, spec)` with openpyxl, in one run of
/// tests/tools/fill_workbook.py, as `out_dir/<name>.xlsx`; returns their paths in order.
pub fn fill_workbooks(
    source: &Path,
    out_dir: &Path,
    specs: &[(String, serde_json::Value)],
) -> Vec<PathBuf> {
    let all: serde_json::Map<String, serde_json::Value> = specs.iter().cloned().collect();
    let spec_path = out_dir.join("specs.json");
    std::fs::write(&spec_path, serde_json::to_vec(&all).unwrap()).unwrap();
    let script = root().join("tests/tools/fill_workbook.py");
    let output = Command::new("python3")
        .arg(script)
        .arg("--many")
        .args([source, out_dir, spec_path.as_path()])
        .output()
        .expect("python3 is needed by this test");
    assert!(
        output.status.success(),
        "filling the workbooks failed (pip install openpyxl): {}",
        String::from_utf8_lossy(&output.stderr)
    );
    specs
        .iter()
        .map(|(name, _)| out_dir.join(format!("{name}.xlsx")))
        .collect()
}

/// Converts a spreadsheet with headless LibreOffice (`soffice`), recalculating every
/// formula on load, and returns the converted file's path.
pub fn libreoffice_convert(source: &Path, format: &str, out_dir: &Path) -> PathBuf {
    libreoffice_convert_all(&[source.to_path_buf()], format, out_dir).remove(0)
}

/// Converts spreadsheets (with distinct names) in one run of headless LibreOffice,
/// recalculating every formula on load; returns the converted files' paths in order.
pub fn libreoffice_convert_all(sources: &[PathBuf], format: &str, out_dir: &Path) -> Vec<PathBuf> {
    let profile = out_dir.join("lo-profile");
    std::fs::create_dir_all(profile.join("user")).unwrap();
    std::fs::write(
        profile.join("user/registrymodifications.xcu"),
        r#"<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="ODFRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"#,
    )
    .unwrap();
    let output = Command::new("soffice")
        .arg(format!(
            "-env:UserInstallation=file://{}",
            profile.display()
        ))
        .args(["--headless", "--convert-to", format, "--outdir"])
        .arg(out_dir)
        .args(sources)
        .output()
        .expect(
            "LibreOffice (soffice) is needed by this test: apt-get install libreoffice-calc-nogui",
        );
    let extension = format.split(':').next().unwrap();
    sources
        .iter()
        .map(|source| {
            let stem = source.file_stem().unwrap().to_str().unwrap();
            let converted = out_dir.join(format!("{stem}.{extension}"));
            assert!(
                converted.is_file(),
                "soffice did not convert {}: {} {}",
                source.display(),
                String::from_utf8_lossy(&output.stdout),
                String::from_utf8_lossy(&output.stderr)
            );
            converted
        })
        .collect()
}

/// The shipped sources, loaded.
pub fn shipped() -> (Site, Vec<toolkit::questionnaire::Questionnaire>) {
    let sources = toolkit::project::Sources::load(&root().join("sources"))
        .unwrap_or_else(|p| panic!("sources have problems:\n{p}"));
    (sources.site, sources.questionnaires)
}

/// Writes the web edition of the shipped sources under `out` (as `out/site/...`).
pub fn write_site(out: &Path) {
    let (site, questionnaires) = shipped();
    write_site_of(out, &site, &questionnaires);
}

/// Writes the web edition of a site and questionnaires under `out` (as `out/site/...`).
pub fn write_site_of(
    out: &Path,
    site: &Site,
    questionnaires: &[toolkit::questionnaire::Questionnaire],
) {
    let files = toolkit::site::build_site(site, questionnaires, &[], &root().join("templates"))
        .expect("the site builds");
    for (path, bytes) in files {
        let target = out.join(path);
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::write(target, bytes).unwrap();
    }
}

/// The folder of the method 2 fixture definitions (tests/fixtures/method-2/README.md).
pub fn method_two_dir() -> PathBuf {
    root().join("tests/fixtures/method-2")
}

/// The method 2 fixture definitions, loaded against a site's roles and stages (the
/// shipped site's, as the fixtures name its roles), sorted by file name.
pub fn method_two_fixtures(site: &Site) -> Vec<toolkit::questionnaire::Questionnaire> {
    let mut problems = toolkit::problem::Problems::default();
    let loaded: Vec<_> = toolkit::questionnaire::definition_files(&method_two_dir())
        .expect("the fixture folder reads")
        .into_iter()
        .filter_map(|path| {
            let text = std::fs::read_to_string(&path).unwrap();
            toolkit::questionnaire::definition::load_definition(
                &text,
                &path.display().to_string(),
                site,
                &mut problems,
            )
        })
        .collect();
    assert!(problems.is_empty(), "method 2 fixtures:\n{problems}");
    assert!(!loaded.is_empty(), "no method 2 fixture");
    loaded
}

/// Whether the browser tests' npm packages are installed; when they are not and npm is
/// there, installs them (`npm ci --prefix tests/site`, pinned by its lock file) first.
/// Otherwise see [`missing`].
pub fn node_modules_available() -> bool {
    let site = root().join("tests/site");
    let installed = || {
        site.join("node_modules/puppeteer-core").is_dir()
            && site.join("node_modules/axe-core").is_dir()
    };
    if installed() {
        return true;
    }
    let npm_ci = "npm ci --prefix tests/site";
    if have("npm", "apt-get install npm") {
        let lock = std::fs::File::create(site.join(".npm-ci.lock")).expect("lock file");
        lock.lock().expect("lock");
        if !installed() {
            let status = Command::new("npm")
                .args([
                    "ci",
                    "--no-audit",
                    "--no-fund",
                    "--loglevel=error",
                    "--prefix",
                ])
                .arg(&site)
                .status()
                .expect("npm runs");
            assert!(status.success(), "`{npm_ci}` failed");
        }
    }
    installed() || missing("the npm packages of the browser tests", npm_ci)
}

/// A tmpfs mounted for a test (the tests run as root here and in CI), unmounted when
/// dropped; `None` where the machine does not allow mounting, and the test then says it
/// skipped that part.
pub struct Mount(pub PathBuf);

impl Mount {
    /// Mounts a tmpfs of `size` (`64m`, `900k`) at `point`, creating the folder.
    pub fn tmpfs(point: &Path, size: &str) -> Option<Mount> {
        std::fs::create_dir_all(point).unwrap();
        let status = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(point)
            .stderr(std::process::Stdio::null())
            .status()
            .ok()?;
        status.success().then(|| Mount(point.to_path_buf()))
    }

    /// Makes the mounted file system read-only.
    pub fn read_only(&self) {
        let status = Command::new("mount")
            .args(["-o", "remount,ro"])
            .arg(&self.0)
            .status()
            .unwrap();
        assert!(status.success());
    }
}

impl Drop for Mount {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
    }
}
