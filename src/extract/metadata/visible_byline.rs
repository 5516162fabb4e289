//! A byline written for readers under the headline ("By Jane Doe",
//! "by: Jane Doe, Dec 17, 2025"), for pages whose markup names no author.

use dom_query::{Document, NodeRef};

use super::author::{clean_author, is_person_name};
use crate::extract::dom_text::{normalize_spaces, text_node_contents};

/// Bylines sit right under the headline; a "By" further down opens prose.
const TEXT_NODES_AFTER_HEADLINE: usize = 30;
/// Longer text is a sentence that happens to open with "By".
const MAX_BYLINE_CHARS: usize = 80;

/// The name after a "By" among the first text pieces after the first
/// `<h1>`: in the same piece ("By Jane Doe") or, when the label stands
/// alone, in the next one ("By" then a link "Jane Doe").
pub(super) fn find(doc: &Document) -> Option<String> {
    let body = doc.body()?;
    let mut pieces_after_headline: Option<usize> = None;
    let mut label_alone = false;
    for node in body.descendants_it() {
        let Some(seen) = pieces_after_headline.as_mut() else {
            if node.has_name("h1") {
                pieces_after_headline = Some(0);
            }
            continue;
        };
        let Some(text) = text_node_contents(&node).map(|t| normalize_spaces(&t)) else {
            continue;
        };
        if text.is_empty() {
            continue;
        }
        *seen += 1;
        if *seen > TEXT_NODES_AFTER_HEADLINE {
            return None;
        }
        if label_alone {
            return clean_author(&text).filter(|name| is_person_name(name));
        }
        let lower = text.to_lowercase();
        if lower == "by" || lower == "by:" {
            label_alone = true;
            continue;
        }
        let labelled = lower.starts_with("by ") || lower.starts_with("by:");
        if labelled && text.chars().count() <= MAX_BYLINE_CHARS && !continues_a_line(&node) {
            if let Some(name) = clean_author(&text).filter(|name| is_person_name(name)) {
                return Some(name);
            }
        }
    }
    None
}

/// Text that continues a phrase on its line ("<i>Wakoku Chiyekurabe</i>
/// by Kan Chu Sen, 1721"): the "by" credits a book or a photo named before
/// it, not the article. After a separator ("3 min read · By Jan Berg") or
/// a line break it is a byline.
fn continues_a_line(text_node: &NodeRef) -> bool {
    let mut sibling = text_node.prev_sibling();
    while let Some(node) = sibling {
        if node.has_name("br") {
            return false;
        }
        let text = node.text();
        if let Some(last) = text.trim_end().chars().last() {
            return last.is_alphanumeric();
        }
        sibling = node.prev_sibling();
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_name_after_by_under_the_headline() {
        let inline = Document::from(
            "<h1>Ferry pier to close</h1><p>by: Jan Berg, Dec 17, 2025</p><p>Text.</p>",
        );
        assert_eq!(find(&inline).as_deref(), Some("Jan Berg"));
        let linked = Document::from(
            "<h1>Ferry pier to close</h1><p><span>By <a href=/people/jan-berg>Jan Berg</a>\
             </span></p>",
        );
        assert_eq!(find(&linked).as_deref(), Some("Jan Berg"));
        let prose = Document::from(
            "<h1>Ferry pier to close</h1><p>By the numbers, the pier is the busiest.</p>",
        );
        assert_eq!(find(&prose), None);
        let credit = Document::from(
            "<h1>Folding and cutting</h1><div><img src=b.gif><br>\
             <a href=book.html><i>Wakoku Chiyekurabe</i></a> by Kan Chu Sen, 1721.</div>",
        );
        assert_eq!(find(&credit), None);
        let after_a_break =
            Document::from("<h1>Ferry pier to close</h1><p><img src=pier.jpg><br>By Jan Berg</p>");
        assert_eq!(find(&after_a_break).as_deref(), Some("Jan Berg"));
        let above_the_headline = Document::from("<p>By Jan Berg</p><h1>Ferry pier to close</h1>");
        assert_eq!(find(&above_the_headline), None);
    }
}
