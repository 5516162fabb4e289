//! Feed entries already handled, so a poll fetches only new ones.

use chrono::{DateTime, Utc};

use super::codec::corrupt;
use super::{ArticleId, Store, StoreError, SEEN};

/// What became of a feed entry seen before.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SeenEntry {
    /// The article stored from it; `None` when it yielded none (for example
    /// the page and the feed item both had no usable text).
    pub article: Option<ArticleId>,
    pub seen: DateTime<Utc>,
}

/// The feed key comes first so one feed's entries are a key range; URLs and
/// GUIDs never contain a NUL byte, so it separates the two unambiguously.
fn seen_key(feed: &str, entry: &str) -> Vec<u8> {
    let mut key = Vec::with_capacity(feed.len() + 1 + entry.len());
    key.extend_from_slice(feed.as_bytes());
    key.push(0);
    key.extend_from_slice(entry.as_bytes());
    key
}

impl Store {
    /// The record of entry `entry` of feed `feed`, if it was seen before.
    pub fn seen_entry(&self, feed: &str, entry: &str) -> Result<Option<SeenEntry>, StoreError> {
        let Some(bytes) = self.trees().seen.get(seen_key(feed, entry))? else {
            return Ok(None);
        };
        let (article, seen) = bytes
            .split_first_chunk::<8>()
            .and_then(|(a, rest)| Some((a, rest.first_chunk::<8>()?)))
            .ok_or_else(|| corrupt(SEEN, entry, "expected 16 bytes"))?;
        let article = u64::from_be_bytes(*article);
        let seconds = i64::from_be_bytes(*seen);
        Ok(Some(SeenEntry {
            article: (article != 0).then_some(article),
            seen: DateTime::from_timestamp(seconds, 0)
                .ok_or_else(|| corrupt(SEEN, entry, "time out of range"))?,
        }))
    }

    /// Records that entry `entry` of feed `feed` was handled.
    pub fn mark_seen(&self, feed: &str, entry: &str, seen: SeenEntry) -> Result<(), StoreError> {
        let mut value = [0u8; 16];
        value[..8].copy_from_slice(&seen.article.unwrap_or(0).to_be_bytes());
        value[8..].copy_from_slice(&seen.seen.timestamp().to_be_bytes());
        self.trees().seen.insert(seen_key(feed, entry), &value)?;
        Ok(())
    }
}
