"""What a policy owes each person who leaves, and what it costs and saves per unit and in total.

``compute_benefits`` evaluates a ``Ruleset`` on the columns of the people chosen, all at once: every
derived value and every term is one numpy expression over the selected people. Per person: the regime
taken (the first eligible, or the one paying most), the amount (currency, rounded half away from zero to
a whole unit, the dong for VND) and its terms; the annual payroll saved (currency/year). Per unit and in
total: cost, annual saving, payback = cost / annual saving (years; None when nothing is saved).

A person whose data a rule needs is missing (no birth date, no salary coefficient...) takes no regime and
is listed with the inputs missing: never skipped silently.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from reorg.errors import InputError
from reorg.model import Apparatus
from reorg.people.expr import Value, as_column, evaluate
from reorg.people.ruleset import INPUTS, Ruleset
from reorg.progress import Progress, report

__all__ = ["Benefits", "UnitCost", "compute_benefits"]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


@dataclasses.dataclass(frozen=True)
class UnitCost:
    """Aggregates of one unit (or of everyone: ``unit = ""``): people by regime, cost (currency), annual
    payroll saved (currency/year), payback (years; None when nothing is saved)."""

    unit: str
    people: int
    by_regime: dict[str, int]
    cost: float
    annual_saving: float
    payback_years: float | None

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


@dataclasses.dataclass(frozen=True, eq=False)
class Benefits:
    """Per selected person (row ``person`` of people): ``regime`` (index into ``ruleset.regimes``, -1 =
    none), ``amount`` and ``saving`` (currency; 0 without a regime), ``terms[r][k]`` the k-th term of
    regime r for everyone (meaningful where ``regime == r``), ``missing`` the inputs a person lacks."""

    ruleset: Ruleset
    as_of: dt.date
    decision_date: dt.date
    person: IntArray
    regime: IntArray
    amount: FloatArray
    saving: FloatArray
    terms: tuple[tuple[FloatArray, ...], ...]
    missing: tuple[tuple[str, ...], ...]
    units: tuple[UnitCost, ...]
    total: UnitCost

    def regime_id(self, i: int) -> str:
        """The id of the regime person i (0-based in the selection) takes, "" for none."""
        r = int(self.regime[i])
        return self.ruleset.regimes[r].id if r >= 0 else ""

    def breakdown(self, i: int) -> dict[str, float]:
        """term -> amount (currency) of person i's regime."""
        r = int(self.regime[i])
        if r < 0:
            return {}
        names = [name for name, _ in self.ruleset.regimes[r].terms]
        return {n: float(col[i]) for n, col in zip(names, self.terms[r], strict=True)}


def _inputs(
    app: Apparatus, rows: IntArray, as_of: dt.date, decision: dt.date, moved: Any
) -> dict[str, Value]:
    p = app.people
    n = len(rows)
    return {
        "salary_coefficient": p.salary_coefficient[rows],
        "birth_date": p.birth_date[rows],
        "service_start": p.service_start[rows],
        "gender": p.gender[rows],
        "position": p.position[rows],
        "grade": p.grade[rows],
        "as_of": as_column(np.datetime64(as_of, "D"), n, "datetime64[D]"),
        "decision_date": as_column(np.datetime64(decision, "D"), n, "datetime64[D]"),
        "transferred": np.asarray(moved, dtype=bool),
    }


def _absent(values: Value) -> npt.NDArray[np.bool_]:
    arr = np.asarray(values)
    out: npt.NDArray[np.bool_] = np.zeros(arr.shape, dtype=bool)
    if arr.dtype.kind == "M":
        out = np.isnat(arr)
    elif arr.dtype.kind == "f":
        out = ~np.isfinite(arr)
    elif arr.dtype.kind == "O":
        out = np.asarray(arr == "", dtype=bool)
    return out


def _round(x: FloatArray) -> FloatArray:
    return np.sign(x) * np.floor(np.abs(x) + 0.5)


def compute_benefits(
    app: Apparatus,
    ruleset: Ruleset,
    rows: Sequence[int] | IntArray,
    *,
    as_of: dt.date,
    decision_date: dt.date | None = None,
    transferred: Sequence[int] | IntArray = (),
    progress: Progress | None = None,
) -> Benefits:
    """Benefits of people ``rows`` (row indexes of ``app.people``) leaving on ``as_of``, the restructuring
    decision taken on ``decision_date`` (default ``as_of``); ``transferred`` (row indexes) are moved to
    another post instead of leaving (input ``transferred``). A rule that yields no finite number for an
    eligible person is an InputError naming the rule and the person."""
    rows = np.asarray(rows, dtype=np.int64)
    decision = decision_date or as_of
    moved = np.isin(rows, np.asarray(transferred, dtype=np.int64))
    env: dict[str, Value] = _inputs(app, rows, as_of, decision, moved)
    n = len(rows)
    used = ruleset.inputs_used()
    lacking = np.zeros(n, dtype=bool)
    absent: dict[str, npt.NDArray[np.bool_]] = {}
    for name in sorted(used & set(INPUTS)):
        absent[name] = _absent(env[name])
        lacking |= absent[name]
    env.update(ruleset.parameters)
    env.update({k: np.datetime64(v, "D") for k, v in ruleset.parameters.items() if isinstance(v, dt.date)})
    total_steps = len(ruleset.derived) + len(ruleset.regimes)
    for step, (name, compiled) in enumerate(ruleset.derived):
        env[name] = evaluate(compiled, env)
        report(progress, step + 1, total_steps, "benefits: rules")

    chosen = np.full(n, -1, dtype=np.int64)
    amount = np.zeros(n)
    saving = np.zeros(n)
    all_terms: list[tuple[FloatArray, ...]] = []
    for r, regime in enumerate(ruleset.regimes):
        eligible = as_column(evaluate(regime.eligible, env), n, bool) & ~lacking
        terms = tuple(_round(as_column(evaluate(c, env), n, np.float64)) for _, c in regime.terms)
        total = np.sum(terms, axis=0) if terms else np.zeros(n)
        save = as_column(evaluate(regime.saving, env), n, np.float64)
        for label, column in [
            *((f"terms.{k}", t) for (k, _), t in zip(regime.terms, terms, strict=True)),
            ("saving", save),
        ]:
            bad = eligible & ~np.isfinite(column)
            if bad.any():
                who = str(app.people.id[rows[int(np.argmax(bad))]])
                raise InputError(
                    ruleset.source, f"rule regime.{regime.id}.{label}: a finite number for person {who}"
                )
        take = (
            eligible & (chosen < 0)
            if ruleset.choice == "first"
            else eligible & ((chosen < 0) | (total > amount))
        )
        chosen[take] = r
        amount[take] = total[take]
        saving[take] = save[take]
        all_terms.append(terms)
        report(progress, len(ruleset.derived) + r + 1, total_steps, "benefits: rules")

    missing = (
        tuple(tuple(name for name, mask in absent.items() if mask[i]) if lacking[i] else () for i in range(n))
        if lacking.any()
        else ((),) * n
    )
    units, total = _aggregate(app, rows, chosen, amount, saving, ruleset)
    return Benefits(
        ruleset, as_of, decision, rows, chosen, amount, saving, tuple(all_terms), missing, units, total
    )


def _cost(unit: str, people: int, counts: dict[str, int], cost: float, saving: float) -> UnitCost:
    payback = cost / saving if saving > 0 else None
    return UnitCost(unit, people, counts, cost, saving, payback)


def _aggregate(
    app: Apparatus, rows: IntArray, chosen: IntArray, amount: FloatArray, saving: FloatArray, ruleset: Ruleset
) -> tuple[tuple[UnitCost, ...], UnitCost]:
    unit = app.people.unit[rows].astype(np.int64)
    ids = [r.id for r in ruleset.regimes]
    k = len(ids) + 1  # the last column counts people with no regime
    n_units = len(app.units)
    counts = np.bincount(unit * k + np.where(chosen < 0, k - 1, chosen), minlength=n_units * k)
    counts = counts.reshape(n_units, k)
    cost = np.bincount(unit, weights=amount, minlength=n_units)
    saved = np.bincount(unit, weights=saving, minlength=n_units)

    def by_regime(c: npt.NDArray[np.int64]) -> dict[str, int]:
        return {name: int(c[j]) for j, name in enumerate([*ids, "none"]) if c[j]}

    units = tuple(
        _cost(
            str(app.units.id[u]), int(counts[u].sum()), by_regime(counts[u]), float(cost[u]), float(saved[u])
        )
        for u in np.flatnonzero(counts.sum(axis=1)).tolist()
    )
    total = _cost("", len(rows), by_regime(counts.sum(axis=0)), float(amount.sum()), float(saving.sum()))
    return units, total
