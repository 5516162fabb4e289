//! Where the answer key itself splits: pages that offer two answers, on
//! which the key takes one on some pages and the other on the rest.
//!
//! - **Titles.** A page's visible headline and its metadata titles
//!   (`<title>`, `og:title`, `twitter:title`) often name it differently.
//!   Where the extracted title differs from every metadata title, the key
//!   sometimes takes the extracted one and sometimes a metadata one.
//! - **Dates.** A page whose metadata gives a publication date and a later
//!   edit on another day: the key mostly takes the publication, sometimes
//!   the edit.
//!
//! No rule gains a split's minority without losing more of its majority
//! unless something on the page tells the two apart. The report prints
//! both sides so that the reachable accuracy is known, not guessed.

use std::sync::LazyLock;

use dom_query::Document;
use regex::Regex;
use serde::Serialize;

use super::score::{lowercase_tokens, title_matches, Tokenizer};

/// Pages where the extracted title differs from every metadata title, by
/// the title the key takes.
#[derive(Debug, Default, Clone, Copy, Serialize)]
pub struct TitleSplit {
    pub pages: usize,
    pub key_takes_extracted: usize,
    pub key_takes_metadata: usize,
}

impl TitleSplit {
    /// Counts one page. `extracted` is the extractor's title, `truth` the
    /// key's.
    pub fn add(&mut self, tokenizer: &Tokenizer, doc: &Document, extracted: &str, truth: &str) {
        let metadata = metadata_titles(doc);
        let ours = lowercase_tokens(tokenizer, extracted);
        if ours.is_empty() || metadata.is_empty() {
            return;
        }
        let same_title = |meta: &String| {
            let meta = lowercase_tokens(tokenizer, meta);
            is_run_in(&ours, &meta) || is_run_in(&meta, &ours)
        };
        if metadata.iter().any(same_title) {
            return;
        }
        self.pages += 1;
        if title_matches(tokenizer, extracted, truth) {
            self.key_takes_extracted += 1;
        } else if metadata.iter().any(|m| title_matches(tokenizer, m, truth)) {
            self.key_takes_metadata += 1;
        }
    }
}

fn metadata_titles(doc: &Document) -> Vec<String> {
    let mut titles = vec![doc.select_single("head title").text().to_string()];
    for selector in [
        r#"meta[property="og:title"]"#,
        r#"meta[name="twitter:title"]"#,
    ] {
        if let Some(content) = doc.select_single(selector).attr("content") {
            titles.push(content.to_string());
        }
    }
    titles.retain(|t| !t.trim().is_empty());
    titles
}

fn is_run_in(short: &[String], long: &[String]) -> bool {
    !short.is_empty() && long.windows(short.len()).any(|w| w == short)
}

/// Pages whose metadata gives a publication date and an edit on another
/// day, by the date the key takes.
#[derive(Debug, Default, Clone, Copy, Serialize)]
pub struct DateSplit {
    pub pages: usize,
    pub key_takes_published: usize,
    pub key_takes_modified: usize,
}

static JSON_LD_PUBLISHED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#""datePublished"\s*:\s*"(\d{4}-\d{2}-\d{2})"#).expect("constant pattern")
});
static JSON_LD_MODIFIED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#""dateModified"\s*:\s*"(\d{4}-\d{2}-\d{2})"#).expect("constant pattern")
});

impl DateSplit {
    /// Counts one page: `html` is its decoded source, `truth` the key's
    /// `YYYY-MM-DD` (or `YYYY-MM`).
    pub fn add(&mut self, html: &str, doc: &Document, truth: &str) {
        let published = metadata_days(
            html,
            doc,
            &JSON_LD_PUBLISHED,
            &[
                r#"meta[property="article:published_time"]"#,
                "[itemprop=datePublished]",
            ],
        );
        let modified = metadata_days(
            html,
            doc,
            &JSON_LD_MODIFIED,
            &[
                r#"meta[property="article:modified_time"]"#,
                r#"meta[property="og:updated_time"]"#,
                "[itemprop=dateModified]",
            ],
        );
        if published.is_empty()
            || modified.is_empty()
            || published.iter().any(|day| modified.contains(day))
        {
            return;
        }
        self.pages += 1;
        let takes = |days: &[String]| days.iter().any(|day| day.starts_with(truth.trim()));
        if takes(&published) {
            self.key_takes_published += 1;
        } else if takes(&modified) {
            self.key_takes_modified += 1;
        }
    }
}

/// The `YYYY-MM-DD` days a page's JSON-LD (`json_ld`) and elements
/// (`selectors`, by `content` or `datetime`) give.
fn metadata_days(html: &str, doc: &Document, json_ld: &Regex, selectors: &[&str]) -> Vec<String> {
    let mut days: Vec<String> = json_ld
        .captures_iter(html)
        .map(|c| c[1].to_owned())
        .collect();
    for selector in selectors {
        for element in doc.select(selector).iter() {
            let value = element
                .attr("content")
                .or_else(|| element.attr("datetime"))
                .unwrap_or_default();
            if let Some(day) = value.get(..10).filter(|d| is_day(d)) {
                days.push(day.to_owned());
            }
        }
    }
    days.sort();
    days.dedup();
    days
}

fn is_day(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.len() == 10
        && bytes[4] == b'-'
        && bytes[7] == b'-'
        && bytes
            .iter()
            .enumerate()
            .all(|(i, b)| i == 4 || i == 7 || b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_split_only_where_the_extracted_one_differs_from_the_metadata() {
        let tokenizer = Tokenizer::new();
        let doc = Document::from(
            r#"<html><head><title>Best Kettles of 2026 | Kitchen Desk</title>
            <meta property="og:title" content="Best Kettles of 2026"></head></html>"#,
        );
        let mut split = TitleSplit::default();
        // The same title with the site's name: no split.
        split.add(
            &tokenizer,
            &doc,
            "Best Kettles of 2026",
            "Best Kettles of 2026",
        );
        assert_eq!(split.pages, 0);
        split.add(
            &tokenizer,
            &doc,
            "Five kettles we tested",
            "Five kettles we tested",
        );
        split.add(
            &tokenizer,
            &doc,
            "Five kettles we tested",
            "Best Kettles of 2026",
        );
        split.add(&tokenizer, &doc, "Five kettles we tested", "Kettles");
        assert_eq!(split.pages, 3);
        assert_eq!(split.key_takes_extracted, 1);
        assert_eq!(split.key_takes_metadata, 1);
    }

    #[test]
    fn dates_split_only_where_publication_and_edit_fall_on_different_days() {
        let page = |head: &str| {
            format!(
                r#"<html><head>{head}<script type="application/ld+json">
                {{"datePublished": "2025-01-29T20:47:55Z"}}</script></head></html>"#
            )
        };
        let edited =
            page(r#"<meta property="article:modified_time" content="2025-08-19T13:25:59+00:00">"#);
        let same_day =
            page(r#"<meta property="article:modified_time" content="2025-01-29T22:00:00+00:00">"#);
        let mut split = DateSplit::default();
        split.add(&same_day, &Document::from(same_day.as_str()), "2025-01-29");
        assert_eq!(split.pages, 0);
        let doc = Document::from(edited.as_str());
        split.add(&edited, &doc, "2025-01-29");
        split.add(&edited, &doc, "2025-08-19");
        split.add(&edited, &doc, "2025-08");
        split.add(&edited, &doc, "2024-12-01");
        assert_eq!(split.pages, 4);
        assert_eq!(split.key_takes_published, 1);
        assert_eq!(split.key_takes_modified, 2);
    }
}
