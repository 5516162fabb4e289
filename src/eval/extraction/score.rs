//! Per-page scores for the extraction benchmark.
//!
//! The shingle metric follows the ScrapingHub article-extraction-benchmark:
//! tokens are `\w+` runs (letters, digits and underscore, as Python's
//! Unicode `\w`), text becomes a multiset of 4-token shingles, and a page
//! scores precision tp/(tp+fp) and recall tp/(tp+fn) over shingle counts.

use std::collections::HashMap;

use chrono::{DateTime, FixedOffset};
use regex::Regex;
use serde::Serialize;

const SHINGLE_TOKENS: usize = 4;

/// One page's shingle precision and recall.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ShingleScore {
    pub precision: f64,
    pub recall: f64,
}

/// Tokens as Python's `re.findall(r"\w+", text)` would give them.
pub struct Tokenizer {
    word: Regex,
}

impl Default for Tokenizer {
    fn default() -> Self {
        Self::new()
    }
}

impl Tokenizer {
    pub fn new() -> Self {
        // Python's Unicode \w is str.isalnum() plus "_": letters and numbers,
        // but unlike Rust's \w no combining marks.
        let word = Regex::new(r"[\p{L}\p{N}_]+").expect("constant pattern");
        Self { word }
    }

    pub fn tokens<'t>(&self, text: &'t str) -> Vec<&'t str> {
        self.word.find_iter(text).map(|m| m.as_str()).collect()
    }

    /// The multiset of 4-token shingles. Like the reference, a text shorter
    /// than four tokens is one shingle of all its tokens.
    pub fn shingles(&self, text: &str) -> HashMap<String, usize> {
        let tokens = self.tokens(text);
        let mut counts = HashMap::new();
        if tokens.is_empty() {
            return counts;
        }
        let windows = tokens.len().saturating_sub(SHINGLE_TOKENS - 1).max(1);
        for start in 0..windows {
            let end = (start + SHINGLE_TOKENS).min(tokens.len());
            *counts.entry(tokens[start..end].join(" ")).or_insert(0) += 1;
        }
        counts
    }

    /// Shingle precision and recall of `predicted` against `truth`. Two
    /// empty texts agree fully; an empty prediction for a non-empty truth
    /// scores zero on both.
    pub fn shingle_score(&self, predicted: &str, truth: &str) -> ShingleScore {
        let predicted = self.shingles(predicted);
        let truth = self.shingles(truth);
        let (mut tp, mut fp, mut fn_) = (0usize, 0usize, 0usize);
        for (shingle, &p) in &predicted {
            let t = truth.get(shingle).copied().unwrap_or(0);
            tp += p.min(t);
            fp += p.saturating_sub(t);
        }
        for (shingle, &t) in &truth {
            let p = predicted.get(shingle).copied().unwrap_or(0);
            fn_ += t.saturating_sub(p);
        }
        let ratio = |num: usize, other: usize| {
            if fp == 0 && fn_ == 0 {
                1.0
            } else if num + other == 0 {
                0.0
            } else {
                num as f64 / (num + other) as f64
            }
        };
        ShingleScore {
            precision: ratio(tp, fp),
            recall: ratio(tp, fn_),
        }
    }
}

/// Snippet hits for one page.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct SnippetCounts {
    /// `with` snippets present in the output.
    pub true_positives: usize,
    /// `with` snippets missing from the output.
    pub false_negatives: usize,
    /// `without` snippets present in the output.
    pub false_positives: usize,
}

impl SnippetCounts {
    pub fn add(&mut self, other: SnippetCounts) {
        self.true_positives += other.true_positives;
        self.false_negatives += other.false_negatives;
        self.false_positives += other.false_positives;
    }
}

fn collapse_whitespace(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

pub fn snippet_counts(output: &str, with: &[String], without: &[String]) -> SnippetCounts {
    let output = collapse_whitespace(output);
    let found = |snippet: &String| {
        let snippet = collapse_whitespace(snippet);
        !snippet.is_empty() && output.contains(&snippet)
    };
    let hits = with.iter().filter(|s| found(s)).count();
    SnippetCounts {
        true_positives: hits,
        false_negatives: with.len() - hits,
        false_positives: without.iter().filter(|s| found(s)).count(),
    }
}

pub(super) fn lowercase_tokens(tokenizer: &Tokenizer, text: &str) -> Vec<String> {
    tokenizer
        .tokens(text)
        .into_iter()
        .map(str::to_lowercase)
        .collect()
}

/// Titles match when their lowercased token sequences are equal, or one
/// contains the other and the shorter has at least 2/3 of the longer's
/// tokens (a site name left on, or a kicker dropped).
pub fn title_matches(tokenizer: &Tokenizer, predicted: &str, truth: &str) -> bool {
    let predicted = lowercase_tokens(tokenizer, predicted);
    let truth = lowercase_tokens(tokenizer, truth);
    if predicted.is_empty() || truth.is_empty() {
        return false;
    }
    let (short, long) = if predicted.len() <= truth.len() {
        (&predicted, &truth)
    } else {
        (&truth, &predicted)
    };
    3 * short.len() >= 2 * long.len() && long.windows(short.len()).any(|w| w == short.as_slice())
}

/// Authors match when every name token of one side appears in the other:
/// "By Jane Doe" matches "Jane Doe"; "Jane Doe and John Roe" matches
/// "Jane Doe, John Roe".
pub fn author_matches(tokenizer: &Tokenizer, predicted: &str, truth: &str) -> bool {
    let ignore = |t: &String| t == "by" || t == "and";
    let predicted: Vec<String> = lowercase_tokens(tokenizer, predicted)
        .into_iter()
        .filter(|t| !ignore(t))
        .collect();
    let truth: Vec<String> = lowercase_tokens(tokenizer, truth)
        .into_iter()
        .filter(|t| !ignore(t))
        .collect();
    if predicted.is_empty() || truth.is_empty() {
        return false;
    }
    truth.iter().all(|t| predicted.contains(t)) || predicted.iter().all(|t| truth.contains(t))
}

/// Dates match on the calendar date as the page wrote it. A truth with
/// only year and month ("2003-11") matches any day of that month.
pub fn date_matches(predicted: &DateTime<FixedOffset>, truth: &str) -> bool {
    let truth = truth.trim();
    !truth.is_empty() && predicted.format("%Y-%m-%d").to_string().starts_with(truth)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shingles_follow_the_reference_definition() {
        let t = Tokenizer::new();
        assert_eq!(
            t.tokens("Hello, wörld_1 — 42!"),
            vec!["Hello", "wörld_1", "42"]
        );
        assert_eq!(t.shingles("a b").len(), 1);
        let s = t.shingles("a b c d a b c d");
        assert_eq!(s.get("a b c d"), Some(&2));
        assert_eq!(s.values().sum::<usize>(), 5);
    }

    #[test]
    fn shingle_score_counts_multisets() {
        let t = Tokenizer::new();
        let exact = t.shingle_score("one two three four five", "one two three four five");
        assert_eq!(
            exact,
            ShingleScore {
                precision: 1.0,
                recall: 1.0
            }
        );
        // truth has 2 shingles; prediction has them plus 2 extra
        let s = t.shingle_score(
            "one two three four five six seven",
            "one two three four five",
        );
        assert_eq!(s.recall, 1.0);
        assert_eq!(s.precision, 0.5);
        let empty = t.shingle_score("", "one two three four");
        assert_eq!(
            empty,
            ShingleScore {
                precision: 0.0,
                recall: 0.0
            }
        );
        assert_eq!(t.shingle_score("", "").precision, 1.0);
    }

    #[test]
    fn snippets_are_whitespace_normalised() {
        let with = vec!["quick  brown\nfox".to_string(), "absent".to_string()];
        let without = vec!["Home".to_string()];
        let counts = snippet_counts("The quick brown fox. Home", &with, &without);
        assert_eq!(
            counts,
            SnippetCounts {
                true_positives: 1,
                false_negatives: 1,
                false_positives: 1
            }
        );
    }

    #[test]
    fn field_match_rules() {
        let t = Tokenizer::new();
        assert!(title_matches(
            &t,
            "Big News Today | Times",
            "Big news today!"
        ));
        // A headline cut to less than two thirds of the truth is not it.
        assert!(!title_matches(
            &t,
            "Big news",
            "Big news today in the harbour"
        ));
        assert!(!title_matches(
            &t,
            "Example Times",
            "Big news today in Example Times"
        ));
        assert!(author_matches(&t, "By Jane Doe", "Jane Doe"));
        assert!(!author_matches(&t, "John Roe", "Jane Doe"));
        let date = DateTime::parse_from_rfc3339("2024-03-05T23:30:00-05:00").expect("valid");
        assert!(date_matches(&date, "2024-03-05"));
        assert!(date_matches(&date, "2024-03"));
        assert!(!date_matches(&date, "2024-03-06"));
    }
}
