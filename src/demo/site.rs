//! The demo web site: what is published when, and the HTTP handlers.

use std::collections::BTreeSet;
use std::hash::{Hash, Hasher};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use axum::extract::{Path, State};
use axum::http::header::{
    CACHE_CONTROL, CONTENT_TYPE, ETAG, IF_MODIFIED_SINCE, IF_NONE_MATCH, LAST_MODIFIED,
};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use chrono::{DateTime, SubsecRound, Utc};

use super::catalogue::{self, Article, Outlet, ARTICLES, OUTLETS};
use super::feeds::{self, FeedItem, OutletUrls};
use super::pages::{self, escape_html};

/// Publication state shared by the handlers and [`super::DemoSite`].
pub(super) struct Site {
    /// `http://127.0.0.1:PORT`
    base: String,
    /// When each released wave went out; wave 0 at start-up.
    releases: Mutex<Vec<DateTime<Utc>>>,
    /// Outlets whose feed was fetched since the last release.
    polled_since_release: Mutex<BTreeSet<&'static str>>,
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Site {
    pub(super) fn new(base: String) -> Site {
        Site {
            base,
            // Whole seconds: HTTP dates and RFC 2822 dates carry no fractions,
            // and If-Modified-Since must compare equal to what was sent.
            releases: Mutex::new(vec![Utc::now().trunc_subsecs(0)]),
            polled_since_release: Mutex::new(BTreeSet::new()),
        }
    }

    pub(super) fn feed_url(&self, outlet: &Outlet) -> String {
        format!("{}/{}/{}", self.base, outlet.key, outlet.feed_file)
    }

    /// Publishes the next wave; its number, or `None` once all are out.
    pub(super) fn release_next(&self) -> Option<usize> {
        let mut releases = lock(&self.releases);
        if releases.len() >= catalogue::wave_count() {
            return None;
        }
        releases.push(Utc::now().trunc_subsecs(0));
        lock(&self.polled_since_release).clear();
        Some(releases.len() - 1)
    }

    pub(super) fn waves_left(&self) -> usize {
        catalogue::wave_count().saturating_sub(lock(&self.releases).len())
    }

    pub(super) fn every_feed_polled(&self) -> bool {
        lock(&self.polled_since_release).len() == OUTLETS.len()
    }

    fn releases(&self) -> Vec<DateTime<Utc>> {
        lock(&self.releases).clone()
    }
}

/// When `article` was published, if its wave is out.
fn published(article: &Article, releases: &[DateTime<Utc>]) -> Option<DateTime<Utc>> {
    releases
        .get(article.wave)
        .map(|released| *released - chrono::Duration::minutes(article.minutes_before_release))
}

pub(super) fn router(site: Arc<Site>) -> Router {
    Router::new()
        .route("/", get(index))
        .route("/{outlet}/{file}", get(outlet_file))
        .with_state(site)
}

async fn index(State(site): State<Arc<Site>>) -> Response {
    let releases = site.releases();
    let mut html = String::from(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>storywatch demo news</title></head><body>\n<h1>storywatch demo: four invented outlets</h1>\n",
    );
    for outlet in OUTLETS {
        html.push_str(&format!(
            "<h2>{}</h2>\n<p>{} feed: <a href=\"{}\">{}</a></p>\n<ul>\n",
            escape_html(outlet.name),
            outlet.format.name(),
            site.feed_url(outlet),
            site.feed_url(outlet),
        ));
        for article in outlet_articles(outlet) {
            if published(article, &releases).is_some() {
                html.push_str(&format!(
                    "<li><a href=\"/{}/{}\">{}</a></li>\n",
                    outlet.key,
                    article.slug,
                    escape_html(article.title)
                ));
            }
        }
        html.push_str("</ul>\n");
    }
    html.push_str("</body></html>\n");
    ([(CONTENT_TYPE, "text/html; charset=utf-8")], html).into_response()
}

fn outlet_articles(outlet: &Outlet) -> impl Iterator<Item = &'static Article> + '_ {
    ARTICLES.iter().filter(move |a| a.outlet == outlet.key)
}

async fn outlet_file(
    State(site): State<Arc<Site>>,
    Path((outlet_key, file)): Path<(String, String)>,
    headers: HeaderMap,
) -> Response {
    let Some(outlet) = catalogue::outlet(&outlet_key) else {
        return not_found();
    };
    if file == outlet.feed_file {
        lock(&site.polled_since_release).insert(outlet.key);
        return feed(&site, outlet, &headers);
    }
    let releases = site.releases();
    let Some((article, when)) = outlet_articles(outlet)
        .find(|a| a.slug == file)
        .and_then(|a| published(a, &releases).map(|when| (a, when)))
    else {
        return not_found();
    };
    let related: Vec<&Article> = outlet_articles(outlet)
        .filter(|other| other.slug != article.slug && published(other, &releases).is_some())
        .collect();
    let canonical = format!("{}/{}/{}", site.base, outlet.key, article.slug);
    let page = pages::article_page(outlet, article, when, &canonical, &related);
    ([(CONTENT_TYPE, "text/html; charset=utf-8")], page).into_response()
}

fn feed(site: &Site, outlet: &Outlet, headers: &HeaderMap) -> Response {
    let releases = site.releases();
    let mut items: Vec<FeedItem> = outlet_articles(outlet)
        .filter_map(|article| {
            published(article, &releases).map(|published| FeedItem { article, published })
        })
        .collect();
    items.sort_by_key(|item| std::cmp::Reverse(item.published));
    // The feed last changed when the newest wave with an item of its went out.
    let changed = items
        .iter()
        .filter_map(|item| releases.get(item.article.wave).copied())
        .max()
        .unwrap_or(releases[0]);
    let home = format!("{}/{}", site.base, outlet.key);
    let feed_url = site.feed_url(outlet);
    let urls = OutletUrls {
        home: &home,
        feed: &feed_url,
    };
    let body = feeds::render(outlet, &urls, &items);
    let etag = format!("\"{:016x}\"", digest(&body));
    let last_modified = httpdate::fmt_http_date(changed.into());

    let fresh = match headers.get(IF_NONE_MATCH) {
        Some(tags) => tags.to_str().is_ok_and(|tags| {
            tags.split(',')
                .map(|tag| tag.trim().trim_start_matches("W/"))
                .any(|tag| tag == etag || tag == "*")
        }),
        None => headers
            .get(IF_MODIFIED_SINCE)
            .and_then(|since| since.to_str().ok())
            .and_then(|since| httpdate::parse_http_date(since).ok())
            .is_some_and(|since| DateTime::<Utc>::from(since) >= changed),
    };
    let validators = [
        (ETAG, etag),
        (LAST_MODIFIED, last_modified),
        (CACHE_CONTROL, "max-age=0, must-revalidate".to_owned()),
    ];
    if fresh {
        (StatusCode::NOT_MODIFIED, validators).into_response()
    } else {
        (
            validators,
            [(CONTENT_TYPE, outlet.format.content_type())],
            body,
        )
            .into_response()
    }
}

fn digest(text: &str) -> u64 {
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    text.hash(&mut hasher);
    hasher.finish()
}

fn not_found() -> Response {
    (
        StatusCode::NOT_FOUND,
        [(CONTENT_TYPE, "text/html; charset=utf-8")],
        "<!DOCTYPE html><html><head><title>Page not found</title></head><body><h1>Sorry, we couldn't find that page</h1><p><a href=\"/\">Back to the front page</a></p></body></html>\n",
    )
        .into_response()
}
