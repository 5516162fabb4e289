//! The text form of an extraction benchmark run.

use std::path::Path;

use super::{FieldMiss, PageBodyScore, Summary};

pub(super) fn print_summary(s: &Summary, dir: &Path, timed_runs: usize) {
    println!("extraction benchmark: {}", dir.display());
    println!("pages: {} ({} failed to extract)", s.pages, s.failed);
    println!(
        "shingle  precision {:.4}  recall {:.4}  F1 {:.4}  ({} pages with a body)",
        s.precision, s.recall, s.f1, s.shingle_pages
    );
    println!(
        "news     precision {:.4}  recall {:.4}  F1 {:.4}  ({} news-like pages: NewsArticle \
         JSON-LD, or /news/ or a /YYYY/MM/ date in the address)",
        s.news.precision, s.news.recall, s.news.f1, s.news.pages
    );
    let n = &s.snippets;
    println!(
        "snippets TP {} FN {} FP {}  precision {:.4}  recall {:.4}  F1 {:.4}",
        n.true_positives,
        n.false_negatives,
        n.false_positives,
        s.snippet_precision,
        s.snippet_recall,
        s.snippet_f1
    );
    let field_line = |name: &str, field: &super::FieldAccuracy| {
        println!(
            "{name:<7}  {:.1}%  ({} of {} pages with the field)",
            field.accuracy * 100.0,
            field.correct,
            field.counted
        );
    };
    field_line("title", &s.title);
    let t = &s.title_split;
    println!(
        "         on {} pages the extracted title differs from every metadata title (<title>, \
         og:title, twitter:title): the key takes the extracted one on {}, a metadata one on {}",
        t.pages, t.key_takes_extracted, t.key_takes_metadata
    );
    field_line("author", &s.author);
    field_line("date", &s.date);
    let date_misses = s.date.counted - s.date.correct;
    println!(
        "         of the {date_misses} date misses, {} expect a date the page writes nowhere \
         (numeric or English forms); at most {:.1}% is within reach",
        s.dates_not_on_page,
        100.0 * (s.date.counted - s.dates_not_on_page) as f64 / s.date.counted.max(1) as f64
    );
    let d = &s.date_split;
    println!(
        "         on {} pages the metadata's publication date and last edit fall on different \
         days: the key takes the publication on {}, the edit on {}",
        d.pages, d.key_takes_published, d.key_takes_modified
    );
    println!(
        "time     median {:.2} ms  p95 {:.2} ms per page (decode and extract, fastest of {} runs)",
        s.ms_median, s.ms_p95, timed_runs
    );
}

pub(super) fn print_misses(misses: &[FieldMiss]) {
    for miss in misses {
        println!(
            "{} {:<6} expected {:?}, extracted {}",
            miss.page,
            miss.field,
            miss.expected,
            miss.extracted
                .as_deref()
                .map_or_else(|| "nothing".to_string(), |e| format!("{e:?}"))
        );
    }
}

pub(super) fn print_page_bodies(pages: &[PageBodyScore]) {
    println!("page  precision  recall  F1");
    for page in pages {
        println!(
            "{}  {:.4}     {:.4}  {:.4}",
            page.page, page.precision, page.recall, page.f1
        );
    }
}
