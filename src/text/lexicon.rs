//! Stop words and stems per language.
//!
//! Stop-word lists come from the `stop-words` crate (NLTK lists where they
//! exist, ISO lists otherwise); stems from the Snowball stemmers in
//! `rust-stemmers`. Languages without a stemmer (Polish, Czech, ...) get
//! prefix truncation, which for inflecting languages recovers most of what a
//! stemmer would.

use std::collections::HashMap;
use std::sync::OnceLock;

use rust_stemmers::{Algorithm, Stemmer};
use rustc_hash::{FxHashMap, FxHashSet};

/// Characters kept when a language has no stemmer.
const TRUNCATE_CHARS: usize = 6;

/// A few words that every news text repeats and the NLTK lists leave out.
const EXTRA_STOP: &[(&str, &[&str])] = &[
    (
        "en",
        &[
            "said",
            "says",
            "say",
            "also",
            "would",
            "could",
            "one",
            "two",
            "new",
            "mr",
            "ms",
            "mrs",
            "told",
            "according",
            "per",
            "cent",
            "percent",
            "year",
            "years",
            "last",
            "first",
            "may",
            "like",
            "us",
            "since",
            "still",
            "however",
            "many",
            "much",
            "well",
            "even",
            "get",
            "got",
            "make",
            "made",
            "including",
            "among",
            "another",
            "around",
            "across",
            "within",
            "without",
        ],
    ),
    (
        "de",
        &[
            "sagte", "sagt", "sei", "seien", "worden", "wurde", "wurden", "dass", "mehr", "schon",
            "sowie", "laut", "prozent",
        ],
    ),
    (
        "es",
        &["dijo", "según", "ser", "sido", "además", "año", "años"],
    ),
    (
        "fr",
        &["a", "dit", "selon", "plus", "aussi", "être", "été", "ans"],
    ),
];

/// Looked up for every word of every article, so hashed with Fx rather
/// than the default SipHash (which guards against hostile keys these
/// fixed sets cannot have).
fn stop_sets() -> &'static FxHashMap<&'static str, FxHashSet<&'static str>> {
    static SETS: OnceLock<FxHashMap<&'static str, FxHashSet<&'static str>>> = OnceLock::new();
    SETS.get_or_init(|| {
        let mut sets = FxHashMap::default();
        for code in stop_words::available_languages() {
            let Some(words) = stop_words::lookup(code) else {
                continue;
            };
            let set: &mut FxHashSet<&'static str> = sets.entry(*code).or_default();
            set.extend(words.iter().copied());
        }
        for (code, words) in EXTRA_STOP {
            sets.entry(*code).or_default().extend(words.iter().copied());
        }
        sets
    })
}

/// Whether a lower-cased word is a stop word of `lang`. Without a known
/// language, English stop words are used, the commonest case in feeds.
pub fn is_stop(lang: Option<&str>, lower: &str) -> bool {
    let sets = stop_sets();
    sets.get(lang.unwrap_or("en"))
        .or_else(|| sets.get("en"))
        .is_some_and(|set| set.contains(lower))
}

fn algorithm(lang: &str) -> Option<Algorithm> {
    Some(match lang {
        "ar" => Algorithm::Arabic,
        "da" => Algorithm::Danish,
        "nl" => Algorithm::Dutch,
        "en" => Algorithm::English,
        "fi" => Algorithm::Finnish,
        "fr" => Algorithm::French,
        "de" => Algorithm::German,
        "el" => Algorithm::Greek,
        "hu" => Algorithm::Hungarian,
        "it" => Algorithm::Italian,
        "no" => Algorithm::Norwegian,
        "pt" => Algorithm::Portuguese,
        "ro" => Algorithm::Romanian,
        "ru" => Algorithm::Russian,
        "es" => Algorithm::Spanish,
        "sv" => Algorithm::Swedish,
        "ta" => Algorithm::Tamil,
        "tr" => Algorithm::Turkish,
        _ => return None,
    })
}

fn stemmers() -> &'static HashMap<&'static str, Stemmer> {
    static STEMMERS: OnceLock<HashMap<&'static str, Stemmer>> = OnceLock::new();
    STEMMERS.get_or_init(|| {
        [
            "ar", "da", "nl", "en", "fi", "fr", "de", "el", "hu", "it", "no", "pt", "ro", "ru",
            "es", "sv", "ta", "tr",
        ]
        .into_iter()
        .filter_map(|code| algorithm(code).map(|alg| (code, Stemmer::create(alg))))
        .collect()
    })
}

/// The stem of a lower-cased word in `lang` (English when unknown).
pub fn stem(lang: Option<&str>, lower: &str) -> String {
    let code = lang.unwrap_or("en");
    match stemmers().get(code) {
        Some(stemmer) => stemmer.stem(lower).into_owned(),
        None => lower.chars().take(TRUNCATE_CHARS).collect(),
    }
}
