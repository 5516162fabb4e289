//! Server refusals and hostile answers: Retry-After, backoff, 410, timeouts,
//! oversized bodies and decompression bombs.

use std::time::{Duration, Instant};

use storywatch::config::RetryAfterScope;
use storywatch::fetch::{FeedState, FeedStatus, FetchError, FetchRequest, Fetcher};
use url::Url;

use super::*;
use crate::support::http::{gzip_bomb, Reply, TestServer};

fn fresh(feed: &FeedConfig) -> FeedState {
    FeedState::new(&feed.url, Utc::now())
}

#[tokio::test]
async fn too_many_requests_honours_retry_after_in_seconds_and_as_a_date() {
    let server = TestServer::start();
    server.route("/seconds", Reply::status(429).header("retry-after", "900"));
    server.route(
        "/date",
        Reply::status(429)
            .header("date", "Mon, 01 Apr 2024 10:00:00 GMT")
            .header("retry-after", "Mon, 01 Apr 2024 10:20:00 GMT"),
    );
    let fetcher = fetcher();
    for (path, wait) in [("/seconds", 900), ("/date", 1200)] {
        let feed = feed(&server.url(path));
        let (outcome, now) = poll(&fetcher, &feed, &fresh(&feed)).await;
        let state = outcome.state;
        assert_eq!(state.last_status, Some(429));
        assert_eq!(wait_after(&state, now), Duration::from_secs(wait), "{path}");
        let FeedStatus::BackingOff { until, reason } = &state.status else {
            panic!("{path}: expected backing off, got {:?}", state.status);
        };
        assert_eq!(*until, state.next_poll);
        assert!(
            reason.contains("429") && reason.contains(&feed.url),
            "{reason}"
        );
        assert_eq!(state.held_back_until(now), Some(*until));
        assert_eq!(server.requests_to(path).len(), 1);
    }
}

#[tokio::test]
async fn unavailable_without_retry_after_backs_off_and_with_host_scope_holds_the_whole_host() {
    let server = TestServer::start();
    server.route("/plain-503", Reply::status(503));
    server.route("/busy", Reply::status(503).header("retry-after", "1"));
    server.route("/sibling", Reply::ok("application/rss+xml", RSS));
    let plain = feed(&server.url("/plain-503"));
    let (outcome, now) = poll(&fetcher(), &plain, &fresh(&plain)).await;
    assert!(matches!(outcome.state.status, FeedStatus::Error { .. }));
    assert_between(wait_after(&outcome.state, now), INTERVAL * 9 / 10, INTERVAL);

    let fetcher = Fetcher::new(&FetchConfig {
        retry_after_scope: RetryAfterScope::Host,
        ..config()
    })
    .expect("client");
    let busy = feed(&server.url("/busy"));
    let (outcome, _) = poll(&fetcher, &busy, &fresh(&busy)).await;
    assert!(matches!(
        outcome.state.status,
        FeedStatus::BackingOff { .. }
    ));

    // Another feed and a page on the same host are held back without a request.
    let sibling = feed(&server.url("/sibling"));
    let (held, now) = poll(&fetcher, &sibling, &fresh(&sibling)).await;
    let FeedStatus::BackingOff { until, reason } = &held.state.status else {
        panic!("expected backing off, got {:?}", held.state.status);
    };
    assert!(reason.contains("host"), "{reason}");
    assert!(*until > now && *until <= now + chrono::Duration::milliseconds(1200));
    assert_eq!(
        held.state.consecutive_failures, 0,
        "nothing was sent, nothing failed"
    );
    let page = Url::parse(&server.url("/sibling")).expect("url");
    let refused = fetcher.fetch(FetchRequest::new(page.clone())).await;
    assert!(
        matches!(refused, Err(FetchError::HostBackoff { .. })),
        "{refused:?}"
    );
    assert!(server.requests_to("/sibling").is_empty());

    tokio::time::sleep(Duration::from_millis(1100)).await;
    let (later, _) = poll(&fetcher, &sibling, &held.state).await;
    assert_eq!(
        later.state.status,
        FeedStatus::Ok,
        "the host is open again after Retry-After"
    );
    assert_eq!(server.requests_to("/sibling").len(), 1);
}

#[tokio::test]
async fn server_errors_back_off_growing_then_recover() {
    let server = TestServer::start();
    let mut replies = vec![Reply::status(500); 5];
    replies.push(Reply::ok("application/rss+xml", RSS));
    server.route_sequence("/flaky", replies);
    let fetcher = fetcher();
    let feed = feed(&server.url("/flaky"));
    let mut state = fresh(&feed);
    let mut waits = Vec::new();
    for attempt in 1..=5 {
        let (outcome, now) = poll(&fetcher, &feed, &state).await;
        state = outcome.state;
        assert_eq!(state.consecutive_failures, attempt);
        assert_eq!(state.last_status, Some(500));
        assert!(
            matches!(&state.status, FeedStatus::Error { reason } if reason.contains("HTTP 500"))
        );
        waits.push(wait_after(&state, now));
    }
    // 60 s doubling, capped at 600 s, each up to 10% below for spread.
    for (wait, full) in waits.iter().zip([60, 120, 240, 480, 600]) {
        assert_between(
            *wait,
            Duration::from_secs(full) * 9 / 10,
            Duration::from_secs(full),
        );
    }
    let (outcome, now) = poll(&fetcher, &feed, &state).await;
    assert_eq!(outcome.state.status, FeedStatus::Ok);
    assert_eq!(
        (
            outcome.state.consecutive_failures,
            outcome.state.error.as_ref()
        ),
        (0, None)
    );
    assert_between(
        wait_after(&outcome.state, now),
        INTERVAL,
        INTERVAL * 11 / 10,
    );
    assert_eq!(server.requests_to("/flaky").len(), 6);
}

#[tokio::test]
async fn gone_retires_the_feed_with_a_clear_state() {
    let server = TestServer::start();
    server.route("/gone", Reply::status(410));
    let feed = feed(&server.url("/gone"));
    let (outcome, now) = poll(&fetcher(), &feed, &fresh(&feed)).await;
    let FeedStatus::Retired { reason } = &outcome.state.status else {
        panic!("expected retired, got {:?}", outcome.state.status);
    };
    assert!(
        reason.contains("410") && reason.contains(&feed.url),
        "{reason}"
    );
    assert_eq!(
        outcome.state.status.to_string(),
        format!("retired: {reason}")
    );
    assert_eq!(outcome.state.last_status, Some(410));
    assert_between(
        wait_after(&outcome.state, now),
        MAX_INTERVAL * 9 / 10,
        MAX_INTERVAL,
    );
}

#[tokio::test]
async fn slow_or_stalled_servers_time_out() {
    let server = TestServer::start();
    server.route(
        "/slow",
        Reply::ok("text/xml", RSS).delay(Duration::from_secs(10)),
    );
    server.route("/stall", Reply::status(200).stall_after("<rss><channel>"));
    let fetcher = fetcher();
    for path in ["/slow", "/stall"] {
        let feed = feed(&server.url(path));
        let started = Instant::now();
        let (outcome, _) = poll(&fetcher, &feed, &fresh(&feed)).await;
        let took = started.elapsed();
        assert!(
            took >= config().timeout && took < config().timeout * 3,
            "{path}: {took:?}"
        );
        let reason = outcome.state.error.expect("error recorded");
        assert!(
            reason.contains("timed out") && reason.contains(path),
            "{reason}"
        );
        assert_eq!(server.requests_to(path).len(), 1);
    }
}

#[tokio::test]
async fn bodies_over_the_cap_are_refused_announced_streamed_or_compressed() {
    let server = TestServer::start();
    let cap = usize::try_from(BODY_CAP).expect("small cap");
    server.route("/announced", Reply::ok("text/xml", vec![b'x'; cap + 1]));
    server.route("/streamed", Reply::status(200).zeros(64 * BODY_CAP));
    server.route(
        "/bomb",
        Reply::ok("application/rss+xml", gzip_bomb(64 * cap)).header("content-encoding", "gzip"),
    );
    server.route("/at-cap", Reply::ok("text/xml", vec![b'x'; cap]).gzip());
    let fetcher = fetcher();
    for path in ["/announced", "/streamed", "/bomb"] {
        let url = Url::parse(&server.url(path)).expect("url");
        let started = Instant::now();
        let result = fetcher.fetch(FetchRequest::new(url)).await;
        assert!(
            matches!(&result, Err(FetchError::BodyTooLarge { limit, url }) if *limit == BODY_CAP && url.path() == path),
            "{path}: {result:?}"
        );
        assert!(
            started.elapsed() < Duration::from_secs(2),
            "{path} stopped early"
        );
    }
    let url = Url::parse(&server.url("/at-cap")).expect("url");
    assert!(
        fetcher.fetch(FetchRequest::new(url)).await.is_ok(),
        "exactly the cap is allowed"
    );

    let feed = feed(&server.url("/bomb"));
    let (outcome, _) = poll(&fetcher, &feed, &fresh(&feed)).await;
    assert!(outcome.body.is_none());
    let reason = outcome.state.error.expect("error recorded");
    assert!(
        reason.contains("larger than the 1048576-byte limit"),
        "{reason}"
    );
}

#[tokio::test]
async fn a_server_that_is_not_there_is_an_error_naming_the_url() {
    let closed = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let address = closed.local_addr().expect("addr");
    let url = format!("http://{address}/feed.xml");
    drop(closed);
    let feed = feed(&url);
    let (outcome, now) = poll(&fetcher(), &feed, &fresh(&feed)).await;
    let FeedStatus::Error { reason } = &outcome.state.status else {
        panic!("expected an error, got {:?}", outcome.state.status);
    };
    assert!(
        reason.starts_with(&format!("{url}: cannot connect to {address}: ")),
        "{reason}"
    );
    assert!(!reason.contains("error sending request"), "{reason}");
    assert_eq!(outcome.state.last_status, None);
    assert_between(wait_after(&outcome.state, now), INTERVAL * 9 / 10, INTERVAL);
}
