//! The command sink: a program of the editor's choosing gets each alert as
//! one JSON object on stdin. It runs without a shell, so nothing in an alert
//! (titles, URLs) can ever be interpreted as shell syntax.

use std::process::Stdio;
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncReadExt, AsyncWriteExt};
use tokio::process::Command;

use super::{Alert, NotifyError};

/// How much of the program's stderr an error quotes.
const STDERR_KEPT: usize = 2048;

pub(super) struct CommandSink {
    argv: Vec<String>,
    timeout: Duration,
}

impl CommandSink {
    pub(super) fn new(argv: Vec<String>, timeout: Duration) -> CommandSink {
        CommandSink { argv, timeout }
    }

    pub(super) async fn send(&self, alert: &Alert) -> Result<(), NotifyError> {
        let Some((program, args)) = self.argv.split_first() else {
            return Err(NotifyError::EmptyCommand);
        };
        let mut input = serde_json::to_vec(alert).map_err(NotifyError::Json)?;
        input.push(b'\n');

        let mut child = Command::new(program)
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .map_err(|source| NotifyError::CommandSpawn {
                program: program.clone(),
                source,
            })?;

        let mut stdin = child.stdin.take();
        let stderr = child.stderr.take();
        let run = async {
            if let Some(pipe) = stdin.as_mut() {
                match pipe.write_all(&input).await {
                    // A program may exit without reading its input; its exit
                    // status is what tells whether it worked.
                    Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {}
                    Err(source) => {
                        return Err(NotifyError::CommandStdin {
                            program: program.clone(),
                            source,
                        })
                    }
                    Ok(()) => {}
                }
            }
            // Closing stdin is how the program learns the alert is complete.
            drop(stdin);
            let (status, stderr_text) = tokio::join!(child.wait(), read_stderr(stderr));
            let status = status.map_err(|source| NotifyError::CommandSpawn {
                program: program.clone(),
                source,
            })?;
            if status.success() {
                Ok(())
            } else {
                Err(NotifyError::CommandFailed {
                    program: program.clone(),
                    status,
                    stderr: stderr_text,
                })
            }
        };
        match tokio::time::timeout(self.timeout, run).await {
            Ok(result) => result,
            // `child` is dropped on return and kill_on_drop kills it, so a
            // hung program never holds up the daemon.
            Err(_) => Err(NotifyError::CommandTimeout {
                program: program.clone(),
                timeout: self.timeout,
            }),
        }
    }
}

/// The start of the program's stderr, trimmed; the rest is drained so a
/// chatty program never blocks on a full pipe.
async fn read_stderr(stderr: Option<impl AsyncRead + Unpin>) -> String {
    let Some(mut stderr) = stderr else {
        return String::new();
    };
    let mut kept = Vec::new();
    let mut chunk = [0u8; 1024];
    loop {
        match stderr.read(&mut chunk).await {
            Ok(0) | Err(_) => break,
            Ok(n) => {
                let room = STDERR_KEPT.saturating_sub(kept.len());
                kept.extend_from_slice(&chunk[..n.min(room)]);
            }
        }
    }
    String::from_utf8_lossy(&kept).trim().to_owned()
}
