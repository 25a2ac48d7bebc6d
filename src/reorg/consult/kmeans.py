"""k-means on a few dimensions, seeded, and the choice of k by silhouette (for ``reorg.consult.groups``).

Small on purpose: the points are ballots in 2–5 dimensions, k is at most a handful, so Lloyd iterations
on dense arrays are milliseconds for 10⁴ ballots. Labels come back numbered by group size, largest first
(ties: the lower first member), so that the same input and seed give the same numbering.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import numpy.typing as npt

__all__ = ["best_kmeans", "kmeans", "silhouette"]

Float = npt.NDArray[np.float64]
Labels = npt.NDArray[np.int64]


def _squared(points: Float, centres: Float) -> Float:
    d: Float = ((points[:, None, :] - centres[None, :, :]) ** 2).sum(axis=2)
    return d


def _plus_plus(points: Float, k: int, rng: np.random.Generator) -> Float:
    """k-means++ starting centres."""
    centres = [points[rng.integers(len(points))]]
    closest = _squared(points, np.array(centres))[:, 0]
    for _ in range(1, k):
        total = closest.sum()
        pick = rng.choice(len(points), p=closest / total) if total > 0 else rng.integers(len(points))
        centres.append(points[pick])
        closest = np.minimum(closest, _squared(points, points[pick][None, :])[:, 0])
    return np.array(centres)


def kmeans(
    points: Float, k: int, *, rng: np.random.Generator, restarts: int = 4, iterations: int = 100
) -> tuple[Labels, float]:
    """The best of ``restarts`` k-means runs (lowest within-cluster sum of squares): labels numbered by
    size, largest first, and that sum."""
    best: tuple[Labels, float] | None = None
    for _ in range(max(1, restarts)):
        centres = _plus_plus(points, k, rng)
        labels = np.zeros(len(points), dtype=np.int64)
        for step in range(iterations):
            new = np.argmin(_squared(points, centres), axis=1).astype(np.int64)
            if step and np.array_equal(new, labels):
                break
            labels = new
            for c in range(k):
                members = labels == c
                if members.any():
                    centres[c] = points[members].mean(axis=0)
        inertia = float(((points - centres[labels]) ** 2).sum())
        if best is None or inertia < best[1] - 1e-12:
            best = (labels, inertia)
    assert best is not None
    return _by_size(best[0], k), best[1]


def _by_size(labels: Labels, k: int) -> Labels:
    sizes = np.bincount(labels, minlength=k)
    first = np.full(k, len(labels))
    np.minimum.at(first, labels, np.arange(len(labels)))
    order = np.lexsort((first, -sizes))
    rank = np.empty(k, dtype=np.int64)
    rank[order] = np.arange(k)
    out: Labels = rank[labels]
    return out


def silhouette(points: Float, labels: Labels) -> float:
    """The mean silhouette of ``points`` (Euclidean); 0 for a single cluster. O(n²) memory: pass a sample."""
    k = int(labels.max()) + 1 if len(labels) else 0
    if k < 2:
        return 0.0
    norms = (points**2).sum(axis=1)
    dist = np.sqrt(np.maximum(norms[:, None] + norms[None, :] - 2.0 * (points @ points.T), 0.0))
    sizes = np.bincount(labels, minlength=k).astype(np.float64)
    sums = np.zeros((len(points), k))
    for c in range(k):
        sums[:, c] = dist[:, labels == c].sum(axis=1)
    own = labels
    a = sums[np.arange(len(points)), own] / np.maximum(sizes[own] - 1, 1)
    others = sums / np.where(sizes > 0, sizes, np.inf)[None, :]
    others[np.arange(len(points)), own] = np.inf
    b = others.min(axis=1)
    s = np.where(sizes[own] > 1, (b - a) / np.maximum(np.maximum(a, b), 1e-300), 0.0)
    return float(s.mean())


def best_kmeans(
    points: Float, *, ks: Iterable[int], rng: np.random.Generator, restarts: int = 4, sample: int = 2000
) -> tuple[Labels, float]:
    """k-means for each k of ``ks``; the labels of the k with the highest silhouette (on a seeded sample of
    at most ``sample`` points; ties: the smaller k) and that silhouette."""
    chosen = rng.choice(len(points), size=sample, replace=False) if len(points) > sample else None
    best: tuple[Labels, float] | None = None
    for k in ks:
        labels, _ = kmeans(points, k, rng=rng, restarts=restarts)
        some = (points, labels) if chosen is None else (points[chosen], labels[chosen])
        score = silhouette(*some)
        if best is None or score > best[1] + 1e-12:
            best = (labels, score)
    assert best is not None
    return best
