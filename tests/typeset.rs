//! The Typst world: diagnostics name the template file and line, warnings come back
//! beside the PDF once per template, preloaded and plain templates typeset the same bytes,
//! and a compile can read nothing outside the templates and sources folders.

mod common;

use common::*;
use toolkit::date::Date;
use toolkit::project::open_typesetter;
use toolkit::typeset::{Job, Template, Warnings};

fn job(main: &str) -> Job {
    Job::markup(main).ident("test").origin("test.md")
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
    let typesetter = open_typesetter(
        &site,
        &templates,
        Date::new(2025, 1, 1).unwrap(),
        Default::default(),
    )
    .unwrap();
    let broken = Template::new("/templates/broken.typ", "broken");
    let error = typesetter
        .compile(&Job::call(broken).ident("test"))
        .unwrap_err();
    let text = error.to_string();
    assert!(
        text.contains("broken.typ:3: error: unknown variable: undefined"),
        "{text}"
    );
    // An error outside any function (the template cannot be evaluated once, ahead of the
    // jobs) is reported the same way, at the job that imports it.
    std::fs::write(
        templates.join("top.typ"),
        "#let ok() = 1\n#let x = missing-thing\n",
    )
    .unwrap();
    let typesetter = open_typesetter(
        &site,
        &templates,
        Date::new(2025, 1, 1).unwrap(),
        Default::default(),
    )
    .unwrap();
    assert!(
        !typesetter
            .preloaded_templates()
            .contains(&"top.typ".to_owned())
    );
    let top = Template::new("/templates/top.typ", "ok");
    assert!(!typesetter.is_preloaded(top));
    let text = typesetter
        .compile(&Job::call(top).ident("test"))
        .unwrap_err()
        .to_string();
    assert!(
        text.contains("top.typ:2: error: unknown variable: missing-thing"),
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
    let first = typesetter.compile(&job).unwrap().pdf;
    let second = typesetter.compile(&job).unwrap().pdf;
    assert_eq!(first, second);
    let text = typesetter.page_texts(&job).unwrap().all();
    assert!(
        text.contains("2025-03-04"),
        "today() is the fixed document date: {text}"
    );
}

// Templates are evaluated once per run, and a report, a group report and a guide come out
// byte for byte as when every compile evaluates its template again.
#[test]
fn preloaded_templates_typeset_the_same_bytes() {
    use toolkit::jobs::report::report_job;
    use toolkit::report::{ReportContext, group_report, response_report};
    use toolkit::typeset::{TypesetConfig, Typesetter};

    let (site, questionnaires) = shipped();
    let date = Date::from_epoch(TEST_EPOCH);
    let open = |preload_templates| {
        Typesetter::new(TypesetConfig {
            templates_dir: templates(),
            sources_dir: site.sources_dir.clone(),
            date,
            pdf_ua: true,
            pdf: Default::default(),
            preload_templates,
        })
        .unwrap()
    };
    let (preloaded, plain) = (open(true), open(false));
    let names = preloaded.preloaded_templates();
    for template in ["report.typ", "group.typ", "guide.typ", "style.typ"] {
        assert!(
            names.iter().any(|n| n == template),
            "{template} not in {names:?}"
        );
    }
    assert!(plain.preloaded_templates().is_empty());
    for template in Template::ALL {
        assert!(
            preloaded.is_preloaded(template),
            "{template:?} not preloaded"
        );
    }

    let ctx = ReportContext::standalone(&site.manifest, date);
    let mut jobs = Vec::new();
    for q in &questionnaires {
        let (responses, results) =
            toolkit::synthetic::scored(&site.manifest, &questionnaires, q, 3, &["Workshop"], 5);
        let data = response_report(&ctx, q, &responses[0], &results[0]);
        jobs.push(report_job(Template::REPORT, &data, &q.id));
        let members: Vec<_> = responses.iter().zip(&results).collect();
        let data = group_report(&ctx, q, "Workshop", &members);
        jobs.push(report_job(Template::GROUP, &data, &q.id));
    }
    let edition = &site.editions()[0];
    let paper = toolkit::content::manifest::Paper::A4;
    jobs.push(toolkit::jobs::guide::guide_job(
        &site,
        edition,
        &questionnaires,
        date,
        paper,
    ));
    for job in &jobs {
        let once = preloaded.compile(job).unwrap();
        let every_time = plain.compile(job).unwrap();
        assert!(
            once.pdf == every_time.pdf,
            "{} differs when preloaded",
            job.origin
        );
        // The shipped templates raise no warning (a font they name is one the run loads).
        assert!(once.warnings.is_empty(), "{:?}", once.warnings);
    }
}

// The archival edition declares PDF/A-2a beside PDF/UA-1 in its metadata; the print-shop
// edition gives every page 3 mm of bleed: a TrimBox at the finished size inside a
// BleedBox (and MediaBox) 3 mm larger on each side; the cover's band runs into the bleed.
#[test]
fn archival_and_print_editions_are_declared_in_the_files() {
    use toolkit::typeset::PdfEdition;

    let (site, questionnaires) = shipped();
    let date = Date::from_epoch(TEST_EPOCH);
    let open = |pdf| open_typesetter(&site, &templates(), date, pdf).unwrap();
    let edition = site
        .editions()
        .into_iter()
        .find(|e| site.documents[e.doc].id == "start-here")
        .unwrap();
    let job = toolkit::jobs::guide::guide_job(
        &site,
        &edition,
        &questionnaires,
        date,
        toolkit::content::manifest::Paper::A4,
    );
    let archival = open(PdfEdition {
        archival: true,
        bleed_mm: 0,
    })
    .compile(&job)
    .unwrap()
    .pdf;
    let text = String::from_utf8_lossy(&archival);
    assert!(text.contains("<pdfaid:part>2</pdfaid:part>"), "PDF/A part");
    assert!(text.contains("<pdfaid:conformance>A</pdfaid:conformance>"));
    assert!(
        text.contains("<pdfuaid:part>1</pdfuaid:part>"),
        "still PDF/UA-1"
    );
    assert!(!text.contains("/TrimBox"));

    let print = open(PdfEdition {
        archival: false,
        bleed_mm: 3,
    })
    .compile(&job)
    .unwrap()
    .pdf;
    let text = String::from_utf8_lossy(&print);
    let boxes = |name: &str| -> Vec<Vec<f64>> {
        text.match_indices(&format!("/{name}["))
            .map(|(at, m)| {
                let rest = &text[at + m.len()..];
                rest[..rest.find(']').unwrap()]
                    .split(' ')
                    .map(|n| n.parse().unwrap())
                    .collect()
            })
            .collect()
    };
    let (media, bleed, trim) = (boxes("MediaBox"), boxes("BleedBox"), boxes("TrimBox"));
    assert!(
        !trim.is_empty() && trim.len() == bleed.len(),
        "{trim:?} {bleed:?}"
    );
    let bleed_pt = 3.0 / 25.4 * 72.0;
    for (b, t) in bleed.iter().zip(&trim) {
        assert!(media.contains(b), "the BleedBox is the page");
        assert!((t[0] - b[0] - bleed_pt).abs() < 0.01 && (b[2] - t[2] - bleed_pt).abs() < 0.01);
        // A4 is the finished size.
        assert!((t[2] - t[0] - 595.28).abs() < 0.1 && (t[3] - t[1] - 841.89).abs() < 0.1);
    }
}

// A warning a template raises comes back beside the PDF, located in the template, and a
// run keeps it once however many jobs raise it, whether the template was evaluated once
// for the run or (when its evaluation warns too) again in every compile.
#[test]
fn template_warnings_are_returned_once_per_template() {
    let dir = tempfile::tempdir().unwrap();
    let templates = dir.path().join("templates");
    std::fs::create_dir_all(&templates).unwrap();
    // A font no run loads is a warning in every document that sets it.
    let note = "#let note(data) = {\n  set document(title: data.name)\n  text(font: \"No Such Font\", data.name)\n}\n";
    std::fs::write(templates.join("quiet.typ"), note).unwrap();
    // `**` (strong text with nothing inside) is a warning when the module is evaluated.
    std::fs::write(
        templates.join("loud.typ"),
        format!("{note}#let top = [**]\n"),
    )
    .unwrap();
    let site = load_site(&fixture_sources());
    let typesetter = open_typesetter(
        &site,
        &templates,
        Date::new(2025, 1, 1).unwrap(),
        Default::default(),
    )
    .unwrap();
    let quiet = Template::new("/templates/quiet.typ", "note");
    let loud = Template::new("/templates/loud.typ", "note");
    assert!(typesetter.is_preloaded(quiet));
    assert!(
        !typesetter.is_preloaded(loud),
        "a template that warns when evaluated"
    );
    let mut warnings = Warnings::default();
    for template in [quiet, loud] {
        for name in ["one", "two", "three"] {
            let job = Job::call(template)
                .data("/data.json", &serde_json::json!({ "name": name }))
                .ident(name);
            let compiled = typesetter.compile(&job).unwrap();
            assert!(compiled.pdf.starts_with(b"%PDF"));
            assert!(!compiled.warnings.is_empty(), "{name}: no warning");
            warnings.add(compiled.warnings);
        }
    }
    let path = |name: &str| templates.join(name).display().to_string();
    assert_eq!(
        warnings.lines(),
        [
            format!(
                "warning: {}:3: unknown font family: no such font",
                path("quiet.typ")
            ),
            format!(
                "warning: {}:5: no text within stars (hint: using multiple consecutive stars (e.g. **) has no additional effect)",
                path("loud.typ")
            ),
            format!(
                "warning: {}:3: unknown font family: no such font",
                path("loud.typ")
            ),
        ],
    );
}

// The page set-up and the title band are written once, in style.typ: every template an
// entry point lives in sets its pages with `frame` and opens with `title-band`.
#[test]
fn templates_share_one_frame_and_title_band() {
    for entry in std::fs::read_dir(templates()).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "typ") && !path.ends_with("style.typ") {
            let text = std::fs::read_to_string(&path).unwrap();
            assert!(
                !text.contains("set page("),
                "{} sets its own page",
                path.display()
            );
        }
    }
    for template in Template::ALL {
        let path = root().join(template.path.trim_start_matches('/'));
        let text = std::fs::read_to_string(&path).unwrap();
        for helper in ["show: frame.with(", "title-band("] {
            assert!(
                text.contains(helper),
                "{} does not use {helper}",
                path.display()
            );
        }
    }
}
