"""``reorg export-org PLAN``: an approved plan's structure written as JSON-LD or Turtle; refusals."""

from __future__ import annotations

import json
from pathlib import Path

from cli_kit import assert_refused, run, run_json
from report_kit import store_examplia

from reorg.services import Settings, open_database, publish
from reorg.services.access import Principal


def test_export_org_writes_an_approved_plan(tmp_path: Path) -> None:
    """JSON-LD and Turtle are written for an approved plan, with the base IRI asked for."""
    db = f"sqlite:///{tmp_path / 'o.db'}"
    store_examplia(db)
    with open_database(Settings(db_url=db)) as store, store.unit_of_work(actor="test") as uow:
        publish.approve_plan(uow, name="merge-north", viewer=Principal("rev", "reviewer"))
    out = tmp_path / "org.jsonld"
    result = run(
        db, "export-org", "merge-north", "--format", "jsonld", "--out", str(out), "--names-lang", "en"
    )
    assert result.exit_code == 0, result.output
    graph = json.loads(out.read_text(encoding="utf-8"))["@graph"]
    merged = next(n for n in graph if n.get("skos:notation") == "c-north-12")
    assert merged["@id"] == "urn:reorg:merge-north:c-north-12"
    assert merged["skos:prefLabel"] == {"@value": "Maple-Thorn", "@language": "en"}
    ttl = tmp_path / "org.ttl"
    result = run(db, "export-org", "merge-north", "--out", str(ttl), "--base", "https://example.org/units/")
    assert result.exit_code == 0, result.output
    written = ttl.read_text(encoding="utf-8")
    assert "<https://example.org/units/c-north-12> a org:OrganizationalUnit" in written
    data = run_json(db, "export-org", "merge-north", "--out", str(ttl))
    assert data["format"] == "ttl"
    assert data["bytes"] == ttl.stat().st_size


def test_export_org_refuses_unapproved_plans_bad_formats_and_bases(tmp_path: Path) -> None:
    """An unapproved plan, an unknown format and a base IRI with a space are each one line and exit 2."""
    db = f"sqlite:///{tmp_path / 'o.db'}"
    store_examplia(db)
    out = str(tmp_path / "x")
    assert_refused(run(db, "export-org", "merge-south", "--out", out), "no approved plan 'merge-south'")
    with open_database(Settings(db_url=db)) as store, store.unit_of_work(actor="test") as uow:
        publish.approve_plan(uow, name="merge-south", viewer=Principal("ada", "admin"))
    assert_refused(run(db, "export-org", "merge-south", "--out", out, "--format", "rdf"), "jsonld or ttl")
    assert_refused(run(db, "export-org", "merge-south", "--out", out, "--base", "urn:a b"), "org_base_iri")
