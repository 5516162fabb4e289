//! Named entities without a tagger: capitalised words that are not at a
//! sentence start, acronyms, and letter-digit codes ("MH370", "S5").
//!
//! Entities are kept folded (lower case, no accents) so that "Netanyahu",
//! "NETANYAHU" and "Netanyahú" agree and names carry across languages that
//! write them in Latin script.

use rustc_hash::{FxHashMap, FxHashSet};

use super::tokens::{Token, TokenKind};
use super::Word;

/// Most entities kept per text.
const MAX_ENTITIES: usize = 48;

fn is_candidate(token: &Token<'_>, stop: bool) -> bool {
    if token.kind != TokenKind::Word {
        return false;
    }
    let has_digit = token.text.chars().any(|c| c.is_ascii_digit());
    if has_digit {
        return token.text.chars().any(char::is_alphabetic);
    }
    if token.is_acronym() {
        return true;
    }
    token.is_capitalised() && token.text.chars().count() >= 2 && !stop
}

/// For each token, whether it belongs to a name. `stop` and `folded` are
/// parallel to `tokens`: stop-word flags and folded forms.
///
/// A capitalised word at a sentence start counts only when the same word is
/// capitalised mid-sentence elsewhere in the text: "Yesterday Joe Biden"
/// must not make "yesterday" a name, and a name that opens a sentence is
/// usually repeated later.
pub fn name_flags(tokens: &[Token<'_>], stop: &[bool], folded: &[String]) -> Vec<bool> {
    let candidates: Vec<bool> = tokens
        .iter()
        .zip(stop)
        .map(|(t, s)| is_candidate(t, *s))
        .collect();
    let confirmed: FxHashSet<&str> = tokens
        .iter()
        .zip(&candidates)
        .zip(folded)
        .filter(|((token, candidate), _)| **candidate && !token.sentence_start)
        .map(|(_, form)| form.as_str())
        .collect();
    tokens
        .iter()
        .enumerate()
        .map(|(i, token)| {
            candidates[i]
                && (!token.sentence_start
                    || token.is_acronym()
                    || confirmed.contains(folded[i].as_str()))
        })
        .collect()
}

/// Joins adjacent name words (separated by a space or hyphen only) into
/// entities and returns them most frequent first, ties in order of first
/// appearance.
pub fn collect(text: &str, words: &[Word]) -> Vec<String> {
    let mut counts: FxHashMap<String, (usize, usize)> = FxHashMap::default();
    let mut current: Vec<&str> = Vec::new();
    let mut previous_end = 0;
    let finish = |current: &mut Vec<&str>, counts: &mut FxHashMap<String, (usize, usize)>| {
        if !current.is_empty() {
            let order = counts.len();
            counts.entry(current.join(" ")).or_insert((0, order)).0 += 1;
            current.clear();
        }
    };
    for word in words {
        if !word.name {
            finish(&mut current, &mut counts);
            continue;
        }
        let gap = text.get(previous_end..word.start).unwrap_or(" ");
        let adjacent = !current.is_empty() && matches!(gap, " " | "-" | " - ");
        if !adjacent {
            finish(&mut current, &mut counts);
        }
        current.push(&word.folded);
        previous_end = word.end;
    }
    finish(&mut current, &mut counts);
    let mut ranked: Vec<(String, (usize, usize))> = counts.into_iter().collect();
    ranked.sort_by(|a, b| b.1 .0.cmp(&a.1 .0).then(a.1 .1.cmp(&b.1 .1)));
    ranked
        .into_iter()
        .take(MAX_ENTITIES)
        .map(|(entity, _)| entity)
        .collect()
}
