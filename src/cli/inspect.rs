//! Read-only views of the store: `articles`, `show`, `stories`, `story`, `feeds`.

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::{load_config, open_store, print_json, CommonArgs, UsageError};
use crate::fetch::{FeedState, FeedStatus};
use crate::matcher::Relation;
use crate::store::{ArticleId, ArticleRecord, Store, Story};

#[derive(Serialize)]
struct ArticleSummary {
    id: ArticleId,
    url: Option<String>,
    title: String,
    source: String,
    published: Option<DateTime<Utc>>,
    story: Option<u64>,
}

fn open(common: &CommonArgs) -> anyhow::Result<Store> {
    let (config, _) = load_config(common)?;
    Ok(open_store(&config)?)
}

fn date(time: Option<DateTime<Utc>>) -> String {
    time.map_or_else(|| "undated   ".into(), |t| t.format("%Y-%m-%d").to_string())
}

pub fn articles(common: &CommonArgs, limit: usize) -> anyhow::Result<()> {
    let store = open(common)?;
    let mut listed = Vec::new();
    for record in store.articles(limit)? {
        listed.push(ArticleSummary {
            story: store.story_of(record.id)?,
            id: record.id,
            url: record.url,
            title: record.title,
            source: record.source,
            published: record.published,
        });
    }
    if common.json {
        return print_json(&listed);
    }
    println!(
        "{} articles stored; newest {}:",
        store.article_count(),
        listed.len()
    );
    for a in &listed {
        let story = a.story.map_or_else(String::new, |s| format!("story {s}"));
        println!(
            "{:>7}  {}  {:<20} {:<10} {}",
            a.id,
            date(a.published),
            clip(&a.source, 20),
            story,
            a.title
        );
    }
    Ok(())
}

#[derive(Serialize)]
struct ArticleDetail {
    #[serde(flatten)]
    record: ArticleRecord,
    story: Option<u64>,
}

pub fn show(common: &CommonArgs, id: ArticleId) -> anyhow::Result<()> {
    let store = open(common)?;
    let record = store
        .article(id)?
        .ok_or_else(|| UsageError(format!("no stored article has id {id}")))?;
    let detail = ArticleDetail {
        story: store.story_of(id)?,
        record,
    };
    if common.json {
        return print_json(&detail);
    }
    let r = &detail.record;
    println!("article {}: {}", r.id, r.title);
    println!("source:    {}", r.source);
    println!("url:       {}", r.url.as_deref().unwrap_or("-"));
    println!("author:    {}", r.author.as_deref().unwrap_or("-"));
    println!(
        "published: {}",
        r.published.map_or("-".into(), |p| p.to_rfc3339())
    );
    println!("fetched:   {}", r.fetched.to_rfc3339());
    println!("language:  {}", r.language.as_deref().unwrap_or("-"));
    println!(
        "story:     {}",
        detail.story.map_or("-".into(), |s| s.to_string())
    );
    println!();
    println!("{}", r.text);
    Ok(())
}

/// One article of a story, as `stories --json` and `story --json` print it.
#[derive(Serialize)]
struct StoryArticle {
    id: ArticleId,
    url: Option<String>,
    title: String,
    source: String,
    published: Option<DateTime<Utc>>,
    /// How it relates to `matched`; `first` for the story's first report.
    relation: String,
    matched: Option<ArticleId>,
    score: f64,
}

#[derive(Serialize)]
pub(super) struct StoryView {
    id: u64,
    first: ArticleId,
    merged_from: Vec<u64>,
    articles: Vec<StoryArticle>,
}

pub(super) fn story_view(store: &Store, story: Story) -> anyhow::Result<StoryView> {
    let mut articles = Vec::new();
    for member in &story.members {
        let record = store.article(member.article)?;
        let (url, title, source, published) = match record {
            Some(r) => (r.url, r.title, r.source, r.published),
            None => (None, "(missing article)".into(), String::new(), None),
        };
        let relation = match (member.matched, member.relation) {
            (None, _) | (_, Relation::Unrelated) => "first".to_owned(),
            (Some(_), relation) => relation.to_string(),
        };
        articles.push(StoryArticle {
            id: member.article,
            url,
            title,
            source,
            published,
            relation,
            matched: member.matched,
            score: member.score,
        });
    }
    Ok(StoryView {
        id: story.id,
        first: story.first,
        merged_from: story.merged_from,
        articles,
    })
}

pub(super) fn print_story(view: &StoryView) {
    println!(
        "story {} ({} articles, first report {})",
        view.id,
        view.articles.len(),
        view.first
    );
    for a in &view.articles {
        let link = match a.matched {
            Some(m) => format!("{} of {m} ({:.2})", a.relation, a.score),
            None => a.relation.clone(),
        };
        println!(
            "  {:>7}  {}  {:<24} {:<20} {}",
            a.id,
            date(a.published),
            link,
            clip(&a.source, 20),
            a.title
        );
    }
}

pub fn stories(common: &CommonArgs, limit: usize, all: bool) -> anyhow::Result<()> {
    let store = open(common)?;
    let min_members = if all { 1 } else { 2 };
    let mut views = Vec::new();
    for story in store.stories_newest_first(min_members).take(limit) {
        views.push(story_view(&store, story?)?);
    }
    if common.json {
        return print_json(&views);
    }
    if views.is_empty() {
        println!("no stories with more than one article yet (--all lists single articles too)");
    }
    for view in &views {
        print_story(view);
    }
    Ok(())
}

pub fn story(common: &CommonArgs, id: u64) -> anyhow::Result<()> {
    let store = open(common)?;
    let story = store
        .story(id)?
        .ok_or_else(|| UsageError(format!("no story has id {id}")))?;
    let view = story_view(&store, story)?;
    if common.json {
        return print_json(&view);
    }
    print_story(&view);
    Ok(())
}

#[derive(Serialize)]
struct FeedView {
    name: String,
    url: String,
    /// Where the feed is fetched from after a confirmed permanent redirect.
    moved_to: Option<String>,
    enabled: bool,
    state: String,
    last_fetch: Option<DateTime<Utc>>,
    last_status: Option<u16>,
    etag: Option<String>,
    last_modified: Option<String>,
    next_poll: Option<DateTime<Utc>>,
    error: Option<String>,
    consecutive_failures: u32,
}

pub fn feeds(common: &CommonArgs) -> anyhow::Result<()> {
    let (config, _) = load_config(common)?;
    let store = open_store(&config)?;
    let mut views = Vec::new();
    for feed in &config.feeds {
        let state: Option<FeedState> = store.feed_state(&feed.url)?;
        let state = state.filter(|s| s.url == feed.url);
        let status = state.as_ref().map_or(FeedStatus::New, |s| s.status.clone());
        let label = if feed.enabled {
            status.label()
        } else {
            "disabled"
        };
        views.push(FeedView {
            name: feed.display_name(),
            url: feed.url.clone(),
            moved_to: state.as_ref().and_then(|s| s.effective_url.clone()),
            enabled: feed.enabled,
            state: label.to_owned(),
            last_fetch: state.as_ref().and_then(|s| s.last_fetch),
            last_status: state.as_ref().and_then(|s| s.last_status),
            etag: state.as_ref().and_then(|s| s.etag.clone()),
            last_modified: state.as_ref().and_then(|s| s.last_modified.clone()),
            next_poll: state.as_ref().map(|s| s.next_poll),
            error: state
                .as_ref()
                .and_then(|s| s.error.clone())
                .or(match status {
                    FeedStatus::BackingOff { reason, .. }
                    | FeedStatus::Retired { reason }
                    | FeedStatus::Error { reason } => Some(reason),
                    _ => None,
                }),
            consecutive_failures: state.as_ref().map_or(0, |s| s.consecutive_failures),
        });
    }
    if common.json {
        return print_json(&views);
    }
    for v in &views {
        println!("{} <{}>", v.name, v.url);
        if let Some(moved) = &v.moved_to {
            println!("  moved to:    {moved} (permanent redirect)");
        }
        let status = v.last_status.map_or("-".into(), |s| s.to_string());
        println!("  state:       {} (last status {status})", v.state);
        if let Some(fetched) = v.last_fetch {
            println!("  last fetch:  {}", fetched.to_rfc3339());
        }
        if v.etag.is_some() || v.last_modified.is_some() {
            println!(
                "  validators:  ETag {} / Last-Modified {}",
                v.etag.as_deref().unwrap_or("-"),
                v.last_modified.as_deref().unwrap_or("-")
            );
        }
        if let Some(next) = v.next_poll.filter(|_| v.enabled) {
            println!("  next poll:   {}", next.to_rfc3339());
        }
        if let Some(error) = &v.error {
            println!(
                "  error:       {error} ({} failures in a row)",
                v.consecutive_failures
            );
        }
    }
    Ok(())
}

fn clip(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        return text.to_owned();
    }
    let mut clipped: String = text.chars().take(width.saturating_sub(1)).collect();
    clipped.push('…');
    clipped
}
