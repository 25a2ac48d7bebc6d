"""The public view of approved plans: no sign-in, approved plans only, nothing personal, three languages;
approving is for the steering committee, with CSRF; the W3C ORG exports."""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from web_kit import EXAMPLE, sign_in, store_examplia, web_client

from reorg.plan import Plan
from reorg.services import Settings, open_database, plans, publish
from reorg.services.access import Principal

COMMITTEE = Principal("rev", "reviewer")
#: a unit name and id with markup, quotes, a newline and ``>``
HOSTILE_NAME = '<script>alert("x")</script> "Quoted" \n > end'
HOSTILE_ID = 'c-north-12 "x" <y>'

AsRole = Callable[[str], tuple[TestClient, str]]


def _set(url: str, name: str, approved: bool) -> None:
    """Approve plan ``name`` (its newest version), or withdraw its approval, through the service."""
    with open_database(Settings(db_url=url)) as db, db.unit_of_work(actor="test") as uow:
        current = uow.approvals.current(name=name)
        if approved and current is None:
            publish.approve_plan(uow, name=name, viewer=COMMITTEE)
        if not approved and current is not None:
            publish.withdraw_approval(uow, name=name, viewer=COMMITTEE)


@pytest.fixture
def north_public(examplia_url: str) -> str:
    """merge-north approved (merge-south not) for the test."""
    _set(examplia_url, "merge-north", True)
    _set(examplia_url, "merge-south", False)
    return "merge-north"


def _person_ids() -> list[str]:
    with (EXAMPLE / "people.csv").open(encoding="utf-8") as f:
        return [row["id"] for row in csv.DictReader(f)]


def test_an_approved_plan_is_public_without_sign_in(client: TestClient, north_public: str) -> None:
    """/public lists the approved plan and its page shows the merged unit, with no session cookie."""
    listing = client.get("/public", follow_redirects=False)
    assert listing.status_code == 200
    assert "merge-north" in listing.text
    assert "merge-south" not in listing.text
    page = client.get("/public/merge-north", follow_redirects=False)
    assert page.status_code == 200
    assert "reorg_session" not in client.cookies
    assert 'name="csrf"' not in page.text
    assert "data-csrf" not in page.text
    assert 'href="/plans"' not in page.text  # not the signed-in app's navigation


def test_the_tree_goes_one_level_at_a_time_with_lead_tasks(client: TestClient, north_public: str) -> None:
    """Under a province its communes are listed, the merged one among them, with the tasks each leads."""
    page = client.get("/public/merge-north", params={"unit": "p-north"})
    assert page.status_code == 200
    assert "Maple-Thorn" in page.text
    data = client.get("/public/merge-north/org.jsonld").json()
    leaders = [n for n in data["@graph"] if n.get("org:purpose")]
    assert leaders, "some unit leads a task"


def test_who_leads_a_task_in_each_place(client: TestClient, north_public: str) -> None:
    """Land administration is led by each province's agriculture department for its own province; the
    Civil registration list has the merged commune once, for its own territory."""
    page = client.get("/public/merge-north", params={"task": "agri-land"})
    assert page.status_code == 200
    rows = re.findall(r"<tr><td>([^<]+)</td><td>([^<]+) <small>([^<]+)</small></td></tr>", page.text)
    assert len(rows) == 4
    assert ("Northvale Province", "Northvale Agriculture Department", "d-north-agri") in rows
    civil = client.get("/public/merge-north", params={"task": "home-registration"}).text
    assert civil.count("<small>c-north-12</small></td></tr>") == 1
    assert "Maple-Thorn</td>" in civil  # the merged commune leads for its own place
    assert client.get("/public/merge-north", params={"task": "nothing"}).status_code == 404


def test_unapproved_withdrawn_and_unknown_plans_are_404(client: TestClient, examplia_url: str) -> None:
    """A plan never approved, one whose approval was withdrawn, and a non-plan all answer 404 everywhere."""
    _set(examplia_url, "merge-north", True)
    _set(examplia_url, "merge-north", False)
    for name in ("merge-north", "merge-south", "examplia", "nothing"):
        for tail in ("", "/org.jsonld", "/org.ttl", "/map.geojson?level=commune"):
            answer = client.get(f"/public/{name}{tail}", follow_redirects=False)
            assert answer.status_code == 404, (name, tail)
    assert "merge-north" not in client.get("/public").text
    missing = client.get("/public/merge-north")
    assert "no approved plan 'merge-north'" in missing.text.replace("&#39;", "'")
    assert 'href="/public"' in missing.text  # the public layout, not the signed-in app's


def test_a_reviewer_approves_and_withdraws_an_analyst_cannot(as_role: AsRole, client: TestClient) -> None:
    """A reviewer's approval makes the plan public, its withdrawal hides it; an analyst gets 403."""
    analyst, token = as_role("ann")
    refused = analyst.post("/plans/merge-south/approve", data={"version": 1, "csrf": token})
    assert refused.status_code == 403
    reviewer, token = as_role("rev")
    assert "Approve this version" in reviewer.get("/plans/merge-south").text
    assert "Approve this version" not in analyst.get("/plans/merge-south").text
    done = reviewer.post(
        "/plans/merge-south/approve", data={"version": 1, "csrf": token}, follow_redirects=False
    )
    assert done.status_code == 303
    assert client.get("/public/merge-south").status_code == 200
    again = reviewer.post("/plans/merge-south/approve", data={"version": 1, "csrf": token})
    assert again.status_code == 422  # already approved
    gone = reviewer.post("/plans/merge-south/withdraw", data={"version": 1, "csrf": token})
    assert gone.status_code == 200
    assert client.get("/public/merge-south").status_code == 404


def test_approving_needs_the_csrf_token(as_role: AsRole, client: TestClient) -> None:
    """Without the session's CSRF token the approval is refused and nothing goes public."""
    reviewer, _ = as_role("rev")
    for data in ({"version": "1"}, {"version": "1", "csrf": "forged"}):
        answer = reviewer.post("/plans/merge-south/approve", data=data)
        assert answer.status_code == 403
    assert client.get("/public/merge-south").status_code == 404


def test_approvals_are_audited(as_role: AsRole, examplia_url: str) -> None:
    """The approval and its withdrawal (through the API) are in the audit log, naming the reviewer."""
    reviewer, token = as_role("rev")
    assert (
        reviewer.post("/api/plans/merge-south/approval", headers={"X-CSRF-Token": token}).status_code == 200
    )
    assert (
        reviewer.delete("/api/plans/merge-south/approval", headers={"X-CSRF-Token": token}).status_code == 200
    )
    with open_database(Settings(db_url=examplia_url)) as db, db.unit_of_work(actor="test") as uow:
        entries = uow.audit.list(actor="web:rev")
    done = {(e.action, e.target) for e in entries}
    assert {("approve_plan", "merge-south@1"), ("withdraw_approval", "merge-south@1")} <= done


@pytest.mark.parametrize(
    ("lang", "word"), [("en", "Approved structures"), ("vi", "Cơ cấu"), ("uk", "Затверджені")]
)
def test_the_three_languages_render(client: TestClient, north_public: str, lang: str, word: str) -> None:
    """?lang= picks the language of the public pages and is kept in a cookie for the next page."""
    page = client.get("/public/merge-north", params={"lang": lang})
    assert page.status_code == 200
    assert f'<html lang="{lang}">' in page.text
    assert word in page.text
    assert f'<html lang="{lang}">' in client.get("/public").text  # the cookie keeps it


def test_nothing_personal_in_public_pages_or_exports(client: TestClient, north_public: str) -> None:
    """No person id, salary, birth date, headcount or user appears in any public page or export."""
    texts = [client.get("/public").text, client.get("/public/merge-north").text]
    for unit in ("p-north", "p-south", "c-north-12"):
        texts.append(client.get("/public/merge-north", params={"unit": unit}).text)
    for level in ("province", "commune"):
        answer = client.get("/public/merge-north/map.geojson", params={"level": level})
        assert answer.status_code == 200, answer.text
        texts.append(answer.text)
    texts += [
        client.get("/public/merge-north/org.jsonld").text,
        client.get("/public/merge-north/org.ttl").text,
    ]
    everything = "\n".join(texts)
    for person in _person_ids():
        assert not re.search(rf"\b{re.escape(person)}\b", everything), person
    for word in ("salary", "birth", "headcount", "web:", "gender", "display_name"):
        assert word not in everything.lower(), word


@pytest.fixture
def hostile_url(tmp_path: Path) -> str:
    """Examplia with an approved plan whose merged unit has a hostile name and id."""
    url = f"sqlite:///{tmp_path / 'hostile.db'}"
    store_examplia(url)
    merge = {
        "op": "merge",
        "units": ["c-north-1", "c-north-2"],
        "into": {"id": HOSTILE_ID, "name": HOSTILE_NAME},
    }
    with open_database(Settings(db_url=url)) as db, db.unit_of_work(actor="test") as uow:
        plan = Plan.from_dict({"baseline": "examplia", "operations": [merge]})
        plans.apply_plan(uow, plan=plan, name="hostile")
        publish.approve_plan(uow, name="hostile", viewer=COMMITTEE)
    return url


def test_markup_in_names_is_shown_escaped(hostile_url: str) -> None:
    """A unit named with a script tag is shown as text on the public page, never as markup."""
    with web_client(hostile_url) as c:
        page = c.get("/public/hostile", params={"unit": "p-north"})
    assert page.status_code == 200
    assert "<script>alert" not in page.text
    assert "&lt;script&gt;alert" in page.text


def test_exports_of_hostile_names_stay_well_formed(hostile_url: str) -> None:
    """The JSON-LD parses with the name intact; the Turtle escapes quotes and newlines in literals and
    percent-encodes quotes, spaces and ``<>`` of the id in its IRI."""
    with web_client(hostile_url) as c:
        jsonld = c.get("/public/hostile/org.jsonld")
        turtle = c.get("/public/hostile/org.ttl")
    assert jsonld.headers["content-type"].startswith("application/ld+json")
    graph = json.loads(jsonld.text)["@graph"]
    node = next(n for n in graph if n.get("skos:notation") == HOSTILE_ID)
    assert node["skos:prefLabel"]["@value"] == HOSTILE_NAME
    assert node["@id"] == "urn:reorg:hostile:c-north-12%20%22x%22%20%3Cy%3E"
    assert turtle.headers["content-type"].startswith("text/turtle")
    text = turtle.text
    assert '"<script>alert(\\"x\\")</script> \\"Quoted\\" \\n > end"' in text
    assert "<urn:reorg:hostile:c-north-12%20%22x%22%20%3Cy%3E>" in text
    for iri in re.findall(r"<([^>]*)>", re.sub(r'"(?:[^"\\]|\\.)*"', '""', text)):
        assert not set(iri) & set(' "{}|^`\\<'), iri


def test_every_unit_appears_once_with_its_parent_in_jsonld(client: TestClient, north_public: str) -> None:
    """Each unit of the approved structure is one node, subOrganizationOf its parent (roots: none)."""
    graph = client.get("/public/merge-north/org.jsonld").json()["@graph"]
    units = [n for n in graph if n["@type"] in ("org:Organization", "org:OrganizationalUnit")]
    ids = [n["skos:notation"] for n in units]
    assert len(ids) == len(set(ids)) == 28 - 1  # Examplia's 28 units, two merged into one
    by_iri = {n["@id"]: n for n in units}
    merged = next(n for n in units if n["skos:notation"] == "c-north-12")
    assert by_iri[merged["org:subOrganizationOf"]["@id"]]["skos:notation"] == "p-north"
    for n in units:
        if n["@type"] == "org:Organization":
            assert "org:subOrganizationOf" not in n
        else:
            parent = by_iri[n["org:subOrganizationOf"]["@id"]]
            assert {"@id": n["@id"]} in parent["org:hasSubOrganization"]


def test_sign_in_is_still_required_outside_public(client: TestClient, north_public: str) -> None:
    """The plan's own page and API stay closed to a client without a session."""
    assert client.get("/plans/merge-north", follow_redirects=False).status_code == 303
    assert client.get("/api/maps/merge-north?level=commune", follow_redirects=False).status_code == 401


def test_sign_in_helper_still_works(examplia_url: str) -> None:
    """Signing in after visiting the public pages works (the language cookie does not get in the way)."""
    with web_client(examplia_url) as c:
        c.get("/public", params={"lang": "vi"})
        assert sign_in(c, "rev")
