//! DOM preparation before readability runs, so that the document reads as
//! a browser shows it: streamed content put in place, what is never text
//! dropped, line breaks in code and list numbers written out, folded
//! panels unfolded, named anchors no longer taken for links, and class
//! names that mislead readability removed.

use dom_query::{Document, NodeData, NodeRef};

use super::dom_text::{
    is_hidden, keep_preformatted_line_breaks, number_ordered_list_items, NON_TEXT_ELEMENTS,
};

pub(crate) fn prepare(doc: &Document) {
    place_streamed_boundaries(doc);
    doc.select(NON_TEXT_ELEMENTS).remove();
    keep_preformatted_line_breaks(doc);
    number_ordered_list_items(doc);
    unfold_collapsed_sections(doc);
    unlink_named_anchors(doc);
    scrub_utility_classes(doc);
}

/// An `<a>` with a name and no `href` marks a place to jump to (a section
/// heading's anchor, `<h2><a name="state-farm">1. State Farm</a></h2>`);
/// it links nowhere. Readability counts the text of every `<a>` as link
/// text, so a section of such headings and short lines read as a list of
/// links and was dropped. As a `<span>` it is what a browser shows: plain
/// text. Anchors with a click handler, a role or a `tabindex` act as
/// links or buttons and stay ("Call me back"), as do those with only an
/// id: scripts make buttons of them ("Show the table of contents").
fn unlink_named_anchors(doc: &Document) {
    doc.select("a[name]:not([href]):not([onclick]):not([role]):not([tabindex])")
        .rename("span");
}

/// How far up a folded panel's accordion may sit.
const ACCORDION_REACH: usize = 4;

/// Words in the attributes of accordions, collapsible sections and FAQs.
const FOLDING_WORDS: [&str; 3] = ["accordion", "collaps", "faq"];

/// Whether an attribute value names an accordion, a collapsible section
/// or a FAQ.
fn names_a_fold(value: &str) -> bool {
    FOLDING_WORDS
        .iter()
        .any(|word| contains_ignoring_case(value, word))
}

/// Accordions and collapsible sections ship their folded text hidden (the
/// `hidden` attribute, `aria-hidden`, or an inline `display: none`) until
/// the reader opens them, and readability drops hidden elements as
/// invisible. The text is the page's own (a buying guide's sections, a
/// FAQ's answers), so the panels are unfolded: those inside an element
/// whose attributes name an accordion, collapsible or FAQ, and those of
/// the ARIA accordion pattern (`role="region"` labelled by its header). So
/// is anything `hidden="until-found"`, which browsers reveal to
/// find-in-page.
fn unfold_collapsed_sections(doc: &Document) {
    for folded in doc
        .select("[hidden], [aria-hidden=true], [style*=none]")
        .nodes()
    {
        if !is_hidden(folded) {
            continue;
        }
        let until_found = folded
            .attr("hidden")
            .is_some_and(|v| v.eq_ignore_ascii_case("until-found"));
        let aria_panel = folded.attr("role").is_some_and(|r| r.as_ref() == "region")
            && folded.has_attr("aria-labelledby");
        let in_accordion = || {
            std::iter::once(*folded)
                .chain(folded.ancestors_it(Some(ACCORDION_REACH)))
                .any(|node| node.attrs().iter().any(|attr| names_a_fold(&attr.value)))
        };
        if until_found || aria_panel || in_accordion() {
            folded.remove_attrs(&["hidden", "aria-hidden", "style"]);
        }
    }
}

/// Prefixes of utility-CSS classes (Tailwind and the like), which describe
/// looks, not content.
const UTILITY_PREFIXES: &[&str] = &[
    "font-",
    "leading-",
    "tracking-",
    "text-",
    "bg-",
    "border-",
    "rounded-",
    "shadow-",
    "overflow-",
    "m-",
    "mx-",
    "my-",
    "mt-",
    "mb-",
    "ml-",
    "mr-",
    "p-",
    "px-",
    "py-",
    "pt-",
    "pb-",
    "pl-",
    "pr-",
    "w-",
    "h-",
    "min-",
    "max-",
    "gap-",
    "space-",
];

/// Readability reads class names as hints ("extra", "hidden", "scroll"
/// mark clutter), and classes that describe looks or layout trip them:
/// - utility classes: a heading styled `leading-extra-tight` or
///   `font-extrabold` is dropped as an "extra", and `hidden md:block`
///   (shown on wide screens) is marked hidden; such classes, and
///   responsive variants (`md:…`), are removed;
/// - page builders' layout classes: Elementor's `elementor-hidden-mobile`
///   hides a block on phones only, and every row of an Avada page is
///   `…-height-scrolling`, which made readability's strict pass drop the
///   article. (Elementor's `elementor-widget…` classes also read as
///   clutter, but they stay: without them readability takes in the
///   site's post lists, and its looser passes find the text anyway.)
/// - an accordion panel's `…-hidden` class: the answer under a question
///   is folded away until the reader opens it, and is the page's text;
/// - "header" in the class of an element holding 50 words or more of
///   paragraphs (Hearst's `listicle-header` around a listicle's
///   introduction): a masthead holds names and links, not prose;
/// - "header" in an accordion's or FAQ's class: it marks the question;
/// - a section heading's class calling it a header (Substack's every
///   section heading is `header-anchor-post`): readability drops
///   "header"s as the page's masthead, and a section heading is not one;
/// - Drupal's `node--promoted` on the article ([`DRUPAL_PROMOTED`]).
fn scrub_utility_classes(doc: &Document) {
    for element in doc.select("[class]").nodes() {
        let Some(class) = element.attr("class") else {
            continue;
        };
        let heading = SECTION_HEADINGS.iter().any(|h| element.has_name(h));
        let prose_header = !heading
            && contains_ignoring_case(&class, "header")
            && paragraph_words(element) >= MIN_HEADER_PROSE_WORDS;
        let accordion = contains_ignoring_case(&class, "accordion");
        // An accordion's or FAQ's "header" is its question.
        let folding = names_a_fold(&class);
        let tokens: Vec<&str> = class.split_whitespace().collect();
        let shown_at_some_width = tokens.iter().any(|t| t.contains(':'));
        let kept: Vec<&str> = tokens
            .iter()
            .copied()
            .filter(|t| {
                let utility = t.contains(':') || UTILITY_PREFIXES.iter().any(|p| t.starts_with(p));
                let hidden_when_narrow = shown_at_some_width && *t == "hidden";
                let builder_layout =
                    t.starts_with("elementor-hidden-") || t.ends_with("-height-scrolling");
                let named_header =
                    (heading || prose_header || folding) && contains_ignoring_case(t, "header");
                let folded_away = accordion && contains_ignoring_case(t, "hidden");
                let publishing_flag = DRUPAL_PROMOTED.contains(t);
                !utility
                    && !hidden_when_narrow
                    && !builder_layout
                    && !named_header
                    && !folded_away
                    && !publishing_flag
            })
            .collect();
        if kept.len() != tokens.len() {
            element.set_attr("class", &kept.join(" "));
        }
    }
}

/// Drupal's class for a node promoted to the front page: a publishing
/// flag on the article itself, which readability and the density view read
/// as "promo", a promotion beside the article.
const DRUPAL_PROMOTED: [&str; 2] = ["node--promoted", "node-promoted"];

/// A "header" holding this many words of paragraphs is an article's
/// opening (a listicle's introduction under its headline), not a masthead.
const MIN_HEADER_PROSE_WORDS: usize = 50;

fn paragraph_words(element: &NodeRef) -> usize {
    element
        .descendants_it()
        .filter(|d| d.has_name("p"))
        .map(|p| p.text().split_whitespace().count())
        .sum()
}

/// ASCII case-insensitive `contains`, without lowercasing a copy: this runs
/// on every class attribute of the page.
fn contains_ignoring_case(haystack: &str, needle: &str) -> bool {
    haystack
        .as_bytes()
        .windows(needle.len())
        .any(|window| window.eq_ignore_ascii_case(needle.as_bytes()))
}

/// Section headings; an `<h1>` named a header is often the page's own
/// masthead (the site's name, or the headline above the byline).
const SECTION_HEADINGS: [&str; 5] = ["h2", "h3", "h4", "h5", "h6"];

/// A fallback shorter than this many words is a spinner or skeleton.
const MAX_FALLBACK_WORDS: usize = 8;

/// React streaming server rendering sends each suspended part of the page
/// later in `<div hidden id="S:n">` and moves it into place, replacing the
/// `<template id="B:n">` placeholder and its "Loading..." fallback, with a
/// script. Without scripts the article sits in a hidden div at the end,
/// which readability (rightly) skips as invisible; do the move here.
fn place_streamed_boundaries(doc: &Document) {
    let segments = doc.select(r#"div[hidden][id^="S:"]"#);
    for segment in segments.nodes() {
        let Some(id) = segment.attr("id") else {
            continue;
        };
        let placeholder_id = format!("B:{}", &id[2..]);
        let placeholder = doc
            .select("template[id]")
            .nodes()
            .iter()
            .find(|t| t.attr("id").as_deref() == Some(placeholder_id.as_str()))
            .copied();
        // A segment inside its own placeholder (or the reverse) cannot be
        // moved there; only malformed pages do this.
        let placeholder = placeholder.filter(|p| {
            !p.ancestors_it(None).any(|a| a.id == segment.id)
                && !segment.ancestors_it(None).any(|a| a.id == p.id)
        });
        match placeholder {
            Some(placeholder) => {
                remove_fallback(&placeholder);
                if let Some(first) = segment.first_child() {
                    placeholder.insert_siblings_before(&first);
                }
                placeholder.remove_from_parent();
                segment.remove_from_parent();
            }
            None => segment.remove_attr("hidden"),
        }
    }
}

/// Removes the boundary's fallback: up to the `<!--/$-->` end marker when
/// the page kept its comments, else a short element right after.
fn remove_fallback(placeholder: &NodeRef) {
    let mut following = Vec::new();
    let mut next = placeholder.next_sibling();
    while let Some(node) = next {
        if is_boundary_end(&node) {
            following.iter().for_each(NodeRef::remove_from_parent);
            return;
        }
        following.push(node);
        next = node.next_sibling();
    }
    let fallback = placeholder.next_element_sibling();
    if let Some(fallback) = fallback {
        if fallback.text().split_whitespace().count() < MAX_FALLBACK_WORDS {
            fallback.remove_from_parent();
        }
    }
}

fn is_boundary_end(node: &NodeRef) -> bool {
    node.query_or(
        false,
        |n| matches!(&n.data, NodeData::Comment { contents } if contents.as_ref() == "/$"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folded_accordion_panels_are_unfolded_and_other_hidden_parts_stay() {
        let doc = Document::from(
            "<body><section data-embed=accordion><div><div id=panel hidden aria-hidden=true>\
             How to choose a trail shoe</div></div></section>\
             <div id=found hidden=until-found>Findable</div>\
             <button id=q1_header>Which shoe?</button>\
             <div id=aria role=region aria-labelledby=q1_header style='display: none'>A trail shoe</div>\
             <div class=chakra-collapse><div id=styled style='display:none'>Grip</div></div>\
             <div id=dialog hidden>Republish this story</div></body>",
        );
        unfold_collapsed_sections(&doc);
        let hidden = |id: &str| {
            let node = doc.select(&format!("#{id}"));
            node.has_attr("hidden") || node.has_attr("aria-hidden") || node.has_attr("style")
        };
        assert!(!hidden("panel"));
        assert!(!hidden("found"));
        assert!(!hidden("aria"), "the ARIA accordion pattern");
        assert!(!hidden("styled"));
        assert!(hidden("dialog"), "a hidden dialog is no accordion");
    }

    #[test]
    fn named_anchors_are_no_links() {
        let doc = Document::from(
            "<body><h2><a name=farm id=farm-heading>1. State Farm</a></h2>\
             <p><a href=/farm>State Farm's site</a> <a onclick=open()>Open</a> \
             <a name=tab role=tab>Tab</a> <a id=call>Call me back</a> \
             <a name=popup tabindex=0>Call me back</a></p></body>",
        );
        unlink_named_anchors(&doc);
        assert_eq!(doc.select("h2 a").length(), 0);
        assert_eq!(
            doc.select("h2 span#farm-heading").text().as_ref(),
            "1. State Farm"
        );
        assert_eq!(
            doc.select("p a").length(),
            5,
            "links, click handlers, roles and script buttons stay"
        );
    }

    #[test]
    fn layout_classes_that_read_as_clutter_are_removed() {
        let intro =
            "The ferries that cross the bay every morning carry more than commuters. ".repeat(5);
        let doc = Document::from(format!(
            "<body><div id=row class='fusion-fullwidth non-hundred-percent-height-scrolling'>\
             <section id=sec class='elementor-section elementor-hidden-mobile'>\
             <h3 id=h class='font-extrabold leading-extra-tight'>Where the ferries land</h3>\
             <div id=wide class='hidden md:block'>Shown on wide screens</div>\
             <div id=box class='elementor-widget elementor-widget-sidebar'>Links</div>\
             <h2 id=sub class='header-anchor-post'>The quays</h2>\
             <div id=faq class='kt-accordion-panel kt-accordion-panel-hidden'>Answer</div>\
             <header id=mast class='site-header'><p>The Harbour Gazette</p></header>\
             <div id=question class='faq-item faq-item-header'>When do ferries run?</div>\
             <section id=intro class='listicle-header intro'><p>{intro}</p></section>\
             <div id=node class='node node--type-recipe node--promoted'>Steps</div>\
             <div id=promo class='promoted-content'>Our shop</div>\
             </section></div></body>",
        ));
        scrub_utility_classes(&doc);
        let class = |id: &str| {
            doc.select(&format!("#{id}"))
                .attr("class")
                .map(|c| c.to_string())
        };
        assert_eq!(class("row").as_deref(), Some("fusion-fullwidth"));
        assert_eq!(class("sec").as_deref(), Some("elementor-section"));
        assert_eq!(class("h").as_deref(), Some(""));
        assert_eq!(class("wide").as_deref(), Some(""));
        assert_eq!(class("faq").as_deref(), Some("kt-accordion-panel"));
        assert_eq!(class("mast").as_deref(), Some("site-header"));
        assert_eq!(class("question").as_deref(), Some("faq-item"));
        assert_eq!(
            class("intro").as_deref(),
            Some("intro"),
            "a header of prose is the article's opening"
        );
        assert_eq!(
            class("sub").as_deref(),
            Some(""),
            "a heading is no masthead"
        );
        assert_eq!(class("node").as_deref(), Some("node node--type-recipe"));
        assert_eq!(
            class("promo").as_deref(),
            Some("promoted-content"),
            "a promotion stays a promotion"
        );
        assert_eq!(
            class("box").as_deref(),
            Some("elementor-widget elementor-widget-sidebar"),
            "an Elementor sidebar stays a sidebar"
        );
    }
}
