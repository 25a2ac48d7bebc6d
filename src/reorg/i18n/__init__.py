"""The language layer: every sentence a person reads in English, Vietnamese or Ukrainian.

An edge, like ``reorg.report``: it may use Babel, and the core never imports it. The core keeps the
template key and parameters of each finding and refusal beside its English sentence; this package
renders them in a person's language from the gettext catalogues in ``locales/`` (msgctxt = the key,
msgid = the English template), and writes numbers and dates the locale's way. ``translations(lang)``
gives the web app's templates their gettext. ``python -m reorg.i18n.catalogue`` (``make i18n``)
regenerates the catalogues from the sources. See docs/i18n.md.
"""

from reorg.i18n.languages import DEFAULT, LANGUAGES, negotiate, resolve
from reorg.i18n.render import (
    explain,
    format_date,
    format_datetime,
    format_number,
    format_percent,
    refusal,
)
from reorg.i18n.translations import translations

__all__ = [
    "DEFAULT",
    "LANGUAGES",
    "explain",
    "format_date",
    "format_datetime",
    "format_number",
    "format_percent",
    "negotiate",
    "refusal",
    "resolve",
    "translations",
]
