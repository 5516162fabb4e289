//! OPML subscription lists: `[[opml]]` in the config watches another
//! reader's export, and `storywatch opml` writes the feeds back out.

use std::fs;
use std::path::Path;
use std::process::Command;
use std::time::Duration;

use storywatch::config::{load, opml};

const SUBSCRIPTIONS: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<opml version="2.0">
  <head><title>Exported from another reader</title></head>
  <body>
    <outline text="Local news" title="Local news">
      <outline type="rss" text="Gazette" title="Gazette" xmlUrl="https://gazette.example/rss"/>
      <outline type="rss" text="Herald" xmlUrl="https://herald.example/feed.xml"/>
      <outline text="Wires">
        <outline type="rss" text="Gazette" xmlUrl="https://wire.example/atom"/>
      </outline>
    </outline>
    <outline type="rss" text="Port Authority &amp; Harbour" xmlUrl="https://port.example/news.json"/>
  </body>
</opml>
"#;

fn write(dir: &Path, name: &str, text: &str) -> std::path::PathBuf {
    let path = dir.join(name);
    fs::write(&path, text).expect("write test file");
    path
}

#[test]
fn an_opml_list_adds_its_feeds_with_folders_as_tags() {
    let dir = tempfile::tempdir().expect("temp dir");
    write(dir.path(), "subscriptions.opml", SUBSCRIPTIONS);
    let config_path = write(
        dir.path(),
        "config.toml",
        r#"
[[feed]]
name = "Herald (full text)"
url = "https://herald.example/feed.xml"
selector = "article .body"

[[opml]]
path = "subscriptions.opml"
interval = "30m"
tags = ["imported"]
"#,
    );
    let (config, _) = load(Some(&config_path)).expect("config with OPML loads");
    let listed: Vec<(String, &str, Vec<&str>)> = config
        .feeds
        .iter()
        .map(|f| {
            (
                f.display_name(),
                f.url.as_str(),
                f.tags.iter().map(String::as_str).collect(),
            )
        })
        .collect();
    assert_eq!(
        listed,
        vec![
            // The [[feed]] keeps its own settings; the OPML copy is skipped.
            (
                "Herald (full text)".to_owned(),
                "https://herald.example/feed.xml",
                vec![]
            ),
            (
                "Gazette".to_owned(),
                "https://gazette.example/rss",
                vec!["Local news", "imported"]
            ),
            // A repeated title is told apart by its host.
            (
                "Gazette (wire.example)".to_owned(),
                "https://wire.example/atom",
                vec!["Local news", "Wires", "imported"]
            ),
            (
                "Port Authority & Harbour".to_owned(),
                "https://port.example/news.json",
                vec!["imported"]
            ),
        ]
    );
    assert_eq!(config.feeds[0].selector.as_deref(), Some("article .body"));
    assert!(config.feeds[1..]
        .iter()
        .all(|f| f.interval == Some(Duration::from_secs(30 * 60)) && f.enabled));
}

#[test]
fn a_bad_list_names_the_config_entry_and_the_opml_line() {
    let dir = tempfile::tempdir().expect("temp dir");
    let config_path = write(
        dir.path(),
        "config.toml",
        "[fetch]\ntimeout = \"20s\"\n\n[[opml]]\npath = \"subscriptions.opml\"\n",
    );
    let opml_path = dir.path().join("subscriptions.opml");
    let config = config_path.display();
    let list = opml_path.display();

    let error = load(Some(&config_path))
        .expect_err("missing list")
        .to_string();
    assert!(
        error.starts_with(&format!(
            "{config}:5:1: key `opml[1].path`: cannot read OPML file {list}"
        )),
        "{error}"
    );

    write(
        dir.path(),
        "subscriptions.opml",
        "<opml><body>\n<outline text=\"Old\" xmlUrl=\"gopher://old.example/feed\"/>\n</body></opml>\n",
    );
    let error = load(Some(&config_path)).expect_err("bad URL").to_string();
    assert_eq!(
        error,
        format!(
            "{config}:5:1: key `opml[1].path`: {list}:2: expected an http or https URL, \
             found gopher://old.example/feed"
        )
    );

    write(
        dir.path(),
        "subscriptions.opml",
        "<opml><body>\n<outline text=\"News\">\n</body></opml>\n",
    );
    let error = load(Some(&config_path))
        .expect_err("broken XML")
        .to_string();
    assert!(
        error.starts_with(&format!(
            "{config}:5:1: key `opml[1].path`: {list}:3: not well-formed XML"
        )),
        "{error}"
    );
}

#[test]
fn the_opml_command_writes_what_the_opml_reader_reads_back() {
    let dir = tempfile::tempdir().expect("temp dir");
    let config_path = write(
        dir.path(),
        "config.toml",
        r#"
[[feed]]
name = "Gazette <Evening> & Sons"
url = "https://gazette.example/rss?edition=evening&lang=en"
tags = ["local"]

[[feed]]
url = "https://wire.example/atom"
"#,
    );
    let output = Command::new(env!("CARGO_BIN_EXE_storywatch"))
        .arg("--config")
        .arg(&config_path)
        .arg("opml")
        .output()
        .expect("run storywatch opml");
    assert!(output.status.success(), "{output:?}");
    let text = String::from_utf8(output.stdout).expect("UTF-8 OPML");
    let feeds = opml::parse(&text).expect("our OPML parses");
    let read_back: Vec<(&str, Option<&str>, Vec<&str>)> = feeds
        .iter()
        .map(|f| {
            (
                f.url.as_str(),
                f.name.as_deref(),
                f.folders.iter().map(String::as_str).collect(),
            )
        })
        .collect();
    assert_eq!(
        read_back,
        vec![
            ("https://wire.example/atom", Some("wire.example"), vec![]),
            (
                "https://gazette.example/rss?edition=evening&lang=en",
                Some("Gazette <Evening> & Sons"),
                vec!["local"]
            ),
        ]
    );
}
