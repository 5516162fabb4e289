//! The story matcher: how strongly two articles are related and how.
//!
//! An article is reduced once to a [`Fingerprint`] (stored with it). Two
//! fingerprints are compared by [`compare`], which measures several signals
//! (see [`Signals`]), combines them into a score in 0..1 and names a
//! [`Relation`]. [`explain`] does the same from the full texts and adds the
//! longest shared passages, for `storywatch compare` and alerts.
//!
//! Term weights need document frequencies: [`TermStats`] supplies them, from
//! the store's counts or, on a cold start, [`PriorStats`].

mod fingerprint;
pub mod keys;
mod passages;
mod score;
mod shingles;
mod signals;
mod stats;
pub mod story;

use std::fmt;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::text;

pub use fingerprint::{Fingerprint, FingerprintError};
pub use signals::Weighted;
pub use stats::{CountedStats, PriorStats, TermStats};

/// How a new article relates to an earlier one, strongest first: the derived
/// `Ord` makes `Copy < Rewrite < SameStory < Unrelated`, so the strongest of
/// several relations is the minimum.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Relation {
    /// The same text, perhaps lightly edited, with another header or footer,
    /// after a round trip through machine translation, or translated into
    /// another language.
    Copy,
    /// The same article reworded: synonyms, paraphrase, an AI rewrite or a
    /// summary.
    Rewrite,
    /// An independent report of the same event.
    SameStory,
    Unrelated,
}

impl Relation {
    pub fn as_str(self) -> &'static str {
        match self {
            Relation::Copy => "copy",
            Relation::Rewrite => "rewrite",
            Relation::SameStory => "same_story",
            Relation::Unrelated => "unrelated",
        }
    }
}

impl fmt::Display for Relation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The parts of an article the matcher reads.
#[derive(Debug, Clone, Copy, Default)]
pub struct ArticleText<'a> {
    pub title: &'a str,
    pub body: &'a str,
    pub published: Option<DateTime<Utc>>,
    /// Language hint (ISO 639-1 or a locale like "en-GB"); detected when
    /// `None` or unrecognised.
    pub language: Option<&'a str>,
}

/// Each signal in 0..1 (higher means more alike).
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Signals {
    /// Share of the shorter text's word shingles found in the other: high
    /// for copies, low for rewrites.
    pub containment: f64,
    /// Share of the shorter text's long shingles (six content words) found
    /// in the other: wording lifted in whole passages.
    pub verbatim: f64,
    /// TF-IDF cosine of the stemmed content terms.
    pub terms: f64,
    /// Weighted share of the shorter text's terms present in the other:
    /// high for summaries and rewrites of a longer original.
    pub coverage: f64,
    /// Term cosine with early terms weighted up (the lead names the event).
    pub lead: f64,
    /// How far the shared terms come in the same order in both texts: a
    /// rewrite follows its source, an independent report does not.
    pub order: f64,
    /// How far the shared terms keep the same order overall (Kendall's
    /// tau of their first positions, 0 when none or reversed). A summary
    /// skips most of its source, which breaks the unbroken run `order`
    /// looks for, but keeps the source's sequence.
    pub sequence: f64,
    /// Weighted overlap of names (people, places, organisations), which
    /// carry across languages.
    pub names: f64,
    /// Overlap of the numbers in the texts (figures, dates, ages), each
    /// weighted by its rarity: a shared "2020" says less than "46521".
    pub numbers: f64,
    /// Share of the smaller text's word skeletons (consonants, spelling
    /// variants folded) found in the other: cognates and names across
    /// related languages ("prezydent", "president").
    pub cognates: f64,
    /// Overlap of the title terms.
    pub title: f64,
    /// Share of the smaller text's sentence frames (its stop words in
    /// order, the other words masked) found in the other: high for copies,
    /// and for spun copies whose words were swapped but not their sentences.
    /// 0 where an article was stored before frames were kept.
    #[serde(default)]
    pub frames: f64,
    /// 1 for articles published close together, falling over days; 1 when a
    /// date is unknown.
    pub time: f64,
}

/// What in two texts' wording made them a copy or a rewrite.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Shape {
    /// Most of the wording is shared: a copy.
    SharedWording,
    /// Whole passages are lifted from a text that otherwise covers other
    /// ground: a copy.
    LiftedPassages,
    /// The same content in the same order, in other words: a rewrite.
    Reworded,
    /// Most of a much shorter text's terms, in the other's sequence: a
    /// rewrite (a summary).
    Summary,
    /// In another language, the names, numbers and cognates in the same
    /// order: a copy (a translation).
    Translation,
    /// Nearly all the terms in the same order, in rebuilt sentences: a copy
    /// (a machine-translation round trip).
    RoundTrip,
    /// The same sentences with many of their words swapped: a rewrite (a
    /// synonym-spun copy).
    Spun,
}

impl Shape {
    pub fn relation(self) -> Relation {
        match self {
            Shape::SharedWording
            | Shape::LiftedPassages
            | Shape::Translation
            | Shape::RoundTrip => Relation::Copy,
            Shape::Reworded | Shape::Summary | Shape::Spun => Relation::Rewrite,
        }
    }

    /// A line saying why, for `compare` and alerts.
    pub fn describe(self) -> String {
        match self {
            Shape::SharedWording => "most of the wording is shared".to_owned(),
            Shape::LiftedPassages => "whole passages are lifted".to_owned(),
            Shape::Reworded => "the same content in the same order, reworded".to_owned(),
            Shape::Summary => {
                "a summary: most of its terms, in the other's sequence, at half the length or less"
                    .to_owned()
            }
            Shape::Translation => format!("a translation: {TRANSLATION_EVIDENCE}"),
            Shape::RoundTrip => {
                "nearly all its terms in the same order, in rebuilt sentences (a translation round trip)"
                    .to_owned()
            }
            Shape::Spun => {
                "the same sentences with many words swapped for others (spun)".to_owned()
            }
        }
    }

    /// The line for [`Shape::Translation`] when both languages are known
    /// (names for people to read: "German", not "de").
    pub fn describe_translation(from: &str, into: &str) -> String {
        format!("a translation from {from} into {into}: {TRANSLATION_EVIDENCE}")
    }
}

const TRANSLATION_EVIDENCE: &str = "the same names, numbers and cognates in the same order";

/// The verdict on a pair of articles, with the evidence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Comparison {
    /// 0..1; see [`Comparison::is_match`].
    pub score: f64,
    pub relation: Relation,
    /// For a copy or rewrite, the shape of the texts that shows it.
    #[serde(default)]
    pub shape: Option<Shape>,
    pub signals: Signals,
    /// Entities (folded) found in both articles.
    pub shared_entities: Vec<String>,
    /// Numbers found in both articles.
    pub shared_numbers: Vec<String>,
    /// The longest passages the texts share, longest first (only from
    /// [`explain`]; empty from [`compare`]).
    pub passages: Vec<String>,
    /// The detected languages (ISO 639-1) of the article compared and of
    /// the one it was compared with, in that order; `None` when either
    /// text is too short or mixed to tell.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub languages: Option<[String; 2]>,
}

impl Comparison {
    /// Whether the pair belongs in one story. `relation != Unrelated` is the
    /// matcher's own decision (threshold [`DEFAULT_STORY_THRESHOLD`]); a
    /// configured threshold overrides it for `SameStory` only, since copies
    /// and rewrites are recognised by their shape, not their score.
    pub fn is_match(&self, threshold: f64) -> bool {
        match self.relation {
            Relation::Copy | Relation::Rewrite => true,
            Relation::SameStory | Relation::Unrelated => self.score >= threshold,
        }
    }

    /// The line saying why, for `compare`: a translation names both
    /// languages ("German", not "de"), an editor may know neither.
    pub fn because(&self) -> Option<String> {
        let shape = self.shape?;
        Some(match (shape, &self.languages) {
            (Shape::Translation, Some([a, b])) if a != b => format!(
                "a translation, between {} and {}: {TRANSLATION_EVIDENCE}",
                language_name(a),
                language_name(b)
            ),
            _ => shape.describe(),
        })
    }

    /// For a translation between two detected languages, the language of
    /// the article compared against and of the article compared, as
    /// names: from the first into the second, when the compared article is
    /// the later one (as in alerts).
    pub fn translated(&self) -> Option<(&str, &str)> {
        match (self.shape, &self.languages) {
            (Some(Shape::Translation), Some([compared, against])) if compared != against => {
                Some((language_name(against), language_name(compared)))
            }
            _ => None,
        }
    }
}

/// The score at or above which [`compare`] calls a pair at least
/// [`Relation::SameStory`].
pub const DEFAULT_STORY_THRESHOLD: f64 = score::STORY_THRESHOLD;

/// Compares two fingerprints; fast enough to run on every candidate. The
/// result's `passages` is empty.
pub fn compare(a: &Fingerprint, b: &Fingerprint, stats: &dyn TermStats) -> Comparison {
    compare_weighted(&Weighted::new(a, stats), b, stats)
}

/// [`compare`] for one article against many: `a`'s term weights, made
/// once with the same `stats`, are reused.
pub fn compare_weighted(a: &Weighted, b: &Fingerprint, stats: &dyn TermStats) -> Comparison {
    let (signals, shared) = signals::measure(a, &Weighted::new(b, stats), stats);
    let a = a.fingerprint;
    let gap = language_gap(a.language(), b.language());
    let framed = a.has_frames() && b.has_frames();
    let extent = score::Extent::of(a.content_tokens, b.content_tokens, shared, framed);
    let (score, relation, shape) = score::judge(&signals, gap, extent);
    let languages = a
        .language()
        .zip(b.language())
        .map(|(a, b)| [a.to_owned(), b.to_owned()]);
    Comparison {
        score,
        relation,
        shape,
        signals,
        shared_entities: signals::shared_strings(&a.entities, &b.entities),
        shared_numbers: signals::shared_strings(&a.numbers, &b.numbers),
        passages: Vec::new(),
        languages,
    }
}

/// A language's English name, or its code where the table lacks it.
pub fn language_name(code: &str) -> &str {
    crate::text::lang::name(code).unwrap_or(code)
}

/// Unknown languages count as the same: most pairs are.
fn language_gap(a: Option<&str>, b: Option<&str>) -> score::LanguageGap {
    match (a, b) {
        (Some(a), Some(b)) if a != b => score::LanguageGap {
            languages: true,
            scripts: text::lang::script_family(a) != text::lang::script_family(b),
        },
        _ => score::LanguageGap::default(),
    }
}

/// Compares two full articles and adds the longest shared passages.
pub fn explain(a: &ArticleText<'_>, b: &ArticleText<'_>, stats: &dyn TermStats) -> Comparison {
    let mut comparison = compare(&Fingerprint::of(a), &Fingerprint::of(b), stats);
    comparison.passages = passages::longest_shared(a, b);
    comparison
}

/// [`explain`] with the shipped prior, for comparing two texts outside a
/// store (`storywatch compare FILE FILE`).
pub fn compare_texts(a: &ArticleText<'_>, b: &ArticleText<'_>) -> Comparison {
    explain(a, b, &PriorStats)
}
