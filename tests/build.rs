//! The fixture toolkit built end to end with the `toolkit` binary: print quality of the
//! PDFs, the bundle and its checksums, reproducibility, paper sizes, and exit codes.

mod common;

use std::path::Path;

use common::*;
use toolkit::output::sha256_hex;

fn build_fixture(out: &Path, extra: &[&str]) -> std::process::Output {
    let sources = fixture_sources();
    let templates = templates();
    let answers = root().join("tests/fixtures/toolkit/answers");
    let mut args = vec![
        "build",
        "--sources",
        sources.to_str().unwrap(),
        "--templates",
        templates.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--answers",
        answers.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    let output = toolkit(&args, &root());
    assert!(
        output.status.success(),
        "build failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

/// Everything the fixture toolkit publishes, sorted.
const FIXTURE_OUTPUTS: [&str; 15] = [
    "guides/alpha-advanced.pdf",
    "guides/alpha-basic.pdf",
    "guides/alpha.pdf",
    "guides/beta.pdf",
    "primers/legal-deploy.pdf",
    "primers/legal-procure.pdf",
    "primers/manager-deploy.pdf",
    "primers/manager-procure.pdf",
    "questionnaires/risk-1.0.0-legal-deploy.xlsx",
    "questionnaires/risk-1.0.0-legal-procure.xlsx",
    "questionnaires/risk-1.0.0-manager-deploy.xlsx",
    "questionnaires/risk-1.0.0-manager-procure.xlsx",
    "questionnaires/risk-1.0.0.csv",
    "questionnaires/risk-1.0.0.pdf",
    "questionnaires/risk-1.0.0.xlsx",
];

// Every document, level edition and questionnaire output is built, plus the manifest and bundle.
#[test]
fn builds_every_edition_and_the_bundle() {
    let out = tempfile::tempdir().unwrap();
    let output = build_fixture(out.path(), &[]);
    // The answers are scored in the same run, and their reports stay out of the bundle.
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains("3 responses: 3 scored, 0 rejected"),
        "{stdout}"
    );
    assert!(
        out.path()
            .join("reports/responses/risk-1.0.0/fx-1.pdf")
            .is_file()
    );
    let groups = std::fs::read_dir(out.path().join("reports/groups/risk-1.0.0"))
        .unwrap()
        .count();
    assert_eq!(groups, 2, "one report per workshop");
    for file in FIXTURE_OUTPUTS.iter().filter(|f| f.ends_with(".pdf")) {
        let bytes = std::fs::read(out.path().join(file)).unwrap();
        assert!(bytes.starts_with(b"%PDF-"), "{file} is not a PDF");
    }
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.path().join("manifest.json")).unwrap()).unwrap();
    let files = manifest["files"].as_array().unwrap();
    let listed: Vec<&str> = files.iter().map(|f| f["path"].as_str().unwrap()).collect();
    // The web edition (site/) is packed too; tests/site_pages.rs checks its files.
    let (site, listed): (Vec<&str>, Vec<&str>) =
        listed.iter().partition(|p| p.starts_with("site/"));
    assert!(
        site.contains(&"site/index.html"),
        "the site is not in the bundle"
    );
    assert_eq!(listed, FIXTURE_OUTPUTS);
    for file in files {
        let path = file["path"].as_str().unwrap();
        let bytes = std::fs::read(out.path().join(path)).unwrap();
        assert_eq!(
            file["sha256"].as_str().unwrap(),
            sha256_hex(&bytes),
            "checksum of {path}"
        );
        assert_eq!(file["bytes"].as_u64().unwrap(), bytes.len() as u64);
    }
    let zip_bytes = std::fs::read(out.path().join("fixture-kit-1.0.zip")).unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(zip_bytes)).unwrap();
    // The manifest's first document opens the bundle: named in manifest.json, and the
    // zip's first file after the manifest.
    assert_eq!(manifest["start"], "guides/alpha.pdf");
    let second = zip.name_for_index(1).unwrap().unwrap().into_owned();
    assert_eq!(second, "fixture-kit-1.0/guides/alpha.pdf");
    let mut names: Vec<String> = zip
        .file_names()
        .map(|n| n.unwrap().into_owned())
        .filter(|n| !n.starts_with("fixture-kit-1.0/site/"))
        .collect();
    names.sort();
    let mut expected: Vec<String> = FIXTURE_OUTPUTS
        .iter()
        .map(|f| format!("fixture-kit-1.0/{f}"))
        .collect();
    expected.push("fixture-kit-1.0/manifest.json".into());
    expected.sort();
    assert_eq!(names, expected);
    let mut inside = Vec::new();
    std::io::Read::read_to_end(
        &mut zip.by_name("fixture-kit-1.0/guides/beta.pdf").unwrap(),
        &mut inside,
    )
    .unwrap();
    assert_eq!(
        inside,
        std::fs::read(out.path().join("guides/beta.pdf")).unwrap()
    );
    let leftovers: Vec<_> = std::fs::read_dir(out.path().join("guides"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "temporary files left: {leftovers:?}");
}

// The PDFs are print documents: tagged, titled, A4, every font embedded, with an outline,
// named destinations for sections, and working links.
#[test]
fn pdfs_are_print_ready() {
    if !have("pdfinfo", POPPLER) {
        return;
    }
    let out = tempfile::tempdir().unwrap();
    build_fixture(out.path(), &[]);
    let alpha = out.path().join("guides/alpha.pdf");
    let alpha = alpha.to_str().unwrap();
    let info = run_tool("pdfinfo", &[alpha]);
    assert!(info.contains("Tagged:          yes"), "{info}");
    assert!(info.contains("Title:           Alpha guide"), "{info}");
    assert!(info.contains("(A4)"), "{info}");
    let fonts = run_tool("pdffonts", &[alpha]);
    let rows: Vec<&str> = fonts.lines().skip(2).collect();
    assert!(!rows.is_empty(), "{fonts}");
    for row in rows {
        let columns: Vec<&str> = row.split_whitespace().collect();
        let emb = columns[columns.len() - 5];
        assert_eq!(emb, "yes", "font not embedded: {row}");
    }
    let bytes = std::fs::read(alpha).unwrap();
    let raw = String::from_utf8_lossy(&bytes);
    assert!(raw.contains("/Type/Outlines"), "no outline");
    assert!(
        raw.contains("(First chapter)") && raw.contains("(Second chapter)"),
        "outline lacks headings"
    );
    assert!(
        raw.contains("/URI(beta.pdf#beta-section)"),
        "cross-document link missing"
    );
    assert!(
        raw.contains("/URI(https://example.org/path?q=1)"),
        "external link missing"
    );
    assert!(raw.contains("pdfuaid:part"), "PDF/UA-1 not declared");
    assert!(raw.contains("/Lang(en)"), "language missing");
    let beta = String::from_utf8_lossy(&std::fs::read(out.path().join("guides/beta.pdf")).unwrap())
        .into_owned();
    assert!(
        beta.contains("/URI(alpha.pdf#first)"),
        "link back to alpha missing"
    );
    assert!(
        raw.contains("/Dests<</Names[(advanced-heading)"),
        "sections are not named destinations"
    );
    assert!(
        raw.contains("(first)") && raw.contains("(second-chapter)"),
        "named destination missing"
    );
}

// Two builds of the same sources give byte-identical PDFs, manifest and bundle.
#[test]
fn builds_are_reproducible() {
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    build_fixture(a.path(), &["--threads", "2"]);
    build_fixture(b.path(), &["--threads", "1"]);
    let also = ["manifest.json", "fixture-kit-1.0.zip"];
    for file in FIXTURE_OUTPUTS.iter().chain(&also) {
        let left = std::fs::read(a.path().join(file)).unwrap();
        let right = std::fs::read(b.path().join(file)).unwrap();
        assert!(left == right, "{file} differs between two builds");
    }
}

// --paper us-letter sets the page size of every PDF.
#[test]
fn us_letter_option() {
    if !have("pdfinfo", POPPLER) {
        return;
    }
    let out = tempfile::tempdir().unwrap();
    build_fixture(out.path(), &["--paper", "us-letter"]);
    let info = run_tool(
        "pdfinfo",
        &[out.path().join("guides/beta.pdf").to_str().unwrap()],
    );
    assert!(info.contains("612 x 792 pts (letter)"), "{info}");
}

// `check` passes on good sources and lists every problem with file:line on bad ones,
// exiting 2 and writing nothing.
#[test]
fn check_exit_codes_and_messages() {
    let sources = fixture_sources();
    let good = toolkit(&["check", "--sources", sources.to_str().unwrap()], &root());
    assert_eq!(
        good.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&good.stdout)
    );

    let (dir, broken) = fixture_copy();
    let beta = broken.join("docs/beta.md");
    let original = std::fs::read_to_string(&beta).unwrap();
    // The broken link lands two lines after the original text, the tag four lines after.
    let link_line = original.lines().count() + 2;
    let tag_line = link_line + 2;
    let text = original + "\n[x](alpha.md#missing)\n\n:::tagged stages=later\nz\n:::\n";
    std::fs::write(&beta, text).unwrap();
    let bad = toolkit(
        &["check", "--sources", broken.to_str().unwrap()],
        dir.path(),
    );
    assert_eq!(bad.status.code(), Some(2));
    // Problems go to standard error, as with `build` and `score`.
    let stderr = String::from_utf8_lossy(&bad.stderr);
    let beta_display = beta.display().to_string();
    assert!(
        stderr.contains(&format!(
            "{beta_display}:{link_line}: broken link: no section #missing"
        )),
        "{stderr}"
    );
    assert!(
        stderr.contains(&format!(
            "{beta_display}:{tag_line}: unknown stage \"later\""
        )),
        "{stderr}"
    );

    let out = dir.path().join("out");
    let build = toolkit(
        &[
            "build",
            "--sources",
            broken.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ],
        &root(),
    );
    assert_eq!(build.status.code(), Some(2));
    assert!(!out.exists(), "a refused build wrote output");
}

// Usage errors exit 2; --help explains the commands.
#[test]
fn usage_errors_and_help() {
    let bad = toolkit(&["build", "--no-such-flag"], &root());
    assert_eq!(bad.status.code(), Some(2));
    // Output to a pipe stays plain: no progress bar, no terminal escapes.
    let out = tempfile::tempdir().unwrap();
    let piped = build_fixture(out.path(), &[]);
    assert!(
        !piped.stderr.contains(&0x1b) && !piped.stdout.contains(&0x1b),
        "escape codes in piped output"
    );
    let help = toolkit(&["--help"], &root());
    assert_eq!(help.status.code(), Some(0));
    let text = String::from_utf8_lossy(&help.stdout);
    assert!(text.contains("build") && text.contains("check"), "{text}");
}

// A broken manifest is reported with its line.
#[test]
fn manifest_errors_have_lines() {
    let (dir, sources) = fixture_copy();
    let manifest = sources.join("toolkit.toml");
    let original = std::fs::read_to_string(&manifest).unwrap();
    let line = 1 + original
        .lines()
        .position(|l| l.trim() == "id = \"legal\"")
        .expect("the fixture declares the legal role");
    let text = original.replace("id = \"legal\"", "id = \"Legal Team\"");
    std::fs::write(&manifest, text).unwrap();
    let output = toolkit(
        &["check", "--sources", sources.to_str().unwrap()],
        dir.path(),
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains(&format!(
            "toolkit.toml:{line}: role id \"Legal Team\" must use only a-z, 0-9 and -"
        )),
        "{stderr}"
    );
}

/// Checks that the manifest of a build folder matches every file beside it (each listed
/// file is there with its checksum, and no output file is missing from the list) and
/// returns the checksums of the listed files.
fn assert_manifest_matches(out: &Path) -> Vec<(String, String)> {
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("manifest.json")).unwrap()).unwrap();
    let mut listed = Vec::new();
    for file in manifest["files"].as_array().unwrap() {
        let path = file["path"].as_str().unwrap();
        let bytes = std::fs::read(out.join(path))
            .unwrap_or_else(|e| panic!("{path} is listed but not on disk: {e}"));
        assert_eq!(
            sha256_hex(&bytes),
            file["sha256"].as_str().unwrap(),
            "{path} is not the file the manifest lists"
        );
        listed.push((path.to_owned(), sha256_hex(&bytes)));
    }
    for entry in ["guides", "primers", "questionnaires"] {
        for file in std::fs::read_dir(out.join(entry)).unwrap() {
            let name = format!("{entry}/{}", file.unwrap().file_name().to_string_lossy());
            assert!(
                listed.iter().any(|(p, _)| *p == name),
                "{name} is on disk but not in the manifest"
            );
        }
    }
    listed
}

fn build_command(out: &Path, extra: &[&str]) -> std::process::Command {
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_toolkit"));
    command
        .args(["build", "--sources"])
        .arg(fixture_sources())
        .arg("--templates")
        .arg(templates())
        .arg("--answers")
        .arg(root().join("tests/fixtures/toolkit/answers"))
        .arg("--out")
        .arg(out)
        .args(extra)
        .current_dir(root())
        .env_remove("SOURCE_DATE_EPOCH");
    command
}

// A build killed at any point leaves the previous complete output (the manifest matches
// every file, the reports are there), and the next build completes and leaves no
// staging folder or temporary file behind.
#[test]
fn killed_builds_leave_the_previous_complete_output() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    build_fixture(&out, &[]);
    let a4 = assert_manifest_matches(&out);
    let reports = std::fs::read(out.join("reports/summary.csv")).unwrap();
    let mut seen = Vec::new();
    for millis in [20, 150, 400, 700, 1000, 1400] {
        let mut child = build_command(&out, &["--paper", "us-letter"])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(millis));
        let _ = child.kill();
        let _ = child.wait();
        seen.push((millis, assert_manifest_matches(&out)));
        assert!(out.join("reports/summary.csv").exists());
    }
    build_fixture(&out, &["--paper", "us-letter"]);
    let letter = assert_manifest_matches(&out);
    assert_ne!(letter, a4);
    for (millis, set) in seen {
        assert!(
            set == a4 || set == letter,
            "a mixed set after a kill at {millis} ms"
        );
    }
    assert_eq!(
        std::fs::read(out.join("reports/summary.csv")).unwrap(),
        reports
    );
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        names.iter().all(|n| n == "out" || n == ".out.lock"),
        "{names:?}"
    );
    let mut stack = vec![out.clone()];
    while let Some(folder) = stack.pop() {
        for entry in std::fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            assert!(
                !path.to_string_lossy().ends_with(".tmp"),
                "{}",
                path.display()
            );
            if path.is_dir() {
                stack.push(path);
            }
        }
    }
}

// Two builds at once into one folder: one waits for the other, both finish, and the
// folder holds one complete build.
#[test]
fn two_builds_at_once_one_waits() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let spawn = |paper: &str| {
        build_command(&out, &["--paper", paper])
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap()
    };
    let first = spawn("a4");
    std::thread::sleep(std::time::Duration::from_millis(100));
    let second = spawn("us-letter");
    let (first, second) = (
        first.wait_with_output().unwrap(),
        second.wait_with_output().unwrap(),
    );
    assert!(first.status.success(), "{first:?}");
    assert!(second.status.success(), "{second:?}");
    let waited = [&first, &second]
        .iter()
        .any(|o| String::from_utf8_lossy(&o.stderr).contains("waiting for it to finish"));
    assert!(waited, "one build waited for the other");
    assert_manifest_matches(&out);
}

// The outputs of a source that was removed are gone after the next build, and the
// reports of the previous build are carried over untouched when no answers are scored.
#[test]
fn rebuilds_drop_removed_outputs_and_keep_reports() {
    let (_dir, sources) = fixture_copy();
    let out = _dir.path().join("out");
    let run = |answers: &Path| {
        let output = toolkit(
            &[
                "build",
                "--sources",
                sources.to_str().unwrap(),
                "--templates",
                templates().to_str().unwrap(),
                "--answers",
                answers.to_str().unwrap(),
                "--out",
                out.to_str().unwrap(),
            ],
            &root(),
        );
        assert!(output.status.success(), "{output:?}");
    };
    run(&root().join("tests/fixtures/toolkit/answers"));
    assert!(out.join("guides/beta.pdf").exists());
    let reports = std::fs::read(out.join("reports/run.json")).unwrap();
    let manifest = sources.join("toolkit.toml");
    let text = std::fs::read_to_string(&manifest).unwrap();
    let start = text
        .find("[[documents]]\nid = \"beta\"")
        .expect("the fixture lists beta");
    let end = text[start + 1..]
        .find("[[")
        .map(|i| start + 1 + i)
        .unwrap_or(text.len());
    std::fs::write(&manifest, format!("{}{}", &text[..start], &text[end..])).unwrap();
    let alpha = sources.join("docs/alpha.md");
    let text = std::fs::read_to_string(&alpha).unwrap();
    std::fs::write(
        &alpha,
        text.replace("[link to beta](beta.md#beta-section)", "beta"),
    )
    .unwrap();
    run(&_dir.path().join("no-answers-here"));
    assert!(
        !out.join("guides/beta.pdf").exists(),
        "a removed document's PDF is gone"
    );
    assert_manifest_matches(&out);
    assert_eq!(
        std::fs::read(out.join("reports/run.json")).unwrap(),
        reports,
        "the reports are carried over"
    );
}

// `--out` inside the sources or templates folder (or holding them) is refused before
// anything is written.
#[test]
fn out_inside_sources_or_templates_is_refused() {
    let (_dir, sources) = fixture_copy();
    for out in [
        sources.join("out"),
        sources.clone(),
        _dir.path().to_path_buf(),
    ] {
        let output = toolkit(
            &[
                "build",
                "--sources",
                sources.to_str().unwrap(),
                "--out",
                out.to_str().unwrap(),
            ],
            &root(),
        );
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{stderr}");
        assert!(stderr.contains("overlaps the sources folder"), "{stderr}");
    }
    assert!(!sources.join("out").exists());
}

// On a full disk the build says so in one line, exits 2 and changes nothing: the
// previous build is whole and no staging is left; on a read-only disk, one line too.
#[cfg(target_os = "linux")]
#[test]
fn a_full_or_read_only_disk_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let scratch = dir.path().join("scratch");
    build_fixture(&scratch, &[]);
    let size: u64 = files_size(&scratch);
    // Room for one build and a half: the second build cannot stage beside the first.
    let Some(mount) = Mount::tmpfs(
        &dir.path().join("disk"),
        &format!("{}k", size * 3 / 2 / 1024),
    ) else {
        eprintln!("skipped: this machine does not let the tests mount a tmpfs");
        return;
    };
    let out = mount.0.join("out");
    build_fixture(&out, &[]);
    let before = assert_manifest_matches(&out);
    let output = build_command(&out, &["--paper", "us-letter"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("No space left") && stderr.contains("nothing was changed"),
        "{stderr}"
    );
    assert!(!stderr.contains("error: error"), "{stderr}");
    assert!(!String::from_utf8_lossy(&output.stdout).contains("built"));
    assert_eq!(assert_manifest_matches(&out), before);
    assert!(!mount.0.join(".out.staging").exists());
    mount.read_only();
    let output = build_command(&mount.0.join("new"), &[]).output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.lines().count() <= 2, "{stderr}");
}

/// Bytes of every file under a folder.
fn files_size(dir: &Path) -> u64 {
    let mut total = 0;
    let mut stack = vec![dir.to_path_buf()];
    while let Some(folder) = stack.pop() {
        for entry in std::fs::read_dir(&folder).unwrap() {
            let entry = entry.unwrap();
            if entry.file_type().unwrap().is_dir() {
                stack.push(entry.path());
            } else {
                total += entry.metadata().unwrap().len();
            }
        }
    }
    total
}
