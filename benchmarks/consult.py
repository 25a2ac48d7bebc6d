"""How long aggregating and clustering a large consultation round takes, against scikit-learn.

A seeded synthetic round (``reorg.consult.planted_round``): 10,000 participants, 5,000 operations, each
participant answering 100 of them (1,000,000 sparse answers), in 4 planted opinion groups with 10 %
noise, and 3 stakeholder groups. Timed: ``aggregate`` (per item and group, weighted share, consensus,
rating, most contested) and ``opinion_groups`` (the sparse vote matrix, Polis-style centring and
truncated SVD, k-means for k = 2..5 chosen by silhouette, what each group agrees on and what all share).
The target is at most 20 s and 4 GB.

The anchor, measured in the same run on the same vote matrix: scikit-learn's PCA (arpack, on the sparse
matrix) to the same 4 dimensions and KMeans for k = 2..5 chosen by silhouette_score on a sample of the
same size. Both are scored by the adjusted Rand index against the planted groups. scikit-learn is only in
the ``bench`` extra, never a dependency of the product.

Run: .venv/bin/python benchmarks/consult.py [--seed N] [--participants N] [--operations N] [--per N]
"""

from __future__ import annotations

import argparse
import resource
import time
import tracemalloc

import numpy as np


def _rss_mb() -> float:
    """The process's peak resident memory so far, in MB (Linux reports kB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--participants", type=int, default=10_000)
    parser.add_argument("--operations", type=int, default=5_000)
    parser.add_argument("--per", type=int, default=100, help="answers per participant")
    parser.add_argument("--groups", type=int, default=4, help="planted opinion groups")
    args = parser.parse_args()

    from reorg.consult import aggregate, most_contested, opinion_groups, planted_round, vote_matrix

    t = time.perf_counter()
    answers, planted = planted_round(
        participants=args.participants,
        items=args.operations,
        per_participant=args.per,
        groups=args.groups,
        seed=args.seed,
    )
    made = time.perf_counter() - t
    print(
        f"round: {args.participants:,} participants x {args.operations:,} operations, "
        f"{len(answers):,} answers, {args.groups} planted groups (generated in {made:.1f} s)"
    )
    rss_before = _rss_mb()

    tracemalloc.start()
    t0 = time.perf_counter()
    agg = aggregate(answers, weights=[2.0, 1.0, 1.0])
    contested = most_contested(agg, top=10, min_votes=5)
    t1 = time.perf_counter()
    found = opinion_groups(answers, seed=args.seed)
    t2 = time.perf_counter()
    _, traced_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss_ours = _rss_mb()
    assert found is not None
    ours = t2 - t0

    from sklearn.cluster import KMeans
    from sklearn.decomposition import PCA
    from sklearn.metrics import adjusted_rand_score, silhouette_score

    matrix = vote_matrix(answers)
    t3 = time.perf_counter()
    reduced = PCA(n_components=4, svd_solver="arpack", random_state=args.seed).fit_transform(matrix)
    best: tuple[float, np.ndarray] | None = None
    rng = np.random.default_rng(args.seed)
    sample = rng.choice(len(reduced), size=min(2000, len(reduced)), replace=False)
    for k in range(2, 6):
        labels = KMeans(n_clusters=k, n_init=4, random_state=args.seed).fit_predict(reduced)
        score = silhouette_score(reduced[sample], labels[sample])
        if best is None or score > best[0]:
            best = (score, labels)
    t4 = time.perf_counter()
    assert best is not None
    anchor = t4 - t3

    ari_ours = adjusted_rand_score(planted, found.labels)
    ari_anchor = adjusted_rand_score(planted, best[1])
    print(
        f"reorg.consult   aggregate {t1 - t0:6.2f} s   opinion groups {t2 - t1:6.2f} s   total {ours:6.2f} s"
    )
    print(
        f"                k = {found.k}, sizes {found.sizes}, silhouette {found.silhouette:.3f}, "
        f"ARI vs planted {ari_ours:.4f}"
    )
    print(
        f"                memory: traced peak {traced_peak / 2**20:,.0f} MB; process peak RSS "
        f"{rss_ours:,.0f} MB (before: {rss_before:,.0f} MB)"
    )
    print(f"                most contested: {contested[:5]}; agreed by all groups: {len(found.shared_agree)}")
    print(
        f"scikit-learn    PCA (arpack) + KMeans k=2..5 by silhouette: {anchor:6.2f} s, "
        f"k = {int(best[1].max()) + 1}, ARI vs planted {ari_anchor:.4f}"
    )
    print(
        f"ratio           reorg / scikit-learn (clustering only): {(t2 - t1) / anchor:.2f}; "
        f"target <= 20 s and <= 4,096 MB: {'met' if ours <= 20 and rss_ours <= 4096 else 'NOT met'}"
    )


if __name__ == "__main__":
    main()
