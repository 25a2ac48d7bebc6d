"""services.access: the role matrix, and the units a unit officer sees (exactly their scope's subtree)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from reorg.errors import ForbiddenError, NotFoundError
from reorg.model import Apparatus, LevelRow, UnitRow, build_apparatus
from reorg.services.access import ACTIONS, ROLES, Principal, may, require, require_unit, subtree

#: the matrix of the module docstring and docs/web.md, written out again on purpose
EXPECTED = {
    "admin": set(ACTIONS),
    "analyst": set(ACTIONS) - {"manage_users", "approve"},
    "reviewer": {"read", "read_national", "diagnose", "comment", "approve"},
    "unit_officer": {"read", "diagnose", "comment", "propose", "report_progress"},
    "expert": {"read", "read_national", "comment"},
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", ACTIONS)
def test_the_role_matrix(role: str, action: str) -> None:
    """may() follows the documented matrix and require() refuses with ForbiddenError naming both."""
    who = Principal("anna", role, "p1" if role == "unit_officer" else "")
    allowed = action in EXPECTED[role]
    assert may(who, action) is allowed
    if allowed:
        require(who, action)
    else:
        with pytest.raises(ForbiddenError, match=f"the role '{role}' may not do '{action}'") as caught:
            require(who, action)
        assert (caught.value.action, caught.value.role) == (action, role)


def test_personal_data_is_for_admins_and_analysts_only() -> None:
    """read_personal: admin and analyst, nobody else."""
    assert [r for r in ROLES if may(Principal("x", r), "read_personal")] == ["admin", "analyst"]


def test_an_unknown_role_may_do_nothing_and_an_unknown_action_is_a_bug() -> None:
    """A role not in ROLES gets nothing (fail closed); an action not in ACTIONS raises ValueError."""
    assert not any(may(Principal("x", "superuser"), a) for a in ACTIONS)
    with pytest.raises(ValueError, match="unknown action 'fly'"):
        may(Principal("x", "admin"), "fly")


def _ids(app: Apparatus, mask: np.ndarray) -> set[str]:
    return set(app.units.id[mask].tolist())


def test_a_unit_officer_sees_their_subtree(tiny: Apparatus) -> None:
    """Scope p1: p1, its department and communes; others see all; an absent scope sees nothing."""
    assert _ids(tiny, subtree(tiny, Principal("o", "unit_officer", "p1"))) == {"p1", "d1", "c1", "c2"}
    assert _ids(tiny, subtree(tiny, Principal("o", "unit_officer", "c3"))) == {"c3"}
    assert subtree(tiny, Principal("a", "analyst")).all()
    assert subtree(tiny, Principal("e", "expert")).all()
    assert not subtree(tiny, Principal("o", "unit_officer", "gone")).any()
    assert not subtree(tiny, Principal("o", "unit_officer", "")).any()
    assert not subtree(tiny, Principal("o", "nobody")).any()


def test_a_unit_outside_the_subtree_looks_missing(tiny: Apparatus) -> None:
    """require_unit: same NotFoundError message for a unit outside the subtree and a missing one."""
    officer = Principal("o", "unit_officer", "p1")
    require_unit(tiny, officer, "c2")
    require_unit(tiny, Principal("a", "admin"), "c3")
    with pytest.raises(NotFoundError) as outside:
        require_unit(tiny, officer, "c3")
    with pytest.raises(NotFoundError) as missing:
        require_unit(tiny, officer, "zz")
    assert (str(outside.value), str(missing.value)) == ("no unit 'c3'", "no unit 'zz'")
    with pytest.raises(NotFoundError, match="no unit 'vn'"):
        require_unit(tiny, officer, "vn")


@st.composite
def trees(draw: st.DrawFn) -> tuple[Apparatus, list[int]]:
    """A random tree of up to 60 units whose rows are shuffled (a parent may come after its child)."""
    n = draw(st.integers(1, 60))
    parents = [-1] + [draw(st.integers(0, i - 1)) for i in range(1, n)]
    order = draw(st.permutations(range(n)))  # node -> row
    rows: list[UnitRow | None] = [None] * n
    for node in range(n):
        parent = f"u{parents[node]}" if parents[node] >= 0 else ""
        rows[order[node]] = UnitRow(f"u{node}", f"U{node}", "unit", parent_id=parent)
    app = build_apparatus(levels=[LevelRow("unit", 0)], units=[r for r in rows if r is not None])
    return app, parents


@given(trees(), st.data())
def test_a_unit_officers_mask_is_exactly_the_descendants_of_the_scope(
    tree: tuple[Apparatus, list[int]], data: st.DataObject
) -> None:
    """For any tree and scope: the mask holds the scope and every unit whose parent chain reaches it."""
    app, parents = tree
    scope = data.draw(st.integers(0, len(parents) - 1))
    expected = set()
    for node in range(len(parents)):
        up = node
        while up >= 0 and up != scope:
            up = parents[up]
        if up == scope:
            expected.add(f"u{node}")
    officer = Principal("o", "unit_officer", f"u{scope}")
    assert _ids(app, subtree(app, officer)) == expected
    for node in range(len(parents)):
        unit = f"u{node}"
        if unit in expected:
            require_unit(app, officer, unit)
        else:
            with pytest.raises(NotFoundError):
                require_unit(app, officer, unit)
