//! Bytes -> a temporary file -> `toolkit::answers::read_answer_file`, which runs the zip
//! pre-scan and then calamine. Each input is read both as `.xlsx` and as `.ods`, since the
//! extension picks calamine's parser. Inputs starting `TKZIP1` list zip parts in plain text
//! and are packed into a valid zip first (see `toolkit_fuzz::file_bytes`).

fn main() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let paths = [dir.path().join("fuzz.xlsx"), dir.path().join("fuzz.ods")];
    afl::fuzz!(|data: &[u8]| {
        let bytes = toolkit_fuzz::file_bytes(data);
        for path in &paths {
            std::fs::write(path, &bytes).expect("write temporary file");
            let _ = toolkit::answers::read_answer_file(path);
        }
    });
}
