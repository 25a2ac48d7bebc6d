"""The keyed catalogues of English text that the language layer translates, gathered in one place.

Each catalogue maps a template key to its English template (``{name}`` fields filled from params). In
the .po files an entry's msgctxt is its key and its msgid the English template, so a translation is
looked up as ``pgettext(key, english)``; keys are unique across catalogues (a test checks it).

- ``finding``: the wording of every diagnosis finding (``reorg.diagnose.findings.TEMPLATES``);
- ``refusal``: every invariant violation and refusal of ``apply`` (``reorg.plan.messages.MESSAGES``);
- ``word``: words the core inserts into a sentence as a parameter value (the staffing metric, what a
  unit's agencies are called, what an unknown unit was named as, a duty's role), keyed
  ``word.<param>.<name>``; ``WORD_PARAMS`` says which parameter holds which words, so they are
  translated before the sentence is filled;
- ``phrase``: templates of phrases that fill a field (``GROUP_WORDS``: the group of alike tasks of
  ``level_mismatch``) and of a listing cut short ("a, b and 3 more"). A parameter that is a
  ``reorg.text.Phrase`` (a group; the violation inside ``plan.result``) is rendered again from its key
  and params, and a ``reorg.text.Listing`` is written with the locale's list pattern.
"""

from __future__ import annotations

from collections.abc import Mapping

from reorg.diagnose.findings import GROUP_WORDS, METRIC_WORDS, SPAN_WORDS, TEMPLATES
from reorg.plan.messages import MESSAGES, PEOPLE_WORDS, ROLE_WORDS, UNIT_WORDS
from reorg.text import LISTING_MORE

__all__ = ["CATALOGUES", "WORDS", "WORD_PARAMS"]

#: Per parameter name, the words that may fill it: English word -> its key in ``WORDS``.
WORD_PARAMS: Mapping[str, Mapping[str, str]] = {
    "metric": {english: f"word.metric.{name}" for name, english in METRIC_WORDS.items()},
    "agencies": {english: f"word.agencies.{name}" for name, english in SPAN_WORDS.items()},
    "what": {english: f"word.what.{name}" for name, english in UNIT_WORDS.items()},
    "role": {english: f"word.role.{name}" for name, english in ROLE_WORDS.items()},
    "people": {english: f"word.people.{name}" for name, english in PEOPLE_WORDS.items()},
}

#: The words, by key.
WORDS: Mapping[str, str] = {key: english for words in WORD_PARAMS.values() for english, key in words.items()}

#: Phrases that fill a field, written from their own template (``reorg.text.Phrase``), and the
#: English of a listing cut short (``reorg.text.Listing``).
PHRASES: Mapping[str, str] = {**GROUP_WORDS, "listing.more": LISTING_MORE}

#: Every keyed catalogue, by the name its entries carry as an extracted comment in the .po files.
CATALOGUES: Mapping[str, Mapping[str, str]] = {
    "finding": TEMPLATES,
    "refusal": MESSAGES,
    "word": WORDS,
    "phrase": PHRASES,
}

#: Every keyed template, whichever its catalogue (the keys are unique across them).
TEMPLATES_BY_KEY: Mapping[str, str] = {k: v for entries in CATALOGUES.values() for k, v in entries.items()}
