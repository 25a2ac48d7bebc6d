"""The vendored browser libraries: what MANIFEST.json promises is what the package holds."""

from __future__ import annotations

import hashlib
import json
from importlib.resources import files
from pathlib import Path
from typing import Any

import pytest

VENDOR = Path(str(files("reorg"))) / "web" / "static" / "vendor"
LOCK = Path(__file__).resolve().parents[2] / "web" / "package-lock.json"
#: what the pages load: (package, vendored file)
NEEDED = [
    ("htmx.org", "htmx/htmx.min.js"),
    ("leaflet", "leaflet/leaflet.js"),
    ("leaflet", "leaflet/leaflet.css"),
    ("leaflet", "leaflet/images/marker-icon.png"),
    ("echarts", "echarts/echarts.min.js"),
]
MAJOR = {"htmx.org": "2.", "leaflet": "1.9.", "echarts": "5.", "swagger-ui-dist": "5."}


def _manifest() -> list[dict[str, Any]]:
    packages: list[dict[str, Any]] = json.loads((VENDOR / "MANIFEST.json").read_text("utf-8"))["packages"]
    return packages


PACKAGES = _manifest()


@pytest.mark.parametrize("package", PACKAGES, ids=[p["package"] for p in PACKAGES])
def test_every_listed_file_is_there_with_its_sha256(package: dict[str, Any]) -> None:
    """Each file MANIFEST.json lists exists under vendor/ and hashes to the sha256 it records."""
    assert package["files"]
    for entry in package["files"]:
        path = VENDOR / entry["path"]
        assert path.is_file(), entry["path"]
        assert hashlib.sha256(path.read_bytes()).hexdigest() == entry["sha256"], entry["path"]


@pytest.mark.parametrize("package", PACKAGES, ids=[p["package"] for p in PACKAGES])
def test_every_package_carries_its_licence(package: dict[str, Any]) -> None:
    """Each package names its licence and ships a non-empty LICENSE file listed among its files."""
    listed = {entry["path"] for entry in package["files"]}
    assert package["licence"]
    assert any(name.endswith("/LICENSE") for name in package["licence_files"])
    for name in package["licence_files"]:
        assert name in listed
        assert (VENDOR / name).stat().st_size > 0


def test_versions_match_the_lock_file() -> None:
    """The vendored versions are the exact ones web/package-lock.json pins, of the wanted majors."""
    locked = json.loads(LOCK.read_text("utf-8"))["packages"]
    declared = locked[""]["dependencies"]
    assert {p["package"] for p in PACKAGES} == set(declared)
    for package in PACKAGES:
        name = package["package"]
        assert package["version"] == locked[f"node_modules/{name}"]["version"] == declared[name]
        assert package["version"].startswith(MAJOR[name])
        assert package["licence"] == locked[f"node_modules/{name}"]["license"]


def test_the_pages_files_are_vendored() -> None:
    """htmx, Leaflet (js, css, marker images) and ECharts are each listed under their package."""
    listed = {(p["package"], entry["path"]) for p in PACKAGES for entry in p["files"]}
    for needed in NEEDED:
        assert needed in listed


def test_nothing_unlisted_is_vendored() -> None:
    """Every file under vendor/ besides MANIFEST.json and README.md is listed: no stale copies."""
    listed = {entry["path"] for p in PACKAGES for entry in p["files"]}
    present = {
        path.relative_to(VENDOR).as_posix()
        for path in VENDOR.rglob("*")
        if path.is_file() and path.parent != VENDOR
    }
    assert present == listed
