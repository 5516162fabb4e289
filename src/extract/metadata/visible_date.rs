//! Dates written for readers ("Posted March 5, 2024") near the headline,
//! for pages without machine-readable dates.

use std::sync::LazyLock;

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveTime, TimeZone, Utc};
use dom_query::{Document, NodeRef};
use regex::Regex;

use super::author_link::is_author_page_link;
use super::foreign_months;
use crate::extract::dom_text::{normalize_spaces, text_node_contents};

/// How many text nodes around the headline to search: bylines sit right
/// above or below it; dates further away belong to other content.
const TEXT_NODES_AFTER_HEADLINE: usize = 60;
const TEXT_NODES_BEFORE_HEADLINE: usize = 20;
/// Longer text nodes are prose, whose dates are about events.
const MAX_DATE_LINE_CHARS: usize = 120;

pub(super) const MONTHS: &str = "jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|\
                      aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?";

static MONTH_FIRST: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i)\b({MONTHS})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})\b"
    ))
    .expect("constant pattern")
});
static DAY_FIRST: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i)\b(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?({MONTHS})\.?,?\s+(\d{{4}})\b"
    ))
    .expect("constant pattern")
});
static NUMERIC: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(\d{4})-(\d{2})-(\d{2})(?:\b|[Tt]\d)|\b(\d{1,2})([/.])(\d{1,2})[/.](\d{4})\b")
        .expect("constant pattern")
});

/// Searches around the heading that carries `headline` (pages also have
/// `<h1>`s in search boxes and menus), else around the first `<h1>`, or on
/// a page without one around the first `<h2>` (templates that style the
/// headline as a second-level heading); then
/// anywhere for a date the page marks as one ("Posted on ...", an element
/// classed `date`), as some pages put the byline under the article. Near
/// the headline a marked date comes before an unmarked one, which may be
/// an event's date in the first paragraphs ("Date: 16-19 March 2026").
pub(super) fn find(doc: &Document, headline: Option<&str>) -> Option<DateTime<FixedOffset>> {
    search(doc, headline, false)
}

/// A date near the headline that a byline shows: marked as a date, or
/// standing on its own line ("Dec 18, 2025", "Updated on Jul 4, 2024"),
/// not one in a sentence ("As of July 31, 2025, the agency had ...").
pub(super) fn find_in_byline(
    doc: &Document,
    headline: Option<&str>,
) -> Option<DateTime<FixedOffset>> {
    search(doc, headline, true)
}

fn search(
    doc: &Document,
    headline: Option<&str>,
    byline_only: bool,
) -> Option<DateTime<FixedOffset>> {
    let body = doc.body()?;
    let numeric_order = NumericOrder::of_page(doc);
    let today = Utc::now().date_naive();
    let parse = |text: &str| {
        text.bytes()
            .any(|b| b.is_ascii_digit())
            .then(|| parse_reader_date(text, numeric_order, today))
            .flatten()
    };
    // Each text piece's node, its date if it reads as one, and whether
    // the page marks that date as one.
    let mut lines: Vec<(NodeRef, Option<DateTime<FixedOffset>>, bool)> = Vec::new();
    let mut marked = None;
    let mut headline_at = None;
    let mut first_h1_at = None;
    let mut first_h2_at = None;
    for node in body.descendants_it() {
        if node.has_name("h2") {
            first_h2_at.get_or_insert(lines.len());
        }
        if headline_at.is_none() && node.has_name("h1") {
            first_h1_at.get_or_insert(lines.len());
            if headline.is_some_and(|h| normalize_spaces(&node.text()) == h) {
                headline_at = Some(lines.len());
            }
        }
        let Some(text) = visible_text(&node) else {
            continue;
        };
        let anchor = headline_at.or(first_h1_at);
        let near = anchor.is_none_or(|at| lines.len() <= at + TEXT_NODES_AFTER_HEADLINE);
        if near {
            let date = parse(&text);
            let is_marked = date.is_some() && is_marked_date(&node, &text);
            let date = date.filter(|_| !byline_only || is_marked || stands_alone(&text));
            lines.push((node, date, is_marked));
        } else if marked.is_none() && !byline_only {
            marked = parse(&text).filter(|_| is_marked_date(&node, &text) && !is_quoted(&node));
        }
    }
    let anchor = headline_at.or(first_h1_at).or(first_h2_at).unwrap_or(0);
    let start = anchor.saturating_sub(TEXT_NODES_BEFORE_HEADLINE);
    let end = lines.len().min(anchor + TEXT_NODES_AFTER_HEADLINE);
    // Below the headline first: that is where bylines usually are.
    let order = || (anchor..end).chain(start..anchor.min(lines.len()));
    // The quotation check walks up the tree, so only for dates found.
    let unquoted_date = |i: usize| {
        let (node, date, _) = &lines[i];
        date.filter(|_| !is_quoted(node))
    };
    order()
        .filter(|&i| lines[i].2)
        .find_map(unquoted_date)
        .or_else(|| order().find_map(unquoted_date))
        .or(marked)
}

/// A line that is a date and at most a label around it.
fn stands_alone(text: &str) -> bool {
    let words = text
        .split_whitespace()
        .filter(|w| w.chars().any(char::is_alphabetic));
    words.count() <= 3
}

const DATE_LABELS: &[&str] = &["posted", "published", "written", "updated", "last updated"];
const DATE_CLASSES: &[&str] = &["date", "time", "publish", "publication", "posted"];

/// Whether a date is labelled as such in its text or by its element's
/// class, or written right after a link to the author's page (a byline's
/// date). `text` is already known to read as a date.
fn is_marked_date(node: &NodeRef, text: &str) -> bool {
    let lower = text.to_lowercase();
    DATE_LABELS.iter().any(|l| lower.starts_with(l))
        || node.ancestors_it(Some(2)).any(|a| {
            let class = a.attr_or("class", "").to_lowercase();
            DATE_CLASSES.iter().any(|c| class.contains(c))
                || a.attr_or("itemprop", "")
                    .eq_ignore_ascii_case("datePublished")
                || a.prev_element_sibling().is_some_and(|before| {
                    // A byline is a small element; a bigger one is content.
                    is_author_page_link(&before)
                        || before
                            .descendants_it()
                            .take(BYLINE_NODES)
                            .any(|d| is_author_page_link(&d))
                })
        })
}

/// How many nodes of the element before a date are searched for the
/// author's link.
const BYLINE_NODES: usize = 8;

/// Inside a quotation: a date there, such as an embedded post's ("— Hamn
/// Residents (@hamnres) May 3, 2026"), dates the quoted words.
fn is_quoted(node: &NodeRef) -> bool {
    node.ancestors_it(None).any(|a| a.has_name("blockquote"))
}

fn visible_text(node: &NodeRef) -> Option<String> {
    let contents = text_node_contents(node)?;
    let text = contents.trim();
    if text.is_empty() || text.chars().count() > MAX_DATE_LINE_CHARS {
        return None;
    }
    let hidden_parent = node.parent().is_some_and(|p| {
        p.has_name("script")
            || p.has_name("style")
            || p.has_name("noscript")
            || p.has_name("template")
    });
    (!hidden_parent).then(|| text.to_owned())
}

/// Which number comes first in a date like "03/05/2024".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum NumericOrder {
    MonthFirst,
    DayFirst,
}

impl NumericOrder {
    /// American English writes the month first, as do pages that name no
    /// language (the common case for unmarked English); the rest of the
    /// world, British English included, writes the day first.
    fn of_page(doc: &Document) -> Self {
        let lang = doc
            .select_single("html")
            .attr("lang")
            .map(|l| l.to_lowercase());
        match lang.as_deref() {
            None | Some("" | "en" | "en-us" | "en_us") => NumericOrder::MonthFirst,
            Some(_) => NumericOrder::DayFirst,
        }
    }
}

/// "March 5, 2024", "5th March 2024", "14. Juni 2019" (and the other
/// languages of [`foreign_months`]), "2024-03-05", "03/05/2024" (month
/// first unless the first number cannot be a month), "05.03.2024",
/// "2024.03.05".
pub(crate) fn parse_visible_date(text: &str) -> Option<DateTime<FixedOffset>> {
    parse_reader_date(text, NumericOrder::MonthFirst, Utc::now().date_naive())
}

/// [`parse_visible_date`] with slashed numbers read in `order`. Either way
/// the other order is taken when this one would put the date after
/// `today` and the other would not: no page reports what has not happened.
fn parse_reader_date(
    text: &str,
    order: NumericOrder,
    today: NaiveDate,
) -> Option<DateTime<FixedOffset>> {
    let date = if let Some(c) = MONTH_FIRST.captures(text) {
        ymd(&c[3], month_number(&c[1])?, &c[2])
    } else if let Some(c) = DAY_FIRST.captures(text) {
        ymd(&c[3], month_number(&c[2])?, &c[1])
    } else if let Some(date) = foreign_months::day_month_year(text) {
        Some(date)
    } else if let Some(date) = year_first(text) {
        Some(date)
    } else {
        let c = NUMERIC.captures(text)?;
        if let Some(year) = c.get(1) {
            ymd(year.as_str(), c[2].parse().ok()?, &c[3])
        } else {
            let (a, b): (u32, u32) = (c[4].parse().ok()?, c[6].parse().ok()?);
            let day_first = &c[5] == "." || a > 12 || (order == NumericOrder::DayFirst && b <= 12);
            let (month, day) = if day_first { (b, a) } else { (a, b) };
            let read = ymd(&c[7], month, &day.to_string());
            let swapped = (a <= 12 && b <= 12)
                .then(|| ymd(&c[7], day, &month.to_string()))
                .flatten();
            match (read, swapped) {
                (Some(date), Some(other)) if date > today && other <= today => Some(other),
                _ => read,
            }
        }
    }?;
    Some(
        Utc.from_utc_datetime(&date.and_time(NaiveTime::MIN))
            .fixed_offset(),
    )
}

/// "2025.12.17" and "2025/12/17": year, month, day, as East Asian,
/// Hungarian and many technical pages write them. One separator
/// throughout, and no fourth number after it (a version, an address).
static YEAR_FIRST: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b((?:19|20)\d{2})([./])(\d{1,2})([./])(\d{1,2})\b(\.\d)?")
        .expect("constant pattern")
});

fn year_first(text: &str) -> Option<NaiveDate> {
    let c = YEAR_FIRST.captures(text)?;
    (c[2] == c[4] && c.get(6).is_none())
        .then(|| ymd(&c[1], c[3].parse().ok()?, &c[5]))
        .flatten()
}

fn ymd(year: &str, month: u32, day: &str) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(year.parse().ok()?, month, day.parse().ok()?)
}

pub(super) fn month_number(name: &str) -> Option<u32> {
    let prefix: String = name.chars().take(3).collect::<String>().to_lowercase();
    let months = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    months
        .iter()
        .position(|m| *m == prefix)
        .map(|i| i as u32 + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown_day(doc: &Document) -> Option<String> {
        find(doc, None).map(|d| d.date_naive().to_string())
    }

    fn day(text: &str) -> Option<String> {
        parse_visible_date(text).map(|d| d.date_naive().to_string())
    }

    #[test]
    fn a_page_without_h1_has_its_byline_beside_the_first_h2() {
        let menu: String = (0..80).map(|i| format!("<li>Menu item {i}</li>")).collect();
        let doc = Document::from(format!(
            "<html><body><ul>{menu}</ul><h2>Ferry terminal reopens</h2>\
             <p>Jan Berg</p><small>December 17, 2025</small><p>Text.</p></body></html>"
        ));
        assert_eq!(shown_day(&doc).as_deref(), Some("2025-12-17"));
    }

    #[test]
    fn a_marked_date_beats_an_event_date_under_the_headline() {
        let doc = Document::from(
            "<html><body><div class=\"date-article\">OCTOBER 13, 2025</div>\
             <h1>Tech events of the year</h1><h2>Expo</h2><p><b>Date</b>: 16-19 March 2026</p></body></html>",
        );
        assert_eq!(shown_day(&doc).as_deref(), Some("2025-10-13"));
        let doc = Document::from(
            "<html><body><h1>Go slowly</h1><p>Event: 16-19 March 2026</p>\
             <p><span itemprop=\"datePublished\">December 7, 2020</span></p></body></html>",
        );
        assert_eq!(shown_day(&doc).as_deref(), Some("2020-12-07"));
    }

    #[test]
    fn an_embedded_posts_date_is_not_the_articles() {
        let doc = Document::from(
            "<html><body><h1>Bridge vote delayed</h1><p>Councillors put off the vote.</p>\
             <blockquote class=twitter-tweet><p>The vote is off again.</p>— Residents \
             <a href=https://x.example/s/1>May 3, 2026</a></blockquote><p>Posted May 4, 2026</p>\
             </body></html>",
        );
        assert_eq!(shown_day(&doc).as_deref(), Some("2026-05-04"));
    }

    #[test]
    fn a_date_after_the_authors_link_is_the_bylines() {
        let filler: String = (0..70).map(|i| format!("<p>Paragraph {i}.</p>")).collect();
        let doc = Document::from(format!(
            "<html><body><h1>Ferry pier to close</h1>{filler}<div><p><a href=/blog/author/jan-berg>\
             Jan Berg</a></p><p class=small>April 8, 2024</p></div></body></html>"
        ));
        assert_eq!(shown_day(&doc).as_deref(), Some("2024-04-08"));
    }

    #[test]
    fn slashed_dates_follow_the_pages_language() {
        let british = Document::from(
            "<html lang=en-GB><body><h1>Keeper retires</h1><p>By Kari Holm | 04/03/2024</p></body></html>",
        );
        let american = Document::from(
            "<html lang=en><body><h1>Keeper retires</h1><p>By Kari Holm | 04/03/2024</p></body></html>",
        );
        assert_eq!(shown_day(&british).as_deref(), Some("2024-03-04"));
        assert_eq!(shown_day(&american).as_deref(), Some("2024-04-03"));
    }

    #[test]
    fn reader_date_formats() {
        assert_eq!(
            day("Updated March 5, 2024 at 4:28 PM").as_deref(),
            Some("2024-03-05")
        );
        assert_eq!(day("Sept. 12th, 2023").as_deref(), Some("2023-09-12"));
        assert_eq!(
            day("Posted on 5th of March 2024").as_deref(),
            Some("2024-03-05")
        );
        assert_eq!(day("2024-03-05").as_deref(), Some("2024-03-05"));
        assert_eq!(day("2024-03-05T08:10+02:00").as_deref(), Some("2024-03-05"));
        assert_eq!(day("03/05/2024").as_deref(), Some("2024-03-05"));
        assert_eq!(day("25/12/2024").as_deref(), Some("2024-12-25"));
        assert_eq!(day("05.03.2024").as_deref(), Some("2024-03-05"));
        assert_eq!(
            day("Published: 2024.03.05 |").as_deref(),
            Some("2024-03-05")
        );
        assert_eq!(day("2024/3/5").as_deref(), Some("2024-03-05"));
        assert_eq!(day("2024.03/05"), None, "mixed separators");
        assert_eq!(day("version 2024.03.05.1"), None, "four numbers");
        let today = NaiveDate::from_ymd_opt(2026, 11, 22).expect("valid date");
        // December 3rd 2026 has not come yet: such a page writes the day first.
        for (text, order, expected) in [
            ("12/03/2024", NumericOrder::DayFirst, "2024-03-12"),
            ("03/12/2024", NumericOrder::MonthFirst, "2024-03-12"),
            ("12/03/2026", NumericOrder::MonthFirst, "2026-03-12"),
            ("03/12/2026", NumericOrder::DayFirst, "2026-03-12"),
        ] {
            let read = parse_reader_date(text, order, today).map(|d| d.date_naive().to_string());
            assert_eq!(read.as_deref(), Some(expected), "{text} {order:?}");
        }
        assert_eq!(day("March 2024 newsletter"), None);
        assert_eq!(day("February 30, 2024"), None);
    }
}
