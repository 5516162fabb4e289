//! What a fetched body's bytes are encoded in, as far as the transfer and
//! the bytes themselves tell: the `charset` of the `Content-Type`, and a
//! guess from the bytes when nothing named fits. Feeds and pages weigh
//! these against their own declarations (`feed::decode`,
//! `extract::decode`).

use encoding_rs::Encoding;

/// The `charset` parameter of a `Content-Type` header value.
pub fn charset_of(content_type: &str) -> Option<&str> {
    content_type.split(';').skip(1).find_map(|parameter| {
        let (name, value) = parameter.split_once('=')?;
        let value = value.trim().trim_matches('"');
        (name.trim().eq_ignore_ascii_case("charset") && !value.is_empty()).then_some(value)
    })
}

/// The encoding a charset label names ("ISO-8859-1", "'utf8'"), by the
/// WHATWG Encoding Standard's table of labels.
pub fn encoding_for_label(label: &str) -> Option<&'static Encoding> {
    let label = label.trim().trim_matches(|c| c == '"' || c == '\'');
    Encoding::for_label(label.as_bytes())
}

/// The most likely encoding of bytes that name none, or name a wrong one.
pub fn sniff(bytes: &[u8]) -> &'static Encoding {
    let mut detector = chardetng::EncodingDetector::new();
    detector.feed(bytes, true);
    detector.guess(None, true)
}
