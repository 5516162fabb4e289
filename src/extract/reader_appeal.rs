//! Reader appeals: the newsroom asking its readers for money ("If you
//! believe stories like this one matter, please consider pitching in",
//! "Your one-off or monthly donations keep our newsroom going", "This
//! story is funded by readers like you"). Nonprofit and member-funded
//! outlets close their articles with them or set them in a box between
//! paragraphs. They are the site speaking, not the story, and they repeat
//! under every article of the site, so left in they would make its
//! unrelated articles look alike to the matcher.

use std::sync::LazyLock;

use regex::Regex;

use super::dom_text::{closing_section_start, lowercase_key};
use super::interface_lines::is_interface_line;

// Matched against the lowercased paragraph with ASCII word boundaries, as
// in `interface_lines`: every word they bound starts and ends with an ASCII
// letter.

/// The ask: a donation, a membership, a subscription, a fundraising drive.
static ASK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?x)
        (?-u:\b)(consider|please|you\s+can|help\s+us\s+by)\s+(supporting|support|donating|donate
            |pitching\s+in|pitch\s+in|chipping\s+in|chip\s+in|contributing|contribute
            |making\s+a\s+([a-z-]+\s+)?(donation|contribution|gift)
            |becoming\s+a\s+(member|supporter|subscriber|patron)|subscribing)(?-u:\b)
        | (?-u:\b)(one-off|one-time|monthly|recurring|tax-deductible)
            (\s+or\s+(one-off|one-time|monthly|recurring))?\s+(donation|gift|contribution)s?(?-u:\b)
        | (?-u:\b)(our|this\s+year['’]s)\s+([a-z-]+\s+){0,2}(fundraising|membership)\s+(campaign|drive|effort)(?-u:\b)
        | (?-u:\b)every\s+dollar\s+you\s+(give|donate)(?-u:\b)",
    )
    .expect("constant pattern")
});

/// What the ask is for: the outlet's journalism. A charity's or a shop's
/// plea for donations in an article about giving is the article's own.
static FOR_THE_NEWSROOM: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?-u:\b)(journalism|reporting|newsroom|coverage|our\s+work|our\s+mission|stories\s+like|independent\s+news|non-?profit|campaign|drive|effort)(?-u:\b)",
    )
    .expect("constant pattern")
});

/// Headings and lines that are an appeal on their own.
static APPEAL_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?x)
        (?-u:\b)(funded|supported|made\s+possible)\s+by\s+readers\s+like\s+you(?-u:\b)
        | ^support\s+(our|independent|local|nonprofit|quality)\s+([a-z-]+\s+){0,2}(journalism|reporting|news|newsroom)$
        | ^(on\s+)?supporting\s+([a-z-]+\s+){0,3}journalism$",
    )
    .expect("constant pattern")
});

/// An appeal runs to a few sentences; a longer paragraph is prose.
const MAX_APPEAL_WORDS: usize = 80;
/// A closing appeal stands among the last paragraphs...
const CLOSING_PARAGRAPHS: usize = 6;
/// ...followed only by its sign-off ("Thank you." / "Jane Doe" / "Editor in
/// chief") and the site's links, each a line this short...
const MAX_SIGN_OFF_WORDS: usize = 15;
/// ...and, past this length, no sentence: a short closing sentence after an
/// appeal boxed near the end ("The board meets again in May.") is the
/// story's.
const MAX_SIGN_OFF_SENTENCE_WORDS: usize = 3;

/// A line of the sign-off or the site's links under a closing appeal.
fn is_sign_off(line: &str) -> bool {
    let words = line.split_whitespace().count();
    let sentence = line.ends_with(['.', '!', '?', '"', '”']);
    words <= MAX_SIGN_OFF_SENTENCE_WORDS || (words <= MAX_SIGN_OFF_WORDS && !sentence)
}

/// Whether a paragraph is the outlet asking its readers for money.
pub(super) fn is_reader_appeal(paragraph: &str) -> bool {
    if paragraph.split_whitespace().count() > MAX_APPEAL_WORDS {
        return false;
    }
    let key = lowercase_key(paragraph);
    // What the ask is for is the rarer half in prose, so it goes first.
    APPEAL_LINE.is_match(&key) || (FOR_THE_NEWSROOM.is_match(&key) && ASK.is_match(&key))
}

/// Drops reader appeals; one closing the text goes with the sign-off and
/// the site's notices after it.
pub(super) fn drop_reader_appeals(paragraphs: &mut Vec<String>) {
    let after_appeal = |p: &str| is_sign_off(p) || is_reader_appeal(p) || is_interface_line(p);
    let start = closing_section_start(
        paragraphs,
        CLOSING_PARAGRAPHS,
        is_reader_appeal,
        after_appeal,
    );
    if let Some(start) = start {
        paragraphs.truncate(start);
    }
    paragraphs.retain(|p| !is_reader_appeal(p));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paragraphs(text: &[&str]) -> Vec<String> {
        text.iter().map(|p| p.to_string()).collect()
    }

    #[test]
    fn a_newsrooms_appeal_closing_the_text_goes_with_its_sign_off() {
        let story = [
            "The ferry service starts on Monday.",
            "Tickets go on sale today, and the first crossing is at six.",
            "Thank you, said the mayor.",
        ];
        let mut text = paragraphs(&story);
        text.extend(paragraphs(&[
            "This story is funded by readers like you",
            "We are in the middle of our year-end fundraising campaign. Every dollar you give \
             is doubled until December 31.",
            "If you believe stories like this one matter, please consider pitching in what \
             you can. It keeps our reporting free for everyone.",
            "Thank you.",
            "Jane Doe",
            "Editor in chief",
            "Republish our articles for free, online or in print.",
        ]));
        drop_reader_appeals(&mut text);
        assert_eq!(text, paragraphs(&story));
    }

    #[test]
    fn an_appeal_boxed_between_paragraphs_goes_alone() {
        let story = [
            "The ferry service starts on Monday.",
            "Tickets go on sale today.",
            "The first crossing is at six.",
            "The council meets in May.",
            "The harbour master will report then.",
            "It was, she said, about time.",
            "Boats wait.",
        ];
        let boxed = |at: usize, appeal: &[&str]| {
            let mut text = paragraphs(&story);
            text.splice(at..at, paragraphs(appeal));
            drop_reader_appeals(&mut text);
            text
        };
        let science = [
            "On supporting science journalism",
            "If you're enjoying this article, consider supporting our award-winning \
             journalism by subscribing.",
        ];
        assert_eq!(boxed(1, &science), paragraphs(&story));
        // Boxed near the end, before the story's short closing sentences.
        let donation = ["Please consider supporting our journalism with a donation."];
        assert_eq!(boxed(4, &donation), paragraphs(&story));
    }

    #[test]
    fn appeals_that_are_the_story_stay() {
        for line in [
            // A charity's plea, not the newsroom's.
            "Please consider donating to the lifeboat fund before the winter.",
            "Downsizing: decide what to keep, sell, donate or store.",
            "Support our troops",
            // Long prose that mentions a membership drive.
            &"The club's membership drive doubled its rolls, and reporting of the results \
              took weeks. "
                .repeat(10),
        ] {
            assert!(!is_reader_appeal(line), "{line}");
        }
    }
}
