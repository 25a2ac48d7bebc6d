"""Vendor the web app's browser libraries into src/reorg/web/static/vendor, reproducibly, without a CDN.

Runs ``npm ci --ignore-scripts`` in web/ (exact versions from web/package-lock.json; no install
scripts run), copies only the minified files the pages load and each package's licence files into
``src/reorg/web/static/vendor/<dir>/``, and writes ``MANIFEST.json`` there: per package its version,
licence and every file with its sha256. The vendored files are committed, so installing reorg never
needs npm; run this (``make assets``) only to update them. See the README.md beside MANIFEST.json.

Run: python scripts/vendor_assets.py [--skip-npm]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WEB = ROOT / "web"
VENDOR = ROOT / "src" / "reorg" / "web" / "static" / "vendor"

#: npm package -> (folder under vendor/, {file in the package: name under the folder}, licence files).
#: echarts.min.js bundles zrender and tslib's helpers, so their licences travel with it.
PACKAGES: dict[str, tuple[str, dict[str, str], dict[str, str]]] = {
    "htmx.org": (
        "htmx",
        {"dist/htmx.min.js": "htmx.min.js"},
        {"htmx.org/LICENSE": "LICENSE"},
    ),
    "leaflet": (
        "leaflet",
        {
            "dist/leaflet.js": "leaflet.js",
            "dist/leaflet.css": "leaflet.css",
            "dist/images/layers.png": "images/layers.png",
            "dist/images/layers-2x.png": "images/layers-2x.png",
            "dist/images/marker-icon.png": "images/marker-icon.png",
            "dist/images/marker-icon-2x.png": "images/marker-icon-2x.png",
            "dist/images/marker-shadow.png": "images/marker-shadow.png",
        },
        {"leaflet/LICENSE": "LICENSE"},
    ),
    "echarts": (
        "echarts",
        {"dist/echarts.min.js": "echarts.min.js"},
        {
            "echarts/LICENSE": "LICENSE",
            "echarts/NOTICE": "NOTICE",
            "echarts/licenses/LICENSE-d3": "LICENSE-d3",
            "zrender/LICENSE": "LICENSE-zrender",
            "tslib/LICENSE.txt": "LICENSE-tslib",
        },
    ),
    "swagger-ui-dist": (
        "swagger-ui",
        {"swagger-ui-bundle.js": "swagger-ui-bundle.js", "swagger-ui.css": "swagger-ui.css"},
        {"swagger-ui-dist/LICENSE": "LICENSE", "swagger-ui-dist/NOTICE": "NOTICE"},
    ),
}


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def locked(lock: dict[str, object], package: str) -> dict[str, str]:
    """The entry of ``package`` in package-lock.json (lockfileVersion 3)."""
    entries = lock["packages"]
    assert isinstance(entries, dict)
    entry = entries[f"node_modules/{package}"]
    assert isinstance(entry, dict)
    return entry


def vendor(modules: Path, lock: dict[str, object]) -> dict[str, object]:
    """Copy the files of every package from ``modules`` (node_modules) and return the manifest."""
    packages = []
    for package, (folder, files, licences) in PACKAGES.items():
        entry = locked(lock, package)
        target = VENDOR / folder
        if target.exists():
            shutil.rmtree(target)
        listed = []
        copies = [(modules / package / src, name) for src, name in files.items()]
        copies += [(modules / src, name) for src, name in licences.items()]
        for src, name in copies:
            dest = target / name
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(src, dest)
            listed.append({"path": f"{folder}/{name}", "sha256": sha256(dest)})
        packages.append(
            {
                "package": package,
                "version": entry["version"],
                "licence": entry["license"],
                "licence_files": [f"{folder}/{name}" for name in licences.values()],
                "files": listed,
            }
        )
    return {"source": "web/package-lock.json via scripts/vendor_assets.py", "packages": packages}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-npm", action="store_true", help="use web/node_modules as it is")
    args = parser.parse_args()
    if not args.skip_npm:
        subprocess.run(["npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund"], cwd=WEB, check=True)
    lock = json.loads((WEB / "package-lock.json").read_text(encoding="utf-8"))
    manifest = vendor(WEB / "node_modules", lock)
    text = json.dumps(manifest, indent=2, ensure_ascii=False) + "\n"
    (VENDOR / "MANIFEST.json").write_text(text, encoding="utf-8")
    for p in manifest["packages"]:  # type: ignore[attr-defined]
        print(f"{p['package']} {p['version']} ({p['licence']}): {len(p['files'])} files")
    return 0


if __name__ == "__main__":
    sys.exit(main())
