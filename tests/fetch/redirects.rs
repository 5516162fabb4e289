//! Permanent moves are saved once confirmed, temporary ones never; loops and
//! long chains stop.

use std::net::{IpAddr, Ipv4Addr};

use storywatch::fetch::{FeedState, FeedStatus, FetchError, FetchRequest};
use url::Url;

use super::*;
use crate::support::http::{Reply, TestServer};

#[tokio::test]
async fn permanent_redirect_is_saved_once_confirmed() {
    let server = TestServer::start();
    server.route("/old", Reply::redirect(301, "/new"));
    server.route("/old-308", Reply::redirect(308, &server.url("/new")));
    server.serve_static("/new", "application/rss+xml", RSS);
    let fetcher = fetcher();
    for old in ["/old", "/old-308"] {
        let feed = feed(&server.url(old));
        let (first, _) = poll(&fetcher, &feed, &FeedState::new(&feed.url, Utc::now())).await;
        assert_eq!(first.state.status, FeedStatus::Ok);
        assert_eq!(first.body.as_ref().expect("body").url.path(), "/new");
        assert_eq!(
            first.state.effective_url, None,
            "{old}: one 301 is not yet proof"
        );
        let (second, _) = poll(&fetcher, &feed, &first.state).await;
        assert_eq!(
            second.state.effective_url.as_deref(),
            Some(server.url("/new").as_str())
        );
        assert_eq!(
            second.state.status,
            FeedStatus::NotModified,
            "validators followed the move"
        );
        let (third, _) = poll(&fetcher, &feed, &second.state).await;
        assert_eq!(third.state.status, FeedStatus::NotModified);
        assert_eq!(
            third.state.url, feed.url,
            "the configured URL is kept alongside"
        );
        assert_eq!(
            server.requests_to(old).len(),
            2,
            "{old}: the third poll goes straight to the new URL"
        );
    }
}

#[tokio::test]
async fn a_moved_feed_goes_back_to_its_configured_url_when_the_new_one_disappears() {
    let server = TestServer::start();
    server.route("/old", Reply::redirect(301, "/new"));
    server.route_sequence(
        "/new",
        vec![
            Reply::ok("application/rss+xml", RSS),
            Reply::ok("application/rss+xml", RSS),
            Reply::status(404),
        ],
    );
    let fetcher = fetcher();
    let feed = feed(&server.url("/old"));
    let mut state = FeedState::new(&feed.url, Utc::now());
    for _ in 0..2 {
        state = poll(&fetcher, &feed, &state).await.0.state;
    }
    assert_eq!(
        state.effective_url.as_deref(),
        Some(server.url("/new").as_str())
    );
    let (failed, _) = poll(&fetcher, &feed, &state).await;
    let reason = failed.state.error.clone().expect("the 404 is recorded");
    assert!(
        reason.contains("/new: HTTP 404") && reason.contains("configured URL"),
        "{reason}"
    );
    assert_eq!(failed.state.request_url(), feed.url);
    server.route("/old", Reply::ok("application/rss+xml", RSS));
    let (back, _) = poll(&fetcher, &feed, &failed.state).await;
    assert_eq!(back.state.status, FeedStatus::Ok);
    assert_eq!(server.requests_to("/old").len(), 3);
}

#[tokio::test]
async fn temporary_redirects_are_followed_but_not_saved() {
    let server = TestServer::start();
    server.route("/feed", Reply::redirect(302, "/today"));
    server.route("/feed-307", Reply::redirect(307, "/feed"));
    server.route("/moved-then-temp", Reply::redirect(301, "/feed"));
    server.serve_static("/today", "application/rss+xml", RSS);
    let fetcher = fetcher();
    for start in ["/feed", "/feed-307"] {
        let feed = feed(&server.url(start));
        let mut state = FeedState::new(&feed.url, Utc::now());
        for _ in 0..3 {
            let (outcome, _) = poll(&fetcher, &feed, &state).await;
            state = outcome.state;
            assert_eq!(
                (
                    state.effective_url.as_ref(),
                    state.pending_redirect.as_ref()
                ),
                (None, None)
            );
        }
        assert_eq!(
            server.requests_to(start).len(),
            3,
            "{start} is asked every time"
        );
    }
    // A permanent move to a URL that itself redirects temporarily saves only the permanent part.
    let feed = feed(&server.url("/moved-then-temp"));
    let (first, _) = poll(&fetcher, &feed, &FeedState::new(&feed.url, Utc::now())).await;
    let (second, _) = poll(&fetcher, &feed, &first.state).await;
    assert_eq!(
        second.state.effective_url.as_deref(),
        Some(server.url("/feed").as_str())
    );
}

#[tokio::test]
async fn redirect_loops_and_long_chains_stop() {
    let server = TestServer::start();
    server.route("/a", Reply::redirect(302, "/b"));
    server.route("/b", Reply::redirect(301, "/a"));
    for hop in 0..10 {
        server.route(
            &format!("/r{hop}"),
            Reply::redirect(302, &format!("/r{}", hop + 1)),
        );
    }
    let fetcher = fetcher();
    let looping = feed(&server.url("/a"));
    let (outcome, _) = poll(
        &fetcher,
        &looping,
        &FeedState::new(&looping.url, Utc::now()),
    )
    .await;
    let reason = outcome.state.error.expect("error");
    assert!(
        reason.contains("redirect loop") && reason.contains("/a"),
        "{reason}"
    );
    assert_eq!(
        (
            server.requests_to("/a").len(),
            server.requests_to("/b").len()
        ),
        (1, 1)
    );

    let url = Url::parse(&server.url("/r0")).expect("url");
    let result = fetcher.fetch(FetchRequest::new(url)).await;
    assert!(
        matches!(result, Err(FetchError::TooManyRedirects { limit: 5, .. })),
        "{result:?}"
    );
    assert_eq!(
        server.requests().len(),
        2 + 6,
        "the start and five redirects, no more"
    );
}

#[tokio::test]
async fn credentials_do_not_follow_a_redirect_to_another_host() {
    let elsewhere = TestServer::start_on(IpAddr::V4(Ipv4Addr::new(127, 0, 0, 2)));
    elsewhere.serve_static("/feed", "application/rss+xml", RSS);
    let origin = TestServer::start();
    origin.route("/feed", Reply::redirect(302, &elsewhere.url("/feed")));
    let feed = feed_toml(&format!(
        "url = {:?}\n[headers]\nAuthorization = \"Bearer secret\"\nX-Desk = \"world\"",
        origin.url("/feed")
    ));
    let (outcome, _) = poll(&fetcher(), &feed, &FeedState::new(&feed.url, Utc::now())).await;
    assert_eq!(outcome.state.status, FeedStatus::Ok);
    assert_eq!(
        origin.requests()[0].header("authorization"),
        Some("Bearer secret")
    );
    let there = &elsewhere.requests()[0];
    assert_eq!(there.header("authorization"), None);
    assert_eq!(there.header("x-desk"), Some("world"));
}
