"""Mixing diagnostics of several chains and where one value falls in an ensemble.

- ``split_rhat``: the split potential scale reduction factor (Gelman et al., *Bayesian Data Analysis*,
  3rd ed., §11.4): each chain is cut in halves, and the variance between the half-chains is compared
  with the variance within them. Values near 1 (below 1.01-1.1) say the chains agree; a constant
  measure gives 1.
- ``effective_size``: the effective sample size over all chains from the autocorrelations averaged
  across chains, truncated at Geyer's initial positive sequence (as Stan does).
- ``percentile``: the share of ensemble values below a value, ties counted half (0-100).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

__all__ = ["effective_size", "histogram", "percentile", "split_rhat"]

FloatArray = npt.NDArray[np.float64]


def split_rhat(draws: npt.ArrayLike) -> float:
    """Split R-hat of ``draws`` (chains x steps, equal lengths); NaN with fewer than 4 steps."""
    x = np.asarray(draws, dtype=np.float64)
    n = x.shape[1] // 2
    if n < 2:
        return float("nan")
    halves = np.concatenate([x[:, :n], x[:, -n:]], axis=0)
    means = halves.mean(axis=1)
    within = halves.var(axis=1, ddof=1).mean()
    between = n * means.var(ddof=1)
    if within <= 0:
        return 1.0 if between <= 0 else float("inf")
    var_plus = (n - 1) / n * within + between / n
    return float(np.sqrt(var_plus / within))


def effective_size(draws: npt.ArrayLike) -> float:
    """Effective sample size of ``draws`` (chains x steps); the draw count for a constant measure."""
    x = np.asarray(draws, dtype=np.float64)
    m, n = x.shape
    if n < 4:
        return float(m * n)
    centred = x - x.mean(axis=1, keepdims=True)
    var = centred.var(axis=1)
    if np.all(var <= 0):
        return float(m * n)
    size = 1 << int(np.ceil(np.log2(2 * n)))
    f = np.fft.rfft(centred, size, axis=1)
    acov = np.fft.irfft(f * np.conj(f), size, axis=1)[:, :n] / n
    within = var.mean() * n / (n - 1)
    var_plus = within * (n - 1) / n + (x.mean(axis=1).var(ddof=1) if m > 1 else 0.0)
    rho = 1.0 - (within - acov.mean(axis=0)) / var_plus
    rho[0] = 1.0
    total = 0.0
    for t in range(0, n - 1, 2):
        pair = rho[t] + rho[t + 1]
        if pair < 0:
            break
        total += pair
    tau = max(2.0 * total - 1.0, 1.0 / np.log10(max(m * n, 10)))
    return float(m * n / tau)


def percentile(values: npt.ArrayLike, value: float) -> float:
    """The share (0-100) of ``values`` below ``value``, ties counted half."""
    v = np.asarray(values, dtype=np.float64)
    if len(v) == 0:
        return float("nan")
    return float(100.0 * (np.count_nonzero(v < value) + 0.5 * np.count_nonzero(v == value)) / len(v))


def histogram(
    values: npt.ArrayLike, bins: int = 20, *, include: float | None = None
) -> tuple[list[int], list[float]]:
    """(counts, edges) of ``values`` in ``bins`` equal bins whose range also covers ``include``."""
    v = np.asarray(values, dtype=np.float64)
    lo, hi = (float(v.min()), float(v.max())) if len(v) else (0.0, 1.0)
    if include is not None and np.isfinite(include):
        lo, hi = min(lo, include), max(hi, include)
    if hi <= lo:
        lo, hi = lo - 0.5, hi + 0.5
    counts, edges = np.histogram(v, bins=bins, range=(lo, hi))
    return [int(c) for c in counts], [float(e) for e in edges]
