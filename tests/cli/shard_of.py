#!/usr/bin/env python3
"""shard_of.py N ID... — the shard of each article id: FNV-1a 64 of the id
mod N (the README's routing), computed apart from ptindex's C code. Used by
the sharding tests (cli_shards, cli_shards_hostile)."""
import sys
n = int(sys.argv[1])
for s in sys.argv[2:]:
    h = 0xcbf29ce484222325
    for b in s.encode():
        h = ((h ^ b) * 0x100000001b3) & 0xffffffffffffffff
    print(s, h % n)
