/* test_jsonl.c — unit tests of the JSON Lines reader
 * (indexer/read_jsonl.c) through a fake pt_read_env that records the
 * articles, skips and warnings: field mapping, bad lines amid good ones,
 * repairs, limits, gzip input and the stop signal. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "extractor.h"
#include "test_util.h"

/* ------------------------------------------------------------ fake env */

#define MAX_SEEN 64

typedef struct {
    char *id, *title, *source, *date, *text, *path;
    uint32_t line;
    size_t offset;
} seen_article;

typedef struct {
    unsigned long line;
    char *reason;
} seen_note;

typedef struct {
    seen_article articles[MAX_SEEN];
    size_t n_articles;
    seen_note skips[MAX_SEEN], warnings[MAX_SEEN];
    size_t n_skips, n_warnings;
    size_t total_articles; /* counted past MAX_SEEN too */
    int stop_after;        /* env->article returns 7 at this article (1-based); 0 = never */
} recorder;

static char *dup_or_null(const char *s)
{
    return s ? strdup(s) : NULL;
}

static int on_article(pt_read_env *env, const pt_article *a)
{
    recorder *r = env->ctx;
    r->total_articles++;
    if (r->n_articles < MAX_SEEN) {
        seen_article *s = &r->articles[r->n_articles++];
        s->id = dup_or_null(a->id);
        s->title = dup_or_null(a->title);
        s->source = dup_or_null(a->source);
        s->date = dup_or_null(a->date);
        s->path = dup_or_null(a->path);
        s->text = strndup(a->text, a->text_len);
        assert_int_equal(strlen(s->text), a->text_len); /* no NUL inside */
        s->line = a->file_line;
        s->offset = a->file_offset;
    }
    return r->stop_after && (int)r->total_articles == r->stop_after ? 7 : 0;
}

static void note(seen_note *list, size_t *n, unsigned long line, const char *reason)
{
    assert_true(*n < MAX_SEEN);
    list[*n].line = line;
    list[*n].reason = strdup(reason);
    (*n)++;
}

static void on_skip(pt_read_env *env, unsigned long line, const char *reason)
{
    recorder *r = env->ctx;
    note(r->skips, &r->n_skips, line, reason);
}

static void on_warn(pt_read_env *env, unsigned long line, const char *reason)
{
    recorder *r = env->ctx;
    note(r->warnings, &r->n_warnings, line, reason);
}

static void recorder_free(recorder *r)
{
    for (size_t i = 0; i < r->n_articles; i++) {
        seen_article *s = &r->articles[i];
        free(s->id), free(s->title), free(s->source), free(s->date), free(s->text), free(s->path);
    }
    for (size_t i = 0; i < r->n_skips; i++)
        free(r->skips[i].reason);
    for (size_t i = 0; i < r->n_warnings; i++)
        free(r->warnings[i].reason);
    memset(r, 0, sizeof *r);
}

/* ------------------------------------------------------------ fixtures */

typedef struct {
    char *dir;
    char path[600];
    recorder rec;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    f->dir = test_tmpdir();
    *state = f;
    return f->dir ? 0 : -1;
}

static int teardown(void **state)
{
    fixture *f = *state;
    recorder_free(&f->rec);
    test_rmdir(f->dir);
    free(f);
    return 0;
}

static void write_file(fixture *f, const char *name, const void *data, size_t len, int gzip)
{
    snprintf(f->path, sizeof f->path, "%s/%s", f->dir, name);
    if (gzip) {
        gzFile gz = gzopen(f->path, "wb");
        assert_non_null(gz);
        assert_int_equal(gzwrite(gz, data, (unsigned)len), (int)len);
        assert_int_equal(gzclose(gz), Z_OK);
        return;
    }
    FILE *fp = fopen(f->path, "wb");
    assert_non_null(fp);
    assert_int_equal(fwrite(data, 1, len, fp), len);
    assert_int_equal(fclose(fp), 0);
}

/* Runs the reader over path with rel "feeds/a.jsonl"; returns its result. */
static int read_path(fixture *f, const char *path)
{
    pt_input *in = NULL;
    char why[256];
    assert_int_equal(pt_input_open(&in, path, why, sizeof why), PT_INPUT_OK);
    pt_read_env env = {
        .path = path, .abspath = path, .rel = "feeds/a.jsonl",
        .article = on_article, .skip = on_skip, .warn = on_warn, .ctx = &f->rec,
    };
    int rc = pt_read_jsonl_input(&env, in);
    pt_input_close(in);
    return rc;
}

static int read_string(fixture *f, const char *jsonl)
{
    write_file(f, "a.jsonl", jsonl, strlen(jsonl), 0);
    return read_path(f, f->path);
}

/* ------------------------------------------------------------ fields */

static void test_jsonl__fields_are_mapped(void **state)
{
    fixture *f = *state;
    assert_int_equal(read_string(f,
        "{\"id\": \"a-1\", \"headline\": \"Budget passes\", \"published\": \"2025-12-15T08:30:00Z\","
        " \"outlet\": \"Daily Planet\", \"text\": \"The council approved the budget.\"}\n"
        "{\"id\": 42, \"title\": \"Rain\", \"pubDate\": \"Mon, 15 Dec 2025 10:00:00 GMT\","
        " \"publisher\": \"Wire\", \"content\": \"Rain fell all day.\", \"url\": \"http://x\"}\n"
        "{\"id\": null, \"title\": null, \"date\": \"sometime soon\", \"source\": 5,"
        " \"body\": \"\", \"article\": \"Body from the fourth name.\"}\n"), 0);
    recorder *r = &f->rec;
    assert_int_equal(r->n_skips, 0);
    assert_int_equal(r->n_warnings, 0);
    assert_int_equal(r->n_articles, 3);

    seen_article *a = &r->articles[0];
    assert_string_equal(a->id, "a-1");
    assert_string_equal(a->title, "Budget passes");
    assert_string_equal(a->date, "2025-12-15");
    assert_string_equal(a->source, "Daily Planet");
    /* the headline leads the text, so it is searched and shown */
    assert_string_equal(a->text, "Budget passes\n\nThe council approved the budget.");
    assert_string_equal(a->path, f->path);
    assert_int_equal(a->line, 1);
    assert_int_equal(a->offset, 0);

    a = &r->articles[1];
    assert_string_equal(a->id, "42");
    assert_string_equal(a->title, "Rain");
    assert_string_equal(a->date, "2025-12-15");
    assert_string_equal(a->source, "Wire");
    assert_string_equal(a->text, "Rain fell all day.");
    assert_int_equal(a->line, 2);

    a = &r->articles[2]; /* nulls, wrong types and unreadable dates are absent */
    assert_string_equal(a->id, "feeds/a.jsonl:3");
    assert_null(a->title);
    assert_null(a->date);
    assert_null(a->source);
    assert_string_equal(a->text, "Body from the fourth name.");
}

static void test_jsonl__missing_id_and_blank_lines(void **state)
{
    fixture *f = *state;
    assert_int_equal(read_string(f,
        "\n   \n{\"body\": \"one\"}\r\n\t\n{\"id\": \"\", \"body\": \"two\"}\n\n"), 0);
    recorder *r = &f->rec;
    assert_int_equal(r->n_skips, 0);
    assert_int_equal(r->n_articles, 2);
    assert_string_equal(r->articles[0].id, "feeds/a.jsonl:3");
    assert_int_equal(r->articles[0].line, 3);
    assert_string_equal(r->articles[1].id, "feeds/a.jsonl:5");
}

/* ------------------------------------------------------------ bad lines */

static void test_jsonl__malformed_line_skipped_with_its_number(void **state)
{
    fixture *f = *state;
    assert_int_equal(read_string(f,
        "{\"id\": \"a\", \"body\": \"first\"}\n"
        "{\"id\": \"b\", \"body\": \"unterminated}\n"
        "[\"an\", \"array\"]\n"
        "{\"id\": \"c\", \"title\": \"headline only\"}\n"
        "{\"id\": \"d\", \"body\": \"  \"}\n"
        "{\"id\": \"e\", \"body\": \"last\"}\n"), 0);
    recorder *r = &f->rec;
    assert_int_equal(r->n_articles, 3);
    assert_string_equal(r->articles[0].id, "a");
    assert_string_equal(r->articles[1].id, "c"); /* a headline alone is an article */
    assert_string_equal(r->articles[1].text, "headline only");
    assert_string_equal(r->articles[2].id, "e");
    assert_int_equal(r->articles[2].line, 6);
    assert_int_equal(r->n_skips, 3);
    assert_int_equal(r->skips[0].line, 2);
    assert_non_null(strstr(r->skips[0].reason, "malformed JSON: "));
    assert_non_null(strstr(r->skips[0].reason, "(column "));
    assert_int_equal(r->skips[1].line, 3);
    assert_string_equal(r->skips[1].reason, "not a JSON object");
    assert_int_equal(r->skips[2].line, 5);
    assert_non_null(strstr(r->skips[2].reason, "empty body"));
}

static void test_jsonl__invalid_utf8_repaired_with_warning(void **state)
{
    fixture *f = *state;
    assert_int_equal(read_string(f,
        "{\"id\": \"x\", \"body\": \"caf\xe9 au lait \xff\"}\n"), 0);
    recorder *r = &f->rec;
    assert_int_equal(r->n_skips, 0);
    assert_int_equal(r->n_articles, 1);
    assert_string_equal(r->articles[0].text, "caf\xef\xbf\xbd au lait \xef\xbf\xbd");
    assert_int_equal(r->n_warnings, 1);
    assert_int_equal(r->warnings[0].line, 1);
    assert_string_equal(r->warnings[0].reason, "2 invalid UTF-8 bytes replaced");
}

static void test_jsonl__escaped_nul_repaired(void **state)
{
    fixture *f = *state;
    assert_int_equal(read_string(f,
        "{\"id\": \"n\\u0000ul\", \"title\": \"T\\u0000\", \"body\": \"before\\u0000after\"}\n"), 0);
    recorder *r = &f->rec;
    assert_int_equal(r->n_skips, 0);
    assert_int_equal(r->n_articles, 1);
    assert_string_equal(r->articles[0].id, "n ul");
    assert_string_equal(r->articles[0].title, "T ");
    assert_string_equal(r->articles[0].text, "T \n\nbefore after");
    assert_int_equal(r->n_warnings, 1);
    assert_non_null(strstr(r->warnings[0].reason, "3 NUL"));
}

static void test_jsonl__over_long_line_skipped(void **state)
{
    fixture *f = *state;
    size_t big = 33u * 1024 * 1024;
    const char *head = "{\"id\": \"huge\", \"body\": \"";
    char *data = malloc(big + 200);
    if (!data) { /* an explicit return: gcc -O2 does not know fail() ends the test */
        fail();
        return;
    }
    size_t n = (size_t)sprintf(data, "{\"body\": \"before\"}\n%s", head);
    memset(data + n, 'w', big - strlen(head));
    n += big - strlen(head);
    n += (size_t)sprintf(data + n, "\"}\n{\"body\": \"after\"}\n");
    write_file(f, "huge.jsonl", data, n, 0);
    free(data);
    assert_int_equal(read_path(f, f->path), 0);
    recorder *r = &f->rec;
    assert_int_equal(r->n_articles, 2);
    assert_string_equal(r->articles[0].text, "before");
    assert_string_equal(r->articles[1].text, "after");
    assert_int_equal(r->articles[1].line, 3);
    assert_int_equal(r->n_skips, 1);
    assert_int_equal(r->skips[0].line, 2);
    assert_string_equal(r->skips[0].reason, "too large: line is 33.0 MB, longer than the 32 MB limit");
}

static void test_jsonl__binary_file_skipped_whole(void **state)
{
    fixture *f = *state;
    unsigned char elf[4096] = {0x7f, 'E', 'L', 'F', 2, 1, 1, 0, '\n'};
    for (size_t i = 64; i < sizeof elf; i += 5)
        elf[i] = (unsigned char)(i * 13);
    write_file(f, "a.jsonl", elf, sizeof elf, 0);
    assert_int_equal(read_path(f, f->path), 0);
    assert_int_equal(f->rec.n_articles, 0);
    assert_int_equal(f->rec.n_warnings, 0);
    assert_int_equal(f->rec.n_skips, 1);
    assert_int_equal(f->rec.skips[0].line, 0);
    assert_string_equal(f->rec.skips[0].reason, "binary file (an ELF executable), not JSON Lines");
}

/* A body given as an array of strings is the paragraphs of the text. */
static void test_jsonl__body_array_joined_as_paragraphs(void **state)
{
    fixture *f = *state;
    assert_int_equal(read_string(f,
        "{\"id\": \"p\", \"title\": \"Talks\", \"body\": [\"First paragraph.\", \" \", \"Second\\u0000one.\"]}\n"
        "{\"id\": \"q\", \"content\": [\"Only one.\"]}\n"
        "{\"id\": \"r\", \"title\": \"Blank\", \"body\": [\"\", \"  \"]}\n"), 0);
    recorder *r = &f->rec;
    assert_int_equal(r->n_articles, 3);
    assert_string_equal(r->articles[0].text, "Talks\n\nFirst paragraph.\n\nSecond one.");
    assert_string_equal(r->articles[1].text, "Only one.");
    assert_string_equal(r->articles[2].text, "Blank"); /* a headline alone, as with "" */
    assert_int_equal(r->n_warnings, 1);
    assert_int_equal(r->warnings[0].line, 1);
    assert_non_null(strstr(r->warnings[0].reason, "1 NUL"));
    assert_int_equal(r->n_skips, 0);
}

/* A body of another kind is refused, named with its line, even when a
 * title would have made an article: its text would be lost silently. */
static void test_jsonl__body_of_another_kind_refused(void **state)
{
    fixture *f = *state;
    assert_int_equal(read_string(f,
        "{\"id\": \"a\", \"title\": \"Has a title\", \"body\": {\"html\": \"<p>x</p>\"}}\n"
        "{\"id\": \"b\", \"text\": 12}\n"
        "{\"id\": \"c\", \"body\": [\"text\", 3]}\n"
        "{\"id\": \"d\", \"body\": null, \"text\": \"The good one.\"}\n"), 0);
    recorder *r = &f->rec;
    assert_int_equal(r->n_articles, 1);
    assert_string_equal(r->articles[0].id, "d");
    assert_int_equal(r->n_skips, 3);
    assert_int_equal(r->skips[0].line, 1);
    assert_string_equal(r->skips[0].reason,
                        "body not text: \"body\" is an object, not a string or an array of strings");
    assert_int_equal(r->skips[1].line, 2);
    assert_string_equal(r->skips[1].reason,
                        "body not text: \"text\" is a number, not a string or an array of strings");
    assert_int_equal(r->skips[2].line, 3);
    assert_string_equal(r->skips[2].reason, "body not text: \"body\" is an array holding other values,"
                                            " not a string or an array of strings");
}

/* Numbers are ids as their text; an id of another kind is warned about. */
static void test_jsonl__number_ids_are_their_text(void **state)
{
    fixture *f = *state;
    assert_int_equal(read_string(f,
        "{\"id\": 1.5, \"body\": \"a\"}\n{\"id\": 0.1, \"body\": \"b\"}\n{\"id\": -7, \"body\": \"c\"}\n"
        "{\"id\": 1e300, \"body\": \"d\"}\n{\"id\": true, \"body\": \"e\"}\n{\"id\": [1], \"body\": \"f\"}\n"), 0);
    recorder *r = &f->rec;
    assert_int_equal(r->n_articles, 6);
    assert_string_equal(r->articles[0].id, "1.5");
    assert_string_equal(r->articles[1].id, "0.1");
    assert_string_equal(r->articles[2].id, "-7");
    assert_string_equal(r->articles[3].id, "1e+300");
    assert_string_equal(r->articles[4].id, "feeds/a.jsonl:5");
    assert_string_equal(r->articles[5].id, "feeds/a.jsonl:6");
    assert_int_equal(r->n_warnings, 2);
    assert_int_equal(r->warnings[0].line, 5);
    assert_string_equal(r->warnings[0].reason,
                        "\"id\" is true or false, not a string or a number: the id is feeds/a.jsonl:5 instead");
    assert_int_equal(r->warnings[1].line, 6);
}

/* Empty inputs are skipped as empty: nothing, blank lines, an empty
 * gzip member, and an empty file named .gz. */
static void test_jsonl__empty_inputs_skipped(void **state)
{
    fixture *f = *state;
    static const struct { const char *name, *data; int gzip; } inputs[] = {
        {"a.jsonl", "", 0}, {"b.jsonl", "\n  \n\r\n", 0}, {"c.jsonl.gz", "", 1}, {"d.jsonl.gz", "", 0},
    };
    for (size_t i = 0; i < sizeof inputs / sizeof inputs[0]; i++) {
        recorder_free(&f->rec);
        write_file(f, inputs[i].name, inputs[i].data, strlen(inputs[i].data), inputs[i].gzip);
        assert_int_equal(read_path(f, f->path), 0);
        assert_int_equal(f->rec.n_articles, 0);
        assert_int_equal(f->rec.n_skips, 1);
        assert_int_equal(f->rec.skips[0].line, 0);
        assert_string_equal(f->rec.skips[0].reason, "empty: no JSON lines");
    }
}

/* A line of a million small values is refused before jansson builds it
 * (5,000,000 took 212 MB); the lines around it are taken. */
static void test_jsonl__line_of_too_many_values_refused(void **state)
{
    fixture *f = *state;
    size_t values = 1100000, cap = values * 2 + 200;
    char *data = malloc(cap);
    assert_non_null(data);
    size_t n = (size_t)sprintf(data, "{\"body\": \"before\"}\n{\"body\": \"x\", \"n\": [0");
    for (size_t i = 1; i < values; i++)
        data[n++] = ',', data[n++] = '1';
    n += (size_t)sprintf(data + n, "]}\n{\"body\": \"after, with [brackets, {commas}: \\\"and quotes\\\"]\"}\n");
    write_file(f, "many.jsonl", data, n, 0);
    free(data);
    assert_int_equal(read_path(f, f->path), 0);
    recorder *r = &f->rec;
    assert_int_equal(r->n_articles, 2);
    assert_string_equal(r->articles[1].text, "after, with [brackets, {commas}: \"and quotes\"]");
    assert_int_equal(r->n_skips, 1);
    assert_int_equal(r->skips[0].line, 2);
    assert_string_equal(r->skips[0].reason, "too large: more than 1000000 JSON values on the line");
}

/* UTF-16 with a byte-order mark, and NUL bytes scattered in the lines,
 * are read: the NULs are replaced, with a warning per line. */
static void test_jsonl__utf16_and_scattered_nuls_read(void **state)
{
    fixture *f = *state;
    const char *text = "{\"id\": \"u\", \"body\": \"Z\xc3\xbcrich\"}\n";
    char data[256] = "\xfe\xff";
    size_t n = 2;
    for (const unsigned char *c = (const unsigned char *)text; *c; c++) {
        if (*c == 0xc3) /* the only non-ASCII letter here: U+00FC */
            data[n++] = 0, data[n++] = (char)0xfc, c++;
        else
            data[n++] = 0, data[n++] = (char)*c;
    }
    write_file(f, "u16.jsonl", data, n, 0);
    assert_int_equal(read_path(f, f->path), 0);
    assert_int_equal(f->rec.n_skips, 0);
    assert_int_equal(f->rec.n_articles, 1);
    assert_string_equal(f->rec.articles[0].text, "Z\xc3\xbcrich");

    recorder_free(&f->rec);
    char lines[2000];
    n = 0;
    for (int i = 0; i < 20; i++)
        n += (size_t)sprintf(lines + n, "{\"id\": \"n%d\", \"body\": \"Talks%cresumed%cin Geneva.\"}\n", i, 1, 1);
    for (size_t i = 0; i < n; i++)
        if (lines[i] == 1)
            lines[i] = '\0'; /* 40 NULs in about 1,000 bytes */
    write_file(f, "nul.jsonl", lines, n, 0);
    assert_int_equal(read_path(f, f->path), 0);
    assert_int_equal(f->rec.n_skips, 0);
    assert_int_equal(f->rec.n_articles, 20);
    assert_string_equal(f->rec.articles[19].text, "Talks resumed in Geneva.");
    assert_int_equal(f->rec.n_warnings, 20);
    assert_string_equal(f->rec.warnings[0].reason, "2 NUL bytes replaced by spaces");
}

/* ------------------------------------------------------------ gzip */

static void test_jsonl__gzip_input(void **state)
{
    fixture *f = *state;
    const char *text = "{\"id\": \"g1\", \"body\": \"zipped one\"}\n{\"id\": \"g2\", \"body\": \"zipped two\"}";
    write_file(f, "a.jsonl.gz", text, strlen(text), 1);
    assert_int_equal(read_path(f, f->path), 0);
    assert_int_equal(f->rec.n_skips, 0);
    assert_int_equal(f->rec.n_articles, 2);
    assert_string_equal(f->rec.articles[1].text, "zipped two");
}

static void test_jsonl__truncated_gzip_keeps_complete_lines(void **state)
{
    fixture *f = *state;
    size_t cap = 400000, n = 0;
    char *data = malloc(cap);
    int lines = 3000;
    for (int i = 1; i <= lines; i++)
        n += (size_t)sprintf(data + n, "{\"id\": \"t%d\", \"body\": \"article number %d, code %d\"}\n",
                             i, i, i * 7919 % 10007);
    write_file(f, "cut.jsonl.gz", data, n, 1);
    free(data);
    struct stat sb;
    assert_int_equal(stat(f->path, &sb), 0);
    assert_int_equal(truncate(f->path, sb.st_size / 2), 0);
    assert_int_equal(read_path(f, f->path), 0);
    recorder *r = &f->rec;
    assert_true(r->total_articles > 10 && r->total_articles < (size_t)lines);
    assert_string_equal(r->articles[0].id, "t1");
    assert_int_equal(r->n_skips, 1);
    assert_non_null(strstr(r->skips[0].reason, "truncated gzip data"));
    assert_int_equal(r->skips[0].line, r->total_articles + 1);
}

/* ------------------------------------------------------------ stopping */

static void test_jsonl__article_callback_stops_reader(void **state)
{
    fixture *f = *state;
    f->rec.stop_after = 2;
    assert_int_equal(read_string(f,
        "{\"body\": \"a\"}\n{\"body\": \"b\"}\n{\"body\": \"c\"}\nnot json\n"), 7);
    assert_int_equal(f->rec.n_articles, 2);
    assert_int_equal(f->rec.n_skips, 0);
}

/* ------------------------------------------------------------ real data */

static void test_jsonl__brown_press_real_data(void **state)
{
    fixture *f = *state;
    char path[1024];
    const char *shared = getenv("PT_SHARED");
    snprintf(path, sizeof path, "%s/data/news/brown-press.jsonl.gz", shared ? shared : "../shared");
    if (access(path, R_OK) != 0) {
        print_message("%s is absent (no ../shared beside the clone): skipped\n", path);
        skip();
    }
    assert_int_equal(read_path(f, path), 0);
    assert_int_equal(f->rec.total_articles, 88);
    assert_int_equal(f->rec.n_skips, 0);
    assert_int_equal(f->rec.n_warnings, 0);
    assert_string_equal(f->rec.articles[0].id, "brown-ca01");
    assert_non_null(f->rec.articles[0].source);
    assert_null(f->rec.articles[0].date);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_jsonl__fields_are_mapped, setup, teardown),
        cmocka_unit_test_setup_teardown(test_jsonl__missing_id_and_blank_lines, setup, teardown),
        cmocka_unit_test_setup_teardown(test_jsonl__malformed_line_skipped_with_its_number, setup, teardown),
        cmocka_unit_test_setup_teardown(test_jsonl__invalid_utf8_repaired_with_warning, setup, teardown),
        cmocka_unit_test_setup_teardown(test_jsonl__escaped_nul_repaired, setup, teardown),
        cmocka_unit_test_setup_teardown(test_jsonl__over_long_line_skipped, setup, teardown),
        cmocka_unit_test_setup_teardown(test_jsonl__binary_file_skipped_whole, setup, teardown),
        cmocka_unit_test_setup_teardown(test_jsonl__gzip_input, setup, teardown),
        cmocka_unit_test_setup_teardown(test_jsonl__truncated_gzip_keeps_complete_lines, setup, teardown),
        cmocka_unit_test_setup_teardown(test_jsonl__article_callback_stops_reader, setup, teardown),
        cmocka_unit_test_setup_teardown(test_jsonl__brown_press_real_data, setup, teardown),
        cmocka_unit_test_setup_teardown(test_jsonl__body_array_joined_as_paragraphs, setup, teardown),
        cmocka_unit_test_setup_teardown(test_jsonl__body_of_another_kind_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_jsonl__number_ids_are_their_text, setup, teardown),
        cmocka_unit_test_setup_teardown(test_jsonl__empty_inputs_skipped, setup, teardown),
        cmocka_unit_test_setup_teardown(test_jsonl__line_of_too_many_values_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_jsonl__utf16_and_scattered_nuls_read, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
