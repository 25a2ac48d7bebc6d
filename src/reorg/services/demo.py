"""The main job on the built-in data: what ``make demo`` and ``reorg demo`` run.

Build (or reuse) ``vietnam-2024`` and its ``enacted-2025`` plan in the store, diagnose the baseline,
apply the enacted plan and the proposals of the optimizers, diagnose each result, compare them with
the baseline, draw the internal model after the enacted mergers, lay the enacted plan out in time
and follow it on a synthetic progress history, and write one self-contained HTML summary (plus the
diagnosis as JSON) to the output folder.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import secrets
import shutil
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import numpy as np

from reorg.datasets import vietnam
from reorg.datasets.vietnam.scenario import Proposal, central_merge_proposal, territory_proposal
from reorg.diagnose import Report, diagnose
from reorg.model import Apparatus, level_rows
from reorg.optimize.merge import MergeSpec
from reorg.plan import Plan, apply, diff
from reorg.progress import Progress
from reorg.report.html import Figure, Section, write
from reorg.report.summary import (
    Comparison,
    EnsembleRow,
    ensemble_section,
    internal_section,
    placement_section,
    roadmap_section,
    summary_page,
)
from reorg.services import ensembles, roadmaps, users
from reorg.services.builtin import store_built
from reorg.services.merge import propose_internal_model
from reorg.services.placement import place_people
from reorg.services.report_tracking import monitoring_figures, roadmap_figures
from reorg.services.resolve import load_dataset
from reorg.store import UnitOfWork

__all__ = ["DemoResult", "Step", "run_demo"]

#: the day the surplus of the enacted plan leaves (the reform's communes started on 1 July 2025)
PLACED_ON = dt.date(2025, 7, 1)

#: the login of the web user the demo makes
DEMO_LOGIN = "demo"

#: the first day of the enacted plan's roadmap, and the date of the synthetic progress history
ROADMAP_START = dt.date(2025, 3, 1)
HISTORY_AS_OF = dt.date(2025, 7, 30)

ENACTED = (
    "The reform as decided in 2025 (Resolutions 176 and 202/2025/QH15 and the NASC commune resolutions)."
)


@dataclasses.dataclass(frozen=True)
class Step:
    """One step of the demo: what was done, how long it took (s), and its result in a few words."""

    name: str
    seconds: float
    result: str


@dataclasses.dataclass(frozen=True)
class DemoResult:
    steps: tuple[Step, ...]
    summary: Path
    diagnosis_json: Path
    plans: tuple[str, ...]
    #: who signs in to the web app (``reorg serve``) on the demo's data, with the password set by this run
    web_login: str = DEMO_LOGIN
    web_password: str = ""


class _Steps:
    def __init__(self) -> None:
        self.done: list[Step] = []

    @contextmanager
    def step(self, name: str) -> Iterator[list[str]]:
        """Time a step; the body appends its one-line result to the yielded list."""
        started = time.perf_counter()
        result: list[str] = []
        yield result
        self.done.append(Step(name, time.perf_counter() - started, "; ".join(result)))


def _web_user(uow: UnitOfWork) -> tuple[str, str]:
    """The demo's web user (an admin), with a fresh random password each run: the store is the user's
    own, and the password is shown once, at the end of the demo."""
    password = secrets.token_urlsafe(12)
    if any(u.login == DEMO_LOGIN for u in users.list_users(uow)):
        users.set_password(uow, login=DEMO_LOGIN, password=password)
        users.enable_user(uow, login=DEMO_LOGIN)
    else:
        users.add_user(uow, login=DEMO_LOGIN, password=password, role="admin", display_name="Demo")
    return DEMO_LOGIN, password


def _finding_counts(report: Report) -> dict[str, int]:
    return dict(report.summary.findings)


def _below_change(before: Report, after: Report) -> str:
    """Units below the standard of their kind, before -> after, per level and kind (one line)."""
    b, a = before.summary.standards.below_by_kind, after.summary.standards.below_by_kind
    kinds = list(dict.fromkeys([*b, *a]))
    return "below standard: " + ", ".join(f"{k} {b.get(k, 0):,}->{a.get(k, 0):,}" for k in kinds)


def _ensure_dataset(
    uow: UnitOfWork, scale: float, seed: int, rebuild: bool, progress: Progress | None
) -> str:
    """Reuse the stored vietnam-2024 when it was built with the same scale, seed and builder revision;
    otherwise build and store a new version with its reference plan (older versions stay: datasets are
    immutable)."""
    if uow.datasets.exists(name=vietnam.NAME) and not rebuild:
        stored = uow.datasets.get(name=vietnam.NAME).info
        wanted = vietnam.info(scale=scale, seed=seed)
        if (stored.description, stored.source) == (wanted.description, wanted.source):
            return f"reused {vietnam.NAME} from the store"
    built = vietnam.build(scale=scale, seed=seed, progress=progress)
    record, _ = store_built(uow, built, vietnam.enacted_plan(built), progress=progress)
    return f"built and stored {record.name} version {record.version} ({len(built.people):,} synthetic people)"


def _keep(uow: UnitOfWork, plan: Plan) -> str:
    """Store ``plan`` under its name unless the store already holds the same plan (so that repeated
    demos do not pile up identical versions); says which."""
    if uow.plans.exists(name=plan.name) and uow.plans.load(name=plan.name).to_dict() == plan.to_dict():
        return f"plan {plan.name} unchanged in the store"
    record = uow.plans.create(plan, name=plan.name)
    return f"stored as plan {record.name} version {record.version}"


def _roadmap(
    uow: UnitOfWork, app: Apparatus, seed: int, progress: Progress | None
) -> tuple[str, Section | None]:
    """Build and check the enacted plan's roadmap, feed it a synthetic history to two thirds of its
    time (at most ``HISTORY_AS_OF``, so that steps are still under way); one line on both, and the
    summary page's section (Gantt chart of the levels, continuity, status as of the history's last
    report)."""
    built = roadmaps.build_roadmap(uow, plan=vietnam.PLAN_NAME, start=ROADMAP_START, progress=progress)
    c = built.continuity
    checked = "continuity holds at every step" if c.ok else f"{len(c.breaks)} steps break continuity"
    as_of = min(HISTORY_AS_OF, ROADMAP_START + dt.timedelta(days=built.days * 2 // 3))
    fed = roadmaps.feed_synthetic_history(uow, plan=vietnam.PLAN_NAME, as_of=as_of, seed=seed)
    st = roadmaps.monitor_status(uow, plan=vietnam.PLAN_NAME, as_of=as_of).status
    found: dict[str, int] = {}
    for d in st.deviations:
        found[d.kind] = found.get(d.kind, 0) + 1
    kinds = ", ".join(f"{n} {k}" for k, n in sorted(found.items()))
    line = (
        f"{built.record.steps:,} steps over {built.days} days, {checked}; {fed.stored:,} synthetic reports "
        f"to {as_of.isoformat()}: {st.overall.share:.0%} done ({st.overall.expected:.0%} planned), "
        f"{len(st.deviations)} deviations ({kinds}), {len(st.good_practices)} good practices "
        "(/roadmap, /monitor)"
    )
    figures = roadmap_figures(uow, plan=vietnam.PLAN_NAME, app=app, progress=progress)
    if figures is None:
        return line, None
    monitoring = monitoring_figures(uow, plan=vietnam.PLAN_NAME)
    return line, roadmap_section(vietnam.PLAN_NAME, figures, monitoring)


#: the demo's ensemble: chains, steps per chain, every THIN-th step recorded (a few tens of seconds on
#: two cores; docs/ensembles.md)
ENSEMBLE_CHAINS, ENSEMBLE_STEPS, ENSEMBLE_THIN = 2, 2000, 10
#: the proposal the ensemble starts from: the territory optimizer's communes (a valid division)
ENSEMBLE_START = "proposed-communes"


def _ensemble(
    uow: UnitOfWork, applied: dict[str, Apparatus], out: Path, seed: int, progress: Progress | None
) -> tuple[str, *tuple[Section, ...]]:
    """ReCom chains over the divisions of the communes into the enacted provinces (contiguous, nested,
    as many new communes per province as the start has, each within the population range of the
    start's new communes: without a bound, ReCom lets a few regions grow without limit), from the
    optimizer's proposal; where the enacted commune mapping falls on each measure. One line, and the
    summary page's section."""
    if ENSEMBLE_START not in applied:
        return ("skipped: no territorial proposal to start from",)
    shutil.rmtree(out, ignore_errors=True)  # the demo's own run of last time
    start = applied[ENSEMBLE_START]
    pops = start.units.population[level_rows(start)["commune"]]
    low, high = float(np.nanmin(pops)), float(np.nanmax(pops))
    run = ensembles.run_ensemble(
        uow,
        dataset=vietnam.NAME,
        level="commune",
        spec={"nest_by": "province", "minimums": {"population": low}, "maximums": {"population": high}},
        nest_in=vietnam.PLAN_NAME,
        start=ENSEMBLE_START,
        start_after=start,
        steps=ENSEMBLE_STEPS,
        chains=ENSEMBLE_CHAINS,
        thin=ENSEMBLE_THIN,
        batch=ENSEMBLE_STEPS // 4,
        out=out,
        seed=seed,
        workers=2,
        progress=progress,
    )
    placed = ensembles.compare_plan(uow, folder=out, plan=vietnam.PLAN_NAME, after=applied[vietnam.PLAN_NAME])
    rhat = {m.name: m.rhat for m in run.measures}
    rows = [
        EnsembleRow(r.name, r.value, r.percentile, r.counts, r.edges, rhat.get(r.name, float("nan")))
        for r in placed.rows
    ]
    acceptance = sum(run.acceptance) / len(run.acceptance)
    lead = (
        f"{ENSEMBLE_CHAINS} ReCom chains of {ENSEMBLE_STEPS:,} steps from {ENSEMBLE_START}: divisions of the "
        "communes into contiguous new communes nested in the 34 enacted provinces, as many per province as "
        f"the start has, each of {low:,.0f} to {high:,.0f} people (the range of the start's new communes) "
        f"(run folder {out}; docs/ensembles.md). The enacted mapping is measured on the same units; it is "
        "not itself contiguous in the dataset's neighbour graph everywhere, nor bound by that range."
    )
    section = ensemble_section(
        vietnam.PLAN_NAME,
        rows,
        chains=ENSEMBLE_CHAINS,
        steps=ENSEMBLE_STEPS,
        draws=placed.draws,
        acceptance=acceptance,
        lead=lead,
    )
    extreme = sum(1 for r in placed.rows if r.percentile <= 2.5 or r.percentile >= 97.5)
    summary = (
        f"{ENSEMBLE_CHAINS}x{ENSEMBLE_STEPS:,} steps, acceptance {acceptance:.0%}; {vietnam.PLAN_NAME} "
        f"outside the central 95% on {extreme} of {len(placed.rows)} measures"
    )
    return (summary, section)


def run_demo(
    uow: UnitOfWork,
    out: Path,
    *,
    scale: float = vietnam.DEFAULT_SCALE,
    seed: int = 0,
    rebuild: bool = False,
    progress: Progress | None = None,
    proposals: tuple[Callable[[Apparatus, Plan, int], Proposal], ...] = (
        territory_proposal,
        central_merge_proposal,
    ),
) -> DemoResult:
    """Run the whole demo in the unit of work ``uow`` and write its outputs under ``out``."""
    steps = _Steps()
    with steps.step("dataset") as say:
        say.append(_ensure_dataset(uow, scale, seed, rebuild, progress))
    with steps.step("load") as say:
        baseline = load_dataset(uow, name=vietnam.NAME, progress=progress)
        enacted = uow.plans.load(name=vietnam.PLAN_NAME)
        say.append(f"{len(baseline.units):,} units, {len(baseline.people):,} people (synthetic)")
    with steps.step("diagnose baseline") as say:
        report = diagnose(baseline, progress=progress)
        say.append(f"{len(report.findings):,} findings reported")
    comparisons: list[Comparison] = []
    applied: dict[str, Apparatus] = {}
    plans: list[tuple[Plan, str, Sequence[Figure]]] = [(enacted, ENACTED, ())]
    for make in proposals:
        with steps.step(f"propose: {make.__name__}") as say:
            proposal = make(baseline, enacted, seed)
            say.append(proposal.summary)
            say.append(_keep(uow, proposal.plan))
        plans.append((proposal.plan, proposal.description, proposal.figures))
    for plan, description, figures in plans:
        with steps.step(f"apply {plan.name}") as say:
            after = applied[plan.name] = apply(baseline, plan, progress=progress)
            changes = diff(baseline, after)
            after_report = diagnose(after)
            per_level = ", ".join(f"{lv} {a:,}->{b:,}" for lv, (a, b) in changes.levels.items() if a != b)
            say.append(per_level)
            say.append(_below_change(report, after_report))
        comparisons.append(
            Comparison(
                name=plan.name,
                description=description,
                diff=changes,
                figures=tuple(figures),
                findings_before=_finding_counts(report),
                findings_after=_finding_counts(after_report),
                standards_before=report.summary.standards,
                standards_after=after_report.summary.standards,
            )
        )
    with steps.step("ensemble of commune divisions") as say:
        ensemble = _ensemble(uow, applied, out / "ensemble", seed, progress)
        say.append(ensemble[0])
    with steps.step(f"place people under {vietnam.PLAN_NAME}") as say:
        placed = place_people(
            uow, dataset=vietnam.NAME, plan=vietnam.PLAN_NAME, as_of=PLACED_ON, progress=progress
        )
        totals = placed.totals()
        say.append(
            f"{totals['placed']:,} placed, {totals['surplus']:,} surplus (synthetic people); benefits "
            f"{totals['cost']:,.0f} {placed.currency}, payroll saved {totals['annual_saving']:,.0f}/year"
        )
        people = placement_section(
            vietnam.PLAN_NAME,
            totals,
            currency=placed.currency,
            ruleset=placed.ruleset,
            synthetic="people" in baseline.info.synthetic,
        )
    with steps.step(f"internal model under {vietnam.PLAN_NAME}") as say:
        internal = propose_internal_model(
            uow, dataset=vietnam.NAME, plan=vietnam.PLAN_NAME, spec=MergeSpec(), progress=progress
        ).explanation
        t = internal.totals
        say.append(
            f"{int(t['with_departments'])} of {int(t['merged_units']):,} merged units have departments: "
            f"{int(t['departments_before']):,} -> {int(t['departments_merged']):,} -> "
            f"{int(t['departments_after']):,}; leadership posts {int(t['leaders_before']):,} -> "
            f"{int(t['leaders_after']):,}"
        )
        inside = internal_section(vietnam.PLAN_NAME, internal, synthetic="people" in baseline.info.synthetic)
    with steps.step("roadmap") as say:
        line, timeline = _roadmap(uow, baseline, seed, progress)
        say.append(line)
    with steps.step("report") as say:
        page = summary_page(
            baseline,
            report,
            comparisons,
            sources=(baseline.info.source,),
            extra=(people, inside, *((timeline,) if timeline is not None else ()), *ensemble[1:]),
            branches=vietnam.BRANCHES,
        )
        summary = write(page, out / "summary.html")
        diagnosis_json = out / "diagnosis.json"
        diagnosis_json.write_text(
            json.dumps(report.to_dict(), ensure_ascii=False, indent=1), encoding="utf-8"
        )
        say.append(str(summary))
    with steps.step("web user") as say:
        login, password = _web_user(uow)
        say.append(f"{login} (admin) may sign in to reorg serve")
    names = tuple(p.name for p, _, _ in plans)
    return DemoResult(tuple(steps.done), summary, diagnosis_json, names, login, password)
