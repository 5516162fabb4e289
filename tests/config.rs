//! Bad configs are refused with the file, line, column, key and what was expected.

use std::path::Path;
use std::process::Command;

use storywatch::config::{parse, ConfigError};

const FILE: &str = "/etc/storywatch/config.toml";

fn error_of(toml: &str) -> String {
    match parse(toml, Path::new(FILE)) {
        Ok(_) => panic!("config was accepted:\n{toml}"),
        Err(error) => error.to_string(),
    }
}

fn location_of(toml: &str) -> (usize, usize, String) {
    match parse(toml, Path::new(FILE)) {
        Err(ConfigError::Invalid { at, .. }) => (at.line, at.column, at.key),
        other => panic!("expected an Invalid error, got {other:?}"),
    }
}

const FEED: &str = "[[feed]]\nurl = \"https://a.example/feed.xml\"\n";

#[test]
fn syntax_error_names_line_and_column() {
    let error = error_of("[fetch]\ntimeout = \"5s\n");
    assert!(
        error.starts_with(&format!("{FILE}:2:")),
        "no line in: {error}"
    );
    assert!(error.contains("key `fetch.timeout`"), "{error}");
}

#[test]
fn unknown_key_in_a_table_is_an_error_not_silence() {
    let toml = format!("[fetch]\ntimeout = \"5s\"\ntimout = \"9s\"\n\n{FEED}");
    assert_eq!(location_of(&toml), (3, 1, "fetch.timout".to_owned()));
    let error = error_of(&toml);
    assert!(
        error.starts_with(&format!(
            "{FILE}:3:1: key `fetch.timout`: unknown key `timout`, expected one of"
        )),
        "{error}"
    );
}

#[test]
fn unknown_key_in_a_feed_names_the_feed_by_number() {
    let toml = format!("{FEED}\n[[feed]]\nurl = \"https://b.example/rss\"\nintreval = \"5m\"\n");
    let (line, _, key) = location_of(&toml);
    assert_eq!((line, key.as_str()), (6, "feed[2].intreval"));
    assert!(error_of(&toml).contains("unknown key `intreval`"));
}

#[test]
fn unknown_table_is_an_error() {
    let toml = format!("{FEED}\n[notfiy]\ndesktop = false\n");
    let error = error_of(&toml);
    assert!(error.contains("unknown key `notfiy`"), "{error}");
    assert!(error.starts_with(&format!("{FILE}:4:")), "{error}");
}

#[test]
fn wrong_type_says_what_was_expected() {
    let toml = format!("[fetch]\nconcurrency = \"lots\"\n\n{FEED}");
    let error = error_of(&toml);
    assert!(error.starts_with(&format!("{FILE}:2:")), "{error}");
    assert!(error.contains("key `fetch.concurrency`"), "{error}");
    assert!(
        error.contains("invalid type: string \"lots\", expected usize"),
        "{error}"
    );
}

#[test]
fn unreadable_duration_is_refused() {
    let toml = format!("{FEED}interval = \"5 parsecs\"\n");
    let error = error_of(&toml);
    assert!(error.starts_with(&format!("{FILE}:3:")), "{error}");
    assert!(error.contains("key `feed[1].interval`"), "{error}");
    assert!(
        error.ends_with("invalid value: string \"5 parsecs\", expected a duration such as \"30s\", \"15m\", \"2h\" or \"1day\""),
        "{error}"
    );
}

#[test]
fn zero_interval_is_refused() {
    let toml = format!("{FEED}interval = \"0s\"\n");
    assert_eq!(
        error_of(&toml),
        format!("{FILE}:3:1: key `feed[1].interval`: expected a duration longer than zero, such as \"15m\"")
    );
}

#[test]
fn feed_url_must_be_http() {
    let toml = "[[feed]]\nname = \"Wire\"\nurl = \"ftp://wire.example/feed\"\n";
    assert_eq!(
        error_of(toml),
        format!("{FILE}:3:1: key `feed[1].url`: expected an http or https URL, found ftp://wire.example/feed")
    );
}

#[test]
fn feed_url_must_parse() {
    let toml = "[[feed]]\nurl = \"not a url\"\n";
    assert_eq!(
        error_of(toml),
        format!("{FILE}:2:1: key `feed[1].url`: \"not a url\" is not a valid URL: relative URL without a base")
    );
}

#[test]
fn missing_feed_url_is_named() {
    let toml = "[[feed]]\nname = \"Nameless\"\n";
    let error = error_of(toml);
    assert!(error.contains("missing key `url`"), "{error}");
    assert!(error.contains("feed[1]"), "{error}");
}

#[test]
fn invalid_css_selector_is_refused() {
    let toml = format!("{FEED}selector = \"div..body\"\n");
    let error = error_of(&toml);
    assert!(
        error.starts_with(&format!(
            "{FILE}:3:1: key `feed[1].selector`: \"div..body\" is not a valid CSS selector"
        )),
        "{error}"
    );
    let toml = format!("{FEED}selector = \"div[[[\"\n");
    let error = error_of(&toml);
    assert!(
        error.ends_with(
            "\"div[[[\" is not a valid CSS selector: no qualified name in attribute selector"
        ),
        "{error}"
    );
    assert!(!error.contains("report this"), "{error}");
}

#[test]
fn invalid_skip_pattern_names_its_line() {
    let toml = format!("{FEED}skip = [\"^Live:\", \"(sport\"]\n");
    let (line, _, key) = location_of(&toml);
    assert_eq!((line, key.as_str()), (3, "feed[1].skip"));
    let error = error_of(&toml);
    assert!(
        error.contains("\"(sport\" is not a valid regular expression: unclosed group"),
        "{error}"
    );
}

#[test]
fn duplicate_feed_urls_are_refused() {
    let toml = format!("{FEED}\n{FEED}");
    assert_eq!(
        error_of(&toml),
        format!("{FILE}:5:1: key `feed[2].url`: feed URL https://a.example/feed.xml is already used by feed 1")
    );
}

#[test]
fn duplicate_feed_names_are_refused() {
    let toml = "[[feed]]\nname = \"Wire\"\nurl = \"https://a.example/1\"\n[[feed]]\nname = \"Wire\"\nurl = \"https://a.example/2\"\n";
    assert_eq!(
        error_of(toml),
        format!("{FILE}:5:1: key `feed[2].name`: feed name \"Wire\" is already used by feed 1; names must be unique")
    );
}

#[test]
fn unnamed_feeds_of_one_site_get_names_of_their_own() {
    let toml = "[[feed]]\nurl = \"https://gazette.example/news/rss\"\n\
        [[feed]]\nurl = \"https://gazette.example/sport/rss\"\n\
        [[feed]]\nname = \"gazette.example/culture/rss\"\nurl = \"https://wire.example/x\"\n\
        [[feed]]\nurl = \"https://gazette.example/culture/rss/\"\n";
    let config = parse(toml, Path::new(FILE)).expect("valid config");
    let names: Vec<String> = config.feeds.iter().map(|f| f.display_name()).collect();
    assert_eq!(
        names,
        [
            "gazette.example",
            "gazette.example/sport/rss",
            "gazette.example/culture/rss",
            "https://gazette.example/culture/rss/"
        ]
    );
}

#[test]
fn threshold_out_of_range_is_refused() {
    let toml = format!("{FEED}\n[match]\nstory_threshold = 1.5\n");
    assert_eq!(
        error_of(&toml),
        format!(
            "{FILE}:5:1: key `match.story_threshold`: expected a score between 0 and 1, found 1.5"
        )
    );
    let toml = format!("{FEED}\n[match]\nstory_threshold = 0.6\nmerge_margin = -0.2\n");
    assert_eq!(
        error_of(&toml),
        format!(
            "{FILE}:6:1: key `match.merge_margin`: expected a margin between 0 and 1, found -0.2"
        )
    );
}

#[test]
fn unknown_alert_level_lists_the_choices() {
    let toml = format!("{FEED}\n[notify]\nmin_relation = \"everything\"\n");
    let error = error_of(&toml);
    assert!(error.starts_with(&format!("{FILE}:5:")), "{error}");
    assert!(error.contains("key `notify.min_relation`"), "{error}");
    assert!(
        error.contains(
            "unknown value `everything`, expected one of `copy`, `rewrite`, `same_story`"
        ),
        "{error}"
    );
}

#[test]
fn empty_command_is_refused() {
    let toml = format!("{FEED}\n[notify]\ncommand = []\n");
    assert_eq!(
        error_of(&toml),
        format!("{FILE}:5:1: key `notify.command`: expected a program path, found an empty list")
    );
}

#[test]
fn zero_concurrency_is_refused() {
    let toml = format!("[fetch]\nper_host_concurrency = 0\n\n{FEED}");
    assert_eq!(
        error_of(&toml),
        format!("{FILE}:2:1: key `fetch.per_host_concurrency`: expected a whole number of at least 1, found 0")
    );
}

#[test]
fn invalid_header_name_is_refused() {
    let toml = format!("{FEED}headers = {{ \"Bad Header\" = \"x\" }}\n");
    assert_eq!(
        error_of(&toml),
        format!("{FILE}:3:1: key `feed[1].headers.Bad Header`: \"Bad Header\" is not a valid HTTP header name")
    );
}

#[test]
fn a_good_config_parses_with_defaults() {
    let toml = "[[feed]]\nurl = \"https://a.example/feed.xml\"\ninterval = \"5m\"\ntags = [\"x\"]\n\n[notify]\ncommand = [\"/bin/true\", \"--flag\"]\n";
    let config = parse(toml, Path::new(FILE)).expect("valid");
    assert_eq!(
        config.feeds[0].interval,
        Some(std::time::Duration::from_secs(300))
    );
    assert_eq!(config.feeds[0].display_name(), "a.example");
    assert_eq!(config.matching.window_days, 7);
    assert_eq!(
        config.notify.command.map(|c| c.argv()),
        Some(vec!["/bin/true".to_owned(), "--flag".to_owned()])
    );
}

#[test]
fn the_binary_refuses_a_bad_config_with_exit_code_2_before_starting() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("bad.toml");
    std::fs::write(&path, "[fetch]\ntimeout = 30\n").expect("write config");
    let output = Command::new(env!("CARGO_BIN_EXE_storywatch"))
        .args(["--config", path.to_str().expect("utf-8 path"), "run"])
        .output()
        .expect("run storywatch");
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains(&format!("{}:2:", path.display())),
        "{stderr}"
    );
    assert!(stderr.contains("key `fetch.timeout`"), "{stderr}");
    assert!(!dir.path().join("store").exists());
}

#[test]
fn a_missing_config_file_is_named() {
    let output = Command::new(env!("CARGO_BIN_EXE_storywatch"))
        .args(["--config", "/nonexistent/storywatch.toml", "check"])
        .output()
        .expect("run storywatch");
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("cannot read config file /nonexistent/storywatch.toml"),
        "{stderr}"
    );
}
