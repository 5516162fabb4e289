//! Language identification, reduced to ISO 639-1 codes.
//!
//! whatlang is trigram based; its cost grows with the input, and a few
//! hundred characters of body text decide the language as well as the whole
//! article does, so only a prefix is examined.

use std::sync::OnceLock;

use whatlang::{Detector, Lang};

/// Characters examined by [`detect`].
const SAMPLE_CHARS: usize = 300;

/// Detects the language of `text`, or `None` when the text is too short or
/// ambiguous for a confident answer.
pub fn detect(text: &str) -> Option<&'static str> {
    by_stop_words(text).or_else(|| by_trigrams(text))
}

/// Latin-script languages told apart by their commonest words.
const STOP_WORD_LANGUAGES: &[&str] = &[
    "en", "de", "fr", "es", "it", "pt", "nl", "pl", "tr", "sv", "da", "no", "fi", "hu", "ro", "id",
];
/// Words examined by [`by_stop_words`].
const SAMPLE_WORDS: usize = 80;

/// Counts, for each language, how many of the first words are its stop
/// words; a clear winner decides. Several times faster than trigrams, and
/// as reliable on news prose, where function words are plentiful.
fn by_stop_words(text: &str) -> Option<&'static str> {
    let words: Vec<String> = text
        .split(|c: char| !c.is_alphabetic() && c != '\'')
        .filter(|w| !w.is_empty())
        .take(SAMPLE_WORDS)
        .map(str::to_lowercase)
        .collect();
    if words.len() < 8 || !words.iter().all(|w| w.chars().all(is_latin)) {
        return None;
    }
    let mut hits: Vec<(usize, &'static str)> = STOP_WORD_LANGUAGES
        .iter()
        .map(|code| {
            let count = words
                .iter()
                .filter(|w| super::lexicon::is_stop(Some(code), w))
                .count();
            (count, *code)
        })
        .collect();
    hits.sort_by_key(|(count, _)| std::cmp::Reverse(*count));
    let (best, code) = hits[0];
    let second = hits[1].0;
    (best >= 4 && best * 2 >= second * 3).then_some(code)
}

fn is_latin(c: char) -> bool {
    c.is_ascii_alphabetic() || ('\u{C0}'..='\u{24F}').contains(&c) || c == '\''
}

/// Words below which whatlang's own reliability flag must be set.
const MIN_TRIGRAM_WORDS: usize = 12;

/// whatlang's trigram detector, for other scripts and unclear cases.
fn by_trigrams(text: &str) -> Option<&'static str> {
    let end = text
        .char_indices()
        .nth(SAMPLE_CHARS)
        .map_or(text.len(), |(i, _)| i);
    // Only languages with a two-letter code below are worth telling apart,
    // and fewer candidate profiles make detection several times faster.
    static DETECTOR: OnceLock<Detector> = OnceLock::new();
    let detector = DETECTOR
        .get_or_init(|| Detector::with_allowlist(TWO_LETTER.iter().map(|(l, _)| *l).collect()));
    let sample = &text[..end];
    let info = detector.detect(sample)?;
    // Short texts get low confidence even when whatlang is right; its own
    // reliability flag is too strict for a title plus a paragraph, but a
    // headline alone is too little for the trigrams ("Wrenfield bridge to
    // close after harbour vote" came out Danish at 0.2 and more, and a
    // language gap changes how a pair is scored).
    let words = sample.split_whitespace().count();
    if info.confidence() < 0.2 || (words < MIN_TRIGRAM_WORDS && !info.is_reliable()) {
        return None;
    }
    iso_639_1(info.lang())
}

/// Normalises a language hint ("en", "en-US", "EN_gb", "eng", "English")
/// into a two-letter code, or `None` when it is not recognised.
pub fn from_hint(hint: &str) -> Option<&'static str> {
    let lower = hint.trim().to_ascii_lowercase();
    let primary = lower.split(['-', '_']).next().unwrap_or_default();
    if let Some(lang) = Lang::from_code(primary) {
        return iso_639_1(lang);
    }
    TWO_LETTER
        .iter()
        .find(|(_, code)| *code == primary)
        .map(|(_, code)| *code)
        .or_else(|| {
            Lang::all()
                .iter()
                .find(|lang| lang.eng_name().eq_ignore_ascii_case(primary))
                .and_then(|lang| iso_639_1(*lang))
        })
}

/// The English name of a two-letter language code ("de" → "German"), for
/// people to read; `None` for a code this table does not have.
pub fn name(code: &str) -> Option<&'static str> {
    TWO_LETTER
        .iter()
        .find(|(_, c)| *c == code)
        .map(|(lang, _)| lang.eng_name())
}

/// The writing system a language is usually written in ("latin",
/// "cyrillic", "han", ...); names carry between languages of one family
/// letter for letter, between families not at all.
pub fn script_family(code: &str) -> &'static str {
    match code {
        "ru" | "uk" | "bg" | "sr" | "be" | "kk" => "cyrillic",
        "zh" | "ja" => "han",
        "ko" => "hangul",
        "ar" | "fa" | "ur" => "arabic",
        "he" => "hebrew",
        "el" => "greek",
        "hi" => "devanagari",
        "th" => "thai",
        "ta" => "tamil",
        _ => "latin",
    }
}

/// whatlang speaks ISO 639-3; everything downstream speaks ISO 639-1.
fn iso_639_1(lang: Lang) -> Option<&'static str> {
    TWO_LETTER
        .iter()
        .find(|(l, _)| *l == lang)
        .map(|(_, code)| *code)
}

const TWO_LETTER: &[(Lang, &str)] = &[
    (Lang::Eng, "en"),
    (Lang::Deu, "de"),
    (Lang::Fra, "fr"),
    (Lang::Spa, "es"),
    (Lang::Ita, "it"),
    (Lang::Por, "pt"),
    (Lang::Nld, "nl"),
    (Lang::Pol, "pl"),
    (Lang::Tur, "tr"),
    (Lang::Rus, "ru"),
    (Lang::Ukr, "uk"),
    (Lang::Ara, "ar"),
    (Lang::Cmn, "zh"),
    (Lang::Jpn, "ja"),
    (Lang::Kor, "ko"),
    (Lang::Swe, "sv"),
    (Lang::Dan, "da"),
    (Lang::Nob, "no"),
    (Lang::Fin, "fi"),
    (Lang::Hun, "hu"),
    (Lang::Ron, "ro"),
    (Lang::Ces, "cs"),
    (Lang::Slk, "sk"),
    (Lang::Slv, "sl"),
    (Lang::Hrv, "hr"),
    (Lang::Srp, "sr"),
    (Lang::Bul, "bg"),
    (Lang::Ell, "el"),
    (Lang::Heb, "he"),
    (Lang::Hin, "hi"),
    (Lang::Ind, "id"),
    (Lang::Vie, "vi"),
    (Lang::Tha, "th"),
    (Lang::Pes, "fa"),
    (Lang::Cat, "ca"),
    (Lang::Lit, "lt"),
    (Lang::Lav, "lv"),
    (Lang::Est, "et"),
    (Lang::Tam, "ta"),
];
