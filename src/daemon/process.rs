//! The end of the pipeline for one article: ingest it (store + match), mark
//! its feed entry seen, and raise an alert when it joined a story.

use std::collections::HashSet;

use chrono::Utc;

use super::collect::PreparedEntry;
use super::ingest::{IngestOutcome, Ingestor};
use super::DaemonError;
use crate::config::{AlertLevel, AlertScope, Config, FeedConfig};
use crate::matcher::{Relation, Shape};
use crate::notify::{Alert, AlertArticle, AlertRelation, Notifier};
use crate::store::{AlertRecord, ArticleId, ArticleRecord, SeenEntry, Store, StoreError, Story};

/// How many of a story's earlier articles an alert names.
const EARLIER_IN_ALERT: usize = 5;

/// What happened to one prepared entry.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Processed {
    pub outcome: IngestOutcome,
    /// The alert raised for it, if any.
    pub alert: Option<Alert>,
}

/// Which alerts `[notify]` asks for.
pub struct AlertPolicy {
    min_relation: AlertLevel,
    scope: AlertScope,
    /// URLs and names of the feeds marked `ours`. Names count too, so that
    /// an archive backfilled with `ingest --source NAME` is ours as well.
    our_feed_urls: HashSet<String>,
    our_feed_names: HashSet<String>,
}

impl AlertPolicy {
    pub fn new(config: &Config) -> AlertPolicy {
        let ours = || config.feeds.iter().filter(|feed| feed.ours);
        AlertPolicy {
            min_relation: config.notify.min_relation,
            scope: config.notify.scope,
            our_feed_urls: ours().map(|feed| feed.url.clone()).collect(),
            our_feed_names: ours().map(FeedConfig::display_name).collect(),
        }
    }

    fn has_our_feeds(&self) -> bool {
        !self.our_feed_urls.is_empty()
    }

    fn is_ours(&self, record: &ArticleRecord) -> bool {
        record
            .feed
            .as_ref()
            .is_some_and(|url| self.our_feed_urls.contains(url))
            || self.our_feed_names.contains(&record.source)
    }

    /// Whether `alert`, about an article that is ours or not, is wanted.
    fn wants(&self, alert: &Alert, new_article_is_ours: bool) -> bool {
        alert.passes(self.min_relation)
            && match self.scope {
                AlertScope::All => true,
                AlertScope::Ours => !new_article_is_ours && (alert.ours || alert.followed),
            }
    }
}

/// Ingests `entry`, records it as seen, and alerts when it matched a story.
pub async fn process_entry(
    ingestor: &mut Ingestor,
    notifier: &Notifier,
    policy: &AlertPolicy,
    entry: PreparedEntry,
) -> Result<Processed, DaemonError> {
    let outcome = ingestor.ingest(entry.article)?;
    let store = ingestor.store();
    store.mark_seen(
        &entry.feed_url,
        &entry.entry_id,
        SeenEntry {
            article: Some(outcome.id),
            seen: Utc::now(),
        },
    )?;
    let alert = alert_for(store, policy, &outcome)?;
    if let Some((alert, new_article_is_ours)) = &alert {
        if policy.wants(alert, *new_article_is_ours) && !store.has_alert(outcome.id)? {
            for error in notifier.send(alert).await {
                tracing::warn!(%error, article = outcome.id, "alert sink failed");
            }
            // Recorded even when a sink failed: a restart must not repeat the
            // alert, and the log says which sink to look at.
            store.record_alert(&AlertRecord {
                article: outcome.id,
                story: outcome.story,
                relation: outcome.relation,
                score: outcome.score,
                matched: outcome.matched,
                raised: Utc::now(),
            })?;
        }
    }
    Ok(Processed {
        outcome,
        alert: alert.map(|(alert, _)| alert),
    })
}

fn alert_relation(relation: Relation) -> Option<AlertRelation> {
    match relation {
        Relation::Copy => Some(AlertRelation::Copy),
        Relation::Rewrite => Some(AlertRelation::Rewrite),
        Relation::SameStory => Some(AlertRelation::SameStory),
        Relation::Unrelated => None,
    }
}

fn alert_article(record: &ArticleRecord) -> AlertArticle {
    AlertArticle {
        id: record.id,
        url: record.url.clone(),
        title: record.title.clone(),
        source: record.source.clone(),
        published: record.published,
    }
}

/// The alert an ingested article deserves, if it matched an earlier one,
/// and whether that article is ours.
fn alert_for(
    store: &Store,
    policy: &AlertPolicy,
    outcome: &IngestOutcome,
) -> Result<Option<(Alert, bool)>, DaemonError> {
    let (Some(relation), Some(matched)) = (alert_relation(outcome.relation), outcome.matched)
    else {
        return Ok(None);
    };
    let Some(article) = store.article(outcome.id)? else {
        return Ok(None);
    };
    // The closest match first, then the rest of the story, earliest first.
    let mut earlier_ids: Vec<ArticleId> = vec![matched];
    let (mut ours, mut followed) = (false, false);
    if let Some(story) = store.story(outcome.story)? {
        followed = store.is_followed(&story)?;
        // Reads the members' records, so only when some feed is ours.
        ours = policy.has_our_feeds() && holds_our_article(store, policy, &story, outcome.id)?;
        let first = story.first;
        let mut others: Vec<ArticleId> = story
            .members
            .iter()
            .map(|m| m.article)
            .filter(|id| *id != outcome.id && *id != matched)
            .collect();
        others.sort_by_key(|id| (*id != first, *id));
        earlier_ids.extend(others);
    }
    let mut earlier = Vec::new();
    for id in earlier_ids.into_iter().take(EARLIER_IN_ALERT) {
        if let Some(record) = store.article(id)? {
            earlier.push(alert_article(&record));
        }
    }
    let why = outcome
        .comparison
        .as_ref()
        .map(evidence_lines)
        .unwrap_or_default();
    let alert = Alert {
        article: alert_article(&article),
        relation,
        score: outcome.score,
        story: outcome.story,
        earlier,
        why,
        ours,
        followed,
    };
    Ok(Some((alert, policy.is_ours(&article))))
}

/// Whether a member of `story` other than `new_article` is ours.
fn holds_our_article(
    store: &Store,
    policy: &AlertPolicy,
    story: &Story,
    new_article: ArticleId,
) -> Result<bool, StoreError> {
    for member in story.members.iter().filter(|m| m.article != new_article) {
        if store
            .article(member.article)?
            .is_some_and(|record| policy.is_ours(&record))
        {
            return Ok(true);
        }
    }
    Ok(false)
}

/// Short lines saying why two articles matched, for alerts. A translation
/// says from which language into which: an editor reading the alert may
/// know neither article's language from its title.
fn evidence_lines(comparison: &crate::matcher::Comparison) -> Vec<String> {
    let because = match comparison.translated() {
        Some((from, into)) => Some(Shape::describe_translation(from, into)),
        None => comparison.shape.map(Shape::describe),
    };
    let mut lines: Vec<String> = because.into_iter().collect();
    if let (None, Some([new, earlier])) = (comparison.translated(), &comparison.languages) {
        if new != earlier {
            lines.push(format!(
                "in {}, the earlier article in {}",
                crate::matcher::language_name(new),
                crate::matcher::language_name(earlier)
            ));
        }
    }
    let mut list = |label: &str, items: &[String]| {
        if !items.is_empty() {
            let shown: Vec<&str> = items.iter().take(6).map(String::as_str).collect();
            lines.push(format!("shared {label}: {}", shown.join(", ")));
        }
    };
    list("names", &comparison.shared_entities);
    list("numbers", &comparison.shared_numbers);
    if let Some(passage) = comparison.passages.first() {
        lines.push(format!("shared passage: \"{passage}\""));
    }
    let s = &comparison.signals;
    lines.push(format!(
        "word runs {:.2}, terms {:.2}, names {:.2}, title {:.2}",
        s.containment, s.terms, s.names, s.title
    ));
    lines
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::matcher::{Comparison, Relation, Signals};

    fn comparison(shape: Option<Shape>, languages: [&str; 2]) -> Comparison {
        Comparison {
            score: 0.7,
            relation: Relation::SameStory,
            shape,
            signals: Signals::default(),
            shared_entities: vec!["wrenfield".to_owned()],
            shared_numbers: Vec::new(),
            passages: Vec::new(),
            languages: Some(languages.map(str::to_owned)),
        }
    }

    #[test]
    fn an_alert_names_the_languages_of_a_report_in_another_language() {
        let lines = evidence_lines(&comparison(None, ["de", "en"]));
        assert_eq!(lines[0], "in German, the earlier article in English");
        assert_eq!(lines[1], "shared names: wrenfield");
        let translation = evidence_lines(&comparison(Some(Shape::Translation), ["de", "en"]));
        assert!(
            translation[0].starts_with("a translation from English into German"),
            "{translation:?}"
        );
        assert_eq!(translation.len(), 3, "the languages are said once");
        let same_language = evidence_lines(&comparison(None, ["en", "en"]));
        assert_eq!(same_language[0], "shared names: wrenfield");
    }
}
