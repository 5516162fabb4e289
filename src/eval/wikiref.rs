//! `storywatch eval wikiref DIR`: the 220 WikiRef articles ingested in file
//! name order into a temporary store, the stories scored against the topics
//! in the file names.
//!
//! Printed: pairwise precision (of the article pairs put in one story, the
//! share that have one topic), pairwise recall (of the same-topic pairs, the
//! share put in one story), the number of stories, the stories that mix
//! topics (the target is none), the links and merges that mixed them, and
//! the candidate index's recall against comparing every pair.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::bail;
use serde::Serialize;

use super::seeds::{file_name, text_file_article, text_files};
use crate::config::MatchConfig;
use crate::daemon::ingest::Ingestor;
use crate::matcher::{self, Fingerprint, Relation};
use crate::store::{ArticleId, Store, StoryId};

#[derive(Debug, Serialize)]
struct MixedStory {
    story: StoryId,
    /// Topic → articles of it in the story.
    topics: BTreeMap<String, usize>,
}

#[derive(Debug, Serialize)]
struct CrossLink {
    article: String,
    matched: String,
    score: f64,
    relation: Relation,
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
    /// Articles whose best match was an article of another topic.
    cross_topic_links: Vec<CrossLink>,
    /// Merges that put topics together that were apart before.
    cross_topic_merges: usize,
    merges: usize,
    /// Pairs (article, earlier article) that comparing each article with
    /// every earlier one would link.
    exhaustive_links: usize,
    /// Share of those the candidate index offered for comparison (at most
    /// a fixed number of candidates are compared per article).
    index_recall: f64,
    /// Articles that comparing with every earlier one would link to some.
    articles_linked: usize,
    /// Share of those whose best exhaustive match the index offered.
    best_match_recall: f64,
    /// Ingest plus the exhaustive comparisons.
    seconds: f64,
}

/// The topic in a WikiRef file name: `ParisAttacks2015 (12).txt` and
/// `premier.league.126.txt` belong to `ParisAttacks2015` and `premier.league`.
pub fn topic(name: &str) -> String {
    let stem = name.strip_suffix(".txt").unwrap_or(name);
    if let Some((topic, _)) = stem.split_once(" (") {
        return topic.to_owned();
    }
    match stem.rsplit_once('.') {
        Some((topic, number))
            if !number.is_empty() && number.bytes().all(|b| b.is_ascii_digit()) =>
        {
            topic.to_owned()
        }
        _ => stem.to_owned(),
    }
}

/// Refuses a folder that is not WikiRef's: with fewer than two topics
/// every score would be a vacuous 1.0. The corpus unpacks into a folder
/// beside its readme, so a subfolder holding the articles is named.
fn check_topics(dir: &Path, files: &[PathBuf]) -> anyhow::Result<()> {
    let topics: BTreeSet<String> = files.iter().map(|path| topic(&file_name(path))).collect();
    if topics.len() >= 2 {
        return Ok(());
    }
    let subfolder = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.is_dir())
        .find(|path| text_files(path).is_ok_and(|files| !files.is_empty()));
    let hint = subfolder.map_or_else(String::new, |sub| {
        format!("; did you mean {}?", sub.display())
    });
    bail!(
        "{}: {} .txt file(s) in {} topic(s); WikiRef's articles are of several topics, \
         named like `ParisAttacks2015 (12).txt`{hint}",
        dir.display(),
        files.len(),
        topics.len()
    )
}

pub fn run(dir: &Path, config: &MatchConfig, json: bool) -> anyhow::Result<()> {
    let files = text_files(dir)?;
    check_topics(dir, &files)?;
    let mut ingestor = Ingestor::new(Store::temporary()?, config.clone())?;
    let started = Instant::now();
    let mut names: BTreeMap<ArticleId, String> = BTreeMap::new();
    // Stories as they grow, to judge each merge when it happens.
    let mut stories: BTreeMap<StoryId, Vec<ArticleId>> = BTreeMap::new();
    let mut cross_topic_links = Vec::new();
    let mut cross_topic_merges = 0;
    let mut merges = 0;
    let threshold = ingestor.config().story_threshold;
    let mut fingerprints: Vec<(ArticleId, Fingerprint)> = Vec::new();
    let (mut exhaustive_links, mut indexed_links) = (0usize, 0usize);
    let (mut articles_linked, mut best_offered) = (0usize, 0usize);
    for path in &files {
        let article = text_file_article(path)?;
        // What comparing with every stored article would link, against what
        // the candidate index offered.
        let fingerprint = article.fingerprint();
        let offered: BTreeSet<ArticleId> = ingestor
            .matches(&article)?
            .iter()
            .map(|m| m.article)
            .collect();
        let mut best: Option<(f64, ArticleId)> = None;
        for (id, other) in &fingerprints {
            let comparison = matcher::compare(&fingerprint, other, ingestor.stats());
            if comparison.is_match(threshold) {
                exhaustive_links += 1;
                indexed_links += usize::from(offered.contains(id));
                if best.is_none_or(|(score, _)| comparison.score > score) {
                    best = Some((comparison.score, *id));
                }
            }
        }
        if let Some((_, id)) = best {
            articles_linked += 1;
            best_offered += usize::from(offered.contains(&id));
        }
        let outcome = ingestor.add(article)?;
        fingerprints.push((outcome.id, fingerprint));
        names.insert(outcome.id, file_name(path));
        let topic_of = |id: &ArticleId| topic(&names[id]);
        if let Some(matched) = outcome.matched {
            if topic_of(&matched) != topic_of(&outcome.id) {
                cross_topic_links.push(CrossLink {
                    article: names[&outcome.id].clone(),
                    matched: names[&matched].clone(),
                    score: outcome.score,
                    relation: outcome.relation,
                });
            }
        }
        for absorbed in &outcome.merged {
            let moved = stories.remove(absorbed).unwrap_or_default();
            let kept = stories.entry(outcome.story).or_default();
            let kept_topics: BTreeSet<String> = kept.iter().map(topic_of).collect();
            let moved_topics: BTreeSet<String> = moved.iter().map(topic_of).collect();
            let together = kept_topics.union(&moved_topics).count();
            cross_topic_merges += usize::from(together > kept_topics.len().max(moved_topics.len()));
            merges += 1;
            kept.extend(moved);
        }
        stories.entry(outcome.story).or_default().push(outcome.id);
    }
    ingestor.commit()?;
    let seconds = started.elapsed().as_secs_f64();

    let pairs = |n: u64| n * n.saturating_sub(1) / 2;
    let mut topic_sizes: BTreeMap<String, u64> = BTreeMap::new();
    for name in names.values() {
        *topic_sizes.entry(topic(name)).or_default() += 1;
    }
    let mut same_story_pairs = 0;
    let mut same_story_same_topic_pairs = 0;
    let mut cross_topic_stories = Vec::new();
    for (story, members) in &stories {
        same_story_pairs += pairs(members.len() as u64);
        let mut counts: BTreeMap<String, usize> = BTreeMap::new();
        for id in members {
            *counts.entry(topic(&names[id])).or_default() += 1;
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
    let report = Report {
        articles: names.len(),
        topics: topic_sizes.len(),
        stories: stories.len(),
        singleton_stories: stories.values().filter(|m| m.len() == 1).count(),
        same_story_pairs,
        same_story_same_topic_pairs,
        same_topic_pairs,
        pairwise_precision: ratio(same_story_same_topic_pairs, same_story_pairs),
        pairwise_recall: ratio(same_story_same_topic_pairs, same_topic_pairs),
        cross_topic_stories,
        cross_topic_links,
        cross_topic_merges,
        merges,
        exhaustive_links,
        index_recall: ratio(indexed_links as u64, exhaustive_links as u64),
        articles_linked,
        best_match_recall: ratio(best_offered as u64, articles_linked as u64),
        seconds,
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
    println!(
        "stories: {} ({} of one article)",
        r.stories, r.singleton_stories
    );
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
    println!("cross-topic links: {}", r.cross_topic_links.len());
    for link in &r.cross_topic_links {
        println!(
            "  {} → {}  {:.3} {}",
            link.article, link.matched, link.score, link.relation
        );
    }
    println!(
        "candidate index recall: {:.4} of {} links found by comparing every pair; \
         best match offered for {:.4} of {} articles",
        r.index_recall, r.exhaustive_links, r.best_match_recall, r.articles_linked
    );
    println!("time: {:.2} s", r.seconds);
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
