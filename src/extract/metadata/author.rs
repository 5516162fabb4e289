//! The author's name: JSON-LD, meta tags, then byline elements (named
//! ones first, then any short element readability would take for one),
//! cleaned of the labels, dates and reading times bylines run on with.

use std::sync::LazyLock;

use dom_query::{Document, Selection};
use regex::Regex;

use super::visible_date::MONTHS;
use super::MetaTags;
use super::{author_link, visible_byline};
use crate::extract::dom_text::{normalize_spaces, text_node_contents, words};
use crate::extract::jsonld::JsonLdArticle;

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
/// elements, then a "By" under the headline, then a link to an author
/// page, then the name heading an author box. Organisations named as
/// authors are left for the caller to use when nothing better turns up.
pub(super) fn author(
    doc: &Document,
    tags: &MetaTags,
    ld: &JsonLdArticle,
    site_name: Option<&str>,
) -> Option<String> {
    let is_site = |name: &str| {
        site_name.is_some_and(|s| words(s) == words(name))
            || ld
                .publisher
                .as_deref()
                .is_some_and(|p| words(p) == words(name))
            || ld
                .author_organizations
                .iter()
                .any(|o| words(o) == words(name))
    };
    // CMS templates file the site itself as a `Person` author ("Cleveland
    // Clinic"); such a name is an organisation, and a byline on the page
    // may still name the writer.
    let people: Vec<&str> = ld
        .authors
        .iter()
        .map(String::as_str)
        .filter(|name| !is_site(name))
        .collect();
    if !people.is_empty() {
        return clean_author(&people.join(", "));
    }
    let from_meta = AUTHOR_KEYS.iter().find_map(|key| {
        let value = tags.first(&[key])?;
        if value.starts_with("http") || is_site(value) {
            return None;
        }
        clean_author(value)
    });
    from_meta.or_else(|| byline_element(doc)).or_else(|| {
        // One walk of the document finds the author-classed elements
        // for both the loose byline and the author box.
        let author_elements = doc.select(LOOSE_BYLINE);
        loose_byline(&author_elements)
            .or_else(|| visible_byline::find(doc))
            .or_else(|| author_link::find(doc))
            .or_else(|| author_box(&author_elements))
    })
}

/// An author box is longer than a byline but still a box, not a page part.
const MAX_AUTHOR_BOX_CHARS: usize = 2000;

/// The name heading an author box ("Jane Doe" above "Jane Doe is a reporter
/// who covers ..."): in the first box, the first text piece that reads as
/// a person's name: two to four capitalised words.
fn author_box(author_elements: &Selection) -> Option<String> {
    let author_box = author_elements.nodes().iter().find(|node| {
        let chars = node.normalized_char_count();
        (MAX_BYLINE_CHARS..MAX_AUTHOR_BOX_CHARS).contains(&chars) && !is_in_comments(node)
    })?;
    author_box
        .descendants_it()
        .filter_map(|node| text_node_contents(&node).map(|text| normalize_spaces(&text)))
        .find(|piece| is_person_name(piece))
}

/// Two to four capitalised words and no label: how a name heading a box
/// or following "By" looks.
pub(super) fn is_person_name(text: &str) -> bool {
    let name_words: Vec<&str> = text.split_whitespace().collect();
    (2..=4).contains(&name_words.len())
        && name_words.iter().all(|w| {
            w.chars().next().is_some_and(char::is_uppercase)
                && w.chars().all(|c| c.is_alphabetic() || "-'.’".contains(c))
        })
        && !words(text)
            .iter()
            .any(|w| BYLINE_LABELS.contains(&w.as_str()) || w == "about" || w == "the")
}

/// Elements readability takes for a byline: anything whose class, id or
/// microdata mentions an author or byline.
const LOOSE_BYLINE: &str =
    "[rel=author], [itemprop*=author], [class*=byline i], [class*=author i], \
    [id*=byline i], [id*=author i]";
/// Longer text is an author box or a bio, not a byline.
const MAX_BYLINE_CHARS: usize = 100;

/// The first short element that readability would take for the byline,
/// read piece by piece: readability joins the pieces without spaces
/// ("Harry RabinowitzTech Reporter").
fn loose_byline(author_elements: &Selection) -> Option<String> {
    author_elements
        .nodes()
        .iter()
        .filter(|node| {
            let chars = node.normalized_char_count();
            chars > 0 && chars < MAX_BYLINE_CHARS && !is_in_comments(node)
        })
        .find_map(name_in_byline)
}

/// Inside the readers' comments or the form for writing one, whose
/// author-classed elements ("comment-author", "comment-form-author")
/// name a commenter or label a field. The page's `<body>` is not looked
/// at: themes put "comment-hidden" and the like there. A `<form>` alone
/// does not count: ASP.NET pages wrap the whole page in one.
fn is_in_comments(node: &dom_query::NodeRef) -> bool {
    let starts_comment = |value: &str| value.to_ascii_lowercase().starts_with("comment");
    std::iter::once(*node)
        .chain(node.ancestors_it(None))
        .take_while(|element| !element.has_name("body"))
        .any(|element| {
            element
                .attr("class")
                .is_some_and(|class| class.split_whitespace().any(starts_comment))
                || element
                    .attr("id")
                    .is_some_and(|id| starts_comment(&id) || id.eq_ignore_ascii_case("respond"))
        })
}

/// The first byline element by [`AUTHOR_ELEMENTS`] priority. One document
/// walk finds all candidates; the priority order is applied to those few.
fn byline_element(doc: &Document) -> Option<String> {
    let candidates = doc.select(&AUTHOR_ELEMENTS.join(", "));
    AUTHOR_ELEMENTS.iter().find_map(|selector| {
        let element = candidates
            .nodes()
            .iter()
            .find(|n| n.is(selector) && !is_in_comments(n))?;
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
            let piece = normalize_spaces(&text_node_contents(&node)?);
            (!piece.is_empty() && !is_avatar_initials(&node, &piece)).then_some(piece)
        })
        .collect();
    match pieces.as_slice() {
        [only] => clean_author(only),
        _ => pieces
            .iter()
            .filter_map(|piece| clean_author(piece))
            .find(|piece| is_name_piece(piece)),
    }
}

/// Avatars without a photo show the author's initials ("NB") instead.
fn is_avatar_initials(text_node: &dom_query::NodeRef, text: &str) -> bool {
    text.chars().count() <= 3
        && text.chars().all(char::is_uppercase)
        && text_node.ancestors_it(Some(3)).any(|a| {
            a.attr("class").is_some_and(|class| {
                let class = class.to_ascii_lowercase();
                class.contains("avatar") || class.contains("initials")
            })
        })
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

pub(super) const MAX_NAME_WORDS: usize = 8;

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
        // "Jane Doe on Jan 22": the date's preposition stays behind.
        let kept = name.trim_end();
        name = kept
            .strip_suffix(" on")
            .or_else(|| kept.strip_suffix(" at"))
            .unwrap_or(name);
    }
    let name =
        without_job_title(name).trim_matches(|c: char| c.is_whitespace() || ",|-–—•·:".contains(c));
    let plausible = !name.is_empty()
        && name.chars().count() <= MAX_AUTHOR_CHARS
        && name.chars().any(char::is_alphabetic)
        && !name.contains("://")
        && !DATE_LABEL.is_match(name)
        && !is_only_labels(name)
        && !is_template_key(name)
        // "Name *": a comment form's required field, which readability can
        // take for the byline on pages that have none.
        && !name.ends_with('*')
        && !is_commenter(name);
    plausible.then(|| name.to_owned())
}

/// "Jiobal says": a reader's comment signed the way comment templates
/// sign them, which readability can take for the byline.
fn is_commenter(name: &str) -> bool {
    name.rsplit_once(' ')
        .is_some_and(|(_, last)| matches!(last, "says" | "said" | "wrote" | "sagt" | "schrieb"))
}

/// Words of a newsroom job title.
const JOB_WORDS: &[&str] = &[
    "reporter",
    "correspondent",
    "editor",
    "writer",
    "columnist",
    "contributor",
    "journalist",
    "producer",
    "photographer",
    "critic",
];

/// "Jan Berg, Harbour Reporter", "Jan Berg | Staff Writer": the name
/// without the job title after it. A second name after the comma stays.
fn without_job_title(name: &str) -> &str {
    let Some(at) = name.find([',', '|', '–', '—']) else {
        return name;
    };
    let is_job = words(&name[at..]).iter().any(|w| {
        JOB_WORDS
            .iter()
            .any(|job| w.strip_suffix('s').unwrap_or(w) == *job)
    });
    if is_job && at > 0 {
        &name[..at]
    } else {
        name
    }
}

/// "Written By", "Jun 2 Written By", "The Author", "Sat" (left of "Sat,
/// 20 Dec, 2025"): a byline's labels and date with the name missing.
fn is_only_labels(text: &str) -> bool {
    words(text).iter().all(|w| {
        BYLINE_LABELS.contains(&w.as_str())
            || w == "the"
            || is_month_or_weekday(w)
            || w.chars().all(|c| c.is_ascii_digit())
    })
}

/// A lowercase month or weekday name, or its abbreviation.
fn is_month_or_weekday(word: &str) -> bool {
    static DATE_WORD: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(&format!(
            "^(?:{MONTHS}|mon(?:day)?|tue(?:s(?:day)?)?|wed(?:nesday)?|thu(?:rs?(?:day)?)?|\
             fri(?:day)?|sat(?:urday)?|sun(?:day)?)$"
        ))
        .expect("constant pattern")
    });
    DATE_WORD.is_match(word)
}

/// A template's unfilled field ("page.head.extra.author"): an identifier
/// path, unlike user names ("sara.r.peter") and addresses.
fn is_template_key(text: &str) -> bool {
    !text.contains([' ', '@']) && text.matches('.').count() >= 3
}

const MONTH_NAMES: &str = "(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\\.?";

/// A date opening a byline: "Dec 17, 2025Julian K. Arni".
static LEADING_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"^(?:{MONTH_NAMES} \d{{1,2}}(?:st|nd|rd|th)?,? \d{{4}}|\d{{1,2}}(?:st|nd|rd|th)? {MONTH_NAMES},? \d{{4}}|\d{{4}}-\d{{2}}-\d{{2}})"
    ))
    .expect("constant pattern")
});

/// A date's label and the date: "Updated March 13, 2024" names no one.
static DATE_LABEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"^(?:Published|Last [Uu]pdated|Updated|Posted)(?: on)?:? *(?:{MONTH_NAMES}|\d)"
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

    /// The byline [`loose_byline`] reads in a page.
    fn loose_byline_in(html: &str) -> Option<String> {
        loose_byline(&Document::from(html).select(LOOSE_BYLINE))
    }

    #[test]
    fn a_byline_readability_would_take_is_read_piece_by_piece() {
        assert_eq!(
            loose_byline_in(
                "<div class=styles_displayedAuthors><a href=/author/jan-berg>\
                 <p>Jan Berg</p><p>Harbour Reporter</p></a></div>\
                 <div class=author-bio>Jan Berg has covered the coast for twenty years, \
                 from ferry timetables to storm damage and the harbour board's budget.</div>"
            )
            .as_deref(),
            Some("Jan Berg")
        );
        assert_eq!(
            loose_byline_in(
                "<div class=post-author><span>Insights from</span><span>Liza Berg</span>\
                 <span>Marketing Director</span></div>"
            )
            .as_deref(),
            Some("Liza Berg")
        );
        assert_eq!(
            loose_byline_in(
                "<span class=author-avatar><span class=initials><span>LB</span></span></span>\
                 <div class=author-meta><span>Liza Berg</span></div>"
            )
            .as_deref(),
            Some("Liza Berg")
        );
        assert_eq!(
            loose_byline_in("<div class=byline>By AP</div>").as_deref(),
            Some("AP")
        );
    }

    #[test]
    fn commenters_are_not_the_author() {
        let comments = Document::from(
            "<article><h1>Ferry pier shut</h1><p>The pier closed on Monday.</p></article>\
             <ol class=comment-list><li><div class='comment-author vcard'><cite>Ida Marsh\
             </cite></div><p>Good news for the harbour.</p></li></ol>\
             <div id=respond><form><p class=comment-form-author><label>Name</label>\
             <input id=author></p></form></div>",
        );
        let tags = MetaTags::read(&comments);
        assert_eq!(
            author(&comments, &tags, &JsonLdArticle::default(), None),
            None
        );
        // ASP.NET wraps the whole page, byline and all, in one form.
        assert_eq!(
            loose_byline_in(
                "<form id=aspnetForm><h1>Ferry pier shut</h1>\
                 <div class=author>Jan Berg</div></form>"
            )
            .as_deref(),
            Some("Jan Berg")
        );
        // Themes mark the page's <body> with comment classes too.
        assert_eq!(
            loose_byline_in("<body class=comment-hidden><div class=author>Jan Berg</div></body>")
                .as_deref(),
            Some("Jan Berg")
        );
    }

    #[test]
    fn an_author_box_is_read_for_the_name_heading_it() {
        let doc = Document::from(
            "<div class=blog_author-wrapper><img alt=''><p>About the Author</p>\
             <div>Jan Berg</div><div>Jan Berg has covered the coast for twenty years, \
             from ferry timetables to storm damage and the harbour board's budget, \
             and writes the weekly tide column.</div></div>",
        );
        assert_eq!(
            author_box(&doc.select(LOOSE_BYLINE)).as_deref(),
            Some("Jan Berg")
        );
        let no_name = Document::from(
            "<div class=author-box><p>About the Author</p><p>Our team has covered the \
             coast for twenty years, from ferry timetables to storm damage and budgets.</p></div>",
        );
        assert_eq!(author_box(&no_name.select(LOOSE_BYLINE)), None);
    }

    #[test]
    fn bylines_are_cleaned() {
        assert_eq!(clean_author("By Jane Doe").as_deref(), Some("Jane Doe"));
        assert_eq!(
            clean_author("by Jane Doe on Jan 22, 2025").as_deref(),
            Some("Jane Doe")
        );
        assert_eq!(
            clean_author("  by: Jane Doe, ").as_deref(),
            Some("Jane Doe")
        );
        assert_eq!(clean_author("Byron Smith").as_deref(), Some("Byron Smith"));
        assert_eq!(clean_author("https://example.com/jane"), None);
        for not_a_name in [
            "Updated March 13, 2024",
            "Written By",
            "Jun 2 Written By",
            "page.head.extra.author",
            "The Author",
            "Sat, 20 Dec, 2025 - 06:36",
            "Name *",
            "Jiobal says",
        ] {
            assert_eq!(clean_author(not_a_name), None, "{not_a_name}");
        }
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
            ("By Jan Berg, Harbour Reporter", "Jan Berg"),
            ("Jan Berg | Staff Writer", "Jan Berg"),
            ("Jan Berg, Ida Marsh", "Jan Berg, Ida Marsh"),
        ] {
            assert_eq!(clean_author(run_on).as_deref(), Some(name), "{run_on}");
        }
    }
}
