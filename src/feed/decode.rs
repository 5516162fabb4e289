//! Feed bytes to the UTF-8 that feed-rs reads.
//!
//! feed-rs decodes by the XML declaration alone. The HTTP `charset`
//! outranks the declaration (RFC 7303), and either can be wrong: a feed in
//! windows-1251 served without a declaration came out of feed-rs with every
//! title dropped, and a CMS that declares ISO-8859-1 while its database
//! emits UTF-8 turned every accent into mojibake. So, as for pages, a
//! declaration is trusted only when the bytes do not contradict it, and
//! text that is not UTF-8 is decoded here and handed on as UTF-8, without
//! the declaration that would have it decoded again.

use std::borrow::Cow;

use encoding_rs::{Encoding, UTF_16BE, UTF_16LE, UTF_8};

use crate::fetch::charset::{encoding_for_label, sniff};

/// How far into the document the XML declaration may end.
const DECLARATION_SCAN_BYTES: usize = 512;

/// `bytes` as UTF-8, with `header_charset` the `charset` parameter of the
/// HTTP `Content-Type`, if any.
pub fn to_utf8<'a>(bytes: &'a [u8], header_charset: Option<&str>) -> Cow<'a, [u8]> {
    // A byte order mark names its encoding beyond doubt, and feed-rs
    // reads it; UTF-16 is also the one encoding ASCII checks cannot see.
    let from_header = header_charset.and_then(encoding_for_label);
    if Encoding::for_bom(bytes).is_some()
        || from_header.is_some_and(|e| e == UTF_16LE || e == UTF_16BE)
    {
        return Cow::Borrowed(bytes);
    }
    let span = declaration(bytes);
    let declared = span
        .and_then(|(start, end)| encoding_label(&bytes[start..end]))
        .and_then(|label| encoding_for_label(&label));
    if std::str::from_utf8(bytes).is_ok() {
        // Valid UTF-8 with non-ASCII bytes almost never happens by chance
        // in a legacy encoding, so it beats a legacy declaration.
        return match (span, declared) {
            (Some(span), Some(encoding)) if encoding != UTF_8 && !bytes.is_ascii() => {
                Cow::Owned(without(bytes, span))
            }
            _ => Cow::Borrowed(bytes),
        };
    }
    let text = [from_header, declared]
        .into_iter()
        .flatten()
        .find_map(|encoding| {
            let (text, had_errors) = encoding.decode_without_bom_handling(bytes);
            (!had_errors).then_some(text)
        })
        .unwrap_or_else(|| sniff(bytes).decode_without_bom_handling(bytes).0);
    let text = text.as_bytes();
    Cow::Owned(match declaration(text) {
        Some(span) => without(text, span),
        None => text.to_vec(),
    })
}

/// Where `<?xml ... ?>` stands at the start of the document (after white
/// space), as a byte range.
fn declaration(bytes: &[u8]) -> Option<(usize, usize)> {
    let head = &bytes[..bytes.len().min(DECLARATION_SCAN_BYTES)];
    let start = head.iter().position(|b| !b.is_ascii_whitespace())?;
    if !head[start..].starts_with(b"<?xml") {
        return None;
    }
    let end = memchr::memmem::find(&head[start..], b"?>")? + start + 2;
    Some((start, end))
}

/// The `encoding="..."` value of a declaration.
fn encoding_label(declaration: &[u8]) -> Option<String> {
    let text = String::from_utf8_lossy(declaration);
    let at = text.find("encoding")? + "encoding".len();
    let rest = text[at..].trim_start().strip_prefix('=')?.trim_start();
    let quote = rest.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let value = &rest[1..];
    Some(value[..value.find(quote)?].to_owned())
}

/// The document without the declaration at `span`: a document without one
/// is UTF-8.
fn without(bytes: &[u8], (start, end): (usize, usize)) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len());
    out.extend_from_slice(&bytes[..start]);
    out.extend_from_slice(&bytes[end..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decoded(bytes: &[u8], header: Option<&str>) -> String {
        String::from_utf8(to_utf8(bytes, header).into_owned()).expect("UTF-8")
    }

    #[test]
    fn the_header_charset_decodes_a_legacy_feed() {
        let (body, _, _) =
            encoding_rs::WINDOWS_1251.encode("<rss><title>Мост закрыт</title></rss>");
        assert_eq!(
            decoded(&body, Some("windows-1251")),
            "<rss><title>Мост закрыт</title></rss>"
        );
        // Without a header the bytes are sniffed.
        assert!(decoded(&body, None).contains("Мост закрыт"));
    }

    #[test]
    fn the_header_outranks_a_wrong_declaration_and_the_declaration_goes() {
        let body = b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss><title>Caf\xe9</title></rss>";
        assert_eq!(
            decoded(body, Some("iso-8859-1")),
            "\n<rss><title>Café</title></rss>"
        );
        // Without a header a declared legacy encoding is used when the bytes
        // are not UTF-8.
        let body = b"<?xml version='1.0' encoding='ISO-8859-1'?><rss><title>Cr\xe8me</title></rss>";
        assert_eq!(decoded(body, None), "<rss><title>Crème</title></rss>");
    }

    #[test]
    fn utf8_bytes_beat_a_legacy_declaration() {
        let body = "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><rss><title>Café</title></rss>";
        assert_eq!(
            decoded(body.as_bytes(), None),
            "<rss><title>Café</title></rss>"
        );
        // ASCII is the same in both: the declaration stays.
        let ascii = "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><rss/>";
        assert!(matches!(to_utf8(ascii.as_bytes(), None), Cow::Borrowed(_)));
    }
}
