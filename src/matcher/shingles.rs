//! Word-shingle sets for recognising copied wording.
//!
//! A shingle is a run of consecutive content terms (stop words skipped), so
//! it survives changes of articles, punctuation and inflection. Two sets are
//! kept: short shingles (three terms) measure how much wording two texts
//! share; long ones (six terms) how much of it comes in verbatim passages,
//! which tells a partial copy (whole sentences lifted) from a paraphrase
//! (shared words scattered between substitutions). A third set, over
//! sentence frames (stop words kept, other tokens masked), tells a
//! synonym-spun copy, whose frames stay, from a text that was rebuilt.
//!
//! A set that would exceed its cap keeps its smallest hashes (a bottom-k
//! sketch), and comparisons cut both sets to the common hash range first,
//! so the estimate stays unbiased. Hashes are 26 bits: a capped set is dense
//! in its range, so with 16 bits a short text would meet a long one's hashes
//! by chance, while 26 bits keep that negligible and the stored deltas
//! between sorted hashes at three bytes.

use super::keys;

/// Terms per short shingle.
pub const SHORT: usize = 3;
/// Terms per long shingle.
pub const LONG: usize = 6;
/// Most short shingle hashes kept.
pub const MAX_SHORT: usize = 256;
/// Most long shingle hashes kept.
pub const MAX_LONG: usize = 160;
/// Tokens per sentence-frame shingle (see `fingerprint::frame_tokens`):
/// with most tokens masked, shorter frames recur in unrelated texts.
pub const FRAME: usize = 6;
/// Most sentence-frame hashes kept.
pub const MAX_FRAMES: usize = 128;
const _: () = assert!(FRAME <= LONG, "hashes() packs at most LONG tokens");
/// Bits of a shingle hash.
const HASH_BITS: u32 = 26;
/// Fewest shingles a containment is measured over; fewer common ones than
/// this cannot make a containment of one.
const MIN_MEASURED: usize = 8;

/// Sorted, distinct 16-bit hashes of the `width`-term shingles of `terms`,
/// at most `cap` of them (the smallest).
pub fn hashes(terms: &[u32], width: usize, cap: usize) -> Vec<u32> {
    if terms.len() < width {
        return Vec::new();
    }
    let mut out: Vec<u32> = terms
        .windows(width)
        .map(|window| {
            let mut bytes = [0u8; 4 * LONG];
            for (slot, term) in bytes.chunks_exact_mut(4).zip(window) {
                slot.copy_from_slice(&term.to_le_bytes());
            }
            (keys::hash64(width as u8, &bytes[..4 * width]) >> (64 - HASH_BITS)) as u32
        })
        .collect();
    out.sort_unstable();
    out.dedup();
    out.truncate(cap);
    out
}

/// Share of the smaller set found in the other, over the hash range both
/// sets cover completely.
pub fn containment(a: &[u32], cap_a: usize, b: &[u32], cap_b: usize) -> f64 {
    let limit = range_end(a, cap_a).min(range_end(b, cap_b));
    let a = &a[..a.partition_point(|h| *h <= limit)];
    let b = &b[..b.partition_point(|h| *h <= limit)];
    let smaller = a.len().min(b.len());
    if smaller == 0 {
        return 0.0;
    }
    super::signals::count_common(a, b) as f64 / smaller.max(MIN_MEASURED) as f64
}

/// Largest hash a set is complete up to: its last when it was cut short.
fn range_end(set: &[u32], cap: usize) -> u32 {
    if set.len() >= cap {
        set.last().copied().unwrap_or(u32::MAX)
    } else {
        u32::MAX
    }
}
