#!/usr/bin/env python3
# boilerplate_compare.py — compares the passages of two runs of
# bench/boilerplate_diff (before and after a change to the boilerplate
# filter): articles and passages that changed, and the lines newly dropped,
# by kind (headline, recurring, rule), with a sample of each.
# Usage: boilerplate_compare.py OLD.tsv NEW.tsv NAME
# First line: name, articles, articles changed, passages before, after,
# passages gone, passages new, newly dropped lines by kind, articles by
# kind, articles changed by something other than the headline.
import sys, collections, random
old_f, new_f, name = sys.argv[1:4]
def load(f):
    P = collections.defaultdict(list); D = []
    for line in open(f, encoding='utf-8', errors='replace'):
        parts = line.rstrip('\n').split('\t')
        if parts[0] == 'P': P[parts[1]].append(parts[2])
        elif parts[0] == 'D': D.append((parts[1], parts[2], parts[3]))
    return P, D
OP, _ = load(old_f); NP, ND = load(new_f)
ids = set(OP) | set(NP)
changed_articles = [i for i in ids if OP.get(i, []) != NP.get(i, [])]
old_total = sum(len(v) for v in OP.values()); new_total = sum(len(v) for v in NP.values())
changed_passages = 0
for i in changed_articles:
    o = collections.Counter(OP.get(i, [])); n = collections.Counter(NP.get(i, []))
    changed_passages += sum((n - o).values())   # new passages that differ from every old one
gone_passages = sum(sum((collections.Counter(OP.get(i, [])) - collections.Counter(NP.get(i, []))).values()) for i in changed_articles)
# newly dropped lines: present in the article's old passages
newly = collections.Counter(); samples = collections.defaultdict(list); arts = collections.defaultdict(set)
for aid, kind, line in ND:
    old_text = '\\n'.join(OP.get(aid, []))
    if line and line in old_text:
        newly[kind] += 1
        samples[kind].append(line)
        arts[kind].add(aid)
print(f"{name}\t{len(ids)}\t{len(changed_articles)}\t{old_total}\t{new_total}\t{gone_passages}\t{changed_passages}\t" +
      ",".join(f"{k}={v}" for k, v in sorted(newly.items())) + "\t" + ",".join(f"{k}={len(v)}" for k, v in sorted(arts.items())) +
      f"\tnon-headline articles={len(set().union(*[v for k, v in arts.items() if k != 'headline']) if any(k != 'headline' for k in arts) else set())}")
random.seed(16)
for kind in sorted(samples):
    uniq = collections.Counter(samples[kind])
    print(f"## {name} {kind}: {sum(uniq.values())} lines, {len(uniq)} distinct")
    top = uniq.most_common(8)
    rest = [l for l in uniq if l not in dict(top)]
    for l, c in top: print(f"  {c}\t{l[:160]}")
    for l in random.sample(rest, min(8, len(rest))): print(f"  1*\t{l[:160]}")
