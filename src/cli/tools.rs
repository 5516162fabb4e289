//! Commands that inspect inputs without running the pipeline: `check`,
//! `opml`, `preview`, `extract` and `compare`.

use std::path::Path;

use serde::Serialize;

use super::inputs::{read_article_file, read_source};
use super::{inspect, load_config, print_json, CommonArgs, UsageError};
use crate::config::opml;
use crate::daemon::views::{Compared, Query};
use crate::extract::{ExtractOptions, PageKind};
use crate::fetch::{FEED_ACCEPT, PAGE_ACCEPT};
use crate::matcher::{self, Comparison};
use crate::store::ArticleId;

#[derive(Serialize)]
struct FeedListing {
    name: String,
    url: String,
    enabled: bool,
    interval_seconds: u64,
    tags: Vec<String>,
    selector: Option<String>,
}

#[derive(Serialize)]
struct CheckReport {
    config: String,
    store: String,
    feeds: Vec<FeedListing>,
}

pub fn check(common: &CommonArgs) -> anyhow::Result<()> {
    let (config, source) = load_config(common)?;
    let report = CheckReport {
        config: source.display_path().display().to_string(),
        store: config.store.resolved_path().display().to_string(),
        feeds: config
            .feeds
            .iter()
            .map(|feed| FeedListing {
                name: feed.display_name(),
                url: feed.url.clone(),
                enabled: feed.enabled,
                interval_seconds: feed
                    .interval
                    .unwrap_or(config.fetch.default_interval)
                    .as_secs(),
                tags: feed.tags.clone(),
                selector: feed.selector.clone(),
            })
            .collect(),
    };
    if common.json {
        return print_json(&report);
    }
    println!("config OK: {}", report.config);
    println!("store: {}", report.store);
    let enabled = report.feeds.iter().filter(|f| f.enabled).count();
    println!("{} feeds, {enabled} enabled:", report.feeds.len());
    for feed in &report.feeds {
        let interval =
            humantime::format_duration(std::time::Duration::from_secs(feed.interval_seconds));
        let state = if feed.enabled { "on " } else { "off" };
        let tags = if feed.tags.is_empty() {
            String::new()
        } else {
            format!(" [{}]", feed.tags.join(", "))
        };
        println!(
            "  {state} {:<28} every {interval:<8} {}{tags}",
            feed.name, feed.url
        );
    }
    Ok(())
}

#[derive(Serialize)]
struct PreviewEntry {
    id: String,
    url: Option<String>,
    title: Option<String>,
    author: Option<String>,
    published: Option<chrono::DateTime<chrono::Utc>>,
    /// Characters of text the feed item itself carries.
    feed_text_chars: usize,
    /// The configured feed at this address would pass the entry over
    /// (its `skip` or `keep` patterns).
    passed_over: bool,
}

/// The configured feeds, `[[opml]]` lists included, as an OPML document.
pub fn opml(common: &CommonArgs) -> anyhow::Result<()> {
    let (config, _) = load_config(common)?;
    print!("{}", opml::write(&config.feeds));
    Ok(())
}

pub fn preview(common: &CommonArgs, source: &str) -> anyhow::Result<()> {
    let (config, _) = load_config(common)?;
    let input = read_source(source, &config.fetch, FEED_ACCEPT)?;
    let base = input
        .url
        .as_ref()
        .map_or_else(|| format!("file://{}", input.origin), |u| u.to_string());
    let feed = crate::feed::parse(&input.bytes, input.header_charset.as_deref(), &base)?;
    let configured = config
        .feeds
        .iter()
        .find(|f| f.url == source || input.url.as_ref().is_some_and(|u| u.as_str() == f.url));
    let entries: Vec<PreviewEntry> = feed
        .entries
        .iter()
        .map(|entry| PreviewEntry {
            id: entry.id.clone(),
            url: entry.url.as_ref().map(|u| u.to_string()),
            title: entry.title.clone(),
            author: entry.author.clone(),
            published: entry.published,
            feed_text_chars: entry.content_html.as_deref().map_or(0, |html| {
                crate::extract::html_fragment_to_text(html).chars().count()
            }),
            passed_over: configured.is_some_and(|f| !entry.is_wanted_by(f)),
        })
        .collect();
    if common.json {
        return print_json(&entries);
    }
    println!(
        "{}: {} entries{}",
        input.origin,
        entries.len(),
        feed.ttl
            .map(|t| format!(", ttl {}", humantime::format_duration(t)))
            .unwrap_or_default()
    );
    for entry in &entries {
        let when = entry
            .published
            .map(|p| p.format("%Y-%m-%d %H:%M").to_string())
            .unwrap_or_else(|| "undated".into());
        let passed_over = if entry.passed_over {
            "  [passed over: skip/keep]"
        } else {
            ""
        };
        println!(
            "- {when}  {}{passed_over}",
            entry.title.as_deref().unwrap_or("(untitled)")
        );
        println!("    {}", entry.url.as_deref().unwrap_or(&entry.id));
    }
    Ok(())
}

#[derive(Serialize)]
struct ExtractReport {
    url: Option<String>,
    title: Option<String>,
    author: Option<String>,
    published: Option<String>,
    language: Option<String>,
    text: String,
    canonical_url: Option<String>,
    site_name: Option<String>,
    /// Why the page was judged not to be an article, if it was.
    not_article: Option<String>,
}

pub fn extract(common: &CommonArgs, source: &str, selector: Option<String>) -> anyhow::Result<()> {
    let (config, _) = load_config(common)?;
    if let Some(selector) = &selector {
        crate::config::check_selector(selector)
            .map_err(|reason| UsageError(format!("--selector {reason}")))?;
    }
    let input = read_source(source, &config.fetch, PAGE_ACCEPT)?;
    let html = crate::extract::decode_html(&input.bytes, input.header_charset.as_deref());
    let options = ExtractOptions {
        url: input.url.clone(),
        selector,
        ..Default::default()
    };
    let page = crate::extract::extract(&html, &options)
        .map_err(|e| anyhow::anyhow!("{}: {e}", input.origin))?;
    let report = ExtractReport {
        url: page.url.clone().or_else(|| page.canonical_url.clone()),
        title: page.title,
        author: page.author,
        published: page.published.map(|d| d.to_rfc3339()),
        language: page.language,
        text: page.text,
        canonical_url: page.canonical_url,
        site_name: page.site_name,
        not_article: match page.kind {
            PageKind::Article => None,
            PageKind::NotArticle { reason } => Some(reason.to_string()),
        },
    };
    if common.json {
        return print_json(&report);
    }
    let field = |value: &Option<String>| value.clone().unwrap_or_else(|| "-".into());
    println!("url:       {}", field(&report.url));
    println!("title:     {}", field(&report.title));
    println!("author:    {}", field(&report.author));
    println!("published: {}", field(&report.published));
    println!("language:  {}", field(&report.language));
    if let Some(reason) = &report.not_article {
        println!("warning:   not an article page ({reason})");
    }
    println!();
    println!("{}", report.text);
    Ok(())
}

/// A `compare` argument: a stored article's id (unless a file has that
/// name), or a file, read here.
fn compared(argument: &str) -> anyhow::Result<Compared> {
    let path = Path::new(argument);
    match argument.parse::<ArticleId>() {
        Ok(id) if !path.exists() => Ok(Compared::Stored { id }),
        _ => Ok(Compared::Given(read_article_file(path)?.article)),
    }
}

pub fn compare(common: &CommonArgs, first: &str, second: &str) -> anyhow::Result<()> {
    let query = Query::Compare {
        first: compared(first)?,
        second: compared(second)?,
    };
    // The store's document frequencies weigh the terms, as the daemon weighs
    // them; whoever holds the store answers (see `inspect::ask`).
    let comparison: Comparison = match &query {
        // Two files need no store: without one, the shipped prior weighs
        // their terms.
        Query::Compare {
            first: Compared::Given(a),
            second: Compared::Given(b),
        } => match inspect::ask_if_stored(common, &query)? {
            Some(comparison) => comparison,
            None => matcher::compare_texts(&a.article_text(), &b.article_text()),
        },
        _ => inspect::ask(common, &query)?,
    };
    if common.json {
        return print_json(&comparison);
    }
    print_comparison(&comparison);
    Ok(())
}

/// The human form of a comparison, for `compare`.
pub fn print_comparison(comparison: &Comparison) {
    println!("score:    {:.3}", comparison.score);
    println!("relation: {}", comparison.relation);
    if let Some(because) = comparison.because() {
        println!("because:  {because}");
    }
    if let Some([first, second]) = &comparison.languages {
        println!(
            "languages: {} (A), {} (B)",
            matcher::language_name(first),
            matcher::language_name(second)
        );
    }
    let s = &comparison.signals;
    println!("signals:");
    for (name, value) in [
        ("containment (shared word runs)", s.containment),
        ("verbatim (shared passages)", s.verbatim),
        ("terms (weighted cosine)", s.terms),
        ("coverage (of the shorter text)", s.coverage),
        ("lead (early terms weighted up)", s.lead),
        ("order (longest run in order)", s.order),
        ("sequence (order kept overall)", s.sequence),
        ("names", s.names),
        ("numbers", s.numbers),
        ("cognates (across languages)", s.cognates),
        ("title", s.title),
        ("frames (sentence frames kept)", s.frames),
        ("time", s.time),
    ] {
        println!("  {name:<32} {value:.3}");
    }
    if !comparison.shared_entities.is_empty() {
        println!("shared names:   {}", comparison.shared_entities.join(", "));
    }
    if !comparison.shared_numbers.is_empty() {
        println!("shared numbers: {}", comparison.shared_numbers.join(", "));
    }
    for (i, passage) in comparison.passages.iter().enumerate() {
        println!("passage {}: \"{}\"", i + 1, passage);
    }
}
