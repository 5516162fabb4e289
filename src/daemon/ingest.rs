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

mod placement;

use std::sync::Arc;

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::config::MatchConfig;
use crate::matcher::{self, ArticleText, Comparison, Fingerprint, FingerprintError, Relation};
use crate::store::doc_freq::DocFreq;
use crate::store::index::{day_of, CandidateIndex, Day};
use crate::store::{effective_time, ArticleId, ArticleRecord, Store, StoreError, StoryId};

/// Candidates scored in full per article: the best by shared rare keys.
pub const CANDIDATES_COMPARED: usize = 24;
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

impl NewArticle {
    /// What the matcher keeps of it.
    pub fn fingerprint(&self) -> Fingerprint {
        Fingerprint::of(&ArticleText {
            title: &self.title,
            body: &self.text,
            published: self.published,
            language: self.language.as_deref(),
        })
    }
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
        // The window's days plus a few, so a backfill slightly out of date
        // order does not keep reloading days.
        let index = CandidateIndex::open(
            trees.index_segments.clone(),
            trees.meta.clone(),
            2 * window + 4,
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

    /// Adds articles in order, committing every `commit_every` and at the
    /// end. Fingerprints are computed on all cores first; the matching and
    /// writing stay in order, one article after the other.
    pub fn ingest_batch(
        &mut self,
        articles: Vec<NewArticle>,
    ) -> Result<Vec<IngestOutcome>, IngestError> {
        let fingerprints = fingerprints_in_parallel(&articles);
        let outcomes = articles
            .into_iter()
            .zip(fingerprints)
            .map(|(article, fingerprint)| self.add_fingerprinted(article, fingerprint))
            .collect::<Result<Vec<_>, _>>()?;
        self.commit()?;
        Ok(outcomes)
    }

    /// Adds one article; the index is committed only every `commit_every`
    /// articles, so call [`Ingestor::commit`] when done.
    pub fn add(&mut self, article: NewArticle) -> Result<IngestOutcome, IngestError> {
        let fingerprint = article.fingerprint();
        self.add_fingerprinted(article, fingerprint)
    }

    fn add_fingerprinted(
        &mut self,
        article: NewArticle,
        fingerprint: Fingerprint,
    ) -> Result<IngestOutcome, IngestError> {
        if let Some(url) = &article.url {
            if let Some(id) = self.store.article_id_by_url(url)? {
                return self.describe_stored(id);
            }
        }
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
        let fingerprint = article.fingerprint();
        let day = day_of(effective_time(article.published, Utc::now()));
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
        Ok(Some(matcher::explain(
            &a.as_text(),
            &b.as_text(),
            &self.doc_freq,
        )))
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
        let weighted = matcher::Weighted::new(fingerprint, &self.doc_freq);
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
                comparison: matcher::compare_weighted(&weighted, &other, &self.doc_freq),
            });
        }
        Ok(matches)
    }

    /// Re-indexes articles stored after the last index commit, giving a
    /// story to any that a crash left without one.
    fn recover(&mut self) -> Result<(), IngestError> {
        let after = self.index.indexed_through();
        let mut recovered = 0usize;
        for entry in self.store.fingerprints_after(after) {
            let (id, bytes) = entry?;
            let Some(record) = self.store.article(id)? else {
                continue;
            };
            let fingerprint =
                Fingerprint::from_bytes(&bytes).map_err(|source| IngestError::Fingerprint {
                    article: id,
                    source,
                })?;
            if self.store.story_of(id)?.is_none() {
                // Stored, but the crash came before it was placed.
                self.place(&record, &[])?;
            }
            let day = day_of(record.effective_time());
            self.index.add(id, day, &fingerprint.index_keys())?;
            self.doc_freq.add(&fingerprint);
            recovered += 1;
        }
        if recovered > 0 {
            tracing::info!(
                recovered,
                "re-indexed articles stored after the last index commit"
            );
            self.commit()?;
        }
        Ok(())
    }
}

/// Fingerprints of `articles`, in order, computed on every available core.
fn fingerprints_in_parallel(articles: &[NewArticle]) -> Vec<Fingerprint> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    if threads < 2 || articles.len() < 2 * threads {
        return articles.iter().map(NewArticle::fingerprint).collect();
    }
    let part = articles.len().div_ceil(threads);
    std::thread::scope(|scope| {
        let workers: Vec<_> = articles
            .chunks(part)
            .map(|chunk| {
                scope.spawn(move || {
                    chunk
                        .iter()
                        .map(NewArticle::fingerprint)
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|worker| {
                worker
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect()
    })
}
