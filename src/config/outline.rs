//! A line-level map of a TOML file: which key sits on which line, in which
//! table. toml reports byte spans but not key paths, and semantic checks run
//! after parsing, when positions are gone; this map gives both back.

/// One `key = value` line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyLine {
    /// `fetch`, `feed[2]` (array tables are counted from 1), or empty for the root.
    pub table: String,
    pub key: String,
    pub line: usize,
    pub column: usize,
}

impl KeyLine {
    pub fn path(&self) -> String {
        join(&self.table, &self.key)
    }
}

/// A table header line, `[fetch]` or `[[feed]]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeaderLine {
    pub table: String,
    pub line: usize,
}

#[derive(Debug, Default)]
pub struct Outline {
    pub keys: Vec<KeyLine>,
    pub headers: Vec<HeaderLine>,
}

pub fn join(table: &str, key: &str) -> String {
    match (table.is_empty(), key.is_empty()) {
        (true, _) => key.to_owned(),
        (_, true) => table.to_owned(),
        _ => format!("{table}.{key}"),
    }
}

impl Outline {
    pub fn of(source: &str) -> Outline {
        let mut outline = Outline::default();
        let mut table = String::new();
        let mut array_counts: Vec<(String, usize)> = Vec::new();
        let mut in_multiline_string = false;
        for (index, raw) in source.lines().enumerate() {
            let line = index + 1;
            // Skip the inside of """ or ''' strings, which may hold `=` or `[`.
            let triple_quotes = raw.matches("\"\"\"").count() + raw.matches("'''").count();
            if in_multiline_string {
                in_multiline_string = triple_quotes % 2 == 0;
                continue;
            }
            let trimmed = raw.trim_start();
            let indent = raw.len() - trimmed.len();
            if let Some(name) = trimmed
                .strip_prefix("[[")
                .and_then(|rest| rest.split("]]").next())
            {
                let name = name.trim().to_owned();
                let count = match array_counts.iter_mut().find(|(n, _)| *n == name) {
                    Some((_, count)) => {
                        *count += 1;
                        *count
                    }
                    None => {
                        array_counts.push((name.clone(), 1));
                        1
                    }
                };
                table = format!("{name}[{count}]");
                outline.headers.push(HeaderLine {
                    table: table.clone(),
                    line,
                });
            } else if let Some(name) = trimmed
                .strip_prefix('[')
                .and_then(|rest| rest.split(']').next())
            {
                table = name.trim().to_owned();
                outline.headers.push(HeaderLine {
                    table: table.clone(),
                    line,
                });
            } else if let Some((key, _)) = trimmed.split_once('=') {
                if trimmed.starts_with('#') {
                    continue;
                }
                let key = key.trim().trim_matches('"').to_owned();
                outline.keys.push(KeyLine {
                    table: table.clone(),
                    key,
                    line,
                    column: indent + 1,
                });
                in_multiline_string = triple_quotes % 2 == 1;
            }
        }
        outline
    }

    /// The key path of whatever is on `line`: a key, or the table a header opens.
    pub fn path_at(&self, line: usize) -> Option<String> {
        if let Some(key) = self.keys.iter().find(|k| k.line == line) {
            return Some(key.path());
        }
        self.headers
            .iter()
            .find(|h| h.line == line)
            .map(|h| h.table.clone())
    }

    /// The table in force on `line`, for errors that span a whole table.
    pub fn table_at(&self, line: usize) -> Option<&str> {
        self.headers
            .iter()
            .rev()
            .find(|h| h.line <= line)
            .map(|h| h.table.as_str())
    }

    /// Line and column of `key` in `table`, falling back to the table's header.
    pub fn position_of(&self, table: &str, key: &str) -> Option<(usize, usize)> {
        self.keys
            .iter()
            .find(|k| k.table == table && k.key == key)
            .map(|k| (k.line, k.column))
            .or_else(|| {
                self.headers
                    .iter()
                    .find(|h| h.table == table)
                    .map(|h| (h.line, 1))
            })
            .or_else(|| {
                // `feed[2].headers` written inline sits on its parent's `headers` key.
                let (parent, last) = table.rsplit_once('.')?;
                self.position_of(parent, last)
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_keys_to_tables_and_counts_array_tables_from_one() {
        let source =
            "[fetch]\ntimeout = \"5s\"\n\n[[feed]]\nurl = \"a\"\n[[feed]]\n  url = \"b\"\n";
        let outline = Outline::of(source);
        assert_eq!(outline.path_at(2).as_deref(), Some("fetch.timeout"));
        assert_eq!(outline.path_at(7).as_deref(), Some("feed[2].url"));
        assert_eq!(outline.position_of("feed[2]", "url"), Some((7, 3)));
        assert_eq!(outline.table_at(5), Some("feed[1]"));
    }

    #[test]
    fn ignores_equals_signs_inside_multiline_strings() {
        let source = "a = \"\"\"\nx = 1\n\"\"\"\nb = 2\n";
        let outline = Outline::of(source);
        let keys: Vec<_> = outline.keys.iter().map(|k| k.key.as_str()).collect();
        assert_eq!(keys, ["a", "b"]);
    }
}
