//! Stories the editor follows (`storywatch follow`): with `[notify] scope =
//! "ours"`, another outlet joining one of them raises an alert.

use chrono::Utc;

use super::codec::{decode_u64, id_key};
use super::{Store, StoreError, Story, StoryId, FOLLOWED};

impl Store {
    /// Follows story `id`, or the story it was merged into. Returns the
    /// story now followed, or `None` when no story has that id.
    pub fn follow(&self, id: StoryId) -> Result<Option<StoryId>, StoreError> {
        let Some(current) = self.resolve_story(id)? else {
            return Ok(None);
        };
        let since = Utc::now().timestamp().to_be_bytes();
        self.trees().followed.insert(id_key(current), &since)?;
        self.trees().followed.flush()?;
        Ok(Some(current))
    }

    /// Stops following story `id` (or the story it was merged into),
    /// however it came to be followed: itself, or through a story merged
    /// into it. Returns whether it was followed, or `None` when no story
    /// has that id.
    pub fn unfollow(&self, id: StoryId) -> Result<Option<bool>, StoreError> {
        let Some(story) = self.story(id)? else {
            return Ok(None);
        };
        let mut was_followed = false;
        for followed_id in std::iter::once(story.id).chain(story.merged_from) {
            was_followed |= self.trees().followed.remove(id_key(followed_id))?.is_some();
        }
        self.trees().followed.flush()?;
        Ok(Some(was_followed))
    }

    /// The ids `follow` recorded; some may have been merged away since.
    pub fn followed_ids(&self) -> Result<Vec<StoryId>, StoreError> {
        let mut ids = Vec::new();
        for entry in self.trees().followed.iter() {
            let (key, _) = entry?;
            ids.push(decode_u64(&key, FOLLOWED, "followed story id")?);
        }
        Ok(ids)
    }

    /// Whether `story` is followed, directly or through a story that was
    /// merged into it.
    pub fn is_followed(&self, story: &Story) -> Result<bool, StoreError> {
        for id in std::iter::once(story.id).chain(story.merged_from.iter().copied()) {
            if self.trees().followed.contains_key(id_key(id))? {
                return Ok(true);
            }
        }
        Ok(false)
    }
}
