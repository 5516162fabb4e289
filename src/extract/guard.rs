//! Guards: input that is no page at all, and pages that are not articles.

use dom_query::{Document, NodeData};
use serde::Serialize;

use super::body::{Body, BodySource};
use super::metadata::PageMetadata;
use super::{ExtractError, PageKind};

/// Why a page is not an article.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NotArticleReason {
    /// Almost no readable text.
    TooLittleText,
    /// A list of links to other pages: a front page, section or tag page.
    IndexPage,
    /// A video with little or no text.
    VideoOnly,
    /// The text stops at a subscription wall.
    PaywallStub,
}

impl std::fmt::Display for NotArticleReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::TooLittleText => "too little text",
            Self::IndexPage => "index page",
            Self::VideoOnly => "video only",
            Self::PaywallStub => "paywall stub",
        })
    }
}

/// How much of the start of the input to inspect for binary content.
const BINARY_PROBE_BYTES: usize = 4096;

/// Rejects input that cannot be a page before parsing it.
pub(crate) fn check_input(html: &str) -> Result<(), ExtractError> {
    if html.trim().is_empty() {
        return Err(ExtractError::Empty);
    }
    let probe = html.get(..BINARY_PROBE_BYTES).unwrap_or(html);
    let control = probe
        .chars()
        .filter(|&c| (c.is_control() && !c.is_whitespace()) || c == '\u{FFFD}')
        .count();
    // Real pages have next to no control characters; decoded binaries are
    // full of them and of replacement characters.
    if control * 10 > probe.chars().count() {
        return Err(ExtractError::NotText);
    }
    Ok(())
}

/// Page-wide facts measured before extraction changes the document.
#[derive(Debug, Default)]
pub(crate) struct PageSignals {
    text_chars: usize,
    link_chars: usize,
    has_video: bool,
    has_paywall_marker: bool,
}

const VIDEO_HOSTS: &[&str] = &["youtube", "vimeo.com", "dailymotion", "jwplayer", "brightcove"];

impl PageSignals {
    pub(crate) fn measure(doc: &Document) -> Self {
        let mut signals = Self::default();
        let Some(body) = doc.body() else {
            return signals;
        };
        for node in body.descendants_it() {
            let in_script = || {
                node.parent()
                    .is_some_and(|p| p.has_name("script") || p.has_name("style"))
            };
            if node.is_text() && !in_script() {
                signals.text_chars += node.query_or(0, |n| match &n.data {
                    NodeData::Text { contents } => contents.trim().len(),
                    _ => 0,
                });
            } else if node.has_name("a") {
                signals.link_chars += node.normalized_char_count();
            } else if node.has_name("video") {
                signals.has_video = true;
            } else if node.has_name("iframe") {
                let src = node.attr_or("src", "");
                signals.has_video |= VIDEO_HOSTS.iter().any(|h| src.contains(h));
            }
            if !signals.has_paywall_marker && node.is_element() {
                let class = node.attr_or("class", "");
                signals.has_paywall_marker |= class.contains("paywall");
            }
        }
        signals
    }

    fn link_density(&self) -> f64 {
        if self.text_chars == 0 {
            return 0.0;
        }
        self.link_chars as f64 / self.text_chars as f64
    }
}

/// Fewer words than this is no article.
const MIN_ARTICLE_WORDS: usize = 50;
/// Below this many words, a video or paywall explains the missing text.
const SHORT_TEXT_WORDS: usize = 150;

const PAYWALL_PHRASES: &[&str] = &[
    "subscribe to continue reading",
    "subscribe to read",
    "to continue reading",
    "for subscribers only",
    "subscriber-only",
    "already a subscriber",
    "subscribe now to",
    "this content is for members only",
];

pub(crate) fn classify(
    text: &str,
    body: &Body,
    signals: &PageSignals,
    meta: &PageMetadata,
) -> PageKind {
    let words = text.split_whitespace().count();
    let not_article = |reason| PageKind::NotArticle { reason };
    if words < SHORT_TEXT_WORDS {
        let lower = text.to_lowercase();
        let paywalled = signals.has_paywall_marker
            || meta.jsonld.free == Some(false)
            || PAYWALL_PHRASES.iter().any(|p| lower.contains(p));
        if paywalled {
            return not_article(NotArticleReason::PaywallStub);
        }
        let video_type = meta.og_type.as_deref().is_some_and(|t| t.starts_with("video"));
        if signals.has_video || video_type || meta.jsonld.has_video {
            return not_article(NotArticleReason::VideoOnly);
        }
    }
    if body.link_density > 0.5 || (words < SHORT_TEXT_WORDS && signals.link_density() > 0.6) {
        return not_article(NotArticleReason::IndexPage);
    }
    if words < MIN_ARTICLE_WORDS && body.source != BodySource::Selector {
        return not_article(NotArticleReason::TooLittleText);
    }
    PageKind::Article
}
