/* stopwords.c — the stopword table (a short English and Russian list) and
 * its stems as the index holds them. The query drops stopwords outside
 * phrases (query.h); feedback never picks a stopword's stem. */
#include "analysis/stopwords.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/stemmer.h"

static const char *const stopwords[] = {
    "a", "about", "above", "after", "again", "against", "all", "am", "an", "and", "any", "are",
    "as", "at", "be", "because", "been", "before", "being", "below", "between", "both", "but",
    "by", "can", "could", "did", "do", "does", "doing", "down", "during", "each", "few", "for",
    "from", "further", "had", "has", "have", "having", "he", "her", "here", "hers", "herself",
    "him", "himself", "his", "how", "i", "if", "in", "into", "is", "it", "its", "itself", "just",
    "me", "more", "most", "my", "myself", "no", "nor", "not", "now", "of", "off", "on", "once",
    "only", "or", "other", "our", "ours", "ourselves", "out", "over", "own", "same", "she",
    "should", "so", "some", "such", "than", "that", "the", "their", "theirs", "them",
    "themselves", "then", "there", "these", "they", "this", "those", "through", "to", "too",
    "under", "until", "up", "very", "was", "we", "were", "what", "when", "where", "which",
    "while", "who", "whom", "why", "will", "with", "would", "you", "your", "yours", "yourself",
    "yourselves",
    /* Russian */
    "и", "в", "во", "не", "что", "он", "на", "я", "с", "со", "как", "а", "то", "все", "она",
    "так", "его", "но", "да", "ты", "к", "у", "же", "вы", "за", "бы", "по", "ее", "от", "о",
    "из", "ли", "или", "для", "это",
    NULL,
};

int pt_query_is_stopword(const char *word, size_t len)
{
    for (size_t i = 0; stopwords[i]; i++)
        if (strlen(stopwords[i]) == len && memcmp(stopwords[i], word, len) == 0)
            return 1;
    return 0;
}

/* The stopwords' stems, in the order of stopwords; made once (NULL when
 * that failed: out of memory). */
static char **stopword_stems;
static pthread_once_t stopword_stems_once = PTHREAD_ONCE_INIT;

static void make_stopword_stems(void)
{
    const size_t n = sizeof stopwords / sizeof *stopwords; /* with the NULL */
    char **stems = calloc(n, sizeof *stems);
    pt_stemmer *st = NULL;
    int ok = stems && pt_stemmer_new(&st) == 0;
    for (size_t i = 0; ok && stopwords[i]; i++) {
        const char *stem;
        size_t len;
        unsigned char lead = (unsigned char)stopwords[i][0]; /* Cyrillic: 0xD0-0xD4 */
        ok = pt_stemmer_stem(st, stopwords[i], strlen(stopwords[i]), lead >= 0xD0 && lead <= 0xD4,
                             &stem, &len) == 0 && (stems[i] = strdup(stem)) != NULL;
    }
    pt_stemmer_free(st);
    if (ok) {
        stopword_stems = stems;
        return;
    }
    for (size_t i = 0; stems && i < n; i++)
        free(stems[i]);
    free(stems);
}

int pt_query_is_stopword_stem(const char *stem, size_t len)
{
    pthread_once(&stopword_stems_once, make_stopword_stems);
    for (size_t i = 0; stopword_stems && stopword_stems[i]; i++)
        if (strlen(stopword_stems[i]) == len && memcmp(stopword_stems[i], stem, len) == 0)
            return 1;
    return pt_query_is_stopword(stem, len);
}
