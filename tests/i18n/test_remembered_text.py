"""Listing and Phrase: plain text everywhere, that keeps what it was written from through copies."""

from __future__ import annotations

import copy
import json
import pickle

from reorg.text import Listing, Phrase, listing


def test_listing_remembers_its_labels() -> None:
    """A listing is its English text and keeps the labels shown and the number left out."""
    text = listing(["a", "b", "c"], total=9, shown=2)
    assert text == "a, b and 7 more"
    assert (text.items, text.rest) == (("a", "b"), 7)
    assert listing(["a"]) == "a"
    assert listing([]) == ""
    assert not listing([])


def test_remembered_text_survives_pickle_and_copy() -> None:
    """Pickling and deep copies keep the type and what the text was written from; JSON sees a string."""
    items = listing(["a", "b", "c"], total=9, shown=2)
    phrase = Phrase("x", "coverage.no_lead", {"task": "T"})
    for value in (items, phrase):
        for again in (pickle.loads(pickle.dumps(value)), copy.deepcopy(value)):
            assert type(again) is type(value)
            assert again == value
            assert vars(again) == vars(value)
    assert isinstance(pickle.loads(pickle.dumps(items)), Listing)
    assert json.loads(json.dumps({"units": items, "message": phrase})) == {
        "units": "a, b and 7 more",
        "message": "x",
    }
