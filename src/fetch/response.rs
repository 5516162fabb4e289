//! What a successful fetch gives back.

use bytes::Bytes;
use url::Url;

use super::{CacheHints, Validators};

/// A usable answer: a body, or word that ours is still current.
#[derive(Debug, Clone)]
pub enum FetchResponse {
    Fetched(Fetched),
    NotModified(NotModified),
}

/// A 2xx with its whole body.
#[derive(Debug, Clone)]
pub struct Fetched {
    /// Where the body came from after every redirect; relative links in the
    /// body resolve against this.
    pub final_url: Url,
    pub status: u16,
    /// Decompressed, as sent; no charset decoding (that is `extract`'s job).
    pub body: Bytes,
    /// The `Content-Type` header verbatim, charset parameter included.
    pub content_type: Option<String>,
    pub validators: Validators,
    pub cache: CacheHints,
    /// Set when the chain began with permanent redirects (301/308): the URL
    /// the last of them pointed to.
    pub permanent_redirect: Option<Url>,
}

/// A 304: what we have is current.
#[derive(Debug, Clone)]
pub struct NotModified {
    pub final_url: Url,
    /// Only the validators the 304 carried; merge with the old ones
    /// ([`Validators::refreshed_by`]).
    pub validators: Validators,
    pub cache: CacheHints,
    pub permanent_redirect: Option<Url>,
}

impl Fetched {
    /// The `charset` parameter of the `Content-Type`, for decoding the body.
    pub fn charset(&self) -> Option<&str> {
        super::charset::charset_of(self.content_type.as_deref()?)
    }
}

impl FetchResponse {
    pub fn status(&self) -> u16 {
        match self {
            FetchResponse::Fetched(fetched) => fetched.status,
            FetchResponse::NotModified(_) => 304,
        }
    }

    pub fn permanent_redirect(&self) -> Option<&Url> {
        match self {
            FetchResponse::Fetched(fetched) => fetched.permanent_redirect.as_ref(),
            FetchResponse::NotModified(not_modified) => not_modified.permanent_redirect.as_ref(),
        }
    }

    pub fn cache(&self) -> CacheHints {
        match self {
            FetchResponse::Fetched(fetched) => fetched.cache,
            FetchResponse::NotModified(not_modified) => not_modified.cache,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fetched(content_type: Option<&str>) -> Fetched {
        Fetched {
            final_url: Url::parse("https://a.example/x").expect("valid URL"),
            status: 200,
            body: Bytes::new(),
            content_type: content_type.map(str::to_owned),
            validators: Validators::default(),
            cache: CacheHints::default(),
            permanent_redirect: None,
        }
    }

    #[test]
    fn charset_parameter_is_found_in_any_case_and_quoting() {
        let page = fetched(Some("text/html; Charset=\"ISO-8859-1\""));
        assert_eq!(page.charset(), Some("ISO-8859-1"));
        assert_eq!(fetched(Some("text/html")).charset(), None);
        assert_eq!(fetched(Some("text/html; charset=")).charset(), None);
        assert_eq!(fetched(None).charset(), None);
    }
}
