//! The `tanfeng` command line; all logic lives in the library (`tanfeng::cli`).
//!
//! Exit codes: 0 success; 1 bad input or a failed run (the message says which file, line and
//! key); 2 a command-line usage error (from clap).

use clap::Parser;

fn main() {
    let cli = tanfeng::cli::Cli::parse();
    if let Err(e) = tanfeng::cli::run(cli) {
        eprintln!("error: {e}");
        for cause in e.chain().skip(1) {
            eprintln!("  caused by: {cause}");
        }
        std::process::exit(1);
    }
}
