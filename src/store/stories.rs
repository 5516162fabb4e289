//! Stories: groups of articles reporting one event, with how each member
//! relates to the rest, and the log of merges between stories.

use std::convert::Infallible;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sled::transaction::{ConflictableTransactionError, TransactionError, Transactional};

use super::codec::{decode_u64, from_json, id_key, pair_key, to_json};
use super::{ArticleId, Store, StoreError, StoryId, MERGES, STORIES, STORY_MEMBERS};
use crate::matcher::Relation;

/// One article of a story.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoryMember {
    pub article: ArticleId,
    /// The earlier member this article matches best; `None` for the article
    /// that started the story.
    pub matched: Option<ArticleId>,
    /// How it relates to `matched` (`Unrelated` for a story's founder).
    pub relation: Relation,
    pub score: f64,
}

/// A story with its members, in the order they were added.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Story {
    pub id: StoryId,
    /// The earliest report: the member published (else fetched) first.
    pub first: ArticleId,
    pub members: Vec<StoryMember>,
    /// Stories merged into this one, oldest merge first.
    pub merged_from: Vec<StoryId>,
    pub created: DateTime<Utc>,
    pub updated: DateTime<Utc>,
}

/// What `stories` holds per story; members live in `story_members`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct StoryHeader {
    pub(crate) id: StoryId,
    pub(crate) first: ArticleId,
    /// When `first` was published (else fetched), to spot an earlier report
    /// arriving later.
    pub(crate) first_time: DateTime<Utc>,
    pub(crate) merged_from: Vec<StoryId>,
    pub(crate) created: DateTime<Utc>,
    pub(crate) updated: DateTime<Utc>,
    pub(crate) size: u64,
}

/// A merge of two stories, kept under the absorbed story's id so that id
/// still leads somewhere.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MergeRecord {
    pub absorbed: StoryId,
    /// The older story, which kept its id.
    pub into: StoryId,
    /// The article that matched members of both.
    pub article: ArticleId,
    pub score: f64,
    pub merged: DateTime<Utc>,
}

impl Store {
    /// The story with this id, with its members. An id merged away resolves
    /// to the story it went into.
    pub fn story(&self, id: StoryId) -> Result<Option<Story>, StoreError> {
        let Some(id) = self.resolve_story(id)? else {
            return Ok(None);
        };
        match self.story_header(id)? {
            Some(header) => Ok(Some(self.assemble(header)?)),
            None => Ok(None),
        }
    }

    /// Stories with at least `min_members` members, newest first, read
    /// lazily: taking n of them reads story headers only as far back as
    /// the nth, and members only of the stories returned.
    pub fn stories_newest_first(
        &self,
        min_members: u64,
    ) -> impl Iterator<Item = Result<Story, StoreError>> + '_ {
        self.trees().stories.iter().rev().filter_map(move |entry| {
            let header = entry
                .map_err(StoreError::from)
                .and_then(|(_, bytes)| from_json::<StoryHeader>(&bytes, STORIES, "story"));
            match header {
                Ok(header) if header.size < min_members => None,
                Ok(header) => Some(self.assemble(header)),
                Err(error) => Some(Err(error)),
            }
        })
    }

    /// The story `article` belongs to.
    pub fn story_of(&self, article: ArticleId) -> Result<Option<StoryId>, StoreError> {
        match self.trees().article_story.get(id_key(article))? {
            Some(bytes) => Ok(Some(decode_u64(&bytes, super::ARTICLE_STORY, "story id")?)),
            None => Ok(None),
        }
    }

    /// How `article` sits in `story`.
    pub fn story_member(
        &self,
        story: StoryId,
        article: ArticleId,
    ) -> Result<Option<StoryMember>, StoreError> {
        match self.trees().story_members.get(pair_key(story, article))? {
            Some(bytes) => Ok(Some(from_json(&bytes, STORY_MEMBERS, "story member")?)),
            None => Ok(None),
        }
    }

    /// Every merge, by absorbed story id.
    pub fn merges(&self) -> Result<Vec<MergeRecord>, StoreError> {
        let mut out = Vec::new();
        for entry in self.trees().merges.iter() {
            let (_, bytes) = entry?;
            out.push(from_json(&bytes, MERGES, "merge")?);
        }
        Ok(out)
    }

    /// How many stories exist (merged-away ones not counted).
    pub fn story_count(&self) -> usize {
        self.trees().stories.len()
    }

    /// Follows merge records from `id` to the story that holds its members
    /// now; `None` if the id never existed.
    pub(super) fn resolve_story(&self, mut id: StoryId) -> Result<Option<StoryId>, StoreError> {
        // Each merge moves to an older id, so the chain ends.
        loop {
            if self.trees().stories.contains_key(id_key(id))? {
                return Ok(Some(id));
            }
            match self.trees().merges.get(id_key(id))? {
                Some(bytes) => {
                    let merge: MergeRecord = from_json(&bytes, MERGES, "merge")?;
                    id = merge.into;
                }
                None => return Ok(None),
            }
        }
    }

    pub(crate) fn story_header(&self, id: StoryId) -> Result<Option<StoryHeader>, StoreError> {
        match self.trees().stories.get(id_key(id))? {
            Some(bytes) => Ok(Some(from_json(&bytes, STORIES, &format!("story {id}"))?)),
            None => Ok(None),
        }
    }

    fn assemble(&self, header: StoryHeader) -> Result<Story, StoreError> {
        let mut members = Vec::with_capacity(header.size as usize);
        for entry in self.trees().story_members.scan_prefix(id_key(header.id)) {
            let (_, bytes) = entry?;
            members.push(from_json(&bytes, STORY_MEMBERS, "story member")?);
        }
        Ok(Story {
            id: header.id,
            first: header.first,
            members,
            merged_from: header.merged_from,
            created: header.created,
            updated: header.updated,
        })
    }

    /// Writes a story header and adds `member` to it.
    pub(crate) fn put_story_member(
        &self,
        header: &StoryHeader,
        member: &StoryMember,
    ) -> Result<(), StoreError> {
        let trees = self.trees();
        let what = format!("story {}", header.id);
        trees
            .story_members
            .insert(pair_key(header.id, member.article), to_json(member, &what)?)?;
        trees
            .article_story
            .insert(id_key(member.article), &id_key(header.id))?;
        trees
            .stories
            .insert(id_key(header.id), to_json(header, &what)?)?;
        Ok(())
    }

    /// Moves every member of `absorbed` into `kept` (whose header is already
    /// updated), in one transaction so a crash never leaves half a merge.
    pub(crate) fn merge_stories(
        &self,
        kept: &StoryHeader,
        merge: &MergeRecord,
    ) -> Result<(), StoreError> {
        let trees = self.trees();
        let mut moved = Vec::new();
        for entry in trees.story_members.scan_prefix(id_key(merge.absorbed)) {
            let (key, bytes) = entry?;
            let article = decode_u64(&key[8..], STORY_MEMBERS, "member key")?;
            moved.push((key, article, bytes));
        }
        let kept_bytes = to_json(kept, &format!("story {}", kept.id))?;
        let merge_bytes = to_json(merge, &format!("merge of story {}", merge.absorbed))?;
        let result: Result<(), TransactionError<Infallible>> = (
            &trees.stories,
            &trees.story_members,
            &trees.article_story,
            &trees.merges,
        )
            .transaction(|(stories, members, article_story, merges)| {
                for (old_key, article, bytes) in &moved {
                    members.remove(old_key.clone())?;
                    members.insert(&pair_key(kept.id, *article), bytes.clone())?;
                    article_story.insert(&id_key(*article), &id_key(kept.id))?;
                }
                stories.remove(&id_key(merge.absorbed))?;
                stories.insert(&id_key(kept.id), kept_bytes.clone())?;
                merges.insert(&id_key(merge.absorbed), merge_bytes.clone())?;
                Ok::<(), ConflictableTransactionError<Infallible>>(())
            });
        match result {
            Ok(()) => Ok(()),
            Err(TransactionError::Storage(e)) => Err(e.into()),
            Err(TransactionError::Abort(never)) => match never {},
        }
    }
}
