"""Zip uploads: the limits that guard against decompression bombs and archive tricks."""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass

from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

# Members read from an archive: anything else is skipped with a warning.
READABLE_SUFFIXES = (".csv", ".tsv", ".txt", ".json", ".ndjson", ".jsonl")
NESTED_ARCHIVE_SUFFIXES = (".zip", ".gz", ".7z", ".rar", ".tar")


@dataclass(frozen=True, slots=True)
class ArchiveLimits:
    """Guards for zip uploads (decompression bombs, archive tricks)."""

    max_members: int = 50
    max_total_bytes: int = 512 * 1024 * 1024  # uncompressed, all members together
    max_member_bytes: int = 256 * 1024 * 1024
    max_ratio: float = 100.0  # uncompressed / compressed, per member
    max_archive_bytes: int = 256 * 1024 * 1024  # compressed size read into memory


def check_archive(members: list[zipfile.ZipInfo], limits: ArchiveLimits) -> str:
    """Why the archive is refused ("" when it is not)."""
    if len(members) > limits.max_members:
        return _("The archive has %(count)s files; at most %(max)s are allowed.") % {
            "count": len(members),
            "max": limits.max_members,
        }
    total = 0
    for info in members:
        name = info.filename
        parts = name.replace("\\", "/").split("/")
        if name.startswith(("/", "\\")) or ".." in parts or re.match(r"^[A-Za-z]:", name):
            return _("The archive contains an unsafe path (%(name)s) and was refused.") % {
                "name": repr(name)
            }
        if info.file_size > limits.max_member_bytes:
            return _("%(name)s is too large once uncompressed (%(size)s).") % {
                "name": name,
                "size": filesizeformat(info.file_size),
            }
        if info.file_size > 1024 * 1024 and info.file_size > limits.max_ratio * max(
            info.compress_size, 1
        ):
            return _(
                "%(name)s expands %(ratio)s times when uncompressed; the archive looks like "
                "a decompression bomb and was refused."
            ) % {"name": name, "ratio": f"{info.file_size / max(info.compress_size, 1):.0f}"}
        total += info.file_size
    if total > limits.max_total_bytes:
        return _("The archive is too large once uncompressed (%(size)s).") % {
            "size": filesizeformat(total)
        }
    return ""
