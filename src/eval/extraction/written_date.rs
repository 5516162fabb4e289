//! Whether a page writes its answer key's date anywhere at all.
//!
//! A date miss whose expected date the page never writes cannot be read
//! off the page by any extractor: the key took it from somewhere else
//! (an archive's crawl, the site's sitemap). The report counts those
//! misses apart, so that the date accuracy an extractor can reach on a
//! benchmark is known, not guessed.

use chrono::NaiveDate;

/// A page's text prepared for date look-ups: lowercased, with white space
/// (and `&nbsp;`) folded to one space, once with tags kept and once with
/// tags removed, as a byline may wrap the day and the year in elements of
/// their own ("March 16, <span>2017</span>").
pub struct PageText {
    forms: [String; 2],
}

impl PageText {
    pub fn new(html: &str) -> Self {
        let lower = html
            .to_lowercase()
            .replace("&nbsp;", " ")
            .replace("&#160;", " ");
        let untagged = remove_tags(&lower);
        PageText {
            forms: [fold_spaces(&lower), fold_spaces(&untagged)],
        }
    }

    /// Whether the page writes `truth` (`YYYY-MM-DD`, or `YYYY-MM` for a
    /// month) in any of the usual numeric or English forms. Each form is
    /// written out in full, so a page that writes another day of the same
    /// month does not count.
    pub fn writes(&self, truth: &str) -> bool {
        written_forms(truth.trim())
            .iter()
            .any(|form| self.forms.iter().any(|text| text.contains(form.as_str())))
    }
}

fn fold_spaces(text: &str) -> String {
    text.split(|c: char| c.is_whitespace() || c == '\u{a0}')
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

fn remove_tags(html: &str) -> String {
    let mut text = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            _ if !in_tag => text.push(c),
            _ => {}
        }
    }
    text
}

/// Numeric forms, then English ones; lowercase, as the page text is.
const DAY_FORMATS: &[&str] = &[
    "%Y-%m-%d",
    "%Y/%m/%d",
    "%Y.%m.%d",
    "%Y%m%d",
    "%d.%m.%Y",
    "%-d.%-m.%Y",
    "%d.%m.%y",
    "%m/%d/%Y",
    "%-m/%-d/%Y",
    "%m/%d/%y",
    "%-m/%-d/%y",
    "%d/%m/%Y",
    "%-d/%-m/%Y",
    "%d/%m/%y",
    "%d-%m-%Y",
    "%m-%d-%Y",
    "%B %-d, %Y",
    "%B %d, %Y",
    "%B %-d %Y",
    "%b %-d, %Y",
    "%b %d, %Y",
    "%b. %-d, %Y",
    "%b %-d %Y",
    "%-d %B %Y",
    "%d %B %Y",
    "%-d %b %Y",
    "%-d %b, %Y",
    "%-d %B, %Y",
];
const MONTH_FORMATS: &[&str] = &["%Y-%m", "%Y/%m", "%m/%Y", "%m.%Y", "%B %Y", "%b %Y"];

fn written_forms(truth: &str) -> Vec<String> {
    let format = |date: NaiveDate, formats: &[&str]| -> Vec<String> {
        formats
            .iter()
            .map(|f| date.format(f).to_string().to_lowercase())
            .collect()
    };
    if let Ok(day) = NaiveDate::parse_from_str(truth, "%Y-%m-%d") {
        let mut forms = format(day, DAY_FORMATS);
        let ordinal = format!("{}{}", day.format("%-d"), ordinal_suffix(day));
        let month = day.format("%B").to_string().to_lowercase();
        let year = day.format("%Y");
        forms.push(format!("{month} {ordinal}, {year}"));
        forms.push(format!("{ordinal} {month} {year}"));
        forms.push(format!("{ordinal} of {month} {year}"));
        forms
    } else if let Ok(first) = NaiveDate::parse_from_str(&format!("{truth}-01"), "%Y-%m-%d") {
        format(first, MONTH_FORMATS)
    } else {
        vec![truth.to_lowercase()]
    }
}

fn ordinal_suffix(day: NaiveDate) -> &'static str {
    use chrono::Datelike;
    match (day.day() % 10, day.day() % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_found_in_the_forms_pages_write_them() {
        let page = PageText::new(
            "<p class=byline>Posted on March&nbsp;16, <span>2017</span></p>\
             <time>2019-07-09</time><p>Updated 21st of June 2020</p>\
             <p>Issue of 11/2003</p>",
        );
        assert!(page.writes("2017-03-16"));
        assert!(page.writes("2019-07-09"));
        assert!(page.writes("2020-06-21"));
        assert!(page.writes("2003-11"));
        assert!(page.writes("2019-07"));
        // Another day of a month the page names is not the date.
        assert!(!page.writes("2017-03-15"));
        assert!(!page.writes("2021-01-28"));
    }
}
