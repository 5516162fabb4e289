//! A byte-level pass before parsing that empties `<script>`, `<style>`,
//! `<svg>` and `<noscript>` elements. On news pages they are half of the
//! bytes (inline JSON state, CSS, icon paths) and the HTML tokenizer walks
//! them character by character, only for the result to be thrown away.
//! JSON-LD scripts are kept: they carry the article metadata.

use std::borrow::Cow;

/// Elements whose contents never hold article text.
const EMPTIED_ELEMENTS: [&str; 4] = ["script", "style", "svg", "noscript"];

/// Returns the page with the contents of scripts (other than JSON-LD),
/// style sheets, inline SVG and noscript fallbacks removed, tags kept. Comments are copied untouched so
/// a commented-out `<script>` cannot swallow real content.
pub(crate) fn strip_raw_text(html: &str) -> Cow<'_, str> {
    let bytes = html.as_bytes();
    let mut out: Option<String> = None;
    let mut copied_to = 0;
    let mut at = 0;
    while let Some(offset) = memchr::memchr(b'<', &bytes[at..]) {
        let tag_start = at + offset;
        let rest = &bytes[tag_start..];
        if rest.starts_with(b"<!--") {
            at = find(bytes, tag_start + 4, b"-->").map_or(bytes.len(), |end| end + 3);
            continue;
        }
        let Some(element) = raw_text_element(rest) else {
            at = tag_start + 1;
            continue;
        };
        let Some(open_end) = find(bytes, tag_start, b">") else {
            break;
        };
        let content_start = open_end + 1;
        let close = find_closing_tag(bytes, content_start, element);
        let content_end = close.unwrap_or(bytes.len());
        let open_tag = &html[tag_start..content_start];
        if !(element == "script" && is_json_ld(open_tag)) {
            let buffer = out.get_or_insert_with(|| String::with_capacity(html.len()));
            buffer.push_str(&html[copied_to..content_start]);
            copied_to = content_end;
        }
        at = content_end;
        if close.is_none() {
            break;
        }
    }
    match out {
        Some(mut buffer) => {
            buffer.push_str(&html[copied_to..]);
            Cow::Owned(buffer)
        }
        None => Cow::Borrowed(html),
    }
}

fn find(bytes: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    memchr::memmem::find(bytes.get(from..)?, needle).map(|p| from + p)
}

/// The element's name when `rest` opens one of [`EMPTIED_ELEMENTS`].
fn raw_text_element(rest: &[u8]) -> Option<&'static str> {
    EMPTIED_ELEMENTS.into_iter().find(|name| {
        let len = name.len() + 1;
        rest.len() > len
            && rest[1..len].eq_ignore_ascii_case(name.as_bytes())
            && matches!(rest[len], b'>' | b' ' | b'\t' | b'\n' | b'\r' | b'/')
    })
}

/// The start of `</name`, matched case-insensitively, as the HTML
/// tokenizer ends script and style data. (A nested `<svg>` would end the
/// outer one early; the rest of the outer one is then parsed as usual.)
fn find_closing_tag(bytes: &[u8], from: usize, name: &str) -> Option<usize> {
    let mut at = from;
    while let Some(offset) = memchr::memchr(b'<', bytes.get(at..)?) {
        let candidate = at + offset;
        let rest = &bytes[candidate..];
        let len = name.len() + 2;
        if rest.len() >= len
            && rest[1] == b'/'
            && rest[2..len].eq_ignore_ascii_case(name.as_bytes())
        {
            return Some(candidate);
        }
        at = candidate + 1;
    }
    None
}

fn is_json_ld(open_tag: &str) -> bool {
    open_tag.to_ascii_lowercase().contains("ld+json")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_and_styles_are_emptied_json_ld_kept() {
        let html = "<p>a</p><SCRIPT src=x>var s = '<p>no</p>';</script><style>p{}</STYLE>\
                    <script type=\"application/ld+json\">{\"x\":1}</script><p>b</p>\
                    <svg viewBox='0 0 1 1'><path d='M0 0'/></svg><noscript><img></noscript>";
        assert_eq!(
            strip_raw_text(html),
            "<p>a</p><SCRIPT src=x></script><style></STYLE>\
             <script type=\"application/ld+json\">{\"x\":1}</script><p>b</p>\
             <svg viewBox='0 0 1 1'></svg><noscript></noscript>"
        );
    }

    #[test]
    fn commented_and_unclosed_scripts_are_safe() {
        let html = "<!-- <script> --><p>kept</p><script>never closed";
        assert_eq!(strip_raw_text(html), "<!-- <script> --><p>kept</p><script>");
        assert_eq!(strip_raw_text("<p>plain</p>"), "<p>plain</p>");
        assert_eq!(
            strip_raw_text("<scriptx>text</scriptx>"),
            "<scriptx>text</scriptx>"
        );
    }
}
