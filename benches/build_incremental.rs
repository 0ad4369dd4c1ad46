//! Benchmark: incremental `toolkit build` of the shipped toolkit, side by side in one run:
//!
//! 1. a cold build with only the source language;
//! 2. a cold build with every language `Project::editions()` returns;
//! 3. a rebuild with nothing changed;
//! 4. a rebuild after one paragraph of one document was changed: in one translated
//!    language's catalogue when the toolkit declares translations (gettext PO files under
//!    `sources/translations/<language>/`), else in English;
//!
//! then checks that the rebuild is byte for byte a cold build of the changed sources, and
//! prints the targets: the rebuild at most 10 % of the cold all-language build, the cold
//! all-language build at most 4 times the source-language one.
//!
//! When the sources declare no other language, the other editions are stand-ins (fr, es,
//! ar, the last right to left): the English sources read through a translator that gives
//! them back unchanged, published under `fr/`, `es/` and `ar/` as a translated edition
//! would be, so the work of four editions is measured; the paragraph is then changed in
//! the first stand-in's translation. `BENCH_LANGUAGES=fr,ar` keeps only the named other
//! languages (`BENCH_LANGUAGES=` keeps none), `BENCH_DOCUMENT=<id>` picks the document to
//! change (default: the longest), `BENCH_RUNS` sets the number of rebuilds (default 3;
//! the median is printed). Every case opens the project as `toolkit build` does, so the
//! times include loading the sources, fonts and templates.
//!
//! Run with `cargo bench --bench build_incremental`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use toolkit::build::{BuildOptions, BuildReport, run_build};
use toolkit::build_record::Generator;
use toolkit::content::Site;
use toolkit::language::{Direction, Language, Translator};
use toolkit::output::sha256_hex;
use toolkit::project::{Project, ProjectOptions, Sources};
use toolkit::questionnaire::load_questionnaires;
use toolkit::register::load_working_templates;

/// The stand-in languages when the sources declare none but their own.
const STAND_INS: [(&str, Direction); 3] = [
    ("fr", Direction::Ltr),
    ("es", Direction::Ltr),
    ("ar", Direction::Rtl),
];

/// A stand-in translation: the English text, but for one replacement in one file.
struct StandIn {
    edit: Option<(String, String, String)>,
}

impl Translator for StandIn {
    fn translate(&self, rel: &str, english: &str) -> String {
        match &self.edit {
            Some((file, from, to)) if file == rel => english.replacen(from, to, 1),
            _ => english.to_owned(),
        }
    }
}

/// Where the paragraph is changed.
enum Change {
    /// In the English source document.
    English,
    /// In a stand-in language's translation (the language).
    StandIn(String),
    /// In a translated language's catalogue (the language, the catalogue's path).
    Catalogue(String, PathBuf),
}

/// The bench's setup: the sources copy, which languages, which change.
struct Bench {
    options: ProjectOptions,
    /// Other languages to keep (`None`: every one declared).
    keep: Option<Vec<String>>,
    /// Whether the other editions are stand-ins.
    stand_ins: bool,
    /// The first other language kept, if any: where the paragraph is changed.
    first_other: Option<String>,
}

impl Bench {
    /// Opens the project with its editions: the source language only, or every language
    /// kept; `edit` is the stand-in translation's replacement, when there is one.
    fn open(&self, all: bool, edit: Option<(String, String, String)>) -> Project {
        let mut project = Project::open(&self.options).expect("the sources open");
        if !all {
            project.translated.clear();
            return project;
        }
        if let Some(keep) = &self.keep {
            project
                .translated
                .retain(|s| keep.contains(&s.site.language.id));
        }
        if self.stand_ins {
            let sources = &self.options.sources;
            for (id, direction) in STAND_INS {
                if self
                    .keep
                    .as_ref()
                    .is_some_and(|k| !k.iter().any(|l| l == id))
                {
                    continue;
                }
                let first = project.translated.is_empty();
                let translator = StandIn {
                    edit: edit.clone().filter(|_| first),
                };
                let language = Language::translated(id, direction, Arc::new(translator));
                let site = Site::load_language(sources, language).expect("stand-in loads");
                let questionnaires = load_questionnaires(sources, &site).expect("loads");
                let working_templates = load_working_templates(sources, &site).expect("loads");
                project.translated.push(Sources {
                    site,
                    questionnaires,
                    working_templates,
                });
            }
        }
        project
    }
}

/// One measured build.
struct Case {
    name: String,
    seconds: f64,
    report: BuildReport,
}

/// Opens the project and builds it into `out`, timed as `toolkit build` runs.
fn timed(
    bench: &Bench,
    all: bool,
    edit: Option<(String, String, String)>,
    out: &Path,
    reuse: bool,
) -> (f64, BuildReport) {
    let start = Instant::now();
    let project = bench.open(all, edit);
    let options = BuildOptions {
        out: out.to_path_buf(),
        answers: None,
        reuse,
    };
    let report = run_build(&project, &options).expect("the sources build");
    (start.elapsed().as_secs_f64(), report)
}

fn main() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let work = tempfile::tempdir().expect("temporary folder");
    let sources = work.path().join("sources");
    copy_dir(&root.join("sources"), &sources);
    let keep = std::env::var("BENCH_LANGUAGES").ok().map(|list| {
        list.split(',')
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_owned)
            .collect::<Vec<_>>()
    });
    let runs: usize = std::env::var("BENCH_RUNS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(3)
        .max(1);
    let mut bench = Bench {
        options: ProjectOptions {
            sources: sources.clone(),
            ..ProjectOptions::at(&root)
        },
        keep,
        stand_ins: false,
        first_other: None,
    };
    let probe = bench.open(true, None);
    bench.stand_ins = probe.translated.is_empty();
    let (document, paragraph) = pick_paragraph(&probe);
    let (threads, source_id) = (probe.threads, probe.site.language.id.clone());
    drop(probe);
    bench.first_other = bench
        .open(true, None)
        .translated
        .first()
        .map(|s| s.site.language.id.clone());
    // The toolkit's identity (a SHA-256 of its program file) is read once per process;
    // `toolkit build` reads it once per run, so it is timed apart.
    let start = Instant::now();
    Generator::current().expect("the bench can read its program file");
    let identity = start.elapsed().as_secs_f64();

    let mut cases = Vec::new();
    let (out_en, out_all) = (work.path().join("en"), work.path().join("all"));
    let (seconds, report) = timed(&bench, false, None, &out_en, false);
    cases.push(Case {
        name: "cold build, source language only".into(),
        seconds,
        report,
    });
    let (seconds, report) = timed(&bench, true, None, &out_all, false);
    let languages = languages_of(&source_id, &out_all, &report);
    cases.push(Case {
        name: format!("cold build, every language ({languages})"),
        seconds,
        report,
    });
    let (seconds, report) = timed(&bench, true, None, &out_all, true);
    cases.push(Case {
        name: "rebuild, nothing changed".into(),
        seconds,
        report,
    });
    let mut rebuilds = Vec::new();
    let mut last_edit = None;
    let mut described = String::new();
    for run in 0..runs {
        let (change, edit) = change_paragraph(&bench, &sources, &document, &paragraph, run);
        described = describe(&change, &document);
        let (seconds, report) = timed(&bench, true, edit.clone(), &out_all, true);
        rebuilds.push((seconds, report));
        last_edit = edit;
    }
    rebuilds.sort_by(|a, b| a.0.total_cmp(&b.0));
    let (seconds, report) = rebuilds.swap_remove(rebuilds.len() / 2);
    cases.push(Case {
        name: format!("rebuild, {described} (median of {runs})"),
        seconds,
        report,
    });
    let check = work.path().join("check");
    timed(&bench, true, last_edit, &check, false);
    let identical = same_files(&out_all, &check);
    print_table(&cases, threads, identity);
    println!(
        "every file of the rebuild is byte for byte a cold build's of the changed sources: {}",
        match identical {
            Ok(count) => format!("yes ({count} files)"),
            Err(path) => format!("NO, {path} differs"),
        }
    );
}

/// Prints the cases side by side with the targets.
fn print_table(cases: &[Case], threads: usize, identity: f64) {
    let cold_all = cases[1].seconds;
    println!(
        "toolkit build of the shipped sources, {threads} compile threads (times include opening the project)"
    );
    println!(
        "{:<72} {:>6} {:>8} {:>7} {:>8} {:>12}",
        "case", "files", "typeset", "reused", "seconds", "of cold all"
    );
    for case in cases {
        println!(
            "{:<72} {:>6} {:>8} {:>7} {:>8.2} {:>11.1} %",
            case.name,
            case.report.written.len(),
            case.report.typeset,
            case.report.reused.len(),
            case.seconds,
            100.0 * case.seconds / cold_all
        );
    }
    let rebuild = cases[3].seconds / cold_all;
    let ratio = cold_all / cases[0].seconds;
    println!(
        "rebuild after one paragraph: {:.1} % of the cold all-language build (target at most 10 %: {})",
        100.0 * rebuild,
        if rebuild <= 0.10 { "met" } else { "NOT met" }
    );
    println!(
        "cold all-language build: {ratio:.2} times the source-language one (target at most 4: {})",
        if ratio <= 4.0 { "met" } else { "NOT met" }
    );
    println!(
        "reading the toolkit's identity (SHA-256 of its program file, once per `toolkit build`): {identity:.3} s, not in the rows above but the first"
    );
}

/// The languages a build wrote: the source language's, then those of the folders of the
/// other editions.
fn languages_of(source: &str, out: &Path, report: &BuildReport) -> String {
    let mut languages = vec![source.to_owned()];
    for entry in std::fs::read_dir(out).expect("output folder").flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let prefix = format!("{name}/guides/");
        if report.written.iter().any(|p| p.starts_with(&prefix)) {
            languages.push(name);
        }
    }
    languages[1..].sort();
    languages.join(", ")
}

/// The document to change (`BENCH_DOCUMENT`, else the longest) and the first line of its
/// first plain paragraph (a line that starts with a capital letter, after a blank line).
fn pick_paragraph(project: &Project) -> (String, String) {
    let site = &project.site;
    let wanted = std::env::var("BENCH_DOCUMENT").ok();
    let doc = site
        .documents
        .iter()
        .filter(|d| wanted.as_ref().is_none_or(|w| *w == d.id))
        .max_by_key(|d| d.text.len())
        .expect("the document to change exists");
    let text = std::fs::read_to_string(site.sources_dir.join(&doc.rel_path)).expect("reads");
    let lines: Vec<&str> = text.lines().collect();
    let line = lines
        .windows(2)
        .filter(|pair| pair[0].trim().is_empty())
        .map(|pair| pair[1])
        .find(|line| line.starts_with(|c: char| c.is_ascii_uppercase()) && line.len() > 40)
        .expect("the document has a paragraph");
    (doc.rel_path.clone(), line.to_owned())
}

/// Changes the paragraph for rebuild `run`: in the first other language's catalogue when
/// it has one for the document, in the first stand-in's translation with stand-ins, in
/// the English source otherwise. Returns the change and the stand-in's replacement.
fn change_paragraph(
    bench: &Bench,
    sources: &Path,
    document: &str,
    paragraph: &str,
    run: usize,
) -> (Change, Option<(String, String, String)>) {
    let changed = format!("{paragraph} Changed {}.", run + 1);
    match (&bench.first_other, bench.stand_ins) {
        (Some(id), true) => {
            let edit = (document.to_owned(), paragraph.to_owned(), changed);
            return (Change::StandIn(id.clone()), Some(edit));
        }
        (Some(id), false) => {
            if let Some(catalogue) = change_catalogue(sources, id, document, run) {
                return (Change::Catalogue(id.clone(), catalogue), None);
            }
        }
        (None, _) => {}
    }
    let path = sources.join(document);
    let text = std::fs::read_to_string(&path).expect("reads");
    let previous = match run {
        0 => paragraph.to_owned(),
        n => format!("{paragraph} Changed {n}."),
    };
    std::fs::write(&path, text.replacen(&previous, &changed, 1)).expect("writes");
    (Change::English, None)
}

/// Translates (again) the first paragraph of `document`'s catalogue in language `id`
/// (`translations/<id>/<document>.po`, gettext): its `msgstr` set to the English text with
/// a mark of the run. Returns the catalogue's path; `None` when there is no such entry.
fn change_catalogue(sources: &Path, id: &str, document: &str, run: usize) -> Option<PathBuf> {
    let stem = document.strip_suffix(".md")?;
    let catalogue = sources.join(format!("translations/{id}/{stem}.po"));
    let text = std::fs::read_to_string(&catalogue).ok()?;
    let lines: Vec<&str> = text.lines().collect();
    let start = lines.iter().position(|l| *l == "#. paragraph")?;
    let msgstr = start
        + lines[start..]
            .iter()
            .position(|l| l.starts_with("msgstr"))?;
    let english: String = lines[start..msgstr]
        .iter()
        .filter_map(|l| {
            let quoted = l.strip_prefix("msgid ").unwrap_or(l);
            quoted
                .strip_prefix('"')?
                .strip_suffix('"')
                .map(str::to_owned)
        })
        .collect();
    // The old translation, over one line or several, gives way to one line.
    let mut end = msgstr + 1;
    while lines.get(end).is_some_and(|l| l.starts_with('"')) {
        end += 1;
    }
    let translated = format!("msgstr \"{english} ({id} {})\"", run + 1);
    let mut out: Vec<&str> = lines[..msgstr].to_vec();
    out.push(&translated);
    out.extend_from_slice(&lines[end..]);
    std::fs::write(&catalogue, out.join("\n") + "\n").ok()?;
    Some(catalogue)
}

/// What was changed, for the table.
fn describe(change: &Change, document: &str) -> String {
    match change {
        Change::English => format!("one paragraph of {document} changed (English)"),
        Change::StandIn(id) => {
            format!("one paragraph of {document} changed ({id} stand-in only)")
        }
        Change::Catalogue(id, path) => format!(
            "one paragraph of {document} changed ({id}, {})",
            path.file_name().unwrap_or_default().to_string_lossy()
        ),
    }
}

/// `Ok(number of files)` when both folders hold the same files with the same bytes,
/// `Err(path)` naming the first that differs.
fn same_files(left: &Path, right: &Path) -> Result<usize, String> {
    let (a, b) = (checksums(left), checksums(right));
    for path in a.keys().chain(b.keys()) {
        if a.get(path) != b.get(path) {
            return Err(path.clone());
        }
    }
    Ok(a.len())
}

/// SHA-256 of every file of a folder, by relative path.
fn checksums(dir: &Path) -> BTreeMap<String, String> {
    let mut files = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(folder) = stack.pop() {
        for entry in std::fs::read_dir(&folder).expect("reads").flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let name = path.strip_prefix(dir).expect("inside");
                let bytes = std::fs::read(&path).expect("reads");
                files.insert(name.to_string_lossy().into_owned(), sha256_hex(&bytes));
            }
        }
    }
    files
}

/// Copies a folder tree.
fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("creates");
    for entry in std::fs::read_dir(from).expect("reads").flatten() {
        let target = to.join(entry.file_name());
        if entry.file_type().expect("type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).expect("copies");
        }
    }
}
