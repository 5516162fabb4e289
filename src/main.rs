use std::process::ExitCode;

use clap::Parser;

/// Page extraction builds and drops a DOM of thousands of small nodes per
/// article; mimalloc serves those faster than the system allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = storywatch::cli::Cli::parse();
    if cli.command.only_reports() {
        storywatch::cli::end_quietly_when_output_closes();
    }
    storywatch::cli::init_logging(cli.common.verbose);
    match storywatch::cli::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            storywatch::cli::print_fatal(&error);
            ExitCode::from(storywatch::cli::exit_code(&error))
        }
    }
}
