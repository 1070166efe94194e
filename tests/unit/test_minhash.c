/* test_minhash.c — passage signatures: a wire copy with a word changed, a
 * credit line added or another headline is near; another passage on the
 * same subject is not; a passage too short to tell has no signature;
 * grouping keeps the best ranked copy. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "store/minhash.h"

static pt_signature sign(const char *text)
{
    pt_minhash mh;
    pt_signature sig;
    pt_minhash_init(&mh);
    for (const char *p = text; *p;) {
        size_t n = strcspn(p, " ");
        if (n)
            pt_minhash_add(&mh, p, n);
        p += n + (p[n] == ' ');
    }
    pt_minhash_value(&mh, &sig);
    return sig;
}

static int near(const char *a, const char *b)
{
    pt_signature x = sign(a), y = sign(b);
    return pt_signature_near(&x, &y);
}

static const char wire[] =
    "US negotiators are pressing Ukraine to cede control of the eastern Donbas regions of Donetsk "
    "and Luhansk most of which are already under Russian occupation and Kyiv has so far refused "
    "the officials said after two days of talks in Berlin with European leaders";

static void test_minhash__wire_copies_are_near(void **state)
{
    (void)state;
    static const char edited[] =
        "US negotiators are pressing Ukraine to cede control of the eastern Donbas regions of Donetsk "
        "and Lugansk most of which are already under Russian occupation and Kyiv has so far refused "
        "the officials said after two days of talks in Berlin with European leaders";
    static const char credited[] =
        "US negotiators are pressing Ukraine to cede control of the eastern Donbas regions of Donetsk "
        "and Luhansk most of which are already under Russian occupation and Kyiv has so far refused "
        "the officials said after two days of talks in Berlin with European leaders Reporting by AP";
    static const char headlined[] =
        "Kyiv refuses to cede Donbas US negotiators are pressing Ukraine to cede control of the eastern "
        "Donbas regions of Donetsk and Lugansk most of which are already under Russian occupation and "
        "Kyiv has so far refused the officials said after two days of talks in Berlin with European "
        "leaders Reporting by AP";
    assert_true(near(wire, wire));
    assert_true(near(wire, edited));
    assert_true(near(wire, credited));
    assert_true(near(wire, headlined));
}

static void test_minhash__other_passages_are_far(void **state)
{
    (void)state;
    static const char other[] =
        "Zelensky said the talks in Berlin with US envoys were not easy but resulted in real progress "
        "on security guarantees for Ukraine while differences remain over territory in the Donbas "
        "and the future of the Zaporizhzhia nuclear power plant";
    assert_false(near(wire, other));
}

static void test_minhash__short_passages_have_none(void **state)
{
    (void)state;
    pt_signature none = sign("Photo John Macdougall Afp Getty Images"), zero = {{0}};
    assert_memory_equal(&none, &zero, sizeof zero);
    assert_false(near("with AP", "with AP"));
}

static void test_minhash__group_keeps_the_best_copy(void **state)
{
    (void)state;
    static const char other[] =
        "Zelensky said the talks in Berlin with US envoys were not easy but resulted in real progress "
        "on security guarantees for Ukraine while differences remain over territory in the Donbas";
    pt_signature sigs[4] = {sign(other), sign(wire), sign(other), sign("with AP")};
    size_t group[4];
    assert_int_equal(pt_signature_group(sigs, 4, 2, group), 2);
    assert_int_equal(group[0], 0);
    assert_int_equal(group[1], 1);
    assert_int_equal(group[2], 0);               /* a copy of the first */
    assert_int_equal(group[3], PT_GROUP_DROPPED); /* a third, past the two kept */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_minhash__wire_copies_are_near),
        cmocka_unit_test(test_minhash__other_passages_are_far),
        cmocka_unit_test(test_minhash__short_passages_have_none),
        cmocka_unit_test(test_minhash__group_keeps_the_best_copy),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
