"""Consultation on proposals: open a round on a plan for invited people, answer it, close and freeze
it, read and export its results. Who may do what is decided here (``viewer``):

- opening, closing and seeing every round and its live results: ``consult`` (admin, analyst);
- answering: ``comment`` and an invitation to that round, while it is open;
- everyone else sees only the rounds they were invited to (any other round is "not found", exactly like
  a missing one), and their results once closed.

Late and repeated answers: a person may answer again while the round is open; the last answer in time
to each item counts. An answer after the deadline is stored (flagged late) but never counted. A closed
round refuses answers; its results are computed once and frozen. See docs/consult.md.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from reorg.consult import STANCES, WHOLE_PLAN
from reorg.errors import ForbiddenError, InputError, NotFoundError
from reorg.plan import Plan
from reorg.report.sheets import tables_xlsx
from reorg.services import access
from reorg.services.consult_results import Results, compute_results, result_tables
from reorg.store import AnswerRecord, ConsultationRecord, UnitOfWork

__all__ = [
    "Answered",
    "Consultation",
    "Opinion",
    "answer",
    "close_consultation",
    "export_results",
    "list_consultations",
    "open_consultation",
    "plan_rounds",
    "read_pairs",
    "read_weights",
    "results",
    "show_consultation",
]

#: limits on what a person types
MAX_QUESTION, MAX_COMMENT, MAX_GROUP = 2000, 4000, 64
NO_CONSULTATION = "no consultation {number}"


@dataclasses.dataclass(frozen=True)
class Opinion:
    """One answer as given: ``item`` an operation position (−1 = the whole plan), ``stance`` agree,
    disagree or abstain, ``rating`` 1–5 (0 = none), a comment (plain text)."""

    item: int
    stance: str
    rating: int = 0
    comment: str = ""


@dataclasses.dataclass(frozen=True)
class Consultation:
    """A round as ``viewer`` may see it: the record, the operations asked about (position, label), the
    viewer's own counted answers by item (empty when not invited or not answered, and always empty in
    a closed anonymous round), whether they may answer, and the results when they may see them."""

    record: ConsultationRecord
    operations: tuple[tuple[int, str], ...]
    mine: Mapping[int, Opinion]
    may_answer: bool
    results: Results | None

    def to_dict(self) -> dict[str, Any]:
        r = self.record
        return {
            "id": r.id,
            "plan": r.plan,
            "plan_version": r.plan_version,
            "question": r.question,
            "deadline": r.deadline.isoformat(),
            "anonymous": r.anonymous,
            "state": r.state,
            "opened_by": r.opened_by,
            "opened_at": r.opened_at.isoformat(),
            "closed_at": r.closed_at.isoformat() if r.closed_at else None,
            "weights": dict(r.weights),
            "invited": [dataclasses.asdict(i) for i in r.invites],
            "operations": [{"item": i, "label": label} for i, label in self.operations],
            "mine": {str(k): dataclasses.asdict(v) for k, v in self.mine.items()},
            "may_answer": self.may_answer,
            "results": self.results.to_dict() if self.results else None,
        }


@dataclasses.dataclass(frozen=True)
class Answered:
    """One submission stored: how many answers, its seq on the ballot, and whether it came late (kept,
    not counted)."""

    consultation: int
    answers: int
    seq: int
    late: bool

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


def _plain(value: Any) -> Any:
    """``value`` without its empty fields (a new unit's unset level, parent, kind)."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items() if v not in ("", None, [], {})}
    return value


def _label(position: int, op: dict[str, Any]) -> str:
    """An operation as one line of data: ``3 merge: units=[...]; into={...}`` (ids, not prose; empty
    fields left out)."""
    fields = "; ".join(f"{k}={json.dumps(v, ensure_ascii=False)}" for k, v in _plain(op).items() if k != "op")
    line = f"{position} {op.get('op', '')}: {fields}"
    return line if len(line) <= 240 else line[:237] + "..."


def _plan_of(uow: UnitOfWork, record: ConsultationRecord) -> Plan:
    return uow.plans.load(name=record.plan, version=record.plan_version)


def _items(record: ConsultationRecord, plan: Plan) -> list[int]:
    return list(record.operations) if record.operations is not None else list(range(len(plan.operations)))


def _labels(plan: Plan, items: Sequence[int]) -> dict[int, str]:
    labels = {i: _label(i, plan.operations[i].to_dict()) for i in items}
    labels[WHOLE_PLAN] = "the whole plan"
    return labels


def _visible(uow: UnitOfWork, viewer: access.Principal, number: int) -> ConsultationRecord:
    """The round, if ``viewer`` may see it; NotFoundError otherwise (the same as for a missing one)."""
    try:
        record = uow.consultations.get(number=number)
    except NotFoundError:
        raise NotFoundError(NO_CONSULTATION.format(number=number)) from None
    if access.may(viewer, "consult") or any(i.login == viewer.login for i in record.invites):
        return record
    raise NotFoundError(NO_CONSULTATION.format(number=number))


def _text(value: str, field: str, limit: int, *, required: bool = False) -> str:
    value = value.strip()
    if (required and not value) or len(value) > limit:
        raise InputError("consultation", f"a text of 1 to {limit} characters", field=field, value=value)
    return value


def _invites(uow: UnitOfWork, invite: Mapping[str, str]) -> dict[str, str]:
    """``login`` or ``@role`` -> group ("" = the person's role) as login -> group, every login known."""
    known = {u.login: u for u in uow.users.list() if not u.disabled}
    out: dict[str, str] = {}
    for who, group in invite.items():
        if who.startswith("@"):
            role = who[1:]
            if role not in access.ROLES:
                raise InputError("invite", f"a login or @role ({', '.join(access.ROLES)})", value=who)
            for login, user in known.items():
                if user.role == role:
                    out[login] = _text(group or role, "group", MAX_GROUP, required=True)
        elif who in known:
            out[who] = _text(group or known[who].role, "group", MAX_GROUP, required=True)
        else:
            raise InputError("invite", "the login of an enabled user, or @role", value=who)
    if not out:
        raise InputError("invite", "at least one person to invite")
    return out


def open_consultation(
    uow: UnitOfWork,
    *,
    viewer: access.Principal,
    plan: str,
    question: str,
    deadline: datetime,
    invite: Mapping[str, str],
    version: int | None = None,
    operations: Sequence[int] | None = None,
    anonymous: bool = False,
    weights: Mapping[str, float] | None = None,
) -> Consultation:
    """Open a round on ``plan`` (its newest version unless ``version``), on the chosen ``operations``
    (positions; None = all), for ``invite`` (login or ``@role`` -> group; "" = their role), until
    ``deadline`` (timezone-aware), with group ``weights`` (groups not named weigh 1)."""
    access.require(viewer, "consult")
    record = uow.plans.get(name=plan, version=version)
    document = uow.plans.load(name=plan, version=record.version)
    if deadline.tzinfo is None:
        raise InputError("deadline", "a date and time with its time zone", value=deadline.isoformat())
    chosen = None
    if operations is not None:
        chosen = sorted(set(operations))
        bad = [i for i in chosen if not 0 <= i < len(document.operations)]
        if bad or not chosen:
            expected = f"operation positions 0..{len(document.operations) - 1}"
            raise InputError("operations", expected, value=",".join(map(str, bad)))
    for group, weight in (weights or {}).items():
        if not (weight >= 0 and weight < float("inf")):
            raise InputError("weights", "a finite weight >= 0", field=group, value=str(weight))
    made = uow.consultations.create(
        plan=plan,
        plan_version=record.version,
        question=_text(question, "question", MAX_QUESTION, required=True),
        deadline=deadline.astimezone(UTC),
        anonymous=anonymous,
        operations=chosen,
        weights=dict(weights or {}),
        invites=_invites(uow, invite),
    )
    return show_consultation(uow, viewer=viewer, number=made.id)


def _as_seen(record: ConsultationRecord, viewer: access.Principal) -> ConsultationRecord:
    """The round with only the viewer's own invitation unless they may ``consult`` (who else was asked,
    and who answered, is for those who run the round)."""
    if access.may(viewer, "consult"):
        return record
    return dataclasses.replace(record, invites=tuple(i for i in record.invites if i.login == viewer.login))


def list_consultations(uow: UnitOfWork, *, viewer: access.Principal) -> list[ConsultationRecord]:
    """The rounds ``viewer`` may see: every round for ``consult``, else those they are invited to (with
    their own invitation only)."""
    if access.may(viewer, "consult"):
        return uow.consultations.list()
    return [_as_seen(r, viewer) for r in uow.consultations.list(login=viewer.login)]


def _mine(uow: UnitOfWork, record: ConsultationRecord, login: str) -> dict[int, Opinion]:
    ballot = uow.consultations.ballot_of(number=record.id, login=login)
    if ballot is None:
        return {}
    words = {v: k for k, v in STANCES.items()}
    latest: dict[int, AnswerRecord] = {}
    for a in uow.consultations.answers(number=record.id, ballot=ballot):
        if not a.late and (a.item not in latest or a.seq > latest[a.item].seq):
            latest[a.item] = a
    return {i: Opinion(i, words[a.stance], a.rating, a.comment) for i, a in latest.items()}


def show_consultation(uow: UnitOfWork, *, viewer: access.Principal, number: int) -> Consultation:
    """A round as ``viewer`` may see it (NotFoundError when not invited and not ``consult``)."""
    record = _visible(uow, viewer, number)
    plan = _plan_of(uow, record)
    items = _items(record, plan)
    labels = _labels(plan, items)
    invited = any(i.login == viewer.login for i in record.invites)
    record = _as_seen(record, viewer)
    shown = None
    if record.state == "closed" or access.may(viewer, "consult"):
        shown = results(uow, viewer=viewer, number=number)
    return Consultation(
        record=record,
        operations=tuple((i, labels[i]) for i in items),
        mine=_mine(uow, record, viewer.login) if invited else {},
        may_answer=invited and record.state == "open" and access.may(viewer, "comment"),
        results=shown,
    )


def answer(
    uow: UnitOfWork,
    *,
    viewer: access.Principal,
    number: int,
    opinions: Sequence[Opinion],
    now: datetime | None = None,
) -> Answered:
    """Store one submission of ``viewer``'s opinions on an open round they are invited to (late when
    ``now`` is past the deadline: kept, not counted), with its audit entry (stances only in a named
    round)."""
    access.require(viewer, "comment")
    record = _visible(uow, viewer, number)
    invite = next((i for i in record.invites if i.login == viewer.login), None)
    if invite is None:
        raise ForbiddenError("only those invited answer a consultation", action="comment", role=viewer.role)
    if record.state != "open":
        raise InputError("consultation", "an open consultation: this one is closed", value=str(number))
    plan = _plan_of(uow, record)
    allowed = {*_items(record, plan), WHOLE_PLAN}
    if not opinions:
        raise InputError("answer", "at least one opinion")
    rows: dict[int, tuple[int, int, int, str]] = {}
    for o in opinions:
        if o.item not in allowed:
            raise InputError(
                "answer", "an operation this consultation asks about", field="item", value=str(o.item)
            )
        if o.stance not in STANCES:
            raise InputError("answer", "agree, disagree or abstain", field="stance", value=o.stance)
        if not 0 <= o.rating <= 5:
            raise InputError("answer", "a rating from 1 to 5 (0 = none)", field="rating", value=str(o.rating))
        rows[o.item] = (o.item, STANCES[o.stance], o.rating, _text(o.comment, "comment", MAX_COMMENT))
    moment = now or datetime.now(UTC)
    late = moment > record.deadline
    seq = uow.consultations.add_answers(
        number=number,
        login=viewer.login,
        group=invite.group,
        rows=list(rows.values()),
        late=late,
        at=None if record.anonymous else moment,
    )
    detail: dict[str, Any] = {"answers": len(rows), "late": late}
    if not record.anonymous:
        detail["opinions"] = {str(i): [s, r] for i, s, r, _ in rows.values()}
    uow.audit.record(action="answer_consultation", target=f"consultation:{number}", detail=detail)
    return Answered(number, len(rows), seq, late)


def _compute(uow: UnitOfWork, record: ConsultationRecord, *, frozen: bool) -> Results:
    plan = _plan_of(uow, record)
    items = _items(record, plan)
    authors = {} if record.anonymous else uow.consultations.voters(number=record.id)
    return compute_results(
        uow.consultations.answers(number=record.id),
        items=items,
        labels=_labels(plan, items),
        weights=record.weights,
        authors=authors,
        frozen=frozen,
    )


def results(uow: UnitOfWork, *, viewer: access.Principal, number: int) -> Results:
    """A round's results: frozen when closed (for everyone who sees the round), live while open (for
    ``consult`` only)."""
    record = _visible(uow, viewer, number)
    if record.state == "closed" and record.results is not None:
        return Results.from_dict(json.loads(record.results))
    access.require(viewer, "consult")
    return _compute(uow, record, frozen=False)


def plan_rounds(
    uow: UnitOfWork, *, viewer: access.Principal, plan: str
) -> list[tuple[ConsultationRecord, Results | None]]:
    """Every round on ``plan`` (any of its versions, oldest first) with its results, for the summary
    report of the plan (``read_national``: the steering committee reads it): a closed round's frozen
    results; an open round's live results for ``consult`` only (None for the others, as on its page).
    Results carry comments and, in a named round, their authors: the report keeps aggregates only."""
    access.require(viewer, "read_national")
    rounds = sorted((r for r in uow.consultations.list() if r.plan == plan), key=lambda r: r.id)
    out: list[tuple[ConsultationRecord, Results | None]] = []
    for record in rounds:
        found: Results | None = None
        if record.state == "closed" and record.results is not None:
            found = Results.from_dict(json.loads(record.results))
        elif access.may(viewer, "consult"):
            found = _compute(uow, record, frozen=False)
        out.append((record, found))
    return out


def close_consultation(uow: UnitOfWork, *, viewer: access.Principal, number: int) -> Consultation:
    """Close an open round and freeze its results (an anonymous round's ballot links are deleted)."""
    access.require(viewer, "consult")
    record = _visible(uow, viewer, number)
    if record.state != "open":
        raise InputError(
            "consultation", "an open consultation: this one is already closed", value=str(number)
        )
    frozen = _compute(uow, record, frozen=True)
    uow.consultations.close(number=number, results=json.dumps(frozen.to_dict(), ensure_ascii=False))
    return show_consultation(uow, viewer=viewer, number=number)


def export_results(uow: UnitOfWork, *, viewer: access.Principal, number: int) -> bytes:
    """A round's results as an XLSX workbook, one sheet per view (``consult_results.result_tables``)."""
    record = _visible(uow, viewer, number)
    return tables_xlsx(result_tables(record, results(uow, viewer=viewer, number=number)))


def read_pairs(values: Sequence[str], source: str) -> dict[str, str]:
    """``KEY`` or ``KEY=VALUE`` entries (blank ones skipped) as a mapping; ``KEY`` alone maps to "".
    How the CLI's options and the web form's lines of invitations and weights are read."""
    out = {}
    for raw in values:
        key, _, value = raw.strip().partition("=")
        if not raw.strip():
            continue
        if not key.strip():
            raise InputError(source, "KEY or KEY=VALUE", value=raw)
        out[key.strip()] = value.strip()
    return out


def read_weights(values: Sequence[str], source: str) -> dict[str, float]:
    """``GROUP=WEIGHT`` entries as group weights."""
    try:
        return {k: float(v) for k, v in read_pairs(values, source).items()}
    except ValueError:
        raise InputError(source, "GROUP=NUMBER", value=", ".join(values)) from None
