"""A bundle sent as a .zip of its CSV folder, unpacked safely into a folder of its own.

A zip comes from someone else, so it is checked from its directory before a byte is unpacked, and
refused (InputError naming the archive and the member) when:

- a member's name is absolute (``/etc/x``, ``C:\\x``, ``\\\\host\\x``), has a ``..`` or empty part, a
  backslash or a control character, or lies deeper than one folder (``units.csv`` and
  ``examplia/units.csv`` are fine; members in two different top folders are not);
- a member is a symbolic link or anything but a plain file or folder;
- there are more than ``max_members`` members, or the files would unpack to more than ``max_bytes``,
  or a file over 1 MiB would unpack more than ``MAX_RATIO`` times its packed size (a zip bomb; CSV
  text packs 3 to 10 times);
- two members would land on the same file (names differing only in case, on a case-insensitive disk).

Only the bundle's files are unpacked: ``*.csv`` (a misspelt CSV name is then refused by the reader, as
in a folder), ``dataset.json`` and ``territories.geojson``; anything else (a README, ``__MACOSX/``) is
left packed. The bytes written are counted as they are unpacked, so a member that lies about its size in
the directory still cannot write more than ``max_bytes``.
"""

from __future__ import annotations

import stat
import struct
import zipfile
from pathlib import Path, PurePosixPath

from reorg.errors import InputError
from reorg.io.xlsx_rows import MAX_RATIO, RATIO_FLOOR

__all__ = ["MAX_BYTES", "MAX_MEMBERS", "unpack_bundle"]

#: members a bundle's zip may hold
MAX_MEMBERS = 64
#: bytes a bundle's zip may unpack to, in all (by default)
MAX_BYTES = 2 * 2**30
#: the names unpacked besides the CSV files
EXTRA_FILES = frozenset({"dataset.json", "territories.geojson"})
_CHUNK = 2**16


def _parts(archive: str, name: str) -> tuple[str, ...]:
    """The parts of a member's path; InputError when it could reach outside the folder."""
    bad = (
        not name
        or name.startswith(("/", "\\"))
        or "\\" in name
        or (len(name) > 1 and name[1] == ":")
        or any(ord(ch) < 32 or ord(ch) == 127 for ch in name)
    )
    parts = PurePosixPath(name).parts
    if bad or any(p in ("", ".", "..") for p in name.rstrip("/").split("/")):
        raise InputError(archive, "relative member names without '..' (an unsafe archive)", value=name)
    return parts


def _kept(parts: tuple[str, ...]) -> bool:
    """Is this file one of a bundle's files (unpacked), rather than something left packed?"""
    if parts[0] == "__MACOSX":
        return False
    last = parts[-1]
    return last.lower().endswith(".csv") or last in EXTRA_FILES


def _check(archive: str, members: list[zipfile.ZipInfo], max_members: int, max_bytes: int) -> None:
    """InputError for anything unsafe in the directory of the zip (see the module)."""
    if len(members) > max_members:
        raise InputError(archive, f"a zip of at most {max_members:,} files, found {len(members):,}")
    tops: set[str] = set()
    seen: set[str] = set()
    total = 0
    for member in members:
        parts = _parts(archive, member.filename)
        kind = stat.S_IFMT(member.external_attr >> 16)  # 0 when the zip does not say
        if kind not in (0, stat.S_IFREG, stat.S_IFDIR):
            raise InputError(archive, "plain files only (no symbolic links)", value=member.filename)
        if member.is_dir() or parts[0] == "__MACOSX":
            continue
        if len(parts) > 2:
            raise InputError(
                archive, "the bundle's files at the top or in one folder, not deeper", value=member.filename
            )
        tops.add(parts[0] if len(parts) == 2 else "")
        if len(tops) > 1:
            raise InputError(
                archive, "the bundle's files in a single folder (or at the top)", value=member.filename
            )
        if not _kept(parts):
            continue
        if parts[-1].lower() in seen:
            raise InputError(archive, "each file once", value=member.filename)
        seen.add(parts[-1].lower())
        total += member.file_size
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > RATIO_FLOOR and ratio > MAX_RATIO:
            raise InputError(
                archive,
                f"files that unpack at most {MAX_RATIO} times their packed size; "
                f"{member.filename} unpacks {ratio:,.0f} times (a zip bomb?)",
            )
        if total > max_bytes:
            raise InputError(archive, f"a zip unpacking to at most {max_bytes // 2**20:,} MB (a zip bomb?)")


def unpack_bundle(
    path: Path, into: Path, *, max_members: int = MAX_MEMBERS, max_bytes: int = MAX_BYTES
) -> Path:
    """Unpack the bundle zipped at ``path`` into the new folder ``into`` (see the module for what is
    refused; the files of a single top folder land directly in ``into``) and return ``into``."""
    name = path.name
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            _check(name, members, max_members, max_bytes)
            into.mkdir(mode=0o700)
            written = 0
            for member in members:
                parts = PurePosixPath(member.filename).parts
                if member.is_dir() or not _kept(parts):
                    continue
                target = into / parts[-1]
                with archive.open(member) as source, target.open("xb") as out:
                    while chunk := source.read(_CHUNK):
                        written += len(chunk)
                        if written > max_bytes:
                            raise InputError(name, f"a zip unpacking to at most {max_bytes // 2**20:,} MB")
                        out.write(chunk)
    except (zipfile.BadZipFile, EOFError, NotImplementedError, struct.error, ValueError, RuntimeError):
        raise InputError(name, "a .zip of a bundle's CSV files; this file is not a readable zip") from None
    except OSError as exc:
        raise InputError(name, f"a zip that can be unpacked ({exc.strerror or exc})") from None
    return into
