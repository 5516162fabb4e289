//! Commands that run the pipeline: `run`, `poll --once`, `ingest`, `demo`.

use std::io::{BufRead, Write};
use std::path::Path;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::inputs::{read_article_file, FileArticle};
use super::{load_config, open_store, print_json, runtime, CommonArgs, IngestArgs, UsageError};
use crate::daemon::ingest::{IngestOutcome, Ingestor, NewArticle};
use crate::daemon::{CycleReport, Daemon};
use crate::notify::Notifier;

pub fn run_daemon(common: &CommonArgs) -> anyhow::Result<()> {
    let (config, source) = load_config(common)?;
    let store = open_store(&config)?;
    let enabled = config.feeds.iter().filter(|f| f.enabled).count();
    if enabled == 0 {
        tracing::warn!(config = %source.display_path().display(), "no enabled feeds: nothing to poll");
    }
    eprintln!(
        "storywatch: {enabled} feeds from {}, store {}",
        source.display_path().display(),
        config.store.resolved_path().display()
    );
    let notifier = Notifier::new(&config.notify).with_terminal(true);
    let daemon = Arc::new(Daemon::new(config, store, notifier)?);
    runtime()?.block_on(daemon.run(shutdown_signal()))?;
    Ok(())
}

/// Completes on Ctrl-C or SIGTERM (what systemd sends on stop).
async fn shutdown_signal() {
    let interrupt = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut terminate) => {
                tokio::select! {
                    _ = interrupt => {}
                    _ = terminate.recv() => {}
                }
            }
            Err(_) => {
                let _ = interrupt.await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = interrupt.await;
    }
}

/// One line of `poll --once --json` and `ingest --json` output.
#[derive(Serialize)]
struct IngestLine {
    id: u64,
    story: u64,
    relation: String,
    score: f64,
    matched: Option<u64>,
}

impl From<&IngestOutcome> for IngestLine {
    fn from(outcome: &IngestOutcome) -> Self {
        IngestLine {
            id: outcome.id,
            story: outcome.story,
            relation: outcome.relation.to_string(),
            score: outcome.score,
            matched: outcome.matched,
        }
    }
}

pub fn poll_once(common: &CommonArgs) -> anyhow::Result<()> {
    let (config, _) = load_config(common)?;
    let store = open_store(&config)?;
    let notifier = Notifier::new(&config.notify).with_terminal(!common.json);
    let daemon = Daemon::new(config, store, notifier)?;
    let report = runtime()?.block_on(daemon.poll_once())?;
    if common.json {
        return print_json(&poll_json(&report));
    }
    let mut out = std::io::stdout().lock();
    for feed in &report.feeds {
        let error = feed
            .error
            .as_deref()
            .map(|e| format!(" — {e}"))
            .unwrap_or_default();
        writeln!(
            out,
            "{:<28} {:<13} {} new{error}",
            feed.name, feed.state, feed.new_entries
        )?;
    }
    for name in &report.held_back {
        writeln!(out, "{name:<28} held back by the server's Retry-After")?;
    }
    let matched = report
        .articles
        .iter()
        .filter(|p| p.outcome.matched.is_some())
        .count();
    writeln!(
        out,
        "{} articles stored, {matched} joined an existing story",
        report.articles.len()
    )?;
    Ok(())
}

fn poll_json(report: &CycleReport) -> serde_json::Value {
    let articles: Vec<IngestLine> = report
        .articles
        .iter()
        .map(|p| IngestLine::from(&p.outcome))
        .collect();
    serde_json::json!({
        "feeds": report.feeds,
        "held_back": report.held_back,
        "articles": articles,
    })
}

/// One line of an `ingest --jsonl` backfill.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct BackfillLine {
    title: String,
    #[serde(default)]
    text: Option<String>,
    #[serde(default)]
    html: Option<String>,
    #[serde(default)]
    url: Option<String>,
    #[serde(default)]
    source: Option<String>,
    #[serde(default)]
    published: Option<DateTime<Utc>>,
    #[serde(default)]
    author: Option<String>,
    #[serde(default)]
    language: Option<String>,
}

impl BackfillLine {
    fn into_article(self, default_source: &str) -> Result<NewArticle, String> {
        let text = match (self.text, self.html) {
            (Some(text), _) => text,
            (None, Some(html)) => {
                let page = crate::extract::extract(&html, &Default::default())
                    .map_err(|e| e.to_string())?;
                page.text
            }
            (None, None) => return Err("the object has neither \"text\" nor \"html\"".into()),
        };
        Ok(NewArticle {
            url: self.url,
            title: self.title,
            source: self.source.unwrap_or_else(|| default_source.to_owned()),
            feed: None,
            author: self.author,
            published: self.published,
            language: self.language,
            text,
        })
    }
}

/// Backfill lines are ingested in chunks: fingerprints are computed on all
/// cores for a chunk, and the index is committed once per chunk.
const BACKFILL_CHUNK: usize = 500;

pub fn ingest(common: &CommonArgs, args: &IngestArgs) -> anyhow::Result<()> {
    let (config, _) = load_config(common)?;
    let store = open_store(&config)?;
    let mut ingestor = Ingestor::new(store, config.matching.clone())?;
    let mut count = 0usize;
    let mut out = std::io::stdout().lock();
    let mut report = |outcome: &IngestOutcome, origin: &str| -> anyhow::Result<()> {
        count += 1;
        if common.json {
            writeln!(
                out,
                "{}",
                serde_json::to_string(&IngestLine::from(outcome))?
            )?;
        } else {
            let link = match outcome.matched {
                Some(m) => format!("{} of article {m} ({:.2})", outcome.relation, outcome.score),
                None => "new story".to_owned(),
            };
            writeln!(
                out,
                "{origin}: article {} in story {} — {link}",
                outcome.id, outcome.story
            )?;
        }
        Ok(())
    };
    let mut failures = 0usize;
    if let Some(jsonl) = &args.jsonl {
        let file = std::fs::File::open(jsonl)
            .map_err(|e| UsageError(format!("{}: {e}", jsonl.display())))?;
        let mut chunk: Vec<(String, NewArticle)> = Vec::with_capacity(BACKFILL_CHUNK);
        let mut lines = std::io::BufReader::new(file).lines().enumerate().peekable();
        while let Some((index, line)) = lines.next() {
            let origin = format!("{}:{}", jsonl.display(), index + 1);
            let line = line.map_err(|e| anyhow::anyhow!("{origin}: {e}"))?;
            if !line.trim().is_empty() {
                let article = serde_json::from_str::<BackfillLine>(&line)
                    .map_err(|e| e.to_string())
                    .and_then(|parsed| parsed.into_article(&args.source));
                match article {
                    Ok(article) => chunk.push((origin, article)),
                    Err(reason) => {
                        failures += 1;
                        eprintln!("storywatch: {origin}: skipped: {reason}");
                    }
                }
            }
            if chunk.len() == BACKFILL_CHUNK || (lines.peek().is_none() && !chunk.is_empty()) {
                let (origins, articles): (Vec<String>, Vec<NewArticle>) = chunk.drain(..).unzip();
                for (outcome, origin) in ingestor.ingest_batch(articles)?.iter().zip(&origins) {
                    report(outcome, origin)?;
                }
            }
        }
    } else {
        for path in &args.files {
            let article = file_article(path, &args.source)?;
            report(&ingestor.add(article)?, &path.display().to_string())?;
        }
    }
    ingestor.flush()?;
    if !common.json {
        writeln!(
            out,
            "{count} articles ingested into {}",
            config.store.resolved_path().display()
        )?;
    }
    if failures > 0 {
        anyhow::bail!("{failures} lines could not be ingested (see above)");
    }
    Ok(())
}

fn file_article(path: &Path, source: &str) -> anyhow::Result<NewArticle> {
    let FileArticle { article, author } = read_article_file(path)?;
    Ok(NewArticle {
        url: None,
        title: article.title,
        source: source.to_owned(),
        feed: None,
        author,
        published: article.published,
        language: article.language,
        text: article.text,
    })
}
