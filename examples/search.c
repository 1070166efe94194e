/* search.c — the smallest program over the installed libptsearch: opens an
 * index, runs one query, prints each hit's title, source, date and passage.
 * Build it with pkg-config only (README, "Install"):
 *   cc -o search examples/search.c $(pkg-config --cflags --libs ptsearch)
 *   ./search INDEX_DIR 'security guarantees'
 * Exit status: 0 hits found, 1 none, 2 an error (message on stderr). */
#include <ptsearch.h>

#include <stdio.h>

/* Prints one hit; a string the article lacks (title, source, date) is NULL. */
static void print_hit(const pt_hit *hit)
{
    printf("%u. %s\n", hit->rank, hit->title ? hit->title : "(no title)");
    printf("   %s, %s\n", hit->source ? hit->source : "unknown source", hit->date ? hit->date : "undated");
    /* The passage is NUL-terminated, but passage_len is its length in bytes
     * (it may hold any UTF-8 text). */
    printf("   %.*s\n\n", (int)hit->passage_len, hit->passage);
}

/* Runs query and prints its best hits. Returns the number printed, or -1
 * on an error (reported). */
static long search_and_print(pt_searcher *searcher, const char *query)
{
    /* Options carry a version: start from the _INIT macro, change what you need. */
    pt_search_opts opts = PT_SEARCH_OPTS_INIT;
    opts.max_hits = 5;
    pt_hits *hits = NULL;
    if (pt_search(&hits, searcher, query, &opts) != PT_OK) {
        fprintf(stderr, "search: %s\n", pt_error_last());
        return -1;
    }
    size_t n = pt_hits_count(hits);
    for (size_t i = 0; i < n; i++)
        print_hit(pt_hits_get(hits, i)); /* borrowed from hits: valid until pt_hits_free */
    if (n == 0 && pt_hits_suggestion(hits))
        printf("did you mean: %s\n", pt_hits_suggestion(hits));
    pt_hits_free(hits); /* and with them every string printed above */
    return (long)n;
}

int main(int argc, char **argv)
{
    if (argc != 3 || !*argv[2]) {
        fprintf(stderr, "usage: %s INDEX_DIR QUERY\n", argv[0]);
        return 2;
    }
    pt_searcher *searcher = NULL;
    if (pt_searcher_open(&searcher, argv[1]) != PT_OK) {
        /* pt_error_last() names what failed (a missing index, a damaged one). */
        fprintf(stderr, "search: %s: %s\n", argv[1], pt_error_last());
        return 2;
    }
    long found = search_and_print(searcher, argv[2]);
    pt_searcher_free(searcher);
    if (fflush(stdout) != 0) { /* a full disk or a closed pipe is an error too */
        perror("search: standard output");
        return 2;
    }
    return found < 0 ? 2 : found > 0 ? 0 : 1;
}
