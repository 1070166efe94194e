// xapian_peer.cc — BENCHMARK PEER, not part of ptsearch: "plain Xapian" as a
// user would write it. One Xapian document per article, indexed with
// TermGenerator (English Snowball stemmer, positions, default settings),
// title + body stored as document data and the article id in value slot 0;
// searched with QueryParser (default settings, English stemmer, STEM_SOME)
// and BM25, top 10 with MSet::snippet.
// Usage: xapian_peer index DB FILE.jsonl    (create DB, add all, commit)
//        xapian_peer add   DB FILE.jsonl    (open DB, add all, commit)
//        xapian_peer search DB QUERY_FILE   (summary line of latency.h)
//        xapian_peer trec DB TOPICS.tsv [DEPTH]
//            (for each "qid<TAB>query" line, the top DEPTH (default 1000)
//             as TREC run lines "qid Q0 id rank score xapian"; the ranking
//             baseline of scripts/eval_peer.sh)
#include <xapian.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

#include "jsonl_reader.h"
#include "latency.h"

namespace {

// The article id, for trec mode's run lines. A value rather than the usual
// "Q"+id boolean term: a value adds no posting list or termlist entry, so
// the index and add figures of the other modes change least, and neither
// touches the BM25 statistics.
const Xapian::valueno ID_SLOT = 0;

struct Writer {
    Xapian::WritableDatabase db;
    Xapian::TermGenerator tg;
    unsigned long added = 0;
};

int add_article(const bench_article *a, void *ctx)
{
    Writer *w = static_cast<Writer *>(ctx);
    Xapian::Document doc;
    w->tg.set_document(doc);
    w->tg.index_text(std::string(a->title, a->title_len));
    w->tg.increase_termpos();
    w->tg.index_text(std::string(a->body, a->body_len));
    std::string data(a->title, a->title_len);
    data += '\n';
    data.append(a->body, a->body_len);
    doc.set_data(data);
    doc.add_value(ID_SLOT, std::string(a->id));
    w->db.add_document(doc);
    w->added++;
    return 0;
}

int write_mode(const char *db_path, const char *file, bool create)
{
    double t0 = bench_now();
    Writer w;
    w.db = Xapian::WritableDatabase(db_path, create ? Xapian::DB_CREATE_OR_OVERWRITE
                                                    : Xapian::DB_OPEN);
    w.tg.set_stemmer(Xapian::Stem("english"));
    size_t skipped = 0;
    if (bench_read_articles(file, add_article, &w, &skipped) != 0) {
        std::fprintf(stderr, "xapian_peer: %s: cannot read\n", file);
        return 2;
    }
    double t1 = bench_now();
    w.db.commit();
    double t2 = bench_now();
    w.db.close();
    std::printf("%s articles=%lu skipped=%zu add_s=%.4f commit_s=%.4f total_s=%.4f\n",
                create ? "index" : "add", w.added, skipped, t1 - t0, t2 - t1, t2 - t0);
    return 0;
}

// One query: parsed by QueryParser, the top 10 with their snippets.
struct XapianRun {
    Xapian::Enquire enquire;
    Xapian::Stem stem;
    Xapian::QueryParser qp;
    explicit XapianRun(const Xapian::Database &db) : enquire(db), stem("english") {}
};

// (Called from C: no exception leaves it.)
int run_query(size_t i, const char *query, bench_tally *t, void *ctx)
{
    XapianRun &run = *static_cast<XapianRun *>(ctx);
    try {
        run.enquire.set_query(run.qp.parse_query(query));
        Xapian::MSet mset = run.enquire.get_mset(0, 10);
        for (Xapian::MSetIterator it = mset.begin(); it != mset.end(); ++it) {
            std::string snip = mset.snippet(it.get_document().get_data(), 500, run.stem);
            t->shown_bytes += snip.size();
            t->hits++;
        }
    } catch (const Xapian::Error &e) {
        std::fprintf(stderr, "xapian_peer: query %zu '%s': %s\n", i + 1, query, e.get_description().c_str());
        return 2;
    }
    return 0;
}

int search_mode(const char *db_path, const char *qfile)
{
    size_t nq = 0;
    char **queries = bench_read_lines(qfile, &nq);
    if (!queries) {
        std::fprintf(stderr, "xapian_peer: %s: cannot read\n", qfile);
        return 2;
    }
    double t0 = bench_now();
    Xapian::Database db(db_path);
    XapianRun run(db);
    run.enquire.set_weighting_scheme(Xapian::BM25Weight());
    run.qp.set_database(db);
    run.qp.set_stemmer(run.stem);
    run.qp.set_stemming_strategy(Xapian::QueryParser::STEM_SOME);
    double open_s = bench_now() - t0;
    int rc = bench_search_loop(queries, nq, open_s, run_query, &run, NULL);
    bench_free_lines(queries, nq);
    return rc;
}

// Prints the run lines of one topic; a query Xapian cannot parse gets none.
void trec_topic(Xapian::Enquire &enquire, Xapian::QueryParser &qp, const char *qid,
                const char *query, Xapian::doccount depth)
{
    // FLAG_DEFAULT without FLAG_BOOLEAN: the parser a user gets, minus the
    // one flag that misreads natural-language topics — lisa and npl are
    // upper case, so their words AND, OR and NOT would become operators
    // (lisa nDCG@10 0.3358 instead of 0.3947). FLAG_PHRASE (cacm's quoted
    // titles) and FLAG_LOVEHATE (cranfield's "-dash") are harmless: against
    // flags 0 they change cacm and cranfield by +0.004 nDCG@10 at most, and
    // the rest not at all.
    const unsigned flags = Xapian::QueryParser::FLAG_PHRASE | Xapian::QueryParser::FLAG_LOVEHATE;
    Xapian::Query q;
    try {
        q = qp.parse_query(query, flags);
    } catch (const Xapian::QueryParserError &e) {
        std::fprintf(stderr, "xapian_peer: topic %s: %s\n", qid, e.get_description().c_str());
        return;
    }
    enquire.set_query(q);
    Xapian::MSet mset = enquire.get_mset(0, depth);
    for (Xapian::MSetIterator it = mset.begin(); it != mset.end(); ++it)
        std::printf("%s Q0 %s %u %.6f xapian\n", qid,
                    it.get_document().get_value(ID_SLOT).c_str(), it.get_rank() + 1,
                    it.get_weight());
}

int trec_mode(const char *db_path, const char *topics, const char *depth_arg)
{
    char *end = nullptr;
    unsigned long depth = depth_arg ? std::strtoul(depth_arg, &end, 10) : 1000;
    if (depth_arg && (*end != '\0' || depth == 0 ||
                      depth > std::numeric_limits<Xapian::doccount>::max())) {
        std::fprintf(stderr, "xapian_peer: bad depth '%s'\n", depth_arg);
        return 2;
    }
    Xapian::Database db(db_path);
    Xapian::Enquire enquire(db);
    enquire.set_weighting_scheme(Xapian::BM25Weight());
    Xapian::QueryParser qp;
    qp.set_database(db);
    qp.set_stemmer(Xapian::Stem("english"));
    qp.set_stemming_strategy(Xapian::QueryParser::STEM_SOME);
    qp.set_default_op(Xapian::Query::OP_OR);
    size_t n = 0;
    char **lines = bench_read_lines(topics, &n);
    if (!lines) {
        std::fprintf(stderr, "xapian_peer: %s: cannot read\n", topics);
        return 2;
    }
    for (size_t i = 0; i < n; i++) {
        char *tab = std::strchr(lines[i], '\t');
        if (!tab) {
            std::fprintf(stderr, "xapian_peer: %s: line without a tab skipped\n", topics);
            continue;
        }
        *tab = '\0';
        trec_topic(enquire, qp, lines[i], tab + 1, static_cast<Xapian::doccount>(depth));
    }
    bench_free_lines(lines, n);
    return 0;
}

} // namespace

int main(int argc, char **argv)
{
    bool trec = argc > 1 && std::strcmp(argv[1], "trec") == 0;
    if (argc != 4 && !(trec && argc == 5)) {
        std::fprintf(stderr, "usage: xapian_peer index|add|search DB FILE\n"
                             "       xapian_peer trec DB TOPICS.tsv [DEPTH]\n");
        return 2;
    }
    try {
        if (std::strcmp(argv[1], "index") == 0)
            return write_mode(argv[2], argv[3], true);
        if (std::strcmp(argv[1], "add") == 0)
            return write_mode(argv[2], argv[3], false);
        if (std::strcmp(argv[1], "search") == 0)
            return search_mode(argv[2], argv[3]);
        if (trec)
            return trec_mode(argv[2], argv[3], argc == 5 ? argv[4] : nullptr);
    } catch (const Xapian::Error &e) {
        std::fprintf(stderr, "xapian_peer: %s\n", e.get_description().c_str());
        return 2;
    }
    std::fprintf(stderr, "xapian_peer: unknown mode '%s'\n", argv[1]);
    return 2;
}
