//! When to poll each feed next, and how a fetch result changes its state.
//! Pure functions of (state, result, schedule, now, random source), so the
//! rules are tested without a clock or a network.
//!
//! * Success: the next poll is the longest of the feed's interval, its RSS
//!   `<ttl>` and the response's freshness (`Cache-Control: max-age`, else
//!   `Expires`), capped by `max_interval`.
//! * 429/503 with `Retry-After`: not before the time the server named
//!   (capped by `max_interval`), and never sooner than the backoff below.
//! * Any other failure: the interval doubled per consecutive failure,
//!   capped by `max_backoff` (or the interval, if that is longer). A feed is
//!   never disabled by failures; it keeps being retried at the cap.
//! * 410: retired, checked again once per `max_interval`.
//! * A feed that moved (a confirmed permanent redirect) goes back to its
//!   configured URL when the new address answers 404 or 410, or fails
//!   three polls in a row.
//! * Every computed wait except one a server named exactly gets up to 10%
//!   of random spread, so feeds sharing a host drift apart instead of
//!   arriving together each cycle.

use std::time::Duration;

use chrono::{DateTime, Utc};

use super::{later, FeedState, FeedStatus, FetchError, FetchResponse};
use crate::config::{FeedConfig, FetchConfig};

/// The timing settings that apply to one feed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Schedule {
    pub interval: Duration,
    pub max_interval: Duration,
    pub max_backoff: Duration,
}

impl Schedule {
    pub fn for_feed(fetch: &FetchConfig, feed: &FeedConfig) -> Schedule {
        Schedule {
            interval: feed.interval.unwrap_or(fetch.default_interval),
            max_interval: fetch.max_interval,
            max_backoff: fetch.max_backoff,
        }
    }

    /// The wait after a success, before spread.
    pub fn after_success(&self, ttl: Option<Duration>, freshness: Option<Duration>) -> Duration {
        [Some(self.interval), ttl, freshness]
            .into_iter()
            .flatten()
            .max()
            .unwrap_or(self.interval)
            .min(self.max_interval)
    }

    /// The wait after `failures` consecutive failures (1 = the first), before spread.
    pub fn backoff(&self, failures: u32) -> Duration {
        let cap = self.max_backoff.max(self.interval);
        let doublings = failures.saturating_sub(1).min(31);
        self.interval
            .checked_mul(1u32 << doublings)
            .unwrap_or(cap)
            .min(cap)
    }
}

/// The state after one fetch of `state.request_url()`.
pub fn after_fetch(
    state: &FeedState,
    result: &Result<FetchResponse, FetchError>,
    schedule: &Schedule,
    now: DateTime<Utc>,
    rng: &mut fastrand::Rng,
) -> FeedState {
    match result {
        Ok(response) => after_success(state, response, schedule, now, rng),
        Err(error) => after_failure(state, error, schedule, now, rng),
    }
}

fn after_success(
    state: &FeedState,
    response: &FetchResponse,
    schedule: &Schedule,
    now: DateTime<Utc>,
    rng: &mut fastrand::Rng,
) -> FeedState {
    let mut next = state.clone();
    next.last_fetch = Some(now);
    next.last_status = Some(response.status());
    next.consecutive_failures = 0;
    next.error = None;
    follow_permanent_redirect(&mut next, response);
    match response {
        FetchResponse::Fetched(fetched) => {
            // Validators describe this body; any the server left out are gone.
            next.etag = fetched.validators.etag.clone();
            next.last_modified = fetched.validators.last_modified.clone();
            let digest = body_digest(&fetched.body);
            next.status = if next.body_digest.as_deref() == Some(digest.as_str()) {
                FeedStatus::NotModified
            } else {
                FeedStatus::Ok
            };
            next.body_digest = Some(digest);
        }
        FetchResponse::NotModified(not_modified) => {
            let validators = state.validators().refreshed_by(&not_modified.validators);
            next.etag = validators.etag;
            next.last_modified = validators.last_modified;
            next.status = FeedStatus::NotModified;
        }
    }
    let wait = schedule.after_success(state.ttl(), response.cache().freshness());
    next.next_poll = later(now, spread(wait, schedule.max_interval, rng));
    next
}

/// Applies the confirmation rule documented on [`FeedState::effective_url`].
fn follow_permanent_redirect(state: &mut FeedState, response: &FetchResponse) {
    let Some(target) = response
        .permanent_redirect()
        .map(|url| url.as_str().to_owned())
    else {
        state.pending_redirect = None;
        return;
    };
    if state.pending_redirect.as_deref() == Some(target.as_str()) {
        state.pending_redirect = None;
        state.effective_url = (target != state.url).then_some(target);
    } else {
        state.pending_redirect = Some(target);
    }
}

fn after_failure(
    state: &FeedState,
    error: &FetchError,
    schedule: &Schedule,
    now: DateTime<Utc>,
    rng: &mut fastrand::Rng,
) -> FeedState {
    let mut next = state.clone();
    next.error = Some(error.to_string());
    if let FetchError::HostBackoff { until, .. } = error {
        // Nothing was sent: the failure count and last contact stay as they were.
        let wait = (*until - now).to_std().unwrap_or(Duration::ZERO);
        next.next_poll = later(now, spread(wait, schedule.max_interval, rng));
        next.status = FeedStatus::BackingOff {
            until: next.next_poll,
            reason: format!("its host asked every client to wait ({error})"),
        };
        return next;
    }
    next.last_fetch = Some(now);
    next.last_status = error.status();
    next.consecutive_failures = state.consecutive_failures.saturating_add(1);
    let backoff = schedule.backoff(next.consecutive_failures);
    match error {
        FetchError::Gone { .. } => {
            next.next_poll = later(
                now,
                spread(schedule.max_interval, schedule.max_interval, rng),
            );
            next.status = FeedStatus::Retired {
                reason: error.to_string(),
            };
        }
        FetchError::Status {
            code: 429 | 503,
            retry_after: Some(asked),
            ..
        } => {
            let asked = (*asked).min(schedule.max_interval);
            next.next_poll = if asked >= backoff {
                later(now, asked)
            } else {
                later(now, spread(backoff, backoff, rng))
            };
            next.status = FeedStatus::BackingOff {
                until: next.next_poll,
                reason: error.to_string(),
            };
        }
        _ => {
            next.next_poll = later(now, spread(backoff, backoff, rng));
            next.status = FeedStatus::Error {
                reason: error.to_string(),
            };
        }
    }
    if state.effective_url.is_some() && moved_url_is_failing(error, next.consecutive_failures) {
        // A 410 would otherwise wait for `max_interval`: the configured URL
        // is tried at the ordinary backoff instead.
        let retry_at = later(now, spread(backoff, backoff, rng));
        fall_back_to_configured_url(&mut next, error, retry_at);
    }
    next
}

/// Consecutive failures at a feed's confirmed new address after which the
/// configured address is tried again.
const MOVED_URL_FAILURES: u32 = 3;

/// The new address is gone or missing, or has failed several polls in a
/// row; a server that is only busy (429, 503) is still there.
fn moved_url_is_failing(error: &FetchError, consecutive_failures: u32) -> bool {
    match error {
        FetchError::Gone { .. } | FetchError::Status { code: 404, .. } => true,
        FetchError::Status {
            code: 429 | 503, ..
        } => false,
        _ => consecutive_failures >= MOVED_URL_FAILURES,
    }
}

/// Forgets the redirect, and the validators that described the new
/// address's body. The configured URL is polled at `retry_at`; if it still
/// redirects, the move is confirmed again the usual way.
fn fall_back_to_configured_url(next: &mut FeedState, error: &FetchError, retry_at: DateTime<Utc>) {
    next.effective_url = None;
    next.pending_redirect = None;
    next.etag = None;
    next.last_modified = None;
    next.body_digest = None;
    let reason = format!(
        "{error}; the feed's new address keeps failing, so its configured URL {} is tried again",
        next.url
    );
    next.error = Some(reason.clone());
    next.status = FeedStatus::Error { reason };
    next.next_poll = retry_at;
}

/// The state after a body was fetched but could not be used (it does not
/// parse as a feed, or the configured URL is unusable). The validators and
/// digest are dropped so that the next poll downloads and parses afresh
/// instead of being told "not modified" about broken content.
pub fn after_unusable_body(
    state: &FeedState,
    prior_failures: u32,
    reason: &str,
    schedule: &Schedule,
    now: DateTime<Utc>,
    rng: &mut fastrand::Rng,
) -> FeedState {
    let mut next = state.clone();
    next.consecutive_failures = prior_failures.saturating_add(1);
    let backoff = schedule.backoff(next.consecutive_failures);
    next.next_poll = later(now, spread(backoff, backoff, rng));
    next.etag = None;
    next.last_modified = None;
    next.body_digest = None;
    next.error = Some(reason.to_owned());
    next.status = FeedStatus::Error {
        reason: reason.to_owned(),
    };
    next
}

/// Records the feed's own `<ttl>` (None when the last parse had none) and
/// pushes the next poll back if the ttl asks for a longer wait.
pub fn with_ttl(
    state: &FeedState,
    ttl: Option<Duration>,
    schedule: &Schedule,
    rng: &mut fastrand::Rng,
) -> FeedState {
    let mut next = state.clone();
    next.ttl_secs = ttl.map(|ttl| ttl.as_secs());
    if let (Some(ttl), Some(last_fetch)) = (ttl, state.last_fetch) {
        let wait = schedule.after_success(Some(ttl), None);
        next.next_poll = next
            .next_poll
            .max(later(last_fetch, spread(wait, schedule.max_interval, rng)));
    }
    next
}

/// `wait` plus up to 10% random spread; near `cap` the spread goes below
/// `wait` instead, so the cap still holds.
fn spread(wait: Duration, cap: Duration, rng: &mut fastrand::Rng) -> Duration {
    let span = wait / 10;
    let jitter = span.mul_f64(rng.f64());
    if wait.saturating_add(span) <= cap {
        wait + jitter
    } else {
        wait.saturating_sub(jitter)
    }
}

/// FNV-1a, 64 bits: stable across Rust releases (unlike `DefaultHasher`),
/// which matters because the digest is persisted.
fn body_digest(body: &[u8]) -> String {
    let hash = body.iter().fold(0xcbf2_9ce4_8422_2325_u64, |hash, byte| {
        (hash ^ u64::from(*byte)).wrapping_mul(0x0100_0000_01b3)
    });
    format!("{hash:016x}")
}

#[cfg(test)]
#[path = "policy_tests.rs"]
mod tests;
