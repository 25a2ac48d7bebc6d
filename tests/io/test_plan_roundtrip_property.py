"""What a plan makes can be written and read back: ``write`` of any applied plan re-imports identically.

Plans draw their text and numbers from everything the value rules allow (any script, markup, the
extremes of each range), so a value a plan accepts but a bundle refuses would show up here."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path

from hostile_kit import outcome
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st

from reorg.errors import PlanError
from reorg.io import load, write
from reorg.model import Apparatus
from reorg.model.values import MAX_TEXT
from reorg.plan import (
    Create,
    Dissolve,
    Merge,
    MovePeople,
    NewUnit,
    Operation,
    Plan,
    ReleasePeople,
    Rename,
    Split,
    SplitPart,
    Transfer,
    apply,
)

BASELINE = load(Path(__file__).parent.parent / "data" / "valid")
CONTROL = [chr(c) for c in (*range(9), 11, 12, *range(14, 32), 127)]
#: any text the value rules accept
TEXT = st.one_of(
    st.text(st.characters(exclude_categories=("Cs",), exclude_characters=CONTROL), min_size=1, max_size=10),
    st.sampled_from(["<b>x</b>", "=1+1", "[/]", "a\tb", "line\nbreak", "_x000D_", "x" * MAX_TEXT]),
)
NUMBER = st.one_of(st.none(), st.floats(0, 1e300), st.sampled_from([0.0, 1e-300, 5e-324]))
LAT = st.one_of(st.none(), st.floats(-90, 90))
LON = st.one_of(st.none(), st.floats(-180, 180))
IDS = st.sampled_from(["n1", "n2", "c1", "c2", "p1"])


@st.composite
def operations(draw: st.DrawFn) -> Operation:
    """One operation on the valid bundle (vn > m1, p1 > c1, c2), likely to apply."""
    kind = draw(st.sampled_from(["rename", "create", "split", "merge", "dissolve", "transfer", "move"]))
    if kind == "rename":
        return Rename(draw(st.sampled_from(["c1", "p1", "m1"])), name=draw(TEXT), kind=draw(TEXT))
    if kind == "create":
        unit = NewUnit(
            draw(IDS), draw(TEXT), draw(st.sampled_from(["ministry", "commune"])), "vn", draw(TEXT)
        )
        return Create(unit, draw(NUMBER), draw(NUMBER), draw(NUMBER), draw(LAT), draw(LON))
    if kind == "split":
        share = draw(st.floats(0.01, 0.99))
        parts = (SplitPart("c2", share, draw(TEXT)), SplitPart(draw(IDS), 1 - share, draw(TEXT)))
        return Split("c2", parts)
    if kind == "merge":
        return Merge(("c1", "c2"), NewUnit(draw(st.sampled_from(["c1", "n1"])), draw(TEXT)))
    if kind == "dissolve":
        return Dissolve(draw(st.sampled_from(["c1", "c2", "m1"])))
    if kind == "transfer":
        return Transfer("land", from_unit="m1", to_unit=draw(st.sampled_from(["p1", "vn"])))
    if draw(st.booleans()):
        return ReleasePeople(("x2",), reason=draw(TEXT))
    return MovePeople(draw(st.sampled_from(["c2", "p1"])), from_unit="c1", count=draw(st.integers(0, 3)))


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)
@seed(14)
@given(ops=st.lists(operations(), min_size=1, max_size=4))
def test_any_applied_plan_writes_and_reads_back(
    ops: list[Operation], assert_same: Callable[[Apparatus, Apparatus], None]
) -> None:
    """Apply the operations one by one (those refused are left out); the result, written as a CSV
    folder and as a workbook, reads back the same apparatus, lineage included."""
    app = BASELINE
    for op in ops:
        result = outcome(lambda op=op, app=app: apply(app, Plan("valid", (op,), require=())))
        if not isinstance(result, PlanError):
            app = result
    with tempfile.TemporaryDirectory() as tmp:
        for target in (Path(tmp) / "b", Path(tmp) / "b.xlsx"):
            write(app, target)
            assert_same(app, load(target))
