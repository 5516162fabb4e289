//! Test pages written for these tests: an invented local news story in
//! the furniture real news sites wrap around their articles.

/// The story's paragraphs; each test checks they all survive extraction.
pub const STORY: &[&str] = &[
    "The harbour authority in Port Elling voted on Tuesday evening to close the old \
     ferry pier for at least eighteen months, after engineers found that several of \
     its timber piles had rotted well below the waterline.",
    "Councillor Mara Vintl, who chairs the authority, said the decision had not been \
     taken lightly. Around four hundred commuters use the pier every weekday, most of \
     them travelling to the shipyards on the far side of the estuary.",
    "A temporary landing stage will be built at the fish market within six weeks, the \
     authority said, and the ferry timetable will be extended by ten minutes in each \
     direction while the work goes on.",
    "Local business owners gave the plan a cautious welcome. The owner of a cafe next \
     to the pier said she expected to lose trade but understood that safety had to come \
     first, and asked the council to help with signs pointing to the new stage.",
    "The repair is expected to cost just under three million crowns, most of it paid \
     from the regional transport fund. A public meeting about the work is planned for \
     the first week of next month in the town library.",
];

pub const HEADLINE: &str = "Port Elling closes its old ferry pier for repairs";

/// Text from the page furniture; none of it may appear in the body.
pub const FURNITURE: &[&str] = &[
    "Subscribe to our newsletter",
    "We use cookies",
    "Share on Facebook",
    "Council approves new bus lanes",
    "Great article, thanks",
    "Copyright Elling Gazette",
    "Weather",
];

fn paragraphs() -> String {
    STORY.iter().map(|p| format!("<p>{p}</p>\n")).collect()
}

/// A complete news page with navigation, a cookie banner, share buttons,
/// related links, comments and a footer around the story.
pub fn news_page(head_extra: &str) -> String {
    format!(
        r#"<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{HEADLINE} | Elling Gazette</title>
<meta property="og:site_name" content="Elling Gazette">
<link rel="canonical" href="/news/2024/03/05/ferry-pier">
{head_extra}
</head>
<body>
<div class="cookie-banner" id="cookie-consent"><p>We use cookies to improve your experience on
our site. By continuing you agree to our use of cookies.</p><button>Accept</button></div>
<header class="site-header"><a class="logo" href="/">Elling Gazette</a>
<nav class="main-menu"><ul><li><a href="/news">News</a></li><li><a href="/sport">Sport</a></li>
<li><a href="/weather">Weather</a></li><li><a href="/opinion">Opinion</a></li></ul></nav>
</header>
<main>
<article>
<h1>{HEADLINE}</h1>
<div class="byline">By <span class="author-name">Jonas Ferrel</span>
<time datetime="2024-03-05T18:30:00+01:00">5 March 2024</time></div>
<div class="share-buttons"><a href="https://facebook.com/share">Share on Facebook</a>
<a href="https://twitter.com/share">Share on X</a><a href="mailto:">Email</a></div>
{paragraphs}
</article>
<section class="related-articles"><h2>Related</h2><ul>
<li><a href="/news/bus-lanes">Council approves new bus lanes on the harbour road</a></li>
<li><a href="/news/fish-market">Fish market to open on Sundays this summer season</a></li>
<li><a href="/news/library">Town library extends its opening hours for students</a></li>
</ul></section>
<section id="comments" class="comments"><h2>Comments</h2>
<div class="comment"><p>Great article, thanks for keeping us informed about the pier.</p></div>
<div class="comment"><p>About time they fixed it, the planks have been loose for years.</p></div>
</section>
</main>
<aside class="sidebar"><div class="newsletter"><p>Subscribe to our newsletter for the
latest local news every morning.</p></div></aside>
<footer class="site-footer"><p>Copyright Elling Gazette 2024. All rights reserved.</p>
<ul><li><a href="/about">About us</a></li><li><a href="/contact">Contact</a></li></ul></footer>
</body>
</html>"#,
        paragraphs = paragraphs()
    )
}

/// A front page: many teaser links and short blurbs, no article.
pub fn index_page() -> String {
    let teasers: String = (1..=30)
        .map(|i| {
            format!(
                r#"<div class="teaser"><h3><a href="/news/story-{i}">Headline number {i} about
                a local event in the harbour town</a></h3><a href="/news/story-{i}">Read more</a></div>"#
            )
        })
        .collect();
    format!(
        r#"<html><head><title>Elling Gazette - Front page</title>
<meta property="og:type" content="website"></head><body>
<nav><a href="/news">News</a> <a href="/sport">Sport</a></nav>
<main><h1>Latest news</h1>{teasers}</main></body></html>"#
    )
}

/// A video page: a player and two lines of description.
pub fn video_page() -> String {
    r#"<html><head><title>Watch: the ferry pier from above</title>
<meta property="og:type" content="video.other"></head><body>
<article><h1>Watch: the ferry pier from above</h1>
<video src="/media/pier.mp4" controls></video>
<p>Drone footage of the old ferry pier before the repairs begin.</p>
</article></body></html>"#
        .to_string()
}

/// A subscriber-only stub: a teaser paragraph and a subscription wall.
pub fn paywall_page() -> String {
    format!(
        r#"<html><head><title>{HEADLINE}</title>
<script type="application/ld+json">{{"@context":"https://schema.org","@type":"NewsArticle",
"headline":"{HEADLINE}","isAccessibleForFree":false}}</script></head><body>
<article><h1>{HEADLINE}</h1><p>{first}</p>
<div class="paywall"><p>This article is for subscribers only. Subscribe to continue
reading.</p><a href="/subscribe">Subscribe now</a></div></article></body></html>"#,
        first = STORY[0]
    )
}

/// A paywall known only by its prompt: the teaser (three paragraphs, under
/// 150 words) and a line asking the reader to subscribe, with no paywall
/// class or `isAccessibleForFree` to go by.
pub fn paywall_prompt_page() -> String {
    format!(
        r#"<html><head><title>{HEADLINE}</title></head><body>
<article><h1>{HEADLINE}</h1><p>{}</p><p>{}</p><p>{}</p>
<p>Already a subscriber? Log in to keep reading.</p>
<p>Subscribe to continue reading.</p></article></body></html>"#,
        STORY[0], STORY[1], STORY[2]
    )
}

/// A subheading of the story, styled the way utility-CSS sites style it.
pub const SUBHEADING: &str = "Where the ferries will land meanwhile";

/// The story on a page styled with utility classes (Tailwind and the like):
/// a subheading in `font-extrabold leading-extra-tight`, and the last
/// paragraph in a block shown only on wide screens.
pub fn utility_styled_page() -> String {
    let (first, rest) = STORY.split_at(2);
    let (middle, last) = rest.split_at(rest.len() - 1);
    let styled = |ps: &[&str]| -> String {
        ps.iter()
            .map(|p| format!(r#"<p class="text-base leading-7 mb-6 md:text-lg">{p}</p>"#))
            .collect()
    };
    format!(
        r#"<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{HEADLINE}</title></head>
<body class="bg-white font-sans">
<nav class="flex gap-4 px-6"><a href="/">Home</a><a href="/news">News</a></nav>
<main class="mx-auto max-w-3xl px-4">
<article class="prose lg:prose-xl">
<h1 class="font-extrabold text-4xl leading-tight">{HEADLINE}</h1>
{first}
<h3 class="font-extrabold leading-extra-tight mb-2 mt-6 text-2xl">{SUBHEADING}</h3>
{middle}
<div class="hidden md:block">{last}</div>
</article>
</main>
</body></html>"#,
        first = styled(first),
        middle = styled(middle),
        last = styled(last),
    )
}
