//! The individual similarity signals between two fingerprints.

use std::cmp::Ordering;
use std::sync::OnceLock;

use super::fingerprint::{Fingerprint, MAX_COGNATES};
use super::keys::{self, KeyClass};
use super::shingles;
use super::stats::TermStats;
use super::Signals;

/// Days within which publication times count as simultaneous.
const SAME_TIME_DAYS: f64 = 1.0;
/// Scale, in days, of the decay beyond that.
const DECAY_DAYS: f64 = 4.0;

/// A fingerprint with its term weights worked out, so that one article
/// compared with many candidates has them computed once.
pub struct Weighted<'f> {
    pub(super) fingerprint: &'f Fingerprint,
    terms: Vec<f64>,
    lead: Vec<f64>,
}

impl<'f> Weighted<'f> {
    pub fn new(fingerprint: &'f Fingerprint, stats: &dyn TermStats) -> Self {
        let terms = term_weights(fingerprint, stats);
        let lead = lead_weights(fingerprint, &terms);
        Weighted {
            fingerprint,
            terms,
            lead,
        }
    }
}

/// How many terms two texts share.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SharedTerms {
    pub all: usize,
    /// Those that are words or names, not numbers.
    pub words: usize,
}

/// The signals of a pair, and the terms the two texts share.
pub fn measure(wa: &Weighted, wb: &Weighted, stats: &dyn TermStats) -> (Signals, SharedTerms) {
    let (a, b) = (wa.fingerprint, wb.fingerprint);
    let shared = shared_terms(a, b);
    let (terms, coverage) = cosine_and_coverage(&wa.terms, &wb.terms, &shared);
    let (lead, _) = cosine_and_coverage(&wa.lead, &wb.lead, &shared);
    let positions = first_positions(a, b, &shared);
    let signals = Signals {
        containment: shingles::containment(
            &a.shingles,
            shingles::MAX_SHORT,
            &b.shingles,
            shingles::MAX_SHORT,
        ),
        verbatim: shingles::containment(
            &a.long_shingles,
            shingles::MAX_LONG,
            &b.long_shingles,
            shingles::MAX_LONG,
        ),
        terms,
        coverage,
        lead,
        order: order(&positions),
        sequence: sequence(&positions),
        names: weighted_set_cosine(&a.names, &b.names, stats),
        numbers: weighted_numbers(&a.numbers, &b.numbers, stats),
        cognates: shingles::containment(&a.cognates, MAX_COGNATES, &b.cognates, MAX_COGNATES),
        title: weighted_set_cosine(&a.title, &b.title, stats),
        frames: shingles::containment(
            &a.frames,
            shingles::MAX_FRAMES,
            &b.frames,
            shingles::MAX_FRAMES,
        ),
        time: time(a, b),
    };
    let words = shared
        .iter()
        .filter(|(i, _)| KeyClass::of_key(a.terms[*i]) != KeyClass::Number)
        .count();
    let shared = SharedTerms {
        all: shared.len(),
        words,
    };
    (signals, shared)
}

/// TF-IDF weight of each of the fingerprint's terms: (1 + ln tf) · idf.
fn term_weights(f: &Fingerprint, stats: &dyn TermStats) -> Vec<f64> {
    f.terms
        .iter()
        .zip(&f.counts)
        .map(|(key, count)| (1.0 + f64::from(*count).ln()) * stats.idf(u64::from(*key)))
        .collect()
}

/// Term weights favouring the terms that come early: the lead of a news
/// report names the event.
fn lead_weights(f: &Fingerprint, weights: &[f64]) -> Vec<f64> {
    static FACTORS: OnceLock<[f64; 256]> = OnceLock::new();
    let factors = FACTORS.get_or_init(|| {
        let mut table = [0.0; 256];
        for (position, factor) in table.iter_mut().enumerate() {
            *factor = (-(position as f64) / LEAD_SCALE).exp();
        }
        table
    });
    weights
        .iter()
        .zip(&f.first)
        .map(|(w, first)| w * factors[usize::from(*first)])
        .collect()
}

/// Position scale (of 255) over which [`lead_weights`] fall by 1/e.
const LEAD_SCALE: f64 = 64.0;

/// Index pairs (into a.terms, b.terms) of the terms both contain.
fn shared_terms(a: &Fingerprint, b: &Fingerprint) -> Vec<(usize, usize)> {
    let mut pairs = Vec::new();
    for_each_common(&a.terms, &b.terms, |i, j| pairs.push((i, j)));
    pairs
}

/// Calls `found(i, j)` for each `a[i] == b[j]` of two ascending lists, in
/// one merge pass; every comparison of sorted key lists goes through it.
fn for_each_common<T: Ord>(a: &[T], b: &[T], mut found: impl FnMut(usize, usize)) {
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            Ordering::Less => i += 1,
            Ordering::Greater => j += 1,
            Ordering::Equal => {
                found(i, j);
                i += 1;
                j += 1;
            }
        }
    }
}

/// Cosine of the weight vectors, and the larger of the two shares of a
/// text's term weight that the other text also has.
fn cosine_and_coverage(wa: &[f64], wb: &[f64], shared: &[(usize, usize)]) -> (f64, f64) {
    let norm_a: f64 = wa.iter().map(|w| w * w).sum::<f64>().sqrt();
    let norm_b: f64 = wb.iter().map(|w| w * w).sum::<f64>().sqrt();
    let sum_a: f64 = wa.iter().sum();
    let sum_b: f64 = wb.iter().sum();
    if norm_a == 0.0 || norm_b == 0.0 {
        return (0.0, 0.0);
    }
    let dot: f64 = shared.iter().map(|&(i, j)| wa[i] * wb[j]).sum();
    let covered_a: f64 = shared.iter().map(|&(i, _)| wa[i]).sum();
    let covered_b: f64 = shared.iter().map(|&(_, j)| wb[j]).sum();
    let coverage = (covered_a / sum_a).max(covered_b / sum_b);
    ((dot / (norm_a * norm_b)).min(1.0), coverage.min(1.0))
}

/// How many items two ascending lists share.
pub fn count_common<T: Ord>(a: &[T], b: &[T]) -> usize {
    let mut count = 0;
    for_each_common(a, b, |_, _| count += 1);
    count
}

/// Fewer shared terms than this say nothing about their order.
const MIN_ORDERED_TERMS: usize = 6;

/// The first positions (in a, in b) of the shared terms, sorted by a.
fn first_positions(a: &Fingerprint, b: &Fingerprint, shared: &[(usize, usize)]) -> Vec<(u8, u8)> {
    let mut pairs: Vec<(u8, u8)> = shared
        .iter()
        .map(|&(i, j)| (a.first[i], b.first[j]))
        .collect();
    pairs.sort_unstable();
    pairs
}

/// Longest run of shared terms whose first occurrences are in the same order
/// in both texts, relative to the run a random order would give.
fn order(positions: &[(u8, u8)]) -> f64 {
    let n = positions.len();
    if n < MIN_ORDERED_TERMS {
        return 0.0;
    }
    let lis = longest_increasing(positions.iter().map(|p| p.1));
    let random = 2.0 / (n as f64).sqrt();
    ((lis as f64 / n as f64 - random) / (1.0 - random)).clamp(0.0, 1.0)
}

/// Kendall's tau of the shared terms' first positions in the two texts,
/// over the pairs of terms tied in neither, negative taken as 0. Positions
/// are bytes, so a counting tree over the 256 values of b's position finds,
/// for each term, how many terms earlier in a come earlier or later in b:
/// O(n log 256) instead of comparing every pair of terms, which would cost
/// more than the rest of a comparison.
fn sequence(positions: &[(u8, u8)]) -> f64 {
    if positions.len() < MIN_ORDERED_TERMS {
        return 0.0;
    }
    let mut seen = PositionCounts::default();
    let (mut concordant, mut discordant) = (0u64, 0u64);
    // Terms at the same position in a are tied: all are counted against
    // the earlier ones before any joins them.
    for group in positions.chunk_by(|x, y| x.0 == y.0) {
        for &(_, in_b) in group {
            concordant += seen.below(in_b);
            discordant += seen.above(in_b);
        }
        for &(_, in_b) in group {
            seen.add(in_b);
        }
    }
    let ranked = concordant + discordant;
    if ranked == 0 {
        return 0.0;
    }
    ((concordant as f64 - discordant as f64) / ranked as f64).max(0.0)
}

/// How many of the positions added so far lie below or above a position
/// (a Fenwick tree over the 256 byte values).
struct PositionCounts {
    tree: [u64; 257],
    added: u64,
}

impl Default for PositionCounts {
    fn default() -> Self {
        PositionCounts {
            tree: [0; 257],
            added: 0,
        }
    }
}

impl PositionCounts {
    fn add(&mut self, position: u8) {
        let mut i = usize::from(position) + 1;
        while i < self.tree.len() {
            self.tree[i] += 1;
            i += i & i.wrapping_neg();
        }
        self.added += 1;
    }

    /// Added positions lower than `position`.
    fn below(&self, position: u8) -> u64 {
        self.up_to(usize::from(position))
    }

    /// Added positions higher than `position`.
    fn above(&self, position: u8) -> u64 {
        self.added - self.up_to(usize::from(position) + 1)
    }

    /// Added positions lower than `end`.
    fn up_to(&self, end: usize) -> u64 {
        let (mut i, mut sum) = (end, 0);
        while i > 0 {
            sum += self.tree[i];
            i -= i & i.wrapping_neg();
        }
        sum
    }
}

/// Length of the longest non-decreasing subsequence (patience sorting).
fn longest_increasing(values: impl Iterator<Item = u8>) -> usize {
    let mut tails: Vec<u8> = Vec::new();
    for v in values {
        let at = tails.partition_point(|t| *t <= v);
        if at == tails.len() {
            tails.push(v);
        } else {
            tails[at] = v;
        }
    }
    tails.len()
}

/// Cosine of two key sets, each key weighted by its idf.
fn weighted_set_cosine(a: &[u32], b: &[u32], stats: &dyn TermStats) -> f64 {
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    let weight = |k: &u32| stats.idf(u64::from(*k));
    let norm_a: f64 = a.iter().map(|k| weight(k).powi(2)).sum::<f64>().sqrt();
    let norm_b: f64 = b.iter().map(|k| weight(k).powi(2)).sum::<f64>().sqrt();
    let mut dot = 0.0;
    for_each_common(a, b, |i, _| dot += weight(&a[i]).powi(2));
    (dot / (norm_a * norm_b)).min(1.0)
}

fn time(a: &Fingerprint, b: &Fingerprint) -> f64 {
    match (a.published, b.published) {
        (Some(ta), Some(tb)) => {
            let days = (ta - tb).unsigned_abs() as f64 / 86_400.0;
            (-(days - SAME_TIME_DAYS).max(0.0) / DECAY_DAYS).exp()
        }
        _ => 1.0,
    }
}

/// Strings present in both ascending lists.
pub fn shared_strings(a: &[String], b: &[String]) -> Vec<String> {
    let mut shared = Vec::new();
    for_each_common(a, b, |i, _| shared.push(a[i].clone()));
    shared
}

/// [`weighted_set_cosine`] of two number lists, weighted by the document
/// frequencies of their term keys (numbers are counted as terms).
fn weighted_numbers(a: &[String], b: &[String], stats: &dyn TermStats) -> f64 {
    let number_keys = |numbers: &[String]| {
        let mut keys: Vec<u32> = numbers
            .iter()
            .map(|n| keys::term_key(KeyClass::Number, n))
            .collect();
        keys.sort_unstable();
        keys
    };
    weighted_set_cosine(&number_keys(a), &number_keys(b), stats)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Kendall's tau by its definition, every pair compared.
    fn tau_by_pairs(pairs: &[(u8, u8)]) -> f64 {
        let (mut concordant, mut discordant) = (0i64, 0i64);
        for (k, p) in pairs.iter().enumerate() {
            for q in &pairs[k + 1..] {
                if p.0 == q.0 || p.1 == q.1 {
                    continue;
                }
                if (p.0 < q.0) == (p.1 < q.1) {
                    concordant += 1;
                } else {
                    discordant += 1;
                }
            }
        }
        if concordant + discordant == 0 {
            return 0.0;
        }
        ((concordant - discordant) as f64 / (concordant + discordant) as f64).max(0.0)
    }

    #[test]
    fn sequence_is_kendalls_tau() {
        let same: Vec<(u8, u8)> = (0..40).map(|i| (i * 6, i * 5)).collect();
        assert_eq!(sequence(&same), 1.0);
        let reversed: Vec<(u8, u8)> = (0..40).map(|i| (i * 6, 255 - i * 5)).collect();
        assert_eq!(sequence(&reversed), 0.0);
        // Ties on either side, as byte positions of short texts give.
        let mut rng = fastrand::Rng::with_seed(7);
        for size in [6, 20, 120] {
            for spread in [8, 256] {
                let mut pairs: Vec<(u8, u8)> = (0..size)
                    .map(|_| {
                        let first = rng.u16(..spread) as u8;
                        let drift = rng.u16(..spread) as u8 / 2;
                        (first, first / 2 + drift)
                    })
                    .collect();
                pairs.sort_unstable();
                let (fast, slow) = (sequence(&pairs), tau_by_pairs(&pairs));
                assert!(
                    (fast - slow).abs() < 1e-12,
                    "{size} {spread}: {fast} vs {slow}"
                );
            }
        }
    }
}
