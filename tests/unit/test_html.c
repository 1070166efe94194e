/* test_html.c — unit tests of the HTML reader (indexer/read_html.c): the
 * text keeps one paragraph per line without page chrome, the title, date
 * and outlet come from the markup in the documented order, and garbage or
 * deeply nested input never crashes. The last tests run the whole reader
 * on a file through a fake ptindex environment. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util/error.h"
#include "ptsearch.h"
#include "read_html.h"
#include "extractor.h"
#include "test_util.h"

/* ------------------------------------------------------------ helpers */

/* Checks the shape every extracted text must have: NUL-terminated at
 * text_len, valid UTF-8 without NUL, no empty line, no blank at a line's
 * ends. */
static void assert_well_formed(const pt_html_article *a)
{
    if (!a->text) {
        assert_int_equal(a->text_len, 0);
        return;
    }
    assert_true(a->text_len > 0);
    assert_int_equal(strlen(a->text), a->text_len);
    assert_true(pt_utf8_is_clean(a->text, a->text_len));
    assert_null(strstr(a->text, "\n\n"));
    assert_null(strstr(a->text, " \n"));
    assert_null(strstr(a->text, "\n "));
    assert_true(a->text[0] != '\n' && a->text[0] != ' ');
    assert_true(a->text[a->text_len - 1] != '\n' && a->text[a->text_len - 1] != ' ');
}

/* Extracts from bytes copied into an exact-size buffer (no NUL after it),
 * so a read past the end trips ASan. */
static void extract_bytes(pt_html_article *a, const char *bytes, size_t len)
{
    test_bytes copy = test_copy_bytes(bytes, len);
    assert_int_equal(pt_html_extract(copy.data, copy.len, a), 0);
    free(copy.data);
    assert_well_formed(a);
}

static void extract(pt_html_article *a, const char *html)
{
    extract_bytes(a, html, strlen(html));
}

/* The text of a page; the caller frees it. */
static char *text_of(const char *html)
{
    pt_html_article a;
    extract(&a, html);
    char *text = a.text;
    a.text = NULL;
    pt_extracted_clear(&a);
    assert_non_null(text);
    return text;
}

static void assert_text(const char *html, const char *expected)
{
    char *text = text_of(html);
    assert_string_equal(text, expected);
    free(text);
}

static void assert_title(const char *html, const char *expected)
{
    pt_html_article a;
    extract(&a, html);
    if (expected) {
        assert_non_null(a.title);
        assert_string_equal(a.title, expected);
    } else {
        assert_null(a.title);
    }
    pt_extracted_clear(&a);
}

static void assert_date(const char *html, const char *expected)
{
    pt_html_article a;
    extract(&a, html);
    if (expected) {
        assert_non_null(a.date);
        assert_string_equal(a.date, expected);
    } else {
        assert_null(a.date);
    }
    pt_extracted_clear(&a);
}

static void assert_source(const char *html, const char *expected)
{
    pt_html_article a;
    extract(&a, html);
    if (expected) {
        assert_non_null(a.source);
        assert_string_equal(a.source, expected);
    } else {
        assert_null(a.source);
    }
    pt_extracted_clear(&a);
}

/* ------------------------------------------------------------ text */

static void test_html__paragraphs_become_lines(void **state)
{
    (void)state;
    assert_text("<html><body><h1>Storm  hits\n coast</h1>"
                "<p>First   paragraph,\n\tcontinued.</p>"
                "<p>Second with <b>bold</b> and <a href=x>a link</a>.</p>"
                "<div>Loose div text<br>after a break</div>"
                "<ul><li>one</li><li>two</li></ul>"
                "<blockquote>Quoted</blockquote>"
                "<dl><dt>Term</dt><dd>Meaning</dd></dl>"
                "<figure><img src=a.jpg><figcaption>Caption</figcaption></figure>"
                "</body></html>",
                "Storm hits coast\n"
                "First paragraph, continued.\n"
                "Second with bold and a link.\n"
                "Loose div text\nafter a break\n"
                "one\ntwo\nQuoted\nTerm\nMeaning\nCaption");
}

static void test_html__inline_elements_do_not_split_words(void **state)
{
    (void)state;
    assert_text("<p>un<i>believ</i>able <span>news</span></p>", "unbelievable news");
}

static void test_html__nested_divs_make_no_empty_lines(void **state)
{
    (void)state;
    assert_text("<div><div><p>A</p></div>\n\n<div> </div><section><p>B</p></section></div>"
                "<table><tr><td>C</td><td>D</td></tr></table>",
                "A\nB\nC\nD");
}

static void test_html__pre_keeps_its_lines(void **state)
{
    (void)state;
    assert_text("<pre>line one\nline   two\n\n</pre><p>after</p>", "line one\nline two\nafter");
}

static void test_html__chrome_and_code_are_dropped(void **state)
{
    (void)state;
    assert_text("<html><head><style>p{color:red}</style><script>var x = 1;</script></head>"
                "<body><header>Site header</header><nav>Home | World</nav>"
                "<script>alert('no')</script><style>.a{}</style><noscript>Enable JS</noscript>"
                "<p>Kept text.</p>"
                "<aside>Related stories</aside><form><label>Search</label><input value=q></form>"
                "<button>Share</button><select><option>Pick</option></select>"
                "<iframe>frame</iframe><svg><text>Logo</text></svg><canvas>c</canvas>"
                "<template><p>tpl</p></template>"
                "<div role=navigation>Menu</div><div role=banner>Banner</div>"
                "<div role=contentinfo>Copyright</div><div role=complementary>More</div>"
                "<div hidden>Hidden</div><div aria-hidden=true>Aria</div>"
                "<div style=\"display: none\">Styled away</div>"
                "<footer>Site footer</footer></body></html>",
                "Kept text.");
}

static void test_html__aria_hidden_false_is_kept(void **state)
{
    (void)state;
    assert_text("<div aria-hidden=false>Visible</div>", "Visible");
}

static void test_html__entities_are_decoded(void **state)
{
    (void)state;
    assert_text("<p>Tom &amp; Jerry&#8217;s &lt;show&gt;&nbsp;&nbsp;today &eacute;t&#xE9;</p>",
                "Tom & Jerry\u2019s <show> today \u00e9t\u00e9");
}

/* Found by fuzz_html: gumbo 0.10 decodes a character reference past
 * 32 bits to a raw 0xFF byte; the index must still get valid UTF-8 (and
 * ptsearch --format json then failed on the hit). */
static void test_html__huge_character_reference_stays_utf8(void **state)
{
    (void)state;
    assert_text("<p>a &#999999999999; b</p>", "a \uFFFD b");
    pt_html_article a;
    extract(&a, "<html><head><title>t &#999999999999;</title>"
                "<meta property=\"og:site_name\" content=\"s &#999999999999;\"></head><p>x</p>");
    assert_non_null(a.title);
    assert_true(pt_utf8_is_clean(a.title, strlen(a.title)));
    assert_non_null(a.source);
    assert_true(pt_utf8_is_clean(a.source, strlen(a.source)));
    pt_extracted_clear(&a);
}

static void test_html__article_preferred_over_page(void **state)
{
    (void)state;
    assert_text("<body><div class=top>Subscribe now</div>"
                "<main><div>Trending: cats</div>"
                "<article><h1>Headline</h1><p>The story itself.</p></article>"
                "<div>Most read</div></main><div>Cookie banner</div></body>",
                "Headline\nThe story itself.");
}

static void test_html__largest_article_wins(void **state)
{
    (void)state;
    assert_text("<article><p>Teaser</p></article>"
                "<article><p>The long main story with many words in it.</p></article>"
                "<article><p>Other teaser</p></article>",
                "The long main story with many words in it.");
}

static void test_html__hidden_article_is_not_taken(void **state)
{
    (void)state;
    assert_text("<aside><article><p>A much longer related story in the sidebar.</p></article></aside>"
                "<article><p>Real story.</p></article>",
                "Real story.");
}

static void test_html__main_when_no_article(void **state)
{
    (void)state;
    assert_text("<body><div>Site chrome</div><main><p>Main text.</p></main>"
                "<div>More chrome</div></body>",
                "Main text.");
}

static void test_html__empty_article_falls_back_to_body(void **state)
{
    (void)state;
    assert_text("<body><article></article><p>Body text.</p></body>", "Body text.");
}

static void test_html__no_text_gives_null(void **state)
{
    (void)state;
    pt_html_article a;
    extract(&a, "<html><head><title>Only a title</title></head>"
                "<body><script>x()</script> \n <nav>menu</nav></body></html>");
    assert_null(a.text);
    assert_int_equal(a.text_len, 0);
    assert_string_equal(a.title, "Only a title");
    pt_extracted_clear(&a);
    extract(&a, "");
    assert_null(a.text);
    assert_null(a.title);
    assert_null(a.date);
    assert_null(a.source);
    pt_extracted_clear(&a);
}

/* ------------------------------------------------------------ title */

static void test_html__og_title_beats_title(void **state)
{
    (void)state;
    assert_title("<head><title>Tag title</title>"
                 "<meta property=\"og:title\" content=\"  Open  Graph title \"></head>"
                 "<body><h1>Heading</h1><p>x</p></body>",
                 "Open Graph title");
}

static void test_html__title_beats_h1(void **state)
{
    (void)state;
    assert_title("<head><title>Tag &amp; title</title></head><body><h1>Heading</h1></body>",
                 "Tag & title");
}

static void test_html__h1_when_no_title(void **state)
{
    (void)state;
    assert_title("<body><p>intro</p><h1>The <em>real</em><br>heading</h1><h1>Second</h1></body>",
                 "The real heading");
}

static void test_html__h1_of_article_beats_page_h1(void **state)
{
    (void)state;
    assert_title("<body><div><h1>Site Logo</h1></div>"
                 "<article><header><h1>Story heading</h1></header><p>x</p></article></body>",
                 "Story heading");
}

static void test_html__no_title_at_all(void **state)
{
    (void)state;
    assert_title("<p>Just text</p>", NULL);
    assert_text("<p>Just text</p>", "Just text");
}

static void test_html__title_site_suffix_stripped(void **state)
{
    (void)state;
    assert_title("<title>Flood warning issued | Daily Planet</title>"
                 "<meta property=og:site_name content=\"Daily Planet\">",
                 "Flood warning issued");
    assert_title("<title>Flood warning issued - Daily Planet</title>"
                 "<meta property=og:site_name content=\"Daily Planet\">",
                 "Flood warning issued");
    assert_title("<title>Flood warning \u2014 Daily Planet</title>"
                 "<meta property=og:site_name content=\"Daily Planet\">",
                 "Flood warning");
}

static void test_html__title_other_suffix_kept(void **state)
{
    (void)state;
    assert_title("<title>Flood warning issued | Weather</title>"
                 "<meta property=og:site_name content=\"Daily Planet\">",
                 "Flood warning issued | Weather");
    assert_title("<title>Jekyll - Hyde</title>", "Jekyll - Hyde");
    assert_title("<title>Daily Planet</title><meta property=og:site_name content=\"Daily Planet\">",
                 "Daily Planet");
}

/* ------------------------------------------------------------ date */

static void test_html__date_from_each_meta_form(void **state)
{
    (void)state;
    static const char *const forms[] = {
        "<meta property=\"article:published_time\" content=\"2025-12-15T08:30:00+01:00\">",
        "<meta name=\"date\" content=\"2025-12-15\">",
        "<meta name=\"pubdate\" content=\"2025-12-15\">",
        "<meta name=\"publishdate\" content=\"2025-12-15 10:00\">",
        "<meta name=\"DC.date.issued\" content=\"2025-12-15\">",
        "<meta name=\"dcterms.date\" content=\"December 15, 2025\">",
        "<meta itemprop=\"datePublished\" content=\"2025-12-15\">",
        "<body><span itemprop=\"datePublished\" content=\"2025-12-15\">Monday</span></body>",
        "<body><time itemprop=\"datePublished\" datetime=\"2025-12-15T10:00Z\">Mon</time></body>",
    };
    for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++) {
        print_message("%s\n", forms[i]);
        assert_date(forms[i], "2025-12-15");
    }
}

static void test_html__date_from_time_element(void **state)
{
    (void)state;
    assert_date("<body><p>Posted <time>yesterday</time> "
                "<time datetime=\"2025-11-03T12:00:00Z\">Nov 3</time></p>"
                "<time datetime=\"2024-01-01\">old</time></body>",
                "2025-11-03");
}

static void test_html__published_time_beats_time_element(void **state)
{
    (void)state;
    assert_date("<head><meta property=\"article:published_time\" content=\"2025-12-15\"></head>"
                "<body><time datetime=\"2025-12-16\">Updated</time></body>",
                "2025-12-15");
}

static void test_html__invalid_date_absent(void **state)
{
    (void)state;
    assert_date("<meta name=date content=\"2024-02-29\">", "2024-02-29");
    assert_date("<meta name=date content=\"2025-02-29\"><p>Text from 2025-12-15.</p>", NULL);
    assert_date("<meta name=date content=\"yesterday\">", NULL);
    assert_date("<time datetime=\"soon\">Dec 15, 2025</time>", NULL);
    assert_date("<p>Published December 15, 2025</p>", NULL);
}

/* ------------------------------------------------------------ source */

static void test_html__source_from_og_site_name(void **state)
{
    (void)state;
    assert_source("<meta name=application-name content=App>"
                  "<meta property=\"og:site_name\" content=\" The  Daily Planet \">",
                  "The Daily Planet");
    assert_source("<meta name=publisher content=Pub><meta name=application-name content=App>", "App");
    assert_source("<meta name=publisher content=\"Planet Media\">", "Planet Media");
    assert_source("<p>From The Daily Planet</p>", NULL);
}

/* ------------------------------------------------------------ garbage */

static void test_html__truncated_markup(void **state)
{
    (void)state;
    assert_text("<p>Hello <b cla", "Hello");
    assert_text("<p>Hello</p><!-- never closed <p>gone</p>", "Hello");
    assert_text("<p>Hello &am", "Hello &am");
    assert_text("<p>Hello</p><script>never closed", "Hello");
    pt_html_article a;
    extract(&a, "<");
    pt_extracted_clear(&a);
    extract(&a, "<html><head><title>cut");
    assert_null(a.text);
    pt_extracted_clear(&a);
}

static void test_html__random_bytes(void **state)
{
    (void)state;
    uint32_t seed = 12345;
    const char marker[] = "<p>marker</p>";
    const char markup[16] = "<>/=\"' &#;ap!-\0\xff"; /* the bytes of markup, a NUL, bad UTF-8 */
    for (int round = 0; round < 200; round++) {
        size_t len = sizeof marker - 1 + (size_t)round * 37;
        char *bytes = malloc(len);
        assert_non_null(bytes);
        memcpy(bytes, marker, sizeof marker - 1);
        for (size_t i = sizeof marker - 1; i < len; i++) {
            seed = seed * 1103515245u + 12345u;
            bytes[i] = round % 2 ? (char)(seed >> 16) : markup[(seed >> 16) % 16];
        }
        pt_html_article a;
        extract_bytes(&a, bytes, len);
        assert_non_null(a.text);
        assert_memory_equal(a.text, "marker", 6);
        pt_extracted_clear(&a);
        free(bytes);
    }
}

/* n copies of open, then the text, and no closing tags. */
static char *deep_page(const char *open, int n, const char *text)
{
    size_t k = strlen(open), t = strlen(text);
    char *page = malloc(k * (size_t)n + t + 1);
    assert_non_null(page);
    for (int i = 0; i < n; i++)
        memcpy(page + k * (size_t)i, open, k);
    memcpy(page + k * (size_t)n, text, t + 1);
    return page;
}

/* Nesting up to the limit is parsed (the walks are iterative). */
static void test_html__deep_nesting(void **state)
{
    (void)state;
    static const struct { const char *open; int tags; } opens[] = {
        {"<div>", 1}, {"<article>", 1}, {"<span>", 1}, {"<div><h1>", 2},
    };
    for (size_t i = 0; i < sizeof opens / sizeof opens[0]; i++) {
        char *page = deep_page(opens[i].open, 990 / opens[i].tags, "deep text");
        pt_html_article a;
        extract(&a, page);
        assert_non_null(a.text);
        assert_string_equal(a.text, "deep text");
        pt_extracted_clear(&a);
        free(page);
    }
}

static double cpu_seconds(void)
{
    return (double)clock() / CLOCKS_PER_SEC;
}

/* Deeper than 1000 elements is refused before gumbo runs (200,000 nested
 * <div> took gumbo 226 s; unclosed <div><b><i> over 500 s). */
static void test_html__too_deep_refused_at_once(void **state)
{
    (void)state;
    static const char *const opens[] = { "<div>", "<div><b><i>", "<span>", "<custom-tag>", "<DIV>" };
    for (size_t i = 0; i < sizeof opens / sizeof opens[0]; i++) {
        char *page = deep_page(opens[i], 200000, "deep text");
        pt_html_article a;
        double t0 = cpu_seconds();
        assert_int_equal(pt_html_extract(page, strlen(page), &a), PT_EINVAL);
        assert_true(cpu_seconds() - t0 < 0.5);
        assert_string_equal(pt_error_last(), "HTML nested deeper than 1000 elements");
        assert_null(a.text);
        pt_extracted_clear(&a);
        free(page);
    }
}

static size_t depth_of(const char *html)
{
    return pt_html_depth_estimate(html, strlen(html), 1000);
}

/* The scan counts what nests and nothing else. */
static void test_html__depth_estimate(void **state)
{
    (void)state;
    assert_int_equal(depth_of(""), 0);
    assert_int_equal(depth_of("<div><section><span>x</span></section></div>"), 3);
    assert_int_equal(depth_of("<div></div><div></div><div>"), 1);
    assert_int_equal(depth_of("<DIV><Div></div>"), 2);         /* any case */
    assert_int_equal(depth_of("</b></b></b><b>"), 1);          /* stray end tags close nothing */
    assert_int_equal(depth_of("<p>a<p>b<p>c<li>d<li>e<br><img src=x><hr>"), 0);
    assert_int_equal(depth_of("<a href=1>x<a href=2>y<a href=3>"), 0);
    assert_int_equal(depth_of("<!-- <div><div> --><div>"), 1);
    assert_int_equal(depth_of("<!--><div>"), 1);               /* an empty comment */
    assert_int_equal(depth_of("<script>if (a<b) '<div><div>'</SCRIPT ><div>"), 1);
    assert_int_equal(depth_of("<textarea><div><div></textarea><textarea>"), 1);
    assert_int_equal(depth_of("<svg><path d=1/><path d=2/></svg>"), 1);
    assert_int_equal(depth_of("<div/><div/>"), 2);             /* not self-closing in HTML */
    assert_int_equal(depth_of("<!DOCTYPE html><?xml x?><html><head><body><div>"), 1);
    assert_int_equal(depth_of("<plaintext><div><div><div>"), 1);
    assert_int_equal(depth_of("a < b and c<d"), 1);            /* "<d" is a tag to gumbo too */
    char *deep = deep_page("<div>", 5000, "");
    assert_int_equal(pt_html_depth_estimate(deep, strlen(deep), 1000), 1001); /* stops there */
    free(deep);
}

/* n times printf(format, i). */
static char *repeat_page(const char *head, const char *format, int n)
{
    size_t cap = strlen(head) + (size_t)n * (strlen(format) + 12) + 1, len = strlen(head);
    char *page = malloc(cap);
    assert_non_null(page);
    memcpy(page, head, len + 1);
    for (int i = 0; i < n; i++)
        len += (size_t)snprintf(page + len, cap - len, format, i);
    return page;
}

/* Ten distinct unclosed formatting elements inside a paragraph are copied
 * into each later paragraph: 400 KB of markup made 415 MB and took 1.6 s.
 * The parse stops at its memory budget (32 MB + 32 times the page). */
static void test_html__formatting_copies_stop_at_memory_budget(void **state)
{
    (void)state;
    char *head = repeat_page("<p>", "<b class=c%d>", 10);
    char *page = repeat_page(head, "<p>x", 100000);
    pt_html_article a;
    double t0 = cpu_seconds();
    assert_int_equal(pt_html_extract(page, strlen(page), &a), PT_EINVAL);
    assert_true(cpu_seconds() - t0 < 1.0);
    assert_non_null(strstr(pt_error_last(), "HTML too costly to parse: over 44 MB of parser memory"));
    pt_extracted_clear(&a);
    free(page);
    free(head);
}

/* Misnesting can keep the scan's count low while gumbo nests ever deeper
 * (an end tag gumbo ignores closes an element of the scan): the CPU-time
 * budget ends such a parse. Run here with a small budget. */
static void test_html__cpu_budget_ends_a_slow_parse(void **state)
{
    (void)state;
    char *page = repeat_page("", "<div><table></div></table>", 20000);
    assert_true(depth_of(page) <= 2); /* the scan sees nothing wrong */
    pt_html_limits lim = pt_html_default_limits(strlen(page));
    lim.max_cpu_seconds = 0.1;
    pt_html_article a;
    double t0 = cpu_seconds();
    assert_int_equal(pt_html_extract_within(page, strlen(page), &lim, &a), PT_EINVAL);
    assert_true(cpu_seconds() - t0 < 0.5);
    assert_string_equal(pt_error_last(), "HTML too costly to parse: over 0.1 s of CPU time");
    pt_extracted_clear(&a);
    /* The same page within a generous budget parses. */
    lim.max_cpu_seconds = 60;
    assert_int_equal(pt_html_extract_within("<p>fine</p>", 11, &lim, &a), 0);
    assert_string_equal(a.text, "fine");
    pt_extracted_clear(&a);
    free(page);
}

/* ------------------------------------------------------------ the reader */

typedef struct {
    int articles, skips, warnings;
    char text[256], title[256], reason[256];
    const char *id, *path;
    size_t offset;
    uint32_t line;
} fake_index;

static int take_article(pt_read_env *env, const pt_article *a)
{
    fake_index *ix = env->ctx;
    ix->articles++;
    snprintf(ix->text, sizeof ix->text, "%.*s", (int)a->text_len, a->text);
    snprintf(ix->title, sizeof ix->title, "%s", a->title ? a->title : "(none)");
    ix->id = a->id;
    ix->path = a->path;
    ix->offset = a->file_offset;
    ix->line = a->file_line;
    return 0;
}

static void take_skip(pt_read_env *env, unsigned long line, const char *reason)
{
    fake_index *ix = env->ctx;
    (void)line;
    ix->skips++;
    snprintf(ix->reason, sizeof ix->reason, "%s", reason);
}

static void take_warning(pt_read_env *env, unsigned long line, const char *reason)
{
    fake_index *ix = env->ctx;
    (void)line, (void)reason;
    ix->warnings++;
}

/* Writes bytes to a file and runs the HTML reader on it. */
static void read_file(fake_index *ix, const char *bytes, size_t len)
{
    char *dir = test_tmpdir();
    assert_non_null(dir);
    char path[600];
    snprintf(path, sizeof path, "%s/page.html", dir);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(bytes, 1, len, f), len);
    fclose(f);
    memset(ix, 0, sizeof *ix);
    pt_read_env env = { path, path, "news/page.html", take_article, take_skip, take_warning, ix };
    pt_input *in = NULL;
    char why[256];
    assert_int_equal(pt_input_open(&in, path, why, sizeof why), 0);
    assert_int_equal(pt_read_html_input(&env, in), 0);
    pt_input_close(in);
    if (ix->path)
        ix->path = strcmp(ix->path, path) == 0 ? "(abspath)" : "(other)";
    test_rmdir(dir);
}

static void test_html__reader_gives_one_article(void **state)
{
    (void)state;
    fake_index ix;
    const char page[] = "<title>Heading</title><p>One.</p><p>Two \xff.</p>";
    read_file(&ix, page, sizeof page - 1);
    assert_int_equal(ix.articles, 1);
    assert_int_equal(ix.skips, 0);
    assert_int_equal(ix.warnings, 1);
    assert_string_equal(ix.id, "news/page.html");
    assert_string_equal(ix.path, "(abspath)");
    assert_string_equal(ix.text, "One.\nTwo \xef\xbf\xbd.");
    assert_string_equal(ix.title, "Heading");
    assert_int_equal(ix.offset, 0);
    assert_int_equal(ix.line, 1);
}

static void test_html__reader_skips_page_without_text(void **state)
{
    (void)state;
    fake_index ix;
    const char page[] = "<html><body><nav>Home</nav></body></html>";
    read_file(&ix, page, sizeof page - 1);
    assert_int_equal(ix.articles, 0);
    assert_int_equal(ix.skips, 1);
    assert_string_equal(ix.reason, "no article text in the HTML");
}

/* Each file the reader refuses is refused with its reason, before gumbo. */
static void test_html__reader_refuses_binary_empty_large_and_deep(void **state)
{
    (void)state;
    fake_index ix;
    char png[600] = "\x89PNG\r\n\x1a\n<html><body><p>Not a page.</p></body></html>";
    read_file(&ix, png, sizeof png);
    assert_int_equal(ix.articles, 0);
    assert_int_equal(ix.skips, 1);
    assert_string_equal(ix.reason, "binary file (a PNG image), not HTML");

    read_file(&ix, " \n\t\n", 4);
    assert_int_equal(ix.skips, 1);
    assert_string_equal(ix.reason, "empty: no text");

    size_t big = (16u << 20) + 100;
    char *page = malloc(big);
    assert_non_null(page);
    memcpy(page, "<p>", 3);
    for (size_t i = 3; i < big; i++)
        page[i] = i % 6 == 5 ? ' ' : 'w';
    read_file(&ix, page, big);
    assert_int_equal(ix.skips, 1);
    assert_string_equal(ix.reason, "too large: HTML file over 16 MB, not indexed");
    free(page);

    page = deep_page("<div>", 20000, "deep text");
    read_file(&ix, page, strlen(page));
    assert_int_equal(ix.articles, 0);
    assert_int_equal(ix.skips, 1);
    assert_string_equal(ix.reason, "HTML nested deeper than 1000 elements");
    free(page);
}

/* A page saved as UTF-16 (with a byte-order mark) is read like UTF-8. */
static void test_html__reader_decodes_utf16(void **state)
{
    (void)state;
    const char *page = "<html><head><title>Z\xc3\xbcrich talks</title></head>"
                       "<body><p>Talks in Z\xc3\xbcrich resumed.</p></body></html>";
    char data[512] = "\xff\xfe";
    size_t n = 2;
    for (const unsigned char *c = (const unsigned char *)page; *c; c++) {
        if (*c == 0xc3) { /* the only non-ASCII letter here: U+00FC */
            data[n++] = (char)0xfc, data[n++] = 0;
            c++;
        } else {
            data[n++] = (char)*c, data[n++] = 0;
        }
    }
    fake_index ix;
    read_file(&ix, data, n);
    assert_int_equal(ix.skips, 0);
    assert_int_equal(ix.articles, 1);
    assert_string_equal(ix.title, "Z\xc3\xbcrich talks");
    assert_string_equal(ix.text, "Talks in Z\xc3\xbcrich resumed.");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_html__paragraphs_become_lines),
        cmocka_unit_test(test_html__inline_elements_do_not_split_words),
        cmocka_unit_test(test_html__nested_divs_make_no_empty_lines),
        cmocka_unit_test(test_html__pre_keeps_its_lines),
        cmocka_unit_test(test_html__chrome_and_code_are_dropped),
        cmocka_unit_test(test_html__aria_hidden_false_is_kept),
        cmocka_unit_test(test_html__entities_are_decoded),
        cmocka_unit_test(test_html__huge_character_reference_stays_utf8),
        cmocka_unit_test(test_html__article_preferred_over_page),
        cmocka_unit_test(test_html__largest_article_wins),
        cmocka_unit_test(test_html__hidden_article_is_not_taken),
        cmocka_unit_test(test_html__main_when_no_article),
        cmocka_unit_test(test_html__empty_article_falls_back_to_body),
        cmocka_unit_test(test_html__no_text_gives_null),
        cmocka_unit_test(test_html__og_title_beats_title),
        cmocka_unit_test(test_html__title_beats_h1),
        cmocka_unit_test(test_html__h1_when_no_title),
        cmocka_unit_test(test_html__h1_of_article_beats_page_h1),
        cmocka_unit_test(test_html__no_title_at_all),
        cmocka_unit_test(test_html__title_site_suffix_stripped),
        cmocka_unit_test(test_html__title_other_suffix_kept),
        cmocka_unit_test(test_html__date_from_each_meta_form),
        cmocka_unit_test(test_html__date_from_time_element),
        cmocka_unit_test(test_html__published_time_beats_time_element),
        cmocka_unit_test(test_html__invalid_date_absent),
        cmocka_unit_test(test_html__source_from_og_site_name),
        cmocka_unit_test(test_html__truncated_markup),
        cmocka_unit_test(test_html__random_bytes),
        cmocka_unit_test(test_html__deep_nesting),
        cmocka_unit_test(test_html__too_deep_refused_at_once),
        cmocka_unit_test(test_html__depth_estimate),
        cmocka_unit_test(test_html__formatting_copies_stop_at_memory_budget),
        cmocka_unit_test(test_html__cpu_budget_ends_a_slow_parse),
        cmocka_unit_test(test_html__reader_gives_one_article),
        cmocka_unit_test(test_html__reader_skips_page_without_text),
        cmocka_unit_test(test_html__reader_refuses_binary_empty_large_and_deep),
        cmocka_unit_test(test_html__reader_decodes_utf16),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
