"""The built-in datasets, by name: how to build each and its reference plan.

``vietnam-2024`` is stored with plan ``enacted-2025``; its people and results are synthetic.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from reorg.errors import InputError, NotFoundError
from reorg.model import Apparatus
from reorg.plan.operations import Plan
from reorg.progress import Progress

__all__ = ["BUILT_IN", "BuiltIn", "built_in"]


@dataclasses.dataclass(frozen=True)
class BuiltIn:
    """A built-in dataset: ``build(scale, seed, progress)`` gives it and its reference plan; ``scale``
    (people per unit against the staffing norms) lies in (0, ``max_scale``]."""

    name: str
    description: str
    default_scale: float
    max_scale: float
    build: Callable[[float, int, Progress | None], tuple[Apparatus, Plan]]

    def check_scale(self, scale: float) -> float:
        if not 0 < scale <= self.max_scale:
            raise InputError(
                "--scale", f"a number greater than 0 and at most {self.max_scale:g}", value=str(scale)
            )
        return scale


def _vietnam(scale: float, seed: int, progress: Progress | None) -> tuple[Apparatus, Plan]:
    from reorg.datasets import vietnam  # builds from a package's data: imported when used

    built = vietnam.build(scale=scale, seed=seed, progress=progress)
    return built, vietnam.enacted_plan(built)


def _registry() -> dict[str, BuiltIn]:
    from reorg.datasets.vietnam import DEFAULT_SCALE, MAX_SCALE, NAME

    vietnam = BuiltIn(
        NAME,
        "Vietnam's apparatus before the 2025 reform, with the enacted plan enacted-2025 (staff synthetic)",
        DEFAULT_SCALE,
        MAX_SCALE,
        _vietnam,
    )
    return {vietnam.name: vietnam}


BUILT_IN: dict[str, BuiltIn] = _registry()


def built_in(name: str) -> BuiltIn:
    """The built-in dataset ``name`` (NotFoundError listing the others)."""
    found = BUILT_IN.get(name)
    if found is None:
        raise NotFoundError(f"no built-in dataset {name!r}; there is {', '.join(BUILT_IN)}")
    return found
