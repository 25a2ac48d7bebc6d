"""services.consult: open a round, answer it as three groups, close and freeze it, on both backends;
access inside the service; an anonymous round keeps no link between a person and their opinions."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from importlib.resources import files
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import create_engine, text

from reorg.errors import ForbiddenError, InputError, NotFoundError
from reorg.plan import Plan
from reorg.services import Database, Settings, consult, datasets, open_database, plans, users
from reorg.services.access import Principal
from reorg.services.consult import Opinion

EXAMPLE = Path(str(files("reorg.datasets") / "example"))
ANN = Principal("ann", "analyst")
PEOPLE = {
    "ann": "analyst",
    "rev": "reviewer",
    "rev2": "reviewer",
    "exp": "expert",
    "exp2": "expert",
    "off": "unit_officer",
}
MERGES = [
    {"op": "merge", "units": ["c-north-1", "c-north-2"], "into": {"id": "c-north-12", "name": "Maple-Thorn"}},
    {"op": "merge", "units": ["c-south-2", "c-south-3"], "into": {"id": "c-south-23", "name": "Reed Bay"}},
]


@pytest.fixture
def db(db_url: str) -> Iterator[Database]:
    """Examplia, plan ``two-merges`` (two operations) and six users."""
    with open_database(Settings(db_url=db_url)) as database:
        with database.unit_of_work(actor="test") as uow:
            datasets.import_bundle(uow, path=EXAMPLE, name="examplia")
            plan = Plan.from_dict({"baseline": "examplia", "operations": MERGES})
            plans.apply_plan(uow, plan=plan, name="two-merges")
            for login, role in PEOPLE.items():
                scope = "p-north" if role == "unit_officer" else ""
                users.add_user(uow, login=login, password="correct horse battery", role=role, scope=scope)
        yield database


def _open(db: Database, **options: object) -> int:
    invite = {"rev": "committee", "rev2": "committee", "exp": "experts", "off": "agencies"}
    deadline = datetime.now(UTC) + timedelta(days=7)
    with db.unit_of_work(actor="web:ann") as uow:
        args = {"plan": "two-merges", "question": "Merge these <b>communes</b>?", "deadline": deadline}
        made = consult.open_consultation(uow, viewer=ANN, invite=invite, **{**args, **options})  # type: ignore[arg-type]
    return made.record.id


def _answer(db: Database, login: str, number: int, *opinions: Opinion, now: datetime | None = None) -> None:
    with db.unit_of_work(actor=f"web:{login}") as uow:
        consult.answer(uow, viewer=Principal(login, PEOPLE[login]), number=number, opinions=opinions, now=now)


def test_a_round_answered_by_three_groups_is_aggregated_and_frozen(db: Database) -> None:
    """Committee, experts and agencies answer; the closed round's results are frozen and exported."""
    number = _open(db, weights={"committee": 2.0})
    _answer(db, "rev", number, Opinion(0, "agree", 5, "good"), Opinion(1, "disagree", 2))
    _answer(db, "rev2", number, Opinion(0, "agree", 4), Opinion(-1, "agree", 4, "overall fine"))
    _answer(db, "exp", number, Opinion(0, "disagree", 1, "<script>x</script>"), Opinion(1, "agree", 5))
    _answer(db, "off", number, Opinion(0, "abstain", 3), Opinion(1, "agree", 4))
    with db.unit_of_work(actor="web:ann") as uow:
        closed = consult.close_consultation(uow, viewer=ANN, number=number)
    r = closed.results
    assert r is not None
    assert r.frozen
    op0 = r.item(0)
    assert {t.group: (t.agree, t.disagree, t.abstain) for t in op0.tallies} == {
        "agencies": (0, 0, 1),
        "committee": (2, 0, 0),
        "experts": (0, 1, 0),
    }
    assert op0.share == pytest.approx(2 / 3)  # committee (weight 2) all agree, experts (1) disagree
    assert r.item(1).share == pytest.approx(1 / 2)  # committee 0, experts 1, agencies 1: (0 + 1 + 1) / 4
    assert r.contested[0] == 1
    assert [c.text for c in op0.comments] == ["good", "<script>x</script>"]
    assert {c.author for c in op0.comments} == {"rev", "exp"}  # a named round
    with db.unit_of_work(actor="web:rev", readonly=True) as uow:
        seen = consult.show_consultation(uow, viewer=Principal("rev", "reviewer"), number=number)
        book = openpyxl.load_workbook(io.BytesIO(consult.export_results(uow, viewer=ANN, number=number)))
    assert seen.results == r
    assert seen.mine[0].stance == "agree"
    assert book.sheetnames == [
        "Round",
        "By group",
        "Items",
        "Most contested",
        "Opinion groups",
        "Shared",
        "Comments",
    ]
    assert [row[5] for row in book["Comments"].iter_rows(min_row=2, values_only=True)] == [
        "good",
        "<script>x</script>",
        "overall fine",
    ]
    with db.unit_of_work(actor="web:exp") as uow, pytest.raises(InputError, match="closed"):
        consult.answer(uow, viewer=Principal("exp", "expert"), number=number, opinions=[Opinion(0, "agree")])


def test_repeated_answers_replace_and_late_ones_are_kept_but_not_counted(db: Database) -> None:
    """The last answer in time counts; an answer after the deadline is stored, flagged late, not counted."""
    number = _open(db)
    _answer(db, "rev", number, Opinion(0, "disagree"))
    _answer(db, "rev", number, Opinion(0, "agree"))
    _answer(db, "rev", number, Opinion(0, "disagree"), now=datetime.now(UTC) + timedelta(days=8))
    with db.unit_of_work(actor="web:ann", readonly=True) as uow:
        r = consult.results(uow, viewer=ANN, number=number)
    assert (r.kept, r.counted, r.late) == (3, 1, 1)
    assert r.item(0).share == 1.0


def test_anonymous_round_keeps_no_link_between_person_and_opinion(db: Database, db_url: str) -> None:
    """After closing, no table links a login to a ballot; answers carry no time; comments no author."""
    number = _open(db, anonymous=True)
    _answer(db, "rev", number, Opinion(0, "agree", 5, "mine"))
    _answer(db, "exp", number, Opinion(0, "disagree", 1, "theirs"))
    with db.unit_of_work(actor="web:ann") as uow:
        closed = consult.close_consultation(uow, viewer=ANN, number=number)
        audit = uow.audit.list(limit=5)
    assert closed.results is not None
    assert {c.author for c in closed.results.item(0).comments} == {""}
    engine = create_engine(db.url)
    with engine.connect() as conn:
        links = conn.scalar(
            text("SELECT count(*) FROM consultation_ballots WHERE consultation_id = :n"), {"n": number}
        )
        times = conn.scalar(
            text("SELECT count(at) FROM consultation_answers WHERE consultation_id = :n"), {"n": number}
        )
        ballots = {b for (b,) in conn.execute(text("SELECT ballot FROM consultation_answers"))}
    engine.dispose()
    assert (links, times) == (0, 0)
    answered = [a for a in audit if a.action == "answer_consultation"]
    assert len(answered) == 2
    for entry in answered:
        assert "opinions" not in entry.detail
        assert not any(b in str(entry.detail) for b in ballots)


def test_access_is_decided_inside_the_service(db: Database) -> None:
    """A reviewer cannot open a round; an uninvited expert gets 'not found'; the invited one sees it."""
    deadline = datetime.now(UTC) + timedelta(days=1)
    with db.unit_of_work(actor="web:rev") as uow, pytest.raises(ForbiddenError):
        consult.open_consultation(
            uow,
            viewer=Principal("rev", "reviewer"),
            plan="two-merges",
            question="?",
            deadline=deadline,
            invite={"exp": ""},
        )
    number = _open(db, operations=[1])
    stranger = Principal("exp2", "expert")
    with db.unit_of_work(actor="web:exp2") as uow:
        assert consult.list_consultations(uow, viewer=stranger) == []
        with pytest.raises(NotFoundError, match=f"no consultation {number}"):
            consult.show_consultation(uow, viewer=stranger, number=number)
        with pytest.raises(NotFoundError):
            consult.answer(uow, viewer=stranger, number=number, opinions=[Opinion(1, "agree")])
    with db.unit_of_work(actor="web:exp") as uow:
        seen = consult.show_consultation(uow, viewer=Principal("exp", "expert"), number=number)
        assert [i for i, _ in seen.operations] == [1]
        assert seen.results is None  # open: results are for analysts only
        with pytest.raises(InputError, match="asks about"):
            consult.answer(
                uow, viewer=Principal("exp", "expert"), number=number, opinions=[Opinion(0, "agree")]
            )


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"operations": [5]}, "operation positions"),
        ({"invite": {"nobody": ""}}, "enabled user"),
        ({"invite": {"@wizard": ""}}, "@role"),
        ({"question": "  "}, "question"),
        ({"deadline": datetime(2030, 1, 1)}, "time zone"),
        ({"weights": {"committee": -1.0}}, "weight"),
    ],
)
def test_bad_rounds_are_refused_with_one_line(db: Database, options: dict[str, object], message: str) -> None:
    """Each bad input to opening a round is an InputError naming what was expected."""
    args: dict[str, object] = {
        "plan": "two-merges",
        "question": "Q",
        "deadline": datetime.now(UTC) + timedelta(days=1),
        "invite": {"@expert": "experts"},
    }
    with db.unit_of_work(actor="web:ann") as uow, pytest.raises(InputError, match=message):
        consult.open_consultation(uow, viewer=ANN, **{**args, **options})  # type: ignore[arg-type]


def test_inviting_a_role_invites_every_user_with_it(db: Database) -> None:
    """``@expert`` invites both experts into the group given."""
    with db.unit_of_work(actor="web:ann") as uow:
        made = consult.open_consultation(
            uow,
            viewer=ANN,
            plan="two-merges",
            question="Q",
            deadline=datetime.now(UTC) + timedelta(days=1),
            invite={"@expert": "experts"},
        )
    assert {(i.login, i.group) for i in made.record.invites} == {("exp", "experts"), ("exp2", "experts")}
