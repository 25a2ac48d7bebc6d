"""The pages that start background jobs and the map, in a real browser: a bundle imported through the
upload form, a territorial proposal run from its form, the internal model after a merger plan stored
through the plan-file form, and a plan drawn before and after on the map."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

from browser_kit import Visit, painted, sign_in
from playwright.sync_api import expect
from web_kit import EXAMPLE, NORTHEAST, PASSWORD

#: a background job on Examplia finishes in seconds; this leaves room for a loaded CI machine
JOB_TIMEOUT_MS = 120_000


def test_a_zipped_bundle_is_imported_through_the_upload_form(visit: Visit, tmp_path: Path) -> None:
    """Uploading Examplia's CSV folder as a zip stores it; the job's progress then its result are shown."""
    bundle = tmp_path / "examplia.zip"
    with zipfile.ZipFile(bundle, "w") as z:
        for f in sorted(EXAMPLE.iterdir()):
            if f.is_file():
                z.write(f, f.name)
    page = sign_in(visit, "ann", PASSWORD)
    visit.go("/import", "import")
    page.get_by_label("Dataset name").fill("uploaded")
    page.get_by_label("Bundle").set_input_files(bundle)
    with page.expect_navigation():
        page.get_by_role("button", name="Import", exact=True).click()
    assert "/import?job=" in page.url
    job = page.locator(".job").first
    expect(job).to_contain_text("Stored dataset uploaded", timeout=JOB_TIMEOUT_MS)
    visit.shot("imported")
    job.get_by_role("link", name="Open its dashboard").click()
    page.wait_for_load_state("networkidle")
    expect(page.get_by_role("heading", level=2).first).to_contain_text("uploaded")
    visit.shot("dashboard-uploaded")


def test_a_territorial_proposal_runs_as_a_job_and_opens_on_the_map(visit: Visit) -> None:
    """A territorial proposal on Examplia's communes runs in the background until its plan is stored;
    the plan then opens on the map, drawn before and after."""
    page = sign_in(visit, "ada", PASSWORD)
    visit.go("/proposals", "proposals")
    form = page.locator("form[action='/proposals/territory']")
    form.locator("select[name=dataset]").select_option("examplia")
    form.locator("input[name=level]").fill("commune")
    form.locator("input[name=target]").fill("6")
    form.locator("input[name=save]").fill("browser-six")
    with page.expect_navigation():
        form.get_by_role("button", name="Propose").click()
    assert "/proposals?job=" in page.url
    job = page.locator(".job").first
    expect(job).to_contain_text("Stored plan browser-six", timeout=JOB_TIMEOUT_MS)
    visit.shot("proposed")
    job.get_by_role("link", name="See it on the map").click()
    page.wait_for_load_state("networkidle")
    expect(page.locator("#maps")).to_have_attribute("data-drawn", "yes", timeout=30_000)
    visit.shot("map-proposed")
    assert painted(page, "#map-before") > 0.05, "the map before the plan is blank"
    assert painted(page, "#map-after") > 0.05, "the map after the plan is blank"


def test_the_internal_model_after_a_stored_merger_runs_as_a_job(visit: Visit, tmp_path: Path) -> None:
    """A merger plan stored through the plan-file form, then the internal-model form on it: the job
    ends with a row for Northeast (departments 4 -> 2 -> 2, leadership posts 10 -> 5 -> 5)."""
    plan_file = tmp_path / "northeast.json"
    plan_file.write_text(json.dumps(NORTHEAST), encoding="utf-8")
    page = sign_in(visit, "ann", PASSWORD)
    visit.go("/plans", "plans")
    page.locator("form[action='/plans/check'] input[type=file]").set_input_files(plan_file)
    with page.expect_navigation():
        page.get_by_role("button", name="Check").click()
    store = page.locator("form[action='/plans/check']")
    store.locator("input[type=file]").set_input_files(plan_file)
    with page.expect_navigation():
        store.get_by_role("button", name="Store").click()
    visit.go("/proposals", "proposals-internal")
    form = page.locator("form[action='/proposals/internal']")
    form.locator("select[name=dataset]").select_option("examplia")
    form.locator("input[name=plan]").fill("merge-northeast")
    form.locator("input[name=save]").fill("browser-internal")
    with page.expect_navigation():
        form.get_by_role("button", name="Propose").click()
    assert "/proposals?job=" in page.url
    job = page.locator(".job").first
    expect(job).to_contain_text("Stored plan browser-internal", timeout=JOB_TIMEOUT_MS)
    row = job.locator("table.internal tbody tr").first
    expect(row).to_contain_text("Northeast")
    expect(row).to_contain_text("4 → 2 → 2")
    expect(row).to_contain_text("10 → 5 → 5")
    visit.shot("internal-model")


def test_the_map_of_a_plan_draws_both_sides_in_each_language(visit: Visit) -> None:
    """/map of a stored plan draws Examplia's communes before and after (Leaflet, no tiles); a click
    on a commune opens its figures; the language selector works on the map page too."""
    page = sign_in(visit, "rev", PASSWORD)
    visit.go("/map?dataset=examplia&level=commune&plan=merge-north", "map")
    expect(page.locator("#maps")).to_have_attribute("data-drawn", "yes", timeout=30_000)
    expect(page.locator("#caption-before")).to_contain_text("12 units")
    expect(page.locator("#caption-after")).to_contain_text("11 units after the plan")
    assert painted(page, "#map-before") > 0.05, "the map before the plan is blank"
    assert painted(page, "#map-after") > 0.05, "the map after the plan is blank"
    box = page.locator("#map-after").bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    expect(page.locator("#map-after .leaflet-popup-content")).to_contain_text("went into")
    expect(page.locator("#map-after .leaflet-popup")).to_have_css("opacity", "1")  # faded in
    visit.shot("map-popup")
    for lang in ("vi", "uk", "en"):
        with page.expect_navigation(wait_until="networkidle"):
            page.locator("header select[name=lang]").select_option(lang)
        expect(page.locator("html")).to_have_attribute("lang", lang)
        expect(page.locator("#maps")).to_have_attribute("data-drawn", "yes", timeout=30_000)
        assert painted(page, "#map-after") > 0.05, f"the map is blank in {lang}"
        visit.shot(f"map-{lang}")
