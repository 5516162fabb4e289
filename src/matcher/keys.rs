//! Stable hashing of terms into compact keys.
//!
//! Keys are persisted (fingerprints, index postings, document frequencies),
//! so the hash must never change between builds: FNV-1a with a final mix,
//! not `std`'s randomised hasher.
//!
//! A term key is a `u32`: the top four bits are the term's [`KeyClass`], the
//! other 28 a hash. The class lets the shipped prior guess a document
//! frequency from the key alone (long words are rarer than short ones).

/// FNV-1a over bytes, then a murmur-style finaliser so low bits are usable.
pub fn hash64(namespace: u8, bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325 ^ u64::from(namespace);
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    h ^ (h >> 33)
}

/// What kind of term a key stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyClass {
    /// A word stem; the number is its length bucket (0: ≤3 chars .. 5: ≥10).
    Word(u8),
    /// Digits of a number of two or more digits.
    Number,
    /// Two adjacent CJK characters.
    CjkBigram,
    /// A name token, folded and cut to its first letters so that inflected
    /// and respelled forms meet ("Bidena", "Biden").
    Name,
}

impl KeyClass {
    fn code(self) -> u32 {
        match self {
            KeyClass::Word(bucket) => u32::from(bucket.min(5)),
            KeyClass::Number => 6,
            KeyClass::CjkBigram => 7,
            KeyClass::Name => 8,
        }
    }

    /// The class of a key made by [`term_key`].
    pub fn of_key(key: u32) -> KeyClass {
        match key >> 28 {
            bucket @ 0..=5 => KeyClass::Word(bucket as u8),
            6 => KeyClass::Number,
            7 => KeyClass::CjkBigram,
            _ => KeyClass::Name,
        }
    }

    /// Length bucket of a word stem.
    pub fn word(stem: &str) -> KeyClass {
        let chars = stem.chars().count();
        KeyClass::Word(match chars {
            0..=3 => 0,
            4 => 1,
            5 => 2,
            6..=7 => 3,
            8..=9 => 4,
            _ => 5,
        })
    }
}

/// The key of a term of the given class.
pub fn term_key(class: KeyClass, text: &str) -> u32 {
    let namespace = class.code() as u8;
    let h = hash64(namespace, text.as_bytes());
    (class.code() << 28) | (h as u32 & 0x0FFF_FFFF)
}

/// Letters of a folded name token that form its [`KeyClass::Name`] key.
pub const NAME_PREFIX_CHARS: usize = 5;

/// The name key of a folded name token.
pub fn name_key(folded: &str) -> u32 {
    let folded = crate::text::tokens::latinize(folded);
    let end = folded
        .char_indices()
        .nth(NAME_PREFIX_CHARS)
        .map_or(folded.len(), |(i, _)| i);
    term_key(KeyClass::Name, &folded[..end])
}

/// Consonants of a cognate key (see [`cognate_hash`]).
const COGNATE_CONSONANTS: usize = 4;
/// Fewest consonants a word needs to get a cognate key: shorter skeletons
/// are shared by too many unrelated words.
const MIN_COGNATE_CONSONANTS: usize = 3;
/// Bits of a cognate hash, as for shingles: dense sampled sets stay apart.
const COGNATE_HASH_BITS: u32 = 26;

/// A hash of a word's consonant skeleton, for meeting cognates across
/// languages whose spellings differ: "president", "presidente",
/// "Präsident" and Polish "prezydent" all reduce to "prsd"; "coronavirus"
/// and "koronawirus" to "krnv". Letters that spell one sound differently
/// across the Latin-script languages fall together (c/k/q, s/z/x, v/w,
/// f/ph), vowels and h drop out, doubled consonants count once, and a
/// leading vowel is kept as a mark. `None` for words with too few
/// consonants or letters outside Latin (after [`crate::text::tokens::latinize`]).
pub fn cognate_hash(folded: &str) -> Option<u32> {
    let latin = crate::text::tokens::latinize(folded);
    let bytes = latin.as_bytes();
    if !latin.is_ascii() {
        return None;
    }
    let mut skeleton = [0u8; COGNATE_CONSONANTS + 1];
    let mut len = 0;
    if bytes.first().is_some_and(|b| b"aeiouy".contains(b)) {
        skeleton[0] = b'@';
        len = 1;
    }
    let mut consonants = 0;
    let mut i = 0;
    while i < bytes.len() && consonants < COGNATE_CONSONANTS {
        let next = bytes.get(i + 1).copied();
        let sound = match (bytes[i], next) {
            (b'p', Some(b'h')) => {
                i += 1;
                b'f'
            }
            (b'c' | b'k' | b'q', _) => b'k',
            (b's' | b'z' | b'x', _) => b's',
            (b'v' | b'w', _) => b'v',
            (b'a' | b'e' | b'i' | b'o' | b'u' | b'y' | b'h' | b'j' | b'\'', _) => {
                i += 1;
                continue;
            }
            (letter, _) if letter.is_ascii_lowercase() => letter,
            _ => return None,
        };
        i += 1;
        if len > 0 && skeleton[len - 1] == sound {
            continue;
        }
        skeleton[len] = sound;
        len += 1;
        consonants += 1;
    }
    (consonants >= MIN_COGNATE_CONSONANTS)
        .then(|| (hash64(10, &skeleton[..len]) >> (64 - COGNATE_HASH_BITS)) as u32)
}
