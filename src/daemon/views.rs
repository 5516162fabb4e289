//! What the inspecting commands print (`articles`, `show`, `stories`,
//! `story`, `feeds`, `compare`), and following stories (`follow`,
//! `unfollow`).
//!
//! A [`Query`] is answered the same way whoever holds the store: the
//! command itself when the store is free, or the running daemon over its
//! control socket ([`super::control`]) when `storywatch run` holds sled's
//! lock. The answer is the command's `--json` shape, so both paths print
//! the same thing.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::config::FeedConfig;
use crate::fetch::{FeedState, FeedStatus};
use crate::matcher::{self, ArticleText, Comparison, Relation};
use crate::store::doc_freq::DocFreq;
use crate::store::{ArticleId, ArticleRecord, Store, StoreError, Story, StoryId, DOC_FREQ};

/// What an inspecting command, `follow` or `unfollow` asks of the store.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Query {
    /// The newest `limit` articles, with the number stored.
    Articles { limit: usize },
    /// One article in full.
    Article { id: ArticleId },
    /// The newest `limit` stories; single-article ones too with `all`;
    /// only followed ones with `followed`.
    Stories {
        limit: usize,
        all: bool,
        followed: bool,
    },
    /// One story (an id merged away leads to the story it went into).
    Story { id: StoryId },
    /// Each configured feed with its fetch state.
    Feeds,
    /// Follow a story, or stop following it.
    Follow { story: StoryId, follow: bool },
    /// Two articles compared, their terms weighed by the store's document
    /// frequencies as the daemon weighs them.
    Compare { first: Compared, second: Compared },
}

/// One side of `compare`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Compared {
    /// A stored article.
    Stored { id: ArticleId },
    /// An article the asking command read from a file.
    Given(GivenArticle),
}

/// An article's text as `compare` weighs it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GivenArticle {
    pub title: String,
    pub text: String,
    pub published: Option<DateTime<Utc>>,
    pub language: Option<String>,
}

impl GivenArticle {
    pub fn article_text(&self) -> ArticleText<'_> {
        ArticleText {
            title: &self.title,
            body: &self.text,
            published: self.published,
            language: self.language.as_deref(),
        }
    }
}

impl Compared {
    fn resolve(&self, store: &Store) -> Result<GivenArticle, QueryError> {
        match *self {
            Compared::Given(ref article) => Ok(article.clone()),
            Compared::Stored { id } => {
                let record = stored_article(store, id)?;
                Ok(GivenArticle {
                    title: record.title,
                    text: record.text,
                    published: record.published,
                    language: record.language,
                })
            }
        }
    }
}

/// The stored article `id`, or the asker's mistake.
fn stored_article(store: &Store, id: ArticleId) -> Result<ArticleRecord, QueryError> {
    store
        .article(id)?
        .ok_or_else(|| QueryError::NotFound(format!("no stored article has id {id}")))
}

/// The story `id` (or the one it was merged into), or the asker's mistake.
fn stored_story(store: &Store, id: StoryId) -> Result<Story, QueryError> {
    store.story(id)?.ok_or_else(|| story_not_found(id))
}

fn story_not_found(id: StoryId) -> QueryError {
    QueryError::NotFound(format!("no story has id {id}"))
}

fn compare(store: &Store, first: &Compared, second: &Compared) -> Result<Comparison, QueryError> {
    let first = first.resolve(store)?;
    let second = second.resolve(store)?;
    let stats = DocFreq::load(&store.tree(DOC_FREQ)?)?;
    Ok(matcher::explain(
        &first.article_text(),
        &second.article_text(),
        &stats,
    ))
}

/// Why a query has no answer.
#[derive(Debug, thiserror::Error)]
pub enum QueryError {
    /// The article or story asked for does not exist: the asker's mistake.
    #[error("{0}")]
    NotFound(String),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("cannot encode the answer: {0}")]
    Encode(#[from] serde_json::Error),
}

impl Query {
    /// The answer, as the command's `--json` prints it. `feeds` are the
    /// configured feeds of whoever answers.
    pub fn answer(
        &self,
        store: &Store,
        feeds: &[FeedConfig],
    ) -> Result<serde_json::Value, QueryError> {
        Ok(match *self {
            Query::Articles { limit } => serde_json::to_value(articles(store, limit)?)?,
            Query::Article { id } => serde_json::to_value(article(store, id)?)?,
            Query::Stories {
                limit,
                all,
                followed: false,
            } => serde_json::to_value(stories(store, limit, all)?)?,
            Query::Stories {
                limit,
                followed: true,
                ..
            } => serde_json::to_value(followed_stories(store, limit)?)?,
            Query::Story { id } => serde_json::to_value(story(store, id)?)?,
            Query::Feeds => serde_json::to_value(feed_views(store, feeds)?)?,
            Query::Follow { story, follow } => {
                serde_json::to_value(set_follow(store, story, follow)?)?
            }
            Query::Compare {
                ref first,
                ref second,
            } => serde_json::to_value(compare(store, first, second)?)?,
        })
    }
}

/// One line of `articles`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ArticleSummary {
    pub id: ArticleId,
    pub url: Option<String>,
    pub title: String,
    pub source: String,
    pub published: Option<DateTime<Utc>>,
    pub story: Option<StoryId>,
}

/// The newest articles and how many are stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ArticleList {
    pub stored: usize,
    pub newest: Vec<ArticleSummary>,
}

fn articles(store: &Store, limit: usize) -> Result<ArticleList, QueryError> {
    let mut newest = Vec::new();
    for record in store.articles(limit)? {
        newest.push(ArticleSummary {
            story: store.story_of(record.id)?,
            id: record.id,
            url: record.url,
            title: record.title,
            source: record.source,
            published: record.published,
        });
    }
    Ok(ArticleList {
        stored: store.article_count(),
        newest,
    })
}

/// `show`: the stored record and its story.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ArticleDetail {
    #[serde(flatten)]
    pub record: ArticleRecord,
    pub story: Option<StoryId>,
}

fn article(store: &Store, id: ArticleId) -> Result<ArticleDetail, QueryError> {
    let record = stored_article(store, id)?;
    Ok(ArticleDetail {
        story: store.story_of(id)?,
        record,
    })
}

/// One article of a story, as `stories --json` and `story --json` print it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoryArticle {
    pub id: ArticleId,
    pub url: Option<String>,
    pub title: String,
    pub source: String,
    pub published: Option<DateTime<Utc>>,
    /// How it relates to `matched`; `first` for the story's first report.
    pub relation: String,
    pub matched: Option<ArticleId>,
    pub score: f64,
}

/// A story with its articles.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoryView {
    pub id: StoryId,
    pub first: ArticleId,
    pub merged_from: Vec<StoryId>,
    /// Followed with `storywatch follow` (itself or a story merged into it).
    pub followed: bool,
    pub articles: Vec<StoryArticle>,
}

/// A story's members with their titles and sources.
fn story_view(store: &Store, story: Story) -> Result<StoryView, StoreError> {
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
        followed: store.is_followed(&story)?,
        id: story.id,
        first: story.first,
        merged_from: story.merged_from,
        articles,
    })
}

/// The newest `limit` stories with more than one article (all with `all`).
pub fn stories(store: &Store, limit: usize, all: bool) -> Result<Vec<StoryView>, StoreError> {
    let min_members = if all { 1 } else { 2 };
    let mut views = Vec::new();
    for story in store.stories_newest_first(min_members).take(limit) {
        views.push(story_view(store, story?)?);
    }
    Ok(views)
}

/// The newest `limit` followed stories, whatever their size.
fn followed_stories(store: &Store, limit: usize) -> Result<Vec<StoryView>, StoreError> {
    let mut found: Vec<Story> = Vec::new();
    for id in store.followed_ids()? {
        // Two followed stories that merged are one story now.
        if let Some(story) = store
            .story(id)?
            .filter(|s| found.iter().all(|f| f.id != s.id))
        {
            found.push(story);
        }
    }
    found.sort_by_key(|story| std::cmp::Reverse(story.id));
    found
        .into_iter()
        .take(limit)
        .map(|story| story_view(store, story))
        .collect()
}

/// What `follow` and `unfollow` print.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FollowChange {
    /// The story now (a merged-away id leads to the story it went into).
    pub story: StoryId,
    pub followed: bool,
    /// Whether this changed anything.
    pub changed: bool,
}

fn set_follow(store: &Store, id: StoryId, follow: bool) -> Result<FollowChange, QueryError> {
    let story = stored_story(store, id)?;
    let was_followed = store.is_followed(&story)?;
    if follow {
        store.follow(story.id)?.ok_or_else(|| story_not_found(id))?;
    } else {
        store
            .unfollow(story.id)?
            .ok_or_else(|| story_not_found(id))?;
    }
    Ok(FollowChange {
        story: story.id,
        followed: follow,
        changed: was_followed != follow,
    })
}

fn story(store: &Store, id: StoryId) -> Result<StoryView, QueryError> {
    Ok(story_view(store, stored_story(store, id)?)?)
}

/// One feed of `feeds`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FeedView {
    pub name: String,
    pub url: String,
    /// Where the feed is fetched from after a confirmed permanent redirect.
    pub moved_to: Option<String>,
    pub enabled: bool,
    pub state: String,
    pub last_fetch: Option<DateTime<Utc>>,
    pub last_status: Option<u16>,
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    pub next_poll: Option<DateTime<Utc>>,
    pub error: Option<String>,
    pub consecutive_failures: u32,
}

fn feed_views(store: &Store, feeds: &[FeedConfig]) -> Result<Vec<FeedView>, StoreError> {
    let mut views = Vec::new();
    for feed in feeds {
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
    Ok(views)
}
