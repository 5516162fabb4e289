//! The demo site over real HTTP: feeds parse, pages exist, conditional
//! requests get 304, and waves publish the copies later.

use std::time::Duration;

use reqwest::header::{ETAG, IF_MODIFIED_SINCE, IF_NONE_MATCH, LAST_MODIFIED};
use reqwest::StatusCode;
use storywatch::demo::{self, DemoSite};

async fn entries(client: &reqwest::Client, url: &str) -> Vec<feed_rs::model::Entry> {
    let body = client
        .get(url)
        .send()
        .await
        .expect("feed request")
        .bytes()
        .await
        .expect("feed body");
    feed_rs::parser::parse(&body[..])
        .unwrap_or_else(|e| panic!("{url} does not parse: {e}"))
        .entries
}

fn feed_url<'a>(site: &'a DemoSite, name: &str) -> &'a str {
    &site
        .feeds
        .iter()
        .find(|f| f.name == name)
        .expect("feed")
        .url
}

async fn titles(client: &reqwest::Client, site: &DemoSite) -> Vec<String> {
    let mut titles = Vec::new();
    for feed in &site.feeds {
        for entry in entries(client, &feed.url).await {
            titles.push(entry.title.expect("entry title").content);
        }
    }
    titles
}

#[tokio::test]
async fn feeds_parse_and_link_to_full_article_pages() {
    let site = demo::serve().await.expect("demo site");
    let client = reqwest::Client::new();
    let formats: Vec<&str> = site.feeds.iter().map(|f| f.format).collect();
    assert_eq!(formats, ["RSS 2.0", "Atom", "JSON Feed", "RSS 2.0"]);

    let mut pages = 0;
    for feed in &site.feeds {
        let entries = entries(&client, &feed.url).await;
        assert!(!entries.is_empty(), "{} is empty", feed.name);
        for entry in entries {
            assert!(
                entry.published.is_some(),
                "{}: entry without date",
                feed.name
            );
            let link = &entry.links.first().expect("entry link").href;
            assert!(link.starts_with(site.base_url()), "{link}");
            let response = client.get(link).send().await.expect("page request");
            assert_eq!(response.status(), StatusCode::OK, "{link}");
            let html = response.text().await.expect("page body");
            let title = entry.title.expect("title").content.replace('&', "&amp;");
            assert!(html.contains("<h1") && html.contains(&title), "{link}");
            let lower = html.to_lowercase();
            for boilerplate in ["cookie", "share", "comment"] {
                assert!(lower.contains(boilerplate), "{link} lacks {boilerplate}");
            }
            pages += 1;
        }
    }
    assert_eq!(
        pages, 5,
        "wave 0: the original report and four unrelated articles"
    );
    let original = client
        .get(format!(
            "{}/courier/harbour-board-votes-to-shut-wrenfield-swing-bridge",
            site.base_url()
        ))
        .send()
        .await
        .expect("original")
        .text()
        .await
        .expect("original body");
    assert!(original.contains("The board voted 7–2 in favour of the closure"));
    assert!(original.contains("HarbourMum"), "comments are on the page");
}

#[tokio::test]
async fn feeds_answer_conditional_requests_with_304() {
    let site = demo::serve().await.expect("demo site");
    let client = reqwest::Client::new();
    for feed in &site.feeds {
        let first = client.get(&feed.url).send().await.expect("feed");
        assert_eq!(first.status(), StatusCode::OK);
        let etag = first.headers()[ETAG].clone();
        let last_modified = first.headers()[LAST_MODIFIED].clone();

        let by_etag = client
            .get(&feed.url)
            .header(IF_NONE_MATCH, etag.clone())
            .send()
            .await
            .expect("feed");
        assert_eq!(by_etag.status(), StatusCode::NOT_MODIFIED, "{}", feed.url);
        assert_eq!(by_etag.headers()[ETAG], etag);
        let by_date = client
            .get(&feed.url)
            .header(IF_MODIFIED_SINCE, last_modified)
            .send()
            .await
            .expect("feed");
        assert_eq!(by_date.status(), StatusCode::NOT_MODIFIED, "{}", feed.url);
        let stale = client
            .get(&feed.url)
            .header(IF_NONE_MATCH, "\"stale\"")
            .send()
            .await
            .expect("feed");
        assert_eq!(stale.status(), StatusCode::OK);
    }

    let copy_feed = feed_url(&site, "Tidewater Daily");
    let before = client.get(copy_feed).send().await.expect("feed").headers()[ETAG].clone();
    assert_eq!(site.release_next_wave(), Some(1));
    let after = client
        .get(copy_feed)
        .header(IF_NONE_MATCH, before.clone())
        .send()
        .await
        .expect("feed");
    assert_eq!(
        after.status(),
        StatusCode::OK,
        "a new wave changes the feed"
    );
    assert_ne!(after.headers()[ETAG], before);
}

#[tokio::test]
async fn waves_publish_the_copy_rewrite_and_independent_report_later() {
    let site = demo::serve().await.expect("demo site");
    let client = reqwest::Client::new();
    let independent = format!(
        "{}/westshore/drivers-face-detour-as-carrow-haven-closes-swing-bridge",
        site.base_url()
    );
    let story = |titles: &[String]| {
        let mut story: Vec<String> = titles
            .iter()
            .filter(|t| {
                t.contains("Wrenfield") || t.contains("swing bridge") || t.contains("car crossing")
            })
            .cloned()
            .collect();
        story.sort();
        story
    };

    assert_eq!(site.waves_left(), 3);
    assert_eq!(
        story(&titles(&client, &site).await),
        ["Harbour board votes to shut Wrenfield Swing Bridge to traffic"]
    );
    assert_eq!(
        client
            .get(&independent)
            .send()
            .await
            .expect("page")
            .status(),
        StatusCode::NOT_FOUND
    );

    assert_eq!(site.release_next_wave(), Some(1));
    assert_eq!(
        story(&titles(&client, &site).await),
        [
            "Harbour board votes to shut Wrenfield Swing Bridge to traffic",
            "Wrenfield Swing Bridge to close to traffic after harbour board vote",
        ]
    );
    assert_eq!(site.release_next_wave(), Some(2));
    assert_eq!(
        story(&titles(&client, &site).await),
        [
            "Carrow Haven loses its car crossing: what the Wrenfield bridge decision means",
            "Harbour board votes to shut Wrenfield Swing Bridge to traffic",
            "Wrenfield Swing Bridge to close to traffic after harbour board vote",
        ]
    );

    assert_eq!(site.release_next_wave(), Some(3));
    assert_eq!(site.release_next_wave(), None);
    assert_eq!(site.waves_left(), 0);
    assert_eq!(story(&titles(&client, &site).await).len(), 4);
    assert_eq!(
        client
            .get(&independent)
            .send()
            .await
            .expect("page")
            .status(),
        StatusCode::OK
    );
    assert_eq!(titles(&client, &site).await.len(), 9);
}

#[tokio::test]
async fn automatic_release_waits_until_every_feed_was_polled() {
    let site = demo::serve().await.expect("demo site");
    let client = reqwest::Client::new();
    site.release_waves_automatically(Duration::ZERO);

    for expected_left in [2, 1, 0] {
        tokio::time::sleep(Duration::from_millis(500)).await;
        assert_eq!(
            site.waves_left(),
            expected_left + 1,
            "no release before a full poll"
        );
        titles(&client, &site).await;
        let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
        while site.waves_left() > expected_left && tokio::time::Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        assert_eq!(site.waves_left(), expected_left);
    }
}
