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

Example (the evidence of a checklist item)::

    @login_required
    def checklist_evidence(request, pk, item_pk):
        conference = get_conference(request, pk)          # policy: 404 for outsiders
        item = get_part(ChecklistItem, conference, item_pk)
        return files.serve(item.evidence_file)
"""

from __future__ import annotations

import mimetypes
import secrets
from pathlib import PurePath
from typing import Any

from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.text import get_valid_filename

TOKEN_BYTES = 16


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
