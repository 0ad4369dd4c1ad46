//! Bytes -> a temporary `.xlsx` file -> `toolkit::answers::zipscan::prescan` (which only
//! takes a path). Inputs starting `TKZIP1` list zip parts in plain text and are packed into
//! a valid zip first (see `toolkit_fuzz::file_bytes`).

fn main() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let path = dir.path().join("fuzz.xlsx");
    afl::fuzz!(|data: &[u8]| {
        std::fs::write(&path, toolkit_fuzz::file_bytes(data)).expect("write temporary file");
        let _ = toolkit::answers::zipscan::prescan(&path);
    });
}
