"""Unit ids and names of the Vietnam dataset and its plan, in one place.

Ids are built from the official GSO codes the package carries: ``p01`` (province 01), ``d001``
(district 001), ``c00001`` (commune 00001). Units created by the 2025 reform get ``p2025-<code>`` and
``c2025-<code>`` (the 2025 codes reuse old numbers for other units, so they need their own prefix).
Agencies inside a territorial unit are ``<unit id>.<type>`` (``p01.so-tai-chinh``,
``d001.phong-tu-phap``). The root, the Government, is ``vn``; central bodies use their English
acronym (``mof``, ``moha``, ...).
"""

from __future__ import annotations

__all__ = [
    "ROOT",
    "ROOT_NAME",
    "agency",
    "commune",
    "district",
    "locative",
    "new_commune",
    "new_province",
    "province",
]

ROOT = "vn"
ROOT_NAME = "Chính phủ"


def province(code: str) -> str:
    return f"p{code}"


def new_province(code: str) -> str:
    return f"p2025-{code}"


def district(code: str) -> str:
    return f"d{code}"


def commune(code: str) -> str:
    return f"c{code}"


def new_commune(code: str) -> str:
    return f"c2025-{code}"


def agency(unit_id: str, kind: str) -> str:
    """The id of the agency of type ``kind`` inside territorial unit ``unit_id``."""
    return f"{unit_id}.{kind}"


def locative(name: str) -> str:
    """ "Tỉnh Hà Giang" -> "tỉnh Hà Giang": the unit's name as it follows an agency's name
    ("Sở Tài chính tỉnh Hà Giang")."""
    return name[:1].lower() + name[1:]
