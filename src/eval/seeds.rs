//! `storywatch eval seeds DIR [--with-noise DIR]`: the five seed reports of
//! one story, ingested in file order into a temporary store.
//!
//! Printed: the ten pairwise comparisons, whether every pair is linked,
//! whether the five form one story, each expected relation right or wrong,
//! and (with noise) how many unrelated articles joined the seed story.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context};
use serde::Serialize;

use crate::config::MatchConfig;
use crate::daemon::ingest::{Ingestor, NewArticle};
use crate::matcher::Relation;
use crate::store::{ArticleId, Store};

/// The relations the seeds are known to have: (newer, earlier, relation).
pub const EXPECTED: [(&str, &str, Relation); 4] = [
    ("000", "001", Relation::Rewrite),
    ("002", "001", Relation::Copy),
    ("004", "003", Relation::Rewrite),
    ("003", "001", Relation::SameStory),
];

#[derive(Debug, Serialize)]
struct Pair {
    a: String,
    b: String,
    score: f64,
    relation: Relation,
    linked: bool,
}

#[derive(Debug, Serialize)]
struct Expectation {
    pair: String,
    expected: Relation,
    found: Relation,
    right: bool,
}

#[derive(Debug, Serialize)]
struct Report {
    seeds: Vec<String>,
    pairs: Vec<Pair>,
    pairs_linked: usize,
    all_pairs_linked: bool,
    one_story: bool,
    stories: Vec<u64>,
    relations: Vec<Expectation>,
    relations_right: usize,
    noise_articles: usize,
    noise_in_seed_story: Vec<String>,
}

/// Runs the evaluation on the seed files in `dir`, with the text files in
/// `noise_dir` (if given) ingested around them.
pub fn run(
    dir: &Path,
    noise_dir: Option<&Path>,
    config: &MatchConfig,
    json: bool,
) -> anyhow::Result<()> {
    let seeds = seed_files(dir)?;
    let noise = match noise_dir {
        Some(noise_dir) => text_files(noise_dir)?,
        None => Vec::new(),
    };
    let mut ingestor = Ingestor::new(Store::temporary()?, config.clone())?;
    // Half the noise before the seeds and half after, so a noise article
    // can wrongly attract a seed and a seed can wrongly attract noise.
    let (before, after): (Vec<_>, Vec<_>) = noise.iter().enumerate().partition(|(i, _)| i % 2 == 0);
    let mut noise_ids = Vec::new();
    for (_, path) in before {
        noise_ids.push((file_name(path), ingestor.add(text_file_article(path)?)?.id));
    }
    let mut seed_ids: Vec<(String, ArticleId)> = Vec::new();
    for path in &seeds {
        seed_ids.push((file_name(path), ingestor.add(text_file_article(path)?)?.id));
    }
    for (_, path) in after {
        noise_ids.push((file_name(path), ingestor.add(text_file_article(path)?)?.id));
    }
    ingestor.commit()?;

    let mut pairs = Vec::new();
    let mut by_prefix: BTreeMap<(String, String), Relation> = BTreeMap::new();
    for (i, (a_name, a)) in seed_ids.iter().enumerate() {
        for (b_name, b) in &seed_ids[i + 1..] {
            let comparison = ingestor
                .explain(*a, *b)?
                .with_context(|| format!("seed {a_name} or {b_name} missing from the store"))?;
            let linked = comparison.is_match(config.story_threshold);
            by_prefix.insert((prefix(a_name), prefix(b_name)), comparison.relation);
            pairs.push(Pair {
                a: a_name.clone(),
                b: b_name.clone(),
                score: comparison.score,
                relation: comparison.relation,
                linked,
            });
        }
    }
    let relations: Vec<Expectation> = EXPECTED
        .iter()
        .filter_map(|(newer, earlier, expected)| {
            let found = by_prefix
                .get(&(newer.to_string(), earlier.to_string()))
                .or_else(|| by_prefix.get(&(earlier.to_string(), newer.to_string())))?;
            Some(Expectation {
                pair: format!("{newer} → {earlier}"),
                expected: *expected,
                found: *found,
                right: found == expected,
            })
        })
        .collect();

    let store = ingestor.store();
    let mut stories = Vec::new();
    for (_, id) in &seed_ids {
        stories.push(store.story_of(*id)?.unwrap_or_default());
    }
    let seed_story = stories.first().copied();
    stories.sort_unstable();
    stories.dedup();
    let mut noise_in_seed_story = Vec::new();
    for (name, id) in &noise_ids {
        if store.story_of(*id)?.is_some_and(|s| Some(s) == seed_story) {
            noise_in_seed_story.push(name.clone());
        }
    }
    let pairs_linked = pairs.iter().filter(|p| p.linked).count();
    let report = Report {
        seeds: seed_ids.iter().map(|(n, _)| n.clone()).collect(),
        all_pairs_linked: pairs_linked == pairs.len(),
        pairs_linked,
        pairs,
        one_story: stories.len() == 1,
        stories,
        relations_right: relations.iter().filter(|r| r.right).count(),
        relations,
        noise_articles: noise_ids.len(),
        noise_in_seed_story,
    };
    if json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        print_report(&report, noise_dir.is_some());
    }
    Ok(())
}

fn print_report(report: &Report, with_noise: bool) {
    println!("pairwise comparisons ({} seeds):", report.seeds.len());
    for p in &report.pairs {
        println!(
            "  {} – {}  score {:.3}  {:<10}  {}",
            prefix(&p.a),
            prefix(&p.b),
            p.score,
            p.relation.as_str(),
            if p.linked { "linked" } else { "NOT linked" }
        );
    }
    println!(
        "pairs linked: {}/{}",
        report.pairs_linked,
        report.pairs.len()
    );
    println!(
        "one story: {} (stories {:?})",
        if report.one_story { "yes" } else { "NO" },
        report.stories
    );
    println!("relations:");
    for r in &report.relations {
        println!(
            "  {}: expected {}, found {}  {}",
            r.pair,
            r.expected,
            r.found,
            if r.right { "right" } else { "WRONG" }
        );
    }
    println!(
        "relations right: {}/{}",
        report.relations_right,
        report.relations.len()
    );
    if with_noise {
        println!(
            "noise: {} articles, {} in the seed story {:?}",
            report.noise_articles,
            report.noise_in_seed_story.len(),
            report.noise_in_seed_story
        );
    }
}

/// The seed files: names starting with three digits and `_`, in name order.
fn seed_files(dir: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let files: Vec<PathBuf> = text_files(dir)?
        .into_iter()
        .filter(|p| {
            let name = file_name(p);
            name.len() > 4 && name[..3].bytes().all(|b| b.is_ascii_digit()) && &name[3..4] == "_"
        })
        .collect();
    if files.is_empty() {
        bail!("{}: no seed files (NNN_*.txt) found", dir.display());
    }
    Ok(files)
}

/// The `.txt` files of `dir`, in name order.
pub fn text_files(dir: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let entries = std::fs::read_dir(dir)
        .with_context(|| format!("cannot read directory {}", dir.display()))?;
    let mut files = Vec::new();
    for entry in entries {
        let path = entry
            .with_context(|| format!("cannot read directory {}", dir.display()))?
            .path();
        if path.extension().is_some_and(|e| e == "txt") && path.is_file() {
            files.push(path);
        }
    }
    files.sort();
    Ok(files)
}

/// A plain-text article file: its first non-empty line is the title (a line
/// of dashes after it is dropped), its encoding sniffed. No date.
pub fn text_file_article(path: &Path) -> anyhow::Result<NewArticle> {
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    let (title, body) = crate::extract::plain_text_article(&bytes);
    Ok(NewArticle {
        url: None,
        title,
        source: file_name(path),
        text: body,
        ..NewArticle::default()
    })
}

pub fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn prefix(name: &str) -> String {
    name.chars().take(3).collect()
}
