use std::collections::HashSet;
use std::path::{Path, PathBuf};

use super::error::Location;
use super::opml;
use super::outline::Outline;
use super::validate::{validate, validate_feed};
use super::{Config, ConfigError, FeedConfig};

/// The default configuration shipped inside the binary.
pub const BUNDLED_DEFAULT: &str = include_str!("../../config/storywatch.toml");

/// Where the configuration came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConfigSource {
    File(PathBuf),
    Bundled,
}

impl ConfigSource {
    /// The name errors and `check` use for the file.
    pub fn display_path(&self) -> PathBuf {
        match self {
            ConfigSource::File(path) => path.clone(),
            ConfigSource::Bundled => PathBuf::from("<bundled config/storywatch.toml>"),
        }
    }
}

/// Finds the config file: `--config`, then `$STORYWATCH_CONFIG`, then
/// `$XDG_CONFIG_HOME/storywatch/config.toml` (or `~/.config/...`) if it
/// exists, then the bundled default.
pub fn locate(explicit: Option<&Path>) -> ConfigSource {
    if let Some(path) = explicit {
        return ConfigSource::File(path.to_owned());
    }
    if let Some(path) = std::env::var_os("STORYWATCH_CONFIG").filter(|p| !p.is_empty()) {
        return ConfigSource::File(PathBuf::from(path));
    }
    let config_home = std::env::var_os("XDG_CONFIG_HOME")
        .filter(|p| !p.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".config")));
    if let Some(user_file) = config_home.map(|dir| dir.join("storywatch").join("config.toml")) {
        if user_file.is_file() {
            return ConfigSource::File(user_file);
        }
    }
    ConfigSource::Bundled
}

/// Locates, reads, parses and validates the configuration.
pub fn load(explicit: Option<&Path>) -> Result<(Config, ConfigSource), ConfigError> {
    let source = locate(explicit);
    let config = match &source {
        ConfigSource::Bundled => parse(BUNDLED_DEFAULT, &source.display_path())?,
        ConfigSource::File(path) => {
            let text = std::fs::read_to_string(path).map_err(|e| ConfigError::Read {
                path: path.clone(),
                source: e,
            })?;
            let mut config = parse(&text, path)?;
            // Relative paths mean "next to the config file", not "wherever
            // the daemon happens to be started from".
            if let Some(dir) = path.parent() {
                if let Some(store) = config.store.path.as_mut().filter(|p| p.is_relative()) {
                    *store = dir.join(&*store);
                }
                for list in config.opml.iter_mut().filter(|l| l.path.is_relative()) {
                    list.path = dir.join(&list.path);
                }
            }
            add_opml_feeds(&mut config, &text, path)?;
            config
        }
    };
    Ok((config, source))
}

/// Appends the feeds of every `[[opml]]` list that no `[[feed]]` (or
/// earlier list) already names. A bad list or outline is an error naming
/// the `[[opml]]` entry and the OPML file's line.
fn add_opml_feeds(config: &mut Config, text: &str, file: &Path) -> Result<(), ConfigError> {
    let outline = Outline::of(text);
    let mut urls: HashSet<String> = config.feeds.iter().map(|f| f.url.clone()).collect();
    let mut names: HashSet<String> = config.feeds.iter().map(FeedConfig::display_name).collect();
    for (index, list) in config.opml.clone().iter().enumerate() {
        let table = format!("opml[{}]", index + 1);
        let (line, column) = outline.position_of(&table, "path").unwrap_or((1, 1));
        let at = Location {
            file: file.to_owned(),
            line,
            column,
            key: super::outline::join(&table, "path"),
        };
        let entries = opml::read(&list.path).map_err(|e| ConfigError::Invalid {
            at: at.clone(),
            message: e.to_string(),
        })?;
        for entry in entries {
            if urls.contains(&entry.url) {
                continue;
            }
            let mut tags = entry.folders;
            tags.extend(list.tags.iter().cloned());
            let mut feed = FeedConfig {
                interval: list.interval,
                tags,
                ..FeedConfig::at(entry.url)
            };
            validate_feed(&table, &feed).map_err(|problem| ConfigError::Invalid {
                at: at.clone(),
                message: format!(
                    "{}:{}: {}",
                    list.path.display(),
                    entry.line,
                    problem.message
                ),
            })?;
            let name = unique_name(entry.name, &feed, &names);
            names.insert(name.clone());
            urls.insert(feed.url.clone());
            feed.name = Some(name);
            config.feeds.push(feed);
        }
    }
    Ok(())
}

/// Feed names must be unique, and OPML titles often repeat ("News"): a
/// repeated title gets the feed's host added, and then its URL (which is
/// unique: feeds with a URL already configured are skipped).
fn unique_name(title: Option<String>, feed: &FeedConfig, taken: &HashSet<String>) -> String {
    let host = feed.display_name();
    let candidates = match title {
        Some(title) => vec![
            title.clone(),
            format!("{title} ({host})"),
            format!("{title} ({})", feed.url),
        ],
        None => vec![host],
    };
    first_free(candidates, feed, taken)
}

/// The first of `candidates` no feed has taken, else the feed's URL
/// (URLs are unique).
fn first_free(
    candidates: impl IntoIterator<Item = String>,
    feed: &FeedConfig,
    taken: &HashSet<String>,
) -> String {
    candidates
        .into_iter()
        .find(|name| !taken.contains(name))
        .unwrap_or_else(|| feed.url.clone())
}

/// Parses and validates config text; `file` is only used in error messages.
pub fn parse(text: &str, file: &Path) -> Result<Config, ConfigError> {
    let outline = Outline::of(text);
    let mut config: Config = toml::from_str(text).map_err(|e| {
        let (line, column) = e
            .span()
            .map(|span| line_and_column(text, span.start))
            .unwrap_or((1, 1));
        let key = outline
            .path_at(line)
            .or_else(|| outline.table_at(line).map(str::to_owned))
            .unwrap_or_default();
        ConfigError::Invalid {
            at: Location {
                file: file.to_owned(),
                line,
                column,
                key,
            },
            message: tidy_toml_message(e.message()),
        }
    })?;
    validate(&config).map_err(|problem| {
        let (line, column) = outline
            .position_of(&problem.table, &problem.key)
            .unwrap_or((1, 1));
        ConfigError::Invalid {
            at: Location {
                file: file.to_owned(),
                line,
                column,
                key: super::outline::join(&problem.table, &problem.key),
            },
            message: problem.message,
        }
    })?;
    name_unnamed_feeds(&mut config);
    Ok(config)
}

/// Gives each `[[feed]]` without a `name` its host as one, or, when that
/// is taken (two feeds of one site: its news and its sport), its host and
/// path, and last its URL (URLs are unique).
fn name_unnamed_feeds(config: &mut Config) {
    let mut taken: HashSet<String> = config.feeds.iter().filter_map(|f| f.name.clone()).collect();
    for feed in config.feeds.iter_mut().filter(|f| f.name.is_none()) {
        let host_and_path = url::Url::parse(&feed.url).ok().map(|url| {
            let path = url.path().trim_end_matches('/');
            format!("{}{path}", url.host_str().unwrap_or_default())
        });
        let candidates = [Some(feed.display_name()), host_and_path];
        let name = first_free(candidates.into_iter().flatten(), feed, &taken);
        taken.insert(name.clone());
        feed.name = Some(name);
    }
}

fn line_and_column(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before
        .rfind('\n')
        .map_or(before.len(), |nl| before.len() - nl - 1)
        + 1;
    (line, column)
}

/// serde's wording speaks of "fields" and "variants"; a config file has keys and values.
fn tidy_toml_message(message: &str) -> String {
    message
        .trim()
        .replace("unknown field", "unknown key")
        .replace("unknown variant", "unknown value")
        .replace("missing field", "missing key")
        .replace(
            "expected a duration",
            "expected a duration such as \"30s\", \"15m\", \"2h\" or \"1day\"",
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundled_default_is_valid() {
        let config = parse(BUNDLED_DEFAULT, Path::new("bundled")).expect("bundled config parses");
        assert!(!config.feeds.is_empty());
    }

    #[test]
    fn line_and_column_count_from_one() {
        assert_eq!(line_and_column("ab\ncd", 4), (2, 2));
        assert_eq!(line_and_column("ab", 0), (1, 1));
    }
}
