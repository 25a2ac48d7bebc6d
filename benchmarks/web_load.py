"""The web app under load: 50 simulated users browsing ``vietnam-2024``, on SQLite and on PostgreSQL.

Each user has their own HTTP client (cookies, one keep-alive connection) and signs in through the form;
once all have signed in, each repeats a round of the pages a reader opens: the dashboard, the top of the
unit tree, a branch of it, a search by name and a unit page, reading each page for about ``--think``
seconds (0.5 to 1.5 times it; users start within one such pause of each other). A user stops after
``--rounds`` rounds or when ``--cap`` seconds have passed since the browsing began, whichever comes
first. The same users then browse again with no pause at all: every user always waiting for a page, a
stress figure (the throughput of one worker) rather than 50 readers. The app is served by uvicorn in a
subprocess (one worker, loopback, as ``reorg serve`` does), on a temp store built once with
``reorg.services.builtin`` and warmed first (the first dashboard applies ``enacted-2025`` and diagnoses).

The anchor is the same load (same users, rounds, pauses and requests per round) on a bare FastAPI route
that returns a static page, served the same way in the same run. Figures per route: requests, p50, p95
and max latency (ms), errors; the ratio of each p95 to the anchor's. Target: p95 at most 200 ms on every
browsing route and no errors. Signing in is shown apart: argon2 is slow on purpose (~0.15 s a hash, 64
MiB), so it is not held to the browsing target; sign-ins go ``--sign-ins`` at a time.

Run: .venv/bin/python benchmarks/web_load.py [--users 50] [--rounds 5] [--think 1] [--cap 60]
     [--scale 0.02] [--backends sqlite,postgresql] [--pg postgresql+psycopg://postgres@127.0.0.1:5432/test]
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import os
import random
import re
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import httpx2 as httpx
import numpy as np

DATASET = "vietnam-2024"
LOGIN = "bench"
PASSWORD = "load test password"
TARGET_MS = 200.0
ROUTES = ("dashboard", "tree", "branch", "search", "unit")
ANCHOR_PAGE = "<!doctype html><html lang=en><title>anchor</title><p>" + "static page " * 400 + "</p></html>"


# -- the servers (run in a subprocess: python web_load.py --serve app|anchor --db URL --port N) --------


def _serve(kind: str, db_url: str, port: int) -> None:
    import uvicorn
    from fastapi import FastAPI
    from fastapi.responses import HTMLResponse

    if kind == "anchor":
        app = FastAPI()

        @app.get("/static-page", response_class=HTMLResponse)
        def static_page() -> HTMLResponse:
            return HTMLResponse(ANCHOR_PAGE)

    else:
        from reorg.web import WebSettings, create_app

        app = create_app(WebSettings(db_url=db_url, secure_cookies=False, login_attempts=100_000))
    uvicorn.run(app, host="127.0.0.1", port=port, workers=1, log_level="warning", access_log=False)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@contextmanager
def server(kind: str, db_url: str = "") -> Iterator[str]:
    """A uvicorn subprocess serving ``kind`` (the app on ``db_url``, or the anchor); yields its base URL."""
    port = _free_port()
    cmd = [sys.executable, __file__, "--serve", kind, "--db", db_url, "--port", str(port)]
    proc = subprocess.Popen(cmd)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                httpx.get(f"{base}/{'static-page' if kind == 'anchor' else 'login'}", timeout=2)
                break
            except httpx.TransportError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"the {kind} server did not start") from None
                time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        proc.wait(30)


# -- the store ---------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Targets:
    """What the users open: a branch's parent ids, search words and unit ids of the built dataset."""

    parents: tuple[str, ...]
    words: tuple[str, ...]
    units: tuple[str, ...]


def build(scale: float) -> tuple[object, object, Targets]:
    """vietnam-2024 and enacted-2025, built once in memory; the targets picked from it (seeded)."""
    from reorg.services import builtin

    started = time.perf_counter()
    built = builtin.build_dataset(None, name=DATASET, scale=scale, seed=0)
    app = built.apparatus
    units = app.units
    rng = random.Random(0)
    start, _ = units.children
    kids = np.diff(start)
    below_root = [int(r) for root in units.roots.tolist() for r in units.children_of(root).tolist()]
    parents = [r for r in below_root if kids[r]]
    leaves = np.flatnonzero(kids == 0).tolist()
    words = sorted({w for r in rng.sample(leaves, 200) for w in re.findall(r"\w{4,}", str(units.name[r]))})
    targets = Targets(
        parents=tuple(str(units.id[r]) for r in rng.sample(parents, min(20, len(parents)))),
        words=tuple(rng.sample(words, min(20, len(words)))),
        units=tuple(str(units.id[r]) for r in rng.sample(leaves + parents, 50)),
    )
    print(
        f"built {DATASET} at scale {scale}: {len(units.id):,} units, {len(app.people):,} people "
        f"in {time.perf_counter() - started:.1f} s",
        flush=True,
    )
    return app, built.plan, targets


def store(db_url: str, app: object, plan: object) -> None:
    """Store the built dataset and its plan, and the benchmark's user (an analyst)."""
    from reorg.services import Settings, open_database, users
    from reorg.services.builtin import store_built

    started = time.perf_counter()
    with open_database(Settings(db_url=db_url)) as db, db.unit_of_work(actor="bench") as uow:
        store_built(uow, app, plan)  # type: ignore[arg-type]
        users.add_user(uow, login=LOGIN, password=PASSWORD, role="analyst")
    print(f"stored in {db_url.split('?')[0]} in {time.perf_counter() - started:.1f} s", flush=True)


@contextmanager
def pg_schema(server_url: str) -> Iterator[str]:
    """A URL whose connections work in a fresh schema of ``server_url``, dropped afterwards."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    schema = f"reorg_bench_{uuid.uuid4().hex[:10]}"
    engine = create_engine(server_url)
    with engine.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        url = make_url(server_url).update_query_dict({"options": f"-csearch_path={schema}"})
        yield url.render_as_string(hide_password=False)
    finally:
        with engine.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        engine.dispose()


# -- the load ----------------------------------------------------------------------------------------


@dataclasses.dataclass
class Tally:
    """Latencies (s) and errors per route."""

    seconds: dict[str, list[float]] = dataclasses.field(default_factory=dict)
    errors: dict[str, list[str]] = dataclasses.field(default_factory=dict)

    def add(self, route: str, seconds: float, error: str = "") -> None:
        self.seconds.setdefault(route, []).append(seconds)
        if error:
            self.errors.setdefault(route, []).append(error)


async def _get(client: httpx.AsyncClient, tally: Tally, route: str, url: str) -> None:
    started = time.perf_counter()
    try:
        answer = await client.get(url)
        error = "" if answer.status_code == 200 else f"HTTP {answer.status_code} {url}"
    except httpx.HTTPError as exc:
        error = f"{type(exc).__name__} {url}"
    tally.add(route, time.perf_counter() - started, error)


async def _sign_in(client: httpx.AsyncClient, tally: Tally, gate: asyncio.Semaphore) -> bool:
    async with gate:
        started = time.perf_counter()
        try:
            form = await client.get("/login")
            token = re.search(r'name="csrf" value="([^"]+)"', form.text)
            answer = await client.post(
                "/login",
                data={
                    "login": LOGIN,
                    "password": PASSWORD,
                    "csrf": token.group(1) if token else "",
                    "next": "/",
                },
            )
            ok = answer.status_code == 303
            error = "" if ok else f"HTTP {answer.status_code} sign-in"
        except httpx.HTTPError as exc:
            ok, error = False, f"{type(exc).__name__} sign-in"
        tally.add("sign in", time.perf_counter() - started, error)
        return ok


def _round(targets: Targets, rng: random.Random, anchor: bool) -> list[tuple[str, str]]:
    """The (route, url) of one round of a user; the anchor's rounds have as many requests."""
    if anchor:
        return [("static page", "/static-page")] * len(ROUTES)
    d = f"dataset={DATASET}"
    return [
        ("dashboard", f"/?{d}"),
        ("tree", f"/units?{d}"),
        ("branch", f"/units/children?{d}&parent={rng.choice(targets.parents)}"),
        ("search", f"/units/search?{d}&q={rng.choice(targets.words)}"),
        ("unit", f"/units/{rng.choice(targets.units)}?{d}"),
    ]


async def _user(
    base: str, n: int, targets: Targets, args: argparse.Namespace, tally: Tally, crowd: Crowd, anchor: bool
) -> None:
    """One user: connect (or sign in), wait for the others, then browse, reading each page for about
    ``crowd.think`` seconds (0.5 to 1.5 times it, drawn from the user's own seeded stream)."""
    rng = random.Random(n)
    limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=60) as client:
        if anchor:  # the anchor's users only connect before the load, as the app's do while signing in
            await client.get("/static-page")
            arrived = True
        else:
            arrived = await _sign_in(client, tally, crowd.gate)
        await crowd.arrive()
        if not arrived:
            return
        if crowd.think:  # people do not all click at the same instant: each starts within one pause
            await asyncio.sleep(crowd.think * rng.uniform(0.0, 1.0))
        for _ in range(args.rounds):
            if time.monotonic() > crowd.stop_at:
                break
            for route, url in _round(targets, rng, anchor):
                await _get(client, tally, route, url)
                if crowd.think:
                    await asyncio.sleep(crowd.think * rng.uniform(0.5, 1.5))


class Crowd:
    """Users sign in a few at a time (``gate``), then all browse together once the last has arrived."""

    def __init__(self, users: int, sign_ins: int, cap: float, think: float) -> None:
        self.think = think
        self.gate = asyncio.Semaphore(sign_ins)
        self.waiting = users
        self.all_in = asyncio.Event()
        self.cap = cap
        self.started = self.stop_at = 0.0

    async def arrive(self) -> None:
        self.waiting -= 1
        if self.waiting == 0:
            self.started = time.perf_counter()
            self.stop_at = time.monotonic() + self.cap
            self.all_in.set()
        await self.all_in.wait()


async def load(
    base: str, targets: Targets, args: argparse.Namespace, think: float, anchor: bool
) -> tuple[Tally, float]:
    """All users at once; the tally and the seconds the browsing took (from when all had signed in)."""
    tally = Tally()
    crowd = Crowd(args.users, args.sign_ins, args.cap, think)
    await asyncio.gather(*(_user(base, n, targets, args, tally, crowd, anchor) for n in range(args.users)))
    return tally, time.perf_counter() - crowd.started


async def warm(base: str, targets: Targets) -> float:
    """Open every page once (the first dashboard applies the plan and diagnoses); seconds taken."""
    started = time.perf_counter()
    async with httpx.AsyncClient(base_url=base, timeout=600) as client:
        tally = Tally()
        await _sign_in(client, tally, asyncio.Semaphore(1))
        await _get(client, tally, "dashboard", f"/?dataset={DATASET}")
        for route, url in _round(targets, random.Random(-1), anchor=False):
            await _get(client, tally, route, url)
        for parent in targets.parents:
            await _get(client, tally, "branch", f"/units/children?dataset={DATASET}&parent={parent}")
        if tally.errors:
            raise RuntimeError(f"warming failed: {tally.errors}")
    return time.perf_counter() - started


# -- the report --------------------------------------------------------------------------------------


def _ms(values: Sequence[float], q: float) -> float:
    return float(np.percentile(np.asarray(values) * 1000, q))


def report(label: str, tally: Tally, seconds: float, anchor_p95: float | None) -> bool:
    """Print one table; True when every browsing route meets the target with no error."""
    ok = True
    browsing = sum(len(v) for k, v in tally.seconds.items() if k != "sign in")
    print(f"\n{label}: {browsing:,} browsing requests in {seconds:.1f} s ({browsing / seconds:,.0f}/s)")
    heads = f"{'requests':>9}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}{'errors':>8}{'p95/anchor':>12}"
    print(f"  {'route':<12}{heads}")
    for route, values in tally.seconds.items():
        p95 = _ms(values, 95)
        errors = len(tally.errors.get(route, []))
        ratio = f"{p95 / anchor_p95:,.1f}x" if anchor_p95 and route != "sign in" else ""
        print(
            f"  {route:<12}{len(values):>9,}{_ms(values, 50):>9.1f}{p95:>9.1f}{max(values) * 1000:>9.1f}"
            f"{errors:>8}{ratio:>12}"
        )
        if errors or (route != "sign in" and p95 > TARGET_MS):
            ok = False
    for route, errors in tally.errors.items():
        print(f"  errors on {route}: {sorted(set(errors))[:3]}")
    return ok


async def run(args: argparse.Namespace) -> int:
    app, plan, targets = build(args.scale)
    #: the target's load (users reading each page for about --think seconds), then the same users with
    #: no pause at all (every user always waiting for a page: a stress figure, far above 50 readers)
    modes = {f"reading ~{args.think:g} s a page": args.think, "no pause between pages": 0.0}
    anchor_p95 = {}
    with server("anchor") as base:
        for mode, think in modes.items():
            tally, seconds = await load(base, targets, args, think, anchor=True)
            anchor_p95[mode] = _ms(tally.seconds["static page"], 95)
            report(f"anchor (a bare FastAPI route returning a static page), {mode}", tally, seconds, None)
    verdicts = {}
    with tempfile.TemporaryDirectory() as tmp:
        for backend in args.backends.split(","):
            if backend == "postgresql" and not _reachable(args.pg):
                print(f"\nSKIP postgresql: no server answers at {args.pg} (--pg URL, or --backends sqlite)")
                continue
            with _store_url(backend, Path(tmp), args.pg) as url:
                store(url, app, plan)
                with server("app", url) as base:
                    print(f"warmed {backend} in {await warm(base, targets):.1f} s", flush=True)
                    for mode, think in modes.items():
                        tally, seconds = await load(base, targets, args, think, anchor=False)
                        label = f"reorg on {backend}, {mode}"
                        verdicts[label] = report(label, tally, seconds, anchor_p95[mode])
    print()
    for label, ok in verdicts.items():
        verdict = "PASS" if ok else "FAIL"
        print(f"{verdict} {label}: p95 <= {TARGET_MS:.0f} ms on every browsing route and no errors")
    return 0


def _reachable(url: str) -> bool:
    from sqlalchemy import create_engine, text
    from sqlalchemy.exc import OperationalError

    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        return True
    except OperationalError:
        return False
    finally:
        engine.dispose()


@contextmanager
def _store_url(backend: str, tmp: Path, pg: str) -> Iterator[str]:
    if backend == "sqlite":
        yield f"sqlite:///{tmp / 'web_load.db'}"
    elif backend == "postgresql":
        with pg_schema(pg) as url:
            yield url
    else:
        raise SystemExit(f"web_load: unknown backend {backend!r} (sqlite, postgresql)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=5, help="rounds of pages per user")
    parser.add_argument("--cap", type=float, default=60.0, help="seconds after which no round starts")
    parser.add_argument("--sign-ins", type=int, default=4, help="sign-ins at a time")
    parser.add_argument("--think", type=float, default=1.0, help="seconds a user reads a page, on average")
    parser.add_argument("--scale", type=float, default=0.02, help="staff scale of vietnam-2024")
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument(
        "--pg", default=os.environ.get("REORG_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
    )
    parser.add_argument("--serve", choices=["app", "anchor"], help=argparse.SUPPRESS)
    parser.add_argument("--db", default="", help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        _serve(args.serve, args.db, args.port)
        return
    raise SystemExit(asyncio.run(run(args)))


if __name__ == "__main__":
    main()
