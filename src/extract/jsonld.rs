//! schema.org JSON-LD: the article object of a page, wherever it sits
//! (top level, an array, a `@graph`, `mainEntity`), with `@id` references
//! to people and organisations resolved.

use std::collections::HashMap;

use dom_query::Document;
use serde_json::Value;

/// Article types whose objects describe the page's own story.
const ARTICLE_TYPES: &[&str] = &[
    "Article",
    "NewsArticle",
    "BlogPosting",
    "ReportageNewsArticle",
    "AnalysisNewsArticle",
    "OpinionNewsArticle",
    "BackgroundNewsArticle",
    "ReviewNewsArticle",
    "LiveBlogPosting",
    "TechArticle",
    "ScholarlyArticle",
    "SocialMediaPosting",
    "Report",
    "Review",
    "Recipe",
    "HowTo",
];

/// Page types that may carry a date and headline when no article object does.
const PAGE_TYPES: &[&str] = &["WebPage", "ItemPage", "AboutPage", "QAPage"];

/// What the page's JSON-LD says about its article.
#[derive(Debug, Default, Clone)]
pub(crate) struct JsonLdArticle {
    pub is_article: bool,
    pub headline: Option<String>,
    /// People named as authors.
    pub authors: Vec<String>,
    /// Organisations named as authors: a weaker answer than a person.
    pub author_organizations: Vec<String>,
    pub published: Option<String>,
    /// `dateModified`: when the article was last edited.
    pub modified: Option<String>,
    pub publisher: Option<String>,
    pub article_body: Option<String>,
    pub language: Option<String>,
    pub url: Option<String>,
    pub free: Option<bool>,
    pub has_video: bool,
}

/// Reads all `application/ld+json` blocks; malformed ones are skipped.
/// Next.js sites that pass their structured data through `metadata.other`
/// publish it as `<meta name="script:ld+json" content="...">` instead, a
/// common mistake that leaves the page's only dates in that tag.
pub(crate) fn read(doc: &Document) -> JsonLdArticle {
    let mut objects = Vec::new();
    for script in doc.select(r#"script[type="application/ld+json" i]"#).iter() {
        if let Some(value) = parse_block(&script.text()) {
            flatten(value, &mut objects, 0);
        }
    }
    for meta in doc
        .select(r#"meta[name="script:ld+json" i][content]"#)
        .iter()
    {
        if let Some(value) = meta.attr("content").and_then(|c| parse_block(&c)) {
            flatten(value, &mut objects, 0);
        }
    }
    let by_id: HashMap<&str, &Value> = objects
        .iter()
        .filter_map(|o| Some((o.get("@id")?.as_str()?, o)))
        .collect();
    let article = objects
        .iter()
        .find(|o| has_type(o, ARTICLE_TYPES))
        .or_else(|| objects.iter().find(|o| has_type(o, PAGE_TYPES)));
    let mut result = JsonLdArticle {
        has_video: objects.iter().any(|o| has_type(o, &["VideoObject"])),
        ..JsonLdArticle::default()
    };
    let Some(article) = article else {
        return result;
    };
    result.is_article = has_type(article, ARTICLE_TYPES);
    result.headline = string_field(article, "headline").or_else(|| string_field(article, "name"));
    let (people, organizations): (Vec<Name>, Vec<Name>) = names(article.get("author"), &by_id)
        .into_iter()
        .partition(|n| !n.organization);
    result.authors = people.into_iter().map(|n| n.text).collect();
    result.author_organizations = organizations.into_iter().map(|n| n.text).collect();
    result.published = string_field(article, "datePublished")
        .or_else(|| string_field(article, "dateCreated"))
        .or_else(|| string_field(article, "uploadDate"));
    result.modified = string_field(article, "dateModified");
    result.publisher = names(article.get("publisher"), &by_id)
        .into_iter()
        .next()
        .map(|n| n.text);
    result.article_body = string_field(article, "articleBody");
    result.language = string_field(article, "inLanguage");
    result.url = string_field(article, "url").or_else(|| {
        let entity = article.get("mainEntityOfPage")?;
        entity
            .as_str()
            .map(str::to_owned)
            .or_else(|| string_field(entity, "@id"))
    });
    result.free = article.get("isAccessibleForFree").and_then(|v| match v {
        Value::Bool(b) => Some(*b),
        Value::String(s) => Some(!s.eq_ignore_ascii_case("false")),
        _ => None,
    });
    result
}

fn parse_block(text: &str) -> Option<Value> {
    let text = text
        .trim()
        .trim_start_matches("<!--")
        .trim_end_matches("-->")
        .trim()
        .trim_start_matches("//<![CDATA[")
        .trim_end_matches("//]]>")
        .trim();
    serde_json::from_str(text).ok().or_else(|| {
        // Raw newlines and tabs inside strings are the most common defect.
        let repaired: String = text
            .chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect();
        serde_json::from_str(&repaired).ok()
    })
}

/// Deep enough for `@graph` inside an array inside `mainEntity`; deeper
/// nesting is not article metadata.
const MAX_DEPTH: usize = 4;

fn flatten(value: Value, out: &mut Vec<Value>, depth: usize) {
    if depth > MAX_DEPTH {
        return;
    }
    match value {
        Value::Array(items) => items.into_iter().for_each(|v| flatten(v, out, depth + 1)),
        Value::Object(mut map) => {
            if let Some(graph) = map.remove("@graph") {
                flatten(graph, out, depth + 1);
            }
            if let Some(entity) = map.get("mainEntity").filter(|e| e.is_object()).cloned() {
                flatten(entity, out, depth + 1);
            }
            out.push(Value::Object(map));
        }
        _ => {}
    }
}

fn has_type(object: &Value, types: &[&str]) -> bool {
    let matches = |t: &Value| t.as_str().is_some_and(|t| types.contains(&t));
    match object.get("@type") {
        Some(Value::Array(list)) => list.iter().any(matches),
        Some(t) => matches(t),
        None => false,
    }
}

fn string_field(object: &Value, key: &str) -> Option<String> {
    let value = match object.get(key)? {
        Value::Array(items) => items.first()?,
        v => v,
    };
    let text = value.as_str()?.trim();
    (!text.is_empty()).then(|| text.to_owned())
}

struct Name {
    text: String,
    organization: bool,
}

fn is_organization(object: &Value) -> bool {
    let named = |t: &Value| {
        t.as_str()
            .is_some_and(|t| t.contains("Organization") || t.contains("Corporation"))
    };
    match object.get("@type") {
        Some(Value::Array(list)) => list.iter().any(named),
        Some(t) => named(t),
        None => false,
    }
}

/// Names from a person/organisation value: a string, an object with
/// `name`, an `@id` reference, or an array of those.
fn names(value: Option<&Value>, by_id: &HashMap<&str, &Value>) -> Vec<Name> {
    let mut out: Vec<Name> = Vec::new();
    let items: Vec<&Value> = match value {
        Some(Value::Array(items)) => items.iter().collect(),
        Some(v) => vec![v],
        None => Vec::new(),
    };
    for item in items {
        let (name, organization) = match item {
            Value::String(s) => (Some(s.trim().to_owned()), false),
            Value::Object(_) => {
                let target = item
                    .get("@id")
                    .and_then(Value::as_str)
                    .and_then(|id| by_id.get(id).copied());
                let name = string_field(item, "name")
                    .or_else(|| target.and_then(|t| string_field(t, "name")));
                let organization = is_organization(item) || target.is_some_and(is_organization);
                (name, organization)
            }
            _ => (None, false),
        };
        if let Some(text) = name.filter(|n| !n.is_empty() && !n.starts_with("http")) {
            if !out.iter().any(|n| n.text == text) {
                out.push(Name { text, organization });
            }
        }
    }
    out
}
