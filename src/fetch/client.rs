//! The HTTP client: one connection pool for every feed and page, redirects
//! followed by hand so permanent and temporary moves can be told apart, and
//! bodies read under a size cap.

use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use chrono::Utc;
use reqwest::header::{
    HeaderMap, AUTHORIZATION, CONTENT_TYPE, COOKIE, LOCATION, PROXY_AUTHORIZATION,
};
use reqwest::StatusCode;
use tokio::time::{timeout_at, Instant};
use url::Url;

use super::headers::retry_after;
use super::limiter::{host_key, HostGate, HostLimits, Slot};
use super::{
    later, CacheHints, ClientSetupError, FetchError, FetchRequest, FetchResponse, Fetched,
    NotModified, Validators,
};
use crate::config::{FetchConfig, RetryAfterScope};

/// Idle keep-alive connections are closed after this; a feed polled every
/// few minutes on a busy host still finds its connection open.
const IDLE_CONNECTION_LIFETIME: Duration = Duration::from_secs(90);

/// Shared by every poll and page fetch; cheap to clone.
#[derive(Clone)]
pub struct Fetcher {
    inner: Arc<Inner>,
}

struct Inner {
    client: reqwest::Client,
    config: FetchConfig,
    limits: HostLimits,
    gate: HostGate,
}

/// Where one request currently stands in its redirect chain.
struct Hop {
    url: Url,
    host: String,
    // Held, not read: dropping it frees the request's place in the limits.
    _slot: Slot,
}

impl Fetcher {
    pub fn new(config: &FetchConfig) -> Result<Fetcher, ClientSetupError> {
        let client = reqwest::Client::builder()
            .user_agent(config.user_agent.clone())
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(config.connect_timeout)
            .pool_idle_timeout(IDLE_CONNECTION_LIFETIME)
            .pool_max_idle_per_host(config.per_host_concurrency.max(1))
            .tcp_nodelay(true)
            .build()
            .map_err(|err| ClientSetupError(err.to_string()))?;
        Ok(Fetcher {
            inner: Arc::new(Inner {
                client,
                config: config.clone(),
                limits: HostLimits::new(config.concurrency, config.per_host_concurrency),
                gate: HostGate::default(),
            }),
        })
    }

    pub fn config(&self) -> &FetchConfig {
        &self.inner.config
    }

    /// GETs `request.url`, following up to `max_redirects` redirects, within
    /// the per-host and overall limits. The total timeout starts once the
    /// first slot is granted, so time spent queued behind other requests
    /// never counts against a server.
    pub async fn fetch(&self, request: FetchRequest) -> Result<FetchResponse, FetchError> {
        let headers = request.header_map()?;
        check_scheme(&request.url)?;
        let hop = self.enter(request.url.clone()).await?;
        // Boxed so that a request queued for a slot holds a small future;
        // thousands of feeds queued at once stay cheap.
        Box::pin(self.exchange(request.url, headers, hop)).await
    }

    /// Sends the request and follows its redirects, from a granted slot on.
    async fn exchange(
        &self,
        start: Url,
        mut headers: HeaderMap,
        mut hop: Hop,
    ) -> Result<FetchResponse, FetchError> {
        let deadline = Instant::now() + self.inner.config.timeout;
        let mut visited = HashSet::from([without_fragment(&hop.url)]);
        let mut permanent_redirect = None;
        let mut only_permanent_so_far = true;
        let mut redirects = 0;
        loop {
            let response = timeout_at(deadline, self.send(&hop.url, &headers))
                .await
                .map_err(|_| self.timeout(&hop.url))??;
            let status = response.status();
            if !is_followed_redirect(status) {
                let url = hop.url.clone();
                return timeout_at(deadline, self.finish(response, hop, permanent_redirect))
                    .await
                    .map_err(|_| self.timeout(&url))?;
            }
            if redirects == self.inner.config.max_redirects {
                return Err(FetchError::TooManyRedirects {
                    url: start,
                    limit: self.inner.config.max_redirects,
                });
            }
            let next = redirect_target(&response, &hop.url)?;
            if !visited.insert(without_fragment(&next)) {
                return Err(FetchError::RedirectLoop { url: next });
            }
            let permanent = matches!(
                status,
                StatusCode::MOVED_PERMANENTLY | StatusCode::PERMANENT_REDIRECT
            );
            only_permanent_so_far &= permanent;
            if only_permanent_so_far {
                permanent_redirect = Some(next.clone());
            }
            redirects += 1;
            if host_key(&next) == hop.host {
                hop.url = next;
            } else {
                // Credentials meant for one host must not leak to another.
                for name in [AUTHORIZATION, COOKIE, PROXY_AUTHORIZATION] {
                    headers.remove(name);
                }
                drop(hop);
                hop = self.enter(next).await?;
            }
        }
    }

    /// Takes a slot for `url`'s host, unless the host asked us to stay away.
    async fn enter(&self, url: Url) -> Result<Hop, FetchError> {
        let host = host_key(&url);
        self.check_gate(&url, &host)?;
        let slot = self.inner.limits.acquire(&host).await;
        // The host may have sent a Retry-After while we were queued.
        self.check_gate(&url, &host)?;
        Ok(Hop {
            url,
            host,
            _slot: slot,
        })
    }

    fn check_gate(&self, url: &Url, host: &str) -> Result<(), FetchError> {
        match self.inner.gate.closed_until(host, Utc::now()) {
            Some(until) => Err(FetchError::HostBackoff {
                url: url.clone(),
                until,
            }),
            None => Ok(()),
        }
    }

    async fn send(&self, url: &Url, headers: &HeaderMap) -> Result<reqwest::Response, FetchError> {
        self.inner
            .client
            .get(url.clone())
            .headers(headers.clone())
            .send()
            .await
            .map_err(|err| self.network_error(url, &err))
    }

    async fn finish(
        &self,
        response: reqwest::Response,
        hop: Hop,
        permanent_redirect: Option<Url>,
    ) -> Result<FetchResponse, FetchError> {
        let status = response.status();
        let headers = response.headers();
        if status == StatusCode::NOT_MODIFIED {
            return Ok(FetchResponse::NotModified(NotModified {
                validators: Validators::from_headers(headers),
                cache: CacheHints::from_headers(headers),
                final_url: hop.url,
                permanent_redirect,
            }));
        }
        if status == StatusCode::GONE {
            return Err(FetchError::Gone { url: hop.url });
        }
        if !status.is_success() {
            let retry_after = retry_after(headers);
            let asks_to_wait = matches!(
                status,
                StatusCode::TOO_MANY_REQUESTS | StatusCode::SERVICE_UNAVAILABLE
            );
            if let (true, Some(wait), RetryAfterScope::Host) = (
                asks_to_wait,
                retry_after,
                self.inner.config.retry_after_scope,
            ) {
                self.inner
                    .gate
                    .close_until(&hop.host, later(Utc::now(), wait));
            }
            return Err(FetchError::Status {
                url: hop.url,
                code: status.as_u16(),
                retry_after,
            });
        }
        let validators = Validators::from_headers(headers);
        let cache = CacheHints::from_headers(headers);
        let content_type = headers
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let body = self.read_body(response, &hop.url).await?;
        Ok(FetchResponse::Fetched(Fetched {
            final_url: hop.url,
            status: status.as_u16(),
            body,
            content_type,
            validators,
            cache,
            permanent_redirect,
        }))
    }

    /// Reads the body chunk by chunk, as decompressed, and stops the moment
    /// it passes the cap: a gzip bomb costs at most the cap in memory.
    async fn read_body(
        &self,
        mut response: reqwest::Response,
        url: &Url,
    ) -> Result<Bytes, FetchError> {
        let limit = self.inner.config.max_body_bytes;
        let too_large = || FetchError::BodyTooLarge {
            url: url.clone(),
            limit,
        };
        // Only an identity body's length is known up front; reqwest drops the
        // header of a compressed one.
        let announced = response.content_length().unwrap_or(0);
        if announced > limit {
            return Err(too_large());
        }
        let mut body = Vec::with_capacity(usize::try_from(announced).unwrap_or(0));
        while let Some(chunk) = response
            .chunk()
            .await
            .map_err(|err| self.network_error(url, &err))?
        {
            if (body.len() + chunk.len()) as u64 > limit {
                return Err(too_large());
            }
            body.extend_from_slice(&chunk);
        }
        Ok(Bytes::from(body))
    }

    fn timeout(&self, url: &Url) -> FetchError {
        FetchError::Timeout {
            url: url.clone(),
            after: self.inner.config.timeout,
        }
    }

    fn network_error(&self, url: &Url, err: &reqwest::Error) -> FetchError {
        let limit = if err.is_connect() {
            self.inner.config.connect_timeout
        } else {
            self.inner.config.timeout
        };
        FetchError::from_reqwest(url, err, limit)
    }
}

fn is_followed_redirect(status: StatusCode) -> bool {
    matches!(
        status,
        StatusCode::MOVED_PERMANENTLY
            | StatusCode::FOUND
            | StatusCode::SEE_OTHER
            | StatusCode::TEMPORARY_REDIRECT
            | StatusCode::PERMANENT_REDIRECT
    )
}

fn redirect_target(response: &reqwest::Response, from: &Url) -> Result<Url, FetchError> {
    let bad = |reason: &str| FetchError::BadRedirect {
        url: from.clone(),
        reason: reason.to_owned(),
    };
    let location = response
        .headers()
        .get(LOCATION)
        .ok_or_else(|| bad("no Location header"))?
        .to_str()
        .map_err(|_| bad("Location is not text"))?;
    let target = from
        .join(location.trim())
        .map_err(|err| bad(&format!("Location {location:?}: {err}")))?;
    check_scheme(&target).map_err(|_| bad(&format!("Location {location:?} is not http(s)")))?;
    Ok(target)
}

fn check_scheme(url: &Url) -> Result<(), FetchError> {
    match url.scheme() {
        "http" | "https" if url.host_str().is_some() => Ok(()),
        _ => Err(FetchError::InvalidRequest {
            url: url.clone(),
            reason: "only http and https URLs with a host can be fetched".into(),
        }),
    }
}

fn without_fragment(url: &Url) -> Url {
    let mut url = url.clone();
    url.set_fragment(None);
    url
}
