//! `storywatch eval semeval FILE`: the matcher against SemEval-2022 Task 8
//! (multilingual news article similarity).
//!
//! Every text of the file is fingerprinted and counted for document
//! frequencies first, as the store would have counted them, then each pair is
//! compared. Reported: the Pearson correlation of the score with the negated
//! `Overall` rating (1 = same story .. 4 = unrelated) per language pair and
//! over all pairs, and precision, recall and F1 of the same-story decision
//! (`relation != unrelated`) with `Overall` ≤ 2 positive and ≥ 3 negative.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{bail, Context};
use serde::Serialize;

use crate::matcher::{self, ArticleText, Comparison, CountedStats, Fingerprint, Relation};

/// One rated pair of the file.
#[derive(Debug, Clone)]
pub struct Pair {
    pub id: String,
    pub lang1: String,
    pub lang2: String,
    pub text1: String,
    pub text2: String,
    /// 1 (same story) .. 4 (unrelated).
    pub overall: f64,
}

impl Pair {
    /// "en-en", "de-en", ...
    pub fn languages(&self) -> String {
        format!("{}-{}", self.lang1, self.lang2)
    }
}

/// Reads the pairs of a SemEval CSV file (columns `pair_id`, `lang1`,
/// `lang2`, `text1`, `text2`, `Overall`).
pub fn load(file: &Path) -> anyhow::Result<Vec<Pair>> {
    let mut reader =
        csv::Reader::from_path(file).with_context(|| format!("cannot open {}", file.display()))?;
    let headers = reader
        .headers()
        .with_context(|| format!("{}: cannot read the header line", file.display()))?
        .clone();
    let column = |name: &str| {
        headers
            .iter()
            .position(|h| h == name)
            .with_context(|| format!("{}: no column {name:?}", file.display()))
    };
    let (id, lang1, lang2) = (column("pair_id")?, column("lang1")?, column("lang2")?);
    let (text1, text2, overall) = (column("text1")?, column("text2")?, column("Overall")?);
    let mut pairs = Vec::new();
    for (row, record) in reader.records().enumerate() {
        let line = row + 2;
        let record = record.with_context(|| format!("{}: row {line}", file.display()))?;
        let field = |i: usize| record.get(i).unwrap_or_default().to_string();
        let rating: f64 = field(overall).trim().parse().with_context(|| {
            format!(
                "{}: row {line}: Overall {:?} is not a number",
                file.display(),
                field(overall)
            )
        })?;
        pairs.push(Pair {
            id: field(id),
            lang1: field(lang1),
            lang2: field(lang2),
            text1: field(text1),
            text2: field(text2),
            overall: rating,
        });
    }
    if pairs.is_empty() {
        bail!("{}: no pairs", file.display());
    }
    Ok(pairs)
}

/// The texts are "title  body": the title ends at the first double space
/// when there is one early enough.
pub fn split_title(text: &str) -> (&str, &str) {
    let text = text.trim_start();
    match text.find("  ") {
        Some(at) if at <= 300 => (&text[..at], &text[at..]),
        _ => ("", text),
    }
}

fn article<'a>(text: &'a str, lang: &'a str) -> ArticleText<'a> {
    let (title, body) = split_title(text);
    ArticleText {
        title,
        body,
        published: None,
        language: Some(lang),
    }
}

/// Compares every pair, with document frequencies counted over all texts.
pub fn compare_all(pairs: &[Pair]) -> Vec<Comparison> {
    let fingerprints: Vec<(Fingerprint, Fingerprint)> = pairs
        .iter()
        .map(|p| {
            (
                Fingerprint::of(&article(&p.text1, &p.lang1)),
                Fingerprint::of(&article(&p.text2, &p.lang2)),
            )
        })
        .collect();
    let mut stats = CountedStats::new();
    for (a, b) in &fingerprints {
        stats.add(a);
        stats.add(b);
    }
    fingerprints
        .iter()
        .map(|(a, b)| matcher::compare(a, b, &stats))
        .collect()
}

/// Pearson correlation; 0 when either side is constant.
pub fn pearson(xs: &[f64], ys: &[f64]) -> f64 {
    let n = xs.len().min(ys.len()) as f64;
    if n < 2.0 {
        return 0.0;
    }
    let mx = xs.iter().sum::<f64>() / n;
    let my = ys.iter().sum::<f64>() / n;
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for (x, y) in xs.iter().zip(ys) {
        sxy += (x - mx) * (y - my);
        sxx += (x - mx).powi(2);
        syy += (y - my).powi(2);
    }
    if sxx == 0.0 || syy == 0.0 {
        0.0
    } else {
        sxy / (sxx * syy).sqrt()
    }
}

#[derive(Debug, Serialize)]
pub struct LanguageFigure {
    pub languages: String,
    pub pairs: usize,
    pub pearson: f64,
}

#[derive(Debug, Serialize)]
pub struct Report {
    pub pairs: usize,
    pub pearson: f64,
    pub by_languages: Vec<LanguageFigure>,
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
    /// Pairs with 2 < Overall < 3, left out of the decision figures.
    pub undecided: usize,
}

pub fn evaluate(pairs: &[Pair], comparisons: &[Comparison]) -> Report {
    let mut groups: BTreeMap<String, (Vec<f64>, Vec<f64>)> = BTreeMap::new();
    let (mut tp, mut fp, mut fneg, mut undecided) = (0usize, 0usize, 0usize, 0usize);
    for (pair, cmp) in pairs.iter().zip(comparisons) {
        let group = groups.entry(pair.languages()).or_default();
        group.0.push(cmp.score);
        group.1.push(-pair.overall);
        let predicted = cmp.relation != Relation::Unrelated;
        if pair.overall <= 2.0 {
            if predicted {
                tp += 1;
            } else {
                fneg += 1;
            }
        } else if pair.overall >= 3.0 {
            if predicted {
                fp += 1;
            }
        } else {
            undecided += 1;
        }
    }
    let scores: Vec<f64> = comparisons.iter().map(|c| c.score).collect();
    let targets: Vec<f64> = pairs.iter().map(|p| -p.overall).collect();
    let precision = ratio(tp, tp + fp);
    let recall = ratio(tp, tp + fneg);
    Report {
        pairs: pairs.len(),
        pearson: pearson(&scores, &targets),
        by_languages: groups
            .into_iter()
            .map(|(languages, (xs, ys))| LanguageFigure {
                languages,
                pairs: xs.len(),
                pearson: pearson(&xs, &ys),
            })
            .collect(),
        precision,
        recall,
        f1: if precision + recall > 0.0 {
            2.0 * precision * recall / (precision + recall)
        } else {
            0.0
        },
        undecided,
    }
}

fn ratio(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        0.0
    } else {
        part as f64 / whole as f64
    }
}

pub fn run(file: &Path, json: bool) -> anyhow::Result<()> {
    let pairs = load(file)?;
    let comparisons = compare_all(&pairs);
    let report = evaluate(&pairs, &comparisons);
    if json {
        println!("{}", serde_json::to_string_pretty(&report)?);
        return Ok(());
    }
    println!(
        "SemEval-2022 task 8: {} pairs from {}",
        report.pairs,
        file.display()
    );
    println!("{:<8} {:>6} {:>8}", "pair", "n", "pearson");
    for figure in &report.by_languages {
        println!(
            "{:<8} {:>6} {:>8.3}",
            figure.languages, figure.pairs, figure.pearson
        );
    }
    println!("{:<8} {:>6} {:>8.3}", "all", report.pairs, report.pearson);
    println!(
        "same story (Overall <= 2 vs >= 3, {} undecided left out): precision {:.3} recall {:.3} F1 {:.3}",
        report.undecided, report.precision, report.recall, report.f1
    );
    Ok(())
}
