//! Tokenisation into words, numbers and CJK characters, with the facts the
//! entity extractor needs (capitalisation, sentence starts).

use std::borrow::Cow;

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// What a token is made of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    /// Letters (and digits mixed into letters, as in "COVID19" or "S5").
    Word,
    /// Digits, with the separators inside them kept in `text`.
    Number,
    /// One Han, kana or Hangul character: those scripts do not mark word
    /// boundaries, so they are matched as character bigrams instead.
    Cjk,
}

/// A token borrowed from the normalised text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token<'a> {
    pub text: &'a str,
    /// Byte offset in the text.
    pub start: usize,
    pub kind: TokenKind,
    /// First token of a sentence (or of the text, a line or a quotation),
    /// where capitalisation says nothing about names.
    pub sentence_start: bool,
}

impl Token<'_> {
    /// Byte offset just past the token.
    pub fn end(&self) -> usize {
        self.start + self.text.len()
    }

    /// Starts with an upper-case letter.
    pub fn is_capitalised(&self) -> bool {
        self.text.chars().next().is_some_and(char::is_uppercase)
    }

    /// Two or more letters, all upper case ("NATO", "UEFA", "S5" is not).
    pub fn is_acronym(&self) -> bool {
        let mut letters = 0;
        for c in self.text.chars() {
            if c.is_alphabetic() {
                if !c.is_uppercase() {
                    return false;
                }
                letters += 1;
            }
        }
        letters >= 2
    }
}

/// Han, kana and Hangul: scripts written without spaces between words.
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xAC00..=0xD7AF | 0xF900..=0xFAFF)
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() && !is_cjk(c)
}

/// Splits text into tokens. Apostrophes inside words are kept ("don't",
/// "l'Élysée" stays one token to be split by the stop-word stage), digits
/// keep their inner separators ("1,200", "3.5").
pub fn tokenize(text: &str) -> Vec<Token<'_>> {
    let mut tokens = Vec::with_capacity(text.len() / 5);
    let mut sentence_start = true;
    let mut iter = text.char_indices().peekable();
    while let Some((start, c)) = iter.next() {
        if is_cjk(c) {
            let end = start + c.len_utf8();
            tokens.push(Token {
                text: &text[start..end],
                start,
                kind: TokenKind::Cjk,
                sentence_start,
            });
            sentence_start = false;
            continue;
        }
        if !is_word_char(c) {
            if matches!(
                c,
                '.' | '!' | '?' | '\n' | '"' | '“' | '«' | '„' | ':' | '。' | '！' | '？'
            ) {
                sentence_start = true;
            }
            continue;
        }
        let mut end = start + c.len_utf8();
        let mut all_digits = c.is_ascii_digit();
        while let Some(&(i, next)) = iter.peek() {
            if is_word_char(next) {
                all_digits &= next.is_ascii_digit();
                end = i + next.len_utf8();
                iter.next();
                continue;
            }
            // A separator joins two parts only when a word character follows:
            // "1,200", "3.5", "don't"; never "end." or "x, y".
            let joins = match next {
                ',' | '.' => all_digits,
                '\'' | '’' => !all_digits,
                _ => false,
            };
            if !joins {
                break;
            }
            let mut ahead = text[i + next.len_utf8()..].chars();
            let follows = ahead.next().is_some_and(|f| {
                if all_digits {
                    f.is_ascii_digit()
                } else {
                    is_word_char(f)
                }
            });
            if !follows {
                break;
            }
            iter.next();
        }
        let kind = if all_digits {
            TokenKind::Number
        } else {
            TokenKind::Word
        };
        tokens.push(Token {
            text: &text[start..end],
            start,
            kind,
            sentence_start,
        });
        sentence_start = false;
    }
    tokens
}

/// Lower case with accents removed ("Łódź" → "lodz", "Müller" → "muller"):
/// the language-neutral form in which names and cognates are compared.
pub fn fold(word: &str) -> String {
    if word.is_ascii() {
        return word.to_ascii_lowercase();
    }
    let mut out = String::with_capacity(word.len());
    for c in word.nfkd() {
        if is_combining_mark(c) {
            continue;
        }
        match c {
            'ł' | 'Ł' => out.push('l'),
            'ß' => out.push_str("ss"),
            'ø' | 'Ø' => out.push('o'),
            'đ' | 'Đ' => out.push('d'),
            'ı' => out.push('i'),
            'æ' | 'Æ' => out.push_str("ae"),
            '’' => out.push('\''),
            _ => out.extend(c.to_lowercase()),
        }
    }
    out
}

/// Digits of a number token without separators, so "1,200", "1.200" and
/// "1 200" (split earlier) agree; leading zeros are dropped ("07" = "7").
pub fn number_digits(text: &str) -> String {
    let digits: String = text.chars().filter(char::is_ascii_digit).collect();
    let trimmed = digits.trim_start_matches('0');
    if trimmed.is_empty() {
        "0".to_string()
    } else {
        trimmed.to_string()
    }
}

/// A folded word with Cyrillic and Greek letters spelled in Latin ones
/// ("путин" → "putin", "τσιπρας" → "tsipras"), so that names written in
/// those scripts meet their Latin spellings in other languages' texts.
/// The spelling is a plain letter-by-letter one, close to the common
/// news transliterations; other scripts pass through unchanged.
pub fn latinize(folded: &str) -> Cow<'_, str> {
    if folded.is_ascii() {
        return Cow::Borrowed(folded);
    }
    let mut out = String::with_capacity(folded.len());
    for c in folded.chars() {
        match latin_spelling(c) {
            Some(latin) => out.push_str(latin),
            None => out.push(c),
        }
    }
    Cow::Owned(out)
}

fn latin_spelling(c: char) -> Option<&'static str> {
    Some(match c {
        'а' | 'α' => "a",
        'б' | 'β' => "b",
        'в' => "v",
        'г' | 'γ' | 'ґ' => "g",
        'д' | 'δ' => "d",
        'е' | 'ё' | 'э' | 'є' | 'ε' | 'η' => "e",
        'ж' => "zh",
        'з' | 'ζ' => "z",
        'и' | 'і' | 'ї' | 'ι' | 'υ' => "i",
        'й' => "y",
        'к' | 'κ' => "k",
        'л' | 'λ' => "l",
        'м' | 'μ' => "m",
        'н' | 'ν' => "n",
        'о' | 'ο' | 'ω' => "o",
        'п' | 'π' => "p",
        'р' | 'ρ' => "r",
        'с' | 'σ' | 'ς' => "s",
        'т' | 'τ' => "t",
        'у' => "u",
        'ф' | 'φ' => "f",
        'х' | 'χ' => "kh",
        'ц' => "ts",
        'ч' => "ch",
        'ш' => "sh",
        'щ' => "shch",
        'ы' => "y",
        'ю' => "yu",
        'я' => "ya",
        'θ' => "th",
        'ξ' => "x",
        'ψ' => "ps",
        'ъ' | 'ь' => "",
        _ => return None,
    })
}
