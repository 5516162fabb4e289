//! Every command, run as a process, with its `--json` output parsed.

mod support;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;
use support::http::{Reply, TestServer};

const HARBOUR: &str = "The harbour board of Port Elwin voted 7 to 2 on Tuesday to close the Sandgate ferry \
terminal for fourteen months of repairs, starting on 3 March. Chair Miriam Okafor said the 1962 pier \
was no longer safe for vehicles. Commuters will be offered a free shuttle bus to the Kessel bridge, \
a detour of 11 kilometres. The repairs are expected to cost 42 million euros, shared between the \
port and the regional government of Lower Alden.";

const HARBOUR_COPY: &str = "Port Elwin's harbour board voted 7 to 2 on Tuesday to close the Sandgate ferry \
terminal for fourteen months of repairs, starting on 3 March. Chair Miriam Okafor said the 1962 pier \
was no longer safe for vehicles. Commuters will be offered a free shuttle bus to the Kessel bridge, \
a detour of 11 kilometres. The repairs are expected to cost 42 million euros, shared between the \
port and the regional government of Lower Alden. Subscribe to our newsletter for more local news.";

const ORCHARD: &str = "Apple growers in the Tarn valley expect their smallest harvest in a decade after \
a late frost in April destroyed most of the blossom. The growers' cooperative said yields could fall \
by a third, and several cider makers have already bought fruit from neighbouring regions. \
Agronomist Paul Verrier said warmer winters make trees flower earlier and leave them exposed.";

struct Env {
    dir: tempfile::TempDir,
    config: PathBuf,
    server: TestServer,
}

impl Env {
    fn new() -> Env {
        let server = TestServer::start();
        let dir = tempfile::tempdir().expect("temp dir");
        let config = dir.path().join("storywatch.toml");
        std::fs::write(
            &config,
            format!(
                "[store]\npath = \"store\"\n\n[[feed]]\nname = \"Elwin Gazette\"\nurl = \"{}\"\ninterval = \"1s\"\n\n[notify]\ndesktop = false\n",
                server.url("/feed.xml")
            ),
        )
        .expect("write config");
        let page = |title: &str, body: &str| {
            format!(
                "<html><head><title>{title}</title><meta property=\"og:title\" content=\"{title}\">\
                 <meta property=\"article:published_time\" content=\"2026-03-01T08:00:00Z\">\
                 <meta name=\"author\" content=\"Ana Ruiz\"></head><body><nav><a href=\"/\">Home</a> \
                 <a href=\"/news\">News</a></nav><article><h1>{title}</h1><p>{body}</p></article>\
                 <footer>Contact us</footer></body></html>"
            )
        };
        server.serve_static(
            "/ferry.html",
            "text/html; charset=utf-8",
            page("Sandgate ferry terminal to close", HARBOUR),
        );
        server.serve_static(
            "/orchard.html",
            "text/html; charset=utf-8",
            page("Frost halves Tarn apple harvest", ORCHARD),
        );
        server.serve_static(
            "/feed.xml",
            "application/rss+xml",
            format!(
                "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Elwin Gazette</title><ttl>5</ttl>\
                 <item><title>Sandgate ferry terminal to close</title><link>{}</link><guid>ferry</guid><pubDate>Sun, 01 Mar 2026 08:00:00 GMT</pubDate></item>\
                 <item><title>Frost halves Tarn apple harvest</title><link>{}</link><guid>orchard</guid><pubDate>Sun, 01 Mar 2026 09:00:00 GMT</pubDate></item>\
                 </channel></rss>",
                server.url("/ferry.html?utm_source=feed"),
                server.url("/orchard.html")
            ),
        );
        Env {
            dir,
            config,
            server,
        }
    }

    fn command(&self, args: &[&str]) -> Command {
        self.command_with_config(&self.config, args)
    }

    /// A command run in this environment with another config file.
    fn command_with_config(&self, config: &Path, args: &[&str]) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_storywatch"));
        command
            .arg("--config")
            .arg(config)
            .args(args)
            .env_remove("DBUS_SESSION_BUS_ADDRESS")
            .current_dir(self.dir.path());
        command
    }

    fn output(&self, args: &[&str]) -> Output {
        self.command(args).output().expect("run storywatch")
    }

    /// Runs a command that must succeed and print one JSON document.
    fn json(&self, args: &[&str]) -> Value {
        let mut with_json = args.to_vec();
        with_json.push("--json");
        let output = self.output(&with_json);
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert!(
            output.status.success(),
            "{args:?} failed:\n{}\n{stdout}",
            String::from_utf8_lossy(&output.stderr)
        );
        serde_json::from_str(&stdout)
            .unwrap_or_else(|e| panic!("{args:?} printed no JSON ({e}):\n{stdout}"))
    }

    /// Runs a command that must fail as a usage error (exit 2) whose
    /// message says `expected`.
    fn assert_usage_error(&self, args: &[&str], expected: &str) {
        let output = self.output(args);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(expected), "{args:?}: {stderr}");
    }

    fn write(&self, name: &str, content: &str) -> PathBuf {
        let path = self.dir.path().join(name);
        std::fs::write(&path, content).expect("write input file");
        path
    }
}

fn path_str(path: &Path) -> &str {
    path.to_str().expect("utf-8 path")
}

#[test]
fn check_lists_the_feeds() {
    let env = Env::new();
    let report = env.json(&["check"]);
    assert_eq!(report["config"].as_str(), Some(path_str(&env.config)));
    assert_eq!(report["feeds"][0]["name"], "Elwin Gazette");
    assert_eq!(report["feeds"][0]["interval_seconds"], 1);
    assert!(report["store"]
        .as_str()
        .is_some_and(|s| s.ends_with("store")));
}

#[test]
fn preview_reads_a_feed_from_a_url_and_from_a_file() {
    let env = Env::new();
    let entries = env.json(&["preview", &env.server.url("/feed.xml")]);
    let entries = entries.as_array().expect("array");
    assert_eq!(entries.len(), 2);
    assert_eq!(entries[0]["id"], "ferry");
    assert_eq!(
        entries[0]["url"].as_str(),
        Some(env.server.url("/ferry.html").as_str())
    );
    let file = env.write(
        "feed.json",
        r#"{"version":"https://jsonfeed.org/version/1.1","title":"T","items":[{"id":"1","url":"https://a.example/x","title":"X","content_text":"Body"}]}"#,
    );
    let entries = env.json(&["preview", path_str(&file)]);
    assert_eq!(entries[0]["title"], "X");
    assert_eq!(entries[0]["feed_text_chars"], 4);
}

#[test]
fn preview_decodes_a_feed_by_the_charset_its_server_names() {
    let env = Env::new();
    let feed = "<rss version=\"2.0\"><channel><title>Вести</title>\
        <item><title>Мост закрыт &mdash; до весны</title><link>https://ru.example/1</link>\
        <author>desk@ru.example (Ирина Маршак)</author></item></channel></rss>";
    let (body, _, _) = encoding_rs::WINDOWS_1251.encode(feed);
    env.server.route(
        "/ru.xml",
        Reply::ok(
            "application/rss+xml; charset=windows-1251",
            body.into_owned(),
        ),
    );
    let entries = env.json(&["preview", &env.server.url("/ru.xml")]);
    assert_eq!(entries[0]["title"], "Мост закрыт — до весны", "{entries}");
    assert_eq!(entries[0]["author"], "Ирина Маршак", "{entries}");
}

#[test]
fn extract_reads_a_url_a_file_and_stdin() {
    let env = Env::new();
    let page = env.json(&["extract", &env.server.url("/ferry.html")]);
    assert_eq!(page["title"], "Sandgate ferry terminal to close");
    assert_eq!(page["author"], "Ana Ruiz");
    assert_eq!(page["language"], "en");
    assert!(page["published"]
        .as_str()
        .is_some_and(|p| p.starts_with("2026-03-01T08:00:00")));
    assert!(page["text"]
        .as_str()
        .is_some_and(|t| t.contains("Miriam Okafor") && !t.contains("Contact us")));

    let file = env.write("orchard.html", &format!("<html><head><title>Frost</title></head><body><article><p>{ORCHARD}</p></article></body></html>"));
    let page = env.json(&["extract", path_str(&file)]);
    assert!(page["text"]
        .as_str()
        .is_some_and(|t| t.contains("Tarn valley")));

    let mut child = env
        .command(&["extract", "-", "--json"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("spawn extract");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(
            format!("<html><body><article><p>{HARBOUR}</p></article></body></html>").as_bytes(),
        )
        .expect("write stdin");
    let output = child.wait_with_output().expect("extract from stdin");
    assert!(output.status.success());
    let page: Value = serde_json::from_slice(&output.stdout).expect("JSON");
    assert!(page["text"]
        .as_str()
        .is_some_and(|t| t.contains("Sandgate")));
}

/// Two article files: a harbour report and a lightly edited copy of it.
fn harbour_report_and_copy(env: &Env) -> (PathBuf, PathBuf) {
    let original = env.write(
        "original.txt",
        &format!("Sandgate ferry terminal to close\n\n{HARBOUR}\n"),
    );
    let copy = env.write(
        "copy.txt",
        &format!("Ferry terminal in Sandgate shuts for repairs\n\n{HARBOUR_COPY}\n"),
    );
    (original, copy)
}

#[test]
fn ingest_compare_and_the_store_views() {
    let env = Env::new();
    let (original, copy) = harbour_report_and_copy(&env);
    let output = env.output(&["ingest", path_str(&original), path_str(&copy), "--json"]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let lines: Vec<Value> = String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON line"))
        .collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["matched"], Value::Null);
    assert_eq!(lines[1]["relation"], "copy");
    assert_eq!(lines[1]["matched"], lines[0]["id"]);
    assert_eq!(lines[1]["story"], lines[0]["story"]);

    // Backfill: good lines are ingested, a bad one is named by file and line.
    let jsonl = env.write(
        "archive.jsonl",
        &format!(
            "{}\n{{\"title\": \"no body\"}}\n{}\n",
            serde_json::json!({"title": "Frost halves Tarn apple harvest", "text": ORCHARD, "url": "https://tarn.example/frost", "source": "Tarn Herald", "published": "2026-03-02T07:00:00Z"}),
            serde_json::json!({"title": "Orchard page", "html": format!("<html><body><article><p>{ORCHARD}</p></article></body></html>"), "source": "Valley Post", "published": "2026-03-02T09:00:00Z"}),
        ),
    );
    let output = env.output(&["ingest", "--jsonl", path_str(&jsonl), "--json"]);
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains(&format!("{}:2: skipped", jsonl.display())),
        "{stderr}"
    );
    let lines: Vec<Value> = String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON line"))
        .collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["matched"], Value::Null, "the orchard story is new");
    assert_eq!(
        lines[1]["relation"], "copy",
        "the HTML line carries the same text"
    );
    assert_eq!(lines[1]["story"], lines[0]["story"]);

    let comparison = env.json(&["compare", path_str(&original), path_str(&copy)]);
    assert_eq!(comparison["relation"], "copy");
    assert!(comparison["score"]
        .as_f64()
        .is_some_and(|s| (0.0..=1.0).contains(&s)));
    assert!(comparison["signals"]["containment"].as_f64().is_some());
    assert!(comparison["shared_entities"]
        .as_array()
        .is_some_and(|e| !e.is_empty()));
    assert!(comparison["passages"]
        .as_array()
        .is_some_and(|p| !p.is_empty()));
    let first_id = lines_id(&env, 0);
    let by_id = env.json(&[
        "compare",
        &first_id.to_string(),
        &(first_id + 1).to_string(),
    ]);
    assert_eq!(by_id["relation"], "copy");

    let articles = env.json(&["articles"]);
    assert_eq!(articles.as_array().map(Vec::len), Some(4));
    let shown = env.json(&["show", &first_id.to_string()]);
    assert_eq!(shown["title"], "Sandgate ferry terminal to close");
    let stories = env.json(&["stories"]);
    let story_id = stories[0]["id"].as_u64().expect("story id");
    assert_eq!(stories[0]["articles"].as_array().map(Vec::len), Some(2));
    let story = env.json(&["story", &story_id.to_string()]);
    assert_eq!(story["articles"][0]["relation"], "first");
    assert_eq!(story["articles"][1]["relation"], "copy");

    env.assert_usage_error(&["show", "999999"], "no stored article has id 999999");
}

/// Two files are compared with the shipped prior's term weights when no
/// store exists, and no store is created for them.
#[test]
fn compare_of_two_files_needs_no_store() {
    let env = Env::new();
    let (original, copy) = harbour_report_and_copy(&env);
    let comparison = env.json(&["compare", path_str(&original), path_str(&copy)]);
    assert_eq!(comparison["relation"], "copy", "{comparison}");
    assert_eq!(comparison["languages"], serde_json::json!(["en", "en"]));
    assert!(!env.dir.path().join("store").exists());
}

/// `compare` of a report and its translation names both languages, as
/// alerts do.
#[test]
fn compare_of_a_translation_names_both_languages() {
    const ENGLISH: &str = include_str!("../src/demo/content/articles/bridge-original.txt");
    const GERMAN: &str = include_str!("data/bridge-original.de.txt");
    let env = Env::new();
    let english = env.write(
        "bridge.txt",
        &format!("Harbour board votes to shut Wrenfield Swing Bridge to traffic\n\n{ENGLISH}"),
    );
    let (german_title, german_body) = GERMAN.split_once('\n').expect("title line");
    let german = env.write("bruecke.txt", &format!("{german_title}\n\n{german_body}"));

    let comparison = env.json(&["compare", path_str(&english), path_str(&german)]);
    assert_eq!(comparison["relation"], "copy", "{comparison}");
    assert_eq!(comparison["languages"], serde_json::json!(["en", "de"]));

    let output = env.output(&["compare", path_str(&english), path_str(&german)]);
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(
        text.contains("because:  a translation, between English and German: the same names"),
        "{text}"
    );
    assert!(
        text.contains("languages: English (A), German (B)"),
        "{text}"
    );
}

fn lines_id(env: &Env, index: usize) -> u64 {
    let articles = env.json(&["articles"]);
    let mut ids: Vec<u64> = articles
        .as_array()
        .expect("array")
        .iter()
        .filter_map(|a| a["id"].as_u64())
        .collect();
    ids.sort();
    ids[index]
}

#[test]
fn poll_once_and_feeds() {
    let env = Env::new();
    let report = env.json(&["poll", "--once"]);
    assert_eq!(report["feeds"][0]["new_entries"], 2);
    assert_eq!(report["articles"].as_array().map(Vec::len), Some(2));
    let feeds = env.json(&["feeds"]);
    let feed = &feeds[0];
    assert_eq!(feed["state"], "ok");
    assert_eq!(feed["last_status"], 200);
    assert!(feed["etag"].as_str().is_some());
    assert!(feed["next_poll"].as_str().is_some());
    let articles = env.json(&["articles"]);
    assert!(articles
        .as_array()
        .expect("array")
        .iter()
        .all(|a| !a["url"].as_str().unwrap_or("").contains("utm_")));
}

#[test]
fn a_feeds_mojibake_and_rss_author_are_stored_repaired() {
    let env = Env::new();
    env.server.route(
        "/feed.xml",
        Reply::ok(
            "application/rss+xml; charset=utf-8",
            format!(
                "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Elwin Gazette</title>\
                 <item><title>Sandgate ferry terminal to close, says Fran\u{c3}\u{a7}oise Okafor</title>\
                 <link>{}</link><guid>ferry</guid><author>desk@elwin.example (Ana Ru\u{c3}\u{ad}z)</author>\
                 </item></channel></rss>",
                env.server.url("/ferry.html")
            ),
        ),
    );
    env.json(&["poll", "--once"]);
    let articles = env.json(&["articles"]);
    let article = &articles[0];
    assert_eq!(
        article["title"], "Sandgate ferry terminal to close, says Françoise Okafor",
        "{articles}"
    );
    let shown = env.json(&["show", "1"]);
    assert_eq!(shown["author"], "Ana Ruíz", "{shown}");
}

#[test]
fn skip_patterns_pass_over_entries_without_fetching_their_pages() {
    let env = Env::new();
    let config = std::fs::read_to_string(&env.config).expect("read config");
    let with_skip = config.replace(
        "interval = \"1s\"\n",
        "interval = \"1s\"\nskip = [\"(?i)\\\\bfrost\\\\b\"]\n",
    );
    std::fs::write(&env.config, &with_skip).expect("write config");
    let preview = env.json(&["preview", &env.server.url("/feed.xml")]);
    let passed_over: Vec<bool> = preview
        .as_array()
        .expect("entries")
        .iter()
        .map(|e| e["passed_over"].as_bool().unwrap_or(false))
        .collect();
    assert_eq!(passed_over, vec![false, true], "{preview}");
    let report = env.json(&["poll", "--once"]);
    assert_eq!(report["articles"].as_array().map(Vec::len), Some(1));
    assert!(env.server.requests_to("/orchard.html").is_empty());
    assert_eq!(env.server.requests_to("/ferry.html").len(), 1);
    // Passed over for good: with the pattern gone and the feed changed
    // (a new ETag), the entry is still known and not fetched.
    std::fs::write(&env.config, &config).expect("write config");
    env.server.serve_static(
        "/feed.xml",
        "application/rss+xml",
        format!(
            "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Elwin Gazette</title>\
             <item><title>Frost halves Tarn apple harvest</title><link>{}</link><guid>orchard</guid></item>\
             </channel></rss>",
            env.server.url("/orchard.html")
        ),
    );
    let again = env.json(&["poll", "--once"]);
    assert_eq!(again["articles"].as_array().map(Vec::len), Some(0));
    assert!(env.server.requests_to("/orchard.html").is_empty());
}

/// While `storywatch run` holds the store (sled lets one process open it),
/// the read-only commands get their answers from the daemon over its
/// control socket; commands that would write are refused.
#[test]
fn run_answers_the_read_only_commands_until_sigterm() {
    let env = Env::new();
    let daemon = env
        .command(&["run"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start daemon");
    let socket = env.dir.path().join("store").join("control.sock");
    let deadline = Instant::now() + Duration::from_secs(20);
    let mut articles = Value::Null;
    while Instant::now() < deadline {
        if socket.exists() {
            articles = env.json(&["articles"]);
            if articles.as_array().map(Vec::len) == Some(2) {
                break;
            }
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    assert_eq!(articles.as_array().map(Vec::len), Some(2), "{articles}");

    let feeds = env.json(&["feeds"]);
    assert_eq!(feeds[0]["name"], "Elwin Gazette");
    assert_eq!(feeds[0]["state"], "ok");
    assert_eq!(feeds[0]["last_status"], 200);
    let id = articles[0]["id"].as_u64().expect("article id");
    let shown = env.json(&["show", &id.to_string()]);
    assert_eq!(shown["title"], articles[0]["title"]);
    assert!(shown["text"].as_str().is_some_and(|t| !t.is_empty()));
    let story = env.json(&["story", &articles[0]["story"].to_string()]);
    assert_eq!(story["articles"][0]["id"], id);
    let followed = env.json(&["follow", &articles[0]["story"].to_string()]);
    assert_eq!(followed["changed"], true);
    let stories = env.json(&["stories", "--all"]);
    assert_eq!(stories.as_array().map(Vec::len), Some(2));
    let following = env.json(&["stories", "--followed"]);
    assert_eq!(following[0]["id"], articles[0]["story"]);
    let text = env.output(&["stories", "--all"]);
    assert!(String::from_utf8_lossy(&text.stdout).contains("Frost halves Tarn apple harvest"));

    env.assert_usage_error(&["show", "999"], "no stored article has id 999");

    // `compare` with stored ids is answered too, a file beside an id as
    // well; the answer is the one the free store gives after the daemon.
    let other = articles[1]["id"].as_u64().expect("article id");
    let (id_arg, other_arg) = (id.to_string(), other.to_string());
    let stored_pair = env.json(&["compare", &id_arg, &other_arg]);
    assert!(stored_pair["score"].as_f64().is_some(), "{stored_pair}");
    let copy = env.write(
        "copy.txt",
        &format!(
            "{}\n\n{}",
            shown["title"].as_str().unwrap_or_default(),
            shown["text"].as_str().unwrap_or_default()
        ),
    );
    let with_file = env.json(&["compare", &id_arg, path_str(&copy)]);
    assert_eq!(with_file["relation"], "copy", "{with_file}");
    let other_copy = env.write(
        "other.txt",
        &format!("Tarn harvest and Sandgate ferry\n\n{ORCHARD}\n\n{HARBOUR}\n"),
    );
    let two_files = env.json(&["compare", path_str(&copy), path_str(&other_copy)]);
    let no_store = env.dir.path().join("no-store").display().to_string();
    let with_prior = env.json(&[
        "--store",
        &no_store,
        "compare",
        path_str(&copy),
        path_str(&other_copy),
    ]);
    assert_ne!(
        two_files["signals"]["terms"], with_prior["signals"]["terms"],
        "two files are weighed by the store's frequencies while it exists"
    );
    env.assert_usage_error(&["compare", "999", &id_arg], "no stored article has id 999");

    let store_path = env.dir.path().join("store").display().to_string();
    for writer in [&["run"][..], &["poll", "--once"]] {
        let refused = env.output(writer);
        assert_eq!(refused.status.code(), Some(1), "{writer:?}");
        let stderr = String::from_utf8_lossy(&refused.stderr);
        assert!(
            stderr.contains("is locked") && stderr.contains(&store_path),
            "{writer:?}: {stderr}"
        );
    }

    terminate(&daemon);
    let output = daemon.wait_with_output().expect("daemon exits");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(!socket.exists(), "the control socket outlived the daemon");
    assert_eq!(env.json(&["articles"]), articles);
    assert_eq!(env.json(&["stories", "--all"]), stories);
    assert_eq!(env.json(&["compare", &id_arg, &other_arg]), stored_pair);
    assert_eq!(env.json(&["compare", &id_arg, path_str(&copy)]), with_file);
    assert_eq!(
        env.json(&["compare", path_str(&copy), path_str(&other_copy)]),
        two_files
    );
}

/// `storywatch extract page.html | head` must end quietly: the default
/// action of SIGPIPE, not a panic in `println!`.
#[test]
fn a_closed_output_pipe_ends_a_report_quietly() {
    use std::os::unix::process::ExitStatusExt;

    let env = Env::new();
    // More text than a pipe buffers, so the write meets the closed pipe
    // whenever the reader goes.
    let paragraph = format!("<p>{}</p>", HARBOUR);
    let page = env.write(
        "long.html",
        &format!(
            "<html><head><title>Long</title></head><body><article><h1>Long</h1>{}</article></body></html>",
            paragraph.repeat(400)
        ),
    );
    let mut child = env
        .command(&["extract", path_str(&page)])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start extract");
    drop(child.stdout.take());
    let output = child.wait_with_output().expect("extract exits");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(output.status.signal(), Some(libc::SIGPIPE), "{stderr}");
}

/// With `[notify] scope = "ours"`, alerts are about the editor's own
/// reporting turning up elsewhere and about followed stories; another
/// outlet's copy of someone else's story stays quiet until it is followed.
#[test]
fn scope_ours_alerts_on_our_reporting_and_followed_stories() {
    let env = Env::new();
    let alerts = env.dir.path().join("alerts.jsonl");
    let serve_feed = |path: &str, title: &str, items: &[(&str, &str, &str)]| {
        let items: String = items
            .iter()
            .map(|(guid, headline, page)| {
                format!(
                    "<item><title>{headline}</title><link>{}</link><guid>{guid}</guid>\
                     <pubDate>Sun, 01 Mar 2026 10:00:00 GMT</pubDate></item>",
                    env.server.url(page)
                )
            })
            .collect();
        env.server.serve_static(
            path,
            "application/rss+xml",
            format!("<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>{title}</title>{items}</channel></rss>"),
        );
    };
    let serve_page = |path: &str, body: &str| {
        env.server.serve_static(
            path,
            "text/html; charset=utf-8",
            format!("<html><body><article><p>{body}</p></article></body></html>"),
        );
    };
    serve_page(
        "/orchard-copy-1.html",
        &ORCHARD.replace("decade", "generation"),
    );
    serve_page(
        "/orchard-copy-2.html",
        &ORCHARD.replace("April", "early April"),
    );
    serve_page("/ferry-copy.html", HARBOUR_COPY);
    serve_feed(
        "/feed.xml",
        "Elwin Gazette",
        &[("ferry", "Sandgate ferry terminal to close", "/ferry.html")],
    );
    serve_feed(
        "/courier.xml",
        "Tarn Courier",
        &[("frost", "Frost halves Tarn apple harvest", "/orchard.html")],
    );
    serve_feed("/wire.xml", "Coast Wire", &[]);
    std::fs::write(
        &env.config,
        format!(
            "[store]\npath = \"store\"\n\n\
             [[feed]]\nname = \"Elwin Gazette\"\nurl = \"{}\"\nours = true\n\n\
             [[feed]]\nname = \"Tarn Courier\"\nurl = \"{}\"\n\n\
             [[feed]]\nname = \"Coast Wire\"\nurl = \"{}\"\n\n\
             [notify]\ndesktop = false\nscope = \"ours\"\ncommand = [\"/bin/sh\", \"-c\", \"cat >> '{}'\"]\n",
            env.server.url("/feed.xml"),
            env.server.url("/courier.xml"),
            env.server.url("/wire.xml"),
            alerts.display()
        ),
    )
    .expect("write config");
    let raised = || -> Vec<Value> {
        std::fs::read_to_string(&alerts)
            .unwrap_or_default()
            .lines()
            .map(|line| serde_json::from_str(line).expect("alert JSON"))
            .collect()
    };

    let first = env.json(&["poll", "--once"]);
    assert_eq!(
        first["articles"].as_array().map(Vec::len),
        Some(2),
        "{first}"
    );
    assert!(raised().is_empty());

    serve_feed(
        "/wire.xml",
        "Coast Wire",
        &[("w1", "Ferry terminal shuts", "/ferry-copy.html")],
    );
    env.json(&["poll", "--once"]);
    let after_ferry = raised();
    assert_eq!(after_ferry.len(), 1, "{after_ferry:?}");
    assert_eq!(after_ferry[0]["relation"], "copy");
    assert_eq!(after_ferry[0]["ours"], true);
    assert_eq!(after_ferry[0]["article"]["source"], "Coast Wire");

    serve_feed(
        "/wire.xml",
        "Coast Wire",
        &[
            ("w1", "Ferry terminal shuts", "/ferry-copy.html"),
            ("w2", "Tarn harvest hit by frost", "/orchard-copy-1.html"),
        ],
    );
    let copy = env.json(&["poll", "--once"]);
    assert_eq!(copy["articles"][0]["relation"], "copy", "{copy}");
    assert_eq!(
        raised().len(),
        1,
        "someone else's story alerted before it was followed"
    );

    let story = copy["articles"][0]["story"].as_u64().expect("story id");
    let followed = env.json(&["follow", &story.to_string()]);
    assert_eq!(followed["story"], story);
    assert_eq!(followed["changed"], true);
    serve_feed(
        "/wire.xml",
        "Coast Wire",
        &[
            ("w1", "Ferry terminal shuts", "/ferry-copy.html"),
            ("w2", "Tarn harvest hit by frost", "/orchard-copy-1.html"),
            ("w3", "Frost and the Tarn orchards", "/orchard-copy-2.html"),
        ],
    );
    env.json(&["poll", "--once"]);
    let all = raised();
    assert_eq!(all.len(), 2, "{all:?}");
    assert_eq!(all[1]["story"], story);
    assert_eq!(all[1]["followed"], true);
    assert_eq!(all[1]["ours"], false);

    let listed = env.json(&["stories", "--followed"]);
    assert_eq!(listed.as_array().map(Vec::len), Some(1), "{listed}");
    assert_eq!(listed[0]["followed"], true);
    assert_eq!(listed[0]["articles"].as_array().map(Vec::len), Some(3));
    let unfollowed = env.json(&["unfollow", &story.to_string()]);
    assert_eq!(unfollowed["changed"], true);
    assert_eq!(env.json(&["stories", "--followed"]), serde_json::json!([]));
    env.assert_usage_error(&["follow", "999"], "no story has id 999");
}

/// `storywatch run` under systemd's `Type=notify`: a real notification
/// socket receives readiness, status after each ingest, watchdog pings and
/// the stop.
#[test]
fn run_tells_systemd_it_is_ready_alive_and_stopping() {
    use std::os::unix::net::UnixDatagram;

    let env = Env::new();
    let socket_path = env.dir.path().join("notify.sock");
    let socket = UnixDatagram::bind(&socket_path).expect("bind notify socket");
    socket
        .set_read_timeout(Some(Duration::from_millis(200)))
        .expect("socket timeout");
    let mut messages: Vec<String> = Vec::new();
    let receive_until = |done: &dyn Fn(&[String]) -> bool, messages: &mut Vec<String>| {
        let deadline = Instant::now() + Duration::from_secs(20);
        let mut buffer = [0u8; 4096];
        while !done(messages) && Instant::now() < deadline {
            if let Ok(len) = socket.recv(&mut buffer) {
                messages.push(String::from_utf8_lossy(&buffer[..len]).into_owned());
            }
        }
    };
    let daemon = env
        .command(&["run"])
        .env("NOTIFY_SOCKET", &socket_path)
        .env("WATCHDOG_USEC", "400000")
        .env_remove("WATCHDOG_PID")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start daemon");
    let has = |messages: &[String], needle: &str| messages.iter().any(|m| m.contains(needle));
    receive_until(
        &|m| has(m, "READY=1") && has(m, "WATCHDOG=1") && has(m, "2 articles ingested since start"),
        &mut messages,
    );
    assert!(
        has(&messages, "READY=1\nSTATUS=watching 1 feeds"),
        "{messages:?}"
    );
    assert!(has(&messages, "WATCHDOG=1"), "{messages:?}");
    assert!(
        has(&messages, "2 articles ingested since start; last poll"),
        "{messages:?}"
    );

    terminate(&daemon);
    receive_until(&|m| has(m, "STOPPING=1"), &mut messages);
    assert!(has(&messages, "STOPPING=1"), "{messages:?}");
    let output = daemon.wait_with_output().expect("daemon exits");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// Sends SIGTERM, as systemd does on stop.
fn terminate(daemon: &std::process::Child) {
    let status = Command::new("kill")
        .args(["-TERM", &daemon.id().to_string()])
        .status()
        .expect("send SIGTERM");
    assert!(status.success());
}

#[test]
fn demo_runs_offline_and_finds_the_story() {
    let env = Env::new();
    let stories = env.json(&["demo", "--wave-seconds", "1"]);
    let stories = stories.as_array().expect("stories");
    assert_eq!(stories.len(), 1, "{stories:?}");
    assert_eq!(stories[0]["articles"].as_array().map(Vec::len), Some(4));
}

#[test]
fn every_eval_prints_json_when_the_data_is_present() {
    let Some(shared) =
        support::shared_data("seeds").and_then(|s| s.parent().map(Path::to_path_buf))
    else {
        return;
    };
    let env = Env::new();
    let data = |relative: &str| shared.join(relative).display().to_string();
    let seeds = env.json(&["eval", "seeds", &data("seeds")]);
    assert!(seeds.is_object(), "{seeds}");
    let matching = "eval/matching";
    let semeval = env.json(&[
        "eval",
        "semeval",
        &data(&format!("{matching}/semeval2022-task8-train.csv")),
    ]);
    assert!(semeval.is_object(), "{semeval}");
    let clough = env.json(&[
        "eval",
        "clough",
        &data(&format!("{matching}/clough-stevenson")),
    ]);
    assert!(clough.is_object(), "{clough}");
    let wikiref = env.json(&[
        "eval",
        "wikiref",
        &data(&format!("{matching}/wikiref/WikiRef220")),
    ]);
    assert!(wikiref.is_object(), "{wikiref}");
    // Extraction over a two-page copy of the benchmark layout keeps this quick.
    let source = shared.join("eval/extraction/wcxb-dev-articles");
    let pages = env.dir.path().join("wcxb");
    for sub in ["html", "ground-truth"] {
        std::fs::create_dir_all(pages.join(sub)).expect("create dir");
    }
    let mut truths: Vec<PathBuf> = std::fs::read_dir(source.join("ground-truth"))
        .expect("list ground truth")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    truths.sort();
    for truth in truths.iter().take(2) {
        let stem = truth
            .file_stem()
            .and_then(|s| s.to_str())
            .expect("page number");
        std::fs::copy(
            truth,
            pages.join("ground-truth").join(format!("{stem}.json")),
        )
        .expect("copy truth");
        let html = format!("{stem}.html.gz");
        std::fs::copy(
            source.join("html").join(&html),
            pages.join("html").join(&html),
        )
        .expect("copy page");
    }
    let extraction = env.json(&["eval", "extraction", path_str(&pages)]);
    assert!(extraction.is_object(), "{extraction}");
}

#[test]
fn bad_usage_exits_with_2() {
    let env = Env::new();
    assert_eq!(env.output(&["poll"]).status.code(), Some(2));
    assert_eq!(env.output(&["frobnicate"]).status.code(), Some(2));
    env.assert_usage_error(
        &["extract", "/nonexistent/page.html"],
        "/nonexistent/page.html",
    );
}

/// Runs `args` with `config` and stderr in a file, optionally announced to
/// the program as systemd's journal stream, and returns what it logged.
fn logged_to_file(env: &Env, config: &Path, args: &[&str], as_journal: bool) -> String {
    use std::os::unix::fs::MetadataExt;

    let log_path = env.dir.path().join("stderr.log");
    let log = std::fs::File::create(&log_path).expect("create log file");
    let meta = log.metadata().expect("stat log file");
    let mut command = env.command_with_config(config, args);
    command.stdout(Stdio::null()).stderr(log);
    if as_journal {
        command.env("JOURNAL_STREAM", format!("{}:{}", meta.dev(), meta.ino()));
    } else {
        command.env_remove("JOURNAL_STREAM");
    }
    command.status().expect("run storywatch");
    std::fs::read_to_string(&log_path).expect("read log file")
}

#[test]
fn logs_carry_journal_priorities_on_the_journal_and_no_colour_codes_anywhere() {
    let env = Env::new();
    let broken_feed = env.write(
        "broken-feed.toml",
        &format!(
            "[store]\npath = \"store\"\n\n[[feed]]\nname = \"Gone\"\nurl = \"{}\"\n\n[notify]\ndesktop = false\n",
            env.server.url("/no-such-feed.xml")
        ),
    );
    let poll = ["poll", "--once"];

    let journal = logged_to_file(&env, &broken_feed, &poll, true);
    let warning = journal
        .lines()
        .find(|line| line.contains("poll failed"))
        .unwrap_or_else(|| panic!("no poll warning logged:\n{journal}"));
    // The journal stamps lines itself: no timestamp of our own.
    assert!(
        warning.starts_with("<4>storywatch::"),
        "a warning opens with priority 4 and the module: {warning}"
    );
    assert!(warning.contains("no-such-feed.xml"), "{warning}");

    let bad_config = env.write("bad.toml", "[fetch]\ntimout = \"3s\"\n");
    let fatal = logged_to_file(&env, &bad_config, &["check"], true);
    assert!(
        fatal.starts_with("<3>storywatch: ") && fatal.contains("bad.toml:2"),
        "the error that ends the program is an error on the journal: {fatal}"
    );

    let plain = logged_to_file(&env, &broken_feed, &poll, false);
    assert!(
        plain.contains("WARN") && plain.contains("poll failed"),
        "{plain}"
    );
    for (place, log) in [("journal", &journal), ("file", &plain)] {
        assert!(
            !log.contains('\u{1b}'),
            "colour codes in the {place} log: {log}"
        );
    }
    assert!(!plain.starts_with('<'), "{plain}");
}

#[test]
fn an_alert_for_a_translation_names_both_languages() {
    const ENGLISH: &str = include_str!("../src/demo/content/articles/bridge-original.txt");
    const GERMAN: &str = include_str!("data/bridge-original.de.txt");
    let env = Env::new();
    let page = |lang: &str, title: &str, body: &str, published: &str| {
        let paragraphs: String = body
            .split("\n\n")
            .map(|p| format!("<p>{}</p>", p.trim()))
            .collect();
        format!(
            "<html lang=\"{lang}\"><head><title>{title}</title>\
             <meta property=\"article:published_time\" content=\"{published}\"></head>\
             <body><article><h1>{title}</h1>{paragraphs}</article></body></html>"
        )
    };
    let english_title = "Harbour board votes to shut Wrenfield Swing Bridge to traffic";
    let (german_title, german_body) = GERMAN.split_once('\n').expect("title line");
    env.server.serve_static(
        "/bridge.html",
        "text/html; charset=utf-8",
        page("en", english_title, ENGLISH, "2026-03-02T08:00:00Z"),
    );
    env.server.serve_static(
        "/bruecke.html",
        "text/html; charset=utf-8",
        page("de", german_title, german_body, "2026-03-02T11:00:00Z"),
    );
    env.server.serve_static(
        "/bridges.xml",
        "application/rss+xml",
        format!(
            "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Bridges</title>\
             <item><title>{english_title}</title><link>{}</link><guid>en</guid><pubDate>Mon, 02 Mar 2026 08:00:00 GMT</pubDate></item>\
             <item><title>{german_title}</title><link>{}</link><guid>de</guid><pubDate>Mon, 02 Mar 2026 11:00:00 GMT</pubDate></item>\
             </channel></rss>",
            env.server.url("/bridge.html"),
            env.server.url("/bruecke.html")
        ),
    );
    let alerts = env.dir.path().join("alerts.jsonl");
    let config = env.write(
        "bridges.toml",
        &format!(
            "[store]\npath = \"bridge-store\"\n\n[[feed]]\nname = \"Bridges\"\nurl = \"{}\"\n\n\
             [notify]\ndesktop = false\ncommand = [\"/bin/sh\", \"-c\", \"cat >> '{}'; echo >> '{}'\"]\n",
            env.server.url("/bridges.xml"),
            alerts.display(),
            alerts.display()
        ),
    );
    let output = env
        .command_with_config(&config, &["poll", "--once", "--json"])
        .output()
        .expect("run storywatch");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let written = std::fs::read_to_string(&alerts).expect("the alert command ran");
    let alert: Value = written
        .lines()
        .find(|line| !line.trim().is_empty())
        .and_then(|line| serde_json::from_str(line).ok())
        .unwrap_or_else(|| panic!("no alert JSON in {written:?}"));
    assert_eq!(alert["relation"], "copy", "{alert}");
    assert_eq!(
        alert["why"][0].as_str().unwrap_or_default(),
        "a translation from English into German: the same names, numbers and cognates in the same order",
        "{alert}"
    );
}

#[test]
fn wikiref_refuses_a_folder_without_its_topics_and_names_the_one_inside() {
    let env = Env::new();
    let outer = env.dir.path().join("wikiref");
    let inner = outer.join("WikiRef220");
    std::fs::create_dir_all(&inner).expect("create dirs");
    std::fs::write(outer.join("readme.txt"), "About the corpus.").expect("write readme");
    std::fs::write(inner.join("ferries.1.txt"), HARBOUR).expect("write article");
    let output = env.output(&["eval", "wikiref", &outer.display().to_string()]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("1 .txt file(s) in 1 topic(s)")
            && stderr.contains(&format!("did you mean {}?", inner.display())),
        "{stderr}"
    );
}
