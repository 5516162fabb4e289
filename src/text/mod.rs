//! Text normalisation for matching: Unicode NFKC, mojibake repair, language
//! detection, tokens, stop words, stems, names and numbers.
//!
//! [`analyze`] runs the whole chain and returns an [`Analysis`]: the
//! normalised text and one [`Word`] per token, each knowing its stem, its
//! language-neutral folded form and whether it is a stop word or part of a
//! name. The matcher builds its fingerprints from that.

pub mod entities;
pub mod lang;
pub mod lexicon;
pub mod tokens;

use unicode_normalization::UnicodeNormalization;

pub use tokens::TokenKind;

/// Mojibake repair, then NFKC, then whitespace runs collapsed to one space
/// (newlines are kept: they mark paragraph and sentence boundaries) and
/// other scripts' decimal digits written as ASCII.
pub fn normalize(raw: &str) -> String {
    let repaired = crate::extract::mojibake::repair(raw);
    let mut out = String::with_capacity(repaired.len());
    let mut pending: Option<char> = None;
    for c in repaired.nfkc() {
        if c.is_whitespace() || c.is_control() {
            if c == '\n' || pending.is_none() {
                pending = Some(if c == '\n' { '\n' } else { ' ' });
            }
            continue;
        }
        if let Some(space) = pending.take() {
            if !out.is_empty() {
                out.push(space);
            }
        }
        out.push(ascii_digit(c).unwrap_or(c));
    }
    out
}

/// The zero of each script whose ten decimal digits follow it in Unicode
/// and that NFKC leaves alone: Arabic-Indic, Persian, N'Ko, the Indic
/// scripts, Thai, Lao, Tibetan, Myanmar, Khmer, Mongolian.
const SCRIPT_ZEROS: [u32; 18] = [
    0x0660, 0x06F0, 0x07C0, 0x0966, 0x09E6, 0x0A66, 0x0AE6, 0x0B66, 0x0BE6, 0x0C66, 0x0CE6, 0x0D66,
    0x0E50, 0x0ED0, 0x0F20, 0x1040, 0x17E0, 0x1810,
];

/// "١٥" and "१५" as "15": numbers are compared across languages, and
/// reports of one event in Arabic or Hindi and in English share them.
fn ascii_digit(c: char) -> Option<char> {
    let code = u32::from(c);
    if code < SCRIPT_ZEROS[0] {
        return None;
    }
    SCRIPT_ZEROS
        .iter()
        .find(|&&zero| (zero..zero + 10).contains(&code))
        .and_then(|zero| char::from_digit(code - zero, 10))
}

/// One token of an analysed text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    /// Byte range in [`Analysis::text`].
    pub start: usize,
    pub end: usize,
    pub kind: TokenKind,
    /// Lower case, accents removed: the form names and numbers are compared in
    /// across languages. For numbers, the bare digits; for CJK, the character.
    pub folded: String,
    pub stop: bool,
    /// Part of a named entity (see [`entities`]).
    pub name: bool,
}

/// A normalised, tokenised text.
#[derive(Debug, Clone)]
pub struct Analysis {
    pub text: String,
    /// ISO 639-1 code: the hint when one was given and recognised, else the
    /// detected language.
    pub lang: Option<&'static str>,
    pub words: Vec<Word>,
    /// Named entities in folded form ("joe biden", "nato"), most frequent
    /// first, each once.
    pub entities: Vec<String>,
}

impl Analysis {
    /// The Snowball stem of a word in the text's language (prefix truncation
    /// where there is no stemmer); computed on demand, as most callers never
    /// need it.
    pub fn stem(&self, word: &Word) -> String {
        match word.kind {
            TokenKind::Word => {
                lexicon::stem(self.lang, &self.text[word.start..word.end].to_lowercase())
            }
            TokenKind::Number | TokenKind::Cjk => word.folded.clone(),
        }
    }
}

/// Normalises and analyses `raw`. `hint` is a language code from the feed or
/// page, used when recognised; `None` means detect.
pub fn analyze(raw: &str, hint: Option<&str>) -> Analysis {
    let text = normalize(raw);
    let lang = hint
        .and_then(lang::from_hint)
        .or_else(|| lang::detect(&text));
    analyze_normalized(text, lang)
}

/// [`analyze`] for text that is already normalised, in a known language.
pub fn analyze_normalized(text: String, lang: Option<&'static str>) -> Analysis {
    let tokens = tokens::tokenize(&text);
    let mut folded = Vec::with_capacity(tokens.len());
    let mut stop = Vec::with_capacity(tokens.len());
    for token in &tokens {
        match token.kind {
            TokenKind::Number => {
                folded.push(tokens::number_digits(token.text));
                stop.push(false);
            }
            TokenKind::Cjk => {
                folded.push(token.text.to_string());
                stop.push(false);
            }
            TokenKind::Word => {
                let form = tokens::fold(token.text);
                // Stop lists keep their accents ("für", "él").
                let is_stop = if token.text.is_ascii() {
                    lexicon::is_stop(lang, &form)
                } else {
                    lexicon::is_stop(lang, &token.text.to_lowercase())
                };
                folded.push(form);
                stop.push(is_stop);
            }
        }
    }
    let names = entities::name_flags(&tokens, &stop, &folded);
    let words: Vec<Word> = tokens
        .iter()
        .zip(folded)
        .zip(stop.iter().zip(&names))
        .map(|((token, folded), (stop, name))| Word {
            start: token.start,
            end: token.end(),
            kind: token.kind,
            folded,
            stop: *stop,
            name: *name,
        })
        .collect();
    let entities = entities::collect(&text, &words);
    Analysis {
        text,
        lang,
        words,
        entities,
    }
}
