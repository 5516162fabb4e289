//! Live per-host and overall limits, spread between feeds of one host, and
//! isolation: one hostile feed never delays the healthy ones.

use std::net::{IpAddr, Ipv4Addr};
use std::sync::Arc;
use std::time::{Duration, Instant};

use storywatch::fetch::{poll_feed, FeedState, FeedStatus, FetchRequest, Fetcher};
use url::Url;

use super::*;
use crate::support::http::{Reply, TestServer};

fn loopback(last: u8) -> IpAddr {
    IpAddr::V4(Ipv4Addr::new(127, 0, 0, last))
}

async fn fetch_all(fetcher: &Fetcher, urls: Vec<String>) {
    let tasks: Vec<_> = urls
        .into_iter()
        .map(|url| {
            let fetcher = fetcher.clone();
            tokio::spawn(async move {
                let url = Url::parse(&url).expect("url");
                fetcher.fetch(FetchRequest::new(url)).await
            })
        })
        .collect();
    for task in tasks {
        task.await.expect("task").expect("fetched");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn per_host_limit_is_never_exceeded_and_is_reached() {
    let server = TestServer::start();
    server.route(
        "/slow",
        Reply::ok("text/plain", "x").delay(Duration::from_millis(40)),
    );
    let fetcher = Fetcher::new(&FetchConfig {
        per_host_concurrency: 3,
        concurrency: 50,
        ..config()
    })
    .expect("client");
    let started = Instant::now();
    fetch_all(&fetcher, vec![server.url("/slow"); 30]).await;
    assert_eq!(server.requests().len(), 30);
    assert_eq!(server.max_in_flight(), 3);
    // Live slots, not batches: 30 requests through 3 slots take about 10 delays.
    assert!(
        started.elapsed() < Duration::from_millis(40 * 10 * 3),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn overall_limit_holds_across_hosts() {
    let server = TestServer::start();
    let hosts: Vec<_> = (2..=5)
        .map(|last| server.also_listen_on(loopback(last)))
        .collect();
    server.route(
        "/slow",
        Reply::ok("text/plain", "x").delay(Duration::from_millis(40)),
    );
    let fetcher = Fetcher::new(&FetchConfig {
        per_host_concurrency: 3,
        concurrency: 5,
        ..config()
    })
    .expect("client");
    let urls = hosts
        .iter()
        .flat_map(|addr| vec![format!("http://{addr}/slow"); 8])
        .collect();
    fetch_all(&fetcher, urls).await;
    assert_eq!(server.requests().len(), 32);
    assert_eq!(server.max_in_flight(), 5, "one counter for all four hosts");
}

#[tokio::test]
async fn feeds_sharing_a_host_are_spread_apart() {
    let server = TestServer::start();
    server.route("/feed", Reply::ok("application/rss+xml", RSS));
    let fetcher = fetcher();
    let now = Utc::now();
    let mut polls = Vec::new();
    for n in 0..20 {
        let feed = feed(&format!("{}?n={n}", server.url("/feed")));
        polls.push(
            poll_feed(&fetcher, &feed, &FeedState::new(&feed.url, now), now)
                .await
                .state
                .next_poll,
        );
    }
    polls.sort();
    polls.dedup();
    assert_eq!(polls.len(), 20, "no two feeds get the same slot");
    let spread = (polls[19] - polls[0]).to_std().expect("ordered");
    assert!(
        spread >= INTERVAL / 50,
        "20 feeds spread over only {spread:?}"
    );
    assert!(polls
        .iter()
        .all(|t| *t >= now + INTERVAL && *t <= now + INTERVAL * 11 / 10));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_hostile_feed_among_fifty_healthy_delays_none_of_them() {
    let hosts: Vec<_> = (1..=5)
        .map(|last| TestServer::start_on(loopback(last)))
        .collect();
    for host in &hosts {
        host.route(
            "/feed",
            Reply::ok("application/rss+xml", RSS).delay(Duration::from_millis(5)),
        );
    }
    // Each hostile feed shares its host with ten healthy ones.
    hosts[0].route(
        "/slow",
        Reply::ok("application/rss+xml", RSS).delay(Duration::from_secs(30)),
    );
    hosts[1].route("/huge", Reply::status(200).zeros(64 * BODY_CAP));
    hosts[2].route("/broken", Reply::status(500));
    hosts[3].route("/stall", Reply::status(200).stall_after("<rss>"));
    let timeout = Duration::from_millis(1500);
    let fetcher = Fetcher::new(&FetchConfig {
        timeout,
        ..config()
    })
    .expect("client");

    let mut feeds = Vec::new();
    for (index, host) in hosts.iter().enumerate() {
        for n in 0..10 {
            feeds.push((true, feed(&format!("{}?n={n}", host.url("/feed")))));
        }
        if let Some(path) = ["/slow", "/huge", "/broken", "/stall"].get(index) {
            feeds.push((false, feed(&host.url(path))));
        }
    }
    // Hostile feeds first, so they hold their host's slot while the others queue.
    feeds.sort_by_key(|(healthy, _)| *healthy);
    let started = Instant::now();
    let now = Utc::now();
    let tasks: Vec<_> = feeds
        .into_iter()
        .map(|(healthy, feed)| {
            let fetcher = fetcher.clone();
            let feed = Arc::new(feed);
            tokio::spawn(async move {
                let state = FeedState::new(&feed.url, now);
                let outcome = poll_feed(&fetcher, &feed, &state, now).await;
                (healthy, outcome.state, started.elapsed())
            })
        })
        .collect();
    let mut healthy_done = Vec::new();
    for task in tasks {
        let (healthy, state, took) = task.await.expect("poll task");
        if healthy {
            assert_eq!(state.status, FeedStatus::Ok, "{}", state.url);
            assert!(
                state.next_poll >= now + INTERVAL && state.next_poll <= now + INTERVAL * 11 / 10
            );
            healthy_done.push(took);
        } else {
            assert!(
                matches!(state.status, FeedStatus::Error { .. }),
                "{}: {:?}",
                state.url,
                state.status
            );
        }
    }
    assert_eq!(healthy_done.len(), 50);
    let slowest = healthy_done.iter().max().expect("fifty");
    assert!(
        *slowest < timeout / 2,
        "a healthy feed waited {slowest:?} behind a hostile one"
    );
}
