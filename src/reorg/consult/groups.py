"""Opinion groups, as Polis finds them: reduce the agree/disagree matrix, cluster the participants, and
say what each group agrees on and what all groups share.

1. **Matrix.** Ballots × slots (the operations, then the whole plan), +1 agree, −1 disagree, empty
   otherwise (abstained or not asked), from the answers that count, as scipy.sparse CSR. Ballots with
   fewer than ``min_votes`` sides taken are not clustered (label −1): too little to place them.
2. **Reduce.** Each column is centred on the mean of those who answered it; a missing answer is taken
   as that mean (Polis's imputation), which after centring is 0, so the centred matrix keeps the sparsity
   of the answers. Its top ``dims`` singular vectors (``scipy.sparse.linalg.svds``, a seeded start
   vector, signs fixed so the largest loading is positive) give each ballot ``dims`` coordinates, scaled
   by sqrt(slots / answers given) as Polis does, so that a participant who answered little is not pulled
   to the centre. Polis uses 2 dimensions; the default here is 4, so that up to five groups
   (``max_groups``) in general position stay apart (k groups span k − 1 dimensions).
3. **Cluster.** k-means (k-means++ start, Lloyd iterations, ``restarts`` seeded starts, the lowest
   within-cluster sum of squares kept) for every k in 2..``max_groups``; the k with the highest mean
   silhouette wins (computed on a seeded sample of at most ``silhouette_sample`` ballots, exact below
   that). Groups are numbered by size, largest first.
4. **Describe.** Per group and slot the probability of agree ``(a + 1) / (v + 2)`` (v = sides taken,
   Laplace-smoothed as Polis does), and of disagree likewise. What a group agrees on: the slots where
   that probability is at least ``threshold`` and higher than in the rest of the participants, by the
   ratio of the two (Polis's representativeness). What all groups share: the slots where every group
   agrees (or every group disagrees) with probability at least ``threshold``, by the product of the
   groups' probabilities (Polis's group-informed consensus).

Same answers and seed → same groups.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp
from scipy.sparse.linalg import svds

from reorg.consult.answers import AGREE, DISAGREE, Answers, counted
from reorg.consult.kmeans import best_kmeans

__all__ = ["OpinionGroups", "opinion_groups", "vote_matrix"]

Float = npt.NDArray[np.float64]


def vote_matrix(answers: Answers) -> sp.csr_matrix:
    """Ballots × slots, +1 agree / −1 disagree, from the answers that count (abstentions left out)."""
    use = answers.take(counted(answers) & ((answers.stance == AGREE) | (answers.stance == DISAGREE)))
    slot = np.where(use.item < 0, answers.items, use.item)
    shape = (answers.ballots, answers.items + 1)
    return sp.csr_matrix((use.stance.astype(np.float64), (use.ballot, slot)), shape=shape)


@dataclasses.dataclass(frozen=True)
class OpinionGroups:
    """``labels`` per ballot (−1 = not clustered), ``coords`` per ballot (NaN when not clustered),
    ``silhouette`` of the chosen k; per group and slot ``agree``/``disagree`` counts and the smoothed
    probabilities ``p_agree``/``p_disagree``; ``agrees[g]`` / ``disagrees[g]`` the slots group g agrees /
    disagrees on, most representative first; ``shared_agree`` / ``shared_disagree`` the slots all groups
    share, by group-informed consensus."""

    labels: npt.NDArray[np.int64]
    coords: Float
    silhouette: float
    agree: npt.NDArray[np.int64]
    disagree: npt.NDArray[np.int64]
    p_agree: Float
    p_disagree: Float
    agrees: tuple[tuple[int, ...], ...]
    disagrees: tuple[tuple[int, ...], ...]
    shared_agree: tuple[int, ...]
    shared_disagree: tuple[int, ...]

    @property
    def k(self) -> int:
        return len(self.agrees)

    @property
    def sizes(self) -> list[int]:
        return [int(n) for n in np.bincount(self.labels[self.labels >= 0], minlength=self.k)]


#: below this many rows or columns the reduction is a dense SVD (ARPACK is for large sparse matrices)
DENSE_BELOW = 200


def _spread(matrix: sp.csr_matrix, rows: npt.NDArray[np.int64]) -> bool:
    """Do the ``rows`` answer any column differently from each other? (If not, there is nothing to
    reduce: everyone who answered a column answered it alike.)"""
    sub = matrix[rows].tocsr()
    answered = np.bincount(sub.indices, minlength=sub.shape[1])
    agree = np.bincount(sub.indices[sub.data > 0], minlength=sub.shape[1])
    return bool(np.any((agree > 0) & (agree < answered)))


def _reduce(matrix: sp.csr_matrix, rows: npt.NDArray[np.int64], dims: int, rng: np.random.Generator) -> Float:
    """The ``dims`` coordinates of the ``rows`` of ``matrix`` (see step 2 of the module)."""
    sub = matrix[rows].tocsr()
    sub.sort_indices()
    answered = np.bincount(sub.indices, minlength=sub.shape[1])
    sums = np.asarray(sub.sum(axis=0)).ravel()
    mean = np.where(answered > 0, sums / np.maximum(answered, 1), 0.0)
    centred = sp.csr_matrix((sub.data - mean[sub.indices], sub.indices, sub.indptr), shape=sub.shape)
    k = max(1, min(dims, min(centred.shape) - 1))
    if min(centred.shape) <= DENSE_BELOW:  # small: a dense SVD is exact and cheap
        u, s, vt = np.linalg.svd(centred.toarray(), full_matrices=False)
        u, s, vt = u[:, :k], s[:k], vt[:k]
    else:
        start = rng.standard_normal(min(centred.shape))
        u, s, vt = svds(centred, k=k, v0=start, random_state=rng)
    order = np.argsort(-s)
    u, s, vt = u[:, order], s[order], vt[order]
    signs = np.sign(vt[np.arange(len(vt)), np.argmax(np.abs(vt), axis=1)])
    signs[signs == 0] = 1.0
    coords: Float = u * (s * signs)[None, :]
    given = np.diff(sub.indptr)
    coords *= np.sqrt(sub.shape[1] / np.maximum(given, 1))[:, None]
    return coords


def _describe(
    matrix: sp.csr_matrix, labels: npt.NDArray[np.int64], k: int, threshold: float, top: int
) -> tuple[
    npt.NDArray[np.int64], npt.NDArray[np.int64], tuple[tuple[int, ...], ...], tuple[tuple[int, ...], ...]
]:
    """Per group and slot the agree and disagree counts, and the slots each group agrees / disagrees on."""
    coo = matrix.tocoo()
    inside = labels[coo.row] >= 0
    cell = labels[coo.row[inside]] * matrix.shape[1] + coo.col[inside]
    size = k * matrix.shape[1]
    agree = np.bincount(cell[coo.data[inside] > 0], minlength=size).reshape(k, -1)
    disagree = np.bincount(cell[coo.data[inside] < 0], minlength=size).reshape(k, -1)
    lists = []
    for mine, theirs in ((agree, disagree), (disagree, agree)):
        chosen = []
        for g in range(k):
            p_in = (mine[g] + 1) / (mine[g] + theirs[g] + 2)
            rest_m, rest_t = mine.sum(axis=0) - mine[g], theirs.sum(axis=0) - theirs[g]
            p_out = (rest_m + 1) / (rest_m + rest_t + 2)
            ratio = p_in / p_out
            ok = np.flatnonzero((p_in >= threshold) & (ratio > 1.0))
            ok = ok[np.lexsort((ok, -p_in[ok], -ratio[ok]))][:top]
            chosen.append(tuple(int(s) for s in ok))
        lists.append(tuple(chosen))
    return agree, disagree, lists[0], lists[1]


def _shared(p: Float, threshold: float, top: int) -> tuple[int, ...]:
    everyone = np.flatnonzero(np.all(p >= threshold, axis=0))
    gic = np.prod(p[:, everyone], axis=0)
    return tuple(int(s) for s in everyone[np.lexsort((everyone, -gic))][:top])


def opinion_groups(
    answers: Answers,
    *,
    seed: int | np.random.Generator = 0,
    dims: int = 4,
    max_groups: int = 5,
    min_votes: int = 3,
    restarts: int = 4,
    silhouette_sample: int = 2000,
    threshold: float = 0.6,
    top: int = 10,
) -> OpinionGroups | None:
    """The opinion groups of a round (see the module), or None when fewer than 4 ballots took at least
    ``min_votes`` sides (too few to cluster) or when they answered every operation alike (no spread)."""
    rng = np.random.default_rng(seed)
    matrix = vote_matrix(answers)
    given = np.diff(matrix.indptr)
    rows = np.flatnonzero(given >= min_votes)
    labels = np.full(answers.ballots, -1, dtype=np.int64)
    coords = np.full((answers.ballots, dims), np.nan)
    if len(rows) < 4 or matrix.shape[1] < 2 or not _spread(matrix, rows):
        return None
    reduced = _reduce(matrix, rows, dims, rng)
    found, silhouette = best_kmeans(
        reduced,
        ks=range(2, max(2, min(max_groups, len(rows) - 1)) + 1),
        rng=rng,
        restarts=restarts,
        sample=silhouette_sample,
    )
    k = int(found.max()) + 1
    labels[rows] = found
    coords[rows, : reduced.shape[1]] = reduced
    agree, disagree, agrees, disagrees = _describe(matrix, labels, k, threshold, top)
    sided = agree + disagree
    p_agree, p_disagree = (agree + 1) / (sided + 2), (disagree + 1) / (sided + 2)
    return OpinionGroups(
        labels=labels,
        coords=coords,
        silhouette=silhouette,
        agree=agree,
        disagree=disagree,
        p_agree=p_agree,
        p_disagree=p_disagree,
        agrees=agrees,
        disagrees=disagrees,
        shared_agree=_shared(p_agree, threshold, top),
        shared_disagree=_shared(p_disagree, threshold, top),
    )
