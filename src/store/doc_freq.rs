//! Document frequencies of term keys: counted in memory as articles arrive,
//! persisted once per commit as a delta, and folded into a snapshot when the
//! deltas outgrow it.
//!
//! Layout of tree `doc_freq`:
//! * `log` ‖ `u64` BE sequence → one commit's delta: varint documents added,
//!   then (term `u32` LE, varint count) pairs;
//! * `snap` ‖ `u32` BE chunk → up to [`SNAPSHOT_CHUNK`] (term `u32` LE,
//!   count `u32` LE) pairs;
//! * `docs` → documents counted in the snapshot, `u64` BE.
//!
//! Replacing the snapshot and deleting the folded deltas is one sled batch,
//! so a crash never counts a delta twice.
//!
//! Term keys are 32-bit (see [`crate::matcher::keys`]), so counts are held as
//! `u32 → u32`, about 10 bytes a term in memory.

use rustc_hash::FxHashMap;

use super::codec::{corrupt, decode_u64, put_varint, Reader};
use super::{StoreError, DOC_FREQ};
use crate::matcher::{Fingerprint, PriorStats, TermStats};

const LOG_PREFIX: &[u8] = b"log";
const SNAPSHOT_PREFIX: &[u8] = b"snap";
const DOCS_KEY: &[u8] = b"docs";
/// Pairs per snapshot value: about 0.5 MB.
pub const SNAPSHOT_CHUNK: usize = 65_536;
/// Deltas are folded once they exceed the snapshot and this many bytes.
const MIN_LOG_BYTES_TO_FOLD: u64 = 4 << 20;
/// Documents' worth of weight the prior keeps next to the counts, so the
/// first articles in a new store are weighted sensibly.
const PRIOR_WEIGHT_DOCS: u64 = 200;

/// Counted document frequencies, blended with [`PriorStats`].
#[derive(Debug, Default)]
pub struct DocFreq {
    docs: u64,
    counts: FxHashMap<u32, u32>,
    pending_docs: u64,
    pending: FxHashMap<u32, u32>,
    next_log: u64,
    log_bytes: u64,
    snapshot_bytes: u64,
}

impl DocFreq {
    /// Reads the snapshot and every delta.
    pub fn load(tree: &sled::Tree) -> Result<DocFreq, StoreError> {
        let mut freq = DocFreq::default();
        if let Some(bytes) = tree.get(DOCS_KEY)? {
            freq.docs = decode_u64(&bytes, DOC_FREQ, "docs")?;
        }
        for entry in tree.scan_prefix(SNAPSHOT_PREFIX) {
            let (_, bytes) = entry?;
            freq.snapshot_bytes += bytes.len() as u64;
            if bytes.len() % 8 != 0 {
                return Err(corrupt(DOC_FREQ, "snapshot", "length not a multiple of 8"));
            }
            for pair in bytes.chunks_exact(8) {
                let term = u32::from_le_bytes([pair[0], pair[1], pair[2], pair[3]]);
                let count = u32::from_le_bytes([pair[4], pair[5], pair[6], pair[7]]);
                *freq.counts.entry(term).or_default() += count;
            }
        }
        for entry in tree.scan_prefix(LOG_PREFIX) {
            let (key, bytes) = entry?;
            freq.log_bytes += bytes.len() as u64;
            let seq = decode_u64(&key[LOG_PREFIX.len()..], DOC_FREQ, "log key")?;
            freq.next_log = freq.next_log.max(seq + 1);
            let mut reader = Reader::new(&bytes, DOC_FREQ);
            freq.docs += reader.varint()?;
            while !reader.is_empty() {
                let term = reader.u32_le()?;
                let count = u32::try_from(reader.varint()?)
                    .map_err(|_| corrupt(DOC_FREQ, "log count", "exceeds u32"))?;
                *freq.counts.entry(term).or_default() += count;
            }
        }
        Ok(freq)
    }

    /// Counts one more document.
    pub fn add(&mut self, fingerprint: &Fingerprint) {
        self.docs += 1;
        self.pending_docs += 1;
        for key in fingerprint.term_keys() {
            // Term keys are 32-bit by construction (see `keys::term_key`).
            let key = key as u32;
            *self.counts.entry(key).or_default() += 1;
            *self.pending.entry(key).or_default() += 1;
        }
    }

    /// Terms with a count.
    pub fn terms(&self) -> usize {
        self.counts.len()
    }

    /// Persists the counts added since the last commit, folding the deltas
    /// into a new snapshot when they have grown large.
    pub fn commit(&mut self, tree: &sled::Tree) -> Result<(), StoreError> {
        if self.pending_docs == 0 {
            return Ok(());
        }
        let mut delta = Vec::with_capacity(self.pending.len() * 6 + 10);
        put_varint(&mut delta, self.pending_docs);
        let mut terms: Vec<(u32, u32)> = self.pending.drain().collect();
        terms.sort_unstable();
        for (term, count) in terms {
            delta.extend_from_slice(&term.to_le_bytes());
            put_varint(&mut delta, u64::from(count));
        }
        self.pending_docs = 0;
        self.log_bytes += delta.len() as u64;
        let mut key = LOG_PREFIX.to_vec();
        key.extend_from_slice(&self.next_log.to_be_bytes());
        self.next_log += 1;
        tree.insert(key, delta)?;
        if self.log_bytes > self.snapshot_bytes.max(MIN_LOG_BYTES_TO_FOLD) {
            self.fold(tree)?;
        }
        Ok(())
    }

    fn fold(&mut self, tree: &sled::Tree) -> Result<(), StoreError> {
        let mut batch = sled::Batch::default();
        for prefix in [LOG_PREFIX, SNAPSHOT_PREFIX] {
            for key in tree.scan_prefix(prefix).keys() {
                batch.remove(key?);
            }
        }
        let mut terms: Vec<(u32, u32)> = self.counts.iter().map(|(t, c)| (*t, *c)).collect();
        terms.sort_unstable();
        self.snapshot_bytes = 0;
        for (chunk_no, chunk) in terms.chunks(SNAPSHOT_CHUNK).enumerate() {
            let mut value = Vec::with_capacity(chunk.len() * 8);
            for (term, count) in chunk {
                value.extend_from_slice(&term.to_le_bytes());
                value.extend_from_slice(&count.to_le_bytes());
            }
            self.snapshot_bytes += value.len() as u64;
            let mut key = SNAPSHOT_PREFIX.to_vec();
            key.extend_from_slice(&(chunk_no as u32).to_be_bytes());
            batch.insert(key, value);
        }
        batch.insert(DOCS_KEY, &self.docs.to_be_bytes());
        tree.apply_batch(batch)?;
        self.log_bytes = 0;
        Ok(())
    }
}

impl TermStats for DocFreq {
    fn doc_count(&self) -> u64 {
        self.docs + PRIOR_WEIGHT_DOCS
    }

    fn doc_freq(&self, term: u64) -> u64 {
        let counted = self.counts.get(&(term as u32)).copied().unwrap_or(0);
        u64::from(counted) + (PriorStats::fraction(term) * PRIOR_WEIGHT_DOCS as f64).round() as u64
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::matcher::ArticleText;

    #[test]
    fn counts_survive_commits_folds_and_reloads() {
        let db = sled::Config::new().temporary(true).open().unwrap();
        let tree = db.open_tree("doc_freq").unwrap();
        let fingerprint = Fingerprint::of(&ArticleText {
            title: "Harbour pier closed",
            body: "Divers found cracks in the oak pilings of the north pier at Quillport.",
            ..ArticleText::default()
        });
        let term = fingerprint.term_keys()[0];
        let mut freq = DocFreq::load(&tree).unwrap();
        let before = freq.doc_freq(term);
        freq.add(&fingerprint);
        freq.add(&fingerprint);
        freq.commit(&tree).unwrap();
        let reloaded = DocFreq::load(&tree).unwrap();
        assert_eq!(reloaded.doc_freq(term), before + 2);
        assert_eq!(reloaded.doc_count(), freq.doc_count());

        freq.fold(&tree).unwrap();
        assert_eq!(tree.scan_prefix(LOG_PREFIX).count(), 0);
        freq.add(&fingerprint);
        freq.commit(&tree).unwrap();
        let reloaded = DocFreq::load(&tree).unwrap();
        assert_eq!(reloaded.doc_freq(term), before + 3);
        assert_eq!(reloaded.doc_count(), PRIOR_WEIGHT_DOCS + 3);
    }
}
