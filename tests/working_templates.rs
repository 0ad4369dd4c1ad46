//! Working templates (registers and forms from `sources/templates/`): definitions load and
//! broken ones name file and line; the workbooks open in calamine and LibreOffice with
//! their headers and dropdowns; the build writes each workbook and PDF into the bundle.

mod common;

use std::io::Read;
use std::path::Path;

use calamine::{Data, Reader, open_workbook_auto};
use common::*;
use toolkit::build::{BuildOptions, run_build};
use toolkit::content::manifest::Paper;
use toolkit::project::{Project, ProjectOptions};
use toolkit::register::{
    FieldType, PrintLayout, TemplateKind, Variant, WorkingTemplate, load_working_templates,
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

/// A register printed one entry per page, with a prefilled record and a worked example of
/// three records whose values the tests look for in the outputs.
const FIXTURE_ENTRIES: &str = r#"id = "fixture-entries"
title = "Fixture entries"
kind = "register"
description = "A register printed as forms."
rows = 10

[[columns]]
id = "reference"
label = "Reference"
type = "text"

[[columns]]
id = "what"
label = "What happened"
help = "The facts."
type = "long-text"

[[columns]]
id = "when"
label = "Date found"
type = "date"

[[columns]]
id = "severity"
label = "Severity"
type = "choice"
options = ["Serious", "Minor"]

[[columns]]
id = "count"
label = "People affected"
type = "number"

[[prefill]]
what = "Standard entry written in by the template"
severity = "Minor"

[example]
note = "Three entries of a made-up system."

[[example.records]]
reference = "ENTRY-ALPHA-001"
what = "Alpha happened when the lantern tipped over"
when = 2026-06-18
severity = "Serious"
count = 3

[[example.records]]
reference = "ENTRY-BRAVO-002"
what = "Bravo happened after the bridge closed"
when = "2026-07-02"
severity = "Minor"

[[example.records]]
reference = "ENTRY-CHARLIE-003"
what = "Charlie happened at the harbour gate"
count = 1.5
"#;

/// A broken form: records that do not fit their fields, each at its line.
const BROKEN_RECORDS: &str = r#"id = "broken-records"
title = "Broken records"
kind = "form"
print = "table"  # expect: print applies only to kind = "register"

[[sections]]
title = "Only section"

[[sections.fields]]
id = "name"
label = "Name"
type = "text"

[[sections.fields]]
id = "when"
label = "When"
type = "date"

[[sections.fields]]
id = "level"
label = "Level"
type = "choice"
options = ["High", "Low"]

[[sections.fields]]
id = "done"
label = "Done"
type = "yes-no"

[[sections.fields]]
id = "count"
label = "Count"
type = "number"

[[prefill]]
name = 42  # expect: a text field takes text in quotes, not integer
level = "high"  # expect: "high" is not an option; expected one of High, Low

[[prefill]]  # expect: a form has one record: one [[prefill]] at most
name = "x"

[example]  # expect: an [example] needs a note saying what it shows

[[example.records]]
nmae = "typo"  # expect: example record 1: no field "nmae" in this template
when = "2026-02-30"  # expect: is not a date
done = "yes"  # expect: "yes" is not an option; expected one of Yes, No
count = "twelve"  # expect: a number field takes a number, not string
level = ""  # expect: the value is empty
"#;

/// A register whose id takes a worked example's name, with an empty example.
const BROKEN_EXAMPLE_NAME: &str = r#"id = "log-example"  # expect: must not end in "-example"
title = "Log"
kind = "register"
rows = 1

[[columns]]
id = "a"
label = "A"
type = "text"

[[prefill]]
a = "one"

[[prefill]]  # expect: 2 [[prefill]] rows do not fit in rows = 1
a = "two"

[example]  # expect: an [example] needs its [[example.records]]
note = "Nothing in it."
"#;

// Prefilled records and worked examples are checked against their template: unknown field
// ids, options that are not options, impossible dates, text where a number belongs, empty
// values, too many records, a misplaced `print` and an id that takes an example's name
// are each reported at their file and line.
#[test]
fn prefill_and_example_records_are_checked_at_their_line() {
    let files = [
        ("broken-records.toml", BROKEN_RECORDS),
        ("log-example.toml", BROKEN_EXAMPLE_NAME),
    ];
    let (_dir, sources) = fixture_with_templates(&files);
    let site = load_site(&sources);
    let problems = load_working_templates(&sources, &site).unwrap_err();
    let mut wanted = Vec::new();
    for (name, text) in files {
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

// A valid definition's records keep their values as the template prints them: dates
// written year-month-day whether TOML dates or text, numbers as typed.
#[test]
fn records_load_with_their_values() {
    let (_dir, sources) = fixture_with_templates(&[("fixture-entries.toml", FIXTURE_ENTRIES)]);
    let site = load_site(&sources);
    let loaded = load_working_templates(&sources, &site).unwrap();
    let t = loaded.iter().find(|t| t.id == "fixture-entries").unwrap();
    assert_eq!(
        t.print,
        PrintLayout::Records,
        "a register prints entries by default"
    );
    assert_eq!(t.prefill.len(), 1);
    let example = t.example.as_ref().unwrap();
    let records = &example.records;
    assert_eq!(records.len(), 3);
    assert_eq!(records[0].get("when"), Some("2026-06-18"));
    assert_eq!(records[1].get("when"), Some("2026-07-02"));
    assert_eq!(records[0].get("count"), Some("3"));
    assert_eq!(records[2].get("count"), Some("1.5"));
    assert_eq!(records[2].get("when"), None);
}

/// The text of one page of a PDF, whitespace squashed.
fn page_text(pdf: &Path, page: usize) -> String {
    let page = page.to_string();
    squash(&run_tool(
        "pdftotext",
        &["-f", &page, "-l", &page, pdf.to_str().unwrap(), "-"],
    ))
}

/// The number of pages of a PDF.
fn page_count(pdf: &Path) -> usize {
    let info = run_tool("pdfinfo", &[pdf.to_str().unwrap()]);
    info.lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or_else(|| panic!("no page count in {info}"))
}

// A register printed as forms gives each entry a page of its own: the worked example's PDF
// has the introduction and one page per record, each page holding that record's values
// and no other's; the blank copy has its prefilled entry and one blank entry to copy.
// The example's workbook holds the same values in its first rows (dates as dates), and
// the blank workbook its prefilled row.
#[test]
fn registers_print_one_entry_per_page_and_examples_carry_their_values() {
    let (dir, sources) = fixture_with_templates(&[("fixture-entries.toml", FIXTURE_ENTRIES)]);
    let project = open_project(&sources);
    let out = dir.path().join("out");
    let options = BuildOptions {
        out: out.clone(),
        answers: None,
        reuse: false,
    };
    let report = run_build(&project, &options).unwrap();
    assert!(report.failures.is_empty(), "{:?}", report.failures);
    let folder = out.join("working-templates");
    let t = project
        .working_templates
        .iter()
        .find(|t| t.id == "fixture-entries")
        .unwrap();
    let records = &t.example.as_ref().unwrap().records;
    let home = std::fs::read_to_string(out.join("site/index.html")).unwrap();
    for file in [
        "fixture-entries-example.pdf",
        "fixture-entries-example.xlsx",
    ] {
        let href = format!("href=\"../working-templates/{file}\"");
        assert!(home.contains(&href), "the home page lacks {href}");
    }
    assert!(home.contains("id=\"template-fixture-entries\""));

    let workbook = folder.join("fixture-entries-example.xlsx");
    let mut book = open_workbook_auto(&workbook).unwrap();
    let sheet = book.worksheet_range("Register").unwrap();
    for (row, record) in (1u32..).zip(records) {
        let reference = sheet.get_value((row, 0)).map(|c| c.to_string());
        assert_eq!(reference.as_deref(), record.get("reference").or(Some("")));
        let what = sheet.get_value((row, 1)).map(|c| c.to_string());
        assert_eq!(what.as_deref(), record.get("what"));
    }
    assert!(
        matches!(sheet.get_value((1, 2)), Some(Data::DateTime(_))),
        "a date is written as a date: {:?}",
        sheet.get_value((1, 2))
    );
    assert_eq!(sheet.get_value((1, 4)), Some(&Data::Float(3.0)));
    let blank = folder.join("fixture-entries.xlsx");
    let mut book = open_workbook_auto(&blank).unwrap();
    let sheet = book.worksheet_range("Register").unwrap();
    assert_eq!(
        sheet.get_value((1, 1)).map(|c| c.to_string()).as_deref(),
        t.prefill[0].get("what")
    );

    if !have("pdftotext", POPPLER) {
        return;
    }
    let example = folder.join("fixture-entries-example.pdf");
    assert_eq!(
        page_count(&example),
        1 + records.len(),
        "one page per entry"
    );
    for (i, record) in records.iter().enumerate() {
        let text = page_text(&example, i + 2);
        assert!(
            text.contains(&format!("Entry {} of {}", i + 1, records.len())),
            "page {} is not entry {}: {text}",
            i + 2,
            i + 1
        );
        for (n, other) in records.iter().enumerate() {
            let reference = other.get("reference").unwrap();
            assert_eq!(
                text.contains(reference),
                n == i,
                "page {} and {reference}: {text}",
                i + 2
            );
        }
        for field in ["what", "when", "count"] {
            if let Some(value) = record.get(field) {
                assert!(text.contains(value), "{value:?} not on page {}", i + 2);
            }
        }
    }
    let blank = folder.join("fixture-entries.pdf");
    assert_eq!(
        page_count(&blank),
        1 + t.prefill.len() + 1,
        "the introduction, the prefilled entry and a blank one"
    );
    assert!(page_text(&blank, 2).contains(t.prefill[0].get("what").unwrap()));
    assert!(page_text(&blank, 3).contains("Copy this page for each entry."));
}

// Every shipped working template has a worked example, and the example's printed copy
// holds the values of its records: the text of every text field, on the page count that
// its layout promises (one page per entry for a register printed as forms).
#[test]
fn shipped_examples_print_their_values() {
    let (dir, sources) = {
        let dir = tempfile::tempdir().unwrap();
        let sources = dir.path().join("sources");
        copy_dir(&root().join("sources"), &sources);
        (dir, sources)
    };
    let project = open_project(&sources);
    for t in &project.working_templates {
        let example = t
            .example
            .as_ref()
            .unwrap_or_else(|| panic!("{} has no worked example", t.id));
        assert!(
            example.note.contains("fictional"),
            "{}: {}",
            t.id,
            example.note
        );
    }
    if !have("pdftotext", POPPLER) {
        return;
    }
    let out = dir.path().join("out");
    let options = BuildOptions {
        out: out.clone(),
        answers: None,
        reuse: false,
    };
    let report = run_build(&project, &options).unwrap();
    assert!(report.failures.is_empty(), "{:?}", report.failures);
    for t in &project.working_templates {
        let pdf = out.join(format!("working-templates/{}-example.pdf", t.id));
        // Compared without whitespace and hyphens: a line may break after a hyphen inside
        // a value, and pdftotext joins such a line without it.
        let bare = |text: &str| {
            text.chars()
                .filter(|c| !c.is_whitespace() && *c != '-')
                .collect::<String>()
        };
        let raw = run_tool("pdftotext", &[pdf.to_str().unwrap(), "-"]);
        let text = bare(&raw);
        // A table's cells are read line by line across the row, so a value that wraps is
        // looked for word by word (a line may also break at a hyphen inside a word); a
        // form's boxes hold each value whole.
        let table = t.print == PrintLayout::Table && t.kind == TemplateKind::Register;
        let records = t.records(Variant::Example);
        for record in records {
            for field in t.fields().filter(|f| f.kind == FieldType::Text) {
                let Some(value) = record.get(&field.id) else {
                    continue;
                };
                let found = if table {
                    value
                        .split(|c: char| c.is_whitespace() || c == '-')
                        .all(|word| text.contains(&bare(word)))
                } else {
                    text.contains(&bare(value))
                };
                assert!(found, "{}: {value:?} not printed", t.id);
            }
        }
    }
    entries_keep_to_their_page(&project, &out);
    // US Letter is shorter than A4: every entry still keeps to its page.
    let letter = Project::open(&ProjectOptions {
        source_date_epoch: Some(TEST_EPOCH),
        threads: Some(2),
        sources: sources.clone(),
        paper: Some(Paper::UsLetter),
        ..ProjectOptions::at(&root())
    })
    .unwrap();
    let out = dir.path().join("letter");
    let options = BuildOptions {
        out: out.clone(),
        answers: None,
        reuse: false,
    };
    let report = run_build(&letter, &options).unwrap();
    assert!(report.failures.is_empty(), "{:?}", report.failures);
    entries_keep_to_their_page(&letter, &out);
}

/// Every shipped register printed as forms has, after its introduction, one page per
/// entry: the blank copy its prefilled entries and one blank entry, the example its
/// records.
fn entries_keep_to_their_page(project: &Project, out: &Path) {
    let registers = project
        .working_templates
        .iter()
        .filter(|t| t.kind == TemplateKind::Register && t.print == PrintLayout::Records);
    for t in registers {
        for (variant, blank) in [(Variant::Blank, 1), (Variant::Example, 0)] {
            let pdf = out.join(format!("working-templates/{}.pdf", t.stem(variant)));
            let expected = 1 + t.records(variant).len() + blank;
            assert_eq!(page_count(&pdf), expected, "{}", pdf.display());
        }
    }
}

// A questionnaire's links and a guide's Markdown links may name a working template
// (`template:<id>`); one that names no template is reported at its line.
#[test]
fn links_to_working_templates_are_checked() {
    let (_dir, sources) = fixture_with_templates(&[]);
    let questionnaire = sources.join("questionnaires/risk.toml");
    let text = std::fs::read_to_string(&questionnaire).unwrap();
    let text = text.replacen(
        "links = [\"alpha#first\"]",
        "links = [\"alpha#first\", \"template:fixture-log\"]",
        1,
    );
    std::fs::write(&questionnaire, &text).unwrap();
    let site = load_site(&sources);
    toolkit::questionnaire::load_questionnaires(&sources, &site)
        .unwrap_or_else(|p| panic!("a link to a template is refused:\n{p}"));

    let broken = text.replacen("template:fixture-log", "template:no-such-log", 1);
    std::fs::write(&questionnaire, &broken).unwrap();
    let line = broken
        .lines()
        .position(|l| l.contains("template:no-such-log"))
        .unwrap()
        + 1;
    let problems = toolkit::questionnaire::load_questionnaires(&sources, &site).unwrap_err();
    assert!(
        problems.0.iter().any(|p| p.line == line
            && p.message
                .contains("unknown working template \"no-such-log\"")),
        "{problems}"
    );

    let doc = sources.join("docs/alpha.md");
    let mut markdown = std::fs::read_to_string(&doc).unwrap();
    markdown
        .push_str("\nKeep a [log](template:fixture-log) and a [card](template:missing-card).\n");
    std::fs::write(&doc, &markdown).unwrap();
    let problems = toolkit::content::Site::load(&sources).unwrap_err();
    assert_eq!(problems.0.len(), 1, "{problems}");
    assert!(
        problems.0[0].message.contains("\"missing-card\"")
            && problems.0[0].line == markdown.lines().count(),
        "{problems}"
    );
}
