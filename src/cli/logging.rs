//! Where log lines go and how they look. Logs go to stderr, so that
//! `--json` output on stdout stays clean:
//! - on a terminal, coloured and timestamped;
//! - into a pipe or a file, the same without colour codes;
//! - on systemd's journal, each line opens with its syslog priority
//!   (`<4>` for a warning, as sd-daemon(3) describes) and carries no
//!   timestamp: the journal stamps every line itself, and files it under
//!   that priority, so `journalctl -p warning` shows the warnings alone.

use std::fmt;
use std::io::IsTerminal;
use std::os::fd::AsFd;
use std::os::unix::fs::MetadataExt;

use tracing::{Event, Level, Subscriber};
use tracing_subscriber::fmt::format::Writer;
use tracing_subscriber::fmt::{FmtContext, FormatEvent, FormatFields};
use tracing_subscriber::registry::LookupSpan;
use tracing_subscriber::EnvFilter;

pub fn init(verbosity: u8) {
    let default = match verbosity {
        0 => "storywatch=warn",
        1 => "storywatch=info",
        _ => "storywatch=debug",
    };
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(default));
    let journal = stderr_is_the_journal();
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(!journal && std::io::stderr().is_terminal());
    // A second initialisation (tests calling in twice) keeps the first.
    let _ = if journal {
        builder.event_format(JournalLine).try_init()
    } else {
        builder.try_init()
    };
}

/// Prints the error that ends the program, as an error on the journal.
pub fn print_fatal(error: &anyhow::Error) {
    let message = format!("storywatch: {error:#}");
    if stderr_is_the_journal() {
        eprint!("{}", with_priority_on_every_line(3, &message));
    } else {
        eprintln!("{message}");
    }
}

/// Whether stderr is the stream systemd connected to its journal. systemd
/// names that stream's device and inode in `JOURNAL_STREAM`; a program
/// started from the service with its stderr sent elsewhere inherits the
/// variable but not the stream, so both must agree.
fn stderr_is_the_journal() -> bool {
    let Some(named) = std::env::var("JOURNAL_STREAM")
        .ok()
        .and_then(|value| parse_device_and_inode(&value))
    else {
        return false;
    };
    let stderr = std::io::stderr();
    let Ok(descriptor) = stderr.as_fd().try_clone_to_owned() else {
        return false;
    };
    std::fs::File::from(descriptor)
        .metadata()
        .is_ok_and(|meta| (meta.dev(), meta.ino()) == named)
}

/// `JOURNAL_STREAM` is "DEVICE:INODE", both decimal.
fn parse_device_and_inode(value: &str) -> Option<(u64, u64)> {
    let (device, inode) = value.split_once(':')?;
    Some((device.parse().ok()?, inode.parse().ok()?))
}

/// One journal line: priority, the module that logged, and the message
/// with its fields.
struct JournalLine;

impl<S, N> FormatEvent<S, N> for JournalLine
where
    S: Subscriber + for<'a> LookupSpan<'a>,
    N: for<'a> FormatFields<'a> + 'static,
{
    fn format_event(
        &self,
        ctx: &FmtContext<'_, S, N>,
        mut writer: Writer<'_>,
        event: &Event<'_>,
    ) -> fmt::Result {
        let metadata = event.metadata();
        let mut message = format!("{}: ", metadata.target());
        ctx.format_fields(Writer::new(&mut message), event)?;
        let priority = syslog_priority(*metadata.level());
        write!(
            writer,
            "{}",
            with_priority_on_every_line(priority, &message)
        )
    }
}

/// The journal reads each line on its own: a multi-line message (a TOML
/// error quoting the config, say) keeps its priority only if every line
/// carries it.
fn with_priority_on_every_line(priority: u8, message: &str) -> String {
    message
        .lines()
        .map(|line| format!("<{priority}>{line}\n"))
        .collect()
}

/// The syslog priorities journald reads from a line's `<N>` prefix.
fn syslog_priority(level: Level) -> u8 {
    match level {
        Level::ERROR => 3,
        Level::WARN => 4,
        Level::INFO => 6,
        Level::DEBUG | Level::TRACE => 7,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn journal_stream_is_device_and_inode() {
        assert_eq!(parse_device_and_inode("8:1234567"), Some((8, 1234567)));
        assert_eq!(parse_device_and_inode("8"), None);
        assert_eq!(parse_device_and_inode("8:x"), None);
    }

    #[test]
    fn every_line_of_a_message_carries_the_priority() {
        assert_eq!(
            with_priority_on_every_line(3, "bad config\n  |\n3 | interval = x"),
            "<3>bad config\n<3>  |\n<3>3 | interval = x\n"
        );
        assert_eq!(with_priority_on_every_line(6, "one line"), "<6>one line\n");
    }
}
