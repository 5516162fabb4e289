//! Feeds: RSS 0.9x/1.0/2.0, Atom and JSON Feed, parsed by feed-rs into
//! [`FeedEntry`] values with a stable identity.
//!
//! An entry is known by its GUID/id when the feed gives one, else by its link
//! with tracking parameters removed, so the same article shared with
//! `?utm_source=...` and without is recognised as one.

use chrono::{DateTime, Utc};
use url::Url;

use crate::config::{FeedConfig, Pattern};

/// A parsed feed.
#[derive(Debug, Clone)]
pub struct ParsedFeed {
    pub title: Option<String>,
    /// RSS `<ttl>`: how long the publisher asks clients to cache the feed.
    pub ttl: Option<std::time::Duration>,
    pub entries: Vec<FeedEntry>,
}

/// One item of a feed.
#[derive(Debug, Clone, PartialEq)]
pub struct FeedEntry {
    /// The GUID, or `url:` and the cleaned link when the feed gives no id.
    pub id: String,
    /// The article's page, tracking parameters removed.
    pub url: Option<Url>,
    pub title: Option<String>,
    pub author: Option<String>,
    pub published: Option<DateTime<Utc>>,
    /// The item's own HTML body (content, else summary), if any.
    pub content_html: Option<String>,
    pub language: Option<String>,
}

#[derive(Debug, thiserror::Error)]
#[error("{url}: not a readable RSS, Atom or JSON feed: {reason}")]
pub struct FeedError {
    pub url: String,
    pub reason: String,
}

impl FeedEntry {
    /// Whether the feed's `skip` and `keep` patterns let this entry
    /// through; they are matched against its title and its link.
    pub fn is_wanted_by(&self, feed: &FeedConfig) -> bool {
        let matches = |pattern: &Pattern| {
            self.title.as_deref().is_some_and(|t| pattern.0.is_match(t))
                || self
                    .url
                    .as_ref()
                    .is_some_and(|u| pattern.0.is_match(u.as_str()))
        };
        !feed.skip.iter().any(matches) && (feed.keep.is_empty() || feed.keep.iter().any(matches))
    }
}

/// Query parameters that only track clicks; they never change the article.
const TRACKING_PARAMETERS: &[&str] = &[
    "fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "igshid", "mc_cid",
    "mc_eid", "_hsenc", "_hsmi", "mkt_tok", "ocid", "cmpid", "ito", "smid", "ref_src",
];

/// Removes tracking parameters (`utm_*`, `fbclid`, ...) and the fragment.
pub fn clean_url(url: &Url) -> Url {
    let mut cleaned = url.clone();
    cleaned.set_fragment(None);
    let kept: Vec<(String, String)> = url
        .query_pairs()
        .filter(|(key, _)| {
            let key = key.to_ascii_lowercase();
            !key.starts_with("utm_") && !TRACKING_PARAMETERS.contains(&key.as_str())
        })
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    if kept.is_empty() {
        cleaned.set_query(None);
    } else {
        cleaned.query_pairs_mut().clear().extend_pairs(kept);
    }
    cleaned
}

/// Parses feed bytes fetched from `source_url` (used for relative links and errors).
pub fn parse(bytes: &[u8], source_url: &str) -> Result<ParsedFeed, FeedError> {
    let parser = feed_rs::parser::Builder::new()
        .base_uri(Some(source_url))
        // Left empty so that `entry_identity` can tell a missing id from a real one.
        .id_generator(|_, _, _| String::new())
        .build();
    let base = Url::parse(source_url).ok();
    let feed = parser.parse(bytes).map_err(|e| {
        let reason = match announced_feeds(bytes, base.as_ref()) {
            None => e.to_string(),
            Some(announced) if announced.is_empty() => {
                "this is a web page, not a feed, and it names no feed in a \
                 <link rel=\"alternate\"> tag"
                    .to_owned()
            }
            Some(announced) => format!(
                "this is a web page, not a feed; the page names its feeds: {} \
                 (use one of those as the feed's url)",
                announced.join(", ")
            ),
        };
        FeedError {
            url: source_url.to_owned(),
            reason,
        }
    })?;
    let entries = feed
        .entries
        .into_iter()
        .filter_map(|entry| convert_entry(entry, base.as_ref()))
        .collect();
    Ok(ParsedFeed {
        title: feed.title.map(|t| t.content),
        ttl: feed
            .ttl
            .filter(|minutes| *minutes > 0)
            .map(|minutes| std::time::Duration::from_secs(u64::from(minutes) * 60)),
        entries,
    })
}

/// Content types a page's `<link rel="alternate">` uses for its feeds.
const FEED_LINK_TYPES: &[&str] = &[
    "application/rss+xml",
    "application/atom+xml",
    "application/rdf+xml",
    "application/feed+json",
    "application/json",
];

/// The feeds a web page announces in its `<head>`, so that an editor who
/// configured the site's address learns which address to use instead;
/// `None` when the bytes are not a web page.
fn announced_feeds(bytes: &[u8], base: Option<&Url>) -> Option<Vec<String>> {
    let text = String::from_utf8_lossy(bytes);
    let head = text
        .get(..text.len().min(1024))
        .unwrap_or("")
        .to_ascii_lowercase();
    if !(head.contains("<html") || head.contains("<!doctype html")) {
        return None;
    }
    let page = scraper::Html::parse_document(&text);
    let links = scraper::Selector::parse("link[href][type]").ok()?;
    let mut feeds: Vec<String> = Vec::new();
    for link in page.select(&links) {
        let element = link.value();
        let is_alternate = element.attr("rel").is_some_and(|rel| {
            rel.to_ascii_lowercase()
                .split_whitespace()
                .any(|r| r == "alternate")
        });
        let is_feed = element
            .attr("type")
            .is_some_and(|t| FEED_LINK_TYPES.contains(&t.trim().to_ascii_lowercase().as_str()));
        let href = element
            .attr("href")
            .map(str::trim)
            .and_then(|href| match base {
                Some(base) => base.join(href).ok(),
                None => Url::parse(href).ok(),
            });
        if let (true, true, Some(href)) = (is_alternate, is_feed, href) {
            if !feeds.contains(&href.to_string()) {
                feeds.push(href.to_string());
            }
        }
    }
    Some(feeds)
}

fn convert_entry(entry: feed_rs::model::Entry, base: Option<&Url>) -> Option<FeedEntry> {
    let link = entry
        .links
        .iter()
        .find(|l| l.rel.as_deref().is_none_or(|rel| rel == "alternate"))
        .or_else(|| entry.links.first())
        .and_then(|l| match base {
            Some(base) => base.join(l.href.trim()).ok(),
            None => Url::parse(l.href.trim()).ok(),
        })
        .filter(|u| matches!(u.scheme(), "http" | "https"))
        .map(|u| clean_url(&u));
    let id = match entry.id.trim() {
        "" => format!("url:{}", link.as_ref()?),
        id => id.to_owned(),
    };
    let content_html = entry
        .content
        .and_then(|c| c.body)
        .filter(|body| !body.trim().is_empty())
        .or_else(|| entry.summary.map(|s| s.content))
        .filter(|body| !body.trim().is_empty());
    let author = entry
        .authors
        .first()
        .map(|p| p.name.trim().to_owned())
        .filter(|name| !name.is_empty());
    Some(FeedEntry {
        id,
        url: link,
        title: entry.title.map(|t| t.content.trim().to_owned()),
        author,
        published: entry.published.or(entry.updated),
        content_html,
        language: entry.language,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clean_url_drops_tracking_but_keeps_real_parameters() {
        let url = Url::parse("https://a.example/x?id=7&utm_source=tw&fbclid=abc#top").unwrap();
        assert_eq!(clean_url(&url).as_str(), "https://a.example/x?id=7");
        let url = Url::parse("https://a.example/x?utm_medium=rss").unwrap();
        assert_eq!(clean_url(&url).as_str(), "https://a.example/x");
    }

    #[test]
    fn entry_without_guid_is_known_by_its_cleaned_link() {
        let rss = r#"<?xml version="1.0"?><rss version="2.0"><channel><title>T</title><ttl>30</ttl>
            <item><title>A</title><link>/story?utm_campaign=x</link></item>
            <item><title>B</title><guid isPermaLink="false">tag-b</guid><link>https://b.example/b</link></item>
            </channel></rss>"#;
        let feed = parse(rss.as_bytes(), "https://a.example/feed.xml").unwrap();
        assert_eq!(feed.ttl, Some(std::time::Duration::from_secs(1800)));
        assert_eq!(feed.entries[0].id, "url:https://a.example/story");
        assert_eq!(feed.entries[1].id, "tag-b");
    }

    #[test]
    fn a_web_page_given_as_a_feed_names_the_feeds_it_announces() {
        let page = r#"<!DOCTYPE html><html><head><title>Gazette</title>
            <link rel="alternate" type="application/rss+xml" title="News" href="/news/rss.xml">
            <link rel="Alternate" type="application/atom+xml" href="https://gazette.example/atom">
            <link rel="stylesheet" type="text/css" href="/site.css">
            </head><body><p>Front page</p></body></html>"#;
        let err = parse(page.as_bytes(), "https://gazette.example/").unwrap_err();
        assert_eq!(
            err.to_string(),
            "https://gazette.example/: not a readable RSS, Atom or JSON feed: this is a web \
             page, not a feed; the page names its feeds: https://gazette.example/news/rss.xml, \
             https://gazette.example/atom (use one of those as the feed's url)"
        );
    }

    #[test]
    fn a_web_page_without_feed_links_is_named_as_one() {
        let page = "<html><head><title>Index of /</title></head><body></body></html>";
        let err = parse(page.as_bytes(), "https://gazette.example/").unwrap_err();
        assert!(
            err.to_string()
                .ends_with("this is a web page, not a feed, and it names no feed in a <link rel=\"alternate\"> tag"),
            "{err}"
        );
    }

    #[test]
    fn invalid_xml_names_the_feed() {
        let err = parse(b"<rss><channel><item>", "https://a.example/feed").unwrap_err();
        assert!(
            err.to_string().starts_with("https://a.example/feed: "),
            "{err}"
        );
    }
}
