//! The page language as an ISO 639-1 code.
//!
//! The text decides when the detector is confident: templates often keep
//! `lang="en"` on translated pages. The declared language breaks ties.

use whatlang::Lang;

/// Enough text for a confident guess; more only costs time.
const SAMPLE_BYTES: usize = 800;

pub(crate) fn detect(text: &str, declared: Option<&str>) -> Option<String> {
    let declared = declared.and_then(primary_subtag);
    let mut end = text.len().min(SAMPLE_BYTES);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let detected = whatlang::detect(&text[..end]);
    match detected {
        Some(info) if info.is_reliable() => iso639_1(info.lang()).map(str::to_owned).or(declared),
        Some(info) => declared.or_else(|| iso639_1(info.lang()).map(str::to_owned)),
        None => declared,
    }
}

/// "en-GB" / "en_US" / "EN" → "en"; anything not two or three letters is
/// no language tag.
fn primary_subtag(tag: &str) -> Option<String> {
    let primary = tag.trim().split(['-', '_']).next()?.to_ascii_lowercase();
    let valid = (2..=3).contains(&primary.len()) && primary.chars().all(|c| c.is_ascii_lowercase());
    valid.then_some(primary)
}

/// whatlang names languages in ISO 639-3; the rest of storywatch uses 639-1.
fn iso639_1(lang: Lang) -> Option<&'static str> {
    Some(match lang.code() {
        "epo" => "eo",
        "eng" => "en",
        "rus" => "ru",
        "cmn" => "zh",
        "spa" => "es",
        "por" => "pt",
        "ita" => "it",
        "ben" => "bn",
        "fra" => "fr",
        "deu" => "de",
        "ukr" => "uk",
        "kat" => "ka",
        "ara" => "ar",
        "hin" => "hi",
        "jpn" => "ja",
        "heb" => "he",
        "yid" => "yi",
        "pol" => "pl",
        "amh" => "am",
        "jav" => "jv",
        "kor" => "ko",
        "nob" => "nb",
        "dan" => "da",
        "swe" => "sv",
        "fin" => "fi",
        "tur" => "tr",
        "nld" => "nl",
        "hun" => "hu",
        "ces" => "cs",
        "ell" => "el",
        "bul" => "bg",
        "bel" => "be",
        "mar" => "mr",
        "kan" => "kn",
        "ron" => "ro",
        "slv" => "sl",
        "hrv" => "hr",
        "srp" => "sr",
        "mkd" => "mk",
        "lit" => "lt",
        "lav" => "lv",
        "est" => "et",
        "tam" => "ta",
        "vie" => "vi",
        "urd" => "ur",
        "tha" => "th",
        "guj" => "gu",
        "uzb" => "uz",
        "pan" => "pa",
        "aze" => "az",
        "ind" => "id",
        "tel" => "te",
        "pes" => "fa",
        "mal" => "ml",
        "ori" => "or",
        "mya" => "my",
        "nep" => "ne",
        "sin" => "si",
        "khm" => "km",
        "tuk" => "tk",
        "aka" => "ak",
        "zul" => "zu",
        "sna" => "sn",
        "afr" => "af",
        "lat" => "la",
        "slk" => "sk",
        "cat" => "ca",
        "tgl" => "tl",
        "hye" => "hy",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn declared_tags_reduce_to_primary_subtag() {
        assert_eq!(primary_subtag("en-GB").as_deref(), Some("en"));
        assert_eq!(primary_subtag("pt_BR").as_deref(), Some("pt"));
        assert_eq!(primary_subtag("{{lang}}"), None);
    }

    #[test]
    fn confident_text_beats_the_template_declaration() {
        let german = "Die Bundesregierung hat am Mittwoch beschlossen, die Förderung für \
                      erneuerbare Energien im kommenden Jahr deutlich zu erhöhen, wie ein \
                      Sprecher des Ministeriums in Berlin mitteilte.";
        assert_eq!(detect(german, Some("en")).as_deref(), Some("de"));
        assert_eq!(detect("", Some("fr-FR")).as_deref(), Some("fr"));
    }
}
