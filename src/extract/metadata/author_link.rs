//! A byline written as a link to the author's page, for blogs whose
//! templates do not mark the byline up.

use dom_query::{Document, NodeRef};

use super::author::{clean_author, MAX_NAME_WORDS};

/// The first link to an author's page ("/author/jane-doe") whose text is
/// a name. Links in menus and the page footer lead to author pages too,
/// but not from the article. A single name ("by Amanda") counts only
/// after "by", where it cannot be a menu's or a widget's label.
pub(super) fn find(doc: &Document) -> Option<String> {
    doc.select("a[href]")
        .nodes()
        .iter()
        .filter(|link| is_author_page_link(link) && !is_in_navigation(link))
        .find_map(|link| {
            clean_author(&link.text())
                .filter(|name| is_names(name) || (is_one_name(name) && follows_by(link)))
        })
}

/// One capitalised word, as a blog author signs: "Amanda".
fn is_one_name(text: &str) -> bool {
    !text.contains(char::is_whitespace)
        && text.chars().next().is_some_and(char::is_uppercase)
        && text.chars().all(char::is_alphabetic)
}

/// The text just before the link ends with "by" ("by <a>Amanda</a>").
fn follows_by(link: &NodeRef) -> bool {
    link.prev_sibling().is_some_and(|before| {
        let text = before.text();
        let last_word = text.split_whitespace().next_back().unwrap_or_default();
        last_word.eq_ignore_ascii_case("by")
    })
}

/// A link to an author's page: "/author/jane-doe", "/authors/jane-doe".
pub(super) fn is_author_page_link(node: &NodeRef) -> bool {
    node.has_name("a")
        && node
            .attr("href")
            .is_some_and(|href| href.contains("/author/") || href.contains("/authors/"))
}

/// Inside a menu, or a footer that is the page's rather than an
/// article's ("Posted by Jane Doe" under a blog post).
fn is_in_navigation(node: &NodeRef) -> bool {
    let mut in_footer = false;
    for ancestor in node.ancestors_it(None) {
        if ancestor.has_name("article") {
            return false;
        }
        in_footer |= ancestor.has_name("footer");
        let is_menu = ancestor.has_name("nav")
            || ancestor
                .attr("class")
                .is_some_and(|c| c.to_ascii_lowercase().contains("menu"));
        if is_menu {
            return true;
        }
    }
    in_footer
}

/// Capitalised words, with "and" between two people's names.
fn is_names(text: &str) -> bool {
    let mut name_words = text.split_whitespace();
    let count = name_words.clone().count();
    (2..=MAX_NAME_WORDS).contains(&count)
        && name_words.all(|w| w == "and" || w.chars().next().is_some_and(char::is_uppercase))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_link_to_the_authors_page_names_the_author() {
        let doc = Document::from(
            "<nav><ul class=menu><li><a href='/author/xlo/'>Harbour Desk Team</a></li></ul></nav>\
             <h1>Ferry pier shut</h1><p><a href='/blog/author/ida-marsh-and-jan-berg'>Ida Marsh \
             and Jan Berg</a></p><p>April 8, 2024</p><footer><a href='/authors/jo'>Jo Lund</a></footer>",
        );
        assert_eq!(find(&doc).as_deref(), Some("Ida Marsh and Jan Berg"));
        let post_footer = Document::from(
            "<article><p>Text.</p><footer>Posted by <a href='/blog/author/colin-ward.html'>\
             Colin Ward</a></footer></article><footer><a href='/author/site'>Site Team</a></footer>",
        );
        assert_eq!(find(&post_footer).as_deref(), Some("Colin Ward"));
        let only_site = Document::from("<footer><a href='/author/site'>Site Team</a></footer>");
        assert_eq!(find(&only_site), None);
        let one_name = Document::from(
            "<aside><a href='/author/amanda/'>Amanda</a></aside>\
             <p>by <a href='/author/amanda/'>Amanda</a> · Dec 20, 2025</p>",
        );
        assert_eq!(find(&one_name).as_deref(), Some("Amanda"));
    }
}
