//! `storywatch demo`: the real daemon against the bundled demo site, in a
//! temporary store, with alerts on the desktop and the terminal.

use std::io::Write;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use super::inspect::print_story;
use super::{print_json, runtime, CommonArgs};
use crate::config::{
    AlertLevel, Config, FeedConfig, FetchConfig, MatchConfig, NotifyConfig, StoreConfig,
};
use crate::daemon::{views, Daemon};
use crate::demo::DemoSite;
use crate::notify::Notifier;
use crate::store::Store;

/// A temporary store directory, removed when the demo ends.
struct TemporaryDir(PathBuf);

impl Drop for TemporaryDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

pub fn run(common: &CommonArgs, wave_seconds: u64) -> anyhow::Result<()> {
    let stamp = chrono::Utc::now().timestamp_millis();
    let dir = TemporaryDir(
        std::env::temp_dir().join(format!("storywatch-demo-{}-{stamp}", std::process::id())),
    );
    // Not locked: the terminal alert sink writes to stdout meanwhile.
    let mut out = std::io::stdout();
    let runtime = runtime()?;
    let store = runtime.block_on(async {
        let site = crate::demo::serve().await?;
        let poll_every = Duration::from_secs(wave_seconds.clamp(1, 60));
        let config = demo_config(&site, dir.0.clone(), poll_every);
        let store = Store::open(&dir.0)?;
        if !common.json {
            writeln!(
                out,
                "storywatch demo: four invented outlets at {}",
                site.base_url()
            )?;
            for feed in &site.feeds {
                writeln!(out, "  {:<26} {:<9} {}", feed.name, feed.format, feed.url)?;
            }
            writeln!(
                out,
                "Polling every {}s; new articles arrive in waves. Ctrl-C stops.\n",
                poll_every.as_secs()
            )?;
        }
        let notifier = Notifier::new(&config.notify).with_terminal(!common.json);
        let daemon = Arc::new(Daemon::new(config, store.clone(), notifier)?);
        site.release_waves_automatically(poll_every);
        daemon.run(finished(&site, poll_every)).await?;
        anyhow::Ok(store)
    })?;
    let found = views::stories(&store, usize::MAX, false)?;
    if common.json {
        return print_json(&found);
    }
    writeln!(out, "\nStories found:")?;
    for view in &found {
        print_story(&mut out, view)?;
    }
    writeln!(
        out,
        "\nThat was the demo. `storywatch run` watches the feeds in your config the same way."
    )?;
    Ok(())
}

fn demo_config(site: &DemoSite, store: PathBuf, poll_every: Duration) -> Config {
    let feeds = site
        .feeds
        .iter()
        .map(|feed| FeedConfig {
            name: Some(feed.name.clone()),
            interval: Some(poll_every),
            tags: vec!["demo".to_owned()],
            ..FeedConfig::at(feed.url.clone())
        })
        .collect();
    Config {
        store: StoreConfig { path: Some(store) },
        fetch: FetchConfig {
            default_interval: poll_every,
            ..FetchConfig::default()
        },
        feeds,
        opml: Vec::new(),
        matching: MatchConfig::default(),
        notify: NotifyConfig {
            desktop: true,
            min_relation: AlertLevel::SameStory,
            ..NotifyConfig::default()
        },
    }
}

/// Completes on Ctrl-C, or once every wave is out and three more polling
/// rounds have had time to bring its articles in.
async fn finished(site: &DemoSite, poll_every: Duration) {
    let all_out = async {
        while site.waves_left() > 0 {
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        tokio::time::sleep(poll_every * 3).await;
    };
    tokio::select! {
        () = all_out => {}
        _ = tokio::signal::ctrl_c() => {}
    }
}
