//! Plain-text article files: the first non-empty line is the title, a line
//! of dashes right after it is a rule to skip, and the rest is the body.

/// Title and body of a plain-text article, its encoding sniffed like a
/// page's.
pub fn plain_text_article(bytes: &[u8]) -> (String, String) {
    let text = super::decode_html(bytes, None);
    let mut lines = text.lines().map(str::trim).skip_while(|l| l.is_empty());
    let title = lines.next().unwrap_or_default().to_owned();
    let body: Vec<&str> = lines
        .skip_while(|l| l.is_empty())
        .enumerate()
        .filter(|(i, l)| !(*i == 0 && !l.is_empty() && l.chars().all(|c| c == '-')))
        .map(|(_, l)| l)
        .collect();
    (title, body.join("\n").trim().to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn title_line_and_dash_rule_are_split_off() {
        let (title, body) =
            plain_text_article(b"\nHeadline\n\n-----\n\nFirst paragraph.\nSecond.\n");
        assert_eq!(title, "Headline");
        assert_eq!(body, "First paragraph.\nSecond.");
    }

    #[test]
    fn latin1_files_are_decoded() {
        let (title, _) = plain_text_article(b"Caf\xe9 prices rise\n\nBody text here.\n");
        assert_eq!(title, "Café prices rise");
    }
}
