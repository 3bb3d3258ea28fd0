"""Stored files (everything under ``MEDIA_ROOT``): unguessable names, served only through
a view that applied the policy.

PRIMA never serves ``MEDIA_ROOT`` as a folder, in development or production. Every app
that stores files follows one pattern:

1. Name stored files with :class:`PrivateUploadTo` (a model's ``upload_to``) or
   :func:`private_name` (files stored without a model): ``<folder>/<yyyy>/<mm>/<random
   token>/<original name>``. The token (128 bits) makes a name impossible to guess even
   if the folder leaked to a web server by mistake; the original name is kept for the
   download. A test checks every ``FileField`` of every app.
2. Serve a file from a view of the app that first fetches its object through the policy
   (``policy.get_for(request.user, "<kind>.view", …)``: 404 for outsiders, log-in
   required), then returns :func:`serve` — an attachment (``Content-Disposition:
   attachment``), never rendered by the browser, never cached (the answer goes to a
   logged-in person: see ``prima.lib.http``). A public file (the public portal) is served
   the same way from a view that needs no log-in and is marked ``cache_public``.

3. Store a file in the transaction of the change that refers to it: inside
   :func:`atomic` (``transaction.atomic()`` that knows about files), call :func:`store`
   (a model's file) or :func:`save` (a file without a model). The file is written at
   once, so a full or read-only storage refuses the change before anything commits
   (:class:`StorageError`, a clear message, no partial file left); if the change is
   refused or fails later, the file is deleted when the block rolls back. No orphan rows,
   no orphan files.

Example (the evidence of a checklist item)::

    @login_required
    def checklist_evidence(request, pk, item_pk):
        conference = get_conference(request, pk)          # policy: 404 for outsiders
        item = get_part(ChecklistItem, conference, item_pk)
        return files.serve(item.evidence_file)
"""

from __future__ import annotations

import contextvars
import errno
import logging
import mimetypes
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path, PurePath
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import Storage, default_storage
from django.db import transaction
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

TOKEN_BYTES = 16
logger = logging.getLogger("prima.files")
# The files stored inside the innermost open :func:`atomic` block (None: outside one).
_stored: contextvars.ContextVar[list[tuple[Storage, str]] | None] = contextvars.ContextVar(
    "prima_stored_files", default=None
)
_FULL = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}
_READ_ONLY = {errno.EROFS, errno.EACCES, errno.EPERM}


class StorageError(ValidationError):
    """The storage refused a file (full, read-only, gone); the message is for the user.
    Nothing was stored (no partial file is left)."""


@contextmanager
def atomic(using: str | None = None) -> Iterator[None]:
    """``transaction.atomic()`` for a change that stores files with :func:`store` or
    :func:`save`: when the block does not commit (an exception, a refused change, a
    failed commit), every file stored inside it is deleted again. A block nested in
    another :func:`atomic` hands its files to the outer one, which decides. Use it as the
    outermost transaction of the change (as services do): an unrelated outer
    ``transaction.atomic()`` that rolls back later cannot be noticed."""
    stored: list[tuple[Storage, str]] = []
    token = _stored.set(stored)
    try:
        with transaction.atomic(using=using):
            yield
    except BaseException:
        _stored.reset(token)
        for storage, name in reversed(stored):
            _discard(storage, name)
        raise
    _stored.reset(token)
    outer = _stored.get()
    if outer is not None:
        outer.extend(stored)


def _registry() -> list[tuple[Storage, str]]:
    stored = _stored.get()
    if stored is None:
        raise RuntimeError("Store files inside files.atomic(), the transaction of the change.")
    return stored


def _discard(storage: Storage, name: str) -> None:
    """Delete a stored (or partly written) file and its private folder if now empty."""
    try:
        if storage.exists(name):
            storage.delete(name)
    except OSError:
        logger.exception("Could not delete the stored file %s", name)
        return
    if len(PurePath(name).parts) < 2:
        return
    try:
        Path(storage.path(name)).parent.rmdir()  # only when empty: the random token's folder
    except (NotImplementedError, OSError):  # no local paths, or not empty
        pass


def _refusal(exc: OSError) -> StorageError:
    if exc.errno in _FULL:
        message = _(
            "The file could not be stored: the storage for files is full. Nothing was "
            "changed. Ask the administrator to free space, then try again."
        )
    elif exc.errno in _READ_ONLY:
        message = _(
            "The file could not be stored: the storage for files is read-only. Nothing "
            "was changed. Ask the administrator to check it, then try again."
        )
    else:
        message = _(
            "The file could not be stored (%(reason)s). Nothing was changed; try again later."
        ) % {"reason": exc.strerror or type(exc).__name__}
    return StorageError(message, code="storage")


def _write(storage: Storage, name: str, content: File[Any], max_length: int | None) -> str:
    try:
        return storage.save(name, content, max_length=max_length)
    except OSError as exc:
        # FileSystemStorage leaves a partly written file behind when the disk fills up.
        _discard(storage, name)
        logger.warning("Storing %s failed: %s", name, exc)
        raise _refusal(exc) from exc


def save(name: str, content: File[Any] | bytes, storage: Storage | None = None) -> str:
    """Store ``content`` under ``name`` (see :func:`private_name`) in the transaction of
    the change (inside :func:`atomic`); returns the stored name. Raises
    :class:`StorageError` when the storage refuses it."""
    storage = storage or default_storage
    stored = _registry()
    if isinstance(content, bytes):
        content = ContentFile(content)
    saved = _write(storage, name, content, None)
    stored.append((storage, saved))
    return saved


def store(field_file: FieldFile, filename: str, content: File[Any] | bytes) -> str:
    """Store ``content`` as the file of a model's FileField (its ``upload_to`` names it),
    inside :func:`atomic`, without saving the model; returns the stored name. Raises
    :class:`StorageError` when the storage refuses it."""
    stored = _registry()
    if isinstance(content, bytes):
        content = ContentFile(content)
    field = field_file.field
    name = field.generate_filename(field_file.instance, filename)
    saved = _write(field_file.storage, name, content, field.max_length)
    stored.append((field_file.storage, saved))
    field_file.name = saved
    setattr(field_file.instance, field.attname, saved)
    field_file._committed = True  # type: ignore[attr-defined]
    return saved


def _safe_basename(filename: str) -> str:
    name = get_valid_filename(PurePath(str(filename).replace("\\", "/")).name or "file")
    if len(name) > 100:
        stem, suffix = PurePath(name).stem, PurePath(name).suffix[:12]
        name = stem[: 100 - len(suffix)] + suffix
    return name or "file"


def private_name(folder: str, filename: str) -> str:
    """``folder/yyyy/mm/<token>/<safe original name>``: where to store an upload."""
    now = timezone.now()
    token = secrets.token_urlsafe(TOKEN_BYTES)
    return f"{folder.strip('/')}/{now:%Y/%m}/{token}/{_safe_basename(filename)}"


@deconstructible
class PrivateUploadTo:
    """``upload_to`` for a FileField: an unguessable name under ``folder``."""

    def __init__(self, folder: str) -> None:
        self.folder = folder

    def __call__(self, instance: Any, filename: str) -> str:
        return private_name(self.folder, filename)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, PrivateUploadTo) and other.folder == self.folder

    def __hash__(self) -> int:
        return hash(self.folder)


def original_name(name: str) -> str:
    """The name a stored file had when it was uploaded (its last path component)."""
    return PurePath(name).name if name else ""


def serve(field_file: FieldFile, filename: str | None = None) -> FileResponse:
    """The stored file as a download (404 when there is none or it is gone).

    The caller has applied the policy already. The type is guessed from the name but the
    browser is told to save, not show, the file (and not to guess its type: PRIMA sends
    ``X-Content-Type-Options: nosniff`` everywhere).
    """
    if not field_file:
        raise Http404
    try:
        handle = field_file.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404 from None
    name = filename or original_name(field_file.name or "") or "file"
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    if content_type.startswith(("text/html", "image/svg", "application/xhtml", "text/xml")):
        content_type = "application/octet-stream"  # never rendered, even if opened inline
    return FileResponse(handle, as_attachment=True, filename=name, content_type=content_type)


def is_private_name(name: str, folder: str) -> bool:
    """Does ``name`` already follow ``folder/yyyy/mm/<token>/<name>``?"""
    parts = PurePath(name).parts
    prefix = PurePath(folder.strip("/")).parts
    return len(parts) == len(prefix) + 4 and parts[: len(prefix)] == prefix and len(parts[-2]) >= 20


def rename_to_private(storage: Any, name: str, folder: str) -> str | None:
    """Move a stored file to a private name (for data migrations of files stored before
    names were made unguessable); returns the new name, or None when the file is gone or
    already private."""
    if not name or is_private_name(name, folder) or not storage.exists(name):
        return None
    with storage.open(name, "rb") as handle:
        new_name: str = storage.save(private_name(folder, original_name(name)), handle)
    storage.delete(name)
    return new_name
