//! Ingest and online clustering against a real sled store: the seed story,
//! unrelated articles, merges, the time window, duplicates and recovery.

mod support;

use std::path::PathBuf;

use chrono::{DateTime, TimeZone, Utc};
use storywatch::config::MatchConfig;
use storywatch::daemon::ingest::{Ingestor, NewArticle};
use storywatch::eval::seeds::{text_file_article, text_files, EXPECTED};
use storywatch::matcher::Relation;
use storywatch::store::Store;
use support::shared_data as shared;

/// Invented reports for these tests; each pair of them is about a different
/// event.
const PIER: &str = "The harbour authority of Quillport closed the north pier on Tuesday after \
    divers found cracks in three of its oak pilings. Harbourmaster Edda Varnholt said repairs \
    would take six weeks and cost 240,000 crowns. Ferries to Skarn Island will dock at the south \
    quay until the work is finished, and the fish market moves to the old rope works.";
const CHOIR: &str = "The Brannock Valley youth choir took first place at the regional festival in \
    Ostermere on Saturday, singing four pieces by the composer Lute Harrowgate. Conductor Mirela \
    Osk said the 38 singers had rehearsed twice a week since January. The prize of 5,000 crowns \
    will pay for a tour of the northern provinces in the autumn.";
const ORCHARD: &str = "Frost on the night of 14 April destroyed most of the apple blossom in the \
    Tellwick orchards, growers said on Monday. Agronomist Pell Drummore estimated that the \
    harvest would fall by 70 percent, the worst since 1987. The growers' cooperative will ask \
    the provincial council for emergency loans at its meeting in Dunhallow next week.";

fn day(y: i32, m: u32, d: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, 8, 0, 0).unwrap()
}

fn article(title: &str, text: &str, published: DateTime<Utc>) -> NewArticle {
    NewArticle {
        title: title.into(),
        source: "test".into(),
        text: text.into(),
        published: Some(published),
        ..NewArticle::default()
    }
}

fn ingestor() -> Ingestor {
    Ingestor::new(Store::temporary().unwrap(), MatchConfig::default()).unwrap()
}

#[test]
fn the_seeds_form_one_story_with_the_right_relations() {
    let Some(dir) = shared("seeds") else { return };
    let mut ingestor = ingestor();
    let mut ids = Vec::new();
    for path in text_files(&dir).unwrap() {
        let name = path.file_name().unwrap().to_string_lossy()[..3].to_owned();
        let outcome = ingestor.add(text_file_article(&path).unwrap()).unwrap();
        ids.push((name, outcome.id));
    }
    ingestor.commit().unwrap();
    let store = ingestor.store();
    let story = store.story_of(ids[0].1).unwrap().unwrap();
    for (name, id) in &ids {
        assert_eq!(
            store.story_of(*id).unwrap(),
            Some(story),
            "seed {name} is not in the story"
        );
    }
    let id = |name: &str| ids.iter().find(|(n, _)| n == name).unwrap().1;
    for (newer, earlier, expected) in EXPECTED {
        let comparison = ingestor.explain(id(newer), id(earlier)).unwrap().unwrap();
        assert_eq!(
            comparison.relation, expected,
            "{newer} → {earlier}: {comparison:?}"
        );
    }
    let story = store.story(story).unwrap().unwrap();
    assert_eq!(story.members.len(), 5);
    assert_eq!(
        story.members[0].matched, None,
        "the founder matches nothing"
    );
    assert!(story.members[1..]
        .iter()
        .all(|m| m.matched.is_some() && m.relation != Relation::Unrelated));
}

#[test]
fn unrelated_articles_stay_in_separate_stories() {
    let mut ingestor = ingestor();
    let when = day(2024, 5, 2);
    let stories: Vec<u64> = [("Pier", PIER), ("Choir", CHOIR), ("Orchard", ORCHARD)]
        .into_iter()
        .map(|(title, text)| ingestor.ingest(article(title, text, when)).unwrap())
        .inspect(|outcome| assert_eq!(outcome.relation, Relation::Unrelated))
        .map(|outcome| outcome.story)
        .collect();
    assert_eq!(stories.len(), 3);
    assert!(stories[0] != stories[1] && stories[1] != stories[2] && stories[0] != stories[2]);
}

#[test]
fn no_wikiref_article_joins_the_seed_story() {
    let (Some(seeds), Some(noise)) = (shared("seeds"), shared("eval/matching/wikiref/WikiRef220"))
    else {
        return;
    };
    let read = |files: &[PathBuf]| -> Vec<NewArticle> {
        files
            .iter()
            .map(|p| text_file_article(p).unwrap())
            .collect()
    };
    let noise = text_files(&noise).unwrap();
    let (before, after) = noise.split_at(noise.len() / 2);
    let mut ingestor = ingestor();
    let mut noise_ids: Vec<u64> = Vec::new();
    noise_ids.extend(
        ingestor
            .ingest_batch(read(before))
            .unwrap()
            .iter()
            .map(|o| o.id),
    );
    let seeds = ingestor
        .ingest_batch(read(&text_files(&seeds).unwrap()))
        .unwrap();
    noise_ids.extend(
        ingestor
            .ingest_batch(read(after))
            .unwrap()
            .iter()
            .map(|o| o.id),
    );

    let store = ingestor.store();
    let story = store.story_of(seeds[0].id).unwrap().unwrap();
    let members: Vec<u64> = store
        .story(story)
        .unwrap()
        .unwrap()
        .members
        .iter()
        .map(|m| m.article)
        .collect();
    let mut seed_ids: Vec<u64> = seeds.iter().map(|o| o.id).collect();
    seed_ids.sort_unstable();
    let intruders: Vec<&u64> = noise_ids.iter().filter(|id| members.contains(id)).collect();
    assert!(
        intruders.is_empty(),
        "WikiRef articles {intruders:?} joined the seed story"
    );
    assert_eq!(
        members, seed_ids,
        "the seed story holds exactly the five seeds"
    );
}

#[test]
fn an_article_linking_two_stories_merges_them_into_the_older() {
    // The two copies are ten days apart, outside each other's 7-day
    // window, so they start two stories; a third copy dated between them
    // is within reach of both.
    let mut ingestor = ingestor();
    let early = ingestor
        .ingest(article("Pier", PIER, day(2024, 5, 1)))
        .unwrap();
    let late = ingestor
        .ingest(article(
            "Pier",
            &format!("{PIER} Updated."),
            day(2024, 5, 11),
        ))
        .unwrap();
    assert_ne!(early.story, late.story);
    // Following the later story follows what it merges into.
    let store = ingestor.store().clone();
    assert_eq!(store.follow(late.story).unwrap(), Some(late.story));
    let between = ingestor
        .ingest(article(
            "Pier",
            &format!("{PIER} More soon."),
            day(2024, 5, 6),
        ))
        .unwrap();
    assert_eq!(between.story, early.story, "the older story keeps its id");
    assert_eq!(between.merged, vec![late.story]);
    let store = ingestor.store();
    assert_eq!(store.story_of(late.id).unwrap(), Some(early.story));
    let merges = store.merges().unwrap();
    assert_eq!(merges.len(), 1);
    assert_eq!(
        (merges[0].absorbed, merges[0].into, merges[0].article),
        (late.story, early.story, between.id)
    );
    let story = store.story(late.story).unwrap().unwrap();
    assert_eq!(
        story.id, early.story,
        "a merged-away id leads to the surviving story"
    );
    assert_eq!(story.merged_from, vec![late.story]);
    assert_eq!(story.first, early.id);
    assert_eq!(story.members.len(), 3);
    assert!(store.is_followed(&story).unwrap());
    assert_eq!(store.follow(late.story).unwrap(), Some(early.story));
    assert_eq!(store.unfollow(early.story).unwrap(), Some(true));
    assert!(!store.is_followed(&story).unwrap(), "both follows are gone");
    assert_eq!(store.unfollow(early.story).unwrap(), Some(false));
    assert_eq!(store.follow(999).unwrap(), None);
}

#[test]
fn the_window_keeps_old_articles_out_of_the_candidates() {
    let mut ingestor = ingestor();
    let old = ingestor
        .ingest(article("Pier", PIER, day(2024, 1, 2)))
        .unwrap();
    let later = article("Pier", &format!("{PIER} Updated."), day(2024, 3, 2));
    assert!(
        ingestor.matches(&later).unwrap().is_empty(),
        "60 days apart, outside a 7-day window"
    );
    let near = article("Pier", &format!("{PIER} Updated."), day(2024, 1, 5));
    let matches = ingestor.matches(&near).unwrap();
    assert_eq!(matches.first().map(|m| m.article), Some(old.id));
    let outcome = ingestor.ingest(later).unwrap();
    assert_ne!(outcome.story, old.story);
}

#[test]
fn an_undated_article_is_compared_with_its_peers() {
    let mut ingestor = ingestor();
    let first = ingestor
        .ingest(NewArticle {
            published: None,
            ..article("Pier", PIER, day(2024, 1, 1))
        })
        .unwrap();
    let copy = ingestor
        .ingest(NewArticle {
            published: None,
            ..article("Pier", &format!("{PIER} More soon."), day(2024, 1, 1))
        })
        .unwrap();
    assert_eq!(copy.story, first.story);
    assert_eq!(copy.relation, Relation::Copy);
}

#[test]
fn the_same_url_is_stored_once() {
    let mut ingestor = ingestor();
    let with_url = NewArticle {
        url: Some("https://news.example/pier".into()),
        ..article("Pier", PIER, day(2024, 5, 2))
    };
    let first = ingestor.ingest(with_url.clone()).unwrap();
    let again = ingestor.ingest(with_url).unwrap();
    assert!(again.duplicate && !first.duplicate);
    assert_eq!((again.id, again.story), (first.id, first.story));
    assert_eq!(ingestor.store().article_count(), 1);
    assert_eq!(
        ingestor
            .store()
            .article_id_by_url("https://news.example/pier")
            .unwrap(),
        Some(first.id)
    );
}

#[test]
fn articles_not_committed_before_a_crash_are_indexed_on_reopen() {
    let dir = tempfile::tempdir().unwrap();
    let first = {
        let mut ingestor =
            Ingestor::new(Store::open(dir.path()).unwrap(), MatchConfig::default()).unwrap();
        // Added but never committed: the postings exist only in memory.
        let first = ingestor
            .add(article("Pier", PIER, day(2024, 5, 2)))
            .unwrap();
        ingestor.store().flush().unwrap();
        first
    };
    let mut ingestor =
        Ingestor::new(support::reopen(dir.path()).unwrap(), MatchConfig::default()).unwrap();
    let copy = ingestor
        .ingest(article(
            "Pier",
            &format!("{PIER} More soon."),
            day(2024, 5, 2),
        ))
        .unwrap();
    assert_eq!(copy.matched, Some(first.id));
    assert_eq!(copy.story, first.story);
}

#[test]
fn stories_are_listed_newest_first_with_single_articles_left_out_on_request() {
    let mut ingestor = ingestor();
    let when = day(2024, 5, 2);
    let pier = ingestor.ingest(article("Pier", PIER, when)).unwrap().story;
    let choir = ingestor
        .ingest(article("Choir", CHOIR, when))
        .unwrap()
        .story;
    let reprinted = format!("From our partners. {PIER}");
    let copy = ingestor
        .ingest(article("Quillport pier shut", &reprinted, day(2024, 5, 3)))
        .unwrap();
    assert_eq!(copy.story, pier);
    ingestor.commit().unwrap();
    let store = ingestor.store();
    let ids = |min_members| -> Vec<u64> {
        store
            .stories_newest_first(min_members)
            .map(|story| story.unwrap().id)
            .collect()
    };
    assert_eq!(ids(1), vec![choir, pier]);
    assert_eq!(ids(2), vec![pier]);
    let listed = store.stories_newest_first(2).next().unwrap().unwrap();
    assert_eq!(listed.members.len(), 2);
}
