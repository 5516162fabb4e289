//! Plain text from DOM nodes, with paragraphs kept.

use std::hash::{Hash, Hasher};

use dom_query::{Document, NodeData, NodeRef};
use rustc_hash::FxHasher;

use super::guard::{estimated_depth, MAX_MARKUP_DEPTH};

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

/// Hashes of the word trigrams of `words`, for measuring how much of one
/// text another holds.
pub(crate) fn trigram_hashes<T: Hash>(words: &[T]) -> impl Iterator<Item = u64> + '_ {
    words.windows(3).map(|trigram| {
        let mut hasher = FxHasher::default();
        trigram.hash(&mut hasher);
        hasher.finish()
    })
}

/// Where a closing section of the text starts (a related-stories list, an
/// author box, a newsroom's appeal): the first of the last `window`
/// paragraphs that `opens` one and that only paragraphs `follows` accepts
/// come after.
pub(crate) fn closing_section_start<P: AsRef<str>>(
    paragraphs: &[P],
    window: usize,
    opens: impl Fn(&str) -> bool,
    follows: impl Fn(&str) -> bool,
) -> Option<usize> {
    let from = paragraphs.len().saturating_sub(window);
    (from..paragraphs.len()).find(|&at| {
        opens(paragraphs[at].as_ref()) && paragraphs[at + 1..].iter().all(|p| follows(p.as_ref()))
    })
}

/// Lowercased alphanumeric words, for comparing titles and names. Chinese
/// and Japanese run their words together without spaces, so each of their
/// characters counts as a word: a headline is then a run of many words,
/// as in other languages, not one.
pub(crate) fn words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for word in text.split(|c: char| !c.is_alphanumeric()) {
        let mut rest = word;
        while let Some(at) = rest.find(is_written_without_spaces) {
            if at > 0 {
                out.push(rest[..at].to_lowercase());
            }
            let width = rest[at..].chars().next().map_or(1, char::len_utf8);
            out.push(rest[at..at + width].to_owned());
            rest = &rest[at + width..];
        }
        if !rest.is_empty() {
            out.push(rest.to_lowercase());
        }
    }
    out
}

/// Han ideographs and kana.
pub(crate) fn is_written_without_spaces(c: char) -> bool {
    matches!(c,
        '\u{3040}'..='\u{30FF}'
        | '\u{3400}'..='\u{4DBF}'
        | '\u{4E00}'..='\u{9FFF}'
        | '\u{F900}'..='\u{FAFF}'
        | '\u{20000}'..='\u{2FFFF}')
}

/// A short line as lists of interface lines and headings spell it:
/// lowercased, without trailing punctuation ("Related stories:" ->
/// "related stories").
pub(crate) fn lowercase_key(line: &str) -> String {
    line.trim_end_matches(|c: char| c == ':' || c == '.' || c == '!' || c.is_whitespace())
        .to_lowercase()
}

/// The text of a feed item's HTML body (RSS `description`, Atom
/// `content`), one paragraph per block, paragraphs separated by blank lines.
pub fn html_fragment_to_text(html: &str) -> String {
    if estimated_depth(html) > MAX_MARKUP_DEPTH {
        // Too deep to parse in reasonable time: keep the text between tags.
        return tidy_paragraphs(&text_between_tags(html));
    }
    let doc = Document::fragment(html);
    doc.select(NON_TEXT_ELEMENTS).remove();
    keep_preformatted_line_breaks(&doc);
    number_ordered_list_items(&doc);
    tidy_paragraphs(&doc.formatted_text())
}

/// Makes each `<br>` inside a `<pre>` a newline. Formatted text reads a
/// `<pre>` verbatim and skips its elements, so code and verse written with
/// `<br>` ("import os<br>import time") came out as one run-on line with
/// words glued together ("osimport").
pub(crate) fn keep_preformatted_line_breaks(doc: &Document) {
    for line_break in doc.select("pre br").nodes() {
        line_break.replace_with(&doc.tree.new_text("\n"));
    }
}

/// Writes each `<ol>` item's number before its text ("1. Preheat the
/// oven"), as a browser shows it: formatted text drops list markers, and
/// for steps and rankings the number is part of what the page says. The
/// `start`, `reversed` and `value` attributes count as in HTML; an item
/// already opening with its own number ("1. ", "2)") is left alone.
pub(crate) fn number_ordered_list_items(doc: &Document) {
    for list in doc.select("ol").nodes() {
        let items: Vec<NodeRef> = list
            .element_children()
            .into_iter()
            .filter(|child| child.has_name("li"))
            .collect();
        let reversed = list.has_attr("reversed");
        let default_start = if reversed { items.len() as i64 } else { 1 };
        let mut number = integer_attr(list, "start").unwrap_or(default_start);
        for item in items {
            if let Some(value) = integer_attr(&item, "value") {
                number = value;
            }
            if !opens_with_number(&item.text()) {
                let target = first_text_block(item);
                target.prepend_child(&doc.tree.new_text(format!("{number}. ")));
            }
            // A page may say start="9223372036854775807".
            number = if reversed {
                number.saturating_sub(1)
            } else {
                number.saturating_add(1)
            };
        }
    }
}

fn integer_attr(node: &NodeRef, name: &str) -> Option<i64> {
    node.attr(name).and_then(|v| v.trim().parse().ok())
}

fn opens_with_number(text: &str) -> bool {
    let text = text.trim_start();
    let digits = text.chars().take_while(char::is_ascii_digit).count();
    digits > 0 && matches!(text[digits..].chars().next(), Some('.' | ')' | ':'))
}

/// Where an item's text starts: inside its first block when it opens with
/// one (`<li><h3>Drones</h3><p>…</p></li>`), so the number joins the
/// heading's line instead of standing on a line of its own.
fn first_text_block(item: NodeRef<'_>) -> NodeRef<'_> {
    const BLOCKS: [&str; 9] = [
        "p", "div", "h2", "h3", "h4", "h5", "h6", "section", "header",
    ];
    let mut target = item;
    loop {
        let first = target
            .children_it(false)
            .find(|child| child.is_element() || !child.text().trim().is_empty());
        match first {
            Some(child) if child.is_element() && BLOCKS.iter().any(|b| child.has_name(b)) => {
                target = child;
            }
            _ => return target,
        }
    }
}

fn text_between_tags(html: &str) -> String {
    let mut text = String::with_capacity(html.len() / 2);
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                text.push(' ');
            }
            _ if !in_tag => text.push(c),
            _ => {}
        }
    }
    text
}

/// The characters of a text node, as written; `None` for any other node.
pub(crate) fn text_node_contents(node: &NodeRef) -> Option<String> {
    node.query_or(None, |n| match &n.data {
        NodeData::Text { contents } => Some(contents.to_string()),
        _ => None,
    })
}

/// Characters of a node's text inside links.
pub(crate) fn linked_chars(node: &NodeRef) -> usize {
    node.descendants_it()
        .filter(|d| d.has_name("a"))
        .map(|a| a.normalized_char_count())
        .sum()
}

/// Hidden the way readability checks: the `hidden` attribute,
/// `aria-hidden="true"`, or an inline style of `display: none` or
/// `visibility: hidden`.
pub(crate) fn is_hidden(node: &NodeRef) -> bool {
    node.has_attr("hidden")
        || node
            .attr("aria-hidden")
            .is_some_and(|v| v.as_ref() == "true")
        || node.attr("style").is_some_and(|s| {
            let s = s.to_ascii_lowercase().replace(' ', "");
            s.contains("display:none") || s.contains("visibility:hidden")
        })
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
    fn words_split_han_and_kana_by_character() {
        assert_eq!(
            words("Storm-closes the ROAD"),
            ["storm", "closes", "the", "road"]
        );
        assert_eq!(
            words("港特首 BBC中文网"),
            ["港", "特", "首", "bbc", "中", "文", "网"]
        );
        assert_eq!(words("東京タワー2"), ["東", "京", "タ", "ワ", "ー", "2"]);
        assert_eq!(words("서울 시장"), ["서울", "시장"]);
    }

    #[test]
    fn fragment_keeps_paragraphs_and_drops_scripts() {
        let html = "<p>First   para.</p><script>var x;</script><p>Second<br>line</p><ul><li>a</li><li>b</li></ul>";
        assert_eq!(
            html_fragment_to_text(html),
            "First para.\n\nSecond\n\nline\n\na\n\nb"
        );
    }

    #[test]
    fn line_breaks_in_preformatted_text_stay_apart() {
        let html = "<p>The script:</p><pre>import os<br>import time<br><br>main()</pre>";
        assert_eq!(
            html_fragment_to_text(html),
            "The script:\n\nimport os\n\nimport time\n\nmain()"
        );
    }

    #[test]
    fn ordered_list_items_carry_their_numbers() {
        let steps =
            "<ol><li>Soak the beans</li><li><h3>Boil them</h3><p>For an hour.</p></li></ol>";
        assert_eq!(
            html_fragment_to_text(steps),
            "1. Soak the beans\n\n2. Boil them\n\nFor an hour."
        );
        let counted = "<ol start=3><li>Third</li><li value=7>Seventh</li><li>Eighth</li></ol>\
                       <ol reversed><li>Two</li><li>One</li></ol>\
                       <ol><li>1. Own number</li><li>2) Own number</li></ol>\
                       <ul><li>Bullet</li></ul>";
        assert_eq!(
            html_fragment_to_text(counted),
            "3. Third\n\n7. Seventh\n\n8. Eighth\n\n2. Two\n\n1. One\n\n\
             1. Own number\n\n2) Own number\n\nBullet"
        );
        let huge = "<ol start=9223372036854775807><li>Last</li><li>Past the end</li></ol>";
        assert_eq!(
            html_fragment_to_text(huge),
            "9223372036854775807. Last\n\n9223372036854775807. Past the end"
        );
    }
}
