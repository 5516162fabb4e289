//! The headline and the author's name.

use std::sync::LazyLock;

use dom_query::{Document, NodeData};
use regex::Regex;

use super::MetaTags;
use crate::extract::dom_text::{normalize_spaces, words};
use crate::extract::jsonld::JsonLdArticle;

/// Separators sites put between a headline and their own name.
const TITLE_SEPARATORS: &[&str] = &[" | ", " - ", " – ", " — ", " :: ", " » ", " · ", " / "];
const MAX_TITLE_CHARS: usize = 400;

/// The visible headline: the page's first real `<h1>`, preferring one
/// that agrees with the metadata titles (which often carry a site suffix
/// or an SEO variant). Without a usable heading, the best metadata title
/// with the site name cut off.
pub(super) fn title(
    doc: &Document,
    tags: &MetaTags,
    ld: &JsonLdArticle,
    site_name: Option<&str>,
    page_host: Option<&str>,
) -> Option<String> {
    let html_title = doc.select_single("head title").text();
    let meta_titles: Vec<String> = [
        ld.headline.as_deref(),
        tags.first(&["og:title"]),
        tags.first(&["twitter:title"]),
        tags.first(super::TITLE_KEYS),
        Some(html_title.as_ref()),
    ]
    .into_iter()
    .flatten()
    .map(|t| normalize_spaces(&decode_entities(t)))
    .filter(|t| !t.is_empty() && t.chars().count() <= MAX_TITLE_CHARS)
    .collect();
    let site_words = site_name.map(words);
    let is_site_label = |text: &str| {
        let text_words = words(text);
        site_words.as_ref() == Some(&text_words)
            || page_host.is_some_and(|h| text.to_lowercase().contains(h))
    };
    let headings = |selector: &str| -> Vec<String> {
        doc.select(selector)
            .iter()
            .take(MAX_HEADINGS)
            .filter(|h| !in_page_chrome(h))
            .map(|h| normalize_spaces(&h.formatted_text()))
            .filter(|t| !t.is_empty() && t.chars().count() <= MAX_TITLE_CHARS && !is_site_label(t))
            .collect()
    };
    let agrees = |h: &&String| meta_titles.iter().any(|m| headline_agrees(h, m));
    let h1s = headings("h1");
    if let Some(heading) = h1s.iter().find(agrees) {
        return Some(heading.clone());
    }
    if let Some(heading) = headings("h2").iter().find(agrees) {
        return Some(heading.clone());
    }
    // A heading that shares little wording with every metadata title names
    // a section, the blog or a page widget ("Contact Us", "Engora Data
    // Blog"), not this article.
    let on_topic =
        |h: &&String| meta_titles.is_empty() || meta_titles.iter().any(|m| shares_words(h, m));
    if let Some(heading) = h1s.iter().find(|h| words(h).len() >= 2 && on_topic(h)) {
        return Some(heading.clone());
    }
    meta_titles
        .first()
        .map(|meta| strip_site_name(meta, &Site::new(site_name, page_host)))
}

/// Only the first few headings can be the page's headline.
const MAX_HEADINGS: usize = 5;

/// Headings in navigation, sidebars and footers, or marked as the logo,
/// name the site or a section, not the article.
fn in_page_chrome(heading: &dom_query::Selection) -> bool {
    let Some(node) = heading.nodes().first() else {
        return true;
    };
    std::iter::once(*node)
        .chain(node.ancestors_it(Some(4)))
        .any(|n| {
            let marker =
                format!("{} {}", n.attr_or("class", ""), n.attr_or("id", "")).to_lowercase();
            n.has_name("nav")
                || n.has_name("aside")
                || n.has_name("footer")
                || ["logo", "brand", "site-title", "site-name"]
                    .iter()
                    .any(|m| marker.contains(m))
        })
}

/// Meta values are sometimes escaped twice, leaving "&amp;" after parsing.
fn decode_entities(text: &str) -> String {
    if !text.contains('&') {
        return text.to_owned();
    }
    let fragment = dom_query::Document::fragment(format!("<p>{text}</p>"));
    fragment.select("p").text().to_string()
}

/// A heading is the headline when its words appear as a run in a metadata
/// title and cover at least half of it.
fn headline_agrees(heading: &str, meta: &str) -> bool {
    let heading = words(heading);
    let meta = words(meta);
    if heading.len() < 2 || meta.is_empty() {
        return heading == meta && !heading.is_empty();
    }
    heading.len() * 2 >= meta.len() && meta.windows(heading.len()).any(|w| w == heading.as_slice())
}

/// At least a third of the heading's words occur in the title.
fn shares_words(heading: &str, title: &str) -> bool {
    let heading = words(heading);
    let title = words(title);
    let shared = heading.iter().filter(|w| title.contains(w)).count();
    3 * shared >= heading.len()
}

/// What names the site in a title: its `og:site_name` and its host.
struct Site {
    name: Option<Vec<String>>,
    /// The host's own label ("ucdavis" of "health.ucdavis.edu", "bbc" of
    /// "www.bbc.co.uk"), when long enough to be a name.
    host_label: Option<String>,
}

impl Site {
    fn new(name: Option<&str>, host: Option<&str>) -> Self {
        let host_label = host.and_then(|h| {
            let labels: Vec<&str> = h.split('.').collect();
            let mut below_suffix = labels.iter().rev().skip(1);
            let label = below_suffix.next()?;
            let label = if label.len() <= 3 {
                below_suffix.next()?
            } else {
                label
            };
            (label.len() >= 4).then(|| label.to_lowercase())
        });
        Site {
            name: name.map(words),
            host_label,
        }
    }

    /// "Daily Gazette", "dailygazette.com", "UC Davis Children's Hospital"
    /// on health.ucdavis.edu.
    fn is_named_by(&self, part: &str) -> bool {
        let part_words = words(part);
        if self.name.as_ref() == Some(&part_words) {
            return true;
        }
        let is_domain = part.contains('.') && !part.trim().contains(' ');
        let joined: String = part_words.concat();
        is_domain
            || self
                .host_label
                .as_ref()
                .is_some_and(|label| joined.contains(label))
    }
}

/// Cuts "Headline | Section | Site" or "Site - Headline" down to the
/// headline.
fn strip_site_name(title: &str, site: &Site) -> String {
    let mut title = title.trim();
    while let Some(shorter) = strip_one_site_part(title, site) {
        title = shorter;
    }
    title.to_owned()
}

fn strip_one_site_part<'t>(title: &'t str, site: &Site) -> Option<&'t str> {
    for separator in TITLE_SEPARATORS {
        if let Some((head, tail)) = title.rsplit_once(separator) {
            let head_words = words(head).len();
            if site.is_named_by(tail) && head_words >= 1
                || words(tail).len() <= 3 && head_words >= 3
            {
                return Some(head.trim());
            }
        }
        if let Some((first, rest)) = title.split_once(separator) {
            if site.is_named_by(first) && words(rest).len() >= 3 {
                return Some(rest.trim());
            }
        }
    }
    None
}

const AUTHOR_KEYS: &[&str] = &[
    "author",
    "article:author",
    "byl",
    "parsely-author",
    "sailthru.author",
    "dc.creator",
    "dcterms.creator",
    "citation_author",
    "article:author_name",
];

/// Elements whose text is a byline, most specific first.
const AUTHOR_ELEMENTS: &[&str] = &[
    "[itemprop=author] [itemprop=name]",
    "[itemprop=author]",
    "a[rel=author]",
    ".author-name",
    ".byline-name",
    ".author a",
    ".byline a",
    ".author",
    ".byline",
];

const MAX_AUTHOR_CHARS: usize = 100;

/// A person named as the author: JSON-LD, then meta tags, then byline
/// elements. Organisations named as authors are left for the caller to
/// use when nothing better turns up.
pub(super) fn author(
    doc: &Document,
    tags: &MetaTags,
    ld: &JsonLdArticle,
    site_name: Option<&str>,
) -> Option<String> {
    if !ld.authors.is_empty() {
        return clean_author(&ld.authors.join(", "));
    }
    let is_site = |name: &str| {
        site_name.is_some_and(|s| words(s) == words(name))
            || ld
                .author_organizations
                .iter()
                .any(|o| words(o) == words(name))
    };
    let from_meta = AUTHOR_KEYS.iter().find_map(|key| {
        let value = tags.first(&[key])?;
        if value.starts_with("http") || is_site(value) {
            return None;
        }
        clean_author(value)
    });
    from_meta.or_else(|| byline_element(doc))
}

/// The first byline element by [`AUTHOR_ELEMENTS`] priority. One document
/// walk finds all candidates; the priority order is applied to those few.
fn byline_element(doc: &Document) -> Option<String> {
    let candidates = doc.select(&AUTHOR_ELEMENTS.join(", "));
    AUTHOR_ELEMENTS.iter().find_map(|selector| {
        let element = candidates.nodes().iter().find(|n| n.is(selector))?;
        match element.attr("content") {
            Some(content) => clean_author(&content),
            None => name_in_byline(element),
        }
    })
}

/// The name among a byline's text pieces. Bylines run labels, names,
/// dates and reading times together in separate elements ("By" "Jane Doe"
/// "March 5, 2024" "4 min read"); joined, they would read as one name.
fn name_in_byline(byline: &dom_query::NodeRef) -> Option<String> {
    let pieces: Vec<String> = byline
        .descendants_it()
        .filter_map(|node| {
            node.query_or(None, |n| match &n.data {
                NodeData::Text { contents } => Some(normalize_spaces(contents)),
                _ => None,
            })
        })
        .filter(|piece| !piece.is_empty())
        .collect();
    if pieces.len() <= 1 {
        return clean_author(&byline.text());
    }
    pieces
        .iter()
        .filter_map(|piece| clean_author(piece))
        .find(|piece| is_name_piece(piece))
}

/// Words that label a byline rather than name anyone.
const BYLINE_LABELS: &[&str] = &[
    "by",
    "from",
    "written",
    "posted",
    "author",
    "authors",
    "published",
    "updated",
    "and",
];

/// A piece of a byline that can be a name: no digits (dates, reading
/// times) and not just a label ("Written by", "Insights from").
fn is_name_piece(piece: &str) -> bool {
    let piece_words = words(piece);
    let last_is_label = piece_words
        .last()
        .is_some_and(|w| BYLINE_LABELS.contains(&w.as_str()));
    !piece.chars().any(|c| c.is_ascii_digit())
        && !piece_words.is_empty()
        && piece_words.len() <= MAX_NAME_WORDS
        && !last_is_label
}

const MAX_NAME_WORDS: usize = 8;

/// Strips "By"/"Written by" and the dates, reading times and labels that
/// bylines run on with ("Jane DoePublished on July 18, 2025"), and rejects
/// text that is no name.
pub(crate) fn clean_author(raw: &str) -> Option<String> {
    let text = normalize_spaces(raw);
    let mut name = text.as_str();
    for prefix in ["written by", "posted by", "by:", "by", "von", "par", "por"] {
        let Some((head, rest)) = name.split_at_checked(prefix.len()) else {
            continue;
        };
        // "BySummer Swann": the label glued to a capitalised name.
        let glued = head.ends_with(['y', 'Y']) && rest.starts_with(char::is_uppercase);
        if head.eq_ignore_ascii_case(prefix) && (rest.starts_with([' ', ':']) || glued) {
            name = rest.trim_start_matches([' ', ':']);
            break;
        }
    }
    if let Some(date) = LEADING_DATE.find(name) {
        name = &name[date.end()..];
    }
    if let Some(tail) = RUN_ON.find(name).filter(|tail| tail.start() > 0) {
        name = &name[..tail.start()];
    }
    let name = name.trim_matches(|c: char| c.is_whitespace() || ",|-–—•·:".contains(c));
    let plausible = !name.is_empty()
        && name.chars().count() <= MAX_AUTHOR_CHARS
        && name.chars().any(char::is_alphabetic)
        && !name.contains("://");
    plausible.then(|| name.to_owned())
}

const MONTH_NAMES: &str = "(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\\.?";

/// A date opening a byline: "Dec 17, 2025Julian K. Arni".
static LEADING_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"^(?:{MONTH_NAMES} \d{{1,2}}(?:st|nd|rd|th)?,? \d{{4}}|\d{{1,2}}(?:st|nd|rd|th)? {MONTH_NAMES},? \d{{4}}|\d{{4}}-\d{{2}}-\d{{2}})"
    ))
    .expect("constant pattern")
});

/// Where a name stops and the rest of the byline begins: a label, a date
/// or a number with more after it (times, reading times); a number ending
/// the text belongs to the name ("Rapid7", "Channel 4").
static RUN_ON: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"Published|Last [Uu]pdated|Updated|Posted|Reviewed|{MONTH_NAMES} ?\d|\d+\D"
    ))
    .expect("constant pattern")
});

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn site_name_is_cut_from_titles() {
        assert_eq!(
            strip_site_name(
                "Storm closes the coast road | Daily Gazette",
                &Site::new(Some("Daily Gazette"), None)
            ),
            "Storm closes the coast road"
        );
        assert_eq!(
            strip_site_name(
                "Helping toddlers sleep | Patient Education | UC Davis Children's Hospital",
                &Site::new(None, Some("health.ucdavis.edu"))
            ),
            "Helping toddlers sleep"
        );
        assert_eq!(
            strip_site_name(
                "Daily Gazette - Storm closes the coast road today",
                &Site::new(Some("Daily Gazette"), None)
            ),
            "Storm closes the coast road today"
        );
        assert_eq!(
            strip_site_name("Rock - Paper - Scissors", &Site::new(None, None)),
            "Rock - Paper - Scissors"
        );
    }

    #[test]
    fn a_heading_unrelated_to_the_metadata_titles_is_not_the_headline() {
        let page = |h1: &str| {
            Document::from(format!(
                r#"<html><head><meta property="og:title" content="Storm closes the coast road | Gazette">
                </head><body><h1>{h1}</h1><p>Text</p></body></html>"#
            ))
        };
        let headline = |doc: &Document| {
            let tags = MetaTags::read(doc);
            title(doc, &tags, &JsonLdArticle::default(), Some("Gazette"), None)
        };
        assert_eq!(
            headline(&page("Contact Us")).as_deref(),
            Some("Storm closes the coast road")
        );
        // A reworded headline still shares its words and stays.
        assert_eq!(
            headline(&page("Coast road shut as storm hits")).as_deref(),
            Some("Coast road shut as storm hits")
        );
    }

    #[test]
    fn bylines_are_cleaned() {
        assert_eq!(clean_author("By Jane Doe").as_deref(), Some("Jane Doe"));
        assert_eq!(
            clean_author("  by: Jane Doe, ").as_deref(),
            Some("Jane Doe")
        );
        assert_eq!(clean_author("Byron Smith").as_deref(), Some("Byron Smith"));
        assert_eq!(clean_author("https://example.com/jane"), None);
        for (run_on, name) in [
            ("Reyan PerumalPublished on July 18, 2025", "Reyan Perumal"),
            ("BySummer Swann-June 12, 2025", "Summer Swann"),
            ("Dec 17, 2025Julian K. Arni", "Julian K. Arni"),
            (
                "Cazzy MagennisLast Updated:August 1, 2025",
                "Cazzy Magennis",
            ),
            ("jsteinhardt18th Dec 2025 3 min read", "jsteinhardt"),
            ("Written byAAA Travel Editor", "AAA Travel Editor"),
            ("Theresa May", "Theresa May"),
            ("Rapid7", "Rapid7"),
            ("Brian Becker7 min read", "Brian Becker"),
        ] {
            assert_eq!(clean_author(run_on).as_deref(), Some(name), "{run_on}");
        }
    }
}
