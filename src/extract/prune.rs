//! Pruning inside the content readability chose: parts of an article
//! container that are not article text.

use dom_query::{NodeRef, Selection};

use super::dom_text::linked_chars;

/// Elements that sit inside article containers but are captions, bylines,
/// author boxes, sign-up forms and newsletter boxes, navigation,
/// related-story boxes, screen-reader labels, tooltip pop-ups or picture
/// galleries (a slideshow's titles and captions, often of another story).
/// Chosen by measuring which elements benchmark answers leave out.
const NOT_ARTICLE_TEXT: &str = "nav, footer, figcaption, form, aside, address, time, button, \
    [class*=byline], [class*=bio], [class*=author-box], [class*=subscribe], [class*=signup], \
    [class*=newsletter i], [class*=sr-only], [class*=screen-reader], [class*=visually-hidden], \
    [class*=post-nav], [class*=caption i], [class*=read-next], [class*=related i], \
    [class*=tooltip], [role=tooltip], [class*=gallery i], [class*=slideshow i], [class*=carousel i]";

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
    if let Some(root) = content.nodes().first() {
        prune_trailing_link_lists(root);
    }
}

/// Class and id words readability's strict pass reads as "not the
/// article" (comments, menus, sidebars, footers), and words that overrule
/// them ("content-footer" may hold text).
const UNLIKELY_WORDS: &[&str] = &[
    "-ad-",
    "ai2html",
    "banner",
    "breadcrumbs",
    "combx",
    "comment",
    "community",
    "cover-wrap",
    "disqus",
    "extra",
    "footer",
    "gdpr",
    "header",
    "legends",
    "menu",
    "related",
    "remark",
    "replies",
    "rss",
    "shoutbox",
    "sidebar",
    "skyscraper",
    "social",
    "sponsor",
    "supplemental",
    "ad-break",
    "agegate",
    "pagination",
    "pager",
    "popup",
    "yom-remote",
];
const MAYBE_WORDS: &[&str] = &[
    "and", "article", "body", "column", "content", "layout", "main", "mathjax", "shadow",
];
const UNLIKELY_ROLES: &[&str] = &[
    "menu",
    "menubar",
    "complementary",
    "navigation",
    "alert",
    "alertdialog",
    "dialog",
];

/// Only containers are judged: headings and paragraphs carry ids made
/// from their own words ("h-what-is-social-shopping").
const UNLIKELY_CONTAINERS: &str = "div, section, aside, header, footer, nav, ul, ol, form";

/// When readability's strict pass finds no article it retries without
/// removing unlikely elements first, and keeps them all: the comments,
/// the related posts, the share bar. Remove them from its result now,
/// by the same rule, unless one holds most of the text.
pub(crate) fn prune_unlikely(content: &Selection) {
    let total: usize = content
        .nodes()
        .iter()
        .map(|n| n.normalized_char_count())
        .sum();
    let limit = (total as f64 * MAX_PRUNED_SHARE) as usize;
    for node in content.select(UNLIKELY_CONTAINERS).nodes() {
        if is_unlikely(node) && node.normalized_char_count() <= limit {
            node.remove_from_parent();
        }
    }
}

fn is_unlikely(node: &NodeRef) -> bool {
    if node
        .attr("role")
        .is_some_and(|role| UNLIKELY_ROLES.contains(&role.as_ref()))
    {
        return true;
    }
    let hints = format!(
        "{} {}",
        node.attr("class").unwrap_or_default(),
        node.attr("id").unwrap_or_default()
    )
    .to_lowercase();
    UNLIKELY_WORDS.iter().any(|w| hints.contains(w))
        && !MAYBE_WORDS.iter().any(|w| hints.contains(w))
}

/// A paragraph at least this long, mostly not link text, is prose.
const PROSE_MIN_CHARS: usize = 80;

/// Lists of links after the last paragraph of prose ("More on this
/// story", "Related topics"), with the heading that introduces them. Such
/// lists earlier in the text are often the article's own (its sources,
/// the products it reviews), so they stay.
fn prune_trailing_link_lists(root: &NodeRef) {
    let mut last_prose_at = 0;
    let mut lists = Vec::new();
    for (at, node) in root.descendants_it().enumerate() {
        if node.has_name("p") {
            let chars = node.normalized_char_count();
            if chars >= PROSE_MIN_CHARS && 2 * linked_chars(&node) < chars {
                last_prose_at = at;
            }
        } else if node.has_name("ul") || node.has_name("ol") {
            lists.push((at, node));
        }
    }
    for (_, list) in lists.iter().filter(|(at, _)| *at > last_prose_at) {
        if !is_link_list(list) {
            continue;
        }
        if let Some(heading) = list.prev_element_sibling().filter(is_subheading) {
            heading.remove_from_parent();
        }
        list.remove_from_parent();
    }
}

/// Two or more items, each (nine tenths or more) link text.
fn is_link_list(list: &NodeRef) -> bool {
    let items: Vec<NodeRef> = list.element_children();
    items.len() >= 2
        && items.iter().all(|item| {
            let chars = item.normalized_char_count();
            item.has_name("li") && chars > 0 && 10 * linked_chars(item) >= 9 * chars
        })
}

fn is_subheading(node: &NodeRef) -> bool {
    ["h2", "h3", "h4", "h5", "h6"]
        .iter()
        .any(|name| node.has_name(name))
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
             <div class=NewsletterBox><h3>Get the morning briefing</h3></div>\
             <div class='gallery col3'><ul class=slides><li><h4>The coast in pictures</h4>\
             <p>Waves over the harbour wall in 1962.</p></li></ul></div>\
             <p>Crews worked through the night to clear the slipway.</p></div>",
        );
        let content = doc.select("#c");
        prune(&content);
        let text = content.text();
        assert!(text.contains("Ferry services resume"));
        assert!(text.contains("Search rankings moved."));
        assert!(text.contains("Crews worked through the night"));
        for removed in [
            "Rankings are",
            "Photo:",
            "Hover help",
            "Bridge vote",
            "briefing",
            "in pictures",
            "Waves over",
        ] {
            assert!(!text.contains(removed), "{removed} kept in {text}");
        }
    }

    #[test]
    fn unlikely_containers_leave_a_loose_readability_result() {
        let doc = Document::from(
            "<div id=c><div class='wrap height-scrolling'>\
             <h2 id=h-social-media-rules>Social media rules</h2>\
             <p>The court ruled that tagged brands make a post an advert.</p>\
             <p class=contextmenu>Influencers now label every post.</p></div>\
             <div class='share-bar social-icons'><a href=/s>Share</a></div>\
             <div id=comments class=comments-container><ol class=comment-list>\
             <li class=comment><p>I disagree with the court entirely.</p></li></ol></div>\
             <div role=dialog>Accept cookies</div></div>",
        );
        let content = doc.select("#c");
        prune_unlikely(&content);
        let text = content.text();
        for kept in ["Social media rules", "tagged brands", "Influencers now"] {
            assert!(text.contains(kept), "{kept} lost from {text}");
        }
        for removed in ["Share", "I disagree", "Accept cookies"] {
            assert!(!text.contains(removed), "{removed} kept in {text}");
        }
    }

    #[test]
    fn link_lists_after_the_last_paragraph_go() {
        let doc = Document::from(
            "<div id=c><p>Councillors put off the vote on the island bridge for a third time, \
             saying they need more detail.</p><h3>Sources</h3><ul><li><a href=/r>Council \
             report</a></li><li><a href=/m>Minutes</a></li></ul><p>Council leader Per Vik said \
             a decision was now expected in June, after the budget talks.</p>\
             <h2>More on this story</h2><ul><li><a href=/a>Bridge costs rise</a></li>\
             <li><a href=/b>Ferry jobs at risk</a></li></ul><ul><li>Hamn</li><li>Vik</li></ul></div>",
        );
        let content = doc.select("#c");
        prune(&content);
        let text = content.text();
        for kept in ["Sources", "Council report", "expected in June", "Hamn"] {
            assert!(text.contains(kept), "{kept} lost from {text}");
        }
        for removed in ["More on this story", "Bridge costs rise", "Ferry jobs"] {
            assert!(!text.contains(removed), "{removed} kept in {text}");
        }
    }
}
