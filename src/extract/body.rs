//! Choosing the article body: a site's selector, else dom_smoothie's
//! readability result, overruled by the page's own structured markup
//! (JSON-LD `articleBody`, `itemprop=articleBody`, the page's main
//! `<article>`) or by the text-density view when those show readability
//! kept only part of the article. A JSON-LD `articleBody` or
//! `itemprop=articleBody` too short to replace readability's text still
//! vouches for its paragraphs (`vouched`).

use std::panic::{catch_unwind, AssertUnwindSafe};

use dom_query::{Document, Matcher};
use dom_smoothie::{Config, ParsePolicy, Readability, TextMode};
use rustc_hash::FxHashSet;

use super::dom_text::{is_hidden, linked_chars, node_text, tidy_paragraphs, trigram_hashes};
use super::metadata::PageMetadata;
use super::{density, prepare, prune, vouched, ExtractError};

/// Where the body text came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum BodySource {
    Selector,
    Readability,
    JsonLd,
    Container,
    ArticleElement,
    TextDensity,
}

pub(crate) struct Body {
    pub text: String,
    pub source: BodySource,
    /// Share of the chosen content's text inside links; index pages read
    /// as lists of links.
    pub link_density: f64,
    /// The byline readability found in the page, if any.
    pub byline: Option<String>,
}

impl Body {
    fn new(text: String, source: BodySource) -> Self {
        Self {
            text,
            source,
            link_density: 0.0,
            byline: None,
        }
    }
}

/// Containers pages use to mark the article text themselves.
const CONTAINER_SELECTOR: &str = r#"[itemprop="articleBody"], [itemprop="reviewBody"]"#;

pub(crate) fn extract_body(
    doc: Document,
    html: &str,
    meta: &PageMetadata,
    selector: Option<&str>,
    run_readability_pass: bool,
) -> Result<Body, ExtractError> {
    prepare::prepare(&doc);
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
    let dense = density::main_text(&density::text_blocks(&doc.root()));
    let main_article = main_article(&doc).map(|article| node_text(&article));
    let fresh = || {
        let fresh = Document::from(html);
        prepare::prepare(&fresh);
        fresh
    };
    let readability = if run_readability_pass {
        run_readability(doc, fresh)
    } else {
        None
    };
    let jsonld = meta.jsonld.article_body.as_deref().map(tidy_paragraphs);
    // Structured bodies are the page's own answer; the `<article>` is a
    // guess, so it only stands in for readability.
    let structured = jsonld.is_some() || !container.is_empty();
    if let Some(article) = main_article
        .filter(|article| !structured && holds_more_than(article, readability.as_ref()))
        .and_then(|_| pruned_main_article(fresh()))
        .filter(|article| holds_more_than(article, readability.as_ref()))
    {
        return Ok(Body {
            byline: readability.and_then(|r| r.byline),
            ..Body::new(article, BodySource::ArticleElement)
        });
    }
    Ok(choose(readability, container, jsonld, dense))
}

/// Above this share of link text an `<article>` is a list of teasers.
const ARTICLE_MAX_LINK_DENSITY: f64 = 0.3;

/// The page's `<article>`: the only one, or with several (teasers, each
/// comment, a recipe card beside the story) the one with the most text,
/// among those that are mostly prose. Whether it is the story at all is
/// for [`holds_more_than`] to say: it must hold readability's text.
fn main_article(doc: &Document) -> Option<dom_query::NodeRef<'_>> {
    doc.select("article")
        .nodes()
        .iter()
        .map(|article| (*article, article.normalized_char_count()))
        .filter(|(article, chars)| {
            let links = linked_chars(article) as f64 / (*chars).max(1) as f64;
            *chars > 0 && links < ARTICLE_MAX_LINK_DENSITY
        })
        .max_by_key(|(_, chars)| *chars)
        .map(|(article, _)| article)
}

/// Whether the page's `<article>` holds readability's text and much more
/// (checked before and after pruning: the fresh parse costs a full parse):
/// readability then kept one section of a sectioned article (AsciiDoc's
/// `sect1` blocks, a recipe's steps apart from its story), the way the
/// density view can show it.
fn holds_more_than(article: &str, readability: Option<&Body>) -> bool {
    readability.is_some_and(|r| {
        word_count(article) as f64 > word_count(&r.text) as f64 * DENSE_OVER_READABILITY
            && containment(&r.text, article) >= MIN_CONTAINMENT
    })
}

/// The `<article>` of a fresh parse (readability took the first one
/// apart), pruned as readability's result is: hidden parts (a
/// "republish this story" dialog holding a second copy of the text),
/// comments, forms, share bars, captions and the like are no article text.
fn pruned_main_article(doc: Document) -> Option<String> {
    let article = main_article(&doc)?;
    let selection = dom_query::Selection::from(article);
    for hidden in article.descendants().into_iter().filter(is_hidden) {
        hidden.remove_from_parent();
    }
    prune::prune_unlikely(&selection);
    prune::prune(&selection);
    Some(node_text(&article)).filter(|text| !text.is_empty())
}

fn joined_text(nodes: &[dom_query::NodeRef]) -> String {
    // Nested matches would repeat text; keep outermost ones only.
    let outermost = nodes.iter().filter(|n| {
        !n.ancestors_it(None)
            .any(|a| nodes.iter().any(|m| m.id == a.id))
    });
    let parts: Vec<String> = outermost.map(node_text).filter(|t| !t.is_empty()).collect();
    parts.join("\n\n")
}

/// dom_smoothie's own threshold: a pass yielding fewer characters is
/// retried with looser rules.
const READABILITY_RETRY_CHARS: usize = 500;

/// Runs dom_smoothie, which must not take the process down with it: a
/// panic on a pathological page becomes "no result".
///
/// The strict pass runs on `doc` directly and suffices for most pages;
/// `Readability::parse` would first clone the document to keep a pristine
/// copy for its looser retries. When a retry is needed, `reparse` builds
/// that copy.
fn run_readability(doc: Document, reparse: impl FnOnce() -> Document) -> Option<Body> {
    let outcome = catch_unwind(AssertUnwindSafe(move || {
        let strict = readability_pass(doc, Some(ParsePolicy::Strict));
        match strict {
            Some((body, chars)) if chars >= READABILITY_RETRY_CHARS => Some(body),
            strict => readability_pass(reparse(), None)
                .map(|(body, _)| body)
                .or(strict.map(|(body, _)| body)),
        }
    }));
    outcome.ok().flatten().filter(|body| !body.text.is_empty())
}

/// One readability run; `None` policy runs all policies, strict to raw.
/// Returns the pruned content and readability's character count.
fn readability_pass(doc: Document, policy: Option<ParsePolicy>) -> Option<(Body, usize)> {
    // Raw text mode: its text is unused, and raw is the cheapest to make.
    // Classes stay for the pruning below.
    let config = Config {
        text_mode: TextMode::Raw,
        keep_classes: true,
        ..Config::default()
    };
    let mut readability = Readability::with_document(doc, None, Some(config)).ok()?;
    let article = match policy {
        Some(policy) => readability.parse_with_policy(policy),
        None => readability.parse(),
    }
    .ok()?;
    let content = readability.doc.select_single("#readability-page-1");
    if policy.is_none() {
        prune::prune_unlikely(&content);
    }
    prune::prune(&content);
    let body = Body {
        link_density: link_density(&content),
        text: content.nodes().first().map(node_text)?,
        source: BodySource::Readability,
        byline: article.byline,
    };
    Some((body, article.length))
}

fn link_density(content: &dom_query::Selection) -> f64 {
    let total: usize = content
        .nodes()
        .iter()
        .map(|n| n.normalized_char_count())
        .sum();
    let links: usize = content.nodes().iter().map(linked_chars).sum();
    if total == 0 {
        0.0
    } else {
        links as f64 / total as f64
    }
}

fn word_count(text: &str) -> usize {
    text.split_whitespace().count()
}

/// How much longer the text-density run must be than readability's
/// result, while containing it, to replace it: readability then kept one
/// section of a longer article.
const DENSE_OVER_READABILITY: f64 = 2.5;
/// Share of readability's text the density run must contain to count as
/// the same article, only longer.
const MIN_CONTAINMENT: f64 = 0.7;
/// Below this, readability's result is a scrap (a disclosure box, a
/// caption) whatever the density view contains.
const MIN_READABILITY_WORDS: f64 = 50.0;
/// A readability result this short, next to a dense run many times
/// longer that does not contain it, is a box beside the article (a
/// disclosure, a promotion) rather than the article.
const MAX_BOX_WORDS: f64 = 250.0;
const DENSE_OVER_BOX: f64 = 8.0;
/// Structured-data bodies must be this much longer than readability's to
/// replace it; otherwise readability's text, with its paragraphs, wins.
const STRUCTURED_OVER_READABILITY: f64 = 1.3;

fn choose(
    readability: Option<Body>,
    container: String,
    jsonld: Option<String>,
    dense: String,
) -> Body {
    let readability_words = readability.as_ref().map_or(0, |b| word_count(&b.text)) as f64;
    let longer = |text: &str, factor: f64| word_count(text) as f64 > readability_words * factor;
    let jsonld = match jsonld {
        Some(jsonld) if longer(&jsonld, STRUCTURED_OVER_READABILITY) => {
            return Body::new(jsonld, BodySource::JsonLd);
        }
        jsonld => jsonld,
    };
    if longer(&container, STRUCTURED_OVER_READABILITY) {
        return Body::new(container, BodySource::Container);
    }
    // Readability kept only part of the article, or next to nothing.
    let dense_wins = longer(&dense, DENSE_OVER_READABILITY)
        && (readability_words < MIN_READABILITY_WORDS
            || (readability_words < MAX_BOX_WORDS && longer(&dense, DENSE_OVER_BOX))
            || readability
                .as_ref()
                .is_some_and(|r| containment(&r.text, &dense) >= MIN_CONTAINMENT));
    let mut body = match readability {
        Some(body) if !dense_wins => body,
        readability => Body {
            byline: readability.and_then(|r| r.byline),
            ..Body::new(dense, BodySource::TextDensity)
        },
    };
    let vouching = jsonld.or_else(|| (!container.is_empty()).then_some(container));
    if let Some(text) =
        vouching.and_then(|vouching| vouched::keep_vouched_paragraphs(&body.text, &vouching))
    {
        body.text = text;
    }
    body
}

/// Share of `part`'s word trigrams that also occur in `whole`.
fn containment(part: &str, whole: &str) -> f64 {
    let grams = |text: &str| -> FxHashSet<u64> {
        let words: Vec<String> = text.split_whitespace().map(str::to_lowercase).collect();
        trigram_hashes(&words).collect()
    };
    let part = grams(part);
    if part.is_empty() {
        return 0.0;
    }
    let whole = grams(whole);
    part.iter().filter(|g| whole.contains(g)).count() as f64 / part.len() as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    fn numbered_words(prefix: &str, n: usize) -> String {
        (0..n)
            .map(|i| format!("{prefix}{i}"))
            .collect::<Vec<_>>()
            .join(" ")
    }

    fn readability(text: &str) -> Option<Body> {
        Some(Body::new(text.to_owned(), BodySource::Readability))
    }

    #[test]
    fn a_short_box_beside_a_much_longer_article_gives_way_to_it() {
        let disclosure = numbered_words("offer", 120);
        let article = numbered_words("story", 1200);
        let chosen = choose(
            readability(&disclosure),
            String::new(),
            None,
            article.clone(),
        );
        assert_eq!(chosen.source, BodySource::TextDensity);
        assert_eq!(chosen.text, article);
    }

    #[test]
    fn one_section_gives_way_to_the_pages_article_but_unrelated_text_does_not() {
        let sections = [
            numbered_words("gauge", 300),
            numbered_words("radar", 300),
            numbered_words("thanks", 200),
        ];
        let article = sections.join("\n\n");
        let thanks = Body::new(sections[2].clone(), BodySource::Readability);
        assert!(holds_more_than(&article, Some(&thanks)));
        let whole = Body::new(article.clone(), BodySource::Readability);
        assert!(!holds_more_than(&article, Some(&whole)), "not longer");
        let box_beside = Body::new(numbered_words("offer", 200), BodySource::Readability);
        assert!(!holds_more_than(&article, Some(&box_beside)), "not held");
        assert!(!holds_more_than(&article, None));
    }

    #[test]
    fn the_main_article_is_pruned_of_hidden_copies_comments_and_forms() {
        let prose = numbered_words("tide", 80);
        let page = |articles: &str| {
            Document::from(format!(
                "<html><body><nav><a href=/>Home</a></nav>{articles}</body></html>"
            ))
        };
        let article = format!(
            "<article><h2>Tide gauge report</h2><p>{prose}</p>\
             <div role=dialog style='display: none'><p>Republish this story: {prose} {prose}</p></div>\
             <div id=comments class=comments-area><p>Great read, thanks</p></div>\
             <form class=newsletter><p>Sign up for our letters</p></form></article>"
        );
        let text = pruned_main_article(page(&article)).expect("one article");
        assert!(
            text.contains("Tide gauge report") && text.contains(&prose),
            "{text}"
        );
        for gone in ["Republish", "Great read", "Sign up"] {
            assert!(!text.contains(gone), "{gone:?} kept in {text}");
        }
        let teaser = "<article><p>Ferry timetable changes</p></article>";
        let beside_teasers = format!("{teaser}{article}{teaser}");
        assert_eq!(
            pruned_main_article(page(&beside_teasers)),
            Some(text),
            "the longest of several"
        );
        let links: String = (0..40)
            .map(|i| format!("<p><a href=/s/{i}>Teaser headline number {i}</a></p>"))
            .collect();
        let teasers = format!(
            "<article><p>{}</p>{links}</article>",
            numbered_words("w", 20)
        );
        assert_eq!(pruned_main_article(page(&teasers)), None, "a list of links");
    }

    #[test]
    fn a_full_readability_article_stays_beside_unrelated_dense_text() {
        let article = numbered_words("story", 400);
        let comments = numbered_words("comment", 4000);
        let chosen = choose(readability(&article), String::new(), None, comments);
        assert_eq!(chosen.source, BodySource::Readability);
        assert_eq!(chosen.text, article);
    }
}
