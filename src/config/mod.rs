//! Configuration: the TOML file an editor writes, parsed strictly.
//!
//! [`load`] finds the file (see [`locate`]), parses it with every unknown key
//! refused, then checks the values that serde cannot (URLs, selectors,
//! thresholds, duplicate feeds), then adds the feeds of `[[opml]]` lists
//! ([`opml`]). Every error names the file, line, column and key, so a typo
//! never turns into a silently ignored setting.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Duration;

use serde::Deserialize;

mod error;
mod load;
pub mod opml;
mod outline;
mod validate;

pub use error::{ConfigError, Location};
pub use load::{load, locate, parse, ConfigSource, BUNDLED_DEFAULT};
pub use validate::check_selector;

/// The whole configuration file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    #[serde(default)]
    pub store: StoreConfig,
    #[serde(default)]
    pub fetch: FetchConfig,
    /// The `[[feed]]` tables, then the feeds of each `[[opml]]` list not
    /// already among them.
    #[serde(default, rename = "feed")]
    pub feeds: Vec<FeedConfig>,
    #[serde(default)]
    pub opml: Vec<OpmlConfig>,
    #[serde(default, rename = "match")]
    pub matching: MatchConfig,
    #[serde(default)]
    pub notify: NotifyConfig,
}

/// `[store]`: where the sled database lives.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StoreConfig {
    /// Directory of the database. `None` means the platform default
    /// (`$STATE_DIRECTORY` under systemd, else `$XDG_DATA_HOME/storywatch`).
    pub path: Option<PathBuf>,
}

impl StoreConfig {
    /// The database directory: the configured path, else `$STATE_DIRECTORY`
    /// (set by systemd's `StateDirectory=`), else `$XDG_DATA_HOME/storywatch`,
    /// else `~/.local/share/storywatch`, else `./storywatch-data`.
    pub fn resolved_path(&self) -> PathBuf {
        if let Some(path) = &self.path {
            return path.clone();
        }
        let env_dir = |name: &str| std::env::var_os(name).filter(|v| !v.is_empty());
        if let Some(state) = env_dir("STATE_DIRECTORY") {
            // systemd passes a colon-separated list when several are configured.
            let first = state.to_string_lossy().split(':').next().map(PathBuf::from);
            if let Some(first) = first {
                return first;
            }
        }
        if let Some(data_home) = env_dir("XDG_DATA_HOME") {
            return PathBuf::from(data_home).join("storywatch");
        }
        match env_dir("HOME") {
            Some(home) => PathBuf::from(home).join(".local/share/storywatch"),
            None => PathBuf::from("storywatch-data"),
        }
    }
}

/// Which requests a `Retry-After` from a 429 or 503 applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RetryAfterScope {
    /// Only the feed that was told to wait.
    #[default]
    Feed,
    /// Every feed and page on the same host.
    Host,
}

/// `[fetch]`: how storywatch talks to publishers' servers.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct FetchConfig {
    /// Sent on every request unless a feed sets its own.
    pub user_agent: String,
    #[serde(with = "humantime_serde")]
    pub connect_timeout: Duration,
    /// Whole-request limit, from connecting to the last body byte.
    #[serde(with = "humantime_serde")]
    pub timeout: Duration,
    /// Largest body accepted, counted after decompression.
    pub max_body_bytes: u64,
    /// Requests in flight at once, over all hosts.
    pub concurrency: usize,
    /// Requests in flight at once to one host.
    pub per_host_concurrency: usize,
    pub max_redirects: usize,
    /// Poll interval for feeds that do not set their own.
    #[serde(with = "humantime_serde")]
    pub default_interval: Duration,
    /// No feed waits longer than this between polls, whatever the server asks.
    #[serde(with = "humantime_serde")]
    pub max_interval: Duration,
    /// Longest wait after repeated failures.
    #[serde(with = "humantime_serde")]
    pub max_backoff: Duration,
    pub retry_after_scope: RetryAfterScope,
    /// Fetch each new entry's web page (off: use the feed's own text only).
    pub fetch_pages: bool,
}

impl Default for FetchConfig {
    fn default() -> Self {
        FetchConfig {
            user_agent: default_user_agent(),
            connect_timeout: Duration::from_secs(10),
            timeout: Duration::from_secs(30),
            max_body_bytes: 10 * 1024 * 1024,
            concurrency: 16,
            per_host_concurrency: 2,
            max_redirects: 5,
            default_interval: Duration::from_secs(15 * 60),
            max_interval: Duration::from_secs(24 * 60 * 60),
            max_backoff: Duration::from_secs(6 * 60 * 60),
            retry_after_scope: RetryAfterScope::Feed,
            fetch_pages: true,
        }
    }
}

/// The User-Agent storywatch sends unless told otherwise.
pub fn default_user_agent() -> String {
    format!(
        "storywatch/{} (+{})",
        env!("CARGO_PKG_VERSION"),
        env!("CARGO_PKG_REPOSITORY")
    )
}

/// One `[[feed]]` table.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FeedConfig {
    pub url: String,
    /// Shown in alerts and `storywatch feeds`; defaults to the URL's host.
    pub name: Option<String>,
    #[serde(default, with = "humantime_serde")]
    pub interval: Option<Duration>,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default = "yes")]
    pub enabled: bool,
    /// CSS selector for the article body on this site.
    pub selector: Option<String>,
    pub user_agent: Option<String>,
    /// Extra request headers for this feed and its pages.
    #[serde(default)]
    pub headers: BTreeMap<String, String>,
    /// Entries whose title or link matches any of these are passed over
    /// (live blogs, podcasts, sponsored posts).
    #[serde(default)]
    pub skip: Vec<Pattern>,
    /// When set, only entries whose title or link matches one of these are
    /// taken.
    #[serde(default)]
    pub keep: Vec<Pattern>,
    /// The feed publishes the editor's own newsroom's reporting: its
    /// articles copied, rewritten or followed up elsewhere are what
    /// `[notify] scope = "ours"` alerts about.
    #[serde(default)]
    pub ours: bool,
}

/// A regular expression written in the config, compiled as the file is
/// read, so a bad one is reported with its line.
#[derive(Debug, Clone)]
pub struct Pattern(pub regex::Regex);

impl<'de> Deserialize<'de> for Pattern {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        regex::Regex::new(&text).map(Pattern).map_err(|e| {
            // The regex crate draws a caret diagram over several lines;
            // its last line says what is wrong.
            let error = e.to_string();
            let reason = error
                .lines()
                .rev()
                .find(|l| !l.trim().is_empty())
                .unwrap_or("");
            serde::de::Error::custom(format!(
                "\"{text}\" is not a valid regular expression: {}",
                reason.trim().trim_start_matches("error: ")
            ))
        })
    }
}

impl FeedConfig {
    /// A feed at `url` with every other key at its config-file default.
    pub fn at(url: String) -> FeedConfig {
        FeedConfig {
            url,
            name: None,
            interval: None,
            tags: Vec::new(),
            enabled: yes(),
            selector: None,
            user_agent: None,
            headers: BTreeMap::new(),
            skip: Vec::new(),
            keep: Vec::new(),
            ours: false,
        }
    }

    /// The name alerts and listings use for this feed.
    pub fn display_name(&self) -> String {
        match &self.name {
            Some(name) => name.clone(),
            None => url::Url::parse(&self.url)
                .ok()
                .and_then(|u| u.host_str().map(str::to_owned))
                .unwrap_or_else(|| self.url.clone()),
        }
    }
}

/// `[[opml]]`: a subscription list exported by another reader. Each of its
/// feeds is watched as if it had a `[[feed]]` table of its own; a
/// `[[feed]]` with the same URL wins (it can set a selector or headers).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OpmlConfig {
    /// The OPML file; a relative path is relative to the config file.
    pub path: PathBuf,
    /// Poll interval for these feeds; defaults to fetch.default_interval.
    #[serde(default, with = "humantime_serde")]
    pub interval: Option<Duration>,
    /// Tags for every feed of the list, after the names of its folders.
    #[serde(default)]
    pub tags: Vec<String>,
}

fn yes() -> bool {
    true
}

/// `[match]`: when two articles count as one story, and how far back to look.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct MatchConfig {
    /// Only articles published within this many days of each other are compared.
    pub window_days: u32,
    /// Least score for an article to join a story by a same-story link
    /// (0..1); copies and rewrites join whatever their score.
    pub story_threshold: f64,
    /// How far above `story_threshold` a same-story match must score to
    /// merge two existing stories (copies and rewrites always merge).
    pub merge_margin: f64,
}

impl Default for MatchConfig {
    fn default() -> Self {
        MatchConfig {
            window_days: 7,
            // Stricter than the matcher's pairwise same-story line (0.5):
            // online clustering chains links, so one weak link between
            // neighbouring topics would merge them. On WikiRef dev data,
            // 0.5 gives pairwise precision 0.961, 0.6 gives 0.978, 0.65
            // gives 0.979 and 0.67 gives 1.000 (`storywatch eval wikiref`).
            story_threshold: 0.67,
            // A merge joins two groups the clustering had kept apart, so
            // it asks for a clearer match than joining one story does.
            merge_margin: 0.1,
        }
    }
}

/// The least relation that raises an alert.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AlertLevel {
    /// Only copies.
    Copy,
    /// Copies and rewrites.
    Rewrite,
    /// Any article that joins a story.
    #[default]
    SameStory,
}

/// Which stories raise alerts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AlertScope {
    /// Every story another article joins.
    #[default]
    All,
    /// Stories that hold an article from a feed marked `ours`, and stories
    /// followed with `storywatch follow`, when another outlet's article
    /// joins them.
    Ours,
}

/// A program to run for each alert, without a shell.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(untagged)]
pub enum CommandSpec {
    Program(String),
    WithArgs(Vec<String>),
}

impl CommandSpec {
    /// Program and arguments.
    pub fn argv(&self) -> Vec<String> {
        match self {
            CommandSpec::Program(p) => vec![p.clone()],
            CommandSpec::WithArgs(v) => v.clone(),
        }
    }
}

/// `[notify]`: where alerts go.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct NotifyConfig {
    pub desktop: bool,
    pub min_relation: AlertLevel,
    pub scope: AlertScope,
    pub command: Option<CommandSpec>,
    /// How long the alert command may run before it is killed.
    #[serde(with = "humantime_serde")]
    pub command_timeout: Duration,
    /// The program a desktop notification's "Open" action runs; the
    /// article's URL is appended as its last argument.
    pub open_with: Vec<String>,
}

impl Default for NotifyConfig {
    fn default() -> Self {
        NotifyConfig {
            desktop: true,
            min_relation: AlertLevel::SameStory,
            scope: AlertScope::All,
            command: None,
            command_timeout: Duration::from_secs(30),
            open_with: vec!["xdg-open".to_owned()],
        }
    }
}
