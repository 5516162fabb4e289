//! The outlets' feeds: RSS 2.0, Atom and JSON Feed, newest item first.

use chrono::{DateTime, SecondsFormat, Utc};

use super::catalogue::{Article, FeedFormat, Outlet};
use super::pages::{escape_html, paragraphs_html};

/// One published article as a feed lists it.
pub(super) struct FeedItem<'a> {
    pub article: &'a Article,
    pub published: DateTime<Utc>,
}

/// Where the outlet's pages live, e.g. `http://127.0.0.1:4242/courier`.
pub(super) struct OutletUrls<'a> {
    pub home: &'a str,
    pub feed: &'a str,
}

impl OutletUrls<'_> {
    fn page(&self, article: &Article) -> String {
        format!("{}/{}", self.home, article.slug)
    }
}

pub(super) fn render(outlet: &Outlet, urls: &OutletUrls, items: &[FeedItem]) -> String {
    match outlet.format {
        FeedFormat::Rss => rss(outlet, urls, items),
        FeedFormat::Atom => atom(outlet, urls, items),
        FeedFormat::JsonFeed => json_feed(outlet, urls, items),
    }
}

fn newest(items: &[FeedItem]) -> Option<DateTime<Utc>> {
    items.iter().map(|item| item.published).max()
}

fn rss(outlet: &Outlet, urls: &OutletUrls, items: &[FeedItem]) -> String {
    let mut xml = String::from(concat!(
        r#"<?xml version="1.0" encoding="UTF-8"?>"#,
        "\n",
        r#"<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:atom="http://www.w3.org/2005/Atom">"#,
        "\n<channel>\n"
    ));
    xml.push_str(&format!(
        "<title>{}</title>\n<link>{}/</link>\n<description>{}</description>\n<language>en-gb</language>\n<atom:link href=\"{}\" rel=\"self\" type=\"application/rss+xml\"/>\n",
        escape_html(outlet.name),
        urls.home,
        escape_html(outlet.description),
        urls.feed,
    ));
    if let Some(newest) = newest(items) {
        xml.push_str(&format!(
            "<lastBuildDate>{}</lastBuildDate>\n",
            newest.to_rfc2822()
        ));
    }
    for item in items {
        let page = urls.page(item.article);
        let link = format!("{page}{}", outlet.link_tracking);
        // A permalink GUID when the link is clean; otherwise a stable id,
        // because the tracked link is not the article's identity.
        let guid = if outlet.link_tracking.is_empty() {
            format!("<guid isPermaLink=\"true\">{}</guid>", escape_html(&page))
        } else {
            format!(
                "<guid isPermaLink=\"false\">{}-{}</guid>",
                outlet.key, item.article.slug
            )
        };
        xml.push_str(&format!(
            "<item>\n<title>{}</title>\n<link>{}</link>\n{guid}\n<pubDate>{}</pubDate>\n<dc:creator>{}</dc:creator>\n<category>{}</category>\n<description>{}</description>\n",
            escape_html(item.article.title),
            escape_html(&link),
            item.published.to_rfc2822(),
            escape_html(item.article.author),
            escape_html(item.article.section),
            escape_html(item.article.summary),
        ));
        if outlet.full_text_in_feed {
            xml.push_str(&format!(
                "<content:encoded><![CDATA[{}]]></content:encoded>\n",
                paragraphs_html(item.article)
            ));
        }
        xml.push_str("</item>\n");
    }
    xml.push_str("</channel>\n</rss>\n");
    xml
}

fn atom(outlet: &Outlet, urls: &OutletUrls, items: &[FeedItem]) -> String {
    let stamp = |when: DateTime<Utc>| when.to_rfc3339_opts(SecondsFormat::Secs, true);
    let mut xml = String::from(concat!(
        r#"<?xml version="1.0" encoding="utf-8"?>"#,
        "\n",
        r#"<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en">"#,
        "\n"
    ));
    xml.push_str(&format!(
        "<title>{}</title>\n<subtitle>{}</subtitle>\n<id>tag:{}.example,2025:feed</id>\n<link rel=\"alternate\" href=\"{}/\"/>\n<link rel=\"self\" href=\"{}\"/>\n",
        escape_html(outlet.name),
        escape_html(outlet.description),
        outlet.key,
        urls.home,
        urls.feed,
    ));
    if let Some(newest) = newest(items) {
        xml.push_str(&format!("<updated>{}</updated>\n", stamp(newest)));
    }
    for item in items {
        let link = format!("{}{}", urls.page(item.article), outlet.link_tracking);
        xml.push_str(&format!(
            "<entry>\n<id>tag:{}.example,2025:{}</id>\n<title>{}</title>\n<link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n<published>{}</published>\n<updated>{}</updated>\n<author><name>{}</name></author>\n<category term=\"{}\"/>\n<summary>{}</summary>\n",
            outlet.key,
            item.article.slug,
            escape_html(item.article.title),
            escape_html(&link),
            stamp(item.published),
            stamp(item.published),
            escape_html(item.article.author),
            escape_html(item.article.section),
            escape_html(item.article.summary),
        ));
        if outlet.full_text_in_feed {
            xml.push_str(&format!(
                "<content type=\"html\">{}</content>\n",
                escape_html(&paragraphs_html(item.article))
            ));
        }
        xml.push_str("</entry>\n");
    }
    xml.push_str("</feed>\n");
    xml
}

fn json_feed(outlet: &Outlet, urls: &OutletUrls, items: &[FeedItem]) -> String {
    let items: Vec<serde_json::Value> = items
        .iter()
        .map(|item| {
            let page = urls.page(item.article);
            let mut entry = serde_json::json!({
                "id": page,
                "url": format!("{page}{}", outlet.link_tracking),
                "title": item.article.title,
                "summary": item.article.summary,
                "date_published": item.published.to_rfc3339_opts(SecondsFormat::Secs, true),
                "authors": [{ "name": item.article.author }],
                "tags": [item.article.section],
            });
            if outlet.full_text_in_feed {
                entry["content_html"] = paragraphs_html(item.article).into();
            }
            entry
        })
        .collect();
    let feed = serde_json::json!({
        "version": "https://jsonfeed.org/version/1.1",
        "title": outlet.name,
        "description": outlet.description,
        "home_page_url": format!("{}/", urls.home),
        "feed_url": urls.feed,
        "language": "en",
        "items": items,
    });
    format!("{feed:#}\n")
}
