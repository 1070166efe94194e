/* test_remote_check.c — the bookkeeping of phrases on remote shards
 * (rank/remote_check.h) without a server: Xapian's order of a ranking
 * (sort value, weight with its 1e-12 tolerance, tie value, docid), the
 * collapsing of the checked ranking, the widening rule (which passages are
 * sure of their place, the first window) and the estimates and counts. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "ptsearch.h"
#include "rank/remote_check.h"

/* A passage of docid weighing weight, with collapse and order values. */
static pt_checked_hit hit(uint32_t docid, double weight, const char *collapse, const char *order)
{
    pt_checked_hit h = {docid, weight, "", "", collapse, order, 0, 0, strlen(collapse), strlen(order)};
    return h;
}

static void test_remote_check__weights_within_1e_12_are_equal(void **state)
{
    (void)state;
    ptx_search_opts o = PTX_SEARCH_OPTS_INIT;
    pt_checked_hit a = hit(9, 2.0 * (1 + 1e-13), "", ""), b = hit(4, 2.0, "", "");
    /* equal weights: the docid decides, not the one that weighs a bit more */
    assert_true(pt_ranks_before(&b, &a, &o));
    assert_false(pt_ranks_before(&a, &b, &o));
    b.weight = 2.0 * (1 + 1e-9);
    a.docid = 1;
    assert_true(pt_ranks_before(&b, &a, &o));
    assert_false(pt_ranks_before(&a, &b, &o));
    a.weight = b.weight = 0; /* two zero weights: equal, no division */
    assert_true(pt_ranks_before(&a, &b, &o));
    assert_false(pt_ranks_before(&a, &a, &o));
}

static void test_remote_check__sort_and_tie_values(void **state)
{
    (void)state;
    ptx_search_opts o = PTX_SEARCH_OPTS_INIT;
    o.sort_slot = 3;
    /* by the sort value, descending, before the weight; bytes unsigned,
     * then the longer first ("a" < "a\0": the values may hold NUL) */
    pt_checked_hit a = hit(1, 9.0, "", "2026-01-01"), b = hit(2, 1.0, "", "2026-02-01");
    assert_true(pt_ranks_before(&b, &a, &o));
    pt_checked_hit hi = hit(1, 1.0, "", "a"), lo = hit(2, 9.0, "", "a");
    hi.order = "\x80";
    assert_true(pt_ranks_before(&hi, &lo, &o));
    pt_checked_hit shorter = hit(1, 9.0, "", "a"), longer = hit(2, 1.0, "", "a");
    longer.order = "a\0";
    longer.order_len = 2;
    assert_true(pt_ranks_before(&longer, &shorter, &o));
    /* tie slot: the value ascending, only between equal weights */
    o.sort_slot = -1;
    o.tie_slot = 3;
    pt_checked_hit x = hit(1, 5.0, "", "b"), y = hit(2, 5.0, "", "a");
    assert_true(pt_ranks_before(&y, &x, &o));
    y.weight = 4.0;
    assert_true(pt_ranks_before(&x, &y, &o));
    /* no tie slot: the docid */
    o.tie_slot = -1;
    y.weight = 5.0;
    assert_true(pt_ranks_before(&x, &y, &o));
}

static void test_remote_check__sort_ranks_every_passage(void **state)
{
    (void)state;
    ptx_search_opts o = PTX_SEARCH_OPTS_INIT;
    pt_checked_hit hits[] = {hit(5, 1.0, "", ""), hit(2, 3.0, "", ""), hit(8, 2.0, "", ""),
                             hit(1, 1.0, "", ""), hit(7, 3.0, "", ""), hit(3, 0.5, "", "")};
    uint32_t expected[] = {2, 7, 8, 1, 5, 3};
    assert_int_equal(pt_checked_sort(hits, 6, &o), PT_OK);
    for (size_t i = 0; i < 6; i++)
        assert_int_equal(hits[i].docid, expected[i]);
    assert_int_equal(pt_checked_sort(hits, 0, &o), PT_OK);
}

static void test_remote_check__collapse_keeps_the_first_of_each_value(void **state)
{
    (void)state;
    ptx_search_opts o = PTX_SEARCH_OPTS_INIT;
    o.collapse_slot = 1;
    o.collapse_max = 2;
    pt_checked_hit hits[] = {hit(1, 9, "A", ""), hit(2, 8, "B", ""), hit(3, 7, "A", ""), hit(4, 6, "", ""),
                             hit(5, 5, "A", ""), hit(6, 4, "", ""),  hit(7, 3, "", ""),  hit(8, 2, "B", ""),
                             hit(9, 1, "B", "")};
    uint32_t expected[] = {1, 2, 3, 4, 6, 7, 8}; /* the third A and B go; "" never does */
    size_t n = 9;
    assert_int_equal(pt_checked_collapse(hits, &n, &o), PT_OK);
    assert_int_equal(n, 7);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(hits[i].docid, expected[i]);
    o.collapse_max = 1;
    n = 7;
    assert_int_equal(pt_checked_collapse(hits, &n, &o), PT_OK);
    assert_int_equal(n, 5); /* 1 2 4 6 7 */
    assert_int_equal(hits[2].docid, 4);
    /* no collapsing: as they were */
    o.collapse_max = 0;
    assert_int_equal(pt_checked_collapse(hits, &n, &o), PT_OK);
    assert_int_equal(n, 5);
    o.collapse_max = 1;
    o.collapse_slot = -1;
    hits[1] = hits[0];
    assert_int_equal(pt_checked_collapse(hits, &n, &o), PT_OK);
    assert_int_equal(n, 5);
}

static void test_remote_check__sure_ranks_before_the_last_fetched(void **state)
{
    (void)state;
    ptx_search_opts o = PTX_SEARCH_OPTS_INIT;
    pt_checked_hit ranked[] = {hit(3, 5, "", ""), hit(1, 4, "", ""), hit(6, 3, "", ""), hit(2, 2, "", "")};
    pt_checked_hit last = hit(5, 3, "", "");
    /* a passage further down weighs at most 3 (the last one fetched's
     * weight) and may have any docid past 5: docid 6 at weight 3 is not
     * sure, docid 2 at weight 2 neither */
    assert_int_equal(pt_checked_sure(ranked, 4, &last, 0, &o), 2);
    last.docid = 9; /* docid 6 ranks before docid 9 at weight 3 */
    assert_int_equal(pt_checked_sure(ranked, 4, &last, 0, &o), 3);
    /* the window held all: every one is sure */
    assert_int_equal(pt_checked_sure(ranked, 4, &last, 1, &o), 4);
    last.weight = 10;
    assert_int_equal(pt_checked_sure(ranked, 4, &last, 0, &o), 0);
    assert_int_equal(pt_checked_first_window(3), 20);
    assert_int_equal(pt_checked_first_window(10), 20);
    assert_int_equal(pt_checked_first_window(11), 22);
}

static void test_remote_check__estimate_scales_by_the_share_kept(void **state)
{
    (void)state;
    /* all fetched: what the checks kept, collapsed */
    assert_int_equal(pt_checked_estimate(7, 7, 9, 40, 1000, 1), 7);
    /* else the stand-in's estimate times the share kept, at least the sure */
    assert_int_equal(pt_checked_estimate(30, 12, 30, 40, 1000, 0), 750);
    assert_int_equal(pt_checked_estimate(30, 12, 1, 40, 100, 0), 12);
    assert_int_equal(pt_checked_estimate(0, 0, 0, 0, 100, 0), 0);
}

static void test_remote_check__counts(void **state)
{
    (void)state;
    pt_checked_hit kept[] = {hit(1, 1, "a1", ""), hit(2, 1, "a2", ""), hit(3, 1, "a1", ""), hit(4, 1, "", ""),
                             hit(5, 1, "a3", ""), hit(6, 1, "", "")};
    uint64_t docs, groups;
    /* all fetched: exact; "" is one article among them */
    assert_int_equal(pt_checked_counts(kept, 6, 8, 8, 1, 0, &docs, &groups), PT_OK);
    assert_int_equal(docs, 6);
    assert_int_equal(groups, 4);
    /* a part: the stand-in's count times the share kept, the articles in
     * the same proportion to the passages */
    assert_int_equal(pt_checked_counts(kept, 6, 8, 2000, 0, 0, &docs, &groups), PT_OK);
    assert_int_equal(docs, 1500);
    assert_int_equal(groups, 1000);
    /* no collapse slot: articles as passages */
    assert_int_equal(pt_checked_counts(kept, 6, 8, 2000, 0, -1, &docs, &groups), PT_OK);
    assert_int_equal(groups, 1500);
    assert_int_equal(pt_checked_counts(kept, 0, 0, 2000, 0, 0, &docs, &groups), PT_OK);
    assert_int_equal(docs, 0);
    assert_int_equal(groups, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_remote_check__weights_within_1e_12_are_equal),
        cmocka_unit_test(test_remote_check__sort_and_tie_values),
        cmocka_unit_test(test_remote_check__sort_ranks_every_passage),
        cmocka_unit_test(test_remote_check__collapse_keeps_the_first_of_each_value),
        cmocka_unit_test(test_remote_check__sure_ranks_before_the_last_fetched),
        cmocka_unit_test(test_remote_check__estimate_scales_by_the_share_kept),
        cmocka_unit_test(test_remote_check__counts),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
