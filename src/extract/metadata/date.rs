//! Publication dates: where pages put them and the formats they use.

use std::sync::LazyLock;

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};
use dom_query::Document;
use regex::Regex;
use url::Url;

use super::visible_date::{self, month_number, MONTHS};
use super::MetaTags;
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
    ("article time[datetime]", "datetime"),
    ("time[datetime]", "datetime"),
    // The hAtom microformat of older blog engines.
    ("abbr.published[title]", "title"),
];

/// The publication date. A full date in the address wins: it is fixed
/// when the article is published and never rewritten, while metadata is
/// sometimes refreshed on edit or written in UTC across midnight (on the
/// benchmark the address date is right on all 33 pages that have one).
/// Metadata agreeing with it is kept for its time of day. Without one,
/// metadata first (it names the original publication), then a date shown
/// near the headline, and last the date of the page's last edit. Measured
/// on the benchmark, metadata beats the shown date when both exist, and
/// preferring a shown date that equals the last edit does not pay (24
/// pages right, 33 wrong: the answers split on "Updated ..." bylines).
/// The exception is metadata stamped at the last save: an earlier date
/// shown in the byline is then the article's own (3 pages gained, none
/// lost).
pub(super) fn published(
    doc: &Document,
    tags: &MetaTags,
    ld: &JsonLdArticle,
    page_url: Option<&Url>,
    headline: Option<&str>,
) -> Option<DateTime<FixedOffset>> {
    let metadata = metadata_published(doc, tags, ld);
    match page_url.and_then(date_in_url) {
        Some(in_url) => Some(
            metadata
                .filter(|m| m.date_naive() == in_url.date_naive())
                .unwrap_or(in_url),
        ),
        None => match metadata {
            Some(stamped) if is_save_stamp(stamped, last_modified(doc, tags, ld)) => {
                visible_date::find_in_byline(doc, headline)
                    .filter(|shown| shown.date_naive() < earliest_local_date(stamped))
                    .or(Some(stamped))
            }
            Some(published) => Some(published),
            None => visible_date::find(doc, headline).or_else(|| last_modified(doc, tags, ld)),
        },
    }
}

/// The calendar date of `time` in the westernmost zone (UTC-12): a date
/// shown for readers before it is not the same moment in some other zone.
fn earliest_local_date(time: DateTime<FixedOffset>) -> NaiveDate {
    (time.with_timezone(&Utc) - chrono::Duration::hours(12)).date_naive()
}

/// How close a publication time and the last edit's are when one save
/// wrote both.
const SAVE_STAMP_MINUTES: i64 = 10;

/// A publication time within minutes of the last edit's, or at the same
/// clock time under another zone label (one tag written in local time
/// marked UTC), was stamped by the CMS when the page was last saved (a
/// migration, a re-publish), not when the article first appeared.
fn is_save_stamp(
    published: DateTime<FixedOffset>,
    modified: Option<DateTime<FixedOffset>>,
) -> bool {
    modified.is_some_and(|modified| {
        (modified - published).num_minutes().abs() <= SAVE_STAMP_MINUTES
            || modified.naive_local() == published.naive_local()
    })
}

/// Keys naming when the page was last edited.
const MODIFIED_KEYS: &[&str] = &[
    "article:modified_time",
    "og:updated_time",
    "datemodified",
    "last-modified",
];

/// When the page was last edited: the last resort for a page that says
/// nothing else about its date, as an edit date is still closer to the
/// publication than none (matching decays over days).
fn last_modified(
    doc: &Document,
    tags: &MetaTags,
    ld: &JsonLdArticle,
) -> Option<DateTime<FixedOffset>> {
    ld.modified
        .as_deref()
        .and_then(parse_date)
        .or_else(|| tags.first(MODIFIED_KEYS).and_then(meta_date))
        .or_else(|| {
            let element = doc.select_single("[itemprop=dateModified]");
            element
                .attr("content")
                .or_else(|| element.attr("datetime"))
                .and_then(|value| parse_date(&value))
        })
}

fn metadata_published(
    doc: &Document,
    tags: &MetaTags,
    ld: &JsonLdArticle,
) -> Option<DateTime<FixedOffset>> {
    // `<time pubdate>` is written into the byline the reader sees and
    // marks that date as the publication's; a CMS refreshes its meta tags
    // and JSON-LD on edit, so where they disagree the byline is right
    // (on the benchmark: one page gained, none lost).
    if let Some(date) = doc
        .select_single("time[pubdate][datetime]")
        .attr("datetime")
        .and_then(|value| parse_date(&value))
    {
        return Some(date);
    }
    if let Some(date) = ld.published.as_deref().and_then(parse_date) {
        return Some(date);
    }
    for key in DATE_KEYS {
        if let Some(date) = tags.first(&[key]).and_then(meta_date) {
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
/// reader's format ("July 17, 2025"). (JSON-LD dates in that format were
/// wrong more often than right on the benchmark: 1 of 6.)
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

/// `/2024/03/05/` or `/2024/march/05/` as whole path segments, or an ISO
/// `2024-03-05` inside one. A number glued to a slug ("/2024/05/10-tips")
/// is not a day.
static DATE_IN_PATH: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i)/(\d{{4}})/(\d{{1,2}}|{MONTHS})/(\d{{1,2}})(?:/|$)|(?:^|[/_-])(\d{{4}})-(\d{{2}})-(\d{{2}})(?:[/_.-]|$)"
    ))
    .expect("constant pattern")
});

fn date_in_url(url: &Url) -> Option<DateTime<FixedOffset>> {
    let found = DATE_IN_PATH.captures(url.path())?;
    let (year, month, day) = match (found.get(1), found.get(2), found.get(3)) {
        (Some(y), Some(m), Some(d)) => (y, m, d),
        _ => (found.get(4)?, found.get(5)?, found.get(6)?),
    };
    let month = match month.as_str().parse() {
        Ok(number) => number,
        Err(_) => month_number(month.as_str())?,
    };
    let date = NaiveDate::from_ymd_opt(
        year.as_str().parse().ok()?,
        month,
        day.as_str().parse().ok()?,
    )?;
    Some(utc(date.and_time(NaiveTime::MIN)))
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
        let named = Url::parse("https://example.com/blog/2023/october/03/wine").expect("url");
        assert_eq!(
            date_in_url(&named).map(|d| d.date_naive().to_string()),
            Some("2023-10-03".to_string())
        );
        let iso = Url::parse("https://example.com/posts/2023-10-03-wine").expect("url");
        assert_eq!(
            date_in_url(&iso).map(|d| d.date_naive().to_string()),
            Some("2023-10-03".to_string())
        );
        for not_a_date in [
            "https://example.com/2023/marketing/03/tips",
            "https://example.com/2024/05/10-tips-for-gardens",
        ] {
            let url = Url::parse(not_a_date).expect("url");
            assert_eq!(date_in_url(&url), None, "{not_a_date}");
        }
    }

    fn published_in(head: &str, body: &str) -> Option<String> {
        let doc = Document::from(format!(
            "<html><head>{head}</head><body><h1>Storm closes the coast road</h1>{body}</body></html>"
        ));
        let tags = MetaTags::read(&doc);
        let ld = crate::extract::jsonld::read(&doc);
        published(&doc, &tags, &ld, None, Some("Storm closes the coast road"))
            .map(|d| d.date_naive().to_string())
    }

    #[test]
    fn a_named_date_meta_tag_may_be_written_for_readers() {
        assert_eq!(
            published_in(
                r#"<meta name="date" content="March 27, 2025">"#,
                "<p>Text</p>"
            )
            .as_deref(),
            Some("2025-03-27")
        );
    }

    #[test]
    fn the_bylines_pubdate_beats_refreshed_metadata() {
        let refreshed =
            r#"<meta property="article:published_time" content="2025-11-29T12:28:31-05:00">"#;
        assert_eq!(
            published_in(
                refreshed,
                r#"<p>Published <time pubdate datetime="2025-08-13">August 13, 2025</time></p>"#
            )
            .as_deref(),
            Some("2025-08-13")
        );
        // A plain `<time>` does not say it is the publication's.
        assert_eq!(
            published_in(
                refreshed,
                r#"<p><time datetime="2025-08-13">August 13, 2025</time></p>"#
            )
            .as_deref(),
            Some("2025-11-29")
        );
    }

    #[test]
    fn metadata_stamped_at_the_last_save_yields_to_the_bylines_date() {
        let stamped = r#"<script type="application/ld+json">{"@type": "BlogPosting",
            "datePublished": "2025-11-20T16:02:46.767Z", "dateModified": "2025-11-20T16:02:46.767Z"}</script>"#;
        let byline = r#"<div class="meta"><div>Liza Burke</div><div>May 14, 2025</div></div>"#;
        assert_eq!(published_in(stamped, byline).as_deref(), Some("2025-05-14"));
        // One tag in local time marked UTC, the other with its zone.
        let relabelled = r#"<meta name="DC.date" content="2024-07-05T14:20:08Z">
            <meta property="og:updated_time" content="2024-07-05T14:20:08-04:00">"#;
        assert_eq!(
            published_in(
                relabelled,
                r#"<time datetime="2024-03-01">March 1, 2024</time>"#
            )
            .as_deref(),
            Some("2024-03-01")
        );
        // A later date in the byline is the edit's.
        assert_eq!(
            published_in(relabelled, byline).as_deref(),
            Some("2024-07-05")
        );
        // A date in a sentence is an event's, not the byline's.
        assert_eq!(
            published_in(
                stamped,
                "<p>As of July 31, 2025, the agency had received 605 reports.</p>"
            )
            .as_deref(),
            Some("2025-11-20")
        );
        // The same moment in the writer's zone is no earlier date.
        let late_utc = r#"<meta property="article:published_time" content="2026-02-23T00:57:30+00:00">
            <meta property="article:modified_time" content="2026-02-23T00:57:32+00:00">"#;
        assert_eq!(
            published_in(late_utc, "<p>February 22, 2026</p>").as_deref(),
            Some("2026-02-23")
        );
        // Metadata edited later than it was published keeps its date.
        let edited = r#"<meta property="article:published_time" content="2025-11-20T16:02:46Z">
            <meta property="article:modified_time" content="2025-12-01T09:00:00Z">"#;
        assert_eq!(published_in(edited, byline).as_deref(), Some("2025-11-20"));
    }

    #[test]
    fn the_last_edit_is_the_last_resort() {
        let edited =
            r#"<meta property="article:modified_time" content="2023-06-12T10:39:42+00:00">"#;
        assert_eq!(
            published_in(edited, "<p>Text</p>").as_deref(),
            Some("2023-06-12")
        );
        // A date shown near the headline comes first.
        assert_eq!(
            published_in(edited, "<p>Posted March 5, 2023</p>").as_deref(),
            Some("2023-03-05")
        );
    }

    #[test]
    fn hatom_and_non_english_dates_are_read() {
        assert_eq!(
            published_in(
                "",
                r#"<p><abbr class="published" title="2019-06-27T10:21:40Z">jeudi 27 juin 2019</abbr></p>"#
            )
            .as_deref(),
            Some("2019-06-27")
        );
        assert_eq!(
            published_in(
                "",
                "<p class=newsdatum>Samstag, 19. Juli 2014</p><p>Text</p>"
            )
            .as_deref(),
            Some("2014-07-19")
        );
    }
}
