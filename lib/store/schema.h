/* schema.h — how an article lives in the Xapian index: one document per
 * passage, the term prefixes, the value slots and the metadata keys. The
 * indexer writes and the searcher reads exactly these. */
#ifndef PT_SCHEMA_H
#define PT_SCHEMA_H

/* Terms. Words are stored stemmed and lower-case, without a prefix, with
 * their wdf and no positions: phrases and NEAR read the positions from the
 * passage text at query time (positions.h). Prefixes are upper-case, after
 * Xapian's convention, so they never collide with a word. */
#define PT_PREFIX_ARTICLE "A"  /* + article key: every passage of one article (boolean) */
#define PT_PREFIX_SOURCE "S"   /* + folded source name (boolean) */
#define PT_PREFIX_TITLE "XT"   /* + stemmed title word, wdf only (title: queries, boosts) */

/* Values. */
enum {
    PT_SLOT_ARTICLE = 0, /* article key: collapsing to K passages per article */
    PT_SLOT_DATE = 1,    /* "YYYYMMDD", for date ranges */
    /* 2 held the passage number until schema 4; nothing read it (the
     * passage record has it). */
    PT_SLOT_RECORD = 3,  /* the passage record (record.h), since schema 5 */
};
/* Why a value and not the document data: the record is already deflated,
 * and glass tries to deflate document data again at every add and again
 * at every compaction (it keeps a tag uncompressed only after trying).
 * Values are never compressed: a full build of Reuters spent 12% of its
 * CPU in those futile deflates, 1.06 of the final merge's 1.22 s.
 * Readers fall back to the document data when the slot is empty (schema 4
 * and older). */

/* User metadata keys (written in the same commit as the documents). */
#define PT_META_ARTICLE "a:"          /* + article id → article record (record.h) */
#define PT_META_ARTICLE_COUNT "n:articles" /* decimal count of article records, copies not counted */
/* Exact copies (copies.h): an article whose text, title, source and date
 * are an indexed article's is a record with PT_ARTICLE_FLAG_COPY and no
 * passages. */
#define PT_META_COPY_COUNT "n:copies" /* decimal count of copies' records */
#define PT_META_CONTENT "h:"  /* + content hash (16 hex digits) → the id of the article holding the passages */
#define PT_META_COPIES "c:"   /* + that article's key → its copies (copies.c) */
#define PT_META_COPY_OF "k:"  /* + a copy's key → the id of the article it copies */
#define PT_META_SCHEMA "v:schema"     /* schema version, below */
#define PT_META_RECURRING "b:" /* + bucket in 3 hex digits: the table of recurring lines (recurring.c) */
#define PT_META_LEARNED "l:learned" /* articles that table counts, indexed or not yet (learned.c) */
/* + word → its excess: (passages holding it) − (articles holding it), a
 * decimal count kept only where it is not 0 (a word repeated in several
 * passages of one article), so that a word's document frequency over
 * articles is its term frequency (over passages) minus its excess. Kept
 * by the writer at add, update and remove (ptx_writer_count_passage and
 * its neighbours), summed when parts merge and over local shards. */
#define PT_META_EXCESS "x:"
#define PT_EXCESS_TERM_MAX 200 /* longer words keep no excess: their df over articles reads as over passages */
#define PT_META_SOURCE "f:"           /* + source path → source record (record.h) */
#define PT_META_SOURCE_HASHED "f#"    /* + hash of a long source path → source record */
#define PT_META_SOURCE_IDS 'i'        /* replaces the f of a source key: its ids record */
#define PT_META_ROOT "r:"             /* + a root path given to ptindex (for --rebuild) */
#define PT_META_ROOT_HASHED "r#"      /* + hash of a long root path → the path */
#define PT_SCHEMA_VERSION "6" /* 2: source ids apart from the stamp; 3: compounds
                               * without positions, passage record 3; 4: no
                               * positions at all (read from the text); 5:
                               * the record in PT_SLOT_RECORD, not the data;
                               * 6: passage record 6 (no id that is its key),
                               * the recurring lines in buckets */

/* Xapian terms are limited to 245 bytes; article ids longer than this are
 * replaced in terms by a hash (the full id stays in the record). */
#define PT_MAX_ID_IN_TERM 160

#endif
