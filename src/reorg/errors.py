"""The errors reorg raises on purpose.

One root, a shallow tree::

    ReorgError                 anything reorg refuses, with a message a person can act on
    ├── InputError             bad input data: names the file, row, column and what was expected
    ├── PlanError              an operation that cannot be applied: names the operation and the invariant
    ├── NotFoundError          a dataset, plan or unit that does not exist
    ├── StoreError             the database refused or is out of date
    ├── AuthError              who is asking is not known: bad credentials, locked, disabled, session over
    └── ForbiddenError         who is asking is known, and their role or scope may not do this

The CLI prints ``str(error)`` on one line and exits 2; the web app turns these into 4xx answers
(AuthError 401, ForbiddenError 403).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from types import MappingProxyType

__all__ = [
    "AuthError",
    "ForbiddenError",
    "InputError",
    "NotFoundError",
    "PlanError",
    "ReorgError",
    "StoreError",
]


class ReorgError(Exception):
    """Root of every error reorg raises on purpose."""


class InputError(ReorgError):
    """Bad input: where it came from, which row (1-based, the header is row 1) and column of a table, or
    which field of a document, and what was expected.

    ``file`` names the source: a file, or an option (``--scale``), a setting (``setting db_url``) or a
    document that is not a table (``territory spec``). ``row`` is None for file-level problems (empty
    file, missing column, not UTF-8); ``column`` is None for row-level problems (ragged row, duplicate
    duty); ``field`` names the key of a document (a spec, a config) instead of a column.
    """

    def __init__(
        self,
        file: str,
        expected: str,
        *,
        row: int | None = None,
        column: str | None = None,
        field: str | None = None,
        value: str | None = None,
    ) -> None:
        self.file = file
        self.row = row
        self.column = column
        self.field = field
        self.expected = expected
        self.value = value
        super().__init__(self._message())

    def _message(self) -> str:
        where = self.file
        if self.row is not None:
            where += f", row {self.row}"
        if self.column is not None:
            where += f", column {self.column!r}"
        if self.field is not None:
            where += f", field {self.field!r}"
        got = ""
        if self.value is not None:
            shown = self.value if len(self.value) <= 60 else self.value[:57] + "..."
            got = f" (got {shown!r})"
        return f"{where}: {self.expected}{got}"


class PlanError(ReorgError):
    """An operation of a plan that cannot be applied.

    ``operation`` is the 0-based position of the operation in the plan (None for the plan as a whole),
    ``op`` its kind (``merge``, ``transfer``...), ``invariant`` the name of the rule it would break
    (see ``reorg.plan.invariants``) or ``"operation"`` for a malformed operation, and ``ids`` the units
    or tasks involved. ``template`` and ``params`` are the catalogue key the message was rendered from
    and its parameters (see ``reorg.plan.messages``; ``""`` and empty when the message has no template),
    so that the refusal can be rendered in another language; ``str(error)`` is the English sentence.
    """

    def __init__(
        self,
        message: str,
        *,
        operation: int | None = None,
        op: str | None = None,
        invariant: str = "operation",
        ids: Sequence[str] = (),
        template: str = "",
        params: Mapping[str, str | int | float] | None = None,
    ) -> None:
        self.operation = operation
        self.op = op
        self.invariant = invariant
        self.ids = tuple(ids)
        self.message = message
        self.template = template
        self.params: Mapping[str, str | int | float] = MappingProxyType(dict(params or {}))
        where = "plan"
        if operation is not None:
            where = f"operation {operation}" + (f" ({op})" if op else "")
        super().__init__(f"{where}: {invariant}: {message}")


class NotFoundError(ReorgError):
    """A dataset, plan, unit or task that does not exist."""


class StoreError(ReorgError):
    """The database refused an operation or its schema is not at the expected version."""


class AuthError(ReorgError):
    """A sign-in or a session that is refused: wrong login or password (one message for both, so that
    logins cannot be guessed), a locked or disabled account, a session that ended or expired.

    ``reason`` is the catalogue key of the message (``wrong_credentials``, ``locked``, ``disabled``,
    ``no_session``) and ``params`` its parameters, so that it can be rendered in another language.
    ``keep_writes`` says that what the unit of work wrote before the refusal (the count of failed
    attempts, their audit entries) must be committed, not rolled back: throttling depends on it.
    """

    def __init__(
        self,
        message: str,
        *,
        reason: str,
        params: Mapping[str, str | int] | None = None,
        keep_writes: bool = False,
    ) -> None:
        self.reason = reason
        self.params: Mapping[str, str | int] = MappingProxyType(dict(params or {}))
        self.keep_writes = keep_writes
        super().__init__(message)


class ForbiddenError(ReorgError):
    """A known person whose role (or unit scope) does not allow ``action``; ``role`` is theirs."""

    def __init__(self, message: str, *, action: str, role: str) -> None:
        self.action = action
        self.role = role
        super().__init__(message)
