//! The daemon: polls feeds on their schedules and runs each new article
//! through the pipeline.
//!
//! * [`collect`] — one feed: poll, parse, select unseen entries, fetch and
//!   extract their pages.
//! * [`ingest`] — one article: fingerprint, find candidates, score, join or
//!   start a story, persist.
//! * [`process`] — after ingest: mark the entry seen, alert.
//! * [`scheduler`] — `run`: one task per feed, sleeping until its next poll,
//!   and one task that ingests what they collect, in arrival order.
//! * [`service_manager`] — readiness, status and watchdog pings for systemd.
//! * [`views`] — the views of the store the inspecting commands
//!   print, and [`control`] — the socket on which `run` answers them, since
//!   no other process can open the store while it runs.
//!
//! Ingest is serialised behind one lock: matching needs a consistent view of
//! the stories, and it takes milliseconds, while the polls and page fetches
//! it waits for take seconds and run concurrently.

mod collect;
pub mod control;
pub mod ingest;
mod process;
mod scheduler;
mod service_manager;
pub mod views;

use std::sync::Arc;

use serde::Serialize;

pub use collect::{FeedHarvest, PreparedEntry};
use process::AlertPolicy;
pub use process::Processed;

use crate::config::Config;
use crate::fetch::{ClientSetupError, Fetcher};
use crate::notify::Notifier;
use crate::store::{Store, StoreError};
use ingest::{IngestError, Ingestor};

#[derive(Debug, thiserror::Error)]
pub enum DaemonError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Ingest(#[from] IngestError),
    #[error("cannot set up the HTTP client: {0}")]
    Client(#[from] ClientSetupError),
}

/// The long-lived parts of a running storywatch.
pub struct Daemon {
    config: Arc<Config>,
    store: Store,
    fetcher: Fetcher,
    ingestor: tokio::sync::Mutex<Ingestor>,
    notifier: Notifier,
    alert_policy: AlertPolicy,
}

/// How one feed fared in a cycle.
#[derive(Debug, Clone, Serialize)]
pub struct FeedReport {
    pub name: String,
    pub url: String,
    pub state: String,
    pub new_entries: usize,
    pub error: Option<String>,
}

/// What `poll --once` did.
#[derive(Debug, Clone, Serialize, Default)]
pub struct CycleReport {
    pub feeds: Vec<FeedReport>,
    /// Ingested articles, in the order they were processed.
    pub articles: Vec<Processed>,
    /// Feeds skipped because a server's Retry-After still holds them back.
    pub held_back: Vec<String>,
}

impl Daemon {
    pub fn new(config: Config, store: Store, notifier: Notifier) -> Result<Daemon, DaemonError> {
        let fetcher = Fetcher::new(&config.fetch)?;
        let ingestor = Ingestor::new(store.clone(), config.matching.clone())?;
        Ok(Daemon {
            alert_policy: AlertPolicy::new(&config),
            config: Arc::new(config),
            store,
            fetcher,
            ingestor: tokio::sync::Mutex::new(ingestor),
            notifier,
        })
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    /// One cycle over every enabled feed, due or not (except those a
    /// server's Retry-After still holds back). New entries from all feeds
    /// are ingested oldest first, so an original report is stored before
    /// the copies that a faster feed may list first.
    pub async fn poll_once(&self) -> Result<CycleReport, DaemonError> {
        let now = chrono::Utc::now();
        let mut report = CycleReport::default();
        let mut polled = Vec::new();
        for feed in self.config.feeds.iter().filter(|f| f.enabled) {
            let state = collect::stored_state(&self.store, feed)?;
            if let Some(until) = state.held_back_until(now) {
                tracing::info!(feed = %feed.display_name(), %until, "held back by Retry-After");
                report.held_back.push(feed.display_name());
                continue;
            }
            polled.push((feed, state));
        }
        let harvests = futures_util::future::join_all(polled.iter().map(|(feed, state)| {
            collect::harvest_feed(&self.config, &self.fetcher, &self.store, feed, state)
        }))
        .await;
        let mut entries = Vec::new();
        let mut finished = Vec::new();
        for ((feed, _), harvest) in polled.iter().zip(harvests) {
            let mut harvest = harvest?;
            report.feeds.push(feed_report(feed, &harvest));
            entries.append(&mut harvest.entries);
            finished.push(harvest);
        }
        entries.sort_by_key(|e| e.article.published);
        for entry in entries {
            report.articles.push(self.process(entry).await?);
        }
        for harvest in &finished {
            harvest.save_state(&self.store)?;
        }
        self.store.flush()?;
        Ok(report)
    }

    async fn process(&self, entry: PreparedEntry) -> Result<Processed, DaemonError> {
        let mut ingestor = self.ingestor.lock().await;
        process::process_entry(&mut ingestor, &self.notifier, &self.alert_policy, entry).await
    }
}

fn feed_report(feed: &crate::config::FeedConfig, harvest: &FeedHarvest) -> FeedReport {
    FeedReport {
        name: feed.display_name(),
        url: feed.url.clone(),
        state: harvest.state.status.label().to_owned(),
        new_entries: harvest.entries.len(),
        error: harvest.state.error.clone(),
    }
}
