"""reorg: plan and follow the streamlining of an organization's apparatus.

The Python API for analysts::

    import reorg
    app = reorg.load("path/to/bundle")          # a folder of CSV files or an XLSX workbook
    report = reorg.diagnose(app)                # ranked findings and summary metrics
    plan, why = reorg.propose_territory(app, "commune", reorg.TerritorySpec(minimums={"area_km2": 30}))
    plan, why = reorg.propose_leads(app, reorg.LeadsSpec(max_per_unit=40))  # one lead per task and place
    plan = reorg.Plan.from_json(open("plan.json").read())
    after = reorg.apply(app, plan)              # refuses what breaks an invariant (PlanError)
    print(reorg.diff(app, after).to_dict())
    reorg.write(after, "after.xlsx")
"""

from __future__ import annotations

from reorg.diagnose import DiagnosisConfig, Report, diagnose
from reorg.errors import InputError, NotFoundError, PlanError, ReorgError, StoreError
from reorg.io import load, write
from reorg.model import Apparatus, DatasetInfo
from reorg.optimize.duties import LeadsSpec
from reorg.optimize.duties import propose as propose_leads
from reorg.optimize.territory import TerritorySpec
from reorg.optimize.territory import propose as propose_territory
from reorg.plan import Diff, Plan, Validation, Violation, apply, check, diff, validate

__all__ = [
    "Apparatus",
    "DatasetInfo",
    "DiagnosisConfig",
    "Diff",
    "InputError",
    "LeadsSpec",
    "NotFoundError",
    "Plan",
    "PlanError",
    "ReorgError",
    "Report",
    "StoreError",
    "TerritorySpec",
    "Validation",
    "Violation",
    "apply",
    "check",
    "diagnose",
    "diff",
    "load",
    "propose_leads",
    "propose_territory",
    "validate",
    "write",
]
