//! A block of the article printed twice in the page: responsive layouts
//! and tabbed widgets ship the same paragraphs once per screen size or
//! tab, hidden by CSS the extractor cannot see, so the text comes out two
//! or three times over.

use std::collections::HashMap;

/// A repeat must run this many paragraphs in a row: a single repeated
/// line is often meant (a refrain, a "Warm up" step in each week of a
/// plan, the same address under "Mail" and "In person").
const MIN_RUN_PARAGRAPHS: usize = 3;
/// ...and hold this many words, so repeated short list items (the same
/// pros under two products) stay.
const MIN_RUN_WORDS: usize = 80;

/// Drops every run of paragraphs that repeats, word for word, a run
/// earlier in the text; the first copy stays.
pub(crate) fn drop_repeated_runs(paragraphs: &mut Vec<String>) {
    if paragraphs.len() < 2 * MIN_RUN_PARAGRAPHS {
        return;
    }
    let mut first_seen: HashMap<&[String], usize> = HashMap::new();
    for (start, window) in paragraphs.windows(MIN_RUN_PARAGRAPHS).enumerate() {
        first_seen.entry(window).or_insert(start);
    }
    let mut repeated = vec![false; paragraphs.len()];
    let mut at = 0;
    while at + MIN_RUN_PARAGRAPHS <= paragraphs.len() {
        let window = &paragraphs[at..at + MIN_RUN_PARAGRAPHS];
        let Some(&earlier) = first_seen
            .get(window)
            .filter(|&&earlier| earlier + MIN_RUN_PARAGRAPHS <= at)
        else {
            at += 1;
            continue;
        };
        // Extend the run while it keeps matching and stays clear of itself.
        let mut len = MIN_RUN_PARAGRAPHS;
        while at + len < paragraphs.len()
            && earlier + len < at
            && paragraphs[at + len] == paragraphs[earlier + len]
        {
            len += 1;
        }
        let run = at..at + len;
        let words: usize = paragraphs[run.clone()]
            .iter()
            .map(|p| p.split_whitespace().count())
            .sum();
        if words >= MIN_RUN_WORDS {
            repeated[run].fill(true);
            at += len;
        } else {
            at += 1;
        }
    }
    let mut flags = repeated.into_iter();
    paragraphs.retain(|_| !flags.next().unwrap_or(false));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paragraphs(text: &str) -> Vec<String> {
        text.split("\n\n").map(str::to_owned).collect()
    }

    fn sentence(topic: &str) -> String {
        format!("The {topic} section of the guide runs to about thirty words, enough to read as prose and not as a list item, and it says what the {topic} costs.")
    }

    #[test]
    fn a_block_printed_twice_is_kept_once() {
        let block = [sentence("kitchen"), sentence("bathroom"), sentence("roof")].join("\n\n");
        let mut text = paragraphs(&format!(
            "Intro line.\n\n{block}\n\n{block}\n\n{block}\n\nClosing line."
        ));
        drop_repeated_runs(&mut text);
        assert_eq!(
            text,
            paragraphs(&format!("Intro line.\n\n{block}\n\nClosing line."))
        );
    }

    #[test]
    fn short_or_single_repeats_stay() {
        let list = "Fast\n\nCheap\n\nOpen source";
        let mut short = paragraphs(&format!("Tool A\n\n{list}\n\nTool B\n\n{list}\n\nVerdict."));
        let before = short.clone();
        drop_repeated_runs(&mut short);
        assert_eq!(short, before, "repeated short list items are content");

        let refrain = sentence("warm-up");
        let mut plan = paragraphs(&format!(
            "Week 1\n\n{refrain}\n\n{}\n\nWeek 2\n\n{refrain}\n\n{}",
            sentence("first week"),
            sentence("second week")
        ));
        let before = plan.clone();
        drop_repeated_runs(&mut plan);
        assert_eq!(plan, before, "one repeated paragraph is a refrain");
    }
}
