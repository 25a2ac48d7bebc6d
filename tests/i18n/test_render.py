"""Sentences, numbers and dates in each language: findings, refusals, word parameters, fallbacks."""

from __future__ import annotations

import datetime
import string

import pytest
from babel import Locale

from reorg.datasets.planted import planted
from reorg.diagnose import diagnose
from reorg.diagnose import explain as english_explain
from reorg.i18n import (
    explain,
    format_date,
    format_datetime,
    format_number,
    format_percent,
    negotiate,
    refusal,
)
from reorg.i18n.keyed import CATALOGUES, WORD_PARAMS
from reorg.model import Apparatus
from reorg.plan.invariants import check
from reorg.plan.messages import render
from reorg.text import Phrase, listing

LANGS = ["en", "vi", "uk"]
NBSP = Locale.parse("uk").number_symbols["latn"]["group"]


def sample(english: str) -> dict[str, str | int | float]:
    """Parameters for every field of a template: a known word for word parameters, 1234567.5 for
    fields with a float spec, 7 for the others that look like counts, a name otherwise."""
    params: dict[str, str | int | float] = {}
    for _, name, spec, _ in string.Formatter().parse(english):
        if name is None:
            continue
        if name in WORD_PARAMS:
            params[name] = next(iter(WORD_PARAMS[name]))
        elif spec and spec[-1] in "f%":
            params[name] = 1234567.5
        else:
            params[name] = f"<{name}>"
    return params


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize(("source", "key"), [(s, k) for s in ("finding", "refusal") for k in CATALOGUES[s]])
def test_every_template_renders(source: str, key: str, lang: str) -> None:
    """Every finding and refusal template renders in every language, keeping each name it is given."""
    params = sample(CATALOGUES[source][key])
    text = (explain if source == "finding" else refusal)(key, params, lang)
    assert text
    for value in params.values():
        if isinstance(value, str) and value.startswith("<"):
            assert value in text


def test_explain_in_vietnamese_uses_vietnamese_separators() -> None:
    """1234567.5 with `,.1f` is 1.234.567,5 in Vietnamese and a share of .456 with `.0%` is 46%."""
    params = {
        "name": "Xã A",
        "level": "xã",
        "standard": "xã",
        "area": 1234567.5,
        "min_area": 30.0,
        "ratio": 0.456,
    }
    text = explain("below_standard.area", params, "vi")
    assert "1.234.567,5 km²" in text
    assert "30,0 km²" in text
    assert "46%" in text


def test_ukrainian_groups_with_the_locale_space() -> None:
    """Ukrainian groups thousands with its no-break space and writes decimals with a comma."""
    params = {
        "unit": "U",
        "level": "громада",
        "standard": "громада",
        "population": 1234567.0,
        "min_population": 5000.0,
    }
    text = refusal("standards.population", params, "uk")
    assert f"1{NBSP}234{NBSP}567" in text
    assert f"5{NBSP}000" in text


def test_rounding_matches_english() -> None:
    """A number is rounded as Python rounds it, so the languages agree on the digits."""
    for value in (2.675, 0.125, 1234567.5):
        en = format(value, ",.2f")
        vi = format_number(value, "vi", 2)
        assert vi == en.replace(",", " ").replace(".", ",").replace(" ", ".")


@pytest.mark.parametrize("lang", [None, "", "xx", "de-DE"])
def test_unknown_language_is_english(lang: str | None) -> None:
    """An unknown or missing language gives exactly the English sentence the core renders."""
    params = {"task": "T1", "uncovered": 3, "leaves": 10, "share": 0.3, "names": "A, B and C"}
    assert explain("no_lead.gap", params, lang) == english_explain("no_lead.gap", params)
    assert refusal("coverage.no_lead", {"task": "T1"}, lang) == render("coverage.no_lead", {"task": "T1"})


def test_region_and_case_are_ignored() -> None:
    """vi-VN and VI select Vietnamese."""
    params = {"task": "T"}
    assert refusal("coverage.no_lead", params, "vi-VN") == refusal("coverage.no_lead", params, "VI")
    assert refusal("coverage.no_lead", params, "vi") != render("coverage.no_lead", params)


def test_word_parameters_are_translated() -> None:
    """Words the core puts into a sentence (a staffing metric, a duty's role) are translated too."""
    params = {"unit": "U", "role": "lead", "task": "T"}
    assert "chủ trì" in refusal("plan.transfer.not_held", params, "vi")
    assert "lead" not in refusal("plan.transfer.not_held", params, "uk")


@pytest.fixture(scope="module")
def planted_app() -> Apparatus:
    return planted(1)[0]


@pytest.mark.parametrize("lang", LANGS)
def test_every_finding_of_a_diagnosis_renders(planted_app: Apparatus, lang: str) -> None:
    """Every finding the diagnosis of the planted apparatus produces renders in each language; English
    equals the finding's own explanation."""
    report = diagnose(planted_app)
    assert len({f.kind for f in report.findings}) >= 10
    for f in report.findings:
        text = explain(f.template, f.params, lang)
        assert text
        if lang == "en":
            assert text == f.explanation
        else:
            assert text != f.explanation


@pytest.mark.parametrize("lang", LANGS)
def test_every_violation_renders(planted_app: Apparatus, lang: str) -> None:
    """Every invariant violation of the planted apparatus renders in each language."""
    violations = check(planted_app)
    assert violations
    for v in violations:
        assert refusal(v.template, v.params, lang)


def test_number_and_date_helpers() -> None:
    """Numbers, percentages and dates are written the locale's way."""
    assert format_number(1234567.5, "vi", 1) == "1.234.567,5"
    assert format_number(1234567.5, "en") == "1,234,568"
    assert format_number(1234.5, "uk", 1) == f"1{NBSP}234,5"
    assert format_percent(0.125, "vi", 1) == "12,5%"
    day = datetime.date(2025, 7, 1)
    assert format_date(day, "en") == "Jul 1, 2025"
    assert format_date(day, "vi") == "1 thg 7, 2025"
    assert "лип" in format_date(day, "uk")
    moment = datetime.datetime(2025, 7, 1, 14, 5, tzinfo=datetime.UTC)
    assert "14:05" in format_datetime(moment, "vi")


@pytest.mark.parametrize(
    ("header", "lang"),
    [
        ("vi-VN,vi;q=0.9,en;q=0.8", "vi"),
        ("de-DE, uk;q=0.5, en;q=0.4", "uk"),
        ("en;q=0.3, vi;q=0.9", "vi"),
        ("fr", "en"),
        ("", "en"),
        (None, "en"),
        ("vi;q=abc, uk;q=0", "en"),
        (";;,,q=", "en"),
    ],
)
def test_negotiate(header: str | None, lang: str) -> None:
    """The Accept-Language header picks the spoken language of highest weight, else English."""
    assert negotiate(header) == lang


def test_listings_are_joined_the_locale_way() -> None:
    """A listing of names keeps its English text and is joined in the locale's words elsewhere."""
    two, more = listing(["A", "B"]), listing(["A", "B", "C"], total=10, shown=2)
    assert (two, more) == ("A and B", "A, B and 8 more")
    assert refusal("tree.cycle", {"units": two}, "vi").endswith("A và B")
    assert refusal("tree.cycle", {"units": more}, "vi").endswith("A, B và 8 mục khác")
    assert refusal("tree.cycle", {"units": two}, "uk").endswith("A і B")
    assert refusal("tree.cycle", {"units": two}, "en") == "units on a parent cycle: A and B"


def test_a_phrase_parameter_is_rendered_in_the_language() -> None:
    """The violation inside plan.result, kept as a Phrase, is translated with the outer sentence."""
    inner = Phrase(render("coverage.no_lead", {"task": "T"}), "coverage.no_lead", {"task": "T"})
    assert refusal("plan.result", {"message": inner}, "en") == "the result breaks it: task T has no lead unit"
    assert refusal("plan.result", {"message": inner}, "vi") == (
        "kết quả vi phạm quy tắc này: nhiệm vụ T không có đơn vị chủ trì"
    )


def test_every_violation_translates_inside_plan_result(planted_app: Apparatus) -> None:
    """Each violation of the planted apparatus, wrapped as apply wraps it in plan.result, is translated
    inside the outer sentence."""
    for v in check(planted_app):
        phrase = Phrase(v.message, v.template, v.params)
        text = refusal("plan.result", {"message": phrase}, "uk")
        assert text.startswith("результат порушує це правило: ")
        assert text.endswith(refusal(v.template, v.params, "uk"))
