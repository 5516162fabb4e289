//! Word-shingle sets for recognising copied wording.
//!
//! A shingle is a run of consecutive content terms (stop words skipped), so
//! it survives changes of articles, punctuation and inflection. Two sets are
//! kept: short shingles (three terms) measure how much wording two texts
//! share; long ones (six terms) how much of it comes in verbatim passages,
//! which tells a partial copy (whole sentences lifted) from a paraphrase
//! (shared words scattered between substitutions).
//!
//! Hashes are 16 bits to keep fingerprints small; at a few hundred shingles
//! per text, chance collisions add well under 1% to a containment. A set
//! that would exceed its cap keeps its smallest hashes (a bottom-k sketch),
//! and comparisons cut both sets to the common hash range first, so the
//! estimate stays unbiased.

use super::keys;

/// Terms per short shingle.
pub const SHORT: usize = 3;
/// Terms per long shingle.
pub const LONG: usize = 6;
/// Most short shingle hashes kept.
pub const MAX_SHORT: usize = 512;
/// Most long shingle hashes kept.
pub const MAX_LONG: usize = 256;

/// Sorted, distinct 16-bit hashes of the `width`-term shingles of `terms`,
/// at most `cap` of them (the smallest).
pub fn hashes(terms: &[u32], width: usize, cap: usize) -> Vec<u16> {
    if terms.len() < width {
        return Vec::new();
    }
    let mut out: Vec<u16> = terms
        .windows(width)
        .map(|window| {
            let mut bytes = [0u8; 4 * LONG];
            for (slot, term) in bytes.chunks_exact_mut(4).zip(window) {
                slot.copy_from_slice(&term.to_le_bytes());
            }
            (keys::hash64(width as u8, &bytes[..4 * width]) >> 48) as u16
        })
        .collect();
    out.sort_unstable();
    out.dedup();
    out.truncate(cap);
    out
}

/// Share of the smaller set found in the other, over the hash range both
/// sets cover completely.
pub fn containment(a: &[u16], cap_a: usize, b: &[u16], cap_b: usize) -> f64 {
    let limit = range_end(a, cap_a).min(range_end(b, cap_b));
    let a = &a[..a.partition_point(|h| *h <= limit)];
    let b = &b[..b.partition_point(|h| *h <= limit)];
    let smaller = a.len().min(b.len());
    if smaller == 0 {
        return 0.0;
    }
    super::signals::count_common(a, b) as f64 / smaller as f64
}

/// Largest hash a set is complete up to: its last when it was cut short.
fn range_end(set: &[u16], cap: usize) -> u16 {
    if set.len() >= cap {
        set.last().copied().unwrap_or(u16::MAX)
    } else {
        u16::MAX
    }
}
