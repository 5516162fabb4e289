//! Interface lines: paragraphs that are the page talking about itself
//! rather than the story. Share and print buttons, "Related" labels,
//! captions closed by a photo credit, reading times, the site's copyright
//! line, newsletter, sign-up and paywall prompts, affiliate disclosures,
//! the author's contact line.
//! Left in, they repeat on every article of a site and make its unrelated
//! articles look alike to the matcher.

use std::sync::LazyLock;

use regex::Regex;

use super::dom_text::lowercase_key;

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
    "featured in this article",
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
    "related reading",
    "related reads",
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
    // News sites' players, menus and prompts between paragraphs.
    "skip advertisement",
    "continue reading the main story",
    "supported by",
    "media playback is unsupported on your device",
    "this video can not be played",
    "this video cannot be played",
    "watch now",
    "watch video",
    "play video",
    "watch more",
    "more videos",
    "recommended videos",
    "view gallery",
    "photos",
    "videos",
    "listen",
    "close",
    "view all",
    "show all",
    "most read",
    "most popular",
    "most viewed",
    "read next",
    "getty images",
    "download the app",
    "click here to get the fox news app",
    "follow us on twitter",
    "follow us on facebook",
    "follow us on instagram",
    "sign up for our newsletter",
    "sign up for our newsletters",
    "sign up to our newsletter",
    "got a tip",
    "send us a tip",
    "print this page",
    "email this page",
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
    "related reading:",
    "related reads:",
    "related articles:",
    "related stories:",
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

// The patterns below are matched against the lowercased line, and their
// word boundaries are ASCII ones, `(?-u:\b)`: case folding and a Unicode `\b`
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
        # The typo-report notice of many European sites, in their language:
        # 'Found a mistake? Select it and press Ctrl+Enter'.
        | (?-u:\b)ctrl\s*\+\s*enter(?-u:\b)
        | ^posted\s+on\s.{1,40}\sposted\s+by(?-u:\b)
        | ^posted\s+by\s+[^.]{1,40}\s+(at|on)\s+.*[0-9]{4}
        | ^the\s+views\s+(and\s+opinions\s+)?expressed\s+(by|in)\s.{0,120}(own|necessarily)
        # Affiliate disclosures: the same sentence under every shopping piece.
        | (?-u:\b)we\s+may\s+(earn|receive|get)\s+(a\s+)?(small\s+)?(share|commission|compensation|affiliate)
        | (?-u:\b)we\s+may\s+be\s+compensated(?-u:\b)
        | (?-u:\b)(contains?|includes?|may\s+contain|uses?)\s+(some\s+)?affiliate\s+links(?-u:\b)
        | (?-u:\b)affiliate\s+links\s+(are|may\s+be)\s+used(?-u:\b)
        | ^disclosure\s*:
        | (?-u:\b)if\s+you\s+(buy|purchase|click)\s+(something\s+|a\s+product\s+)?through\s+(our\s+|my\s+|these\s+|one\s+of\s+)?[a-z\s]{0,20}links(?-u:\b)",
    )
    .expect("constant pattern")
});

/// The consent line under a sign-up or comment form ("By signing up, you
/// agree to receive ... Msg and data rates may apply. Reply STOP to opt
/// out.", "By posting a comment, you consent to ..."): longer than other
/// notices, and as specific.
static FORM_CONSENT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^by\s+(signing\s+up|subscribing|submitting|clicking|registering|continuing|entering|posting|commenting|leaving|using|providing|proceeding)(?-u:\b)[^.]{0,120}(?-u:\b)you\s+(agree|consent|acknowledge|accept)(?-u:\b)",
    )
    .expect("constant pattern")
});

/// How to reach the author or the site ("Contact staff writer Jane Doe at
/// 555-010-2000 or jane@example.com", "Follow AP on Facebook, X and
/// Instagram", "Email questions to ask@example.com"): an invitation with an
/// address, a number or a social account in it. Such lines close every
/// article of a reporter or a site, so left in they would make unrelated
/// articles by one author look alike.
static CONTACT_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?x)
        ^(contact|reach|email|e-mail|follow|write\s+to|you\s+can\s+(reach|contact|email|follow))\s
        .*?
        (@[a-z0-9_]
        | [a-z0-9._+-]+@[a-z0-9-]+\.[a-z]{2,}
        | \(?\d{3}\)?[-.\s]\d{3}[-.]\d{4}
        | (on|via)\s+(twitter|x|signal|bluesky|threads|instagram|facebook|linkedin|mastodon)(?-u:\b))",
    )
    .expect("constant pattern")
});

/// A sign-up form's consent line can run to this many words.
const MAX_CONSENT_WORDS: usize = 80;

/// An image caption, known by the credit closing it ("The harbour at dawn.
/// Photo: Jane Doe", "Jane Doe/Getty Images", "(AP Photo/Jane Doe)",
/// "The pier in 1911. Courtesy of the Harbour Museum", "The pier at
/// dawn.Credit...Jane Doe for The Gazette", "The pier at dawn.
/// REUTERS/Jane Doe"): the caption
/// describes the picture, not the story. A courtesy credit must stand
/// apart, so "Parking is free courtesy of the city." stays.
static CAPTION_CREDIT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?x)
        (?-u:\b)(photo|image|picture|photograph|credit)s?(\s+by|\s+credit)?\s*:\s*[^.:?!()]{1,60}\.?$
        | (?-u:\b)(via|/)\s*(getty\s+images|shutterstock|istock)\.?$
        | \(ap\s+photo[^)]*\)\.?$
        | (?-u:\b)credit(\.{3}|…)\s*[^.:?!()]{1,80}$
        | (^|[.!?)\x22”]\s+)(reuters|afp|epa|epa-efe|ap)\s*/\s*[^./()]{2,40}$
        | (^|[.)]\s+|\(\s*)((photo|image)s?\s+)?courtesy(\s+of)?\s+[^.:?!()]{1,60}\)?\.?$",
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

/// Whether a paragraph of the body is interface text.
pub(crate) fn is_interface_line(line: &str) -> bool {
    if line.len() > MAX_INTERFACE_BYTES {
        return false;
    }
    let key = lowercase_key(line);
    if INTERFACE_LINES.contains(&key.as_str())
        || is_reading_time(&key)
        || RELATIVE_TIME.is_match(&key)
        || is_bare_url(line)
        || is_social_link(line)
    {
        return true;
    }
    let word_count = line.split_whitespace().count();
    (word_count <= MAX_INTERFACE_WORDS
        && (INTERFACE_PREFIXES.iter().any(|p| key.starts_with(p)) || CAPTION_CREDIT.is_match(&key)))
        || (word_count <= MAX_NOTICE_WORDS && SITE_NOTICE.is_match(&key))
        || (word_count <= MAX_CONSENT_WORDS && FORM_CONSENT.is_match(&key))
        || (word_count <= MAX_NOTICE_WORDS && CONTACT_LINE.is_match(&key))
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

fn is_bare_url(line: &str) -> bool {
    !line.contains(' ') && (line.starts_with("http://") || line.starts_with("https://"))
}

/// Hosts of the social networks sites point their readers to.
const SOCIAL_HOSTS: [&str; 12] = [
    "facebook.com",
    "fb.me",
    "twitter.com",
    "x.com",
    "instagram.com",
    "t.me",
    "youtube.com",
    "tiktok.com",
    "linkedin.com",
    "line.me",
    "threads.net",
    "bsky.app",
];

/// A label and the site's account on a social network, in any language
/// ("Facebook https://fb.me/gazette", "Twitter: https://twitter.com/gazette").
fn is_social_link(line: &str) -> bool {
    let words: Vec<&str> = line.split_whitespace().collect();
    let Some((last, label)) = words.split_last() else {
        return false;
    };
    let Some(rest) = last
        .strip_prefix("https://")
        .or_else(|| last.strip_prefix("http://"))
    else {
        return false;
    };
    let host = rest.split('/').next().unwrap_or(rest).to_lowercase();
    let host = host.strip_prefix("www.").unwrap_or(&host);
    label.len() <= 3 && SOCIAL_HOSTS.contains(&host)
}
