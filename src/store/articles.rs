//! Article records and their URL lookup.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::codec::{decode_u64, from_compressed_json, id_key, to_compressed_json};
use super::{ArticleId, Store, StoreError, ARTICLES, ARTICLE_URLS, FINGERPRINTS};
use crate::matcher::ArticleText;

/// One stored article, as extracted.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ArticleRecord {
    pub id: ArticleId,
    pub url: Option<String>,
    pub title: String,
    /// Who published it (feed name or site).
    pub source: String,
    /// URL of the feed it came through, if any.
    pub feed: Option<String>,
    pub author: Option<String>,
    pub published: Option<DateTime<Utc>>,
    pub fetched: DateTime<Utc>,
    pub language: Option<String>,
    pub text: String,
}

impl ArticleRecord {
    /// The parts the matcher reads.
    pub fn as_text(&self) -> ArticleText<'_> {
        ArticleText {
            title: &self.title,
            body: &self.text,
            published: self.published,
            language: self.language.as_deref(),
        }
    }

    /// The time the matcher's window uses: publication, else when it was
    /// fetched, so articles without dates are still compared with their
    /// peers. A publication date more than a day after the fetch is a
    /// publisher's mistake and is not trusted.
    pub fn effective_time(&self) -> DateTime<Utc> {
        effective_time(self.published, self.fetched)
    }
}

/// See [`ArticleRecord::effective_time`].
pub fn effective_time(published: Option<DateTime<Utc>>, fetched: DateTime<Utc>) -> DateTime<Utc> {
    match published {
        Some(published) if published <= fetched + chrono::Duration::days(1) => published,
        _ => fetched,
    }
}

impl Store {
    /// The article with this id.
    pub fn article(&self, id: ArticleId) -> Result<Option<ArticleRecord>, StoreError> {
        match self.trees().articles.get(id_key(id))? {
            Some(bytes) => Ok(Some(from_compressed_json(
                &bytes,
                ARTICLES,
                &format!("article {id}"),
            )?)),
            None => Ok(None),
        }
    }

    /// The id of the article stored from this URL.
    pub fn article_id_by_url(&self, url: &str) -> Result<Option<ArticleId>, StoreError> {
        match self.trees().article_urls.get(url.as_bytes())? {
            Some(bytes) => Ok(Some(decode_u64(&bytes, ARTICLE_URLS, url)?)),
            None => Ok(None),
        }
    }

    /// Up to `limit` articles, most recently added first.
    pub fn articles(&self, limit: usize) -> Result<Vec<ArticleRecord>, StoreError> {
        let mut out = Vec::new();
        for entry in self.trees().articles.iter().rev().take(limit) {
            let (key, bytes) = entry?;
            let id = decode_u64(&key, ARTICLES, "article id")?;
            out.push(from_compressed_json(
                &bytes,
                ARTICLES,
                &format!("article {id}"),
            )?);
        }
        Ok(out)
    }

    /// How many articles are stored.
    pub fn article_count(&self) -> usize {
        self.trees().articles.len()
    }
}

impl Store {
    /// Stores an article with its packed fingerprint. The URL lookup is
    /// written last, so a crash part-way never makes a URL point at a
    /// missing article.
    pub(crate) fn put_article(
        &self,
        record: &ArticleRecord,
        fingerprint: &[u8],
    ) -> Result<(), StoreError> {
        let trees = self.trees();
        let key = id_key(record.id);
        trees.fingerprints.insert(key, fingerprint)?;
        trees.articles.insert(
            key,
            to_compressed_json(record, &format!("article {}", record.id))?,
        )?;
        if let Some(url) = &record.url {
            trees.article_urls.insert(url.as_bytes(), &key)?;
        }
        Ok(())
    }

    /// The packed fingerprint of an article.
    pub(crate) fn fingerprint_bytes(
        &self,
        id: ArticleId,
    ) -> Result<Option<sled::IVec>, StoreError> {
        Ok(self.trees().fingerprints.get(id_key(id))?)
    }

    /// Packed fingerprints of the articles after `id`, in id order.
    pub(crate) fn fingerprints_after(
        &self,
        id: ArticleId,
    ) -> impl Iterator<Item = Result<(ArticleId, sled::IVec), StoreError>> {
        self.trees()
            .fingerprints
            .range(id_key(id.saturating_add(1))..)
            .map(|entry| {
                let (key, bytes) = entry?;
                Ok((decode_u64(&key, FINGERPRINTS, "article id")?, bytes))
            })
    }
}
