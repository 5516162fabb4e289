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

/// Tags that never nest: void elements and those whose end tag is
/// implied by the next sibling, so their start tags do not deepen a page.
const NON_NESTING_TAGS: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
    "wbr", "param", "p", "li", "dt", "dd", "tr", "td", "th", "option", "optgroup", "thead",
    "tbody", "tfoot", "colgroup", "rt", "rp",
];

const MAX_NON_NESTING_NAME: usize = 8;

fn is_non_nesting(name: &[u8]) -> bool {
    let mut lower = [0u8; MAX_NON_NESTING_NAME];
    for (l, b) in lower.iter_mut().zip(name) {
        *l = b.to_ascii_lowercase();
    }
    let lower = &lower[..name.len()];
    NON_NESTING_TAGS.iter().any(|t| t.as_bytes() == lower)
}

/// Deeper markup is rejected before parsing: the HTML parser's cost grows
/// with the square of the depth (100,000 levels take half a minute), and
/// real pages stay below 100.
pub(crate) const MAX_MARKUP_DEPTH: usize = 4000;

/// An upper estimate of the element nesting depth from start and end tags.
pub(crate) fn estimated_depth(html: &str) -> usize {
    let bytes = html.as_bytes();
    let (mut depth, mut deepest) = (0usize, 0usize);
    let mut at = 0;
    while let Some(offset) = memchr::memchr(b'<', &bytes[at..]) {
        let start = at + offset + 1;
        at = start;
        // Comments, doctypes and processing instructions never nest.
        if matches!(bytes.get(start), Some(b'!' | b'?')) {
            continue;
        }
        let closing = bytes.get(start) == Some(&b'/');
        let name_start = if closing { start + 1 } else { start };
        let name_len = bytes
            .get(name_start..)
            .unwrap_or_default()
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric())
            .count();
        if name_len == 0 {
            continue;
        }
        let name = &bytes[name_start..name_start + name_len];
        if name_len <= MAX_NON_NESTING_NAME && is_non_nesting(name) {
            continue;
        }
        if closing {
            depth = depth.saturating_sub(1);
        } else {
            depth += 1;
            deepest = deepest.max(depth);
        }
    }
    deepest
}

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

/// Rejects markup nested deeper than any real page; run on the page with
/// scripts emptied, whose `<` comparisons would look like tags.
pub(crate) fn check_depth(html: &str) -> Result<(), ExtractError> {
    let depth = estimated_depth(html);
    if depth > MAX_MARKUP_DEPTH {
        return Err(ExtractError::TooDeep { depth });
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
    max_depth: usize,
}

/// Real pages nest below 100 levels.
const MAX_READABILITY_DEPTH: usize = 400;

const VIDEO_HOSTS: &[&str] = &[
    "youtube",
    "vimeo.com",
    "dailymotion",
    "jwplayer",
    "brightcove",
];

impl PageSignals {
    pub(crate) fn measure(doc: &Document) -> Self {
        let mut signals = Self::default();
        let Some(body) = doc.body() else {
            return signals;
        };
        let mut stack = vec![(body, 0usize)];
        while let Some((node, depth)) = stack.pop() {
            signals.max_depth = signals.max_depth.max(depth);
            if node.is_text() {
                signals.text_chars += node.query_or(0, |n| match &n.data {
                    NodeData::Text { contents } => contents.trim().len(),
                    _ => 0,
                });
                continue;
            }
            if !node.is_element() || node.has_name("script") || node.has_name("style") {
                continue;
            }
            if node.has_name("a") {
                signals.link_chars += node.normalized_char_count();
            } else if node.has_name("video") {
                signals.has_video = true;
            } else if node.has_name("iframe") {
                let src = node.attr_or("src", "");
                signals.has_video |= VIDEO_HOSTS.iter().any(|h| src.contains(h));
            }
            if !signals.has_paywall_marker {
                signals.has_paywall_marker |= node.attr_or("class", "").contains("paywall");
            }
            stack.extend(node.children_it(true).map(|child| (child, depth + 1)));
        }
        signals
    }

    /// Readability's cost grows with the square of the depth; past this
    /// only the linear text-density view runs.
    pub(crate) fn too_deep_for_readability(&self) -> bool {
        self.max_depth > MAX_READABILITY_DEPTH
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
/// Chosen content with more of its text in links is a list of teasers.
const MAX_CONTENT_LINK_DENSITY: f64 = 0.5;
/// A page this link-heavy with little prose is a front or section page.
const MAX_PAGE_LINK_DENSITY: f64 = 0.6;

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
        // The body as chosen, before clean-up took the prompts out of it.
        let lower = body.text.to_lowercase();
        let paywalled = signals.has_paywall_marker
            || meta.jsonld.free == Some(false)
            || PAYWALL_PHRASES.iter().any(|p| lower.contains(p));
        if paywalled {
            return not_article(NotArticleReason::PaywallStub);
        }
        let video_type = meta
            .og_type
            .as_deref()
            .is_some_and(|t| t.starts_with("video"));
        if signals.has_video || video_type || meta.jsonld.has_video {
            return not_article(NotArticleReason::VideoOnly);
        }
    }
    let link_list = body.link_density > MAX_CONTENT_LINK_DENSITY
        || (words < SHORT_TEXT_WORDS && signals.link_density() > MAX_PAGE_LINK_DENSITY);
    if link_list {
        return not_article(NotArticleReason::IndexPage);
    }
    if words < MIN_ARTICLE_WORDS && body.source != BodySource::Selector {
        return not_article(NotArticleReason::TooLittleText);
    }
    PageKind::Article
}
