//! `storywatch demo`: a small offline news web to watch.
//!
//! [`serve`] starts an HTTP server on 127.0.0.1 (a free port) with four
//! invented outlets, each with its own feed format and page template:
//!
//! | outlet | feed | what it publishes |
//! |---|---|---|
//! | The Carrow Haven Courier | RSS 2.0 `/courier/rss.xml` | the original report on the Wrenfield bridge closure; two unrelated local stories |
//! | Tidewater Daily | Atom `/tidewater/atom.xml` (full text) | a lightly edited **copy** of the Courier's report; a weather story |
//! | North Coast Brief | JSON Feed `/northcoast/feed.json` | a reworded **rewrite** (explainer) of the report; a business story |
//! | Westshore Post | RSS 2.0 `/westshore/feed.xml` (full text) | an **independent report** of the same event: own quotes and extra facts, same names, numbers and day; a sports story |
//!
//! Articles come out in waves so that alerts fire while the daemon runs:
//!
//! * wave 0, at start-up: the original report and four unrelated articles;
//! * wave 1: the copy (expect a `copy` alert);
//! * wave 2: the rewrite (`rewrite`);
//! * wave 3: the independent report (`same_story`) and one more unrelated
//!   article from the Courier (no alert).
//!
//! One version of the story per wave keeps the order of the alerts the same
//! on every run.
//!
//! Feeds answer conditional requests (ETag, Last-Modified → 304), article
//! pages carry navigation, cookie banners, share buttons, inline promos,
//! related links and reader comments, and item links carry `utm_*` tracking
//! parameters on two outlets. All content lives in `src/demo/content/` and
//! was written for storywatch; nothing is copied from real outlets.
//!
//! Intended flow of the command:
//!
//! ```text
//! let site = demo::serve().await?;
//! // config: a temporary store; one [[feed]] per site.feeds entry
//! //         (name, url) with a short interval, e.g. 3 s; desktop on,
//! //         min_relation = same_story
//! let notifier = Notifier::new(&config.notify).with_terminal(true);
//! site.release_waves_automatically(Duration::from_secs(5));
//! // run the daemon until Ctrl-C, or until site.waves_left() == 0 and
//! // one more poll cycle has passed
//! ```
//!
//! [`DemoSite::release_waves_automatically`] publishes the next wave once
//! every feed has been fetched since the last one, plus a pause for the
//! reader; [`DemoSite::release_next_wave`] does it by hand (tests).

mod catalogue;
mod feeds;
mod pages;
mod site;

use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use anyhow::Context;
use tokio::task::JoinHandle;

use site::Site;

/// How often the automatic release checks whether every feed was fetched.
const POLL_CHECK: Duration = Duration::from_millis(200);

/// One outlet's feed, to put in a `[[feed]]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoFeed {
    /// The outlet's name, for `[[feed]] name`.
    pub name: String,
    pub url: String,
    /// "RSS 2.0", "Atom" or "JSON Feed".
    pub format: &'static str,
}

/// The running demo site. Dropping it stops the server.
pub struct DemoSite {
    /// Every outlet's feed.
    pub feeds: Vec<DemoFeed>,
    base_url: String,
    site: Arc<Site>,
    server: JoinHandle<()>,
    releaser: Mutex<Option<JoinHandle<()>>>,
}

/// Starts the demo site on 127.0.0.1 with wave 0 published.
pub async fn serve() -> anyhow::Result<DemoSite> {
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0))
        .await
        .context("the demo site could not listen on 127.0.0.1")?;
    let address = listener
        .local_addr()
        .context("the demo site's listening address is unknown")?;
    let base_url = format!("http://{address}");
    let site = Arc::new(Site::new(base_url.clone()));
    let app = site::router(site.clone());
    let server = tokio::spawn(async move {
        if let Err(error) = axum::serve(listener, app).await {
            tracing::error!("the demo site stopped: {error}");
        }
    });
    let feeds = catalogue::OUTLETS
        .iter()
        .map(|outlet| DemoFeed {
            name: outlet.name.to_owned(),
            url: site.feed_url(outlet),
            format: outlet.format.name(),
        })
        .collect();
    Ok(DemoSite {
        feeds,
        base_url,
        site,
        server,
        releaser: Mutex::new(None),
    })
}

impl DemoSite {
    /// `http://127.0.0.1:PORT`; the front page there lists every feed and
    /// published article.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// Publishes the next wave of articles. Returns its number (1, 2, …),
    /// or `None` when every wave is already out.
    pub fn release_next_wave(&self) -> Option<usize> {
        self.site.release_next()
    }

    /// Waves not yet published.
    pub fn waves_left(&self) -> usize {
        self.site.waves_left()
    }

    /// From now on, publishes the next wave once every feed has been
    /// fetched since the previous one and `pause` has passed, until all are
    /// out. Replaces an earlier call's schedule. Needs a tokio runtime.
    pub fn release_waves_automatically(&self, pause: Duration) {
        let site = self.site.clone();
        let releaser = tokio::spawn(async move {
            while site.waves_left() > 0 {
                while !site.every_feed_polled() {
                    tokio::time::sleep(POLL_CHECK).await;
                }
                tokio::time::sleep(pause).await;
                site.release_next();
            }
        });
        let mut slot = self.releaser.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(previous) = slot.replace(releaser) {
            previous.abort();
        }
    }
}

impl Drop for DemoSite {
    fn drop(&mut self) {
        self.server.abort();
        let releaser = self
            .releaser
            .get_mut()
            .unwrap_or_else(PoisonError::into_inner);
        if let Some(releaser) = releaser.take() {
            releaser.abort();
        }
    }
}
