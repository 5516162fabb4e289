//! Checks serde cannot express: value ranges, URLs, selectors, headers and
//! duplicates. Each problem names the table and key it is about.

use std::collections::HashMap;
use std::time::Duration;

use super::{CommandSpec, Config, FeedConfig};

/// One problem found in a parsed config.
#[derive(Debug)]
pub struct Problem {
    pub table: String,
    pub key: String,
    pub message: String,
}

fn problem(table: &str, key: &str, message: impl Into<String>) -> Problem {
    Problem {
        table: table.to_owned(),
        key: key.to_owned(),
        message: message.into(),
    }
}

pub fn validate(config: &Config) -> Result<(), Problem> {
    validate_fetch(config)?;
    validate_match(config)?;
    validate_notify(config)?;
    let mut seen_urls: HashMap<&str, usize> = HashMap::new();
    let mut seen_names: HashMap<String, usize> = HashMap::new();
    for (index, feed) in config.feeds.iter().enumerate() {
        let number = index + 1;
        let table = format!("feed[{number}]");
        validate_feed(&table, feed)?;
        if let Some(first) = seen_urls.insert(feed.url.as_str(), number) {
            return Err(problem(
                &table,
                "url",
                format!("feed URL {} is already used by feed {first}", feed.url),
            ));
        }
        // Only names given in the file must differ: a feed without one is
        // named at load time by a name no other feed has.
        let Some(name) = &feed.name else { continue };
        if let Some(first) = seen_names.insert(name.clone(), number) {
            return Err(problem(
                &table,
                "name",
                format!(
                    "feed name \"{name}\" is already used by feed {first}; names must be unique"
                ),
            ));
        }
    }
    Ok(())
}

fn validate_fetch(config: &Config) -> Result<(), Problem> {
    let fetch = &config.fetch;
    let positive = [
        ("concurrency", fetch.concurrency),
        ("per_host_concurrency", fetch.per_host_concurrency),
    ];
    for (key, value) in positive {
        if value == 0 {
            return Err(problem(
                "fetch",
                key,
                "expected a whole number of at least 1, found 0",
            ));
        }
    }
    if fetch.per_host_concurrency > fetch.concurrency {
        return Err(problem(
            "fetch",
            "per_host_concurrency",
            format!(
                "per_host_concurrency ({}) cannot exceed concurrency ({})",
                fetch.per_host_concurrency, fetch.concurrency
            ),
        ));
    }
    if fetch.max_body_bytes < 1024 {
        return Err(problem(
            "fetch",
            "max_body_bytes",
            format!(
                "expected at least 1024 bytes, found {}",
                fetch.max_body_bytes
            ),
        ));
    }
    let durations = [
        ("connect_timeout", fetch.connect_timeout),
        ("timeout", fetch.timeout),
        ("default_interval", fetch.default_interval),
        ("max_interval", fetch.max_interval),
        ("max_backoff", fetch.max_backoff),
    ];
    for (key, value) in durations {
        non_zero("fetch", key, value)?;
    }
    if fetch.max_interval < fetch.default_interval {
        return Err(problem(
            "fetch",
            "max_interval",
            "max_interval must not be shorter than default_interval",
        ));
    }
    if fetch.user_agent.trim().is_empty() {
        return Err(problem(
            "fetch",
            "user_agent",
            "expected a non-empty User-Agent",
        ));
    }
    Ok(())
}

fn validate_match(config: &Config) -> Result<(), Problem> {
    let matching = &config.matching;
    if matching.window_days == 0 {
        return Err(problem(
            "match",
            "window_days",
            "expected at least 1 day, found 0",
        ));
    }
    zero_to_one(
        "match",
        "story_threshold",
        "a score",
        matching.story_threshold,
    )?;
    zero_to_one("match", "merge_margin", "a margin", matching.merge_margin)
}

fn validate_notify(config: &Config) -> Result<(), Problem> {
    non_zero("notify", "command_timeout", config.notify.command_timeout)?;
    if config
        .notify
        .open_with
        .first()
        .is_none_or(|p| p.trim().is_empty())
    {
        return Err(problem(
            "notify",
            "open_with",
            "expected a program, such as [\"xdg-open\"]",
        ));
    }
    match &config.notify.command {
        Some(CommandSpec::WithArgs(argv)) if argv.is_empty() => Err(problem(
            "notify",
            "command",
            "expected a program path, found an empty list",
        )),
        Some(spec) if spec.argv().first().is_some_and(|p| p.trim().is_empty()) => Err(problem(
            "notify",
            "command",
            "expected a program path, found an empty string",
        )),
        _ => Ok(()),
    }
}

/// Parses a CSS selector as extraction will, saying what is wrong with it
/// in a sentence. scraper's own message for most mistakes is "Unexpected
/// error occurred. Please report this to the developer" and a debug dump.
pub fn check_selector(selector: &str) -> Result<(), String> {
    use scraper::error::SelectorErrorKind;
    let Err(error) = scraper::Selector::parse(selector) else {
        return Ok(());
    };
    let reason = match error {
        SelectorErrorKind::UnexpectedSelectorParseError(kind) => {
            sentence_from_variant(&format!("{kind:?}"))
        }
        other => other.to_string().to_lowercase(),
    };
    Err(format!(
        "\"{selector}\" is not a valid CSS selector: {reason}"
    ))
}

/// "NoQualifiedNameInAttributeSelector" -> "no qualified name in attribute
/// selector"; a variant's fields (in parentheses) are left out.
fn sentence_from_variant(debug: &str) -> String {
    let name = debug.split(['(', ' ', '{']).next().unwrap_or(debug);
    let mut sentence = String::with_capacity(name.len() + 8);
    for c in name.chars() {
        if c.is_uppercase() && !sentence.is_empty() {
            sentence.push(' ');
        }
        sentence.extend(c.to_lowercase());
    }
    sentence
}

pub(super) fn validate_feed(table: &str, feed: &FeedConfig) -> Result<(), Problem> {
    match url::Url::parse(&feed.url) {
        Ok(url) if matches!(url.scheme(), "http" | "https") && url.host_str().is_some() => {}
        Ok(url) => {
            return Err(problem(
                table,
                "url",
                format!("expected an http or https URL, found {}", url),
            ))
        }
        Err(e) => {
            return Err(problem(
                table,
                "url",
                format!("\"{}\" is not a valid URL: {e}", feed.url),
            ))
        }
    }
    if let Some(interval) = feed.interval {
        non_zero(table, "interval", interval)?;
    }
    if let Some(selector) = &feed.selector {
        if let Err(e) = check_selector(selector) {
            return Err(problem(table, "selector", e));
        }
    }
    if feed.name.as_deref().is_some_and(|n| n.trim().is_empty()) {
        return Err(problem(table, "name", "expected a non-empty name"));
    }
    for (name, value) in &feed.headers {
        if reqwest::header::HeaderName::from_bytes(name.as_bytes()).is_err() {
            return Err(problem(
                &format!("{table}.headers"),
                name,
                format!("\"{name}\" is not a valid HTTP header name"),
            ));
        }
        if reqwest::header::HeaderValue::from_str(value).is_err() {
            return Err(problem(
                &format!("{table}.headers"),
                name,
                format!("the value of header \"{name}\" is not a valid HTTP header value"),
            ));
        }
    }
    Ok(())
}

/// `what` ("a score") must lie between 0 and 1.
fn zero_to_one(table: &str, key: &str, what: &str, value: f64) -> Result<(), Problem> {
    if !(0.0..=1.0).contains(&value) {
        return Err(problem(
            table,
            key,
            format!("expected {what} between 0 and 1, found {value}"),
        ));
    }
    Ok(())
}

fn non_zero(table: &str, key: &str, value: Duration) -> Result<(), Problem> {
    if value.is_zero() {
        return Err(problem(
            table,
            key,
            "expected a duration longer than zero, such as \"15m\"",
        ));
    }
    Ok(())
}
