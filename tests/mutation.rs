//! Bounded mutation testing of the answer readers: every sample answer file and answer
//! fixture (CSV and XLSX) is mutated a few hundred times with a seeded PRNG (bit flips, byte
//! insertions and deletions, truncations, duplicated chunks), and each mutant is read with
//! `read_answer_file` and its responses validated. A reader may refuse a mutant, but must
//! not panic and must return promptly. The coverage-guided fuzz targets in `fuzz/` search
//! the same readers for much longer; this is the part that runs in every `cargo test`.

use std::io::{Cursor, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use toolkit::answers::read_answer_file;
use toolkit::answers::validate::validate_response;
use toolkit::project::Sources;

/// Mutants made from each seed file (for XLSX: this many of the whole file, and this many
/// more of its parts, packed back into a valid zip).
const MUTANTS_PER_SEED: usize = 300;
/// Longest one read (and validation) of one mutant may take.
const PER_CALL: Duration = Duration::from_secs(2);
/// Longest a whole test may take before it is taken as hung.
const WHOLE_TEST: Duration = Duration::from_secs(120);

/// The repository root.
fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A tiny deterministic PRNG (xorshift64*), so every run makes the same mutants.
struct XorShift(u64);

impl XorShift {
    fn new(seed: u64) -> Self {
        Self(seed.max(1))
    }

    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// A number in `0..n` (`n` > 0).
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// Bytes that readers treat specially: delimiters, quotes, line ends, BOM and Windows-1252
/// bytes, XML and zip markers.
const INTERESTING: &[u8] = b"\0\xff\x80\x9f\xef\xbb\xbf\",;\n\r\t<>&=/:PK\x03\x04";

/// One mutation of `bytes`, in place; returns its name for failure messages.
fn mutate_once(bytes: &mut Vec<u8>, rng: &mut XorShift) -> String {
    if bytes.is_empty() {
        bytes.push(INTERESTING[rng.below(INTERESTING.len())]);
        return "insert into empty".into();
    }
    let at = rng.below(bytes.len());
    match rng.below(7) {
        0 => {
            bytes[at] ^= 1 << rng.below(8);
            format!("flip a bit at {at}")
        }
        1 => {
            let byte = if rng.below(2) == 0 {
                INTERESTING[rng.below(INTERESTING.len())]
            } else {
                rng.next() as u8
            };
            bytes.insert(at, byte);
            format!("insert {byte:#04x} at {at}")
        }
        2 => {
            let len = 1 + rng.below(16.min(bytes.len() - at));
            bytes.drain(at..at + len);
            format!("delete {len} at {at}")
        }
        3 => {
            bytes.truncate(at);
            format!("truncate to {at}")
        }
        4 => {
            let len = 1 + rng.below(64.min(bytes.len() - at));
            let chunk = bytes[at..at + len].to_vec();
            let times = 1 + rng.below(4);
            let to = rng.below(bytes.len() + 1);
            for _ in 0..times {
                bytes.splice(to..to, chunk.iter().copied());
            }
            format!("duplicate {len} bytes from {at} {times}x at {to}")
        }
        5 => {
            bytes[at] = INTERESTING[rng.below(INTERESTING.len())];
            format!("set {at} to {:#04x}", bytes[at])
        }
        _ => {
            // Digits are sizes, counts and cell references: make one large.
            match bytes.iter().skip(at).position(u8::is_ascii_digit) {
                Some(i) => {
                    bytes.splice(at + i..at + i, *b"99999999");
                    format!("enlarge the number at {}", at + i)
                }
                None => {
                    let other = rng.below(bytes.len());
                    bytes.swap(at, other);
                    format!("swap {at}")
                }
            }
        }
    }
}

/// A mutant of `seed`: one to four mutations; returns the bytes and what was done.
fn mutant(seed: &[u8], rng: &mut XorShift) -> (Vec<u8>, String) {
    let mut bytes = seed.to_vec();
    let ops: Vec<String> = (0..1 + rng.below(4))
        .map(|_| mutate_once(&mut bytes, rng))
        .collect();
    (bytes, ops.join(", "))
}

/// The seed files with the given extension under `answers/` and `tests/fixtures/`, sorted.
fn seeds(extension: &str) -> Vec<PathBuf> {
    fn walk(dir: &Path, extension: &str, found: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, extension, found);
            } else if path
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case(extension))
            {
                found.push(path);
            }
        }
    }
    let mut found = Vec::new();
    walk(&root().join("answers"), extension, &mut found);
    walk(&root().join("tests/fixtures"), extension, &mut found);
    found.sort();
    found
}

/// The questionnaires a seed's answers are for: the fixture toolkit's for fixtures, the
/// project's own for the sample answers.
struct Definitions {
    project: Sources,
    fixture: Sources,
}

impl Definitions {
    fn load() -> Self {
        let load = |dir: PathBuf| {
            Sources::load(&dir).unwrap_or_else(|p| panic!("{} does not load:\n{p}", dir.display()))
        };
        Self {
            project: load(root().join("sources")),
            fixture: load(root().join("tests/fixtures/toolkit/sources")),
        }
    }

    fn for_seed(&self, seed: &Path) -> &Sources {
        if seed.starts_with(root().join("tests/fixtures/toolkit")) {
            &self.fixture
        } else {
            &self.project
        }
    }
}

/// Reads `bytes` as a file named `name` in `dir`, then validates what was read; returns
/// whether the reader accepted the file. Panics are caught and returned as the failure.
fn read_and_validate(
    dir: &Path,
    name: &str,
    bytes: &[u8],
    sources: &Sources,
) -> Result<bool, String> {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let read = read_answer_file(&path);
        for raw in read.iter().flatten() {
            let _ = validate_response(raw, &sources.questionnaires, &sources.site.manifest);
        }
        read.is_ok()
    }))
    .map_err(|panic| {
        panic
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_owned()))
            .unwrap_or_else(|| "a panic".into())
    })
}

/// Runs `work` on another thread, failing if it takes longer than [`WHOLE_TEST`]. `work`
/// records in the shared string what it is doing, which a hang reports.
fn within_time_limit(work: impl FnOnce(&Mutex<String>) + Send + 'static) {
    let doing = Arc::new(Mutex::new(String::from("starting")));
    let (done, finished) = mpsc::channel();
    let worker_doing = Arc::clone(&doing);
    let worker = std::thread::spawn(move || {
        work(&worker_doing);
        let _ = done.send(());
    });
    match finished.recv_timeout(WHOLE_TEST) {
        Ok(()) => worker.join().unwrap(),
        // The worker panicked (an assertion failed): report its message.
        Err(mpsc::RecvTimeoutError::Disconnected) => {
            std::panic::resume_unwind(worker.join().unwrap_err())
        }
        Err(mpsc::RecvTimeoutError::Timeout) => panic!(
            "not finished after {WHOLE_TEST:?}; hung on: {}",
            doing.lock().unwrap_or_else(|e| e.into_inner())
        ),
    }
}

/// Reads each mutant (made by `make` from a seed's bytes and a PRNG) of each seed with the
/// given extension; every read must return, without a panic, within [`PER_CALL`], and at
/// least `min_percent_read` percent of the mutants must be read rather than refused.
fn check_mutants(
    extension: &'static str,
    min_percent_read: usize,
    make: fn(&[u8], &mut XorShift) -> (Vec<u8>, String),
) {
    within_time_limit(move |doing| {
        let definitions = Definitions::load();
        let dir = tempfile::tempdir().unwrap();
        let seeds = seeds(extension);
        assert!(!seeds.is_empty(), "no .{extension} seed files");
        let (mut failures, mut accepted) = (Vec::new(), 0);
        for (s, seed) in seeds.iter().enumerate() {
            let bytes = std::fs::read(seed).unwrap();
            let sources = definitions.for_seed(seed);
            let mut rng = XorShift::new(0x5eed_0000 + s as u64);
            for i in 0..MUTANTS_PER_SEED {
                let (mutant, ops) = make(&bytes, &mut rng);
                let what = format!("{} mutant {i} ({ops})", seed.display());
                *doing.lock().unwrap() = what.clone();
                let start = Instant::now();
                let name = format!("mutant.{extension}");
                match read_and_validate(dir.path(), &name, &mutant, sources) {
                    Ok(read) => accepted += usize::from(read),
                    Err(panic) => failures.push(format!("{what}: panicked: {panic}")),
                }
                let took = start.elapsed();
                if took > PER_CALL {
                    failures.push(format!("{what}: took {took:?}"));
                }
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
        // Mutants that are all refused at the door would test nothing behind it.
        let total = seeds.len() * MUTANTS_PER_SEED;
        assert!(
            accepted * 100 >= total * min_percent_read,
            "only {accepted} of {total} .{extension} mutants were read"
        );
        eprintln!(".{extension}: {accepted} of {total} mutants read, the rest refused");
    });
}

/// A mutant of an XLSX file made inside one of its parts (most often a sheet), packed back
/// into a valid zip so that the change gets past the container's checksums to the XML.
fn part_mutant(seed: &[u8], rng: &mut XorShift) -> (Vec<u8>, String) {
    let mut archive = zip::ZipArchive::new(Cursor::new(seed)).unwrap();
    let names: Vec<String> = archive
        .file_names()
        .map(|n| n.unwrap().into_owned())
        .collect();
    let sheets: Vec<usize> = (0..names.len())
        .filter(|&i| names[i].starts_with("xl/worksheets/") || names[i].contains("sharedStrings"))
        .collect();
    let target = if !sheets.is_empty() && rng.below(4) != 0 {
        sheets[rng.below(sheets.len())]
    } else {
        rng.below(names.len())
    };
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    let mut ops = String::new();
    for (i, name) in names.iter().enumerate() {
        let mut content = Vec::new();
        archive
            .by_index(i)
            .unwrap()
            .read_to_end(&mut content)
            .unwrap();
        if i == target {
            let (mutated, done) = mutant(&content, rng);
            content = mutated;
            ops = format!("in {name}: {done}");
        }
        out.start_file(name.as_str(), options).unwrap();
        out.write_all(&content).unwrap();
    }
    (out.finish().unwrap().into_inner(), ops)
}

/// The seed XLSX files that are whole zips (a truncated-workbook fixture is not).
fn is_zip(bytes: &[u8]) -> bool {
    zip::ZipArchive::new(Cursor::new(bytes)).is_ok()
}

// CSV mutants are read (or refused) and validated without a panic, each promptly.
#[test]
fn csv_mutants_are_read_or_refused() {
    check_mutants("csv", 50, mutant);
}

// XLSX mutants of the whole file (mostly the zip container) are pre-scanned, read or
// refused without a panic, each promptly.
#[test]
fn xlsx_file_mutants_are_read_or_refused() {
    // Nearly all are refused: a change to compressed bytes fails the part's checksum.
    check_mutants("xlsx", 0, mutant);
}

// XLSX mutants made inside a part (a sheet's XML, shared strings, ...) and re-zipped reach
// calamine and the pre-scan's sheet checks without a panic, each promptly.
#[test]
fn xlsx_part_mutants_are_read_or_refused() {
    check_mutants("xlsx", 25, |seed, rng| {
        if is_zip(seed) {
            part_mutant(seed, rng)
        } else {
            mutant(seed, rng)
        }
    });
}

// The mutator itself is deterministic and changes its input, so failures reproduce.
#[test]
fn mutants_are_deterministic() {
    let seed = b"questionnaire,version,RA-01\nrisk,1.0.0,Yes\n";
    let make = |n: u64| {
        let mut rng = XorShift::new(n);
        (0..50).map(|_| mutant(seed, &mut rng)).collect::<Vec<_>>()
    };
    assert_eq!(make(7), make(7));
    assert!(make(7).iter().filter(|(m, _)| m != seed).count() > 40);
}

/// A zip holding one part, stored (no compression, so no ratio check applies).
fn zip_of(name: &str, content: &[u8]) -> Vec<u8> {
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    out.start_file(name, options).unwrap();
    out.write_all(content).unwrap();
    out.finish().unwrap().into_inner()
}

// An ODS content.xml of cell tags that never close (a megabyte: a 160 kB file inflates to
// 32 MB) is pre-scanned in time linear in its size, not quadratic.
#[test]
fn prescan_of_unclosed_ods_cells_is_linear() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("unclosed.ods");
    let content = "<table:table-row>".to_owned() + &"<table:table-cell".repeat(60_000);
    std::fs::write(&path, zip_of("content.xml", content.as_bytes())).unwrap();
    let start = Instant::now();
    let _ = toolkit::answers::zipscan::prescan(&path);
    assert!(
        start.elapsed() < Duration::from_millis(500),
        "took {:?}",
        start.elapsed()
    );
}

/// The pre-scan's verdict on an XLSX whose one sheet is `sheet`.
fn prescan_sheet(sheet: &str) -> Result<(), String> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sheet.xlsx");
    std::fs::write(&path, zip_of("xl/worksheets/sheet1.xml", sheet.as_bytes())).unwrap();
    toolkit::answers::zipscan::prescan(&path)
}

// Cell references too large for a u64 count as huge (no overflow panic in a debug build,
// no wrap-around to a small size that passes the caps in a release build).
#[test]
fn prescan_refuses_overflowing_cell_references() {
    for sheet in [
        "<dimension ref=\"A0:A18446744073709551615\"/>",
        "<dimension ref=\"A1:ZZZZZZZZZZZZZZZZZZZZ2\"/>",
        "<c r=\"A0\"/><c r=\"B18446744073709551615\"/>",
        "<c r=\"A1\"/><c r=\"ZZZZZZZZZZZZZZZZZZZZ2\"/>",
    ] {
        let verdict = prescan_sheet(sheet);
        assert!(
            verdict.as_ref().is_err_and(|e| e.contains("cells")),
            "{sheet}: {verdict:?}"
        );
    }
}

/// A zip of the parts listed in the fuzzer's text format (`TKZIP1`, then `@@ <name>` lines
/// each followed by the part's content), stored uncompressed.
fn pack_listed_parts(listing: &str) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for part in listing.split("\n@@ ").skip(1) {
        let (name, content) = part.split_once('\n').unwrap_or((part, ""));
        zip.start_file(name, options).unwrap();
        zip.write_all(content.as_bytes()).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

// The malformed ODS the fuzzer found (end tags corrupted after a repeated row) sends the
// spreadsheet library into an endless loop: the reader's watchdog refuses it in time
// instead of hanging the run.
#[test]
fn endless_ods_read_is_refused_in_time() {
    let listing =
        std::fs::read_to_string(root().join("fuzz/findings/ods-hang-malformed-end-tags.txt"))
            .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("hang.ods");
    std::fs::write(&path, pack_listed_parts(&listing)).unwrap();
    let started = Instant::now();
    let read = toolkit::answers::read_spreadsheet_within(
        &path,
        "hang.ods",
        "hang",
        Duration::from_secs(2),
        &mut |_| {},
    );
    assert!(started.elapsed().as_secs() < 10, "the read was not cut off");
    let rejection = read.expect_err("a damaged workbook is refused");
    assert!(
        rejection.reason.contains("could not be read within 2 s"),
        "{rejection:?}"
    );
}
