"""``reorg consult``: consultation rounds on plans: open, list, show, answer, close, results, export.

Whoever can run ``reorg`` on the database administers it (as for ``reorg users``): these commands act as
an admin, and ``answer --as LOGIN`` records an invited user's answers (a paper form typed in, say),
audited with the OS account that ran it. Everyone else answers in the web app.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer

from reorg.cli.app import JsonOpt, app, console, emit_json, line, table, unit_of_work
from reorg.errors import InputError, ReorgError
from reorg.services import consult as service
from reorg.services import users
from reorg.services.access import Principal

__all__ = ["consult_app"]

consult_app = typer.Typer(
    help="Consultation rounds on plans: open, list, show, answer, close, results, export.",
    no_args_is_help=True,
)
app.add_typer(consult_app, name="consult")

#: the CLI acts as an administrator of the database it is given
ADMIN = Principal("cli", "admin")
Number = Annotated[int, typer.Argument(help="The consultation's number.")]


def _opinion(text: str) -> service.Opinion:
    """``ITEM=STANCE[:RATING[:COMMENT]]``; ITEM an operation position or ``plan`` (the whole plan)."""
    item, _, rest = text.partition("=")
    stance, _, tail = rest.partition(":")
    rating, _, comment = tail.partition(":")
    try:
        number = -1 if item == "plan" else int(item)
        return service.Opinion(number, stance, int(rating) if rating else 0, comment)
    except ValueError:
        raise InputError(
            "--answer", "ITEM=STANCE[:RATING[:COMMENT]], ITEM a position or plan", value=text
        ) from None


def _show(c: service.Consultation) -> None:
    r = c.record
    line(
        f"consultation {r.id} on plan {r.plan}@{r.plan_version} ({r.state}",
        ", anonymous)" if r.anonymous else ")",
    )
    line(r.question)
    answered = sum(i.answered for i in r.invites)
    line(f"deadline {r.deadline.isoformat()}; invited {len(r.invites)}, answered {answered}")
    if c.results is None:
        console.print(table("Operations", ["item", "operation"], list(c.operations)))
        return
    res = c.results
    rows = [[i.item, i.label, i.votes, i.share, i.consensus, i.rating] for i in res.items]
    console.print(
        table("Results", ["item", "operation", "votes", "agree share", "consensus", "rating"], rows)
    )
    line("most contested: " + (", ".join(map(str, res.contested)) or "-"))
    for g in res.groups:
        sides = f"agrees on {list(g.agrees)}, disagrees on {list(g.disagrees)}"
        line(f"opinion group {g.number} ({g.size}): {sides}")
    line(f"all groups agree on {list(res.shared_agree)}, disagree on {list(res.shared_disagree)}")


@consult_app.command("open")
def open_command(
    ctx: typer.Context,
    plan: Annotated[str, typer.Argument(help="The stored plan asked about (its newest version).")],
    question: Annotated[str, typer.Option("--question", help="What the invited are asked.")],
    deadline: Annotated[
        str, typer.Option("--deadline", help="ISO date and time with its zone: 2026-12-31T17:00+07:00.")
    ],
    invite: Annotated[
        list[str],
        typer.Option("--invite", help="LOGIN or @ROLE, optionally =GROUP (default: their role); repeat."),
    ],
    operation: Annotated[
        list[int] | None, typer.Option("--operation", help="Ask about this operation only; repeat.")
    ] = None,
    weight: Annotated[
        list[str] | None, typer.Option("--weight", help="GROUP=WEIGHT (default 1); repeat.")
    ] = None,
    anonymous: Annotated[
        bool, typer.Option("--anonymous", help="Keep no link between person and opinion.")
    ] = False,
    json_out: JsonOpt = False,
) -> None:
    """Open a consultation round on a plan."""
    try:
        when = datetime.fromisoformat(deadline)
    except ValueError:
        raise InputError("--deadline", "an ISO date and time with its zone", value=deadline) from None
    weights = service.read_weights(weight or [], "--weight")
    with unit_of_work(ctx) as uow:
        made = service.open_consultation(
            uow,
            viewer=ADMIN,
            plan=plan,
            question=question,
            deadline=when,
            invite=service.read_pairs(invite, "--invite"),
            operations=operation,
            anonymous=anonymous,
            weights=weights,
        )
    if json_out:
        emit_json(made.to_dict())
        return
    _show(made)


@consult_app.command("list")
def list_command(ctx: typer.Context, json_out: JsonOpt = False) -> None:
    """List the consultation rounds, newest first."""
    with unit_of_work(ctx, readonly=True) as uow:
        found = service.list_consultations(uow, viewer=ADMIN)
    rows = [
        [r.id, r.plan, r.state, r.deadline.isoformat(), len(r.invites), r.anonymous, r.question]
        for r in found
    ]
    if json_out:
        emit_json(
            [
                dict(
                    zip(
                        ["id", "plan", "state", "deadline", "invited", "anonymous", "question"],
                        r,
                        strict=True,
                    )
                )
                for r in rows
            ]
        )
        return
    console.print(
        table("Consultations", ["id", "plan", "state", "deadline", "invited", "anonymous", "question"], rows)
    )


@consult_app.command("show")
def show_command(ctx: typer.Context, number: Number, json_out: JsonOpt = False) -> None:
    """A round: its question, operations and (live or frozen) results."""
    with unit_of_work(ctx, readonly=True) as uow:
        found = service.show_consultation(uow, viewer=ADMIN, number=number)
    if json_out:
        emit_json(found.to_dict())
        return
    _show(found)


@consult_app.command("answer")
def answer_command(
    ctx: typer.Context,
    number: Number,
    who: Annotated[str, typer.Option("--as", help="The invited user whose answers these are.")],
    answer: Annotated[
        list[str], typer.Option("--answer", help="ITEM=STANCE[:RATING[:COMMENT]]; ITEM a position or plan.")
    ],
    json_out: JsonOpt = False,
) -> None:
    """Record an invited user's answers (the last in time counts)."""
    opinions = [_opinion(a) for a in answer]
    with unit_of_work(ctx) as uow:
        user = users.get_user(uow, login=who)
        done = service.answer(
            uow, viewer=Principal(user.login, user.role, user.scope), number=number, opinions=opinions
        )
    if json_out:
        emit_json(done.to_dict())
        return
    line(f"stored {done.answers} answers of {who}" + (" (late: kept, not counted)" if done.late else ""))


@consult_app.command("close")
def close_command(ctx: typer.Context, number: Number, json_out: JsonOpt = False) -> None:
    """Close a round and freeze its results."""
    with unit_of_work(ctx) as uow:
        closed = service.close_consultation(uow, viewer=ADMIN, number=number)
    if json_out:
        emit_json(closed.to_dict())
        return
    _show(closed)


@consult_app.command("results")
def results_command(ctx: typer.Context, number: Number, json_out: JsonOpt = False) -> None:
    """A round's results (frozen when closed)."""
    with unit_of_work(ctx, readonly=True) as uow:
        found = service.show_consultation(uow, viewer=ADMIN, number=number)
    if json_out:
        emit_json(found.results.to_dict() if found.results else None)
        return
    _show(found)


@consult_app.command("export")
def export_command(
    ctx: typer.Context,
    number: Number,
    out: Annotated[Path, typer.Option("--out", help="The workbook to write (.xlsx).", dir_okay=False)],
) -> None:
    """Write a round's results as an XLSX workbook, one sheet per view."""
    with unit_of_work(ctx, readonly=True) as uow:
        data = service.export_results(uow, viewer=ADMIN, number=number)
    try:
        out.write_bytes(data)
    except OSError as exc:
        raise ReorgError(f"cannot write {out}: {exc.strerror}") from None
    line(f"wrote {out}")
