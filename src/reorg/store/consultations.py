"""Consultation rounds: the round, its invitations, the ballot of each person, and the answers.

What is kept, and where the link between a person and their opinion lives:

- ``consultation_invites`` (round, login, group, answered): who was invited, the group their answers
  count in, and whether they answered — kept for every round.
- ``consultation_ballots`` (round, login, ballot): the only link between a person and a ballot, a random
  128-bit id made when they first answer. While a round is open it keeps one ballot per person (a
  repeated answer goes to the same ballot) and lets them see their own answers. In an anonymous round its
  rows are deleted in the transaction that closes the round; nothing that reads results reads it.
- ``consultation_answers`` (round, ballot, seq, item, group, stance, rating, comment, late, at): the
  opinions, by ballot. In an anonymous round ``at`` is NULL and there is no global id, so neither a time
  nor an arrival order ties an answer to an audit entry or to another table.
- the audit log: for each submission, who answered which round and how many answers (and, in a named
  round only, the stances and ratings); never the ballot id.

Methods are keyword-only and only flush; the unit of work commits.
"""

from __future__ import annotations

import builtins
import secrets
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from sqlalchemy import delete, func, select, update

from reorg.errors import NotFoundError
from reorg.store.models import DbConsultAnswer, DbConsultation, DbConsultBallot, DbConsultInvite
from reorg.store.records import AnswerRecord, ConsultationRecord, InviteRecord, utc

if TYPE_CHECKING:
    from reorg.store.unit_of_work import UnitOfWork

__all__ = ["ConsultationRepository", "consultation_target"]


def consultation_target(number: int) -> str:
    """The audit target and write lock name of a round."""
    return f"consultation:{number}"


class ConsultationRepository:
    """The consultation rounds of a unit of work's database."""

    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    def _record(self, row: DbConsultation) -> ConsultationRecord:
        query = select(DbConsultInvite).where(DbConsultInvite.consultation_id == row.id)
        invites = self._uow.session.scalars(query.order_by(DbConsultInvite.login)).all()
        return ConsultationRecord(
            id=row.id,
            plan=row.plan_name,
            plan_version=row.plan_version,
            question=row.question,
            deadline=utc(row.deadline),
            anonymous=row.anonymous,
            operations=None if row.operations is None else tuple(row.operations),
            weights=dict(row.weights),
            state=row.state,
            opened_by=row.opened_by,
            opened_at=utc(row.opened_at),
            closed_at=utc(row.closed_at) if row.closed_at is not None else None,
            invites=tuple(InviteRecord(i.login, i.group, i.answered) for i in invites),
            results=row.results,
        )

    def _row(self, number: int) -> DbConsultation:
        row = self._uow.session.get(DbConsultation, number)
        if row is None:
            raise NotFoundError(f"no consultation {number}")
        return row

    def create(
        self,
        *,
        plan: str,
        plan_version: int,
        question: str,
        deadline: datetime,
        anonymous: bool,
        operations: Sequence[int] | None,
        weights: Mapping[str, float],
        invites: Mapping[str, str],
    ) -> ConsultationRecord:
        """Open a round (``invites``: login -> group), with its audit entry."""
        uow, session = self._uow, self._uow.session
        uow.writing("consultations", "opening a consultation")
        row = DbConsultation(
            plan_name=plan,
            plan_version=plan_version,
            question=question,
            deadline=deadline,
            anonymous=anonymous,
            operations=None if operations is None else list(operations),
            weights=dict(weights),
            state="open",
            opened_by=uow.actor,
            opened_at=datetime.now(UTC),
        )
        session.add(row)
        session.flush()
        for login, group in invites.items():
            session.add(DbConsultInvite(consultation_id=row.id, login=login, group=group, answered=False))
        session.flush()
        detail = {
            "plan": f"{plan}@{plan_version}",
            "invited": len(invites),
            "anonymous": anonymous,
            "deadline": deadline.isoformat(),
        }
        uow.audit.record(action="open_consultation", target=consultation_target(row.id), detail=detail)
        return self._record(row)

    def get(self, *, number: int) -> ConsultationRecord:
        """A round, or NotFoundError."""
        return self._record(self._row(number))

    def list(self, *, login: str | None = None) -> builtins.list[ConsultationRecord]:
        """Every round (or those ``login`` is invited to), newest first."""
        query = select(DbConsultation)
        if login is not None:
            invited = select(DbConsultInvite.consultation_id).where(DbConsultInvite.login == login)
            query = query.where(DbConsultation.id.in_(invited))
        rows = self._uow.session.scalars(query.order_by(DbConsultation.id.desc())).all()
        return [self._record(r) for r in rows]

    def ballot_of(self, *, number: int, login: str) -> str | None:
        """The ballot of ``login`` in an open round, or None before they first answer."""
        query = select(DbConsultBallot.ballot).where(
            DbConsultBallot.consultation_id == number, DbConsultBallot.login == login
        )
        return self._uow.session.scalar(query)

    def add_answers(
        self,
        *,
        number: int,
        login: str,
        group: str,
        rows: Sequence[tuple[int, int, int, str]],
        late: bool,
        at: datetime | None,
    ) -> int:
        """Add one submission of ``login`` (rows of item, stance, rating, comment) to their ballot (made
        on first use) as its next ``seq``; marks the invitation answered; returns the seq. The audit
        entry is the service's (it knows what may be said of an anonymous round)."""
        uow, session = self._uow, self._uow.session
        uow.writing(consultation_target(number), "answering a consultation")
        ballot = self.ballot_of(number=number, login=login)
        if ballot is None:
            ballot = secrets.token_hex(16)
            session.add(DbConsultBallot(consultation_id=number, login=login, ballot=ballot))
        last = session.scalar(
            select(func.max(DbConsultAnswer.seq)).where(
                DbConsultAnswer.consultation_id == number, DbConsultAnswer.ballot == ballot
            )
        )
        seq = (last or 0) + 1
        for item, stance, rating, comment in rows:
            session.add(
                DbConsultAnswer(
                    consultation_id=number,
                    ballot=ballot,
                    seq=seq,
                    item=item,
                    group=group,
                    stance=stance,
                    rating=rating,
                    comment=comment,
                    late=late,
                    at=at,
                )
            )
        session.execute(
            update(DbConsultInvite)
            .where(DbConsultInvite.consultation_id == number, DbConsultInvite.login == login)
            .values(answered=True)
        )
        session.flush()
        return seq

    def answers(self, *, number: int, ballot: str | None = None) -> builtins.list[AnswerRecord]:
        """Every stored answer of a round (or of one ballot), late and replaced ones included, by ballot,
        seq and item."""
        query = select(DbConsultAnswer).where(DbConsultAnswer.consultation_id == number)
        if ballot is not None:
            query = query.where(DbConsultAnswer.ballot == ballot)
        order = (DbConsultAnswer.ballot, DbConsultAnswer.seq, DbConsultAnswer.item)
        rows = self._uow.session.scalars(query.order_by(*order)).all()
        return [
            AnswerRecord(
                r.ballot,
                r.seq,
                r.item,
                r.group,
                r.stance,
                r.rating,
                r.comment,
                r.late,
                utc(r.at) if r.at is not None else None,
            )
            for r in rows
        ]

    def voters(self, *, number: int) -> dict[str, str]:
        """Ballot -> login of a named round (empty once an anonymous round is closed)."""
        query = select(DbConsultBallot.ballot, DbConsultBallot.login)
        rows = self._uow.session.execute(query.where(DbConsultBallot.consultation_id == number)).all()
        return {str(ballot): str(login) for ballot, login in rows}

    def close(self, *, number: int, results: str) -> ConsultationRecord:
        """Close a round with its frozen ``results`` (JSON); an anonymous round's ballot links are
        deleted. With its audit entry."""
        uow, session = self._uow, self._uow.session
        uow.writing(consultation_target(number), "closing a consultation")
        row = self._row(number)
        row.state, row.closed_at, row.results = "closed", datetime.now(UTC), results
        if row.anonymous:
            session.execute(delete(DbConsultBallot).where(DbConsultBallot.consultation_id == number))
        session.flush()
        answers = session.scalar(
            select(func.count()).select_from(DbConsultAnswer).where(DbConsultAnswer.consultation_id == number)
        )
        uow.audit.record(
            action="close_consultation", target=consultation_target(number), detail={"answers": answers or 0}
        )
        return self._record(row)
