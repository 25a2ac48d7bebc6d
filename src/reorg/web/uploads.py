"""An uploaded bundle, streamed to a private temporary folder with its size bounded as it arrives.

Uploads are an attack surface, so the request body is never read whole into memory nor spooled by the
framework: ``receive`` parses the multipart form as it streams in (python-multipart's streaming parser)
and writes the one file part to a new folder (``tempfile.mkdtemp``: mode 0700) in chunks, counting the
bytes. A body announced (Content-Length) or found to be larger than the limit is refused with 413
(``UploadTooLargeError``) as soon as that is known, and the folder is deleted. The session's CSRF token
must come first: in the ``X-CSRF-Token`` header, or in the ``csrf`` field placed before the file in the
form (the import page's form does); a file part met before it is refused with 403 before a byte of it
is written. At most ``MAX_FIELDS`` small fields (``MAX_FIELD`` bytes each) and one file are accepted.
"""

from __future__ import annotations

import dataclasses
import shutil
import tempfile
from pathlib import Path
from typing import BinaryIO

from fastapi import Request
from python_multipart import MultipartParser
from python_multipart.exceptions import FormParserError
from python_multipart.multipart import parse_options_header
from starlette.concurrency import run_in_threadpool

from reorg.errors import InputError, ReorgError
from reorg.web.context import Viewer, check_csrf

__all__ = ["MAX_FIELD", "MAX_FIELDS", "Upload", "UploadTooLargeError", "receive"]

#: small form fields accepted besides the file, and the bytes of each
MAX_FIELDS = 8
MAX_FIELD = 4096
#: bytes of a body allowed beyond the file's limit (the form's fields and part headers)
SLACK = MAX_FIELDS * MAX_FIELD + 8192
#: where the upload is refused in messages
WHERE = "upload"


class UploadTooLargeError(ReorgError):
    """An upload beyond the web app's ``max_upload_mb``: refused with 413."""


@dataclasses.dataclass(frozen=True)
class Upload:
    """The file sent (``path``, inside the private ``folder`` the caller must hand on or delete), the
    name it was sent under, and the form's other fields."""

    folder: Path
    path: Path
    filename: str
    fields: dict[str, str]


class _Form:
    """The callbacks of the streaming parser: fields kept in memory (bounded), the file on disk."""

    def __init__(self, who: Viewer, folder: Path, header_token: str | None, limit: int) -> None:
        self.who = who
        self.folder = folder
        self.limit = limit
        self.csrf_ok = header_token is not None
        self.fields: dict[str, str] = {}
        self.filename: str | None = None
        self.file: BinaryIO | None = None
        self.written = 0
        self.pending: list[bytes] = []
        self._header_name = b""
        self._header_value = b""
        self._disposition = b""
        self._name = ""
        self._data = bytearray()
        self._in_file = False

    def on_part_begin(self) -> None:
        self._disposition, self._name, self._data, self._in_file = b"", "", bytearray(), False

    def on_header_field(self, data: bytes, start: int, end: int) -> None:
        self._header_name += data[start:end]

    def on_header_value(self, data: bytes, start: int, end: int) -> None:
        self._header_value += data[start:end]
        if len(self._header_value) > MAX_FIELD:
            raise InputError(WHERE, f"form part headers of at most {MAX_FIELD} bytes")

    def on_header_end(self) -> None:
        if self._header_name.lower() == b"content-disposition":
            self._disposition = self._header_value
        self._header_name, self._header_value = b"", b""

    def on_headers_finished(self) -> None:
        _, options = parse_options_header(self._disposition)
        self._name = options.get(b"name", b"").decode("utf-8", "replace")
        if b"filename" not in options:
            if len(self.fields) >= MAX_FIELDS:
                raise InputError(WHERE, f"a form of at most {MAX_FIELDS} fields")
            return
        if not self.csrf_ok:  # before a byte of the file is written
            check_csrf(self.who, None)
        if self.filename is not None:
            raise InputError(WHERE, "one file per upload")
        self.filename = options[b"filename"].decode("utf-8", "replace")
        self.file = (self.folder / "upload").open("xb")
        self._in_file = True

    def on_part_data(self, data: bytes, start: int, end: int) -> None:
        if self._in_file:
            self.written += end - start
            if self.written > self.limit:
                raise UploadTooLargeError(f"an upload of at most {self.limit // 2**20:,} MB")
            self.pending.append(data[start:end])
            return
        self._data += data[start:end]
        if len(self._data) > MAX_FIELD:
            raise InputError(WHERE, f"form fields of at most {MAX_FIELD} bytes", field=self._name[:64])

    def on_part_end(self) -> None:
        if self._in_file:
            self._in_file = False
            return
        value = self._data.decode("utf-8", "replace")
        self.fields[self._name] = value
        if self._name == "csrf" and not self.csrf_ok:
            check_csrf(self.who, value)
            self.csrf_ok = True

    def flush(self) -> None:
        if self.file is not None and self.pending:
            self.file.write(b"".join(self.pending))
        self.pending.clear()


def _discard(form: _Form, folder: Path) -> None:
    if form.file is not None:
        form.file.close()
    shutil.rmtree(folder, ignore_errors=True)


async def receive(request: Request, who: Viewer, *, limit: int, folder_in: Path | None = None) -> Upload:
    """The bundle uploaded in ``request`` (one file of at most ``limit`` bytes) in a new private folder
    (under ``folder_in``, default the system's temporary folder). See the module for what is refused."""
    header_token = request.headers.get("x-csrf-token")
    if header_token is not None:
        check_csrf(who, header_token)
    announced = request.headers.get("content-length", "")
    if announced.isdigit() and int(announced) > limit + SLACK:
        raise UploadTooLargeError(f"an upload of at most {limit // 2**20:,} MB")
    kind, options = parse_options_header(request.headers.get("content-type", ""))
    if kind != b"multipart/form-data" or b"boundary" not in options:
        raise InputError(WHERE, "a multipart/form-data form with the bundle file")
    folder = Path(tempfile.mkdtemp(prefix="reorg-upload-", dir=folder_in))
    form = _Form(who, folder, header_token, limit)
    callbacks = {
        name: getattr(form, name)
        for name in (
            "on_part_begin",
            "on_header_field",
            "on_header_value",
            "on_header_end",
            "on_headers_finished",
            "on_part_data",
            "on_part_end",
        )
    }
    received = 0
    try:
        parser = MultipartParser(options[b"boundary"], callbacks)  # type: ignore[arg-type]
        async for chunk in request.stream():
            received += len(chunk)
            if received > limit + SLACK:
                raise UploadTooLargeError(f"an upload of at most {limit // 2**20:,} MB")
            parser.write(chunk)
            if form.pending:
                await run_in_threadpool(form.flush)
        parser.finalize()
        if not form.csrf_ok:
            check_csrf(who, None)
        if form.file is None or form.filename is None:
            raise InputError(WHERE, "a form with the bundle file (.zip or .xlsx)", field="bundle")
    except FormParserError:
        _discard(form, folder)
        raise InputError(WHERE, "a well-formed multipart/form-data form") from None
    except BaseException:
        _discard(form, folder)
        raise
    form.file.close()
    return Upload(folder, folder / "upload", form.filename, form.fields)
