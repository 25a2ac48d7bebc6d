"""Regenerate the catalogues from the sources: ``python -m reorg.i18n.catalogue`` (``make i18n``).

1. The template ``messages.pot`` gathers (a) every entry of the keyed catalogues
   (``reorg.i18n.keyed.CATALOGUES``: msgctxt = the key, msgid = the English template, the catalogue's
   name as an extracted comment) and (b) the strings of the web app and of the reports, extracted by
   Babel from ``reorg/web/**/*.py`` and ``reorg/report/**/*.py`` (``_``, ``gettext``, ``ngettext``,
   ``pgettext`` calls) and their ``templates/**/*.html`` (Jinja2 ``{{ _("...") }}`` and
   ``{% trans %}``); a missing or empty folder gives no strings.
2. Each language's ``messages.po`` is updated from the template (``Catalog.update``): translations of
   unchanged entries are kept, entries whose English changed are kept as fuzzy (shown in English until
   a translator confirms them), new entries are added untranslated, and entries gone from the sources
   are dropped.

A file is rewritten only when something but its dates changed, so running it twice changes nothing.
``--check`` writes nothing and exits 1 when a file is out of date.
"""

from __future__ import annotations

import argparse
import io
import sys
from collections.abc import Sequence
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

from reorg.i18n.keyed import CATALOGUES
from reorg.i18n.languages import DEFAULT, LANGUAGES
from reorg.i18n.translations import po_path

__all__ = ["PACKAGE", "REPORT", "SOURCES", "WEB", "main", "template", "update", "write"]

#: Where the template and the catalogues live (the package folder of ``reorg.i18n``).
PACKAGE = Path(__file__).parent

#: The web app's package, whose Python modules and Jinja2 templates hold its strings.
WEB = PACKAGE.parent / "web"

#: The reports' package (the summary report of a reform: ``words.py`` and ``templates/reform.html``).
REPORT = PACKAGE.parent / "report"

#: The folders whose strings the template gathers, in this order.
SOURCES = (WEB, REPORT)

#: How Babel reads the web app's files; Jinja2's extractor adds its i18n extension itself.
METHODS = [("**.py", "python"), ("**/templates/**.html", "jinja2.ext:babel_extract")]

#: Header lines that change on every run and are not compared.
DATED = (b'"POT-Creation-Date:', b'"PO-Revision-Date:')


def _catalog(locale: str | None = None) -> Catalog:
    return Catalog(
        locale=locale,
        domain="messages",
        project="reorg",
        version="",
        copyright_holder="the reorg authors",
        msgid_bugs_address="",
        fuzzy=False,
    )


def template(*folders: Path) -> Catalog:
    """The template: the keyed catalogues, then the strings found under each of ``folders`` (by default
    ``SOURCES``: the web app, then the reports), located as ``reorg/<folder name>/<file>``."""
    catalog = _catalog()
    for source, entries in CATALOGUES.items():
        for key, english in entries.items():
            catalog.add(english, context=key, auto_comments=[source], flags=["python-brace-format"])
    for folder in folders or SOURCES:
        if not folder.is_dir():
            continue
        found = extract_from_dir(
            str(folder), METHODS, comment_tags=("Translators:",), strip_comment_tags=True
        )
        for filename, lineno, message, comments, context in found:
            where = [(f"reorg/{folder.name}/{filename}", lineno)]
            catalog.add(message, locations=where, auto_comments=comments, context=context)
    return catalog


def update(lang: str, pot: Catalog, root: Path = PACKAGE / "locales") -> Catalog:
    """The catalogue of ``lang`` under ``root`` (new if absent) brought up to date with ``pot``."""
    path = po_path(lang, root)
    if path.exists():
        with path.open("rb") as f:
            catalog = read_po(f, locale=lang, domain="messages")
    else:
        catalog = _catalog(lang)
    catalog.update(pot, update_header_comment=False)
    catalog.obsolete.clear()
    return catalog


def _text(catalog: Catalog) -> bytes:
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=100, ignore_obsolete=True, include_previous=False)
    return buffer.getvalue()


def _undated(text: bytes) -> list[bytes]:
    return [line for line in text.splitlines() if not line.startswith(DATED)]


def write(path: Path, catalog: Catalog, *, check: bool = False) -> bool:
    """Write ``catalog`` to ``path`` unless only its dates would change; True if it was (or, with
    ``check``, would be) rewritten."""
    text = _text(catalog)
    if path.exists() and _undated(path.read_bytes()) == _undated(text):
        return False
    if not check:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text)
    return True


_SUMMARY = "Regenerate messages.pot from the sources and update every language's messages.po."


def main(argv: Sequence[str] | None = None) -> int:
    """Regenerate the template and update every language's catalogue; the exit status (1 = out of
    date, with ``--check``)."""
    parser = argparse.ArgumentParser(prog="python -m reorg.i18n.catalogue", description=_SUMMARY)
    parser.add_argument("--root", type=Path, default=PACKAGE, help="folder of messages.pot and locales/")
    parser.add_argument("--web", type=Path, default=WEB, help="the web app's package folder")
    parser.add_argument("--report", type=Path, default=REPORT, help="the reports' package folder")
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 if a file is out of date")
    args = parser.parse_args(argv)
    pot = template(args.web, args.report)
    changed = [args.root / "messages.pot"] if write(args.root / "messages.pot", pot, check=args.check) else []
    for lang in LANGUAGES:
        if lang != DEFAULT:
            path = po_path(lang, args.root / "locales")
            if write(path, update(lang, pot, args.root / "locales"), check=args.check):
                changed.append(path)
    for path in changed:
        print(f"{'out of date' if args.check else 'wrote'}: {path}")
    return 1 if args.check and changed else 0


if __name__ == "__main__":
    sys.exit(main())
