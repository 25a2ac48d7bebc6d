"""The report use case: national figures only for those who may read them, a plan on its own dataset,
one of the three languages, and the two files written."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from report_kit import store_examplia
from roadmap_kit import START, apparatus, handover_plan
from store_kit import create_dataset

from reorg.errors import ForbiddenError, InputError, NotFoundError, ReorgError
from reorg.plan import Plan
from reorg.report.words import words
from reorg.roadmap import Roadmap, Step
from reorg.roadmap.fileformat import dumps
from reorg.services import Settings, access, open_database, roadmaps
from reorg.services.report import write_reform_report
from reorg.store import Database


@pytest.fixture(scope="module")
def url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('report-service') / 's.db'}"
    store_examplia(url)
    return url


def write(url: str, out: Path, **kw: object) -> object:
    args: dict[str, object] = {"dataset": "examplia", "plan": "merge-north", "lang": "en", "out": out}
    args.update(kw)
    args.setdefault("viewer", access.Principal("rev", "reviewer"))
    with open_database(Settings(db_url=url)) as db, db.unit_of_work(actor="t", readonly=True) as uow:
        return write_reform_report(uow, **args)  # type: ignore[arg-type]


def test_a_reviewer_gets_both_files(url: str, tmp_path: Path) -> None:
    """A reviewer may read national figures: report.html and report.xlsx are written into the folder."""
    written = write(url, tmp_path / "out")
    assert (tmp_path / "out" / "report.html").is_file()
    assert (tmp_path / "out" / "report.xlsx").is_file()
    assert written.to_dict()["plans"][0]["name"] == "merge-north"  # type: ignore[attr-defined]


def test_one_format_only(url: str, tmp_path: Path) -> None:
    """Asking for the workbook only writes the workbook; asking for neither is refused."""
    written = write(url, tmp_path, formats=("xlsx",))
    assert written.html is None
    assert written.file("xlsx").is_file()
    assert not (tmp_path / "report.html").exists()
    with pytest.raises(InputError):
        write(url, tmp_path, formats=("pdf",))


def test_a_unit_officer_may_not(url: str, tmp_path: Path) -> None:
    """A unit officer sees their subtree only: the national report is refused, nothing is written."""
    with pytest.raises(ForbiddenError):
        write(url, tmp_path / "out", viewer=access.Principal("off", "unit_officer", "p-north"))
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    ("kw", "message"),
    [
        ({"dataset": "other"}, "made on dataset other"),
        ({"lang": "fr"}, "en, vi, uk"),
        ({"compare": ["examplia"]}, "not datasets"),
    ],
)
def test_bad_requests_are_one_line_errors(
    url: str, tmp_path: Path, kw: dict[str, object], message: str
) -> None:
    """An unknown plan, a plan of another dataset, an unknown language, a dataset to compare with: each a
    clear input error."""
    with pytest.raises(InputError, match=message):
        write(url, tmp_path, **kw)


def test_an_unknown_plan_is_not_found(url: str, tmp_path: Path) -> None:
    """A plan that is not stored is a NotFoundError naming the known plans."""
    with pytest.raises(NotFoundError, match="no plan 'nothing'"):
        write(url, tmp_path, plan="nothing")


def test_a_file_in_place_of_the_folder(url: str, tmp_path: Path) -> None:
    """An --out that is a file is refused with its name."""
    (tmp_path / "f").write_text("x")
    with pytest.raises(ReorgError, match="it is a file"):
        write(url, tmp_path / "f")


def test_a_roadmap_that_breaks_continuity_is_reported_with_its_fix(tmp_path: Path) -> None:
    """On the roadmap kit's apparatus, c45 taking over c6's registry before c4 and c5 merge into it:
    the report names the first break (the step, its date, the rule, the unit it lacks) and the
    reordering that removes it, in the page's language and in the workbook."""
    url = f"sqlite:///{tmp_path / 'kit.db'}"
    with Database(url) as store:
        create_dataset(store, apparatus(), name="kit")
        with store.unit_of_work(actor="test") as uow:
            uow.plans.create(Plan("kit", handover_plan().operations[5:], name="c45", require=()), name="c45")
            steps = (
                Step("move", "c45 leads registry for c6", (1,), "p2", "commune", 5),
                Step("merge", "merge c4 and c5", (0,), "d2", "commune", 30),
            )
            text = dumps(Roadmap("c45", START, steps, False))
            roadmaps.build_roadmap(uow, plan="c45", start=START, text=text)
    written = write(url, tmp_path / "out", dataset="kit", plan="c45", lang="uk")
    r = written.data.roadmap  # type: ignore[attr-defined]
    assert (r.breaks, r.continuous) == (1, False)
    b = r.first_break
    assert (b.step, b.date.isoformat(), b.invariant, b.ids) == ("move", "2025-03-06", "operation", ("c45",))
    assert (b.fix, b.fix_after) == ("reorder", "merge")
    html = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    assert "Безперервність уперше порушено" in html
    assert "Виправлення: перенесіть крок move після кроку merge." in html
    book = openpyxl.load_workbook(tmp_path / "out" / "report.xlsx", read_only=True)
    rows = list(book[words("uk").sheets["roadmap"]].iter_rows(values_only=True))
    book.close()
    assert ("Перше порушення: Запропоноване виправлення", "reorder: move → merge") in rows
