"""The interface languages and how a person's language is chosen.

A language is a short code (``en``, ``vi``, ``uk``); anything else (an unknown code, an empty value)
falls back to English, the language of the sources. A browser's Accept-Language header is matched on
its language part ("vi-VN" -> "vi"), by the listed preference weights.
"""

from __future__ import annotations

from collections.abc import Mapping

__all__ = ["DEFAULT", "LANGUAGES", "negotiate", "resolve"]

#: Every language the interface speaks, by code, with its name in itself.
LANGUAGES: Mapping[str, str] = {"en": "English", "vi": "Tiếng Việt", "uk": "Українська"}

#: The language of the sources, and of anyone whose language is unknown.
DEFAULT = "en"

#: An Accept-Language header longer than this is not read past it (it is the client's to keep short).
MAX_HEADER = 1000


def resolve(lang: str | None) -> str:
    """``lang`` if the interface speaks it (case and region ignored: "VI-vn" -> "vi"), else English."""
    code = (lang or "").strip().replace("_", "-").split("-", 1)[0].lower()
    return code if code in LANGUAGES else DEFAULT


def negotiate(header: str | None) -> str:
    """The language to answer a request in, from its Accept-Language header: the spoken language with
    the highest weight (earlier entries win ties), English when none is spoken or the header is absent
    or malformed."""
    best, best_q = DEFAULT, 0.0
    for entry in (header or "")[:MAX_HEADER].split(","):
        tag, _, rest = entry.strip().partition(";")
        code = tag.strip().replace("_", "-").split("-", 1)[0].lower()
        if code not in LANGUAGES:
            continue
        q = 1.0
        for param in rest.split(";"):
            key, _, value = param.strip().partition("=")
            if key.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        if 0.0 < q <= 1.0 and q > best_q:
            best, best_q = code, q
    return best
