//! One poll of one feed: fetch with the feed's validators and identity,
//! then the new state. Parsing the body is the caller's job; it reports back
//! through [`PollOutcome::apply_ttl`] or [`PollOutcome::record_parse_error`].

use std::time::Duration;

use bytes::Bytes;
use chrono::{DateTime, Utc};
use url::Url;

use super::policy::{self, Schedule};
use super::{FeedState, FeedStatus, FetchError, FetchRequest, FetchResponse, Fetcher};
use crate::config::FeedConfig;

/// Sent on feed polls unless the feed's own headers set `Accept`.
pub const FEED_ACCEPT: &str = "application/rss+xml, application/atom+xml, application/feed+json, \
     application/xml;q=0.9, text/xml;q=0.9, application/json;q=0.8, */*;q=0.5";

/// Sent on article page fetches unless the feed's own headers set `Accept`.
pub const PAGE_ACCEPT: &str = "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5";

/// A feed body that has not been seen before and needs parsing.
#[derive(Debug, Clone)]
pub struct FeedBody {
    pub bytes: Bytes,
    /// `Content-Type` verbatim (it may name a wrong charset; the parser decides).
    pub content_type: Option<String>,
    /// Where the body came from after redirects; base for relative links.
    pub url: Url,
}

impl FeedBody {
    /// The `charset` parameter of the `Content-Type`.
    pub fn charset(&self) -> Option<&str> {
        super::charset::charset_of(self.content_type.as_deref()?)
    }
}

/// The result of [`poll_feed`]: the state to store, and a body to parse
/// only when there is new content.
#[derive(Debug, Clone)]
pub struct PollOutcome {
    pub state: FeedState,
    pub body: Option<FeedBody>,
    schedule: Schedule,
    polled_at: DateTime<Utc>,
    prior_failures: u32,
}

impl PollOutcome {
    /// After a successful parse: the feed's `<ttl>` (None if it has none),
    /// which may push the next poll back.
    pub fn apply_ttl(&mut self, ttl: Option<Duration>) {
        self.state = policy::with_ttl(&self.state, ttl, &self.schedule, &mut fastrand::Rng::new());
    }

    /// After a failed parse: the feed is in error, backs off, and is
    /// downloaded unconditionally next time.
    pub fn record_parse_error(&mut self, reason: &str) {
        tracing::warn!(url = %self.state.request_url(), %reason, "feed does not parse");
        self.state = policy::after_unusable_body(
            &self.state,
            self.prior_failures,
            &format!("{}: not a usable feed: {reason}", self.state.request_url()),
            &self.schedule,
            self.polled_at,
            &mut fastrand::Rng::new(),
        );
    }
}

/// Polls `feed` once, whatever its `next_poll` says: the caller decides when
/// (see [`FeedState::is_due`] and [`FeedState::held_back_until`]). `state` is
/// the stored one; pass [`FeedState::new`] for a feed never polled. Failures
/// are logged with the feed's name and URL and recorded in the state; this
/// never fails as a whole, so one feed cannot stop a cycle.
pub async fn poll_feed(
    fetcher: &Fetcher,
    feed: &FeedConfig,
    state: &FeedState,
    now: DateTime<Utc>,
) -> PollOutcome {
    let state = if state.url == feed.url {
        state.clone()
    } else {
        FeedState::new(&feed.url, now)
    };
    let schedule = Schedule::for_feed(fetcher.config(), feed);
    let mut rng = fastrand::Rng::new();
    let mut outcome = PollOutcome {
        state: state.clone(),
        body: None,
        schedule,
        polled_at: now,
        prior_failures: state.consecutive_failures,
    };
    let url = match Url::parse(state.request_url()) {
        Ok(url) => url,
        Err(err) => {
            let reason = format!("{}: not a usable URL: {err}", state.request_url());
            tracing::warn!(feed = %feed.display_name(), %reason, "cannot poll feed");
            outcome.state = policy::after_unusable_body(
                &state,
                state.consecutive_failures,
                &reason,
                &schedule,
                now,
                &mut rng,
            );
            return outcome;
        }
    };
    let request = FetchRequest::new(url)
        .with_validators(state.validators())
        .identified_as(feed)
        .with_default_header("Accept", FEED_ACCEPT);
    let result = fetcher.fetch(request).await;
    match &result {
        // Nothing was sent; one line per held-back feed would only be noise.
        Err(error @ FetchError::HostBackoff { .. }) => {
            tracing::debug!(feed = %feed.display_name(), %error, "poll held back");
        }
        Err(error) => {
            tracing::warn!(feed = %feed.display_name(), url = %state.request_url(), %error, "poll failed");
        }
        Ok(_) => {}
    }
    outcome.state = policy::after_fetch(&state, &result, &schedule, now, &mut rng);
    if let (Ok(FetchResponse::Fetched(fetched)), FeedStatus::Ok) = (result, &outcome.state.status) {
        outcome.body = Some(FeedBody {
            bytes: fetched.body,
            content_type: fetched.content_type,
            url: fetched.final_url,
        });
    }
    outcome
}
