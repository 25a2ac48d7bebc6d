"""The placement instance: which units a plan's people are placed into, who the candidates are, the
fit of each, and the slots per position type (from a file, or derived). docs/people.md, "Placement".
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from reorg.errors import InputError
from reorg.model import Apparatus
from reorg.tomlfile import dataclass_from_mapping, read_toml

__all__ = ["LEADER_POSITIONS", "PlacementConfig", "Problem", "derive_quotas", "problem"]

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]
TextArray = npt.NDArray[np.object_]

#: position titles that count as leader positions by default (English, and the Vietnamese titles of the
#: synthetic staff: chairs of people's committees, directors, heads of agencies and offices, deputies)
LEADER_POSITIONS = (
    "director",
    "deputy director",
    "head",
    "deputy head",
    "Thủ trưởng cơ quan",
    "Phó Thủ trưởng cơ quan",
    "Giám đốc",
    "Phó Giám đốc",
    "Trưởng phòng",
    "Phó Trưởng phòng",
    "Chủ tịch Ủy ban nhân dân",
    "Phó Chủ tịch Ủy ban nhân dân",
)
_SCALE = 100  # fits in hundredths of a point


@dataclasses.dataclass(frozen=True)
class PlacementConfig:
    """Weights of the fit (points per evaluation point, per matching position, per continuity), the
    score counted for the unrated, and the position titles that are leader positions."""

    score_weight: float = 1.0
    position_weight: float = 20.0
    continuity_weight: float = 10.0
    unrated_score: float = 0.0
    leader_positions: tuple[str, ...] = LEADER_POSITIONS

    def __post_init__(self) -> None:
        for name in ("score_weight", "position_weight", "continuity_weight", "unrated_score"):
            value = getattr(self, name)
            if not isinstance(value, int | float) or not 0 <= value <= 1000:
                raise ValueError(f"PlacementConfig: {name} must be a number in [0, 1000]")
        object.__setattr__(self, "leader_positions", tuple(str(p) for p in self.leader_positions))

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any], *, source: str = "config") -> PlacementConfig:
        """A config from a mapping; unknown keys and bad values raise InputError naming ``source``."""
        return dataclass_from_mapping(cls, data, source=source)

    @classmethod
    def from_toml(cls, path: str | Path) -> PlacementConfig:
        """A config from a TOML file: top-level keys, or a ``[placement]`` table."""
        return cls.from_mapping(read_toml(path, "placement config", table="placement"), source=str(path))


@dataclasses.dataclass(frozen=True, eq=False)
class Problem:
    """A placement instance as arrays. Candidates: baseline people row, placing unit (index into
    ``units``), present position code (into ``positions``; -1 none), merit (fit without the position
    term, hundredths of a point), the unit they are in after the plan (id) and came from (id). Slots:
    unit, position code and quota, one row per (unit, position type)."""

    units: tuple[str, ...]
    positions: tuple[str, ...]
    leader: BoolArray
    person: IntArray
    person_id: TextArray
    unit: IntArray
    current: IntArray
    merit: IntArray
    now_in: TextArray
    came_from: TextArray
    slot_unit: IntArray
    slot_position: IntArray
    quota: IntArray
    bonus: int


def _placing_units(before: Apparatus, after: Apparatus) -> list[str]:
    """Units of ``after`` the plan's lineage leads to (rename excepted), in the order of ``after``."""
    edges = after.lineage[len(before.lineage) :]
    targets = {e.target for e in edges if e.kind != "rename" and e.target in after.units.index}
    return [u for u in after.units.id.tolist() if u in targets]


def problem(
    before: Apparatus,
    after: Apparatus,
    scores: npt.NDArray[np.float64],
    config: PlacementConfig | None = None,
    quotas: Mapping[str, Mapping[str, int]] | None = None,
) -> Problem:
    """The placement instance of the plan that made ``after`` from ``before``: the candidates are the
    baseline's people who are in a placing unit after the plan (its operations pour the staff of the
    units they replace along the lineage: merge, split, dissolve, abolish_level); ``scores`` per baseline
    person (points, NaN = unrated); ``quotas`` unit id -> position -> slots for the units it names (the
    others are derived by ``derive_quotas``). A quota for a unit that is not a placing unit, or a
    negative one, is an InputError."""
    config = config or PlacementConfig()
    units = _placing_units(before, after)
    p = before.people
    base_unit = before.units.id[p.unit]
    place_of = np.full(len(after.units), -1, dtype=np.int64)
    place_of[[after.units.index[u] for u in units]] = np.arange(len(units))
    code = place_of[after.people.unit]
    found = np.flatnonzero(code >= 0)
    index = p.index
    back = np.fromiter((index.get(x, -1) for x in after.people.id[found].tolist()), np.int64, len(found))
    order = np.argsort(back, kind="stable")
    found, back = found[order], back[order]
    rows = back[back >= 0]  # baseline rows, in people order (a plan adds nobody)
    cand_unit = code[found[back >= 0]]
    now = np.array(units, dtype=object)[cand_unit] if len(rows) else np.zeros(0, dtype=object)
    names, current = np.unique(p.position[rows].astype(str), return_inverse=True)
    positions = tuple(str(n) for n in names)
    seat = _seats(units, cand_unit, base_unit[rows], before)
    continuity = (
        base_unit[rows] == np.array(seat, dtype=object)[cand_unit] if len(rows) else np.zeros(0, bool)
    )
    score = np.where(np.isfinite(scores[rows]), scores[rows], config.unrated_score)
    merit = np.rint(_SCALE * (config.score_weight * score + config.continuity_weight * continuity)).astype(
        np.int64
    )
    leader = np.isin(np.array(positions, dtype=object), list(config.leader_positions))
    slot_unit, slot_position, quota = derive_quotas(
        cand_unit, current.astype(np.int64), base_unit[rows], leader, after.units.quota, units, after
    )
    if quotas:
        slot_unit, slot_position, quota, positions, leader = _given(
            quotas, units, positions, leader, config, (slot_unit, slot_position, quota)
        )
    return Problem(
        tuple(units),
        positions,
        leader,
        rows.astype(np.int64),
        p.id[rows],
        cand_unit,
        current.astype(np.int64),
        merit,
        now,
        base_unit[rows],
        slot_unit,
        slot_position,
        quota,
        round(_SCALE * config.position_weight),
    )


def _seats(units: list[str], cand_unit: IntArray, came_from: TextArray, before: Apparatus) -> list[str]:
    """Per placing unit, its seat: the predecessor whose id it keeps, else the one with most candidates,
    then the largest population, then the smaller id."""
    population = before.units.population
    seats = []
    for u, uid in enumerate(units):
        sources, counts = np.unique(came_from[cand_unit == u].astype(str), return_counts=True)
        if uid in sources.tolist() or len(sources) == 0:
            seats.append(uid)
            continue
        pop = np.array([population[before.units.index[x]] for x in sources.tolist()])
        pop = np.where(np.isfinite(pop), pop, -1.0)
        seats.append(str(sources[np.lexsort((sources, -pop, -counts))[0]]))
    return seats


def derive_quotas(
    cand_unit: IntArray,
    current: IntArray,
    came_from: TextArray,
    leader: BoolArray,
    unit_quota: npt.NDArray[np.float64],
    units: list[str],
    after: Apparatus,
) -> tuple[IntArray, IntArray, IntArray]:
    """Slots per (placing unit, position type) when no file gives them. Leader types: as many as the
    predecessor that had most of that type (one leadership team, the largest one). Other types: the
    unit's quota after the plan (its candidates when the quota is unknown) less the leader slots, split
    among the non-leader types in proportion to the candidates' present positions (largest remainder,
    ties to the type listed first). Returns (unit, position, quota) rows for the non-zero slots."""
    k = len(leader)
    out_u: list[int] = []
    out_p: list[int] = []
    out_q: list[int] = []
    for u, uid in enumerate(units):
        mine = np.flatnonzero(cand_unit == u)
        if len(mine) == 0:
            continue
        q = unit_quota[after.units.index[uid]]
        total = len(mine) if not np.isfinite(q) else int(q)
        slots = np.zeros(k, dtype=np.int64)
        for t in np.flatnonzero(leader).tolist():
            of_t = mine[current[mine] == t]
            if len(of_t):
                slots[t] = int(np.unique(came_from[of_t].astype(str), return_counts=True)[1].max())
        lead_total = int(slots.sum())
        if lead_total > total:  # fewer posts than one leadership team: the first types keep theirs
            keep = np.minimum(slots, np.maximum(total - (np.cumsum(slots) - slots), 0))
            slots, lead_total = keep, total
        mix = np.bincount(current[mine], minlength=k) * ~leader
        rest = total - lead_total
        if rest > 0 and mix.sum() > 0:
            share = rest * mix / mix.sum()
            base = np.floor(share).astype(np.int64)
            extra = rest - int(base.sum())
            order = np.lexsort((np.arange(k), -(share - base)))
            base[order[:extra]] += 1
            slots += base
        for t in np.flatnonzero(slots).tolist():
            out_u.append(u)
            out_p.append(t)
            out_q.append(int(slots[t]))
    return (np.array(out_u, dtype=np.int64), np.array(out_p, dtype=np.int64), np.array(out_q, dtype=np.int64))


def _given(
    quotas: Mapping[str, Mapping[str, int]],
    units: list[str],
    positions: tuple[str, ...],
    leader: BoolArray,
    config: PlacementConfig,
    derived: tuple[IntArray, IntArray, IntArray],
) -> tuple[IntArray, IntArray, IntArray, tuple[str, ...], BoolArray]:
    """The slots of ``quotas`` for the units it names, the derived ones for the others; positions only
    the file names are added."""
    at = {u: i for i, u in enumerate(units)}
    names = list(positions)
    for uid, per in quotas.items():
        if uid not in at:
            raise InputError("quotas", "a unit the plan creates or merges into", field="unit_id", value=uid)
        for pos, n in per.items():
            if not isinstance(n, int) or n < 0:
                raise InputError("quotas", "a whole number of posts, ≥ 0", field="quota", value=str(n))
            if pos not in names:
                names.append(pos)
    slot_unit, slot_position, quota = derived
    keep = ~np.isin(slot_unit, [at[u] for u in quotas])
    rows = [(at[u], names.index(p), n) for u, per in quotas.items() for p, n in per.items() if n > 0]
    extra = np.array(rows, dtype=np.int64).reshape(-1, 3)
    leader = np.isin(np.array(names, dtype=object), list(config.leader_positions))
    return (
        np.concatenate([slot_unit[keep], extra[:, 0]]),
        np.concatenate([slot_position[keep], extra[:, 1]]),
        np.concatenate([quota[keep], extra[:, 2]]),
        tuple(names),
        leader,
    )
