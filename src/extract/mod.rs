//! Article extraction: from a fetched page to its body text and metadata.
//!
//! 1. `guard` refuses input that is no page (empty, binary, nested deeper
//!    than any real page, which would make parsing quadratic), and `strip`
//!    empties scripts, styles and inline SVG before parsing (half the
//!    bytes of a typical news page).
//! 2. The page is parsed once with dom_query, the DOM dom_smoothie uses,
//!    and `metadata` reads title, author, date, canonical URL, language and
//!    site name while the document is intact (JSON-LD, `og:`/`article:`
//!    meta, `<time>`, headings, dates shown near the headline).
//! 3. `body` picks the text: a per-feed CSS selector when it matches, else
//!    dom_smoothie's readability result (pruned of captions, bylines and
//!    forms by `prune`), overruled by JSON-LD `articleBody`,
//!    `itemprop=articleBody` or the `density` view when those show that
//!    readability kept only part of the article; an `articleBody` that is
//!    the same article drops the paragraphs it lacks from inside it
//!    (`vouched`).
//! 4. `clean` drops the repeated headline, interface lines, captions and
//!    the site's own notices (`interface_lines`), the newsroom's appeals
//!    for donations (`reader_appeal`), teasers for other
//!    stories after the article (`related`) and blocks printed twice
//!    (`repeats`: one copy per screen size), and takes out a byline
//!    opening the text (`author_lines`), which names the author when the
//!    markup does not; once the author is known, `author_lines` also drops
//!    their bio or author card from the end. `guard` flags pages that are
//!    not articles; `language` names the language. `mojibake` repairs
//!    UTF-8 that was decoded as Latin-1 before the page was published
//!    ("Investorâ€™s"), in the title and byline here and in all text the
//!    matcher reads.
//!
//! Byte decoding ([`decode_html`]) is separate because the caller holds the
//! HTTP header.

mod author_lines;
mod body;
mod clean;
mod decode;
mod density;
mod dom_text;
mod guard;
mod interface_lines;
mod jsonld;
mod language;
mod metadata;
pub mod mojibake;
mod plain;
mod prepare;
mod prune;
mod reader_appeal;
mod related;
mod repeats;
mod strip;
mod vouched;

use chrono::{DateTime, FixedOffset};
use serde::Serialize;
use url::Url;

pub use decode::decode_html;
pub use dom_text::html_fragment_to_text;
pub use guard::NotArticleReason;
pub use plain::plain_text_article;

/// What the feed item itself said about the article; used where the page
/// is silent.
#[derive(Debug, Clone, Default)]
pub struct FeedHints {
    pub title: Option<String>,
    pub author: Option<String>,
    pub published: Option<DateTime<FixedOffset>>,
}

/// Per-page extraction settings.
#[derive(Debug, Clone, Default)]
pub struct ExtractOptions {
    /// The page's address; resolves relative canonical links.
    pub url: Option<Url>,
    /// A CSS selector for the body on this site; overrides the heuristics
    /// when it matches text.
    pub selector: Option<String>,
    /// Values from the feed item, used when the page lacks them.
    pub fallback: FeedHints,
}

/// Whether the page carries an article.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum PageKind {
    Article,
    NotArticle { reason: NotArticleReason },
}

/// Everything extracted from one page.
#[derive(Debug, Clone, Serialize)]
pub struct ExtractedPage {
    pub url: Option<String>,
    pub canonical_url: Option<String>,
    pub title: Option<String>,
    pub author: Option<String>,
    pub published: Option<DateTime<FixedOffset>>,
    /// ISO 639-1 code such as "en".
    pub language: Option<String>,
    pub site_name: Option<String>,
    /// Plain text, paragraphs separated by blank lines, without the headline.
    pub text: String,
    /// Serialised flat: `"kind": "article"`, or `"kind": "not_article",
    /// "reason": "index_page"`.
    #[serde(flatten)]
    pub kind: PageKind,
}

#[derive(Debug, thiserror::Error)]
pub enum ExtractError {
    #[error("the page is empty")]
    Empty,
    #[error("the page is not HTML text (it looks like binary data)")]
    NotText,
    #[error("the page nests elements {depth} levels deep; no real page does")]
    TooDeep { depth: usize },
    #[error("invalid CSS selector {selector:?}")]
    InvalidSelector { selector: String },
}

/// Extracts the article body and metadata from a decoded HTML page.
///
/// A page that parses but carries no article (an index, a video, a paywall
/// stub) is `Ok` with [`PageKind::NotArticle`], so the caller can fall back
/// to the feed's own text.
pub fn extract(html: &str, options: &ExtractOptions) -> Result<ExtractedPage, ExtractError> {
    guard::check_input(html)?;
    let html = strip::strip_raw_text(html);
    guard::check_depth(&html)?;
    let doc = dom_query::Document::from(html.as_ref());
    let meta = metadata::read(&doc, options.url.as_ref());
    let page_signals = guard::PageSignals::measure(&doc);
    let body = body::extract_body(
        doc,
        &html,
        &meta,
        options.selector.as_deref(),
        !page_signals.too_deep_for_readability(),
    )?;
    let title = meta
        .title
        .clone()
        .or_else(|| options.fallback.title.clone());
    let cleaned = clean::clean_body(&body.text, title.as_deref());
    let author = meta
        .author
        .clone()
        .or_else(|| body.byline.as_deref().and_then(metadata::clean_author))
        .or_else(|| cleaned.byline.as_deref().and_then(metadata::clean_author))
        .or_else(|| options.fallback.author.clone())
        // An organisation, or the site filed as a person, is still better
        // than no author at all.
        .or_else(|| meta.jsonld.author_organizations.first().cloned())
        .or_else(|| {
            meta.jsonld
                .authors
                .first()
                .and_then(|a| metadata::clean_author(a))
        });
    let text = match &author {
        Some(author) => author_lines::drop_author_bio(&cleaned.text, author),
        None => cleaned.text,
    };
    let text = mojibake::repair(&text);
    let kind = guard::classify(&text, &body, &page_signals, &meta);
    let language = language::detect(&text, meta.language.as_deref());
    Ok(ExtractedPage {
        url: options.url.as_ref().map(Url::to_string),
        canonical_url: meta.canonical_url,
        title,
        author,
        published: meta.published.or(options.fallback.published),
        language,
        site_name: meta.site_name,
        text,
        kind,
    })
}
