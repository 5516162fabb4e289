//! Ingest throughput and match latency on a generated corpus, through the
//! real `Ingestor` into a sled store on disk.
//!
//! ```text
//! cargo run --release --example bench_ingest -- [--articles 100000] [--batch 1000]
//!     [--probes 1000] [--days 30] [--dir PATH] [--write-jsonl FILE]
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
//! write) and to ingest one; how often a near copy's best match is in its
//! source's story; peak RSS (VmHWM) and the store's size on disk.

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
    batch: u64,
    probes: u64,
    days: u64,
    dir: Option<std::path::PathBuf>,
    write_jsonl: Option<std::path::PathBuf>,
}

fn parse_args() -> anyhow::Result<Args> {
    let mut args = Args {
        articles: 100_000,
        batch: 1_000,
        probes: 1_000,
        days: 30,
        dir: None,
        write_jsonl: None,
    };
    let mut argv = std::env::args().skip(1);
    while let Some(arg) = argv.next() {
        let mut value = || argv.next().with_context(|| format!("{arg} needs a value"));
        match arg.as_str() {
            "--articles" => args.articles = value()?.parse()?,
            "--batch" => args.batch = value()?.parse()?,
            "--probes" => args.probes = value()?.parse()?,
            "--days" => args.days = value()?.parse()?,
            "--dir" => args.dir = Some(value()?.into()),
            "--write-jsonl" => args.write_jsonl = Some(value()?.into()),
            other => bail!("unknown argument {other:?}"),
        }
    }
    if args.articles == 0 || args.days == 0 || args.batch == 0 {
        bail!("--articles, --days and --batch must be positive");
    }
    Ok(args)
}

/// A made-up language: words of two to five syllables, the short ones the
/// most frequent.
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
    const ONSETS: [&str; 16] = [
        "b", "d", "f", "g", "k", "l", "m", "n", "p", "r", "s", "t", "v", "z", "br", "st",
    ];
    const VOWELS: [&str; 6] = ["a", "e", "i", "o", "u", "ai"];
    (0..syllables)
        .map(|_| {
            format!(
                "{}{}",
                ONSETS[rng.usize(..ONSETS.len())],
                VOWELS[rng.usize(..VOWELS.len())]
            )
        })
        .collect()
}

impl Corpus {
    fn new(args: &Args) -> Corpus {
        let mut rng = fastrand::Rng::with_seed(7);
        let mut words: Vec<String> = (0..VOCABULARY)
            .map(|_| made_up_word(&mut rng, 2, 5))
            .collect();
        // Frequent words are short in every language (Zipf's law of
        // abbreviation), and the matcher's cold-start prior relies on it.
        words.sort_by_key(String::len);
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
        let topic: Vec<&str> = (0..5)
            .map(|_| self.words[rng.usize(VOCABULARY / 4..VOCABULARY)].as_str())
            .collect();
        let people: Vec<&str> = (0..3)
            .map(|_| Self::pick(&mut rng, &self.names, &self.name_cdf))
            .collect();
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
        let title: Vec<&str> = topic
            .iter()
            .take(3)
            .copied()
            .chain(people.iter().take(1).copied())
            .collect();
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
        let mut source = n - 1 - n.wrapping_mul(31) % (COPY_REACH - 1);
        if source % COPY_EVERY == COPY_EVERY - 1 {
            // That one is a copy itself; take the original before it.
            source -= 1;
        }
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
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .map(|l| l[6..].trim().to_owned())
        })
        .unwrap_or_else(|| "unknown".into())
}

/// CPU seconds used by the whole process so far (user + system), which the
/// other load on a shared machine does not inflate the way it does wall time.
fn cpu_seconds() -> f64 {
    // utime and stime are fields 14 and 15, in USER_HZ (100 on Linux).
    std::fs::read_to_string("/proc/self/stat")
        .ok()
        .and_then(|stat| {
            let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
            let ticks: f64 =
                fields.get(11)?.parse::<f64>().ok()? + fields.get(12)?.parse::<f64>().ok()?;
            Some(ticks / 100.0)
        })
        .unwrap_or(f64::NAN)
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

/// Writes the corpus as an `ingest --jsonl` backfill, so the command itself
/// can be timed on it.
fn write_jsonl(corpus: &Corpus, articles: u64, path: &std::path::Path) -> anyhow::Result<()> {
    use std::io::Write;
    let mut out = std::io::BufWriter::new(std::fs::File::create(path)?);
    for n in 0..articles {
        let article = corpus.article(n).0;
        let line = serde_json::json!({
            "title": article.title,
            "text": article.text,
            "url": article.url,
            "source": article.source,
            "published": article.published,
        });
        writeln!(out, "{line}")?;
    }
    out.flush()?;
    println!("wrote {articles} articles to {}", path.display());
    Ok(())
}

fn main() -> anyhow::Result<()> {
    let args = parse_args()?;
    let temp = tempfile::tempdir()?;
    let dir = args
        .dir
        .clone()
        .unwrap_or_else(|| temp.path().join("store"));
    let corpus = Corpus::new(&args);
    if let Some(path) = &args.write_jsonl {
        return write_jsonl(&corpus, args.articles, path);
    }
    let mut ingestor = Ingestor::new(Store::open(&dir)?, MatchConfig::default())?;

    // Only `ingest_batch` is timed, not the generation of the articles.
    let (mut elapsed, mut cpu) = (0.0, 0.0);
    let mut joined = 0u64;
    let mut next = 0;
    while next < args.articles {
        let end = (next + args.batch).min(args.articles);
        let batch: Vec<NewArticle> = (next..end).map(|n| corpus.article(n).0).collect();
        let (started, cpu_start) = (Instant::now(), cpu_seconds());
        let outcomes = ingestor.ingest_batch(batch)?;
        elapsed += started.elapsed().as_secs_f64();
        cpu += cpu_seconds() - cpu_start;
        joined += outcomes.iter().filter(|o| o.matched.is_some()).count() as u64;
        if end / 20_000 > next / 20_000 {
            eprintln!("  {end} articles, {:.0}/s", end as f64 / elapsed);
        }
        next = end;
    }
    let started = Instant::now();
    ingestor.flush()?;
    elapsed += started.elapsed().as_secs_f64();
    println!(
        "ingest: {} articles in {elapsed:.1} s = {:.0} articles/s; {cpu:.1} CPU s = {:.0} articles per CPU second \
         (batches of {}; {} joined a story)",
        args.articles,
        args.articles as f64 / elapsed,
        args.articles as f64 / cpu,
        args.batch,
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
            let story_of = |id| ingestor.store().story_of(id);
            let source_story = story_of(source + 1)?;
            if let Some(best) = matches.first() {
                found += u64::from(story_of(best.article)? == source_story);
            }
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
    println!("near copies whose best match is in their source's story: {found}/{copies}");
    println!(
        "in memory: {} index postings, {} document-frequency terms",
        ingestor.loaded_postings(),
        ingestor.stats().terms()
    );
    println!("peak RSS (VmHWM): {}", vm_hwm());
    println!("store on disk: {:.1} MB", dir_size(&dir) as f64 / 1e6);
    Ok(())
}
