//! Placing a stored article in a story: a new one, the best match's, and
//! merging the others it ties in.

use chrono::{DateTime, Utc};

use super::{CandidateMatch, IngestError, IngestOutcome, Ingestor};
use crate::matcher::story::{self, Decision, Scored};
use crate::matcher::Relation;
use crate::store::{
    ArticleId, ArticleRecord, MergeRecord, StoreError, StoryHeader, StoryId, StoryMember,
};

impl Ingestor {
    /// Puts a stored article into a story as the matches decide.
    pub(super) fn place(
        &self,
        record: &ArticleRecord,
        matches: &[CandidateMatch],
    ) -> Result<IngestOutcome, IngestError> {
        let threshold = self.config.story_threshold;
        let scored: Vec<Scored> = matches
            .iter()
            .map(|m| Scored::new(m.article, m.story, &m.comparison, threshold))
            .collect();
        let now = Utc::now();
        let time = record.effective_time();
        match story::decide(&scored, threshold + self.config.merge_margin) {
            Decision::NewStory => {
                let header = StoryHeader {
                    id: self.store.allocate_story_id(),
                    first: record.id,
                    first_time: time,
                    merged_from: Vec::new(),
                    created: now,
                    updated: now,
                    size: 0,
                };
                let member = StoryMember {
                    article: record.id,
                    matched: None,
                    relation: Relation::Unrelated,
                    score: 0.0,
                };
                let story = header.id;
                self.join(header, &member, time, now)?;
                let best = scored.iter().map(|s| s.score).fold(0.0, f64::max);
                Ok(IngestOutcome {
                    id: record.id,
                    story,
                    relation: Relation::Unrelated,
                    score: best,
                    matched: None,
                    comparison: None,
                    merged: Vec::new(),
                    duplicate: false,
                })
            }
            Decision::Join {
                story,
                best,
                absorb,
            } => {
                let mut header = self.header(story)?;
                for &absorbed in &absorb {
                    let score = scored
                        .iter()
                        .filter(|s| s.story == absorbed)
                        .map(|s| s.score)
                        .fold(0.0, f64::max);
                    self.merge(&mut header, absorbed, record.id, score, now)?;
                }
                let member = StoryMember {
                    article: record.id,
                    matched: Some(best.article),
                    relation: best.relation,
                    score: best.score,
                };
                self.join(header, &member, time, now)?;
                let comparison = matches
                    .iter()
                    .find(|m| m.article == best.article)
                    .map(|m| m.comparison.clone());
                Ok(IngestOutcome {
                    id: record.id,
                    story,
                    relation: best.relation,
                    score: best.score,
                    matched: Some(best.article),
                    comparison,
                    merged: absorb,
                    duplicate: false,
                })
            }
        }
    }

    fn header(&self, story: StoryId) -> Result<StoryHeader, IngestError> {
        self.store.story_header(story)?.ok_or_else(|| {
            IngestError::Store(StoreError::Corrupt {
                tree: "stories",
                what: format!("story {story}"),
                detail: "an article points at it but it is missing".into(),
            })
        })
    }

    fn join(
        &self,
        mut header: StoryHeader,
        member: &StoryMember,
        time: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Result<(), IngestError> {
        if time < header.first_time {
            header.first = member.article;
            header.first_time = time;
        }
        header.size += 1;
        header.updated = now;
        self.store.put_story_member(&header, member)?;
        Ok(())
    }

    fn merge(
        &self,
        kept: &mut StoryHeader,
        absorbed: StoryId,
        article: ArticleId,
        score: f64,
        now: DateTime<Utc>,
    ) -> Result<(), IngestError> {
        let other = self.header(absorbed)?;
        if other.first_time < kept.first_time {
            kept.first = other.first;
            kept.first_time = other.first_time;
        }
        kept.merged_from.push(absorbed);
        kept.merged_from.extend(other.merged_from);
        kept.size += other.size;
        kept.updated = now;
        let merge = MergeRecord {
            absorbed,
            into: kept.id,
            article,
            score,
            merged: now,
        };
        self.store.merge_stories(kept, &merge)?;
        Ok(())
    }

    /// The outcome of an article stored before.
    pub(super) fn describe_stored(&self, id: ArticleId) -> Result<IngestOutcome, IngestError> {
        let story = self.store.story_of(id)?.unwrap_or_default();
        let member = self.store.story_member(story, id)?;
        Ok(IngestOutcome {
            id,
            story,
            relation: member.as_ref().map_or(Relation::Unrelated, |m| m.relation),
            score: member.as_ref().map_or(0.0, |m| m.score),
            matched: member.and_then(|m| m.matched),
            comparison: None,
            merged: Vec::new(),
            duplicate: true,
        })
    }
}
