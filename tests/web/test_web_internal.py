"""The internal model after a merger from the web app: a background job on a stored merger plan that
stores its plan and shows a row per merged unit; bad fields, plans that merge nothing and unknown
plans are refused clearly; unit officers and reviewers may not propose."""

from __future__ import annotations

from typing import Any

import pytest
from web_kit import NORTHEAST, wait_for_job

from reorg.plan import Plan
from reorg.services import Settings, open_database, plans


@pytest.fixture(scope="module", autouse=True)
def northeast(examplia_url: str) -> None:
    """Plan ``merge-northeast`` stored on Examplia."""
    with open_database(Settings(db_url=examplia_url)) as db, db.unit_of_work(actor="test") as uow:
        plans.apply_plan(uow, plan=Plan.from_dict(NORTHEAST), name="merge-northeast")


def _start(c: Any, token: str, body: dict[str, Any]) -> Any:
    return c.post("/api/proposals/internal", json=body, headers={"X-CSRF-Token": token})


def test_an_internal_model_job_stores_its_plan_and_lists_the_merged_units(as_role: Any) -> None:
    """POST /api/proposals/internal ends done: the plan (the merger's three operations, nothing to
    add) is stored, and the result has Northeast: 4 departments -> 2 -> 2, 14 people against a quota
    of 98, leadership posts 10 -> 5 -> 5."""
    c, token = as_role("ann")
    body = {"dataset": "examplia", "plan": "merge-northeast", "save": "web-internal"}
    answer = _start(c, token, body)
    assert answer.status_code == 202, answer.text
    done = wait_for_job(c, answer.json()["id"])
    assert done["state"] == "done", done
    result: dict[str, Any] = done["result"]  # type: ignore[assignment]
    assert (result["plan"], result["merger"], result["operations"]) == ("web-internal", "merge-northeast", 3)
    (unit,) = result["merged"]
    assert unit["unit"] == "p-ne"
    assert unit["departments"] == [4, 2, 2]
    assert (unit["headcount"], unit["quota"], unit["over_quota"]) == (14, 98.0, False)
    assert unit["leaders"] == [10, 5, 5]
    assert result["internal"]["merged_units"] == 3
    assert c.get("/api/plans/web-internal").status_code == 200
    page = c.get(f"/proposals?job={done['id']}")
    assert "Northeast" in page.text
    assert "4 → 2 → 2" in page.text
    assert "10 → 5 → 5" in page.text


def test_the_page_is_translated(as_role: Any) -> None:
    """The form and the result table read in Vietnamese and Ukrainian."""
    c, token = as_role("ann")
    done = wait_for_job(
        c, _start(c, token, {"dataset": "examplia", "plan": "merge-northeast", "save": "web-i2"}).json()["id"]
    )
    for lang, words in (("vi", "Mô hình nội bộ"), ("uk", "Внутрішня модель")):
        c.post("/language", data={"lang": lang, "csrf": token})
        page = c.get(f"/proposals?job={done['id']}")
        assert words in page.text, lang
    c.post("/language", data={"lang": "en", "csrf": token})


def test_the_form_starts_a_job_and_shows_bad_fields(as_role: Any) -> None:
    """The form redirects to its job; a bad similarity comes back on the form (422) naming the field."""
    c, token = as_role("ada")
    page = c.get("/proposals")
    assert 'action="/proposals/internal"' in page.text
    assert '<option value="merge-northeast">' in page.text
    form = {"csrf": token, "dataset": "examplia", "plan": "merge-northeast", "save": "web-i3"}
    answer = c.post("/proposals/internal", data=form, follow_redirects=False)
    assert answer.status_code == 303
    assert answer.headers["location"].startswith("/proposals?job=")
    bad = c.post("/proposals/internal", data={**form, "min_similarity": "3"})
    assert bad.status_code == 422
    assert "min_similarity" in bad.text


@pytest.mark.parametrize(
    ("plan", "message"),
    [("merge-north", "a plan that merges units"), ("no-such-plan", "no-such-plan")],
)
def test_a_plan_that_merges_no_unit_with_departments_or_an_unknown_plan_fails_clearly(
    as_role: Any, plan: str, message: str
) -> None:
    """merge-north merges two communes, which have no departments: the job ends done with no row;
    with level department it fails naming the plan; an unknown plan fails naming it."""
    c, token = as_role("ann")
    if plan == "merge-north":
        done = wait_for_job(
            c, _start(c, token, {"dataset": "examplia", "plan": plan, "save": "web-i4"}).json()["id"]
        )
        assert done["state"] == "done", done
        assert done["result"]["merged"] == []  # type: ignore[index]
        body = {"dataset": "examplia", "plan": plan, "save": "web-i5", "level": "department"}
    else:
        body = {"dataset": "examplia", "plan": plan, "save": "web-i6"}
    failed = wait_for_job(c, _start(c, token, body).json()["id"])
    assert failed["state"] == "failed"
    assert message in failed["error"]["message"]  # type: ignore[index]


def test_a_reviewer_and_a_unit_officer_may_not_propose(as_role: Any) -> None:
    """A reviewer (no propose) and a unit officer (a plan's merged units are not a subtree) get 403."""
    for login in ("rev", "off"):
        c, token = as_role(login)
        body = {"dataset": "examplia", "plan": "merge-northeast", "save": "no"}
        assert _start(c, token, body).status_code == 403
