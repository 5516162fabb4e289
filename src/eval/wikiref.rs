//! `storywatch eval wikiref DIR`: the 220 WikiRef articles ingested in file
//! name order into a temporary store, the stories scored against the topics
//! in the file names.
//!
//! Printed: pairwise precision (of the article pairs put in one story, the
//! share that have one topic), pairwise recall (of the same-topic pairs, the
//! share put in one story), the number of stories, the stories that mix
//! topics (the target is none) and the merges that mixed them.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::time::Instant;

use anyhow::bail;
use serde::Serialize;

use super::seeds::{file_name, text_file_article, text_files};
use crate::config::MatchConfig;
use crate::daemon::ingest::Ingestor;
use crate::store::{ArticleId, Store, StoryId};

#[derive(Debug, Serialize)]
struct MixedStory {
    story: StoryId,
    /// Topic → articles of it in the story.
    topics: BTreeMap<String, usize>,
}

#[derive(Debug, Serialize)]
struct Report {
    articles: usize,
    topics: usize,
    stories: usize,
    singleton_stories: usize,
    same_story_pairs: u64,
    same_story_same_topic_pairs: u64,
    same_topic_pairs: u64,
    pairwise_precision: f64,
    pairwise_recall: f64,
    cross_topic_stories: Vec<MixedStory>,
    /// Merges whose story now mixes topics.
    cross_topic_merges: usize,
    merges: usize,
    ingest_seconds: f64,
}

/// The topic in a WikiRef file name: `ParisAttacks2015 (12).txt` and
/// `premier.league.126.txt` belong to `ParisAttacks2015` and `premier.league`.
pub fn topic(name: &str) -> String {
    let stem = name.strip_suffix(".txt").unwrap_or(name);
    if let Some((topic, _)) = stem.split_once(" (") {
        return topic.to_owned();
    }
    match stem.rsplit_once('.') {
        Some((topic, number)) if !number.is_empty() && number.bytes().all(|b| b.is_ascii_digit()) => {
            topic.to_owned()
        }
        _ => stem.to_owned(),
    }
}

pub fn run(dir: &Path, json: bool) -> anyhow::Result<()> {
    let files = text_files(dir)?;
    if files.is_empty() {
        bail!("{}: no .txt files", dir.display());
    }
    let mut ingestor = Ingestor::new(Store::temporary()?, MatchConfig::default())?;
    let started = Instant::now();
    let mut topics: BTreeMap<ArticleId, String> = BTreeMap::new();
    for path in &files {
        let outcome = ingestor.add(text_file_article(path)?)?;
        topics.insert(outcome.id, topic(&file_name(path)));
    }
    ingestor.commit()?;
    let ingest_seconds = started.elapsed().as_secs_f64();

    let store = ingestor.store();
    let mut stories: BTreeMap<StoryId, Vec<&str>> = BTreeMap::new();
    for (id, topic) in &topics {
        let story = store.story_of(*id)?.unwrap_or_default();
        stories.entry(story).or_default().push(topic);
    }
    let mut topic_sizes: BTreeMap<&str, u64> = BTreeMap::new();
    for topic in topics.values() {
        *topic_sizes.entry(topic).or_default() += 1;
    }
    let pairs = |n: u64| n * n.saturating_sub(1) / 2;
    let mut same_story_pairs = 0;
    let mut same_story_same_topic_pairs = 0;
    let mut cross_topic_stories = Vec::new();
    for (story, members) in &stories {
        same_story_pairs += pairs(members.len() as u64);
        let mut counts: BTreeMap<String, usize> = BTreeMap::new();
        for topic in members {
            *counts.entry((*topic).to_owned()).or_default() += 1;
        }
        same_story_same_topic_pairs += counts.values().map(|&n| pairs(n as u64)).sum::<u64>();
        if counts.len() > 1 {
            cross_topic_stories.push(MixedStory {
                story: *story,
                topics: counts,
            });
        }
    }
    let same_topic_pairs: u64 = topic_sizes.values().map(|&n| pairs(n)).sum();
    let merges = store.merges()?;
    let mixed: BTreeSet<StoryId> = cross_topic_stories.iter().map(|m| m.story).collect();
    let mut cross_topic_merges = 0;
    for merge in &merges {
        let now_in = store.story(merge.into)?.map_or(merge.into, |story| story.id);
        cross_topic_merges += usize::from(mixed.contains(&now_in));
    }
    let report = Report {
        articles: topics.len(),
        topics: topic_sizes.len(),
        stories: stories.len(),
        singleton_stories: stories.values().filter(|m| m.len() == 1).count(),
        same_story_pairs,
        same_story_same_topic_pairs,
        same_topic_pairs,
        pairwise_precision: ratio(same_story_same_topic_pairs, same_story_pairs),
        pairwise_recall: ratio(same_story_same_topic_pairs, same_topic_pairs),
        cross_topic_stories,
        cross_topic_merges,
        merges: merges.len(),
        ingest_seconds,
    };
    if json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        print_report(&report);
    }
    Ok(())
}

fn ratio(part: u64, whole: u64) -> f64 {
    if whole == 0 {
        1.0
    } else {
        part as f64 / whole as f64
    }
}

fn print_report(r: &Report) {
    println!("articles: {} in {} topics", r.articles, r.topics);
    println!("stories: {} ({} of one article)", r.stories, r.singleton_stories);
    println!(
        "pairwise precision: {:.4} ({} of {} same-story pairs share a topic)",
        r.pairwise_precision, r.same_story_same_topic_pairs, r.same_story_pairs
    );
    println!(
        "pairwise recall:    {:.4} ({} of {} same-topic pairs in one story)",
        r.pairwise_recall, r.same_story_same_topic_pairs, r.same_topic_pairs
    );
    println!(
        "cross-topic stories: {}   merges: {} ({} across topics)",
        r.cross_topic_stories.len(),
        r.merges,
        r.cross_topic_merges
    );
    for mixed in &r.cross_topic_stories {
        println!("  story {}: {:?}", mixed.story, mixed.topics);
    }
    println!("ingest time: {:.2} s", r.ingest_seconds);
}

#[cfg(test)]
mod tests {
    use super::topic;

    #[test]
    fn topics_come_from_both_naming_schemes() {
        assert_eq!(topic("ParisAttacks2015 (12).txt"), "ParisAttacks2015");
        assert_eq!(topic("premier.league.126.txt"), "premier.league");
        assert_eq!(topic("samsung.galaxy.s5.4.txt"), "samsung.galaxy.s5");
        assert_eq!(topic("NBA.draft.2.txt"), "NBA.draft");
    }
}
