/* variant_eval.c — MEASUREMENT TOOL, not part of ptsearch: precision and
 * recall of the name-variant rules (lib/variants.c) on a labelled list of
 * spelling pairs (tests/data/name_variants.tsv). For each pair it types
 * each word as a capitalised query word would be typed and asks
 * pt_variants_find whether the other word's stem comes back. Driven by
 * scripts/variant_eval.sh, which builds the index.
 * Usage: variant_eval INDEX_DIR PAIRS.tsv */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyzer.h"
#include "ptsearch.h"
#include "variants.h"
#include "xapian_binding.h"

/* A word as the analyzer sees it: the first term that is not a part of a
 * hyphenated word (the whole form comes first). */
typedef struct {
    char word[PT_VARIANT_STEM_MAX];
    char stem[PT_VARIANT_STEM_MAX];
    unsigned flags;
    int found;
} analyzed;

static int first_term(const pt_term *t, void *ctx)
{
    analyzed *a = ctx;
    if (t->word_len >= sizeof a->word || t->term_len >= sizeof a->stem)
        return 1;
    memcpy(a->word, t->word, t->word_len);
    a->word[t->word_len] = '\0';
    memcpy(a->stem, t->term, t->term_len);
    a->stem[t->term_len] = '\0';
    a->flags = t->flags;
    a->found = 1;
    return 1; /* stop after the first */
}

static int analyze_word(pt_analyzer *an, const char *text, analyzed *out)
{
    memset(out, 0, sizeof *out);
    int rc = pt_analyze(an, text, strlen(text), 0, first_term, out, NULL);
    return rc < 0 ? rc : out->found ? 0 : -1;
}

/* How a typed word relates to the other word of its pair. */
enum outcome {
    SAME_STEM,   /* the analyzer already makes them one term */
    RETURNED,    /* pt_variants_find returned the other stem */
    NOT_RETURNED,
    ABSENT,      /* the index lacks the other stem: nothing could find it */
};

/* Whether the edit-distance step of pt_variants_find (as variants.c does it
 * at this commit: rare capitalised words of 5+ letters, the 4 nearest terms
 * within 1 edit, 2 from 8 letters) would offer target. A replay for
 * attribution only; the outcome itself comes from pt_variants_find. */
static int edit_distance_offers(ptx_reader *r, const analyzed *typed, const char *target)
{
    uint64_t freq = 0;
    size_t len = strlen(typed->stem), n = 0;
    if (!(typed->flags & PT_TERM_CAPITALIZED) || len < 5 || ptx_reader_termfreq(r, typed->stem, &freq) != 0 ||
        freq > pt_rare_threshold(r))
        return 0;
    char near[4][PT_VARIANT_STEM_MAX];
    uint64_t freqs[4];
    if (pt_near_terms(r, typed->stem, len >= 8 ? 2 : 1, near, freqs, 4, &n) != 0)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (strcmp(near[i], target) == 0)
            return 1;
    return 0;
}

static int query_direction(pt_analyzer *an, ptx_reader *r, const analyzed *typed, const analyzed *other,
                           enum outcome *out, int *by_edit)
{
    *by_edit = 0;
    if (strcmp(typed->stem, other->stem) == 0) {
        *out = SAME_STEM;
        return 0;
    }
    uint64_t freq = 0;
    int rc = ptx_reader_termfreq(r, other->stem, &freq);
    if (rc)
        return rc;
    if (freq == 0) {
        *out = ABSENT;
        return 0;
    }
    pt_variants v;
    unsigned flags = (typed->flags & PT_TERM_CAPITALIZED) ? PT_VARIANT_NAME : 0;
    if ((rc = pt_variants_find(&v, an, r, typed->word, strlen(typed->word), typed->stem, flags)))
        return rc;
    *out = NOT_RETURNED;
    for (size_t i = 0; i < v.n; i++)
        if (strcmp(v.stems[i], other->stem) == 0)
            *out = RETURNED;
    if (*out == RETURNED)
        *by_edit = edit_distance_offers(r, typed, other->stem);
    return 0;
}

/* Counts over directed queries (a typed, b wanted; and b typed, a wanted). */
typedef struct {
    unsigned same_found, same_missed, same_absent, same_stem;
    unsigned diff_found, diff_rejected, diff_absent, diff_stem;
    unsigned found_by_edit_same, found_by_edit_diff;
    unsigned pairs_same, pairs_diff, pairs_same_either, pairs_diff_either;
} tally;

static const char *outcome_name(enum outcome o)
{
    static const char *const names[] = {"same stem", "returned", "not returned", "absent"};
    return names[o];
}

static void count(tally *t, int same, enum outcome o, int by_edit)
{
    unsigned *slots[2][4] = {
        {&t->diff_stem, &t->diff_found, &t->diff_rejected, &t->diff_absent},
        {&t->same_stem, &t->same_found, &t->same_missed, &t->same_absent},
    };
    (*slots[same][o])++;
    if (o == RETURNED && by_edit)
        (*(same ? &t->found_by_edit_same : &t->found_by_edit_diff))++;
}

/* One pair line "a TAB b TAB same|different TAB note": evaluates both
 * directions, prints errors as "FP"/"FN" lines, counts. */
static int eval_pair(pt_analyzer *an, ptx_reader *r, char *line, unsigned lineno, tally *t)
{
    char *save = NULL;
    char *a = strtok_r(line, "\t", &save), *b = strtok_r(NULL, "\t", &save);
    char *label = strtok_r(NULL, "\t\n", &save);
    if (!a || !b || !label || (strcmp(label, "same") != 0 && strcmp(label, "different") != 0)) {
        fprintf(stderr, "variant_eval: line %u: expected 'a TAB b TAB same|different'\n", lineno);
        return 0;
    }
    int same = strcmp(label, "same") == 0;
    analyzed wa, wb;
    if (analyze_word(an, a, &wa) != 0 || analyze_word(an, b, &wb) != 0) {
        fprintf(stderr, "variant_eval: line %u: no word in '%s' or '%s'\n", lineno, a, b);
        return 0;
    }
    int either = 0;
    const analyzed *typed[2] = {&wa, &wb}, *other[2] = {&wb, &wa};
    const char *shown[2][2] = {{a, b}, {b, a}};
    for (int d = 0; d < 2; d++) {
        enum outcome o;
        int by_edit, rc = query_direction(an, r, typed[d], other[d], &o, &by_edit);
        if (rc)
            return rc;
        count(t, same, o, by_edit);
        either |= o == RETURNED || o == SAME_STEM;
        if ((same && o != RETURNED && o != SAME_STEM) || (!same && (o == RETURNED || o == SAME_STEM)))
            printf("%s %s -> %s (%s -> %s): %s%s\n", same ? "FN" : "FP", shown[d][0], shown[d][1],
                   typed[d]->stem, other[d]->stem, outcome_name(o), by_edit ? ", edit distance offers it" : "");
    }
    (*(same ? &t->pairs_same : &t->pairs_diff))++;
    if (either)
        (*(same ? &t->pairs_same_either : &t->pairs_diff_either))++;
    return 0;
}

static double ratio(unsigned a, unsigned b)
{
    return b ? (double)a / b : 0.0;
}

static void print_table(const tally *t)
{
    unsigned tp = t->same_found + t->same_stem, fp = t->diff_found + t->diff_stem;
    unsigned same_all = t->same_found + t->same_missed + t->same_absent + t->same_stem;
    unsigned same_present = same_all - t->same_absent;
    printf("\n| queries (a typed, b wanted, and back) | count |\n|---|---:|\n");
    printf("| same: returned by the variants / same stem already / not returned / other word not in the index | %u / %u / %u / %u |\n",
           t->same_found, t->same_stem, t->same_missed, t->same_absent);
    printf("| different: returned (false positive) / same stem / not returned / other word not in the index | %u / %u / %u / %u |\n",
           t->diff_found, t->diff_stem, t->diff_rejected, t->diff_absent);
    printf("| returned where the edit-distance step offers it too: same / different | %u / %u |\n",
           t->found_by_edit_same, t->found_by_edit_diff);
    printf("| returned where it does not (rules, table or numbers): same / different | %u / %u |\n",
           t->same_found - t->found_by_edit_same, t->diff_found - t->found_by_edit_diff);
    printf("\n| measure | value |\n|---|---:|\n");
    printf("| precision (of the queries whose other word is matched, the share labelled same) | %.3f (%u/%u) |\n",
           ratio(tp, tp + fp), tp, tp + fp);
    printf("| precision, variants only (same-stem pairs left out) | %.3f (%u/%u) |\n",
           ratio(t->same_found, t->same_found + t->diff_found), t->same_found, t->same_found + t->diff_found);
    printf("| recall (of the same queries whose other word is in the index, the share matched) | %.3f (%u/%u) |\n",
           ratio(tp, same_present), tp, same_present);
    printf("| recall, variants only (same-stem pairs left out) | %.3f (%u/%u) |\n",
           ratio(t->same_found, same_present - t->same_stem), t->same_found, same_present - t->same_stem);
    printf("| pairs matched in either direction: same / different | %u of %u / %u of %u |\n",
           t->pairs_same_either, t->pairs_same, t->pairs_diff_either, t->pairs_diff);
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: variant_eval INDEX_DIR PAIRS.tsv\n");
        return 2;
    }
    FILE *f = fopen(argv[2], "r");
    if (!f) {
        perror(argv[2]);
        return 2;
    }
    pt_analyzer *an = NULL;
    ptx_reader *r = NULL;
    int rc = pt_analyzer_new(&an);
    if (rc == 0)
        rc = ptx_reader_open(&r, argv[1]);
    char *line = NULL;
    size_t cap = 0;
    unsigned lineno = 0;
    tally t = {0};
    while (rc == 0 && getline(&line, &cap, f) > 0) {
        lineno++;
        if (line[0] != '#' && line[0] != '\n')
            rc = eval_pair(an, r, line, lineno, &t);
    }
    if (rc == 0)
        print_table(&t);
    else
        fprintf(stderr, "variant_eval: %s\n", pt_error_last());
    free(line);
    fclose(f);
    ptx_reader_close(r);
    pt_analyzer_free(an);
    return rc == 0 ? 0 : 2;
}
