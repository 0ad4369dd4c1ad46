//! The Typst world: diagnostics name the template file and line, and a compile can read
//! nothing outside the templates and sources folders.

mod common;

use common::*;
use toolkit::date::Date;
use toolkit::project::open_typesetter;
use toolkit::typeset::Job;

fn job(main: &str) -> Job {
    Job {
        origin: "test.md".into(),
        main: main.into(),
        files: vec![],
        ident: "test".into(),
    }
}

// An error inside a template is reported with the template's path and line.
#[test]
fn template_errors_name_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let templates = dir.path().join("templates");
    std::fs::create_dir_all(&templates).unwrap();
    std::fs::write(
        templates.join("broken.typ"),
        "#let ok = 1\n\n#let broken() = undefined-thing\n",
    )
    .unwrap();
    let site = load_site(&fixture_sources());
    let typesetter = open_typesetter(&site, &templates, Date::new(2025, 1, 1).unwrap()).unwrap();
    let error = typesetter
        .compile(&job(
            "#import \"/templates/broken.typ\": broken\n#broken()\n",
        ))
        .unwrap_err();
    let text = error.to_string();
    assert!(
        text.contains("broken.typ:3: error: unknown variable: undefined"),
        "{text}"
    );
}

// A compile cannot read files outside the served folders, by any path trick.
#[test]
fn compiles_cannot_escape_the_project() {
    let site = load_site(&fixture_sources());
    let typesetter = typesetter(&site);
    for path in [
        "/etc/passwd",
        "/templates/../../../../etc/passwd",
        "/sources/../../etc/hostname",
        "../Cargo.toml",
    ] {
        let error = typesetter
            .page_texts(&job(&format!("#read(\"{path}\")")))
            .unwrap_err()
            .to_string();
        assert!(
            error.contains("access denied")
                || error.contains("not found")
                || error.contains("cannot access"),
            "{path}: {error}"
        );
    }
    // Files inside the sources folder are served (images, for example).
    let text = typesetter
        .page_texts(&job("#read(\"/sources/docs/img/square.svg\").len()"))
        .unwrap()
        .all();
    assert!(text.trim().parse::<usize>().unwrap() > 50, "{text}");
}

// The same job typesets to the same bytes every time (no clock, fixed identifier).
#[test]
fn compiles_are_deterministic() {
    let site = load_site(&fixture_sources());
    let typesetter = typesetter(&site);
    let job = job(
        "#set document(title: [T])\n#set text(lang: \"en\")\nHello #datetime.today().display()",
    );
    let first = typesetter.compile(&job).unwrap();
    let second = typesetter.compile(&job).unwrap();
    assert_eq!(first, second);
    let text = typesetter.page_texts(&job).unwrap().all();
    assert!(
        text.contains("2025-03-04"),
        "today() is the fixed document date: {text}"
    );
}
