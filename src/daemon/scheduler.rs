//! `storywatch run`: one task per feed, each sleeping until its own next
//! poll, so a slow or failing feed never delays another; one task ingests
//! what they collect.

use std::future::Future;
use std::ops::ControlFlow;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::Utc;
use tokio::sync::{mpsc, watch};

use super::collect::{harvest_feed, stored_state, FeedHarvest};
use super::control::ControlSocket;
use super::service_manager::ServiceManager;
use super::{Daemon, DaemonError};
use crate::config::FeedConfig;
use crate::fetch::FeedStatus;

/// Pause before retrying a feed whose state could not be read or written.
const STORE_RETRY: Duration = Duration::from_secs(60);

impl Daemon {
    /// Runs until `shutdown` completes. Work in flight is dropped at
    /// shutdown; entries not yet ingested were not marked seen and their
    /// feed's new validators not saved, so the next start fetches them again.
    pub async fn run(
        self: Arc<Self>,
        shutdown: impl Future<Output = ()>,
    ) -> Result<(), DaemonError> {
        let (harvests, mut collected) = mpsc::channel::<FeedHarvest>(64);
        let (stop, stopped) = watch::channel(false);
        let mut feed_tasks = tokio::task::JoinSet::new();
        for feed in self.config.feeds.iter().filter(|f| f.enabled).cloned() {
            feed_tasks.spawn(feed_loop(
                self.clone(),
                feed,
                harvests.clone(),
                stopped.clone(),
            ));
        }
        drop(harvests);
        let feed_count = feed_tasks.len();
        let control = self.store.path().and_then(|dir| match ControlSocket::bind(dir) {
            Ok(socket) => Some(socket),
            Err(error) => {
                tracing::warn!(%error, "no control socket: other storywatch commands cannot read the store while this one runs");
                None
            }
        });
        let answer_queries = async {
            match &control {
                Some(socket) => {
                    let feeds = self.config.feeds.clone().into();
                    socket.serve(self.store.clone(), feeds).await;
                }
                None => std::future::pending().await,
            }
        };
        tracing::info!(feeds = feed_count, "storywatch running");
        let service_manager = ServiceManager::from_env();
        service_manager.ready(&format!("watching {feed_count} feeds"));
        let mut ingested_since_start = 0usize;
        let progress = IngestProgress::new();
        let ingest_loop = async {
            while let Some(mut harvest) = collected.recv().await {
                harvest.entries.sort_by_key(|e| e.article.published);
                let new_entries = harvest.entries.len();
                for entry in std::mem::take(&mut harvest.entries) {
                    progress.begin();
                    self.process(entry).await?;
                    progress.end();
                }
                harvest.save_state(&self.store)?;
                self.store.flush()?;
                ingested_since_start += new_entries;
                service_manager.status(&format!(
                    "watching {feed_count} feeds; {ingested_since_start} articles ingested \
                     since start; last poll {} at {}",
                    harvest.feed_url,
                    Utc::now().format("%H:%M:%S UTC"),
                ));
            }
            Ok::<(), DaemonError>(())
        };
        let watchdog = watchdog_pings(&service_manager, &progress);
        let result = tokio::select! {
            () = shutdown => Ok(()),
            result = ingest_loop => result,
            () = watchdog => Ok(()),
            () = answer_queries => Ok(()),
        };
        service_manager.stopping();
        drop(control);
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
    harvests: mpsc::Sender<FeedHarvest>,
    mut stopped: watch::Receiver<bool>,
) {
    let mut state = loop {
        match stored_state(&daemon.store, &feed) {
            Ok(state) => break state,
            Err(error) => {
                tracing::error!(feed = %feed.display_name(), %error, "cannot read feed state");
                if pause(STORE_RETRY, &mut stopped).await.is_break() {
                    return;
                }
            }
        }
    };
    let mut wait = match state.status {
        FeedStatus::New => first_poll_delay(&feed),
        _ => until(state.next_poll),
    };
    loop {
        if pause(wait, &mut stopped).await.is_break() {
            return;
        }
        match harvest_feed(
            &daemon.config,
            &daemon.fetcher,
            &daemon.store,
            &feed,
            &state,
        )
        .await
        {
            Ok(harvest) => {
                state = harvest.state.clone();
                wait = until(state.next_poll);
                // The ingest loop saves the state once the entries are in.
                if harvests.send(harvest).await.is_err() {
                    return;
                }
            }
            Err(error) => {
                tracing::error!(feed = %feed.display_name(), url = %feed.url, %error, "poll could not be recorded");
                wait = STORE_RETRY;
            }
        }
    }
}

/// Pings systemd's watchdog while ingest makes progress; never completes.
/// An entry still being ingested after a whole watchdog period means the
/// daemon is stuck, so the pings stop and systemd restarts it. Without a
/// watchdog this just waits forever.
async fn watchdog_pings(service_manager: &ServiceManager, progress: &IngestProgress) {
    let Some(interval) = service_manager.watchdog_interval() else {
        return std::future::pending().await;
    };
    let mut ticks = tokio::time::interval(interval);
    loop {
        ticks.tick().await;
        if !progress.busy_longer_than(2 * interval) {
            service_manager.watchdog_ping();
        }
    }
}

/// When the entry being ingested began, as milliseconds since `origin`
/// (`IDLE` between entries).
struct IngestProgress {
    origin: Instant,
    busy_since_ms: AtomicU64,
}

impl IngestProgress {
    const IDLE: u64 = u64::MAX;

    fn new() -> Self {
        IngestProgress {
            origin: Instant::now(),
            busy_since_ms: AtomicU64::new(Self::IDLE),
        }
    }

    fn begin(&self) {
        let now = u64::try_from(self.origin.elapsed().as_millis()).unwrap_or(Self::IDLE - 1);
        self.busy_since_ms.store(now, Ordering::Relaxed);
    }

    fn end(&self) {
        self.busy_since_ms.store(Self::IDLE, Ordering::Relaxed);
    }

    fn busy_longer_than(&self, limit: Duration) -> bool {
        match self.busy_since_ms.load(Ordering::Relaxed) {
            Self::IDLE => false,
            since => self.origin.elapsed() > Duration::from_millis(since) + limit,
        }
    }
}

fn until(time: chrono::DateTime<Utc>) -> Duration {
    (time - Utc::now()).to_std().unwrap_or(Duration::ZERO)
}

/// Sleeps for `wait`; breaks early when the daemon stops.
async fn pause(wait: Duration, stopped: &mut watch::Receiver<bool>) -> ControlFlow<()> {
    tokio::select! {
        () = tokio::time::sleep(wait) => ControlFlow::Continue(()),
        _ = stopped.changed() => ControlFlow::Break(()),
    }
}

/// A feed never polled starts within its first seconds, spread so that a
/// config full of one publisher's feeds does not open with a burst.
fn first_poll_delay(feed: &FeedConfig) -> Duration {
    let spread_ms = feed
        .url
        .bytes()
        .fold(0u64, |h, b| h.wrapping_mul(31).wrapping_add(u64::from(b)))
        % 3_000;
    Duration::from_millis(spread_ms)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_entry_in_ingest_too_long_counts_as_stuck() {
        let progress = IngestProgress::new();
        assert!(
            !progress.busy_longer_than(Duration::ZERO),
            "idle is not stuck"
        );
        progress.begin();
        std::thread::sleep(Duration::from_millis(5));
        assert!(progress.busy_longer_than(Duration::from_millis(1)));
        assert!(!progress.busy_longer_than(Duration::from_secs(60)));
        progress.end();
        assert!(!progress.busy_longer_than(Duration::ZERO));
    }
}
