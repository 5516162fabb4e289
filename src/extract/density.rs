//! A second opinion on where the article is, independent of readability:
//! the page as a sequence of text blocks, each scored as prose (positive)
//! or boilerplate (negative), and the best-scoring contiguous run taken
//! as the article (a maximum-sum subsequence, computed in one pass).
//!
//! Readability picks one DOM subtree by its scores and sometimes picks a
//! sidebar, a disclosure box or one section of many; this view catches
//! those cases because it looks at where the prose is, not at markup.

use dom_query::{local_name, LocalName, NodeData, NodeRef};

use super::dom_text::is_hidden;

/// A run of text between block-level boundaries.
#[derive(Debug)]
pub(crate) struct TextBlock {
    pub text: String,
    words: usize,
    link_chars: usize,
    boilerplate: bool,
}

impl TextBlock {
    fn link_density(&self) -> f64 {
        let chars = self.text.len().max(1);
        self.link_chars as f64 / chars as f64
    }

    fn is_prose(&self) -> bool {
        self.words >= PROSE_WORDS && self.link_density() <= MAX_LINK_DENSITY
    }

    /// Noise is dropped even inside the chosen run: link lists, and short
    /// lines in page furniture.
    fn is_noise(&self) -> bool {
        self.link_density() > MAX_LINK_DENSITY || (self.boilerplate && !self.is_prose())
    }

    fn score(&self) -> f64 {
        let words = self.words as f64;
        if self.is_noise() {
            -words - NOISE_PENALTY
        } else if self.is_prose() {
            // Prose in a container marked as furniture (comments, a
            // "content-and-sidebar" wrapper) counts, but for less.
            let weight = if self.boilerplate {
                FURNITURE_PROSE_WEIGHT
            } else {
                1.0
            };
            words * (1.0 - self.link_density()) * weight
        } else {
            -SHORT_LINE_PENALTY
        }
    }
}

/// Blocks with more of their text in links are navigation.
const MAX_LINK_DENSITY: f64 = 0.5;
/// A block this long with few links reads as prose.
const PROSE_WORDS: usize = 20;
const NOISE_PENALTY: f64 = 2.0;
const FURNITURE_PROSE_WEIGHT: f64 = 0.25;
const SHORT_LINE_PENALTY: f64 = 1.0;

/// Elements that end a text block.
fn is_block(name: &LocalName) -> bool {
    matches!(
        *name,
        local_name!("p")
            | local_name!("div")
            | local_name!("section")
            | local_name!("article")
            | local_name!("main")
            | local_name!("header")
            | local_name!("footer")
            | local_name!("nav")
            | local_name!("aside")
            | local_name!("ul")
            | local_name!("ol")
            | local_name!("li")
            | local_name!("dl")
            | local_name!("dt")
            | local_name!("dd")
            | local_name!("table")
            | local_name!("tr")
            | local_name!("td")
            | local_name!("th")
            | local_name!("h1")
            | local_name!("h2")
            | local_name!("h3")
            | local_name!("h4")
            | local_name!("h5")
            | local_name!("h6")
            | local_name!("blockquote")
            | local_name!("pre")
            | local_name!("figure")
            | local_name!("figcaption")
            | local_name!("form")
            | local_name!("hr")
            | local_name!("address")
            | local_name!("details")
            | local_name!("summary")
    )
}

/// Containers whose text is page furniture wherever they appear.
fn is_furniture_element(name: &LocalName) -> bool {
    matches!(
        *name,
        local_name!("nav")
            | local_name!("footer")
            | local_name!("aside")
            | local_name!("form")
            | local_name!("button")
            | local_name!("select")
            | local_name!("figcaption")
    )
}

/// Elements never marked as furniture by their class: the page and its
/// main content containers.
fn is_content_root(name: &LocalName) -> bool {
    matches!(
        *name,
        local_name!("html") | local_name!("body") | local_name!("main") | local_name!("article")
    )
}

/// Class or id fragments of page furniture.
const FURNITURE_MARKERS: &[&str] = &[
    "comment",
    "sidebar",
    "footer",
    "menu",
    "breadcrumb",
    "share",
    "social",
    "related",
    "newsletter",
    "subscribe",
    "cookie",
    "consent",
    "banner",
    "popup",
    "modal",
    "promo",
    "advert",
    "navbar",
    "masthead",
];

/// Fragments that mark a content wrapper even when it also carries a
/// furniture marker ("content-with-sidebar").
const CONTENT_MARKERS: &[&str] = &[
    "content", "article", "main", "post", "entry", "body", "story",
];

fn is_furniture(node: &NodeRef, name: &LocalName) -> bool {
    if is_furniture_element(name) {
        return true;
    }
    if is_content_root(name) {
        return false;
    }
    let markers: Vec<String> = ["class", "id"]
        .iter()
        .filter_map(|attr| node.attr(attr))
        .map(|value| value.to_ascii_lowercase())
        .collect();
    let has = |list: &[&str]| markers.iter().any(|v| list.iter().any(|m| v.contains(m)));
    !markers.is_empty() && has(FURNITURE_MARKERS) && !has(CONTENT_MARKERS)
}

struct Segmenter {
    blocks: Vec<TextBlock>,
    current: String,
    link_chars: usize,
    boilerplate: bool,
}

impl Segmenter {
    fn flush(&mut self) {
        let text = std::mem::take(&mut self.current);
        let text = text.trim();
        if !text.is_empty() {
            self.blocks.push(TextBlock {
                words: text.split_whitespace().count(),
                text: text.to_owned(),
                link_chars: self.link_chars,
                boilerplate: self.boilerplate,
            });
        }
        self.link_chars = 0;
        self.boilerplate = false;
    }

    fn push_text(&mut self, text: &str, in_link: bool, in_furniture: bool) {
        let before = self.current.len();
        for word in text.split_whitespace() {
            if !self.current.is_empty() && !self.current.ends_with([' ', '\n']) {
                self.current.push(' ');
            }
            self.current.push_str(word);
        }
        if text.ends_with(char::is_whitespace) && !self.current.is_empty() {
            self.current.push(' ');
        }
        if in_link {
            self.link_chars += self.current.len() - before;
        }
        self.boilerplate |= in_furniture;
    }
}

enum Step<'a> {
    Enter(NodeRef<'a>, bool, bool),
    Leave(bool),
}

/// The visible text blocks under `root`, in document order.
pub(crate) fn text_blocks(root: &NodeRef) -> Vec<TextBlock> {
    let mut segmenter = Segmenter {
        blocks: Vec::new(),
        current: String::new(),
        link_chars: 0,
        boilerplate: false,
    };
    let mut stack = vec![Step::Enter(*root, false, false)];
    while let Some(step) = stack.pop() {
        match step {
            Step::Leave(is_block) => {
                if is_block {
                    segmenter.flush();
                }
            }
            Step::Enter(node, in_link, in_furniture) => {
                if node.is_text() {
                    node.query(|n| {
                        if let NodeData::Text { contents } = &n.data {
                            segmenter.push_text(contents, in_link, in_furniture);
                        }
                    });
                    continue;
                }
                if node.is_document() {
                    stack.extend(
                        node.children_it(true)
                            .map(|child| Step::Enter(child, in_link, in_furniture)),
                    );
                    continue;
                }
                let Some(name) = node.qual_name_ref().map(|q| q.local.clone()) else {
                    continue;
                };
                if is_hidden(&node) {
                    continue;
                }
                if name == local_name!("br") {
                    // A line break inside a paragraph, not a new block.
                    segmenter.current.push('\n');
                    continue;
                }
                let is_block = is_block(&name);
                if is_block {
                    segmenter.flush();
                }
                let in_link = in_link || name == local_name!("a");
                let in_furniture = in_furniture || is_furniture(&node, &name);
                stack.push(Step::Leave(is_block));
                stack.extend(
                    node.children_it(true)
                        .map(|child| Step::Enter(child, in_link, in_furniture)),
                );
            }
        }
    }
    segmenter.flush();
    segmenter.blocks
}

/// The best-scoring contiguous run of blocks, as text with noise and
/// furniture blocks inside the run dropped: prose in comments or a sidebar
/// may carry the run across to the article's next part, but it is not the
/// article's text.
pub(crate) fn main_text(blocks: &[TextBlock]) -> String {
    let (mut best, mut best_range) = (0.0, 0..0);
    let (mut sum, mut start) = (0.0, 0);
    for (i, block) in blocks.iter().enumerate() {
        if sum <= 0.0 {
            sum = 0.0;
            start = i;
        }
        sum += block.score();
        if sum > best {
            best = sum;
            best_range = start..i + 1;
        }
    }
    let kept: Vec<&str> = blocks[best_range]
        .iter()
        .filter(|b| !b.is_noise() && !b.boilerplate)
        .map(|b| b.text.as_str())
        .collect();
    kept.join("\n\n")
}

#[cfg(test)]
mod tests {
    use dom_query::Document;

    use super::*;

    #[test]
    fn readers_comments_are_left_out_of_the_run() {
        let paragraph = "The harbour board met on Tuesday and agreed to rebuild the north pier \
                         before the winter storms, with work starting in the first week of May.";
        let comment = "I have walked that pier every morning for thirty years and the board \
                       should have fixed it long before the last storm came through our town.";
        let doc = Document::from(format!(
            "<body><nav><a href=/>Home</a></nav><div class=post><p>{paragraph}</p>\
             <p>{paragraph}</p></div><div class=comment-list><p>{comment}</p></div></body>"
        ));
        let text = main_text(&text_blocks(&doc.root()));
        assert!(text.contains("harbour board met"), "{text}");
        assert!(!text.contains("thirty years"), "{text}");
        assert!(!text.contains("Home"), "{text}");
    }
}
