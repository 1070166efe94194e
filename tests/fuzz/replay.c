/* replay.c — the main of a fuzz target built without libFuzzer: runs the
 * target over saved inputs (files, or every file of directories given), so
 * a crash once found stays fixed in every build, with or without clang.
 * A broken invariant aborts, which fails the test. */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"

/* Reads the whole file (any size) and runs the target on it. */
static int run_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    struct stat st;
    if (!f || fstat(fileno(f), &st) != 0) {
        perror(path);
        if (f)
            fclose(f);
        return 1;
    }
    size_t size = (size_t)st.st_size;
    uint8_t *buf = malloc(size ? size : 1);
    size_t n = buf ? fread(buf, 1, size, f) : 0;
    fclose(f);
    if (!buf || n != size) {
        fprintf(stderr, "%s: could not read %zu bytes\n", path, size);
        free(buf);
        return 1;
    }
    LLVMFuzzerTestOneInput(buf, n);
    free(buf);
    return 0;
}

static int run_dir(const char *dir, size_t *runs)
{
    DIR *d = opendir(dir);
    if (!d) {
        perror(dir);
        return 1;
    }
    int failed = 0;
    for (struct dirent *e; (e = readdir(d)) != NULL;) {
        if (e->d_name[0] == '.')
            continue;
        size_t len = strlen(dir) + strlen(e->d_name) + 2;
        char *path = malloc(len);
        if (!path) {
            failed = 1;
            break;
        }
        snprintf(path, len, "%s/%s", dir, e->d_name);
        failed |= run_file(path);
        free(path);
        (*runs)++;
    }
    closedir(d);
    return failed;
}

int main(int argc, char **argv)
{
    int failed = 0;
    size_t runs = 0;
    for (int i = 1; i < argc; i++) {
        struct stat st;
        if (stat(argv[i], &st) != 0) {
            perror(argv[i]);
            return 1;
        }
        if (S_ISDIR(st.st_mode)) {
            failed |= run_dir(argv[i], &runs);
        } else {
            failed |= run_file(argv[i]);
            runs++;
        }
    }
    printf("replayed %zu inputs\n", runs);
    return failed || runs == 0;
}
