//! Plain text from DOM nodes, with paragraphs kept.

use dom_query::{Document, NodeRef};

/// Elements whose text is never prose.
pub(crate) const NON_TEXT_ELEMENTS: &str = "script, style, template, noscript, svg, iframe";

/// Collapses every whitespace run to one space and trims.
pub(crate) fn normalize_spaces(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// The text of a feed item's HTML body (RSS `description`, Atom
/// `content`), one paragraph per block, paragraphs separated by blank lines.
pub fn html_fragment_to_text(html: &str) -> String {
    let doc = Document::fragment(html);
    doc.select(NON_TEXT_ELEMENTS).remove();
    tidy_paragraphs(&doc.formatted_text())
}

/// Formatted text of one element.
pub(crate) fn node_text(node: &NodeRef) -> String {
    tidy_paragraphs(&node.formatted_text())
}

/// One paragraph per non-empty line, inner whitespace collapsed, separated
/// by blank lines.
pub(crate) fn tidy_paragraphs(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.lines() {
        let line = normalize_spaces(line);
        if line.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push_str("\n\n");
        }
        out.push_str(&line);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fragment_keeps_paragraphs_and_drops_scripts() {
        let html = "<p>First   para.</p><script>var x;</script><p>Second<br>line</p><ul><li>a</li><li>b</li></ul>";
        assert_eq!(html_fragment_to_text(html), "First para.\n\nSecond\n\nline\n\na\n\nb");
    }
}
