//! The command line, as clap sees it.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "storywatch",
    version,
    about = "Watches news feeds and tells you when a story is copied, rewritten or picked up elsewhere"
)]
pub struct Cli {
    #[command(flatten)]
    pub common: CommonArgs,
    #[command(subcommand)]
    pub command: Command,
}

/// Options every command accepts.
#[derive(Debug, Args, Clone, Default)]
pub struct CommonArgs {
    /// Config file (else $STORYWATCH_CONFIG, $XDG_CONFIG_HOME/storywatch/config.toml, the bundled default)
    #[arg(long, global = true, value_name = "PATH")]
    pub config: Option<PathBuf>,
    /// Database directory, overriding [store] path
    #[arg(long, global = true, value_name = "DIR")]
    pub store: Option<PathBuf>,
    /// Print machine-readable JSON instead of text
    #[arg(long, global = true)]
    pub json: bool,
    /// More log output (-v info, -vv debug); RUST_LOG overrides
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the daemon in the foreground: poll every enabled feed on its schedule
    Run,
    /// Poll every enabled feed once, process new entries, then exit
    Poll {
        /// One cycle over every enabled feed, whether due or not (required)
        #[arg(long, required = true)]
        once: bool,
    },
    /// Validate the config and list the feeds
    Check,
    /// Parse a feed (URL or file) and list the entries it would ingest
    Preview {
        /// http(s) URL or path of a feed document
        source: String,
    },
    /// Extract title, author, date, language and body text from a page
    Extract {
        /// http(s) URL, path of an HTML file, or - for standard input
        source: String,
        /// CSS selector of the article body, overriding the heuristics
        #[arg(long)]
        selector: Option<String>,
    },
    /// Add articles by hand, or backfill an archive
    Ingest(IngestArgs),
    /// Compare two articles (files or stored ids): score, relation and why
    Compare {
        /// First article: a file path or a stored article id
        first: String,
        /// Second article: a file path or a stored article id
        second: String,
    },
    /// List stored articles, newest first
    Articles {
        #[arg(long, default_value_t = 50)]
        limit: usize,
    },
    /// Show one stored article
    Show { id: u64 },
    /// List stories, newest first
    Stories {
        #[arg(long, default_value_t = 50)]
        limit: usize,
        /// Include stories with a single article
        #[arg(long)]
        all: bool,
        /// Only the stories you follow, whatever their size
        #[arg(long, conflicts_with = "all")]
        followed: bool,
    },
    /// Show one story with its articles and how they relate
    Story { id: u64 },
    /// Follow a story: with [notify] scope = "ours", another outlet joining it alerts
    Follow { story: u64 },
    /// Stop following a story
    Unfollow { story: u64 },
    /// Show each feed's state: last fetch, status, validators, errors, next poll
    Feeds,
    /// Print the configured feeds as OPML, to import into another reader
    Opml,
    /// Run storywatch offline against bundled sample feeds in a temporary store
    Demo {
        /// Seconds between the demo's polling waves
        #[arg(long, default_value_t = 5)]
        wave_seconds: u64,
    },
    /// Measure accuracy on evaluation data
    #[command(subcommand)]
    Eval(EvalCommand),
}

impl Command {
    /// Whether the command only prints a report and exits. Such a command
    /// may simply end when its reader goes away (`storywatch stories |
    /// head`); the others hold feeds, a bus connection or a store mid-write
    /// and must finish what they are doing.
    pub fn only_reports(&self) -> bool {
        !matches!(
            self,
            Command::Run | Command::Poll { .. } | Command::Ingest(_) | Command::Demo { .. }
        )
    }
}

#[derive(Debug, Args)]
pub struct IngestArgs {
    /// Files to add: .html/.htm pages are extracted; other files are plain
    /// text with the title on the first line
    #[arg(required_unless_present = "jsonl", conflicts_with = "jsonl")]
    pub files: Vec<PathBuf>,
    /// Backfill from a JSON Lines file: one object a line with title, text or
    /// html, url, source, published
    #[arg(long, value_name = "FILE")]
    pub jsonl: Option<PathBuf>,
    /// Source name for files added by hand
    #[arg(long, default_value = "manual")]
    pub source: String,
}

#[derive(Debug, Subcommand)]
pub enum EvalCommand {
    /// The five seed reports: pairs linked, one story, relations right
    Seeds {
        dir: PathBuf,
        /// Also ingest these unrelated articles (e.g. WikiRef) and check none joins the seed story
        #[arg(long)]
        noise: Option<PathBuf>,
    },
    /// SemEval-2022 Task 8 pairs: Pearson per language pair, same-story P/R/F1
    Semeval { file: PathBuf },
    /// Clough & Stevenson corpus: cut/light/heavy/non against relations
    Clough { dir: PathBuf },
    /// WikiRef220: story purity against topics, cross-topic merges
    Wikiref { dir: PathBuf },
    /// WCXB-style extraction benchmark: shingle F1, snippets, metadata, speed
    Extraction {
        dir: PathBuf,
        /// Also list every page whose title, author or date is wrong, with the expected and extracted values
        #[arg(long)]
        misses: bool,
        /// Also list every page's shingle precision, recall and F1, in page order (diff two runs to see what a change moved)
        #[arg(long)]
        pages: bool,
    },
}
