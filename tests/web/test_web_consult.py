"""Consultation in the web app: invite, answer as three groups, close, aggregate, export; an expert not
invited gets 404; a reviewer cannot open one; comments are shown escaped."""

from __future__ import annotations

import io
import re
from typing import Any

import openpyxl

DEADLINE = "2099-01-01T00:00:00+00:00"


def _open(as_role: Any, invite: dict[str, str], **extra: object) -> int:
    """A round on merge-north opened by the analyst through the API."""
    c, csrf = as_role("ann")
    body = {
        "plan": "merge-north",
        "question": "Merge Maple and Thorn?",
        "deadline": DEADLINE,
        "invite": invite,
    }
    answer = c.post("/api/consultations", json={**body, **extra}, headers={"X-CSRF-Token": csrf})
    assert answer.status_code == 201, answer.text
    number: int = answer.json()["id"]
    return number


def test_invite_answer_as_three_groups_close_aggregate_export(as_role: Any) -> None:
    """Committee, agencies and experts answer (two by the page's form, one by the API); the closed round
    shows per-group figures, consensus, opinion groups and comments (escaped), and exports to XLSX."""
    number = _open(as_role, {"rev": "committee", "off": "agencies", "exp": "experts"})
    rev, rev_csrf = as_role("rev")
    page = rev.get(f"/consultations/{number}")
    assert page.status_code == 200
    assert 'name="stance-0"' in page.text
    assert 'name="stance--1"' in page.text  # the whole plan
    form = {
        "csrf": rev_csrf,
        "stance-0": "agree",
        "rating-0": "5",
        "comment-0": "<b>good</b>",
        "stance--1": "agree",
    }
    sent = rev.post(f"/consultations/{number}/answer", data=form, follow_redirects=False)
    assert sent.status_code == 303
    assert 'value="agree" checked' in rev.get(f"/consultations/{number}").text  # the form shows my answer
    off, off_csrf = as_role("off")
    form = {"csrf": off_csrf, "stance-0": "agree", "rating-0": "4", "stance--1": "disagree"}
    assert off.post(f"/consultations/{number}/answer", data=form, follow_redirects=False).status_code == 303
    exp, exp_csrf = as_role("exp")
    body = {"opinions": [{"item": 0, "stance": "disagree", "rating": 1, "comment": "too far"}]}
    answered = exp.post(f"/api/consultations/{number}/answers", json=body, headers={"X-CSRF-Token": exp_csrf})
    assert answered.status_code == 201, answered.text
    assert exp.get(f"/api/consultations/{number}/results").status_code == 403  # open: analysts only
    invited = exp.get(f"/api/consultations/{number}").json()["invited"]
    assert invited == [{"login": "exp", "group": "experts", "answered": True}]  # not who else was asked
    ann, ann_csrf = as_role("ann")
    live = ann.get(f"/api/consultations/{number}/results").json()
    assert live["frozen"] is False
    closed = ann.post(f"/consultations/{number}/close", data={"csrf": ann_csrf}, follow_redirects=False)
    assert closed.status_code == 303
    results = exp.get(f"/api/consultations/{number}/results").json()
    assert results["frozen"] is True
    op0 = results["items"][0]
    tallies = {t["group"]: (t["agree"], t["disagree"]) for t in op0["tallies"]}
    assert tallies == {"agencies": (1, 0), "committee": (1, 0), "experts": (0, 1)}
    assert abs(op0["share"] - 2 / 3) < 1e-6
    assert abs(op0["consensus"] - 1 / 3) < 1e-6
    shown = exp.get(f"/consultations/{number}").text
    assert "&lt;b&gt;good&lt;/b&gt;" in shown
    assert "<b>good</b>" not in shown
    assert "Opinion groups" in shown
    assert "Most contested" in shown
    export = exp.get(f"/consultations/{number}/export")
    assert export.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(export.content))
    assert "By group" in book.sheetnames
    refused = rev.post(f"/api/consultations/{number}/answers", json=body, headers={"X-CSRF-Token": rev_csrf})
    assert refused.status_code == 422


def test_an_expert_not_invited_gets_404_everywhere(as_role: Any) -> None:
    """The round does not exist for an expert who was not invited: page, API, results and export."""
    number = _open(as_role, {"rev": "committee"})
    exp, csrf = as_role("exp")
    for url in (
        f"/consultations/{number}",
        f"/api/consultations/{number}",
        f"/consultations/{number}/export",
    ):
        assert exp.get(url).status_code == 404, url
    body = {"opinions": [{"item": 0, "stance": "agree"}]}
    assert (
        exp.post(
            f"/api/consultations/{number}/answers", json=body, headers={"X-CSRF-Token": csrf}
        ).status_code
        == 404
    )
    assert number not in [r["id"] for r in exp.get("/api/consultations").json()]
    assert f'href="/consultations/{number}"' not in exp.get("/consultations").text


def test_a_reviewer_cannot_open_or_close_one(as_role: Any) -> None:
    """Opening and closing are for analysts and admins: 403 for a reviewer, even when invited."""
    number = _open(as_role, {"rev": "committee"})
    rev, csrf = as_role("rev")
    body = {"plan": "merge-north", "question": "Q", "deadline": DEADLINE, "invite": {"rev": ""}}
    assert rev.post("/api/consultations", json=body, headers={"X-CSRF-Token": csrf}).status_code == 403
    assert rev.post(f"/api/consultations/{number}/close", headers={"X-CSRF-Token": csrf}).status_code == 403
    assert "Open a consultation" not in rev.get("/consultations").text


def test_state_changes_need_the_csrf_token(as_role: Any) -> None:
    """Answering without the session's CSRF token is refused, and nothing is stored."""
    number = _open(as_role, {"rev": "committee"})
    rev, _ = as_role("rev")
    answer = rev.post(f"/consultations/{number}/answer", data={"stance-0": "agree"}, follow_redirects=False)
    assert answer.status_code == 403
    assert rev.get(f"/api/consultations/{number}").json()["mine"] == {}


def test_the_analyst_opens_one_with_the_page_form(as_role: Any) -> None:
    """The form on /consultations opens a round (deadline read as UTC, invitations one per line)."""
    ann, csrf = as_role("ann")
    page = ann.get("/consultations")
    assert "Open a consultation" in page.text
    form = {
        "csrf": csrf,
        "plan": "merge-south",
        "question": "Reed Bay?",
        "deadline": "2099-05-01T12:00",
        "invite": "rev=committee\n@expert=experts",
        "weights": "committee=2",
        "anonymous": "1",
    }
    made = ann.post("/consultations", data=form, follow_redirects=False)
    assert made.status_code == 303
    number = int(re.findall(r"/consultations/(\d+)", made.headers["location"])[0])
    shown = ann.get(f"/api/consultations/{number}").json()
    assert shown["deadline"] == "2099-05-01T12:00:00+00:00"
    assert shown["anonymous"] is True
    assert shown["weights"] == {"committee": 2.0}
    assert {i["login"] for i in shown["invited"]} == {"rev", "exp"}
    bad = dict(form, deadline="soon")
    assert ann.post("/consultations", data=bad, follow_redirects=False).status_code == 422


def test_an_answer_after_the_deadline_is_kept_and_the_page_says_it_does_not_count(as_role: Any) -> None:
    """Past the deadline the form's answer is stored as late: the page says so and it is not counted."""
    number = _open(as_role, {"rev": "committee"}, deadline="2000-01-01T00:00:00+00:00")
    rev, csrf = as_role("rev")
    sent = rev.post(f"/consultations/{number}/answer", data={"csrf": csrf, "stance-0": "agree"})
    assert "kept but not counted" in sent.text
    ann, _ = as_role("ann")
    live = ann.get(f"/api/consultations/{number}/results").json()
    assert (live["kept"], live["counted"], live["late"]) == (1, 0, 1)
