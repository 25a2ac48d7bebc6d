"""Overlapping portfolios among units whose jurisdictions overlap, computed sparsely."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from diagnose_kit import found, make, run, two_provinces, unit

from reorg.diagnose import DiagnosisConfig
from reorg.diagnose.overlap import similar_pairs
from reorg.model import Apparatus
from reorg.plan import similarity as similarity_module

SAME = [("d1a", t) for t in "abc"] + [("d1b", t) for t in "abc"]


def test_two_departments_of_one_province_with_the_same_tasks_overlap() -> None:
    """Same place, same three tasks: one overlap at similarity 1 listing the shared tasks."""
    (f,) = found(make(two_provinces(), SAME), "overlap")
    assert (f.units, f.tasks, f.severity) == (("d1a", "d1b"), ("a", "b", "c"), "high")
    assert f.evidence["max_similarity"] == 1.0
    assert f.template == "overlap.pair.same_level"


def test_the_same_tasks_in_different_places_are_no_overlap() -> None:
    """Departments of two provinces doing the same tasks for their own province do not overlap."""
    duties = [("d1a", t) for t in "abc"] + [("d2a", t) for t in "abc"]
    assert found(make(two_provinces(), duties), "overlap") == ()


def test_a_ministry_and_a_provincial_department_overlap_across_levels() -> None:
    """The nation contains the province, so a ministry and a department are compared."""
    duties = [("m1", t) for t in "abcd"] + [("d2a", t, "support") for t in "abcd"]
    (f,) = found(make(two_provinces(), duties), "overlap")
    assert set(f.units) == {"m1", "d2a"}
    assert f.template == "overlap.pair.cross_level"
    assert f.evidence["cross_level_pairs"] == 1


def test_a_unit_contained_in_a_much_larger_one_overlaps() -> None:
    """d1b's 3 tasks are all among d1a's 20: Jaccard 0.15 misses it, containment 1 finds it."""
    duties = [("d1a", f"t{k}") for k in range(20)] + [("d1b", f"t{k}", "support") for k in range(3)]
    (f,) = found(make(two_provinces(), duties), "overlap")
    assert set(f.units) == {"d1a", "d1b"}
    assert f.evidence["max_containment"] == 1.0
    assert f.evidence["max_jaccard"] == pytest.approx(0.15)
    assert found(make(two_provinces(), duties), "overlap", DiagnosisConfig(overlap_containment=1.0))
    assert not found(make(two_provinces(), duties[:22]), "overlap")  # 2 shared: below min_shared


def test_similar_pairs_join_into_one_group() -> None:
    """d1a ~ d1b and d1b ~ x1 make one group of three."""
    duties = SAME + [("x1", t) for t in "abc"]
    (f,) = found(make(two_provinces(), duties), "overlap")
    assert set(f.units) == {"d1a", "d1b", "x1"}
    assert f.template == "overlap.group"
    assert f.evidence["pairs"] == 3


def test_fewer_shared_tasks_than_the_minimum_are_no_overlap() -> None:
    """Two identical portfolios of two tasks are below overlap_min_shared = 3."""
    duties = [("d1a", t) for t in "ab"] + [("d1b", t) for t in "ab"]
    assert found(make(two_provinces(), duties), "overlap") == ()
    assert len(found(make(two_provinces(), duties), "overlap", DiagnosisConfig(overlap_min_shared=2))) == 1


def test_a_task_held_by_too_many_units_in_one_place_is_generic() -> None:
    """With overlap_max_holders=2, a task held by three units of province p1 is left out."""
    duties = [*SAME, ("p1", "a")]
    config = DiagnosisConfig(overlap_max_holders=2)
    report = run(make(two_provinces(), duties), config)
    assert report.by_kind("overlap") == ()  # d1a, d1b share only b and c once a is generic
    assert report.summary["overlap_generic_places"] == 1


def _random_apparatus(seed: int) -> Apparatus:
    """Nation, 2 ministries, 3 provinces with 2 departments and 2 districts of 3 communes; random duties."""
    rng = np.random.default_rng(seed)
    units = [unit("vn", "nation"), unit("m0", "ministry", "vn"), unit("m1", "ministry", "vn")]
    for p in range(3):
        units.append(unit(f"p{p}", "province", "vn"))
        units += [unit(f"p{p}d{k}", "department", f"p{p}") for k in range(2)]
        for x in range(2):
            units.append(unit(f"p{p}x{x}", "district", f"p{p}"))
            units += [unit(f"p{p}x{x}c{c}", "commune", f"p{p}x{x}") for c in range(3)]
    duties = [(u.id, f"t{t}") for u in units for t in range(6) if rng.random() < 0.45]
    return make(units, duties)


def _brute_force(app: Apparatus, config: DiagnosisConfig) -> dict[tuple[int, int], float]:
    """Similar pairs by the definition, with dense Python sets."""
    jur, tin, tout = app.jurisdiction, *app.euler
    holders: dict[tuple[int, int], list[int]] = {}
    for u, t in zip(app.duties.unit.tolist(), app.duties.task.tolist(), strict=True):
        holders.setdefault((t, int(jur[u])), []).append(u)
    tasks: dict[int, set[int]] = {}
    for (t, _), us in holders.items():
        if len(us) <= config.overlap_max_holders:
            for u in us:
                tasks.setdefault(u, set()).add(t)

    def related(a: int, b: int) -> bool:
        ja, jb = jur[a], jur[b]
        return bool(tin[ja] <= tin[jb] < tout[ja] or tin[jb] <= tin[ja] < tout[jb])

    def beside(a: int, b: int) -> bool:
        return bool(app.units.level[a] == app.units.level[b] and jur[a] == jur[b])

    out = {}
    for a, b in itertools.combinations(sorted(tasks), 2):
        shared = len(tasks[a] & tasks[b])
        jac = shared / len(tasks[a] | tasks[b])
        con = shared / min(len(tasks[a]), len(tasks[b])) if beside(a, b) else 0.0
        similar = jac >= config.overlap_threshold or con >= config.overlap_containment
        if related(a, b) and shared >= config.overlap_min_shared and similar:
            out[(a, b)] = max(jac, con)
    return out


@pytest.mark.parametrize("seed", range(8))
@pytest.mark.parametrize("block", [similarity_module.BLOCK, 7])
def test_sparse_pairs_equal_the_definition(seed: int, block: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """The blocked sparse enumeration finds exactly the pairs a brute force finds, at any block size."""
    monkeypatch.setattr(similarity_module, "BLOCK", block)
    app = _random_apparatus(seed)
    config = DiagnosisConfig(
        overlap_threshold=0.4, overlap_min_shared=2, overlap_max_holders=5, overlap_containment=0.7
    )
    pairs = similar_pairs(app, config)
    got = {
        (min(u, v), max(u, v)): s
        for u, v, s in zip(pairs.u.tolist(), pairs.v.tolist(), pairs.similarity.tolist(), strict=True)
    }
    expected = _brute_force(app, config)
    assert expected  # the scenario exercises something
    assert got.keys() == expected.keys()
    assert all(got[k] == pytest.approx(expected[k]) for k in expected)
