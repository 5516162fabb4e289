//! Named entities without a tagger: capitalised words that are not at a
//! sentence start, acronyms, and letter-digit codes ("MH370", "S5").
//!
//! Entities are kept folded (lower case, no accents) so that "Netanyahu",
//! "NETANYAHU" and "Netanyahú" agree and names carry across languages that
//! write them in Latin script.

use std::collections::{HashMap, HashSet};

use super::lexicon;
use super::tokens::{fold, Token, TokenKind};
use super::Word;

/// Most entities kept per text.
const MAX_ENTITIES: usize = 48;

fn is_candidate(token: &Token<'_>, lang: Option<&str>) -> bool {
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
    token.is_capitalised()
        && token.text.chars().count() >= 2
        && !lexicon::is_stop(lang, &token.text.to_lowercase())
}

/// For each token, whether it belongs to a name.
///
/// A capitalised word at a sentence start counts only when a name continues
/// right after it ("Joe Biden said") or when the same word is capitalised
/// mid-sentence elsewhere in the text.
pub fn name_flags(tokens: &[Token<'_>], lang: Option<&str>) -> Vec<bool> {
    let candidates: Vec<bool> = tokens.iter().map(|t| is_candidate(t, lang)).collect();
    let mut confirmed: HashSet<String> = HashSet::new();
    for (token, candidate) in tokens.iter().zip(&candidates) {
        if *candidate && !token.sentence_start {
            confirmed.insert(fold(token.text));
        }
    }
    tokens
        .iter()
        .enumerate()
        .map(|(i, token)| {
            if !candidates[i] {
                return false;
            }
            if !token.sentence_start || token.is_acronym() {
                return true;
            }
            let continues = candidates.get(i + 1).copied().unwrap_or(false)
                && !tokens[i + 1].sentence_start;
            continues || confirmed.contains(&fold(token.text))
        })
        .collect()
}

/// Joins adjacent name words (separated by a space or hyphen only) into
/// entities and returns them most frequent first, ties in order of first
/// appearance.
pub fn collect(text: &str, words: &[Word]) -> Vec<String> {
    let mut counts: HashMap<String, (usize, usize)> = HashMap::new();
    let mut current: Vec<&str> = Vec::new();
    let mut previous_end = 0;
    let finish = |current: &mut Vec<&str>, counts: &mut HashMap<String, (usize, usize)>| {
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
