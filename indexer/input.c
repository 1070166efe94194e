/* input.c — one input behind zlib's gzFile (gzip or plain, zlib tells them
 * apart), read through a 64 KiB chunk buffer: whole, line by line with a
 * bounded line buffer, or peeked at for a binary check. UTF-16 (sniff.c
 * tells) is decoded to UTF-8 with iconv on the way into the chunk, and a
 * UTF-8 byte-order mark dropped, so extractors only ever see UTF-8. Owns the
 * wording of read errors, including the truncated or damaged gzip stream,
 * which zlib only reveals at its end. */
#include "input.h"

#include <errno.h>
#include <fcntl.h>
#include <iconv.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "sniff.h"

#define CHUNK_SIZE (64u * 1024)
#define PEEK_SIZE (8u * 1024)
/* Room a decoding step needs at least: one character's UTF-8 bytes. */
#define MIN_ROOM 4u
/* The most bytes one UTF-16 character takes: a surrogate pair. */
#define UTF16_MAX_CHAR 4u

static const iconv_t NO_DECODER = (iconv_t)-1;

struct pt_input {
    gzFile gz;
    /* Decompressed bytes read ahead: chunk[start..end) not yet consumed. */
    char *chunk;
    size_t start, end;
    int eof;         /* zlib has nothing more to give */
    int failed;      /* sticky: every later read repeats the error */
    char error[200]; /* the reason, once failed */
    off_t size;      /* of a regular file, else -1 */
    int sniffed;     /* the first bytes were looked at for the encoding */
    /* UTF-16: the decoder, and bytes read but not decoded yet, raw[0..raw_len) */
    iconv_t utf16;
    char *raw;
    size_t raw_len;
    size_t replaced; /* code units that were not UTF-16, replaced by U+FFFD */
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
    if (fstat(fd, &sb) != 0)
        sb.st_mode = 0; /* a size not known */
    if (S_ISDIR(sb.st_mode)) {
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
    in->size = S_ISREG(sb.st_mode) ? sb.st_size : -1;
    in->utf16 = NO_DECODER;
    *out = in;
    return PT_INPUT_OK;
}

void pt_input_close(pt_input *in)
{
    if (!in)
        return;
    gzclose(in->gz);
    if (in->utf16 != NO_DECODER)
        iconv_close(in->utf16);
    free(in->raw);
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

/* Reads up to room bytes of the (decompressed) input into dst. Returns the
 * number read; 0 at the end (in->eof) or after a failure (in->failed).
 * A truncated gzip stream does not make gzread fail: zlib returns what it
 * could decode, then 0, and leaves Z_BUF_ERROR "unexpected end of file"
 * in gzerror — so the end is where damage is checked for. */
static size_t read_raw(pt_input *in, char *dst, size_t room)
{
    if (in->eof || in->failed)
        return 0;
    errno = 0;
    int got = gzread(in->gz, dst, (unsigned)room);
    int saved_errno = errno;
    if (got > 0)
        return (size_t)got;
    int code = Z_OK;
    gzerror(in->gz, &code);
    if (got < 0 || code != Z_OK)
        record_stream_error(in, saved_errno);
    else
        in->eof = 1;
    return 0;
}

/* Writes U+FFFD for a code unit that is not UTF-16 (an unpaired
 * surrogate, an odd last byte) and skips its `skip` bytes. */
static void replace_unit(pt_input *in, char **dst, size_t *room, size_t skip)
{
    memcpy(*dst, "\xEF\xBF\xBD", 3);
    *dst += 3;
    *room -= 3;
    memmove(in->raw, in->raw + skip, in->raw_len - skip);
    in->raw_len -= skip;
    in->replaced++;
}

/* One iconv step from raw into dst: what it decoded is consumed from raw;
 * a code unit it stopped at for being invalid is replaced. */
static void decode_step(pt_input *in, char **dst, size_t *room)
{
    char *src = in->raw;
    size_t left = in->raw_len;
    size_t rc = iconv(in->utf16, &src, &left, dst, room);
    int err = errno;
    memmove(in->raw, src, left);
    in->raw_len = left;
    if (rc != (size_t)-1 || *room < MIN_ROOM)
        return; /* all decoded, or the chunk is full (E2BIG) */
    if (err == EILSEQ || (err == EINVAL && in->eof)) { /* invalid, or cut short at the end */
        replace_unit(in, dst, room, left >= 2 ? 2 : left);
    } else if (err != EINVAL) { /* EINVAL: a character continues in bytes not read yet */
        in->failed = 1;
        snprintf(in->error, sizeof in->error, "cannot decode UTF-16: %s", strerror(err));
    }
}

/* Decodes UTF-16 into the free end of the chunk, reading more raw bytes
 * when fewer than a character's are left. Returns the bytes produced; 0
 * at the end or after a failure. */
static size_t decode_more(pt_input *in)
{
    char *dst = in->chunk + in->end;
    size_t room = CHUNK_SIZE - in->end;
    while (dst == in->chunk + in->end && room >= MIN_ROOM && !in->failed) {
        if (in->raw_len < UTF16_MAX_CHAR && !in->eof)
            in->raw_len += read_raw(in, in->raw + in->raw_len, CHUNK_SIZE - in->raw_len);
        if (in->raw_len == 0 || in->failed)
            break;
        decode_step(in, &dst, &room);
    }
    size_t made = (size_t)(dst - (in->chunk + in->end));
    in->end += made;
    return in->failed ? 0 : made;
}

/* Looks at the first bytes read, chunk[0..end): drops a UTF-8 byte-order
 * mark; for UTF-16, moves them to raw and decodes from there on. */
static void sniff_encoding(pt_input *in)
{
    size_t bom = 0;
    pt_encoding enc = pt_sniff_encoding((const unsigned char *)in->chunk, in->end, &bom);
    in->sniffed = 1;
    if (enc == PT_ENC_UTF8) {
        in->start = bom;
        return;
    }
    in->raw = malloc(CHUNK_SIZE);
    in->utf16 = iconv_open("UTF-8", enc == PT_ENC_UTF16LE ? "UTF-16LE" : "UTF-16BE");
    if (!in->raw || in->utf16 == NO_DECODER) {
        in->failed = 1;
        snprintf(in->error, sizeof in->error, "cannot decode UTF-16: %s",
                 in->raw ? strerror(errno) : "out of memory");
        return;
    }
    in->raw_len = in->end - bom;
    memcpy(in->raw, in->chunk + bom, in->raw_len);
    in->start = in->end = 0;
}

/* Reads more decompressed (and decoded) bytes after chunk[end]. Returns
 * the number read; 0 at the end or after a failure (then in->eof /
 * in->failed say which). */
static size_t fill_chunk(pt_input *in)
{
    if (in->failed || (in->eof && in->raw_len == 0))
        return 0;
    if (in->start == in->end)
        in->start = in->end = 0;
    else if (CHUNK_SIZE - in->end < MIN_ROOM) { /* only the peek keeps unread bytes */
        memmove(in->chunk, in->chunk + in->start, in->end - in->start);
        in->end -= in->start;
        in->start = 0;
    }
    if (in->utf16 != NO_DECODER)
        return decode_more(in);
    size_t got = read_raw(in, in->chunk + in->end, CHUNK_SIZE - in->end);
    in->end += got;
    if (!in->sniffed && got > 0) {
        sniff_encoding(in);
        if (in->utf16 != NO_DECODER)
            return decode_more(in);
        if (in->start == in->end) /* a byte-order mark and nothing yet */
            return fill_chunk(in);
        got = in->end - in->start;
    }
    return in->failed ? 0 : got;
}

size_t pt_input_replaced(const pt_input *in)
{
    return in->replaced;
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

/* Bytes left in a plain regular file, those in the chunk included; -1
 * when that is not known before reading (gzip, UTF-16, a pipe). */
static long long plain_bytes_left(pt_input *in)
{
    if (!in->sniffed && in->start == in->end)
        fill_chunk(in); /* the first bytes tell whether it is UTF-16 */
    if (in->size < 0 || in->utf16 != NO_DECODER || !gzdirect(in->gz))
        return -1;
    z_off_t delivered = gztell(in->gz); /* of a plain file, its offset */
    if (delivered < 0)
        return -1;
    return (long long)in->size - delivered + (long long)(in->end - in->start);
}

static int refuse_too_long(char *data, size_t max, char *why, size_t why_size)
{
    free(data);
    snprintf(why, why_size, "larger than %zu bytes", max);
    return PT_INPUT_TOO_LONG;
}

int pt_input_read_all(pt_input *in, size_t max, char **out, size_t *len, char *why, size_t why_size)
{
    *out = NULL;
    *len = 0;
    char *data = NULL;
    size_t n = 0, cap = 0;
    if (plain_bytes_left(in) > (long long)max) /* refused from its size, unread */
        return refuse_too_long(NULL, max, why, why_size);
    for (;;) {
        size_t avail = in->end - in->start;
        if (avail > max - n)
            return refuse_too_long(data, max, why, why_size);
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

const char *pt_input_looks_binary(pt_input *in)
{
    while (in->end - in->start < PEEK_SIZE && fill_chunk(in) > 0)
        ;
    size_t n = in->end - in->start;
    return pt_sniff_binary((const unsigned char *)in->chunk + in->start, n < PEEK_SIZE ? n : PEEK_SIZE);
}
