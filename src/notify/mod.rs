//! Alerts: telling the editor that a story was copied, rewritten or picked
//! up elsewhere.
//!
//! A [`Notifier`] sends each [`Alert`] at or below `[notify] min_relation`
//! (copy < rewrite < same_story) to every enabled sink at once:
//!
//! * **desktop** — a notification on the session bus, summary
//!   "Rewrite spotted — Source: Title", the story's earlier articles in the
//!   body, and an Open action that opens the new article with `[notify] open_with` (default `xdg-open`).
//!   With no session bus or no notification server, one warning is logged
//!   and the sink is skipped from then on.
//! * **command** — `[notify] command`, run without a shell, gets the alert as
//!   one JSON object (the [`Alert`] serialized) and a newline on stdin.
//! * **terminal** — one line per alert on stdout, for `run` in the
//!   foreground and `demo` ([`Notifier::with_terminal`]).
//!
//! One failing sink never stops the others; [`Notifier::send`] returns what
//! went wrong for the caller to log.

mod alert;
mod command;
mod desktop;

use std::io::Write;
use std::time::Duration;

pub use alert::{Alert, AlertArticle, AlertRelation};

use crate::config::{AlertLevel, NotifyConfig};
use command::CommandSink;
use desktop::DesktopSink;

/// Why one sink could not deliver one alert.
#[derive(Debug, thiserror::Error)]
pub enum NotifyError {
    #[error("desktop notification failed: {0}")]
    Desktop(#[source] notify_rust::error::Error),
    #[error("the notification server did not answer within {0:?}")]
    DesktopTimeout(Duration),
    #[error("the [notify] command is empty")]
    EmptyCommand,
    #[error("alert command {program:?} could not be run: {source}")]
    CommandSpawn {
        program: String,
        #[source]
        source: std::io::Error,
    },
    #[error("alert command {program:?}: writing the alert to its stdin failed: {source}")]
    CommandStdin {
        program: String,
        #[source]
        source: std::io::Error,
    },
    #[error("alert command {program:?} {status}{}", stderr_suffix(.stderr))]
    CommandFailed {
        program: String,
        status: std::process::ExitStatus,
        /// The start of what the program wrote to stderr.
        stderr: String,
    },
    #[error("alert command {program:?} was killed after running for {timeout:?}")]
    CommandTimeout { program: String, timeout: Duration },
    #[error("alert could not be written as JSON: {0}")]
    Json(#[source] serde_json::Error),
    #[error("alert could not be written to the terminal: {0}")]
    Terminal(#[source] std::io::Error),
}

fn stderr_suffix(stderr: &str) -> String {
    if stderr.is_empty() {
        String::new()
    } else {
        format!(": {stderr}")
    }
}

/// Sends alerts to the sinks `[notify]` enables.
pub struct Notifier {
    min_relation: AlertLevel,
    desktop: Option<DesktopSink>,
    command: Option<CommandSink>,
    terminal: bool,
}

impl Notifier {
    /// Sinks as configured; the terminal sink starts off.
    pub fn new(config: &NotifyConfig) -> Notifier {
        Notifier {
            min_relation: config.min_relation,
            desktop: config
                .desktop
                .then(|| DesktopSink::new(config.open_with.clone())),
            command: config
                .command
                .as_ref()
                .map(|spec| CommandSink::new(spec.argv(), config.command_timeout)),
            terminal: false,
        }
    }

    /// Also print one line per alert on stdout.
    pub fn with_terminal(mut self, on: bool) -> Notifier {
        self.terminal = on;
        self
    }

    /// Sends one alert to every sink, if its relation passes `min_relation`.
    /// Returns one error per sink that failed; the others still delivered.
    pub async fn send(&self, alert: &Alert) -> Vec<NotifyError> {
        if !alert.passes(self.min_relation) {
            return Vec::new();
        }
        // The terminal goes first: it is instant, and a newcomer running
        // the demo should see the line no later than the bubble.
        let terminal = if self.terminal {
            print_line(alert)
        } else {
            Ok(())
        };
        let desktop = async {
            match &self.desktop {
                Some(sink) => sink.send(alert).await,
                None => Ok(()),
            }
        };
        let command = async {
            match &self.command {
                Some(sink) => sink.send(alert).await,
                None => Ok(()),
            }
        };
        let (desktop, command) = tokio::join!(desktop, command);
        [terminal, desktop, command]
            .into_iter()
            .filter_map(Result::err)
            .collect()
    }
}

fn print_line(alert: &Alert) -> Result<(), NotifyError> {
    let mut stdout = std::io::stdout().lock();
    writeln!(stdout, "{}", alert.terminal_line())
        .and_then(|()| stdout.flush())
        .map_err(NotifyError::Terminal)
}
