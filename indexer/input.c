/* input.c — one input behind zlib's gzFile (gzip or plain, zlib tells them
 * apart), read through a 64 KiB chunk buffer: whole, line by line with a
 * bounded line buffer, or peeked at for a binary check. Owns the wording
 * of read errors, including the truncated or damaged gzip stream, which
 * zlib only reveals at its end. */
#include "input.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#define CHUNK_SIZE (64u * 1024)
#define PEEK_SIZE (8u * 1024)

struct pt_input {
    gzFile gz;
    /* Decompressed bytes read ahead: chunk[start..end) not yet consumed. */
    char *chunk;
    size_t start, end;
    int eof;         /* zlib has nothing more to give */
    int failed;      /* sticky: every later read repeats the error */
    char error[200]; /* the reason, once failed */
    /* The line being returned (or assembled), at most max + 1 bytes. */
    char *line;
    size_t line_cap;
    unsigned long line_no;
};

/* ------------------------------------------------------------ opening */

static int fail_open(char *why, size_t why_size, int err)
{
    snprintf(why, why_size, "%s", strerror(err));
    return PT_INPUT_ERROR;
}

/* An fd of our own for path: stdin is dup'ed so closing the input leaves
 * the process's standard input alone. */
static int open_fd(const char *path)
{
    if (strcmp(path, "-") == 0)
        return dup(STDIN_FILENO);
    return open(path, O_RDONLY | O_CLOEXEC);
}

int pt_input_open(pt_input **out, const char *path, char *why, size_t why_size)
{
    *out = NULL;
    int fd = open_fd(path);
    if (fd < 0)
        return fail_open(why, why_size, errno);
    /* open() accepts a directory; read() would only fail later, and with
     * a message that names zlib's fd rather than the problem. */
    struct stat sb;
    if (fstat(fd, &sb) == 0 && S_ISDIR(sb.st_mode)) {
        close(fd);
        return fail_open(why, why_size, EISDIR);
    }
    pt_input *in = calloc(1, sizeof *in);
    char *chunk = malloc(CHUNK_SIZE);
    gzFile gz = in && chunk ? gzdopen(fd, "rb") : NULL;
    if (!gz) {
        free(in);
        free(chunk);
        close(fd);
        return fail_open(why, why_size, ENOMEM);
    }
    gzbuffer(gz, CHUNK_SIZE); /* before the first read, as zlib requires */
    in->gz = gz;
    in->chunk = chunk;
    *out = in;
    return PT_INPUT_OK;
}

void pt_input_close(pt_input *in)
{
    if (!in)
        return;
    gzclose(in->gz);
    free(in->chunk);
    free(in->line);
    free(in);
}

/* ------------------------------------------------------------ errors */

/* zlib's message without its "<fd:N>: " prefix. */
static const char *zlib_message(const char *msg)
{
    const char *colon = msg[0] == '<' ? strstr(msg, ": ") : NULL;
    return colon ? colon + 2 : msg;
}

/* Records why the stream failed, from zlib's error state. */
static void record_stream_error(pt_input *in, int saved_errno)
{
    int code = Z_OK;
    const char *msg = zlib_message(gzerror(in->gz, &code));
    in->failed = 1;
    if (code == Z_BUF_ERROR)
        snprintf(in->error, sizeof in->error, "truncated gzip data (%s)", msg);
    else if (code == Z_DATA_ERROR)
        snprintf(in->error, sizeof in->error, "damaged gzip data (%s)", msg);
    else if (code == Z_MEM_ERROR)
        snprintf(in->error, sizeof in->error, "out of memory while decompressing");
    else
        snprintf(in->error, sizeof in->error, "read error: %s",
                 code == Z_ERRNO ? strerror(saved_errno) : msg);
}

int pt_input_failed(const pt_input *in)
{
    return in->failed;
}

static int report_failure(const pt_input *in, char *why, size_t why_size)
{
    snprintf(why, why_size, "%s", in->error);
    return PT_INPUT_ERROR;
}

/* ------------------------------------------------------------ the chunk */

/* Reads more decompressed bytes after chunk[end]. Returns the number read;
 * 0 at the end or after a failure (then in->eof / in->failed say which).
 * A truncated gzip stream does not make gzread fail: zlib returns what it
 * could decode, then 0, and leaves Z_BUF_ERROR "unexpected end of file"
 * in gzerror — so the end is where damage is checked for. */
static size_t fill_chunk(pt_input *in)
{
    if (in->eof || in->failed)
        return 0;
    if (in->start == in->end)
        in->start = in->end = 0;
    else if (in->end == CHUNK_SIZE) { /* only the peek keeps unread bytes */
        memmove(in->chunk, in->chunk + in->start, in->end - in->start);
        in->end -= in->start;
        in->start = 0;
    }
    errno = 0;
    int got = gzread(in->gz, in->chunk + in->end, (unsigned)(CHUNK_SIZE - in->end));
    int saved_errno = errno;
    if (got > 0) {
        in->end += (size_t)got;
        return (size_t)got;
    }
    int code = Z_OK;
    gzerror(in->gz, &code);
    if (got < 0 || code != Z_OK)
        record_stream_error(in, saved_errno);
    else
        in->eof = 1;
    return 0;
}

/* ------------------------------------------------------------ reading whole */

/* Grows *buf (capacity *cap) to hold need bytes, doubling so that the total
 * copying stays linear, but never beyond limit (>= need) so that a bound on
 * the content is also a bound on the memory. Returns 0 or -1 when out of
 * memory. */
static int reserve(char **buf, size_t *cap, size_t need, size_t limit)
{
    if (need <= *cap)
        return 0;
    size_t cap2 = *cap ? *cap : 256;
    while (cap2 < need)
        cap2 = cap2 > SIZE_MAX / 2 ? need : cap2 * 2;
    if (cap2 > limit)
        cap2 = limit;
    char *bigger = realloc(*buf, cap2);
    if (!bigger)
        return -1;
    *buf = bigger;
    *cap = cap2;
    return 0;
}

int pt_input_read_all(pt_input *in, size_t max, char **out, size_t *len, char *why, size_t why_size)
{
    *out = NULL;
    *len = 0;
    char *data = NULL;
    size_t n = 0, cap = 0;
    for (;;) {
        size_t avail = in->end - in->start;
        if (avail > max - n) {
            free(data);
            snprintf(why, why_size, "larger than %zu bytes", max);
            return PT_INPUT_TOO_LONG;
        }
        if (reserve(&data, &cap, n + avail + 1, max + 1) != 0) {
            free(data);
            snprintf(why, why_size, "out of memory");
            return PT_INPUT_ERROR;
        }
        memcpy(data + n, in->chunk + in->start, avail);
        n += avail;
        data[n] = '\0';
        in->start = in->end;
        if (fill_chunk(in) == 0)
            break;
    }
    *out = data;
    *len = n;
    return in->failed ? report_failure(in, why, why_size) : PT_INPUT_OK;
}

/* ------------------------------------------------------------ lines */

/* Appends bytes to the line being assembled unless it is already over
 * max, in which case they are only counted (the line will be dropped). */
static int keep_line_bytes(pt_input *in, size_t kept, const char *p, size_t n, size_t max)
{
    if (kept + n > max)
        return 0;
    if (reserve(&in->line, &in->line_cap, kept + n + 1, max + 1) != 0)
        return -1;
    memcpy(in->line + kept, p, n);
    return 0;
}

int pt_input_next_line(pt_input *in, size_t max, char **line, size_t *len,
                       unsigned long *line_no, char *why, size_t why_size)
{
    *line = NULL;
    *len = 0;
    *line_no = in->line_no + 1;
    if (in->failed)
        return report_failure(in, why, why_size);
    size_t n = 0;       /* length of the line so far, kept or not */
    int seen_any = 0;   /* a last line without "\n" is still a line */
    int newline = 0;
    while (!newline) {
        if (in->start == in->end && fill_chunk(in) == 0)
            break;
        const char *p = in->chunk + in->start;
        size_t avail = in->end - in->start;
        const char *nl = memchr(p, '\n', avail);
        size_t take = nl ? (size_t)(nl - p) : avail;
        if (keep_line_bytes(in, n, p, take, max) != 0) {
            snprintf(why, why_size, "out of memory");
            return PT_INPUT_ERROR;
        }
        n += take;
        in->start += take + (nl != NULL);
        newline = nl != NULL;
        seen_any = 1;
    }
    if (in->failed) /* the partial line before the damage is not returned */
        return report_failure(in, why, why_size);
    if (!seen_any)
        return PT_INPUT_EOF;
    in->line_no++;
    if (n > max) {
        *len = n;
        return PT_INPUT_TOO_LONG;
    }
    if (!in->line && reserve(&in->line, &in->line_cap, 1, 1) != 0) {
        snprintf(why, why_size, "out of memory");
        return PT_INPUT_ERROR;
    }
    if (newline && n > 0 && in->line[n - 1] == '\r')
        n--;
    in->line[n] = '\0';
    *line = in->line;
    *len = n;
    return PT_INPUT_OK;
}

/* ------------------------------------------------------------ binary check */

/* Length of the valid UTF-8 sequence at s[0..n), 0 when invalid, or n when
 * s is the valid start of a sequence that the sample cuts off. */
static size_t utf8_sequence_length(const unsigned char *s, size_t n)
{
    unsigned char c = s[0];
    size_t need;
    unsigned char lo = 0x80, hi = 0xBF; /* allowed range of the 2nd byte */
    if (c < 0x80)
        return 1;
    if (c >= 0xC2 && c <= 0xDF)
        need = 2;
    else if (c >= 0xE0 && c <= 0xEF) {
        need = 3;
        if (c == 0xE0) lo = 0xA0; /* no overlong forms */
        if (c == 0xED) hi = 0x9F; /* no surrogates */
    } else if (c >= 0xF0 && c <= 0xF4) {
        need = 4;
        if (c == 0xF0) lo = 0x90;
        if (c == 0xF4) hi = 0x8F; /* nothing above U+10FFFF */
    } else
        return 0;
    for (size_t i = 1; i < need; i++) {
        if (i >= n)
            return n;
        unsigned char lo_i = i == 1 ? lo : 0x80, hi_i = i == 1 ? hi : 0xBF;
        if (s[i] < lo_i || s[i] > hi_i)
            return 0;
    }
    return need;
}

/* Control bytes that text does not contain; tab, newlines, form feed,
 * vertical tab and ESC (terminal colours in logs) are allowed. */
static int is_odd_control(unsigned char c)
{
    if (c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v' || c == 0x1B)
        return 0;
    return c < 0x20 || c == 0x7F;
}

int pt_input_looks_binary(pt_input *in)
{
    while (in->end - in->start < PEEK_SIZE && fill_chunk(in) > 0)
        ;
    const unsigned char *s = (const unsigned char *)in->chunk + in->start;
    size_t n = in->end - in->start;
    if (n > PEEK_SIZE)
        n = PEEK_SIZE;
    size_t nul = 0, control = 0, invalid = 0;
    for (size_t i = 0; i < n;) {
        size_t seq = utf8_sequence_length(s + i, n - i);
        if (seq == 0) {
            invalid++;
            i++;
            continue;
        }
        if (s[i] == 0)
            nul++;
        if (is_odd_control(s[i]))
            control++;
        i += seq;
    }
    /* A stray NUL or two (a bad copy-paste) does not make text binary. */
    return (nul > 2 && nul * 100 > n) || control * 10 > n || invalid * 10 > n * 3;
}
