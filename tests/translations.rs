//! Translation catalogues: what the toolkit writes is a PO file gettext accepts and lays
//! out the same way; documents and definitions translated through their catalogues keep
//! their structure, anchors, links and scores; `toolkit translate` is idempotent and
//! merges as msgmerge does; `toolkit check` counts each language and catches damaged
//! markup.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use common::*;
use comrak::Arena;
use comrak::nodes::NodeValue;
use toolkit::content::Site;
use toolkit::content::manifest::Manifest;
use toolkit::i18n::catalogues::{SourceFile, SourceKind, source_files};
use toolkit::i18n::extract::Message;
use toolkit::i18n::markdown::pieces;
use toolkit::i18n::merge::merge;
use toolkit::i18n::po::{Entry, PoFile};
use toolkit::i18n::{Catalog, translate_markdown, translate_toml};
use toolkit::problem::Problems;

/// The mark every translated piece carries: text that no markup reads.
const MARK: &str = "«FR» ";

/// A catalogue whose every entry is translated as the marked English.
fn marked_catalog(messages: &[Message]) -> Catalog {
    marked_catalog_but(messages, |_| false)
}

/// As [`marked_catalog`], but an entry whose English `keep` accepts is "translated" as
/// itself.
fn marked_catalog_but(messages: &[Message], keep: impl Fn(&str) -> bool) -> Catalog {
    let (mut po, _) = merge(&PoFile::default(), messages, || {
        Entry::new(None, String::new())
    });
    for entry in &mut po.entries {
        entry.msgstr = match keep(&entry.msgid) {
            true => entry.msgid.clone(),
            false => format!("{MARK}{}", entry.msgid),
        };
    }
    Catalog::new(po, "marked.po")
}

fn shipped_site() -> Site {
    load_site(&root().join("sources"))
}

fn shipped_files(site: &Site) -> Vec<SourceFile> {
    source_files(site, &templates()).unwrap()
}

// Every catalogue of the shipped sources, with translations in French and Arabic, fuzzy
// entries with their previous English and obsolete entries, passes `msgfmt --check`, and
// `msgcat` writes it back byte for byte: the layout is gettext's own.
#[test]
fn catalogues_pass_msgfmt_and_match_msgcat() {
    if !have("msgfmt", "apt-get install gettext") || !have("msgcat", "apt-get install gettext") {
        return;
    }
    let site = shipped_site();
    let dir = tempfile::tempdir().unwrap();
    let language = site.manifest.translation_languages().remove(0);
    for (n, file) in shipped_files(&site).iter().enumerate() {
        let messages = file.messages().unwrap();
        let header = || toolkit::i18n::catalogues::new_header("rai-toolkit", &language, &file.rel);
        let (mut po, _) = merge(&PoFile::default(), &messages, header);
        for (i, entry) in po.entries.iter_mut().enumerate() {
            match i % 4 {
                0 => entry.msgstr = format!("{MARK}{} \"ok\"", entry.msgid),
                1 => entry.msgstr = format!("ترجمة عربية: {}", entry.msgid),
                2 => {
                    entry.msgstr = format!("Brouillon : {}", entry.msgid);
                    entry.set_fuzzy(true);
                    entry.previous_msgid = Some(format!("{} (before)", entry.msgid));
                }
                _ => {}
            }
        }
        let mut gone = Entry::new(Some("gone.key".into()), "A string removed from the sources, long enough to wrap over more than one line of the file.".into());
        gone.msgstr =
            "Une chaîne retirée des sources, assez longue pour tenir sur plus d'une ligne.".into();
        gone.obsolete = true;
        po.entries.push(gone);
        let path = dir.path().join(format!("{n}.po"));
        let text = po.write();
        std::fs::write(&path, &text).unwrap();
        assert_eq!(PoFile::parse(&text).unwrap().write(), text, "{}", file.rel);
        let check = std::process::Command::new("msgfmt")
            .args(["--check", "-o", "/dev/null"])
            .arg(&path)
            .output()
            .unwrap();
        assert!(
            check.status.success(),
            "{}: {}",
            file.rel,
            String::from_utf8_lossy(&check.stderr)
        );
        let cat = std::process::Command::new("msgcat")
            .arg(&path)
            .output()
            .unwrap();
        assert!(cat.status.success());
        if cat.stdout != text.as_bytes() {
            let theirs = String::from_utf8_lossy(&cat.stdout);
            let first = text
                .lines()
                .zip(theirs.lines())
                .position(|(a, b)| a != b)
                .unwrap_or(0);
            panic!(
                "{}: msgcat lays the file out otherwise from line {}:\nours:   {:?}\ntheirs: {:?}",
                file.rel,
                first + 1,
                text.lines().nth(first),
                theirs.lines().nth(first)
            );
        }
    }
}

/// The block structure of a document: each block node's kind and depth, in order.
fn structure(text: &str) -> Vec<String> {
    let arena = Arena::new();
    let root = toolkit::content::markdown::parse(&arena, text);
    root.descendants()
        .filter(|n| n.data().value.block())
        .map(|n| {
            let depth = n.ancestors().count();
            let kind = match &n.data().value {
                NodeValue::Heading(h) => format!("heading {}", h.level),
                NodeValue::List(l) => format!("list {:?}", l.list_type),
                NodeValue::BlockDirective(d) => {
                    format!("directive {}", d.info.split(' ').next().unwrap_or(""))
                }
                NodeValue::Table(t) => format!("table {}x{}", t.num_rows, t.num_columns),
                other => format!("{:?}", std::mem::discriminant(other)),
            };
            format!("{depth} {kind}")
        })
        .collect()
}

/// A writable copy of the shipped sources.
fn shipped_copy() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let sources = dir.path().join("sources");
    copy_dir(&root().join("sources"), &sources);
    (dir, sources)
}

// Every guide and primer, each piece translated as a marked copy, rebuilds into a
// document with the same blocks, anchors and links, in which every piece carries the
// mark; the translated sources load without a problem.
#[test]
fn documents_round_trip() {
    let site = shipped_site();
    let (_dir, copy) = shipped_copy();
    let mut translated_docs = 0;
    for file in shipped_files(&site) {
        if file.kind != SourceKind::Document {
            continue;
        }
        let text = std::fs::read_to_string(&file.path).unwrap();
        let catalog = marked_catalog(&file.messages().unwrap());
        let (translated, missing) = translate_markdown(&text, &catalog);
        assert_eq!(missing, 0, "{}", file.rel);
        assert_eq!(structure(&translated), structure(&text), "{}", file.rel);
        let translated_pieces = pieces(&translated);
        assert_eq!(translated_pieces.len(), pieces(&text).len(), "{}", file.rel);
        for piece in &translated_pieces {
            assert!(
                piece.text.starts_with(MARK),
                "{}:{}: a piece without the mark: {:?}",
                file.rel,
                piece.line,
                piece.text
            );
        }
        std::fs::write(copy.join(&file.rel), translated).unwrap();
        translated_docs += 1;
    }
    assert!(translated_docs >= 12, "{translated_docs} documents");
    let translated_site = Site::load(&copy).unwrap_or_else(|p| panic!("translated sources:\n{p}"));
    let docs = |s: &Site| -> BTreeMap<String, (Vec<String>, Vec<String>, String)> {
        let intros = s.primer_intros.iter().map(|(_, d)| d);
        s.documents
            .iter()
            .chain(intros)
            .map(|d| {
                let anchors = d.index.anchors.iter().map(|a| a.id.clone()).collect();
                let links = d.index.links.iter().map(|l| l.url.clone()).collect();
                (d.rel_path.clone(), (anchors, links, d.front.title.clone()))
            })
            .collect()
    };
    let (before, after) = (docs(&site), docs(&translated_site));
    assert_eq!(before.len(), after.len());
    for (path, (anchors, links, title)) in &before {
        let (new_anchors, new_links, new_title) = &after[path];
        assert_eq!(new_anchors, anchors, "{path}: anchors");
        assert_eq!(new_links, links, "{path}: links");
        assert_eq!(new_title, &format!("{MARK}{title}"), "{path}: title");
    }
}

// Every questionnaire, each string translated as a marked copy through its key path,
// loads with the same parser; its texts, labels and messages carry the mark, its ids and
// values do not change, and the same answers score the same (messages aside).
#[test]
fn questionnaires_round_trip() {
    let site = shipped_site();
    let files: Vec<SourceFile> = shipped_files(&site)
        .into_iter()
        .filter(|f| f.rel.starts_with("questionnaires/"))
        .collect();
    assert!(files.len() >= 4);
    let mut raised = 0;
    for file in files {
        let text = std::fs::read_to_string(&file.path).unwrap();
        let catalog = marked_catalog(&file.messages().unwrap());
        let (translated, missing) = translate_toml(&text, &catalog).unwrap();
        assert_eq!(missing, 0, "{}", file.rel);
        let load = |t: &str| {
            let mut problems = Problems::default();
            let q = toolkit::questionnaire::definition::load_definition(
                t,
                &file.rel,
                &site,
                &mut problems,
            );
            q.unwrap_or_else(|| panic!("{}:\n{problems}", file.rel))
        };
        let (english, french) = (load(&text), load(&translated));
        assert!(french.title.starts_with(MARK));
        for (e, f) in english.questions.iter().zip(&french.questions) {
            assert_eq!(e.id, f.id);
            assert_eq!(f.text, format!("{MARK}{}", e.text), "{}", e.id);
            for (eo, fo) in e.options.iter().zip(&f.options) {
                assert_eq!((&eo.value, eo.score), (&fo.value, fo.score));
                assert_eq!(fo.label, format!("{MARK}{}", eo.label));
            }
            for flag in &f.flags {
                assert!(flag.message.starts_with(MARK), "{}", flag.id);
            }
        }
        for rule in &french.rules {
            assert!(rule.message.starts_with(MARK), "{}", rule.id);
        }
        // The scores, and apart from them the messages of the raised flags.
        let score = |q: &toolkit::questionnaire::Questionnaire| {
            let (_, results) = toolkit::synthetic::scored(
                &site.manifest,
                std::slice::from_ref(q),
                q,
                60,
                &["a", "b"],
                7,
            );
            let mut messages = Vec::new();
            let results: Vec<_> = results
                .into_iter()
                .map(|mut r| {
                    for flag in r.flags.iter_mut().filter(|f| f.id != "incomplete") {
                        messages.push(std::mem::take(&mut flag.message));
                    }
                    r
                })
                .collect();
            (results, messages)
        };
        let ((english_scores, english_messages), (french_scores, french_messages)) =
            (score(&english), score(&french));
        raised += english_messages.len();
        assert_eq!(english_messages.len(), french_messages.len());
        for (e, f) in english_messages.iter().zip(&french_messages) {
            assert_eq!(f, &format!("{MARK}{e}"), "{}", file.rel);
        }
        assert_eq!(english_scores, french_scores, "{}", file.rel);
    }
    assert!(
        raised > 0,
        "no flag was raised: the messages were not compared"
    );
}

// Working templates and the manifest go through the same function: the translated
// definitions load, their labels carry the mark, their ids do not change.
#[test]
fn templates_and_manifest_round_trip() {
    let site = shipped_site();
    let (_dir, copy) = shipped_copy();
    for file in shipped_files(&site) {
        if file.kind != SourceKind::Definition || file.rel.starts_with("questionnaires/") {
            continue;
        }
        let text = std::fs::read_to_string(&file.path).unwrap();
        // A yes-no field's example value must be the language's own Yes or No
        // (`register.yes`, `register.no` of words.po); this copy keeps English words, so
        // those values stay unmarked.
        let words = toolkit::words::Words::built_in();
        let yes_no = [words.get("register.yes"), words.get("register.no")];
        let catalog =
            marked_catalog_but(&file.messages().unwrap(), |msgid| yes_no.contains(&msgid));
        let (translated, missing) = translate_toml(&text, &catalog).unwrap();
        assert_eq!(missing, 0, "{}", file.rel);
        std::fs::write(copy.join(&file.rel), translated).unwrap();
    }
    let manifest = Manifest::load(&copy).unwrap_or_else(|p| panic!("{p}"));
    assert!(manifest.title.starts_with(MARK) && manifest.notice.starts_with(MARK));
    assert!(manifest.roles.iter().all(|r| r.label.starts_with(MARK)));
    let ids: Vec<&str> = manifest.role_ids().collect();
    assert_eq!(ids, site.manifest.role_ids().collect::<Vec<_>>());
    assert_eq!(manifest.languages()[3].name, "العربية");
    let translated_site = Site::load(&copy).unwrap_or_else(|p| panic!("{p}"));
    let templates = toolkit::register::load_working_templates(&copy, &translated_site)
        .unwrap_or_else(|p| panic!("{p}"));
    assert!(templates.len() >= 7);
    for template in &templates {
        assert!(template.title.starts_with(MARK), "{}", template.id);
        for column in &template.columns {
            assert!(column.label.starts_with(MARK), "{}", column.id);
            // Yes/no columns take the pipeline's fixed "Yes" and "No".
            // A choice column's options are translated (but for the words Yes and No,
            // which this copy keeps in English: see above).
            if column.kind == toolkit::register::FieldType::Choice {
                let words = toolkit::words::Words::built_in();
                let yes_no = [words.get("register.yes"), words.get("register.no")];
                let marked = column
                    .options
                    .iter()
                    .all(|o| o.starts_with(MARK) || yes_no.contains(&o.as_str()));
                assert!(marked, "{}", column.id);
            }
        }
    }
}

/// A copy of the fixture toolkit that ships in French (a draft) and German (not a draft),
/// with a templates folder holding two words.
fn translated_fixture() -> (tempfile::TempDir, PathBuf, PathBuf) {
    let (dir, sources) = fixture_copy();
    let manifest = sources.join("toolkit.toml");
    let mut text = std::fs::read_to_string(&manifest).unwrap();
    let at = text.find("\n[[roles]]").unwrap();
    text.insert_str(at, "\n[[languages]]\nid = \"fr\"\nname = \"Français\"\ndraft = true\n\n[[languages]]\nid = \"de\"\nname = \"Deutsch\"\n");
    std::fs::write(&manifest, text).unwrap();
    let templates = dir.path().join("templates");
    std::fs::create_dir_all(&templates).unwrap();
    std::fs::write(
        templates.join("words.toml"),
        "respondent = \"Respondent\"\nstage = \"Stage\"\n",
    )
    .unwrap();
    (dir, sources, templates)
}

fn run(args: &[&str], sources: &Path, templates: &Path) -> (i32, String, String) {
    let mut all: Vec<&str> = args.to_vec();
    let (s, t) = (sources.to_str().unwrap(), templates.to_str().unwrap());
    all.extend(["--sources", s, "--templates", t]);
    let out = toolkit(&all, sources);
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Every catalogue under a folder with its bytes and modification time.
fn snapshot(dir: &Path) -> BTreeMap<String, (Vec<u8>, std::time::SystemTime)> {
    toolkit::i18n::catalogues::po_files(dir)
        .into_iter()
        .map(|(rel, path)| {
            let meta = std::fs::metadata(&path).unwrap();
            (
                rel,
                (std::fs::read(&path).unwrap(), meta.modified().unwrap()),
            )
        })
        .collect()
}

/// The `total` line of a language's table in `toolkit check`'s output.
fn total_line(stdout: &str, language: &str) -> Vec<usize> {
    let table = stdout
        .split(&format!("translations: {language} "))
        .nth(1)
        .unwrap_or_else(|| panic!("no table for {language}:\n{stdout}"));
    let line = table.lines().find(|l| l.starts_with("total")).unwrap();
    line.split_whitespace()
        .skip(1)
        .map(|n| n.parse().unwrap())
        .collect()
}

// `toolkit translate` creates the catalogues, rewrites nothing on a second run (same
// bytes, same modification times), marks a changed paragraph fuzzy; `toolkit check`
// counts translated, fuzzy and missing entries, fails a language that is not a draft,
// and names the file and line of a translation that breaks a link.
#[test]
fn translate_and_check() {
    let (_dir, sources, templates) = translated_fixture();
    let (code, stdout, stderr) = run(&["translate"], &sources, &templates);
    assert_eq!(code, 0, "{stdout}{stderr}");
    let folder = sources.join("translations");
    let first = snapshot(&folder);
    let expected = [
        "de/docs/alpha",
        "de/toolkit",
        "de/words",
        "fr/docs/alpha",
        "fr/questionnaires/risk",
    ];
    for rel in expected {
        assert!(first.contains_key(rel), "{rel} missing: {:?}", first.keys());
    }
    let (code, stdout, _) = run(&["translate"], &sources, &templates);
    assert_eq!(code, 0);
    assert!(stdout.contains("0 created, 0 updated"), "{stdout}");
    assert_eq!(snapshot(&folder), first, "a second run changed a catalogue");

    // Nothing translated: fr is a draft (a note), de is not (a problem per catalogue).
    let (code, stdout, stderr) = run(&["check"], &sources, &templates);
    assert_eq!(code, 2, "{stdout}{stderr}");
    let de = total_line(&stdout, "de");
    assert_eq!(de[..2], [0, 0]);
    assert!(de[2] > 20, "{de:?}");
    assert!(stderr.contains("note: fr is a draft"), "{stderr}");
    assert!(
        stderr.contains("de/docs/alpha.po: ") && stderr.contains("de is not a draft"),
        "{stderr}"
    );

    // Every German entry translated: check passes, and counts them.
    for (_, path) in toolkit::i18n::catalogues::po_files(&folder.join("de")) {
        let mut po = PoFile::parse(&std::fs::read_to_string(&path).unwrap()).unwrap();
        for entry in &mut po.entries {
            entry.msgstr = format!("DE {}", entry.msgid);
        }
        std::fs::write(&path, po.write()).unwrap();
    }
    let (code, stdout, stderr) = run(&["check"], &sources, &templates);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert_eq!(total_line(&stdout, "de"), [de[2], 0, 0]);

    // A translation that changes a link target is an error at its entry's line.
    let alpha = folder.join("de/docs/alpha.po");
    let text = std::fs::read_to_string(&alpha).unwrap();
    let mut po = PoFile::parse(&text).unwrap();
    let entry = po
        .entries
        .iter_mut()
        .find(|e| e.msgid.contains("(beta.md#beta-section)"))
        .unwrap();
    entry.msgstr = entry
        .msgstr
        .replace("(beta.md#beta-section)", "(beta.md#abschnitt)");
    let damaged = po.write();
    std::fs::write(&alpha, &damaged).unwrap();
    let line = PoFile::parse(&damaged)
        .unwrap()
        .entries
        .iter()
        .find(|e| e.msgstr.contains("abschnitt"))
        .unwrap()
        .line;
    let (code, _, stderr) = run(&["check"], &sources, &templates);
    assert_eq!(code, 2);
    let expected = format!(
        "{}:{line}: the translation changes the link targets",
        alpha.display()
    );
    assert!(
        stderr.contains(&expected),
        "expected {expected:?} in:\n{stderr}"
    );
    std::fs::write(&alpha, &text).unwrap();

    // The English of a paragraph changes: its German becomes fuzzy, with the old English.
    let doc = sources.join("docs/alpha.md");
    let english = std::fs::read_to_string(&doc).unwrap();
    std::fs::write(
        &doc,
        english.replace("BASIC-ONLY paragraph.", "BASIC-ONLY paragraph, rewritten."),
    )
    .unwrap();
    let (code, stdout, _) = run(&["translate", "--language", "de"], &sources, &templates);
    assert_eq!(code, 0);
    assert!(stdout.contains("1 changed and marked fuzzy"), "{stdout}");
    assert!(!stdout.contains("fr ("), "{stdout}");
    let po = PoFile::parse(&std::fs::read_to_string(&alpha).unwrap()).unwrap();
    let fuzzy: Vec<&Entry> = po.entries.iter().filter(|e| e.is_fuzzy()).collect();
    assert_eq!(fuzzy.len(), 1);
    assert_eq!(fuzzy[0].msgid, "BASIC-ONLY paragraph, rewritten.");
    assert_eq!(
        fuzzy[0].previous_msgid.as_deref(),
        Some("BASIC-ONLY paragraph.")
    );
    assert_eq!(fuzzy[0].msgstr, "DE BASIC-ONLY paragraph.");
    let (code, stdout, _) = run(&["check"], &sources, &templates);
    assert_eq!(code, 2);
    assert_eq!(total_line(&stdout, "de"), [de[2] - 1, 1, 0]);

    // An unknown language is a usage error; the help explains the command.
    let (code, _, stderr) = run(&["translate", "--language", "xx"], &sources, &templates);
    assert_eq!(code, 2);
    assert!(stderr.contains("unknown --language \"xx\""), "{stderr}");
    let help = toolkit(&["translate", "--help"], &sources);
    let help = String::from_utf8_lossy(&help.stdout);
    assert!(
        help.contains("msgmerge") && help.contains("fuzzy") && help.contains("obsolete"),
        "{help}"
    );
}
