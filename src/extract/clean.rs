//! Paragraph-level cleanup of the chosen body: the repeated headline,
//! interface lines (share, related, comments, cookie notices), captions and
//! photo credits, the site's own notices (copyright, newsletter and paywall
//! prompts), a byline opening the text, a trailing list of sources,
//! teasers for other stories after the article (`related`), and blocks the
//! page printed twice (`repeats`).

use std::sync::LazyLock;

use regex::Regex;

use super::dom_text::{lowercase_key, normalize_spaces, words};
use super::{author_lines, related, repeats};

/// Whole paragraphs that are interface text, compared lowercased with
/// trailing punctuation removed.
const INTERFACE_LINES: &[&str] = &[
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
    "share full article",
    "gift this article",
    "listen to this article",
    "listen to article",
    "save article",
    "save for later",
    "print this article",
    "email this article",
    "view comments",
    "show comments",
    "tweet",
    "email",
    "print",
    "copy link",
    "link copied",
    "read more",
    "read full review",
    "read our full review",
    "get in touch",
    "contact us",
    "join or sign in",
    "learn more",
    "see the rating",
    "check price",
    "where to buy",
    "buy now",
    "shop now",
    "view deal",
    "book now",
    "table of contents",
    "contents",
    "in this article",
    "show caption",
    "hide caption",
    "next article",
    "previous article",
    "next post",
    "previous post",
    "no posts",
    "see deal",
    "jump to",
    "on this page",
    "scroll for more",
    "press release",
    // A byline's labels left behind once its date and name were read.
    "published",
    "published on",
    "posted",
    "posted on",
    "last updated",
    "written by",
    "continue reading",
    "continue reading below",
    "story continues below",
    "story continues below advertisement",
    "article continues below",
    "article continues below advertisement",
    "advertisement - scroll to continue",
    "advertisement - continue reading below",
    "scroll to continue with content",
    "related",
    "related articles",
    "related stories",
    "related post",
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
    "↑ back to top",
    "subscribe",
    "sign up",
    "log in",
    "loading",
    "facebook",
    "twitter",
    "linkedin",
    "whatsapp",
    "pinterest",
    "reddit",
    "see more",
    "show more",
    "load more",
    "ad feedback",
    "video ad feedback",
    // The same interface in the other languages of European news.
    "anzeige",
    "werbung",
    "teilen",
    "drucken",
    "weiterlesen",
    "kommentare",
    "kommentar schreiben",
    "kommentare schreiben",
    "lade weitere inhalte",
    "mehr laden",
    "nach oben",
    "weiterführender link",
    "weiterführende links",
    "ähnliche beiträge",
    "das könnte sie auch interessieren",
    "publicité",
    "partager",
    "imprimer",
    "lire la suite",
    "commentaires",
    "publicidad",
    "compartir",
    "imprimir",
    "leer más",
    "comentarios",
    "noticias relacionadas",
    "pubblicità",
    "condividi",
    "commenti",
    "publicidade",
    "compartilhar",
    "comentários",
    "advertentie",
    "delen",
    "reacties",
    "reklama",
    "udostępnij",
    "komentarze",
    "reklam",
    "paylaş",
    "yorumlar",
];

/// Openings of short paragraphs that point elsewhere or credit an image.
const INTERFACE_PREFIXES: &[&str] = &[
    "related:",
    "read more:",
    "read also:",
    "also read:",
    "see also:",
    "photo:",
    "photo by ",
    "photo credit",
    "photograph:",
    "image:",
    "image credit",
    "image source",
    "image caption",
    "media caption",
    "credit:",
    "illustration:",
    "loading ",
    // The page's taxonomy: "Tags: Harbour, Ferries".
    "tags:",
    "tag:",
    "category:",
    "categories:",
    "filed under:",
    "schlagwörter:",
    "schlagworte:",
    "kategorie:",
    "kategorien:",
    "catégories :",
    "catégories:",
    "étiquettes :",
    "étiquettes:",
    "mots-clés :",
    "mots-clés:",
    "etiquetas:",
    "categorías:",
    // Pointers to other articles, in other languages.
    "lesen sie auch:",
    "mehr zum thema:",
    "lire aussi :",
    "lire aussi:",
    "à lire aussi",
    "lee también:",
    "leer también:",
    "leggi anche:",
    "leia também:",
    "lees ook:",
    "czytaj także:",
    "czytaj też:",
];

// Both patterns are matched against the lowercased line, and their word
// boundaries are ASCII ones, `(?-u:\b)`: case folding and a Unicode `\b`
// would keep the regex off its fast engine, and every word they bound
// starts and ends with an ASCII letter.

/// Short paragraphs in which the site speaks about itself rather than the
/// story: its copyright line, newsletter sign-ups, social links and
/// paywall prompts. They repeat on every article of a site, so left in they
/// would also make unrelated articles of one outlet look alike to the
/// matcher.
static SITE_NOTICE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?x)
        ^(™\s*&\s*)?(©|\(c\)|copyright)\s*(©\s*|copyright\s*)?\d{4}
        | (©|\(c\)|copyright).{0,120}all\s+rights\s+reserved
        | (?-u:\b)akismet(?-u:\b)
        | (?-u:\b)(abonnier|anmeld|abonnez|inscri|suscr|iscriv|assin|zapisz|abone).{0,80}newsletter
        | newsletter.{0,80}(?-u:\b)(abonnier|anmeld|abonnez|inscri|suscr|iscriv|assin|zapisz|abone)
        | ^(sign\s+up|subscribe)(?-u:\b).{0,40}(?-u:\b)newsletters?(?-u:\b)
        | ^follow\s+us(?-u:\b)
        | (sign\s+up|subscribe|register)\s+(for|to)\s+(the|our|my)(\s+[\w'’-]+){0,3}\s+newsletter
        | ^thanks?(\s+you)?\s+for\s+(subscribing|signing\s+up)
        | already\s+(have\s+an\s+account|a\s+subscriber)
        | (subscribe|log\s*in|sign\s*in)\s+to\s+(continue|keep)\s+reading
        | to\s+read\s+the\s+rest\s+of\s+this
        | ^become\s+a\s+(paid\s+)?(subscriber|member)
        | ^unlock\s+(this|the\s+full)\s+(article|story|piece)
        | ^this\s+(article|story|post)\s+is\s+(exclusive\s+to|for)\s
        | ^was\s+this\s+(newsletter|email)\s+forwarded
        | ^sponsor\s+this\s+newsletter
        | ^support\s+[\w\s]{1,30}!
        | ^as\s+a\s+subscriber,\s+you\s+have\s+\d+\s+gift
        | ^a\s+version\s+of\s+this\s+(article|story)\s+(appears|appeared)\s+in\s+print
        | ^our\s+standards:
        | ^explore\s+more\s+on\s+th(is|ese)\s+topics?$
        | ^reuse\s+this\s+content$
        | ^republish\s+(our|this)\s+(articles?|story|stories)(?-u:\b)
        | ^since\s+you\s+made\s+it\s+to\s+the\s+(bottom|end)\s+of\s+this
        | ^[0-9,.]+k?\s*(views|shares?|comments?|likes?|reactions?)$
        | ^\(?visited\s+[\d,]+\s+times(?-u:\b)
        | (?-u:\b)sign\s+up\s+(now|here|today)(?-u:\b)
        | ^subscribe\s+to\s+our(?-u:\b)
        | ^like\s+this\s+(article|story|post)\?
        | delivered\s+(right\s+|straight\s+)?to\s+your\s+inbox
        | (?-u:\b)(join|get)\s+(the|our)\s+newsletter(?-u:\b)
        | ^rate\s+this\s+(article|post|story)$
        | ^comments\s+are\s+closed(?-u:\b)
        | ^posted\s+on\s.{1,40}\sposted\s+by(?-u:\b)
        | ^posted\s+by\s+[^.]{1,40}\s+(at|on)\s+.*[0-9]{4}
        | ^the\s+views\s+(and\s+opinions\s+)?expressed\s+(by|in)\s.{0,120}(own|necessarily)
        # Affiliate disclosures: the same sentence under every shopping piece.
        | (?-u:\b)we\s+may\s+(earn|receive|get)\s+(a\s+)?(small\s+)?(share|commission|compensation|affiliate)
        | (?-u:\b)we\s+may\s+be\s+compensated(?-u:\b)
        | (?-u:\b)(contains?|includes?|may\s+contain|uses?)\s+(some\s+)?affiliate\s+links(?-u:\b)
        | ^disclosure\s*:
        | (?-u:\b)if\s+you\s+(buy|purchase|click)\s+(something\s+|a\s+product\s+)?through\s+(our\s+|my\s+|these\s+|one\s+of\s+)?[a-z\s]{0,20}links(?-u:\b)",
    )
    .expect("constant pattern")
});

/// The consent line under a sign-up form ("By signing up, you agree to
/// receive ... Msg and data rates may apply. Reply STOP to opt out."):
/// longer than other notices, and as specific.
static FORM_CONSENT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^by\s+(signing\s+up|subscribing|submitting|clicking|registering|continuing|entering)(?-u:\b)[^.]{0,120}(?-u:\b)you\s+(agree|consent|acknowledge|accept)(?-u:\b)",
    )
    .expect("constant pattern")
});

/// A sign-up form's consent line can run to this many words.
const MAX_CONSENT_WORDS: usize = 80;

/// An image caption, known by the credit closing it ("The harbour at dawn.
/// Photo: Jane Doe", "Jane Doe/Getty Images", "(AP Photo/Jane Doe)"): the
/// caption describes the picture, not the story.
static CAPTION_CREDIT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?x)
        (?-u:\b)(photo|image|picture|photograph|credit)s?(\s+by|\s+credit)?\s*:\s*[^.:?!()]{1,60}\.?$
        | (?-u:\b)(via|/)\s*(getty\s+images|shutterstock|istock)\.?$
        | \(ap\s+photo[^)]*\)\.?$",
    )
    .expect("constant pattern")
});

/// A paragraph longer than this is prose even if it opens like a label.
const MAX_INTERFACE_WORDS: usize = 25;
/// Site notices run longer ("A version of this article appears in print
/// on May 4, 2026, Section A, Page 12 of the New York edition with the
/// headline: ...") and their patterns are specific enough to allow it.
const MAX_NOTICE_WORDS: usize = 40;
/// Longer paragraphs cannot be interface lines; skips the checks on prose.
const MAX_INTERFACE_BYTES: usize = 400;

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

fn is_interface_line(line: &str) -> bool {
    if line.len() > MAX_INTERFACE_BYTES {
        return false;
    }
    let key = lowercase_key(line);
    if INTERFACE_LINES.contains(&key.as_str())
        || is_reading_time(&key)
        || RELATIVE_TIME.is_match(&key)
        || is_bare_url(line)
    {
        return true;
    }
    let word_count = line.split_whitespace().count();
    (word_count <= MAX_INTERFACE_WORDS
        && (INTERFACE_PREFIXES.iter().any(|p| key.starts_with(p)) || CAPTION_CREDIT.is_match(&key)))
        || (word_count <= MAX_NOTICE_WORDS && SITE_NOTICE.is_match(&key))
        || (word_count <= MAX_CONSENT_WORDS && FORM_CONSENT.is_match(&key))
}

/// "Published 4 hours ago", "Updated 2 days ago": a byline's time, which
/// readability keeps when it sits inside the article.
static RELATIVE_TIME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?:(?:published|updated|posted|last updated)(?: on)? )?(?:\d+|an?|one) (?:second|minute|min|hour|hr|day|week|month|year)s? ago$",
    )
    .expect("constant pattern")
});

/// "3 min read", "5 minute read".
fn is_reading_time(key: &str) -> bool {
    let mut words = key.split_whitespace();
    let number = words
        .next()
        .is_some_and(|w| w.chars().all(|c| c.is_ascii_digit()));
    let rest: Vec<&str> = words.collect();
    number && matches!(rest.as_slice(), [unit, "read"] if unit.starts_with("min"))
}

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

fn is_bare_url(line: &str) -> bool {
    !line.contains(' ') && (line.starts_with("http://") || line.starts_with("https://"))
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
                    Read our full review\n\nGet in touch\n\nContact Us\n\nRelated Post\n\n↑ Back to Top";
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
    fn captions_closed_by_a_credit_go() {
        let text = "The ferry leaves the harbour at dawn. Photo: Jane Doe\n\n\
                    The ferry service starts on Monday.\n\n\
                    Commuters wait on the pier. Credit: Harbour Agency\n\n\
                    Jane Doe/Getty Images\n\n\
                    A ferry in the rain (AP Photo/John Roe)\n\n\
                    The name came from a photo: why this one?";
        assert_eq!(
            clean_body(text, None).text,
            "The ferry service starts on Monday.\n\nThe name came from a photo: why this one?"
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
