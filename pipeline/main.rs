//! The `toolkit` binary: see `toolkit --help`.

fn main() -> std::process::ExitCode {
    toolkit::cli::run()
}
