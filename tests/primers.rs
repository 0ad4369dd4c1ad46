//! Primers are assembled from the tagged blocks of the whole toolkit: a block added to a
//! guide flows into exactly the primers its tags name.

mod common;

use common::*;

/// Every primer's generated markup (introduction, takeaways, use cases) and guide links,
/// by `<role>-<stage>`.
fn primer_texts(sources: &std::path::Path) -> Vec<(String, String)> {
    let site = load_site(sources);
    site.primer_targets()
        .iter()
        .map(|(role, stage)| {
            let data = site
                .render_primer(&site.primer_plan(role, stage).unwrap())
                .data;
            let mut text = data.intro;
            for block in data.takeaways.iter().chain(&data.use_cases) {
                text.push_str(&format!(
                    "[{} -> {}]\n{}",
                    block.guide, block.link, block.markup
                ));
            }
            (format!("{role}-{stage}"), text)
        })
        .collect()
}

// A takeaway tagged for legal advisors at the procure stage appears in that primer only.
#[test]
fn tagged_block_reaches_the_right_primers_only() {
    let (_dir, sources) = fixture_copy();
    let beta = sources.join("docs/beta.md");
    let text = std::fs::read_to_string(&beta).unwrap()
        + "\n:::takeaway roles=legal stages=procure\nNEWBLOCK for legal procurement.\n:::\n\n:::usecase stages=deploy title=\"Everyone deploying\"\nDEPLOYCASE for every role.\n:::\n";
    std::fs::write(&beta, text).unwrap();
    let primers = primer_texts(&sources);
    assert_eq!(primers.len(), 4);
    for (name, markup) in &primers {
        assert_eq!(
            markup.contains("NEWBLOCK"),
            name == "legal-procure",
            "{name}"
        );
        assert_eq!(
            markup.contains("DEPLOYCASE"),
            name.ends_with("-deploy"),
            "{name}"
        );
    }
}

// A primer keeps its audience introduction's block for its stage and drops the others;
// it links to the guides it draws from.
#[test]
fn introduction_is_filtered_by_stage() {
    let primers = primer_texts(&fixture_sources());
    let get = |name: &str| &primers.iter().find(|(n, _)| n == name).unwrap().1;
    assert!(get("manager-procure").contains("PROCURE\\-INTRO"));
    assert!(!get("manager-procure").contains("DEPLOY\\-INTRO"));
    assert!(get("manager-deploy").contains("DEPLOY\\-INTRO"));
    assert!(
        get("manager-procure").contains("MANAGER\\-PROCURE takeaway"),
        "alpha's takeaway for managers at procure"
    );
    assert!(!get("legal-procure").contains("MANAGER\\-PROCURE"));
    assert!(
        get("manager-procure").contains("[Alpha guide -> ../guides/alpha.pdf]"),
        "a gathered block names the guide it comes from"
    );
    assert!(
        get("legal-deploy").contains("#link(\"../guides/alpha.pdf#first\")"),
        "links leave the primer for the guide"
    );
}

// The template lays a primer out from its data: the stage strip, the introduction, the
// gathered blocks under their guide, and every guide under "where to go next".
#[test]
fn template_lays_out_the_primer_data() {
    let site = load_site(&fixture_sources());
    let primer = site.render_primer(&site.primer_plan("manager", "procure").unwrap());
    let job = toolkit::jobs::primer::primer_job(
        &site,
        &primer,
        toolkit::date::Date::from_epoch(TEST_EPOCH),
        site.manifest.paper,
    );
    let text = squash(&typesetter(&site).page_texts(&job).unwrap().all());
    for expected in [
        "This primer: Managers at the Procure stage.",
        "Introduction Managers say yes to new tools.",
        "PROCURE-INTRO.",
        "Key takeaways From Alpha guide Key takeaway MANAGER-PROCURE takeaway.",
        "Where to go next Alpha guide · Beta guide",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in:\n{text}");
    }
    assert!(
        !text.contains("DEPLOY-INTRO"),
        "another stage's introduction"
    );
}

// Every primer typesets; the built ones are real PDFs in output/primers.
#[test]
fn primers_are_built() {
    let out = tempfile::tempdir().unwrap();
    let sources = fixture_sources();
    let output = toolkit(
        &[
            "build",
            "--sources",
            sources.to_str().unwrap(),
            "--answers",
            "tests/fixtures/toolkit/answers",
            "--out",
            out.path().to_str().unwrap(),
        ],
        &root(),
    );
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    for name in [
        "manager-procure",
        "manager-deploy",
        "legal-procure",
        "legal-deploy",
    ] {
        let bytes = std::fs::read(out.path().join(format!("primers/{name}.pdf"))).unwrap();
        assert!(bytes.starts_with(b"%PDF"));
    }
}
