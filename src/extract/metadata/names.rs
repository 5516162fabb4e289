//! The headline and the author's name.

use dom_query::Document;

use super::MetaTags;
use crate::extract::dom_text::normalize_spaces;
use crate::extract::jsonld::JsonLdArticle;

/// Separators sites put between a headline and their own name.
const TITLE_SEPARATORS: &[&str] = &[" | ", " - ", " – ", " — ", " :: ", " » ", " · ", " / "];
const MAX_TITLE_CHARS: usize = 400;

/// The visible headline when a heading agrees with the metadata titles
/// (which often carry a site suffix), else the best metadata title with
/// the site name cut off.
pub(super) fn title(
    doc: &Document,
    tags: &MetaTags,
    ld: &JsonLdArticle,
    site_name: Option<&str>,
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
    .map(normalize_spaces)
    .filter(|t| !t.is_empty() && t.chars().count() <= MAX_TITLE_CHARS)
    .collect();
    let headings: Vec<String> = doc
        .select("h1, h2")
        .iter()
        .take(20)
        .map(|h| normalize_spaces(&h.text()))
        .filter(|t| !t.is_empty() && t.chars().count() <= MAX_TITLE_CHARS)
        .collect();
    let agreeing = headings
        .iter()
        .find(|h| meta_titles.iter().any(|m| headline_agrees(h, m)));
    if let Some(heading) = agreeing {
        return Some(heading.clone());
    }
    match meta_titles.first() {
        Some(meta) => Some(strip_site_name(meta, site_name)),
        None => doc
            .select("h1")
            .iter()
            .map(|h| normalize_spaces(&h.text()))
            .find(|t| !t.is_empty() && t.chars().count() <= MAX_TITLE_CHARS),
    }
}

fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// A heading is the headline when its words appear as a run in a metadata
/// title and cover most of it.
fn headline_agrees(heading: &str, meta: &str) -> bool {
    let heading = words(heading);
    let meta = words(meta);
    if heading.len() < 2 || meta.is_empty() {
        return heading == meta && !heading.is_empty();
    }
    heading.len() * 2 >= meta.len()
        && meta.windows(heading.len()).any(|w| w == heading.as_slice())
}

/// Cuts "Headline | Site" or "Site - Headline" down to the headline.
fn strip_site_name(title: &str, site_name: Option<&str>) -> String {
    for separator in TITLE_SEPARATORS {
        let Some((head, tail)) = title.rsplit_once(separator) else {
            continue;
        };
        let is_site = |part: &str| {
            site_name.is_some_and(|s| words(part) == words(s)) || words(part).len() <= 3
        };
        if is_site(tail) && words(head).len() >= 3 {
            return head.trim().to_owned();
        }
        if let Some((first, rest)) = title.split_once(separator) {
            if site_name.is_some_and(|s| words(first) == words(s)) && words(rest).len() >= 3 {
                return rest.trim().to_owned();
            }
        }
    }
    title.to_owned()
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

pub(super) fn author(doc: &Document, tags: &MetaTags, ld: &JsonLdArticle) -> Option<String> {
    if !ld.authors.is_empty() {
        return clean_author(&ld.authors.join(", "));
    }
    let from_meta = AUTHOR_KEYS.iter().find_map(|key| {
        let value = tags.first(&[key])?;
        if value.starts_with("http") {
            return None;
        }
        clean_author(value)
    });
    from_meta.or_else(|| {
        AUTHOR_ELEMENTS.iter().find_map(|selector| {
            let element = doc.select_single(selector);
            let text = element.attr("content").unwrap_or_else(|| element.text());
            clean_author(&text)
        })
    })
}

/// Strips "By"/"Written by" and rejects text that is no name.
fn clean_author(raw: &str) -> Option<String> {
    let text = normalize_spaces(raw);
    let mut name = text.as_str();
    for prefix in ["written by", "posted by", "by:", "by", "von", "par", "por"] {
        let Some((head, rest)) = name.split_at_checked(prefix.len()) else {
            continue;
        };
        if head.eq_ignore_ascii_case(prefix) && rest.starts_with([' ', ':']) {
            name = rest.trim_start_matches([' ', ':']);
            break;
        }
    }
    let name = name.trim_matches(|c: char| c.is_whitespace() || c == ',' || c == '|');
    let plausible = !name.is_empty()
        && name.chars().count() <= MAX_AUTHOR_CHARS
        && name.chars().any(char::is_alphabetic)
        && !name.contains("://");
    plausible.then(|| name.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn site_name_is_cut_from_titles() {
        assert_eq!(
            strip_site_name("Storm closes the coast road | Daily Gazette", Some("Daily Gazette")),
            "Storm closes the coast road"
        );
        assert_eq!(
            strip_site_name("Daily Gazette - Storm closes the coast road today", Some("Daily Gazette")),
            "Storm closes the coast road today"
        );
        assert_eq!(strip_site_name("Rock - Paper - Scissors", None), "Rock - Paper - Scissors");
    }

    #[test]
    fn bylines_are_cleaned() {
        assert_eq!(clean_author("By Jane Doe").as_deref(), Some("Jane Doe"));
        assert_eq!(clean_author("  by: Jane Doe, ").as_deref(), Some("Jane Doe"));
        assert_eq!(clean_author("Byron Smith").as_deref(), Some("Byron Smith"));
        assert_eq!(clean_author("https://example.com/jane"), None);
    }
}
