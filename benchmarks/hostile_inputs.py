"""Hostile workbooks: each must be refused in at most 2 s and 200 MB (issue 14).

Cases, each read by ``reorg.io.load`` in a fresh (spawned) process:

- far cell: the issue's 5 KB workbook with one value at XFD1048576 (it hung the import: openpyxl padded
  every row to the declared dimension and converted each cell before trimming);
- row bomb: 30 million tiny rows packed into a few megabytes (it took more than 7 GB);
- zip bomb: a workbook carrying a member of 1 GiB of zeros, packed a thousand times smaller.

For each: the seconds ``load`` took, the growth of the process's peak resident memory during ``load``
(ru_maxrss after minus before, so the interpreter and the imported libraries are not counted), the
peak of Python allocations (tracemalloc), and the one-line message. The anchor, measured in the same
run: reading a well-formed workbook of a size like the row bomb's (a synthetic bundle of about 4 MB),
which is accepted; its figures say what an honest file of that size costs (all four under tracemalloc,
which slows allocation-heavy reading several times: the anchor's seconds are an upper bound).

Run: .venv/bin/python benchmarks/hostile_inputs.py
A benchmark, not a test: it prints its figures and always exits 0.
"""

from __future__ import annotations

import multiprocessing
import resource
import tempfile
import time
import tracemalloc
import zipfile
from pathlib import Path

import openpyxl

SECONDS_TARGET = 2.0
MEGABYTES_TARGET = 200.0
HEADER = [["id", "name", "level"], ["r", "Root", "top"]]


def _book(path: Path) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "units"
    for row in HEADER:
        ws.append(row)
    wb.save(path)
    return path


def far_cell(folder: Path) -> Path:
    """The issue's reproduction, as given."""
    path = folder / "far.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "units"
    ws.append(["id", "name", "level"])
    ws.append(["r", "Root", "top"])
    ws["XFD1048576"] = "x"
    wb.save(path)
    return path


def _rewrite(source: Path, target: Path, sheet: bytes | None, extra: dict[str, int]) -> Path:
    """``source`` with its first sheet's rows followed by ``sheet`` (streamed in), plus members of
    that many zero bytes."""
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml" and sheet is not None:
                head, tail = data.split(b"</sheetData>")
                with dst.open(item.filename, "w", force_zip64=True) as out:
                    out.write(head)
                    chunk = sheet * 100_000
                    for _ in range(300):
                        out.write(chunk)
                    out.write(b"</sheetData>" + tail)
            else:
                dst.writestr(item.filename, data)
        for name, size in extra.items():
            with dst.open(name, "w", force_zip64=True) as out:
                block = bytes(2**24)
                for _ in range(size // len(block)):
                    out.write(block)
    return target


def row_bomb(folder: Path) -> Path:
    """30,000,000 rows of one cell each, without row numbers (allowed by the format)."""
    return _rewrite(_book(folder / "base.xlsx"), folder / "rows.xlsx", b"<row><c><v>1</v></c></row>", {})


def zip_bomb(folder: Path) -> Path:
    """A small valid workbook plus a 1 GiB member of zeros."""
    return _rewrite(_book(folder / "base2.xlsx"), folder / "zip.xlsx", None, {"xl/media/image1.png": 2**30})


def well_formed(folder: Path) -> Path:
    """A synthetic bundle written as a workbook of about 4 MB: the anchor."""
    from reorg import io
    from reorg.datasets.synthetic import generate

    app = generate(units=10_000, tasks=1_000, duties=30_000, people=60_000, seed=14)
    path = folder / "honest.xlsx"
    io.write(app, path)
    return path


def _child(path: str, out: multiprocessing.Queue) -> None:  # type: ignore[type-arg]
    """Load ``path`` in this fresh process; report seconds, peak RSS growth (MB), tracemalloc peak (MB),
    and the outcome."""
    from reorg import io
    from reorg.errors import ReorgError

    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    tracemalloc.start()
    start = time.perf_counter()
    try:
        app = io.load(path)
        outcome = f"accepted: {len(app.units):,} units, {len(app.people):,} people"
    except ReorgError as exc:
        outcome = f"refused: {exc}"
    seconds = time.perf_counter() - start
    _, traced = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    grown = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    out.put((seconds, grown, traced / 2**20, outcome))


def measure(path: Path) -> tuple[float, float, float, str]:
    ctx = multiprocessing.get_context("spawn")
    queue = ctx.Queue()
    proc = ctx.Process(target=_child, args=(str(path), queue))
    proc.start()
    result = queue.get(timeout=600)
    proc.join()
    return result  # type: ignore[no-any-return]


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        cases = [("far cell", far_cell), ("row bomb", row_bomb), ("zip bomb", zip_bomb)]
        print(f"targets: refused in <= {SECONDS_TARGET} s and <= {MEGABYTES_TARGET:.0f} MB\n")
        anchor_start = time.perf_counter()
        anchor = well_formed(folder)
        print(f"(anchor workbook written in {time.perf_counter() - anchor_start:.1f} s)")
        rows = []
        for name, make in cases:
            path = make(folder)
            rows.append((name, path, *measure(path)))
        rows.append(("anchor: well-formed", anchor, *measure(anchor)))
        print(f"{'case':22} {'file':>9} {'seconds':>8} {'RSS +MB':>8} {'traced MB':>10}  verdict")
        anchor_s = rows[-1][2]
        for name, path, seconds, grown, traced, outcome in rows:
            size = f"{path.stat().st_size / 2**20:.2f} MB"
            hostile = not name.startswith("anchor")
            ok = seconds <= SECONDS_TARGET and grown <= MEGABYTES_TARGET and outcome.startswith("refused")
            verdict = ("meets target" if ok else "MISSES target") if hostile else "anchor"
            ratio = f" (1/{anchor_s / max(seconds, 1e-9):,.0f} of the anchor's time)" if hostile else ""
            print(f"{name:22} {size:>9} {seconds:8.3f} {grown:8.1f} {traced:10.1f}  {verdict}{ratio}")
            print(f"{'':22} {outcome[:150]}")


if __name__ == "__main__":
    main()
