//! The web edition in a real browser: the system chromium, headless, driven by
//! puppeteer-core from `tests/site/browser.mjs`, opens the built site from file:// and
//! checks every page (no console error, no failed or outside request, axe-core with no
//! serious or critical violation, phone width and 200 % zoom, every link), the level
//! switch, search, and fills each questionnaire by mouse and one by keyboard alone,
//! comparing the live result and the downloaded CSV with `toolkit score`. Loading answers
//! lists every value it leaves out (the same cells `toolkit score` refuses), refuses a
//! file for another questionnaire, reads Windows-1252 and UTF-16 files; a download
//! neutralises formula-like text and loads back to the same text; answers are kept under
//! the toolkit id and edition, and the shared-computer notice shows once and clears them.
//!
//! Installs the npm packages itself (`npm ci`) when npm is there; fails, naming the
//! command that installs what is missing (chromium, node, npm), unless
//! `TOOLKIT_SKIP_MISSING_TOOLS` is set: then it says it is skipped.

mod common;

use std::process::Command;

// Every page, switch, questionnaire and download works in chromium opened from disk.
#[test]
fn site_works_in_a_real_browser() {
    if !common::have("chromium", "the browser tests drive it")
        || !common::have("node", "puppeteer-core runs on node")
        || !common::node_modules_available()
    {
        return;
    }
    let root = common::root();
    let out = tempfile::tempdir().unwrap();
    let toolkit = env!("CARGO_BIN_EXE_toolkit");
    let build = Command::new(toolkit)
        .args(["build", "--answers", "no-answers-for-this-test", "--out"])
        .arg(out.path())
        .current_dir(&root)
        .output()
        .expect("toolkit runs");
    assert!(
        build.status.success(),
        "build failed: {}",
        String::from_utf8_lossy(&build.stderr)
    );
    let run = Command::new("node")
        .arg(root.join("tests/site/browser.mjs"))
        .arg(out.path())
        .arg(toolkit)
        .arg(root.join("sources"))
        .current_dir(root.join("tests/site"))
        .output()
        .expect("node runs");
    let report = String::from_utf8_lossy(&run.stdout);
    eprintln!("{report}{}", String::from_utf8_lossy(&run.stderr));
    assert!(run.status.success(), "browser checks failed:\n{report}");
    assert!(
        report.contains(" passed, 0 failed"),
        "no summary line:\n{report}"
    );
}
