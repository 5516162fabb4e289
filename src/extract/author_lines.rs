//! The author's own lines in an article's text: the byline opening it
//! ("By Jane Doe") and the bio or author card closing it ("Jane Doe is a
//! reporter who covers ...", "Jane Doe" / "Senior editor"). None is the
//! story; the byline also names the author when the page's markup does not.

use super::dom_text::{closing_section_start, lowercase_key, normalize_spaces};

/// Bylines stand among the first paragraphs: above or below a lead image
/// caption or a standfirst.
const BYLINE_PARAGRAPHS: usize = 3;
const MAX_BYLINE_WORDS: usize = 10;

/// A short paragraph opening with "By" and a name: the byline wire stories
/// and many news sites print above the text. "By the numbers" is a heading,
/// so a function word after "by" rules it out.
fn is_byline_paragraph(paragraph: &str) -> bool {
    const LABELS: &[&str] = &["by ", "written by ", "posted by "];
    const NOT_NAMES: &[&str] = &[
        "the",
        "a",
        "an",
        "this",
        "that",
        "these",
        "those",
        "now",
        "then",
        "far",
        "way",
        "contrast",
        "comparison",
        "default",
        "design",
        "chance",
        "all",
        "using",
        "making",
    ];
    if paragraph.split_whitespace().count() > MAX_BYLINE_WORDS {
        return false;
    }
    // Paragraphs reach here with their spaces collapsed to single ones.
    let lower = paragraph.to_lowercase();
    LABELS.iter().any(|label| {
        lower
            .strip_prefix(label)
            .and_then(|rest| rest.split_whitespace().next())
            .is_some_and(|name| !NOT_NAMES.contains(&name))
    })
}

/// Takes the byline paragraph out of the opening paragraphs, if there is one.
pub(super) fn take_byline(paragraphs: &mut Vec<String>) -> Option<String> {
    paragraphs
        .iter()
        .take(BYLINE_PARAGRAPHS)
        .position(|p| is_byline_paragraph(p))
        .map(|at| paragraphs.remove(at))
}

/// Author bios stand among the last paragraphs; further up, a paragraph
/// opening with the author's name is the article's own.
const BIO_PARAGRAPHS: usize = 3;
const MAX_BIO_WORDS: usize = 100;
/// Verbs a bio goes on with after the name: "Jane Doe is a reporter ...",
/// "Jane started the blog in 2010 ...".
const BIO_VERBS: &[&str] = &[
    "is",
    "was",
    "has",
    "had",
    "writes",
    "covers",
    "started",
    "joined",
    "holds",
    "lives",
    "loves",
    "specializes",
    "specialises",
    "brings",
    "earned",
    "graduated",
    "served",
    "works",
    "received",
    "enjoys",
    "leads",
    "founded",
];

/// A paragraph after the name in an author card is its bio or a profile
/// link; a longer one is article text after a sign-off.
const MAX_CARD_PARAGRAPH_WORDS: usize = 150;

/// Drops the author's lines from the end of the text:
/// - an author card: a paragraph that is only the author's name, and the
///   short paragraphs after it ("Jane Doe" / "Senior editor. Covers
///   transport since 2008." / "View Full Profile");
/// - a bio: a closing paragraph that opens with the author's name (full,
///   or the first name) and goes on to say who they are. Only for a
///   person's name of two words or more, as an organisation's name opens
///   its own product paragraphs ("Acme is ...").
pub(super) fn drop_author_bio(text: &str, author: &str) -> String {
    let mut paragraphs: Vec<&str> = text.split("\n\n").collect();
    if paragraphs.len() <= BIO_PARAGRAPHS {
        return text.to_owned();
    }
    if let Some(card) = author_card_start(&paragraphs, author) {
        paragraphs.truncate(card);
    }
    let author_words: Vec<&str> = author.split_whitespace().collect();
    if author_words.len() < 2 || author.contains(',') {
        return paragraphs.join("\n\n");
    }
    let mut names = vec![author.to_lowercase()];
    let first_name = author_words[0];
    if first_name.chars().count() >= 3 && first_name.chars().any(char::is_lowercase) {
        names.push(first_name.to_lowercase());
    }
    let bios_from = paragraphs.len().saturating_sub(BIO_PARAGRAPHS);
    let mut at = 0;
    paragraphs.retain(|paragraph| {
        at += 1;
        at <= bios_from || !is_bio(paragraph, &names)
    });
    paragraphs.join("\n\n")
}

/// Headings of the box about the author that closes many articles.
const ABOUT_THE_AUTHOR: &[&str] = &[
    "about the author",
    "about the authors",
    "about the writer",
    "about the contributor",
    "about the reporter",
];

/// Cuts a closing "About the author" section: the heading, among the last
/// paragraphs, and the short bio lines after it. Unlike the bio and the
/// card it needs no author's name.
pub(super) fn drop_about_the_author(paragraphs: &mut Vec<String>) {
    let heading = |p: &str| ABOUT_THE_AUTHOR.contains(&lowercase_key(p).as_str());
    let start = closing_section_start(paragraphs, BIO_PARAGRAPHS + 1, heading, is_card_line);
    if let Some(start) = start {
        paragraphs.truncate(start);
    }
}

/// Where an author card begins among the last paragraphs: a paragraph
/// that is the author's name alone (or one name of "Jane Doe, DVM"),
/// followed only by short ones.
fn author_card_start(paragraphs: &[&str], author: &str) -> Option<usize> {
    let names: Vec<String> = std::iter::once(author)
        .chain(author.split(','))
        .map(|name| normalize_spaces(name).to_lowercase())
        .filter(|name| !name.is_empty())
        .collect();
    let name = |p: &str| names.contains(&normalize_spaces(p).to_lowercase());
    closing_section_start(paragraphs, BIO_PARAGRAPHS, name, is_card_line)
}

/// Whether a paragraph is short enough for one of an author box's lines.
fn is_card_line(paragraph: &str) -> bool {
    paragraph.split_whitespace().count() <= MAX_CARD_PARAGRAPH_WORDS
}

fn is_bio(paragraph: &str, names: &[String]) -> bool {
    if paragraph.split_whitespace().count() > MAX_BIO_WORDS {
        return false;
    }
    let lower = paragraph.to_lowercase();
    let text = lower
        .strip_prefix("about the author")
        .map_or(lower.as_str(), |rest| rest.trim_start_matches([':', ' ']));
    names.iter().any(|name| {
        let Some(rest) = text.strip_prefix(name.as_str()) else {
            return false;
        };
        // "Jane Doe, a reporter at the Herald, covers ...": skip the aside.
        let rest = match rest.strip_prefix(',').and_then(|r| r.split_once(',')) {
            Some((aside, after)) if aside.len() <= 60 => after,
            _ => rest,
        };
        rest.starts_with(' ')
            && rest
                .split_whitespace()
                .next()
                .is_some_and(|verb| BIO_VERBS.contains(&verb))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_authors_bio_closing_the_text_goes() {
        let story = "The ferry service starts on Monday.\n\n\
                     Jane Doe is the harbour column's first reader.\n\n\
                     Tickets go on sale today.\n\nThe timetable is online.\n\n\
                     The council meets again in May.";
        let bio = format!(
            "{story}\n\nJane Doe is a reporter who covers transport.\n\n\
             About the author: Jane, a sailor since 2001, writes about the sea."
        );
        assert_eq!(drop_author_bio(&bio, "Jane Doe"), story);
        // The same paragraph further up is the story's own.
        assert_eq!(drop_author_bio(story, "Jane Doe"), story);
        // An organisation's paragraph about itself may be the article.
        let product = format!("{story}\n\nAcme is a ferry operator.");
        assert_eq!(drop_author_bio(&product, "Acme"), product);
    }

    #[test]
    fn an_about_the_author_section_closing_the_text_goes() {
        let story: Vec<String> = [
            "The ferry service starts on Monday.",
            "Tickets go on sale today.",
        ]
        .map(String::from)
        .to_vec();
        let mut boxed = story.clone();
        boxed.extend(
            ["About the Author:", "Jane Doe", "Jane covers the harbour."].map(String::from),
        );
        drop_about_the_author(&mut boxed);
        assert_eq!(boxed, story);
        let mut essay = story.clone();
        essay.extend(
            [
                "About the author",
                &"She wrote this book over ten years. ".repeat(30),
            ]
            .map(String::from),
        );
        drop_about_the_author(&mut essay);
        assert_eq!(
            essay.len(),
            4,
            "a long section after the heading is the article's"
        );
    }

    #[test]
    fn an_author_card_closing_the_text_goes() {
        let story = "The ferry service starts on Monday.\n\n\
                     Tickets go on sale today.\n\nThe timetable is online.\n\n\
                     The council meets again in May.";
        let card = format!(
            "{story}\n\nJane  Doe\n\nSenior editor. Sailor since 2001, \
             reluctant traveller.\n\nView Full Profile"
        );
        assert_eq!(drop_author_bio(&card, "Jane Doe"), story);
        let signed = format!("{story}\n\nJane Doe");
        assert_eq!(drop_author_bio(&signed, "Jane Doe"), story);
        let titled = format!("{story}\n\nShelby Loos\n\nVeterinarian");
        assert_eq!(drop_author_bio(&titled, "Shelby Loos, DVM"), story);
        // The name as a speaker's label before a long answer is the story's.
        let answer = format!(
            "{story}\n\nJane Doe\n\n{}",
            "The harbour has changed a great deal. ".repeat(30)
        );
        assert_eq!(drop_author_bio(&answer, "Jane Doe"), answer);
        // Further up, the name alone is the story's own line.
        let early = format!("Jane Doe\n\n{story}");
        assert_eq!(drop_author_bio(&early, "Jane Doe"), early);
    }
}
