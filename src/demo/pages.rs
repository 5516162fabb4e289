//! Article pages: each outlet's own page template around the article, with
//! the navigation, share buttons, cookie banner, related links and comments
//! that extraction has to see past.

use chrono::{DateTime, Utc};

use super::catalogue::{Article, Outlet};

/// The full HTML page of one article. `related` are other published
/// articles of the same outlet.
pub(super) fn article_page(
    outlet: &Outlet,
    article: &Article,
    published: DateTime<Utc>,
    canonical: &str,
    related: &[&Article],
) -> String {
    let fields: [(&str, String); 17] = [
        ("title", escape_html(article.title)),
        ("title_json", json_string_body(article.title)),
        ("summary", escape_html(article.summary)),
        ("author", escape_html(article.author)),
        ("author_json", json_string_body(article.author)),
        ("author_slug", slug(article.author)),
        ("section", escape_html(article.section)),
        ("section_json", json_string_body(article.section)),
        ("section_slug", slug(article.section)),
        ("slug", article.slug.to_owned()),
        ("canonical", escape_html(canonical)),
        ("published_iso", published.to_rfc3339()),
        (
            "published_human",
            published.format("%A %-d %B %Y, %H:%M UTC").to_string(),
        ),
        ("body", body_html(outlet, article)),
        ("related", related_html(outlet, related)),
        ("comments", comments_html(outlet, article)),
        ("comment_count", article.comments.len().to_string()),
    ];
    fill(outlet.template, &fields)
}

/// Replaces each `{{name}}` in one pass, so text inserted for one field is
/// never scanned for another field's placeholder.
fn fill(template: &str, fields: &[(&str, String)]) -> String {
    let mut page = String::with_capacity(template.len() * 2);
    let mut rest = template;
    while let Some(open) = rest.find("{{") {
        page.push_str(&rest[..open]);
        rest = &rest[open..];
        let Some(close) = rest.find("}}") else {
            break;
        };
        let name = &rest[2..close];
        match fields.iter().find(|(field, _)| *field == name) {
            Some((_, value)) => page.push_str(value),
            None => page.push_str(&rest[..close + 2]),
        }
        rest = &rest[close + 2..];
    }
    page.push_str(rest);
    page
}

fn body_html(outlet: &Outlet, article: &Article) -> String {
    let mut html = String::new();
    for (n, paragraph) in article.paragraphs().enumerate() {
        if n == 3 {
            html.push_str(outlet.inline_promo);
            html.push('\n');
        }
        html.push_str(&format!("<p>{}</p>\n", escape_html(paragraph)));
    }
    html
}

fn related_html(outlet: &Outlet, related: &[&Article]) -> String {
    let mut html: String = related
        .iter()
        .map(|other| {
            format!(
                "<li><a href=\"/{}/{}\">{}</a></li>\n",
                outlet.key,
                other.slug,
                escape_html(other.title)
            )
        })
        .collect();
    html.push_str(outlet.evergreen_links);
    html
}

fn comments_html(outlet: &Outlet, article: &Article) -> String {
    article
        .comments
        .iter()
        .map(|comment| {
            format!(
                "<{tag} class=\"comment\"><p class=\"comment-meta\"><b>{}</b> <span>{}</span></p><p class=\"comment-text\">{}</p><a class=\"reply\" href=\"#respond\">Reply</a></{tag}>\n",
                escape_html(comment.author),
                escape_html(comment.when),
                escape_html(comment.text),
                tag = outlet.comment_tag,
            )
        })
        .collect()
}

/// The paragraphs alone, as feeds that carry the full text embed them.
pub(super) fn paragraphs_html(article: &Article) -> String {
    article
        .paragraphs()
        .map(|p| format!("<p>{}</p>", escape_html(p)))
        .collect()
}

pub(super) fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// A JSON string literal without its quotes, safe inside a `<script>`.
fn json_string_body(text: &str) -> String {
    let quoted = serde_json::Value::from(text).to_string();
    quoted[1..quoted.len() - 1].replace('<', "\\u003c")
}

fn slug(text: &str) -> String {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|word| !word.is_empty())
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join("-")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fill_replaces_known_fields_once() {
        let fields = [("a", "{{b}}".to_owned()), ("b", "B".to_owned())];
        assert_eq!(fill("x{{a}}y{{b}}z{{c}}", &fields), "x{{b}}yBz{{c}}");
        assert_eq!(fill("open {{a", &fields), "open {{a");
    }

    #[test]
    fn helpers_escape_and_slug() {
        assert_eq!(
            escape_html("Halden & Moor <b>"),
            "Halden &amp; Moor &lt;b&gt;"
        );
        assert_eq!(
            json_string_body("say \"hi\" </script>"),
            "say \\\"hi\\\" \\u003c/script>"
        );
        assert_eq!(slug("Tidewater Daily staff"), "tidewater-daily-staff");
    }
}
