//! One feed's side of a cycle: poll it, parse it, pick the entries not seen
//! before, and turn each into an article ready to ingest (fetching and
//! extracting its page when that gives more text than the feed item).

use std::sync::Arc;

use chrono::Utc;
use futures_util::stream::{self, StreamExt};

use super::ingest::NewArticle;
use super::DaemonError;
use crate::config::{Config, FeedConfig};
use crate::extract::{ExtractOptions, FeedHints, PageKind};
use crate::feed::FeedEntry;
use crate::fetch::{poll_feed, FeedState, FetchRequest, FetchResponse, Fetcher, PAGE_ACCEPT};
use crate::store::{SeenEntry, Store};

/// Pages fetched at once for one feed. The fetcher's per-host limit still
/// applies; this only bounds the memory of pages waiting for extraction.
const PAGES_IN_FLIGHT: usize = 4;

/// A new feed entry, turned into an article, waiting to be ingested.
#[derive(Debug, Clone)]
pub struct PreparedEntry {
    pub feed_url: String,
    pub entry_id: String,
    pub article: NewArticle,
}

/// What one poll of one feed produced.
#[derive(Debug)]
pub struct FeedHarvest {
    /// The configured URL, the key of the feed's state.
    pub feed_url: String,
    /// The state after this poll, to save once `entries` are processed.
    pub state: FeedState,
    pub entries: Vec<PreparedEntry>,
    /// Entries skipped for carrying neither a usable page nor any text of
    /// their own; they are marked seen so they are not fetched again.
    pub skipped: usize,
}

/// The stored polling state of `feed`, or a fresh one for a new feed.
pub fn stored_state(store: &Store, feed: &FeedConfig) -> Result<FeedState, DaemonError> {
    let stored: Option<FeedState> = store.feed_state(&feed.url)?;
    Ok(stored.unwrap_or_else(|| FeedState::new(&feed.url, Utc::now())))
}

/// Polls `feed` and prepares its unseen entries. Failures are recorded in
/// the returned state (and logged with the feed's name and URL); only a
/// store failure is an error.
///
/// The new state is *not* saved here: it carries the new validators, and
/// saving it before the entries are ingested would let a crash in between
/// lose them, as the next poll would get a 304. The caller saves it with
/// [`FeedHarvest::save_state`] once the entries are processed.
pub async fn harvest_feed(
    config: &Arc<Config>,
    fetcher: &Fetcher,
    store: &Store,
    feed: &FeedConfig,
    previous: &FeedState,
) -> Result<FeedHarvest, DaemonError> {
    let now = Utc::now();
    let mut outcome = poll_feed(fetcher, feed, previous, now).await;
    let mut fresh = Vec::new();
    if let Some(body) = outcome.body.take() {
        match crate::feed::parse(&body.bytes, body.charset(), body.url.as_str()) {
            Ok(parsed) => {
                outcome.apply_ttl(parsed.ttl);
                for mut entry in parsed.entries {
                    if store.seen_entry(&feed.url, &entry.id)?.is_some() {
                        continue;
                    }
                    // Feeds carry mojibake as pages do ("FranÃ§ois"); the
                    // page's own title and byline are repaired in extraction.
                    let repair = |text: String| crate::extract::mojibake::repair(&text);
                    entry.title = entry.title.map(repair);
                    entry.author = entry.author.map(repair);
                    if entry.is_wanted_by(feed) {
                        fresh.push(entry);
                    } else {
                        tracing::debug!(feed = %feed.display_name(), entry = %entry.id, "passed over by skip/keep");
                        store.mark_seen(&feed.url, &entry.id, nothing_stored())?;
                    }
                }
            }
            Err(error) => outcome.record_parse_error(&error.reason),
        }
    }
    tracing::info!(feed = %feed.display_name(), state = %outcome.state.status, new = fresh.len(), "polled");

    let prepared: Vec<(String, Option<NewArticle>)> = stream::iter(fresh)
        .map(|entry| async move {
            let id = entry.id.clone();
            (id, prepare_entry(config, fetcher, feed, entry).await)
        })
        .buffered(PAGES_IN_FLIGHT)
        .collect()
        .await;
    let mut harvest = FeedHarvest {
        feed_url: feed.url.clone(),
        state: outcome.state,
        entries: Vec::new(),
        skipped: 0,
    };
    for (entry_id, article) in prepared {
        match article {
            Some(article) => harvest.entries.push(PreparedEntry {
                feed_url: feed.url.clone(),
                entry_id,
                article,
            }),
            None => {
                store.mark_seen(&feed.url, &entry_id, nothing_stored())?;
                harvest.skipped += 1;
            }
        }
    }
    Ok(harvest)
}

/// An entry that yielded no article, remembered so it is not fetched again.
fn nothing_stored() -> SeenEntry {
    SeenEntry {
        article: None,
        seen: Utc::now(),
    }
}

impl FeedHarvest {
    pub fn save_state(&self, store: &Store) -> Result<(), DaemonError> {
        Ok(store.put_feed_state(&self.feed_url, &self.state)?)
    }
}

/// The article behind one entry: the page's text when it is an article with
/// at least as much text as the feed item, else the feed item's own text.
async fn prepare_entry(
    config: &Config,
    fetcher: &Fetcher,
    feed: &FeedConfig,
    entry: FeedEntry,
) -> Option<NewArticle> {
    let feed_text = entry
        .content_html
        .as_deref()
        .map(crate::extract::html_fragment_to_text)
        .unwrap_or_default();
    let page = match (&entry.url, config.fetch.fetch_pages) {
        (Some(url), true) => fetch_page(fetcher, feed, url, &entry).await,
        _ => None,
    };
    let mut article = NewArticle {
        url: entry.url.as_ref().map(|u| u.to_string()),
        title: entry.title.clone().unwrap_or_default(),
        source: feed.display_name(),
        feed: Some(feed.url.clone()),
        author: entry.author.clone(),
        published: entry.published,
        language: entry.language.clone(),
        text: feed_text,
    };
    if let Some(page) = page {
        let is_article = page.kind == PageKind::Article;
        if is_article && page.text.chars().count() >= article.text.chars().count() {
            article.text = page.text;
        }
        if article.title.is_empty() {
            article.title = page.title.unwrap_or_default();
        }
        article.author = article.author.or(page.author);
        article.published = article.published.or(page.published.map(|p| p.to_utc()));
        article.language = page.language.or(article.language);
    }
    if article.text.trim().is_empty() && article.title.trim().is_empty() {
        tracing::warn!(feed = %feed.display_name(), entry = %entry.id, "entry has no text, skipped");
        return None;
    }
    Some(article)
}

async fn fetch_page(
    fetcher: &Fetcher,
    feed: &FeedConfig,
    url: &url::Url,
    entry: &FeedEntry,
) -> Option<crate::extract::ExtractedPage> {
    let request = FetchRequest::new(url.clone())
        .identified_as(feed)
        .with_default_header("Accept", PAGE_ACCEPT);
    let fetched = match fetcher.fetch(request).await {
        Ok(FetchResponse::Fetched(fetched)) => fetched,
        Ok(FetchResponse::NotModified(_)) => return None,
        Err(error) => {
            tracing::warn!(feed = %feed.display_name(), %error, "article page not fetched; using the feed's text");
            return None;
        }
    };
    let options = ExtractOptions {
        url: Some(fetched.final_url.clone()),
        selector: feed.selector.clone(),
        fallback: FeedHints {
            title: entry.title.clone(),
            author: entry.author.clone(),
            published: entry.published.map(|p| p.fixed_offset()),
        },
    };
    // Extraction is CPU work on an untrusted page: keep it off the async
    // threads, and a panic in it would only lose this one article.
    let extracted = tokio::task::spawn_blocking(move || {
        let html = crate::extract::decode_html(&fetched.body, fetched.charset());
        crate::extract::extract(&html, &options)
    })
    .await;
    match extracted {
        Ok(Ok(page)) => Some(page),
        Ok(Err(error)) => {
            tracing::warn!(feed = %feed.display_name(), %url, %error, "page not extracted; using the feed's text");
            None
        }
        Err(join_error) => {
            tracing::error!(feed = %feed.display_name(), %url, %join_error, "extraction crashed; using the feed's text");
            None
        }
    }
}
