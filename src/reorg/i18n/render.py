"""Sentences, numbers and dates in a person's language.

``explain`` renders a diagnosis finding and ``refusal`` an invariant violation or a refusal of
``apply`` from the template key and parameters they keep: the template is looked up in the language's
catalogue (``pgettext(key, english)``), word parameters (``reorg.i18n.keyed.WORD_PARAMS``) are
translated, and the sentence is filled by a ``string.Formatter`` that writes numbers the locale's way:
a field with a numeric format spec (``{area:,.1f}``, ``{share:.0%}``, ``{max_units:.0f}``) is written
by Babel with the same number of decimals and grouping (1,234,567.5 is "1.234.567,5" in Vietnamese and
"1 234 567,5" with no-break spaces in Ukrainian); a listing of names is joined the locale's way
("A, B và C"), a phrase (``reorg.text.Phrase``) is rendered again from its own key; other fields are
inserted as given. English is
rendered exactly as the core renders it (``str.format``), so the sentence a log shows and the page
shows are the same.
"""

from __future__ import annotations

import copy
import datetime
import decimal
import functools
import re
import string
from collections.abc import Mapping
from gettext import NullTranslations

from babel import Locale
from babel import dates as babel_dates
from babel.lists import format_list
from babel.numbers import NumberPattern

from reorg.diagnose.findings import TEMPLATES
from reorg.i18n.keyed import TEMPLATES_BY_KEY, WORD_PARAMS
from reorg.i18n.languages import DEFAULT, resolve
from reorg.i18n.translations import translations
from reorg.plan.messages import MESSAGES
from reorg.text import LISTING_MORE, Listing, Phrase

__all__ = ["explain", "format_date", "format_datetime", "format_number", "format_percent", "refusal"]

Param = str | int | float

#: Python's format spec: [[fill]align][sign][z][#][0][width][grouping][.precision][type]
_SPEC = re.compile(
    r"(?:(?P<fill>.)?(?P<align>[<>=^]))?(?P<sign>[-+ ])?(?P<z>z)?(?P<alt>#)?(?P<zero>0)?"
    r"(?P<width>\d+)?(?P<grouping>[,_])?(?:\.(?P<precision>\d+))?(?P<type>[bcdeEfFgGnosxX%])?",
    re.DOTALL,
)

#: The spec types written the locale's way; the others (exponents, hexadecimal, ...) as Python does.
_LOCALIZED = frozenset({"f", "F", "%", "d", "n", None})

#: Python's default number of decimals for ``f`` and ``%`` without a precision.
_DEFAULT_PRECISION = 6


@functools.lru_cache(maxsize=256)
def _pattern(lang: str, digits: int | None, percent: bool) -> tuple[Locale, NumberPattern]:
    """The locale and its decimal (or percent) pattern with ``digits`` decimals, made once per process:
    parsing a locale costs more than formatting a number, and a page formats hundreds."""
    locale = Locale.parse(lang)
    pattern = copy.copy((locale.percent_formats if percent else locale.decimal_formats)[None])
    if digits is not None:
        pattern.frac_prec = (digits, digits)
    return locale, pattern


def _number(value: float, lang: str, *, digits: int | None, percent: bool, grouping: bool) -> str:
    """``value`` in the locale's decimal (or percent) pattern with exactly ``digits`` decimals (the
    pattern's own when None), rounded half to even on its exact binary value as Python does."""
    locale, pattern = _pattern(lang, digits, percent)
    exact = decimal.Decimal(value)
    return str(pattern.apply(exact, locale, group_separator=grouping))


def _localized(value: object, spec: str, lang: str) -> str | None:
    """``value`` formatted by ``spec`` in ``lang``, or None when Python's own formatting applies (not
    a number, no numeric spec, or a spec with a sign, zero padding or a non-decimal type)."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not spec:
        return None
    m = _SPEC.fullmatch(spec)
    if m is None or m["sign"] or m["z"] or m["alt"] or m["zero"] or m["type"] not in _LOCALIZED:
        return None
    kind, precision, grouping = m["type"], m["precision"], m["grouping"] is not None
    if kind is None and precision is None and not grouping:
        return None
    if kind in ("d", "n") and isinstance(value, float):
        return None
    digits = int(precision) if precision is not None else None
    if kind in ("f", "F", "%") and digits is None:
        digits = _DEFAULT_PRECISION
    if kind in ("d", "n"):
        digits = 0
    text = _number(float(value), lang, digits=digits, percent=kind == "%", grouping=grouping)
    if m["width"]:
        text = format(text, f"{m['fill'] or ''}{m['align'] or '>'}{m['width']}")
    return text


class _LocaleFormatter(string.Formatter):
    """``str.format`` that writes numeric fields the way ``lang`` does."""

    def __init__(self, lang: str) -> None:
        self.lang = lang

    def format_field(self, value: object, format_spec: str) -> str:
        text = _localized(value, format_spec, self.lang)
        return text if text is not None else str(super().format_field(value, format_spec))


def _param(value: Param, name: str, code: str, gettext: NullTranslations) -> Param:
    """A parameter in ``code``: a known word translated, a phrase rendered again from its key, a
    listing written with the locale's list pattern; anything else as given."""
    if isinstance(value, Phrase) and value.key in TEMPLATES_BY_KEY:
        return _fill(value.key, TEMPLATES_BY_KEY[value.key], value.params, code, gettext)
    if isinstance(value, Listing) and value.items:
        if value.rest:
            more = gettext.pgettext("listing.more", LISTING_MORE)
            return _LocaleFormatter(code).format(more, items=", ".join(value.items), rest=value.rest)
        return str(format_list(list(value.items), locale=code))
    words = WORD_PARAMS.get(name, {})
    if isinstance(value, str) and value in words:
        return gettext.pgettext(words[value], value)
    return value


def _fill(key: str, english: str, params: Mapping[str, Param], code: str, gettext: NullTranslations) -> str:
    """The translation of template ``key`` filled with ``params``, each written in ``code``."""
    local = {name: _param(value, name, code, gettext) for name, value in params.items()}
    return _LocaleFormatter(code).vformat(gettext.pgettext(key, english), (), local)


def _render(catalogue: Mapping[str, str], key: str, params: Mapping[str, Param], lang: str | None) -> str:
    english = catalogue[key]
    code = resolve(lang)
    if code == DEFAULT:
        return english.format(**params)
    return _fill(key, english, params, code, translations(code))


def explain(key: str, params: Mapping[str, Param], lang: str | None) -> str:
    """The sentence of diagnosis finding ``key`` (``Finding.template``) with ``params`` in ``lang``."""
    return _render(TEMPLATES, key, params, lang)


def refusal(key: str, params: Mapping[str, Param], lang: str | None) -> str:
    """The sentence of invariant violation or refusal ``key`` (``Violation.template``,
    ``PlanError.template``) with ``params`` in ``lang``."""
    return _render(MESSAGES, key, params, lang)


def format_number(x: float, lang: str | None, digits: int = 0) -> str:
    """``x`` with ``digits`` decimals and the locale's grouping ("1.234.567,5" in Vietnamese)."""
    return _number(float(x), resolve(lang), digits=digits, percent=False, grouping=True)


def format_percent(share: float, lang: str | None, digits: int = 0) -> str:
    """``share`` (0.25 = 25 %) as a percentage with ``digits`` decimals, the locale's way."""
    return _number(float(share), resolve(lang), digits=digits, percent=True, grouping=True)


def format_date(d: datetime.date, lang: str | None) -> str:
    """A date in the locale's medium form ("Jul 1, 2025", "1 thg 7, 2025", "1 лип. 2025 р.")."""
    return babel_dates.format_date(d, format="medium", locale=resolve(lang))


def format_datetime(dt: datetime.datetime, lang: str | None) -> str:
    """A moment in the locale's medium form, in the time zone ``dt`` carries (naive: as given)."""
    return babel_dates.format_datetime(dt, format="medium", tzinfo=dt.tzinfo, locale=resolve(lang))
