"""Every refusal and violation of the plan layer is worded in the one catalogue, reorg.plan.messages."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest

import reorg.plan
from reorg.errors import PlanError
from reorg.model import Apparatus
from reorg.plan import Dissolve, Merge, NewUnit, Plan, Transfer, apply
from reorg.plan.messages import MESSAGES, refusal, render

SOURCES = sorted(Path(reorg.plan.__file__).parent.glob("*.py"))
#: a template key as a string literal: "<head>.<case>"
KEY = re.compile(
    r'"((?:plan|tree|one_lead|coverage|territory_partition|contiguity|standards|quota)\.[a-z_.]+)"'
)


def _used() -> set[str]:
    return {
        key for path in SOURCES if path.name != "messages.py" for key in KEY.findall(path.read_text("utf-8"))
    }


def _dummy(spec: str, conversion: str | None) -> str | float:
    """A value a field with this format spec accepts: a number where the spec formats one."""
    return 1234.5 if spec and conversion is None and spec[-1] in "fdeg%" else "x"


def test_every_key_used_in_the_plan_layer_is_in_the_catalogue_and_every_entry_is_used() -> None:
    """The keys the plan layer raises with are exactly the catalogue's."""
    used = _used()
    assert used - set(MESSAGES) == set()
    assert set(MESSAGES) - used == set()


@pytest.mark.parametrize("key", sorted(MESSAGES))
def test_every_template_renders_with_its_fields(key: str) -> None:
    """Each template fills with values for its named fields (numbers where it formats numbers)."""
    fields = [(name, spec, conv) for _, name, spec, conv in string.Formatter().parse(MESSAGES[key]) if name]
    params = {name: _dummy(spec or "", conv) for name, spec, conv in fields}
    assert "{" not in render(key, params)


def test_a_refusal_keeps_its_template_and_params_and_says_the_sentence() -> None:
    """str(PlanError) is the English sentence rendered from its template; the key names the invariant."""
    error = refusal("plan.merge.levels", {"levels": "commune, district"}, operation=3, op="merge")
    assert (error.template, dict(error.params), error.invariant) == (
        "plan.merge.levels",
        {"levels": "commune, district"},
        "operation",
    )
    assert (
        str(error)
        == "operation 3 (merge): operation: units of different levels (commune, district) cannot merge"
    )
    assert refusal("coverage.no_lead_left", {"task": "t"}).invariant == "coverage"


def test_plan_error_params_are_read_only() -> None:
    """A PlanError's params cannot be changed after it is raised."""
    error = PlanError("x", template="plan.rename.empty")
    with pytest.raises(TypeError):
        error.params["a"] = 1  # type: ignore[index]


@pytest.mark.parametrize(
    ("operation", "template"),
    [
        (Merge(("c1", "d1"), NewUnit("x", "X")), "plan.merge.levels"),
        (Dissolve("vn"), "tree.root_dissolved"),
        (Transfer("registry", from_unit="c1"), "coverage.would_gap"),
        (Transfer("land", from_unit="dep1", to_unit="dep2", scope="p1"), None),
        (Transfer("registry", to_unit="d1"), "one_lead.would_duplicate"),
        (Dissolve("nowhere"), "plan.unknown_unit"),
    ],
)
def test_refusals_of_apply_carry_their_template(
    three_tier: Apparatus, operation: object, template: str | None
) -> None:
    """apply refuses with the template of what went wrong, and the message is rendered from it."""
    plan = Plan(baseline="t", operations=(operation,), require=())  # type: ignore[arg-type]
    if template is None:
        apply(three_tier, plan)
        return
    with pytest.raises(PlanError) as caught:
        apply(three_tier, plan)
    assert caught.value.template == template
    assert str(caught.value).endswith(render(template, caught.value.params))
