//! What storywatch remembers about each feed between polls. The store
//! persists it (serde); [`super::policy`] computes each new version.

use std::fmt;
use std::time::Duration;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::Validators;

/// How the feed stands after its last poll.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum FeedStatus {
    /// Never polled.
    New,
    /// The last poll brought content that had not been seen before.
    Ok,
    /// The last poll found nothing new: a 304, or a body identical to the last one.
    NotModified,
    /// The server asked us to wait (429 or 503 with `Retry-After`, possibly
    /// for its whole host); nothing is sent before `until`.
    BackingOff {
        until: DateTime<Utc>,
        reason: String,
    },
    /// The server said the feed is gone for good (410). It is still checked
    /// once per `max_interval`, so a 410 sent by mistake heals by itself.
    Retired { reason: String },
    /// The last poll failed; it is retried with exponential backoff, never
    /// given up on.
    Error { reason: String },
}

impl FeedStatus {
    /// A short machine-friendly name (`storywatch feeds --json` `state`).
    pub fn label(&self) -> &'static str {
        match self {
            FeedStatus::New => "new",
            FeedStatus::Ok => "ok",
            FeedStatus::NotModified => "not_modified",
            FeedStatus::BackingOff { .. } => "backing_off",
            FeedStatus::Retired { .. } => "retired",
            FeedStatus::Error { .. } => "error",
        }
    }
}

impl fmt::Display for FeedStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FeedStatus::New => f.write_str("new"),
            FeedStatus::Ok => f.write_str("ok"),
            FeedStatus::NotModified => f.write_str("not modified"),
            FeedStatus::BackingOff { until, reason } => {
                write!(
                    f,
                    "backing off until {}: {reason}",
                    until.format("%Y-%m-%d %H:%M:%S UTC")
                )
            }
            FeedStatus::Retired { reason } => write!(f, "retired: {reason}"),
            FeedStatus::Error { reason } => write!(f, "error: {reason}"),
        }
    }
}

/// One feed's polling memory, keyed by its configured URL.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeedState {
    /// The URL in the config. A state whose `url` differs from the config
    /// belongs to an edited feed and is started afresh.
    pub url: String,
    /// Where the feed moved to, once a permanent redirect was confirmed:
    /// seen on two polls in a row, pointing to the same place, and ending
    /// in a successful answer. One stray 301 (a misconfigured server, a
    /// captive portal) therefore never moves a feed.
    #[serde(default)]
    pub effective_url: Option<String>,
    /// A permanent redirect seen on the last poll and not yet confirmed.
    #[serde(default)]
    pub pending_redirect: Option<String>,
    pub status: FeedStatus,
    #[serde(default)]
    pub last_fetch: Option<DateTime<Utc>>,
    #[serde(default)]
    pub last_status: Option<u16>,
    #[serde(default)]
    pub etag: Option<String>,
    #[serde(default)]
    pub last_modified: Option<String>,
    pub next_poll: DateTime<Utc>,
    #[serde(default)]
    pub consecutive_failures: u32,
    /// The last failure, in words, naming the URL.
    #[serde(default)]
    pub error: Option<String>,
    /// The feed's own `<ttl>` (RSS) from its last parse, in seconds. Kept so
    /// that polls answered with 304 still honour it.
    #[serde(default)]
    pub ttl_secs: Option<u64>,
    /// Digest of the last body, so a server without validators that sends
    /// the same bytes again costs no parsing either.
    #[serde(default)]
    pub body_digest: Option<String>,
}

impl FeedState {
    /// A feed never polled: due at once.
    pub fn new(url: &str, now: DateTime<Utc>) -> FeedState {
        FeedState {
            url: url.to_owned(),
            effective_url: None,
            pending_redirect: None,
            status: FeedStatus::New,
            last_fetch: None,
            last_status: None,
            etag: None,
            last_modified: None,
            next_poll: now,
            consecutive_failures: 0,
            error: None,
            ttl_secs: None,
            body_digest: None,
        }
    }

    /// The URL to request: the confirmed new home, else the configured one.
    pub fn request_url(&self) -> &str {
        self.effective_url.as_deref().unwrap_or(&self.url)
    }

    pub fn validators(&self) -> Validators {
        Validators {
            etag: self.etag.clone(),
            last_modified: self.last_modified.clone(),
        }
    }

    pub fn is_due(&self, now: DateTime<Utc>) -> bool {
        self.next_poll <= now
    }

    /// When the server told us not to come back before a time still ahead;
    /// a manual `poll --once` should skip the feed until then.
    pub fn held_back_until(&self, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        match &self.status {
            FeedStatus::BackingOff { until, .. } if *until > now => Some(*until),
            _ => None,
        }
    }

    pub fn ttl(&self) -> Option<Duration> {
        self.ttl_secs.map(Duration::from_secs)
    }
}
