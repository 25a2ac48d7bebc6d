"""A bundle's zip is unpacked flat into its own folder, bundle files only; unsafe zips are refused before
anything is written."""

from __future__ import annotations

import zipfile
from pathlib import Path

import numpy as np
import pytest

from reorg.errors import InputError
from reorg.io.archive import unpack_bundle


def zip_of(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def test_a_top_folder_is_flattened_and_other_files_left_packed(tmp_path: Path) -> None:
    """``b/units.csv`` lands in the folder itself; a README and ``__MACOSX/`` are not unpacked."""
    members = {
        "b/units.csv": b"id,name,level\n",
        "b/dataset.json": b"{}",
        "b/README.md": b"#",
        "__MACOSX/b/._units.csv": b"x",
    }
    out = unpack_bundle(zip_of(tmp_path / "b.zip", members), tmp_path / "out")
    assert sorted(p.name for p in out.iterdir()) == ["dataset.json", "units.csv"]
    assert (out / "units.csv").read_bytes() == b"id,name,level\n"


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("../units.csv", "'..'"),
        ("a/../../units.csv", "'..'"),
        ("/units.csv", "relative"),
        ("C:/units.csv", "relative"),
        ("a\\units.csv", "relative"),
        ("a/b/units.csv", "not deeper"),
    ],
)
def test_unsafe_names_are_refused_before_anything_is_written(tmp_path: Path, name: str, words: str) -> None:
    """A name that could leave the folder, or lies too deep, is refused and the folder is not made."""
    archive = zip_of(tmp_path / "x.zip", {"levels.csv": b"level,rank\n", name: b"id\n"})
    with pytest.raises(InputError, match=words) as caught:
        unpack_bundle(archive, tmp_path / "out")
    assert caught.value.file == "x.zip"
    assert not (tmp_path / "out").exists()


def test_the_same_file_twice_is_refused(tmp_path: Path) -> None:
    """Two names that land on one file (differing in case) are refused rather than one overwriting."""
    archive = zip_of(tmp_path / "x.zip", {"units.csv": b"a", "UNITS.csv": b"b"})
    with pytest.raises(InputError, match="each file once"):
        unpack_bundle(archive, tmp_path / "out")


def test_the_unpacked_size_is_bounded(tmp_path: Path) -> None:
    """A zip unpacking beyond ``max_bytes`` is refused (seeded random bytes: no ratio to catch)."""
    noise = np.random.default_rng(0).bytes(2 * 2**20)
    archive = zip_of(tmp_path / "x.zip", {"units.csv": noise})
    with pytest.raises(InputError, match="at most 1 MB"):
        unpack_bundle(archive, tmp_path / "out", max_bytes=2**20)
