//! The compact, stored summary of one article that [`super::compare`] works
//! on: weighted terms with their first positions, a sample of word-shingle
//! hashes, a sample of cognate (consonant skeleton) hashes, a sample of
//! sentence-frame hashes, title terms, names and numbers.

use chrono::{DateTime, Utc};
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

use super::keys::{self, KeyClass};
use super::shingles;
use super::stats::{PriorStats, TermStats};
use super::ArticleText;
use crate::text::{self, tokens, Analysis, TokenKind};

/// Most terms kept per article, chosen by prior weight.
const MAX_TERMS: usize = 200;
/// Most title terms kept.
const MAX_TITLE_TERMS: usize = 24;
/// Most numbers kept.
const MAX_NUMBERS: usize = 24;
/// Most cognate hashes kept.
pub(crate) const MAX_COGNATES: usize = 160;
/// Most index keys per article (see [`Fingerprint::index_keys`]).
const MAX_INDEX_KEYS: usize = 40;

/// What the matcher keeps of an article. See the module docs; build with
/// [`Fingerprint::of`], store with [`Fingerprint::to_bytes`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Fingerprint {
    /// Publication time, seconds since the Unix epoch.
    pub(crate) published: Option<i64>,
    pub(crate) lang: Option<String>,
    /// Content tokens (non-stop words, numbers, CJK characters) in the text.
    pub(crate) content_tokens: u32,
    /// Term keys, ascending; `counts` and `first` are parallel to it.
    #[serde(with = "ascending")]
    pub(crate) terms: Vec<u32>,
    /// Occurrences of each term, saturating.
    pub(crate) counts: Vec<u8>,
    /// Where each term first occurs, scaled to 0..=255 over the text.
    pub(crate) first: Vec<u8>,
    /// Short shingle hashes, ascending (see [`shingles`]).
    #[serde(with = "ascending")]
    pub(crate) shingles: Vec<u32>,
    /// Long shingle hashes, ascending.
    #[serde(with = "ascending")]
    pub(crate) long_shingles: Vec<u32>,
    /// Title term keys, ascending.
    #[serde(with = "ascending")]
    pub(crate) title: Vec<u32>,
    /// Cognate hashes of the words ([`keys::cognate_hash`]), ascending, the
    /// smallest [`MAX_COGNATES`] (a bottom-k sketch like the shingles).
    #[serde(with = "ascending")]
    pub(crate) cognates: Vec<u32>,
    /// Name keys ([`KeyClass::Name`]), ascending.
    #[serde(with = "ascending")]
    pub(crate) names: Vec<u32>,
    /// Entities in folded form, ascending.
    pub(crate) entities: Vec<String>,
    /// Numbers (bare digits), ascending.
    pub(crate) numbers: Vec<String>,
    /// Sentence-frame shingle hashes ([`frame_tokens`]), ascending, the
    /// smallest [`shingles::MAX_FRAMES`]. Stored after the other fields
    /// (see [`Fingerprint::to_bytes`]).
    #[serde(skip)]
    pub(crate) frames: Vec<u32>,
}

/// The frames, as [`Fingerprint::to_bytes`] appends them.
#[derive(Serialize, Deserialize)]
struct FramesTail {
    #[serde(with = "ascending")]
    frames: Vec<u32>,
}

/// A stored fingerprint could not be decoded.
#[derive(Debug, thiserror::Error)]
#[error("corrupt fingerprint: {0}")]
pub struct FingerprintError(#[from] postcard::Error);

impl Fingerprint {
    /// Fingerprints an article.
    pub fn of(article: &ArticleText<'_>) -> Fingerprint {
        let mut joined = String::with_capacity(article.title.len() + article.body.len() + 1);
        joined.push_str(article.title);
        joined.push('\n');
        joined.push_str(article.body);
        let analysis = text::analyze(&joined, article.language);
        let title_end = text::normalize(article.title).len();
        Self::from_analysis(&analysis, title_end, article.published)
    }

    /// Builds the fingerprint of an analysed text whose first `title_end`
    /// bytes are the title.
    pub(crate) fn from_analysis(
        analysis: &Analysis,
        title_end: usize,
        published: Option<DateTime<Utc>>,
    ) -> Fingerprint {
        let units = content_units(analysis);
        let content_tokens = units.len() as u32;

        let mut tally: FxHashMap<u32, (u32, usize)> = FxHashMap::default();
        for (position, unit) in units.iter().enumerate() {
            let entry = tally.entry(unit.key).or_insert((0, position));
            entry.0 += 1;
        }
        let mut ranked: Vec<(u32, u32, usize)> =
            tally.into_iter().map(|(k, (c, f))| (k, c, f)).collect();
        if ranked.len() > MAX_TERMS {
            let weight = |(key, count, _): &(u32, u32, usize)| {
                f64::from(*count).sqrt() * PriorStats.idf(u64::from(*key))
            };
            ranked.sort_by(|a, b| weight(b).total_cmp(&weight(a)).then(a.0.cmp(&b.0)));
            ranked.truncate(MAX_TERMS);
        }
        ranked.sort_unstable_by_key(|(key, _, _)| *key);
        let scale = content_tokens.max(1) as f64;
        let terms = ranked.iter().map(|t| t.0).collect();
        let counts = ranked.iter().map(|t| t.1.min(255) as u8).collect();
        let first = ranked
            .iter()
            .map(|t| ((t.2 as f64 / scale) * 255.0).round().min(255.0) as u8)
            .collect();

        let sequence: Vec<u32> = units.iter().map(|u| u.key).collect();
        let shingles = shingles::hashes(&sequence, shingles::SHORT, shingles::MAX_SHORT);
        let long_shingles = shingles::hashes(&sequence, shingles::LONG, shingles::MAX_LONG);

        let mut title: Vec<u32> = units
            .iter()
            .filter(|u| u.start < title_end)
            .map(|u| u.key)
            .collect();
        title.sort_unstable();
        title.dedup();
        title.truncate(MAX_TITLE_TERMS);

        let mut cognates: Vec<u32> = analysis
            .words
            .iter()
            .filter(|w| w.kind == TokenKind::Word && !w.stop)
            .filter_map(|w| keys::cognate_hash(&w.folded))
            .collect();
        cognates.sort_unstable();
        cognates.dedup();
        cognates.truncate(MAX_COGNATES);

        let mut names: Vec<u32> = analysis
            .words
            .iter()
            .filter(|w| w.name && w.start >= title_end)
            .map(|w| keys::name_key(&w.folded))
            .collect();
        names.sort_unstable();
        names.dedup();

        let frames = shingles::hashes(
            &frame_tokens(analysis),
            shingles::FRAME,
            shingles::MAX_FRAMES,
        );

        let mut entities = analysis.entities.clone();
        entities.sort();

        let mut numbers: Vec<String> = analysis
            .words
            .iter()
            .filter(|w| w.kind == TokenKind::Number && w.folded.len() >= 2)
            .map(|w| w.folded.clone())
            .collect();
        numbers.sort();
        numbers.dedup();
        numbers.truncate(MAX_NUMBERS);

        Fingerprint {
            published: published.map(|t| t.timestamp()),
            lang: analysis.lang.map(str::to_string),
            content_tokens,
            terms,
            counts,
            first,
            shingles,
            long_shingles,
            title,
            cognates,
            names,
            entities,
            numbers,
            frames,
        }
    }

    /// Keys to post in a candidate index: the article's rarest weighted
    /// terms, its names and its numbers, at most 40. Two articles about the
    /// same event share several of these, across languages too (names and
    /// numbers are language-neutral).
    pub fn index_keys(&self) -> Vec<u64> {
        let mut keys: Vec<u64> = Vec::with_capacity(MAX_INDEX_KEYS);
        let mut by_weight: Vec<(f64, u32)> = self
            .terms
            .iter()
            .zip(&self.counts)
            .filter(|(key, _)| KeyClass::of_key(**key) != KeyClass::Word(0))
            .map(|(key, count)| {
                let weight = f64::from(*count).sqrt() * PriorStats.idf(u64::from(*key));
                (weight, *key)
            })
            .collect();
        by_weight.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        keys.extend(self.names.iter().take(14).map(|k| u64::from(*k)));
        for (_, key) in by_weight {
            if keys.len() >= MAX_INDEX_KEYS {
                break;
            }
            if !keys.contains(&u64::from(key)) {
                keys.push(u64::from(key));
            }
        }
        keys
    }

    /// Every distinct term key of the article (terms and names), for
    /// document-frequency counting.
    pub fn term_keys(&self) -> Vec<u64> {
        let mut keys: Vec<u64> = self
            .terms
            .iter()
            .chain(&self.names)
            .map(|k| u64::from(*k))
            .collect();
        keys.sort_unstable();
        keys.dedup();
        keys
    }

    pub fn published(&self) -> Option<DateTime<Utc>> {
        self.published
            .and_then(|secs| DateTime::from_timestamp(secs, 0))
    }

    /// Detected (or hinted) language, ISO 639-1.
    pub fn language(&self) -> Option<&str> {
        self.lang.as_deref()
    }

    /// Compact binary form for storage. The frames come last, after the
    /// fields of the first layout, so that fingerprints stored before
    /// frames existed still decode (with none).
    pub fn to_bytes(&self) -> Vec<u8> {
        // Serialising plain vectors and strings into a Vec cannot fail.
        let mut bytes = postcard::to_stdvec(self).unwrap_or_default();
        let tail = FramesTail {
            frames: self.frames.clone(),
        };
        bytes.extend(postcard::to_stdvec(&tail).unwrap_or_default());
        bytes
    }

    /// Decodes [`Fingerprint::to_bytes`] output.
    pub fn from_bytes(bytes: &[u8]) -> Result<Fingerprint, FingerprintError> {
        let (mut fingerprint, tail): (Fingerprint, &[u8]) = postcard::take_from_bytes(bytes)?;
        if !tail.is_empty() {
            fingerprint.frames = postcard::from_bytes::<FramesTail>(tail)?.frames;
        }
        Ok(fingerprint)
    }

    /// Whether the fingerprint has sentence frames (older stored ones
    /// lack them).
    pub(crate) fn has_frames(&self) -> bool {
        !self.frames.is_empty()
    }
}

/// One content token of the text: its term key and where it starts.
struct Unit {
    key: u32,
    start: usize,
}

/// Content tokens in text order: lexemes of non-stop words, numbers of two or more
/// digits, and CJK character bigrams.
fn content_units(analysis: &Analysis) -> Vec<Unit> {
    let words = &analysis.words;
    let mut units = Vec::with_capacity(words.len());
    for (i, word) in words.iter().enumerate() {
        match word.kind {
            TokenKind::Word if !word.stop && word.folded.chars().count() >= 2 => {
                let term = lexeme(analysis, word);
                units.push(Unit {
                    key: keys::term_key(KeyClass::word(&term), &term),
                    start: word.start,
                });
            }
            TokenKind::Number if word.folded.len() >= 2 => units.push(Unit {
                key: keys::term_key(KeyClass::Number, &word.folded),
                start: word.start,
            }),
            TokenKind::Cjk => {
                if let Some(next) = words.get(i + 1) {
                    if next.kind == TokenKind::Cjk && next.start == word.end {
                        let bigram = format!("{}{}", word.folded, next.folded);
                        units.push(Unit {
                            key: keys::term_key(KeyClass::CjkBigram, &bigram),
                            start: word.start,
                        });
                    }
                }
            }
            _ => {}
        }
    }
    units
}

/// Stands for a run of content tokens in [`frame_tokens`].
const MASKED: u32 = u32::MAX;
/// Least share of stop words among a text's tokens for its frames to say
/// anything. English, German, French or Spanish prose has some 40 % and
/// more; Chinese has none, and Arabic and Turkish, which attach articles,
/// prepositions and conjunctions to their words, mostly under a quarter:
/// there the few frames a text has recur in unrelated texts (SemEval
/// Turkish pairs rated unrelated had frames 0.4 to 0.6 ahead of their
/// wording), so such a text keeps none and neither frame rule applies.
const MIN_FRAME_STOP_SHARE: f64 = 0.25;

/// The text's sentence frames: the stop words in order, each run of other
/// tokens between them masked to one placeholder ("# to # the # of #"). A
/// synonym spinner swaps content words one for one and leaves the frames
/// whole; a translation round trip or a rewrite rebuilds the sentences, and
/// with them the frames. A run counts once however long it is, or runs of
/// masked tokens alone would make frames that any two texts share. A text
/// with too few stop words ([`MIN_FRAME_STOP_SHARE`]) has no frames.
fn frame_tokens(analysis: &Analysis) -> Vec<u32> {
    let mut frames: Vec<u32> = Vec::with_capacity(analysis.words.len());
    let mut stop_words = 0;
    for word in &analysis.words {
        if word.kind == TokenKind::Word && word.stop {
            frames.push(keys::term_key(KeyClass::word(&word.folded), &word.folded));
            stop_words += 1;
        } else if frames.last() != Some(&MASKED) {
            frames.push(MASKED);
        }
    }
    if (stop_words as f64) < MIN_FRAME_STOP_SHARE * analysis.words.len() as f64 {
        frames.clear();
    }
    frames
}

/// Letters of a word that make its term.
const LEXEME_CHARS: usize = 5;

/// The term a word counts as: its first five letters, folded. Cutting words
/// short conflates inflections as well as a stemmer does, and unlike a
/// stemmer it lets cognates meet across languages ("president",
/// "presidente", "président"; "Pandemie", "pandemic"). Arabic attaches
/// prefixes (the article, conjunctions), so its words are stemmed first.
fn lexeme(analysis: &Analysis, word: &text::Word) -> String {
    let base = if analysis.lang == Some("ar") {
        tokens::fold(&analysis.stem(word))
    } else {
        word.folded.clone()
    };
    base.chars().take(LEXEME_CHARS).collect()
}

/// Sorted key lists are stored as differences between neighbours, which the
/// varint encoding of [`Fingerprint::to_bytes`] packs into fewer bytes.
mod ascending {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub fn serialize<S: Serializer>(values: &[u32], serializer: S) -> Result<S::Ok, S::Error> {
        let mut previous = 0u32;
        let deltas: Vec<u32> = values
            .iter()
            .map(|v| {
                let delta = v.wrapping_sub(previous);
                previous = *v;
                delta
            })
            .collect();
        deltas.serialize(serializer)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<u32>, D::Error> {
        let deltas = Vec::<u32>::deserialize(deserializer)?;
        let mut value = 0u32;
        Ok(deltas
            .into_iter()
            .map(|delta| {
                value = value.wrapping_add(delta);
                value
            })
            .collect())
    }
}
