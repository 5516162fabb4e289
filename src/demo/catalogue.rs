//! The invented outlets and articles the demo serves. All of it was written
//! for storywatch; the places, people and numbers are fictional.

/// How an outlet publishes its feed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum FeedFormat {
    Rss,
    Atom,
    JsonFeed,
}

impl FeedFormat {
    pub(super) fn name(self) -> &'static str {
        match self {
            FeedFormat::Rss => "RSS 2.0",
            FeedFormat::Atom => "Atom",
            FeedFormat::JsonFeed => "JSON Feed",
        }
    }

    pub(super) fn content_type(self) -> &'static str {
        match self {
            FeedFormat::Rss => "application/rss+xml; charset=utf-8",
            FeedFormat::Atom => "application/atom+xml; charset=utf-8",
            FeedFormat::JsonFeed => "application/feed+json; charset=utf-8",
        }
    }
}

pub(super) struct Outlet {
    /// First path segment of everything the outlet serves.
    pub key: &'static str,
    pub name: &'static str,
    pub description: &'static str,
    pub format: FeedFormat,
    /// Second path segment of the feed, e.g. `rss.xml`.
    pub feed_file: &'static str,
    /// Appended to item links in the feed, as many publishers do.
    pub link_tracking: &'static str,
    /// Whether feed items carry the whole article, not only a summary.
    pub full_text_in_feed: bool,
    pub template: &'static str,
    /// Markup the outlet wedges into its articles after the third paragraph.
    pub inline_promo: &'static str,
    /// Element each comment is wrapped in.
    pub comment_tag: &'static str,
    /// Standing entries of the related-links box, after the outlet's other
    /// articles.
    pub evergreen_links: &'static str,
}

pub(super) struct Comment {
    pub author: &'static str,
    pub when: &'static str,
    pub text: &'static str,
}

pub(super) struct Article {
    pub outlet: &'static str,
    pub slug: &'static str,
    pub title: &'static str,
    pub author: &'static str,
    pub section: &'static str,
    pub summary: &'static str,
    /// The release wave that publishes it; wave 0 is out when the site starts.
    pub wave: usize,
    /// Published this long before its wave was released.
    pub minutes_before_release: i64,
    /// Paragraphs separated by blank lines.
    pub body: &'static str,
    pub comments: &'static [Comment],
}

impl Article {
    pub(super) fn paragraphs(&self) -> impl Iterator<Item = &'static str> {
        self.body
            .split("\n\n")
            .map(str::trim)
            .filter(|p| !p.is_empty())
    }
}

pub(super) const OUTLETS: &[Outlet] = &[
    Outlet {
        key: "courier",
        name: "The Carrow Haven Courier",
        description: "News from Carrow Haven and the harbour, since 1889.",
        format: FeedFormat::Rss,
        feed_file: "rss.xml",
        link_tracking: "?utm_source=rss&utm_medium=feed&utm_campaign=latest",
        full_text_in_feed: false,
        template: include_str!("content/templates/courier.html"),
        inline_promo: r##"<aside class="inline-promo"><strong>Read more:</strong> <a href="/courier/harbour">Everything on the harbour board's agenda this month</a></aside>"##,
        comment_tag: "div",
        evergreen_links: r#"<li><a href="/courier/harbour">Harbour board: all our coverage</a></li><li><a href="/courier/whats-on">What's on in Carrow Haven this week</a></li>"#,
    },
    Outlet {
        key: "tidewater",
        name: "Tidewater Daily",
        description: "All the valley's news in one place.",
        format: FeedFormat::Atom,
        feed_file: "atom.xml",
        link_tracking: "",
        full_text_in_feed: true,
        template: include_str!("content/templates/tidewater.html"),
        inline_promo: r##"<div class="ad-inline"><span>Advertisement</span><a href="#">Compare valley energy tariffs in two minutes</a></div>"##,
        comment_tag: "div",
        evergreen_links: r#"<li><a href="/tidewater/traffic">Live traffic and travel across the valley</a></li><li><a href="/tidewater/puzzles">Today's crossword and sudoku</a></li>"#,
    },
    Outlet {
        key: "northcoast",
        name: "North Coast Brief",
        description: "The coast's news, explained in five minutes.",
        format: FeedFormat::JsonFeed,
        feed_file: "feed.json",
        link_tracking: "?utm_source=jsonfeed",
        full_text_in_feed: false,
        template: include_str!("content/templates/northcoast.html"),
        inline_promo: r##"<div class="signup-inline">Enjoying this? <a href="/northcoast/newsletter">Get the Brief in your inbox every Friday</a></div>"##,
        comment_tag: "div",
        evergreen_links: r#"<li><a href="/northcoast/explainers">All our explainers in one place</a></li><li><a href="/northcoast/climate">The coast and climate: a reading list</a></li>"#,
    },
    Outlet {
        key: "westshore",
        name: "Westshore Post",
        description: "Independent news for the Westshore and the harbour towns.",
        format: FeedFormat::Rss,
        feed_file: "feed.xml",
        link_tracking: "",
        full_text_in_feed: true,
        template: include_str!("content/templates/westshore.html"),
        inline_promo: r##"<p class="read-next"><em>Read next: <a href="/westshore/news/transport">Tide times and harbour notices for the week ahead</a></em></p>"##,
        comment_tag: "li",
        evergreen_links: r#"<li><a href="/westshore/news/transport">Transport news</a></li><li><a href="/westshore/opinion">Letters: your views this week</a></li>"#,
    },
];

pub(super) const ARTICLES: &[Article] = &[
    Article {
        outlet: "courier",
        slug: "harbour-board-votes-to-shut-wrenfield-swing-bridge",
        title: "Harbour board votes to shut Wrenfield Swing Bridge to traffic",
        author: "Maren Okafor",
        section: "Harbour",
        summary: "The 97-year-old crossing closes to vehicles on 1 December after engineers found corroded girders and a cracked pivot bearing.",
        wave: 0,
        minutes_before_release: 95,
        body: include_str!("content/articles/bridge-original.txt"),
        comments: &[
            Comment { author: "HarbourMum", when: "1 hour ago", text: "Fourteen openings a day and nobody noticed a cracked pivot until now? Someone should be asking about the last inspection." },
            Comment { author: "N. Pellow", when: "52 minutes ago", text: "The ferry is a decent stopgap, but 11pm is too early for anyone on a late shift at the clinic." },
            Comment { author: "quayside_kev", when: "40 minutes ago", text: "Reyl is right about the shops. Half of Quay Street will be boarded up before any new bridge opens." },
        ],
    },
    Article {
        outlet: "tidewater",
        slug: "wrenfield-swing-bridge-to-close-to-traffic",
        title: "Wrenfield Swing Bridge to close to traffic after harbour board vote",
        author: "Tidewater Daily staff",
        section: "Region",
        summary: "Carrow Haven's harbour board has voted to close the Wrenfield Swing Bridge to motor traffic from 1 December.",
        wave: 1,
        minutes_before_release: 3,
        body: include_str!("content/articles/bridge-copy.txt"),
        comments: &[Comment { author: "valleyreader", when: "just now", text: "Didn't the Courier have this yesterday?" }],
    },
    Article {
        outlet: "northcoast",
        slug: "carrow-haven-loses-its-car-crossing",
        title: "Carrow Haven loses its car crossing: what the Wrenfield bridge decision means",
        author: "Jo Varga",
        section: "Explainers",
        summary: "Why the harbour board closed the swing bridge, who has to drive further, and what comes next.",
        wave: 2,
        minutes_before_release: 1,
        body: include_str!("content/articles/bridge-rewrite.txt"),
        comments: &[
            Comment { author: "Ruth O.", when: "5 minutes ago", text: "Useful summary, thanks. Does anyone know if the ferry takes dogs?" },
            Comment { author: "Pete from Northgate", when: "2 minutes ago", text: "An extra twenty minutes each way, every day, for three years. Brilliant." },
        ],
    },
    Article {
        outlet: "westshore",
        slug: "drivers-face-detour-as-carrow-haven-closes-swing-bridge",
        title: "Drivers face 6.5km detour as Carrow Haven closes 97-year-old swing bridge",
        author: "Declan Furlong",
        section: "Transport",
        summary: "Engineers say corrosion and a cracked pivot left the harbour board no choice; a free ferry will run every 20 minutes.",
        wave: 3,
        minutes_before_release: 2,
        body: include_str!("content/articles/bridge-independent.txt"),
        comments: &[
            Comment { author: "Moira T", when: "10 minutes ago", text: "Good to hear from the engineer directly. The pivot quote is frightening." },
            Comment { author: "cyclist_dan", when: "6 minutes ago", text: "Eighty people a trip, bikes included? At 8am that boat will be full by the second stop." },
        ],
    },
    Article {
        outlet: "courier",
        slug: "brackley-point-pupils-win-robotics-title",
        title: "Brackley Point pupils win national robotics title with litter-picking submarine",
        author: "Sanna Lindqvist",
        section: "Schools",
        summary: "Magpie, a pond-cleaning robot built after a nature reserve clean-up, beat 38 other entries.",
        wave: 0,
        minutes_before_release: 240,
        body: include_str!("content/articles/robotics.txt"),
        comments: &[
            Comment { author: "Proud grandad", when: "3 hours ago", text: "Well done Jonah and the whole team!" },
            Comment { author: "M. Okoro", when: "2 hours ago", text: "Our reserve volunteers would love a demonstration at the spring open day." },
        ],
    },
    Article {
        outlet: "tidewater",
        slug: "amber-rain-warning-tidewater-valley",
        title: "Amber rain warning as Tidewater valley braces for two days of downpours",
        author: "Tidewater Daily staff",
        section: "Weather",
        summary: "Up to 90mm of rain could fall on high ground on Thursday and Friday, with flood alerts on three rivers.",
        wave: 0,
        minutes_before_release: 150,
        body: include_str!("content/articles/rain-warning.txt"),
        comments: &[Comment { author: "AshcombeAl", when: "2 hours ago", text: "Mill Lane again. Sandbags are already by the door." }],
    },
    Article {
        outlet: "northcoast",
        slug: "mussel-shells-low-carbon-cement",
        title: "From mussel shells to building blocks: start-up wins backing for low-carbon cement",
        author: "Jo Varga",
        section: "Climate",
        summary: "Shellform raises €2.6 million to turn 9,000 tonnes of landfilled shells into a cement substitute.",
        wave: 0,
        minutes_before_release: 300,
        body: include_str!("content/articles/mussel-cement.txt"),
        comments: &[
            Comment { author: "civil_eng_sam", when: "4 hours ago", text: "Durability data is the whole game. Looking forward to seeing the freeze-thaw results." },
            Comment { author: "Orla's neighbour", when: "3 hours ago", text: "Fair play to the co-op. Better than the landfill." },
        ],
    },
    Article {
        outlet: "westshore",
        slug: "kestrel-rovers-clinch-promotion",
        title: "Kestrel Rovers clinch promotion with stoppage-time header",
        author: "Gemma Achterberg",
        section: "Sport",
        summary: "Sam Okonedo's late winner against Dunmore Athletic ends nine years in the second tier.",
        wave: 0,
        minutes_before_release: 180,
        body: include_str!("content/articles/football.txt"),
        comments: &[
            Comment { author: "GullParkFaithful", when: "3 hours ago", text: "Best day at the ground in twenty years. Up the Kestrels!" },
            Comment { author: "Dunmore fan", when: "2 hours ago", text: "Gutted, but fair play. That corner should never have been given though." },
        ],
    },
    Article {
        outlet: "courier",
        slug: "fenwick-lane-bakery-fourth-generation",
        title: "Fenwick Lane bakery hands its ovens to a fourth generation after 100 years",
        author: "Sanna Lindqvist",
        section: "Business",
        summary: "Lindgren's becomes Lindgren & Daughters as Maja Lindgren-Hart takes over from her grandmother.",
        wave: 3,
        minutes_before_release: 5,
        body: include_str!("content/articles/bakery.txt"),
        comments: &[Comment { author: "Derek A.", when: "just now", text: "Seeded loaf, Fridays, forever. Congratulations Maja." }],
    },
];

pub(super) fn outlet(key: &str) -> Option<&'static Outlet> {
    OUTLETS.iter().find(|outlet| outlet.key == key)
}

/// How many release waves the catalogue has, wave 0 included.
pub(super) fn wave_count() -> usize {
    ARTICLES.iter().map(|a| a.wave + 1).max().unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    fn article(slug: &str) -> &'static Article {
        ARTICLES
            .iter()
            .find(|a| a.slug == slug)
            .expect("article in catalogue")
    }

    /// Share of 5-word shingles two texts have in common (Jaccard).
    fn overlap(a: &Article, b: &Article) -> f64 {
        let shingles = |article: &Article| -> HashSet<String> {
            let words: Vec<String> = article
                .body
                .split(|c: char| !c.is_alphanumeric())
                .filter(|w| !w.is_empty())
                .map(str::to_lowercase)
                .collect();
            words.windows(5).map(|w| w.join(" ")).collect()
        };
        let (a, b) = (shingles(a), shingles(b));
        a.intersection(&b).count() as f64 / a.union(&b).count() as f64
    }

    #[test]
    fn every_article_is_a_real_length_and_belongs_to_an_outlet() {
        let mut slugs = HashSet::new();
        for article in ARTICLES {
            let words = article.body.split_whitespace().count();
            assert!(
                (250..=500).contains(&words),
                "{}: {words} words",
                article.slug
            );
            assert!(outlet(article.outlet).is_some(), "{}", article.slug);
            assert!(
                slugs.insert(article.slug),
                "duplicate slug {}",
                article.slug
            );
            assert!(article.paragraphs().count() >= 5, "{}", article.slug);
        }
        for outlet in OUTLETS {
            assert!(ARTICLES
                .iter()
                .any(|a| a.outlet == outlet.key && a.wave == 0));
        }
        assert_eq!(wave_count(), 4);
    }

    #[test]
    fn the_story_versions_differ_as_their_roles_say() {
        let original = article("harbour-board-votes-to-shut-wrenfield-swing-bridge");
        let copy = article("wrenfield-swing-bridge-to-close-to-traffic");
        let rewrite = article("carrow-haven-loses-its-car-crossing");
        let independent = article("drivers-face-detour-as-carrow-haven-closes-swing-bridge");
        assert!(overlap(original, copy) > 0.5, "{}", overlap(original, copy));
        assert!(
            overlap(original, rewrite) < 0.1,
            "{}",
            overlap(original, rewrite)
        );
        assert!(
            overlap(original, independent) < 0.05,
            "{}",
            overlap(original, independent)
        );
        for other in ARTICLES.iter().filter(|a| !a.body.contains("Wrenfield")) {
            assert!(overlap(original, other) < 0.01, "{}", other.slug);
        }
        // Same facts in every version of the story.
        for version in [original, copy, rewrite, independent] {
            for fact in [
                "Wrenfield",
                "1 December",
                "31 per cent",
                "11,500",
                "18.4 million",
                "Ines Albrecht",
                "Tomas Reyl",
                "Tuesday",
            ] {
                assert!(version.body.contains(fact), "{} lacks {fact}", version.slug);
            }
        }
        // One new version per wave, so the demo shows each relation in turn.
        assert!(
            original.wave < copy.wave
                && copy.wave < rewrite.wave
                && rewrite.wave < independent.wave
        );
    }
}
