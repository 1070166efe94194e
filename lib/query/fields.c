/* fields.c — the field filters: date: (a day, month or year, or a range
 * of them, on the article date's value slot), lang: (by script: the index
 * records no language), title: and source: (their words, AND-ed, on the
 * prefixed terms). The parser checks values here (pt_qdate_range,
 * pt_qlang_value); the builder makes the filters, which never rank. */
#include "query/build.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "util/error.h"
#include "ptsearch.h"
#include "store/schema.h"

static node filter(builder *p, pt_plan *q, int field)
{
    node n = {0};
    if (q) {
        n.q = qb_scaled(p, q, 0);
        n.kind = n.q ? K_FILTER : K_NONE;
        n.field = field;
    }
    pt_plan_free(q);
    return n;
}

static int days_in(int y, int m)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0) ? 29 : days[m - 1];
}

/* YYYY-MM-DD, YYYY-MM or YYYY, as the first (low) or last (!low) day
 * "YYYYMMDD". Returns 0, or -1 when it is not a date. */
int pt_qdate_bound(const char *s, size_t len, int low, char out[16])
{
    int y = 0, m = 0, d = 0;
    char buf[16];
    if (len == 0 || len >= sizeof buf)
        return -1;
    memcpy(buf, s, len);
    buf[len] = '\0';
    int used = 0;
    if (len == 10 && sscanf(buf, "%4d-%2d-%2d%n", &y, &m, &d, &used) == 3 && used == 10) {
    } else if (len == 7 && sscanf(buf, "%4d-%2d%n", &y, &m, &used) == 2 && used == 7) {
        d = low ? 1 : 0;
    } else if (len == 4 && sscanf(buf, "%4d%n", &y, &used) == 1 && used == 4) {
        m = low ? 1 : 12;
        d = low ? 1 : 0;
    } else {
        return -1;
    }
    for (size_t i = 0; i < len; i++)
        if (!((buf[i] >= '0' && buf[i] <= '9') || buf[i] == '-'))
            return -1;
    if (y < 1 || m < 1 || m > 12)
        return -1;
    if (d == 0)
        d = days_in(y, m);
    if (d < 1 || d > days_in(y, m))
        return -1;
    snprintf(out, 16, "%04d%02d%02d", y % 10000, m % 100, d % 100);
    return 0;
}

int pt_qdate_range(const char *v, size_t len, char lo[16], char hi[16])
{
    const char *dots = NULL;
    for (size_t i = 0; i + 1 < len; i++)
        if (v[i] == '.' && v[i + 1] == '.') {
            dots = v + i;
            break;
        }
    lo[0] = hi[0] = '\0';
    if (!dots) {
        if (pt_qdate_bound(v, len, 1, lo) || pt_qdate_bound(v, len, 0, hi))
            return pt_fail(PT_EQUERY, "bad date '%.*s' in date:%.*s (use YYYY-MM-DD, YYYY-MM or YYYY)",
                           (int)len, v, (int)len, v);
        return PT_OK;
    }
    size_t a = (size_t)(dots - v), b = len - a - 2;
    if (a == 0 && b == 0)
        return pt_fail(PT_EQUERY, "date:.. needs a date on at least one side");
    if ((a > 0 && pt_qdate_bound(v, a, 1, lo)) || (b > 0 && pt_qdate_bound(dots + 2, b, 0, hi)))
        return pt_fail(PT_EQUERY, "bad date in date:%.*s (use YYYY-MM-DD, YYYY-MM or YYYY)", (int)len, v);
    if (a > 0 && b > 0 && strcmp(lo, hi) > 0)
        return pt_fail(PT_EQUERY, "date range date:%.*s is reversed (its start is after its end)", (int)len, v);
    return PT_OK;
}

static node date_node(builder *p, const pt_qnode *t)
{
    const char *lo = t->lo[0] ? t->lo : NULL, *hi = t->hi[0] ? t->hi : NULL;
    return filter(p, qb_check(p, pt_plan_value_range(PT_SLOT_DATE, lo, hi)), PT_FIELD_DATE);
}

/* Passages with a Cyrillic word: every term starting with a Cyrillic lead
 * byte (U+0400–U+04FF). The index records no language, so lang: reads the
 * script. */
static pt_plan *cyrillic(builder *p)
{
    static const char *const leads[] = {"\xd0", "\xd1", "\xd2", "\xd3"};
    pt_plan *parts[4] = {0};
    for (int i = 0; i < 4; i++)
        parts[i] = qb_check(p, pt_plan_wildcard(leads[i], 0));
    pt_plan *q = p->err ? NULL : qb_check(p, pt_plan_combine(PTX_OP_OR, parts, 4, 0));
    for (int i = 0; i < 4; i++)
        pt_plan_free(parts[i]);
    return q;
}

int pt_qlang_value(const char *v, size_t len, int *ru)
{
    *ru = (len == 2 && strncasecmp(v, "ru", 2) == 0) || (len == 7 && strncasecmp(v, "russian", 7) == 0);
    int en = (len == 2 && strncasecmp(v, "en", 2) == 0) || (len == 7 && strncasecmp(v, "english", 7) == 0);
    if (*ru || en)
        return PT_OK;
    return pt_fail(PT_EQUERY, "unknown language '%.*s' in lang:%.*s (lang:en or lang:ru)",
                   (int)(len > 40 ? 40 : len), v, (int)(len > 40 ? 40 : len), v);
}

static node lang_node(builder *p, const pt_qnode *t)
{
    pt_plan *cyr = cyrillic(p);
    if (!cyr || t->ru)
        return filter(p, cyr, PT_FIELD_LANG);
    pt_plan *all = qb_check(p, pt_plan_match_all());
    pt_plan *q = all ? qb_combine2(p, PTX_OP_AND_NOT, all, cyr) : NULL;
    pt_plan_free(all);
    pt_plan_free(cyr);
    return filter(p, q, PT_FIELD_LANG);
}

/* title: and source: — every word of the value, AND-ed, on the prefixed
 * boolean terms (filters: they do not change the ranking). */
static node prefixed_node(builder *p, const pt_qnode *t)
{
    node n = {0};
    const char *prefix = t->field == PT_FIELD_TITLE ? PT_PREFIX_TITLE : PT_PREFIX_SOURCE;
    phrase_ctx c = {p, t->start, prefix, &n, 0, 0, 0, NULL};
    if (t->field == PT_FIELD_SOURCE)
        p->negated++; /* source words are not highlighted in passages */
    int rc = pt_analyze(p->an, p->text + t->start, t->end - t->start, 0, qb_phrase_cb, &c, NULL);
    if (t->field == PT_FIELD_SOURCE)
        p->negated--;
    if (rc < 0)
        qb_fail(p, rc);
    if (p->err || n.n_items == 0) {
        qb_node_free(&n);
        return n;
    }
    pt_plan *q = qb_positional(p, PTX_OP_AND, n.items, n.n_items, 0);
    qb_items_free(n.items, n.n_items);
    n.items = NULL;
    n.n_items = 0;
    return filter(p, q, t->field);
}

node qb_field_node(builder *p, const pt_qnode *t)
{
    switch (t->kind) {
    case PT_Q_DATE: return date_node(p, t);
    case PT_Q_LANG: return lang_node(p, t);
    default: return prefixed_node(p, t);
    }
}
