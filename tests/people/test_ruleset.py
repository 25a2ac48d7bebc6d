"""Benefit rulesets: what a TOML ruleset may say, what is refused at load time, and the second example."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from people_kit import one_unit, person

from reorg.errors import InputError
from reorg.people import compute_benefits, load_ruleset, parse_ruleset

HEAD = '[ruleset]\nname = "t"\n'
COMPANY = Path(__file__).parents[2] / "src/reorg/people/rulesets/company-severance.toml"


def test_the_default_ruleset_cites_its_sources() -> None:
    """The default is Decree 178 as amended by Decree 67, in VND, with its sources listed."""
    rs = load_ruleset()
    assert "178/2024" in rs.name
    assert "67/2025" in rs.name
    assert rs.currency == "VND"
    assert any("Art. 5, 7, 9" in s for s in rs.sources)
    assert [r.id for r in rs.regimes] == ["transfer", "early_retirement", "resignation"]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ('[derived]\na = "b + 1"\n[[regime]]\nid = "r"\n', r"rule derived\.a: unknown variable 'b'"),
        (
            '[[regime]]\nid = "r"\n[regime.terms]\nx = "salary_coefficient *"\n',
            r"rule regime\.r\.terms\.x: syntax error: .*\(line 1, column \d+\)",
        ),
        ('[[regime]]\nid = "r"\neligible = "1 + 1"\n', r"rule regime\.r\.eligible: a bool, this is a number"),
        ('[[regime]]\nid = "r"\nsaving = "open(\'x\')"\n', r"unknown function 'open'"),
        ('[parameters]\nas_of = 1\n[[regime]]\nid = "r"\n', r"'as_of' is an input"),
        ('[[regime]]\nid = "r"\n[[regime]]\nid = "r"\n', "regime ids that differ"),
        ('[[regime]]\nid = "r"\nbonus = "1"\n', "one of the keys"),
        ("[parameters]\n", r"at least one \[\[regime\]\]"),
        ('[ruleset]\nchoice = "best"\n', "'first' or 'max'"),
    ],
)
def test_bad_rulesets_are_refused_naming_the_rule(body: str, message: str) -> None:
    """Unknown variables and functions, syntax and type errors, clashes: InputError naming the rule."""
    text = body if body.startswith("[ruleset]") else HEAD + body
    if body.startswith("[ruleset]"):
        text = body.replace("[ruleset]\n", '[ruleset]\nname = "t"\n')
    with pytest.raises(InputError, match=message) as info:
        parse_ruleset(text, source="bad.toml")
    assert str(info.value).startswith("bad.toml")


def test_an_unreadable_or_invalid_file_is_refused(tmp_path: Path) -> None:
    """A missing file or bad TOML is an InputError naming the file."""
    with pytest.raises(InputError, match=r"missing\.toml"):
        load_ruleset(tmp_path / "missing.toml")
    bad = tmp_path / "bad.toml"
    bad.write_text("[ruleset\n")
    with pytest.raises(InputError, match="valid TOML"):
        load_ruleset(bad)


def test_choice_max_takes_the_regime_that_pays_most() -> None:
    """With choice = "max", the larger of two eligible regimes is taken; with "first", the first."""
    body = (
        '[[regime]]\nid = "small"\n[regime.terms]\na = "1"\n[[regime]]\nid = "big"\n[regime.terms]\na = "2"\n'
    )
    app = one_unit([person("p", dt.date(1980, 1, 1), dt.date(2000, 1, 1))])
    first = compute_benefits(app, parse_ruleset(HEAD + body), [0], as_of=dt.date(2025, 1, 1))
    most = compute_benefits(
        app, parse_ruleset(HEAD + 'choice = "max"\n' + body), [0], as_of=dt.date(2025, 1, 1)
    )
    assert (first.regime_id(0), first.amount[0]) == ("small", 1)
    assert (most.regime_id(0), most.amount[0]) == ("big", 2)


def test_a_rule_that_divides_by_zero_names_the_rule_and_the_person() -> None:
    """A term that is not a finite number for an eligible person is refused with both named."""
    body = '[[regime]]\nid = "r"\n[regime.terms]\nx = "1 / (salary_coefficient - 3.66)"\n'
    app = one_unit([person("p1", dt.date(1980, 1, 1), dt.date(2000, 1, 1))])
    with pytest.raises(InputError, match=r"regime\.r\.terms\.x: a finite number for person p1"):
        compute_benefits(app, parse_ruleset(HEAD + body), [0], as_of=dt.date(2025, 1, 1))


def test_the_company_example_is_labelled_and_computes_by_hand() -> None:
    """The illustrative company policy: 12 years of service, aged 56, pay 3,000 -> 3+12+6 months."""
    rs = load_ruleset(COMPANY)
    assert rs.illustrative
    assert "not a real policy" in rs.name
    app = one_unit(
        [
            person("a", dt.date(1969, 1, 1), dt.date(2013, 1, 1), coefficient=3),
            person("b", dt.date(1990, 1, 1), dt.date(2024, 9, 1), coefficient=2),
            person("c", dt.date(1955, 1, 1), dt.date(1980, 1, 1), coefficient=2),
        ]
    )
    b = compute_benefits(app, rs, [0, 1, 2], as_of=dt.date(2025, 6, 1))
    assert [b.regime_id(i) for i in range(3)] == ["severance", "short_service", "retirement"]
    assert b.breakdown(0) == {"notice": 9000, "service": 36000, "senior_bonus": 18000}
    assert b.amount.tolist() == [63000, 2000, 0]
    assert b.total.annual_saving == 12 * (3000 + 2000 + 2000)
