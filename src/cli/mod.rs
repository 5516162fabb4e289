//! The `storywatch` command: argument parsing, dispatch, exit codes and
//! output. Every command that prints data has a `--json` form; those shapes
//! are the stable scripting interface documented in the README.

mod args;
mod demo;
mod inputs;
mod inspect;
mod logging;
mod processing;
mod tools;

use std::io::Write;
use std::path::PathBuf;

pub use args::{Cli, Command, CommonArgs, EvalCommand, IngestArgs};
pub use logging::{init as init_logging, print_fatal};

use crate::config::{Config, ConfigError, ConfigSource};
use crate::store::{Store, StoreError};

/// A problem with what the user asked for (exit code 2), as opposed to
/// something that failed while doing it (exit code 1).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct UsageError(pub String);

/// Exit code for an error returned by [`run`]: 2 for bad usage or a bad
/// config, 1 for anything that failed at run time.
pub fn exit_code(error: &anyhow::Error) -> u8 {
    let is_usage = error.chain().any(|cause| {
        cause.is::<ConfigError>() || cause.is::<UsageError>() || cause.is::<clap::Error>()
    });
    if is_usage {
        2
    } else {
        1
    }
}

/// Runs one parsed command line.
pub fn run(cli: Cli) -> anyhow::Result<()> {
    let common = cli.common;
    match cli.command {
        Command::Run => processing::run_daemon(&common),
        Command::Poll { .. } => processing::poll_once(&common),
        Command::Check => tools::check(&common),
        Command::Preview { source } => tools::preview(&common, &source),
        Command::Extract { source, selector } => tools::extract(&common, &source, selector),
        Command::Ingest(args) => processing::ingest(&common, &args),
        Command::Compare { first, second } => tools::compare(&common, &first, &second),
        Command::Articles { limit } => inspect::articles(&common, limit),
        Command::Show { id } => inspect::show(&common, id),
        Command::Stories {
            limit,
            all,
            followed,
        } => inspect::stories(&common, limit, all, followed),
        Command::Story { id } => inspect::story(&common, id),
        Command::Follow { story } => inspect::follow(&common, story, true),
        Command::Unfollow { story } => inspect::follow(&common, story, false),
        Command::Feeds => inspect::feeds(&common),
        Command::Opml => tools::opml(&common),
        Command::Demo { wave_seconds } => demo::run(&common, wave_seconds),
        Command::Eval(eval) => run_eval(&common, eval),
    }
}

/// The clustering evals use the config's `[match]` settings, so a
/// threshold can be tried on the dev data before it goes into production.
fn run_eval(common: &CommonArgs, eval: EvalCommand) -> anyhow::Result<()> {
    let json = common.json;
    let (config, _) = load_config(common)?;
    let matching = &config.matching;
    let existing = |path: PathBuf| -> anyhow::Result<PathBuf> {
        if path.exists() {
            Ok(path)
        } else {
            Err(UsageError(format!("{}: no such file or directory", path.display())).into())
        }
    };
    match eval {
        EvalCommand::Seeds { dir, noise } => {
            let noise = noise.map(existing).transpose()?;
            crate::eval::seeds::run(&existing(dir)?, noise.as_deref(), matching, json)
        }
        EvalCommand::Semeval { file } => crate::eval::semeval::run(&existing(file)?, json),
        EvalCommand::Clough { dir } => crate::eval::clough::run(&existing(dir)?, json),
        EvalCommand::Wikiref { dir } => crate::eval::wikiref::run(&existing(dir)?, matching, json),
        EvalCommand::Extraction { dir, misses, pages } => {
            let report = crate::eval::extraction::Report { misses, pages };
            crate::eval::extraction::run(&existing(dir)?, report, json)
        }
    }
}

/// Loads the config the way every command does; errors exit with code 2.
fn load_config(common: &CommonArgs) -> anyhow::Result<(Config, ConfigSource)> {
    let (mut config, source) = crate::config::load(common.config.as_deref())?;
    if let Some(store) = &common.store {
        config.store.path = Some(store.clone());
    }
    Ok((config, source))
}

/// Opens the store named by `--store` or the config.
fn open_store(config: &Config) -> Result<Store, StoreError> {
    Store::open(&config.store.resolved_path())
}

fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    Ok(tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?)
}

/// Writes through an error instead of panicking as `println!` does when
/// the reader of stdout has gone.
fn print_json<T: serde::Serialize>(value: &T) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    writeln!(out, "{}", serde_json::to_string_pretty(value)?)?;
    Ok(())
}

/// Restores the default action of SIGPIPE, which Rust programs start with
/// ignored: a write to a closed pipe then ends the process silently, as it
/// does `ls` or `grep`, instead of making `println!` panic.
pub fn end_quietly_when_output_closes() {
    // SAFETY: called at start-up before any thread exists; it sets a
    // signal disposition and installs no handler.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}
