/* snowball.c — pt_snowball (snowball.h) over Snowball's generated English
 * and Russian stemmers. PT_SNOWBALL_DIRECT: their entry points in
 * libstemmer.a, declared here as Snowball 2.x's runtime/api.h and
 * stem_UTF_8_*.h declare them (Debian does not install those headers);
 * CMake runs this file against the public API before it sets the macro.
 * Otherwise: libstemmer's public API (sb_stemmer_*). */
#include "analysis/snowball.h"

#include <stdlib.h>

#ifdef PT_SNOWBALL_DIRECT

typedef unsigned char symbol;
struct SN_env { /* Snowball 2.x runtime/api.h */
    symbol *p;
    int c, l, lb, bra, ket;
    symbol **S;
    int *I;
};
int SN_set_current(struct SN_env *z, int size, const symbol *s);
struct SN_env *english_UTF_8_create_env(void);
void english_UTF_8_close_env(struct SN_env *z);
int english_UTF_8_stem(struct SN_env *z);
struct SN_env *russian_UTF_8_create_env(void);
void russian_UTF_8_close_env(struct SN_env *z);
int russian_UTF_8_stem(struct SN_env *z);

struct pt_snowball {
    struct SN_env *env;
    bool cyrillic;
};

static bool backend_open(pt_snowball *s, bool cyrillic)
{
    s->cyrillic = cyrillic;
    s->env = cyrillic ? russian_UTF_8_create_env() : english_UTF_8_create_env();
    return s->env != NULL;
}

static void backend_close(pt_snowball *s)
{
    if (s->cyrillic)
        russian_UTF_8_close_env(s->env);
    else
        english_UTF_8_close_env(s->env);
}

/* As libstemmer's sb_stemmer_stem: the env's buffer has room for the NUL. */
const char *pt_snowball_stem(pt_snowball *s, const char *word, size_t len, size_t *out_len)
{
    struct SN_env *z = s->env;
    if (SN_set_current(z, (int)len, (const symbol *)word) < 0)
        return NULL;
    if ((s->cyrillic ? russian_UTF_8_stem(z) : english_UTF_8_stem(z)) < 0)
        return NULL;
    z->p[z->l] = 0;
    *out_len = (size_t)z->l;
    return (const char *)z->p;
}

#else

#include <libstemmer.h>

struct pt_snowball {
    struct sb_stemmer *sb;
};

static bool backend_open(pt_snowball *s, bool cyrillic)
{
    s->sb = sb_stemmer_new(cyrillic ? "russian" : "english", "UTF_8");
    return s->sb != NULL;
}

static void backend_close(pt_snowball *s)
{
    sb_stemmer_delete(s->sb);
}

const char *pt_snowball_stem(pt_snowball *s, const char *word, size_t len, size_t *out_len)
{
    const sb_symbol *stem = sb_stemmer_stem(s->sb, (const sb_symbol *)word, (int)len);
    if (!stem)
        return NULL;
    *out_len = (size_t)sb_stemmer_length(s->sb);
    return (const char *)stem;
}

#endif

/* Both backends: backend_open and backend_close above. */
pt_snowball *pt_snowball_new(bool cyrillic)
{
    pt_snowball *s = malloc(sizeof *s);
    if (!s)
        return NULL;
    if (!backend_open(s, cyrillic)) {
        free(s);
        return NULL;
    }
    return s;
}

void pt_snowball_free(pt_snowball *s)
{
    if (!s)
        return;
    backend_close(s);
    free(s);
}
