/* variant_eval.c — MEASUREMENT TOOL, not part of ptsearch: precision and
 * recall of the name-variant rules (lib/query/variants.c) on a labelled list of
 * spelling pairs (tests/data/name_variants.tsv). For each pair it types
 * each word as a capitalised query word would be typed and asks
 * pt_variants_find whether the other word's stem comes back. Then it
 * measures the choice of edit kinds the edit-distance step may make
 * (PT_EDIT_*): their precision on the list, and a k-fold cross-validation
 * of choosing them (pairs that share a word are in one fold; kinds chosen
 * on the other folds, scored on the held-out one). Driven by
 * scripts/variant_eval.sh, which builds the index.
 * Usage: variant_eval INDEX_DIR PAIRS.tsv
 * With VARIANT_EVAL_DUMP=FILE, appends one line per directed query to FILE
 * (typed and other word and stem, label, whether only the edit step could
 * answer, edit kinds, distance, both document frequencies, fold). */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/analyzer.h"
#include "ptsearch.h"
#include "query/variants.h"
#include "xapian/xapian_binding.h"

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

/* Whether the edit-distance step of pt_variants_find (with the default
 * policy of variants.c) would offer target. A replay for attribution only;
 * the outcome itself comes from pt_variants_find. */
static int edit_distance_offers(ptx_reader *r, const analyzed *typed, const char *target)
{
    pt_edit_policy ep = pt_edit_policy_default();
    uint64_t freq = 0;
    size_t len = strlen(typed->stem), n = 0;
    if (!ep.kinds || !(typed->flags & PT_TERM_CAPITALIZED) || len < ep.min_len ||
        ptx_reader_termfreq(r, typed->stem, &freq) != 0 || freq > pt_rare_threshold(r))
        return 0;
    char near[4][PT_VARIANT_STEM_MAX];
    uint64_t freqs[4];
    if (pt_near_terms_of(r, typed->stem, len >= ep.min_len_two ? 2 : 1, ep.kinds, near, freqs, 4, &n) != 0)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (strcmp(near[i], target) == 0)
            return 1;
    return 0;
}

static int query_direction(pt_analyzer *an, ptx_reader *r, const analyzed *typed, const analyzed *other,
                           const pt_edit_policy *ep, enum outcome *out, int *by_edit)
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
    if ((rc = pt_variants_find_policy(&v, an, r, typed->word, strlen(typed->word), typed->stem, flags, ep)))
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

/* One labelled pair, analyzed, with what cross-validation needs. */
typedef struct {
    char a[PT_VARIANT_STEM_MAX], b[PT_VARIANT_STEM_MAX];
    analyzed wa, wb;
    int same;
    unsigned fold;
    /* Per direction (a typed, then b typed): whether the rules alone (no
     * edit-distance step) return the other word, whether the edit-distance
     * step may offer it (rare name of 5+ letters, within its distance), and
     * the kinds of edits from one stem to the other. */
    int by_rules[2], edit_may[2];
    unsigned kinds[2];
} pair;

typedef struct {
    pair *v;
    size_t n, cap;
} pairs;

/* Reads "a TAB b TAB same|different TAB note" lines. */
static int read_pairs(pt_analyzer *an, FILE *f, pairs *out)
{
    char *line = NULL;
    size_t cap = 0;
    unsigned lineno = 0;
    while (getline(&line, &cap, f) > 0) {
        lineno++;
        if (line[0] == '#' || line[0] == '\n')
            continue;
        char *save = NULL;
        char *a = strtok_r(line, "\t", &save), *b = strtok_r(NULL, "\t", &save);
        char *label = strtok_r(NULL, "\t\n", &save);
        if (!a || !b || !label || (strcmp(label, "same") != 0 && strcmp(label, "different") != 0) ||
            strlen(a) >= PT_VARIANT_STEM_MAX || strlen(b) >= PT_VARIANT_STEM_MAX) {
            fprintf(stderr, "variant_eval: line %u: expected 'a TAB b TAB same|different'\n", lineno);
            continue;
        }
        if (out->n == out->cap) {
            out->cap = out->cap ? out->cap * 2 : 256;
            pair *v = realloc(out->v, out->cap * sizeof *v);
            if (!v) {
                free(line);
                return PT_ENOMEM;
            }
            out->v = v;
        }
        pair *p = &out->v[out->n];
        memset(p, 0, sizeof *p);
        snprintf(p->a, sizeof p->a, "%s", a);
        snprintf(p->b, sizeof p->b, "%s", b);
        p->same = strcmp(label, "same") == 0;
        if (analyze_word(an, a, &p->wa) != 0 || analyze_word(an, b, &p->wb) != 0) {
            fprintf(stderr, "variant_eval: line %u: no word in '%s' or '%s'\n", lineno, a, b);
            continue;
        }
        out->n++;
    }
    free(line);
    return 0;
}

/* Folds by name: pairs that share a word (Zelensky/Zelenskyy,
 * Zelensky/Zylinski) fall in one fold, so no name is seen on both sides. */
static size_t find_root(size_t *parent, size_t i)
{
    while (parent[i] != i)
        i = parent[i] = parent[parent[i]];
    return i;
}

static void assign_folds(pairs *ps, unsigned k)
{
    size_t n = ps->n * 2, *parent = malloc(n * sizeof *parent);
    if (!parent)
        return;
    for (size_t i = 0; i < n; i++)
        parent[i] = i;
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < i; j++) {
            const analyzed *x = i % 2 ? &ps->v[i / 2].wb : &ps->v[i / 2].wa;
            const analyzed *y = j % 2 ? &ps->v[j / 2].wb : &ps->v[j / 2].wa;
            if (i / 2 == j / 2 || strcmp(x->word, y->word) == 0)
                parent[find_root(parent, i)] = find_root(parent, j);
        }
    for (size_t i = 0; i < ps->n; i++) {
        /* The fold of a group: a hash of its first word, stable across runs. */
        const pair *root = &ps->v[find_root(parent, 2 * i) / 2];
        uint32_t h = 2166136261u;
        for (const char *c = root->wa.word; *c; c++)
            h = (h ^ (unsigned char)*c) * 16777619u;
        ps->v[i].fold = h % k;
    }
    free(parent);
}

/* What the rules alone return, and what the edit step may offer. */
static int prepare_pair(pt_analyzer *an, ptx_reader *r, pair *p)
{
    const analyzed *typed[2] = {&p->wa, &p->wb}, *other[2] = {&p->wb, &p->wa};
    for (int d = 0; d < 2; d++) {
        enum outcome o;
        pt_edit_policy rules_only = {0, 0, 0};
        int by_edit, rc = query_direction(an, r, typed[d], other[d], &rules_only, &o, &by_edit);
        if (rc)
            return rc;
        p->by_rules[d] = o == RETURNED || o == SAME_STEM;
        size_t len = strlen(typed[d]->stem);
        uint64_t freq = 0;
        if ((rc = ptx_reader_termfreq(r, typed[d]->stem, &freq)))
            return rc;
        unsigned max = len >= 8 ? 2 : 1;
        p->edit_may[d] = o == NOT_RETURNED && (typed[d]->flags & PT_TERM_CAPITALIZED) && len >= 5 &&
                         freq <= pt_rare_threshold(r) && typed[d]->stem[0] == other[d]->stem[0] &&
                         pt_edit_distance(typed[d]->stem, len, other[d]->stem, strlen(other[d]->stem), max) <= max;
        p->kinds[d] = pt_edit_classes(typed[d]->stem, len, other[d]->stem, strlen(other[d]->stem));
        FILE *dump = getenv("VARIANT_EVAL_DUMP") ? fopen(getenv("VARIANT_EVAL_DUMP"), "a") : NULL;
        if (dump) {
            uint64_t ofreq = 0;
            ptx_reader_termfreq(r, other[d]->stem, &ofreq);
            fprintf(dump, "%s\t%s\t%s\t%s\t%d\t%d\t%u\t%u\t%llu\t%llu\t%u\n", typed[d]->word, other[d]->word,
                    typed[d]->stem, other[d]->stem, p->same, p->edit_may[d], p->kinds[d],
                    pt_edit_distance(typed[d]->stem, len, other[d]->stem, strlen(other[d]->stem), 9),
                    (unsigned long long)freq, (unsigned long long)ofreq, p->fold);
            fclose(dump);
        }
    }
    return 0;
}

/* Evaluates the pairs of fold (all when fold < 0) but those of fold skip
 * (none when skip < 0) with the edit-distance policy given; prints each
 * error when verbose. */
static int evaluate(pt_analyzer *an, ptx_reader *r, const pairs *ps, int fold, int skip,
                    const pt_edit_policy *ep, int verbose, tally *t)
{
    for (size_t i = 0; i < ps->n; i++) {
        const pair *p = &ps->v[i];
        if ((fold >= 0 && p->fold != (unsigned)fold) || (skip >= 0 && p->fold == (unsigned)skip))
            continue;
        int either = 0;
        const analyzed *typed[2] = {&p->wa, &p->wb}, *other[2] = {&p->wb, &p->wa};
        const char *shown[2][2] = {{p->a, p->b}, {p->b, p->a}};
        for (int d = 0; d < 2; d++) {
            enum outcome o;
            int by_edit, rc = query_direction(an, r, typed[d], other[d], ep, &o, &by_edit);
            if (rc)
                return rc;
            count(t, p->same, o, by_edit);
            either |= o == RETURNED || o == SAME_STEM;
            if (verbose && ((p->same && o != RETURNED && o != SAME_STEM) || (!p->same && (o == RETURNED || o == SAME_STEM))))
                printf("%s %s -> %s (%s -> %s): %s%s\n", p->same ? "FN" : "FP", shown[d][0], shown[d][1],
                       typed[d]->stem, other[d]->stem, outcome_name(o), by_edit ? ", edit distance offers it" : "");
        }
        (*(p->same ? &t->pairs_same : &t->pairs_diff))++;
        if (either)
            (*(p->same ? &t->pairs_same_either : &t->pairs_diff_either))++;
    }
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

static const char *const kind_names[] = {"vowel", "phonetic", "consonant", "double", "h", "end", "indel", "swap"};
#define KINDS (sizeof kind_names / sizeof *kind_names)
#define FOLDS 5
#define MIN_SUPPORT 3 /* directed queries a kind needs to be judged */

/* Of the directed queries (not in fold skip) that only the edit step can
 * answer, those whose edits include each kind: how many are labelled same
 * and different. */
static void kind_counts(const pairs *ps, int skip, unsigned same[KINDS], unsigned diff[KINDS])
{
    memset(same, 0, KINDS * sizeof *same);
    memset(diff, 0, KINDS * sizeof *diff);
    for (size_t i = 0; i < ps->n; i++) {
        const pair *p = &ps->v[i];
        if (skip >= 0 && p->fold == (unsigned)skip)
            continue;
        for (int d = 0; d < 2; d++)
            for (size_t k = 0; p->edit_may[d] && k < KINDS; k++)
                if (p->kinds[d] & (1u << k))
                    (*(p->same ? &same[k] : &diff[k]))++;
    }
}

/* The kinds whose precision is at least theta, with MIN_SUPPORT queries. */
static unsigned choose_kinds(const pairs *ps, int skip, double theta)
{
    unsigned same[KINDS], diff[KINDS], kinds = 0;
    kind_counts(ps, skip, same, diff);
    for (size_t k = 0; k < KINDS; k++)
        if (same[k] + diff[k] >= MIN_SUPPORT && same[k] >= theta * (same[k] + diff[k]))
            kinds |= 1u << k;
    return kinds;
}

static void policy_name(const pt_edit_policy *ep, char *out, size_t size)
{
    char kinds[96] = "";
    for (size_t k = 0; k < KINDS; k++)
        if (ep->kinds & (1u << k))
            snprintf(kinds + strlen(kinds), sizeof kinds - strlen(kinds), "%s%s", kinds[0] ? " " : "", kind_names[k]);
    if (!ep->kinds)
        snprintf(out, size, "no edit-distance step");
    else if (ep->kinds == PT_EDIT_ALL)
        snprintf(out, size, "every kind, 1 edit from %zu letters, 2 from %zu", ep->min_len, ep->min_len_two);
    else
        snprintf(out, size, "%s; 1 edit from %zu letters, 2 from %zu", kinds, ep->min_len, ep->min_len_two);
}

static void summary_row(const char *name, const tally *t)
{
    unsigned tp = t->same_found + t->same_stem, fp = t->diff_found + t->diff_stem;
    unsigned same_present = t->same_found + t->same_missed + t->same_stem;
    printf("| %s | %.3f (%u/%u) | %.3f (%u/%u) |\n", name, ratio(tp, tp + fp), tp, tp + fp,
           ratio(tp, same_present), tp, same_present);
}

/* F0.5: precision counts twice as much as recall (a variant that brings
 * in another person costs the reader more than one missed). */
static double f_half(const tally *t)
{
    double tp = t->same_found + t->same_stem, fp = t->diff_found + t->diff_stem;
    double present = t->same_found + t->same_missed + t->same_stem;
    double p = tp + fp > 0 ? tp / (tp + fp) : 0, r = present > 0 ? tp / present : 0;
    return p + r > 0 ? 1.25 * p * r / (0.25 * p + r) : 0;
}

#define GRID_MAX 64

/* The policies tried: kinds of precision >= 0 (all) or >= 0.6 on the
 * training pairs, times the lengths for one and for two edits. */
static size_t policy_grid(const pairs *ps, int skip, pt_edit_policy *grid)
{
    static const double thetas[] = {0.0, 0.6, 0.7};
    static const size_t one[] = {5, 6, 7}, two[] = {8, 10, 12, 64};
    size_t n = 0;
    grid[n++] = (pt_edit_policy){0, 0, 0};
    for (size_t t = 0; t < sizeof thetas / sizeof *thetas; t++)
        for (size_t a = 0; a < sizeof one / sizeof *one; a++)
            for (size_t b = 0; b < sizeof two / sizeof *two && n < GRID_MAX; b++)
                grid[n++] = (pt_edit_policy){thetas[t] > 0 ? choose_kinds(ps, skip, thetas[t]) : PT_EDIT_ALL,
                                             one[a], two[b]};
    return n;
}

/* The policy of the grid with the best F0.5 on the pairs not in fold skip. */
static int best_policy(pt_analyzer *an, ptx_reader *r, const pairs *ps, int skip, pt_edit_policy *best,
                       int print)
{
    pt_edit_policy grid[GRID_MAX];
    size_t n = policy_grid(ps, skip, grid);
    double best_f = -1;
    for (size_t i = 0; i < n; i++) {
        tally t = {0};
        int rc = evaluate(an, r, ps, -1, skip, &grid[i], 0, &t);
        if (rc)
            return rc;
        if (print) {
            char name[256];
            policy_name(&grid[i], name, sizeof name);
            printf("| %s | %.3f | %.3f (%u/%u) | %.3f (%u/%u) |\n", name, f_half(&t),
                   ratio(t.same_found + t.same_stem, t.same_found + t.same_stem + t.diff_found + t.diff_stem),
                   t.same_found + t.same_stem, t.same_found + t.same_stem + t.diff_found + t.diff_stem,
                   ratio(t.same_found + t.same_stem, t.same_found + t.same_missed + t.same_stem),
                   t.same_found + t.same_stem, t.same_found + t.same_missed + t.same_stem);
        }
        if (f_half(&t) > best_f + 1e-9) {
            best_f = f_half(&t);
            *best = grid[i];
        }
    }
    return 0;
}

/* The edit kinds' precision on the whole list; every policy of the grid
 * on the whole list (in-sample); then k-fold cross-validation of choosing
 * the policy: chosen on four folds, scored on the fifth. */
static int cross_validate(pt_analyzer *an, ptx_reader *r, const pairs *ps)
{
    unsigned same[KINDS], diff[KINDS];
    kind_counts(ps, -1, same, diff);
    printf("\n| edit kind (queries only the edit step can answer) | same | different | precision |\n|---|---:|---:|---:|\n");
    for (size_t k = 0; k < KINDS; k++)
        printf("| %s | %u | %u | %.3f |\n", kind_names[k], same[k], diff[k], ratio(same[k], same[k] + diff[k]));
    printf("\n| edit-distance policy, all pairs (in-sample) | F0.5 | precision | recall |\n|---|---:|---:|---:|\n");
    pt_edit_policy best;
    int rc = best_policy(an, r, ps, -1, &best, 1);
    char name[256];
    if (!rc) {
        policy_name(&best, name, sizeof name);
        printf("\nBest in-sample: %s\n", name);
        printf("\n| %d-fold, by name: policy chosen on the other folds | precision | recall |\n|---|---:|---:|\n", FOLDS);
    }
    tally held = {0};
    for (int f = 0; f < FOLDS && !rc; f++) {
        tally one = {0};
        if (!(rc = best_policy(an, r, ps, f, &best, 0)))
            rc = evaluate(an, r, ps, f, -1, &best, 0, &one);
        if (!rc) {
            policy_name(&best, name, sizeof name);
            char row[320];
            snprintf(row, sizeof row, "fold %d: %s", f, name);
            summary_row(row, &one);
            rc = evaluate(an, r, ps, f, -1, &best, 0, &held);
        }
    }
    if (!rc)
        summary_row("**held out, all folds**", &held);
    return rc;
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
    pairs ps = {0};
    int rc = pt_analyzer_new(&an);
    if (rc == 0)
        rc = ptx_reader_open(&r, argv[1]);
    if (rc == 0)
        rc = read_pairs(an, f, &ps);
    assign_folds(&ps, FOLDS);
    for (size_t i = 0; rc == 0 && i < ps.n; i++)
        rc = prepare_pair(an, r, &ps.v[i]);
    tally t = {0};
    if (rc == 0)
    {
        pt_edit_policy ep = pt_edit_policy_default();
        rc = evaluate(an, r, &ps, -1, -1, &ep, 1, &t);
    }
    if (rc == 0)
        print_table(&t);
    if (rc == 0)
        rc = cross_validate(an, r, &ps);
    if (rc)
        fprintf(stderr, "variant_eval: %s\n", pt_error_last());
    free(ps.v);
    fclose(f);
    ptx_reader_close(r);
    pt_analyzer_free(an);
    return rc == 0 ? 0 : 2;
}
