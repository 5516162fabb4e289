//! OPML subscription lists: read the feeds another reader exported, and
//! write the configured feeds for another reader to import.
//!
//! Readers nest feeds in folder outlines; the folder names become the
//! feed's tags. An outline is a feed when it has an `xmlUrl`; its name is
//! the `title`, else the `text` attribute.

use std::borrow::Cow;
use std::path::{Path, PathBuf};

use quick_xml::escape::escape;
use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;
use quick_xml::XmlVersion;

use super::FeedConfig;

/// One feed outline of an OPML file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpmlFeed {
    pub url: String,
    pub name: Option<String>,
    /// The enclosing folder outlines, outermost first.
    pub folders: Vec<String>,
    /// Where the outline starts in the file, from 1.
    pub line: usize,
}

/// An OPML file that cannot be read. Every variant names the file.
#[derive(Debug, thiserror::Error)]
pub enum OpmlError {
    #[error("cannot read OPML file {path}: {source}")]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}:{line}: {message}")]
    Invalid {
        path: PathBuf,
        line: usize,
        message: String,
    },
}

/// Reads the feed outlines of the OPML file at `path`, in file order.
pub fn read(path: &Path) -> Result<Vec<OpmlFeed>, OpmlError> {
    let bytes = std::fs::read(path).map_err(|source| OpmlError::Read {
        path: path.to_owned(),
        source,
    })?;
    let text = String::from_utf8_lossy(&bytes);
    parse(&text).map_err(|(line, message)| OpmlError::Invalid {
        path: path.to_owned(),
        line,
        message,
    })
}

/// Parses OPML text; errors carry the line they were found on.
pub fn parse(text: &str) -> Result<Vec<OpmlFeed>, (usize, String)> {
    let line_at = |offset: u64| {
        let end = usize::try_from(offset)
            .unwrap_or(usize::MAX)
            .min(text.len());
        text.as_bytes()[..end]
            .iter()
            .filter(|&&b| b == b'\n')
            .count()
            + 1
    };
    let mut reader = Reader::from_str(text);
    let mut feeds = Vec::new();
    // One entry per open <outline>: its folder name, if it is a folder.
    let mut open_outlines: Vec<Option<String>> = Vec::new();
    let mut saw_opml_root = false;
    loop {
        let start = reader.buffer_position();
        let event = reader.read_event().map_err(|e| {
            (
                line_at(reader.error_position()),
                format!("not well-formed XML: {e}"),
            )
        })?;
        match event {
            Event::Start(element) | Event::Empty(element)
                if element.local_name().as_ref() == b"opml" =>
            {
                saw_opml_root = true;
            }
            Event::Start(element) if element.local_name().as_ref() == b"outline" => {
                let outline = read_outline(&reader, &element).map_err(|m| (line_at(start), m))?;
                match outline.url {
                    Some(url) => {
                        feeds.push(feed(url, outline.name, &open_outlines, line_at(start)));
                        open_outlines.push(None);
                    }
                    None => open_outlines.push(outline.name),
                }
            }
            Event::Empty(element) if element.local_name().as_ref() == b"outline" => {
                let outline = read_outline(&reader, &element).map_err(|m| (line_at(start), m))?;
                if let Some(url) = outline.url {
                    feeds.push(feed(url, outline.name, &open_outlines, line_at(start)));
                }
            }
            Event::End(element) if element.local_name().as_ref() == b"outline" => {
                open_outlines.pop();
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if !saw_opml_root {
        return Err((1, "not an OPML file: there is no <opml> element".to_owned()));
    }
    Ok(feeds)
}

fn feed(url: String, name: Option<String>, open: &[Option<String>], line: usize) -> OpmlFeed {
    OpmlFeed {
        url,
        name,
        folders: open.iter().flatten().cloned().collect(),
        line,
    }
}

struct Outline {
    url: Option<String>,
    name: Option<String>,
}

fn read_outline(reader: &Reader<&[u8]>, element: &BytesStart) -> Result<Outline, String> {
    let mut url = None;
    let mut title = None;
    let mut text = None;
    for attribute in element.attributes() {
        let attribute = attribute.map_err(|e| format!("bad <outline> attribute: {e}"))?;
        let value = || -> Result<String, String> {
            attribute
                .decoded_and_normalized_value(XmlVersion::Implicit1_0, reader.decoder())
                .map(Cow::into_owned)
                .map(|v| v.trim().to_owned())
                .map_err(|e| format!("bad <outline> attribute value: {e}"))
        };
        match attribute.key.local_name().as_ref() {
            b"xmlUrl" | b"xmlurl" => url = Some(value()?),
            b"title" => title = Some(value()?),
            b"text" => text = Some(value()?),
            _ => {}
        }
    }
    let name = title
        .filter(|t| !t.is_empty())
        .or(text.filter(|t| !t.is_empty()));
    Ok(Outline {
        url: url.filter(|u| !u.is_empty()),
        name,
    })
}

/// The feeds as an OPML 2.0 document, in folders named by each feed's
/// first tag (the way readers file them), untagged feeds at the top.
pub fn write(feeds: &[FeedConfig]) -> String {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<opml version=\"2.0\">\n  \
         <head>\n    <title>storywatch feeds</title>\n  </head>\n  <body>\n",
    );
    let mut folders: Vec<&str> = Vec::new();
    for feed in feeds {
        match feed.tags.first() {
            Some(tag) if !folders.contains(&tag.as_str()) => folders.push(tag),
            _ => {}
        }
    }
    for feed in feeds.iter().filter(|f| f.tags.is_empty()) {
        out.push_str(&feed_outline(feed, "    "));
    }
    for folder in folders {
        let folder_text = escape(folder);
        out.push_str(&format!(
            "    <outline text=\"{folder_text}\" title=\"{folder_text}\">\n"
        ));
        for feed in feeds
            .iter()
            .filter(|f| f.tags.first().map(String::as_str) == Some(folder))
        {
            out.push_str(&feed_outline(feed, "      "));
        }
        out.push_str("    </outline>\n");
    }
    out.push_str("  </body>\n</opml>\n");
    out
}

fn feed_outline(feed: &FeedConfig, indent: &str) -> String {
    let name = feed.display_name();
    let name = escape(name.as_str());
    format!(
        "{indent}<outline type=\"rss\" text=\"{name}\" title=\"{name}\" xmlUrl=\"{}\"/>\n",
        escape(feed.url.as_str())
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folders_become_tags_and_titles_names() {
        let text = r#"<?xml version="1.0"?>
<opml version="1.0"><head><title>subs</title></head><body>
  <outline text="News" title="News">
    <outline type="rss" text="Gazette &amp; Co" xmlUrl="https://gazette.example/rss"/>
    <outline text="Wires">
      <outline type="rss" text="Wire" title="Wire service" xmlUrl="https://wire.example/feed"/>
    </outline>
  </outline>
  <outline type="rss" text="" xmlUrl="https://bare.example/atom"/>
</body></opml>"#;
        let feeds = parse(text).expect("valid OPML");
        assert_eq!(feeds.len(), 3);
        assert_eq!(feeds[0].name.as_deref(), Some("Gazette & Co"));
        assert_eq!(feeds[0].folders, vec!["News"]);
        assert_eq!(feeds[0].line, 4);
        assert_eq!(feeds[1].name.as_deref(), Some("Wire service"));
        assert_eq!(feeds[1].folders, vec!["News", "Wires"]);
        assert_eq!(feeds[2].name, None);
        assert!(feeds[2].folders.is_empty());
    }

    #[test]
    fn broken_files_name_the_line() {
        let (line, message) = parse("<opml><body>\n<outline text=\"a\">\n</body></opml>")
            .expect_err("mismatched tags");
        assert_eq!(line, 3, "{message}");
        assert!(message.contains("not well-formed"), "{message}");
        let (_, message) = parse("<rss><channel/></rss>").expect_err("not OPML");
        assert!(message.contains("no <opml> element"), "{message}");
    }
}
