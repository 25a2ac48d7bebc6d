"""Each role reaches only what it may: a unit officer sees their subtree only, through every route."""

from __future__ import annotations

from typing import Any


def test_unit_officer_sees_only_their_subtree_in_the_tree_and_search(as_role: Any) -> None:
    """The tree starts at the officer's province; search finds nothing outside it."""
    c, _ = as_role("off")
    top = c.get("/api/datasets/examplia/units").json()
    assert [u["id"] for u in top["units"]] == ["p-north"]
    found = c.get("/api/datasets/examplia/search", params={"q": "province"}).json()
    assert [u["id"] for u in found["units"]] == ["p-north"]


def test_unit_officer_cannot_open_another_subtree_by_any_route(as_role: Any) -> None:
    """Another province's unit is 'not found' on pages and API alike, exactly like a missing one."""
    c, _ = as_role("off")
    for url in (
        "/api/datasets/examplia/units/c-east-1",
        "/units/c-east-1?dataset=examplia",
        "/api/datasets/examplia/units?parent=p-east",
        "/units/children?dataset=examplia&parent=p-east",
        "/api/datasets/examplia/findings?within=p-east",
    ):
        answer = c.get(url)
        assert answer.status_code == 404, url
    missing = c.get("/api/datasets/examplia/units/no-such-unit").json()["message"]
    hidden = c.get("/api/datasets/examplia/units/c-east-1").json()["message"]
    assert missing.replace("no-such-unit", "X") == hidden.replace("c-east-1", "X")
    assert c.get("/api/datasets/examplia/units/c-north-1").status_code == 200


def test_unit_officer_findings_and_dashboard_are_counted_in_the_subtree(as_role: Any) -> None:
    """Findings name units of the officer's subtree only; the dashboard says it is scoped."""
    c, _ = as_role("off")
    listed = c.get("/api/datasets/examplia/findings").json()
    assert listed["total"] >= 1
    for f in listed["findings"]:
        assert any(u == "p-north" or u.startswith(("c-north", "d-north")) for u in f["units"]), f
    data = c.get("/api/datasets/examplia/overview").json()
    assert data["scope"] == "p-north"
    assert data["levels"] == {"province": 1, "department": 2, "commune": 3}


def test_unit_officer_cannot_compare_national_plans(as_role: Any) -> None:
    """National figures of plans are not for a unit officer."""
    c, _ = as_role("off")
    assert c.get("/api/plans/compare", params={"plan": ["merge-north"]}).status_code == 403


def test_expert_reads_the_apparatus_findings_and_plans(as_role: Any) -> None:
    """An expert reads everything that is not personal, nationally."""
    c, _ = as_role("exp")
    assert c.get("/api/datasets/examplia/units/c-east-1").status_code == 200
    assert c.get("/api/datasets/examplia/findings").status_code == 200
    assert c.get("/api/plans/compare", params={"plan": ["merge-north"]}).status_code == 200


def test_personal_data_only_for_roles_that_may_read_it(as_role: Any) -> None:
    """Salaries and birth dates reach an analyst; a reviewer, an expert and a unit officer get counts."""
    analyst, _ = as_role("ann")
    data = analyst.get("/api/datasets/examplia/units/c-north-1").json()
    assert data["people"][0]["salary_coefficient"] is not None
    assert "Salary coefficient" in analyst.get("/units/c-north-1?dataset=examplia").text
    for login in ("rev", "exp", "off"):
        c, _ = as_role(login)
        answer = c.get("/api/datasets/examplia/units/c-north-1")
        assert "people" not in answer.json()
        assert "salary" not in answer.text
        assert answer.json()["positions"]
        assert "Salary coefficient" not in c.get("/units/c-north-1?dataset=examplia").text
