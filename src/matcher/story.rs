//! Online clustering: given how a new article compares with its candidates,
//! which story it joins and which stories it ties together.
//!
//! Pure decisions over ids (`u64`, the store's article and story ids); the
//! store applies them.

use super::{Comparison, Relation};

/// A candidate the new article was compared with.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Scored {
    pub article: u64,
    /// The story the candidate belongs to.
    pub story: u64,
    pub score: f64,
    pub relation: Relation,
}

impl Scored {
    /// A candidate judged by `comparison`. With a configured threshold the
    /// pair may count as a match where the matcher's own verdict was
    /// `Unrelated`; it then relates as the same story.
    pub fn new(article: u64, story: u64, comparison: &Comparison, threshold: f64) -> Scored {
        let relation = if !comparison.is_match(threshold) {
            Relation::Unrelated
        } else if comparison.relation == Relation::Unrelated {
            Relation::SameStory
        } else {
            comparison.relation
        };
        Scored {
            article,
            story,
            score: comparison.score,
            relation,
        }
    }

    fn links(&self) -> bool {
        self.relation != Relation::Unrelated
    }
}

/// Where the new article goes.
#[derive(Debug, Clone, PartialEq)]
pub enum Decision {
    /// No candidate matched: the article starts a story.
    NewStory,
    /// The article joins `story`, matched best by `best`. Every story in
    /// `absorb` is merged into `story`, which is the oldest (smallest id) of
    /// the stories involved.
    Join {
        story: u64,
        best: Scored,
        absorb: Vec<u64>,
    },
}

/// Chooses the story for an article from its scored candidates.
///
/// The best match is the highest score, ties going to the strongest
/// relation; the article joins its story. Another story is merged in when
/// the article is a copy or rewrite of one of its members, or matches one
/// with at least `merge_score`: one article that belongs with members of two
/// stories shows they report one event, but a merge joins whole stories, so
/// a borderline same-story match is not enough evidence for it.
pub fn decide(scored: &[Scored], merge_score: f64) -> Decision {
    let linked: Vec<&Scored> = scored.iter().filter(|s| s.links()).collect();
    let Some(best) = linked
        .iter()
        .copied()
        .min_by(|a, b| {
            b.score
                .total_cmp(&a.score)
                .then(a.relation.cmp(&b.relation))
        })
        .copied()
    else {
        return Decision::NewStory;
    };
    let mut stories: Vec<u64> = linked
        .iter()
        .filter(|s| {
            s.story == best.story || s.relation <= Relation::Rewrite || s.score >= merge_score
        })
        .map(|s| s.story)
        .collect();
    stories.sort_unstable();
    stories.dedup();
    Decision::Join {
        story: stories[0],
        best,
        absorb: stories[1..].to_vec(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scored(article: u64, story: u64, score: f64, relation: Relation) -> Scored {
        Scored {
            article,
            story,
            score,
            relation,
        }
    }

    /// The story joined, the best match's article and the stories absorbed.
    fn joined(decision: Decision) -> (u64, u64, Vec<u64>) {
        let Decision::Join {
            story,
            best,
            absorb,
        } = decision
        else {
            panic!("expected a join, got {decision:?}");
        };
        (story, best.article, absorb)
    }

    #[test]
    fn no_linked_candidate_starts_a_story() {
        let candidates = [scored(1, 1, 0.3, Relation::Unrelated)];
        assert_eq!(decide(&candidates, 0.6), Decision::NewStory);
        assert_eq!(decide(&[], 0.6), Decision::NewStory);
    }

    #[test]
    fn best_score_wins_and_ties_go_to_the_strongest_relation() {
        let candidates = [
            scored(1, 5, 0.7, Relation::SameStory),
            scored(2, 5, 0.7, Relation::Rewrite),
            scored(3, 5, 0.6, Relation::Copy),
        ];
        assert_eq!(joined(decide(&candidates, 0.6)), (5, 2, vec![]));
    }

    #[test]
    fn matches_in_two_stories_merge_into_the_older() {
        let candidates = [
            scored(7, 9, 0.9, Relation::Copy),
            scored(2, 4, 0.6, Relation::SameStory),
            scored(3, 6, 0.2, Relation::Unrelated),
        ];
        assert_eq!(joined(decide(&candidates, 0.6)), (4, 7, vec![9]));
    }

    #[test]
    fn a_borderline_same_story_match_joins_no_second_story() {
        let candidates = [
            scored(7, 9, 0.9, Relation::Copy),
            scored(2, 4, 0.55, Relation::SameStory),
            scored(3, 6, 0.52, Relation::Rewrite),
        ];
        let (story, _, absorb) = joined(decide(&candidates, 0.6));
        assert_eq!((story, absorb), (6, vec![9]));
    }

    #[test]
    fn a_configured_threshold_overrides_the_matchers_same_story_verdict() {
        let comparison = Comparison {
            score: 0.45,
            relation: Relation::Unrelated,
            shape: None,
            signals: Default::default(),
            shared_entities: Vec::new(),
            shared_numbers: Vec::new(),
            passages: Vec::new(),
            languages: None,
        };
        assert_eq!(
            Scored::new(1, 1, &comparison, 0.4).relation,
            Relation::SameStory
        );
        assert_eq!(
            Scored::new(1, 1, &comparison, 0.5).relation,
            Relation::Unrelated
        );
    }
}
