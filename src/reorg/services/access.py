"""Who may do what: the one place the interfaces ask before they call a use case.

A ``Principal`` is who is asking (a signed-in user: login, role and, for a unit officer, the id of the
unit whose subtree they work on). ``may`` / ``require`` answer for an action, ``subtree`` /
``require_unit`` for the units of an apparatus. The role matrix (also in docs/web.md, "Roles")::

    action          admin  analyst  reviewer  unit_officer  expert
    read              x       x        x           x           x
    read_national     x       x        x                       x
    read_personal     x       x
    import            x       x
    diagnose          x       x        x           x
    propose           x       x                    x (own subtree)
    save_plan         x       x
    delete            x       x
    manage_users      x
    comment           x       x        x           x           x
    report_progress   x       x                    x (own subtree)
    consult           x       x
    approve           x                x

``consult`` is opening and closing consultation rounds and seeing every round and its results at any
time; ``comment`` with an invitation is answering one (``reorg.services.consult``). ``approve`` is the
steering committee's decision on a plan version, and its withdrawal (``reorg.services.publish``): an
approved plan's structure is shown to the public without sign-in.

``read_national`` is figures of the whole apparatus (a plan's national effect, plans compared side by
side): a unit officer's view is their subtree. ``read_personal`` is salaries, birth dates and person
names; without it a person sees counts only.
A background job (a proposal, an import) is seen by whoever submitted it and by admins (``sees_job``).
A unit officer sees and proposes within their scope unit and its descendants; an unknown role may do
nothing (fail closed).
"""

from __future__ import annotations

import dataclasses

import numpy as np
import numpy.typing as npt

from reorg.errors import ForbiddenError, NotFoundError
from reorg.model import Apparatus

__all__ = [
    "ACTIONS",
    "MATRIX",
    "ROLES",
    "Principal",
    "may",
    "require",
    "require_unit",
    "sees_job",
    "subtree",
]

#: the roles a user may have
ROLES = ("admin", "analyst", "reviewer", "unit_officer", "expert")
#: what a person may ask to do
ACTIONS = (
    "read",
    "read_national",
    "read_personal",
    "import",
    "diagnose",
    "propose",
    "save_plan",
    "delete",
    "manage_users",
    "comment",
    "consult",
    "report_progress",
    "approve",
)
#: the role that works on one unit's subtree only
SCOPED_ROLE = "unit_officer"

MATRIX: dict[str, frozenset[str]] = {
    "admin": frozenset(ACTIONS),
    "analyst": frozenset(ACTIONS) - {"manage_users", "approve"},
    "reviewer": frozenset({"read", "read_national", "diagnose", "comment", "approve"}),
    "unit_officer": frozenset({"read", "diagnose", "comment", "propose", "report_progress"}),
    "expert": frozenset({"read", "read_national", "comment"}),
}

#: the refusal, one sentence with its parameters (translated as a whole)
FORBIDDEN = "the role {role!r} may not do {action!r}"
#: a unit that does not exist, or that the principal may not see: the same sentence for both
NO_UNIT = "no unit {unit!r}"


@dataclasses.dataclass(frozen=True)
class Principal:
    """Who is asking: ``scope`` is the unit id a unit officer works on ("" for the other roles)."""

    login: str
    role: str
    scope: str = ""


def may(principal: Principal, action: str) -> bool:
    """May ``principal`` do ``action`` (one of ACTIONS) at all? Unknown roles may do nothing."""
    if action not in ACTIONS:
        raise ValueError(f"unknown action {action!r}; actions: {', '.join(ACTIONS)}")
    return action in MATRIX.get(principal.role, frozenset())


def require(principal: Principal, action: str) -> None:
    """ForbiddenError unless ``principal`` may do ``action``."""
    if not may(principal, action):
        raise ForbiddenError(
            FORBIDDEN.format(role=principal.role, action=action), action=action, role=principal.role
        )


def sees_job(principal: Principal, owner: str) -> bool:
    """May ``principal`` see a background job submitted by ``owner`` (a login)? Its owner and admins."""
    return principal.login == owner or principal.role == "admin"


def subtree(app: Apparatus, principal: Principal) -> npt.NDArray[np.bool_]:
    """Per unit of ``app``: may ``principal`` see it? Everyone sees every unit except a unit officer,
    who sees their scope unit and its descendants; a scope that is not a unit of ``app`` (or a role that
    may not read) sees none. O(units) on the cached depth-first order (``Apparatus.euler``)."""
    n = len(app.units)
    if not may(principal, "read"):
        return np.zeros(n, dtype=bool)
    if principal.role != SCOPED_ROLE:
        return np.ones(n, dtype=bool)
    root = app.units.index.get(principal.scope) if principal.scope else None
    if root is None:
        return np.zeros(n, dtype=bool)
    tin, tout = app.euler
    if tin[root] < 0:  # on a parent cycle: not in the depth-first order; only the unit itself
        mask = np.zeros(n, dtype=bool)
        mask[root] = True
        return mask
    inside: npt.NDArray[np.bool_] = (tin >= tin[root]) & (tin < tout[root])
    return inside


def require_unit(app: Apparatus, principal: Principal, unit_id: str) -> None:
    """NotFoundError unless unit ``unit_id`` exists in ``app`` and ``principal`` may see it; the message
    is the same in both cases, so that a unit outside one's subtree is not revealed to exist."""
    row = app.units.index.get(unit_id)
    if row is None or not _visible(app, principal, row):
        raise NotFoundError(NO_UNIT.format(unit=unit_id))


def _visible(app: Apparatus, principal: Principal, row: int) -> bool:
    """Is unit ``row`` in ``principal``'s subtree? (One interval test, without building the mask.)"""
    if not may(principal, "read"):
        return False
    if principal.role != SCOPED_ROLE:
        return True
    root = app.units.index.get(principal.scope) if principal.scope else None
    if root is None:
        return False
    tin, tout = app.euler
    if tin[root] < 0:
        return row == root
    return bool(tin[root] <= tin[row] < tout[root])
