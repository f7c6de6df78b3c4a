"""The FAISS peer of bench:match (tests/bench/match.ts runs it; not meant to be run by hand).

Reads the haystack and the queries that match.ts wrote (raw 32-byte codes), builds
IndexBinaryMultiHash(256, 16, 16) with nflip=1 and IndexBinaryFlat(256) on them, and range-searches
the first --count queries at Hamming distance <= 31 with one orientation (V=1, each query's
original) and with all 8 (V=8: the 8*Q codes searched, then merged per query keeping each code once
with its smallest distance; the merge is timed with the search, as a caller would need it).

FAISS's binary range_search returns the codes at distance < radius, so radius 32 means <= 31.

Writes each answer as <out>/<method>-v<V>.{lims,ids,dist} (uint32, uint32, int32) for match.ts to
check, and prints one JSON line with the timings.
"""

import argparse
import gc
import json
import os
import time

import faiss
import numpy as np

RADIUS = 32  # range_search keeps d < radius: this is d <= 31


def rss_bytes():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def build(method, codes):
    if method == "multihash":
        index = faiss.IndexBinaryMultiHash(256, 16, 16)
        index.nflip = 1
    else:
        index = faiss.IndexBinaryFlat(256)
    index.add(codes)
    return index


def search(index, queries, variants):
    """Per query: (lims, ids, distances), ids unique within a query, as uint32/int32 arrays."""
    lims, dist, ids = index.range_search(queries, RADIUS)
    if variants == 1:
        return lims, ids, dist
    groups = len(queries) // variants
    owner = np.repeat(np.arange(len(queries), dtype=np.int64) // variants, np.diff(lims).astype(np.int64))
    order = np.lexsort((dist, ids, owner))
    owner, ids, dist = owner[order], ids[order], dist[order]
    first = np.ones(len(ids), dtype=bool)
    first[1:] = (owner[1:] != owner[:-1]) | (ids[1:] != ids[:-1])
    owner, ids, dist = owner[first], ids[first], dist[first]
    return np.searchsorted(owner, np.arange(groups + 1)), ids, dist


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--codes", required=True)
    parser.add_argument("--queries", required=True, help="Q x 8 codes, the original first")
    parser.add_argument("--count", type=int, required=True, help="how many of the queries to run")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()

    faiss.omp_set_num_threads(args.threads)
    codes = np.fromfile(args.codes, dtype=np.uint8).reshape(-1, 32)
    q8 = np.fromfile(args.queries, dtype=np.uint8).reshape(-1, 8, 32)[: args.count]
    queries = {1: np.ascontiguousarray(q8[:, 0, :]), 8: np.ascontiguousarray(q8.reshape(-1, 32))}

    report = {"faiss": faiss.__version__, "threads": faiss.omp_get_max_threads(), "codes": len(codes), "runs": []}
    # Flat first: its one large block goes back to the system when freed, so the MultiHash
    # build after it starts from a clean RSS (the reverse order would reuse the freed heap).
    for method in ("flat", "multihash"):
        gc.collect()
        rss0 = rss_bytes()
        t0 = time.perf_counter()
        index = build(method, codes)
        build_s = time.perf_counter() - t0
        rss1 = rss_bytes()
        index.range_search(queries[1][:4], RADIUS)  # warm-up, as match.ts gives its own index
        for variants in (1, 8):
            t0 = time.perf_counter()
            lims, ids, dist = search(index, queries[variants], variants)
            seconds = time.perf_counter() - t0
            stem = os.path.join(args.out, f"{method}-v{variants}")
            np.asarray(lims, dtype=np.uint32).tofile(stem + ".lims")
            np.asarray(ids, dtype=np.uint32).tofile(stem + ".ids")
            np.asarray(dist, dtype=np.int32).tofile(stem + ".dist")
            report["runs"].append(
                {"method": method, "variants": variants, "queries": args.count, "seconds": seconds}
            )
        report[method] = {"buildSeconds": build_s, "rssDeltaBytes": rss1 - rss0}
        del index
    print(json.dumps(report))


if __name__ == "__main__":
    main()
