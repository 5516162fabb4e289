//! Alerts through real sinks: a private dbus-daemon with a recording
//! notification server, and real programs as the command sink.

mod support;

use std::future::Future;
use std::io::Write;
use std::path::Path;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use storywatch::config::{AlertLevel, CommandSpec, NotifyConfig};
use storywatch::notify::{Alert, AlertArticle, AlertRelation, Notifier, NotifyError};
use support::dbus::DesktopBus;

/// notify-rust reads DBUS_SESSION_BUS_ADDRESS when it connects, and the
/// tests in this file run on parallel threads of one process: each test
/// holds this lock while its address is set.
static BUS_ENV: Mutex<()> = Mutex::new(());

fn with_bus_address<F: Future>(address: &str, test: F) -> F::Output {
    let _env = BUS_ENV.lock().unwrap_or_else(PoisonError::into_inner);
    std::env::set_var("DBUS_SESSION_BUS_ADDRESS", address);
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("test runtime")
        .block_on(test)
}

fn article(id: u64, source: &str, title: &str) -> AlertArticle {
    AlertArticle {
        id,
        url: Some(format!(
            "https://{}.example/news/{id}",
            source.to_lowercase()
        )),
        title: title.to_owned(),
        source: source.to_owned(),
        published: "2025-10-14T18:30:00Z".parse().ok(),
    }
}

fn alert(relation: AlertRelation, title: &str) -> Alert {
    Alert {
        article: article(7, "Tidewater", title),
        relation,
        score: 0.81,
        story: 2,
        earlier: vec![
            article(1, "Courier", "Harbour board votes to shut Wrenfield bridge"),
            article(
                4,
                "Westshore",
                "Wrenfield bridge closure: what drivers need to know",
            ),
        ],
        why: vec!["shared: Wrenfield, Ines Albrecht, 18.4 million".to_owned()],
        ours: false,
        followed: false,
    }
}

fn config(desktop: bool, min_relation: AlertLevel, command: Option<Vec<&str>>) -> NotifyConfig {
    NotifyConfig {
        desktop,
        min_relation,
        command: command
            .map(|argv| CommandSpec::WithArgs(argv.into_iter().map(String::from).collect())),
        ..NotifyConfig::default()
    }
}

/// argv for a program that appends its stdin to `file`: a shell runs it,
/// but only as the program storywatch starts, never to parse alert text.
fn append_stdin_to(file: &Path) -> Vec<&str> {
    vec![
        "sh",
        "-c",
        "cat >> \"$0\"",
        file.to_str().expect("utf-8 temp path"),
    ]
}

fn read_lines(file: &Path) -> Vec<serde_json::Value> {
    std::fs::read_to_string(file)
        .unwrap_or_default()
        .lines()
        .map(|line| serde_json::from_str(line).expect("each line is one JSON object"))
        .collect()
}

#[test]
fn an_alert_becomes_one_desktop_notification() {
    let bus = DesktopBus::start();
    let notifier = Notifier::new(&config(true, AlertLevel::SameStory, None));
    let errors = with_bus_address(bus.address(), async {
        notifier
            .send(&alert(AlertRelation::Rewrite, "Wrenfield bridge to close"))
            .await
    });
    assert!(errors.is_empty(), "{errors:?}");

    let calls = bus.calls();
    assert_eq!(calls.len(), 1, "{calls:#?}");
    let call = &calls[0];
    assert_eq!(call.app_name, "storywatch");
    assert_eq!(
        call.summary,
        "Rewrite spotted — Tidewater: Wrenfield bridge to close"
    );
    assert!(
        call.body.starts_with("Earlier in this story:\n"),
        "{}",
        call.body
    );
    assert!(call
        .body
        .contains("Courier: Harbour board votes to shut Wrenfield bridge (2025-10-14 18:30)"));
    assert!(call
        .body
        .contains("Westshore: Wrenfield bridge closure: what drivers need to know"));
    assert!(call.body.contains("Match 81%"));
    assert_eq!(call.action_keys(), ["default", "open"]);
    assert_eq!(call.actions[1], "Open");
}

#[test]
fn the_open_action_opens_the_new_articles_link() {
    let bus = DesktopBus::start();
    let dir = tempfile::tempdir().expect("temp dir");
    let opened = dir.path().join("opened");
    let opener = [
        "sh",
        "-c",
        "printf '%s\\n' \"$1\" > \"$0\"",
        opened.to_str().expect("utf-8"),
    ]
    .map(String::from)
    .to_vec();
    let notifier = Notifier::new(&NotifyConfig {
        open_with: opener,
        ..config(true, AlertLevel::SameStory, None)
    });
    let alert = alert(AlertRelation::Copy, "Wrenfield bridge to close");

    with_bus_address(bus.address(), async {
        assert!(notifier.send(&alert).await.is_empty());
        let call = bus.calls().pop().expect("one Notify call");
        // The click may come before the notifier's background task listens
        // for it, so click until the link opens, as a user would.
        let deadline = Instant::now() + Duration::from_secs(10);
        while !opened.exists() && Instant::now() < deadline {
            bus.invoke_action(&call, "open")
                .await
                .expect("emit ActionInvoked");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    });
    // The opener writes its file after it was spawned; give it a moment.
    let deadline = Instant::now() + Duration::from_secs(5);
    let mut written = String::new();
    while written.is_empty() && Instant::now() < deadline {
        written = std::fs::read_to_string(&opened).unwrap_or_default();
        std::thread::sleep(Duration::from_millis(20));
    }
    assert_eq!(written.trim(), alert.article.url.as_deref().unwrap());
}

#[test]
fn min_relation_drops_weaker_relations() {
    let bus = DesktopBus::start();
    let only_copies = Notifier::new(&config(true, AlertLevel::Copy, None));
    let rewrites = Notifier::new(&config(true, AlertLevel::Rewrite, None));
    with_bus_address(bus.address(), async {
        for relation in [
            AlertRelation::SameStory,
            AlertRelation::Rewrite,
            AlertRelation::Copy,
        ] {
            let title = format!("{relation} for copies-only");
            assert!(only_copies.send(&alert(relation, &title)).await.is_empty());
            let title = format!("{relation} for rewrites");
            assert!(rewrites.send(&alert(relation, &title)).await.is_empty());
        }
    });
    let summaries: Vec<String> = bus.calls().into_iter().map(|call| call.summary).collect();
    assert_eq!(
        summaries,
        [
            "Rewrite spotted — Tidewater: rewrite for rewrites",
            "Copy spotted — Tidewater: copy for copies-only",
            "Copy spotted — Tidewater: copy for rewrites",
        ]
    );
}

#[test]
fn the_command_gets_each_alert_as_json_on_stdin_without_a_shell() {
    let dir = tempfile::tempdir().expect("temp dir");
    let received = dir.path().join("alerts.jsonl");
    let planted = dir.path().join("planted");
    let notifier = Notifier::new(&config(
        false,
        AlertLevel::SameStory,
        Some(append_stdin_to(&received)),
    ));
    // Shell syntax in a title must arrive as text, never run.
    let hostile = format!(
        "Bridge $(touch {}) `id` \"quoted\" & more",
        planted.display()
    );
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    runtime.block_on(async {
        assert!(notifier
            .send(&alert(AlertRelation::SameStory, &hostile))
            .await
            .is_empty());
        assert!(notifier
            .send(&alert(AlertRelation::Copy, "Second"))
            .await
            .is_empty());
    });

    let alerts = read_lines(&received);
    assert_eq!(alerts.len(), 2);
    assert_eq!(alerts[0]["article"]["title"], hostile.as_str());
    assert_eq!(alerts[0]["relation"], "same_story");
    assert_eq!(
        alerts[0]["article"]["url"],
        "https://tidewater.example/news/7"
    );
    assert_eq!(alerts[0]["story"], 2);
    assert_eq!(
        alerts[0]["earlier"][1]["url"],
        "https://westshore.example/news/4"
    );
    assert_eq!(alerts[0]["earlier"][0]["published"], "2025-10-14T18:30:00Z");
    assert_eq!(alerts[1]["relation"], "copy");
    assert!(!planted.exists(), "the alert title was run by a shell");
    let parsed: Alert =
        serde_json::from_value(alerts[1].clone()).expect("JSON reads back as an Alert");
    assert_eq!(parsed, alert(AlertRelation::Copy, "Second"));
}

#[test]
fn a_failing_command_does_not_stop_the_desktop() {
    let bus = DesktopBus::start();
    let failing = Notifier::new(&config(
        true,
        AlertLevel::SameStory,
        Some(vec!["sh", "-c", "echo 'disk full' >&2; exit 3"]),
    ));
    let missing = Notifier::new(&config(
        true,
        AlertLevel::SameStory,
        Some(vec!["/nonexistent/storywatch-hook"]),
    ));
    let (failed, not_found) = with_bus_address(bus.address(), async {
        (
            failing.send(&alert(AlertRelation::Copy, "One")).await,
            missing.send(&alert(AlertRelation::Copy, "Two")).await,
        )
    });

    match failed.as_slice() {
        [NotifyError::CommandFailed {
            program,
            status,
            stderr,
        }] => {
            assert_eq!(program, "sh");
            assert_eq!(status.code(), Some(3));
            assert_eq!(stderr, "disk full");
        }
        other => panic!("expected one CommandFailed, got {other:?}"),
    }
    assert!(failed[0].to_string().contains("disk full"), "{}", failed[0]);
    match not_found.as_slice() {
        [NotifyError::CommandSpawn { program, .. }] => {
            assert_eq!(program, "/nonexistent/storywatch-hook")
        }
        other => panic!("expected one CommandSpawn, got {other:?}"),
    }
    assert_eq!(bus.calls().len(), 2, "desktop got both alerts");
}

#[test]
fn a_hung_command_is_killed_after_its_timeout() {
    let notifier = Notifier::new(&NotifyConfig {
        command_timeout: Duration::from_millis(300),
        ..config(false, AlertLevel::SameStory, Some(vec!["sleep", "30"]))
    });
    let started = Instant::now();
    let errors = tokio::runtime::Runtime::new()
        .expect("runtime")
        .block_on(notifier.send(&alert(AlertRelation::Copy, "Slow")));
    assert!(started.elapsed() < Duration::from_secs(10));
    assert!(
        matches!(errors.as_slice(), [NotifyError::CommandTimeout { .. }]),
        "{errors:?}"
    );
}

#[derive(Clone, Default)]
struct CapturedLog(Arc<Mutex<Vec<u8>>>);

impl Write for CapturedLog {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[test]
fn without_a_session_bus_one_warning_and_the_command_still_runs() {
    let dir = tempfile::tempdir().expect("temp dir");
    let received = dir.path().join("alerts.jsonl");
    let no_bus = format!("unix:path={}", dir.path().join("no-such-bus").display());
    let notifier = Notifier::new(&config(
        true,
        AlertLevel::SameStory,
        Some(append_stdin_to(&received)),
    ));
    let log = CapturedLog::default();
    let writer = log.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();

    let results = {
        // The sink warns from the task block_on polls, on this thread.
        let _log = tracing::subscriber::set_default(subscriber);
        with_bus_address(&no_bus, async {
            let mut results = Vec::new();
            for n in 0..3 {
                results.push(
                    notifier
                        .send(&alert(AlertRelation::Copy, &format!("Alert {n}")))
                        .await,
                );
            }
            results
        })
    };

    assert!(results.iter().all(Vec::is_empty), "{results:?}");
    assert_eq!(
        read_lines(&received).len(),
        3,
        "the command got every alert"
    );
    let log =
        String::from_utf8_lossy(&log.0.lock().unwrap_or_else(PoisonError::into_inner)).into_owned();
    let warnings: Vec<&str> = log.lines().filter(|line| line.contains("WARN")).collect();
    assert_eq!(warnings.len(), 1, "{log}");
    assert!(
        warnings[0].contains("DBUS_SESSION_BUS_ADDRESS=unix:path="),
        "{log}"
    );
    assert!(
        warnings[0].contains("desktop notifications are off"),
        "{log}"
    );
}
