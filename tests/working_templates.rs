//! Working templates (registers and forms from `sources/templates/`): definitions load and
//! broken ones name file and line; the workbooks open in calamine and LibreOffice with
//! their headers and dropdowns; the build writes each workbook and PDF into the bundle.

mod common;

use std::io::Read;
use std::path::Path;

use calamine::{Data, Reader, open_workbook_auto};
use common::*;
use toolkit::build::{BuildOptions, run_build};
use toolkit::register::{
    FieldType, TemplateKind, Variant, WorkingTemplate, load_working_templates,
};
use toolkit::workbook::write_working_template;

/// A register and a form for the fixture toolkit, valid.
const FIXTURE_REGISTER: &str = r#"id = "fixture-log"
title = "Fixture incident log"
kind = "register"
description = "A small register."
links = ["alpha#first"]
rows = 5

[[columns]]
id = "when"
label = "Date found"
type = "date"

[[columns]]
id = "severity"
label = "Severity"
help = "How bad it was."
type = "choice"
options = ["Serious", "Minor"]

[[columns]]
id = "closed"
label = "Closed"
type = "yes-no"
"#;

const FIXTURE_FORM: &str = r#"id = "fixture-card"
title = "Fixture system card"
kind = "form"

[[sections]]
title = "The system"

[[sections.fields]]
id = "name"
label = "System name"
type = "text"

[[sections.fields]]
id = "purpose"
label = "Purpose"
type = "long-text"
"#;

/// A broken register: every faulty line carries `# expect: <message part>`.
const BROKEN: &str = r#"id = "broken"
title = "Broken"
kind = "register"
links = ["alpha#nowhere"]  # expect: nowhere

[[columns]]
id = "a"
label = "A"
type = "choice"  # expect: a choice field needs options

[[columns]]
id = "a"  # expect: duplicate field id "a"
label = "Again"
type = "text"
options = ["x"]  # expect: a text field takes no options

[[columns]]
id = "b"
label = "B"
type = "choice"
options = ["Yes", "yes"]  # expect: duplicate option
"#;

/// A definition with a misspelt key, which TOML reading refuses at its line.
const UNKNOWN_KEY: &str = "id = \"typo\"\ntitle = \"Typo\"\nkind = \"form\"\ndescrption = \"x\"  # expect: unknown field `descrption`\n";

/// The fixture sources with the two valid definitions and `extra` files added.
fn fixture_with_templates(extra: &[(&str, &str)]) -> (tempfile::TempDir, std::path::PathBuf) {
    let (dir, sources) = fixture_copy();
    let folder = sources.join("templates");
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::write(folder.join("fixture-log.toml"), FIXTURE_REGISTER).unwrap();
    std::fs::write(folder.join("fixture-card.toml"), FIXTURE_FORM).unwrap();
    for (name, text) in extra {
        std::fs::write(folder.join(name), text).unwrap();
    }
    (dir, sources)
}

/// The (line, message part) pairs a broken file's `# expect:` markers name.
fn expected(text: &str) -> Vec<(usize, String)> {
    text.lines()
        .enumerate()
        .filter_map(|(i, line)| {
            let (_, part) = line.split_once("# expect: ")?;
            Some((i + 1, part.to_owned()))
        })
        .collect()
}

// The shipped definitions load (seven, each a register with columns or a form with
// sections), and two broken files report every fault at its file and line.
#[test]
fn definitions_load_and_broken_ones_name_file_and_line() {
    let site = load_site(&root().join("sources"));
    let shipped = load_working_templates(&root().join("sources"), &site).unwrap();
    let files = std::fs::read_dir(root().join("sources/templates"))
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .path()
                .extension()
                .is_some_and(|x| x == "toml")
        })
        .count();
    assert_eq!(
        shipped.len(),
        files,
        "one working template per definition file"
    );
    for t in &shipped {
        match t.kind {
            TemplateKind::Register => assert!(!t.columns.is_empty() && t.sections.is_empty()),
            TemplateKind::Form => assert!(!t.sections.is_empty() && t.columns.is_empty()),
        }
        assert!(!t.links.is_empty(), "{} links to the guides", t.id);
    }
    let (_dir, sources) =
        fixture_with_templates(&[("broken.toml", BROKEN), ("typo.toml", UNKNOWN_KEY)]);
    let site = load_site(&sources);
    let problems = load_working_templates(&sources, &site).unwrap_err();
    let mut wanted = Vec::new();
    for (name, text) in [("broken.toml", BROKEN), ("typo.toml", UNKNOWN_KEY)] {
        for (line, part) in expected(text) {
            wanted.push((name, line, part));
        }
    }
    assert_eq!(problems.0.len(), wanted.len(), "{problems}");
    for (name, line, part) in wanted {
        assert!(
            problems
                .0
                .iter()
                .any(|p| p.file.ends_with(name) && p.line == line && p.message.contains(&part)),
            "no problem {part:?} at {name}:{line} in:\n{problems}"
        );
    }
}

/// The first shipped register with a choice column, written to `dir`.
fn write_ai_register(dir: &Path) -> (WorkingTemplate, std::path::PathBuf) {
    let site = load_site(&root().join("sources"));
    let shipped = load_working_templates(&root().join("sources"), &site).unwrap();
    let t = shipped
        .into_iter()
        .find(|t| {
            t.kind == TemplateKind::Register
                && t.columns.iter().any(|c| c.kind == FieldType::Choice)
        })
        .expect("a shipped register has a choice column");
    let date = toolkit::date::Date::from_epoch(TEST_EPOCH);
    let bytes = write_working_template(
        &t,
        Variant::Blank,
        (&site.manifest, &site.words),
        date,
        site.manifest.paper,
    )
    .unwrap();
    let path = dir.join(format!("{}.xlsx", t.id));
    std::fs::write(&path, bytes).unwrap();
    (t, path)
}

/// The first row of a sheet, as strings.
fn header(path: &Path, sheet: &str) -> Vec<String> {
    let mut workbook = open_workbook_auto(path).unwrap();
    let range = workbook.worksheet_range(sheet).unwrap();
    let first = range.rows().next().unwrap();
    first.iter().map(|cell| cell.to_string()).collect()
}

// The AI register's workbook reads back in calamine: its header is the columns' labels,
// the hidden lists hold a choice column's options, the sheet's dropdown points at them
// and dates are checked; LibreOffice converts it with the same header.
#[test]
fn register_workbook_opens_with_its_header_and_dropdowns() {
    let dir = tempfile::tempdir().unwrap();
    let (t, path) = write_ai_register(dir.path());
    let labels: Vec<String> = t.columns.iter().map(|c| c.label.clone()).collect();
    assert_eq!(header(&path, "Register"), labels);
    let mut workbook = open_workbook_auto(&path).unwrap();
    let names = workbook.sheet_names();
    assert_eq!(names, ["Instructions", "Register", "Lists", "Metadata"]);
    // The first field with options (a choice or yes-no field) is column A of Lists.
    let class = t
        .columns
        .iter()
        .find(|c| matches!(c.kind, FieldType::Choice | FieldType::YesNo))
        .unwrap();
    let lists = workbook.worksheet_range("Lists").unwrap();
    let first_list: Vec<String> = lists
        .rows()
        .map(|row| row[0].to_string())
        .filter(|s| !s.is_empty())
        .collect();
    assert_eq!(first_list, class.options);
    let metadata = workbook.worksheet_range("Metadata").unwrap();
    assert_eq!(metadata.get((0, 1)), Some(&Data::String(t.id.clone())));
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&path).unwrap()).unwrap();
    let mut xml = String::new();
    zip.by_name("xl/worksheets/sheet2.xml")
        .unwrap()
        .read_to_string(&mut xml)
        .unwrap();
    let list = format!("<formula1>Lists!$A$1:$A${}</formula1>", class.options.len());
    assert!(xml.contains(&list), "no dropdown from the lists sheet");
    assert!(xml.contains(r#"type="date""#), "no date check");
    assert!(
        xml.contains("<sheetProtection"),
        "the sheet is not protected"
    );
    if have("soffice", LIBREOFFICE) {
        let converted = libreoffice_convert(&path, "ods", dir.path());
        assert_eq!(header(&converted, "Register"), labels);
    }
}

// A build writes every working template's workbook and PDF under working-templates/,
// lists them in manifest.json, and each PDF carries its template's title.
#[test]
fn build_writes_every_working_template_into_the_bundle() {
    let (dir, sources) = fixture_with_templates(&[]);
    let project = open_project(&sources);
    assert_eq!(project.working_templates.len(), 2);
    let out = dir.path().join("out");
    let options = BuildOptions {
        out: out.clone(),
        answers: None,
        reuse: false,
    };
    let report = run_build(&project, &options).unwrap();
    assert!(report.failures.is_empty(), "{:?}", report.failures);
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("manifest.json")).unwrap()).unwrap();
    let listed: Vec<&str> = manifest["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    let home = std::fs::read_to_string(out.join("site/index.html")).unwrap();
    for t in &project.working_templates {
        for extension in ["xlsx", "pdf"] {
            // The web edition's home page links both files, beside the site folder.
            let href = format!("href=\"../working-templates/{}.{extension}\"", t.id);
            assert!(home.contains(&href), "the home page lacks {href}");
            let file = format!("working-templates/{}.{extension}", t.id);
            assert!(out.join(&file).is_file(), "{file} not written");
            assert!(listed.contains(&file.as_str()), "{file} not in the bundle");
        }
        if have("pdftotext", POPPLER) {
            let pdf = out.join(format!("working-templates/{}.pdf", t.id));
            let text = run_tool("pdftotext", &[pdf.to_str().unwrap(), "-"]);
            assert!(squash(&text).contains(&t.title), "{} has no title", t.id);
            let info = run_tool("pdfinfo", &[pdf.to_str().unwrap()]);
            let title = info.lines().find_map(|l| l.strip_prefix("Title:"));
            assert_eq!(title.map(str::trim), Some(t.title.as_str()), "{info}");
        }
    }
}
