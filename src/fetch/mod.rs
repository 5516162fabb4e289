//! Polite HTTP for feeds and article pages, and when to poll each feed.
//!
//! * [`Fetcher`] — one keep-alive client for everything, with live limits
//!   per host and overall, redirects followed by hand (permanent told from
//!   temporary, hop cap, loop detection), a body cap counted after
//!   decompression, timeouts, and host-wide `Retry-After` when configured.
//! * [`FeedState`] — what is remembered per feed: status, validators, last
//!   status code, next poll, failures, confirmed new URL. Serde, for the store.
//! * [`policy`] — pure functions from (state, fetch result, now) to the next
//!   state: freshness, `<ttl>`, `Retry-After`, backoff, spread, 410, redirects.
//! * [`poll_feed`] — one poll of one feed, tying the three together.
//! * [`charset`] — what a body's bytes are encoded in, for the decoders of
//!   feeds and pages.

pub mod charset;
mod client;
mod error;
mod headers;
mod limiter;
pub mod policy;
mod poll;
mod request;
mod response;
mod state;

use std::time::Duration;

use chrono::{DateTime, Utc};

pub use client::Fetcher;
pub use error::{ClientSetupError, FetchError};
pub use headers::{CacheHints, Validators};
pub use policy::Schedule;
pub use poll::{poll_feed, FeedBody, PollOutcome, FEED_ACCEPT, PAGE_ACCEPT};
pub use request::FetchRequest;
pub use response::{FetchResponse, Fetched, NotModified};
pub use state::{FeedState, FeedStatus};

/// `at + wait`, saturating instead of panicking on absurd waits (a
/// `Retry-After` of a billion seconds, a mistyped interval).
pub(crate) fn later(at: DateTime<Utc>, wait: Duration) -> DateTime<Utc> {
    chrono::Duration::from_std(wait)
        .ok()
        .and_then(|wait| at.checked_add_signed(wait))
        .unwrap_or(DateTime::<Utc>::MAX_UTC)
}
