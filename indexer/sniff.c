/* sniff.c — judges an input by its first bytes: the encoding (byte-order
 * marks, UTF-16 by its zero bytes) and binary or text (signatures of the
 * common binary formats, then the share of NULs, control bytes and invalid
 * UTF-8). No allocation, one pass over the sample. */
#include "sniff.h"

#include <string.h>

/* ------------------------------------------------------------ encoding */

/* Non-zero when nearly all of the n / 2 pairs of bytes have a zero at
 * offset zero_at (0 or 1) and a non-zero byte beside it: UTF-16 of text in
 * Latin script, whose code units are mostly below U+0100. */
static int zero_in_pairs(const unsigned char *s, size_t n, size_t zero_at)
{
    size_t pairs = n / 2, matching = 0;
    if (pairs < 8) /* too little to tell */
        return 0;
    for (size_t i = 0; i + 1 < n; i += 2)
        matching += s[i + zero_at] == 0 && s[i + 1 - zero_at] != 0;
    return matching * 10 >= pairs * 9;
}

pt_encoding pt_sniff_encoding(const unsigned char *s, size_t n, size_t *bom_len)
{
    *bom_len = 0;
    if (n >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0) {
        *bom_len = 3;
        return PT_ENC_UTF8;
    }
    if (n >= 2 && s[0] == 0xFE && s[1] == 0xFF) {
        *bom_len = 2;
        return PT_ENC_UTF16BE;
    }
    if (n >= 2 && s[0] == 0xFF && s[1] == 0xFE) {
        if (n >= 4 && s[2] == 0 && s[3] == 0)
            return PT_ENC_UTF8; /* UTF-32LE: not decoded, judged binary */
        *bom_len = 2;
        return PT_ENC_UTF16LE;
    }
    if (zero_in_pairs(s, n, 1))
        return PT_ENC_UTF16LE;
    if (zero_in_pairs(s, n, 0))
        return PT_ENC_UTF16BE;
    return PT_ENC_UTF8;
}

/* ------------------------------------------------------------ binary */

/* Signatures at offset 0 of formats that are never text. Two-letter ASCII
 * ones (MZ, BM) are left out: a text may start so. */
static const struct {
    const char *bytes;
    size_t len;
    const char *name;
} SIGNATURES[] = {
    {"%PDF-", 5, "a PDF document"},
    {"PK\x03\x04", 4, "a ZIP archive"},
    {"PK\x05\x06", 4, "a ZIP archive"},
    {"\x89PNG\r\n\x1A\n", 8, "a PNG image"},
    {"\xFF\xD8\xFF", 3, "a JPEG image"},
    {"GIF87a", 6, "a GIF image"},
    {"GIF89a", 6, "a GIF image"},
    {"II*\0", 4, "a TIFF image"},
    {"MM\0*", 4, "a TIFF image"},
    {"\x7F" "ELF", 4, "an ELF executable"},
    {"\x1F\x8B", 2, "gzip data (compressed twice?)"},
    {"\xFD" "7zXZ", 5, "xz data"},
    {"\x28\xB5\x2F\xFD", 4, "zstd data"},
    {"7z\xBC\xAF\x27\x1C", 6, "a 7-Zip archive"},
    {"Rar!\x1A\x07", 6, "a RAR archive"},
    {"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8, "an Office document"},
    {"SQLite format 3\0", 16, "an SQLite database"},
    {"\0asm", 4, "WebAssembly"},
    {"OggS\0", 5, "an Ogg file"},
    {"\x1A\x45\xDF\xA3", 4, "a Matroska or WebM video"},
};

static const char *known_signature(const unsigned char *s, size_t n)
{
    for (size_t i = 0; i < sizeof SIGNATURES / sizeof SIGNATURES[0]; i++)
        if (n >= SIGNATURES[i].len && memcmp(s, SIGNATURES[i].bytes, SIGNATURES[i].len) == 0)
            return SIGNATURES[i].name;
    if (n >= 12 && memcmp(s + 4, "ftyp", 4) == 0)
        return "an MP4 or QuickTime file";
    return NULL;
}

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
 * vertical tab and ESC (terminal colours in logs) are allowed. NUL is
 * counted apart. */
static int is_odd_control(unsigned char c)
{
    if (c == 0 || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v' || c == 0x1B)
        return 0;
    return c < 0x20 || c == 0x7F;
}

const char *pt_sniff_binary(const unsigned char *s, size_t n)
{
    const char *format = known_signature(s, n);
    if (format)
        return format;
    size_t nul = 0, control = 0, invalid = 0;
    for (size_t i = 0; i < n;) {
        size_t seq = utf8_sequence_length(s + i, n - i);
        if (seq == 0) {
            invalid++;
            i++;
            continue;
        }
        nul += s[i] == 0;
        control += is_odd_control(s[i]);
        i += seq;
    }
    /* NULs are judged apart: a damaged text may hold many, scattered,
     * between bytes that are otherwise text; binary data has both. */
    size_t rest = n - nul;
    if (nul * 4 > n)
        return "mostly NUL bytes";
    if (control * 10 > rest)
        return "control bytes";
    if (invalid * 10 > rest * 3)
        return "invalid UTF-8";
    return NULL;
}
