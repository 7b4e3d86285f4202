"""Where an uploaded file waits between the preview and the confirmation of an import."""
from __future__ import annotations

import re
import secrets
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from .forms import UPLOAD_SUFFIXES

STAGED_MAX_AGE = 24 * 60 * 60  # seconds an unconfirmed upload may wait before the next upload deletes it
_STAGED_NAME = re.compile(r"[0-9a-f]{32}\.(?:xlsx|xlsm|xls|docx|csv|upload)")  # what stage writes, all it deletes


class StagedImport:
    """An uploaded file waiting between the preview and the confirmation.

    The file is MEDIA_ROOT/imports/<token>.<suffix> (outside any public URL); the session maps token → the original file
    name under the app's key, so only the user who uploaded a file can confirm it. The file goes once it is imported,
    as soon as its preview shows errors (there is nothing to confirm), and when its token turns out stale; files
    nobody confirmed are deleted a day later, by the next upload.
    """

    class Gone(Exception):
        """The token is not one this session staged, or its file is no longer there."""

    def __init__(self, request, session_key: str):
        self.request = request
        self.session_key = session_key

    @staticmethod
    def directory() -> Path:
        return Path(settings.MEDIA_ROOT) / "imports"  # read per call: tests and deployments change MEDIA_ROOT

    def _pending(self) -> dict:
        return self.request.session.get(self.session_key, {})

    def _path(self, token: str, name: str | None = None) -> Path:
        return staged_path(token, name or self.file_name(token) or "")

    def file_name(self, token: str) -> str | None:
        """The uploaded file's original name, or None when the token is not one this session staged."""
        return self._pending().get(token)

    def stage(self, upload) -> str:
        """Store the upload and return its token; delete staged files older than a day."""
        token = secrets.token_hex(16)
        path = self._path(token, upload.name)
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as out:
            for chunk in upload.chunks():
                out.write(chunk)
        _purge(path.parent, before=path.stat().st_mtime - STAGED_MAX_AGE)
        pending = self._pending()
        pending[token] = upload.name
        self.request.session[self.session_key] = pending
        return token

    def preview(self, upload, make_plan):
        """Stage the upload and dry-run it: make_plan(source=<the staged file>) is the app's plan service.
        Returns (token, plan). A plan with errors offers no confirmation, so its file is discarded at once."""
        return self.dry_run(self.stage(upload), make_plan)

    def dry_run(self, token: str, make_plan):
        """preview() for a file already staged under `token`."""
        try:
            with self.open(token) as handle:
                plan = make_plan(source=handle)
        except BaseException:
            self.discard(token)
            raise
        if plan.errors:
            self.discard(token)
        return token, plan

    @contextmanager
    def open(self, token: str):
        """The staged file for reading. Raises Gone (and forgets the token) when it cannot be had."""
        if self.file_name(token) is None:
            raise self.Gone
        try:
            handle = self._path(token).open("rb")
        except FileNotFoundError:
            self.discard(token)
            raise self.Gone from None
        with handle:
            yield handle

    def discard(self, token: str) -> None:
        """Forget a token of this session and delete its file."""
        pending = self._pending()
        if token not in pending:
            return  # never build a path from a token this session did not stage
        path = self._path(token)
        del pending[token]
        self.request.session[self.session_key] = pending
        path.unlink(missing_ok=True)

    def expired(self, upload_url: str):
        """The answer to a confirmation that cannot go ahead: say so and go back to the upload page."""
        messages.error(self.request, _("导入已失效，请重新上传文件。"))
        return redirect(upload_url)


def staged_path(token: str, name: str) -> Path:
    """Where the upload staged under `token` with original name `name` is kept (a background job reads it there)."""
    suffix = Path(name).suffix.lower()
    return StagedImport.directory() / f"{token}{suffix if suffix in UPLOAD_SUFFIXES else '.upload'}"


def _purge(directory: Path, *, before: float) -> None:
    """Delete staged files last written before `before` (a file-system timestamp, so clocks elsewhere don't matter)."""
    for path in directory.iterdir():
        if not _STAGED_NAME.fullmatch(path.name):
            continue
        try:
            if path.stat().st_mtime < before:
                path.unlink()
        except FileNotFoundError:
            pass  # another request deleted it first
