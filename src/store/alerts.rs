//! The alert log: one record per article an alert was raised for, so a
//! restart never raises it again.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::codec::{from_json, id_key, to_json};
use super::{ArticleId, Store, StoreError, StoryId, ALERTS};
use crate::matcher::Relation;

/// An alert that was raised.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AlertRecord {
    /// The new article the alert was about.
    pub article: ArticleId,
    pub story: StoryId,
    pub relation: Relation,
    pub score: f64,
    /// The earlier article it was matched to.
    pub matched: Option<ArticleId>,
    pub raised: DateTime<Utc>,
}

impl Store {
    /// Whether an alert was already raised for `article`.
    pub fn has_alert(&self, article: ArticleId) -> Result<bool, StoreError> {
        Ok(self.trees().alerts.contains_key(id_key(article))?)
    }

    /// Records an alert and waits for it to reach the disk, so that even a
    /// crash right after it cannot make the daemon raise it twice.
    pub fn record_alert(&self, alert: &AlertRecord) -> Result<(), StoreError> {
        let bytes = to_json(alert, &format!("alert for article {}", alert.article))?;
        self.trees().alerts.insert(id_key(alert.article), bytes)?;
        self.trees().alerts.flush()?;
        Ok(())
    }

    /// Up to `limit` alerts, newest article first.
    pub fn alerts(&self, limit: usize) -> Result<Vec<AlertRecord>, StoreError> {
        let mut out = Vec::new();
        for entry in self.trees().alerts.iter().rev().take(limit) {
            let (_, bytes) = entry?;
            out.push(from_json(&bytes, ALERTS, "alert")?);
        }
        Ok(out)
    }
}
