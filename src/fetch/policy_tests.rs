use std::time::Duration;

use bytes::Bytes;
use chrono::{DateTime, Utc};
use url::Url;

use super::*;
use crate::fetch::{CacheHints, Fetched, NotModified, Validators};

const MINUTE: Duration = Duration::from_secs(60);

fn schedule() -> Schedule {
    Schedule {
        interval: 10 * MINUTE,
        max_interval: 120 * MINUTE,
        max_backoff: 60 * MINUTE,
    }
}

fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2024-04-01T12:00:00Z")
        .expect("fixed time")
        .with_timezone(&Utc)
}

fn url(text: &str) -> Url {
    Url::parse(text).expect("test url")
}

fn fetched(body: &str, permanent_redirect: Option<&str>) -> FetchResponse {
    FetchResponse::Fetched(Fetched {
        final_url: url("http://a.test/feed"),
        status: 200,
        body: Bytes::from(body.to_owned()),
        content_type: Some("application/rss+xml".into()),
        validators: Validators {
            etag: Some("\"v1\"".into()),
            last_modified: None,
        },
        cache: CacheHints::default(),
        permanent_redirect: permanent_redirect.map(url),
    })
}

fn wait_of(state: &FeedState) -> Duration {
    (state.next_poll - now())
        .to_std()
        .expect("next poll in the future")
}

fn rng() -> fastrand::Rng {
    fastrand::Rng::with_seed(7)
}

#[test]
fn success_wait_is_the_longest_hint_capped() {
    let s = schedule();
    assert_eq!(s.after_success(None, None), 10 * MINUTE);
    assert_eq!(
        s.after_success(Some(30 * MINUTE), Some(20 * MINUTE)),
        30 * MINUTE
    );
    assert_eq!(s.after_success(None, Some(5 * MINUTE)), 10 * MINUTE);
    assert_eq!(s.after_success(Some(1000 * MINUTE), None), 120 * MINUTE);
}

#[test]
fn backoff_doubles_up_to_the_cap_and_never_overflows() {
    let s = schedule();
    let waits: Vec<_> = (1..=6).map(|n| s.backoff(n) / 60).collect();
    assert_eq!(waits, [10, 20, 40, 60, 60, 60].map(Duration::from_secs));
    assert_eq!(s.backoff(u32::MAX), 60 * MINUTE);
}

#[test]
fn spread_stays_within_ten_percent_and_under_the_cap() {
    let mut rng = rng();
    for _ in 0..1000 {
        let up = spread(10 * MINUTE, 120 * MINUTE, &mut rng);
        assert!(up >= 10 * MINUTE && up <= 11 * MINUTE, "{up:?}");
        let capped = spread(120 * MINUTE, 120 * MINUTE, &mut rng);
        assert!(
            capped >= 108 * MINUTE && capped <= 120 * MINUTE,
            "{capped:?}"
        );
    }
}

#[test]
fn permanent_redirect_needs_two_polls_in_a_row() {
    let s = schedule();
    let start = FeedState::new("http://a.test/feed", now());
    let once = after_fetch(
        &start,
        &Ok(fetched("x", Some("http://b.test/feed"))),
        &s,
        now(),
        &mut rng(),
    );
    assert_eq!(once.effective_url, None);
    assert_eq!(once.pending_redirect.as_deref(), Some("http://b.test/feed"));
    let interrupted = after_fetch(&once, &Ok(fetched("x", None)), &s, now(), &mut rng());
    assert_eq!(interrupted.pending_redirect, None);
    let twice = after_fetch(
        &once,
        &Ok(fetched("x", Some("http://b.test/feed"))),
        &s,
        now(),
        &mut rng(),
    );
    assert_eq!(twice.effective_url.as_deref(), Some("http://b.test/feed"));
    assert_eq!(twice.request_url(), "http://b.test/feed");
}

#[test]
fn same_body_again_counts_as_not_modified() {
    let s = schedule();
    let start = FeedState::new("http://a.test/feed", now());
    let first = after_fetch(&start, &Ok(fetched("same", None)), &s, now(), &mut rng());
    assert_eq!(first.status, FeedStatus::Ok);
    let second = after_fetch(&first, &Ok(fetched("same", None)), &s, now(), &mut rng());
    assert_eq!(second.status, FeedStatus::NotModified);
    let third = after_fetch(
        &second,
        &Ok(fetched("changed", None)),
        &s,
        now(),
        &mut rng(),
    );
    assert_eq!(third.status, FeedStatus::Ok);
}

#[test]
fn not_modified_keeps_validators_it_does_not_repeat() {
    let s = schedule();
    let mut start = FeedState::new("http://a.test/feed", now());
    start.etag = Some("\"v1\"".into());
    start.last_modified = Some("Mon, 01 Apr 2024 10:00:00 GMT".into());
    let response = FetchResponse::NotModified(NotModified {
        final_url: url("http://a.test/feed"),
        validators: Validators {
            etag: Some("\"v2\"".into()),
            last_modified: None,
        },
        cache: CacheHints {
            max_age: Some(30 * MINUTE),
            expires_in: None,
        },
        permanent_redirect: None,
    });
    let next = after_fetch(&start, &Ok(response), &s, now(), &mut rng());
    assert_eq!(next.status, FeedStatus::NotModified);
    assert_eq!(next.etag.as_deref(), Some("\"v2\""));
    assert_eq!(next.last_modified, start.last_modified);
    let wait = wait_of(&next);
    assert!(wait >= 30 * MINUTE && wait <= 33 * MINUTE, "{wait:?}");
}

#[test]
fn retry_after_is_honoured_but_never_below_backoff() {
    let s = schedule();
    let start = FeedState::new("http://a.test/feed", now());
    let asked = |secs| {
        Err(FetchError::Status {
            url: url("http://a.test/feed"),
            code: 429,
            retry_after: Some(Duration::from_secs(secs)),
        })
    };
    let long = after_fetch(&start, &asked(45 * 60), &s, now(), &mut rng());
    assert_eq!(wait_of(&long), 45 * MINUTE);
    assert!(matches!(long.status, FeedStatus::BackingOff { until, .. } if until == long.next_poll));
    let zero = after_fetch(&start, &asked(0), &s, now(), &mut rng());
    assert!(
        wait_of(&zero) >= 9 * MINUTE,
        "Retry-After: 0 must not cause a tight loop"
    );
    let absurd = after_fetch(&start, &asked(u64::MAX / 4), &s, now(), &mut rng());
    assert_eq!(wait_of(&absurd), 120 * MINUTE);
}

#[test]
fn parse_failure_drops_validators_and_grows_backoff() {
    let s = schedule();
    let mut state = FeedState::new("http://a.test/feed", now());
    let mut waits = Vec::new();
    for _ in 0..3 {
        let fetched_ok = after_fetch(&state, &Ok(fetched("<rss", None)), &s, now(), &mut rng());
        state = after_unusable_body(
            &fetched_ok,
            state.consecutive_failures,
            "bad XML",
            &s,
            now(),
            &mut rng(),
        );
        assert_eq!(state.etag, None);
        assert_eq!(state.body_digest, None);
        waits.push(wait_of(&state));
    }
    assert_eq!(state.consecutive_failures, 3);
    assert!(waits[0] < waits[1] && waits[1] < waits[2], "{waits:?}");
}

#[test]
fn ttl_pushes_the_next_poll_back_and_is_remembered() {
    let s = schedule();
    let start = FeedState::new("http://a.test/feed", now());
    let polled = after_fetch(&start, &Ok(fetched("x", None)), &s, now(), &mut rng());
    let with = with_ttl(&polled, Some(60 * MINUTE), &s, &mut rng());
    assert_eq!(with.ttl_secs, Some(3600));
    assert!(wait_of(&with) >= 60 * MINUTE);
    let again = after_fetch(&with, &Ok(fetched("x", None)), &s, now(), &mut rng());
    assert!(
        wait_of(&again) >= 60 * MINUTE,
        "a later poll still honours the ttl"
    );
}

fn moved_feed() -> FeedState {
    FeedState {
        effective_url: Some("http://b.test/feed".into()),
        etag: Some("\"b1\"".into()),
        ..FeedState::new("http://a.test/feed", now())
    }
}

fn failure_at_moved_url(code: u16) -> Result<FetchResponse, FetchError> {
    Err(FetchError::Status {
        url: url("http://b.test/feed"),
        code,
        retry_after: None,
    })
}

#[test]
fn a_moved_feed_whose_new_address_is_missing_goes_back_to_its_configured_url() {
    let after = after_fetch(
        &moved_feed(),
        &failure_at_moved_url(404),
        &schedule(),
        now(),
        &mut rng(),
    );
    assert_eq!(after.effective_url, None);
    assert_eq!(after.request_url(), "http://a.test/feed");
    assert_eq!(
        after.etag, None,
        "validators of the new address are dropped"
    );
    let reason = after.error.expect("the failure is recorded");
    assert!(reason.contains("http://b.test/feed"), "{reason}");
    assert!(
        reason.contains("configured URL http://a.test/feed"),
        "{reason}"
    );
    let gone = after_fetch(
        &moved_feed(),
        &Err(FetchError::Gone {
            url: url("http://b.test/feed"),
        }),
        &schedule(),
        now(),
        &mut rng(),
    );
    assert_eq!(gone.request_url(), "http://a.test/feed");
    assert!(
        wait_of(&gone) <= schedule().interval + schedule().interval / 10,
        "a gone new address is not a retired feed: {:?}",
        wait_of(&gone)
    );
}

#[test]
fn a_moved_feed_keeps_its_new_address_through_brief_trouble() {
    let s = schedule();
    let mut state = moved_feed();
    for _ in 1..MOVED_URL_FAILURES {
        state = after_fetch(&state, &failure_at_moved_url(500), &s, now(), &mut rng());
        assert_eq!(state.request_url(), "http://b.test/feed");
    }
    let busy = after_fetch(&state, &failure_at_moved_url(503), &s, now(), &mut rng());
    assert_eq!(busy.request_url(), "http://b.test/feed", "busy is not gone");
    let failing = after_fetch(&state, &failure_at_moved_url(500), &s, now(), &mut rng());
    assert_eq!(failing.request_url(), "http://a.test/feed");
}
