"""Every entry of every catalogue, the web app's strings included, is translated in full: all plural
forms filled, nothing fuzzy, the same ``%(name)s`` placeholders as the English; and a page shows them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po
from web_kit import sqlite_url, web_client

from reorg.i18n import LANGUAGES
from reorg.i18n.translations import po_path

TRANSLATED = [lang for lang in LANGUAGES if lang != "en"]

#: a printf-style named placeholder: %(name)s, %(num)d, %(share).1f
PLACEHOLDER = re.compile(r"%\((\w+)\)[-#0 +]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]")


def placeholders(text: str) -> list[str]:
    """The named ``%(...)`` placeholders of ``text``, in order, with their conversion."""
    return sorted(m.group(0) for m in PLACEHOLDER.finditer(text))


def catalogue(lang: str) -> Catalog:
    with po_path(lang).open("rb") as f:
        return read_po(f, locale=lang, domain="messages")


def entries(lang: str) -> list[Message]:
    return [m for m in catalogue(lang) if m.id]


def label(message: Message) -> str:
    english = message.id if isinstance(message.id, str) else message.id[0]
    return f"{message.context or 'web'}: {english[:60]!r}"


@pytest.mark.parametrize("lang", TRANSLATED)
def test_every_entry_is_translated_in_full(lang: str) -> None:
    """Each entry of the catalogue (keyed sentences and web strings alike) has a non-empty translation
    in every plural form the language has, and none is fuzzy."""
    catalog = catalogue(lang)
    problems = []
    for m in entries(lang):
        forms = [m.string] if isinstance(m.id, str) else list(m.string)
        if m.fuzzy:
            problems.append(f"fuzzy {label(m)}")
        if not isinstance(m.id, str) and len(forms) != catalog.num_plurals:
            problems.append(f"{len(forms)} of {catalog.num_plurals} plural forms {label(m)}")
        if not all(form and str(form).strip() for form in forms):
            problems.append(f"untranslated {label(m)}")
    assert not problems, f"{lang}: " + "; ".join(problems)


@pytest.mark.parametrize("lang", TRANSLATED)
def test_web_strings_are_there(lang: str) -> None:
    """The catalogue holds the web app's strings (no msgctxt), plurals among them: the check above
    would pass on an empty file."""
    web = [m for m in entries(lang) if m.context is None]
    assert len(web) > 150
    assert any(not isinstance(m.id, str) for m in web)


@pytest.mark.parametrize("lang", TRANSLATED)
def test_translations_keep_the_placeholders(lang: str) -> None:
    """Every translation (every plural form) has exactly the ``%(name)s`` placeholders of its English:
    of the plural English for the plural forms, since one form serves 1, 21, 31… in Ukrainian."""
    wrong = []
    for m in entries(lang):
        pairs = [(m.id, m.string)] if isinstance(m.id, str) else [(m.id[1], s) for s in m.string]
        for english, translated in pairs:
            if placeholders(english) != placeholders(str(translated)):
                wrong.append(f"{label(m)} -> {translated!r}")
    assert not wrong, f"{lang}: " + "; ".join(wrong)


def test_placeholder_pattern_sees_names_and_specs() -> None:
    """The placeholder pattern finds named fields with their conversion and nothing else."""
    assert placeholders("%(num)s of %(share).1f%% in {task}") == ["%(num)s", "%(share).1f"]
    assert placeholders("100% sure") == []


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("vi", ["Đăng nhập", "Tên đăng nhập", "Mật khẩu"]),
        ("uk", ["Увійти", "Логін", "Пароль"]),
    ],
)
def test_login_page_speaks_the_language(tmp_path: Path, lang: str, words: list[str]) -> None:
    """The sign-in page asked with ?lang= shows its title, fields and button in that language and
    no longer the English "Sign in"."""
    with web_client(sqlite_url(tmp_path)) as client:
        page = client.get(f"/login?lang={lang}")
    assert page.status_code == 200
    assert f'<html lang="{lang}">' in page.text
    for word in words:
        assert word in page.text
    assert "Sign in" not in page.text
    assert "Password" not in page.text
