"""Reading and writing bundles: a folder of CSV files or one XLSX workbook, plus territories.geojson.

    from reorg.io import load, write
    app = load("bundle/")            # or "bundle.xlsx"
    write(app, "copy.xlsx")          # or a folder

Bad input raises ``InputError`` naming the file, the row (1-based, the header is row 1), the column
and what was expected; nothing partial is returned. The format is in docs/data-format.md.
"""

from __future__ import annotations

from reorg.errors import InputError
from reorg.io.plan_file import parse_plan, read_plan
from reorg.io.reader import Bundle, load, load_bundle
from reorg.io.writer import write

__all__ = ["Bundle", "InputError", "load", "load_bundle", "parse_plan", "read_plan", "write"]
