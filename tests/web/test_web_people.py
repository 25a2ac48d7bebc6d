"""The people pages and their API on Examplia: evaluation aggregates for everyone who may read, the lists
only for roles with read_personal, and a plan's placement computed in the request."""

from __future__ import annotations

import time
from typing import Any


def test_people_page_shows_ratings_per_level_and_unit(as_role: Any) -> None:
    """Everyone who may read sees the counts per level of unit and per unit, and the plans to place."""
    c, _ = as_role("rev")
    page = c.get("/people?dataset=examplia")
    assert page.status_code == 200
    assert "Ratings per level" in page.text
    assert "merge-north" in page.text
    data = c.get("/api/people/examplia").json()
    assert data["totals"]["people"] == 58
    assert sum(row["excellent"] + row["good"] + row["completed"] + row["not_completed"] + row["unrated"]
               for row in data["by_level"]) == 58  # fmt: skip
    assert "screening" not in data
    assert "talent" not in data


def test_lists_only_with_read_personal(as_role: Any) -> None:
    """An analyst sees who is on the lists; a reviewer sees counts only, on the page and in the API."""
    ann, _ = as_role("ann")
    data = ann.get("/api/people/examplia").json()
    assert data["personal"] is True
    assert len(data["talent"]) == data["totals"]["talent"]
    shown = {r["id"] for r in data["screening"] + data["talent"]}
    rev, _ = as_role("rev")
    page = rev.get("/people?dataset=examplia").text
    assert "you see the counts" in page
    assert not any(f">{pid}<" in page for pid in shown)


def test_unit_officer_sees_their_subtree(as_role: Any) -> None:
    """A unit officer's counts cover the people of their subtree only (Northvale Province)."""
    c, _ = as_role("off")
    data = c.get("/api/people/examplia").json()
    units = {row["unit"] for row in data["by_unit"]}
    assert units
    assert all(u.endswith("north") or "-north-" in u for u in units)
    assert data["totals"]["people"] < 58


def test_placement_of_a_plan_in_the_request(as_role: Any) -> None:
    """merge-north: two commune chairs for one post; one placed, one surplus with a regime and a cost;
    computed in well under 2 s."""
    c, _ = as_role("ann")
    start = time.perf_counter()
    data = c.get("/api/people/merge-north/placement", params={"as_of": "2025-06-01"}).json()
    assert time.perf_counter() - start < 2
    t = data["totals"]
    assert (t["candidates"], t["placed"], t["surplus"]) == (2, 1, 1)
    assert sum(t["surplus_by_regime"].values()) == 1
    assert t["cost"] > 0
    assert [r["id"] for r in data["surplus"]]
    page = c.get("/people/merge-north?as_of=2025-06-01")
    assert page.status_code == 200
    assert "Surplus by regime" in page.text


def test_placement_access(as_role: Any) -> None:
    """A reviewer sees the totals but not who; a unit officer (no national figures) is refused."""
    rev, _ = as_role("rev")
    data = rev.get("/api/people/merge-south/placement").json()
    assert "placed" not in data
    assert "surplus" not in data
    assert data["totals"]["candidates"] >= 1
    off, _ = as_role("off")
    assert off.get("/api/people/merge-south/placement").status_code == 403
    assert rev.get("/api/people/no-such-plan/placement").status_code == 404
    assert rev.get("/api/people/merge-south/placement", params={"as_of": "soon"}).status_code == 422


def test_nav_links_to_people(as_role: Any) -> None:
    """Every page's navigation has the People link."""
    c, _ = as_role("exp")
    assert 'href="/people"' in c.get("/").text
