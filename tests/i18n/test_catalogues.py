"""The catalogues: every keyed template has a real translation in every language, with the same
placeholders, and messages.pot and the .po files are what the sources give."""

from __future__ import annotations

import shutil
import string
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from reorg.i18n import LANGUAGES
from reorg.i18n.catalogue import main, template
from reorg.i18n.keyed import CATALOGUES
from reorg.i18n.translations import LOCALES, TEMPLATE, po_path

TRANSLATED = [lang for lang in LANGUAGES if lang != "en"]
KEYS = [(source, key) for source, entries in CATALOGUES.items() for key in entries]


def fields(text: str) -> set[tuple[str, str | None, str | None]]:
    """The (name, conversion, spec) of every replacement field of a template."""
    return {(name, conv, spec) for _, name, spec, conv in string.Formatter().parse(text) if name is not None}


def load(path: Path) -> dict[tuple[str, str | None], object]:
    """The entries of a .po or .pot file by (msgid, msgctxt), header left out."""
    with path.open("rb") as f:
        catalog = read_po(f)
    return {(str(m.id), m.context): m for m in catalog if m.id}


@pytest.fixture(scope="module", params=TRANSLATED)
def entries(request: pytest.FixtureRequest) -> tuple[str, dict[tuple[str, str | None], object]]:
    lang: str = request.param
    return lang, load(po_path(lang))


def test_keys_are_unique_across_catalogues() -> None:
    """No template key is used by two catalogues (the key is the msgctxt)."""
    keys = [key for _, key in KEYS]
    assert len(keys) == len(set(keys))


@pytest.mark.parametrize(("source", "key"), KEYS)
def test_every_key_is_translated(source: str, key: str, entries: tuple[str, dict]) -> None:
    """Each language has a non-empty, confirmed (not fuzzy) translation of every keyed template, with
    exactly the English template's placeholders (names, conversions and format specs)."""
    lang, found = entries
    english = CATALOGUES[source][key]
    message = found.get((english, key))
    assert message is not None, f"{lang}: no entry for {key}"
    assert message.string, f"{lang}: {key} is untranslated"
    assert not message.fuzzy, f"{lang}: {key} is fuzzy"
    assert fields(message.string) == fields(english), f"{lang}: {key} placeholders differ"


def test_template_is_up_to_date() -> None:
    """messages.pot holds exactly the entries the sources give (a new or changed template fails here
    until `make i18n` is run and the entry translated)."""
    assert set(load(TEMPLATE)) == {(str(m.id), m.context) for m in template() if m.id}


def test_regeneration_changes_nothing(tmp_path: Path) -> None:
    """Running the catalogue tool on the committed files rewrites none of them."""
    shutil.copy(TEMPLATE, tmp_path / "messages.pot")
    shutil.copytree(LOCALES, tmp_path / "locales")
    assert main(["--root", str(tmp_path), "--check"]) == 0
    assert main(["--root", str(tmp_path)]) == 0
    for lang in TRANSLATED:
        assert po_path(lang, tmp_path / "locales").read_bytes() == po_path(lang).read_bytes()


def test_new_template_is_added_untranslated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A template added to the sources reaches the .pot and every .po as an empty entry, and the
    translations already there are kept."""
    monkeypatch.setitem(CATALOGUES, "test", {"test.new": "A new sentence about {unit}."})  # type: ignore[arg-type]
    shutil.copytree(LOCALES, tmp_path / "locales")
    assert main(["--root", str(tmp_path), "--check"]) == 1
    assert main(["--root", str(tmp_path)]) == 0
    assert ("A new sentence about {unit}.", "test.new") in load(tmp_path / "messages.pot")
    for lang in TRANSLATED:
        found = load(po_path(lang, tmp_path / "locales"))
        new = found[("A new sentence about {unit}.", "test.new")]
        assert not new.string or new.fuzzy  # type: ignore[attr-defined]
        kept = found[(CATALOGUES["finding"]["no_lead.none"], "no_lead.none")]
        assert kept.string  # type: ignore[attr-defined]


def test_web_strings_are_extracted(tmp_path: Path) -> None:
    """Strings marked in the web app's Python modules and Jinja2 templates reach the template, with
    their context; an absent web folder gives none."""
    (tmp_path / "templates").mkdir()
    routes = 'from x import _, pgettext\n_("Sign in")\npgettext("menu", "Plans")\n'
    (tmp_path / "routes.py").write_text(routes)
    (tmp_path / "templates" / "base.html").write_text(
        '<h1>{{ _("Diagnosis") }}</h1>{% trans %}Welcome back{% endtrans %}\n'
    )
    found = {(str(m.id), m.context) for m in template(tmp_path) if m.id}
    assert {("Sign in", None), ("Plans", "menu"), ("Diagnosis", None), ("Welcome back", None)} <= found
    assert {(str(m.id), m.context) for m in template(tmp_path / "absent") if m.id} == {
        (english, key) for entries in CATALOGUES.values() for key, english in entries.items()
    }
