//! The candidate index: which stored articles share index keys with a new
//! one, inside the time window, without looking at any other article.
//!
//! Postings are partitioned by the articles' day (see
//! [`ArticleRecord::effective_time`](super::ArticleRecord::effective_time)).
//! A day's postings live in memory as chained lists (8 bytes a posting plus
//! one hash entry a distinct key), loaded from disk the first time a window
//! touches the day and dropped again, least recently used first, once more
//! than the limit given to [`CandidateIndex::open`] are held.
//!
//! On disk (tree `index_segments`) each commit writes one segment per day it
//! touched: key = day (`i32` BE, sign bit flipped so negative days sort
//! first) ‖ first article id of the segment (`u64` BE); value = for each
//! article, varint id delta, varint key count, then the keys as varints. A
//! day is thus one key range, and a commit of a thousand articles is a
//! handful of writes, not one per posting. `meta` keeps `index_days` (per
//! day the number of indexed articles: `i32` BE day, `u32` BE count pairs) and
//! `indexed_through` (the highest article id whose postings are committed).
//!
//! Very common keys carry no signal and would make every article a
//! candidate: past [`MAX_KEY_DOCS`] articles in the window (or
//! [`MAX_KEY_SHARE`] of a large window) a key is skipped,
//! and a day stops recording postings for a key after
//! [`MAX_POSTINGS_PER_DAY`]. A query reads its keys rarest first and stops
//! after [`POSTINGS_BUDGET`] postings, so its cost is bounded however large
//! the store grows.

use std::cmp::Ordering;
use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use rustc_hash::FxHashMap;

use super::codec::{corrupt, decode_u64, put_varint, Reader};
use super::{ArticleId, StoreError, INDEX_SEGMENTS, META};

/// Days since the Unix epoch.
pub type Day = i32;

/// Postings recorded per key and day; past this the key is only counted.
pub const MAX_POSTINGS_PER_DAY: u32 = 1_000;
/// A key found in more window articles than this is skipped as common...
pub const MAX_KEY_DOCS: u32 = 1_000;
/// ...and so is one found in more than this share of them (once the window
/// holds enough articles for the share to mean something).
pub const MAX_KEY_SHARE: f64 = 0.01;
/// Window size below which [`MAX_KEY_SHARE`] does not apply.
const MIN_DOCS_FOR_SHARE: u64 = 5_000;
/// Postings read per query at most, rarest keys first.
pub const POSTINGS_BUDGET: usize = 3_000;
/// Keys a candidate must share with the query (fewer for queries with
/// under eight times as many keys): a few shared names or terms are chance.
pub const MIN_SHARED_KEYS: u32 = 5;
/// Candidates sharing fewer keys (but at least two) still compared, the
/// heaviest first: a report in another language may share only a few rare
/// names and numbers.
pub const TOP_WEAK_CANDIDATES: usize = 4;

const INDEX_DAYS_KEY: &[u8] = b"index_days";
const INDEXED_THROUGH_KEY: &[u8] = b"indexed_through";
const END: u32 = u32::MAX;

/// The day `time` falls on.
pub fn day_of(time: DateTime<Utc>) -> Day {
    time.timestamp().div_euclid(86_400) as Day
}

fn day_prefix(day: Day) -> [u8; 4] {
    ((day as u32) ^ 0x8000_0000).to_be_bytes()
}

/// A stored article sharing keys with the query, and how much they share.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Candidate {
    pub article: ArticleId,
    pub day: Day,
    /// Sum of the shared keys' weights (rarer keys weigh more).
    pub weight: f64,
    pub shared_keys: u32,
}

#[derive(Clone, Copy)]
struct Chain {
    head: u32,
    /// Articles of the day with the key, counted past the recorded ones.
    docs: u32,
}

#[derive(Clone, Copy)]
struct Link {
    slot: u32,
    next: u32,
}

#[derive(Default)]
struct DayPostings {
    articles: Vec<ArticleId>,
    chains: FxHashMap<u64, Chain>,
    links: Vec<Link>,
    last_used: u64,
}

impl DayPostings {
    fn add(&mut self, article: ArticleId, keys: &[u64]) {
        let slot = self.articles.len() as u32;
        self.articles.push(article);
        for &key in keys {
            let chain = self
                .chains
                .entry(key)
                .or_insert(Chain { head: END, docs: 0 });
            chain.docs += 1;
            if chain.docs <= MAX_POSTINGS_PER_DAY {
                self.links.push(Link {
                    slot,
                    next: chain.head,
                });
                chain.head = (self.links.len() - 1) as u32;
            }
        }
    }

    fn postings(&self, chain: Chain) -> impl Iterator<Item = ArticleId> + '_ {
        let mut at = chain.head;
        std::iter::from_fn(move || {
            let link = self.links.get(at as usize)?;
            at = link.next;
            Some(self.articles[link.slot as usize])
        })
    }
}

/// One commit's postings for one day, encoded as they arrive.
struct PendingSegment {
    first: ArticleId,
    last: ArticleId,
    bytes: Vec<u8>,
}

/// In-memory postings for the days in use, plus what awaits the next commit.
pub struct CandidateIndex {
    tree: sled::Tree,
    meta: sled::Tree,
    days: BTreeMap<Day, DayPostings>,
    /// Indexed articles per day, committed or not.
    day_counts: BTreeMap<Day, u32>,
    pending: BTreeMap<Day, PendingSegment>,
    indexed_through: ArticleId,
    pending_through: ArticleId,
    clock: u64,
    max_loaded_days: usize,
}

impl CandidateIndex {
    /// Opens the index kept in `index_segments` and `meta`, keeping up to
    /// `max_loaded_days` days of postings in memory.
    pub fn open(
        tree: sled::Tree,
        meta: sled::Tree,
        max_loaded_days: usize,
    ) -> Result<CandidateIndex, StoreError> {
        let mut day_counts = BTreeMap::new();
        if let Some(bytes) = meta.get(INDEX_DAYS_KEY)? {
            if bytes.len() % 8 != 0 {
                return Err(corrupt(META, "index_days", "length not a multiple of 8"));
            }
            for pair in bytes.chunks_exact(8) {
                let day = i32::from_be_bytes([pair[0], pair[1], pair[2], pair[3]]);
                let count = u32::from_be_bytes([pair[4], pair[5], pair[6], pair[7]]);
                day_counts.insert(day, count);
            }
        }
        let indexed_through = match meta.get(INDEXED_THROUGH_KEY)? {
            Some(bytes) => decode_u64(&bytes, META, "indexed_through")?,
            None => 0,
        };
        Ok(CandidateIndex {
            tree,
            meta,
            days: BTreeMap::new(),
            day_counts,
            pending: BTreeMap::new(),
            indexed_through,
            pending_through: indexed_through,
            clock: 0,
            max_loaded_days: max_loaded_days.max(1),
        })
    }

    /// The highest article id whose postings are committed; articles after
    /// it were stored but their postings lost (a crash before the commit).
    pub fn indexed_through(&self) -> ArticleId {
        self.indexed_through
    }

    /// Postings held in memory, for size reports.
    pub fn loaded_postings(&self) -> usize {
        self.days.values().map(|d| d.links.len()).sum()
    }

    /// Indexes `article`, dated `day`, under `keys`.
    pub fn add(&mut self, article: ArticleId, day: Day, keys: &[u64]) -> Result<(), StoreError> {
        self.load(day)?;
        self.clock += 1;
        let clock = self.clock;
        let postings = self.days.entry(day).or_default();
        postings.last_used = clock;
        postings.add(article, keys);
        *self.day_counts.entry(day).or_default() += 1;
        let segment = self.pending.entry(day).or_insert(PendingSegment {
            first: article,
            last: 0,
            bytes: Vec::new(),
        });
        put_varint(&mut segment.bytes, article - segment.last);
        segment.last = article;
        put_varint(&mut segment.bytes, keys.len() as u64);
        for &key in keys {
            put_varint(&mut segment.bytes, key);
        }
        self.pending_through = self.pending_through.max(article);
        Ok(())
    }

    /// Articles within `window` days of `day` that share keys with `keys`,
    /// best first, at most `limit`.
    pub fn candidates(
        &mut self,
        day: Day,
        window: u32,
        keys: &[u64],
        limit: usize,
    ) -> Result<Vec<Candidate>, StoreError> {
        let window = window.min(36_500) as Day;
        let span = day.saturating_sub(window)..=day.saturating_add(window);
        let days: Vec<Day> = self.day_counts.range(span).map(|(d, _)| *d).collect();
        self.clock += 1;
        for &d in &days {
            self.load(d)?;
            if let Some(postings) = self.days.get_mut(&d) {
                postings.last_used = self.clock;
            }
        }
        let loaded: Vec<(Day, &DayPostings)> = days
            .iter()
            .filter_map(|d| self.days.get(d).map(|p| (*d, p)))
            .collect();
        let window_docs: u64 = loaded.iter().map(|(_, p)| p.articles.len() as u64).sum();
        let max_docs = if window_docs < MIN_DOCS_FOR_SHARE {
            MAX_KEY_DOCS
        } else {
            MAX_KEY_DOCS.min((window_docs as f64 * MAX_KEY_SHARE) as u32)
        };
        // Each key's chains in the window days, found once: (day, chain)
        // runs in `hits`, and per usable key its window count and run.
        let mut hits: Vec<(usize, Chain)> = Vec::with_capacity(keys.len() * loaded.len());
        let mut usable: Vec<(u32, usize, usize)> = Vec::with_capacity(keys.len());
        for key in keys {
            let start = hits.len();
            for (day, (_, postings)) in loaded.iter().enumerate() {
                if let Some(chain) = postings.chains.get(key) {
                    hits.push((day, *chain));
                }
            }
            let docs: u32 = hits[start..].iter().map(|(_, chain)| chain.docs).sum();
            if (1..=max_docs).contains(&docs) {
                usable.push((docs, start, hits.len()));
            }
        }
        // Rarest keys first: they say the most, and once the budget is
        // spent the common rest would only add noise and time.
        usable.sort_unstable();
        let expected = usable
            .iter()
            .map(|(docs, ..)| *docs as usize)
            .sum::<usize>();
        let mut found: FxHashMap<ArticleId, Candidate> =
            FxHashMap::with_capacity_and_hasher(expected.min(POSTINGS_BUDGET), Default::default());
        let mut walked = 0usize;
        for (docs, start, end) in usable {
            if walked >= POSTINGS_BUDGET {
                break;
            }
            let weight = (1.0 + window_docs as f64 / f64::from(docs)).ln();
            for &(day, chain) in &hits[start..end] {
                let (day, postings) = loaded[day];
                for article in postings.postings(chain) {
                    walked += 1;
                    let entry = found.entry(article).or_insert(Candidate {
                        article,
                        day,
                        weight: 0.0,
                        shared_keys: 0,
                    });
                    entry.weight += weight;
                    entry.shared_keys += 1;
                }
            }
        }
        let strong = (keys.len() as u32 / 8).clamp(1, MIN_SHARED_KEYS);
        let by_weight = |a: &Candidate, b: &Candidate| {
            b.weight
                .total_cmp(&a.weight)
                .then(b.article.cmp(&a.article))
        };
        let (mut ranked, mut weak): (Vec<Candidate>, Vec<Candidate>) = found
            .into_values()
            .filter(|c| c.shared_keys >= strong.min(2))
            .partition(|c| c.shared_keys >= strong);
        top(&mut ranked, limit, by_weight);
        top(&mut weak, TOP_WEAK_CANDIDATES.min(limit), by_weight);
        ranked.extend(weak);
        ranked.sort_by(by_weight);
        ranked.truncate(limit);
        Ok(ranked)
    }

    /// Writes the pending segments and day counts, then lets memory shrink
    /// back to the limit of days held.
    pub fn commit(&mut self) -> Result<(), StoreError> {
        if self.pending.is_empty() {
            return Ok(());
        }
        let mut batch = sled::Batch::default();
        for (day, segment) in std::mem::take(&mut self.pending) {
            let mut key = day_prefix(day).to_vec();
            key.extend_from_slice(&segment.first.to_be_bytes());
            batch.insert(key, segment.bytes);
        }
        self.tree.apply_batch(batch)?;
        let mut days = Vec::with_capacity(self.day_counts.len() * 8);
        for (day, count) in &self.day_counts {
            days.extend_from_slice(&day.to_be_bytes());
            days.extend_from_slice(&count.to_be_bytes());
        }
        let mut meta = sled::Batch::default();
        meta.insert(INDEX_DAYS_KEY, days);
        meta.insert(INDEXED_THROUGH_KEY, &self.pending_through.to_be_bytes());
        self.meta.apply_batch(meta)?;
        self.indexed_through = self.pending_through;
        self.evict();
        Ok(())
    }

    fn evict(&mut self) {
        while self.days.len() > self.max_loaded_days {
            let oldest = self
                .days
                .iter()
                .min_by_key(|(_, p)| p.last_used)
                .map(|(d, _)| *d);
            match oldest {
                Some(day) => self.days.remove(&day),
                None => break,
            };
        }
    }

    /// Brings a stored day into memory. Days with pending postings are in
    /// memory already (eviction happens only right after a commit).
    fn load(&mut self, day: Day) -> Result<(), StoreError> {
        if self.days.contains_key(&day) || !self.day_counts.contains_key(&day) {
            return Ok(());
        }
        let mut postings = DayPostings::default();
        let mut keys = Vec::new();
        for entry in self.tree.scan_prefix(day_prefix(day)) {
            let (_, bytes) = entry?;
            let mut reader = Reader::new(&bytes, INDEX_SEGMENTS);
            let mut article = 0;
            while !reader.is_empty() {
                article += reader.varint()?;
                let count = reader.varint()?;
                keys.clear();
                for _ in 0..count {
                    keys.push(reader.varint()?);
                }
                postings.add(article, &keys);
            }
        }
        self.days.insert(day, postings);
        Ok(())
    }
}

/// Keeps the `n` best of `items` by `order`, in no particular order.
fn top(items: &mut Vec<Candidate>, n: usize, order: impl Fn(&Candidate, &Candidate) -> Ordering) {
    if items.len() > n {
        items.select_nth_unstable_by(n, order);
        items.truncate(n);
    }
}

#[cfg(test)]
#[path = "index_tests.rs"]
mod tests;
