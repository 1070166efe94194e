/* index_dir.c — where the default index lives (XDG base directories). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/error.h"
#include "ptsearch.h"

static int join(char **out, const char *base, const char *rest)
{
    size_t len = strlen(base) + strlen(rest) + 1;
    *out = malloc(len);
    if (!*out)
        return pt_fail(PT_ENOMEM, "out of memory");
    snprintf(*out, len, "%s%s", base, rest);
    return PT_OK;
}

int pt_default_index_dir(char **out)
{
    const char *env = getenv("PTSEARCH_INDEX");
    if (env && *env)
        return join(out, env, "");
    env = getenv("XDG_DATA_HOME");
    if (env && *env)
        return join(out, env, "/ptsearch/index");
    env = getenv("HOME");
    if (env && *env)
        return join(out, env, "/.local/share/ptsearch/index");
    *out = NULL;
    return pt_fail(PT_ENOTFOUND, "no index given and neither PTSEARCH_INDEX, XDG_DATA_HOME nor HOME is set");
}
