//! What an alert says, and how each sink words it.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::config::AlertLevel;

/// How many earlier articles a desktop notification names before it
/// summarises the rest as "and N more": a notification bubble has room for
/// a few lines only.
const EARLIER_SHOWN: usize = 3;

/// One article as an alert names it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AlertArticle {
    pub id: u64,
    pub url: Option<String>,
    pub title: String,
    /// The outlet or feed the article came from.
    pub source: String,
    pub published: Option<DateTime<Utc>>,
}

/// How the new article relates to its story, for the relations that alert.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AlertRelation {
    Copy,
    Rewrite,
    SameStory,
}

impl AlertRelation {
    /// The `min_relation` setting this relation falls under.
    pub fn level(self) -> AlertLevel {
        match self {
            AlertRelation::Copy => AlertLevel::Copy,
            AlertRelation::Rewrite => AlertLevel::Rewrite,
            AlertRelation::SameStory => AlertLevel::SameStory,
        }
    }

    /// The name used in JSON and on the terminal.
    pub fn as_str(self) -> &'static str {
        match self {
            AlertRelation::Copy => "copy",
            AlertRelation::Rewrite => "rewrite",
            AlertRelation::SameStory => "same_story",
        }
    }

    fn headline(self) -> &'static str {
        match self {
            AlertRelation::Copy => "Copy spotted",
            AlertRelation::Rewrite => "Rewrite spotted",
            AlertRelation::SameStory => "Same story elsewhere",
        }
    }

    /// The headline when the story holds the editor's own reporting.
    fn headline_for_ours(self) -> &'static str {
        match self {
            AlertRelation::Copy => "Our story copied",
            AlertRelation::Rewrite => "Our story rewritten",
            AlertRelation::SameStory => "Our story picked up",
        }
    }
}

impl std::fmt::Display for AlertRelation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A new article that joined a story the editor cares about.
///
/// Serialized as is, this is the JSON object the command sink gets on stdin.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Alert {
    /// The article that just arrived.
    pub article: AlertArticle,
    pub relation: AlertRelation,
    /// Similarity to the closest earlier article, 0..1.
    pub score: f64,
    pub story: u64,
    /// The story's earlier articles, closest match first.
    pub earlier: Vec<AlertArticle>,
    /// Short evidence lines: shared names, numbers, passages.
    pub why: Vec<String>,
    /// The story holds an article from a feed marked `ours`.
    #[serde(default)]
    pub ours: bool,
    /// The story is followed (`storywatch follow`).
    #[serde(default)]
    pub followed: bool,
}

impl Alert {
    /// Whether this alert is at or below the least relation that alerts.
    pub fn passes(&self, min_relation: AlertLevel) -> bool {
        self.relation.level() <= min_relation
    }

    /// Desktop notification summary, e.g. "Rewrite spotted — Source:
    /// Title", or "Our story rewritten — …" when the story holds the
    /// editor's own reporting.
    pub fn summary(&self) -> String {
        let headline = if self.ours {
            self.relation.headline_for_ours()
        } else {
            self.relation.headline()
        };
        let followed = if self.followed && !self.ours {
            " (followed story)"
        } else {
            ""
        };
        format!(
            "{headline}{followed} — {}: {}",
            self.article.source, self.article.title
        )
    }

    /// Desktop notification body: the earlier articles of the story, then
    /// the first evidence line. Escaped because many notification servers
    /// read the body as simple markup.
    pub fn body(&self) -> String {
        let mut lines = Vec::new();
        match self.earlier.as_slice() {
            [] => lines.push(format!("Story {}", self.story)),
            [only] => lines.push(format!("Earlier: {}", describe(only))),
            many => {
                lines.push("Earlier in this story:".to_owned());
                for article in many.iter().take(EARLIER_SHOWN) {
                    lines.push(format!("• {}", describe(article)));
                }
                if many.len() > EARLIER_SHOWN {
                    lines.push(format!("…and {} more", many.len() - EARLIER_SHOWN));
                }
            }
        }
        lines.push(format!("Match {:.0}%", self.score * 100.0));
        if let Some(first) = self.why.first() {
            lines.push(first.clone());
        }
        escape_markup(&lines.join("\n"))
    }

    /// One line for the terminal.
    pub fn terminal_line(&self) -> String {
        let mut line = format!(
            "{:<10} {:>3.0}%  {}: \"{}\"",
            self.relation.as_str(),
            self.score * 100.0,
            self.article.source,
            self.article.title
        );
        if let Some(url) = &self.article.url {
            line.push_str(&format!(" <{url}>"));
        }
        if let Some(first) = self.earlier.first() {
            line.push_str(&format!(
                "  ← story {}, after {}: \"{}\"",
                self.story, first.source, first.title
            ));
            if self.earlier.len() > 1 {
                line.push_str(&format!(" (+{} more)", self.earlier.len() - 1));
            }
        }
        line
    }
}

fn describe(article: &AlertArticle) -> String {
    match article.published {
        Some(when) => format!(
            "{}: {} ({})",
            article.source,
            article.title,
            when.format("%Y-%m-%d %H:%M")
        ),
        None => format!("{}: {}", article.source, article.title),
    }
}

fn escape_markup(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn article(id: u64, source: &str, title: &str) -> AlertArticle {
        AlertArticle {
            id,
            url: Some(format!("https://example.test/{id}")),
            title: title.to_owned(),
            source: source.to_owned(),
            published: None,
        }
    }

    fn alert(relation: AlertRelation, earlier: usize) -> Alert {
        Alert {
            article: article(9, "Tidewater Daily", "Bridge shut & ferry <added>"),
            relation,
            score: 0.874,
            story: 3,
            earlier: (0..earlier as u64)
                .map(|i| article(i, "Courier", &format!("Report {i}")))
                .collect(),
            why: vec!["shared: Wrenfield, 18.4 million".to_owned()],
            ours: false,
            followed: false,
        }
    }

    #[test]
    fn levels_filter_from_copy_up_to_same_story() {
        let copy = alert(AlertRelation::Copy, 1);
        let same = alert(AlertRelation::SameStory, 1);
        assert!(copy.passes(AlertLevel::Copy));
        assert!(copy.passes(AlertLevel::SameStory));
        assert!(!same.passes(AlertLevel::Rewrite));
        assert!(same.passes(AlertLevel::SameStory));
    }

    #[test]
    fn summary_names_relation_source_and_title() {
        assert_eq!(
            alert(AlertRelation::Rewrite, 1).summary(),
            "Rewrite spotted — Tidewater Daily: Bridge shut & ferry <added>"
        );
    }

    #[test]
    fn summary_says_when_the_story_is_ours_or_followed() {
        let ours = Alert {
            ours: true,
            followed: true,
            ..alert(AlertRelation::Copy, 1)
        };
        assert!(ours
            .summary()
            .starts_with("Our story copied — Tidewater Daily:"));
        let followed = Alert {
            followed: true,
            ..alert(AlertRelation::SameStory, 1)
        };
        assert!(followed
            .summary()
            .starts_with("Same story elsewhere (followed story) — Tidewater Daily:"));
    }

    #[test]
    fn body_lists_a_few_earlier_articles_escaped() {
        let body = alert(AlertRelation::Copy, 5).body();
        assert!(body.starts_with("Earlier in this story:\n• Courier: Report 0"));
        assert!(body.contains("…and 2 more"));
        assert!(body.contains("Match 87%"));
        assert!(!body.contains("Report 3"));
        let single = Alert {
            why: vec!["a < b".to_owned()],
            ..alert(AlertRelation::Copy, 1)
        };
        assert!(single.body().contains("a &lt; b"));
    }

    #[test]
    fn terminal_line_is_one_line() {
        let line = alert(AlertRelation::SameStory, 2).terminal_line();
        assert!(!line.contains('\n'));
        assert!(line.starts_with("same_story  87%  Tidewater Daily:"));
        assert!(line.contains("after Courier: \"Report 0\" (+1 more)"));
    }

    #[test]
    fn json_uses_snake_case_relations() {
        let json = serde_json::to_value(alert(AlertRelation::SameStory, 1)).unwrap();
        assert_eq!(json["relation"], "same_story");
        assert_eq!(json["earlier"][0]["url"], "https://example.test/0");
    }
}
