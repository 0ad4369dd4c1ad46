//! Incremental builds of the fixture toolkit: a rebuild takes from the previous build every
//! file whose inputs did not change (no PDF typeset again when nothing changed), makes
//! again only what a changed document shapes, makes again a file edited by hand, never
//! follows a record out of the output folder, and always gives the bytes a cold build
//! gives.

mod common;

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use common::*;
use toolkit::build::{BuildOptions, BuildReport, run_build};
use toolkit::build_record::BUILD_RECORD;
use toolkit::content::Site;
use toolkit::language::{Direction, Language, Translator};
use toolkit::output::sha256_hex;
use toolkit::project::{Project, Sources};
use toolkit::questionnaire::load_questionnaires;
use toolkit::register::load_working_templates;
use toolkit::typeset::Job;

/// Builds `project` into `out`, reusing the previous build when `reuse`.
fn build(project: &Project, out: &Path, reuse: bool) -> BuildReport {
    let options = BuildOptions {
        out: out.to_path_buf(),
        answers: None,
        reuse,
    };
    run_build(project, &options).unwrap_or_else(|e| panic!("the fixture builds: {e}"))
}

/// The SHA-256 of every file of a build folder (the reports aside), by path.
fn checksums(out: &Path) -> BTreeMap<String, String> {
    let mut files = BTreeMap::new();
    let mut stack = vec![out.to_path_buf()];
    while let Some(folder) = stack.pop() {
        for entry in std::fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            let name = path
                .strip_prefix(out)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            if name == "reports" {
                continue;
            }
            if path.is_dir() {
                stack.push(path);
            } else {
                files.insert(name, sha256_hex(&std::fs::read(&path).unwrap()));
            }
        }
    }
    files
}

/// Asserts that two build folders hold the same files with the same bytes.
fn assert_same_files(left: &Path, right: &Path) {
    let (a, b) = (checksums(left), checksums(right));
    assert_eq!(
        a.keys().collect::<Vec<_>>(),
        b.keys().collect::<Vec<_>>(),
        "the same files"
    );
    for (path, sha) in &a {
        assert_eq!(sha, &b[path], "{path} differs from a cold build's");
    }
}

/// The files a build made (wrote without taking them from the previous build), sorted.
fn made(report: &BuildReport) -> Vec<String> {
    let mut made: Vec<String> = report
        .written
        .iter()
        .filter(|path| !report.reused.contains(path))
        .cloned()
        .collect();
    made.sort();
    made
}

/// The PDFs among `files`.
fn pdfs(files: &[String]) -> Vec<&str> {
    files
        .iter()
        .map(String::as_str)
        .filter(|f| f.ends_with(".pdf"))
        .collect()
}

/// Replaces `from` with `to` in a file of the sources (once; it must be there).
fn edit(sources: &Path, file: &str, from: &str, to: &str) {
    let path = sources.join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{file} holds {from:?}");
    std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
}

// A rebuild with nothing changed typesets no PDF, makes no file but the manifest and
// bundle (packed again, found the same and kept), and leaves every byte as it was;
// the command says how many files it reused, and `--no-cache` makes everything again.
#[test]
fn a_rebuild_with_nothing_changed_typesets_nothing() {
    let (dir, sources) = fixture_copy();
    let out = dir.path().join("out");
    let project = open_project(&sources);
    let cold = build(&project, &out, true);
    assert!(cold.reused.is_empty(), "{cold:?}");
    assert_eq!(cold.typeset, pdfs(&cold.written).len());
    assert!(out.join(BUILD_RECORD).is_file());
    let before = checksums(&out);
    let again = build(&project, &out, true);
    assert_eq!(again.typeset, 0, "no PDF is typeset again");
    assert_eq!(made(&again), Vec::<String>::new(), "every file is reused");
    assert_eq!(again.written.len(), cold.written.len());
    assert_eq!(checksums(&out), before);

    let templates = templates();
    let run = |extra: &[&str]| {
        let mut args = vec![
            "build",
            "--sources",
            sources.to_str().unwrap(),
            "--templates",
            templates.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            "--answers",
            "no-answers-here",
        ];
        args.extend_from_slice(extra);
        let output = toolkit(&args, &root());
        assert!(output.status.success(), "{output:?}");
        String::from_utf8_lossy(&output.stdout).into_owned()
    };
    let files = cold.written.len();
    // The command is another program than this test: its first build makes everything.
    run(&[]);
    let reused = run(&[]);
    assert!(
        reused.contains(&format!(
            "{files} reused from the previous build, 0 made (0 PDFs typeset)"
        )),
        "{reused}"
    );
    let cold_again = run(&["--no-cache"]);
    assert!(
        cold_again.contains(&format!("0 reused from the previous build, {files} made")),
        "{cold_again}"
    );
    // The same bytes; only the record's keys name another program.
    let (mut after, mut before) = (checksums(&out), before);
    after.remove(BUILD_RECORD);
    before.remove(BUILD_RECORD);
    assert_eq!(after, before);
}

// Changing one document makes again only what it shapes: its editions (a paragraph), a
// primer that draws a changed takeaway from it, the web edition, the manifest and the
// bundle; every other file is reused, and the rebuild is byte for byte a cold build of
// the changed sources.
#[test]
fn changing_one_document_remakes_only_what_depends_on_it() {
    let (dir, sources) = fixture_copy();
    let out = dir.path().join("out");
    build(&open_project(&sources), &out, true);
    let site: Vec<String> = checksums(&out)
        .into_keys()
        .filter(|p| p.starts_with("site/"))
        .collect();
    let cases: [(&str, &str, &str, &[&str]); 3] = [
        (
            "docs/beta.md",
            "Back to",
            "Go back to",
            &["guides/beta.pdf"],
        ),
        (
            "docs/alpha.md",
            "A paragraph with",
            "One paragraph with",
            &[
                "guides/alpha-advanced.pdf",
                "guides/alpha-basic.pdf",
                "guides/alpha.pdf",
            ],
        ),
        (
            "docs/alpha.md",
            "MANAGER-PROCURE takeaway.",
            "MANAGER-PROCURE takeaway, changed.",
            &[
                "guides/alpha-advanced.pdf",
                "guides/alpha-basic.pdf",
                "guides/alpha.pdf",
                "primers/manager-procure.pdf",
            ],
        ),
    ];
    for (file, from, to, expected) in cases {
        edit(&sources, file, from, to);
        let project = open_project(&sources);
        let report = build(&project, &out, true);
        let made = made(&report);
        assert_eq!(pdfs(&made), expected, "{file}: {from:?}");
        assert_eq!(report.typeset, expected.len());
        let mut others: Vec<&String> = made.iter().filter(|p| !p.ends_with(".pdf")).collect();
        others.retain(|p| !site.contains(p));
        assert_eq!(others, ["fixture-kit-1.0.zip", "manifest.json"]);
        assert!(
            site.iter().all(|p| made.contains(p)),
            "the web edition is made"
        );
        let cold = dir.path().join("cold");
        build(&project, &cold, false);
        assert_same_files(&out, &cold);
        std::fs::remove_dir_all(&cold).unwrap();
    }
}

// An output edited, damaged or removed by hand is made again (a workbook, a PDF, a page
// of the web edition, which remakes the web edition), and the rest is reused.
#[test]
fn a_hand_edited_output_is_made_again() {
    let (dir, sources) = fixture_copy();
    let out = dir.path().join("out");
    let project = open_project(&sources);
    build(&project, &out, true);
    let before = checksums(&out);
    let mut pdf = std::fs::read(out.join("guides/alpha.pdf")).unwrap();
    pdf.extend_from_slice(b"\n% edited\n");
    std::fs::write(out.join("guides/alpha.pdf"), pdf).unwrap();
    std::fs::write(out.join("questionnaires/risk-1.0.0.xlsx"), b"damaged").unwrap();
    std::fs::remove_file(out.join("primers/legal-deploy.pdf")).unwrap();
    std::fs::write(out.join("site/index.html"), b"<p>edited</p>").unwrap();
    let report = build(&project, &out, true);
    let made = made(&report);
    assert_eq!(
        pdfs(&made),
        ["guides/alpha.pdf", "primers/legal-deploy.pdf"],
        "{made:?}"
    );
    assert!(made.contains(&"questionnaires/risk-1.0.0.xlsx".to_owned()));
    assert!(made.contains(&"site/index.html".to_owned()));
    assert!(!made.contains(&"questionnaires/risk-1.0.0.csv".to_owned()));
    assert_eq!(checksums(&out), before, "the cold build's bytes are back");
}

// A record is not trusted: an entry that names a file outside the output folder (`../x`,
// or a symbolic link out of it) is never taken, however its key and checksum read, and
// a damaged record makes everything again; each says so in a note.
#[cfg(unix)]
#[test]
fn a_record_naming_a_file_outside_is_ignored() {
    let (dir, sources) = fixture_copy();
    let out = dir.path().join("out");
    let project = open_project(&sources);
    build(&project, &out, true);
    let before = checksums(&out);
    let outside = dir.path().join("x");
    std::fs::write(&outside, b"not a guide").unwrap();
    let record_path = out.join(BUILD_RECORD);
    let mut record: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&record_path).unwrap()).unwrap();
    for file in record["files"].as_array_mut().unwrap() {
        match file["path"].as_str().unwrap() {
            "guides/alpha.pdf" => file["path"] = "../x".into(),
            "guides/beta.pdf" => {}
            _ => continue,
        }
        file["sha256"] = sha256_hex(b"not a guide").into();
    }
    std::fs::write(&record_path, serde_json::to_vec(&record).unwrap()).unwrap();
    std::fs::remove_file(out.join("guides/beta.pdf")).unwrap();
    std::os::unix::fs::symlink(&outside, out.join("guides/beta.pdf")).unwrap();
    let report = build(&project, &out, true);
    assert_eq!(
        pdfs(&made(&report)),
        ["guides/alpha.pdf", "guides/beta.pdf"]
    );
    assert!(
        report
            .notes
            .iter()
            .any(|n| n.contains("1 file(s) at paths a build never writes")),
        "{:?}",
        report.notes
    );
    assert!(!out.join("guides/beta.pdf").is_symlink());
    assert_eq!(std::fs::read(&outside).unwrap(), b"not a guide");
    assert_eq!(checksums(&out), before);

    std::fs::write(&record_path, b"{ not json").unwrap();
    let report = build(&project, &out, true);
    assert!(report.reused.is_empty() && report.typeset >= 9);
    assert!(report.notes.iter().any(|n| n.contains("is damaged")));
    assert_eq!(checksums(&out), before);
}

/// A stand-in translation: every source as written, but for one replacement in one file.
struct Edited {
    file: &'static str,
    from: &'static str,
    to: &'static str,
}

impl Translator for Edited {
    fn translate(&self, rel: &str, english: &str) -> String {
        match rel == self.file {
            true => english.replacen(self.from, self.to, 1),
            false => english.to_owned(),
        }
    }
}

/// The fixture with a French edition read through `translator`.
fn with_french(sources: &Path, translator: Edited) -> Project {
    let mut project = open_project(sources);
    let language = Language::translated("fr", Direction::Ltr, Arc::new(translator));
    let site = Site::load_language(sources, language).unwrap();
    let questionnaires = load_questionnaires(sources, &site).unwrap();
    let working_templates = load_working_templates(sources, &site).unwrap();
    project.translated.push(Sources {
        site,
        questionnaires,
        working_templates,
    });
    project
}

// With two languages, a paragraph changed in one language's edition makes again only
// that language's files (its guide, its web edition) with the bundle; the other
// language's are reused, and the bytes are a cold build's.
#[test]
fn a_change_in_one_language_remakes_only_that_language() {
    let (dir, sources) = fixture_copy();
    let out = dir.path().join("out");
    let same = || Edited {
        file: "docs/beta.md",
        from: "",
        to: "",
    };
    let cold = build(&with_french(&sources, same()), &out, true);
    assert!(cold.written.iter().any(|p| p == "fr/guides/beta.pdf"));
    let changed = with_french(
        &sources,
        Edited {
            file: "docs/beta.md",
            from: "Back to",
            to: "Retour vers",
        },
    );
    let report = build(&changed, &out, true);
    let made = made(&report);
    assert_eq!(pdfs(&made), ["fr/guides/beta.pdf"]);
    assert!(made.iter().any(|p| p.starts_with("fr/site/")));
    assert!(!made.iter().any(|p| p.starts_with("site/")), "{made:?}");
    let cold = dir.path().join("cold");
    build(&changed, &cold, false);
    assert_same_files(&out, &cold);
}

// A compile reads images from the sources folder, and nothing else there: the text
// sources reach it only as a job's markup and data, which its key covers.
#[test]
fn a_compile_reads_only_images_from_the_sources() {
    let site = load_site(&fixture_sources());
    let typesetter = typesetter(&site);
    let image = Job::markup(
        "#set document(title: \"i\")\n#image(\"/sources/docs/img/square.svg\", alt: \"A square\")",
    )
    .ident("i");
    if let Err(error) = typesetter.compile(&image) {
        panic!("an image can be read: {error}");
    }
    let text = Job::markup("#read(\"/sources/docs/alpha.md\")").ident("t");
    let error = typesetter.compile(&text).unwrap_err();
    assert!(
        error.to_string().contains("denied"),
        "a text source cannot be read: {error}"
    );
}
