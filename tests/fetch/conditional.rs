//! Conditional GET, freshness hints, identity, and bodies passed through.

use std::time::Duration;

use storywatch::fetch::{FeedState, FeedStatus, FetchRequest, FetchResponse};
use url::Url;

use super::*;
use crate::support::http::{Reply, TestServer, STATIC_LAST_MODIFIED};

#[tokio::test]
async fn etag_and_last_modified_round_trip_into_304() {
    let server = TestServer::start();
    server.serve_static("/feed.xml", "application/rss+xml", RSS);
    let fetcher = fetcher();
    let feed = feed(&server.url("/feed.xml"));

    let (first, _) = poll(&fetcher, &feed, &FeedState::new(&feed.url, Utc::now())).await;
    assert_eq!(first.state.status, FeedStatus::Ok);
    assert_eq!(first.state.last_status, Some(200));
    let body = first
        .body
        .as_ref()
        .expect("new content is handed over for parsing");
    assert_eq!(body.bytes.as_ref(), RSS.as_bytes());
    let etag = first.state.etag.clone().expect("ETag remembered");
    assert_eq!(
        first.state.last_modified.as_deref(),
        Some(STATIC_LAST_MODIFIED)
    );

    let (second, now) = poll(&fetcher, &feed, &first.state).await;
    let seen = server.requests_to("/feed.xml");
    assert_eq!(seen.len(), 2);
    assert!(
        !seen[0].is_conditional(),
        "nothing to validate on the first poll"
    );
    assert_eq!(seen[1].header("if-none-match"), Some(etag.as_str()));
    assert_eq!(
        seen[1].header("if-modified-since"),
        Some(STATIC_LAST_MODIFIED)
    );
    assert_eq!(second.state.status, FeedStatus::NotModified);
    assert_eq!(second.state.last_status, Some(304));
    assert!(second.body.is_none(), "a 304 costs no parsing");
    assert_eq!(second.state.etag.as_deref(), Some(etag.as_str()));
    assert_between(wait_after(&second.state, now), INTERVAL, INTERVAL * 11 / 10);

    server.serve_static(
        "/feed.xml",
        "application/rss+xml",
        RSS.replace("One", "Two"),
    );
    let (third, _) = poll(&fetcher, &feed, &second.state).await;
    assert_eq!(
        third.state.status,
        FeedStatus::Ok,
        "changed content is fetched in full"
    );
    assert_ne!(third.state.etag.as_deref(), Some(etag.as_str()));
}

#[tokio::test]
async fn last_modified_alone_round_trips_and_a_304_refreshes_validators() {
    let server = TestServer::start();
    server.route_fn("/feed", |request, _| {
        if request.header("if-modified-since") == Some(STATIC_LAST_MODIFIED) {
            Reply::status(304).header("etag", "\"added-later\"")
        } else {
            Reply::ok("application/rss+xml", RSS).header("last-modified", STATIC_LAST_MODIFIED)
        }
    });
    let fetcher = fetcher();
    let feed = feed(&server.url("/feed"));
    let (first, _) = poll(&fetcher, &feed, &FeedState::new(&feed.url, Utc::now())).await;
    assert_eq!(first.state.etag, None);
    let (second, _) = poll(&fetcher, &feed, &first.state).await;
    let seen = server.requests_to("/feed");
    assert_eq!(
        seen[1].header("if-modified-since"),
        Some(STATIC_LAST_MODIFIED)
    );
    assert_eq!(seen[1].header("if-none-match"), None);
    assert_eq!(second.state.status, FeedStatus::NotModified);
    assert_eq!(second.state.etag.as_deref(), Some("\"added-later\""));
    assert_eq!(
        second.state.last_modified.as_deref(),
        Some(STATIC_LAST_MODIFIED)
    );
    let (_, _) = poll(&fetcher, &feed, &second.state).await;
    assert_eq!(
        server.requests_to("/feed")[2].header("if-none-match"),
        Some("\"added-later\"")
    );
}

#[tokio::test]
async fn max_age_expires_and_ttl_stretch_the_interval_up_to_the_cap() {
    let server = TestServer::start();
    server.route(
        "/max-age",
        Reply::ok("application/rss+xml", RSS).header("cache-control", "max-age=7200"),
    );
    server.route(
        "/expires",
        Reply::ok("application/rss+xml", RSS)
            .header("date", "Mon, 01 Apr 2024 10:00:00 GMT")
            .header("expires", "Mon, 01 Apr 2024 10:30:00 GMT"),
    );
    server.route(
        "/forever",
        Reply::ok("application/rss+xml", RSS).header("cache-control", "max-age=31536000"),
    );
    server.route("/plain", Reply::ok("application/rss+xml", RSS));
    let fetcher = fetcher();
    let hour = Duration::from_secs(3600);

    let max_age = feed(&server.url("/max-age"));
    let (outcome, now) = poll(
        &fetcher,
        &max_age,
        &FeedState::new(&max_age.url, Utc::now()),
    )
    .await;
    assert_between(
        wait_after(&outcome.state, now),
        2 * hour,
        2 * hour * 11 / 10,
    );

    let expires = feed(&server.url("/expires"));
    let (outcome, now) = poll(
        &fetcher,
        &expires,
        &FeedState::new(&expires.url, Utc::now()),
    )
    .await;
    let half_hour = Duration::from_secs(1800);
    assert_between(
        wait_after(&outcome.state, now),
        half_hour,
        half_hour * 11 / 10,
    );

    let forever = feed(&server.url("/forever"));
    let (outcome, now) = poll(
        &fetcher,
        &forever,
        &FeedState::new(&forever.url, Utc::now()),
    )
    .await;
    assert_between(
        wait_after(&outcome.state, now),
        MAX_INTERVAL * 9 / 10,
        MAX_INTERVAL,
    );

    // <ttl> comes from parsing, which the caller does; 240 minutes is over the cap.
    let plain = feed(&server.url("/plain"));
    let (mut outcome, now) = poll(&fetcher, &plain, &FeedState::new(&plain.url, Utc::now())).await;
    let parsed = feed_rs::parser::parse(outcome.body.as_ref().expect("body").bytes.as_ref())
        .expect("valid RSS");
    let ttl = parsed
        .ttl
        .map(|minutes| Duration::from_secs(u64::from(minutes) * 60));
    assert_eq!(ttl, Some(4 * hour));
    outcome.apply_ttl(ttl);
    assert_eq!(outcome.state.ttl_secs, Some(4 * 3600));
    assert_between(
        wait_after(&outcome.state, now),
        MAX_INTERVAL * 9 / 10,
        MAX_INTERVAL,
    );
    // The remembered ttl still applies when the next answer is not parsed.
    let (again, now) = poll(&fetcher, &plain, &outcome.state).await;
    assert_eq!(
        again.state.status,
        FeedStatus::NotModified,
        "same bytes, no validators"
    );
    assert!(again.body.is_none());
    assert_between(
        wait_after(&again.state, now),
        MAX_INTERVAL * 9 / 10,
        MAX_INTERVAL,
    );
}

#[tokio::test]
async fn invalid_xml_is_an_error_and_is_fetched_afresh_next_time() {
    let server = TestServer::start();
    let broken = "<?xml version=\"1.0\"?><rss><channel><title>Cut off</ti";
    server.serve_static("/feed.xml", "application/rss+xml", broken);
    let fetcher = fetcher();
    let feed = feed(&server.url("/feed.xml"));

    let (mut outcome, now) = poll(&fetcher, &feed, &FeedState::new(&feed.url, Utc::now())).await;
    let body = outcome.body.take().expect("new content to parse");
    let error = feed_rs::parser::parse(body.bytes.as_ref()).expect_err("broken XML");
    outcome.record_parse_error(&error.to_string());
    let state = &outcome.state;
    let FeedStatus::Error { reason } = &state.status else {
        panic!("expected an error state, got {:?}", state.status);
    };
    assert!(
        reason.contains(&feed.url) && reason.contains("not a usable feed"),
        "{reason}"
    );
    assert_eq!(state.consecutive_failures, 1);
    assert_eq!(
        (state.etag.as_ref(), state.body_digest.as_ref()),
        (None, None)
    );
    assert_between(wait_after(state, now), INTERVAL * 9 / 10, INTERVAL);

    server.serve_static("/feed.xml", "application/rss+xml", RSS);
    let (mut fixed, _) = poll(&fetcher, &feed, &outcome.state).await;
    assert!(
        !server.requests_to("/feed.xml")[1].is_conditional(),
        "broken content is not revalidated"
    );
    let parsed = feed_rs::parser::parse(fixed.body.as_ref().expect("body").bytes.as_ref())
        .expect("valid now");
    fixed.apply_ttl(parsed.ttl.map(|m| Duration::from_secs(u64::from(m) * 60)));
    assert_eq!(fixed.state.status, FeedStatus::Ok);
    assert_eq!(fixed.state.consecutive_failures, 0);
}

#[tokio::test]
async fn wrong_charset_declaration_passes_bytes_and_type_through() {
    let server = TestServer::start();
    let latin1 = b"<html><body>Caf\xe9 cr\xe8me</body></html>".to_vec();
    server.route(
        "/page",
        Reply::ok("text/html; charset=UTF-8", latin1.clone()),
    );
    let fetcher = fetcher();
    let url = Url::parse(&server.url("/page")).expect("url");
    let response = fetcher
        .fetch(FetchRequest::new(url))
        .await
        .expect("fetched");
    let FetchResponse::Fetched(page) = response else {
        panic!("expected a body");
    };
    assert_eq!(page.body.as_ref(), latin1.as_slice());
    assert_eq!(
        page.content_type.as_deref(),
        Some("text/html; charset=UTF-8")
    );
}

#[tokio::test]
async fn gzip_brotli_and_deflate_are_decoded_and_identity_and_headers_are_per_feed() {
    let server = TestServer::start();
    server.route("/zipped", Reply::ok("application/rss+xml", RSS).gzip());
    server.route("/brotli", Reply::ok("application/rss+xml", RSS).brotli());
    server.route("/deflate", Reply::ok("application/rss+xml", RSS).deflate());
    server.route("/page", Reply::ok("text/html", "<p>page</p>"));
    let fetcher = fetcher();

    for path in ["/brotli", "/deflate"] {
        let compressed = feed(&server.url(path));
        let state = FeedState::new(&compressed.url, Utc::now());
        let (outcome, _) = poll(&fetcher, &compressed, &state).await;
        assert_eq!(
            outcome.body.expect("body").bytes.as_ref(),
            RSS.as_bytes(),
            "{path} is decoded"
        );
    }

    let plain = feed(&server.url("/zipped"));
    let (outcome, _) = poll(&fetcher, &plain, &FeedState::new(&plain.url, Utc::now())).await;
    assert_eq!(outcome.body.expect("body").bytes.as_ref(), RSS.as_bytes());
    let seen = &server.requests_to("/zipped")[0];
    let encodings = seen
        .header("accept-encoding")
        .expect("Accept-Encoding sent");
    for coding in ["gzip", "br", "deflate"] {
        assert!(encodings.contains(coding), "{encodings}");
    }
    let agent = seen.header("user-agent").expect("User-Agent sent");
    assert!(
        agent.starts_with(&format!("storywatch/{} (+http", env!("CARGO_PKG_VERSION"))),
        "{agent}"
    );
    assert!(seen
        .header("accept")
        .is_some_and(|a| a.contains("application/rss+xml")));

    let custom = feed_toml(&format!(
        "url = {:?}\nuser_agent = \"EditorBot/2 (+mailto:desk@example.test)\"\n[headers]\nX-Desk = \"world\"\nAccept = \"application/atom+xml\"",
        server.url("/zipped")
    ));
    poll(&fetcher, &custom, &FeedState::new(&custom.url, Utc::now())).await;
    let seen = &server.requests_to("/zipped")[1];
    assert_eq!(
        seen.header("user-agent"),
        Some("EditorBot/2 (+mailto:desk@example.test)")
    );
    assert_eq!(seen.header("x-desk"), Some("world"));
    assert_eq!(
        seen.header("accept"),
        Some("application/atom+xml"),
        "the feed's own Accept wins"
    );

    // Pages linked from a feed go out with the same identity.
    let url = Url::parse(&server.url("/page")).expect("url");
    fetcher
        .fetch(FetchRequest::new(url).identified_as(&custom))
        .await
        .expect("page");
    let seen = &server.requests_to("/page")[0];
    assert_eq!(seen.header("x-desk"), Some("world"));
    assert_eq!(
        seen.header("user-agent"),
        Some("EditorBot/2 (+mailto:desk@example.test)")
    );
}

#[tokio::test]
async fn connections_are_kept_alive_and_reused() {
    let server = TestServer::start();
    server.serve_static("/feed.xml", "application/rss+xml", RSS);
    let fetcher = fetcher();
    let feed = feed(&server.url("/feed.xml"));
    let mut state = FeedState::new(&feed.url, Utc::now());
    for _ in 0..10 {
        state = poll(&fetcher, &feed, &state).await.0.state;
    }
    let peers: std::collections::HashSet<_> = server.requests().iter().map(|r| r.peer).collect();
    assert_eq!(server.requests().len(), 10);
    assert_eq!(peers.len(), 1, "ten polls in a row share one connection");
}
