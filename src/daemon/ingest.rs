//! Adding an article: fingerprint it, find candidates in the time window,
//! score them, place the article in a story, persist.
//!
//! One [`Ingestor`] per store: it holds the in-memory candidate index and
//! document frequencies, which a second ingestor would not see. Articles,
//! fingerprints and stories are written as each article is added; index
//! postings and frequency counts are written per commit (every
//! [`Ingestor::with_commit_every`] articles, and at the end of
//! [`Ingestor::ingest`] and [`Ingestor::ingest_batch`]). Articles stored but
//! not yet committed to the index when the process died are re-indexed from
//! their fingerprints when the next ingestor opens.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::config::MatchConfig;
use crate::matcher::story::{self, Decision, Scored};
use crate::matcher::{self, ArticleText, Comparison, Fingerprint, FingerprintError, Relation};
use crate::store::doc_freq::DocFreq;
use crate::store::index::{day_of, CandidateIndex, Day};
use crate::store::{
    ArticleId, ArticleRecord, MergeRecord, Store, StoreError, StoryHeader, StoryId, StoryMember,
};

/// Candidates scored in full per article: the best by shared rare keys.
pub const CANDIDATES_COMPARED: usize = 32;
/// Articles added between two commits of the index by default.
pub const DEFAULT_COMMIT_EVERY: usize = 1_000;

/// An article to add.
#[derive(Debug, Clone, Default)]
pub struct NewArticle {
    pub url: Option<String>,
    pub title: String,
    pub source: String,
    pub feed: Option<String>,
    pub author: Option<String>,
    pub published: Option<DateTime<Utc>>,
    /// Language hint; detected when absent.
    pub language: Option<String>,
    pub text: String,
}

/// Where an article went.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IngestOutcome {
    pub id: ArticleId,
    pub story: StoryId,
    /// How it relates to `matched`; `Unrelated` when it started a story.
    pub relation: Relation,
    /// Score against `matched`; for a new story, the best score any
    /// candidate reached (0 without candidates).
    pub score: f64,
    /// The earlier article it matches best.
    pub matched: Option<ArticleId>,
    /// The comparison with `matched` (without passages; see
    /// [`Ingestor::explain`]).
    pub comparison: Option<Comparison>,
    /// Stories merged into `story` because this article linked them.
    pub merged: Vec<StoryId>,
    /// The URL was stored before: nothing was added, this describes the
    /// stored article.
    pub duplicate: bool,
}

/// A candidate and how it compared.
#[derive(Debug, Clone, PartialEq)]
pub struct CandidateMatch {
    pub article: ArticleId,
    pub story: StoryId,
    pub comparison: Comparison,
}

#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("stored fingerprint of article {article}: {source}")]
    Fingerprint {
        article: ArticleId,
        source: FingerprintError,
    },
}

/// Adds articles to a store and keeps its stories.
pub struct Ingestor {
    store: Arc<Store>,
    config: MatchConfig,
    index: CandidateIndex,
    doc_freq: DocFreq,
    uncommitted: usize,
    commit_every: usize,
}

impl Ingestor {
    /// Opens the store's index and frequencies, re-indexing any article a
    /// crash left out.
    pub fn new(store: impl Into<Arc<Store>>, config: MatchConfig) -> Result<Ingestor, IngestError> {
        let store = store.into();
        let window = config.window_days.min(3_650) as usize;
        let trees = store.trees();
        let index = CandidateIndex::open(
            trees.index_segments.clone(),
            trees.meta.clone(),
            2 * (2 * window + 1) + 2,
        )?;
        let doc_freq = DocFreq::load(&trees.doc_freq)?;
        let mut ingestor = Ingestor {
            store,
            config,
            index,
            doc_freq,
            uncommitted: 0,
            commit_every: DEFAULT_COMMIT_EVERY,
        };
        ingestor.recover()?;
        Ok(ingestor)
    }

    /// Commits the index every `articles` articles (at least 1).
    pub fn with_commit_every(mut self, articles: usize) -> Ingestor {
        self.commit_every = articles.max(1);
        self
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    pub fn config(&self) -> &MatchConfig {
        &self.config
    }

    /// The document frequencies the scores use.
    pub fn stats(&self) -> &DocFreq {
        &self.doc_freq
    }

    /// Index postings held in memory.
    pub fn loaded_postings(&self) -> usize {
        self.index.loaded_postings()
    }

    /// Adds one article and commits.
    pub fn ingest(&mut self, article: NewArticle) -> Result<IngestOutcome, IngestError> {
        let outcome = self.add(article)?;
        self.commit()?;
        Ok(outcome)
    }

    /// Adds articles in order, committing every `commit_every` and at the end.
    pub fn ingest_batch(
        &mut self,
        articles: impl IntoIterator<Item = NewArticle>,
    ) -> Result<Vec<IngestOutcome>, IngestError> {
        let outcomes = articles
            .into_iter()
            .map(|article| self.add(article))
            .collect::<Result<Vec<_>, _>>()?;
        self.commit()?;
        Ok(outcomes)
    }

    /// Adds one article; the index is committed only every `commit_every`
    /// articles, so call [`Ingestor::commit`] when done.
    pub fn add(&mut self, article: NewArticle) -> Result<IngestOutcome, IngestError> {
        if let Some(url) = &article.url {
            if let Some(id) = self.store.article_id_by_url(url)? {
                return self.describe_stored(id);
            }
        }
        let fingerprint = Fingerprint::of(&ArticleText {
            title: &article.title,
            body: &article.text,
            published: article.published,
            language: article.language.as_deref(),
        });
        let record = ArticleRecord {
            id: self.store.allocate_article_id(),
            url: article.url,
            title: article.title,
            source: article.source,
            feed: article.feed,
            author: article.author,
            published: article.published,
            fetched: Utc::now(),
            language: article
                .language
                .or_else(|| fingerprint.language().map(str::to_owned)),
            text: article.text,
        };
        let day = day_of(record.effective_time());
        let keys = fingerprint.index_keys();
        let matches = self.compare_candidates(&fingerprint, day, &keys)?;
        self.store.put_article(&record, &fingerprint.to_bytes())?;
        let outcome = self.place(&record, &matches)?;
        self.index.add(record.id, day, &keys)?;
        self.doc_freq.add(&fingerprint);
        self.uncommitted += 1;
        if self.uncommitted >= self.commit_every {
            self.commit()?;
        }
        Ok(outcome)
    }

    /// What `article` would match, best first, without storing it.
    pub fn matches(&mut self, article: &NewArticle) -> Result<Vec<CandidateMatch>, IngestError> {
        let fingerprint = Fingerprint::of(&ArticleText {
            title: &article.title,
            body: &article.text,
            published: article.published,
            language: article.language.as_deref(),
        });
        let day = day_of(article.published.unwrap_or_else(Utc::now));
        let mut matches = self.compare_candidates(&fingerprint, day, &fingerprint.index_keys())?;
        matches.sort_by(|a, b| b.comparison.score.total_cmp(&a.comparison.score));
        Ok(matches)
    }

    /// Writes the index postings and frequency counts added since the last
    /// commit. The postings go first: if the process dies between the two,
    /// the counts of one batch are missing, never counted twice.
    pub fn commit(&mut self) -> Result<(), IngestError> {
        self.index.commit()?;
        self.doc_freq.commit(&self.store.trees().doc_freq)?;
        self.store.persist_counters()?;
        self.uncommitted = 0;
        Ok(())
    }

    /// Commits and waits until everything is on disk.
    pub fn flush(&mut self) -> Result<(), IngestError> {
        self.commit()?;
        self.store.flush()?;
        Ok(())
    }

    /// Compares two stored articles from their full texts, with the longest
    /// shared passages (for alerts and `storywatch compare`).
    pub fn explain(&self, a: ArticleId, b: ArticleId) -> Result<Option<Comparison>, IngestError> {
        let (Some(a), Some(b)) = (self.store.article(a)?, self.store.article(b)?) else {
            return Ok(None);
        };
        Ok(Some(matcher::explain(&a.as_text(), &b.as_text(), &self.doc_freq)))
    }

    fn compare_candidates(
        &mut self,
        fingerprint: &Fingerprint,
        day: Day,
        keys: &[u64],
    ) -> Result<Vec<CandidateMatch>, IngestError> {
        let candidates =
            self.index
                .candidates(day, self.config.window_days, keys, CANDIDATES_COMPARED)?;
        let mut matches = Vec::with_capacity(candidates.len());
        for candidate in candidates {
            let article = candidate.article;
            let (Some(bytes), Some(story)) = (
                self.store.fingerprint_bytes(article)?,
                self.store.story_of(article)?,
            ) else {
                continue;
            };
            let other = Fingerprint::from_bytes(&bytes)
                .map_err(|source| IngestError::Fingerprint { article, source })?;
            matches.push(CandidateMatch {
                article,
                story,
                comparison: matcher::compare(fingerprint, &other, &self.doc_freq),
            });
        }
        Ok(matches)
    }

    /// Puts a stored article into a story as the matches decide.
    fn place(
        &self,
        record: &ArticleRecord,
        matches: &[CandidateMatch],
    ) -> Result<IngestOutcome, IngestError> {
        let threshold = self.config.story_threshold;
        let scored: Vec<Scored> = matches
            .iter()
            .map(|m| Scored::new(m.article, m.story, &m.comparison, threshold))
            .collect();
        let now = Utc::now();
        let time = record.effective_time();
        match story::decide(&scored) {
            Decision::NewStory => {
                let header = StoryHeader {
                    id: self.store.allocate_story_id(),
                    first: record.id,
                    first_time: time,
                    merged_from: Vec::new(),
                    created: now,
                    updated: now,
                    size: 0,
                };
                let member = StoryMember {
                    article: record.id,
                    matched: None,
                    relation: Relation::Unrelated,
                    score: 0.0,
                };
                let story = header.id;
                self.join(header, &member, time, now)?;
                let best = scored.iter().map(|s| s.score).fold(0.0, f64::max);
                Ok(IngestOutcome {
                    id: record.id,
                    story,
                    relation: Relation::Unrelated,
                    score: best,
                    matched: None,
                    comparison: None,
                    merged: Vec::new(),
                    duplicate: false,
                })
            }
            Decision::Join {
                story,
                best,
                absorb,
            } => {
                let mut header = self.header(story)?;
                for &absorbed in &absorb {
                    let score = scored
                        .iter()
                        .filter(|s| s.story == absorbed)
                        .map(|s| s.score)
                        .fold(0.0, f64::max);
                    self.merge(&mut header, absorbed, record.id, score, now)?;
                }
                let member = StoryMember {
                    article: record.id,
                    matched: Some(best.article),
                    relation: best.relation,
                    score: best.score,
                };
                self.join(header, &member, time, now)?;
                let comparison = matches
                    .iter()
                    .find(|m| m.article == best.article)
                    .map(|m| m.comparison.clone());
                Ok(IngestOutcome {
                    id: record.id,
                    story,
                    relation: best.relation,
                    score: best.score,
                    matched: Some(best.article),
                    comparison,
                    merged: absorb,
                    duplicate: false,
                })
            }
        }
    }

    fn header(&self, story: StoryId) -> Result<StoryHeader, IngestError> {
        self.store.story_header(story)?.ok_or_else(|| {
            IngestError::Store(StoreError::Corrupt {
                tree: "stories",
                what: format!("story {story}"),
                detail: "an article points at it but it is missing".into(),
            })
        })
    }

    fn join(
        &self,
        mut header: StoryHeader,
        member: &StoryMember,
        time: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Result<(), IngestError> {
        if time < header.first_time {
            header.first = member.article;
            header.first_time = time;
        }
        header.size += 1;
        header.updated = now;
        self.store.put_story_member(&header, member)?;
        Ok(())
    }

    fn merge(
        &self,
        kept: &mut StoryHeader,
        absorbed: StoryId,
        article: ArticleId,
        score: f64,
        now: DateTime<Utc>,
    ) -> Result<(), IngestError> {
        let other = self.header(absorbed)?;
        if other.first_time < kept.first_time {
            kept.first = other.first;
            kept.first_time = other.first_time;
        }
        kept.merged_from.push(absorbed);
        kept.merged_from.extend(other.merged_from);
        kept.size += other.size;
        kept.updated = now;
        let merge = MergeRecord {
            absorbed,
            into: kept.id,
            article,
            score,
            merged: now,
        };
        self.store.merge_stories(kept, &merge)?;
        Ok(())
    }

    /// The outcome of an article stored before.
    fn describe_stored(&self, id: ArticleId) -> Result<IngestOutcome, IngestError> {
        let story = self.store.story_of(id)?.unwrap_or_default();
        let member = self.store.story_member(story, id)?;
        Ok(IngestOutcome {
            id,
            story,
            relation: member.as_ref().map_or(Relation::Unrelated, |m| m.relation),
            score: member.as_ref().map_or(0.0, |m| m.score),
            matched: member.and_then(|m| m.matched),
            comparison: None,
            merged: Vec::new(),
            duplicate: true,
        })
    }

    /// Re-indexes articles stored after the last index commit.
    fn recover(&mut self) -> Result<(), IngestError> {
        let after = self.index.indexed_through();
        let mut recovered = 0usize;
        for entry in self.store.fingerprints_after(after) {
            let (id, bytes) = entry?;
            let Some(record) = self.store.article(id)? else {
                continue;
            };
            let fingerprint = Fingerprint::from_bytes(&bytes)
                .map_err(|source| IngestError::Fingerprint { article: id, source })?;
            let day = day_of(record.effective_time());
            self.index.add(id, day, &fingerprint.index_keys())?;
            self.doc_freq.add(&fingerprint);
            recovered += 1;
        }
        if recovered > 0 {
            tracing::info!(recovered, "re-indexed articles stored after the last index commit");
            self.commit()?;
        }
        Ok(())
    }
}
