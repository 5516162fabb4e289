//! Feeds: RSS 0.9x/1.0/2.0, Atom and JSON Feed, parsed by feed-rs into
//! [`FeedEntry`] values with a stable identity.
//!
//! An entry is known by its GUID/id when the feed gives one, else by its link
//! with tracking parameters removed, so the same article shared with
//! `?utm_source=...` and without is recognised as one. The bytes are made
//! UTF-8 first (`decode`: the HTTP charset, the XML declaration, sniffing).

use chrono::{DateTime, Utc};
use feed_rs::model::{Entry, Feed, FeedType, Person};
use url::Url;

use crate::config::{FeedConfig, Pattern};

mod dates;
mod decode;

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

/// Parses feed bytes fetched from `source_url` (used for relative links and
/// errors); `header_charset` is the `charset` of the HTTP `Content-Type`.
pub fn parse(
    bytes: &[u8],
    header_charset: Option<&str>,
    source_url: &str,
) -> Result<ParsedFeed, FeedError> {
    let document = Url::parse(source_url).ok();
    let bytes = &decode::to_utf8(bytes, header_charset);
    let feed = parse_document(bytes, None).map_err(|e| {
        let reason = match announced_feeds(bytes, document.as_ref()) {
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
    let base = entry_link_base(&feed, document.as_ref());
    // Atom resolves relative links by XML Base, from the document's own
    // address through every xml:base on the way, which only feed-rs can
    // follow; it is given the address only then, as it would resolve an
    // RSS item's links against the document too.
    let feed = match feed.feed_type {
        FeedType::Atom if has_relative_entry_link(&feed) => {
            parse_document(bytes, Some(source_url)).unwrap_or(feed)
        }
        _ => feed,
    };
    let loose_dates = loose_publication_dates(bytes, &feed);
    let entries = feed
        .entries
        .into_iter()
        .enumerate()
        .filter_map(|(index, mut entry)| {
            if entry.published.is_none() {
                entry.published = loose_dates.get(index).copied().flatten();
            }
            convert_entry(entry, base.as_ref())
        })
        .collect();
    Ok(ParsedFeed {
        title: feed.title.map(|t| plain_text(&t.content)),
        ttl: feed
            .ttl
            .filter(|minutes| *minutes > 0)
            .map(|minutes| std::time::Duration::from_secs(u64::from(minutes) * 60)),
        entries,
    })
}

/// feed-rs set up as every parse here needs it.
fn parser() -> feed_rs::parser::Builder {
    // Left empty so that `entry_identity` can tell a missing id from a real one.
    feed_rs::parser::Builder::new().id_generator(|_, _, _| String::new())
}

fn parse_document(
    bytes: &[u8],
    xml_base: Option<&str>,
) -> Result<Feed, feed_rs::parser::ParseFeedError> {
    parser().base_uri(xml_base).build().parse(bytes)
}

/// The publication dates of the entries, in order, read by `dates` when
/// feed-rs left some empty; empty when it left none. A parser given a
/// timestamp reader uses it instead of its own, so the document is read a
/// second time for the dates alone.
fn loose_publication_dates(bytes: &[u8], feed: &Feed) -> Vec<Option<DateTime<Utc>>> {
    if feed.entries.iter().all(|entry| entry.published.is_some()) {
        return Vec::new();
    }
    parser()
        .timestamp_parser(dates::parse_loose)
        .build()
        .parse(bytes)
        .map(|reread| reread.entries.iter().map(|e| e.published).collect())
        .unwrap_or_default()
}

fn has_relative_entry_link(feed: &Feed) -> bool {
    feed.entries
        .iter()
        .flat_map(|entry| &entry.links)
        .any(|link| Url::parse(link.href.trim()).is_err())
}

/// What an entry's relative link is resolved against. An Atom feed's are
/// relative to the document. RSS and JSON Feed say nothing; the site's
/// own address (the channel's `<link>`, JSON Feed's `home_page_url`) is
/// what their publishers mean, as Miniflux reads them too: a
/// feed served by a feed proxy or a CDN still points at the site's pages.
fn entry_link_base(feed: &Feed, document: Option<&Url>) -> Option<Url> {
    let site = || {
        feed.links
            .iter()
            .find(|l| l.rel.as_deref().is_none_or(|rel| rel == "alternate"))
            .and_then(|l| resolve(l.href.trim(), document))
    };
    match feed.feed_type {
        FeedType::Atom => document.cloned(),
        _ => site().or_else(|| document.cloned()),
    }
}

/// An http(s) address, relative ones resolved against `base`.
fn resolve(href: &str, base: Option<&Url>) -> Option<Url> {
    match base {
        Some(base) => base.join(href).ok(),
        None => Url::parse(href).ok(),
    }
    .filter(|u| matches!(u.scheme(), "http" | "https"))
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
            .and_then(|href| resolve(href.trim(), base));
        if let (true, true, Some(href)) = (is_alternate, is_feed, href) {
            if !feeds.contains(&href.to_string()) {
                feeds.push(href.to_string());
            }
        }
    }
    Some(feeds)
}

fn convert_entry(entry: Entry, base: Option<&Url>) -> Option<FeedEntry> {
    let link = entry
        .links
        .iter()
        .find(|l| l.rel.as_deref().is_none_or(|rel| rel == "alternate"))
        .or_else(|| entry.links.first())
        .and_then(|l| resolve(l.href.trim(), base))
        // An RSS item may give its address only as its GUID (a permalink
        // unless marked otherwise, RSS 2.0 says). feed-rs keeps no mark, so
        // any address there counts when the item has no link: one marked as
        // no permalink still leads to the article (WordPress's `/?p=123`).
        .or_else(|| resolve(entry.id.trim(), None))
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
        .map(author_name)
        .filter(|name| !name.is_empty());
    Some(FeedEntry {
        id,
        url: link,
        title: entry.title.map(|t| plain_text(&t.content)),
        author,
        published: entry.published.or(entry.updated),
        content_html,
        language: entry.language,
    })
}

/// An entry's author as a name. feed-rs reads an RSS 2.0 `<author>` as a
/// person named "author" whose e-mail address is the element's text, which
/// the spec writes "address (Name)" and many feeds fill with the name alone.
fn author_name(person: &Person) -> String {
    let name = match (&person.email, person.name.as_str()) {
        (Some(text), "author") => name_in_address(text),
        _ => &person.name,
    };
    plain_text(name)
}

/// "desk@gazette.example (Ida Marsh)" is Ida Marsh; any other text is
/// taken whole.
fn name_in_address(text: &str) -> &str {
    match (text.find('('), text.rfind(')')) {
        (Some(open), Some(close)) if open < close && text[..open].contains('@') => {
            &text[open + 1..close]
        }
        _ => text,
    }
}

/// A feed's title or author name as plain text. Titles come as HTML more
/// often than not: Atom's `type="html"`, and RSS titles with tags or
/// with HTML's entities (`&mdash;`, `&nbsp;`), which XML does not know and
/// leaves in the text. Tags go and entities are decoded, twice, since a
/// feed that escapes an escaped title ("AT&amp;amp;T") is common; Miniflux
/// decodes them twice too.
fn plain_text(raw: &str) -> String {
    let once = if raw.contains('<') {
        let fragment = scraper::Html::parse_fragment(raw);
        std::borrow::Cow::Owned(fragment.root_element().text().collect::<String>())
    } else {
        html_escape::decode_html_entities(raw)
    };
    html_escape::decode_html_entities(&once)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
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
        let feed = parse(rss.as_bytes(), None, "https://a.example/feed.xml").unwrap();
        assert_eq!(feed.ttl, Some(std::time::Duration::from_secs(1800)));
        assert_eq!(feed.entries[0].id, "url:https://a.example/story");
        assert_eq!(feed.entries[1].id, "tag-b");
    }

    fn entry_urls(feed: &ParsedFeed) -> Vec<&str> {
        feed.entries
            .iter()
            .map(|e| e.url.as_ref().map_or("(none)", Url::as_str))
            .collect()
    }

    #[test]
    fn relative_links_resolve_against_the_site_in_rss_and_the_document_in_atom() {
        let rss = r#"<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>
            <link>https://gazette.example/news/</link>
            <atom:link xmlns:atom="http://www.w3.org/2005/Atom" rel="self" href="https://feeds.example/gazette"/>
            <item><title>A</title><link>/a/1</link></item>
            <item><title>B</title><link>a/2</link></item>
            <item><title>C</title><link>https://other.example/c</link></item>
            </channel></rss>"#;
        let feed = parse(rss.as_bytes(), None, "https://feeds.example/gazette").unwrap();
        assert_eq!(
            entry_urls(&feed),
            [
                "https://gazette.example/a/1",
                "https://gazette.example/news/a/2",
                "https://other.example/c"
            ]
        );
        let json = r#"{"version": "https://jsonfeed.org/version/1.1", "title": "N",
            "home_page_url": "https://north.example/", "items": [{"id": "1", "url": "/1"}]}"#;
        let feed = parse(json.as_bytes(), None, "https://cdn.example/north.json").unwrap();
        assert_eq!(entry_urls(&feed), ["https://north.example/1"]);
        let atom = r#"<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom">
            <title>T</title><id>urn:t</id><updated>2024-03-05T10:00:00Z</updated>
            <link href="https://tide.example/"/>
            <entry xml:base="sub/"><title>A</title><id>urn:a</id><updated>2024-03-05T10:00:00Z</updated><link href="a"/></entry>
            <entry><title>B</title><id>urn:b</id><updated>2024-03-05T10:00:00Z</updated><link href="/b"/></entry>
            </feed>"#;
        let feed = parse(atom.as_bytes(), None, "https://tide.example/feeds/atom.xml").unwrap();
        assert_eq!(
            entry_urls(&feed),
            ["https://tide.example/feeds/sub/a", "https://tide.example/b"]
        );
    }

    #[test]
    fn an_item_without_a_link_is_found_at_its_permalink_guid() {
        let rss = r#"<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>
            <item><title>A</title><guid>https://gazette.example/a/1?utm_source=rss</guid></item>
            <item><title>B</title><guid isPermaLink="false">tag:gazette.example,2024:2</guid></item>
            </channel></rss>"#;
        let feed = parse(rss.as_bytes(), None, "https://gazette.example/rss").unwrap();
        assert_eq!(
            feed.entries[0].id,
            "https://gazette.example/a/1?utm_source=rss"
        );
        assert_eq!(
            feed.entries[0].url.as_ref().map(Url::as_str),
            Some("https://gazette.example/a/1")
        );
        assert_eq!(feed.entries[1].url, None);
    }

    #[test]
    fn titles_and_authors_are_plain_text() {
        let rss = r#"<?xml version="1.0"?><rss version="2.0"><channel><title>Caf&eacute; News</title>
            <item><title>Prices&nbsp;rise &mdash; again</title><link>https://c.example/1</link></item>
            <item><title><![CDATA[<b>Live:</b> AT&amp;amp;T  &amp; 3 < 5]]></title><link>https://c.example/2</link>
            <author>desk@c.example (Ida&nbsp;Marsh)</author></item>
            </channel></rss>"#;
        let feed = parse(rss.as_bytes(), None, "https://c.example/rss").unwrap();
        assert_eq!(feed.title.as_deref(), Some("Café News"));
        assert_eq!(
            feed.entries[0].title.as_deref(),
            Some("Prices rise — again")
        );
        assert_eq!(feed.entries[1].title.as_deref(), Some("Live: AT&T & 3 < 5"));
        assert_eq!(feed.entries[1].author.as_deref(), Some("Ida Marsh"));
        let atom = r#"<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom">
            <title>T</title><id>urn:t</id><updated>2024-03-05T10:00:00Z</updated>
            <entry><title type="html">Bridge &lt;em&gt;vote&lt;/em&gt; &amp;amp; delay</title>
            <id>urn:a</id><updated>2024-03-05T10:00:00Z</updated><link href="https://t.example/a"/>
            <author><name>Jo &amp; Al</name></author></entry></feed>"#;
        let feed = parse(atom.as_bytes(), None, "https://t.example/atom").unwrap();
        assert_eq!(
            feed.entries[0].title.as_deref(),
            Some("Bridge vote & delay")
        );
        assert_eq!(feed.entries[0].author.as_deref(), Some("Jo & Al"));
    }

    #[test]
    fn an_rss_author_is_its_name() {
        let rss = r#"<?xml version="1.0"?><rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/">
            <channel><title>T</title>
            <item><title>A</title><link>https://c.example/1</link><author>desk@c.example (Ida Marsh)</author></item>
            <item><title>B</title><link>https://c.example/2</link><author>Ida Marsh</author></item>
            <item><title>C</title><link>https://c.example/3</link><author>desk@c.example</author></item>
            <item><title>D</title><link>https://c.example/4</link><dc:creator>Jo Roe (Wire)</dc:creator></item>
            </channel></rss>"#;
        let feed = parse(rss.as_bytes(), None, "https://c.example/rss").unwrap();
        let authors: Vec<_> = feed.entries.iter().map(|e| e.author.as_deref()).collect();
        assert_eq!(
            authors,
            [
                Some("Ida Marsh"),
                Some("Ida Marsh"),
                Some("desk@c.example"),
                Some("Jo Roe (Wire)")
            ]
        );
    }

    #[test]
    fn dates_feed_rs_cannot_read_are_read_loosely() {
        let rss = r#"<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>
            <item><title>A</title><link>https://c.example/1</link><pubDate>Tue, 05 Mar 2024 10:00:00 +0000</pubDate></item>
            <item><title>B</title><link>https://c.example/2</link><pubDate>Di, 05 Mär 2024 12:00:00 CEST</pubDate></item>
            <item><title>C</title><link>https://c.example/3</link><pubDate>2024-03-05 13:30:00</pubDate></item>
            <item><title>D</title><link>https://c.example/4</link><pubDate>01/02/2024</pubDate></item>
            </channel></rss>"#;
        let feed = parse(rss.as_bytes(), None, "https://c.example/rss").unwrap();
        let dates: Vec<_> = feed
            .entries
            .iter()
            .map(|e| e.published.map(|d| d.to_rfc3339()))
            .collect();
        assert_eq!(
            dates,
            [
                Some("2024-03-05T10:00:00+00:00".to_owned()),
                Some("2024-03-05T10:00:00+00:00".to_owned()),
                Some("2024-03-05T13:30:00+00:00".to_owned()),
                None
            ]
        );
    }

    #[test]
    fn a_web_page_given_as_a_feed_names_the_feeds_it_announces() {
        let page = r#"<!DOCTYPE html><html><head><title>Gazette</title>
            <link rel="alternate" type="application/rss+xml" title="News" href="/news/rss.xml">
            <link rel="Alternate" type="application/atom+xml" href="https://gazette.example/atom">
            <link rel="stylesheet" type="text/css" href="/site.css">
            </head><body><p>Front page</p></body></html>"#;
        let err = parse(page.as_bytes(), None, "https://gazette.example/").unwrap_err();
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
        let err = parse(page.as_bytes(), None, "https://gazette.example/").unwrap_err();
        assert!(
            err.to_string()
                .ends_with("this is a web page, not a feed, and it names no feed in a <link rel=\"alternate\"> tag"),
            "{err}"
        );
    }

    #[test]
    fn invalid_xml_names_the_feed() {
        let err = parse(b"<rss><channel><item>", None, "https://a.example/feed").unwrap_err();
        assert!(
            err.to_string().starts_with("https://a.example/feed: "),
            "{err}"
        );
    }
}
