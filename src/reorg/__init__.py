"""reorg: plan and follow the streamlining of an organization's apparatus.

The Python API for analysts::

    import reorg
    app = reorg.load("path/to/bundle")      # a folder of CSV files or an XLSX workbook
    plan = reorg.Plan.from_json(text)
    after = reorg.apply(app, plan)
"""

from __future__ import annotations

from reorg.errors import InputError, NotFoundError, PlanError, ReorgError, StoreError
from reorg.model import Apparatus, DatasetInfo
from reorg.plan.operations import Plan

__all__ = [
    "Apparatus",
    "DatasetInfo",
    "InputError",
    "NotFoundError",
    "Plan",
    "PlanError",
    "ReorgError",
    "StoreError",
]
