//! Runs the matcher evaluations until they are wired into the CLI, plus a
//! speed benchmark and a signal dump for fitting weights.
//!
//! ```text
//! cargo run --release --example eval_matcher -- semeval ../shared/eval/matching/semeval2022-task8-train.csv [--dump FILE]
//! cargo run --release --example eval_matcher -- clough ../shared/eval/matching/clough-stevenson [--dump FILE]
//! cargo run --release --example eval_matcher -- seeds ../shared/seeds
//! cargo run --release --example eval_matcher -- pairs ../shared/eval/matching/wikiref/WikiRef220 [--dump FILE]
//! cargo run --release --example eval_matcher -- bench ../shared/eval/matching/semeval2022-task8-train.csv
//! ```

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{bail, Context};
use storywatch::eval::{clough, semeval};
use storywatch::matcher::{self, ArticleText, Comparison, Fingerprint, PriorStats};

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(mode), Some(path)) = (args.first(), args.get(1)) else {
        bail!("usage: eval_matcher semeval|clough|seeds|pairs|bench PATH [--dump FILE] [--json]");
    };
    let path = PathBuf::from(path);
    let json = args.iter().any(|a| a == "--json");
    let dump = args
        .iter()
        .position(|a| a == "--dump")
        .and_then(|i| args.get(i + 1))
        .map(PathBuf::from);
    match mode.as_str() {
        "semeval" => {
            semeval::run(&path, json)?;
            if let Some(out) = dump {
                let pairs = semeval::load(&path)?;
                let comparisons = semeval::compare_all(&pairs);
                let rows = pairs.iter().zip(&comparisons).map(|(p, c)| {
                    serde_json::json!({"id": p.id, "langs": p.languages(), "overall": p.overall,
                        "score": c.score, "relation": c.relation, "signals": c.signals})
                });
                write_rows(&out, rows)?;
            }
        }
        "clough" => {
            clough::run(&path, json)?;
            if let Some(out) = dump {
                let answers = clough::load(&path)?;
                let comparisons = clough::compare_all(&answers);
                let rows = answers.iter().zip(&comparisons).map(|(a, c)| {
                    serde_json::json!({"file": a.file, "category": a.category,
                        "score": c.score, "relation": c.relation, "signals": c.signals})
                });
                write_rows(&out, rows)?;
            }
        }
        "seeds" => seeds(&path)?,
        "bench" => bench(&path)?,
        "pairs" => topic_pairs(&path, dump.as_deref())?,
        other => bail!("unknown mode {other:?}"),
    }
    Ok(())
}

fn write_rows(out: &Path, rows: impl Iterator<Item = serde_json::Value>) -> anyhow::Result<()> {
    let mut file =
        fs::File::create(out).with_context(|| format!("cannot create {}", out.display()))?;
    for row in rows {
        writeln!(file, "{row}")?;
    }
    Ok(())
}

/// Seed files: a title line, maybe a "-----" line, then the body.
fn read_seed(path: &Path) -> anyhow::Result<(String, String)> {
    let text =
        fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    let mut lines = text.lines();
    let title = lines.next().unwrap_or_default().to_string();
    let body: Vec<&str> = lines
        .skip_while(|l| l.trim().is_empty() || l.starts_with("---"))
        .collect();
    Ok((title, body.join("\n")))
}

fn seeds(dir: &Path) -> anyhow::Result<()> {
    let mut files: Vec<PathBuf> = fs::read_dir(dir)
        .with_context(|| format!("cannot list {}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    files.sort();
    let texts: Vec<(String, String)> = files
        .iter()
        .map(|p| read_seed(p))
        .collect::<Result<_, _>>()?;
    let article = |i: usize| ArticleText {
        title: &texts[i].0,
        body: &texts[i].1,
        ..ArticleText::default()
    };
    for i in 0..texts.len() {
        for j in i + 1..texts.len() {
            let c: Comparison = matcher::explain(&article(i), &article(j), &PriorStats);
            let name = |k: usize| {
                files[k]
                    .file_name()
                    .map(|n| n.to_string_lossy()[..3].to_string())
            };
            println!(
                "{}-{}  {:<10} score {:.3}  {}",
                name(i).unwrap_or_default(),
                name(j).unwrap_or_default(),
                c.relation,
                c.score,
                serde_json::to_string(&c.signals)?
            );
        }
    }
    Ok(())
}

/// Pairwise view of a directory whose file names start with a topic
/// ("ParisAttacks2015 (3).txt"): how many same-topic and cross-topic pairs
/// are linked, and the highest cross-topic scores, with the shipped prior and
/// with frequencies counted over the directory.
fn topic_pairs(dir: &Path, dump: Option<&Path>) -> anyhow::Result<()> {
    let mut files: Vec<PathBuf> = fs::read_dir(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    files.sort();
    let topic = |p: &Path| {
        let name = p
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default();
        name.split([' ', '.'])
            .next()
            .unwrap_or_default()
            .to_string()
    };
    let mut texts = Vec::new();
    for path in &files {
        let raw = fs::read(path)?;
        texts.push((topic(path), String::from_utf8_lossy(&raw).to_string()));
    }
    let prints: Vec<Fingerprint> = texts
        .iter()
        .map(|(_, t)| {
            let (title, body) = t.split_once('\n').unwrap_or(("", t));
            Fingerprint::of(&ArticleText {
                title,
                body,
                ..ArticleText::default()
            })
        })
        .collect();
    let mut counted = matcher::CountedStats::new();
    prints.iter().for_each(|p| counted.add(p));
    for (label, stats) in [
        ("prior", &PriorStats as &dyn matcher::TermStats),
        ("counted", &counted),
    ] {
        let (mut same, mut same_linked, mut cross, mut cross_linked) = (0, 0, 0, 0);
        let mut worst: Vec<(f64, String)> = Vec::new();
        for i in 0..prints.len() {
            for j in i + 1..prints.len() {
                let c = matcher::compare(&prints[i], &prints[j], stats);
                let linked = c.relation != matcher::Relation::Unrelated;
                if texts[i].0 == texts[j].0 {
                    same += 1;
                    same_linked += usize::from(linked);
                } else {
                    cross += 1;
                    cross_linked += usize::from(linked);
                    worst.push((
                        c.score,
                        format!(
                            "{} {} {:?}",
                            files[i].display(),
                            files[j].display(),
                            c.relation
                        ),
                    ));
                }
            }
        }
        if let (Some(out), "counted") = (dump, label) {
            let mut rows = Vec::new();
            for i in 0..prints.len() {
                for j in i + 1..prints.len() {
                    let c = matcher::compare(&prints[i], &prints[j], stats);
                    rows.push(serde_json::json!({"topics": [&texts[i].0, &texts[j].0],
                        "langs": "wiki", "overall": if texts[i].0 == texts[j].0 { 2.0 } else { 4.0 },
                        "score": c.score, "relation": c.relation, "signals": c.signals}));
                }
            }
            write_rows(out, rows.into_iter())?;
        }
        worst.sort_by(|a, b| b.0.total_cmp(&a.0));
        println!("{label}: same-topic linked {same_linked}/{same}, cross-topic linked {cross_linked}/{cross}");
        for (score, what) in worst.iter().take(5) {
            println!("   {score:.3} {what}");
        }
    }
    Ok(())
}

fn bench(file: &Path) -> anyhow::Result<()> {
    let pairs = semeval::load(file)?;
    let texts: Vec<(&str, &str)> = pairs
        .iter()
        .flat_map(|p| {
            [
                semeval::split_title(&p.text1),
                semeval::split_title(&p.text2),
            ]
        })
        .collect();
    let words: usize = texts
        .iter()
        .map(|(t, b)| t.split_whitespace().count() + b.split_whitespace().count())
        .sum();
    let start = Instant::now();
    let prints: Vec<Fingerprint> = texts
        .iter()
        .map(|(title, body)| {
            Fingerprint::of(&ArticleText {
                title,
                body,
                ..ArticleText::default()
            })
        })
        .collect();
    let elapsed = start.elapsed().as_secs_f64();
    println!(
        "Fingerprint::of: {} texts, {:.0} words avg, {:.1} us/text, {:.1} us per 600 words",
        texts.len(),
        words as f64 / texts.len() as f64,
        elapsed * 1e6 / texts.len() as f64,
        elapsed * 1e6 / words as f64 * 600.0
    );
    let start = Instant::now();
    let detected = texts
        .iter()
        .filter(|(_, body)| storywatch::text::lang::detect(body).is_some())
        .count();
    println!(
        "  of which language detection: {:.1} us/text ({detected} detected)",
        start.elapsed().as_secs_f64() * 1e6 / texts.len() as f64
    );
    let bytes: usize = prints.iter().map(|p| p.to_bytes().len()).sum();
    println!(
        "fingerprint size: {:.0} bytes avg",
        bytes as f64 / prints.len() as f64
    );
    let start = Instant::now();
    let mut n = 0usize;
    let mut checksum = 0.0;
    for i in 0..prints.len().min(400) {
        for j in 0..prints.len().min(400) {
            checksum += matcher::compare(&prints[i], &prints[j], &PriorStats).score;
            n += 1;
        }
    }
    let elapsed = start.elapsed().as_secs_f64();
    println!(
        "compare: {n} pairs, {:.2} us/pair (checksum {checksum:.1})",
        elapsed * 1e6 / n as f64
    );
    Ok(())
}
