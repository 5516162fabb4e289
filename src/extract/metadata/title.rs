//! The headline: the page's visible `<h1>` when metadata agrees, else the
//! best metadata title with the site's name cut off.

use dom_query::Document;
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
    html_title: &str,
    site_name: Option<&str>,
    page_host: Option<&str>,
) -> Option<String> {
    let meta_titles: Vec<String> = [
        ld.headline.as_deref(),
        tags.first(&["og:title"]),
        tags.first(&["twitter:title"]),
        tags.first(super::TITLE_KEYS),
    ]
    .into_iter()
    .flatten()
    .map(|t| normalize_spaces(&decode_entities(t)))
    .chain(std::iter::once(html_title.to_owned()))
    .filter(|t| !t.is_empty() && t.chars().count() <= MAX_TITLE_CHARS)
    .collect();
    let site = Site::new(site_name, page_host);
    let headings = |selector: &str| -> Vec<String> {
        doc.select(selector)
            .iter()
            .take(MAX_HEADINGS)
            .filter(|h| !in_page_chrome(h))
            .map(|h| heading_text(&h))
            .filter(|t| {
                !t.is_empty() && t.chars().count() <= MAX_TITLE_CHARS && !site.labels_heading(t)
            })
            .collect()
    };
    let agrees = |h: &&String| meta_titles.iter().any(|m| headline_agrees(h, m));
    let h1s = headings("h1");
    let on_topic =
        |h: &&String| meta_titles.is_empty() || meta_titles.iter().any(|m| shares_words(h, m));
    let heading = h1s
        .iter()
        .find(agrees)
        .cloned()
        .or_else(|| headings("h2").into_iter().find(|h| agrees(&h)))
        // A heading that shares little wording with every metadata title
        // names a section, the blog or a page widget ("Contact Us", "Engora
        // Data Blog"), not this article. Only the first is a candidate:
        // templates that give the site's name an `<h1>` give the article's
        // sections the later ones.
        .or_else(|| {
            h1s.first()
                .filter(|h| words(h).len() >= 2 && on_topic(h))
                .cloned()
        });
    let meta_title = || meta_titles.first().map(|meta| strip_site_name(meta, &site));
    match heading {
        // Capitals all through are the page's styling; metadata keeps the
        // headline's own case.
        Some(heading) if is_all_capitals(&heading) && !meta_titles.is_empty() => meta_title(),
        // A heading copied from the `<title>`, site name and all.
        Some(heading) => {
            let heading = strip_site_name_if_named(&heading, &site);
            let repaired = lost_characters_pattern(&heading).and_then(|pattern| {
                meta_titles
                    .iter()
                    .map(|meta| strip_site_name(meta, &site))
                    .find(|meta| *meta != heading && pattern.is_match(meta))
            });
            Some(repaired.unwrap_or(heading))
        }
        None => meta_title(),
    }
}

/// The site's name as the `<title>` shows it beside the headline:
/// "Engora Data Blog: Small adventures with small language models" with
/// `og:title` "Small adventures with small language models". The part
/// beside the social title is the name when it is the shorter one (a page
/// whose `og:title` is the site's name has the headline beside it).
pub(super) fn site_name_beside_headline(html_title: &str, tags: &MetaTags) -> Option<String> {
    let headline = words(tags.first(&["og:title", "twitter:title"])?);
    TITLE_SEPARATORS
        .iter()
        .chain(&[": "])
        .find_map(|separator| {
            let (first, second) = html_title.split_once(separator)?;
            [(first, second), (second, first)]
                .into_iter()
                .find(|(name, rest)| {
                    let name = words(name);
                    words(rest) == headline && !name.is_empty() && name.len() < headline.len()
                })
                .map(|(name, _)| name.trim().to_owned())
        })
}

/// The page's `<title>`, its entities decoded and its spaces collapsed;
/// read once for the headline and for the site's name beside it.
pub(super) fn html_title(doc: &Document) -> String {
    normalize_spaces(&decode_entities(&doc.select_single("head title").text()))
}

/// A template saved in the wrong encoding prints "Beginner? Guide" for
/// "Beginner's Guide": each `?` (or U+FFFD) stands for one or two lost
/// characters. The pattern matches the heading with those marks filled
/// in; `None` for a heading without them.
fn lost_characters_pattern(heading: &str) -> Option<Regex> {
    const LOST: [char; 2] = ['?', '\u{FFFD}'];
    if !heading.contains(LOST) {
        return None;
    }
    let pattern: String = heading
        .split(LOST)
        .map(regex::escape)
        .collect::<Vec<_>>()
        .join(r"\S{1,2}");
    Regex::new(&format!("^{pattern}$")).ok()
}

/// Cased letters only count: Chinese, Japanese, Arabic, Thai and other
/// scripts without case have no capitals to style a heading with.
fn is_all_capitals(text: &str) -> bool {
    text.chars().any(char::is_uppercase) && !text.chars().any(char::is_lowercase)
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

/// A heading's text without the `<time>` some blogs print inside it
/// ("Dec 18 2025 Preparing a transition"): the date is not the headline.
fn heading_text(heading: &dom_query::Selection) -> String {
    let mut text = normalize_spaces(&heading.formatted_text());
    for time in heading.select("time").iter() {
        let date = normalize_spaces(&time.formatted_text());
        if date.is_empty() {
            continue;
        }
        if let Some(rest) = text
            .strip_prefix(&date)
            .or_else(|| text.strip_suffix(&date))
        {
            text = rest.trim().to_owned();
        }
    }
    text
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

/// What names the site in a title or heading: its `og:site_name` and its
/// host.
struct Site<'h> {
    name: Option<Vec<String>>,
    host: Option<&'h str>,
    /// The host's own label ("ucdavis" of "health.ucdavis.edu", "bbc" of
    /// "www.bbc.co.uk"), when long enough to be a name.
    host_label: Option<String>,
}

impl<'h> Site<'h> {
    fn new(name: Option<&str>, host: Option<&'h str>) -> Self {
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
            host,
            host_label,
        }
    }

    /// A heading that is the site's name or carries its host is the site's
    /// label, not a headline. Stricter than [`Site::is_named_by`]: a
    /// heading is the whole of a text, not one part of a title.
    fn labels_heading(&self, heading: &str) -> bool {
        self.name.as_ref() == Some(&words(heading))
            || self
                .host
                .is_some_and(|h| heading.to_lowercase().contains(h))
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

/// [`strip_site_name`] for a text that is a headline unless some part of
/// it names the site: a heading's own " - " is left alone.
fn strip_site_name_if_named(text: &str, site: &Site) -> String {
    let names_site = TITLE_SEPARATORS.iter().any(|separator| {
        text.split(separator)
            .skip(1)
            .any(|part| site.is_named_by(part))
    });
    if names_site {
        strip_site_name(text, site)
    } else {
        text.to_owned()
    }
}

fn strip_one_site_part<'t>(title: &'t str, site: &Site) -> Option<&'t str> {
    // "example.com Headline": the page's own host, with no separator.
    if let Some(rest) = site
        .host
        .and_then(|host| title.strip_prefix(host)?.strip_prefix(' '))
    {
        if words(rest).len() >= 2 {
            return Some(rest.trim());
        }
    }
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
        assert_eq!(
            strip_site_name(
                "gazette.example Storm closes the coast road",
                &Site::new(None, Some("gazette.example"))
            ),
            "Storm closes the coast road"
        );
    }

    /// The headline of a page of the site "Gazette" with `head` and `h1`.
    fn headline_of(head: &str, h1: &str) -> Option<String> {
        let doc = Document::from(format!(
            "<html><head>{head}</head><body><h1>{h1}</h1><p>Text</p></body></html>"
        ));
        let tags = MetaTags::read(&doc);
        title(
            &doc,
            &tags,
            &JsonLdArticle::default(),
            &html_title(&doc),
            Some("Gazette"),
            None,
        )
    }

    #[test]
    fn a_later_heading_is_a_section_not_the_headline() {
        let doc = Document::from(
            r#"<html><head><meta property="og:title" content="Storm closes the coast road"></head><body>
            <h1>Gazette</h1><h1>Spring in the valley</h1><h1>Coast road history</h1><p>Text</p>
            </body></html>"#,
        );
        let tags = MetaTags::read(&doc);
        let ld = JsonLdArticle::default();
        assert_eq!(
            title(&doc, &tags, &ld, &html_title(&doc), Some("Gazette"), None).as_deref(),
            Some("Storm closes the coast road")
        );
    }

    #[test]
    fn the_title_shows_the_site_name_beside_the_social_title() {
        let site_name = |page_title: &str, og_title: &str| {
            let doc = Document::from(format!(
                r#"<html><head><title>{page_title}</title><meta property="og:title" content="{og_title}"></head><body></body></html>"#
            ));
            site_name_beside_headline(&html_title(&doc), &MetaTags::read(&doc))
        };
        assert_eq!(
            site_name(
                "Harbour Notes: Ferry terminal to close for repairs",
                "Ferry terminal to close for repairs"
            )
            .as_deref(),
            Some("Harbour Notes")
        );
        assert_eq!(
            site_name(
                "Ferry terminal to close for repairs | Harbour Notes",
                "Ferry terminal to close for repairs"
            )
            .as_deref(),
            Some("Harbour Notes")
        );
        // The social title is the site's name: the headline is beside it.
        assert_eq!(
            site_name("Ferry terminal to close for repairs | Harbour", "Harbour"),
            None
        );
        assert_eq!(
            site_name("Ferry terminal to close", "Ferry terminal to close"),
            None
        );
        assert_eq!(
            site_name("Ferry: a terminal closes", "Storm closes the road"),
            None
        );
    }

    #[test]
    fn a_heading_unrelated_to_the_metadata_titles_is_not_the_headline() {
        let headline = |h1: &str| {
            headline_of(
                r#"<meta property="og:title" content="Storm closes the coast road | Gazette">"#,
                h1,
            )
        };
        assert_eq!(
            headline("Contact Us").as_deref(),
            Some("Storm closes the coast road")
        );
        // A reworded headline still shares its words and stays.
        assert_eq!(
            headline("Coast road shut as storm hits").as_deref(),
            Some("Coast road shut as storm hits")
        );
    }

    #[test]
    fn headings_in_capitals_or_carrying_the_site_name_give_way() {
        let headline =
            |h1: &str| headline_of("<title>Storm closes the coast road | Gazette</title>", h1);
        assert_eq!(
            headline("STORM CLOSES THE COAST ROAD").as_deref(),
            Some("Storm closes the coast road")
        );
        assert_eq!(
            headline("Storm closes the coast road | Gazette").as_deref(),
            Some("Storm closes the coast road")
        );
        assert_eq!(
            headline("<time datetime=\"2024-03-05\">Mar 5 2024</time> Storm closes the coast road")
                .as_deref(),
            Some("Storm closes the coast road")
        );
        // A heading's own dash is not a site suffix.
        assert_eq!(
            headline("Storm closes the coast road - again").as_deref(),
            Some("Storm closes the coast road - again")
        );
        // Scripts without case have no capitals: the heading stands.
        assert_eq!(
            headline_of(
                "<title>风暴封闭沿海公路-海港日报</title>",
                "风暴封闭沿海公路"
            )
            .as_deref(),
            Some("风暴封闭沿海公路")
        );
    }

    #[test]
    fn characters_lost_to_a_wrong_encoding_are_taken_from_the_metadata() {
        let title = "<title>Storm closes the coast road: Drivers' Guide | Gazette</title>";
        assert_eq!(
            headline_of(title, "Storm closes the coast road? Drivers? Guide").as_deref(),
            Some("Storm closes the coast road: Drivers' Guide"),
        );
        // A question mark of the headline's own stays.
        assert_eq!(
            headline_of(title, "Will the storm close the coast road?").as_deref(),
            Some("Will the storm close the coast road?"),
        );
    }
}
