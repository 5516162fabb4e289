//! Document frequencies for term weighting.
//!
//! The store counts how many articles contain each term key; before it has
//! seen enough articles, [`PriorStats`] guesses from the key's class alone.

use std::collections::HashMap;
use std::sync::OnceLock;

use super::keys::KeyClass;
use super::Fingerprint;

/// Document frequencies of term keys (from [`Fingerprint::term_keys`]).
pub trait TermStats {
    /// Number of documents counted.
    fn doc_count(&self) -> u64;
    /// Number of documents containing `term`.
    fn doc_freq(&self, term: u64) -> u64;

    /// Inverse document frequency, smoothed so unseen terms get the highest
    /// weight and a term in every document still a small positive one.
    fn idf(&self, term: u64) -> f64 {
        let n = self.doc_count().max(1) as f32;
        let df = self.doc_freq(term).min(self.doc_count()) as f32;
        // Single precision is plenty for a weight and several times faster;
        // compare() takes a few hundred of these per pair.
        f64::from(((n + 1.0) / (df + 0.5)).ln().max(0.05))
    }
}

/// A cold-start prior: the fraction of news articles a term of each class
/// appears in, chosen from general knowledge of word frequencies (short stems
/// are common words, long stems and names rare, two-digit numbers common).
#[derive(Debug, Clone, Copy, Default)]
pub struct PriorStats;

/// Notional corpus size behind [`PriorStats`].
const PRIOR_DOCS: u64 = 1_000_000;

impl PriorStats {
    /// The prior's guess of the fraction of documents containing `term`.
    pub fn fraction(term: u64) -> f64 {
        match KeyClass::of_key(term as u32) {
            KeyClass::Word(0) => 0.06,
            KeyClass::Word(1) => 0.035,
            KeyClass::Word(2) => 0.02,
            KeyClass::Word(3) => 0.012,
            KeyClass::Word(4) => 0.006,
            KeyClass::Word(_) => 0.003,
            KeyClass::Number => 0.01,
            KeyClass::CjkBigram => 0.01,
            KeyClass::Name => 0.002,
        }
    }
}

impl TermStats for PriorStats {
    fn doc_count(&self) -> u64 {
        PRIOR_DOCS
    }

    fn doc_freq(&self, term: u64) -> u64 {
        (Self::fraction(term) * PRIOR_DOCS as f64) as u64
    }

    fn idf(&self, term: u64) -> f64 {
        // Depends on the key class only, so a table spares the logarithm.
        static TABLE: OnceLock<[f64; 16]> = OnceLock::new();
        let table = TABLE.get_or_init(|| {
            let mut table = [0.0; 16];
            for (class, idf) in table.iter_mut().enumerate() {
                let df = PriorStats::fraction((class as u64) << 28) * PRIOR_DOCS as f64;
                *idf = ((PRIOR_DOCS as f64 + 1.0) / (df + 0.5)).ln();
            }
            table
        });
        table[((term as u32) >> 28) as usize]
    }
}

/// Frequencies counted over a set of fingerprints held in memory, blended
/// with [`PriorStats`] while the set is small. Used by the evaluations and
/// tests; the store keeps its own counts on disk.
#[derive(Debug, Clone, Default)]
pub struct CountedStats {
    docs: u64,
    freqs: HashMap<u64, u64>,
}

/// Documents' worth of weight the prior carries in [`CountedStats`].
const PRIOR_WEIGHT_DOCS: f64 = 200.0;

impl CountedStats {
    pub fn new() -> Self {
        Self::default()
    }

    /// Counts the terms of one more document.
    pub fn add(&mut self, fingerprint: &Fingerprint) {
        self.docs += 1;
        for key in fingerprint.term_keys() {
            *self.freqs.entry(key).or_insert(0) += 1;
        }
    }
}

impl TermStats for CountedStats {
    fn doc_count(&self) -> u64 {
        self.docs + PRIOR_WEIGHT_DOCS as u64
    }

    fn doc_freq(&self, term: u64) -> u64 {
        let counted = self.freqs.get(&term).copied().unwrap_or(0);
        counted + (PriorStats::fraction(term) * PRIOR_WEIGHT_DOCS).round() as u64
    }
}
