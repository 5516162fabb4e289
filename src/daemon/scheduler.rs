//! `storywatch run`: one task per feed, each sleeping until its own next
//! poll, so a slow or failing feed never delays another; one task ingests
//! what they collect.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use tokio::sync::{mpsc, watch};

use super::collect::{harvest_feed, PreparedEntry};
use super::{Daemon, DaemonError};
use crate::config::FeedConfig;
use crate::fetch::FeedState;

/// Pause before retrying a feed whose state could not be read or written.
const STORE_RETRY: Duration = Duration::from_secs(60);

impl Daemon {
    /// Runs until `shutdown` completes. Work in flight is dropped at
    /// shutdown; entries not yet ingested were not marked seen, so the next
    /// start picks them up again.
    pub async fn run(self: Arc<Self>, shutdown: impl Future<Output = ()>) -> Result<(), DaemonError> {
        let (batches, mut collected) = mpsc::channel::<Vec<PreparedEntry>>(64);
        let (stop, stopped) = watch::channel(false);
        let mut feed_tasks = tokio::task::JoinSet::new();
        for feed in self.config.feeds.iter().filter(|f| f.enabled).cloned() {
            feed_tasks.spawn(feed_loop(self.clone(), feed, batches.clone(), stopped.clone()));
        }
        drop(batches);
        tracing::info!(feeds = feed_tasks.len(), "storywatch running");
        let ingest_loop = async {
            while let Some(mut batch) = collected.recv().await {
                batch.sort_by_key(|e| e.article.published);
                for entry in batch {
                    self.process(entry).await?;
                }
                self.store.flush()?;
            }
            Ok::<(), DaemonError>(())
        };
        let result = tokio::select! {
            () = shutdown => Ok(()),
            result = ingest_loop => result,
        };
        let _ = stop.send(true);
        feed_tasks.abort_all();
        while feed_tasks.join_next().await.is_some() {}
        self.store.flush()?;
        tracing::info!("storywatch stopped");
        result
    }
}

async fn feed_loop(
    daemon: Arc<Daemon>,
    feed: FeedConfig,
    batches: mpsc::Sender<Vec<PreparedEntry>>,
    mut stopped: watch::Receiver<bool>,
) {
    loop {
        let wait = match daemon.store.feed_state::<FeedState>(&feed.url) {
            Ok(Some(state)) if state.url == feed.url => {
                (state.next_poll - Utc::now()).to_std().unwrap_or(Duration::ZERO)
            }
            Ok(_) => first_poll_delay(&feed),
            Err(error) => {
                tracing::error!(feed = %feed.display_name(), %error, "cannot read feed state");
                STORE_RETRY
            }
        };
        tokio::select! {
            () = tokio::time::sleep(wait) => {}
            _ = stopped.changed() => return,
        }
        match harvest_feed(&daemon.config, &daemon.fetcher, &daemon.store, &feed).await {
            Ok(harvest) if harvest.entries.is_empty() => {}
            Ok(harvest) => {
                if batches.send(harvest.entries).await.is_err() {
                    return;
                }
            }
            Err(error) => {
                tracing::error!(feed = %feed.display_name(), url = %feed.url, %error, "poll could not be recorded");
                tokio::select! {
                    () = tokio::time::sleep(STORE_RETRY) => {}
                    _ = stopped.changed() => return,
                }
            }
        }
    }
}

/// A feed never polled starts within its first seconds, spread so that a
/// config full of one publisher's feeds does not open with a burst.
fn first_poll_delay(feed: &FeedConfig) -> Duration {
    let spread_ms = feed.url.bytes().fold(0u64, |h, b| h.wrapping_mul(31).wrapping_add(u64::from(b))) % 3_000;
    Duration::from_millis(spread_ms)
}
