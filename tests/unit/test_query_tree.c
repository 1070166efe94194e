/* test_query_tree.c — the query parser alone (query/tree.h): queries parsed
 * into their tree, checked as s-expressions, with no analyzer and no index:
 * precedence, negation, phrases, NEAR/n, fields, dates, what is ignored,
 * and errors with the byte where they are. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "util/error.h"
#include "ptsearch.h"
#include "analysis/analyzer.h"
#include "query/query.h"
#include "query/plan.h"
#include "query/tree.h"

/* The tree of text as an s-expression (operators on, as on the command line). */
static char *tree_of(const char *text, int operators)
{
    pt_qnode *n = NULL;
    size_t at = 99;
    int rc = pt_qnode_parse(&n, &at, text, strlen(text), operators);
    if (rc != PT_OK)
        fail_msg("'%s' failed: %s", text, pt_error_last());
    char *s = pt_qnode_sexpr(n, text);
    assert_non_null(s);
    pt_qnode_free(n);
    return s;
}

static void expect_tree(const char *text, const char *sexpr)
{
    char *s = tree_of(text, 1);
    if (strcmp(s, sexpr) != 0)
        fail_msg("'%s' parsed as %s, not %s", text, s, sexpr);
    free(s);
}

/* text fails with PT_EQUERY at byte at, its message containing msg. */
static void expect_error(const char *text, size_t at, const char *msg)
{
    pt_qnode *n = NULL;
    size_t err_at = 0;
    assert_int_equal(pt_qnode_parse(&n, &err_at, text, strlen(text), 1), PT_EQUERY);
    assert_null(n);
    if (err_at != at || !strstr(pt_error_last(), msg))
        fail_msg("'%s': error at %zu (%s), expected at %zu (%s)", text, err_at, pt_error_last(), at, msg);
}

static void test_query_tree__precedence(void **state)
{
    (void)state;
    expect_tree("security guarantees", "(seq security guarantees)");
    expect_tree("a b AND c OR d", "(or (seq a (and b c)) d)");
    expect_tree("a OR b OR c", "(or a b c)");
    expect_tree("a AND b AND c", "(and a b c)");
    expect_tree("(a AND b) AND c", "(and (and a b) c)");
    expect_tree("a AND () AND b OR () OR c", "(or (and a b) c)");
    expect_tree("(a OR b) AND c", "(and (or a b) c)");
    expect_tree("a NEAR b AND c", "(and (near/10 a b) c)");
    expect_tree("NOT a AND b", "(and (not a) b)");
    expect_tree("a (b c) d", "(seq a (seq b c) d)");
    /* lower-case operators are words */
    expect_tree("war and peace or not", "(seq war and peace or not)");
}

static void test_query_tree__negation(void **state)
{
    (void)state;
    expect_tree("-Berlin", "(not Berlin)");
    expect_tree("NOT Berlin NOT Kyiv", "(seq (not Berlin) (not Kyiv))");
    expect_tree("talks -Berlin", "(seq talks (not Berlin))");
    expect_tree("NOT NOT a", "(not (not a))");
    expect_tree("-(a b)", "(not (seq a b))");
    /* a hyphen inside or before a space, or doubled, is no negation */
    expect_tree("long-term - x --y", "(seq long-term - x --y)");
    /* NOT with nothing after it stays as a gap between its neighbours */
    expect_tree("a NOT AND b", "(seq a b)");
    expect_tree("a NOT", "(seq a ())");
}

static void test_query_tree__phrases(void **state)
{
    (void)state;
    expect_tree("\"security guarantees\" talks", "(seq \"security guarantees\" talks)");
    expect_tree("\"unclosed phrase", "\"unclosed phrase\"");
    expect_tree("a\"b c\"d", "(seq a \"b c\" d)");
    expect_tree("\"\"", "\"\"");
    expect_tree("-\"peace deal\"", "(not \"peace deal\")");
}

static void test_query_tree__near(void **state)
{
    (void)state;
    expect_tree("Zelenskiy NEAR Witkoff", "(near/10 Zelenskiy Witkoff)");
    expect_tree("a NEAR/3 b", "(near/3 a b)");
    expect_tree("a NEAR/3 b NEAR/5 c", "(near/5 a b c)");
    expect_tree("\"peace deal\" NEAR/5 Berlin", "(near/5 \"peace deal\" Berlin)");
    /* a NEAR with nothing after it still makes one (of a phrase's words) */
    expect_tree("\"a b\" NEAR", "(near/10 \"a b\")");
    expect_tree("NEAR oil", "oil");
    expect_tree("a NEAR -b", "(seq (near/10 a) (not b))");
    /* NEAR/x and NEAR/ are words */
    expect_tree("a NEAR/x b NEAR/", "(seq a NEAR/x b NEAR/)");
}

static void test_query_tree__fields(void **state)
{
    (void)state;
    expect_tree("title:Ukraine", "(title \"Ukraine\")");
    expect_tree("title:\"peace talks\" Berlin", "(seq (title \"peace talks\") Berlin)");
    expect_tree("SOURCE:AP ceasefire", "(seq (source \"AP\") ceasefire)");
    expect_tree("lang:RU peace", "(seq (lang ru) peace)");
    expect_tree("lang:english", "(lang en)");
    /* other colons are text; an empty value is a word */
    expect_tree("foo:bar Note: 10:30 title:", "(seq foo:bar Note: 10:30 title:)");
}

static void test_query_tree__dates(void **state)
{
    (void)state;
    expect_tree("date:2025-12-15", "(date 20251215 20251215)");
    expect_tree("date:2025-12", "(date 20251201 20251231)");
    expect_tree("date:2024-02", "(date 20240201 20240229)");
    expect_tree("date:2025", "(date 20250101 20251231)");
    expect_tree("date:2025-12-01..2025-12-31", "(date 20251201 20251231)");
    expect_tree("date:..2025-12-10 peace", "(seq (date .. 20251210) peace)");
    expect_tree("date:2025-12-10..", "(date 20251210 ..)");
}

static void test_query_tree__ignored(void **state)
{
    (void)state;
    expect_tree("", "()");
    expect_tree("   ", "()");
    expect_tree("()", "()");
    expect_tree("AND OR NOT", "()");
    expect_tree("oil AND", "oil");
    expect_tree(") oil ))", "oil");
    expect_tree("OR oil", "oil");
    expect_tree("((Ukraine talks", "(seq Ukraine talks)");
    expect_tree("a ) b", "(seq a b)");
    expect_tree("a\x01" "b\x7f" "c", "(seq a b c)");
}

static void test_query_tree__batch_mode(void **state)
{
    (void)state;
    char *s = tree_of("crude oil AND gas NEAR prices NOT opec", 0);
    assert_string_equal(s, "(seq crude oil AND gas NEAR prices NOT opec)");
    free(s);
}

static void test_query_tree__positions(void **state)
{
    (void)state;
    const char *text = "oil  \"peace deal\" title:\"x y\" -NOT";
    pt_qnode *n = NULL;
    size_t at;
    assert_int_equal(pt_qnode_parse(&n, &at, text, strlen(text), 1), PT_OK);
    assert_int_equal(n->kind, PT_Q_SEQ);
    assert_int_equal(n->n_kids, 4); /* "-NOT": a negation of nothing, a gap */
    assert_int_equal(n->kids[0]->kind, PT_Q_WORD);
    assert_int_equal(n->kids[0]->start, 0);
    assert_int_equal(n->kids[0]->end, 3);
    assert_int_equal(n->kids[1]->kind, PT_Q_PHRASE);
    assert_int_equal(n->kids[1]->start, 6); /* inside the quotes */
    assert_int_equal(n->kids[1]->end, 16);
    assert_int_equal(n->kids[2]->kind, PT_Q_FIELD);
    assert_int_equal(n->kids[2]->field, PT_FIELD_TITLE);
    assert_int_equal(n->kids[2]->start, 25);
    assert_int_equal(n->kids[2]->end, 28);
    assert_int_equal(n->kids[3]->kind, PT_Q_EMPTY);
    pt_qnode_free(n);
}

static void test_query_tree__errors(void **state)
{
    (void)state;
    expect_error("talks date:2025-13", 11, "bad date '2025-13' in date:2025-13");
    expect_error("date:2025-02-30", 5, "bad date");
    expect_error("x date:2025-12-20..2025-12-01", 7, "is reversed");
    expect_error("date:.. talks", 5, "date:.. needs a date on at least one side");
    expect_error("date:2025..12x", 5, "bad date in date:2025..12x");
    expect_error("peace lang:fr", 11, "unknown language 'fr' in lang:fr");
    /* the first error is the one reported */
    expect_error("lang:xx date:bad", 5, "unknown language");
    char deep[200] = "";
    for (int i = 0; i < PT_QUERY_MAX_DEPTH + 1; i++)
        strcat(deep, "(");
    strcat(deep, "a");
    expect_error(deep, PT_QUERY_MAX_DEPTH, "nested more than 64 deep");
    char nots[400] = "";
    for (int i = 0; i < PT_QUERY_MAX_DEPTH + 1; i++)
        strcat(nots, "NOT ");
    strcat(nots, "a");
    expect_error(nots, 4 * PT_QUERY_MAX_DEPTH, "nested more than 64 deep");
    char fields[2000] = "";
    for (int i = 0; i < PT_QUERY_MAX_FIELDS + 1; i++)
        strcat(fields, "title:a ");
    expect_error(fields, 8 * PT_QUERY_MAX_FIELDS, "more than 64 field:value filters");
}

/* The plan of text (no index: no variants), printed. */
static char *plan_of(const char *text, unsigned flags)
{
    pt_analyzer *an = NULL;
    char *s = NULL;
    assert_int_equal(pt_analyzer_new(&an), PT_OK);
    int rc = pt_query_plan_sexpr(&s, an, text, strlen(text), flags);
    pt_analyzer_free(an);
    if (rc != PT_OK)
        fail_msg("'%s' failed: %s", text, pt_error_last());
    return s;
}

/* What each query searches, lowered through the analyzer into its plan:
 * weights, labels, filters and negations, with no index and no Xapian. */
static void test_query_tree__plans(void **state)
{
    (void)state;
    const char *cases[][2] = {
        {"security guarantees", "(or (label typed \"secur\" secur) (label typed \"guarante\" guarante))"},
        {"\"security guarantees\"", "(label phrase \"\"secur guarante\"\" (phrase/0 secur guarante))"},
        /* stopwords dropped outside phrases; searched when they are all */
        {"the peace", "(label typed \"peac\" peac)"},
        {"to be or not", "(or (label typed \"to\" to) (label typed \"be\" be) (label typed \"or\" or)"
                         " (label typed \"not\" not))"},
        /* a repeat adds less (k3 = 3: 0.6 of the first) */
        {"oil oil", "(or (label typed \"oil\" oil) (scale 0.6 (label typed \"oil\" oil)))"},
        /* "e.g." is dropped as a stopword is */
        {"e.g. peace", "(label typed \"peac\" peac)"},
        {"long-term", "(or (and_maybe longterm (and long term)) (phrase/0 unless longterm long term))"},
        {"-Berlin", "(and_not (scale 0 (all)) berlin)"},
        {"talks NOT Berlin", "(and_not (label typed \"talk\" talk) berlin)"},
        {"(oil OR gas) -opec", "(and_not (or (label typed \"oil\" oil) (label typed \"gas\" gas)) opec)"},
        {"oil AND gas", "(and (label typed \"oil\" oil) (label typed \"gas\" gas))"},
        {"Zelenskiy NEAR/3 Witkoff", "(label phrase \"zelenskiy NEAR/3 witkoff\" (near/4 zelenskiy witkoff))"},
        {"negotiat* peace", "(or (label typed \"negotiat*\" (wildcard negotiat 100)) (label typed \"peac\" peac))"},
        /* filters weigh nothing: OR within a field, AND across fields */
        {"title:oil talks", "(filter (label typed \"talk\" talk) (scale 0 (label typed \"XToil\" XToil)))"},
        {"date:2025-12 talks", "(filter (label typed \"talk\" talk) (scale 0 (range 1 20251201 20251231)))"},
        {"title:oil title:gas date:2025", "(and (or (scale 0 (label typed \"XToil\" XToil))"
                                          " (scale 0 (label typed \"XTgas\" XTgas))) (scale 0 (range 1 20250101 20251231)))"},
        {"lang:ru", "(scale 0 (or (wildcard \xd0 0) (wildcard \xd1 0) (wildcard \xd2 0) (wildcard \xd3 0)))"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char *s = plan_of(cases[i][0], 0);
        if (strcmp(s, cases[i][1]) != 0)
            fail_msg("'%s' plans as %s, not %s", cases[i][0], s, cases[i][1]);
        free(s);
    }
    /* --all-words: AND; batch mode: operators are words */
    char *s = plan_of("oil gas", PT_QUERY_ALL_WORDS);
    assert_string_equal(s, "(and (label typed \"oil\" oil) (label typed \"gas\" gas))");
    free(s);
    s = plan_of("oil AND gas", PT_QUERY_NO_OPERATORS);
    assert_string_equal(s, "(or (label typed \"oil\" oil) (label typed \"gas\" gas))");
    free(s);
    char *none = NULL;
    pt_analyzer *an = NULL;
    assert_int_equal(pt_analyzer_new(&an), PT_OK);
    assert_int_equal(pt_query_plan_sexpr(&none, an, "!!! ()", 6, 0), PT_EQUERY);
    assert_non_null(strstr(pt_error_last(), "no word to search for"));
    assert_null(none);
    pt_analyzer_free(an);
}

/* Translating a plan builds each node once and frees a node's ptx_query
 * once its last parent is built: a chain of ORs keeps no intermediate OR
 * (with its labels: 400 MB for 2,000 of them), a shared node lives until
 * both its parents are built. */
static void test_query_tree__translate_frees_parts(void **state)
{
    (void)state;
    pt_plan *a = pt_plan_term("a", 1, 1, 0), *b = pt_plan_term("b", 1, 1, 0), *c = pt_plan_term("c", 1, 1, 0);
    pt_plan *ab_parts[] = {a, b};
    pt_plan *ab = pt_plan_combine(PTX_OP_OR, ab_parts, 2, 0);
    pt_plan *abc_parts[] = {ab, c};
    pt_plan *abc = pt_plan_combine(PTX_OP_OR, abc_parts, 2, 0);
    pt_plan *shared_parts[] = {abc, a}; /* a again, under the root */
    pt_plan *root = pt_plan_combine(PTX_OP_AND, shared_parts, 2, 0);
    pt_plan *gate = pt_plan_combine(PTX_OP_OR, &b, 1, 0); /* b, shared with another plan */
    assert_non_null(root);
    assert_non_null(gate);
    pt_plan_count_uses(gate);
    ptx_query *q = pt_plan_translate(root);
    assert_non_null(q);
    assert_null(ab->built);
    assert_null(abc->built);
    assert_null(a->built);   /* both its parents are built */
    assert_non_null(b->built); /* the gate is still to be built from it */
    ptx_query *g = pt_plan_translate(gate);
    assert_non_null(g);
    assert_null(b->built);
    char *d = ptx_query_describe(q);
    assert_string_equal(d, "Query((((a OR b) OR c) AND a))");
    free(d);
    pt_translated_free(q);
    pt_translated_free(g);
    pt_plan *all[] = {a, b, c, ab, abc, root, gate};
    for (size_t i = 0; i < sizeof all / sizeof *all; i++)
        pt_plan_free(all[i]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_query_tree__precedence),
        cmocka_unit_test(test_query_tree__negation),
        cmocka_unit_test(test_query_tree__phrases),
        cmocka_unit_test(test_query_tree__near),
        cmocka_unit_test(test_query_tree__fields),
        cmocka_unit_test(test_query_tree__dates),
        cmocka_unit_test(test_query_tree__ignored),
        cmocka_unit_test(test_query_tree__batch_mode),
        cmocka_unit_test(test_query_tree__positions),
        cmocka_unit_test(test_query_tree__errors),
        cmocka_unit_test(test_query_tree__plans),
        cmocka_unit_test(test_query_tree__translate_frees_parts),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
