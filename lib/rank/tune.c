/* tune.c — PTSEARCH_TUNE, the override of ranking constants for
 * measurement (tune.h): parsed once, looked up by name. */
#include "rank/tune.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define TUNE_MAX 16
#define TUNE_NAME 32

static struct {
    char name[TUNE_NAME];
    double value;
} tuned[TUNE_MAX];
static size_t n_tuned;
static pthread_once_t parsed = PTHREAD_ONCE_INIT;

/* One "name=value" of length len at s; a name too long, or a value that is
 * not a number, is skipped. */
static void parse_entry(const char *s, size_t len)
{
    const char *eq = memchr(s, '=', len);
    if (!eq || eq == s || (size_t)(eq - s) >= TUNE_NAME || n_tuned == TUNE_MAX)
        return;
    char *end = NULL;
    double v = strtod(eq + 1, &end);
    if (end == eq + 1 || end != s + len)
        return;
    memcpy(tuned[n_tuned].name, s, (size_t)(eq - s));
    tuned[n_tuned].name[eq - s] = '\0';
    tuned[n_tuned++].value = v;
}

static void parse_env(void)
{
    const char *env = getenv("PTSEARCH_TUNE");
    while (env && *env) {
        size_t len = strcspn(env, ",");
        parse_entry(env, len);
        env += len + (env[len] == ',');
    }
}

double pt_tune(const char *name, double def)
{
    pthread_once(&parsed, parse_env);
    for (size_t i = 0; i < n_tuned; i++)
        if (strcmp(tuned[i].name, name) == 0)
            return tuned[i].value;
    return def;
}
