//! The sled database: articles, feed state, stories, the matcher's index and
//! the alert log.
//!
//! One [`Store`] per database directory; sled holds an exclusive file lock, so
//! a second process (or a second open in the same process) gets
//! [`StoreError::Locked`] naming the path.
//!
//! # Trees
//!
//! Integers in keys are big-endian so that sled's byte order is numeric
//! order. Records that people read or that gain fields over time are JSON
//! (new fields carry serde defaults); the hot, bulky matcher data is packed
//! binary.
//!
//! | tree | key | value |
//! |---|---|---|
//! | `meta` | `schema_version` | `u32` BE, see [`SCHEMA_VERSION`] |
//! | `meta` | `next_article_id`, `next_story_id` | `u64` BE: the next id to hand out |
//! | `meta` | `index_days` | per day with indexed articles: day `i32` BE, count `u32` BE |
//! | `meta` | `indexed_through` | `u64` BE: the last article whose index postings are committed |
//! | `articles` | [`ArticleId`] `u64` BE | [`ArticleRecord`] JSON, zstd-compressed after a `0x01` byte when over 256 bytes |
//! | `article_urls` | URL, UTF-8 | [`ArticleId`] `u64` BE (one article per URL) |
//! | `fingerprints` | [`ArticleId`] `u64` BE | the matcher's fingerprint, packed binary |
//! | `seen` | feed key, `0x00`, entry id (UTF-8) | [`SeenEntry`]: article id `u64` BE (0 = none) + unix seconds `i64` BE |
//! | `feeds` | feed URL, UTF-8 | the fetcher's feed state, JSON |
//! | `stories` | [`StoryId`] `u64` BE | story header JSON (id, first, merged_from, times) |
//! | `story_members` | [`StoryId`] BE ‖ [`ArticleId`] BE | [`StoryMember`] JSON |
//! | `article_story` | [`ArticleId`] BE | [`StoryId`] BE |
//! | `merges` | absorbed [`StoryId`] BE | [`MergeRecord`] JSON (where it went, which article linked them) |
//! | `index_segments` | day (`i32` BE, sign bit flipped) ‖ first [`ArticleId`] of the segment BE | one commit's postings for that day: per article, varint id delta, varint key count, varint keys (see [`index`]) |
//! | `doc_freq` | `log` ‖ `u64` BE / `snap` ‖ `u32` BE / `docs` | document-frequency deltas, snapshots and the document count, see [`doc_freq`] |
//! | `alerts` | [`ArticleId`] BE | [`AlertRecord`] JSON |
//! | `followed` | [`StoryId`] BE | unix seconds `i64` BE: when `storywatch follow` was run |
//!
//! `index_segments` doubles as the time index: it holds, per publication
//! day (else fetch day), the articles of that day, so the candidate window
//! is a key range. Days are loaded into memory as windows reach them.
//!
//! Stories keep their members under their own keys so that adding an article
//! to a long-running story writes one small key, not the whole member list.

mod alerts;
mod articles;
mod codec;
pub mod doc_freq;
mod feeds;
mod followed;
pub mod index;
mod seen;
mod stories;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

pub use alerts::AlertRecord;
pub use articles::{effective_time, ArticleRecord};
pub use seen::SeenEntry;
pub(crate) use stories::StoryHeader;
pub use stories::{MergeRecord, Story, StoryMember};

/// Identifies an article; handed out in increasing order, never reused.
pub type ArticleId = u64;
/// Identifies a story; handed out in increasing order, never reused, and
/// kept by the older story when two merge.
pub type StoryId = u64;

/// sled's page cache. Its default (1 GB) would dominate the daemon's memory;
/// the hot data (recent fingerprints, story heads) is far smaller, and the
/// candidate index keeps its own postings in memory.
const CACHE_BYTES: u64 = 64 * 1024 * 1024;

/// The layout version this build reads and writes. Version 2 stores
/// article records zstd-compressed; it reads version 1's plain ones, and
/// opening a version 1 store marks it version 2, so an older storywatch
/// refuses it by name instead of failing on the first compressed record.
pub const SCHEMA_VERSION: u32 = 2;

/// What can go wrong with the database.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error(
        "the store at {} is locked: another storywatch is probably running on it",
        path.display()
    )]
    Locked { path: PathBuf },
    #[error(
        "the store at {} has schema version {found}, newer than this storywatch understands ({supported}); \
         upgrade storywatch or point it at another store",
        path.display()
    )]
    NewerSchema {
        path: PathBuf,
        found: u32,
        supported: u32,
    },
    #[error("cannot create the store directory {}: {source}", path.display())]
    CreateDir {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("store at {}: {source}", path.display())]
    Open { path: PathBuf, source: sled::Error },
    #[error("store: {0}")]
    Sled(#[from] sled::Error),
    #[error("store: corrupt {what} in tree `{tree}`: {detail}")]
    Corrupt {
        tree: &'static str,
        what: String,
        detail: String,
    },
    #[error("store: cannot encode {what}: {detail}")]
    Encode { what: String, detail: String },
}

pub(crate) const META: &str = "meta";
pub(crate) const ARTICLES: &str = "articles";
pub(crate) const ARTICLE_URLS: &str = "article_urls";
pub(crate) const FINGERPRINTS: &str = "fingerprints";
pub(crate) const SEEN: &str = "seen";
pub(crate) const FEEDS: &str = "feeds";
pub(crate) const STORIES: &str = "stories";
pub(crate) const STORY_MEMBERS: &str = "story_members";
pub(crate) const ARTICLE_STORY: &str = "article_story";
pub(crate) const MERGES: &str = "merges";
pub(crate) const INDEX_SEGMENTS: &str = "index_segments";
pub(crate) const DOC_FREQ: &str = "doc_freq";
pub(crate) const ALERTS: &str = "alerts";
pub(crate) const FOLLOWED: &str = "followed";

const SCHEMA_KEY: &[u8] = b"schema_version";
const NEXT_ARTICLE_KEY: &[u8] = b"next_article_id";
const NEXT_STORY_KEY: &[u8] = b"next_story_id";

/// The open database. Cloning is cheap and shares the same database and id
/// counters.
#[derive(Clone)]
pub struct Store {
    db: sled::Db,
    path: Option<PathBuf>,
    trees: Trees,
    counters: Arc<Counters>,
}

#[derive(Clone)]
pub(crate) struct Trees {
    pub(crate) meta: sled::Tree,
    pub(crate) articles: sled::Tree,
    pub(crate) article_urls: sled::Tree,
    pub(crate) fingerprints: sled::Tree,
    pub(crate) seen: sled::Tree,
    pub(crate) feeds: sled::Tree,
    pub(crate) stories: sled::Tree,
    pub(crate) story_members: sled::Tree,
    pub(crate) article_story: sled::Tree,
    pub(crate) merges: sled::Tree,
    pub(crate) index_segments: sled::Tree,
    pub(crate) doc_freq: sled::Tree,
    pub(crate) alerts: sled::Tree,
    pub(crate) followed: sled::Tree,
}

struct Counters {
    next_article: AtomicU64,
    next_story: AtomicU64,
}

impl Store {
    /// Opens (creating if needed) the store in directory `path`.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        std::fs::create_dir_all(path).map_err(|source| StoreError::CreateDir {
            path: path.to_owned(),
            source,
        })?;
        let db = sled::Config::new()
            .path(path)
            .cache_capacity(CACHE_BYTES)
            .open()
            .map_err(|e| open_error(path, e))?;
        Store::init(db, Some(path.to_owned()))
    }

    /// A store in a fresh temporary directory, removed when the last handle
    /// drops. For tests and evaluations.
    pub fn temporary() -> Result<Store, StoreError> {
        let db = sled::Config::new()
            .temporary(true)
            .cache_capacity(CACHE_BYTES)
            .open()?;
        Store::init(db, None)
    }

    fn init(db: sled::Db, path: Option<PathBuf>) -> Result<Store, StoreError> {
        let open = |name: &str| db.open_tree(name);
        let trees = Trees {
            meta: open(META)?,
            articles: open(ARTICLES)?,
            article_urls: open(ARTICLE_URLS)?,
            fingerprints: open(FINGERPRINTS)?,
            seen: open(SEEN)?,
            feeds: open(FEEDS)?,
            stories: open(STORIES)?,
            story_members: open(STORY_MEMBERS)?,
            article_story: open(ARTICLE_STORY)?,
            merges: open(MERGES)?,
            index_segments: open(INDEX_SEGMENTS)?,
            doc_freq: open(DOC_FREQ)?,
            alerts: open(ALERTS)?,
            followed: open(FOLLOWED)?,
        };
        check_schema(&trees.meta, path.as_deref())?;
        let counters = Arc::new(Counters {
            next_article: AtomicU64::new(next_article_id(&trees)?),
            next_story: AtomicU64::new(next_story_id(&trees)?),
        });
        Ok(Store {
            db,
            path,
            trees,
            counters,
        })
    }

    /// The database directory (`None` for a temporary store).
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// The underlying database, for trees other modules own.
    pub fn db(&self) -> &sled::Db {
        &self.db
    }

    /// A named tree of the database, for data other modules own.
    pub fn tree(&self, name: &str) -> Result<sled::Tree, StoreError> {
        Ok(self.db.open_tree(name)?)
    }

    /// Writes everything to disk and waits for it.
    pub fn flush(&self) -> Result<(), StoreError> {
        self.db.flush()?;
        Ok(())
    }

    pub(crate) fn trees(&self) -> &Trees {
        &self.trees
    }

    /// Hands out the next article id. The counter is persisted with the
    /// article's index commit (see [`Store::persist_counters`]).
    pub(crate) fn allocate_article_id(&self) -> ArticleId {
        self.counters.next_article.fetch_add(1, Ordering::SeqCst)
    }

    pub(crate) fn allocate_story_id(&self) -> StoryId {
        self.counters.next_story.fetch_add(1, Ordering::SeqCst)
    }

    /// Saves both id counters.
    pub(crate) fn persist_counters(&self) -> Result<(), StoreError> {
        let mut batch = sled::Batch::default();
        let article = self.counters.next_article.load(Ordering::SeqCst);
        let story = self.counters.next_story.load(Ordering::SeqCst);
        batch.insert(NEXT_ARTICLE_KEY, &article.to_be_bytes());
        batch.insert(NEXT_STORY_KEY, &story.to_be_bytes());
        self.trees.meta.apply_batch(batch)?;
        Ok(())
    }
}

/// sled reports a held lock as a plain io error whose text starts with
/// "could not acquire lock"; nothing else produces that text.
fn open_error(path: &Path, error: sled::Error) -> StoreError {
    match &error {
        sled::Error::Io(io) if io.to_string().contains("could not acquire lock") => {
            StoreError::Locked {
                path: path.to_owned(),
            }
        }
        _ => StoreError::Open {
            path: path.to_owned(),
            source: error,
        },
    }
}

fn check_schema(meta: &sled::Tree, path: Option<&Path>) -> Result<(), StoreError> {
    match meta.get(SCHEMA_KEY)? {
        None => {
            meta.insert(SCHEMA_KEY, &SCHEMA_VERSION.to_be_bytes())?;
            Ok(())
        }
        Some(bytes) => {
            let found = codec::decode_u32(&bytes, META, "schema_version")?;
            if found > SCHEMA_VERSION {
                return Err(StoreError::NewerSchema {
                    path: path.map(Path::to_owned).unwrap_or_default(),
                    found,
                    supported: SCHEMA_VERSION,
                });
            }
            if found < SCHEMA_VERSION {
                meta.insert(SCHEMA_KEY, &SCHEMA_VERSION.to_be_bytes())?;
            }
            Ok(())
        }
    }
}

/// The persisted counter may lag the data after a crash between two batch
/// writes, so take whichever is further.
fn next_article_id(trees: &Trees) -> Result<ArticleId, StoreError> {
    let counter = read_counter(&trees.meta, NEXT_ARTICLE_KEY)?;
    let last = last_id(&trees.articles, ARTICLES)?;
    Ok(counter.max(last + 1).max(1))
}

/// Merged-away story ids live on in `merges`, so they count too.
fn next_story_id(trees: &Trees) -> Result<StoryId, StoreError> {
    let counter = read_counter(&trees.meta, NEXT_STORY_KEY)?;
    let last = last_id(&trees.stories, STORIES)?.max(last_id(&trees.merges, MERGES)?);
    Ok(counter.max(last + 1).max(1))
}

fn read_counter(meta: &sled::Tree, key: &[u8]) -> Result<u64, StoreError> {
    match meta.get(key)? {
        Some(bytes) => codec::decode_u64(&bytes, META, "counter"),
        None => Ok(0),
    }
}

fn last_id(tree: &sled::Tree, name: &'static str) -> Result<u64, StoreError> {
    match tree.last()? {
        Some((key, _)) => codec::decode_u64(&key[..8.min(key.len())], name, "key"),
        None => Ok(0),
    }
}
