//! Reading what the user points a command at: a URL, a file or stdin.

use std::io::Read;
use std::path::Path;

use url::Url;

use super::UsageError;
use crate::config::FetchConfig;
use crate::daemon::views::GivenArticle;
use crate::fetch::{FetchRequest, FetchResponse, Fetcher};

/// Raw bytes and what is known about them.
pub struct RawInput {
    /// The URL or path, for messages and relative links.
    pub origin: String,
    pub url: Option<Url>,
    pub bytes: Vec<u8>,
    /// The charset named by the HTTP `Content-Type`, if it came over HTTP.
    pub header_charset: Option<String>,
}

/// Reads `source`: an http(s) URL (fetched politely with `fetch`), `-` for
/// stdin, or a file path.
pub fn read_source(source: &str, fetch: &FetchConfig, accept: &str) -> anyhow::Result<RawInput> {
    if source == "-" {
        let mut bytes = Vec::new();
        std::io::stdin()
            .read_to_end(&mut bytes)
            .map_err(|e| anyhow::anyhow!("cannot read standard input: {e}"))?;
        return Ok(RawInput {
            origin: "<stdin>".into(),
            url: None,
            bytes,
            header_charset: None,
        });
    }
    if source.starts_with("http://") || source.starts_with("https://") {
        let url = Url::parse(source)
            .map_err(|e| UsageError(format!("{source}: not a valid URL: {e}")))?;
        return fetch_url(url, fetch, accept);
    }
    let path = Path::new(source);
    let bytes = std::fs::read(path).map_err(|e| UsageError(format!("{source}: {e}")))?;
    Ok(RawInput {
        origin: source.to_owned(),
        url: None,
        bytes,
        header_charset: None,
    })
}

fn fetch_url(url: Url, fetch: &FetchConfig, accept: &str) -> anyhow::Result<RawInput> {
    let runtime = super::runtime()?;
    runtime.block_on(async {
        let fetcher = Fetcher::new(fetch)?;
        let request = FetchRequest::new(url.clone()).with_default_header("Accept", accept);
        match fetcher.fetch(request).await? {
            FetchResponse::Fetched(fetched) => Ok(RawInput {
                origin: url.to_string(),
                header_charset: fetched.charset().map(str::to_owned),
                url: Some(fetched.final_url),
                bytes: fetched.body.to_vec(),
            }),
            FetchResponse::NotModified(_) => {
                anyhow::bail!(
                    "{url}: the server answered 304 Not Modified to an unconditional request"
                )
            }
        }
    })
}

/// An article read from a file for `compare` or `ingest`: what `compare`
/// weighs, and the author `ingest` stores besides.
pub struct FileArticle {
    pub article: GivenArticle,
    pub author: Option<String>,
}

/// `.html`/`.htm` files are extracted like fetched pages; any other file is
/// plain text whose first non-empty line is the title (a following line of
/// dashes, as in the seed files, is skipped).
pub fn read_article_file(path: &Path) -> anyhow::Result<FileArticle> {
    let bytes = std::fs::read(path).map_err(|e| UsageError(format!("{}: {e}", path.display())))?;
    let is_html = path
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("html") || e.eq_ignore_ascii_case("htm"));
    if is_html {
        let html = crate::extract::decode_html(&bytes, None);
        let page = crate::extract::extract(&html, &Default::default())
            .map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
        return Ok(FileArticle {
            article: GivenArticle {
                title: page.title.unwrap_or_default(),
                text: page.text,
                published: page.published.map(|d| d.to_utc()),
                language: page.language,
            },
            author: page.author,
        });
    }
    let (title, text) = crate::extract::plain_text_article(&bytes);
    Ok(FileArticle {
        article: GivenArticle {
            title,
            text,
            published: None,
            language: None,
        },
        author: None,
    })
}
