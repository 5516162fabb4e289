//! Bytes to text: BOM, HTTP header, `<meta>` declaration, then sniffing.
//!
//! Declarations are often wrong in practice (a CMS template says
//! ISO-8859-1 while the database emits UTF-8, or the server claims UTF-8
//! for a legacy page), so a declaration is trusted only when the bytes do
//! not contradict it.

use encoding_rs::{Encoding, ISO_2022_JP, UTF_16BE, UTF_16LE, UTF_8, WINDOWS_1252, X_USER_DEFINED};

use crate::fetch::charset::{encoding_for_label, sniff};

/// How far into the document to look for `<meta charset>`. The HTML spec
/// says 1024 bytes; real pages put long `<script>`s and comments first.
const META_PRESCAN_BYTES: usize = 8 * 1024;

/// Decodes a fetched page to text. `header_charset` is the `charset`
/// parameter of the HTTP `Content-Type`, if any.
pub fn decode_html(bytes: &[u8], header_charset: Option<&str>) -> String {
    if let Some((encoding, bom_len)) = Encoding::for_bom(bytes) {
        return decode_strict_or_lossy(encoding, &bytes[bom_len..]);
    }
    let from_header = header_charset.and_then(encoding_for_label);
    // UTF-16 and the 7-bit ISO-2022-JP look like valid UTF-8 or ASCII
    // garbage to the checks below; only a header can name them reliably.
    if let Some(encoding) = from_header.filter(|e| [UTF_16LE, UTF_16BE, ISO_2022_JP].contains(e)) {
        return decode_strict_or_lossy(encoding, bytes);
    }
    let declared = from_header
        .map(ascii_compatible)
        .or_else(|| meta_declared_encoding(bytes));
    let utf8 = std::str::from_utf8(bytes).ok();
    match (declared, utf8) {
        // Valid UTF-8 with non-ASCII bytes almost never happens by chance in
        // a legacy encoding, so it beats a legacy declaration.
        (_, Some(text)) => text.to_owned(),
        (Some(encoding), None) if encoding != UTF_8 => {
            let (text, had_errors) = encoding.decode_without_bom_handling(bytes);
            if had_errors {
                decode_strict_or_lossy(sniff(bytes), bytes)
            } else {
                text.into_owned()
            }
        }
        _ => decode_strict_or_lossy(sniff(bytes), bytes),
    }
}

fn decode_strict_or_lossy(encoding: &'static Encoding, bytes: &[u8]) -> String {
    encoding.decode_without_bom_handling(bytes).0.into_owned()
}

/// A `<meta>` label can't describe UTF-16 bytes that were just scanned as
/// ASCII; the HTML spec maps these labels the same way.
fn ascii_compatible(encoding: &'static Encoding) -> &'static Encoding {
    if encoding == UTF_16LE || encoding == UTF_16BE {
        UTF_8
    } else if encoding == X_USER_DEFINED {
        WINDOWS_1252
    } else {
        encoding
    }
}

/// Finds `<meta charset=...>` or `<meta http-equiv content="...; charset=...">`.
fn meta_declared_encoding(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = &bytes[..bytes.len().min(META_PRESCAN_BYTES)];
    let head = String::from_utf8_lossy(head).to_ascii_lowercase();
    let mut rest = head.as_str();
    while let Some(start) = rest.find("<meta") {
        let tag_and_after = &rest[start + 5..];
        let end = tag_and_after.find('>').unwrap_or(tag_and_after.len());
        let tag = &tag_and_after[..end];
        if let Some(label) = charset_in_tag(tag) {
            if let Some(encoding) = Encoding::for_label(label.as_bytes()) {
                return Some(ascii_compatible(encoding));
            }
        }
        rest = &tag_and_after[end..];
    }
    None
}

fn charset_in_tag(tag: &str) -> Option<&str> {
    let after = &tag[tag.find("charset")? + "charset".len()..];
    let after = after.trim_start().strip_prefix('=')?.trim_start();
    let after = after.trim_start_matches(['"', '\'']);
    let end = after
        .find(|c: char| c == '"' || c == '\'' || c == ';' || c == '/' || c.is_whitespace())
        .unwrap_or(after.len());
    let label = &after[..end];
    (!label.is_empty()).then_some(label)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn charset_found_in_both_meta_forms() {
        assert_eq!(
            charset_in_tag(r#" charset="windows-1251">"#),
            Some("windows-1251")
        );
        assert_eq!(
            charset_in_tag(r#" http-equiv="content-type" content="text/html; charset=iso-8859-2""#),
            Some("iso-8859-2")
        );
        assert_eq!(charset_in_tag(r#" name="description" content="x""#), None);
    }
}
