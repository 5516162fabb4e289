//! Language identification, reduced to ISO 639-1 codes.
//!
//! whatlang is trigram based; its cost grows with the input, and a few
//! hundred characters of body text decide the language as well as the whole
//! article does, so only a prefix is examined.

use whatlang::Lang;

/// Characters examined by [`detect`].
const SAMPLE_CHARS: usize = 500;

/// Detects the language of `text`, or `None` when the text is too short or
/// ambiguous for a confident answer.
pub fn detect(text: &str) -> Option<&'static str> {
    let end = text
        .char_indices()
        .nth(SAMPLE_CHARS)
        .map_or(text.len(), |(i, _)| i);
    let info = whatlang::detect(&text[..end])?;
    // Short texts get low confidence even when whatlang is right; its own
    // reliability flag is too strict for a title plus a paragraph.
    if info.confidence() < 0.2 {
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
