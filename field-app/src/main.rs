//! Entry point: parse the command line, run it, map errors to exit codes.

use std::io::Write as _;
use std::process::ExitCode;

use clap::Parser as _;
use field_app::cli::{Cli, run};

/// Unlock (the search index), a sync's apply and the demo's embedded node allocate many small
/// objects; mimalloc does that with fewer instructions than the system allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    // Before anything is decrypted: a crash must not write client data into a core file.
    if let Err(error) = vault::forbid_core_dumps() {
        let _ = writeln!(
            std::io::stderr(),
            "warning: core dumps could not be turned off: {error}"
        );
    }
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            let _ = writeln!(std::io::stderr(), "error: {error}");
            ExitCode::from(error.exit_code())
        }
    }
}
