//! `toolkit score` end to end: the sample answers, the set with typical mistakes, every
//! input format, hostile text, path tricks, broken files, and reproducible outputs.

mod common;

use std::path::Path;

use common::*;
use toolkit::batch::{ScoringRun, run_scoring};

fn score(paths: &[&Path], sources: &Path, out: &Path) -> std::process::Output {
    let mut args = vec!["score".to_owned()];
    args.extend(paths.iter().map(|p| p.display().to_string()));
    args.extend([
        "--sources".into(),
        sources.display().to_string(),
        "--out".into(),
        out.display().to_string(),
    ]);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    toolkit(&args, &root())
}

fn read_csv(path: &Path) -> Vec<Vec<String>> {
    let text = std::fs::read_to_string(path).unwrap();
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect()
}

// The shipped sample answers all score, with a report per response and per group.
#[test]
fn sample_answers_score_cleanly() {
    let out = tempfile::tempdir().unwrap();
    let output = score(
        &[&root().join("answers")],
        &root().join("sources"),
        out.path(),
    );
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stdout)
    );
    let summary = read_csv(&out.path().join("summary.csv"));
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("warning:"), "no Typst warning: {stderr}");
    let scored = format!(
        "{n} responses: {n} scored, 0 rejected",
        n = summary.len() - 1
    );
    assert!(
        summary.len() > 1 && stdout.contains(&scored),
        "one summary row per response found: {stdout}"
    );
    for column in [
        "source_file",
        "response_id",
        "questionnaire",
        "version",
        "group",
        "role",
        "stage",
        "completion",
        "score",
        "level",
        "flags",
        "risk",
        "mitigation",
    ] {
        assert!(
            summary[0].iter().any(|h| h == column),
            "summary.csv lacks {column}"
        );
    }
    // A `dim:` column for every dimension of every shipped questionnaire.
    let (_, questionnaires) = shipped();
    for q in &questionnaires {
        for d in &q.dimensions {
            let column = format!("dim:{}", d.id);
            assert!(summary[0].contains(&column), "summary.csv lacks {column}");
        }
    }
    assert_eq!(
        read_csv(&out.path().join("errors.csv")).len(),
        1,
        "only the header"
    );
    // One report per summary row, and one per group and questionnaire version.
    let pdfs_under = |folder: &str| -> usize {
        std::fs::read_dir(out.path().join(folder))
            .unwrap()
            .map(|q| std::fs::read_dir(q.unwrap().path()).unwrap().count())
            .sum()
    };
    let column = |name: &str| summary[0].iter().position(|h| h == name).unwrap();
    let (q, v, g) = (column("questionnaire"), column("version"), column("group"));
    let groups: std::collections::BTreeSet<_> = summary[1..]
        .iter()
        .map(|row| (&row[q], &row[v], &row[g]))
        .collect();
    assert_eq!(pdfs_under("responses"), summary.len() - 1);
    assert_eq!(pdfs_under("groups"), groups.len());
}

// The shipped sample risk answers answer the newest risk assessment and describe their
// systems as the README says: every response names its system (CSV rows in English);
// Eastvale's FaceFind, a retrospective face search, raises the remote biometric
// identification and Art. 26(10) flags in every response and no emotion recognition flag;
// some response is stopped (do not proceed); nothing is rejected.
#[test]
fn sample_risk_answers_fit_their_systems() {
    let out = tempfile::tempdir().unwrap();
    let output = score(
        &[&root().join("answers")],
        &root().join("sources"),
        out.path(),
    );
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stdout)
    );
    assert_eq!(
        read_csv(&out.path().join("errors.csv")).len(),
        1,
        "errors.csv has only its header"
    );
    let (_, questionnaires) = shipped();
    let risk: Vec<_> = questionnaires
        .iter()
        .filter(|q| q.id == "risk-assessment")
        .collect();
    let newest = risk
        .iter()
        .map(|q| &q.version)
        .max_by_key(|v| {
            v.split('.')
                .map(|p| p.parse::<u64>().unwrap())
                .collect::<Vec<_>>()
        })
        .unwrap();
    // The flags of emotion recognition, named in the newest definition.
    let definition = risk.iter().find(|q| &q.version == newest).unwrap();
    let emotion = ["ai-act-annex-iii-1c", "ai-act-art-5-1-f"];
    for (flag, rule) in [
        ("ai-act-annex-iii-1a", "remote biometric identification"),
        (
            "ai-act-art-26-10",
            "authorisation of post-remote identification",
        ),
    ]
    .into_iter()
    .chain(emotion.map(|id| (id, "emotion recognition")))
    {
        assert!(
            definition.rules.iter().any(|r| r.id == flag),
            "{flag} ({rule}) is no rule of risk-assessment {newest}"
        );
    }
    let summary = read_csv(&out.path().join("summary.csv"));
    let column = |name: &str| summary[0].iter().position(|h| h == name).unwrap();
    let [
        file,
        id,
        questionnaire,
        version,
        group,
        flags,
        system,
        language,
        verdict,
    ] = [
        "source_file",
        "response_id",
        "questionnaire",
        "version",
        "group",
        "flags",
        "system",
        "language",
        "verdict",
    ]
    .map(column);
    let rows: Vec<&Vec<String>> = summary[1..]
        .iter()
        .filter(|row| row[questionnaire] == "risk-assessment")
        .collect();
    let mut eastvale = 0;
    for row in &rows {
        let name = &row[id];
        assert_eq!(
            &row[version], newest,
            "{name} answers risk-assessment {newest}"
        );
        assert!(!row[system].trim().is_empty(), "{name} names no system");
        if row[file].ends_with(".csv") {
            assert_eq!(row[language], "en", "{name}: language");
        }
        if row[group] == "Eastvale Constabulary" {
            eastvale += 1;
            let raised: Vec<&str> = row[flags].split(';').collect();
            assert_eq!(row[system], "FaceFind", "{name}: system");
            for flag in ["ai-act-annex-iii-1a", "ai-act-art-26-10"] {
                assert!(
                    raised.contains(&flag),
                    "{name} does not raise {flag}: {raised:?}"
                );
            }
            for flag in emotion {
                assert!(!raised.contains(&flag), "{name} raises {flag}: {raised:?}");
            }
        }
    }
    assert!(
        rows.iter().any(|row| row[file].ends_with(".xlsx")),
        "a filled risk workbook among the samples"
    );
    assert!(eastvale > 1, "Eastvale's risk responses: {eastvale}");
    assert!(
        rows.iter().any(|row| row[verdict] == "do-not-proceed"),
        "no sample risk response is stopped"
    );
    assert!(
        rows.iter()
            .any(|row| row[verdict] == "proceed-with-conditions"),
        "no sample risk response proceeds with conditions"
    );
}

// A warning the report template raises in every report is printed once, on standard
// error, as `warning: <file>:<line>: <message>`, and does not change the exit code.
#[test]
fn a_template_warning_is_printed_once() {
    let dir = tempfile::tempdir().unwrap();
    let templates = dir.path().join("templates");
    copy_dir(&root().join("templates"), &templates);
    let report = templates.join("report.typ");
    let text = std::fs::read_to_string(&report).unwrap();
    let entry = "#let report(d) = {\n";
    assert!(text.contains(entry));
    // A font no run loads, set on the first line of every report.
    let text = text.replacen(
        entry,
        &format!("{entry}  set text(font: \"No Such Font\")\n"),
        1,
    );
    std::fs::write(&report, &text).unwrap();
    let line = 1 + text[..text.find("No Such Font").unwrap()]
        .matches('\n')
        .count();
    let out = dir.path().join("reports");
    let (answers, sources, templates_arg, out_arg) = (
        root().join("answers").display().to_string(),
        root().join("sources").display().to_string(),
        templates.display().to_string(),
        out.display().to_string(),
    );
    let output = toolkit(
        &[
            "score",
            &answers,
            "--sources",
            &sources,
            "--templates",
            &templates_arg,
            "--out",
            &out_arg,
        ],
        &root(),
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    let warnings: Vec<&str> = stderr
        .lines()
        .filter(|l| l.starts_with("warning:"))
        .collect();
    assert_eq!(
        warnings,
        [format!(
            "warning: {}:{line}: unknown font family: no such font",
            report.display()
        )],
        "{stderr}"
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    let reports: usize = stdout
        .split(" reports")
        .next()
        .unwrap()
        .rsplit(' ')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    assert!(reports > 60, "many reports, one warning: {stdout}");
}

// The set with typical mistakes: each is named precisely, and the valid responses still score.
#[test]
fn mistakes_are_reported_precisely() {
    let out = tempfile::tempdir().unwrap();
    let fixture = root().join("tests/fixtures/answers-with-mistakes");
    let output = score(&[&fixture], &root().join("sources"), out.path());
    assert_eq!(output.status.code(), Some(1));
    let errors = read_csv(&out.path().join("errors.csv"));
    let find = |file: &str, reason: &str| {
        errors
            .iter()
            .find(|row| row[0].ends_with(file) && row[6].contains(reason))
            .unwrap_or_else(|| panic!("no {reason:?} for {file} in {errors:#?}"))
    };
    let typo = find("readiness-workshop.csv", "not an option of this question");
    assert_eq!(
        (typo[1].as_str(), typo[3].as_str(), typo[4].as_str()),
        ("row 3, column \"RD-LS-01\"", "RD-LS-01", "Yess")
    );
    assert!(
        typo[5].contains("Planned") && typo[5].contains("Not applicable"),
        "allowed values listed"
    );
    assert_eq!(
        find("readiness-workshop.csv", "duplicate response_id")[1],
        "row 4"
    );
    assert_eq!(
        find("readiness-workshop.csv", "unknown role")[4],
        "Chief of police"
    );
    assert_eq!(
        find("readiness-workshop.csv", "unknown version")[5],
        "1.0.0"
    );
    assert_eq!(
        find("risk-assessment.csv", "unknown questionnaire")[4],
        "risk-assesment"
    );
    find(
        "risk-assessment.csv",
        "not-applicable option was chosen together",
    );
    find("meeting-notes.csv", "not an answer file");
    find("truncated-workbook.xlsx", "damaged or truncated");
    let summary = read_csv(&out.path().join("summary.csv"));
    let ids: Vec<&str> = summary[1..].iter().map(|r| r[1].as_str()).collect();
    assert_eq!(ids, ["westport-01", "westport-risk-01"]);
    let group = &summary[1][4];
    assert_eq!(
        group, "Westport Police (fictional, Québec office)",
        "Windows-1252 decoded"
    );
}

// A wide sheet saved as ODS and a filled workbook re-saved by LibreOffice as ODS score
// exactly like the originals.
#[test]
fn ods_and_resaved_workbooks_score_the_same() {
    if !have("soffice", LIBREOFFICE) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let csv = root().join("answers/northbridge/readiness-workshop.csv");
    let workbook = root().join("answers/northbridge/readiness-filled-workbook.xlsx");
    let ods_sheet = libreoffice_convert(&csv, "ods", &dir.path().join("a"));
    let ods_workbook = libreoffice_convert(&workbook, "ods", &dir.path().join("b"));
    let originals = dir.path().join("out-original");
    let converted = dir.path().join("out-ods");
    score(&[&csv, &workbook], &root().join("sources"), &originals);
    let output = score(
        &[&ods_sheet, &ods_workbook],
        &root().join("sources"),
        &converted,
    );
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stdout)
    );
    let strip = |rows: Vec<Vec<String>>| -> Vec<Vec<String>> {
        rows.into_iter().map(|r| r[1..].to_vec()).collect()
    };
    let mut a = strip(read_csv(&originals.join("summary.csv")));
    let mut b = strip(read_csv(&converted.join("summary.csv")));
    a.sort();
    b.sort();
    let workshop_rows = read_csv(&csv).len() - 1;
    assert_eq!(
        a.len() - 1,
        workshop_rows + 1,
        "a header, every workshop row and the workbook"
    );
    assert_eq!(a, b, "same scores whatever the file format");
}

const HOSTILE: [&str; 8] = [
    "#read(\"/etc/passwd\")",
    "=HYPERLINK(\"http://example.com\",\"click\")",
    "$x^2$ and *bold* and _under_ and ] and [ and \\ and <label> @ref",
    "Привет, мир: Cyrillic text",
    "中文评论：人工智能",
    "تعليق باللغة العربية",
    "הערה בעברית",
    "// not a comment = - + #{1+1}",
];

// Respondents' free text prints verbatim in the report, in every script, with no
// missing glyphs; ids with path tricks stay inside --out; formula text is neutralised.
#[test]
fn hostile_text_and_path_tricks() {
    let dir = tempfile::tempdir().unwrap();
    let answers = dir.path().join("hostile.csv");
    let long = "long answer ".repeat(500);
    let mut csv = String::from(
        "questionnaire,version,response_id,respondent,group,role,stage,D-01,S-01,S-02\n",
    );
    for (i, text) in HOSTILE.iter().chain([&long.as_str()]).enumerate() {
        let id = if i == 0 {
            "../../../etc/passwd".to_owned()
        } else {
            format!("h-{i}")
        };
        let group = if i == 1 {
            "=cmd|' /C calc'!A0"
        } else {
            "Agency A"
        };
        csv.push_str(&format!(
            "risk,1.0.0,{id},Name,\"{group}\",legal,deploy,yes,partly,\"{}\"\n",
            text.replace('"', "\"\"")
        ));
    }
    std::fs::write(&answers, csv).unwrap();
    let out = dir.path().join("out");
    let output = score(&[&answers], &fixture_sources(), &out);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stdout)
    );
    // Nothing was written outside --out.
    assert!(!dir.path().join("etc").exists());
    let written: Vec<_> = walk(&out);
    assert!(written.iter().all(|p| p.starts_with(&out)));
    let summary = std::fs::read_to_string(out.join("summary.csv")).unwrap();
    assert!(
        summary.contains(",'=cmd|' /C calc'!A0,"),
        "group neutralised: {summary}"
    );
    assert!(
        summary.contains("../../../etc/passwd"),
        "the id itself is kept as data"
    );

    // The report's page text holds each answer verbatim.
    let project = open_project(&fixture_sources());
    let (site, questionnaires) = (&project.site, &project.questionnaires);
    let raw = toolkit::answers::read_answer_file(&answers).unwrap();
    for (i, raw) in raw.iter().enumerate() {
        let response =
            toolkit::answers::validate::validate_response(raw, questionnaires, &site.manifest)
                .unwrap();
        let q = &questionnaires[response.questionnaire];
        let result = response.score(q);
        let ctx = toolkit::report::ReportContext::standalone(&site.manifest, project.date);
        let data = toolkit::report::response_report(&ctx, q, &response, &result);
        let job =
            toolkit::jobs::report::report_job(toolkit::typeset::Template::REPORT, &data, "hostile");
        let pages = project.typesetter.page_texts(&job).unwrap();
        assert_eq!(pages.missing_glyphs, 0, "missing glyphs for answer {i}");
        let text: String = pages.all().split_whitespace().collect();
        let expected: String = HOSTILE
            .get(i)
            .copied()
            .unwrap_or("long answer long answer")
            .split_whitespace()
            .collect();
        if i < 4 || i == 7 || i == 8 {
            assert!(text.contains(&expected), "answer {i} not verbatim:\n{text}");
        }
        assert!(!text.contains("root:x:0"), "a file was read");
    }
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files.extend(walk(&path));
        } else {
            files.push(path);
        }
    }
    files
}

// A zip bomb, a sheet claiming billions of cells and a binary file are rejected with a
// reason; the good file beside them still scores.
#[test]
fn hostile_files_are_rejected_alone() {
    let dir = tempfile::tempdir().unwrap();
    let write_zip = |name: &str, entries: &[(&str, Vec<u8>)]| {
        let file = std::fs::File::create(dir.path().join(name)).unwrap();
        let mut zip = zip::ZipWriter::new(file);
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        for (entry, data) in entries {
            zip.start_file(*entry, options).unwrap();
            std::io::Write::write_all(&mut zip, data).unwrap();
        }
        zip.finish().unwrap();
    };
    write_zip(
        "bomb.xlsx",
        &[("xl/worksheets/sheet1.xml", vec![b'0'; 20 * 1024 * 1024])],
    );
    write_zip(
        "huge.xlsx",
        &[(
            "xl/worksheets/sheet1.xml",
            b"<worksheet><dimension ref=\"A1:XFD1048576\"/></worksheet>".to_vec(),
        )],
    );
    // A 1 KB ODS whose one row repeats nine million times (calamine would expand it).
    let repeated = "<table:table-row table:number-rows-repeated=\"9000000\"><table:table-cell office:value-type=\"string\" table:number-columns-repeated=\"10\"><text:p>risk</text:p></table:table-cell></table:table-row>";
    write_zip(
        "repeat.ods",
        &[
            ("content.xml", repeated.as_bytes().to_vec()),
            ("META-INF/manifest.xml", b"<manifest/>".to_vec()),
        ],
    );
    std::fs::write(dir.path().join("binary.csv"), [0u8, 159, 146, 150, 0, 1, 2]).unwrap();
    std::fs::write(
        dir.path().join("good.csv"),
        "questionnaire,version,response_id,D-01,S-01\nrisk,1.0.0,ok-1,yes,no\n",
    )
    .unwrap();
    let out = dir.path().join("out");
    let output = score(&[dir.path()], &fixture_sources(), &out);
    assert_eq!(output.status.code(), Some(1));
    let errors = read_csv(&out.join("errors.csv"));
    let reason = |file: &str| {
        errors
            .iter()
            .find(|r| r[0].ends_with(file))
            .map(|r| r[6].clone())
            .unwrap_or_default()
    };
    assert!(reason("bomb.xlsx").contains("zip bomb"), "{errors:?}");
    assert!(reason("huge.xlsx").contains("cells"), "{errors:?}");
    assert!(reason("binary.csv").contains("binary"), "{errors:?}");
    assert!(
        reason("repeat.ods").contains("90000000 cells"),
        "{errors:?}"
    );
    let empty = tempfile::tempdir().unwrap();
    let output = score(
        &[empty.path()],
        &fixture_sources(),
        &dir.path().join("out-empty"),
    );
    assert_eq!(
        output.status.code(),
        Some(1),
        "an empty folder is reported, not silently scored"
    );
    let empty_errors = read_csv(&dir.path().join("out-empty/errors.csv"));
    assert!(
        empty_errors[1][6].contains("no answer files"),
        "{empty_errors:?}"
    );
    let summary = read_csv(&out.join("summary.csv"));
    assert_eq!(summary.len(), 2);
    assert_eq!(summary[1][1], "ok-1");

    // A free-text answer of a million characters is refused for its response alone.
    let long = dir.path().join("long");
    std::fs::create_dir(&long).unwrap();
    let essay = "word ".repeat(200_000);
    std::fs::write(
        long.join("answers.csv"),
        format!(
            "questionnaire,version,response_id,group,D-01,S-02\nrisk,1.0.0,essay,G,yes,{essay}\nrisk,1.0.0,short,G,no,Fine.\nrisk,1.0.0,named,{},no,\n",
            "G".repeat(1000)
        ),
    )
    .unwrap();
    let output = score(&[&long], &fixture_sources(), &dir.path().join("out-long"));
    assert_eq!(output.status.code(), Some(1));
    let errors = read_csv(&dir.path().join("out-long/errors.csv"));
    assert!(errors[1][6].contains("answer is too long"), "{errors:?}");
    assert!(errors[2][6].contains("group is too long"), "{errors:?}");
    assert_eq!(
        read_csv(&dir.path().join("out-long/summary.csv")).len(),
        2,
        "the short response scores"
    );
}

// The same answers give byte-identical reports and summaries, and the same run record
// but for its timings.
#[test]
fn scoring_outputs_are_reproducible() {
    let dir = tempfile::tempdir().unwrap();
    let answers = root().join("answers/eastvale");
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    score(&[&answers], &root().join("sources"), &a);
    score(&[&answers], &root().join("sources"), &b);
    let files_a = walk(&a);
    assert!(files_a.len() > 20);
    for file in files_a {
        let relative = file.strip_prefix(&a).unwrap();
        let left = std::fs::read(&file).unwrap();
        let right = std::fs::read(b.join(relative)).unwrap();
        if relative == Path::new("run.json") {
            let without_timings = |bytes: &[u8]| {
                let mut record: serde_json::Value = serde_json::from_slice(bytes).unwrap();
                record.as_object_mut().unwrap().remove("timings");
                record
            };
            assert_eq!(without_timings(&left), without_timings(&right));
            continue;
        }
        assert!(left == right, "{} differs", relative.display());
    }
}

// The library entry point reports counts that match what it wrote.
#[test]
fn scoring_run_counts() {
    let project = open_project(&fixture_sources());
    let dir = tempfile::tempdir().unwrap();
    let answers = dir.path().join("a.csv");
    std::fs::write(&answers, "questionnaire;version;response_id;group;D-01\nrisk;1.0.0;x1;G;yes\nrisk;1.0.0;x2;G;no\nrisk;1.0.0;x2;G;no\n").unwrap();
    let out = dir.path().join("out");
    let paths = [answers];
    let report = run_scoring(&ScoringRun {
        project: &project,
        paths: &paths,
        out: &out,
        guides_link: None,
        reuse: true,
        shard: None,
        language: None,
    })
    .unwrap();
    assert_eq!(
        (
            report.files,
            report.responses,
            report.scored,
            report.rejected_responses
        ),
        (1, 3, 2, 1)
    );
    assert_eq!(report.reports, 3, "two responses and one group");
    assert!(out.join("responses/risk-1.0.0/x1.pdf").is_file());
    assert!(out.join("groups/risk-1.0.0/G.pdf").is_file());
}

// A failed consistency check is listed in summary.csv's `warnings` column and printed in
// the report; a response without the contradiction has no warning. (That warnings never
// change a score, level or flag is proven in the scoring unit tests.)
#[test]
fn consistency_warnings_are_reported_not_scored() {
    // The first consistency check of the shipped questionnaires: one response meets every
    // condition, the other meets all but the last.
    let (_, questionnaires) = shipped();
    let (q, check) = questionnaires
        .iter()
        .find_map(|q| q.checks.first().map(|c| (q, c)))
        .expect("a shipped questionnaire declares consistency checks");
    let ids: Vec<&str> = check
        .conditions
        .iter()
        .map(|c| q.questions[c.question].id.as_str())
        .collect();
    let holds: Vec<&str> = check
        .conditions
        .iter()
        .map(|c| q.questions[c.question].options[c.options[0]].value.as_str())
        .collect();
    let last = check.conditions.last().unwrap();
    let other = q.questions[last.question]
        .options
        .iter()
        .enumerate()
        .find(|(i, o)| !last.options.contains(i) && !o.not_applicable)
        .map(|(_, o)| o)
        .expect("the last condition leaves an option out");
    let mut breaks = holds.clone();
    *breaks.last_mut().unwrap() = other.value.as_str();
    let dir = tempfile::tempdir().unwrap();
    let answers = dir.path().join("risk.csv");
    std::fs::write(
        &answers,
        format!(
            "questionnaire,version,response_id,{}\n{},{},contradiction,{}\n{},{},consistent,{}\n",
            ids.join(","),
            q.id,
            q.version,
            holds.join(","),
            q.id,
            q.version,
            breaks.join(","),
        ),
    )
    .unwrap();
    let out = dir.path().join("out");
    let output = score(&[&answers], &root().join("sources"), &out);
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let summary = read_csv(&out.join("summary.csv"));
    let column = |name: &str| summary[0].iter().position(|h| h == name).unwrap();
    let (warnings, flags) = (column("warnings"), column("flags"));
    assert_eq!(summary[1][warnings], check.id);
    assert_eq!(summary[2][warnings], "");
    assert_eq!(summary[1][flags], summary[2][flags], "flags unchanged");
    let report = out.join(format!("responses/{}/contradiction.pdf", q.slug()));
    if have("pdftotext", POPPLER) {
        let text = squash(&run_tool("pdftotext", &[report.to_str().unwrap(), "-"]));
        assert!(text.contains("Answers to check again"), "{text}");
    }
}
