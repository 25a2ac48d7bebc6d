"""The summary report on the fictional Examplia: a store with plans, and readers of the page's and the
workbook's figures so that tests can compare them."""

from __future__ import annotations

import datetime as dt
import re
from datetime import UTC, datetime, timedelta
from importlib.resources import files
from pathlib import Path

import openpyxl

from reorg.plan import Plan
from reorg.report.words import words
from reorg.roadmap.monitor import ProgressReport
from reorg.services import Settings, consult, datasets, open_database, plans, roadmaps, users
from reorg.services.access import Principal
from reorg.services.consult import Opinion

EXAMPLE = Path(str(files("reorg.datasets") / "example"))

#: a unit name that is markup, a formula and an entity at once: shown as text everywhere
MARKED = '<b onmouseover="x()">Maple</b> & =1+1'

#: plans on Examplia: communes merged in the north, in the south, and in the north into a marked name
PLANS = {
    "merge-north": {"units": ["c-north-1", "c-north-2"], "into": {"id": "c-north-12", "name": "Maple-Thorn"}},
    "merge-south": {"units": ["c-south-2", "c-south-3"], "into": {"id": "c-south-23", "name": "Reed Bay"}},
    "marked": {"units": ["c-north-1", "c-north-2"], "into": {"id": "c-north-m", "name": MARKED}},
}

#: the sections of the page (their ids), in order, when another plan is compared
SECTIONS = (
    "overview",
    "apparatus",
    "findings",
    "plan",
    "people",
    "costs",
    "map",
    "compared",
    "differences",
    "roadmap",
    "consultation",
    "monitoring",
)

#: plan ``reform`` on Examplia: two ministries, Northvale's two departments, two communes in the north
#: and two in the south merged (operations 0..3)
REFORM = [
    {
        "op": "merge",
        "units": ["m-fin", "m-home"],
        "into": {"id": "m-fh", "name": "Ministry of Finance and Home"},
    },
    {
        "op": "merge",
        "units": ["d-north-fin", "d-north-agri"],
        "into": {"id": "d-north", "name": "Northvale Dept"},
    },
    {"op": "merge", "units": ["c-north-1", "c-north-2"], "into": {"id": "c-north-12", "name": "Maple-Thorn"}},
    {"op": "merge", "units": ["c-south-2", "c-south-3"], "into": {"id": "c-south-23", "name": "Reed Bay"}},
]

#: its roadmap from 2025-03-01: the ministries take 60 days (the critical path), the north's communes
#: merge 20 days after its departments (30), the south's communes take 14 days
REFORM_ROADMAP = """
plan = "reform"
start = 2025-03-01
derive = true

[[step]]
id = "s1"
name = "merge the ministries"
operations = [0]
owner = "examplia"
level = "ministry"
duration = 60

[[step]]
id = "s2"
name = "merge Northvale's departments"
operations = [1]
owner = "p-north"
level = "department"
duration = 30

[[step]]
id = "s3"
name = "merge Maplebrook and Thornbury"
operations = [2]
owner = "p-north"
level = "commune"
duration = 20
depends = ["s2"]

[[step]]
id = "s4"
name = "merge Reedwater and Lantern Bay"
operations = [3]
owner = "p-south"
level = "commune"
duration = 14
"""


def _report(step: str, day: str, share: float, unit: str, **indicators: float) -> ProgressReport:
    return ProgressReport(
        step, dt.date.fromisoformat(day), share, unit, "", tuple(sorted(indicators.items()))
    )


#: progress to 2025-04-10: s1 on plan, s2 done 6 days early (a good practice), s3 handing tasks back
#: (a regression), s4 past its end at half (late) and its unit silent since 2025-03-10
REFORM_REPORTS = (
    _report("s1", "2025-03-20", 0.3, "examplia"),
    _report("s1", "2025-04-10", 0.7, "examplia"),
    _report("s2", "2025-03-25", 1.0, "p-north"),
    _report("s3", "2025-04-05", 0.1, "p-north", tasks_handed_over=3),
    _report("s3", "2025-04-10", 0.2, "p-north", tasks_handed_over=1),
    _report("s4", "2025-03-10", 0.5, "p-south"),
)

#: who answers the consultation rounds on ``reform`` (login: role, group), and a comment nobody but
#: the round's own pages may show
VOTERS = {
    "alice": ("reviewer", "committee"),
    "bohdan": ("reviewer", "committee"),
    "cuong": ("expert", "experts"),
    "dmytro": ("unit_officer", "agencies"),
}
SECRET_COMMENT = "Comment-Only-In-The-Round"

#: the rows of the people costs the page marks, in the order of the workbook's costs sheet (after the
#: ruleset and the date)
COSTS = (
    "units_formed",
    "candidates",
    "posts",
    "placed",
    "placed_as_leaders",
    "surplus",
    "cost",
    "annual_saving",
)


def store_examplia(db_url: str) -> None:
    """Examplia as dataset ``examplia`` with the PLANS stored on it."""
    with open_database(Settings(db_url=db_url)) as db, db.unit_of_work(actor="test") as uow:
        datasets.import_bundle(uow, path=EXAMPLE, name="examplia")
        for name, merge in PLANS.items():
            plan = Plan.from_dict({"baseline": "examplia", "operations": [{"op": "merge", **merge}]})
            plans.apply_plan(uow, plan=plan, name=name)


def store_reform(db_url: str) -> None:
    """Plan ``reform`` with its roadmap, progress reports and two consultation rounds: round 1 named
    and closed (committee weighing 2, experts, agencies), round 2 anonymous and open; plan
    ``merge-south`` with a roadmap and a seeded synthetic history (store_examplia first)."""
    with open_database(Settings(db_url=db_url)) as db:
        with db.unit_of_work(actor="test") as uow:
            plan = Plan.from_dict({"baseline": "examplia", "operations": REFORM})
            plans.apply_plan(uow, plan=plan, name="reform")
            roadmaps.build_roadmap(uow, plan="reform", start=dt.date(2025, 3, 1), text=REFORM_ROADMAP)
            roadmaps.report_progress(uow, plan="reform", reports=list(REFORM_REPORTS))
            roadmaps.build_roadmap(uow, plan="merge-south", start=dt.date(2025, 3, 1))
            roadmaps.feed_synthetic_history(uow, plan="merge-south", as_of=dt.date(2025, 4, 20), seed=0)
            for login, (role, _) in VOTERS.items():
                scope = "p-north" if role == "unit_officer" else ""
                users.add_user(uow, login=login, password="correct horse battery", role=role, scope=scope)
        analyst = Principal("test", "admin")
        invite = {login: group for login, (_, group) in VOTERS.items()}
        deadline = datetime.now(UTC) + timedelta(days=7)
        with db.unit_of_work(actor="test") as uow:
            first = consult.open_consultation(
                uow,
                viewer=analyst,
                plan="reform",
                question="Merge these units?",
                deadline=deadline,
                invite=invite,
                weights={"committee": 2.0},
            ).record.id
        answers = {
            "alice": (
                Opinion(0, "agree", 5, SECRET_COMMENT),
                Opinion(2, "agree", 4),
                Opinion(3, "disagree", 2),
            ),
            "bohdan": (Opinion(0, "agree", 4), Opinion(2, "agree", 5), Opinion(-1, "agree", 4)),
            "cuong": (Opinion(0, "disagree", 1), Opinion(2, "agree", 4), Opinion(3, "agree", 5)),
            "dmytro": (Opinion(0, "abstain", 3), Opinion(2, "disagree", 2), Opinion(3, "agree", 4)),
        }
        for login, opinions in answers.items():
            with db.unit_of_work(actor=f"web:{login}") as uow:
                viewer = Principal(login, VOTERS[login][0], "p-north" if login == "dmytro" else "")
                consult.answer(uow, viewer=viewer, number=first, opinions=opinions)
        with db.unit_of_work(actor="test") as uow:
            consult.close_consultation(uow, viewer=analyst, number=first)
            second = consult.open_consultation(
                uow,
                viewer=analyst,
                plan="reform",
                question="Is the timing right?",
                deadline=deadline,
                invite={"alice": "committee", "cuong": "experts"},
                operations=[0, 1],
                anonymous=True,
            ).record.id
        with db.unit_of_work(actor="web:cuong") as uow:
            consult.answer(
                uow, viewer=Principal("cuong", "expert"), number=second, opinions=[Opinion(1, "agree", 3)]
            )


def whole(text: str) -> int:
    """A whole number as a page writes it in any language: "1,234", "1.234", "1 234", "−5"."""
    digits = re.sub(r"\D", "", text)
    return -int(digits) if text.strip().startswith(("−", "-")) else int(digits)


def html_totals(html: str) -> dict[str, list[int]]:
    """The numbers of each row the page marks ``data-total="name"``, in order."""
    out = {}
    for name, row in re.findall(r'<tr[^>]*data-total="([^"]+)"[^>]*>(.*?)</tr>', html, re.S):
        out[name] = [whole(cell) for cell in re.findall(r'<td class="num">([^<]*)</td>', row)]
    return out


def xlsx_totals(path: Path, lang: str = "en") -> dict[str, list[int]]:
    """The same figures read from the workbook: the Total rows of the apparatus and operations sheets,
    the people sheet's values and the people costs (sheets found by their position, names being
    translated; amounts rounded to whole units as the page shows them); then the roadmap,
    consultation and monitoring sheets, found by their titles in ``lang`` (shares as tenths of a
    percent, as the page shows them)."""
    book = openpyxl.load_workbook(path, read_only=True)
    sheets = [list(ws.iter_rows(values_only=True)) for ws in book.worksheets]
    titled = {ws.title: rows for ws, rows in zip(book.worksheets, sheets, strict=True)}
    book.close()
    apparatus, operations, people, costs = sheets[1], sheets[6], sheets[8], sheets[9]
    units_total = [r for r in apparatus if len(r) > 1 and isinstance(r[1], int)][-1]
    ops_total = [r for r in operations if len(r) > 1 and isinstance(r[1], int)][-1]
    values = [int(r[1]) for r in people[1:] if len(r) > 1 and isinstance(r[1], int)]
    keys = ("headcount_before", "headcount_after", "moved", "released", "added")
    out = {
        "units": [int(units_total[1]), int(units_total[2]), int(units_total[3])],
        "operations": [int(ops_total[1])],
        **{k: [v] for k, v in zip(keys, values, strict=True)},
        **{k: [round(float(row[1]))] for k, row in zip(COSTS, costs[3:], strict=False)},
    }
    w = words(lang)

    def sheet(key: str) -> list[tuple[object, ...]]:
        return titled.get(w.sheets[key], [])

    def permille(x: object) -> int:
        return round(float(x) * 1000)

    figures = {r[0]: r[1] for r in sheet("roadmap")[1:]}
    for key, label in (
        ("roadmap_steps", "steps"),
        ("roadmap_days", "days"),
        ("critical_steps", "critical_steps"),
        ("boundaries", "boundaries"),
        ("breaks", "breaks"),
    ):
        if w[label] in figures:
            out[key] = [int(figures[w[label]])]
    for r in sheet("consultation")[1:]:
        if len(r) > 8 and isinstance(r[0], int):
            counted = [int(v) for v in r[8:12] if isinstance(v, int)]
            out[f"round_{r[0]}"] = [r[0], int(r[6]), int(r[7]), *counted]
    seen: dict[object, int] = {}
    for r in sheet("consult_groups")[1:]:
        if len(r) > 5 and isinstance(r[0], int):
            seen[r[0]] = seen.get(r[0], 0) + 1
            out[f"round_{r[0]}_group_{seen[r[0]]}"] = [int(r[3]), int(r[4]), int(r[5])]
    monitoring = {r[0]: r[1] for r in sheet("monitoring")[1:] if len(r) > 1}
    for key in ("reports", "synthetic_reports", "deviations", "good_practices"):
        if w[key] in monitoring:
            out[key] = [int(monitoring[w[key]])]
    levels = [r for r in sheet("monitoring_levels")[1:] if len(r) > 4 and isinstance(r[1], int)]
    for i, r in enumerate(levels, start=1):
        name = "all_levels" if i == len(levels) else f"level_{i}"
        out[name] = [int(r[1]), int(r[2]), permille(r[3]), permille(r[4])]
    return out
