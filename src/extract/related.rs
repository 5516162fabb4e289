//! Teasers for other stories after the article ("Also in the news",
//! "You might also like", "Recent posts"): sites put them in the same
//! container as the story, so readability keeps them, and as every
//! article of the site carries a different set they would make unrelated
//! articles look alike, or a story look like a digest of others.

use std::sync::LazyLock;

use regex::Regex;

use super::dom_text::{closing_section_start, is_written_without_spaces, lowercase_key};

/// Headings that open a block of links to other content, lowercased and
/// without trailing punctuation.
static RELATED_HEADING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?x)^(?:
            also\ in\ the\ news
          | more\ (?:news|stories|articles|posts|to\ read|like\ this|on\ this(?:\ topic)?)
          | more\ from(?:\ [\w.'&-]+){1,4}
          | read\ (?:next|more|also)
          | you\ (?:may|might)\ (?:also\ )?(?:like|enjoy|be\ interested\ in)
          | related(?:\ (?:news|stories|articles|posts|reading|content|coverage|links))?
          | recommended(?:\ (?:for\ you|stories|reading|articles))?
          | most\ (?:read|popular|viewed)
          | trending(?:\ now|\ stories)?
          | latest\ (?:news|stories|posts|articles)
          | top\ stories
          | editor'?s\ picks
          | popular\ (?:posts|stories|articles)
          | recent\ (?:posts|stories|articles|news)
          | other\ (?:news|stories)
          | what\ to\ read\ next
          | keep\ reading
          | if\ you\ (?:liked|enjoyed)\ this(?:\ (?:post|article|story))?,?\ you\ (?:may|might|will)\ (?:also\ )?(?:like|enjoy)
          # The same in the other languages of European news.
          | mehr\ zum\ thema | das\ könnte\ sie\ auch\ interessieren | weitere\ artikel
          | (?:à\ )?lire\ aussi | sur\ le\ même\ sujet | à\ voir\ aussi
          | noticias\ relacionadas | te\ puede\ interesar | más\ noticias
          | leggi\ anche | potrebbe\ interessarti | altre\ notizie
          | leia\ também | veja\ também | notícias\ relacionadas | mais\ lidas
          | lees\ ook | meer\ nieuws | gerelateerde\ artikelen | meest\ gelezen
          | czytaj\ (?:także|też|również) | zobacz\ (?:także|też|również) | polecamy
          | najczęściej\ czytane | powiązane\ artykuły
          # A capital dotted I lowercases to i and a combining dot.
          | i\x{307}?lgili\ haberler | benzer\ haberler | diğer\ haberler | en\ çok\ okunanlar
          | читайте\ также | похожие\ новости | другие\ новости
          | читайте\ також | схожі\ новини
          # And in the other scripts news is written in.
          | اقرأ\ أيضاً? | مواضيع\ ذات\ صلة | أخبار\ ذات\ صلة | الأكثر\ قراءة
          | 相关新闻 | 相关阅读 | 延伸阅读 | 相关文章 | 推荐阅读
          | 相關新聞 | 相關閱讀 | 延伸閱讀 | 相關文章 | 推薦閱讀
          | 関連記事 | 関連ニュース | あわせて読みたい
          | 관련\ ?기사 | 많이\ 본\ 뉴스
          | เรื่องที่เกี่ยวข้อง | ข่าวที่เกี่ยวข้อง
          | ये\ भी\ पढ़ें | यह\ भी\ पढ़ें | संबंधित\ खबरें
        )$",
    )
    .expect("constant pattern")
});

/// A teaser is a headline, a date, a section name or a blurb: short, or
/// cut off with an ellipsis. A longer paragraph after such a heading is
/// the article going on (a "Related reading" section of its own), so the
/// text stays.
const MAX_TEASER_WORDS: usize = 30;
/// Chinese, Japanese and Thai put few or no spaces between words, so a
/// teaser is also no longer than 30 words' worth of characters.
const MAX_TEASER_CHARS: usize = 200;
/// A Han or kana character is about half a word.
const MAX_TEASER_HAN: usize = 2 * MAX_TEASER_WORDS;

/// Longer than any of those headings; spares the lowercasing of every
/// paragraph.
const MAX_HEADING_BYTES: usize = 64;

fn is_related_heading(paragraph: &str) -> bool {
    if paragraph.len() > MAX_HEADING_BYTES {
        return false;
    }
    RELATED_HEADING.is_match(&lowercase_key(paragraph))
}

fn is_teaser(paragraph: &str) -> bool {
    let short = paragraph.split_whitespace().count() <= MAX_TEASER_WORDS
        && paragraph.chars().count() <= MAX_TEASER_CHARS
        && paragraph
            .chars()
            .filter(|&c| is_written_without_spaces(c))
            .count()
            <= MAX_TEASER_HAN;
    short || paragraph.ends_with("...") || paragraph.ends_with('…')
}

/// Cuts the text at a related-content heading that only teasers follow.
pub(crate) fn drop_trailing_teasers(paragraphs: &mut Vec<String>) {
    // Any paragraph but the first: a cut there would leave no text.
    let window = paragraphs.len().saturating_sub(1);
    if let Some(at) = closing_section_start(paragraphs, window, is_related_heading, is_teaser) {
        paragraphs.truncate(at);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paragraphs(text: &str) -> Vec<String> {
        text.split("\n\n").map(str::to_owned).collect()
    }

    #[test]
    fn teasers_after_a_related_heading_go() {
        let story = "The harbour ferry will stop running in March, the council said on \
                     Tuesday, after forty years of service between the two quays.";
        let mut text = paragraphs(&format!(
            "{story}\n\nALSO IN THE NEWS\n\nFront Page\n\nDecember 19, 2025\n\n\
             THE SALVATION ARMY handed out 1,500 hampers on Tuesday, continuing a tradition \
             that goes back to the years after the war, when volunteers first carried food...\n\n\
             Bridge tolls to rise"
        ));
        drop_trailing_teasers(&mut text);
        assert_eq!(text, paragraphs(story));

        let mut german = paragraphs(&format!(
            "{story}\n\nMehr zum Thema\n\nFähre: Neuer Fahrplan ab März\n\nBrückenmaut steigt"
        ));
        drop_trailing_teasers(&mut german);
        assert_eq!(german, paragraphs(story));

        for heading in [
            "Leia também",
            "Lees ook",
            "Czytaj także",
            "İlgili Haberler",
            "Читайте также",
            "اقرأ أيضاً:",
            "相关新闻",
            "関連記事",
            "เรื่องที่เกี่ยวข้อง",
        ] {
            let mut text = paragraphs(&format!(
                "{story}\n\n{heading}\n\nFerry timetable\n\nBridge tolls"
            ));
            drop_trailing_teasers(&mut text);
            assert_eq!(text, paragraphs(story), "{heading}");
        }

        let mut trailing_heading = paragraphs(&format!("{story}\n\nYou might also like:"));
        drop_trailing_teasers(&mut trailing_heading);
        assert_eq!(trailing_heading, paragraphs(story));
    }

    #[test]
    fn a_related_section_with_prose_stays() {
        let text = paragraphs(
            "The ferry stops in March.\n\nRelated reading\n\n\
             Readers who want the background can find it in the council's own history of \
             the service, which sets out why the quays were built, who paid for them and \
             how the timetable changed as the town grew over four decades.",
        );
        let mut kept = text.clone();
        drop_trailing_teasers(&mut kept);
        assert_eq!(kept, text);

        // Chinese prose has no spaces to count words by.
        let text = paragraphs(&format!(
            "渡轮将于三月停运。\n\n相关新闻\n\n{}",
            "市议会星期二表示，这条连接两个码头的渡轮航线运营了四十年，由于乘客减少和维修费用上涨，将在三月底停止服务。议会将在下个月研究以公交车替代，并征求两岸居民的意见。"
        ));
        let mut kept = text.clone();
        drop_trailing_teasers(&mut kept);
        assert_eq!(kept, text);
    }
}
