"""The map page and its GeoJSON: outlines where the bundle has them, where each unit went under a plan."""

from __future__ import annotations

from typing import Any


def test_map_of_a_plan_says_where_each_unit_went(as_role: Any) -> None:
    """Under merge-north, the two merged communes went into c-north-12; the others stayed."""
    c, _ = as_role("rev")
    data = c.get("/api/maps/examplia", params={"level": "commune", "plan": "merge-north"}).json()
    assert data["type"] == "FeatureCollection"
    assert len(data["features"]) == 12
    went = {f["properties"]["id"]: f["properties"]["after_id"] for f in data["features"]}
    assert went["c-north-1"] == went["c-north-2"] == "c-north-12"
    assert went["c-east-1"] == "c-east-1"
    assert "estimated" not in data  # Examplia has outlines
    assert all(f["geometry"]["type"] in ("Polygon", "MultiPolygon") for f in data["features"])
    merged = next(r for r in data["regions"] if r["id"] == "c-north-12")
    assert merged["members"] == 2


def test_map_page_picks_the_level_the_plan_changes(as_role: Any) -> None:
    """Opening the map of a plan shows its baseline at the level whose units it merges."""
    c, _ = as_role("ann")
    page = c.get("/map?plan=merge-south")
    assert page.status_code == 200
    assert "/api/maps/examplia?level=commune&amp;plan=merge-south" in page.text
    assert 'id="map-after"' in page.text


def test_unit_officer_map_holds_their_subtree_only(as_role: Any) -> None:
    """A unit officer's map has the communes of their province and nothing else."""
    c, _ = as_role("off")
    data = c.get("/api/maps/examplia", params={"level": "commune", "plan": "merge-north"}).json()
    ids = {f["properties"]["id"] for f in data["features"]}
    assert ids == {"c-north-1", "c-north-2", "c-north-3"}
    assert {r["id"] for r in data["regions"]} == {"c-north-12", "c-north-3"}


def test_unknown_level_is_refused_with_the_known_ones(as_role: Any) -> None:
    """A level that does not exist is a 422 naming the levels there are."""
    c, _ = as_role("ann")
    answer = c.get("/api/maps/examplia", params={"level": "galaxy"})
    assert answer.status_code == 422
    assert "commune" in answer.json()["message"]
