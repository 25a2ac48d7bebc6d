"""Evaluation on measurable results, with no exceptions: everyone in scope is scored, rated and ranked,
or listed as unrated with the reason. Leaders are evaluated like everyone else.

Everything runs on the columns of ``people`` and ``results`` (numpy): sums per (person, period) by
``bincount``, the cap on "excellent" and every ranking by one ``lexsort`` each. The rules (score formula,
thresholds, cap, ties, lists) are documented on ``EvaluationConfig`` and in docs/people.md.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from itertools import repeat
from typing import Any

import numpy as np
import numpy.typing as npt

from reorg.errors import InputError
from reorg.model import Apparatus, Results
from reorg.people.config import EvaluationConfig
from reorg.progress import Progress, report

__all__ = ["NO_RESULTS", "SCREEN_BOTTOM", "SCREEN_REPEATED", "ZERO_WEIGHT", "Evaluation", "evaluate"]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

#: why a person is unrated
NO_RESULTS, ZERO_WEIGHT = 1, 2
#: why a person is screened (bits)
SCREEN_REPEATED, SCREEN_BOTTOM = 1, 2


@dataclasses.dataclass(frozen=True, eq=False)
class Evaluation:
    """The evaluation of the people in scope (rows ``person`` of people, in people order) for
    ``period``; ``periods`` are the periods screened, oldest first, ending with ``period``.

    Per person: ``score`` (points, NaN = unrated), ``exceeded`` (weight share of indicators whose actual
    exceeds the target), ``rating`` (0 excellent, 1 good, 2 completed, 3 not completed, -1 unrated),
    ``capped`` (excellent by score, rated good by the unit's cap), ``unrated`` (0, NO_RESULTS or
    ZERO_WEIGHT), ``history`` (rating in each of ``periods``), ``rank_unit`` and ``rank_level`` (1 = best,
    0 = unrated), ``screen`` (SCREEN_REPEATED | SCREEN_BOTTOM bits), ``talent``.
    """

    config: EvaluationConfig
    period: str
    periods: tuple[str, ...]
    person: IntArray
    unit: IntArray
    level: IntArray
    score: FloatArray
    exceeded: FloatArray
    rating: npt.NDArray[np.int8]
    capped: BoolArray
    unrated: npt.NDArray[np.int8]
    history: npt.NDArray[np.int8]
    rank_unit: IntArray
    rank_level: IntArray
    screen: npt.NDArray[np.int8]
    talent: BoolArray

    def counts(self) -> dict[str, int]:
        """People per level name, plus unrated, capped, screened and talent."""
        by = np.bincount(self.rating + 1, minlength=5)
        out = {name: int(by[i + 1]) for i, name in enumerate(self.config.names)}
        return {
            "people": len(self.person),
            **out,
            "unrated": int(by[0]),
            "capped": int(self.capped.sum()),
            "screened": int((self.screen > 0).sum()),
            "talent": int(self.talent.sum()),
        }

    def by_unit(self, n_units: int) -> npt.NDArray[np.int64]:
        """units x 5 counts: the four levels, then unrated."""
        column = np.where(self.rating < 0, 4, self.rating).astype(np.int64)
        flat = np.bincount(self.unit * 5 + column, minlength=n_units * 5)
        return flat.reshape(n_units, 5)


def check_results(results: Results, n_people: int) -> None:
    """Refuse results an evaluation cannot use, naming the row (as in results.csv: header = row 1) and
    the field: a person out of range, a missing or negative target or actual, a negative weight."""
    checks: list[tuple[str, BoolArray, Any, str]] = [
        ("person_id", (results.person < 0) | (results.person >= n_people), results.person, "a known person"),
        ("target", ~np.isfinite(results.target), results.target, "a target for the indicator"),
        ("target", results.target < 0, results.target, "a non-negative target"),
        (
            "actual",
            ~np.isfinite(results.actual) | (results.actual < 0),
            results.actual,
            "a non-negative actual",
        ),
        ("weight", np.isinf(results.weight) | (results.weight < 0), results.weight, "a non-negative weight"),
    ]
    for column, bad, values, expected in checks:
        if bad.any():
            i = int(np.argmax(bad))
            raise InputError(
                "results",
                f"{expected} (indicator {results.indicator[i]!r})",
                row=i + 2,
                column=column,
                value=str(values[i]),
            )


def _sorted_positions(group: IntArray, order: IntArray) -> IntArray:
    """0-based position of each element of ``order`` within its group (``group[order]`` is sorted)."""
    g = group[order]
    return np.arange(len(order), dtype=np.int64) - np.searchsorted(g, g, side="left")


#: scores (points) and exceeded shares are compared to this precision (1e-6)
QUANTUM = 1_000_000


def _rank_order(rows: IntArray, group: IntArray, score_q: IntArray, exc_q: IntArray) -> IntArray:
    """``rows`` (given in person-id order) sorted by group, then best first: higher score, higher
    exceeded share, then id (the given order, kept by a stable sort). One stable argsort of one
    composite int64 key when it fits in 63 bits, else a lexsort of the same keys."""
    if len(rows) == 0:
        return rows
    g, s, e = group[rows], score_q[rows], exc_q[rows]
    span_s, span_e = int(s.max()) + 1, QUANTUM + 1
    span_g = int(g.max()) + 1
    if span_g * span_s * span_e < 2**63:
        key = g * (span_s * span_e) + (span_s - 1 - s) * span_e + (span_e - 1 - e)
        return rows[np.argsort(key, kind="stable")]
    return rows[np.lexsort((np.arange(len(rows)), -e, -s, g))]


def _quantized(values: FloatArray) -> IntArray:
    """Values x 1e6 as whole numbers, NaN as 0 (only rated people are ranked)."""
    return np.rint(np.nan_to_num(values) * QUANTUM).astype(np.int64)


def _rate(
    score: FloatArray,
    exc: FloatArray,
    unit: IntArray,
    id_order: IntArray,
    n_units: int,
    cfg: EvaluationConfig,
) -> tuple[npt.NDArray[np.int8], BoolArray]:
    rated = np.isfinite(score)
    rating = np.full(len(score), -1, dtype=np.int8)
    rating[rated] = 3
    rating[score >= cfg.completed_min] = 2
    rating[score >= cfg.good_min] = 1
    rating[(score >= cfg.excellent_min) & (exc >= cfg.excellent_min_exceeded)] = 0
    allowed = np.floor(cfg.excellent_cap * np.bincount(unit[rated], minlength=n_units) + 1e-9)
    candidates = id_order[rating[id_order] == 0]
    order = _rank_order(candidates, unit, _quantized(score), _quantized(exc))
    over = order[_sorted_positions(unit, order) >= allowed[unit[order]]]
    rating[over] = 1
    capped = np.zeros(len(score), dtype=bool)
    capped[over] = True
    return rating, capped


def _window(results: Results, cfg: EvaluationConfig) -> tuple[str, tuple[str, ...], IntArray]:
    """The period rated, the periods screened (oldest first) and each result's position among them
    (-1 = another period); one pass over the period column."""
    labels = results.period.tolist()
    known = sorted(set(labels))
    if cfg.period is not None and cfg.period not in known:
        listed = ", ".join(known[-10:]) or "none"
        raise InputError(
            "evaluation config",
            f"a period with results (latest: {listed})",
            column="period",
            value=cfg.period,
        )
    if not known:
        return cfg.period or "", (), np.zeros(0, dtype=np.int64)
    at = known.index(cfg.period) if cfg.period is not None else len(known) - 1
    window = tuple(known[max(0, at - cfg.screen_consecutive + 1) : at + 1])
    position = {p: k for k, p in enumerate(window)}
    code = np.fromiter(map(position.get, labels, repeat(-1)), dtype=np.int64, count=len(labels))
    return known[at], window, code


def evaluate(
    app: Apparatus,
    config: EvaluationConfig | None = None,
    *,
    units: Sequence[int] | None = None,
    progress: Progress | None = None,
) -> Evaluation:
    """Score, rate, rank and screen the people of ``units`` (row indexes, with their subtrees; None =
    everyone) on their results; see ``EvaluationConfig`` for the rules. Bad results raise InputError."""
    cfg = config or EvaluationConfig()
    people, results = app.people, app.results
    n, n_units = len(people), len(app.units)
    check_results(results, n)
    report(progress, 0, 4, "evaluation")
    period, periods, code = _window(results, cfg)
    scope = np.ones(n, dtype=bool)
    if units is not None:
        tin, tout = app.euler
        at = tin[people.unit]
        scope = np.zeros(n, dtype=bool)
        for u in units:
            scope |= (at >= tin[u]) & (at < tout[u])
    unit = people.unit.astype(np.int64)
    level = app.units.level[unit].astype(np.int64)
    id_order = np.argsort(people.id.astype(str), kind="stable")

    w_count = len(periods)
    wanted = code >= 0 if units is None else (code >= 0) & scope[results.person]
    if wanted.all():  # the usual case: no gathering needed
        key = results.person.astype(np.int64) * max(w_count, 1) + code
        target, actual, weight = results.target, results.actual, results.weight
    else:
        sel = np.flatnonzero(wanted)
        key = results.person[sel].astype(np.int64) * max(w_count, 1) + code[sel]
        target, actual, weight = results.target[sel], results.actual[sel], results.weight[sel]
    weight = np.where(np.isnan(weight), 1.0, weight)
    with np.errstate(divide="ignore", invalid="ignore"):
        achievement = np.where(target > 0, np.minimum(actual / target, cfg.achievement_cap), 1.0)
    size = n * max(w_count, 1)
    report(progress, 1, 4, "evaluation")
    w_sum = np.bincount(key, weights=weight, minlength=size).reshape(n, -1)
    w_ach = np.bincount(key, weights=weight * achievement, minlength=size).reshape(n, -1)
    w_exc = np.bincount(key, weights=weight * (actual > target), minlength=size).reshape(n, -1)
    has = np.bincount(key, minlength=size).reshape(n, -1) > 0
    with np.errstate(divide="ignore", invalid="ignore"):
        scores = np.round(100.0 * w_ach / w_sum, 6)
        shares = np.round(w_exc / w_sum, 6)
    scores[w_sum <= 0] = np.nan
    report(progress, 2, 4, "evaluation")

    history = np.full((n, w_count), -1, dtype=np.int8)
    capped = np.zeros(n, dtype=bool)
    for k in range(w_count):
        history[:, k], capped_k = _rate(scores[:, k], shares[:, k], unit, id_order, n_units, cfg)
        if k == w_count - 1:
            capped = capped_k
    score = scores[:, -1] if w_count else np.full(n, np.nan)
    exceeded = shares[:, -1] if w_count else np.full(n, np.nan)
    rating = history[:, -1] if w_count else np.full(n, -1, dtype=np.int8)
    unrated = np.zeros(n, dtype=np.int8)
    if w_count:
        unrated[has[:, -1] & np.isnan(score)] = ZERO_WEIGHT
    unrated[(rating < 0) & (unrated == 0)] = NO_RESULTS
    report(progress, 3, 4, "evaluation")

    rated = id_order[scope[id_order] & (rating[id_order] >= 0)]
    score_q, exc_q = _quantized(score), _quantized(exceeded)
    rank_unit = np.zeros(n, dtype=np.int64)
    order = _rank_order(rated, unit, score_q, exc_q)
    rank_unit[order] = _sorted_positions(unit, order) + 1
    rank_level = np.zeros(n, dtype=np.int64)
    order = _rank_order(rated, level, score_q, exc_q)
    rank_level[order] = _sorted_positions(level, order) + 1
    level_size = np.bincount(level[rated], minlength=len(app.levels))[level]
    screen = np.zeros(n, dtype=np.int8)
    if w_count >= cfg.screen_consecutive:
        screen[(history[:, -cfg.screen_consecutive :] == 3).all(axis=1)] |= SCREEN_REPEATED
    bottom = (rank_level > 0) & (
        rank_level > level_size - np.floor(cfg.screen_bottom_share * level_size + 1e-9)
    )
    screen[bottom] |= SCREEN_BOTTOM
    talent = (rank_level > 0) & (rank_level <= np.floor(cfg.talent_share * level_size + 1e-9)) & (rating <= 1)
    talent &= rating >= 0
    report(progress, 4, 4, "evaluation")

    rows = np.flatnonzero(scope)
    return Evaluation(
        config=cfg,
        period=period,
        periods=periods,
        person=rows,
        unit=unit[rows],
        level=level[rows],
        score=score[rows],
        exceeded=exceeded[rows],
        rating=rating[rows],
        capped=capped[rows],
        unrated=unrated[rows],
        history=history[rows],
        rank_unit=rank_unit[rows],
        rank_level=rank_level[rows],
        screen=screen[rows],
        talent=talent[rows],
    )
