//! Runs the extraction benchmark as `storywatch eval extraction` does, and
//! checks that memory stays flat over many pages.
//!
//! cargo run --release --example eval_extraction -- DIR [--json] [--repeat N]
//!
//! With `--repeat N` it extracts every page N more times after the scored
//! pass and prints the peak resident set size (VmHWM) after each tenth of
//! the loops: a flat series means no growth per page.

use std::path::PathBuf;

use anyhow::{bail, Context, Result};
use storywatch::eval::extraction;

fn main() -> Result<()> {
    let mut dir = None;
    let mut json = false;
    let mut repeat = 0usize;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--json" => json = true,
            "--repeat" => {
                let n = args.next().context("--repeat needs a count")?;
                repeat = n
                    .parse()
                    .with_context(|| format!("bad --repeat count {n:?}"))?;
            }
            _ if dir.is_none() => dir = Some(PathBuf::from(arg)),
            _ => bail!("unexpected argument {arg:?}"),
        }
    }
    let dir = dir.unwrap_or_else(|| PathBuf::from("../shared/eval/extraction/wcxb-dev-articles"));
    extraction::run(&dir, extraction::Report::default(), json)?;
    if repeat > 0 {
        let pages = extraction::load_pages(&dir)?;
        println!("peak RSS before the loop: {} kB", peak_rss_kb()?);
        let step = (repeat / 10).max(1);
        for round in 1..=repeat {
            for page in &pages {
                // Failures were reported by the scored pass; only memory matters here.
                let _ = extraction::extract_page(page);
            }
            if round % step == 0 || round == repeat {
                println!(
                    "after {:>6} pages: peak RSS {} kB",
                    round * pages.len(),
                    peak_rss_kb()?
                );
            }
        }
    }
    Ok(())
}

fn peak_rss_kb() -> Result<u64> {
    let status =
        std::fs::read_to_string("/proc/self/status").context("reading /proc/self/status")?;
    let line = status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .context("no VmHWM line in /proc/self/status")?;
    let kb = line.split_whitespace().nth(1).context("empty VmHWM line")?;
    kb.parse()
        .with_context(|| format!("bad VmHWM value {kb:?}"))
}
