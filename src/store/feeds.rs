//! Per-feed state, stored for the fetcher without depending on its shape.

use serde::de::DeserializeOwned;
use serde::Serialize;

use super::codec::{from_json, to_json};
use super::{Store, StoreError, FEEDS};

impl Store {
    /// The saved state of the feed at `url`.
    pub fn feed_state<T: DeserializeOwned>(&self, url: &str) -> Result<Option<T>, StoreError> {
        match self.trees().feeds.get(url.as_bytes())? {
            Some(bytes) => Ok(Some(from_json(&bytes, FEEDS, url)?)),
            None => Ok(None),
        }
    }

    /// Saves the state of the feed at `url`, replacing the previous one.
    pub fn put_feed_state<T: Serialize>(&self, url: &str, state: &T) -> Result<(), StoreError> {
        let bytes = to_json(state, url)?;
        self.trees().feeds.insert(url.as_bytes(), bytes)?;
        Ok(())
    }

    /// Every saved feed state, by feed URL.
    pub fn feed_states<T: DeserializeOwned>(&self) -> Result<Vec<(String, T)>, StoreError> {
        let mut out = Vec::new();
        for entry in self.trees().feeds.iter() {
            let (key, bytes) = entry?;
            let url = String::from_utf8_lossy(&key).into_owned();
            let state = from_json(&bytes, FEEDS, &url)?;
            out.push((url, state));
        }
        Ok(out)
    }
}
