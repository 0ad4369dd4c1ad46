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
//! Method 2: questions hide and show with relevance, the verdict, unknowns and
//! contradictions update, the system assessed goes into the download, and an older
//! version's answers load listing the new questions: on the method 2 fixture
//! (tests/fixtures/method-2) added to a copy of the sources, and on every shipped
//! questionnaire that declares rules or keeps an older version.
//!
//! Installs the npm packages itself (`npm ci`) when npm is there; fails, naming the
//! command that installs what is missing (chromium, node, npm), unless
//! `TOOLKIT_SKIP_MISSING_TOOLS` is set: then it says it is skipped.

mod common;

use std::path::Path;
use std::process::Command;
use std::sync::Mutex;

/// One browser run at a time: the tests share two cores with everything else.
static BROWSER: Mutex<()> = Mutex::new(());

/// Whether chromium, node and the npm packages are there (see `common::have`).
fn browser_available() -> bool {
    common::have("chromium", "the browser tests drive it")
        && common::have("node", "puppeteer-core runs on node")
        && common::node_modules_available()
}

/// Runs tests/site/browser.mjs on a build under `out` of `sources`, with more arguments,
/// and asserts that every check passed.
fn run_browser_checks(out: &Path, sources: &Path, more: &[&str]) {
    let root = common::root();
    let run = Command::new("node")
        .arg(root.join("tests/site/browser.mjs"))
        .arg(out)
        .arg(env!("CARGO_BIN_EXE_toolkit"))
        .arg(sources)
        .args(more)
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

/// Runs `toolkit build` of `sources` into `out`, with no answers.
fn build(sources: &Path, out: &Path) {
    let build = Command::new(env!("CARGO_BIN_EXE_toolkit"))
        .args([
            "build",
            "--answers",
            "no-answers-for-this-test",
            "--sources",
        ])
        .arg(sources)
        .arg("--out")
        .arg(out)
        .current_dir(common::root())
        .output()
        .expect("toolkit runs");
    assert!(
        build.status.success(),
        "build failed: {}",
        String::from_utf8_lossy(&build.stderr)
    );
}

// The method 2 fixture (tests/fixtures/method-2, both versions) added to a copy of the
// shipped sources: its pages hide a question whose relevance fails and show it when it
// holds, list unknown screening answers, show the verdict and a contradiction, write the
// system assessed in the download, and load the older version's answers listing the new
// questions; every page check (axe included) and questionnaire check passes on them.
#[test]
fn method_two_pages_work_in_a_real_browser() {
    if !browser_available() {
        return;
    }
    let _one_at_a_time = BROWSER.lock().unwrap_or_else(|e| e.into_inner());
    let dir = tempfile::tempdir().unwrap();
    let sources = dir.path().join("sources");
    common::copy_dir(&common::root().join("sources"), &sources);
    for path in toolkit::questionnaire::definition_files(&common::method_two_dir()).unwrap() {
        std::fs::copy(
            &path,
            sources
                .join("questionnaires")
                .join(path.file_name().unwrap()),
        )
        .unwrap();
    }
    let out = dir.path().join("out");
    build(&sources, &out);
    run_browser_checks(&out, &sources, &["--only=method-two"]);
}

// Every page, switch, questionnaire and download works in chromium opened from disk.
#[test]
fn site_works_in_a_real_browser() {
    if !browser_available() {
        return;
    }
    let _one_at_a_time = BROWSER.lock().unwrap_or_else(|e| e.into_inner());
    let root = common::root();
    let out = tempfile::tempdir().unwrap();
    build(&root.join("sources"), out.path());
    run_browser_checks(out.path(), &root.join("sources"), &[]);
}

// The French and Arabic web editions (each a site of its own under `<language>/site/`):
// every page opens cleanly from disk, declares its language and direction, has no
// serious or critical axe violation, resolves its links (the language switcher's
// included) and does not scroll sideways on a phone or at 200 % zoom; the same clicks on
// the English, French and Arabic questionnaire pages download answers that score the same.
#[test]
fn translated_sites_pass_the_page_checks() {
    if !browser_available() {
        return;
    }
    let _one_at_a_time = BROWSER.lock().unwrap_or_else(|e| e.into_inner());
    let root = common::root();
    let out = tempfile::tempdir().unwrap();
    build(&root.join("sources"), out.path());
    for language in ["fr", "ar"] {
        run_browser_checks(
            &out.path().join(language),
            &root.join("sources"),
            &["--pages-only"],
        );
    }
    // The same clicks on each edition's questionnaire pages: the downloads carry their
    // language and score the same as the English ones.
    let records = tempfile::tempdir().unwrap();
    let mut scored = Vec::new();
    for language in ["en", "fr", "ar"] {
        let site = match language {
            "en" => out.path().to_path_buf(),
            other => out.path().join(other),
        };
        let record = records.path().join(format!("{language}.json"));
        let flag = format!("--same-answers={}", record.display());
        run_browser_checks(&site, &root.join("sources"), &[&flag]);
        let text = std::fs::read_to_string(&record).unwrap();
        let record: serde_json::Value = serde_json::from_str(&text).unwrap();
        let pages = record.as_object().unwrap();
        assert!(pages.len() >= 3, "{language}: {pages:?}");
        let mut values = serde_json::Map::new();
        for (page, figures) in pages {
            assert_eq!(
                figures["language"], language,
                "{language}: the download of {page} names its language"
            );
            values.insert(page.clone(), figures["values"].clone());
        }
        scored.push((language, values));
    }
    let (_, english) = &scored[0];
    for (language, values) in &scored[1..] {
        assert_eq!(
            values, english,
            "{language} downloads scored differently from the English ones"
        );
    }
}
