"""The English wording of every invariant violation and every refusal of ``apply``, by template key.

A ``Violation`` and a ``PlanError`` keep their template key and parameters next to the sentence
rendered from them here, as diagnosis findings do (``reorg.diagnose.findings``), so that a later
translation layer can render the same refusal in another language. This catalogue is the one source of
the English text: ``render`` fills a template with its parameters (lists of ids arrive already written
out, see ``reorg.text.listing``).

Keys: ``<invariant>.<case>`` for violations (``one_lead.duplicate``) and for the refusals of ``apply``
that guard an invariant (``coverage.would_gap``); ``plan.<op>.<case>`` for a malformed operation
(``plan.merge.levels``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from reorg.errors import PlanError

__all__ = [
    "MESSAGES",
    "PEOPLE_WORDS",
    "ROLE_WORDS",
    "UNIT_WORDS",
    "Param",
    "invariant_of",
    "refusal",
    "render",
]

Param = str | int | float

MESSAGES: Mapping[str, str] = {
    # -- invariants: the violations of a whole apparatus --------------------------------------------
    "tree.no_root": "the unit tree must have exactly one root, found no root",
    "tree.roots": "the unit tree must have exactly one root, found {count} roots ({roots})",
    "tree.cycle": "units on a parent cycle: {units}",
    "tree.rank": (
        "{child} ({child_level}) sits under {parent} ({parent_level}), whose level is not ranked above it"
    ),
    "one_lead.duplicate": "task {task} is led more than once in {places}: by {leads}",
    "coverage.no_lead": "task {task} has no lead unit",
    "coverage.gap": "task {task} has no lead in {count} place(s): {places}",
    "territory_partition.nested": "{unit} lies inside another {tier} unit",
    "territory_partition.outside": "{count} territory leaf/leaves belong to no {tier} unit: {leaves}",
    "contiguity.pieces": "{unit} is not contiguous: its {parts} parts form {groups} separate groups",
    "standards.area": (
        "{unit} ({level}) has area {area:,.1f} km², below the minimum {min_area:,.1f} of the standard for "
        "{standard}"
    ),
    "standards.population": (
        "{unit} ({level}) has population {population:,.0f} people, below the minimum {min_population:,.0f} "
        "of the standard for {standard}"
    ),
    "standards.both": (
        "{unit} ({level}) has area {area:,.1f} km², below the minimum {min_area:,.1f}, and population "
        "{population:,.0f} people, below the minimum {min_population:,.0f} of the standard for {standard}"
    ),
    "standards.max_units": "level {level} has {count} units, more than {max_units:.0f}",
    "standards.max_units_of": (
        "{count} units of level {level} fall under the standard for {standard}, more than {max_units:.0f}"
    ),
    "quota.over": "{unit} has {people} people for a quota of {quota:.0f}",
    # -- apply: what an operation would introduce ---------------------------------------------------
    "tree.root_merged": "the root cannot be merged",
    "tree.root_split": "the root cannot be split",
    "tree.root_dissolved": "the root cannot be dissolved",
    "tree.root_moved": "the root cannot be moved",
    "tree.root_abolished": "level {level} holds the root, which cannot be abolished",
    "tree.not_above": (
        "{unit} ({level}) cannot sit under {parent} ({parent_level}): its level is not ranked above"
    ),
    "tree.not_below": "{child} cannot sit under {unit}: its level is not ranked below",
    "tree.parent_inside": "{parent} lies inside a unit being merged",
    "tree.successor_inside": "successor {successor} lies inside {unit}",
    "tree.move_inside": "{unit} cannot move under {parent}, which lies inside it",
    "one_lead.would_duplicate": "task {task} would be led more than once in {places}",
    "coverage.no_lead_left": "task {task} would have no lead unit left",
    "coverage.would_gap": "task {task} would have no lead in {places}",
    "territory_partition.would_outside": "{leaves} would belong to no {tier} unit",
    "contiguity.merge": "the merged territory would not be connected: {units}",
    "plan.result": "the result breaks it: {message}",
    # -- apply: malformed operations (invariant "operation") ----------------------------------------
    "plan.unknown_op": "no way to apply {op}",
    "plan.unknown_unit": "unknown {what} {unit!r}",
    "plan.unknown_level": "unknown level {level!r}",
    "plan.unknown_task": "unknown task {task!r}",
    "plan.new_unit.no_id": "a new unit needs an id",
    "plan.new_unit.id_used": "unit id {unit!r} is already used",
    "plan.merge.too_few": "a merge needs two or more distinct units",
    "plan.merge.levels": "units of different levels ({levels}) cannot merge",
    "plan.merge.territorial": "into.level must be territorial exactly when the units are",
    "plan.merge.parents": "the units have different parents: name into.parent_id",
    "plan.split.shares": "part shares must lie in (0, 1] and sum to 1, got {shares}",
    "plan.split.part_twice": "a part is named twice",
    "plan.split.part_level": "part {part} is not of {unit}'s level",
    "plan.split.not_child": "{child} is not a child of {unit} (or is named twice)",
    "plan.split.not_staff": "not on {unit}'s staff (or named twice): {people}",
    "plan.dissolve.not_staff": "not on {unit}'s staff: {people}",
    "plan.abolish.empty": "level {level} has no units",
    "plan.abolish.directions": 'duties must be "up" or "down" and people "up" or "release"',
    "plan.abolish.override": 'override {task}: {way} names no task or is not "up"/"down"',
    "plan.transfer.role": "role must be one of {roles}",
    "plan.transfer.no_units": "a transfer names from_unit, to_unit or both",
    "plan.transfer.not_held": "{unit} has no {role} duty on {task}",
    "plan.transfer.scope": "scope {scope} is not a territorial unit",
    "plan.rename.empty": "rename needs a name, a kind or both",
    "plan.create.incomplete": "create needs unit.level and unit.parent_id",
    "plan.people.unknown": "unknown, released or repeated people: {people}",
    "plan.people.elsewhere": "not all of them work in {unit}",
    "plan.people.count": "{unit} has {staff} people, cannot move {count}",
    "plan.people.no_source": "move_people names people or from_unit",
}

#: What a unit named in an operation stands for, in the wording of ``plan.unknown_unit`` (``{what}``).
UNIT_WORDS: Mapping[str, str] = {
    "unit": "unit",
    "parent": "parent unit",
    "scope": "scope unit",
    "successor": "successor",
}

#: What stands for the people of ``plan.people.unknown`` (``{people}``) when none is unknown.
PEOPLE_WORDS: Mapping[str, str] = {"repeated": "repeated"}

#: A duty's role in the wording of ``plan.transfer.not_held`` (``{role}``), by its code in plan files.
ROLE_WORDS: Mapping[str, str] = {"lead": "lead", "support": "support"}


def render(template: str, params: Mapping[str, Param]) -> str:
    """The English sentence of ``template`` filled with ``params``."""
    return MESSAGES[template].format(**params)


def invariant_of(template: str) -> str:
    """The invariant a key is about: its first part, or ``"operation"`` for a malformed operation."""
    head = template.split(".", 1)[0]
    return "operation" if head == "plan" else head


def refusal(
    template: str,
    params: Mapping[str, Param],
    *,
    operation: int | None = None,
    op: str | None = None,
    invariant: str | None = None,
    ids: Sequence[str] = (),
) -> PlanError:
    """A PlanError whose message is rendered from ``template`` (invariant: ``invariant_of(template)``
    unless given)."""
    return PlanError(
        render(template, params),
        operation=operation,
        op=op,
        invariant=invariant or invariant_of(template),
        ids=ids,
        template=template,
        params=params,
    )
