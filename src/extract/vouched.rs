//! The page's own statement of its text, JSON-LD `articleBody` (or, without
//! it, the element marked `itemprop=articleBody`), as a check on the
//! paragraphs readability kept. When it is too short to replace
//! readability's text, readability's text is the better body (`articleBody`
//! is plain text without the page's headings and layout); but when the two
//! are the same article (most of each found in the other), a paragraph that
//! readability kept inside the article and that the publisher's own text
//! lacks is furniture set between the article's paragraphs: an image
//! caption, a product card, a teaser for another story, a newsletter box.
//!
//! Only paragraphs between the first and the last one `articleBody` vouches
//! for can go, and not a subheading of one it vouches for. Many sites' `articleBody` stops short of the article's end (a
//! FAQ, a closing section), and what comes before or after the span is left
//! to the other clean-up rules.

use rustc_hash::FxHashSet;

use super::dom_text::{trigram_hashes, words};

/// Share of `articleBody`'s word trigrams the body must hold...
const MIN_STRUCTURED_IN_BODY: f64 = 0.85;
/// ...and share of the body's trigrams `articleBody` must hold, for the two
/// to be one article: a teaser-length `articleBody` vouches for nothing.
const MIN_BODY_IN_STRUCTURED: f64 = 0.7;
/// A paragraph with at least this share of its trigrams in `articleBody`
/// is the article's.
const MIN_PARAGRAPH_SHARE: f64 = 0.5;
/// Longest line read as a subheading.
const MAX_SUBHEADING_WORDS: usize = 8;

/// The body without the paragraphs `article_body` does not vouch for, or
/// `None` when the two are not the same article or nothing would go.
pub(super) fn keep_vouched_paragraphs(body: &str, article_body: &str) -> Option<String> {
    let structured = trigrams(article_body);
    let paragraphs: Vec<&str> = body.split("\n\n").collect();
    let own: Vec<FxHashSet<u64>> = paragraphs.iter().map(|p| paragraph_trigrams(p)).collect();
    let whole: FxHashSet<u64> = own.iter().flatten().copied().collect();
    if structured.is_empty() || whole.is_empty() {
        return None;
    }
    let shared = structured.intersection(&whole).count() as f64;
    if shared < MIN_STRUCTURED_IN_BODY * structured.len() as f64
        || shared < MIN_BODY_IN_STRUCTURED * whole.len() as f64
    {
        return None;
    }
    // A paragraph too short for a trigram is neither vouched for nor
    // against (`None`).
    let vouched: Vec<Option<bool>> = own
        .iter()
        .map(|own| {
            (!own.is_empty()).then(|| {
                let found = own.iter().filter(|t| structured.contains(t)).count();
                found as f64 >= MIN_PARAGRAPH_SHARE * own.len() as f64
            })
        })
        .collect();
    let first = vouched.iter().position(|v| *v == Some(true))?;
    let last = vouched.iter().rposition(|v| *v == Some(true))?;
    // A short line with no sentence end before a paragraph the
    // `articleBody` holds is a subheading, which many sites leave out of
    // their `articleBody`; captions end as sentences, and product cards and
    // teasers are followed by more furniture.
    let heading_of_vouched = |at: usize| {
        let line = paragraphs[at];
        line.split_whitespace().count() <= MAX_SUBHEADING_WORDS
            && !line.ends_with(['.', '!', '?', '"', '”', ':'])
            && vouched.get(at + 1) == Some(&Some(true))
    };
    let kept: Vec<&str> = paragraphs
        .iter()
        .zip(&vouched)
        .enumerate()
        .filter(|(at, (_, vouched))| {
            *at < first || *at > last || **vouched != Some(false) || heading_of_vouched(*at)
        })
        .map(|(_, (paragraph, _))| *paragraph)
        .collect();
    (kept.len() < paragraphs.len()).then(|| kept.join("\n\n"))
}

/// Hashes of the word trigrams of each of the text's paragraphs (words as
/// [`words`] splits them, so punctuation and case do not matter). None
/// spans two paragraphs: furniture between paragraphs would otherwise add
/// trigrams of its own at each border.
fn trigrams(text: &str) -> FxHashSet<u64> {
    text.split("\n\n").flat_map(paragraph_trigrams).collect()
}

fn paragraph_trigrams(text: &str) -> FxHashSet<u64> {
    trigram_hashes(&words(text)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const STORY: [&str; 4] = [
        "The harbour board voted on Tuesday to close the swing bridge to cars.",
        "Drivers will face a detour of six kilometres through the town centre.",
        "The board said repairs would cost more than a new footbridge would.",
        "A public meeting on the plan is set for the first week of May.",
    ];

    #[test]
    fn furniture_between_the_articles_paragraphs_goes() {
        let article_body = STORY.join(" ");
        let page = [
            STORY[0],
            "The bridge at dusk, from the quay.",
            STORY[1],
            "Read next: ferry fares rise",
            "Sponsored by Harbour Bank.",
            STORY[2],
            "What happens next",
            STORY[3],
            "Sign up for our newsletter",
        ]
        .join("\n\n");
        let kept = keep_vouched_paragraphs(&page, &article_body);
        // A subheading before the article's text stays, though the
        // `articleBody` lacks it.
        let expected = [
            STORY[0],
            STORY[1],
            STORY[2],
            "What happens next",
            STORY[3],
            "Sign up for our newsletter",
        ]
        .join("\n\n");
        assert_eq!(kept.as_deref(), Some(expected.as_str()));
    }

    #[test]
    fn a_teaser_or_another_text_vouches_for_nothing() {
        let page = STORY.join("\n\nA caption under the photograph of the old bridge.\n\n");
        assert_eq!(keep_vouched_paragraphs(&page, STORY[0]), None);
        assert_eq!(
            keep_vouched_paragraphs(&page, "A different story about the town's library hours."),
            None
        );
        assert_eq!(
            keep_vouched_paragraphs(&STORY.join("\n\n"), &STORY.join(" ")),
            None
        );
    }
}
