"""Who is asking, in which language, and how a page is rendered: the dependencies every route uses.

A request is signed in when its session cookie names a live session (``reorg.services.users.session_of``,
read-only). ``ViewerDep`` gives the signed-in ``Viewer`` (pages without one redirect to the sign-in page,
API calls get 401); ``WriterDep`` also requires the session's CSRF token, from the ``X-CSRF-Token`` header
(htmx and API clients) or the ``csrf`` form field (plain forms), so that another site cannot make a
signed-in browser change anything. Every change runs in a unit of work whose audit actor names the user.
"""

from __future__ import annotations

import dataclasses
import hmac
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from reorg import i18n
from reorg.diagnose import Finding
from reorg.errors import PlanError, ReorgError
from reorg.services import Database, UnitOfWork, access, datasets, users
from reorg.services.access import Principal
from reorg.services.jobs import JobRunner

__all__ = [
    "LANG_COOKIE",
    "SESSION_COOKIE",
    "CsrfError",
    "NotSignedInError",
    "Viewer",
    "ViewerDep",
    "WriterDep",
    "check_csrf",
    "chosen_dataset",
    "job_runner",
    "language_of",
    "public_unit_of_work",
    "render",
    "unit_of_work",
]

SESSION_COOKIE = "reorg_session"
LANG_COOKIE = "reorg_lang"


class NotSignedInError(ReorgError):
    """No live session: pages redirect to the sign-in page, the API answers 401."""


class CsrfError(ReorgError):
    """A state-changing request without the session's CSRF token: refused with 403."""


@dataclasses.dataclass(frozen=True)
class Viewer:
    """The signed-in user of a request, the session's CSRF token and the language pages are shown in."""

    user: users.User
    csrf: str

    @property
    def principal(self) -> Principal:
        return Principal(self.user.login, self.user.role, self.user.scope)

    @property
    def lang(self) -> str:
        return self.user.language

    @property
    def actor(self) -> str:
        """How the audit log names this user's changes."""
        return f"web:{self.user.login}"


def database(request: Request) -> Database:
    db: Database = request.app.state.database
    return db


def viewer(request: Request) -> Viewer:
    """The signed-in user, or NotSignedInError."""
    token = request.cookies.get(SESSION_COOKIE, "")
    if token:
        with database(request).unit_of_work(actor="web:session", readonly=True) as uow:
            session = users.session_of(uow, token=token)
        if session is not None:
            return Viewer(session.user, session.csrf)
    raise NotSignedInError("sign in first")


async def writer(request: Request, who: Annotated[Viewer, Depends(viewer)]) -> Viewer:
    """The signed-in user of a state-changing request that carries the session's CSRF token."""
    sent = request.headers.get("x-csrf-token")
    if sent is None and request.headers.get("content-type", "").startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        form = await request.form()
        field = form.get("csrf")
        sent = field if isinstance(field, str) else None
    check_csrf(who, sent)
    return who


def check_csrf(who: Viewer, sent: str | None) -> None:
    """CsrfError unless ``sent`` is the CSRF token of ``who``'s session."""
    if not sent or not hmac.compare_digest(sent.encode(), who.csrf.encode()):
        raise CsrfError("this request lacks a valid CSRF token: reload the page and try again")


def job_runner(request: Request) -> JobRunner:
    """The app's background job runner (``reorg.services.jobs``), started with the app."""
    runner: JobRunner = request.app.state.jobs
    return runner


ViewerDep = Annotated[Viewer, Depends(viewer)]
WriterDep = Annotated[Viewer, Depends(writer)]


@contextmanager
def unit_of_work(request: Request, who: Viewer, *, readonly: bool = True) -> Iterator[UnitOfWork]:
    """One transaction for this request, its audit entries naming the user."""
    with database(request).unit_of_work(actor=who.actor, readonly=readonly) as uow:
        yield uow


@contextmanager
def public_unit_of_work(request: Request) -> Iterator[UnitOfWork]:
    """A read-only transaction for a request of the public pages (no sign-in)."""
    with database(request).unit_of_work(actor="web:public", readonly=True) as uow:
        yield uow


def language_of(request: Request, who: Viewer | None = None) -> str:
    """The user's language; before sign-in, ``?lang=``, then the language cookie, then the browser's."""
    if who is not None:
        return who.lang
    for asked in (request.query_params.get("lang"), request.cookies.get(LANG_COOKIE)):
        if asked is not None and asked in i18n.LANGUAGES:
            return asked
    return i18n.negotiate(request.headers.get("accept-language", ""))


def _translators(lang: str) -> dict[str, Callable[..., str]]:
    """``_``/``gettext``, ``ngettext`` and ``pgettext`` in the new style: ``_("%(n)s units", n=3)``."""
    tr = i18n.translations(lang)

    def gettext(message: str, **params: Any) -> str:
        text = tr.gettext(message)
        return text % params if params else text

    def ngettext(singular: str, plural: str, n: int, **params: Any) -> str:
        return tr.ngettext(singular, plural, n) % {"num": n, **params}

    def pgettext(context: str, message: str, **params: Any) -> str:
        text = tr.pgettext(context, message)
        return text % params if params else text

    return {"_": gettext, "gettext": gettext, "ngettext": ngettext, "pgettext": pgettext}


def render(
    request: Request,
    template: str,
    context: Mapping[str, Any],
    *,
    who: Viewer | None = None,
    status: int = 200,
) -> HTMLResponse:
    """A page in the viewer's language, with the helpers every template uses: ``_`` and friends,
    ``num`` and ``pct`` (locale-aware numbers and shares), ``csrf`` (for forms), ``viewer`` and
    ``languages``."""
    templates: Jinja2Templates = request.app.state.templates
    lang = language_of(request, who)

    def num(value: float | None, digits: int = 0) -> str:
        return "–" if value is None else i18n.format_number(value, lang, digits)

    words = _translators(lang)
    _ = words["_"]  # named `_` so that `make i18n` extracts the severity words
    severity_names = {"high": _("high"), "medium": _("medium"), "low": _("low")}

    def explain(finding: Finding) -> str:
        return i18n.explain(finding.template, finding.params, lang)

    def refusal(error: PlanError) -> str:
        return i18n.refusal(error.template, error.params, lang) if error.template else str(error)

    def may(action: str) -> bool:
        """Whether the viewer may do ``action`` (what the page offers; the services decide)."""
        return who is not None and access.may(who.principal, action)

    page = {
        "may": may,
        "explain": explain,
        "refusal": refusal,
        "viewer": who,
        "severity_names": severity_names,
        "date": lambda moment: i18n.format_datetime(moment, lang),
        "lang": lang,
        "languages": i18n.LANGUAGES,
        "csrf": who.csrf if who is not None else "",
        "num": num,
        "pct": lambda share: i18n.format_percent(share, lang),
        **words,
        **context,
    }
    return templates.TemplateResponse(request, template, page, status_code=status)


def chosen_dataset(uow: UnitOfWork, asked: str | None) -> str | None:
    """The dataset a page shows: the one asked for, else the most recently imported one (None if the
    store holds none)."""
    if asked:
        return asked
    records = datasets.list_datasets(uow)
    return max(records, key=lambda r: r.created_at).name if records else None
