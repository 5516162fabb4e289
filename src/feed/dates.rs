//! Entry dates that feed-rs does not read.
//!
//! feed-rs reads RFC 3339 and RFC 2822 with some slack, and leaves every
//! other date empty: a time zone named by its abbreviation outside RFC 2822
//! ("CEST", "MSK", "IST"), a plain "2024-03-05 10:00:00", a Drupal
//! "Tuesday, March 5, 2024 - 10:00", weekday and month names in German,
//! French, Spanish, Italian, Dutch or Portuguese, a Unix timestamp. This
//! reader takes the date apart instead of matching whole layouts: a
//! four-digit year, a month by name or in an ISO or dotted date, the day,
//! then the time and zone if there are any. A date it cannot read without
//! guessing (01/02/2024: January or February?) stays empty, and the
//! article's page says when it was published.

use std::sync::LazyLock;

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveTime, TimeZone, Utc};
use regex::Regex;

/// Reads a date feed-rs could not; `None` when it cannot be read without
/// guessing.
pub fn parse_loose(text: &str) -> Option<DateTime<Utc>> {
    let text = text.trim();
    if let Some(stamp) = unix_timestamp(text) {
        return Some(stamp);
    }
    let lower = text.to_lowercase();
    let clock = TIME.captures(&lower).and_then(|caps| time_and_zone(&caps));
    // The date's words are the rest: "10:00" holds numbers too.
    let date_words = match &clock {
        Some(clock) => format!(
            "{} {}",
            &lower[..clock.span.start],
            &lower[clock.span.end..]
        ),
        None => lower.clone(),
    };
    let date = numeric_date(&lower).or_else(|| named_month_date(&date_words))?;
    let (time, zone) = clock.map_or((None, None), |clock| (Some(clock.time), clock.zone));
    let local = date.and_time(time.unwrap_or(NaiveTime::MIN));
    let zone = zone.unwrap_or_else(|| FixedOffset::east_opt(0).expect("zero offset"));
    let stamp = zone.from_local_datetime(&local).single()?;
    Some(stamp.with_timezone(&Utc))
}

/// Seconds (10 digits) or milliseconds (13) since 1970.
fn unix_timestamp(text: &str) -> Option<DateTime<Utc>> {
    if !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let number: i64 = text.parse().ok()?;
    match text.len() {
        10 => DateTime::from_timestamp(number, 0),
        13 => DateTime::from_timestamp_millis(number),
        _ => None,
    }
}

static ISO_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:^|\D)(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:$|\D)").expect("constant pattern")
});
/// Day first with dots, as German, Dutch and most of Europe write it.
static DOTTED_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:^|\D)(\d{1,2})\.(\d{1,2})\.(\d{4})(?:$|\D)").expect("constant pattern")
});

fn numeric_date(text: &str) -> Option<NaiveDate> {
    let number = |m: Option<regex::Match>| m?.as_str().parse::<u32>().ok();
    if let Some(caps) = ISO_DATE.captures(text) {
        let year = i32::try_from(number(caps.get(1))?).ok()?;
        return plausible(year, number(caps.get(2))?, number(caps.get(3))?);
    }
    let caps = DOTTED_DATE.captures(text)?;
    let year = i32::try_from(number(caps.get(3))?).ok()?;
    plausible(year, number(caps.get(2))?, number(caps.get(1))?)
}

fn plausible(year: i32, month: u32, day: u32) -> Option<NaiveDate> {
    (1990..=2100)
        .contains(&year)
        .then(|| NaiveDate::from_ymd_opt(year, month, day))
        .flatten()
}

static WORD: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"[\p{L}]+\.?|\d+(?:st|nd|rd|th|\.)?").expect("constant pattern"));

/// Month names and their common abbreviations in English, German, French,
/// Spanish, Italian, Dutch and Portuguese; accents as written.
const MONTHS: [&[&str]; 12] = [
    &[
        "january", "jan", "januar", "jänner", "janvier", "janv", "enero", "ene", "gennaio", "gen",
        "januari", "janeiro",
    ],
    &[
        "february",
        "feb",
        "februar",
        "février",
        "févr",
        "fevrier",
        "febrero",
        "febbraio",
        "februari",
        "fevereiro",
        "fev",
    ],
    &[
        "march", "mar", "märz", "mär", "maerz", "mars", "marzo", "maart", "mrt", "março", "marco",
    ],
    &["april", "apr", "avril", "avr", "abril", "abr", "aprile"],
    &["may", "mai", "mayo", "maggio", "mag", "mei", "maio"],
    &[
        "june", "jun", "juni", "juin", "junio", "giugno", "giu", "junho",
    ],
    &[
        "july", "jul", "juli", "juillet", "juil", "julio", "luglio", "lug", "julho",
    ],
    &["august", "aug", "août", "aout", "agosto", "ago", "augustus"],
    &[
        "september",
        "sep",
        "sept",
        "septembre",
        "septiembre",
        "settembre",
        "set",
        "setembro",
    ],
    &[
        "october", "oct", "oktober", "okt", "octobre", "octubre", "ottobre", "ott", "outubro",
        "out",
    ],
    &["november", "nov", "novembre", "noviembre", "novembro"],
    &[
        "december",
        "dec",
        "dezember",
        "dez",
        "décembre",
        "déc",
        "decembre",
        "diciembre",
        "dic",
        "dicembre",
        "dezembro",
    ],
];

fn month_number(word: &str) -> Option<u32> {
    let word = word.trim_end_matches('.');
    let index = MONTHS.iter().position(|names| names.contains(&word))?;
    u32::try_from(index + 1).ok()
}

/// "5 March 2024", "March 5th, 2024", "Di, 05 Mär 2024", "5. März 2024":
/// one month name, a four-digit year and one other number up to 31, in
/// `text` with the time of day taken out.
fn named_month_date(text: &str) -> Option<NaiveDate> {
    let mut month = None;
    let mut year = None;
    let mut day = None;
    for word in WORD.find_iter(text).map(|m| m.as_str()) {
        // The last month name counts: a weekday before the date may read as
        // one ("mar." is French Tuesday and Spanish "martes" as well).
        if let Some(number) = month_number(word) {
            month = Some(number);
            continue;
        }
        let digits = word.trim_end_matches(|c: char| !c.is_ascii_digit());
        if digits.is_empty() || !word.starts_with(|c: char| c.is_ascii_digit()) {
            continue;
        }
        match (digits.len(), digits.parse::<u32>()) {
            (4, Ok(number)) => year = year.or(i32::try_from(number).ok()),
            (1 | 2, Ok(number @ 1..=31)) => day = day.or(Some(number)),
            _ => return None,
        }
    }
    plausible(year?, month?, day?)
}

static TIME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?x)(?:^|\D)(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?
          \s*(a\.?m\.?|p\.?m\.?)?
          \s*(z\b|[+-]\d{2}:?\d{2}\b|(?:gmt|utc)?\s*[+-]\d{1,2}\b|[a-z]{1,5}\b)?",
    )
    .expect("constant pattern")
});

/// A time of day read from the text, and where it stood.
struct Clock {
    time: NaiveTime,
    zone: Option<FixedOffset>,
    /// The bytes read: the time, and the zone when it is one (a word after
    /// the time that names no zone, "March" in "10:00 March 5", stays for
    /// the date).
    span: std::ops::Range<usize>,
}

fn time_and_zone(caps: &regex::Captures) -> Option<Clock> {
    let number = |i: usize| caps.get(i).and_then(|m| m.as_str().parse::<u32>().ok());
    let (mut hour, minute) = (number(1)?, number(2)?);
    match caps.get(4).map(|m| m.as_str().starts_with('p')) {
        Some(true) if hour < 12 => hour += 12,
        Some(false) if hour == 12 => hour = 0,
        _ => {}
    }
    let time = NaiveTime::from_hms_opt(hour, minute, number(3).unwrap_or(0))?;
    let zone = caps
        .get(5)
        .and_then(|m| Some((zone_offset(m.as_str())?, m.end())));
    let read_to = (1..=4).filter_map(|i| caps.get(i)).map(|m| m.end()).max()?;
    Some(Clock {
        time,
        zone: zone.map(|(offset, _)| offset),
        span: caps.get(1)?.start()..zone.map_or(read_to, |(_, end)| end),
    })
}

/// Zone abbreviations feeds write, with their offsets in minutes. IST is
/// India's: the feeds that use it are mostly Indian news.
const ZONES: &[(&str, i32)] = &[
    ("z", 0),
    ("ut", 0),
    ("utc", 0),
    ("gmt", 0),
    ("wet", 0),
    ("bst", 60),
    ("cet", 60),
    ("mez", 60),
    ("west", 60),
    ("cest", 120),
    ("mesz", 120),
    ("eet", 120),
    ("sast", 120),
    ("eest", 180),
    ("msk", 180),
    ("ist", 330),
    ("pkt", 300),
    ("wib", 420),
    ("ict", 420),
    ("hkt", 480),
    ("sgt", 480),
    ("awst", 480),
    ("pht", 480),
    ("jst", 540),
    ("kst", 540),
    ("acst", 570),
    ("aest", 600),
    ("aedt", 660),
    ("nzst", 720),
    ("nzdt", 780),
    ("ast", -240),
    ("adt", -180),
    ("est", -300),
    ("edt", -240),
    ("cst", -360),
    ("cdt", -300),
    ("mst", -420),
    ("mdt", -360),
    ("pst", -480),
    ("pdt", -420),
    ("akst", -540),
    ("akdt", -480),
    ("hst", -600),
];

fn zone_offset(zone: &str) -> Option<FixedOffset> {
    let zone = zone.trim();
    let minutes = if let Some(&(_, minutes)) = ZONES.iter().find(|(name, _)| *name == zone) {
        minutes
    } else {
        let signed = zone
            .trim_start_matches("gmt")
            .trim_start_matches("utc")
            .trim();
        let (sign, digits) = match signed.strip_prefix('+') {
            Some(rest) => (1, rest),
            None => (-1, signed.strip_prefix('-')?),
        };
        let digits: String = digits.chars().filter(char::is_ascii_digit).collect();
        let (hours, mins) = match digits.len() {
            1 | 2 => (digits.parse::<i32>().ok()?, 0),
            4 => (
                digits[..2].parse::<i32>().ok()?,
                digits[2..].parse::<i32>().ok()?,
            ),
            _ => return None,
        };
        sign * (hours * 60 + mins)
    };
    FixedOffset::east_opt(minutes * 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Option<String> {
        parse_loose(text).map(|d| d.to_rfc3339())
    }

    #[test]
    fn dates_feed_rs_leaves_empty_are_read() {
        let cases = [
            (
                "Tue, 05 Mar 2024 10:00:00 CEST",
                "2024-03-05T08:00:00+00:00",
            ),
            ("2024-03-05 10:00:00", "2024-03-05T10:00:00+00:00"),
            ("2024-03-05 10:00:00 +0530", "2024-03-05T04:30:00+00:00"),
            (
                "Tuesday, March 5, 2024 - 10:00",
                "2024-03-05T10:00:00+00:00",
            ),
            (
                "Di, 05 Mär 2024 10:00:00 +0100",
                "2024-03-05T09:00:00+00:00",
            ),
            ("5. März 2024, 10:00 Uhr", "2024-03-05T10:00:00+00:00"),
            ("mardi 5 mars 2024 10:00", "2024-03-05T10:00:00+00:00"),
            ("05.03.2024 10:00", "2024-03-05T10:00:00+00:00"),
            ("March 5th, 2024 3:04 PM EST", "2024-03-05T20:04:00+00:00"),
            ("5 de marzo de 2024", "2024-03-05T00:00:00+00:00"),
            ("1709632800", "2024-03-05T10:00:00+00:00"),
            ("2024-03-05 10:00 GMT+2", "2024-03-05T08:00:00+00:00"),
            ("2024-03-05T10:00:00", "2024-03-05T10:00:00+00:00"),
            ("mar. 5 avril 2024", "2024-04-05T00:00:00+00:00"),
            ("10:00, 5 March 2024", "2024-03-05T10:00:00+00:00"),
            ("10:00 March 5, 2024", "2024-03-05T10:00:00+00:00"),
        ];
        for (text, expected) in cases {
            assert_eq!(read(text).as_deref(), Some(expected), "{text}");
        }
    }

    #[test]
    fn a_date_that_needs_a_guess_stays_empty() {
        for text in [
            "01/02/2024",
            "March 2024",
            "yesterday",
            "",
            "32 March 2024",
            "2024",
        ] {
            assert_eq!(read(text), None, "{text}");
        }
    }
}
