//! One polling cycle over many feeds served from loopback, with the default
//! per-host and overall limits: wall time, CPU time and peak memory of the
//! polling process. Then the same cycle again, when every feed answers 304.
//!
//! ```text
//! cargo run --release --example bench_poll -- [--feeds 10000] [--hosts 8]
//! ```
//!
//! The feeds are served by a child process (this same binary, `serve`
//! mode) on 127.0.0.1 … 127.0.0.H, so the figures are the poller's alone.

#[path = "../tests/support/http.rs"]
mod http;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{IpAddr, Ipv4Addr};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use chrono::Utc;
use storywatch::config::{FeedConfig, FetchConfig};
use storywatch::fetch::{poll_feed, FeedState, FeedStatus, Fetcher};

struct Args {
    feeds: usize,
    hosts: u8,
}

fn main() -> anyhow::Result<()> {
    let mut argv = std::env::args().skip(1);
    let mut args = Args {
        feeds: 10_000,
        hosts: 8,
    };
    let mut serve = false;
    while let Some(arg) = argv.next() {
        match arg.as_str() {
            "serve" => serve = true,
            "--feeds" => args.feeds = argv.next().context("--feeds N")?.parse()?,
            "--hosts" => args.hosts = argv.next().context("--hosts N")?.parse()?,
            other => bail!("unknown argument {other:?}"),
        }
    }
    if !(1..=200).contains(&args.hosts) {
        bail!("--hosts must be 1..=200 (127.0.0.1 … 127.0.0.200)");
    }
    if serve {
        return serve_feeds(&args);
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(poll_twice(&args))
}

/// Child process: serves `/feed/N` with an ETag, prints each listening
/// address, then runs until the parent closes its stdin.
fn serve_feeds(args: &Args) -> anyhow::Result<()> {
    let server = http::TestServer::start();
    let mut addrs = vec![server.addr()];
    for last in 2..=args.hosts {
        addrs.push(server.also_listen_on(IpAddr::V4(Ipv4Addr::new(127, 0, 0, last))));
    }
    for n in 0..args.feeds {
        server.serve_static(&format!("/feed/{n}"), "application/rss+xml", sample_feed(n));
    }
    let mut out = std::io::stdout().lock();
    for addr in addrs {
        writeln!(out, "{addr}")?;
    }
    writeln!(out, "ready")?;
    out.flush()?;
    drop(out);
    let mut rest = Vec::new();
    std::io::stdin().read_to_end(&mut rest)?;
    Ok(())
}

/// About 8 KB of RSS 2.0 with twenty items, different for every feed.
fn sample_feed(n: usize) -> String {
    let mut rss = format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<rss version=\"2.0\"><channel>\
         <title>Bench feed {n}</title><link>http://bench.test/{n}/</link><description>d</description>\n"
    );
    for item in 0..20 {
        rss.push_str(&format!(
            "<item><title>Feed {n} story {item}</title><link>http://bench.test/{n}/{item}</link>\
             <guid>bench-{n}-{item}</guid><pubDate>Mon, 01 Apr 2024 10:{:02}:00 GMT</pubDate>\
             <description>Story {item} of feed {n}: a paragraph of summary text long enough to \
             look like a real teaser, with a few more words to make up the usual length \
             of what publishers put in their feeds.</description></item>\n",
            item % 60
        ));
    }
    rss.push_str("</channel></rss>\n");
    rss
}

async fn poll_twice(args: &Args) -> anyhow::Result<()> {
    let exe = std::env::current_exe()?;
    let mut child = Command::new(exe)
        .args([
            "serve",
            "--feeds",
            &args.feeds.to_string(),
            "--hosts",
            &args.hosts.to_string(),
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .context("start the feed server")?;
    let mut addrs = Vec::new();
    let stdout = child.stdout.take().context("server stdout")?;
    for line in BufReader::new(stdout).lines() {
        let line = line?;
        if line == "ready" {
            break;
        }
        addrs.push(line);
    }
    if addrs.is_empty() {
        bail!("the feed server printed no address");
    }
    let feeds: Vec<FeedConfig> = (0..args.feeds)
        .map(|n| {
            let url = format!("http://{}/feed/{n}", addrs[n % addrs.len()]);
            toml::from_str(&format!("url = {url:?}")).context("feed config")
        })
        .collect::<anyhow::Result<_>>()?;
    let config = FetchConfig::default();
    println!(
        "{} feeds on {} hosts; limits: {} per host, {} overall",
        feeds.len(),
        addrs.len(),
        config.per_host_concurrency,
        config.concurrency
    );
    let fetcher = Fetcher::new(&config)?;
    println!(
        "before polling: peak RSS {} KiB (runtime, client, feed list)",
        peak_rss_kib().unwrap_or(0)
    );
    let now = Utc::now();
    let fresh: Vec<FeedState> = feeds.iter().map(|f| FeedState::new(&f.url, now)).collect();
    let fetched = cycle("cycle 1 (200, full bodies)", &fetcher, &feeds, fresh).await?;
    cycle("cycle 2 (all 304)", &fetcher, &feeds, fetched).await?;
    drop(child.stdin.take());
    child.wait()?;
    Ok(())
}

async fn cycle(
    label: &str,
    fetcher: &Fetcher,
    feeds: &[FeedConfig],
    states: Vec<FeedState>,
) -> anyhow::Result<Vec<FeedState>> {
    let cpu_before = cpu_time();
    let started = Instant::now();
    let now = Utc::now();
    let tasks: Vec<_> = feeds
        .iter()
        .cloned()
        .zip(states)
        .map(|(feed, state)| {
            let fetcher = fetcher.clone();
            tokio::spawn(async move { poll_feed(&fetcher, &feed, &state, now).await.state })
        })
        .collect();
    let mut states = Vec::with_capacity(tasks.len());
    for task in tasks {
        states.push(task.await?);
    }
    let wall = started.elapsed();
    let cpu = cpu_time().saturating_sub(cpu_before);
    let count =
        |wanted: fn(&FeedStatus) -> bool| states.iter().filter(|s| wanted(&s.status)).count();
    println!(
        "{label}: wall {:.3} s, CPU {:.3} s ({:.0}% of one core), {:.0} polls/s, peak RSS {} KiB; \
         ok {}, not modified {}, other {}",
        wall.as_secs_f64(),
        cpu.as_secs_f64(),
        100.0 * cpu.as_secs_f64() / wall.as_secs_f64(),
        states.len() as f64 / wall.as_secs_f64(),
        peak_rss_kib().unwrap_or(0),
        count(|s| *s == FeedStatus::Ok),
        count(|s| *s == FeedStatus::NotModified),
        count(|s| !matches!(s, FeedStatus::Ok | FeedStatus::NotModified)),
    );
    if let Some(failed) = states.iter().find(|s| s.error.is_some()) {
        println!("  e.g. {}", failed.error.as_deref().unwrap_or_default());
    }
    Ok(states)
}

/// User plus system CPU time of this process so far.
fn cpu_time() -> Duration {
    // SAFETY: getrusage only writes into the struct we pass, which is zeroed
    // plain data of the right type.
    let usage = unsafe {
        let mut usage: libc::rusage = std::mem::zeroed();
        libc::getrusage(libc::RUSAGE_SELF, &mut usage);
        usage
    };
    let time = |tv: libc::timeval| {
        Duration::from_secs(tv.tv_sec as u64) + Duration::from_micros(tv.tv_usec as u64)
    };
    time(usage.ru_utime) + time(usage.ru_stime)
}

/// VmHWM: the most resident memory this process has had.
fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}
