"""The built-in Vietnam case: dataset ``vietnam-2024`` and the enacted reform plan ``enacted-2025``.

``build()`` returns Vietnam's apparatus before the 2025 reform: the Government and its 30 bodies, 63
provinces with 18 generic departments each, 696 districts with 12 generic offices each and 10,035
communes, from the ``vietnamadminunits`` package (MIT) and the facts cited in this package's README.md;
and the other branches of the political system (``structure.BRANCHES``): the Party's central bodies,
the National Assembly's bodies, the Fatherland Front and the mass organisations, and the Party and Front
committees of every province, district and commune.
Commune areas, commune populations and neighbours are estimates; staff and their results are
SYNTHETIC. ``enacted_plan()`` is the reform as decided (63 -> 34 provinces, no districts, 3,321 communes,
30 -> 22 central bodies; 7 -> 5 Party commissions, 10 -> 8 NA council and committees, the mass
organisations under the Front, district Party committees ended, provincial ones merged, commune ones
following the communes). README.md
says what is real, what is estimated and how, and what is synthetic.
"""

from __future__ import annotations

from reorg.datasets.vietnam import catalogue, reform, source, staff, structure, territory
from reorg.datasets.vietnam.structure import BRANCHES
from reorg.errors import PlanError
from reorg.model import Apparatus, DatasetInfo
from reorg.plan.operations import Plan
from reorg.progress import Progress, report

__all__ = [
    "BRANCHES",
    "DEFAULT_SCALE",
    "MAX_SCALE",
    "NAME",
    "PLAN_NAME",
    "REVISION",
    "SYNTHETIC",
    "build",
    "enacted_plan",
    "info",
]

NAME = "vietnam-2024"
PLAN_NAME = "enacted-2025"
#: people per unit relative to the staffing norms (1 = about 2 million people)
DEFAULT_SCALE = 0.02
MAX_SCALE = 1.0
SYNTHETIC = ("people", "results")
#: revision of this builder: bump it when the data it builds changes, so that stored copies built by an
#: older revision are recognised as stale (``reorg demo`` rebuilds them)
REVISION = 6  # 3: commune island class, standards by kind and class; 4: Party, NA and Front branches;
# 5: commune Party and Front committees; 6: the committees' and central bodies' levels are attached


def info(*, scale: float = DEFAULT_SCALE, seed: int = 0) -> DatasetInfo:
    """The dataset's description, source and synthetic parts."""
    return DatasetInfo(
        name=NAME,
        description=(
            "Vietnam's political system before the 2025 reform: the Government's 30 bodies, 63 provinces, "
            "696 districts, 10,035 communes, with generic provincial departments and district offices; "
            "the Party's central bodies, the National Assembly's bodies, the Fatherland Front and mass "
            "organisations, and the Party and Front committees of provinces, districts and communes. "
            "Commune areas, populations and neighbours are estimates. Unit kinds are the package's types; "
            "the island class (island_km2) is derived: the communes that went into a 2025 special zone; "
            "no unit is marked mountainous (the source does not say which are). Standards per kind and "
            "class: NASC Res. 112/2025. People and results are SYNTHETIC "
            f"(staffing norms x scale {scale:g}, seed {seed})."
        ),
        source=(
            f"{source.PACKAGE} {source.load().version} (MIT; GSO, sapnhap.bando.com.vn, Google Geocoding) "
            "and the official sources cited in reorg/datasets/vietnam/README.md "
            f"(builder revision {REVISION})"
        ),
        synthetic=SYNTHETIC,
    )


def build(*, scale: float = DEFAULT_SCALE, seed: int = 0, progress: Progress | None = None) -> Apparatus:
    """Dataset ``vietnam-2024``; people per unit = synthetic norm x ``scale`` (0 < scale <= 1; 1 gives
    about 2 million people). Same scale and seed -> identical output."""
    if not 0 < scale <= MAX_SCALE:
        raise ValueError(f"scale must lie in (0, {MAX_SCALE:g}], got {scale}")
    report(progress, 0, 3, "building vietnam-2024")
    territory.load()
    report(progress, 1, 3, "building vietnam-2024")
    base = structure.load()
    report(progress, 2, 3, "building vietnam-2024")
    app = staff.generate(base, scale=scale, seed=seed).with_info(info(scale=scale, seed=seed))
    report(progress, 3, 3, "building vietnam-2024")
    return app


def enacted_plan(app: Apparatus | None = None) -> Plan:
    """Plan ``enacted-2025`` against ``vietnam-2024``. With ``app``, raises PlanError if the plan names
    units that ``app`` lacks (the plan does not depend on the staff scale or seed)."""
    plan = Plan(
        baseline=NAME,
        operations=reform.operations(territory.load(), catalogue.load()),
        name=PLAN_NAME,
        description=(
            "The 2025 reform as enacted: Party commissions 7 -> 5 and new Party committees under the "
            "Central Committee (Conclusion 121-KL/TW), NA council and committees 10 -> 8 (Res. "
            "178/2025/QH15), 30 -> 22 central bodies (Res. 176/2025/QH15), mass organisations under the "
            "Front (Law 97/2025/QH15), 63 -> 34 provinces and provincial Party committees (Res. "
            "202/2025/QH15), district level and district Party committees ended and 10,035 -> 3,321 "
            "communes, their Party and Front committees following them (from 1 July 2025)."
        ),
        require=(),
    )
    if app is not None:
        missing = reform.missing_ids(plan, app)
        if missing:
            shown = ", ".join(missing[:5]) + (f" and {len(missing) - 5} more" if len(missing) > 5 else "")
            raise PlanError(f"{PLAN_NAME} names units that {app.info.name or 'the apparatus'} lacks: {shown}")
    return plan
