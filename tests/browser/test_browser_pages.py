"""The web app in a real browser: sign-in per role, the apparatus browser, findings, plans, languages
and the API page, with no console error anywhere and a screenshot of every page."""

from __future__ import annotations

import re

import pytest
from browser_kit import Visit, chart_marks, sign_in
from playwright.sync_api import expect
from web_kit import PASSWORD, ROLES


@pytest.mark.parametrize("login", list(ROLES))
def test_each_role_signs_in_through_the_form(visit: Visit, login: str) -> None:
    """Each role signs in with the form and sees the dashboard; a unit officer is told it is a subtree."""
    page = sign_in(visit, login, PASSWORD)
    expect(page.get_by_role("heading", name="Dashboard", exact=True)).to_be_visible()
    expect(page.locator(".figures .figure").first).to_be_visible()
    assert chart_marks(page) >= 3, "the chart of findings per kind is not drawn"
    scope_note = page.get_by_role("note").filter(has_text="within the subtree")
    if ROLES[login][0] == "unit_officer":
        expect(scope_note).to_contain_text("p-north")
    else:
        expect(scope_note).to_have_count(0)
    visit.shot(f"dashboard-{login}")


def test_tree_expands_on_click_and_search_finds_as_one_types(visit: Visit) -> None:
    """A click on a node loads its children (htmx); typing a name lists the matching units."""
    page = sign_in(visit, "ann", PASSWORD)
    visit.go("/units?dataset=examplia", "tree")
    toggle = page.get_by_role("button", name="Show the units under Republic of Examplia")
    toggle.click()
    branch = page.locator("#tree > li").first.locator("> ul")
    expect(branch.get_by_role("link", name="Northvale Province")).to_be_visible()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    page.get_by_role("button", name="Show the units under Northvale Province").click()
    expect(page.get_by_role("link", name="Thornbury")).to_be_visible()
    visit.shot("tree-expanded")
    toggle.click()
    expect(branch).to_be_hidden()
    toggle.click()
    expect(branch.get_by_role("link", name="Thornbury")).to_be_visible()
    page.get_by_label("Search by id or name").press_sequentially("kestrel", delay=30)
    found = page.locator("#found")
    expect(found.get_by_role("link", name="Kestrel Hill")).to_be_visible()
    expect(found).to_contain_text("1 unit found")
    visit.shot("search")
    found.get_by_role("link", name="Kestrel Hill").click()
    page.wait_for_load_state("networkidle")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Kestrel Hill")
    expect(page.get_by_role("heading", name="Tasks and duties")).to_be_visible()
    visit.shot("unit")


def test_findings_filter_by_kind(visit: Visit) -> None:
    """Choosing a kind and filtering lists findings of that kind only."""
    page = sign_in(visit, "rev", PASSWORD)
    visit.go("/findings?dataset=examplia", "findings")
    kinds = page.get_by_label("Kind").locator("option")
    values = [v for v in kinds.evaluate_all("os => os.map(o => o.value)") if v]
    assert values, "no finding kind to filter by"
    kind = values[0]
    page.get_by_label("Kind").select_option(kind)
    with page.expect_navigation(wait_until="networkidle"):
        page.get_by_role("button", name="Filter").click()
    assert f"kind={kind}" in page.url
    expect(page.get_by_label("Kind")).to_have_value(kind)
    expect(page.locator(".hint").first).to_contain_text(re.compile(r"\d+ findings? match"))
    visit.shot("findings-filtered")


def test_two_plans_ticked_are_compared(visit: Visit) -> None:
    """Ticking two plans on /plans and comparing shows both side by side."""
    page = sign_in(visit, "exp", PASSWORD)
    visit.go("/plans", "plans")
    page.get_by_label("Compare merge-north", exact=True).check()
    page.get_by_label("Compare merge-south", exact=True).check()
    with page.expect_navigation(wait_until="networkidle"):
        page.get_by_role("button", name="Compare the plans ticked").click()
    assert "/plans/compare" in page.url
    head = page.locator("table.compare thead")
    expect(head.get_by_role("link", name="merge-north")).to_be_visible()
    expect(head.get_by_role("link", name="merge-south")).to_be_visible()
    assert chart_marks(page) >= 2 * 5, "the chart does not draw a bar per plan and level"
    visit.shot("compare")


def test_language_selector_switches_the_page(visit: Visit) -> None:
    """The header's selector shows the pages in Vietnamese, then Ukrainian (kept with the user), then back."""
    page = sign_in(visit, "ada", PASSWORD)
    visit.go("/plans", "plans-en")
    for lang in ("vi", "uk", "en"):
        with page.expect_navigation(wait_until="networkidle"):
            page.locator("header select[name=lang]").select_option(lang)
        expect(page.locator("html")).to_have_attribute("lang", lang)
        assert page.url.endswith("/plans"), page.url
        expect(page.get_by_role("link", name="merge-north", exact=True)).to_be_visible()
        visit.shot(f"plans-{lang}")
        visit.go("/", f"dashboard-{lang}")
        expect(page.locator("html")).to_have_attribute("lang", lang)
        expect(page.locator(".figures .figure").first).to_be_visible()
        visit.go("/plans", f"plans-again-{lang}")


def test_api_page_renders_the_operations(visit: Visit) -> None:
    """/docs draws the OpenAPI description with Swagger UI (allowed by the CSP)."""
    page = sign_in(visit, "ann", PASSWORD)
    visit.go("/docs", "docs")
    operation = page.locator(".opblock-summary-path", has_text="/api/datasets/{name}/overview")
    expect(operation.first).to_be_visible()
    visit.shot("docs-drawn")
