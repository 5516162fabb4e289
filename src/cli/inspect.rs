//! Views of the store (`articles`, `show`, `stories`, `story`, `feeds`) and
//! following stories (`follow`, `unfollow`).

use std::io::Write;

use chrono::{DateTime, Utc};
use serde::de::DeserializeOwned;

use super::{load_config, open_store, print_json, CommonArgs, UsageError};
use crate::config::Config;
use crate::daemon::control::{self, ControlError};
use crate::daemon::views::{
    ArticleDetail, ArticleList, FeedView, FollowChange, Query, QueryError, StoryView,
};
use crate::store::{ArticleId, StoreError};

/// The answer to a query: from the store when it is free, else
/// from the `storywatch run` that holds it, over its control socket.
pub(super) fn ask<T: DeserializeOwned>(common: &CommonArgs, query: &Query) -> anyhow::Result<T> {
    let (config, _) = load_config(common)?;
    ask_store(&config, query)
}

/// [`ask`] for a query that can do without the store: `None` when no store
/// exists yet (none is created for it) or when a command that serves no
/// queries (`ingest`, `poll`) holds it.
pub(super) fn ask_if_stored<T: DeserializeOwned>(
    common: &CommonArgs,
    query: &Query,
) -> anyhow::Result<Option<T>> {
    let (config, _) = load_config(common)?;
    if !config.store.resolved_path().exists() {
        return Ok(None);
    }
    match ask_store(&config, query) {
        Err(error) if matches!(error.downcast_ref(), Some(StoreError::Locked { .. })) => Ok(None),
        answer => answer.map(Some),
    }
}

fn ask_store<T: DeserializeOwned>(config: &Config, query: &Query) -> anyhow::Result<T> {
    match open_store(config) {
        Ok(store) => match query.answer(&store, &config.feeds) {
            Ok(value) => Ok(serde_json::from_value(value)?),
            Err(QueryError::NotFound(message)) => Err(UsageError(message).into()),
            Err(error) => Err(error.into()),
        },
        Err(StoreError::Locked { path }) => match control::ask(&path, query) {
            Ok(answer) => Ok(answer),
            Err(ControlError::NotFound(message)) => Err(UsageError(message).into()),
            // Held by a command that serves no queries (`ingest`, `poll`).
            Err(ControlError::Unreachable { .. }) => Err(StoreError::Locked { path }.into()),
            Err(error) => Err(error.into()),
        },
        Err(error) => Err(error.into()),
    }
}

fn date(time: Option<DateTime<Utc>>) -> String {
    time.map_or_else(|| "undated   ".into(), |t| t.format("%Y-%m-%d").to_string())
}

pub fn articles(common: &CommonArgs, limit: usize) -> anyhow::Result<()> {
    let list: ArticleList = ask(common, &Query::Articles { limit })?;
    if common.json {
        return print_json(&list.newest);
    }
    println!(
        "{} articles stored; newest {}:",
        list.stored,
        list.newest.len()
    );
    for a in &list.newest {
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

pub fn show(common: &CommonArgs, id: ArticleId) -> anyhow::Result<()> {
    let detail: ArticleDetail = ask(common, &Query::Article { id })?;
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

/// Takes the writer because `demo`, unlike the inspecting commands, keeps
/// running when stdout closes and must see the error.
pub(super) fn print_story(out: &mut impl Write, view: &StoryView) -> std::io::Result<()> {
    let followed = if view.followed { ", followed" } else { "" };
    writeln!(
        out,
        "story {} ({} articles, first report {}{followed})",
        view.id,
        view.articles.len(),
        view.first
    )?;
    for a in &view.articles {
        let link = match a.matched {
            Some(m) => format!("{} of {m} ({:.2})", a.relation, a.score),
            None => a.relation.clone(),
        };
        writeln!(
            out,
            "  {:>7}  {}  {:<24} {:<20} {}",
            a.id,
            date(a.published),
            link,
            clip(&a.source, 20),
            a.title
        )?;
    }
    Ok(())
}

pub fn stories(common: &CommonArgs, limit: usize, all: bool, followed: bool) -> anyhow::Result<()> {
    let query = Query::Stories {
        limit,
        all,
        followed,
    };
    let views: Vec<StoryView> = ask(common, &query)?;
    if common.json {
        return print_json(&views);
    }
    if views.is_empty() && followed {
        println!("you follow no story (storywatch follow STORY)");
    } else if views.is_empty() {
        println!("no stories with more than one article yet (--all lists single articles too)");
    }
    let mut out = std::io::stdout().lock();
    for view in &views {
        print_story(&mut out, view)?;
    }
    Ok(())
}

pub fn story(common: &CommonArgs, id: u64) -> anyhow::Result<()> {
    let view: StoryView = ask(common, &Query::Story { id })?;
    if common.json {
        return print_json(&view);
    }
    print_story(&mut std::io::stdout().lock(), &view)?;
    Ok(())
}

pub fn follow(common: &CommonArgs, story: u64, follow: bool) -> anyhow::Result<()> {
    let change: FollowChange = ask(common, &Query::Follow { story, follow })?;
    if common.json {
        return print_json(&change);
    }
    let id = change.story;
    let merged = if id == story {
        String::new()
    } else {
        format!(" (story {story} was merged into it)")
    };
    match (follow, change.changed) {
        (true, true) => println!("now following story {id}{merged}"),
        (true, false) => println!("already following story {id}{merged}"),
        (false, true) => println!("no longer following story {id}{merged}"),
        (false, false) => println!("story {id} was not followed{merged}"),
    }
    Ok(())
}

pub fn feeds(common: &CommonArgs) -> anyhow::Result<()> {
    let views: Vec<FeedView> = ask(common, &Query::Feeds)?;
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
