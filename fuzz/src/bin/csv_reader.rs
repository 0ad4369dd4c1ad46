//! Bytes -> the CSV reader (`toolkit::answers::csv_file::read_csv`), as `read_answer_file`
//! calls it for a `.csv` file.

fn main() {
    afl::fuzz!(|data: &[u8]| {
        let _ = toolkit::answers::csv_file::read_csv(data, "fuzz.csv", "fuzz");
    });
}
