//! Paragraph-level cleanup of the chosen body: the repeated headline,
//! interface lines, captions and the site's own notices
//! (`interface_lines`), a breadcrumb trail, a byline opening the text
//! and a closing "About the author" section (`author_lines`), the
//! newsroom's appeals for donations (`reader_appeal`), a trailing
//! list of sources, teasers for other stories
//! after the article (`related`), and blocks the page printed twice
//! (`repeats`).

use super::dom_text::{lowercase_key, normalize_spaces, words};
use super::interface_lines::is_interface_line;
use super::{author_lines, reader_appeal, related, repeats};

/// Headings that open the list of sources closing many articles; the
/// list is citations and links, not article text.
const SOURCE_HEADINGS: &[&str] = &[
    "sources",
    "article sources",
    "references",
    "citations",
    "bibliography",
    "works cited",
];

/// Sources headings count only in the closing part of the text.
const SOURCES_START_SHARE: f64 = 0.6;

/// "Blog > From the regions > Storm hits coast": the trail of sections
/// leading to the article, ending with its headline.
fn is_breadcrumb(line: &str, title: &str) -> bool {
    let mut sections = line
        .split(['>', '»', '›'])
        .map(str::trim)
        .filter(|s| !s.is_empty());
    let last = sections.next_back();
    sections.count() >= 2 && last.is_some_and(|last| same_words(last, title))
}

fn same_words(a: &str, b: &str) -> bool {
    let a = words(a);
    !a.is_empty() && a == words(b)
}

/// Characters with no visible form that split words for tokenisers.
fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}' | '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}'
    )
}

/// The body text once cleaned, and the byline taken from its top.
pub(crate) struct CleanBody {
    /// Paragraphs separated by blank lines.
    pub text: String,
    /// A "By Jane Doe" paragraph that opened the text, as written.
    pub byline: Option<String>,
}

/// Cleans extracted body text; paragraphs stay separated by blank lines.
pub(crate) fn clean_body(text: &str, title: Option<&str>) -> CleanBody {
    let text: String = text.chars().filter(|&c| !is_invisible(c)).collect();
    let mut paragraphs: Vec<String> = text
        .split("\n\n")
        .map(normalize_spaces)
        .filter(|p| !p.is_empty())
        .collect();
    repeats::drop_repeated_runs(&mut paragraphs);
    if let (Some(title), Some(first)) = (title, paragraphs.first()) {
        if same_words(first, title) {
            paragraphs.remove(0);
        }
    }
    let sources_from = (paragraphs.len() as f64 * SOURCES_START_SHARE) as usize;
    if let Some(at) = paragraphs
        .iter()
        .skip(sources_from)
        .position(|p| p.len() < 30 && SOURCE_HEADINGS.contains(&lowercase_key(p).as_str()))
    {
        paragraphs.truncate(sources_from + at);
    }
    let byline = author_lines::take_byline(&mut paragraphs);
    author_lines::drop_about_the_author(&mut paragraphs);
    reader_appeal::drop_reader_appeals(&mut paragraphs);
    related::drop_trailing_teasers(&mut paragraphs);
    paragraphs.retain(|p| !is_interface_line(p) && !title.is_some_and(|t| is_breadcrumb(p, t)));
    CleanBody {
        text: paragraphs.join("\n\n"),
        byline,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headline_and_interface_lines_go() {
        let text = "Storm hits coast\n\nShare this article\n\nThe storm arrived at dawn.\n\n\
                    Photo: Jane Doe/Agency\n\n3 min read\n\nRelated: Other storm story\n\n\
                    Listen to this article\n\nGift this article\n\n\
                    Learn more\n\nTable of contents\n\nCheck price\n\nhttps://example.com/x\n\n\
                    Story continues below advertisement\n\nPublished 4 hours ago\n\nan hour ago\n\n\
                    Image caption, Crews cleared the slipway overnight\n\nVideo Ad Feedback\n\nShow Caption\n\nPublished:\n\nIn this article\n\n\
                    Tags: Storms, Coast\n\nAnzeige\n\nLire aussi : La tempête de 1999\n\n\
                    Lade weitere Inhalte ...\n\nSee more\n\nJump to:\n\nOn this page\n\n\
                    Advertisement - Continue Reading Below\n\nSCROLL FOR MORE\n\nPress Release\n\n\
                    Read our full review\n\nGet in touch\n\nContact Us\n\nRelated Post\n\n↑ Back to Top\n\n\
                    Related reading: Ferries of the north\n\nFeatured in this article\n\n\
                    Skip Advertisement\n\nContinue reading the main story\n\n\
                    Media playback is unsupported on your device\n\nMost Read\n\nGetty Images\n\n\
                    CLICK HERE TO GET THE FOX NEWS APP\n\nGot a tip?\n\nView gallery";
        assert_eq!(
            clean_body(text, Some("Storm hits coast!")).text,
            "The storm arrived at dawn."
        );
        let trail = "> News > Coast > Storm hits coast\n\nThe storm arrived.\n\n\
                     Go to Settings > Alerts > Storm warnings";
        assert_eq!(
            clean_body(trail, Some("Storm hits coast")).text,
            "The storm arrived.\n\nGo to Settings > Alerts > Storm warnings"
        );
    }

    #[test]
    fn the_sites_own_notices_go() {
        let text = "The council voted on Tuesday.\n\n\
                    Copyright © 2025 Example Radio. All rights reserved.\n\n\
                    Sign up for our morning newsletter\n\n\
                    Follow us on Mastodon and Bluesky for updates.\n\n\
                    Thank you for subscribing!\n\n\
                    Already have an account? Log in\n\n\
                    Subscribe to continue reading.\n\n\
                    Become a paid subscriber to unlock this piece.\n\n\
                    Was this newsletter forwarded to you? Sign up here.\n\n\
                    As a subscriber, you have 10 gift articles to give each month.\n\n\
                    A version of this article appears in print on May 4, 2026, Section A, Page 12 \
                    of the New York edition with the headline: Storm Closes Coastal Road.\n\n\
                    Our Standards: The Example Trust Principles.\n\n\
                    Explore more on these topics\n\nReuse this content\n\n\
                    ™ & © 2013 Example News Network, Inc. All rights reserved.\n\n\
                    This site uses Akismet to reduce spam. Learn how your comment data is processed.\n\n\
                    Abonnieren Sie kostenlos unseren Newsletter.\n\n\
                    Every day our editors pick the day's news. Sign up for the newsletter here.\n\n\
                    Our editors choose every product. We may earn a commission from your purchases.\n\n\
                    We may be compensated when you click on a link.\n\n\
                    This post contains affiliate links. Read my full disclosure.\n\n\
                    *Affiliate links are used in this post.\n\n\
                    Disclosure: I select every product myself.\n\n\
                    If you buy through our links, the Gazette gets a share.\n\n\
                    Republish our articles for free, under a Creative Commons license.\n\n\
                    Since you made it to the bottom of this article, we have a favour to ask.\n\n\
                    The best of the Gazette, delivered to your inbox every morning\n\n\
                    Love ferries? Our Harbour newsletter has the timetables. Sign up now.\n\n\
                    Like this article? Subscribe to our blog.\n\nJoin our newsletter\n\n\
                    By signing up, you agree to receive recurring automated SMS messages from \
                    Gazette Deals at the number provided. Msg and data rates may apply. Up to 2 \
                    messages a day. Reply STOP to opt out, HELP for help. Consent is not a \
                    condition of purchase. See our Privacy Policy and Terms of Use.\n\n\
                    By posting a comment, you consent to have your information used as \
                    our privacy policy says.\n\n\
                    Rate this article\n\nComments are closed for this post.\n\n\
                    Posted on December 18, 2025 Posted by 59 Comments\n\nPosted by Ida at December 16, 2025 11:15 AM\n\n\
                    The views expressed by the authors of this blog are their own.\n\n\
                    1,693 views\n\n139 shares\n\n3comments\n\n(Visited 1,902 times, 364 visits today)\n\n\
                    Copyright law was the subject of the second vote.";
        assert_eq!(
            clean_body(text, None).text,
            "The council voted on Tuesday.\n\nCopyright law was the subject of the second vote."
        );
    }

    #[test]
    fn contact_lines_go() {
        let text = "The ferry service starts on Monday.\n\n\
                    Contact staff writer Jane Doe at 555-010-2000, or jane@example.com.\n\n\
                    Follow the Gazette on Facebook, X and Instagram\n\n\
                    Reach John Roe on Signal at john.99 or on Bluesky @johnroe.\n\n\
                    Email questions for the next column to ask@example.com\n\n\
                    Follow the signs to Pier 3 for the 6:15 crossing.\n\n\
                    Email is the slowest way to reach the council, she said.";
        assert_eq!(
            clean_body(text, None).text,
            "The ferry service starts on Monday.\n\n\
             Follow the signs to Pier 3 for the 6:15 crossing.\n\n\
             Email is the slowest way to reach the council, she said."
        );
    }

    #[test]
    fn notices_in_any_language_go() {
        let text = "Prāmis sāks kursēt pirmdien.\n\n\
                    Iezīmējiet tekstu un spiediet Ctrl+Enter, lai nosūtītu labojumu redaktoram!\n\n\
                    Выделите ошибку и нажмите Ctrl + Enter\n\n\
                    เฟซบุ๊ก https://fb.me/gazette\n\n\
                    Twitter: https://twitter.com/gazette\n\n\
                    Timetables: https://ferry.example/timetables\n\n\
                    The ferry's page on https://www.facebook.com/ferry has the times, she said.";
        assert_eq!(
            clean_body(text, None).text,
            "Prāmis sāks kursēt pirmdien.\n\n\
             Timetables: https://ferry.example/timetables\n\n\
             The ferry's page on https://www.facebook.com/ferry has the times, she said."
        );
    }

    #[test]
    fn captions_closed_by_a_credit_go() {
        let text = "The ferry leaves the harbour at dawn. Photo: Jane Doe\n\n\
                    The ferry service starts on Monday.\n\n\
                    Commuters wait on the pier. Credit: Harbour Agency\n\n\
                    Jane Doe/Getty Images\n\n\
                    A ferry in the rain (AP Photo/John Roe)\n\n\
                    The pier in 1911. Courtesy of the Harbour Museum\n\n\
                    Photo courtesy Harbour Agency\n\n\
                    Crews on the slipway.Credit...Jane Doe for The Gazette\n\n\
                    The pier at dawn. REUTERS/Jane Doe\n\n\
                    Most voters back the ferry, a Reuters/Ipsos poll\n\n\
                    The name came from a photo: why this one?\n\n\
                    Parking at the pier is free courtesy of the city.";
        assert_eq!(
            clean_body(text, None).text,
            "The ferry service starts on Monday.\n\n\
             Most voters back the ferry, a Reuters/Ipsos poll\n\n\
             The name came from a photo: why this one?\n\n\
             Parking at the pier is free courtesy of the city."
        );
    }

    #[test]
    fn trailing_sources_list_is_cut() {
        let mut text = vec!["Paragraph of the article."; 8];
        text.extend(["Sources:", "Some report, 2024.", "https://example.com"]);
        let cleaned = clean_body(&text.join("\n\n"), None).text;
        assert_eq!(cleaned.matches("Paragraph").count(), 8);
        assert!(!cleaned.contains("Some report"));
    }

    #[test]
    fn invisible_characters_are_removed() {
        assert_eq!(
            clean_body("soft\u{00AD}ware and\u{200B} more", None).text,
            "software and more"
        );
    }

    #[test]
    fn a_byline_opening_the_text_is_taken_out() {
        let cleaned = clean_body(
            "Rains return to the valley\n\nBy Jane Doe\n\n\
             The harvest was early this year.",
            None,
        );
        assert_eq!(cleaned.byline.as_deref(), Some("By Jane Doe"));
        assert_eq!(
            cleaned.text,
            "Rains return to the valley\n\nThe harvest was early this year."
        );
        let heading = clean_body("By the numbers\n\nThree in four voted.", None);
        assert_eq!(heading.byline, None);
        assert!(heading.text.starts_with("By the numbers"));
        let later = clean_body("One.\n\nTwo.\n\nThree.\n\nBy Jane Doe", None);
        assert_eq!(later.byline, None);
    }
}
