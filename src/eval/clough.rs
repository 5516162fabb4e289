//! `storywatch eval clough DIR`: the relation kinds against the Clough &
//! Stevenson corpus of short answers, each labelled with how it was written
//! from its source text: `cut` (copy and paste), `light` (light revision),
//! `heavy` (heavy paraphrase) or `non` (written independently).
//!
//! Each answer is explained against its task's source text. Printed: the
//! confusion matrix of label against relation, and the three target rates.

use std::fs;
use std::path::Path;

use anyhow::{bail, Context};
use serde::Serialize;

use crate::matcher::{self, ArticleText, Comparison, CountedStats, Fingerprint, Relation};

pub const CATEGORIES: [&str; 4] = ["cut", "light", "heavy", "non"];
const RELATIONS: [Relation; 4] = [
    Relation::Copy,
    Relation::Rewrite,
    Relation::SameStory,
    Relation::Unrelated,
];

/// One labelled answer with its source text.
#[derive(Debug, Clone)]
pub struct Answer {
    pub file: String,
    pub category: String,
    pub text: String,
    pub source: String,
}

/// The corpus mixes UTF-8 and Windows-1252 files.
fn read_text(path: &Path) -> anyhow::Result<String> {
    let bytes = fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    Ok(match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(err) => encoding_rs::WINDOWS_1252
            .decode(err.as_bytes())
            .0
            .into_owned(),
    })
}

/// Reads `file_information.csv` (File, Task, Category) and the files it
/// names; the sources are `orig_task<task>.txt`.
pub fn load(dir: &Path) -> anyhow::Result<Vec<Answer>> {
    let index = dir.join("file_information.csv");
    let mut reader = csv::Reader::from_path(&index)
        .with_context(|| format!("cannot open {}", index.display()))?;
    let mut answers = Vec::new();
    for (row, record) in reader.records().enumerate() {
        let record = record.with_context(|| format!("{}: row {}", index.display(), row + 2))?;
        let (Some(file), Some(task), Some(category)) =
            (record.get(0), record.get(1), record.get(2))
        else {
            bail!(
                "{}: row {} has fewer than 3 columns",
                index.display(),
                row + 2
            );
        };
        if category == "orig" {
            continue;
        }
        answers.push(Answer {
            file: file.to_string(),
            category: category.trim().to_string(),
            text: read_text(&dir.join(file))?,
            source: read_text(&dir.join(format!("orig_task{}.txt", task.trim())))?,
        });
    }
    if answers.is_empty() {
        bail!("{}: no answers listed", index.display());
    }
    Ok(answers)
}

fn body(text: &str) -> ArticleText<'_> {
    ArticleText {
        body: text,
        ..ArticleText::default()
    }
}

/// Explains every answer against its source, with document frequencies
/// counted over all answers and sources.
pub fn compare_all(answers: &[Answer]) -> Vec<Comparison> {
    let mut stats = CountedStats::new();
    let mut seen_sources: Vec<&str> = Vec::new();
    for answer in answers {
        stats.add(&Fingerprint::of(&body(&answer.text)));
        if !seen_sources.contains(&answer.source.as_str()) {
            seen_sources.push(&answer.source);
            stats.add(&Fingerprint::of(&body(&answer.source)));
        }
    }
    answers
        .iter()
        .map(|a| matcher::explain(&body(&a.text), &body(&a.source), &stats))
        .collect()
}

#[derive(Debug, Serialize)]
pub struct Report {
    /// Rows: cut, light, heavy, non; columns: copy, rewrite, same_story, unrelated.
    pub matrix: Vec<MatrixRow>,
    /// Share of `cut` answers called copies.
    pub cut_as_copy: f64,
    /// `non` answers called copy or rewrite (target: none).
    pub non_as_copy_or_rewrite: usize,
    /// Share of `light` and `heavy` answers called rewrite or copy.
    pub revised_as_rewrite_or_copy: f64,
    /// `cut` answers that share no more wording with their source than
    /// some answer written independently (`non`) shares with its own: no
    /// rule can call them copies without calling that `non` answer one too.
    /// (The corpus has two, pasted from other text than the source.)
    pub cut_without_source_wording: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct MatrixRow {
    pub category: String,
    pub copy: usize,
    pub rewrite: usize,
    pub same_story: usize,
    pub unrelated: usize,
}

impl MatrixRow {
    fn total(&self) -> usize {
        self.copy + self.rewrite + self.same_story + self.unrelated
    }
}

pub fn evaluate(answers: &[Answer], comparisons: &[Comparison]) -> Report {
    let matrix: Vec<MatrixRow> = CATEGORIES
        .iter()
        .map(|category| {
            let mut counts = [0usize; 4];
            for (answer, cmp) in answers.iter().zip(comparisons) {
                if answer.category == *category {
                    if let Some(col) = RELATIONS.iter().position(|r| *r == cmp.relation) {
                        counts[col] += 1;
                    }
                }
            }
            MatrixRow {
                category: category.to_string(),
                copy: counts[0],
                rewrite: counts[1],
                same_story: counts[2],
                unrelated: counts[3],
            }
        })
        .collect();
    let share = |part: usize, whole: usize| {
        if whole == 0 {
            0.0
        } else {
            part as f64 / whole as f64
        }
    };
    let (cut, light, heavy, non) = (&matrix[0], &matrix[1], &matrix[2], &matrix[3]);
    let labelled = |category: &'static str| {
        answers
            .iter()
            .zip(comparisons)
            .filter(move |(answer, _)| answer.category == category)
    };
    let most_independent_wording = labelled("non")
        .map(|(_, cmp)| cmp.signals.containment)
        .fold(0.0, f64::max);
    let cut_without_source_wording = labelled("cut")
        .filter(|(_, cmp)| cmp.signals.containment <= most_independent_wording)
        .map(|(answer, _)| answer.file.clone())
        .collect();
    Report {
        cut_as_copy: share(cut.copy, cut.total()),
        non_as_copy_or_rewrite: non.copy + non.rewrite,
        revised_as_rewrite_or_copy: share(
            light.copy + light.rewrite + heavy.copy + heavy.rewrite,
            light.total() + heavy.total(),
        ),
        cut_without_source_wording,
        matrix,
    }
}

pub fn run(dir: &Path, json: bool) -> anyhow::Result<()> {
    let answers = load(dir)?;
    let comparisons = compare_all(&answers);
    let report = evaluate(&answers, &comparisons);
    if json {
        println!("{}", serde_json::to_string_pretty(&report)?);
        return Ok(());
    }
    println!(
        "Clough & Stevenson: {} answers from {}",
        answers.len(),
        dir.display()
    );
    println!(
        "{:<8} {:>6} {:>8} {:>11} {:>10}",
        "label", "copy", "rewrite", "same_story", "unrelated"
    );
    for row in &report.matrix {
        println!(
            "{:<8} {:>6} {:>8} {:>11} {:>10}",
            row.category, row.copy, row.rewrite, row.same_story, row.unrelated
        );
    }
    println!(
        "cut -> copy: {:.1}% (target >= 90%)",
        100.0 * report.cut_as_copy
    );
    let cut_total = report.matrix[0].total();
    let beyond_reach = report.cut_without_source_wording.len();
    println!(
        "  {beyond_reach} cut answers share no more wording with their source than a non answer \
         does ({}); at most {:.1}% is within reach",
        report.cut_without_source_wording.join(", "),
        100.0 * (cut_total - beyond_reach.min(cut_total)) as f64 / cut_total.max(1) as f64
    );
    println!(
        "non -> copy or rewrite: {} (target 0)",
        report.non_as_copy_or_rewrite
    );
    println!(
        "light/heavy -> rewrite or copy: {:.1}% (target >= 85%)",
        100.0 * report.revised_as_rewrite_or_copy
    );
    Ok(())
}
