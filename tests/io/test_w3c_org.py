"""The W3C ORG serializers: tree and labels in JSON-LD, Turtle literals and IRIs escaped, bases checked."""

from __future__ import annotations

import json
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reorg.errors import InputError
from reorg.io.w3c_org import OrgStructure, OrgUnit, check_base, to_jsonld_text, to_turtle

BASE = "urn:reorg:p:"


def _structure(name: str, uid: str = "u 1>") -> OrgStructure:
    return OrgStructure(
        (
            OrgUnit("root", "Nation", "nation", None),
            OrgUnit(uid, name, "province", "root", (("t>1", 'Task "one"\n'),)),
        ),
        lang="vi",
    )


def _unescape(body: str) -> str:
    """A Turtle STRING_LITERAL_QUOTE body back to its text (ECHAR and UCHAR)."""
    simple = {"n": "\n", "r": "\r", "t": "\t", "b": "\b", "f": "\f", '"': '"', "\\": "\\", "'": "'"}

    def one(m: re.Match[str]) -> str:
        code = m.group(1)
        return chr(int(code[1:], 16)) if code[0] == "u" else simple[code]

    return re.sub(r"\\(u[0-9A-F]{4}|.)", one, body)


def test_turtle_escapes_quotes_newlines_and_angle_brackets() -> None:
    """Quotes and newlines in names are escaped in literals; ``>``, spaces in ids are percent-encoded."""
    text = to_turtle(_structure('A "b"\nc > d'), base=BASE)
    assert '"A \\"b\\"\\nc > d"@vi' in text
    assert "<urn:reorg:p:u%201%3E> a org:OrganizationalUnit" in text
    assert "org:purpose <urn:reorg:p:task:t%3E1>" in text
    assert '"Task \\"one\\"\\n"@vi' in text
    assert "<urn:reorg:p:root> a org:Organization" in text
    assert "org:subOrganizationOf <urn:reorg:p:root>" in text


@given(st.text(max_size=40), st.text(min_size=1, max_size=20))
def test_any_name_and_id_round_trip_through_turtle(name: str, uid: str) -> None:
    """Whatever the name and id, each literal reads back to the name and no IRI holds a forbidden char."""
    text = to_turtle(_structure(name, uid if uid != "root" else "root2"), base=BASE)
    labels = re.findall(r'skos:prefLabel "((?:[^"\\]|\\.)*)"@vi', text)
    assert _unescape(labels[1]) == name
    outside_literals = re.sub(r'"(?:[^"\\]|\\.)*"', '""', text)
    for iri in re.findall(r"<([^>]*)>", outside_literals):
        assert not any(c in '<"{}|^`\\ ' or ord(c) < 0x20 for c in iri), iri
    assert "\n" not in "".join(labels)


def test_jsonld_has_the_tree_both_ways_and_language_tags() -> None:
    """The child points to its parent, the parent lists the child, labels carry the language."""
    doc = json.loads(to_jsonld_text(_structure("Tỉnh <b>"), base=BASE))
    assert doc["@context"]["org"] == "http://www.w3.org/ns/org#"
    nodes = {n["@id"]: n for n in doc["@graph"]}
    child = nodes["urn:reorg:p:u%201%3E"]
    assert child["org:subOrganizationOf"] == {"@id": "urn:reorg:p:root"}
    assert nodes["urn:reorg:p:root"]["org:hasSubOrganization"] == [{"@id": child["@id"]}]
    assert child["skos:prefLabel"] == {"@value": "Tỉnh <b>", "@language": "vi"}
    assert child["org:classification"] == {"@id": "urn:reorg:p:level:province"}
    assert nodes["urn:reorg:p:task:t%3E1"]["@type"] == "skos:Concept"


@pytest.mark.parametrize("base", ["", "no scheme", "urn:a b", "urn:<x>", 'http://x/"', "ht tp://x/"])
def test_unusable_bases_are_refused(base: str) -> None:
    """A base that is not an absolute IRI, or holds what Turtle forbids in an IRI, is an InputError."""
    with pytest.raises(InputError, match="org_base_iri"):
        check_base(base)
