//! Choosing the article body: a site's selector, dom_smoothie's readability
//! result, or the page's own structured markup when readability misses.

use std::panic::{catch_unwind, AssertUnwindSafe};

use dom_query::{Document, Matcher};
use dom_smoothie::{Config, Readability, TextMode};

use super::dom_text::{node_text, tidy_paragraphs, NON_TEXT_ELEMENTS};
use super::metadata::PageMetadata;
use super::ExtractError;

/// Where the body text came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum BodySource {
    Selector,
    Readability,
    JsonLd,
    Container,
    WholePage,
}

pub(crate) struct Body {
    pub text: String,
    pub source: BodySource,
    /// Share of the chosen content's text inside links; index pages read
    /// as lists of links.
    pub link_density: f64,
}

impl Body {
    fn new(text: String, source: BodySource) -> Self {
        Self { text, source, link_density: 0.0 }
    }
}

/// Containers pages use to mark the article text themselves.
const CONTAINER_SELECTOR: &str = r#"[itemprop="articleBody"], [itemprop="reviewBody"]"#;

pub(crate) fn extract_body(
    doc: Document,
    html: &str,
    meta: &PageMetadata,
    selector: Option<&str>,
) -> Result<Body, ExtractError> {
    doc.select(NON_TEXT_ELEMENTS).remove();
    if let Some(selector) = selector {
        let matcher = Matcher::new(selector).map_err(|_| ExtractError::InvalidSelector {
            selector: selector.to_owned(),
        })?;
        let text = joined_text(doc.select_matcher(&matcher).nodes());
        if !text.is_empty() {
            return Ok(Body::new(text, BodySource::Selector));
        }
    }
    let container = joined_text(doc.select(CONTAINER_SELECTOR).nodes());
    let readability = run_readability(doc);
    let jsonld = meta.jsonld.article_body.as_deref().map(tidy_paragraphs);
    Ok(choose(readability, container, jsonld).unwrap_or_else(|| whole_page(html)))
}

fn joined_text(nodes: &[dom_query::NodeRef]) -> String {
    // Nested matches would repeat text; keep outermost ones only.
    let outermost = nodes.iter().filter(|n| {
        !n.ancestors_it(None).any(|a| nodes.iter().any(|m| m.id == a.id))
    });
    let parts: Vec<String> = outermost.map(node_text).filter(|t| !t.is_empty()).collect();
    parts.join("\n\n")
}

/// Runs dom_smoothie, which must not take the process down with it: a
/// panic on a pathological page becomes "no result".
fn run_readability(doc: Document) -> Option<Body> {
    let config = Config { text_mode: TextMode::Formatted, ..Config::default() };
    let outcome = catch_unwind(AssertUnwindSafe(move || {
        let mut readability = Readability::with_document(doc, None, Some(config)).ok()?;
        let article = readability.parse().ok()?;
        let content = readability.doc.select_single("#readability-page-1");
        let link_density = link_density(&content);
        Some((article.text_content, link_density))
    }));
    let (text, link_density) = outcome.ok().flatten()?;
    let text = tidy_paragraphs(&text);
    (!text.is_empty()).then_some(Body { text, source: BodySource::Readability, link_density })
}

fn link_density(content: &dom_query::Selection) -> f64 {
    let total: usize = content.nodes().iter().map(|n| n.normalized_char_count()).sum();
    let links: usize = content.select("a").nodes().iter().map(|n| n.normalized_char_count()).sum();
    if total == 0 {
        0.0
    } else {
        links as f64 / total as f64
    }
}

fn word_count(text: &str) -> usize {
    text.split_whitespace().count()
}

/// The page's text when readability found nothing; a fresh parse, as
/// readability consumed the first one.
fn whole_page(html: &str) -> Body {
    let doc = Document::from(html);
    doc.select(NON_TEXT_ELEMENTS).remove();
    let text = doc.select_single("body").nodes().first().map(node_text).unwrap_or_default();
    Body::new(text, BodySource::WholePage)
}

fn choose(readability: Option<Body>, container: String, jsonld: Option<String>) -> Option<Body> {
    let readability_words = readability.as_ref().map_or(0, |b| word_count(&b.text));
    if let Some(jsonld) = jsonld.filter(|j| word_count(j) > readability_words * 13 / 10) {
        return Some(Body::new(jsonld, BodySource::JsonLd));
    }
    if word_count(&container) > readability_words * 13 / 10 {
        return Some(Body::new(container, BodySource::Container));
    }
    readability
}
