//! What to fetch and how to present ourselves.

use std::collections::BTreeMap;

use reqwest::header::{
    HeaderMap, HeaderName, HeaderValue, IF_MODIFIED_SINCE, IF_NONE_MATCH, USER_AGENT,
};
use url::Url;

use super::{FetchError, Validators};
use crate::config::FeedConfig;

/// One GET. Conditional when `validators` holds anything.
#[derive(Debug, Clone)]
pub struct FetchRequest {
    pub url: Url,
    pub validators: Validators,
    /// Overrides the configured `[fetch] user_agent`.
    pub user_agent: Option<String>,
    /// Extra headers; a name given here replaces our own header of that name.
    pub headers: BTreeMap<String, String>,
}

impl FetchRequest {
    pub fn new(url: Url) -> FetchRequest {
        FetchRequest {
            url,
            validators: Validators::default(),
            user_agent: None,
            headers: BTreeMap::new(),
        }
    }

    pub fn with_validators(mut self, validators: Validators) -> FetchRequest {
        self.validators = validators;
        self
    }

    /// Presents ourselves as `feed` says (its User-Agent and extra headers),
    /// for the feed itself and for the pages its entries link to.
    pub fn identified_as(mut self, feed: &FeedConfig) -> FetchRequest {
        self.user_agent = feed.user_agent.clone();
        self.headers.extend(feed.headers.clone());
        self
    }

    /// Sets a header unless the caller already chose a value for it.
    pub fn with_default_header(mut self, name: &str, value: &str) -> FetchRequest {
        if !self.headers.keys().any(|k| k.eq_ignore_ascii_case(name)) {
            self.headers.insert(name.to_owned(), value.to_owned());
        }
        self
    }

    pub(crate) fn header_map(&self) -> Result<HeaderMap, FetchError> {
        let invalid = |reason: String| FetchError::InvalidRequest {
            url: self.url.clone(),
            reason,
        };
        let mut map = HeaderMap::new();
        let mut set = |name: HeaderName, value: &str| -> Result<(), FetchError> {
            let value = HeaderValue::from_str(value)
                .map_err(|_| invalid(format!("header {name} has an unusable value {value:?}")))?;
            map.insert(name, value);
            Ok(())
        };
        if let Some(agent) = &self.user_agent {
            set(USER_AGENT, agent)?;
        }
        if let Some(etag) = &self.validators.etag {
            set(IF_NONE_MATCH, etag)?;
        }
        if let Some(date) = &self.validators.last_modified {
            set(IF_MODIFIED_SINCE, date)?;
        }
        for (name, value) in &self.headers {
            let name = HeaderName::from_bytes(name.as_bytes())
                .map_err(|_| invalid(format!("{name:?} is not a header name")))?;
            set(name, value)?;
        }
        Ok(map)
    }
}
