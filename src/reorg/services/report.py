"""Use case: the summary report of a reform — a plan on its dataset, compared with other plans — as a
self-contained HTML page and an XLSX workbook in one language.

The figures are computed once into a ``ReportData`` (``reorg.report.data``) and both renderers draw
from it, so the page and the workbook cannot disagree. They are national figures: the viewer needs
``read_national``. See docs/report.md.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from reorg import i18n
from reorg.diagnose import KINDS, SEVERITIES, DiagnosisConfig, Report, diagnose
from reorg.errors import InputError, ReorgError
from reorg.model import Apparatus
from reorg.plan import Diff
from reorg.progress import Progress, report
from reorg.report.data import (
    Costs,
    Count,
    FindingLine,
    MapArea,
    MapData,
    OperationLine,
    PlanFigures,
    ReportData,
)
from reorg.report.reform import write_report
from reorg.report.workbook import write_workbook
from reorg.services import access, comparison, maps, placement, report_tracking
from reorg.services.diagnosis import diagnose_dataset
from reorg.services.memo import memo
from reorg.services.resolve import load_dataset
from reorg.store import UnitOfWork

__all__ = ["FORMATS", "OPERATIONS_SHOWN", "TOP_FINDINGS", "Written", "report_data", "write_reform_report"]

#: operations listed one by one (the count is always exact)
OPERATIONS_SHOWN = 200
#: findings left after the plan that the report spells out
TOP_FINDINGS = 15
#: the file names the report is written under, in its folder
HTML_NAME, XLSX_NAME = "report.html", "report.xlsx"
#: what the report can be written as
FORMATS = ("html", "xlsx")


@dataclasses.dataclass(frozen=True)
class Written:
    """The report of ``data`` in ``lang``, written to ``html`` and ``xlsx`` (None: not asked for)."""

    data: ReportData
    lang: str
    html: Path | None
    xlsx: Path | None

    def file(self, fmt: str) -> Path:
        """The file written in format ``fmt`` (one of FORMATS); a ReorgError when it was not written."""
        path = {"html": self.html, "xlsx": self.xlsx}.get(fmt)
        if path is None:
            raise ReorgError(f"the report was not written as {fmt}")
        return path

    def to_dict(self) -> dict[str, Any]:
        files = {"html": str(self.html) if self.html else None, "xlsx": str(self.xlsx) if self.xlsx else None}
        return {"lang": self.lang, **files, **self.data.to_dict()}


def _details(fields: dict[str, Any]) -> str:
    """An operation's fields but its kind as ``name=value`` pairs (values as JSON)."""
    return "; ".join(
        f"{k}={json.dumps(v, ensure_ascii=False)}"
        for k, v in fields.items()
        if k != "op" and v not in ("", [], {})
    )


def _mapped_level(app: Apparatus, changes: Diff) -> str | None:
    """The territorial level below the root whose unit count the plan changes most (the lower level on a
    tie); None when it changes no territorial level."""
    levels = app.levels
    best: tuple[int, int, str] | None = None
    for row in range(len(levels)):
        name = str(levels.name[row])
        if not levels.territorial[row] or int(levels.rank[row]) == 0 or name not in changes.levels:
            continue
        before, after = changes.levels[name]
        key = (abs(after - before), int(levels.rank[row]), name)
        if key[0] > 0 and (best is None or key[:2] > best[:2]):
            best = key
    return None if best is None else best[2]


def _map(uow: UnitOfWork, dataset: str, level: str, plan: str, progress: Progress | None) -> MapData | None:
    """The map of ``level`` coloured by where each unit went; None when the plan was made on an older
    version of the dataset than the stored newest (the map service maps the newest only)."""
    try:
        drawn = maps.level_map(uow, name=dataset, level=level, plan=plan, progress=progress)
    except InputError:
        return None
    areas = tuple(
        MapArea(
            id=str(p["id"]),
            name=str(p["name"]),
            after_id=str(p.get("after_id") or ""),
            after_name=str(p.get("after_name") or ""),
            estimated=bool(p["estimated"]),
            geometry=f["geometry"],
        )
        for f in drawn.features
        for p in [f["properties"]]
    )
    return MapData(level=level, areas=areas, estimated=drawn.estimated)


def _costs(
    uow: UnitOfWork, dataset: str, plan: str, as_of: dt.date, progress: Progress | None
) -> Costs | None:
    """The placement of the plan's people by merit and the benefits of the surplus under Decree 178
    as amended (``reorg.services.placement``, counts and totals only); None when the dataset has no
    people."""
    placed = placement.place_people(uow, dataset=dataset, plan=plan, as_of=as_of, progress=progress)
    totals = placed.totals()
    if not totals["candidates"] and not totals["slots"]:
        return None
    regimes = sorted(totals["surplus_by_regime"].items(), key=lambda kv: (-kv[1], kv[0]))
    return Costs(
        ruleset=placed.ruleset,
        currency=placed.currency,
        illustrative=placed.illustrative,
        as_of=as_of,
        units=int(totals["units"]),
        candidates=int(totals["candidates"]),
        posts=int(totals["slots"]),
        placed=int(totals["placed"]),
        placed_as_leaders=int(totals["placed_as_leaders"]),
        surplus=int(totals["surplus"]),
        surplus_by_regime=tuple((str(r), int(n)) for r, n in regimes),
        cost=float(totals["cost"]),
        annual_saving=float(totals["annual_saving"]),
        payback_years=None if totals["payback_years"] is None else float(totals["payback_years"]),
    )


def _diagnosed_baseline(uow: UnitOfWork, name: str, version: int, app: Apparatus) -> Report:
    """The default diagnosis of dataset version ``name``@``version`` (shared with the diagnosis use case
    through the memo)."""
    record = uow.datasets.get(name=name, version=version)
    key = (uow.database.url, "diagnosis", record.name, record.version, record.created_at)
    return memo.get(key, lambda: diagnose(app, DiagnosisConfig()))


def _figures(column: comparison.Column) -> PlanFigures:
    changes = column.changes
    return PlanFigures(
        name=column.plan,
        version=column.version,
        baseline=column.baseline,
        operations=column.operations,
        units_after={lv: after for lv, (_, after) in changes.levels.items()},
        headcount_after=changes.headcount[1],
        moved=len(changes.people_moved),
        released=len(changes.people_released),
        findings_after=dict(column.findings_after),
    )


def report_data(
    uow: UnitOfWork,
    *,
    dataset: str | None,
    plan: str,
    compare: Sequence[str] = (),
    viewer: access.Principal,
    as_of: dt.date | None = None,
    progress: Progress | None = None,
) -> ReportData:
    """The figures of the report of stored plan ``plan`` (its newest version), which must have been made
    on dataset ``dataset`` (None: on whichever it was made), compared with the stored plans ``compare``
    (each on its own baseline); the surplus of its people leaves on ``as_of`` (default: today)."""
    access.require(viewer, "read_national")
    record = uow.plans.get(name=plan)  # NotFoundError naming the known plans
    dataset = dataset or record.baseline
    if record.baseline != dataset:
        raise InputError(
            "plan", f"a stored plan made on dataset {dataset}", value=f"{plan} (on {record.baseline})"
        )
    stages = 7
    report(progress, 0, stages, "report: load")
    baseline = load_dataset(uow, name=dataset, version=record.baseline_version, progress=progress)
    the_plan = uow.plans.load(name=plan, version=record.version)
    report(progress, 1, stages, "report: diagnose")
    before = _diagnosed_baseline(uow, dataset, record.baseline_version, baseline)
    after_report = diagnose_dataset(uow, name=plan).report
    report(progress, 2, stages, "report: compare")
    compared = comparison.compare_plans(uow, names=[plan, *compare], viewer=viewer)
    mine = compared.columns[0]
    changes = mine.changes
    report(progress, 3, stages, "report: map")
    level = _mapped_level(baseline, changes)
    drawn = _map(uow, dataset, level, plan, progress) if level is not None else None
    report(progress, 4, stages, "report: people costs")
    costs = _costs(uow, dataset, plan, as_of or dt.date.today(), progress) if len(baseline.people) else None
    report(progress, 5, stages, "report: roadmap, consultation, monitoring")
    roadmap = report_tracking.roadmap_figures(uow, plan=plan, app=baseline, viewer=viewer, progress=progress)
    rounds = report_tracking.consultation_figures(uow, plan=plan, viewer=viewer)
    monitoring = report_tracking.monitoring_figures(uow, plan=plan, viewer=viewer)
    report(progress, 6, stages, "report: figures")
    fb, fa = before.summary, after_report.summary
    info = baseline.info
    ops = the_plan.operations
    data = ReportData(
        dataset=dataset,
        dataset_version=record.baseline_version,
        title=info.name,
        plan=plan,
        plan_version=record.version,
        description=the_plan.description,
        source=info.source,
        synthetic=tuple(info.synthetic),
        levels=tuple(Count(lv, b, a) for lv, (b, a) in changes.levels.items()),
        kinds=tuple(
            Count(k, b, a, level=lv) for lv, kinds in changes.kinds.items() for k, (b, a) in kinds.items()
        ),
        findings_by_kind=tuple(Count(k, fb.findings.get(k, 0), fa.findings.get(k, 0)) for k in KINDS),
        findings_by_severity=tuple(
            Count(s, fb.findings_by_severity.get(s, 0), fa.findings_by_severity.get(s, 0)) for s in SEVERITIES
        ),
        top_findings=tuple(
            FindingLine(f.kind, f.severity, f.template, dict(f.params), f.explanation)
            for f in after_report.findings[:TOP_FINDINGS]
        ),
        operations_by_kind=tuple(Counter(op.op for op in ops).items()),
        operations=tuple(
            OperationLine(i, op.op, _details(op.to_dict())) for i, op in enumerate(ops[:OPERATIONS_SHOWN])
        ),
        operations_total=len(ops),
        headcount=changes.headcount,
        moved=len(changes.people_moved),
        released=len(changes.people_released),
        added=len(changes.people_added),
        plans=tuple(_figures(c) for c in compared.columns),
        plan_levels=compared.levels,
        map=drawn,
        costs=costs,
        roadmap=roadmap,
        consultations=rounds,
        monitoring=monitoring,
    )
    report(progress, stages, stages, "report: done")
    return data


def write_reform_report(
    uow: UnitOfWork,
    *,
    dataset: str | None,
    plan: str,
    compare: Sequence[str] = (),
    lang: str,
    out: Path,
    viewer: access.Principal,
    formats: Sequence[str] = FORMATS,
    as_of: dt.date | None = None,
    progress: Progress | None = None,
) -> Written:
    """The report of ``plan`` (see ``report_data``) written in ``lang`` (en, vi or uk) into folder
    ``out`` as ``report.html`` and ``report.xlsx`` (those of ``formats`` only)."""
    if not formats or not set(formats) <= set(FORMATS):
        raise InputError("report formats", f"some of {', '.join(FORMATS)}", value=", ".join(formats))
    if lang not in i18n.LANGUAGES:
        raise InputError("--lang", f"one of {', '.join(i18n.LANGUAGES)}", value=lang)
    if out.exists() and not out.is_dir():
        raise ReorgError(f"cannot write into {out}: it is a file (name a folder)")
    data = report_data(
        uow, dataset=dataset, plan=plan, compare=compare, viewer=viewer, as_of=as_of, progress=progress
    )
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ReorgError(f"cannot write into {out}: {exc.strerror}") from None
    html = write_report(data, lang, out / HTML_NAME) if "html" in formats else None
    xlsx = write_workbook(data, lang, out / XLSX_NAME) if "xlsx" in formats else None
    return Written(data, lang, html, xlsx)
