/* read_jsonl.c — the JSON Lines extractor: one JSON object per line, one
 * article per object. Maps the field names news dumps use onto pt_article,
 * repairs what jansson would reject (invalid UTF-8, NUL bytes), and reports
 * each line it cannot take through env->skip with its line number. An
 * article's text is its body (a string, or an array of strings joined as
 * paragraphs): passage offsets are within it (file_offset 0) and
 * file_line is the article's line in the file. */
#include "extractor.h"

#include <ctype.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text_fields.h"
#include "ptsearch.h"

/* A line may be twice an article (JSON escapes) and then some. */
#define JSONL_MAX_LINE (32u * 1024 * 1024)

/* JSON values one line may hold: jansson needs about 45 bytes a value
 * (5,000,000 numbers on a 10 MB line took 212 MB and 3 s), so a 32 MB
 * line of them would take 700 MB. An article has tens. */
#define JSONL_MAX_VALUES 1000000u

#define MB(n) ((double)(n) / (1u << 20)) /* for messages */

/* Field names, first present wins. A field is present when it holds a
 * non-empty string (null, "" and other types count as absent), except for
 * the body (see find_body). */
static const char *const ID_FIELDS[] = {"id", NULL};
static const char *const TITLE_FIELDS[] = {"title", "headline", NULL};
static const char *const DATE_FIELDS[] = {"date", "published", "published_at", "pubDate", "datePublished", NULL};
static const char *const SOURCE_FIELDS[] = {"source", "outlet", "publisher", "site", NULL};
static const char *const BODY_FIELDS[] = {"body", "text", "content", "article", NULL};

/* ------------------------------------------------------------ one line */

/* The strings of one line's article, and what had to be repaired. */
typedef struct {
    char *owned[8]; /* copies made to replace NUL bytes; freed with the line */
    size_t n_owned;
    size_t nul;     /* NUL bytes (\u0000) replaced by spaces */
    int nomem;
} line_state;

static void line_state_free(line_state *ls)
{
    for (size_t i = 0; i < ls->n_owned; i++)
        free(ls->owned[i]);
}

/* The first field of names holding a non-empty string, or NULL. */
static json_t *first_string(json_t *obj, const char *const *names)
{
    for (; *names; names++) {
        json_t *v = json_object_get(obj, *names);
        if (json_is_string(v) && json_string_length(v) > 0)
            return v;
    }
    return NULL;
}

/* v's string, NUL-terminated; a string holding "\u0000" is copied with its
 * NUL bytes made spaces (pt_article strings are C strings, and the index
 * must not hold NULs). NULL when v is NULL or memory runs out. */
static const char *clean_string(line_state *ls, json_t *v, size_t *len_out)
{
    if (!v)
        return NULL;
    const char *s = json_string_value(v);
    size_t len = json_string_length(v);
    if (len_out)
        *len_out = len;
    if (!memchr(s, '\0', len))
        return s;
    char *copy = malloc(len + 1);
    pt_utf8_repairs repairs = {0, 0};
    if (!copy || ls->n_owned == sizeof ls->owned / sizeof ls->owned[0]) {
        free(copy);
        ls->nomem = 1;
        return NULL;
    }
    memcpy(copy, s, len);
    copy[len] = '\0';
    if (pt_utf8_repair(&copy, &len, &repairs) != 0) {
        free(copy);
        ls->nomem = 1;
        return NULL;
    }
    ls->owned[ls->n_owned++] = copy;
    ls->nul += repairs.nul;
    if (len_out)
        *len_out = len;
    return copy;
}

/* "Mon, 15 Dec 2025 ..." (RSS pubDate): the date after the weekday. */
static size_t skip_weekday(const char *s, size_t len)
{
    if (len > 5 && isalpha((unsigned char)s[0]) && isalpha((unsigned char)s[1])
        && isalpha((unsigned char)s[2]) && s[3] == ',' && s[4] == ' ')
        return 5;
    return 0;
}

/* Normalizes the first date field to YYYY-MM-DD in out; NULL when there is
 * none or it cannot be read (never guessed). */
static const char *read_date(json_t *obj, char out[11])
{
    json_t *v = first_string(obj, DATE_FIELDS);
    if (!v)
        return NULL;
    const char *s = json_string_value(v);
    size_t len = json_string_length(v);
    if (pt_date_parse(s, len, out) > 0)
        return out;
    size_t skip = skip_weekday(s, len);
    return skip && pt_date_parse(s + skip, len - skip, out) > 0 ? out : NULL;
}

/* "an object", "a number"...: a JSON value's type, for messages. */
static const char *type_name(const json_t *v)
{
    switch (json_typeof(v)) {
    case JSON_OBJECT: return "an object";
    case JSON_ARRAY: return "an array";
    case JSON_STRING: return "a string";
    case JSON_INTEGER: case JSON_REAL: return "a number";
    case JSON_TRUE: case JSON_FALSE: return "true or false";
    default: return "null";
    }
}

/* A number's text: an integer in decimal, a real in the fewest digits
 * that read back as the same value. */
static void number_text(const json_t *v, char *buf, size_t buf_size)
{
    if (json_is_integer(v)) {
        snprintf(buf, buf_size, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
        return;
    }
    double x = json_real_value(v);
    for (int digits = 15; digits <= 17; digits++) {
        snprintf(buf, buf_size, "%.*g", digits, x);
        if (strtod(buf, NULL) == x)
            return;
    }
}

/* The article id: "id" as a string or a number (its text), else
 * "<rel>:<line>" (stable as long as the file's lines stay in place),
 * with a warning when "id" held something else. */
static const char *read_id(line_state *ls, json_t *obj, pt_read_env *env,
                           unsigned long line_no, char *buf, size_t buf_size)
{
    json_t *v = json_object_get(obj, ID_FIELDS[0]);
    if (json_is_number(v)) {
        number_text(v, buf, buf_size);
        return buf;
    }
    const char *id = clean_string(ls, first_string(obj, ID_FIELDS), NULL);
    if (id)
        return id;
    snprintf(buf, buf_size, "%s:%lu", env->rel ? env->rel : env->path, line_no);
    if (v && !json_is_null(v) && !json_is_string(v)) {
        char why[4096 + 100];
        snprintf(why, sizeof why, "\"id\" is %s, not a string or a number: the id is %s instead",
                 type_name(v), buf);
        env->warn(env, line_no, why);
    }
    return buf;
}

static int is_blank(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (!isspace((unsigned char)s[i]))
            return 0;
    return 1;
}

/* The body field: the first of BODY_FIELDS that holds anything (null,
 * "" and [] hold nothing); *name receives its name. */
static json_t *find_body(json_t *obj, const char **name)
{
    for (const char *const *f = BODY_FIELDS; *f; f++) {
        json_t *v = json_object_get(obj, *f);
        if (v && !json_is_null(v) && !(json_is_string(v) && json_string_length(v) == 0) &&
            !(json_is_array(v) && json_array_size(v) == 0)) {
            *name = *f;
            return v;
        }
    }
    return NULL;
}

/* Non-zero when every element of the array is a string. */
static int holds_only_strings(json_t *array)
{
    size_t i;
    json_t *v;
    json_array_foreach(array, i, v)
        if (!json_is_string(v))
            return 0;
    return 1;
}

/* The non-blank strings of an array joined as paragraphs (a blank line
 * between them), NUL bytes made spaces; NULL when all are blank. */
static const char *join_paragraphs(line_state *ls, json_t *array, size_t *len)
{
    size_t i, total = 0;
    json_t *v;
    json_array_foreach(array, i, v)
        total += json_string_length(v) + 2;
    char *text = malloc(total + 1);
    if (!text || ls->n_owned == sizeof ls->owned / sizeof ls->owned[0]) {
        free(text);
        ls->nomem = 1;
        return NULL;
    }
    size_t n = 0;
    json_array_foreach(array, i, v) {
        size_t k = json_string_length(v);
        if (is_blank(json_string_value(v), k))
            continue;
        if (n > 0)
            memcpy(text + n, "\n\n", 2), n += 2;
        memcpy(text + n, json_string_value(v), k);
        n += k;
    }
    text[n] = '\0';
    pt_utf8_repairs repairs = {0, 0};
    if (pt_utf8_repair(&text, &n, &repairs) != 0) {
        free(text);
        ls->nomem = 1;
        return NULL;
    }
    ls->owned[ls->n_owned++] = text;
    ls->nul += repairs.nul;
    *len = n;
    return n ? text : NULL;
}

/* The body's text into *text: a string, or an array of strings. Returns 0,
 * or -1 after skipping the line when the body is of another kind. */
static int read_body(pt_read_env *env, line_state *ls, json_t *obj, unsigned long line_no,
                     const char **text, size_t *len)
{
    const char *name = NULL;
    json_t *body = find_body(obj, &name);
    *text = NULL;
    if (json_is_string(body)) {
        if (!is_blank(json_string_value(body), json_string_length(body)))
            *text = clean_string(ls, body, len);
        return 0;
    }
    if (!body || (json_is_array(body) && holds_only_strings(body))) {
        *text = body ? join_paragraphs(ls, body, len) : NULL;
        return 0;
    }
    char why[200];
    snprintf(why, sizeof why, "body not text: \"%s\" is %s%s, not a string or an array of strings",
             name, type_name(body), json_is_array(body) ? " holding other values" : "");
    env->skip(env, line_no, why);
    return -1;
}

/* Skips a line without a usable body, saying why. An empty (or blank) body
 * is skipped rather than indexed as a title-only article: passages come
 * from the text alone, so such an article would hold nothing to search. */
static void skip_no_body(pt_read_env *env, json_t *obj, unsigned long line_no)
{
    const char *name;
    env->skip(env, line_no, find_body(obj, &name)
        ? "empty body and no title: nothing to index"
        : "no text: none of \"body\", \"text\", \"content\", \"article\", \"title\" holds a string");
}

/* The article text is the headline, a blank line, then the body (unless
 * the body already starts with the headline), so the title is searched,
 * ranked and shown like any passage text; passage offsets count from the
 * start of this text. A headline alone is an article too. */
static const char *compose_text(line_state *ls, const char *title, const char *body, size_t *len)
{
    size_t title_len = title ? strlen(title) : 0;
    if (!title_len || (body && *len >= title_len && strncmp(body, title, title_len) == 0))
        return body;
    if (!body) {
        *len = title_len;
        return title;
    }
    size_t body_len = *len;
    char *text = malloc(title_len + 2 + body_len + 1);
    if (!text || ls->n_owned == sizeof ls->owned / sizeof ls->owned[0]) {
        free(text);
        ls->nomem = 1;
        return NULL;
    }
    memcpy(text, title, title_len);
    memcpy(text + title_len, "\n\n", 2);
    memcpy(text + title_len + 2, body, body_len);
    *len = title_len + 2 + body_len;
    text[*len] = '\0';
    ls->owned[ls->n_owned++] = text;
    return text;
}

/* Builds the article of one parsed object and hands it to env->article.
 * Returns what env->article returned, or 0 when the line was skipped. */
static int take_object(pt_read_env *env, json_t *obj, unsigned long line_no)
{
    line_state ls = {{0}, 0, 0, 0};
    /* An id made here ("path:line") longer than the limit is cut to one
     * byte over it, and refused as too long. */
    char id_buf[PT_MAX_ID_BYTES + 2], date[11];
    pt_article a = PT_ARTICLE_INIT;
    if (read_body(env, &ls, obj, line_no, &a.text, &a.text_len) != 0) {
        line_state_free(&ls);
        return 0;
    }
    a.id = read_id(&ls, obj, env, line_no, id_buf, sizeof id_buf);
    a.title = clean_string(&ls, first_string(obj, TITLE_FIELDS), NULL);
    a.text = compose_text(&ls, a.title, a.text, &a.text_len);
    a.source = clean_string(&ls, first_string(obj, SOURCE_FIELDS), NULL);
    a.date = read_date(obj, date);
    a.path = env->abspath;
    a.file_offset = 0;
    a.file_line = (uint32_t)line_no;
    a.one_file_line = 1; /* its line breaks are "\n" escapes on that line */
    int rc = 0;
    char why[128];
    if (ls.nomem)
        env->skip(env, line_no, "out of memory");
    else if (!a.text)
        skip_no_body(env, obj, line_no);
    else if (a.text_len > PT_MAX_ARTICLE_BYTES) {
        snprintf(why, sizeof why, "too large: body is %.1f MB, larger than the %u MB article limit",
                 MB(a.text_len), PT_MAX_ARTICLE_BYTES >> 20);
        env->skip(env, line_no, why);
    } else {
        if (ls.nul) {
            snprintf(why, sizeof why, "%zu NUL characters (\\u0000) replaced by spaces", ls.nul);
            env->warn(env, line_no, why);
        }
        rc = env->article(env, &a);
    }
    line_state_free(&ls);
    return rc;
}

/* How many JSON values s[0..len) holds at most, as its commas, colons
 * and opening brackets outside strings count them; counts up to stop + 1. */
static size_t count_values(const char *s, size_t len, size_t stop)
{
    size_t n = 1;
    int in_string = 0;
    for (size_t i = 0; i < len && n <= stop; i++) {
        char c = s[i];
        if (in_string) {
            if (c == '\\')
                i++;
            else if (c == '"')
                in_string = 0;
        } else if (c == '"') {
            in_string = 1;
        } else if (c == ',' || c == ':' || c == '[' || c == '{') {
            n++;
        }
    }
    return n;
}

/* Parses one line (text[0..len), NUL-terminated, valid UTF-8). */
static int take_json(pt_read_env *env, const char *text, size_t len, unsigned long line_no)
{
    char why[JSON_ERROR_TEXT_LENGTH + 64];
    if (count_values(text, len, JSONL_MAX_VALUES) > JSONL_MAX_VALUES) {
        snprintf(why, sizeof why, "too large: more than %u JSON values on the line", JSONL_MAX_VALUES);
        env->skip(env, line_no, why);
        return 0;
    }
    json_error_t err;
    json_t *root = json_loadb(text, len, JSON_ALLOW_NUL, &err);
    int rc = 0;
    if (!root) {
        snprintf(why, sizeof why, "malformed JSON: %s (column %d)", err.text, err.column);
        env->skip(env, line_no, why);
    } else if (!json_is_object(root)) {
        env->skip(env, line_no, "not a JSON object");
    } else {
        rc = take_object(env, root, line_no);
    }
    json_decref(root);
    return rc;
}

/* Repairs a line that is not valid UTF-8 (jansson would reject it whole)
 * into a copy, warns, and parses the copy. */
static int take_dirty_line(pt_read_env *env, const char *line, size_t len, unsigned long line_no)
{
    char *copy = malloc(len + 1);
    pt_utf8_repairs repairs = {0, 0};
    if (copy) {
        memcpy(copy, line, len);
        copy[len] = '\0';
    }
    if (!copy || pt_utf8_repair(&copy, &len, &repairs) != 0) {
        free(copy);
        env->skip(env, line_no, "out of memory");
        return 0;
    }
    char why[128];
    if (repairs.invalid) {
        snprintf(why, sizeof why, "%zu invalid UTF-8 bytes replaced", repairs.invalid);
        env->warn(env, line_no, why);
    }
    if (repairs.nul) {
        snprintf(why, sizeof why, "%zu NUL bytes replaced by spaces", repairs.nul);
        env->warn(env, line_no, why);
    }
    int rc = take_json(env, copy, len, line_no);
    free(copy);
    return rc;
}

/* ------------------------------------------------------------ the file */

/* At the end of the input: a file without a line of JSON is skipped as
 * empty, and code units that were not UTF-16 are told. */
static void finish_input(pt_read_env *env, pt_input *in, int saw_content)
{
    if (!saw_content)
        env->skip(env, 0, "empty: no JSON lines");
    if (pt_input_replaced(in)) {
        char why[128];
        snprintf(why, sizeof why, "%zu invalid UTF-16 code units replaced by U+FFFD", pt_input_replaced(in));
        env->warn(env, 0, why);
    }
}

int pt_read_jsonl_input(pt_read_env *env, pt_input *in)
{
    /* One message for the file rather than one per "line" of an image or
     * an executable that was named .jsonl. */
    char why[256];
    const char *binary = pt_input_looks_binary(in);
    if (binary) {
        snprintf(why, sizeof why, "binary file (%s), not JSON Lines", binary);
        env->skip(env, 0, why);
        return 0;
    }
    int saw_content = 0;
    for (;;) {
        char *line;
        size_t len;
        unsigned long line_no;
        int rc = pt_input_next_line(in, JSONL_MAX_LINE, &line, &len, &line_no, why, sizeof why);
        if (rc == PT_INPUT_EOF) {
            finish_input(env, in, saw_content);
            return 0;
        }
        if (rc == PT_INPUT_ERROR) { /* the complete lines before it are taken */
            env->skip(env, line_no, why);
            return 0;
        }
        saw_content |= rc == PT_INPUT_TOO_LONG || !is_blank(line, len);
        if (rc == PT_INPUT_TOO_LONG) {
            snprintf(why, sizeof why, "too large: line is %.1f MB, longer than the %u MB limit",
                     MB(len), JSONL_MAX_LINE >> 20);
            env->skip(env, line_no, why);
            continue;
        }
        if (is_blank(line, len))
            continue;
        rc = pt_utf8_is_clean(line, len) ? take_json(env, line, len, line_no)
                                         : take_dirty_line(env, line, len, line_no);
        if (rc)
            return rc;
    }
}
