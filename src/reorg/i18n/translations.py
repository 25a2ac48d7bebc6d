"""The translations of one language, read from its .po catalogue at run time.

The .po files under ``locales/<lang>/LC_MESSAGES/messages.po`` are the only form of the translations
in the repository: they are read with Babel and compiled in memory into a gettext ``GNUTranslations``
once per language (no build step, no .mo files). Fuzzy entries are left out, so a sentence whose
English changed since it was translated is shown in English until a translator confirms it. English
is the msgid itself: its translations are ``NullTranslations``.
"""

from __future__ import annotations

import functools
import gettext
import io
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from reorg.i18n.languages import DEFAULT, LANGUAGES, resolve

__all__ = ["LOCALES", "TEMPLATE", "po_path", "translations"]

#: The folder of the catalogues, one per language but English.
LOCALES = Path(__file__).parent / "locales"

#: The template every catalogue is updated from (``make i18n`` writes it).
TEMPLATE = Path(__file__).parent / "messages.pot"


def po_path(lang: str, root: Path = LOCALES) -> Path:
    """Where the catalogue of ``lang`` lives under ``root``."""
    return root / lang / "LC_MESSAGES" / "messages.po"


@functools.cache
def _load(lang: str) -> gettext.NullTranslations:
    if lang == DEFAULT:
        return gettext.NullTranslations()
    with po_path(lang).open("rb") as f:
        catalog = read_po(f, locale=lang, domain="messages")
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


def translations(lang: str | None) -> gettext.NullTranslations:
    """The translations of ``lang`` (English for an unknown language), read once and then shared."""
    code = resolve(lang)
    return _load(code if code in LANGUAGES else DEFAULT)
