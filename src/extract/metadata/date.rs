//! Publication dates: where pages put them and the formats they use.

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};
use dom_query::Document;
use url::Url;

use super::{visible_date, MetaTags};
use crate::extract::dom_text::normalize_spaces;
use crate::extract::jsonld::JsonLdArticle;

const DATE_KEYS: &[&str] = &[
    "article:published_time",
    "article:published",
    "og:published_time",
    "og:article:published_time",
    "published_time",
    "datepublished",
    "pubdate",
    "publishdate",
    "publish-date",
    "publish_date",
    "published",
    "publication_date",
    "sailthru.date",
    "parsely-pub-date",
    "dc.date.issued",
    "dc.date",
    "dcterms.issued",
    "dcterms.date",
    "dcterms.created",
    "dc.date.created",
    "citation_publication_date",
    "citation_date",
    "original-publish-date",
    "article.published",
    "date",
    "displaydate",
    "datecreated",
];

/// Elements that carry a machine-readable date, most specific first.
const DATE_ELEMENTS: &[(&str, &str)] = &[
    ("[itemprop=datePublished][datetime]", "datetime"),
    ("[itemprop=datePublished][content]", "content"),
    ("time[pubdate][datetime]", "datetime"),
    ("article time[datetime]", "datetime"),
    ("time[datetime]", "datetime"),
];

/// The publication date: metadata first (it names the original
/// publication), then a date shown near the headline, then the URL.
/// Measured on the benchmark, metadata beats the shown date when both
/// exist, and preferring a shown "updated" date does not pay.
pub(super) fn published(
    doc: &Document,
    tags: &MetaTags,
    ld: &JsonLdArticle,
    page_url: Option<&Url>,
    headline: Option<&str>,
) -> Option<DateTime<FixedOffset>> {
    metadata_published(doc, tags, ld)
        .or_else(|| visible_date::find(doc, headline))
        .or_else(|| page_url.and_then(date_in_url))
}

fn metadata_published(
    doc: &Document,
    tags: &MetaTags,
    ld: &JsonLdArticle,
) -> Option<DateTime<FixedOffset>> {
    if let Some(date) = ld.published.as_deref().and_then(parse_date) {
        return Some(date);
    }
    for key in DATE_KEYS {
        if let Some(date) = tags.first(&[key]).and_then(parse_date) {
            return Some(date);
        }
    }
    if let Some(date) = tags.published_like().find_map(meta_date) {
        return Some(date);
    }
    // One document walk for all candidates; priority applies to those few.
    let all: Vec<&str> = DATE_ELEMENTS
        .iter()
        .map(|(selector, _)| *selector)
        .collect();
    let candidates = doc.select(&all.join(", "));
    DATE_ELEMENTS.iter().find_map(|(selector, attr)| {
        candidates
            .nodes()
            .iter()
            .filter(|n| n.is(selector))
            .take(3)
            .find_map(|n| n.attr(attr).as_deref().and_then(parse_date))
    })
}

/// Meta tags are written by hand more often than JSON-LD, sometimes in the
/// reader's format ("July 17, 2025").
fn meta_date(value: &str) -> Option<DateTime<FixedOffset>> {
    parse_date(value).or_else(|| visible_date::parse_visible_date(value))
}

/// Parses the date formats found in page metadata. Dates without a zone
/// are taken as UTC; a date alone is midnight.
pub(crate) fn parse_date(text: &str) -> Option<DateTime<FixedOffset>> {
    let text = normalize_spaces(text);
    let text = text.trim();
    if text.is_empty() || text.len() > 80 {
        return None;
    }
    if let Ok(d) = DateTime::parse_from_rfc3339(text) {
        return Some(d);
    }
    if let Ok(d) = DateTime::parse_from_rfc2822(text) {
        return Some(d);
    }
    const ZONED: &[&str] = &[
        "%Y-%m-%dT%H:%M:%S%.f%z",
        "%Y-%m-%dT%H:%M%z",
        "%Y-%m-%d %H:%M:%S%.f%z",
        "%Y-%m-%d %H:%M:%S %z",
        "%Y-%m-%dT%H:%M:%S%.f%#z",
    ];
    for format in ZONED {
        if let Ok(d) = DateTime::parse_from_str(text, format) {
            return Some(d);
        }
    }
    const NAIVE: &[&str] = &[
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%d %H:%M",
        "%Y/%m/%d %H:%M:%S",
    ];
    for format in NAIVE {
        if let Ok(d) = NaiveDateTime::parse_from_str(text, format) {
            return Some(utc(d));
        }
    }
    // A trailing "Z" with fractional seconds or other tails: keep the date.
    let head = text.get(..10).unwrap_or(text);
    for format in ["%Y-%m-%d", "%Y/%m/%d", "%Y%m%d"] {
        if let Ok(d) = NaiveDate::parse_from_str(head, format) {
            return Some(utc(d.and_time(NaiveTime::MIN)));
        }
    }
    None
}

fn utc(naive: NaiveDateTime) -> DateTime<FixedOffset> {
    Utc.from_utc_datetime(&naive).fixed_offset()
}

/// `/2024/03/05/` or `/2024-03-05` in the page address.
fn date_in_url(url: &Url) -> Option<DateTime<FixedOffset>> {
    let parts: Vec<&str> = url.path().split(['/', '-', '_']).collect();
    parts.windows(3).find_map(|w| {
        let (y, m, d) = (w[0], w[1], w[2]);
        if y.len() != 4 || m.len() > 2 || d.len() > 2 {
            return None;
        }
        let date = NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)?;
        Some(utc(date.and_time(NaiveTime::MIN)))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metadata_date_formats() {
        let cases = [
            ("2024-03-05T10:20:30+01:00", "2024-03-05T10:20:30+01:00"),
            ("2024-03-05T10:20:30.123Z", "2024-03-05T10:20:30.123+00:00"),
            ("2024-03-05T10:20:30+0100", "2024-03-05T10:20:30+01:00"),
            ("2024-03-05 10:20:30", "2024-03-05T10:20:30+00:00"),
            ("2024-03-05", "2024-03-05T00:00:00+00:00"),
            ("Tue, 05 Mar 2024 10:20:30 GMT", "2024-03-05T10:20:30+00:00"),
        ];
        for (input, expected) in cases {
            let parsed = parse_date(input).map(|d| d.to_rfc3339());
            assert_eq!(parsed.as_deref(), Some(expected), "{input}");
        }
        assert_eq!(parse_date("yesterday"), None);
    }

    #[test]
    fn date_from_url_path() {
        let url = Url::parse("https://example.com/news/2023/11/07/story-title").expect("url");
        assert_eq!(
            date_in_url(&url).map(|d| d.date_naive().to_string()),
            Some("2023-11-07".to_string())
        );
    }
}
