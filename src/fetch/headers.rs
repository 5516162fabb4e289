//! Reading the response headers that steer polling: validators for
//! conditional requests, freshness (`Cache-Control`, `Expires`, `Age`) and
//! `Retry-After`.

use std::time::{Duration, SystemTime};

use reqwest::header::{
    HeaderMap, AGE, CACHE_CONTROL, DATE, ETAG, EXPIRES, LAST_MODIFIED, RETRY_AFTER,
};
use serde::{Deserialize, Serialize};

/// What identifies the version of a resource we already have. Both are kept
/// verbatim: servers compare them as strings, so reformatting a date would
/// turn every conditional request into a full download.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Validators {
    pub etag: Option<String>,
    pub last_modified: Option<String>,
}

impl Validators {
    pub(crate) fn from_headers(headers: &HeaderMap) -> Validators {
        Validators {
            etag: header_text(headers, ETAG),
            last_modified: header_text(headers, LAST_MODIFIED),
        }
    }

    /// A 304 may refresh either validator; one it leaves out stays as it was.
    pub fn refreshed_by(&self, newer: &Validators) -> Validators {
        Validators {
            etag: newer.etag.clone().or_else(|| self.etag.clone()),
            last_modified: newer
                .last_modified
                .clone()
                .or_else(|| self.last_modified.clone()),
        }
    }
}

/// How long the server says its answer stays fresh.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CacheHints {
    /// `Cache-Control: max-age`, less the `Age` the response already had.
    pub max_age: Option<Duration>,
    /// `Expires`, as a delay. Measured against the server's own `Date`
    /// when it sends one, so a skewed clock on either side does not matter.
    pub expires_in: Option<Duration>,
}

impl CacheHints {
    pub(crate) fn from_headers(headers: &HeaderMap) -> CacheHints {
        let directives = header_text(headers, CACHE_CONTROL).unwrap_or_default();
        let mut max_age = None;
        for directive in directives.split(',').map(str::trim) {
            let lower = directive.to_ascii_lowercase();
            if lower == "no-store" || lower == "no-cache" {
                return CacheHints::default();
            }
            if let Some(value) = lower.strip_prefix("max-age=") {
                max_age = value.trim_matches('"').parse::<u64>().ok();
            }
        }
        let age = header_text(headers, AGE)
            .and_then(|a| a.parse::<u64>().ok())
            .unwrap_or(0);
        let expires_in = header_text(headers, EXPIRES)
            .and_then(|text| httpdate::parse_http_date(&text).ok())
            .and_then(|expires| expires.duration_since(server_now(headers)).ok());
        CacheHints {
            max_age: max_age.map(|secs| Duration::from_secs(secs.saturating_sub(age))),
            expires_in,
        }
    }

    /// The freshness lifetime: `max-age` overrides `Expires` (RFC 9111 §4.2.1).
    pub fn freshness(&self) -> Option<Duration> {
        self.max_age.or(self.expires_in)
    }
}

/// Parses `Retry-After` in both forms: delay-seconds, or an HTTP-date
/// (measured against the server's `Date`, like `Expires`). A date already
/// past means "now".
pub(crate) fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let text = header_text(headers, RETRY_AFTER)?;
    if let Ok(secs) = text.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let when = httpdate::parse_http_date(&text).ok()?;
    Some(
        when.duration_since(server_now(headers))
            .unwrap_or(Duration::ZERO),
    )
}

fn server_now(headers: &HeaderMap) -> SystemTime {
    header_text(headers, DATE)
        .and_then(|text| httpdate::parse_http_date(&text).ok())
        .unwrap_or_else(SystemTime::now)
}

fn header_text(headers: &HeaderMap, name: reqwest::header::HeaderName) -> Option<String> {
    headers
        .get(name)?
        .to_str()
        .ok()
        .map(|v| v.trim().to_owned())
        .filter(|v| !v.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(*name, HeaderValue::from_str(value).expect("test header"));
        }
        map
    }

    #[test]
    fn retry_after_seconds_and_date() {
        assert_eq!(
            retry_after(&headers(&[("retry-after", "120")])),
            Some(Duration::from_secs(120))
        );
        let dated = headers(&[
            ("date", "Wed, 21 Oct 2015 07:28:00 GMT"),
            ("retry-after", "Wed, 21 Oct 2015 07:30:30 GMT"),
        ]);
        assert_eq!(retry_after(&dated), Some(Duration::from_secs(150)));
        let past = headers(&[
            ("date", "Wed, 21 Oct 2015 07:28:00 GMT"),
            ("retry-after", "Wed, 21 Oct 2015 07:00:00 GMT"),
        ]);
        assert_eq!(retry_after(&past), Some(Duration::ZERO));
        assert_eq!(retry_after(&headers(&[("retry-after", "soon")])), None);
    }

    #[test]
    fn max_age_beats_expires_and_counts_age() {
        let hints = CacheHints::from_headers(&headers(&[
            ("cache-control", "public, max-age=600"),
            ("age", "100"),
            ("date", "Wed, 21 Oct 2015 07:28:00 GMT"),
            ("expires", "Wed, 21 Oct 2015 09:28:00 GMT"),
        ]));
        assert_eq!(hints.max_age, Some(Duration::from_secs(500)));
        assert_eq!(hints.expires_in, Some(Duration::from_secs(7200)));
        assert_eq!(hints.freshness(), Some(Duration::from_secs(500)));
    }

    #[test]
    fn no_store_and_bad_expires_give_no_hint() {
        let hints =
            CacheHints::from_headers(&headers(&[("cache-control", "no-store, max-age=600")]));
        assert_eq!(hints.freshness(), None);
        let hints = CacheHints::from_headers(&headers(&[("expires", "0")]));
        assert_eq!(hints.freshness(), None);
    }

    #[test]
    fn validators_refresh_keeps_what_a_304_omits() {
        let old = Validators {
            etag: Some("\"a\"".into()),
            last_modified: Some("Wed, 21 Oct 2015 07:28:00 GMT".into()),
        };
        let newer = Validators {
            etag: Some("\"b\"".into()),
            last_modified: None,
        };
        let merged = old.refreshed_by(&newer);
        assert_eq!(merged.etag.as_deref(), Some("\"b\""));
        assert_eq!(merged.last_modified, old.last_modified);
    }
}
