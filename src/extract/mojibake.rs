//! Repair of mojibake: UTF-8 bytes that were decoded as Latin-1 or
//! Windows-1252 somewhere upstream ("FranÃ§ois" for "François").
//!
//! Feeds and scraped corpora carry this often enough that a matcher which
//! ignores it loses every accented name. The repair is conservative: a run of
//! characters is re-encoded to bytes and re-decoded only when the bytes form
//! valid UTF-8 and contain at least one multi-byte sequence, so genuine
//! Latin-1 text ("Ä" followed by an ordinary letter) is left alone.

/// Characters that Windows-1252 maps into 0x80..=0x9F, with their byte.
const CP1252_HIGH: [(char, u8); 27] = [
    ('€', 0x80),
    ('‚', 0x82),
    ('ƒ', 0x83),
    ('„', 0x84),
    ('…', 0x85),
    ('†', 0x86),
    ('‡', 0x87),
    ('ˆ', 0x88),
    ('‰', 0x89),
    ('Š', 0x8A),
    ('‹', 0x8B),
    ('Œ', 0x8C),
    ('Ž', 0x8E),
    ('‘', 0x91),
    ('’', 0x92),
    ('“', 0x93),
    ('”', 0x94),
    ('•', 0x95),
    ('–', 0x96),
    ('—', 0x97),
    ('˜', 0x98),
    ('™', 0x99),
    ('š', 0x9A),
    ('›', 0x9B),
    ('œ', 0x9C),
    ('ž', 0x9E),
    ('Ÿ', 0x9F),
];

/// The byte a character stood for if it came from a Latin-1/cp1252 decode.
fn as_single_byte(c: char) -> Option<u8> {
    let code = c as u32;
    if code < 0x80 {
        return Some(code as u8);
    }
    if (0xA0..=0xFF).contains(&code) || (0x80..0xA0).contains(&code) {
        return Some(code as u8);
    }
    CP1252_HIGH
        .iter()
        .find(|(ch, _)| *ch == c)
        .map(|(_, byte)| *byte)
}

/// Lead bytes of two- to four-byte UTF-8 sequences show up as these
/// characters; text without any of them cannot be mojibake.
fn looks_like_lead(c: char) -> bool {
    matches!(c as u32, 0xC2..=0xF4)
}

/// Returns the text with mojibake runs repaired; untouched text is returned
/// as is (borrowed when nothing changed is not worth the API cost here).
pub fn repair(text: &str) -> String {
    if !text.chars().any(looks_like_lead) {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut run: Vec<u8> = Vec::new();
    let mut run_text = String::new();
    for c in text.chars() {
        match as_single_byte(c) {
            Some(byte) if byte >= 0x80 => {
                run.push(byte);
                run_text.push(c);
            }
            // "à" is C3 A0, and the A0 (a no-break space) is often turned
            // into a plain space on the way, leaving "Ã ".
            _ if c == ' ' && run.last() == Some(&0xC3) => {
                run.push(0xA0);
                run_text.push(c);
            }
            // A no-break space decoded twice is "Â" and the space; once the
            // space is normalised or trimmed, an "Â" is left before
            // whitespace or at the end, where text never has one.
            _ if c.is_whitespace() && run.last() == Some(&0xC2) => {
                drop_no_break_lead(&mut run, &mut run_text);
                flush(&mut out, &mut run, &mut run_text);
                out.push(c);
            }
            _ => {
                flush(&mut out, &mut run, &mut run_text);
                out.push(c);
            }
        }
    }
    if run.last() == Some(&0xC2) {
        drop_no_break_lead(&mut run, &mut run_text);
    }
    flush(&mut out, &mut run, &mut run_text);
    out
}

/// Drops the "Â" ending a run: 0xC2 opens a two-byte sequence, so at the
/// end of a run it is what is left of a no-break space.
fn drop_no_break_lead(run: &mut Vec<u8>, run_text: &mut String) {
    run.pop();
    run_text.pop();
}

/// Writes a run of high characters: decoded as UTF-8 when that works, else
/// verbatim. Partial runs are decoded sequence by sequence so one stray
/// character does not block the repair of its neighbours.
fn flush(out: &mut String, run: &mut Vec<u8>, run_text: &mut String) {
    if run.is_empty() {
        return;
    }
    let chars: Vec<char> = run_text.chars().collect();
    let mut i = 0;
    while i < run.len() {
        let width = match run[i] {
            0xC2..=0xDF => 2,
            0xE0..=0xEF => 3,
            0xF0..=0xF4 => 4,
            _ => 0,
        };
        if width > 0 && i + width <= run.len() {
            if let Ok(decoded) = std::str::from_utf8(&run[i..i + width]) {
                out.push_str(decoded);
                i += width;
                continue;
            }
        }
        out.push(chars[i]);
        i += 1;
    }
    run.clear();
    run_text.clear();
}

#[cfg(test)]
mod tests {
    use super::repair;

    #[test]
    fn utf8_read_as_latin1_is_repaired_and_latin1_is_left() {
        assert_eq!(repair("FranÃ§ois Ã  Paris"), "François à Paris");
        assert_eq!(repair("Ärger über Äpfel"), "Ärger über Äpfel");
    }

    #[test]
    fn a_no_break_space_decoded_twice_leaves_no_stray_letter() {
        assert_eq!(
            repair("$32.21 for cats.Â\n\nThe rest.Â Â"),
            "$32.21 for cats.\n\nThe rest. "
        );
        assert_eq!(repair("Âge"), "Âge");
    }
}
