"""The summary report on the fictional Examplia: a store with plans, and readers of the page's and the
workbook's figures so that tests can compare them."""

from __future__ import annotations

import re
from importlib.resources import files
from pathlib import Path

import openpyxl

from reorg.plan import Plan
from reorg.services import Settings, datasets, open_database, plans

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
    "not-yet",
)

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


def xlsx_totals(path: Path) -> dict[str, list[int]]:
    """The same figures read from the workbook: the Total rows of the apparatus and operations sheets,
    the people sheet's values and the people costs (sheets found by their position, names being
    translated; amounts rounded to whole units as the page shows them)."""
    book = openpyxl.load_workbook(path, read_only=True)
    sheets = [list(ws.iter_rows(values_only=True)) for ws in book.worksheets]
    book.close()
    apparatus, operations, people, costs = sheets[1], sheets[6], sheets[8], sheets[9]
    units_total = [r for r in apparatus if len(r) > 1 and isinstance(r[1], int)][-1]
    ops_total = [r for r in operations if len(r) > 1 and isinstance(r[1], int)][-1]
    values = [int(r[1]) for r in people[1:] if len(r) > 1 and isinstance(r[1], int)]
    keys = ("headcount_before", "headcount_after", "moved", "released", "added")
    return {
        "units": [int(units_total[1]), int(units_total[2]), int(units_total[3])],
        "operations": [int(ops_total[1])],
        **{k: [v] for k, v in zip(keys, values, strict=True)},
        **{k: [round(float(row[1]))] for k, row in zip(COSTS, costs[3:], strict=False)},
    }
