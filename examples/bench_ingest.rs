//! Ingest throughput and match latency on a generated corpus, through the
//! real `Ingestor` into a sled store on disk.
//!
//! ```text
//! cargo run --release --example bench_ingest -- [--articles 100000] [--commit-every 1000]
//!     [--probes 1000] [--days 30] [--dir PATH]
//! ```
//!
//! The corpus: words drawn with Zipf-like frequencies from a generated
//! vocabulary, mixed with English function words, names and numbers; each
//! article has its own few topic words and names, and one in ten is a near
//! copy (a tenth of its words replaced) of a recent article. Articles are
//! spread over `--days` days in publication order.
//!
//! Printed: the ingest rate; then, with the corpus stored, the p50 and p99
//! time to match one more article (fingerprint, candidates, scoring; no
//! write) and to ingest one; how often a near copy's best match is its
//! source; peak RSS (VmHWM) and the store's size on disk.

use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use chrono::{DateTime, TimeZone, Utc};
use storywatch::config::MatchConfig;
use storywatch::daemon::ingest::{Ingestor, NewArticle};
use storywatch::store::Store;

const FUNCTION_WORDS: [&str; 24] = [
    "the", "of", "and", "to", "in", "a", "is", "that", "for", "on", "was", "with", "as", "by",
    "at", "from", "it", "said", "has", "were", "will", "after", "their", "which",
];
const VOCABULARY: usize = 60_000;
const NAMES: usize = 20_000;
/// Every this many articles, one is a near copy of a recent article.
const COPY_EVERY: u64 = 10;
/// How far back a near copy's source lies, in articles.
const COPY_REACH: u64 = 2_000;

struct Args {
    articles: u64,
    commit_every: usize,
    probes: u64,
    days: u64,
    dir: Option<std::path::PathBuf>,
}

fn parse_args() -> anyhow::Result<Args> {
    let mut args = Args {
        articles: 100_000,
        commit_every: 1_000,
        probes: 1_000,
        days: 30,
        dir: None,
    };
    let mut argv = std::env::args().skip(1);
    while let Some(arg) = argv.next() {
        let mut value = || argv.next().with_context(|| format!("{arg} needs a value"));
        match arg.as_str() {
            "--articles" => args.articles = value()?.parse()?,
            "--commit-every" => args.commit_every = value()?.parse()?,
            "--probes" => args.probes = value()?.parse()?,
            "--days" => args.days = value()?.parse()?,
            "--dir" => args.dir = Some(value()?.into()),
            other => bail!("unknown argument {other:?}"),
        }
    }
    if args.articles == 0 || args.days == 0 {
        bail!("--articles and --days must be positive");
    }
    Ok(args)
}

/// A made-up language: words of two to four syllables, ranked by frequency.
struct Corpus {
    words: Vec<String>,
    names: Vec<String>,
    word_cdf: Vec<f64>,
    name_cdf: Vec<f64>,
    start: DateTime<Utc>,
    seconds_per_article: f64,
}

fn zipf_cdf(n: usize, exponent: f64) -> Vec<f64> {
    let mut total = 0.0;
    let mut cdf: Vec<f64> = (1..=n)
        .map(|rank| {
            total += 1.0 / (rank as f64).powf(exponent);
            total
        })
        .collect();
    cdf.iter_mut().for_each(|c| *c /= total);
    cdf
}

fn made_up_word(rng: &mut fastrand::Rng, min_syllables: usize, max_syllables: usize) -> String {
    let syllables = rng.usize(min_syllables..=max_syllables);
    const ONSETS: [&str; 16] = ["b", "d", "f", "g", "k", "l", "m", "n", "p", "r", "s", "t", "v", "z", "br", "st"];
    const VOWELS: [&str; 6] = ["a", "e", "i", "o", "u", "ai"];
    (0..syllables)
        .map(|_| format!("{}{}", ONSETS[rng.usize(..ONSETS.len())], VOWELS[rng.usize(..VOWELS.len())]))
        .collect()
}

impl Corpus {
    fn new(args: &Args) -> Corpus {
        let mut rng = fastrand::Rng::with_seed(7);
        let words = (0..VOCABULARY).map(|_| made_up_word(&mut rng, 2, 4)).collect();
        let names = (0..NAMES)
            .map(|_| {
                let mut name = made_up_word(&mut rng, 2, 3);
                name[..1].make_ascii_uppercase();
                name
            })
            .collect();
        Corpus {
            words,
            names,
            word_cdf: zipf_cdf(VOCABULARY, 1.05),
            name_cdf: zipf_cdf(NAMES, 0.9),
            start: Utc.with_ymd_and_hms(2024, 1, 1, 0, 0, 0).unwrap(),
            seconds_per_article: (args.days * 86_400) as f64 / args.articles as f64,
        }
    }

    fn pick<'a>(rng: &mut fastrand::Rng, items: &'a [String], cdf: &[f64]) -> &'a str {
        let u = rng.f64();
        &items[cdf.partition_point(|c| *c < u).min(items.len() - 1)]
    }

    /// Article `n`, the same every time it is asked for.
    fn original(&self, n: u64) -> NewArticle {
        let mut rng = fastrand::Rng::with_seed(n.wrapping_mul(0x9E37_79B9_7F4A_7C15));
        let topic: Vec<&str> = (0..5).map(|_| self.words[rng.usize(VOCABULARY / 4..VOCABULARY)].as_str()).collect();
        let people: Vec<&str> = (0..3).map(|_| Self::pick(&mut rng, &self.names, &self.name_cdf)).collect();
        let mut text = String::new();
        for _ in 0..8 + rng.usize(..16) {
            let mut sentence = vec![people[rng.usize(..people.len())].to_owned()];
            for _ in 0..10 + rng.usize(..14) {
                let word = match rng.u8(..100) {
                    0..=39 => FUNCTION_WORDS[rng.usize(..FUNCTION_WORDS.len())].to_owned(),
                    40..=51 => topic[rng.usize(..topic.len())].to_owned(),
                    52..=56 => Self::pick(&mut rng, &self.names, &self.name_cdf).to_owned(),
                    57..=58 => rng.u32(10..5_000).to_string(),
                    _ => Self::pick(&mut rng, &self.words, &self.word_cdf).to_owned(),
                };
                sentence.push(word);
            }
            text.push_str(&sentence.join(" "));
            text.push_str(". ");
        }
        let title: Vec<&str> = topic.iter().take(3).copied().chain(people.iter().take(1).copied()).collect();
        NewArticle {
            url: Some(format!("https://bench.example/{n}")),
            title: title.join(" "),
            source: format!("outlet{}", n % 50),
            published: Some(self.time_of(n)),
            language: Some("en".into()),
            text,
            ..NewArticle::default()
        }
    }

    fn time_of(&self, n: u64) -> DateTime<Utc> {
        self.start + chrono::Duration::seconds((n as f64 * self.seconds_per_article) as i64)
    }

    /// Article `n`: an original, or a near copy of an article shortly before.
    fn article(&self, n: u64) -> (NewArticle, Option<u64>) {
        if n % COPY_EVERY != COPY_EVERY - 1 || n < COPY_REACH {
            return (self.original(n), None);
        }
        let source = n - 1 - n.wrapping_mul(31) % (COPY_REACH - 1);
        let mut rng = fastrand::Rng::with_seed(n);
        let mut copy = self.original(source);
        copy.text = copy
            .text
            .split(' ')
            .map(|w| {
                if rng.u8(..10) == 0 {
                    Self::pick(&mut rng, &self.words, &self.word_cdf)
                } else {
                    w
                }
            })
            .collect::<Vec<_>>()
            .join(" ");
        copy.url = Some(format!("https://bench.example/{n}"));
        copy.published = Some(self.time_of(n));
        (copy, Some(source))
    }
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

fn vm_hwm() -> String {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with("VmHWM:")).map(|l| l[6..].trim().to_owned()))
        .unwrap_or_else(|| "unknown".into())
}

fn dir_size(path: &std::path::Path) -> u64 {
    std::fs::read_dir(path)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| match e.metadata() {
            Ok(m) if m.is_dir() => dir_size(&e.path()),
            Ok(m) => m.len(),
            Err(_) => 0,
        })
        .sum()
}

fn main() -> anyhow::Result<()> {
    let args = parse_args()?;
    let temp = tempfile::tempdir()?;
    let dir = args.dir.clone().unwrap_or_else(|| temp.path().join("store"));
    let corpus = Corpus::new(&args);
    let mut ingestor = Ingestor::new(Store::open(&dir)?, MatchConfig::default())?
        .with_commit_every(args.commit_every);

    let started = Instant::now();
    let mut joined = 0u64;
    for n in 0..args.articles {
        let (article, _) = corpus.article(n);
        joined += u64::from(ingestor.add(article)?.matched.is_some());
        if (n + 1) % 20_000 == 0 {
            eprintln!("  {} articles, {:.0}/s", n + 1, (n + 1) as f64 / started.elapsed().as_secs_f64());
        }
    }
    ingestor.flush()?;
    let elapsed = started.elapsed().as_secs_f64();
    println!(
        "ingest: {} articles in {elapsed:.1} s = {:.0} articles/s (commit every {}; {} joined a story)",
        args.articles,
        args.articles as f64 / elapsed,
        args.commit_every,
        joined
    );

    let mut match_times = Vec::new();
    let mut ingest_times = Vec::new();
    let (mut copies, mut found) = (0u64, 0u64);
    for p in 0..args.probes {
        let (article, source) = corpus.article(args.articles + p);
        let started = Instant::now();
        let matches = ingestor.matches(&article)?;
        match_times.push(started.elapsed());
        if let Some(source) = source {
            copies += 1;
            // Article ids start at 1 and follow generation order.
            found += u64::from(matches.first().is_some_and(|m| m.article == source + 1));
        }
        let started = Instant::now();
        ingestor.add(article)?;
        ingest_times.push(started.elapsed());
    }
    ingestor.flush()?;
    match_times.sort();
    ingest_times.sort();
    println!(
        "match one article with {} stored: p50 {:.2} ms, p99 {:.2} ms ({} probes)",
        args.articles,
        percentile(&match_times, 0.5).as_secs_f64() * 1e3,
        percentile(&match_times, 0.99).as_secs_f64() * 1e3,
        args.probes
    );
    println!(
        "ingest one article (match + store):  p50 {:.2} ms, p99 {:.2} ms",
        percentile(&ingest_times, 0.5).as_secs_f64() * 1e3,
        percentile(&ingest_times, 0.99).as_secs_f64() * 1e3
    );
    println!("near copies whose best match is their source: {found}/{copies}");
    println!(
        "in memory: {} index postings, {} document-frequency terms",
        ingestor.loaded_postings(),
        ingestor.stats().terms()
    );
    println!("peak RSS (VmHWM): {}", vm_hwm());
    println!("store on disk: {:.1} MB", dir_size(&dir) as f64 / 1e6);
    Ok(())
}
