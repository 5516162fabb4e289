//! The whole product, with real parts: an HTTP server on 127.0.0.1 serving
//! RSS, Atom and JSON feeds whose items link to HTML pages carrying the five
//! seed reports and unrelated articles; a private D-Bus session bus with a
//! recording notification server; the storywatch binary run as a process
//! (`poll --once`) against a sled store in a temp dir.

mod support;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use serde_json::Value;
use storywatch::matcher::{Relation, Shape};
use support::dbus::DesktopBus;
use support::http::TestServer;

/// A test article: what the page shows and when the feed says it appeared.
struct Article {
    slug: String,
    title: String,
    body: String,
    published: &'static str,
}

/// Every shape a copy or rewrite can be recognised by.
const SHAPES: [Shape; 5] = [
    Shape::SharedWording,
    Shape::LiftedPassages,
    Shape::Reworded,
    Shape::Summary,
    Shape::Translation,
];

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The seed files have a title line and a dashed rule, or no title at all;
/// the latter get the opening words of their first line.
fn read_article(path: &Path, slug: &str, published: &'static str) -> Article {
    let text =
        String::from_utf8_lossy(&std::fs::read(path).expect("read test article")).into_owned();
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    let (title, body_lines) = if lines.get(1).is_some_and(|l| l.trim().starts_with("---")) {
        (lines[0].trim().to_owned(), &lines[2..])
    } else {
        let words: Vec<&str> = lines[0].split_whitespace().take(10).collect();
        (words.join(" "), &lines[..])
    };
    Article {
        slug: slug.to_owned(),
        title,
        body: body_lines.join("\n"),
        published,
    }
}

/// A page as publishers build them: navigation, share buttons, a related
/// box and comments around the article.
fn page_html(article: &Article, outlet: &str) -> String {
    let paragraphs: String = article
        .body
        .lines()
        .map(|p| format!("      <p>{}</p>\n", escape(p.trim())))
        .collect();
    format!(
        r##"<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{title} | {outlet}</title>
<meta property="og:title" content="{title}">
<meta property="article:published_time" content="{published}">
</head><body>
<header><nav><a href="/">Home</a> <a href="/world">World</a> <a href="/sport">Sport</a> <a href="/opinion">Opinion</a></nav>
<div class="cookie-banner">We use cookies to improve your experience. <button>Accept all</button></div></header>
<main><article>
  <h1>{title}</h1>
  <div class="share"><a href="#">Share on X</a> <a href="#">Share by email</a></div>
{paragraphs}</article>
<aside class="related"><h2>Related stories</h2><ul>
  <li><a href="/x1">Markets close higher after a quiet session</a></li>
  <li><a href="/x2">Weather: a wet weekend ahead for the north</a></li>
  <li><a href="/x3">Five recipes for a cold evening</a></li></ul></aside>
<section class="comments"><h2>Comments (2)</h2>
  <div class="comment"><b>reader42</b> First! Great coverage as always.</div>
  <div class="comment"><b>jdoe</b> I disagree with the framing here, but thanks.</div></section>
</main>
<footer>© {outlet}. All rights reserved. <a href="/privacy">Privacy</a> <a href="/terms">Terms</a></footer>
</body></html>"##,
        title = escape(&article.title),
        published = article.published,
    )
}

fn summary(article: &Article) -> String {
    article.body.chars().take(160).collect()
}

fn rss(server: &TestServer, articles: &[&Article], extra: &str) -> String {
    let items: String = articles
        .iter()
        .map(|a| {
            let date = chrono::DateTime::parse_from_rfc3339(a.published).expect("date").to_rfc2822();
            format!(
                "<item><title>{}</title><link>{}?utm_source=rss</link><guid>{}</guid><pubDate>{date}</pubDate><description>{}</description></item>\n",
                escape(&a.title), server.url(&format!("/rss/{}.html", a.slug)), a.slug, escape(&summary(a))
            )
        })
        .collect();
    format!("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<rss version=\"2.0\"><channel><title>Wire RSS{extra}</title><link>{}</link>\n{items}</channel></rss>", server.base())
}

fn atom(server: &TestServer, articles: &[&Article], extra: &str) -> String {
    let entries: String = articles
        .iter()
        .map(|a| {
            format!(
                "<entry><id>urn:test:{}</id><title>{}</title><link href=\"{}\"/><published>{}</published><updated>{}</updated><summary>{}</summary></entry>\n",
                a.slug, escape(&a.title), server.url(&format!("/atom/{}.html", a.slug)), a.published, a.published, escape(&summary(a))
            )
        })
        .collect();
    format!("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\"><title>Atom desk{extra}</title><id>urn:test:atom</id><updated>2024-04-02T12:00:00Z</updated>\n{entries}</feed>")
}

fn json_feed(server: &TestServer, articles: &[&Article], extra: &str) -> String {
    let items: Vec<Value> = articles
        .iter()
        .map(|a| {
            serde_json::json!({
                "id": format!("json-{}", a.slug),
                "url": server.url(&format!("/json/{}.html", a.slug)),
                "title": a.title,
                "summary": summary(a),
                "date_published": a.published,
            })
        })
        .collect();
    serde_json::json!({"version": "https://jsonfeed.org/version/1.1", "title": format!("JSON news{extra}"), "items": items}).to_string()
}

struct Feeds<'a> {
    rss: Vec<&'a Article>,
    atom: Vec<&'a Article>,
    json: Vec<&'a Article>,
}

fn publish(server: &TestServer, feeds: &Feeds<'_>, extra: &str) {
    server.serve_static(
        "/rss.xml",
        "application/rss+xml; charset=utf-8",
        rss(server, &feeds.rss, extra),
    );
    server.serve_static(
        "/atom.xml",
        "application/atom+xml",
        atom(server, &feeds.atom, extra),
    );
    server.serve_static(
        "/feed.json",
        "application/feed+json",
        json_feed(server, &feeds.json, extra),
    );
    for (prefix, outlet, articles) in [
        ("rss", "Wire", &feeds.rss),
        ("atom", "Atom Desk", &feeds.atom),
        ("json", "JSON News", &feeds.json),
    ] {
        for article in articles.iter() {
            server.serve_static(
                &format!("/{prefix}/{}.html", article.slug),
                "text/html; charset=utf-8",
                page_html(article, outlet),
            );
        }
    }
}

struct Run {
    config: PathBuf,
    bus_address: String,
}

impl Run {
    fn storywatch(&self, args: &[&str]) -> Value {
        let output = Command::new(env!("CARGO_BIN_EXE_storywatch"))
            .arg("--config")
            .arg(&self.config)
            .arg("--json")
            .args(args)
            .env("DBUS_SESSION_BUS_ADDRESS", &self.bus_address)
            .env("RUST_LOG", "storywatch=info")
            .output()
            .expect("run storywatch");
        let stdout = String::from_utf8_lossy(&output.stdout);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            output.status.success(),
            "storywatch {args:?} failed:\n{stderr}\n{stdout}"
        );
        serde_json::from_str(&stdout)
            .unwrap_or_else(|e| panic!("storywatch {args:?}: not JSON ({e}):\n{stdout}\n{stderr}"))
    }
}

#[test]
fn seeds_become_one_story_with_the_right_alerts_and_nothing_repeats() {
    let Some(shared) =
        support::shared_data("seeds").and_then(|s| s.parent().map(Path::to_path_buf))
    else {
        return;
    };
    let seeds_dir = shared.join("seeds");
    let seed = |prefix: &str, published: &'static str| {
        let file = std::fs::read_dir(&seeds_dir)
            .expect("list seeds")
            .filter_map(Result::ok)
            .find(|e| e.file_name().to_string_lossy().starts_with(prefix))
            .expect("seed file");
        read_article(&file.path(), &format!("seed-{prefix}"), published)
    };
    let original = seed("001", "2024-04-01T18:00:00Z");
    let spun = seed("000", "2024-04-02T06:00:00Z");
    let translated = seed("002", "2024-04-02T07:00:00Z");
    let independent = seed("003", "2024-04-02T08:00:00Z");
    let ai_rewrite = seed("004", "2024-04-02T10:00:00Z");

    // One unrelated article from each of twelve WikiRef topics. Topics that
    // are one news story under two labels (Greek debt and Greek elections,
    // the two Obamas, the Galaxy S5 and smartphones) are represented once.
    let wikiref = shared.join("eval/matching/wikiref/WikiRef220");
    let topics = [
        "NBA.draft",
        "ParisAttacks2015",
        "Rolling.Stones",
        "U2",
        "cypriot.financial.crisis",
        "malaysia.airlines.flight",
        "michelle.obama",
        "premier.league",
        "samsung.galaxy.s5",
        "stephen.hawking",
        "tohoku.earthquake.tsunami",
        "wall.street",
    ];
    let mut files: Vec<PathBuf> = std::fs::read_dir(&wikiref)
        .expect("list wikiref")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    files.sort();
    let dates = [
        "2024-04-01T09:00:00Z",
        "2024-04-01T15:00:00Z",
        "2024-04-02T05:00:00Z",
        "2024-04-02T09:30:00Z",
    ];
    let mut unrelated = Vec::new();
    for topic in topics {
        let file = files.iter().find(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with(topic))
        });
        if let Some(path) = file {
            let published = dates[unrelated.len() % dates.len()];
            unrelated.push(read_article(
                path,
                &format!("other-{}", unrelated.len()),
                published,
            ));
        }
    }
    assert!(
        unrelated.len() >= 10,
        "need 10 unrelated topics, found {}",
        unrelated.len()
    );

    let server = TestServer::start();
    let bus = DesktopBus::start();
    let dir = tempfile::tempdir().expect("temp dir");
    let alerts_file = dir.path().join("alerts.jsonl");
    let config = dir.path().join("storywatch.toml");
    std::fs::write(
        &config,
        format!(
            r#"[store]
path = "store"

[fetch]
timeout = "20s"
per_host_concurrency = 2

[[feed]]
name = "Wire"
url = "{rss}"

[[feed]]
name = "Atom Desk"
url = "{atom}"

[[feed]]
name = "JSON News"
url = "{json}"

[match]
window_days = 7

[notify]
desktop = true
min_relation = "same_story"
command = ["/bin/sh", "-c", "cat >> '{alerts}'; echo >> '{alerts}'"]
"#,
            rss = server.url("/rss.xml"),
            atom = server.url("/atom.xml"),
            json = server.url("/feed.json"),
            alerts = alerts_file.display()
        ),
    )
    .expect("write config");
    let run = Run {
        config,
        bus_address: bus.address().to_owned(),
    };

    // First poll: the original and unrelated articles.
    let (first_wave, second_wave) = unrelated.split_at(6);
    let mut feeds = Feeds {
        rss: vec![&original],
        atom: first_wave[..3].iter().collect(),
        json: first_wave[3..].iter().collect(),
    };
    publish(&server, &feeds, "");
    let first = run.storywatch(&["poll", "--once"]);
    assert_eq!(
        first["articles"].as_array().map(Vec::len),
        Some(7),
        "{first}"
    );
    assert_eq!(bus.calls().len(), 0, "no alert is due after the first poll");

    // Second poll: the four reports of the seed story, and more unrelated ones.
    feeds.rss.push(&spun);
    feeds.atom.extend([&translated, &independent]);
    feeds.json.push(&ai_rewrite);
    feeds.rss.extend(&second_wave[..3]);
    feeds.json.extend(&second_wave[3..]);
    publish(&server, &feeds, "");
    let second = run.storywatch(&["poll", "--once"]);
    assert_eq!(
        second["articles"].as_array().map(Vec::len),
        Some(4 + second_wave.len()),
        "{second}"
    );

    // Map stored articles back to test articles through their URLs.
    let stored = run.storywatch(&["articles", "--limit", "100"]);
    let mut id_of: HashMap<String, u64> = HashMap::new();
    for article in stored.as_array().expect("articles array") {
        let url = article["url"].as_str().expect("url");
        assert!(
            !url.contains("utm_source"),
            "tracking parameter kept: {url}"
        );
        let slug = url
            .rsplit('/')
            .next()
            .expect("slug")
            .trim_end_matches(".html")
            .to_owned();
        id_of.insert(slug, article["id"].as_u64().expect("id"));
    }
    assert_eq!(id_of.len(), 5 + unrelated.len(), "{stored}");

    // One story holds exactly the five seeds.
    let stories = run.storywatch(&["stories", "--all", "--limit", "1000"]);
    let story_of_original = stories
        .as_array()
        .expect("stories array")
        .iter()
        .find(|s| {
            s["articles"].as_array().is_some_and(|a| {
                a.iter()
                    .any(|m| m["id"].as_u64() == Some(id_of["seed-001"]))
            })
        })
        .expect("the original's story");
    let members: HashMap<u64, String> = story_of_original["articles"]
        .as_array()
        .expect("members")
        .iter()
        .map(|m| {
            (
                m["id"].as_u64().expect("id"),
                m["relation"].as_str().expect("relation").to_owned(),
            )
        })
        .collect();
    let seed_ids: Vec<u64> = ["seed-001", "seed-000", "seed-002", "seed-003", "seed-004"]
        .iter()
        .map(|s| id_of[*s])
        .collect();
    let mut member_ids: Vec<u64> = members.keys().copied().collect();
    member_ids.sort();
    let mut expected = seed_ids.clone();
    expected.sort();
    assert_eq!(
        member_ids, expected,
        "the seed story must hold the five seeds and nothing else: {story_of_original}"
    );
    assert_eq!(members[&id_of["seed-001"]], "first");
    assert_eq!(members[&id_of["seed-000"]], "rewrite");
    assert_eq!(members[&id_of["seed-002"]], "copy");
    assert_eq!(members[&id_of["seed-003"]], "same_story");
    assert_eq!(members[&id_of["seed-004"]], "rewrite");
    // Every unrelated article stays on its own.
    for story in stories.as_array().expect("stories") {
        let ids: Vec<u64> = story["articles"]
            .as_array()
            .expect("articles")
            .iter()
            .filter_map(|a| a["id"].as_u64())
            .collect();
        if !ids.contains(&id_of["seed-001"]) {
            assert_eq!(ids.len(), 1, "unrelated articles were grouped: {story}");
        }
    }

    // One desktop alert for each of 000, 002, 003, 004, with the right relation.
    let calls = bus.wait_for_calls(4, Duration::from_secs(10));
    assert_eq!(calls.len(), 4, "{calls:#?}");
    let expected_alerts = [
        (&spun, "Rewrite", Some(Relation::Rewrite)),
        (&translated, "Copy", Some(Relation::Copy)),
        (&independent, "Same story", None),
        (&ai_rewrite, "Rewrite", Some(Relation::Rewrite)),
    ];
    for (article, relation, shaped) in expected_alerts {
        let call = calls
            .iter()
            .find(|c| c.summary.contains(&article.title))
            .unwrap_or_else(|| panic!("no alert for {}: {calls:#?}", article.slug));
        assert!(
            call.summary.starts_with(relation),
            "{} alert says {:?}",
            article.slug,
            call.summary
        );
        assert!(
            call.action_keys().contains(&"default") || call.action_keys().contains(&"open"),
            "{:?}",
            call.actions
        );
        assert!(!call.body.is_empty(), "the body names the earlier articles");
        // A copy or rewrite says which shape of the texts shows it, and
        // only shapes of its own relation.
        let named: Vec<Shape> = SHAPES
            .into_iter()
            .filter(|shape| call.body.contains(&shape.describe()))
            .collect();
        assert_eq!(
            named.is_empty(),
            shaped.is_none(),
            "{}: {:?}",
            article.slug,
            call.body
        );
        assert!(
            named.iter().all(|shape| Some(shape.relation()) == shaped),
            "{}: {:?}",
            article.slug,
            call.body
        );
    }
    for other in &unrelated {
        assert!(
            calls.iter().all(|c| !c.summary.contains(&other.title)),
            "alert for unrelated {}",
            other.slug
        );
    }
    // The command sink got the same four alerts as JSON.
    let sink = std::fs::read_to_string(&alerts_file).expect("alert command wrote");
    let sink_alerts: Vec<Value> = sink
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).expect("alert JSON"))
        .collect();
    assert_eq!(sink_alerts.len(), 4, "{sink}");
    for alert in &sink_alerts {
        assert!(alert["article"]["url"]
            .as_str()
            .is_some_and(|u| u.starts_with("http://127.0.0.1")));
        assert!(!alert["earlier"].as_array().expect("earlier").is_empty());
    }

    // Third poll: nothing changed, so every feed is asked conditionally and
    // answers 304, and no alert is raised.
    server.clear_log();
    let third = run.storywatch(&["poll", "--once"]);
    assert_eq!(
        third["articles"].as_array().map(Vec::len),
        Some(0),
        "{third}"
    );
    for path in ["/rss.xml", "/atom.xml", "/feed.json"] {
        let seen = server.requests_to(path);
        assert_eq!(seen.len(), 1, "{path}");
        assert!(
            seen[0].is_conditional(),
            "{path} was not asked conditionally"
        );
    }
    let feeds_state = run.storywatch(&["feeds"]);
    for feed in feeds_state.as_array().expect("feeds") {
        assert_eq!(feed["last_status"].as_u64(), Some(304), "{feed}");
        assert_eq!(feed["state"].as_str(), Some("not_modified"), "{feed}");
        assert!(feed["etag"].as_str().is_some(), "{feed}");
    }

    // A restart on the same store, with every feed re-sent (new ETags): the
    // entries are recognised and nothing is alerted twice.
    publish(&server, &feeds, " (updated)");
    let restarted = run.storywatch(&["poll", "--once"]);
    assert_eq!(
        restarted["articles"].as_array().map(Vec::len),
        Some(0),
        "{restarted}"
    );
    std::thread::sleep(Duration::from_millis(500));
    assert_eq!(bus.calls().len(), 4, "an alert was repeated");
    let sink = std::fs::read_to_string(&alerts_file).expect("alert command wrote");
    assert_eq!(sink.lines().filter(|l| !l.trim().is_empty()).count(), 4);
}
