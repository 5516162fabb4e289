//! The longest passages two texts share, word for word (case and accents
//! ignored), for the explanation of a match.

use std::collections::HashMap;

use super::ArticleText;
use crate::text::{self, tokens};

/// Shortest passage worth showing, in words.
const MIN_WORDS: usize = 6;
/// Passages returned.
const MAX_PASSAGES: usize = 5;

/// Folded words of a text with their byte ranges in the normalised text.
fn words(text: &str) -> Vec<(String, usize, usize)> {
    tokens::tokenize(text)
        .into_iter()
        .map(|t| (tokens::fold(t.text), t.start, t.end()))
        .collect()
}

fn joined(article: &ArticleText<'_>) -> String {
    text::normalize(&format!("{}\n{}", article.title, article.body))
}

fn key(window: &[(String, usize, usize)]) -> Vec<&str> {
    window.iter().map(|w| w.0.as_str()).collect()
}

/// Up to five maximal runs of at least six words found in both texts,
/// longest first, quoted from `a`.
pub fn longest_shared(a: &ArticleText<'_>, b: &ArticleText<'_>) -> Vec<String> {
    let text_a = joined(a);
    let text_b = joined(b);
    let wa = words(&text_a);
    let wb = words(&text_b);
    if wa.len() < MIN_WORDS || wb.len() < MIN_WORDS {
        return Vec::new();
    }
    let mut index: HashMap<Vec<&str>, Vec<usize>> = HashMap::new();
    for (j, window) in wb.windows(MIN_WORDS).enumerate() {
        index.entry(key(window)).or_default().push(j);
    }
    let mut runs: Vec<(usize, usize)> = Vec::new(); // (start in a, length)
    let mut i = 0;
    while i + MIN_WORDS <= wa.len() {
        let mut best = 0;
        if let Some(candidates) = index.get(&key(&wa[i..i + MIN_WORDS])) {
            for &j in candidates {
                let mut len = MIN_WORDS;
                while i + len < wa.len() && j + len < wb.len() && wa[i + len].0 == wb[j + len].0 {
                    len += 1;
                }
                best = best.max(len);
            }
        }
        if best > 0 {
            runs.push((i, best));
            i += best;
        } else {
            i += 1;
        }
    }
    runs.sort_by(|x, y| y.1.cmp(&x.1).then(x.0.cmp(&y.0)));
    runs.into_iter()
        .take(MAX_PASSAGES)
        .map(|(start, len)| text_a[wa[start].1..wa[start + len - 1].2].to_string())
        .collect()
}
