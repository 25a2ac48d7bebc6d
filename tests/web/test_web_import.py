"""Importing a bundle from the web app: a zip of a CSV folder or a workbook becomes a dataset in a
background job; bad data is named by file, row and column; hostile zips and oversized uploads are
refused without storing anything or leaving files behind; markup in names is shown as text."""

from __future__ import annotations

import io
import stat
import tempfile
import zipfile
from collections.abc import Iterator
from importlib.resources import files as package_files
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from web_kit import sign_in, wait_for_job

from reorg.io import load, write
from reorg.web import WebSettings, create_app

EXAMPLE = Path(str(package_files("reorg.datasets") / "example"))
MARKUP = "<script>alert(1)</script>"


@pytest.fixture(autouse=True)
def private_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Uploads land in a temporary folder of this test, so that a test can see it emptied."""
    folder = tmp_path / "uploads"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def bundle_files(units_csv: str | None = None) -> dict[str, bytes]:
    """Examplia's bundle files (with ``units_csv`` instead of its units.csv when given)."""
    files = {p.name: p.read_bytes() for p in EXAMPLE.iterdir() if p.is_file()}
    if units_csv is not None:
        files["units.csv"] = units_csv.encode()
    return files


def zipped(members: dict[str, bytes], top: str = "") -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(f"{top}{name}", data)
    return out.getvalue()


def upload(c: TestClient, token: str, data: bytes, name: str, filename: str = "bundle.zip") -> Any:
    return c.post(
        "/api/datasets",
        data={"name": name},
        files={"bundle": (filename, data, "application/zip")},
        headers={"X-CSRF-Token": token},
    )


def imported(
    c: TestClient, token: str, data: bytes, name: str, filename: str = "bundle.zip"
) -> dict[str, Any]:
    answer = upload(c, token, data, name, filename)
    assert answer.status_code == 202, answer.text
    job: dict[str, Any] = wait_for_job(c, answer.json()["id"])
    return job


def stored(c: TestClient) -> set[str]:
    return {d["name"] for d in c.get("/api/datasets").json()}


def test_a_good_zip_is_stored_and_its_temporary_files_deleted(as_role: Any, private_tmp: Path) -> None:
    """Examplia zipped in one top folder (with its README, left packed) is stored as the dataset named;
    the job's result names the version and counts; the upload's folder is gone afterwards."""
    c, token = as_role("ann")
    job = imported(c, token, zipped(bundle_files(), top="examplia/"), "web-good")
    assert job["state"] == "done", job["error"]
    assert job["kind"] == "import"
    assert job["result"]["dataset"] == "web-good"
    assert job["result"]["version"] == 1
    assert job["result"]["counts"]["units"] == 28
    assert "web-good" in stored(c)
    assert list(private_tmp.iterdir()) == []


def test_the_import_form_uploads_and_links_to_the_dataset(as_role: Any) -> None:
    """The page's form (csrf field first) redirects to its job, whose fragment links to the dataset."""
    c, token = as_role("ada")
    answer = c.post(
        "/import",
        data={"csrf": token, "name": "web-form"},
        files={"bundle": ("examplia.zip", zipped(bundle_files()), "application/zip")},
        follow_redirects=False,
    )
    assert answer.status_code == 303, answer.text
    job_id = answer.headers["location"].split("job=")[1]
    assert wait_for_job(c, job_id)["state"] == "done"
    assert 'href="/?dataset=web-form"' in c.get(f"/jobs/{job_id}").text


def test_a_workbook_is_imported(as_role: Any, tmp_path: Path) -> None:
    """An .xlsx workbook of the bundle is imported like the zip."""
    c, token = as_role("ann")
    book = tmp_path / "examplia.xlsx"
    write(load(EXAMPLE), book)
    job = imported(c, token, book.read_bytes(), "web-book", filename="examplia.xlsx")
    assert job["state"] == "done", job["error"]


def test_a_bad_parent_is_named_by_file_row_and_column_and_shown_escaped(as_role: Any) -> None:
    """A units.csv whose row names a parent that does not exist fails the job with the CLI's error
    (file, row, column, value); the fragment shows it in a table, markup escaped; nothing is stored."""
    c, token = as_role("ann")
    text = (EXAMPLE / "units.csv").read_text(encoding="utf-8").splitlines()
    head, rows = text[0], text[1:]
    bad = rows[4].split(",")
    bad[4] = MARKUP.replace(",", "")
    rows[4] = ",".join(bad)
    job = imported(c, token, zipped(bundle_files("\n".join([head, *rows]) + "\n")), "web-bad")
    assert job["state"] == "failed", job
    error = job["error"]
    assert (error["file"], error["row"], error["column"]) == ("units.csv", 6, "parent_id"), error
    assert error["value"] == MARKUP
    fragment = c.get(f"/jobs/{job['id']}").text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in fragment
    assert MARKUP not in fragment
    assert "<td>units.csv</td>" in fragment
    assert "parent_id" in fragment
    assert "web-bad" not in stored(c)


def test_markup_in_a_unit_name_and_in_a_dataset_name_is_shown_escaped(as_role: Any) -> None:
    """A unit named with markup is stored and shown as text; a dataset name with markup is refused (422)
    and echoed escaped on the form."""
    c, token = as_role("ann")
    units = (EXAMPLE / "units.csv").read_text(encoding="utf-8").replace("Maplebrook", MARKUP)
    job = imported(c, token, zipped(bundle_files(units)), "web-markup")
    assert job["state"] == "done", job["error"]
    page = c.get("/units/c-north-1?dataset=web-markup").text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert MARKUP not in page
    answer = c.post(
        "/import",
        data={"csrf": token, "name": MARKUP},
        files={"bundle": ("b.zip", zipped(bundle_files()), "application/zip")},
    )
    assert answer.status_code == 422
    assert "&lt;script&gt;" in answer.text
    assert MARKUP not in answer.text
    assert upload(c, token, zipped(bundle_files()), MARKUP).json()["file"] == "dataset name"


def _symlink_zip() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in bundle_files().items():
            if name != "units.csv":
                archive.writestr(name, data)
        link = zipfile.ZipInfo("units.csv")
        link.external_attr = (stat.S_IFLNK | 0o777) << 16
        archive.writestr(link, "/etc/passwd")
    return out.getvalue()


def _bomb() -> bytes:
    """50 MB of zeros as units.csv: about 50 KB packed."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("units.csv", b"0" * (50 * 2**20))
    data = out.getvalue()
    assert len(data) < 200_000
    return data


#: hostile zip -> (how it is built, words of its refusal)
HOSTILE = {
    "dot-dot": (lambda: zipped({**bundle_files(), "../evil.csv": b"x"}), "'..'"),
    "absolute": (lambda: zipped({**bundle_files(), "/tmp/evil.csv": b"x"}), "relative member names"),
    "symlink": (_symlink_zip, "no symbolic links"),
    "too-many-files": (
        lambda: zipped({**bundle_files(), **{f"extra-{i}.txt": b"x" for i in range(70)}}),
        "at most 64 files",
    ),
    "nested": (lambda: zipped(bundle_files(), top="a/b/"), "not deeper"),
    "two-folders": (lambda: zipped({"a/units.csv": b"id", "b/levels.csv": b"level"}), "a single folder"),
    "bomb": (_bomb, "zip bomb"),
    "not-a-zip": (lambda: b"PK\x03\x04 this is no zip", "not a readable zip"),
}


@pytest.mark.parametrize("kind", list(HOSTILE))
def test_hostile_zips_are_refused_and_nothing_is_stored(as_role: Any, kind: str, private_tmp: Path) -> None:
    """Paths out of the folder, links, too many files, deep folders, a zip bomb, a damaged zip: the job
    fails with an InputError naming the zip, no dataset is stored, and no file is left anywhere."""
    c, token = as_role("ann")
    build, words = HOSTILE[kind]
    job = imported(c, token, build(), f"web-{kind}")
    assert job["state"] == "failed", job
    assert (job["error"]["error"], job["error"]["file"]) == ("InputError", "bundle.zip"), job["error"]
    assert words in job["error"]["message"], job["error"]
    assert f"web-{kind}" not in stored(c)
    assert list(private_tmp.iterdir()) == []
    assert not (private_tmp.parent / "evil.csv").exists()


@pytest.fixture
def small_app(examplia_url: str) -> Iterator[tuple[TestClient, str]]:
    """The app with a 1 MB upload limit, signed in as the analyst."""
    app = create_app(WebSettings(db_url=examplia_url, secure_cookies=False, max_upload_mb=1))
    with TestClient(app, base_url="http://testserver") as c:
        yield c, sign_in(c, "ann")


def test_an_upload_over_the_limit_is_refused_with_413(
    small_app: tuple[TestClient, str], private_tmp: Path
) -> None:
    """A 2 MB upload against a 1 MB limit: 413 whether the size is announced or found while streaming
    (chunked, no Content-Length); nothing is stored or left on disk."""
    c, token = small_app
    big = b"x" * (2 * 2**20)
    assert upload(c, token, big, "web-big").status_code == 413
    boundary = "reorgboundary"
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="name"\r\n\r\nweb-big\r\n'
        f'--{boundary}\r\nContent-Disposition: form-data; name="bundle"; filename="b.zip"\r\n'
        "Content-Type: application/zip\r\n\r\n"
    ).encode()

    def chunks() -> Iterator[bytes]:
        yield head
        for _ in range(32):
            yield b"x" * 2**16
        yield f"\r\n--{boundary}--\r\n".encode()

    answer = c.post(
        "/api/datasets",
        content=chunks(),
        headers={"X-CSRF-Token": token, "Content-Type": f"multipart/form-data; boundary={boundary}"},
    )
    assert answer.status_code == 413, answer.text
    assert "web-big" not in stored(c)
    assert list(private_tmp.iterdir()) == []


@pytest.mark.parametrize("login", ["rev", "exp", "off"])
def test_roles_without_import_are_refused(as_role: Any, login: str) -> None:
    """A reviewer, an expert and a unit officer get 403 on the import page, its form and its API."""
    c, token = as_role(login)
    assert c.get("/import").status_code == 403
    files = {"bundle": ("b.zip", zipped(bundle_files()), "application/zip")}
    assert c.post("/import", data={"csrf": token, "name": "x"}, files=files).status_code == 403
    assert upload(c, token, zipped(bundle_files()), "x").status_code == 403


def test_an_upload_without_the_csrf_token_is_refused(as_role: Any, private_tmp: Path) -> None:
    """No token (header or field) or a wrong one: 403, no job, and nothing kept."""
    c, token = as_role("ann")
    files = {"bundle": ("b.zip", zipped(bundle_files()), "application/zip")}
    assert c.post("/api/datasets", data={"name": "x"}, files=files).status_code == 403
    assert c.post("/import", data={"name": "x", "csrf": token + "x"}, files=files).status_code == 403
    assert c.post("/import", data={"name": "x"}, files=files).status_code == 403
    assert c.get("/api/jobs").json() == []
    assert list(private_tmp.iterdir()) == []
