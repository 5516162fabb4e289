//! Pruning inside the content readability chose: parts of an article
//! container that are not article text.

use dom_query::Selection;

/// Elements that sit inside article containers but are captions, bylines,
/// author boxes, sign-up forms, navigation, related-story boxes,
/// screen-reader labels or tooltip pop-ups. Chosen by measuring which
/// elements benchmark answers leave out.
const NOT_ARTICLE_TEXT: &str = "nav, footer, figcaption, form, aside, address, time, button, \
    [class*=byline], [class*=bio], [class*=author-box], [class*=subscribe], [class*=signup], \
    [class*=sr-only], [class*=screen-reader], [class*=visually-hidden], [class*=post-nav], \
    [class*=wp-caption], [class*=read-next], [class*=related i], [class*=tooltip], [role=tooltip]";

/// A removal candidate holding more than this share of the content is
/// the article itself wrapped oddly (say, a page-wide `<form>`), not an
/// insert.
const MAX_PRUNED_SHARE: f64 = 0.5;

pub(crate) fn prune(content: &Selection) {
    let total: usize = content
        .nodes()
        .iter()
        .map(|n| n.normalized_char_count())
        .sum();
    let limit = (total as f64 * MAX_PRUNED_SHARE) as usize;
    for node in content.select(NOT_ARTICLE_TEXT).nodes() {
        if node.normalized_char_count() <= limit {
            node.remove_from_parent();
        }
    }
}

#[cfg(test)]
mod tests {
    use dom_query::Document;

    use super::*;

    #[test]
    fn inserts_are_pruned_and_the_article_stays() {
        let doc = Document::from(
            "<div id=c><p>Ferry services resume after the storm passed the coast.</p>\
             <p>Search <span class=term>rankings<span class=term-tooltip>Rankings are a \
             site's position in search results.</span></span> moved.</p>\
             <figcaption>Photo: the harbour</figcaption>\
             <div role=tooltip>Hover help</div>\
             <div class=inlineRelatedStories><a href=/x>Bridge vote delayed</a></div>\
             <p>Crews worked through the night to clear the slipway.</p></div>",
        );
        let content = doc.select("#c");
        prune(&content);
        let text = content.text();
        assert!(text.contains("Ferry services resume"));
        assert!(text.contains("Search rankings moved."));
        assert!(text.contains("Crews worked through the night"));
        for removed in ["Rankings are", "Photo:", "Hover help", "Bridge vote"] {
            assert!(!text.contains(removed), "{removed} kept in {text}");
        }
    }
}
