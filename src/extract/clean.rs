//! Line-level cleanup of the chosen body: the repeated headline and the
//! share/related/comment/cookie lines readability leaves behind.

use super::dom_text::normalize_spaces;

/// Whole paragraphs that are interface text, compared lowercased with
/// trailing punctuation removed.
const BOILERPLATE_LINES: &[&str] = &[
    "advertisement",
    "advertisements",
    "ad",
    "sponsored",
    "share",
    "share this",
    "share this article",
    "share this story",
    "share this post",
    "share on facebook",
    "share on twitter",
    "share on linkedin",
    "share via email",
    "tweet",
    "email",
    "print",
    "copy link",
    "link copied",
    "read more",
    "continue reading",
    "related",
    "related articles",
    "related stories",
    "related posts",
    "related content",
    "recommended",
    "comments",
    "leave a comment",
    "leave a reply",
    "post a comment",
    "skip to content",
    "skip to main content",
    "back to top",
    "subscribe",
    "sign up",
    "log in",
    "loading",
    "loading...",
    "facebook",
    "twitter",
    "linkedin",
    "whatsapp",
    "pinterest",
    "reddit",
];

fn is_boilerplate_line(line: &str) -> bool {
    let key = line
        .trim_end_matches(|c: char| c == ':' || c == '.' || c == '!' || c.is_whitespace())
        .to_lowercase();
    BOILERPLATE_LINES.contains(&key.as_str())
}

fn same_words(a: &str, b: &str) -> bool {
    let words = |s: &str| -> Vec<String> {
        s.split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .collect()
    };
    let a = words(a);
    !a.is_empty() && a == words(b)
}

/// Removes the headline when it opens the text, and interface lines.
pub(crate) fn clean_body(text: &str, title: Option<&str>) -> String {
    let mut paragraphs: Vec<&str> = text.split("\n\n").map(str::trim).collect();
    if let (Some(title), Some(first)) = (title, paragraphs.first()) {
        if same_words(first, title) {
            paragraphs.remove(0);
        }
    }
    let kept: Vec<String> = paragraphs
        .into_iter()
        .filter(|p| !p.is_empty() && !is_boilerplate_line(p))
        .map(normalize_spaces)
        .collect();
    kept.join("\n\n")
}
