//! Page metadata: title, author, date, canonical URL, language, site name.
//!
//! Sources in order of trust: JSON-LD, `og:`/`article:`/Dublin Core meta
//! tags, microdata and `<time>` elements, then visible page text.

mod author;
mod author_link;
mod date;
mod foreign_months;
mod title;
mod visible_byline;
mod visible_date;

use std::collections::HashMap;

use chrono::{DateTime, FixedOffset};
use dom_query::Document;
use url::Url;

use super::dom_text::normalize_spaces;
use super::jsonld::{self, JsonLdArticle};

pub(crate) use author::clean_author;

/// Metadata read from the intact document before body extraction mutates it.
#[derive(Debug, Default)]
pub(crate) struct PageMetadata {
    pub title: Option<String>,
    pub author: Option<String>,
    pub published: Option<DateTime<FixedOffset>>,
    pub canonical_url: Option<String>,
    pub language: Option<String>,
    pub site_name: Option<String>,
    pub og_type: Option<String>,
    pub jsonld: JsonLdArticle,
}

/// `<meta>` values keyed by lowercased `property`, `name` or `itemprop`;
/// the first occurrence wins, as it is usually the page's own.
pub(crate) struct MetaTags(HashMap<String, String>);

impl MetaTags {
    fn read(doc: &Document) -> Self {
        let mut map = HashMap::new();
        for meta in doc.select("meta[content]").iter() {
            let Some(content) = meta.attr("content") else {
                continue;
            };
            let content = normalize_spaces(&content);
            if content.is_empty() {
                continue;
            }
            for key_attr in ["property", "name", "itemprop", "http-equiv"] {
                if let Some(key) = meta.attr(key_attr) {
                    map.entry(key.trim().to_ascii_lowercase())
                        .or_insert_with(|| content.clone());
                }
            }
        }
        Self(map)
    }

    pub(crate) fn first(&self, keys: &[&str]) -> Option<&str> {
        keys.iter().find_map(|k| self.0.get(*k)).map(String::as_str)
    }

    /// Values of site-specific keys naming a publication date
    /// ("published-date", "article.publishdate"), in key order so the
    /// choice does not depend on hashing.
    pub(crate) fn published_like(&self) -> impl Iterator<Item = &str> {
        let mut keys: Vec<&String> = self
            .0
            .keys()
            .filter(|k| k.contains("publish") && !k.contains("modif") && !k.contains("update"))
            .collect();
        keys.sort();
        keys.into_iter().map(|k| self.0[k].as_str())
    }
}

const TITLE_KEYS: &[&str] = &[
    "og:title",
    "twitter:title",
    "dc.title",
    "dcterms.title",
    "headline",
];
const SITE_KEYS: &[&str] = &["og:site_name", "application-name", "al:ios:app_name"];
const LANGUAGE_KEYS: &[&str] = &["content-language", "og:locale", "language", "dc.language"];

pub(crate) fn read(doc: &Document, page_url: Option<&Url>) -> PageMetadata {
    let tags = MetaTags::read(doc);
    let ld = jsonld::read(doc);
    let html_title = title::html_title(doc);
    let site_name = tags
        .first(SITE_KEYS)
        .map(str::to_owned)
        .or_else(|| ld.publisher.clone())
        .or_else(|| title::site_name_beside_headline(&html_title, &tags));
    let host = page_url
        .and_then(Url::host_str)
        .map(|h| h.trim_start_matches("www.").to_lowercase());
    let title = title::title(
        doc,
        &tags,
        &ld,
        &html_title,
        site_name.as_deref(),
        host.as_deref(),
    )
    .map(|t| super::mojibake::repair(&t));
    let author =
        author::author(doc, &tags, &ld, site_name.as_deref()).map(|a| super::mojibake::repair(&a));
    let published = date::published(doc, &tags, &ld, page_url, title.as_deref());
    let canonical_url = canonical_url(doc, &tags, &ld, page_url);
    let language = doc
        .select_single("html[lang]")
        .attr("lang")
        .map(|l| l.to_string())
        .or_else(|| ld.language.clone())
        .or_else(|| tags.first(LANGUAGE_KEYS).map(str::to_owned));
    PageMetadata {
        title,
        author,
        published,
        canonical_url,
        language,
        site_name,
        og_type: tags.first(&["og:type"]).map(str::to_ascii_lowercase),
        jsonld: ld,
    }
}

fn canonical_url(
    doc: &Document,
    tags: &MetaTags,
    ld: &JsonLdArticle,
    page_url: Option<&Url>,
) -> Option<String> {
    let candidates = [
        doc.select_single(r#"link[rel="canonical" i][href]"#)
            .attr("href")
            .map(|h| h.to_string()),
        tags.first(&["og:url"]).map(str::to_owned),
        ld.url.clone(),
    ];
    candidates.into_iter().flatten().find_map(|href| {
        let href = href.trim();
        let resolved = match page_url {
            Some(base) => base.join(href).ok()?,
            None => Url::parse(href).ok()?,
        };
        matches!(resolved.scheme(), "http" | "https").then(|| resolved.to_string())
    })
}
