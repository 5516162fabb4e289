//! Combining the signals into a score and a relation.
//!
//! The score is a linear model of the signals, fitted to the SemEval-2022
//! Task 8 training pairs (target: the `Overall` rating mapped to 1 = same
//! story .. 0 = unrelated) and checked by five-fold cross-validation. Pairs
//! in different languages lean on names and numbers instead of wording,
//! and pairs in different scripts on names alone, so those get their own
//! weights. Shared wording beyond what shared content explains (site
//! boilerplate, templates) counts against a pair, hence the negative
//! shingle weights; real copies are recognised by their shape instead.
//!
//! The relation is decided by rules on the signals, checked against the
//! Clough & Stevenson corpus (cut / light / heavy / non) and the seed
//! reports:
//! - copy: most wording shared (short shingles), or passages lifted whole
//!   (long shingles) from a text that otherwise covers different ground;
//! - rewrite: the content covered, in the same order, in other words;
//! - same story: the score clears [`STORY_THRESHOLD`].

use super::{Relation, Signals};

/// Score at which a pair is at least the same story.
pub const STORY_THRESHOLD: f64 = 0.5;

/// Short-shingle containment from which a pair is a copy.
const COPY_CONTAINMENT: f64 = 0.45;
/// Long-shingle containment from which lifted passages make a copy...
const PASSAGE_VERBATIM: f64 = 0.12;
/// ...when most of the shared wording is in those passages...
const PASSAGE_SHARE: f64 = 0.5;
/// ...and the texts do not otherwise cover the same ground (else it is a
/// rewrite that kept some sentences).
const PASSAGE_MAX_COVERAGE: f64 = 0.7;
/// Rewrite evidence (coverage + order / 2 + containment) from which a pair
/// is a rewrite.
const REWRITE_EVIDENCE: f64 = 0.72;
/// Content words both texts need before their wording is judged at all.
pub const MIN_CONTENT_TOKENS: u32 = 15;

/// Least score of a copy and of a rewrite: enough to join a story whatever
/// the model says. The model itself rates some copies modestly (shared site
/// boilerplate looks like a copy and is one of the things the negative
/// shingle weights discount), and forcing copies to the top would undo that.
const COPY_FLOOR: f64 = 0.6;
const REWRITE_FLOOR: f64 = STORY_THRESHOLD;

/// How the two texts' languages differ.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct LanguageGap {
    pub languages: bool,
    pub scripts: bool,
}

/// The fitted linear model; see the module docs.
fn base_score(s: &Signals, gap: LanguageGap) -> f64 {
    let mut score = 0.095 + 0.58 * s.terms + 0.73 * s.lead + 0.51 * s.coverage + 0.07 * s.numbers
        - 0.65 * s.containment
        - 0.6 * s.verbatim;
    if gap.languages {
        score += 0.054 + 0.34 * s.terms + 0.645 * s.names + 0.107 * s.numbers - 0.195 * s.lead;
    }
    if gap.scripts {
        score += 0.225 + 0.077 * s.terms + 0.29 * s.names;
    }
    score
}

/// The relation the wording alone shows, if any.
fn wording_relation(s: &Signals) -> Option<Relation> {
    let lifted_passages = s.verbatim >= PASSAGE_VERBATIM
        && s.verbatim >= PASSAGE_SHARE * s.containment
        && s.coverage < PASSAGE_MAX_COVERAGE;
    if s.containment >= COPY_CONTAINMENT || lifted_passages {
        return Some(Relation::Copy);
    }
    let rewrite_evidence = s.coverage + 0.5 * s.order + s.containment;
    (rewrite_evidence >= REWRITE_EVIDENCE).then_some(Relation::Rewrite)
}

/// Score and relation of a pair. `comparable_wording` is false when a text
/// is too short for its wording to say anything.
pub fn judge(s: &Signals, gap: LanguageGap, comparable_wording: bool) -> (f64, Relation) {
    let score = (base_score(s, gap) * s.time).clamp(0.0, 1.0);
    let wording = if comparable_wording && !gap.languages {
        wording_relation(s)
    } else {
        None
    };
    match wording {
        Some(Relation::Copy) => (score.max(COPY_FLOOR), Relation::Copy),
        Some(Relation::Rewrite) => (score.max(REWRITE_FLOOR), Relation::Rewrite),
        _ if score >= STORY_THRESHOLD => (score, Relation::SameStory),
        _ => (score, Relation::Unrelated),
    }
}
