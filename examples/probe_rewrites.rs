//! Probes the copy / rewrite line with machine-made derivatives of real
//! news texts: how often a synonym-spun text comes out a rewrite, and a
//! round trip through machine translation (or a one-way translation) a copy.
//!
//! ```text
//! sudo apt-get install apertium apertium-eng-spa apertium-eng-cat wordnet
//! cargo run --release --example probe_rewrites -- ../shared/eval/matching/semeval2022-task8-train.csv [--dump FILE]
//! ```
//!
//! `--dump FILE` writes one JSON line per derived text: its kind, the
//! source's number, relation, shape and signals.
//!
//! The sources are the first 150 English texts of the SemEval pairs that
//! have at least eight sentences: the first sentence as the title, then up
//! to 450 words in paragraphs of three sentences. Each source is compared
//! (with the shipped prior) against:
//! - `spin`: every lower-case word of four or more letters that is not a
//!   stop word and has a WordNet synonym in its first sense is swapped for
//!   it with probability 0.7, as article spinners do (expected: rewrite);
//! - `round trip es`, `round trip ca`: Apertium into Spanish or Catalan and
//!   back (expected: copy);
//! - `into es`, `into ca`: Apertium one way (expected: copy).
//!
//! Last, for the translation rule's precision, each English pair has its
//! first text put into Spanish and compared with the second, which it was
//! not translated from (expected: not a copy, unless the English pair is a
//! copy or rewrite already).
//!
//! Kinds whose tool is missing are skipped with a note.

use std::collections::{BTreeMap, HashMap};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use anyhow::{bail, Context};
use storywatch::eval::semeval;
use storywatch::matcher::{self, ArticleText};
use storywatch::text::lexicon;

const SOURCES: usize = 150;
const MIN_SENTENCES: usize = 8;
/// Pairs are scarcer than texts, so their texts may be shorter.
const MIN_PAIR_SENTENCES: usize = 4;
const MAX_WORDS: usize = 450;
const SPIN_RATE: f64 = 0.7;
const WORDNET: &str = "/usr/share/wordnet";

struct Source {
    title: String,
    body: String,
}

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(csv) = args.first().map(PathBuf::from) else {
        bail!("usage: probe_rewrites SEMEVAL_CSV [--dump FILE]");
    };
    let mut dump = match args.iter().position(|a| a == "--dump") {
        Some(i) => {
            let Some(path) = args.get(i + 1) else {
                bail!("--dump needs a file");
            };
            let file =
                std::fs::File::create(path).with_context(|| format!("cannot create {path}"))?;
            Some(std::io::BufWriter::new(file))
        }
        None => None,
    };
    let pairs = semeval::load(&csv)?;
    let sources = english_sources(&pairs);
    println!("{} English sources from {}", sources.len(), csv.display());
    let mut kinds: Vec<(String, Vec<Source>)> = Vec::new();
    match Synonyms::load(Path::new(WORDNET)) {
        Ok(synonyms) => kinds.push((
            "spin".to_owned(),
            sources.iter().map(|s| synonyms.spin(s)).collect(),
        )),
        Err(err) => println!("spin skipped: {err:#}"),
    }
    for (name, there, back) in [("es", "eng-spa", "spa-eng"), ("ca", "eng-cat", "cat-eng")] {
        match translate_all(&sources, there) {
            Ok(translated) => {
                match translate_all(&translated, back) {
                    Ok(round_trip) => kinds.push((format!("round trip {name}"), round_trip)),
                    Err(err) => println!("round trip {name} skipped: {err:#}"),
                }
                kinds.push((format!("into {name}"), translated));
            }
            Err(err) => println!("{name} skipped: {err:#}"),
        }
    }
    for (kind, derived) in kinds.iter().filter(|(_, derived)| !derived.is_empty()) {
        let mut relations: BTreeMap<String, usize> = BTreeMap::new();
        let mut shapes: BTreeMap<String, usize> = BTreeMap::new();
        let mut frame_leads = Vec::new();
        for (number, (source, copy)) in sources.iter().zip(derived).enumerate() {
            let comparison = matcher::compare_texts(&text(copy), &text(source));
            if let Some(out) = dump.as_mut() {
                let row = serde_json::json!({"kind": kind, "source": number,
                    "relation": comparison.relation, "shape": comparison.shape,
                    "signals": comparison.signals});
                writeln!(out, "{row}")?;
            }
            frame_leads.push(comparison.signals.frames - comparison.signals.containment);
            *relations
                .entry(comparison.relation.to_string())
                .or_default() += 1;
            let shape = comparison
                .shape
                .map_or("-".to_owned(), |s| format!("{s:?}"));
            *shapes.entry(shape).or_default() += 1;
        }
        println!("{kind:<14} relations {relations:?}");
        println!("{:<14} shapes    {shapes:?}", "");
        frame_leads.sort_by(f64::total_cmp);
        let at = |q: f64| frame_leads[((frame_leads.len() - 1) as f64 * q).round() as usize];
        println!(
            "{:<14} frames - containment: min {:.2}, p10 {:.2}, median {:.2}, p90 {:.2}, max {:.2}",
            "",
            at(0.0),
            at(0.1),
            at(0.5),
            at(0.9),
            at(1.0)
        );
    }
    if let Some(mut out) = dump {
        out.flush()?;
    }
    independent_reports_in_spanish(&english_pairs(&pairs));
    Ok(())
}

/// Precision of the translation rule: one text of a pair put into Spanish
/// against the other text, which it was not translated from. Counted by the English pair's own relation, since a copy stays a
/// copy in translation.
fn independent_reports_in_spanish(pairs: &[(Source, Source)]) {
    let mut relations: BTreeMap<(String, String), usize> = BTreeMap::new();
    for (first, second) in pairs {
        let Ok(mut spanish) = translate_all(std::slice::from_ref(first), "eng-spa") else {
            println!("independent reports skipped: apertium eng-spa is missing");
            return;
        };
        let Some(spanish) = spanish.pop() else {
            continue;
        };
        let english = matcher::compare_texts(&text(first), &text(second)).relation;
        let across = matcher::compare_texts(&text(&spanish), &text(second)).relation;
        *relations
            .entry((english.to_string(), across.to_string()))
            .or_default() += 1;
    }
    println!(
        "{} English pairs, the first text put into Spanish: (English relation, relation across) {relations:?}",
        pairs.len()
    );
}

fn text(source: &Source) -> ArticleText<'_> {
    ArticleText {
        title: &source.title,
        body: &source.body,
        ..ArticleText::default()
    }
}

fn english_sources(pairs: &[semeval::Pair]) -> Vec<Source> {
    let mut sources = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for pair in pairs {
        for (lang, raw) in [(&pair.lang1, &pair.text1), (&pair.lang2, &pair.text2)] {
            if lang != "en" || sources.len() >= SOURCES || !seen.insert(raw.as_str()) {
                continue;
            }
            sources.extend(source_of(raw, MIN_SENTENCES));
        }
    }
    sources
}

/// The English pairs whose texts both make a source.
fn english_pairs(pairs: &[semeval::Pair]) -> Vec<(Source, Source)> {
    pairs
        .iter()
        .filter(|p| p.languages() == "en-en")
        .filter_map(|p| {
            Some((
                source_of(&p.text1, MIN_PAIR_SENTENCES)?,
                source_of(&p.text2, MIN_PAIR_SENTENCES)?,
            ))
        })
        .collect()
}

/// A text of at least `min_sentences` sentences as a source: its first
/// sentence as the title, then up to [`MAX_WORDS`] words in paragraphs of
/// three sentences.
fn source_of(raw: &str, min_sentences: usize) -> Option<Source> {
    let flat = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    let sentences = sentences(&flat);
    if sentences.len() < min_sentences {
        return None;
    }
    let mut paragraphs = Vec::new();
    let mut words = 0;
    for group in sentences[1..].chunks(3) {
        let paragraph = group.join(" ");
        words += paragraph.split_whitespace().count();
        paragraphs.push(paragraph);
        if words >= MAX_WORDS {
            break;
        }
    }
    Some(Source {
        title: sentences[0].to_owned(),
        body: paragraphs.join("\n\n"),
    })
}

/// Sentences of a one-line text: split after `.`, `!` or `?` followed by a
/// space and a capital or an opening quote.
fn sentences(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut previous = ' ';
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let next = chars.peek().map(|(_, n)| *n);
        let ends = matches!(previous, '.' | '!' | '?') && c == ' ';
        if ends && next.is_some_and(|n| n.is_uppercase() || n == '"' || n == '“') {
            out.push(text[start..i].trim());
            start = i + 1;
        }
        previous = c;
    }
    out.push(text[start..].trim());
    out.retain(|s| !s.is_empty());
    out
}

/// Each word's synonym from its first WordNet sense.
struct Synonyms(HashMap<String, String>);

impl Synonyms {
    fn load(dir: &Path) -> anyhow::Result<Synonyms> {
        let mut synonyms = HashMap::new();
        for pos in ["noun", "verb", "adj", "adv"] {
            let data = read(&dir.join(format!("data.{pos}")))?;
            let mut synsets: HashMap<&str, Vec<String>> = HashMap::new();
            for line in data.lines().filter(|l| !l.starts_with("  ")) {
                let fields: Vec<&str> = line.split(' ').collect();
                let Some(count) = fields
                    .get(3)
                    .and_then(|c| usize::from_str_radix(c, 16).ok())
                else {
                    continue;
                };
                let words = (0..count)
                    .filter_map(|i| fields.get(4 + 2 * i))
                    .map(|w| w.split('(').next().unwrap_or(w).to_lowercase())
                    .collect();
                synsets.insert(fields[0], words);
            }
            let index = read(&dir.join(format!("index.{pos}")))?;
            for line in index.lines().filter(|l| !l.starts_with("  ")) {
                let fields: Vec<&str> = line.split(' ').collect();
                let (Some(lemma), Some(pointers)) = (
                    fields.first(),
                    fields.get(3).and_then(|p| p.parse::<usize>().ok()),
                ) else {
                    continue;
                };
                if lemma.contains('_') || synonyms.contains_key(*lemma) {
                    continue;
                }
                let first_sense = fields.get(4 + pointers + 2).copied().unwrap_or_default();
                let other = synsets
                    .get(first_sense)
                    .and_then(|words| words.iter().find(|w| *w != lemma && !w.contains('_')));
                if let Some(other) = other {
                    synonyms.insert((*lemma).to_owned(), other.clone());
                }
            }
        }
        Ok(Synonyms(synonyms))
    }

    fn spin(&self, source: &Source) -> Source {
        // A fixed xorshift stream, so every run spins the same words.
        let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut chance = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 11) as f64 / (1u64 << 53) as f64
        };
        let mut spin_text = |text: &str| {
            let mut out = String::with_capacity(text.len());
            let mut word = String::new();
            for c in text.chars().chain(std::iter::once(' ')) {
                if c.is_ascii_alphabetic() {
                    word.push(c);
                    continue;
                }
                let swap = word.len() >= 4
                    && word.starts_with(|c: char| c.is_ascii_lowercase())
                    && !lexicon::is_stop(Some("en"), &word)
                    && self.0.contains_key(&word)
                    && chance() < SPIN_RATE;
                out.push_str(if swap { &self.0[&word] } else { &word });
                word.clear();
                out.push(c);
            }
            out.pop();
            out
        };
        Source {
            title: spin_text(&source.title),
            body: spin_text(&source.body),
        }
    }
}

fn read(path: &Path) -> anyhow::Result<String> {
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// Title and body go through one Apertium run (it keeps blank lines).
fn translate_all(sources: &[Source], mode: &str) -> anyhow::Result<Vec<Source>> {
    sources
        .iter()
        .map(|s| {
            let translated = apertium(mode, &format!("{}\n\n{}", s.title, s.body))?;
            let (title, body) = translated.split_once("\n\n").unwrap_or((&translated, ""));
            Ok(Source {
                title: title.trim().to_owned(),
                body: body.trim().to_owned(),
            })
        })
        .collect()
}

fn apertium(mode: &str, text: &str) -> anyhow::Result<String> {
    let mut child = Command::new("apertium")
        .args(["-u", mode])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .context(
            "cannot run apertium (apt-get install apertium apertium-eng-spa apertium-eng-cat)",
        )?;
    if let Some(mut stdin) = child.stdin.take() {
        stdin.write_all(text.as_bytes())?;
    }
    let output = child.wait_with_output()?;
    if !output.status.success() {
        bail!("apertium {mode} failed: {}", output.status);
    }
    Ok(String::from_utf8_lossy(&output.stdout).trim().to_owned())
}
