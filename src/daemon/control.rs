//! The control socket: how `storywatch stories` (the other inspecting
//! commands, `follow` and `unfollow`) work while `storywatch run` holds the
//! store.
//!
//! sled lets one process open a database, so while the daemon runs, every
//! other command would find the store locked. The daemon therefore listens
//! on a Unix socket in the store directory ([`socket_path`]) and answers
//! [`Query`]s there; a command that finds the store locked asks it instead.
//!
//! The protocol is one request and one reply, each a line of JSON: the
//! query, then a [`Reply`]. The socket is made readable and writable by
//! its owner only, like the store itself.

use std::io::{BufRead, BufReader, Write};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt};
use tokio::net::{UnixListener, UnixStream};

use super::views::{Query, QueryError};
use crate::config::FeedConfig;
use crate::store::Store;

/// The socket's file name inside the store directory.
const SOCKET_NAME: &str = "control.sock";
/// The longest path a Unix socket address holds on Linux, without its NUL.
const MAX_SOCKET_PATH: usize = 107;
/// A query is a short JSON object, or for `compare` up to two articles
/// read from files; anything longer is not one.
const MAX_REQUEST_BYTES: u64 = 16 * 1024 * 1024;
/// How long the daemon waits for a connected client to send its query.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(5);
/// How long a command waits for the daemon's answer. Queries read the
/// store only, but they wait for the disk like everything else.
const REPLY_TIMEOUT: Duration = Duration::from_secs(30);

/// The daemon's answer to one query.
#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Reply {
    /// The command's `--json` output.
    Answer(serde_json::Value),
    /// The article or story asked for does not exist.
    NotFound(String),
    /// The query could not be answered.
    Failed(String),
}

/// Why a command could not get an answer from the daemon.
#[derive(Debug, thiserror::Error)]
pub enum ControlError {
    #[error("no storywatch daemon answers on {}: {source}", path.display())]
    Unreachable {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("the storywatch daemon on {} did not answer: {source}", path.display())]
    NoAnswer {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(
        "the storywatch daemon on {} answered in a form this storywatch does not read \
         (was one of them upgraded without a restart?): {detail}",
        path.display()
    )]
    Garbled { path: PathBuf, detail: String },
    /// The daemon looked and found no such article or story.
    #[error("{0}")]
    NotFound(String),
    #[error("the storywatch daemon could not answer: {0}")]
    Failed(String),
}

/// Where the daemon serving the store in `store_dir` listens.
pub fn socket_path(store_dir: &Path) -> PathBuf {
    store_dir.join(SOCKET_NAME)
}

/// Asks the daemon serving the store in `store_dir`, and reads its answer
/// as `T` (the query's `--json` shape).
pub fn ask<T: DeserializeOwned>(store_dir: &Path, query: &Query) -> Result<T, ControlError> {
    let path = socket_path(store_dir);
    let no_answer = |source| ControlError::NoAnswer {
        path: path.clone(),
        source,
    };
    let garbled = |detail: String| ControlError::Garbled {
        path: path.clone(),
        detail,
    };
    let mut stream = std::os::unix::net::UnixStream::connect(&path).map_err(|source| {
        ControlError::Unreachable {
            path: path.clone(),
            source,
        }
    })?;
    stream
        .set_read_timeout(Some(REPLY_TIMEOUT))
        .map_err(no_answer)?;
    stream
        .set_write_timeout(Some(REPLY_TIMEOUT))
        .map_err(no_answer)?;
    let mut request = serde_json::to_vec(query).map_err(|e| garbled(e.to_string()))?;
    request.push(b'\n');
    stream.write_all(&request).map_err(no_answer)?;
    let mut line = String::new();
    BufReader::new(stream)
        .read_line(&mut line)
        .map_err(no_answer)?;
    if line.is_empty() {
        return Err(no_answer(std::io::ErrorKind::UnexpectedEof.into()));
    }
    match serde_json::from_str(&line).map_err(|e| garbled(e.to_string()))? {
        Reply::Answer(value) => serde_json::from_value(value).map_err(|e| garbled(e.to_string())),
        Reply::NotFound(message) => Err(ControlError::NotFound(message)),
        Reply::Failed(message) => Err(ControlError::Failed(message)),
    }
}

/// The daemon's listening socket; the file goes when this drops.
pub struct ControlSocket {
    listener: UnixListener,
    path: PathBuf,
}

impl ControlSocket {
    /// Listens in `store_dir`. The daemon holds the store's lock, so a
    /// socket file already there is a crashed daemon's and is replaced.
    pub fn bind(store_dir: &Path) -> std::io::Result<ControlSocket> {
        let path = socket_path(store_dir);
        if path.as_os_str().len() > MAX_SOCKET_PATH {
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                format!(
                    "{} is longer than a socket address can be ({MAX_SOCKET_PATH} bytes)",
                    path.display()
                ),
            ));
        }
        match std::fs::remove_file(&path) {
            Err(error) if error.kind() != std::io::ErrorKind::NotFound => return Err(error),
            _ => {}
        }
        let listener = UnixListener::bind(&path)?;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600))?;
        Ok(ControlSocket { listener, path })
    }

    /// Answers queries until dropped; never completes. Each connection is
    /// served on its own task, and each query on a blocking thread, so a
    /// slow client or a long listing never holds up ingest.
    pub async fn serve(&self, store: Store, feeds: Arc<[FeedConfig]>) {
        loop {
            match self.listener.accept().await {
                Ok((stream, _)) => {
                    tokio::spawn(serve_one(stream, store.clone(), feeds.clone()));
                }
                Err(error) => {
                    tracing::warn!(%error, socket = %self.path.display(), "control socket accept failed");
                    // Out of file descriptors, typically: give others a moment.
                    tokio::time::sleep(Duration::from_millis(200)).await;
                }
            }
        }
    }
}

impl Drop for ControlSocket {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

async fn serve_one(stream: UnixStream, store: Store, feeds: Arc<[FeedConfig]>) {
    let (reader, mut writer) = stream.into_split();
    let mut line = String::new();
    let read = tokio::time::timeout(
        REQUEST_TIMEOUT,
        tokio::io::BufReader::new(tokio::io::AsyncReadExt::take(reader, MAX_REQUEST_BYTES))
            .read_line(&mut line),
    )
    .await;
    let reply = match read {
        Ok(Ok(_)) => match serde_json::from_str::<Query>(&line) {
            Ok(query) => answer(query, store, feeds).await,
            Err(error) => Reply::Failed(format!("not a query: {error}")),
        },
        Ok(Err(error)) => Reply::Failed(format!("cannot read the query: {error}")),
        Err(_) => Reply::Failed(format!("no query within {REQUEST_TIMEOUT:?}")),
    };
    let mut bytes = match serde_json::to_vec(&reply) {
        Ok(bytes) => bytes,
        Err(error) => {
            tracing::warn!(%error, "control socket: cannot encode a reply");
            return;
        }
    };
    bytes.push(b'\n');
    if let Err(error) = writer.write_all(&bytes).await {
        tracing::debug!(%error, "control socket: the client left before the reply");
    }
}

async fn answer(query: Query, store: Store, feeds: Arc<[FeedConfig]>) -> Reply {
    let answered = tokio::task::spawn_blocking(move || query.answer(&store, &feeds)).await;
    match answered {
        Ok(Ok(value)) => Reply::Answer(value),
        Ok(Err(QueryError::NotFound(message))) => Reply::NotFound(message),
        Ok(Err(error)) => Reply::Failed(error.to_string()),
        Err(error) => Reply::Failed(format!("the query stopped: {error}")),
    }
}

#[cfg(test)]
mod tests {
    use std::io::Read;

    use super::*;
    use crate::daemon::views::ArticleList;

    /// A store on disk with a daemon-side socket answering on it.
    /// Holds the directory and the runtime serving it until the test ends.
    struct Served {
        _dir: tempfile::TempDir,
        store_dir: PathBuf,
        _runtime: tokio::runtime::Runtime,
    }

    fn served() -> Served {
        let dir = tempfile::tempdir().expect("temp dir");
        let store_dir = dir.path().join("store");
        let store = Store::open(&store_dir).expect("open store");
        // A crashed daemon's socket file is replaced.
        std::fs::write(socket_path(&store_dir), "stale").expect("stale file");
        let runtime = tokio::runtime::Runtime::new().expect("runtime");
        let socket = {
            let _context = runtime.enter();
            ControlSocket::bind(&store_dir).expect("bind")
        };
        runtime.spawn(async move { socket.serve(store, Vec::new().into()).await });
        Served {
            _dir: dir,
            store_dir,
            _runtime: runtime,
        }
    }

    #[test]
    fn answers_queries_and_says_what_is_missing() {
        let served = served();
        let list: ArticleList =
            ask(&served.store_dir, &Query::Articles { limit: 5 }).expect("answer");
        assert_eq!(list.stored, 0);
        assert!(list.newest.is_empty());
        let missing = ask::<serde_json::Value>(&served.store_dir, &Query::Story { id: 7 });
        assert!(
            matches!(&missing, Err(ControlError::NotFound(m)) if m == "no story has id 7"),
            "{missing:?}"
        );
        let mode = std::fs::metadata(socket_path(&served.store_dir))
            .expect("socket")
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }

    #[test]
    fn a_request_that_is_no_query_gets_a_failure_reply() {
        let served = served();
        let mut stream = std::os::unix::net::UnixStream::connect(socket_path(&served.store_dir))
            .expect("connect");
        stream.write_all(b"{\"drop\": \"tables\"}\n").expect("send");
        let mut reply = String::new();
        stream.read_to_string(&mut reply).expect("reply");
        let reply: Reply = serde_json::from_str(&reply).expect("a reply");
        assert!(
            matches!(&reply, Reply::Failed(m) if m.starts_with("not a query")),
            "{reply:?}"
        );
    }

    #[test]
    fn nobody_listening_is_unreachable_and_a_long_path_is_refused() {
        let dir = tempfile::tempdir().expect("temp dir");
        let asked = ask::<serde_json::Value>(dir.path(), &Query::Feeds);
        assert!(
            matches!(asked, Err(ControlError::Unreachable { .. })),
            "{asked:?}"
        );
        let deep = dir.path().join("d".repeat(120));
        let runtime = tokio::runtime::Runtime::new().expect("runtime");
        let _context = runtime.enter();
        let error = ControlSocket::bind(&deep).err().expect("refused");
        assert!(
            error.to_string().contains("longer than a socket address"),
            "{error}"
        );
    }
}
