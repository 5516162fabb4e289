//! The sled store on disk: locking, schema versions, and what survives a
//! reopen.

mod support;

use std::process::Command;

use chrono::{TimeZone, Utc};
use serde::{Deserialize, Serialize};
use storywatch::config::MatchConfig;
use storywatch::daemon::ingest::{Ingestor, NewArticle};
use storywatch::matcher::Relation;
use storywatch::store::{AlertRecord, SeenEntry, Store, StoreError, SCHEMA_VERSION};

fn article(title: &str, text: &str) -> NewArticle {
    NewArticle {
        title: title.into(),
        source: "test".into(),
        text: text.into(),
        published: Some(Utc.with_ymd_and_hms(2024, 5, 2, 9, 0, 0).unwrap()),
        ..NewArticle::default()
    }
}

#[test]
fn a_second_open_in_the_same_process_is_refused_naming_the_path() {
    let dir = tempfile::tempdir().unwrap();
    let _held = Store::open(dir.path()).unwrap();
    let err = Store::open(dir.path())
        .err()
        .expect("second open must fail");
    assert!(matches!(err, StoreError::Locked { .. }), "{err:?}");
    let message = err.to_string();
    assert!(
        message.contains(&dir.path().display().to_string()),
        "{message}"
    );
    assert!(
        message.contains("another storywatch is probably running"),
        "{message}"
    );
}

#[test]
fn a_second_process_gets_locked() {
    let dir = tempfile::tempdir().unwrap();
    let _held = Store::open(dir.path()).unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_storywatch"))
        .arg("--store")
        .arg(dir.path())
        .arg("articles")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    let expected = format!(
        "the store at {} is locked: another storywatch is probably running on it",
        dir.path().display()
    );
    assert!(
        stderr.contains(&expected),
        "the second process said: {stderr}"
    );
}

#[test]
fn a_newer_schema_is_refused_with_both_versions() {
    let dir = tempfile::tempdir().unwrap();
    {
        let store = Store::open(dir.path()).unwrap();
        let meta = store.tree("meta").unwrap();
        meta.insert("schema_version", &(SCHEMA_VERSION + 1).to_be_bytes())
            .unwrap();
        store.flush().unwrap();
    }
    let err = support::reopen(dir.path())
        .err()
        .expect("newer schema must be refused");
    let message = err.to_string();
    assert!(matches!(err, StoreError::NewerSchema { .. }), "{err:?}");
    assert!(
        message.contains(&format!("schema version {}", SCHEMA_VERSION + 1)),
        "{message}"
    );
    assert!(
        message.contains(&dir.path().display().to_string()),
        "{message}"
    );
}

/// Article records are stored compressed; a version 1 store's plain JSON
/// records still read, and opening it marks it version 2, so an older
/// storywatch refuses it instead of failing on compressed records.
#[test]
fn article_records_are_compressed_and_a_version_1_store_still_reads() {
    let dir = tempfile::tempdir().unwrap();
    let paragraph = "The harbour authority of Quillport closed the north pier on Tuesday \
                     after divers found cracks in three of its oak pilings. ";
    let record = {
        let store = Store::open(dir.path()).unwrap();
        let mut ingestor = Ingestor::new(store.clone(), MatchConfig::default()).unwrap();
        let id = ingestor
            .ingest(article("North pier closed", &paragraph.repeat(30)))
            .unwrap()
            .id;
        ingestor.flush().unwrap();
        let record = store.article(id).unwrap().expect("stored");
        let articles = store.tree("articles").unwrap();
        let stored = articles.get(id.to_be_bytes()).unwrap().expect("stored");
        let json = serde_json::to_vec(&record).unwrap();
        assert!(
            stored.len() * 3 < json.len(),
            "{} bytes stored for {} bytes of JSON",
            stored.len(),
            json.len()
        );
        // Write it back as version 1 did.
        articles.insert(id.to_be_bytes(), json).unwrap();
        let meta = store.tree("meta").unwrap();
        meta.insert("schema_version", &1u32.to_be_bytes()).unwrap();
        store.flush().unwrap();
        record
    };
    let store = support::reopen(dir.path()).unwrap();
    assert_eq!(store.article(record.id).unwrap(), Some(record.clone()));
    assert_eq!(store.articles(10).unwrap(), vec![record]);
    let version = store
        .tree("meta")
        .unwrap()
        .get("schema_version")
        .unwrap()
        .expect("version");
    assert_eq!(version.as_ref(), SCHEMA_VERSION.to_be_bytes());
    assert_eq!(SCHEMA_VERSION, 2);
}

#[derive(Debug, PartialEq, Serialize, Deserialize)]
struct FeedStateForTest {
    etag: Option<String>,
    failures: u32,
}

#[test]
fn reopen_keeps_ids_stories_alerts_seen_entries_and_feed_states() {
    let dir = tempfile::tempdir().unwrap();
    let text = "The harbour authority of Quillport closed the north pier on Tuesday after \
                divers found cracks in three of its oak pilings. Harbourmaster Edda Varnholt \
                said repairs would take six weeks and cost 240,000 crowns. Ferries to Skarn \
                Island will dock at the south quay until the work is finished.";
    let (first, story, alert) = {
        let store = Store::open(dir.path()).unwrap();
        let mut ingestor = Ingestor::new(store.clone(), MatchConfig::default()).unwrap();
        let first = ingestor.ingest(article("North pier closed", text)).unwrap();
        let alert = AlertRecord {
            article: first.id,
            story: first.story,
            relation: Relation::Copy,
            score: 0.9,
            matched: None,
            raised: Utc::now(),
        };
        store.record_alert(&alert).unwrap();
        let seen = SeenEntry {
            article: Some(first.id),
            seen: Utc.with_ymd_and_hms(2024, 5, 2, 10, 0, 0).unwrap(),
        };
        store
            .mark_seen("https://feeds.example/a.xml", "guid-1", seen)
            .unwrap();
        let state = FeedStateForTest {
            etag: Some("\"abc\"".into()),
            failures: 2,
        };
        store
            .put_feed_state("https://feeds.example/a.xml", &state)
            .unwrap();
        ingestor.flush().unwrap();
        (first.id, first.story, alert)
    };
    let store = support::reopen(dir.path()).unwrap();
    assert!(store.has_alert(first).unwrap());
    assert_eq!(store.alerts(10).unwrap(), vec![alert]);
    let seen = store
        .seen_entry("https://feeds.example/a.xml", "guid-1")
        .unwrap();
    assert_eq!(seen.map(|s| s.article), Some(Some(first)));
    assert_eq!(
        store
            .seen_entry("https://feeds.example/a.xml", "guid-2")
            .unwrap(),
        None
    );
    let states: Vec<(String, FeedStateForTest)> = store.feed_states().unwrap();
    assert_eq!(states.len(), 1);
    assert_eq!(states[0].1.failures, 2);
    assert_eq!(store.story(story).unwrap().map(|s| s.first), Some(first));

    let mut ingestor = Ingestor::new(store.clone(), MatchConfig::default()).unwrap();
    let copy = ingestor
        .ingest(article(
            "North pier closed",
            &format!("{text} Reporting by staff."),
        ))
        .unwrap();
    assert!(
        copy.id > first,
        "article ids keep increasing after a reopen"
    );
    assert_eq!(
        copy.story, story,
        "the copy joins the story stored before the reopen"
    );
    assert_eq!(copy.matched, Some(first));
    let unrelated = ingestor
        .ingest(article(
            "Choir wins regional prize",
            "The Brannock Valley youth choir took first place at the regional festival in \
             Ostermere on Saturday, singing four pieces by the composer Lute Harrowgate.",
        ))
        .unwrap();
    assert!(
        unrelated.story > story,
        "story ids keep increasing after a reopen"
    );
    let articles = store.articles(10).unwrap();
    assert_eq!(
        articles.first().map(|a| a.id),
        Some(unrelated.id),
        "newest first"
    );
    assert_eq!(
        store.article(first).unwrap().map(|a| a.title),
        Some("North pier closed".into())
    );
}
