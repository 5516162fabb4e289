//! Dates written with month names in the other languages of European
//! news: German, French, Spanish, Italian, Portuguese, Dutch, Polish and
//! Turkish. All of them write the day first ("14. Juni 2019", "jeudi 13
//! juin 2019", "5 de enero de 2021", "3 Aralık 2008").

use std::sync::LazyLock;

use chrono::NaiveDate;
use regex::Regex;

/// Full month names only: abbreviations differ between languages and
/// some collide with words ("mar" is the sea in Spanish).
const MONTH_NAMES: &[(&str, u32)] = &[
    // German
    ("januar", 1),
    ("jänner", 1),
    ("februar", 2),
    ("märz", 3),
    ("april", 4),
    ("mai", 5),
    ("juni", 6),
    ("juli", 7),
    ("august", 8),
    ("september", 9),
    ("oktober", 10),
    ("november", 11),
    ("dezember", 12),
    // French
    ("janvier", 1),
    ("février", 2),
    ("mars", 3),
    ("avril", 4),
    ("juin", 6),
    ("juillet", 7),
    ("août", 8),
    ("septembre", 9),
    ("octobre", 10),
    ("novembre", 11),
    ("décembre", 12),
    // Spanish
    ("enero", 1),
    ("febrero", 2),
    ("marzo", 3),
    ("abril", 4),
    ("mayo", 5),
    ("junio", 6),
    ("julio", 7),
    ("agosto", 8),
    ("septiembre", 9),
    ("setiembre", 9),
    ("octubre", 10),
    ("noviembre", 11),
    ("diciembre", 12),
    // Italian
    ("gennaio", 1),
    ("febbraio", 2),
    ("aprile", 4),
    ("maggio", 5),
    ("giugno", 6),
    ("luglio", 7),
    ("settembre", 9),
    ("ottobre", 10),
    ("dicembre", 12),
    // Portuguese
    ("janeiro", 1),
    ("fevereiro", 2),
    ("março", 3),
    ("maio", 5),
    ("junho", 6),
    ("julho", 7),
    ("setembro", 9),
    ("outubro", 10),
    ("dezembro", 12),
    // Dutch
    ("januari", 1),
    ("februari", 2),
    ("maart", 3),
    ("mei", 5),
    ("augustus", 8),
    // Polish, in the genitive dates use
    ("stycznia", 1),
    ("lutego", 2),
    ("marca", 3),
    ("kwietnia", 4),
    ("maja", 5),
    ("czerwca", 6),
    ("lipca", 7),
    ("sierpnia", 8),
    ("września", 9),
    ("października", 10),
    ("listopada", 11),
    ("grudnia", 12),
    // Turkish
    ("ocak", 1),
    ("şubat", 2),
    ("mart", 3),
    ("nisan", 4),
    ("mayıs", 5),
    ("haziran", 6),
    ("temmuz", 7),
    ("ağustos", 8),
    ("eylül", 9),
    ("ekim", 10),
    ("kasım", 11),
    ("aralık", 12),
];

/// Day, month name, year: "14. Juni 2019", "5 de enero de 2021",
/// "1er août 2020".
static DAY_MONTH_YEAR: LazyLock<Regex> = LazyLock::new(|| {
    let names: Vec<&str> = MONTH_NAMES.iter().map(|(name, _)| *name).collect();
    Regex::new(&format!(
        r"(?i)(?:^|[^\w])(\d{{1,2}})(?:\.|er|º)?\s+(?:de\s+)?({})\.?,?\s+(?:de\s+)?(\d{{4}})\b",
        names.join("|")
    ))
    .expect("constant pattern")
});

/// The first date in `text` written day first with a month name of one
/// of these languages.
pub(super) fn day_month_year(text: &str) -> Option<NaiveDate> {
    let captures = DAY_MONTH_YEAR.captures(text)?;
    let name = captures[2].to_lowercase();
    let month = MONTH_NAMES
        .iter()
        .find(|(candidate, _)| *candidate == name)?
        .1;
    NaiveDate::from_ymd_opt(captures[3].parse().ok()?, month, captures[1].parse().ok()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> Option<String> {
        day_month_year(text).map(|d| d.to_string())
    }

    #[test]
    fn month_names_of_european_languages_are_read() {
        for (text, expected) in [
            ("Samstag, 19. Juli 2014", "2014-07-19"),
            ("am 14. Dezember 2015 um 14:48", "2015-12-14"),
            ("jeudi 13 juin 2019", "2019-06-13"),
            ("1er août 2020", "2020-08-01"),
            ("5 de enero de 2021", "2021-01-05"),
            ("12 settembre 2022", "2022-09-12"),
            ("3 de março de 2023", "2023-03-03"),
            ("7 maart 2024", "2024-03-07"),
            ("21 października 2019", "2019-10-21"),
            ("3 Aralık 2008 Çarşamba", "2008-12-03"),
            ("14. MAI 2019", "2019-05-14"),
        ] {
            assert_eq!(day(text).as_deref(), Some(expected), "{text}");
        }
        for not_a_date in [
            "31. Februar 2019",
            "Mai 2019",
            "Seite 2 von 2019",
            "123 juni 2019",
        ] {
            assert_eq!(day(not_a_date), None, "{not_a_date}");
        }
    }
}
