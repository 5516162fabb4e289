//! What can go wrong with one HTTP fetch. Every variant names the URL, so a
//! log line or a `storywatch feeds` row says which feed or page failed.

use std::time::Duration;

use chrono::{DateTime, Utc};
use url::Url;

/// A fetch that produced no usable response.
#[derive(Debug, Clone, thiserror::Error)]
pub enum FetchError {
    #[error("{url}: timed out after {after:?}")]
    Timeout { url: Url, after: Duration },

    #[error("{url}: body larger than the {limit}-byte limit (counted after decompression)")]
    BodyTooLarge { url: Url, limit: u64 },

    #[error("{url}: more than {limit} redirects")]
    TooManyRedirects { url: Url, limit: usize },

    #[error("{url}: redirect loop (this URL was already visited)")]
    RedirectLoop { url: Url },

    #[error("{url}: unusable redirect: {reason}")]
    BadRedirect { url: Url, reason: String },

    #[error("{url}: HTTP {code}{}", retry_after_note(.retry_after))]
    Status {
        url: Url,
        code: u16,
        /// How long the server asked us to wait (`Retry-After`), already
        /// converted from either of its two forms.
        retry_after: Option<Duration>,
    },

    #[error("{url}: HTTP 410 Gone")]
    Gone { url: Url },

    /// Not sent: the host told us (through `Retry-After`, with host scope)
    /// not to come back before `until`.
    #[error("{url}: host asked us to wait until {until}")]
    HostBackoff { url: Url, until: DateTime<Utc> },

    #[error("{url}: {message}")]
    Network { url: Url, message: String },

    #[error("{url}: cannot build the request: {reason}")]
    InvalidRequest { url: Url, reason: String },
}

fn retry_after_note(retry_after: &Option<Duration>) -> String {
    match retry_after {
        Some(wait) => format!(" (Retry-After {}s)", wait.as_secs()),
        None => String::new(),
    }
}

impl FetchError {
    /// The URL the failure happened at (after any redirects followed).
    pub fn url(&self) -> &Url {
        match self {
            FetchError::Timeout { url, .. }
            | FetchError::BodyTooLarge { url, .. }
            | FetchError::TooManyRedirects { url, .. }
            | FetchError::RedirectLoop { url }
            | FetchError::BadRedirect { url, .. }
            | FetchError::Status { url, .. }
            | FetchError::Gone { url }
            | FetchError::HostBackoff { url, .. }
            | FetchError::Network { url, .. }
            | FetchError::InvalidRequest { url, .. } => url,
        }
    }

    /// The HTTP status behind the failure, when the server answered at all.
    pub fn status(&self) -> Option<u16> {
        match self {
            FetchError::Status { code, .. } => Some(*code),
            FetchError::Gone { .. } => Some(410),
            _ => None,
        }
    }

    /// Turns a reqwest error into ours. reqwest's own top line ("error
    /// sending request for url (…)") says little and repeats the URL; the
    /// innermost cause says what happened, and the kind says where.
    pub(crate) fn from_reqwest(url: &Url, err: &reqwest::Error, timeout: Duration) -> FetchError {
        if err.is_timeout() {
            return FetchError::Timeout {
                url: url.clone(),
                after: timeout,
            };
        }
        let mut causes: Vec<String> = Vec::new();
        let mut source = std::error::Error::source(err);
        while let Some(cause) = source {
            causes.push(cause.to_string());
            source = cause.source();
        }
        let innermost = causes.last().cloned().unwrap_or_else(|| own_line(err));
        let host = url.host_str().unwrap_or("the host");
        let message = if err.is_connect() {
            if causes.iter().any(|c| c.starts_with("dns error")) {
                format!("cannot resolve host {host}: {innermost}")
            } else {
                let port = url.port_or_known_default().unwrap_or(0);
                format!("cannot connect to {host}:{port}: {innermost}")
            }
        } else if err.is_body() || err.is_decode() {
            format!("the response broke off or could not be decoded: {innermost}")
        } else {
            std::iter::once(own_line(err))
                .chain(causes)
                .collect::<Vec<_>>()
                .join(": ")
        };
        FetchError::Network {
            url: url.clone(),
            message,
        }
    }
}

/// The error's own line, without the "for url (…)" the caller prints.
fn own_line(err: &reqwest::Error) -> String {
    let text = err.to_string();
    match text.split_once(" for url (") {
        Some((head, _)) => head.to_owned(),
        None => text,
    }
}

/// The HTTP client could not be set up (TLS roots, resolver).
#[derive(Debug, thiserror::Error)]
#[error("cannot set up the HTTP client: {0}")]
pub struct ClientSetupError(pub String);
