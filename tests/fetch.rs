//! Fetching and polling policy against a real HTTP server on 127.0.0.1:
//! what the server saw, and the feed state that results.
//!
//! Times are kept short (sub-second timeouts, no long sleeps): schedule
//! assertions compare `next_poll` with the `now` handed to `poll_feed`
//! instead of waiting for it.

mod support;

#[path = "fetch/conditional.rs"]
mod conditional;
#[path = "fetch/failures.rs"]
mod failures;
#[path = "fetch/limits.rs"]
mod limits;
#[path = "fetch/redirects.rs"]
mod redirects;

use std::time::Duration;

use chrono::{DateTime, Utc};
use storywatch::config::{FeedConfig, FetchConfig};
use storywatch::fetch::{poll_feed, FeedState, Fetcher, PollOutcome};

pub const INTERVAL: Duration = Duration::from_secs(60);
pub const MAX_INTERVAL: Duration = Duration::from_secs(3 * 3600);
pub const MAX_BACKOFF: Duration = Duration::from_secs(600);
pub const BODY_CAP: u64 = 1 << 20;

pub const RSS: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Test</title><link>http://example.test/</link>
<description>d</description><ttl>240</ttl>
<item><title>One</title><link>http://example.test/1</link><guid>1</guid></item>
</channel></rss>"#;

pub fn config() -> FetchConfig {
    FetchConfig {
        connect_timeout: Duration::from_millis(500),
        timeout: Duration::from_millis(800),
        max_body_bytes: BODY_CAP,
        concurrency: 8,
        per_host_concurrency: 2,
        max_redirects: 5,
        default_interval: INTERVAL,
        max_interval: MAX_INTERVAL,
        max_backoff: MAX_BACKOFF,
        ..FetchConfig::default()
    }
}

pub fn fetcher() -> Fetcher {
    Fetcher::new(&config()).expect("HTTP client")
}

/// A `[[feed]]` as the config file would give it (so fields added later
/// with defaults need no change here).
pub fn feed(url: &str) -> FeedConfig {
    feed_toml(&format!("url = {url:?}"))
}

pub fn feed_toml(toml_text: &str) -> FeedConfig {
    toml::from_str(toml_text).expect("test feed config")
}

/// Polls `feed` from `state` at the current time.
pub async fn poll(
    fetcher: &Fetcher,
    feed: &FeedConfig,
    state: &FeedState,
) -> (PollOutcome, DateTime<Utc>) {
    let now = Utc::now();
    (poll_feed(fetcher, feed, state, now).await, now)
}

/// How long after `now` the next poll is.
pub fn wait_after(state: &FeedState, now: DateTime<Utc>) -> Duration {
    (state.next_poll - now)
        .to_std()
        .expect("next poll is in the future")
}

/// `wait` lies in `[low, high]`.
pub fn assert_between(wait: Duration, low: Duration, high: Duration) {
    assert!(
        wait >= low && wait <= high,
        "{wait:?} is not within [{low:?}, {high:?}]"
    );
}
