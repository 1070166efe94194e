/* test_markdown.c — unit tests of the Markdown reader (indexer/read_markdown.c):
 * YAML front matter gives title, date and outlet (other keys ignored), a
 * first-level heading is the title otherwise, the text is plain (no
 * emphasis marks, link targets, images or raw HTML; link text and code
 * kept), one block a line, and broken or deeply nested input never
 * crashes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "read_markdown.h"

static pt_markdown_article extract(const char *md)
{
    pt_markdown_article a;
    assert_int_equal(pt_markdown_extract(md, strlen(md), &a), 0);
    if (a.text) {
        assert_int_equal(strlen(a.text), a.text_len);
        assert_null(strstr(a.text, "\n\n"));
        assert_true(a.text[a.text_len - 1] != '\n');
    }
    return a;
}

static void test_markdown__front_matter_gives_title_date_source(void **state)
{
    (void)state;
    pt_markdown_article a = extract("---\n"
                                    "title: 'Talks: day two'\n"
                                    "author: Jane Doe\n"
                                    "tags: [peace, talks]\n"
                                    "date: 2025-12-15T08:30:00Z\n"
                                    "outlet: Reuters\n"
                                    "---\n"
                                    "Body text here.\n");
    assert_string_equal(a.title, "Talks: day two");
    assert_string_equal(a.date, "2025-12-15");
    assert_string_equal(a.source, "Reuters");
    assert_string_equal(a.text, "Talks: day two\nBody text here.");
    pt_extracted_clear(&a);

    a = extract("---\r\npublisher: AP\r\ndate: December 16, 2025\r\n...\r\n# Head\r\n");
    assert_string_equal(a.source, "AP");
    assert_string_equal(a.date, "2025-12-16");
    assert_string_equal(a.title, "Head");
    assert_string_equal(a.text, "Head");
    pt_extracted_clear(&a);
}

static void test_markdown__first_level_heading_is_the_title(void **state)
{
    (void)state;
    pt_markdown_article a = extract("Intro line.\n\n## Second level\n\n# The *Title*\n\n# Another\n");
    assert_string_equal(a.title, "The Title");
    assert_null(a.date);
    assert_null(a.source);
    assert_string_equal(a.text, "Intro line.\nSecond level\nThe Title\nAnother");
    pt_extracted_clear(&a);

    a = extract("---\ntitle: From front matter\n---\n# From heading\n");
    assert_string_equal(a.title, "From front matter");
    pt_extracted_clear(&a);
}

static void test_markdown__text_is_plain(void **state)
{
    (void)state;
    pt_markdown_article a = extract("Some **bold** and _it_ with [a link](http://x.example/y \"t\"),\n"
                                    "a ![photo alt](p.png) <span>raw</span> and `code()`.\n"
                                    "\n"
                                    "- item one\n"
                                    "- item *two*\n"
                                    "\n"
                                    "> quoted   \n"
                                    "> words\n"
                                    "\n"
                                    "<div>block html</div>\n"
                                    "\n"
                                    "    indented code\n"
                                    "\n"
                                    "    more code\n"
                                    "***\n"
                                    "Tom &amp; Jerry\n");
    assert_string_equal(a.text, "Some bold and it with a link, a raw and code().\n"
                                "item one\n"
                                "item two\n"
                                "quoted\n"
                                "words\n"
                                "indented code\n"
                                "more code\n"
                                "Tom & Jerry");
    assert_null(a.title);
    pt_extracted_clear(&a);
}

static void test_markdown__bad_front_matter_is_not_fatal(void **state)
{
    (void)state;
    /* Never closed: not a front matter (a thematic break, then text). */
    pt_markdown_article a = extract("---\ntitle: open\nbody words\n");
    assert_null(a.title);
    assert_non_null(strstr(a.text, "body words"));
    pt_extracted_clear(&a);
    /* A YAML error: what came before it is kept, the body is read. */
    a = extract("---\ntitle: kept\ndate: [unclosed\n---\nBody.\n");
    assert_string_equal(a.title, "kept");
    assert_null(a.date);
    assert_string_equal(a.text, "kept\nBody.");
    pt_extracted_clear(&a);
    /* A list, not a mapping; a bad date; empty values. */
    a = extract("---\n- title\n- x\n---\nBody.\n");
    assert_null(a.title);
    assert_string_equal(a.text, "Body.");
    pt_extracted_clear(&a);
    a = extract("---\ntitle:\ndate: 2025-02-30\nsource: \"\"\n---\nBody.\n");
    assert_null(a.title);
    assert_null(a.date);
    assert_null(a.source);
    pt_extracted_clear(&a);
    /* Aliases, nested values and a folded title. */
    a = extract("---\nbase: &b Wire\nx: *b\nmeta: {a: 1}\ntitle: |\n  Two\n  lines\nsource: *b\n---\n#\n");
    assert_string_equal(a.title, "Two lines");
    assert_null(a.source);
    pt_extracted_clear(&a);
    /* Only a front matter: no text. */
    a = extract("---\ndate: 2025-12-15\n---\n\n");
    assert_null(a.text);
    pt_extracted_clear(&a);
}

static void test_markdown__deep_nesting_does_not_crash(void **state)
{
    (void)state;
    const char *units[] = {">", "[", "- ", "*", "<", "`"};
    for (size_t u = 0; u < sizeof units / sizeof *units; u++) {
        size_t n = 20000, k = strlen(units[u]);
        char *md = malloc(n * k + 8);
        assert_non_null(md);
        for (size_t i = 0; i < n; i++)
            memcpy(md + i * k, units[u], k);
        strcpy(md + n * k, " word\n");
        pt_markdown_article a;
        assert_int_equal(pt_markdown_extract(md, strlen(md), &a), 0);
        pt_extracted_clear(&a);
        free(md);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_markdown__front_matter_gives_title_date_source),
        cmocka_unit_test(test_markdown__first_level_heading_is_the_title),
        cmocka_unit_test(test_markdown__text_is_plain),
        cmocka_unit_test(test_markdown__bad_front_matter_is_not_fatal),
        cmocka_unit_test(test_markdown__deep_nesting_does_not_crash),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
