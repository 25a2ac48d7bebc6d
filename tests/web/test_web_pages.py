"""The pages and their API routes on Examplia: dashboard, tree, unit, findings, plans, languages."""

from __future__ import annotations

from typing import Any


def test_dashboard_shows_levels_findings_and_plans(as_role: Any) -> None:
    """The dashboard counts units per level and findings, and lists both plans with their effect."""
    c, _ = as_role("rev")
    page = c.get("/?dataset=examplia")
    assert page.status_code == 200
    assert "Republic of Examplia" in page.text
    assert "merge-north" in page.text
    assert "merge-south" in page.text
    data = c.get("/api/datasets/examplia/overview").json()
    assert data["levels"]["commune"] == 12
    north = next(p for p in data["plans"] if p["name"] == "merge-north")
    assert north["levels"]["commune"] == {"before": 12, "after": 11}
    assert sum(data["severities"].values()) > 0


def test_tree_loads_one_level_at_a_time(as_role: Any) -> None:
    """The top of the tree is the nation; its children come on request, by name."""
    c, _ = as_role("ann")
    top = c.get("/api/datasets/examplia/units").json()
    assert [u["id"] for u in top["units"]] == ["examplia"]
    under = c.get("/api/datasets/examplia/units", params={"parent": "examplia"}).json()
    names = [u["name"] for u in under["units"]]
    assert names == sorted(names)
    assert under["total"] == 7
    fragment = c.get("/units/children", params={"dataset": "examplia", "parent": "p-north"})
    assert "Maplebrook" in fragment.text
    assert "<html" not in fragment.text


def test_search_finds_by_id_and_by_name_in_any_script(as_role: Any) -> None:
    """Search ignores case and matches ids and names, Ukrainian and Vietnamese ones included."""
    c, _ = as_role("ann")
    by_name = c.get("/api/datasets/examplia/search", params={"q": "вишневе"}).json()
    assert [u["id"] for u in by_name["units"]] == ["c-east-2"]
    by_id = c.get("/api/datasets/examplia/search", params={"q": "C-NORTH-3"}).json()
    assert by_id["units"][0]["name"] == "Làng Sương Mờ"


def test_unit_page_has_duties_people_and_findings(as_role: Any) -> None:
    """A unit page lists its duties with their role and the findings naming it."""
    c, _ = as_role("ann")
    data = c.get("/api/datasets/examplia/units/c-north-1").json()
    assert data["unit"]["name"] == "Maplebrook"
    assert any(f["kind"] == "below_standard" for f in data["findings"])
    page = c.get("/units/d-north-agri?dataset=examplia")
    assert page.status_code == 200
    assert "agri-forest" in page.text


def test_an_unknown_unit_is_a_404_page(as_role: Any) -> None:
    """A unit id that does not exist gives a 404 page with the error, not a stack trace."""
    c, _ = as_role("ann")
    page = c.get("/units/nowhere?dataset=examplia")
    assert page.status_code == 404
    assert "no unit" in page.text


def test_findings_filter_by_kind_severity_level_and_subtree(as_role: Any) -> None:
    """Each filter narrows the list; a bad filter value is a 422 naming what was expected."""
    c, _ = as_role("ann")
    everything = c.get("/api/datasets/examplia/findings").json()
    standards = c.get("/api/datasets/examplia/findings", params={"kind": "below_standard"}).json()
    assert 0 < standards["total"] < everything["total"]
    assert {f["kind"] for f in standards["findings"]} == {"below_standard"}
    north = c.get("/api/datasets/examplia/findings", params={"within": "p-north", "level": "commune"}).json()
    assert north["total"] >= 1
    assert all(any(u.startswith("c-north") for u in f["units"]) for f in north["findings"])
    bad = c.get("/api/datasets/examplia/findings", params={"severity": "dire"})
    assert bad.status_code == 422
    assert "high, medium, low" in bad.json()["message"]
    assert "below_standard" in c.get("/findings?dataset=examplia&kind=below_standard").text


def test_plans_list_detail_and_comparison(as_role: Any) -> None:
    """The plan page lists its operations; two plans compare on one yardstick."""
    c, _ = as_role("rev")
    assert "merge-north" in c.get("/plans").text
    detail = c.get("/plans/merge-north")
    assert detail.status_code == 200
    assert "c-north-12" in detail.text
    checked = c.get("/plans/merge-north?check=true")
    assert "Every operation applies" in checked.text
    both = c.get("/api/plans/compare", params={"plan": ["merge-north", "merge-south"]}).json()
    assert [p["plan"] for p in both["plans"]] == ["merge-north", "merge-south"]
    assert both["plans"][0]["changes"]["levels"]["commune"] == {"before": 12, "after": 11}
    assert c.get("/plans/compare?plan=merge-north&plan=merge-south").status_code == 200


def test_language_switch_shows_pages_in_vietnamese_and_ukrainian(as_role: Any) -> None:
    """After choosing a language, pages and findings come in it; numbers follow the locale."""
    c, csrf = as_role("exp")
    for lang, word in (("vi", "Bảng điều khiển"), ("uk", "Панель керування")):
        c.post("/language", data={"lang": lang, "csrf": csrf})
        page = c.get("/?dataset=examplia")
        assert f'<html lang="{lang}">' in page.text
        assert word in page.text
    c.post("/language", data={"lang": "en", "csrf": csrf})
    assert "Dashboard" in c.get("/").text


def test_openapi_lists_the_api(as_role: Any) -> None:
    """The OpenAPI description is served to signed-in users and names the API routes."""
    c, _ = as_role("ann")
    spec = c.get("/openapi.json").json()
    assert "/api/datasets/{name}/findings" in spec["paths"]
    assert c.get("/docs").status_code == 200
